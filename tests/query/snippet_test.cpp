#include "query/snippet.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <xapian.h>

namespace trawl::query {
namespace {

// A toy stemmer: drops a trailing "ing" or "s".
std::string fake_stem(const std::string& w) {
    if (w.size() > 4 && w.ends_with("ing")) return w.substr(0, w.size() - 3);
    if (w.size() > 2 && w.ends_with('s')) return w.substr(0, w.size() - 1);
    return w;
}

// The snippet text with every highlight wrapped in [ ].
std::string marked(const Snippet& s) {
    std::string out;
    std::size_t at = 0;
    for (auto [b, e] : s.highlights) {
        EXPECT_LE(at, b);
        EXPECT_LT(b, e);
        EXPECT_LE(e, s.text.size());
        out += s.text.substr(at, b - at) + "[" + s.text.substr(b, e - b) + "]";
        at = e;
    }
    return out + s.text.substr(at);
}

HighlightTerms stems(std::initializer_list<std::string> s) { return {{}, s, {}, {}}; }

// make_snippet() stems only the words that start like a query stem: the
// stemmer it is given must keep a word's first byte, as Snowball's English
// stemmer does, exceptions and short words included.
TEST(Snippet, TheEnglishStemmerKeepsAWordsFirstByte) {
    const Xapian::Stem english("english");
    for (const std::string w :
         {"dying",  "lying",  "tying", "skies", "skis", "ies",        "ied",     "yelling", "yes",
          "happy",  "hoping", "early", "only",  "ugly", "gently",     "news",    "cries",   "ties",
          "agreed", "eed",    "ing",   "ed",    "y's",  "generously", "ébauché", "1987s",   "a"})
        EXPECT_EQ(english(w).substr(0, 1), w.substr(0, 1)) << w << " -> " << english(w);
}

TEST(Snippet, WordsAreHighlightedByTheirEnglishStem) {
    const Xapian::Stem english("english");
    HighlightTerms t;
    for (const char* w : {"sky", "die", "storm", "hope"}) t.stems.insert(english(w));
    t.exact.insert("eased");
    const auto s = make_snippet("Skies cleared as the dying storms eased; early hopes rose.", t,
                                [&](const std::string& w) { return english(w); });
    EXPECT_EQ(marked(s), "[Skies] cleared as the [dying] [storms] [eased]; early [hopes] rose.");
}

TEST(Snippet, ShortTextIsWholeWithoutEllipsis) {
    const auto s = make_snippet("Cocoa prices rose.", stems({"cocoa"}), fake_stem);
    EXPECT_EQ(s.text, "Cocoa prices rose.");
    EXPECT_EQ(marked(s), "[Cocoa] prices rose.");
    ASSERT_EQ(s.highlights.size(), 1u);
    EXPECT_EQ(s.highlights[0], std::make_pair(0u, 5u));
}

TEST(Snippet, ExactLengthFitsWhole) {
    const std::string text = "alpha beta gamma";
    const auto s = make_snippet(text, stems({"gamma"}), fake_stem, text.size());
    EXPECT_EQ(marked(s), "alpha beta [gamma]");
}

TEST(Snippet, EmptyTextAndNoTerms) {
    EXPECT_EQ(make_snippet("", stems({"x"}), fake_stem), Snippet{});
    const auto s = make_snippet("nothing matches here", HighlightTerms{}, fake_stem);
    EXPECT_EQ(s.text, "nothing matches here");
    EXPECT_TRUE(s.highlights.empty());
}

// --snippet-bytes 0 gave "……", two ellipses around nothing: no bytes is no snippet.
TEST(Snippet, ZeroBytesIsNoSnippet) {
    EXPECT_EQ(make_snippet("Cocoa prices rose.", stems({"cocoa"}), fake_stem, 0), Snippet{});
    EXPECT_EQ(make_snippet("Unbreakablewordwithoutspaces", HighlightTerms{}, fake_stem, 0), Snippet{});
}

TEST(Snippet, StemsMatchInflectedForms) {
    const auto s = make_snippet("Rains and raining, rain!", stems({"rain"}), fake_stem);
    EXPECT_EQ(marked(s), "[Rains] and [raining], [rain]!");
}

TEST(Snippet, ExactWordsAreNotStemmed) {
    HighlightTerms t;
    t.exact = {"rains"};
    const auto s = make_snippet("rain rains raining", t, fake_stem);
    EXPECT_EQ(marked(s), "rain [rains] raining");
}

// "U.S." is cut as the word "U.S" (its last '.' may end a sentence), and
// its highlight stopped there: "[U.S]." The acronym's own '.' is now in it;
// a number's or an ordinary word's following '.' is not.
TEST(Snippet, AnAcronymsHighlightHoldsItsClosingDot) {
    HighlightTerms t;
    t.exact = {"us", "usa", "1.5", "talks"};
    const auto s = make_snippet("U.S. talks in the U.S.A. rose 1.5. Talks.", t, fake_stem);
    EXPECT_EQ(marked(s), "[U.S.] [talks] in the [U.S.A.] rose [1.5]. [Talks].");
}

TEST(Snippet, PrefixesMatchWordStarts) {
    HighlightTerms t;
    t.prefixes = {"run"};
    const auto s = make_snippet("Runners run; a rerun is running.", t, fake_stem);
    EXPECT_EQ(marked(s), "[Runners] [run]; a rerun is [running].");
}

TEST(Snippet, CaseInsensitiveAsciiAndLatin) {
    HighlightTerms t;
    t.exact = {"café", "zürich"};
    const auto s = make_snippet("CAFÉ in ZÜRICH, Café", t, fake_stem);
    EXPECT_EQ(marked(s), "[CAFÉ] in [ZÜRICH], [Café]");
}

TEST(Snippet, ApostrophesJoinWords) {
    HighlightTerms t;
    t.exact = {"don't", "o'neill"};
    const auto s = make_snippet("I don't know O’Neill's 'quote' don’t", t, fake_stem);
    // "O’Neill's" is one word ("o'neill's"), not "o'neill"; quotes around 'quote' are not part of it.
    EXPECT_EQ(marked(s), "I [don't] know O’Neill's 'quote' [don’t]");
    t.exact = {"o'neill's", "quote"};
    EXPECT_EQ(marked(make_snippet("I don't know O’Neill's 'quote'", t, fake_stem)),
              "I don't know [O’Neill's] '[quote]'");
}

TEST(Snippet, UnicodeWordsAndPunctuation) {
    HighlightTerms t;
    t.exact = {"東京", "naïve", "cocoa"};
    // Non-ASCII letters are word characters; typographic quotes and dashes are not.
    const auto s = make_snippet("“Cocoa”—a naïve 東京 trader", t, fake_stem);
    EXPECT_EQ(marked(s), "“[Cocoa]”—a [naïve] [東京] trader");
}

TEST(Snippet, WordsAreTheIndexersWords) {
    // Cut as Xapian's TermGenerator cuts them (format::Words): "&" and digit
    // separators stay inside a word, initials make one word, "++" ends one.
    HighlightTerms t;
    t.exact = {"at&t", "1,000.5", "us", "c++", "istanbul"};
    const auto s = make_snippet("AT&T paid 1,000.5 mln; the U.S. sells C++ tools in İstanbul, AT and T.", t, fake_stem);
    EXPECT_EQ(marked(s), "[AT&T] paid [1,000.5] mln; the [U.S.] sells [C++] tools in [İstanbul], AT and T.");
}

TEST(Snippet, WordsTooLongToIndexAreNeverHighlighted) {
    HighlightTerms t;
    const std::string word(65, 'x');
    t.exact = {word, std::string(64, 'y')};
    const auto s = make_snippet(word + " " + std::string(64, 'y'), t, fake_stem);
    EXPECT_EQ(marked(s), word + " [" + std::string(64, 'y') + "]");
}

TEST(Snippet, LongTextPicksWindowWithMostDistinctWords) {
    // 40 filler words, a weak region (one term, repeated), filler, a strong region (two terms).
    std::string text;
    for (int i = 0; i < 20; ++i) text += "filler ";
    text += "cocoa cocoa cocoa ";
    for (int i = 0; i < 20; ++i) text += "filler ";
    text += "cocoa and sugar ";
    for (int i = 0; i < 20; ++i) text += "filler ";
    text += "end.";
    const auto s = make_snippet(text, stems({"cocoa", "sugar"}), fake_stem, 40);
    EXPECT_EQ(marked(s), "…filler filler [cocoa] and [sugar] filler…");
    EXPECT_LE(s.text.size() - 2 * std::string("…").size(), 40u);
}

TEST(Snippet, TiesGoToTheEarliestWindow) {
    std::string text = "sugar ";
    for (int i = 0; i < 30; ++i) text += "word ";
    text += "sugar";
    const auto s = make_snippet(text, stems({"sugar"}), fake_stem, 30);
    EXPECT_EQ(marked(s), "[sugar] word word word word word…");
}

TEST(Snippet, ContextIsBalancedAroundTheMatch) {
    const std::string text = "one two three four five six seven cocoa eight nine ten eleven twelve thirteen";
    const auto s = make_snippet(text, stems({"cocoa"}), fake_stem, 30);
    // Words are added one at a time, left then right, while they fit.
    EXPECT_EQ(marked(s), "…six seven [cocoa] eight nine ten…");
}

TEST(Snippet, NoMatchStartsAtTheBeginning) {
    const auto s = make_snippet("alpha beta gamma delta epsilon zeta", stems({"omega"}), fake_stem, 17);
    EXPECT_EQ(s.text, "alpha beta gamma…");
    EXPECT_TRUE(s.highlights.empty());
}

TEST(Snippet, AttachedPunctuationTravelsWithWords) {
    const auto s =
        make_snippet("Prices fell. (Cocoa rose.) Then more words follow here", stems({"cocoa"}), fake_stem, 25);
    EXPECT_EQ(marked(s), "…fell. ([Cocoa] rose.) Then…");
}

TEST(Snippet, HighlightOffsetsAreAfterTheEllipsis) {
    const auto s = make_snippet("aaa bbb ccc ddd eee", stems({"ccc"}), fake_stem, 7);
    EXPECT_EQ(s.text, "…bbb ccc…");
    ASSERT_EQ(s.highlights.size(), 1u);
    const auto e = static_cast<std::uint32_t>(std::string("…").size());
    EXPECT_EQ(s.highlights[0], std::make_pair(e + 4, e + 7));
}

TEST(Snippet, NeverCutsInsideUtf8) {
    // One long word made of 3-byte characters: the cut must fall between characters.
    std::string text;
    for (int i = 0; i < 50; ++i) text += "語";
    text += " tail";
    for (std::size_t max = 1; max < 20; ++max) {
        const auto s = make_snippet(text, stems({"x"}), fake_stem, max);
        ASSERT_TRUE(s.text.ends_with("…")) << max;
        const std::string body = s.text.substr(0, s.text.size() - std::string("…").size());
        EXPECT_EQ(body.size(), max / 3 * 3) << max;
        EXPECT_LE(body.size(), max);
    }
}

TEST(Snippet, InvalidUtf8DoesNotCrash) {
    const std::string text = "ab\xff\xfe cocoa \xe2\x82 end";
    const auto s = make_snippet(text, stems({"cocoa"}), fake_stem);
    EXPECT_EQ(marked(s), "ab\xff\xfe [cocoa] \xe2\x82 end");
}

TEST(Snippet, RealEnglishStemmer) {
    Xapian::Stem english("english");
    const Stemmer stem = [&](const std::string& w) { return english(w); };
    const auto s =
        make_snippet("Connected connections were connecting; disconnect.", stems({english("connection")}), stem);
    EXPECT_EQ(marked(s), "[Connected] [connections] were [connecting]; disconnect.");
}

TEST(Snippet, EmptyStemmerMeansIdentity) {
    const auto s = make_snippet("cocoa cocoas", stems({"cocoa"}), Stemmer{});
    EXPECT_EQ(marked(s), "[cocoa] cocoas");
}

// A phrase or NEAR hit shows a place that satisfies it, when one fits,
// even where its words apart make a window with more of them (Reuters
// 19377#1, "trade deficit": the budget deficit and a trade bill came first).
HighlightTerms phrase(bool ordered, std::uint32_t window, std::vector<std::string> words) {
    HighlightTerms t;
    for (const auto& w : words) t.exact.insert(w);
    t.positional.push_back({ordered, window, std::move(words)});
    return t;
}

const std::string kApart =
    "The causes of the deficit were the strong dollar and the budget deficit, and a trade bill would not "
    "solve it, he said. Talks went on for two days with officials on trade bills now in Congress. Later "
    "the minister said the trade deficit would narrow this year.";

TEST(Snippet, APhraseHitShowsThePhrase) {
    const auto s = make_snippet(kApart, phrase(true, 2, {"trade", "deficit"}), fake_stem, 120);
    EXPECT_NE(marked(s).find("[trade] [deficit]"), std::string::npos) << marked(s);
    EXPECT_LE(s.text.size(), 120u + 2 * std::string("…").size());
    // Without the phrase, the window with both words apart comes first.
    HighlightTerms words;
    words.exact = {"trade", "deficit"};
    EXPECT_EQ(marked(make_snippet(kApart, words, fake_stem, 120)).find("[trade] [deficit]"), std::string::npos);
}

// A phrase's stop word is not among the words highlighted everywhere
// (Searcher leaves it out): it is marked in the phrase's place only, also in
// a text short enough to be shown whole (which was returned before the
// place was marked).
TEST(Snippet, APhrasesStopWordIsMarkedInThePhrasesPlaceOnly) {
    const std::string text =
        "The Bank of England said the value of sterling rose. A Bank of Japan note. The Bank of England acts.";
    HighlightTerms t = phrase(true, 3, {"bank", "of", "england"});
    t.exact.erase("of");
    for (const std::size_t max : {std::size_t{200}, std::size_t{40}}) {
        const auto m = marked(make_snippet(text, t, fake_stem, max));
        EXPECT_NE(m.find("[Bank] [of] [England]"), std::string::npos) << m;
        if (max == 200) {
            EXPECT_NE(m.find("The [Bank] [of] [England] acts"), std::string::npos) << m << ": each place";
        }
        EXPECT_EQ(m.find("value [of]"), std::string::npos) << m;
        EXPECT_EQ(m.find("[Bank] [of] Japan"), std::string::npos) << m;
    }
}

TEST(Snippet, ANearHitShowsAPlaceInsideItsWindowInEitherOrder) {
    const std::string text =
        "Oil output rose in March, and the ministers met. Nothing was said of prices then; the meeting "
        "ended late. Traders said prices of crude oil fell sharply after the meeting ended on Friday.";
    const auto s = make_snippet(text, phrase(false, 4, {"oil", "prices"}), fake_stem, 80);
    EXPECT_NE(marked(s).find("[prices] of crude [oil]"), std::string::npos) << marked(s);
    // ADJ is a phrase with a window: words in order, gaps allowed.
    const auto a = make_snippet(text, phrase(true, 4, {"prices", "oil"}), fake_stem, 80);
    EXPECT_NE(marked(a).find("[prices] of crude [oil]"), std::string::npos) << marked(a);
}

TEST(Snippet, APhraseThatDoesNotFitOrIsNotThereLeavesTheUsualWindow) {
    const auto none = make_snippet(kApart, phrase(true, 2, {"strong", "budget"}), fake_stem, 120);
    HighlightTerms words;
    words.exact = {"strong", "budget"};
    EXPECT_EQ(none, make_snippet(kApart, words, fake_stem, 120));
    // Two phrases: both places when they fit together, else the first.
    HighlightTerms two = phrase(true, 2, {"trade", "deficit"});
    two.exact.insert({"strong", "dollar"});
    two.positional.push_back({true, 2, {"strong", "dollar"}});
    const auto far = make_snippet(kApart, two, fake_stem, 120);
    EXPECT_NE(marked(far).find("[trade] [deficit]"), std::string::npos) << marked(far);
    const auto both = make_snippet(kApart, two, fake_stem, kApart.size() - 1);
    EXPECT_NE(marked(both).find("[strong] [dollar]"), std::string::npos) << marked(both);
    EXPECT_NE(marked(both).find("[trade] [deficit]"), std::string::npos) << marked(both);
}

}  // namespace
}  // namespace trawl::query
