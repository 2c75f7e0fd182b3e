#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus/base/error.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "tests/corpus/read_corpus.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/hostile_corpus.hpp"
#include "tests/testutil/temp_dir.hpp"
#include "tests/testutil/utf16.hpp"

using namespace trawl::corpus;
using trawl::test::TempDir;
using trawl::test::write_file;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(TRAWL_FIXTURES_DIR) + "/corpus";
const std::string kData = TRAWL_SHARED_DATA_DIR;

using ReadResult = trawl::test::CorpusRun;
using trawl::test::read_with;

ReadResult read_corpus(const std::vector<std::string>& paths, ReaderOptions opts = {}) {
    return trawl::test::read_all(paths, std::move(opts));
}

bool data_dir(const std::string& name) { return fs::is_directory(kData + "/" + name); }

// The expectations shared by the plain and compressed copies of each fixture.
void check_jsonl_fixture(const ReadResult& run, const std::string& path) {
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"doc-1", "doc-2", "42", "doc-6", "doc-8"}));
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "First story");
    EXPECT_EQ(a.body, "Line one still paragraph one.\n\nParagraph two.");
    EXPECT_EQ(a.date, "2021-12-23");
    EXPECT_EQ(a.source, "wire");
    EXPECT_EQ(a.location, path + ":1");
    EXPECT_EQ(run.articles[1].title, "");
    EXPECT_EQ(run.articles[1].location, path + ":3");
    EXPECT_EQ(run.articles[2].title, "Numeric id");
    // A title with a blank text is read (and indexed title-only); a record
    // without the text field is not.
    EXPECT_EQ(run.articles[3].title, "Blank text");
    EXPECT_EQ(run.articles[3].body, "");
    EXPECT_EQ(run.articles[4].title,
              "\xC3\x9Cn\xC3\xAF"
              "c\xC3\xB6"
              "d\xC3\xA9 \xE2\x80\x94 \xE2\x9C\x93");
    EXPECT_EQ(run.skips(), (std::vector<std::string>{"4: invalid JSON", "5: not an object", "6: missing id",
                                                     "8: missing text", "10: invalid id"}));
    EXPECT_EQ(run.skipped, 5u);
}

void check_reuters_fixture(const ReadResult& run) {
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"1", "2", "4", "5"}));
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "BAHIA COCOA REVIEW");
    EXPECT_EQ(a.date, "1987-02-26T15:01:01");
    for (const Article& r : run.articles) EXPECT_EQ(r.source, "reuters") << r.id;
    EXPECT_EQ(a.body,
              "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought.\n\n"
              "The dry period means the temporao will be late <BAHIA> & co.");
    // TYPE="BRIEF": the headline is the news ("Blah blah blah." is outside any <BODY>).
    const Article& brief = run.articles[1];
    EXPECT_EQ(brief.title, "ASSETS OF MONEY MARKET FUNDS ROSE");
    EXPECT_EQ(brief.body, "");
    EXPECT_EQ(brief.date, "1987-03-03T09:15:05");
    const Article& unproc = run.articles[2];
    EXPECT_EQ(unproc.title, "FEDERAL RESERVE WEEKLY REPORT - FEB 26");
    EXPECT_EQ(unproc.body, "Two weeks ended Feb 25\n\nNet free reserves......644 vs.....1,337");
    EXPECT_EQ(run.articles[3].title, "lower case tags");
    EXPECT_EQ(run.articles[3].body, "Lower-case Reuters record.");
    EXPECT_EQ(run.articles[3].date, "1987-03-01T01:41:26");
    EXPECT_EQ(run.skips(), (std::vector<std::string>{"26: missing id", "52: truncated record"}));
}

}  // namespace

// ---- formats and the input walk ------------------------------------------

TEST(Format, ParseAndName) {
    for (Format f : {Format::Auto, Format::Text, Format::Jsonl, Format::Csv, Format::Tsv, Format::Sgml, Format::Html})
        EXPECT_EQ(parse_format(format_name(f)), f);
    EXPECT_THROW(parse_format("xml"), trawl::UsageError);
}

TEST(ListInputs, WalksDirectoriesSortedSkippingHiddenAndDocs) {
    const auto inputs = list_inputs({kFixtures + "/text"}, Format::Auto);
    std::vector<std::string> ids;
    for (const auto& in : inputs) {
        ids.push_back(in.id_base);
        EXPECT_EQ(in.format, Format::Text);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"business/001", "tech/002-unicode", "tech/003-title-only"}));
    EXPECT_EQ(inputs[0].path, kFixtures + "/text/business/001.txt");
}

TEST(ListInputs, ResolvesFormatByExtensionThenBySniffing) {
    TempDir dir;
    write_file(dir / "a.jsonl.gz", trawl::test::gzip_compress("{}\n"));
    write_file(dir / "b.ndjson", "{}\n");
    write_file(dir / "c.sgml.zst", trawl::test::zstd_compress("<DOC></DOC>"));
    write_file(dir / "d.trec", "<DOC></DOC>");
    write_file(dir / "e", "Title\n\nBody\n");
    write_file(dir / "f.dat", "  \n{\"_id\": 1}\n");
    write_file(dir / "g.data.zst", trawl::test::zstd_compress("<REUTERS NEWID=\"1\">"));
    write_file(dir / "h.bin", "Just text\n");
    write_file(dir / "sub/i.TXT", "T\n\nB\n");
    write_file(dir / "j.csv.gz", trawl::test::gzip_compress("id,text\n"));
    write_file(dir / "k.TSV", "id\ttext\n");
    write_file(dir / "l.htm", "<p>x</p>");
    write_file(dir / "m.page", "\n  <!-- saved from url=(0014)about:internet -->\n<!DOCTYPE HTML PUBLIC>");
    write_file(dir / "n.zst", trawl::test::zstd_compress("<html><p>x</p></html>"));
    write_file(dir / "o.dat", "\xEF\xBB\xBF<HEAD><TITLE>t</TITLE>");
    write_file(dir / "p.dat", "id,text\n1,\"not guessed\"\n");
    const auto inputs = list_inputs({dir.str()}, Format::Auto);
    std::vector<std::string> got;
    for (const auto& in : inputs) got.push_back(in.id_base + "=" + format_name(in.format));
    EXPECT_EQ(got, (std::vector<std::string>{"a=jsonl", "b=jsonl", "c=sgml", "d=sgml", "e=text", "f=jsonl", "g=sgml",
                                             "h=text", "j=csv", "k=tsv", "l=html", "m=html", "n=html", "o=html",
                                             "p=text", "sub/i=text"}));
    // An explicit format wins over extensions.
    for (const auto& in : list_inputs({dir.str()}, Format::Sgml)) EXPECT_EQ(in.format, Format::Sgml);
}

// A folder given in `exclude` (trawl-index: its own index, inside the folder
// it indexes) is not walked: its stub XAPIANDB was read as an article.
TEST(ListInputs, ExcludedFoldersAreNotWalked) {
    TempDir dir;
    write_file(dir / "news/1.txt", "P\n\nabout pandas\n");
    write_file(dir / "idx/XAPIANDB", "auto shard-0\n");
    write_file(dir / "idx/shard-0/iamglass", "x");
    write_file(dir / "other/idx/kept.txt", "T\n\nkept\n");  // the same name elsewhere is walked
    std::vector<std::string> got;
    for (const auto& in : list_inputs({dir.str()}, Format::Auto, {}, {(dir / "idx").string() + "/"}))
        got.push_back(in.id_base);
    EXPECT_EQ(got, (std::vector<std::string>{"news/1", "other/idx/kept"}));
    got.clear();
    // Through another spelling of the same path too.
    for (const auto& in : list_inputs({(dir / "news/..").string()}, Format::Auto, {}, {(dir / "idx").string()}))
        got.push_back(in.id_base);
    EXPECT_EQ(got, (std::vector<std::string>{"news/1", "other/idx/kept"}));
}

// Another index among the articles (not the one being written) is not
// walked either: its stub and tables are not articles.
TEST(ListInputs, AnyIndexFolderIsNotWalked) {
    TempDir dir;
    write_file(dir / "news/1.txt", "P\n\nabout pandas\n");
    write_file(dir / "old.idx/XAPIANDB", "auto shard-0\n");
    write_file(dir / "old.idx/shard-0/iamglass", "x");
    write_file(dir / "one.idx/iamglass", "x");
    write_file(dir / "one.idx/postlist.glass", "x");
    std::vector<std::string> got;
    for (const auto& in : list_inputs({dir.str()}, Format::Auto, {}, {})) got.push_back(in.id_base);
    EXPECT_EQ(got, (std::vector<std::string>{"news/1"}));
}

// An index given as an input, or a file of one, was read as a corpus: the
// stub of a sharded index (`auto shard-0`, text) became an article
// "XAPIANDB", indexed into the index itself with `--db s.idx s.idx`. It is
// refused, naming it, before anything is read.
TEST(ListInputs, AnIndexGivenAsAnInputIsRefused) {
    TempDir dir;
    write_file(dir / "news/1.txt", "P\n\nabout pandas\n");
    write_file(dir / "s.idx/XAPIANDB", "auto shard-0\n");
    write_file(dir / "s.idx/shard-0/iamglass", "x");
    write_file(dir / "one.idx/iamglass", "x");
    const auto refusal = [&](const std::string& path, const std::vector<std::string>& exclude = {}) {
        try {
            list_inputs({(dir / "news").string(), path}, Format::Auto, {}, exclude);
        } catch (const trawl::InputError& e) {
            return std::string(e.what());
        }
        return std::string("(read)");
    };
    const std::string tail = ", not articles to read: give the files or folders the articles are read from";
    const std::string s = (dir / "s.idx").string(), one = (dir / "one.idx").string();
    EXPECT_EQ(refusal(s), s + ": is an index (a Xapian database)" + tail);
    EXPECT_EQ(refusal(s + "/shard-0"), s + "/shard-0: is an index (a Xapian database)" + tail);
    EXPECT_EQ(refusal(s + "/XAPIANDB"), s + "/XAPIANDB: is a file of an index (a Xapian database)" + tail);
    EXPECT_EQ(refusal(one + "/iamglass"), one + "/iamglass: is a file of an index (a Xapian database)" + tail);
    EXPECT_EQ(refusal(s, {s}), s + ": is the index this run writes (--db)" + tail);
    EXPECT_EQ(refusal(one + "/", {one}), one + "/: is the index this run writes (--db)" + tail);
    // The --db of a new index, an empty folder yet, is refused too.
    fs::create_directories(dir / "new.idx");
    EXPECT_EQ(refusal((dir / "new.idx").string(), {(dir / "new.idx").string()}),
              (dir / "new.idx").string() + ": is the index this run writes (--db)" + tail);
    // A file in a --db folder that is no index yet is the index check's to refuse.
    EXPECT_EQ(list_inputs({(dir / "news/1.txt").string()}, Format::Auto, {}, {(dir / "news").string()}).size(), 1u);
    // A folder holding an index is walked, the index left out.
    std::vector<std::string> got;
    for (const auto& in : list_inputs({dir.str()}, Format::Auto, {}, {s})) got.push_back(in.id_base);
    EXPECT_EQ(got, (std::vector<std::string>{"news/1"}));
}

// A page saved "complete" keeps its scripts, style sheets and images in
// "NAME_files" beside NAME.html: those are not articles (they were indexed,
// a .js or .css file as text). A "_files" folder without its page is walked
// as any folder.
TEST(ListInputs, ASavedPagesAssetFilesAreLeftOut) {
    TempDir dir;
    write_file(dir / "Story.html", "<html><p>The story.</p></html>");
    for (const char* f :
         {"app.js", "style.css", "app.js.map", "logo.svg", "font.woff2", "pic.png", "gtm.js.download", "sub/more.css"})
        write_file(dir / "Story_files" / f, "x");
    write_file(dir / "Story_files/frame.html", "<html><p>A frame.</p></html>");
    write_file(dir / "Story_files/notes.txt", "T\n\nnotes\n");
    write_file(dir / "Lone_files/app.js", "var x;");
    std::vector<std::string> got;
    for (const auto& in : list_inputs({dir.str()}, Format::Auto)) got.push_back(in.id_base);
    EXPECT_EQ(got, (std::vector<std::string>{"Lone_files/app", "Story", "Story_files/frame", "Story_files/notes"}));
}

TEST(ListInputs, FileGivenDirectlyUsesItsNameAsIdBase) {
    const auto inputs =
        list_inputs({kFixtures + "/text/tech/002-unicode.txt", kFixtures + "/reuters.sgm"}, Format::Auto);
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs[0].id_base, "002-unicode");
    EXPECT_EQ(inputs[0].format, Format::Text);
    EXPECT_EQ(inputs[1].id_base, "reuters");
    EXPECT_EQ(inputs[1].format, Format::Sgml);
}

TEST(ListInputs, MissingPathThrowsInputError) {
    EXPECT_THROW(list_inputs({kFixtures + "/does-not-exist"}, Format::Auto), trawl::InputError);
    Diagnostics diag;
    try {
        open_corpus({kFixtures + "/text", kFixtures + "/nope.jsonl"}, {}, diag);
        FAIL() << "expected InputError";
    } catch (const trawl::InputError& e) {
        EXPECT_EQ(e.file, kFixtures + "/nope.jsonl");
        EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos);
    }
}

TEST(ListInputs, AnEntryTheWalkCannotUseIsSkippedAndCountedNotFatal) {
    TempDir dir;
    const std::string in = (dir / "in").string();
    write_file(dir / "in/a.txt", "A\n\nFirst.\n");
    write_file(dir / "in/z.txt", "Z\n\nLast.\n");
    fs::create_symlink("loop-b", dir / "in/loop-a");  // each points at the other
    fs::create_symlink("loop-a", dir / "in/loop-b");
    fs::create_symlink("missing.txt", dir / "in/dangling.txt");
    // A link to a folder is not followed, and said so when it leads out of
    // the walk: it was passed over without a word, its articles lost
    // silently. One within the walk is walked where it is.
    write_file(dir / "elsewhere/b.txt", "B\n\nElsewhere.\n");
    fs::create_directory_symlink(dir / "elsewhere", dir / "in/linked");
    fs::create_directory_symlink(".", dir / "in/self");
    std::vector<std::string> got;
    for (const auto& i : list_inputs({in}, Format::Auto)) got.push_back(i.id_base + ": " + i.unreadable);
    EXPECT_EQ(got, (std::vector<std::string>{"a: ", "dangling: cannot follow symbolic link: No such file or directory",
                                             "linked: a symbolic link to a folder, not followed; give it by name to "
                                             "read it",
                                             "loop-a: cannot follow symbolic link: Too many levels of symbolic links",
                                             "loop-b: cannot follow symbolic link: Too many levels of symbolic links",
                                             "z: "}));
    const ReadResult run = read_corpus({in});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a", "z"}));
    EXPECT_EQ(
        run.skip_messages(),
        (std::vector<std::string>{
            in + "/dangling.txt: skipped: unreadable input (cannot follow symbolic link: No such file or directory)",
            in + "/linked: skipped: unreadable input (a symbolic link to a folder, not followed; give it by name to "
                 "read it)",
            in + "/loop-a: skipped: unreadable input (cannot follow symbolic link: Too many levels of symbolic links)",
            in + "/loop-b: skipped: unreadable input (cannot follow symbolic link: Too many levels of symbolic "
                 "links)"}));
    EXPECT_EQ(run.skipped_by_reason, (std::map<std::string, std::uint64_t>{{"unreadable input", 4}}));
    // Given by name, the folder it links to is read.
    EXPECT_EQ(read_corpus({in + "/linked"}).ids(), std::vector<std::string>{"b"});
}

TEST(ListInputs, StdinNeedsAnExplicitFormat) {
    EXPECT_THROW(list_inputs({"-"}, Format::Auto), trawl::UsageError);
    const auto inputs = list_inputs({"-"}, Format::Jsonl);
    ASSERT_EQ(inputs.size(), 1u);
    EXPECT_EQ(inputs[0].path, "-");
    EXPECT_EQ(inputs[0].format, Format::Jsonl);
}

// ---- text -----------------------------------------------------------------

TEST(TextReader, ReadsTitleAndParagraphsOfAFolder) {
    const ReadResult run = read_corpus({kFixtures + "/text"});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"business/001", "tech/002-unicode", "tech/003-title-only"}));
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "Ad sales boost quarterly profit");
    EXPECT_EQ(a.body,
              "Quarterly profits at the media group jumped 76% to $1.13bn for the three months to December.\n\n"
              "The firm, which is now one of the biggest investors in search, benefited from sales of high-speed "
              "connections.");
    EXPECT_EQ(a.source, "business");
    EXPECT_EQ(a.location, kFixtures + "/text/business/001.txt");
    // CRLF line endings and non-ASCII text.
    const Article& u = run.articles[1];
    EXPECT_EQ(u.title,
              "Z\xC3\xBCrich caf\xC3\xA9 prices \xE2\x80\x94 na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 of "
              "\xE6\x9D\xB1\xE4\xBA\xAC markets");
    EXPECT_EQ(
        u.body,
        "Prices in Z\xC3\xBCrich rose 3%. Caf\xC3\xA9s were busy.\n\nAnalysts in \xE6\x9D\xB1\xE4\xBA\xAC disagreed.");
    // The title-only file is read (and indexed title-only).
    EXPECT_EQ(run.articles[2].title, "A headline with no story");
    EXPECT_EQ(run.articles[2].body, "");
    EXPECT_EQ(run.skipped, 0u);
    EXPECT_TRUE(run.diags.empty());
}

// A file with old Mac line ends (a lone CR) has its first line as the
// title and its paragraphs, as with LF and CR-LF: it was read as one line,
// the whole text the title and no body.
TEST(TextReader, ALoneCrIsALineBreakAsALfAndACrLfAre) {
    TempDir dir;
    const std::string text =
        "Oil prices rise\n\nCrude oil prices rose sharply on Monday.\nTraders said supply was tight.\n\n"
        "The second paragraph talks about gas and coal markets in Europe.\n";
    std::string cr = text, crlf;
    std::replace(cr.begin(), cr.end(), '\n', '\r');
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    write_file(dir / "cr.txt", cr);
    write_file(dir / "crlf.txt", crlf);
    write_file(dir / "lf.txt", text);
    const ReadResult run = read_corpus({dir.str()});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"cr", "crlf", "lf"}));
    for (const Article& a : run.articles) {
        EXPECT_EQ(a.title, "Oil prices rise") << a.id;
        EXPECT_EQ(a.body,
                  "Crude oil prices rose sharply on Monday. Traders said supply was tight.\n\n"
                  "The second paragraph talks about gas and coal markets in Europe.")
            << a.id;
    }
    EXPECT_TRUE(run.diags.empty());
}

TEST(TextReader, InvalidUtf8IsRepairedWithAWarning) {
    TempDir dir;
    write_file(dir / "news/latin1.txt",
               "Caf\xE9 owners\n\nPrices rose to \xA3"
               "5.\nA \x93quote\x94.\n");
    const ReadResult run = read_corpus({dir.str()});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].id, "news/latin1");
    EXPECT_EQ(run.articles[0].title, "Caf\xC3\xA9 owners");
    EXPECT_EQ(run.articles[0].body,
              "Prices rose to \xC2\xA3"
              "5. A \xE2\x80\x9Cquote\xE2\x80\x9D.");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(run.diags[0].severity, Severity::Warning);
    EXPECT_EQ(run.diags[0].reason, "invalid UTF-8 repaired");
    EXPECT_EQ(run.diags[0].line, 1u);
}

// Control characters are spaces: a form feed between two pages glued the
// words either side into one ("lionspage"), and valid UTF-8 with a raw \f,
// \v, BEL, ESC or NUL was reported as "invalid UTF-8 repaired".
TEST(TextReader, ControlCharactersAreSpacesWithAWarningNamingTheLine) {
    TempDir dir;
    const std::string path = (dir / "ff.txt").string();
    write_file(path, std::string("Pages\n\npage one about lions\fpage two\vabout\x07tigers\n\x1b[1mbold\0end\n", 63));
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body, "page one about lions page two about tigers [1mbold end");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]), path + ":3: warning: control characters replaced by spaces");
}

TEST(JsonlReader, AnEscapedFormFeedSeparatesWords) {
    TempDir dir;
    const std::string path = (dir / "ff.jsonl").string();
    write_file(path,
               "{\"id\":\"ok\",\"text\":\"plain\"}\n"
               "{\"id\":\"ff\",\"title\":\"A\\u0007B\",\"text\":\"page one about lions\\fpage two about tigers\"}\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[1].body, "page one about lions page two about tigers");
    EXPECT_EQ(run.articles[1].title, "A B");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]), path + ":2: warning: control characters replaced by spaces (id ff)");
}

// Control characters become spaces in the text, never in an id: "a\u0001b"
// made "a b" took the place of another record's article.
TEST(JsonlReader, AControlCharacterInAnIdIsKeptSoIdsStayApart) {
    TempDir dir;
    const std::string path = (dir / "cc.jsonl").string();
    write_file(path,
               "{\"id\":\"a\\u0001b\",\"text\":\"walrus here\"}\n"
               "{\"id\":\"a b\",\"text\":\"narwhal\"}\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[0].id, std::string("a\x01"
                                              "b"));
    EXPECT_EQ(run.articles[1].id, "a b");
    EXPECT_TRUE(run.diags.empty());
}

// A .json file holding one array, or pretty-printed objects, is not JSON
// Lines: one clear message for the file (it was one "invalid JSON" per line,
// with the odd element that fitted on a line indexed).
TEST(JsonlReader, AJsonArrayOrAPrettyPrintedFileIsOneMessageNotHalfIndexed) {
    TempDir dir;
    const std::string arr = (dir / "arr.json").string(), pretty = (dir / "pretty.json").string();
    write_file(arr, "[\n{\"id\":\"j1\",\"text\":\"llamas\"},\n{\"id\":\"j2\",\"text\":\"alpacas\"}\n]\n");
    write_file(pretty, "\n{\n  \"id\": \"p1\",\n  \"text\": \"llamas\"\n}\n");
    ReadResult run = read_corpus({arr});
    EXPECT_TRUE(run.articles.empty());
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              arr +
                  ":1: skipped: not JSON Lines (a JSON array; one object per line is read: convert it with jq -c "
                  "'.[]' FILE)");
    run = read_corpus({pretty});
    EXPECT_TRUE(run.articles.empty());
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_NE(
        format_diagnostic(run.diags[0]).find(pretty + ":2: skipped: not JSON Lines (a JSON object over several lines"),
        std::string::npos)
        << format_diagnostic(run.diags[0]);
    // JSON Lines that start with an object on its line are read as before.
    write_file(arr, "{\"id\":\"j1\",\"text\":\"llamas\"}\n");
    EXPECT_EQ(read_corpus({arr}).articles.size(), 1u);
}

TEST(TextReader, EmptyAndBlankFilesAreSkipped) {
    TempDir dir;
    write_file(dir / "empty.txt", "");
    write_file(dir / "blank.txt", "\n \n\t\n");
    const ReadResult run = read_corpus({dir.str()});
    EXPECT_TRUE(run.articles.empty());
    EXPECT_EQ(run.skipped_by_reason, (std::map<std::string, std::uint64_t>{{"empty file", 1}, {"empty text", 1}}));
}

TEST(TextReader, CompressedCopiesReadTheSame) {
    TempDir dir;
    const std::string text = trawl::test::read_file(kFixtures + "/text/business/001.txt");
    write_file(dir / "z/001.txt.zst", trawl::test::zstd_compress(text));
    write_file(dir / "z/002.txt.gz", trawl::test::gzip_compress(text));
    const ReadResult run = read_corpus({(dir / "z").string()});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"001", "002"}));
    const ReadResult plain = read_corpus({kFixtures + "/text/business/001.txt"});
    ASSERT_EQ(plain.articles.size(), 1u);
    for (const auto& a : run.articles) {
        EXPECT_EQ(a.title, plain.articles[0].title);
        EXPECT_EQ(a.body, plain.articles[0].body);
    }
}

// ---- JSONL ----------------------------------------------------------------

TEST(JsonlReader, ReadsRecordsAndReportsBadLinesWithLineNumbers) {
    const std::string path = kFixtures + "/articles.jsonl";
    const ReadResult run = read_corpus({path});
    check_jsonl_fixture(run, path);
    for (const auto& d : run.diags) EXPECT_EQ(d.file, path);
}

// JSON fields of another type than expected: an id that is neither a string
// nor an integer is said to be one (it was "missing id"); an integer id is its
// decimal text; a number as the date is read as its digits, and one that is
// no date is warned about (it was dropped silently), as is a title that is
// not text; a number as the title is its text (it was dropped).
TEST(JsonlReader, FieldsOfAnotherTypeAreReadOrReported) {
    TempDir dir;
    const std::string path = (dir / "t.jsonl").string();
    write_file(path,
               "{\"id\":1.5,\"text\":\"a\"}\n"
               "{\"id\":true,\"text\":\"b\"}\n"
               "{\"id\":-7,\"title\":2024,\"text\":\"c\",\"date\":20220103}\n"
               "{\"id\":\"d\",\"title\":{\"x\":1},\"text\":\"d\",\"date\":1700000000}\n"
               "{\"id\":\"e\",\"text\":\"e\",\"date\":2022.5,\"title\":null}\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"-7", "d", "e"}));
    EXPECT_EQ(run.articles[0].title, "2024");
    EXPECT_EQ(run.articles[0].date, "2022-01-03");
    EXPECT_EQ(run.articles[1].title, "");
    EXPECT_EQ(run.articles[1].date, "");
    std::vector<std::string> messages;
    for (const auto& d : run.diags) messages.push_back(format_diagnostic(d));
    EXPECT_EQ(messages, (std::vector<std::string>{
                            path + ":1: skipped: invalid id (id must be a string or an integer, not number 1.5)",
                            path + ":2: skipped: invalid id (id must be a string or an integer, not boolean true)",
                            path + ":4: warning: title ignored (id d: not a string or a number but object)",
                            path + ":4: warning: unparsable date (id d: number 1700000000)",
                            path + ":5: warning: unparsable date (id e: number 2022.5)"}));
}

TEST(JsonlReader, CompressedCopiesReadTheSame) {
    TempDir dir;
    const std::string text = trawl::test::read_file(kFixtures + "/articles.jsonl");
    write_file(dir / "a.jsonl.zst", trawl::test::zstd_compress(text));
    write_file(dir / "b.jsonl.gz", trawl::test::gzip_compress(text));
    check_jsonl_fixture(read_corpus({(dir / "a.jsonl.zst").string()}), (dir / "a.jsonl.zst").string());
    check_jsonl_fixture(read_corpus({(dir / "b.jsonl.gz").string()}), (dir / "b.jsonl.gz").string());
}

TEST(JsonlReader, CustomFieldNamesCrLfAndInvalidUtf8) {
    TempDir dir;
    write_file(dir / "c.json",
               "{\"docid\": 7, \"headline\": \"Caf\xE9\", \"content\": \"Body\\n\\nsecond\"}\r\n"
               "\r\n"
               "{\"docid\": \"x\", \"headline\": \"H\", \"content\": \"ok\"}\r\n");
    ReaderOptions opts;
    opts.fields.id = "docid";
    opts.fields.title = "headline";
    opts.fields.text = "content";
    const ReadResult run = read_corpus({(dir / "c.json").string()}, opts);
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"7", "x"}));
    EXPECT_EQ(run.articles[0].title, "Caf\xC3\xA9");
    EXPECT_EQ(run.articles[0].body, "Body\n\nsecond");
    EXPECT_EQ(run.articles[1].location, (dir / "c.json").string() + ":3");
    EXPECT_EQ(run.skipped, 0u);
    EXPECT_EQ(run.warnings, 1u);
}

// A text that is null says there is none, as "" does: the record is read
// title-only (a red-team review found it skipped as "missing text"). A text
// of another type is an invalid text, not a missing one; a record without
// the field stays skipped (a misnamed field must not index every title).
// JSON Lines with old Mac line ends: a lone CR ends a record's line, as in
// any text. An escaped CR ("\r") in a text is a line break there: two make a
// paragraph break. A raw one inside a string (which JSON does not allow)
// ends the line too: the record's two parts are skipped as invalid JSON, and
// the records after them are read.
TEST(JsonlReader, ALoneCrEndsARecordsLine) {
    TempDir dir;
    const std::string path = (dir / "mac.jsonl").string();
    write_file(path,
               "{\"_id\": \"1\", \"title\": \"One\", \"text\": \"Para one.\\r\\rPara two.\\rStill two.\"}\r"
               "{\"_id\": \"2\", \"text\": \"raw\rCR\"}\r"
               "{\"_id\": \"3\", \"text\": \"Three.\"}\r");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"1", "3"}));
    EXPECT_EQ(run.articles[0].title, "One");
    EXPECT_EQ(run.articles[0].body, "Para one.\n\nPara two. Still two.");
    EXPECT_EQ(run.articles[0].location, path + ":1");
    EXPECT_EQ(run.articles[1].location, path + ":4");
    EXPECT_EQ(run.skips(), (std::vector<std::string>{"2: invalid JSON", "3: invalid JSON"}));
    EXPECT_EQ(run.diags.size(), 2u);
}

TEST(JsonlReader, NullTextIsNoTextAndAnotherTypeIsInvalid) {
    TempDir dir;
    const std::string path = (dir / "t.jsonl").string();
    write_file(path,
               "{\"_id\": \"n\", \"title\": \"Null text\", \"text\": null}\n"
               "{\"_id\": \"a\", \"title\": \"Array text\", \"text\": [\"x\"]}\n"
               "{\"_id\": \"o\", \"title\": \"Object text\", \"text\": {\"p\": \"x\"}}\n"
               "{\"_id\": \"m\", \"title\": \"No text field\"}\n"
               "{\"_id\": \"e\", \"text\": null}\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.ids(), std::vector<std::string>{"n"});
    EXPECT_EQ(run.articles[0].title, "Null text");
    EXPECT_EQ(run.articles[0].body, "");
    EXPECT_EQ(run.skips(),
              (std::vector<std::string>{"2: invalid text", "3: invalid text", "4: missing text", "5: empty text"}));
}

TEST(JsonlReader, FieldsAreAutoDetectedPerRecordUnlessNamed) {
    TempDir dir;
    const std::string path = (dir / "news.jsonl").string();
    write_file(
        path,
        "{\"DocId\": \"a\", \"Headline\": \"H1\", \"story\": \"Story text.\", \"published_at\": "
        "\"2022-01-03T10:00:00+01:00\", \"Publisher\": \"Daily\"}\n"
        "{\"id\": \"b\", \"_id\": \"ignored\", \"title\": \"T2\", \"body\": \"Body text.\", \"text\": \"Text wins.\", "
        "\"date\": \"yesterday\", \"section\": \"World\"}\n"
        "{\"uuid\": \"c\", \"content\": \"Content.\", \"pubdate\": \"Mon, 03 Jan 2022 10:00:00 GMT\"}\n"
        "{\"title\": \"no id\", \"text\": \"x\"}\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(run.articles[0].title, "H1");
    EXPECT_EQ(run.articles[0].body, "Story text.");
    EXPECT_EQ(run.articles[0].date, "2022-01-03T09:00:00");
    EXPECT_EQ(run.articles[0].source, "Daily");
    EXPECT_EQ(run.articles[1].body, "Text wins.");
    EXPECT_EQ(run.articles[1].date, "");
    EXPECT_EQ(run.articles[1].source, "World");
    EXPECT_EQ(run.articles[2].date, "2022-01-03T10:00:00");
    EXPECT_EQ(run.skips(), std::vector<std::string>{"4: missing id"});
    ASSERT_EQ(run.warnings, 1u);
    const Diagnostic& w = run.diags[0];
    EXPECT_EQ(w.reason, "unparsable date");
    EXPECT_EQ(w.line, 2u);
    EXPECT_EQ(w.detail, "id b: yesterday");
    // A named field replaces the auto-detection: "body" now, and only "body".
    ReaderOptions opts;
    opts.fields.text = "body";
    const ReadResult named = read_corpus({path}, opts);
    EXPECT_EQ(named.ids(), std::vector<std::string>{"b"});
    EXPECT_EQ(named.articles[0].body, "Body text.");
}

TEST(JsonlReader, NumberTooLargeForADoubleIsInvalidJsonNotACrash) {
    // Found by fuzz_jsonl: nlohmann::json throws out_of_range (not parse_error) here.
    TempDir dir;
    write_file(dir / "big.jsonl",
               "{\"_id\": \"a\", \"text\": \"kept\"}\n"
               "{\"_id\": \"b\", \"text\": \"lost\", \"score\": 1e400}\n"
               "{\"_id\": \"c\", \"text\": \"kept too\"}\n");
    const ReadResult run = read_corpus({(dir / "big.jsonl").string()});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"a", "c"}));
    EXPECT_EQ(run.skips(), (std::vector<std::string>{"2: invalid JSON"}));
}

TEST(JsonlReader, TruncatedCompressedInputThrowsFromTheFileReader) {
    TempDir dir;
    std::string text;
    for (int i = 0; i < 5000; ++i)
        text += "{\"_id\": " + std::to_string(i) + ", \"text\": \"body number " + std::to_string(i * 7919) + "\"}\n";
    const std::string zst = trawl::test::zstd_compress(text);
    const std::string path = (dir / "cut.jsonl.zst").string();
    write_file(path, zst.substr(0, zst.size() - 10));
    Diagnostics diag;
    auto reader = open_jsonl_reader(path, {}, diag);  // open_corpus skips the rest instead: hostile_input_test
    Article a;
    try {
        while (reader->next(a)) {
        }
        FAIL() << "expected InputError";
    } catch (const trawl::InputError& e) {
        EXPECT_EQ(e.file, path);
        EXPECT_NE(std::string(e.what()).find("unexpected end of zstd stream"), std::string::npos);
    }
}

// ---- SGML -----------------------------------------------------------------

TEST(SgmlReader, ReadsTrecRecords) {
    const std::string path = kFixtures + "/trec.sgml";
    const ReadResult run = read_corpus({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"FT911-1", "FT911-2", "FT911-4", "FT911-5"}));
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "Markets & money: a quiet week");
    EXPECT_EQ(a.date, "1994-01-01");
    EXPECT_EQ(a.source, "") << "TREC records do not say who published them";
    EXPECT_EQ(a.body, "Shares were flat <on average> in thin trading.\n\nBond yields fell.");
    EXPECT_EQ(a.location, path + ":1");
    EXPECT_EQ(run.articles[1].title, "Lower-case tags");
    EXPECT_EQ(run.articles[1].body, "Tags may be lower case. Caf\xC3\xA9 \xE2\x98\xBA");
    EXPECT_EQ(run.articles[2].body, "Two records on one line.");
    EXPECT_EQ(run.articles[3].body, "Second one.");
    EXPECT_EQ(run.articles[3].location, path + ":25");
    EXPECT_EQ(run.skips(), (std::vector<std::string>{"21: missing id", "26: truncated record"}));
}

// The headline tags of the other TREC news collections: WSJ's <HL> (its
// byline after a "----" line), AP's <HEAD> (the first). They were not read:
// such records were indexed without a title.
TEST(SgmlReader, WsjAndApHeadlinesAreTitles) {
    TempDir dir;
    const std::string path = (dir / "trec.sgml").string();
    write_file(path,
               "<DOC>\n<DOCNO> WSJ870324-0001 </DOCNO>\n<HL> John Blair Is Near Accord\n   ----\n   By A Reporter "
               "</HL>\n<TEXT>\nJohn Blair &amp; Co. is close to an agreement.\n</TEXT>\n</DOC>\n"
               "<DOC>\n<DOCNO> AP880212-0001 </DOCNO>\n<HEAD>Reports Former Saigon Officials Released</HEAD>\n"
               "<HEAD>Eds: Should read</HEAD>\n<TEXT>\nThe officials were released.\n</TEXT>\n</DOC>\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"WSJ870324-0001", "AP880212-0001"}));
    EXPECT_EQ(run.articles[0].title, "John Blair Is Near Accord");
    EXPECT_EQ(run.articles[0].body, "John Blair & Co. is close to an agreement.");
    EXPECT_EQ(run.articles[1].title, "Reports Former Saigon Officials Released");
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});
}

TEST(SgmlReader, ReadsReutersRecords) {
    const ReadResult run = read_corpus({kFixtures + "/reuters.sgm"});
    check_reuters_fixture(run);
    EXPECT_EQ(run.articles[0].location, kFixtures + "/reuters.sgm:2");
}

TEST(SgmlReader, CompressedCopiesReadTheSame) {
    TempDir dir;
    const std::string text = trawl::test::read_file(kFixtures + "/reuters.sgm");
    write_file(dir / "r.sgm.zst", trawl::test::zstd_compress(text));
    write_file(dir / "r.sgm.gz", trawl::test::gzip_compress(text));
    check_reuters_fixture(read_corpus({(dir / "r.sgm.zst").string()}));
    check_reuters_fixture(read_corpus({(dir / "r.sgm.gz").string()}));
}

TEST(SgmlReader, UnclosedRecordFollowedByAnotherIsTruncated) {
    TempDir dir;
    write_file(dir / "x.sgml",
               "<DOC>\n<DOCNO>A</DOCNO>\n<TEXT>never closed\n"
               "<DOC>\n<DOCNO>B</DOCNO>\n<TEXT>fine</TEXT>\n</DOC>\n");
    const ReadResult run = read_corpus({(dir / "x.sgml").string()});
    EXPECT_EQ(run.ids(), std::vector<std::string>{"B"});
    EXPECT_EQ(run.skips(), std::vector<std::string>{"1: truncated record"});
}

TEST(SgmlReader, InvalidUtf8IsRepairedWithAWarning) {
    TempDir dir;
    write_file(dir / "x.sgm",
               "<REUTERS NEWID=\"9\">\n<DATE>5-MAR-1987 10:00:00.00</DATE>\n<TEXT><TITLE>T</TITLE>"
               "<BODY>growth.\xFC side measures\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n");
    const ReadResult run = read_corpus({(dir / "x.sgm").string()});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body, "growth.\xC3\xBC side measures");
    EXPECT_EQ(run.articles[0].date, "1987-03-05T10:00:00");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(run.diags[0].severity, Severity::Warning);
    EXPECT_EQ(run.diags[0].line, 3u);
}

TEST(SgmlReader, ReutersSignOffVariantsAreStripped) {
    TempDir dir;
    auto record = [](int id, const std::string& body) {
        return "<REUTERS NEWID=\"" + std::to_string(id) + "\">\n<TEXT><TITLE>T</TITLE><BODY>" + body +
               "\n&#3;</BODY></TEXT>\n</REUTERS>\n";
    };
    write_file(dir / "s.sgm", record(1, "First line.\n REUTER...^M\n") + record(2, "Said so. Reuter\n Reuter") +
                                  record(3, "Table 19.3 (19.6) REUTER^M") + record(4, "Spoke to Reuters\n REUTERS") +
                                  record(5, "Paragraph one\ncontinues.\n    Paragraph two.\n reuter"));
    const ReadResult run = read_corpus({(dir / "s.sgm").string()});
    std::vector<std::string> bodies;
    for (const auto& a : run.articles) bodies.push_back(a.body);
    EXPECT_EQ(bodies, (std::vector<std::string>{"First line.", "Said so.", "Table 19.3 (19.6)", "Spoke to Reuters",
                                                "Paragraph one continues.\n\nParagraph two."}));
}

TEST(SgmlReader, EntitiesAreDecodedAndUnknownOnesKept) {
    TempDir dir;
    write_file(dir / "e.sgml",
               "<DOC>\n<DOCNO> E1 </DOCNO>\n<HEADLINE>Caf&eacute; &amp; bar &mdash; &#8220;open&#x201D;</HEADLINE>\n"
               "<TEXT>\nPrices &lt;up&gt; 5&#37; at the caf&#233;; &notanentity; &#xFFFFFFF; &amp\n</TEXT>\n</DOC>\n");
    const ReadResult run = read_corpus({(dir / "e.sgml").string()});
    ASSERT_EQ(run.ids(), std::vector<std::string>{"E1"});
    EXPECT_EQ(run.articles[0].title, "Caf\xC3\xA9 & bar \xE2\x80\x94 \xE2\x80\x9Copen\xE2\x80\x9D");
    EXPECT_EQ(run.articles[0].body, "Prices <up> 5% at the caf\xC3\xA9; &notanentity; &#xFFFFFFF; &amp");
}

// A TREC record may hold several <TEXT> blocks: each is read, as a paragraph
// of its own (only the first was; the others' words were never indexed).
TEST(SgmlReader, EveryTextBlockOfATrecRecordIsRead) {
    TempDir dir;
    write_file(dir / "two.trec",
               "<DOC>\n<DOCNO>W1</DOCNO>\n<TEXT>\nFirst about belugas.\n</TEXT>\n<TEXT>\nSecond about orcas.\n</TEXT>\n"
               "<TEXT></TEXT>\n<TEXT TYPE=\"x\">Third.</TEXT>\n</DOC>\n");
    const ReadResult run = read_corpus({(dir / "two.trec").string()});
    ASSERT_EQ(run.ids(), std::vector<std::string>{"W1"});
    EXPECT_EQ(run.articles[0].body, "First about belugas.\n\nSecond about orcas.\n\nThird.");
}

TEST(SgmlReader, RecordCutOffAtTheEndOfTheFileIsTruncated) {
    TempDir dir;
    const std::string path = (dir / "cut.sgm").string();
    write_file(path,
               "<REUTERS NEWID=\"1\">\n<TEXT><TITLE>A</TITLE><BODY>Complete.</BODY></TEXT>\n</REUTERS>\n"
               "<REUTERS NEWID=\"2\">\n<TEXT><TITLE>B</TITLE><BODY>The file stops in the mid");
    const ReadResult run = read_corpus({path});
    EXPECT_EQ(run.ids(), std::vector<std::string>{"1"});
    EXPECT_EQ(run.skips(), std::vector<std::string>{"4: truncated record"});
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]), path + ":4: skipped: truncated record (no closing tag)");
}

// A file read as SGML that holds no <DOC> or <REUTERS> record (an RSS feed,
// markup that is not a record format) is one skip naming the file, not nothing.
TEST(SgmlReader, FileWithoutRecordsIsOneSkipNamingIt) {
    TempDir dir;
    const std::string feed = (dir / "feed.xml").string(), note = (dir / "update").string();
    write_file(feed,
               "<?xml version=\"1.0\"?>\n<rss><channel><item><title>Rss item</title>"
               "<description>About a koala.</description></item></channel></rss>\n");
    write_file(note, "<b>Update:</b> the bridge reopened on Monday.\n\nTraffic is normal again.\n");
    write_file(dir / "ok.trec", "<DOC>\n<DOCNO>d1</DOCNO>\n<TEXT>A record.</TEXT>\n</DOC>\n");
    const ReadResult run = read_corpus({feed, note, (dir / "ok.trec").string()});
    EXPECT_EQ(run.ids(), std::vector<std::string>{"d1"});
    EXPECT_EQ(run.skip_messages(),
              (std::vector<std::string>{feed + ": skipped: no records (read as SGML: no <DOC> or <REUTERS> records)",
                                        note + ": skipped: no records (read as SGML: no <DOC> or <REUTERS> records)"}));
    EXPECT_EQ(run.skipped_by_reason, (std::map<std::string, std::uint64_t>{{"no records", 2}}));
    // A file whose records were all skipped for their own reasons is not reported again.
    write_file(dir / "bad.trec", "<DOC>\n<TEXT>No DOCNO.</TEXT>\n</DOC>\n");
    EXPECT_EQ(read_corpus({(dir / "bad.trec").string()}).skips(), std::vector<std::string>{"1: missing id"});
}

// Between Reuters records, a comment, a processing instruction and a
// DOCTYPE (its subset's comments and entity values too) are passed over with
// all they hold: a record within them is no record, as SGML reads it. On
// their own lines and on a record's lines; named by extension and sniffed.
TEST(SgmlReader, AReutersRecordWithinACommentOrADoctypeIsNoRecord) {
    TempDir dir;
    auto record = [](int id, const std::string& title, const std::string& body) {
        return "<REUTERS NEWID=\"" + std::to_string(id) + "\">\n<DATE>5-MAR-1987 10:00:00.00</DATE>\n<TEXT><TITLE>" +
               title + "</TITLE><BODY>" + body + "\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>";
    };
    // Each record takes six lines, its closing tag not ended by a newline.
    const std::string text =
        "<!DOCTYPE lewis SYSTEM \"lewis.dtd\" [\n"        // 1
        "  <!-- an example: <REUTERS NEWID=\"8\"> -->\n"  // 2
        "  <!ENTITY sample \"<REUTERS NEWID='10'>\">\n"   // 3
        "]>\n" +                                          // 4
        record(1, "Cocoa talks", "Cocoa talks resumed.") +
        "\n" +                                                       // 5-10
        "<!-- a record withdrawn:\n" +                               // 11
        record(9, "Withdrawn", "Withdrawn story.") + "\n" +          // 12-17
        "-->\n" +                                                    // 18
        record(2, "Tin prices", "Tin prices rose.") +                // 19-24
        "<!-- " + record(7, "Seven", "Seven.") + " -->" +            // 24-29
        record(3, "Sugar crop", "The sugar crop is late.") + "\n" +  // 29-34
        "<?pi " + record(5, "Five", "Five.") + " ?>\n";              // 35-40
    write_file(dir / "r.sgm", text);
    write_file(dir / "r", text);  // sniffed: the DOCTYPE passed over, a record follows
    for (const std::string name : {"r.sgm", "r"}) {
        const std::string path = (dir / name).string();
        const ReadResult run = read_corpus({path});
        EXPECT_EQ(run.ids(), (std::vector<std::string>{"1", "2", "3"})) << name;
        ASSERT_EQ(run.articles.size(), 3u) << name;
        EXPECT_EQ(run.articles[0].title, "Cocoa talks");
        EXPECT_EQ(run.articles[0].body, "Cocoa talks resumed.");
        EXPECT_EQ(run.articles[0].date, "1987-03-05T10:00:00");
        EXPECT_EQ(run.articles[0].source, "reuters");
        EXPECT_EQ(run.articles[0].location, path + ":5");
        EXPECT_EQ(run.articles[1].title, "Tin prices");
        EXPECT_EQ(run.articles[1].body, "Tin prices rose.");
        EXPECT_EQ(run.articles[1].location, path + ":19");
        EXPECT_EQ(run.articles[2].title, "Sugar crop");
        EXPECT_EQ(run.articles[2].body, "The sugar crop is late.");
        EXPECT_EQ(run.articles[2].location, path + ":29");
        EXPECT_EQ(run.skip_messages(), std::vector<std::string>{}) << name;
        EXPECT_EQ(run.warnings, 0u) << name;
    }
}

// The same in a TREC file: a DOCTYPE whose quoted public id holds "<DOC>", a
// <DOC> record commented out between two records, an XML declaration.
TEST(SgmlReader, ATrecRecordWithinACommentOrADoctypeIsNoRecord) {
    TempDir dir;
    const std::string path = (dir / "t.trec").string();
    write_file(path,
               "<?xml version=\"1.0\"?>\n"                                                           // 1
               "<!DOCTYPE trec PUBLIC \"-//NIST//DTD <DOC> records//EN\" 'trec.dtd'>\n"              // 2
               "<DOC>\n<DOCNO>FT-1</DOCNO>\n<HEADLINE>Belugas</HEADLINE>\n"                          // 3-5
               "<TEXT>Belugas sing.</TEXT>\n</DOC>\n"                                                // 6-7
               "<!--\n<DOC>\n<DOCNO>FT-9</DOCNO>\n<TEXT>Withdrawn.</TEXT>\n</DOC>\n-->\n"            // 8-13
               "<DOC>\n<DOCNO>FT-2</DOCNO>\n<HEADLINE>Orcas</HEADLINE>\n<TEXT>Orcas hunt.</TEXT>\n"  // 14-17
               "</DOC>\n");                                                                          // 18
    const ReadResult run = read_corpus({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"FT-1", "FT-2"}));
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[0].title, "Belugas");
    EXPECT_EQ(run.articles[0].body, "Belugas sing.");
    EXPECT_EQ(run.articles[0].location, path + ":3");
    EXPECT_EQ(run.articles[1].title, "Orcas");
    EXPECT_EQ(run.articles[1].body, "Orcas hunt.");
    EXPECT_EQ(run.articles[1].location, path + ":14");
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});
    EXPECT_EQ(run.warnings, 0u);
}

// Markup left open between records goes on to the end of the file, as SGML
// reads it: it is reported where it starts (as the WikiExtractor reader
// does), with the records it took in, which are not read; a file whose
// records it all took in is not also "no records". A record among a DOCTYPE's
// own declarations, where no element can start, ends the DOCTYPE left open,
// which is reported, and is read.
TEST(SgmlReader, MarkupLeftOpenIsReportedWithTheRecordsItTookIn) {
    TempDir dir;
    const std::string comment = (dir / "comment.sgm").string();
    write_file(comment,
               "<REUTERS NEWID=\"1\">\n<TEXT><TITLE>One</TITLE><BODY>First.</BODY></TEXT>\n</REUTERS>\n"   // 1-3
               "<!-- a comment never closed\n"                                                             // 4
               "<REUTERS NEWID=\"2\">\n<TEXT><TITLE>Two</TITLE><BODY>Second.</BODY></TEXT>\n</REUTERS>\n"  // 5-7
               "<REUTERS NEWID=\"3\"><TEXT><TITLE>Three</TITLE></TEXT></REUTERS>\n");                      // 8
    ReadResult run = read_corpus({comment});
    EXPECT_EQ(run.ids(), std::vector<std::string>{"1"});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].title, "One");
    EXPECT_EQ(run.articles[0].body, "First.");
    EXPECT_EQ(
        run.skip_messages(),
        std::vector<std::string>{comment + ":4: skipped: text outside a record (<!-- without -->; 2 records in it not "
                                           "read)"});

    const std::string all = (dir / "all.trec").string();
    write_file(all, "<?pi never closed\n<DOC>\n<DOCNO>d1</DOCNO>\n<TEXT>Taken in.</TEXT>\n</DOC>\n");
    run = read_corpus({all});
    EXPECT_EQ(run.ids(), std::vector<std::string>{});
    EXPECT_EQ(
        run.skip_messages(),
        std::vector<std::string>{all + ":1: skipped: text outside a record (<? without ?>; 1 record in it not read)"});

    const std::string doctype = (dir / "doctype.trec").string();
    write_file(doctype,
               "<DOC><DOCNO>d1</DOCNO><TEXT>Before.</TEXT></DOC>\n"   // 1
               "<!DOCTYPE trec [\n  <!ENTITY e \"a > b\">\n"          // 2-3
               "<DOC><DOCNO>d2</DOCNO><TEXT>After.</TEXT></DOC>\n");  // 4
    run = read_corpus({doctype});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"d1", "d2"}));
    ASSERT_EQ(run.articles.size(), 2u);
    EXPECT_EQ(run.articles[1].body, "After.");
    EXPECT_EQ(run.articles[1].location, doctype + ":4");
    EXPECT_EQ(run.skip_messages(),
              std::vector<std::string>{doctype + ":2: skipped: text outside a record (<!DOCTYPE without >)"});
}

// Text between records (what a record whose opening tag was lost leaves:
// its text, its closing tag) was passed over in silence. It is reported,
// once per stretch between records, at its first line, as the WikiExtractor
// reader does; white space and comments are no text, and a file with no
// record at all is "no records", not also text outside one.
TEST(SgmlReader, TextBetweenRecordsIsReportedOncePerStretch) {
    TempDir dir;
    const std::string path = (dir / "lost.trec").string();
    write_file(path,
               "a header line\nand another\n\n"                                       // 1-3
               "<DOC>\n<DOCNO>d1</DOCNO>\n<TEXT>Kept.</TEXT>\n</DOC>\n"               // 4-7
               "  \n<!-- a comment -->\n"                                             // 8-9
               "<DOC><DOCNO>d2</DOCNO><TEXT>Also kept.</TEXT></DOC>\n"                // 10
               "<DOCNO>d3</DOCNO>\n<TEXT>Its opening tag was lost.</TEXT>\n</DOC>\n"  // 11-13
               "<DOC><DOCNO>d4</DOCNO><TEXT>Last.</TEXT></DOC> trailing words\n");    // 14
    ReadResult run = read_corpus({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"d1", "d2", "d4"}));
    EXPECT_EQ(run.skip_messages(),
              (std::vector<std::string>{
                  path + ":1: skipped: text outside a record (not within <DOC>...</DOC> or <REUTERS>...</REUTERS>)",
                  path + ":11: skipped: text outside a record (not within <DOC>...</DOC> or <REUTERS>...</REUTERS>)",
                  path + ":14: skipped: text outside a record (not within <DOC>...</DOC> or <REUTERS>...</REUTERS>)"}));

    // A wrapper element around the records (AQUAINT-2's <DOCSTREAM>), a
    // no-break space or a byte order mark (two files joined) hold no text.
    const std::string wrapped = (dir / "wrapped.xml").string();
    write_file(wrapped,
               "<?xml version=\"1.0\"?>\n<DOCSTREAM>\n<DOC><DOCNO>w1</DOCNO><TEXT>One.</TEXT></DOC>\n"
               "\xC2\xA0\n\xEF\xBB\xBF<DOC><DOCNO>w2</DOCNO><TEXT>Two.</TEXT></DOC>\n</DOCSTREAM>\n");
    run = read_corpus({wrapped});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"w1", "w2"}));
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});

    // Text before a comment never closed that took in the only record: both
    // are reported (the record is, with the comment).
    const std::string taken = (dir / "taken.trec").string();
    write_file(taken, "junk\n<!-- never closed <DOC><DOCNO>d1</DOCNO><TEXT>Taken in.</TEXT></DOC>\n");
    run = read_corpus({taken});
    EXPECT_EQ(run.ids(), std::vector<std::string>{});
    EXPECT_EQ(run.skip_messages(),
              (std::vector<std::string>{
                  taken + ":1: skipped: text outside a record (not within <DOC>...</DOC> or <REUTERS>...</REUTERS>)",
                  taken + ":2: skipped: text outside a record (<!-- without -->; 1 record in it not read)"}));

    const std::string none = (dir / "none.sgm").string();
    write_file(none, "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\nOnly words here.\n<P>And a tag.</P>\n");
    run = read_corpus({none});
    EXPECT_EQ(run.ids(), std::vector<std::string>{});
    EXPECT_EQ(run.skip_messages(),
              std::vector<std::string>{none + ": skipped: no records (read as SGML: no <DOC> or <REUTERS> records)"});
}

// Within a record only its closing tag (or another record's opening tag)
// ends it, as before: a comment there is the record's markup, removed from
// its text (the Federal Register's "<!-- PJG ... -->"), and one never closed
// within the record ends with it, taking in nothing after its closing tag
// (its "<!--", a '<' without a '>', is kept as text, as any such '<' is).
TEST(SgmlReader, ACommentWithinARecordEndsWithTheRecord) {
    TempDir dir;
    const std::string path = (dir / "fr.trec").string();
    write_file(path,
               "<DOC>\n<DOCNO>FR-1</DOCNO>\n<TEXT>\n<!-- PJG FTAG 4700 -->\nRules for <!-- PJG STAG -->dams.\n"
               "</TEXT>\n</DOC>\n"                                                                 // 1-7
               "<DOC>\n<DOCNO>FR-2</DOCNO>\n<TEXT>Open <!-- a note never closed</TEXT>\n</DOC>\n"  // 8-11
               "<DOC>\n<DOCNO>FR-3</DOCNO>\n<TEXT>Levees.</TEXT>\n</DOC>\n");                      // 12-15
    const ReadResult run = read_corpus({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"FR-1", "FR-2", "FR-3"}));
    ASSERT_EQ(run.articles.size(), 3u);
    EXPECT_EQ(run.articles[0].body, "Rules for dams.");
    EXPECT_EQ(run.articles[1].body, "Open <!-- a note never closed");  // a '<' without '>' is text
    EXPECT_EQ(run.articles[2].body, "Levees.");
    EXPECT_EQ(run.articles[2].location, path + ":12");
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});
    EXPECT_EQ(run.warns(), std::vector<std::string>{"10: unclosed comment"});
}

// A comment within a record hides what it holds, a closing tag included:
// "</DOC>" in an editor's note ended the record there, and the rest of its
// text was reported as text outside a record. One still open when the next
// record starts (or the file ends) was no comment: the record ends at its
// first closing tag after the "<!--", and that is said.
TEST(SgmlReader, AClosingTagWithinACommentOfARecordEndsNothing) {
    TempDir dir;
    const std::string path = (dir / "note.trec").string();
    write_file(path,
               "<DOC>\n<DOCNO>N-1</DOCNO>\n<TEXT>\nShips sail. <!-- note: </DOC> was here --> Harbours too.\n"
               "</TEXT>\n</DOC>\n"                                                                             // 1-6
               "<DOC><DOCNO>N-2</DOCNO><TEXT>Delta <!-- two\nlines </DOC> hidden\n--> epsilon</TEXT></DOC>\n"  // 7-9
               "<DOC>\n<DOCNO>N-3</DOCNO>\n<TEXT>\nAlpha <!-- never closed\nbeta </TEXT></DOC>\nstray\n"       // 10-15
               "<DOC>\n<DOCNO>N-4</DOCNO>\n<TEXT>Gamma <!-- open to the end\n</TEXT>\n</DOC>\n");              // 16-20
    const ReadResult run = read_corpus({path});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"N-1", "N-2", "N-3", "N-4"}));
    ASSERT_EQ(run.articles.size(), 4u);
    EXPECT_EQ(run.articles[0].body, "Ships sail. Harbours too.");
    EXPECT_EQ(run.articles[1].body, "Delta epsilon");
    EXPECT_EQ(run.articles[2].body, "Alpha <!-- never closed beta");  // a '<' without '>' is text
    EXPECT_EQ(run.articles[3].body, "Gamma <!-- open to the end");
    // What followed N-3's first </DOC> is text outside a record, as it was.
    EXPECT_EQ(run.skips(), std::vector<std::string>{"15: text outside a record"});
    EXPECT_EQ(run.warns(), (std::vector<std::string>{"13: unclosed comment", "18: unclosed comment"}));

    // A record's start ends a comment left open, on the same line too.
    const std::string same = (dir / "same.trec").string();
    write_file(same,
               "<DOC><DOCNO>S-1</DOCNO><TEXT>One <!-- two\nthree</TEXT></DOC> four <DOC><DOCNO>S-2</DOCNO>"
               "<TEXT>Five</TEXT></DOC>\n");
    const ReadResult s = read_corpus({same});
    EXPECT_EQ(s.ids(), (std::vector<std::string>{"S-1", "S-2"}));
    ASSERT_EQ(s.articles.size(), 2u);
    EXPECT_EQ(s.articles[0].body, "One <!-- two three");
    EXPECT_EQ(s.articles[1].body, "Five");
    EXPECT_EQ(s.warns(), std::vector<std::string>{"1: unclosed comment"});
    EXPECT_EQ(s.skips(), std::vector<std::string>{"2: text outside a record"});
}

// A comment within a record holding a '>' left what followed that '>' in
// the text ("b -->hold."): a comment goes whole, to its "-->", in the body
// and in the title alike.
TEST(SgmlReader, ACommentHoldingAGreaterThanSignGoesWhole) {
    TempDir dir;
    const std::string path = (dir / "gt.trec").string();
    write_file(path,
               "<DOC>\n<DOCNO>FR-9</DOCNO>\n<HEADLINE>Dams <!-- size > 10 m -->rules</HEADLINE>\n"
               "<TEXT>\nDams <!-- PJG a > b -->hold.\n<!-- x --><!-- y > z -->Levees too.\n</TEXT>\n</DOC>\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].title, "Dams rules");
    EXPECT_EQ(run.articles[0].body, "Dams hold. Levees too.");
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});

    // "<!-->" and "<!--->" are empty comments (as HTML reads them), not the
    // start of one that takes in text up to a later "-->"; many comments
    // never closed are each removed to their first '>' (once in linear time:
    // each looked for a "-->" to the end of the text).
    const std::string empty = (dir / "empty.trec").string();
    std::string many;
    for (int i = 0; i < 5000; ++i) many += "<!--x>";
    write_file(empty,
               "<DOC><DOCNO>e1</DOCNO><TEXT>a <!--> b <!--->c <!-- d --> e</TEXT></DOC>\n"
               "<DOC><DOCNO>e2</DOCNO><TEXT>zz " +
                   many + "end</TEXT></DOC>\n");
    const ReadResult e = read_corpus({empty});
    ASSERT_EQ(e.articles.size(), 2u);
    EXPECT_EQ(e.articles[0].body, "a b c e");
    EXPECT_EQ(e.articles[1].body, "zz end");
}

// A '<' that opens no tag is text: not followed by a letter, '/', '!' or
// '?', or with another '<' before any '>'. Everything from such a '<' to the
// next '>' was dropped, across lines ("fell to < 5 percent ... rose > 10"
// read "fell to 10 percent"), and every '<' looked for a '>' to the end of
// the text: 12 MB of them here, about 25 minutes on that code (2 MB took
// 44 s to index), so the test ran into CTest's 600 s limit.
TEST(SgmlReader, ALessThanSignThatOpensNoTagIsText) {
    TempDir dir;
    const std::string path = (dir / "lt.trec").string();
    write_file(path,
               "<DOC>\n<DOCNO>L1</DOCNO>\n<TEXT>\nInflation fell to < 5 percent in March.\n"
               "The bank said growth would stay weak.\nExports rose > 10 percent; x<<b>y</b> and 3 <4.\n"
               "</TEXT>\n</DOC>\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body,
              "Inflation fell to < 5 percent in March. The bank said growth would stay weak. Exports rose > 10 "
              "percent; x<y and 3 <4.");

    const std::string many = (dir / "many.trec").string();
    write_file(many, "<DOC><DOCNO>M1</DOCNO><TEXT>w " + std::string(12u << 20, '<') + " end</TEXT></DOC>\n");
    const ReadResult m = read_corpus({many});
    ASSERT_EQ(m.articles.size(), 1u);
    EXPECT_EQ(m.articles[0].body.size(), (12u << 20) + 6);
    EXPECT_TRUE(m.articles[0].body.ends_with("<< end"));
}

// An element whose closing tag is missing is read to where it most likely
// ended, with a warning naming the record: <BODY> to the </TEXT> around it,
// <TEXT> to the next <TEXT> or the record's end, a title or date to the end
// of its line. Such an element was dropped without a word (a Reuters story
// indexed as its headline alone).
TEST(SgmlReader, AnElementLeftOpenIsReadToWhereItEndsWithAWarning) {
    TempDir dir;
    const std::string path = (dir / "open.sgm").string();
    write_file(path,
               "<REUTERS NEWID=\"901\">\n<TEXT><TITLE>T ONE</TITLE>\n<BODY>The body words.\n</TEXT>\n"
               "</REUTERS>\n"                                                                                 // 1-5
               "<REUTERS NEWID=\"902\">\n<TEXT><TITLE>T TWO\n<BODY>Closed body.</BODY></TEXT>\n</REUTERS>\n"  // 6-9
               "<REUTERS NEWID=\"903\">\n<TEXT><TITLE>T THREE</TITLE><BODY>All closed.</BODY></TEXT>\n</REUTERS>\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"901", "902", "903"}));
    EXPECT_EQ(run.articles[0].title, "T ONE");
    EXPECT_EQ(run.articles[0].body, "The body words.");
    EXPECT_EQ(run.articles[1].title, "T TWO");
    EXPECT_EQ(run.articles[1].body, "Closed body.");
    EXPECT_EQ(run.articles[2].body, "All closed.");
    EXPECT_EQ(run.warns(), (std::vector<std::string>{"1: unclosed element", "6: unclosed element"}));
    ASSERT_EQ(run.diags.size(), 2u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              path + ":1: warning: unclosed element (id 901: <BODY> has no closing tag, read to where it ends)");

    const std::string trec = (dir / "open.trec").string();
    write_file(trec,
               "<DOC><DOCNO>X</DOCNO><HEADLINE>H</HEADLINE><TEXT>\nbody text here\n</DOC>\n"
               "<DOC><DOCNO>Y</DOCNO><TEXT>first block<TEXT>second block</TEXT></DOC>\n");
    const ReadResult t = read_corpus({trec});
    ASSERT_EQ(t.ids(), (std::vector<std::string>{"X", "Y"}));
    EXPECT_EQ(t.articles[0].title, "H");
    EXPECT_EQ(t.articles[0].body, "body text here");
    EXPECT_EQ(t.articles[1].body, "first block\n\nsecond block");
    EXPECT_EQ(t.warns(), (std::vector<std::string>{"1: unclosed element", "4: unclosed element"}));

    // Many left open in one record, one closing tag at its end: read in
    // linear time (each looked for its closing tag to the record's end:
    // 40,000 took 8 s, 400,000 here would take about 15 minutes).
    std::string blocks;
    for (int i = 0; i < 400000; ++i) blocks += "<TEXT>w" + std::to_string(i) + "\n";
    const std::string many = (dir / "many.trec").string();
    write_file(many, "<DOC><DOCNO>M</DOCNO>\n" + blocks + "</TEXT>\n</DOC>\n");
    const ReadResult m = read_corpus({many});
    ASSERT_EQ(m.articles.size(), 1u);
    EXPECT_TRUE(m.articles[0].body.starts_with("w0\n\nw1\n\nw2")) << m.articles[0].body.substr(0, 40);
    EXPECT_TRUE(m.articles[0].body.ends_with("w399999")) << m.articles[0].body.substr(m.articles[0].body.size() - 40);
}

// An XHTML page (an <?xml?> prolog, a DOCTYPE, comments before <html>) is a
// web page, not SGML; an XML document of another kind is still SGML.
TEST(ListInputs, XmlPrologAndXhtmlDoctypeAreSniffedAsHtml) {
    TempDir dir;
    const std::string xhtml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
        "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Xhtml page</title></head>"
        "<body><p>Xhtml body about a hippo. Second sentence.</p></body></html>\n";
    write_file(dir / "a-xpage", xhtml);
    write_file(dir / "b-prolog-html", "<?xml version=\"1.0\"?>\n<!-- saved -->\n<html><body><p>x</p></body></html>");
    write_file(dir / "c-doctype-then-html", "<!DOCTYPE html SYSTEM \"about:legacy-compat\">\n<HTML><p>x</p></HTML>");
    write_file(dir / "d-other-doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE html-like>\n<html><p>x</p></html>");
    write_file(dir / "e-rss", "<?xml version=\"1.0\"?>\n<!DOCTYPE rss>\n<rss><channel></channel></rss>");
    write_file(dir / "f-trec", "<?xml version=\"1.0\"?>\n<!DOCTYPE trec>\n<DOC>\n<DOCNO>1</DOCNO>\n</DOC>\n");
    std::vector<std::string> got;
    for (const auto& in : list_inputs({dir.str()}, Format::Auto))
        got.push_back(in.id_base + "=" + format_name(in.format));
    EXPECT_EQ(got, (std::vector<std::string>{"a-xpage=html", "b-prolog-html=html", "c-doctype-then-html=html",
                                             "d-other-doctype=html", "e-rss=sgml", "f-trec=sgml"}));
    const ReadResult run = read_corpus({(dir / "a-xpage").string()});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].title, "Xhtml page");
    EXPECT_EQ(run.articles[0].body, "Xhtml body about a hippo. Second sentence.");
}

// A DOCTYPE's quoted public and system ids, and the quoted strings of its
// internal subset, may hold '>' and ']' that do not end it: the sniffer
// passes over them as the WikiExtractor reader does, and finds the records
// after it (the file was read as one plain-text article).
TEST(ListInputs, ADoctypeWithQuotedGreaterThanSignsIsSkippedWhenSniffing) {
    TempDir dir;
    const std::string prolog =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE x PUBLIC \"-//A//B>C//EN\" \"http://e.org/a>b.dtd\">\n";
    write_file(dir / "a-reuters",
               prolog +
                   "<REUTERS NEWID=\"7\">\n<DATE>5-MAR-1987 10:00:00.00</DATE>\n<TEXT><TITLE>Cocoa talks</TITLE>"
                   "<BODY>Cocoa talks resumed.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n");
    write_file(dir / "b-wiki", prolog +
                                   "<doc id=\"12\" url=\"http://w/12\" title=\"Anarchism\">\nAnarchism\n\n"
                                   "Anarchism is a philosophy.\n</doc>\n");
    write_file(dir / "c-wiki-subset",
               "<!DOCTYPE x SYSTEM 'a>b.dtd' [\n  <!ENTITY e \"a ]> b\">\n  <!ENTITY f 'c > d'>\n]>\n"
               "<doc id=\"13\" title=\"Albedo\">\nAlbedo is reflectivity.\n</doc>\n");
    std::vector<std::string> got;
    for (const auto& in : list_inputs({dir.str()}, Format::Auto))
        got.push_back(in.id_base + "=" + format_name(in.format));
    EXPECT_EQ(got, (std::vector<std::string>{"a-reuters=sgml", "b-wiki=wiki", "c-wiki-subset=wiki"}));

    const ReadResult run = read_corpus({dir.str()});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"7", "12", "13"}));
    ASSERT_EQ(run.articles.size(), 3u);
    EXPECT_EQ(run.articles[0].title, "Cocoa talks");
    EXPECT_EQ(run.articles[0].body, "Cocoa talks resumed.");
    EXPECT_EQ(run.articles[0].date, "1987-03-05T10:00:00");
    EXPECT_EQ(run.articles[0].source, "reuters");
    EXPECT_EQ(run.articles[1].title, "Anarchism");
    EXPECT_EQ(run.articles[1].body, "Anarchism is a philosophy.");
    EXPECT_EQ(run.articles[1].location, "http://w/12");
    EXPECT_EQ(run.articles[2].title, "Albedo");
    EXPECT_EQ(run.articles[2].body, "Albedo is reflectivity.");
    EXPECT_EQ(run.articles[2].location, (dir / "c-wiki-subset").string() + ":5");
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});
    EXPECT_EQ(run.warnings, 0u);
}

// ---- inputs read once: pipes, /dev/stdin, FIFOs -----------------------------

namespace {

// A pipe holding `bytes` (at most the pipe's buffer), its writing end closed:
// "/proc/self/fd/N" names its reading end, which can be read once.
class FilledPipe {
public:
    explicit FilledPipe(const std::string& bytes) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        read_fd_ = fds[0];
        EXPECT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
        ::close(fds[1]);
    }
    ~FilledPipe() { ::close(read_fd_); }
    FilledPipe(const FilledPipe&) = delete;
    FilledPipe& operator=(const FilledPipe&) = delete;
    std::string path() const { return "/proc/self/fd/" + std::to_string(read_fd_); }

private:
    int read_fd_ = -1;
};

}  // namespace

// A CSV header check before the reading pass would eat a pipe's header: a
// read-once input is read once, like "-".
TEST(ReadOnceInput, CsvFromAPipeIsReadOnce) {
    FilledPipe pipe("id,title,text\np1,Piped,Text that came through a pipe.\n");
    ReaderOptions opts;
    opts.format = Format::Csv;
    const ReadResult run = read_corpus({pipe.path()}, opts);
    ASSERT_EQ(run.ids(), std::vector<std::string>{"p1"});
    EXPECT_EQ(run.articles[0].body, "Text that came through a pipe.");
    EXPECT_EQ(run.skipped, 0u);
}

// Sniffing would read a pipe's first bytes away: without --format (or an
// extension), such an input is refused, naming it, as "-" is.
TEST(ReadOnceInput, PipeWithoutFormatIsRefusedNamingIt) {
    FilledPipe pipe("{\"_id\": \"j1\", \"text\": \"Piped JSON.\"}\n");
    try {
        list_inputs({pipe.path()}, Format::Auto);
        FAIL() << "expected UsageError";
    } catch (const trawl::UsageError& e) {
        EXPECT_NE(std::string(e.what()).find(pipe.path()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--format"), std::string::npos) << e.what();
    }
    ReaderOptions opts;
    opts.format = Format::Jsonl;
    EXPECT_EQ(read_corpus({pipe.path()}, opts).ids(), std::vector<std::string>{"j1"});
}

// A FIFO found in a walked folder is not opened (it would wait for a writer)
// but reported, naming it; given by name, it is read once.
TEST(ReadOnceInput, FifoInAWalkedFolderIsOneSkipNamingIt) {
    TempDir dir;
    write_file(dir / "in/a.txt", "A\n\nFirst.\n");
    const std::string fifo = (dir / "in/feed.jsonl").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const ReadResult run = read_corpus({(dir / "in").string()});
    EXPECT_EQ(run.ids(), std::vector<std::string>{"a"});
    EXPECT_EQ(
        run.skip_messages(),
        std::vector<std::string>{fifo + ": skipped: unreadable input (not a regular file (a FIFO, socket or device); "
                                        "give it by name to read it)"});
}

// An input read once that the caller copied to a file (trawl-index spools
// stdin and pipes) is read from the copy as a file is: sniffed without
// --format, read by as many passes as open it, gzip and all; its messages,
// locations and text id name it as given ("-", "stdin"), never the copy.
TEST(ReadOnceInput, ACopyIsReadInItsPlaceUnderItsName) {
    TempDir dir;
    const std::string copy = (dir / ".i.idx.trawl-stdin-1-0").string();
    const std::string jsonl = "{\"_id\": \"s1\", \"text\": \"Copied from stdin.\"}\n{broken\n";
    write_file(copy, jsonl);
    write_file(copy + ".gz", trawl::test::gzip_compress(jsonl));
    for (const std::string& file : {copy, copy + ".gz"}) {
        ReaderOptions opts;
        opts.spooled["-"] = file;
        const auto inputs = list_inputs({"-"}, Format::Auto, opts.spooled);
        ASSERT_EQ(inputs.size(), 1u);
        EXPECT_EQ(inputs[0].path, "-");
        EXPECT_EQ(inputs[0].format, Format::Jsonl) << file;
        for (int pass = 0; pass < 2; ++pass) {
            const ReadResult run = read_corpus({"-"}, opts);
            EXPECT_EQ(run.ids(), std::vector<std::string>{"s1"}) << file;
            ASSERT_EQ(run.articles.size(), 1u);
            EXPECT_EQ(run.articles[0].location, "-:1");
            ASSERT_EQ(run.skip_messages().size(), 1u) << file;
            EXPECT_TRUE(run.skip_messages()[0].starts_with("-:2: skipped: invalid JSON (")) << run.skip_messages()[0];
        }
    }
    // Plain text: one article, named as standard input is.
    write_file(copy, "A title\n\nA body from a pipe.\n");
    ReaderOptions opts;
    opts.spooled["-"] = copy;
    const ReadResult run = read_corpus({"-"}, opts);
    EXPECT_EQ(run.ids(), std::vector<std::string>{"stdin"});
}

// A live input (a pipe, a FIFO: trawl-index --stream) gives its first record
// as soon as it has come: the probes of its first bytes (encoding, binary)
// look at what has come once a line is whole. They waited for 4 KiB and then
// 8 KiB, so a feed that sent one short record and paused was not read until
// it sent more or ended (red team 19, F5). Each record below is written and
// the pipe kept open until the reader has it (or 30 s have passed, when it
// is closed so that the old reader returns and the test fails).
TEST(ReadOnceInput, ALiveInputsFirstShortRecordIsReadBeforeMoreComes) {
    struct Case {
        const char* what;
        Format format;
        std::string bytes;
        const char* id;
        const char* body;
    };
    const std::vector<Case> cases = {
        {"jsonl", Format::Jsonl, "{\"_id\": \"j1\", \"text\": \"A short record.\"}\n", "j1", "A short record."},
        {"csv", Format::Csv, "id,title,text\np1,Piped,A short row.\n", "p1", "A short row."},
        {"jsonl in UTF-16 without a byte-order mark", Format::Jsonl,
         trawl::test::utf16("{\"_id\": \"u1\", \"text\": \"caf\xC3\xA9 au lait\"}\n", trawl::test::Endian::Little,
                            false),
         "u1", "caf\xC3\xA9 au lait"},
    };
    for (const auto& c : cases) {
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        std::atomic<bool> got{false}, closed{false};
        std::thread writer([&] {
            EXPECT_EQ(::write(fds[1], c.bytes.data(), c.bytes.size()), static_cast<ssize_t>(c.bytes.size()));
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
            while (!got && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            closed = true;
            ::close(fds[1]);
        });
        ReaderOptions opts;
        opts.format = c.format;
        Diagnostics diag;
        Article a;
        bool read = false;
        bool before_close = false;
        try {
            auto reader = open_corpus({"/proc/self/fd/" + std::to_string(fds[0])}, opts, diag);
            read = reader->next(a);
            before_close = !closed;
            got = true;
        } catch (...) {
            got = true;
            writer.join();
            ::close(fds[0]);
            throw;
        }
        writer.join();
        ::close(fds[0]);
        ASSERT_TRUE(read) << c.what;
        EXPECT_TRUE(before_close) << c.what << ": read only once the input ended";
        EXPECT_EQ(a.id, c.id) << c.what;
        EXPECT_EQ(a.body, c.body) << c.what;
        EXPECT_EQ(diag.skipped(), 0u) << c.what;
    }
}

// Still: a live input whose first line looks binary is one "binary file" skip.
TEST(ReadOnceInput, ALiveInputThatLooksBinaryIsStillSkipped) {
    std::string bytes = "\x01\x02\x03";
    bytes += std::string(200, '\0');
    bytes += "\n{\"_id\": \"j1\", \"text\": \"After.\"}\n";
    FilledPipe pipe(bytes);
    ReaderOptions opts;
    opts.format = Format::Jsonl;
    const ReadResult run = read_corpus({pipe.path()}, opts);
    EXPECT_TRUE(run.ids().empty());
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{pipe.path() + ": skipped: binary file"});
}

// ---- UTF-16 with a byte-order mark -----------------------------------------

namespace {

using trawl::test::Endian;
using trawl::test::utf16;

// A word beyond the BMP (a surrogate pair in UTF-16) and one with an accent.
const std::string kEmoji = "\xF0\x9F\x98\x80", kCafe = "caf\xC3\xA9";

}  // namespace

// Windows "Unicode" exports and `iconv -t utf-16`: every format reads its
// UTF-16 copy (little- or big-endian, with a BOM; compressed or not) as it
// reads the UTF-8 one, sniffing included.
TEST(Utf16Input, EveryFormatReadsItsUtf16CopyLikeTheUtf8One) {
    TempDir dir;
    const std::string text =
        "Headline " + kEmoji + "\r\n\r\nThe " + kCafe + " reopened.\r\nSecond line.\r\n\r\nNext.\r\n";
    const std::string csv = "id,title,text\r\nc1,Prices " + kEmoji + ",\"The price rose to 1,200 " + kCafe + ".\"\r\n";
    const std::string jsonl = "{\"_id\": \"j1\", \"title\": \"T " + kEmoji + "\", \"text\": \"Body " + kCafe + ".\"}\n";
    const std::string html = "<!DOCTYPE html><html><head><title>Page</title></head><body><h1>Head " + kEmoji +
                             "</h1><p>Web " + kCafe + " text.</p></body></html>\n";
    for (const Endian endian : {Endian::Little, Endian::Big}) {
        const std::string sub = endian == Endian::Little ? "le" : "be";
        write_file(dir / sub / "story.txt", utf16(text, endian));
        write_file(dir / sub / "feed.csv", utf16(csv, endian));
        write_file(dir / sub / "feed.jsonl.gz", trawl::test::gzip_compress(utf16(jsonl, endian)));
        write_file(dir / sub / "page", utf16(html, endian));  // sniffed
        write_file(dir / "utf8" / sub / "story.txt", text);
        write_file(dir / "utf8" / sub / "feed.csv", csv);
        write_file(dir / "utf8" / sub / "feed.jsonl.gz", trawl::test::gzip_compress(jsonl));
        write_file(dir / "utf8" / sub / "page", html);
    }
    for (const std::string sub : {"le", "be"}) {
        const ReadResult utf8 = read_corpus({(dir / "utf8" / sub).string()});
        const ReadResult wide = read_corpus({(dir / sub).string()});
        ASSERT_EQ(wide.ids(), (std::vector<std::string>{"c1", "j1", "page", "story"})) << sub;
        ASSERT_EQ(wide.ids(), utf8.ids());
        for (std::size_t i = 0; i < wide.articles.size(); ++i) {
            EXPECT_EQ(wide.articles[i].title, utf8.articles[i].title) << sub << " " << wide.articles[i].id;
            EXPECT_EQ(wide.articles[i].body, utf8.articles[i].body) << sub << " " << wide.articles[i].id;
        }
        EXPECT_EQ(wide.skipped + wide.warnings, 0u) << sub;
        EXPECT_EQ(wide.find("story")->title, "Headline " + kEmoji);
        EXPECT_EQ(wide.find("story")->body, "The " + kCafe + " reopened. Second line.\n\nNext.");
        EXPECT_EQ(wide.find("c1")->body, "The price rose to 1,200 " + kCafe + ".");
        EXPECT_EQ(wide.find("page")->title, "Head " + kEmoji);
    }
}

// An unpaired surrogate cannot be decoded: it becomes U+FFFD, with a warning
// naming the file and line, as invalid UTF-8 is repaired.
TEST(Utf16Input, UnpairedSurrogateIsReplacedWithAWarning) {
    TempDir dir;
    const std::string path = (dir / "lone.txt").string();
    std::string bytes = utf16("Title\n\nA lone ");
    bytes += std::string("\x3D\xD8", 2);  // U+D83D, a high surrogate without its low half
    bytes += utf16(" surrogate.\n", Endian::Little, false);
    write_file(path, bytes);
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body, "A lone \xEF\xBF\xBD surrogate.");
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              path + ":3: warning: invalid UTF-16 repaired (unpaired surrogate replaced by U+FFFD)");
}

// UTF-16 without a byte-order mark (told by its NULs) reads as the UTF-8
// copy does; binary data with NULs in it is still refused.
TEST(Utf16Input, WithoutAByteOrderMarkIsReadAsTheUtf8Copy) {
    TempDir dir;
    const std::string text = "Headline " + kEmoji + "\r\n\r\nThe " + kCafe + " reopened.\r\n";
    const std::string jsonl = "{\"_id\": \"j1\", \"title\": \"T\", \"text\": \"Body " + kCafe + ".\"}\n";
    const std::string html =
        "<html><head><title>Page</title></head><body><h1>Head</h1><p>Web " + kCafe + " text.</p></body></html>\n";
    for (const Endian endian : {Endian::Little, Endian::Big}) {
        const std::string sub = endian == Endian::Little ? "le" : "be";
        write_file(dir / sub / "story.txt", utf16(text, endian, false));
        write_file(dir / sub / "feed.jsonl", utf16(jsonl, endian, false));
        write_file(dir / sub / "page", utf16(html, endian, false));  // sniffed
    }
    for (const std::string sub : {"le", "be"}) {
        const ReadResult run = read_corpus({(dir / sub).string()});
        ASSERT_EQ(run.ids(), (std::vector<std::string>{"j1", "page", "story"})) << sub;
        EXPECT_EQ(run.skipped + run.warnings, 0u) << sub;
        EXPECT_EQ(run.find("story")->title, "Headline " + kEmoji);
        EXPECT_EQ(run.find("story")->body, "The " + kCafe + " reopened.");
        EXPECT_EQ(run.find("j1")->body, "Body " + kCafe + ".");
        EXPECT_EQ(run.find("page")->body, "Web " + kCafe + " text.");
    }
    // A PNG and random bytes with NULs: each one "binary file" skip, as before.
    std::string png("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1F\xF3\xFF\x61", 33);
    png += trawl::test::binary_bytes(4000);
    write_file(dir / "bin" / "image.png.txt", png);
    write_file(dir / "bin" / "random", trawl::test::binary_bytes(8192));
    const ReadResult bin = read_corpus({(dir / "bin").string()});
    EXPECT_TRUE(bin.articles.empty());
    EXPECT_EQ(bin.skip_messages(),
              (std::vector<std::string>{(dir / "bin/image.png.txt").string() + ": skipped: binary file",
                                        (dir / "bin/random").string() + ": skipped: binary file"}));
}

// ---- line ends ---------------------------------------------------------------

// Every fixture of every format, its lines ended by a lone CR (old Mac) or by
// CR-LF, reads as its copy with LF: the same articles, and the same
// diagnostics on the same lines.
TEST(LineEnds, EveryFormatReadsItsCrAndCrLfCopiesLikeItsLfCopy) {
    TempDir dir;
    const fs::path fixtures(kFixtures);
    for (const std::string top : {"text", "html", "wiki", "articles.jsonl", "news.csv", "reuters.sgm", "trec.sgml"}) {
        std::vector<fs::path> files;
        if (fs::is_directory(fixtures / top)) {
            for (const auto& e : fs::recursive_directory_iterator(fixtures / top))
                if (e.is_regular_file()) files.push_back(e.path());
        } else {
            files.push_back(fixtures / top);
        }
        for (const fs::path& file : files) {
            std::string lf;
            for (const char c : trawl::test::read_file(file.string()))
                if (c != '\r') lf += c;  // the CR-LF fixture's CRs (no fixture holds another)
            std::string cr = lf, crlf;
            std::replace(cr.begin(), cr.end(), '\n', '\r');
            for (const char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
            const fs::path rel = fs::relative(file, fixtures);
            write_file(dir / "lf" / rel, lf);
            write_file(dir / "cr" / rel, cr);
            write_file(dir / "crlf" / rel, crlf);
        }
    }
    // An article and a diagnostic with the copy's folder left out of their paths.
    const auto article = [](const Article& a, const std::string& root) {
        std::string location = a.location;
        if (location.starts_with(root)) location.erase(0, root.size());
        return a.id + " | " + a.title + " | " + a.body + " | " + a.date + " | " + a.source + " | " + location;
    };
    const auto read = [&](const std::string& copy) {
        const std::string root = (dir / copy).string();
        const ReadResult run = read_corpus({root});
        std::vector<std::string> out;
        for (const Article& a : run.articles) out.push_back(article(a, root));
        for (const Diagnostic& d : run.diags) {
            std::string message = format_diagnostic(d);
            if (message.starts_with(root)) message.erase(0, root.size());
            out.push_back(message);
        }
        return out;
    };
    const std::vector<std::string> lf = read("lf");
    ASSERT_GT(lf.size(), 30u);
    for (const std::string copy : {"cr", "crlf"}) {
        const std::vector<std::string> got = read(copy);
        EXPECT_EQ(got.size(), lf.size()) << copy;
        for (std::size_t i = 0; i < std::min(got.size(), lf.size()); ++i) EXPECT_EQ(got[i], lf[i]) << copy;
    }
}

// The decoders' warnings (UTF-16, a declared charset) name the line the
// readers count: in a copy with lone CRs (old Mac) or CR-LFs for line ends,
// the line of its LF copy.
TEST(LineEnds, DecodersWarnAtTheLinesTheReadersCount) {
    TempDir dir;
    const std::string lone_high("\x3D\xD8", 2);  // U+D83D, little-endian, without its low half
    for (const std::string eol : {"\n", "\r", "\r\n"}) {
        const std::string copy = eol == "\n" ? "lf" : eol == "\r" ? "cr" : "crlf";
        const auto lines = [&](std::initializer_list<std::string> ls) {
            std::string out;
            for (const std::string& l : ls) out += l + eol;
            return out;
        };
        write_file(dir / copy / "wide.txt", utf16(lines({"Title", "", "First line."}) + "A lone ") + lone_high +
                                                utf16(" surrogate." + eol, Endian::Little, false));
        write_file(dir / copy / "cyrillic.html",  // 0x98 is no windows-1251 character
                   lines({"<html>", "<head>", "<meta charset=\"windows-1251\">", "</head>",
                          "<body><p>\xCC\xEE\xF1\xEA\xE2\xE0 \x98 news.</p></body></html>"}));
        write_file(dir / copy / "odd.sgml", lines({"<?xml version=\"1.0\"", "     encoding=\"x-klingon\"?>", "<DOC>",
                                                   "<DOCNO>k1</DOCNO>", "<TEXT>", "Plain text.", "</TEXT>", "</DOC>"}));
        const ReadResult run = read_corpus({(dir / copy).string()});
        ASSERT_EQ(run.ids(), (std::vector<std::string>{"cyrillic", "k1", "wide"})) << copy;
        EXPECT_EQ(run.find("cyrillic")->body, "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xEF\xBF\xBD news.")
            << copy;
        EXPECT_EQ(run.find("wide")->body, "First line. A lone \xEF\xBF\xBD surrogate.") << copy;
        const std::string root = (dir / copy).string();
        std::vector<std::string> messages;
        for (const Diagnostic& d : run.diags) messages.push_back(format_diagnostic(d));
        EXPECT_EQ(messages, (std::vector<std::string>{
                                root + "/cyrillic.html:5: warning: invalid characters repaired (bytes that are "
                                       "not windows-1251 replaced by U+FFFD)",
                                root + "/odd.sgml:2: warning: unknown charset ('x-klingon' is not a charset "
                                       "Trawl can decode; read as UTF-8 (else windows-1252))",
                                root + "/wide.txt:4: warning: invalid UTF-16 repaired (unpaired surrogate "
                                       "replaced by U+FFFD)"}))
            << copy;
    }
}

// ---- declared charsets -----------------------------------------------------

// Pages and an XML document declared ISO-8859-2, windows-1251, KOI8-R and
// Shift_JIS (made with iconv) read as their UTF-8 text.
TEST(DeclaredCharset, EachFixtureReadsAsItsText) {
    const ReadResult run = read_corpus({kFixtures + "/charsets"});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"cp1251", "koi8-1", "latin2", "shift_jis"}));
    EXPECT_EQ(run.find("latin2")->title, "Żółta łódź na Wiśle");
    EXPECT_EQ(run.find("latin2")->body,
              "Pięćdziesiąt łodzi płynęło wczoraj przez Kraków. Źródło podało, że gęśla grała.");
    EXPECT_EQ(run.find("cp1251")->title, "Москва встречает весну");
    EXPECT_EQ(run.find("cp1251")->body, "Жители столицы радуются тёплой погоде. Синоптики обещают солнце всю неделю.");
    EXPECT_EQ(run.find("koi8-1")->title, "Зимний сезон в Сибири");
    EXPECT_EQ(run.find("koi8-1")->body, "Морозы в Новосибирске достигли сорока градусов. Школы закрыты.");
    EXPECT_EQ(run.find("shift_jis")->title, "東京の天気");
    EXPECT_EQ(run.find("shift_jis")->body, "今日は晴れです。明日は雨が降るでしょう。C:\\path");
    EXPECT_EQ(run.skipped + run.warnings, 0u);
}

// A name no decoder knows: one warning with the declaration's line, and the
// page read as before (UTF-8, else windows-1252).
TEST(DeclaredCharset, AnUnknownCharsetIsWarnedAboutAndReadAsBefore) {
    TempDir dir;
    const std::string path = (dir / "odd.html").string();
    write_file(path,
               "<html>\n<head>\n<meta charset=\"x-klingon\">\n</head>\n<body><p>Caf\xE9 au lait.</p></body></html>\n");
    const ReadResult run = read_corpus({path});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body, "Caf\xC3\xA9 au lait.");
    ASSERT_EQ(run.diags.size(), 2u);
    EXPECT_EQ(format_diagnostic(run.diags[0]),
              path +
                  ":3: warning: unknown charset ('x-klingon' is not a charset Trawl can decode; read as UTF-8 "
                  "(else windows-1252))");
    EXPECT_EQ(run.diags[1].reason, "invalid UTF-8 repaired");
}

// A page, a TREC file or a Wikipedia extract declared iso-8859-1 (us-ascii,
// windows-1252: the web reads each as windows-1252) in those bytes reads
// without a warning: its bytes were read right, as windows-1252 where they
// are not UTF-8, but with "invalid UTF-8 repaired", as if they were
// undeclared. Declared UTF-8, or nothing, the same bytes are still a repair;
// and a page declared Latin-1 whose text is UTF-8 but for one stray byte is
// read as before, run by run (its UTF-8 kept), without a warning either.
TEST(DeclaredCharset, Windows1252AndItsLabelsDeclaredAreNoRepair) {
    TempDir dir;
    const auto page = [](const std::string& meta, const std::string& text) {
        return "<html><head>" + meta + "<title>Caf\xE9 news</title></head><body><p>" + text + "</p></body></html>";
    };
    const std::string latin1 = "The caf\xE9 in M\xFCnchen sold \xA3 5 coffee to na\xEFve tourists.";
    const std::string utf8 = "The caf\xC3\xA9 in M\xC3\xBCnchen sold \xC2\xA3 5 coffee to na\xC3\xAFve tourists.";
    write_file(dir / "declared/iso.html", page("<meta charset=\"iso-8859-1\">", latin1));
    write_file(dir / "declared/ascii.html",
               page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=us-ascii\">", latin1));
    write_file(dir / "declared/cp1252.html", page("<meta charset=\"Windows-1252\">", "\x93" + latin1 + "\x94"));
    write_file(dir / "declared/mixed.html", page("<meta charset=\"latin1\">", utf8 + " \x80 5"));
    write_file(dir / "declared/trec.sgml",
               "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<DOC>\n<DOCNO>t1</DOCNO>\n"
               "<HEADLINE>Caf\xE9 news</HEADLINE>\n<TEXT>\n" +
                   latin1 + "\n</TEXT>\n</DOC>\n");
    write_file(dir / "declared/wiki_00",
               "<?xml version=\"1.0\" encoding=\"latin1\"?>\n"
               "<doc id=\"7\" url=\"http://x/7\" title=\"Caf\xE9 news\">\nCaf\xE9 news\n\n" +
                   latin1 + "\n</doc>\n");
    const ReadResult run = read_corpus({(dir / "declared").string()});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"ascii", "cp1252", "iso", "mixed", "t1", "7"}));
    for (const Article& a : run.articles) EXPECT_EQ(a.title, "Caf\xC3\xA9 news") << a.id;
    EXPECT_EQ(run.find("iso")->body, utf8);
    EXPECT_EQ(run.find("ascii")->body, utf8);
    EXPECT_EQ(run.find("cp1252")->body, "\xE2\x80\x9C" + utf8 + "\xE2\x80\x9D");
    EXPECT_EQ(run.find("mixed")->body, utf8 + " \xE2\x82\xAC 5");
    EXPECT_EQ(run.find("t1")->body, utf8);
    EXPECT_EQ(run.find("7")->body, utf8);
    EXPECT_EQ(run.warns(), std::vector<std::string>{});
    EXPECT_EQ(run.skip_messages(), std::vector<std::string>{});  // the extract's XML declaration is no stray text

    // Declared UTF-8, or nothing: the same bytes are invalid UTF-8, repaired with a warning.
    write_file(dir / "utf8/declared.html", page("<meta charset=\"utf-8\">", latin1));
    write_file(dir / "utf8/none.html", page("", latin1));
    write_file(dir / "utf8/trec.sgml",
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DOC>\n<DOCNO>t2</DOCNO>\n<TEXT>\n" + latin1 +
                   "\n</TEXT>\n</DOC>\n");
    const ReadResult undeclared = read_corpus({(dir / "utf8").string()});
    ASSERT_EQ(undeclared.ids(), (std::vector<std::string>{"declared", "none", "t2"}));
    for (const Article& a : undeclared.articles) EXPECT_EQ(a.body, utf8) << a.id;
    EXPECT_EQ(undeclared.warns(), (std::vector<std::string>{"1: invalid UTF-8 repaired", "1: invalid UTF-8 repaired",
                                                            "5: invalid UTF-8 repaired"}));
}

// The five bytes windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) in
// an input declared iso-8859-1 or windows-1252 are U+FFFD, as in undeclared
// text, and not silently: one warning per file, with its first line.
TEST(DeclaredCharset, BytesWindows1252LeavesUndefinedAreReplacedWithAWarning) {
    TempDir dir;
    write_file(dir / "page.html",
               "<html><head>\n<meta charset=\"iso-8859-1\">\n<title>Caf\xE9</title></head>\n"
               "<body><p>A caf\xE9 \x81 with \x9D two.</p></body></html>\n");
    write_file(dir / "trec.sgml",
               "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
               "<DOC>\n<DOCNO>t1</DOCNO>\n<TEXT>\nFirst \x8F caf\xE9.\n</TEXT>\n</DOC>\n"
               "<DOC>\n<DOCNO>t2</DOCNO>\n<TEXT>\nSecond \x90 caf\xE9.\n</TEXT>\n</DOC>\n");
    write_file(dir / "wiki_00",
               "<?xml version=\"1.0\" encoding=\"latin1\"?>\n<doc id=\"7\" title=\"Caf\xE9\">\nCaf\xE9\n\n"
               "The \x8D caf\xE9.\n</doc>\n");
    const ReadResult run = read_corpus({dir.str()});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"page", "t1", "t2", "7"}));
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(run.find("page")->title, "Caf\xC3\xA9");
    EXPECT_EQ(run.find("page")->body, "A caf\xC3\xA9 " + fffd + " with " + fffd + " two.");
    EXPECT_EQ(run.find("t1")->body, "First " + fffd + " caf\xC3\xA9.");
    EXPECT_EQ(run.find("t2")->body, "Second " + fffd + " caf\xC3\xA9.");
    EXPECT_EQ(run.find("7")->body, "The " + fffd + " caf\xC3\xA9.");
    std::vector<std::string> messages;
    for (const Diagnostic& d : run.diags) messages.push_back(format_diagnostic(d));
    EXPECT_EQ(
        messages,
        (std::vector<std::string>{
            (dir / "page.html").string() + ":4: warning: invalid characters repaired (declared iso-8859-1, read as "
                                           "windows-1252: undefined bytes replaced by U+FFFD)",
            (dir / "trec.sgml").string() + ":5: warning: invalid characters repaired (bytes that are not windows-1252 "
                                           "replaced by U+FFFD)",
            (dir / "wiki_00").string() +
                ":5: warning: invalid characters repaired (declared latin1, read as windows-1252: "
                "undefined bytes replaced by U+FFFD)"}));
}

// The order of precedence: a byte-order mark wins over a declaration, and a
// page that is UTF-8 despite its declaration stays UTF-8 (with a warning).
TEST(DeclaredCharset, ByteOrderMarkAndUtf8TextWinOverTheDeclaration) {
    TempDir dir;
    const std::string text = "<p>Москва встречает весну. Жители столицы радуются тёплой погоде.</p>";
    write_file(dir / "bom.html", "\xEF\xBB\xBF<meta charset=\"koi8-r\">" + text);
    write_file(dir / "utf8.html", "<meta charset=\"windows-1251\">\n" + text);
    const ReadResult run = read_corpus({dir.str()});
    ASSERT_EQ(run.ids(), (std::vector<std::string>{"bom", "utf8"}));
    for (const Article& a : run.articles)
        EXPECT_EQ(a.body, "Москва встречает весну. Жители столицы радуются тёплой погоде.") << a.id;
    ASSERT_EQ(run.diags.size(), 1u);
    EXPECT_EQ(format_diagnostic(run.diags[0]), (dir / "utf8.html").string() +
                                                   ":1: warning: charset declaration ignored (declares windows-1251, "
                                                   "but the text is UTF-8)");
}

// Formats without declarations (text, JSON, CSV) take none from their text.
TEST(DeclaredCharset, TextFormatsTakeNoDeclarationFromTheirContent) {
    TempDir dir;
    const std::string page = "<meta charset=\"koi8-r\"> caf\xE9";  // windows-1252 é, not KOI8-R's Й
    write_file(dir / "a.txt", "Title\n\n" + page + "\n");
    const ReadResult run = read_corpus({dir.str()});
    ASSERT_EQ(run.articles.size(), 1u);
    EXPECT_EQ(run.articles[0].body, "<meta charset=\"koi8-r\"> caf\xC3\xA9");
}

// ---- several inputs at once ------------------------------------------------

TEST(OpenCorpus, MixedDirectoryOfEveryFormatCompressedOrNot) {
    TempDir dir;
    const std::string fx = kFixtures;
    write_file(dir / "mixed/business/001.txt", trawl::test::read_file(fx + "/text/business/001.txt"));
    write_file(dir / "mixed/feeds/articles.jsonl.gz",
               trawl::test::gzip_compress(trawl::test::read_file(fx + "/articles.jsonl")));
    write_file(dir / "mixed/feeds/news.csv.zst", trawl::test::zstd_compress(trawl::test::read_file(fx + "/news.csv")));
    write_file(dir / "mixed/feeds/more.tsv", "id\ttitle\ttext\nt1\tTab story\tTabs work too.\n");
    write_file(dir / "mixed/reuters.sgm", trawl::test::read_file(fx + "/reuters.sgm"));
    write_file(dir / "mixed/web/story.html.gz",
               trawl::test::gzip_compress(trawl::test::read_file(fx + "/html/story.html")));
    write_file(dir / "mixed/web/saved-page", trawl::test::read_file(fx + "/html/main-only.htm"));
    const ReadResult run = read_corpus({(dir / "mixed").string()});
    EXPECT_EQ(run.ids(), (std::vector<std::string>{"business/001",                            // text
                                                   "doc-1", "doc-2", "42", "doc-6", "doc-8",  // jsonl.gz
                                                   "t1",                                      // tsv
                                                   "n1", "feeds/news:2", "n3", "n4", "n6",    // csv.zst
                                                   "1", "2", "4", "5",                        // sgm
                                                   "web/saved-page", "web/story"}));          // sniffed html, html.gz
    EXPECT_EQ(run.find("business/001")->source, "business");
    EXPECT_EQ(run.find("web/saved-page")->source, "web");
    EXPECT_EQ(run.find("web/story")->source, "Example News");
    EXPECT_EQ(run.find("web/saved-page")->title, "Council approves budget");
    EXPECT_EQ(run.find("n1")->source, "business");
    EXPECT_EQ(run.find("doc-1")->source, "wire");
    EXPECT_EQ(run.skipped, 5u + 2u + 2u);  // jsonl, csv, sgm fixtures
}

TEST(OpenCorpus, ChainsAllInputsAndCountsBytes) {
    const std::string jsonl = kFixtures + "/articles.jsonl";
    Diagnostics diag;
    auto reader = open_corpus({kFixtures + "/text", jsonl, kFixtures + "/reuters.sgm"}, {}, diag);
    std::vector<std::string> ids;
    Article a;
    while (reader->next(a)) ids.push_back(a.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"business/001", "tech/002-unicode", "tech/003-title-only", "doc-1",
                                             "doc-2", "42", "doc-6", "doc-8", "1", "2", "4", "5"}));
    const auto expected_bytes = fs::file_size(kFixtures + "/text/business/001.txt") +
                                fs::file_size(kFixtures + "/text/tech/002-unicode.txt") +
                                fs::file_size(kFixtures + "/text/tech/003-title-only.txt") + fs::file_size(jsonl) +
                                fs::file_size(kFixtures + "/reuters.sgm");
    EXPECT_EQ(reader->bytes_read(), expected_bytes);
    EXPECT_EQ(diag.skipped(), 0u + 5u + 2u);
}

// ---- real data (when ../shared/data is present) ----------------------------

TEST(RealData, Reuters21578AccountsForEveryRecord) {
    if (!data_dir("reuters21578")) GTEST_SKIP() << "no Reuters-21578 data at " << kData << "/reuters21578";
    const ReadResult run = read_corpus({kData + "/reuters21578"});
    EXPECT_EQ(run.articles.size() + run.skipped, 21578u);
    const Article* first = run.find("1");
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->title, "BAHIA COCOA REVIEW");
    EXPECT_EQ(first->date, "1987-02-26T15:01:01");
    EXPECT_TRUE(first->body.starts_with("Showers continued throughout the week")) << first->body.substr(0, 80);
    EXPECT_FALSE(first->body.ends_with("Reuter"));
    for (const auto& a : run.articles) {
        ASSERT_FALSE(a.body.ends_with("Reuter") || a.body.ends_with("REUTER")) << a.id;
        ASSERT_EQ(a.body.find('\x02'), std::string::npos) << a.id;
        ASSERT_TRUE(a.date.starts_with("1987-")) << a.id;
        // One record (NEWID 17192) has the time "605:12:19.12": only its date is kept.
        ASSERT_TRUE(a.date.size() == 19u || a.id == "17192") << a.id << " " << a.date;
    }
    // TYPE="BRIEF" records (a headline without text) are read, and UNPROC
    // ones whose only line is the headline: 1,806 in all. One record has
    // neither title nor text and is skipped.
    EXPECT_EQ(run.skipped_by_reason, (std::map<std::string, std::uint64_t>{{"empty text", run.skipped}}));
    const Article* brief = run.find("76");
    ASSERT_NE(brief, nullptr);
    EXPECT_EQ(brief->title, "U.S. COMMERCIAL PAPER FALLS 375 MLN DLRS IN FEB 18 WEEK, FED SAYS");
    EXPECT_EQ(brief->body, "");
    std::size_t title_only = 0;
    for (const auto& a : run.articles) title_only += a.body.empty();
    EXPECT_EQ(title_only, 1806u);
    EXPECT_EQ(run.skipped, 1u);
    EXPECT_EQ(run.warnings, 1u);  // the one invalid byte in reut2-017.sgm
}

TEST(RealData, BbcNewsReadsEveryArticle) {
    if (!data_dir("bbc-news")) GTEST_SKIP() << "no BBC News data at " << kData << "/bbc-news";
    const ReadResult run = read_corpus({kData + "/bbc-news"});
    EXPECT_EQ(run.articles.size(), 2225u);
    EXPECT_EQ(run.skipped, 0u);
    ASSERT_EQ(run.warnings, 1u);
    EXPECT_EQ(run.diags[0].file, kData + "/bbc-news/sport/199.txt");
    EXPECT_EQ(run.diags[0].reason, "invalid UTF-8 repaired");
    const Article* a = run.find("business/001");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->title, "Ad sales boost Time Warner profit");
    EXPECT_EQ(a->source, "business");
    ASSERT_NE(run.find("sport/199"), nullptr);
}

TEST(RealData, SeedArticle) {
    if (!data_dir("seed-article")) GTEST_SKIP() << "no seed article at " << kData << "/seed-article";
    const ReadResult run = read_corpus({kData + "/seed-article"});
    ASSERT_EQ(run.articles.size(), 1u);
    const Article& a = run.articles[0];
    EXPECT_EQ(a.id, "article");
    EXPECT_EQ(a.title, "Putin throws down gauntlet to Biden as war fears boil over: 'We have nowhere to retreat!'");
    EXPECT_TRUE(a.body.starts_with("The Russian president told a news conference in Moscow")) << a.body.substr(0, 80);
    EXPECT_NE(a.body.find("\n\nDespite these strong words"), std::string::npos);
    EXPECT_EQ(run.skipped + run.warnings, 0u);
}

// Every reader names the line of a bad record, or of the bad bytes in it
// (one-article-per-file formats: the page or file is the record). A saved
// page's warnings named the file alone ("page.html: warning: invalid UTF-8
// repaired"), leaving a large page to be searched by hand.
TEST(Readers, EveryFormatNamesTheLineOfABadRecord) {
    TempDir dir;
    const auto path = [&](const std::string& name) { return (dir / name).string(); };
    write_file(path("a.jsonl"), "{\"id\":\"j1\",\"text\":\"fine\"}\n{\"id\":\"j2\",\"text\":\"broken\n");
    write_file(path("b.csv"), "id,title,text\nc1,T,fine\nc2,T,too,many\n");
    write_file(path("c.tsv"), "id\ttitle\ttext\nt1\tT\tfine\nt2\tT\ttoo\tmany\n");
    write_file(path("d.trec"),
               "<DOC>\n<DOCNO>D1</DOCNO>\n<TEXT>fine</TEXT>\n</DOC>\n"
               "<DOC>\n<TEXT>no number</TEXT>\n</DOC>\n");
    write_file(path("e.txt"), "Title\n\nfine\n\nbad \xE9 byte\n");
    write_file(path("f.html"),
               "<html><head><title>T</title>\n"
               "<meta property=\"article:published_time\" content=\"someday\">\n"
               "</head><body>\n<p>fine</p>\n<p>bad \xE9 byte and \x01 a control</p>\n</body></html>\n");
    write_file(path("wiki_00"),
               "<doc id=\"1\" url=\"u\" title=\"A\">\nA\nfine\n</doc>\n"
               "<doc url=\"u\" title=\"B\">\nB\nno id\n</doc>\n");
    std::vector<std::string> got;
    for (const std::string name : {"a.jsonl", "b.csv", "c.tsv", "d.trec", "e.txt", "f.html", "wiki_00"}) {
        ReaderOptions opts;
        if (name == "wiki_00") opts.format = Format::Wiki;
        for (const auto& d : trawl::test::read_all({path(name)}, opts).diags) {
            EXPECT_EQ(d.file, path(name));
            got.push_back(name + ":" + std::to_string(d.line) + ": " + d.reason);
        }
    }
    EXPECT_EQ(got, (std::vector<std::string>{
                       "a.jsonl:2: invalid JSON",
                       "b.csv:3: too many fields",
                       "c.tsv:3: too many fields",
                       "d.trec:5: missing id",
                       "e.txt:5: invalid UTF-8 repaired",
                       "f.html:5: invalid UTF-8 repaired",
                       "f.html:5: control characters replaced by spaces",
                       "f.html:2: unparsable date",
                       "wiki_00:5: missing id",
                   }));
}
