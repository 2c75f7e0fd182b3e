#include "indexer/write_queue.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

using trawl::index::WriteQueue;
using Where = WriteQueue<int>::Where;

TEST(WriteQueue, OnItsOwnThreadAppliesEveryOperationInOrder) {
    std::vector<int> seen;
    std::atomic<bool> on_caller{false};
    const auto caller = std::this_thread::get_id();
    WriteQueue<int> q(
        [&](int& n) {
            if (std::this_thread::get_id() == caller) on_caller = true;
            seen.push_back(n);
        },
        Where::OwnThread, /*capacity=*/16, /*chunk=*/4);
    EXPECT_TRUE(q.on_own_thread());
    for (int i = 0; i < 10'000; ++i) q.push(i);
    q.drain();
    ASSERT_EQ(seen.size(), 10'000u);
    for (int i = 0; i < 10'000; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)], i);
    EXPECT_FALSE(on_caller);
    // A chunk that is not full is handed over by drain(), and drain() can be called again.
    q.push(10'000);
    q.drain();
    EXPECT_EQ(seen.back(), 10'000);
}

TEST(WriteQueue, OnTheCallersThreadAppliesAtOnce) {
    std::vector<int> seen;
    WriteQueue<int> q([&](int& n) { seen.push_back(n); });
    EXPECT_FALSE(q.on_own_thread());
    q.push(1);
    EXPECT_EQ(seen, std::vector<int>{1});
    q.drain();
}

TEST(WriteQueue, AFailureIsRethrownOnTheCallersThreadAndNothingAfterItIsApplied) {
    std::vector<int> seen;
    WriteQueue<int> q(
        [&](int& n) {
            if (n == 5) throw std::runtime_error("disk full at 5");
            seen.push_back(n);
        },
        Where::OwnThread, /*capacity=*/8, /*chunk=*/2);
    bool thrown = false;
    try {
        for (int i = 0; i < 1000; ++i) q.push(i);
        q.drain();
    } catch (const std::runtime_error& e) {
        thrown = true;
        EXPECT_STREQ(e.what(), "disk full at 5");
    }
    EXPECT_TRUE(thrown);
    EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_THROW(q.drain(), std::runtime_error) << "the failure stays";
}

// Pushes one operation of each weight, from a thread of its own, into a
// queue whose thread is held in its first operation until the pushes have
// stopped for a while; returns the most pushes that returned meanwhile, and
// checks that every operation is applied once the thread is released.
int pushes_while_held(std::size_t capacity, std::size_t chunk, const std::vector<std::size_t>& weights, int wait_for) {
    std::atomic<bool> release{false};
    std::atomic<int> applied{0};
    std::atomic<int> pushed{0};
    WriteQueue<int> q(
        [&](int&) {
            while (!release) std::this_thread::sleep_for(std::chrono::microseconds(100));
            ++applied;
        },
        Where::OwnThread, capacity, chunk);
    std::thread pusher([&] {
        int i = 0;
        for (const auto w : weights) {
            q.push(i++, w);
            ++pushed;
        }
        q.drain();
    });
    while (pushed < wait_for) std::this_thread::yield();
    int most = 0;
    for (int look = 0; look < 200; ++look) {  // 40 ms for a pusher that should be held to go on
        most = std::max(most, pushed.load());
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    release = true;
    pusher.join();
    EXPECT_EQ(applied, static_cast<int>(weights.size()));
    return most;
}

// At most `capacity` operations wait for the thread: the caller is held back
// (here, until the thread is released) instead of queueing without bound.
// The thread holds one chunk in hand and `capacity` wait: the pusher stops at
// the chunk it cannot hand over, whatever the timing.
TEST(WriteQueue, TheCallerWaitsWhenTheQueueIsFull) {
    EXPECT_LE(pushes_while_held(/*capacity=*/8, /*chunk=*/2, std::vector<std::size_t>(100, 1), 8), 8 + 2)
        << "pushed past the queue's capacity while nothing was applied";
}

// The bound is on weight (bytes), not on the number of operations: one of
// 500, heavier than the capacity of 100, goes through alone and holds back
// the next until it is applied.
TEST(WriteQueue, TheBoundCountsWhatEachOperationWeighs) {
    EXPECT_EQ(pushes_while_held(/*capacity=*/100, /*chunk=*/1, {500, 60, 60}, 1), 1)
        << "an operation was queued beside one heavier than the capacity";
}

// flush() hands over what is held at once: the thread applies it without
// waiting for a full chunk (a batch's commit while the input stalls).
TEST(WriteQueue, FlushHandsOverWhatIsHeldWithoutAFullChunk) {
    std::atomic<int> applied{0};
    WriteQueue<int> q([&](int&) { ++applied; }, Where::OwnThread, /*capacity=*/1000, /*chunk=*/100);
    q.push(1);
    q.push(2);
    q.flush();
    while (applied < 2) std::this_thread::yield();  // hangs (the test times out) if flush() held them back
    EXPECT_EQ(applied, 2);
    q.drain();
}

// An operation records the thread it dies on (a moved-from one records nothing).
struct Mortal {
    std::vector<std::thread::id>* deaths = nullptr;
    std::mutex* m = nullptr;
    Mortal(std::vector<std::thread::id>* d, std::mutex* mu) : deaths(d), m(mu) {}
    Mortal(Mortal&& o) noexcept : deaths(std::exchange(o.deaths, nullptr)), m(o.m) {}
    Mortal& operator=(Mortal&&) = delete;
    ~Mortal() {
        if (!deaths) return;
        std::lock_guard l(*m);
        deaths->push_back(std::this_thread::get_id());
    }
};

// Applied operations go back to the caller and die on its thread while it
// keeps the applying thread busy: what it allocated is freed where it was
// allocated, and the applying thread (Xapian's writer, the busier one) does
// not spend its time freeing documents. A batch applied when nothing else
// waits dies on the applying thread, so nothing is held while the caller
// pauses. Here the first chunk is applied while the second waits.
TEST(WriteQueue, AppliedOperationsDieOnTheCallersThread) {
    std::vector<std::thread::id> deaths;
    std::mutex m;
    std::atomic<bool> started{false}, release{false};
    const auto caller = std::this_thread::get_id();
    {
        WriteQueue<Mortal> q(
            [&](Mortal&) {
                if (!started.exchange(true))
                    while (!release) std::this_thread::yield();
            },
            WriteQueue<Mortal>::Where::OwnThread, /*capacity=*/1000, /*chunk=*/50);
        for (int i = 0; i < 50; ++i) q.push(Mortal(&deaths, &m));  // handed over: the thread holds it
        while (!started) std::this_thread::yield();
        for (int i = 0; i < 50; ++i) q.push(Mortal(&deaths, &m));  // waits behind it
        release = true;
        q.drain();
        std::lock_guard l(m);
        ASSERT_EQ(deaths.size(), 100u) << "drain() left applied operations alive";
        EXPECT_EQ(std::count(deaths.begin(), deaths.end(), caller), 50)
            << "the first chunk dies on the caller's thread, the second (nothing after it) on the applying one";
    }
    // Whatever the timing, each operation dies once.
    deaths.clear();
    {
        WriteQueue<Mortal> q([&](Mortal&) {}, WriteQueue<Mortal>::Where::OwnThread, /*capacity=*/16, /*chunk=*/2);
        for (int i = 0; i < 10'000; ++i) q.push(Mortal(&deaths, &m));
        q.drain();
    }
    EXPECT_EQ(deaths.size(), 10'000u);
}
