// Test helpers: write files and produce zstd/gzip data (whole, multi-frame,
// truncated) at test time, so no binary fixtures need to be committed.
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <zlib.h>
#include <zstd.h>

namespace trawl::test {

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// One zstd frame.
inline std::string zstd_compress(std::string_view data, int level = 3) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
    if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

// One gzip member (windowBits 15 + 16 = gzip wrapper).
inline std::string gzip_compress(std::string_view data) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int r = deflate(&zs, Z_FINISH);
    deflateEnd(&zs);
    if (r != Z_STREAM_END) throw std::runtime_error("deflate");
    out.resize(zs.total_out);
    return out;
}

// `head`, then `fill` `times` over, then `tail`, as concatenated gzip members
// (read as one stream by gzip(1) and by Trawl): `fill` is compressed once, so a
// gigabyte of input costs the test one small file and no time. Hostile-input
// tests use it for gzip bombs and endless lines.
inline std::string gzip_repeated(std::string_view head, std::string_view fill, std::size_t times,
                                 std::string_view tail) {
    const std::string member = gzip_compress(fill);
    std::string out = gzip_compress(head);
    out.reserve(out.size() + member.size() * times + 64);
    for (std::size_t i = 0; i < times; ++i) out += member;
    return out + gzip_compress(tail);
}

}  // namespace trawl::test
