// End-to-end tests of what only a terminal shows, through a pseudo-terminal:
// trawl-query's interactive prompt (line editing, history kept across runs,
// Ctrl-C, Ctrl-D, prompt commands) and trawl-index's progress line.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/pty_session.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::PtySession;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kFixtures = TRAWL_FIXTURES_DIR "/e2e";

std::string read_file(const fs::path& p) {
    std::stringstream s;
    s << std::ifstream(p).rdbuf();
    return s.str();
}

class PromptTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new trawl::test::TempDir();
        db_ = (*tmp_ / "news.idx").string();
        const auto r =
            run_command(index_cmd(db_, "--passage-words 30 --overlap 5 " + shell_quote(kFixtures + "/news")));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    // trawl-query's prompt with its history under `state` (XDG_STATE_HOME).
    static std::string prompt_cmd(const fs::path& state) {
        return "env XDG_STATE_HOME=" + shell_quote(state.string()) + " " + query_cmd(db_, "");
    }

    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string db_;
};

TEST_F(PromptTest, HistorySurvivesARestartAndUpRecallsTheLastQuery) {
    trawl::test::TempDir state;
    {
        PtySession s(prompt_cmd(state.path()));
        ASSERT_TRUE(s.started());
        ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
        s.send("harbour NEAR/3 crane\r");
        ASSERT_TRUE(s.wait_for("1 passage in 1 article")) << s.output();
        ASSERT_TRUE(s.wait_for("[ports/harbour-crane#")) << s.output();
        ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
        s.send("\x04");  // Ctrl-D on an empty line: the end
        EXPECT_EQ(s.wait_exit(), 0) << s.output();
    }
    const auto history = state.path() / "trawl" / "history";
    ASSERT_TRUE(fs::exists(history));
    EXPECT_NE(read_file(history).find("harbour NEAR/3 crane"), std::string::npos);

    PtySession s(prompt_cmd(state.path()));
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x1b[A");  // Up: the last query of the earlier run
    ASSERT_TRUE(s.wait_for("harbour NEAR/3 crane")) << s.output();
    s.send("\r");
    ASSERT_TRUE(s.wait_for("[ports/harbour-crane#")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":q\r");
    EXPECT_EQ(s.wait_exit(), 0) << s.output();
}

// A history file that cannot be written is said once, the prompt goes on,
// and :help does not claim the queries are kept (a file where the state
// folder should be: root could write any folder).
TEST_F(PromptTest, AHistoryFileThatCannotBeWrittenIsSaidOnceAndTheSessionGoesOn) {
    trawl::test::TempDir tmp;
    const auto blocker = tmp.path() / "not-a-folder";
    std::ofstream(blocker) << "x";
    PtySession s(prompt_cmd(blocker));
    ASSERT_TRUE(s.started());
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("harbour NEAR/3 crane\r");
    ASSERT_TRUE(s.wait_for("[ports/harbour-crane#")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("storm\r");
    ASSERT_TRUE(s.wait_for("[weather/storm-warning#")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":help\r");
    ASSERT_TRUE(s.wait_for("not saved this session")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x04");
    EXPECT_EQ(s.wait_exit(), 0) << s.output();
    const std::string out = s.output();
    const std::string warning =
        "warning: the history is not saved: cannot write " + (blocker / "trawl" / "history").string();
    const auto first = out.find(warning);
    ASSERT_NE(first, std::string::npos) << out;
    EXPECT_EQ(out.find(warning, first + 1), std::string::npos) << "said more than once:\n" << out;
}

// At the prompt: types a line and cancels it with Ctrl-C, then sends `keys`,
// which must run a search for "storm", and ends with Ctrl-D.
void cancel_a_line_then_search_storm(PtySession& s, const std::string& keys) {
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("zeppelin airship");
    ASSERT_TRUE(s.wait_for("airship")) << s.output();
    s.send("\x03");  // Ctrl-C: the line is dropped, the program goes on
    ASSERT_TRUE(s.wait_for("^C")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(keys);
    ASSERT_TRUE(s.wait_for("[weather/storm-warning#")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x04");
    EXPECT_EQ(s.wait_exit(), 0) << s.output();
    EXPECT_EQ(s.output().find("zeppelin airship\r\n0 passages"), std::string::npos) << "the cancelled line ran";
}

TEST_F(PromptTest, LineEditingCtrlCCancelsTheLine) {
    trawl::test::TempDir state;
    PtySession s(prompt_cmd(state.path()));
    // Editing: "storx", Backspace, "m" gives "storm"; then Ctrl-A, Ctrl-K
    // (start of line, kill to its end) and "stom", Left, "r", Ctrl-E give
    // "storm" again.
    ASSERT_NO_FATAL_FAILURE(cancel_a_line_then_search_storm(s, "storx\x7fm\x01\x0bstom\x1b[Dr\x05\r"));
    const auto history = read_file(state.path() / "trawl" / "history");
    EXPECT_EQ(history.find("zeppelin"), std::string::npos) << history;
    EXPECT_NE(history.find("storm"), std::string::npos) << history;
}

// A parent that starts the prompt with SIGINT blocked (signal masks survive
// exec) must not take Ctrl-C away from it.
TEST_F(PromptTest, CtrlCCancelsTheLineWhenStartedWithSigintBlocked) {
    trawl::test::TempDir state;
    PtySession s(prompt_cmd(state.path()), PtySession::Sigint::blocked);
    cancel_a_line_then_search_storm(s, "storm\r");
}

// Ctrl-C while a search runs cancels that search, says so on stderr, and
// the prompt goes on: the next query runs, Ctrl-D ends. The search is held
// inside Xapian's match by the "search-stall" fault point (query/cancel.hpp)
// until the Ctrl-C comes, so nothing here depends on timing.
TEST_F(PromptTest, CtrlCDuringASearchCancelsItAndThePromptGoesOn) {
#ifndef TRAWL_FAULT_INJECTION
    GTEST_SKIP() << "needs the search-stall fault point of a test build (-DTRAWL_FAULT_INJECTION=ON)";
#endif
    trawl::test::TempDir state;
    PtySession s("env TRAWL_FAULT_AT=search-stall " + prompt_cmd(state.path()));
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("storm\r");
    ASSERT_TRUE(s.wait_for("search stalled")) << s.output();
    s.send("\x03");
    ASSERT_TRUE(s.wait_for("cancelled")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    EXPECT_EQ(s.output().find("[weather/storm-warning#"), std::string::npos) << "the cancelled search printed hits";
    s.send("storm\r");  // the fault point stalls a process's first search only
    ASSERT_TRUE(s.wait_for("[weather/storm-warning#")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x03");  // at an empty line: a fresh prompt, as before
    ASSERT_TRUE(s.wait_for("^C")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x04");
    EXPECT_EQ(s.wait_exit(), 0) << s.output();
}

TEST_F(PromptTest, CommandsChangeTheOptionsOfLaterQueries) {
    trawl::test::TempDir state;
    PtySession s(prompt_cmd(state.path()));
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":help\r");
    ASSERT_TRUE(s.wait_for(":by-article on|off")) << s.output();
    ASSERT_TRUE(s.wait_for(state.path().string() + "/trawl/history")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":n 1\r");
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":format json\r");
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("storm\r");
    ASSERT_TRUE(s.wait_for("{\"summary\":")) << s.output();
    ASSERT_TRUE(s.wait_for("\"rank\":1")) << s.output();
    const auto after_first = s.mark();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    EXPECT_EQ(s.output().find("\"rank\":2", after_first - 200), std::string::npos) << ":n 1 shows one hit";
    s.send(":n -3\r");
    ASSERT_TRUE(s.wait_for("--limit must be a number from 1 to 4294967295, not -3")) << s.output();
    s.send(":colour red\r");
    ASSERT_TRUE(s.wait_for("unknown command :colour (see :help)")) << s.output();
    s.send(":format text\r");
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":by-article on\r");
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("storm\r");
    ASSERT_TRUE(s.wait_for("more passages)")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":q\r");
    EXPECT_EQ(s.wait_exit(), 0) << s.output();
}

// The prompt with stdout redirected (`trawl-query --db X --format json >
// run.json`, queries typed at the terminal): the banner, the prompt, the
// echo of the line and readline's escape codes (bracketed paste on, "\e[?2004h")
// went into the file. They go to the terminal (stderr); the file holds the
// results only.
TEST_F(PromptTest, WithStdoutRedirectedTheFileHoldsOnlyResults) {
    trawl::test::TempDir state;
    for (const std::string format : {"json", "text"}) {
        const auto file = state.path() / ("run." + format);
        PtySession s(prompt_cmd(state.path()) + " --format " + format + " >" + shell_quote(file.string()));
        ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
        EXPECT_NE(s.output().find("passages. One query per line"), std::string::npos) << s.output();
        s.send("storm\r");
        ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
        s.send(":help\r");
        ASSERT_TRUE(s.wait_for(":by-article on|off")) << s.output();
        ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
        s.send("harbour NEAR/3 crane\r");
        ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
        s.send("\x04");
        EXPECT_EQ(s.wait_exit(), 0) << s.output();
        EXPECT_EQ(s.output().find("[weather/storm-warning#"), std::string::npos) << "results on the terminal";
        EXPECT_EQ(s.output().find("\"rank\""), std::string::npos) << "results on the terminal";
        const std::string out = read_file(file);
        EXPECT_EQ(out.find("trawl"), std::string::npos) << out;
        EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
        EXPECT_EQ(out.find(":by-article"), std::string::npos) << out;
        if (format == "json") {
            const auto summaries = trawl::test::parse_summaries(out);  // every line is JSON
            ASSERT_EQ(summaries.size(), 2u) << out;
            EXPECT_EQ(summaries[0].at("query"), "storm");
            EXPECT_EQ(summaries[1].at("query"), "harbour NEAR/3 crane");
        } else {
            ASSERT_FALSE(out.empty());
            EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(out[0]))) << "the count line first: " << out;
            EXPECT_NE(out.find("\n1 passage in 1 article"), std::string::npos) << out;
            EXPECT_NE(out.find("[ports/harbour-crane#"), std::string::npos) << out;
        }
    }
}

// ":exit" and ":bogus" said ":exit needs a value"; a query error lacked the
// "trawl-query: " a command's error has.
TEST_F(PromptTest, UnknownCommandsAndQueryErrorsSaySoLikeCommandErrors) {
    trawl::test::TempDir state;
    PtySession s(prompt_cmd(state.path()));
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send(":exit\r");
    ASSERT_TRUE(s.wait_for("trawl-query: unknown command :exit (see :help)\r\n")) << s.output();
    s.send(":bogus\r");
    ASSERT_TRUE(s.wait_for("trawl-query: unknown command :bogus (see :help)\r\n")) << s.output();
    s.send(":n\r");
    ASSERT_TRUE(s.wait_for("trawl-query: :n needs a value (see :help)\r\n")) << s.output();
    s.send("storm \"x\r");
    ASSERT_TRUE(s.wait_for("trawl-query: query error at column 7: unbalanced double quote\r\n")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x04");
    EXPECT_EQ(s.wait_exit(), 1) << s.output();
}

// Two lines pasted at once (bracketed paste: readline keeps the line break
// in the line) ran as one query, "control character (code 10) not allowed",
// while the history file got two entries. Each pasted line is a query, as if
// typed and entered, and an entry of the history of its own.
TEST_F(PromptTest, APastedBlockRunsEachLineAsAQuery) {
    trawl::test::TempDir state;
    PtySession s("env INPUTRC=/dev/null " + prompt_cmd(state.path()));
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x1b[200~storm\rharbour NEAR/3 crane\r\x1b[201~\r");
    ASSERT_TRUE(s.wait_for("[weather/storm-warning#")) << s.output();
    ASSERT_TRUE(s.wait_for("1 passage in 1 article")) << s.output();
    ASSERT_TRUE(s.wait_for("[ports/harbour-crane#")) << s.output();
    ASSERT_TRUE(s.wait_for("trawl> ")) << s.output();
    s.send("\x04");
    EXPECT_EQ(s.wait_exit(), 0) << s.output();
    EXPECT_EQ(s.output().find("control character"), std::string::npos) << s.output();
    const auto history = read_file(state.path() / "trawl" / "history");
    EXPECT_EQ(trawl::test::lines_of(history), (std::vector<std::string>{"storm", "harbour NEAR/3 crane"})) << history;
}

TEST(IndexProgress, NamesEachPhaseOnATerminalAndIsSilentWithQuiet) {
    trawl::test::TempDir tmp;
    const auto db = (tmp / "news.idx").string();
    PtySession s(index_cmd(db, "--threads 2 " + shell_quote(kFixtures + "/news")));
    ASSERT_TRUE(s.started());
    EXPECT_EQ(s.wait_exit(), 0) << s.output();
    const std::string& out = s.output();
    const auto pos = [&](const std::string& text) { return out.find(text); };
    ASSERT_NE(pos("\r\x1b[Kreading for boilerplate statistics"), std::string::npos) << out;
    ASSERT_NE(pos("\r\x1b[Kindexing: 0%"), std::string::npos) << out;
    ASSERT_NE(pos("\r\x1b[Ktraining the dictionary"), std::string::npos) << out;
    ASSERT_NE(pos("\r\x1b[Kmerging shards: 0%"), std::string::npos) << out;
    EXPECT_LT(pos("reading for boilerplate statistics"), pos("indexing: 0%"));
    EXPECT_LT(pos("indexing: 0%"), pos("merging shards"));
    // The line is erased before the summary.
    EXPECT_NE(pos("\r\x1b[Kindexed 6 articles"), std::string::npos) << out;

    PtySession quiet(index_cmd((tmp / "quiet.idx").string(), "--quiet " + shell_quote(kFixtures + "/news")));
    EXPECT_EQ(quiet.wait_exit(), 0) << quiet.output();
    EXPECT_EQ(quiet.output(), "");
}

}  // namespace
