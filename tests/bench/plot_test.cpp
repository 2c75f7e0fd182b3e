// The plot data files and scripts of trawl-bench --plot (bench/plot), and the
// XML check the end-to-end plot tests parse gnuplot's SVG with.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "bench/plot/compare_plots.hpp"
#include "bench/plot/eval_plots.hpp"
#include "bench/plot/gnuplot.hpp"
#include "bench/plot/scale_plots.hpp"
#include "corpus/base/error.hpp"
#include "tests/testutil/temp_dir.hpp"
#include "tests/testutil/xml_check.hpp"

namespace fs = std::filesystem;
using namespace trawl::bench;

namespace {

const std::string kTrawl = std::string("trawl ") + TRAWL_VERSION;

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(PlotText, QuotesSlugsFieldsAndEngineLabels) {
    EXPECT_EQ(plot::quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
    EXPECT_EQ(plot::slug("NEAR/10"), "NEAR-10");
    EXPECT_EQ(plot::slug("bag-of-words"), "bag-of-words");
    EXPECT_EQ(plot::slug("my coll//x "), "my-coll-x");
    EXPECT_EQ(plot::slug("///"), "plot");
    EXPECT_EQ(plot::tsv_field("a\tb\nc"), "a b c");
    EXPECT_EQ(plot::engine_label("trawl"), kTrawl);
    EXPECT_EQ(plot::engine_label("trawl --by-article"), kTrawl + " --by-article");
    EXPECT_EQ(plot::engine_label("lucene-8"), "lucene-8");
    EXPECT_EQ(plot::engine_label("trawler"), "trawler");
    EXPECT_EQ(plot::corpus_name({"../shared/data/reuters21578/", "x/bbc-news"}), "reuters21578+bbc-news");
    EXPECT_EQ(plot::corpus_name({"d/reuters21578/reut2-000.sgm", "d/reuters21578/reut2-001.sgm"}),
              "reuters21578 (2 files)");
    EXPECT_EQ(plot::corpus_name({"reut2-000.sgm"}), "reut2-000.sgm");
}

TEST(ComparePlots, LatencyCdfIsEachEnginesSortedLatenciesWithTheShareAtOrBelow) {
    LatencyTable t;
    t.title = "NEAR/10 (3 queries, top 10 with snippets)";
    t.rows.push_back(latency_row("trawl", {3000, 1000, 2000}, 3, {}));
    t.rows.push_back(latency_row("lucene-8", {500, 4000}, 1, {}));
    EXPECT_EQ(plot::table_kind(t), "NEAR/10");
    EXPECT_EQ(plot::latency_cdf_tsv(t), "# " + kTrawl +
                                            ": NEAR/10, 3 queries\n# latency_ms\tfraction\n"
                                            "1\t0\n1\t0.333333\n2\t0.666667\n3\t1\n"
                                            "\n\n# lucene-8: NEAR/10, 2 queries\n# latency_ms\tfraction\n"
                                            "0.5\t0\n0.5\t0.5\n4\t1\n");
    EXPECT_EQ(plot::latency_percentiles_tsv(t), "# engine\tp50_ms\tp95_ms\tp99_ms\tqueries\tmatched\n" + kTrawl +
                                                    "\t2\t3\t3\t3\t3\n"
                                                    "lucene-8\t0.5\t4\t4\t2\t1\n");
}

TEST(ComparePlots, IndexDataSplitsTrawlsSizeByTableAndLeavesPeersWhole) {
    BenchCorpus c;
    c.input_bytes = 2'000'000;
    IndexRow trawl{"trawl",
                   100,
                   {2.0, 1.5, 4'000'000, 0},
                   {{"postlist", 1'500'000}, {"position", 2'000'000}, {"iamglass", 300'000}, {"other", 200'000}}};
    IndexRow peer{"lucene-8", 100, {1.0, 2.0, 3'000'000, 0}, {}};
    EXPECT_EQ(plot::index_tsv(c, {trawl, peer}),
              "# engine\tx\twall_s\tmb_per_s\tunits_per_s\tindex_mb\tx_input\tpostlist_mb\tposition_mb\trest_mb\n" +
                  kTrawl +
                  "\t0\t2\t1\t50\t4\t2\t1.5\t2\t0.5\n"
                  "lucene-8\t1\t1\t2\t100\t3\t1.5\t\t\t\n");
}

TEST(ScalePlots, LinearColumnsGrowTheFirstFactorsFigureByTheFactor) {
    ScaleRow one, four;
    one.factor = 1;
    one.wall_seconds = 2;
    one.index_bytes = 10'000'000;
    one.words_ms = {0.5, 3};
    four = one;
    four.factor = 4;
    four.wall_seconds = 9;
    const auto lines = [](const std::string& s) {
        std::vector<std::string> out;
        std::istringstream is(s);
        for (std::string l; std::getline(is, l);) out.push_back(l);
        return out;
    }(plot::scale_tsv({one, four}));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].rfind("# factor\tinput_mb\tpassages\twall_s\t", 0), 0u);
    // factor .. phrase_p99 (11 columns), then wall, cpu, index, 4 latencies linear.
    EXPECT_EQ(lines[1], "1\t0\t0\t2\t0\t0\t10\t0.5\t3\t0\t0\t2\t0\t10\t0.5\t3\t0\t0");
    EXPECT_EQ(lines[2], "4\t0\t0\t9\t0\t0\t10\t0.5\t3\t0\t0\t8\t0\t40\t2\t12\t0\t0");
}

EvalSummary summary(std::vector<std::pair<std::string, double>> ndcg) {
    EvalSummary m;
    for (const auto& [q, v] : ndcg) m.per_query.push_back({q, v, 0, 0, 0, 0});
    m.queries_evaluated = m.per_query.size();
    return m;
}

TEST(EvalPlots, TopicDifferencesAreSortedLargestGainFirstOverSharedQueries) {
    const auto base = summary({{"q1", 0.5}, {"q2", 0.5}, {"q3", 0.2}, {"q4", 1}});
    const auto row = summary({{"q1", 0.25}, {"q2", 1}, {"q3", 0.2}, {"q5", 1}});
    const auto d = plot::topic_differences(base, row);
    ASSERT_EQ(d.size(), 3u) << "q4 and q5 are not in both";
    EXPECT_EQ(d[0].qid, "q2");
    EXPECT_DOUBLE_EQ(d[0].delta, 0.5);
    EXPECT_EQ(d[1].qid, "q3");
    EXPECT_EQ(d[2].qid, "q1");
    EXPECT_DOUBLE_EQ(d[2].delta, -0.25);
}

TEST(EvalPlots, TheFlaggedBaselineIsLeftOutOfTheDifferencesAndMarkedInTheBars) {
    std::vector<plot::EvalPlotRow> rows(3);
    rows[0] = {"c", "fts5", summary({{"q1", 0.5}, {"q2", 0.5}}), {}, false};
    rows[1] = {"c", "trawl", summary({{"q1", 1}, {"q2", 0}}), {}, true};
    rows[2] = {"c", "lucene", summary({{"q1", 0.5}, {"q2", 1}}), {}, false};
    rows[0].metrics.ndcg10 = 0.5;
    rows[2].p_values = {0.01, 0.2, std::nullopt, 0.05, 0.049};
    EXPECT_EQ(plot::baseline_of(rows), 1u);
    EXPECT_EQ(plot::topics_tsv(rows),
              "# fts5 minus trawl: nDCG@10 per query\n# rank\tqid\tdelta\n1\tq2\t0.5\n2\tq1\t-0.5\n"
              "\n\n# lucene minus trawl: nDCG@10 per query\n# rank\tqid\tdelta\n1\tq2\t1\n2\tq1\t-0.5\n");
    const auto bars = plot::metrics_tsv(rows);
    // Three bars of width 0.8/3 around each tic; marks only below p = 0.05.
    EXPECT_NE(
        bars.find("# fts5\n# metric\tx\tvalue\tp_value\tmark\nnDCG@10\t-0.266667\t0.5\t\t\nMAP\t0.733333\t0\t\t\n"),
        std::string::npos)
        << bars;
    EXPECT_NE(bars.find("# trawl (baseline)\n"), std::string::npos) << bars;
    EXPECT_NE(bars.find("# lucene\n# metric\tx\tvalue\tp_value\tmark\nnDCG@10\t0.266667\t0\t0.01\t*\n"
                        "MAP\t1.26667\t0\t0.2\t\nMRR@10\t2.26667\t0\t\t\nR@100\t3.26667\t0\t0.05\t\n"
                        "R@1000\t4.26667\t0\t0.049\t*\n"),
              std::string::npos)
        << bars;
}

TEST(EvalPlots, OneCollectionAloneGetsBarsButNoDifferencePlot) {
    trawl::test::TempDir tmp;
    plot::PlotDir dir((tmp / "p").string());
    std::vector<plot::EvalPlotRow> rows = {{"a b", "trawl", summary({{"q1", 1}}), {}, false},
                                           {"other", "trawl", summary({{"q1", 1}}), {}, false},
                                           {"other", "lucene-8", summary({{"q1", 0}}), {}, false}};
    plot::write_eval_plots(dir, "2026-11-30", rows);
    EXPECT_TRUE(fs::exists(tmp / "p" / "eval-a-b-metrics.gp"));
    EXPECT_FALSE(fs::exists(tmp / "p" / "eval-a-b-topics.gp"));
    EXPECT_TRUE(fs::exists(tmp / "p" / "eval-other-topics.gp"));
    const auto script = read_file(tmp / "p" / "eval-other-metrics.gp");
    EXPECT_NE(script.find("no significance test in this run"), std::string::npos) << script;
    EXPECT_NE(script.find("title \"trawl (baseline)\""), std::string::npos) << script;
    EXPECT_NE(script.find("set output \"eval-other-metrics.svg\""), std::string::npos) << script;
}

TEST(PlotDir, AFileInTheWayIsAnErrorNamingThePath) {
    trawl::test::TempDir tmp;
    std::ofstream(tmp / "f") << "x";
    const auto bad = (tmp / "f" / "plots").string();
    try {
        plot::PlotDir dir(bad);
        FAIL() << "no error";
    } catch (const trawl::Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(bad + ": cannot create the plot directory", 0), 0u) << e.what();
    }
    EXPECT_FALSE(plot::open_plot_dir(""));
}

TEST(PlotDir, RenderWithoutGnuplotSaysHowInOneLine) {
    trawl::test::TempDir tmp;
    plot::PlotDir dir((tmp / "p").string());
    dir.write_script("x", "test", 100, 100, "plot x\n");
    const std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", (tmp / "nothing").c_str(), 1);
    std::ostringstream err;
    plot::render(dir, err, false);
    ::setenv("PATH", saved.c_str(), 1);
    EXPECT_EQ(err.str(), "trawl-bench: gnuplot not found: the plot data and scripts are in " + dir.path() +
                             "; draw them with: cd " + dir.path() +
                             " && for s in *.gp; do gnuplot \"$s\"; done  (Debian: apt-get install gnuplot-nox)\n");
    EXPECT_FALSE(fs::exists(tmp / "p" / "x.svg"));
}

TEST(PlotDir, AFailingScriptIsAnErrorNamingIt) {
    if (plot::find_on_path("gnuplot").empty()) GTEST_SKIP() << "gnuplot not installed";
    trawl::test::TempDir tmp;
    plot::PlotDir dir((tmp / "p").string());
    dir.write_script("bad", "test", 100, 100, "plot \"missing.tsv\" using 1:2\n");
    std::ostringstream err;
    try {
        plot::render(dir, err, true);
        FAIL() << "no error";
    } catch (const trawl::Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(dir.path() + "/bad.gp: gnuplot failed", 0), 0u) << e.what();
    }
}

TEST(XmlCheck, ParsesElementsAttributesAndEntitiesAndRejectsWhatIsNotWellFormed) {
    auto root = trawl::test::parse_xml(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"x\" \"y\">\n<!-- c -->"
        "<svg a='1'><g id=\"k\"><text>x &amp; y &#x41;</text></g><br/><![CDATA[<raw>]]></svg>\n");
    EXPECT_EQ(root->name, "svg");
    EXPECT_EQ(root->attribute("a"), "1");
    ASSERT_EQ(root->children.size(), 2u);
    EXPECT_EQ(root->children[0]->attribute("id"), "k");
    EXPECT_EQ(root->all_text(), "<raw>x & y A");
    for (const char* bad : {"<a><b></a></b>", "<a x=1/>", "<a x='1' x='2'/>", "<a>&</a>", "<a>&nope;</a>", "<a>",
                            "<a/><b/>", "text<a/>", "<a x='<'/>", "", "<a></a>trailing"})
        EXPECT_THROW(trawl::test::parse_xml(bad), std::runtime_error) << bad;
}

}  // namespace
