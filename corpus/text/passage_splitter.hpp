// Cutting an article body into passages: sentence-aware windows of a target
// length in words, with overlap (pure).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "corpus/base/article.hpp"

namespace trawl::corpus {

struct SplitOptions {
    // Target passage length in words. A passage holds whole sentences and never
    // exceeds this unless a single sentence does, in which case that sentence is
    // cut into pieces of at most `words` words. 0 = the whole body is one passage.
    std::uint32_t words = 100;
    // Words of the end of a passage that the next passage repeats, rounded to
    // whole sentences (at most this many words, and never the whole previous
    // passage, so splitting always advances). 0 = no overlap. The pieces of a
    // cut sentence overlap each other by exactly this many words; the passages
    // either side of them repeat none of their words.
    std::uint32_t overlap = 20;
};

class PassageSplitter {
public:
    explicit PassageSplitter(SplitOptions opts = {});  // throws UsageError if overlap >= words > 0
    // Passages of `body` in order, ordinals 0..n-1. An empty/blank body gives none.
    // Invariants (tested): every sentence is in at least one passage; spans are
    // increasing; text == body.substr(begin, end-begin).
    std::vector<Passage> split(std::string_view body) const;
    // Passages of article `a`: those of its body; when the body gives none
    // and the title is not blank, one empty passage (ordinal 0, span 0..0,
    // text ""): a title-only article (a headline that is the whole news, as
    // Reuters' BRIEF items, or a BEIR document without text) is indexed by
    // its title, which the lead passage holds as title and body words
    // (indexer/format/passage_document.hpp). None when both are empty. The
    // indexer, its dictionary samples and trawl-bench's peers all cut
    // articles with this, so that they index the same passages.
    std::vector<Passage> split(const Article& a) const;
    const SplitOptions& options() const { return opts_; }

private:
    SplitOptions opts_;
};

}  // namespace trawl::corpus
