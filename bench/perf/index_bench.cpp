#include "bench/perf/index_bench.hpp"

#include <filesystem>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bench/latency.hpp"
#include "bench/perf/report_format.hpp"
#include "corpus/base/disk_usage.hpp"
#include "corpus/read/article_reader.hpp"

namespace fs = std::filesystem;

namespace trawl::bench {
namespace {

// The figures of a row, in column order.
std::vector<double> figures(const IndexRow& r, std::uint64_t input_bytes) {
    const auto& rep = r.report;
    return {rep.wall_seconds,
            rep.cpu_seconds,
            ratio(double(input_bytes) / 1e6, rep.wall_seconds),
            ratio(double(r.units), rep.wall_seconds),
            double(rep.peak_rss_bytes) / 1e6,
            double(rep.index_bytes) / 1e6,
            ratio(double(rep.index_bytes), double(input_bytes))};
}

constexpr const char* kColumns[] = {"wall s", "cpu s", "MB/s", "units/s", "RSS MB", "index MB", "x input"};
constexpr int kPrecision[] = {2, 2, 2, 0, 1, 1, 2};
constexpr int kEngineWidth = 28;

// What the cleaning did, for the corpus line.
std::string cleaning_note(const index::CleaningStats& s) {
    return "cleaned as trawl-index: " + std::to_string(s.exact + s.near) + " duplicates skipped, " +
           std::to_string(s.removed.total()) + " boilerplate lines removed";
}

}  // namespace

BenchCorpus read_bench_corpus(const std::vector<std::string>& inputs) {
    BenchCorpus c;
    corpus::Diagnostics diag;
    {
        auto reader = corpus::open_corpus(inputs, {}, diag);
        for (corpus::Article a; reader->next(a);) c.read.push_back(std::move(a));
    }
    c.skipped = diag.skipped();
    return c;
}

void keep_articles(BenchCorpus& c, std::vector<corpus::Article> kept, const corpus::SplitOptions& split) {
    c.articles = std::move(kept);
    c.docs = peer_docs(c.articles, split);
    c.input_bytes = c.passage_bytes = 0;
    for (const auto& a : c.articles) c.input_bytes += a.title.size() + a.body.size();
    for (const auto& d : c.docs) c.passage_bytes += d.text.size();
}

index::IndexConfig trawl_index_config(const std::string& db, const corpus::SplitOptions& split, unsigned threads,
                                      std::size_t memory_bytes) {
    index::IndexConfig cfg;
    cfg.db_path = db;
    cfg.builder.split = split;
    cfg.pipeline.threads = threads;
    cfg.pipeline.memory_bytes = memory_bytes;
    cfg.summary = false;
    return cfg;
}

std::map<std::string, std::uint64_t> table_bytes(const std::string& dir) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const auto stem = e.path().stem().string();
        out[e.path().extension() == ".glass" ? stem : "other"] += e.file_size();
    }
    return out;
}

IndexRow index_with_trawl(BenchCorpus& c, const index::IndexConfig& config) {
    IndexRow row{"trawl", 0, {}, {}};
    corpus::Diagnostics diag;
    std::vector<corpus::Article> kept;
    const auto before = peer_util::self_usage();
    Stopwatch sw;
    // Keeping a copy of each kept article is timed too: a copy next to indexing it.
    const auto report = index::index_articles(config, index::articles_in_memory(c.read), diag,
                                              [&](const corpus::Article& a) { kept.push_back(a); });
    row.report.wall_seconds = sw.seconds();
    const auto after = peer_util::self_usage();
    row.report.cpu_seconds = after.cpu_seconds - before.cpu_seconds;
    row.report.peak_rss_bytes = after.peak_rss_bytes;
    row.report.index_bytes = directory_bytes(config.db_path);
    row.tables = table_bytes(config.db_path);

    c.read = {};
    keep_articles(c, std::move(kept), config.builder.split);
    c.skipped += diag.skipped();
    c.cleaning = report.cleaning;
    row.units = c.docs.size();
    return row;
}

void print_index_table(std::ostream& out, const BenchCorpus& c, const std::vector<IndexRow>& rows) {
    out << "corpus: " << c.articles.size() << " articles, " << c.docs.size() << " units, "
        << fixed(double(c.input_bytes) / 1e6, 1)
        << " MB of text (titles and bodies, each once: what MB/s and x input count; the units hold "
        << fixed(double(c.passage_bytes) / 1e6, 1) << " MB of body text, passage overlap repeated); " << c.skipped
        << " records skipped; " << cleaning_note(c.cleaning) << "\n";
    out << std::left << std::setw(kEngineWidth) << "engine" << std::right;
    for (const char* col : kColumns) out << std::setw(10) << col;
    out << "\n";
    for (const auto& r : rows) {
        out << std::left << std::setw(kEngineWidth) << r.engine << std::right;
        const auto f = figures(r, c.input_bytes);
        for (std::size_t i = 0; i < f.size(); ++i) out << std::setw(10) << fixed(f[i], kPrecision[i]);
        out << "\n";
    }
    // Ratio rows: Trawl's figure over the peer's, every column (for seconds,
    // RSS and size below 1 is better for Trawl; for MB/s and units/s above 1).
    if (rows.empty()) return;
    const auto trawl = figures(rows.front(), c.input_bytes);
    for (std::size_t p = 1; p < rows.size(); ++p) {
        const auto peer = figures(rows[p], c.input_bytes);
        out << std::left << std::setw(kEngineWidth) << rows.front().engine + "/" + rows[p].engine << std::right;
        for (std::size_t i = 0; i < trawl.size(); ++i) out << std::setw(10) << fixed(ratio(trawl[i], peer[i]), 2) + "x";
        out << "\n";
    }
    // Trawl's index by what it holds, in bytes per input byte.
    const auto& t = rows.front().tables;
    auto get = [&](const char* name) { return t.count(name) ? t.at(name) : std::uint64_t{0}; };
    std::uint64_t rest = 0;
    std::string rest_parts;
    for (const auto& [name, bytes] : t) {
        if (name == "postlist" || name == "position") continue;
        rest += bytes;
        rest_parts += (rest_parts.empty() ? "" : ", ") + name + " " + fixed(double(bytes) / 1e6, 1);
    }
    auto part = [&](const char* what, std::uint64_t bytes) {
        return std::string(what) + " " + fixed(double(bytes) / 1e6, 1) + " MB (" +
               fixed(ratio(double(bytes), double(c.input_bytes)), 2) + ")";
    };
    // Format v3 keeps the stored text in value streams of the postlist table.
    out << "trawl index (MB, x input): " << part("postings and stored text: postlist", get("postlist")) << "; "
        << part("positions: position", get("position")) << "; " << part("rest", rest) << " = " << rest_parts << "\n";
}

nlohmann::json index_table_json(const BenchCorpus& c, const std::vector<IndexRow>& rows) {
    nlohmann::json j{
        {"articles", c.articles.size()},
        {"units", c.docs.size()},
        {"input_bytes", c.input_bytes},
        {"passage_bytes", c.passage_bytes},
        {"skipped", c.skipped},
        {"cleaning",
         {{"duplicates", c.cleaning.exact + c.cleaning.near}, {"boilerplate_lines", c.cleaning.removed.total()}}},
        {"engines", nlohmann::json::array()}};
    for (const auto& r : rows) {
        const auto& rep = r.report;
        nlohmann::json e{{"engine", r.engine},
                         {"wall_seconds", rep.wall_seconds},
                         {"cpu_seconds", rep.cpu_seconds},
                         {"peak_rss_bytes", rep.peak_rss_bytes},
                         {"index_bytes", rep.index_bytes},
                         {"bytes_per_input_byte", ratio(double(rep.index_bytes), double(c.input_bytes))}};
        if (!r.tables.empty()) e["tables"] = r.tables;
        j["engines"].push_back(std::move(e));
    }
    return j;
}

}  // namespace trawl::bench
