// Hostile input: every kind of bad record is skipped and counted (or repaired)
// with a message naming its file and line, and the good records around it are
// read. The corpus is written at test time (tests/testutil/hostile_corpus.hpp).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/text/normalize.hpp"
#include "corpus/text/passage_splitter.hpp"
#include "corpus/text/sentence_splitter.hpp"
#include "tests/corpus/read_corpus.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/hostile_corpus.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl::corpus;
using trawl::test::TempDir;
using trawl::test::write_file;

namespace {

using ReadRun = trawl::test::CorpusRun;
using trawl::test::read_all;

}  // namespace

TEST(HostileInput, GoodRecordsAreReadAndEveryBadOneIsSkippedAndCounted) {
    TempDir dir;
    const auto corpus = trawl::test::write_hostile_corpus(dir.path());
    const ReadRun run = read_all({dir.str()});

    for (const auto& [id, word] : corpus.good) {
        const Article* a = run.find(id);
        ASSERT_NE(a, nullptr) << "article " << id << " missing";
        EXPECT_NE(a->body.find(word), std::string::npos) << id << ": " << a->body;
    }
    EXPECT_EQ(run.skipped_by_reason, corpus.skipped);
    // Nothing of the binary file, the cut .gz article or the unclosed record.
    EXPECT_EQ(run.find("d-binary"), nullptr);
    EXPECT_EQ(run.find("f-cut"), nullptr);
    EXPECT_EQ(run.find("S2"), nullptr);
    // Every article is valid UTF-8 without NUL or other control bytes.
    for (const auto& a : run.articles) {
        EXPECT_TRUE(is_valid_utf8(a.body)) << a.id;
        EXPECT_EQ(std::count_if(a.body.begin(), a.body.end(),
                                [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; }),
                  0)
            << a.id;
    }
    EXPECT_EQ(run.find("c-nul")->body, "The text has NUL bytes in camelword.");
    // One line per skip, naming the file (and the line where there is one).
    const auto messages = run.skip_messages();
    for (const auto& m : messages) EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    for (const auto& name : corpus.named) {
        const std::string want = (dir.path() / name).string() + ": skipped: ";
        EXPECT_TRUE(std::any_of(messages.begin(), messages.end(), [&](const auto& m) { return m.starts_with(want); }))
            << "no skip message starting with " << want;
    }
}

TEST(HostileInput, TruncatedCompressedFileKeepsWhatWasReadAndGoesOnToTheNextFile) {
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 4000; ++i)
        lines += "{\"_id\": \"r" + std::to_string(i) + "\", \"text\": \"record " + std::to_string(i * 7919) + "\"}\n";
    const std::string zst = trawl::test::zstd_compress(lines);
    const std::string gz = trawl::test::gzip_compress(lines);
    write_file(dir / "1.jsonl.zst", zst.substr(0, zst.size() - 10));
    write_file(dir / "2.jsonl.gz", gz.substr(0, gz.size() - 10));
    write_file(dir / "3.jsonl", "{\"_id\": \"after\", \"text\": \"the next file is read\"}\n");
    const ReadRun run = read_all({dir.str()});

    ASSERT_GE(run.articles.size(), 2u);
    EXPECT_EQ(run.articles.back().id, "after");
    // What came out of each cut file is a prefix of its records, in order.
    EXPECT_EQ(run.articles.front().id, "r0");
    EXPECT_EQ(run.skipped_by_reason, (std::map<std::string, std::uint64_t>{{"unreadable input", 2}}));
    const auto messages = run.skip_messages();
    ASSERT_EQ(messages.size(), 2u);
    // Each names the line where its text stopped: the one after its last record read.
    const auto second =
        std::find_if(run.articles.begin() + 1, run.articles.end(), [](const auto& a) { return a.id == "r0"; });
    ASSERT_NE(second, run.articles.end());
    const auto from_first = second - run.articles.begin();
    const auto from_second = run.articles.end() - 1 - second;
    ASSERT_GT(from_first, 100);
    ASSERT_GT(from_second, 100);
    EXPECT_EQ(messages[0], (dir / "1.jsonl.zst").string() + ":" + std::to_string(from_first + 1) +
                               ": skipped: unreadable input (unexpected end of zstd stream; rest of the file skipped)");
    EXPECT_EQ(messages[1], (dir / "2.jsonl.gz").string() + ":" + std::to_string(from_second + 1) +
                               ": skipped: unreadable input (unexpected end of gzip stream; rest of the file skipped)");
}

TEST(HostileInput, FiftyMegabyteSingleLineArticleSplitsIntoBoundedPassages) {
    // Generated, never committed: a title line, then 50 MB of words on one line
    // with no sentence punctuation at all.
    TempDir dir;
    const std::vector<std::string> vocab = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};
    std::string text = "One long line\n";
    text.reserve(50u << 20);
    std::uint64_t words = 0;
    while (text.size() < (50u << 20)) {
        text += vocab[words % vocab.size()];
        text += ' ';
        ++words;
    }
    text += '\n';
    write_file(dir / "long.txt", text);
    text.clear();
    text.shrink_to_fit();

    const ReadRun run = read_all({(dir / "long.txt").string()});
    ASSERT_EQ(run.articles.size(), 1u);
    const Article& a = run.articles[0];
    EXPECT_EQ(a.title, "One long line");
    EXPECT_EQ(count_words(a.body), words);

    const PassageSplitter splitter(SplitOptions{100, 20});
    const auto passages = splitter.split(a.body);
    // One sentence longer than a passage: chunks of 100 words advancing by 80.
    const std::uint64_t expected = words <= 100 ? 1 : 1 + (words - 100 + 79) / 80;
    ASSERT_EQ(passages.size(), expected);
    for (const auto& p : passages) ASSERT_LE(count_words(p.text), 100u) << "passage " << p.ordinal;
    EXPECT_EQ(passages.front().begin, 0u);
    EXPECT_EQ(passages.back().end, a.body.size());
}

TEST(HostileInput, CsvWithUnbalancedQuotesIsSkippedWithFileAndLine) {
    TempDir dir;
    const std::string path = (dir / "bad.csv").string();
    write_file(path,
               "id,title,text\n"
               "1,\"Fine\",\"A good CSV row.\"\n"
               "2,\"Broken,\"the quote before Broken is never closed\n"
               "3,\"Also fine\",\"Another good row.\"\n");
    ReaderOptions opts;
    opts.format = Format::Csv;
    const ReadRun run = read_all({path}, opts);
    ASSERT_NE(run.find("1"), nullptr);
    const auto messages = run.skip_messages();
    EXPECT_TRUE(std::any_of(messages.begin(), messages.end(),
                            [&](const auto& m) { return m.starts_with(path + ":3: skipped: "); }))
        << "no skip naming " << path << ":3";
}

TEST(LooksBinary, NulPlusManyControlOrInvalidBytesIsBinary) {
    EXPECT_TRUE(looks_binary(trawl::test::binary_bytes(8192)));
    EXPECT_TRUE(looks_binary(std::string("a\0b\0c\0d\0", 8)));  // UTF-16-like
    EXPECT_FALSE(looks_binary("plain text\nwith lines\n"));
    EXPECT_FALSE(looks_binary(std::string("one stray \0 NUL in a line of ordinary text", 42)));
    EXPECT_FALSE(looks_binary("caf\xE9 \x93quoted\x94 Windows-1252 with no NUL at all \x01\x02\x03"));
}

TEST(HostileInput, RecordsOverMaxArticleBytesAreSkippedAndCountedInEveryFormat) {
    TempDir dir;
    constexpr std::size_t kMax = 1 << 20;
    // Lines of words over 1.5 MB in all, and one line of it alone.
    std::string lines, one_line;
    while (lines.size() < kMax * 3 / 2) lines += "filler words of a very long record\n";
    while (one_line.size() < kMax * 3 / 2) one_line += "filler words of a very long line ";
    // A JSONL line of exactly 1.5 MiB.
    const std::string head = "{\"id\": \"j2\", \"text\": \"";
    write_file(dir / "a.jsonl", "{\"id\": \"j1\", \"text\": \"small jsonword\"}\n" + head +
                                    std::string(kMax * 3 / 2 - head.size() - 2, 'x') +
                                    "\"}\n{\"id\": \"j3\", \"text\": \"after jsonafter\"}\n");
    write_file(dir / "b.csv", "id,text\nc1,small csvword\nc2,\"" + lines + "\"\nc3,after csvafter\n");
    write_file(dir / "c.sgm",
               "<DOC>\n<DOCNO>s1</DOCNO>\n<TEXT>small sgmlword</TEXT>\n</DOC>\n"
               "<DOC>\n<DOCNO>s2</DOCNO>\n<TEXT>\n" +
                   lines +
                   "</TEXT>\n</DOC>\n"
                   "<DOC>\n<DOCNO>s3</DOCNO>\n<TEXT>after sgmlafter</TEXT>\n</DOC>\n");
    write_file(dir / "d.sgm", "<DOC>\n<DOCNO>t1</DOCNO>\n<TEXT>\n" + one_line +
                                  "\n</TEXT>\n</DOC>\n"
                                  "<DOC>\n<DOCNO>t2</DOCNO>\n<TEXT>after longline</TEXT>\n</DOC>\n");
    write_file(dir / "e.txt", "Long text\n\n" + lines);
    write_file(dir / "f.html", "<html><body><p>" + lines + "</p></body></html>\n");
    write_file(dir / "g.txt", "Small\n\nA small text file about goodword.\n");
    ReaderOptions opts;
    opts.max_article_bytes = kMax;
    const ReadRun run = read_all({dir.str()}, opts);

    EXPECT_EQ(run.ids(), (std::vector<std::string>{"j1", "j3", "c1", "c3", "s1", "s3", "t2", "g"}));
    EXPECT_EQ(run.skipped_by_reason, (std::map<std::string, std::uint64_t>{{"article too large", 6}}));
    const auto messages = run.skip_messages();
    ASSERT_EQ(messages.size(), 6u);
    EXPECT_EQ(messages[0],
              (dir / "a.jsonl").string() + ":2: skipped: article too large (1.5 MB, limit 1 MB; --max-article-mb)");
    // Each names the file and the record's first line.
    const std::vector<std::string> where = {
        (dir / "a.jsonl").string() + ":2: ", (dir / "b.csv").string() + ":3: ", (dir / "c.sgm").string() + ":5: ",
        (dir / "d.sgm").string() + ":1: ",   (dir / "e.txt").string() + ": ",   (dir / "f.html").string() + ": "};
    for (std::size_t i = 0; i < where.size(); ++i) {
        EXPECT_TRUE(messages[i].starts_with(where[i] + "skipped: article too large (")) << messages[i];
        EXPECT_TRUE(messages[i].ends_with(" MB, limit 1 MB; --max-article-mb)")) << messages[i];
    }
    // At the default limit (64 MB) every record is read.
    EXPECT_EQ(read_all({dir.str()}).articles.size(), 14u);
}

TEST(HostileInput, BinaryFilesAreSkippedFromTheirFirstBytesInEveryFormat) {
    // 256 MB of NUL bytes with no newline, sparse (no disk), under every
    // format's name: each is skipped after its first few KB, never read as lines.
    TempDir dir;
    for (const char* name : {"z.txt", "z.jsonl", "z.csv", "z.sgm", "z.html", "z"}) {
        std::ofstream((dir / name).string());
        std::filesystem::resize_file(dir / name, 256u << 20);
    }
    write_file(dir / "g.txt", "Small\n\nA small text file about goodword.\n");
    Diagnostics diag;
    auto reader = open_corpus({dir.str()}, {}, diag);
    std::vector<std::string> ids;
    for (Article a; reader->next(a);) ids.push_back(a.id);
    EXPECT_EQ(ids, std::vector<std::string>{"g"});
    EXPECT_EQ(diag.skipped_by_reason(), (std::map<std::string, std::uint64_t>{{"binary file", 6}}));
    EXPECT_LT(reader->bytes_read(), 2u << 20);
}
