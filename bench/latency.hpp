// Latency figures: percentiles of a sample of timings, a stopwatch, and the
// timed passes every engine's queries run through (warm-up, repetitions,
// one or more threads).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

namespace trawl::bench {

// The q-quantile (0..1) of `samples` by the nearest-rank method (p50 of
// {1,2,3,4} is 2); 0 for an empty sample.
double percentile(std::vector<double> samples, double q);
inline double median(std::vector<double> samples) { return percentile(std::move(samples), 0.5); }

class Stopwatch {
public:
    Stopwatch() : start_(std::chrono::steady_clock::now()) {}
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
    double millis() const { return seconds() * 1e3; }

private:
    std::chrono::steady_clock::time_point start_;
};

struct TimedPasses {
    std::vector<double> micros;  // per query: the median of its timed runs
    double wall_seconds = 0;     // the timed passes, first start to last end over all threads
};

// Runs queries 0..n-1 in `warmup` untimed then `repetitions` (at least 1)
// timed passes. With `threads` > 1 each thread takes a contiguous share of the
// queries and runs its passes concurrently with the others, the timed ones
// starting together. `make_worker(t)` is called on thread t and returns the
// function that runs query i there (each thread opens its own searcher).
using QueryWorker = std::function<void(std::size_t)>;
TimedPasses time_passes(std::size_t n, unsigned threads, unsigned warmup, unsigned repetitions,
                        const std::function<QueryWorker(unsigned)>& make_worker);

}  // namespace trawl::bench
