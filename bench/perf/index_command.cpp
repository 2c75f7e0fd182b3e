// trawl-bench index: indexing throughput and index size of Trawl and the peer
// engines on exactly the same passages.
#include <filesystem>
#include <iomanip>
#include <map>

#include "article_reader.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "diagnostics.hpp"
#include "error.hpp"
#include "index_builder.hpp"
#include "index_pipeline.hpp"
#include "peers/peer.hpp"
#include "perf/latency.hpp"
#include "scratch_dir.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace trawl::bench {
namespace {

struct IndexBenchOptions {
    std::vector<std::string> inputs;
    std::uint32_t passage_words = 100;
    std::uint32_t overlap = 20;
    std::string peers = "all";
    unsigned threads = 1;
    std::uint32_t memory_mb = 512;
};

struct IndexRow {
    std::string engine;
    std::uint64_t units = 0;
    PeerIndexReport report;
    std::map<std::string, std::uint64_t> tables;  // Trawl: bytes per Xapian table
};

// Bytes of each glass table ("postlist", "position", ...) in an index directory.
std::map<std::string, std::uint64_t> table_bytes(const std::string& dir) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const auto stem = e.path().stem().string();
        out[e.path().extension() == ".glass" ? stem : "other"] += e.file_size();
    }
    return out;
}

std::string mb(double bytes) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(1) << bytes / 1e6;
    return os.str();
}

}  // namespace

int run_index_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    IndexBenchOptions o;
    po::options_description visible(
        "Usage: trawl-bench index [options] PATH...\n\n"
        "Reads the corpus at PATH (as trawl-index does) into memory, then indexes the\n"
        "same passages with Trawl and with each peer engine, on --threads threads each\n"
        "(SQLite has one writer: FTS5 always uses one), and prints\n"
        "wall and CPU seconds, MB/s of passage text, passages/s, peak RSS and index size\n"
        "(Trawl's split by Xapian table) as bytes per input byte.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit")
        ("passage-words,w", po::value(&o.passage_words)->value_name("N")->default_value(o.passage_words),
            "passage length in words; 0 = whole articles")
        ("overlap,o", po::value(&o.overlap)->value_name("N")->default_value(o.overlap), "passage overlap in words")
        ("peers", po::value(&o.peers)->value_name("LIST")->default_value(o.peers),
            "peer engines: all, none, or a list of fts5,lucene")
        ("threads,j", po::value(&o.threads)->value_name("N")->default_value(o.threads),
            "indexing threads for Trawl (trawl-index --threads) and Lucene (writer threads)")
        ("memory", po::value(&o.memory_mb)->value_name("MB")->default_value(o.memory_mb),
            "Trawl's memory budget (trawl-index --memory)");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, &o.inputs);
    if (vm.count("help")) {
        out << visible << "\nExample:\n  trawl-bench index ../shared/data/reuters21578\n";
        return 0;
    }
    if (o.inputs.empty()) throw UsageError("give at least one corpus PATH");
    if (o.threads == 0) throw UsageError("--threads must be at least 1");
    const corpus::SplitOptions split{o.passage_words, o.passage_words == 0 ? 0 : o.overlap};
    auto peers = select_peers(o.peers, err);

    corpus::Diagnostics diag;
    std::vector<corpus::Article> articles;
    {
        auto reader = corpus::open_corpus(o.inputs, {}, diag);
        for (corpus::Article a; reader->next(a);) articles.push_back(std::move(a));
    }
    const auto docs = peer_docs(articles, split);
    std::uint64_t input_bytes = 0;  // what every engine indexes: passage text (title once per article)
    for (const auto& d : docs) input_bytes += d.text.size();
    for (const auto& a : articles) input_bytes += a.title.size();

    std::vector<IndexRow> rows;
    {
        ScratchDir scratch;
        const auto db = scratch.sub("trawl.idx");
        IndexRow row{"trawl", docs.size(), {}, {}};
        const auto before = peer_util::self_usage();
        Stopwatch sw;
        {
            index::BuilderOptions bo;
            bo.split = split;
            index::PipelineOptions po;
            po.threads = o.threads;
            po.memory_bytes = std::size_t(o.memory_mb) << 20;
            index::IndexPipeline builder(db, bo, po, diag);
            for (const auto& a : articles) builder.add(a);
            builder.finish();
        }
        row.report.wall_seconds = sw.seconds();
        const auto after = peer_util::self_usage();
        row.report.cpu_seconds = after.cpu_seconds - before.cpu_seconds;
        row.report.peak_rss_bytes = after.peak_rss_bytes;
        row.report.index_bytes = index::directory_bytes(db);
        row.tables = table_bytes(db);
        rows.push_back(std::move(row));
    }
    for (auto& peer : peers) {
        ScratchDir scratch;
        rows.push_back({peer->name(), docs.size(), peer->build(docs, scratch.sub("peer"), o.threads), {}});
    }

    out << "corpus: " << articles.size() << " articles, " << docs.size() << " units, " << mb(input_bytes)
        << " MB of text; " << diag.skipped() << " records skipped; " << o.threads << " thread(s)"
        << (o.threads > 1 ? " (sqlite-fts5: 1, SQLite has one writer)" : "") << "\n";
    out << std::left << std::setw(20) << "engine" << std::right << std::setw(9) << "wall s" << std::setw(9) << "cpu s"
        << std::setw(9) << "MB/s" << std::setw(11) << "units/s" << std::setw(10) << "RSS MB" << std::setw(10)
        << "index MB" << std::setw(9) << "x input" << "\n";
    for (const auto& r : rows) {
        const auto& rep = r.report;
        out << std::left << std::setw(20) << r.engine << std::right << std::fixed << std::setprecision(2)
            << std::setw(9) << rep.wall_seconds << std::setw(9) << rep.cpu_seconds << std::setw(9)
            << input_bytes / 1e6 / rep.wall_seconds << std::setprecision(0) << std::setw(11)
            << r.units / rep.wall_seconds << std::setw(10) << mb(double(rep.peak_rss_bytes)) << std::setw(10)
            << mb(double(rep.index_bytes)) << std::setprecision(2) << std::setw(9)
            << double(rep.index_bytes) / double(input_bytes) << std::defaultfloat << "\n";
    }
    const auto& trawl = rows.front();
    out << "trawl tables (MB, x input):";
    for (const auto& [table, bytes] : trawl.tables)
        out << " " << table << " " << mb(double(bytes)) << " (" << std::fixed << std::setprecision(2)
            << double(bytes) / double(input_bytes) << ")" << std::defaultfloat;
    out << "\n";
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& p = rows[i].report;
        out << "trawl/" << rows[i].engine << ": throughput " << std::fixed << std::setprecision(2)
            << p.wall_seconds / trawl.report.wall_seconds << "x, index size "
            << double(trawl.report.index_bytes) / double(p.index_bytes) << "x" << std::defaultfloat << "\n";
    }
    out << "(peak RSS: Trawl's and FTS5's are the whole trawl-bench process, corpus included; Lucene's its JVM's)\n";
    return 0;
}

}  // namespace trawl::bench
