// The positional words of an index (format v4): chosen from the sample,
// kept in metadata, and the only words whose positions a passage keeps.
#include "indexer/format/positions.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"

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
    // "the" is in every passage, but a stop word: not indexed at all (format v6).
    EXPECT_FALSE(p.has("the"));
    EXPECT_FALSE(p.indexed("the"));
    EXPECT_FALSE(p.indexed("and"));
    EXPECT_TRUE(p.has("price"));
    EXPECT_TRUE(p.has("oil"));
    EXPECT_FALSE(p.has("opec"));
    EXPECT_TRUE(p.indexed("opec"));
    EXPECT_EQ(p.stop_words().size(), format::stop_words().size());
    EXPECT_TRUE(format::choose_positional_words(samples, format::PositionsMode::All).all_words());
    EXPECT_FALSE(format::choose_positional_words(samples, format::PositionsMode::Frequent, 0.05).has("oil"));
    // The default share: only the words of a fifth of the passages or more.
    const auto by_default = format::choose_positional_words(samples, format::PositionsMode::Frequent);
    EXPECT_TRUE(by_default.has("price"));
    EXPECT_FALSE(by_default.has("oil"));
    // Every position kept: every word indexed.
    EXPECT_TRUE(format::choose_positional_words(samples, format::PositionsMode::All).indexed("the"));
}

// The sample is cut by format::Words, not by a TermGenerator: the same words
// in the same number of passages, on text where the two could part (initials,
// apostrophes, digits with separators, a word over 64 bytes, a repeated word,
// the title's words, CJK, Latin-1 bytes).
TEST(Positions, TheSampleIsCountedAsTheTermGeneratorCutsIt) {
    const std::vector<std::string> texts = {
        "The U.S.A. said O'Neill's 1,000.5 pct rise was \"c++\" news, news and NEWS.",
        "U.S.A. O'Neill rose 3.5 pct; Café déjà vu \xe6\x9d\xb1\xe4\xba\xac market",
        std::string(70, 'x') + " long word; pct rise AT&T c# news",
        "caf\xe9 latin-1 bytes and U.S. pct news",
    };
    std::vector<std::string> samples;
    for (std::size_t i = 0; i < 40; ++i)
        samples.push_back(format::encode_fields(
            {"id" + std::to_string(i), i % 3 == 0 ? "Market news" : "", "", "", "", texts[i % texts.size()]}));
    // The reference: the unstemmed terms a TermGenerator gives each passage.
    std::map<std::string, std::size_t> df;
    Xapian::TermGenerator tg;
    for (const auto& record : samples) {
        const auto fields = format::decode_fields(record);
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text_without_positions(fields.title);
        tg.index_text_without_positions(fields.text);
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) ++df[*t];
    }
    ASSERT_GT(df.size(), 20u);
    // A share at every count the reference has: one passage more or fewer
    // in any word's count moves it across one of them.
    std::set<std::size_t> counts;
    for (const auto& [term, n] : df) counts.insert(n);
    ASSERT_GT(counts.size(), 3u);
    for (const auto need : counts) {
        const double share = (static_cast<double>(need) - 0.5) / static_cast<double>(samples.size());
        const auto p = format::choose_positional_words(samples, format::PositionsMode::Frequent, share);
        for (const auto& [term, n] : df)
            EXPECT_EQ(p.has(term), n >= need && p.indexed(term))
                << "'" << term << "' in " << n << " of " << samples.size() << ", share " << share;
    }
}

TEST(Positions, StopWordsRoundTripAndAreNeitherPositionalNorIndexed) {
    const auto p = PositionalWords::only({"said", "the", "bank"}, {"the", "of", "of"});
    EXPECT_EQ(p.serialise(), "frequent\nbank\nsaid");  // a stop word is never positional
    EXPECT_EQ(p.serialise_stop_words(), "of\nthe");
    EXPECT_EQ(PositionalWords::parse(p.serialise(), p.serialise_stop_words()), p);
    using Kept = PositionalWords::Kept;
    EXPECT_EQ(p.kept("said"), Kept::Positions);
    EXPECT_EQ(p.kept("oil"), Kept::Postings);
    EXPECT_EQ(p.kept("the"), Kept::Nothing);
    EXPECT_EQ(p.kept("of"), Kept::Nothing);
    EXPECT_EQ(p.kept("ofx"), Kept::Postings);
    EXPECT_EQ(PositionalWords::all().kept("the"), Kept::Positions);
    EXPECT_TRUE(PositionalWords::all().serialise_stop_words().empty());
    // Stored and read back through the index's metadata.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    db.set_metadata(std::string(format::kMetaPositions), p.serialise());
    db.set_metadata(std::string(format::kMetaStopWords), p.serialise_stop_words());
    EXPECT_EQ(PositionalWords::read(db), p);
    // Damaged records.
    EXPECT_THROW(PositionalWords::parse("all", "the"), IndexFormatError);
    EXPECT_THROW(PositionalWords::parse("frequent", "the\n"), IndexFormatError);
    EXPECT_THROW(PositionalWords::parse("frequent", "the\n\nof"), IndexFormatError);
    // Searching two indexes: positions both keep, and a word either leaves out.
    const auto q = PositionalWords::only({"said", "of"}, {"the"});
    const auto both = p.intersect(q);
    EXPECT_EQ(both.words(), std::vector<std::string>{"said"});
    EXPECT_EQ(both.stop_words(), (std::vector<std::string>{"of", "the"}));
}

namespace {

// A document as a Terms index's term generator makes it: `title` under "S",
// then `text`, each word with its Z-stem (STEM_SOME).
Xapian::Document stemmed_document(const std::string& title, const std::string& text) {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_document(doc);
    tg.index_text(title, 1, "S");
    tg.index_text(text);
    return doc;
}

}  // namespace

TEST(Positions, KeepPositionsDropsStopWordsAndTheirShareOfTheirStems) {
    auto doc = stemmed_document("the bank of england", "it's the bank of it");
    format::keep_positions(doc, PositionalWords::only({"bank"}, {"the", "of", "it"}));
    std::vector<std::pair<std::string, Xapian::termcount>> terms;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) terms.emplace_back(*t, t.get_wdf());
    // "Zit" stays for "it's", with its wdf only; the stems of the stop words alone go.
    const std::vector<std::pair<std::string, Xapian::termcount>> expected = {
        {"Sbank", 1}, {"Sengland", 1}, {"ZSbank", 1}, {"ZSengland", 1},
        {"Zbank", 1}, {"Zit", 1},      {"bank", 1},   {"it's", 1}};
    EXPECT_EQ(terms, expected);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if (*t == "bank") {
            EXPECT_EQ(std::vector<Xapian::termpos>(t.positionlist_begin(), t.positionlist_end()),
                      std::vector<Xapian::termpos>{7});  // after the title's four and "it's the"
        }
    }
}

TEST(Positions, KeepPositionsStripsTheOthersAndKeepsWdf) {
    auto doc = stemmed_document("the bank of england and the bank", "the bank of england and the bank");
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
