// End-to-end: what trawl-index accepts as an index path, what it removes
// (only what it created; what killed runs left), and its messages when the
// file system refuses (issue #14: items 1, 3, 4, 8). Kills use the fault
// points of indexer/index_dir.hpp (TRAWL_FAULT_AT, compiled into test builds).
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include <xapian.h>

#include "indexer/format/schema.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::names_starting;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

const std::string kNews = TRAWL_FIXTURES_DIR "/e2e/news";

// Every path below `dir` (relative), with each regular file's content.
std::set<std::string> tree(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        std::string entry = fs::relative(e.path(), dir).string();
        if (e.is_regular_file()) {
            std::ifstream in(e.path());
            entry += "=" + std::string(std::istreambuf_iterator<char>(in), {});
        }
        out.insert(entry);
    }
    return out;
}

// A directory of the user's: files and a folder.
void make_user_dir(const fs::path& dir) {
    fs::create_directories(dir / "notes");
    std::ofstream(dir / "thesis.txt") << "four years of work\n";
    std::ofstream(dir / "notes" / "todo.txt") << "back up the thesis\n";
}

std::string with_fault(const std::string& point, const std::string& cmd) {
    return "TRAWL_FAULT_AT=" + point + " " + cmd;
}

// Runs `script` as root of a new user and mount namespace (for read-only and
// full file systems without touching the machine's); false when the kernel
// or sandbox does not allow it.
bool namespaces_work() {
    return run_command("unshare -rm sh -c 'mount -t tmpfs none /mnt 2>/dev/null || exit 1'").exit_code == 0;
}

}  // namespace

// ---- item 1: never delete the user's files ----------------------------------

TEST(IndexDir, RefusesADirectoryOfUserFilesAndLeavesItUntouched) {
    for (const char* threads : {"1", "2"}) {
        TempDir tmp;
        const auto dir = tmp / "mine";
        make_user_dir(dir);
        const auto before = tree(dir);
        auto r = run_command(index_cmd(dir.string(), std::string("--threads ") + threads + " " + shell_quote(kNews)));
        EXPECT_EQ(r.exit_code, 2) << threads;
        EXPECT_NE(r.err.find(dir.string() + ": is a directory that is not a Trawl index"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
        EXPECT_EQ(tree(dir), before) << "--threads " << threads;
        EXPECT_TRUE(names_starting(tmp.path(), ".mine.trawl-").empty());
    }
}

TEST(IndexDir, RefusesAForeignXapianDatabaseEvenWithNoDocuments) {
    TempDir tmp;
    const auto dir = tmp / "other";
    {
        Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        db.set_metadata("mine", "1");
        db.commit();
    }
    auto r = run_command(index_cmd(dir.string(), shell_quote(kNews)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is a Xapian database but not a Trawl index"), std::string::npos) << r.err;
    Xapian::Database db(dir.string());
    EXPECT_EQ(db.get_doccount(), 0u);
    EXPECT_EQ(db.get_metadata("mine"), "1");
    EXPECT_EQ(db.get_metadata(std::string(trawl::format::kMetaFormatVersion)), "");
}

TEST(IndexDir, RefusesATrawlIndexHoldingOtherFiles) {
    TempDir tmp;
    const auto db = (tmp / "i.idx").string();
    ASSERT_EQ(run_command(index_cmd(db, shell_quote(kNews))).exit_code, 0);
    std::ofstream(tmp / "i.idx" / "README.txt") << "my notes on this index\n";
    auto r = run_command(index_cmd(db, "--threads 1 " + shell_quote(kNews)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("holds files that are not part of an index ('README.txt')"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(tmp / "i.idx" / "README.txt"));
}

TEST(IndexDir, RefusesTheCurrentDirectoryBeforeAnyWork) {
    TempDir tmp;
    for (bool with_files : {true, false}) {
        const auto dir = tmp / (with_files ? "full" : "empty");
        fs::create_directories(dir);
        if (with_files) make_user_dir(dir);
        const auto before = tree(dir);
        auto r = run_command("cd " + shell_quote(dir.string()) + " && " + index_cmd(".", shell_quote(kNews)));
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find(": is the current directory (or contains it)"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("Device or resource busy"), std::string::npos) << r.err;
        EXPECT_EQ(tree(dir), before) << "nothing written (no flintlock, no tables)";
    }
}

TEST(IndexDir, SaysARegularFileIsAFile) {
    TempDir tmp;
    std::ofstream(tmp / "f") << "data";
    auto r = run_command(index_cmd((tmp / "f").string(), shell_quote(kNews)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + (tmp / "f").string() + ": is a file, not an index directory\n");
}

TEST(IndexDir, DeleteOnAPlainDirectoryLeavesNothingInIt) {
    TempDir tmp;
    fs::create_directories(tmp / "plain");
    std::ofstream(tmp / "plain" / "x.txt") << "x";
    fs::create_directories(tmp / "blank");
    for (const char* name : {"plain", "blank"}) {
        const auto before = tree(tmp / name);
        auto r = run_command(index_cmd((tmp / name).string(), "--delete a1"));
        EXPECT_EQ(r.exit_code, 2) << name;
        EXPECT_EQ(tree(tmp / name), before) << name << ": no flintlock";
    }
}

// ---- item 3: what killed runs leave is removed by the next writer ----------

TEST(IndexDir, AKillBetweenSwapAndCleanupLeavesATemporaryThatEveryWriterRemoves) {
    struct Case {
        std::string build_args, next_args, leftover;
    };
    const std::vector<Case> cases = {
        {"--threads 2", "--threads 1", ".i.idx.trawl-build-"},                   // parallel build, then an append
        {"--threads 1", "--delete nosuchid", ".i.idx.trawl-build-"},             // one-thread build, then a delete
        {"--threads 1 --stream", "--delete nosuchid", ".i.idx.trawl-compact-"},  // in place, compacted, then a delete
        {"--threads 2", "", ".i.idx.trawl-build-"},  // parallel build, then a parallel append
    };
    for (const auto& c : cases) {
        TempDir tmp;
        const auto db = (tmp / "i.idx").string();
        auto r = run_command(with_fault("after-swap", index_cmd(db, c.build_args + " " + shell_quote(kNews))));
        EXPECT_EQ(r.exit_code, 128 + 9) << c.build_args << r.err;
        ASSERT_EQ(names_starting(tmp.path(), c.leftover).size(), 1u) << c.build_args;
        // The swapped-in index is whole: trawl-query finds the fixture's words.
        auto q = run_command(query_cmd(db, "-n 1 --format json harbour"));
        EXPECT_EQ(q.exit_code, 0) << q.err;
        EXPECT_NE(q.out.find("\"article_id\""), std::string::npos) << q.out;
        const bool del = c.next_args.starts_with("--delete");
        r = run_command(index_cmd(db, c.next_args + (del ? "" : " " + shell_quote(kNews))));
        EXPECT_EQ(r.exit_code, 0) << c.next_args << r.err;
        EXPECT_TRUE(names_starting(tmp.path(), ".i.idx.trawl-").empty()) << c.build_args << " then " << c.next_args;
    }
}

TEST(IndexDir, LeftoversInsideAShardedIndexAreRemoved) {
    TempDir tmp;
    const auto db = (tmp / "s.idx").string();
    auto r = run_command(with_fault("after-swap", index_cmd(db, "--shards 2 --threads 1 " + shell_quote(kNews))));
    EXPECT_EQ(r.exit_code, 128 + 9) << r.err;
    ASSERT_EQ(names_starting(tmp / "s.idx", ".shard-0.trawl-compact-").size(), 1u);
    r = run_command(index_cmd(db, "--delete nosuchid"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(names_starting(tmp / "s.idx", ".shard-").empty());
}

// An index path that is a symbolic link to a directory (an index kept on
// another disk): the index is made in the directory it points at, the link
// stays, and later runs and queries go through it. Creating one used to
// fail: "cannot create the index (Not a directory)".
TEST(IndexDir, AnIndexPathThatIsASymbolicLinkKeepsTheLink) {
    TempDir tmp;
    fs::create_directories(tmp / "disk" / "idx");
    fs::create_directories(tmp / "links");
    const auto link = tmp / "links" / "news.idx";
    fs::create_directory_symlink(tmp / "disk" / "idx", link);
    for (const char* threads : {"2", "1"}) {
        auto r = run_command(
            index_cmd(link.string(), std::string("--quiet --threads ") + threads + " " + shell_quote(kNews)));
        ASSERT_EQ(r.exit_code, 0) << threads << ": " << r.err;
        EXPECT_TRUE(fs::is_symlink(link)) << threads;
        EXPECT_TRUE(fs::exists(tmp / "disk" / "idx" / "iamglass")) << threads;
        auto q = run_command(query_cmd(link.string(), "-n 1 --format json harbour"));
        EXPECT_EQ(q.exit_code, 0) << q.err;
        EXPECT_NE(q.out.find("\"article_id\""), std::string::npos) << q.out;
    }
    EXPECT_TRUE(names_starting(tmp / "disk", ".idx.trawl-").empty());
    EXPECT_TRUE(names_starting(tmp / "links", ".news.idx.trawl-").empty());
}

// ---- item 8: a new index is stamped from its first moment -------------------

TEST(IndexDir, AKillWhileCreatingLeavesNoUnstampedDatabaseAtThePath) {
    TempDir tmp;
    const auto db = (tmp / "n.idx").string();
    auto r = run_command(with_fault("after-create", index_cmd(db, "--threads 1 " + shell_quote(kNews))));
    EXPECT_EQ(r.exit_code, 128 + 9) << r.err;
    EXPECT_FALSE(fs::exists(tmp / "n.idx" / "iamglass"));
    EXPECT_EQ(names_starting(tmp.path(), ".n.idx.trawl-create-").size(), 1u);
    r = run_command(index_cmd(db, "--threads 1 " + shell_quote(kNews)));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(names_starting(tmp.path(), ".n.idx.trawl-").empty());
    EXPECT_EQ(Xapian::Database(db).get_metadata(std::string(trawl::format::kMetaFormatVersion)),
              std::to_string(trawl::format::kFormatVersion));
}

// ---- item 4: true messages from the file system -----------------------------

TEST(IndexDir, AReadOnlyFileSystemIsNotCalledALock) {
    if (!namespaces_work())
        GTEST_SKIP() << "no user+mount namespaces here (unshare -rm): cannot make a read-only mount";
    TempDir tmp;
    const auto db = (tmp / "ro" / "i.idx").string();
    fs::create_directories(tmp / "ro");
    ASSERT_EQ(run_command(index_cmd(db, shell_quote(kNews))).exit_code, 0);
    const auto ro = shell_quote((tmp / "ro").string());
    auto r = run_command("unshare -rm sh -c " +
                         shell_quote("mount --bind " + ro + " " + ro + " && mount -o remount,ro,bind " + ro + " " + ro +
                                     " && " + index_cmd(db, shell_quote(kNews))));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + db +
                         ": cannot lock the index for writing (Couldn't open lockfile: "
                         "Read-only file system)\n");
    EXPECT_EQ(r.err.find("locked by another process"), std::string::npos);
}

TEST(IndexDir, AFullDiskNamesTheIndexAndLeavesItAtItsLastCommit) {
    if (!namespaces_work())
        GTEST_SKIP() << "no user+mount namespaces here (unshare -rm): cannot make a small file system";
    TempDir tmp;
    fs::create_directories(tmp / "small");
    const auto db = (tmp / "small" / "i.idx").string();
    const auto mnt = shell_quote((tmp / "small").string());
    // 400 articles of distinct made-up words: an index of a few MB, which
    // 400 KB cannot hold; the first batches fit.
    {
        std::ofstream out(tmp / "big.jsonl");
        for (int a = 0, w = 0; a < 400; ++a) {
            out << "{\"_id\": \"a" << a << "\", \"text\": \"";
            for (int i = 0; i < 200; ++i) out << "w" << (w++ * 7919) % 1000003 << (i % 15 == 14 ? ". " : " ");
            out << "\"}\n";
        }
    }
    auto r = run_command(
        "unshare -rm sh -c " +
        shell_quote("mount -t tmpfs -o size=400k none " + mnt + " && " +
                    index_cmd(db, "--threads 1 --batch 5 " + shell_quote((tmp / "big.jsonl").string())) +
                    "; echo exit=$?; " + query_cmd(db, "--format json -n 1000 the") + " | wc -l; echo query=$?"));
    EXPECT_NE(r.out.find("exit=2"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("trawl-index: " + db +
                         ": disk full (No space left on device); the index is intact at its "
                         "last commit"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("query=0"), std::string::npos) << r.out << r.err;
}

// --delete on a full disk: its commit fails, which ends Xapian's transaction,
// and cancelling it then said "InvalidOperationError: Cannot cancel
// transaction - no transaction currently in progress" instead of the disk-full
// line, and Xapian's half-written version file (an empty v.tmp) stayed in the
// index directory (red team 18). The index stays at its last commit.
TEST(IndexDir, DeletingOnAFullDiskSaysDiskFullAndLeavesNothingBehind) {
    if (!namespaces_work())
        GTEST_SKIP() << "no user+mount namespaces here (unshare -rm): cannot make a small file system";
    // A small index does not do: its deletion record fails to go in before
    // the commit, which was cancelled as it should be. Reuters on 24 MB
    // stops with "disk full" after some batches; the rest is filled.
    const fs::path reuters = fs::path(TRAWL_SHARED_DATA_DIR) / "reuters21578";
    if (!fs::exists(reuters)) GTEST_SKIP() << reuters << " is absent";
    TempDir tmp;
    fs::create_directories(tmp / "small");
    const auto db = (tmp / "small" / "r.idx").string();
    const auto mnt = shell_quote((tmp / "small").string());
    const auto copy = (tmp / "copy.idx").string();
    auto r = run_command(
        "unshare -rm sh -c " +
        shell_quote("mount -t tmpfs -o size=24m none " + mnt + " && { " +
                    index_cmd(db, "-q --threads 1 --no-compact --batch 200 " + shell_quote(reuters.string())) +
                    " 2>/dev/null; echo indexed=$?; dd if=/dev/zero of=" + mnt + "/fill bs=64k 2>/dev/null; " +
                    index_cmd(db, "--delete 315") + "; echo exit=$?; ls -A " + shell_quote(db) + "; cp -a " +
                    shell_quote(db) + " " + shell_quote(copy) + "; }"));
    ASSERT_NE(r.out.find("indexed=2"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("exit=2"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("trawl-index: " + db +
                         ": disk full (No space left on device); the index is intact at its last commit"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("InvalidOperationError"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("v.tmp"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("iamglass"), std::string::npos) << r.out;
    // Nothing was deleted: with room (a copy elsewhere: what the full run
    // left to mend, twins whose originals its last batch lost, needs room
    // for a commit of its own), the same --delete finds it.
    const auto again = run_command(index_cmd(copy, "--delete 315"));
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("deleted 1 article (1 passage)"), std::string::npos) << again.out << again.err;
}

// Xapian 1.4.22 aborts the process (std::terminate) when the disk fills in a
// commit's last writes: Reuters with --batch 500 on 10 or 20 MB did, every
// time, at one and two threads. A commit is not begun without room for it, so
// the error is the usual one and the index stays at its last commit.
TEST(IndexDir, AFullDiskDuringACommitIsTheSameErrorNotAnAbort) {
    if (!namespaces_work())
        GTEST_SKIP() << "no user+mount namespaces here (unshare -rm): cannot make a small file system";
    const fs::path reuters = fs::path(TRAWL_SHARED_DATA_DIR) / "reuters21578";
    if (!fs::exists(reuters)) GTEST_SKIP() << reuters << " is absent";
    for (const char* size : {"10m", "20m"}) {
        for (const char* threads : {"1", "2"}) {
            TempDir tmp;
            fs::create_directories(tmp / "small");
            const auto db = (tmp / "small" / "r.idx").string();
            auto r = run_command("unshare -rm sh -c " +
                                 shell_quote("mount -t tmpfs -o size=" + std::string(size) + " none " +
                                             shell_quote((tmp / "small").string()) + " && " +
                                             index_cmd(db, "-q --threads " + std::string(threads) + " --batch 500 " +
                                                               shell_quote(reuters.string())) +
                                             "; echo exit=$?; ls -A " + shell_quote((tmp / "small").string()) + "; " +
                                             query_cmd(db, "--format json -n 5 oil") + " >/dev/null; echo query=$?"));
            const std::string what = std::string(size) + ", --threads " + threads;
            EXPECT_NE(r.out.find("exit=2"), std::string::npos) << what << "\n" << r.out << r.err;
            EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << what << "\n" << r.err;
            EXPECT_NE(r.err.find("trawl-index: " + db + ": disk full"), std::string::npos) << what << "\n" << r.err;
            EXPECT_NE(r.out.find("exit=2\nr.idx\n"), std::string::npos) << what << ": nothing left beside it\n"
                                                                        << r.out;
            EXPECT_EQ(r.out.find("query=2"), std::string::npos) << what << ": the index opens\n" << r.out << r.err;
        }
    }
}

// ---- an empty mount point as --db ---------------------------------------------

// An empty directory that is a mount point cannot be replaced by a rename
// (EBUSY; its parent is another file system): the index is built inside it.
// A first run killed while creating it leaves it marked not an index yet
// (.trawl-incomplete), and the next run clears that and succeeds.
TEST(IndexDir, AnEmptyMountPointIsIndexedInPlaceAndAKilledFirstRunIsRedone) {
    if (!namespaces_work()) GTEST_SKIP() << "no user+mount namespaces here (unshare -rm): cannot mount a file system";
    for (const char* args : {"--threads 1", "--threads 2", "--threads 2 --shards 2"}) {
        TempDir tmp;
        const auto mnt = (tmp / "mnt").string();
        fs::create_directories(mnt);
        const std::string index = index_cmd(mnt, "-q " + std::string(args) + " " + shell_quote(kNews));
        auto r = run_command("unshare -rm sh -c " +
                             shell_quote("mount -t tmpfs none " + shell_quote(mnt) + " && " +
                                         with_fault("after-create", index) + "; echo killed=$?; ls -A " +
                                         shell_quote(mnt) + "; echo ---; " + index + "; echo exit=$?; ls -A " +
                                         shell_quote(mnt) + "; " + query_cmd(mnt, "--format json -n 5 harbour") +
                                         "; echo query=$?; " + index + "; echo again=$?"));
        const std::string what = std::string(args) + "\n" + r.out + r.err;
        const auto killed = r.out.find("killed=137\n");
        ASSERT_NE(killed, std::string::npos) << what;
        EXPECT_NE(r.out.substr(killed, r.out.find("---") - killed).find("\n.trawl-incomplete\n"), std::string::npos)
            << what;
        EXPECT_NE(r.out.find("exit=0\n"), std::string::npos) << what;
        const std::string after = r.out.substr(r.out.find("exit=0\n") + 7);
        EXPECT_EQ(after.find(".trawl"), std::string::npos) << what;  // whole: no marker, no leftovers
        EXPECT_NE(after.find(std::string(args).find("shards") != std::string::npos ? "shard-1\n" : "iamglass\n"),
                  std::string::npos)
            << what;
        EXPECT_NE(r.out.find("\"ports/harbour-crane\""), std::string::npos) << what;
        EXPECT_NE(r.out.find("query=0\n"), std::string::npos) << what;
        EXPECT_NE(r.out.find("again=0\n"), std::string::npos) << what;  // and it is updated in place
        EXPECT_EQ(r.err.find("trawl-index:"), std::string::npos) << what;
    }
}

// An index inside the folder it indexes: the walk leaves it out, so that a
// second run does not read the index's own files as articles (its stub
// XAPIANDB, "auto shard-0 ...", was found by the query "shard").
TEST(IndexDir, AnIndexInsideTheIndexedFolderIsNotRead) {
    for (const std::string layout : {"--shards 2", "--threads 1"}) {
        TempDir tmp;
        const fs::path corpus = tmp / "c";
        fs::create_directories(corpus / "news");
        std::ofstream(corpus / "news" / "1.txt") << "P\n\nabout pandas\n";
        const std::string db = (corpus / "idx").string();
        for (int run = 0; run < 2; ++run) {
            auto r = run_command(index_cmd(db, layout + " " + shell_quote(corpus.string())));
            ASSERT_EQ(r.exit_code, 0) << r.err;
            EXPECT_EQ(r.err.find("idx/"), std::string::npos) << layout << " run " << run << ": " << r.err;
        }
        auto q = run_command(query_cmd(db, "--format json shard"));
        EXPECT_EQ(q.exit_code, 1) << layout << ": " << q.out;
        q = run_command(query_cmd(db, "--format json --by-article pandas"));
        ASSERT_EQ(q.exit_code, 0) << q.err;
        const auto hits = trawl::test::parse_jsonl(q.out);
        ASSERT_EQ(hits.size(), 1u) << q.out;
        EXPECT_EQ(hits[0].at("article_id"), "news/1");
        // Nothing but the article was read.
        auto again = run_command(index_cmd(db, layout + " " + shell_quote(corpus.string())));
        EXPECT_NE(again.out.find("indexed 0 articles"), std::string::npos) << again.out;
        EXPECT_NE(again.out.find("1 unchanged"), std::string::npos) << again.out;
    }
}
