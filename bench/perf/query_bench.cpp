#include "bench/perf/query_bench.hpp"

#include <algorithm>
#include <atomic>
#include <memory>

#include "bench/latency.hpp"
#include "corpus/base/error.hpp"
#include "query/mapped_reads.hpp"

namespace trawl::bench {

PeerRun run_trawl(const query::SearchOptions& search, const std::vector<std::string>& queries,
                  const PeerRunOptions& opts, std::size_t* errors, bool mapped_reads) {
    const query::MappedReadsScope mapped(mapped_reads);
    query::SearchOptions so = search;
    so.limit = opts.k;
    so.ids_only = !opts.snippets;
    PeerRun out;
    out.results.resize(queries.size());
    std::atomic<std::size_t> malformed{0};
    auto timed = time_passes(queries.size(), opts.threads, opts.warmup, opts.repetitions, [&](unsigned) {
        auto searcher = std::make_shared<query::Searcher>(so);
        return [&, searcher](std::size_t i) {
            auto& result = out.results[i];
            result.query_id = std::to_string(i + 1);
            result.hits.clear();
            try {
                auto rs = searcher->search(result.query_id, queries[i]);
                for (auto& h : rs.hits) result.hits.push_back({h.passage_id, h.score, std::move(h.snippet.text)});
            } catch (const QuerySyntaxError&) {
                ++malformed;
            }
        };
    });
    for (std::size_t i = 0; i < queries.size(); ++i) out.results[i].latency_micros = timed.micros[i];
    out.wall_seconds = timed.wall_seconds;
    // every pass meets the same malformed queries: count them once
    const unsigned passes = opts.warmup + std::max(opts.repetitions, 1u);
    if (errors) *errors = malformed / passes;
    return out;
}

std::string kind_label(PeerQuery::Kind kind, unsigned distance) {
    switch (kind) {
        case PeerQuery::Kind::Words:
            return "bag-of-words";
        case PeerQuery::Kind::Phrase:
            return "phrase";
        case PeerQuery::Kind::Near:
            return "NEAR/" + std::to_string(distance);
        case PeerQuery::Kind::Adj:
            return "ADJ/" + std::to_string(distance);
    }
    return "?";
}

namespace {

std::size_t matched(const PeerRun& run) {
    return static_cast<std::size_t>(
        std::count_if(run.results.begin(), run.results.end(), [](const auto& r) { return !r.hits.empty(); }));
}

}  // namespace

std::vector<LatencyTable> latency_side_by_side(const std::vector<PeerQuery>& queries, const LatencyBenchOptions& opts,
                                               const std::vector<Peer*>& peers,
                                               const std::function<void(const std::string&)>& say) {
    std::vector<LatencyTable> tables;
    for (auto kind : {PeerQuery::Kind::Words, PeerQuery::Kind::Phrase, PeerQuery::Kind::Near, PeerQuery::Kind::Adj}) {
        std::vector<PeerQuery> subset;
        for (const auto& q : queries)
            if (q.kind == kind) subset.push_back(q);
        if (subset.empty()) continue;
        const std::string label = kind_label(kind, subset.front().distance);
        LatencyTable table;
        table.title = label + " (" + std::to_string(subset.size()) + " queries, top " + std::to_string(opts.k) +
                      (opts.snippets ? " with snippets" : ", no snippets") + "; each query's median of " +
                      std::to_string(opts.repetitions) + " timed runs after " + std::to_string(opts.warmup) +
                      " warm-up)";
        table.threads = opts.threads;
        // Latencies from the first thread count's run; QPS from each.
        // `run_with(options, &malformed)` runs the subset once.
        auto measure = [&](const std::string& engine, auto&& run_with) {
            LatencyRow row;
            std::vector<double> qps;
            std::size_t malformed = 0;
            for (std::size_t t = 0; t < opts.threads.size(); ++t) {
                if (say) say(label + ": " + engine + ", " + std::to_string(opts.threads[t]) + " thread(s)");
                PeerRunOptions ro{opts.k, opts.warmup, opts.repetitions, opts.threads[t], opts.snippets};
                PeerRun run = run_with(ro, &malformed);
                const double queries_run = double(subset.size()) * std::max(opts.repetitions, 1u);
                qps.push_back(run.wall_seconds > 0 ? queries_run / run.wall_seconds : 0);
                if (t == 0) {
                    std::vector<double> micros;
                    for (const auto& r : run.results) micros.push_back(r.latency_micros);
                    row = latency_row(engine, micros, matched(run), {});
                    row.malformed = malformed;
                }
            }
            row.qps = std::move(qps);
            table.rows.push_back(std::move(row));
        };
        std::vector<std::string> texts;
        for (const auto& q : subset) texts.push_back(q.trawl_syntax());
        for (bool by_article : {false, true}) {
            if (by_article && !opts.by_article) continue;
            query::SearchOptions so = opts.search;
            so.by_article = by_article;
            measure(by_article ? "trawl --by-article" : "trawl", [&](const PeerRunOptions& ro, std::size_t* malformed) {
                return run_trawl(so, texts, ro, malformed);
            });
        }
        for (auto* peer : peers) {
            table.peer_rows.push_back(table.rows.size());
            // A peer fails on a query it cannot run (peer.hpp): none is malformed.
            measure(peer->name(), [&](const PeerRunOptions& ro, std::size_t*) { return peer->run(subset, ro); });
        }
        tables.push_back(std::move(table));
    }
    return tables;
}

}  // namespace trawl::bench
