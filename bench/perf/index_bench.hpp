// Indexing side by side: Trawl (IndexBuilder) and each peer index the same
// passages of a corpus held in memory; the table of wall/CPU seconds, MB/s,
// units/s, peak RSS and index size (bytes per input byte, Trawl's split by
// Xapian table) with Trawl/peer ratio rows. Shared by trawl-bench index and
// compare, which keeps the indexes for its query tables.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "article.hpp"
#include "diagnostics.hpp"
#include "passage_splitter.hpp"
#include "peers/peer.hpp"

namespace trawl::bench {

// A corpus read into memory, and the units every engine indexes.
struct BenchCorpus {
    std::vector<corpus::Article> articles;
    std::vector<PeerDoc> docs;
    std::uint64_t input_bytes = 0;  // passage text + each article's title once
    std::uint64_t skipped = 0;      // records the readers skipped
};
BenchCorpus read_bench_corpus(const std::vector<std::string>& inputs, const corpus::SplitOptions& split);

struct IndexRow {
    std::string engine;
    std::uint64_t units = 0;
    PeerIndexReport report;
    std::map<std::string, std::uint64_t> tables;  // Trawl: bytes per Xapian table ("postlist", ..., "other")
};

// Bytes of each glass table ("postlist", "position", ...) in an index
// directory; files that are not tables count as "other".
std::map<std::string, std::uint64_t> table_bytes(const std::string& dir);

// Indexes the corpus with Trawl into `trawl_db` (one thread).
// Trawl indexes c's articles through the trawl-index pipeline (IndexPipeline)
// with `threads` worker threads and a memory budget of `memory_bytes`.
IndexRow index_with_trawl(const BenchCorpus& c, const corpus::SplitOptions& split, const std::string& trawl_db,
                          unsigned threads = 1, std::size_t memory_bytes = std::size_t(512) << 20);

// The corpus line, the engine table with ratio rows (first row = Trawl) and
// Trawl's size split: postings (postlist), positions (position), stored text
// (docdata) and the rest.
void print_index_table(std::ostream& out, const BenchCorpus& c, const std::vector<IndexRow>& rows);
nlohmann::json index_table_json(const BenchCorpus& c, const std::vector<IndexRow>& rows);

}  // namespace trawl::bench
