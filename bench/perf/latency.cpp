#include "perf/latency.hpp"

#include <algorithm>
#include <cmath>

namespace trawl::bench {

double percentile(std::vector<double> samples, double q) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    auto rank = static_cast<std::size_t>(std::ceil(q * double(samples.size())));
    rank = std::clamp<std::size_t>(rank, 1, samples.size());
    return samples[rank - 1];
}

}  // namespace trawl::bench
