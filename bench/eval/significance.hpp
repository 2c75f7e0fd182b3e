// Statistical significance of a difference between two runs over the same
// queries (pure). The paired randomization test (Fisher; Smucker, Allan &
// Carterette, CIKM 2007, the test IR papers report): under the null
// hypothesis the two systems are interchangeable, so each query's pair of
// scores may be swapped; the p-value is the share of the 2^n swap patterns
// whose mean difference is at least as far from zero as the observed one
// (two-sided). Up to kExactQueries queries every pattern is enumerated (the
// exact p-value); beyond, `trials` patterns are drawn with a fixed seed and
// p = (hits + 1) / (trials + 1) (Phipson & Smyth 2010: never 0).
#pragma once

#include <cstdint>
#include <span>

namespace trawl::bench {

inline constexpr std::size_t kExactQueries = 20;
inline constexpr std::uint32_t kRandomizationTrials = 100000;

// Two-sided p-value of mean(a − b) ≠ 0; a and b are per-query scores in the
// same query order and of the same length (throws std::invalid_argument
// otherwise). 1 when there are no queries or every difference is 0.
double randomization_test(std::span<const double> a, std::span<const double> b,
                          std::uint32_t trials = kRandomizationTrials, std::uint64_t seed = 20071106);

}  // namespace trawl::bench
