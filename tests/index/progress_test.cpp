// The progress line's text: phase, percentage, time left.
#include "indexer/progress.hpp"

#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace trawl::index {
namespace {

TEST(ProgressLine, PhaseWithoutATotalShowsItsDetailOnly) {
    EXPECT_EQ(progress_line(Phase::Learning, 5000, 0, 3, "5.0 KB read"),
              "reading for boilerplate statistics: 5.0 KB read");
    EXPECT_EQ(progress_line(Phase::Committing, 0, 0, 1, ""), "committing");
}

TEST(ProgressLine, PercentageAndTimeLeftOnceThereIsSomethingToGoBy) {
    EXPECT_EQ(progress_line(Phase::Indexing, 0, 1000, 0, ""), "indexing: 0%");
    EXPECT_EQ(progress_line(Phase::Indexing, 250, 1000, 10, "x"), "indexing: 25% (x), 30 s left");
    EXPECT_EQ(progress_line(Phase::Merging, 500, 1000, 0.5, "postlist table"), "merging shards: 50% (postlist table)");
    EXPECT_EQ(progress_line(Phase::Compacting, 100, 1000, 600, ""), "compacting: 10%, 1 h 30 min left");
    EXPECT_EQ(progress_line(Phase::Indexing, 2000, 1000, 5, ""), "indexing: 100%");
}

TEST(Progress, DisabledWritesNothingAndPhasesDrawAtOnce) {
    std::ostringstream off, on;
    Progress quiet(off, false);
    quiet.phase(Phase::Indexing, 10);
    quiet.update(1, 2, 3);
    quiet.clear();
    EXPECT_EQ(off.str(), "");
    Progress p(on, true);
    p.phase(Phase::Training);
    p.phase(Phase::Merging, 100);
    EXPECT_EQ(on.str(), "\r\x1b[Ktraining the dictionary\r\x1b[Kmerging shards: 0%");
    p.clear();
    EXPECT_EQ(on.str().substr(on.str().size() - 4), "\r\x1b[K");
}

}  // namespace
}  // namespace trawl::index

// Workers report skipped records (trawl-index prints them through message())
// while the reading thread redraws the line: each message comes out whole, on
// a line of its own, and the line is never drawn into the middle of one.
TEST(Progress, MessagesFromAnotherThreadComeOutWholeBetweenRedraws) {
    std::ostringstream err;
    trawl::index::Progress progress(err, true);
    progress.phase(trawl::index::Phase::Indexing, 1000000);
    constexpr int kMessages = 2000;
    std::thread reporter([&] {
        for (int i = 0; i < kMessages; ++i)
            progress.message("trawl-index: f.jsonl:" + std::to_string(i) + ": skipped: empty text");
    });
    for (int i = 0; i < 200000; ++i) {
        progress.update(static_cast<std::uint64_t>(i), 2 * static_cast<std::uint64_t>(i), 0);
        if (i % 1000 == 0) progress.clear();  // the next update draws at once
    }
    reporter.join();
    const std::string out = err.str();
    for (int i = 0; i < kMessages; ++i) {
        const std::string line = "trawl-index: f.jsonl:" + std::to_string(i) + ": skipped: empty text\n";
        const auto at = out.find(line);
        const bool line_start =
            at != std::string::npos && at >= 1 && (out[at - 1] == '\n' || out.compare(at - 3, 3, "\x1b[K") == 0);
        if (!line_start) {
            ADD_FAILURE() << "message " << i << " not whole at the start of a line";
            break;
        }
    }
}
