#include "bench/perf/scale_report.hpp"

#include <iomanip>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/perf/report_format.hpp"

namespace trawl::bench {
namespace {

constexpr const char* kColumns[] = {"input MB", "passages", "wall s",  "cpu s",   "RSS MB",
                                    "index MB", "bow p50",  "bow p99", "phr p50", "phr p99"};
constexpr int kPrecision[] = {1, 0, 2, 2, 1, 1, 3, 3, 3, 3};

}  // namespace

std::vector<double> scale_figures(const ScaleRow& r) {
    return {double(r.input_bytes) / 1e6,
            double(r.passages),
            r.wall_seconds,
            r.cpu_seconds,
            double(r.peak_rss_bytes) / 1e6,
            double(r.index_bytes) / 1e6,
            r.words_ms.first,
            r.words_ms.second,
            r.phrase_ms.first,
            r.phrase_ms.second};
}

nlohmann::json scale_row_json(const ScaleRow& r) {
    return {{"factor", r.factor},
            {"articles", r.articles},
            {"passages", r.passages},
            {"input_bytes", r.input_bytes},
            {"wall_seconds", r.wall_seconds},
            {"cpu_seconds", r.cpu_seconds},
            {"peak_rss_bytes", r.peak_rss_bytes},
            {"index_bytes", r.index_bytes},
            {"words_p50_ms", r.words_ms.first},
            {"words_p99_ms", r.words_ms.second},
            {"phrase_p50_ms", r.phrase_ms.first},
            {"phrase_p99_ms", r.phrase_ms.second}};
}

ScaleRow scale_row_from_json(const nlohmann::json& j) {
    ScaleRow r;
    r.factor = j.at("factor");
    r.articles = j.at("articles");
    r.passages = j.at("passages");
    r.input_bytes = j.at("input_bytes");
    r.wall_seconds = j.at("wall_seconds");
    r.cpu_seconds = j.at("cpu_seconds");
    r.peak_rss_bytes = j.at("peak_rss_bytes");
    r.index_bytes = j.at("index_bytes");
    r.words_ms = {j.at("words_p50_ms"), j.at("words_p99_ms")};
    r.phrase_ms = {j.at("phrase_p50_ms"), j.at("phrase_p99_ms")};
    return r;
}

void print_scale_header(std::ostream& out) {
    out << std::left << std::setw(8) << "factor" << std::right;
    for (const char* c : kColumns) out << std::setw(10) << c;
    out << "   (latency in ms)\n";
}

void print_scale_row(std::ostream& out, const ScaleRow& r) {
    out << std::left << std::setw(8) << (std::to_string(r.factor) + "x") << std::right;
    const auto f = scale_figures(r);
    for (std::size_t i = 0; i < f.size(); ++i) out << std::setw(10) << fixed(f[i], kPrecision[i]);
    out << "\n";
}

void print_scale_ratios(std::ostream& out, const std::vector<ScaleRow>& rows) {
    if (rows.size() < 2) return;
    const auto base = scale_figures(rows.front());
    for (std::size_t k = 1; k < rows.size(); ++k) {
        out << std::left << std::setw(8)
            << (std::to_string(rows[k].factor) + "x/" + std::to_string(rows[0].factor) + "x") << std::right;
        const auto f = scale_figures(rows[k]);
        for (std::size_t i = 0; i < f.size(); ++i)
            out << std::setw(10) << (base[i] > 0 ? fixed(f[i] / base[i], 2) + "x" : "-");
        out << "\n";
    }
}

void print_scale_table(std::ostream& out, const std::vector<ScaleRow>& rows) {
    print_scale_header(out);
    for (const auto& r : rows) print_scale_row(out, r);
    print_scale_ratios(out, rows);
}

}  // namespace trawl::bench
