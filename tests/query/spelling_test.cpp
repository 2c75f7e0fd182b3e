// Tests of "did you mean" (query/spelling*.hpp): the noisy channel's error
// model on its own, and the speller's choice between neighbours on small
// indexes: the error model against frequency alone, the typed word's own
// claim, and the context of the query's other words.
#include "query/spelling.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "indexer/format/analysis.hpp"
#include "query/spelling_channel.hpp"
#include "query/spelling_vocabulary.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace trawl::query {
namespace {

std::map<std::string, double> sources(std::string_view typed) {
    std::map<std::string, double> m;
    for (const auto& s : one_edit_sources(typed)) {
        EXPECT_TRUE(m.emplace(s.meant, s.p).second) << "listed twice: " << s.meant;
    }
    return m;
}

TEST(SpellingChannel, KeyboardNeighboursOnQwerty) {
    for (char32_t c : {U'e', U'r', U's', U'f', U'x', U'c'}) EXPECT_TRUE(keyboard_neighbours(U'd', c)) << char(c);
    for (char32_t c : {U'd', U'w', U't', U'k', U'v', U'a'}) EXPECT_FALSE(keyboard_neighbours(U'd', c)) << char(c);
    EXPECT_TRUE(keyboard_neighbours(U'q', U'a'));
    EXPECT_TRUE(keyboard_neighbours(U'p', U'l'));
    EXPECT_FALSE(keyboard_neighbours(U'p', U'q'));
    EXPECT_FALSE(keyboard_neighbours(U'é', U'e'));
}

TEST(SpellingChannel, EveryWordOneEditAwayOnceWithItsErrorsChance) {
    const auto s = sources("wost");
    EXPECT_FALSE(s.contains("wost"));
    EXPECT_LE(s.size(), 54u * 4 + 26);
    // "worst" with its r left out: one of 5 places, of 4 kinds of error.
    EXPECT_DOUBLE_EQ(s.at("worst"), 1.0 / (4 * 5));
    // "west" with its e replaced by o: not a neighbour of e (e's are w, r, s, d).
    EXPECT_DOUBLE_EQ(s.at("west"), 1.0 / (4 * 4) * 1.0 / (4 * kKeyWeight + 21));
    EXPECT_GT(s.at("worst"), 20 * s.at("west"));
    EXPECT_DOUBLE_EQ(s.at("owst"), 1.0 / (4 * 3));  // swapped neighbours: one of 3 pairs
    EXPECT_TRUE(s.contains("wot") && s.contains("wst") && s.contains("wosts"));
}

TEST(SpellingChannel, SourcesComeInByteOrderEachOnce) {
    for (const std::string_view typed : {"comit", "quotta", "naïve", "x", "\xe9t\xe9"}) {
        const auto s = one_edit_sources(typed);
        ASSERT_FALSE(s.empty()) << typed;
        for (std::size_t i = 1; i < s.size(); ++i) EXPECT_LT(s[i - 1].meant, s[i].meant) << typed;
    }
    // A stray byte is the character Xapian reads it as (Latin-1): its sources are UTF-8.
    const auto latin1 = sources("\xe9t\xe9");
    EXPECT_TRUE(latin1.contains("\xc3\xa9t\xc3\xa9s"));
    EXPECT_TRUE(latin1.contains("t\xc3\xa9"));
    EXPECT_FALSE(latin1.contains("\xc3\xa9t\xc3\xa9"));
}

TEST(SpellingChannel, KeyboardNeighboursAndDoubledLettersWeighMore) {
    const auto a = sources("quotw"), b = sources("quotx");
    EXPECT_DOUBLE_EQ(a.at("quota") / b.at("quota"), kKeyWeight) << "w is beside a, x is not";
    // "commit" with one m of two left out: either m, so twice a single letter's chance.
    const auto c = sources("comit");
    EXPECT_DOUBLE_EQ(c.at("commit"), 2.0 / (4 * 6));
    EXPECT_DOUBLE_EQ(c.at("coomit"), 2.0 / (4 * 6));
    EXPECT_DOUBLE_EQ(c.at("comiut"), 1.0 / (4 * 6));
    // An added letter repeating its neighbour ("quotta") is likelier than one far from both.
    EXPECT_GT(sources("quotta").at("quota"), sources("quotza").at("quota"));
}

TEST(SpellingChannel, UnicodeWordsAreEditedByCharacter) {
    const auto s = sources("éte");
    for (const auto& [w, p] : s) {
        const auto chars = std::count_if(w.begin(), w.end(), [](char c) { return (c & 0xC0) != 0x80; });
        EXPECT_TRUE(chars >= 2 && chars <= 4) << "edits keep whole characters: " << w;
    }
    EXPECT_TRUE(s.contains("te") && s.contains("ét") && s.contains("tée") && s.contains("éet"));
    EXPECT_TRUE(s.contains("été")) << "the word's own letters are among those added and replacing";
}

// The speller, holding its vocabulary in memory, asks for the sources it
// holds only: the same words with the same chances, to the last bit (the
// shares of a word made by several errors summed in the same order).
TEST(SpellingChannel, KeptSourcesAreTheWholeListsOwnInByteOrder) {
    for (const std::string_view typed : {"comit", "quotta", "naïve", "x", "mississippi", "\xe9t\xe9"}) {
        const auto all = one_edit_sources(typed);
        const auto kept = [](std::string_view w) { return w.find_first_of("mst") != std::string_view::npos; };
        std::vector<ChannelSource> want;
        for (const auto& s : all)
            if (kept(s.meant)) want.push_back(s);
        const auto got = one_edit_sources(typed, kept);
        ASSERT_EQ(got.size(), want.size()) << typed;
        ASSERT_FALSE(got.empty()) << typed;
        for (std::size_t i = 0; i < got.size(); ++i) {
            EXPECT_EQ(got[i].meant, want[i].meant) << typed;
            EXPECT_EQ(got[i].p, want[i].p) << typed << " " << got[i].meant;
        }
    }
}

// A word made by several errors sums their shares in the order the errors
// are listed (left out, added, replaced, swapped; by place): the bits of two
// sums that another order changes, as the first version of the list gave
// them.
TEST(SpellingChannel, SharesAreSummedInTheOrderTheErrorsAreListed) {
    for (const bool keep : {false, true}) {
        const auto kept = [](std::string_view) { return true; };
        const auto iiiiu = keep ? one_edit_sources("iiiiu", kept) : one_edit_sources("iiiiu");
        const auto ssstcama = keep ? one_edit_sources("ssstcama", kept) : one_edit_sources("ssstcama");
        const auto share = [](const std::vector<ChannelSource>& s, const std::string& w) {
            const auto it = std::find_if(s.begin(), s.end(), [&](const auto& c) { return c.meant == w; });
            return it == s.end() ? -1.0 : it->p;
        };
        EXPECT_EQ(share(iiiiu, "iiiu"), 0x1.0a3d70a3d70a4p-6) << keep;        // not ...a3p-6
        EXPECT_EQ(share(ssstcama, "sstcama"), 0x1.ae147ae147ae1p-8) << keep;  // not ...ae2p-8
    }
}

// An index of one-sentence articles: `n` of each text.
void index_of(const std::string& path, const std::vector<std::pair<int, std::string>>& texts) {
    std::vector<corpus::Article> articles;
    int id = 0;
    for (const auto& [n, text] : texts)
        for (int i = 0; i < n; ++i) articles.push_back(test::article(std::to_string(id++), "News", text));
    test::make_index(path, articles);
}

TEST(Speller, TheErrorModelBeatsFrequencyAlone) {
    test::TempDir tmp;
    index_of(tmp.str(),
             {{40, "The West German mark rose."}, {10, "The worst crisis in years."}, {50, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // west is 4 times as frequent, but leaving out a letter is about 26 times
    // likelier than one particular wrong letter.
    EXPECT_EQ(s.correct("wost"), "worst");
    const auto c = s.candidates("wost");
    ASSERT_GE(c.size(), 2u);
    EXPECT_EQ(c[0].word, "worst");
    EXPECT_EQ(c[0].passages, 10u);
    EXPECT_EQ(c[1].word, "west");
    EXPECT_EQ(s.correct("west"), "") << "a word in 20 passages or more is taken as typed";
    EXPECT_TRUE(s.candidates("west").empty());
}

TEST(Speller, TheQuerysOtherWordsDecideBetweenNeighbours) {
    test::TempDir tmp;
    // 500 other passages: on 100, "worst" and "german" drawn independently
    // would be too likely a query for the context to outweigh the error model.
    index_of(tmp.str(),
             {{40, "The West German mark rose."}, {10, "The worst crisis in years."}, {500, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    EXPECT_EQ(s.suggest("wost german"), "west german");
    EXPECT_EQ(s.suggest("wost crisis"), "worst crisis");
    EXPECT_EQ(s.suggest("wost harvest"), "worst harvest")
        << "no passage holds either with harvest: the error model decides";
    Speller no_context{Xapian::Database(tmp.str()), {.context = false}};
    EXPECT_EQ(no_context.suggest("wost german"), "worst german");
}

TEST(Speller, ARareWordOfTheVocabularyKeepsItsClaim) {
    test::TempDir tmp;
    index_of(tmp.str(), {{5, "Rats ate the grain."}, {15, "Interest rates rose."}, {30, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // rats (5 passages) is rare but likelier typed as meant than rates (15) mistyped.
    const auto c = s.candidates("rats");
    ASSERT_FALSE(c.empty());
    EXPECT_EQ(c[0].word, "rats");
    EXPECT_EQ(s.correct("rats"), "");
    EXPECT_EQ(s.suggest("grain rats"), "");
    EXPECT_EQ(s.correct("ratse"), "rates") << "not a word of the index";
    EXPECT_EQ(s.correct("rat"), "rats") << "not a word of the index either";
}

TEST(Speller, AWordOfOnePassageIsAWordOfTheVocabulary) {
    test::TempDir tmp;
    index_of(tmp.str(), {{1, "Triweb Resources agreed a merger."},
                         {1, "The rats ate the grain."},
                         {40, "Interest rates rose."},
                         {30, "Resources rose."}});
    Speller s{Xapian::Database(tmp.str())};
    // triweb is the only word one edit from triwbe: meant, however rare.
    EXPECT_EQ(s.suggest("triwbe resources"), "triweb resources");
    EXPECT_EQ(s.correct("triwbe"), "triweb");
    // rats, in one passage, is likelier typed as meant than rates (40) mistyped.
    EXPECT_EQ(s.suggest("rats"), "");
    EXPECT_EQ(s.correct("ratse"), "rates");
}

TEST(Speller, TwoWordsTypedDifferentlyAreNotCorrectedToTheSameWord) {
    test::TempDir tmp;
    index_of(tmp.str(), {{60, "Hog prices rose."}, {20, "Hong Kong shares fell."}, {620, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // "hog hog" would be in 60 passages, "hog kong" in none; but nobody
    // types one word twice in a query of words.
    EXPECT_EQ(s.suggest("hog kog"), "hog kong");
    EXPECT_EQ(s.suggest("kog"), "kong") << "alone, the likeliest error (a letter left out)";
}

TEST(Speller, ARareWordInNoPassageWithTheOthersYieldsToANeighbourThatIs) {
    test::TempDir tmp;
    index_of(tmp.str(), {{40, "Beef prices cut."}, {5, "The UT campus."}, {455, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // ut (5 passages) is likelier typed as meant than cut (40) with its c
    // left out, and as likely met with beef by chance; but no passage holds
    // ut with beef, 40 hold cut with beef.
    EXPECT_EQ(s.correct("ut"), "");
    EXPECT_EQ(s.suggest("beef ut"), "beef cut");
    EXPECT_EQ(s.suggest("grain ut"), "") << "cut is in no passage with grain either: the error model decides";
    // Half the weight on independent words (the model before) kept ut.
    Speller even{Xapian::Database(tmp.str()), {.together_share = 0.5}};
    EXPECT_EQ(even.suggest("beef ut"), "");
}

// The query is cut into words as the indexer cuts them: "AT&T's" is one
// word of the index, not "AT" and "T's" (whose neighbour it's made
// "AT&it's", a word no passage holds); a correction replaces a whole word by
// a word of the index, and leaves a word whose term differs from its
// spelling ("U.S." is "us") as typed.
TEST(Speller, AWordJoinedByPunctuationIsOneWordAsIndexed) {
    test::TempDir tmp;
    index_of(tmp.str(), {{1, "AT&T's offer was made."},
                         {30, "It's raining, it's pouring."},
                         {40, "Trade talks on tariffs."},
                         {429, "Grain harvest."}});
    const Xapian::Database db(tmp.str());
    ASSERT_EQ(db.get_termfreq("at&t's"), 1u);
    ASSERT_GT(db.get_termfreq("it's"), 0u);
    Speller s{db};
    EXPECT_EQ(s.suggest("AT&T's"), "");
    EXPECT_EQ(s.suggest("AT&T's ofer"), "AT&T's offer");
    EXPECT_EQ(s.suggest("AT&T'z"), "at&t's") << "the whole word, a word of the index";
    EXPECT_EQ(s.suggest("U.S. tarde"), "U.S. trade");
    EXPECT_EQ(s.suggest("title:tarde"), "title:trade");
}

TEST(Speller, AWordIsNotCorrectedToAnotherFormOfAnotherWordOfTheQuery) {
    test::TempDir tmp;
    index_of(tmp.str(),
             {{40, "Sets set records."}, {10, "Sets new highs."}, {40, "The new plan."}, {340, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // sew is one replaced letter from set and from new, as frequent; "sets
    // set" is in 40 passages, "sets new" in 10. But trawl-query searches
    // stems, and "sets set" searches nothing that "sets" does not.
    EXPECT_EQ(s.suggest("sest sew"), "sets new");
    EXPECT_EQ(s.suggest("sets sew"), "sets new") << "the word typed right counts as much";
    EXPECT_EQ(s.suggest("sets set"), "") << "two forms typed as they are stay";
    // Every candidate of sest (sets, set) is a form of sets, typed beside it:
    // no combination is left, and the words stay as typed (not "sets sets").
    EXPECT_EQ(s.suggest("sest sets"), "");
}

// Both words mistyped, each likelier on its own as a word that never occurs
// with the other's likelier form; the pair that occurs together wins only
// when the query is scored whole.
void index_of_pairs(const std::string& path) {
    index_of(path, {{60, "Fresh bread sold."},
                    {60, "A clown performed."},
                    {30, "Broad crown shares fell."},
                    {300, "Grain harvest."}});
}

TEST(Speller, TheJointModelPicksTheCombinationThatOccursTogether) {
    test::TempDir tmp;
    index_of_pairs(tmp.str());
    Speller s{Xapian::Database(tmp.str())};
    // Each on its own: the same error (a letter left out) and twice the passages.
    EXPECT_EQ(s.correct("brad"), "bread");
    EXPECT_EQ(s.correct("cown"), "clown");
    EXPECT_EQ(s.suggest("brad cown"), "broad crown");
    EXPECT_EQ(s.suggest("cown brad"), "crown broad") << "the order of the words does not matter";
    EXPECT_EQ(s.suggest("brad cown shares"), "broad crown shares") << "a correct word of the query counts too";
    EXPECT_EQ(s.suggest("brad"), "bread") << "alone, the word's own likeliest";
    EXPECT_EQ(s.suggest("broad crown"), "") << "a correct query is left alone";
    // The model before: each word weighed by the other's likeliest form
    // (bread, clown), which occurs with neither candidate.
    Speller per_word{Xapian::Database(tmp.str()), {.joint = false}};
    EXPECT_EQ(per_word.suggest("brad cown"), "bread clown");
}

// The query's other words can only choose among the candidates they are
// shown: a word's likeliest neighbours on their own (five) may all be words
// that never meet the others, while a sixth does in every passage.
TEST(Speller, TheOtherWordsChooseAmongMoreThanAWordsFiveLikeliest) {
    test::TempDir tmp;
    // Six words one replaced letter from "colm", none a keyboard neighbour
    // of m: the same error each, so frequency alone orders them, colt last.
    index_of(tmp.str(), {{50, "Cola sold."},
                         {45, "Cold weather."},
                         {40, "Cole spoke."},
                         {35, "Cols opened."},
                         {30, "Coll fell."},
                         {5, "Colt Industries traded."},
                         {300, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    const auto alone = s.candidates("colm");
    ASSERT_EQ(alone.size(), Speller::kMaxCandidates);
    EXPECT_TRUE(std::none_of(alone.begin(), alone.end(), [](const auto& c) { return c.word == "colt"; }));
    EXPECT_EQ(s.suggest("colm"), "cola") << "alone, the word's own likeliest";
    EXPECT_EQ(s.suggest("colm industries"), "colt industries");
    EXPECT_EQ(s.suggest("industries colm"), "industries colt");
}

TEST(Speller, AWordOfTheQueryThatCannotBeCorrectedIsLeftOut) {
    test::TempDir tmp;
    index_of_pairs(tmp.str());
    Speller s{Xapian::Database(tmp.str())};
    // "zzxq" is in no passage and has no neighbour: it says nothing about the others.
    EXPECT_EQ(s.suggest("brad cown zzxq"), "broad crown zzxq");
    EXPECT_EQ(s.suggest("zzxq"), "");
}

TEST(Speller, AFrequentWordIsCorrectedWhenTheQueryIsInNoPassage) {
    test::TempDir tmp;
    index_of(tmp.str(), {{60, "A bar opened."}, {20, "Bear Stearns traded."}, {620, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // Every word is in 20 passages or more, but no passage holds all three:
    // "bar" may be a real word typed for another.
    EXPECT_EQ(s.suggest("bar stearns traded"), "bear stearns traded");
    EXPECT_EQ(s.suggest("bar opened"), "") << "in a passage: taken as typed";
    EXPECT_EQ(s.suggest("bar harvest"), "") << "in no passage, and bear is not with harvest either";
    EXPECT_EQ(s.suggest("bar"), "") << "one word: taken as typed";
}

// A query typed as a run of words is weighed by the passages that hold its
// words side by side, in the order typed, not only anywhere.
TEST(Speller, WordsSideBySideAsTypedOutweighWordsThatOnlyMeet) {
    test::TempDir tmp;
    // bank and bink: the same error from "bxnk" (neither a keyboard neighbour
    // of x; a and i have four neighbours each) and the same passages, all
    // with "rates"; only bink is beside it.
    index_of(tmp.str(), {{10, "The bank fell as rates rose."}, {10, "The bink rates rose."}, {300, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    const auto c = s.candidates("bxnk");
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].channel, c[1].channel);
    EXPECT_EQ(c[0].passages, c[1].passages);
    EXPECT_EQ(s.suggest("bxnk rates"), "bink rates");
    EXPECT_EQ(s.suggest("rates bxnk"), "rates bank") << "in the order typed: neither is a phrase, the tie stays";
    EXPECT_EQ(s.suggest("bxnk AND rates"), "bank AND rates") << "words not side by side as typed";
    EXPECT_EQ(s.suggest("title:bxnk rates"), "title:bank rates") << "a title word is not a body word beside";
    // A field's quoted or bracketed value is the field's to its end, not
    // body words from its first blank on.
    EXPECT_EQ(s.suggest("title:(bxnk rates)"), "title:(bank rates)");
    EXPECT_EQ(s.suggest("title:\"the bxnk rates\""), "title:\"the bank rates\"");
    EXPECT_EQ(s.suggest("title:(the) bxnk rates"), "title:(the) bink rates") << "after the value, body words again";
    EXPECT_EQ(s.suggest("title:\"the\" bxnk rates"), "title:\"the\" bink rates");
    // A source's name is no word to spell, all of it.
    EXPECT_EQ(s.suggest("rates source:\"the bxnk\""), "");
    EXPECT_EQ(s.suggest("rates source:\u201cthe bxnk\u201d"), "") << "the typographic quotes Xapian also reads";
    EXPECT_EQ(s.suggest("rates source:\"the bxnk\" bxnk"), "rates source:\"the bxnk\" bank");
    Speller without{Xapian::Database(tmp.str()), {.phrase_share = 0}};
    EXPECT_EQ(without.suggest("bxnk rates"), "bank rates");
    // An index keeping every word's positions stores no signatures: the
    // words' passages alone, as with phrase_share 0.
    test::TempDir all;
    std::vector<corpus::Article> articles;
    int id = 0;
    for (const auto& [n, text] : std::vector<std::pair<int, std::string>>{{5, "The bank fell as rates rose."},
                                                                          {5, "The bank said rates fell."},
                                                                          {10, "The bink rates rose."},
                                                                          {300, "Grain harvest."}})
        for (int i = 0; i < n; ++i) articles.push_back(test::article(std::to_string(id++), "News", text));
    test::make_index(all.str(), articles, 100, 20, 2000, false, format::PositionsMode::All);
    Speller positional{Xapian::Database(all.str())};
    EXPECT_EQ(positional.suggest("bxnk rates"), "bank rates");
}

// Typing errors come together (kTypoLift): in a query with one word
// certainly mistyped (in no passage), a rare word of the index is likelier
// mistyped too than it would be alone.
TEST(Speller, AWordBesideAMistypedOneIsLikelierMistypedToo) {
    test::TempDir tmp;
    index_of(tmp.str(), {{300, "Profit was 5 mln dlrs."}, {2, "MRN Corp shares rose."}, {698, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // mrn (2 passages) for mln (300): one particular wrong letter, far less
    // likely than typing mrn as meant, and as the query's only error the
    // phrase "mln dlrs" of 300 passages does not outweigh it; but dlrz,
    // in no passage, is mistyped for certain.
    EXPECT_EQ(s.suggest("mrn dlrs"), "");
    EXPECT_EQ(s.suggest("mrn dlrz"), "mln dlrs");
    Speller independent{Xapian::Database(tmp.str()), {.typo_lift = 1}};
    EXPECT_EQ(independent.suggest("mrn dlrz"), "mrn dlrs") << "the model before: each word's errors on their own";
    EXPECT_EQ(independent.suggest("mrn dlrs"), "");
}

// The combinations of a query of many words are trimmed to
// kMaxCombinations however many there are: 45 words of 5 choices are 5^45,
// which overflowed the count, stopped the trimming and ran out of memory
// building them all (a review: a 41-word query on Wikipedia).
TEST(Speller, AQueryOfManyWordsIsTrimmedToItsMostCombinations) {
    test::TempDir tmp;
    index_of(tmp.str(), {{30, "The bat and the cat."}, {20, "A hat on a mat."}, {10, "The rat ran."}, {200, "Grain."}});
    Speller s{Xapian::Database(tmp.str())};
    ASSERT_EQ(s.candidates("xat").size(), 5u);
    std::string query, want;
    for (int i = 0; i < 45; ++i) query += (i ? " xat" : "xat");
    const std::string got = s.suggest(query);
    EXPECT_EQ(got.size(), query.size()) << got;
    EXPECT_EQ(got.find("xat"), std::string::npos) << got;
}

// A query whose words meet but are never side by side as typed gets its
// frequent words' candidates too, as one whose words never meet does.
TEST(Speller, AFrequentWordIsCorrectedWhenTheQueryIsNoPhraseOfThePassages) {
    test::TempDir tmp;
    index_of(tmp.str(), {{600, "Partners Ltd traded."},
                         {19, "The ld index rose."},
                         {1, "Partners said the ld index fell."},
                         {300, "Grain harvest."}});
    Speller s{Xapian::Database(tmp.str())};
    // ld is in 20 passages, taken as typed; one passage holds it with partners.
    EXPECT_EQ(s.suggest("partners ld"), "partners ltd");
    EXPECT_EQ(s.suggest("partners ltd"), "") << "a correct query is left alone";
    EXPECT_EQ(s.suggest("ld index"), "") << "a phrase of the passages";
    Speller without{Xapian::Database(tmp.str()), {.phrase_share = 0}};
    EXPECT_EQ(without.suggest("partners ld"), "");
}

// The sample a combination's phrase count is estimated from is spread over
// the passages holding its words, whether or not Xapian matched them (every
// word frequent): not the first few, which are a few early articles.
TEST(PassageCounter, TheSampleIsSpreadOverThePassagesHoldingTheWords) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int a = 0; a < 200; ++a)
        articles.push_back(test::article("a" + std::to_string(a), "Title",
                                         a % 3 == 0 ? "Crude oil prices rose." : "Grain prices fell."));
    test::make_index(tmp.str(), articles, 3, 0);
    const Xapian::Database db(tmp.str());
    std::vector<Xapian::docid> shared;
    for (auto p = db.postlist_begin("oil"); p != db.postlist_end("oil"); ++p) shared.push_back(*p);
    ASSERT_GT(shared.size(), 40u);
    for (const Xapian::doccount listed_up_to : {0u, 1000000u}) {
        PassageCounter count(db, listed_up_to);
        const auto held = count.held({"oil", "prices"}, 8);
        EXPECT_EQ(held.passages, shared.size()) << listed_up_to;
        ASSERT_EQ(held.sample.size(), 8u) << listed_up_to;
        for (std::size_t i = 0; i < held.sample.size(); ++i) {
            EXPECT_TRUE(std::binary_search(shared.begin(), shared.end(), held.sample[i])) << held.sample[i];
            if (i > 0) {
                EXPECT_LT(held.sample[i - 1], held.sample[i]);
            }
        }
        EXPECT_LE(held.sample.front(), shared[shared.size() / 8]) << listed_up_to;
        EXPECT_GE(held.sample.back(), shared[shared.size() * 3 / 4]) << listed_up_to << ": spread to the end";
    }
}

// The counter of a suggestion's combinations counts as an Enquire of the
// AND does, whichever of the words have their passages listed.
TEST(PassageCounter, CountsAsXapiansAndWhateverTheWordsFrequency) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    const std::vector<std::string> words = {"oil", "price", "crude", "barrel", "quota", "opec", "saudi", "output"};
    std::mt19937 rng(3);
    for (int a = 0; a < 150; ++a) {
        std::string body;
        for (int w = 0; w < 6; ++w)  // skewed: "oil" in many passages, "output" in few
            body += words[std::min(rng() % words.size(), rng() % words.size())] + (w % 3 == 2 ? ". " : " ");
        articles.push_back(test::article("a" + std::to_string(a), "Title", body));
    }
    test::make_index(tmp.str(), articles, 3, 0);
    const Xapian::Database db(tmp.str());
    const auto enquire_count = [&](const std::vector<std::string>& ws) {
        Xapian::Enquire e(db);
        e.set_query(Xapian::Query(Xapian::Query::OP_AND, ws.begin(), ws.end()));
        return e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
    };
    std::size_t nonzero = 0;
    // 0: every word frequent; 1000000: every word listed; then a bound on all
    // the lists together that lists the first words asked for only.
    for (const auto& [listed_up_to, listed_in_all] : std::vector<std::pair<Xapian::doccount, std::uint64_t>>{
             {0, 1000000}, {40, 1000000}, {80, 1000000}, {1000000, 1000000}, {1000000, 150}}) {
        PassageCounter count(db, listed_up_to, listed_in_all);
        for (int round = 0; round < 60; ++round) {
            std::vector<std::string> ws;
            const int n = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < n; ++k) ws.push_back(words[rng() % words.size()]);
            if (round % 10 == 0) ws.push_back("absentword");
            const auto want = enquire_count(ws);
            nonzero += want > 0;
            EXPECT_EQ(count(ws), want) << listed_up_to << "/" << listed_in_all << ": " << ws.front() << " +"
                                       << ws.size() - 1;
        }
        EXPECT_LE(count.listed(), listed_in_all);
    }
    EXPECT_GT(nonzero, 100u);  // most combinations are held by some passages
    // So that 40 and 80 list some words and look others up.
    EXPECT_GT(db.get_termfreq("oil"), 80u);
    EXPECT_LT(db.get_termfreq("output"), 40u);
}

// An index of made-up words of skewed frequencies (a few in hundreds of
// passages, most in a few): words one edit from each other, stop words and
// numbers among them.
std::vector<std::string> skewed_index(const std::string& path, std::mt19937& rng) {
    std::vector<std::string> words = {"the",   "of",    "and",    "1987",    "crude", "crud",
                                      "cruse", "prude", "éclair", "éclairs", "über"};
    const std::string letters = "aeioubcdlmnrst";
    while (words.size() < 300) {
        std::string w;
        for (std::size_t n = 3 + rng() % 6; w.size() < n;) w += letters[rng() % letters.size()];
        words.push_back(w);
    }
    std::vector<corpus::Article> articles;
    for (int a = 0; a < 400; ++a) {
        std::string body;
        for (int k = 0; k < 12; ++k) {
            const auto pick = std::min({rng() % words.size(), rng() % words.size(), rng() % words.size()});
            body += words[pick] + (k % 6 == 5 ? ". " : " ");
        }
        articles.push_back(test::article("a" + std::to_string(a), "Title", body));
    }
    test::make_index(path, articles, 3, 0);
    return words;
}

// One edit of a word: a letter left out, added, replaced or two swapped.
std::string mistyped(std::string w, std::mt19937& rng) {
    const std::size_t at = rng() % w.size();
    switch (rng() % 4) {
        case 0:
            if (w.size() > 1) w.erase(at, 1);
            break;
        case 1:
            w.insert(at, 1, static_cast<char>('a' + rng() % 26));
            break;
        case 2:
            w[at] = static_cast<char>('a' + rng() % 26);
            break;
        default:
            if (at + 1 < w.size()) std::swap(w[at], w[at + 1]);
    }
    return w;
}

TEST(SpellingVocabulary, HoldsEveryWordOfTheIndexWithItsPassages) {
    test::TempDir tmp;
    std::mt19937 rng(11);
    skewed_index(tmp.str(), rng);
    const Xapian::Database db(tmp.str());
    for (const Xapian::doccount min_passages : {1u, 3u, 40u}) {
        const SpellingVocabulary vocabulary(db, min_passages);
        ASSERT_TRUE(vocabulary.held());
        std::size_t words = 0, held = 0;
        for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
            const std::string term = *t;
            const bool word = term[0] < 'A' || term[0] > 'Z';  // prefixes are capitals
            const bool in = word && t.get_termfreq() >= min_passages && !format::is_stop_word(term);
            EXPECT_EQ(vocabulary(term), in ? t.get_termfreq() : 0u) << term << " from " << min_passages;
            words += word;
            held += in;
        }
        EXPECT_EQ(vocabulary.size(), held);
        EXPECT_GT(words, 250u);
        EXPECT_GT(held, 0u);
        EXPECT_EQ(vocabulary("notawordofthisindex"), 0u);
        EXPECT_EQ(vocabulary(""), 0u);
        EXPECT_GT(vocabulary.bytes(), 0u);
    }
    EXPECT_EQ(SpellingVocabulary(db, 1)("the"), 0u) << "a stop word is no word of the vocabulary";
    EXPECT_GT(SpellingVocabulary(db, 1)("1987"), 0u) << "a number is, as Xapian finds it for \"p1987\"";
    EXPECT_GT(SpellingVocabulary(db, 1)("crude"), 0u);
    EXPECT_GT(SpellingVocabulary(db, 1)("éclair"), 0u) << "a word that begins past z in UTF-8";
    EXPECT_GT(SpellingVocabulary(db, 1)("über"), 0u);
    // Too large for the memory allowed: not held, and no word found.
    const SpellingVocabulary small(db, 1, 100);
    EXPECT_FALSE(small.held());
    EXPECT_EQ(small.size(), 0u);
    EXPECT_EQ(small("crude"), 0u);
}

// The vocabulary held in memory changes no suggestion: every candidate, its
// passages and chances, and every query's suggestion are those of the
// speller that asks Xapian for each word.
TEST(SpellingVocabulary, HeldInMemoryTheSpellerSuggestsWhatItsLookupsDo) {
    test::TempDir tmp;
    std::mt19937 rng(5);
    const auto words = skewed_index(tmp.str(), rng);
    const Xapian::Database db(tmp.str());
    Speller asks{db}, holds{db}, later{db}, too_small{db};
    holds.hold_vocabulary_after(0);
    later.hold_vocabulary_after(500);         // partway through the queries
    too_small.hold_vocabulary_after(0, 100);  // more than it may take: Xapian's lookups go on
    std::size_t suggested = 0, candidates = 0;
    for (int q = 0; q < 300; ++q) {
        std::string query;
        for (std::size_t n = 1 + rng() % 3; n > 0; --n) {
            const auto& w = words[3 + rng() % (words.size() - 3)];
            query += (query.empty() ? "" : " ") + (rng() % 3 == 0 ? w : mistyped(w, rng));
        }
        const auto want = asks.suggest(query);
        suggested += !want.empty();
        EXPECT_EQ(holds.suggest(query), want) << query;
        EXPECT_EQ(later.suggest(query), want) << query;
        EXPECT_EQ(too_small.suggest(query), want) << query;
        const std::string first = query.substr(0, query.find(' '));
        const auto c = asks.candidates(first), h = holds.candidates(first);
        candidates += c.size();
        ASSERT_EQ(h.size(), c.size()) << first;
        for (std::size_t i = 0; i < c.size(); ++i) {
            EXPECT_EQ(h[i].word, c[i].word) << first;
            EXPECT_EQ(h[i].passages, c[i].passages) << first;
            EXPECT_EQ(h[i].channel, c[i].channel) << first;
        }
    }
    EXPECT_TRUE(holds.holds_vocabulary());
    EXPECT_TRUE(later.holds_vocabulary());
    EXPECT_FALSE(asks.holds_vocabulary());
    EXPECT_FALSE(too_small.holds_vocabulary());
    // Words the query's never are ("" and a capital's prefixed terms: the
    // title word "Stitle" is "title") are Xapian's to answer either way.
    for (const std::string w : {"", "Stitlw", "Stitles", "Aa12x", "Scrud", "crude", "éclairz", "_crude"}) {
        EXPECT_EQ(holds.correct(w), asks.correct(w)) << w;
        EXPECT_EQ(holds.candidates(w).size(), asks.candidates(w).size()) << w;
    }
    EXPECT_GT(suggested, 60u);
    EXPECT_GT(candidates, 150u);
}

}  // namespace
}  // namespace trawl::query
