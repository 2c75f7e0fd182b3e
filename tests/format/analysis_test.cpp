#include "indexer/format/analysis.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "indexer/format/schema.hpp"

using namespace trawl::format;

namespace {

std::set<std::string> terms_of(const Xapian::Document& doc) { return {doc.termlist_begin(), doc.termlist_end()}; }

}  // namespace

TEST(Analysis, TermGeneratorIndexesUnstemmedWithPositionsAndStemsWithout) {
    Xapian::Document doc;
    auto tg = make_term_generator();
    tg.set_document(doc);
    tg.index_text("Running dogs", 1, std::string(kPrefixTitle));
    tg.index_text("The dogs were running");
    auto terms = terms_of(doc);
    for (const char* t : {"running", "dogs", "Zrun", "Zdog", "Srunning", "Sdogs", "ZSrun", "ZSdog", "the"})
        EXPECT_TRUE(terms.count(t)) << t;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        bool stemmed = (*it)[0] == 'Z';
        EXPECT_EQ(it.positionlist_count() == 0, stemmed) << *it;
    }
}

TEST(Analysis, QueryParserSearchesBodyAndStopsOnlyBagOfWords) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    auto qp = make_query_parser(db);
    // Bare words search the body only (the headline is in the lead passage's body).
    auto bow = qp.parse_query("the dogs", query_parser_flags()).get_description();
    EXPECT_EQ(bow, "Query(Zdog@2)");
    // Question words are stop words too (Snowball's list), not only Lucene's 33.
    auto question = qp.parse_query("what are the dogs doing", query_parser_flags()).get_description();
    EXPECT_EQ(question, "Query(Zdog@4)");
    auto phrase = qp.parse_query("\"the dogs\"", query_parser_flags()).get_description();
    EXPECT_NE(phrase.find("the@1 PHRASE 2 dogs@2"), std::string::npos) << phrase;
    auto title = qp.parse_query("title:dogs", query_parser_flags()).get_description();
    EXPECT_EQ(title, "Query(ZSdog@1)");
    auto near = qp.parse_query("dogs NEAR/4 cats", query_parser_flags()).get_description();
    EXPECT_NE(near.find("dogs@1 NEAR 5 cats@2"), std::string::npos) << near;
}

TEST(Analysis, SourcesNormaliseToOneForm) {
    EXPECT_EQ(normalize_source("Reuters"), "reuters");
    EXPECT_EQ(normalize_source("  BBC \t News  "), "bbc-news");
    EXPECT_EQ(normalize_source("bbc-news"), "bbc-news");
    EXPECT_EQ(normalize_source("Le Monde Économie"), "le-monde-économie");
    EXPECT_EQ(normalize_source("business/tech"), "business/tech");
    EXPECT_EQ(normalize_source(" \t "), "");
    const std::string long_source(150, 'a');
    const std::string cut = normalize_source(long_source + " " + std::string(100, 'b'));
    EXPECT_LE(cut.size(), kMaxSourceBytes);
    EXPECT_EQ(cut.substr(0, 151), long_source + "-");
    // Cut at a character boundary: 100 two-byte letters fill exactly 200 bytes, one more does not fit.
    std::string e_acute;
    for (int i = 0; i < 101; ++i) e_acute += "\xC3\x89";  // É
    const std::string lowered = normalize_source(e_acute);
    EXPECT_EQ(lowered.size(), 200u);
    EXPECT_EQ(lowered.substr(0, 2), "\xC3\xA9");  // é
}

TEST(Analysis, QueryParserTurnsSourceAndDateIntoFilters) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    auto qp = make_query_parser(db);
    auto parse = [&](const std::string& q) { return qp.parse_query(q, query_parser_flags()).get_description(); };
    EXPECT_EQ(parse("oil source:Reuters"), "Query((Zoil@1 FILTER XSreuters))");
    EXPECT_EQ(parse("oil source:\"BBC  News\""), "Query((Zoil@1 FILTER XSbbc-news))");
    EXPECT_EQ(parse("oil source:bbc-news"), "Query((Zoil@1 FILTER XSbbc-news))");
    EXPECT_EQ(parse("oil date:2021-12-01..20220131"), "Query((Zoil@1 FILTER VALUE_RANGE 2 20211201 20220131))");
    EXPECT_EQ(parse("oil date:2021-12-01.."), "Query((Zoil@1 FILTER VALUE_GE 2 20211201))");
    EXPECT_EQ(parse("oil date:..2022-01-31"), "Query((Zoil@1 FILTER VALUE_LE 2 20220131))");
    EXPECT_THROW(parse("oil date:2021-13-01.."), trawl::QuerySyntaxError);
}

TEST(Analysis, StopWordsAreTheParsersList) {
    EXPECT_TRUE(is_stop_word("the"));
    EXPECT_TRUE(is_stop_word("will"));
    EXPECT_FALSE(is_stop_word("oil"));
    EXPECT_FALSE(is_stop_word("The")) << "the list is lower case";
}

TEST(Analysis, StopWordStemsAreTheStemmersAndGoBackToTheirWords) {
    EXPECT_EQ(stop_words().size(), 124u);
    EXPECT_EQ(stop_word_stem("only"), "onli");
    EXPECT_EQ(stop_word_stem("the"), "the");
    EXPECT_EQ(stop_word_stem("oil"), "") << "not a stop word";
    Xapian::Stem stem("english");
    for (const auto w : stop_words()) {
        EXPECT_EQ(stop_word_stem(w), stem(std::string(w))) << w;
        const auto back = stop_words_stemmed_as(stop_word_stem(w));
        EXPECT_NE(std::find(back.begin(), back.end(), w), back.end()) << w;
    }
    EXPECT_EQ(stop_words_stemmed_as("it"), (std::vector<std::string_view>{"it", "its"}));
    EXPECT_TRUE(stop_words_stemmed_as("oil").empty());
}

// The parser stems a word only when its first letter is not a capital
// (STEM_SOME); fold_query_case() lower-cases that letter and the field names,
// and leaves what case means to the parser: operators and acronyms.
TEST(Analysis, FoldQueryCaseLowersFirstLettersAndFieldNames) {
    EXPECT_EQ(fold_query_case("Exports EXPORTS exports"), "exports eXPORTS exports");
    EXPECT_EQ(fold_query_case("+Grain -Oil (Wheat OR Corn) AND NOT Rice"), "+grain -oil (wheat OR corn) AND NOT rice");
    EXPECT_EQ(fold_query_case("Oil NEAR/3 Prices XOR Gas ADJ/2 Tax"), "oil NEAR/3 prices XOR gas ADJ/2 tax");
    EXPECT_EQ(fold_query_case("And Or Not"), "and or not") << "operators are upper case only";
    EXPECT_EQ(fold_query_case("AND's"), "aND's") << "a word, not the operator";
    EXPECT_EQ(fold_query_case("U.S. Exports P.T.O"), "U.S. exports P.T.O") << "acronyms";
    EXPECT_EQ(fold_query_case("U.Sx"), "u.sx") << "not an acronym (a word character follows): the phrase u sx";
    EXPECT_EQ(fold_query_case("u.s. Exports u.K p.t.o. (i.e.)"), "U.S. exports U.K P.T.O. (I.E.)")
        << "an acronym in any case is written in capitals";
    EXPECT_EQ(fold_query_case("e.coli www.x.com 3.5 a."), "e.coli www.x.com 3.5 a.") << "no acronyms";
    EXPECT_EQ(fold_query_case("\"Crude Oil\" Oil-Prices"), "\"crude oil\" oil-prices");
    EXPECT_EQ(fold_query_case("Title:Oil TITLE:\"Crude Oil\" tItLe:(Gas)"),
              "title:oil title:\"crude oil\" title:(gas)");
    EXPECT_EQ(fold_query_case("Source:Reuters SOURCE:\"BBC News\" -Source:X)"),
              "source:Reuters source:\"BBC News\" -source:X)")
        << "a source is a value, not words";
    EXPECT_EQ(fold_query_case("Date:2021-12-01..2022-01-31 DATE:..20220131"),
              "date:2021-12-01..2022-01-31 date:..20220131");
    EXPECT_EQ(fold_query_case("Foo:Bar 3:1 Re:Oil Moscow: Talks"), "foo:bar 3:1 re:oil moscow: talks");
    EXPECT_EQ(fold_query_case("Éxports Ñame Straße"), "éxports ñame straße");
    EXPECT_EQ(fold_query_case("Export* C++ 3M"), "export* c++ 3M");
    EXPECT_EQ(fold_query_case("\xC9xports"), "\xC9xports") << "a byte that is not UTF-8 is left alone";
    EXPECT_EQ(fold_query_case(""), "");
}

TEST(Analysis, FoldQueryCaseMakesRunsOfDotsSpacesOutsideDateValues) {
    EXPECT_EQ(fold_query_case("prices fell... sharply"), "prices fell    sharply");
    EXPECT_EQ(fold_query_case("oil..gas \"a .. b\""), "oil  gas \"a    b\"") << "columns keep their place";
    EXPECT_EQ(fold_query_case("u.s... x"), "U.S.   x");
    EXPECT_EQ(fold_query_case("date:1987..1988 -Date:..19870301 +date:1987.."),
              "date:1987..1988 -date:..19870301 +date:1987..")
        << "a date: range keeps its dots";
    EXPECT_EQ(fold_query_case("3.5 e.coli a. b"), "3.5 e.coli a. b") << "one dot is left as it is";
}

// What the parser makes of the folded text: a capitalised word is the same
// query as its lower case in every place case could matter.
TEST(Analysis, FoldedQueriesParseAsTheirLowerCase) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    auto qp = make_query_parser(db);
    auto parse = [&](const std::string& q) {
        return qp.parse_query(fold_query_case(q), query_parser_flags()).get_description();
    };
    EXPECT_EQ(parse("Exports"), "Query(Zexport@1)");
    const std::pair<const char*, const char*> same[] = {
        {"Grain Exports", "grain exports"},
        {"+Grain -Exports", "+grain -exports"},
        {"Grain AND NOT Exports", "grain AND NOT exports"},
        {"title:Exports", "title:exports"},
        {"TITLE:EXPORTS", "title:exports"},
        {"\"Grain Exports\"", "\"grain exports\""},
        {"Grain NEAR/3 Exports", "grain NEAR/3 exports"},
        {"Grain ADJ Exports", "grain ADJ exports"},
        {"Exp*", "exp*"},
        {"Re:Exports", "re:exports"},
        {"The Exports", "the exports"},
    };
    for (const auto& [typed, lower] : same) EXPECT_EQ(parse(typed), parse(lower)) << typed;
    EXPECT_EQ(parse("U.S. Exports"), "Query((us@1 OR Zexport@2))") << "an acronym stays one word";
    EXPECT_EQ(parse("u.s. exports"), "Query((us@1 OR Zexport@2))") << "in lower case too (not the phrase u s)";
    EXPECT_EQ(parse("\"u.s. treasury\""), parse("\"U.S. Treasury\""));
    EXPECT_EQ(parse("title:u.k."), "Query(Suk@1)");
    EXPECT_EQ(parse("Source:Reuters"), "Query(0 * XSreuters)");
}

// The speller's view of a query: acronyms in capitals, as the parser reads
// them, and every other character as typed.
TEST(Analysis, CapitaliseAcronymsChangesAcronymsOnly) {
    EXPECT_EQ(capitalise_acronyms("Grain u.s. Exports i.e."), "Grain U.S. Exports I.E.");
    EXPECT_EQ(capitalise_acronyms("u.kx e.coli Re:oil"), "u.kx e.coli Re:oil");
    EXPECT_EQ(capitalise_acronyms("\"u.k. gilts\" title:u.k"), "\"U.K. gilts\" title:U.K");
    EXPECT_EQ(capitalise_acronyms("café u.s."), "café U.S.");
}
