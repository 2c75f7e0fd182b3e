// The progress line's text: phase, percentage, time left.
#include "indexer/progress.hpp"

#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

// The lines a Progress drew, in order (each starts "\r\x1b[K"; an empty one
// is a clear()).
std::vector<std::string> drawn(const std::string& out) {
    std::vector<std::string> lines;
    const std::string erase = "\r\x1b[K";
    for (std::size_t at = out.find(erase); at != std::string::npos;) {
        const auto next = out.find(erase, at + erase.size());
        auto line =
            out.substr(at + erase.size(), next == std::string::npos ? std::string::npos : next - at - erase.size());
        if (!line.empty()) lines.push_back(line);
        at = next;
    }
    return lines;
}

// Every line names its phase, and within a phase the percentage never goes
// down: "indexing: 40%" is not followed by "indexing: 0%" when the
// dictionary's training comes between (resume()), nor by "indexing: 10%"
// when the pipeline's count of articles dips (held articles released to the
// workers). It used to show "indexing: 0%" after training: on a small corpus
// the line went 100% -> training -> 0% -> 100%.
TEST(Progress, EachPhaseIsNamedAndItsPercentageNeverGoesBack) {
    std::ostringstream err;
    Progress p(err, true);
    p.phase(Phase::Learning, 1000);
    p.clear();  // (each clear() lets the next figure be drawn at once: no timing)
    p.advance(1000, "12 articles, 1.0 KB read");
    p.phase(Phase::Indexing, 100);
    p.clear();
    p.update(40, 80, 5000);
    p.phase(Phase::Training);
    p.resume();
    p.clear();
    p.update(10, 20, 0);
    p.clear();
    p.update(100, 180, 0);
    p.phase(Phase::Committing);
    const auto lines = drawn(err.str());
    const std::vector<std::string> phases = {"reading for boilerplate statistics", "indexing",
                                             "training the dictionary", "committing"};
    std::map<std::string, int> last;  // phase -> the percentage it showed last
    std::vector<std::string> sequence;
    for (const auto& line : lines) {
        std::string name;
        for (const auto& ph : phases)
            if (line.starts_with(ph)) name = ph;
        ASSERT_FALSE(name.empty()) << "no phase named: " << line;
        const auto pct = line.find('%');
        if (pct == std::string::npos) continue;
        const int value = std::stoi(line.substr(name.size() + 2, pct - name.size() - 2));
        if (last.contains(name)) {
            EXPECT_GE(value, last[name]) << line << " after " << last[name] << "%";
        }
        last[name] = value;
        sequence.push_back(name + " " + std::to_string(value));
    }
    EXPECT_EQ(sequence, (std::vector<std::string>{"reading for boilerplate statistics 0",
                                                  "reading for boilerplate statistics 100", "indexing 0", "indexing 40",
                                                  "indexing 40", "indexing 40", "indexing 100"}));
    // Back from training: the figures of before, not "indexing: 0%".
    EXPECT_EQ(lines.at(5), "indexing: 40% (40 of 100 articles, 80 passages, 0.0 MB read)");
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
