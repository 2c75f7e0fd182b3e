#include "query/spelling_channel.hpp"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include <xapian.h>

namespace trawl::query {
namespace {

constexpr double kKinds = 4;     // left out, added, replaced, swapped
constexpr double kLetters = 26;  // a-z

std::u32string decode(std::string_view s) {
    std::u32string out;
    for (Xapian::Utf8Iterator it(s.data(), s.size()); it != Xapian::Utf8Iterator(); ++it) out.push_back(*it);
    return out;
}

std::string encode(const std::u32string& s) {
    std::string out;
    for (const char32_t c : s) Xapian::Unicode::append_utf8(out, c);
    return out;
}

// Row and column (in half keys: each row is shifted half a key right of the
// one above) of a letter on a QWERTY keyboard, or row -1.
struct Key {
    int row = -1, half = 0;
};
Key key_of(char32_t c) {
    static constexpr std::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
    for (int r = 0; r < 3; ++r) {
        const auto at = c < 0x80 ? kRows[r].find(static_cast<char>(c)) : std::string_view::npos;
        if (at != std::string_view::npos) return {r, 2 * static_cast<int>(at) + r};
    }
    return {};
}

// The weight of `added` typed beside `near` (repeated or a neighbour key).
bool near_key(char32_t added, char32_t near) { return added == near || keyboard_neighbours(added, near); }

// The chance that the letter added between `left` and `right` (0: none) is `added`.
double added_share(char32_t added, char32_t left, char32_t right) {
    const auto weight = [&](char32_t c) {
        return (left && near_key(c, left)) || (right && near_key(c, right)) ? kKeyWeight : 1.0;
    };
    double total = 0;
    for (char32_t c = U'a'; c <= U'z'; ++c) total += weight(c);
    return weight(added) / total;
}

// The chance that `meant` is replaced by `typed` when it is replaced.
double replaced_share(char32_t typed, char32_t meant) {
    double total = 0;
    for (char32_t c = U'a'; c <= U'z'; ++c)
        if (c != meant) total += keyboard_neighbours(c, meant) ? kKeyWeight : 1.0;
    if (total == 0) total = kLetters - 1;
    return (keyboard_neighbours(typed, meant) ? kKeyWeight : 1.0) / total;
}

}  // namespace

bool keyboard_neighbours(char32_t a, char32_t b) {
    const Key x = key_of(a), y = key_of(b);
    if (x.row < 0 || y.row < 0 || a == b) return false;
    const int dr = std::abs(x.row - y.row), dh = std::abs(x.half - y.half);
    return (dr == 0 && dh == 2) || (dr == 1 && dh == 1);
}

std::vector<ChannelSource> one_edit_sources(std::string_view typed_bytes) {
    const std::u32string typed = decode(typed_bytes);
    const std::size_t m = typed.size();
    std::u32string alphabet;
    for (char32_t c = U'a'; c <= U'z'; ++c) alphabet.push_back(c);
    for (const char32_t c : typed)
        if (alphabet.find(c) == std::u32string::npos) alphabet.push_back(c);
    std::unordered_map<std::string, double> p;
    const auto add = [&](const std::u32string& meant, double share) {
        if (meant != typed && !meant.empty()) p[encode(meant)] += share;
    };
    // A letter of the meant word (m + 1 letters) left out.
    for (std::size_t i = 0; i <= m; ++i)
        for (const char32_t c : alphabet) add(typed.substr(0, i) + c + typed.substr(i), 1 / (kKinds * double(m + 1)));
    // A letter added to the meant word (m - 1 letters), at one of m places.
    for (std::size_t i = 0; m >= 2 && i < m; ++i) {
        const char32_t left = i > 0 ? typed[i - 1] : 0, right = i + 1 < m ? typed[i + 1] : 0;
        add(typed.substr(0, i) + typed.substr(i + 1), added_share(typed[i], left, right) / (kKinds * double(m)));
    }
    // A letter replaced.
    for (std::size_t i = 0; i < m; ++i)
        for (const char32_t c : alphabet) {
            if (c == typed[i]) continue;
            std::u32string meant = typed;
            meant[i] = c;
            add(meant, replaced_share(typed[i], c) / (kKinds * double(m)));
        }
    // Two neighbours swapped.
    for (std::size_t i = 0; i + 1 < m; ++i) {
        if (typed[i] == typed[i + 1]) continue;
        std::u32string meant = typed;
        std::swap(meant[i], meant[i + 1]);
        add(meant, 1 / (kKinds * double(m - 1)));
    }
    std::vector<ChannelSource> out;
    out.reserve(p.size());
    for (auto& [word, share] : p) out.push_back({word, share});
    return out;
}

}  // namespace trawl::query
