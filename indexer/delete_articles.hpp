// Deleting articles from an index: every passage of each article (boolean term
// A<id>) goes in one committed transaction — all of the list or none of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trawl::index {

struct DeleteStats {
    std::uint64_t articles = 0;        // articles found and deleted
    std::uint64_t passages = 0;        // their passages
    std::vector<std::string> unknown;  // ids not in the index (nothing deleted)
};

// Deletes the articles `ids` (duplicates count once) from the index at `path`.
// Throws trawl::Error when the index is missing or locked by another writer,
// IndexFormatError for an index of another format.
DeleteStats delete_articles(const std::string& path, const std::vector<std::string>& ids);

}  // namespace trawl::index
