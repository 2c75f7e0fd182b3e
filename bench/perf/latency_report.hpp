// Query latency tables (pure): one table per query kind with a row per engine
// (matched share, p50/p95/p99 ms, QPS at 1 and 2 threads) and Trawl/peer
// ratio rows for every figure, as text or JSON.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace trawl::bench {

struct LatencyRow {
    std::string engine;
    std::size_t queries = 0;
    std::size_t matched = 0;                    // queries with at least one hit
    double p50_ms = 0, p95_ms = 0, p99_ms = 0;  // one thread, each query's median over repetitions
    std::vector<double> qps;                    // one per thread count of the table (total queries / wall)
    std::vector<double> micros;                 // each query's latency behind the percentiles, in query order (plots)
    // Queries the engine refused as malformed (timed, matching nothing): a
    // row with any is not comparable with another engine's (no ratio row).
    std::size_t malformed = 0;
};

// Builds a row from the per-query latencies (microseconds, one thread) and
// the QPS measured at each thread count.
LatencyRow latency_row(std::string engine, const std::vector<double>& micros, std::size_t matched,
                       std::vector<double> qps);

struct LatencyTable {
    std::string title;              // "bag-of-words (200 queries, top 10 with snippets)"
    std::vector<unsigned> threads;  // the thread counts of the QPS columns
    std::vector<LatencyRow> rows;
    // Rows that get a ratio row against each `peers` row: the Trawl row
    // (the first), 0-based; peers = the rows whose engine is not Trawl's.
    std::size_t trawl_row = 0;
    std::vector<std::size_t> peer_rows;
};

// Trawl's figure divided by the peer's: for latencies below 1 means Trawl is
// faster, for QPS above 1 does. 0 when the peer's figure is 0. None for a
// pair where either row had malformed queries: a query refused at parsing
// costs nothing, and the ratio would compare unlike work.
struct RatioRow {
    std::string name;  // "trawl/lucene-8"
    double p50 = 0, p95 = 0, p99 = 0;
    std::vector<double> qps;
};
std::vector<RatioRow> ratio_rows(const LatencyTable& table);

// The table as aligned text: a title line, a header, engine rows, ratio rows,
// and a line per row with malformed queries.
void print_latency_table(std::ostream& out, const LatencyTable& table);

// {"title", "threads", "rows": [{engine, queries, matched, p50_ms, p95_ms,
// p99_ms, qps: {"1": x, "2": y}, malformed}], "ratios": [{name, p50, p95, p99, qps}]}
nlohmann::json latency_table_json(const LatencyTable& table);

// The `n` slowest queries of a row: (ms, index into its micros), slowest
// first, ties by query order.
std::vector<std::pair<double, std::size_t>> slowest_queries(const LatencyRow& row, std::size_t n);

}  // namespace trawl::bench
