// End-to-end: the ranking options of trawl-query (--expand, --article-weight)
// through the real binaries, on a small corpus written at test time.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::parse_jsonl;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

class RelevanceCli : public ::testing::Test {
protected:
    void SetUp() override {
        const auto corpus = tmp_ / "corpus";
        fs::create_directories(corpus);
        const std::vector<std::pair<std::string, std::string>> articles{
            {"v1", "Volcano erupts\n\nThe volcano sent lava and magma down its slopes."},
            {"v2", "Volcano alert\n\nLava from the volcano reached the magma fields."},
            {"m1", "Geology\n\nMagma chambers feed lava tubes under the island."},
            {"f1", "Football\n\nThe cup final ended in a draw after extra time."},
            {"f2", "Markets\n\nShares fell as the bank raised rates again."},
            {"f3", "Weather\n\nRain and wind are expected over the weekend."}};
        for (const auto& [id, text] : articles) std::ofstream(corpus / (id + ".txt")) << text << "\n";
        db_ = (tmp_ / "v.idx").string();
        const auto r = run_command(index_cmd(db_, "--quiet " + shell_quote(corpus.string())));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    std::vector<std::string> ids(const std::string& args) {
        const auto r = run_command(query_cmd(db_, "--format json " + args));
        EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
        std::vector<std::string> out;
        for (const auto& h : parse_jsonl(r.out)) out.push_back(h.at("article_id").get<std::string>());
        return out;
    }
    trawl::test::TempDir tmp_;
    std::string db_;
};

}  // namespace

// The index has no termlist: "lava" and "magma" can only have come from the
// stored text of the top hits, and they bring in m1, which lacks "volcano".
TEST_F(RelevanceCli, ExpandAddsTermsOfTheTopHitsStoredText) {
    auto plain = ids("volcano");
    std::sort(plain.begin(), plain.end());
    EXPECT_EQ(plain, (std::vector<std::string>{"v1", "v2"}));
    const auto expanded = ids("--expand volcano");
    ASSERT_EQ(expanded.size(), 3u);
    EXPECT_EQ(expanded[2], "m1");
    EXPECT_EQ(ids("--expand --by-article volcano").size(), 3u);
}

TEST_F(RelevanceCli, ArticleWeightOutsideZeroToOneIsAUsageError) {
    const auto r = run_command(query_cmd(db_, "--article-weight 1.5 volcano"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--article-weight must be from 0 to 1"), std::string::npos) << r.err;
}
