#include "query/facets.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>

#include "indexer/format/schema.hpp"

namespace trawl::query {
namespace {

// "YYYYMMDD..." -> year * 12 + month - 1; 0 when there is no usable date.
std::uint32_t month_of(const std::string& date) {
    if (date.size() < 6) return 0;
    for (int i = 0; i < 6; ++i)
        if (date[i] < '0' || date[i] > '9') return 0;
    const auto year = static_cast<std::uint32_t>(std::stoul(date.substr(0, 4)));
    const auto month = static_cast<std::uint32_t>(std::stoul(date.substr(4, 2)));
    if (month < 1 || month > 12 || year == 0) return 0;
    return year * 12 + month - 1;
}

std::string month_label(std::uint32_t m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04u-%02u", m / 12, m % 12 + 1);
    return buf;
}

std::uint64_t distinct_articles(std::vector<std::uint64_t>& articles) {
    std::sort(articles.begin(), articles.end());
    return static_cast<std::uint64_t>(std::unique(articles.begin(), articles.end()) - articles.begin());
}

}  // namespace

void FacetSpy::operator()(const Xapian::Document& doc, double) {
    if (seen_.size() >= kMaxFacetPassages) {
        truncated_ = true;
        return;
    }
    seen_.push_back({doc.get_docid(), month_of(doc.get_value(format::kSlotDate)),
                     std::hash<std::string>{}(doc.get_value(format::kSlotArticle))});
}

Histogram timeline_of(std::vector<std::pair<std::uint32_t, std::uint64_t>> pairs) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::uint64_t undated = 0;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> per_month;  // (month, articles)
    for (const auto& [month, article] : pairs) {
        if (month == 0) {
            ++undated;
            continue;
        }
        if (per_month.empty() || per_month.back().first != month) per_month.emplace_back(month, 0);
        ++per_month.back().second;
    }
    Histogram h;
    if (!per_month.empty()) {
        const auto first = per_month.front().first, last = per_month.back().first;
        const bool by_year = last - first >= static_cast<std::uint32_t>(kMaxTimelineMonths);
        auto it = per_month.begin();
        if (by_year) {
            // A placeholder date (9999-12-31 beside 2024) made one row a
            // year between: thousands of empty rows. Past kMaxTimelineYears
            // rows, a run of empty years is one row, "2025..9998".
            const bool collapse = last / 12 - first / 12 >= static_cast<std::uint32_t>(kMaxTimelineYears);
            for (auto y = first / 12; y <= last / 12; ++y) {
                std::uint64_t n = 0;
                for (; it != per_month.end() && it->first / 12 == y; ++it) n += it->second;
                const auto next =
                    it == per_month.end() ? last / 12 + 1 : it->first / 12;  // the next year with articles
                if (collapse && n == 0 && next - y >= 2) {
                    h.emplace_back(std::to_string(y) + ".." + std::to_string(next - 1), 0);
                    y = next - 1;
                    continue;
                }
                h.emplace_back(std::to_string(y), n);
            }
        } else {
            for (auto m = first; m <= last; ++m) {
                std::uint64_t n = 0;
                if (it != per_month.end() && it->first == m) n = (it++)->second;
                h.emplace_back(month_label(m), n);
            }
        }
    }
    if (undated > 0) h.emplace_back(kUndated, undated);
    return h;
}

Histogram FacetSpy::timeline() const {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> pairs;
    pairs.reserve(seen_.size());
    for (const auto& s : seen_) pairs.emplace_back(s.month, s.article);
    return timeline_of(std::move(pairs));
}

namespace {

// The passage whose source spelling a source's row shows: one of the
// article with the lowest hash among the matching articles that hold the
// source, so that it is the same whatever the shards' layout (docid order
// is not).
struct Representative {
    Xapian::docid doc = 0;
    std::uint64_t article = 0;
    void offer(Xapian::docid did, std::uint64_t a) {
        if (doc == 0 || a < article) doc = did, article = a;
    }
};

// The articles (hashes) among `by_doc` (docid, article; docid order) that
// hold the source term `term`.
std::vector<std::uint64_t> articles_by_docid(const Xapian::Database& db, const std::string& term,
                                             const std::vector<std::pair<Xapian::docid, std::uint64_t>>& by_doc,
                                             Representative& shown) {
    std::vector<std::uint64_t> articles;
    auto pl = db.postlist_begin(term);
    const auto end = db.postlist_end(term);
    for (const auto& [did, article] : by_doc) {
        pl.skip_to(did);
        if (pl == end) break;
        if (*pl != did) continue;
        shown.offer(did, article);
        articles.push_back(article);
    }
    return articles;
}

// The articles of the passages holding `term` that are among `seen` (sorted
// hashes), read off the article value stream.
std::vector<std::uint64_t> articles_by_value(const Xapian::Database& db, const std::string& term,
                                             const std::vector<std::uint64_t>& seen, Representative& shown) {
    std::vector<std::uint64_t> articles;
    auto v = db.valuestream_begin(format::kSlotArticle);
    for (auto pl = db.postlist_begin(term); pl != db.postlist_end(term); ++pl) {
        v.skip_to(*pl);
        if (v == db.valuestream_end(format::kSlotArticle)) break;
        if (v.get_docid() != *pl) continue;
        const auto article = std::hash<std::string>{}(*v);
        if (!std::binary_search(seen.begin(), seen.end(), article)) continue;
        shown.offer(*pl, article);
        articles.push_back(article);
    }
    return articles;
}

}  // namespace

SourceCounts FacetSpy::sources(const Xapian::Database& db, const StoredSource& stored) const {
    // Shards searched as one: Xapian 1.4 hands a match spy each shard's own
    // Document, whose docid is the shard's, not the combined one the posting
    // lists use. Then articles are matched instead: each source posting's
    // article (the article value stream, in combined docids) against the
    // articles seen.
    const bool by_article = db.size() > 1;
    std::vector<std::pair<Xapian::docid, std::uint64_t>> by_doc;  // (docid, article) in docid order
    std::vector<std::uint64_t> seen;                              // articles, sorted, once each
    for (const auto& s : seen_) {
        if (by_article) seen.push_back(s.article);
        else by_doc.emplace_back(s.doc, s.article);
    }
    std::sort(by_doc.begin(), by_doc.end());
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    SourceCounts h;
    std::vector<std::uint64_t> sourced;  // the articles some source holds
    const std::string prefix(format::kPrefixSource);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        Representative shown;
        auto articles = by_article ? articles_by_value(db, *t, seen, shown) : articles_by_docid(db, *t, by_doc, shown);
        sourced.insert(sourced.end(), articles.begin(), articles.end());
        if (const auto n = distinct_articles(articles); n > 0) {
            std::string key = (*t).substr(prefix.size());
            // An article with the term stores its source; the key stands in otherwise.
            std::string name = stored(shown.doc);
            h.push_back({key, name.empty() ? key : std::move(name), n});
        }
    }
    std::stable_sort(h.begin(), h.end(), [](const auto& a, const auto& b) { return a.articles > b.articles; });
    // The articles no source holds (an input that names none) count too,
    // last, so that the rows add up to the matching articles.
    std::vector<std::uint64_t> all;
    all.reserve(seen_.size());
    for (const auto& s : seen_) all.push_back(s.article);
    const auto matched = distinct_articles(all), with_source = distinct_articles(sourced);
    if (matched > with_source) h.push_back({std::string(kNoSource), std::string(kNoSource), matched - with_source});
    return h;
}

}  // namespace trawl::query
