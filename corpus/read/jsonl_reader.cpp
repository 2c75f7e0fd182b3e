// JSON Lines format: one object per line; which key holds what follows the
// field mapping (named, or auto-detected per object; BEIR's _id/title/text work
// either way).
#include <nlohmann/json.hpp>

#include "corpus/base/ascii.hpp"
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

// The field `key` of `obj`, or nullptr when it is absent (or null).
const json* any_field(const json& obj, const std::string* key) {
    if (!key) return nullptr;
    auto it = obj.find(*key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

bool is_integer(const json& v) { return v.is_number_integer() || v.is_number_unsigned(); }

// A field value for a message: "number 1.5", "boolean true", "object".
std::string describe_value(const json& v) {
    std::string s = v.type_name();
    if (v.is_primitive()) s += " " + v.dump();
    return s;
}

// Whether a key of a record's top level may hold one of its article's
// fields: a name given for a field (any case: resolve_fields() looks it up
// exactly, then ignoring case), or a usual name of a field not given.
bool may_hold_a_field(const FieldMapping& fields, const std::string& key) {
    for (std::size_t k = 0; k < kFieldCount; ++k) {
        const Field f = static_cast<Field>(k);
        if (!given_name(fields, f).empty()) {
            if (ascii_iequals(key, given_name(fields, f))) return true;
            continue;
        }
        for (std::string_view name : auto_names(f))
            if (ascii_iequals(key, name)) return true;
    }
    return false;
}

// A SAX handler (json::sax_parse) that keeps of a JSON text only what the
// reader looks at: its top-level value, and when that is an object, the
// members whose key may hold a field (may_hold_a_field), each a scalar as
// it is and an object or array as an empty one of its type (the reader
// names its type, never reads into it). Nothing nested is built: a line of
// deeply nested or countless values costs no more than its own bytes (as a
// DOM, a 57 MB line of nested arrays took 2.5 GB and 90 s). Members of one
// key: the last one stands, as json::parse keeps it. Errors are thrown as
// json::parse throws them.
class TopLevel {
public:
    explicit TopLevel(const FieldMapping& fields) : fields_(fields) {}
    json root;

    bool null() { return scalar(nullptr); }
    bool boolean(bool v) { return scalar(v); }
    bool number_integer(json::number_integer_t v) { return scalar(v); }
    bool number_unsigned(json::number_unsigned_t v) { return scalar(v); }
    bool number_float(json::number_float_t v, const std::string& /*text*/) { return scalar(v); }
    bool string(std::string& v) {
        if (json* t = target()) *t = std::move(v);  // (the lexer clears its buffer before the next token)
        return true;
    }
    bool binary(json::binary_t& /*v*/) { return scalar(nullptr); }  // never in JSON text
    bool start_object(std::size_t /*elements*/) { return open(json::value_t::object); }
    bool start_array(std::size_t /*elements*/) { return open(json::value_t::array); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(std::string& k) {
        if (depth_ == 1) member_ = may_hold_a_field(fields_, k) ? &root[k] : nullptr;
        return true;
    }
    template <class Exception>
    bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& e) {
        throw e;
    }

private:
    // The value that starts at the current depth: the root, a kept member, or dropped.
    json* target() { return depth_ == 0 ? &root : depth_ == 1 ? member_ : nullptr; }
    bool scalar(json v) {
        if (json* t = target()) *t = std::move(v);
        return true;
    }
    bool open(json::value_t type) {
        if (json* t = target()) *t = json(type);
        ++depth_;
        return true;
    }
    bool close() {
        --depth_;
        return true;
    }

    const FieldMapping& fields_;
    std::size_t depth_ = 0;
    json* member_ = nullptr;  // of the top-level key being read, when kept
};

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
            const auto first = line.find_first_not_of(" \t\r");
            if (first == std::string::npos) continue;
            if (!first_line_seen_ && not_json_lines(line, first)) return false;
            first_line_seen_ = true;
            if (parse(line, out)) return true;
        }
        return false;
    }

    std::uint64_t bytes_read() const override { return lines_.raw_bytes_read(); }

private:
    // A .json file that holds one JSON array, or an object spread over
    // several lines (pretty-printed), is not JSON Lines: read line by line,
    // most of it would be lost, one "invalid JSON" at a time. Said once, for
    // the whole file, at its first line.
    bool not_json_lines(const std::string& line, std::size_t first) {
        const auto last = line.find_last_not_of(" \t\r");
        const bool array = line[first] == '[';
        const bool open_object = line[first] == '{' && last == first;
        if (!array && !open_object) return false;
        binary_ = true;  // nothing more is read from this file
        skip("not JSON Lines", std::string(array ? "a JSON array" : "a JSON object over several lines") +
                                   "; one object per line is read: convert it with jq -c '" + (array ? ".[]" : ".") +
                                   "' FILE");
        return true;
    }
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
        TopLevel parsed(fields_);
        try {
            json::sax_parse(line, &parsed);
            if (line.size() > (1u << 20)) std::string().swap(line);
        } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e400
            std::string detail = e.what();
            if (auto p = detail.find("] "); p != std::string::npos) detail.erase(0, p + 2);
            skip("invalid JSON", detail);
            return false;
        }
        const json& obj = parsed.root;
        if (!obj.is_object()) {
            skip("not an object", std::string(obj.type_name()));
            return false;
        }
        keys_.clear();
        for (const auto& item : obj.items()) keys_.push_back(item.key());
        columns_ = resolve_fields(fields_, keys_);

        Article a;
        // Ids may be strings or integers (their decimal text) in the data.
        if (const json* id = any_field(obj, key(Field::Id))) {
            // An id is kept as the data spells it (control characters too):
            // made a space, "a\u0001b" would become the id "a b" of another record.
            if (id->is_string()) a.id = normalize_line(id->get<std::string>());
            else if (is_integer(*id)) a.id = id->dump();
            else {
                skip("invalid id", "id must be a string or an integer, not " + describe_value(*id));
                return false;
            }
        }
        if (a.id.empty()) {
            skip("missing id", describe(fields_, Field::Id));
            return false;
        }
        // A record without the text field is skipped, not indexed by its
        // title alone: a misnamed field would otherwise index every record
        // so. One whose text is null says it has none, as "" does.
        const std::string* text_key = key(Field::Text);
        const auto text = text_key ? obj.find(*text_key) : obj.end();
        if (text == obj.end()) {
            skip("missing text", "id " + a.id);
            return false;
        }
        if (!text->is_string() && !text->is_null()) {
            skip("invalid text", "id " + a.id + ": text must be a string, not " + describe_value(*text));
            return false;
        }
        if (text->is_string())
            a.body = normalize_whitespace(without_controls(text->get_ref<const std::string&>(), controls));
        // A title or date may be a number in the data: its text is read.
        if (const json* t = any_field(obj, key(Field::Title))) {
            if (t->is_string()) a.title = normalize_line(without_controls(t->get<std::string>(), controls));
            else if (t->is_number()) a.title = t->dump();
            else
                report(Severity::Warning, "title ignored",
                       "id " + a.id + ": not a string or a number but " + describe_value(*t));
        }
        // A title with an empty text (BEIR's title-only documents) is read,
        // and indexed title-only; a record without the text field is not
        // (a misnamed field would otherwise index every record by its title).
        if (a.body.empty() && a.title.empty()) {
            skip("empty text", "id " + a.id);
            return false;
        }
        std::string raw_date;
        if (const json* d = any_field(obj, key(Field::Date))) {
            // A number is read as its digits (20220103); Unix seconds are
            // not guessed at: they are an unparsable date.
            raw_date = d->is_string() ? normalize_line(d->get<std::string>()) : describe_value(*d);
            if (d->is_string() || is_integer(*d)) a.date = normalize_date(d->is_string() ? raw_date : d->dump());
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
    bool first_line_seen_ = false;
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
