// What a query matched as a whole, beside its ranked hits: how many passages
// and articles (exact while the match is cheap, else Xapian's estimate with
// its bounds), how long it took, and the extras asked for (a suggested
// spelling, the timeline, the counts per source).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trawl::query {

// A count the match may only have estimated: lower <= estimate <= upper,
// exact when the bounds meet.
struct Count {
    std::uint64_t estimate = 0;
    std::uint64_t lower = 0;
    std::uint64_t upper = 0;
    bool exact() const { return lower == upper; }
    static Count of(std::uint64_t n) { return {n, n, n}; }
};

// (label, matching articles), in label order: "1987-03" months or "1987" years.
using Histogram = std::vector<std::pair<std::string, std::uint64_t>>;

// The label of the undated articles, last in Summary::timeline: "undated"
// in text, null in JSON (as the articles without a source are).
inline constexpr std::string_view kUndated = "undated";

// The key of the articles without a source among Summary::sources: no
// source's key is empty (an article whose input names none has no source
// term). Printed as "(no source)" in text and as a null key and name in JSON.
inline constexpr std::string_view kNoSource = "";

// One source's matching articles (--facets source): its key, the folded form
// the index holds (format::normalize_source(): "bbc-news"), which --source and
// source: match, and its name as an article stores it ("BBC News", as hits
// show it; one matching article's, when its articles spell it several ways).
struct SourceCount {
    std::string key;
    std::string name;
    std::uint64_t articles = 0;
    bool operator==(const SourceCount&) const = default;
};
using SourceCounts = std::vector<SourceCount>;

struct Summary {
    Count passages;
    Count articles;
    double ms = 0;           // the search, snippets included
    std::string suggestion;  // "did you mean": a corrected query, or empty
    // The speller was asked (Searcher::wants_suggestion()), whether or not
    // it suggested anything (trawl-bench spelling counts it).
    bool suggestion_asked = false;
    bool timeline_asked = false;
    Histogram timeline;  // matching articles per month or year (--timeline)
    bool sources_asked = false;
    SourceCounts sources;  // matching articles per source, most first, kNoSource last (--facets source)
};

}  // namespace trawl::query
