#include "indexer/write_queue.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>
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

// At most `capacity` operations wait for the thread: the caller is held back
// (here, until the thread is released) instead of queueing without bound.
TEST(WriteQueue, TheCallerWaitsWhenTheQueueIsFull) {
    std::atomic<bool> release{false};
    std::atomic<int> applied{0};
    std::atomic<int> pushed{0};
    WriteQueue<int> q(
        [&](int&) {
            while (!release) std::this_thread::yield();
            ++applied;
        },
        Where::OwnThread, /*capacity=*/8, /*chunk=*/2);
    std::thread pusher([&] {
        for (int i = 0; i < 100; ++i) {
            q.push(i);
            ++pushed;
        }
        q.drain();
    });
    // The thread holds at most one chunk in hand and `capacity` wait: the
    // pusher stops at the chunk it cannot hand over, whatever the timing.
    while (pushed < 8) std::this_thread::yield();
    int most = 0;
    for (int spin = 0; spin < 100'000; ++spin) {
        most = std::max(most, pushed.load());
        std::this_thread::yield();
    }
    EXPECT_LE(most, 8 + 2) << "pushed past the queue's capacity while nothing was applied";
    release = true;
    pusher.join();
    EXPECT_EQ(applied, 100);
}

// The bound is on weight (bytes), not on the number of operations: one of
// 500, heavier than the capacity of 100, goes through alone and holds back
// the next until it is applied.
TEST(WriteQueue, TheBoundCountsWhatEachOperationWeighs) {
    std::atomic<bool> release{false};
    std::atomic<int> applied{0};
    std::atomic<int> pushed{0};
    WriteQueue<int> q(
        [&](int&) {
            while (!release) std::this_thread::yield();
            ++applied;
        },
        Where::OwnThread, /*capacity=*/100, /*chunk=*/1);
    std::thread pusher([&] {
        q.push(0, 500);  // heavier than the capacity: handed over alone
        ++pushed;
        q.push(1, 60);
        ++pushed;
        q.push(2, 60);
        ++pushed;
        q.drain();
    });
    while (pushed < 1) std::this_thread::yield();
    int most = 0;
    for (int spin = 0; spin < 100'000; ++spin) {
        most = std::max(most, pushed.load());
        std::this_thread::yield();
    }
    EXPECT_EQ(most, 1) << "an operation was queued beside one heavier than the capacity";
    release = true;
    pusher.join();
    EXPECT_EQ(applied, 3);
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
