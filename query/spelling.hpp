// "Did you mean": a query's rare words replaced by likelier words of the
// index's own vocabulary one edit away (two for long words). Built from the
// index's own term statistics (get_termfreq of each word one edit away;
// allterms for two edits), not from a spelling table, so it costs no index
// space and works on every Trawl index, with or without termlists.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "indexer/format/analysis.hpp"
#include "query/spelling_vocabulary.hpp"
#include "query/table_loader.hpp"

namespace trawl::query {

// Damerau-Levenshtein distance (optimal string alignment: an adjacent
// transposition is one edit) between byte strings, or max + 1 when it exceeds
// `max`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

// The vocabulary: the words in at least this many passages, i.e. every word
// the index holds. P(c) already weighs a rare word down; a higher floor only
// made a correct rare word (a name of one article) a misspelling of its
// neighbours, and hid rare meant words (bench/RESULTS.md, "Did you mean",
// fourth version: with a floor of 3, 4.7% of correct headline queries got a
// suggestion).
inline constexpr Xapian::doccount kMinVocabularyPassages = 1;
// The words kept in memory for two-edit corrections (spelling.cpp, load()):
// those in at least this many passages. Words of one or two passages are
// most of a large corpus's distinct words (Reuters: 45,665 words, 20,791 in
// 3 passages or more), and two edits apply no error model (the most
// frequent neighbour wins), so the rarest would hardly ever be chosen.
inline constexpr Xapian::doccount kTwoEditMinPassages = 3;

// The weight of "a passage's words" against "independent words" in P(c1 ..
// cn) (Jelinek-Mercer λ): the share of queries of several words whose words
// share a passage. The topic phrases people type into a news search do (the
// words of a headline, of one passage); a query of words that never meet
// finds no passage holding them all. Set to 0.5 at first, for want of
// evidence either way, the independent half let a rare word of the index,
// kept as typed, outweigh its neighbour that occurs with the query's other
// words in many passages (`regular dig` against `regular div`: 0 and 83
// passages); 0.9 says one query in ten is of words that never meet
// (bench/RESULTS.md, "Did you mean", fifth version).
inline constexpr double kTogetherShare = 0.9;
// Of that share, the part of "the words side by side, as typed" (a phrase:
// a name, "mln dlrs", "stock market"): a query typed as a run of words is
// often one, and the passages holding it so are fewer and likelier the
// meant query's than those merely holding its words (Reuters: cold and
// industries share 12 passages, colt and industries 5, but only "colt
// industries" is a phrase there, in 3). Half, for want of evidence either
// way (on the training queries 0.25 to 0.9 give the same accuracy within a
// query: bench/RESULTS.md, "Did you mean", seventh version). Counted from a
// sample of the passages holding the words, by their word-pair signatures
// (format/pair_signature.hpp); an index that keeps every word's positions
// stores none, and there the side-by-side count is the passages' count.
inline constexpr double kPhraseShare = 0.5;
// The passages of a combination whose signatures are read (evenly spread
// over those holding its words): the phrase's count is estimated from them.
inline constexpr std::size_t kPhraseSample = 32;

// How much likelier a word is mistyped when another word typed with it is:
// typing errors come in bursts (a hurried hand, an unfamiliar keyboard), not
// one word at a time. Measured on Reuters' own typing errors (its rare words
// one edit, not at the end, from a word in 100 articles or more;
// scripts/typo-lift.py): two words of one sentence are both such errors
// 2.3-3.3 times as often as independent errors would make them, two of one
// paragraph 2.6-3.8 times, of one whole article 1.5-1.8 times (bench/
// RESULTS.md, "Did you mean: typing errors come together"). A query is
// typed in one go, like a sentence: 2.5, the low end of those. So the words
// of one query share a typo rate drawn from a Beta distribution of mean
// typo_rate whose spread gives this lift; 1: the words' errors independent
// (the model before).
inline constexpr double kTypoLift = 2.5;

// "Did you mean" as a noisy channel (Kernighan, Church and Gale 1990; Norvig,
// "How to write a spelling corrector"): the meant word c of a typed word w is
// the one that makes P(c) P(w | c) largest, where P(c) is the share of the
// index's passages that hold c and P(w | c) the error model of
// spelling_channel.hpp, times `typo_rate` for a typed word that is not c (1 -
// typo_rate for c = w). Words of the vocabulary (above; not stop words) one
// edit away are the candidates; two edits away, only for a word of kLongWord
// bytes or more that the vocabulary lacks and that has nothing one edit away
// (words in kTwoEditMinPassages passages or more). A word in `suspect`
// passages or more is taken as typed; a rarer word of the vocabulary is a
// candidate for itself, and another form of it (same stem) is not a candidate;
// but when the likeliest corrected query of several words is in no passage
// (side by side, above), its words taken as typed for their frequency get their candidates too (a
// real word typed for another: `take` for `make`). In a query of several words
// the corrected query is chosen whole (spelling.cpp, joint_choice()): each
// combination of the words' candidates (the words without any as typed) scores
// the product of its words' P(w | c) (the chance of its words' errors, taken
// together: kTypoLift) times P(c1 .. cn), the chance that a
// query holds these words together, interpolated (Jelinek and Mercer 1980)
// between the share of passages that hold them all and the product of their
// shares (words drawn independently), the first weighing together_share
// (kTogetherShare) and the second the rest. So "opec qouta" prefers quota to
// quote: OPEC and quota share passages, OPEC and quote hardly. The share of
// passages that hold them is itself an interpolation (kPhraseShare) of the
// passages holding the words anywhere and those holding them side by side,
// in the order typed (words typed with only spaces between; a stop word
// typed between them counts as typed): "colt industries" is a phrase of the
// index, "cold industries" is not. And when no passage holds the likeliest corrected query
// so (side by side, or at all when it has no such pair), its words taken
// as typed for their frequency get their candidates too (below). A combination
// that chooses one word for two words typed differently is not a query
// anybody meant ("hog kog" is not "hog hog") and is not scored, nor is one
// that corrects a word to another form (the same stem) of another word of
// the query: trawl-query searches stems, so "sets sew" is not "sets set"
// (two forms typed as they are stay as typed).
struct SpellingOptions {
    Xapian::doccount suspect = 20;
    double typo_rate = 0.05;  // the chance that a query word is mistyped
    // P(a word mistyped | another word of the query mistyped) / typo_rate
    // (kTypoLift; trawl-bench spelling --typo-lift): 1 or more (1 / typo_rate
    // or more: every word mistyped or none).
    double typo_lift = kTypoLift;
    bool context = true;  // weigh candidates by the query's other words
    // With context: score whole candidate queries (above); false: each word
    // on its own, each candidate times its lift with each other word's
    // likeliest form (passages with both + 1) / (passages chance gives + 1),
    // the model before (trawl-bench spelling --per-word).
    bool joint = true;
    // P(c) as passages^prior_exponent: 1 = as often as the index holds it;
    // below 1, flatter (trawl-bench spelling --prior-exponent).
    double prior_exponent = 1;
    // The vocabulary: words in at least this many passages (trawl-bench
    // spelling --min-passages).
    Xapian::doccount min_passages = kMinVocabularyPassages;
    // The weight of "a passage's words" in P(c1 .. cn) (kTogetherShare;
    // trawl-bench spelling --together-share).
    double together_share = kTogetherShare;
    // The part of together_share for the words side by side (kPhraseShare;
    // trawl-bench spelling --phrase-share; 0: no phrase counts).
    double phrase_share = kPhraseShare;
};
// At most this many combinations are scored (the likeliest candidates of the
// words with most are dropped first); each costs one AND count at most. A
// word of a query of several words brings all its candidates to the choice,
// not only its kMaxCandidates likeliest on their own: the other words can
// only choose among the words they are shown (`colm industries` is `colt
// industries`, colt the sixth of colm's neighbours by frequency; two words
// keep 11 each, three 5; bench/RESULTS.md, "Did you mean", sixth version).
inline constexpr std::size_t kMaxCombinations = 125;
inline constexpr std::size_t kLongWord = 8;
inline constexpr std::size_t kMaxSpelledBytes = 40;  // longer words are left as typed

// A word a typed word may stand for: how many passages hold it and
// P(typed | word) (1 - typo_rate when it is the typed word).
struct SpellingCandidate {
    std::string word;
    Xapian::doccount passages = 0;
    double channel = 0;
    // P(typed | word, the word mistyped): the channel without the typo rate
    // (1 for the typed word itself), for the joint choice (kTypoLift).
    double error = 1;
};

// Passages holding every one of a list of words, exactly as an Enquire of
// their AND counts them, for the few hundred combinations of the same few
// candidates one suggestion may count: one Enquire each (54,000
// instructions on Wikipedia) was most of a rare-word query's time
// (bench/RESULTS.md, "Issue 10, eighth round"). A word in at most
// `listed_up_to` passages has its passages read once; the lists are
// intersected, smallest first, and a word in more passages is looked up with
// skip_to over the passages the others share (Xapian counts a list of such
// words alone). Memory: at most `listed_up_to` docids a word and
// `listed_in_all` in all (a hostile query of 1,024 words lists no more); one
// counter lives for one suggestion.
class PassageCounter {
public:
    static constexpr Xapian::doccount kListedUpTo = 20000;
    static constexpr std::uint64_t kListedInAll = 1u << 20;  // 4 MiB of docids
    explicit PassageCounter(const Xapian::Database& db, Xapian::doccount listed_up_to = kListedUpTo,
                            std::uint64_t listed_in_all = kListedInAll)
        : db_(db), listed_up_to_(listed_up_to), listed_in_all_(listed_in_all) {}
    Xapian::doccount operator()(const std::vector<std::string>& words) { return held(words, 0).passages; }
    // The same count, and at most `sample` of those passages in docid order,
    // evenly spread over them (when none of the words is listed, the first
    // passage holding them all from each of `sample` evenly spaced docids:
    // the first matches would be a few early articles).
    struct Held {
        Xapian::doccount passages = 0;
        std::vector<Xapian::docid> sample;
    };
    Held held(const std::vector<std::string>& words, std::size_t sample);
    // The docids listed so far (never above listed_in_all).
    std::uint64_t listed() const { return listed_; }

private:
    // The passages of `word` in docid order, or null for a word in more than
    // listed_up_to_ (or once listed_in_all_ would be passed).
    const std::vector<Xapian::docid>* listed(const std::string& word);

    const Xapian::Database& db_;
    Xapian::doccount listed_up_to_;
    std::uint64_t listed_in_all_;
    std::uint64_t listed_ = 0;  // docids listed so far
    std::map<std::string, std::optional<std::vector<Xapian::docid>>> lists_;
};

class Speller {
public:
    explicit Speller(Xapian::Database db, SpellingOptions opts = {})
        : db_(std::move(db)), opts_(opts), stemmer_(format::kLanguage) {}
    // The query with its misspelled words corrected (lower case, everything
    // else as typed), or "" when no word needs correcting. Operators, field
    // names, filter values (source:, date:), wildcards, numbers and stop words
    // are left alone.
    std::string suggest(const std::string& query);
    // True when one of the words of `query` that spelling applies to
    // (suggest()) is rare (in fewer than `suspect` passages), the others are
    // not, and no passage holds them all: a word out of place among its
    // query's ('interest rats'), likely a typo (or outside the vocabulary:
    // true). A query of several rare words is about rare things (names,
    // terms of art), each kept as typed unless the query finds little. A
    // few lookups: the rare word's passages are listed, the others'
    // skipped to (the gate of Searcher::wants_suggestion()). `left_out`: the
    // lower-case words the query leaves out ("interest NOT rats", "-rats",
    // "NOT title:rats"), in no passage with the others by design, so not
    // counted (Searcher::left_out_words() reads them from the parsed query).
    bool stray_word(const std::string& query, const std::set<std::string>& left_out = {});
    // The correction of one lower-case word on its own, or "" (the word is
    // fine or has no likelier neighbour).
    std::string correct(const std::string& word);
    // The words a lower-case word may stand for, likeliest first by P(c)
    // P(w | c), at most kMaxCandidates, the word itself among them when it is
    // a rare word of the vocabulary; empty when the word is frequent or has
    // no neighbour in the vocabulary.
    std::vector<SpellingCandidate> candidates(const std::string& word) {
        return candidates(word, opts_.suspect, kMaxCandidates);
    }
    static constexpr std::size_t kMaxCandidates = 5;
    // Read the vocabulary into memory (spelling_vocabulary.hpp) in the
    // lookup that finds the words looked up through Xapian past `lookups`
    // (0: at the next one), unless it takes more than `max_bytes`; by
    // default never. The same suggestions either way.
    void hold_vocabulary_after(std::uint64_t lookups, std::size_t max_bytes = SpellingVocabulary::kMaxBytes) {
        hold_after_ = lookups;
        vocabulary_bytes_ = max_bytes;
    }
    bool holds_vocabulary() const { return vocabulary_.table != nullptr; }
    // The vocabulary as a table a searcher may read on a thread of its own
    // and hand over between searches (table_loader.hpp), and the words
    // looked up through Xapian so far, which tell when it pays.
    HeldTable<SpellingVocabulary>& vocabulary() { return vocabulary_; }
    const HeldTable<SpellingVocabulary>& vocabulary() const { return vocabulary_; }
    std::uint64_t xapian_lookups() const { return xapian_lookups_; }

private:
    // The same, a word in `suspect` passages or more taken as typed, at most `keep`.
    std::vector<SpellingCandidate> candidates(const std::string& word, Xapian::doccount suspect, std::size_t keep);
    std::vector<SpellingCandidate> two_edit_candidates(const std::string& word);
    Xapian::doccount vocabulary_passages(std::string_view word);
    double flattened(double x) const;                 // x^prior_exponent (x itself at 1)
    double weight(const SpellingCandidate& c) const;  // P(c) P(w | c), unnormalised
    double prior(double passages) const;              // P(c) = (passages / all passages)^prior_exponent
    // The chance that exactly the given `mistyped` of a query's `words` words
    // (those whose choice is not the word typed) are mistyped, with a typo
    // rate shared by the query's words (kTypoLift): typo_rate^mistyped (1 -
    // typo_rate)^(words - mistyped) when typo_lift is 1.
    double typos_chance(std::size_t mistyped, std::size_t words) const;
    struct QueryChoices {
        std::size_t word;                        // index among the query's words
        std::string typed;                       // lower case
        std::vector<SpellingCandidate> choices;  // likeliest first
    };
    // The passages holding a combination's words, and an estimate of those
    // holding them side by side as typed (the passages when the query has
    // no pair of words, or with phrase_share 0).
    struct Counted {
        Xapian::doccount passages = 0;
        double side_by_side = 0;
    };
    // The choice of each word, and the passages holding all the chosen words
    // when the choice was counted (not when each word had one choice only).
    // `none` when every combination repeats a word (repeats()): then the
    // words stay as typed.
    struct JointChoice {
        std::vector<std::size_t> at;
        std::optional<Counted> together;
        bool none = false;
    };
    // The query's words as terms, for the phrase counts: `terms[i]` the
    // typed word i (lower case; empty for a word no phrase goes through: a
    // field name, filter value, operator or wildcard), `follows[i]` true when
    // only spaces stand between word i - 1 and word i.
    struct QueryPhrase {
        std::vector<std::string> terms;
        std::vector<bool> follows;
    };
    JointChoice joint_choice(std::vector<QueryChoices>& words, PassageCounter& together,
                             const QueryPhrase& phrase) const;
    Counted count(const std::vector<QueryChoices>& words, const std::vector<std::size_t>& at, PassageCounter& together,
                  const QueryPhrase& phrase) const;
    // The share of `passages` whose word-pair signatures hold every adjacent
    // pair of `terms` (those with follows), less the share a signature lets
    // through by chance (pair_signature.hpp: 2.2% a pair); 1 when there is no
    // pair.
    double phrase_share(const std::vector<std::string>& terms, const std::vector<bool>& follows,
                        const std::vector<Xapian::docid>& passages) const;
    static bool repeats(const std::vector<QueryChoices>& words, const std::vector<std::vector<std::string>>& stems,
                        const std::vector<std::size_t>& at, std::size_t w, std::size_t k);
    bool widen(std::vector<QueryChoices>& words);
    void load();
    struct Word {
        std::string text;
        Xapian::doccount passages;
    };
    Xapian::Database db_;
    SpellingOptions opts_;
    Xapian::Stem stemmer_;
    bool loaded_ = false;
    // Whether the index stores word-pair signatures: not when every word
    // keeps its positions (format::PositionalWords::all_words()), where the phrase share would
    // read values for nothing (remote shards over the network). Read once.
    bool has_signatures() const;
    mutable std::optional<bool> signatures_;
    std::vector<std::vector<Word>> by_length_;                      // vocabulary words by byte length (two edits only)
    std::uint64_t hold_after_ = UINT64_MAX;                         // hold_vocabulary_after()
    std::uint64_t xapian_lookups_ = 0;                              // vocabulary words looked up through Xapian
    std::size_t vocabulary_bytes_ = SpellingVocabulary::kMaxBytes;  // hold_vocabulary_after()
    HeldTable<SpellingVocabulary> vocabulary_;                      // held: only a vocabulary within its bound
};

}  // namespace trawl::query
