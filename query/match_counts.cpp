#include "query/match_counts.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "indexer/format/schema.hpp"

namespace trawl::query {

PassageArticles::PassageArticles(const Xapian::Database& db, const std::atomic<bool>* stop)
    : article_(std::size_t{db.get_lastdocid()} + 1, 0) {
    std::unordered_map<std::string, std::uint32_t> number;
    std::string last;
    std::uint32_t last_number = 0;
    for (auto v = db.valuestream_begin(format::kSlotArticle); v != db.valuestream_end(format::kSlotArticle); ++v) {
        // A docid past the last one the database names (a handle reopened on
        // another index moved into its path reads the old tables beside the
        // new revision) is never written past the table's end.
        if (v.get_docid() >= article_.size()) break;
        if (stop && v.get_docid() % 1024 == 0 && stop->load(std::memory_order_relaxed)) break;
        const std::string id = *v;
        if (last_number == 0 || id != last) {  // an article's passages come together
            last_number = number.emplace(id, static_cast<std::uint32_t>(number.size() + 1)).first->second;
            last = id;
        }
        article_[v.get_docid()] = last_number;
    }
    articles_ = static_cast<std::uint32_t>(number.size());
}

ArticleSampleSpy::ArticleSampleSpy(Xapian::doccount read_up_to, const PassageArticles* table)
    : read_up_to_(read_up_to), table_(table) {
    if (table_) counted_.resize(std::size_t{table_->articles()} + 1);
}

void ArticleSampleSpy::operator()(const Xapian::Document& doc, double) {
    ++seen_;
    if (sampled_ >= read_up_to_) return;
    ++sampled_;
    if (table_) {
        const auto article = (*table_)[doc.get_docid()];
        if (!counted_[article]) {
            counted_[article] = true;
            ++distinct_;
        }
        return;
    }
    std::string article = doc.get_value(format::kSlotArticle);
    if (article == last_ && sampled_ > 1) return;
    articles_.insert(article);
    last_ = std::move(article);
}

MatchCounter::MatchCounter(Xapian::Enquire& enquire, Xapian::doccount read_up_to, bool remote,
                           const PassageArticles* table)
    : enquire_(enquire) {
    if (remote) {
        all_ = std::make_unique<Xapian::ValueCountMatchSpy>(format::kSlotArticle);
        enquire_.add_matchspy(all_.get());
    } else {
        sample_ = std::make_unique<ArticleSampleSpy>(read_up_to, table);
        enquire_.add_matchspy(sample_.get());
    }
}

MatchCounter::~MatchCounter() { enquire_.clear_matchspies(); }

bool MatchCounter::saw_every_match(Xapian::doccount check) const {
    if (!sample_) return false;  // remote shards: Xapian's bounds
    const auto c = sample_->counts();
    return c.seen < check && c.sampled == c.seen;
}

std::uint64_t MatchCounter::value_reads() const {
    if (!sample_) return all_->get_total();
    return sample_->reads_values() ? sample_->counts().sampled : 0;
}

void MatchCounter::count(const Xapian::MSet& mset, bool collapsed, Xapian::doccount passages_in_index, bool exhaustive,
                         Summary& out) const {
    SpiedCounts spied;
    if (sample_) {
        spied = sample_->counts();
    } else {
        spied.seen = spied.sampled = all_->get_total();
        // Xapian 1.4 shows a remote shard's passage to the spy once more in
        // the merge when it sorts by value and the passage falls below the
        // page (multimatch.cc's shortcut for "sorts lower than min_item" does
        // not check is_remote), so --sort date counted some twice: 138, 142,
        // 146, 189 for -n 1, 5, 10, 50. Xapian's own upper bound never counts
        // one twice. Collapsed, the shortcut is not taken and the bounds count
        // articles.
        if (!collapsed)
            spied.seen = spied.sampled = std::min<std::uint64_t>(spied.seen, mset.get_matches_upper_bound());
        for (auto v = all_->values_begin(); v != all_->values_end(); ++v) ++spied.distinct;
    }
    const Count bounds{mset.get_matches_estimated(), mset.get_matches_lower_bound(), mset.get_matches_upper_bound()};
    derive_counts(bounds, collapsed, spied, passages_in_index, exhaustive, out);
}

Count at_most_articles(Count articles, std::uint64_t in_index) {
    articles.upper = std::max(articles.lower, std::min(articles.upper, in_index));
    articles.estimate = std::clamp(articles.estimate, articles.lower, articles.upper);
    return articles;
}

void derive_counts(Count bounds, bool collapsed, SpiedCounts spied, std::uint64_t passages_in_index, bool exhaustive,
                   Summary& out) {
    const auto [seen, sampled, distinct] = spied;
    const bool all_read = sampled == seen;
    if (exhaustive && all_read) {
        out.passages = Count::of(seen);
        out.articles = Count::of(distinct);
        return;
    }
    const auto scaled = [](std::uint64_t n, std::uint64_t num, std::uint64_t den) {
        return den == 0 ? n
                        : static_cast<std::uint64_t>(std::llround(static_cast<double>(n) * static_cast<double>(num) /
                                                                  static_cast<double>(den)));
    };
    if (!collapsed) {
        out.passages = exhaustive ? Count::of(seen) : bounds;
        const Count& passages = out.passages;
        if (passages.exact() && seen == passages.estimate && all_read) {
            out.articles = Count::of(distinct);
        } else {
            // Every article read matched; each passage not read may add one.
            const auto unread = passages.upper - std::min(passages.upper, sampled);
            const auto upper = distinct + unread;
            const auto est = std::clamp(scaled(distinct, passages.estimate, sampled), distinct, upper);
            out.articles = {est, distinct, upper};
        }
        return;
    }
    // Collapsed by article: Xapian's bounds count articles; the spy sees
    // passages before they collapse.
    out.articles = bounds;
    if (bounds.exact()) {
        out.passages = Count::of(seen);
    } else {
        const auto upper = std::max(seen, passages_in_index);
        out.passages = {std::clamp(scaled(sampled, bounds.estimate, distinct), seen, upper), seen, upper};
    }
}

}  // namespace trawl::query
