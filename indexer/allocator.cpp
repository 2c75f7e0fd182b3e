#include "indexer/allocator.hpp"

#include <cstdlib>

// gperftools' C interface (gperftools/malloc_extension_c.h), declared weak:
// null where tcmalloc is not linked in.
extern "C" int MallocExtension_SetNumericProperty(const char* property, size_t value) __attribute__((weak));

namespace trawl::index {

bool let_thread_caches_hold(std::size_t bytes) {
    if (MallocExtension_SetNumericProperty == nullptr) return false;
    if (std::getenv("TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES")) return false;  // the user's
    return MallocExtension_SetNumericProperty("tcmalloc.max_total_thread_cache_bytes", bytes) != 0;
}

}  // namespace trawl::index
