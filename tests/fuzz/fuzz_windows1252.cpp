// libFuzzer target for text declared windows-1252 (Windows1252Decoder, also
// for iso-8859-1 and us-ascii): the input after its first four bytes is
// decoded in pieces whose sizes those bytes choose, and read again through
// open_byte_source() behind an XML declaration of windows-1252 (or a label
// read as it, as the SGML and Wikipedia readers read it). Checks: the output
// is valid UTF-8, the same however the input is split and through the byte
// source; it is what repair_utf8 makes of undeclared text (once the
// readers' control-character pass has run on both); the undefined bytes
// become U+FFFD, counted, and the first is reported at its line.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/base/diagnostics.hpp"
#include "corpus/base/error.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/text/charset.hpp"
#include "corpus/text/normalize.hpp"
#include "tests/fuzz/fuzz_util.hpp"

namespace {

using namespace trawl::corpus;

struct Decoded {
    std::string text;
    std::uint64_t replaced = 0;
    std::uint64_t first_replaced_line = 0;
};

// `in` decoded in pieces of the sizes `sizes` cycles through (0: one piece).
Decoded decode(std::string_view in, const std::uint8_t* sizes, std::size_t n_sizes) {
    Windows1252Decoder decoder;
    Decoded d;
    for (std::size_t at = 0, i = 0; at < in.size(); ++i) {
        // Mostly short pieces, to cut UTF-8 sequences and CR-LFs; some long.
        const std::size_t v = n_sizes ? sizes[i % n_sizes] : 0;
        const std::size_t len = v == 0 ? in.size() : v < 240 ? v % 5 + 1 : (v - 239) * 1000;
        decoder.decode(in.substr(at, len), d.text);
        at += std::min(len, in.size() - at);
    }
    decoder.finish(d.text);
    d.replaced = decoder.replaced();
    d.first_replaced_line = decoder.first_replaced_line();
    return d;
}

std::size_t count_replacement_characters(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t p = s.find("\xEF\xBF\xBD"); p != std::string_view::npos; p = s.find("\xEF\xBF\xBD", p + 3)) ++n;
    return n;
}

// Where the first byte windows-1252 leaves undefined is, outside valid UTF-8
// (a simple scan of the whole text, as the decoder's documentation has it).
std::size_t first_undefined(std::string_view in) {
    for (std::size_t i = 0; i < in.size();) {
        const auto b = static_cast<unsigned char>(in[i]);
        if (b < 0x80) {
            ++i;
        } else if (const std::size_t len = utf8_sequence_length(in, i)) {
            i += len;
        } else if (windows_1252_code_point(b) == 0xFFFD) {
            return i;
        } else {
            ++i;
        }
    }
    return std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 4, size - 4);

    // Split or whole, the same text, count and line.
    const Decoded whole = decode(text, nullptr, 0);
    const Decoded split = decode(text, data, 4);
    TRAWL_FUZZ_CHECK(split.text == whole.text);
    TRAWL_FUZZ_CHECK(split.replaced == whole.replaced);
    TRAWL_FUZZ_CHECK(split.first_replaced_line == whole.first_replaced_line);
    TRAWL_FUZZ_CHECK(is_valid_utf8(whole.text));
    // Read as undeclared text is, but for what the readers repair after it.
    TRAWL_FUZZ_CHECK(repair_utf8(whole.text) == repair_utf8(text));
    TRAWL_FUZZ_CHECK(count_replacement_characters(whole.text) == count_replacement_characters(text) + whole.replaced);
    const std::size_t undefined = first_undefined(text);
    TRAWL_FUZZ_CHECK((undefined == std::string_view::npos) == (whole.replaced == 0));
    if (whole.replaced > 0) TRAWL_FUZZ_CHECK(whole.first_replaced_line == line_number_at(text, undefined));

    // Through the byte source, declared (the first byte picks the label).
    static const char* const kLabels[] = {"windows-1252", "iso-8859-1", "us-ascii"};
    const std::string declaration = std::string("<?xml version=\"1.0\" encoding=\"") + kLabels[data[0] % 3] + "\"?>\n";
    const std::string file = declaration + std::string(text);
    const std::string path =
        trawl::fuzz::write_scratch_file("input", reinterpret_cast<const std::uint8_t*>(file.data()), file.size());
    std::vector<Diagnostic> diags;
    Diagnostics diag([&](const Diagnostic& d) { diags.push_back(d); });
    std::string read;
    try {
        auto src = open_byte_source(path, &diag, CharsetDeclarations::Xml);
        std::vector<char> buf(4099);
        for (std::size_t i = 0;; ++i) {
            const std::size_t want = i % 2 ? 1 + data[1] % 64 : buf.size();
            const std::size_t got = src->read(buf.data(), want);
            if (got == 0) break;
            read.append(buf.data(), got);
        }
    } catch (const trawl::InputError&) {
        std::abort();  // a plain file, readable
    }
    TRAWL_FUZZ_CHECK(is_valid_utf8(read));
    // Text with a NUL may be told UTF-16 by its NULs first: only its UTF-8 is checked.
    if (text.find('\0') != std::string_view::npos) return 0;
    TRAWL_FUZZ_CHECK(read == declaration + whole.text);
    if (whole.replaced == 0) {
        TRAWL_FUZZ_CHECK(diags.empty());
    } else {
        TRAWL_FUZZ_CHECK(diags.size() == 1);
        TRAWL_FUZZ_CHECK(diags[0].reason == "invalid characters repaired");
        TRAWL_FUZZ_CHECK(diags[0].line == whole.first_replaced_line + 1);  // after the declaration's line
    }
    return 0;
}
