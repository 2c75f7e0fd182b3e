// trawl-index --stream: the articles of an input that does not end (a pipe,
// a FIFO, `tail -f`) read on a thread of their own, so that the job's thread
// can act while the input is silent: commit the open batch once no article
// has come for a while (--commit-idle), and notice Ctrl-C (interrupt.hpp)
// while the read waits for the producer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "corpus/read/article_reader.hpp"

namespace trawl::index {

class StreamFeed {
public:
    // Reads `reader` on a thread, up to `max_queued` articles ahead, from
    // the first next() on (not before: the index is opened first, and an
    // index that cannot be opened leaves the input unread).
    explicit StreamFeed(std::unique_ptr<corpus::ArticleReader> reader, std::size_t max_queued = 64);
    // Stops the thread. One still waiting for its input (an interrupted run)
    // is left to end with the process: it holds nothing of the caller's but
    // the diagnostics the reader reports into.
    ~StreamFeed();
    StreamFeed(const StreamFeed&) = delete;
    StreamFeed& operator=(const StreamFeed&) = delete;

    enum class Got {
        Article,      // `out` holds the next article
        Idle,         // none came within `idle`
        End,          // the input ended
        Interrupted,  // a signal was caught (interrupt.hpp)
    };
    // Waits for the next article, at most `idle` (zero: as long as it takes),
    // looking at the interrupt flag a few times a second. Rethrows what the
    // reader threw.
    Got next(corpus::Article& out, std::chrono::milliseconds idle);
    // The reader's bytes_read(), as of the last article it read.
    std::uint64_t bytes_read() const { return state_->bytes.load(std::memory_order_relaxed); }

private:
    void start();
    // Shared with the thread, which may outlive this object (see above).
    struct State {
        std::unique_ptr<corpus::ArticleReader> reader;
        std::mutex m;
        std::condition_variable ready, room;
        std::deque<corpus::Article> queue;
        std::size_t max_queued = 64;
        bool ended = false;     // the thread is done (end of input or failure)
        bool stopping = false;  // the caller wants no more
        std::exception_ptr failure;
        std::atomic<std::uint64_t> bytes{0};
    };
    std::shared_ptr<State> state_;
    std::thread thread_;
};

}  // namespace trawl::index
