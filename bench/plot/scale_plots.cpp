#include "bench/plot/scale_plots.hpp"

#include <sstream>

#include "bench/perf/report_format.hpp"

namespace trawl::bench::plot {
namespace {

// Indexes into scale_figures() of the figures that get a linear reference column.
constexpr std::size_t kLinear[] = {2, 3, 5, 6, 7, 8, 9};

struct Series {
    int column;         // data column (1-based)
    int linear_column;  // its linear reference
    const char* title;
};

// One panel: each series with points, its linear reference as a thin grey
// line; `log_y` for figures an order of magnitude apart (p50 and p99).
std::string panel(const char* title, const char* ylabel, const std::vector<Series>& series, bool log_y = false) {
    std::ostringstream s;
    s << "set title " << quote(title) << "\nset ylabel " << quote(ylabel) << "\n"
      << (log_y ? "set logscale y\nset yrange [*:*]\nset format y \"%g\"\n" : "set yrange [0:*]\n") << "plot \\\n";
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& x = series[i];
        s << "  \"scale.tsv\" using 1:" << x.linear_column << " with lines lc rgb \"#999999\" lw 1 dt 3 "
          << (i == 0 ? "title \"linear from the first factor\"" : "notitle") << ", \\\n"
          << "  \"scale.tsv\" using 1:" << x.column << " with linespoints ls " << i + 1 << " title " << quote(x.title)
          << (i + 1 < series.size() ? ", \\\n" : "\n\n");
    }
    return s.str();
}

std::string scale_script(const std::vector<ScaleRow>& rows, const PlotLabels& labels) {
    const auto& first = rows.front();
    std::ostringstream s;
    std::string xtics;
    for (const auto& r : rows)
        xtics += (xtics.empty() ? "" : ", ") + quote(std::to_string(r.factor) + "x") + " " + std::to_string(r.factor);
    s << "set multiplot layout 1,3 title "
      << quote(engine_label("trawl") + " as the corpus grows: " + labels.corpus + " copied 1x, 2x... (" +
               std::to_string(first.factor) + "x = " + std::to_string(first.articles) + " articles, " +
               fixed(double(first.input_bytes) / 1e6, 1) + " MB of text); " + labels.date)
      << "\n"
      << "set xlabel \"corpus size (copies of the corpus)\"\n"
      << "set xtics (" << xtics << ")\n"
      << "set xrange [0:" << rows.back().factor + 0.5 << "]\n"
      << "set grid xtics ytics lc rgb \"#dddddd\" dt 1\n"
      << "# keys below the panels, in one bottom margin for all three so the panels line up\n"
      << "set key outside below left Left reverse vertical maxcols 1 samplen 2\n"
      << "set bmargin 10\n\n"
      << panel("Indexing time", "seconds", {{4, 12, "wall clock"}, {5, 13, "CPU"}})
      << panel("Index size", "MB on disk", {{7, 14, "index"}})
      << panel(
             "Query latency (top 10 with snippets, one thread)", "ms per query (log scale)",
             {{8, 15, "bag-of-words p50"}, {9, 16, "bag-of-words p99"}, {10, 17, "phrase p50"}, {11, 18, "phrase p99"}},
             true)
      << "unset multiplot\n";
    return s.str();
}

}  // namespace

std::string scale_tsv(const std::vector<ScaleRow>& rows) {
    std::ostringstream s;
    s << "# factor\tinput_mb\tpassages\twall_s\tcpu_s\tpeak_rss_mb\tindex_mb\tbow_p50_ms\tbow_p99_ms\tphrase_p50_ms"
         "\tphrase_p99_ms\twall_s_linear\tcpu_s_linear\tindex_mb_linear\tbow_p50_ms_linear\tbow_p99_ms_linear"
         "\tphrase_p50_ms_linear\tphrase_p99_ms_linear\n";
    if (rows.empty()) return s.str();
    const auto base = scale_figures(rows.front());
    for (const auto& r : rows) {
        const auto f = scale_figures(r);
        s << r.factor;
        for (double x : f) s << "\t" << number(x);
        const double growth = double(r.factor) / double(rows.front().factor);
        for (auto i : kLinear) s << "\t" << number(base[i] * growth);
        s << "\n";
    }
    return s.str();
}

void write_scale_plots(PlotDir& dir, const PlotLabels& labels, const std::vector<ScaleRow>& rows) {
    if (rows.empty()) return;
    dir.write("scale.tsv", scale_tsv(rows));
    dir.write_script("scale",
                     "Indexing time, index size and query latency against the corpus factor (trawl-bench scale)", 1260,
                     540, scale_script(rows, labels));
}

}  // namespace trawl::bench::plot
