// Xapian's table reads served from read-only mappings of the tables.
//
// Xapian 1.4's glass backend reads every block of its tables with its own
// pread() (no mmap, no block cache beyond a cursor's path): 300 to 470 system
// calls a query on Wikipedia (bench/RESULTS.md, "mapped reads"). Where a
// system call is dear (a virtual machine whose kernel isolates its page
// tables: 1.5-1.8 us for a null call), those calls were most of a query's
// time. A program linked with this unit defines pread() and pread64() itself
// (an executable's definition wins over libc's for the shared libraries it
// loads, libxapian among them): a read of a file that a reader opened
// read-only and whose name ends in ".glass" is a copy out of a shared,
// read-only mapping of that file, the same bytes the page cache would give
// pread(); every other read, and a read past the size the file had when last
// looked at (a writer has grown it since), goes to the real pread(). close(),
// dup2(), dup3(), closefrom() and close_range() are defined as well, to forget
// a descriptor's mapping when it is closed or replaced.
//
// Assumptions, each true of Xapian 1.4 and of Trawl:
// - a table file is never truncated while a reader has it open (glass grows
//   its tables and reuses their free blocks; Trawl replaces an index by
//   renaming a new directory into place, which leaves the old files whole).
//   A file truncated under a mapping would end the program with SIGBUS where
//   pread() would have returned a short read;
// - a reader's descriptor is closed through close() (or the calls above), not
//   by glibc internally (fclose() of a FILE made with fdopen()).
//
// Linux only: elsewhere the unit is empty and reads are Xapian's own.
#pragma once

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

// Reads since the program started: served from a mapping, and passed to the
// system (every read of a descriptor that is not a table, too).
struct MappedReadCounts {
    std::uint64_t mapped = 0;
    std::uint64_t passed = 0;
};
MappedReadCounts mapped_read_counts();

}  // namespace trawl::query
