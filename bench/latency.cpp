#include "bench/latency.hpp"

#include <algorithm>
#include <barrier>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

namespace trawl::bench {

double percentile(std::vector<double> samples, double q) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    auto rank = static_cast<std::size_t>(std::ceil(q * double(samples.size())));
    rank = std::clamp<std::size_t>(rank, 1, samples.size());
    return samples[rank - 1];
}

TimedPasses time_passes(std::size_t n, unsigned threads, unsigned warmup, unsigned repetitions,
                        const std::function<QueryWorker(unsigned)>& make_worker) {
    threads = std::max(threads, 1u);
    repetitions = std::max(repetitions, 1u);
    std::vector<std::vector<double>> runs(n);
    std::vector<std::chrono::steady_clock::time_point> starts(threads), ends(threads);
    std::barrier sync(static_cast<std::ptrdiff_t>(threads));
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto body = [&](unsigned t) {
        const std::size_t first = n * t / threads, last = n * (t + 1) / threads;
        QueryWorker run;
        try {
            run = make_worker(t);
            for (unsigned pass = 0; pass < warmup; ++pass)
                for (std::size_t i = first; i < last; ++i) run(i);
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
        }
        sync.arrive_and_wait();  // the timed passes start together
        starts[t] = std::chrono::steady_clock::now();
        if (run && !failure) {
            try {
                for (unsigned pass = 0; pass < repetitions; ++pass)
                    for (std::size_t i = first; i < last; ++i) {
                        Stopwatch sw;
                        run(i);
                        runs[i].push_back(sw.seconds() * 1e6);
                    }
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
            }
        }
        ends[t] = std::chrono::steady_clock::now();
    };
    if (threads == 1) {
        body(0);
    } else {
        std::vector<std::jthread> pool;
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(body, t);
    }
    if (failure) std::rethrow_exception(failure);
    TimedPasses out;
    for (auto& r : runs) out.micros.push_back(median(std::move(r)));
    out.wall_seconds = std::chrono::duration<double>(*std::max_element(ends.begin(), ends.end()) -
                                                     *std::min_element(starts.begin(), starts.end()))
                           .count();
    return out;
}

}  // namespace trawl::bench
