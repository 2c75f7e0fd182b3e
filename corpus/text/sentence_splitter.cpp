// Sentence boundaries in English news text: one linear pass over the bytes, no
// regex, no allocation besides the result. See sentence_splitter.hpp.
#include "corpus/text/sentence_splitter.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "corpus/base/ascii.hpp"

namespace trawl::corpus {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Byte classes for the fast path: most bytes are neither space nor a possible
// terminator, and the main loop skips runs of them with one table lookup each.
// kSpace is is_ascii_space(), as in the passage splitter, so that "word"
// means one thing everywhere (count_words() too).
enum ByteClass : unsigned char { kPlain = 0, kSpace = 1, kMaybeEnd = 2 };
constexpr std::array<unsigned char, 256> make_classes() {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 128; ++c)
        if (is_ascii_space(static_cast<char>(c))) t[static_cast<unsigned char>(c)] = kSpace;
    for (const char c : {'.', '!', '?'}) t[static_cast<unsigned char>(c)] = kMaybeEnd;
    t[0xE2] = kMaybeEnd;  // first byte of … (and of quotes, dashes: checked later)
    return t;
}
constexpr std::array<unsigned char, 256> kClass = make_classes();
inline unsigned char byte_class(char c) { return kClass[static_cast<unsigned char>(c)]; }

// UTF-8 punctuation that matters here (all three bytes E2 80 xx).
constexpr unsigned char kEllipsis = 0xA6;     // …
constexpr unsigned char kLeftDouble = 0x9C;   // “
constexpr unsigned char kRightDouble = 0x9D;  // ”
constexpr unsigned char kLeftSingle = 0x98;   // ‘
constexpr unsigned char kRightSingle = 0x99;  // ’

// True if text[i..] is the three-byte sequence E2 80 `last`.
bool is_e280(std::string_view text, std::size_t i, unsigned char last) {
    return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
           static_cast<unsigned char>(text[i + 1]) == 0x80 && static_cast<unsigned char>(text[i + 2]) == last;
}

// Length in bytes of a sentence terminator at text[i] (. ! ? …), else 0.
std::size_t terminator_len(std::string_view text, std::size_t i) {
    const char c = text[i];
    if (c == '.' || c == '!' || c == '?') return 1;
    return is_e280(text, i, kEllipsis) ? 3 : 0;
}

// Length of a closing quote/bracket at text[i] (" ' ) ] ” ’), else 0.
std::size_t closer_len(std::string_view text, std::size_t i) {
    const char c = text[i];
    if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
    return is_e280(text, i, kRightDouble) || is_e280(text, i, kRightSingle) ? 3 : 0;
}

// Length of an opening quote/bracket at text[i] (" ' ( [ “ ‘), else 0.
std::size_t opener_len(std::string_view text, std::size_t i) {
    const char c = text[i];
    if (c == '"' || c == '\'' || c == '(' || c == '[') return 1;
    return is_e280(text, i, kLeftDouble) || is_e280(text, i, kLeftSingle) ? 3 : 0;
}

// Upper-case letters of Latin-1 Supplement and Latin Extended-A (É, Ø, Ł, Š, Ž...),
// decoded from a two-byte UTF-8 sequence. Other scripts are not capitalised news
// text we expect; they simply do not start a sentence after a period.
bool is_latin_upper_2byte(std::string_view text, std::size_t i) {
    if (i + 1 >= text.size()) return false;
    const auto b0 = static_cast<unsigned char>(text[i]);
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    if ((b0 & 0xE0) != 0xC0 || (b1 & 0xC0) != 0x80) return false;
    const unsigned cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
    if (cp >= 0xC0 && cp <= 0xDE) return cp != 0xD7;  // À..Þ without ×
    if (cp >= 0x100 && cp <= 0x137) return cp % 2 == 0;
    if (cp >= 0x139 && cp <= 0x148) return cp % 2 == 1;
    if (cp >= 0x14A && cp <= 0x177) return cp % 2 == 0;
    return cp == 0x178 || cp == 0x179 || cp == 0x17B || cp == 0x17D;
}

// Can a sentence start at text[i]? Upper-case letter, digit or opening quote.
bool starts_sentence(std::string_view text, std::size_t i) {
    const char c = text[i];
    return is_ascii_upper(c) || is_ascii_digit(c) || opener_len(text, i) > 0 || is_latin_upper_2byte(text, i);
}

// Abbreviations that do not end a sentence when followed by a period (without
// the period; matched case-sensitively). Multi-letter dotted forms (U.S., e.g.,
// i.e., a.m.) and single initials are recognised by shape, not listed.
constexpr std::string_view kAbbreviations[] = {
    "Mr",  "Mrs",  "Ms",     "Messrs", "Dr",  "Prof", "St",   "Jr",   "Sr",   "Gen", "Col", "Lt",
    "Sgt", "Capt", "Cmdr",   "Adm",    "Maj", "Cpl",  "Pvt",  "Rep",  "Sen",  "Gov", "Rev", "Hon",
    "Det", "Insp", "Supt",   "Inc",    "Ltd", "Co",   "Corp", "Bros", "Dept", "Mt",  "Ft",  "Ave",
    "vs",  "etc",  "approx", "Jan",    "Feb", "Mar",  "Apr",  "Jun",  "Jul",  "Aug", "Sep", "Sept",
    "Oct", "Nov",  "Dec",    "Fig",    "Vol", "cf",   "Vs",   "Etc",  "al",
};

// "U.S", "e.g", "a.m", "U.S.A": single letters separated by single dots.
bool is_dotted_letters(std::string_view t) {
    if (t.size() < 3 || t.size() % 2 == 0) return false;
    for (std::size_t k = 0; k < t.size(); ++k) {
        if (k % 2 == 0 ? !is_ascii_alpha(t[k]) : t[k] != '.') return false;
    }
    return true;
}

// Is the period at text[dot] the end of an abbreviation rather than of a
// sentence? `next` is the first non-space byte after it.
bool is_abbreviation(std::string_view text, std::size_t dot, std::size_t next) {
    // The token is the run of non-space bytes before the period; abbreviations
    // are short, so looking back a bounded distance keeps the pass linear.
    constexpr std::size_t kMaxToken = 16;
    std::size_t b = dot;
    while (b > 0 && !is_ascii_space(text[b - 1]) && dot - b <= kMaxToken) --b;
    if (dot - b > kMaxToken) return false;
    std::string_view token = text.substr(b, dot - b);
    while (!token.empty()) {  // drop opening quotes/brackets: (Mr. “Dr.
        const std::size_t n = opener_len(token, 0);
        if (n == 0) break;
        token.remove_prefix(n);
    }
    if (token.empty()) return false;
    if (token.size() == 1) return is_ascii_upper(token[0]);                  // an initial: J. K. Rowling
    if (token == "No" || token == "Nos") return is_ascii_digit(text[next]);  // No. 10
    if (is_dotted_letters(token)) return true;
    return std::find(std::begin(kAbbreviations), std::end(kAbbreviations), token) != std::end(kAbbreviations);
}

}  // namespace

std::vector<Span> split_sentences(std::string_view text) {
    if (text.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("split_sentences: text larger than 4 GiB");
    }
    std::vector<Span> out;
    const std::size_t n = text.size();
    std::size_t start = npos;  // first byte of the open sentence, npos if none
    auto emit = [&](std::size_t end) {
        out.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
        start = npos;
    };

    std::size_t i = 0;
    while (i < n) {
        if (byte_class(text[i]) == kSpace) {
            // A whitespace run; two or more newlines in it make a paragraph break.
            std::size_t j = i;
            int newlines = 0;
            for (; j < n && byte_class(text[j]) == kSpace; ++j) newlines += text[j] == '\n';
            if (newlines >= 2 && start != npos) emit(i);
            i = j;
            continue;
        }
        if (start == npos) start = i;
        // Skip ordinary bytes (UTF-8 continuation bytes are never space or E2).
        while (i < n && byte_class(text[i]) == kPlain) ++i;
        if (i == n || byte_class(text[i]) == kSpace) continue;

        std::size_t tlen = terminator_len(text, i);
        if (tlen == 0) {
            ++i;  // E2 starting a quote or dash
            continue;
        }
        // A run of terminators ("?!", "...", "…"), then closing quotes/brackets.
        const std::size_t first = i;
        std::size_t run = 0;
        for (; i < n && (tlen = terminator_len(text, i)) > 0; i += tlen) ++run;
        for (std::size_t c; i < n && (c = closer_len(text, i)) > 0; i += c) {
        }
        const std::size_t end = i;
        // The sentence ends only before whitespace, so "3.5", "U.S" and
        // "example.com" never split; text end and paragraph breaks are
        // handled by the whitespace branch and the final emit.
        if (end == n || !is_ascii_space(text[end])) continue;
        std::size_t next = end;
        int newlines = 0;
        for (; next < n && is_ascii_space(text[next]); ++next) newlines += text[next] == '\n';
        if (next == n || newlines >= 2) continue;
        if (!starts_sentence(text, next)) continue;
        if (run == 1 && text[first] == '.' && is_abbreviation(text, first, next)) continue;
        emit(end);
        i = next;
    }
    if (start != npos) {
        std::size_t end = n;
        while (end > start && is_ascii_space(text[end - 1])) --end;
        emit(end);
    }
    return out;
}

std::uint32_t count_words(std::string_view text) {
    std::uint32_t words = 0;
    bool in_word = false;
    for (const char c : text) {
        const bool space = byte_class(c) == kSpace;
        words += !space && !in_word;
        in_word = !space;
    }
    return words;
}

}  // namespace trawl::corpus
