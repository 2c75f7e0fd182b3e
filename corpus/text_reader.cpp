// Text format: one article per file; the first non-empty line is the title,
// the rest is the body in blank-line-separated paragraphs.
#include "article_reader.hpp"
#include "byte_source.hpp"
#include "normalize.hpp"

namespace trawl::corpus {
namespace {

class TextReader final : public ArticleReader {
public:
    TextReader(const std::string& path, std::string id_base, Diagnostics& diag)
        : lines_(open_byte_source(path)), id_base_(std::move(id_base)), diag_(diag) {}

    bool next(Article& out) override {
        if (done_) return false;
        done_ = true;

        std::string line, title, body;
        std::uint64_t repaired_line = 0;
        // The first kSniffBytes of the file decide whether it is text at all.
        std::string head;
        bool sniffed = false;
        while (lines_.next(line)) {
            if (!sniffed) {
                head.append(line, 0, kSniffBytes - head.size());
                if (head.size() < kSniffBytes) head += '\n';
                if (head.size() >= kSniffBytes) {
                    sniffed = true;
                    if (is_binary(head)) return false;
                }
            }
            bool repaired = false;
            std::string fixed = repair_utf8(line, &repaired);
            if (repaired && repaired_line == 0) repaired_line = lines_.line_number();
            if (title.empty()) {
                title = normalize_line(fixed);
                continue;
            }
            body += fixed;
            body += '\n';
        }

        if (!sniffed && is_binary(head)) return false;

        Article a;
        a.id = id_base_;
        a.title = std::move(title);
        a.body = normalize_whitespace(body);
        a.location = lines_.path();
        // For a walked folder the first directory is the section ("business/001" -> "business").
        a.source = folder_source(id_base_);
        if (a.body.empty()) {
            diag_.report({Severity::Skipped, a.location, 0, "empty text", a.title.empty() ? "" : "title only"});
            return false;
        }
        if (repaired_line != 0)
            diag_.report({Severity::Warning, a.location, repaired_line, "invalid UTF-8 repaired", ""});
        out = std::move(a);
        return true;
    }

    std::uint64_t bytes_read() const override { return lines_.raw_bytes_read(); }

private:
    static constexpr std::size_t kSniffBytes = 8192;

    bool is_binary(const std::string& head) {
        if (!looks_binary(head)) return false;
        diag_.report({Severity::Skipped, lines_.path(), 0, "binary file", ""});
        return true;
    }

    LineReader lines_;
    std::string id_base_;
    Diagnostics& diag_;
    bool done_ = false;
};

}  // namespace

std::unique_ptr<ArticleReader> open_text_reader(const std::string& path, const std::string& id_base,
                                                Diagnostics& diag) {
    return std::make_unique<TextReader>(path, id_base, diag);
}

}  // namespace trawl::corpus
