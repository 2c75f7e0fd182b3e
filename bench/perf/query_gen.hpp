// Query generator (pure, seeded): realistic bag-of-words queries, exact
// phrases and NEAR pairs drawn from the passages the engines index, so every
// engine runs the same queries and phrases and NEAR pairs are known to match.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/peers/peer.hpp"

namespace trawl::bench {

struct QueryGenOptions {
    std::uint64_t seed = 42;
    unsigned per_kind = 200;    // queries of each kind
    unsigned near_window = 10;  // NEAR/n: at most n words between the two
};

// A word of a passage as the generator sees it: a maximal run of ASCII letters
// and digits, bytes >= 0x80 and apostrophes; `letters` = ASCII letters only;
// `plain` = letters, 2+ of them, not a stop word (format::is_stop_word());
// `joined` = separated from the previous word by white space only.
struct GenWord {
    std::string text;  // lower-cased
    bool letters = false;
    bool plain = false;
    bool joined = false;
};
std::vector<GenWord> gen_words(std::string_view text);

// Generated queries, `per_kind` of each kind in this order (fewer when the
// passages hold too few candidates), ids "w1".., "p1".., "n1"..:
// - Words: 1-4 distinct words drawn uniformly from the mid-frequency band of
//   `plain` words (by passages containing them, most frequent first: ranks
//   from the 1st to the 30th percentile; the most frequent 1% (at least one
//   word) and the long tail left out);
// - Phrase: 2-3 consecutive `joined` words of a random passage, the first and
//   last `plain` (a middle word may be a stop word), all letters;
// - Near: two different `plain` words of a random passage with at most
//   near_window - 1 words between them (one word of slack for tokenisers
//   that split differently), distance = near_window.
// Deterministic for a seed (std::mt19937_64, own uniform draws: the same on
// every standard library).
std::vector<PeerQuery> generate_queries(const std::vector<PeerDoc>& docs, const QueryGenOptions& opts);

// Headline queries, the topic phrases people type into a news search
// (`interest rates`, `opec quota`): `per_kind` bag-of-words queries (ids
// "t1"..) of 1-3 consecutive `joined` `plain` words of a headline, the length
// uniform (web and news query logs average 2.2-2.4 words: Silverstein et al.
// 1999, Jansen and Spink 2006), the headline drawn uniformly from the distinct
// titles of `docs`, the run uniformly from that title's runs of that length.
// Distinct queries; deterministic for a seed, with its own draws (the other
// kinds' queries are unchanged).
std::vector<PeerQuery> generate_title_queries(const std::vector<PeerDoc>& docs, const QueryGenOptions& opts);

}  // namespace trawl::bench
