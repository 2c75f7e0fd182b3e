// Micro-benchmark: throughput (MB/s of article body) of sentence splitting and
// passage splitting, the per-article cost that indexing pays on every corpus.
//
// Corpus model: 1 MiB of synthetic English wire-style text built from a seeded
// std::mt19937 (fixed seed, so every run measures the same bytes): sentences of
// 5-40 words drawn from a news vocabulary with abbreviations (Mr., U.S., Jan.),
// decimals (3.5), curly quotes and accented words; about one paragraph break
// ("\n\n") per four sentences and one 150-word run-on sentence per 200. It is
// split two ways: as one 1 MiB body, and as ~4 KiB articles (a typical news
// story), which adds the per-article fixed cost.
//
// How to run:
//   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRAWL_BUILD_BENCHMARKS=ON
//   cmake --build build --target bm_passage_splitter
//   ./build/bench/bm_passage_splitter --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (optionally --benchmark_format=json)
// "bytes_per_second" is the figure to compare; Google Benchmark warms up and
// picks the iteration count itself. Not part of ctest.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "corpus/text/passage_splitter.hpp"
#include "corpus/text/sentence_splitter.hpp"

namespace {

using trawl::corpus::PassageSplitter;

constexpr std::size_t kCorpusBytes = 1 << 20;
constexpr std::size_t kArticleBytes = 4 << 10;

std::string synthetic_text(std::size_t bytes) {
    static const std::vector<std::string> starts = {"The",      "Officials", "Mr.",     "Analysts", "In",
                                                    "\u201cWe", "Dr.",       "Markets", "42",       "\u00c9lise"};
    static const std::vector<std::string> words = {"central",
                                                   "bank",
                                                   "interest",
                                                   "rates",
                                                   "said",
                                                   "on",
                                                   "Tuesday",
                                                   "the",
                                                   "U.S.",
                                                   "Jan.",
                                                   "3.5",
                                                   "per",
                                                   "cent",
                                                   "caf\u00e9",
                                                   "growth",
                                                   "of",
                                                   "a",
                                                   "government",
                                                   "\u201cstrong\u201d",
                                                   "minister",
                                                   "and",
                                                   "1,000",
                                                   "inflation",
                                                   "storm",
                                                   "season",
                                                   "team",
                                                   "won",
                                                   "in",
                                                   "e.g.",
                                                   "its"};
    static const std::vector<std::string> ends = {".", ".", ".", "?", "!", ".\u201d", "\u2026"};
    std::mt19937 rng(42);
    std::string text;
    text.reserve(bytes + 2048);
    int sentence = 0;
    while (text.size() < bytes) {
        if (!text.empty()) text += rng() % 4 == 0 ? "\n\n" : " ";
        const int len = ++sentence % 200 == 0 ? 150 : 5 + static_cast<int>(rng() % 36);
        text += starts[rng() % starts.size()];
        for (int w = 1; w < len; ++w) (text += ' ') += words[rng() % words.size()];
        text += ends[rng() % ends.size()];
    }
    text.resize(bytes);
    return text;
}

// ~4 KiB articles cut from the text at paragraph breaks.
std::vector<std::string_view> articles_of(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        std::size_t cut = text.find("\n\n", std::min(kArticleBytes, text.size()));
        if (cut == std::string_view::npos) cut = text.size();
        out.push_back(text.substr(0, cut));
        text.remove_prefix(std::min(text.size(), cut + 2));
    }
    return out;
}

const std::string& corpus() {
    static const std::string text = synthetic_text(kCorpusBytes);
    return text;
}

void BM_SplitSentences(benchmark::State& state) {
    const std::string& text = corpus();
    for (auto _ : state) {
        auto spans = trawl::corpus::split_sentences(text);
        benchmark::DoNotOptimize(spans.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SplitSentences);

// One 1 MiB body; args: passage words, overlap words.
void BM_PassageSplit(benchmark::State& state) {
    const std::string& text = corpus();
    const PassageSplitter splitter(
        {.words = static_cast<std::uint32_t>(state.range(0)), .overlap = static_cast<std::uint32_t>(state.range(1))});
    std::size_t passages = 0;
    for (auto _ : state) {
        auto ps = splitter.split(text);
        passages = ps.size();
        benchmark::DoNotOptimize(ps.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["passages"] = static_cast<double>(passages);
}
BENCHMARK(BM_PassageSplit)->Args({100, 20})->Args({100, 0})->Args({250, 50});

// The same bytes as ~256 articles of ~4 KiB, default options (100/20).
void BM_PassageSplitArticles(benchmark::State& state) {
    const std::vector<std::string_view> articles = articles_of(corpus());
    const PassageSplitter splitter;
    for (auto _ : state) {
        for (const std::string_view body : articles) {
            auto ps = splitter.split(body);
            benchmark::DoNotOptimize(ps.data());
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus().size()));
    state.counters["articles"] = static_cast<double>(articles.size());
}
BENCHMARK(BM_PassageSplitArticles);

}  // namespace

BENCHMARK_MAIN();
