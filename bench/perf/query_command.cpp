// trawl-bench query: per-query latency of trawl-query's search path (parse,
// rank, fetch and decompress the hits shown, snippets) over a query file on an
// existing index, by query kind, at 1 and 2 threads. (trawl-bench compare runs
// the same tables with the peer engines on generated queries.) With
// --one-shot, each query is also timed as a trawl-query process of its own.
#include <cctype>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "bench/bench_options.hpp"
#include "bench/commands.hpp"
#include "bench/latency.hpp"
#include "bench/number_list.hpp"
#include "bench/perf/one_shot.hpp"
#include "bench/perf/query_bench.hpp"
#include "bench/scratch_dir.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"
#include "query/mapped_reads.hpp"
#include "query/query_job.hpp"

namespace po = boost::program_options;

namespace trawl::bench {
namespace {

struct QueryBenchOptions {
    std::vector<std::string> dbs;
    std::string queries_file;
    long long limit = 10;  // count options: checked with count_option()
    bool by_article = false;
    double k1 = query::kDefaultK1;
    double b = query::kDefaultB;
    std::string proximity = "0";
    std::string article_weight = shortest_decimal(query::kDefaultArticle.weight);
    std::string expand = "0";
    std::string threads = "1,2";
    TimingArgs timing;
    bool json = false;
    long long count_limit = query::kExactCountLimit;
    bool suggest = true;
    long long slowest = 0;
    std::string in_memory_tables = "auto";
    std::string mapped_reads = "auto";
    std::string one_shot;  // trawl-query to run once a query, or empty
};

// The queries of a file: "qid<TAB>query" or a bare query per line, blank lines skipped.
std::vector<std::string> read_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open queries file");
    std::vector<std::string> out;
    std::uint64_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        auto [qid, q] = query::split_query_line(line, ++line_no);
        if (q.find_first_not_of(" \t") != std::string::npos) out.push_back(q);
    }
    if (out.empty()) throw InputError(path, 0, "no queries");
    return out;
}

// Whether `q` holds the operator `op`/n as a token of its own ("oil NEAR/5
// prices"), not as part of a word ("NEARBY shops", "ADJUST").
bool has_operator(const std::string& q, const std::string& op) {
    for (auto at = q.find(op + "/"); at != std::string::npos; at = q.find(op + "/", at + 1)) {
        const bool starts = at == 0 || q[at - 1] == ' ' || q[at - 1] == '\t' || q[at - 1] == '(' || q[at - 1] == '"';
        const auto digits = at + op.size() + 1;
        if (starts && digits < q.size() && std::isdigit(static_cast<unsigned char>(q[digits]))) return true;
    }
    return false;
}

// A query's kind by its syntax: NEAR/n, ADJ/n, a phrase, else bag-of-words.
std::string query_kind(const std::string& q) {
    if (has_operator(q, "NEAR")) return "NEAR";
    if (has_operator(q, "ADJ")) return "ADJ";
    if (q.find('"') != std::string::npos) return "phrase";
    return "bag-of-words";
}

struct OneShotTimes {
    std::vector<double> micros;  // each query's median, in query order
    std::size_t matched = 0;
};

// Each query as one process of `program` with `options` (one_shot_command):
// `warmup` untimed runs, then the median of `repetitions` timed ones. A query
// trawl-query refuses as malformed (exit 2, "query error at column N") is
// timed and counted as matching nothing, as the in-process row counts it;
// any other failure stops the run with the program's first line of stderr.
OneShotTimes time_one_shot(const std::string& program, const std::vector<std::string>& dbs,
                           const std::vector<std::string>& options, const std::vector<std::string>& texts,
                           const TimingArgs& timing) {
    ScratchDir scratch("trawl-bench-one-shot");
    OneShotTimes t;
    for (const auto& q : texts) {
        const auto command = one_shot_command(program, dbs, options, q);
        std::vector<double> runs;
        bool hit = false;
        for (unsigned i = 0; i < timing.warmup + timing.repetitions; ++i) {
            const auto run = run_one_shot(command, scratch.path());
            const bool malformed = run.status == 2 && run.first_error.find(": query error") != std::string::npos;
            if (run.status > 1 && !malformed)
                throw Error(program + " exited with status " + std::to_string(run.status) +
                            (run.first_error.empty() ? "" : ": " + run.first_error));
            hit = run.status == 0;
            if (i >= timing.warmup) runs.push_back(run.micros);
        }
        t.micros.push_back(median(std::move(runs)));
        t.matched += hit;
    }
    return t;
}

}  // namespace

int run_query_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    QueryBenchOptions o;
    po::options_description visible(
        "Usage: trawl-bench query --db DIR --queries FILE [options]\n\n"
        "Times every query of FILE (one per line, optionally \"qid<TAB>query\", in\n"
        "trawl-query's language) through trawl-query's search path, top N with\n"
        "snippets, and prints a table per query kind (bag-of-words, phrase, NEAR, ADJ,\n"
        "told apart by syntax): per-query latency percentiles (each query's median over\n"
        "the repetitions, one thread) and queries per second at each thread count (each\n"
        "thread its own Searcher, running a share of the queries). --proximity,\n"
        "--article-weight and --expand take comma-separated lists: each combination is\n"
        "one row. With --one-shot PROGRAM, each row gets a second one: every query\n"
        "run as `PROGRAM --db DIR ... QUERY`, a process of its own, timed from\n"
        "spawning it to its exit (start-up, opening the index, the search and the\n"
        "printing: what a user at a terminal waits for). trawl-bench compare runs\n"
        "the peer engines too, on generated queries.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit");
    // clang-format on
    o.timing.add_to(visible);
    // clang-format off
    visible.add_options()
        ("db,d", po::value(&o.dbs)->value_name("DIR")->composing(), "index directory (repeat for shards)")
        ("queries", po::value(&o.queries_file)->value_name("FILE"), "queries, one per line (required)")
        ("limit,n", po::value(&o.limit)->value_name("N")->default_value(o.limit), "hits per query")
        ("by-article", po::bool_switch(&o.by_article), "best passage per article")
        ("k1", po::value(&o.k1)->value_name("X")->default_value(o.k1, shortest_decimal(o.k1)), "BM25 k1")
        ("b", po::value(&o.b)->value_name("X")->default_value(o.b, shortest_decimal(o.b)), "BM25 b")
        ("proximity", po::value(&o.proximity)->value_name("W[,W...]")->default_value(o.proximity),
            "proximity weight(s); 0 = plain BM25")
        ("article-weight", po::value(&o.article_weight)->value_name("A[,A...]")->default_value(o.article_weight),
            "article evidence weight(s); 0 = the passage alone")
        ("expand", po::value(&o.expand)->value_name("0|1[,...]")->default_value(o.expand),
            "query expansion (RM3) off (0) or on (1)")
        ("threads", po::value(&o.threads)->value_name("N[,N...]")->default_value(o.threads),
            "thread counts to measure QPS at (latencies: the first)")
        ("json", po::bool_switch(&o.json), "print the tables as a JSON array")
        ("count-limit", po::value(&o.count_limit)->value_name("N")->default_value(o.count_limit),
            "count matches exactly up to N passages examined (trawl-query's default; 0 = Xapian's quickest estimate)")
        ("no-suggest", "without \"did you mean\" (trawl-query asks for it when a query finds little)")
        ("in-memory-tables", po::value(&o.in_memory_tables)->value_name("WHEN")->default_value(o.in_memory_tables),
            "auto, always or never (trawl-query's option)")
        ("mapped-reads", po::value(&o.mapped_reads)->value_name("WHEN")->default_value(o.mapped_reads),
            "auto, always or never (trawl-query's option; auto maps for the queries run here, which are many, "
            "and passes auto to --one-shot's)")
        ("slowest", po::value(&o.slowest)->value_name("N")->default_value(o.slowest),
            "under each table, the N slowest queries of each row with their latency (ms)")
        ("one-shot", po::value(&o.one_shot)->value_name("PROGRAM"),
            "also time each query as one process of PROGRAM (trawl-query: a path, or a name looked up in PATH) with "
            "the same options");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, nullptr);
    if (vm.count("help")) {
        out << visible << "\nExample:\n  trawl-bench query --db reuters.idx --queries queries.tsv --proximity 0,1\n";
        return 0;
    }
    if (o.dbs.empty()) throw UsageError("--db DIR is required");
    if (o.queries_file.empty()) throw UsageError("--queries FILE is required");
    o.timing.check();
    const auto limit = count_option("--limit", o.limit, 1);
    const auto count_limit = count_option("--count-limit", o.count_limit, 0);
    const auto slowest = count_option("--slowest", o.slowest, 0);
    o.suggest = !vm.count("no-suggest");
    if (!o.one_shot.empty() && (!o.suggest || o.count_limit != query::kExactCountLimit))
        throw UsageError("--one-shot runs trawl-query as users do: not with --no-suggest or --count-limit");
    query::check_bm25_options(o.k1, o.b);
    const auto in_memory_tables = query::parse_in_memory_tables(o.in_memory_tables);
    const bool mapped_reads = query::parse_mapped_reads(o.mapped_reads, true);
    const auto weights = parse_number_list("proximity", o.proximity);
    const auto alphas = parse_number_list("article-weight", o.article_weight);
    const auto expands = parse_number_list("expand", o.expand);
    for (double a : alphas)
        if (a > 1) throw UsageError("--article-weight must be from 0 to 1");
    struct Ranking {
        double proximity, article;
        bool expand;
    };
    std::vector<Ranking> rankings;
    for (double w : weights)
        for (double a : alphas)
            for (double x : expands) rankings.push_back({w, a, x != 0});
    const auto threads = parse_count_list("threads", o.threads);
    const auto queries = read_queries(o.queries_file);

    std::map<std::string, std::vector<std::string>> by_kind;
    for (const auto& q : queries) by_kind[query_kind(q)].push_back(q);
    auto json = nlohmann::json::array();
    std::size_t errors = 0;
    bool first_table = true;
    for (const char* kind : {"bag-of-words", "phrase", "NEAR", "ADJ"}) {
        if (!by_kind.count(kind)) continue;
        const auto& texts = by_kind[kind];
        LatencyTable table;
        table.title = std::string(kind) + " (" + std::to_string(texts.size()) + " queries, top " +
                      std::to_string(limit) + " with snippets; each query's median of " +
                      std::to_string(o.timing.repetitions) + " timed runs after " + std::to_string(o.timing.warmup) +
                      " warm-up)";
        table.threads = threads;
        for (const auto& ranking : rankings) {
            const double w = ranking.proximity;
            query::SearchOptions so;
            so.dbs = o.dbs;
            so.k1 = o.k1;
            so.b = o.b;
            so.by_article = o.by_article;
            so.exact_count_limit = count_limit;
            so.suggest = o.suggest;
            so.in_memory_tables = in_memory_tables;
            so.proximity.weight = w;
            so.article.weight = ranking.article;
            so.expand.on = ranking.expand;
            std::vector<double> qps, micros;
            std::size_t matched = 0;
            for (std::size_t t = 0; t < threads.size(); ++t) {
                std::size_t malformed = 0;
                auto run = run_trawl(so, texts, {limit, o.timing.warmup, o.timing.repetitions, threads[t], true},
                                     &malformed, mapped_reads);
                qps.push_back(run.wall_seconds > 0 ? double(texts.size()) * o.timing.repetitions / run.wall_seconds
                                                   : 0);
                if (t == 0) {
                    if (&ranking == &rankings.front()) errors += malformed;
                    for (const auto& r : run.results) {
                        micros.push_back(r.latency_micros);
                        matched += !r.hits.empty();
                    }
                }
            }
            std::ostringstream row_options;  // the row's name after the engine's
            row_options << (o.by_article ? " --by-article" : "") << (weights.size() > 1 || w > 0 ? " prox=" : "");
            if (weights.size() > 1 || w > 0) row_options << w;
            if (alphas.size() > 1) row_options << " art=" << ranking.article;
            if (ranking.expand) row_options << " --expand";
            table.rows.push_back(latency_row("trawl" + row_options.str(), micros, matched, qps));
            if (o.one_shot.empty()) continue;
            std::vector<std::string> options = {"-n",
                                                std::to_string(limit),
                                                "--k1",
                                                shortest_decimal(o.k1),
                                                "--b",
                                                shortest_decimal(o.b),
                                                "--proximity",
                                                shortest_decimal(w),
                                                "--article-weight",
                                                shortest_decimal(ranking.article),
                                                "--in-memory-tables",
                                                o.in_memory_tables};
            if (o.by_article) options.push_back("--by-article");
            options.insert(options.end(), {"--mapped-reads", o.mapped_reads});
            if (ranking.expand) options.push_back("--expand");
            const auto one_shot = time_one_shot(o.one_shot, o.dbs, options, texts, o.timing);
            table.rows.push_back(
                latency_row("trawl-query one-shot" + row_options.str(), one_shot.micros, one_shot.matched, {}));
        }
        std::ostringstream slow;  // the tail, query by query
        auto slow_json = nlohmann::json::object();
        for (const auto& row : table.rows) {
            if (slowest == 0) break;
            slow << "slowest of " << row.engine << ":\n";
            auto& list = slow_json[row.engine] = nlohmann::json::array();
            for (const auto& [ms, i] : slowest_queries(row, slowest)) {
                slow << std::fixed << std::setprecision(3) << std::setw(10) << ms << "  " << texts[i] << "\n";
                list.push_back({{"ms", ms}, {"query", texts[i]}});
            }
        }
        if (o.json) {
            json.push_back(latency_table_json(table));
            if (slowest) json.back()["slowest"] = slow_json;
        } else {
            if (!first_table) out << "\n";
            print_latency_table(out, table);
            out << slow.str();
        }
        first_table = false;
    }
    if (o.json) out << json.dump(2) << "\n";
    if (errors) err << "trawl-bench query: " << errors << " queries were malformed and returned nothing\n";
    return 0;
}

}  // namespace trawl::bench
