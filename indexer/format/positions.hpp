// Positions only where they pay (format v4), stop words only in the text
// (format v6). Xapian keeps one B-tree item of about 16 bytes per (term,
// passage) in its position table, whatever the number of positions: on
// Reuters the position table was 58% of the index. A word that few passages
// hold gains little from positions: a phrase, NEAR or ADJ query with it has
// at most that many candidate passages, and those can be checked against the
// passage's stored text instead (query/verified_positions.hpp). So an index
// keeps positions for the words that most passages hold (the "positional"
// words, chosen once from the sample the dictionary is trained on and kept in
// kMetaPositions) and drops them for every other word; Z-stems never had any.
// The same check lets such an index leave the stop words out of its postings
// altogether (kMetaStopWords; analysis.hpp's list): bag-of-words queries drop
// them anyway, and a phrase, NEAR or ADJ query naming one is answered from
// its other words' postings and checked against the text. They keep their
// positions as gaps: the other words' positions are the same as in an index
// that holds every word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace trawl::format {

// How a new index keeps positions: for every word (the choice for indexes
// served by xapian-tcpsrv, whose shards cannot check text), or for the
// frequent words only.
enum class PositionsMode { All, Frequent };

// A word is positional when at least this share of the sample's passages
// hold it (bench/RESULTS.md, "Issue 10, second round"; trawl-index
// --positional-share).
inline constexpr double kPositionalShare = 0.2;

class PositionalWords {
public:
    // What the index holds of a word.
    enum class Kept : std::uint8_t {
        Positions,  // its postings, with positions
        Postings,   // its postings, without positions
        Nothing,    // a stop word: only the stored text holds it
    };

    // Every word keeps its postings and positions (an index without kMetaPositions).
    PositionalWords() = default;
    static PositionalWords all() { return {}; }
    // Positions for `words` only (lower-case, unprefixed, as the term
    // generator writes them), nothing for the `stop` words, postings without
    // positions for every other word. A word in both lists is a stop word.
    static PositionalWords only(std::vector<std::string> words, std::vector<std::string> stop = {});

    // The kMetaPositions value and back: "all", or "frequent" then one word a
    // line, sorted; with the kMetaStopWords value (one word a line, sorted;
    // empty: every word is indexed). Throws IndexFormatError for anything
    // else, and for stop words beside "all" (such an index answers phrases
    // from its positions alone).
    std::string serialise() const;
    std::string serialise_stop_words() const;
    static PositionalWords parse(std::string_view value, std::string_view stop_words = {});
    // The words of `db` (all() when it records none).
    static PositionalWords read(const Xapian::Database& db);

    bool all_words() const { return all_; }
    // Equal for two PositionalWords that keep the same of every word (0 for
    // all()), different otherwise but for a 64-bit hash collision: what
    // lets a cache of kept() (word_stems.hpp) tell the words it was filled
    // from without comparing the lists.
    std::uint64_t fingerprint() const { return fingerprint_; }
    // What the index holds of `word` (body or title, no prefix): one lookup,
    // asked for every word the indexer writes.
    Kept kept(std::string_view word) const;
    // True when `word` has positions in the index.
    bool has(std::string_view word) const { return kept(word) == Kept::Positions; }
    // False for a stop word the index does not hold.
    bool indexed(std::string_view word) const { return kept(word) != Kept::Nothing; }
    const std::vector<std::string>& words() const { return words_; }
    const std::vector<std::string>& stop_words() const { return stop_; }
    // What a search over two indexes may rely on: words positional in both,
    // and a word held by both (a stop word of either is checked in the text).
    PositionalWords intersect(const PositionalWords& other) const;

    bool operator==(const PositionalWords&) const = default;

private:
    bool all_ = true;
    std::vector<std::string> words_;  // positional: sorted, unique; empty when all_
    std::vector<std::string> stop_;   // not indexed: sorted, unique, none of words_; empty when all_
    // An open-addressing table of every word of words_ and stop_, at most a
    // quarter full (kept() runs for every word of every passage indexed):
    // (hash64 of the word, where it is: 1 + its index in words_, or kStopBit
    // + 1 + its index in stop_; 0 for an empty slot). kept() compares 64-bit
    // numbers and then one word, in a probe or two.
    static constexpr std::uint32_t kStopBit = 1u << 31;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> slots_;
    std::size_t longest_ = 0;  // bytes of the longest word in the table
    std::uint64_t fingerprint_ = 0;
};

// The positional words of the passages whose stored_fields() records are
// `samples`: the words (of their title and text) held by at least
// `share` of them (kPositionalShare by default), stop words (analysis.hpp)
// left out of the index; all() for mode All.
PositionalWords choose_positional_words(std::span<const std::string> samples, PositionsMode mode,
                                        double share = kPositionalShare);

}  // namespace trawl::format
