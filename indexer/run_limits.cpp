#include "indexer/run_limits.hpp"

#include <algorithm>
#include <cstdlib>

#include <sys/resource.h>

// gperftools' C interface (gperftools/malloc_extension_c.h), declared weak:
// null where tcmalloc is not linked in.
extern "C" int MallocExtension_SetNumericProperty(const char* property, size_t value) __attribute__((weak));

namespace trawl::index {

bool let_thread_caches_hold(std::size_t bytes) {
    if (MallocExtension_SetNumericProperty == nullptr) return false;
    if (std::getenv("TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES")) return false;  // the user's
    return MallocExtension_SetNumericProperty("tcmalloc.max_total_thread_cache_bytes", bytes) != 0;
}

unsigned long raise_open_file_limit() {
    struct rlimit r {};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return 0;
    // At most 65,536: an unlimited hard limit is refused for files.
    const rlim_t want = std::min<rlim_t>(r.rlim_max, rlim_t{1} << 16);
    if (r.rlim_cur < want) {
        struct rlimit raised = r;
        raised.rlim_cur = want;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) r = raised;
    }
    return static_cast<unsigned long>(r.rlim_cur);
}

}  // namespace trawl::index
