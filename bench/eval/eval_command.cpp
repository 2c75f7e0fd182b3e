// trawl-bench eval: index a test collection with Trawl (and the peer engines),
// run its queries, score the runs against the judgments.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include <unistd.h>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "bench/bench_options.hpp"
#include "bench/commands.hpp"
#include "bench/eval/collection.hpp"
#include "bench/eval/metrics.hpp"
#include "bench/eval/significance.hpp"
#include "bench/latency.hpp"
#include "bench/number_list.hpp"
#include "bench/peers/peer.hpp"
#include "bench/plot/eval_plots.hpp"
#include "bench/scratch_dir.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/diagnostics.hpp"
#include "corpus/base/error.hpp"
#include "indexer/index_job.hpp"
#include "query/searcher.hpp"

namespace po = boost::program_options;

namespace trawl::bench {
namespace {

struct EvalOptions {
    std::vector<std::string> collections;
    PassageArgs passages;
    std::string k1 = shortest_decimal(query::kDefaultK1);
    std::string b = shortest_decimal(query::kDefaultB);
    std::string proximity = shortest_decimal(query::kDefaultProximity.weight);
    std::uint32_t window = query::kDefaultProximity.window;
    std::uint32_t rerank_depth = query::kDefaultRerankDepth;
    std::string article_weight = shortest_decimal(query::kDefaultArticle.weight);
    std::string aggregation = query::aggregation_name(query::kDefaultArticle.aggregation);
    std::string expand = "0";
    bool grid = false;     // a ranking list was given: run its grid instead of the standard rows
    std::string baseline;  // the row the others are compared with; "" = Trawl's default ranking
    unsigned depth = 1000;
    // --window, --rerank-depth and --depth as given, signed so that "-1" is not
    // read as 4294967295; checked with count_option() into the three above.
    long long window_arg = window, rerank_depth_arg = rerank_depth, depth_arg = depth;
    std::string split = "test";
    std::string subset = "all";
    std::string peers = "all";
    std::string run_dir;
    bool clean = false;
    bool per_query = false;
    ReportArgs report;
};

// A difference from the baseline row: relative change of the mean and the
// paired randomization test's p-value (significance.hpp).
struct Difference {
    double change = 0;  // (row − baseline) / baseline
    double p = 1;
};

// One engine configuration's run over one collection.
struct EvalRow {
    std::string collection;
    std::string engine;  // "trawl", "fts5", "lucene"
    std::string config;  // "default", "k1=0.9 b=0.4 ...", peer description
    EvalSummary metrics;
    double p50_ms = 0, p99_ms = 0;  // per-query latency at depth `depth`
    bool is_default = false;        // Trawl's default ranking
    std::string baseline;           // the row compared with ("" = this is the baseline, or none)
    Difference ndcg10, map;
    std::size_t queries_missing_from_topics = 0;  // judged, but no topic to run (TestCollection)
};

// One Trawl ranking evaluated: on the passage index, or on a whole-document one.
struct TrawlConfig {
    std::string label;
    bool whole = false;
    double k1 = query::kDefaultK1, b = query::kDefaultB, proximity = 0;
    query::ArticleOptions article = query::kDefaultArticle;
    bool expand = false;
    bool is_default = false;
};

std::string fmt(double v, int precision = 4) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(precision) << v;
    return os.str();
}

// The queries of the chosen subset: "all", or "odd"/"even" by 1-based position
// (a fixed split for tuning on one half and checking on the other).
std::vector<EvalQuery> select_queries(const std::vector<EvalQuery>& all, const std::string& subset) {
    if (subset == "all") return all;
    const std::size_t first = subset == "odd" ? 0 : 1;
    std::vector<EvalQuery> out;
    for (std::size_t i = first; i < all.size(); i += 2) out.push_back(all[i]);
    return out;
}

// The rows Trawl runs. Without a ranking list: whole documents, the passages
// ranked by their best passage alone (MaxP, the ranking before article
// evidence), the default, the default with proximity and with expansion.
// With one (--k1, --b, --proximity, --article-weight, --aggregation, --expand):
// every combination, on the passages.
std::vector<TrawlConfig> trawl_configs(const EvalOptions& o) {
    std::vector<TrawlConfig> out;
    const auto dflt = [] {
        TrawlConfig c;
        c.label = "default";
        c.is_default = true;
        return c;
    };
    if (!o.grid) {
        if (o.passages.passage_words == 0) return {dflt()};
        TrawlConfig whole = dflt(), maxp = dflt(), prox = dflt(), expand = dflt();
        whole.label = "whole documents";
        whole.whole = true;
        whole.article.weight = 0;
        maxp.label = "passages MaxP";
        maxp.article.weight = 0;
        prox.label = "default + proximity";
        prox.proximity = 1;
        expand.label = "default + expand";
        expand.expand = true;
        for (auto* c : {&whole, &maxp, &prox, &expand}) c->is_default = false;
        return {whole, maxp, dflt(), prox, expand};
    }
    std::vector<query::ArticleAggregation> aggregations;
    std::stringstream ss(o.aggregation);
    for (std::string a; std::getline(ss, a, ',');) aggregations.push_back(query::parse_aggregation(a));
    // The values trawl-query accepts, checked as it checks them: a grid row
    // it would refuse measures nothing a user can run.
    const auto k1s = parse_number_list("k1", o.k1), bs = parse_number_list("b", o.b);
    for (double k1 : k1s)
        for (double b : bs) query::check_bm25_options(k1, b);
    const auto weights = parse_number_list("proximity", o.proximity);
    for (double w : weights) query::check_proximity_weight(w);
    const auto alphas = parse_number_list("article-weight", o.article_weight);
    for (double a : alphas)
        if (a > 1) throw UsageError("--article-weight must be from 0 to 1");
    const auto expands = parse_number_list("expand", o.expand);
    for (double x : expands)
        if (x != 0 && x != 1) throw UsageError("--expand must be 0 or 1, not " + shortest_decimal(x));
    for (double k1 : k1s)
        for (double b : bs)
            for (double w : weights)
                for (double alpha : alphas)
                    for (auto agg : aggregations)
                        for (double x : expands) {
                            TrawlConfig c;
                            c.k1 = k1, c.b = b, c.proximity = w, c.expand = x != 0;
                            c.article.weight = alpha;
                            c.article.aggregation = agg;
                            // Each value as given (the shortest decimal that reads back as
                            // it): rounded, 1.211 and 1.214 would share a label and a run file.
                            c.label = "k1=" + shortest_decimal(k1) + " b=" + shortest_decimal(b) +
                                      " art=" + shortest_decimal(alpha) + "/" + query::aggregation_name(agg) +
                                      " prox=" + shortest_decimal(w) + " exp=" + (c.expand ? "1" : "0");
                            const auto& d = query::kDefaultArticle;
                            c.is_default = k1 == query::kDefaultK1 && b == query::kDefaultB && w == 0 && !c.expand &&
                                           alpha == d.weight && agg == d.aggregation;
                            out.push_back(c);
                        }
    return out;
}

// Compares every row of one collection with its baseline: the row named
// `name` (a Trawl label or a peer's engine name), else Trawl's default, else
// (a grid without the default) the first row. One rule for the table, the
// JSON and the plots (which take the row without a baseline of its own).
void compare_with_baseline(std::vector<EvalRow>& rows, const std::string& name) {
    const EvalRow* base = nullptr;
    for (const auto& r : rows)
        if (!name.empty() ? (r.config == name || (r.config.empty() && r.engine.starts_with(name))) : r.is_default) {
            base = &r;
            break;
        }
    if (!base && !name.empty()) throw UsageError("--baseline: no row named '" + name + "'");
    if (!base && !rows.empty()) base = &rows.front();
    if (!base) return;
    const auto per_query = [](const EvalSummary& m, double QueryMetrics::*metric) {
        std::vector<double> v;
        for (const auto& q : m.per_query) v.push_back(q.*metric);
        return v;
    };
    const auto differ = [&](const EvalRow& r, double QueryMetrics::*metric, double mean_r, double mean_b) {
        Difference d;
        d.change = mean_b > 0 ? (mean_r - mean_b) / mean_b : 0;
        d.p = randomization_test(per_query(r.metrics, metric), per_query(base->metrics, metric));
        return d;
    };
    const std::string label = base->config.empty() ? base->engine : base->config;
    for (auto& r : rows) {
        if (&r == base) continue;
        r.baseline = label;
        r.ndcg10 = differ(r, &QueryMetrics::ndcg10, r.metrics.ndcg10, base->metrics.ndcg10);
        r.map = differ(r, &QueryMetrics::ap, r.metrics.map, base->metrics.map);
    }
}

// Judgments restricted to the queries run, so that means are over them only.
Qrels restrict_qrels(const Qrels& qrels, const std::vector<EvalQuery>& queries) {
    Qrels out;
    for (const auto& q : queries)
        if (auto it = qrels.find(q.id); it != qrels.end()) out.insert(*it);
    return out;
}

class Evaluator {
public:
    Evaluator(const EvalOptions& o, std::ostream& err)
        : o_(o), split_(o.passages.split()), err_(err), progress_(o.report.progress()) {}

    std::vector<EvalRow> run(const std::string& dir) {
        say("reading " + dir);
        const auto coll = load_collection(dir, o_.split);
        for (const auto& line : coll.diagnostics) err_ << "trawl-bench eval: " << line << "\n";
        // All-zero metrics from nothing to search or nothing to score would
        // read as a result: they are errors.
        if (coll.documents.empty()) throw InputError(dir, 0, "no documents to index");
        if (coll.queries.empty())
            throw InputError(dir, 0, "no query of the topics file has judgments (queries and qrels ids differ?)");
        if (coll.judged_without_topic)
            err_ << "trawl-bench eval: " << dir << ": " << coll.judged_without_topic
                 << " judged queries are missing from the topics file (not run, not in the means)\n";
        missing_from_topics_ = coll.judged_without_topic;
        const auto queries = select_queries(coll.queries, o_.subset);
        const auto qrels = restrict_qrels(coll.qrels, queries);
        std::vector<EvalRow> rows;
        run_trawl(coll, queries, qrels, rows);
        run_peers(coll, queries, qrels, rows);
        compare_with_baseline(rows, o_.baseline);
        return rows;
    }

    // The line saying how Trawl's documents were cleaned (the peers index the same).
    std::string cleaning_line() const {
        if (!o_.clean) return "documents indexed as they are (cleaning off; --clean cleans them as trawl-index does)";
        return "documents cleaned as trawl-index does (--clean): " + std::to_string(duplicates_) +
               " duplicates skipped, " + std::to_string(boilerplate_lines_) + " boilerplate lines removed";
    }

private:
    void say(const std::string& what) {
        if (progress_) err_ << "trawl-bench eval: " << what << "\n";
    }

    void write_run(const EvalRow& row, const Run& run) {
        if (o_.run_dir.empty()) return;
        // "<collection>.<engine>[.<config>].run", every other character than
        // letters, digits, '.' and '-' made '_' (peer names hold spaces).
        std::string name = row.collection + "." + row.engine + (row.config.empty() ? "" : "." + row.config);
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
        const auto path = o_.run_dir + "/" + name + ".run";
        std::ofstream out(path);
        if (!out) throw Error(path + ": cannot write run file");
        write_trec_run(out, run, row.engine);
    }

    // Scores `run`, records its latencies, writes its run file, keeps the row.
    void finish_row(EvalRow row, const Run& run, const std::vector<double>& ms, const Qrels& qrels,
                    std::vector<EvalRow>& rows) {
        row.metrics = evaluate(qrels, run);
        row.p50_ms = percentile(ms, 0.5);
        row.p99_ms = percentile(ms, 0.99);
        write_run(row, run);
        row.queries_missing_from_topics = missing_from_topics_;
        rows.push_back(std::move(row));
    }

    // Indexes the collection with the trawl-index job on one thread (the
    // document order, and so the order of tied scores, is the input order).
    // The passage index also records what was kept, for the peers.
    std::string index(const TestCollection& coll, const ScratchDir& scratch, const corpus::SplitOptions& split) {
        const auto db = scratch.sub(split.words == 0 ? "whole.idx" : "trawl.idx");
        say("indexing " + std::to_string(coll.documents.size()) + " documents with Trawl" +
            (split.words == 0 ? " (whole documents)" : ""));
        DiagnosticLines diag;
        index::IndexConfig cfg;
        cfg.db_path = db;
        cfg.builder.split = split;
        cfg.summary = false;
        if (!o_.clean) {
            cfg.cleaning.boilerplate = false;
            cfg.cleaning.dedup.mode = corpus::DedupMode::Off;
        }
        const bool passages = split.words == split_.words;
        if (passages) kept_.clear();
        const auto report = index::index_articles(cfg, index::articles_in_memory(coll.documents), diag.sink(),
                                                  [&](const corpus::Article& a) {
                                                      if (passages) kept_.push_back(a);
                                                  });
        // What the indexer dropped (an article without passages...) cannot be
        // retrieved: said, as trawl-index says it. Once: the whole-document
        // index drops the same.
        if (passages)
            for (const auto& line : diag.lines("trawl-bench eval: ")) err_ << line << "\n";
        if (passages) {
            duplicates_ += report.cleaning.exact + report.cleaning.near;
            boilerplate_lines_ += report.cleaning.removed.total();
        }
        return db;
    }

    void run_trawl(const TestCollection& coll, const std::vector<EvalQuery>& queries, const Qrels& qrels,
                   std::vector<EvalRow>& rows) {
        ScratchDir scratch;
        const auto db = index(coll, scratch, split_);
        if (kept_.empty()) throw InputError(coll.name, 0, "every document was skipped: nothing to search");
        std::string whole_db;
        for (const auto& c : trawl_configs(o_)) {
            if (c.whole && whole_db.empty()) whole_db = index(coll, scratch, {0, 0});
            query::SearchOptions so;
            so.dbs = {c.whole ? whole_db : db};
            so.k1 = c.k1;
            so.b = c.b;
            so.by_article = true;  // an article scores as its best passage (with its article's evidence)
            so.limit = o_.depth;
            so.ids_only = true;
            so.proximity = {c.proximity, o_.window};
            so.article = c.article;
            // As trawl-query re-ranks: the top rerank_depth articles, the
            // rest in BM25 order below them (so MAP and recall past that depth
            // measure the best passage alone).
            so.rerank_depth = o_.rerank_depth;
            so.expand.on = c.expand;
            query::Searcher searcher(so);
            EvalRow row{coll.name, "trawl", c.label, {}, 0, 0, c.is_default, {}, {}, {}, 0};
            say("running " + std::to_string(queries.size()) + " queries, " + row.config);
            Run run;
            std::vector<double> ms;
            for (const auto& q : queries) {
                const auto text = bag_of_words_query(q.text);
                Stopwatch sw;
                auto rs = searcher.search(q.id, text);
                ms.push_back(sw.millis());
                auto& entries = run[q.id];
                for (const auto& h : rs.hits) entries.push_back({h.article_id, h.score});
            }
            finish_row(std::move(row), run, ms, qrels, rows);
        }
    }

    void run_peers(const TestCollection& coll, const std::vector<EvalQuery>& queries, const Qrels& qrels,
                   std::vector<EvalRow>& rows) {
        // A peer skipped as unavailable was said so once, up front.
        std::ostringstream said;
        auto peers = select_peers(o_.peers, said);
        if (peers.empty()) return;
        // The peers index exactly Trawl's units: whole documents, or the same
        // passages (each with its article's title), scored per article by max-passage.
        const bool passages = split_.words > 0;
        const auto docs = peer_docs(kept_, split_);  // what Trawl indexed
        std::vector<PeerQuery> pq;
        for (const auto& q : queries) {
            PeerQuery p;
            p.id = q.id;
            std::stringstream words(bag_of_words_query(q.text));
            for (std::string w; words >> w;) p.terms.push_back(w);
            pq.push_back(std::move(p));
        }
        for (auto& peer : peers) {
            ScratchDir scratch;
            say("indexing " + std::to_string(docs.size()) + " units with " + peer->name());
            peer->build(docs, scratch.sub("peer"), 1);
            say("running " + std::to_string(pq.size()) + " queries with " + peer->name());
            const unsigned k = passages ? o_.depth * 3 : o_.depth;
            // One untimed pass first, so that Lucene's latencies are not its JIT warming up.
            auto results = peer->search(pq, k, 1, 1);
            EvalRow row{coll.name, peer->name(), "", {}, 0, 0, false, {}, {}, {}, 0};
            Run run;
            std::vector<double> ms;
            for (const auto& r : results) {
                ms.push_back(r.latency_micros / 1e3);
                auto& entries = run[r.query_id];
                std::set<std::string> seen;
                for (const auto& h : r.hits) {
                    std::string article = h.doc_id;
                    if (passages) article.erase(article.rfind('#'));
                    if (seen.insert(article).second && entries.size() < o_.depth) entries.push_back({article, h.score});
                }
            }
            finish_row(std::move(row), run, ms, qrels, rows);
        }
    }

    const EvalOptions& o_;
    const corpus::SplitOptions split_;                      // Trawl's and the peers' units
    std::vector<corpus::Article> kept_;                     // the documents Trawl indexed (all of them unless --clean)
    std::uint64_t duplicates_ = 0, boilerplate_lines_ = 0;  // what --clean dropped, over every collection
    std::size_t missing_from_topics_ = 0;                   // of the collection being run
    std::ostream& err_;
    bool progress_;
};

// "+1.6%" and its p-value, or blanks for the baseline (and rows without one).
std::string change_cell(const Difference& d) {
    std::ostringstream os;
    os << std::showpos << std::fixed << std::setprecision(1) << d.change * 100 << "%";
    return os.str();
}

// `depth`: documents retrieved per query. Below 1000 the run holds no more,
// and the last recall column is recall at the depth: so labelled.
void print_table(std::ostream& out, const std::vector<EvalRow>& rows, unsigned depth) {
    out << std::left << std::setw(12) << "collection" << std::setw(20) << "engine" << std::setw(46) << "config"
        << std::right << std::setw(8) << "queries" << std::setw(9) << "nDCG@10" << std::setw(9) << "MAP" << std::setw(9)
        << "MRR@10" << std::setw(9) << "R@100" << std::setw(9) << ("R@" + std::to_string(std::min(depth, 1000u)))
        << std::setw(9) << "p50 ms" << std::setw(9) << "p99 ms" << std::setw(10) << "ΔnDCG" << std::setw(8) << "p"
        << std::setw(10) << "ΔMAP" << std::setw(8) << "p"
        << "\n";
    for (const auto& r : rows) {
        const auto& m = r.metrics;
        out << std::left << std::setw(12) << r.collection << std::setw(20) << r.engine << std::setw(46) << r.config
            << std::right << std::setw(8) << m.queries_evaluated << std::setw(9) << fmt(m.ndcg10) << std::setw(9)
            << fmt(m.map) << std::setw(9) << fmt(m.mrr10) << std::setw(9) << fmt(m.recall100) << std::setw(9)
            << fmt(m.recall1000) << std::setw(9) << fmt(r.p50_ms, 2) << std::setw(9) << fmt(r.p99_ms, 2);
        if (r.baseline.empty())
            out << std::setw(9) << "base" << std::setw(8) << "" << std::setw(9) << "base" << std::setw(8) << "";
        else
            out << std::setw(9) << change_cell(r.ndcg10) << std::setw(8) << fmt(r.ndcg10.p, 4) << std::setw(9)
                << change_cell(r.map) << std::setw(8) << fmt(r.map.p, 4);
        out << "\n";
    }
}

nlohmann::json to_json(const EvalRow& r, bool per_query, bool cleaned) {
    const auto& m = r.metrics;
    nlohmann::json j = {{"collection", r.collection},
                        {"engine", r.engine},
                        {"config", r.config},
                        {"cleaning", cleaned ? "trawl-index" : "off"},
                        {"queries_evaluated", m.queries_evaluated},
                        {"queries_without_relevant", m.queries_without_relevant},
                        {"queries_missing_from_run", m.queries_missing_from_run},
                        {"queries_missing_from_topics", r.queries_missing_from_topics},
                        {"ndcg@10", m.ndcg10},
                        {"map", m.map},
                        {"mrr@10", m.mrr10},
                        {"recall@100", m.recall100},
                        {"recall@1000", m.recall1000},
                        {"latency_p50_ms", r.p50_ms},
                        {"latency_p99_ms", r.p99_ms}};
    if (!r.baseline.empty())
        j["vs_baseline"] = {{"baseline", r.baseline},
                            {"ndcg@10_change", r.ndcg10.change},
                            {"ndcg@10_p", r.ndcg10.p},
                            {"map_change", r.map.change},
                            {"map_p", r.map.p}};
    if (per_query) {
        auto& pq = j["per_query"] = nlohmann::json::array();
        for (const auto& q : m.per_query)
            pq.push_back({{"qid", q.qid},
                          {"ndcg@10", q.ndcg10},
                          {"ap", q.ap},
                          {"rr@10", q.rr10},
                          {"recall@100", q.recall100},
                          {"recall@1000", q.recall1000}});
    }
    return j;
}

}  // namespace

int run_eval_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    EvalOptions o;
    po::options_description visible(
        "Usage: trawl-bench eval [options] COLLECTION_DIR...\n\n"
        "Indexes each test collection (Cranfield SMART files, or the BEIR layout:\n"
        "corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv) with Trawl and the peer engines,\n"
        "runs its queries as bags of words, and prints nDCG@10, MAP, MRR@10, Recall@100\n"
        "and Recall@1000 as trec_eval computes them. Documents are split into passages\n"
        "(--passage-words 0: whole documents) and ranked as trawl-query --by-article does.\n"
        "Trawl runs whole documents, passages by their best passage (MaxP), the default,\n"
        "the default + proximity and + expand; --k1, --b, --proximity, --article-weight,\n"
        "--aggregation and --expand take comma-separated lists and run every combination\n"
        "instead. Every row is compared with the baseline (--baseline; default: Trawl's\n"
        "default) per query: relative change of nDCG@10 and MAP, and the p-value of a\n"
        "paired randomization test.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit");
    // clang-format on
    o.passages.add_to(visible);
    // clang-format off
    visible.add_options()
        ("k1", po::value(&o.k1)->value_name("X[,X...]")->default_value(o.k1), "BM25 k1 value(s)")
        ("b", po::value(&o.b)->value_name("X[,X...]")->default_value(o.b), "BM25 b value(s)")
        ("proximity", po::value(&o.proximity)->value_name("W[,W...]")->default_value(o.proximity),
            "proximity weight(s); 0 = plain BM25")
        ("article-weight", po::value(&o.article_weight)->value_name("A[,A...]")->default_value(o.article_weight),
            "weight(s) of a hit's article in its score; 0 = the best passage alone")
        ("aggregation", po::value(&o.aggregation)->value_name("NAME[,NAME...]")->default_value(o.aggregation),
            "how an article's passages make its score: doc (BM25 of the article), sump, firstp")
        ("expand", po::value(&o.expand)->value_name("0|1[,...]")->default_value(o.expand),
            "query expansion (RM3) off (0) or on (1)")
        ("baseline", po::value(&o.baseline)->value_name("NAME"),
            "the row every other is compared with (a config such as \"whole documents\", or a peer: fts5, "
            "lucene); default: Trawl's default ranking")
        ("window", po::value(&o.window_arg)->value_name("N")->default_value(o.window_arg), "proximity window in words")
        ("rerank-depth", po::value(&o.rerank_depth_arg)->value_name("N")->default_value(o.rerank_depth_arg),
            "hits re-ranked by the article evidence and proximity (as trawl-query --rerank-depth)")
        ("depth", po::value(&o.depth_arg)->value_name("N")->default_value(o.depth_arg), "documents retrieved per query")
        ("split", po::value(&o.split)->value_name("NAME")->default_value(o.split), "BEIR qrels split (qrels/NAME.tsv)")
        ("queries", po::value(&o.subset)->value_name("SET")->default_value(o.subset),
            "queries to run: all, odd or even (by position; tune on one half, check on the other)")
        ("peers", po::value(&o.peers)->value_name("LIST")->default_value(o.peers),
            "peer engines to run too: all, none, or a list of fts5,lucene")
        ("run-dir", po::value(&o.run_dir)->value_name("DIR"), "write each run as a TREC run file into DIR")
        ("clean", po::bool_switch(&o.clean),
            "clean the documents as trawl-index does (boilerplate removal, exact duplicates skipped); off by "
            "default: test collections are not scraped news, and a judged document dropped as boilerplate or "
            "as a duplicate of another would count as not retrieved")
        ("per-query", po::bool_switch(&o.per_query), "with --json: each query's metrics too");
    // clang-format on
    o.report.add_to(visible, "print JSON instead of a table");
    const auto vm = parse_command_line(argc, argv, visible, &o.collections);
    if (vm.count("help")) {
        out << visible << "\nExample:\n  trawl-bench eval --passage-words 0 ../shared/data/cranfield\n";
        return 0;
    }
    if (o.collections.empty()) throw UsageError("give at least one COLLECTION_DIR");
    if (o.subset != "all" && o.subset != "odd" && o.subset != "even")
        throw UsageError("--queries must be all, odd or even");
    o.passages.check();
    // trawl-query's bounds (--proximity-window, --rerank-depth); a million
    // documents a query is past any judged pool, and keeps the peers' depth
    // (3x, passages) within 32 bits.
    o.window = count_option("--window", o.window_arg, 1);
    o.rerank_depth = count_option("--rerank-depth", o.rerank_depth_arg, 0);
    o.depth = count_option("--depth", o.depth_arg, 1, 1000000);
    if (o.passages.passage_words > 0 && o.passages.overlap >= o.passages.passage_words)
        throw UsageError("--overlap must be smaller than --passage-words");
    for (const char* grid_option : {"k1", "b", "proximity", "article-weight", "aggregation", "expand"})
        if (!vm[grid_option].defaulted()) o.grid = true;
    if (o.baseline == "fts5") o.baseline = "sqlite-fts5";
    if (o.baseline == "lucene") o.baseline = "lucene-8";
    // Fail on a bad list, an unknown peer or a baseline no row will have
    // before indexing anything.
    const auto configs = trawl_configs(o);
    std::vector<std::string> peer_names;
    for (const auto& p : select_peers(o.peers, err)) peer_names.push_back(p->name());
    if (!o.baseline.empty()) {
        bool found = false;
        for (const auto& c : configs) found = found || c.label == o.baseline;
        for (const auto& p : peer_names) found = found || p.starts_with(o.baseline);
        if (!found)
            throw UsageError("--baseline: no row named '" + o.baseline +
                             "' (a Trawl config of this run, or a peer of --peers that can run)");
    }
    if (!o.run_dir.empty()) std::filesystem::create_directories(o.run_dir);
    auto plots = plot::open_plot_dir(o.report.plot_dir);

    Evaluator ev(o, err);
    std::vector<EvalRow> rows;
    for (const auto& dir : o.collections) {
        auto r = ev.run(dir);
        rows.insert(rows.end(), std::make_move_iterator(r.begin()), std::make_move_iterator(r.end()));
    }
    if (o.report.json) {
        auto j = nlohmann::json::array();
        for (const auto& r : rows) j.push_back(to_json(r, o.per_query, o.clean));
        out << j.dump(2) << "\n";
    } else {
        print_table(out, rows, o.depth);
        out << ev.cleaning_line() << "\n";
    }
    if (plots) {
        // Each row's p-values against its baseline (nDCG@10 and MAP are tested).
        std::vector<plot::EvalPlotRow> plotted;
        for (const auto& r : rows) {
            plot::EvalPlotRow p{r.collection,
                                plot::engine_label(r.engine) + (r.config.empty() ? "" : " " + r.config),
                                r.metrics,
                                {},
                                r.baseline.empty()};
            if (!r.baseline.empty()) {
                p.p_values[0] = r.ndcg10.p;
                p.p_values[1] = r.map.p;
            }
            plotted.push_back(std::move(p));
        }
        plot::write_eval_plots(*plots, plot::today_utc(), plotted);
        plot::render(*plots, err, o.report.quiet);
    }
    return 0;
}

}  // namespace trawl::bench
