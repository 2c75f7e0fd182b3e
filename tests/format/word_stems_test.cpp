// WordStems (indexer/format/word_stems.hpp), the table an indexing thread
// looks up once for each word occurrence it writes: stems, what the
// positional words keep, the stem-table entries written; and the maker's new
// stem-table entries, which it tells by that table.
#include "indexer/format/word_stems.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/hash64.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/stems.hpp"

using namespace trawl;
using Kept = format::PositionalWords::Kept;

namespace {

// Two words that take the same slot of the table (2^18 slots, by the low bits
// of corpus::hash64): found by trying "w0", "w1", ... (a few hundred tries).
std::pair<std::string, std::string> words_sharing_a_slot() {
    constexpr std::uint64_t mask = (std::uint64_t{1} << 18) - 1;
    std::vector<std::pair<std::uint64_t, std::string>> seen;
    for (int i = 0;; ++i) {
        std::string w = "w" + std::to_string(i);
        const auto slot = corpus::hash64(w) & mask;
        for (const auto& [s, other] : seen)
            if (s == slot) return {other, w};
        seen.emplace_back(slot, std::move(w));
    }
}

}  // namespace

TEST(WordStems, EntriesHoldSnowballsStemAndItsHash) {
    format::WordStems stems;
    Xapian::Stem snowball(format::kLanguage);
    for (const std::string w : {"nature", "naturally", "shipping", "ran", "1987", "naïve"}) {
        auto& e = stems.entry(w);
        EXPECT_EQ(stems.stem(e), snowball(w)) << w;
        EXPECT_EQ(&stems.entry(w, corpus::hash64(w)), &e) << w;  // the same entry by its hash
    }
    EXPECT_EQ(format::WordStems::stem_hash(stems.entry("nature")),
              format::WordStems::stem_hash(stems.entry("naturally")));
    EXPECT_NE(format::WordStems::stem_hash(stems.entry("nature")),
              format::WordStems::stem_hash(stems.entry("shipping")));
}

TEST(WordStems, WhatIsKeptIsAnsweredForThePositionalWordsAsked) {
    // Remembered per word, but another set of positional words (a builder
    // settling on its index's own after a first guess) is asked again.
    format::WordStems stems;
    const auto frequent = format::PositionalWords::only({"harbour"}, {"the"});
    const auto other = format::PositionalWords::only({"the"});
    for (int round = 0; round < 2; ++round) {
        auto& the = stems.entry("the");
        EXPECT_EQ(stems.kept(the, "the", frequent), Kept::Nothing);
        EXPECT_EQ(stems.kept(the, "the", frequent), Kept::Nothing);  // remembered
        auto& harbour = stems.entry("harbour");
        EXPECT_EQ(stems.kept(harbour, "harbour", frequent), Kept::Positions);
        EXPECT_EQ(stems.kept(stems.entry("ships"), "ships", frequent), Kept::Postings);

        EXPECT_EQ(stems.kept(stems.entry("the"), "the", other), Kept::Positions);
        EXPECT_EQ(stems.kept(stems.entry("harbour"), "harbour", other), Kept::Postings);
        EXPECT_EQ(stems.kept(stems.entry("ships"), "ships", format::PositionalWords::all()), Kept::Positions);
    }
    EXPECT_NE(frequent.fingerprint(), other.fingerprint());
    EXPECT_EQ(frequent.fingerprint(), format::PositionalWords::only({"harbour"}, {"the"}).fingerprint());
    EXPECT_EQ(format::PositionalWords::all().fingerprint(), 0u);
    EXPECT_NE(format::PositionalWords::only({}).fingerprint(), 0u);  // none positional is not all
}

TEST(WordStems, AWordIsFirstWrittenOnceAFieldUntilAnotherTakesItsSlot) {
    format::WordStems stems;
    auto& ships = stems.entry("ships");
    EXPECT_TRUE(stems.first_written(ships, false));
    EXPECT_FALSE(stems.first_written(ships, false));
    EXPECT_TRUE(stems.first_written(ships, true));  // the title's entry is another
    EXPECT_FALSE(stems.first_written(stems.entry("ships"), true));

    const auto [a, b] = words_sharing_a_slot();
    EXPECT_TRUE(stems.first_written(stems.entry(a), false));
    EXPECT_EQ(stems.kept(stems.entry(a), a, format::PositionalWords::only({}, {a})), Kept::Nothing);
    // b takes a's slot: nothing of a is left for it, nor for a after it.
    auto& eb = stems.entry(b);
    EXPECT_EQ(stems.stem(eb), b);
    EXPECT_TRUE(stems.first_written(eb, false));
    EXPECT_EQ(stems.kept(eb, b, format::PositionalWords::only({}, {a})), Kept::Postings);
    auto& ea = stems.entry(a);
    EXPECT_EQ(stems.stem(ea), a);
    EXPECT_TRUE(stems.first_written(ea, false));  // written again, which Xapian keeps as one entry
    EXPECT_EQ(stems.kept(ea, a, format::PositionalWords::only({}, {a})), Kept::Nothing);
}

TEST(WordStems, TheMakerNamesEachWordsStemEntryWithItsFirstPassageOnly) {
    corpus::Article a;
    a.id = "ports/7";
    a.title = "Ships";
    a.body = "The ships sail. Shipping is slow.";
    const auto keys = format::article_keys(a);
    const auto positional = format::PositionalWords::only({"ships"}, {"the", "is"});
    format::PassageDocumentMaker maker(format::StemStorage::Synonyms);
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    const auto sorted = [](Pairs p) {
        std::sort(p.begin(), p.end());
        return p;
    };
    // The lead passage: the title as title words and as body words, then the
    // text; stop words are not indexed, so they get no entry.
    maker.make(a, keys, {0, 0, 15, "The ships sail."}, positional);
    EXPECT_EQ(sorted(maker.take_new_stems()), (Pairs{{"ZSship", "Sships"}, {"Zsail", "sail"}, {"Zship", "ships"}}));
    EXPECT_TRUE(maker.take_new_stems().empty());  // taken
    // The next passage: only its new word (its title words are known).
    maker.make(a, keys, {1, 16, 33, "Shipping is slow."}, positional);
    maker.make(a, keys, {1, 16, 33, "Shipping is slow."}, positional);  // nothing new: not named twice
    EXPECT_EQ(sorted(maker.take_new_stems()), (Pairs{{"Zship", "shipping"}, {"Zslow", "slow"}}));
    // A Terms index has no stem table.
    format::PassageDocumentMaker terms(format::StemStorage::Terms);
    terms.make(a, keys, {0, 0, 15, "The ships sail."}, positional);
    EXPECT_TRUE(terms.take_new_stems().empty());
}

TEST(WordStems, TheWriterWritesWhatTheMakerNamedBesideItsOwnWords) {
    format::StemTableWriter table;
    table.add("ships");
    table.add(format::StemTableWriter::Pairs{{"Zsail", "sail"}, {"Zship", "shipping"}});
    table.add("ships");  // written already
    table.add("Sships");
    EXPECT_EQ(table.take(),
              (format::StemTableWriter::Pairs{
                  {"ZSship", "Sships"}, {"Zsail", "sail"}, {"Zship", "shipping"}, {"Zship", "ships"}}));  // sorted
    EXPECT_TRUE(table.take().empty());
}
