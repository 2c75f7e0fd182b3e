// Streaming input over a file descriptor: plain, zstd (ZSTD_DStream) or gzip
// (zlib inflate), chosen by the magic bytes at the start of the file; then
// decoded to UTF-8 when the decompressed bytes are UTF-16 (told by a
// byte-order mark or by where their NULs are) or declare another charset.
#include "corpus/read/byte_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd_errors.h>

#include <zlib.h>

#include "corpus/base/ascii.hpp"
#include "corpus/base/diagnostics.hpp"
#include "corpus/base/error.hpp"
#include "corpus/base/zstd_handle.hpp"
#include "corpus/text/charset.hpp"
#include "corpus/text/normalize.hpp"
#include "corpus/text/utf16.hpp"

namespace trawl::corpus {
namespace {

constexpr std::size_t kChunk = 1 << 17;  // 128 KiB of compressed input per read
// Decoded bytes looked at to tell the encoding (utf16_order_without_bom needs a few KiB).
constexpr std::size_t kHeadBytes = 4096;

// The raw file: a descriptor plus one buffer of not-yet-consumed bytes that the
// decoders read from. Owns the descriptor unless it is stdin. Named (path())
// as the user gave it, also when its bytes come from a copy (InputPath).
class RawInput {
public:
    explicit RawInput(const InputPath& in) : path_(in.name), buf_(kChunk) {
        if (in.file == "-") {
            fd_ = STDIN_FILENO;
        } else {
            fd_ = ::open(in.file.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd_ < 0) throw InputError(path_, 0, std::string("cannot open: ") + std::strerror(errno));
        }
        struct stat st {};
        live_ = ::fstat(fd_, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode));
    }
    bool live() const { return live_; }
    ~RawInput() {
        if (fd_ >= 0 && fd_ != STDIN_FILENO) ::close(fd_);
    }
    RawInput(const RawInput&) = delete;
    RawInput& operator=(const RawInput&) = delete;

    // Makes at least `n` unconsumed bytes available unless the file ends first;
    // returns the number available.
    std::size_t ensure(std::size_t n) {
        if (available() >= n || eof_) return available();
        if (pos_ > 0) {  // compact
            std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
            len_ -= pos_;
            pos_ = 0;
        }
        if (buf_.size() < n) buf_.resize(n);
        while (len_ < n && !eof_) {
            ssize_t r = ::read(fd_, buf_.data() + len_, buf_.size() - len_);
            if (r < 0) {
                if (errno == EINTR) continue;
                throw InputError(path_, 0, std::string("read error: ") + std::strerror(errno));
            }
            if (r == 0) eof_ = true;
            len_ += static_cast<std::size_t>(r);
            raw_read_ += static_cast<std::uint64_t>(r);
        }
        return available();
    }
    // Refills when empty; returns the number of available bytes (0 only at end of file).
    std::size_t refill() { return ensure(1); }

    const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(buf_.data()) + pos_; }
    std::size_t available() const { return len_ - pos_; }
    void consume(std::size_t n) { pos_ += n; }
    bool at_end() { return refill() == 0; }
    std::uint64_t raw_read() const { return raw_read_; }
    const std::string& path() const { return path_; }

    // Copies straight from the buffer / file (plain input).
    std::size_t read_plain(char* out, std::size_t n) {
        if (available() == 0 && !eof_) {
            if (n >= kChunk) {  // large reads bypass the buffer
                for (;;) {
                    ssize_t r = ::read(fd_, out, n);
                    if (r < 0 && errno == EINTR) continue;
                    if (r < 0) throw InputError(path_, 0, std::string("read error: ") + std::strerror(errno));
                    if (r == 0) eof_ = true;
                    raw_read_ += static_cast<std::uint64_t>(r);
                    return static_cast<std::size_t>(r);
                }
            }
            refill();
        }
        std::size_t k = std::min(n, available());
        std::memcpy(out, buf_.data() + pos_, k);
        pos_ += k;
        return k;
    }

private:
    std::string path_;
    int fd_ = -1;
    std::vector<char> buf_;
    std::size_t pos_ = 0;
    std::size_t len_ = 0;
    bool eof_ = false;
    bool live_ = false;  // ByteSource::live()
    std::uint64_t raw_read_ = 0;
};

class PlainSource final : public ByteSource {
public:
    explicit PlainSource(std::unique_ptr<RawInput> in) : in_(std::move(in)) {}
    std::size_t read(char* buf, std::size_t n) override { return n ? in_->read_plain(buf, n) : 0; }
    std::uint64_t raw_bytes_read() const override { return in_->raw_read(); }
    const std::string& path() const override { return in_->path(); }
    bool live() const override { return in_->live(); }

private:
    std::unique_ptr<RawInput> in_;
};

// The largest zstd window a frame may need, as a log2: 128 MiB, zstd's own
// default, set here so that it does not change with the library. The
// decoder holds a frame's whole window (a frame of unknown size, as `zstd
// --long=31` writes from a pipe, says 2 GiB however little it holds), so this
// is what bounds a reader's memory, whatever the input; a larger frame is
// refused with what to do about it (window_too_large()).
constexpr int kZstdWindowLogMax = 27;

// The window size a zstd frame header (RFC 8878, 3.1.1.1) at `p` declares;
// 0 when the n bytes do not hold one.
std::uint64_t zstd_window_size(const unsigned char* p, std::size_t n) {
    if (n < 6 || std::memcmp(p, "\x28\xB5\x2F\xFD", 4) != 0) return 0;
    const unsigned descriptor = p[4];
    if (!(descriptor & 0x20)) {  // a window descriptor: exponent and eighths
        const unsigned log = 10 + (p[5] >> 3);
        const std::uint64_t base = std::uint64_t{1} << log;
        return base + (base / 8) * (p[5] & 7);
    }
    // A single segment: the window is the content size, after the dictionary id.
    static constexpr std::size_t kIdBytes[] = {0, 1, 2, 4};
    static constexpr std::size_t kSizeBytes[] = {1, 2, 4, 8};
    const std::size_t at = 5 + kIdBytes[descriptor & 3], bytes = kSizeBytes[descriptor >> 6];
    if (n < at + bytes) return 0;
    std::uint64_t size = 0;
    for (std::size_t i = bytes; i-- > 0;) size = size << 8 | p[at + i];
    return bytes == 2 ? size + 256 : size;
}

// One or more zstd frames, decoded with a streaming context.
class ZstdSource final : public ByteSource {
public:
    explicit ZstdSource(std::unique_ptr<RawInput> in) : in_(std::move(in)), ds_(ZSTD_createDStream()) {
        if (!ds_) throw InputError(in_->path(), 0, "cannot create zstd stream");
        check(ZSTD_initDStream(ds_.get()));
        check(ZSTD_DCtx_setParameter(ds_.get(), ZSTD_d_windowLogMax, kZstdWindowLogMax));
    }
    std::size_t read(char* buf, std::size_t n) override {
        if (n == 0 || done_) return 0;
        for (;;) {
            in_->refill();
            ZSTD_inBuffer zin{in_->data(), in_->available(), 0};
            ZSTD_outBuffer zout{buf, n, 0};
            const std::size_t r = check(ZSTD_decompressStream(ds_.get(), &zout, &zin));
            in_->consume(zin.pos);
            const bool progress = zin.pos > 0 || zout.pos > 0;
            if (progress) frame_complete_ = r == 0;
            if (zout.pos > 0) return zout.pos;
            if (in_->at_end()) {
                if (!frame_complete_) throw InputError(in_->path(), 0, "unexpected end of zstd stream");
                done_ = true;
                return 0;
            }
            if (!progress) throw InputError(in_->path(), 0, "zstd decoder made no progress");
        }
    }
    std::uint64_t raw_bytes_read() const override { return in_->raw_read(); }
    const std::string& path() const override { return in_->path(); }
    bool live() const override { return in_->live(); }

private:
    std::size_t check(std::size_t r) const {
        if (!ZSTD_isError(r)) return r;
        if (ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge) window_too_large();
        throw InputError(in_->path(), 0, std::string("zstd: ") + ZSTD_getErrorName(r));
    }
    // The frame at the input (whose header the decoder has read but not
    // consumed) needs more than kZstdWindowLogMax: says how much when the
    // header is there to tell, and how to read the file.
    [[noreturn]] void window_too_large() const {
        std::string needs = "more than " + std::to_string(1u << (kZstdWindowLogMax - 20)) + " MiB";
        const std::uint64_t window = zstd_window_size(in_->data(), in_->available());
        if (window > (1ull << kZstdWindowLogMax)) needs = std::to_string(window >> 20) + " MiB";
        throw InputError(in_->path(), 0,
                         "zstd frame needs a " + needs + " window (written with zstd --long?), more than the " +
                             std::to_string(1u << (kZstdWindowLogMax - 20)) +
                             " MiB a reader may hold; decompress it first: zstd -d --long=31");
    }
    std::unique_ptr<RawInput> in_;
    zstd::DStream ds_;
    bool frame_complete_ = false;
    bool done_ = false;
};

// One or more concatenated gzip members. Bytes after the last member that do
// not start another member are ignored, as gzip(1) does.
class GzipSource final : public ByteSource {
public:
    explicit GzipSource(std::unique_ptr<RawInput> in) : in_(std::move(in)) {
        std::memset(&zs_, 0, sizeof zs_);
        if (inflateInit2(&zs_, 15 + 32) != Z_OK) throw InputError(in_->path(), 0, "cannot initialise zlib");
    }
    ~GzipSource() override { inflateEnd(&zs_); }
    GzipSource(const GzipSource&) = delete;
    GzipSource& operator=(const GzipSource&) = delete;

    std::size_t read(char* buf, std::size_t n) override {
        if (n == 0 || done_) return 0;
        for (;;) {
            if (member_ended_) {
                // Another member follows only if the next bytes are the gzip magic.
                if (in_->ensure(2) < 2 || in_->data()[0] != 0x1F || in_->data()[1] != 0x8B) {
                    done_ = true;
                    return 0;
                }
                inflateReset(&zs_);
                member_ended_ = false;
            }
            in_->refill();
            const std::size_t avail = std::min<std::size_t>(in_->available(), 1u << 30);
            const std::size_t want = std::min<std::size_t>(n, 1u << 30);
            zs_.next_in = const_cast<Bytef*>(in_->data());
            zs_.avail_in = static_cast<uInt>(avail);
            zs_.next_out = reinterpret_cast<Bytef*>(buf);
            zs_.avail_out = static_cast<uInt>(want);
            const int r = inflate(&zs_, Z_NO_FLUSH);
            const std::size_t used = avail - zs_.avail_in;
            const std::size_t produced = want - zs_.avail_out;
            in_->consume(used);
            if (r == Z_STREAM_END) {
                member_ended_ = true;
            } else if (r == Z_BUF_ERROR) {
                if (in_->at_end()) throw InputError(in_->path(), 0, "unexpected end of gzip stream");
            } else if (r != Z_OK) {
                throw InputError(in_->path(), 0,
                                 std::string("invalid gzip data: ") + (zs_.msg ? zs_.msg : "inflate failed"));
            }
            if (produced > 0) return produced;
            if (!member_ended_ && used == 0 && in_->at_end())
                throw InputError(in_->path(), 0, "unexpected end of gzip stream");
        }
    }
    std::uint64_t raw_bytes_read() const override { return in_->raw_read(); }
    const std::string& path() const override { return in_->path(); }
    bool live() const override { return in_->live(); }

private:
    std::unique_ptr<RawInput> in_;
    z_stream zs_;
    bool member_ended_ = false;
    bool done_ = false;
};

// The bytes of another source with a few of its first ones, already read to
// look at them, put back in front.
class PrefixedSource final : public ByteSource {
public:
    PrefixedSource(std::unique_ptr<ByteSource> src, std::string prefix)
        : src_(std::move(src)), prefix_(std::move(prefix)) {}
    std::size_t read(char* buf, std::size_t n) override {
        if (pos_ == prefix_.size()) return src_->read(buf, n);
        const std::size_t k = std::min(n, prefix_.size() - pos_);
        std::memcpy(buf, prefix_.data() + pos_, k);
        pos_ += k;
        return k;
    }
    std::uint64_t raw_bytes_read() const override { return src_->raw_bytes_read(); }
    const std::string& path() const override { return src_->path(); }
    bool live() const override { return src_->live(); }

private:
    std::unique_ptr<ByteSource> src_;
    std::string prefix_;
    std::size_t pos_ = 0;
};

// Text in another encoding (after decompression) as UTF-8, decoded one buffer
// at a time by `Decoder` (Utf16Decoder, CharsetDecoder, Windows1252Decoder). What it cannot
// decode becomes U+FFFD; the first is reported to `diag` (when given) as one
// warning, `repaired` with the file and line filled in.
template <class Decoder>
class DecodingSource final : public ByteSource {
public:
    template <class... DecoderArgs>
    DecodingSource(std::unique_ptr<ByteSource> src, std::string_view head, Diagnostics* diag, Diagnostic repaired,
                   DecoderArgs&&... args)
        : src_(std::move(src)),
          decoder_(std::forward<DecoderArgs>(args)...),
          diag_(diag),
          repaired_(std::move(repaired)),
          in_(kChunkIn) {
        decoder_.decode(head, out_);
    }
    std::size_t read(char* buf, std::size_t n) override {
        if (n == 0) return 0;
        while (pos_ == out_.size()) {
            if (ended_) return 0;
            out_.clear();
            pos_ = 0;
            if (const std::size_t got = src_->read(in_.data(), in_.size())) {
                decoder_.decode(std::string_view(in_.data(), got), out_);
            } else {
                decoder_.finish(out_);
                ended_ = true;
            }
            if (diag_ && !reported_ && decoder_.replaced() > 0) {
                reported_ = true;
                repaired_.file = path();
                repaired_.line = decoder_.first_replaced_line();
                diag_->report(repaired_);
            }
        }
        const std::size_t k = std::min(n, out_.size() - pos_);
        std::memcpy(buf, out_.data() + pos_, k);
        pos_ += k;
        return k;
    }
    std::uint64_t raw_bytes_read() const override { return src_->raw_bytes_read(); }
    const std::string& path() const override { return src_->path(); }
    bool live() const override { return src_->live(); }
    const Decoder& decoder() const { return decoder_; }

private:
    // Encoded bytes decoded at a time: at most 192 KiB of UTF-8 (96 KiB from UTF-16).
    static constexpr std::size_t kChunkIn = 1 << 16;
    std::unique_ptr<ByteSource> src_;
    Decoder decoder_;
    Diagnostics* diag_;
    Diagnostic repaired_;
    std::vector<char> in_;
    std::string out_;  // decoded, not yet returned from pos_ on
    std::size_t pos_ = 0;
    bool ended_ = false;
    bool reported_ = false;
};

// A file declared in another charset that turns out to be UTF-8 says so once.
class DeclaredCharsetSource final : public ByteSource {
public:
    DeclaredCharsetSource(std::unique_ptr<ByteSource> src, std::string_view head, Diagnostics* diag,
                          CharsetDeclaration declared, const std::string& iconv_name)
        : decoded_(std::move(src), head, diag,
                   Diagnostic{Severity::Warning, "", 0, "invalid characters repaired",
                              "bytes that are not " + declared.label + " replaced by U+FFFD"},
                   iconv_name),
          diag_(diag),
          declared_(std::move(declared)) {}
    std::size_t read(char* buf, std::size_t n) override {
        const std::size_t got = decoded_.read(buf, n);
        if (diag_ && !told_ && decoded_.decoder().utf8_despite_declaration()) {
            told_ = true;
            diag_->report({Severity::Warning, path(), declared_.line, "charset declaration ignored",
                           "declares " + declared_.label + ", but the text is UTF-8"});
        }
        return got;
    }
    std::uint64_t raw_bytes_read() const override { return decoded_.raw_bytes_read(); }
    const std::string& path() const override { return decoded_.path(); }
    bool live() const override { return decoded_.live(); }

private:
    DecodingSource<CharsetDecoder> decoded_;
    Diagnostics* diag_;
    CharsetDeclaration declared_;
    bool told_ = false;
};

// The text of a compressed file (decompressed, and decoded when it is), its
// lines counted as the readers count them (LineCounter), so that an error of
// the decompressor, which knows bytes and not lines (a stream that ends
// early, corrupt data), names the line where the text stopped: the line the
// reader had reached. Plain files are not counted: their only errors after
// opening are the system's read errors.
class LineCountedSource final : public ByteSource {
public:
    explicit LineCountedSource(std::unique_ptr<ByteSource> src) : src_(std::move(src)) {}
    std::size_t read(char* buf, std::size_t n) override {
        try {
            const std::size_t got = src_->read(buf, n);
            lines_.add(std::string_view(buf, got));
            return got;
        } catch (const InputError& e) {
            if (e.line != 0) throw;
            throw InputError(e.file, lines_.line(), e.reason);
        }
    }
    std::uint64_t raw_bytes_read() const override { return src_->raw_bytes_read(); }
    const std::string& path() const override { return src_->path(); }
    bool live() const override { return src_->live(); }

private:
    std::unique_ptr<ByteSource> src_;
    LineCounter lines_;
};

// A source whose first bytes, read to tell their encoding, ended in an
// error: that error again, once the bytes before it have been handed out
// (by the source in front of this one), as if it came at its place.
class StoppedSource final : public ByteSource {
public:
    StoppedSource(std::unique_ptr<ByteSource> src, std::exception_ptr error)
        : src_(std::move(src)), error_(std::move(error)) {}
    std::size_t read(char*, std::size_t) override { std::rethrow_exception(error_); }
    std::uint64_t raw_bytes_read() const override { return src_->raw_bytes_read(); }
    const std::string& path() const override { return src_->path(); }
    bool live() const override { return src_->live(); }

private:
    std::unique_ptr<ByteSource> src_;
    std::exception_ptr error_;
};

// The decompressed bytes of `in`: zstd or gzip by their magic bytes, else as they are.
std::unique_ptr<ByteSource> decompressed(std::unique_ptr<RawInput> in) {
    using namespace std::string_view_literals;
    in->ensure(4);
    // Whether the bytes at `at` are `magic` (read as far as it needs, no further).
    const auto holds = [&](std::string_view magic, std::size_t at = 0) {
        return in->ensure(at + magic.size()) >= at + magic.size() &&
               std::memcmp(in->data() + at, magic.data(), magic.size()) == 0;
    };
    if (holds("\x28\xB5\x2F\xFD"sv)) return std::make_unique<ZstdSource>(std::move(in));
    // A skippable frame (magic 0x184D2A50-5F, RFC 8878 3.1.2) may come first:
    // pzstd writes one before its frames, and the decoder passes over it.
    if (holds("\x2A\x4D\x18"sv, 1) && (static_cast<unsigned char>(in->data()[0]) & 0xF0) == 0x50)
        return std::make_unique<ZstdSource>(std::move(in));
    if (holds("\x1F\x8B"sv)) return std::make_unique<GzipSource>(std::move(in));
    // Other compressors' output was "binary file": say what it is.
    const auto unsupported = [&](const char* what) {
        throw InputError(in->path(), 0,
                         std::string(what) + "-compressed: only gzip and zstd are read; decompress it first");
    };
    // bzip2: "BZh", the block size, then a block's magic (pi, or sqrt(pi) for an empty stream).
    if (holds("BZh"sv) && in->available() >= 4 && in->data()[3] >= '1' && in->data()[3] <= '9' &&
        (holds("1AY&SY"sv, 4) || holds("\x17\x72\x45\x38\x50\x90"sv, 4)))
        unsupported("bzip2");
    if (holds("\x04\x22\x4D\x18"sv)) unsupported("lz4");
    if (holds("\xFD"
              "7zXZ\0"sv))
        unsupported("xz");
    return std::make_unique<PlainSource>(std::move(in));
}

// The text of `src`, whose first bytes are `head`, decoded to UTF-8 by the
// encoding those bytes tell, in this order: a byte-order mark; UTF-16 by its
// NULs; a declared charset (windows-1252 decoded as the readers repair
// undeclared text: Windows1252Decoder); else UTF-8, repaired as windows-1252
// where it is not (repair_utf8), which the readers do: `head` put back.
std::unique_ptr<ByteSource> decoded(std::unique_ptr<ByteSource> src, std::string head, const InputPath& path,
                                    Diagnostics* diag, CharsetDeclarations declarations) {
    const Diagnostic bad_utf16{Severity::Warning, "", 0, "invalid UTF-16 repaired",
                               "unpaired surrogate replaced by U+FFFD"};
    if (const auto order = utf16_byte_order(head))
        return std::make_unique<DecodingSource<Utf16Decoder>>(std::move(src), std::string_view(head).substr(2), diag,
                                                              bad_utf16, *order);
    if (head.starts_with("\xEF\xBB\xBF")) return std::make_unique<PrefixedSource>(std::move(src), std::move(head));
    if (const auto order = utf16_order_without_bom(head))
        return std::make_unique<DecodingSource<Utf16Decoder>>(std::move(src), head, diag, bad_utf16, *order);
    if (auto declared = find_charset_declaration(head, declarations)) {
        const Charset charset = resolve_charset(declared->label);
        if (charset.kind == Charset::Decoded)
            return std::make_unique<DeclaredCharsetSource>(std::move(src), head, diag, std::move(*declared),
                                                           charset.iconv_name);
        if (charset.kind == Charset::Windows1252) {
            const bool named = ascii_iequals(declared->label, "windows-1252");
            return std::make_unique<DecodingSource<Windows1252Decoder>>(
                std::move(src), head, diag,
                Diagnostic{Severity::Warning, "", 0, "invalid characters repaired",
                           named ? "bytes that are not windows-1252 replaced by U+FFFD"
                                 : "declared " + declared->label +
                                       ", read as windows-1252: undefined bytes replaced by U+FFFD"});
        }
        if (charset.kind == Charset::Unknown && diag)
            diag->report(
                {Severity::Warning, path.name, declared->line, "unknown charset",
                 "'" + declared->label + "' is not a charset Trawl can decode; read as UTF-8 (else windows-1252)"});
    }
    return std::make_unique<PrefixedSource>(std::move(src), std::move(head));
}

}  // namespace

std::unique_ptr<ByteSource> open_byte_source(const InputPath& path, Diagnostics* diag,
                                             CharsetDeclarations declarations) {
    std::unique_ptr<ByteSource> src = decompressed(std::make_unique<RawInput>(path));
    const bool compressed = dynamic_cast<PlainSource*>(src.get()) == nullptr;
    // The first (decompressed) bytes tell the encoding (decoded()). A
    // compressed file that breaks among them still gives the text before the
    // break, as a longer one does, and then its error; one that gives no
    // text is an error at once, with no line.
    std::string head(kHeadBytes, '\0');
    std::size_t n = 0;
    try {
        while (n < head.size()) {
            const std::size_t got = src->read(head.data() + n, head.size() - n);
            if (got == 0) break;
            n += got;
            if (probe_may_stop(src->live(), std::string_view(head.data(), n))) break;
        }
    } catch (const InputError&) {
        if (!compressed || n == 0) throw;
        src = std::make_unique<StoppedSource>(std::move(src), std::current_exception());
    }
    head.resize(n);
    src = decoded(std::move(src), std::move(head), path, diag, declarations);
    if (compressed) src = std::make_unique<LineCountedSource>(std::move(src));
    return src;
}

std::string strip_compression_suffix(std::string_view path) {
    for (std::string_view suffix : {".zst", ".gz"}) {
        if (path.size() > suffix.size() && path.ends_with(suffix))
            return std::string(path.substr(0, path.size() - suffix.size()));
    }
    return std::string(path);
}

LineReader::LineReader(std::unique_ptr<ByteSource> src, std::size_t max_line)
    : src_(std::move(src)), max_line_(max_line) {}

bool LineReader::fill() {
    if (eof_) return false;
    if (pos_ > 0) {
        buf_.erase(0, pos_);
        pos_ = 0;
    }
    const std::size_t old = buf_.size();
    if (old + kChunk > buf_.capacity()) {
        // Doubling, as std::string would, but straight to the most next() ever
        // buffers (max_line_ + one chunk) once doubling would reach it: a line
        // near the limit must not cost twice the limit, nor one more copy.
        std::size_t cap = std::max(old + kChunk, 2 * buf_.capacity());
        if (max_line_ <= cap) cap = std::max(old + kChunk, max_line_ + kChunk);
        buf_.reserve(cap);
    }
    buf_.resize(old + kChunk);
    const std::size_t got = src_->read(buf_.data() + old, kChunk);
    buf_.resize(old + got);
    if (got == 0) eof_ = true;
    return got > 0;
}

// The last line ended at a CR that was the last byte read: a LF that comes
// next belongs to it (CR-LF), and is dropped before the next line or peek.
// (Not waited for when the line ends: a live input's line is read at once.)
void LineReader::drop_lf_after_cr() {
    if (!lf_after_cr_) return;
    if (pos_ >= buf_.size() && !fill()) return;
    lf_after_cr_ = false;
    if (buf_[pos_] == '\n') ++pos_;
}

std::string_view LineReader::peek(std::size_t n) {
    drop_lf_after_cr();
    while (buf_.size() - pos_ < n && !probe_may_stop(src_->live(), std::string_view(buf_).substr(pos_)) && fill()) {
    }
    return std::string_view(buf_).substr(pos_, std::min(n, buf_.size() - pos_));
}

// Looks for the end of the line at pos_ from buf_[from] on: true with where it
// ends and where the next line starts, false when the buffer holds no end.
bool LineReader::find_end(std::size_t from, std::size_t& end, std::size_t& next) {
    end = find_line_break(buf_, from);
    if (end == buf_.size()) return false;
    next = end + 1;
    if (buf_[end] == '\r') {
        if (next < buf_.size()) next += buf_[next] == '\n' ? 1 : 0;
        else lf_after_cr_ = !eof_;  // a CR last: a LF that comes next is part of its line break
    }
    return true;
}

// The line at pos_ ends at `end` (a line break or the end of input); the next one starts at `next`.
void LineReader::take_line(std::string& line, std::size_t end, std::size_t next) {
    line_bytes_ = end - pos_;
    if (line_bytes_ > max_line_) {
        too_long_ = true;
        line.clear();
    } else if (pos_ == 0 && line_bytes_ > 4 * kChunk) {
        // A long line fills the buffer: hand the buffer over instead of copying it.
        std::string rest(buf_, next);
        buf_.resize(end);
        line.swap(buf_);
        buf_ = std::move(rest);
        pos_ = 0;
        return;
    } else {
        line.assign(buf_, pos_, end - pos_);
    }
    pos_ = next;
}

// Past the first max_line_ bytes of a line: reads on to its end, counting its
// bytes but keeping none of them.
void LineReader::skip_rest_of_line() {
    std::string().swap(buf_);  // the buffer grew to max_line_: give it back
    pos_ = 0;
    for (;;) {
        if (pos_ >= buf_.size() && !fill()) return;
        std::size_t end = 0, next = 0;
        if (find_end(pos_, end, next)) {
            line_bytes_ += end - pos_;
            pos_ = next;
            return;
        }
        line_bytes_ += buf_.size() - pos_;
        pos_ = buf_.size();
    }
}

bool LineReader::next(std::string& line) {
    too_long_ = false;
    drop_lf_after_cr();
    std::size_t from = pos_;
    for (;;) {
        std::size_t end = 0, next = 0;
        if (find_end(from, end, next)) {
            take_line(line, end, next);
            break;
        }
        const std::size_t scanned = buf_.size() - pos_;  // fill() moves the line to the front
        if (scanned > max_line_) {                       // no end within max_line_ bytes: stop buffering the line
            too_long_ = true;
            line.clear();
            line_bytes_ = scanned;
            skip_rest_of_line();
            break;
        }
        if (!fill()) {
            if (pos_ >= buf_.size()) return false;
            take_line(line, buf_.size(), buf_.size());
            break;
        }
        from = pos_ + scanned;
    }
    ++line_no_;
    if (line_no_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // UTF-8 byte-order mark
    return true;
}

}  // namespace trawl::corpus
