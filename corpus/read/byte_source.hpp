// Streaming input: a file, transparently decompressed when it is zstd (.zst)
// or gzip (.gz) — detected by magic bytes, not only by name — and decoded to
// UTF-8 when it is UTF-16 or declares another charset. Never loads the whole file.
// This is the only place in corpus/ that touches the file system besides the
// directory walk in article_reader.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "corpus/base/diagnostics.hpp"
#include "corpus/text/charset.hpp"

namespace trawl::corpus {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to n bytes into buf; returns the count, 0 at end of input.
    // Throws InputError (naming the file) on I/O or decompression errors,
    // including a truncated compressed stream; a decompression error names
    // the line where the text stopped too (the line of the byte after the
    // last one returned, as LineCounter counts it: the line a reader had
    // reached), and comes only once the text before it has been returned.
    virtual std::size_t read(char* buf, std::size_t n) = 0;
    // Bytes consumed from the underlying file so far (compressed bytes).
    virtual std::uint64_t raw_bytes_read() const = 0;
    virtual const std::string& path() const = 0;
    // The input arrives over time (a pipe, a FIFO, a terminal, a socket): a
    // read returns what has come, and more may come later. The probes of the
    // first bytes (encoding, binary) then look at what has come once it holds
    // a whole line, instead of waiting for their few KiB: a feed that sends
    // one short record and pauses (trawl-index --stream) is read at once.
    virtual bool live() const { return false; }
};

// Whether a probe of the first bytes of an input may stop at `seen` before
// it has the bytes it wants: a live input (ByteSource::live()) that has sent
// a whole line.
inline bool probe_may_stop(bool live, std::string_view seen) {
    return live && seen.find_first_of("\r\n") != std::string_view::npos;
}

// An input as messages name it and as it is opened: the same path, except for
// an input read once (stdin "-", a pipe) that was copied to a file first
// (ReaderOptions::spooled): then `file` is the copy and `name` what the user
// gave, so that "-:12: ..." still names standard input. Implicit from a path.
struct InputPath {
    InputPath(std::string path) : name(path), file(std::move(path)) {}
    InputPath(const char* path) : InputPath(std::string(path)) {}
    InputPath(std::string name_, std::string file_) : name(std::move(name_)), file(std::move(file_)) {}
    std::string name;  // in messages, ByteSource::path(), InputError::file
    std::string file;  // what is opened ("-" = the descriptor of standard input)
};

// Opens `path` ("-" = stdin). Throws InputError (naming path.name) if it cannot be opened,
// or if it is compressed and its first frame or member gives no text (corrupt,
// cut off, or a zstd frame that needs a window over 128 MiB: such a frame,
// written by `zstd --long` from a pipe, is refused, naming `zstd -d --long=31`,
// as the decoder's memory would be the window's).
// Text in UTF-16 (after decompression), with a byte-order mark or, without
// one, told by the NULs of its first 4 KiB (utf16_order_without_bom; of its
// first line, if shorter, when it is live), comes
// out as UTF-8, decoded a buffer at a time; an unpaired surrogate becomes
// U+FFFD, and the file's first one is reported to `diag`, when given, as a
// warning ("invalid UTF-16 repaired") naming the file and line.
// With `declarations`, a charset the first bytes declare (charset.hpp:
// an XML declaration, and for HTML a <meta>) is decoded to UTF-8 the same
// way through iconv, unless the text is UTF-8 after all; a byte-order mark
// wins over a declaration. Bytes the charset does not define become U+FFFD,
// the first reported as "invalid characters repaired" with its file and line.
// Declared windows-1252 (or a label the web reads as it: iso-8859-1,
// us-ascii) is decoded as the readers repair undeclared text, UTF-8 where it
// is UTF-8 and windows-1252 elsewhere (Windows1252Decoder), so that those
// bytes are what it declares, no repair; its five undefined bytes are
// reported so. A name iconv does not know is reported ("unknown charset",
// with the line of the declaration) and the bytes come as they are.
// Bytes that come as they are, the usual case, are the readers' to repair
// (repair_utf8: what is not UTF-8 is read as windows-1252).
std::unique_ptr<ByteSource> open_byte_source(const InputPath& path, Diagnostics* diag = nullptr,
                                             CharsetDeclarations declarations = CharsetDeclarations::None);

// The file name with a trailing ".zst"/".gz" removed ("a/b.jsonl.gz" -> "a/b.jsonl").
std::string strip_compression_suffix(std::string_view path);

// Line-by-line reading on top of a ByteSource, tracking 1-based line numbers.
// A line ends at a LF, a CR-LF or a lone CR (old Mac text), and is returned
// without it. A line longer than `max_line` bytes is never held in memory
// whole: the reader stops buffering it, reads on to its end counting bytes,
// and returns it empty with too_long() set, so that one hostile line costs at
// most max_line plus a read chunk however long it is.
class LineReader {
public:
    explicit LineReader(std::unique_ptr<ByteSource> src, std::size_t max_line = SIZE_MAX);
    // false at end of input. A final line without "\n" is still returned.
    bool next(std::string& line);
    std::uint64_t line_number() const { return line_no_; }  // of the line last returned
    // The line last returned was longer than max_line: `line` is empty and
    // line_bytes() is how long it was.
    bool too_long() const { return too_long_; }
    std::uint64_t line_bytes() const { return line_bytes_; }
    // The next (up to) n bytes, without consuming them: what a reader looks at
    // to tell a binary file before reading it line by line. Fewer at end of
    // input, and from a live input (ByteSource::live()) once a line is whole.
    std::string_view peek(std::size_t n);
    const std::string& path() const { return src_->path(); }
    std::uint64_t raw_bytes_read() const { return src_->raw_bytes_read(); }

private:
    bool fill();
    bool find_end(std::size_t from, std::size_t& end, std::size_t& next);
    void drop_lf_after_cr();
    void take_line(std::string& line, std::size_t end, std::size_t next);
    void skip_rest_of_line();
    std::unique_ptr<ByteSource> src_;
    std::size_t max_line_;
    std::string buf_;
    std::size_t pos_ = 0;
    bool eof_ = false;
    bool too_long_ = false;
    bool lf_after_cr_ = false;  // the last line ended at the last byte read, a CR: a LF next is its end too
    std::uint64_t line_bytes_ = 0;
    std::uint64_t line_no_ = 0;
};

}  // namespace trawl::corpus
