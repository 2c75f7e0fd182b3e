// trawl-bench index: indexing throughput and index size of Trawl and the peer
// engines on exactly the same passages.
#include <filesystem>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "bench/bench_options.hpp"
#include "bench/commands.hpp"
#include "bench/peers/peer.hpp"
#include "bench/perf/index_bench.hpp"
#include "bench/scratch_dir.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace trawl::bench {
namespace {

struct IndexBenchOptions {
    std::vector<std::string> inputs;
    PassageArgs passages;
    std::string peers = "all";
    bool json = false;
    long long threads = 1;  // count options: checked with count_option()
    long long memory_mb = 512;
    std::string keep_index;
};

}  // namespace

int run_index_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    IndexBenchOptions o;
    po::options_description visible(
        "Usage: trawl-bench index [options] PATH...\n\n"
        "Reads the corpus at PATH (as trawl-index does) into memory, indexes it with\n"
        "Trawl as trawl-index does (boilerplate removal and duplicate skipping\n"
        "included), then the same passages with each peer engine, on --threads\n"
        "threads each (SQLite has one writer: FTS5 always uses one), and prints\n"
        "wall and CPU seconds, MB/s, passages/s, peak RSS and index size as bytes per\n"
        "input byte (Trawl's split into postings, positions, stored text and the rest),\n"
        "with Trawl/peer ratio rows. Input bytes are the kept articles' titles and\n"
        "bodies, each counted once (not the passages, which repeat their overlap).\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit");
    // clang-format on
    o.passages.add_to(visible);
    // clang-format off
    visible.add_options()
        ("peers", po::value(&o.peers)->value_name("LIST")->default_value(o.peers),
            "peer engines: all, none, or a list of fts5,lucene")
        ("json", po::bool_switch(&o.json), "print one JSON object instead of the table")
        ("threads,j", po::value(&o.threads)->value_name("N")->default_value(o.threads),
            "indexing threads for Trawl (trawl-index --threads) and Lucene (writer threads)")
        ("memory", po::value(&o.memory_mb)->value_name("MB")->default_value(o.memory_mb),
            "Trawl's memory budget (trawl-index --memory)")
        ("keep-index", po::value(&o.keep_index)->value_name("DIR"),
            "leave Trawl's index in DIR (a new directory) for trawl-query or trawl-bench query");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, &o.inputs);
    if (vm.count("help")) {
        out << visible << "\nExample:\n  trawl-bench index ../shared/data/reuters21578\n";
        return 0;
    }
    if (o.inputs.empty()) throw UsageError("give at least one corpus PATH");
    o.passages.check();
    // trawl-index's bounds (indexer/index_options.cpp).
    const auto threads = count_option("--threads", o.threads, 1, 256);
    const auto memory_mb = count_option("--memory", o.memory_mb, 16);
    const corpus::SplitOptions split = o.passages.split();
    auto peers = select_peers(o.peers, err);

    if (!o.keep_index.empty() && fs::exists(o.keep_index) &&
        !(fs::is_directory(o.keep_index) && fs::is_empty(o.keep_index)))
        throw UsageError("--keep-index " + o.keep_index + ": already exists (give a new or empty directory)");

    auto c = read_bench_corpus(o.inputs);
    std::vector<IndexRow> rows;
    {
        ScratchDir scratch;
        const auto db = o.keep_index.empty() ? scratch.sub("trawl.idx") : o.keep_index;
        rows.push_back(index_with_trawl(c, trawl_index_config(db, split, threads, std::size_t(memory_mb) << 20)));
    }
    // As compare and scale: a table of zeros would read as a measurement.
    if (c.docs.empty()) throw InputError(o.inputs.front(), 0, "no passages to index");
    for (auto& peer : peers) {
        ScratchDir scratch;
        rows.push_back({peer->name(), c.docs.size(), peer->build(c.docs, scratch.sub("peer"), threads), {}});
    }
    if (o.json) {
        out << index_table_json(c, rows).dump(2) << "\n";
        return 0;
    }
    print_index_table(out, c, rows);
    out << "(peak RSS: Trawl's and FTS5's are the whole trawl-bench process, corpus included; Lucene's its JVM's)\n";
    return 0;
}

}  // namespace trawl::bench
