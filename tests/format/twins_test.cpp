#include "indexer/format/twins.hpp"

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "indexer/format/schema.hpp"

using namespace trawl::format;

namespace {

Twin sample() {
    Twin t;
    t.original_term = "XH0123456789abcdef";
    t.article.id = "y";
    t.article.title = "Zebra sighting";
    t.article.body = std::string("zebra quagga okapi\n\nsecond paragraph \0 with a nul", 48);
    t.article.date = "2026-12-02";
    t.article.source = "Harbourside Gazette";
    t.article.location = "feed.jsonl:2";
    return t;
}

void expect_same(const Twin& a, const Twin& b) {
    EXPECT_EQ(a.original_term, b.original_term);
    EXPECT_EQ(a.article.id, b.article.id);
    EXPECT_EQ(a.article.title, b.article.title);
    EXPECT_EQ(a.article.body, b.article.body);
    EXPECT_EQ(a.article.date, b.article.date);
    EXPECT_EQ(a.article.source, b.article.source);
    EXPECT_EQ(a.article.location, b.article.location);
}

}  // namespace

TEST(Twins, RoundTrip) {
    PassageCodec plain;
    const auto t = sample();
    const auto bytes = encode_twin(t, plain);
    EXPECT_EQ(static_cast<unsigned char>(bytes[0]), kTwinMagic);
    EXPECT_EQ(static_cast<unsigned char>(bytes[1]), kTwinVersion);
    expect_same(decode_twin(bytes, plain), t);
    Twin empty;
    empty.article.id = "z";
    expect_same(decode_twin(encode_twin(empty, plain), plain), empty);
}

TEST(Twins, KeyNamesTheArticle) {
    EXPECT_EQ(twin_key("a/b c"), "trawl.twin:a/b c");
    EXPECT_EQ(twin_id(twin_key("a/b c")), "a/b c");
    EXPECT_EQ(twin_id("trawl.deleted"), "");
    // The longest id's key fits glass's keys (255 bytes, the metadata prefix of 2 included).
    EXPECT_LE(2 + twin_key(std::string(kMaxArticleIdBytes, 'x')).size(), 255u);
}

TEST(Twins, RejectsBadMagicNewerVersionTruncationAndTrailingBytes) {
    PassageCodec plain;
    const auto bytes = encode_twin(sample(), plain);
    EXPECT_THROW(decode_twin("", plain), trawl::IndexFormatError);
    EXPECT_THROW(decode_twin("plain text", plain), trawl::IndexFormatError);
    auto newer = bytes;
    newer[1] = static_cast<char>(kTwinVersion + 1);
    EXPECT_THROW(decode_twin(newer, plain), trawl::IndexFormatError);
    for (std::size_t n = 0; n < bytes.size(); ++n)
        EXPECT_THROW(decode_twin(bytes.substr(0, n), plain), trawl::IndexFormatError) << n;
    EXPECT_THROW(decode_twin(bytes + "x", plain), trawl::IndexFormatError);
}
