// The WikiExtractor reader: <doc id=".." url=".." title=".."> records.
#include <filesystem>

#include <gtest/gtest.h>

#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "tests/corpus/read_corpus.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl::corpus;
using trawl::test::TempDir;
using trawl::test::write_file;
namespace fs = std::filesystem;

namespace {

const std::string kFixture = std::string(TRAWL_FIXTURES_DIR) + "/corpus/wiki/wiki_00";
const std::string kWikiData = std::string(TRAWL_SHARED_DATA_DIR) + "/wikipedia-2015";

using trawl::test::CorpusRun;
using trawl::test::read_all;

CorpusRun read_wiki(const std::string& path) {
    ReaderOptions opts;
    opts.format = Format::Wiki;
    return read_all({path}, opts);
}

// The expectations shared by the plain and compressed copies of the fixture.
void check_fixture(const CorpusRun& run, const std::string& path) {
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"12", "25", "39", "40", "43"}));
    ASSERT_EQ(run.articles.size(), 5u);
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "Anarchism");
    // The title line is dropped; every line is a paragraph (headings too).
    EXPECT_EQ(a.body,
              "Anarchism is a political philosophy. It has many currents.\n\nEtymology and terminology.\n\n"
              "The term \"anarchism\" is a compound word.");
    EXPECT_EQ(a.location, "http://en.wikipedia.org/wiki?curid=12");
    EXPECT_EQ(a.source, "wikipedia");
    EXPECT_EQ(a.date, "");
    // Entities decoded in the title, and in the title line before comparing; the text is taken as it is.
    EXPECT_EQ(run.articles[1].title, "Batman & Robin (film)");
    EXPECT_EQ(run.articles[1].body, "Batman & Robin is a 1997 film. In HTML an ampersand is written \"&amp;\".");
    // A first line that is not the title is text.
    EXPECT_EQ(run.articles[2].title, "Albedo");
    EXPECT_EQ(run.articles[2].body,
              "Albedo is the reflectivity of a surface.\n\nA second paragraph, after a blank line, about Caf\xC3\xA9 "
              "culture.");
    // A title without text is read (and indexed title-only).
    EXPECT_EQ(run.articles[3].id, "40");
    EXPECT_EQ(run.articles[3].title, "Title only");
    EXPECT_EQ(run.articles[3].body, "");
    EXPECT_EQ(run.articles[4].title, "\"Hello, World!\" program");
    EXPECT_EQ(run.articles[4].body, "A record without a url: its location is the file and line.");
    EXPECT_EQ(run.articles[4].location, path + ":32");
    EXPECT_EQ(run.skips(), (std::vector<std::string>{"22: missing id", "27: stray closing tag", "28: truncated record",
                                                     "37: truncated record"}));
    EXPECT_EQ(run.skip_messages(),
              (std::vector<std::string>{path + ":22: skipped: missing id (no id attribute)",
                                        path + ":27: skipped: stray closing tag (</doc> outside a record)",
                                        path + ":28: skipped: truncated record (no </doc> before the next <doc>)",
                                        path + ":37: skipped: truncated record (no </doc> at the end of the file)"}));
    EXPECT_EQ(run.warnings, 0u);
}

}  // namespace

TEST(WikiReader, FormatNameAndAlias) {
    EXPECT_EQ(parse_format("wiki"), Format::Wiki);
    EXPECT_EQ(parse_format("wikiextractor"), Format::Wiki);
    EXPECT_STREQ(format_name(Format::Wiki), "wiki");
}

TEST(WikiReader, IsSniffedFromALowerCaseDocTagWithAnId) {
    TempDir dir;
    write_file(dir / "AA/wiki_00", trawl::test::read_file(kFixture));
    write_file(dir / "AA/wiki_01.zst", trawl::test::zstd_compress("<doc id=\"1\" title=\"T\">\nT\n\nText.\n</doc>\n"));
    write_file(dir / "AA/wiki_02", "\n<doc\tid=\"1\">\nText.\n</doc>\n");
    write_file(dir / "trec-lower", "<doc>\n<docno>X</docno>\n<text>t</text>\n</doc>\n");
    write_file(dir / "trec-upper", "<DOC id=\"1\">\n<DOCNO>X</DOCNO>\n</DOC>\n");
    write_file(dir / "doc-no-id", "<doc type=\"a\">\n<docno>X</docno>\n</doc>\n");
    write_file(dir / "document", "<document id=\"1\">\n</document>\n");
    std::vector<std::string> got;
    for (const auto& in : list_inputs({dir.str()}, Format::Auto))
        got.push_back(in.id_base + "=" + format_name(in.format));
    EXPECT_EQ(got, (std::vector<std::string>{"AA/wiki_00=wiki", "AA/wiki_01=wiki", "AA/wiki_02=wiki", "doc-no-id=sgml",
                                             "document=sgml", "trec-lower=sgml", "trec-upper=sgml"}));
}

TEST(WikiReader, ReadsRecordsAndSkipsMalformedOnesWithTheirLine) {
    check_fixture(read_wiki(kFixture), kFixture);
    // Sniffed, not named: the same.
    check_fixture(read_all({kFixture}), kFixture);
}

TEST(WikiReader, CompressedCopyReadsTheSame) {
    TempDir dir;
    const std::string path = (dir / "wiki_00.zst").string();
    write_file(path, trawl::test::zstd_compress(trawl::test::read_file(kFixture)));
    check_fixture(read_all({path}), path);
}

TEST(WikiReader, AttributesInAnyOrderQuotedOrNotAndIdInsideATitle) {
    TempDir dir;
    const std::string path = (dir / "w").string();
    write_file(path,
               "<doc title=\"The id=7 affair\" url='http://x/?a=1&amp;b=2' id = 8 >\nThe id=7 affair\n\nText.\n</doc>\n"
               "<doc title=\"Only a title id=9\">\nText.\n</doc>\n");
    const CorpusRun run = read_wiki(path);
    ASSERT_EQ(run.ids(), std::vector<std::string>{"8"});
    EXPECT_EQ(run.articles[0].title, "The id=7 affair");
    EXPECT_EQ(run.articles[0].location, "http://x/?a=1&b=2");
    EXPECT_EQ(run.articles[0].body, "Text.");
    EXPECT_EQ(run.skips(), std::vector<std::string>{"6: missing id"});
}

// A '>' inside a quoted value does not end the tag: the title is whole, its
// rest is not taken for the text, and the title line is still dropped.
TEST(WikiReader, AQuotedValueHoldingAGreaterThanSignDoesNotEndTheTag) {
    TempDir dir;
    const std::string path = (dir / "w").string();
    write_file(path,
               "<doc id=\"1\" title=\"x > y\" url='http://x/?q=a>b'>\nx > y\n\nText one.\n</doc>\n"
               "<doc id=\"2\" title=\"Plain\">Plain\n\nText two.\n</doc>\n");
    const CorpusRun run = read_wiki(path);
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(run.articles[0].title, "x > y");
    EXPECT_EQ(run.articles[0].location, "http://x/?q=a>b");
    EXPECT_EQ(run.articles[0].body, "Text one.");
    EXPECT_EQ(run.articles[1].title, "Plain");
    EXPECT_EQ(run.articles[1].body, "Text two.");
    EXPECT_TRUE(run.skips().empty());
}

TEST(WikiReader, TagWithoutCloseAndTextOutsideRecordsAreSkipped) {
    TempDir dir;
    const std::string path = (dir / "w").string();
    write_file(path,
               "stray text before\nand more of it\n\n"             // 1-3: one skip, at its first line
               "<doc id=\"1\" title=\"Cut tag\"\nText.\n</doc>\n"  // 4-6: no '>'
               "<doc id=\"2\" title=\"Good\">\nGood\n\nKept.\n</doc>\n"
               "trailing text\n");  // 12
    const CorpusRun run = read_wiki(path);
    EXPECT_EQ(run.ids(), std::vector<std::string>{"2"});
    EXPECT_EQ(run.articles[0].body, "Kept.");
    EXPECT_EQ(run.skip_messages(),
              (std::vector<std::string>{path + ":1: skipped: text outside a record (not within <doc>...</doc>)",
                                        path + ":4: skipped: malformed tag (<doc without '>')",
                                        path + ":12: skipped: text outside a record (not within <doc>...</doc>)"}));
}

// Between records, an XML declaration (on one line or more, with the first
// record on its line or not), comments and blank lines are no text: no
// warning. What is text there still is, once per stretch.
TEST(WikiReader, AnXmlDeclarationAndCommentsOutsideRecordsAreNoStrayText) {
    TempDir dir;
    const std::string path = (dir / "wiki_00").string();
    write_file(
        path,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"  // 1
        "\n"
        "<!-- extracted by WikiExtractor -->\n"
        "<doc id=\"1\" title=\"One\">\nOne\n\nFirst.\n</doc>\n"  // 4-8
        "  <!-- a comment\n"                                     // 9
        "   over lines, with <doc id=\"9\" title=\"Not\"> in it\n"
        "   and </doc> -->  \n"
        "<?xml version=\"1.0\"\n encoding=\"utf-8\"?><!-- a concatenated file's --><doc id=\"2\" title=\"Two\">\n"
        "Two\n\nSecond.\n</doc>\n"            // 14-17
        "<!-- c --> stray words\nand more\n"  // 18-19: text, one skip
        "<doc id=\"3\" title=\"Three\">\nThird.\n</doc>\n");
    for (const CorpusRun& run : {read_wiki(path), read_all({path})}) {  // named, and sniffed
        EXPECT_EQ(run.ids(), (std::vector<std::string>{"1", "2", "3"}));
        ASSERT_EQ(run.articles.size(), 3u);
        EXPECT_EQ(run.articles[0].body, "First.");
        EXPECT_EQ(run.articles[1].title, "Two");
        EXPECT_EQ(run.articles[1].body, "Second.");
        EXPECT_EQ(run.articles[1].location, path + ":13");
        EXPECT_EQ(run.articles[2].body, "Third.");
        EXPECT_EQ(run.skip_messages(),
                  std::vector<std::string>{path + ":18: skipped: text outside a record (not within <doc>...</doc>)"});
        EXPECT_EQ(run.warnings, 0u);
    }
}

// A DOCTYPE between records is no text either, as the XML declaration is:
// with public and system ids, on one line or over several, and with an
// internal subset whose declarations, quoted strings and comments hold '>',
// ']' and quotes that do not end it. Left open, it is reported where it starts.
TEST(WikiReader, ADoctypeOutsideRecordsIsNoStrayText) {
    TempDir dir;
    const std::string path = (dir / "wiki_00").string();
    write_file(path,
               "<?xml version=\"1.0\"?>\n"                                                         // 1
               "<!DOCTYPE wiki PUBLIC \"-//Wiki//DTD Extract 1//EN\" 'wiki.dtd'>\n"                // 2
               "<doc id=\"1\" title=\"One\">\nFirst.\n</doc>\n"                                    // 3-5
               "<!DOCTYPE doc [\n"                                                                 // 6
               "  <!ELEMENT doc (#PCDATA)>\n"                                                      // 7
               "  <!ENTITY amp2 \"a ] and > 'quoted'\">  <!-- a comment with ] > and don't -->\n"  // 8
               "  <?pi ] > ?>\n"                                                                   // 9
               "]><doc id=\"2\" title=\"Two\">\nSecond.\n</doc>\n"                                 // 10-12
               "<!doctype doc SYSTEM \"a>b.dtd\">  <!-- lower case; a comment after it -->\n"      // 13
               "<doc id=\"3\" title=\"Three\">\nThird.\n</doc>\n"                                  // 14-16
               "<!DOCTYPE doc> stray words\n"                                                      // 17: text
               "<doc id=\"4\" title=\"Four\">\nFourth.\n</doc>\n"                                  // 18-20
               "<!DOCTYPE doc [ <!ENTITY e \"never closed\">\n"                                    // 21
               "<doc id=\"5\" title=\"Five\">\nFifth.\n</doc>\n");                                 // 22-24
    for (const CorpusRun& run : {read_wiki(path), read_all({path})}) {                             // named, and sniffed
        EXPECT_EQ(run.ids(), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
        ASSERT_EQ(run.articles.size(), 5u);
        EXPECT_EQ(run.articles[1].body, "Second.");
        EXPECT_EQ(run.articles[1].location, path + ":10");
        EXPECT_EQ(run.articles[4].body, "Fifth.");
        EXPECT_EQ(run.skip_messages(),
                  (std::vector<std::string>{path + ":17: skipped: text outside a record (not within <doc>...</doc>)",
                                            path + ":21: skipped: text outside a record (<!DOCTYPE without >)"}));
        EXPECT_EQ(run.warnings, 0u);
    }
}

// A line that starts with a record's opening tag is no record within a
// comment, a processing instruction, or a DOCTYPE's comment or quoted string
// (an entity value): it is their text, as XML reads it, and a record
// commented out is not read. Before the first record and between records.
TEST(WikiReader, ARecordTagWithinACommentOrADoctypeIsNoRecord) {
    TempDir dir;
    const std::string path = (dir / "wiki_00").string();
    write_file(path,
               "<?xml version=\"1.0\"?>\n"                                  // 1
               "<!DOCTYPE doc [\n"                                          // 2
               "  <!-- an example record:\n"                                // 3
               "<doc id=\"8\" title=\"Example\">\nExample text.\n</doc>\n"  // 4-6
               "  -->\n"                                                    // 7
               "  <!ENTITY sample \"\n"                                     // 8
               "<doc id=\"9\" title=\"Sample\">\n"                          // 9
               "\">\n"                                                      // 10
               "]>\n"                                                       // 11
               "<!-- a record left out:\n"                                  // 12
               "<doc id=\"7\" title=\"Withdrawn\">\nWithdrawn.\n</doc>\n"   // 13-15
               "-->\n"                                                      // 16
               "<doc id=\"1\" title=\"One\">\nFirst.\n</doc>\n"             // 17-19
               "<!--\n<doc id=\"6\" title=\"Six\">\nSix.\n</doc>\n"         // 20-23
               "--><doc id=\"2\" title=\"Two\">\nSecond.\n</doc>\n"         // 24-26
               "<?pi\n<doc id=\"5\" title=\"Five\">\n?>\n");                // 27-29
    for (const CorpusRun& run : {read_wiki(path), read_all({path})}) {      // named, and sniffed
        EXPECT_EQ(run.ids(), (std::vector<std::string>{"1", "2"}));
        ASSERT_EQ(run.articles.size(), 2u);
        EXPECT_EQ(run.articles[0].title, "One");
        EXPECT_EQ(run.articles[0].body, "First.");
        EXPECT_EQ(run.articles[0].location, path + ":17");
        EXPECT_EQ(run.articles[1].title, "Two");
        EXPECT_EQ(run.articles[1].body, "Second.");
        EXPECT_EQ(run.articles[1].location, path + ":24");
        EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});
        EXPECT_EQ(run.warnings, 0u);
    }
}

// A comment or declaration left open outside the records goes on to the end
// of the file, as XML reads it: it is reported where it starts, with the
// records it took in, which are not read.
TEST(WikiReader, ACommentLeftOpenIsReportedWithTheRecordsItTookIn) {
    TempDir dir;
    const std::string path = (dir / "w").string();
    write_file(path,
               "<doc id=\"1\" title=\"One\">\nFirst.\n</doc>\n"    // 1-3
               "<!-- a comment never closed\n\n"                   // 4
               "<doc id=\"2\" title=\"Two\">\nSecond.\n</doc>\n"   // 6-8
               "<doc id=\"3\" title=\"Three\">\nThird.\n</doc>\n"  // 9-11
               "<?xml version=\"1.0\"\n");                         // 12: within the comment
    const CorpusRun run = read_wiki(path);
    EXPECT_EQ(run.ids(), std::vector<std::string>{"1"});
    EXPECT_EQ(run.skip_messages(),
              std::vector<std::string>{path + ":4: skipped: text outside a record (<!-- without -->; 2 records in it "
                                              "not read)"});

    const std::string pi = (dir / "pi").string();
    write_file(pi, "<doc id=\"1\" title=\"One\">\nFirst.\n</doc>\n<?xml version=\"1.0\"\n");
    EXPECT_EQ(read_wiki(pi).skip_messages(),
              std::vector<std::string>{pi + ":4: skipped: text outside a record (<? without ?>)"});
}

TEST(WikiReader, InvalidUtf8IsRepairedWithAWarning) {
    TempDir dir;
    const std::string path = (dir / "w").string();
    write_file(path, "<doc id=\"5\" title=\"Caf\xE9\">\nCaf\xE9\n\nA caf\xE9 text.\n</doc>\n");
    const CorpusRun run = read_wiki(path);
    ASSERT_EQ(run.ids(), std::vector<std::string>{"5"});
    EXPECT_EQ(run.articles[0].title, "Caf\xC3\xA9");
    EXPECT_EQ(run.articles[0].body, "A caf\xC3\xA9 text.");
    EXPECT_EQ(run.warns(), std::vector<std::string>{"1: invalid UTF-8 repaired"});
}

TEST(WikiReader, RecordLargerThanTheLimitIsDroppedAndTheNextOneRead) {
    TempDir dir;
    const std::string path = (dir / "w").string();
    const std::string line(1023, 'x');
    std::string big = "<doc id=\"1\" title=\"Huge\">\nHuge\n\n";
    for (int i = 0; i < 65 * 1024; ++i) big += line + "\n";  // 65 MiB: over the 64 MiB limit
    big += "</doc>\n<doc id=\"2\" title=\"Next\">\nNext\n\nRead.\n</doc>\n";
    write_file(path, big);
    const CorpusRun run = read_wiki(path);
    EXPECT_EQ(run.ids(), std::vector<std::string>{"2"});
    EXPECT_EQ(
        run.skip_messages(),
        std::vector<std::string>{path + ":1: skipped: article too large (65.0 MB, limit 64 MB; --max-article-mb)"});
}

TEST(RealData, WikipediaFirstFileHasEveryRecord) {
    const std::string path = kWikiData + "/AA/wiki_00.zst";
    if (!fs::exists(path)) GTEST_SKIP() << "no WikiExtractor data at " << path;
    // The record count, independently: "<doc " openings in the decompressed file.
    std::string text;
    {
        auto src = open_byte_source(path);
        char buf[1 << 16];
        for (std::size_t n; (n = src->read(buf, sizeof buf)) > 0;) text.append(buf, n);
    }
    std::size_t openings = 0;
    for (std::size_t p = text.find("<doc "); p != std::string::npos; p = text.find("<doc ", p + 1)) ++openings;
    ASSERT_GT(openings, 0u);

    const CorpusRun run = read_all({path});  // sniffed: the file has no format extension
    EXPECT_EQ(run.articles.size(), openings);
    EXPECT_EQ(run.skipped, 0u);
    ASSERT_FALSE(run.articles.empty());
    const Article& a = run.articles[0];
    EXPECT_EQ(a.id, "12");
    EXPECT_EQ(a.title, "Anarchism");
    EXPECT_EQ(a.location, "http://en.wikipedia.org/wiki?curid=12");
    EXPECT_EQ(a.source, "wikipedia");
    EXPECT_TRUE(a.body.starts_with("Anarchism is a political philosophy that advocates stateless societies"))
        << a.body.substr(0, 80);
    // Section headings are paragraphs of their own.
    EXPECT_NE(a.body.find("\n\nEtymology and terminology.\n\nThe term \"anarchism\""), std::string::npos);
    for (const Article& r : run.articles) {
        ASSERT_FALSE(r.body.starts_with(r.title + "\n")) << r.id << ": title line kept";
        ASSERT_FALSE(r.title.empty()) << r.id;
    }
}
