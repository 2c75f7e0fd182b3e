// Site boilerplate (comment-form prompts, share/subscribe lines, repeated
// bylines, copyright footers): learned from the corpus itself — a paragraph, or
// a short sentence at the start or end of a body, that recurs in many articles
// of one source — plus a small built-in list of well-known web prompts, and
// dropped from article bodies before splitting. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "corpus/base/article.hpp"

namespace trawl::corpus {

// The form two units must share to count as the same: ASCII letters lower-cased,
// every run of ASCII punctuation and whitespace one space, trimmed. Non-ASCII
// bytes (©, curly quotes, accents) are kept. Digits are kept: earnings lines that
// differ only by their figures are not the same line.
std::string boilerplate_key(std::string_view unit);

// The built-in list: true when `unit` (a whole paragraph or sentence) is a
// well-known piece of web boilerplate — a comment-form prompt ("Please enter
// your comment!"), a share/subscribe prompt, or a short copyright line
// ("© 2021 Foo Ltd. All rights reserved."). Whole-unit matches only.
bool is_known_boilerplate(std::string_view unit);

struct BoilerplateOptions {
    // A unit is boilerplate when it occurs in at least
    // max(min_articles, fraction × articles of its source) distinct articles.
    std::uint32_t min_articles = 5;
    double fraction = 0.01;
    // Units of fewer words are never learned (table labels such as "Year" or
    // "Shr" recur in thousands of Reuters earnings reports and are not boilerplate).
    std::uint32_t min_words = 3;
    // Edge sentences (first of the body, last two of the body) are candidates
    // only when they have at most this many words.
    std::uint32_t edge_sentence_words = 20;
    // Memory bound: distinct units (and article texts) remembered by the learner.
    // Once full, units not seen yet are no longer counted.
    std::size_t max_keys = std::size_t{1} << 21;
};

// Counts, per source (the empty source when the corpus names none), in how many
// distinct articles each unit occurs. Exact repeats of an article already
// counted (same source and body) are ignored, so duplicated articles do not make
// their own paragraphs look like boilerplate.
class BoilerplateLearner {
public:
    // What add() counts of an article: its source, the hash of its body, and
    // the hashes of its units, each once, in the order they first occur.
    struct Digest {
        std::string source;
        std::uint64_t body = 0;
        std::vector<std::uint64_t> units;
    };

    explicit BoilerplateLearner(BoilerplateOptions opts = {});
    void add(const Article& a);
    // add() in two steps: digest() is the costly part (cutting and folding
    // the text) and reads only the options, so several threads may digest
    // articles while one adds the digests, in the order the articles come:
    // the same counts as add() on each article in that order.
    Digest digest(const Article& a) const;
    void add(const Digest& d);
    // Distinct articles counted, in total and for one source.
    std::uint64_t articles() const { return articles_; }
    std::uint64_t articles(std::string_view source) const;
    // Distinct articles of `source` holding `unit` (0 if never counted).
    std::uint32_t count(std::string_view source, std::string_view unit) const;
    const BoilerplateOptions& options() const { return opts_; }
    // The article count at or above which a unit of `source` is boilerplate.
    std::uint64_t threshold(std::string_view source) const;

private:
    friend class BoilerplateFilter;
    // digest() with the article's source seed and body hash already computed.
    Digest digest(const Article& a, std::uint64_t seed, std::uint64_t body) const;
    BoilerplateOptions opts_;
    std::uint64_t articles_ = 0;
    struct Count {
        std::uint32_t articles;
        std::uint32_t source;  // index into sources_
    };
    std::unordered_map<std::string, std::uint32_t> source_index_;
    std::vector<std::pair<std::string, std::uint64_t>> sources_;  // name, articles
    std::unordered_map<std::uint64_t, Count> counts_;             // unit hash (source-seeded) -> count
    std::unordered_set<std::uint64_t> bodies_;                    // body hashes already counted
};

// Drops boilerplate from article bodies: whole paragraphs that are boilerplate,
// and sentences that are (built-in list: any sentence; learned: the edge
// sentences the learner counted).
class BoilerplateFilter {
public:
    BoilerplateFilter() = default;  // the built-in list only
    explicit BoilerplateFilter(const BoilerplateLearner& learned);
    // Rewrites a.body without its boilerplate (paragraphs still "\n\n"-separated)
    // and returns the removed units' text, in body order.
    std::vector<std::string> clean(Article& a) const;
    // Learned units (over all sources).
    std::size_t learned_units() const { return learned_.size(); }

private:
    bool learned(std::uint64_t source_seed, std::string_view unit) const;
    // learned() of `unit`, whose boilerplate_key() is `key`.
    bool learned_key(std::uint64_t source_seed, std::string_view unit, const std::string& key) const;
    std::unordered_set<std::uint64_t> learned_;
    BoilerplateOptions opts_;
};

// How often each removed unit was removed, for the summary (bounded by the number
// of distinct boilerplate units, which the learner bounds).
class RemovalTally {
public:
    void add(const std::string& text);
    std::uint64_t total() const { return total_; }
    // The `n` most removed units (text as first seen, count), most frequent first.
    std::vector<std::pair<std::string, std::uint64_t>> top(std::size_t n) const;

private:
    std::uint64_t total_ = 0;
    std::unordered_map<std::string, std::pair<std::string, std::uint64_t>> by_key_;
};

}  // namespace trawl::corpus
