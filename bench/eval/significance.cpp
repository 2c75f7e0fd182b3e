#include "bench/eval/significance.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace trawl::bench {
namespace {

// SplitMix64: a small, fast, well-mixed generator; 64 swap decisions per draw.
std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

double randomization_test(std::span<const double> a, std::span<const double> b, std::uint32_t trials,
                          std::uint64_t seed) {
    if (a.size() != b.size()) throw std::invalid_argument("randomization_test: runs of different lengths");
    const std::size_t n = a.size();
    std::vector<double> d(n);
    double observed = 0;
    for (std::size_t i = 0; i < n; ++i) observed += d[i] = a[i] - b[i];
    observed = std::fabs(observed);
    if (n == 0 || observed == 0) return 1;
    // Sums compared with a relative tolerance: a pattern with the same |sum|
    // as the observed one must count even when rounding differs.
    const double limit = observed * (1 - 1e-12);
    if (n <= kExactQueries) {
        std::uint64_t hits = 0;
        const std::uint64_t patterns = std::uint64_t{1} << n;
        for (std::uint64_t bits = 0; bits < patterns; ++bits) {
            double s = 0;
            for (std::size_t i = 0; i < n; ++i) s += ((bits >> i) & 1) ? -d[i] : d[i];
            hits += std::fabs(s) >= limit;
        }
        return static_cast<double>(hits) / static_cast<double>(patterns);
    }
    std::uint64_t state = seed, hits = 0;
    std::vector<std::uint64_t> words((n + 63) / 64);
    for (std::uint32_t t = 0; t < trials; ++t) {
        for (auto& w : words) w = splitmix64(state);
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += ((words[i / 64] >> (i % 64)) & 1) ? -d[i] : d[i];
        hits += std::fabs(s) >= limit;
    }
    return static_cast<double>(hits + 1) / static_cast<double>(trials + 1);
}

}  // namespace trawl::bench
