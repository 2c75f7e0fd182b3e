// trawl-index --rebuild: rewrites an index without its dead passages.
//
// A format v3+ index never removes a document (it has no termlist table,
// format/deletions.hpp): deleting or replacing an article records its old
// passages as dead, and they keep their disk space and their share of the
// BM25 statistics. Rebuilding writes every live passage again into a fresh
// database, from the index's own stored passages (no source files needed):
// the same terms, values and stored records (the compressed payloads are
// copied, not recompressed), the same dictionary and positional words, the
// articles in the order they are in the database. The fresh database is
// compacted and swapped in by an exchange of directory names, holding the
// old one's lock throughout, so a killed rebuild leaves the index as it was
// and a finished one leaves an index a fresh run over the live articles
// would have made (scores included). A sharded index is rebuilt shard by
// shard, each swapped in on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace trawl::index {

class Progress;

struct RebuildOptions {
    bool compact = true;                                // compact the fresh database before the swap
    std::size_t memory_bytes = std::size_t(512) << 20;  // as --memory: Xapian's flush threshold
    std::uint32_t batch_articles = 2000;                // articles per commit of the fresh database
};

struct RebuildStats {
    std::uint64_t databases = 0;      // databases of the index
    std::uint64_t rebuilt = 0;        // of which had dead passages and were rewritten
    std::uint64_t articles = 0;       // live articles written again
    std::uint64_t passages = 0;       // live passages written again
    std::uint64_t dead_passages = 0;  // dropped
    std::uint64_t bytes_before = 0;   // the rebuilt databases on disk, before and after
    std::uint64_t bytes_after = 0;
};

// Rebuilds each database of the index at `path` that has dead passages
// (the others are left untouched). Throws trawl::Error when the index is
// missing, locked, or a mount point (no directory can be
// swapped in), or one shard of a sharded index given on its own (rebuild the
// index: index_dir.hpp refuse_shard_of_a_set), IndexFormatError for another
// format or a damaged record.
RebuildStats rebuild_index(const std::string& path, const RebuildOptions& opts, Progress* progress);

}  // namespace trawl::index
