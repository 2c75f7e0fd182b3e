// NFC (corpus/text/nfc.hpp): the quick check never says "already NFC" of text
// libunistring would change, on a table of tricky strings and on every code
// point the table covers, alone and after the characters that compose.
#include "corpus/text/nfc.hpp"

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <uninorm.h>

#include "corpus/base/utf8.hpp"
#include "corpus/text/normalize.hpp"

namespace {

using trawl::corpus::nfc_quick_check;
using trawl::corpus::to_nfc;

// libunistring's NFC, called directly: what the fast path must agree with.
std::string library_nfc(const std::string& s) {
    std::size_t n = 0;
    auto* out = u8_normalize(UNINORM_NFC, reinterpret_cast<const std::uint8_t*>(s.data()), s.size(), nullptr, &n);
    if (!out) return s;
    std::string r(reinterpret_cast<const char*>(out), n);
    std::free(out);
    return r;
}

std::string utf8(char32_t cp) {
    std::string s;
    trawl::append_utf8(s, cp);
    return s;
}

struct Case {
    const char* what;
    std::string in;
    std::string nfc;
};

const std::vector<Case>& cases() {
    static const std::vector<Case> c = {
        {"ASCII", "plain ASCII text, 42 words.", "plain ASCII text, 42 words."},
        {"empty", "", ""},
        {"precomposed e acute (already NFC)", "caf\xC3\xA9", "caf\xC3\xA9"},
        {"e + combining acute", "cafe\xCC\x81", "caf\xC3\xA9"},
        {"Latin-1 and Latin Extended, already NFC", "Z\xC3\xBCrich \xC5\x81\xC3\xB3\x64\xC5\xBA",
         "Z\xC3\xBCrich \xC5\x81\xC3\xB3\x64\xC5\xBA"},
        {"two marks out of canonical order", "a\xCC\x81\xCC\xA3", "\xE1\xBA\xA1\xCC\x81"},  // a + acute + dot below
        {"two marks in order", "a\xCC\xA3\xCC\x81", "\xE1\xBA\xA1\xCC\x81"},
        {"mark on a letter that has no precomposed form", "q\xCC\x81", "q\xCC\x81"},
        {"a mark that composes with nothing: U+0305 combining overline", "a\xCC\x85", "a\xCC\x85"},
        {"marks that reorder without composing", "x\xCC\x85\xCC\x96", "x\xCC\x96\xCC\x85"},
        {"ANGSTROM SIGN U+212B (singleton)", "\xE2\x84\xAB", "\xC3\x85"},
        {"OHM SIGN U+2126 (singleton)", "10 \xE2\x84\xA6", "10 \xCE\xA9"},
        {"KELVIN SIGN U+212A (singleton to ASCII)", "300 \xE2\x84\xAA", "300 K"},
        {"GREEK QUESTION MARK U+037E (singleton to ';')", "\xCD\xBE", ";"},
        {"U+0344 (non-starter decomposition)", "a\xCD\x84", "\xC3\xA4\xCC\x81"},
        {"U+0958 DEVANAGARI QA (composition exclusion)", "\xE0\xA5\x98", "\xE0\xA4\x95\xE0\xA4\xBC"},
        {"Greek with tonos, already NFC", "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1",
         "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1"},
        {"Greek decomposed", "\xCE\xB7\xCC\x81", "\xCE\xAE"},
        {"Hangul syllable, already NFC", "\xED\x95\x9C\xEA\xB5\xAD", "\xED\x95\x9C\xEA\xB5\xAD"},
        {"Hangul jamo L + V", "\xE1\x84\x92\xE1\x85\xA1", "\xED\x95\x98"},
        {"Hangul jamo L + V + T", "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C"},
        {"Hangul LV syllable + T jamo", "\xED\x95\x98\xE1\x86\xAB", "\xED\x95\x9C"},
        {"kana + combining voiced mark", "\xE3\x81\x8B\xE3\x82\x99", "\xE3\x81\x8C"},
        {"Devanagari and CJK, already NFC",
         "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6\xE0\xA5\x80 \xE4\xB8\xAD\xE6\x96\x87",
         "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6\xE0\xA5\x80 \xE4\xB8\xAD\xE6\x96\x87"},
        {"Oriya vowel sign AA composes (class 0, Maybe)", "\xE0\xAD\x87\xE0\xAC\xBE", "\xE0\xAD\x8B"},
        {"typographic punctuation, already NFC", "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x94 it\xE2\x80\x99s",
         "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x94 it\xE2\x80\x99s"},
        {"emoji (outside the table)", "ok \xF0\x9F\x98\x80", "ok \xF0\x9F\x98\x80"},
        {"CJK compatibility ideograph U+2F800", "\xF0\xAF\xA0\x80", "\xE4\xB8\xBD"},
        {"musical symbol U+1D15E (composition exclusion)", "\xF0\x9D\x85\x9E", "\xF0\x9D\x85\x97\xF0\x9D\x85\xA5"},
        {"decomposed accent at the end of a long ASCII run", std::string(37, 'x') + "e\xCC\x81",
         std::string(37, 'x') + "\xC3\xA9"},
        {"invalid UTF-8 is left as it is", "caf\xE9 e\xCC\x81", "caf\xE9 e\xCC\x81"},
    };
    return c;
}

}  // namespace

TEST(Nfc, TrickyStringsBecomeWhatTheLibraryGives) {
    for (const auto& c : cases()) {
        EXPECT_EQ(to_nfc(c.in), c.nfc) << c.what;
        // (libunistring makes a byte that is not UTF-8 U+FFFD; to_nfc leaves such text alone.)
        if (trawl::corpus::is_valid_utf8(c.in)) {
            EXPECT_EQ(to_nfc(c.in), library_nfc(c.in)) << c.what;
        }
        if (nfc_quick_check(c.in)) {
            EXPECT_EQ(library_nfc(c.in), c.in) << c.what << ": the fast path took it";
        }
        std::string s = c.in;
        EXPECT_EQ(trawl::corpus::to_nfc_in_place(s), c.in != c.nfc) << c.what;
        EXPECT_EQ(s, c.nfc) << c.what;
    }
}

TEST(Nfc, QuickCheckTakesOrdinaryTextAndLeavesTheRestToTheLibrary) {
    EXPECT_TRUE(nfc_quick_check("plain ASCII"));
    EXPECT_TRUE(nfc_quick_check("caf\xC3\xA9 \xE2\x80\x94 \xE4\xB8\xAD\xE6\x96\x87 \xED\x95\x9C"));
    EXPECT_FALSE(nfc_quick_check("cafe\xCC\x81"));
    EXPECT_FALSE(nfc_quick_check("\xE2\x84\xAB"));           // U+212B
    EXPECT_FALSE(nfc_quick_check("\xE1\x84\x92"));           // a Hangul jamo: the whole block goes to the library
    EXPECT_FALSE(nfc_quick_check("\xE0\xAC\xBE"));           // U+0B3E composes with what precedes it
    EXPECT_FALSE(nfc_quick_check("caf\xE9"));                // not UTF-8
    EXPECT_FALSE(nfc_quick_check("\xF0\xA0\x80\x80"));       // U+20000: past the table
    EXPECT_FALSE(nfc_quick_check(std::string("a\xCC", 2)));  // cut short
}

// Every code point of the table's range, alone and after each character of
// `bases` (letters that precomposed forms start with, a Hangul L jamo and LV
// syllable, kana, Indic vowels that two-part vowel signs start with): where
// the quick check says "NFC already", the library leaves the text as it is.
TEST(Nfc, QuickCheckAgreesWithTheLibraryOnEveryCodePoint) {
    const std::vector<std::string> bases = {"",
                                            "a",
                                            "A",
                                            "\xCE\xB1",           // alpha
                                            "\xE0\xA4\x95",       // Devanagari KA
                                            "\xE0\xAD\x87",       // Oriya vowel sign E
                                            "\xE0\xB7\x99",       // Sinhala vowel sign KOMBUVA
                                            "\xE1\x84\x92",       // Hangul L jamo
                                            "\xED\x95\x98",       // Hangul LV syllable
                                            "\xE3\x81\x8B",       // hiragana KA
                                            "\xF0\x91\x84\xB1"};  // Chakma (U+11131)
    std::size_t fast = 0, checked = 0;
    for (char32_t cp = 0x80; cp < 0x20000; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;  // surrogates are not UTF-8
        const std::string c = utf8(cp);
        for (const auto& base : bases) {
            const std::string s = base + c;
            if (!nfc_quick_check(s)) continue;
            ++fast;
            const std::string n = library_nfc(s);
            if (n != s)
                ADD_FAILURE() << "U+" << std::hex << static_cast<std::uint32_t>(cp) << " after '" << base
                              << "': the quick check says NFC, the library changes it";
            ++checked;
        }
    }
    EXPECT_GT(fast, 100000u) << "the fast path takes most code points";
    EXPECT_EQ(checked, fast);
}

// Strings of characters that compose, reorder, decompose or stay, in random
// order: to_nfc(), which hands the library only the pieces between stable
// code points, gives what the library gives for the whole string.
TEST(Nfc, PiecewiseNormalisationEqualsTheLibraryOnRandomMixtures) {
    const std::vector<char32_t> pool = {
        'a',     'e',    'o',    'K',    ' ',    '.',    0xE9,    0xC5,    0x0301,  0x0300,  0x0308,
        0x0323,  0x0305, 0x0316, 0x0345, 0x0344, 0x0340, 0x212B,  0x212A,  0x2126,  0x037E,  0x03B7,
        0x1F71,  0x0958, 0x0915, 0x093C, 0x0B47, 0x0B3E, 0x0B57,  0x1100,  0x1161,  0x11A8,  0xAC00,
        0xD55C,  0x304B, 0x3099, 0x309A, 0x2014, 0x4E2D, 0x1F600, 0x1D15E, 0x1D165, 0x2F800, 0x11131,
        0x11127, 0x05B8, 0x05B0, 0x0651, 0x064E, 0x0E40, 0x0E48,  0x1E0D,  0x0307,  0x1EA1,  0x0302};
    std::mt19937 rng(20261202);
    std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1), length(1, 14);
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        for (std::size_t n = length(rng); n > 0; --n) trawl::append_utf8(s, pool[pick(rng)]);
        ASSERT_EQ(to_nfc(s), library_nfc(s)) << "case " << i;
        if (nfc_quick_check(s)) {
            ASSERT_EQ(library_nfc(s), s) << "case " << i;
        }
    }
}
