#include "bench/perf/latency_report.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bench/latency.hpp"
#include "bench/perf/report_format.hpp"

namespace trawl::bench {
namespace {

constexpr int kEngineWidth = 28;

}  // namespace

LatencyRow latency_row(std::string engine, const std::vector<double>& micros, std::size_t matched,
                       std::vector<double> qps) {
    LatencyRow row;
    row.engine = std::move(engine);
    row.queries = micros.size();
    row.matched = matched;
    row.p50_ms = percentile(micros, 0.50) / 1e3;
    row.p95_ms = percentile(micros, 0.95) / 1e3;
    row.p99_ms = percentile(micros, 0.99) / 1e3;
    row.qps = std::move(qps);
    row.micros = micros;
    return row;
}

std::vector<RatioRow> ratio_rows(const LatencyTable& table) {
    std::vector<RatioRow> out;
    if (table.trawl_row >= table.rows.size()) return out;
    const auto& t = table.rows[table.trawl_row];
    for (auto p : table.peer_rows) {
        if (p >= table.rows.size()) continue;
        const auto& peer = table.rows[p];
        if (t.malformed > 0 || peer.malformed > 0) continue;
        RatioRow r{t.engine + "/" + peer.engine,
                   ratio(t.p50_ms, peer.p50_ms),
                   ratio(t.p95_ms, peer.p95_ms),
                   ratio(t.p99_ms, peer.p99_ms),
                   {}};
        for (std::size_t i = 0; i < t.qps.size(); ++i)
            r.qps.push_back(ratio(t.qps[i], i < peer.qps.size() ? peer.qps[i] : 0));
        out.push_back(std::move(r));
    }
    return out;
}

void print_latency_table(std::ostream& out, const LatencyTable& table) {
    out << table.title << "\n";
    out << std::left << std::setw(kEngineWidth) << "engine" << std::right << std::setw(9) << "matched" << std::setw(9)
        << "p50 ms" << std::setw(9) << "p95 ms" << std::setw(9) << "p99 ms";
    for (auto t : table.threads) out << std::setw(10) << ("QPS " + std::to_string(t) + "t");
    out << "\n";
    for (const auto& r : table.rows) {
        const std::string matched = std::to_string(r.matched) + "/" + std::to_string(r.queries);
        out << std::left << std::setw(kEngineWidth) << r.engine << std::right << std::setw(9) << matched << std::setw(9)
            << fixed(r.p50_ms, 3) << std::setw(9) << fixed(r.p95_ms, 3) << std::setw(9) << fixed(r.p99_ms, 3);
        for (std::size_t i = 0; i < table.threads.size(); ++i)
            out << std::setw(10) << (i < r.qps.size() ? fixed(r.qps[i], 0) : "-");
        out << "\n";
    }
    for (const auto& r : ratio_rows(table)) {
        out << std::left << std::setw(kEngineWidth) << r.name << std::right << std::setw(9) << "" << std::setw(9)
            << fixed(r.p50, 2) + "x" << std::setw(9) << fixed(r.p95, 2) + "x" << std::setw(9) << fixed(r.p99, 2) + "x";
        for (std::size_t i = 0; i < table.threads.size(); ++i)
            out << std::setw(10) << (i < r.qps.size() ? fixed(r.qps[i], 2) + "x" : "-");
        out << "\n";
    }
    for (const auto& r : table.rows)
        if (r.malformed > 0)
            out << r.engine << ": " << r.malformed << " of " << r.queries
                << " queries were malformed and returned nothing (no ratio rows)\n";
}

nlohmann::json latency_table_json(const LatencyTable& table) {
    auto qps_json = [&](const std::vector<double>& qps) {
        auto j = nlohmann::json::object();
        for (std::size_t i = 0; i < table.threads.size() && i < qps.size(); ++i)
            j[std::to_string(table.threads[i])] = qps[i];
        return j;
    };
    nlohmann::json j{{"title", table.title},
                     {"threads", table.threads},
                     {"rows", nlohmann::json::array()},
                     {"ratios", nlohmann::json::array()}};
    for (const auto& r : table.rows)
        j["rows"].push_back({{"engine", r.engine},
                             {"queries", r.queries},
                             {"matched", r.matched},
                             {"p50_ms", r.p50_ms},
                             {"p95_ms", r.p95_ms},
                             {"p99_ms", r.p99_ms},
                             {"qps", qps_json(r.qps)},
                             {"malformed", r.malformed}});
    for (const auto& r : ratio_rows(table))
        j["ratios"].push_back(
            {{"name", r.name}, {"p50", r.p50}, {"p95", r.p95}, {"p99", r.p99}, {"qps", qps_json(r.qps)}});
    return j;
}

std::vector<std::pair<double, std::size_t>> slowest_queries(const LatencyRow& row, std::size_t n) {
    std::vector<std::pair<double, std::size_t>> out;
    for (std::size_t i = 0; i < row.micros.size(); ++i) out.emplace_back(row.micros[i] / 1e3, i);
    std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    if (out.size() > n) out.resize(n);
    return out;
}

}  // namespace trawl::bench
