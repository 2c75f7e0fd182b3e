// CSV and TSV with a header row: a streaming RFC 4180 parser over ByteSource
// (quoted fields may hold separators, doubled quotes and line breaks; CRLF or
// LF; a UTF-8 byte-order mark is ignored) and the reader that maps the
// header's columns to article fields (field_mapping.hpp).
#include <algorithm>
#include <array>

#include "corpus/base/error.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/text/date.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace {

// How one physical line would read as a row of its own, fed byte by byte:
// the test CsvParser::quoted_rows() applies to the lines a quoted field
// swallowed. A line looks like a row when it has the header's number of
// fields (quotes at the start of a field honoured on that line alone), or at
// least two but no more when its last one is a quoted field still open at
// the line's end (a row whose multi-line field goes on), and, when the
// header has an id column, its id field is not empty and holds no space.
class LineShape {
public:
    LineShape(char sep, std::size_t fields, std::size_t id_column) : sep_(sep), want_(fields), id_(id_column) {}

    // Feeds one byte; true when it ends a line that looks like a row.
    bool feed(int c) {
        const bool after_cr = after_cr_;
        after_cr_ = false;
        if (c == '\n' && after_cr) return false;  // CR-LF: the CR ended the line
        if (c == '\r' || c == '\n') {
            const bool row = finish();
            after_cr_ = c == '\r';
            return row;
        }
        if (c == '"') {
            if (quoted_) {  // closes the field, or is the first of a doubled quote
                quoted_ = false;
                closed_ = true;
                return false;
            }
            if (closed_) {  // a doubled quote: back inside the field
                quoted_ = true;
                closed_ = false;
                count(c);
                return false;
            }
            if (field_start_) {
                quoted_ = true;
                field_start_ = false;
                return false;
            }
        }
        closed_ = false;
        if (c == sep_ && !quoted_) {
            ++fields_;
            field_start_ = true;
            return false;
        }
        field_start_ = false;
        count(c);
        return false;
    }

    // Inside a quoted field of the line read alone.
    bool quoted() const { return quoted_; }

    // Ends the current line (the input's last one has no newline).
    bool finish() {
        const bool fields = quoted_ ? fields_ >= 2 && fields_ <= want_ : fields_ == want_;
        const bool row = fields && (id_ == kNoColumn || (id_bytes_ > 0 && !id_space_));
        *this = LineShape(sep_, want_, id_);
        return row;
    }

private:
    void count(int c) {
        if (fields_ - 1 != id_) return;
        ++id_bytes_;
        if (c == ' ' || c == '\t') id_space_ = true;
    }

    char sep_;
    std::size_t want_;
    std::size_t id_;
    std::size_t fields_ = 1;
    bool field_start_ = true;
    bool quoted_ = false;
    bool closed_ = false;
    std::size_t id_bytes_ = 0;
    bool id_space_ = false;
    bool after_cr_ = false;  // the last byte fed was a CR (which ends a line, alone or before a LF)
};

// The columns a header row may have: a row's fields are kept up to the
// header's number, each a string, so a header of millions of empty names
// (64 MB of commas) would cost gigabytes; no table of articles has so many.
constexpr std::size_t kMaxColumns = 65536;

// Splits a byte stream into records of fields. Lenient where RFC 4180 is
// silent: a quote inside an unquoted field is kept, text after a closing
// quote is appended to the field (text_after_quote_line() says where: a
// warning), a lone CR ends a line. In TSV, a field
// whose opening quote is never closed is read again from that quote as
// unquoted text (the quote kept; recovered_quote_line() says where): a stray
// quote at the start of a value swallowed the rest of the file.
class CsvParser {
public:
    enum class Status { Record, End, Truncated, TooLarge };

    CsvParser(std::unique_ptr<ByteSource> src, char separator, std::size_t max_bytes)
        : src_(std::move(src)), sep_(separator), max_bytes_(max_bytes) {}

    // The first n bytes of the input (fewer if it is shorter, or live and a
    // line is whole: ByteSource::live()), before any record is read.
    std::string_view head(std::size_t n) {
        while (buf_.size() - pos_ < n && !eof_ && !probe_may_stop(src_->live(), std::string_view(buf_).substr(pos_)))
            fill_at_least(buf_.size() - pos_ + 1);
        return std::string_view(buf_).substr(pos_, std::min(n, buf_.size() - pos_));
    }

    // Reads the next record. Truncated: the input ended inside a quoted field
    // (the partial record is dropped). TooLarge: the record was over max_bytes:
    // read to its end but not kept (`fields` is empty; record_bytes() says how
    // long it was). record_line() is the record's first line. At most
    // keep_fields() fields are kept in `fields`; field_count() counts them all.
    Status next(std::vector<std::string>& fields) {
        fields.clear();
        field_count_ = 0;
        text_beyond_kept_ = false;
        too_large_ = false;
        if (first_) {
            first_ = false;
            if (peek() == 0xEF && fill_at_least(3) && buf_[pos_ + 1] == '\xBB' && buf_[pos_ + 2] == '\xBF') pos_ += 3;
        }
        record_line_ = line_;
        record_start_ = offset_;
        recovered_quote_line_ = 0;
        spanning_line_ = 0;
        quoted_rows_ = 0;
        bad_close_ = false;
        closing_row_ = false;
        after_close_ = false;
        text_after_quote_line_ = 0;
        close_line_ = 0;
        if (peek() < 0) return Status::End;
        std::string field;
        for (;;) {
            int c = get();
            if (c == '"' && field.empty() && !quoted_) {
                quoted_ = true;
                quote_line_ = line_;
                const std::uint64_t after_quote = offset_;
                if (read_quoted(field)) {  // whatever follows the closing quote is handled below
                    const int after = peek();
                    if (spanning_line_ && after >= 0 && after != sep_ && after != '\n' && after != '\r')
                        bad_close_ = true;
                    else if (spanning_line_ && shape_.quoted())
                        close_line_ = line_;  // the quote opens a field of its line read alone
                    after_close_ = !spanning_line_;
                    continue;
                }
                if (sep_ != '\t' || too_large_) {
                    end_line_ = line_ - (last_newline_ ? 1 : 0);
                    return Status::Truncated;
                }
                // Read what followed the quote again, as unquoted text. It
                // was all read (the input ended), and every quote in it was
                // doubled (a single one would have closed the field).
                std::string again;
                again.reserve(field.size());
                for (const char ch : field) {
                    again += ch;
                    if (ch == '"') again += '"';
                }
                buf_ = std::move(again);
                pos_ = 0;
                line_ = quote_line_;
                spanning_line_ = 0;  // its lines are read again as fields
                quoted_rows_ = 0;
                offset_ = after_quote;
                recovered_quote_line_ = quote_line_;
                field = "\"";
                continue;
            }
            if (c == sep_) {
                keep(fields, field);
                quoted_ = false;
                after_close_ = false;
                continue;
            }
            if (c < 0 || c == '\n' || c == '\r') {
                after_close_ = false;
                if (c == '\r' && peek() == '\n') get();
                last_line_ = line_;
                if (spanning_line_ && c < 0 && shape_.finish()) row_ended();  // (a line break was fed)
                if (c >= 0) ++line_;
                keep(fields, field);
                quoted_ = false;
                if (!too_large_) return Status::Record;
                fields.clear();
                return Status::TooLarge;
            }
            // Text after a quoted field's closing quote, on its line (RFC
            // 4180 has none): appended to the field, as other readers do,
            // and said once a record (a quote inside the field not doubled:
            // "said "no" today").
            if (after_close_ && c != ' ' && c != '\t' && text_after_quote_line_ == 0) text_after_quote_line_ = line_;
            add(field, c);
        }
    }

    std::uint64_t record_line() const { return record_line_; }
    // After Record: the line of the record's first quoted field (on one line)
    // whose closing quote is followed by more than blanks before the
    // separator or the line's end; 0: none.
    std::uint64_t text_after_quote_line() const { return text_after_quote_line_; }
    // The fields of a record kept from now on: those after the first `n`
    // are counted (field_count()) and dropped, only whether one held
    // anything kept (text_beyond_kept()). A row of 60 million empty fields
    // took 4 GB as strings; a record costs its bytes, not 32 more per field.
    void keep_fields(std::size_t n) { keep_ = n; }
    char separator() const { return sep_; }  // the one fields are split at
    // After Record: the record's fields, kept or not; whether one not kept held anything.
    std::size_t field_count() const { return field_count_; }
    bool text_beyond_kept() const { return text_beyond_kept_; }
    // After Truncated: the line of the quote never closed, and the input's
    // last line (the lines after the quote's were not read as records).
    std::uint64_t quote_line() const { return quote_line_; }
    std::uint64_t end_line() const { return end_line_; }
    // The line of a TSV quote the last record read as text (never closed), 0: none.
    std::uint64_t recovered_quote_line() const { return recovered_quote_line_; }
    std::uint64_t record_bytes() const { return offset_ - record_start_; }

    // Looks at the lines a quoted field swallows, in records read from now
    // on, for lines that look like rows of `fields` fields with the id in
    // `id_column` (kNoColumn: none; LineShape): a quote missing at the
    // end of a field makes the next closing quote, maybe rows later, end it.
    void watch_quoted_lines(std::size_t fields, std::size_t id_column) {
        if (fields >= 2) shape_ = LineShape(sep_, fields, id_column);
        watch_ = fields >= 2;
    }
    // After Record: the line of the quote opening the record's first field
    // that spans lines (0: none), and how many of the lines after it, to the
    // record's last line (last_line()), look like rows, when a quote closing
    // a field that spans lines is followed by more text instead of a
    // separator or the line's end (RFC 4180 has no such field: it is the
    // quote opening a word or field of a later row), or when that quote,
    // on the line read alone, opens a field and the line looks like a row
    // (a later row's multi-line field; a legitimate field's closing quote
    // ends its tail, mid-field); else 0.
    std::uint64_t spanning_line() const { return spanning_line_; }
    std::uint64_t quoted_rows() const { return bad_close_ || closing_row_ ? quoted_rows_ : 0; }
    std::uint64_t last_line() const { return last_line_; }
    std::uint64_t line() const { return line_; }
    const std::string& path() const { return src_->path(); }
    std::uint64_t raw_bytes_read() const { return src_->raw_bytes_read(); }

private:
    // Ends field `field` of the record: kept in `fields`, or counted.
    void keep(std::vector<std::string>& fields, std::string& field) {
        if (fields.size() < keep_) fields.push_back(std::move(field));
        else if (!field.empty()) text_beyond_kept_ = true;
        field.clear();
        ++field_count_;
    }

    // The line just ended (line_) looks like a row.
    void row_ended() {
        ++quoted_rows_;
        if (line_ == close_line_) closing_row_ = true;
    }

    // After the opening quote: up to the closing one; false at end of input.
    bool read_quoted(std::string& field) {
        for (;;) {
            const int c = get();
            if (c < 0) return false;
            if (c == '"') {
                if (peek() != '"') return true;
                get();
            } else if (c == '\n' || (c == '\r' && peek() != '\n')) {  // a line break: LF, CR-LF or a lone CR
                ++line_;
                if (watch_ && !spanning_line_) {  // from here on, every byte to the record's end is fed
                    spanning_line_ = quote_line_;
                    shape_.finish();
                }
            }
            add(field, c);
        }
    }

    // Appends to a field until the record is over max_bytes_; from then on the
    // record is only read to its end (its fields so far are dropped with it).
    void add(std::string& field, int c) {
        if (too_large_) return;
        if (offset_ - record_start_ > max_bytes_) {
            too_large_ = true;
            std::string().swap(field);
            return;
        }
        field += static_cast<char>(c);
    }

    int peek() {
        if (pos_ == buf_.size() && !refill()) return -1;
        return static_cast<unsigned char>(buf_[pos_]);
    }
    int get() {
        const int c = peek();
        if (c >= 0) {
            ++pos_, ++offset_;
            last_newline_ = c == '\n' || c == '\r';
            if (spanning_line_ && shape_.feed(c)) row_ended();
        }
        return c;
    }
    bool refill() {
        if (eof_) return false;
        buf_.resize(kChunk);
        const std::size_t n = src_->read(buf_.data(), buf_.size());
        buf_.resize(n);
        pos_ = 0;
        if (n == 0) eof_ = true;
        return n > 0;
    }
    // Makes at least n bytes available at pos_ (start of input only).
    bool fill_at_least(std::size_t n) {
        while (buf_.size() - pos_ < n && !eof_) {
            std::array<char, 64> more;
            const std::size_t got = src_->read(more.data(), more.size());
            if (got == 0) eof_ = true;
            buf_.append(more.data(), got);
        }
        return buf_.size() - pos_ >= n;
    }

    static constexpr std::size_t kChunk = 1 << 16;
    std::unique_ptr<ByteSource> src_;
    char sep_;
    std::size_t max_bytes_;
    std::string buf_;
    std::size_t pos_ = 0;
    bool eof_ = false;
    bool first_ = true;
    bool quoted_ = false;        // the current field began with a quote
    bool last_newline_ = false;  // the last byte read ended a line ('\n' or '\r')
    std::uint64_t quote_line_ = 0;
    std::uint64_t end_line_ = 0;
    std::uint64_t recovered_quote_line_ = 0;
    std::uint64_t line_ = 1;
    std::uint64_t record_line_ = 1;
    std::uint64_t offset_ = 0;            // bytes consumed (by get())
    std::uint64_t record_start_ = 0;      // offset_ where the current record began
    bool too_large_ = false;              // the current record is over max_bytes_
    std::size_t keep_ = kMaxColumns + 1;  // keep_fields() (the header: one more than a header may have)
    std::size_t field_count_ = 0;
    bool text_beyond_kept_ = false;
    bool watch_ = false;                  // watch_quoted_lines() was called
    LineShape shape_{',', 0, kNoColumn};  // the current line after a quoted field's first line break
    std::uint64_t spanning_line_ = 0;
    std::uint64_t quoted_rows_ = 0;
    std::uint64_t last_line_ = 0;
    bool bad_close_ = false;                   // a quoted field that spans lines closed before more text
    bool after_close_ = false;                 // in a field after the closing quote of its quoted part (on one line)
    std::uint64_t text_after_quote_line_ = 0;  // text_after_quote_line()
    std::uint64_t close_line_ = 0;             // where a field spanning lines closed with a field-opening quote
    bool closing_row_ = false;                 // ... looks like a row
};

class CsvReader final : public ArticleReader {
public:
    CsvReader(const InputPath& path, std::string id_base, char separator, const FieldMapping& fields, Diagnostics& diag,
              std::size_t max_bytes)
        : parser_(open_byte_source(path, &diag), separator, max_bytes),
          id_base_(std::move(id_base)),
          diag_(diag),
          max_bytes_(max_bytes) {
        if (looks_binary(parser_.head(kBinarySniffBytes))) {  // not a table: no header to complain about
            done_ = true;
            diag_.report({Severity::Skipped, parser_.path(), 0, "binary file", ""});
            return;
        }
        switch (parser_.next(header_)) {
            case CsvParser::Status::End:
                done_ = true;
                diag_.report({Severity::Skipped, parser_.path(), 0, "empty file", "no header row"});
                return;
            case CsvParser::Status::Truncated:
                throw InputError(parser_.path(), parser_.record_line(), "header row has an unterminated quote");
            case CsvParser::Status::TooLarge:
                throw InputError(parser_.path(), parser_.record_line(),
                                 "header row too large (" +
                                     article_too_large(parser_.path(), 0, parser_.record_bytes(), max_bytes_).detail +
                                     ")");
            case CsvParser::Status::Record:
                break;
        }
        if (parser_.field_count() > kMaxColumns)
            throw InputError(parser_.path(), parser_.record_line(),
                             "header row has " + std::to_string(parser_.field_count()) + " columns, more than " +
                                 std::to_string(kMaxColumns) + ": not a table of articles");
        // One column that holds another separator: the wrong format, which
        // the header's names (tabs shown as spaces) would hide.
        std::string other_separator;
        if (header_.size() == 1) {
            if (parser_.separator() != '\t' && header_[0].find('\t') != std::string::npos)
                other_separator = "tabs: a tab-separated file? name it .tsv or give --format tsv";
            else if (header_[0].find(';') != std::string::npos)
                other_separator = "';': semicolon-separated? Trawl reads ',' (CSV) and tab (TSV) separators";
            else if (parser_.separator() == '\t' && header_[0].find(',') != std::string::npos)
                other_separator = "commas: a comma-separated file? name it .csv or give --format csv";
        }
        for (std::string& name : header_) name = normalize_line(repair_utf8(name));
        columns_ = resolve_fields(fields, header_);
        if (!other_separator.empty() && column(Field::Text) == kNoColumn)
            throw InputError(parser_.path(), parser_.record_line(),
                             "the header is one column holding " + other_separator);
        for (std::size_t k = 0; k < kFieldCount; ++k) {
            const Field f = static_cast<Field>(k);
            if (columns_[k] == kNoColumn && !given_name(fields, f).empty())
                throw InputError(parser_.path(), parser_.record_line(),
                                 "no column \"" + given_name(fields, f) + "\" for the " + field_name(f) +
                                     " in the header (" + header_list() + ")");
        }
        if (column(Field::Text) == kNoColumn)
            throw InputError(parser_.path(), parser_.record_line(),
                             "no text column in the header (" + header_list() + "); name it with --text-field");
        parser_.watch_quoted_lines(header_.size(), column(Field::Id));
        parser_.keep_fields(header_.size());
    }

    bool next(Article& out) override {
        while (!done_) {
            switch (parser_.next(fields_)) {
                case CsvParser::Status::End:
                    done_ = true;
                    return false;
                case CsvParser::Status::Truncated: {
                    done_ = true;
                    ++row_;
                    const auto lost = parser_.end_line() - parser_.quote_line();
                    std::string detail = "unterminated quote from line " + std::to_string(parser_.quote_line()) +
                                         " to the end of the file";
                    if (lost > 0) detail += ": " + std::to_string(lost) + " lines not read";
                    skip("truncated record", detail);
                    return false;
                }
                case CsvParser::Status::TooLarge:
                    ++row_;
                    diag_.report(
                        article_too_large(parser_.path(), parser_.record_line(), parser_.record_bytes(), max_bytes_));
                    continue;
                case CsvParser::Status::Record:
                    break;
            }
            if (fields_.size() == 1 && fields_[0].empty()) continue;  // blank line
            ++row_;
            if (const auto q = parser_.recovered_quote_line())
                diag_.report({Severity::Warning, parser_.path(), q, "unterminated quote",
                              "the quote opening a field is never closed: read as text"});
            if (const auto q = parser_.text_after_quote_line())
                diag_.report({Severity::Warning, parser_.path(), q, "text after a closing quote",
                              "read as part of the field: is a quote inside it not doubled?"});
            if (const auto rows = parser_.quoted_rows()) {
                const auto from = parser_.spanning_line();
                diag_.report({Severity::Warning, parser_.path(), from, "rows inside a quoted field",
                              "quoted field from line " + std::to_string(from) + " runs to line " +
                                  std::to_string(parser_.last_line()) + " and holds " + std::to_string(rows) +
                                  (rows == 1 ? " line that looks" : " lines that look") +
                                  " like rows: is a quote missing?"});
            }
            if (parse(out)) return true;
        }
        return false;
    }

    std::uint64_t bytes_read() const override { return parser_.raw_bytes_read(); }

private:
    std::size_t column(Field f) const { return columns_[static_cast<std::size_t>(f)]; }

    // The raw value of field f in the current row; nullptr when the row is too short.
    const std::string* value(Field f) const {
        const std::size_t c = column(f);
        return c < fields_.size() ? &fields_[c] : nullptr;
    }

    std::string header_list() const {
        std::string out = "columns: ";
        for (std::size_t i = 0; i < header_.size(); ++i) out += (i ? ", " : "") + header_[i];
        return out;
    }

    void report(Severity s, const std::string& reason, std::string detail) {
        diag_.report({s, parser_.path(), parser_.record_line(), reason, std::move(detail)});
    }
    void skip(const std::string& reason, std::string detail) { report(Severity::Skipped, reason, std::move(detail)); }

    bool parse(Article& out) {
        bool repaired = false, controls = false;
        auto field = [&](Field f) {
            const std::string* v = value(f);
            if (!v) return std::string();
            bool r = false, c = false;
            std::string fixed = repair_utf8(*v, &r, &c);
            repaired = repaired || r;
            controls = controls || c;
            return fixed;
        };
        Article a;
        a.id = normalize_line(field(Field::Id));
        if (a.id.empty()) a.id = id_base_ + ":" + std::to_string(row_);
        if (!value(Field::Text)) {
            skip("missing text", "id " + a.id + ", " + std::to_string(parser_.field_count()) + " of " +
                                     std::to_string(header_.size()) + " fields");
            return false;
        }
        // More fields than columns: an unquoted separator in a value ("1,200 dollars")
        // shifted the row, so any field may hold part of another. Trailing empty
        // fields (a separator at the end of the row) lose nothing.
        if (parser_.text_beyond_kept()) {
            skip("too many fields", "id " + a.id + ", " + std::to_string(parser_.field_count()) +
                                        " fields, header has " + std::to_string(header_.size()));
            return false;
        }
        a.body = normalize_whitespace(field(Field::Text));
        a.title = normalize_line(field(Field::Title));
        if (a.body.empty() && a.title.empty()) {  // a title alone is read (indexed title-only)
            skip("empty text", "id " + a.id);
            return false;
        }
        const std::string raw_date = normalize_line(field(Field::Date));
        a.date = normalize_date(raw_date);
        a.source = normalize_line(field(Field::Source));
        a.location = parser_.path() + ":" + std::to_string(parser_.record_line());
        if (repaired) report(Severity::Warning, kInvalidUtf8Repaired, "id " + a.id);
        if (controls) report(Severity::Warning, kControlsReplaced, "id " + a.id);
        if (a.date.empty() && !raw_date.empty())
            report(Severity::Warning, "unparsable date", "id " + a.id + ": " + raw_date);
        out = std::move(a);
        return true;
    }

    CsvParser parser_;
    std::string id_base_;
    Diagnostics& diag_;
    std::size_t max_bytes_;
    std::vector<std::string> header_;
    std::vector<std::string> fields_;  // the current row (its first header_.size() fields)
    FieldColumns columns_{};
    std::uint64_t row_ = 0;  // data rows so far, blank lines not counted
    bool done_ = false;
};

}  // namespace

std::unique_ptr<ArticleReader> open_csv_reader(const InputPath& path, const std::string& id_base, char separator,
                                               const FieldMapping& fields, Diagnostics& diag, std::size_t max_bytes) {
    return std::make_unique<CsvReader>(path, id_base, separator, fields, diag, max_bytes);
}

}  // namespace trawl::corpus
