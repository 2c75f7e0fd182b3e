// End-to-end: trawl-index --rebuild drops the dead passages that deleted and
// replaced articles leave (indexer/rebuild.hpp), keeps every live one, and a
// rebuild killed before or after its swap leaves a whole index that the next
// run tidies up.
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include <xapian.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::names_starting;
using trawl::test::parse_jsonl;
using trawl::test::parse_summaries;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

const std::string kNews = TRAWL_FIXTURES_DIR "/e2e/news";

// An index of the news fixture with one article replaced (a second run over
// a copy whose crude-oil story was rewritten) and one deleted.
std::string index_with_dead_passages(const TempDir& tmp) {
    const std::string db = (tmp / "news.idx").string();
    EXPECT_EQ(run_command(index_cmd(db, "--quiet --threads 1 " + shell_quote(kNews))).exit_code, 0);
    const auto copy = tmp / "news";
    fs::copy(kNews, copy, fs::copy_options::recursive);
    std::ofstream(copy / "markets" / "crude-oil.txt", std::ios::trunc)
        << "Crude oil prices slip as tankers queue\n\nCrude oil prices fell on Wednesday as tankers queued "
           "outside the harbour. Traders said the refiners had bought enough.\n";
    EXPECT_EQ(run_command(index_cmd(db, "--quiet " + shell_quote(copy.string()))).exit_code, 0);
    EXPECT_EQ(run_command(index_cmd(db, "--quiet --delete weather/storm-warning")).exit_code, 0);
    return db;
}

// The passages a query finds (id and text), and its counts.
struct Found {
    std::set<std::string> passages;
    std::string counts;
    bool operator==(const Found&) const = default;
};
Found found(const std::string& db, const std::string& query) {
    auto r = run_command(query_cmd(db, "-n 1000 --format json " + shell_quote(query)));
    Found f;
    for (const auto& hit : parse_jsonl(r.out))
        f.passages.insert(hit.at("passage_id").get<std::string>() + " " + hit.at("text").get<std::string>());
    EXPECT_EQ(r.exit_code, f.passages.empty() ? 1 : 0) << query << ": " << r.err;  // 1: no hits
    for (const auto& s : parse_summaries(r.out)) f.counts = s.at("passages").dump() + " " + s.at("articles").dump();
    return f;
}

const std::vector<std::string> kQueries = {"harbour", "oil prices", "\"crude oil\"",
                                           "storm",   "tankers",    "freight rates"};

std::vector<Found> answers(const std::string& db) {
    std::vector<Found> out;
    for (const auto& q : kQueries) out.push_back(found(db, q));
    return out;
}

}  // namespace

TEST(RebuildCli, DropsTheDeadPassagesAndKeepsWhatSearchesFind) {
    TempDir tmp;
    const auto db = index_with_dead_passages(tmp);
    const auto before = answers(db);
    ASSERT_FALSE(before[4].passages.empty()) << "the replacement is searchable";
    ASSERT_TRUE(before[3].passages.empty()) << "the deleted article is not";
    const auto docs_before = Xapian::Database(db).get_doccount();

    auto r = run_command(index_cmd(db, "--rebuild"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("rebuilt " + db + " without "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" dead passages: kept 5 articles as "), std::string::npos) << r.out;
    EXPECT_EQ(answers(db), before);
    const auto docs_after = Xapian::Database(db).get_doccount();
    EXPECT_LT(docs_after, docs_before);
    EXPECT_TRUE(Xapian::Database(db).get_metadata("trawl.deleted").empty());
    EXPECT_TRUE(names_starting(tmp.path(), ".news.idx.trawl-").empty());

    r = run_command(index_cmd(db, "--rebuild"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "nothing to rebuild: " + db + " has no dead passages\n");
    EXPECT_EQ(Xapian::Database(db).get_doccount(), docs_after);
}

TEST(RebuildCli, TakesNoInputsAndNeedsAnIndex) {
    TempDir tmp;
    const auto db = (tmp / "news.idx").string();
    auto r = run_command(index_cmd(db, "--rebuild " + shell_quote(kNews)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--rebuild takes no input paths"), std::string::npos) << r.err;
    r = run_command(index_cmd(db, "--rebuild"));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_FALSE(fs::exists(db)) << "a rebuild creates no index";
}

#ifdef TRAWL_FAULT_INJECTION
TEST(RebuildCli, KilledBeforeItsSwapLeavesTheIndexAsItWas) {
    TempDir tmp;
    const auto db = index_with_dead_passages(tmp);
    const auto before = answers(db);
    const auto docs = Xapian::Database(db).get_doccount();
    auto r = run_command("TRAWL_FAULT_AT=rebuild-before-swap " + index_cmd(db, "--rebuild"));
    EXPECT_EQ(r.exit_code, 128 + 9) << r.err;
    EXPECT_EQ(names_starting(tmp.path(), ".news.idx.trawl-rebuild-").size(), 1u);
    EXPECT_EQ(Xapian::Database(db).get_doccount(), docs);
    EXPECT_EQ(answers(db), before);
    // Run again: the leftover goes, and the rebuild is done.
    r = run_command(index_cmd(db, "--rebuild"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(names_starting(tmp.path(), ".news.idx.trawl-").empty());
    EXPECT_LT(Xapian::Database(db).get_doccount(), docs);
    EXPECT_EQ(answers(db), before);
}

TEST(RebuildCli, KilledAfterItsSwapLeavesTheRebuiltIndex) {
    TempDir tmp;
    const auto db = index_with_dead_passages(tmp);
    const auto before = answers(db);
    const auto docs = Xapian::Database(db).get_doccount();
    auto r = run_command("TRAWL_FAULT_AT=rebuild-after-swap " + index_cmd(db, "--rebuild"));
    EXPECT_EQ(r.exit_code, 128 + 9) << r.err;
    EXPECT_EQ(names_starting(tmp.path(), ".news.idx.trawl-rebuild-").size(), 1u);
    EXPECT_LT(Xapian::Database(db).get_doccount(), docs);
    EXPECT_EQ(answers(db), before);
    r = run_command(index_cmd(db, "--rebuild"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "nothing to rebuild: " + db + " has no dead passages\n");
    EXPECT_TRUE(names_starting(tmp.path(), ".news.idx.trawl-").empty());
}
#endif
