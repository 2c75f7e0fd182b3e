// Query lines: read with a bound (a line longer than kMaxQueryLineBytes is
// cut, read past and reported, never held whole), read errors named; the
// prompt's messages (unknown commands, query errors, too-long lines).
#include "query/line_source.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "query/repl.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;

namespace {

TEST(ReadQueryLine, HoldsAtMostOneByteMoreThanTheLimitAndReadsPastTheRest) {
    const std::string exact(query::kMaxQueryLineBytes, 'a');
    const std::string over(query::kMaxQueryLineBytes + 1, 'b');
    std::istringstream in(exact + "\n" + over + std::string(1 << 20, 'c') + "\n\nlast\r\nno newline");
    std::string line;
    ASSERT_TRUE(query::read_query_line(in, line, "f"));
    EXPECT_EQ(line, exact);
    ASSERT_TRUE(query::read_query_line(in, line, "f"));
    EXPECT_EQ(line.size(), query::kMaxQueryLineBytes + 1);  // too long, and says so
    EXPECT_EQ(line, over);
    ASSERT_TRUE(query::read_query_line(in, line, "f"));
    EXPECT_EQ(line, "");
    ASSERT_TRUE(query::read_query_line(in, line, "f"));
    EXPECT_EQ(line, "last\r");  // split_query_line drops the '\r'
    ASSERT_TRUE(query::read_query_line(in, line, "f"));
    EXPECT_EQ(line, "no newline");
    EXPECT_FALSE(query::read_query_line(in, line, "f"));
    EXPECT_FALSE(query::read_query_line(in, line, "f"));
    EXPECT_EQ(query::too_long_message(), "query line longer than 65536 bytes");
}

TEST(ReadQueryLine, ADirectoryIsAReadErrorNamingIt) {
    test::TempDir tmp;
    std::ifstream dir(tmp.str());
    if (!dir) GTEST_SKIP() << "this C++ library does not open a directory as a file";
    std::string line;
    try {
        query::read_query_line(dir, line, "topics");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "topics: cannot read: Is a directory");
    }
}

// The prompt: ":exit" is an unknown command (it said ":exit needs a value");
// a query error has the "trawl-query: " of a command's error; a line longer
// than the limit is refused, and the prompt goes on.
TEST(Prompt, MessagesForUnknownCommandsQueryErrorsAndLongLines) {
    test::TempDir tmp;
    test::make_index(tmp.str(), {test::article("a1", "Storm", "A storm hit the harbour.")});
    query::QueryOptions o;
    o.dbs = {tmp.str()};
    o.format = "trec";
    std::ostringstream out, err;
    std::istringstream in(":exit\n:bogus\n:n\nstorm \"x\n" + std::string(70000, 'x') + "\nstorm\n");
    const auto lines = query::stream_lines(in, out);
    EXPECT_EQ(query::run_repl(o, false, *lines, out, err), 0);
    EXPECT_EQ(err.str(),
              "trawl-query: unknown command :exit (see :help)\n"
              "trawl-query: unknown command :bogus (see :help)\n"
              "trawl-query: :n needs a value (see :help)\n"
              "trawl-query: query error at column 7: unbalanced double quote\n"
              "trawl-query: query line longer than 65536 bytes\n");
    EXPECT_NE(out.str().find("2 Q0 a1#0 1 "), std::string::npos) << out.str();
}

}  // namespace
