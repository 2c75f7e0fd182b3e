// End-to-end: trawl-bench compare, scale and eval with --plot on small
// fixtures: the data files and gnuplot scripts are written, the SVGs gnuplot
// draws parse as XML and their legends name every engine or configuration;
// without gnuplot, one line says how to draw them.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/testutil/run_command.hpp"
#include "tests/testutil/temp_dir.hpp"
#include "tests/testutil/xml_check.hpp"

namespace fs = std::filesystem;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kNews = TRAWL_FIXTURES_DIR "/e2e/news";
const std::string kTrawl = std::string("trawl ") + TRAWL_VERSION;

bool have_gnuplot() { return run_command("command -v gnuplot").exit_code == 0; }

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void collect_legend(const trawl::test::XmlElement& e, std::vector<std::string>& out) {
    // gnuplot's SVG puts each plot, key entry included, in <g id="gnuplot_plot_N">.
    if (e.name == "g" && e.attribute("id").rfind("gnuplot_plot_", 0) == 0) {
        for (const auto& c : e.children) {
            std::vector<const trawl::test::XmlElement*> stack{c.get()};
            while (!stack.empty()) {
                const auto* x = stack.back();
                stack.pop_back();
                if (x->name == "text") out.push_back(x->all_text());
                for (const auto& k : x->children) stack.push_back(k.get());
            }
        }
        return;
    }
    for (const auto& c : e.children) collect_legend(*c, out);
}

// The legend entries of the SVG at `path`, which must parse as XML.
std::vector<std::string> svg_legend(const fs::path& path) {
    EXPECT_TRUE(fs::exists(path)) << path;
    const auto doc = read_file(path);
    std::unique_ptr<trawl::test::XmlElement> root;
    try {
        root = trawl::test::parse_xml(doc);
    } catch (const std::exception& e) {
        ADD_FAILURE() << path << ": " << e.what();
        return {};
    }
    EXPECT_EQ(root->name, "svg") << path;
    std::vector<std::string> legend;
    collect_legend(*root, legend);
    return legend;
}

// Expects a legend entry starting with `name` (entries add figures after the name).
void expect_named(const std::vector<std::string>& legend, const std::string& name, const fs::path& svg) {
    bool found = false;
    for (const auto& l : legend) found = found || l.rfind(name, 0) == 0;
    std::string all;
    for (const auto& l : legend) all += "[" + l + "] ";
    EXPECT_TRUE(found) << svg.filename() << ": no legend entry for '" << name << "' in " << all;
}

// The peers that ran: the ones not reported skipped on stderr.
std::vector<std::string> peers_run(const std::string& err) {
    std::vector<std::string> peers;
    if (err.find("peer fts5 skipped") == std::string::npos) peers.push_back("sqlite-fts5 ");
    if (err.find("peer lucene skipped") == std::string::npos) peers.push_back("lucene-8");
    return peers;
}

TEST(BenchPlot, CompareDrawsLatencyPerKindAndIndexBarsNamingEveryEngine) {
    trawl::test::TempDir tmp;
    const auto dir = tmp / "plots";
    auto r = run_command(std::string(TRAWL_BENCH_BIN) +
                         " compare --passage-words 30 --overlap 5 --queries-per-kind 3 --warmup 0 --repetitions 1"
                         " --threads 1 --plot " +
                         shell_quote(dir.string()) + " " + shell_quote(kNews));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("\nbag-of-words ("), std::string::npos) << "the tables are still printed: " << r.out;
    const std::vector<std::string> kinds = {"bag-of-words", "phrase", "NEAR-10"};
    for (const auto& kind : kinds) {
        const auto name = "compare-latency-" + kind;
        ASSERT_TRUE(fs::exists(dir / (name + ".gp"))) << name;
        EXPECT_NE(read_file(dir / (name + ".tsv")).find("# latency_ms\tfraction\n"), std::string::npos);
        EXPECT_TRUE(fs::exists(dir / (name + "-percentiles.tsv")));
    }
    EXPECT_TRUE(fs::exists(dir / "compare-index.tsv"));
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot not installed (scripts/install-deps.sh installs gnuplot-nox)";
    EXPECT_NE(r.err.find("trawl-bench: plots in "), std::string::npos) << r.err;

    std::vector<std::string> engines = {kTrawl, kTrawl + " --by-article"};
    for (const auto& p : peers_run(r.err)) engines.push_back(p);
    for (const auto& kind : kinds) {
        const auto svg = dir / ("compare-latency-" + kind + ".svg");
        const auto legend = svg_legend(svg);
        for (const auto& e : engines) expect_named(legend, e, svg);
        EXPECT_TRUE(fs::exists(dir / ("compare-latency-" + kind + ".png")));
    }
    const auto index_svg = dir / "compare-index.svg";
    const auto legend = svg_legend(index_svg);
    expect_named(legend, kTrawl + ": postlist", index_svg);
    expect_named(legend, kTrawl + ": position", index_svg);
    for (const auto& p : peers_run(r.err)) expect_named(legend, p, index_svg);
}

TEST(BenchPlot, ScaleDrawsTimeSizeAndLatencyAgainstTheFactorWithTheLinearLine) {
    trawl::test::TempDir tmp;
    const auto dir = tmp / "plots";
    auto r = run_command(std::string(TRAWL_BENCH_BIN) +
                         " scale --json --quiet --passage-words 30 --overlap 5 --queries-per-kind 2 --warmup 0"
                         " --repetitions 1 --factors 1,2 --plot " +
                         shell_quote(dir.string()) + " " + shell_quote(kNews));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.front(), '[') << "stdout is still the JSON alone: " << r.out;
    EXPECT_EQ(r.err, "") << "--quiet: nothing on stderr";
    const auto data = trawl::test::lines_of(read_file(dir / "scale.tsv"));
    ASSERT_EQ(data.size(), 3u) << "a header and a line per factor";
    EXPECT_EQ(data[1].rfind("1\t", 0), 0u) << data[1];
    EXPECT_EQ(data[2].rfind("2\t", 0), 0u) << data[2];
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot not installed (scripts/install-deps.sh installs gnuplot-nox)";
    const auto svg = dir / "scale.svg";
    const auto legend = svg_legend(svg);
    for (const char* s : {"wall clock", "CPU", "index", "bag-of-words p50", "bag-of-words p99", "phrase p50",
                          "phrase p99", "linear from the first factor"})
        expect_named(legend, s, svg);
    EXPECT_NE(read_file(svg).find(kTrawl + " as the corpus grows: news"), std::string::npos)
        << "the title names the engine and the corpus";
}

TEST(BenchPlot, EvalDrawsPerTopicDifferencesAndMetricBarsForEveryConfiguration) {
    trawl::test::TempDir tmp;
    const auto coll = tmp / "tiny";
    fs::create_directories(coll / "qrels");
    std::ofstream(coll / "corpus.jsonl")
        << "{\"_id\": \"d1\", \"title\": \"Copper\", \"text\": \"Copper prices rose as copper mines closed.\"}\n"
        << "{\"_id\": \"d2\", \"title\": \"Wheat\", \"text\": \"Wheat harvest fell; wheat prices rose.\"}\n"
        << "{\"_id\": \"d3\", \"title\": \"Ports\", \"text\": \"The port reopened after the storm.\"}\n"
        << "{\"_id\": \"d4\", \"title\": \"Storm\", \"text\": \"A storm closed copper mines and the port.\"}\n";
    std::ofstream(coll / "queries.jsonl") << "{\"_id\": \"q1\", \"text\": \"copper prices\"}\n"
                                          << "{\"_id\": \"q2\", \"text\": \"storm port\"}\n"
                                          << "{\"_id\": \"q3\", \"text\": \"wheat harvest\"}\n";
    std::ofstream(coll / "qrels" / "test.tsv") << "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\nq3\td2\t1\n";
    const auto dir = tmp / "plots";
    auto r = run_command(std::string(TRAWL_BENCH_BIN) + " eval --proximity 0,1 --plot " + shell_quote(dir.string()) +
                         " " + shell_quote(coll.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto topics = read_file(dir / "eval-tiny-topics.tsv");
    EXPECT_NE(topics.find("# rank\tqid\tdelta\n"), std::string::npos) << topics;
    EXPECT_NE(read_file(dir / "eval-tiny-metrics.tsv").find("# metric\tx\tvalue\tp_value\tmark\n"), std::string::npos);
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot not installed (scripts/install-deps.sh installs gnuplot-nox)";
    const std::string baseline = kTrawl + " k1=2 b=0.6 art=0.75/doc prox=0 exp=0";
    std::vector<std::string> others = {kTrawl + " k1=2 b=0.6 art=0.75/doc prox=1 exp=0"};
    for (const auto& p : peers_run(r.err)) others.push_back(p);
    const auto metrics_svg = dir / "eval-tiny-metrics.svg";
    const auto bars = svg_legend(metrics_svg);
    expect_named(bars, baseline + " (baseline)", metrics_svg);
    for (const auto& o : others) expect_named(bars, o, metrics_svg);
    const auto topics_svg = dir / "eval-tiny-topics.svg";
    const auto diffs = svg_legend(topics_svg);
    for (const auto& o : others) expect_named(diffs, o, topics_svg);
    EXPECT_EQ(diffs.size(), others.size()) << "one panel per configuration or peer, none for the baseline";
}

TEST(BenchPlot, WithoutGnuplotTheDataAndScriptsAreWrittenAndOneLineSaysHowToDrawThem) {
    trawl::test::TempDir tmp;
    const auto dir = tmp / "plots";
    auto r = run_command("env PATH=" + shell_quote((tmp / "empty").string()) + " " + TRAWL_BENCH_BIN +
                         " scale --quiet --passage-words 30 --overlap 5 --queries-per-kind 2 --warmup 0"
                         " --repetitions 1 --factors 1,2 --plot " +
                         shell_quote(dir.string()) + " " + shell_quote(kNews));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = trawl::test::lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind("trawl-bench: gnuplot not found: the plot data and scripts are in " + dir.string(), 0), 0u)
        << lines[0];
    EXPECT_NE(lines[0].find("for s in *.gp; do gnuplot \"$s\"; done"), std::string::npos) << lines[0];
    EXPECT_TRUE(fs::exists(dir / "scale.tsv"));
    EXPECT_TRUE(fs::exists(dir / "scale.gp"));
    EXPECT_FALSE(fs::exists(dir / "scale.svg"));
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot not installed: the line's command not tried";
    // The command of that line draws them.
    auto draw = run_command("cd " + shell_quote(dir.string()) + " && for s in *.gp; do gnuplot \"$s\"; done");
    ASSERT_EQ(draw.exit_code, 0) << draw.err;
    expect_named(svg_legend(dir / "scale.svg"), "wall clock", dir / "scale.svg");
}

TEST(BenchPlot, AnUnwritablePlotDirectoryFailsBeforeTheRun) {
    trawl::test::TempDir tmp;
    std::ofstream(tmp / "file") << "x";
    const auto bad = (tmp / "file" / "plots").string();
    auto r = run_command(std::string(TRAWL_BENCH_BIN) + " scale --quiet --factors 1 --plot " + shell_quote(bad) + " " +
                         shell_quote(kNews));
    EXPECT_EQ(r.exit_code, 2);
    const auto lines = trawl::test::lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind("trawl-bench: " + bad + ": cannot create the plot directory", 0), 0u) << lines[0];
    EXPECT_EQ(r.out, "") << "nothing measured";
}

}  // namespace
