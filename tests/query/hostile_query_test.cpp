// Searcher reliability: hostile query strings give a clear error with a column
// or a sane result, never a crash; a reader whose index is rewritten under it
// reopens and answers from the new committed state.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <streambuf>
#include <thread>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "indexer/delete_articles.hpp"
#include "indexer/format/schema.hpp"
#include "query/printer.hpp"
#include "query/query_check.hpp"
#include "query/repl.hpp"
#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

std::vector<corpus::Article> articles(const std::string& word, int n) {
    std::vector<corpus::Article> out;
    for (int i = 0; i < n; ++i)
        out.push_back(article("a" + std::to_string(i), "Title " + std::to_string(i),
                              "The " + word + " story number " + std::to_string(i) +
                                  " is here. Another sentence about " + word + " follows."));
    return out;
}

class HostileQueryTest : public ::testing::Test {
protected:
    void SetUp() override { test::make_index(tmp_.str(), articles("harbour", 20), 8, 2); }
    query::Searcher searcher() {
        query::SearchOptions o;
        o.dbs = {tmp_.str()};
        return query::Searcher(o);
    }
    // "column: message" of the QuerySyntaxError, "hits N" otherwise.
    std::string outcome(const std::string& q) {
        auto s = searcher();
        try {
            return "hits " + std::to_string(s.search("q", q).hits.size());
        } catch (const QuerySyntaxError& e) {
            const std::string what = e.what();
            return std::to_string(e.pos) + ": " + what.substr(what.find(": ") + 2);
        }
    }
    test::TempDir tmp_;
};

}  // namespace

TEST_F(HostileQueryTest, MalformedQueriesAreErrorsWithAColumn) {
    EXPECT_EQ(outcome("\"harbour story"), "1: unbalanced double quote");
    EXPECT_EQ(outcome("harbour \""), "9: unbalanced double quote");
    EXPECT_EQ(outcome("AND"), "1: AND needs a term on its left");
    EXPECT_EQ(outcome("OR"), "1: OR needs a term on its left");
    EXPECT_EQ(outcome("harbour NOT"), "9: NOT needs a term on its right");
    EXPECT_EQ(outcome("NEAR"), "1: NEAR needs a term on its left");
    EXPECT_EQ(outcome("harbour NEAR/999999999 story").substr(0, 3), "9: ");
    EXPECT_EQ(outcome("harbour\x01story"), "8: control character (code 1) not allowed");
    EXPECT_EQ(outcome("harbour \xFF\xFE story"), "9: invalid UTF-8 (byte 255)");
    EXPECT_EQ(outcome("caf\xC3"), "4: invalid UTF-8 (byte 195)");
}

// They had no hits, as if the words were not in the index.
TEST_F(HostileQueryTest, EmptyBlankAndWordlessQueriesAreErrors) {
    EXPECT_EQ(outcome(""), "1: empty query: give a word to search for");
    EXPECT_EQ(outcome("   \t "), "1: empty query: give a word to search for");
    EXPECT_EQ(outcome(" ?! "), "2: nothing to search for in '?!': no word, only punctuation or symbols");
    EXPECT_EQ(outcome("-harbour"),
              "1: nothing to search for: -words only leave passages out; add a word to find, as in opec -iran");
    EXPECT_EQ(outcome("harbour -harbour"), "hits 0");
    EXPECT_EQ(outcome("? harbour"), "hits 10");
}

// What Xapian drops leaves a query of nothing: an error with its column.
TEST_F(HostileQueryTest, QueriesOfNothingButSignsGroupsOrQuotesAreErrors) {
    EXPECT_EQ(outcome("()"), "1: empty parentheses: put a term between them");
    EXPECT_EQ(outcome("\"\""), "1: empty phrase: put words between the double quotes");
    EXPECT_EQ(outcome("+"), "1: '+' needs a term right after it (no space), as in +opec or -iran");
}

TEST_F(HostileQueryTest, TenThousandTermsIsAnErrorNamingTheLimit) {
    std::string q;
    for (int i = 0; i < 10000; ++i) q += "harbour" + std::to_string(i) + " ";
    const std::size_t col = 1 + q.find("harbour" + std::to_string(query::kMaxQueryWords) + " ");
    EXPECT_EQ(outcome(q), std::to_string(col) + ": more than 1024 words (the limit for one query)");
    // Up to the limit is fine, operators not counted.
    std::string ok = "harbour";
    for (std::size_t i = 1; i < query::kMaxQueryWords; ++i) ok += " OR w" + std::to_string(i);
    EXPECT_EQ(outcome(ok), "hits 10");
}

TEST_F(HostileQueryTest, HugeButValidNearDistanceAndLongPhraseAreSane) {
    EXPECT_EQ(outcome("harbour NEAR/1000 story"), "hits 10");
    std::string phrase = "\"";
    for (int i = 0; i < 500; ++i) phrase += "harbour story ";
    EXPECT_EQ(outcome(phrase + "\""), "hits 0");
}

TEST_F(HostileQueryTest, ReaderSeesTheNewStateAfterTheIndexIsRewrittenUnderIt) {
    test::make_index(tmp_.str(), articles("harbour", 400), 8, 2);
    auto s = searcher();
    ASSERT_EQ(s.search("q", "harbour").hits.size(), 10u);
    // A writer rewrites every article, committing several times: the blocks the
    // searcher's revision used are reused (Xapian's DatabaseModifiedError).
    for (int round = 0; round < 6; ++round)
        test::make_index(tmp_.str(), articles("lighthouse" + std::to_string(round), 400), 8, 2);
    auto rs = s.search("q", "lighthouse5");
    ASSERT_EQ(rs.hits.size(), 10u);
    EXPECT_NE(rs.hits[0].text.find("lighthouse5"), std::string::npos) << rs.hits[0].text;
    EXPECT_TRUE(s.search("q", "harbour").hits.empty());
}

// A writer committing while readers open the index and reopen it: the
// reads that opening and reopening make (format, positional words,
// deletions...) met a discarded revision now and then, and the reader
// called a healthy index damaged ("a table block is of a revision the index
// never committed") or ended with Xapian's own DatabaseModifiedError. They
// read again at the latest commit; only a clear "try again" may remain
// (the writer here commits every tenth of a millisecond or so, without
// syncing, so that commits land under a reader's reads; the code before
// failed in every run).
TEST_F(HostileQueryTest, ReadersOpeningWhileAWriterCommitsNeverCallTheIndexDamaged) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    // Instrumented, the reader falls further behind this writer than any
    // trawl-index run's (a commit every tenth of a millisecond, unsynced):
    // it then still meets, now and then, a commit in each of its five
    // attempts, or a block read half rewritten that glass cannot tell from
    // damage (bench/RESULTS.md, thirty-third session). A timing stress, run
    // in the plain build only.
    GTEST_SKIP() << "a timing stress: run in the plain (RelWithDebInfo) build";
#endif
    std::atomic<bool> stop{false};
    std::atomic<int> commits{0};
    std::thread writer([&] {
        Xapian::WritableDatabase db(tmp_.str(), Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST | Xapian::DB_NO_SYNC);
        for (int i = 0; !stop; ++i) {
            db.set_metadata("test.churn", std::string(8000, static_cast<char>('a' + i % 26)));
            db.commit();
            ++commits;
            // A breath between commits: back to back, on a machine loaded
            // beyond its cores, a reader now and then met a read at the
            // latest commit that glass reported as discarded or corrupt
            // (2 runs in 80 beside two busy loops; bench/RESULTS.md,
            // thirty-fourth session), still some 2,000 commits a second.
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    int damaged = 0, raw = 0, other = 0, again = 0, answered = 0;
    std::string example;
    for (int i = 0; i < 300; ++i) {
        try {
            auto s = searcher();
            if (!s.search("q", "harbour").hits.empty()) ++answered;
            s.reopen();
            if (!s.search("q", "harbour").hits.empty()) ++answered;
        } catch (const IndexFormatError& e) {
            ++damaged;
            example = e.what();
        } catch (const Error& e) {
            if (std::string(e.what()).find("try again") != std::string::npos) ++again;
            else ++other, example = e.what();
        } catch (const Xapian::Error& e) {
            ++raw;
            example = e.get_description();
        }
    }
    stop = true;
    writer.join();
    EXPECT_EQ(damaged, 0) << example;
    EXPECT_EQ(raw, 0) << example;
    EXPECT_EQ(other, 0) << example;
    EXPECT_GT(answered, 100) << again << " gave up";
    EXPECT_GT(commits.load(), 10);
}

// A reopen that moved its handle to the latest commit and then met commits
// under every attempt (IndexChanging) kept the state read at the old commit
// (here the deleted articles) beside the new handle; a batch, which goes on
// past that error since 2026-12-06, then showed a deleted article. The next
// search reads the state again.
TEST_F(HostileQueryTest, AReopenThatFailedLeavesNoStateOfAnotherCommit) {
#ifndef TRAWL_FAULT_INJECTION
    GTEST_SKIP() << "needs the TRAWL_FAULT_AT fault points (TRAWL_FAULT_INJECTION, on in test builds)";
#endif
    auto s = searcher();
    const auto before = s.search("q", "harbour story");
    ASSERT_EQ(before.summary.passages.estimate, 40u);  // two passages an article
    ASSERT_EQ(index::delete_articles(tmp_.str(), {"a3", "a7"}).articles, 2u);
    ::setenv("TRAWL_FAULT_AT", "reopen-changing", 1);
    EXPECT_THROW(s.reopen(), query::IndexChanging);
    ::unsetenv("TRAWL_FAULT_AT");
    const auto after = s.search("q", "harbour story");
    EXPECT_EQ(after.summary.passages.estimate, 36u);
    for (const auto& h : after.hits) EXPECT_TRUE(h.article_id != "a3" && h.article_id != "a7") << h.article_id;
}

TEST_F(HostileQueryTest, ReopenSeesACommitMadeAfterOpening) {
    auto s = searcher();
    EXPECT_TRUE(s.search("q", "zeppelin").hits.empty());
    test::make_index(tmp_.str(), {article("z", "Airship", "A zeppelin flew over the harbour.")});
    s.reopen();
    auto rs = s.search("q", "zeppelin");
    ASSERT_EQ(rs.hits.size(), 1u);
    EXPECT_EQ(rs.hits[0].article_id, "z");
    EXPECT_EQ(s.passage_count(), Xapian::Database(tmp_.str()).get_doccount());
}

namespace {

// Input that runs a callback before handing out each line: a writer commits
// between two queries typed at the prompt.
class ScriptedInput : public std::streambuf {
public:
    ScriptedInput(std::vector<std::pair<std::function<void()>, std::string>> steps) : steps_(std::move(steps)) {}

protected:
    int_type underflow() override {
        if (next_ == steps_.size()) return traits_type::eof();
        auto& [before, line] = steps_[next_++];
        if (before) before();
        line += '\n';
        setg(line.data(), line.data(), line.data() + line.size());
        return traits_type::to_int_type(line[0]);
    }

private:
    std::vector<std::pair<std::function<void()>, std::string>> steps_;
    std::size_t next_ = 0;
};

}  // namespace

TEST_F(HostileQueryTest, InteractiveModeSeesCommitsMadeBetweenQueries) {
    std::ostringstream out, err;
    query::QueryOptions options;
    options.dbs = {tmp_.str()};
    options.format = "trec";
    ScriptedInput script(
        {{nullptr, "zeppelin"},
         {[&] { test::make_index(tmp_.str(), {article("z", "Airship", "A zeppelin flew over.")}); }, "zeppelin"}});
    std::istream in(&script);
    const auto lines = query::stream_lines(in, out);
    EXPECT_EQ(query::run_repl(options, false, *lines, out, err), 0);
    EXPECT_EQ(err.str(), "");
    const std::string text = out.str();
    const auto first = text.find("trawl> trawl> ");  // the first query printed no run line
    const auto hit = text.find("2 Q0 z#0 1 ");
    EXPECT_NE(first, std::string::npos) << text;
    EXPECT_NE(hit, std::string::npos) << text;
    EXPECT_LT(first, hit) << text;
}

// An index rebuilt elsewhere and moved into the prompt's path between two
// queries (rm -rf live.idx && mv new.idx live.idx): Xapian's reopen() kept
// reading the old, deleted tables beside the new revision, and filling the
// tables held in memory wrote past their end (heap-buffer-overflow). The
// prompt opens the new index afresh and answers from it; an index that is
// gone is one error line for that query, and the prompt goes on.
TEST_F(HostileQueryTest, InteractiveModeSearchesAnIndexMovedIntoItsPathAfresh) {
    namespace fs = std::filesystem;
    test::TempDir dir;
    const auto live = dir / "live.idx", fresh = dir / "new.idx";
    test::make_index(live.string(), articles("harbour", 40), 8, 2);
    auto build = [&](const std::string& prefix, int n) {
        std::vector<corpus::Article> few;
        for (int i = 0; i < n; ++i)
            few.push_back(article(prefix + std::to_string(i), "Pier " + std::to_string(i),
                                  "A harbour pier number " + std::to_string(i) + " was rebuilt."));
        fs::remove_all(fresh);
        test::make_index(fresh.string(), few);
    };
    auto swap_in = [&] {
        fs::remove_all(live);
        fs::rename(fresh, live);
    };
    std::ostringstream out, err;
    query::QueryOptions options;
    options.dbs = {live.string()};
    options.format = "trec";
    options.limit = 100;
    options.in_memory_tables = "always";  // every table read into memory, from the first query on
    ScriptedInput script({{nullptr, "harbour"},
                          {[&] { build("z", 3), swap_in(); }, "harbour"},
                          {[&] { fs::remove_all(live); }, "harbour"},
                          {[&] { build("y", 2), swap_in(); }, "harbour"}});
    std::istream in(&script);
    const auto lines = query::stream_lines(in, out);
    EXPECT_EQ(query::run_repl(options, false, *lines, out, err), 0);
    // The docids of query N's run lines.
    auto docids = [&](int n) {
        std::set<std::string> ids;
        const std::string text = out.str();
        const std::regex run_line("(\\d+) Q0 (\\S+) ");
        for (std::sregex_iterator m(text.begin(), text.end(), run_line), end; m != end; ++m)
            if ((*m)[1] == std::to_string(n)) ids.insert((*m)[2]);
        return ids;
    };
    const auto before = docids(1);
    EXPECT_EQ(before.size(), 80u) << out.str();  // 2 passages an article
    EXPECT_TRUE(std::all_of(before.begin(), before.end(), [](const auto& id) { return id[0] == 'a'; }));
    EXPECT_EQ(docids(2), (std::set<std::string>{"z0#0", "z1#0", "z2#0"})) << out.str();
    EXPECT_EQ(docids(3), std::set<std::string>{}) << out.str();
    EXPECT_EQ(docids(4), (std::set<std::string>{"y0#0", "y1#0"})) << out.str();
    // The third query: one line naming the index that is gone.
    EXPECT_EQ(err.str(), "trawl-query: " + live.string() + ": cannot open index: No such file or directory\n");
}

// What replaced() tells apart: a commit to the index opened (reopen() follows
// it) from another database at its path (a new Searcher must open it).
TEST_F(HostileQueryTest, ReplacedTellsAnotherDatabaseAtThePathFromACommit) {
    namespace fs = std::filesystem;
    test::TempDir dir;
    const auto live = dir / "live.idx", fresh = dir / "new.idx";
    test::make_index(live.string(), articles("harbour", 5));
    query::SearchOptions o;
    o.dbs = {live.string()};
    query::Searcher s(o);
    EXPECT_FALSE(s.replaced());
    test::make_index(live.string(), {article("z", "Airship", "A zeppelin flew over the harbour.")});
    EXPECT_FALSE(s.replaced());
    EXPECT_TRUE(s.reopen());
    // A copy of the same database (the same UUID) moved into the path.
    fs::copy(live, fresh, fs::copy_options::recursive);
    fs::remove_all(live);
    fs::rename(fresh, live);
    EXPECT_TRUE(s.replaced());
    // Another index built at the path after the old one was removed.
    query::Searcher again(o);
    EXPECT_FALSE(again.replaced());
    fs::remove_all(live);
    EXPECT_THROW(again.replaced(), Error);
    test::make_index(live.string(), {article("y", "Pier", "A pier in the harbour.")});
    EXPECT_TRUE(again.replaced());
    const auto rs = query::Searcher(o).search("q", "harbour");
    ASSERT_EQ(rs.hits.size(), 1u);
    EXPECT_EQ(rs.hits[0].article_id, "y");
}
