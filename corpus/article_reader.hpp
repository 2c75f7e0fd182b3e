// Reading a corpus: one interface, one reader per on-disk format, and
// open_corpus() that walks files and directories and picks a reader per file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "article.hpp"
#include "diagnostics.hpp"

namespace trawl::corpus {

enum class Format {
    Auto,   // by extension (after .zst/.gz), then by sniffing the first bytes
    Text,   // one article per file: first non-empty line = title, blank-line paragraphs
    Jsonl,  // one JSON object per line (BEIR layout by default)
    Sgml,   // TREC <DOC> or Reuters-21578 <REUTERS> records
};

// Parses "auto|text|jsonl|sgml"; throws UsageError otherwise.
Format parse_format(const std::string& name);
const char* format_name(Format f);

struct JsonlFields {
    std::string id = "_id";
    std::string title = "title";
    std::string text = "text";
    std::string date = "date";      // optional in the data
    std::string source = "source";  // optional in the data
};

struct ReaderOptions {
    Format format = Format::Auto;
    JsonlFields jsonl;
};

// Streams the articles of one or several inputs. Articles come out with their
// body already normalised (UTF-8 repaired, whitespace folded; see normalize.hpp).
// Records that cannot be used are reported to `diag` and not returned.
class ArticleReader {
public:
    virtual ~ArticleReader() = default;
    // false at the end. Throws InputError only when a whole input is unreadable.
    virtual bool next(Article& out) = 0;
    // Compressed bytes read from disk so far (for progress/throughput).
    virtual std::uint64_t bytes_read() const = 0;
};

// One reader per format, over one file. `id_base` is the article id to use for
// one-article-per-file formats (Text): the path relative to the walked root,
// without extension.
std::unique_ptr<ArticleReader> open_text_reader(const std::string& path, const std::string& id_base,
                                                Diagnostics& diag);
std::unique_ptr<ArticleReader> open_jsonl_reader(const std::string& path, const JsonlFields& fields,
                                                 Diagnostics& diag);
std::unique_ptr<ArticleReader> open_sgml_reader(const std::string& path, Diagnostics& diag);

// Expands `paths` (files, or directories walked recursively in sorted order;
// hidden files and SOURCE.md/README* files skipped) into the list of input files.
struct InputFile {
    std::string path;     // as given / as found
    std::string id_base;  // relative path from the root argument, compression and format extension removed
    Format format;        // resolved (never Auto)
};
std::vector<InputFile> list_inputs(const std::vector<std::string>& paths, Format format);

// A reader over all inputs in turn. Throws InputError for a path that does not exist.
// A file that cannot be read to its end (truncated .gz/.zst, read error) is not
// fatal: its records read so far stand, the rest of it is reported as one
// "unreadable input" skip naming the file, and the next file follows. An empty
// file is skipped and counted ("empty file").
std::unique_ptr<ArticleReader> open_corpus(const std::vector<std::string>& paths, const ReaderOptions& opts,
                                           Diagnostics& diag);

}  // namespace trawl::corpus
