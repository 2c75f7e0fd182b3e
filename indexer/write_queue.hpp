// WriteQueue: applies a sequence of operations in the order they were
// pushed, either at once on the caller's thread or on a thread of its own,
// so that the caller prepares the next operations while the last ones are
// applied. IndexBuilder uses it to hand finished passage documents to
// Xapian's writer (index_builder.hpp): building a document (words, stems,
// zstd) overlaps Xapian inverting the ones before it.
//
// On a thread: each operation weighs what the caller says it holds (bytes);
// operations are handed over in chunks of about `chunk` (one lock per chunk,
// not per operation) and at most `capacity` waits, so memory stays bounded
// however fast the caller pushes; push() blocks when the queue is full. An
// operation heavier than the capacity still goes through, alone. Applied
// operations go back to the caller while it keeps the thread busy, and its
// next hand-over (or drain()) destroys them: what the caller allocated is
// freed on its own thread, not on the applying thread, which is the busier
// of the two (Xapian's inverter; bench/RESULTS.md, "Twenty-eighth
// session"). Their weight counts against the capacity until the caller takes
// them; when nothing else is queued the thread destroys them itself (it would
// wait anyway), so none are held while the caller pauses. A failure of the function stops the thread and drops
// what is queued; the next push() or drain() rethrows it on the caller's thread. The destructor stops the thread and
// drops what was not applied.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace trawl::index {

template <class Op>
class WriteQueue {
    // Else std::vector copies them as it grows, and a hand-over could stop half-way.
    static_assert(std::is_nothrow_move_constructible_v<Op>, "WriteQueue operations must move without throwing");
    using Batch = std::vector<std::pair<Op, std::size_t>>;

public:
    using Apply = std::function<void(Op&)>;
    enum class Where { CallersThread, OwnThread };

    explicit WriteQueue(Apply apply, Where where = Where::CallersThread, std::size_t capacity = 16u << 20,
                        std::size_t chunk = 256u << 10)
        : apply_(std::move(apply)),
          capacity_(std::max<std::size_t>(capacity, 1)),
          chunk_(std::clamp<std::size_t>(chunk, 1, capacity_)) {
        if (where == Where::OwnThread) thread_ = std::thread([this] { run(); });
    }
    ~WriteQueue() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard l(m_);
            stopping_ = true;
        }
        ready_.notify_all();
        thread_.join();
    }
    WriteQueue(const WriteQueue&) = delete;
    WriteQueue& operator=(const WriteQueue&) = delete;

    bool on_own_thread() const { return thread_.joinable(); }

    // Hands over what the caller holds now, without waiting for a full chunk
    // (IndexBuilder: after a batch's commit, so that it is not held back
    // while the input stalls).
    void flush() {
        if (thread_.joinable()) hand_over();
    }

    void push(Op op, std::size_t weight = 1) {
        if (!thread_.joinable()) {
            apply_(op);
            return;
        }
        local_.emplace_back(std::move(op), weight);
        local_weight_ += weight;
        if (local_weight_ >= chunk_) hand_over();
    }

    // Returns once every operation pushed so far has been applied; rethrows a
    // failure of the function. Afterwards the caller may use what the
    // operations write to, until its next push().
    void drain() {
        if (!thread_.joinable()) return;
        hand_over();
        Batch dead;  // destroyed last, on this thread and outside the lock
        std::unique_lock l(m_);
        done_.wait(l, [&] {
            reclaim(dead);
            return failure_ || in_flight_ == 0;
        });
        if (failure_) std::rethrow_exception(failure_);
    }

private:
    void hand_over() {
        if (local_.empty()) return;
        Batch dead;  // destroyed last, on this thread and outside the lock
        std::unique_lock l(m_);
        room_.wait(l, [&] {
            reclaim(dead);
            return failure_ || in_flight_ == 0 || in_flight_ + local_weight_ <= capacity_;
        });
        if (failure_) std::rethrow_exception(failure_);
        // Room first: a bad_alloc leaves both sides as they were. Operations
        // must move without throwing (static_assert below).
        queue_.reserve(queue_.size() + local_.size());
        for (auto& op : local_) queue_.push_back(std::move(op));
        in_flight_ += local_weight_;
        l.unlock();
        local_.clear();
        local_weight_ = 0;
        ready_.notify_one();
    }

    // With m_ held, on the caller's thread: takes the operations handed back
    // into `dead`, for the caller to destroy once the lock is released, and
    // their weight off what is in flight.
    void reclaim(Batch& dead) {
        if (applied_.empty()) return;
        in_flight_ -= applied_weight_;
        applied_weight_ = 0;
        if (dead.empty()) dead.swap(applied_);
        else applied_.clear();  // a second batch within one wait (rare): dies here, under the lock
    }

    void run() {
        Batch batch;
        for (;;) {
            {
                std::unique_lock l(m_);
                ready_.wait(l, [this] { return stopping_ || !queue_.empty(); });
                if (stopping_ || failure_) return;
                batch.swap(queue_);
            }
            std::size_t applied = 0;
            try {
                for (auto& [op, weight] : batch) {
                    apply_(op);
                    applied += weight;
                }
            } catch (...) {
                std::lock_guard l(m_);
                failure_ = std::current_exception();
                queue_.clear();
                room_.notify_all();
                done_.notify_all();
                return;
            }
            bool handed_back = false;
            {
                std::lock_guard l(m_);
                // Back to the caller to die there while more waits to be
                // applied (their weight stays in flight until it takes them).
                if (applied_.empty() && !queue_.empty()) {
                    applied_.swap(batch);
                    applied_weight_ = applied;
                    handed_back = true;
                }
            }
            if (!handed_back) {
                batch.clear();  // they die here, before drain() can return
                std::lock_guard l(m_);
                in_flight_ -= applied;
            }
            room_.notify_all();
            done_.notify_all();
        }
    }

    Apply apply_;
    const std::size_t capacity_, chunk_;
    Batch local_;  // the caller's chunk (with weights), not handed over yet
    std::size_t local_weight_ = 0;
    std::mutex m_;
    std::condition_variable ready_, room_, done_;
    Batch queue_;                     // handed over, not yet taken by the thread
    Batch applied_;                   // applied, for the caller to destroy
    std::size_t applied_weight_ = 0;  // their weight, still in in_flight_
    std::size_t in_flight_ = 0;       // weight handed over, not yet applied
    bool stopping_ = false;
    std::exception_ptr failure_;
    std::thread thread_;  // last: started once the rest is set up
};

}  // namespace trawl::index
