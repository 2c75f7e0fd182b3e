// Pseudo-relevance feedback (--expand): RM3 as Anserini runs it (Lavrenko &
// Croft's relevance model 3; Abdul-Jaleel et al. 2004): the query is run, the
// top `docs` hits are taken as relevant, each is a distribution of its terms
// (term frequency over its length), the distributions are summed weighted by
// the hits' scores, the `terms` heaviest terms kept and normalised to sum 1,
// and the new query is original · w + feedback · (1 − w) with each original
// term weighing 1/|q|. Trawl's index keeps no termlist, so a hit's terms are
// taken from its stored text, analysed by the indexer's own
// format::make_passage_document() (expansion_terms(), in expansion.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trawl::query {

struct ExpandOptions {
    bool on = false;
    std::uint32_t docs = 10;       // feedback hits
    std::uint32_t terms = 10;      // feedback terms kept
    double original_weight = 0.5;  // weight of the original query
};

// One feedback hit: its retrieval score and its term counts (stems).
struct FeedbackDoc {
    double score = 0;
    std::map<std::string, double> tf;
};

// The relevance model: the `terms` heaviest terms of Σ_d score_d · tf(t,d)/|d|,
// normalised to sum 1, heaviest first (ties by term). Docs without terms add nothing.
std::vector<std::pair<std::string, double>> relevance_model(const std::vector<FeedbackDoc>& docs, std::uint32_t terms);

// Whether a stem may be a feedback term: 2 to 20 characters of ASCII letters
// and digits, not only digits (as Anserini's RM3 filters them), and not a stop word.
bool feedback_term_ok(const std::string& stem);

}  // namespace trawl::query
