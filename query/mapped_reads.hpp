// Xapian's table reads served from read-only mappings of the tables.
//
// Xapian 1.4's glass backend reads every block of its tables with its own
// pread() (no mmap, no block cache beyond a cursor's path): 300 to 470 system
// calls a query on Wikipedia (bench/RESULTS.md, "mapped reads"). Where a
// system call is dear (a virtual machine whose kernel isolates its page
// tables: 1.5-1.8 us for a null call), those calls were most of a query's
// time. A program linked with the object library trawl_mapped_reads
// (mapped_reads_calls.cpp: trawl-query, trawl-bench, test_query) defines
// pread() and pread64() itself (an executable's definition wins over libc's
// for the shared libraries it loads, libxapian among them): once turned on,
// a read of a file that a reader opened read-only and whose name ends in
// ".glass" is a copy out of a shared, read-only mapping of that file, the
// same bytes the page cache would give pread(). Every other read goes to the
// real pread(), and so does a read past the file's size: when it ends past
// the size last seen, the size is looked at again (a writer may have grown
// the file), and the read is a copy if it now fits. close(), dup2(), dup3(),
// closefrom() and close_range() are defined as well, to forget a
// descriptor's mapping when it is closed or replaced.
//
// A table cut short under a reader (an index copied over in place, which no
// reader survives either way) makes the copy fault (SIGBUS): the fault is
// caught, and that read and the next go to the system, which reports the
// damage as it would have without the mapping.
//
// Assumption, true of Xapian 1.4 and of Trawl: a reader's descriptor is
// closed through close() (or the calls above), not by glibc internally
// (fclose() of a FILE made with fdopen()), nor by a raw system call; such a
// descriptor reused for another file would be read from the old mapping.
//
// Mapped pages count in the process's resident size (shared pages of the
// page cache, the same memory pread() reads from).
//
// Linux only: elsewhere the object library is empty and reads are Xapian's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace trawl::query {

// Serves table reads from mappings or hands every read to the system (the
// default: a program linked with this unit reads as Xapian does until it
// says otherwise; trawl-query's run_query() and trawl-bench's query runs do,
// the indexer never). Process-wide; reads already running finish as they
// started.
void set_mapped_reads(bool on);
bool mapped_reads();

// Mapped reads on or off for a scope, as they were after it.
class MappedReadsScope {
public:
    explicit MappedReadsScope(bool on) : was_(mapped_reads()) { set_mapped_reads(on); }
    ~MappedReadsScope() { set_mapped_reads(was_); }
    MappedReadsScope(const MappedReadsScope&) = delete;
    MappedReadsScope& operator=(const MappedReadsScope&) = delete;

private:
    bool was_;
};

// --mapped-reads WHEN: true for "always", false for "never", `many_queries`
// for "auto" (mapping a page costs a fault where one read was one call: it
// pays when a process reads the pages again, for query after query); throws
// UsageError otherwise.
bool parse_mapped_reads(const std::string& when, bool many_queries);

// Reads made by the calling thread since it started: served from a mapping,
// and passed to the system (every read of a descriptor that is not a table,
// too). Per thread, so that counting costs no shared cache line.
struct MappedReadCounts {
    std::uint64_t mapped = 0;
    std::uint64_t passed = 0;
};
MappedReadCounts mapped_read_counts();

// What mapped_reads_calls.cpp's definitions call.
namespace detail {
// True when the read was served from a mapping (`n` bytes copied into `buf`).
bool read_mapped(int fd, void* buf, std::size_t n, long long offset);
// A descriptor closed or replaced; every descriptor from `first` to `last`.
void forget(int fd);
void forget_range(unsigned first, unsigned last);
}  // namespace detail

}  // namespace trawl::query
