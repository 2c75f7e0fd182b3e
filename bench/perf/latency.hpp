// Latency figures: percentiles of a sample of timings, and a stopwatch.
#pragma once

#include <chrono>
#include <vector>

namespace trawl::bench {

// The q-quantile (0..1) of `samples` by the nearest-rank method (p50 of
// {1,2,3,4} is 2); 0 for an empty sample.
double percentile(std::vector<double> samples, double q);
inline double median(std::vector<double> samples) { return percentile(std::move(samples), 0.5); }

class Stopwatch {
public:
    Stopwatch() : start_(std::chrono::steady_clock::now()) {}
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    double millis() const { return seconds() * 1e3; }

private:
    std::chrono::steady_clock::time_point start_;
};

}  // namespace trawl::bench
