// Cuts text into words by the rules of Xapian 1.4's TermGenerator
// (termgenerator_internal.cc, parse_terms() without CJK n-grams), reading
// characters and their classes through Xapian's own Unicode functions; ASCII
// takes a table filled from those same functions.
#include "indexer/format/words.hpp"

#include <array>
#include <limits>

namespace trawl::format {
namespace {

constexpr unsigned kIgnore = std::numeric_limits<unsigned>::max();  // a zero-width infix: dropped

struct Char {
    unsigned cp;      // as Xapian::Utf8Iterator reads it (a byte that is not UTF-8: its Latin-1 value)
    std::size_t len;  // its bytes, >= 1
};

// The lower-cased form of each ASCII word character, 0 for the others.
const std::array<unsigned char, 128>& ascii_words() {
    static const auto table = [] {
        std::array<unsigned char, 128> t{};
        for (unsigned c = 0; c < 128; ++c)
            if (Xapian::Unicode::is_wordchar(c)) t[c] = static_cast<unsigned char>(Xapian::Unicode::tolower(c));
        return t;
    }();
    return table;
}

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text), ascii_(ascii_words()) {}
    std::size_t size() const { return s_.size(); }
    Char at(std::size_t i) const {
        const auto b = static_cast<unsigned char>(s_[i]);
        if (b < 0x80) return {b, 1};
            // Never empty here, so the iterator's seqlen is set (g++ 12 cannot see it).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
        Xapian::Utf8Iterator it(s_.data() + i, s_.size() - i);
        const unsigned cp = *it;
        ++it;
        return {cp, static_cast<std::size_t>(it.raw() - (s_.data() + i))};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
    }
    // TermGenerator's check_wordchar(): the lower-cased character, 0 if not a word character.
    unsigned word_char(unsigned cp) const {
        if (cp < 128) return ascii_[cp];
        return Xapian::Unicode::is_wordchar(cp) ? Xapian::Unicode::tolower(cp) : 0;
    }
    bool is_word_char(unsigned cp) const { return word_char(cp) != 0; }
    bool is_ascii_upper(std::size_t i) const { return s_[i] >= 'A' && s_[i] <= 'Z'; }

private:
    std::string_view s_;
    const std::array<unsigned char, 128>& ascii_;
};

bool is_digit(unsigned cp) {
    if (cp < 128) return cp >= '0' && cp <= '9';
    return Xapian::Unicode::get_category(cp) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

bool is_zero_width(unsigned cp) { return cp >= 0x200b && (cp <= 0x200d || cp == 0x2060 || cp == 0xfeff); }

// What joins two word characters ("AT&T", "don't"), as it goes in the term; 0: nothing.
unsigned infix(unsigned cp) {
    if (cp == '\'' || cp == '&' || cp == 0xb7 || cp == 0x5f4 || cp == 0x2027) return cp;
    if (cp == 0x2019 || cp == 0x201b) return '\'';
    return is_zero_width(cp) ? kIgnore : 0;
}

// What joins two digits ("1,000.5").
unsigned digit_infix(unsigned cp) {
    switch (cp) {
        case ',':
        case '.':
        case ';':
        case 0x037e:
        case 0x0589:
        case 0x060d:
        case 0x07f8:
        case 0x2044:
        case 0xfe10:
        case 0xfe13:
        case 0xfe14:
            return cp;
        default:
            return is_zero_width(cp) ? kIgnore : 0;
    }
}

bool is_suffix(unsigned cp) { return cp == '+' || cp == '#'; }

void append(std::string& term, unsigned cp) {
    if (cp < 0x80) {
        term += static_cast<char>(cp);
    } else {
        Xapian::Unicode::append_utf8(term, cp);
    }
}

}  // namespace

void Words::index_text(std::string_view text, Xapian::termcount, std::string_view prefix) { cut(text, prefix, true); }

void Words::index_text_without_positions(std::string_view text, Xapian::termcount, std::string_view prefix) {
    cut(text, prefix, false);
}

void Words::clear() {
    words_.clear();
    terms_.clear();
    pos_ = 0;
}

std::vector<Xapian::termpos> Words::positions(std::string_view t) const {
    std::vector<Xapian::termpos> out;
    for (const auto& w : words_)
        if (w.pos != 0 && w.term_size == t.size() && term(w) == t) out.push_back(w.pos);
    return out;  // text order is position order
}

void Words::cut(std::string_view text, std::string_view prefix, bool with_positions) {
    const Reader r(text);
    const std::size_t n = r.size();
    words_.reserve(words_.size() + n / 4);
    terms_.reserve(terms_.size() + n);
    std::size_t i = 0;
    for (;;) {
        // The start of the next word.
        Char c{};
        unsigned ch = 0;
        for (;;) {
            if (i >= n) return;
            c = r.at(i);
            ch = r.word_char(c.cp);
            if (ch) break;
            i += c.len;
        }
        Word w;
        w.begin = static_cast<std::uint32_t>(i);
        w.term_at = static_cast<std::uint32_t>(terms_.size());
        if (!prefix.empty()) terms_ += prefix;
        const std::size_t term_start = terms_.size();
        std::size_t last = i;  // the end of the last character the term took
        auto term_size = [&] { return terms_.size() - term_start; };

        // Initials separated by '.' ("U.S.A.", trailing '.' or not): one word
        // of two letters or more, unless a word character follows.
        if (r.is_ascii_upper(i)) {
            std::size_t p = i;
            do {
                terms_ += static_cast<char>(r.word_char(static_cast<unsigned char>(text[p])));
                last = ++p;
            } while (p < n && text[p] == '.' && ++p < n && r.is_ascii_upper(p));
            if (term_size() > 1 && (p >= n || !r.is_word_char(r.at(p).cp))) {
                i = p;
                goto end_of_term;
            }
            terms_.resize(term_start);
        }

        for (;;) {
            unsigned prev = 0;
            do {
                append(terms_, ch);
                prev = ch;
                i += c.len;
                last = i;
                if (i >= n) goto end_of_term;
                c = r.at(i);
                ch = r.word_char(c.cp);
            } while (ch);
            // `c` (at i) is not a word character: does it join two words?
            const std::size_t next = i + c.len;
            if (next >= n) break;
            const Char nc = r.at(next);
            const unsigned next_ch = r.word_char(nc.cp);
            if (!next_ch) break;
            const unsigned join = is_digit(prev) && is_digit(nc.cp) ? digit_infix(c.cp) : infix(c.cp);
            if (!join) break;
            if (join != kIgnore) append(terms_, join);
            ch = next_ch;
            c = nc;
            i = next;
        }

        {
            // Up to three '+' or '#' ("c++"), not before a word character ("fish+chips").
            const std::size_t len = terms_.size();
            unsigned count = 0;
            bool kept = true;
            while (is_suffix(r.at(i).cp)) {
                if (++count > 3) {
                    terms_.resize(len);
                    kept = false;
                    break;
                }
                terms_ += text[i];
                if (++i >= n) {
                    last = i;
                    goto end_of_term;
                }
            }
            if (r.is_word_char(r.at(i).cp)) {
                terms_.resize(len);
            } else if (kept && terms_.size() > len) {
                last = i;
            }
        }

    end_of_term:
        w.end = static_cast<std::uint32_t>(last);
        w.term_size = static_cast<std::uint32_t>(terms_.size() - w.term_at);
        w.indexed = term_size() <= kMaxWordBytes;
        if (w.indexed && with_positions) w.pos = ++pos_;
        words_.push_back(w);
    }
}

Words cut_words(std::string_view text) {
    Words w;
    w.index_text(text);
    return w;
}

}  // namespace trawl::format
