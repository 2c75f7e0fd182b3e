// trawl-bench scale --plot: indexing time, index size and p50/p99 query
// latency against the corpus factor, each beside the line that grows
// linearly from the first factor's figure (data + gnuplot script, plot/gnuplot.hpp).
#pragma once

#include <string>
#include <vector>

#include "bench/perf/scale_report.hpp"
#include "bench/plot/gnuplot.hpp"

namespace trawl::bench::plot {

// A header, then one line per factor: factor, input_mb, passages, wall_s,
// cpu_s, peak_rss_mb, index_mb, bow_p50_ms, bow_p99_ms, phrase_p50_ms,
// phrase_p99_ms, then for wall_s, cpu_s, index_mb and the four latencies the
// linear reference: the first row's figure times factor / first factor.
std::string scale_tsv(const std::vector<ScaleRow>& rows);

// Writes scale.{tsv,gp}: three panels (time, size, latency) against the factor.
void write_scale_plots(PlotDir& dir, const PlotLabels& labels, const std::vector<ScaleRow>& rows);

}  // namespace trawl::bench::plot
