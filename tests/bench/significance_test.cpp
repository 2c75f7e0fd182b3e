// The paired randomization test against p-values worked out by hand.
#include "bench/eval/significance.hpp"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

using trawl::bench::randomization_test;

TEST(Significance, ExactPValuesOnSmallExamples) {
    // Five queries, each better by 1: of the 32 swap patterns only "none" and
    // "all" reach |sum| 5, so p = 2/32.
    const std::vector<double> a{1, 1, 1, 1, 1}, b{0, 0, 0, 0, 0};
    EXPECT_DOUBLE_EQ(randomization_test(a, b), 2.0 / 32);
    // Differences 3, 1, -1: the 8 patterns sum to 3, -3, 3, -3, 5, -5, 1, -1;
    // |sum| >= 3 in 6 of 8.
    const std::vector<double> c{3, 1, 0}, d{0, 0, 1};
    EXPECT_DOUBLE_EQ(randomization_test(c, d), 6.0 / 8);
    // Symmetric in its arguments; no difference at all is p = 1.
    EXPECT_DOUBLE_EQ(randomization_test(d, c), 6.0 / 8);
    EXPECT_DOUBLE_EQ(randomization_test(a, a), 1.0);
    EXPECT_DOUBLE_EQ(randomization_test(std::vector<double>{}, std::vector<double>{}), 1.0);
    EXPECT_THROW(randomization_test(a, c), std::invalid_argument);
}

TEST(Significance, SampledPValuesApproachTheExactOnes) {
    // 30 queries (sampled, beyond kExactQueries): 20 better by 1 and 10 worse by 1.
    // |sum| >= 10 for a sum of 30 fair ±1 signs: P(|2X - 30| >= 10), X ~ Bin(30, 1/2),
    // = P(X <= 10) + P(X >= 20) = 2 · 0.049369 = 0.098737.
    std::vector<double> a(30, 0.0), b(30, 0.0);
    for (int i = 0; i < 30; ++i) a[i] = i < 20 ? 1 : -1;
    const double p = randomization_test(a, b);
    EXPECT_NEAR(p, 0.098737, 0.005);
    EXPECT_DOUBLE_EQ(p, randomization_test(a, b)) << "fixed seed: the same p every run";
    // A large, consistent difference is significant; with the +1 correction never 0.
    std::vector<double> big(30, 1.0);
    const double tiny = randomization_test(big, b, 1000);
    EXPECT_GT(tiny, 0);
    EXPECT_LT(tiny, 0.002);
}
