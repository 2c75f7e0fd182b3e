#include "query/printer.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "corpus/base/error.hpp"
#include "query/summary_text.hpp"

namespace trawl::query {
namespace {

Hit cocoa_hit() {
    Hit h;
    h.rank = 1;
    h.score = 12.3456;
    h.article_id = "1";
    h.ordinal = 0;
    h.passage_id = "1#0";
    h.title = "BAHIA COCOA REVIEW";
    h.location = "reut2-000.sgm:5";
    h.date = "1987-02-26";
    h.source = "reuters";
    h.begin = 0;
    h.end = 52;
    h.text = "Showers continued throughout the week in the Bahia cocoa zone.";
    h.snippet.text = "…the Bahia cocoa zone.";
    const auto e = static_cast<std::uint32_t>(std::string("…").size());
    h.snippet.highlights = {{e + 4, e + 9}, {e + 10, e + 15}};
    return h;
}

Hit sugar_hit() {
    Hit h;
    h.rank = 2;
    h.score = 7.5;
    h.article_id = "reut2-001.sgm/42";
    h.ordinal = 3;
    h.passage_id = "reut2-001.sgm/42#3";
    h.title = "";
    h.location = "reut2-001.sgm:900";
    h.text = "Sugar output fell.";
    h.snippet.text = "Sugar output fell.";
    h.snippet.highlights = {{0, 5}};
    h.collapsed = 2;
    return h;
}

ResultSet results() {
    ResultSet r;
    r.query_id = "7";
    r.query = "bahia cocoa";
    r.estimated_matches = 2;
    r.summary.passages = Count::of(4);
    r.summary.articles = Count::of(2);
    r.summary.ms = 1.25;
    r.hits = {cocoa_hit(), sugar_hit()};
    return r;
}

std::string print(OutputFormat f, const ResultSet& r, PrinterOptions opts = {}) {
    std::ostringstream out;
    make_printer(f, out, std::move(opts))->print(r);
    return out.str();
}

TEST(Printer, ParseOutputFormat) {
    EXPECT_EQ(parse_output_format("text"), OutputFormat::Text);
    EXPECT_EQ(parse_output_format("json"), OutputFormat::Json);
    EXPECT_EQ(parse_output_format("jsonl"), OutputFormat::Json);
    EXPECT_EQ(parse_output_format("trec"), OutputFormat::Trec);
    EXPECT_THROW(parse_output_format("xml"), UsageError);
    EXPECT_THROW(parse_output_format("TEXT"), UsageError);
}

TEST(Printer, EmptyResultSetPrintsItsCountsOnly) {
    ResultSet empty;
    empty.query_id = "1";
    empty.query = "nothing";
    EXPECT_EQ(print(OutputFormat::Trec, empty), "");
    EXPECT_EQ(print(OutputFormat::Text, empty), "0 passages in 0 articles (0.0 ms)\n");
    const auto json = nlohmann::json::parse(print(OutputFormat::Json, empty));
    EXPECT_EQ(json["summary"]["passages"]["count"], 0);
    EXPECT_EQ(json["summary"]["query"], "nothing");
}

TEST(TextPrinter, CountLineSaysExactOrAboutWithBounds) {
    Summary s;
    s.passages = Count::of(1);
    s.articles = Count::of(1);
    s.ms = 0.04;
    EXPECT_EQ(count_line(s), "1 passage in 1 article (0.0 ms)");
    s.passages = {61000, 50000, 61234};
    s.articles = {20400, 19000, 61234};
    s.ms = 9.84;
    EXPECT_EQ(count_line(s),
              "about 61000 passages in about 20400 articles (9.8 ms; passages 50000–61234, articles 19000–61234)");
    s.passages = Count::of(300);
    EXPECT_EQ(count_line(s), "300 passages in about 20400 articles (9.8 ms; articles 19000–61234)");
}

TEST(TextPrinter, BarChartScalesToTheLargestCountInEighths) {
    const Histogram h = {{"1987-02", 1}, {"1987-03", 16}, {"1987-04", 0}, {"1987-05", 8}};
    EXPECT_EQ(bar_chart(h, 2),
              "  1987-02   1  ▏\n"
              "  1987-03  16  ██\n"
              "  1987-04   0  \n"
              "  1987-05   8  █\n");
}

TEST(TextPrinter, SuggestionTimelineSourcesAndExplanation) {
    ResultSet r = results();
    r.hits.resize(1);
    r.summary.suggestion = "bahia cocoa";
    r.summary.timeline_asked = true;
    r.summary.timeline = {{"1987", 2}};
    r.summary.sources_asked = true;
    r.summary.sources = {{"reuters", "Reuters", 2}};
    r.hits[0].explained = true;
    r.hits[0].explanation = {{"bahia", 5.0}, {"cocoa", 7.3456}};
    EXPECT_EQ(print(OutputFormat::Text, r),
              "4 passages in 2 articles (1.2 ms)\n"
              "did you mean: bahia cocoa\n"
              "\n"
              " 1. 12.346  BAHIA COCOA REVIEW  [1#0]\n"
              "    reut2-000.sgm:5 · 1987-02-26 · reuters\n"
              "    …the Bahia cocoa zone.\n"
              "    score 12.346 = bahia 5.000 + cocoa 7.346\n"
              "\n"
              "matching articles per year:\n"
              "  1987  2  ████████████████████████████████████████\n"
              "\n"
              "matching articles per source:\n"
              "  Reuters  2  ████████████████████████████████████████\n");
    const auto lines = print(OutputFormat::Json, r);
    const auto summary = nlohmann::json::parse(lines.substr(0, lines.find('\n')))["summary"];
    EXPECT_EQ(summary["did_you_mean"], "bahia cocoa");
    EXPECT_EQ(summary["timeline"], nlohmann::json::parse(R"([["1987", 2]])"));
    EXPECT_EQ(summary["sources"], nlohmann::json::parse(R"([{"key": "reuters", "name": "Reuters", "articles": 2}])"));
    const auto hit = nlohmann::json::parse(lines.substr(lines.find('\n') + 1));
    EXPECT_EQ(hit["explain"]["terms"][1]["term"], "cocoa");
    EXPECT_NEAR(hit["explain"]["proximity"].get<double>(), 0.0, 1e-9);
}

TEST(TextPrinter, PlainLayout) {
    EXPECT_EQ(print(OutputFormat::Text, results()),
              "4 passages in 2 articles (1.2 ms)\n"
              "\n"
              " 1. 12.346  BAHIA COCOA REVIEW  [1#0]\n"
              "    reut2-000.sgm:5 · 1987-02-26 · reuters\n"
              "    …the Bahia cocoa zone.\n"
              "\n"
              " 2. 7.500  [reut2-001.sgm/42#3]  (+2 more passages)\n"
              "    reut2-001.sgm:900\n"
              "    Sugar output fell.\n");
}

TEST(TextPrinter, ColorHighlightsAndBoldTitle) {
    EXPECT_EQ(print(OutputFormat::Text, results(), {.color = true}),
              "4 passages in 2 articles (1.2 ms)\n"
              "\n"
              " 1. 12.346  \x1b[1mBAHIA COCOA REVIEW\x1b[0m  [1#0]\n"
              "    reut2-000.sgm:5 · 1987-02-26 · reuters\n"
              "    …the \x1b[1;31mBahia\x1b[0m \x1b[1;31mcocoa\x1b[0m zone.\n"
              "\n"
              " 2. 7.500  [reut2-001.sgm/42#3]  (+2 more passages)\n"
              "    reut2-001.sgm:900\n"
              "    \x1b[1;31mSugar\x1b[0m output fell.\n");
}

TEST(TextPrinter, NoEscapesWithoutColorEvenFromData) {
    ResultSet r = results();
    r.hits.resize(1);
    r.hits[0].title = "EVIL\x1b[2J TITLE\n";
    r.hits[0].snippet.text =
        "a\tb\x1b"
        "c";
    r.hits[0].snippet.highlights = {};
    const std::string out = print(OutputFormat::Text, r);
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    EXPECT_EQ(out,
              "4 passages in 2 articles (1.2 ms)\n"
              "\n"
              " 1. 12.346  EVIL [2J TITLE   [1#0]\n"
              "    reut2-000.sgm:5 · 1987-02-26 · reuters\n"
              "    a b c\n");
}

TEST(TextPrinter, SinglePassageCollapsedAndMissingParts) {
    ResultSet r;
    Hit h;
    h.rank = 10;
    h.score = 0.5;
    h.passage_id = "a#1";
    h.collapsed = 1;
    r.hits = {h};
    EXPECT_EQ(print(OutputFormat::Text, r),
              "0 passages in 0 articles (0.0 ms)\n\n10. 0.500  [a#1]  (+1 more passage)\n");
}

TEST(TextPrinter, BlankLineBetweenResultSets) {
    std::ostringstream out;
    auto p = make_printer(OutputFormat::Text, out, {});
    ResultSet one;
    Hit h;
    h.rank = 1;
    h.score = 1;
    h.passage_id = "x#0";
    one.hits = {h};
    p->print(one);
    p->print(ResultSet{});
    p->print(one);
    const std::string counts = "0 passages in 0 articles (0.0 ms)\n";
    EXPECT_EQ(out.str(), counts + "\n 1. 1.000  [x#0]\n\n" + counts + "\n" + counts + "\n 1. 1.000  [x#0]\n");
}

TEST(JsonPrinter, ASummaryLineThenOneObjectPerHitPerLine) {
    const std::string out = print(OutputFormat::Json, results());
    std::istringstream in(out);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);

    EXPECT_EQ(lines[0], nlohmann::json::parse(R"({"summary": {"query_id": "7", "query": "bahia cocoa",
        "passages": {"count": 4, "exact": true, "min": 4, "max": 4},
        "articles": {"count": 2, "exact": true, "min": 2, "max": 2}, "ms": 1.25}})"));
    const auto& a = lines[1];
    EXPECT_EQ(a["query_id"], "7");
    EXPECT_EQ(a["query"], "bahia cocoa");
    EXPECT_EQ(a["rank"], 1);
    EXPECT_DOUBLE_EQ(a["score"].get<double>(), 12.3456);
    EXPECT_EQ(a["passage_id"], "1#0");
    EXPECT_EQ(a["article_id"], "1");
    EXPECT_EQ(a["ordinal"], 0);
    EXPECT_EQ(a["title"], "BAHIA COCOA REVIEW");
    EXPECT_EQ(a["location"], "reut2-000.sgm:5");
    EXPECT_EQ(a["date"], "1987-02-26");
    EXPECT_EQ(a["source"], "reuters");
    EXPECT_EQ(a["begin"], 0);
    EXPECT_EQ(a["end"], 52);
    EXPECT_EQ(a["collapsed"], 0);
    EXPECT_EQ(a["snippet"], "…the Bahia cocoa zone.");
    EXPECT_EQ(a["highlights"], nlohmann::json::parse("[[7,12],[13,18]]"));
    EXPECT_EQ(a["text"], "Showers continued throughout the week in the Bahia cocoa zone.");
    EXPECT_EQ(a.size(), 17u);

    const auto& b = lines[2];
    EXPECT_EQ(b["rank"], 2);
    EXPECT_EQ(b["passage_id"], "reut2-001.sgm/42#3");
    EXPECT_EQ(b["ordinal"], 3);
    EXPECT_EQ(b["title"], "");
    EXPECT_EQ(b["collapsed"], 2);
    EXPECT_EQ(b["highlights"], nlohmann::json::parse("[[0,5]]"));
}

TEST(JsonPrinter, ColorNeverAppliesAndNewlinesAreEscaped) {
    ResultSet r = results();
    r.hits[0].text = "line one\nline two";
    const std::string out = print(OutputFormat::Json, r, {.color = true});
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    std::istringstream in(out);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));  // the summary
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_EQ(nlohmann::json::parse(line)["text"], "line one\nline two");
}

TEST(JsonPrinter, InvalidUtf8IsReplacedNotFatal) {
    ResultSet r = results();
    r.hits.resize(1);
    r.hits[0].title = "bad \xff byte";
    r.hits[0].text = "caf\xc3";
    const std::string out = print(OutputFormat::Json, r);
    const auto first_hit = out.substr(out.find('\n') + 1);  // after the summary
    const auto j = nlohmann::json::parse(first_hit.substr(0, first_hit.find('\n')));
    EXPECT_EQ(j["title"], "bad \xEF\xBF\xBD byte");
    EXPECT_EQ(j["text"], "caf\xEF\xBF\xBD");
    EXPECT_EQ(j["snippet"], "…the Bahia cocoa zone.");  // valid UTF-8 is written as is
    EXPECT_NE(out.find("…the Bahia"), std::string::npos);
}

TEST(JsonPrinter, AnIdThatIsNotUtf8IsAlsoGivenExactlyEscaped) {
    ResultSet r = results();
    r.hits[0].article_id = "caf\xE9 100%";
    r.hits[0].passage_id = "caf\xE9 100%#0";
    std::istringstream in(print(OutputFormat::Json, r));
    std::string line;
    ASSERT_TRUE(std::getline(in, line));  // the summary
    ASSERT_TRUE(std::getline(in, line));
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["article_id"], "caf\xEF\xBF\xBD 100%");
    EXPECT_EQ(j["article_id_escaped"], "caf%E9%20100%25");
    EXPECT_EQ(j["passage_id_escaped"], "caf%E9%20100%25#0");
    ASSERT_TRUE(std::getline(in, line));
    j = nlohmann::json::parse(line);  // a valid id has no escaped fields
    EXPECT_EQ(j["article_id"], "reut2-001.sgm/42");
    EXPECT_FALSE(j.contains("article_id_escaped"));
    EXPECT_FALSE(j.contains("passage_id_escaped"));
}

TEST(TrecPrinter, PassageIds) {
    EXPECT_EQ(print(OutputFormat::Trec, results()),
              "7 Q0 1#0 1 12.345600 trawl\n"
              "7 Q0 reut2-001.sgm/42#3 2 7.500000 trawl\n");
}

TEST(TrecPrinter, ByArticleAndRunTag) {
    EXPECT_EQ(print(OutputFormat::Trec, results(), {.by_article = true, .run_tag = "bm25"}),
              "7 Q0 1 1 12.345600 bm25\n"
              "7 Q0 reut2-001.sgm/42 2 7.500000 bm25\n");
}

TEST(TrecPrinter, WhitespaceInIdsCannotBreakColumns) {
    ResultSet r = results();
    r.query_id = "q 1";
    r.hits.resize(1);
    r.hits[0].passage_id = "my file.txt#0";
    EXPECT_EQ(print(OutputFormat::Trec, r, {.color = true, .run_tag = "my run"}),
              "q%201 Q0 my%20file.txt#0 1 12.345600 my%20run\n");
}

TEST(TrecPrinter, IdsArePercentEncodedReversibly) {
    ResultSet r = results();
    r.query_id = "";
    r.hits.resize(3);
    r.hits[0].passage_id = "a b#0";
    r.hits[1].passage_id = "a_b#0";
    r.hits[2].passage_id =
        "50%\t\x01"
        "caf\xE9 \xC3\xA9t\xC3\xA9#1";  // valid UTF-8 (été) is kept
    EXPECT_EQ(print(OutputFormat::Trec, r),
              "_ Q0 a%20b#0 1 12.345600 trawl\n"
              "_ Q0 a_b#0 2 7.500000 trawl\n"
              "_ Q0 50%25%09%01caf%E9%20\xC3\xA9t\xC3\xA9#1 0 0.000000 trawl\n");
}

}  // namespace
}  // namespace trawl::query
