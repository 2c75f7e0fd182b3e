// Format names, the input walk (files and directories -> InputFile list with a
// resolved format) and the reader that chains per-file readers.
#include "corpus/read/article_reader.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>

#include "corpus/base/error.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/read/markup_scanner.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Files a directory walk leaves out: hidden ones and the data folders' own docs.
bool skipped_in_walk(const std::string& name) {
    if (name.empty() || name[0] == '.') return true;
    if (name == "SOURCE.md" || name.starts_with("README")) return true;
    return lower(name).ends_with(".md");
}

// A saved web page's own folder ("Web page, complete": "Story_files" beside
// "Story.html"), whose scripts, style sheets and assets are not articles.
bool is_page_assets_folder(const fs::path& dir, const std::string& name) {
    constexpr std::string_view kSuffix = "_files";
    if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) return false;
    const std::string stem = name.substr(0, name.size() - kSuffix.size());
    std::error_code ec;
    for (const char* ext : {".html", ".htm", ".xhtml", ".shtml"})
        if (fs::is_regular_file(dir / (stem + ext), ec)) return true;
    return false;
}

// Files of a page's assets folder that a walk leaves out: code, style,
// fonts, images and source maps (the page's text is in its .html).
bool is_page_asset(const std::string& name) {
    static constexpr std::string_view kAssets[] = {
        ".js",  ".mjs", ".cjs",  ".css", ".map",  ".svg",  ".woff", ".woff2", ".ttf",  ".otf", ".eot",
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico",  ".bmp",   ".wasm", ".swf", ".download"};
    const std::string ext = lower(fs::path(name).extension().string());
    return std::find(std::begin(kAssets), std::end(kAssets), ext) != std::end(kAssets);
}

// Format from the extension of `name` (compression suffix already removed), or
// Auto (no or unknown extension: sniffed).
Format format_from_extension(const std::string& name) {
    const std::string ext = lower(fs::path(name).extension().string());
    if (ext == ".txt" || ext == ".text") return Format::Text;
    if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return Format::Jsonl;
    if (ext == ".csv") return Format::Csv;
    if (ext == ".tsv" || ext == ".tab") return Format::Tsv;
    if (ext == ".sgm" || ext == ".sgml" || ext == ".trec" || ext == ".xml") return Format::Sgml;
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return Format::Html;
    return Format::Auto;
}

// Format from the first bytes after decompression (and UTF-16 decoding): '{'
// is JSONL, an HTML doctype (XHTML's included) or <html>/<head> is HTML, also
// after an <?xml ...?> prolog, comments (a browser's "saved from") and a
// doctype of another name; WikiExtractor's lower-case <doc id=...> is Wiki,
// any other '<' is SGML, the rest text. CSV is never guessed. Throws
// InputError only when the file cannot be opened.
Format sniff_format(const InputPath& path) {
    auto src = open_byte_source(path);
    char buf[1024];
    std::size_t n = 0;
    try {
        while (n < sizeof buf) {
            std::size_t got = src->read(buf + n, sizeof buf - n);
            if (got == 0) break;
            n += got;
        }
    } catch (const InputError&) {
        // A compressed file that ends early: told by what came before the
        // break; its reader stops there again and reports it with its line.
    }
    std::string_view head(buf, n);
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    // What may come before a document's first element: comments, an XML
    // prolog (or another processing instruction) and one doctype, passed over
    // as the readers pass over them (its quoted ids may hold a '>').
    MarkupScanner markup;
    for (bool doctype_seen = false;;) {
        const std::size_t first = head.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos) return Format::Text;
        head.remove_prefix(first);
        const MarkupScanner::Kind kind = MarkupScanner::at(head);
        if (kind == MarkupScanner::Kind::None) break;
        if (kind == MarkupScanner::Kind::Doctype) {
            if (lower(head.substr(0, 15)).starts_with("<!doctype html")) return Format::Html;
            if (doctype_seen) break;
            doctype_seen = true;
        }
        if (!markup.pass(head)) return Format::Sgml;  // not ended within the first bytes
    }
    if (head[0] == '{') return Format::Jsonl;
    if (head[0] != '<') return Format::Text;
    const std::string tag = lower(head.substr(0, 15));
    if (tag.starts_with("<html") || tag.starts_with("<head")) return Format::Html;
    // Case-sensitive: TREC's <DOC> (or <doc>) has no attributes; WikiExtractor writes <doc id="12" url=...>.
    if (head.starts_with("<doc ") || head.starts_with("<doc\t")) {
        const std::string_view open_tag = head.substr(0, head.find('>'));
        if (open_tag.find(" id=") != std::string_view::npos || open_tag.find("\tid=") != std::string_view::npos)
            return Format::Wiki;
    }
    return Format::Sgml;
}

// "dir/name.txt.gz" -> "dir/name"
std::string strip_extensions(const std::string& rel) {
    fs::path p(strip_compression_suffix(rel));
    if (p.has_extension()) p.replace_extension();
    return p.generic_string();
}

// The input at `path` (found as `rel`), its format resolved: by `format`, else
// by the extension of `rel`, else by sniffing the file (or its copy, `copy`).
InputFile make_input(const std::string& path, const std::string& rel, Format format, const std::string& copy = {}) {
    InputFile f{path, strip_extensions(rel), format, "", copy};
    if (f.format == Format::Auto) {
        f.format = format_from_extension(fs::path(strip_compression_suffix(rel)).filename().string());
        if (f.format == Format::Auto) {
            try {
                f.format = sniff_format(f.source());
            } catch (const InputError& e) {  // e.g. no permission: skipped when its turn comes, not fatal now
                f.format = Format::Text;
                f.unreadable = e.reason;
            }
        }
    }
    return f;
}

// A file (relative to the walked root) or, with `why`, an entry the walk could not use.
struct WalkEntry {
    fs::path rel;
    std::string why;
};

// The folders a walk does not enter (ReaderOptions::exclude), canonical.
struct Excluded {
    std::vector<fs::path> dirs;
    // Whether `dir` is one of them.
    bool is(const fs::path& dir) const {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(dir, ec);
        return !ec && std::find(dirs.begin(), dirs.end(), canonical) != dirs.end();
    }
    bool covers(const fs::path& dir, const std::string& name) const {
        for (const auto& d : dirs) {
            if (d.filename() != name) continue;  // a path compared only when its name matches
            std::error_code ec;
            if (fs::weakly_canonical(dir / name, ec) == d && !ec) return true;
        }
        return false;
    }
};

// A Xapian database (glass's `iamglass`) or a sharded index's stub
// (`XAPIANDB`): another index kept among the articles, whose tables and stub
// are not articles (a walk of `c/` with `c/old.idx` in it indexed its stub).
bool is_index_folder(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "iamglass", ec) || fs::exists(dir / "XAPIANDB", ec);
}

// Whether `path` (a symbolic link) leads into the folder `root`, or is it.
bool within(const fs::path& root, const fs::path& path) {
    std::error_code ec, root_ec;
    const fs::path target = fs::canonical(path, ec), top = fs::canonical(root, root_ec);
    if (ec || root_ec) return false;
    const auto [end, unused] = std::mismatch(top.begin(), top.end(), target.begin(), target.end());
    return end == top.end();
}

// Collects the files below root/rel into `found`. Hidden entries are left
// out and hidden folders not entered, as are the `excluded` folders (the
// index being written) and any other index (is_index_folder()); a symbolic
// link to a folder is not followed, and collected with that reason when it
// leads out of the walk (one within it is walked where it is). In a
// saved page's assets folder (`assets`), code, style and asset files are
// left out. An entry that cannot be used (a link loop or dangling link, a
// folder that cannot be read) is collected with the reason: one bad entry
// costs that entry, not the run.
void walk(const fs::path& root, const fs::path& rel, std::vector<WalkEntry>& found, const Excluded& excluded,
          bool assets = false) {
    std::error_code ec;
    fs::directory_iterator it(root / rel, ec);
    if (ec) {
        if (rel.empty()) throw InputError(root.string(), 0, "cannot read directory: " + ec.message());
        found.push_back({rel, "cannot read directory: " + ec.message()});
        return;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code st_ec;
        const fs::file_status own = it->symlink_status(st_ec);
        if (st_ec) {
            found.push_back({rel / name, "cannot read entry: " + st_ec.message()});
            continue;
        }
        if (fs::is_directory(own)) {
            if (excluded.covers(root / rel, name) || is_index_folder(root / rel / name)) continue;
            walk(root, rel / name, found, excluded, assets || is_page_assets_folder(root / rel, name));
            continue;
        }
        if (skipped_in_walk(name) || (assets && is_page_asset(name))) continue;
        const fs::file_status target = fs::is_symlink(own) ? it->status(st_ec) : own;
        if (st_ec) {
            found.push_back({rel / name, "cannot follow symbolic link: " + st_ec.message()});
            continue;
        }
        if (fs::is_regular_file(target)) found.push_back({rel / name, ""});
        else if (fs::is_directory(target)) {  // not followed (a loop, or a folder walked twice)
            // Said when what it links to is outside the walk: its articles are not read.
            if (!within(root, root / rel / name))
                found.push_back({rel / name, "a symbolic link to a folder, not followed; give it by name to read it"});
        } else {  // a FIFO would block the walk
            found.push_back({rel / name, "not a regular file (a FIFO, socket or device); give it by name to read it"});
        }
    }
    // increment() ends the listing on a read error: the rest of this folder is lost, and said so.
    if (ec) found.push_back({rel, "cannot read directory: " + ec.message()});
}

// Reads every input in turn, opening each file only when its turn comes.
class CorpusReader final : public ArticleReader {
public:
    CorpusReader(std::vector<InputFile> inputs, ReaderOptions opts, Diagnostics& diag)
        : inputs_(std::move(inputs)), opts_(std::move(opts)), diag_(diag) {}

    bool next(Article& out) override {
        for (;;) {
            if (!current_) {
                if (index_ == inputs_.size()) return false;
                const InputFile& in = inputs_[index_++];
                if (!in.unreadable.empty()) {
                    diag_.report({Severity::Skipped, in.path, 0, "unreadable input", in.unreadable});
                    continue;
                }
                if (is_empty_file(in)) {
                    diag_.report({Severity::Skipped, in.path, 0, "empty file", ""});
                    continue;
                }
                try {
                    current_ = open(in);
                } catch (const InputError& e) {
                    skip_unreadable(e, "");
                    continue;
                }
            }
            try {
                if (current_->next(out)) return true;
            } catch (const InputError& e) {
                // A truncated or unreadable file: what was read of it stands,
                // the rest of it is skipped and counted; the next file goes on.
                skip_unreadable(e, "rest of the file skipped");
            }
            finished_bytes_ += current_->bytes_read();
            current_.reset();
        }
    }
    std::uint64_t bytes_read() const override { return finished_bytes_ + (current_ ? current_->bytes_read() : 0); }
    std::uint64_t bytes_total() const override {
        std::uint64_t total = 0;
        for (const InputFile& in : inputs_) {
            if (!in.unreadable.empty()) continue;
            const std::string& file = in.source().file;
            std::error_code ec;
            if (is_read_once(file) || !fs::is_regular_file(file, ec)) return 0;
            total += fs::file_size(file, ec);
        }
        return total;
    }

private:
    static bool is_empty_file(const InputFile& in) {
        const std::string& file = in.source().file;
        if (is_read_once(file)) return false;
        std::error_code ec;
        return fs::is_regular_file(file, ec) && fs::file_size(file, ec) == 0 && !ec;
    }

    void skip_unreadable(const InputError& e, const std::string& what_next) {
        std::string why = e.reason;
        if (!what_next.empty()) why += "; " + what_next;
        diag_.report({Severity::Skipped, e.file, e.line, "unreadable input", why});
    }

    std::unique_ptr<ArticleReader> open(const InputFile& in) {
        const std::size_t max = opts_.max_article_bytes;
        const InputPath src = in.source();
        switch (in.format) {
            case Format::Jsonl:
                return open_jsonl_reader(src, opts_.fields, diag_, max);
            case Format::Csv:
                return open_csv_reader(src, in.id_base, ',', opts_.fields, diag_, max);
            case Format::Tsv:
                return open_csv_reader(src, in.id_base, '\t', opts_.fields, diag_, max);
            case Format::Sgml:
                return open_sgml_reader(src, diag_, max);
            case Format::Html:
                return open_html_reader(src, in.id_base, diag_, max);
            case Format::Wiki:
                return open_wiki_reader(src, diag_, max);
            case Format::Text:
            case Format::Auto:
                break;
        }
        return open_text_reader(src, in.id_base, diag_, max);
    }

    std::vector<InputFile> inputs_;
    ReaderOptions opts_;
    Diagnostics& diag_;
    std::size_t index_ = 0;
    std::unique_ptr<ArticleReader> current_;
    std::uint64_t finished_bytes_ = 0;
};

}  // namespace

bool is_read_once(const std::string& path) {
    if (path == "-") return true;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    return !ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st);
}

Format parse_format(const std::string& name) {
    if (name == "auto") return Format::Auto;
    if (name == "text") return Format::Text;
    if (name == "jsonl") return Format::Jsonl;
    if (name == "csv") return Format::Csv;
    if (name == "tsv") return Format::Tsv;
    if (name == "sgml") return Format::Sgml;
    if (name == "html") return Format::Html;
    if (name == "wiki" || name == "wikiextractor") return Format::Wiki;
    throw UsageError("unknown format '" + name + "' (expected auto, text, jsonl, csv, tsv, sgml, html or wiki)");
}

const char* format_name(Format f) {
    switch (f) {
        case Format::Auto:
            return "auto";
        case Format::Text:
            return "text";
        case Format::Jsonl:
            return "jsonl";
        case Format::Csv:
            return "csv";
        case Format::Tsv:
            return "tsv";
        case Format::Sgml:
            return "sgml";
        case Format::Html:
            return "html";
        case Format::Wiki:
            return "wiki";
    }
    return "?";
}

namespace {

std::atomic<std::uint64_t> walks{0};

// Appends the input files of `path` (one of list_inputs' paths) to `out`.
void list_input(const std::string& path, Format format, const std::map<std::string, std::string>& spooled,
                const Excluded& excluded, std::vector<InputFile>& out) {
    if (const auto copy = spooled.find(path); copy != spooled.end()) {  // read from its copy, as a file is
        out.push_back(
            make_input(path, path == "-" ? "stdin" : fs::path(path).filename().string(), format, copy->second));
        return;
    }
    if (path == "-") {
        if (format == Format::Auto)
            throw UsageError(
                "reading standard input needs an explicit format (--format text|jsonl|csv|tsv|sgml|html|wiki)");
        out.push_back({path, "stdin", format});
        return;
    }
    if (is_read_once(path)) {  // as "-": not sniffed, so the format is given or in the name
        const std::string name = fs::path(path).filename().string();
        const Format f = format == Format::Auto
                             ? format_from_extension(fs::path(strip_compression_suffix(name)).filename().string())
                             : format;
        if (f == Format::Auto)
            throw UsageError(path +
                             ": not a regular file (a pipe, FIFO or device), read only once, so its format cannot "
                             "be sniffed: give it with --format text|jsonl|csv|tsv|sgml|html|wiki");
        out.push_back({path, strip_extensions(name), f});
        return;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        throw InputError(path, 0, "cannot open: " + (ec ? ec.message() : std::string("No such file or directory")));
    }
    // An index is no corpus: its stub and tables would be read as articles
    // (a sharded index's XAPIANDB is text), the one being written among them.
    // (A file in the --db folder is left to the index's own check: the
    // folder may be a folder of the user's, which no index is made in.)
    const bool dir = fs::is_directory(st);
    fs::path folder = dir ? fs::path(path) : fs::path(path).parent_path();
    if (folder.empty()) folder = ".";
    const bool written = dir && excluded.is(folder);
    if (written || is_index_folder(folder))
        throw InputError(path, 0,
                         std::string(dir ? "is " : "is a file of ") +
                             (written ? "the index this run writes (--db)" : "an index (a Xapian database)") +
                             ", not articles to read: give the files or folders the articles are read from");
    if (!dir) {
        out.push_back(make_input(path, fs::path(path).filename().string(), format));
        return;
    }
    ++walks;
    std::vector<WalkEntry> found;
    const fs::path root(path);
    walk(root, {}, found, excluded);
    std::sort(found.begin(), found.end(),
              [](const WalkEntry& a, const WalkEntry& b) { return a.rel.generic_string() < b.rel.generic_string(); });
    for (const WalkEntry& e : found) {
        if (e.why.empty()) {
            out.push_back(make_input((root / e.rel).string(), e.rel.generic_string(), format));
        } else {
            out.push_back({(root / e.rel).string(), strip_extensions(e.rel.generic_string()),
                           format == Format::Auto ? Format::Text : format, e.why});
        }
    }
}

}  // namespace

std::vector<InputFile> list_inputs(const std::vector<std::string>& paths, Format format,
                                   const std::map<std::string, std::string>& spooled,
                                   const std::vector<std::string>& exclude) {
    Excluded excluded;
    for (const auto& e : exclude) {
        std::error_code ec;
        auto canonical = fs::weakly_canonical(e, ec);
        if (!ec) excluded.dirs.push_back(canonical.has_filename() ? canonical : canonical.parent_path());
    }
    std::vector<InputFile> out;
    for (std::size_t argument = 0; argument < paths.size(); ++argument) {
        const std::size_t first = out.size();
        list_input(paths[argument], format, spooled, excluded, out);
        for (std::size_t i = first; i < out.size(); ++i) out[i].argument = argument;
    }
    return out;
}

std::uint64_t directory_walks() { return walks.load(); }

namespace {

// "64 MB", "1.5 MB" (MiB, as --max-article-mb counts them).
std::string megabytes(std::uint64_t bytes) {
    char buf[32];
    if (bytes % (1u << 20) == 0)
        std::snprintf(buf, sizeof buf, "%llu MB", static_cast<unsigned long long>(bytes >> 20));
    else std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1u << 20));
    return buf;
}

}  // namespace

bool binary_file(LineReader& lines, Diagnostics& diag) {
    if (!looks_binary(lines.peek(kBinarySniffBytes))) return false;
    diag.report({Severity::Skipped, lines.path(), 0, "binary file", ""});
    return true;
}

Diagnostic article_too_large(const std::string& file, std::uint64_t line, std::uint64_t bytes, std::size_t limit) {
    return {Severity::Skipped, file, line, "article too large",
            megabytes(bytes) + ", limit " + megabytes(limit) + "; --max-article-mb"};
}

std::string folder_source(std::string_view id_base) {
    const std::size_t slash = id_base.find('/');
    return slash == std::string_view::npos ? std::string() : std::string(id_base.substr(0, slash));
}

std::vector<InputFile> list_corpus(const std::vector<std::string>& paths, const ReaderOptions& opts) {
    std::vector<InputFile> inputs = list_inputs(paths, opts.format, opts.spooled, opts.exclude);
    // A CSV/TSV header that cannot be mapped stops the run before any article is read.
    for (const InputFile& in : inputs) {
        if (is_read_once(in.source().file) || !in.unreadable.empty() ||
            (in.format != Format::Csv && in.format != Format::Tsv))
            continue;  // (the header of an input read once is checked when it is read)
        Diagnostics ignored;
        open_csv_reader(in.source(), in.id_base, in.format == Format::Csv ? ',' : '\t', opts.fields, ignored,
                        opts.max_article_bytes);
    }
    return inputs;
}

std::unique_ptr<ArticleReader> open_inputs(std::vector<InputFile> inputs, const ReaderOptions& opts,
                                           Diagnostics& diag) {
    return std::make_unique<CorpusReader>(std::move(inputs), opts, diag);
}

std::unique_ptr<ArticleReader> open_corpus(const std::vector<std::string>& paths, const ReaderOptions& opts,
                                           Diagnostics& diag) {
    return open_inputs(list_corpus(paths, opts), opts, diag);
}

}  // namespace trawl::corpus
