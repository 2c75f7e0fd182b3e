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
    // The query's body phrases and NEARs (ADJ is a phrase with a window): a
    // snippet shows one place that satisfies each, when it fits.
    struct Positional {
        bool ordered = true;             // a phrase (or ADJ); false: NEAR
        std::uint32_t window = 0;        // as Xapian's: first and last less than `window` positions apart
        std::vector<std::string> words;  // as indexed: lower-cased, unstemmed
    };
    std::vector<Positional> positional;
};

struct Snippet {
    std::string text;  // the excerpt, with "…" at either end when cut
    // byte ranges in `text` to highlight, increasing, non-overlapping
    std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;
    bool operator==(const Snippet&) const = default;
};

using Stemmer = std::function<std::string(const std::string&)>;

// Words are the indexer's (format::Words: Xapian's TermGenerator rules, so
// "don’t", "AT&T", "U.S.", "C++" and "1,000.5" are one word each and “quotes”
// and em—dashes separate words), matched in the form the indexer indexed them
// (lower-cased by Xapian's Unicode tables, ’ read as ').
// A word is highlighted if its term is in `exact`, the stem of its term in `stems`,
// or it starts with one of `prefixes` and is no stop word (a wildcard finds none). An empty `stem` means identity; a
// stemmer must keep a word's first byte (Snowball's English stemmer changes
// only a word's end; terms never start with an apostrophe), as only words
// that start like a stem are stemmed.
// Returns the whole text when it fits in `max_bytes`. Otherwise, when the
// text holds a place that satisfies a phrase or NEAR of `terms.positional`
// (its words highlighted, the shortest such place), the window must hold it,
// and the places of the next ones too while they all fit: a hit's snippet
// shows why a phrase matched, not its words apart elsewhere. Among the windows
// that do, it picks the earliest window of whole words (at most `max_bytes`, not counting the "…"
// added at a cut end) with the most distinct highlighted words (counted by
// stem), then re-balances the context around its highlighted words; attached
// punctuation ("cocoa.”") stays with its word. A single word longer than
// `max_bytes` is cut at a UTF-8 character boundary. `max_bytes` 0 is no
// snippet: empty, with no highlights (--snippet-bytes 0).
Snippet make_snippet(std::string_view text, const HighlightTerms& terms, const Stemmer& stem,
                     std::size_t max_bytes = 300);

}  // namespace trawl::query
