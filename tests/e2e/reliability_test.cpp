// End-to-end reliability: hostile input through trawl-index (--on-error skip
// and fail), --delete, update by re-indexing, and the writer lock.
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/format/schema.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/hostile_corpus.hpp"
#include "tests/testutil/index_contents.hpp"
#include "tests/testutil/run_command.hpp"
#include "tests/testutil/utf16.hpp"

namespace fs = std::filesystem;
using trawl::test::CommandResult;
using trawl::test::index_cmd;
using trawl::test::lines_of;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;
using trawl::test::write_file;

namespace {

const std::string kNews = TRAWL_FIXTURES_DIR "/e2e/news";

// Article ids of a JSON query's hits.
std::set<std::string> hit_articles(const std::string& db, const std::string& q) {
    auto r = run_command(query_cmd(db, "--format json -n 100 " + shell_quote(q)));
    EXPECT_NE(r.exit_code, 2) << r.err;
    std::set<std::string> ids;
    for (const auto& h : trawl::test::parse_jsonl(r.out)) ids.insert(h.at("article_id").get<std::string>());
    return ids;
}

// Live passages (format v3 keeps deleted and replaced ones in its tables, dead).
std::size_t passages(const std::string& db) { return trawl::test::live_passage_count(db); }
std::size_t passages_of(const std::string& db, const std::string& article) {
    return trawl::test::live_passages_of(db, article);
}

}  // namespace

// ---- hostile input ---------------------------------------------------------

TEST(Reliability, HostileCorpusIndexesEveryGoodRecordAndCountsTheRest) {
    TempDir tmp;
    const auto corpus = trawl::test::write_hostile_corpus(tmp / "in");
    const std::string db = (tmp / "h.idx").string();
    auto r = run_command(index_cmd(db, shell_quote((tmp / "in").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::uint64_t skipped = 0;
    for (const auto& [reason, n] : corpus.skipped) skipped += n;
    EXPECT_NE(r.out.find("skipped " + std::to_string(skipped) + " records ("), std::string::npos) << r.out;
    for (const auto& [reason, n] : corpus.skipped)
        EXPECT_NE(r.out.find(std::to_string(n) + " " + reason), std::string::npos) << reason << "\n" << r.out;
    // Each skip is one stderr line naming its file (and line).
    for (const auto& name : corpus.named) {
        const std::string want = "trawl-index: " + (tmp / "in" / name).string() + ": skipped: ";
        EXPECT_NE(r.err.find(want), std::string::npos) << want << "\n" << r.err;
    }
    for (const auto& line : lines_of(r.err)) EXPECT_TRUE(line.starts_with("trawl-index: ")) << line;
    // The index is valid and holds every good record, findable by its word.
    for (const auto& [id, word] : corpus.good) {
        EXPECT_EQ(hit_articles(db, word), std::set<std::string>{id}) << word;
        EXPECT_GT(passages_of(db, id), 0u) << id;
    }
    EXPECT_EQ(passages_of(db, "d-binary"), 0u);
}

TEST(Reliability, OnErrorFailStopsAtTheFirstBadRecordAndKeepsTheCommittedIndex) {
    TempDir tmp;
    const std::string db = (tmp / "f.idx").string();
    ASSERT_EQ(run_command(index_cmd(db, "--passage-words 30 --overlap 5 " + shell_quote(kNews))).exit_code, 0);
    const auto before = passages(db);
    ASSERT_GT(before, 0u);

    write_file(tmp / "in/a.jsonl",
               "{\"_id\": \"new1\", \"text\": \"A fine new record about okapiword.\"}\n"
               "{\"_id\": \"new2\", \"title\": \"No text field\"}\n"
               "{\"_id\": \"new3\", \"text\": \"Never reached: quetzalword.\"}\n");
    const std::string fail_message =
        "trawl-index: " + (tmp / "in/a.jsonl").string() +
        ":2: missing text (id new2); stopped by --on-error fail (committed batches are kept)\n";
    auto r = run_command(index_cmd(db, "--batch 10 --on-error fail " + shell_quote((tmp / "in").string())));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, fail_message);
    EXPECT_EQ(r.out, "");
    // Nothing of the failed run: the batch it had open (new1) was discarded.
    EXPECT_EQ(passages(db), before);
    EXPECT_EQ(passages_of(db, "new1"), 0u);
    EXPECT_EQ(hit_articles(db, "harbour").empty(), false);
    // With one article per batch, new1 was committed before the bad record: it stays.
    r = run_command(index_cmd(db, "--batch 1 --on-error fail " + shell_quote((tmp / "in").string())));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, fail_message);
    EXPECT_EQ(passages(db), before + 1);
    EXPECT_EQ(passages_of(db, "new1"), 1u);
    EXPECT_EQ(passages_of(db, "new3"), 0u);

    // The default, skip, indexes the good records and counts the bad one.
    r = run_command(index_cmd(db, "--batch 1 " + shell_quote((tmp / "in").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("skipped 1 record (1 missing text)"), std::string::npos) << r.out;
    EXPECT_EQ(hit_articles(db, "okapiword"), std::set<std::string>{"new1"});
    EXPECT_EQ(hit_articles(db, "quetzalword"), std::set<std::string>{"new3"});

    EXPECT_EQ(run_command(index_cmd(db, "--on-error maybe " + shell_quote(kNews))).exit_code, 2);
}

// ---- delete and update -------------------------------------------------------

// An empty --delete-from list is a deleting run that deletes nothing: it
// neither indexes nor creates an index (it ran as an indexing run of no
// input, and created one at a new path).
TEST(Reliability, AnEmptyDeleteListDeletesNothingAndCreatesNoIndex) {
    TempDir tmp;
    const std::string fresh = (tmp / "new.idx").string(), db = (tmp / "d.idx").string();
    write_file(tmp / "empty.txt", "");
    auto r = run_command(index_cmd(fresh, "--delete-from " + shell_quote((tmp / "empty.txt").string())));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find("no index here"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(fresh));
    ASSERT_EQ(run_command(index_cmd(db, shell_quote(kNews))).exit_code, 0);
    const auto total = passages(db);
    r = run_command(index_cmd(db, "--delete-from " + shell_quote((tmp / "empty.txt").string())));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("deleted 0 articles (0 passages)"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("indexed"), std::string::npos) << r.out;
    EXPECT_EQ(passages(db), total);
}

TEST(Reliability, DeleteRemovesEveryPassageOfTheArticlesInOneCommit) {
    TempDir tmp;
    const std::string db = (tmp / "d.idx").string();
    ASSERT_EQ(run_command(index_cmd(db, "--passage-words 30 --overlap 5 " + shell_quote(kNews))).exit_code, 0);
    const auto total = passages(db);
    const auto crane = passages_of(db, "ports/harbour-crane");
    const auto oil = passages_of(db, "markets/crude-oil");
    ASSERT_GT(crane, 0u);
    ASSERT_GT(oil, 0u);
    ASSERT_TRUE(hit_articles(db, "harbour").contains("ports/harbour-crane"));
    const auto passages_of_before_plans = passages_of(db, "ports/harbour-plans");

    write_file(tmp / "ids.txt", "markets/crude-oil\r\n\nno/such-article\n");
    auto r = run_command(index_cmd(db, "--delete ports/harbour-crane --delete ports/harbour-crane --delete-from " +
                                           shell_quote((tmp / "ids.txt").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "deleted 2 articles (" + std::to_string(crane + oil) + " passages); 1 unknown id\n");
    EXPECT_EQ(r.err, "trawl-index: " + (tmp / "ids.txt").string() + ":3: warning: no article 'no/such-article' in " +
                         db + "\n");
    EXPECT_EQ(passages(db), total - crane - oil);
    EXPECT_EQ(passages_of(db, "ports/harbour-crane"), 0u);
    EXPECT_FALSE(hit_articles(db, "harbour").contains("ports/harbour-crane"));
    EXPECT_TRUE(hit_articles(db, "harbour").contains("ports/harbour-plans"));

    // A long list of stale ids: five named, the rest counted in one line.
    std::string stale;
    for (int i = 0; i < 40; ++i) stale += "gone/" + std::to_string(i) + "\n";
    write_file(tmp / "stale.txt", stale);
    r = run_command(index_cmd(db, "--delete-from " + shell_quote((tmp / "stale.txt").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "deleted 0 articles (0 passages); 40 unknown ids\n");
    EXPECT_EQ(trawl::test::lines_of(r.err).size(), 6u) << r.err;
    EXPECT_NE(r.err.find("no article 'gone/4' in"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("gone/5"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("trawl-index: warning: 35 further ids not in " + db + " (counted in the summary)\n"),
              std::string::npos)
        << r.err;

    // "--delete-from -" reads the ids from standard input (it was "-: cannot
    // open"); an id is shown with its control bytes escaped.
    r = run_command(index_cmd(db, "--delete-from -"), "\xEF\xBB\xBFgone/x\nports/harbour-plans\nbell\a\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "deleted 1 article (" + std::to_string(passages_of_before_plans) + " passages); 2 unknown ids\n");
    EXPECT_EQ(r.err, "trawl-index: -:1: warning: no article 'gone/x' in " + db +
                         "\ntrawl-index: -:3: warning: no article 'bell\\x07' in " + db + "\n");
    EXPECT_FALSE(hit_articles(db, "harbour").contains("ports/harbour-plans"));

    // Usage: --delete takes no inputs; no inputs and no --delete is an error.
    r = run_command(index_cmd(db, "--delete x " + shell_quote(kNews)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--delete"), std::string::npos) << r.err;
    r = run_command(index_cmd(db, ""));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no input"), std::string::npos) << r.err;
    // Deleting from a missing index is an error, and creates nothing.
    r = run_command(index_cmd((tmp / "none.idx").string(), "--delete x"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_FALSE(fs::exists(tmp / "none.idx"));
}

TEST(Reliability, ReindexingAChangedArticleReplacesItsPassages) {
    TempDir tmp;
    const std::string db = (tmp / "u.idx").string();
    const std::string fresh = (tmp / "fresh.idx").string();
    fs::copy(kNews, tmp / "news", fs::copy_options::recursive);
    ASSERT_EQ(
        run_command(index_cmd(db, "--passage-words 30 --overlap 5 " + shell_quote((tmp / "news").string()))).exit_code,
        0);
    ASSERT_TRUE(hit_articles(db, "harbour").contains("ports/harbour-crane"));

    // The article now says something else, at another length.
    std::string text = "Gantry replaced\n\n";
    for (int i = 0; i < 12; ++i) text += "Sentence " + std::to_string(i) + " is about the new xylophoneword gantry. ";
    write_file(tmp / "news/ports/harbour-crane.txt", text + "\n");
    auto r = run_command(index_cmd(db, "--passage-words 30 --overlap 5 " + shell_quote((tmp / "news").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 1 article as 4 passages (1 replaced an earlier version)"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("; 5 unchanged since an earlier run indexed them (skipped)"), std::string::npos) << r.out;

    ASSERT_EQ(run_command(index_cmd(fresh, "--passage-words 30 --overlap 5 " + shell_quote((tmp / "news").string())))
                  .exit_code,
              0);
    EXPECT_EQ(passages(db), passages(fresh));
    EXPECT_EQ(passages_of(db, "ports/harbour-crane"), passages_of(fresh, "ports/harbour-crane"));
    EXPECT_GT(passages_of(db, "ports/harbour-crane"), 1u);
    EXPECT_EQ(hit_articles(db, "xylophoneword"), std::set<std::string>{"ports/harbour-crane"});
    EXPECT_TRUE(hit_articles(fresh, "tonnes").empty()) << "only the old text said tonnes";
    EXPECT_TRUE(hit_articles(db, "tonnes").empty()) << "old passages gone";
    EXPECT_TRUE(hit_articles(db, "dock").empty()) << "old passages gone";
}

// ---- bad directory entries --------------------------------------------------------

TEST(Reliability, SymlinkLoopInACorpusFolderIsSkippedAndTheRestIndexed) {
    TempDir tmp;
    const fs::path in = tmp / "in";
    write_file(in / "a-good.txt", "Good story\n\nThe one readable article is about a zebrafinch.\n");
    write_file(in / "sub/z-also-good.txt", "Second story\n\nAnother readable article about a quokkaword.\n");
    fs::create_symlink("loop-b", in / "loop-a");  // two links pointing at each other: ELOOP
    fs::create_symlink("loop-a", in / "loop-b");
    fs::create_directory_symlink(".", in / "sub/self");  // a link to a directory is not followed: no error
    const std::string db = (tmp / "w.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(in.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(hit_articles(db, "zebrafinch"), std::set<std::string>{"a-good"});
    EXPECT_EQ(hit_articles(db, "quokkaword"), std::set<std::string>{"sub/z-also-good"});
    for (const char* link : {"loop-a", "loop-b"}) {
        const std::string want = "trawl-index: " + (in / link).string() +
                                 ": skipped: unreadable input (cannot follow symbolic link: Too many levels of "
                                 "symbolic links)\n";
        EXPECT_NE(r.err.find(want), std::string::npos) << want << r.err;
    }
    EXPECT_EQ(lines_of(r.err).size(), 2u) << r.err;
    EXPECT_NE(r.out.find("indexed 2 articles"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("skipped 2 records (2 unreadable input)"), std::string::npos) << r.out;
}

// A file name or an id holding a line break (or a terminal's escape) made
// a message of two lines, or wrote the escape to the terminal: the data's
// control bytes are written \xHH, each message one line; in the summary's
// examples of duplicates too.
TEST(Reliability, ControlBytesInFileNamesAndIdsAreEscapedInMessages) {
    TempDir tmp;
    const fs::path in = tmp / "in";
    write_file(in / "bad\nname.txt", "\x7f" + std::string("ELF") + std::string(200, '\0'));  // an executable
    write_file(in / "feed.jsonl",
               "{\"id\": \"a\\u001b[2Jb\", \"text\": \"First text about a numbat.\"}\n"
               "{\"id\": \"a\\u001b[2Jb\", \"text\": \"Second text about a numbat.\"}\n"
               "{\"id\": \"c\\u0007d\", \"text\": \"Second text about a numbat.\"}\n");
    const std::string db = (tmp / "c.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(in.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(lines_of(r.err),
              (std::vector<std::string>{"trawl-index: " + (in / "bad").string() + "\\x0aname.txt: skipped: binary file",
                                        "trawl-index: " + (in / "feed.jsonl").string() +
                                            ":1: warning: duplicate id (article a\\x1b[2Jb: a later record of this "
                                            "run replaces it)"}))
        << r.err;
    EXPECT_NE(r.out.find("(skipped; e.g. c\\x07d = a\\x1b[2Jb (exact))"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find_first_of("\x07\x1b"), std::string::npos) << r.out;
    // --on-error fail's one line too.
    r = run_command(index_cmd((tmp / "f.idx").string(), "--on-error fail " + shell_quote(in.string())));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + (in / "bad").string() +
                         "\\x0aname.txt: binary file; stopped by --on-error fail (committed batches are kept)\n");
    // A file that cannot be opened at all, the one fatal message (a review).
    r = run_command(index_cmd((tmp / "g.idx").string(), shell_quote((tmp / "miss\ning").string())));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(lines_of(r.err), (std::vector<std::string>{"trawl-index: " + (tmp / "miss").string() +
                                                         "\\x0aing: cannot open: No such file or directory"}))
        << r.err;
}

TEST(Reliability, UnreadableSubfolderIsSkippedAndTheRestIndexed) {
    // Root reads a mode-000 folder anyway: run trawl-index without the capabilities that allow it.
    std::string prefix;
    if (geteuid() == 0) {
        prefix = "setpriv --bounding-set -dac_override,-dac_read_search ";
        if (run_command(prefix + "true").exit_code != 0)
            GTEST_SKIP() << "running as root and setpriv cannot drop CAP_DAC_OVERRIDE: a mode-000 folder is readable";
    }
    TempDir tmp;
    const fs::path in = tmp / "in";
    write_file(in / "a-good.txt", "Good story\n\nThe one readable article is about a zebrafinch.\n");
    write_file(in / "locked/hidden.txt", "Locked story\n\nNobody reads the wombatword.\n");
    write_file(in / "z-good.txt", "Last story\n\nRead after the locked folder: quokkaword.\n");
    fs::permissions(in / "locked", fs::perms::none);
    struct Unlock {  // so that TempDir can remove it, whatever happens
        fs::path dir;
        ~Unlock() { fs::permissions(dir, fs::perms::owner_all); }
    } unlock{in / "locked"};
    const std::string db = (tmp / "p.idx").string();
    auto r = run_command(prefix + index_cmd(db, shell_quote(in.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "trawl-index: " + (in / "locked").string() +
                         ": skipped: unreadable input (cannot read directory: Permission denied)\n");
    EXPECT_NE(r.out.find("indexed 2 articles"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("skipped 1 record (1 unreadable input)"), std::string::npos) << r.out;
    EXPECT_EQ(hit_articles(db, "zebrafinch"), std::set<std::string>{"a-good"});
    EXPECT_EQ(hit_articles(db, "quokkaword"), std::set<std::string>{"z-good"});
    EXPECT_TRUE(hit_articles(db, "wombatword").empty());
}

// ---- inputs that must not be lost -------------------------------------------------

namespace {

const std::string kPipedJsonl =
    "{\"_id\": \"p1\", \"text\": \"The first piped article is about an axolotlword.\"}\n"
    "{\"_id\": \"p2\", \"text\": \"The second piped article is about a pangolinword.\"}\n";

}  // namespace

// A pipe, /dev/stdin fed by a pipe or a named FIFO is copied first, as "-"
// is (indexer/input_spool.hpp), and its records indexed; without a format
// its copy is sniffed, as a file is (it used to be refused).
TEST(Reliability, PipesAndFifosAreCopiedAndIndexed) {
    TempDir tmp;
    const std::string src = (tmp / "src.jsonl").string();
    write_file(src, kPipedJsonl);
    auto check = [&](const std::string& name, const CommandResult& r, const std::string& db) {
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
        EXPECT_NE(r.out.find("indexed 2 articles"), std::string::npos) << name << ": " << r.out;
        EXPECT_EQ(hit_articles(db, "axolotlword"), std::set<std::string>{"p1"}) << name;
        EXPECT_EQ(hit_articles(db, "pangolinword"), std::set<std::string>{"p2"}) << name;
    };
    // /dev/stdin fed by a pipe (the group keeps run_command's redirection off the pipe).
    std::string db = (tmp / "stdin.idx").string();
    check("/dev/stdin",
          run_command("{ cat " + shell_quote(src) + " | " + index_cmd(db, "--format jsonl /dev/stdin") + "; }"), db);
    // Process substitution: /dev/fd/N.
    db = (tmp / "procsub.idx").string();
    check("<(cat)",
          run_command("bash -c " + shell_quote(index_cmd(db, "--format jsonl <(cat " + shell_quote(src) + ")"))), db);
    // A named FIFO: its extension gives the format, and a second open would wait for a writer that is gone.
    const std::string fifo = (tmp / "feed.jsonl").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    db = (tmp / "fifo.idx").string();
    check("FIFO",
          run_command("{ timeout 60 sh -c 'cat \"$1\" > \"$2\"' sh " + shell_quote(src) + " " + shell_quote(fifo) +
                      " & timeout 60 " + index_cmd(db, shell_quote(fifo)) + "; }"),
          db);
    // No format and nothing in its name to tell it by: its copy is sniffed (JSON Lines).
    db = (tmp / "sniffed.idx").string();
    check("/dev/stdin sniffed", run_command("{ cat " + shell_quote(src) + " | " + index_cmd(db, "/dev/stdin") + "; }"),
          db);
}

// Markup read as SGML that holds no record (an RSS feed) is a skip naming the
// file, which --on-error fail stops on; an XHTML page is read as a web page.
TEST(Reliability, FileWithoutSgmlRecordsIsASkipAndXhtmlIsAPage) {
    TempDir tmp;
    const fs::path in = tmp / "in";
    write_file(in / "feed.xml",
               "<?xml version=\"1.0\"?>\n<rss><channel><item><title>Rss item</title>"
               "<description>Rss description about a koalaword.</description></item></channel></rss>\n");
    write_file(in / "xpage",
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
               "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
               "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Xhtml page</title></head>"
               "<body><p>Xhtml body about a hippoword. Second sentence.</p></body></html>\n");
    const std::string db = (tmp / "x.idx").string();
    const std::string message =
        (in / "feed.xml").string() + ": no records (read as SGML: no <DOC> or <REUTERS> records)";
    auto r = run_command(index_cmd(db, shell_quote(in.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "trawl-index: " + (in / "feed.xml").string() +
                         ": skipped: no records (read as SGML: no <DOC> or <REUTERS> records)\n");
    EXPECT_NE(r.out.find("indexed 1 article"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("skipped 1 record (1 no records)"), std::string::npos) << r.out;
    EXPECT_EQ(hit_articles(db, "hippoword"), std::set<std::string>{"xpage"});

    r = run_command(index_cmd((tmp / "f.idx").string(), "--on-error fail " + shell_quote(in.string())));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + message + "; stopped by --on-error fail (committed batches are kept)\n");
}

// Text saved as UTF-16 with a byte-order mark (Windows "Unicode") is indexed
// like its UTF-8 version, not skipped as a binary file.
TEST(Reliability, Utf16FilesAreIndexedLikeUtf8) {
    TempDir tmp;
    const fs::path in = tmp / "in";
    write_file(in / "story.txt",
               trawl::test::utf16("Wide story\r\n\r\nA caf\xC3\xA9 article about a narwhalword.\r\n"));
    write_file(in / "feed.csv", trawl::test::utf16("id,text\r\nc1,\"Rows about an okapiword, in UTF-16.\"\r\n",
                                                   trawl::test::Endian::Big));
    const std::string db = (tmp / "u.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(in.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("indexed 2 articles"), std::string::npos) << r.out;
    EXPECT_EQ(hit_articles(db, "narwhalword"), std::set<std::string>{"story"});
    EXPECT_EQ(hit_articles(db, "caf\xC3\xA9"), std::set<std::string>{"story"});
    EXPECT_EQ(hit_articles(db, "okapiword"), std::set<std::string>{"c1"});
}

// A decoder's warning names the line trawl-index's readers count: in a
// UTF-16 file (with lone CRs for line ends, as old Mac text has) and in a page
// declared windows-1251 (lone CRs and CR-LFs), the line of the bad character.
TEST(Reliability, DecodingWarningsNameTheLineWhateverTheLineEnds) {
    TempDir tmp;
    const fs::path in = tmp / "in";
    write_file(in / "wide.txt", trawl::test::utf16("Wide story\r\rA narwhalword.\rA lone ") +
                                    std::string("\x3D\xD8", 2) +
                                    trawl::test::utf16(" surrogate.\r", trawl::test::Endian::Little, false));
    write_file(in / "page.html",
               "<html>\r\n<head>\r<meta charset=\"windows-1251\">\r</head>\r\n<body><p>An okapiword \x98 "
               "\xEC\xEE\xF1\xEA\xE2\xE0.</p></body>\r</html>\r");
    const std::string db = (tmp / "d.idx").string();
    auto r = run_command(index_cmd(db, "-q " + shell_quote(in.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "trawl-index: " + (in / "page.html").string() +
                         ":5: warning: invalid characters repaired (bytes that are not windows-1251 replaced by "
                         "U+FFFD)\n"
                         "trawl-index: " +
                         (in / "wide.txt").string() +
                         ":4: warning: invalid UTF-16 repaired (unpaired surrogate replaced by U+FFFD)\n");
    EXPECT_EQ(hit_articles(db, "narwhalword"), std::set<std::string>{"wide"});
    EXPECT_EQ(hit_articles(db, "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"),
              std::set<std::string>{"page"});  // москва
}

// ---- locking ------------------------------------------------------------------

TEST(Reliability, SecondWriterGetsALockErrorNotAHang) {
    TempDir tmp;
    const std::string db = (tmp / "l.idx").string();
    ASSERT_EQ(run_command(index_cmd(db, shell_quote(kNews))).exit_code, 0);
    const auto before = passages(db);
    {
        Xapian::WritableDatabase holder(db, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);  // holds the write lock
        auto r = run_command(index_cmd(db, shell_quote(kNews)));
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_EQ(r.err,
                  "trawl-index: " + db + ": index is locked by another process (is another trawl-index running?)\n");
        r = run_command(index_cmd(db, "--delete ports/harbour-crane"));
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_EQ(r.err,
                  "trawl-index: " + db + ": index is locked by another process (is another trawl-index running?)\n");
        // Readers are not blocked by the writer.
        EXPECT_FALSE(hit_articles(db, "harbour").empty());
    }
    EXPECT_EQ(passages(db), before);
    EXPECT_EQ(run_command(index_cmd(db, "--delete ports/harbour-crane")).exit_code, 0);
}

// ---- hostile queries -------------------------------------------------------------

TEST(Reliability, HostileQueriesThroughTrawlQueryAreClearErrorsOrSaneResults) {
    TempDir tmp;
    const std::string db = (tmp / "q.idx").string();
    ASSERT_EQ(run_command(index_cmd(db, shell_quote(kNews))).exit_code, 0);
    std::string huge;
    // More than 1024 words, within a query line's 64 KiB (kMaxQueryLineBytes).
    for (int i = 0; i < 2000; ++i) huge += "storm" + std::to_string(i) + " ";
    using namespace std::string_literals;
    const std::string queries =
        "q1\t\"unbalanced quote\n"            // 1
        "q2\tAND\n"                           // 2
        "q3\tstorm OR\n"                      // 3
        "q4\tNOT storm\n"                     // 4
        "q5\tstorm NEAR/999999999 warning\n"  // 5
        "q6\t" +
        huge +
        "\n"                              // 6
        "q7\tstorm\x07warning\n"          // 7
        "q8\tstorm\0warning\n"s           // 8
        "q9\tcaf\xE9\n"                   // 9
        "q10\tstorm NEAR/1000 warning\n"  // 10: fine
        "q11\t()\n"                       // 11: a query of nothing
        "q12\tstorm\n";                   // 12: fine
    auto r = run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(db) + " --format trec", queries);
    EXPECT_EQ(r.exit_code, 2) << "a bad query makes the run exit 2";
    const auto errors = lines_of(r.err);
    ASSERT_EQ(errors.size(), 10u) << r.err;
    for (std::size_t i = 0; i < errors.size(); ++i)
        EXPECT_TRUE(errors[i].starts_with("trawl-query: <stdin>:" + std::to_string(i < 9 ? i + 1 : 11) +
                                          ": query error at column "))
            << errors[i];
    EXPECT_NE(errors[9].find("empty parentheses"), std::string::npos) << errors[9];
    EXPECT_NE(errors[5].find("more than 1024 words"), std::string::npos) << errors[5];
    EXPECT_NE(errors[8].find("invalid UTF-8"), std::string::npos) << errors[8];
    // The good queries after the bad ones still ran.
    std::set<std::string> qids;
    for (const auto& l : lines_of(r.out)) qids.insert(l.substr(0, l.find(' ')));
    EXPECT_EQ(qids, (std::set<std::string>{"q10", "q12"}));
}
