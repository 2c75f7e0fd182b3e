#include "bench/eval/collection.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl::bench;
using trawl::test::TempDir;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

// A three-document Cranfield in SMART layout: hard-wrapped text, an empty .W,
// query .I numbers with a gap (cranqrel numbers queries by position), grade -1.
void write_cranfield(const TempDir& dir) {
    write(dir / "cran.all.1400",
          ".I 1\n.T\nflow past a\nflat plate .\n.A\nsmith,j.\n.B\nj. ae. 1958\n.W\nflow past a\nflat plate .\n"
          "  the boundary layer\nthickens downstream .\n"
          ".I 2\n.T\nshock waves .\n.A\n.B\n.W\n"
          ".I 3\n.T\nheat transfer in slabs .\n.W\nheat conduction in composite slabs .\n");
    write(dir / "cran.qry",
          ".I 001\n.W\nwhat is the flow past a\nflat plate .\n.I 004\n.W\nheat (conduction) \"slabs\" .\n");
    write(dir / "cranqrel", "1 1 2\n1 2 -1\n2 3 1 \n");
}

}  // namespace

TEST(Cranfield, DocumentsQueriesAndGains) {
    TempDir dir;
    write_cranfield(dir);
    auto c = load_cranfield(dir.str());
    EXPECT_EQ(c.name, "cranfield");
    ASSERT_EQ(c.documents.size(), 3u);
    EXPECT_EQ(c.documents[0].id, "1");
    EXPECT_EQ(c.documents[0].title, "flow past a flat plate .");
    EXPECT_EQ(c.documents[0].body, "flow past a flat plate . the boundary layer thickens downstream .");
    EXPECT_EQ(c.documents[1].id, "2");
    EXPECT_EQ(c.documents[1].body, "") << "an empty .W is accepted";
    ASSERT_EQ(c.queries.size(), 2u);
    EXPECT_EQ(c.queries[0].id, "1");
    EXPECT_EQ(c.queries[1].id, "2") << "queries are numbered by position, not by .I";
    EXPECT_EQ(c.queries[1].text, "heat (conduction) \"slabs\" .");
    EXPECT_EQ(c.qrels.at("1").at("1"), 3) << "gain = 5 - grade";
    EXPECT_EQ(c.qrels.at("1").at("2"), 0) << "grade -1 is judged not relevant";
    EXPECT_EQ(c.qrels.at("2").at("3"), 4);
}

TEST(Cranfield, BadGradeAndTextOutsideAFieldNameTheFile) {
    TempDir dir;
    write_cranfield(dir);
    write(dir / "cranqrel", "1 1 2\n1 1 7\n");
    try {
        load_cranfield(dir.str());
        FAIL() << "grade 7 accepted";
    } catch (const trawl::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("cranqrel:2: "), std::string::npos) << "names the line: " << e.what();
        EXPECT_NE(std::string(e.what()).find("grade 7"), std::string::npos) << e.what();
    }
    write(dir / "cran.all.1400", ".I 1\nstray text\n");
    try {
        load_cranfield(dir.str());
        FAIL() << "text outside a field accepted";
    } catch (const trawl::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("cran.all.1400:2:"), std::string::npos) << e.what();
    }
}

TEST(Beir, CorpusQueriesAndSplitQrels) {
    TempDir root;
    const auto dir = root / "scifact";
    write(dir / "corpus.jsonl",
          "{\"_id\": \"d1\", \"title\": \"Aspirin\", \"text\": \"Aspirin lowers fever.\"}\n"
          "{\"_id\": 2, \"title\": \"\", \"text\": \"Vitamin C and colds.\"}\n");
    write(dir / "queries.jsonl",
          "{\"_id\": \"q1\", \"text\": \"does aspirin lower fever\"}\n"
          "{\"_id\": \"q2\", \"text\": \"unjudged query\"}\n"
          "{\"_id\": 3, \"text\": \"vitamin c\"}\n");
    write(dir / "qrels" / "test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n3\t2\t2\n");
    write(dir / "qrels" / "dev.tsv", "query-id\tcorpus-id\tscore\nq2\td1\t1\n");
    auto c = load_collection(dir.string());
    EXPECT_EQ(c.name, "scifact");
    ASSERT_EQ(c.documents.size(), 2u);
    EXPECT_EQ(c.documents[0].id, "d1");
    EXPECT_EQ(c.documents[1].id, "2");
    ASSERT_EQ(c.queries.size(), 2u) << "only judged queries";
    EXPECT_EQ(c.queries[0].id, "q1");
    EXPECT_EQ(c.queries[1].id, "3");
    EXPECT_EQ(c.qrels.at("3").at("2"), 2);
    auto dev = load_beir(dir.string(), "dev");
    ASSERT_EQ(dev.queries.size(), 1u);
    EXPECT_EQ(dev.queries[0].id, "q2");
}

TEST(Collection, UnknownLayoutIsAnError) {
    TempDir dir;
    write(dir / "readme.txt", "nothing here\n");
    EXPECT_THROW(load_collection(dir.str()), trawl::InputError);
    EXPECT_THROW(load_collection((dir / "missing").string()), trawl::InputError);
}

TEST(BagOfWords, OnlyLowerCaseWordsSurvive) {
    EXPECT_EQ(bag_of_words_query("What is \"the\" flow (past) a NOT-flat plate?"),
              "what is the flow past a not flat plate");
    EXPECT_EQ(bag_of_words_query("  AND OR  "), "and or");
    EXPECT_EQ(bag_of_words_query("Zürich's 2 mach-3"), "zürich s 2 mach 3");
    EXPECT_EQ(bag_of_words_query("?!"), "");
}
