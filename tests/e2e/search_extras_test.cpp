// End-to-end tests of what trawl-query gives beside the ranked hits (issue
// 13): the counts line and JSON summary, "did you mean", --timeline and
// --facets source, --like and --explain; through the real binaries on the
// fixture corpora.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::lines_of;
using trawl::test::parse_jsonl;
using trawl::test::parse_summaries;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kFixtures = TRAWL_FIXTURES_DIR "/e2e";

class SearchExtrasTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new trawl::test::TempDir();
        news_ = (*tmp_ / "news.idx").string();
        dated_ = (*tmp_ / "dated.idx").string();
        auto r = run_command(index_cmd(news_, "--passage-words 30 --overlap 5 " + shell_quote(kFixtures + "/news")));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        r = run_command(index_cmd(dated_, shell_quote(kFixtures + "/dated.jsonl")));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    static trawl::test::CommandResult news(const std::string& args) { return run_command(query_cmd(news_, args)); }

    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string news_, dated_;
};

TEST_F(SearchExtrasTest, TextStartsWithExactCountsOfPassagesAndArticles) {
    const auto all = parse_jsonl(news("--format json -n 1000 storm").out);
    ASSERT_GT(all.size(), 1u);
    std::set<std::string> articles;
    for (const auto& h : all) articles.insert(h.at("article_id").get<std::string>());
    const auto r = news("-n 1 storm");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto first = lines_of(r.out).at(0);
    std::smatch m;
    ASSERT_TRUE(std::regex_match(first, m, std::regex(R"((\d+) passages? in (\d+) articles? \(\d+\.\d ms\))")))
        << first;
    EXPECT_EQ(std::stoul(m[1]), all.size());
    EXPECT_EQ(std::stoul(m[2]), articles.size());
    // By article: the same figures.
    const auto by = lines_of(news("-n 1 --by-article storm").out).at(0);
    EXPECT_EQ(by.substr(0, by.find(" (")), first.substr(0, first.find(" (")));
}

TEST_F(SearchExtrasTest, JsonSummaryLineComesFirstAndNothingMatchedStillCounts) {
    const auto r = news("--format json -n 1 storm");
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    const auto s = nlohmann::json::parse(lines[0]).at("summary");
    EXPECT_EQ(s.at("query"), "storm");
    EXPECT_TRUE(s.at("passages").at("exact").get<bool>());
    EXPECT_EQ(s.at("passages").at("min"), s.at("passages").at("max"));
    EXPECT_GE(s.at("passages").at("count").get<int>(), s.at("articles").at("count").get<int>());
    EXPECT_TRUE(s.at("ms").is_number());

    const auto none = news("zeppelin");
    EXPECT_EQ(none.exit_code, 1);
    EXPECT_TRUE(std::regex_match(none.out, std::regex(R"(0 passages in 0 articles \(\d+\.\d ms\)\n)"))) << none.out;
}

TEST_F(SearchExtrasTest, DidYouMeanCorrectsFromTheIndexVocabulary) {
    const auto r = news("'strom warning'");
    const auto lines = lines_of(r.out);
    ASSERT_GE(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines[1], "did you mean: storm warning");
    const auto s = parse_summaries(news("--format json 'Harbour stormm'").out);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].value("did_you_mean", ""), "Harbour storm");  // words it keeps stay as typed
    // Correct words, operators and filter values are left alone.
    EXPECT_FALSE(parse_summaries(news("--format json 'storm AND harbour'").out).at(0).contains("did_you_mean"));
    EXPECT_FALSE(parse_summaries(news("--format json 'storm source:wether'").out).at(0).contains("did_you_mean"));
}

// The speller weighs words by all their passages, and a deleted or replaced
// article's stay in the index until --rebuild: a word only they hold must not
// be proposed, since the suggestion would find nothing.
TEST(DidYouMean, NeverProposesAWordOnlyDeletedOrReplacedPassagesHold) {
    trawl::test::TempDir tmp;
    const auto db = (tmp / "d.idx").string(), input = (tmp / "d.jsonl").string();
    const auto write = [&](const std::string& text) {
        std::ofstream(input) << text;
        const auto r = run_command(index_cmd(db, shell_quote(input)));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    };
    const auto suggestion = [&](const std::string& q) {
        return parse_summaries(run_command(query_cmd(db, "--format json " + shell_quote(q))).out)
            .at(0)
            .value("did_you_mean", "");
    };
    write(R"({"id":"x1","title":"One","text":"A zeppelin flew over the town."}
{"id":"x2","title":"Two","text":"A walrus swam past the platypus."}
)");
    ASSERT_EQ(suggestion("zepelin"), "zeppelin");
    ASSERT_EQ(suggestion("platypis walrus"), "platypus walrus");
    // x2 replaced: its platypus is now only in dead passages.
    write(R"({"id":"x1","title":"One","text":"A zeppelin flew over the town."}
{"id":"x2","title":"Two","text":"A walrus swam past the otter."}
)");
    EXPECT_EQ(suggestion("platypis walrus"), "");
    EXPECT_EQ(suggestion("zepelin"), "zeppelin") << "a live word is still proposed";
    const auto r = run_command(index_cmd(db, "--delete x1"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(suggestion("zepelin"), "");
    const auto text = run_command(query_cmd(db, "zepelin"));
    EXPECT_EQ(text.out.find("did you mean"), std::string::npos) << text.out;
}

TEST_F(SearchExtrasTest, TimelineAndSourcesCountMatchingArticles) {
    const auto r = run_command(query_cmd(dated_, "--format json --timeline --facets source oil"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto s = parse_summaries(r.out).at(0);
    // d6 is undated: null, as its missing source is (it said "undated").
    EXPECT_EQ(s.at("timeline"),
              nlohmann::json::parse(R"([["2021-11", 1], ["2021-12", 2], ["2022-01", 1], ["2022-02", 1], [null, 1]])"));
    // Each source by its key (what --source matches) and its name as stored,
    // as the hits show it (d2 says "BBC News", d4 "bbc news": one matching
    // article's, chosen by its id's hash, the same over shards); d6 names no
    // source: its row is last, with a null key and name, so the rows add up
    // to the matching articles. (They were [["bbc-news", 2], ...]: the
    // folded key only.)
    EXPECT_EQ(s.at("sources"), nlohmann::json::parse(R"([
        {"key": "bbc-news", "name": "bbc news", "articles": 2},
        {"key": "reuters", "name": "Reuters", "articles": 2},
        {"key": "the-guardian", "name": "The Guardian", "articles": 1},
        {"key": null, "name": null, "articles": 1}])"));
    EXPECT_EQ(s.at("articles").at("count"), 6);
    // The hits say so too: d6's date and source are null, not "" (as they were).
    std::size_t hits = 0;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        const auto hit = nlohmann::json::parse(line);
        if (hit.contains("summary")) continue;
        ++hits;
        const bool d6 = hit.at("article_id") == "d6";
        EXPECT_EQ(hit.at("date").is_null(), d6) << line;
        EXPECT_EQ(hit.at("source").is_null(), d6) << line;
    }
    EXPECT_EQ(hits, 6u);

    const auto text = run_command(query_cmd(dated_, "-n 1 --timeline --facets source oil")).out;
    EXPECT_NE(text.find("\nmatching articles per month:\n"
                        "  2021-11  1  ████████████████████\n"
                        "  2021-12  2  ████████████████████████████████████████\n"
                        "  2022-01  1  ████████████████████\n"
                        "  2022-02  1  ████████████████████\n"
                        "  undated  1  ████████████████████\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\nmatching articles per source:\n"
                        "  bbc news      2  ████████████████████████████████████████\n"
                        "  Reuters       2  ████████████████████████████████████████\n"
                        "  The Guardian  1  ████████████████████\n"
                        "  (no source)   1  ████████████████████\n"),
              std::string::npos)
        << text;
    // With a filter, only what matches it.
    const auto since =
        parse_summaries(run_command(query_cmd(dated_, "--format json --timeline --since 2022-01-01 oil")).out);
    EXPECT_EQ(since.at(0).at("timeline"), nlohmann::json::parse(R"([["2022-01", 1], ["2022-02", 1]])"));
    // A bad facet is a usage error.
    const auto bad = run_command(query_cmd(dated_, "--facets author oil"));
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--facets must be source, not 'author'"), std::string::npos) << bad.err;
}

// The timeline and the source counts of a sharded index (two shards searched
// as one, and two shards merged by --threads 2) are those of one database:
// the spy sees the combined docids, and the sources are read off each
// shard's XS postings.
TEST_F(SearchExtrasTest, TimelineAndSourcesAreTheSameOverShards) {
    const auto summary = [](const std::string& db) {
        const auto r = run_command(query_cmd(db, "--format json --timeline --facets source oil"));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto s = parse_summaries(r.out).at(0);
        return std::make_pair(s.at("timeline"), s.at("sources"));
    };
    const auto one = summary(dated_);
    ASSERT_FALSE(one.first.empty());
    for (const std::string layout : {"--threads 2 --shards 2", "--threads 2"}) {
        trawl::test::TempDir tmp;
        const auto db = (tmp / "dated.idx").string();
        const auto r = run_command(index_cmd(db, layout + " " + shell_quote(kFixtures + "/dated.jsonl")));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(summary(db), one) << layout;
    }
}

// --list-articles: every live article, in id order, over every layout.
TEST_F(SearchExtrasTest, ListArticlesGivesEveryLiveArticleInIdOrder) {
    const std::string where = kFixtures + "/dated.jsonl";
    const auto line = [&](const std::string& id, const std::string& date, const std::string& source, int record,
                          const std::string& title) {
        return id + "\t1\t" + date + "\t" + source + "\t" + where + ":" + std::to_string(record) + "\t" + title + "\n";
    };
    const std::string all = line("d1", "2021-11-30", "Reuters", 1, "Opec holds output steady") +
                            line("d2", "2021-12-01T09:30:00", "BBC News", 2, "Airlines cut flights as travel slows") +
                            line("d3", "2021-12-20", "Reuters", 3, "Oil rebounds") +
                            line("d4", "2022-01-31", "bbc news", 4, "Winter storm hits rigs") +
                            line("d5", "2022-02-01", "The Guardian", 5, "February starts higher") +
                            line("d6", "", "", 6, "A note");
    auto r = run_command(query_cmd(dated_, "--list-articles"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, all);
    // The filters of a search: any spelling of a source; dates with both ends in.
    EXPECT_EQ(run_command(query_cmd(dated_, "--list-articles --source BBC-news")).out,
              line("d2", "2021-12-01T09:30:00", "BBC News", 2, "Airlines cut flights as travel slows") +
                  line("d4", "2022-01-31", "bbc news", 4, "Winter storm hits rigs"));
    EXPECT_EQ(run_command(query_cmd(dated_, "--list-articles --since 2021-12-01 --until 2021-12-20")).out,
              line("d2", "2021-12-01T09:30:00", "BBC News", 2, "Airlines cut flights as travel slows") +
                  line("d3", "2021-12-20", "Reuters", 3, "Oil rebounds"));
    // Paged as hits are: all by default, -n and --offset when given.
    EXPECT_EQ(run_command(query_cmd(dated_, "--list-articles --offset 1 -n 2")).out,
              line("d2", "2021-12-01T09:30:00", "BBC News", 2, "Airlines cut flights as travel slows") +
                  line("d3", "2021-12-20", "Reuters", 3, "Oil rebounds"));
    EXPECT_EQ(run_command(query_cmd(dated_, "--list-articles --source reuters -n 1")).out,
              line("d1", "2021-11-30", "Reuters", 1, "Opec holds output steady"));
    EXPECT_EQ(run_command(query_cmd(dated_, "--list-articles --offset 6")).exit_code, 1);
    r = run_command(query_cmd(dated_, "--list-articles --since 2030-01-01"));
    EXPECT_EQ(r.exit_code, 1) << "none listed";
    EXPECT_EQ(r.out, "");
    // JSON: one object an article, null for what it lacks.
    const auto rows = parse_jsonl(run_command(query_cmd(dated_, "--list-articles --format json")).out);
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(rows[5], nlohmann::json::parse(R"({"article_id": "d6", "passages": 1, "date": null, "source": null,
        "location": ")" + where + R"(:6", "title": "A note"})"));
    EXPECT_EQ(rows[0].at("source"), "Reuters");
    // Sharded, and after a deletion and a replacement (the dead passages of
    // an index without a termlist are left out): the same list, less d3, d1
    // with its new text (four passages of a word each now: xx…, one., yy…, two.).
    for (const std::string layout : {"", "--threads 2 --shards 2"}) {
        trawl::test::TempDir tmp;
        const auto db = (tmp / "dated.idx").string();
        ASSERT_EQ(run_command(index_cmd(db, layout + " " + shell_quote(where))).exit_code, 0) << layout;
        EXPECT_EQ(run_command(query_cmd(db, "--list-articles")).out, all) << layout;
        ASSERT_EQ(run_command(index_cmd(db, "--delete d3")).exit_code, 0) << layout;
        const auto d1 = tmp / "d1.jsonl";
        std::ofstream(d1) << R"({"_id": "d1", "title": "Opec holds output steady", "text": ")" << std::string(60, 'x')
                          << " one. " << std::string(60, 'y') << R"( two.", "date": "2021-11-30", "source": "Reuters"})"
                          << "\n";
        ASSERT_EQ(run_command(index_cmd(db, "--passage-words 1 --overlap 0 " + shell_quote(d1.string()))).exit_code, 0)
            << layout;
        const auto listed = lines_of(run_command(query_cmd(db, "--list-articles")).out);
        ASSERT_EQ(listed.size(), 5u) << layout;
        EXPECT_EQ(listed[0], "d1\t4\t2021-11-30\tReuters\t" + d1.string() + ":1\tOpec holds output steady") << layout;
        EXPECT_EQ(listed[1].substr(0, 3), "d2\t") << layout;
        EXPECT_EQ(listed[2].substr(0, 3), "d4\t") << layout;
    }
    // It takes the place of a query.
    r = run_command(query_cmd(dated_, "--list-articles oil"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--list-articles takes the place of a query"), std::string::npos) << r.err;
    r = run_command(query_cmd(dated_, "--list-articles --format trec"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--format trec cannot be used with --list-articles"), std::string::npos) << r.err;
}

// The id column goes back to --delete-from as it is: "k\5" was listed as
// "k\x5c5" and the pipe deleted the article of that id instead, and a
// Latin-1 file name's id was missed (a review).
TEST_F(SearchExtrasTest, ListedIdsGoBackToDeleteFromExactly) {
    trawl::test::TempDir tmp;
    const auto db = (tmp / "k.idx").string();
    std::ofstream(tmp / "k.jsonl") << R"({"_id": "k\\5", "title": "Keep", "text": "Keep this gas.", "source": "keep"})"
                                   << "\n"
                                   << R"({"_id": "k\\x5c5", "title": "Other", "text": "Other gas.", "source": "b"})"
                                   << "\n"
                                   << R"({"_id": "k1", "title": "One", "text": "One more gas.", "source": "b"})"
                                   << "\n";
    fs::create_directories(tmp / "in" / "keep");
    std::ofstream(tmp / "in" / "keep" / "caf\xE9.txt") << "Cafe news\n\nThe gas cafe opened.\n";
    auto r =
        run_command(index_cmd(db, shell_quote((tmp / "k.jsonl").string()) + " " + shell_quote((tmp / "in").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // In a subshell: run_command() redirects the command's standard input.
    r = run_command("(" + query_cmd(db, "--list-articles --source keep") + " | cut -f1 | " +
                    index_cmd(db, "--delete-from -") + ")");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "deleted 2 articles (2 passages)\n") << r.err;
    EXPECT_EQ(r.err, "");
    std::vector<std::string> left;
    for (const auto& l : lines_of(run_command(query_cmd(db, "--list-articles")).out))
        left.push_back(l.substr(0, l.find('\t')));
    EXPECT_EQ(left, (std::vector<std::string>{"k1", "k\\x5c5"}));
    // An id with a tab (a file's name) cannot be a column as it is: shown as
    // \x09, and said so.
    fs::create_directories(tmp / "t");
    std::ofstream(tmp / "t" / "t\tab.txt") << "Tab news\n\nThe gas tab.\n";
    ASSERT_EQ(run_command(index_cmd(db, shell_quote((tmp / "t").string()))).exit_code, 0);
    r = run_command(query_cmd(db, "--list-articles --offset 2"));
    EXPECT_EQ(r.out.substr(0, r.out.find("\t\t")), "t\\x09ab\t1");
    EXPECT_EQ(r.err,
              "trawl-query: warning: article id 't\\x09ab' holds control bytes, shown as \\xHH: --format json gives it "
              "exactly\n");
    EXPECT_EQ(
        parse_jsonl(run_command(query_cmd(db, "--list-articles --format json --offset 2")).out).at(0).at("article_id"),
        "t\tab");
}

// A wildcard's part is named by its pattern, read from a string that lives
// as long as its name (ASan: a temporary was read after its end).
TEST_F(SearchExtrasTest, ExplainNamesAWildcardByItsPattern) {
    const auto r = news("--explain -n 1 'storm* -(gas coal)'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("storm* "), std::string::npos) << r.out;
}

TEST_F(SearchExtrasTest, ExplainPartsSumToTheScore) {
    // --expand: the query's own terms as weighed in the expanded query, and
    // the feedback terms' share as one part (the rest used to be put down to
    // "proximity", which was off: "proximity -12.635").
    for (const std::string extra : {"", "--proximity 1", "--expand", "--expand --article-weight 0"}) {
        const auto hits = parse_jsonl(news("--format json --explain -n 5 " + extra + " 'crude oil prices'").out);
        ASSERT_FALSE(hits.empty());
        for (const auto& h : hits) {
            double sum = 0;
            std::set<std::string> terms;
            for (const auto& t : h.at("explain").at("terms")) {
                sum += t.at("score").get<double>();
                terms.insert(t.at("term").get<std::string>());
                EXPECT_GT(t.at("score").get<double>(), 0);
            }
            const double prox = h.at("explain").at("proximity").get<double>();
            EXPECT_NEAR(sum + prox, h.at("score").get<double>(), 1e-9);
            if (extra.find("--proximity") == std::string::npos) EXPECT_NEAR(prox, 0.0, 1e-9) << extra << h.dump();
            else EXPECT_GE(prox, -1e-9);
            if (extra.find("--expand") != std::string::npos) {
                EXPECT_EQ(terms.count("(expansion)"), 1u) << extra << " " << h.dump();
            }
            EXPECT_TRUE(terms.count("crude") || terms.count("oil") || terms.count("price") ||
                        terms.count("(expansion)"))
                << h.dump();  // with --expand a hit may hold feedback terms only
        }
    }
    const auto text = news("--explain -n 1 '\"crude oil prices\"'").out;
    EXPECT_TRUE(std::regex_search(
        text,
        std::regex(
            R"(\n    score (\d+\.\d+) = crude \d+\.\d+ \+ oil \d+\.\d+ \+ prices \d+\.\d+ \+ \(article\) \d+\.\d+\n)")))
        << text;
}

// A query --explain cannot parse is the one error line, not appended to the
// "trawl-query: " its parsed form begins (found by review).
TEST_F(SearchExtrasTest, ExplainOfABadQueryIsOneErrorLine) {
    const auto r = news("--explain 'title:'");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.rfind("trawl-query: query error at column 1", 0), 0u) << r.err;
    EXPECT_EQ(r.err.find("trawl-query: trawl-query"), std::string::npos) << r.err;
}

TEST_F(SearchExtrasTest, LikeFindsSimilarArticlesButNotItselfOrItsDuplicates) {
    trawl::test::TempDir tmp;
    const auto corpus = tmp / "corpus";
    fs::create_directories(corpus);
    const std::string oil =
        "Crude oil prices climbed as tanker traffic slowed and refinery demand rose in the gulf.\n\n"
        "Traders said crude stocks fell while refiners bought cargoes for the winter.";
    std::ofstream(corpus / "a.txt") << "Crude climbs on refinery demand\n\n" << oil << "\n";
    std::ofstream(corpus / "b.txt") << "Crude climbs on refinery demand\n\n" << oil << "\n";  // a's exact duplicate
    std::ofstream(corpus / "c.txt") << "Refiners buy crude cargoes\n\nRefinery demand lifted crude oil as tanker "
                                       "cargoes were bought by refiners before winter.\n";
    std::ofstream(corpus / "d.txt") << "Storm closes harbour\n\nA storm closed the harbour and cancelled ferries.\n";
    std::ofstream(corpus / "e.txt") << "Cocoa crop review\n\nShowers helped the cocoa crop in the main zone.\n";
    const auto db = (tmp / "like.idx").string();
    ASSERT_EQ(run_command(index_cmd(db, "--dedup off " + shell_quote(corpus.string()))).exit_code, 0);
    const auto r = run_command(query_cmd(db, "--format json --like a"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto hits = parse_jsonl(r.out);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].at("article_id"), "c");
    for (const auto& h : hits) {
        EXPECT_NE(h.at("article_id"), "a");
        EXPECT_NE(h.at("article_id"), "b");
    }
    const auto missing = run_command(query_cmd(db, "--like nosuch"));
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("--like: no article 'nosuch' in the index"), std::string::npos) << missing.err;
    EXPECT_EQ(run_command(query_cmd(db, "--like a crude")).exit_code, 2);
}

}  // namespace

namespace {

// Articles that share words, so that --like of one finds all the others.
std::string like_index(const trawl::test::TempDir& tmp, int articles) {
    const auto corpus = tmp / "corpus";
    fs::create_directories(corpus);
    for (int i = 0; i < articles; ++i)
        std::ofstream(corpus / ("a" + std::to_string(i) + ".txt"))
            << "Refinery report " << i << "\n\nCrude oil refinery number " << i
            << " bought tanker cargoes as refinery demand rose in the gulf.\n";
    const auto db = (tmp / "like.idx").string();
    const auto r = run_command(index_cmd(db, "--dedup off " + shell_quote(corpus.string())));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return db;
}

}  // namespace

// -n 4294967295 wrapped around when the duplicates' slack was added (19 hits
// fetched, fewer than -n 100000 gave).
TEST(LikeOptions, TheLargestLimitIsNoSmallerThanALargeOne) {
    trawl::test::TempDir tmp;
    const auto db = like_index(tmp, 30);
    const auto large = run_command(query_cmd(db, "--format json -n 100000 --like a0"));
    const auto largest = run_command(query_cmd(db, "--format json -n 4294967295 --like a0"));
    ASSERT_EQ(large.exit_code, 0) << large.err;
    ASSERT_EQ(largest.exit_code, 0) << largest.err;
    EXPECT_EQ(parse_jsonl(large.out).size(), 29u);
    EXPECT_EQ(parse_jsonl(largest.out).size(), 29u);
    // A page past the last hit: matched all the same (exit status 0).
    const auto past = run_command(query_cmd(db, "--format json --offset 4294967295 -n 4294967295 --like a0"));
    EXPECT_EQ(past.exit_code, 0) << past.err;
    EXPECT_TRUE(parse_jsonl(past.out).empty()) << past.out;
}

// --like '' read queries from standard input and exited 1 without a word; the
// options --like does not use were ignored without a word. Each is a one-line
// usage error naming the option, exit status 2, nothing on stdout.
// A TREC run line holds a hit's ids and score: --explain, --timeline and
// --facets were dropped from it without a word (a red-team review).
TEST(TrecOptions, WhatARunLineCannotHoldIsAUsageError) {
    trawl::test::TempDir tmp;
    const auto db = like_index(tmp, 3);
    for (const auto& [args, option] : std::vector<std::pair<std::string, std::string>>{
             {"--explain", "--explain"}, {"--timeline", "--timeline"}, {"--facets source", "--facets"}}) {
        const auto r = run_command(query_cmd(db, "--format trec " + args + " crude"));
        EXPECT_EQ(r.exit_code, 2) << args;
        EXPECT_EQ(r.err, "trawl-query: " + option +
                             " cannot be used with --format trec (run lines hold ids and scores only; use text or "
                             "json) (see trawl-query --help)\n")
            << args;
        EXPECT_EQ(r.out, "") << args;
        EXPECT_EQ(run_command(query_cmd(db, "--format json -n 1 " + args + " crude")).exit_code, 0) << args;
    }
}

TEST(LikeOptions, AnEmptyIdAndOptionsLikeDoesNotUseAreUsageErrors) {
    trawl::test::TempDir tmp;
    const auto db = like_index(tmp, 3);
    auto expect_error = [&](const std::string& args, const std::string& message) {
        const auto r = run_command(query_cmd(db, args), "crude\n");
        EXPECT_EQ(r.exit_code, 2) << args;
        EXPECT_EQ(r.err, "trawl-query: " + message + " (see trawl-query --help)\n") << args;
        EXPECT_EQ(r.out, "") << args;
    };
    expect_error("--like ''", "--like needs an ARTICLE_ID");
    for (const auto& [args, option] : std::vector<std::pair<std::string, std::string>>{{"--explain", "--explain"},
                                                                                       {"--sort date", "--sort date"},
                                                                                       {"--timeline", "--timeline"},
                                                                                       {"--facets source", "--facets"},
                                                                                       {"--proximity 1", "--proximity"},
                                                                                       {"--expand", "--expand"}})
        expect_error("--like a0 " + args, option + " cannot be used with --like");
    // Their defaults, written out, are no conflict.
    const auto r = run_command(query_cmd(db, "--format json -n 2 --sort relevance --proximity 0 --like a0"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(parse_jsonl(r.out).size(), 2u) << r.out;
}
