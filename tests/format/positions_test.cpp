// The positional words of an index (format v4): chosen from the sample,
// kept in metadata, and the only words whose positions a passage keeps.
#include "indexer/format/positions.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/passage_document.hpp"

using namespace trawl;
using format::PositionalWords;

TEST(Positions, MetadataRoundTrip) {
    EXPECT_EQ(PositionalWords::all().serialise(), "all");
    EXPECT_EQ(PositionalWords::parse("all"), PositionalWords::all());
    const auto p = PositionalWords::only({"the", "bank", "of", "the"});
    EXPECT_EQ(p.serialise(), "frequent\nbank\nof\nthe");
    EXPECT_EQ(PositionalWords::parse(p.serialise()), p);
    EXPECT_EQ(PositionalWords::parse("frequent"), PositionalWords::only({}));
    EXPECT_TRUE(p.has("bank"));
    EXPECT_FALSE(p.has("england"));
    EXPECT_THROW(PositionalWords::parse("some"), IndexFormatError);
    EXPECT_THROW(PositionalWords::parse("frequent\n\nthe"), IndexFormatError);
    EXPECT_THROW(PositionalWords::parse("frequentthe"), IndexFormatError);
}

TEST(Positions, HasFindsEveryWordAndNothingElse) {
    // has() looks words up by hash: every listed word is found, in a copy too,
    // and none of the words around them (prefixes, extensions, other case).
    std::vector<std::string> words;
    for (int i = 0; i < 3000; ++i) words.push_back("w" + std::to_string(i * 7));
    const auto p = PositionalWords::only(words);
    const PositionalWords copy = PositionalWords::parse(p.serialise());
    for (const auto& w : words) {
        ASSERT_TRUE(p.has(w)) << w;
        ASSERT_TRUE(copy.has(w)) << w;
        ASSERT_FALSE(p.has(w + "x")) << w;
        ASSERT_FALSE(p.has("W" + w.substr(1))) << w;
    }
    for (int i = 0; i < 3000; ++i) {
        if (i % 7 != 0) {
            ASSERT_FALSE(p.has("w" + std::to_string(i))) << i;
        }
    }
    EXPECT_FALSE(p.has(""));
    EXPECT_FALSE(p.has("w"));
}

TEST(Positions, AnIndexWithoutTheRecordKeepsAllPositions) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    EXPECT_TRUE(PositionalWords::read(db).all_words());
}

TEST(Positions, IntersectionIsWhatEveryIndexKeeps) {
    const auto a = PositionalWords::only({"bank", "of", "the"});
    const auto b = PositionalWords::only({"of", "the", "oil"});
    EXPECT_EQ(a.intersect(b), PositionalWords::only({"of", "the"}));
    EXPECT_EQ(a.intersect(PositionalWords::all()), a);
    EXPECT_EQ(PositionalWords::all().intersect(b), b);
}

TEST(Positions, WordsInEnoughSamplePassagesArePositional) {
    // 100 passages: "the" in all, "oil" in 3, "opec" in 1; share 2% = 2 passages.
    std::vector<std::string> samples;
    for (int i = 0; i < 100; ++i) {
        std::string text = "The price";
        if (i < 3) text += " of oil";
        if (i == 0) text += " and OPEC";
        samples.push_back(format::encode_fields({"id" + std::to_string(i), "", "", "", "", text}));
    }
    const auto p = format::choose_positional_words(samples, format::PositionsMode::Frequent, 0.02);
    EXPECT_TRUE(p.has("the"));
    EXPECT_TRUE(p.has("price"));
    EXPECT_TRUE(p.has("oil"));
    EXPECT_FALSE(p.has("opec"));
    EXPECT_FALSE(p.has("and"));
    EXPECT_TRUE(format::choose_positional_words(samples, format::PositionsMode::All).all_words());
    EXPECT_FALSE(format::choose_positional_words(samples, format::PositionsMode::Frequent, 0.05).has("oil"));
    // The default share: only the words of a fifth of the passages or more.
    const auto by_default = format::choose_positional_words(samples, format::PositionsMode::Frequent);
    EXPECT_TRUE(by_default.has("the"));
    EXPECT_FALSE(by_default.has("oil"));
}

TEST(Positions, KeepPositionsStripsTheOthersAndKeepsWdf) {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_document(doc);
    tg.index_text("the bank of england and the bank", 1, "S");
    tg.index_text("the bank of england and the bank");
    format::keep_positions(doc, PositionalWords::only({"the", "bank", "of", "and"}));
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string term = *t;
        const bool expect_positions = term == "the" || term == "bank" || term == "of" || term == "and" ||
                                      term == "Sthe" || term == "Sbank" || term == "Sof" || term == "Sand";
        EXPECT_EQ(t.positionlist_count() > 0, expect_positions) << term;
        if (term == "england" || term == "Sengland") {
            EXPECT_EQ(t.get_wdf(), 1u) << term;
        }
        if (term == "bank") {
            EXPECT_EQ(t.get_wdf(), 2u);
        }
    }
}
