#include "indexer/run_limits.hpp"

#include <algorithm>

#include <sys/resource.h>

namespace trawl::index {

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
