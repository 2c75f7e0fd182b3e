// libFuzzer target for ByteSource: arbitrary bytes as a file, decoded as
// plain, zstd or gzip by their magic bytes (seeds hold real .zst and .gz
// files), read with varying buffer sizes and again line by line. Bad or
// truncated compressed data must end in InputError, never in a crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "corpus/base/error.hpp"
#include "corpus/read/byte_source.hpp"
#include "tests/fuzz/fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace trawl::corpus;
    const std::string path = trawl::fuzz::write_scratch_file("input", data, size);
    std::uint64_t total = 0;
    try {
        auto src = open_byte_source(path);
        // Odd sizes exercise partial output buffers; the large one the
        // buffer-bypassing plain read path.
        static const std::size_t kSizes[] = {1, 7, 4096, (1u << 17) + 3};
        std::vector<char> buf((1u << 17) + 3);
        for (std::size_t i = 0;; ++i) {
            const std::size_t want = kSizes[i % 4];
            const std::size_t got = src->read(buf.data(), want);
            TRAWL_FUZZ_CHECK(got <= want);
            if (got == 0) break;
            total += got;
        }
        TRAWL_FUZZ_CHECK(src->raw_bytes_read() <= size);
    } catch (const trawl::InputError&) {
        return 0;
    }
    try {
        LineReader lines(open_byte_source(path));
        std::string line;
        std::uint64_t bytes = 0;
        while (lines.next(line)) {
            TRAWL_FUZZ_CHECK(line.find('\n') == std::string::npos);
            bytes += line.size();
        }
        TRAWL_FUZZ_CHECK(bytes <= total);
    } catch (const trawl::InputError&) {
        std::abort();  // the same input decoded without error above
    }
    return 0;
}
