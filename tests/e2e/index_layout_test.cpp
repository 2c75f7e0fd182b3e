// End-to-end: what trawl-index checks about an index's layout and settings
// when it opens one, before anything is written: a sharded index missing a
// shard, a path that is one shard of a sharded index, settings that only a
// new index takes (--termlist, --positions, --positional-share), and the
// parent directories of a new index.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <xapian.h>

#include "indexer/format/shards.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::parse_jsonl;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

// 30 short articles, a01..a30, enough for every one of 3 shards to hold some.
std::string write_corpus(const fs::path& dir) {
    const auto file = dir / "news.jsonl";
    std::ofstream out(file);
    for (int i = 1; i <= 30; ++i) {
        const std::string id = (i < 10 ? "a0" : "a") + std::to_string(i);
        out << R"({"id": ")" << id << R"(", "title": "Report )" << id << R"(", "text": "The economy grew by )" << i
            << R"( percent this quarter. Exports of grain and timber rose while the harbour stayed busy."})"
            << "\n";
    }
    return file.string();
}

// What a database holds and its revision: equal before and after a run that
// must write nothing.
std::string state(const std::string& db) {
    Xapian::Database d(db);
    return std::to_string(d.get_doccount()) + " docs, revision " + std::to_string(d.get_revision());
}

std::string indexed(const std::string& db, const std::string& args) {
    const auto r = run_command(index_cmd(db, "--quiet " + args));
    return r.exit_code == 0 ? "" : r.err;
}

}  // namespace

// A stub listing a shard that is gone: the run used to create an empty
// shard in its place, re-index every article of the others (doubling their
// documents) and then fail with "the shard list mixes indexes".
TEST(IndexLayout, AMissingShardIsNamedAndNothingIsWritten) {
    TempDir tmp;
    const auto corpus = write_corpus(tmp.path());
    const auto db = (tmp / "m.idx").string();
    ASSERT_EQ(indexed(db, "--shards 3 " + shell_quote(corpus)), "");
    fs::remove_all(tmp / "m.idx" / "shard-1");
    const auto shard0 = (tmp / "m.idx" / "shard-0").string(), shard2 = (tmp / "m.idx" / "shard-2").string();
    const auto before0 = state(shard0), before2 = state(shard2);
    for (const char* extra : {"", "--shards 3 ", "--threads 1 "}) {
        const auto r = run_command(index_cmd(db, extra + shell_quote(corpus)));
        EXPECT_EQ(r.exit_code, 2) << extra;
        EXPECT_EQ(r.err, "trawl-index: " + db + "/shard-1: this shard of " + db + " is missing (" + db +
                             "/XAPIANDB lists it); index damaged: put it back, or index into a new directory\n")
            << extra;
        EXPECT_FALSE(fs::exists(tmp / "m.idx" / "shard-1")) << extra;
        EXPECT_EQ(state(shard0), before0) << extra;
        EXPECT_EQ(state(shard2), before2) << extra;
    }
    // trawl-query still says which shard it cannot open.
    const auto q = run_command(query_cmd(db, "economy"));
    EXPECT_EQ(q.exit_code, 2);
    EXPECT_NE(q.err.find(db + "/shard-1: cannot open index"), std::string::npos) << q.err;
}

// Indexing into one shard of a sharded index put there the articles that
// belong to the others: the whole index then found them twice.
TEST(IndexLayout, AShardOfAShardedIndexIsNotIndexedIntoDirectly) {
    TempDir tmp;
    const auto corpus = write_corpus(tmp.path());
    const auto db = (tmp / "s.idx").string();
    ASSERT_EQ(indexed(db, "--shards 3 " + shell_quote(corpus)), "");
    const auto shard = db + "/shard-0";
    const auto before = state(shard);
    auto r = run_command(index_cmd(shard, shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + shard + " is shard 0 of 3 of an index: index into " + db +
                         ", which sends each article to its own shard\n");
    EXPECT_EQ(state(shard), before);
    // Each article once in the whole index.
    r = run_command(query_cmd(db, "--format json --by-article --limit 100 economy"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(parse_jsonl(r.out).size(), 30u);
    // A shard copied away from its index is refused too, without a path to name.
    const auto alone = (tmp / "alone").string();
    fs::copy(shard, alone, fs::copy_options::recursive);
    r = run_command(index_cmd(alone, shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + alone +
                         " is shard 0 of 3 of an index: index into the sharded index it belongs to (then copy the "
                         "shard over), which sends each article to its own shard\n");
}

// An index given as an input was read as a corpus: a sharded index's stub,
// XAPIANDB, is text, and became an article (into the index itself with
// `--db s.idx s.idx`, or into another). Refused before anything is
// written, naming the input; the index and the other --db are untouched.
TEST(IndexLayout, AnIndexIsNotReadAsAnInput) {
    TempDir tmp;
    const auto corpus = write_corpus(tmp.path());
    const auto db = (tmp / "s.idx").string(), other = (tmp / "other.idx").string();
    ASSERT_EQ(indexed(db, "--shards 3 " + shell_quote(corpus)), "");
    const auto articles = [&] { return run_command(query_cmd(db, "--list-articles")).out; };
    const auto before = articles();
    ASSERT_NE(before.find("a30\t"), std::string::npos) << before;
    const std::string tail = ", not articles to read: give the files or folders the articles are read from\n";
    auto r = run_command(index_cmd(db, shell_quote(db)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + db + ": is the index this run writes (--db)" + tail);
    EXPECT_EQ(articles(), before);
    r = run_command(index_cmd(other, shell_quote(corpus) + " " + shell_quote(db)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + db + ": is an index (a Xapian database)" + tail);
    EXPECT_FALSE(fs::exists(other));
    r = run_command(index_cmd(other, shell_quote(db + "/XAPIANDB")));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + db + "/XAPIANDB: is a file of an index (a Xapian database)" + tail);
    EXPECT_FALSE(fs::exists(other));
    // The folder holding both the corpus and the index is read, the index left out.
    r = run_command(index_cmd(db, "--quiet " + shell_quote(tmp.str())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(articles(), before) << "the index's stub is no article";
}

// --delete and --rebuild on one shard of a set: a --delete there (even of
// nothing) restored the twin whose original is in another shard ("1
// duplicates re-indexed"), found beside its original by a search of the
// whole index. Refused, as indexing into one shard is.
TEST(IndexLayout, AShardOfAShardedIndexIsNotDeletedFromOrRebuiltDirectly) {
    TempDir tmp;
    // a01 and its duplicate: a twin record in the shard of the duplicate's
    // id, which must be another than a01's.
    const auto corpus = write_corpus(tmp.path());
    std::string twin;
    for (int i = 1; twin.empty(); ++i)
        if (trawl::format::shard_of("dup" + std::to_string(i), 3) != trawl::format::shard_of("a01", 3))
            twin = "dup" + std::to_string(i);
    std::ifstream in(corpus);
    std::string first;
    std::getline(in, first);
    std::ofstream(corpus, std::ios::app) << std::string(first).replace(first.find("a01"), 3, twin) << "\n";
    const auto db = (tmp / "s.idx").string();
    ASSERT_EQ(indexed(db, "--shards 3 " + shell_quote(corpus)), "");
    const auto shard = db + "/shard-" + std::to_string(trawl::format::shard_of(twin, 3));
    const auto before = state(shard);
    const auto hits = [&] {
        const auto r = run_command(query_cmd(db, "--format json --by-article --limit 100 economy"));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return parse_jsonl(r.out).size();
    };
    ASSERT_EQ(hits(), 30u) << "the duplicate is a twin, not indexed";
    for (const std::string& args :
         std::vector<std::string>{"--delete-from /dev/null", "--delete " + twin, "--delete a01"}) {
        const auto r = run_command(index_cmd(shard, args));
        EXPECT_EQ(r.exit_code, 2) << args;
        EXPECT_EQ(r.err, "trawl-index: " + shard + " is shard " + shard.substr(shard.size() - 1) +
                             " of 3 of an index: delete from " + db +
                             ", which looks for the originals of its twins in every shard\n")
            << args;
        EXPECT_EQ(state(shard), before) << args;
        EXPECT_EQ(hits(), 30u) << args;
    }
    auto r = run_command(index_cmd(shard, "--rebuild"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + shard + " is shard " + shard.substr(shard.size() - 1) +
                         " of 3 of an index: rebuild " + db +
                         ", which rebuilds each of its shards that has dead passages\n");
    EXPECT_EQ(state(shard), before);
    // Through the index, as ever: deleting the original restores the twin.
    r = run_command(index_cmd(db, "--delete a01"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 duplicate re-indexed"), std::string::npos) << r.out;
    EXPECT_EQ(hits(), 30u);
    r = run_command(index_cmd(db, "--quiet --rebuild"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(hits(), 30u);
}

// --termlist, --positions and --positional-share shape a new index; on one
// that exists they were ignored, exit 0, and the index stayed as it was.
TEST(IndexLayout, SettingsOfANewIndexAreRefusedOnOneThatHasOthers) {
    TempDir tmp;
    const auto corpus = write_corpus(tmp.path());
    const auto db = (tmp / "i.idx").string();
    ASSERT_EQ(indexed(db, shell_quote(corpus)), "");
    const auto before = state(db);
    const std::string advice =
        " applies to a new index only (--rebuild keeps an index's settings): index into a new --db\n";
    auto r = run_command(index_cmd(db, "--termlist --positions all " + shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + db + ": was created without a termlist; --termlist" + advice);
    r = run_command(index_cmd(db, "--positions all " + shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + db +
                         ": keeps positions for its frequent words (--positions frequent); --positions" + advice);
    r = run_command(index_cmd(db, "--positional-share 0.5 " + shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + db +
                         ": keeps the positional words --positional-share 0.2 chose; --positional-share" + advice);
    EXPECT_FALSE(fs::exists(fs::path(db) / "termlist.glass"));
    EXPECT_EQ(state(db), before);
    // What the index already has is no contradiction: its positions, the
    // share that chose its words (the default, given or not), in every
    // shard of a set. They were refused as "applies to a new index only".
    EXPECT_EQ(indexed(db, "--positions frequent " + shell_quote(corpus)), "");
    EXPECT_EQ(indexed(db, "--positional-share 0.2 " + shell_quote(corpus)), "");
    EXPECT_EQ(indexed(db, "--positions frequent --positional-share 0.20 " + shell_quote(corpus)), "");
    const auto half = (tmp / "half.idx").string();
    ASSERT_EQ(indexed(half, "--shards 2 --positions frequent --positional-share 0.5 " + shell_quote(corpus)), "");
    EXPECT_EQ(indexed(half, "--positional-share 0.5 " + shell_quote(corpus)), "");
    r = run_command(index_cmd(half, "--positional-share 0.2 " + shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + half +
                         "/shard-0: keeps the positional words --positional-share 0.5 chose; --positional-share" +
                         advice);
    // An index made before the share was recorded cannot tell.
    {
        Xapian::WritableDatabase w(half + "/shard-0", Xapian::DB_OPEN);
        w.set_metadata("trawl.positions.share", "");
        w.commit();
    }
    r = run_command(index_cmd(half, "--positional-share 0.5 " + shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + half +
                         "/shard-0: keeps the positional words it was built with (--positions frequent; the share that "
                         "chose them is not recorded); --positional-share" +
                         advice);
    const auto served = (tmp / "served.idx").string();
    ASSERT_EQ(indexed(served, "--termlist --positions all " + shell_quote(corpus)), "");
    EXPECT_EQ(indexed(served, "--termlist --positions all " + shell_quote(corpus)), "");
    EXPECT_EQ(indexed(served, "--positions all --positional-share 0.3 " + shell_quote(corpus)), "")
        << "no words are chosen by a share there";
    r = run_command(index_cmd(served, "--positions frequent " + shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "trawl-index: " + served + ": keeps positions for every word (--positions all); --positions" + advice);
}

// A new index's missing parent directories: made for one database as they
// were for --shards (which used to be the only layout that made them).
TEST(IndexLayout, MissingParentsAreMadeForEveryLayout) {
    TempDir tmp;
    const auto corpus = write_corpus(tmp.path());
    for (const std::string args : {"", "--threads 1 ", "--threads 2 ", "--shards 2 "}) {
        const auto db = (tmp / ("x" + std::to_string(args.size())) / "a" / "b").string();
        EXPECT_EQ(indexed(db, args + shell_quote(corpus)), "") << args;
        const auto r = run_command(query_cmd(db, "--format json --by-article --limit 100 economy"));
        EXPECT_EQ(r.exit_code, 0) << args << r.err;
        EXPECT_EQ(parse_jsonl(r.out).size(), 30u) << args;
    }
    // Standard input is checked for a place to create the index before it is read.
    const auto db = (tmp / "y" / "a" / "b").string();
    auto r = run_command("cat " + shell_quote(corpus) + " | " + index_cmd(db, "--quiet --format jsonl -"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(fs::path(db) / "iamglass"));
    // A parent that is a file is named.
    std::ofstream(tmp / "file") << "x\n";
    r = run_command(index_cmd((tmp / "file" / "b").string(), shell_quote(corpus)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find((tmp / "file" / "b").string() + ": cannot create the index"), std::string::npos) << r.err;
}
