#include "indexer/format/word_stems.hpp"

#include <algorithm>

#include "indexer/format/analysis.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {

std::string stem_term(std::string_view prefix, const std::string& stem) {
    std::string t(kPrefixStem);
    t += prefix;
    t += stem;
    return t;
}

// kLanguage: as StemReader stems a query word.
WordStems::WordStems() : stemmer_(kLanguage), slots_(kSlots), texts_(kSlots) {}

WordStems::Entry& WordStems::entry(std::string_view word, std::uint64_t hash) {
    const auto h = std::max<std::uint64_t>(1, hash);
    const auto i = h & (kSlots - 1);
    auto& e = slots_[i];
    if (e.word != h) {
        texts_[i] = stemmer_(std::string(word));
        e = {h, corpus::hash64(texts_[i]) & kStemMask};
    }
    return e;
}

PositionalWords::Kept WordStems::kept(Entry& e, std::string_view word, const PositionalWords& positional) {
    if (positional.fingerprint() != kept_for_) {
        for (auto& s : slots_) s.bits &= ~kKeptBits;
        kept_for_ = positional.fingerprint();
    }
    auto known = (e.bits & kKeptBits) >> kKeptShift;
    if (known == 0) {
        known = static_cast<std::uint64_t>(positional.kept(word)) + 1;
        e.bits |= known << kKeptShift;
    }
    return static_cast<PositionalWords::Kept>(known - 1);
}

bool WordStems::first_written(Entry& e, bool title) {
    const auto bit = title ? kWrittenTitle : kWrittenBody;
    if (e.bits & bit) return false;
    e.bits |= bit;
    return true;
}

bool WordStems::first_written(Entry& e, bool title, std::string_view term, StemPairs& out) {
    if (!first_written(e, title)) return false;
    out.emplace_back(stem_term(title ? kPrefixTitle : std::string_view(), stem(e)), std::string(term));
    return true;
}

}  // namespace trawl::format
