#include "query/spelling_channel.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>

#include <xapian.h>

namespace trawl::query {
namespace {

constexpr double kKinds = 4;  // left out, added, replaced, swapped

// Row and column (in half keys: each row is shifted half a key right of the
// one above) of a letter on a QWERTY keyboard, or row -1.
struct Key {
    int row = -1, half = 0;
};
constexpr std::array<Key, 26> kKeys = [] {
    constexpr std::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
    std::array<Key, 26> keys{};
    for (int r = 0; r < 3; ++r)
        for (std::size_t at = 0; at < kRows[r].size(); ++at)
            keys[static_cast<std::size_t>(kRows[r][at] - 'a')] = {r, 2 * static_cast<int>(at) + r};
    return keys;
}();
Key key_of(char32_t c) { return c >= U'a' && c <= U'z' ? kKeys[c - U'a'] : Key{}; }

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

// The weights of the letters that may replace `meant`, summed: one sum per
// letter a-z (and one for any other character), worked out once.
double replacing_total(char32_t meant) {
    static const std::array<double, 27> totals = [] {
        std::array<double, 27> t{};
        for (char32_t m = U'a'; m <= U'z' + 1; ++m) {
            const char32_t meant_letter = m <= U'z' ? m : 0;  // 0: not a letter of the keyboard
            double total = 0;
            for (char32_t c = U'a'; c <= U'z'; ++c)
                if (c != meant_letter) total += keyboard_neighbours(c, meant_letter) ? kKeyWeight : 1.0;
            t[m - U'a'] = total;
        }
        return t;
    }();
    return totals[meant >= U'a' && meant <= U'z' ? meant - U'a' : 26];
}

// The chance that `meant` is replaced by `typed` when it is replaced.
double replaced_share(char32_t typed, char32_t meant) {
    return (keyboard_neighbours(typed, meant) ? kKeyWeight : 1.0) / replacing_total(meant);
}

}  // namespace

bool keyboard_neighbours(char32_t a, char32_t b) {
    const Key x = key_of(a), y = key_of(b);
    if (x.row < 0 || y.row < 0 || a == b) return false;
    const int dr = std::abs(x.row - y.row), dh = std::abs(x.half - y.half);
    return (dr == 0 && dh == 2) || (dr == 1 && dh == 1);
}

std::vector<ChannelSource> one_edit_sources(std::string_view typed_bytes,
                                            const std::function<bool(std::string_view)>& kept) {
    // The typed word's characters and where each starts in its UTF-8 form
    // (re-encoded, so that a stray byte is the character Xapian reads it as);
    // every source is spliced from those bytes.
    std::u32string typed;
    std::string word;
    std::vector<std::size_t> at;  // at[i]: the first byte of character i; at[m]: the end
    for (Xapian::Utf8Iterator it(typed_bytes.data(), typed_bytes.size()); it != Xapian::Utf8Iterator(); ++it) {
        at.push_back(word.size());
        typed.push_back(*it);
        Xapian::Unicode::append_utf8(word, *it);
    }
    const std::size_t m = typed.size();
    at.push_back(word.size());
    const std::string_view bytes = word;
    // The letters an error may add or replace: a-z and the word's own others, each once.
    std::vector<std::string> alphabet;
    std::u32string seen;
    for (char32_t c = U'a'; c <= U'z'; ++c) seen.push_back(c);
    for (const char32_t c : typed)
        if (seen.find(c) == std::u32string::npos) seen.push_back(c);
    for (const char32_t c : seen) {
        std::string utf8;
        Xapian::Unicode::append_utf8(utf8, c);
        alphabet.push_back(std::move(utf8));
    }
    const auto ch = [&](std::size_t i) { return bytes.substr(at[i], at[i + 1] - at[i]); };
    std::vector<ChannelSource> out;
    if (!kept) out.reserve(m * (2 * seen.size() + 2) + seen.size());
    const auto add = [&](std::string meant, double share) {
        if (!meant.empty() && meant != bytes && (!kept || kept(meant))) out.push_back({std::move(meant), share});
    };
    const auto spliced = [&](std::size_t cut, std::string_view middle, std::size_t resume) {
        std::string s;
        s.reserve(bytes.size() + middle.size());
        s.append(bytes.substr(0, cut)).append(middle).append(bytes.substr(resume));
        return s;
    };
    // A letter of the meant word (m + 1 letters) left out.
    for (std::size_t i = 0; i <= m; ++i)
        for (const auto& c : alphabet) add(spliced(at[i], c, at[i]), 1 / (kKinds * double(m + 1)));
    // A letter added to the meant word (m - 1 letters), at one of m places.
    for (std::size_t i = 0; m >= 2 && i < m; ++i) {
        const char32_t left = i > 0 ? typed[i - 1] : 0, right = i + 1 < m ? typed[i + 1] : 0;
        add(spliced(at[i], {}, at[i + 1]), added_share(typed[i], left, right) / (kKinds * double(m)));
    }
    // A letter replaced.
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t k = 0; k < seen.size(); ++k) {
            if (seen[k] == typed[i]) continue;
            add(spliced(at[i], alphabet[k], at[i + 1]), replaced_share(typed[i], seen[k]) / (kKinds * double(m)));
        }
    // Two neighbours swapped.
    for (std::size_t i = 0; i + 1 < m; ++i) {
        if (typed[i] == typed[i + 1]) continue;
        std::string swapped(ch(i + 1));
        swapped.append(ch(i));
        add(spliced(at[i], swapped, at[i + 2]), 1 / (kKinds * double(m - 1)));
    }
    // Each word once, its shares summed in the order the errors were listed:
    // their places sorted by word, then by place (a stable sort that moves
    // 4-byte places, not strings: moving the strings was half the work).
    std::vector<std::uint32_t> order(out.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const int c = out[a].meant.compare(out[b].meant);
        return c != 0 ? c < 0 : a < b;
    });
    std::vector<ChannelSource> once;
    once.reserve(order.size());
    for (const std::uint32_t i : order) {
        if (!once.empty() && once.back().meant == out[i].meant) once.back().p += out[i].p;
        else once.push_back(std::move(out[i]));
    }
    return once;
}

}  // namespace trawl::query
