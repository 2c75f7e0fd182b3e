#include "corpus/read/byte_source.hpp"

#include <memory>
#include <random>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "corpus/text/normalize.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/temp_dir.hpp"
#include "tests/testutil/utf16.hpp"

using namespace trawl::corpus;
using trawl::InputError;
using trawl::test::TempDir;
using trawl::test::write_file;

namespace {

// Reads everything through small, odd-sized reads to exercise buffering.
std::string read_all(ByteSource& src, std::size_t chunk = 777) {
    std::string out;
    std::vector<char> buf(chunk);
    while (std::size_t n = src.read(buf.data(), buf.size())) out.append(buf.data(), n);
    return out;
}

std::string read_all(const std::string& path, std::size_t chunk = 777) {
    auto src = open_byte_source(path);
    return read_all(*src, chunk);
}

// Several MB of varied, moderately compressible text.
std::string big_text() {
    std::mt19937 rng(42);
    std::string s;
    const char* words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "\xC3\xA9t\xC3\xA9", "zeta"};
    while (s.size() < 3'000'000) {
        s += words[rng() % 7];
        s += (rng() % 13 == 0) ? '\n' : ' ';
    }
    return s;
}

std::vector<std::string> all_lines(LineReader& r) {
    std::vector<std::string> lines;
    std::string line;
    while (r.next(line)) lines.push_back(line);
    return lines;
}

std::string expect_input_error(const std::string& path) {
    try {
        read_all(path);
    } catch (const InputError& e) {
        EXPECT_EQ(e.file, path);
        return e.what();
    }
    ADD_FAILURE() << "no InputError for " << path;
    return {};
}

}  // namespace

TEST(ByteSource, ReadsPlainFile) {
    TempDir dir;
    write_file(dir / "a.txt", "hello\nworld\n");
    auto src = open_byte_source((dir / "a.txt").string());
    EXPECT_EQ(read_all(*src), "hello\nworld\n");
    EXPECT_EQ(src->raw_bytes_read(), 12u);
    EXPECT_EQ(src->path(), (dir / "a.txt").string());
    EXPECT_EQ(src->read(nullptr, 0), 0u);
}

TEST(ByteSource, EmptyFile) {
    TempDir dir;
    write_file(dir / "empty", "");
    EXPECT_EQ(read_all((dir / "empty").string()), "");
}

TEST(ByteSource, ReadsZstdAndGzipStreaming) {
    TempDir dir;
    const std::string text = big_text();
    const std::string zst = trawl::test::zstd_compress(text);
    const std::string gz = trawl::test::gzip_compress(text);
    write_file(dir / "big.txt.zst", zst);
    write_file(dir / "big.txt.gz", gz);
    for (std::size_t chunk : {1u << 20, 4096u, 13u}) {
        EXPECT_EQ(read_all((dir / "big.txt.zst").string(), chunk), text) << chunk;
        EXPECT_EQ(read_all((dir / "big.txt.gz").string(), chunk), text) << chunk;
    }
    auto src = open_byte_source((dir / "big.txt.zst").string());
    read_all(*src);
    EXPECT_EQ(src->raw_bytes_read(), zst.size());
}

TEST(ByteSource, DetectsCompressionByMagicBytesNotName) {
    TempDir dir;
    write_file(dir / "misnamed.txt", trawl::test::zstd_compress("zstd inside"));
    write_file(dir / "also-misnamed", trawl::test::gzip_compress("gzip inside"));
    write_file(dir / "plain.gz", "not compressed at all");
    EXPECT_EQ(read_all((dir / "misnamed.txt").string()), "zstd inside");
    EXPECT_EQ(read_all((dir / "also-misnamed").string()), "gzip inside");
    EXPECT_EQ(read_all((dir / "plain.gz").string()), "not compressed at all");
}

TEST(ByteSource, ReadsAllZstdFramesAndGzipMembers) {
    TempDir dir;
    write_file(dir / "multi.zst", trawl::test::zstd_compress("first frame\n") + trawl::test::zstd_compress("") +
                                      trawl::test::zstd_compress("second frame\n"));
    write_file(dir / "multi.gz",
               trawl::test::gzip_compress("member one\n") + trawl::test::gzip_compress("member two\n"));
    EXPECT_EQ(read_all((dir / "multi.zst").string()), "first frame\nsecond frame\n");
    EXPECT_EQ(read_all((dir / "multi.gz").string()), "member one\nmember two\n");
}

// A zstd file may start with a skippable frame (pzstd writes one with its
// frame sizes): it was "binary file".
TEST(ByteSource, ZstdStartingWithASkippableFrameIsRead) {
    TempDir dir;
    const auto skippable = [](unsigned char low, std::string payload) {
        std::string f = {static_cast<char>(low), '\x2A', '\x4D', '\x18'};
        for (int i = 0; i < 4; ++i) f += static_cast<char>((payload.size() >> (8 * i)) & 0xFF);
        return f + payload;
    };
    write_file(dir / "p.jsonl.zst", skippable(0x50, std::string("\x10\0\0\0", 4)) +
                                        trawl::test::zstd_compress("after the skippable frame\n") +
                                        skippable(0x5F, "end") + trawl::test::zstd_compress("and more\n"));
    EXPECT_EQ(read_all((dir / "p.jsonl.zst").string()), "after the skippable frame\nand more\n");
}

TEST(ByteSource, TruncatedZstdThrowsNamingTheFile) {
    TempDir dir;
    const std::string zst = trawl::test::zstd_compress(big_text());
    const std::string path = (dir / "cut.jsonl.zst").string();
    write_file(path, zst.substr(0, zst.size() / 2));
    const std::string msg = expect_input_error(path);
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("unexpected end of zstd stream"), std::string::npos) << msg;

    write_file(path, zst.substr(0, 4));  // magic only
    EXPECT_NE(expect_input_error(path).find("unexpected end of zstd stream"), std::string::npos);
    write_file(path, zst.substr(0, zst.size() - 1));  // last byte missing
    EXPECT_NE(expect_input_error(path).find("unexpected end of zstd stream"), std::string::npos);
}

TEST(ByteSource, TruncatedGzipThrowsNamingTheFile) {
    TempDir dir;
    const std::string gz = trawl::test::gzip_compress(big_text());
    const std::string path = (dir / "cut.txt.gz").string();
    write_file(path, gz.substr(0, gz.size() / 2));
    const std::string msg = expect_input_error(path);
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("unexpected end of gzip stream"), std::string::npos) << msg;

    write_file(path, gz.substr(0, gz.size() - 4));  // trailer cut
    EXPECT_NE(expect_input_error(path).find("unexpected end of gzip stream"), std::string::npos);
}

// The text a source gives before it throws, and the error.
std::pair<std::string, InputError> read_until_error(const std::string& path) {
    std::string text;
    try {
        auto src = open_byte_source(path);
        std::vector<char> buf(777);
        while (std::size_t n = src->read(buf.data(), buf.size())) text.append(buf.data(), n);
    } catch (const InputError& e) {
        return {text, e};
    }
    ADD_FAILURE() << "no InputError for " << path;
    return {text, InputError(path, 0, "none")};
}

// A compressed file cut off names the line where its text stopped, the line
// of the byte after the last one given (the decompressors know bytes only):
// the line the reader had reached. Also when the break comes within the first
// bytes, read to tell the encoding, which are given first all the same.
TEST(ByteSource, TruncatedCompressedFileNamesTheLineWhereItsTextStopped) {
    TempDir dir;
    const std::string text = big_text();
    const std::string zst = trawl::test::zstd_compress(text), gz = trawl::test::gzip_compress(text);
    std::string small;  // under the 4 KiB read to tell the encoding
    for (int i = 1; small.size() < 3000; ++i) small += "line " + std::to_string(i * 7919) + " of some text\n";
    const std::string small_gz = trawl::test::gzip_compress(small);
    for (const auto& [name, bytes, why] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"cut.txt.zst", zst.substr(0, zst.size() / 2), "unexpected end of zstd stream"},
             {"cut.txt.gz", gz.substr(0, gz.size() / 2), "unexpected end of gzip stream"},
             {"small.txt.gz", small_gz.substr(0, small_gz.size() / 2), "unexpected end of gzip stream"}}) {
        const std::string path = (dir / name).string();
        write_file(path, bytes);
        const auto [got, error] = read_until_error(path);
        ASSERT_FALSE(got.empty()) << name;
        const std::string& whole = name.starts_with("small") ? small : text;
        EXPECT_TRUE(whole.starts_with(got)) << name;
        const std::uint64_t line = line_number_at(got, got.size());
        EXPECT_GT(line, 10u) << name;
        EXPECT_EQ(error.line, line) << name;
        EXPECT_EQ(std::string(error.what()), path + ":" + std::to_string(line) + ": " + why);

        // Read by lines: the one after the last line returned.
        LineReader lines(open_byte_source(path));
        std::string l;
        try {
            while (lines.next(l)) {
            }
            ADD_FAILURE() << "no InputError for " << name;
        } catch (const InputError& e) {
            EXPECT_EQ(e.line, lines.line_number() + 1) << name;
            EXPECT_EQ(e.line, line) << name;
        }
    }
    // Decoded text counts its own lines (UTF-16 bytes are not lines).
    const std::string path = (dir / "utf16.txt.gz").string();
    const std::string utf16_gz = trawl::test::gzip_compress(trawl::test::utf16(text, trawl::test::Endian::Little));
    write_file(path, utf16_gz.substr(0, utf16_gz.size() / 3));
    const auto [got, error] = read_until_error(path);
    EXPECT_TRUE(text.starts_with(got));
    EXPECT_GT(error.line, 10u);
    EXPECT_EQ(error.line, line_number_at(got, got.size()));
    // A file that gives no text at all is not at a line.
    write_file(path, gz.substr(0, 12));
    EXPECT_EQ(std::string(read_until_error(path).second.what()), path + ": unexpected end of gzip stream");
}

// A zstd frame's window is held whole while it is decoded: one that needs
// more than 128 MiB (`zstd --long=31` from a pipe says 2 GiB) is refused,
// saying what to do; one of 128 MiB is read.
TEST(ByteSource, ZstdFrameOverTheWindowLimitSaysHowToReadIt) {
    TempDir dir;
    // A frame without its content size has a window descriptor (its sixth
    // byte: log2 - 10 in the top five bits), which any window as large as
    // the data's decodes.
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 0);
    const std::string text = "a line of text\nand another one\n";
    std::string frame(ZSTD_compressBound(text.size()), '\0');
    frame.resize(ZSTD_compress2(cctx.get(), frame.data(), frame.size(), text.data(), text.size()));
    ASSERT_FALSE(ZSTD_isError(frame.size()));
    ASSERT_EQ(static_cast<unsigned char>(frame[4]) & 0x20, 0);  // not a single segment: a window descriptor
    const std::string path = (dir / "long.txt.zst").string();
    frame[5] = static_cast<char>((31 - 10) << 3);  // 2 GiB
    write_file(path, frame);
    EXPECT_EQ(expect_input_error(path),
              path +
                  ": zstd frame needs a 2048 MiB window (written with zstd --long?), more "
                  "than the 128 MiB a reader may hold; decompress it first: zstd -d --long=31");
    // In a later frame, at the line where the text stopped.
    write_file(path, trawl::test::zstd_compress("first\nsecond\n") + frame);
    EXPECT_EQ(expect_input_error(path), path +
                                            ":3: zstd frame needs a 2048 MiB window (written with zstd --long?), "
                                            "more than the 128 MiB a reader may hold; decompress it first: zstd -d "
                                            "--long=31");
    frame[5] = static_cast<char>((27 - 10) << 3);  // 128 MiB: read
    write_file(path, frame);
    EXPECT_EQ(read_all(path), text);
}

// bzip2, xz and lz4 files were "binary file": now the reason, naming the file.
TEST(ByteSource, OtherCompressorsAreNamed) {
    TempDir dir;
    for (const auto& [name, head, what] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"a.txt.bz2", "BZh91AY&SY", "bzip2"},
             {"b.txt.xz",
              std::string("\xFD"
                          "7zXZ\0\0\x04",
                          8),
              "xz"},
             {"c.txt.lz4", std::string("\x04\x22\x4D\x18\x64\x40", 6), "lz4"}}) {
        const std::string path = (dir / name).string();
        write_file(path, head + "compressed bytes follow");
        const std::string msg = expect_input_error(path);
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_NE(msg.find(what + "-compressed: only gzip and zstd are read; decompress it first"), std::string::npos)
            << msg;
    }
    write_file(dir / "d.txt", "BZh is how this text starts, and it is text.\n");
    EXPECT_EQ(read_all((dir / "d.txt").string()).substr(0, 6), "BZh is");
    // "BZh1" is a bzip2 header only with a block's magic after it (a review).
    write_file(dir / "e.txt", "BZh1 engine review\n\nThe BZh1 is a small engine.\n");
    EXPECT_EQ(read_all((dir / "e.txt").string()).substr(0, 11), "BZh1 engine");
}

TEST(ByteSource, CorruptCompressedDataThrows) {
    TempDir dir;
    write_file(dir / "bad.zst", std::string("\x28\xB5\x2F\xFD", 4) + "garbage after the zstd magic bytes");
    EXPECT_THROW(read_all((dir / "bad.zst").string()), InputError);
    write_file(dir / "bad.gz", std::string("\x1F\x8B\x08\x00garbage-garbage-garbage", 27));
    EXPECT_THROW(read_all((dir / "bad.gz").string()), InputError);
}

TEST(ByteSource, MissingFileThrowsInputError) {
    TempDir dir;
    const std::string path = (dir / "nope.txt").string();
    try {
        open_byte_source(path);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file, path);
        EXPECT_EQ(std::string(e.what()), path + ": cannot open: No such file or directory");
    }
}

TEST(ByteSource, StripCompressionSuffix) {
    EXPECT_EQ(strip_compression_suffix("a/b.jsonl.gz"), "a/b.jsonl");
    EXPECT_EQ(strip_compression_suffix("a/b.sgm.zst"), "a/b.sgm");
    EXPECT_EQ(strip_compression_suffix("a/b.txt"), "a/b.txt");
    EXPECT_EQ(strip_compression_suffix("noext"), "noext");
    EXPECT_EQ(strip_compression_suffix(".gz"), ".gz");
}

TEST(LineReader, SplitsLinesAndCountsThem) {
    TempDir dir;
    write_file(dir / "l.txt", "one\r\ntwo\n\nfour\r\nlast without newline");
    LineReader r(open_byte_source((dir / "l.txt").string()));
    std::string line;
    std::vector<std::pair<std::uint64_t, std::string>> got;
    while (r.next(line)) got.emplace_back(r.line_number(), line);
    const std::vector<std::pair<std::uint64_t, std::string>> want = {
        {1, "one"}, {2, "two"}, {3, ""}, {4, "four"}, {5, "last without newline"}};
    EXPECT_EQ(got, want);
    EXPECT_FALSE(r.next(line));
}

// Old Mac text ends its lines with a lone CR: a line break as a LF and a
// CR-LF are (which stays one break, not two), also where a CR is the last
// byte of a read buffer (128 KiB) and whether a LF follows is read later.
TEST(LineReader, ALoneCrEndsALineAsALfAndACrLfDo) {
    TempDir dir;
    write_file(dir / "cr.txt", "one\rtwo\r\n\rfour\r\r\nsix\n\rlast");
    LineReader r(open_byte_source((dir / "cr.txt").string()));
    std::string line;
    std::vector<std::pair<std::uint64_t, std::string>> got;
    while (r.next(line)) got.emplace_back(r.line_number(), line);
    const std::vector<std::pair<std::uint64_t, std::string>> want = {{1, "one"}, {2, "two"}, {3, ""}, {4, "four"},
                                                                     {5, ""},    {6, "six"}, {7, ""}, {8, "last"}};
    EXPECT_EQ(got, want);

    constexpr std::size_t kChunk = 1 << 17;
    const std::string first(kChunk - 1, 'x');  // its CR is the chunk's last byte
    for (const std::string after : {"\r\nnext\rlast\r", "\rnext\r\nlast\r\n", "\r\n"}) {
        write_file(dir / "edge.txt", first + after);
        LineReader e(open_byte_source((dir / "edge.txt").string()));
        std::vector<std::string> lines(1);
        ASSERT_TRUE(e.next(lines[0]));
        EXPECT_EQ(e.peek(4), after.size() == 2 ? "" : "next");  // not the LF of a CR-LF
        for (const std::string& more : all_lines(e)) lines.push_back(more);
        const std::vector<std::string> want_edge =
            after.size() == 2 ? std::vector<std::string>{first} : std::vector<std::string>{first, "next", "last"};
        EXPECT_EQ(lines, want_edge) << after.size();
        EXPECT_EQ(e.line_number(), want_edge.size());
    }

    // A line over the limit ends at a lone CR too.
    constexpr std::size_t kMax = 1000;
    write_file(dir / "long.txt", "short\r" + std::string(kMax + 5, 'x') + "\rafter\r");
    LineReader l(open_byte_source((dir / "long.txt").string()), kMax);
    std::vector<std::tuple<std::uint64_t, bool, std::uint64_t, std::string>> long_got;
    while (l.next(line)) long_got.emplace_back(l.line_number(), l.too_long(), l.line_bytes(), line);
    const std::vector<std::tuple<std::uint64_t, bool, std::uint64_t, std::string>> long_want = {
        {1, false, 5, "short"}, {2, true, kMax + 5, ""}, {3, false, 5, "after"}};
    EXPECT_EQ(long_got, long_want);
}

TEST(LineReader, EmptyFileHasNoLinesAndFinalNewlineAddsNone) {
    TempDir dir;
    write_file(dir / "e.txt", "");
    write_file(dir / "n.txt", "a\n");
    LineReader e(open_byte_source((dir / "e.txt").string()));
    EXPECT_TRUE(all_lines(e).empty());
    LineReader n(open_byte_source((dir / "n.txt").string()));
    EXPECT_EQ(all_lines(n), std::vector<std::string>{"a"});
}

TEST(LineReader, StripsByteOrderMarkOnFirstLine) {
    TempDir dir;
    write_file(dir / "bom.txt", "\xEF\xBB\xBFtitle\n\xEF\xBB\xBFkept\n");
    LineReader r(open_byte_source((dir / "bom.txt").string()));
    EXPECT_EQ(all_lines(r), (std::vector<std::string>{"title", "\xEF\xBB\xBFkept"}));
}

TEST(LineReader, VeryLongLinesAcrossBuffers) {
    TempDir dir;
    const std::string long1(3'000'000, 'x');
    const std::string long2(500'001, 'y');
    write_file(dir / "long.txt.gz", trawl::test::gzip_compress("short\n" + long1 + "\r\n" + long2));
    LineReader r(open_byte_source((dir / "long.txt.gz").string()));
    const auto lines = all_lines(r);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "short");
    EXPECT_EQ(lines[1], long1);
    EXPECT_EQ(lines[2], long2);
    EXPECT_EQ(r.line_number(), 3u);
}

TEST(LineReader, ManyLinesThroughZstd) {
    TempDir dir;
    std::string text;
    for (int i = 0; i < 100'000; ++i) text += "line " + std::to_string(i) + "\n";
    write_file(dir / "many.zst", trawl::test::zstd_compress(text));
    LineReader r(open_byte_source((dir / "many.zst").string()));
    std::string line;
    std::uint64_t n = 0;
    while (r.next(line)) {
        ASSERT_EQ(line, "line " + std::to_string(n));
        ++n;
    }
    EXPECT_EQ(n, 100'000u);
    EXPECT_EQ(r.line_number(), 100'000u);
}

TEST(LineReader, LineOverTheLimitIsReadPastNotKeptAndItsLengthCounted) {
    TempDir dir;
    constexpr std::size_t kMax = 1 << 20;
    const std::string at_limit(kMax, 'a');
    const std::string over(kMax + 5, 'x');
    const std::string endless(3 * kMax + 7, 'y');  // the last line, no newline
    const std::string text = "short\n" + at_limit + "\n" + over + "\r\nafter\n" + endless;
    write_file(dir / "l.txt", text);
    write_file(dir / "l.txt.gz", trawl::test::gzip_compress(text));
    for (const char* name : {"l.txt", "l.txt.gz"}) {
        LineReader r(open_byte_source((dir / name).string()), kMax);
        std::string line;
        std::vector<std::tuple<std::uint64_t, bool, std::uint64_t, std::string>> got;
        while (r.next(line))
            got.emplace_back(r.line_number(), r.too_long(), r.line_bytes(),
                             line.size() > 16 ? line.substr(0, 3) : line);
        const std::vector<std::tuple<std::uint64_t, bool, std::uint64_t, std::string>> want = {
            {1, false, 5, "short"}, {2, false, kMax, "aaa"},     {3, true, kMax + 5, ""},
            {4, false, 5, "after"}, {5, true, 3 * kMax + 7, ""},
        };
        EXPECT_EQ(got, want) << name;
    }
}

TEST(LineReader, PeekShowsTheFirstBytesWithoutConsumingThem) {
    TempDir dir;
    write_file(dir / "p.txt", "hello world\nsecond\n");
    LineReader r(open_byte_source((dir / "p.txt").string()));
    EXPECT_EQ(r.peek(5), "hello");
    EXPECT_EQ(r.peek(100), "hello world\nsecond\n");  // fewer at end of input
    std::string line;
    ASSERT_TRUE(r.next(line));
    EXPECT_EQ(line, "hello world");
    EXPECT_EQ(r.peek(3), "sec");
    EXPECT_EQ(all_lines(r), std::vector<std::string>{"second"});
    EXPECT_EQ(r.peek(3), "");
}

// UTF-16 with a byte-order mark comes out as UTF-8, whatever the read sizes:
// code units and surrogate pairs split across reads and buffers, compressed or not.
TEST(ByteSource, Utf16WithByteOrderMarkIsDecodedToUtf8Streaming) {
    TempDir dir;
    std::string text = big_text();
    for (std::size_t i = text.find(' ', 1000); i < text.size(); i = text.find(' ', i + 70001))
        text.insert(i, "\xF0\x9F\x93\xB0");  // U+1F4F0, a surrogate pair, between words
    using trawl::test::Endian;
    write_file(dir / "le.txt", trawl::test::utf16(text, Endian::Little));
    write_file(dir / "be.txt.zst", trawl::test::zstd_compress(trawl::test::utf16(text, Endian::Big)));
    for (const char* name : {"le.txt", "be.txt.zst"}) {
        const std::string path = (dir / name).string();
        EXPECT_TRUE(read_all(path, 777) == text) << name;
        EXPECT_TRUE(read_all(path, 1) == text) << name;
        EXPECT_TRUE(read_all(path, 1 << 20) == text) << name;
    }
    // A lone BOM is an empty text; UTF-8 is left as it is.
    write_file(dir / "bom-only", "\xFF\xFE");
    EXPECT_EQ(read_all((dir / "bom-only").string()), "");
    write_file(dir / "utf8", text.substr(0, 5000));
    EXPECT_TRUE(read_all((dir / "utf8").string()) == text.substr(0, 5000));
}

// UTF-16 without a byte-order mark, told by its NULs, streams the same way.
TEST(ByteSource, Utf16WithoutByteOrderMarkIsDecodedToUtf8Streaming) {
    TempDir dir;
    const std::string text = big_text();
    using trawl::test::Endian;
    write_file(dir / "le.txt", trawl::test::utf16(text, Endian::Little, false));
    write_file(dir / "be.txt.gz", trawl::test::gzip_compress(trawl::test::utf16(text, Endian::Big, false)));
    write_file(dir / "tiny", std::string("a\0b\0", 4));
    for (const char* name : {"le.txt", "be.txt.gz"}) {
        EXPECT_TRUE(read_all((dir / name).string(), 777) == text) << name;
        EXPECT_TRUE(read_all((dir / name).string(), 1) == text) << name;
    }
    EXPECT_EQ(read_all((dir / "tiny").string()), "ab");
}
