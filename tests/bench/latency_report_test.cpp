// Latency and scaling reports: percentiles, ratio rows and the printed
// tables, on hand-made figures; and the timed passes' bookkeeping.
#include "bench/perf/latency_report.hpp"

#include <atomic>
#include <sstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bench/latency.hpp"
#include "bench/perf/scale_report.hpp"

namespace trawl::bench {
namespace {

LatencyTable sample_table() {
    LatencyTable t;
    t.title = "phrase (4 queries)";
    t.threads = {1, 2};
    t.rows.push_back(latency_row("trawl", {1000, 2000, 3000, 4000}, 4, {500, 900}));
    t.rows.push_back(latency_row("trawl --by-article", {1000, 1000, 1000, 1000}, 3, {600, 1000}));
    t.rows.push_back(latency_row("lucene-8", {4000, 4000, 8000, 8000}, 4, {250, 300}));
    t.peer_rows = {2};
    return t;
}

TEST(LatencyReport, PercentilesAreNearestRank) {
    EXPECT_EQ(percentile({4, 1, 3, 2}, 0.5), 2);
    EXPECT_EQ(percentile({4, 1, 3, 2}, 0.95), 4);
    EXPECT_EQ(percentile({5}, 0.99), 5);
    EXPECT_EQ(percentile({}, 0.5), 0);
    auto row = latency_row("x", {1000, 2000, 3000, 4000}, 4, {});
    EXPECT_DOUBLE_EQ(row.p50_ms, 2.0);
    EXPECT_DOUBLE_EQ(row.p95_ms, 4.0);
    EXPECT_DOUBLE_EQ(row.p99_ms, 4.0);
    EXPECT_EQ(row.queries, 4u);
}

TEST(LatencyReport, SlowestQueriesAreListedSlowestFirstWithTheirPlace) {
    const auto row = latency_row("trawl", {3000, 9000, 1000, 9000, 5000}, 5, {});
    const auto slow = slowest_queries(row, 3);
    ASSERT_EQ(slow.size(), 3u);
    EXPECT_DOUBLE_EQ(slow[0].first, 9.0);
    EXPECT_EQ(slow[0].second, 1u) << "ties keep query order";
    EXPECT_EQ(slow[1].second, 3u);
    EXPECT_DOUBLE_EQ(slow[2].first, 5.0);
    EXPECT_EQ(slow[2].second, 4u);
    EXPECT_EQ(slowest_queries(row, 10).size(), 5u) << "no more than there are";
}

TEST(LatencyReport, RatioRowsAreTrawlOverEachPeerForEveryFigure) {
    auto ratios = ratio_rows(sample_table());
    ASSERT_EQ(ratios.size(), 1u) << "the by-article row gets no ratio";
    EXPECT_EQ(ratios[0].name, "trawl/lucene-8");
    EXPECT_DOUBLE_EQ(ratios[0].p50, 0.5);  // 2 ms / 4 ms
    EXPECT_DOUBLE_EQ(ratios[0].p95, 0.5);  // 4 / 8
    EXPECT_DOUBLE_EQ(ratios[0].p99, 0.5);
    ASSERT_EQ(ratios[0].qps.size(), 2u);
    EXPECT_DOUBLE_EQ(ratios[0].qps[0], 2.0);  // 500 / 250
    EXPECT_DOUBLE_EQ(ratios[0].qps[1], 3.0);  // 900 / 300
}

TEST(LatencyReport, TextTableHasARowPerEngineAndRatioRows) {
    std::ostringstream out;
    print_latency_table(out, sample_table());
    EXPECT_EQ(out.str(),
              "phrase (4 queries)\n"
              "engine                        matched   p50 ms   p95 ms   p99 ms    QPS 1t    QPS 2t\n"
              "trawl                             4/4    2.000    4.000    4.000       500       900\n"
              "trawl --by-article                3/4    1.000    1.000    1.000       600      1000\n"
              "lucene-8                          4/4    4.000    8.000    8.000       250       300\n"
              "trawl/lucene-8                           0.50x    0.50x    0.50x     2.00x     3.00x\n");
}

TEST(LatencyReport, JsonHasRowsRatiosAndQpsByThreadCount) {
    auto j = latency_table_json(sample_table());
    EXPECT_EQ(j.at("title"), "phrase (4 queries)");
    ASSERT_EQ(j.at("rows").size(), 3u);
    EXPECT_EQ(j.at("rows")[2].at("engine"), "lucene-8");
    EXPECT_EQ(j.at("rows")[1].at("matched"), 3);
    EXPECT_DOUBLE_EQ(j.at("rows")[0].at("qps").at("2").get<double>(), 900);
    ASSERT_EQ(j.at("ratios").size(), 1u);
    EXPECT_DOUBLE_EQ(j.at("ratios")[0].at("p99").get<double>(), 0.5);
}

TEST(LatencyReport, ZeroPeerFiguresGiveZeroRatiosNotInfinity) {
    auto t = sample_table();
    t.rows[2].qps = {0, 0};
    auto ratios = ratio_rows(t);
    EXPECT_EQ(ratios[0].qps[0], 0);
}

TEST(TimePasses, EveryQueryRunsOncePerPassOnSomeThread) {
    for (unsigned threads : {1u, 2u, 3u}) {
        std::vector<std::atomic<int>> calls(7);
        std::atomic<unsigned> workers{0};
        auto timed = time_passes(calls.size(), threads, 2, 3, [&](unsigned) {
            ++workers;
            return [&](std::size_t i) { ++calls[i]; };
        });
        EXPECT_EQ(workers, threads);
        for (auto& c : calls) EXPECT_EQ(c, 5) << threads << " threads: 2 warm-up + 3 timed passes";
        EXPECT_EQ(timed.micros.size(), calls.size());
        EXPECT_GE(timed.wall_seconds, 0);
    }
}

TEST(TimePasses, AWorkersFailureIsRethrown) {
    EXPECT_THROW(time_passes(4, 2, 0, 1,
                             [](unsigned t) -> QueryWorker {
                                 if (t == 1) throw std::runtime_error("cannot open");
                                 return [](std::size_t) {};
                             }),
                 std::runtime_error);
}

TEST(ScaleReport, RowsAndRatiosToTheFirstFactor) {
    ScaleRow one{1, 10, 20, 1000000, 2.0, 1.5, 50000000, 4000000, {0.5, 1.0}, {0.2, 0.4}};
    ScaleRow two{2, 20, 40, 2000000, 4.0, 3.0, 60000000, 8000000, {0.6, 1.5}, {0.3, 0.4}};
    std::ostringstream out;
    print_scale_table(out, {one, two});
    EXPECT_EQ(out.str(),
              "factor    input MB  passages    wall s     cpu s    RSS MB  index MB   bow p50   bow p99   phr p50   "
              "phr p99   (latency in ms)\n"
              "1x             1.0        20      2.00      1.50      50.0       4.0     0.500     1.000     0.200     "
              "0.400\n"
              "2x             2.0        40      4.00      3.00      60.0       8.0     0.600     1.500     0.300     "
              "0.400\n"
              "2x/1x        2.00x     2.00x     2.00x     2.00x     1.20x     2.00x     1.20x     1.50x     1.50x     "
              "1.00x\n");
    auto back = scale_row_from_json(scale_row_json(two));
    EXPECT_EQ(back.passages, 40u);
    EXPECT_EQ(back.phrase_ms, two.phrase_ms);
    EXPECT_EQ(back.peak_rss_bytes, two.peak_rss_bytes);
}

}  // namespace
}  // namespace trawl::bench
