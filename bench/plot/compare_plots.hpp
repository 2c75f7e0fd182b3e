// trawl-bench compare --plot: the latency distribution of every engine per
// query kind (an empirical CDF on a log time axis, p50 and p99 marked) and
// indexing throughput and index size per engine (bars, Trawl's size split by
// Xapian table), each as data + gnuplot script (plot/gnuplot.hpp).
#pragma once

#include <string>
#include <vector>

#include "bench/perf/index_bench.hpp"
#include "bench/perf/latency_report.hpp"
#include "bench/plot/gnuplot.hpp"

namespace trawl::bench::plot {

// The query kind of a latency table ("bag-of-words", "NEAR/10"): its title up to " (".
std::string table_kind(const LatencyTable& table);

// One block per engine row (two blank lines apart, gnuplot's `index`): a
// comment naming the engine, then "latency_ms<TAB>fraction" from (fastest, 0)
// through every query's latency, sorted, with the share of queries at or
// below it: the empirical CDF.
std::string latency_cdf_tsv(const LatencyTable& table);
// A header, then per engine row: engine, p50_ms, p95_ms, p99_ms, queries, matched.
std::string latency_percentiles_tsv(const LatencyTable& table);
// A header, then per engine: engine, x (0, 1...), wall_s, mb_per_s, units_per_s,
// index_mb, x_input, and for Trawl postlist_mb, position_mb, rest_mb (the
// table split of print_index_table(); empty for peers).
std::string index_tsv(const BenchCorpus& corpus, const std::vector<IndexRow>& rows);

// Writes compare-index.{tsv,gp} and compare-latency-<kind>.{tsv,gp} (plus
// -percentiles.tsv) per table into `dir`.
void write_compare_plots(PlotDir& dir, const PlotLabels& labels, const BenchCorpus& corpus,
                         const std::vector<IndexRow>& rows, const std::vector<LatencyTable>& tables);

}  // namespace trawl::bench::plot
