// Reading a corpus: one interface, one reader per on-disk format, and
// open_corpus() that walks files and directories and picks a reader per file.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/base/article.hpp"
#include "corpus/base/diagnostics.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/read/field_mapping.hpp"

namespace trawl::corpus {

enum class Format {
    Auto,   // by extension (after .zst/.gz), then by sniffing the first bytes
    Text,   // one article per file: first non-empty line = title, blank-line paragraphs
    Jsonl,  // one JSON object per line; keys per FieldMapping (BEIR _id/title/text auto-detected)
    Csv,    // comma-separated values with a header row (RFC 4180 quoting)
    Tsv,    // the same with tabs
    Sgml,   // TREC <DOC> or Reuters-21578 <REUTERS> records
    Html,   // one article per file: a saved web page
    Wiki,   // WikiExtractor output: <doc id=".." url=".." title=".."> records (Wikipedia)
};

// Parses "auto|text|jsonl|csv|tsv|sgml|html|wiki" ("wikiextractor" = "wiki"); throws UsageError otherwise.
Format parse_format(const std::string& name);
const char* format_name(Format f);

// The default of ReaderOptions::max_article_bytes (trawl-index --max-article-mb 64).
constexpr std::size_t kDefaultMaxArticleBytes = std::size_t(64) << 20;

struct ReaderOptions {
    Format format = Format::Auto;
    FieldMapping fields;  // JSONL and CSV/TSV
    // The largest record read: a JSONL line, CSV/TSV row, SGML record or line,
    // text or HTML file, in bytes after decompression. A larger one is never
    // held in memory whole: it is read past, skipped and counted as
    // "article too large". This is what bounds the readers' memory.
    std::size_t max_article_bytes = kDefaultMaxArticleBytes;
    // Inputs read once (is_read_once: "-", a pipe, a FIFO) that the caller
    // copied to a regular file, by the path as given -> the copy (trawl-index
    // spools them, indexer/input_spool.hpp). Such an input is read from its
    // copy as a file is: sniffed, its CSV header checked ahead, readable by
    // several passes; messages and ids still name it as given ("-:12: ...").
    std::map<std::string, std::string> spooled;
    // Folders a directory walk does not enter (trawl-index: the index it
    // writes, which may sit inside the folder it indexes).
    std::vector<std::string> exclude;
};

// Bytes at the start of a file that decide whether it is binary (looks_binary)
// before any of it is read as lines or records.
constexpr std::size_t kBinarySniffBytes = 8192;

class LineReader;
// True when the first kBinarySniffBytes of `lines` look binary; then the
// file's one "binary file" skip is reported to `diag`. Looks without
// consuming, before any line is read: a file of NULs without a newline would
// otherwise be one endless line.
bool binary_file(LineReader& lines, Diagnostics& diag);

// The skip of a record of `bytes` bytes over `limit`, at `file`:`line`:
// "article too large (100.0 MB, limit 64 MB; --max-article-mb)".
Diagnostic article_too_large(const std::string& file, std::uint64_t line, std::uint64_t bytes, std::size_t limit);

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
    // What bytes_read() comes to at the end (the inputs' sizes on disk), 0
    // when unknown (an input read once, articles in memory).
    virtual std::uint64_t bytes_total() const { return 0; }
};

// One reader per format, over one file. `id_base` is the path relative to the
// walked root without extensions: the article id of one-article-per-file formats
// (Text, Html) and the prefix of the ids given to CSV rows without one.
// Each skips a file whose first kBinarySniffBytes look binary ("binary file")
// and every record over `max_bytes` ("article too large"; ReaderOptions).
std::unique_ptr<ArticleReader> open_text_reader(const InputPath& path, const std::string& id_base, Diagnostics& diag,
                                                std::size_t max_bytes = kDefaultMaxArticleBytes);
std::unique_ptr<ArticleReader> open_jsonl_reader(const InputPath& path, const FieldMapping& fields, Diagnostics& diag,
                                                 std::size_t max_bytes = kDefaultMaxArticleBytes);
// `separator` is ',' (CSV) or '\t' (TSV). Reads the header at once: throws
// InputError (file:line) when it has no text column or is over `max_bytes`.
std::unique_ptr<ArticleReader> open_csv_reader(const InputPath& path, const std::string& id_base, char separator,
                                               const FieldMapping& fields, Diagnostics& diag,
                                               std::size_t max_bytes = kDefaultMaxArticleBytes);
std::unique_ptr<ArticleReader> open_sgml_reader(const InputPath& path, Diagnostics& diag,
                                                std::size_t max_bytes = kDefaultMaxArticleBytes);
std::unique_ptr<ArticleReader> open_html_reader(const InputPath& path, const std::string& id_base, Diagnostics& diag,
                                                std::size_t max_bytes = kDefaultMaxArticleBytes);
std::unique_ptr<ArticleReader> open_wiki_reader(const InputPath& path, Diagnostics& diag,
                                                std::size_t max_bytes = kDefaultMaxArticleBytes);

// The source of an article read from a one-article-per-file format when the
// file itself does not say: the first directory of `id_base` ("business/001"
// -> "business", "bbc/tech/002" -> "bbc"), empty for a file directly under the
// walked root or given by name.
std::string folder_source(std::string_view id_base);

// True for an input that can be read only once: "-" (standard input) and a
// path that is neither a regular file nor a directory (a pipe such as
// /dev/stdin or /dev/fd/63, a named FIFO, a character device). Unless it was
// copied to a file first (ReaderOptions::spooled, as trawl-index does), such
// an input is read once, as "-" is: never sniffed (its format is --format's,
// else its extension's), its CSV header not checked ahead, and the indexer's
// first pass over the inputs is skipped.
bool is_read_once(const std::string& path);

// Expands `paths` (files, or directories walked recursively in sorted order;
// hidden files and SOURCE.md/README* files skipped, symbolic links to
// directories not followed, the folders of `exclude` not entered; in a saved
// page's "NAME_files" folder beside NAME.html or NAME.htm, scripts, style
// sheets, fonts, images and source maps skipped) into the list of input files. A directory entry
// the walk cannot use (a symbolic link loop or dangling link, a folder it may
// not read, a file it cannot open to sniff) stays in the list with the reason
// in `unreadable`: open_corpus's reader reports it as one skip and goes on;
// so does a FIFO, socket or device found in a directory (given by name, it is
// read once). A path given that does not exist or (a directory) cannot be read
// throws InputError; one read once whose format is neither given nor in its
// name throws UsageError, unless `spooled` holds a copy of it (ReaderOptions):
// then the copy is sniffed as a file is, and read in its place.
struct InputFile {
    std::string path;             // as given / as found
    std::string id_base;          // relative path from the root argument, compression and format extension removed
    Format format;                // resolved (never Auto)
    std::string unreadable = {};  // why this entry cannot be read; empty when it can
    std::string copy = {};        // the file read instead of `path` (ReaderOptions::spooled); empty: `path`
    std::size_t argument = 0;     // which of list_inputs' `paths` it was found under
    // What to open: named `path` in messages, its bytes from `copy` when there is one.
    InputPath source() const { return {path, copy.empty() ? path : copy}; }
};
std::vector<InputFile> list_inputs(const std::vector<std::string>& paths, Format format,
                                   const std::map<std::string, std::string>& spooled = {},
                                   const std::vector<std::string>& exclude = {});

// The directories list_inputs() has walked in this process, as paths given
// to it (not the folders a walk enters below them): a trawl-index run walks
// each input folder once, whatever its passes and --prune.
std::uint64_t directory_walks();

// What open_corpus() does before reading: lists `paths` (list_inputs, with
// the options' format, copies and excluded folders) and checks the header
// of every CSV/TSV file (InputError: a header without a text column). A run
// that reads its inputs more than once lists them once, with this, and opens
// each pass over the list with open_inputs().
std::vector<InputFile> list_corpus(const std::vector<std::string>& paths, const ReaderOptions& opts);

// A reader over inputs already listed (list_corpus), in order, as open_corpus's.
std::unique_ptr<ArticleReader> open_inputs(std::vector<InputFile> inputs, const ReaderOptions& opts, Diagnostics& diag);

// A reader over all inputs in turn. Throws InputError for a path that does not exist.
// A file that cannot be read to its end (truncated .gz/.zst, read error) is not
// fatal: its records read so far stand, the rest of it is reported as one
// "unreadable input" skip naming the file, and the next file follows. An empty
// file is skipped and counted ("empty file").
std::unique_ptr<ArticleReader> open_corpus(const std::vector<std::string>& paths, const ReaderOptions& opts,
                                           Diagnostics& diag);

}  // namespace trawl::corpus
