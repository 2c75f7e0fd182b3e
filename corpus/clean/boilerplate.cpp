#include "corpus/clean/boilerplate.hpp"

#include <algorithm>
#include <array>
#include <bit>

#include "corpus/base/ascii16.hpp"
#include "corpus/base/hash64.hpp"
#include "corpus/text/sentence_splitter.hpp"

namespace trawl::corpus {
namespace {

bool ascii_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Built-in list, as boilerplate_key() gives it. Comment forms (WordPress and
// the like), share and subscribe prompts: lines no article sentence consists of.
constexpr std::array<std::string_view, 24> kKnown = {
    "please enter your comment",
    "please enter your name here",
    "you have entered an incorrect email address",
    "please enter it again",
    "you have entered an incorrect email address please enter it again",
    "save my name email and website in this browser for the next time i comment",
    "leave a reply",
    "leave a comment",
    "cancel reply",
    "post comment",
    "share this article",
    "share this story",
    "share this",
    "share on facebook",
    "share on twitter",
    "share via email",
    "click to share on facebook",
    "click to share on twitter",
    "subscribe to our newsletter",
    "sign up to our newsletter",
    "sign up for our newsletter",
    "follow us on twitter",
    "follow us on facebook",
    "advertisement",
};

bool starts_with_icase(std::string_view s, std::string_view lower_prefix) {
    if (s.size() < lower_prefix.size()) return false;
    for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower_prefix[i]) return false;
    }
    return true;
}

bool starts_with_year(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s.size() >= 4 && std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
}

// "© 2021 Foo", "© Foo Ltd", "(c) 2021 Foo", "Copyright 2021 Foo", "Copyright © Foo",
// "... All rights reserved." — short lines only. "(c)" alone is not enough: news
// tables use "(C)" as a footnote mark.
bool is_copyright_line(std::string_view unit, const std::string& key) {
    const auto looks_like = [&] {
        constexpr std::string_view kReserved = "all rights reserved";
        if (key.size() >= kReserved.size() && key.ends_with(kReserved) &&
            (key.size() == kReserved.size() || key[key.size() - kReserved.size() - 1] == ' '))
            return true;
        std::string_view s = unit;
        if (starts_with_icase(s, "copyright ")) {
            s.remove_prefix(10);
            if (starts_with_year(s)) return true;
        }
        if (s.starts_with("\xC2\xA9")) return true;
        return starts_with_icase(s, "(c)") && starts_with_year(s.substr(3));
    };
    // The words counted last: nearly every unit fails the checks above.
    return looks_like() && count_words(unit) <= 25;
}

// is_known_boilerplate() of `unit`, whose boilerplate_key() is `key`.
bool known_key(std::string_view unit, const std::string& key) {
    if (key.empty()) return false;
    if (std::find(kKnown.begin(), kKnown.end(), key) != kKnown.end()) return true;
    return is_copyright_line(unit, key);
}

// Paragraphs of a normalised body: spans between "\n\n".
std::vector<Span> paragraphs(std::string_view body) {
    std::vector<Span> out;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find("\n\n", start);
        if (end == std::string_view::npos) end = body.size();
        if (end > start) out.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
        start = end + 2;
    }
    return out;
}

std::string_view cut(std::string_view s, Span sp) { return s.substr(sp.begin, sp.end - sp.begin); }

// The sentences of paragraph `p`, as spans of the body.
std::vector<Span> sentences_in(std::string_view body, Span p) {
    auto ss = split_sentences(cut(body, p));
    for (Span& s : ss) {
        s.begin += p.begin;
        s.end += p.begin;
    }
    return ss;
}

// Whether sentence `j` of the `sentences` of paragraph `i` (of `paragraphs`)
// is an edge sentence worth learning: the first sentence of the body or one
// of its last two, in a paragraph of more than one sentence (a one-sentence
// paragraph is a unit already). Only the first and last paragraphs have any.
bool is_edge(std::size_t paragraphs, std::size_t i, std::size_t sentences, std::size_t j) {
    if (sentences < 2) return false;
    if (i == 0 && j == 0) return true;
    return i + 1 == paragraphs && j + 2 >= sentences;
}

// Words one of which every kKnown key holds (checked below, at compile
// time), and the copyright lines' words: a
// paragraph whose key holds none of them, and no "\xC2\xA9" or "(c)", has no
// sentence known_key() would drop, so its sentences need not be cut.
constexpr std::array<std::string_view, 12> kAnchors = {
    "comment",   "enter",      "entered", "email",         "reply",     "share",
    "subscribe", "newsletter", "follow",  "advertisement", "copyright", "reserved",
};

// Whether `pred` holds for one of the words of `key` (a boilerplate_key():
// words apart by single spaces).
template <class Pred>
constexpr bool any_word(std::string_view key, Pred pred) {
    for (std::size_t i = 0; i < key.size();) {
        std::size_t end = key.find(' ', i);
        if (end == std::string_view::npos) end = key.size();
        if (pred(key.substr(i, end - i))) return true;
        i = end + 1;
    }
    return false;
}

constexpr bool holds_anchor(std::string_view key) {
    return any_word(
        key, [](std::string_view word) { return std::find(kAnchors.begin(), kAnchors.end(), word) != kAnchors.end(); });
}
static_assert(std::all_of(kKnown.begin(), kKnown.end(), holds_anchor),
              "every built-in unit must hold one of kAnchors as a word: may_hold_known() relies on it");

bool may_hold_known(std::string_view para, std::string_view key) {
    if (para.find("\xC2\xA9") != std::string_view::npos || para.find("(c") != std::string_view::npos ||
        para.find("(C") != std::string_view::npos)
        return true;
    return any_word(key, [](std::string_view word) {
        if (word.size() >= 5 && std::find(kAnchors.begin(), kAnchors.end(), word) != kAnchors.end()) return true;
        // A sentence may end in a non-ASCII mark ("\xE3\x80\x82"), which the
        // key keeps, gluing the next sentence's first word to it.
        return std::any_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) &&
               std::any_of(kAnchors.begin(), kAnchors.end(),
                           [&](std::string_view a) { return word.find(a) != word.npos; });
    });
}

std::uint64_t source_seed(std::string_view source) { return hash64(source, 0x5eed); }

std::uint64_t unit_hash(std::uint64_t seed, std::string_view key) { return hash64(key, seed); }

}  // namespace

#if defined(__SSE2__)
namespace {

// Which of 16 bytes are word bytes (fold() keeps them: ASCII letters and
// digits, and every byte from 0x80).
__m128i word_bytes16(__m128i b) {
    using namespace ascii16;
    return _mm_or_si128(_mm_or_si128(in_range(b, 0x80, 0xFF), in_range(b, '0', '9')),
                        _mm_or_si128(in_range(b, 'a', 'z'), upper(b)));
}

// How many bytes from `in` are words and single spaces between word bytes,
// at most 16, given that the byte before `in` is a word byte and the byte
// after the 16 exists; those bytes go to `out` lower-cased (16 bytes are
// written there). A space is kept if the byte after it is a word byte: the
// byte before it then is one too, or it was not kept itself.
std::size_t fold_words16(const char* in, char* out) {
    const __m128i b = ascii16::load(in);
    const __m128i word = word_bytes16(b);
    const __m128i word_after = word_bytes16(ascii16::load(in + 1));
    const __m128i lone_space = _mm_and_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8(' ')), word_after);
    const auto kept = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(word, lone_space)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), ascii16::lower(b));
    return static_cast<std::size_t>(std::countr_one(kept));
}

}  // namespace
#endif

std::string boilerplate_key(std::string_view unit) {
    // A byte table and a raw output pointer: the key is built for every
    // unit of every article, by the learner, the filter and the duplicate
    // hashes, so this loop is a few percent of indexing CPU.
    static const auto fold = [] {
        std::array<unsigned char, 256> t{};  // 0: a separator
        for (unsigned c = 0; c < 256; ++c)
            if (c >= 0x80 || ascii_alnum(static_cast<unsigned char>(c)))
                t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        return t;
    }();
    std::string key(unit.size(), '\0');
    char* const begin = key.data();
    char* out = begin;
    bool gap = false;
    for (std::size_t i = 0; i < unit.size();) {
#if defined(__SSE2__)
        // After a word byte (nothing pending), words and the single spaces
        // between them are copied lower-cased, 16 bytes a step; the first
        // byte that is neither goes through the byte loop. `out` trails `i`,
        // so the 16 bytes written fit in the key.
        if (!gap && out != begin) {
            while (i + 16 < unit.size()) {
                const std::size_t n = fold_words16(unit.data() + i, out);
                i += n;
                out += n;
                if (n < 16) break;
            }
        }
#endif
        const unsigned char f = fold[static_cast<unsigned char>(unit[i++])];
        if (f == 0) {
            gap = true;
            continue;
        }
        if (gap && out != begin) *out++ = ' ';
        gap = false;
        *out++ = static_cast<char>(f);
    }
    key.resize(static_cast<std::size_t>(out - begin));
    return key;
}

bool is_known_boilerplate(std::string_view unit) { return known_key(unit, boilerplate_key(unit)); }

BoilerplateLearner::BoilerplateLearner(BoilerplateOptions opts) : opts_(opts) {}

void BoilerplateLearner::add(const Article& a) {
    const std::uint64_t seed = source_seed(a.source);
    const std::uint64_t body = hash64(a.body, seed);
    if (bodies_.count(body)) return;  // a repeat: not cut again
    add(digest(a, seed, body));
}

BoilerplateLearner::Digest BoilerplateLearner::digest(const Article& a) const {
    const std::uint64_t seed = source_seed(a.source);
    return digest(a, seed, hash64(a.body, seed));
}

BoilerplateLearner::Digest BoilerplateLearner::digest(const Article& a, std::uint64_t seed, std::uint64_t body) const {
    Digest d{a.source, body, {}};
    std::unordered_set<std::uint64_t> here;  // units of this article, each counted once
    auto count_unit = [&](std::string_view unit) {
        if (count_words(unit) < opts_.min_words) return;
        const std::uint64_t h = unit_hash(seed, boilerplate_key(unit));
        if (here.insert(h).second) d.units.push_back(h);
    };
    const auto paras = paragraphs(a.body);
    for (std::size_t i = 0; i < paras.size(); ++i) {
        count_unit(cut(a.body, paras[i]));
        if (i != 0 && i + 1 != paras.size()) continue;  // no edge sentence
        const auto sents = sentences_in(a.body, paras[i]);
        for (std::size_t j = 0; j < sents.size(); ++j) {
            std::string_view s = cut(a.body, sents[j]);
            if (is_edge(paras.size(), i, sents.size(), j) && count_words(s) <= opts_.edge_sentence_words) count_unit(s);
        }
    }
    return d;
}

void BoilerplateLearner::add(const Digest& d) {
    if (bodies_.count(d.body)) return;
    if (bodies_.size() < opts_.max_keys) bodies_.insert(d.body);
    ++articles_;
    auto [src, fresh] = source_index_.try_emplace(d.source, static_cast<std::uint32_t>(sources_.size()));
    if (fresh) sources_.emplace_back(d.source, 0);
    ++sources_[src->second].second;
    const std::uint32_t source = src->second;
    for (const std::uint64_t h : d.units) {
        auto it = counts_.find(h);
        if (it != counts_.end()) ++it->second.articles;
        else if (counts_.size() < opts_.max_keys) counts_.emplace(h, Count{1, source});
    }
}

std::uint64_t BoilerplateLearner::articles(std::string_view source) const {
    auto it = source_index_.find(std::string(source));
    return it == source_index_.end() ? 0 : sources_[it->second].second;
}

std::uint32_t BoilerplateLearner::count(std::string_view source, std::string_view unit) const {
    auto it = counts_.find(unit_hash(source_seed(source), boilerplate_key(unit)));
    return it == counts_.end() ? 0 : it->second.articles;
}

std::uint64_t BoilerplateLearner::threshold(std::string_view source) const {
    const double by_fraction = opts_.fraction * static_cast<double>(articles(source));
    const auto t = static_cast<std::uint64_t>(by_fraction + 0.999999);
    return std::max<std::uint64_t>(opts_.min_articles, t);
}

BoilerplateFilter::BoilerplateFilter(const BoilerplateLearner& learned) : opts_(learned.opts_) {
    std::vector<std::uint64_t> thresholds;
    for (const auto& [name, n] : learned.sources_) {
        (void)n;
        thresholds.push_back(learned.threshold(name));
    }
    for (const auto& [h, c] : learned.counts_)
        if (c.articles >= thresholds[c.source]) learned_.insert(h);
}

bool BoilerplateFilter::learned(std::uint64_t seed, std::string_view unit) const {
    return learned_key(seed, unit, boilerplate_key(unit));
}

bool BoilerplateFilter::learned_key(std::uint64_t seed, std::string_view unit, const std::string& key) const {
    if (learned_.empty() || count_words(unit) < opts_.min_words) return false;
    return learned_.count(unit_hash(seed, key)) > 0;
}

std::vector<std::string> BoilerplateFilter::clean(Article& a) const {
    std::vector<std::string> removed;
    const std::string_view body(a.body);
    const std::uint64_t seed = source_seed(a.source);
    const auto paras = paragraphs(body);
    std::string out;
    out.reserve(body.size());
    for (std::size_t i = 0; i < paras.size(); ++i) {
        const std::string_view para = cut(body, paras[i]);
        // Each unit folded once, for both checks (a few per cent of indexing).
        const std::string para_key = boilerplate_key(para);
        if (known_key(para, para_key) || learned_key(seed, para, para_key)) {
            removed.emplace_back(para);
            continue;
        }
        // Its sentences are cut only where one could go: an edge sentence
        // the learner counted, or one that may be on the built-in list.
        const bool edge = !learned_.empty() && (i == 0 || i + 1 == paras.size());
        if (!edge && !may_hold_known(para, para_key)) {
            if (!out.empty()) out += "\n\n";
            out.append(para);
            continue;
        }
        const auto sents = sentences_in(body, paras[i]);
        std::string kept;
        bool dropped = false;
        for (std::size_t j = 0; j < sents.size(); ++j) {
            const std::string_view s = cut(body, sents[j]);
            // A sentence that is the whole paragraph has the paragraph's key.
            const bool whole = sents[j].begin == paras[i].begin && sents[j].end == paras[i].end;
            const std::string own_key = whole ? std::string() : boilerplate_key(s);
            const std::string& s_key = whole ? para_key : own_key;
            if (known_key(s, s_key) || (is_edge(paras.size(), i, sents.size(), j) &&
                                        count_words(s) <= opts_.edge_sentence_words && learned_key(seed, s, s_key))) {
                removed.emplace_back(s);
                dropped = true;
                continue;
            }
            if (!kept.empty()) kept += ' ';
            kept.append(s);
        }
        if (dropped && kept.empty()) continue;
        if (!out.empty()) out += "\n\n";
        out.append(dropped ? std::string_view(kept) : para);
    }
    if (!removed.empty()) a.body = std::move(out);
    return removed;
}

void RemovalTally::add(const std::string& text) {
    ++total_;
    auto [it, fresh] = by_key_.try_emplace(boilerplate_key(text), text, 0);
    (void)fresh;
    ++it->second.second;
}

std::vector<std::pair<std::string, std::uint64_t>> RemovalTally::top(std::size_t n) const {
    std::vector<std::pair<std::string, std::uint64_t>> all;
    all.reserve(by_key_.size());
    for (const auto& [key, v] : by_key_) all.push_back(v);
    std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
        return x.second != y.second ? x.second > y.second : x.first < y.first;
    });
    if (all.size() > n) all.resize(n);
    return all;
}

}  // namespace trawl::corpus
