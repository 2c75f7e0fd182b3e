// Deleting articles from an index: every passage of each article (boolean term
// A<id>) goes in one committed transaction — all of the list or none of it —
// and so does an article's twin record (format/twins.hpp: an article skipped
// as a duplicate, which is deleted as an indexed one is). Then the twins
// whose original the deletion took are indexed (indexer/twins.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trawl::index {

struct DeleteStats {
    std::uint64_t articles = 0;        // articles found and deleted
    std::uint64_t passages = 0;        // their passages
    std::vector<std::string> unknown;  // ids not in the index (nothing deleted)
    std::uint64_t restored = 0;        // twins indexed afterwards: their original was deleted
};

// Deletes the articles `ids` (duplicates count once) from the index at `path`.
// Throws trawl::Error when the index is missing or locked by another writer,
// or is one shard of a sharded index given on its own (index_dir.hpp
// refuse_shard_of_a_set), IndexFormatError for an index of another format.
DeleteStats delete_articles(const std::string& path, const std::vector<std::string>& ids);

}  // namespace trawl::index
