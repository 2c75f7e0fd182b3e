// Highlighted snippets: split a passage into words as the indexer does
// (format::Words), mark the words a query matched, pick the window with the
// most distinct marked words.
#include "query/snippet.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>

#include <xapian.h>

#include "corpus/base/ascii.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/words.hpp"
#include "query/positional_check.hpp"

namespace trawl::query {
namespace {

constexpr std::string_view kEllipsis = "…";
// Attached punctuation ("cocoa.”", "(sugar") travels with its word, up to this many bytes.
constexpr std::size_t kMaxAttachedBytes = 8;

struct CodePoint {
    char32_t cp;      // U+FFFD-like sentinel 0x110000 + byte for an invalid byte
    std::size_t len;  // bytes consumed, >= 1
};

constexpr char32_t kInvalid = 0x110000;

// Decodes one UTF-8 sequence at `pos` (for cuts and attached punctuation,
// not for words); an invalid or truncated sequence yields one byte flagged
// as invalid.
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

bool is_space(char32_t c) { return c < kInvalid && Xapian::Unicode::is_whitespace(c); }

struct Word {
    std::size_t begin, end;  // the word itself
    std::size_t lead, tail;  // extended over attached punctuation (lead <= begin, end <= tail)
    std::string_view term;   // as the indexer indexed it (lower-cased, ’ as ')
    bool indexed;            // false: too long to be indexed, so never a match
    Xapian::termpos pos;     // the indexer's position (0 when not indexed)
    int key = -1;            // distinct-highlight id, -1 when not highlighted
};

// An acronym as the indexer cuts it from "U.S." ("U.S": single letters, a
// '.' between each two) with that '.' after it: the cut word leaves the last
// '.' out (it may end a sentence as well), but the acronym as written holds
// it, so its highlight does ("[U.S.]", not "[U.S].").
bool acronym_before_dot(std::string_view text, std::size_t begin, std::size_t end) {
    if (end >= text.size() || text[end] != '.' || end - begin < 3) return false;
    for (std::size_t i = begin; i < end; ++i) {
        const bool dot = (i - begin) % 2 == 1;
        if (dot ? text[i] != '.' : !is_ascii_alpha(text[i])) return false;
    }
    return true;
}

// The words of `text` as the indexer cuts them (format::Words, whose
// buffers `cut` keeps), words too long to be indexed too; an acronym's
// closing '.' with it (acronym_before_dot()).
std::vector<Word> split_words(std::string_view text, format::Words& cut) {
    cut.index_text(text);
    std::vector<Word> words;
    words.reserve(cut.list().size());
    for (const auto& w : cut.list()) {
        const std::size_t end = w.end + (acronym_before_dot(text, w.begin, w.end) ? 1 : 0);
        words.push_back({w.begin, end, w.begin, end, cut.term(w), w.indexed, w.pos});
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

// A place in the text that satisfies a phrase or NEAR: its first and last
// word (indexes into the words).
struct Place {
    std::size_t first, last;
};

// Every place of `p` in the text, in the order of Xapian's phrase and NEAR
// matching rules (for_each_place()). `word_at[q]`: the index of the word at
// position q (the indexed words take positions 1, 2, ... in text order).
std::vector<Place> places_of(const std::vector<Word>& words, const std::vector<std::size_t>& word_at,
                             const HighlightTerms::Positional& p) {
    std::vector<std::vector<Xapian::termpos>> pos(p.words.size());
    for (const auto& w : words)
        if (w.indexed)
            for (std::size_t i = 0; i < p.words.size(); ++i)
                if (w.term == p.words[i]) pos[i].push_back(w.pos);
    std::vector<Place> places;
    for_each_place(p.ordered, p.window, p.words, pos, [&](PositionalPlace at) {
        places.push_back({word_at[at.first], word_at[at.last]});
        return true;
    });
    return places;
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

Snippet make_snippet(std::string_view text, const HighlightTerms& terms, const Stemmer& stem, std::size_t max_bytes) {
    if (max_bytes == 0) return {};  // no snippet, not "……"
    format::Words cut;
    auto words = split_words(text, cut);

    // Mark highlighted words; distinct ones are counted by stem ("cocoa" = "cocoas").
    // A word is stemmed only when its first byte starts one of the stems
    // (the stemmer keeps a word's first byte) or it is a hit: stemming every
    // word was most of a snippet's cost.
    std::array<bool, 256> stem_starts{};
    for (const auto& s : terms.stems)
        if (!s.empty()) stem_starts[static_cast<unsigned char>(s[0])] = true;
    std::unordered_map<std::string, int> keys;
    std::unordered_map<std::string, std::string> stem_cache;
    for (auto& w : words) {
        if (!w.indexed) continue;
        const std::string lower(w.term);
        bool hit = terms.exact.contains(lower);
        for (std::size_t p = 0; !hit && p < terms.prefixes.size(); ++p)
            hit = !terms.prefixes[p].empty() && lower.starts_with(terms.prefixes[p]) &&
                  !format::is_stop_word(lower);  // a wildcard finds no stop word: th* finds thermal, not the
        const bool may_stem = !lower.empty() && stem_starts[static_cast<unsigned char>(lower[0])];
        if (!hit && !may_stem) continue;
        auto [it, fresh] = stem_cache.try_emplace(lower);
        if (fresh) it->second = stem ? stem(lower) : lower;
        const std::string& stemmed = it->second;
        hit = hit || terms.stems.contains(stemmed);
        if (hit) w.key = keys.try_emplace(stemmed, static_cast<int>(keys.size())).first->second;
    }

    const bool fits = text.size() <= max_bytes;
    if (words.empty()) return build(text, words, 0, fits ? text.size() : utf8_floor(text, max_bytes), 0, 0);

    const std::size_t n = words.size();
    auto start = [&](std::size_t i) { return i == 0 ? std::size_t{0} : words[i].lead; };
    auto stop = [&](std::size_t j) { return j + 1 == n ? text.size() : words[j].tail; };

    // The words every window must hold: the shortest place of each phrase or
    // NEAR the text satisfies, as long as they all fit together.
    std::optional<Place> must;
    std::vector<std::size_t> word_at(1);  // position -> word
    for (std::size_t w = 0; w < n; ++w)
        if (words[w].pos != 0) word_at.push_back(w);
    const auto bytes = [&](const Place& place) { return stop(place.last) - start(place.first); };
    for (const auto& p : terms.positional) {
        const auto places = places_of(words, word_at, p);
        // The one that takes the fewest bytes (the first such).
        const auto shortest = std::min_element(places.begin(), places.end(),
                                               [&](const Place& a, const Place& b) { return bytes(a) < bytes(b); });
        if (shortest == places.end()) continue;
        const Place both =
            must ? Place{std::min(must->first, shortest->first), std::max(must->last, shortest->last)} : *shortest;
        if (stop(both.last) - start(both.first) > max_bytes) continue;
        must = both;
        // Its words are highlighted in each place that satisfies it (a
        // phrase's stop words too, there only).
        for (const auto& place : places)
            for (std::size_t w = place.first; w <= place.last; ++w) {
                if (words[w].key >= 0 || !words[w].indexed) continue;
                if (std::find(p.words.begin(), p.words.end(), words[w].term) == p.words.end()) continue;
                words[w].key =
                    keys.try_emplace(std::string(words[w].term), static_cast<int>(keys.size())).first->second;
            }
    }

    // A text that fits is shown whole, its phrases' places marked above.
    if (fits) return build(text, words, 0, text.size(), 0, n);

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
        const bool holds = !must || (i <= must->first && j > must->last);
        if (holds && score > best) best = score, best_i = i, best_j = j;
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
        if (must) l = std::min(l, must->first), r = std::max(r, must->last);
        for (bool grew = true; grew;) {
            grew = false;
            if (l > 0 && stop(r) - start(l - 1) <= max_bytes) --l, grew = true;
            if (r + 1 < n && stop(r + 1) - start(l) <= max_bytes) ++r, grew = true;
        }
    }
    return build(text, words, start(l), stop(r), l, r + 1);
}

}  // namespace trawl::query
