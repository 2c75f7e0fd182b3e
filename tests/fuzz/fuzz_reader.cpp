// libFuzzer target for one corpus reader, chosen at build time by
// TRAWL_FUZZ_FORMAT ("text", "jsonl", "sgml", ...): the input is written to a
// file and read through open_corpus() with that format, as trawl-index would.
// Input errors are values (Diagnostics) or InputError; anything else is a bug.
// Checks the reader's contract: titles and bodies are valid UTF-8.
#include <cstddef>
#include <cstdint>

#include "corpus/base/error.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/text/normalize.hpp"
#include "tests/fuzz/fuzz_util.hpp"

#ifndef TRAWL_FUZZ_FORMAT
#error "TRAWL_FUZZ_FORMAT must name a reader format"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace trawl::corpus;
    static const Format format = parse_format(TRAWL_FUZZ_FORMAT);
    const std::string path = trawl::fuzz::write_scratch_file("input", data, size);
    ReaderOptions opts;
    opts.format = format;
    Diagnostics diag;
    try {
        auto reader = open_corpus({path}, opts, diag);
        Article a;
        while (reader->next(a)) {
            TRAWL_FUZZ_CHECK(is_valid_utf8(a.body));
            TRAWL_FUZZ_CHECK(is_valid_utf8(a.title));
            TRAWL_FUZZ_CHECK(is_valid_utf8(a.id));
        }
    } catch (const trawl::InputError&) {
        // An unreadable input (e.g. a truncated compressed stream): documented.
    }
    return 0;
}
