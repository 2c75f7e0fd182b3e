// Standard output that remembers why it failed. A stream buffer over a file
// descriptor keeps the errno of its first failed write(2), so a binary whose
// results could not be written (a full disk, /dev/full) says so and exits 2
// instead of losing them silently (cli_main.hpp installs it on std::cout).
#pragma once

#include <memory>
#include <ostream>
#include <streambuf>

namespace trawl {

// Buffers output and writes it to `fd` on overflow and sync. After a failed
// write it writes nothing more: every later output fails at once (the stream
// goes bad), so a loop that checks its stream stops at the first lost byte.
class FdOutputBuffer final : public std::streambuf {
public:
    explicit FdOutputBuffer(int fd);
    ~FdOutputBuffer() override;
    FdOutputBuffer(const FdOutputBuffer&) = delete;
    FdOutputBuffer& operator=(const FdOutputBuffer&) = delete;
    // The errno of the first failed write (ENOSPC, EIO, EPIPE...), 0 if none.
    int error() const { return error_; }

protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    bool write_all(const char* data, std::size_t size);
    bool drain();  // writes what is buffered; false after a failed write

    int fd_;
    int error_ = 0;
    std::unique_ptr<char[]> buffer_;
};

// While it lives, `stream` (std::cout in the binaries) writes through an
// FdOutputBuffer on `fd`; its own buffer comes back when it goes.
class CheckedOutput {
public:
    CheckedOutput(std::ostream& stream, int fd);
    ~CheckedOutput();
    CheckedOutput(const CheckedOutput&) = delete;
    CheckedOutput& operator=(const CheckedOutput&) = delete;
    // Flushes; the errno of the first write that failed, 0 when all was written.
    int finish();

private:
    std::ostream& stream_;
    FdOutputBuffer buffer_;
    std::streambuf* before_;
};

}  // namespace trawl
