#include "indexer/format/passage_codec.hpp"

#include <random>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"

using namespace trawl::format;

namespace {

// Short news-like passages sharing vocabulary, as a real corpus does.
std::vector<std::string> synthetic_passages(std::size_t n, unsigned seed) {
    const std::vector<std::string> words = {
        "the",       "government", "said",    "on",      "Tuesday",  "that",    "prices",   "of",
        "crude",     "oil",        "rose",    "sharply", "in",       "trading", "analysts", "expected",
        "further",   "gains",      "Reuters", "bank",    "interest", "rates",   "would",    "remain",
        "unchanged", "for",        "the",     "rest",    "of",       "year",    "."};
    std::mt19937 rng(seed);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string s = "Company " + std::to_string(i % 50) + " reported:";
        auto len = 40 + rng() % 60;
        for (unsigned w = 0; w < len; ++w) s += " " + words[rng() % words.size()];
        out.push_back(s);
    }
    return out;
}

}  // namespace

TEST(PassageCodec, RoundTripWithoutDictionary) {
    PassageCodec codec;
    std::string text = "A short passage about the central bank.";
    auto frame = codec.compress(text);
    EXPECT_EQ(codec.decompress(frame, text.size()), text);
    EXPECT_EQ(codec.decompress(codec.compress(""), 0), "");
}

TEST(PassageCodec, TrainedDictionaryCompressesShortPassagesBetter) {
    auto samples = synthetic_passages(2000, 1);
    auto dict = train_dictionary(samples);
    ASSERT_FALSE(dict.empty());
    PassageCodec plain, with_dict(dict);
    std::size_t raw = 0, plain_bytes = 0, dict_bytes = 0;
    for (const auto& p : synthetic_passages(200, 2)) {  // unseen passages
        raw += p.size();
        plain_bytes += plain.compress(p).size();
        auto frame = with_dict.compress(p);
        dict_bytes += frame.size();
        ASSERT_EQ(with_dict.decompress(frame, p.size()), p);
    }
    EXPECT_LT(dict_bytes * 3, plain_bytes * 2) << "dictionary should save at least a third";
    EXPECT_LT(dict_bytes * 3, raw);
}

TEST(PassageCodec, TooFewSamplesGiveNoDictionary) {
    EXPECT_TRUE(train_dictionary(synthetic_passages(10, 3)).empty());
    EXPECT_TRUE(train_dictionary({}).empty());
}

TEST(PassageCodec, CorruptFramesAndSizeMismatchesAreFormatErrors) {
    PassageCodec codec;
    std::string text(1000, 'x');
    auto frame = codec.compress(text);
    EXPECT_THROW(codec.decompress("not a frame", 5), trawl::IndexFormatError);
    EXPECT_THROW(codec.decompress(frame, text.size() + 1), trawl::IndexFormatError);
    EXPECT_THROW(codec.decompress(frame.substr(0, frame.size() / 2), text.size()), trawl::IndexFormatError);
    EXPECT_THROW(codec.decompress(frame, 1ull << 40), trawl::IndexFormatError);
}

TEST(PassageCodec, FramesNeedTheirDictionary) {
    auto dict = train_dictionary(synthetic_passages(2000, 4));
    ASSERT_FALSE(dict.empty());
    PassageCodec with_dict(dict), plain;
    std::string text = synthetic_passages(1, 5)[0];
    auto frame = with_dict.compress(text);
    EXPECT_THROW(plain.decompress(frame, text.size()), trawl::IndexFormatError);
}

// A searcher only decompresses: digesting the dictionary for compression
// (16% of a one-shot query on Wikipedia) waits for the first compress().
TEST(PassageCodec, TheCompressionDictionaryIsMadeOnlyWhenCompressing) {
    auto dict = train_dictionary(synthetic_passages(2000, 6));
    ASSERT_FALSE(dict.empty());
    PassageCodec writer(dict);
    const std::string text = synthetic_passages(1, 7)[0];
    const auto frame = writer.compress(text);
    EXPECT_TRUE(writer.compresses());

    PassageCodec reader(dict);
    EXPECT_EQ(reader.decompress(frame, text.size()), text);
    EXPECT_FALSE(reader.compresses());
    // Compressing later still gives the writer's frames (same dictionary, level, no dictionary id).
    EXPECT_EQ(reader.compress(text), frame);
    EXPECT_TRUE(reader.compresses());

    PassageCodec plain;
    EXPECT_FALSE(plain.compresses());
    EXPECT_EQ(plain.decompress(plain.compress(text), text.size()), text);

    // A writer prepares it when it opens the index (index_builder.cpp).
    PassageCodec early(dict);
    early.prepare_compression();
    EXPECT_TRUE(early.compresses());
    EXPECT_EQ(early.compress(text), frame);
}

// decompress_into() reuses one buffer passage after passage: a short passage
// after a long one is its own bytes only, and a frame that does not fit its
// claimed size is an error whatever the buffer holds.
TEST(PassageCodec, DecompressIntoAReusedBufferGivesEachPassageExactly) {
    PassageCodec codec;
    const std::string longer(3000, 'a'), shorter = "a short passage";
    const auto long_frame = codec.compress(longer), short_frame = codec.compress(shorter);
    std::string buffer;
    EXPECT_EQ(codec.decompress_into(long_frame, longer.size(), buffer), longer);
    EXPECT_EQ(codec.decompress_into(short_frame, shorter.size(), buffer), shorter);
    EXPECT_GE(buffer.size(), longer.size());  // kept: no allocation for the next
    EXPECT_THROW(codec.decompress_into(long_frame, shorter.size(), buffer), trawl::IndexFormatError);
    EXPECT_THROW(codec.decompress_into(short_frame, shorter.size() + 1, buffer), trawl::IndexFormatError);
    EXPECT_EQ(codec.decompress(short_frame, shorter.size()), shorter);
}
