#include "bench/eval/qrels.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace trawl::bench {
namespace {

constexpr double kEps = 1e-9;

std::string write_file(const trawl::test::TempDir& dir, const std::string& name, const std::string& text) {
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// The message of the InputError `read` throws (empty if it throws nothing).
template <class Read>
std::string input_error(Read&& read) {
    try {
        read();
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(ReadQrels, ThreeColumns) {
    // Cranfield's cranqrel: "qid docid rel".
    trawl::test::TempDir dir;
    const Qrels q = read_qrels(write_file(dir, "cranqrel", "1 184 2\n1 29 -1\n2 12 3\n"));
    EXPECT_EQ(q, (Qrels{{"1", {{"184", 2}, {"29", -1}}}, {"2", {{"12", 3}}}}));
}

TEST(ReadQrels, FourColumnsIgnoreIteration) {
    trawl::test::TempDir dir;
    const Qrels q =
        read_qrels(write_file(dir, "qrels.txt", "401 0 FBIS3-10082 1\n401 0 FBIS3-10169 0\n402 1 LA-1 2\n"));
    EXPECT_EQ(q, (Qrels{{"401", {{"FBIS3-10082", 1}, {"FBIS3-10169", 0}}}, {"402", {{"LA-1", 2}}}}));
}

TEST(ReadQrels, SkipsBeirHeaderAndCrlf) {
    trawl::test::TempDir dir;
    const Qrels q =
        read_qrels(write_file(dir, "test.tsv", "query-id\tcorpus-id\tscore\r\nq1\tdoc1\t1\r\nq1\tdoc2\t0\r\n"));
    EXPECT_EQ(q, (Qrels{{"q1", {{"doc1", 1}, {"doc2", 0}}}}));
}

// A header is told by its words: a first line whose score is "1.0" is a
// judgment, and refused as one (it was taken for a header and lost).
TEST(ReadQrels, AFirstLineWithANonIntegerScoreIsAnErrorNotAHeader) {
    trawl::test::TempDir dir;
    const std::string path = write_file(dir, "test.tsv", "q1\td1\t1.0\nq1\td2\t1\n");
    const std::string msg = input_error([&] { read_qrels(path); });
    EXPECT_NE(msg.find(path + ":1:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'1.0'"), std::string::npos) << msg;
}

TEST(ReadQrels, SkipsBlankLines) {
    trawl::test::TempDir dir;
    const Qrels q = read_qrels(write_file(dir, "qrels", "\n1 a 1\n   \n\t\n2 b 0\n\n"));
    EXPECT_EQ(q, (Qrels{{"1", {{"a", 1}}}, {"2", {{"b", 0}}}}));
}

TEST(ReadQrels, EmptyFileHasNoJudgments) {
    trawl::test::TempDir dir;
    EXPECT_TRUE(read_qrels(write_file(dir, "empty", "")).empty());
}

TEST(ReadQrels, NonIntegerRelevanceAfterFirstLineNamesFileAndLine) {
    // Only the first line may be a header; line 3 is an error.
    trawl::test::TempDir dir;
    const std::string path = write_file(dir, "qrels", "1 a 1\n\n1 b x\n");
    const std::string msg = input_error([&] { read_qrels(path); });
    EXPECT_NE(msg.find(path + ":3:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'x'"), std::string::npos) << msg;
}

TEST(ReadQrels, WrongColumnCountNamesFileAndLine) {
    trawl::test::TempDir dir;
    const std::string path = write_file(dir, "qrels", "1 a 1\n1 0 b 1 extra 2\n");
    const std::string msg = input_error([&] { read_qrels(path); });
    EXPECT_NE(msg.find(path + ":2:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("found 6"), std::string::npos) << msg;
}

TEST(ReadQrels, MissingFileNamesFile) {
    trawl::test::TempDir dir;
    const std::string path = (dir / "absent").string();
    const std::string msg = input_error([&] { read_qrels(path); });
    EXPECT_EQ(msg, path + ": cannot open: No such file or directory");
}

TEST(WriteTrecRun, SixColumnsRanksFromOneInStoredOrder) {
    // Stored order is kept (no re-sorting); scores are written in their shortest exact form.
    const bench::Run run = {{"q1", {{"d2", 1.5}, {"d1", 2.0}}}, {"q2", {{"x", 0.125}}}};
    std::ostringstream out;
    write_trec_run(out, run, "trawl");
    EXPECT_EQ(out.str(),
              "q1 Q0 d2 1 1.5 trawl\n"
              "q1 Q0 d1 2 2 trawl\n"
              "q2 Q0 x 1 0.125 trawl\n");
}

TEST(WriteTrecRun, WhitespaceInFieldsBecomesUnderscore) {
    std::ostringstream out;
    write_trec_run(out, {{"q 1", {{"doc\tid", 3}}}}, "my run");
    EXPECT_EQ(out.str(), "q_1 Q0 doc_id 1 3 my_run\n");
}

TEST(ReadTrecRun, RoundTripsWrittenRun) {
    // 0.1 + 0.2 is not 0.3 as a double; the written text must read back to exactly the same value.
    const bench::Run run = {{"q1", {{"a", 0.1 + 0.2}, {"b", 0.3}, {"c", -4e-7}}}, {"q2", {{"z", 12.3456}}}};
    std::ostringstream out;
    write_trec_run(out, run, "t");
    trawl::test::TempDir dir;
    const bench::Run back = read_trec_run(write_file(dir, "run", out.str()));
    ASSERT_EQ(back.size(), 2u);
    ASSERT_EQ(back.at("q1").size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(back.at("q1")[i].doc_id, run.at("q1")[i].doc_id);
        EXPECT_EQ(back.at("q1")[i].score, run.at("q1")[i].score);
    }
    EXPECT_EQ(back.at("q2")[0].doc_id, "z");
    EXPECT_NEAR(back.at("q2")[0].score, 12.3456, kEps);
}

TEST(ReadTrecRun, KeepsFileOrderAndSkipsBlankLines) {
    // Ranks and scores are not used to reorder: entries stay as in the file.
    trawl::test::TempDir dir;
    const bench::Run run = read_trec_run(write_file(dir, "run", "\n7 Q0 b 2 1.0 x\n7 Q0 a 1 9.5 x\n\n"));
    ASSERT_EQ(run.at("7").size(), 2u);
    EXPECT_EQ(run.at("7")[0].doc_id, "b");
    EXPECT_NEAR(run.at("7")[0].score, 1.0, kEps);
    EXPECT_EQ(run.at("7")[1].doc_id, "a");
    EXPECT_NEAR(run.at("7")[1].score, 9.5, kEps);
}

TEST(ReadTrecRun, MalformedLinesNameFileAndLine) {
    trawl::test::TempDir dir;
    const std::string five = write_file(dir, "five", "1 Q0 a 1 2.0 t\n1 Q0 b 2 1.0\n");
    std::string msg = input_error([&] { read_trec_run(five); });
    EXPECT_NE(msg.find(five + ":2:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("found 5"), std::string::npos) << msg;

    const std::string bad_score = write_file(dir, "score", "1 Q0 a 1 high t\n");
    msg = input_error([&] { read_trec_run(bad_score); });
    EXPECT_NE(msg.find(bad_score + ":1:"), std::string::npos) << msg;

    const std::string nan_score = write_file(dir, "nan", "1 Q0 a 1 nan t\n");
    msg = input_error([&] { read_trec_run(nan_score); });
    EXPECT_NE(msg.find(nan_score + ":1:"), std::string::npos) << msg;
}

TEST(ReadTrecRun, MissingFileNamesFile) {
    trawl::test::TempDir dir;
    const std::string path = (dir / "absent").string();
    EXPECT_EQ(input_error([&] { read_trec_run(path); }), path + ": cannot open: No such file or directory");
}

}  // namespace
}  // namespace trawl::bench
