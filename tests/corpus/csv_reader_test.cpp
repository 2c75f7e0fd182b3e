// CSV/TSV reader: RFC 4180 quoting, header mapping (auto and named), ids for
// rows without one, bad rows reported with the line their record starts on.
#include <algorithm>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
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

const std::string kFixture = std::string(TRAWL_FIXTURES_DIR) + "/corpus/news.csv";

std::string crlf(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// tests/fixtures/corpus/news.csv, whatever its path, compression or line ends.
void check_news_csv(const CorpusRun& run, const std::string& path) {
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"n1", "news:2", "n3", "n4", "n6"}));
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "Port strike ends, ships sail");
    EXPECT_EQ(a.body,
              "Dockers voted to return to work, ending a ten-day strike.\n\n"
              "Ships queued off the coast began to berth on Monday.");
    EXPECT_EQ(a.date, "2022-01-03");
    EXPECT_EQ(a.source, "business");
    EXPECT_EQ(a.location, path + ":2");
    // No id: file + row number; doubled quotes; an RFC 2822 date holding a comma.
    const Article& b = run.articles[1];
    EXPECT_EQ(b.title, "He said \"no\"");
    EXPECT_EQ(b.body, "The minister said \"no\" to the plan, twice.");
    EXPECT_EQ(b.date, "2022-01-03T10:00:00");
    EXPECT_EQ(b.source, "politics");
    EXPECT_EQ(b.location, path + ":5");
    EXPECT_EQ(run.articles[2].date, "");
    EXPECT_EQ(run.articles[2].source, "");
    // A title with an empty text is read (and indexed title-only).
    EXPECT_EQ(run.articles[3].id, "n4");
    EXPECT_EQ(run.articles[3].title, "Empty body");
    EXPECT_EQ(run.articles[3].body, "");
    EXPECT_EQ(run.articles[3].location, path + ":8");
    const Article& d = run.articles[4];
    EXPECT_EQ(d.body, "The museum restored an old zeppelin hangar for visitors. It opens in May.");
    EXPECT_EQ(d.date, "2022-02-01T08:30:00");
    EXPECT_EQ(d.location, path + ":10");
    EXPECT_EQ(run.skips(), (std::vector<std::string>{"9: missing text", "13: truncated record"}));
    EXPECT_EQ(run.warns(), std::vector<std::string>{"7: unparsable date"});
    for (const auto& diag : run.diags) EXPECT_EQ(diag.file, path);
}

}  // namespace

TEST(CsvReader, QuotedFieldsAutoMappedColumnsAndBadRowsWithTheirLine) {
    check_news_csv(read_all({kFixture}), kFixture);
}

TEST(CsvReader, CrLfAndByteOrderMarkReadTheSame) {
    TempDir dir;
    const std::string path = (dir / "news.csv").string();
    write_file(path, "\xEF\xBB\xBF" + crlf(trawl::test::read_file(kFixture)));
    check_news_csv(read_all({path}), path);
}

// Old Mac line ends, a lone CR, inside quoted fields too: the same records
// on the same lines (a lone CR in a quoted field was not counted as a line),
// and a quoted field that swallows rows is told as with LF.
TEST(CsvReader, LoneCrLineEndsReadTheSame) {
    TempDir dir;
    const std::string path = (dir / "news.csv").string();
    std::string text = trawl::test::read_file(kFixture);
    std::replace(text.begin(), text.end(), '\n', '\r');
    write_file(path, text);
    check_news_csv(read_all({path}), path);

    const std::string broken = (dir / "broken.csv").string();
    write_file(broken,
               "id,title,text\r"
               "a1,Storm,\"Breaking: storm hits the coast\r"
               "a2,Port,Dockers return to work\r"
               "a3,Quote,He said \"no\" to the plan\r"
               "a4,Last,The museum opens in May\r");
    const CorpusRun run = read_all({broken});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a1", "a4"}));
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[1].location, broken + ":5");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              broken +
                  ":2: warning: rows inside a quoted field (quoted field from line 2 runs to line 4 and holds 2 lines "
                  "that look like rows: is a quote missing?)");
}

TEST(CsvReader, CompressedCopiesReadTheSame) {
    TempDir dir;
    const std::string text = trawl::test::read_file(kFixture);
    const std::string gz = (dir / "news.csv.gz").string(), zst = (dir / "news.csv.zst").string();
    write_file(gz, trawl::test::gzip_compress(text));
    write_file(zst, trawl::test::zstd_compress(text));
    check_news_csv(read_all({gz}), gz);
    check_news_csv(read_all({zst}), zst);
}

TEST(CsvReader, TsvByExtensionOrFormat) {
    TempDir dir;
    const std::string tsv =
        "doc_id\ttitle\tcontent\tcategory\n"
        "t1\tTabs\t\"a quoted\tfield with a tab\nand a line break\"\tsport\n"
        "t2\tCommas, fine\tplain, unquoted text\t\n";
    write_file(dir / "a.tsv", tsv);
    write_file(dir / "b.dat", tsv);
    const CorpusRun run = read_all({(dir / "a.tsv").string()});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"t1", "t2"}));
    EXPECT_EQ(run.articles[0].body, "a quoted field with a tab and a line break");
    EXPECT_EQ(run.articles[0].source, "sport");
    EXPECT_EQ(run.articles[1].title, "Commas, fine");
    EXPECT_EQ(run.articles[1].location, (dir / "a.tsv").string() + ":4");  // t1 spans lines 2-3
    ReaderOptions opts;
    opts.format = Format::Tsv;
    EXPECT_EQ(read_all({(dir / "b.dat").string()}, opts).ids(), (std::vector<std::string>{"t1", "t2"}));
    opts.format = Format::Csv;  // read as CSV it is one column, not text
    EXPECT_THROW(read_all({(dir / "b.dat").string()}, opts), trawl::InputError);
}

TEST(CsvReader, NamedColumnsWinOverAutoDetection) {
    TempDir dir;
    const std::string path = (dir / "feed.csv").string();
    write_file(path,
               "key,text,words,when,outlet,title\n"
               "k1,ignored text,Named words.,2022-03-04 05:06:07,Wire,T\n"
               ",ignored,No key here.,,,\n");
    ReaderOptions opts;
    opts.fields = {.id = "KEY", .title = "", .text = "words", .date = "when", .source = "outlet"};
    const CorpusRun run = read_all({path}, opts);
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"k1", "feed:2"}));
    EXPECT_EQ(run.articles[0].body, "Named words.");
    EXPECT_EQ(run.articles[0].title, "T");  // still auto
    EXPECT_EQ(run.articles[0].date, "2022-03-04T05:06:07");
    EXPECT_EQ(run.articles[0].source, "Wire");
    EXPECT_EQ(run.skipped + run.warnings, 0u);
}

TEST(CsvReader, HeaderWithoutTextColumnIsOneErrorBeforeAnyArticle) {
    TempDir dir;
    write_file(dir / "a.csv", "id,title\n1,Only titles\n");
    write_file(dir / "b.csv", "id,title,body\n1,T,B\n");
    Diagnostics diag;
    try {
        open_corpus({(dir / "b.csv").string(), (dir / "a.csv").string()}, {}, diag);
        FAIL() << "expected InputError";
    } catch (const trawl::InputError& e) {
        EXPECT_EQ(e.file, (dir / "a.csv").string());
        EXPECT_EQ(e.line, 1u);
        EXPECT_EQ(std::string(e.what()),
                  (dir / "a.csv").string() +
                      ":1: no text column in the header (columns: id, title); name it with --text-field");
    }
    // A named column the header lacks is an error too, even an optional one.
    ReaderOptions opts;
    opts.fields.date = "when";
    EXPECT_THROW(open_corpus({(dir / "b.csv").string()}, opts, diag), trawl::InputError);
}

// A header that is one column holding another separator is the wrong
// format: said so. A tab-separated .csv said "no text column in the header
// (columns: id title text)", its tabs shown as spaces.
TEST(CsvReader, AHeaderOfOneColumnHoldingAnotherSeparatorSaysSo) {
    TempDir dir;
    write_file(dir / "tabs.csv", "id\ttitle\ttext\n1\tT\tBody.\n");
    write_file(dir / "semi.csv", "id;title;text\n1;T;Body.\n");
    write_file(dir / "commas.tsv", "id,title,text\n1,T,Body.\n");
    const auto error = [&](const char* name) -> std::string {
        Diagnostics diag;
        try {
            auto reader = open_corpus({(dir / name).string()}, {}, diag);
            Article a;
            while (reader->next(a)) {
            }
        } catch (const trawl::InputError& e) {
            return e.what();
        }
        return "read";
    };
    EXPECT_EQ(error("tabs.csv"), (dir / "tabs.csv").string() +
                                     ":1: the header is one column holding tabs: a tab-separated file? name it .tsv or "
                                     "give --format tsv");
    EXPECT_EQ(error("semi.csv"),
              (dir / "semi.csv").string() +
                  ":1: the header is one column holding ';': semicolon-separated? Trawl reads ',' (CSV) and tab (TSV) "
                  "separators");
    EXPECT_EQ(error("commas.tsv"), (dir / "commas.tsv").string() +
                                       ":1: the header is one column holding commas: a comma-separated file? name it "
                                       ".csv or give --format csv");
}

TEST(CsvReader, RowsWithoutIdColumnGetFileAndRowAndEmptyFileIsSkipped) {
    TempDir dir;
    write_file(dir / "sub/plain.csv.gz",
               trawl::test::gzip_compress("Title,Text\nA,first\n\nB,\"sec\"\"ond\"\nC,third"));
    write_file(dir / "sub/empty.csv", "");
    const CorpusRun run = read_all({dir.str()});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"sub/plain:1", "sub/plain:2", "sub/plain:3"}));
    EXPECT_EQ(run.articles[1].body, "sec\"ond");
    EXPECT_EQ(run.articles[2].body, "third");  // no final newline
    EXPECT_EQ(run.articles[0].source, "");     // the folder names no source for record formats
    EXPECT_EQ(run.skips(), std::vector<std::string>{"0: empty file"});
}

TEST(CsvReader, InvalidUtf8IsRepairedWithAWarning) {
    TempDir dir;
    write_file(dir / "l.csv", "id,text\nx,\"Caf\xE9 prices\"\n");
    const CorpusRun run = read_all({(dir / "l.csv").string()});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body, "Caf\xC3\xA9 prices");
    EXPECT_EQ(run.warns(), std::vector<std::string>{"2: invalid UTF-8 repaired"});
}

// An unquoted separator in the text ("1,200 dollars") makes more fields than
// the header has: the row is skipped, naming its line and the counts, never
// indexed cut short at the separator. Trailing empty fields lose nothing.
TEST(CsvReader, RowWithMoreFieldsThanTheHeaderIsSkippedNotCutShort) {
    TempDir dir;
    const std::string path = (dir / "prices.csv").string();
    write_file(path,
               "id,title,text\n"
               "x1,Prices,The price rose to 1,200 dollars, analysts said.\n"
               "x2,Quoted,\"The price rose to 1,200 dollars, analysts said.\"\n"
               "x3,Trailing,A row ending in an empty field.,\n");
    const CorpusRun run = read_all({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"x2", "x3"}));
    ASSERT_FALSE(run.articles.empty());
    EXPECT_EQ(run.articles[0].body, "The price rose to 1,200 dollars, analysts said.");
    EXPECT_EQ(run.skip_messages(),
              std::vector<std::string>{path + ":2: skipped: too many fields (id x1, 5 fields, header has 3)"});
    EXPECT_EQ(run.skipped_by_reason, (std::map<std::string, std::uint64_t>{{"too many fields", 1}}));
}

// An unterminated quote swallowed the rest of the file as one skipped record,
// silently: a TSV field whose quote is never closed is read again as text;
// in CSV (where a quoted field may span lines) the skip says how much was lost.
TEST(CsvReader, AnUnterminatedQuoteInTsvIsReadAsTextAndInCsvSaysWhatWasLost) {
    TempDir dir;
    std::string tsv = "id\ttitle\ttext\nq1\tStorm\t\"Breaking: storm hits\n";
    for (int i = 2; i <= 5; ++i)
        tsv += "q" + std::to_string(i) + "\tT\tstory " + std::to_string(i) + " about harbours\n";
    const std::string tsv_path = (dir / "q.tsv").string();
    write_file(tsv_path, tsv);
    CorpusRun run = read_all({tsv_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"q1", "q2", "q3", "q4", "q5"}));
    ASSERT_EQ(run.articles.size(), 5u);
    EXPECT_EQ(run.articles[0].body, "\"Breaking: storm hits");
    EXPECT_EQ(run.articles[4].body, "story 5 about harbours");
    EXPECT_EQ(run.articles[4].location, tsv_path + ":6");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              tsv_path + ":2: warning: unterminated quote (the quote opening a field is never closed: read as text)");
    // A quoted TSV field that does close, over two lines and with a doubled quote, is one field.
    write_file(tsv_path, "id\ttext\na\t\"two \"\"lines\"\"\nhere\"\nb\tlast\n");
    run = read_all({tsv_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(run.articles[0].body, "two \"lines\" here");
    EXPECT_TRUE(run.diags.empty());
    // A doubled quote inside an unterminated one stays doubled when read as text.
    write_file(tsv_path, "id\ttext\na\t\"say \"\"hi\nb\tlast\n");
    run = read_all({tsv_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(run.articles[0].body, "\"say \"\"hi");

    std::string csv = "id,title,text\nq1,Storm,\"Breaking: storm hits\n";
    for (int i = 2; i <= 5; ++i) csv += "q" + std::to_string(i) + ",T,story " + std::to_string(i) + " about harbours\n";
    const std::string csv_path = (dir / "q.csv").string();
    write_file(csv_path, csv);
    run = read_all({csv_path});
    EXPECT_TRUE(run.articles.empty());
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]), csv_path +
                                                   ":2: skipped: truncated record (unterminated quote from line 2 to "
                                                   "the end of the file: 4 lines not read)");
}

// A quote inside a quoted field that was not doubled ("She said "no" today")
// closed the field early: the rest was appended to it without a word. It
// still is (as other CSV readers read it), with a warning naming the line;
// blanks after a closing quote are no text.
TEST(CsvReader, TextAfterAClosingQuoteIsKeptWithAWarning) {
    TempDir dir;
    const std::string path = (dir / "t.csv").string();
    write_file(path,
               "id,title,text\n"
               "a,T,\"She said \"no\" today\"\n"
               "b,T,\"Plain quoted\"  \n"
               "c,\"Two\" parts,\"x\"y\n"
               "d,T,\"Doubled \"\"quotes\"\" are fine\"\n");
    const CorpusRun run = read_all({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a", "b", "c", "d"}));
    ASSERT_EQ(run.articles.size(), 4u);
    EXPECT_EQ(run.articles[0].body, "She said no\" today\"");
    EXPECT_EQ(run.articles[1].body, "Plain quoted");
    EXPECT_EQ(run.articles[2].title, "Two parts");
    EXPECT_EQ(run.articles[3].body, "Doubled \"quotes\" are fine");
    EXPECT_EQ(run.warns(),
              (std::vector<std::string>{"2: text after a closing quote", "4: text after a closing quote"}));
    ASSERT_EQ(run.diags.size(), 2u);
    EXPECT_EQ(
        format_diagnostic(run.diags[0]),
        path +
            ":2: warning: text after a closing quote (read as part of the field: is a quote inside it not doubled?)");
}

// A quote missing at the end of a field let the next quote, rows later, close
// it: the rows between were merged into one field without a word. The
// quoted field now names its lines when it closes before more text (a quote
// opening a word of a later row) and a line it swallowed looks like a row
// (the header's number of fields, an id without spaces); what is read is as
// before. Legitimate multi-line fields, which close before a separator or a
// line end, stay silent, whatever their lines look like.
TEST(CsvReader, AQuotedFieldSwallowingLinesThatLookLikeRowsIsOneWarning) {
    TempDir dir;
    const std::string csv_path = (dir / "broken.csv").string();
    write_file(csv_path,
               "id,title,text\n"
               "a1,Storm,\"Breaking: storm hits the coast\n"
               "a2,Port,Dockers return to work\n"
               "a3,Quote,He said \"no\" to the plan\n"
               "a4,Last,The museum opens in May\n");
    CorpusRun run = read_all({csv_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a1", "a4"}));
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[0].body,
              "Breaking: storm hits the coast a2,Port,Dockers return to work a3,Quote,He said no\" to the plan");
    EXPECT_EQ(run.articles[1].location, csv_path + ":5");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              csv_path +
                  ":2: warning: rows inside a quoted field (quoted field from line 2 runs to line 4 and holds 2 lines "
                  "that look like rows: is a quote missing?)");

    // The same in TSV, in a file without an id column, and over CRLF lines.
    const std::string tsv_path = (dir / "broken.tsv").string();
    write_file(tsv_path,
               "title\ttext\n"
               "Storm\t\"Breaking: storm hits\n"
               "Port\tDockers return to work\n"
               "Quote\tHe said \"no\"\n"
               "Last\tThe museum opens\n");
    run = read_all({tsv_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"broken:1", "broken:2"}));
    EXPECT_EQ(run.warns(), std::vector<std::string>{"2: rows inside a quoted field"});
    const std::string one_path = (dir / "one.csv").string();
    write_file(one_path, crlf("title,text\nStorm,\"Breaking: storm hits\nPort,Dockers \"return\" to work\n"));
    run = read_all({one_path});
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(run.diags[0].detail,
              "quoted field from line 2 runs to line 3 and holds 1 line that looks like rows: is a quote missing?");

    // The next row's own multi-line text field closed it: that row's first
    // line ends the merged record, the rest of its text is read as rows.
    const std::string next_path = (dir / "next.csv").string();
    write_file(next_path,
               "id,title,text\n"
               "a1,Storm,\"Breaking: storm hits\n"
               "a2,Port,\"Dockers return\n"
               "to work\"\n"
               "a3,Last,The museum opens\n");
    run = read_all({next_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a1", "a3"}));
    ASSERT_EQ(run.diags.size(), 2u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              next_path +
                  ":2: warning: rows inside a quoted field (quoted field from line 2 runs to line 3 and holds 1 line "
                  "that looks like rows: is a quote missing?)");
    EXPECT_EQ(run.skips(), std::vector<std::string>{"4: missing text"});

    // The next row's text opens with a line break: its quote closes the field
    // as RFC 4180 allows, on a line that reads as the start of a row.
    write_file(next_path,
               "id,title,text\n"
               "a1,Storm,\"Breaking: storm hits\n"
               "a2,Port,\"\n"
               "Dockers return\"\n"
               "a3,Last,The museum opens\n");
    run = read_all({next_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a1", "a3"}));
    EXPECT_EQ(run.warns(), std::vector<std::string>{"2: rows inside a quoted field"});

    // Multi-line text fields: paragraphs, commas in prose, numbers, blank
    // lines, quotes, a field closing on a line of its own.
    const std::string good_path = (dir / "good.csv").string();
    const std::string good =
        "id,title,text,date\n"
        "g1,Prices,\"Prices rose, fell, and rose again.\n"
        "\n"
        "Sales reached 3,500 units,up 12%.\n"
        "apples,pears,plums,figs\n"
        "He said \"\"no\"\" twice, then left.\n"
        "\",2022-01-03\n"
        "g2,Short,\"One line\nand 1,200,000 dollars\",2022-01-04\n";
    write_file(good_path, good);
    run = read_all({good_path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"g1", "g2"}));
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[0].body,
              "Prices rose, fell, and rose again.\n\nSales reached 3,500 units,up 12%. apples,pears,plums,figs He said "
              "\"no\" twice, then "
              "left.");
    EXPECT_EQ(run.articles[1].location, good_path + ":8");
    EXPECT_TRUE(run.diags.empty());
    const std::string notes_path = (dir / "notes.csv").string();  // no id column
    write_file(notes_path, "title,text\nSales,\"Sales rose\nto 3,500 units.\nNorth,south\"\n");
    run = read_all({notes_path});
    EXPECT_EQ(run.ids(), std::vector<std::string>{"notes:1"});
    EXPECT_TRUE(run.diags.empty());
}

// A row's fields were each kept as a string, however many: 60 million
// empty ones (60 MB of commas, under --max-article-mb) took 4 GB and 72 s.
// Fields after the header's number are counted, not kept: trailing empty
// ones still lose nothing, one holding text still makes the row "too many
// fields", counted whole; a header of more than 65,536 columns is refused.
TEST(CsvReader, FieldsBeyondTheHeadersAreCountedNotKept) {
    TempDir dir;
    const std::string path = (dir / "wide.csv").string();
    const std::string many(1000000, ',');
    write_file(path, "id,title,text\nw1,Wide,trailing separators" + many + "\nw2,Shifted,text" + many +
                         "stray\nw3,Last,the end\n");
    const CorpusRun run = read_all({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"w1", "w3"}));
    EXPECT_EQ(run.articles[0].body, "trailing separators");
    EXPECT_EQ(run.skip_messages(),
              std::vector<std::string>{path + ":3: skipped: too many fields (id w2, 1000003 fields, header has 3)"});

    write_file(path, "id,title,text" + std::string(70000, ',') + "\nw1,T,x\n");
    try {
        read_all({path});
        ADD_FAILURE() << "read";
    } catch (const trawl::InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ":1: header row has 70003 columns, more than 65536: not a table of articles");
    }
}
