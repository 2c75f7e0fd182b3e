// Inputs that can be read only once (standard input "-", a pipe, a FIFO),
// copied to a temporary file before the run, so that they are read as a file
// is: sniffed, and read by both passes (the boilerplate statistics and each
// id's records, then the indexing), which makes `zcat f.gz | trawl-index -`
// index what `trawl-index f.gz` does, and a re-run add nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trawl::index {

class Progress;

// Where the copy of an input of the index at `db_path` goes: next to the
// index (sibling_temp_path(db_path, "stdin"), ".NAME.trawl-stdin-PID-N"), on
// the file system the index is written to, where the next run removes the
// copy of a killed run with its other temporaries (remove_leftovers). Where no
// sibling can be made (replaceable_by_rename false: a mount point, a parent
// this process may not write in), in $TMPDIR (else /tmp) instead.
std::string spool_path(const std::string& db_path);

class InputSpool {
public:
    // Copies each input of `inputs` that is a pipe, a FIFO or a socket
    // (standard input "-" included) to a file (spool_path), a chunk at a
    // time, so in bounded memory. Standard input redirected from a regular
    // file is not copied but read as /dev/stdin, which opens that file
    // afresh for each pass; a terminal or another device (/dev/zero) is
    // neither: it is read once, without a first pass, as before. `progress`, when
    // given, shows the bytes copied. Throws trawl::Error, one line naming the
    // input and the copy, when it cannot be read or the copy written (a full
    // disk: the copy needs as much space as the input); nothing is left
    // behind then, and the caller has not touched the index yet.
    InputSpool(const std::vector<std::string>& inputs, const std::string& db_path, Progress* progress = nullptr);
    // Removes the copies, on success and on errors alike (a killed run's are
    // removed by the next run, spool_path).
    ~InputSpool();
    InputSpool(const InputSpool&) = delete;
    InputSpool& operator=(const InputSpool&) = delete;

    // Each input read twice, as given -> its copy or /dev/stdin (corpus::ReaderOptions::spooled).
    const std::map<std::string, std::string>& copies() const { return copies_; }
    // The bytes copied, over every input.
    std::uint64_t bytes() const { return bytes_; }

private:
    void remove_all() noexcept;
    std::map<std::string, std::string> copies_;
    std::vector<std::string> owned_;  // the copies this spool made (not /dev/stdin)
    std::uint64_t bytes_ = 0;
};

}  // namespace trawl::index
