// What an indexing run asks of the process: the allocator's settings, and
// room for the files it opens at once. trawl-index and trawl-bench
// are linked with gperftools' tcmalloc (CMakeLists.txt, trawl::malloc);
// other builds (sanitizers, tests) keep their own allocator, and these
// calls then do nothing.
#pragma once

#include <cstddef>

namespace trawl::index {

// Lets tcmalloc's per-thread caches hold up to `bytes` in all (its default
// is 32 MB), unless the user set TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES.
// Xapian's inverter allocates a map node per posting and frees them all at
// each flush; past the default, those nodes went back to tcmalloc's central
// lists and were fetched again for the next passages, under its locks
// (`CentralFreeList::FetchFromOneSpans` was 4% of a two-thread Wikipedia
// build). Returns whether tcmalloc took it.
bool let_thread_caches_hold(std::size_t bytes);

// Raises the soft limit of open files to the hard one (a shell's 1,024 is
// the usual soft limit): the merge of a new index opens every segment of
// every temporary shard at once, three or four files each. Returns the
// soft limit now in force (0 when it cannot be read).
unsigned long raise_open_file_limit();

}  // namespace trawl::index
