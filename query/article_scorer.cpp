#include "query/article_scorer.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::query {

std::vector<WeightedTerm> body_terms(const Xapian::Query& q) {
    std::vector<WeightedTerm> terms;
    for (const auto& term : format::query_terms(q)) {
        if (format::classify_term(term).field != format::TermClass::Field::Body) continue;
        auto same = std::find_if(terms.begin(), terms.end(), [&](const WeightedTerm& w) { return w.term == term; });
        if (same != terms.end()) ++same->wqf;
        else terms.push_back({term, 1, 1});
    }
    return terms;
}

ArticleScorer::ArticleScorer(Xapian::Database db, const format::Deletions& deleted, format::StemReader& stems,
                             Bm25Params p)
    : db_(std::move(db)), deleted_(deleted), stems_(stems), p_(p) {}

std::uint64_t ArticleScorer::articles() {
    if (articles_ >= 0) return static_cast<std::uint64_t>(articles_);
    // Article terms are the only terms that start with kPrefixArticle ("A"):
    // body words are lower case, every other prefix is another capital.
    const std::string prefix(format::kPrefixArticle);
    std::int64_t n = 0;
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) ++n;
    articles_ = n;
    return static_cast<std::uint64_t>(n);
}

double ArticleScorer::avg_article_length() {
    if (avg_article_ >= 0) return avg_article_;
    const auto n = static_cast<double>(articles());
    avg_article_ = n > 0 ? static_cast<double>(db_.get_total_length()) / n : 0;
    return avg_article_;
}

std::vector<double> ArticleScorer::scores(const std::vector<std::string>& articles,
                                          const std::vector<WeightedTerm>& terms, ArticleAggregation how,
                                          const DocLengths* lengths) {
    // The live passages of every article, then all of them in docid order
    // (an article's lead passage is its first docid: passages are added in order).
    struct Passage {
        Xapian::docid docid;
        std::uint32_t article;  // slot in stats
        std::uint32_t within;   // index in stats[article]
    };
    std::vector<Passage> order;
    std::vector<std::vector<PassageStats>> stats(articles.size());
    for (std::size_t a = 0; a < articles.size(); ++a) {
        const auto term = format::article_term(articles[a]);
        const bool maybe_dead = deleted_.covers(articles[a], 0);
        for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
            if (maybe_dead &&
                deleted_.covers(articles[a], format::sequence_of(db_.get_document(*p, Xapian::DOC_ASSUME_VALID))))
                continue;
            order.push_back({*p, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(stats[a].size())});
            const auto length = lengths ? (*lengths)[*p] : p.get_doclength();
            stats[a].push_back({static_cast<double>(length), std::vector<double>(terms.size(), 0.0)});
        }
    }
    std::sort(order.begin(), order.end(), [](const Passage& x, const Passage& y) { return x.docid < y.docid; });

    const double units = db_.get_doccount();
    std::vector<double> weights;
    for (std::size_t t = 0; t < terms.size(); ++t) {
        weights.push_back(bm25_term_weight(p_, units, stems_.termfreq(terms[t].term), terms[t].wqf, terms[t].scale));
        // A stem's wdf in a passage is the sum of its words' (a Terms index
        // holds that sum as the Z-term's wdf).
        // The iterator moves only for a passage past the posting it is on: a
        // skip_to that cannot move still costs Xapian's call (about 60
        // instructions), once for each of an article's passages and each
        // form, where a rare form's postings skip most of them.
        for (const auto& form : stems_.postings(terms[t].term)) {
            auto pl = db_.postlist_begin(form);
            const auto end = db_.postlist_end(form);
            if (pl == end) continue;
            Xapian::docid on = *pl;
            for (const auto& passage : order) {
                if (passage.docid < on) continue;
                if (passage.docid > on) {
                    pl.skip_to(passage.docid);
                    if (pl == end) break;
                    on = *pl;
                    if (on != passage.docid) continue;
                }
                stats[passage.article][passage.within].wdf[t] += pl.get_wdf();
            }
        }
    }
    const double avg_passage = db_.get_avlength();
    const double avg_article = how == ArticleAggregation::Document ? avg_article_length() : 0;
    std::vector<double> out;
    out.reserve(articles.size());
    for (const auto& s : stats) out.push_back(article_score(s, weights, p_, avg_passage, avg_article, how));
    return out;
}

}  // namespace trawl::query
