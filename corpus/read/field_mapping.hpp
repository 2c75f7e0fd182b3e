// Which field of a record holds each part of an article, for the record
// formats (JSONL object keys, CSV/TSV header columns). A name the user gave is
// looked up exactly, then case-insensitively; an empty name means auto: the
// first of the usual names for that part that the record has (case-insensitive).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace trawl::corpus {

struct FieldMapping {
    std::string id;      // "" = auto: id, _id, docid, doc_id, article_id, uuid
    std::string title;   // "" = auto: title, headline
    std::string text;    // "" = auto: text, content, body, article, story
    std::string date;    // "" = auto: date, published, publish_date, pubdate, published_at, datetime
    std::string source;  // "" = auto: source, publisher, subject, section, category, site
};

enum class Field : std::size_t { Id, Title, Text, Date, Source };
inline constexpr std::size_t kFieldCount = 5;

const char* field_name(Field f);  // "id", "title", ...
// The usual names tried, in order, when the field is not named.
std::span<const std::string_view> auto_names(Field f);
// The name the user gave for `f`, empty for auto.
const std::string& given_name(const FieldMapping& m, Field f);
// For messages: "field \"x\"" for a given name, "fields id, _id, ..." for auto.
std::string describe(const FieldMapping& m, Field f);

inline constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);
// For each Field (in enum order), the index into `names` holding it, or kNoColumn.
// When several names match, the first given/usual name wins, then the first column.
using FieldColumns = std::array<std::size_t, kFieldCount>;
FieldColumns resolve_fields(const FieldMapping& m, std::span<const std::string> names);

}  // namespace trawl::corpus
