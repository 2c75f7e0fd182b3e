// split_sentences / count_words: exact sentences for the cases news text
// throws at us (abbreviations, decimals, quotes, paragraphs, UTF-8), and the
// coverage invariant over random text.
#include "corpus/text/sentence_splitter.hpp"

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace trawl::corpus {
namespace {

using Strings = std::vector<std::string>;

Strings sentences(std::string_view text) {
    Strings out;
    for (const Span s : split_sentences(text)) out.emplace_back(text.substr(s.begin, s.end - s.begin));
    return out;
}

TEST(SplitSentences, EmptyAndBlankGiveNothing) {
    EXPECT_TRUE(split_sentences("").empty());
    EXPECT_TRUE(split_sentences("   \n\n\t  \r\n").empty());
}

TEST(SplitSentences, OneSentenceWithoutTerminator) {
    EXPECT_EQ(split_sentences("  no full stop here "), (std::vector<Span>{{2, 19}}));
}

TEST(SplitSentences, BasicTerminators) {
    EXPECT_EQ(sentences("Rates rose. Markets fell! Why? Nobody knows."),
              (Strings{"Rates rose.", "Markets fell!", "Why?", "Nobody knows."}));
}

TEST(SplitSentences, SpansAreByteOffsets) {
    EXPECT_EQ(split_sentences("Ab. Cd.  Ef."), (std::vector<Span>{{0, 3}, {4, 7}, {9, 12}}));
}

TEST(SplitSentences, LowerCaseAfterPeriodDoesNotSplit) {
    EXPECT_EQ(sentences("He bought an iPhone. iPhones sell. It works."),
              (Strings{"He bought an iPhone. iPhones sell.", "It works."}));
}

TEST(SplitSentences, DigitStartsSentence) {
    EXPECT_EQ(sentences("The vote was close. 52 members agreed."),
              (Strings{"The vote was close.", "52 members agreed."}));
}

TEST(SplitSentences, TitlesAndAbbreviations) {
    EXPECT_EQ(sentences("Mr. Smith met Dr. Jones and Prof. Lee at St. Paul's. They talked."),
              (Strings{"Mr. Smith met Dr. Jones and Prof. Lee at St. Paul's.", "They talked."}));
    EXPECT_EQ(sentences("Gen. Ortiz, Sen. Blake and Gov. Park spoke. Rep. Hall did not."),
              (Strings{"Gen. Ortiz, Sen. Blake and Gov. Park spoke.", "Rep. Hall did not."}));
    EXPECT_EQ(sentences("Acme Inc. Chief Ltd. Board and Foo Corp. Staff agreed. Done."),
              (Strings{"Acme Inc. Chief Ltd. Board and Foo Corp. Staff agreed.", "Done."}));
}

TEST(SplitSentences, DottedAbbreviations) {
    EXPECT_EQ(sentences("The U.S. Senate and the U.K. Parliament met the U.N. Council. Next."),
              (Strings{"The U.S. Senate and the U.K. Parliament met the U.N. Council.", "Next."}));
    EXPECT_EQ(sentences("Fruit, e.g. Apples, i.e. Red ones, etc. Are fine. Yes."),
              (Strings{"Fruit, e.g. Apples, i.e. Red ones, etc. Are fine.", "Yes."}));
    EXPECT_EQ(sentences("Real Madrid vs. Barcelona ended 2-2. Fans left."),
              (Strings{"Real Madrid vs. Barcelona ended 2-2.", "Fans left."}));
}

TEST(SplitSentences, MonthsAndInitials) {
    EXPECT_EQ(sentences("On Jan. 5 and Sept. 12 it rained. J. K. Rowling wrote. End."),
              (Strings{"On Jan. 5 and Sept. 12 it rained.", "J. K. Rowling wrote.", "End."}));
    EXPECT_EQ(sentences("The law passed in Dec. Critics were silent."),
              (Strings{"The law passed in Dec. Critics were silent."}));
}

TEST(SplitSentences, AbbreviationInsideBracketOrQuote) {
    EXPECT_EQ(sentences("They met (Dr. Who was there) at noon. \u201cMr. Ed\u201d left."),
              (Strings{"They met (Dr. Who was there) at noon.", "\u201cMr. Ed\u201d left."}));
}

TEST(SplitSentences, NumberSign) {
    EXPECT_EQ(sentences("He lives at No. 10 Downing Street. No. That is wrong."),
              (Strings{"He lives at No. 10 Downing Street.", "No.", "That is wrong."}));
}

TEST(SplitSentences, DecimalsAndThousands) {
    EXPECT_EQ(sentences("Growth was 3.5 per cent. Output hit 1.000 units and 2.5. Then it fell."),
              (Strings{"Growth was 3.5 per cent.", "Output hit 1.000 units and 2.5.", "Then it fell."}));
    EXPECT_EQ(sentences("Visit example.com. It is free."), (Strings{"Visit example.com.", "It is free."}));
}

TEST(SplitSentences, ClosingQuotesStayWithSentence) {
    EXPECT_EQ(sentences("He said \"We won.\" Then he left."), (Strings{"He said \"We won.\"", "Then he left."}));
    EXPECT_EQ(sentences("She said 'no.' Then 'yes!' Fine."), (Strings{"She said 'no.'", "Then 'yes!'", "Fine."}));
    EXPECT_EQ(sentences("(It rained.) [It snowed.] It cleared."),
              (Strings{"(It rained.)", "[It snowed.]", "It cleared."}));
}

TEST(SplitSentences, CurlyQuotes) {
    const std::string text =
        "He said: \u201cWe have nowhere to retreat.\u201d \u2018Stop!\u2019 said another. "
        "They said: \u201cWe must tell them; \u2018Stop!\u2019\u201d The end.";
    EXPECT_EQ(sentences(text),
              (Strings{"He said: \u201cWe have nowhere to retreat.\u201d", "\u2018Stop!\u2019 said another.",
                       "They said: \u201cWe must tell them; \u2018Stop!\u2019\u201d", "The end."}));
}

TEST(SplitSentences, QuoteThenLowerCaseContinues) {
    EXPECT_EQ(sentences("\u201cStop!\u201d he shouted. \"Why?\" she asked."),
              (Strings{"\u201cStop!\u201d he shouted.", "\"Why?\" she asked."}));
}

TEST(SplitSentences, OpeningQuoteStartsSentence) {
    EXPECT_EQ(sentences("It ended. \u201cGood,\u201d he said. \"Fine,\" she said. (Maybe.)"),
              (Strings{"It ended.", "\u201cGood,\u201d he said.", "\"Fine,\" she said.", "(Maybe.)"}));
}

TEST(SplitSentences, AccentedCapitalStartsSentence) {
    EXPECT_EQ(
        sentences("We met in Paris. \u00c9mile Zola was there. \u0160koda won. \u0141\u00f3d\u017a too."),
        (Strings{"We met in Paris.", "\u00c9mile Zola was there.", "\u0160koda won.", "\u0141\u00f3d\u017a too."}));
    // Accents inside words are just bytes of a word.
    EXPECT_EQ(sentences("The caf\u00e9 in S\u00e3o Paulo opened. \u00e9t\u00e9 is lower case."),
              (Strings{"The caf\u00e9 in S\u00e3o Paulo opened. \u00e9t\u00e9 is lower case."}));
}

TEST(SplitSentences, Ellipses) {
    EXPECT_EQ(sentences("We waited... and waited. It came\u2026 Then it left. Blocked (\u2026) but fine."),
              (Strings{"We waited... and waited.", "It came\u2026", "Then it left.", "Blocked (\u2026) but fine."}));
    EXPECT_EQ(sentences("Really?! Yes... Sure."), (Strings{"Really?!", "Yes...", "Sure."}));
}

TEST(SplitSentences, ParagraphBreakAlwaysEnds) {
    EXPECT_EQ(sentences("A title without stop\n\nfirst para, lower case\n\nMr.\n\nSmith"),
              (Strings{"A title without stop", "first para, lower case", "Mr.", "Smith"}));
    EXPECT_EQ(sentences("One.\r\n\r\nTwo\n \nThree"), (Strings{"One.", "Two", "Three"}));
}

TEST(SplitSentences, SingleNewlineIsSpace) {
    EXPECT_EQ(sentences("A line that\nwraps here. And\nthis one."),
              (Strings{"A line that\nwraps here.", "And\nthis one."}));
}

TEST(SplitSentences, TerminatorAtEndAndTrailingSpace) {
    EXPECT_EQ(split_sentences("Hi there.  \n"), (std::vector<Span>{{0, 9}}));
    EXPECT_EQ(sentences("..."), (Strings{"..."}));
    EXPECT_EQ(sentences(". A"), (Strings{".", "A"}));
}

TEST(SplitSentences, SeedArticleBoilerplateIsTwoSentences) {
    EXPECT_EQ(sentences("last words.\n\n\nPlease enter your comment!\nPlease enter your name here"),
              (Strings{"last words.", "Please enter your comment!", "Please enter your name here"}));
}

TEST(CountWords, RunsOfNonSpace) {
    EXPECT_EQ(count_words(""), 0u);
    EXPECT_EQ(count_words("  \n\t "), 0u);
    EXPECT_EQ(count_words("one"), 1u);
    EXPECT_EQ(count_words("  one two\nthree\t\tfour  "), 4u);
    EXPECT_EQ(count_words("caf\u00e9 \u201cquoted\u201d \u2014 3.5"), 4u);
}

// Property: over random text, every non-space byte is in exactly one span, spans
// increase, start/end on non-space, and no span crosses a paragraph break.
TEST(SplitSentences, PropertyCoversEveryByteOnce) {
    std::mt19937 rng(20240601);
    const std::vector<std::string> pieces = {"word", "Word",   "Mr.", "U.S.",          "3.5",    ".",    "!",  "?",
                                             "...",  "\u2026", "\"",  "\u201c",        "\u201d", "'",    ")",  "(",
                                             "e.g.", "J.",     ",",   "\u00c9t\u00e9", "\n",     "\n\n", "  ", "Dec.",
                                             "x"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const int len = static_cast<int>(rng() % 80);
        for (int k = 0; k < len; ++k) {
            text += pieces[rng() % pieces.size()];
            if (rng() % 3 != 0) text += ' ';
        }
        const std::vector<Span> spans = split_sentences(text);
        std::vector<int> covered(text.size(), 0);
        std::uint32_t prev_end = 0;
        for (const Span s : spans) {
            ASSERT_LT(s.begin, s.end) << text;
            ASSERT_GE(s.begin, prev_end) << text;
            ASSERT_NE(text[s.begin], ' ');
            ASSERT_NE(text[s.end - 1], ' ');
            ASSERT_NE(text[s.end - 1], '\n');
            ASSERT_EQ(std::string_view(text).substr(s.begin, s.end - s.begin).find("\n\n"), std::string_view::npos)
                << text;
            for (std::uint32_t b = s.begin; b < s.end; ++b) ++covered[b];
            prev_end = s.end;
        }
        for (std::size_t b = 0; b < text.size(); ++b) {
            const bool space = text[b] == ' ' || text[b] == '\n';
            if (space) {
                ASSERT_LE(covered[b], 1);
            } else {
                ASSERT_EQ(covered[b], 1) << "byte " << b << " of: " << text;
            }
        }
    }
}

}  // namespace
}  // namespace trawl::corpus
