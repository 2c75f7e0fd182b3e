// Highlighted snippets: split a passage into words (UTF-8 aware), mark the
// words a query matched, pick the window with the most distinct marked words.
#include "snippet.hpp"

#include "utf8.hpp"

#include <algorithm>
#include <unordered_map>

namespace trawl::query {
namespace {

constexpr std::string_view kEllipsis = "…";
// Attached punctuation ("cocoa.”", "(sugar") travels with its word, up to this many bytes.
constexpr std::size_t kMaxAttachedBytes = 8;

struct CodePoint {
    char32_t cp;       // U+FFFD-like sentinel 0x110000 + byte for an invalid byte
    std::size_t len;   // bytes consumed, >= 1
};

constexpr char32_t kInvalid = 0x110000;

// Decodes one UTF-8 sequence at `pos`; an invalid or truncated sequence
// yields one byte flagged as invalid (it still counts as a word character).
CodePoint decode(std::string_view s, std::size_t pos) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80) return {b0, 1};
    std::size_t len = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 < 0xE0 ? 2 : 0;
    if (len == 0 || pos + len > s.size()) return {kInvalid + b0, 1};
    char32_t cp = b0 & (0x7F >> len);
    for (std::size_t i = 1; i < len; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) return {kInvalid + b0, 1};
        cp = (cp << 6) | (b & 0x3F);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {kInvalid + b0, 1};
    return {cp, len};
}


bool is_space(char32_t c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x201B; }

// Letters, digits and '_' in ASCII; outside ASCII everything except spaces and
// the common punctuation/symbol blocks (so “quoted” words and em—dashes split
// as in Xapian's TermGenerator). Invalid bytes count as word characters.
bool is_word_char(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
    if (c >= kInvalid) return true;
    if (c <= 0xBF) return c == 0xAA || c == 0xB5 || c == 0xBA;  // ª µ º are letters
    if (c == 0xD7 || c == 0xF7) return false;                      // × ÷
    if (c >= 0x2000 && c <= 0x206F) return false;                  // general punctuation
    if (c >= 0x20A0 && c <= 0x20CF) return false;                  // currency symbols
    if (c >= 0x2190 && c <= 0x2BFF) return false;                  // arrows, maths, boxes, symbols
    if (c >= 0x3000 && c <= 0x303F) return false;                  // CJK punctuation
    if (c >= 0xFE30 && c <= 0xFE4F) return false;                  // CJK compatibility forms
    if ((c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
        (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65))
        return false;                                              // fullwidth punctuation
    if (c == 0xFEFF || c == 0xFFFD) return false;
    if (c >= 0x1F000 && c <= 0x1FAFF) return false;                // emoji and pictographs
    return true;
}

// Simple case folding: ASCII, Latin-1, Latin Extended-A, basic Greek and Cyrillic.
char32_t to_lower(char32_t c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
        const bool even_upper = (c <= 0x137) || (c >= 0x14A && c <= 0x177);
        if (even_upper) return (c % 2 == 0) ? c + 1 : c;
        if (c == 0x178) return 0xFF;
        return (c % 2 == 1) ? c + 1 : c;  // 0x139..0x148, 0x179..0x17E: odd is upper
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

// The form a word is matched by: lower-cased, typographic apostrophes as '.
std::string fold(std::string_view word) {
    std::string out;
    out.reserve(word.size());
    for (std::size_t i = 0; i < word.size();) {
        const auto cp = decode(word, i);
        if (cp.cp >= kInvalid) {
            out += word[i];
        } else {
            append_utf8(out, is_apostrophe(cp.cp) ? U'\'' : to_lower(cp.cp));
        }
        i += cp.len;
    }
    return out;
}

struct Word {
    std::size_t begin, end;  // the word itself
    std::size_t lead, tail;  // extended over attached punctuation (lead <= begin, end <= tail)
    int key = -1;            // distinct-highlight id, -1 when not highlighted
};

// Splits `text` into words. An apostrophe joins two runs of word characters.
std::vector<Word> split_words(std::string_view text) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < text.size()) {
        auto cp = decode(text, i);
        if (!is_word_char(cp.cp)) {
            i += cp.len;
            continue;
        }
        const std::size_t begin = i;
        for (;;) {
            i += cp.len;
            if (i >= text.size()) break;
            cp = decode(text, i);
            if (is_word_char(cp.cp)) continue;
            if (!is_apostrophe(cp.cp) || i + cp.len >= text.size()) break;
            if (!is_word_char(decode(text, i + cp.len).cp)) break;
        }
        words.push_back({begin, i, begin, i});
    }
    // Attach neighbouring punctuation (not spaces), bounded so windows stay monotone.
    for (std::size_t w = 0; w < words.size(); ++w) {
        const std::size_t limit_right = w + 1 < words.size() ? words[w + 1].begin : text.size();
        std::size_t t = words[w].end;
        while (t < limit_right) {
            const auto cp = decode(text, t);
            if (is_space(cp.cp) || t + cp.len - words[w].end > kMaxAttachedBytes) break;
            t += cp.len;
        }
        words[w].tail = t;
        const std::size_t limit_left = w > 0 ? words[w - 1].tail : 0;
        std::size_t l = words[w].begin;
        while (l > limit_left) {
            std::size_t p = l - 1;  // step back one code point
            while (p > limit_left && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
            const auto cp = decode(text, p);
            if (p + cp.len != l || is_space(cp.cp) || words[w].begin - p > kMaxAttachedBytes) break;
            l = p;
        }
        words[w].lead = l;
    }
    return words;
}

// Largest cut <= pos that is not inside a UTF-8 sequence.
std::size_t utf8_floor(std::string_view s, std::size_t pos) {
    if (pos >= s.size()) return s.size();
    std::size_t p = pos;
    while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80 && pos - p < 3) --p;
    const auto cp = decode(s, p);
    return p + cp.len <= pos ? pos : p;  // `pos` splits the sequence at p: cut before it
}

Snippet build(std::string_view text, const std::vector<Word>& words, std::size_t from, std::size_t to,
              std::size_t wfirst, std::size_t wlast) {
    Snippet s;
    const bool cut_left = from > 0, cut_right = to < text.size();
    if (cut_left) s.text += kEllipsis;
    const std::size_t shift = s.text.size();
    s.text += text.substr(from, to - from);
    if (cut_right) s.text += kEllipsis;
    for (std::size_t w = wfirst; w < wlast && w < words.size(); ++w) {
        if (words[w].key < 0) continue;
        const std::size_t b = std::max(words[w].begin, from), e = std::min(words[w].end, to);
        if (b < e)
            s.highlights.emplace_back(static_cast<std::uint32_t>(b - from + shift),
                                      static_cast<std::uint32_t>(e - from + shift));
    }
    return s;
}

}  // namespace

Snippet make_snippet(std::string_view text, const HighlightTerms& terms, const Stemmer& stem,
                     std::size_t max_bytes) {
    auto words = split_words(text);

    // Mark highlighted words; distinct ones are counted by stem ("cocoa" = "cocoas").
    std::unordered_map<std::string, int> keys;
    std::unordered_map<std::string, std::string> stem_cache;
    for (auto& w : words) {
        const std::string lower = fold(text.substr(w.begin, w.end - w.begin));
        auto [it, fresh] = stem_cache.try_emplace(lower);
        if (fresh) it->second = stem ? stem(lower) : lower;
        const std::string& stemmed = it->second;
        bool hit = terms.exact.contains(lower) || terms.stems.contains(stemmed);
        for (std::size_t p = 0; !hit && p < terms.prefixes.size(); ++p)
            hit = !terms.prefixes[p].empty() && lower.starts_with(terms.prefixes[p]);
        if (hit) w.key = keys.try_emplace(stemmed, static_cast<int>(keys.size())).first->second;
    }

    if (text.size() <= max_bytes) return build(text, words, 0, text.size(), 0, words.size());
    if (words.empty()) return build(text, words, 0, utf8_floor(text, max_bytes), 0, 0);

    const std::size_t n = words.size();
    auto start = [&](std::size_t i) { return i == 0 ? std::size_t{0} : words[i].lead; };
    auto stop = [&](std::size_t j) { return j + 1 == n ? text.size() : words[j].tail; };

    // Two pointers: for each first word i, the longest run [i, j) that fits.
    std::vector<int> count(keys.size(), 0);
    int distinct = 0, best = -1;
    std::size_t best_i = 0, best_j = 0;
    for (std::size_t i = 0, j = 0; i < n; ++i) {
        if (j < i) j = i;
        while (j < n && stop(j) - start(i) <= max_bytes) {
            if (words[j].key >= 0 && count[words[j].key]++ == 0) ++distinct;
            ++j;
        }
        const int score = j > i ? distinct : (words[i].key >= 0 ? 1 : 0);
        if (score > best) best = score, best_i = i, best_j = j;
        if (j > i && words[i].key >= 0 && --count[words[i].key] == 0) --distinct;
        if (j == n) break;  // later windows only lose words
    }

    if (best_j == best_i) {  // one word longer than max_bytes: cut inside it
        const std::size_t from = start(best_i);
        return build(text, words, from, utf8_floor(text, from + max_bytes), best_i, best_i + 1);
    }

    // Keep the highlighted words of the best window, balance context around them.
    std::size_t l = best_i, r = best_j - 1;
    if (best > 0) {
        while (words[l].key < 0) ++l;
        while (words[r].key < 0) --r;
        for (bool grew = true; grew;) {
            grew = false;
            if (l > 0 && stop(r) - start(l - 1) <= max_bytes) --l, grew = true;
            if (r + 1 < n && stop(r + 1) - start(l) <= max_bytes) ++r, grew = true;
        }
    }
    return build(text, words, start(l), stop(r), l, r + 1);
}

}  // namespace trawl::query
