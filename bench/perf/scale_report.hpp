// The scaling table (pure): one row per corpus factor (indexing time, peak
// RSS, index size, query latency) and each figure's ratio to the first row.
#pragma once

#include <cstdint>
#include <ostream>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace trawl::bench {

struct ScaleRow {
    unsigned factor = 1;
    std::uint64_t articles = 0, passages = 0;
    std::uint64_t input_bytes = 0;
    double wall_seconds = 0, cpu_seconds = 0;
    std::uint64_t peak_rss_bytes = 0;
    std::uint64_t index_bytes = 0;
    std::pair<double, double> words_ms{0, 0};   // bag-of-words p50, p99
    std::pair<double, double> phrase_ms{0, 0};  // phrase p50, p99
};

// A row's figures in the table's (and the plot data file's) column order:
// input MB, passages, wall s, cpu s, RSS MB, index MB, bow p50/p99, phrase p50/p99.
std::vector<double> scale_figures(const ScaleRow& row);

nlohmann::json scale_row_json(const ScaleRow& row);
ScaleRow scale_row_from_json(const nlohmann::json& j);

// Rows "1x", "2x"... then ratio rows "2x/1x"... (each figure over the first
// row's): linear growth shows as ratios equal to the factor ratio.
void print_scale_table(std::ostream& out, const std::vector<ScaleRow>& rows);
// The same table in parts, for printing each row as soon as it is measured.
void print_scale_header(std::ostream& out);
void print_scale_row(std::ostream& out, const ScaleRow& row);
void print_scale_ratios(std::ostream& out, const std::vector<ScaleRow>& rows);

}  // namespace trawl::bench
