#include "query/positional_check.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "corpus/base/ascii16.hpp"
#include "indexer/format/pair_signature.hpp"
#include "indexer/format/passage_document.hpp"

namespace trawl::query {
namespace {

using Positions = std::vector<Xapian::termpos>;

// The positions of each term of `check` in `words` (same order); empty
// when the passage lacks the term.
std::vector<Positions> positions_of(const format::Words& words, const std::vector<std::string>& terms) {
    std::vector<Positions> out;
    for (const auto& term : terms) out.push_back(positions_in(words, term));
    return out;
}

bool is_ascii_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_ascii_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A term the shortcut can look for by bytes: ASCII letters and digits, no prefix.
bool is_plain(std::string_view term) {
    if (term.empty() || term.size() > format::kMaxWordBytes) return false;
    return std::all_of(term.begin(), term.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

// True when `text` holds what can make an ASCII term from other bytes than
// its letters in either case: a character that lower-cases to ASCII (U+0130,
// U+212A), a zero-width character dropped inside a word (U+200B-U+200D,
// U+2060, U+FEFF), an overlong UTF-8 form (C0, C1, E0 80-9F, F0 80-8F) that
// Xapian's decoder might read as ASCII.
bool has_tricky_bytes(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        // Eight ASCII bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t eight = 0;
            std::memcpy(&eight, s + i, 8);
            if (eight & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        const unsigned char b = s[i];
        if (b < 0x80) continue;
        const unsigned char b1 = i + 1 < n ? s[i + 1] : 0, b2 = i + 2 < n ? s[i + 2] : 0;
        switch (b) {
            case 0xC0:
            case 0xC1:
                return true;
            case 0xC4:
                if (b1 == 0xB0) return true;  // U+0130
                break;
            case 0xE0:
                if (b1 < 0xA0) return true;
                break;
            case 0xF0:
                if (b1 < 0x90) return true;
                break;
            case 0xE2:
                if (b1 == 0x84 && b2 == 0xAA) return true;                // U+212A
                if (b1 == 0x80 && b2 >= 0x8B && b2 <= 0x8D) return true;  // U+200B-U+200D
                if (b1 == 0x81 && b2 == 0xA0) return true;                // U+2060
                break;
            case 0xEF:
                if (b1 == 0xBB && b2 == 0xBF) return true;  // U+FEFF
                break;
            default:
                break;
        }
    }
    return false;
}

// Initials ("U.S.", "N.Y.C") make one word of their letters: a term of two
// letters or more could be one when its first two letters stand capitalised
// with a dot between them.
bool may_hold_initials(std::string_view text, std::string_view term) {
    if (term.size() < 2 || term[0] < 'a' || term[0] > 'z' || term[1] < 'a' || term[1] > 'z') return false;
    const char dotted[3] = {static_cast<char>(term[0] - 32), '.', static_cast<char>(term[1] - 32)};
    return text.find(std::string_view(dotted, 3)) != std::string_view::npos;
}

unsigned char fold(unsigned char c) { return static_cast<unsigned char>(c - 'A') < 26 ? c | 0x20 : c; }

// Whether a word with term `term` may start at byte i of `text`: the term's
// letters in either case, not inside a run of ASCII word characters.
bool may_start_at(const unsigned char* s, std::size_t n, std::size_t i, std::string_view term) {
    const std::size_t m = term.size();
    for (std::size_t k = 0; k < m; ++k)
        if (fold(s[i + k]) != static_cast<unsigned char>(term[k])) return false;
    if (i > 0 && is_ascii_word_byte(s[i - 1])) return false;
    return i + m >= n || !is_ascii_word_byte(s[i + m]);
}

// Byte offsets where a word whose term is `term` may start (may_start_at()),
// ascending. Stops after `limit` + 1. Sixteen bytes at a time where SSE2 is
// there: the term's first and last letters, folded, pick the places to compare.
std::vector<std::size_t> occurrences(std::string_view text, std::string_view term, std::size_t limit) {
    std::vector<std::size_t> out;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size(), m = term.size();
    if (m > n) return out;
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i first = _mm_set1_epi8(static_cast<char>(term[0])),
                  last = _mm_set1_epi8(static_cast<char>(term[m - 1]));
    const auto folded = [](const unsigned char* p) { return ascii16::lower(ascii16::load(p)); };
    for (; i + m - 1 + 16 <= n; i += 16) {
        const __m128i both =
            _mm_and_si128(_mm_cmpeq_epi8(folded(s + i), first), _mm_cmpeq_epi8(folded(s + i + m - 1), last));
        for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(both)); mask != 0; mask &= mask - 1) {
            const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(mask));
            if (!may_start_at(s, n, at, term)) continue;
            out.push_back(at);
            if (out.size() > limit) return out;
        }
    }
#endif
    for (; i + m <= n; ++i) {
        if (!may_start_at(s, n, i, term)) continue;
        out.push_back(i);
        if (out.size() > limit) return out;
    }
    return out;
}

// More occurrences of the rarest term than this: cutting the whole text is cheaper.
constexpr std::size_t kMaxOccurrences = 16;

// Whether the words around the word at byte `at` of `text` (whose term should
// be `term`) hold `check`; cuts window - 1 indexed words either side at least.
bool holds_around(std::string_view text, std::size_t at, std::string_view term, const PositionalCheck& check,
                  format::Words& words) {
    const std::size_t n = text.size();
    const std::size_t need = check.window > 0 ? check.window - 1 : 0;
    // About six bytes a word to begin with (the cut snaps out to white space);
    // twice as many each time short.
    std::size_t back = 6 * static_cast<std::size_t>(need) + 12, ahead = back;
    for (;;) {
        std::size_t lo = at > back ? at - back : 0;
        while (lo > 0 && !is_ascii_space(static_cast<unsigned char>(text[lo - 1]))) --lo;
        std::size_t hi = std::min(n, at + term.size() + ahead);
        while (hi < n && !is_ascii_space(static_cast<unsigned char>(text[hi]))) ++hi;
        words.clear();
        words.index_text(text.substr(lo, hi - lo));
        const auto list = words.list();
        const auto it =
            std::find_if(list.begin(), list.end(), [&](const format::Word& w) { return w.begin >= at - lo; });
        if (it == list.end() || it->begin != at - lo || words.term(*it) != term) return false;  // not a word `term`
        std::size_t before = 0, after = 0;
        for (auto w = list.begin(); w != it; ++w) before += w->pos != 0;
        for (auto w = it + 1; w != list.end(); ++w) after += w->pos != 0;
        const bool more_back = before < need && lo > 0, more_ahead = after < need && hi < n;
        if (!more_back && !more_ahead) break;
        if (more_back) back *= 2;
        if (more_ahead) ahead *= 2;
    }
    return holds(words, check);
}

}  // namespace

bool for_each_place(bool ordered, Xapian::termcount window, const std::vector<std::string>& terms,
                    const std::vector<Positions>& pos, const std::function<bool(PositionalPlace)>& found) {
    if (terms.empty()) return false;
    if (ordered) {
        // Taking each next term at its first position after the previous one
        // is optimal for a given start.
        for (const auto first : pos[0]) {
            Xapian::termpos at = first;
            for (std::size_t i = 1; i < pos.size(); ++i) {
                const auto next = std::upper_bound(pos[i].begin(), pos[i].end(), at);
                if (next == pos[i].end()) return false;  // a later start cannot do better
                at = *next;
            }
            if (at - first < window && !found({first, at})) return true;
        }
        return false;
    }
    // The window can start at a position of any of the terms.
    for (const auto& starts : pos) {
        for (const auto start : starts) {
            Xapian::termpos last = start;
            bool all = true;
            for (std::size_t i = 0; i < terms.size() && all; ++i) {
                const auto need = static_cast<std::size_t>(std::count(terms.begin(), terms.end(), terms[i]));
                const auto lo = std::lower_bound(pos[i].begin(), pos[i].end(), start);
                all = static_cast<std::size_t>(pos[i].end() - lo) >= need &&
                      lo[static_cast<std::ptrdiff_t>(need - 1)] - start < window;
                if (all) last = std::max(last, lo[static_cast<std::ptrdiff_t>(need - 1)]);
            }
            if (all && !found({start, last})) return true;
        }
    }
    return false;
}

std::vector<Xapian::termpos> positions_in(const format::Words& words, const std::string& term) {
    return words.positions(term);
}

bool holds(const format::Words& words, const PositionalCheck& check) {
    if (check.any) {
        for (const auto& w : words.list())
            if (w.indexed && std::find(check.terms.begin(), check.terms.end(), words.term(w)) != check.terms.end())
                return true;
        return false;
    }
    if (check.terms.empty()) return true;
    const auto pos = positions_of(words, check.terms);
    for (const auto& p : pos)
        if (p.empty()) return false;
    return for_each_place(check.ordered, check.window, check.terms, pos, [](PositionalPlace) { return false; });
}

std::optional<bool> holds_in_text(std::string_view text, const PositionalCheck& check) {
    if (check.terms.empty()) return true;
    for (const auto& t : check.terms)
        if (!is_plain(t) || may_hold_initials(text, t)) return std::nullopt;
    if (has_tricky_bytes(text)) return std::nullopt;
    // The term with the fewest occurrences anchors the cuts.
    std::vector<std::size_t> anchors;
    std::string_view anchor_term;
    for (const auto& t : check.terms) {
        if (!anchor_term.empty() && t == anchor_term) continue;
        auto found = occurrences(text, t, anchor_term.empty() ? kMaxOccurrences : anchors.size());
        if (found.empty()) return false;  // no word of the text is `t`
        if (anchor_term.empty() || found.size() < anchors.size()) anchors = std::move(found), anchor_term = t;
    }
    if (anchors.size() > kMaxOccurrences) return std::nullopt;
    thread_local format::Words words;  // its buffers kept from one passage to the next
    for (const auto at : anchors)
        if (holds_around(text, at, anchor_term, check, words)) return true;
    return false;
}

std::optional<bool> holds_in_passage(const format::StoredFieldsView& fields, PassageOrdinal ordinal,
                                     const PositionalCheck& check) {
    if (check.title) return holds(format::headline_words(std::string(fields.title)), check);
    if (check.any) {
        // Each word alone, as a phrase of one: body words always have positions.
        for (const auto& t : check.terms) {
            PositionalCheck one;
            one.window = 1;
            one.terms.push_back(t);
            const auto held = holds_in_passage(fields, ordinal, one);
            if (!held || *held) return held;
        }
        return false;
    }
    if (check.terms.empty()) return true;
    if (ordinal == 0 && !fields.title.empty()) {
        // The lead passage: the headline's words (as body words, after its
        // title: words), 100 positions (format's kTitleGap), then the text.
        // A window of 100 or less cannot reach across the gap.
        if (check.window > 100) return std::nullopt;
        for (const auto& t : check.terms)
            if (!is_plain(t)) return std::nullopt;
        if (holds(format::cut_words(fields.title), check)) return true;
    }
    return holds_in_text(fields.text, check);
}

bool may_hold(std::string_view pairs, const PositionalCheck& check) {
    const auto& t = check.terms;
    if (check.any || t.size() < 2 || check.window != t.size()) return true;
    if (!check.ordered) {
        if (t.size() != 2) return true;  // n words within n, in some order: not a pair each
        const auto a = format::term_hash(t[0]), b = format::term_hash(t[1]);
        return format::may_hold_pair(pairs, format::pair_hash(a, b)) ||
               format::may_hold_pair(pairs, format::pair_hash(b, a));
    }
    auto prev = format::term_hash(t[0]);
    for (std::size_t i = 1; i < t.size(); ++i) {
        const auto next = format::term_hash(t[i]);
        if (!format::may_hold_pair(pairs, format::pair_hash(prev, next))) return false;
        prev = next;
    }
    return true;
}

std::optional<bool> holds_in_passage(const format::StoredFields& fields, PassageOrdinal ordinal,
                                     const PositionalCheck& check) {
    return holds_in_passage(format::StoredFieldsView{fields.article_id, fields.title, fields.location, fields.date,
                                                     fields.source, fields.text},
                            ordinal, check);
}

}  // namespace trawl::query
