// Impact tiers (format v8). A bag-of-words query that ORs a frequent stem
// with rarer words ("accs naturalizations": natur in 28,500 of Wikipedia's
// 829,000 passages) weighs every posting of the stem: the rare words hold
// fewer passages than the top hits, Xapian passes the stem the weight it
// needs less their bound, and glass has no per-block maxima to skip by. So
// a Synonyms index also lists, for each body stem, the passages where the
// stem weighs most: those where its wdf (its words' wdfs summed) is high
// for the passage's length, in_tier() below, which holds about 2.5% of the
// stem postings (bench/RESULTS.md, "Thirty-fifth session"). Each such
// passage gets the boolean term tier_term(stem, wdf), which carries the
// wdf in its name (a term's wdf would change the passage's length). A search
// then ORs a frequent stem as two parts (query/bm25_source.hpp): its tier,
// weighed from the tier terms, and the rest, whose bound rest_bound()
// computes from the rule; once the top hits need more than that bound,
// Xapian's OR leaves the rest to be looked up only where another part
// matched, and the stem's walk shrinks to its tier.
//
// The rule is fixed (not tuned per index): it only decides which passages
// a stem's tier holds, never a score, and a reader must apply the rule the
// writer applied. Changing it is a format change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "indexer/format/analysis.hpp"
#include "indexer/format/word_stems.hpp"

namespace trawl::format {

// The rule's constants: BM25's wdf part, wdf / (wdf + k1 (1 - b + b
// length / kTierLength)), at Trawl's default k1 and b and a passage of
// kTierLength words (about the average of Trawl's passages, 54 on Wikipedia,
// 56 on Reuters), at least kTierShare of its limit of 1. At these values no
// passage holds a stem once and is in its tier (1 / 1.8 < 0.6); twice, up to
// 24 words; three times, up to 55; four, up to 85.
inline constexpr double kTierK1 = 2.0;
inline constexpr double kTierB = 0.6;
inline constexpr double kTierLength = 55.0;
inline constexpr double kTierShare = 0.6;

// True when a passage of `length` (Xapian's: the wdfs of its terms summed)
// holding a stem `wdf` times is in the stem's tier.
bool in_tier(Xapian::termcount wdf, Xapian::termcount length);

// The shortest length at which a passage holding a stem `wdf` times is not in
// its tier (in_tier() is false from there on); 0 when none is, UINT32_MAX
// when every length up to it is.
Xapian::termcount first_length_outside(Xapian::termcount wdf);

// XT<stem>:<wdf>, the tier term of a body stem (as word_stems.hpp's stem_term()
// spells it without its Z) held `wdf` times; and the prefix of a stem's tier
// terms, XT<stem>: (no stem holds ':', which the cut never puts in a word).
std::string tier_term(std::string_view stem, Xapian::termcount wdf);
std::string tier_prefix(std::string_view stem);
// The wdf in a tier term whose stem's prefix is `prefix_size` bytes long; 0
// when what follows is not a decimal wdf.
Xapian::termcount tier_wdf(std::string_view term, std::size_t prefix_size);

// Adds the tier terms of one passage of a Synonyms index, reused passage after
// passage: a passage's stems are counted by their hashes, and only a stem in
// the tier is spelled out.
class TierTerms {
public:
    // Starts the next passage.
    void clear() { words_.clear(); }
    // A body word of the passage (a view into the passage's terms, valid
    // until write()), once per occurrence, with the hash of its stem.
    void add_body_word(std::string_view word, std::uint64_t stem_hash) { words_.emplace_back(stem_hash, word); }
    // Adds the tier terms of the passage, whose length as Xapian counts it
    // (every term occurrence adds 1) is `length`, to `doc`; `stems` spells them.
    void write(Xapian::Document& doc, Xapian::termcount length, WordStems& stems);

private:
    std::vector<std::pair<std::uint64_t, std::string_view>> words_;  // (stem hash, word) per body word
};

}  // namespace trawl::format
