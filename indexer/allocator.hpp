// The allocator's settings for an indexing run. trawl-index and trawl-bench
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

}  // namespace trawl::index
