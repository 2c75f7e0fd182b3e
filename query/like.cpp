// Searcher::like (--like ARTICLE_ID): "more like this" from the article's
// stored text, analysed as the indexer analyses it, so that it works on
// indexes without a termlist. Its most distinctive stems by tf-idf against
// the index's statistics (wdf summed over its passages × log(N / df)) become
// an OR query, ranked by BM25 and collapsed by article. The article and its
// exact duplicates (its content-hash term, recomputed from its stored
// passages) are left out by the query itself, so the counts leave them out too.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "query/searcher.hpp"

namespace trawl::query {
namespace {

// How many of the article's terms make the query.
constexpr std::size_t kLikeTerms = 20;

bool all_digits(std::string_view w) {
    return std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c) || c == '.' || c == ','; });
}

bool holds(const Xapian::Database& db, const std::string& term, Xapian::docid did) {
    auto p = db.postlist_begin(term);
    if (p == db.postlist_end(term)) return false;
    p.skip_to(did);
    return p != db.postlist_end(term) && *p == did;
}

// The content-hash term (XH...) passage `did` carries: `computed` when it
// does (the article's stored passages give it back, format::stored_content_term),
// else found among the index's content terms (one posting list each: only if
// the text could not be rebuilt); "" when no such term names it.
std::string content_term_of(const Xapian::Database& db, Xapian::docid did, const std::string& computed) {
    if (holds(db, computed, did)) return computed;
    const std::string prefix(format::kPrefixContent);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
        if (holds(db, *t, did)) return *t;
    return {};
}

}  // namespace

ResultSet Searcher::like(const std::string& article_id) {
    const auto start = std::chrono::steady_clock::now();
    ResultSet rs;
    rs.query_id = "1";
    rs.query = "like " + article_id;
    const std::string self = format::article_term(article_id);
    const Xapian::Query own = without_dead(Xapian::Query(self));
    Xapian::Enquire passages(db_);
    passages.set_query(own);
    const auto mine = passages.get_mset(0, std::max<Xapian::doccount>(1, db_.get_termfreq(self)));
    if (mine.empty()) throw Error("--like: no article '" + article_id + "' in the index");

    // The article as the indexer saw it: its title once, each passage's text.
    auto tg = format::make_term_generator();
    Xapian::Document analysed;
    tg.set_document(analysed);
    std::string title, date;
    std::vector<format::PassageText> texts;  // its passages, to rebuild its content hash
    for (auto m = mine.begin(); m != mine.end(); ++m) {
        failed_doc_ = *m;
        const auto data = format::stored_passage(m.get_document());
        auto& codec = *codecs_[format::shard_of_docid(*m, static_cast<unsigned>(codecs_.size()))];
        auto f = format::decode_fields(codec.decompress(data.payload, data.raw_size));
        if (title.empty() && !f.title.empty()) tg.index_text(title = f.title);
        if (date.empty()) date = f.date;
        tg.index_text(f.text);
        texts.push_back({data.begin, data.end, std::move(f.text)});
    }
    failed_doc_ = 0;
    // Its exact duplicates are the passages with its content hash: the
    // indexer's own rule (corpus::content_hash: the same title and text once
    // case, spacing and punctuation are folded; for a headline alone, of the
    // same day too: the same headline another day is other news).
    const auto duplicates = content_term_of(db_, *mine.begin(), format::stored_content_term(title, date, texts));

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
    // Left out in the query, so that the counts and the pages (--offset)
    // leave them out too: the article, its exact duplicates, dead passages.
    std::vector<Xapian::Query> excluded{Xapian::Query(self)};
    if (!duplicates.empty()) excluded.emplace_back(duplicates);
    if (!dead_.empty()) excluded.push_back(dead_);
    const Xapian::Query final_query(Xapian::Query::OP_AND_NOT, q,
                                    Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    Xapian::Enquire e(db_);
    e.set_weighting_scheme(make_weight(opts_));
    e.set_collapse_key(format::kSlotArticle);
    e.set_query(final_query);
    const auto check = std::min(opts_.exact_count_limit, db_.get_doccount());
    const MatchCounter counter(e, std::max(check, kExactCountLimit), has_remote_shard());
    // Capped at the passage count: nothing lies past the last passage.
    const auto mset = e.get_mset(opts_.offset, std::min(opts_.limit, db_.get_doccount()), check);
    counter.count(mset, true, passage_count(), check >= db_.get_doccount(), rs.summary);
    if (!rs.summary.articles.exact()) rs.summary.articles = at_most_articles(rs.summary.articles, articles_.articles());

    std::uint32_t rank = opts_.offset;
    for (auto m = mset.begin(); m != mset.end(); ++m) rs.hits.push_back(make_hit(m, ++rank, m.get_weight(), highlight));
    count_other_passages(final_query, nullptr, rs.hits);
    rs.summary.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return rs;
}

}  // namespace trawl::query
