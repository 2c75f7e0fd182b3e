// Indexing side by side: Trawl (the trawl-index job, cleaning included) and
// each peer index the same passages of a corpus held in memory — the articles
// Trawl's cleaning kept; the table of wall/CPU seconds, MB/s, units/s, peak
// RSS and index size (bytes per input byte, Trawl's split by Xapian table)
// with Trawl/peer ratio rows. Shared by trawl-bench index and compare, which
// keeps the indexes for its query tables.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bench/peers/peer.hpp"
#include "corpus/base/article.hpp"
#include "corpus/base/diagnostics.hpp"
#include "corpus/text/passage_splitter.hpp"
#include "indexer/index_job.hpp"

namespace trawl::bench {

// A corpus read into memory, and the units every engine indexes.
struct BenchCorpus {
    std::vector<corpus::Article> read;      // as the readers gave them (index_with_trawl() empties it)
    std::vector<corpus::Article> articles;  // what Trawl's cleaning kept: what every engine indexes
    std::vector<PeerDoc> docs;              // their units
    // The text every throughput and size figure is taken over: each kept
    // article's title and body, once (MB of text, MB/s, x input). The same
    // for every engine, whatever the passages repeat.
    std::uint64_t input_bytes = 0;
    // The bytes of the units' text as cut: what consecutive passages repeat
    // (--overlap) counted each time; titles not included. Shown beside
    // input_bytes, never divided by.
    std::uint64_t passage_bytes = 0;
    std::uint64_t skipped = 0;      // records the readers (and the cleaning) skipped
    index::CleaningStats cleaning;  // what Trawl's cleaning dropped
};
// Reads `inputs` as trawl-index does (default reader options) into c.read.
BenchCorpus read_bench_corpus(const std::vector<std::string>& inputs);

// Makes `kept` (articles after cleaning) the corpus every engine indexes:
// c.articles, c.docs split as `split`, c.input_bytes, c.passage_bytes.
void keep_articles(BenchCorpus& c, std::vector<corpus::Article> kept, const corpus::SplitOptions& split);

// The configuration trawl-bench indexes with: trawl-index's defaults, cleaning
// included, but for the passage split, the threads and the memory budget;
// into `db`, quiet.
index::IndexConfig trawl_index_config(const std::string& db, const corpus::SplitOptions& split, unsigned threads = 1,
                                      std::size_t memory_bytes = std::size_t(512) << 20);

struct IndexRow {
    std::string engine;
    std::uint64_t units = 0;
    PeerIndexReport report;
    std::map<std::string, std::uint64_t> tables;  // Trawl: bytes per Xapian table ("postlist", ..., "other")
};

// Bytes of each glass table ("postlist", "position", ...) in an index
// directory; files that are not tables count as "other".
std::map<std::string, std::uint64_t> table_bytes(const std::string& dir);

// Indexes c.read with Trawl through the trawl-index job (index::index_articles:
// boilerplate learned and removed, duplicates skipped, then IndexPipeline), as
// `config` says, and times it. Then makes what the job kept the corpus every
// engine indexes: fills c.articles, c.docs (split as config.builder.split),
// c.input_bytes, c.passage_bytes and c.cleaning, adds the job's skips to c.skipped, frees c.read.
IndexRow index_with_trawl(BenchCorpus& c, const index::IndexConfig& config);

// The corpus line, the engine table with ratio rows (first row = Trawl) and
// Trawl's size split: postings (postlist), positions (position), stored text
// (in the postlist table since format v3) and the rest.
void print_index_table(std::ostream& out, const BenchCorpus& c, const std::vector<IndexRow>& rows);
nlohmann::json index_table_json(const BenchCorpus& c, const std::vector<IndexRow>& rows);

}  // namespace trawl::bench
