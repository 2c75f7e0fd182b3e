// How a query's matching articles spread over time and over sources, gathered
// by a match spy in the same pass as the search (--timeline, --facets source).
// The spy notes each matching passage's docid, article and month (from the
// date value slot); the sources come from the source terms' posting lists,
// walked once over the noted docids (over the article value stream when
// shards are searched as one), so no termlist is needed; each source's name
// as stored is read from one passage of its matching articles.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

#include "query/summary.hpp"

namespace trawl::query {

// At most this many passages are noted (16 bytes each): a query matching
// more has its charts drawn from the first ones the match examined.
inline constexpr std::size_t kMaxFacetPassages = 4u << 20;

// Months up to this span are shown month by month; a longer span by year.
inline constexpr int kMaxTimelineMonths = 36;
// Years up to this span get a row each; over a longer span, a run of two or
// more empty years is one row ("1990..2012", no articles).
inline constexpr int kMaxTimelineYears = 100;

class FacetSpy : public Xapian::MatchSpy {
public:
    void operator()(const Xapian::Document& doc, double weight) override;
    // Matching articles per month ("1987-03") or per year ("1987") over the
    // span of the dates seen, empty bins included (runs of empty years as one
    // "1990..2012" past kMaxTimelineYears); undated articles last, as kUndated.
    Histogram timeline() const;
    // The source an article stores, read from passage `docid` (of the
    // database given to sources()).
    using StoredSource = std::function<std::string(Xapian::docid)>;
    // Matching articles per source, most first, each with its key (the source
    // term's) and its name as `stored` reads it from a passage of one of its
    // matching articles (one passage read per source; the article is chosen
    // by its id's hash, so that sources spelled several ways show the same
    // spelling whatever the shards); the articles without a source last, as
    // kNoSource, when there are any.
    SourceCounts sources(const Xapian::Database& db, const StoredSource& stored) const;
    bool truncated() const { return truncated_; }

private:
    struct Seen {
        Xapian::docid doc;
        std::uint32_t month;    // year * 12 + month - 1; 0: undated
        std::uint64_t article;  // hash of the article id
    };
    std::vector<Seen> seen_;
    bool truncated_ = false;
};

// The pure part of timeline(): (month, article) pairs to bins.
Histogram timeline_of(std::vector<std::pair<std::uint32_t, std::uint64_t>> month_articles);

}  // namespace trawl::query
