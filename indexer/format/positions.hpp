// Positions only where they pay (format v4). Xapian keeps one B-tree item of
// about 16 bytes per (term, passage) in its position table, whatever the
// number of positions: on Reuters the position table was 58% of the index.
// A word that few passages hold gains little from positions: a phrase, NEAR
// or ADJ query with it has at most that many candidate passages, and those
// can be checked against the passage's stored text instead
// (query/verified_positions.hpp). So an index keeps positions for the words
// that most passages hold (the "positional" words, chosen once from the
// sample the dictionary is trained on and kept in kMetaPositions) and drops
// them for every other word; Z-stems never had any.
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
    // Every word keeps its positions (an index without kMetaPositions).
    PositionalWords() = default;
    static PositionalWords all() { return {}; }
    // Only `words` (lower-case, unprefixed, as the term generator writes them).
    static PositionalWords only(std::vector<std::string> words);

    // The kMetaPositions value and back: "all", or "frequent" then one word a
    // line, sorted. Throws IndexFormatError for anything else.
    std::string serialise() const;
    static PositionalWords parse(std::string_view value);
    // The words of `db` (all() when it records none).
    static PositionalWords read(const Xapian::Database& db);

    bool all_words() const { return all_; }
    // True when `word` (body or title, no prefix) has positions in the index.
    bool has(std::string_view word) const;
    const std::vector<std::string>& words() const { return words_; }
    // Words positional in both (what a search over two indexes may rely on).
    PositionalWords intersect(const PositionalWords& other) const;

    bool operator==(const PositionalWords&) const = default;

private:
    bool all_ = true;
    std::vector<std::string> words_;  // sorted, unique; empty when all_
    // (hash64 of a word, its index in words_), sorted: has() compares 64-bit
    // numbers and one word instead of a word at each step of a binary search
    // (it is asked for every word the indexer writes).
    std::vector<std::pair<std::uint64_t, std::uint32_t>> hashed_;
};

// The positional words of the passages whose stored_fields() records are
// `samples`: the words (of their title and text) held by at least
// `share` of them (kPositionalShare by default); all() for mode All.
PositionalWords choose_positional_words(std::span<const std::string> samples, PositionsMode mode,
                                        double share = kPositionalShare);

}  // namespace trawl::format
