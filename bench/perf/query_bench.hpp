// Query latency side by side: Trawl's search path (top k with snippets, as
// trawl-query runs it) and the peers' on the same query set, one table per
// query kind (perf/latency_report.hpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/peers/peer.hpp"
#include "bench/perf/latency_report.hpp"
#include "query/searcher.hpp"

namespace trawl::bench {

// Trawl answering `queries` (trawl-query's language) as a peer would: top
// opts.k through Searcher::search() with stored text and snippets (ids only
// when !opts.snippets), one Searcher per thread. A malformed query counts as
// no hits; `errors` (if given) receives how many there were. `mapped_reads`:
// the tables read from mappings (query/mapped_reads.hpp) for the run, as
// trawl-query reads them for a batch of queries.
PeerRun run_trawl(const query::SearchOptions& search, const std::vector<std::string>& queries,
                  const PeerRunOptions& opts, std::size_t* errors = nullptr, bool mapped_reads = true);

struct LatencyBenchOptions {
    query::SearchOptions search;  // Trawl's index and ranking; limit is set from k
    unsigned k = 10;
    unsigned warmup = 1;
    unsigned repetitions = 3;
    std::vector<unsigned> threads = {1, 2};
    bool by_article = true;  // a "trawl --by-article" row too (no peer has that mode)
    bool snippets = true;    // false: top k ids and scores only, for every engine
};

// "bag-of-words", "phrase", "NEAR/n", "ADJ/n".
std::string kind_label(PeerQuery::Kind kind, unsigned distance);

// One table per query kind present in `queries` (in Words, Phrase, Near, Adj
// order): rows Trawl, Trawl --by-article, each of `peers` (built on the same
// passages); ratio rows Trawl/peer. `say` reports progress (may be empty).
std::vector<LatencyTable> latency_side_by_side(const std::vector<PeerQuery>& queries, const LatencyBenchOptions& opts,
                                               const std::vector<Peer*>& peers,
                                               const std::function<void(const std::string&)>& say);

}  // namespace trawl::bench
