// Text format: one article per file; the first non-empty line is the title,
// the rest is the body in blank-line-separated paragraphs.
#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace {

class TextReader final : public ArticleReader {
public:
    TextReader(const InputPath& path, std::string id_base, Diagnostics& diag, std::size_t max_bytes)
        : lines_(open_byte_source(path, &diag), max_bytes),
          id_base_(std::move(id_base)),
          diag_(diag),
          max_bytes_(max_bytes) {}

    bool next(Article& out) override {
        if (done_) return false;
        done_ = true;

        // The first bytes decide whether it is text at all, before any line is
        // read: a file of NULs without a newline is one endless "line".
        if (binary_file(lines_, diag_)) return false;
        std::string line, title, body;
        std::uint64_t repaired_line = 0, control_line = 0;
        std::uint64_t bytes = 0;  // of the file so far, newlines included
        bool too_large = false;
        while (lines_.next(line)) {
            bytes += lines_.line_bytes() + 1;
            if (too_large || lines_.too_long() || bytes > max_bytes_) {
                if (!too_large) std::string().swap(body);  // read on only to count the bytes
                too_large = true;
                continue;
            }
            bool repaired = false, controls = false;
            std::string fixed = repair_utf8(line, &repaired, &controls);
            if (repaired && repaired_line == 0) repaired_line = lines_.line_number();
            if (controls && control_line == 0) control_line = lines_.line_number();
            if (title.empty()) {
                title = normalize_line(fixed);
                continue;
            }
            body += fixed;
            body += '\n';
        }
        if (too_large) {
            diag_.report(article_too_large(lines_.path(), 0, bytes, max_bytes_));
            return false;
        }

        Article a;
        a.id = id_base_;
        a.title = std::move(title);
        a.body = normalize_whitespace(body);
        a.location = lines_.path();
        // For a walked folder the first directory is the section ("business/001" -> "business").
        a.source = folder_source(id_base_);
        if (a.body.empty() && a.title.empty()) {  // a title alone is read (indexed title-only)
            diag_.report({Severity::Skipped, a.location, 0, "empty text", ""});
            return false;
        }
        if (repaired_line != 0) diag_.report({Severity::Warning, a.location, repaired_line, kInvalidUtf8Repaired, ""});
        if (control_line != 0) diag_.report({Severity::Warning, a.location, control_line, kControlsReplaced, ""});
        out = std::move(a);
        return true;
    }

    std::uint64_t bytes_read() const override { return lines_.raw_bytes_read(); }

private:
    LineReader lines_;
    std::string id_base_;
    Diagnostics& diag_;
    std::size_t max_bytes_;
    bool done_ = false;
};

}  // namespace

std::unique_ptr<ArticleReader> open_text_reader(const InputPath& path, const std::string& id_base, Diagnostics& diag,
                                                std::size_t max_bytes) {
    return std::make_unique<TextReader>(path, id_base, diag, max_bytes);
}

}  // namespace trawl::corpus
