// End-to-end: an article skipped as a duplicate of another (a twin) is not
// lost when that other article later changes or is deleted: trawl-index keeps
// it as a twin record and indexes it then (indexer/twins.hpp). Across runs,
// within a run, with --stream, --delete, --shards, --rebuild, near
// duplicates, and a run killed between the change and the restore.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::lines_of;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

const std::string kZebra = "zebra quagga okapi";
const std::string kLion = "lion tiger";
const std::string kRestored = "1 duplicate re-indexed: its original changed or was deleted";

struct Twins {
    TempDir tmp;
    std::string db = (tmp / "twins.idx").string();

    // A JSON Lines file of `records` (id, text), all titled "T".
    std::string file(const std::string& name, const std::vector<std::pair<std::string, std::string>>& records) {
        const auto path = tmp / name;
        std::ofstream out(path);
        for (const auto& [id, text] : records)
            out << nlohmann::json{{"id", id}, {"title", "T"}, {"text", text}}.dump() << "\n";
        return path.string();
    }
    trawl::test::CommandResult index(const std::string& args) {
        auto r = run_command(index_cmd(db, args));
        EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
        return r;
    }
    // The articles a query finds.
    std::set<std::string> found(const std::string& q) const {
        auto r = run_command(query_cmd(db, "--format json -n 100 " + shell_quote(q)));
        EXPECT_NE(r.exit_code, 2) << r.err;
        std::set<std::string> ids;
        for (const auto& h : trawl::test::parse_jsonl(r.out)) ids.insert(h.at("article_id").get<std::string>());
        return ids;
    }
    // Every twin record of the index, by key, over its databases.
    std::map<std::string, std::string> records() const {
        std::map<std::string, std::string> out;
        const std::string prefix(trawl::format::kMetaTwinPrefix);
        for (const auto& p : trawl::format::shard_paths(db)) {
            Xapian::Database d(p);
            for (auto k = d.metadata_keys_begin(prefix); k != d.metadata_keys_end(prefix); ++k)
                out[p + " " + *k] = d.get_metadata(*k);
        }
        return out;
    }
};

std::string line_starting(const std::string& out, const std::string& prefix) {
    for (const auto& l : lines_of(out))
        if (l.rfind(prefix, 0) == 0) return l;
    return "";
}

// Runs as root of a new user and mount namespace work here (unshare -rm:
// a small file system without touching the machine's).
bool namespaces_work() {
    return run_command("unshare -rm sh -c 'mount -t tmpfs none /mnt 2>/dev/null || exit 1'").exit_code == 0;
}

const std::set<std::string> kNone;
const std::set<std::string> kX{"x"};
const std::set<std::string> kY{"y"};

}  // namespace

// The defect as reported: x indexed, y skipped as its exact duplicate in a
// later run, then x changes: y's text was gone from the index.
TEST(Twins, ADuplicateOfAnEarlierRunIsIndexedWhenItsOriginalChanges) {
    Twins t;
    t.index(t.file("x.jsonl", {{"x", kZebra}}));
    auto r = t.index(t.file("y.jsonl", {{"y", kZebra}}));
    EXPECT_EQ(
        line_starting(r.out, "duplicates: "),
        "duplicates: 1 exact (1 of articles already in the index) (skipped; e.g. y = x (exact, already indexed))");
    EXPECT_EQ(t.found("okapi"), kX);
    r = t.index(t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_NE(r.out.find("indexed 1 article as 1 passage (1 replaced an earlier version)"), std::string::npos) << r.out;
    EXPECT_EQ(line_starting(r.out, "duplicates: "), "duplicates: 0 exact (skipped); " + kRestored);
    EXPECT_EQ(t.found("okapi"), kY);
    EXPECT_EQ(t.found("quagga zebra"), kY);
    EXPECT_EQ(t.found("lion"), kX);
    EXPECT_TRUE(t.records().empty());
    // Indexed now: a later run leaves it as it is.
    r = t.index(t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_EQ(line_starting(r.out, "duplicates: "),
              "duplicates: 0 exact (skipped); 1 unchanged since an earlier run indexed them (skipped)");
    EXPECT_EQ(t.found("okapi"), kY);
}

// When the run that changes x also gives y, y is indexed on its own (x's
// record holds the old text: Cleaner's in_run), and its twin record goes.
TEST(Twins, TheRunThatChangesTheOriginalMayGiveTheTwinAgain) {
    Twins t;
    t.index(t.file("x.jsonl", {{"x", kZebra}}));
    t.index(t.file("y.jsonl", {{"y", kZebra}}));
    ASSERT_EQ(t.records().size(), 1u);
    auto r = t.index(t.file("x2.jsonl", {{"x", kLion}}) + " " + t.file("y.jsonl", {{"y", kZebra}}));
    EXPECT_NE(r.out.find("indexed 2 articles"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("re-indexed"), std::string::npos) << r.out;
    EXPECT_EQ(t.found("okapi"), kY);
    EXPECT_EQ(t.found("lion"), kX);
    EXPECT_TRUE(t.records().empty());
}

TEST(Twins, DeletingTheOriginalIndexesItsTwin) {
    Twins t;
    t.index(t.file("x.jsonl", {{"x", kZebra}}));
    t.index(t.file("y.jsonl", {{"y", kZebra}}));
    auto r = t.index("--delete x");
    EXPECT_EQ(r.out, "deleted 1 article (1 passage); " + kRestored + "\n");
    EXPECT_EQ(t.found("okapi"), kY);
    EXPECT_TRUE(t.records().empty());
    // --delete-from too.
    Twins u;
    u.index(u.file("xy.jsonl", {{"x", kZebra}, {"y", kZebra}}));
    std::ofstream(u.tmp / "gone.txt") << "x\n";
    r = u.index("--delete-from " + shell_quote((u.tmp / "gone.txt").string()));
    EXPECT_EQ(r.out, "deleted 1 article (1 passage); " + kRestored + "\n");
    EXPECT_EQ(u.found("okapi"), kY);
}

// A twin is an article of the index: --delete deletes it (its record), and
// nothing brings it back when its original changes.
TEST(Twins, DeletingATwinDeletesItsRecord) {
    Twins t;
    t.index(t.file("x.jsonl", {{"x", kZebra}}));
    t.index(t.file("y.jsonl", {{"y", kZebra}}));
    auto r = t.index("--delete y");
    EXPECT_EQ(r.out, "deleted 1 article (0 passages)\n");
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(t.records().empty());
    t.index(t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_EQ(t.found("okapi"), kNone);
}

// x and y in one run (y skipped as the run's own duplicate), then x changes
// in a run without y: on a file, and with --stream (no first pass).
TEST(Twins, ADuplicateWithinARunIsIndexedWhenItsOriginalChanges) {
    for (const std::string mode : {"file", "stream"}) {
        Twins t;
        const auto xy = t.file("xy.jsonl", {{"x", kZebra}, {"y", kZebra}});
        const auto x2 = t.file("x2.jsonl", {{"x", kLion}});
        const auto run = [&](const std::string& f) {
            if (mode == "file") return t.index(f);
            std::stringstream text;
            text << std::ifstream(f).rdbuf();
            auto r = run_command(index_cmd(t.db, "--stream --format jsonl -"), text.str());
            EXPECT_EQ(r.exit_code, 0) << r.err;
            return r;
        };
        auto r = run(xy);
        EXPECT_EQ(line_starting(r.out, "duplicates: "), "duplicates: 1 exact (skipped; e.g. y = x (exact))") << mode;
        EXPECT_EQ(t.found("okapi"), kX) << mode;
        r = run(x2);
        EXPECT_EQ(line_starting(r.out, "duplicates: "), "duplicates: 0 exact (skipped); " + kRestored) << mode;
        EXPECT_EQ(t.found("okapi"), kY) << mode;
        EXPECT_EQ(t.found("lion"), kX) << mode;
    }
}

// A near duplicate names its original's content, not its own.
TEST(Twins, ANearDuplicateIsIndexedWhenItsOriginalChanges) {
    std::string story;
    for (int i = 0; i < 80; ++i)
        story += "w" + std::string(1, static_cast<char>('a' + i % 26)) +
                 std::string(1, static_cast<char>('a' + i / 26)) + " ";
    Twins t;
    auto r = t.index("--dedup near " + t.file("xy.jsonl", {{"x", story + "okapi"}, {"y", story + "zebra"}}));
    EXPECT_NE(line_starting(r.out, "duplicates: ").find("1 near (skipped; e.g. y = x (near, "), std::string::npos)
        << r.out;
    EXPECT_EQ(t.found("zebra"), kNone);
    r = t.index("--dedup near " + t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_NE(line_starting(r.out, "duplicates: ").find(kRestored), std::string::npos) << r.out;
    EXPECT_EQ(t.found("zebra"), kY);
    EXPECT_EQ(t.found("okapi"), kNone);
}

// Re-running a command changes nothing: no commit, the same files, the same hits.
TEST(Twins, ARerunThatChangesNothingLeavesTheIndexAsItIs) {
    Twins t;
    const auto xy = t.file("xy.jsonl", {{"x", kZebra}, {"y", kZebra}, {"z", "giraffe"}});
    t.index(xy);
    const auto tree = [&] {
        std::map<std::string, std::string> files;
        for (const auto& e : fs::recursive_directory_iterator(t.db)) {
            if (!e.is_regular_file() || e.path().filename() == "flintlock") continue;
            std::ifstream in(e.path(), std::ios::binary);
            files[e.path().string()] = std::string(std::istreambuf_iterator<char>(in), {});
        }
        return files;
    };
    const auto before = tree();
    const auto records = t.records();
    ASSERT_EQ(records.size(), 1u);
    auto r = t.index(xy);
    EXPECT_NE(r.out.find("indexed 0 articles"), std::string::npos) << r.out;
    EXPECT_EQ(line_starting(r.out, "duplicates: "),
              "duplicates: 1 exact (skipped; e.g. y = x (exact)); 2 unchanged since an earlier run indexed them "
              "(skipped)");
    EXPECT_EQ(t.records(), records);
    EXPECT_TRUE(tree() == before) << "the index's files changed";
    EXPECT_EQ(t.found("okapi"), kX);
    EXPECT_EQ(t.found("giraffe"), std::set<std::string>{"z"});
}

// y given again with text of its own is indexed, and its record goes: x's
// later change brings back nothing of y's old text.
TEST(Twins, ATwinGivenNewTextDropsItsRecord) {
    Twins t;
    t.index(t.file("x.jsonl", {{"x", kZebra}}));
    t.index(t.file("y.jsonl", {{"y", kZebra}}));
    ASSERT_EQ(t.records().size(), 1u);
    t.index(t.file("y2.jsonl", {{"y", "giraffe"}}));
    EXPECT_TRUE(t.records().empty());
    auto r = t.index(t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_EQ(r.out.find("re-indexed"), std::string::npos) << r.out;
    EXPECT_EQ(t.found("okapi"), kNone);
    EXPECT_EQ(t.found("giraffe"), kY);
    // Skipped again later (another source): the record is written anew.
    t.index(t.file("y3.jsonl", {{"y", kLion}}));
    const auto recs = t.records();
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_NE(recs.begin()->first.find("trawl.twin:y"), std::string::npos);
    EXPECT_EQ(t.found("giraffe"), kNone);
}

// --shards 2 with x and y in different shards: y's record is in y's shard,
// x's content is looked up in x's.
TEST(Twins, ShardedWithTheTwinInAnotherShard) {
    std::string y = "y";
    for (int i = 0; trawl::format::shard_of(y, 2) == trawl::format::shard_of("x", 2); ++i) y = "y" + std::to_string(i);
    Twins t;
    t.index("--shards 2 " + t.file("x.jsonl", {{"x", kZebra}}));
    t.index(t.file("y.jsonl", {{y, kZebra}}));
    const auto recs = t.records();
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs.begin()->first.rfind(
                  (fs::path(t.db) / trawl::format::shard_dir_name(trawl::format::shard_of(y, 2))).string() + " ", 0),
              0u)
        << recs.begin()->first;
    auto r = t.index(t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_NE(r.out.find(kRestored), std::string::npos) << r.out;
    EXPECT_EQ(t.found("okapi"), std::set<std::string>{y});
    // A new sharded index whose first run holds both, then x deleted.
    Twins u;
    u.index("--shards 2 --threads 2 " + u.file("xy.jsonl", {{"x", kZebra}, {y, kZebra}}));
    EXPECT_EQ(u.found("okapi"), kX);
    r = u.index("--delete x");
    EXPECT_EQ(r.out, "deleted 1 article (1 passage); " + kRestored + "\n");
    EXPECT_EQ(u.found("okapi"), std::set<std::string>{y});
}

// A new index built on two threads (temporary shards merged): the record
// survives the merge.
TEST(Twins, ARecordSurvivesTheMergeOfAParallelBuild) {
    Twins t;
    t.index("--threads 2 " + t.file("xy.jsonl", {{"x", kZebra}, {"y", kZebra}, {"z", "giraffe"}}));
    EXPECT_EQ(t.records().size(), 1u);
    t.index(t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_EQ(t.found("okapi"), kY);
}

// A new index writes its passages into segments merged at the end
// (BuilderOptions::segment_passages; XAPIAN_FLUSH_THRESHOLD=1 makes them two
// passages each), its metadata into the database they are merged with: y's
// record, skipped as x's twin, survives the merge, and y is indexed when x
// changes; as when the index is written in place.
TEST(Twins, ARecordSurvivesTheMergeOfSegments) {
    std::vector<std::pair<std::string, std::string>> records = {{"x", kZebra}, {"y", kZebra}};
    for (int i = 0; i < 9; ++i)
        records.emplace_back("f" + std::to_string(i), "filler words number " + std::to_string(i));
    for (const std::string args : {"--threads 1 --no-compact", "--threads 1", "--threads 2"}) {
        Twins t;
        auto r = run_command("XAPIAN_FLUSH_THRESHOLD=1 " + index_cmd(t.db, args + " " + t.file("x.jsonl", records)));
        ASSERT_EQ(r.exit_code, 0) << args << ": " << r.err;
        EXPECT_NE(r.out.find("indexed 10 articles"), std::string::npos) << args << ": " << r.out;
        EXPECT_EQ(t.found("filler"), (std::set<std::string>{"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"}))
            << args;
        EXPECT_EQ(t.found("okapi"), kX) << args;
        EXPECT_EQ(t.records().size(), 1u) << args;
        r = t.index(t.file("x2.jsonl", {{"x", kLion}}));
        EXPECT_NE(r.out.find(kRestored), std::string::npos) << args << ": " << r.out;
        EXPECT_EQ(t.found("okapi"), kY) << args;
        EXPECT_EQ(t.found("lion"), kX) << args;
        EXPECT_TRUE(t.records().empty()) << args;
    }
}

// --rebuild keeps the records (only dead passages go).
TEST(Twins, RebuildKeepsTheRecords) {
    Twins t;
    t.index(t.file("xyz.jsonl", {{"x", kZebra}, {"y", kZebra}, {"z", "giraffe"}}));
    t.index(t.file("z2.jsonl", {{"z", "elephant"}}));  // dead passages, to rebuild
    const auto recs = t.records();
    ASSERT_EQ(recs.size(), 1u);
    auto r = t.index("--rebuild");
    EXPECT_NE(r.out.find("rebuilt "), std::string::npos) << r.out;
    EXPECT_EQ(t.records(), recs);
    t.index(t.file("x2.jsonl", {{"x", kLion}}));
    EXPECT_EQ(t.found("okapi"), kY);
}

#ifdef TRAWL_FAULT_INJECTION
// Killed after x's new version is committed and before y is restored: the
// next run, whatever it indexes, restores y.
TEST(Twins, ARunKilledBeforeTheRestoreIsMendedByTheNext) {
    Twins t;
    t.index(t.file("x.jsonl", {{"x", kZebra}}));
    t.index(t.file("y.jsonl", {{"y", kZebra}}));
    const auto x2 = t.file("x2.jsonl", {{"x", kLion}});
    auto r = run_command("TRAWL_FAULT_AT=before-twins " + index_cmd(t.db, x2));
    EXPECT_EQ(r.exit_code, 128 + 9) << r.err;
    EXPECT_EQ(t.found("lion"), kX);
    EXPECT_EQ(t.found("okapi"), kNone) << "killed before the restore";
    EXPECT_EQ(t.records().size(), 1u);
    r = t.index(x2);
    EXPECT_EQ(line_starting(r.out, "duplicates: "),
              "duplicates: 0 exact (skipped); 1 unchanged since an earlier run indexed them (skipped); " + kRestored);
    EXPECT_EQ(t.found("okapi"), kY);
    EXPECT_TRUE(t.records().empty());
}
#endif

// --delete on a disk with room for its deletion but not for restoring the
// twins it orphans (red team 19, F2: a commit that adds documents wants 16 MB
// free): the deletion was committed, then the restore failed, and the run
// said "disk full ...; the index is intact at its last commit": x was gone
// and y could not be found; every later --delete failed the same way. Now
// the deletion and its restores are one transaction per database: nothing is
// deleted. A deletion that orphans nothing, and an id the index does not
// hold, still go in on that disk. With room, x's deletion restores y.
TEST(Twins, DeletingOnADiskTooFullToRestoreTheTwinDeletesNothing) {
    if (!namespaces_work())
        GTEST_SKIP() << "no user+mount namespaces here (unshare -rm): cannot make a small file system";
    std::string y = "y";  // in the other shard than x's, with --shards 2
    for (int i = 0; trawl::format::shard_of(y, 2) == trawl::format::shard_of("x", 2); ++i) y = "y" + std::to_string(i);
    for (const std::string layout : {"", "--shards 2 "}) {
        Twins t;
        t.index(layout + t.file("xyw.jsonl", {{"x", kZebra}, {y, kZebra}, {"w", "giraffe"}}));
        ASSERT_EQ(t.records().size(), 1u) << layout;
        fs::create_directories(t.tmp / "small");
        const auto small = (t.tmp / "small" / "i.idx").string();
        const auto out = (t.tmp / "out.idx").string();
        auto r = run_command("unshare -rm sh -c " +
                             shell_quote("mount -t tmpfs -o size=8m none " + shell_quote((t.tmp / "small").string()) +
                                         " && cp -a " + shell_quote(t.db) + " " + shell_quote(small) + " && { " +
                                         index_cmd(small, "--delete x") + "; echo deleted=$?; " +
                                         index_cmd(small, "--delete w --delete nosuch") + "; echo other=$?; cp -a " +
                                         shell_quote(small) + " " + shell_quote(out) + "; }"));
        const std::string what = layout + "\n" + r.out + r.err;
        EXPECT_NE(r.out.find("deleted=2\n"), std::string::npos) << what;
        EXPECT_NE(r.err.find("trawl-index: " + small +
                             ": disk full (No space left on device); the index is intact at its last commit"),
                  std::string::npos)
            << what;
        EXPECT_NE(r.out.find("deleted 1 article (1 passage); 1 unknown id\nother=0\n"), std::string::npos) << what;
        EXPECT_NE(r.err.find("warning: no article 'nosuch' in " + small), std::string::npos) << what;
        t.db = out;
        EXPECT_EQ(t.found("okapi"), kX) << what;
        EXPECT_EQ(t.found("giraffe"), kNone) << what;
        EXPECT_EQ(t.records().size(), 1u) << what;
        // With room.
        r = t.index("--delete x");
        EXPECT_EQ(r.out, "deleted 1 article (1 passage); " + kRestored + "\n") << layout;
        EXPECT_EQ(t.found("okapi"), std::set<std::string>{y}) << layout;
        EXPECT_TRUE(t.records().empty()) << layout;
    }
}
