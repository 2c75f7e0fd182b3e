#include "indexer/format/doc_data.hpp"

#include "corpus/base/error.hpp"
#include "indexer/format/varint.hpp"

namespace trawl::format {
namespace {

std::uint64_t get_varint(std::string_view in, std::size_t& pos, const char* what) {
    return format::get_varint(in, pos, "document data", what);
}

// A stored field: its length as a document-data varint, then its bytes.
std::string_view get_string(std::string_view in, std::size_t& pos, const char* what) {
    const auto n = get_varint(in, pos, what);
    return get_bytes_view(in, pos, n, "stored fields", what);
}

std::uint32_t narrow32(std::uint64_t v, const char* what) {
    if (v > UINT32_MAX) throw IndexFormatError(std::string("document data: value out of range in ") + what);
    return static_cast<std::uint32_t>(v);
}

}  // namespace

std::string encode_fields(const StoredFields& f) {
    std::string out;
    out.reserve(f.text.size() + f.title.size() + f.article_id.size() + f.location.size() + 16);
    put_string(out, f.article_id);
    put_string(out, f.title);
    put_string(out, f.location);
    put_string(out, f.date);
    put_string(out, f.source);
    put_string(out, f.text);
    return out;
}

StoredFieldsView decode_fields_view(std::string_view bytes) {
    StoredFieldsView f;
    std::size_t pos = 0;
    f.article_id = get_string(bytes, pos, "article id");
    f.title = get_string(bytes, pos, "title");
    f.location = get_string(bytes, pos, "location");
    f.date = get_string(bytes, pos, "date");
    f.source = get_string(bytes, pos, "source");
    f.text = get_string(bytes, pos, "text");
    if (pos != bytes.size()) throw IndexFormatError("stored fields: trailing bytes");
    return f;
}

StoredFields decode_fields(std::string_view bytes) {
    const auto v = decode_fields_view(bytes);
    return {std::string(v.article_id), std::string(v.title),  std::string(v.location),
            std::string(v.date),       std::string(v.source), std::string(v.text)};
}

std::string encode(const DocData& d) {
    std::string out;
    out.reserve(d.payload.size() + 20);
    out.push_back(static_cast<char>(kDocDataMagic));
    out.push_back(static_cast<char>(kDocDataVersion));
    put_varint(out, d.ordinal);
    put_varint(out, d.begin);
    put_varint(out, d.end);
    put_varint(out, d.raw_size);
    out.append(d.payload);
    return out;
}

DocDataView decode_view(std::string_view bytes) {
    if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != kDocDataMagic)
        throw IndexFormatError("document data is not a Trawl record (bad magic)");
    auto version = static_cast<unsigned char>(bytes[1]);
    // Not "re-index": the index's format stamp (index_meta.hpp) says which
    // records it holds, so a record of another version in it is damage.
    if (version != kDocDataVersion)
        throw IndexFormatError("document data record v" + std::to_string(version) + ", this trawl reads v" +
                               std::to_string(kDocDataVersion));
    DocDataView d;
    std::size_t pos = 2;
    d.ordinal = narrow32(get_varint(bytes, pos, "ordinal"), "ordinal");
    d.begin = narrow32(get_varint(bytes, pos, "span"), "span");
    d.end = narrow32(get_varint(bytes, pos, "span"), "span");
    d.raw_size = get_varint(bytes, pos, "size");
    d.payload = bytes.substr(pos);
    return d;
}

DocData decode(std::string_view bytes) {
    const auto v = decode_view(bytes);
    return {v.ordinal, v.begin, v.end, v.raw_size, std::string(v.payload)};
}

}  // namespace trawl::format
