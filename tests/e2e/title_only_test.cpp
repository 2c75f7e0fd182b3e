// End-to-end: an article with a title and no text (Reuters' TYPE="BRIEF"
// wire items, BEIR's title-only documents) through the real binaries. It is
// indexed as one empty passage that its headline finds: by its words, by
// title:, by phrases, NEAR and ADJ over the headline (checked where the index
// keeps every word's positions and where phrases are verified by re-cutting
// the stored passage), and it prints its title with no snippet line.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/run_command.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace fs = std::filesystem;
using trawl::test::CommandResult;
using trawl::test::index_cmd;
using trawl::test::lines_of;
using trawl::test::parse_jsonl;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kHeadline = "U.S. COMMERCIAL PAPER FALLS 375 MLN DLRS IN FEB 18 WEEK, FED SAYS";

// Reuters-21578 records: a story, a BRIEF (headline only; "Blah blah blah."
// is outside <BODY>), the same BRIEF again under another id (an exact
// duplicate), and a record with neither title nor text.
const std::string kBriefs =
    "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"
    "<REUTERS TOPICS=\"YES\" NEWID=\"10\">\n"  // line 2
    "<DATE>26-FEB-1987 15:01:01.79</DATE>\n"
    "<TEXT>&#2;\n"
    "<TITLE>FED ADDS RESERVES</TITLE>\n"
    "<BODY>The Federal Reserve added reserves to the banking system. Dealers said commercial\n"
    "paper rates were steady.\n"
    " Reuter\n"
    "&#3;</BODY></TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS TOPICS=\"YES\" NEWID=\"76\">\n"  // line 11
    "<DATE>26-FEB-1987 16:16:52.92</DATE>\n"
    "<TEXT TYPE=\"BRIEF\">&#2;\n"
    "******<TITLE>" +
    kHeadline +
    "\n"
    "</TITLE>Blah blah blah.\n"
    "&#3;\n"
    "\n"
    "</TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS TOPICS=\"YES\" NEWID=\"78\">\n"  // line 20
    "<DATE>26-FEB-1987 16:20:00.00</DATE>\n"
    "<TEXT TYPE=\"BRIEF\">&#2;\n"
    "******<TITLE>U.S. Commercial Paper Falls 375 Mln Dlrs In Feb 18 Week - Fed Says</TITLE>Blah blah blah.\n"
    "&#3;\n"
    "</TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS TOPICS=\"NO\" NEWID=\"77\">\n"  // line 27
    "<DATE>26-FEB-1987 16:30:00.00</DATE>\n"
    "<TEXT TYPE=\"BRIEF\">&#2;\n"
    "&#3;\n"
    "</TEXT>\n"
    "</REUTERS>\n";

class TitleOnly : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new trawl::test::TempDir();
        sgm_ = (*tmp_ / "briefs.sgm").string();
        trawl::test::write_file(sgm_, kBriefs);
        // Every word keeps its positions (the default on so small a corpus),
        // and hardly any word does (a word keeps them only when every passage
        // has it): then phrases, NEAR and ADJ are verified on the stored text.
        all_ = (*tmp_ / "all.idx").string();
        few_ = (*tmp_ / "few.idx").string();
        first_ = run_command(index_cmd(all_, "--positions all " + shell_quote(sgm_)));
        few_run_ = run_command(index_cmd(few_, "--positional-share 1 " + shell_quote(sgm_)));
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    static std::vector<nlohmann::json> json_query(const std::string& db, const std::string& q,
                                                  const std::string& extra = "") {
        auto r = run_command(query_cmd(db, "--format json " + extra + " " + shell_quote(q)));
        EXPECT_NE(r.exit_code, 2) << r.err;
        return parse_jsonl(r.out);
    }
    static std::vector<std::string> ids(const std::vector<nlohmann::json>& hits) {
        std::vector<std::string> out;
        for (const auto& h : hits) out.push_back(h.at("article_id"));
        return out;
    }

    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string sgm_, all_, few_;
    static inline CommandResult first_, few_run_;
};

TEST_F(TitleOnly, IsCountedAsIndexedAndOnlyTheEmptyRecordIsSkipped) {
    for (const auto* r : {&first_, &few_run_}) {
        ASSERT_EQ(r->exit_code, 0) << r->err;
        EXPECT_NE(r->out.find("indexed 2 articles as 2 passages"), std::string::npos) << r->out;
        EXPECT_NE(r->out.find("skipped 1 record (1 empty text)"), std::string::npos) << r->out;
        // The same headline under another id is an exact duplicate (title and
        // body hashed together), as a story would be.
        EXPECT_NE(r->out.find("duplicates: 1 exact (skipped; e.g. 78 = 76 (exact))"), std::string::npos) << r->out;
        EXPECT_EQ(r->err, "trawl-index: " + sgm_ + ":27: skipped: empty text (id 77)\n");
    }
}

TEST_F(TitleOnly, AHeadlineWordFindsItWithItsTitleAndAnEmptyPassage) {
    for (const auto& db : {all_, few_}) {
        const auto hits = json_query(db, "dlrs");
        ASSERT_EQ(hits.size(), 1u) << db;
        const auto& h = hits[0];
        EXPECT_EQ(h.at("article_id"), "76");
        EXPECT_EQ(h.at("passage_id"), "76#0");
        EXPECT_EQ(h.at("title"), kHeadline);
        EXPECT_EQ(h.at("ordinal"), 0);
        EXPECT_EQ(h.at("begin"), 0);
        EXPECT_EQ(h.at("end"), 0);
        EXPECT_EQ(h.at("text"), "");
        EXPECT_EQ(h.at("snippet"), "");
        EXPECT_TRUE(h.at("highlights").empty());
        EXPECT_EQ(h.at("date"), "1987-02-26T16:16:52");
        EXPECT_EQ(h.at("source"), "reuters");
        EXPECT_EQ(h.at("location"), sgm_ + ":11");
        // A stemmed headline word, and one both articles hold.
        EXPECT_EQ(ids(json_query(db, "fall")), std::vector<std::string>{"76"}) << db;
        const auto both = ids(json_query(db, "commercial"));
        EXPECT_EQ(both.size(), 2u) << db;
    }
}

TEST_F(TitleOnly, TitleFieldPhrasesNearAndAdjFindTheHeadline) {
    for (const auto& db : {all_, few_}) {
        for (const std::string q : {"title:dlrs", "title:\"commercial paper falls\"", "\"commercial paper falls\"",
                                    "\"fed says\"", "\"375 mln dlrs\"", "falls NEAR/3 commercial", "mln NEAR/2 falls",
                                    "paper ADJ/1 falls", "title:\"fed says\""})
            EXPECT_EQ(ids(json_query(db, q)), std::vector<std::string>{"76"}) << q << " on " << db;
        // The words out of order, too far apart, or the placeholder outside <BODY>.
        for (const std::string q : {"\"paper commercial\"", "falls ADJ/1 paper", "dlrs NEAR/1 commercial",
                                    "\"says blah\"", "blah", "title:\"paper commercial\""}) {
            auto r = run_command(query_cmd(db, shell_quote(q)));
            EXPECT_EQ(r.exit_code, 1) << q << " on " << db << ": " << r.out << r.err;
        }
    }
}

// Text output: the title on the hit's first line, the location line, and no
// snippet line (the passage has no text); with --explain the score line.
TEST_F(TitleOnly, TextOutputShowsTheTitleAndNoEmptySnippetLine) {
    auto r = run_command(query_cmd(all_, "dlrs"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Exactly: the count line, a blank line, the hit's line, its location line.
    const auto head = r.out.find(")\n\n 1. ");
    ASSERT_NE(head, std::string::npos) << r.out;
    EXPECT_TRUE(r.out.starts_with("1 passage in 1 article (")) << r.out;
    EXPECT_TRUE(r.out.ends_with("  " + kHeadline + "  [76#0]\n    " + sgm_ + ":11 · 1987-02-26T16:16:52 · reuters\n"))
        << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4) << r.out;

    auto ex = run_command(query_cmd(all_, "--explain --by-article 'dlrs fed'"));
    ASSERT_EQ(ex.exit_code, 0) << ex.err;
    const auto lines = lines_of(ex.out);
    // Both articles (fed: the headline of one, the title of the other), the
    // title-only one with its location and score lines, no snippet line.
    ASSERT_EQ(lines.size(), 8u) << ex.out;
    EXPECT_TRUE(lines[1].ends_with("  " + kHeadline + "  [76#0]")) << ex.out;
    EXPECT_EQ(lines[2], "    " + sgm_ + ":11 · 1987-02-26T16:16:52 · reuters") << ex.out;
    EXPECT_TRUE(lines[3].starts_with("    score ") && lines[3].find(" = dlrs ") != std::string::npos &&
                lines[3].find(" + fed ") != std::string::npos)
        << ex.out;
    EXPECT_TRUE(lines[4].ends_with("  FED ADDS RESERVES  [10#0]")) << ex.out;
    EXPECT_EQ(lines[6],
              "    The Federal Reserve added reserves to the banking system. Dealers said commercial paper "
              "rates were steady.")
        << ex.out;
    EXPECT_TRUE(lines[7].starts_with("    score ")) << ex.out;

    auto trec = run_command(query_cmd(all_, "--format trec dlrs"));
    ASSERT_EQ(trec.exit_code, 0) << trec.err;
    EXPECT_TRUE(trec.out.starts_with("1 Q0 76#0 1 ")) << trec.out;
}

// --like takes the article's terms from its stored passages, title included:
// a title-only article has only its title to give, and is found by another's.
TEST_F(TitleOnly, LikeUsesTheHeadline) {
    for (const auto& db : {all_, few_}) {
        auto like76 = run_command(query_cmd(db, "--format json --like 76"));
        ASSERT_EQ(like76.exit_code, 0) << like76.err;
        EXPECT_EQ(ids(parse_jsonl(like76.out)), std::vector<std::string>{"10"}) << db;
        auto like10 = run_command(query_cmd(db, "--format json --like 10"));
        ASSERT_EQ(like10.exit_code, 0) << like10.err;
        EXPECT_EQ(ids(parse_jsonl(like10.out)), std::vector<std::string>{"76"}) << db;
    }
}

// Re-running the command finds both articles unchanged (the title-only one
// by its content hash too) and leaves the index as it was.
TEST_F(TitleOnly, ARerunSkipsTheTitleOnlyArticleAsUnchanged) {
    auto r = run_command(index_cmd(all_, "--positions all " + shell_quote(sgm_)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 unchanged since an earlier run indexed them (skipped)"), std::string::npos) << r.out;
    EXPECT_EQ(ids(json_query(all_, "dlrs")), std::vector<std::string>{"76"});
}

// A BEIR-style JSONL document with a title and an empty text is indexed the
// same way; one with neither is skipped.
// The same headline alone on another day is another item (a daily notice):
// indexed, and --like on one finds the other (it used to be left out as an
// exact duplicate, found by review); the same day it is a duplicate.
TEST(TitleOnlyJsonl, TheSameHeadlineOnAnotherDayIsAnotherItem) {
    trawl::test::TempDir tmp;
    const auto jsonl = (tmp / "fed.jsonl").string();
    const std::string h = "FED SETS 1.5 BILLION DLR CUSTOMER REPURCHASE, FED SAYS";
    trawl::test::write_file(
        jsonl, "{\"id\": \"f1\", \"title\": \"" + h + "\", \"text\": \"\", \"date\": \"1987-03-02\"}\n" +
                   "{\"id\": \"f2\", \"title\": \"" + h + "\", \"text\": \"\", \"date\": \"1987-03-03\"}\n" +
                   "{\"id\": \"f3\", \"title\": \"" + h + "\", \"text\": \"\", \"date\": \"1987-03-03\"}\n" +
                   "{\"id\": \"s1\", \"title\": \"Repurchase agreements\", \"text\": \"The Fed arranged customer "
                   "repurchase agreements, a spokesman said.\"}\n");
    const auto db = (tmp / "f.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(jsonl)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 3 articles"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("f3 = f2 (exact)"), std::string::npos) << r.out;
    auto like = run_command(query_cmd(db, "--format json --like f1"));
    ASSERT_EQ(like.exit_code, 0) << like.err;
    std::vector<std::string> found;
    for (const auto& hit : parse_jsonl(like.out)) found.push_back(hit.at("article_id").get<std::string>());
    EXPECT_NE(std::find(found.begin(), found.end(), "f2"), found.end()) << like.out;
}

TEST(TitleOnlyJsonl, ATitleWithEmptyTextIsIndexed) {
    trawl::test::TempDir tmp;
    const auto jsonl = (tmp / "docs.jsonl").string();
    trawl::test::write_file(jsonl,
                            "{\"_id\": \"t1\", \"title\": \"Coronavirus spike protein structure\", \"text\": \"\"}\n"
                            "{\"_id\": \"t2\", \"title\": \"\", \"text\": \"  \"}\n"
                            "{\"_id\": \"t3\", \"title\": \"Masks\", \"text\": \"Masks reduce transmission.\"}\n");
    const auto db = (tmp / "j.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(jsonl)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 2 articles as 2 passages"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("skipped 1 record (1 empty text)"), std::string::npos) << r.out;
    auto q = run_command(query_cmd(db, "--format json '\"spike protein\"'"));
    ASSERT_EQ(q.exit_code, 0) << q.err;
    const auto hits = parse_jsonl(q.out);
    ASSERT_EQ(hits.size(), 1u) << q.out;
    EXPECT_EQ(hits[0].at("article_id"), "t1");
    EXPECT_EQ(hits[0].at("title"), "Coronavirus spike protein structure");
    EXPECT_EQ(hits[0].at("text"), "");
}

}  // namespace
