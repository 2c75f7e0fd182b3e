// What a search returns beside its ranked hits, apart from the ranking code:
// the suggested spelling (asked only of a query that finds little) and the
// hits' score explanations.
#include <map>
#include <set>

#include "indexer/format/analysis.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/words.hpp"
#include "query/explain.hpp"
#include "query/query_tree.hpp"
#include "query/searcher.hpp"

namespace trawl::query {

bool Searcher::wants_suggestion(const ResultSet& rs, const Xapian::Query& parsed, bool matched,
                                const std::string& query) {
    if (matched && all_words_positional(parsed)) return false;
    if (rs.summary.passages.estimate < opts_.suggest_below) return true;
    switch (rarest_word(parsed)) {
        case Rarity::Unknown:
            return true;
        case Rarity::Rare:
            return speller().stray_word(format::capitalise_acronyms(query), left_out_words(parsed));
        case Rarity::None:
            break;
    }
    return false;
}

Speller& Searcher::speller() {
    if (!speller_) {
        speller_ = std::make_unique<Speller>(db_, opts_.spelling);
        // Reading the vocabulary walks every word of the index once, about
        // 0.4 of a lookup's time a word (Wikipedia 200-260 against 450-720
        // ns, Reuters-21578 113 against 266), and an index holds 0.8
        // (Wikipedia) to 1.9 (Reuters) words a passage: the walk costs a
        // third (Wikipedia) to most (Reuters) of a passages' worth of
        // lookups. It pays once they reach a third of the passages: on a
        // large index some 500 suggestions of a word (Wikipedia), early on a
        // small one, whose walk is short (Reuters: 8 ms). bench/RESULTS.md,
        // "Thirty-fourth session". Read on a thread of its own by
        // tend_tables() (auto), or by the first lookup with `always`.
        if (tables_apply() && opts_.in_memory_tables == InMemoryTables::Always) speller_->hold_vocabulary_after(0);
    }
    return *speller_;
}

Searcher::Rarity Searcher::rarest_word(const Xapian::Query& parsed) {
    Rarity out = Rarity::None;
    const auto weigh = [&](double passages) {
        if (passages < opts_.spelling.min_passages) out = Rarity::Unknown;
        else if (passages < opts_.spelling.suspect && out == Rarity::None) out = Rarity::Rare;
    };
    for (const auto& term : format::query_terms(parsed)) {
        const auto c = format::classify_term(term);
        if (c.field == format::TermClass::Field::None) continue;
        const auto words = typed_words(term, c);
        if (words.empty()) weigh(stems_.termfreq(term));  // a stem not typed as a word
        const std::string prefix(c.field == format::TermClass::Field::Title ? format::kPrefixTitle : "");
        for (const auto& word : words) weigh(db_.get_termfreq(prefix + word));
        if (out == Rarity::Unknown) break;
    }
    return out;
}

std::vector<std::string> Searcher::typed_words(const std::string& term, const format::TermClass& c) {
    if (!c.stemmed) return {std::string(c.word)};
    // A stem stands for the words the parser stemmed to it, as typed.
    std::vector<std::string> words;
    for (auto typed = qp_.unstem_begin(term); typed != qp_.unstem_end(term); ++typed)
        words.push_back(Xapian::Unicode::tolower(*typed));
    return words;
}

std::set<std::string> Searcher::left_out_words(const Xapian::Query& parsed) {
    // How often each word (as typed, lower-cased) stands in `q`.
    const auto count = [&](const Xapian::Query& q, std::map<std::string, int>& words) {
        for (const auto& term : format::query_terms(q)) {
            const auto c = format::classify_term(term);
            if (c.field == format::TermClass::Field::None) continue;
            for (const auto& word : typed_words(term, c)) ++words[word];
        }
    };
    std::map<std::string, int> all, out;
    count(parsed, all);
    for (const auto& part : left_out_parts(parsed)) count(part, out);
    // Left out wherever it stands: "abbey -title:abbey" still wants abbey.
    std::set<std::string> left_out;
    for (const auto& [word, n] : out)
        if (n >= all[word]) left_out.insert(word);
    return left_out;
}

bool Searcher::corrections_are_live(const std::string& typed, const std::string& suggestion) {
    if (dead_.empty()) return true;
    format::Words before, after;
    before.index_text_without_positions(format::fold_query_case(typed));
    after.index_text_without_positions(suggestion);
    std::set<std::string> kept;
    for (const auto& w : before.list()) kept.emplace(before.term(w));
    for (const auto& w : after.list()) {
        const std::string word(after.term(w));
        if (!w.indexed || kept.contains(word)) continue;
        Xapian::Enquire e(db_);
        e.set_query(without_dead(Xapian::Query(word)));
        e.set_weighting_scheme(Xapian::BoolWeight());
        if (e.get_mset(0, 1, 1).empty()) return false;
    }
    return true;
}

void Searcher::add_extras(ResultSet& rs, const std::string& query, const Xapian::Query& parsed,
                          const std::optional<Expanded>& expanded, const Xapian::MSet& mset,
                          const std::vector<Xapian::doccount>& shown) {
    if (opts_.suggest && !opts_.ids_only && wants_suggestion(rs, parsed, !mset.empty(), query)) {
        rs.summary.suggestion_asked = true;
        const std::string typed = format::capitalise_acronyms(query);
        rs.summary.suggestion = speller().suggest(typed);
        if (!rs.summary.suggestion.empty() &&
            (!corrections_are_live(typed, rs.summary.suggestion) || !finds_any(rs.summary.suggestion)))
            rs.summary.suggestion.clear();
    }
    if (!opts_.explain) return;
    const auto weight = make_weight(opts_);
    for (std::size_t i = 0; i < rs.hits.size() && i < shown.size(); ++i) {
        const auto doc = *mset[shown[i]];
        auto& hit = rs.hits[i];
        hit.explained = true;
        const auto article_term = format::article_term(format::article_id_of(mset[shown[i]].get_document()));
        if (!expanded) {
            hit.explanation = explain_score(db_, weight, parsed, doc, article_term);
        } else {
            // --expand: the query's own units as weighed in the expanded
            // query, then the feedback terms' share as one part.
            hit.explanation = explain_score(db_, weight, expanded->core, doc, article_term);
            for (auto& part : hit.explanation) part.score *= expanded->scale;
            if (const double fb = score_alone(db_, weight, expanded->feedback, doc, article_term); fb != 0)
                hit.explanation.push_back({"(expansion)", fb});
        }
        // With article evidence (searcher_article.cpp) the passage's BM25
        // counts (1 - weight) of the score and the article's the rest: the
        // terms' shares are scaled so, and the article's share follows them.
        if (opts_.article.weight > 0 && opts_.sort == SortOrder::Relevance) {
            double passage = 0;
            for (auto& part : hit.explanation) passage += (part.score *= 1 - opts_.article.weight);
            hit.explanation.push_back({"(article)", hit.score - passage});
        }
    }
}

}  // namespace trawl::query
