// Impact tiers (indexer/format/tiers.hpp): the rule, where it turns, the
// terms' spelling, and the terms a passage gets.
#include "indexer/format/tiers.hpp"

#include <limits>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"

using namespace trawl;

TEST(Tiers, TheRuleIsBm25sWdfPartAtTheReferenceLength) {
    for (Xapian::termcount wdf = 1; wdf < 40; ++wdf)
        for (Xapian::termcount length = 0; length < 400; length += 7) {
            const double part = wdf / (wdf + 2.0 * (0.4 + 0.6 * length / 55.0));
            EXPECT_EQ(format::in_tier(wdf, length), part >= 0.6) << wdf << " in " << length;
        }
    // As tiers.hpp says: once never; twice up to 24 words; three times up to 55.
    EXPECT_FALSE(format::in_tier(1, 0));
    EXPECT_TRUE(format::in_tier(2, 24));
    EXPECT_FALSE(format::in_tier(2, 25));
    EXPECT_TRUE(format::in_tier(3, 55));
    EXPECT_FALSE(format::in_tier(3, 56));
}

TEST(Tiers, FirstLengthOutsideIsWhereTheRuleTurns) {
    EXPECT_EQ(format::first_length_outside(1), 0u);
    EXPECT_EQ(format::first_length_outside(2), 25u);
    EXPECT_EQ(format::first_length_outside(3), 56u);
    for (Xapian::termcount wdf = 1; wdf < 5000; wdf += wdf < 100 ? 1 : 97) {
        const auto outside = format::first_length_outside(wdf);
        ASSERT_FALSE(format::in_tier(wdf, outside)) << wdf;
        if (outside > 0) {
            ASSERT_TRUE(format::in_tier(wdf, outside - 1)) << wdf;
        }
        ASSERT_LE(outside, format::first_length_outside(wdf + 1)) << wdf;
    }
    EXPECT_EQ(format::first_length_outside(std::numeric_limits<Xapian::termcount>::max()),
              std::numeric_limits<Xapian::termcount>::max());
}

TEST(Tiers, TermsSpellTheStemAndTheWdf) {
    EXPECT_EQ(format::tier_term("natur", 3), "XTnatur:3");
    EXPECT_EQ(format::tier_prefix("natur"), "XTnatur:");
    const auto prefix = format::tier_prefix("natur").size();
    EXPECT_EQ(format::tier_wdf("XTnatur:3", prefix), 3u);
    EXPECT_EQ(format::tier_wdf("XTnatur:12", prefix), 12u);
    EXPECT_EQ(format::tier_wdf("XTnatur:", prefix), 0u);
    EXPECT_EQ(format::tier_wdf("XTnatur:3x", prefix), 0u);
    EXPECT_EQ(format::tier_wdf("XTnatur:1234567890", prefix), 0u);  // not a wdf a passage holds
}

namespace {

std::set<std::string> tier_terms_of(const std::vector<std::string>& terms) {
    format::WordStems stems;
    format::TierTerms tiers;
    tiers.clear();
    for (const auto& t : terms) {
        const auto c = format::classify_term(t);
        if (c.field == format::TermClass::Field::Body) tiers.add_body_word(c.word, stems.hash_of(c.word));
    }
    Xapian::Document doc;
    tiers.write(doc, static_cast<Xapian::termcount>(terms.size()), stems);
    std::set<std::string> out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        EXPECT_EQ(t.get_wdf(), 0u) << *t;
        out.insert(*t);
    }
    return out;
}

}  // namespace

TEST(Tiers, WordStemsAreSnowballs) {
    format::WordStems stems;
    Xapian::Stem snowball(format::kLanguage);
    for (const std::string w : {"nature", "naturally", "models", "modelling", "ran", "1987", "naïve", "nature"}) {
        EXPECT_EQ(stems.of(w), snowball(w)) << w;
    }
    EXPECT_EQ(stems.hash_of("nature"), stems.hash_of("naturally"));
    EXPECT_NE(stems.hash_of("nature"), stems.hash_of("models"));
}

TEST(Tiers, APassagesStemsHeldOftenForItsLength) {
    // Forms of one stem count together; title words (S...) count in the
    // length only; a stem held once is never in its tier.
    const std::vector<std::string> short_passage = {"Sreport", "nature", "natural", "naturally", "oil", "oils", "crop"};
    EXPECT_EQ(tier_terms_of(short_passage), (std::set<std::string>{"XTnatur:3", "XToil:2"}));
    // The same words in a passage of 60: three times is no longer enough
    // (first_length_outside(3) is 56), twice never was.
    auto long_passage = short_passage;
    for (int i = 0; i < 53; ++i) long_passage.push_back("w" + std::to_string(i));
    EXPECT_TRUE(tier_terms_of(long_passage).empty());
    long_passage.push_back("nature");  // four times in 61
    EXPECT_EQ(tier_terms_of(long_passage), (std::set<std::string>{"XTnatur:4"}));
}
