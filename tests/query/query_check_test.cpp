#include "query/query_check.hpp"

#include <string>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"

namespace trawl::query {
namespace {

// The column and message check_query_syntax reports, or "ok".
std::string check(std::string_view q, bool match_all = false) {
    try {
        check_query_syntax(q, match_all);
        return "ok";
    } catch (const QuerySyntaxError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("query error at column " + std::to_string(e.pos) + ": ", 0), 0u);
        return std::to_string(e.pos) + ": " + std::string(e.what()).substr(std::string(e.what()).find(": ") + 2);
    }
}

TEST(QueryCheck, GoodQueriesPass) {
    for (const char* q : {"cocoa",
                          "cocoa sugar prices",
                          "\"a phrase\"",
                          "cocoa NEAR/5 sugar",
                          "cocoa ADJ/3 sugar",
                          "cocoa NEAR sugar",
                          "a ADJ b",
                          "title:cocoa",
                          "title:\"bahia cocoa\"",
                          "+a -b",
                          "run*",
                          "(a OR b) AND c",
                          "\"AND inside quotes\"",
                          "\"NEAR/0 (\"",
                          "a AND NOT b",
                          "a NOT b",
                          "a XOR b",
                          "a OR b OR c",
                          "and or not",
                          "near/0 adj/x",
                          "Near/5",
                          "ANDROID ORACLE",
                          "+ a",
                          "a - b",
                          "a -",
                          "",
                          "   ",
                          "\ttab\tseparated",
                          "((a))",
                          "a (b c) d",
                          "10:30",
                          "AND/3",
                          "a NEAR/1000 b",
                          "a NEAR/1 b",
                          "a NEAR/0005 b",
                          "title:(a b)",
                          "naïve café",
                          "“smart quotes”",
                          "(a AND \"x)\")",
                          "x:y:z",
                          "C++ and C#",
                          "don't",
                          "a\"b\""}) {
        EXPECT_EQ(check(q), "ok") << q;
    }
}

TEST(QueryCheck, UnbalancedQuote) {
    EXPECT_EQ(check("cocoa \"sugar"), "7: unbalanced double quote");
    EXPECT_EQ(check("\"a\" \"b\" \"c"), "9: unbalanced double quote");
    EXPECT_EQ(check("“open"), "1: unbalanced double quote");
}

// Xapian read a wildcard inside a phrase as a word of the phrase ("pri"):
// the query matched nothing and said nothing.
TEST(QueryCheck, AWildcardInsideAPhraseIsAnError) {
    EXPECT_EQ(check("\"oil pri*\""), "9: a wildcard inside a phrase finds nothing: a phrase takes whole words");
    EXPECT_EQ(check("crude \"oil* prices\""),
              "11: a wildcard inside a phrase finds nothing: a phrase takes whole words");
    EXPECT_EQ(check("\"oil prices\" pri*"), "ok");
    EXPECT_EQ(check("\"oil * prices\""), "ok") << "a lone '*' is no word's wildcard";
}

TEST(QueryCheck, SpaceBracketsSeparatesBracketsFromTheWordsTheyTouch) {
    EXPECT_EQ(space_brackets("oil AND(gas OR coal)"), "oil AND (gas OR coal)");
    EXPECT_EQ(space_brackets("opec(quota)x"), "opec (quota) x");
    EXPECT_EQ(space_brackets("((a))(b)"), "((a)) (b)");
    EXPECT_EQ(space_brackets("oil -(gas) +(coal) title:(x y)"), "oil -(gas) +(coal) title:(x y)");
    EXPECT_EQ(space_brackets("\"oil(gas)\" a(b)"), "\"oil(gas)\" a (b)") << "a phrase as typed";
    EXPECT_EQ(space_brackets("“oil(gas)” a(b"), "“oil(gas)” a (b");
    EXPECT_EQ(space_brackets("\"open(quote"), "\"open(quote");
    EXPECT_EQ(space_brackets(""), "");
}

// "crude-oil" is a phrase to Xapian's parser: beside NEAR/ADJ it made the
// operator words ("near 3") and searched the phrase alone.
TEST(QueryCheck, AWordThatIsAPhraseToTheParserIsNoOperandOfNearOrAdj) {
    const std::string hint = " (not a phrase, group, wildcard or +/- word)";
    EXPECT_EQ(check("crude-oil NEAR/3 opec"), "11: NEAR needs a single word on its left" + hint);
    EXPECT_EQ(check("opec ADJ/2 crude-oil"), "6: ADJ needs a single word on its right" + hint);
    EXPECT_EQ(check("U.S. NEAR/3 trade"), "ok") << "initials are one word";
    EXPECT_EQ(check("AT&T NEAR/3 merger"), "ok");
    EXPECT_EQ(check("crude-oil opec"), "ok") << "a phrase beside a word, no NEAR";
}

TEST(QueryCheck, UnbalancedParentheses) {
    EXPECT_EQ(check("a OR b)"), "7: unbalanced parenthesis: ')' has no matching '('");
    EXPECT_EQ(check("(a OR b"), "1: unbalanced parenthesis: '(' is never closed");
    EXPECT_EQ(check("x (a (b) c"), "3: unbalanced parenthesis: '(' is never closed");
    EXPECT_EQ(check("(a))(b"), "4: unbalanced parenthesis: ')' has no matching '('");
}

TEST(QueryCheck, OperatorWithoutLeftOperand) {
    EXPECT_EQ(check("AND cocoa"), "1: AND needs a term on its left");
    EXPECT_EQ(check("OR b"), "1: OR needs a term on its left");
    EXPECT_EQ(check("NOT b"), "1: NOT needs a term on its left");
    EXPECT_EQ(check("  XOR b"), "3: XOR needs a term on its left");
    EXPECT_EQ(check("NEAR/3 b"), "1: NEAR needs a term on its left");
    EXPECT_EQ(check("(ADJ b)"), "2: ADJ needs a term on its left");
    EXPECT_EQ(check("a AND OR b"), "7: OR needs a term on its left");
    EXPECT_EQ(check("a OR NOT b"), "6: NOT needs a term on its left");
}

TEST(QueryCheck, OperatorWithoutRightOperand) {
    EXPECT_EQ(check("cocoa AND"), "7: AND needs a term on its right");
    EXPECT_EQ(check("a NEAR/2"), "3: NEAR needs a term on its right");
    EXPECT_EQ(check("(a OR) b"), "4: OR needs a term on its right");
    EXPECT_EQ(check("a AND NOT"), "7: NOT needs a term on its right");
    EXPECT_EQ(check("a AND +"), "3: AND needs a term on its right");
}

TEST(QueryCheck, NearAdjDistance) {
    EXPECT_EQ(check("abc NEAR/0 d"), "5: NEAR distance must be a number from 1 to 1000");
    EXPECT_EQ(check("a ADJ/1001 b"), "3: ADJ distance must be a number from 1 to 1000");
    EXPECT_EQ(check("a NEAR/ b"), "3: NEAR distance must be a number from 1 to 1000");
    EXPECT_EQ(check("a NEAR/x b"), "3: NEAR distance must be a number from 1 to 1000");
    EXPECT_EQ(check("a NEAR/-3 b"), "3: NEAR distance must be a number from 1 to 1000");
    EXPECT_EQ(check("a NEAR/99999999999999999999 b"), "3: NEAR distance must be a number from 1 to 1000");
}

TEST(QueryCheck, FieldPrefixWithoutTerm) {
    EXPECT_EQ(check("title: cocoa"), "1: field prefix title: needs a term right after it (no space)");
    EXPECT_EQ(check("cocoa title:"), "7: field prefix title: needs a term right after it (no space)");
    EXPECT_EQ(check("(title:)"), "2: field prefix title: needs a term right after it (no space)");
    EXPECT_EQ(check("+title: a"), "1: field prefix +title: needs a term right after it (no space)");
}

// What every date: error ends with.
constexpr std::string_view kForm =
    "want date:FROM..TO, each end a day as YYYY-MM-DD or YYYYMMDD, either one left out, e.g. "
    "date:1987-03-01..1987-03-31 or date:1987-03-01..";

TEST(QueryCheck, SourceAndDateFilters) {
    for (const char* q : {"oil source:reuters", "oil source:\"BBC News\"", "oil date:2021-12-01..2022-01-31",
                          "oil date:20211201..", "oil date:..2022-01-31", "(oil date:2021-12-01..) OR gas",
                          "oil -date:..19991231", "oil date:2021-12-01..2021-12-01"})
        EXPECT_EQ(check(q), "ok") << q;
    EXPECT_EQ(check("oil source: reuters"), "5: field prefix source: needs a term right after it (no space)");
    // A group or a wildcard after source: was taken as a name ("(a", "reut*")
    // and matched nothing without a word (a red-team review).
    EXPECT_EQ(check("zebra source:(a OR b)"),
              "7: source: takes one name, not a group; for any of several give each: source:a source:b, or "
              "(source:a OR source:b)");
    EXPECT_EQ(check("oil -source:(a b)").substr(0, 41), "5: source: takes one name, not a group; f");
    EXPECT_EQ(check("oil source:reut*"),
              "5: source: takes a whole name, not a wildcard (sources are listed by --facets source)");
    EXPECT_EQ(check("oil (source:a OR source:b) source:\"Two *\""), "ok") << "a * inside quotes is a name's";
    // -words alone as a group, or beside OR, XOR, NOT: Xapian refused some
    // without a column and read others as nonsense ("oil (-gas)": nothing
    // found; a review).
    EXPECT_EQ(check("oil (-gas)"),
              "6: a group of -words only leaves passages out of nothing; put them beside the words, as in oil -gas");
    EXPECT_EQ(check("oil (-source:business)").substr(0, 35), "6: a group of -words only leaves pa");
    EXPECT_EQ(check("-oil OR gas"),
              "1: -words alone cannot be an operand of OR; put them beside the words (oil -gas) or use NOT");
    EXPECT_EQ(check("oil OR -gas"),
              "8: a -word cannot start the right of OR; put it after a word (oil OR gas -coal) or use NOT");
    EXPECT_EQ(check("oil OR -coal gas").substr(0, 40), "8: a -word cannot start the right of OR;");
    EXPECT_EQ(check("oil NOT -gas").substr(0, 40), "9: a -word cannot start the right of NOT");
    EXPECT_EQ(check("oil AND NOT -gas").substr(0, 45), "13: a -word cannot start the right of AND NOT");
    EXPECT_EQ(check("oil XOR (-gas -coal)").substr(0, 28), "10: a group of -words only l");
    for (const char* q :
         {"oil AND -gas", "gas -oil OR coal", "-oil gas OR coal", "(oil -gas) OR coal", "oil OR gas -coal",
          "oil (-date:2004-01-01..)", "oil -(gas coal)", "oil XOR +gas", "oil OR (gas -coal)", "+oil (source:business)",
          // AND binds tighter: the operand of OR is "oil AND -gas" (a review).
          "oil AND -gas OR coal", "oil AND -gas XOR coal", "oil -gas AND -coal OR tar",
          "(oil OR gas) AND -coal OR tar"})
        EXPECT_EQ(check(q), "ok") << q;
    // Each names its column and says what a range looks like.
    const std::string form = "; " + std::string(kForm);
    EXPECT_EQ(check("oil date:2021-12-01"), "5: date: needs a range" + form);
    EXPECT_EQ(check("oil date:.."), "5: date: range needs a start or an end" + form);
    EXPECT_EQ(check("oil date:2021-13-01..2022-01-31"),
              "10: bad date '2021-13-01' in date:2021-13-01..2022-01-31 (there is no month 13)" + form);
    EXPECT_EQ(check("oil date:2021-12-01..2022-02-30"),
              "22: bad date '2022-02-30' in date:2021-12-01..2022-02-30 (2022-02 has no day 30)" + form);
    EXPECT_EQ(check("oil +date:..yesterday"), "13: bad date 'yesterday' in date:..yesterday (not a day)" + form);
    EXPECT_EQ(
        check("oil date:2022-01-31..2021-12-01"),
        "5: date range date:2022-01-31..2021-12-01 ends before it starts (2022-01-31 is after 2021-12-01)" + form);
    EXPECT_EQ(check("date:1..5"), "6: bad date '1' in date:1..5 (not a day)" + form);
    EXPECT_EQ(check("(oil date:2020-13-01..2020-12-31)"),
              "11: bad date '2020-13-01' in date:2020-13-01..2020-12-31 (there is no month 13)" + form);
    EXPECT_EQ(check("oil date:09991231.."), "10: bad date '09991231' in date:09991231.. (a year before 1000)" + form);
    EXPECT_EQ(check("oil NEAR date:2021-12-01.."),
              std::string("5: NEAR needs a single word on its right") + " (not a phrase, group, wildcard or +/- word)");
}

// "title:*" searched the word "title" in the text (38 Reuters passages).
TEST(QueryCheck, AFieldPrefixNeedsAWordBeforeAWildcard) {
    EXPECT_EQ(check("oil title:*"), "5: field prefix title: needs a word before the wildcard's '*' (title:oil*)");
    EXPECT_EQ(check("-title:*"), "1: field prefix -title: needs a word before the wildcard's '*' (title:oil*)");
    EXPECT_EQ(check("title:oil*"), "ok");
}

TEST(QueryCheck, UnknownFieldNamesAreOrdinaryWords) {
    // Headlines are full of "word:" ("Moscow: talks", "boil over: 'We...'"); only title: is a field.
    EXPECT_EQ(check("Moscow: talks resume"), "ok");
    EXPECT_EQ(check("\"fears boil over: 'We have nowhere'\""), "ok");
    EXPECT_EQ(check("over:"), "ok");
}

TEST(QueryCheck, NearAndAdjTakeSingleWords) {
    // Xapian would silently read these NEAR/ADJ as plain words.
    const std::string hint = " (not a phrase, group, wildcard or +/- word)";
    EXPECT_EQ(check("a NEAR (b OR c)"), "3: NEAR needs a single word on its right" + hint);
    EXPECT_EQ(check("a NEAR/5 \"b c\""), "3: NEAR needs a single word on its right" + hint);
    EXPECT_EQ(check("a ADJ b*"), "3: ADJ needs a single word on its right" + hint);
    EXPECT_EQ(check("a NEAR +b"), "3: NEAR needs a single word on its right" + hint);
    EXPECT_EQ(check("a NEAR -b"), "3: NEAR needs a single word on its right" + hint);
    EXPECT_EQ(check("(a OR b) NEAR c"), "10: NEAR needs a single word on its left" + hint);
    EXPECT_EQ(check("\"a b\" ADJ/2 c"), "7: ADJ needs a single word on its left" + hint);
    EXPECT_EQ(check("x* NEAR c"), "4: NEAR needs a single word on its left" + hint);
    EXPECT_EQ(check("a NEAR b ADJ c"), "10: NEAR and ADJ cannot be mixed in one chain; use parentheses");
    EXPECT_EQ(check("x y NEAR z"), "5: NEAR cannot follow a word without an operator; use AND/OR or parentheses");
    EXPECT_EQ(check("a NEAR b c"),
              "3: NEAR cannot be followed by a word without an operator; use AND/OR or parentheses");
    EXPECT_EQ(check("a NEAR b NEAR/3 c d"),
              "10: NEAR cannot be followed by a word without an operator; use AND/OR or parentheses");
    for (const char* q :
         {"a NEAR b NEAR c", "a ADJ b ADJ/2 c", "+a NEAR b", "title:a ADJ title:b", "(a NEAR b) c", "c (a NEAR b)",
          "a NEAR b AND c d", "c d AND a NEAR b", "a NEAR b OR c NEAR d", "a NEAR b -c", "-c a NEAR b",
          "\"x y\" a NEAR b", "a NEAR b \"x y\"", "a NEAR b's", "a NEAR b AND NOT c", "(a NEAR b) AND (c ADJ d)"}) {
        EXPECT_EQ(check(q), "ok") << q;
    }
}

// title: on one word of a NEAR/ADJ chain compared a headline word's position
// with a text word's: "title:oil ADJ/1 gas" missed "Oil gas deal" and
// matched a headline with gas before oil. Now an error naming the operator.
TEST(QueryCheck, ANearOrAdjChainIsInOneField) {
    const std::string why =
        " compares positions within one field, and title: is on one of its words only; put title: before the whole "
        "chain in brackets: title:(oil ";
    EXPECT_EQ(check("title:oil ADJ/1 gas"), "11: ADJ" + why + "ADJ gas)");
    EXPECT_EQ(check("oil NEAR title:gas"), "5: NEAR" + why + "NEAR gas)");
    EXPECT_EQ(check("title:a NEAR title:b NEAR/3 c"), "22: NEAR" + why + "NEAR gas)");
    EXPECT_EQ(check("+title:a NEAR b"), "10: NEAR" + why + "NEAR gas)");
    for (const char* q : {"title:a ADJ title:b", "title:(a ADJ/2 b)", "title:a NEAR/3 title:b NEAR title:c",
                          "title:x AND a NEAR b", "a NEAR b AND title:x", "title:x (a ADJ b)"})
        EXPECT_EQ(check(q), "ok") << q;
}

// Xapian drops "()" and "": a query of them alone searched for nothing (exit
// 1, no error), and beside words for less than was typed.
TEST(QueryCheck, EmptyGroupsAndPhrasesAreErrors) {
    EXPECT_EQ(check("()"), "1: empty parentheses: put a term between them");
    EXPECT_EQ(check("oil ( )"), "5: empty parentheses: put a term between them");
    EXPECT_EQ(check("(oil ())"), "6: empty parentheses: put a term between them");
    EXPECT_EQ(check("(oil OR ())"), "6: OR needs a term on its right");
    EXPECT_EQ(check("a AND ()"), "3: AND needs a term on its right");
    EXPECT_EQ(check("() OR a"), "1: empty parentheses: put a term between them");
    EXPECT_EQ(check("\"\""), "1: empty phrase: put words between the double quotes");
    EXPECT_EQ(check("oil \"  \""), "5: empty phrase: put words between the double quotes");
    EXPECT_EQ(check("title:\"\""), "7: empty phrase: put words between the double quotes");
    EXPECT_EQ(check("\"...\""), "1: empty phrase: put words between the double quotes");
    EXPECT_EQ(check("\"U.S.\" (oil)"), "ok");
}

// A lone '+' or '-' between words is a dash Xapian ignores ("oil - gas");
// a query of nothing else is an error at the sign.
TEST(QueryCheck, LoneSignsAloneAreErrors) {
    EXPECT_EQ(check("+"), "1: '+' needs a term right after it (no space), as in +opec or -iran");
    EXPECT_EQ(check(" - "), "2: '-' needs a term right after it (no space), as in +opec or -iran");
    EXPECT_EQ(check("+ -"), "1: '+' needs a term right after it (no space), as in +opec or -iran");
    for (const char* q : {"oil - gas", "oil +", "- oil", "+oil", "-oil opec"}) EXPECT_EQ(check(q), "ok") << q;
}

// "+date:" and "-date:" are checked as date: is, the column at the range.
// Xapian parses a query without a word to nothing: it matched nothing
// without saying why.
TEST(QueryCheck, QueriesWithoutAWordAreErrors) {
    const auto has_words = [](std::string_view q) -> std::string {
        try {
            check_has_words(q);
            return "ok";
        } catch (const QuerySyntaxError& e) {
            const std::string what = e.what();
            return std::to_string(e.pos) + ": " + what.substr(what.find(": ") + 2);
        }
    };
    EXPECT_EQ(has_words(""), "1: empty query: give a word to search for");
    EXPECT_EQ(has_words(" \t"), "1: empty query: give a word to search for");
    EXPECT_EQ(has_words("?"), "1: nothing to search for in '?': no word, only punctuation or symbols");
    EXPECT_EQ(has_words("  !! "), "3: nothing to search for in '!!': no word, only punctuation or symbols");
    EXPECT_EQ(has_words("«…»"), "1: nothing to search for in '«…»': no word, only punctuation or symbols");
    EXPECT_EQ(has_words("? 7"), "ok");
    EXPECT_EQ(has_words("über"), "ok");
    EXPECT_EQ(has_words("-oil"), "ok");  // a word, which the searcher then finds excludes only
}

// Xapian parsed "-oil" as the stem term alone, which an index of stems as
// synonyms posts nowhere: 0 passages, without saying why.
TEST(QueryCheck, QueriesOfMinusWordsOnlyAreErrors) {
    const std::string why =
        "nothing to search for: -words only leave passages out; add a word to find, as in opec -iran";
    EXPECT_EQ(check("-oil"), "1: " + why);
    EXPECT_EQ(check("-oil -gas"), "1: " + why);
    EXPECT_EQ(check(" (-oil)"), "3: " + why);
    EXPECT_EQ(check("-title:oil"), "1: " + why);
    EXPECT_EQ(check("oil -gas"), "ok");
    EXPECT_EQ(check("-oil source:reuters"), "ok");
    EXPECT_EQ(check("-date:2020-01-01.."), "ok");  // the passages outside the range
    EXPECT_EQ(check("-oil \"gas prices\""), "ok");
}

// Xapian reads "--gas" as the word gas, to find (a review).
TEST(QueryCheck, TwoSignsBeforeAWordAreAnError) {
    EXPECT_EQ(check("oil --gas"), "5: one sign before a word: -gas (Xapian reads two as none and searches the word)");
    EXPECT_EQ(check("++oil").substr(0, 30), "1: one sign before a word: +oi");
    EXPECT_EQ(check("oil -+gas").substr(0, 33), "5: one sign before a word: +gas (");
    for (const char* q : {"oil -- gas", "oil - -gas", "c++ -java", "oil -gas-coal"}) EXPECT_EQ(check(q), "ok") << q;
}

// A sign straight before a phrase, a group or a field's quoted value is
// theirs: "-\"oil price\"" alone was searched as the words oil OR price, and
// "-(oil price)" matched nothing (a review).
TEST(QueryCheck, SignedPhrasesAndGroups) {
    const std::string why =
        "nothing to search for: -words only leave passages out; add a word to find, as in opec -iran";
    EXPECT_EQ(check("-\"oil price\""), "1: " + why);
    EXPECT_EQ(check(" -“oil price”"), "2: " + why);
    EXPECT_EQ(check("-(oil price)"), "1: " + why);
    EXPECT_EQ(check("-title:\"oil price\""), "1: " + why);
    EXPECT_EQ(check("-title:(oil price) -gas"), "1: " + why);
    EXPECT_EQ(check("crude OR -\"oil price\"").substr(0, 42), "10: a -word cannot start the right of OR; ");
    EXPECT_EQ(check("(-\"oil price\") crude").substr(0, 30), "2: a group of -words only leav");
    for (const char* q : {"crude -\"oil price\"", "-\"oil price\" crude", "crude -(oil price)", "+\"oil price\"",
                          "+(oil price) -gas", "crude -title:\"oil price\"", "- \"oil price\"", "title:\"oil\" -gas"})
        EXPECT_EQ(check(q), "ok") << q;
}

// Xapian reads "X AND -a b" as X AND NOT (a OR b), and refused "-gas AND
// oil" without a column, then searched gas OR oil (a review).
TEST(QueryCheck, MinusWordsBesideAnd) {
    const std::string left =
        "-words alone cannot be the left of AND; put them beside the words (oil -gas AND coal) or use AND NOT";
    EXPECT_EQ(check("-gas AND oil"), "1: " + left);
    EXPECT_EQ(check("-gas -coal AND oil"), "1: " + left);
    EXPECT_EQ(check("oil OR (-gas AND coal)"), "9: " + left);
    const std::string all =
        "AND before a -word leaves out all that follows it up to the next operator; put the -words after the "
        "words (oil AND coal -gas), or use AND NOT for one";
    EXPECT_EQ(check("oil AND -gas -coal"), "5: " + all);
    EXPECT_EQ(check("oil AND -gas coal"), "5: " + all);
    EXPECT_EQ(check("oil AND -gas \"crude price\""), "5: " + all);
    EXPECT_EQ(check("oil AND -gas (coal)"), "5: " + all);
    EXPECT_EQ(check("tar OR oil AND -gas +coal"), "12: " + all);
    // After "AND -" Xapian leaves a stop word out too ("oil AND -the gas" is
    // oil AND NOT gas), and refused "oil AND -the who" without a column.
    EXPECT_EQ(check("oil AND -the who"), "5: " + all);
    EXPECT_EQ(check("oil AND -the the"), "5: " + all);
    EXPECT_EQ(check("(oil AND -title:the who)"), "6: " + all);
    for (const char* q : {"oil AND -gas", "oil AND -gas AND coal", "-gas oil AND coal", "oil -gas AND coal",
                          "oil AND coal -gas", "oil -gas AND -coal", "oil AND -gas OR coal", "oil AND -\"natural gas\"",
                          "oil AND -(gas coal)", "(oil AND -gas) coal", "oil AND -date:2020-01-01.. coal",
                          "oil AND -the", "oil AND -the AND gas", "oil AND -gas the"})
        EXPECT_EQ(check(q), "ok") << q;
}

// Xapian leaves out all the operands after NOT or AND NOT up to the next
// operator: "oil NOT gas coal" is oil AND NOT (gas OR coal), "oil NOT gas
// -coal" oil AND NOT (gas AND NOT coal), and "oil NOT gas +coal" oil AND NOT
// coal (a differential fuzz against Xapian's parser).
TEST(QueryCheck, NotLeavesOutAllThatFollows) {
    const std::string all =
        "NOT leaves out all that follows it up to the next operator; put the words to find before it (oil coal NOT "
        "gas), or brackets round all it leaves out (oil NOT (gas coal)); in lower case, not is a word";
    EXPECT_EQ(check("oil NOT gas coal"), "5: " + all);
    EXPECT_EQ(check("oil NOT gas -coal"), "5: " + all);
    EXPECT_EQ(check("oil NOT gas +coal"), "5: " + all);
    EXPECT_EQ(check("oil NOT +gas coal"), "5: " + all) << "coal only ranks what is left out";
    EXPECT_EQ(check("oil NOT gas \"coal price\""), "5: " + all);
    EXPECT_EQ(check("oil NOT gas (coal)"), "5: " + all);
    EXPECT_EQ(check("oil NOT gas source:reuters"), "5: " + all) << "Xapian: oil AND NOT (gas FILTER reuters)";
    EXPECT_EQ(check("oil NOT gas -the"), "5: " + all) << "a -word is no stop word Xapian leaves out";
    EXPECT_EQ(check("tar OR (oil NOT gas coal)"), "13: " + all);
    EXPECT_EQ(
        check("oil AND NOT gas coal"),
        "5: AND NOT leaves out all that follows it up to the next operator; put the words to find before it "
        "(oil coal AND NOT gas), or brackets round all it leaves out (oil AND NOT (gas coal)); in lower case, and not "
        "are words");
    EXPECT_EQ(check("tar OR oil AND NOT gas -coal").substr(0, 39), "12: AND NOT leaves out all that follows");
    // One operand after NOT, or more in brackets, or a chain; the words to
    // find before NOT, or after the next operator; a stop word Xapian leaves
    // out ("NOT the gas" is NOT gas), or stop words alone, which it keeps.
    for (const char* q : {"oil NOT gas", "oil coal NOT gas", "oil NOT (gas coal)", "oil NOT \"gas price\"",
                          "oil NOT gas OR coal", "oil NOT gas AND coal", "oil AND NOT gas AND coal",
                          "(oil NOT gas) coal", "oil NOT gas NOT coal", "oil NOT gas NEAR coal", "oil NOT +gas",
                          "oil NOT the gas", "oil NOT gas the", "oil NOT the who", "oil -gas NOT coal"})
        EXPECT_EQ(check(q), "ok") << q;
    // Sources after NOT: Xapian ORs the names of one field, oil AND NOT
    // (reuters OR bbc), as meant (refused before).
    for (const char* q : {"oil NOT source:reuters source:bbc", "oil NOT source:reuters source:\"BBC News\"",
                          "oil AND NOT source:a source:b source:c", "oil NOT source:a source:b OR gas"})
        EXPECT_EQ(check(q), "ok") << q;
    EXPECT_EQ(check("oil NOT source:reuters gas"), "5: " + all) << "Xapian: oil AND NOT (gas FILTER reuters)";
    EXPECT_EQ(check("oil NOT source:a source:b gas"), "5: " + all);
    EXPECT_EQ(check("oil NOT source:a date:1987-01-01..1987-02-01"), "5: " + all) << "another field: ANDed";
}

// An upper-case headline pasted as a query reads NOT as the operator; the
// message says how to search the word.
TEST(QueryCheck, APastedHeadlineIsToldNotInLowerCaseIsAWord) {
    const std::string got = check("FROST NOT EXPECTED TO DAMAGE POLAND'S WHEAT");
    EXPECT_EQ(got.substr(0, 7), "7: NOT ") << got;
    EXPECT_NE(got.find("in lower case, not is a word"), std::string::npos) << got;
    EXPECT_EQ(check("frost not expected to damage poland's wheat"), "ok");
}

// Xapian makes a bracketed group beside other words one optional operand:
// "gas (+coal)" is gas OR coal, "gas (+coal tar)" gas OR (coal AND_MAYBE
// tar), "+oil (+coal)" oil AND_MAYBE coal; the + requires nothing (a
// differential fuzz against Xapian's parser).
TEST(QueryCheck, PlusWordsInBracketsBesideOtherWords) {
    const std::string why =
        "+words in brackets beside other words are not required, as the brackets are one optional operand; put them "
        "outside the brackets (gas +coal tar)";
    EXPECT_EQ(check("gas (+coal)"), "6: " + why);
    EXPECT_EQ(check("gas (tar +coal)"), "10: " + why);
    EXPECT_EQ(check("(+coal tar) gas"), "2: " + why);
    EXPECT_EQ(check("+oil (+coal)"), "7: " + why);
    EXPECT_EQ(check("(+coal) (+tar)"), "2: " + why);
    EXPECT_EQ(check("gas (+\"coal price\")"), "6: " + why);
    EXPECT_EQ(check("gas (+title:coal)"), "6: " + why);
    EXPECT_EQ(check("gas (+coal AND tar)"), "6: " + why);
    EXPECT_EQ(check("oil AND gas (+coal)"), "14: " + why);
    EXPECT_EQ(check("gas ((+coal) -tar)"), "7: " + why);
    EXPECT_EQ(check("gas ((+coal))"), "7: " + why);
    // Required where the group is: alone, beside -words or filters only,
    // after AND, signed; an OR in it or NOT before the +word, which leave
    // no word of it required.
    for (const char* q :
         {"(+coal tar)", "(+coal tar) -gas", "oil AND (+coal tar)", "gas +(+coal tar)", "oil -(+coal tar)",
          "(+coal tar) OR gas", "oil NOT (+gas coal)", "gas +coal (tar)", "(+coal tar) source:reuters",
          "(+coal tar) source:\"BBC News\"", "(+coal tar) (source:a OR source:b)", "(+coal tar) date:2020-01-01..",
          "(+coal) the", "gas (+source:reuters)", "gas (+coal OR tar)", "gas (oil NOT +coal)"})
        EXPECT_EQ(check(q), "ok") << q;
}

// With --all the words are joined by AND: Xapian reads "gas (+coal tar)" as
// gas AND (coal AND tar), coal required as asked (a review: it was refused).
TEST(QueryCheck, PlusWordsInBracketsAreRequiredWithAll) {
    for (const char* q : {"gas (+coal tar)", "oil (+crude price)", "gas (+coal)", "(+coal tar) gas"})
        EXPECT_EQ(check(q, true), "ok") << q;
    EXPECT_EQ(check("gas (+coal tar)").substr(0, 3), "6: ");
    EXPECT_EQ(check("oil NOT gas coal", true).substr(0, 7), "5: NOT ") << "AND NOT (gas AND coal) still";
}

// Xapian groups a plain word with the words after it and leaves out every
// stop word of a group that has another word: "coffee NOT brazil in the" is
// coffee AND NOT brazil, and the run "in the" is no operand after NOT (a
// review: refused as "NOT leaves out all that follows"). A run of stop words
// that no word leads is kept: "oil -gas the who", "oil NOT gas - the who".
TEST(QueryCheck, StopWordsAfterAWordAreLeftOutHoweverMany) {
    for (const char* q : {"coffee NOT brazil in the", "oil NOT gas of the", "oil AND NOT gas of the",
                          "oil NOT (gas the who)", "oil NOT title:gas the who", "the who -gas", "oil -gas the who"})
        EXPECT_EQ(check(q), "ok") << q;
    // Stop words before the word of their group too: "oil NOT the who gas"
    // is oil AND NOT gas (refused before as "NOT leaves out all that follows").
    for (const char* q : {"oil NOT the who gas", "oil AND NOT the who gas", "oil NOT (the who gas coal)",
                          "oil NOT the who gas the", "the who gas"})
        EXPECT_EQ(check(q), "ok") << q;
    for (const char* q : {"oil NOT the who gas coal", "oil NOT the who -gas coal", "oil NOT the who gas \"a b\""})
        EXPECT_EQ(check(q).substr(0, 7), "5: NOT ") << q;
    // A run of any length is one operand, left out before a word of its
    // group: a title: word or a wildcard too, a dotted acronym (one word),
    // but not a word Xapian makes a phrase ("e-mail", "U.S.-Japan": a
    // review found those accepted, where Xapian keeps the run and leaves
    // out the passages holding "in" or "the").
    for (const char* q :
         {"oil NOT the who a gas", "oil NOT the who the who gas", "oil NOT the who a", "oil NOT the who gas*",
          "oil NOT the who title:gas", "oil NOT the who U.S.", "oil NOT U.S. the who"})
        EXPECT_EQ(check(q), "ok") << q;
    for (const char* q : {"trade NOT in the U.S.-Japan", "oil NOT in the year-end", "oil NOT e-mail the who",
                          "oil NOT the who title:year-end", "oil NOT gas* the who", "oil NOT the who a gas coal"})
        EXPECT_NE(check(q), "ok") << q;
    for (const char* q : {"oil NOT gas the who coal", "oil NOT gas - the who", "oil NOT gas \"a b\" the who"})
        EXPECT_EQ(check(q).substr(0, 7), "5: NOT ") << q;
    // A -word leads no group: Xapian keeps the run, oil AND NOT (gas OR of OR the).
    EXPECT_EQ(check("oil AND -gas of the").substr(0, 23), "5: AND before a -word l");
}

// Xapian leaves a stop word out beside other words: "the -gas" was "-gas",
// which matched nothing without saying why (a review).
TEST(QueryCheck, StopWordsFindNothingBesideMinusWords) {
    const std::string why =
        "nothing to search for: -words only leave passages out; add a word to find, as in opec -iran ('the' is a "
        "stop word, left out of a query beside other words)";
    EXPECT_EQ(check("the -gas"), "5: " + why);
    EXPECT_EQ(check("-gas the"), "1: " + why);
    EXPECT_EQ(check("the -gas who"), "5: " + why) << "not side by side: each is left out";
    EXPECT_EQ(check("title:the -gas"), "11: " + why);
    // The word as the stop list has it, whatever the case typed (folded
    // before the check: "THE" reaches it as "tHE").
    EXPECT_EQ(check("tHE -gas"), "5: " + why);
    EXPECT_EQ(check("oil OR the -gas"),
              "12: a -word cannot start the right of OR ('the' is a stop word, left out of a query beside other "
              "words); put it after a word (oil OR gas -coal) or use NOT");
    // Xapian refused "oil AND the -gas" without a column and searched oil OR gas.
    EXPECT_EQ(check("oil AND the -gas"),
              "9: -words alone cannot be the right of AND ('the' is a stop word, left out of a query beside other "
              "words); write oil -gas or oil AND NOT gas");
    // Kept by Xapian, so no error (a review: these were refused): a stop
    // word alone between operators or in brackets, a run of stop words side
    // by side (title: ones too), and -gas's AND NOT reaching past one.
    for (const char* q : {"the",
                          "the oil -gas",
                          "\"the\" -gas",
                          "+the -gas",
                          "the*",
                          "the OR oil",
                          "the who -gas",
                          "it is -gas",
                          "to be or not to be -gas",
                          "(the who) -gas",
                          "-gas the who",
                          "oil (the who -gas)",
                          "oil AND (the who -gas)",
                          "(the who -gas) OR oil",
                          "the AND -gas",
                          "oil (the) -gas",
                          "oil AND the who -gas",
                          "title:the who -gas",
                          "the title:who -gas",
                          "oil AND -gas the",
                          "the NOT gas"})
        EXPECT_EQ(check(q), "ok") << q;
}

// A lone sign between stop words keeps them apart, and Xapian leaves each
// out: it refused "the + who AND oil" without a column (a differential fuzz
// against Xapian's parser).
TEST(QueryCheck, StopWordsApartBesideAnOperator) {
    const std::string note = " ('the' is a stop word, left out of a query beside other words)";
    EXPECT_EQ(check("the + who AND oil"), "11: AND needs a term on its left" + note);
    EXPECT_EQ(check("the - who NOT oil"), "11: NOT needs a term on its left" + note);
    EXPECT_EQ(check("oil OR the + who"), "5: OR needs a term on its right" + note);
    EXPECT_EQ(check("oil AND NOT the - who"), "9: NOT needs a term on its right" + note);
    for (const char* q : {"the + who", "oil the + who", "the who AND oil", "the + AND oil", "the AND oil",
                          "oil AND the", "oil - gas AND coal"})
        EXPECT_EQ(check(q), "ok") << q;
}

TEST(QueryCheck, SignedDateRanges) {
    EXPECT_EQ(check("oil -date:2021-12-01..2022-01-31 +date:..20211231"), "ok");
    EXPECT_EQ(check("oil -date:2021-12-32.."),
              "11: bad date '2021-12-32' in date:2021-12-32.. (2021-12 has no day 32); want date:FROM..TO, each end "
              "a day as YYYY-MM-DD or YYYYMMDD, either one left out, e.g. date:1987-03-01..1987-03-31 or "
              "date:1987-03-01..");
}

TEST(QueryCheck, ControlCharacters) {
    EXPECT_EQ(check("abc\x01"
                    "def"),
              "4: control character (code 1) not allowed");
    EXPECT_EQ(check("a\nb"), "2: control character (code 10) not allowed");
    EXPECT_EQ(check("\"a\rb\""), "3: control character (code 13) not allowed");
    EXPECT_EQ(check("a\x7f"), "2: control character (code 127) not allowed");
    EXPECT_EQ(check(std::string_view("a\0b", 3)), "2: control character (code 0) not allowed");
}

TEST(QueryCheck, ColumnsCountCharactersNotBytes) {
    EXPECT_EQ(check("café \"x"), "6: unbalanced double quote");
    EXPECT_EQ(check("東京 AND"), "4: AND needs a term on its right");
}

TEST(QueryCheck, FirstErrorFromTheLeftWins) {
    EXPECT_EQ(check("AND (a"), "1: AND needs a term on its left");
    EXPECT_EQ(check("a\x02 \"b"), "2: control character (code 2) not allowed");
}

TEST(QueryCheck, TenThousandTermsInLinearTime) {
    std::string q;
    for (int i = 0; i < 10000; ++i) {
        const std::string t = "term" + std::to_string(i);
        q += i % 3 == 0 ? "(" + t + " AND \"x y\") " : i % 3 == 1 ? t + " NEAR/5 x OR " : t + "* ";
    }
    EXPECT_EQ(check(q), "ok");
    // An error at the very end of a huge query still reports its column.
    q += "AND";
    EXPECT_EQ(check(q), std::to_string(q.size() - 2) + ": AND needs a term on its right");
}

}  // namespace
}  // namespace trawl::query
