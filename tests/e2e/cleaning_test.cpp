// End-to-end tests of corpus cleaning: trawl-index drops learned and built-in
// boilerplate and skips duplicate articles; trawl-query no longer finds them.
// Fixtures: tests/fixtures/e2e/cleaning (a site with a repeated footer, one
// exact and one near duplicate) and tests/fixtures/e2e/scraped (the seed
// article's shape, ending in a comment form); ../shared/data/seed-article when present.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::CommandResult;
using trawl::test::lines_of;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kSite = TRAWL_FIXTURES_DIR "/e2e/cleaning";
const std::string kScraped = TRAWL_FIXTURES_DIR "/e2e/scraped";

struct Indexed {
    trawl::test::TempDir tmp;
    std::string db = (tmp / "clean.idx").string();
    CommandResult run;

    CommandResult index(const std::string& args) {
        return run_command(std::string(TRAWL_INDEX_BIN) + " --db " + shell_quote(db) + " " + args);
    }
    CommandResult query(const std::string& q, const std::string& extra = "") const {
        return run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(db) + " --format json -n 100 " +
                           extra + " " + shell_quote(q));
    }
    std::set<std::string> articles(const std::string& q) const {
        std::set<std::string> ids;
        auto r = query(q, "--by-article");
        EXPECT_NE(r.exit_code, 2) << r.err;
        for (const auto& h : trawl::test::parse_jsonl(r.out)) ids.insert(h.at("article_id").get<std::string>());
        return ids;
    }
};

std::string line_starting(const std::string& out, const std::string& prefix) {
    for (const auto& l : lines_of(out))
        if (l.rfind(prefix, 0) == 0) return l;
    return "";
}

const std::string kFooterWord = "zanzibarcast";  // only in the repeated footer
const std::set<std::string> kFooterArticles = {"harbourside/01-council-budget",     "harbourside/02-lifeboat-crew",
                                               "harbourside/03-ferry-timetable",    "harbourside/04-fish-market",
                                               "harbourside/05-lighthouse-tours",   "harbourside/06-regatta",
                                               "harbourside/07-council-budget-copy"};

}  // namespace

TEST(Cleaning, DefaultDropsTheRepeatedFooterAndTheExactDuplicate) {
    Indexed ix;
    auto r = ix.index(shell_quote(kSite));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 7 articles"), std::string::npos) << r.out;
    EXPECT_EQ(line_starting(r.out, "removed "),
              "removed 6 boilerplate lines from 6 articles (1 line learned from 8 articles, plus the built-in list; "
              "top: \"Follow the Harbourside Gazette on Zanzibarcast for daily updates.\" \xC3\x97"
              "6)");
    EXPECT_EQ(line_starting(r.out, "duplicates: "),
              "duplicates: 1 exact (skipped; e.g. harbourside/07-council-budget-copy = harbourside/01-council-budget "
              "(exact))");
    EXPECT_NE(r.out.find("skipped 0 records"), std::string::npos) << r.out;

    auto footer = ix.query(kFooterWord);
    EXPECT_EQ(footer.exit_code, 1) << footer.out;
    EXPECT_TRUE(trawl::test::parse_jsonl(footer.out).empty()) << footer.out;
    EXPECT_EQ(ix.articles("council budget mooring"), std::set<std::string>{"harbourside/01-council-budget"});
    // Default is exact: the near duplicate (other headline, other footer) stays.
    EXPECT_EQ(ix.articles("ferry timetable"),
              (std::set<std::string>{"harbourside/03-ferry-timetable", "harbourside/08-ferry-timetable-republished"}));
}

TEST(Cleaning, NearModeAlsoSkipsTheRepublishedStory) {
    Indexed ix;
    auto r = ix.index("--dedup near " + shell_quote(kSite));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 6 articles"), std::string::npos) << r.out;
    const auto dup = line_starting(r.out, "duplicates: ");
    EXPECT_EQ(dup.rfind("duplicates: 1 exact, 1 near (skipped; e.g. ", 0), 0u) << dup;
    EXPECT_NE(dup.find("harbourside/08-ferry-timetable-republished = harbourside/03-ferry-timetable (near, 0.9"),
              std::string::npos)
        << dup;
    EXPECT_EQ(ix.articles("ferry timetable"), std::set<std::string>{"harbourside/03-ferry-timetable"});
    EXPECT_EQ(ix.query("reprinted").exit_code, 1) << "the skipped copy's own words are gone";
}

TEST(Cleaning, KeepBoilerplateAndDedupOffKeepEverything) {
    Indexed ix;
    auto r = ix.index("--keep-boilerplate --dedup off " + shell_quote(kSite));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 8 articles"), std::string::npos) << r.out;
    EXPECT_EQ(line_starting(r.out, "boilerplate "), "boilerplate kept (--keep-boilerplate)");
    EXPECT_EQ(line_starting(r.out, "duplicates: "), "duplicates: not checked (--dedup off)");
    EXPECT_EQ(ix.articles(kFooterWord), kFooterArticles);
}

TEST(Cleaning, ReindexIsAReplaceAndEarlierRunsAreChecked) {
    Indexed ix;
    ASSERT_EQ(ix.index(shell_quote(kSite)).exit_code, 0);
    // Same ids, same content again: skipped as unchanged, the duplicate is the same one as before.
    auto again = ix.index(shell_quote(kSite));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("indexed 0 articles"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("; 7 unchanged since an earlier run indexed them (skipped)"), std::string::npos)
        << again.out;
    EXPECT_EQ(line_starting(again.out, "duplicates: ").rfind("duplicates: 1 exact (skipped", 0), 0u) << again.out;

    // A copy under a new id in a later run is found through the index's content-hash term.
    // (--keep-boilerplate: a run of one file learns nothing, so both runs keep the footer.)
    Indexed kept;
    ASSERT_EQ(kept.index("--keep-boilerplate " + shell_quote(kSite)).exit_code, 0);
    auto later = kept.index("--keep-boilerplate " + shell_quote(kSite + "/harbourside/07-council-budget-copy.txt"));
    ASSERT_EQ(later.exit_code, 0) << later.err;
    EXPECT_NE(later.out.find("indexed 0 articles"), std::string::npos) << later.out;
    EXPECT_EQ(line_starting(later.out, "duplicates: "),
              "duplicates: 1 exact (1 of articles already in the index) (skipped; e.g. 07-council-budget-copy = "
              "harbourside/01-council-budget (exact, already indexed))");
}

// A JSON Lines file of (id, text) records in `dir`.
std::string write_jsonl(const fs::path& dir, const std::string& name,
                        const std::vector<std::pair<std::string, std::string>>& records) {
    const auto path = dir / name;
    std::ofstream out(path);
    for (const auto& [id, text] : records) out << nlohmann::json{{"id", id}, {"text", text}}.dump() << "\n";
    return path.string();
}

// "passage_id score" of every hit of `q`.
std::vector<std::string> hits(const Indexed& ix, const std::string& q) {
    std::vector<std::string> out;
    for (const auto& h : trawl::test::parse_jsonl(ix.query(q).out))
        if (h.contains("passage_id")) out.push_back(h.at("passage_id").get<std::string>() + " " + h.at("score").dump());
    return out;
}

const std::string kFerries = "The harbour ferries run every hour from the old pier until the autumn storms begin.";
const std::string kBudget = "The council approved a new budget for the lifeboat station and the lighthouse.";

// An article of an earlier run whose id this run replaces is no original: a
// record of another id with its old text is indexed, whichever comes first.
// (It was skipped as a duplicate of text that the replace then killed: the
// text was in neither article.)
TEST(Cleaning, TextThatThisRunReplacesIsNoOriginalOfADuplicate) {
    for (const bool replace_first : {true, false}) {
        Indexed ix;
        ASSERT_EQ(ix.index(shell_quote(write_jsonl(ix.tmp.path(), "a.jsonl", {{"y", kFerries}}))).exit_code, 0);
        std::vector<std::pair<std::string, std::string>> second = {{"y", kBudget}, {"z", kFerries}};
        if (!replace_first) std::swap(second[0], second[1]);
        auto r = ix.index(shell_quote(write_jsonl(ix.tmp.path(), "b.jsonl", second)));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("indexed 2 articles"), std::string::npos) << r.out;
        EXPECT_EQ(ix.articles("ferries"), std::set<std::string>{"z"}) << "replace first: " << replace_first;
        EXPECT_EQ(ix.articles("lifeboat"), std::set<std::string>{"y"});
    }
}

// An article this run skips as a duplicate of another of its articles
// loses the version an earlier run indexed: the index then holds what a
// fresh run over the same input holds (before, "x" stayed beside its
// duplicate "y"). The same mechanism makes a killed --shards run, whose
// shards committed different parts of the input, resume to the
// uninterrupted index.
TEST(Cleaning, AnArticleThisRunSkipsAsADuplicateLosesItsEarlierVersion) {
    for (const std::string layout : {"--threads 1", "--shards 2 --threads 2"}) {
        Indexed ix;
        ASSERT_EQ(
            ix.index(layout + " " + shell_quote(write_jsonl(ix.tmp.path(), "a.jsonl", {{"x", kFerries}}))).exit_code,
            0);
        const auto second = write_jsonl(ix.tmp.path(), "b.jsonl", {{"y", kFerries}, {"x", kFerries}, {"z", kBudget}});
        auto r = ix.index(layout + " " + shell_quote(second));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("(1 earlier version removed as a duplicate)"), std::string::npos) << layout << "\n"
                                                                                               << r.out;
        EXPECT_EQ(ix.articles("ferries"), std::set<std::string>{"y"}) << layout;
        EXPECT_EQ(ix.articles("lifeboat"), std::set<std::string>{"z"}) << layout;
        // A fresh run over the second input holds the same.
        Indexed fresh;
        ASSERT_EQ(fresh.index(layout + " " + shell_quote(second)).exit_code, 0);
        EXPECT_EQ(fresh.articles("ferries"), std::set<std::string>{"y"}) << layout;
        // And running it again changes nothing.
        r = ix.index(layout + " " + shell_quote(second));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.out.find("removed as duplicates"), std::string::npos) << r.out;
        EXPECT_EQ(ix.articles("ferries"), std::set<std::string>{"y"}) << layout;
    }
}

// An article whose new record duplicates an article already in the index
// (not one of this run) loses its earlier version, as when the original is
// in the same run: its id's current content is a duplicate, and a fresh run
// does not find its old text (found by a red team: feed:2 "bisons" stayed
// searchable after feed:2 became a copy of feed:3).
TEST(Cleaning, ADuplicateOfAnIndexedArticleLosesItsEarlierVersion) {
    for (const std::string layout : {"--threads 1", "--shards 2 --threads 2"}) {
        Indexed ix;
        const auto feed = ix.tmp / "feed.csv";
        std::ofstream(feed) << "title,text\nA,aardvarks\nB,bisons\nC,camels\n";
        ASSERT_EQ(ix.index(layout + " " + shell_quote(feed.string())).exit_code, 0);
        ASSERT_EQ(ix.articles("bisons"), std::set<std::string>{"feed:2"});
        std::ofstream(feed) << "title,text\nA,aardvarks\nC,camels\n";
        auto r = ix.index(layout + " " + shell_quote(feed.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("feed:2 = feed:3 (exact, already indexed)"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("(1 earlier version removed as a duplicate)"), std::string::npos) << r.out;
        EXPECT_EQ(ix.query("bisons").exit_code, 1) << layout;
        EXPECT_EQ(ix.articles("camels"), std::set<std::string>{"feed:3"}) << layout << ": the original stays";
    }
}

// Re-running over one of two twins that an earlier run indexed with --dedup
// off leaves both: the article is unchanged, not a duplicate of its twin.
// (Found by review: x was dropped when a later run re-indexed x alone.)
TEST(Cleaning, AnUnchangedTwinOfAnIndexedArticleStays) {
    Indexed ix;
    ASSERT_EQ(ix.index("--dedup off " +
                       shell_quote(write_jsonl(ix.tmp.path(), "xy.jsonl", {{"x", kFerries}, {"y", kFerries}})))
                  .exit_code,
              0);
    ASSERT_EQ(ix.articles("ferries"), (std::set<std::string>{"x", "y"}));
    auto r = ix.index(shell_quote(write_jsonl(ix.tmp.path(), "x.jsonl", {{"x", kFerries}})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("removed as duplicates"), std::string::npos) << r.out;
    EXPECT_EQ(ix.articles("ferries"), (std::set<std::string>{"x", "y"}));
}

// One of two twins indexed with --dedup off, re-indexed alone with only its
// date changed, replaces its earlier version: its content is already its
// own, as when the date is unchanged (the test above), and the date decides
// only whether it is unchanged. It was dropped as a duplicate of its twin,
// and its earlier version removed with it. With both twins in the run, the
// later is a duplicate of the earlier, whatever the dates, as in a fresh run.
TEST(Cleaning, ATwinWhoseDateAloneChangedIsReplacedNotDropped) {
    for (const std::string layout : {"--threads 1", "--shards 2 --threads 2"}) {
        Indexed ix;
        const auto write = [&](const std::string& name, const std::vector<std::pair<std::string, std::string>>& recs) {
            const auto path = ix.tmp / name;
            std::ofstream out(path);
            for (const auto& [id, date] : recs)
                out << nlohmann::json{{"id", id}, {"title", "Ferries"}, {"text", kFerries}, {"date", date}}.dump()
                    << "\n";
            return shell_quote(path.string());
        };
        ASSERT_EQ(ix.index(layout + " --dedup off " + write("ab.jsonl", {{"a", "2022-01-03"}, {"b", "2022-01-03"}}))
                      .exit_code,
                  0);
        ASSERT_EQ(ix.articles("ferries"), (std::set<std::string>{"a", "b"}));
        auto r = ix.index(layout + " " + write("b.jsonl", {{"b", "2022-02-05"}}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("indexed 1 article"), std::string::npos) << layout << "\n" << r.out;
        EXPECT_EQ(r.out.find("removed as duplicates"), std::string::npos) << layout << "\n" << r.out;
        EXPECT_NE(r.out.find("duplicates: 0 exact"), std::string::npos) << layout << "\n" << r.out;
        EXPECT_EQ(ix.articles("ferries"), (std::set<std::string>{"a", "b"})) << layout;
        std::map<std::string, std::string> dates;
        for (const auto& h : trawl::test::parse_jsonl(ix.query("ferries").out))
            dates[h.at("article_id").get<std::string>()] = h.at("date").get<std::string>();
        EXPECT_EQ(dates, (std::map<std::string, std::string>{{"a", "2022-01-03"}, {"b", "2022-02-05"}})) << layout;
        // The same record again is unchanged.
        r = ix.index(layout + " " + write("b.jsonl", {{"b", "2022-02-05"}}));
        EXPECT_NE(r.out.find("1 unchanged since an earlier run"), std::string::npos) << r.out;
        // Both twins in one run: the later is a duplicate of the earlier (and its earlier version goes).
        r = ix.index(layout + " " + write("ab2.jsonl", {{"a", "2022-01-03"}, {"b", "2022-03-07"}}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("b = a (exact)"), std::string::npos) << layout << "\n" << r.out;
        EXPECT_EQ(ix.articles("ferries"), std::set<std::string>{"a"}) << layout;
    }
}

// A record whose date or source alone changed replaces the article: the
// content hash folds title and text only, and the re-run counted it
// "unchanged" and kept the old date (found by a red team).
TEST(Cleaning, ANewDateOrSourceReplacesTheArticle) {
    struct Change {
        std::string field, before, after;
    };
    for (const std::string layout : {"--threads 1", "--shards 2 --threads 2"}) {
        for (const auto& c : {Change{"date", "1999-12-31", "2024-06-01"}, Change{"source", "Old Wire", "New Wire"}}) {
            Indexed ix;
            const auto path = ix.tmp / "m.jsonl";
            const auto write = [&](const std::string& value) {
                std::ofstream(path)
                    << nlohmann::json{{"id", "m2"}, {"title", "T"}, {"text", "about tapirs"}, {c.field, value}}.dump()
                    << "\n";
            };
            write(c.before);
            ASSERT_EQ(ix.index(layout + " " + shell_quote(path.string())).exit_code, 0);
            write(c.after);
            auto r = ix.index(layout + " " + shell_quote(path.string()));
            ASSERT_EQ(r.exit_code, 0) << r.err;
            EXPECT_NE(r.out.find("indexed 1 article"), std::string::npos) << c.field << " " << layout << "\n" << r.out;
            EXPECT_EQ(r.out.find("unchanged"), std::string::npos) << r.out;
            const auto found = trawl::test::parse_jsonl(ix.query("tapirs").out);
            ASSERT_EQ(found.size(), 1u) << c.field << " " << layout;
            EXPECT_EQ(found[0].at(c.field).get<std::string>(), c.after) << layout;
            // The same record again is unchanged.
            r = ix.index(layout + " " + shell_quote(path.string()));
            EXPECT_NE(r.out.find("1 unchanged since an earlier run"), std::string::npos) << r.out;
        }
    }
}

// Re-running a command leaves the index as it is, with --dedup off and
// --keep-boilerplate too, and when an id comes twice in the input (each run
// skips the earlier record: it used to index it again, replacing the later
// one, then index that again, two dead versions a run).
TEST(Cleaning, ReRunningACommandChangesNothing) {
    for (const std::string args : {"", "--dedup off", "--keep-boilerplate", "--keep-boilerplate --dedup off"}) {
        Indexed ix;
        const auto input = write_jsonl(ix.tmp.path(), "in.jsonl",
                                       {{"x", kBudget}, {"y", kFerries}, {"x", kBudget + " The mayor said so."}});
        auto first = ix.index(args + " " + shell_quote(input));
        ASSERT_EQ(first.exit_code, 0) << first.err;
        EXPECT_NE(first.out.find("indexed 2 articles"), std::string::npos) << args << "\n" << first.out;
        EXPECT_NE(
            first.err.find("in.jsonl:1: warning: duplicate id (article x: a later record of this run replaces it)"),
            std::string::npos)
            << args << "\n"
            << first.err;
        const auto passages = Xapian::Database(ix.db).get_doccount();
        const auto mayor = hits(ix, "mayor");
        ASSERT_EQ(mayor.size(), 1u) << args;
        auto again = ix.index(args + " " + shell_quote(input));
        ASSERT_EQ(again.exit_code, 0) << again.err;
        EXPECT_NE(again.out.find("indexed 0 articles"), std::string::npos) << args << "\n" << again.out;
        EXPECT_NE(again.out.find("2 unchanged since an earlier run indexed them (skipped)"), std::string::npos)
            << args << "\n"
            << again.out;
        EXPECT_EQ(Xapian::Database(ix.db).get_doccount(), passages) << args;
        EXPECT_EQ(hits(ix, "mayor"), mayor) << args << ": the same hit, the same score";
    }
}

// With --dedup off, two ids of the same text are both indexed; re-running
// the command found only one of them unchanged (the content lookup named the
// other) and replaced the second at every run, growing the index by dead
// passages each time (found by review: 312 Reuters articles a run).
TEST(Cleaning, ReRunningWithDedupOffLeavesTwinsUnchanged) {
    for (const std::string args : {"--dedup off", "--keep-boilerplate --dedup off"}) {
        Indexed ix;
        const auto input = write_jsonl(ix.tmp.path(), "in.jsonl", {{"y", kFerries}, {"w", kFerries}, {"z", kBudget}});
        auto first = ix.index(args + " " + shell_quote(input));
        ASSERT_EQ(first.exit_code, 0) << first.err;
        EXPECT_NE(first.out.find("indexed 3 articles"), std::string::npos) << args << "\n" << first.out;
        const auto passages = Xapian::Database(ix.db).get_doccount();
        auto again = ix.index(args + " " + shell_quote(input));
        ASSERT_EQ(again.exit_code, 0) << again.err;
        EXPECT_NE(again.out.find("indexed 0 articles"), std::string::npos) << args << "\n" << again.out;
        EXPECT_NE(again.out.find("3 unchanged since an earlier run indexed them (skipped)"), std::string::npos)
            << args << "\n"
            << again.out;
        EXPECT_EQ(Xapian::Database(ix.db).get_doccount(), passages) << args;
        EXPECT_TRUE(Xapian::Database(ix.db).get_metadata("trawl.deleted").empty()) << args;
        EXPECT_EQ(ix.articles("ferries"), (std::set<std::string>{"w", "y"})) << args;
    }
}

TEST(Cleaning, ScrapedArticleLosesItsCommentForm) {
    Indexed ix;
    auto r = ix.index(shell_quote(kScraped));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(line_starting(r.out, "removed "),
              "removed 2 boilerplate lines from 1 article (0 lines learned from 1 article, plus the built-in list; "
              "top: \"Please enter your comment!\" \xC3\x97"
              "1, \"Please enter your name here\" \xC3\x97"
              "1)");
    EXPECT_EQ(ix.query("comment").exit_code, 1);
    EXPECT_EQ(ix.query("\"enter your name\"").exit_code, 1);
    auto hits = ix.query("opposition minister summer");
    ASSERT_EQ(hits.exit_code, 0) << hits.err;
    for (const auto& h : trawl::test::parse_jsonl(hits.out)) {
        const std::string line = h.dump();
        EXPECT_EQ(h.at("text").get<std::string>().find("Please enter"), std::string::npos) << line;
        EXPECT_EQ(h.at("snippet").get<std::string>().find("Please enter"), std::string::npos) << line;
    }

    Indexed kept;
    ASSERT_EQ(kept.index("--keep-boilerplate " + shell_quote(kScraped)).exit_code, 0);
    EXPECT_EQ(kept.articles("comment"), std::set<std::string>{"article"});
}

TEST(Cleaning, SeedArticleLosesItsCommentForm) {
    const fs::path seed = fs::path(TRAWL_SHARED_DATA_DIR) / "seed-article";
    if (!fs::exists(seed / "article.txt"))
        GTEST_SKIP() << "shared data not found: " << seed << " (skipping seed-article cleaning test)";
    Indexed ix;
    auto r = ix.index(shell_quote(seed.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(line_starting(r.out, "removed ").find("removed 2 boilerplate lines from 1 article"), std::string::npos)
        << r.out;
    EXPECT_EQ(ix.query("comment").exit_code, 1);
    auto hits = ix.query("January diplomacy");  // the last paragraph, just before the comment form
    ASSERT_EQ(hits.exit_code, 0) << hits.err;
    for (const auto& h : trawl::test::parse_jsonl(hits.out)) {
        const std::string line = h.dump();
        EXPECT_EQ(h.at("text").get<std::string>().find("Please enter"), std::string::npos) << line;
        EXPECT_EQ(h.at("snippet").get<std::string>().find("Please enter"), std::string::npos) << line;
    }

    Indexed kept;
    ASSERT_EQ(kept.index("--keep-boilerplate " + shell_quote(seed.string())).exit_code, 0);
    auto c = kept.query("comment");
    ASSERT_EQ(c.exit_code, 0) << c.err;
    EXPECT_NE(c.out.find("Please enter your comment!"), std::string::npos) << c.out;
}
