// Greedy sentence windows with sentence-rounded overlap; over-long sentences
// are cut into word chunks. See passage_splitter.hpp.
#include "corpus/text/passage_splitter.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>

#include "corpus/base/ascii.hpp"
#include "corpus/base/error.hpp"
#include "corpus/text/sentence_splitter.hpp"

namespace trawl::corpus {
namespace {

// Byte spans of the words of body[span): maximal runs of non-space bytes.
std::vector<Span> words_of(std::string_view body, Span span) {
    std::vector<Span> words;
    std::uint32_t i = span.begin;
    while (i < span.end) {
        while (i < span.end && is_ascii_space(body[i])) ++i;
        if (i == span.end) break;
        const std::uint32_t b = i;
        while (i < span.end && !is_ascii_space(body[i])) ++i;
        words.push_back({b, i});
    }
    return words;
}

class Builder {
public:
    explicit Builder(std::string_view body) : body_(body) {}
    void add(std::uint32_t begin, std::uint32_t end) {
        Passage p;
        p.ordinal = static_cast<PassageOrdinal>(out_.size());
        p.begin = begin;
        p.end = end;
        p.text = std::string(body_.substr(begin, end - begin));
        out_.push_back(std::move(p));
    }
    std::vector<Passage> take() { return std::move(out_); }

private:
    std::string_view body_;
    std::vector<Passage> out_;
};

}  // namespace

PassageSplitter::PassageSplitter(SplitOptions opts) : opts_(opts) {
    if (opts_.words > 0 && opts_.overlap >= opts_.words) {
        throw UsageError("passage overlap (" + std::to_string(opts_.overlap) +
                         " words) must be smaller than the passage length (" + std::to_string(opts_.words) + " words)");
    }
}

std::vector<Passage> PassageSplitter::split(std::string_view body) const {
    if (body.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw Error("article body of " + std::to_string(body.size()) + " bytes is too large to split (limit 4 GiB)");
    }
    Builder out(body);
    const std::vector<Span> sentences = split_sentences(body);
    if (sentences.empty()) return out.take();
    if (opts_.words == 0) {
        out.add(sentences.front().begin, sentences.back().end);
        return out.take();
    }

    const std::uint32_t limit = opts_.words;
    const std::uint32_t overlap = opts_.overlap;
    const std::size_t n = sentences.size();
    std::vector<std::uint32_t> wc(n);
    for (std::size_t k = 0; k < n; ++k) {
        const Span s = sentences[k];
        wc[k] = count_words(body.substr(s.begin, s.end - s.begin));
    }

    // The previous passage as a sentence range [prev_a, prev_b); empty after a
    // chunked sentence, whose pieces are not whole sentences to repeat.
    std::size_t prev_a = 0;
    std::size_t prev_b = 0;
    std::size_t next = 0;  // first sentence not yet in any passage
    while (next < n) {
        if (wc[next] > limit) {
            // One sentence longer than a passage: chunks of `limit` words that
            // advance by limit - overlap words (>= 1), the last one ending on
            // the sentence's last word.
            const std::vector<Span> words = words_of(body, sentences[next]);
            const std::size_t stride = limit - overlap;
            for (std::size_t w = 0;; w += stride) {
                const std::size_t last = std::min(w + limit, words.size());
                out.add(words[w].begin, words[last - 1].end);
                if (last == words.size()) break;
            }
            ++next;
            prev_a = prev_b = next;
            continue;
        }
        // Overlap: the longest suffix of the previous passage of at most
        // `overlap` words, never all of it, shrunk from its front until the
        // first new sentence fits beside it.
        std::size_t a = next;
        std::uint32_t total = 0;
        if (prev_b == next) {
            while (a > prev_a + 1 && total + wc[a - 1] <= overlap) total += wc[--a];
        }
        while (a < next && total + wc[next] > limit) total -= wc[a++];
        // Then as many new sentences as fit (at least one).
        std::size_t b = next;
        while (b < n && total + wc[b] <= limit) total += wc[b++];
        out.add(sentences[a].begin, sentences[b - 1].end);
        prev_a = a;
        prev_b = b;
        next = b;
    }
    return out.take();
}

std::vector<Passage> PassageSplitter::split(const Article& a) const {
    auto passages = split(a.body);
    const bool blank_title = std::all_of(a.title.begin(), a.title.end(), [](char c) { return is_ascii_space(c); });
    if (passages.empty() && !blank_title) passages.emplace_back();  // ordinal 0, span 0..0, no text
    return passages;
}

}  // namespace trawl::corpus
