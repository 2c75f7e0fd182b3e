#include "indexer/format/tiers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "indexer/format/analysis.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {

bool in_tier(Xapian::termcount wdf, Xapian::termcount length) {
    const double w = wdf;
    return w / (w + kTierK1 * (1 - kTierB + kTierB * (length / kTierLength))) >= kTierShare;
}

Xapian::termcount first_length_outside(Xapian::termcount wdf) {
    constexpr auto kMax = std::numeric_limits<Xapian::termcount>::max();
    // in_tier() solved for the length, then moved to where in_tier() itself
    // turns false (it decreases with the length), so both sides agree to the
    // last bit of its arithmetic.
    const double w = wdf;
    const double at = ((w * (1 - kTierShare) / (kTierShare * kTierK1)) - (1 - kTierB)) * kTierLength / kTierB;
    if (!(at < double(kMax) - 2)) return kMax;
    auto length = static_cast<Xapian::termcount>(std::max(0.0, std::floor(at) + 1));
    while (length > 0 && !in_tier(wdf, length - 1)) --length;
    while (length < kMax && in_tier(wdf, length)) ++length;
    return length;
}

std::string tier_prefix(std::string_view stem) {
    std::string t(kPrefixTier);
    t += stem;
    t += ':';
    return t;
}

std::string tier_term(std::string_view stem, Xapian::termcount wdf) { return tier_prefix(stem) + std::to_string(wdf); }

Xapian::termcount tier_wdf(std::string_view term, std::size_t prefix_size) {
    if (term.size() <= prefix_size || term.size() - prefix_size > 9) return 0;
    Xapian::termcount wdf = 0;
    for (const char c : term.substr(prefix_size)) {
        if (c < '0' || c > '9') return 0;
        wdf = wdf * 10 + static_cast<Xapian::termcount>(c - '0');
    }
    return wdf;
}

void TierTerms::write(Xapian::Document& doc, Xapian::termcount length, WordStems& stems) {
    // Not even a stem that every body word has is in the tier of a passage this long.
    if (words_.size() < 2 || !in_tier(static_cast<Xapian::termcount>(words_.size()), length)) return;
    std::sort(words_.begin(), words_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < words_.size();) {
        std::size_t j = i + 1;
        while (j < words_.size() && words_[j].first == words_[i].first) ++j;
        const auto wdf = static_cast<Xapian::termcount>(j - i);
        // Stemmed again if another word took its place in the table since.
        if (in_tier(wdf, length)) doc.add_boolean_term(tier_term(stems.of(words_[i].second), wdf));
        i = j;
    }
}

}  // namespace trawl::format
