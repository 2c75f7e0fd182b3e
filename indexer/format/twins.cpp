#include "indexer/format/twins.hpp"

#include "corpus/base/error.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/varint.hpp"

namespace trawl::format {
namespace {

constexpr const char* kRecord = "twin record";

}  // namespace

std::string twin_key(std::string_view id) {
    std::string key(kMetaTwinPrefix);
    key += id;
    return key;
}

std::string_view twin_id(std::string_view key) {
    return key.starts_with(kMetaTwinPrefix) ? key.substr(kMetaTwinPrefix.size()) : std::string_view{};
}

std::string encode_twin(const Twin& t, PassageCodec& plain) {
    const auto& a = t.article;
    std::string fields;
    fields.reserve(a.id.size() + a.title.size() + a.location.size() + a.date.size() + a.source.size() + a.body.size() +
                   16);
    for (const std::string* f : {&a.id, &a.title, &a.location, &a.date, &a.source, &a.body}) put_string(fields, *f);
    std::string out;
    out.push_back(static_cast<char>(kTwinMagic));
    out.push_back(static_cast<char>(kTwinVersion));
    put_string(out, t.original_term);
    put_varint(out, fields.size());
    out += plain.compress(fields);
    return out;
}

Twin decode_twin(std::string_view value, PassageCodec& plain) {
    if (value.size() < 2 || static_cast<unsigned char>(value[0]) != kTwinMagic)
        throw IndexFormatError(std::string(kRecord) + ": bad magic");
    if (static_cast<unsigned char>(value[1]) != kTwinVersion)
        throw IndexFormatError(std::string(kRecord) + ": version " +
                               std::to_string(static_cast<unsigned char>(value[1])) + ", this trawl reads " +
                               std::to_string(kTwinVersion));
    std::size_t pos = 2;
    Twin t;
    t.original_term = get_string(value, pos, kRecord, "the original's content term");
    const auto raw = get_varint(value, pos, kRecord, "its size");
    const std::string fields = plain.decompress(value.substr(pos), raw);
    std::size_t f = 0;
    auto& a = t.article;
    for (std::string* s : {&a.id, &a.title, &a.location, &a.date, &a.source, &a.body})
        *s = get_string(fields, f, kRecord, "its fields");
    if (f != fields.size()) throw IndexFormatError(std::string(kRecord) + ": trailing bytes");
    return t;
}

}  // namespace trawl::format
