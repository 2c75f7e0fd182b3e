// JSON Lines format: one object per line with configurable field names
// (BEIR corpus.jsonl layout by default).
#include <nlohmann/json.hpp>

#include "article_reader.hpp"
#include "byte_source.hpp"
#include "normalize.hpp"

namespace trawl::corpus {
namespace {

using nlohmann::json;

// The string value of `field`, or nullptr when it is absent or not a string.
const std::string* string_field(const json& obj, const std::string& field) {
    auto it = obj.find(field);
    if (it == obj.end() || !it->is_string()) return nullptr;
    return it->get_ptr<const std::string*>();
}

// Ids may be strings or integers in the data; anything else is no id.
std::string id_field(const json& obj, const std::string& field) {
    auto it = obj.find(field);
    if (it == obj.end()) return {};
    if (it->is_string()) return normalize_line(it->get<std::string>());
    if (it->is_number_integer() || it->is_number_unsigned()) return it->dump();
    return {};
}

class JsonlReader final : public ArticleReader {
public:
    JsonlReader(const std::string& path, JsonlFields fields, Diagnostics& diag)
        : lines_(open_byte_source(path)), fields_(std::move(fields)), diag_(diag) {}

    bool next(Article& out) override {
        std::string line;
        while (lines_.next(line)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            if (parse(line, out)) return true;
        }
        return false;
    }

    std::uint64_t bytes_read() const override { return lines_.raw_bytes_read(); }

private:
    void skip(const std::string& reason, std::string detail = {}) {
        diag_.report({Severity::Skipped, lines_.path(), lines_.line_number(), reason, std::move(detail)});
    }

    bool parse(const std::string& raw, Article& out) {
        bool repaired = false;
        const std::string line = repair_utf8(raw, &repaired);
        json obj;
        try {
            obj = json::parse(line);
        } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e400
            std::string detail = e.what();
            if (auto p = detail.find("] "); p != std::string::npos) detail.erase(0, p + 2);
            skip("invalid JSON", detail);
            return false;
        }
        if (!obj.is_object()) {
            skip("not an object", std::string(obj.type_name()));
            return false;
        }
        Article a;
        a.id = id_field(obj, fields_.id);
        if (a.id.empty()) {
            skip("missing id", "field \"" + fields_.id + "\"");
            return false;
        }
        const std::string* text = string_field(obj, fields_.text);
        if (!text) {
            skip("missing text", "id " + a.id);
            return false;
        }
        a.body = normalize_whitespace(repair_utf8(*text));
        if (a.body.empty()) {
            skip("empty text", "id " + a.id);
            return false;
        }
        if (const std::string* t = string_field(obj, fields_.title)) a.title = normalize_line(*t);
        if (const std::string* d = string_field(obj, fields_.date)) a.date = normalize_line(*d);
        if (const std::string* s = string_field(obj, fields_.source)) a.source = normalize_line(*s);
        a.location = lines_.path() + ":" + std::to_string(lines_.line_number());
        if (repaired)
            diag_.report({Severity::Warning, lines_.path(), lines_.line_number(), "invalid UTF-8 repaired", "id " + a.id});
        out = std::move(a);
        return true;
    }

    LineReader lines_;
    JsonlFields fields_;
    Diagnostics& diag_;
};

}  // namespace

std::unique_ptr<ArticleReader> open_jsonl_reader(const std::string& path, const JsonlFields& fields,
                                                 Diagnostics& diag) {
    return std::make_unique<JsonlReader>(path, fields, diag);
}

}  // namespace trawl::corpus
