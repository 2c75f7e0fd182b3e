#include "indexer/format/doc_data.hpp"

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"

using namespace trawl::format;

TEST(DocData, RoundTrip) {
    DocData d{7, 120, 987, 4242, std::string("\x28\xb5\x2f\xfd payload \0 with nul", 24)};
    auto bytes = encode(d);
    EXPECT_EQ(static_cast<unsigned char>(bytes[0]), kDocDataMagic);
    EXPECT_EQ(static_cast<unsigned char>(bytes[1]), kDocDataVersion);
    EXPECT_EQ(decode(bytes), d);
}

TEST(DocData, LargeValuesUseMultiByteVarints) {
    DocData d{4000000000u, 70000, 4000000000u, (1ull << 40) + 5, std::string(200, '\x5a')};
    EXPECT_EQ(decode(encode(d)), d);
}

TEST(DocData, RejectsBadMagicNewerVersionAndTruncation) {
    EXPECT_THROW(decode(""), trawl::IndexFormatError);
    EXPECT_THROW(decode("plain text data"), trawl::IndexFormatError);
    auto bytes = encode(DocData{1, 2, 3, 4, "p"});
    auto newer = bytes;
    newer[1] = static_cast<char>(kDocDataVersion + 1);
    try {
        decode(newer);
        FAIL() << "newer record accepted";
    } catch (const trawl::IndexFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("record v" + std::to_string(kDocDataVersion + 1) + ", this trawl reads v"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(decode(bytes.substr(0, 3)), trawl::IndexFormatError);
    // An ordinal whose varint never ends.
    EXPECT_THROW(decode(std::string("\x54") + char(kDocDataVersion) + std::string(10, '\xff')),
                 trawl::IndexFormatError);
}

TEST(DocData, ThePayloadFollowsTheHeader) {
    // Record v3 (format v9): magic, version, four varints, then the payload
    // to the end; the signature is a value slot of its own (kSlotPairs).
    const DocData d{0, 0, 5, 9, "frame"};
    const auto bytes = encode(d);
    EXPECT_EQ(bytes, std::string("\x54\x03\x00\x00\x05\x09"
                                 "frame",
                                 11));
    EXPECT_EQ(decode_view(bytes).payload, "frame");
}

TEST(DocData, ARecordOfFormatsV7AndV8IsRejected) {
    // Record v2 held the pair signature before the payload: read as v3, the
    // signature would be taken for the start of the zstd frame. The index's
    // stamp refuses such an index first ("re-index"); the record says so too.
    const std::string v2(
        "\x54\x02\x00\x00\x05\x09\x02\xad\x72"
        "frame",
        14);
    try {
        decode(v2);
        FAIL() << "v2 record accepted";
    } catch (const trawl::IndexFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("record v2, this trawl reads v3"), std::string::npos) << e.what();
    }
}

TEST(StoredFields, RoundTripIncludingUnicodeAndEmptyFields) {
    StoredFields f{"business/001", "Café prices “soar”", "bbc/business/001.txt", "", "", "Text with\nnewline."};
    EXPECT_EQ(decode_fields(encode_fields(f)), f);
    StoredFields empty;
    EXPECT_EQ(decode_fields(encode_fields(empty)), empty);
}

TEST(StoredFields, RejectsTruncatedAndTrailingBytes) {
    auto bytes = encode_fields(StoredFields{"id", "title", "loc", "d", "s", "some text"});
    EXPECT_THROW(decode_fields(bytes.substr(0, bytes.size() - 1)), trawl::IndexFormatError);
    EXPECT_THROW(decode_fields(bytes + "x"), trawl::IndexFormatError);
}

TEST(StoredFields, ViewsDecodeTheSameFieldsWithoutCopying) {
    const StoredFields f{"business/001", "Café prices", "bbc/business/001.txt", "2021-12-01", "bbc", "Some text."};
    const auto bytes = encode_fields(f);
    const auto v = decode_fields_view(bytes);
    EXPECT_EQ(v.article_id, f.article_id);
    EXPECT_EQ(v.title, f.title);
    EXPECT_EQ(v.location, f.location);
    EXPECT_EQ(v.date, f.date);
    EXPECT_EQ(v.source, f.source);
    EXPECT_EQ(v.text, f.text);
    EXPECT_EQ(v.text.data(), bytes.data() + bytes.size() - f.text.size());  // into the bytes
    EXPECT_THROW(decode_fields_view(bytes + "x"), trawl::IndexFormatError);
    const DocData d{3, 10, 20, bytes.size(), "payload"};
    const auto record = encode(d);
    const auto dv = decode_view(record);
    EXPECT_EQ(dv.ordinal, 3u);
    EXPECT_EQ(dv.begin, 10u);
    EXPECT_EQ(dv.end, 20u);
    EXPECT_EQ(dv.raw_size, bytes.size());
    EXPECT_EQ(dv.payload, "payload");
    EXPECT_EQ(decode(record), d);
}
