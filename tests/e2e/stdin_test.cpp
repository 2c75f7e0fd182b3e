// End-to-end tests of input on stdin ("-") and pipes: trawl-index copies it
// to a file next to the index first (indexer/input_spool.hpp), so that it has
// the first pass a file has (boilerplate statistics, each id's records) and
// `zcat feed.gz | trawl-index -` makes the index `trawl-index feed.gz` makes.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::CommandResult;
using trawl::test::index_cmd;
using trawl::test::lines_of;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

const std::string kFooter = "Follow the Tidewater Ledger on Quokkacast for daily harbour updates.";
const std::vector<std::string> kTopics = {
    "The council approved a new budget for the lifeboat station and the lighthouse.",
    "The harbour ferries run every hour from the old pier until the autumn storms begin.",
    "Fishermen landed a record catch of mackerel at the market on Tuesday morning.",
    "The regatta drew two hundred sailing boats despite the strong westerly wind.",
    "Tours of the lighthouse resume in spring after the repairs to its lantern room.",
    "The lifeboat crew rescued three walkers cut off by the tide below the cliffs.",
    "A new timetable adds a late ferry on Fridays during the summer season.",
    "The harbour master warned of shifting sandbanks at the mouth of the estuary.",
    "Volunteers cleared the beach of plastic after the winter gales had passed.",
    "The museum opened an exhibition of ship models built by local carpenters.",
    "Oyster beds in the creek recovered after the water quality improved.",
    "A crane lifted the old paddle steamer onto the slipway for its overhaul.",
};

// JSON Lines: twelve articles that end in the same footer (boilerplate the
// first pass learns), id "a3" twice (the first record's word, wombatword,
// must not stay), one line that is not JSON (a skip naming its line).
std::string feed() {
    std::string out;
    auto record = [&](const std::string& id, const std::string& text) {
        out += nlohmann::json{{"id", id}, {"text", text + " " + kFooter}}.dump() + "\n";
    };
    for (std::size_t i = 0; i < kTopics.size(); ++i) {
        if (i == 3) record("a3", "An early draft about a wombatword that a later record replaces.");
        if (i == 6) out += "{not json\n";
        record("a" + std::to_string(i), kTopics[i]);
    }
    return out;
}

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// `shell` with its stdin from `producer`'s stdout (grouped, so that
// run_command's own redirections stay off the pipe).
CommandResult piped(const std::string& producer, const std::string& command) {
    return run_command("{ " + producer + " | " + command + "; }");
}

std::string line_starting(const std::string& out, const std::string& prefix) {
    for (const auto& l : lines_of(out))
        if (l.starts_with(prefix)) return l;
    return "";
}

// What trawl-query --format trec gives for each of a few queries, one block each.
std::string trec(const std::string& db) {
    std::string all;
    for (const char* q : {"harbour", "lighthouse lifeboat", "ferry timetable", "numbatword", "quokkacast"}) {
        auto r = run_command(query_cmd(db, "--format trec -n 50 " + shell_quote(q)));
        EXPECT_NE(r.exit_code, 2) << q << ": " << r.err;
        all += std::string("# ") + q + "\n" + r.out;
    }
    return all;
}

}  // namespace

// The same feed, gzipped, indexed by path and piped through stdin (with and
// without --format: a copy is sniffed as a file is) makes the same index:
// the footer learned and removed, only the last record of a3 indexed, with
// the warning naming stdin's line; and the piped command run again changes
// nothing. (It used to have no first pass: the footer stayed, both records
// of a3 were indexed in turn, and every re-run added dead passages.)
TEST(Stdin, PipedInputIsIndexedAsTheFileIsAndAgainChangesNothing) {
    TempDir tmp;
    const std::string text = feed();
    std::string with_numbat = text;  // the last record of a3 is about a numbatword
    const std::string a3 = nlohmann::json{{"id", "a3"}, {"text", kTopics[3] + " " + kFooter}}.dump();
    const std::string a3_new =
        nlohmann::json{{"id", "a3"}, {"text", kTopics[3] + " A numbatword was seen. " + kFooter}}.dump();
    with_numbat.replace(with_numbat.find(a3), a3.size(), a3_new);
    write_file(tmp / "feed.jsonl", with_numbat);
    ASSERT_EQ(run_command("gzip -k " + shell_quote((tmp / "feed.jsonl").string())).exit_code, 0);
    const std::string gz = (tmp / "feed.jsonl.gz").string();

    const std::string file_db = (tmp / "file.idx").string();
    auto by_path = run_command(index_cmd(file_db, shell_quote(gz)));
    ASSERT_EQ(by_path.exit_code, 0) << by_path.err;
    const std::string learned = line_starting(by_path.out, "removed ");
    ASSERT_NE(learned.find("1 line learned from "), std::string::npos) << by_path.out;
    const std::string expected = trec(file_db);
    const auto passages = Xapian::Database(file_db).get_doccount();

    for (const std::string format : {"--format jsonl ", ""}) {
        const std::string db = (tmp / ("pipe" + std::to_string(format.size()) + ".idx")).string();
        const std::string cmd = index_cmd(db, format + "-");
        auto first = piped("gzip -dc " + shell_quote(gz), cmd);
        ASSERT_EQ(first.exit_code, 0) << format << first.err;
        EXPECT_EQ(line_starting(first.out, "removed "), learned) << format << "\n" << first.out;
        const auto counts =
            [](const std::string& out) {  // "indexed N articles as M passages" (the input's size differs)
                const std::string l = line_starting(out, "indexed ");
                return l.substr(0, l.find(" from "));
            };
        EXPECT_EQ(counts(first.out), counts(by_path.out)) << first.out;
        // Messages name stdin and its lines, not the copy.
        EXPECT_NE(first.err.find("trawl-index: -:4: warning: duplicate id (article a3: a later record of this run "
                                 "replaces it)"),
                  std::string::npos)
            << format << "\n"
            << first.err;
        EXPECT_NE(first.err.find("trawl-index: -:8: skipped: "), std::string::npos) << first.err;
        EXPECT_EQ(first.err.find("trawl-stdin"), std::string::npos) << first.err;
        EXPECT_EQ(trec(db), expected) << format;
        EXPECT_EQ(Xapian::Database(db).get_doccount(), passages) << format;
        auto footer = run_command(query_cmd(db, "--format json quokkacast"));
        EXPECT_EQ(footer.exit_code, 1) << "the learned footer is gone: " << footer.out;
        auto draft = run_command(query_cmd(db, "--format json wombatword"));
        EXPECT_EQ(draft.exit_code, 1) << "the earlier record of a3 is not indexed: " << draft.out;
        auto last = run_command(query_cmd(db, "--format json --by-article numbatword"));
        ASSERT_EQ(last.exit_code, 0) << last.err;
        const auto hits = trawl::test::parse_jsonl(last.out);
        ASSERT_EQ(hits.size(), 1u) << last.out;
        EXPECT_EQ(hits[0].at("article_id"), "a3");

        auto again = piped("gzip -dc " + shell_quote(gz), cmd);
        ASSERT_EQ(again.exit_code, 0) << again.err;
        EXPECT_NE(again.out.find("indexed 0 articles"), std::string::npos) << format << "\n" << again.out;
        EXPECT_NE(again.out.find("12 unchanged since an earlier run indexed them (skipped)"), std::string::npos)
            << again.out;
        EXPECT_EQ(Xapian::Database(db).get_doccount(), passages) << format << ": no dead passages added";
        EXPECT_EQ(trec(db), expected) << format << ": the same hits, the same scores";
        // The copy is gone: only the index stands next to it.
        for (const auto& e : fs::directory_iterator(tmp.path()))
            EXPECT_EQ(e.path().filename().string().find(".trawl-"), std::string::npos) << e.path();
    }
}

// A pipe given by name (process substitution) is copied too: sniffed, and
// read by both passes.
TEST(Stdin, ProcessSubstitutionIsReadAsAFile) {
    TempDir tmp;
    write_file(tmp / "feed.jsonl", feed());
    const std::string db = (tmp / "p.idx").string();
    auto r = run_command("bash -c " +
                         shell_quote(index_cmd(db, "<(cat " + shell_quote((tmp / "feed.jsonl").string()) + ")")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 line learned from "), std::string::npos) << r.out;
    EXPECT_NE(r.err.find(":4: warning: duplicate id (article a3: a later record of this run replaces it)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(run_command(query_cmd(db, "--format json wombatword")).exit_code, 1);
}

// The copy goes next to the index: a run killed after making it leaves it
// (named as the other temporaries, with the run's process id), and the next
// run removes it.
TEST(Stdin, AKilledRunsCopyIsRemovedByTheNextRun) {
    TempDir tmp;
    write_file(tmp / "feed.jsonl", feed());
    const std::string db = (tmp / "k.idx").string();
    const std::string cat = "cat " + shell_quote((tmp / "feed.jsonl").string());
    auto killed = piped(cat, "TRAWL_FAULT_AT=after-spool " + index_cmd(db, "-"));
    EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(tmp.path()))
        if (e.path().filename().string().starts_with(".k.idx.trawl-stdin-")) left.push_back(e.path().string());
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(fs::file_size(left[0]), fs::file_size(tmp / "feed.jsonl"));
    EXPECT_FALSE(fs::exists(db)) << "killed before the index was touched";
    auto next = piped(cat, index_cmd(db, "-"));
    ASSERT_EQ(next.exit_code, 0) << next.err;
    EXPECT_FALSE(fs::exists(left[0]));
    EXPECT_NE(next.out.find("indexed 12 articles"), std::string::npos) << next.out;
}

// Standard input redirected from a file is not copied (it is opened afresh
// as /dev/stdin for each pass, so it needs no disk), and a device is not
// copied either (copying /dev/zero would fill the disk): it is read once.
TEST(Stdin, AFileOnStandardInputAndADeviceAreNotCopied) {
    TempDir tmp;
    write_file(tmp / "feed.jsonl", feed());
    const std::string db = (tmp / "r.idx").string();
    // run_command() redirects standard input from a file holding its text.
    auto killed = run_command("TRAWL_FAULT_AT=after-spool " + index_cmd(db, "-"), feed());
    EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
    for (const auto& e : fs::directory_iterator(tmp.path()))
        EXPECT_FALSE(e.path().filename().string().starts_with(".r.idx.trawl-stdin-")) << e.path();
    auto r = run_command(index_cmd(db, "-"), feed());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 12 articles"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find(":4: warning: duplicate id (article a3: a later record of this run replaces it)"),
              std::string::npos)
        << r.err;
    r = run_command(index_cmd(db, "-"), feed());
    EXPECT_NE(r.out.find("indexed 0 articles"), std::string::npos) << r.out;

    const std::string zero_db = (tmp / "z.idx").string();
    r = run_command("timeout 60 " + index_cmd(zero_db, "--format text /dev/zero"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("/dev/zero: skipped: binary file"), std::string::npos) << r.err;
    for (const auto& e : fs::directory_iterator(tmp.path()))
        EXPECT_FALSE(e.path().filename().string().starts_with(".z.idx.trawl-stdin-")) << e.path();
}

// A disk too full for the copy: one line naming stdin and the copy, exit 2,
// nothing left beside the index, and the index as it was. (A tmpfs of 24 MB:
// a commit wants room for 16 MB; once the index is made, a file fills the
// rest.)
TEST(Stdin, AFullDiskWhileCopyingIsOneLineAndTheIndexIsUntouched) {
    if (run_command("unshare -rm sh -c 'mount -t tmpfs none /mnt 2>/dev/null || exit 1'").exit_code != 0)
        GTEST_SKIP() << "no user+mount namespaces here (unshare -rm): cannot make a small file system";
    TempDir tmp;
    fs::create_directories(tmp / "small");
    const std::string feed_path = (tmp / "feed.jsonl").string();
    write_file(feed_path, feed());
    const std::string small = (tmp / "small").string();
    const std::string db = (tmp / "small" / "f.idx").string();
    const auto trec_to = [&](const std::string& name) {
        return query_cmd(db, "--format trec harbour") + " > " + shell_quote((tmp / name).string());
    };
    auto r = run_command("unshare -rm sh -c " +
                         shell_quote("mount -t tmpfs -o size=24m none " + shell_quote(small) + " && " +
                                     index_cmd(db, "-q --threads 1 " + shell_quote(feed_path)) + " 2>/dev/null && " +
                                     trec_to("before") + " && { cat /dev/zero > " + shell_quote(small + "/filler") +
                                     " 2>/dev/null; " + "cat " + shell_quote(feed_path) + " | " + index_cmd(db, "-") +
                                     "; echo exit=$?; } && ls -A " + shell_quote(small) + " && " + trec_to("after")));
    EXPECT_NE(r.out.find("exit=2\nf.idx\nfiller\n"), std::string::npos) << "nothing left beside the index\n"
                                                                        << r.out << r.err;
    const auto errors = lines_of(r.err);
    ASSERT_EQ(errors.size(), 1u) << r.err;
    EXPECT_TRUE(
        errors[0].starts_with("trawl-index: -: cannot copy standard input to " + small + "/.f.idx.trawl-stdin-"))
        << errors[0];
    EXPECT_NE(errors[0].find("No space left on device"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("the index is untouched"), std::string::npos) << errors[0];
    std::stringstream before, after;
    before << std::ifstream(tmp / "before").rdbuf();
    after << std::ifstream(tmp / "after").rdbuf();
    EXPECT_NE(before.str().find(" Q0 a"), std::string::npos) << before.str();
    EXPECT_EQ(after.str(), before.str());
}

// Found by review of the copy (each test fails on the code before it):

// A killed run's copy is removed before this run copies, not after: it used
// to take the disk room the new copy needs, so that every later piped run
// failed with a full disk while the old copy stayed.
TEST(Stdin, AKilledRunsCopyIsGoneBeforeTheNextCopyIsMade) {
    TempDir tmp;
    write_file(tmp / "feed.jsonl", feed());
    const std::string db = (tmp / "k.idx").string();
    const std::string cat = "cat " + shell_quote((tmp / "feed.jsonl").string());
    for (int run = 0; run < 2; ++run) {
        auto killed = piped(cat, "TRAWL_FAULT_AT=after-spool " + index_cmd(db, "-"));
        EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
        EXPECT_EQ(trawl::test::names_starting(tmp.path(), ".k.idx.trawl-stdin-").size(), 1u) << "run " << run;
    }
}

// An index that is locked is refused before the pipe is read: a stream that
// can be read only once is not used up by a run that cannot index it.
TEST(Stdin, ALockedIndexIsRefusedBeforeStandardInputIsRead) {
    TempDir tmp;
    const std::string db = (tmp / "l.idx").string();
    write_file(tmp / "feed.jsonl", feed());
    ASSERT_EQ(run_command(index_cmd(db, "--quiet " + shell_quote((tmp / "feed.jsonl").string()))).exit_code, 0);
    std::string big;
    while (big.size() < (std::size_t{2} << 20)) big += feed();
    write_file(tmp / "big.jsonl", big);
    Xapian::WritableDatabase holder(db, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);  // holds the lock
    const auto done = tmp / "producer-finished";
    auto r =
        piped("{ cat " + shell_quote((tmp / "big.jsonl").string()) + " && touch " + shell_quote(done.string()) + "; }",
              index_cmd(db, "-"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("index is locked by another process"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(done)) << "the producer wrote everything: the pipe was read";
    EXPECT_TRUE(trawl::test::names_starting(tmp.path(), ".l.idx.trawl-stdin-").empty());
}

// Standard input that the caller has already read from (a file, at an
// offset) is read from where it stands, not opened afresh from the start.
TEST(Stdin, AFileOnStandardInputIsReadFromWhereItStands) {
    TempDir tmp;
    const std::string db = (tmp / "o.idx").string();
    const std::string two = nlohmann::json{{"id", "first"}, {"text", "The wombatword was read by the caller."}}.dump() +
                            "\n" + nlohmann::json{{"id", "second"}, {"text", "The numbatword is left for us."}}.dump() +
                            "\n";
    auto r = run_command("sh -c " + shell_quote("read -r line; exec " + index_cmd(db, "--format jsonl -")), two);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 1 article"), std::string::npos) << r.out;
    EXPECT_EQ(run_command(query_cmd(db, "--format json wombatword")).exit_code, 1);
    EXPECT_EQ(run_command(query_cmd(db, "--format json numbatword")).exit_code, 0);
}

// --stream reads a pipe as it comes: a producer that does not end (tail -f)
// has its records committed batch by batch into an index, as a file's are
// (the copy waits for the end of the input, which never comes). (A new
// index holds its first 4 MB back to train its dictionary, so the stream
// goes into an index that has one.)
TEST(Stdin, StreamIndexesAPipeAsItComes) {
    TempDir tmp;
    const std::string db = (tmp / "s.idx").string();
    write_file(tmp / "first.jsonl", nlohmann::json{{"id", "first"}, {"text", kTopics[0]}}.dump() + "\n");
    ASSERT_EQ(run_command(index_cmd(db, "--quiet " + shell_quote((tmp / "first.jsonl").string()))).exit_code, 0);
    // 240 records, past the 8 KB a reader probes (encoding, binary content)
    // before the first record.
    std::string stream;
    for (int i = 0; i < 240; ++i) {
        // A word of its own per record (digits fold away): no duplicates.
        const std::string own = std::string("q") + static_cast<char>('a' + i % 26) + static_cast<char>('a' + i / 26);
        stream +=
            nlohmann::json{{"id", "s" + std::to_string(i)}, {"text", kTopics[i % kTopics.size()] + " " + own}}.dump() +
            "\n";
    }
    ASSERT_GT(stream.size(), 16384u);
    write_file(tmp / "stream.jsonl", stream);
    auto r = piped("{ cat " + shell_quote((tmp / "stream.jsonl").string()) + "; sleep 12; }",
                   "timeout -s KILL 6 " + index_cmd(db, "--stream --format jsonl --batch 10 -"));
    EXPECT_EQ(r.exit_code, 128 + 9) << r.err;
    EXPECT_GE(Xapian::Database(db).get_doccount(), 200u);
    EXPECT_TRUE(trawl::test::names_starting(tmp.path(), ".s.idx.trawl-stdin-").empty());
}

TEST(Stdin, GivenTwiceOrClosedIsOneClearLine) {
    TempDir tmp;
    const std::string db = (tmp / "t.idx").string();
    auto r = run_command(index_cmd(db, "- -"), feed());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("standard input (-) can be given once"), std::string::npos) << r.err;
    r = run_command("sh -c " + shell_quote("exec " + index_cmd(db, "-") + " <&-"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("-: standard input is closed"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_FALSE(fs::exists(db));
}
