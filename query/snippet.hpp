// Highlighted snippets (pure): given a passage's text and the terms a query
// matched, pick the best window and mark the matching words.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace trawl::query {

struct HighlightTerms {
    // Lower-cased unstemmed words to highlight (from phrases, NEAR, exact terms).
    std::unordered_set<std::string> exact;
    // Stems to highlight: a word is highlighted if stem(lower(word)) is here.
    std::unordered_set<std::string> stems;
    // Prefixes for wildcard terms ("run" for run*), lower-cased.
    std::vector<std::string> prefixes;
};

struct Snippet {
    std::string text;  // the excerpt, with "…" at either end when cut
    // byte ranges in `text` to highlight, increasing, non-overlapping
    std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;
    bool operator==(const Snippet&) const = default;
};

using Stemmer = std::function<std::string(const std::string&)>;

// Words are maximal runs of letters/digits (UTF-8 aware: non-ASCII letters
// count as word characters; apostrophes inside a word join it, as Xapian's
// TermGenerator does). Lower-casing is ASCII + Latin-1/Unicode-simple.
// Chooses the window of at most `max_bytes` bytes (cut at word boundaries)
// containing the most distinct highlighted words, earliest on ties; returns
// the whole text when it fits.
Snippet make_snippet(std::string_view text, const HighlightTerms& terms, const Stemmer& stem,
                     std::size_t max_bytes = 300);

}  // namespace trawl::query
