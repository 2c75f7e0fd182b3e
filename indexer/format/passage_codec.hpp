// zstd compression of stored passages with a dictionary trained on the corpus.
// Short passages compress poorly alone; a dictionary of the corpus's common
// strings makes them compress well. One codec per open index (per shard).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/base/zstd_handle.hpp"

namespace trawl::format {

// Trains a dictionary of at most `max_bytes` from samples (ZDICT). Returns an
// empty string when the samples are too few or too small to train on.
// 256 KiB: on Reuters passages 2.59x at level 6 where 112 KiB gave 2.43x
// (bench/RESULTS.md, "Stored text").
std::string train_dictionary(std::span<const std::string> samples, std::size_t max_bytes = 256 * 1024);

class PassageCodec {
public:
    // `dictionary` may be empty (plain zstd). Digested here for
    // decompression, and for compression on the first compress(): a searcher
    // never compresses.
    explicit PassageCodec(std::string dictionary = {}, int level = 6);
    std::string compress(std::string_view raw);
    // Throws IndexFormatError if the frame is corrupt or would exceed `raw_size`.
    std::string decompress(std::string_view frame, std::uint64_t raw_size);
    // The same into `buffer` (grown when short, never shrunk: one buffer
    // serves passage after passage without allocating); the text is its
    // first `raw_size` bytes, returned.
    std::string_view decompress_into(std::string_view frame, std::uint64_t raw_size, std::string& buffer);
    const std::string& dictionary() const { return dict_; }
    // Makes the compression context and digests the dictionary for it (what
    // the first compress() does otherwise): a writer calls it when it opens
    // the index, so that a dictionary zstd cannot compress with fails there,
    // before any input is read. Throws IndexFormatError for such a dictionary.
    void prepare_compression();
    // Whether the compression context is made.
    bool compresses() const { return cctx_ != nullptr; }
    // Not thread-safe: one codec per thread.

private:
    std::string dict_;
    int level_;
    zstd::CCtx cctx_;  // null until the first compress()
    zstd::DCtx dctx_;
    zstd::CDict cdict_;  // likewise
    zstd::DDict ddict_;
};

}  // namespace trawl::format
