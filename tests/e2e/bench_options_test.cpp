// End-to-end: trawl-bench refuses bad options up front, with one line on
// stderr and exit 2, before reading or indexing anything.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/testutil/run_command.hpp"

using trawl::test::run_command;

namespace {

struct BadOption {
    std::string args;     // after "trawl-bench"
    std::string message;  // expected on stderr
};

void expect_refused(const std::vector<BadOption>& cases) {
    for (const auto& c : cases) {
        auto r = run_command(std::string(TRAWL_BENCH_BIN) + " " + c.args);
        EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
        EXPECT_EQ(r.out, "") << c.args;
    }
}

// A negative count was read as 4294967295: runs that never ended
// (--repetitions -1), wrong settings ("top 4294967295") or a late crash
// (eval --depth -1 with Lucene). The bounds are trawl-index's and
// trawl-query's where they have the option (--near-window: NEAR/1..1000).
TEST(BenchOptions, CountOptionsOutOfRangeAreRefused) {
    const std::string query = "query --db /nonexistent.idx --queries /nonexistent.tsv ";
    expect_refused({
        {query + "--repetitions -1", "--repetitions must be a number from 1 to 1000, not -1"},
        {query + "--warmup -1", "--warmup must be a number from 0 to 1000, not -1"},
        {query + "--limit -1", "--limit must be a number from 1 to 4294967295, not -1"},
        {query + "--slowest -2", "--slowest must be a number from 0"},
        {query + "--count-limit -1", "--count-limit must be a number from 0 to 4294967295, not -1"},
        {"spelling --db /nonexistent.idx --queries -1", "--queries must be a number from 1 to 1000000, not -1"},
        {"spelling --db /nonexistent.idx --failures -1", "--failures must be a number from 0"},
        {"spelling --db /nonexistent.idx --suspect -1", "--suspect must be a number from 0"},
        {"spelling --db /nonexistent.idx --min-passages -1", "--min-passages must be a number from 0"},
        {"compare --queries-per-kind -1 /nonexistent", "--queries-per-kind must be a number from 1 to 1000000"},
        {"compare --near-window -1 /nonexistent", "--near-window must be a number from 1 to 1000, not -1"},
        {"compare --near-window 1001 /nonexistent", "--near-window must be a number from 1 to 1000, not 1001"},
        {"compare --limit -1 /nonexistent", "--limit must be a number from 1"},
        {"compare --index-threads -1 /nonexistent", "--index-threads must be a number from 1 to 256"},
        {"compare --overlap -1 /nonexistent", "--overlap must be a number from 0"},
        {"scale --limit -1 /nonexistent", "--limit must be a number from 1"},
        {"scale --repetitions 0 /nonexistent", "--repetitions must be a number from 1 to 1000, not 0"},
        {"scale --index-threads 0 /nonexistent", "--index-threads must be a number from 1 to 256"},
        {"index --threads -1 /nonexistent", "--threads must be a number from 1 to 256, not -1"},
        {"index --memory -1 /nonexistent", "--memory must be a number from 16"},
        {"index --passage-words -1 /nonexistent", "--passage-words must be a number from 0"},
        {"eval -w -5 /nonexistent", "--passage-words must be a number from 0 to 4294967295, not -5"},
        {"eval --depth -1 /nonexistent", "--depth must be a number from 1 to 1000000, not -1"},
        {"eval --window -1 /nonexistent", "--window must be a number from 1"},
        {"eval --rerank-depth -1 /nonexistent", "--rerank-depth must be a number from 0"},
    });
}

// Checks that came only after reading and indexing every collection (or,
// for compare, after the whole run) are made first.
TEST(BenchOptions, PeersBaselineAndOutputFilesAreCheckedBeforeAnyWork) {
    expect_refused({
        {"eval --peers lucen /nonexistent", "--peers: unknown peer 'lucen'"},
        {"eval --peers none --baseline lucene /nonexistent", "--baseline: no row named 'lucene-8'"},
        {"eval --peers none --baseline 'passages maxp' /nonexistent", "--baseline: no row named 'passages maxp'"},
        {"compare --peers none --save-queries /nonexistent/dir/q.tsv /nonexistent",
         "/nonexistent/dir/q.tsv: cannot write the queries"},
    });
}

// spelling's probabilities and mixing weight are from 0 to 1.
TEST(BenchOptions, SpellingSharesAreFromZeroToOne) {
    expect_refused({
        {"spelling --db /nonexistent.idx --typo-rate 2", "--typo-rate must be from 0 to 1"},
        {"spelling --db /nonexistent.idx --typo-rate -1", "--typo-rate must be from 0 to 1"},
        {"spelling --db /nonexistent.idx --together-share 5", "--together-share must be from 0 to 1"},
    });
}

// eval's rankings are trawl-query's: it refuses what trawl-query refuses.
TEST(BenchOptions, EvalRankingValuesAreTrawlQuerysRanges) {
    expect_refused({
        {"eval --b 1.5 /nonexistent", "--b must be from 0 to 1"},
        {"eval --b 0.5,1.5 /nonexistent", "--b must be from 0 to 1"},
        {"eval --k1 inf /nonexistent", "--k1 must be a number from 0 to 1000"},
        {"eval --k1 1e308 /nonexistent", "--k1 must be a number from 0 to 1000"},
        {"eval --proximity inf /nonexistent", "--proximity must be a number from 0 to 1000"},
        {"eval --proximity 1e308 /nonexistent", "--proximity must be a number from 0 to 1000"},
        {"eval --article-weight 2 /nonexistent", "--article-weight must be from 0 to 1"},
        {"eval --expand 2 /nonexistent", "--expand must be 0 or 1, not 2"},
        {"eval --expand 0.5 /nonexistent", "--expand must be 0 or 1, not 0.5"},
        {"eval --window 0 /nonexistent", "--window must be a number from 1"},
    });
}

}  // namespace
