// Peer engines (SQLite FTS5, Lucene 8) driven on exactly the same documents
// and queries as Trawl, for side-by-side speed, size and relevance figures.
// A peer whose dependencies are missing is reported as unavailable, with why.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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
    std::vector<std::string> terms;  // lower-case words as typed
    unsigned distance = 0;           // Near/Adj
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
};

struct PeerQueryResult {
    std::string query_id;
    std::vector<PeerHit> hits;      // best first
    double latency_micros = 0;      // median over repetitions, measured inside the engine
};

class Peer {
public:
    virtual ~Peer() = default;
    virtual std::string name() const = 0;
    // Indexes `docs` into a fresh index in `dir` (title and text as fields,
    // positions kept, text stored). `threads` is the writer thread count.
    virtual PeerIndexReport build(const std::vector<PeerDoc>& docs, const std::string& dir, unsigned threads) = 0;
    // Runs every query `repetitions` times after `warmup` untimed runs; top-`k` hits.
    virtual std::vector<PeerQueryResult> search(const std::vector<PeerQuery>& queries, unsigned k, unsigned warmup,
                                                unsigned repetitions) = 0;
};

// nullptr + `why` when the peer cannot run here (library/JVM/jar missing).
std::unique_ptr<Peer> make_fts5_peer(std::string& why);
std::unique_ptr<Peer> make_lucene_peer(std::string& why);

}  // namespace trawl::bench
