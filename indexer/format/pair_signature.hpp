// The word-pair signature stored with every passage (format v7; value slot
// kSlotPairs since v9, absent when empty):
// a Bloom filter of the passage's adjacent word pairs, so that a phrase
// checked against the stored text (query/verified_positions.hpp) can reject
// a passage that lacks one of its pairs before decompressing it.
//
// What it holds: every pair (a, b) of terms of format::passage_words() at
// consecutive positions (p, p + 1), stop words included (the check sees
// them), title words with their prefix ("Sriver", "Sland"); on a passage
// other than the lead, also the pairs of its headline's title words as the
// lead passage numbers them (format::headline_words(): a `title:` phrase is
// checked on the headline, whichever passage is asked). The lead passage's
// title gap (kTitleGap) breaks the positions, so no pair spans it.
//
// Why a phrase can use it: an exact phrase of n terms (Xapian's OP_PHRASE
// with window n, and ADJ/1) needs positions p1 < ... < pn with pn - p1 < n,
// that is p(i+1) = p(i) + 1: each adjacent pair of the phrase is a pair of
// the passage. A Bloom filter answers "absent" only for a pair it was not
// given, so a rejection is never wrong; a false "present" is left to the
// text check. NEAR and ADJ with a wider window say nothing about adjacent
// pairs and do not use it.
//
// Size: kPairBits bits a distinct pair (whole bytes: one byte a pair) and
// kPairHashes bits set for each, the Bloom filter's optimum k = b ln 2
// (8 x 0.693 = 5.5, rounded up to 6); a pair absent from the passage then
// passes with probability (1 - e^(-k/b))^k = 2.2%, comparable to the share
// of candidates that hold the phrase in the slow queries the filter is for
// (0.7-1.5%: bench/RESULTS.md, Issue 10, nineteenth session), so false
// candidates reaching the text number about one to three times the true ones
// (one byte a pair is what sets this: 10 bits and k = 7 would give 0.8%,
// for a quarter more bytes).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "indexer/format/words.hpp"

namespace trawl::format {

inline constexpr unsigned kPairBits = 8;    // bits a distinct pair
inline constexpr unsigned kPairHashes = 6;  // bits set a pair

// The hash of one term (prefix included), and of the pair (first, second)
// in that order. Stored in every index: never change them without a format
// bump (they are not std::hash, which may differ between builds).
std::uint64_t term_hash(std::string_view term);
std::uint64_t pair_hash(std::uint64_t first, std::uint64_t second);

// The signature of a passage whose words are `words` (passage_words()).
// Its size is one byte a distinct pair; empty for a passage with no pair.
// An index keeping every word's positions stores an empty one (its phrases
// are Xapian's), and an empty signature rejects nothing.
std::string pair_signature(const Words& words);
// The same, given the term_hash() of each indexed word of `words` in order
// (one per Word whose `indexed` is set; std::invalid_argument otherwise):
// for the indexer, which hashes every word it writes anyway
// (passage_document.cpp).
std::string pair_signature(const Words& words, std::span<const std::uint64_t> term_hashes);

// False when `signature` certainly lacks the pair whose pair_hash() is `pair`.
bool may_hold_pair(std::string_view signature, std::uint64_t pair);

// The chance that may_hold_pair() says true for a pair the passage lacks:
// (1 - e^(-k/b))^k for kPairHashes = k and kPairBits = b (2.2%).
double pair_false_positive_rate();

}  // namespace trawl::format
