// PassageSplitter: exact passages for small examples (windows, overlap, cut
// sentences, words=0) and the splitter's invariants over random articles.
#include "corpus/text/passage_splitter.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/ascii.hpp"
#include "corpus/base/error.hpp"
#include "corpus/text/sentence_splitter.hpp"

namespace trawl::corpus {
namespace {

using Strings = std::vector<std::string>;

Strings texts(const std::vector<Passage>& passages) {
    Strings out;
    for (const Passage& p : passages) out.push_back(p.text);
    return out;
}

std::vector<Passage> split(std::string_view body, std::uint32_t words, std::uint32_t overlap) {
    return PassageSplitter({.words = words, .overlap = overlap}).split(body);
}

// "w0 w1 ... w<n-1>" (no terminator: one sentence).
std::string numbered_words(int n) {
    std::string s;
    for (int k = 0; k < n; ++k) s += (k ? " w" : "w") + std::to_string(k);
    return s;
}

// Checks the invariants that hold for every split; returns the failure or "".
std::string check_invariants(std::string_view body, const SplitOptions& opts, const std::vector<Passage>& passages) {
    const std::vector<Span> sentences = split_sentences(body);
    if (sentences.empty() != passages.empty()) return "passages iff non-blank body";
    for (std::size_t k = 0; k < passages.size(); ++k) {
        const Passage& p = passages[k];
        const std::string at = "passage " + std::to_string(k) + ": ";
        if (p.ordinal != k) return at + "ordinal";
        if (p.begin >= p.end || p.end > body.size()) return at + "empty or out of range";
        if (p.text != body.substr(p.begin, p.end - p.begin)) return at + "text != body span";
        if (trawl::is_ascii_space(body[p.begin]) || trawl::is_ascii_space(body[p.end - 1])) return at + "not trimmed";
        if (opts.words > 0 && count_words(p.text) > opts.words) return at + "too many words";
        if (k == 0) continue;
        const Passage& q = passages[k - 1];
        if (p.begin <= q.begin || p.end <= q.end) return at + "spans do not strictly increase";
        if (p.begin < q.end) {
            const auto shared = count_words(body.substr(p.begin, q.end - p.begin));
            if (shared > opts.overlap) return at + "overlaps previous by " + std::to_string(shared);
        }
    }
    for (const Span s : sentences) {
        const bool inside = std::any_of(passages.begin(), passages.end(),
                                        [&](const Passage& p) { return p.begin <= s.begin && s.end <= p.end; });
        // A sentence longer than a passage is covered by its pieces instead.
        const bool over_long = opts.words > 0 && count_words(body.substr(s.begin, s.end - s.begin)) > opts.words;
        if (!inside && !over_long) return "sentence at " + std::to_string(s.begin) + " in no passage";
    }
    // Every word lies in some passage.
    std::vector<bool> covered(body.size(), false);
    for (const Passage& p : passages) std::fill(covered.begin() + p.begin, covered.begin() + p.end, true);
    for (std::size_t b = 0; b < body.size(); ++b) {
        if (!trawl::is_ascii_space(body[b]) && !covered[b]) return "byte " + std::to_string(b) + " in no passage";
    }
    return "";
}

TEST(PassageSplitter, EmptyAndBlankBodiesGiveNoPassages) {
    EXPECT_TRUE(split("", 100, 20).empty());
    EXPECT_TRUE(split(" \n\n\t \r\n ", 100, 20).empty());
    EXPECT_TRUE(split("", 0, 0).empty());
    EXPECT_TRUE(split("   ", 0, 0).empty());
}

// An article: its body's passages; a title without text is one empty passage
// (ordinal 0, span 0..0) that carries the title; neither gives none.
TEST(PassageSplitter, ATitleOnlyArticleIsOneEmptyPassage) {
    Article a;
    a.id = "76";
    a.title = "U.S. COMMERCIAL PAPER FALLS";
    for (const std::uint32_t words : {100u, 0u}) {
        const PassageSplitter splitter({.words = words, .overlap = 0});
        for (const char* body : {"", " \n\n\t "}) {
            a.body = body;
            const auto passages = splitter.split(a);
            ASSERT_EQ(passages.size(), 1u) << words;
            EXPECT_EQ(passages[0].ordinal, 0u);
            EXPECT_EQ(passages[0].begin, 0u);
            EXPECT_EQ(passages[0].end, 0u);
            EXPECT_EQ(passages[0].text, "");
        }
        a.body = "Rates fell. Dealers said so.";
        EXPECT_EQ(texts(splitter.split(a)), Strings{"Rates fell. Dealers said so."}) << "the body, not the title";
    }
    Article none;
    none.id = "77";
    EXPECT_TRUE(PassageSplitter().split(none).empty());
    none.title = " \t ";
    EXPECT_TRUE(PassageSplitter().split(none).empty()) << "a blank title is no title";
}

TEST(PassageSplitter, RejectsOverlapNotSmallerThanLength) {
    EXPECT_THROW(PassageSplitter({.words = 10, .overlap = 10}), UsageError);
    EXPECT_THROW(PassageSplitter({.words = 3, .overlap = 5}), UsageError);
    try {
        PassageSplitter({.words = 10, .overlap = 12});
        FAIL() << "no exception";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "passage overlap (12 words) must be smaller than the passage length (10 words)");
    }
    EXPECT_NO_THROW(PassageSplitter({.words = 0, .overlap = 20}));
    EXPECT_NO_THROW(PassageSplitter({.words = 10, .overlap = 9}));
}

TEST(PassageSplitter, DefaultsAreHundredAndTwenty) {
    const PassageSplitter s;
    EXPECT_EQ(s.options().words, 100u);
    EXPECT_EQ(s.options().overlap, 20u);
}

TEST(PassageSplitter, WordsZeroIsWholeTrimmedBody) {
    const std::string body = "  \n Title para.\n\nSecond para.  \n";
    const auto ps = split(body, 0, 0);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].ordinal, 0u);
    EXPECT_EQ(ps[0].begin, 4u);
    EXPECT_EQ(ps[0].end, 29u);
    EXPECT_EQ(ps[0].text, "Title para.\n\nSecond para.");
}

TEST(PassageSplitter, ShortBodyIsOnePassage) {
    const auto ps = split("One sentence. Two sentences.", 100, 20);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].text, "One sentence. Two sentences.");
    EXPECT_EQ(ps[0].begin, 0u);
    EXPECT_EQ(ps[0].end, 28u);
}

TEST(PassageSplitter, GreedyWindowsWithoutOverlap) {
    // Sentences of 3, 2, 3, 4, 1 words; windows of at most 6 words.
    const std::string body = "A b c. D e. F g h. I j k l. M.";
    EXPECT_EQ(texts(split(body, 6, 0)), (Strings{"A b c. D e.", "F g h.", "I j k l. M."}));
}

TEST(PassageSplitter, OverlapRepeatsTrailingSentences) {
    const std::string body = "A b c. D e. F g h. I j k l. M.";
    const auto ps = split(body, 6, 3);
    // P1 repeats "D e." (2 <= 3 words). P2 would repeat "F g h." (3 words) but
    // then "I j k l." (4) would not fit in 6, so the overlap is dropped.
    EXPECT_EQ(texts(ps), (Strings{"A b c. D e.", "D e. F g h.", "I j k l. M."}));
    ASSERT_EQ(ps.size(), 3u);
    EXPECT_EQ(ps[1].begin, 7u);
    EXPECT_EQ(ps[1].end, 18u);
    EXPECT_EQ(ps[2].ordinal, 2u);
}

TEST(PassageSplitter, OverlapOfSeveralSentences) {
    const std::string body = "One. Two. Three. Four. Five. Six. Seven. Eight. Nine.";
    EXPECT_EQ(texts(split(body, 5, 2)),
              (Strings{"One. Two. Three. Four. Five.", "Four. Five. Six. Seven. Eight.", "Seven. Eight. Nine."}));
    // Overlap rounds down to whole sentences: with 3 words allowed "Cc dd. Ee."
    // is repeated, with 2 only "Ee." is.
    EXPECT_EQ(texts(split("Aa bb. Cc dd. Ee. Ff gg hh.", 6, 3)),
              (Strings{"Aa bb. Cc dd. Ee.", "Cc dd. Ee. Ff gg hh."}));
    EXPECT_EQ(texts(split("Aa bb. Cc dd. Ee. Ff gg hh.", 6, 2)), (Strings{"Aa bb. Cc dd. Ee.", "Ee. Ff gg hh."}));
    // The overlap shrinks from its front when the next sentence would not fit.
    EXPECT_EQ(texts(split("Aa bb. Cc dd. Ee. Ff gg hh.", 5, 3)), (Strings{"Aa bb. Cc dd. Ee.", "Ee. Ff gg hh."}));
}

TEST(PassageSplitter, OverlapNeverRepeatsWholePassage) {
    // Each passage is one sentence; repeating it whole would not advance.
    EXPECT_EQ(texts(split("Aa bb cc. Dd ee ff. Gg hh ii.", 4, 3)), (Strings{"Aa bb cc.", "Dd ee ff.", "Gg hh ii."}));
}

TEST(PassageSplitter, HugeSentenceIsCutIntoChunks) {
    const std::string body = numbered_words(1000);
    const SplitOptions opts{.words = 100, .overlap = 20};
    const auto ps = PassageSplitter(opts).split(body);
    // Chunks start every 80 words: 0, 80, ..., 960 (the first to reach the end).
    ASSERT_EQ(ps.size(), 13u);
    for (std::size_t k = 0; k < ps.size(); ++k) {
        EXPECT_LE(count_words(ps[k].text), 100u);
        EXPECT_TRUE(ps[k].text.starts_with("w" + std::to_string(80 * k) + " ")) << ps[k].text;
    }
    EXPECT_TRUE(ps[0].text.ends_with(" w99"));
    EXPECT_TRUE(ps[1].text.ends_with(" w179"));
    EXPECT_TRUE(ps.back().text.ends_with(" w999"));
    EXPECT_EQ(count_words(ps.back().text), 40u);  // w960..w999
    EXPECT_EQ(check_invariants(body, opts, ps), "");
}

TEST(PassageSplitter, HugeSentenceWithoutOverlap) {
    const std::string body = numbered_words(25);
    EXPECT_EQ(texts(split(body, 10, 0)), (Strings{"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9",
                                                  "w10 w11 w12 w13 w14 w15 w16 w17 w18 w19", "w20 w21 w22 w23 w24"}));
    EXPECT_EQ(texts(split(body, 10, 9)).size(), 16u);  // starts 0..15, the last ends at w24
}

TEST(PassageSplitter, LongSentenceAmongShortOnes) {
    const std::string body = "Short one. Then " + numbered_words(6) + ". Next here. Last.";
    // words=4: "Short one." | pieces of the 7-word sentence (stride 3) | the
    // rest, which repeats nothing of a piece (pieces are not whole sentences).
    EXPECT_EQ(texts(split(body, 4, 1)), (Strings{"Short one.", "Then w0 w1 w2", "w2 w3 w4 w5.", "Next here. Last."}));
}

TEST(PassageSplitter, UnicodeText) {
    const std::string body =
        "Le caf\u00e9 \u201cChez Z\u00f6e\u201d a ferm\u00e9. \u00c9milie \u00e9tait l\u00e0.\n\n"
        "\u201cC\u2019est fini,\u201d dit-elle. Na\u00efve r\u00e9sum\u00e9s \u2014 3.5 \u20ac each.";
    // Sentences of 6, 3, 3 and 6 words (a word is a run of non-space bytes).
    const auto ps = split(body, 9, 3);
    EXPECT_EQ(texts(ps),
              (Strings{"Le caf\u00e9 \u201cChez Z\u00f6e\u201d a ferm\u00e9. \u00c9milie \u00e9tait l\u00e0.",
                       "\u00c9milie \u00e9tait l\u00e0.\n\n\u201cC\u2019est fini,\u201d dit-elle.",
                       "\u201cC\u2019est fini,\u201d dit-elle. Na\u00efve r\u00e9sum\u00e9s \u2014 3.5 \u20ac each."}));
    EXPECT_EQ(check_invariants(body, {.words = 9, .overlap = 3}, ps), "");
}

TEST(PassageSplitter, ParagraphsAreSentenceBoundaries) {
    const std::string body = "Headline without a stop\n\nfirst paragraph has no capital\n\nSecond.";
    EXPECT_EQ(texts(split(body, 5, 0)),
              (Strings{"Headline without a stop", "first paragraph has no capital", "Second."}));
}

// ---- Properties over random articles -------------------------------------

std::string random_article(std::mt19937& rng, std::vector<std::string>* sentences_out = nullptr) {
    static const std::vector<std::string> words = {
        "the",    "bank",    "rates", "Mr.",  "3.5",  "U.S.",    "caf\u00e9", "\u201cquoted\u201d",
        "growth", "(aside)", "per",   "cent", "e.g.", "markets", "Jan.",      "\u00e9t\u00e9",
        "x",      "1,000"};
    static const std::vector<std::string> starts = {"The",      "Markets",    "Officials", "\u201cWe",
                                                    "Analysts", "\u00c9lise", "42"};
    static const std::vector<std::string> ends = {".", "!", "?", ".\u201d", ".)", "\u2026"};
    std::string body;
    const int n = static_cast<int>(rng() % 40);  // 0..39 sentences; 0 = empty article
    for (int s = 0; s < n; ++s) {
        if (!body.empty()) body += rng() % 5 == 0 ? "\n\n" : " ";
        // Mostly 1-30 words, sometimes a run-on sentence of up to 300.
        const int len = rng() % 15 == 0 ? 50 + static_cast<int>(rng() % 250) : 1 + static_cast<int>(rng() % 30);
        std::string sentence = starts[rng() % starts.size()];
        for (int w = 1; w < len; ++w) sentence += " " + words[rng() % words.size()];
        sentence += ends[rng() % ends.size()];
        if (sentences_out) sentences_out->push_back(sentence);
        body += sentence;
    }
    if (rng() % 4 == 0) body += "  \n";
    return body;
}

TEST(PassageSplitter, PropertyInvariantsOverRandomArticles) {
    std::mt19937 rng(0x7a41);
    const std::vector<SplitOptions> configs = {{100, 20}, {50, 0}, {30, 29}, {10, 3}, {1, 0}, {0, 0}, {64, 16}};
    for (int article = 0; article < 200; ++article) {
        const std::string body = random_article(rng);
        for (const SplitOptions& opts : configs) {
            const auto ps = PassageSplitter(opts).split(body);
            ASSERT_EQ(check_invariants(body, opts, ps), "")
                << "article " << article << " words=" << opts.words << " overlap=" << opts.overlap << "\n"
                << body;
        }
    }
}

TEST(PassageSplitter, PropertyWindowsHoldWholeSentences) {
    // Passages that are not pieces of an over-long sentence begin at a sentence
    // start and end at a sentence end.
    std::mt19937 rng(99);
    for (int article = 0; article < 200; ++article) {
        const std::string body = random_article(rng);
        const auto sentences = split_sentences(body);
        const SplitOptions opts{.words = 60, .overlap = 15};
        for (const Passage& p : PassageSplitter(opts).split(body)) {
            const auto starts =
                std::find_if(sentences.begin(), sentences.end(), [&](const Span& s) { return s.begin == p.begin; });
            const auto ends =
                std::find_if(sentences.begin(), sentences.end(), [&](const Span& s) { return s.end == p.end; });
            const auto holder = std::find_if(sentences.begin(), sentences.end(), [&](const Span& s) {
                return s.begin <= p.begin && p.end <= s.end &&
                       count_words(body.substr(s.begin, s.end - s.begin)) > opts.words;
            });
            const bool whole = starts != sentences.end() && ends != sentences.end();
            ASSERT_TRUE(whole || holder != sentences.end()) << "article " << article << ": " << p.text;
        }
    }
}

}  // namespace
}  // namespace trawl::corpus
