// trawl-bench compare: the whole side-by-side comparison in one command.
// Reads a corpus into memory, indexes it with Trawl as trawl-index does and
// the passages Trawl kept with each peer engine (the trawl-bench index
// table), generates a seeded query set from those passages
// (perf/query_gen.hpp) and times every engine on it by query kind at 1 and 2
// threads (the query tables), with Trawl/peer ratios.
#include <fstream>

#include <unistd.h>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "bench/bench_options.hpp"
#include "bench/commands.hpp"
#include "bench/number_list.hpp"
#include "bench/perf/index_bench.hpp"
#include "bench/perf/query_bench.hpp"
#include "bench/perf/query_gen.hpp"
#include "bench/plot/compare_plots.hpp"
#include "bench/scratch_dir.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"

namespace po = boost::program_options;

namespace trawl::bench {
namespace {

struct CompareOptions {
    std::vector<std::string> inputs;
    PassageArgs passages;
    std::string peers = "all";
    QueryGenArgs generated;
    long long near_window = 10;  // count options: checked with count_option()
    long long limit = 10;
    TimingArgs timing;
    std::string threads = "1,2";
    long long index_threads = 1;
    std::string save_queries;
    bool no_snippets = false;
    ReportArgs report;
};

}  // namespace

int run_compare_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CompareOptions o;
    po::options_description visible(
        "Usage: trawl-bench compare [options] PATH...\n\n"
        "The whole comparison with the peer engines in one run. Reads the corpus at PATH\n"
        "into memory; indexes it with Trawl as trawl-index does (cleaning included) and\n"
        "the passages Trawl kept with each peer (the table of trawl-bench index);\n"
        "generates N bag-of-words queries (1-4 mid-frequency words), N exact phrases\n"
        "(2-3 words of a passage) and N NEAR pairs (two words of a passage within the\n"
        "window) with a fixed seed; and times each engine on them, top 10 with a\n"
        "snippet per hit: a table per query kind with p50/p95/p99 latency (one thread;\n"
        "each query's median over the repetitions) and queries per second at each\n"
        "thread count, and Trawl/peer ratio rows for every figure.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit");
    // clang-format on
    o.passages.add_to(visible);
    o.generated.add_to(visible);
    o.timing.add_to(visible);
    // clang-format off
    visible.add_options()
        ("peers", po::value(&o.peers)->value_name("LIST")->default_value(o.peers),
            "peer engines: all, none, or a list of fts5,lucene")
        ("near-window", po::value(&o.near_window)->value_name("N")->default_value(o.near_window),
            "NEAR/N: at most N words between the two")
        ("limit,n", po::value(&o.limit)->value_name("N")->default_value(o.limit), "hits per query, each with a snippet")
        ("no-snippets", po::bool_switch(&o.no_snippets),
            "no snippets (Trawl: ids only; FTS5, Lucene: stored text read): what snippets cost, by difference")
        ("threads", po::value(&o.threads)->value_name("N[,N...]")->default_value(o.threads),
            "thread counts to measure QPS at (latencies: the first)")
        ("index-threads", po::value(&o.index_threads)->value_name("N")->default_value(o.index_threads),
            "indexing threads for Trawl (trawl-index --threads) and Lucene; FTS5 has one writer")
        ("save-queries", po::value(&o.save_queries)->value_name("FILE"),
            "write the generated queries (qid<TAB>query, trawl-query's language) for trawl-bench query");
    // clang-format on
    o.report.add_to(visible, "print one JSON object instead of the tables");
    const auto vm = parse_command_line(argc, argv, visible, &o.inputs);
    if (vm.count("help")) {
        out << visible << "\nExample:\n  trawl-bench compare ../shared/data/reuters21578\n";
        return 0;
    }
    if (o.inputs.empty()) throw UsageError("give at least one corpus PATH");
    o.passages.check();
    o.timing.check();
    const auto limit = count_option("--limit", o.limit, 1);
    o.generated.check();
    // trawl-query's bound on NEAR/n: beyond it every generated NEAR query
    // would be malformed (query/query_check.cpp).
    const auto near_window = count_option("--near-window", o.near_window, 1, 1000);
    const auto index_threads = count_option("--index-threads", o.index_threads, 1, 256);  // trawl-index's bound
    const auto threads = parse_count_list("threads", o.threads);
    const corpus::SplitOptions split = o.passages.split();
    auto plots = plot::open_plot_dir(o.report.plot_dir);  // before the long run: an unwritable DIR fails now
    auto peers = select_peers(o.peers, err);
    // Opened now: an unwritable FILE fails before the long run, not after it.
    std::ofstream saved_queries;
    if (!o.save_queries.empty()) {
        saved_queries.open(o.save_queries);
        if (!saved_queries) throw Error(o.save_queries + ": cannot write the queries");
    }
    const bool progress = o.report.progress();
    auto say = [&](const std::string& what) {
        if (progress) err << "trawl-bench compare: " << what << "\n";
    };

    say("reading the corpus");
    auto c = read_bench_corpus(o.inputs);
    ScratchDir scratch;  // every engine's index, kept for the query tables
    std::vector<IndexRow> rows;
    say("indexing " + std::to_string(c.read.size()) + " articles with trawl");
    const auto trawl_db = scratch.sub("trawl.idx");
    rows.push_back(index_with_trawl(c, trawl_index_config(trawl_db, split, index_threads)));
    if (c.docs.empty()) throw InputError(o.inputs.front(), 0, "no passages to index");
    std::vector<Peer*> built;
    for (auto& peer : peers) {
        say("indexing with " + peer->name());
        rows.push_back(
            {peer->name(), c.docs.size(), peer->build(c.docs, scratch.sub(peer->name()), index_threads), {}});
        built.push_back(peer.get());
    }

    say("generating queries");
    const auto queries = generate_queries(c.docs, {o.generated.seed, o.generated.per_kind, near_window});
    if (saved_queries.is_open()) {
        for (const auto& q : queries) saved_queries << q.id << '\t' << q.trawl_syntax() << '\n';
        if (!saved_queries.flush()) throw Error(o.save_queries + ": cannot write the queries");
    }
    LatencyBenchOptions lo;
    lo.search.dbs = {trawl_db};
    lo.k = limit;
    lo.warmup = o.timing.warmup;
    lo.repetitions = o.timing.repetitions;
    lo.threads = threads;
    lo.snippets = !o.no_snippets;
    const auto tables = latency_side_by_side(queries, lo, built, say);
    // As trawl-bench query says it: a refused query is timed as nothing
    // found, so the tables say so too, and give no ratio for its kind.
    std::size_t malformed = 0;
    for (const auto& t : tables)
        if (t.trawl_row < t.rows.size()) malformed += t.rows[t.trawl_row].malformed;
    if (malformed) err << "trawl-bench compare: " << malformed << " queries were malformed and returned nothing\n";
    auto draw = [&] {
        if (!plots) return;
        plot::write_compare_plots(*plots, {plot::corpus_name(o.inputs), plot::today_utc()}, c, rows, tables);
        plot::render(*plots, err, o.report.quiet);
    };

    if (o.report.json) {
        nlohmann::json j{
            {"index", index_table_json(c, rows)}, {"queries", nlohmann::json::array()}, {"seed", o.generated.seed}};
        for (const auto& t : tables) j["queries"].push_back(latency_table_json(t));
        out << j.dump(2) << "\n";
        draw();
        return 0;
    }
    print_index_table(out, c, rows);
    for (const auto& t : tables) {
        out << "\n";
        print_latency_table(out, t);
    }
    out << "\nmatched = queries with at least one hit. Latency and QPS cover the top " << limit
        << (o.no_snippets ? " without snippets (--no-snippets: trawl ids only, the peers read the stored text):\n"
                          : " with stored text and a highlighted snippet each:\n")
        << "trawl through the Searcher trawl-query uses; FTS5 with snippet() in-process; Lucene with a\n"
           "UnifiedHighlighter, timed inside its JVM (pipe and start-up excluded). Ratios are trawl's\n"
           "figure over the peer's (latency: below 1 is faster; QPS: above 1 is). Bag-of-words: trawl\n"
           "searches the body (headline in the lead passage), the peers title + text. Phrases and NEAR:\n"
           "trawl matches the words as written, the peers their stems; FTS5 NEAR(a b, n), Lucene an\n"
           "unordered SpanNearQuery with slop n. trawl --by-article collapses to the best passage per\n"
           "article; neither peer has that mode built in (no ratio).\n";
    for (auto* p : built)
        if (!p->notes().empty()) out << p->name() << ": " << p->notes() << "\n";
    draw();
    return 0;
}

}  // namespace trawl::bench
