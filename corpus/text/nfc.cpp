// NFC over libunistring, with Unicode's quick check as the fast path.
#include "corpus/text/nfc.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <unictype.h>
#include <uninorm.h>

namespace trawl::corpus {
namespace {

// The code points the table covers; from here on the quick check says "not
// certain" (CJK Extension B on, where only the compatibility ideographs
// U+2F800-U+2FA1D change, and nothing else does).
constexpr std::uint32_t kTableEnd = 0x20000;

// One bit per code point below kTableEnd: set when the code point may change
// under NFC or change its neighbours (NFC_Quick_Check No or Maybe, or a
// non-zero canonical combining class). Derived from libunistring's own
// tables, the ones u8_normalize() uses, so the two cannot disagree on a
// Unicode version; about 2 ms, once per process, at the first code point at
// or above U+0300.
class MaybeTable {
public:
    MaybeTable() : bits_(kTableEnd / 64) {
        ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
        for (ucs4_t cp = 0x300; cp < kTableEnd; ++cp) {
            if (known_stable(cp)) {
                cp = known_stable_end(cp);
                continue;
            }
            if (uc_combining_class(cp) != 0) set(cp);  // reordered among its neighbours
            const int n = uc_canonical_decomposition(cp, d);
            if (n < 0) continue;
            // Only a primary composite (a pair of a starter and a character
            // that composes back to it) stays as it is; singletons (U+212B
            // ANGSTROM SIGN -> U+00C5), non-starter decompositions and the
            // composition exclusions do not.
            if (n != 2 || uc_combining_class(d[0]) != 0 || uc_composition(d[0], d[1]) != cp) set(cp);
            // The second half of a pair may compose with what precedes it
            // (NFC_Quick_Check=Maybe; a superset of it, as exclusions count too).
            if (n == 2 && d[1] < kTableEnd) set(d[1]);
        }
        // Hangul jamo: a vowel after a leading consonant, a trailing
        // consonant after an LV syllable compose algorithmically.
        for (ucs4_t cp = 0x1100; cp <= 0x11FF; ++cp) set(cp);
    }
    bool maybe(std::uint32_t cp) const { return cp >= kTableEnd || (bits_[cp >> 6] >> (cp & 63) & 1) != 0; }

private:
    // Large blocks of code points that are all stable and none of which is
    // part of another's decomposition, passed over to save the lookups (a
    // third of them): CJK Extension A and the unified ideographs, Hangul
    // syllables (primary composites of jamo), surrogates, private use.
    // tests/corpus/nfc_test.cpp checks every one against the library.
    static bool known_stable(ucs4_t cp) {
        return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xF8FF);
    }
    static ucs4_t known_stable_end(ucs4_t cp) { return cp <= 0x4DBF ? 0x4DBF : cp <= 0x9FFF ? 0x9FFF : 0xF8FF; }
    void set(ucs4_t cp) { bits_[cp >> 6] |= std::uint64_t{1} << (cp & 63); }
    std::vector<std::uint64_t> bits_;
};

const MaybeTable& maybe_table() {
    static const MaybeTable table;  // thread-safe initialisation: the cleaner's workers call this
    return table;
}

bool continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Decodes the UTF-8 sequence at p (p < end) into `cp`; its length, or 0 when
// it is not well-formed enough to read (the library then refuses the text).
std::ptrdiff_t decode(const unsigned char* p, const unsigned char* end, std::uint32_t& cp) {
    const unsigned char b = *p;
    std::ptrdiff_t len;
    if (b < 0x80) {
        cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        cp = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        cp = b & 0x07u;
    } else {
        return 0;  // a stray continuation byte or an invalid lead byte
    }
    if (end - p < len) return 0;
    for (std::ptrdiff_t k = 1; k < len; ++k) {
        if (!continuation(p[k])) return 0;
        cp = cp << 6 | (p[k] & 0x3Fu);
    }
    return len;
}

// Stable: NFC_Quick_Check=Yes and combining class 0. NFC changes nothing
// across such a code point (Unicode's "boundary before"), so text is cut
// there into pieces that NFC puts in form one by one.
bool stable(std::uint32_t cp, const MaybeTable*& table) {
    if (cp < 0x300) return true;  // ASCII, Latin-1, Latin Extended A/B, IPA
    if (!table) table = &maybe_table();
    return !table->maybe(cp);
}

// The first code point from p on that is not stable, or `end`; `invalid` is
// set when a sequence that is not UTF-8 comes first (then it points there).
const unsigned char* first_unstable(const unsigned char* p, const unsigned char* end, const MaybeTable*& table,
                                    bool& invalid) {
    while (p < end) {
        // Eight ASCII bytes at a time: the run between two non-ASCII
        // characters is most of any text.
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            if (w & 0x8080808080808080ULL) break;
            p += 8;
        }
        if (p == end) break;
        const unsigned char b = *p;
        if (b < 0x80) {
            ++p;
            continue;
        }
        // Lead bytes C2-CB: U+0080-U+02FF, all stable.
        if (b >= 0xC2 && b < 0xCC && end - p >= 2 && continuation(p[1])) {
            p += 2;
            continue;
        }
        std::uint32_t cp;
        const auto len = decode(p, end, cp);
        if (len == 0) {
            invalid = true;
            return p;
        }
        if (!stable(cp, table)) return p;
        p += len;
    }
    return end;
}

struct FreeDeleter {
    void operator()(std::uint8_t* q) const { std::free(q); }
};

// Appends the NFC of [b, e) to `out`; false when the library refuses it.
bool append_nfc(std::string& out, const unsigned char* b, const unsigned char* e) {
    std::size_t length = 0;
    const std::unique_ptr<std::uint8_t, FreeDeleter> n(
        u8_normalize(UNINORM_NFC, b, static_cast<std::size_t>(e - b), nullptr, &length));
    if (!n) return false;  // EILSEQ (not UTF-8) or ENOMEM
    out.append(reinterpret_cast<const char*>(n.get()), length);
    return true;
}

}  // namespace

bool nfc_quick_check(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* const end = p + text.size();
    const MaybeTable* table = nullptr;
    bool invalid = false;
    return first_unstable(p, end, table, invalid) == end;
}

bool to_nfc_in_place(std::string& text) {
    const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
    const auto* const end = begin + text.size();
    const MaybeTable* table = nullptr;
    bool invalid = false;
    const unsigned char* p = begin;  // copied or normalised up to here
    const unsigned char* u = first_unstable(p, end, table, invalid);
    if (u == end) return false;  // the usual case: nothing to do, nothing copied
    std::string out;
    out.reserve(text.size() + 16);
    while (u != end) {
        if (invalid) return false;  // not UTF-8: left as it is, as the library would
        // The piece NFC may change: from the stable code point before `u`
        // (everything before it was stable) to the next stable one.
        const unsigned char* from = u;
        if (from > p) {
            --from;
            while (from > p && continuation(*from)) --from;
        }
        const unsigned char* to = u;
        std::uint32_t cp;
        while (to < end) {
            const auto len = decode(to, end, cp);
            if (len == 0) return false;
            if (to != u && stable(cp, table)) break;
            to += len;
        }
        out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(from - p));
        if (!append_nfc(out, from, to)) return false;
        p = to;
        u = first_unstable(p, end, table, invalid);
    }
    out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p));
    if (out == text) return false;
    text = std::move(out);
    return true;
}

std::string to_nfc(std::string_view text) {
    std::string s(text);
    to_nfc_in_place(s);
    return s;
}

void nfc_article(Article& a) {
    to_nfc_in_place(a.title);
    to_nfc_in_place(a.body);
    to_nfc_in_place(a.source);
}

}  // namespace trawl::corpus
