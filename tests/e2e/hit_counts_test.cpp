// End-to-end tests of the numbers trawl-query prints beside the hits: the
// "+N more passages" of --by-article (and --like), which was Xapian's
// collapse count, a lower bound only, and --like's count line, which counted
// the exact duplicates it leaves out of the hits. Through the real binaries.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::lines_of;
using trawl::test::parse_jsonl;
using trawl::test::parse_summaries;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// 25 short articles with "red crane" once (each a heavier hit than a long
// passage holding it once), then, indexed last, "zz": a lead passage with the
// phrase three times and `more` longer passages with it once. Asked for the
// best article (-n 1), the match fills its top 20 articles (the re-ranking
// depth) before it reaches zz, and then skips zz's later, lighter passages:
// Xapian's collapse count of zz is below the truth, `more`.
void crane_corpus(const fs::path& dir, int more, const std::string& word) {
    fs::create_directories(dir);
    for (int i = 0; i < 25; ++i) {
        const std::string name = (i < 10 ? "a0" : "a") + std::to_string(i) + ".txt";
        write(dir / name, "Berth report " + std::to_string(i) + "\n\nA red crane stood at berth " + std::to_string(i) +
                              " today.\n");
    }
    std::string body = "The red crane lifted the red crane parts while a red crane waited.";
    for (int i = 0; i < more; ++i)
        body += "\n\nLater that " + word + " one red crane moved slowly along the quiet northern quay number " +
                std::to_string(i) + " past the sheds and warehouses.";
    write(dir / "zz.txt", "Crane log\n\n" + body + "\n");
}

std::string index_crane(const fs::path& dir, const std::string& db) {
    const auto r = run_command(index_cmd(db, "--passage-words 20 --overlap 0 " + shell_quote(dir.string())));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return db;
}

// Passages per article of a query's every hit (no grouping).
std::map<std::string, int> passages_per_article(const std::string& db, const std::string& query) {
    const auto r = run_command(query_cmd(db, "--format json -n 100000 " + shell_quote(query)));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int> per;
    for (const auto& h : parse_jsonl(r.out)) ++per[h.at("article_id").get<std::string>()];
    return per;
}

// A query matching more than the 1,000 passages counted exactly gets bounds
// for its articles: one each for the articles read, one per passage not
// read. The upper bound went past the articles the index holds ("of the" on
// Reuters: articles 11-38712 of 21,265); it is held to them now.
TEST(ArticleCount, TheUpperBoundIsNoMoreThanTheArticlesOfTheIndex) {
    trawl::test::TempDir tmp;
    const auto dir = tmp / "long";
    fs::create_directories(dir);
    for (int a = 0; a < 3; ++a) {  // 3 articles of 450 passages, each holding "crane"
        std::string body;
        for (int p = 0; p < 450; ++p)
            body += "Entry " + std::to_string(p) +
                    " of the log: one crane moved along the northern quay past the sheds and the warehouses "
                    "today.\n\n";
        write(dir / ("log" + std::to_string(a) + ".txt"), "Harbour log " + std::to_string(a) + "\n\n" + body);
    }
    const auto db = (tmp / "long.idx").string();
    const auto r = run_command(index_cmd(db, "--passage-words 20 --overlap 0 " + shell_quote(dir.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const std::string grouping : {"", "--by-article "}) {
        const auto json = run_command(query_cmd(db, "--format json -n 1 " + grouping + "crane"));
        ASSERT_EQ(json.exit_code, 0) << json.err;
        const auto s = parse_summaries(json.out).at(0);
        ASSERT_GT(s.at("passages").at("min").get<int>(), 1000) << s.dump();  // the fixture as meant
        const auto& articles = s.at("articles");
        EXPECT_LE(articles.at("max").get<int>(), 3) << grouping << s.dump();
        EXPECT_LE(articles.at("min").get<int>(), articles.at("count").get<int>()) << s.dump();
        EXPECT_LE(articles.at("count").get<int>(), articles.at("max").get<int>()) << s.dump();
        // The count line says the same.
        const auto text = lines_of(run_command(query_cmd(db, "-n 1 " + grouping + "crane")).out).at(0);
        std::smatch m;
        if (std::regex_search(text, m, std::regex(R"(articles (\d+)–(\d+)\))"))) EXPECT_LE(std::stoi(m[2]), 3) << text;
        else EXPECT_NE(text.find(" in 3 articles"), std::string::npos) << text;
    }
}

TEST(ByArticleCount, MorePassagesIsTheExactNumberNotXapiansLowerBound) {
    trawl::test::TempDir tmp;
    crane_corpus(tmp / "corpus", 7, "day");
    const auto db = index_crane(tmp / "corpus", (tmp / "crane.idx").string());
    // The fixture as meant: zz's lead passage and its seven others match.
    ASSERT_EQ(passages_per_article(db, "\"red crane\"").at("zz"), 8);

    const auto json = run_command(query_cmd(db, "--format json -n 1 --by-article '\"red crane\"'"));
    ASSERT_EQ(json.exit_code, 0) << json.err;
    const auto hits = parse_jsonl(json.out);
    ASSERT_EQ(hits.size(), 1u) << json.out;
    EXPECT_EQ(hits[0].at("passage_id"), "zz#0");
    EXPECT_EQ(hits[0].at("collapsed"), 7) << json.out;

    const auto text = run_command(query_cmd(db, "--color never -n 1 --by-article '\"red crane\"'"));
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("  Crane log  [zz#0]  (+7 more passages)\n"), std::string::npos) << text.out;

    // Every hit of every page, whatever the query: its article's other matches.
    for (const std::string q : {"\"red crane\"", "crane", "red crane quay"}) {
        const auto per = passages_per_article(db, q);
        for (const std::string page : {"-n 3", "-n 5 --offset 2", "-n 30"}) {
            const auto r = run_command(query_cmd(db, "--format json --by-article " + page + " " + shell_quote(q)));
            ASSERT_EQ(r.exit_code, 0) << r.err;
            const auto grouped = parse_jsonl(r.out);
            ASSERT_FALSE(grouped.empty()) << q << " " << page;
            for (const auto& h : grouped)
                EXPECT_EQ(h.at("collapsed").get<int>(), per.at(h.at("article_id").get<std::string>()) - 1)
                    << q << " " << page << ": " << h.at("passage_id");
        }
    }
}

// The count is of the search's own query: a replaced article's old passages
// (dead, format/deletions.hpp) and the options' filters count for nothing.
TEST(ByArticleCount, DeadPassagesAndFilteredOnesAreNotCounted) {
    trawl::test::TempDir tmp;
    const auto dir = tmp / "corpus";
    crane_corpus(dir, 7, "day");
    const auto db = index_crane(dir, (tmp / "crane.idx").string());
    crane_corpus(dir, 3, "night");  // zz again, with three more passages instead of seven
    index_crane(dir, db);
    ASSERT_EQ(passages_per_article(db, "\"red crane\"").at("zz"), 4);
    const auto r = run_command(query_cmd(db, "--format json -n 1 --by-article '\"red crane\"'"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto hits = parse_jsonl(r.out);
    ASSERT_EQ(hits.size(), 1u) << r.out;
    EXPECT_EQ(hits[0].at("passage_id"), "zz#0");
    EXPECT_EQ(hits[0].at("collapsed"), 3) << r.out;
    // A word of the new passages only: the old ones held "day", not "night".
    const auto night = run_command(query_cmd(db, "--format json -n 1 --by-article 'crane AND night'"));
    ASSERT_EQ(night.exit_code, 0) << night.err;
    ASSERT_EQ(parse_jsonl(night.out).size(), 1u) << night.out;
    EXPECT_EQ(parse_jsonl(night.out)[0].at("collapsed"), 2) << night.out;
}

// An article, two exact duplicates of it under other ids (one differing in
// case and punctuation only: the indexer's rule folds them), and articles
// like it, indexed with --dedup off (the default skips the duplicates when
// indexing, and then --like has none to leave out).
class LikeCounts : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new trawl::test::TempDir();
        const auto dir = *tmp_ / "corpus";
        fs::create_directories(dir);
        const std::string oil =
            "Crude oil prices climbed as tanker traffic slowed and refinery demand rose in the gulf.\n\n"
            "Traders said crude stocks fell while refiners bought cargoes for the winter.\n\n"
            "Analysts expect refinery margins to stay firm as tanker rates climb.";
        write(dir / "a.txt", "Crude climbs on refinery demand\n\n" + oil + "\n");
        write(dir / "b.txt", "Crude climbs on refinery demand\n\n" + oil + "\n");
        std::string shouted = oil;
        for (auto& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        write(dir / "c.txt", "CRUDE CLIMBS ON REFINERY DEMAND!\n\n" + shouted + "\n");
        for (int i = 0; i < 6; ++i)
            write(dir / ("d" + std::to_string(i) + ".txt"),
                  "Refiners report " + std::to_string(i) +
                      "\n\nRefinery demand lifted crude oil as tanker cargoes "
                      "were bought by refiners before winter, report " +
                      std::to_string(i) + " said.\n\nTanker rates and refinery margins climbed again in the gulf.\n");
        write(dir / "e.txt", "Storm closes harbour\n\nA storm closed the harbour and cancelled ferries.\n");
        db_ = (*tmp_ / "like.idx").string();
        const auto r =
            run_command(index_cmd(db_, "--dedup off --passage-words 20 --overlap 0 " + shell_quote(dir.string())));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    static std::vector<nlohmann::json> like(const std::string& args, nlohmann::json* summary = nullptr) {
        const auto r = run_command(query_cmd(db_, "--format json " + args + " --like a"));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        if (summary) *summary = parse_summaries(r.out).at(0);
        return parse_jsonl(r.out);
    }

    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string db_;
};

TEST_F(LikeCounts, TheCountLineCountsTheHitsListedAndNotTheDuplicatesLeftOut) {
    // The duplicates are in the index.
    const auto r = run_command(query_cmd(db_, "--format json --by-article -n 100 'refinery margins'"));
    std::set<std::string> indexed;
    for (const auto& h : parse_jsonl(r.out)) indexed.insert(h.at("article_id"));
    ASSERT_TRUE(indexed.count("a") && indexed.count("b") && indexed.count("c")) << r.out;

    nlohmann::json s;
    const auto hits = like("-n 100", &s);
    ASSERT_FALSE(hits.empty());
    std::uint64_t passages = 0;
    std::set<std::string> ids;
    for (const auto& h : hits) {
        ids.insert(h.at("article_id").get<std::string>());
        passages += 1 + h.at("collapsed").get<std::uint64_t>();
    }
    const std::uint64_t articles = hits.size();
    EXPECT_EQ(s.at("articles"),
              (nlohmann::json{{"count", articles}, {"exact", true}, {"max", articles}, {"min", articles}}))
        << s;
    EXPECT_EQ(s.at("passages"),
              (nlohmann::json{{"count", passages}, {"exact", true}, {"max", passages}, {"min", passages}}))
        << s;
    // Not a, b, c (c differs in case and punctuation only), nor e, which shares no word.
    EXPECT_EQ(ids, (std::set<std::string>{"d0", "d1", "d2", "d3", "d4", "d5"}));

    const auto text = run_command(query_cmd(db_, "--color never -n 2 --like a"));
    ASSERT_EQ(text.exit_code, 0) << text.err;
    const auto first = lines_of(text.out).at(0);
    EXPECT_TRUE(std::regex_match(
        first, std::regex(std::to_string(passages) + " passages in " + std::to_string(articles) + R"( articles \(.*)")))
        << first;
}

// A page is a slice of the one list: the duplicates left out by the query do
// not shift --offset (they were left out after it, so page 2 repeated page 1's hits).
TEST_F(LikeCounts, PagesAreSlicesOfTheOneList) {
    const auto all = like("-n 100");
    ASSERT_GE(all.size(), 6u);
    for (std::size_t k = 0; k < all.size(); ++k) {
        const auto page = like("-n 1 --offset " + std::to_string(k));
        ASSERT_EQ(page.size(), 1u) << k;
        EXPECT_EQ(page[0].at("passage_id"), all[k].at("passage_id")) << k;
        EXPECT_EQ(page[0].at("rank"), k + 1) << k;
        EXPECT_EQ(page[0].at("collapsed"), all[k].at("collapsed")) << k;
    }
}

}  // namespace
