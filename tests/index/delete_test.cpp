// Deleting articles (delete_articles) and the options that drive deletion and
// --on-error.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "indexer/delete_articles.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/index_options.hpp"
#include "indexer/index_pipeline.hpp"
#include "tests/testutil/index_config.hpp"
#include "tests/testutil/index_contents.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

std::string sentences(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "The storm number " + std::to_string(i) + " was seen today. ";
    return s;
}

}  // namespace

TEST(DeleteArticles, RemovesEveryPassageOfEachArticleAndReportsUnknownIds) {
    test::TempDir tmp;
    test::make_index(
        tmp.str(), {article("a", "A", sentences(12)), article("b", "B", sentences(3)), article("c", "C", sentences(7))},
        20, 5);
    Xapian::doccount total, a, b, c;
    {
        Xapian::Database db(tmp.str());
        total = db.get_doccount();
        a = db.get_termfreq("Aa");
        b = db.get_termfreq("Ab");
        c = db.get_termfreq("Ac");
    }
    ASSERT_EQ(test::live_passage_count(tmp.str()), total);
    ASSERT_GT(a, 1u);
    const auto s = index::delete_articles(tmp.str(), {"a", "zz", "c", "a"});
    EXPECT_EQ(s.articles, 2u);
    EXPECT_EQ(s.passages, a + c);
    EXPECT_EQ(s.unknown, std::vector<std::string>{"zz"});
    // Format v3: the passages stay in the tables, recorded as dead.
    EXPECT_EQ(test::live_passage_count(tmp.str()), total - a - c);
    EXPECT_EQ(test::live_passages_of(tmp.str(), "a"), 0u);
    EXPECT_EQ(test::live_passages_of(tmp.str(), "b"), b);
    EXPECT_EQ(format::live_passage_count(Xapian::Database(tmp.str())), total - a - c);
    EXPECT_GT(b, 0u);
    // Deleting again finds nothing to delete.
    const auto again = index::delete_articles(tmp.str(), {"a"});
    EXPECT_EQ(again.articles, 0u);
    EXPECT_EQ(again.unknown, std::vector<std::string>{"a"});
}

TEST(DeleteArticles, AShardedIndexLosesTheArticlesInEveryShard) {
    test::TempDir tmp;
    const std::string path = (tmp / "sharded.idx").string();
    {
        corpus::Diagnostics diag;
        index::BuilderOptions bo;
        bo.split = {20, 5};
        index::PipelineOptions po;
        po.threads = 2;
        po.shards = 2;
        index::IndexPipeline p(path, bo, po, diag);
        for (int i = 0; i < 40; ++i) p.add(article("art" + std::to_string(i), "T", sentences(4)));
        p.finish();
    }
    ASSERT_TRUE(format::is_sharded(path));
    std::vector<std::string> ids;
    std::set<unsigned> shards_hit;
    for (int i = 0; i < 40; i += 3) {
        ids.push_back("art" + std::to_string(i));
        shards_hit.insert(format::shard_of(ids.back(), 2));
    }
    ASSERT_EQ(shards_hit.size(), 2u) << "the ids deleted live in both shards";
    const auto before = test::live_passage_count(path);
    const auto s = index::delete_articles(path, ids);
    EXPECT_EQ(s.articles, ids.size());
    EXPECT_TRUE(s.unknown.empty());
    EXPECT_EQ(test::live_passage_count(path), before - s.passages);
    for (const auto& id : ids) EXPECT_EQ(test::live_passages_of(path, id), 0u) << id;
    EXPECT_GT(test::live_passages_of(path, "art1"), 0u);
}

TEST(DeleteArticles, MissingOrLockedIndexIsAnError) {
    test::TempDir tmp;
    EXPECT_THROW(index::delete_articles((tmp / "none").string(), {"a"}), Error);
    test::make_index(tmp.str(), {article("a", "A", sentences(2))});
    Xapian::WritableDatabase holder(tmp.str(), Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
    try {
        index::delete_articles(tmp.str(), {"a"});
        FAIL() << "deleted from a locked index";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("locked by another process"), std::string::npos) << e.what();
    }
}

TEST(IndexOptions, DeleteAndOnError) {
    test::TempDir tmp;
    const std::string ids = (tmp / "ids").string();
    { std::ofstream(ids) << "x\r\n\ny\n"; }
    auto c = test::index_config({"--db", "d", "--delete", "a", "--delete", "b", "--delete-from", ids.c_str()});
    EXPECT_EQ(c.delete_ids, (std::vector<std::string>{"a", "b", "x", "y"}));
    EXPECT_EQ(c.on_error, index::OnError::Skip);
    EXPECT_EQ(test::index_config({"--db", "d", "--on-error", "fail", "in"}).on_error, index::OnError::Fail);
    EXPECT_THROW(test::index_config({"--db", "d", "--on-error", "ignore", "in"}), UsageError);
    EXPECT_THROW(test::index_config({"--db", "d", "--delete", "a", "in"}), UsageError);
    EXPECT_THROW(test::index_config({"--db", "d"}), UsageError);
    EXPECT_THROW(test::index_config({"--db", "d", "--delete", ""}), UsageError);
    EXPECT_THROW(test::index_config({"--db", "d", "--delete-from", (tmp / "missing").string().c_str()}), InputError);
}

// An empty input path (an unset shell variable, "$DIR") said "trawl-index:
// : cannot open: No such file or directory", naming nothing.
TEST(IndexOptions, AnEmptyInputPathIsAUsageError) {
    for (const std::vector<const char*>& args :
         {std::vector<const char*>{"--db", "d", ""}, {"--db", "d", "in", ""}, {"--db", "d", "--prune", ""}}) {
        try {
            test::index_config(args);
            ADD_FAILURE() << "accepted";
        } catch (const UsageError& e) {
            EXPECT_EQ(std::string(e.what()), "an input path is empty (\"\"): is a shell variable unset?");
        }
    }
}

// --delete-from: a UTF-8 byte-order mark is no part of the first id (it was
// not found, and the warning showed it invisibly); each id keeps the line
// it came from; a file that cannot be opened says why.
TEST(IndexOptions, DeleteFromDropsAByteOrderMarkAndSaysWhyItCannotOpen) {
    test::TempDir tmp;
    const std::string ids = (tmp / "ids").string();
    {
        std::ofstream(ids) << "\xEF\xBB\xBF"
                              "first\r\n\nsecond\n";
    }
    auto c = test::index_config({"--db", "d", "--delete", "a", "--delete-from", ids.c_str()});
    EXPECT_EQ(c.delete_ids, (std::vector<std::string>{"a", "first", "second"}));
    EXPECT_EQ(c.delete_origins, (std::vector<std::string>{"", ids + ":1", ids + ":3"}));
    const std::string missing = (tmp / "missing").string();
    try {
        test::index_config({"--db", "d", "--delete-from", missing.c_str()});
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), missing + ": cannot open: No such file or directory");
    }
}

namespace {

// Every dead passage of `db`, by reading each document's article and sequence.
std::vector<Xapian::docid> dead_by_reading_every_passage(const Xapian::Database& db, const format::Deletions& d) {
    std::vector<Xapian::docid> dead;
    for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
        const auto doc = db.get_document(did, Xapian::DOC_ASSUME_VALID);
        if (d.covers(doc.get_value(format::kSlotArticle), format::sequence_of(doc))) dead.push_back(did);
    }
    return dead;
}

// Both ways of finding the dead passages against reading every passage.
void expect_dead_passages_found(const std::string& path) {
    for (const auto& shard : format::shard_paths(path)) {
        Xapian::Database db(shard);
        const auto d = format::Deletions::read(db);
        const auto expected = dead_by_reading_every_passage(db, d);
        EXPECT_EQ(expected.size(), d.passages()) << shard;
        EXPECT_EQ(d.docids(db, format::Deletions::Lookup::ByArticle), expected) << shard;
        EXPECT_EQ(d.docids(db, format::Deletions::Lookup::Scan), expected) << shard;
        EXPECT_EQ(d.docids(db), expected) << shard;
    }
}

void add_articles(const std::string& path, int threads, int shards, const std::vector<corpus::Article>& articles) {
    corpus::Diagnostics diag;
    index::BuilderOptions bo;
    bo.split = {20, 5};
    bo.batch_articles = 7;  // several commits, each with its own records
    index::PipelineOptions po;
    po.threads = threads;
    po.shards = shards;
    index::IndexPipeline p(path, bo, po, diag);
    for (const auto& a : articles) p.add(a);
    p.finish();
}

std::vector<corpus::Article> articles(int from, int to, const std::string& words) {
    std::vector<corpus::Article> out;
    for (int i = from; i < to; ++i)
        out.push_back(article("art" + std::to_string(i), "T" + std::to_string(i), words + sentences(1 + i % 6)));
    return out;
}

}  // namespace

// Searches leave out the passages the deletion records cover (dead_filter.hpp),
// found per database as docids, article by article or in one scan: both must
// find what reading every passage finds, in an index built on one thread, one
// built on two (its shards merged, docids renumbered) and a sharded one, after
// deletions, replacements, and replacements of replacements.
TEST(DeadPassages, BothLookupsFindExactlyThePassagesTheRecordsCover) {
    for (const auto& [threads, shards] : {std::pair{1, 0}, std::pair{2, 0}, std::pair{2, 3}}) {
        SCOPED_TRACE("threads " + std::to_string(threads) + ", shards " + std::to_string(shards));
        test::TempDir tmp;
        const std::string path = (tmp / "x.idx").string();
        add_articles(path, threads, shards, articles(0, 60, "First run. "));
        add_articles(path, 1, 0, articles(0, 20, "Second run. "));  // replaced
        std::vector<std::string> ids;
        for (int i = 20; i < 40; i += 2) ids.push_back("art" + std::to_string(i));
        ASSERT_EQ(index::delete_articles(path, ids).articles, ids.size());
        add_articles(path, 1, 0, articles(0, 5, "Third run. "));     // replaced again
        add_articles(path, 1, 0, articles(20, 24, "Fourth run. "));  // deleted, then back
        ASSERT_GE(format::Deletions::read_index(path).articles(), 30u);
        expect_dead_passages_found(path);
        EXPECT_EQ(test::index_contents(path).per_article.size(), 52u);  // 8 of the deleted stay deleted
    }
}
