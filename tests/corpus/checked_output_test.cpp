// CheckedOutput: output that could not be written is an error with its
// errno, not lost silently (cli_main.hpp reports it).
#include "corpus/base/checked_output.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/testutil/temp_dir.hpp"

namespace {

TEST(CheckedOutput, WritesEverythingThroughAndRestoresTheStream) {
    trawl::test::TempDir tmp;
    const auto path = tmp / "out";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    std::ostringstream stream;
    std::streambuf* before = stream.rdbuf();
    const std::string big(100000, 'x');  // more than the buffer holds
    {
        trawl::CheckedOutput out(stream, fd);
        stream << "one\n" << big << '\n' << "two";
        EXPECT_EQ(out.finish(), 0);
    }
    ::close(fd);
    std::stringstream got;
    got << std::ifstream(path).rdbuf();
    EXPECT_EQ(got.str(), "one\n" + big + "\ntwo");
    EXPECT_EQ(stream.rdbuf(), before);
    stream << "after";
    EXPECT_EQ(stream.str(), "after");
}

TEST(CheckedOutput, AFailedWriteKeepsItsErrnoAndTheStreamGoesBad) {
    if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    const int fd = ::open("/dev/full", O_WRONLY);
    ASSERT_GE(fd, 0);
    std::ostringstream stream;
    {
        trawl::CheckedOutput out(stream, fd);
        stream << "results\n" << std::flush;
        EXPECT_TRUE(stream.bad());
        EXPECT_EQ(out.finish(), ENOSPC);
        stream << "more";  // nothing more is written, the first error stays
        EXPECT_EQ(out.finish(), ENOSPC);
    }
    ::close(fd);
    trawl::FdOutputBuffer buffer(-1);  // a closed descriptor
    std::ostream s(&buffer);
    s << "x" << std::flush;
    EXPECT_TRUE(s.bad());
    EXPECT_EQ(buffer.error(), EBADF);
}

}  // namespace
