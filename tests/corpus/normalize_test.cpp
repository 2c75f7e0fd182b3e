#include "corpus/text/normalize.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/diagnostics.hpp"
#include "tests/testutil/exact_bytes.hpp"

using namespace trawl::corpus;

TEST(RepairUtf8, ValidInputIsUnchanged) {
    bool repaired = true;
    const std::string s = "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80 \xE6\x9D\xB1\xE4\xBA\xAC\t\r\n";
    EXPECT_EQ(repair_utf8(s, &repaired), s);
    EXPECT_FALSE(repaired);
}

TEST(RepairUtf8, InvalidBytesAreDecodedAsWindows1252) {
    bool repaired = false;
    // 0xA3 = pound sign, 0x93/0x94 = curly quotes, 0xE9 = e acute, 0x80 = euro
    EXPECT_EQ(repair_utf8("\xA3"
                          "15m \x93hi\x94 caf\xE9 \x80",
                          &repaired),
              "\xC2\xA3"
              "15m \xE2\x80\x9Chi\xE2\x80\x9D caf\xC3\xA9 \xE2\x82\xAC");
    EXPECT_TRUE(repaired);
}

TEST(RepairUtf8, UndefinedWindows1252BytesBecomeReplacementCharacter) {
    EXPECT_EQ(repair_utf8("a\x81z"), "a\xEF\xBF\xBDz");
}

TEST(RepairUtf8, MalformedSequencesAreRepairedBytewise) {
    // truncated 3-byte sequence, overlong encoding of '/', encoded surrogate
    EXPECT_EQ(repair_utf8("x\xE2\x82"), "x\xC3\xA2\xE2\x80\x9A");
    EXPECT_TRUE(is_valid_utf8(repair_utf8("\xC0\xAF")));
    EXPECT_TRUE(is_valid_utf8(repair_utf8("\xED\xA0\x80")));
    EXPECT_TRUE(is_valid_utf8(repair_utf8("\xF5\x80\x80\x80\xFF\xFE")));
}

// Control characters become spaces, so that the words either side stay
// apart: a form feed between two pages glued "lions" and "page" into
// "lionspage" (they were dropped), and valid UTF-8 was said to be repaired.
TEST(RepairUtf8, ControlCharactersBecomeSpacesButTabAndNewlinesStay) {
    bool repaired = true, controls = false;
    EXPECT_EQ(repair_utf8(std::string("a\0b\x01\x02\x1F\tc\r\nd\fe\vf\x07g\x1bh", 19), &repaired, &controls),
              "a b   \tc\r\nd e f g h");
    EXPECT_FALSE(repaired) << "valid UTF-8";
    EXPECT_TRUE(controls);
    EXPECT_EQ(normalize_whitespace(repair_utf8("page one about lions\fpage two about tigers")),
              "page one about lions page two about tigers");
    controls = true;
    repair_utf8("caf\xE9", &repaired, &controls);
    EXPECT_TRUE(repaired);
    EXPECT_FALSE(controls);
}

TEST(IsValidUtf8, AcceptsWellFormedRejectsMalformed) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF4\x8F\xBF\xBF"));  // U+10FFFF is the last one
    EXPECT_FALSE(is_valid_utf8("\xE9"));
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
    EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
}

TEST(NormalizeWhitespace, JoinsLinesAndParagraphs) {
    EXPECT_EQ(normalize_whitespace("  First line\nsame   paragraph.\n\n\n\nSecond\t\tparagraph.  \n"),
              "First line same paragraph.\n\nSecond paragraph.");
}

TEST(NormalizeWhitespace, BlankLinesWithSpacesSeparateParagraphs) {
    EXPECT_EQ(normalize_whitespace("a\n \t \nb\n\xC2\xA0\nc"), "a\n\nb\n\nc");
}

TEST(NormalizeWhitespace, FoldsNonBreakingSpaces) {
    EXPECT_EQ(normalize_whitespace("one\xC2\xA0\xC2\xA0two \xC2\xA0 three\xE2\x80\xAF"
                                   "four"),
              "one two three four");
}

TEST(NormalizeWhitespace, HandlesCrLfAndLoneCr) { EXPECT_EQ(normalize_whitespace("a\r\nb\r\n\r\nc\rd"), "a b\n\nc d"); }

// The decoders count lines as the readers split them, whatever the pieces.
TEST(LineCounter, CountsLfCrLfAndLoneCrAsOneLineEndEachAcrossPieces) {
    const std::string text = "a\nb\r\nc\rd\r\r\n\n\re";  // "e" is on line 8
    for (std::size_t step : {1u, 2u, 3u, 5u, 100u}) {
        LineCounter lines;
        for (std::size_t i = 0; i < text.size(); i += step) lines.add(std::string_view(text).substr(i, step));
        EXPECT_EQ(lines.line(), 8u) << step;
    }
    EXPECT_EQ(line_number_at(text, text.find('c')), 3u);
    EXPECT_EQ(line_number_at(text, text.find('d')), 4u);
    EXPECT_EQ(line_number_at(text, text.size()), 8u);
    EXPECT_EQ(line_number_at("", 0), 1u);
    LineCounter cr_last;  // a CR at the end of a piece ends its line at once
    cr_last.add("x\r");
    EXPECT_EQ(cr_last.line(), 2u);
    cr_last.add("\n");
    EXPECT_EQ(cr_last.line(), 2u);
}

TEST(NormalizeWhitespace, EmptyAndBlankInputGiveEmpty) {
    EXPECT_EQ(normalize_whitespace(""), "");
    EXPECT_EQ(normalize_whitespace(" \n\t\n\r\n "), "");
}

TEST(NormalizeWhitespace, KeepsNonAsciiText) {
    EXPECT_EQ(normalize_whitespace("  \xE6\x9D\xB1\xE4\xBA\xAC   caf\xC3\xA9 "),
              "\xE6\x9D\xB1\xE4\xBA\xAC caf\xC3\xA9");
}

TEST(NormalizeLine, FoldsEverythingToOneLine) {
    EXPECT_EQ(normalize_line("\n  Title\n\n over \t lines \r\n"), "Title over lines");
}

TEST(DecodeEntities, NamedAndNumeric) {
    EXPECT_EQ(decode_entities("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"), "a & b <c> \"d\" 'e'");
    EXPECT_EQ(decode_entities("Caf&#233; &#x263A; &#X263a;"), "Caf\xC3\xA9 \xE2\x98\xBA \xE2\x98\xBA");
    EXPECT_EQ(decode_entities("&#150;"), "\xE2\x80\x93");  // 128..159 as Windows-1252, as browsers do
}

// TREC's Federal Register writes "&hyph;" and "&blank;": they stayed in the text.
TEST(DecodeEntities, TrecsHyphenAndBlank) {
    EXPECT_EQ(decode_entities("pre&hyph;existing&blank;rules"), "pre-existing rules");
}

TEST(DecodeEntities, DropsControlCharacterReferences) {
    EXPECT_EQ(decode_entities("&#2;text &#5;&#22;&#31;&#3;"), "text ");
    EXPECT_EQ(decode_entities("a&#10;b"), "a\nb");
}

TEST(DecodeEntities, LeavesUnknownAndMalformedAlone) {
    EXPECT_EQ(decode_entities("AT&T &unknown; &#xZZ; & &#; &#99999999;"), "AT&T &unknown; &#xZZ; & &#; &#99999999;");
    EXPECT_EQ(decode_entities("no entities"), "no entities");
    EXPECT_EQ(decode_entities("trailing &amp"), "trailing &amp");
}

// An '&' with no ';' within an entity's length is text, found by looking no
// further: a search for ';' to the end of the text at every '&' made a page
// of "AT&T"s take time in its size squared (a 4 MB page, 22 s to index).
// 8 MB of them here: about 30 minutes of searching on that code, so the
// test ran into CTest's 600 s limit; a few milliseconds now.
TEST(DecodeEntities, ManyAmpersandsWithoutASemicolonAreText) {
    std::string text;
    while (text.size() < (8u << 20)) text += "AT&T and P&G rose &amp";
    EXPECT_EQ(decode_entities(text), text);
    // An entity's ';' is still found within its length, and one past it is not looked for.
    EXPECT_EQ(decode_entities("a &#x10FFFF; b"), "a \xF4\x8F\xBF\xBF b");
    EXPECT_EQ(decode_entities("a &#x00000263A; b"), "a &#x00000263A; b");  // its ';' 13 bytes on
}

TEST(Diagnostics, FormatsOneLineMessages) {
    EXPECT_EQ(format_diagnostic({Severity::Skipped, "a.jsonl", 3, "invalid JSON", "unexpected end"}),
              "a.jsonl:3: skipped: invalid JSON (unexpected end)");
    EXPECT_EQ(format_diagnostic({Severity::Warning, "b.txt", 0, "invalid UTF-8 repaired", ""}),
              "b.txt: warning: invalid UTF-8 repaired");
}

TEST(Diagnostics, CountsBySeverityAndReasonAndForwards) {
    std::vector<std::string> seen;
    Diagnostics diag([&](const Diagnostic& d) { seen.push_back(format_diagnostic(d)); });
    diag.report({Severity::Skipped, "f", 1, "empty text", ""});
    diag.report({Severity::Skipped, "f", 2, "empty text", ""});
    diag.report({Severity::Skipped, "f", 3, "missing id", ""});
    diag.report({Severity::Warning, "f", 4, "invalid UTF-8 repaired", ""});
    EXPECT_EQ(diag.skipped(), 3u);
    EXPECT_EQ(diag.warnings(), 1u);
    EXPECT_EQ(diag.skipped_by_reason().at("empty text"), 2u);
    EXPECT_EQ(diag.skipped_by_reason().at("missing id"), 1u);
    EXPECT_EQ(diag.warnings_by_reason().at("invalid UTF-8 repaired"), 1u);
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[2], "f:3: skipped: missing id");
}

// The indexing job's reading thread (readers, cleaner) and its workers
// report into one Diagnostics at once: no count or message may be lost.
TEST(Diagnostics, CountsEveryReportFromSeveralThreadsAndForwardsOneAtATime) {
    constexpr int kThreads = 4, kEach = 50000;
    std::uint64_t forwarded = 0;  // unguarded on purpose: the sink must not run concurrently
    Diagnostics diag([&](const Diagnostic&) { ++forwarded; });
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&diag, t] {
            for (int i = 0; i < kEach; ++i)
                diag.report(
                    {i % 2 ? Severity::Skipped : Severity::Warning, "f", 0, "reason " + std::to_string(t % 2), ""});
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(diag.skipped(), std::uint64_t(kThreads) * kEach / 2);
    EXPECT_EQ(diag.warnings(), std::uint64_t(kThreads) * kEach / 2);
    EXPECT_EQ(forwarded, std::uint64_t(kThreads) * kEach);
    EXPECT_EQ(diag.skipped_by_reason().at("reason 0"), std::uint64_t(kThreads / 2) * kEach / 2);
    EXPECT_EQ(diag.skipped_by_reason().at("reason 1"), std::uint64_t(kThreads / 2) * kEach / 2);
    EXPECT_EQ(diag.warnings_by_reason().at("reason 0"), std::uint64_t(kThreads / 2) * kEach / 2);
    EXPECT_EQ(diag.warnings_by_reason().at("reason 1"), std::uint64_t(kThreads / 2) * kEach / 2);
}

namespace {

// The byte-at-a-time definitions repair_utf8() and normalize_whitespace()
// had before they copied runs (the same rules, written plainly).
bool reference_control(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// A byte that is not UTF-8, read as Windows-1252 (Latin-1 where 1252 agrees
// with it; U+FFFD for its five undefined bytes), in UTF-8.
std::string reference_cp1252(unsigned char b) {
    static const char* const high[32] = {
        "\u20AC", "\uFFFD", "\u201A", "\u0192", "\u201E", "\u2026", "\u2020", "\u2021", "\u02C6", "\u2030", "\u0160",
        "\u2039", "\u0152", "\uFFFD", "\u017D", "\uFFFD", "\uFFFD", "\u2018", "\u2019", "\u201C", "\u201D", "\u2022",
        "\u2013", "\u2014", "\u02DC", "\u2122", "\u0161", "\u203A", "\u0153", "\uFFFD", "\u017E", "\u0178"};
    if (b >= 0x80 && b < 0xA0) return high[b - 0x80];
    return {static_cast<char>(0xC0 | (b >> 6)), static_cast<char>(0x80 | (b & 0x3F))};
}

std::string reference_repair(std::string_view in, bool* repaired) {
    std::string out;
    bool changed = false;
    for (std::size_t i = 0; i < in.size();) {
        const auto b = static_cast<unsigned char>(in[i]);
        if (b < 0x80) {
            out += reference_control(b) ? ' ' : static_cast<char>(b);
            ++i;
        } else if (const std::size_t len = utf8_sequence_length(in, i)) {
            out.append(in.substr(i, len));
            i += len;
        } else {
            out += reference_cp1252(b);
            changed = true;
            ++i;
        }
    }
    *repaired = changed;
    return out;
}

std::size_t reference_space(std::string_view in, std::size_t i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return 1;
    if (in.substr(i).starts_with("\xC2\xA0") || in.substr(i).starts_with("\xE3\x80\x80") ||
        in.substr(i).starts_with("\xE2\x81\x9F"))
        return in.substr(i).starts_with("\xC2") ? 2 : 3;
    if (in.substr(i).starts_with("\xE2\x80") && i + 2 < in.size()) {
        const auto c2 = static_cast<unsigned char>(in[i + 2]);
        if (c2 <= 0x8A || c2 == 0xAF) return 3;
    }
    return 0;
}

std::string reference_normalize(std::string_view in) {
    std::string out;
    bool paragraph_break = false;
    std::size_t start = 0;
    while (start <= in.size()) {
        std::size_t end = in.find_first_of("\r\n", start);
        if (end == std::string_view::npos) end = in.size();
        const std::string_view raw = in.substr(start, end - start);
        std::string line;
        bool pending = false, any = false;
        for (std::size_t i = 0; i < raw.size();) {
            if (std::size_t n = reference_space(raw, i)) {
                pending = any;
                i += n;
                continue;
            }
            if (pending) line += ' ';
            pending = false;
            any = true;
            line += raw[i++];
        }
        if (line.empty()) {
            paragraph_break = !out.empty();
        } else {
            if (!out.empty()) out += paragraph_break ? "\n\n" : " ";
            paragraph_break = false;
            out += line;
        }
        if (end == in.size()) break;
        start = end + ((in[end] == '\r' && end + 1 < in.size() && in[end + 1] == '\n') ? 2 : 1);
    }
    return out;
}

}  // namespace

TEST(Normalize, RunCopyingRepairAndFoldingAgreeWithTheByteAtATimeRules) {
    // Random strings over the bytes the rules single out: letters, blanks,
    // line ends, controls, the lead bytes of Unicode spaces and of valid and
    // broken sequences.
    const std::string alphabet[] = {"\xE2",  // a space's lead bytes cut short, at the end of a line too
                                    "\xE2\x80",
                                    "\xE3\x80",
                                    "\xE2\x80\x80",  // U+2000
                                    "\x9D",          // undefined in Windows-1252
                                    "\xFF",
                                    "a",
                                    "Z",
                                    " ",
                                    "\t",
                                    "\v",
                                    "\f",
                                    "\n",
                                    "\r",
                                    "\x01",
                                    "\x1f",
                                    "\x7f",
                                    "\xC2\xA0",
                                    "\xC2",
                                    "\xA0",
                                    "\xE2\x80\x8A",
                                    "\xE2\x80\xAF",
                                    "\xE2\x80\x8B",
                                    "\xE2\x81\x9F",
                                    "\xE3\x80\x80",
                                    "\xE3",
                                    "\xC3\xA9",
                                    "\xE9",
                                    "\x80",
                                    "\xF0\x9F\x98\x80",
                                    "\xF0\x9F",
                                    "\xED\xA0\x80"};
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(alphabet) - 1), length(0, 40);
    for (int round = 0; round < 20000; ++round) {
        std::string in;
        for (std::size_t n = length(rng); n > 0; --n) in += alphabet[pick(rng)];
        bool got_repaired = false, want_repaired = false, got_controls = false;
        const auto repaired = repair_utf8(in, &got_repaired, &got_controls);
        ASSERT_EQ(repaired, reference_repair(in, &want_repaired)) << round;
        ASSERT_EQ(got_repaired, want_repaired) << round;
        ASSERT_EQ(got_controls, std::any_of(in.begin(), in.end(),
                                            [](char c) { return reference_control(static_cast<unsigned char>(c)); }))
            << round;
        ASSERT_EQ(normalize_whitespace(in), reference_normalize(in)) << round;
        ASSERT_EQ(normalize_whitespace(repaired), reference_normalize(repaired)) << round;
    }
}

TEST(Normalize, RepairAndFoldingAgreeWithTheByteAtATimeRulesOnLongRuns) {
    // Long plain runs, so that whole 16-byte steps are taken, with one
    // byte the rules single out at every offset of a step, and at a line's
    // end (the step needs the byte after it).
    const std::string odd[] = {" ",        "  ",           "\t",           "\v",           "\f",
                               "\n",       "\r",           "\x01",         "\x1f",         "\x7f",
                               "\x80",     "\xE9",         "\xFF",         "\xC3\xA9",     "\xC2\xA0",
                               "\xC2\xA3", "\xE2\x80\x80", "\xE2\x80\xAF", "\xE2\x82\xAC", "\xE3\x80\x80",
                               "\xE3",     "\xE2",         "\xC2",         "\xED\xA0\x80", "\xF0\x9F\x98\x80",
                               " \n"};
    const std::string words = "the quick brown fox jumps over the lazy dog and keeps running far away";
    for (const auto& o : odd) {
        for (std::size_t at = 0; at <= words.size(); ++at) {
            for (std::size_t cut : {words.size(), std::size_t{17}, std::size_t{33}}) {
                std::string in = words.substr(0, at) + o + words.substr(at);
                in = in.substr(0, std::max(cut, at + o.size()));
                ASSERT_EQ(normalize_whitespace(trawl::test::ExactBytes(in).view()), reference_normalize(in))
                    << at << " " << cut;
                bool got = false, want = false;
                ASSERT_EQ(repair_utf8(trawl::test::ExactBytes(in).view(), &got), reference_repair(in, &want))
                    << at << " " << cut;
                ASSERT_EQ(got, want) << at;
                ASSERT_EQ(normalize_whitespace(trawl::test::ExactBytes(in + "\n" + in).view()),
                          reference_normalize(in + "\n" + in))
                    << at;
            }
        }
    }
    std::mt19937 rng(11);
    const std::string pieces[] = {
        "abcdefghijklmnopqrstuvwxyz", "word", " ",   " ", "  ", "\t", "\n", "\xC2\xA0", "\xE2\x80\x89",
        "\xC3\xA9t\xC3\xA9",          ".",    "\r\n"};
    std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1), length(0, 120);
    for (int round = 0; round < 5000; ++round) {
        std::string in;
        for (std::size_t n = length(rng); n > 0; --n) in += pieces[pick(rng)];
        ASSERT_EQ(normalize_whitespace(trawl::test::ExactBytes(in).view()), reference_normalize(in)) << round;
    }
}
