// Searcher::like (--like ARTICLE_ID): "more like this" from the article's
// stored text, analysed as the indexer analyses it, so that it works on
// indexes without a termlist. Its most distinctive stems by tf-idf against
// the index's statistics (wdf summed over its passages × log(N / df)) become
// an OR query, ranked by BM25 and collapsed by article.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "corpus/base/error.hpp"
#include "corpus/text/date.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "query/searcher.hpp"

namespace trawl::query {
namespace {

// How many of the article's terms make the query.
constexpr std::size_t kLikeTerms = 20;
// Hits fetched beyond --limit, to make up for exact duplicates left out.
constexpr Xapian::doccount kDuplicateSlack = 20;

bool all_digits(std::string_view w) {
    return std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c) || c == '.' || c == ','; });
}

}  // namespace

ResultSet Searcher::like(const std::string& article_id) {
    const auto start = std::chrono::steady_clock::now();
    ResultSet rs;
    rs.query_id = "1";
    rs.query = "like " + article_id;
    const std::string self = format::article_term(article_id);
    const Xapian::Query own =
        dead_.empty() ? Xapian::Query(self) : Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(self), dead_);
    Xapian::Enquire passages(db_);
    passages.set_query(own);
    const auto mine = passages.get_mset(0, std::max<Xapian::doccount>(1, db_.get_termfreq(self)));
    if (mine.empty()) throw Error("--like: no article '" + article_id + "' in the index");

    // The article as the indexer saw it: its title once, each passage's text.
    auto tg = format::make_term_generator();
    Xapian::Document analysed;
    tg.set_document(analysed);
    std::string title, day;
    std::set<std::string> texts;  // its passages, to know its exact duplicates
    for (auto m = mine.begin(); m != mine.end(); ++m) {
        failed_doc_ = *m;
        const auto data = format::stored_passage(m.get_document());
        auto& codec = *codecs_[format::shard_of_docid(*m, static_cast<unsigned>(codecs_.size()))];
        auto f = format::decode_fields(codec.decompress(data.payload, data.raw_size));
        if (title.empty() && !f.title.empty()) tg.index_text(title = f.title);
        if (day.empty()) day = corpus::day_of(f.date);
        tg.index_text(f.text);
        texts.insert(std::move(f.text));
    }
    failed_doc_ = 0;

    // Its most distinctive stems.
    const double n = db_.get_doccount();
    std::vector<std::pair<double, std::string>> scored;
    for (auto t = analysed.termlist_begin(); t != analysed.termlist_end(); ++t) {
        const std::string term = *t;
        const auto c = format::classify_term(term);
        if (c.field != format::TermClass::Field::Body || !c.stemmed) continue;
        if (format::is_stop_word(c.word) || all_digits(c.word)) continue;
        const double df = stems_.termfreq(term);
        if (df == 0) continue;
        scored.emplace_back(t.get_wdf() * std::log(n / df), term);
    }
    std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (scored.size() > kLikeTerms) scored.resize(kLikeTerms);
    std::vector<Xapian::Query> terms;
    HighlightTerms highlight;
    for (const auto& [score, term] : scored) {
        terms.push_back(exact_stem_query(stems_, term, n));
        highlight.stems.emplace(format::classify_term(term).word);
    }
    rs.query += " (" + std::to_string(terms.size()) + " terms)";

    Xapian::Query q(Xapian::Query::OP_OR, terms.begin(), terms.end());
    if (!filter_.empty()) q = Xapian::Query(Xapian::Query::OP_FILTER, q, filter_);
    Xapian::Query excluded(self);
    if (!dead_.empty()) excluded = Xapian::Query(Xapian::Query::OP_OR, excluded, dead_);
    Xapian::Enquire e(db_);
    e.set_weighting_scheme(make_weight(opts_));
    e.set_collapse_key(format::kSlotArticle);
    e.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, q, excluded));
    const auto check = std::min(opts_.exact_count_limit, db_.get_doccount());
    const MatchCounter counter(e, std::max(check, kExactCountLimit), has_remote_shard());
    // In 64 bits and capped at the passage count: -n 4294967295 plus the
    // slack must not wrap around to 19.
    const auto fetch = static_cast<Xapian::doccount>(
        std::min<std::uint64_t>(std::uint64_t{opts_.limit} + kDuplicateSlack, db_.get_doccount()));
    const auto mset = e.get_mset(opts_.offset, fetch, check);
    counter.count(mset, true, passage_count(), check >= db_.get_doccount(), rs.summary);

    std::uint32_t rank = opts_.offset;
    for (auto m = mset.begin(); m != mset.end() && rs.hits.size() < opts_.limit; ++m) {
        auto hit = make_hit(m, rank + 1, m.get_weight(), highlight);
        // An exact duplicate: the same title and a passage of the same text;
        // for a headline alone, of the same day too (the indexer's rule,
        // corpus::content_hash: the same headline another day is other news).
        if (hit.title == title && texts.count(hit.text) && (!hit.text.empty() || corpus::day_of(hit.date) == day))
            continue;
        ++rank;
        hit.collapsed = m.get_collapse_count();
        rs.hits.push_back(std::move(hit));
    }
    rs.summary.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return rs;
}

}  // namespace trawl::query
