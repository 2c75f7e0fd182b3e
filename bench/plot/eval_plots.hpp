// trawl-bench eval --plot, per collection: the per-topic difference plot
// (each configuration's or peer's nDCG@10 minus the baseline's, query by
// query, sorted) and the metric table as grouped bars with significance
// marks (data + gnuplot script, plot/gnuplot.hpp).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "bench/eval/metrics.hpp"
#include "bench/plot/gnuplot.hpp"

namespace trawl::bench::plot {

// The metrics of the bars, in this order.
inline constexpr std::array<const char*, 5> kEvalMetrics = {"nDCG@10", "MAP", "MRR@10", "R@100", "R@1000"};
std::array<double, 5> metric_values(const EvalSummary& m);

// Below this p-value a difference from the baseline is marked "*".
inline constexpr double kSignificance = 0.05;

// One engine configuration's run over one collection, as the plots see it.
struct EvalPlotRow {
    std::string collection;
    std::string label;  // engine with version and configuration: "trawl 0.1.0 k1=2 b=0.6 art=0.75/doc prox=0 exp=0"
    EvalSummary metrics;
    // p-value of the difference from the baseline, per kEvalMetrics entry;
    // unset when no test was run (then no mark is drawn).
    std::array<std::optional<double>, 5> p_values{};
    bool baseline = false;  // the row the others are compared with; default: the collection's first
};

// One query's nDCG@10 difference, `row` minus baseline.
struct TopicDifference {
    std::string qid;
    double delta = 0;
};
// Over the queries both evaluated, largest gain first (ties by qid).
std::vector<TopicDifference> topic_differences(const EvalSummary& baseline, const EvalSummary& row);

// The rows of one collection: the baseline's index among them (flagged, else 0).
std::size_t baseline_of(const std::vector<EvalPlotRow>& rows);

// One block per row other than the baseline (two blank lines apart): a
// comment naming it, then "rank<TAB>qid<TAB>delta" from topic_differences().
std::string topics_tsv(const std::vector<EvalPlotRow>& rows);
// One block per row: a comment naming it, then per metric
// "metric<TAB>x<TAB>value<TAB>p_value<TAB>mark" (x: the bar's centre; p_value
// and mark empty when untested; mark "*" when p < kSignificance).
std::string metrics_tsv(const std::vector<EvalPlotRow>& rows);

// Writes eval-<collection>-topics.{tsv,gp} and eval-<collection>-metrics.{tsv,gp}
// for each collection of `rows` (in the order they first appear).
void write_eval_plots(PlotDir& dir, const std::string& date, const std::vector<EvalPlotRow>& rows);

}  // namespace trawl::bench::plot
