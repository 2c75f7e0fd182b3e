// ASCII character classes shared by every parser of bytes (readers, splitters,
// query checks, bench input files): one definition of each, independent of the
// C locale that <cctype> consults.
#pragma once

#include <cstddef>
#include <string_view>

namespace trawl {

// White space as the C locale's isspace(): space, \t, \n, \v, \f, \r. The
// sentence and passage splitters cut words on it (count_words() too), and the
// readers trim and split markup on it.
constexpr bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// A blank inside one line, as isblank(): space or \t. A query is one line
// (other control characters are an error there), so its words part on blanks.
constexpr bool is_ascii_blank(char c) { return c == ' ' || c == '\t'; }

constexpr bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_ascii_alpha(char c) { return is_ascii_upper(c) || is_ascii_lower(c); }
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// A..Z to a..z; every other byte (UTF-8 ones included) unchanged.
constexpr char ascii_lower(char c) { return is_ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// a == b ignoring the case of ASCII letters.
constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

// s holds `lower_word` (lower case) at `pos`, in any ASCII case.
constexpr bool ascii_iequals_at(std::string_view s, std::size_t pos, std::string_view lower_word) {
    return pos <= s.size() && s.size() - pos >= lower_word.size() &&
           ascii_iequals(s.substr(pos, lower_word.size()), lower_word);
}

}  // namespace trawl
