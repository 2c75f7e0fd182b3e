#include "bench/perf/query_gen.hpp"

#include <algorithm>
#include <random>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "corpus/base/ascii.hpp"
#include "indexer/format/analysis.hpp"

namespace trawl::bench {
namespace {

bool is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '\'';
}

// Uniform in [0, n) for n > 0; mt19937_64's output is fixed by the standard,
// so the draws are the same everywhere (std::uniform_int_distribution is not).
std::size_t draw(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

}  // namespace

std::vector<GenWord> gen_words(std::string_view text) {
    std::vector<GenWord> words;
    std::size_t i = 0;
    bool only_space = true;  // since the previous word
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!is_word_byte(c)) {
            only_space = only_space && is_ascii_space(c);
            ++i;
            continue;
        }
        GenWord w;
        w.joined = !words.empty() && only_space;
        w.letters = true;
        for (; i < text.size() && is_word_byte(static_cast<unsigned char>(text[i])); ++i) {
            char ch = text[i];
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
            if (ch < 'a' || ch > 'z') w.letters = false;
            w.text += ch;
        }
        w.plain = w.letters && w.text.size() >= 2 && !format::is_stop_word(w.text);
        words.push_back(std::move(w));
        only_space = true;
    }
    return words;
}

// The words of a run of `len` consecutive words of `words` that starts at an
// index `fits` accepts, the start drawn uniformly among those; none if none fits.
template <class Fits>
std::vector<std::string> draw_run(const std::vector<GenWord>& words, std::size_t len, std::mt19937_64& rng, Fits fits) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i + len <= words.size(); ++i)
        if (fits(i)) starts.push_back(i);
    if (starts.empty()) return {};
    const std::size_t s = starts[draw(rng, starts.size())];
    std::vector<std::string> terms;
    for (std::size_t j = s; j < s + len; ++j) terms.push_back(words[j].text);
    return terms;
}

std::vector<PeerQuery> generate_queries(const std::vector<PeerDoc>& docs, const QueryGenOptions& opts) {
    std::vector<PeerQuery> out;
    if (docs.empty() || opts.per_kind == 0) return out;
    std::mt19937_64 rng(opts.seed);
    const std::size_t attempts = std::size_t{opts.per_kind} * 50;

    // Words: the mid-frequency band of plain words by document frequency.
    std::unordered_map<std::string, std::uint32_t> df;
    for (const auto& d : docs) {
        std::unordered_set<std::string> seen;
        for (auto& w : gen_words(d.text))
            if (w.plain && seen.insert(w.text).second) ++df[w.text];
    }
    std::vector<std::pair<std::uint32_t, std::string>> vocab;
    for (auto& [w, n] : df) vocab.emplace_back(n, w);
    std::sort(vocab.begin(), vocab.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    const std::size_t lo = std::max<std::size_t>(vocab.size() / 100, vocab.size() > 1 ? 1 : 0);
    const std::size_t hi = std::min(vocab.size(), std::max(lo + 1, (vocab.size() * 30 + 99) / 100));
    std::set<std::vector<std::string>> made;
    if (lo < hi) {
        const std::size_t band = hi - lo;
        for (std::size_t a = 0, n = 0; n < opts.per_kind && a < attempts; ++a) {
            const std::size_t len = std::min<std::size_t>(1 + draw(rng, 4), band);
            std::vector<std::string> terms;
            while (terms.size() < len) {
                const auto& w = vocab[lo + draw(rng, band)].second;
                if (std::find(terms.begin(), terms.end(), w) == terms.end()) terms.push_back(w);
            }
            if (!made.insert(terms).second) continue;
            out.push_back({"w" + std::to_string(++n), PeerQuery::Kind::Words, std::move(terms), 0});
        }
    }

    // Phrases: 2-3 consecutive joined words of a passage, plain at both ends.
    made.clear();
    for (std::size_t a = 0, n = 0; n < opts.per_kind && a < attempts; ++a) {
        const auto words = gen_words(docs[draw(rng, docs.size())].text);
        const std::size_t len = 2 + draw(rng, 2);
        auto terms = draw_run(words, len, rng, [&](std::size_t i) {
            bool ok = words[i].plain && words[i + len - 1].plain;
            for (std::size_t j = i + 1; ok && j < i + len; ++j) ok = words[j].joined && words[j].letters;
            return ok;
        });
        if (terms.empty() || !made.insert(terms).second) continue;
        out.push_back({"p" + std::to_string(++n), PeerQuery::Kind::Phrase, std::move(terms), 0});
    }

    // NEAR pairs: two different plain words at most near_window - 1 words apart.
    made.clear();
    for (std::size_t a = 0, n = 0; n < opts.per_kind && a < attempts && opts.near_window > 0; ++a) {
        const auto words = gen_words(docs[draw(rng, docs.size())].text);
        std::vector<std::size_t> firsts;
        for (std::size_t i = 0; i < words.size(); ++i)
            if (words[i].plain) firsts.push_back(i);
        if (firsts.empty()) continue;
        const std::size_t i = firsts[draw(rng, firsts.size())];
        std::vector<std::size_t> seconds;
        for (std::size_t j = i + 1; j < words.size() && j <= i + opts.near_window; ++j)
            if (words[j].plain && words[j].text != words[i].text) seconds.push_back(j);
        if (seconds.empty()) continue;
        std::vector<std::string> terms = {words[i].text, words[seconds[draw(rng, seconds.size())]].text};
        if (!made.insert(terms).second) continue;
        out.push_back({"n" + std::to_string(++n), PeerQuery::Kind::Near, std::move(terms), opts.near_window});
    }
    return out;
}

std::vector<PeerQuery> generate_title_queries(const std::vector<PeerDoc>& docs, const QueryGenOptions& opts) {
    std::set<std::string> distinct;
    for (const auto& d : docs) distinct.insert(d.title);
    const std::vector<std::string> titles(distinct.begin(), distinct.end());
    std::vector<PeerQuery> out;
    if (titles.empty()) return out;
    std::mt19937_64 rng(opts.seed);
    std::set<std::vector<std::string>> made;
    const std::size_t attempts = std::size_t{opts.per_kind} * 50;
    for (std::size_t a = 0, n = 0; n < opts.per_kind && a < attempts; ++a) {
        const auto words = gen_words(titles[draw(rng, titles.size())]);
        const std::size_t len = 1 + draw(rng, 3);
        auto terms = draw_run(words, len, rng, [&](std::size_t i) {
            bool ok = true;
            for (std::size_t j = i; ok && j < i + len; ++j) ok = words[j].plain && (j == i || words[j].joined);
            return ok;
        });
        if (terms.empty() || !made.insert(terms).second) continue;
        out.push_back({"t" + std::to_string(++n), PeerQuery::Kind::Words, std::move(terms), 0});
    }
    return out;
}

}  // namespace trawl::bench
