// End-to-end tests of where the binaries' output goes and of what they read
// as queries: results that cannot be written (a full disk) are an error, not
// lost silently; a batch's text output says which query each block answers;
// a queries "file" that is a directory, and a query line too long to hold,
// are one-line errors.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

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

const std::string kFixtures = TRAWL_FIXTURES_DIR "/e2e";

// `command` with its stdout sent to `target` (grouped, so that run_command's
// own redirection of stdout applies to the group and not to the command).
CommandResult with_stdout(const std::string& command, const std::string& target, const std::string& stdin_text = {}) {
    return run_command("{ " + command + " >" + target + "; }", stdin_text);
}

class OutputTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new TempDir();
        db_ = (*tmp_ / "news.idx").string();
        const auto r =
            run_command(index_cmd(db_, "--quiet --passage-words 30 --overlap 5 " + shell_quote(kFixtures + "/news")));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    static inline TempDir* tmp_ = nullptr;
    static inline std::string db_;
};

const std::string kFull = "trawl-query: cannot write to standard output: No space left on device\n";

// `trawl-query ... > /dev/full` printed nothing, said nothing and exited 0.
TEST_F(OutputTest, ResultsThatCannotBeWrittenAreAnError) {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    for (const std::string args :
         {"-n 5 storm", "--format json -n 5 storm", "--format trec storm", "nosuchwordatall"}) {
        const auto r = with_stdout(query_cmd(db_, args), "/dev/full");
        EXPECT_EQ(r.exit_code, 2) << args;
        EXPECT_EQ(r.err, kFull) << args;
    }
    // A batch, from a file and from stdin.
    TempDir tmp;
    const auto file = (tmp / "topics.tsv").string();
    std::ofstream(file) << "q1\tstorm\nq2\tharbour\n";
    auto r = with_stdout(query_cmd(db_, "--queries " + shell_quote(file)), "/dev/full");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, kFull);
    r = with_stdout(query_cmd(db_, "--format trec"), "/dev/full", "storm\nharbour\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, kFull);
}

// On a disk that fills up during a batch, the run stopped mid-output and
// exited 0. A file size limit (ulimit -f, SIGXFSZ ignored: write(2) fails
// with EFBIG past 4 KiB) stands in for the full disk: the batch stops at the
// first failed write, with one line and exit status 2.
TEST_F(OutputTest, ABatchStopsWhenItsOutputFillsUp) {
    TempDir tmp;
    const auto out = tmp / "run.json";
    std::string queries;
    for (int i = 0; i < 200; ++i) queries += "storm\nharbour crane\n";
    const auto r = run_command("{ trap '' XFSZ; ulimit -f 8; " + query_cmd(db_, "--format json -n 20") + " >" +
                                   shell_quote(out.string()) + "; }",
                               queries);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: cannot write to standard output: File too large\n");
    EXPECT_LE(fs::file_size(out), 4096u);
    EXPECT_GT(fs::file_size(out), 0u);
}

// trawl-index's summary and trawl-bench's report go the same way.
TEST_F(OutputTest, IndexSummaryAndBenchReportThatCannotBeWrittenAreErrors) {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    TempDir tmp;
    const auto db = (tmp / "x.idx").string();
    auto r = with_stdout(index_cmd(db, shell_quote(kFixtures + "/news")), "/dev/full");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: cannot write to standard output: No space left on device\n");
    EXPECT_TRUE(fs::exists(fs::path(db) / "iamglass")) << "the index itself is written";

    const auto coll = tmp / "tiny";
    fs::create_directories(coll / "qrels");
    std::ofstream(coll / "corpus.jsonl")
        << "{\"_id\": \"d1\", \"title\": \"Copper\", \"text\": \"Copper prices rose.\"}\n";
    std::ofstream(coll / "queries.jsonl") << "{\"_id\": \"q1\", \"text\": \"copper prices\"}\n";
    std::ofstream(coll / "qrels" / "test.tsv") << "query-id\tcorpus-id\tscore\nq1\td1\t1\n";
    const std::string bench = std::string(TRAWL_BENCH_BIN) + " eval --quiet --peers none -w 0 ";
    r = with_stdout(bench + shell_quote(coll.string()), "/dev/full");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-bench: cannot write to standard output: No space left on device\n");
    r = run_command(bench + shell_quote(coll.string()));  // the same run, written
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("trawl"), std::string::npos) << r.out;
}

// In text, each query of a batch is headed by "query QID: QUERY", so that a
// block can be told from the next when a line in between was an error; a
// single query has no header.
TEST_F(OutputTest, BatchTextSaysWhichQueryEachBlockAnswers) {
    TempDir tmp;
    const auto file = (tmp / "topics.tsv").string();
    std::ofstream(file) << "storm\nharbour \"crane\nq3\tharbour NEAR/3 crane\n";
    const auto r = run_command(query_cmd(db_, "-n 1 --queries " + shell_quote(file)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: " + file + ":2: query error at column 9: unbalanced double quote\n");
    std::vector<std::string> headers;
    const auto lines = lines_of(r.out);
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].starts_with("query ")) {
            headers.push_back(lines[i]);
            ASSERT_LT(i + 1, lines.size());
            EXPECT_NE(lines[i + 1].find(" passage"), std::string::npos) << "the count line follows: " << r.out;
        }
    EXPECT_EQ(headers, (std::vector<std::string>{"query 1: storm", "query q3: harbour NEAR/3 crane"})) << r.out;
    EXPECT_TRUE(r.out.starts_with("query 1: storm\n")) << r.out;
    const auto piped = run_command(query_cmd(db_, "-n 1"), "storm\n");
    EXPECT_TRUE(piped.out.starts_with("query 1: storm\n")) << piped.out;
    const auto single = run_command(query_cmd(db_, "-n 1 storm"));
    EXPECT_EQ(single.out.find("query "), std::string::npos) << single.out;
}

// `--queries DIR` and `< DIR` printed nothing and exited 1, as for no hits.
TEST_F(OutputTest, AQueriesDirectoryIsAnError) {
    TempDir tmp;
    const auto dir = tmp.path().string();
    auto r = run_command(query_cmd(db_, "--queries " + shell_quote(dir)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: " + dir + ": cannot read: Is a directory\n");
    EXPECT_EQ(r.out, "");
    r = run_command("{ " + query_cmd(db_, "") + " <" + shell_quote(dir) + "; }");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: <stdin>: cannot read: Is a directory\n");
    r = run_command(query_cmd(db_, "--queries " + shell_quote(dir + "/missing")));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: " + dir + "/missing: cannot open queries file: No such file or directory\n");
}

// One query line of 20 MB without a newline took hundreds of MB (300 MB:
// 6 GB). Lines are held up to 64 KiB: a longer one is an error naming its
// line, read past, and the batch goes on with the next line. Under an
// address-space limit far below what the old reading took; the 300 MB line
// is a hole in a sparse file (NUL bytes), which costs no disk.
TEST_F(OutputTest, AQueryLineLongerThan64KiBIsAnErrorAndTheBatchGoesOn) {
#if defined(__SANITIZE_ADDRESS__)
    const std::string limit;  // ASan reserves terabytes of address space
#else
    const std::string limit = "ulimit -v 262144; ";
#endif
    TempDir tmp;
    const auto file = (tmp / "long.tsv").string();
    {
        std::ofstream f(file, std::ios::binary);
        f << "storm" << std::string(65536 - 5, ' ') << "\n";  // 64 KiB exactly: a query
    }
    fs::resize_file(file, fs::file_size(file) + (300u << 20));  // 300 MB in one line
    {
        std::ofstream f(file, std::ios::binary | std::ios::app);
        f << "\nq3\tharbour NEAR/3 crane\n";
        f << "q4\t" << std::string(65536, 'b') << "\n";  // 64 KiB and 3 bytes
    }
    const auto r = run_command("{ " + limit + query_cmd(db_, "--format trec --queries " + shell_quote(file)) + "; }");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: " + file + ":2: query line longer than 65536 bytes\ntrawl-query: " + file +
                         ":4: query line longer than 65536 bytes\n");
    std::set<std::string> qids;
    for (const auto& l : lines_of(r.out)) qids.insert(l.substr(0, l.find(' ')));
    EXPECT_EQ(qids, (std::set<std::string>{"1", "q3"})) << r.out;
    // The same on stdin.
    const auto piped =
        run_command("{ " + limit + "cat " + shell_quote(file) + " | " + query_cmd(db_, "--format trec") + "; }");
    EXPECT_EQ(piped.exit_code, 2);
    EXPECT_EQ(piped.err,
              "trawl-query: <stdin>:2: query line longer than 65536 bytes\ntrawl-query: <stdin>:4: "
              "query line longer than 65536 bytes\n");
    EXPECT_EQ(piped.out, r.out);
}

}  // namespace
