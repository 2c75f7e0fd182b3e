// End-to-end: docs/bench.md names every key of trawl-bench's --json output.
// Each command runs on a fixture and the key paths it prints must be exactly
// those of the doc's table for it, read from the doc itself so that the two
// cannot drift apart: a key printed but not documented fails, and so does a
// documented key that no run prints.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kNews = TRAWL_FIXTURES_DIR "/e2e/news";
const std::string kBench = TRAWL_BENCH_BIN;

// The key paths of each "## " section of docs/bench.md: the first cell of
// every table row, "| `path` | unit | meaning |", without its backquotes.
std::map<std::string, std::vector<std::string>> documented_keys() {
    std::ifstream in(TRAWL_BENCH_DOC);
    EXPECT_TRUE(in) << "cannot read " << TRAWL_BENCH_DOC;
    std::map<std::string, std::vector<std::string>> out;
    std::string section;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("## ")) section = line.substr(3);
        if (!line.starts_with("| `")) continue;
        const auto end = line.find("` |");
        EXPECT_NE(end, std::string::npos) << "a table row whose first cell is not one `key`: " << line;
        if (end != std::string::npos) out[section].push_back(line.substr(3, end - 3));
    }
    return out;
}

// The section whose heading holds `what`, exactly one.
std::vector<std::string> section(const std::map<std::string, std::vector<std::string>>& doc, const std::string& what) {
    std::vector<std::string> found;
    std::size_t n = 0;
    for (const auto& [heading, keys] : doc)
        if (heading.find(what) != std::string::npos) found = keys, ++n;
    EXPECT_EQ(n, 1u) << "docs/bench.md: want one section whose heading holds '" << what << "'";
    return found;
}

// Every key path of `j`: "a", "a.b", "a[].c" (the elements of an array of
// objects share "[]"). The elements of a top-level array are read with no
// prefix: the doc lists the keys of one element.
void collect(const json& j, const std::string& prefix, std::set<std::string>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            const auto path = prefix.empty() ? k : prefix + "." + k;
            out.insert(path);
            collect(v, path, out);
        }
    } else if (j.is_array()) {
        for (const auto& e : j) collect(e, prefix.empty() ? "" : prefix + "[]", out);
    }
}
std::set<std::string> paths(const json& j) {
    std::set<std::string> out;
    collect(j, "", out);
    return out;
}

// Whether a printed path matches a documented one, where a part of the
// documented path in capitals (TABLE, THREADS, ENGINE) stands for any name
// the run chose (which may hold dots and spaces: "sqlite-fts5 3.40.1"; the
// maps it stands in hold numbers or arrays, not objects).
bool matches(const std::string& printed, const std::string& documented) {
    std::string re;
    for (std::size_t i = 0; i < documented.size();) {
        const bool part_start = i == 0 || documented[i - 1] == '.';
        std::size_t e = i;
        while (e < documented.size() && documented[e] >= 'A' && documented[e] <= 'Z') ++e;
        const bool part_end = e == documented.size() || documented[e] == '.' || documented[e] == '[';
        if (part_start && e > i && part_end) {
            re += "([^\\[]+)";  // not into an array below it: ENGINE does not match "trawl[].ms"
            i = e;
            continue;
        }
        const char c = documented[i++];
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) re += '\\';
        re += c;
    }
    return std::regex_match(printed, std::regex(re));
}

// Checks the paths printed in every run of a section against its table:
// each printed path is documented, each documented path printed by some
// run (but those in `may_be_absent`, which say why).
void expect_documented(const std::string& name, const std::vector<std::string>& documented,
                       const std::set<std::string>& printed, const std::set<std::string>& may_be_absent = {}) {
    ASSERT_FALSE(documented.empty()) << name << ": no keys documented";
    for (const auto& p : printed) {
        bool found = false;
        for (const auto& d : documented) found = found || matches(p, d);
        EXPECT_TRUE(found) << name << ": '" << p << "' is printed but not in docs/bench.md";
    }
    for (const auto& d : documented) {
        bool found = may_be_absent.count(d) > 0;
        for (const auto& p : printed) found = found || matches(p, d);
        EXPECT_TRUE(found) << name << ": '" << d << "' is in docs/bench.md but no run printed it";
    }
}

json run_json(const std::string& command) {
    auto r = run_command(command);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    try {
        return json::parse(r.out);
    } catch (const json::parse_error& e) {
        ADD_FAILURE() << command << ": not JSON (" << e.what() << "): " << r.out;
        return json::object();
    }
}

TEST(BenchJsonDoc, EveryCommandPrintsExactlyTheDocumentedKeys) {
    const auto doc = documented_keys();
    trawl::test::TempDir tmp;
    const std::string split = " --passage-words 30 --overlap 5 ";

    // index, and compare with FTS5 (a peer's row and the ratio rows) when it is built in.
    const auto index = run_json(kBench + " index --json --peers none" + split + shell_quote(kNews));
    auto compare_run =
        run_command(kBench + " compare --json --quiet --peers fts5" + split +
                    "--queries-per-kind 2 --warmup 0 --repetitions 1 --threads 1,2 " + shell_quote(kNews));
    ASSERT_EQ(compare_run.exit_code, 0) << compare_run.err;
    const bool fts5 = compare_run.err.find("peer fts5 skipped") == std::string::npos;
    const auto compare = json::parse(compare_run.out);

    // query on an index of the news, a query of each kind, the slowest listed.
    const auto db = (tmp / "news.idx").string();
    auto ix = run_command(trawl::test::index_cmd(db, "--quiet " + shell_quote(kNews)));
    ASSERT_EQ(ix.exit_code, 0) << ix.err;
    const auto queries = tmp / "queries.tsv";
    std::ofstream(queries) << "q1\tcrude oil\nq2\t\"crude oil\"\nq3\toil NEAR/3 crude\nq4\toil ADJ/2 prices\n";
    const auto query = run_json(kBench + " query --db " + shell_quote(db) + " --queries " +
                                shell_quote(queries.string()) + " --warmup 0 --repetitions 1 --slowest 1 --json");

    const auto scale = run_json(kBench + " scale --json --quiet" + split +
                                "--queries-per-kind 2 --warmup 0 --repetitions 1 --factors 1 " + shell_quote(kNews));
    const auto spelling = run_json(kBench + " spelling --json --db " + shell_quote(db) + " --queries 5");

    // eval on a tiny BEIR collection, each query's metrics too; the rows
    // after the first are compared with the default (vs_baseline).
    const auto coll = tmp / "tiny";
    fs::create_directories(coll / "qrels");
    std::ofstream(coll / "corpus.jsonl")
        << "{\"_id\": \"d1\", \"title\": \"Copper\", \"text\": \"Copper prices rose.\"}\n"
        << "{\"_id\": \"d2\", \"title\": \"Wheat\", \"text\": \"Wheat harvest fell.\"}\n";
    std::ofstream(coll / "queries.jsonl") << "{\"_id\": \"q1\", \"text\": \"copper prices\"}\n"
                                          << "{\"_id\": \"q2\", \"text\": \"wheat\"}\n";
    std::ofstream(coll / "qrels" / "test.tsv") << "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n";
    const auto eval = run_json(kBench + " eval --json --quiet --peers none --per-query " + shell_quote(coll.string()));

    // Each section against what its runs printed.
    auto index_paths = paths(index);
    index_paths.merge(paths(compare.at("index")));
    expect_documented("index", section(doc, "`trawl-bench index --json`"), index_paths);

    std::set<std::string> latency_paths = paths(query);
    latency_paths.merge(paths(compare.at("queries")));
    std::set<std::string> without_peers;
    if (!fts5) {
        std::cerr << "[ note ] FTS5 not built in: the ratio rows' keys are not checked\n";
        for (const auto& d : section(doc, "`trawl-bench query --json`"))
            if (d.starts_with("ratios[]")) without_peers.insert(d);
    }
    expect_documented("query", section(doc, "`trawl-bench query --json`"), latency_paths, without_peers);

    std::set<std::string> compare_top;
    for (const auto& [k, v] : compare.items()) compare_top.insert(k);
    expect_documented("compare", section(doc, "`trawl-bench compare --json`"), compare_top);
    expect_documented("scale", section(doc, "`trawl-bench scale --json`"), paths(scale));
    expect_documented("eval", section(doc, "`trawl-bench eval --json`"), paths(eval));
    expect_documented("spelling", section(doc, "`trawl-bench spelling --json`"), paths(spelling));

    // The runs printed what the doc says of them, not only the names.
    ASSERT_TRUE(query.is_array());
    ASSERT_EQ(query.size(), 4u) << "one table per kind: " << query;
    EXPECT_EQ(query[0].at("threads"), json::array({1, 2}));
    EXPECT_TRUE(query[0].at("rows")[0].at("qps").contains("2")) << query[0];
    EXPECT_EQ(query[0].at("slowest").at("trawl").size(), 1u) << query[0];
    EXPECT_EQ(query[0].at("slowest").at("trawl")[0].at("query"), "crude oil");
    EXPECT_EQ(compare.at("seed"), 42);
    EXPECT_EQ(compare.at("index").at("engines")[0].at("engine"), "trawl");
    EXPECT_TRUE(compare.at("index").at("engines")[0].at("tables").contains("postlist"));
    if (fts5) {
        EXPECT_EQ(compare.at("queries")[0].at("ratios").size(), 1u) << compare.at("queries")[0];
    }
    ASSERT_EQ(eval.size(), 5u) << "the standard rows: " << eval;
    EXPECT_FALSE(eval[2].contains("vs_baseline")) << "the default is the baseline: " << eval[2];
    EXPECT_EQ(eval[0].at("vs_baseline").at("baseline"), "default");
    EXPECT_EQ(eval[0].at("per_query").size(), 2u);
    EXPECT_EQ(scale.size(), 1u);
    EXPECT_EQ(spelling.at("index_bytes_added"), 0);
}

// The doc's tables are what the test reads: a row it could not read would
// leave a key unchecked.
TEST(BenchJsonDoc, EverySectionHasKeysWithUnitAndMeaning) {
    std::ifstream in(TRAWL_BENCH_DOC);
    ASSERT_TRUE(in) << TRAWL_BENCH_DOC;
    std::size_t rows = 0;
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("| `")) continue;
        ++rows;
        std::vector<std::string> cells;
        std::stringstream ss(line.substr(1));
        for (std::string cell; std::getline(ss, cell, '|');) cells.push_back(cell);
        ASSERT_EQ(cells.size(), 3u) << "key | unit | meaning: " << line;
        EXPECT_GT(cells[1].size(), 2u) << "no unit: " << line;
        EXPECT_GT(cells[2].size(), 10u) << "no meaning: " << line;
    }
    EXPECT_GT(rows, 80u);
}

}  // namespace
