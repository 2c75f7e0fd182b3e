// JSON Lines format: one object per line; which key holds what follows the
// field mapping (named, or auto-detected per object; BEIR's _id/title/text work
// either way).
#include <nlohmann/json.hpp>

#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/text/date.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace {

using nlohmann::json;

// The string value of `key`, or nullptr when it is absent or not a string.
const std::string* string_field(const json& obj, const std::string* key) {
    if (!key) return nullptr;
    auto it = obj.find(*key);
    if (it == obj.end() || !it->is_string()) return nullptr;
    return it->get_ptr<const std::string*>();
}

// Ids may be strings or integers in the data; anything else is no id.
std::string id_field(const json& obj, const std::string* key) {
    if (!key) return {};
    auto it = obj.find(*key);
    if (it == obj.end()) return {};
    if (it->is_string()) return normalize_line(it->get<std::string>());
    if (it->is_number_integer() || it->is_number_unsigned()) return it->dump();
    return {};
}

// `s` with its control characters made spaces (repair_utf8; the JSON parser
// has checked the UTF-8), `controls` set when it had one ("\f" escapes).
std::string without_controls(const std::string& s, bool& controls) {
    if (!needs_utf8_repair(s)) return s;
    bool c = false;
    std::string out = repair_utf8(s, nullptr, &c);
    controls = controls || c;
    return out;
}

class JsonlReader final : public ArticleReader {
public:
    JsonlReader(const InputPath& path, FieldMapping fields, Diagnostics& diag, std::size_t max_bytes)
        : lines_(open_byte_source(path, &diag), max_bytes),
          fields_(std::move(fields)),
          diag_(diag),
          max_bytes_(max_bytes) {}

    bool next(Article& out) override {
        if (!sniffed_) {  // before any line: a binary file may have none
            sniffed_ = true;
            binary_ = binary_file(lines_, diag_);
        }
        if (binary_) return false;
        std::string line;
        while (lines_.next(line)) {
            if (lines_.too_long()) {
                diag_.report(article_too_large(lines_.path(), lines_.line_number(), lines_.line_bytes(), max_bytes_));
                continue;
            }
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            if (parse(line, out)) return true;
        }
        return false;
    }

    std::uint64_t bytes_read() const override { return lines_.raw_bytes_read(); }

private:
    void report(Severity severity, const std::string& reason, std::string detail = {}) {
        diag_.report({severity, lines_.path(), lines_.line_number(), reason, std::move(detail)});
    }
    void skip(const std::string& reason, std::string detail = {}) {
        report(Severity::Skipped, reason, std::move(detail));
    }

    // The key of `obj` holding field `f` (per the mapping), or nullptr.
    const std::string* key(Field f) const {
        const std::size_t col = columns_[static_cast<std::size_t>(f)];
        return col == kNoColumn ? nullptr : &keys_[col];
    }

    // Consumes `line`: a long one is released once parsed, before its text is
    // normalised, so that a record costs about two copies of its text, not four.
    bool parse(std::string& line, Article& out) {
        bool repaired = false, controls = false;
        if (needs_utf8_repair(line)) line = repair_utf8(line, &repaired, &controls);
        json obj;
        try {
            obj = json::parse(line);
            if (line.size() > (1u << 20)) std::string().swap(line);
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
        keys_.clear();
        for (const auto& item : obj.items()) keys_.push_back(item.key());
        columns_ = resolve_fields(fields_, keys_);

        Article a;
        a.id = id_field(obj, key(Field::Id));
        if (a.id.empty()) {
            skip("missing id", describe(fields_, Field::Id));
            return false;
        }
        const std::string* text = string_field(obj, key(Field::Text));
        if (!text) {
            skip("missing text", "id " + a.id);
            return false;
        }
        a.body = normalize_whitespace(without_controls(*text, controls));
        if (const std::string* t = string_field(obj, key(Field::Title)))
            a.title = normalize_line(without_controls(*t, controls));
        // A title with an empty text (BEIR's title-only documents) is read,
        // and indexed title-only; a record without the text field is not
        // (a misnamed field would otherwise index every record by its title).
        if (a.body.empty() && a.title.empty()) {
            skip("empty text", "id " + a.id);
            return false;
        }
        std::string raw_date;
        if (const std::string* d = string_field(obj, key(Field::Date))) {
            raw_date = normalize_line(*d);
            a.date = normalize_date(raw_date);
        }
        if (const std::string* s = string_field(obj, key(Field::Source)))
            a.source = normalize_line(without_controls(*s, controls));
        a.location = lines_.path() + ":" + std::to_string(lines_.line_number());
        if (repaired) report(Severity::Warning, kInvalidUtf8Repaired, "id " + a.id);
        if (controls) report(Severity::Warning, kControlsReplaced, "id " + a.id);
        if (a.date.empty() && !raw_date.empty())
            report(Severity::Warning, "unparsable date", "id " + a.id + ": " + raw_date);
        out = std::move(a);
        return true;
    }

    LineReader lines_;
    FieldMapping fields_;
    Diagnostics& diag_;
    std::size_t max_bytes_;
    bool sniffed_ = false;
    bool binary_ = false;
    std::vector<std::string> keys_;  // the current object's keys
    FieldColumns columns_{};
};

}  // namespace

std::unique_ptr<ArticleReader> open_jsonl_reader(const InputPath& path, const FieldMapping& fields, Diagnostics& diag,
                                                 std::size_t max_bytes) {
    return std::make_unique<JsonlReader>(path, fields, diag, max_bytes);
}

}  // namespace trawl::corpus
