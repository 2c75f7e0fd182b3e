#include "indexer/stream_feed.hpp"

#include <algorithm>

#include "indexer/interrupt.hpp"

namespace trawl::index {

namespace {
// How often a wait looks at the interrupt flag (a signal handler cannot
// wake a condition variable).
constexpr std::chrono::milliseconds kInterruptCheck{200};
}  // namespace

StreamFeed::StreamFeed(std::unique_ptr<corpus::ArticleReader> reader, std::size_t max_queued)
    : state_(std::make_shared<State>()) {
    state_->reader = std::move(reader);
    state_->max_queued = std::max<std::size_t>(max_queued, 1);
}

void StreamFeed::start() {
    thread_ = std::thread([s = state_] {
        try {
            for (corpus::Article a; s->reader->next(a); a = {}) {
                s->bytes.store(s->reader->bytes_read(), std::memory_order_relaxed);
                std::unique_lock l(s->m);
                s->room.wait(l, [&] { return s->stopping || s->queue.size() < s->max_queued; });
                if (s->stopping) break;
                s->queue.push_back(std::move(a));
                l.unlock();
                s->ready.notify_one();
            }
            s->bytes.store(s->reader->bytes_read(), std::memory_order_relaxed);
        } catch (...) {
            std::lock_guard l(s->m);
            s->failure = std::current_exception();
        }
        std::lock_guard l(s->m);
        s->ended = true;
        s->ready.notify_all();
    });
}

StreamFeed::~StreamFeed() {
    if (!thread_.joinable()) return;  // never started
    bool ended;
    {
        std::lock_guard l(state_->m);
        state_->stopping = true;
        ended = state_->ended;
    }
    state_->room.notify_all();
    // A thread between articles sees `stopping` at once; one blocked in a
    // read of a silent producer would hold the process until it writes.
    if (ended) thread_.join();
    else thread_.detach();
}

StreamFeed::Got StreamFeed::next(corpus::Article& out, std::chrono::milliseconds idle) {
    if (!thread_.joinable()) start();
    const auto deadline = std::chrono::steady_clock::now() + idle;
    std::unique_lock l(state_->m);
    for (;;) {
        if (interrupt_signal()) return Got::Interrupted;
        if (!state_->queue.empty()) {
            out = std::move(state_->queue.front());
            state_->queue.pop_front();
            l.unlock();
            state_->room.notify_one();
            return Got::Article;
        }
        if (state_->ended) {
            if (state_->failure) std::rethrow_exception(state_->failure);
            return Got::End;
        }
        auto wake = std::chrono::steady_clock::now() + kInterruptCheck;
        if (idle.count() > 0) {
            if (std::chrono::steady_clock::now() >= deadline) return Got::Idle;
            wake = std::min(wake, deadline);
        }
        state_->ready.wait_until(l, wake);
    }
}

}  // namespace trawl::index
