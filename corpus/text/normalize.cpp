// Text normalisation (pure): UTF-8 repair, whitespace folding, entity decoding.
#include "corpus/text/normalize.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

#include "corpus/base/ascii16.hpp"
#include "corpus/base/utf8.hpp"

namespace trawl::corpus {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Windows-1252 code points for bytes 0x80..0x9F (0 = undefined in 1252).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  //
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       //
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  //
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

// The length of the UTF-8 sequence the non-ASCII byte `b0` begins, and the
// range its second byte must be in (no overlongs, no surrogates, nothing
// above U+10FFFF); 0 when it begins none.
inline std::size_t utf8_lead(unsigned char b0, unsigned char& lo, unsigned char& hi) {
    lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) return 2;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
        return 4;
    }
    return 0;
}

}  // namespace

char32_t windows_1252_code_point(unsigned char b) {
    if (b >= 0x80 && b < 0xA0) {
        char32_t cp = kCp1252High[b - 0x80];
        return cp ? cp : kReplacement;
    }
    return b;  // ASCII and Latin-1 coincide with 1252 elsewhere
}

std::size_t utf8_sequence_length(std::string_view in, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    unsigned char lo, hi;  // allowed range of the second byte
    const std::size_t len = utf8_lead(b0, lo, hi);
    if (len == 0 || i + len > in.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < len; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    return len;
}

bool utf8_sequence_cut_off(std::string_view in, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(in[i]);
    if (b0 < 0x80) return false;
    unsigned char lo, hi;
    const std::size_t len = utf8_lead(b0, lo, hi);
    if (len == 0 || i + len <= in.size()) return false;
    for (std::size_t k = i + 1; k < in.size(); ++k) {
        const auto b = static_cast<unsigned char>(in[k]);
        if (k == i + 1 ? b < lo || b > hi : (b & 0xC0) != 0x80) return false;
    }
    return true;
}

std::size_t space_length(std::string_view in, std::size_t i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return 1;
    if (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xA0) return 2;  // U+00A0
    if (c == 0xE2 && i + 2 < in.size()) {
        const auto c1 = static_cast<unsigned char>(in[i + 1]);
        const auto c2 = static_cast<unsigned char>(in[i + 2]);
        if (c1 == 0x80 && (c2 <= 0x8A || c2 == 0xAF)) return 3;  // U+2000..U+200A, U+202F
        if (c1 == 0x81 && c2 == 0x9F) return 3;                  // U+205F
    }
    if (c == 0xE3 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
        static_cast<unsigned char>(in[i + 2]) == 0x80)
        return 3;  // U+3000
    return 0;
}

namespace {

bool is_replaced_control(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

#if defined(__SSE2__)
using ascii16::load;

// Which of 16 bytes may begin a horizontal space.
inline __attribute__((always_inline)) __m128i may_begin_space16(__m128i b) {
    auto eq = [&](unsigned char c) { return _mm_cmpeq_epi8(b, _mm_set1_epi8(static_cast<char>(c))); };
    return _mm_or_si128(_mm_or_si128(_mm_or_si128(eq(' '), eq('\t')), _mm_or_si128(eq('\v'), eq('\f'))),
                        _mm_or_si128(eq(0xC2), _mm_or_si128(eq(0xE2), eq(0xE3))));
}
#endif

// The end of the run of bytes from `i` that repair_utf8() keeps as they are:
// ASCII but the replaced controls, and whole valid sequences.
std::size_t kept_run_end(std::string_view in, std::size_t i) {
#if defined(__SSE2__)
    // Printable ASCII, tabs and line ends 16 bytes a step (every reader
    // repairs all its text); a step holding anything else goes byte by byte.
    const __m128i space = _mm_set1_epi8(0x20);
    for (; i + 16 <= in.size(); i += 16) {
        const __m128i b = load(in.data() + i);
        // Below 0x20 as signed bytes: the controls, and every byte from 0x80.
        const __m128i low = _mm_cmplt_epi8(b, space);
        const __m128i allowed =
            _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('\t')),
                         _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(b, _mm_set1_epi8('\r'))));
        if (_mm_movemask_epi8(_mm_andnot_si128(allowed, low)) != 0) break;
    }
#endif
    while (i < in.size()) {
        const auto b = static_cast<unsigned char>(in[i]);
        if (b < 0x80) {
            if (is_replaced_control(b)) break;
            ++i;
        } else if (const std::size_t len = utf8_sequence_length(in, i)) {
            i += len;
        } else {
            break;
        }
    }
    return i;
}

// Bytes that may begin a horizontal space (space_length()).
constexpr auto kMayBeginSpace = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {' ', '\t', '\v', '\f'}) t[c] = true;
    t[0xC2] = t[0xE2] = t[0xE3] = true;
    return t;
}();

bool may_begin_space(char c) { return kMayBeginSpace[static_cast<unsigned char>(c)]; }

// The end of the run of bytes from `i` copied as they are: bytes that begin
// no space, and single ASCII spaces between two of them (a space never
// starts a run).
std::size_t plain_run_end(std::string_view line, std::size_t i) {
    if (i >= line.size() || may_begin_space(line[i])) return i;
    std::size_t j = i + 1;
#if defined(__SSE2__)
    // A byte is plain if it begins no space, or is a ' ' whose next byte
    // begins none: the block and the block one byte on, 16 at a time
    // (the byte after the block must exist).
    for (; j + 16 < line.size(); j += 16) {
        const __m128i b = load(line.data() + j);
        const __m128i spaced = may_begin_space16(b);
        const __m128i next_spaced = may_begin_space16(load(line.data() + j + 1));
        const __m128i lone_space = _mm_andnot_si128(next_spaced, _mm_cmpeq_epi8(b, _mm_set1_epi8(' ')));
        const auto plain = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(_mm_xor_si128(spaced, _mm_set1_epi8(-1)), lone_space)));
        if (plain != 0xFFFF) return j + static_cast<std::size_t>(std::countr_one(plain));
    }
#endif
    while (j < line.size() &&
           (!may_begin_space(line[j]) || (line[j] == ' ' && j + 1 < line.size() && !may_begin_space(line[j + 1]))))
        ++j;
    return j;
}

// One line with its blanks folded to single spaces and trimmed.
void append_folded_line(std::string& out, std::string_view line) {
    bool pending_space = false;
    bool any = false;
    for (std::size_t i = 0; i < line.size();) {
        // A run of plain bytes is copied at once.
        if (const std::size_t j = plain_run_end(line, i); j > i) {
            if (pending_space) out += ' ';
            pending_space = false;
            any = true;
            out.append(line.data() + i, j - i);
            i = j;
            continue;
        }
        if (std::size_t n = space_length(line, i)) {
            pending_space = any;
            i += n;
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        any = true;
        out += line[i++];
    }
}

}  // namespace

std::size_t find_line_break(std::string_view in, std::size_t from) {
    std::size_t i = from;
#if defined(__SSE2__)
    // 16 bytes a step: every reader's text passes here, a few per cent of
    // the reading thread's CPU byte by byte.
    for (; i + 16 <= in.size(); i += 16) {
        const __m128i b = load(in.data() + i);
        const unsigned breaks = static_cast<unsigned>(_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(b, _mm_set1_epi8('\r')))));
        if (breaks != 0) return i + static_cast<std::size_t>(std::countr_zero(breaks));
    }
#endif
    while (i < in.size() && in[i] != '\n' && in[i] != '\r') ++i;
    return i;
}

void LineCounter::add(std::string_view piece) {
    if (piece.empty()) return;
    const std::size_t from = after_cr_ && piece[0] == '\n' ? 1 : 0;  // the LF of a CR-LF counted at its CR
    for (std::size_t i = find_line_break(piece, from); i < piece.size();
         i = find_line_break(piece, after_line_break(piece, i)))
        ++line_;
    after_cr_ = piece.back() == '\r';
}

std::uint64_t line_number_at(std::string_view in, std::size_t at) {
    LineCounter lines;
    lines.add(in.substr(0, std::min(at, in.size())));
    return lines.line();
}

std::string repair_utf8(std::string_view in, bool* repaired, bool* controls) {
    std::string out;
    out.reserve(in.size());
    bool changed = false, replaced = false;
    for (std::size_t i = 0; i < in.size();) {
        // Copied a run at a time: every reader calls this on every byte of
        // its input.
        const std::size_t j = kept_run_end(in, i);
        out.append(in.data() + i, j - i);
        if (j == in.size()) break;
        const auto b = static_cast<unsigned char>(in[j]);
        if (b >= 0x80) {
            append_utf8(out, windows_1252_code_point(b));
            changed = true;
        } else {  // a control character: a space, so that the words either side stay apart
            out += ' ';
            replaced = true;
        }
        i = j + 1;
    }
    if (repaired) *repaired = changed;
    if (controls) *controls = replaced;
    return out;
}

bool looks_binary(std::string_view head) {
    if (head.find('\0') == std::string_view::npos) return false;
    std::size_t odd = 0;
    for (std::size_t i = 0; i < head.size();) {
        const auto c = static_cast<unsigned char>(head[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
            ++odd;
            ++i;
            continue;
        }
        const std::size_t len = utf8_sequence_length(head, i);
        if (len == 0) {
            ++odd;
            ++i;
        } else {
            i += len;
        }
    }
    return odd * 10 > head.size();
}

bool needs_utf8_repair(std::string_view in) { return kept_run_end(in, 0) != in.size(); }

bool is_valid_utf8(std::string_view in) {
    for (std::size_t i = 0; i < in.size();) {
        std::size_t len = utf8_sequence_length(in, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::string normalize_whitespace(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    bool paragraph_break = false;
    std::size_t start = 0;
    while (start <= in.size()) {
        const std::size_t end = find_line_break(in, start);
        // The separator goes in first and out again if the line is blank:
        // no copy of each line.
        const std::size_t mark = out.size();
        if (mark > 0) out += paragraph_break ? "\n\n" : " ";
        const std::size_t line_at = out.size();
        append_folded_line(out, in.substr(start, end - start));
        if (out.size() == line_at) {
            out.resize(mark);
            paragraph_break = mark > 0;
        } else {
            paragraph_break = false;
        }
        if (end == in.size()) break;
        start = after_line_break(in, end);
    }
    return out;
}

std::string normalize_line(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < in.size();) {
        std::size_t n = space_length(in, i);
        if (n == 0 && (in[i] == '\n' || in[i] == '\r')) n = 1;
        if (n) {
            pending_space = !out.empty();
            i += n;
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += in[i++];
    }
    return out;
}

std::string decode_entities(std::string_view in) {
    // Latin-1 (U+00A0..U+00FF) in code point order, then the common others.
    static constexpr std::string_view kLatin1[96] = {
        "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",    "copy",   "ordf",
        "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",
        "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave",
        "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",
        "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",
        "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",  "agrave", "aacute",
        "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
        "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
        "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};
    struct Named {
        std::string_view name;
        char32_t cp;
    };
    static constexpr Named kNamed[] = {
        {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
        {"ndash", 0x2013},  {"mdash", 0x2014},  {"hellip", 0x2026}, {"lsquo", 0x2018},  {"rsquo", 0x2019},
        {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"bdquo", 0x201E},  {"lsaquo", 0x2039},
        {"rsaquo", 0x203A}, {"bull", 0x2022},   {"trade", 0x2122},  {"euro", 0x20AC},   {"dagger", 0x2020},
        {"Dagger", 0x2021}, {"permil", 0x2030}, {"prime", 0x2032},  {"Prime", 0x2033},  {"minus", 0x2212},
        {"OElig", 0x0152},  {"oelig", 0x0153},  {"Scaron", 0x0160}, {"scaron", 0x0161}, {"Yuml", 0x0178},
        {"fnof", 0x0192},   {"circ", 0x02C6},   {"tilde", 0x02DC},  {"ensp", 0x2002},   {"emsp", 0x2003},
        {"thinsp", 0x2009}, {"zwnj", 0},        {"zwj", 0},         {"lrm", 0},         {"rlm", 0},
        {"hyph", '-'},      {"blank", ' '},  // TREC's own (Federal Register, Congressional Record)
    };
    constexpr std::size_t kMaxEntity = 12;  // "&#x10FFFF;" fits

    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const std::size_t amp = in.find('&', i);
        if (amp == std::string_view::npos) break;
        out.append(in.substr(i, amp - i));
        i = amp;
        // Only as far as the longest entity: a search to the end of the text
        // at every '&' made a page of "AT&T"s take time in its size squared.
        const std::size_t semi = in.substr(0, std::min(in.size(), amp + kMaxEntity + 1)).find(';', amp + 1);
        if (semi == std::string_view::npos) {
            out += '&';
            ++i;
            continue;
        }
        const std::string_view name = in.substr(amp + 1, semi - amp - 1);
        bool decoded = false;
        if (name.size() >= 2 && name[0] == '#') {
            const bool hex = name[1] == 'x' || name[1] == 'X';
            const std::string_view digits = name.substr(hex ? 2 : 1);
            std::uint32_t cp = 0;
            bool ok = !digits.empty() && digits.size() <= 7;
            for (char c : digits) {
                int v;
                if (c >= '0' && c <= '9') v = c - '0';
                else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
                else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
                else {
                    ok = false;
                    break;
                }
                cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
            }
            if (ok && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                decoded = true;
                if (cp >= 0x80 && cp < 0xA0) cp = kCp1252High[cp - 0x80];  // as HTML does; 0 = undefined
                const bool control = cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F;
                if (!control) append_utf8(out, cp);
            }
        } else {
            for (std::size_t k = 0; k < 96 && !decoded; ++k) {
                if (name == kLatin1[k]) {
                    if (k != 0xAD - 0xA0) append_utf8(out, static_cast<char32_t>(0xA0 + k));  // &shy; is dropped
                    decoded = true;
                }
            }
            for (const auto& e : kNamed) {
                if (decoded) break;
                if (name == e.name) {
                    if (e.cp) append_utf8(out, e.cp);  // zero-width and direction marks are dropped
                    decoded = true;
                }
            }
        }
        if (decoded) {
            i = semi + 1;
        } else {
            out += '&';
            ++i;
        }
    }
    out.append(in.substr(i));
    return out;
}

}  // namespace trawl::corpus
