// WordStems: what an indexer remembers of the words it meets (one table a
// PassageDocumentMaker: a builder's, one a database written), in one
// fixed table of kSlots entries found by the word's 64-bit hash (memory stays
// bounded, 4 MB of entries and the stems' spellings apart):
//  - the word's stem (Snowball costs about 2,500 instructions a word with its
//    strings, a lookup a few dozen), and the hash of the stem, equal for the
//    words of one stem (the tier terms count a passage's stems by it);
//  - what the index keeps of the word (PositionalWords::kept());
//  - whether its stem-table entry (stems.hpp) was written in this run, for
//    each field (body, title).
// The indexer looks up every word occurrence it writes once, in this table
// alone: three tables of their own (stems, positional words, entries
// written) cost a cache miss each an occurrence (bench/RESULTS.md,
// "Thirty-eighth session"). A word whose slot another word took is stemmed
// and looked up again, and its stem-table entry written again, which Xapian
// keeps as one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "corpus/base/hash64.hpp"
#include "indexer/format/positions.hpp"

namespace trawl::format {

// The stem term of a stem in the field of `prefix` (kPrefixTitle's or the
// body's, none): "Z" + prefix + stem, the key of the stem's entry in a
// Synonyms index's stem table (stems.hpp).
std::string stem_term(std::string_view prefix, const std::string& stem);
// (stem term, word term) pairs: stem-table entries to write (stems.hpp).
using StemPairs = std::vector<std::pair<std::string, std::string>>;

class WordStems {
public:
    // One word's entry: its hash (0: an empty slot), and the stem's hash (the
    // low 56 bits) with what else is known of the word in the high 8.
    struct Entry {
        std::uint64_t word = 0;
        std::uint64_t bits = 0;
    };

    WordStems();
    // The entry of `word` (a term without its field prefix), whose
    // corpus::hash64() is `hash`: filled anew, its word stemmed, when it held
    // another word. Valid until the next call.
    Entry& entry(std::string_view word, std::uint64_t hash);
    Entry& entry(std::string_view word) { return entry(word, corpus::hash64(word)); }

    // The hash of the entry's stem: equal for the words of one stem.
    static std::uint64_t stem_hash(const Entry& e) { return e.bits & kStemMask; }
    // The entry's stem.
    const std::string& stem(const Entry& e) const { return texts_[static_cast<std::size_t>(&e - slots_.data())]; }
    // What `positional` keeps of the entry's word `word`: asked of it once a
    // word, then remembered while every call passes the same positional
    // words (by PositionalWords::fingerprint(); other ones forget every
    // word's answer).
    PositionalWords::Kept kept(Entry& e, std::string_view word, const PositionalWords& positional);
    // True the first time it is asked for the entry's word in this field
    // (`title`: kPrefixTitle's; else the body's) since the word took its slot:
    // its stem-table entry is to be written.
    bool first_written(Entry& e, bool title);
    // The same, naming the entry's stem-table entry in `out` when it is the
    // first time: (stem_term() of its stem in the field, `term`, the word
    // with its field's prefix).
    bool first_written(Entry& e, bool title, std::string_view term, StemPairs& out);

    // The same by word, a lookup each.
    std::uint64_t hash_of(std::string_view word) { return stem_hash(entry(word)); }
    const std::string& of(std::string_view word) { return stem(entry(word)); }

private:
    static constexpr std::size_t kSlots = std::size_t{1} << 18;
    static constexpr std::uint64_t kStemMask = (std::uint64_t{1} << 56) - 1;
    static constexpr unsigned kKeptShift = 56;  // 2 bits: 0 not asked, else Kept + 1
    static constexpr std::uint64_t kKeptBits = std::uint64_t{3} << kKeptShift;
    static constexpr std::uint64_t kWrittenBody = std::uint64_t{1} << 58;
    static constexpr std::uint64_t kWrittenTitle = std::uint64_t{1} << 59;

    Xapian::Stem stemmer_;
    std::vector<Entry> slots_;
    std::vector<std::string> texts_;  // the stem of slots_[i]'s word
    std::uint64_t kept_for_ = 0;      // fingerprint of the positional words the kept bits answer
};

}  // namespace trawl::format
