// Peer engines (SQLite FTS5, Lucene 8) driven on exactly the same documents
// and queries as Trawl, for side-by-side speed, size and relevance figures.
// A peer whose dependencies are missing is reported as unavailable, with why.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "corpus/base/article.hpp"
#include "corpus/text/passage_splitter.hpp"

namespace trawl::bench {

// One unit of retrieval as every engine sees it: a Trawl passage (or a whole
// document when passages are off). `id` is what run files print.
struct PeerDoc {
    std::string id;
    std::string title;
    std::string text;
};

// A query in engine-neutral form, translated by each peer into its own syntax.
struct PeerQuery {
    enum class Kind { Words, Phrase, Near, Adj };  // bag of words (ranked OR), "phrase", NEAR/n, ADJ/n
    std::string id;
    Kind kind = Kind::Words;
    std::vector<std::string> terms;    // lower-case words as typed; at least one
    unsigned distance = 0;             // Near/Adj
    std::string trawl_syntax() const;  // the same query in trawl-query's language
};

struct PeerIndexReport {
    double wall_seconds = 0;
    double cpu_seconds = 0;
    std::uint64_t index_bytes = 0;
    std::uint64_t peak_rss_bytes = 0;
};

struct PeerHit {
    std::string doc_id;
    double score = 0;
    std::string snippet;  // the engine's highlighted excerpt of the text, when asked for
};

struct PeerQueryResult {
    std::string query_id;
    std::vector<PeerHit> hits;  // best first
    double latency_micros = 0;  // median over repetitions, measured inside the engine
};

// How Peer::run() runs a query set: `warmup` untimed passes, then
// `repetitions` timed ones (time_passes() in bench/latency.hpp); `threads`
// searchers (connections) each take a contiguous share of the queries.
struct PeerRunOptions {
    unsigned k = 10;
    unsigned warmup = 1;
    unsigned repetitions = 1;
    unsigned threads = 1;
    bool snippets = false;  // make a highlighted snippet of each hit's text (timed)
};

struct PeerRun {
    std::vector<PeerQueryResult> results;  // in query order
    double wall_seconds = 0;               // of the timed passes, inside the engine
};

class Peer {
public:
    virtual ~Peer() = default;
    virtual std::string name() const = 0;
    // Caveats a reader of the figures must know (a query kind run approximately,
    // what peak RSS covers...); empty when there are none.
    virtual std::string notes() const { return {}; }
    // Indexes `docs` into a fresh index in `dir` (title and text as fields,
    // positions kept, text stored). `threads` is the writer thread count.
    virtual PeerIndexReport build(const std::vector<PeerDoc>& docs, const std::string& dir, unsigned threads) = 0;
    // Runs the query set as `opts` says; top-`k` hits of each query, its
    // latency the median of its timed runs. Throws trawl::Error when called
    // before build().
    virtual PeerRun run(const std::vector<PeerQuery>& queries, const PeerRunOptions& opts) = 0;
    // One thread, no snippets.
    std::vector<PeerQueryResult> search(const std::vector<PeerQuery>& queries, unsigned k, unsigned warmup,
                                        unsigned repetitions) {
        return run(queries, {k, warmup, repetitions, 1, false}).results;
    }
};

// nullptr + `why` when the peer cannot run here (library/JVM/jar missing).
std::unique_ptr<Peer> make_fts5_peer(std::string& why);
std::unique_ptr<Peer> make_lucene_peer(std::string& why);

// The peers named in `list` ("all", "none", or "fts5,lucene"). A peer that
// cannot run here is left out with a line on `err` saying why; an unknown
// name is a UsageError.
std::vector<std::unique_ptr<Peer>> select_peers(const std::string& list, std::ostream& err);

// Measurement helpers shared by the peer drivers (peer.cpp); latency
// figures come from bench/latency.hpp like Trawl's own.
// The units every engine indexes for `articles`: Trawl's passages (id
// "<article>#<ordinal>", each with its article's title), or whole articles
// (id = article id) when `split.words` is 0.
std::vector<PeerDoc> peer_docs(const std::vector<corpus::Article>& articles, const corpus::SplitOptions& split);

namespace peer_util {

// This process's CPU time (user + system) so far and its peak resident set size.
struct ProcessUsage {
    double cpu_seconds = 0;
    std::uint64_t peak_rss_bytes = 0;
};
ProcessUsage self_usage();

}  // namespace peer_util

}  // namespace trawl::bench
