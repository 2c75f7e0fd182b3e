// trawl-bench query: per-query latency of trawl-query's search path (parse,
// rank, fetch and decompress the hits shown, snippets) over a query file.
#include <fstream>
#include <iomanip>

#include <boost/program_options.hpp>

#include "commands.hpp"
#include "command_line.hpp"
#include "error.hpp"
#include "number_list.hpp"
#include "perf/latency.hpp"
#include "searcher.hpp"

namespace po = boost::program_options;

namespace trawl::bench {
namespace {

struct QueryBenchOptions {
    std::vector<std::string> dbs;
    std::string queries_file;
    unsigned limit = 10;
    bool by_article = false;
    double k1 = query::kDefaultK1;
    double b = query::kDefaultB;
    std::string proximity = "0";
    unsigned warmup = 1;
    unsigned repetitions = 3;
};

// "qid<TAB>query" or a bare query per line; blank lines skipped.
std::vector<std::string> read_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open queries file");
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (auto tab = line.find('\t'); tab != std::string::npos) line.erase(0, tab + 1);
        if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
    }
    if (out.empty()) throw InputError(path, 0, "no queries");
    return out;
}

}  // namespace

int run_query_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    QueryBenchOptions o;
    po::options_description visible(
        "Usage: trawl-bench query --db DIR --queries FILE [options]\n\n"
        "Times every query of FILE (one per line, optionally \"qid<TAB>query\") through\n"
        "trawl-query's search path, top N with snippets, and prints the per-query latency\n"
        "percentiles (each query's median over the repetitions) and queries per second.\n"
        "--proximity takes a comma-separated list: each weight is one row.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit")
        ("db,d", po::value(&o.dbs)->value_name("DIR")->composing(), "index directory (repeat for shards)")
        ("queries", po::value(&o.queries_file)->value_name("FILE"), "queries, one per line (required)")
        ("limit,n", po::value(&o.limit)->value_name("N")->default_value(o.limit), "hits per query")
        ("by-article", po::bool_switch(&o.by_article), "best passage per article")
        ("k1", po::value(&o.k1)->value_name("X")->default_value(o.k1), "BM25 k1")
        ("b", po::value(&o.b)->value_name("X")->default_value(o.b), "BM25 b")
        ("proximity", po::value(&o.proximity)->value_name("W[,W...]")->default_value(o.proximity),
            "proximity weight(s); 0 = plain BM25")
        ("warmup", po::value(&o.warmup)->value_name("N")->default_value(o.warmup), "untimed passes over the queries")
        ("repetitions", po::value(&o.repetitions)->value_name("N")->default_value(o.repetitions), "timed passes");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, nullptr);
    if (vm.count("help")) {
        out << visible;
        return 0;
    }
    if (o.dbs.empty()) throw UsageError("--db DIR is required");
    if (o.queries_file.empty()) throw UsageError("--queries FILE is required");
    if (o.repetitions == 0) throw UsageError("--repetitions must be at least 1");
    const auto weights = parse_number_list("proximity", o.proximity);
    const auto queries = read_queries(o.queries_file);

    out << std::left << std::setw(10) << "proximity" << std::right << std::setw(9) << "queries" << std::setw(10)
        << "p50 ms" << std::setw(10) << "p95 ms" << std::setw(10) << "p99 ms" << std::setw(10) << "QPS" << "\n";
    for (double w : weights) {
        query::SearchOptions so;
        so.dbs = o.dbs;
        so.k1 = o.k1;
        so.b = o.b;
        so.limit = o.limit;
        so.by_article = o.by_article;
        so.proximity.weight = w;
        query::Searcher searcher(so);
        std::vector<std::vector<double>> per_query(queries.size());
        double timed_seconds = 0;
        std::size_t errors = 0;
        for (unsigned pass = 0; pass < o.warmup + o.repetitions; ++pass) {
            Stopwatch all;
            for (std::size_t i = 0; i < queries.size(); ++i) {
                Stopwatch sw;
                try {
                    searcher.search(std::to_string(i + 1), queries[i]);
                } catch (const QuerySyntaxError&) {
                    if (pass == 0) ++errors;
                }
                if (pass >= o.warmup) per_query[i].push_back(sw.millis());
            }
            if (pass >= o.warmup) timed_seconds += all.seconds();
        }
        std::vector<double> ms;
        for (auto& t : per_query) ms.push_back(median(t));
        const double qps = double(queries.size()) * o.repetitions / timed_seconds;
        out << std::left << std::setw(10) << w << std::right << std::setw(9) << queries.size() << std::fixed
            << std::setprecision(3) << std::setw(10) << percentile(ms, 0.5) << std::setw(10) << percentile(ms, 0.95)
            << std::setw(10) << percentile(ms, 0.99) << std::setprecision(0) << std::setw(10) << qps << "\n"
            << std::defaultfloat;
        if (errors) err << "trawl-bench query: " << errors << " queries were malformed and returned nothing\n";
    }
    return 0;
}

}  // namespace trawl::bench
