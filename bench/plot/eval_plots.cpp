#include "bench/plot/eval_plots.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "bench/perf/report_format.hpp"

namespace trawl::bench::plot {
namespace {

constexpr double kGroupWidth = 0.8;  // of the bars of one metric, around its tic

std::string signed_fixed(double x, int precision) { return (x >= 0 ? "+" : "") + fixed(x, precision); }

// "better on 45, worse on 60, equal on 195 of 300 queries; mean +0.0123 (p = 0.031)"
std::string difference_summary(const std::vector<TopicDifference>& d, const EvalPlotRow& row) {
    std::size_t better = 0, worse = 0;
    double sum = 0;
    for (const auto& t : d) {
        better += t.delta > 0;
        worse += t.delta < 0;
        sum += t.delta;
    }
    std::string s = "better on " + std::to_string(better) + ", worse on " + std::to_string(worse) + ", equal on " +
                    std::to_string(d.size() - better - worse) + " of " + std::to_string(d.size()) + " queries; mean " +
                    signed_fixed(d.empty() ? 0 : sum / double(d.size()), 4);
    if (row.p_values[0]) s += " (p = " + fixed(*row.p_values[0], 3) + ")";
    return s;
}

std::string topics_script(const std::vector<EvalPlotRow>& rows, const std::string& name, const std::string& date) {
    const auto b = baseline_of(rows);
    double reach = 0.05;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (i != b)
            for (const auto& t : topic_differences(rows[b].metrics, rows[i].metrics))
                reach = std::max(reach, std::abs(t.delta) * 1.1);
    std::ostringstream s;
    s << "set multiplot layout " << rows.size() - 1 << ",1 title "
      << quote("Per-query nDCG@10 difference from the baseline, " + rows[b].collection + " (" +
               std::to_string(rows[b].metrics.queries_evaluated) + " queries); baseline: " + rows[b].label + "; " +
               date)
      << "\n"
      << "set xlabel \"queries, sorted by difference (largest gain first)\"\n"
         "set ylabel \"nDCG@10 difference\"\n"
         "set yrange ["
      << number(-reach) << ":" << number(reach)
      << "]\n"
         "set xrange [0:"
      << rows[b].metrics.queries_evaluated + 1 << "]\n"
      << (rows[b].metrics.queries_evaluated <= 20 ? "set xtics 1\n" : "")
      << "set format x \"%.0f\"\n"
         "set xzeroaxis lt -1 lw 1\n"
         "set grid ytics lc rgb \"#dddddd\" dt 1\n"
         "set boxwidth 0.8 relative\n"
         "set key top right box opaque\n";
    std::size_t block = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i == b) continue;
        const auto d = topic_differences(rows[b].metrics, rows[i].metrics);
        s << "\nset title " << quote(rows[i].label + " minus the baseline: " + difference_summary(d, rows[i])) << "\n"
          << "plot " << quote(name + ".tsv") << " index " << block++
          << " using 1:($3 == 0 ? NaN : $3) with boxes fs solid 0.6 noborder"  // ties drawn as nothing
          << " lc rgb \"#333333\" title " << quote(rows[i].label) << "\n";
    }
    s << "unset multiplot\n";
    return s.str();
}

std::string metrics_script(const std::vector<EvalPlotRow>& rows, const std::string& name, const std::string& date) {
    const auto b = baseline_of(rows);
    bool tested = false;
    for (const auto& r : rows)
        for (const auto& p : r.p_values) tested = tested || p.has_value();
    std::string xtics;
    for (std::size_t m = 0; m < kEvalMetrics.size(); ++m)
        xtics += (m ? ", " : "") + quote(kEvalMetrics[m]) + " " + std::to_string(m);
    std::ostringstream s;
    s << "set title "
      << quote("Relevance on " + rows[b].collection + " (" + std::to_string(rows[b].metrics.queries_evaluated) +
               " queries); " + date + "\n" +
               (tested ? "* = differs from the baseline at p < " + fixed(kSignificance, 2) + " (paired test)"
                       : "no significance test in this run"))
      << "\n"
      << "set ylabel \"mean over the queries\"\n"
         "set yrange [0:1.08]\n"
         "set ytics 0,0.1,1\n"
         "set xtics ("
      << xtics
      << ") scale 0\n"
         "set xrange [-0.5:"
      << kEvalMetrics.size() - 0.5
      << "]\n"
         "set grid ytics lc rgb \"#dddddd\" dt 1\n"
         "set boxwidth "
      << number(kGroupWidth / double(rows.size()))
      << "\n"
         "set style fill pattern border lc rgb \"#000000\"\n"
         "set key outside below left Left reverse vertical maxcols 1 samplen 2\n"
         "plot \\\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string label = rows[i].label + (i == b ? " (baseline)" : "");
        s << "  " << quote(name + ".tsv") << " index " << i << " using 2:3 with boxes lc rgb \"#000000\" fs pattern "
          << fill_pattern(i) << " title " << quote(label) << ", \\\n"
          << "  " << quote(name + ".tsv") << " index " << i << " using 2:3:5 with labels offset 0,0.6 notitle"
          << (i + 1 < rows.size() ? ", \\\n" : "\n");
    }
    return s.str();
}

}  // namespace

std::array<double, 5> metric_values(const EvalSummary& m) {
    return {m.ndcg10, m.map, m.mrr10, m.recall100, m.recall1000};
}

std::vector<TopicDifference> topic_differences(const EvalSummary& baseline, const EvalSummary& row) {
    std::map<std::string, double> base;
    for (const auto& q : baseline.per_query) base[q.qid] = q.ndcg10;
    std::vector<TopicDifference> out;
    for (const auto& q : row.per_query)
        if (auto it = base.find(q.qid); it != base.end()) out.push_back({q.qid, q.ndcg10 - it->second});
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.delta != b.delta ? a.delta > b.delta : a.qid < b.qid; });
    return out;
}

std::size_t baseline_of(const std::vector<EvalPlotRow>& rows) {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].baseline) return i;
    return 0;
}

std::string topics_tsv(const std::vector<EvalPlotRow>& rows) {
    std::ostringstream s;
    const auto b = baseline_of(rows);
    bool first = true;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i == b) continue;
        if (!first) s << "\n\n";
        first = false;
        s << "# " << tsv_field(rows[i].label) << " minus " << tsv_field(rows[b].label) << ": nDCG@10 per query\n"
          << "# rank\tqid\tdelta\n";
        std::size_t rank = 0;
        for (const auto& t : topic_differences(rows[b].metrics, rows[i].metrics))
            s << ++rank << "\t" << tsv_field(t.qid) << "\t" << number(t.delta) << "\n";
    }
    return s.str();
}

std::string metrics_tsv(const std::vector<EvalPlotRow>& rows) {
    std::ostringstream s;
    const auto b = baseline_of(rows);
    const double width = kGroupWidth / double(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i > 0) s << "\n\n";
        s << "# " << tsv_field(rows[i].label) << (i == b ? " (baseline)" : "") << "\n"
          << "# metric\tx\tvalue\tp_value\tmark\n";
        const auto values = metric_values(rows[i].metrics);
        for (std::size_t m = 0; m < values.size(); ++m) {
            const double x = double(m) - kGroupWidth / 2 + width * (double(i) + 0.5);
            const auto& p = rows[i].p_values[m];
            s << kEvalMetrics[m] << "\t" << number(x) << "\t" << number(values[m]) << "\t" << (p ? number(*p) : "")
              << "\t" << (p && *p < kSignificance ? "*" : "") << "\n";
        }
    }
    return s.str();
}

void write_eval_plots(PlotDir& dir, const std::string& date, const std::vector<EvalPlotRow>& rows) {
    std::vector<std::string> collections;
    for (const auto& r : rows)
        if (std::find(collections.begin(), collections.end(), r.collection) == collections.end())
            collections.push_back(r.collection);
    for (const auto& c : collections) {
        std::vector<EvalPlotRow> of;
        for (const auto& r : rows)
            if (r.collection == c) of.push_back(r);
        const std::string name = "eval-" + slug(c);
        dir.write(name + "-metrics.tsv", metrics_tsv(of));
        dir.write_script(name + "-metrics", "Relevance metrics per configuration on " + c + " (trawl-bench eval)", 900,
                         430 + 18 * int(of.size()), metrics_script(of, name + "-metrics", date));
        if (of.size() < 2) continue;  // nothing to compare with the baseline
        dir.write(name + "-topics.tsv", topics_tsv(of));
        dir.write_script(name + "-topics",
                         "Per-query nDCG@10 difference from the baseline on " + c + " (trawl-bench eval)", 900,
                         80 + 230 * int(of.size() - 1), topics_script(of, name + "-topics", date));
    }
}

}  // namespace trawl::bench::plot
