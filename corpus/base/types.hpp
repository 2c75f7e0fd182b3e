// Vocabulary types shared by every Trawl library: what an article and a
// passage are called, and what a score is.
#pragma once

#include <cstdint>
#include <string>

namespace trawl {

using ArticleId = std::string;         // stable, from the source (file path, NEWID, DOCNO, _id)
using PassageOrdinal = std::uint32_t;  // 0-based position of a passage in its article
using Score = double;

// "<article id>#<ordinal>": the identifier printed for a passage and used in run files.
inline std::string passage_id(const ArticleId& article, PassageOrdinal ordinal) {
    return article + "#" + std::to_string(ordinal);
}

}  // namespace trawl
