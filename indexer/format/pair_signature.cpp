#include "indexer/format/pair_signature.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "corpus/base/hash64.hpp"

namespace trawl::format {
namespace {

// The k bits of a pair in a filter of `bits` bits: double hashing (Kirsch
// and Mitzenmacher), the two halves of the pair's hash, as good as k
// independent hashes for a Bloom filter's false-positive rate. Each 32-bit
// hash is taken to [0, bits) by a multiply and a shift (Lemire's "fast
// range"), not a division: every passage of an index sets its pairs' bits.
template <typename Visit>
bool for_each_bit(std::uint64_t pair, std::uint64_t bits, Visit visit) {
    const auto h1 = static_cast<std::uint32_t>(pair), h2 = static_cast<std::uint32_t>(pair >> 32) | 1u;
    for (std::uint32_t i = 0; i < kPairHashes; ++i)
        if (!visit((std::uint64_t{static_cast<std::uint32_t>(h1 + i * h2)} * bits) >> 32)) return false;
    return true;
}

}  // namespace

std::uint64_t term_hash(std::string_view term) { return corpus::fnv1a64(term); }

std::uint64_t pair_hash(std::uint64_t first, std::uint64_t second) {
    // Ordered: (a, b) and (b, a) are different pairs.
    return corpus::mix64(first * 0x9e3779b97f4a7c15ULL + second);  // spreads the combined hashes over all 64 bits
}

std::string pair_signature(const Words& words) {
    thread_local std::vector<std::uint64_t> hashes;  // kept from passage to passage
    hashes.clear();
    for (const auto& w : words.list())
        if (w.indexed) hashes.push_back(term_hash(words.term(w)));
    return pair_signature(words, hashes);
}

std::string pair_signature(const Words& words, std::span<const std::uint64_t> term_hashes) {
    thread_local std::vector<std::uint64_t> pairs;  // kept from passage to passage
    thread_local std::vector<std::uint64_t> seen;   // an open-addressing set of them, 0 = free
    pairs.clear();
    const Word* prev = nullptr;
    std::uint64_t prev_hash = 0;
    std::size_t indexed = 0;  // words so far, and the next one's hash in term_hashes
    for (const auto& w : words.list()) {
        if (!w.indexed) continue;                       // takes no position: its neighbours are adjacent
        if (indexed++ >= term_hashes.size()) continue;  // fewer hashes than words: refused below
        const auto h = term_hashes[indexed - 1];
        // Adjacent: consecutive positions, or two words cut without positions
        // one after the other (a passage's title words after the lead, which
        // headline_words() numbers consecutively).
        if (prev && (prev->pos == 0 ? w.pos == 0 : w.pos == prev->pos + 1)) pairs.push_back(pair_hash(prev_hash, h));
        prev = &w;
        prev_hash = h;
    }
    if (indexed != term_hashes.size())
        throw std::invalid_argument("pair_signature: " + std::to_string(term_hashes.size()) + " term hashes for " +
                                    std::to_string(indexed) + " indexed words");
    // The signature's size is its distinct pairs, counted in a table of at
    // least twice as many slots (a pair's hash is uniform: its low bits pick
    // the slot). Sorting them for the count was a third of this function's
    // cost; setting a duplicate's bits again changes nothing.
    std::size_t slots = 16;
    while (slots < 2 * pairs.size()) slots *= 2;
    seen.assign(slots, 0);
    const std::size_t mask = slots - 1;
    std::size_t distinct = 0;
    bool zero = false;  // the one hash the table cannot hold
    for (const auto pair : pairs) {
        if (pair == 0) {
            distinct += zero ? 0 : 1;
            zero = true;
            continue;
        }
        auto i = static_cast<std::size_t>(pair) & mask;
        while (seen[i] != 0 && seen[i] != pair) i = (i + 1) & mask;
        if (seen[i] == 0) {
            seen[i] = pair;
            ++distinct;
        }
    }
    static_assert(kPairBits == 8, "one byte a distinct pair");
    std::string signature(distinct, '\0');
    const std::uint64_t bits = std::uint64_t{8} * signature.size();
    for (const auto pair : pairs)
        for_each_bit(pair, bits, [&](std::uint64_t bit) {
            signature[bit / 8] = static_cast<char>(static_cast<unsigned char>(signature[bit / 8]) | (1u << (bit % 8)));
            return true;
        });
    return signature;
}

bool may_hold_pair(std::string_view signature, std::uint64_t pair) {
    if (signature.empty()) return true;  // none stored (every word's positions kept), or no pair: the text decides
    return for_each_bit(pair, std::uint64_t{8} * signature.size(), [&](std::uint64_t bit) {
        return (static_cast<unsigned char>(signature[bit / 8]) >> (bit % 8)) & 1u;
    });
}

double pair_false_positive_rate() {
    static const double rate = std::pow(1 - std::exp(-double(kPairHashes) / kPairBits), kPairHashes);
    return rate;
}

}  // namespace trawl::format
