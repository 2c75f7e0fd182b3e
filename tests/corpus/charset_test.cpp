#include "corpus/text/charset.hpp"

#include <random>

#include <gtest/gtest.h>

#include "corpus/read/byte_source.hpp"
#include "corpus/text/normalize.hpp"
#include "corpus/text/utf16.hpp"
#include "tests/testutil/compress.hpp"
#include "tests/testutil/hostile_corpus.hpp"
#include "tests/testutil/temp_dir.hpp"
#include "tests/testutil/utf16.hpp"

using namespace trawl::corpus;
using trawl::test::TempDir;
using trawl::test::write_file;

namespace {

std::string label_of(std::string_view head, CharsetDeclarations kind = CharsetDeclarations::Html) {
    const auto d = find_charset_declaration(head, kind);
    return d ? d->label + "@" + std::to_string(d->line) : "none";
}

struct Decoded {
    std::string text;
    std::uint64_t replaced = 0, first_replaced_line = 0;
    bool utf8_despite_declaration = false;
};

// Decodes `in` fed `step` bytes at a time.
Decoded decode(const std::string& charset, std::string_view in, std::size_t step) {
    CharsetDecoder d(resolve_charset(charset).iconv_name);
    Decoded out;
    for (std::size_t i = 0; i < in.size(); i += step) d.decode(in.substr(i, step), out.text);
    d.finish(out.text);
    out.replaced = d.replaced();
    out.first_replaced_line = d.first_replaced_line();
    out.utf8_despite_declaration = d.utf8_despite_declaration();
    return out;
}

// Windows-1251 for а..я (U+0430..U+044F) is E0..FF; KOI8-R's are a shuffle of C0..DF.
std::string cp1251(std::u32string_view text) {
    std::string out;
    for (char32_t c : text) out += c < 0x80 ? static_cast<char>(c) : static_cast<char>(0xE0 + (c - 0x430));
    return out;
}

const std::string kMoskva = "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0";  // "Москва" in UTF-8

}  // namespace

TEST(CharsetDeclaration, FoundWhereTheHtmlPrescanFindsIt) {
    EXPECT_EQ(label_of("<!DOCTYPE html>\n<html><head>\n<meta charset=\"windows-1251\">"), "windows-1251@3");
    EXPECT_EQ(label_of("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\">"), "ISO-8859-2@1");
    EXPECT_EQ(label_of("<META HTTP-EQUIV=content-type CONTENT='text/html;charset = \"koi8-r\"'>"), "koi8-r@1");
    EXPECT_EQ(label_of("<meta charset=Shift_JIS/>"), "Shift_JIS/@1");  // unquoted: the slash is the value's
    EXPECT_EQ(label_of("<?xml version=\"1.0\" encoding='koi8-r'?>\n<doc/>"), "koi8-r@1");
    EXPECT_EQ(label_of("\n  <?xml version=\"1.0\"\n encoding=\"cp1251\"?>", CharsetDeclarations::Xml), "cp1251@3");
    // Not a declaration: in a comment, a content without http-equiv, past the
    // first 1024 bytes, an XML declaration for a format without declarations.
    EXPECT_EQ(label_of("<!-- <meta charset=\"koi8-r\"> --><p>x</p>"), "none");
    EXPECT_EQ(label_of("<meta name=\"description\" content=\"charset=koi8-r\">"), "none");
    EXPECT_EQ(label_of(std::string(1100, ' ') + "<meta charset=\"koi8-r\">"), "none");
    EXPECT_EQ(label_of("<meta charset=\"koi8-r\">", CharsetDeclarations::Xml), "none");
    EXPECT_EQ(label_of("<?xml version=\"1.0\" encoding=\"koi8-r\"?>", CharsetDeclarations::None), "none");
    EXPECT_EQ(label_of("<meta charset=\"koi8-r"), "none");  // cut off
}

// A declaration's line counts lone CRs and CR-LFs as line ends, as the readers do.
TEST(CharsetDeclaration, ItsLineCountsEveryLineEnd) {
    EXPECT_EQ(label_of("<html>\r<head>\r<meta charset=\"windows-1251\">"), "windows-1251@3");
    EXPECT_EQ(label_of("<html>\r\n<head>\r\r\n<meta charset=\"koi8-r\">"), "koi8-r@4");
    EXPECT_EQ(label_of("\r  <?xml version=\"1.0\"\r encoding=\"cp1251\"?>", CharsetDeclarations::Xml), "cp1251@3");
}

TEST(Charset, LabelsResolveAsTheWebUsesThem) {
    for (const char* detected : {"utf-8", "UTF8", "utf-16"})
        EXPECT_EQ(resolve_charset(detected).kind, Charset::Detected) << detected;
    // Read as Trawl's own detection reads text, UTF-8 else windows-1252, not decoded.
    for (const char* latin : {"iso-8859-1", "Latin1", "US-ASCII", "windows-1252", "cp1252"}) {
        EXPECT_EQ(resolve_charset(latin).kind, Charset::Windows1252) << latin;
        EXPECT_EQ(resolve_charset(latin).iconv_name, "") << latin;
    }
    EXPECT_EQ(resolve_charset("Shift_JIS").iconv_name, "CP932");  // a backslash stays a backslash
    EXPECT_EQ(resolve_charset("gb2312").iconv_name, "GB18030");
    EXPECT_EQ(resolve_charset(" KOI8-R ").iconv_name, "koi8-r");
    EXPECT_EQ(resolve_charset("windows-1251").kind, Charset::Decoded);
    EXPECT_EQ(resolve_charset("iso-8859-2").kind, Charset::Decoded);
    for (const char* unknown : {"x-klingon", "", "utf-8//TRANSLIT", "UTF-32", "UCS-4", "IBM037"})
        EXPECT_EQ(resolve_charset(unknown).kind, Charset::Unknown) << unknown;
}

TEST(CharsetDecoder, DecodesInPiecesOfAnySize) {
    const std::string cyrillic = cp1251(U"\u041C\u043E\u0441\u043A\u0432\u0430") + "\n";  // М is C0+0x0C
    EXPECT_EQ(cyrillic[0], '\xCC');
    // Shift_JIS: 2-byte characters cut anywhere; 0x5C is a backslash.
    const std::string sjis = "\x93\x8C\x8B\x9E C:\\dir\n";  // 東京
    for (std::size_t step : {1u, 2u, 3u, 1000u}) {
        EXPECT_EQ(decode("windows-1251", cyrillic, step).text, kMoskva + "\n") << step;
        EXPECT_EQ(decode("shift_jis", sjis, step).text, "\xE6\x9D\xB1\xE4\xBA\xAC C:\\dir\n") << step;
    }
}

TEST(CharsetDecoder, BytesOutsideTheCharsetBecomeReplacementCharactersCountedWithTheirLine) {
    // 0xFF 0xFF is no Shift_JIS character; a lead byte at the very end is cut off.
    const Decoded d = decode("shift_jis", "a\nb\n\xFF\xFF z\x93", 1);
    EXPECT_EQ(d.text, "a\nb\n\xEF\xBF\xBD\xEF\xBF\xBD z\xEF\xBF\xBD");
    EXPECT_EQ(d.replaced, 3u);
    EXPECT_EQ(d.first_replaced_line, 3u);
    EXPECT_FALSE(d.utf8_despite_declaration);
}

// The line of a replacement is the line a reader gives: a lone CR and a
// CR-LF end a line as a LF does, also when a piece ends between CR and LF.
TEST(CharsetDecoder, ReplacementLinesCountEveryLineEndAsTheReadersDo) {
    for (std::size_t step : {1u, 2u, 3u, 1000u}) {
        // Lines: "a", "b", "", then the bad bytes on line 4.
        const Decoded d = decode("shift_jis", "a\rb\r\n\r\xFF\xFF z\n", step);
        EXPECT_EQ(d.text, "a\rb\r\n\r\xEF\xBF\xBD\xEF\xBF\xBD z\n") << step;
        EXPECT_EQ(d.first_replaced_line, 4u) << step;
        EXPECT_EQ(decode("shift_jis", "\r\n\r\n\xFF", step).first_replaced_line, 3u) << step;
    }
}

TEST(CharsetDecoder, TextThatIsUtf8DespiteItsDeclarationPassesThrough) {
    const std::string page = "<p>" + kMoskva + " " + kMoskva + " " + kMoskva + " " + kMoskva + " " + kMoskva + "</p>\n";
    for (std::size_t step : {1u, 7u, 1000u}) {
        const Decoded d = decode("windows-1251", page, step);
        EXPECT_EQ(d.text, page) << step;
        EXPECT_TRUE(d.utf8_despite_declaration);
        EXPECT_EQ(d.replaced, 0u);
    }
}

// The UTF-16 decoder counts lines by code units: U+000A, U+000D U+000A (its
// code units split between pieces or not) and a lone U+000D each end one.
TEST(Utf16Decoder, ReplacementLinesCountEveryLineEndAsTheReadersDo) {
    using trawl::test::Endian;
    const std::string lone_high("\x3D\xD8", 2);  // U+D83D, little-endian, without its low half
    // Lines: "Title", "", "x", then the lone surrogate on line 4.
    const std::string units = trawl::test::utf16("Title\r\rx\r\n", Endian::Little, false) + lone_high +
                              trawl::test::utf16(" y\r", Endian::Little, false);
    for (std::size_t step : {1u, 2u, 3u, 4u, 1000u}) {
        Utf16Decoder d(Utf16Order::Little);
        std::string out;
        for (std::size_t i = 0; i < units.size(); i += step) d.decode(std::string_view(units).substr(i, step), out);
        d.finish(out);
        EXPECT_EQ(out, "Title\r\rx\r\n\xEF\xBF\xBD y\r") << step;
        EXPECT_EQ(d.replaced(), 1u) << step;
        EXPECT_EQ(d.first_replaced_line(), 4u) << step;
    }
}

// Declared windows-1252 reads as undeclared text does (repair_utf8): its
// UTF-8 runs as they are, its other bytes as windows-1252, whatever the
// pieces it comes in (a UTF-8 character may be split between them; cut off
// by the end of the input, its bytes are windows-1252).
TEST(Windows1252Decoder, DecodesInPiecesAsUndeclaredTextIsRepaired) {
    const std::string text = "Caf\xE9 \x93quoted\x94 \xE2\x82\xAC 5 na\xC3\xAFve \xF0\x9F\x93\xB0 \xE2\x82 \xC3";
    const std::string utf8 =
        "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC 5 na\xC3\xAFve \xF0\x9F\x93\xB0 "
        "\xC3\xA2\xE2\x80\x9A \xC3\x83";
    EXPECT_EQ(repair_utf8(text), utf8);
    for (std::size_t step : {1u, 2u, 3u, 5u, 1000u}) {
        Windows1252Decoder d;
        std::string out;
        for (std::size_t i = 0; i < text.size(); i += step) d.decode(std::string_view(text).substr(i, step), out);
        d.finish(out);
        EXPECT_EQ(out, utf8) << step;
        EXPECT_EQ(d.replaced(), 0u);
    }
    // Random bytes (no controls, which are the readers' to replace) in random pieces.
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        std::string bytes;
        for (int i = 0; i < 64; ++i) {
            const auto b = static_cast<unsigned char>(rng() % 2 ? 0x80 + rng() % 0x80 : 0x20 + rng() % 0x60);
            bytes += static_cast<char>(b);
        }
        Windows1252Decoder d;
        std::string out;
        for (std::size_t i = 0; i < bytes.size();) {
            const std::size_t n = 1 + rng() % 7;
            d.decode(std::string_view(bytes).substr(i, n), out);
            i += n;
        }
        d.finish(out);
        ASSERT_EQ(out, repair_utf8(bytes)) << round;
    }
}

// The five bytes windows-1252 leaves undefined become U+FFFD, counted with the
// line of the first (lines ended as the readers end them).
TEST(Windows1252Decoder, UndefinedBytesBecomeReplacementCharactersCountedWithTheirLine) {
    const std::string text = "caf\xE9\rsecond\r\nthird \x81 \x8D\x8F\x90\x9D\n";
    for (std::size_t step : {1u, 2u, 1000u}) {
        Windows1252Decoder d;
        std::string out;
        for (std::size_t i = 0; i < text.size(); i += step) d.decode(std::string_view(text).substr(i, step), out);
        d.finish(out);
        EXPECT_EQ(out, "caf\xC3\xA9\rsecond\r\nthird \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\n")
            << step;
        EXPECT_EQ(d.replaced(), 5u) << step;
        EXPECT_EQ(d.first_replaced_line(), 3u) << step;
    }
}

TEST(Utf16WithoutBom, ToldByItsNulsAndNotByBinaryData) {
    const std::string text = "Headline\r\n\r\nThe caf\xC3\xA9 reopened on Monday.\r\n";
    using trawl::test::Endian;
    EXPECT_EQ(utf16_order_without_bom(trawl::test::utf16(text, Endian::Little, false)), Utf16Order::Little);
    EXPECT_EQ(utf16_order_without_bom(trawl::test::utf16(text, Endian::Big, false)), Utf16Order::Big);
    EXPECT_EQ(utf16_order_without_bom(text), std::nullopt);
    EXPECT_EQ(utf16_order_without_bom(std::string(4096, '\0')), std::nullopt);
    EXPECT_EQ(utf16_order_without_bom(trawl::test::binary_bytes(4096)), std::nullopt);
    // A PNG's signature and header: NULs at both parities.
    const std::string png("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1F\xF3\xFF\x61", 33);
    EXPECT_EQ(utf16_order_without_bom(png), std::nullopt);
    // Little-endian 16-bit integers (a table of small numbers) decode to controls.
    std::string numbers;
    for (int i = 0; i < 512; ++i) numbers += static_cast<char>(i % 31), numbers += '\0';
    EXPECT_EQ(utf16_order_without_bom(numbers), std::nullopt);
}

// A large page declared windows-1251 is decoded as it is read: the bytes
// cross many read buffers and decode buffers.
TEST(ByteSourceCharset, LargeDeclaredPageIsDecodedStreaming) {
    TempDir dir;
    std::string page = "<html><head><meta charset=\"windows-1251\"></head><body>\n";
    std::string expected = page;
    const std::string word = cp1251(U"\u043C\u043E\u0441\u043A\u0432\u0430 ");  // "москва "
    const std::string word_utf8 = "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 ";
    for (int i = 0; i < 400000; ++i) page += word, expected += word_utf8;  // 2.8 MB
    write_file(dir / "big.html.zst", trawl::test::zstd_compress(page));
    Diagnostics diag;
    auto src = open_byte_source((dir / "big.html.zst").string(), &diag, CharsetDeclarations::Html);
    std::string out;
    std::vector<char> buf(1000);
    while (std::size_t n = src->read(buf.data(), buf.size())) out.append(buf.data(), n);
    EXPECT_EQ(out.size(), expected.size());
    EXPECT_TRUE(out == expected);
    EXPECT_EQ(diag.warnings() + diag.skipped(), 0u);
    // Without declarations (a JSON or text file), the bytes come as they are.
    auto plain = open_byte_source((dir / "big.html.zst").string(), &diag);
    std::string raw;
    while (std::size_t n = plain->read(buf.data(), buf.size())) raw.append(buf.data(), n);
    EXPECT_TRUE(raw == page);
}
