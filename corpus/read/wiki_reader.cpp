// WikiExtractor format: the plain-text extract of a Wikipedia dump, files of
// `<doc id=".." url=".." title="..">` ... `</doc>` records (one article each),
// read line by line, one record at a time.
#include <algorithm>
#include <map>
#include <string_view>

#include "corpus/base/ascii.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/read/markup_scanner.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

bool blank(std::string_view s) { return trim(s).empty(); }

// "<doc", then the end of the name: WikiExtractor writes the tag in lower case
// at the start of a line; "<DOC>" (TREC) and "<document" are not records here.
bool is_open_tag(std::string_view line) {
    return line.starts_with("<doc") && (line.size() == 4 || line[4] == '>' || is_ascii_space(line[4]));
}

bool is_close_tag(std::string_view line) { return trim(line) == "</doc>"; }

// The attributes of an opening tag, parsed left to right (so that " id=" inside
// a quoted title is not taken for the id); values double- or single-quoted or
// bare, entities decoded. Names as written (WikiExtractor's are lower case).
// `tag_end`, when given, gets where the tag ends: its '>' outside the quoted
// values (title="a > b" holds one), or npos when the line has none.
std::map<std::string, std::string> attributes(std::string_view tag, std::size_t* tag_end = nullptr) {
    std::map<std::string, std::string> out;
    std::size_t p = tag.find_first_of(" \t>");  // past "<doc"
    while (p < tag.size() && tag[p] != '>') {
        while (p < tag.size() && is_ascii_space(tag[p])) ++p;
        const std::size_t name_begin = p;
        while (p < tag.size() && !is_ascii_space(tag[p]) && tag[p] != '=' && tag[p] != '>') ++p;
        const std::string name(tag.substr(name_begin, p - name_begin));
        while (p < tag.size() && is_ascii_space(tag[p])) ++p;
        if (p >= tag.size() || tag[p] != '=') {  // a name without a value
            if (name.empty() && p < tag.size() && tag[p] != '>') ++p;
            continue;
        }
        ++p;
        while (p < tag.size() && is_ascii_space(tag[p])) ++p;
        std::string_view value;
        if (p < tag.size() && (tag[p] == '"' || tag[p] == '\'')) {
            const char quote = tag[p++];
            const std::size_t end = std::min(tag.find(quote, p), tag.size());
            value = tag.substr(p, end - p);
            p = end + 1;
        } else {
            const std::size_t begin = p;
            while (p < tag.size() && !is_ascii_space(tag[p]) && tag[p] != '>') ++p;
            value = tag.substr(begin, p - begin);
        }
        if (!name.empty()) out.emplace(name, decode_entities(value));
    }
    if (tag_end) *tag_end = p < tag.size() ? p : std::string_view::npos;
    return out;
}

std::string attribute(const std::map<std::string, std::string>& attrs, const std::string& name) {
    auto it = attrs.find(name);
    return it == attrs.end() ? std::string() : normalize_line(it->second);
}

class WikiReader final : public ArticleReader {
public:
    WikiReader(const InputPath& path, Diagnostics& diag, std::size_t max_bytes)
        : lines_(open_byte_source(path, &diag, CharsetDeclarations::Xml), max_bytes),
          diag_(diag),
          max_bytes_(max_bytes) {}

    bool next(Article& out) override {
        std::string raw;
        while (lines_.next(raw)) {
            if (lines_.too_long()) {  // never held: the record it is in is too large
                if (in_record_) drop_body(lines_.line_bytes());
                continue;
            }
            bool repaired = false, controls = false;
            std::string line = repair_utf8(raw, &repaired, &controls);
            // Between records, an XML declaration, a DOCTYPE and comments are
            // no text; a record's opening tag may follow them on their line.
            const std::string_view rest = in_record_ ? std::string_view(line) : skip_markup(line);
            if (is_open_tag(rest)) {
                if (in_record_) skip("truncated record", "no </doc> before the next <doc>");
                start_record(rest);
                if (repaired && repaired_line_ == 0) repaired_line_ = lines_.line_number();
                if (controls && control_line_ == 0) control_line_ = lines_.line_number();
            } else if (is_close_tag(rest)) {
                if (!in_record_) {
                    diag_.report({Severity::Skipped, lines_.path(), lines_.line_number(), "stray closing tag",
                                  "</doc> outside a record"});
                    continue;
                }
                in_record_ = false;
                if (finish_record(out)) return true;
            } else if (in_record_) {
                if (repaired && repaired_line_ == 0) repaired_line_ = lines_.line_number();
                if (controls && control_line_ == 0) control_line_ = lines_.line_number();
                add_line(line);
            } else if (!blank(rest) && !outside_text_) {
                // Reported once per stretch between records, not once per line.
                diag_.report({Severity::Skipped, lines_.path(), lines_.line_number(), "text outside a record",
                              "not within <doc>...</doc>"});
                outside_text_ = true;
            }
        }
        if (in_record_) {
            in_record_ = false;
            skip("truncated record", "no </doc> at the end of the file");
        }
        if (markup_.open()) unclosed_markup();
        return false;
    }

    std::uint64_t bytes_read() const override { return lines_.raw_bytes_read(); }

private:
    void skip(const std::string& reason, std::string detail) {
        diag_.report({Severity::Skipped, lines_.path(), start_line_, reason, std::move(detail)});
    }

    // A line outside the records without what is no text there: white space,
    // XML declarations (<?xml ...?>, and other processing instructions),
    // a DOCTYPE and comments, any of which may go on over lines (markup_ is
    // then open). What is left is text, or a record's opening tag.
    std::string_view skip_markup(std::string_view line) {
        if (markup_.open() && is_open_tag(line)) {
            // A record's opening tag at the start of a line is text within a
            // comment, an instruction or a DOCTYPE's quoted string; among a
            // DOCTYPE's declarations, where no element can start, it ends one
            // left open, which is reported, and the record is read.
            if (markup_.in_opaque_text()) ++records_in_markup_;
            else unclosed_markup();
        }
        for (;;) {
            if (!markup_.open()) {
                while (!line.empty() && is_ascii_space(line.front())) line.remove_prefix(1);
                if (MarkupScanner::at(line) == MarkupScanner::Kind::None) return line;
                markup_line_ = lines_.line_number();
                records_in_markup_ = 0;
            }
            if (!markup_.pass(line)) return {};
        }
    }

    // A DOCTYPE still open at a record's start, or markup still open at the
    // end of the file: what it took in was not read, records included.
    void unclosed_markup() {
        diag_.report({Severity::Skipped, lines_.path(), markup_line_, "text outside a record",
                      markup_.unclosed(records_in_markup_)});
        markup_.clear();
    }

    void start_record(std::string_view line) {
        in_record_ = true;
        outside_text_ = false;
        too_large_ = false;
        record_bytes_ = 0;
        start_line_ = lines_.line_number();
        repaired_line_ = control_line_ = 0;
        body_.clear();
        have_first_line_ = false;
        std::size_t gt = std::string_view::npos;
        attributes(line, &gt);
        tag_closed_ = gt != std::string_view::npos;
        tag_ = std::string(line.substr(0, tag_closed_ ? gt + 1 : line.size()));
        if (tag_closed_) add_line(line.substr(gt + 1));
    }

    // Every line of the extract is a paragraph (WikiExtractor writes one per
    // line, blank lines only after the title); "\n\n" makes that explicit for
    // the sentence splitter. The text is kept as written: WikiExtractor has
    // already decoded its entities (the Ampersand article spells out "&amp;").
    void add_line(std::string_view line) {
        record_bytes_ += line.size() + 1;
        if (too_large_ || blank(line)) return;
        if (!have_first_line_) {
            have_first_line_ = true;
            first_line_ = std::string(line);  // dropped later if it repeats the title
            return;
        }
        if (body_.size() + line.size() > max_bytes_) {
            drop_body(0);
            return;
        }
        body_.append(line);
        body_ += "\n\n";
    }

    // The record is larger than the limit: what was kept goes, the rest is
    // only counted.
    void drop_body(std::uint64_t more_bytes) {
        record_bytes_ += more_bytes;
        too_large_ = true;
        std::string().swap(body_);
    }

    bool finish_record(Article& out) {
        if (!tag_closed_) {
            skip("malformed tag", "<doc without '>'");
            return false;
        }
        const auto attrs = attributes(tag_);
        Article a;
        a.id = attribute(attrs, "id");
        if (a.id.empty()) {
            skip("missing id", "no id attribute");
            return false;
        }
        if (too_large_) {  // --max-article-mb: dropped as it was read, so memory stays bounded
            diag_.report(article_too_large(lines_.path(), start_line_, record_bytes_, max_bytes_));
            return false;
        }
        a.title = attribute(attrs, "title");
        // WikiExtractor starts the text with the title (entities still encoded, as in the attribute).
        if (have_first_line_ && normalize_line(decode_entities(first_line_)) != a.title)
            body_.insert(0, first_line_ + "\n\n");
        a.body = normalize_whitespace(body_);
        if (a.body.empty() && a.title.empty()) {  // a title alone is read (indexed title-only)
            skip("empty text", "id " + a.id);
            return false;
        }
        a.location = attribute(attrs, "url");
        if (a.location.empty()) a.location = lines_.path() + ":" + std::to_string(start_line_);
        // Every WikiExtractor record is a Wikipedia article; its folders (AA, AB...) are not sections.
        a.source = "wikipedia";
        if (repaired_line_ != 0)
            diag_.report({Severity::Warning, lines_.path(), repaired_line_, kInvalidUtf8Repaired, "id " + a.id});
        if (control_line_ != 0)
            diag_.report({Severity::Warning, lines_.path(), control_line_, kControlsReplaced, "id " + a.id});
        out = std::move(a);
        return true;
    }

    LineReader lines_;
    Diagnostics& diag_;
    bool in_record_ = false;
    bool outside_text_ = false;
    MarkupScanner markup_;                 // outside the records: a comment, instruction or DOCTYPE left open on a line
    std::uint64_t markup_line_ = 0;        // where it began
    std::uint64_t records_in_markup_ = 0;  // lines in it that start with a record's opening tag
    bool tag_closed_ = false;
    bool have_first_line_ = false;
    bool too_large_ = false;
    std::size_t max_bytes_;
    std::uint64_t record_bytes_ = 0;
    std::uint64_t start_line_ = 0;
    std::uint64_t repaired_line_ = 0;
    std::uint64_t control_line_ = 0;
    std::string tag_;
    std::string first_line_;
    std::string body_;
};

}  // namespace

std::unique_ptr<ArticleReader> open_wiki_reader(const InputPath& path, Diagnostics& diag, std::size_t max_bytes) {
    return std::make_unique<WikiReader>(path, diag, max_bytes);
}

}  // namespace trawl::corpus
