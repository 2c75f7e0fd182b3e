// "Did you mean": a query's rare words replaced by words of the index's own
// vocabulary one or two edits away (insertion, deletion, substitution,
// transposition of neighbours) that occur in many more passages. Built from
// the index's term list (Xapian's allterms), not from a spelling table, so it
// costs no index space and works on every Trawl index; the vocabulary is
// read once, when the first query needs it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "analysis.hpp"

namespace trawl::query {

// Damerau-Levenshtein distance (optimal string alignment: an adjacent
// transposition is one edit) between byte strings, or max + 1 when it exceeds
// `max`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

// A word the index does not hold is replaced by a word at most 1 edit away
// (2 for words of kLongWord bytes or more) found in at least
// kMinVocabularyPassages passages. A word the index holds in fewer than
// `suspect` passages is replaced only by a word 1 edit away, with another
// stem (not another form of the same word), found in at least `ratio` times
// as many passages ("interest rats": rates). The nearest win; among as near
// ones, in a query of several words, the one found in most passages together
// with the query's other words (each counted apart), then the most frequent.
// The defaults were chosen with trawl-bench spelling on Reuters
// (bench/RESULTS.md, "Did you mean").
struct SpellingOptions {
    Xapian::doccount suspect = 20;
    Xapian::doccount ratio = 100;
};
inline constexpr Xapian::doccount kMinVocabularyPassages = 3;
inline constexpr std::size_t kLongWord = 8;

class Speller {
public:
    explicit Speller(Xapian::Database db, SpellingOptions opts = {})
        : db_(std::move(db)), opts_(opts), stemmer_(format::kLanguage) {}
    // The query with its misspelled words corrected (lower case, everything
    // else as typed), or "" when no word needs correcting. Operators, field
    // names, filter values (source:, date:), wildcards, numbers and stop words
    // are left alone.
    std::string suggest(const std::string& query);
    // The correction of one lower-case word, or "" (the word is fine or has
    // no better neighbour).
    std::string correct(const std::string& word);
    // The candidates for a word, all at the nearest distance, most frequent
    // first (at most kMaxCandidates); empty when the word is fine.
    std::vector<std::string> candidates(const std::string& word);
    static constexpr std::size_t kMaxCandidates = 4;

private:
    void load();
    struct Word {
        std::string text;
        Xapian::doccount passages;
    };
    Xapian::Database db_;
    SpellingOptions opts_;
    Xapian::Stem stemmer_;
    bool loaded_ = false;
    std::vector<std::vector<Word>> by_length_;  // vocabulary words by byte length
};

}  // namespace trawl::query
