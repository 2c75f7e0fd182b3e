// Tests of the table reads served from mappings (query/mapped_reads.hpp):
// the bytes are the file's, whatever happens to the descriptor or the file
// between two reads, and only a reader's glass tables are mapped.
#include "query/mapped_reads.hpp"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "corpus/base/error.hpp"
#include "query/query_options.hpp"
#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace trawl::query {
namespace {

// `n` bytes that differ from one offset to the next (and from `seed`'s).
std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed * 7 + i / 4096) & 0xff);
    return s;
}

void write_file(const std::filesystem::path& p, const std::string& bytes, bool append = false) {
    std::ofstream out(p, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    out << bytes;
}

// `bytes` written to `path`, and the file opened (read-only: a reader's
// table when named *.glass).
int written_and_opened(const std::filesystem::path& path, const std::string& bytes, int flags = O_RDONLY) {
    write_file(path, bytes);
    return ::open(path.c_str(), flags | O_CLOEXEC);
}

std::string read_at(int fd, std::size_t n, off_t offset) {
    std::string buf(n, '\0');
    const ssize_t got = ::pread(fd, buf.data(), n, offset);
    buf.resize(got < 0 ? 0 : static_cast<std::size_t>(got));
    return buf;
}

// Mapped reads on for a test, and back to what they were after it.
struct MappedReadsOn : MappedReadsScope {
    MappedReadsOn() : MappedReadsScope(true) {}
};

TEST(MappedReads, AReadersTableIsReadFromItsMappingAsTheSameBytes) {
    MappedReadsOn on;
    test::TempDir tmp;
    const auto table = tmp / "postlist.glass";
    const auto bytes = pattern(3 * 8192 + 100, 1);
    const int fd = written_and_opened(table, bytes);
    ASSERT_GE(fd, 0);
    const auto before = mapped_read_counts();
    EXPECT_EQ(read_at(fd, 8192, 8192), bytes.substr(8192, 8192));
    EXPECT_EQ(read_at(fd, 8192, 0), bytes.substr(0, 8192));
    EXPECT_EQ(read_at(fd, 100, 3 * 8192), bytes.substr(3 * 8192, 100));
    EXPECT_EQ(read_at(fd, 1, 3 * 8192 + 99), bytes.substr(3 * 8192 + 99));
    const auto after = mapped_read_counts();
    EXPECT_EQ(after.mapped - before.mapped, 4u);
    // Past the end: what the system says (a short read), not a copy.
    EXPECT_EQ(read_at(fd, 8192, 3 * 8192), bytes.substr(3 * 8192));
    EXPECT_EQ(read_at(fd, 10, 4 * 8192), "");
    EXPECT_EQ(mapped_read_counts().mapped, after.mapped);
    ::close(fd);
}

TEST(MappedReads, OtherFilesAndWritersTablesAreReadByTheSystem) {
    MappedReadsOn on;
    test::TempDir tmp;
    const auto bytes = pattern(10000, 2);
    const int text = written_and_opened(tmp / "notes.txt", bytes);
    const int written = written_and_opened(tmp / "termlist.glass", bytes, O_RDWR);
    ASSERT_GE(text, 0);
    ASSERT_GE(written, 0);
    const auto before = mapped_read_counts();
    EXPECT_EQ(read_at(text, 500, 1000), bytes.substr(1000, 500));
    EXPECT_EQ(read_at(written, 500, 1000), bytes.substr(1000, 500));
    const auto after = mapped_read_counts();
    EXPECT_EQ(after.mapped, before.mapped);
    EXPECT_EQ(after.passed - before.passed, 2u);
    ::close(text);
    ::close(written);
}

// A writer's commit grows a table under a reader: the reader reads what it
// wrote, past the size the file had when mapped, and what it rewrote in place.
TEST(MappedReads, AGrownOrRewrittenTableReadsAsItIsNow) {
    MappedReadsOn on;
    test::TempDir tmp;
    const auto table = tmp / "position.glass";
    const auto first = pattern(8192, 3);
    const int fd = written_and_opened(table, first);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(read_at(fd, 8192, 0), first);
    const auto more = pattern(8192, 4);
    write_file(table, more, true);
    EXPECT_EQ(read_at(fd, 8192, 8192), more);
    const int w = ::open(table.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(w, 0);
    const auto rewritten = pattern(4096, 5);
    ASSERT_EQ(::pwrite(w, rewritten.data(), rewritten.size(), 4096), ssize_t(rewritten.size()));
    ::close(w);
    EXPECT_EQ(read_at(fd, 4096, 4096), rewritten);
    ::close(fd);
}

// A table cut short under a reader (an index copied over in place): the
// copy out of the mapping faults, and the read is the system's, as it would
// have been without the mapping, not the end of the program (SIGBUS).
TEST(MappedReads, ATableCutShortUnderItsMappingIsReadAsTheSystemReadsIt) {
    MappedReadsOn on;
    test::TempDir tmp;
    const auto table = tmp / "postlist.glass";
    const auto bytes = pattern(4 * 4096, 10);
    const int fd = written_and_opened(table, bytes);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(read_at(fd, 4096, 3 * 4096), bytes.substr(3 * 4096));
    const auto shorter = pattern(4096, 11);
    write_file(table, shorter);  // truncated, then one page written
    EXPECT_EQ(read_at(fd, 4096, 3 * 4096), "") << "past the end now: nothing, as pread() says";
    EXPECT_EQ(read_at(fd, 4096, 0), shorter);
    EXPECT_EQ(read_at(fd, 4096, 3 * 4096), "");
    ::close(fd);
}

// What pread() answers with an error or nothing, a mapped read answers the
// same (no copy of 0 bytes from nowhere, no offset + n that wraps).
TEST(MappedReads, OddReadsAnswerAsPreadDoes) {
    MappedReadsOn on;
    test::TempDir tmp;
    const auto bytes = pattern(8192, 12);
    const int fd = written_and_opened(tmp / "docdata.glass", bytes);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(read_at(fd, 10, 0), bytes.substr(0, 10));
    EXPECT_EQ(::pread(fd, nullptr, 0, 100), 0);
    char c = 0;
    errno = 0;
    EXPECT_EQ(::pread(fd, &c, 1, -1), -1);
    EXPECT_EQ(errno, EINVAL);
    errno = 0;
    volatile std::size_t huge = SIZE_MAX - 10;  // volatile: the compiler would refuse the size it sees
    EXPECT_EQ(::pread(fd, &c, huge, 4096), -1) << "offset + n wraps: the system's EFAULT, not a copy";
    EXPECT_EQ(errno, EFAULT);
    errno = 1234;
    EXPECT_EQ(read_at(fd, 10, 20), bytes.substr(20, 10));
    EXPECT_EQ(errno, 1234) << "a read that succeeds leaves errno alone";
    ::close(fd);
}

// fork() while another thread holds the unit's lock (looking up or
// forgetting a mapping): the child's close() of a mapped descriptor must not
// wait for a lock no thread of the child will release.
TEST(MappedReads, AChildForkedWhileAnotherThreadMapsClosesItsDescriptors) {
    MappedReadsOn on;
    test::TempDir tmp;
    write_file(tmp / "b.glass", pattern(8192, 14));
    const int mapped = written_and_opened(tmp / "a.glass", pattern(8192, 13));
    ASSERT_GE(mapped, 0);
    ASSERT_EQ(read_at(mapped, 10, 0).size(), 10u);
    std::atomic<bool> stop{false};
    std::thread churn([&] {
        const auto other = (tmp / "b.glass").string();
        while (!stop) {
            const int fd = ::open(other.c_str(), O_RDONLY | O_CLOEXEC);
            read_at(fd, 10, 0);
            ::close(fd);
        }
    });
    int hung = 0;
    for (int i = 0; i < 400 && hung == 0; ++i) {
        const pid_t child = ::fork();
        if (child == 0) {
            ::alarm(1);  // a child that waits forever is ended by SIGALRM
            ::close(mapped);
            ::_exit(0);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        if (!WIFEXITED(status)) ++hung;
    }
    stop = true;
    churn.join();
    ::close(mapped);
    EXPECT_EQ(hung, 0);
}

// A descriptor number closed and opened again, or replaced by dup2(), reads
// its new file, not the mapping of the one it was.
TEST(MappedReads, ADescriptorReusedForAnotherFileReadsThatFile) {
    MappedReadsOn on;
    test::TempDir tmp;
    const auto a = pattern(8192, 6), b = pattern(8192, 7), c = pattern(8192, 8);
    write_file(tmp / "a.glass", a);
    write_file(tmp / "b.glass", b);
    write_file(tmp / "c.txt", c);
    const int fa = ::open((tmp / "a.glass").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fa, 0);
    EXPECT_EQ(read_at(fa, 100, 50), a.substr(50, 100));
    ::close(fa);
    const int fb = ::open((tmp / "b.glass").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_EQ(fb, fa) << "the lowest free descriptor is reused";
    EXPECT_EQ(read_at(fb, 100, 50), b.substr(50, 100));
    const int fc = ::open((tmp / "c.txt").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fc, 0);
    ASSERT_EQ(::dup2(fc, fb), fb);
    EXPECT_EQ(read_at(fb, 100, 50), c.substr(50, 100));
    const int fa2 = ::open((tmp / "a.glass").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fa2, 0);
    ASSERT_EQ(::dup3(fa2, fb, O_CLOEXEC), fb);
    EXPECT_EQ(read_at(fb, 100, 50), a.substr(50, 100));
    ::close(fa2);
    ::close(fc);
    ::close(fb);
}

TEST(MappedReads, NeverHandsEveryReadToTheSystem) {
    test::TempDir tmp;
    const auto bytes = pattern(8192, 9);
    const int fd = written_and_opened(tmp / "synonym.glass", bytes);
    ASSERT_GE(fd, 0);
    MappedReadsScope off(false);
    const auto before = mapped_read_counts();
    EXPECT_EQ(read_at(fd, 200, 300), bytes.substr(300, 200));
    EXPECT_EQ(mapped_read_counts().mapped, before.mapped);
    ::close(fd);
}

// Linking the unit changes nothing until the program turns it on: the
// indexer in trawl-bench's process reads (and compacts) as trawl-index does.
TEST(MappedReads, OffUntilTheProgramTurnsThemOn) {
    EXPECT_FALSE(mapped_reads());
    {
        MappedReadsScope on(true);
        EXPECT_TRUE(mapped_reads());
    }
    EXPECT_FALSE(mapped_reads());
}

TEST(MappedReads, AutoMapsForManyQueriesOnly) {
    EXPECT_TRUE(parse_mapped_reads("auto", true));
    EXPECT_FALSE(parse_mapped_reads("auto", false));
    EXPECT_TRUE(parse_mapped_reads("always", false));
    EXPECT_FALSE(parse_mapped_reads("never", true));
    EXPECT_THROW(parse_mapped_reads("sometimes", true), UsageError);
}

// What each mode of trawl-query maps with auto: a batch or the prompt reads
// the same pages again; one query, --like and --list-articles read each once
// (--list-articles mapped 310 MB of Wikipedia's pages, a review).
TEST(MappedReads, AutoMapsForTheModesThatReadPagesAgain) {
    const auto mapped = [](auto set, bool stdin_tty) {
        QueryOptions o;
        o.dbs = {"news.idx"};
        set(o);
        return make_config(o, stdin_tty, false).mapped_reads;
    };
    EXPECT_FALSE(mapped([](QueryOptions& o) { o.words = {"oil"}; }, false));
    EXPECT_FALSE(mapped([](QueryOptions& o) { o.like = "4028"; }, false));
    EXPECT_FALSE(mapped([](QueryOptions& o) { o.list_articles = true; }, false));
    EXPECT_TRUE(mapped([](QueryOptions& o) { o.queries_file = "topics.tsv"; }, false));
    EXPECT_TRUE(mapped([](QueryOptions&) {}, false));  // queries on standard input
    EXPECT_TRUE(mapped([](QueryOptions&) {}, true));   // the prompt
    EXPECT_TRUE(mapped(
        [](QueryOptions& o) {
            o.list_articles = true;
            o.mapped_reads = "always";
        },
        false));
}

// Xapian's reads of a real index go through the mappings, and a search
// finds the same hits with the same scores either way.
TEST(MappedReads, ASearchReadsTheIndexFromItsMappingsWithTheSameHits) {
    MappedReadsOn on;
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int i = 0; i < 60; ++i)
        articles.push_back(test::article(
            std::to_string(i), "Title " + std::to_string(i),
            "Copper prices rose " + std::to_string(i) + " points as the port reopened. Grain and oil were flat."));
    test::make_index(tmp.str(), articles, 8, 0);
    SearchOptions o;
    o.dbs = {tmp.str()};
    const auto run = [&](bool mapped) {
        set_mapped_reads(mapped);
        Searcher s(o);
        std::vector<std::pair<std::string, double>> hits;
        for (const std::string q : {"copper port", "\"copper prices\"", "grain NEAR/3 oil"})
            for (const auto& h : s.search("1", q).hits) hits.emplace_back(h.passage_id + " " + h.text, h.score);
        return hits;
    };
    const auto before = mapped_read_counts();
    const auto system = run(false);
    const auto between = mapped_read_counts();
    const auto mapped = run(true);
    const auto after = mapped_read_counts();
    EXPECT_EQ(between.mapped, before.mapped);
    EXPECT_GT(after.mapped, between.mapped);
    ASSERT_FALSE(system.empty());
    EXPECT_EQ(mapped, system);
}

}  // namespace
}  // namespace trawl::query
