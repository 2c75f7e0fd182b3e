// HTML reader: headline and text selection, page furniture dropped, entities,
// meta date and site name.
#include <gtest/gtest.h>

#include "corpus/read/article_reader.hpp"
#include "tests/corpus/read_corpus.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl::corpus;
using trawl::test::CorpusRun;
using trawl::test::read_all;
using trawl::test::TempDir;
using trawl::test::write_file;

namespace {

const std::string kHtml = std::string(TRAWL_FIXTURES_DIR) + "/corpus/html";

const std::string kStoryBody =
    "By Ann Lee \xE2\x80\x94 31 Dec\n\n"
    "A crane at the container harbour fell during the storm, port officials said on Monday.\n\n"
    "Nobody was hurt.\n\n"
    "Repairs will take \xE2\x80\x9Cweeks\xE2\x80\x9D, \xC2\xA9 caf\xC3\xA9 &bogus; &#xZZ; owners said.\n\n"
    "The crane on Tuesday.\n\n"
    "First point\n\n"
    "Second point";

void check_story(const Article& a) {
    EXPECT_EQ(a.title, "Harbour crane & gantry collapse in storm");
    EXPECT_EQ(a.body, kStoryBody);
    EXPECT_EQ(a.date, "2022-01-03T09:15:00");  // the meta tag, in UTC, beats <time>
    EXPECT_EQ(a.source, "Example News");
    EXPECT_EQ(a.body.find("secret"), std::string::npos) << a.body;
}

}  // namespace

TEST(HtmlReader, ArticleTextWithoutScriptsNavigationOrAsides) {
    const CorpusRun run = read_all({kHtml + "/story.html"});
    ASSERT_EQ(run.ids(), std::vector<std::string>{"story"});
    check_story(run.articles[0]);
    EXPECT_EQ(run.articles[0].location, kHtml + "/story.html");
    EXPECT_EQ(run.skipped + run.warnings, 0u);
}

TEST(HtmlReader, MainWhenNoArticleAndTitleWithoutSiteSuffix) {
    const CorpusRun run = read_all({kHtml + "/main-only.htm"});
    ASSERT_EQ(run.articles.size(), 1u);
    const Article& a = run.articles[0];
    EXPECT_EQ(a.id, "main-only");
    EXPECT_EQ(a.title, "Council approves budget");
    EXPECT_EQ(a.body,
              "The council approved the budget by nine votes to four.\n\n"
              "Spending on roads rises by 3%.\n\nTime: evening");
    EXPECT_EQ(a.date, "2022-01-03T18:00:00");  // from <time datetime>
    EXPECT_EQ(a.source, "");
}

TEST(HtmlReader, BodyWhenNoArticleOrMainTablesAndUnparsableDate) {
    const CorpusRun run = read_all({kHtml + "/body-only.html"});
    ASSERT_EQ(run.articles.size(), 1u);
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "Storm warning for the coast - Weather");  // only the last suffix goes
    EXPECT_EQ(a.body,
              "Fishermen were told to stay in port.\n\nWind 90 km/h\n\nWaves 6 m\n\nUnclosed paragraph at the end");
    EXPECT_EQ(a.date, "");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(run.diags[0].reason, "unparsable date");
    EXPECT_EQ(run.diags[0].detail, "last Tuesday");
    EXPECT_EQ(run.diags[0].line, 3u);  // the <meta> tag's
}

// A page with a title and no text is read (and indexed title-only); one with
// neither is skipped.
TEST(HtmlReader, PageWithOnlyATitleIsReadAndOneWithNeitherIsSkipped) {
    const CorpusRun run = read_all({kHtml + "/scripts-only.html"});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].title, "Only a title");
    EXPECT_EQ(run.articles[0].body, "");
    EXPECT_TRUE(run.diags.empty());
    TempDir dir;
    write_file(dir / "nothing.html", "<html><head><script>x()</script></head><body><nav>menu</nav></body></html>");
    const CorpusRun none = read_all({(dir / "nothing.html").string()});
    EXPECT_TRUE(none.articles.empty());
    EXPECT_EQ(none.skips(), std::vector<std::string>{"0: empty text"});
    EXPECT_EQ(none.diags[0].detail, "");
}

TEST(HtmlReader, SiteSuffixKeptWhenItIsPartOfTheHeadline) {
    TempDir dir;
    write_file(dir / "a.html", "<title>Biden - Putin</title><p>x</p>");
    write_file(dir / "b.html",
               "<title>Markets rally as inflation cools in the euro area | Reuters</title>"
               "<meta property=\"og:site_name\" content=\"Reuters\"><p>x</p>");
    write_file(dir / "c.html", "<title>Rates rise - a long explanation of why the bank moved today</title><p>x</p>");
    const CorpusRun run = read_all({dir.str()});
    ASSERT_EQ(run.articles.size(), 3u);
    EXPECT_EQ(run.articles[0].title, "Biden - Putin");
    EXPECT_EQ(run.articles[1].title, "Markets rally as inflation cools in the euro area");
    EXPECT_EQ(run.articles[2].title, "Rates rise - a long explanation of why the bank moved today");
}

TEST(HtmlReader, CompressedAndInAFolderGivesTheFolderAsSource) {
    TempDir dir;
    write_file(dir / "world/s.html.zst", trawl::test::zstd_compress(trawl::test::read_file(kHtml + "/story.html")));
    write_file(dir / "world/m.htm.gz", trawl::test::gzip_compress(trawl::test::read_file(kHtml + "/main-only.htm")));
    const CorpusRun run = read_all({dir.str()});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"world/m", "world/s"}));
    EXPECT_EQ(run.articles[0].source, "world");  // no og:site_name
    check_story(run.articles[1]);                // og:site_name wins over the folder
}

// An article's own <header> holds its headline (the common layout of news
// sites); a <header> is page furniture otherwise, its text not the article's.
// The headline was taken from <title> ("Doc - Site" -> "Doc").
TEST(HtmlReader, TheHeadlineInAnArticlesOwnHeaderIsTheTitle) {
    TempDir dir;
    write_file(dir / "a.html",
               "<html><head><title>Doc - Site</title></head><body><header><h1>Site name</h1></header>"
               "<article><header><h1>Real headline</h1><p>By a reporter</p></header><p>The story.</p></article>"
               "</body></html>");
    write_file(dir / "b.html",
               "<html><head><title>Page title - Site</title></head><body><header><h1>Site name</h1></header>"
               "<p>Text of the page.</p></body></html>");
    const CorpusRun run = read_all({dir.str()});
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[0].title, "Real headline");
    EXPECT_EQ(run.articles[0].body, "The story.");
    // No <article> or <main>: the page's <header> is furniture, its <h1> the site's name.
    EXPECT_EQ(run.articles[1].title, "Page title");
    EXPECT_EQ(run.articles[1].body, "Text of the page.");
}

TEST(HtmlReader, TolerantOfBrokenMarkup) {
    TempDir dir;
    write_file(dir / "x.html",
               "<html><body><p class=\"a>b\" data-x='1'>Quoted &gt; in attribute.<p>Stray < sign and a <b>bold "
               "<i>unclosed</b> tag.<div><!-- never closed comment");
    const CorpusRun run = read_all({(dir / "x.html").string()});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body, "Quoted > in attribute.\n\nStray < sign and a bold unclosed tag.");
}
