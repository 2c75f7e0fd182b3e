// SGML format: TREC <DOC> records and Reuters-21578 <REUTERS> records, read
// one record at a time (never the whole file). A file without any record is
// one skip ("no records"): markup of another kind (an RSS feed, a fragment
// such as "<b>Update:</b> ...") is reported, not read as nothing. Between
// records, comments, processing instructions and DOCTYPEs are passed over
// (MarkupScanner) with all they hold, records included; text there (or a
// stray closing tag: what a record whose opening tag was lost leaves) is
// reported, once per stretch between records, as the WikiExtractor reader
// does, while white space and other tags (a wrapper element) are not.
// Within a record, only its closing tag (or another record's opening tag)
// ends it.
#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "corpus/base/ascii.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/read/markup_scanner.hpp"
#include "corpus/text/date.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace {

enum class Kind { Trec, Reuters };

// Position of the tag "<name" (followed by '>' or whitespace) at or after `from`.
std::size_t find_open(std::string_view s, std::string_view name, std::size_t from) {
    for (std::size_t p = s.find('<', from); p != std::string_view::npos; p = s.find('<', p + 1)) {
        const std::size_t after = p + 1 + name.size();
        if (ascii_iequals_at(s, p + 1, name) && after < s.size() && (s[after] == '>' || is_ascii_space(s[after])))
            return p;
    }
    return std::string_view::npos;
}

// Position of "</name>" at or after `from`.
std::size_t find_close(std::string_view s, std::string_view name, std::size_t from) {
    for (std::size_t p = s.find("</", from); p != std::string_view::npos; p = s.find("</", p + 1)) {
        if (ascii_iequals_at(s, p + 2, name) && p + 2 + name.size() < s.size() && s[p + 2 + name.size()] == '>')
            return p;
    }
    return std::string_view::npos;
}

struct Element {
    std::string_view open_tag;  // "<TEXT TYPE=\"BRIEF\">"
    std::string_view inner;
    bool closed = true;  // false: its closing tag is missing (see element())
};

// Where an element of `name` opened at `from` and never closed ends: a field
// of one line (a title, a date) at the end of its line; text (<TEXT>, <BODY>)
// at the next <name> or, for <BODY>, the </TEXT> around it, else at the end
// of `s` (the record without its closing tag): what a lost closing tag would
// have ended, as far as can be told.
std::size_t unclosed_end(std::string_view s, std::string_view name, std::size_t from) {
    if (name != "text" && name != "body") return std::min(s.find('\n', from), s.size());
    std::size_t end = std::min(find_open(s, name, from), s.size());
    if (name == "body") end = std::min(find_close(s, "text", from), end);
    return end;
}

// The first <name ...>...</name> element of `s` (lower-case `name`) at or
// after `from`; `*end` (when given) is set past its closing tag. One whose
// closing tag is missing is read to unclosed_end(), and says so (closed).
std::optional<Element> element(std::string_view s, std::string_view name, std::size_t from = 0,
                               std::size_t* end = nullptr) {
    const std::size_t open = find_open(s, name, from);
    if (open == std::string_view::npos) return std::nullopt;
    const std::size_t gt = s.find('>', open);
    if (gt == std::string_view::npos) return std::nullopt;
    // The same element opened again before a closing tag: this one was left
    // open (elements of a record do not nest). The closing tag is looked for
    // up to the next opening only, so that reading every <TEXT> of a record
    // is linear in its size (to the end each time, a record of many left
    // open took time in their number squared).
    const std::size_t reopened = find_open(s, name, gt + 1);
    const std::size_t close = find_close(s.substr(0, std::min(reopened, s.size())), name, gt + 1);
    if (close == std::string_view::npos) {
        const std::size_t stop = unclosed_end(s, name, gt + 1);
        if (end) *end = stop;
        return Element{s.substr(open, gt + 1 - open), s.substr(gt + 1, stop - gt - 1), false};
    }
    if (end) *end = close + name.size() + 3;
    return Element{s.substr(open, gt + 1 - open), s.substr(gt + 1, close - gt - 1)};
}

// Every <name>...</name> element of `s`, in order; nullopt when there is
// none. (TREC records may hold several <TEXT> blocks.)
std::optional<std::vector<Element>> elements(std::string_view s, std::string_view name) {
    std::vector<Element> found;
    std::size_t from = 0;
    while (auto e = element(s, name, from, &from)) found.push_back(*e);
    if (found.empty()) return std::nullopt;
    return found;
}

// The value of attribute `name` (lower-case) in an opening tag, quotes removed.
std::string attribute(std::string_view tag, std::string_view name) {
    for (std::size_t p = 0; p + name.size() < tag.size(); ++p) {
        if (!(is_ascii_space(tag[p]) && ascii_iequals_at(tag, p + 1, name))) continue;
        std::size_t q = p + 1 + name.size();
        while (q < tag.size() && is_ascii_space(tag[q])) ++q;
        if (q >= tag.size() || tag[q] != '=') continue;
        ++q;
        while (q < tag.size() && is_ascii_space(tag[q])) ++q;
        if (q < tag.size() && (tag[q] == '"' || tag[q] == '\'')) {
            const char quote = tag[q++];
            const std::size_t end = tag.find(quote, q);
            if (end != std::string_view::npos) return std::string(tag.substr(q, end - q));
            return {};
        }
        std::size_t end = q;
        while (end < tag.size() && !is_ascii_space(tag[end]) && tag[end] != '>') ++end;
        return std::string(tag.substr(q, end - q));
    }
    return {};
}

// Whether '<' followed by `c` may open markup: a tag name, an end tag, a
// comment or declaration, a processing instruction (as HTML reads '<').
bool starts_tag(char c) { return is_ascii_alpha(c) || c == '/' || c == '!' || c == '?'; }

// Removes markup; <P> and </P> become paragraph breaks. A comment goes
// whole, to its "-->", whatever '>' it holds ("<!-- PJG a > b -->"); "<!-->"
// and "<!--->" are empty ones (as HTML reads them), and one not closed in
// `s` is a tag like any other, to its first '>'. Linear: once no "-->" is
// left, none is looked for again, and a tag's '>' is looked for only up to
// the next '<'.
std::string strip_tags(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool comment_ends_left = true;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '<') {
            const std::size_t lt = std::min(s.find('<', i), s.size());
            out.append(s.data() + i, lt - i);
            i = lt;
            continue;
        }
        if (comment_ends_left && s.substr(i, 4) == "<!--") {
            if (const std::size_t end = s.find("-->", i + 2); end != std::string_view::npos) {
                i = end + 3;
                continue;
            }
            comment_ends_left = false;
        }
        // A tag is '<' and a name (or '/', '!', '?') up to its '>', with no
        // '<' before it: any other '<' is text ("fell to < 5 percent", "a<b"),
        // and what follows it is kept. Looking no further than the next '<'
        // keeps this linear (a search to the end at every '<' was not).
        const std::size_t gt =
            i + 1 < s.size() && starts_tag(s[i + 1]) ? s.find_first_of("<>", i + 1) : std::string_view::npos;
        if (gt == std::string_view::npos || s[gt] != '>') {  // a stray '<' in text
            out += s[i++];
            continue;
        }
        const std::string_view tag = s.substr(i, gt + 1 - i);
        if (ascii_iequals_at(tag, 1, "p>") || ascii_iequals_at(tag, 1, "p ") || ascii_iequals_at(tag, 1, "/p>"))
            out += "\n\n";
        i = gt + 1;
    }
    return out;
}

std::string clean_line(std::string_view s) { return normalize_line(decode_entities(strip_tags(s))); }

// Splits into lines; drops the trailing Reuters sign-off ("Reuter", "REUTER...",
// "... said. Reuter") and the literal "^M" some lines end with, and starts a
// new paragraph at every indented line, which is how the wire marks paragraphs.
std::string reuters_paragraphs(std::string_view body) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= body.size();) {
        std::size_t nl = body.find('\n', start);
        if (nl == std::string_view::npos) nl = body.size();
        std::string_view line = body.substr(start, nl - start);
        if (line.ends_with("^M")) line.remove_suffix(2);
        lines.push_back(line);
        start = nl + 1;
    }
    auto blank = [](std::string_view l) { return l.find_first_not_of(" \t\r") == std::string_view::npos; };
    auto trim = [](std::string_view l) {
        while (!l.empty() && is_ascii_space(l.front())) l.remove_prefix(1);
        while (!l.empty() && (l.back() == '.' || is_ascii_space(l.back()))) l.remove_suffix(1);
        return l;
    };
    for (;;) {
        while (!lines.empty() && blank(lines.back())) lines.pop_back();
        if (lines.empty()) break;
        std::string_view& last = lines.back();
        const std::string_view trimmed = trim(last);
        if ((trimmed.size() == 6 || trimmed.size() == 7) && ascii_iequals_at(trimmed, 0, "reuter") &&
            (trimmed.size() == 6 || ascii_lower(trimmed[6]) == 's')) {
            lines.pop_back();  // " Reuter" on its own line
            continue;
        }
        // "... said. Reuter": the sign-off run on after the last sentence.
        const std::size_t end = static_cast<std::size_t>(trimmed.data() - last.data()) + trimmed.size();
        if (trimmed.size() > 7 && ascii_iequals_at(trimmed, trimmed.size() - 6, "reuter") &&
            is_ascii_space(last[end - 7])) {
            const std::size_t keep = last.find_last_not_of(" \t", end - 7) + 1;
            if (trimmed.ends_with("REUTER") ||
                std::string_view(".!?\"')").find(last[keep - 1]) != std::string_view::npos)
                last = last.substr(0, keep);
        }
        break;
    }
    std::string out;
    for (std::string_view l : lines) {
        if (!out.empty() && !l.empty() && (l[0] == ' ' || l[0] == '\t')) out += '\n';
        out.append(l);
        out += '\n';
    }
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// ISO 8601 from the date spellings of news SGML: whatever normalize_date()
// reads (Reuters "26-FEB-1987 15:01:01.79", ISO, "19940101"), else the TREC
// "940101" as the first word. Empty if unknown.
std::string sgml_date_to_iso(std::string_view raw) {
    const std::string s = normalize_line(raw);
    if (std::string iso = normalize_date(s); !iso.empty()) return iso;
    const std::string_view date = std::string_view(s).substr(0, s.find(' '));
    if (all_digits(date) && date.size() == 8) return normalize_date(date);
    if (all_digits(date) && date.size() == 6) {
        const int yy = std::stoi(std::string(date.substr(0, 2)));
        return normalize_date(std::to_string(yy < 50 ? 2000 + yy : 1900 + yy) + std::string(date.substr(2)));
    }
    return {};
}

class SgmlReader final : public ArticleReader {
public:
    SgmlReader(const InputPath& path, Diagnostics& diag, std::size_t max_bytes)
        : lines_(open_byte_source(path, &diag, CharsetDeclarations::Xml), max_bytes),
          diag_(diag),
          max_bytes_(max_bytes) {}

    bool next(Article& out) override {
        if (!sniffed_) {  // before any line: a binary file may have none
            sniffed_ = true;
            binary_ = binary_file(lines_, diag_);
        }
        if (binary_) return false;
        while (next_record()) {
            if (parse_record(out)) return true;
        }
        return false;
    }

    std::uint64_t bytes_read() const override { return lines_.raw_bytes_read(); }

private:
    // Position and kind of the next record start in `s` at or after `from`.
    static std::pair<std::size_t, Kind> find_record_start(std::string_view s, std::size_t from) {
        const std::size_t r = find_open(s, "reuters", from);
        const std::size_t d = find_open(s, "doc", from);
        return d < r ? std::pair{d, Kind::Trec} : std::pair{r, Kind::Reuters};
    }

    // Position of the first comment, processing instruction or DOCTYPE in
    // `s` at or after `from` and before `to`, or npos.
    static std::size_t find_markup(std::string_view s, std::size_t from, std::size_t to) {
        to = std::min(to, s.size());
        for (std::size_t p = s.find('<', from); p < to; p = s.find('<', p + 1))
            if (MarkupScanner::at(s.substr(p)) != MarkupScanner::Kind::None) return p;
        return std::string_view::npos;
    }

    // Outside a record, from pos_ on: passes over the comments, processing
    // instructions and DOCTYPEs of `line` (and goes on with one an earlier
    // line left open) to the next record start, whose position and kind it
    // returns, pos_ set there; npos when the rest of the line holds none.
    // An opening tag within a comment, an instruction or a DOCTYPE's quoted
    // string is their text, counted for the report if the markup is never
    // closed; among a DOCTYPE's own declarations, where no element can
    // start, it ends one left open, which is reported, and the record is read.
    // The markup is handed to the scanner in pieces cut just before a record
    // tag's '<', where none of its openers or closers can be cut in two.
    std::pair<std::size_t, Kind> next_record_start(std::string_view line) {
        std::size_t from = pos_;  // what is still to be looked at begins here
        std::size_t look = pos_;  // where to look for a record start
        for (;;) {
            const auto [start, kind] = find_record_start(line, look);
            if (!markup_.open()) {
                const std::size_t markup = find_markup(line, from, start);
                if (markup == std::string_view::npos) {
                    pos_ = std::min(start, line.size());
                    note_outside(line.substr(from, pos_ - from));
                    return {start, kind};
                }
                note_outside(line.substr(from, markup - from));
                from = markup;
                markup_line_ = lines_.line_number();
                records_in_markup_ = 0;
            }
            std::string_view piece = line.substr(from, start == std::string_view::npos ? start : start - from);
            if (markup_.pass(piece)) {  // ended before the record start: what follows is looked at again
                from = look = static_cast<std::size_t>(piece.data() - line.data());
                continue;
            }
            if (start == std::string_view::npos) {
                pos_ = line.size();
                return {start, kind};
            }
            if (!markup_.in_opaque_text()) {
                unclosed_markup();
                pos_ = start;
                return {start, kind};
            }
            ++records_in_markup_;
            from = start;
            look = start + 1;
        }
    }

    // Text outside the records and their markup starts a stretch, reported
    // (at its first line) when the next record starts or the file ends. Not
    // text: white space (as normalize_whitespace() folds it: a no-break space
    // too), a byte order mark (two files joined), and tags other than a
    // record's closing one (a wrapper such as <DOCSTREAM> drops nothing).
    void note_outside(std::string_view text) {
        if (outside_line_ != 0) return;
        for (std::size_t i = 0; i < text.size();) {
            if (is_ascii_space(text[i])) {
                ++i;
                continue;
            }
            if (const std::size_t n = text.substr(i, 3) == "\xEF\xBB\xBF" ? 3 : space_length(text, i)) {
                i += n;
                continue;
            }
            const std::size_t gt = text[i] == '<' ? text.find('>', i) : std::string_view::npos;
            if (gt == std::string_view::npos || is_record_close(text.substr(i, gt + 1 - i))) {
                outside_line_ = lines_.line_number();  // text, a '<' without '>', or </DOC> with no record
                return;
            }
            i = gt + 1;
        }
    }
    static bool is_record_close(std::string_view tag) {
        return find_close(tag, "doc", 0) == 0 || find_close(tag, "reuters", 0) == 0;
    }
    void report_outside_text() {
        if (outside_line_ == 0) return;
        diag_.report({Severity::Skipped, lines_.path(), outside_line_, "text outside a record",
                      "not within <DOC>...</DOC> or <REUTERS>...</REUTERS>"});
        outside_line_ = 0;
    }

    // Markup still open at a record's start (a DOCTYPE) or at the end of the
    // file: what it took in was not read, records included.
    void unclosed_markup() {
        if (records_in_markup_ > 0) any_record_ = true;  // the records are reported here, not as none
        diag_.report({Severity::Skipped, lines_.path(), markup_line_, "text outside a record",
                      markup_.unclosed(records_in_markup_)});
        markup_.clear();
    }

    // A record that never closes; one over the limit is reported as that,
    // since its closing tag may have been in a line too long to look at.
    void report_truncated() {
        if (too_large_) report_too_large();
        else diag_.report({Severity::Skipped, lines_.path(), start_line_, "truncated record", "no closing tag"});
    }
    void report_too_large() { diag_.report(article_too_large(lines_.path(), start_line_, record_bytes_, max_bytes_)); }

    // A comment in the record that never closed (the file or the next
    // record came first) was no comment: the record is read to the first
    // closing tag after its "<!--", as if it were text, and that is said;
    // false (nothing read) when it holds none or the record was too large
    // to keep.
    bool read_to_close_in_comment() {
        comment_open_ = false;
        if (too_large_ || comment_at_ > record_.size()) return false;
        const std::string_view name = kind_ == Kind::Reuters ? "reuters" : "doc";
        const std::size_t close = find_close(record_, name, static_cast<std::size_t>(comment_at_));
        if (close == std::string_view::npos) return false;
        const std::size_t end = close + name.size() + 3;
        // What followed is outside the record: reported as such, at its line.
        if (outside_line_ == 0) {
            const std::string_view rest = std::string_view(record_).substr(end);
            note_outside(rest);
            if (outside_line_ != 0) {
                const std::size_t at = end + std::min(rest.find_first_not_of(" \t\r\n"), rest.size());
                outside_line_ =
                    start_line_ + static_cast<std::uint64_t>(std::count(
                                      record_.begin(), record_.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
            }
        }
        record_.resize(end);
        diag_.report({Severity::Warning, lines_.path(), comment_line_, "unclosed comment",
                      "<!-- without -->: the record read to its first </" +
                          std::string(name == "doc" ? "DOC" : "REUTERS") + ">"});
        return true;
    }

    // Appends to the current record, or only counts once it is over the limit.
    void append(std::string_view text) {
        record_bytes_ += text.size();
        if (too_large_) return;
        if (record_bytes_ > max_bytes_) {
            too_large_ = true;
            std::string().swap(record_);
            return;
        }
        record_.append(text);
    }

    // Collects the text of the next complete record into record_; false at end.
    bool next_record() {
        for (;;) {
            if (pos_ >= line_.size() && !line_pending_) {
                std::string raw;
                if (!lines_.next(raw)) {
                    if (in_record_) {
                        in_record_ = false;
                        if (comment_open_ && read_to_close_in_comment()) return true;
                        report_truncated();
                    }
                    // A file of none is "no records" instead (records taken in
                    // by markup never closed count: they are reported with it).
                    if (any_record_ || (markup_.open() && records_in_markup_ > 0)) report_outside_text();
                    if (markup_.open()) unclosed_markup();
                    if (!any_record_ && !ended_) {  // markup, but not a record format: not nothing
                        diag_.report({Severity::Skipped, lines_.path(), 0, "no records",
                                      "read as SGML: no <DOC> or <REUTERS> records"});
                    }
                    ended_ = true;
                    return false;
                }
                if (lines_.too_long()) {
                    // Not looked at: inside a record, the record is too large;
                    // outside, whatever records the line held are.
                    if (!in_record_) {
                        start_line_ = lines_.line_number();
                        record_bytes_ = 0;
                    }
                    any_record_ = true;  // reported as one too large
                    record_bytes_ += lines_.line_bytes() + 1;
                    too_large_ = true;
                    std::string().swap(record_);
                    if (!in_record_) report_too_large();
                    continue;
                }
                bool repaired = false, controls = false;
                line_ = repair_utf8(raw, &repaired, &controls);
                line_repaired_ = repaired;
                line_controls_ = controls;
                line_pending_ = true;  // the line (and its newline) is still to be consumed
                pos_ = 0;
            }
            const std::string_view line(line_);
            if (!in_record_) {
                auto [start, kind] = next_record_start(line);
                if (start == std::string_view::npos) {
                    line_pending_ = false;
                    continue;
                }
                report_outside_text();
                in_record_ = true;
                any_record_ = true;
                kind_ = kind;
                start_line_ = lines_.line_number();
                repaired_line_ = control_line_ = 0;
                record_.clear();
                record_bytes_ = 0;
                too_large_ = false;
                comment_open_ = false;
                pos_ = start;
            }
            if (line_repaired_ && repaired_line_ == 0) repaired_line_ = lines_.line_number();
            if (line_controls_ && control_line_ == 0) control_line_ = lines_.line_number();
            const std::string_view name = kind_ == Kind::Reuters ? "reuters" : "doc";
            // A new record starting before this one closed means this one never will.
            const std::size_t restart = restart_.find(lines_.line_number(), record_bytes_ == 0 ? pos_ + 1 : pos_,
                                                      [&](std::size_t from) { return find_open(line, name, from); });
            if (comment_open_) {
                // Within a comment: what it holds ends nothing, a closing tag
                // included, until its "-->" or the next record's start.
                const std::size_t end = line.find("-->", pos_);
                if (end != std::string_view::npos && end < restart) {
                    append(line.substr(pos_, end + 3 - pos_));
                    pos_ = end + 3;
                    comment_open_ = false;
                    continue;
                }
                if (restart != std::string_view::npos) {
                    append(line.substr(pos_, restart - pos_));
                    in_record_ = false;
                    if (read_to_close_in_comment()) {
                        pos_ = restart;
                        return true;
                    }
                    report_truncated();
                    pos_ = restart;
                    continue;
                }
                append(line.substr(pos_));
                append("\n");
                pos_ = line.size();
                line_pending_ = false;
                continue;
            }
            const std::size_t close =
                close_.find(lines_.line_number(), pos_, [&](std::size_t from) { return find_close(line, name, from); });
            // A comment before the closing tag: its "-->" is looked for from
            // its third byte, so "<!-->" and "<!--->" are empty ones, as
            // strip_tags() reads them.
            const std::size_t comment = line.find("<!--", pos_);
            if (comment != std::string_view::npos && comment < std::min(close, restart)) {
                append(line.substr(pos_, comment + 2 - pos_));
                pos_ = comment + 2;
                comment_open_ = true;
                comment_at_ = record_bytes_;
                comment_line_ = lines_.line_number();
                continue;
            }
            if (restart != std::string_view::npos && restart < close) {
                report_truncated();
                in_record_ = false;
                pos_ = restart;
                continue;
            }
            if (close != std::string_view::npos) {
                const std::size_t end = close + name.size() + 3;
                append(line.substr(pos_, end - pos_));
                pos_ = end;
                in_record_ = false;
                if (!too_large_) return true;
                report_too_large();
                continue;
            }
            append(line.substr(pos_));
            append("\n");
            pos_ = line.size();
            line_pending_ = false;
        }
    }

    void skip(const std::string& reason, std::string detail) {
        diag_.report({Severity::Skipped, lines_.path(), start_line_, reason, std::move(detail)});
    }

    // An element whose closing tag is missing was read to where it most
    // likely ended (unclosed_end()): said once per record.
    void note_unclosed(const std::optional<Element>& e, std::string_view name) {
        if (!e || e->closed || !unclosed_.empty()) return;
        unclosed_ = name;
    }

    bool parse_record(Article& out) {
        // The record without its closing tag: an element left open ends there.
        const std::string_view whole(record_);
        const std::string_view rec = whole.substr(0, whole.rfind("</"));
        const std::string_view open_tag = rec.substr(0, rec.find('>') + 1);
        unclosed_.clear();

        Article a;
        std::string newid = normalize_line(attribute(open_tag, "newid"));
        std::string docno;
        if (auto e = element(rec, "docno")) {
            docno = clean_line(e->inner);
            note_unclosed(e, "DOCNO");
        }
        a.id = kind_ == Kind::Reuters ? (newid.empty() ? docno : newid) : (docno.empty() ? newid : docno);
        if (a.id.empty()) {
            skip("missing id", kind_ == Kind::Reuters ? "no NEWID" : "no DOCNO");
            return false;
        }
        // The headline: <TITLE> (Reuters), else <HEADLINE> (FT, LA Times),
        // <HL> (WSJ, its byline after a "----" line left out) or <HEAD> (AP,
        // the first of them).
        std::optional<Element> title;
        for (const auto& [name, tag] : {std::pair{"title", "TITLE"}, std::pair{"headline", "HEADLINE"},
                                        std::pair{"hl", "HL"}, std::pair{"head", "HEAD"}}) {
            if ((title = element(rec, name))) {
                note_unclosed(title, tag);
                if (std::string_view(name) == "hl") title->inner = title->inner.substr(0, title->inner.find("----"));
                break;
            }
        }
        if (title) a.title = clean_line(title->inner);
        std::string raw_date;
        if (auto d = element(rec, "date")) {
            note_unclosed(d, "DATE");
            raw_date = clean_line(d->inner);
            a.date = sgml_date_to_iso(raw_date);
        }
        // <REUTERS> records are Reuters-21578 (lewis.dtd): every one is a Reuters story.
        if (kind_ == Kind::Reuters) a.source = "reuters";

        std::string body;
        if (kind_ == Kind::Reuters) {
            if (auto b = element(rec, "body")) {
                note_unclosed(b, "BODY");
                body = reuters_paragraphs(decode_entities(strip_tags(b->inner)));
            } else if (auto t = element(rec, "text"); t && !title) {
                note_unclosed(t, "TEXT");
                // TYPE="UNPROC": untagged text; its first line is the headline.
                std::string text = reuters_paragraphs(decode_entities(strip_tags(t->inner)));
                std::string_view tv(text);
                const std::size_t first = tv.find_first_not_of(" \t\n");
                if (first != std::string_view::npos) {
                    std::size_t nl = tv.find('\n', first);
                    if (nl == std::string_view::npos) nl = tv.size();
                    a.title = normalize_line(tv.substr(first, nl - first));
                    body = std::string(tv.substr(nl));
                }
            }
        } else if (auto blocks = elements(rec, "text")) {
            // Every <TEXT> block of the record, each its own paragraph(s).
            for (const auto& block : *blocks) {
                note_unclosed(block, "TEXT");
                if (!body.empty()) body += "\n\n";
                body += decode_entities(strip_tags(block.inner));
            }
        }
        a.body = normalize_whitespace(body);
        // A title without text (Reuters' TYPE="BRIEF" items: the headline is
        // the news) is read, and indexed title-only.
        if (a.body.empty() && a.title.empty()) {
            skip("empty text", "id " + a.id);
            return false;
        }
        a.location = lines_.path() + ":" + std::to_string(start_line_);
        if (repaired_line_ != 0)
            diag_.report({Severity::Warning, lines_.path(), repaired_line_, kInvalidUtf8Repaired, "id " + a.id});
        if (control_line_ != 0)
            diag_.report({Severity::Warning, lines_.path(), control_line_, kControlsReplaced, "id " + a.id});
        if (!unclosed_.empty())
            diag_.report({Severity::Warning, lines_.path(), start_line_, "unclosed element",
                          "id " + a.id + ": <" + unclosed_ + "> has no closing tag, read to where it ends"});
        if (a.date.empty() && !raw_date.empty())
            diag_.report(
                {Severity::Warning, lines_.path(), start_line_, "unparsable date", "id " + a.id + ": " + raw_date});
        out = std::move(a);
        return true;
    }

    LineReader lines_;
    Diagnostics& diag_;
    std::size_t max_bytes_;
    bool sniffed_ = false;
    bool binary_ = false;
    std::string line_;  // current line, UTF-8 repaired
    std::size_t pos_ = 0;
    bool line_pending_ = false;
    bool line_repaired_ = false;
    bool line_controls_ = false;
    bool in_record_ = false;
    bool any_record_ = false;              // a record began (read, skipped, cut off or taken in by unclosed markup)
    bool ended_ = false;                   // the end of the file was reached
    MarkupScanner markup_;                 // between records: a comment, instruction or DOCTYPE left open on a line
    std::uint64_t markup_line_ = 0;        // where it began
    std::uint64_t records_in_markup_ = 0;  // record starts within it
    std::uint64_t outside_line_ = 0;       // where text outside the records began, unreported; 0: none
    Kind kind_ = Kind::Reuters;
    std::uint64_t start_line_ = 0;
    std::uint64_t repaired_line_ = 0;
    std::uint64_t control_line_ = 0;
    std::string record_;
    std::string unclosed_;            // the first element of the record being parsed left open, "" if none
    std::uint64_t record_bytes_ = 0;  // of the current record, kept in record_ or not
    bool too_large_ = false;          // the current record is over max_bytes_: only counted
    // The record's closing tag and the next record's opening tag on the
    // current line, found once a line: the comments of a record's line are
    // passed over one after the other, and looking for both again after
    // each took time quadratic in the line.
    struct LineFind {
        std::uint64_t line = 0;  // 0: nothing found yet
        std::size_t from = 0, at = std::string_view::npos;
        template <typename Find>
        std::size_t find(std::uint64_t line_number, std::size_t pos, Find f) {
            if (line != line_number || pos < from || (at != std::string_view::npos && at < pos)) {
                line = line_number;
                from = pos;
                at = f(pos);
            }
            return at;
        }
    };
    LineFind close_, restart_;
    bool comment_open_ = false;       // within a comment of the current record, at pos_
    std::uint64_t comment_at_ = 0;    // where in the record it began (record_bytes_ then)
    std::uint64_t comment_line_ = 0;  // and on which line
};

}  // namespace

std::unique_ptr<ArticleReader> open_sgml_reader(const InputPath& path, Diagnostics& diag, std::size_t max_bytes) {
    return std::make_unique<SgmlReader>(path, diag, max_bytes);
}

}  // namespace trawl::corpus
