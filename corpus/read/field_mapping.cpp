// Field mapping for record formats: the usual names per field and the
// case-insensitive lookup (pure).
#include "corpus/read/field_mapping.hpp"

#include "corpus/base/ascii.hpp"

namespace trawl::corpus {
namespace {

constexpr std::string_view kId[] = {"id", "_id", "docid", "doc_id", "article_id", "uuid"};
constexpr std::string_view kTitle[] = {"title", "headline"};
constexpr std::string_view kText[] = {"text", "content", "body", "article", "story"};
constexpr std::string_view kDate[] = {"date", "published", "publish_date", "pubdate", "published_at", "datetime"};
constexpr std::string_view kSource[] = {"source", "publisher", "subject", "section", "category", "site"};

std::size_t find_exact(std::span<const std::string> names, std::string_view want) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == want) return i;
    return kNoColumn;
}

std::size_t find_ci(std::span<const std::string> names, std::string_view want) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (ascii_iequals(names[i], want)) return i;
    return kNoColumn;
}

}  // namespace

const char* field_name(Field f) {
    switch (f) {
        case Field::Id:
            return "id";
        case Field::Title:
            return "title";
        case Field::Text:
            return "text";
        case Field::Date:
            return "date";
        case Field::Source:
            return "source";
    }
    return "?";
}

std::span<const std::string_view> auto_names(Field f) {
    switch (f) {
        case Field::Id:
            return kId;
        case Field::Title:
            return kTitle;
        case Field::Text:
            return kText;
        case Field::Date:
            return kDate;
        case Field::Source:
            return kSource;
    }
    return {};
}

const std::string& given_name(const FieldMapping& m, Field f) {
    switch (f) {
        case Field::Id:
            return m.id;
        case Field::Title:
            return m.title;
        case Field::Text:
            return m.text;
        case Field::Date:
            return m.date;
        case Field::Source:
            break;
    }
    return m.source;
}

std::string describe(const FieldMapping& m, Field f) {
    if (!given_name(m, f).empty()) return "field \"" + given_name(m, f) + "\"";
    std::string out = "fields ";
    bool first = true;
    for (std::string_view n : auto_names(f)) {
        if (!first) out += ", ";
        out += n;
        first = false;
    }
    return out;
}

FieldColumns resolve_fields(const FieldMapping& m, std::span<const std::string> names) {
    FieldColumns out;
    out.fill(kNoColumn);
    for (std::size_t k = 0; k < kFieldCount; ++k) {
        const Field f = static_cast<Field>(k);
        const std::string& given = given_name(m, f);
        if (!given.empty()) {
            out[k] = find_exact(names, given);
            if (out[k] == kNoColumn) out[k] = find_ci(names, given);
            continue;
        }
        for (std::string_view candidate : auto_names(f)) {
            out[k] = find_ci(names, candidate);
            if (out[k] != kNoColumn) break;
        }
    }
    return out;
}

}  // namespace trawl::corpus
