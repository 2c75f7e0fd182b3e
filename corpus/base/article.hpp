// An article as read from a corpus, and a passage cut from it.
#pragma once

#include <cstdint>
#include <string>

#include "corpus/base/types.hpp"

namespace trawl::corpus {

struct Article {
    ArticleId id;
    std::string title;     // may be empty
    std::string body;      // normalised UTF-8; paragraphs separated by "\n\n"
    std::string date;      // ISO 8601 "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (UTC when the input had a zone;
                           // see date.hpp), empty if unknown
    std::string source;    // publisher/section when the corpus says, else empty
    std::string location;  // where it came from: "path" or "path:line"
};

// A window of whole sentences of an article's body. `begin`/`end` are byte
// offsets into Article::body; `text` is body.substr(begin, end - begin).
struct Passage {
    PassageOrdinal ordinal = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::string text;
};

}  // namespace trawl::corpus
