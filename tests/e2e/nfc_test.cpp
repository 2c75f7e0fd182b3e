// Unicode normalisation end to end: an article written with decomposed
// accents ("cafe" + U+0301, as macOS tools and some CMS exports write) is
// found by the query typed with precomposed ones, and the other way round;
// the two forms of one text are exact duplicates; ids keep their spelling.
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"
#include "tests/testutil/temp_dir.hpp"

using trawl::test::CommandResult;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

// é, è, û, ë precomposed (NFC) and as a letter + combining mark (NFD).
const std::string kCafeNfc = "caf\xC3\xA9", kCafeNfd = "cafe\xCC\x81";
const std::string kCremeNfc = "cr\xC3\xA8me br\xC3\xBBl\xC3\xA9\x65",
                  kCremeNfd = "cre\xCC\x80me bru\xCC\x82le\xCC\x81\x65";
const std::string kZoeNfc = "Zo\xC3\xAB", kZoeNfd = "Zoe\xCC\x88";
const std::string kNfdId = "nfd/cafe\xCC\x81-story";

struct Corpus {
    trawl::test::TempDir tmp;
    std::string db = (tmp / "nfc.idx").string();
    CommandResult indexed;

    Corpus() {
        const std::string jsonl = (tmp / "articles.jsonl").string();
        std::ofstream f(jsonl);
        // Written decomposed: the café story (id, title, text and source).
        f << R"({"id": ")" << kNfdId << R"(", "title": "Harbour )" << kCafeNfd << R"( reopens", "source": "Le )"
          << kCafeNfd << R"(", "text": "The )" << kCafeNfd << " on the quay serves " << kCremeNfd
          << R"( again. The owners repainted the shutters over the winter."})"
          << "\n";
        // Written precomposed: another story.
        f << R"({"id": "nfc/zoe", "title": "Skipper )" << kZoeNfc << R"( wins the regatta", "text": "Skipper )"
          << kZoeNfc << R"( brought the old ketch home first, ahead of forty boats."})"
          << "\n";
        // The café story again, precomposed, under another id: an exact duplicate.
        f << R"({"id": "nfc/copy", "title": "Harbour )" << kCafeNfc << R"( reopens", "source": "Le )" << kCafeNfc
          << R"(", "text": "The )" << kCafeNfc << " on the quay serves " << kCremeNfc
          << R"( again. The owners repainted the shutters over the winter."})"
          << "\n";
        f.close();
        indexed = run_command(trawl::test::index_cmd(db, shell_quote(jsonl)));
    }

    // The article ids a query finds, and its hits' text.
    std::set<std::string> ids(const std::string& q, const std::string& extra = "", std::string* text = nullptr) const {
        auto r = run_command(trawl::test::query_cmd(db, "--format json -n 10 " + extra + " " + shell_quote(q)));
        EXPECT_NE(r.exit_code, 2) << q << ": " << r.err;
        std::set<std::string> found;
        for (const auto& h : trawl::test::parse_jsonl(r.out)) {
            found.insert(h.at("article_id").get<std::string>());
            if (text) *text += h.at("text").get<std::string>();
        }
        return found;
    }
};

const std::set<std::string> kCafe = {kNfdId}, kZoe = {"nfc/zoe"};

}  // namespace

TEST(Nfc, DecomposedArticleIsFoundByPrecomposedQueryAndTheOtherWay) {
    Corpus c;
    ASSERT_EQ(c.indexed.exit_code, 0) << c.indexed.err;
    std::string text;
    EXPECT_EQ(c.ids(kCafeNfc, "", &text), kCafe) << "NFC query, NFD article";
    EXPECT_NE(text.find("The " + kCafeNfc + " on the quay serves " + kCremeNfc), std::string::npos)
        << "stored in NFC: " << text;
    EXPECT_EQ(c.ids(kCafeNfd), kCafe) << "NFD query, NFD article";
    EXPECT_EQ(c.ids("\"" + kCremeNfc + "\""), kCafe) << "a phrase";
    EXPECT_EQ(c.ids("title:" + kCafeNfc), kCafe);
    EXPECT_EQ(c.ids(kZoeNfd), kZoe) << "NFD query, NFC article";
    EXPECT_EQ(c.ids(kZoeNfc), kZoe);
    EXPECT_EQ(c.ids("skipper NEAR/3 " + kZoeNfd), kZoe);
    // The source, either way: in the query language and as an option.
    EXPECT_EQ(c.ids("quay source:\"le " + kCafeNfc + "\""), kCafe);
    EXPECT_EQ(c.ids("quay", "--source " + shell_quote("Le " + kCafeNfd)), kCafe);
}

TEST(Nfc, TheTwoFormsOfOneArticleAreExactDuplicatesAndIdsKeepTheirSpelling) {
    Corpus c;
    ASSERT_EQ(c.indexed.exit_code, 0) << c.indexed.err;
    EXPECT_NE(c.indexed.out.find("indexed 2 articles"), std::string::npos) << c.indexed.out;
    EXPECT_NE(c.indexed.out.find("duplicates: 1 exact (skipped; e.g. nfc/copy = " + kNfdId + " (exact))"),
              std::string::npos)
        << c.indexed.out;
    // The id as the data spells it, decomposed: neither found nor printed precomposed.
    auto r = run_command(trawl::test::query_cmd(c.db, "--format json " + shell_quote(kCafeNfc)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto hits = trawl::test::parse_jsonl(r.out);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].at("article_id").get<std::string>(), kNfdId);
    EXPECT_EQ(r.out.find("nfd/" + kCafeNfc), std::string::npos) << r.out;
    auto like = run_command(trawl::test::query_cmd(c.db, "--format json --like " + shell_quote(kNfdId)));
    EXPECT_NE(like.exit_code, 2) << "--like takes the id as spelled: " << like.err;
}
