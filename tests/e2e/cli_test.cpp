// End-to-end tests: the real trawl-index and trawl-query binaries on the
// fixture corpus in tests/fixtures/e2e (and on ../shared/data when present).
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/format/schema.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::CommandResult;
using trawl::test::index_cmd;
using trawl::test::lines_of;
using trawl::test::parse_jsonl;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kFixtures = TRAWL_FIXTURES_DIR "/e2e";

// The fixture news corpus indexed once, with short passages so that articles
// have several of them.
class CliTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new trawl::test::TempDir();
        db_ = (*tmp_ / "news.idx").string();
        first_ = run_command(index_cmd(db_, "--passage-words 30 --overlap 5 " + shell_quote(kFixtures + "/news")));
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    static CommandResult query(const std::string& args) { return run_command(query_cmd(db_, args)); }
    static std::vector<nlohmann::json> json_query(const std::string& q, const std::string& extra = "") {
        auto r = query("--format json -n 50 " + extra + " " + shell_quote(q));
        EXPECT_NE(r.exit_code, 2) << r.err;
        return parse_jsonl(r.out);
    }
    static std::set<std::string> articles(const std::vector<nlohmann::json>& hits) {
        std::set<std::string> ids;
        for (const auto& h : hits) ids.insert(h.at("article_id").get<std::string>());
        return ids;
    }

    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string db_;
    static inline CommandResult first_;
};

TEST_F(CliTest, IndexSummaryCountsArticlesAndPassages) {
    ASSERT_EQ(first_.exit_code, 0) << first_.err;
    EXPECT_NE(first_.out.find("indexed 6 articles as "), std::string::npos) << first_.out;
    EXPECT_NE(first_.out.find("skipped 0 records"), std::string::npos) << first_.out;
    EXPECT_NE(first_.out.find("stored text "), std::string::npos) << first_.out;
    EXPECT_EQ(first_.err, "") << "no progress line when stderr is not a terminal";
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

TEST_F(CliTest, PhraseMatchesOnlyTheExactPhrase) {
    auto hits = json_query("\"crude oil prices\"");
    ASSERT_FALSE(hits.empty());
    // A passage is its text plus its article's title (indexed as a field of every passage).
    for (const auto& h : hits) {
        auto title = lower(h.at("title").get<std::string>()), text = lower(h.at("text").get<std::string>());
        EXPECT_TRUE(title.find("crude oil prices") != std::string::npos ||
                    text.find("crude oil prices") != std::string::npos)
            << title << " / " << text;
    }
    // The passage whose text holds the phrase ranks first.
    EXPECT_NE(lower(hits.at(0).at("text").get<std::string>()).find("crude oil prices"), std::string::npos);
    EXPECT_EQ(articles(hits), std::set<std::string>{"markets/crude-oil"});
    // Shorter phrases that both articles hold find both.
    EXPECT_EQ(articles(json_query("\"crude oil\"")),
              (std::set<std::string>{"markets/crude-oil", "markets/shipping-costs"}));
    // The same words without quotes also find the article that has them in another order.
    EXPECT_TRUE(articles(json_query("crude oil prices")).count("markets/shipping-costs"));
}

TEST_F(CliTest, NearRespectsItsDistance) {
    // "harbour big red crane" (distance 3) vs "harbour and its long delayed crane" (distance 5).
    EXPECT_EQ(articles(json_query("harbour NEAR/3 crane")), std::set<std::string>{"ports/harbour-crane"});
    EXPECT_EQ(articles(json_query("harbour NEAR/5 crane")),
              (std::set<std::string>{"ports/harbour-crane", "ports/harbour-plans"}));
    // NEAR is unordered, ADJ is ordered.
    EXPECT_EQ(articles(json_query("crane NEAR/3 harbour")), std::set<std::string>{"ports/harbour-crane"});
    auto r = query("'crane ADJ/3 harbour'");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(r.out.starts_with("0 passages in 0 articles (")) << r.out;  // the count line only
    EXPECT_EQ(articles(json_query("harbour ADJ/3 crane")), std::set<std::string>{"ports/harbour-crane"});
}

TEST_F(CliTest, ByArticleReturnsOneHitPerArticle) {
    auto all = json_query("storm");
    std::map<std::string, int> per_article;
    for (const auto& h : all) ++per_article[h.at("article_id").get<std::string>()];
    ASSERT_GT(per_article["weather/storm-warning"], 1) << "fixture should give several storm passages";

    auto grouped = json_query("storm", "--by-article");
    std::map<std::string, int> grouped_count;
    for (const auto& h : grouped) ++grouped_count[h.at("article_id").get<std::string>()];
    EXPECT_EQ(grouped_count["weather/storm-warning"], 1);
    for (const auto& [id, n] : grouped_count) EXPECT_EQ(n, 1) << id;
    EXPECT_EQ(grouped.at(0).at("article_id"), "weather/storm-warning");
}

TEST_F(CliTest, ReindexingKeepsCounts) {
    auto count = [&] {
        auto r = run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(db_) +
                             " --format trec -n 1000 storm OR harbour OR oil OR the OR café OR council");
        return lines_of(r.out).size();
    };
    auto before = count();
    auto again = run_command(index_cmd(db_, "--passage-words 30 --overlap 5 " + shell_quote(kFixtures + "/news")));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("; 6 unchanged since an earlier run indexed them (skipped)"), std::string::npos)
        << again.out;
    EXPECT_EQ(again.out.find("replaced"), std::string::npos) << "nothing replaced by itself: " << again.out;
    // "index DIR: N passages" reports the same N as the first run.
    auto total = [](const std::string& out) {
        auto p = out.find(": ", out.find("index "));
        return out.substr(p, out.find(" passages", p) - p);
    };
    EXPECT_EQ(total(again.out), total(first_.out));
    EXPECT_EQ(count(), before);
}

TEST_F(CliTest, JsonOutputParsesWithTheFieldsProgramsNeed) {
    auto r = query("--format json storm");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto hits = parse_jsonl(r.out);
    ASSERT_FALSE(hits.empty());
    int rank = 0;
    for (const auto& h : hits) {
        EXPECT_EQ(h.at("rank").get<int>(), ++rank);
        EXPECT_TRUE(h.at("score").is_number());
        auto pid = h.at("passage_id").get<std::string>();
        EXPECT_EQ(pid, h.at("article_id").get<std::string>() + "#" + std::to_string(h.at("ordinal").get<int>()));
        EXPECT_EQ(h.at("title"), "Storm warning issued for the coast");
        // Passages whose text says "storm" show it highlighted in the snippet.
        if (lower(h.at("text").get<std::string>()).find("storm") != std::string::npos) {
            auto snippet = h.at("snippet").get<std::string>();
            ASSERT_FALSE(h.at("highlights").empty()) << snippet;
            auto hl = h.at("highlights").at(0);
            EXPECT_EQ(lower(snippet.substr(hl.at(0).get<std::size_t>(),
                                           hl.at(1).get<std::size_t>() - hl.at(0).get<std::size_t>())),
                      "storm");
        }
    }
}

TEST_F(CliTest, TrecRunLines) {
    auto r = query("--format trec --run-tag fixture storm");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = lines_of(r.out);
    ASSERT_FALSE(lines.empty());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::istringstream is(lines[i]);
        std::string qid, q0, docid, tag;
        int rank;
        double score;
        is >> qid >> q0 >> docid >> rank >> score >> tag;
        EXPECT_EQ(qid, "1");
        EXPECT_EQ(q0, "Q0");
        EXPECT_EQ(docid.rfind("weather/storm-warning#", 0), 0u) << docid;
        EXPECT_EQ(rank, static_cast<int>(i + 1));
        EXPECT_EQ(tag, "fixture");
    }
}

TEST_F(CliTest, UnicodeWordsMatchAndAreHighlighted) {
    auto hits = json_query("café");
    ASSERT_EQ(articles(hits), std::set<std::string>{"weather/cafe-and-naive"});
    const auto& h = hits.at(0);
    auto snippet = h.at("snippet").get<std::string>();
    auto hl = h.at("highlights").at(0);
    EXPECT_EQ(snippet.substr(hl.at(0).get<std::size_t>(), hl.at(1).get<std::size_t>() - hl.at(0).get<std::size_t>()),
              "café");
}

// Format v5 (docs/index-format.md, "Stems"): the index holds the words, and
// a bag-of-words word finds every word with its stem through the synonym
// table; a capitalised word, a phrase or a NEAR matches the word as written.
TEST_F(CliTest, AWordFindsEveryWordWithItsStemFromAWordsOnlyIndex) {
    Xapian::Database db(db_);
    EXPECT_EQ(db.get_metadata(std::string(trawl::format::kMetaStems)), "synonyms");
    EXPECT_EQ(db.allterms_begin("Z"), db.allterms_end("Z")) << "no stem terms: " << *db.allterms_begin("Z");
    EXPECT_EQ(std::vector<std::string>(db.synonyms_begin("Zship"), db.synonyms_end("Zship")),
              (std::vector<std::string>{"shipping", "ships"}));
    const std::set<std::string> both{"markets/shipping-costs", "ports/harbour-crane"};
    EXPECT_EQ(articles(json_query("ship")), both);
    EXPECT_EQ(articles(json_query("shipping")), both);
    EXPECT_EQ(articles(json_query("title:rate")),
              std::set<std::string>{"markets/shipping-costs"});  // title "Freight rates ..."
    // A capitalised word is stemmed as its lower case is (it matched "ships" only before).
    EXPECT_EQ(articles(json_query("Ships")), both);
    EXPECT_EQ(query(shell_quote("\"ship\"")).exit_code, 1);  // no passage has the word "ship" itself
    // The snippet highlights the word as the passage spells it.
    const auto hits = json_query("ship", "--by-article");
    for (const auto& h : hits) {
        const auto snippet = h.at("snippet").get<std::string>();
        ASSERT_FALSE(h.at("highlights").empty()) << snippet;
        const auto hl = h.at("highlights").at(0);
        const auto word =
            snippet.substr(hl.at(0).get<std::size_t>(), hl.at(1).get<std::size_t>() - hl.at(0).get<std::size_t>());
        EXPECT_TRUE(word == "ships" || word == "shipping" || word == "Shipping") << word;
    }
}

TEST_F(CliTest, TitleFieldSearchesTitlesOnly) {
    EXPECT_EQ(articles(json_query("title:freight")), std::set<std::string>{"markets/shipping-costs"});
    auto r = query("title:tonnes");  // a body-only word
    EXPECT_EQ(r.exit_code, 1) << r.out;
}

TEST_F(CliTest, TextOutputShowsTitleScoreAndSnippetWithoutColourWhenPiped) {
    auto r = query("-n 1 'crude oil'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Crude oil prices climb as refiners restock"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("markets/crude-oil#0"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no ANSI codes when not a terminal";
    auto colored = query("-n 1 --color always 'crude oil'");
    EXPECT_NE(colored.out.find("\x1b["), std::string::npos);
}

TEST_F(CliTest, QueriesFromStdinAndFile) {
    auto r = run_command(query_cmd(db_, "--format trec"), "q1\tstorm\nq2\tharbour NEAR/3 crane\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> qids;
    for (const auto& l : lines_of(r.out)) qids.insert(l.substr(0, l.find(' ')));
    EXPECT_EQ(qids, (std::set<std::string>{"q1", "q2"}));
}

// A query id used twice merged the two queries' hits under it (a TREC run
// with passages twice in a topic, which trec_eval refuses): the second is an
// error naming its line and the first's, the others run, exit 2.
TEST_F(CliTest, AQueryIdUsedTwiceInABatchIsAnError) {
    auto r = run_command(query_cmd(db_, "--format trec -n 50"), "q1\tstorm\nq2\tharbour\nq1\tstorm crane\n");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("<stdin>:3: query id q1 is already line 1's: each query needs an id of its own"),
              std::string::npos)
        << r.err;
    std::set<std::string> qids;
    std::set<std::pair<std::string, std::string>> pairs;
    std::size_t rows = 0;
    for (const auto& l : lines_of(r.out)) {
        std::istringstream in(l);
        std::string qid, q0, docno;
        in >> qid >> q0 >> docno;
        qids.insert(qid);
        pairs.insert({qid, docno});
        ++rows;
    }
    EXPECT_EQ(qids, (std::set<std::string>{"q1", "q2"}));
    EXPECT_EQ(pairs.size(), rows) << "each passage once in a topic";
}

// Reading the tables from mappings (--mapped-reads) changes no byte of the
// results, for a batch and for one query.
TEST_F(CliTest, MappedReadsGiveTheSameResults) {
    const std::string batch = "q1\tstorm\nq2\t\"harbour crane\"\nq3\tharbour NEAR/3 crane\nq4\tstrom\n";
    std::map<std::string, std::string> out;
    for (const std::string when : {"auto", "always", "never"}) {
        auto r = run_command(query_cmd(db_, "--format json -n 50 --mapped-reads " + when), batch);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        out[when] = std::regex_replace(r.out, std::regex("\"ms\":[0-9.e+-]+"), "");
        auto one = query("-n 50 --mapped-reads " + when + " storm");
        ASSERT_EQ(one.exit_code, 0) << one.err;
        out[when + " one"] = one.out.substr(one.out.find('\n'));  // past the line with the time
    }
    EXPECT_NE(out["never"].find("storm"), std::string::npos);
    EXPECT_EQ(out["auto"], out["never"]);
    EXPECT_EQ(out["always"], out["never"]);
    EXPECT_EQ(out["always one"], out["never one"]);
    EXPECT_EQ(out["auto one"], out["never one"]);
    auto bad = query("--mapped-reads sometimes storm");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--mapped-reads must be auto, always or never, not 'sometimes'"), std::string::npos)
        << bad.err;
}

TEST_F(CliTest, ProximityRaisesPassagesWhereTheWordsAreClose) {
    auto plain = json_query("crude oil prices");
    auto prox = json_query("crude oil prices", "--proximity 1");
    ASSERT_FALSE(plain.empty());
    std::map<std::string, double> plain_score;
    for (const auto& h : plain) plain_score[h.at("passage_id")] = h.at("score");
    bool checked = false;
    for (const auto& h : prox) {
        const std::string text = lower(h.at("text").get<std::string>());
        const std::string id = h.at("passage_id");
        ASSERT_TRUE(plain_score.count(id)) << "re-ranking changes the order, not the matches";
        if (text.find("crude oil prices") != std::string::npos) {
            EXPECT_GT(h.at("score").get<double>(), plain_score[id]) << id << ": adjacent words add a proximity score";
            checked = true;
        }
    }
    EXPECT_TRUE(checked) << "the fixture has the phrase";
    EXPECT_EQ(prox.size(), plain.size());
    auto bad = query("--proximity -1 oil");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--proximity must be a number from 0 to 1000"), std::string::npos) << bad.err;
    // NaN and infinity are no numbers BM25 can use: every score came out NaN.
    // Nor is a finite number too large for the sums: --k1 1e308 gave "inf"
    // and "-nan" scores and the hits in index order (a red-team review).
    for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
             {"--k1 nan oil", "--k1 must be a number from 0 to 1000"},
             {"--k1 inf oil", "--k1 must be a number from 0 to 1000"},
             {"--k1 1e308 oil", "--k1 must be a number from 0 to 1000"},
             {"--k1 1000.5 oil", "--k1 must be a number from 0 to 1000"},
             {"--b nan oil", "--b must be from 0 to 1"},
             {"--proximity nan oil", "--proximity must be a number from 0 to 1000"},
             {"--proximity 1e308 oil", "--proximity must be a number from 0 to 1000"},
             {"--article-weight nan oil", "--article-weight must be from 0 to 1"}}) {
        const auto r = query(args);
        EXPECT_EQ(r.exit_code, 2) << args;
        EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    }
}

TEST_F(CliTest, NoHitsExitsOne) {
    auto r = query("zeppelin");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.out.starts_with("0 passages in 0 articles (")) << r.out;
    EXPECT_EQ(lines_of(r.out).size(), 1u) << r.out;
}

// Exit status 1 means that no query matched (README, as grep): a query that
// matched but whose page (--offset) lies past its last hit printed its count
// line ("3 passages") and exited 1.
TEST_F(CliTest, AMatchWhosePageIsPastItsLastHitExitsZero) {
    const auto all = json_query("storm");
    ASSERT_FALSE(all.empty());
    const std::string past = "--offset " + std::to_string(all.size()) + " ";
    auto r = query(past + "storm");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with(std::to_string(all.size()) + " passage")) << r.out;
    EXPECT_EQ(lines_of(r.out).size(), 1u) << r.out;
    r = query(past + "--format json storm");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(parse_jsonl(r.out).empty()) << r.out;
    EXPECT_EQ(trawl::test::parse_summaries(r.out).at(0).at("passages").at("count").get<std::size_t>(), all.size());
    r = run_command(query_cmd(db_, past + "--format trec"), "q1\tstorm\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    // Nothing matched is still 1, past the end or not.
    EXPECT_EQ(query(past + "zeppelin").exit_code, 1);
}

// A queries file saved with a UTF-8 byte-order mark (Windows editors) kept it
// in the first qid: the run file said "\xEF\xBB\xBFq1" (percent-encoded)
// where the qrels say q1.
TEST_F(CliTest, AByteOrderMarkBeforeTheFirstQueryIsDropped) {
    trawl::test::TempDir tmp;
    const auto file = (tmp / "topics.tsv").string();
    // A later line's mark (files saved so, joined) and spaces round an id are no part of it either.
    std::ofstream(file) << "\xEF\xBB\xBFq1\tstorm\nq2\tharbour NEAR/3 crane\n\xEF\xBB\xBFq3\tcrane\n  q4 \tstorm\n";
    auto r = query("--format trec --queries " + shell_quote(file));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> qids;
    for (const auto& l : lines_of(r.out)) qids.insert(l.substr(0, l.find(' ')));
    EXPECT_EQ(qids, (std::set<std::string>{"q1", "q2", "q3", "q4"}));
    // Without qids, the first query is "storm", not U+FEFF "storm"; on stdin too.
    const std::string bom_storm = "\xEF\xBB\xBFstorm\n";
    std::ofstream(file) << bom_storm;
    for (const auto& args : {"--queries " + shell_quote(file), std::string("--queries -")}) {
        r = run_command(query_cmd(db_, "--format json -n 1 " + args), bom_storm);
        EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
        const auto summaries = trawl::test::parse_summaries(r.out);
        ASSERT_EQ(summaries.size(), 1u) << r.out;
        EXPECT_EQ(summaries[0].at("query"), "storm") << args;
        EXPECT_EQ(parse_jsonl(r.out).size(), 1u) << args << ": " << r.out;
    }
}

// --snippet-bytes 0 printed "……" under every hit: 0 is no snippet, in text
// (no snippet line) and in JSON ("snippet": "", no highlights) alike.
TEST_F(CliTest, SnippetBytesZeroIsNoSnippet) {
    const auto with = query("-n 3 --color never storm");
    const auto without = query("-n 3 --color never --snippet-bytes 0 storm");
    ASSERT_EQ(without.exit_code, 0) << without.err;
    EXPECT_EQ(without.out.find("…"), std::string::npos) << without.out;
    // The text output is the usual one without its snippet lines (the count
    // line's time aside): a hit's lines indented under it other than its location.
    std::vector<std::string> expected, got = lines_of(without.out);
    for (const auto& l : lines_of(with.out))
        if (!l.starts_with("    ") || l.starts_with("    " + kFixtures)) expected.push_back(l);
    ASSERT_EQ(expected.size() + 3, lines_of(with.out).size()) << with.out;
    ASSERT_FALSE(got.empty());
    expected.erase(expected.begin());
    got.erase(got.begin());
    EXPECT_EQ(got, expected) << without.out;
    const auto json = query("--format json -n 3 --snippet-bytes 0 storm");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    const auto hits = parse_jsonl(json.out);
    ASSERT_EQ(hits.size(), 3u);
    for (const auto& h : hits) {
        EXPECT_EQ(h.at("snippet"), "") << h.dump();
        EXPECT_TRUE(h.at("highlights").empty()) << h.dump();
        EXPECT_FALSE(h.at("text").get<std::string>().empty()) << h.dump();
    }
    EXPECT_TRUE(std::regex_search(query("--help").out, std::regex(R"(\(0 = no\s+snippet\))")));
}

// `trawl-query ... | head -1`: once the reader is gone, trawl-query ends
// quietly (SIGPIPE, as grep does): no message, whatever its exit status says.
TEST_F(CliTest, ClosedStdoutEndsQuietly) {
    trawl::test::TempDir tmp;
    const std::string err_path = (tmp / "stderr").string();
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ::close(fds[0]);  // the reader has already gone
    const std::string cmd = "exec " + query_cmd(db_, "--format json -n 50 storm") + " 2>" + shell_quote(err_path);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::signal(SIGPIPE, SIG_DFL);
        ::dup2(fds[1], STDOUT_FILENO);
        ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[1]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) << "status " << status;
    std::stringstream err;
    err << std::ifstream(err_path).rdbuf();
    EXPECT_EQ(err.str(), "");
}

TEST_F(CliTest, MalformedQueryIsAClearErrorWithAPosition) {
    for (const char* q : {"storm AND", "\"crude oil", "harbour NEAR/x crane", "(storm"}) {
        auto r = query(shell_quote(q));
        EXPECT_EQ(r.exit_code, 2) << q;
        EXPECT_NE(r.err.find("column"), std::string::npos) << q << ": " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
        EXPECT_EQ(r.out, "");
    }
}

// An empty folder was "indexed 0 articles" and nothing of why (a red-team
// review). A re-run that finds everything unchanged is no such case.
TEST(Cli, NothingToIndexIsAWarning) {
    trawl::test::TempDir tmp;
    std::filesystem::create_directories(tmp / "empty");
    std::filesystem::create_directories(tmp / "news");
    std::ofstream(tmp / "news/a.txt") << "A title\n\nSome text about okapis.\n";
    const std::string warning =
        "trawl-index: warning: nothing to index: the inputs hold no article (empty files, or folders without a "
        "file to read)\n";
    auto r = run_command(index_cmd((tmp / "e.idx").string(), "-q " + shell_quote((tmp / "empty").string())));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, warning);
    const auto db = (tmp / "n.idx").string();
    r = run_command(index_cmd(db, "-q " + shell_quote((tmp / "news").string())));
    EXPECT_EQ(r.err, "");
    r = run_command(index_cmd(db, "-q " + shell_quote((tmp / "news").string())));
    EXPECT_EQ(r.err, "") << "unchanged since the last run";
}

// A plain text file with old Mac line ends (a lone CR) was indexed with its
// whole text as the title and no paragraphs.
TEST(Cli, ATextFileWithLoneCrLineEndsHasItsHeadlineAsTitle) {
    trawl::test::TempDir tmp;
    std::filesystem::create_directories(tmp / "cr");
    std::ofstream(tmp / "cr/a.txt", std::ios::binary)
        << "Oil prices rise\r\rCrude oil prices rose sharply on Monday. Traders said supply was tight.\r\r"
           "The second paragraph talks about gas and coal markets in Europe.\r";
    const auto db = (tmp / "cr.idx").string();
    auto r = run_command(index_cmd(db, "-q " + shell_quote((tmp / "cr").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    r = run_command(query_cmd(db, "--format json oil"));
    const auto hits = parse_jsonl(r.out);
    ASSERT_EQ(hits.size(), 1u) << r.out;
    EXPECT_EQ(hits[0].at("title"), "Oil prices rise");
    EXPECT_EQ(hits[0].at("text"),
              "Crude oil prices rose sharply on Monday. Traders said supply was tight.\n\n"
              "The second paragraph talks about gas and coal markets in Europe.");
}

// A page declared iso-8859-1 was indexed right but with "invalid UTF-8
// repaired"; the same bytes declared UTF-8 still are a repair.
TEST(Cli, ALatin1PageDeclaredSoIsIndexedWithoutAWarning) {
    trawl::test::TempDir tmp;
    std::filesystem::create_directories(tmp / "l1");
    const auto page = [](const std::string& charset) {
        return "<html><head><meta charset=\"" + charset +
               "\"><title>Caf\xE9 news</title></head><body><p>The caf\xE9 in M\xFCnchen sold \xA3 5 coffee to "
               "na\xEFve tourists.</p></body></html>";
    };
    std::ofstream(tmp / "l1/b.html", std::ios::binary) << page("iso-8859-1");
    const auto db = (tmp / "l1.idx").string();
    auto r = run_command(index_cmd(db, "-q " + shell_quote((tmp / "l1").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    r = run_command(query_cmd(db, "--format json caf\xC3\xA9"));
    const auto hits = parse_jsonl(r.out);
    ASSERT_EQ(hits.size(), 1u) << r.out;
    EXPECT_EQ(hits[0].at("title"), "Caf\xC3\xA9 news");
    EXPECT_EQ(hits[0].at("text"), "The caf\xC3\xA9 in M\xC3\xBCnchen sold \xC2\xA3 5 coffee to na\xC3\xAFve tourists.");

    std::filesystem::create_directories(tmp / "u8");
    std::ofstream(tmp / "u8/b.html", std::ios::binary) << page("utf-8");
    r = run_command(index_cmd((tmp / "u8.idx").string(), "-q " + shell_quote((tmp / "u8").string())));
    EXPECT_EQ(r.err, "trawl-index: " + (tmp / "u8/b.html").string() + ":1: warning: invalid UTF-8 repaired\n");
}

// The five bytes windows-1252 leaves undefined, in a page declared
// iso-8859-1, are U+FFFD in the index, with a warning naming file and line.
TEST(Cli, ByteWindows1252LeavesUndefinedInALatin1PageIsReplacedWithAWarning) {
    trawl::test::TempDir tmp;
    std::filesystem::create_directories(tmp / "in");
    std::ofstream(tmp / "in/b.html", std::ios::binary)
        << "<html><head>\n<meta charset=\"iso-8859-1\">\n<title>Caf\xE9 news</title></head>\n<body><p>The caf\xE9 "
           "sold \x81 coffee.</p></body></html>\n";
    const auto db = (tmp / "l1.idx").string();
    auto r = run_command(index_cmd(db, "-q " + shell_quote((tmp / "in").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "trawl-index: " + (tmp / "in/b.html").string() +
                         ":4: warning: invalid characters repaired (declared iso-8859-1, read as windows-1252: "
                         "undefined bytes replaced by U+FFFD)\n");
    r = run_command(query_cmd(db, "--format json coffee"));
    const auto hits = parse_jsonl(r.out);
    ASSERT_EQ(hits.size(), 1u) << r.out;
    EXPECT_EQ(hits[0].at("text"), "The caf\xC3\xA9 sold \xEF\xBF\xBD coffee.");
}

// A WikiExtractor file that starts with an XML declaration, and has a comment
// between its records, is indexed without a word on stderr; text between
// records is still reported.
TEST(Cli, AWikiExtractWithAnXmlDeclarationIsIndexedQuietly) {
    trawl::test::TempDir tmp;
    std::filesystem::create_directories(tmp / "wiki/AA");
    const std::string record1 =
        "<doc id=\"1\" url=\"http://w/1\" title=\"Okapi\">\nOkapi\n\nThe okapi is shy.\n</doc>\n";
    const std::string record2 = "<doc id=\"2\" url=\"http://w/2\" title=\"Narwhal\">\nNarwhal\n\nA narwhal.\n</doc>\n";
    std::ofstream(tmp / "wiki/AA/wiki_00", std::ios::binary)
        << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\n" + record1 + "<!-- next -->\n" + record2;
    const auto db = (tmp / "w.idx").string();
    auto r = run_command(index_cmd(db, "-q " + shell_quote((tmp / "wiki").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    r = run_command(query_cmd(db, "--format json okapi OR narwhal"));
    EXPECT_EQ(parse_jsonl(r.out).size(), 2u) << r.out;

    std::ofstream(tmp / "wiki/AA/wiki_00", std::ios::binary)
        << "<?xml version=\"1.0\"?>\n" + record1 + "stray words\n" + record2;
    r = run_command(index_cmd((tmp / "w2.idx").string(), "-q " + shell_quote((tmp / "wiki").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "trawl-index: " + (tmp / "wiki/AA/wiki_00").string() +
                         ":7: skipped: text outside a record (not within <doc>...</doc>)\n");
}

TEST(Cli, MissingIndexIsAnError) {
    trawl::test::TempDir tmp;
    auto r = run_command(query_cmd((tmp / "nope").string(), "storm"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: " + (tmp / "nope").string() + ": cannot open index: No such file or directory\n");
    // A directory that holds no index, and an empty name, were Xapian's
    // "Couldn't detect type of database" and "Couldn't stat ''".
    std::filesystem::create_directories(tmp / "empty");
    r = run_command(query_cmd((tmp / "empty").string(), "storm"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: " + (tmp / "empty").string() +
                         ": cannot open index: not an index (no Xapian database in it; trawl-index --db " +
                         (tmp / "empty").string() + " makes one)\n");
    r = run_command(query_cmd("", "storm"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--db needs a DIR, not an empty name"), std::string::npos) << r.err;
}

// Issue #12: wildcard hits came back with "highlights":[] (the searcher never
// gave the wildcard's pattern to the highlighter). Every word 'harb*' matched
// is highlighted, in either spelling, and no other word is.
TEST(Cli, WildcardHitsHighlightEveryWordThePatternMatches) {
    trawl::test::TempDir tmp;
    const auto corpus = tmp / "ports.jsonl";
    std::ofstream(corpus)
        << R"({"id": "uk/1", "title": "Quay news", "text": "The harbour master opened the new quay. Boats waited."})"
        << "\n"
        << R"({"id": "us/2", "title": "Pilot news", "text": "Harbor pilots went on strike. The harbors stayed shut."})"
        << "\n"
        << R"({"id": "farm/3", "title": "Barley", "text": "Farmers harvested barley early this year."})"
        << "\n";
    const auto db = (tmp / "ports.idx").string();
    auto ix = run_command(index_cmd(db, "--threads 1 " + shell_quote(corpus.string())));
    ASSERT_EQ(ix.exit_code, 0) << ix.err;
    for (const char* q : {"harb*", "harb* -barley"}) {
        auto r = run_command(query_cmd(db, std::string("--format json ") + shell_quote(q)));
        ASSERT_EQ(r.exit_code, 0) << q << ": " << r.err;
        std::map<std::string, std::set<std::string>> highlighted;  // article -> highlighted words
        for (const auto& h : parse_jsonl(r.out)) {
            const auto snippet = h.at("snippet").get<std::string>();
            auto& words = highlighted[h.at("article_id").get<std::string>()];
            for (const auto& span : h.at("highlights")) {
                const auto b = span.at(0).get<std::size_t>(), e = span.at(1).get<std::size_t>();
                words.insert(snippet.substr(b, e - b));
            }
        }
        const std::map<std::string, std::set<std::string>> expected = {{"uk/1", {"harbour"}},
                                                                       {"us/2", {"Harbor", "harbors"}}};
        EXPECT_EQ(highlighted, expected) << q << ": " << r.out;
    }
}

TEST(Cli, JsonlCorpusCountsSkippedRecords) {
    trawl::test::TempDir tmp;
    auto db = (tmp / "j.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(kFixtures + "/articles.jsonl")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 3 articles"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("skipped 2 records"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("articles.jsonl:3"), std::string::npos) << "malformed line is named: " << r.err;
    auto q = run_command(query_cmd(db, "--format json 'id is a number'"));
    auto hits = parse_jsonl(q.out);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].at("article_id"), "4");
}

// tests/fixtures/e2e/dated.jsonl (README there): dates and sources as filters.
class FilterCliTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new trawl::test::TempDir();
        db_ = (*tmp_ / "dated.idx").string();
        built_ = run_command(index_cmd(db_, "--passage-words 0 " + shell_quote(kFixtures + "/dated.jsonl")));
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    // Article ids of the hits, in order.
    static std::vector<std::string> ids(const std::string& args) {
        auto r = run_command(query_cmd(db_, "--format json -n 50 " + args));
        EXPECT_LT(r.exit_code, 2) << args << ": " << r.err;
        std::vector<std::string> v;
        for (const auto& h : parse_jsonl(r.out)) v.push_back(h.at("article_id"));
        return v;
    }
    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string db_;
    static inline CommandResult built_;
};

using Ids = std::vector<std::string>;

TEST_F(FilterCliTest, SinceUntilSourceOptions) {
    ASSERT_EQ(built_.exit_code, 0) << built_.err;
    EXPECT_EQ(ids("--sort date oil"), (Ids{"d5", "d4", "d3", "d2", "d1", "d6"})) << "undated last";
    EXPECT_EQ(ids("--since 2021-12-01 --until 2022-01-31 --sort date oil"), (Ids{"d4", "d3", "d2"}));
    EXPECT_EQ(ids("--since 20211201 --until 20220131 --sort date oil"), (Ids{"d4", "d3", "d2"}));
    EXPECT_EQ(ids("--until 2021-12-01 --sort date oil"), (Ids{"d2", "d1"}));
    EXPECT_EQ(ids("--since 2022-01-31 --sort date oil"), (Ids{"d5", "d4"}));
    EXPECT_EQ(ids("--source reuters oil"), (Ids{"d3", "d1"})) << "relevance: d3 says oil four times";
    EXPECT_EQ(ids("--source reuters --sort relevance oil"), (Ids{"d3", "d1"}));
    EXPECT_EQ(ids("--source 'bbc news' --source 'THE GUARDIAN' --sort date oil"), (Ids{"d5", "d4", "d2"}));
    EXPECT_EQ(ids("--source bbc-news --since 2022-01-01 oil"), (Ids{"d4"}));
    EXPECT_EQ(ids("--source bbc oil"), Ids{});
}

TEST_F(FilterCliTest, DateAndSourceInTheQueryLanguage) {
    EXPECT_EQ(ids("--sort date 'oil date:2021-12-01..2022-01-31'"), (Ids{"d4", "d3", "d2"}));
    EXPECT_EQ(ids("--sort date 'oil date:2021-12-20..'"), (Ids{"d5", "d4", "d3"}));
    EXPECT_EQ(ids("--sort date 'oil date:..20211201'"), (Ids{"d2", "d1"}));
    EXPECT_EQ(ids("'oil source:Reuters'"), (Ids{"d3", "d1"}));
    EXPECT_EQ(ids("--sort date 'oil source:\"BBC News\"'"), (Ids{"d4", "d2"}));
    EXPECT_EQ(ids("--sort date 'oil date:2021-12-01..2022-01-31 source:bbc-news'"), (Ids{"d4", "d2"}));
    EXPECT_EQ(ids("--sort date 'oil -source:reuters -source:bbc-news'"), (Ids{"d5", "d6"}));
    // Interactive/stdin mode reads the same language.
    auto r = run_command(query_cmd(db_, "--format trec --sort date"),
                         "q1\toil source:the-guardian\nq2\toil date:..2021-11-30\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines[0].rfind("q1 Q0 d5#0 1 ", 0), 0u) << lines[0];
    EXPECT_EQ(lines[1].rfind("q2 Q0 d1#0 1 ", 0), 0u) << lines[1];
}

TEST_F(FilterCliTest, JsonAndTextShowDateAndSource) {
    auto r = run_command(query_cmd(db_, "--format json --source bbc-news --sort date oil"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto hits = parse_jsonl(r.out);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].at("date"), "2022-01-31");
    EXPECT_EQ(hits[0].at("source"), "bbc news") << "as the corpus spells it";
    EXPECT_EQ(hits[1].at("date"), "2021-12-01T09:30:00");
    EXPECT_EQ(hits[1].at("source"), "BBC News");
    auto text = run_command(query_cmd(db_, "--source 'the guardian' oil"));
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("dated.jsonl:5 · 2022-02-01 · The Guardian\n"), std::string::npos) << text.out;
}

TEST_F(FilterCliTest, BadDatesAndSortsAreOneLineErrors) {
    auto expect_error = [&](const std::string& args, const std::string& message) {
        auto r = run_command(query_cmd(db_, args));
        EXPECT_EQ(r.exit_code, 2) << args;
        EXPECT_EQ(r.err, message) << args;
        EXPECT_EQ(r.out, "");
    };
    const std::string want = " (want YYYY-MM-DD or YYYYMMDD)";
    expect_error("--since 2021-12-32 oil",
                 "trawl-query: --since: bad date '2021-12-32'" + want + " (see trawl-query --help)\n");
    expect_error("--until 31/01/2022 oil",
                 "trawl-query: --until: bad date '31/01/2022'" + want + " (see trawl-query --help)\n");
    expect_error("--since 2022-02-01 --until 2022-01-31 oil",
                 "trawl-query: --since 2022-02-01 is after --until 2022-01-31 (see trawl-query --help)\n");
    expect_error("--sort newest oil",
                 "trawl-query: --sort must be relevance or date, not 'newest' (see trawl-query --help)\n");
    expect_error("--sort date --proximity 1 oil",
                 "trawl-query: --proximity re-ranks by relevance; it cannot be used with --sort date (see trawl-query "
                 "--help)\n");
    // What ranks by relevance is refused with a date order, not silently ignored.
    expect_error("--sort date --expand oil",
                 "trawl-query: --expand widens a query ranked by relevance; it cannot be used with --sort date (see "
                 "trawl-query --help)\n");
    expect_error("--sort date --article-weight 0 oil",
                 "trawl-query: --article-weight re-ranks by relevance; it cannot be used with --sort date (see "
                 "trawl-query --help)\n");
    expect_error("--source ' ' oil", "trawl-query: --source must name a source (see trawl-query --help)\n");
    // A date: range's error names its column and shows what a range looks like.
    const std::string range =
        "; want date:FROM..TO, each end a day as YYYY-MM-DD or YYYYMMDD, either one left out, e.g. "
        "date:1987-03-01..1987-03-31 or date:1987-03-01..\n";
    expect_error("'oil date:2021-12-32..'",
                 "trawl-query: query error at column 10: bad date '2021-12-32' in date:2021-12-32.. (2021-12 has no "
                 "day 32)" +
                     range);
    expect_error("'oil date:2021-12-01'", "trawl-query: query error at column 5: date: needs a range" + range);
    expect_error("'oil date:1..5'",
                 "trawl-query: query error at column 10: bad date '1' in date:1..5 (not a day)" + range);
    expect_error("'oil date:2020-13-01..2020-12-31'",
                 "trawl-query: query error at column 10: bad date '2020-13-01' in date:2020-13-01..2020-12-31 (there "
                 "is no month 13)" +
                     range);
}

// "-date:" leaves a range out as "NOT date:" does, each range when there
// are several; "+date:" is date:. (Xapian's parser read the sign as part of
// the range: "query error at column 1: Unknown range operation".)
TEST_F(FilterCliTest, SignedDateRanges) {
    ASSERT_EQ(built_.exit_code, 0) << built_.err;
    EXPECT_EQ(ids("--sort date 'oil -date:2021-12-01..2022-01-31'"), (Ids{"d5", "d1", "d6"})) << "undated kept";
    EXPECT_EQ(ids("--sort date 'oil NOT date:2021-12-01..2022-01-31'"), (Ids{"d5", "d1", "d6"}));
    EXPECT_EQ(ids("--sort date 'oil -date:2021-12-01..2021-12-31 -date:2022-01-01..'"), (Ids{"d1", "d6"}));
    EXPECT_EQ(ids("--sort date 'oil +date:2021-12-20..'"), (Ids{"d5", "d4", "d3"}));
    EXPECT_EQ(ids("--sort date 'oil -source:reuters -date:..2021-12-31'"), (Ids{"d5", "d4", "d6"}));
    auto r = run_command(query_cmd(db_, "'oil -date:2021-12-32..'"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind("trawl-query: query error at column 11: bad date '2021-12-32' in date:2021-12-32..", 0), 0u)
        << r.err;
}

// An empty --since or --until left the filter off, where --source '' is
// refused: each names what it wants.
TEST_F(FilterCliTest, EmptyFilterOptionsAreRefused) {
    for (const char* option : {"--since", "--until"}) {
        auto r = run_command(query_cmd(db_, std::string(option) + " '' oil"));
        EXPECT_EQ(r.exit_code, 2) << option;
        EXPECT_EQ(r.err, "trawl-query: " + std::string(option) +
                             " needs a DATE (YYYY-MM-DD or YYYYMMDD) (see trawl-query --help)\n");
        EXPECT_EQ(r.out, "");
    }
    auto r = run_command(query_cmd(db_, "--source '' oil"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: --source must name a source (see trawl-query --help)\n");
}

// Queries of nothing ("+", "()", "\"\""): an error at the column, not 0 hits.
TEST_F(FilterCliTest, QueriesOfNothingAreErrors) {
    const std::pair<const char*, const char*> cases[] = {
        {"'+'", "column 1: '+' needs a term right after it (no space), as in +opec or -iran"},
        {"'()'", "column 1: empty parentheses: put a term between them"},
        {"'\"\"'", "column 1: empty phrase: put words between the double quotes"},
        {"'oil \"\"'", "column 5: empty phrase: put words between the double quotes"},
    };
    for (const auto& [query, message] : cases) {
        auto r = run_command(query_cmd(db_, query));
        EXPECT_EQ(r.exit_code, 2) << query;
        EXPECT_EQ(r.err, "trawl-query: query error at " + std::string(message) + "\n") << query;
        EXPECT_EQ(r.out, "") << query;
    }
    EXPECT_EQ(ids("'oil - storm'"), ids("'oil storm'")) << "a dash between words is still ignored";
}

// Queries without a word ("", " ", "?", "!!") or of -words only ("-oil"):
// Xapian parsed them to nothing (or to the -words' stems, which a v5 index
// does not post) and trawl-query printed "0 passages in 0 articles", exit 1,
// as if the words were not in the index. Now an error at the column, exit 2; in a
// batch, naming FILE:LINE, and the batch goes on.
TEST_F(FilterCliTest, QueriesWithoutAWordAreErrors) {
    ASSERT_EQ(built_.exit_code, 0) << built_.err;
    const std::pair<const char*, const char*> cases[] = {
        {"''", "column 1: empty query: give a word to search for"},
        {"'  '", "column 1: empty query: give a word to search for"},
        {"'?'", "column 1: nothing to search for in '?': no word, only punctuation or symbols"},
        {"' !!'", "column 2: nothing to search for in '!!': no word, only punctuation or symbols"},
        {"'...'", "column 1: nothing to search for in '...': no word, only punctuation or symbols"},
        {"'-'", "column 1: '-' needs a term right after it (no space), as in +opec or -iran"},
        {"-- '-oil -gas'",
         "column 1: nothing to search for: -words only leave passages out; add a word to find, as in opec -iran"},
    };
    for (const auto& [query, message] : cases) {
        auto r = run_command(query_cmd(db_, query));
        EXPECT_EQ(r.exit_code, 2) << query;
        EXPECT_EQ(r.err, "trawl-query: query error at " + std::string(message) + "\n") << query;
        EXPECT_EQ(r.out, "") << query;
    }
    // In a batch: FILE:LINE, and the queries after still run.
    trawl::test::TempDir tmp;
    const auto file = (tmp / "topics.tsv").string();
    // The column is the line's, past "qid<TAB>" (it was the query's: a
    // red-team review); a bare query's line is its query.
    std::ofstream(file) << "q1\t\nq2\t?\nq3\toil\nq\u00e94\topec AND\nopec OR\n";
    const auto r = run_command(query_cmd(db_, "--format json -n 1 --queries " + shell_quote(file)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-query: " + file + ":1: query error at column 4: empty query: give a word to search for\n" +
                         "trawl-query: " + file +
                         ":2: query error at column 4: nothing to search for in '?': no word, only punctuation or "
                         "symbols\n" +
                         "trawl-query: " + file + ":4: query error at column 10: AND needs a term on its right\n" +
                         "trawl-query: " + file + ":5: query error at column 6: OR needs a term on its right\n");
    const auto summaries = trawl::test::parse_summaries(r.out);
    ASSERT_EQ(summaries.size(), 1u) << r.out;
    EXPECT_EQ(summaries[0].at("query_id"), "q3");
    EXPECT_EQ(parse_jsonl(r.out).size(), 1u) << r.out;
}

// A query of stop words only is searched as the phrase it spells (the index
// holds no stop word); when no passage holds the phrase it printed "0
// passages" alone, as if the words were missing from the index. A note on
// stderr says why now; the results and exit status are unchanged.
TEST_F(FilterCliTest, StopWordsOnlyMatchingNothingSaySoOnStderr) {
    ASSERT_EQ(built_.exit_code, 0) << built_.err;
    auto r = run_command(query_cmd(db_, "'of the'"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.out.starts_with("0 passages in 0 articles")) << r.out;
    EXPECT_EQ(r.err,
              "trawl-query: note: 'of the' is stop words only, which are searched as the phrase they spell; no "
              "passage holds it\n");
    r = run_command(query_cmd(db_, "'in the'"));  // d4: "in the North Sea"
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(ids("'in the'"), (Ids{"d4"}));
}

// title: searches the headline of every passage, a phrase too: the index
// keeps title positions in the lead passage only, and the phrase found that
// one alone ("title:\"lower mark\" AND bundesbank" found nothing).
TEST(Cli, TitlePhraseFindsEveryPassageOfItsArticle) {
    trawl::test::TempDir tmp;
    const auto corpus = (tmp / "rate.jsonl").string();
    std::string text;
    for (int i = 0; i < 7; ++i)
        text += i == 3 ? "Traders said the Bundesbank kept its rates today. "
                       : "Dealers in Frankfurt watched the currency markets closely. ";
    std::ofstream(corpus) << nlohmann::json{{"_id", "r1"}, {"title", "Lower mark rate"}, {"text", text}}.dump() << "\n"
                          << nlohmann::json{{"_id", "r2"}, {"title", "Mark rates"}, {"text", "Lower mark rate."}}.dump()
                          << "\n";
    for (const char* layout : {"", "--positions all", "--shards 2"}) {
        const auto db = (tmp / ("rate" + std::to_string(std::string(layout).size()) + ".idx")).string();
        auto built = run_command(index_cmd(db, std::string(layout) + " --passage-words 8 --overlap 0 " + corpus));
        ASSERT_EQ(built.exit_code, 0) << built.err;
        auto passages = [&](const std::string& query) {
            auto r = run_command(query_cmd(db, "--format json -n 100 " + shell_quote(query)));
            EXPECT_LT(r.exit_code, 2) << r.err;
            std::set<std::string> ids;
            for (const auto& h : parse_jsonl(r.out)) ids.insert(h.at("passage_id").get<std::string>());
            return ids;
        };
        const std::set<std::string> all{"r1#0", "r1#1", "r1#2", "r1#3", "r1#4", "r1#5", "r1#6"};
        EXPECT_EQ(passages("title:lower AND title:mark AND title:rate"), all) << layout;
        EXPECT_EQ(passages("title:\"lower mark rate\""), all) << layout;
        EXPECT_EQ(passages("title:\"lower mark\" AND bundesbank"), std::set<std::string>{"r1#3"}) << layout;
        EXPECT_EQ(passages("\"lower mark rate\""), (std::set<std::string>{"r1#0", "r2#0"})) << layout;
    }
}

TEST(Cli, CsvCorpusFindsAWordOnlyInAQuotedMultiLineField) {
    trawl::test::TempDir tmp;
    const std::string csv = TRAWL_FIXTURES_DIR "/corpus/news.csv";
    auto db = (tmp / "csv.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(csv)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 5 articles"), std::string::npos) << r.out;  // n4: its title alone
    EXPECT_NE(r.out.find("skipped 2 records (1 missing text, 1 truncated record)"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("trawl-index: " + csv +
                         ":13: skipped: truncated record (unterminated quote from line 13 to the end "
                         "of the file: 1 lines not read)\n"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(csv + ":7: warning: unparsable date (id n3: 03/01/2022)"), std::string::npos) << r.err;
    // "zeppelin" is on the second line of a quoted field.
    auto q = run_command(query_cmd(db, "--format json zeppelin"));
    ASSERT_EQ(q.exit_code, 0) << q.err;
    auto hits = parse_jsonl(q.out);
    ASSERT_EQ(hits.size(), 1u) << q.out;
    EXPECT_EQ(hits[0].at("article_id"), "n6");
    EXPECT_EQ(hits[0].at("title"), "Airship returns");
    EXPECT_EQ(hits[0].at("date"), "2022-02-01T08:30:00");
    EXPECT_EQ(hits[0].at("source"), "culture");
    EXPECT_EQ(hits[0].at("location"), csv + ":10");
    // The row without an id is found under file + row.
    auto q2 = run_command(query_cmd(db, "--format json minister"));
    auto hits2 = parse_jsonl(q2.out);
    ASSERT_EQ(hits2.size(), 1u) << q2.out;
    EXPECT_EQ(hits2[0].at("article_id"), "news:2");
}

TEST(Cli, CsvHeaderWithoutTextIsOneErrorAndNoIndex) {
    trawl::test::TempDir tmp;
    const std::string csv = (tmp / "bad.csv").string();
    std::ofstream(csv) << "id,title\n1,Only a title\n";
    auto db = (tmp / "bad.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(csv)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "trawl-index: " + csv +
                         ":1: no text column in the header (columns: id, title); name it with --text-field\n");
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(fs::exists(db)) << "no index is created for input that cannot be read";
}

TEST(Cli, MixedDirectoryIndexesEveryFormatInOneRun) {
    trawl::test::TempDir tmp;
    const fs::path fx = TRAWL_FIXTURES_DIR "/corpus";
    const fs::path dir = tmp / "mixed";
    for (const auto& [from, to] :
         std::vector<std::pair<std::string, std::string>>{{"text/business/001.txt", "business/001.txt"},
                                                          {"articles.jsonl", "feeds/articles.jsonl"},
                                                          {"news.csv", "feeds/news.csv"},
                                                          {"reuters.sgm", "wire/reuters.sgm"},
                                                          {"html/story.html", "web/story.html"}}) {
        fs::create_directories((dir / to).parent_path());
        fs::copy_file(fx / from, dir / to);
    }
    auto db = (tmp / "mixed.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(dir.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 1 text, 5 jsonl, 5 csv, 4 sgml, 1 html: a title-only record of each of jsonl, csv and sgml among them.
    EXPECT_NE(r.out.find("indexed 16 articles"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("skipped 9 records"), std::string::npos) << r.out;
    std::map<std::string, std::string> source_of;
    for (const char* q : {"gantry", "zeppelin", "cocoa", "quarterly", "bonjour"}) {
        auto hits = parse_jsonl(run_command(query_cmd(db, std::string("--format json -n 1 ") + q)).out);
        ASSERT_EQ(hits.size(), 1u) << q;
        const auto& source = hits[0].at("source");  // null when the article names none
        source_of[hits[0].at("article_id").get<std::string>()] =
            source.is_null() ? "(null)" : source.get<std::string>();
    }
    EXPECT_EQ(source_of, (std::map<std::string, std::string>{{"web/story", "Example News"},
                                                             {"n6", "culture"},
                                                             {"1", "reuters"},
                                                             {"business/001", "business"},
                                                             {"doc-8", "(null)"}}));
}

TEST(Cli, HelpAndVersion) {
    for (const char* bin : {TRAWL_INDEX_BIN, TRAWL_QUERY_BIN}) {
        auto h = run_command(std::string(bin) + " --help");
        EXPECT_EQ(h.exit_code, 0);
        EXPECT_NE(h.out.find("Usage:"), std::string::npos);
        EXPECT_NE(h.out.find("--db"), std::string::npos);
        auto v = run_command(std::string(bin) + " --version");
        EXPECT_EQ(v.exit_code, 0);
        EXPECT_NE(v.out.find(TRAWL_VERSION), std::string::npos);
        auto bad = run_command(std::string(bin) + " --no-such-option");
        EXPECT_EQ(bad.exit_code, 2);
        EXPECT_NE(bad.err.find("no-such-option"), std::string::npos);
    }
}

// Issue #12: --help showed defaults as Boost prints a double ("--b arg
// (=0.59999999999999998)"). Every binary and bench command shows them as a
// person writes them.
TEST(Cli, HelpShowsDefaultsAsWritten) {
    std::vector<std::string> helps = {std::string(TRAWL_INDEX_BIN) + " --help",
                                      std::string(TRAWL_QUERY_BIN) + " --help",
                                      std::string(TRAWL_BENCH_BIN) + " --help"};
    for (const char* cmd : {"eval", "index", "query", "compare", "scale", "spelling"})
        helps.push_back(std::string(TRAWL_BENCH_BIN) + " " + cmd + " --help");
    const std::regex long_fraction(R"([0-9]\.[0-9]{5,})");
    for (const auto& cmd : helps) {
        auto r = run_command(cmd);
        EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
        EXPECT_NE(r.out.find("Usage:"), std::string::npos) << cmd;
        std::smatch m;
        EXPECT_FALSE(std::regex_search(r.out, m, long_fraction)) << cmd << " shows " << m.str();
    }
    const auto query_help = run_command(std::string(TRAWL_QUERY_BIN) + " --help").out;
    EXPECT_NE(query_help.find("--b X (=0.6)"), std::string::npos) << query_help;
    EXPECT_NE(query_help.find("--k1 X (=2)"), std::string::npos) << query_help;
    const auto eval_help = run_command(std::string(TRAWL_BENCH_BIN) + " eval --help").out;
    EXPECT_NE(eval_help.find("(=0.6)"), std::string::npos) << eval_help;
}

TEST(Cli, SeedArticleTitlePhraseFindsItsFirstPassage) {
    const fs::path seed = fs::path(TRAWL_SHARED_DATA_DIR) / "seed-article" / "article.txt";
    if (!fs::exists(seed)) GTEST_SKIP() << "shared data not found: " << seed << " (skipping seed-article test)";
    trawl::test::TempDir tmp;
    auto db = (tmp / "seed.idx").string();
    auto r = run_command(index_cmd(db, shell_quote(seed.string()) + " " + shell_quote(kFixtures + "/news")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto q = run_command(query_cmd(
        db, "--format json -n 3 " + shell_quote("\"Putin throws down gauntlet to Biden as war fears boil over\"")));
    ASSERT_EQ(q.exit_code, 0) << q.err;
    auto hits = parse_jsonl(q.out);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].at("passage_id"), "article#0");
    EXPECT_EQ(hits[0].at("title").get<std::string>().rfind("Putin throws down gauntlet to Biden", 0), 0u);
}

}  // namespace

// Pages and an XML document that declare ISO-8859-2, windows-1251, KOI8-R and
// Shift_JIS (tests/fixtures/corpus/charsets) are indexed as their words:
// each word finds its article and comes back highlighted as written.
TEST(Cli, DeclaredCharsetsAreIndexedAsTheirWords) {
    trawl::test::TempDir tmp;
    const auto db = (tmp / "idx").string();
    auto r = run_command(index_cmd(db, "-q " + shell_quote(TRAWL_FIXTURES_DIR "/corpus/charsets")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const std::vector<std::pair<std::string, std::string>> words = {
        {"łodzi", "latin2"},        {"Kraków", "latin2"}, {"Москва", "cp1251"}, {"синоптики", "cp1251"},
        {"Новосибирске", "koi8-1"}, {"Сибири", "koi8-1"}, {"path", "shift_jis"}};
    for (const auto& [word, article] : words) {
        auto q = run_command(query_cmd(db, "--format json -n 5 " + shell_quote(word)));
        ASSERT_EQ(q.exit_code, 0) << word << "\n" << q.out << q.err;
        const auto hits = parse_jsonl(q.out);
        ASSERT_EQ(hits.size(), 1u) << word << "\n" << q.out;
        EXPECT_EQ(hits[0].at("article_id"), article) << word;
    }
    // The Japanese text is there as written (Xapian 1.4 cuts no CJK words).
    auto q = run_command(query_cmd(db, "--format json -n 5 path"));
    EXPECT_NE(q.out.find("今日は晴れです"), std::string::npos) << q.out;
}
