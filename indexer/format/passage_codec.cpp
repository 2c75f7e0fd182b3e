#include "indexer/format/passage_codec.hpp"

#include <numeric>

#define ZDICT_STATIC_LINKING_ONLY  // ZDICT_trainFromBuffer_fastCover with fixed parameters
#include <zstd_errors.h>

#include <zdict.h>

#include "corpus/base/error.hpp"

namespace trawl::format {

std::string train_dictionary(std::span<const std::string> samples, std::size_t max_bytes) {
    // ZDICT needs a reasonable amount of material: below this it either fails
    // or produces a dictionary that does not pay for itself.
    constexpr std::size_t kMinSamples = 64;
    constexpr std::size_t kMinTotalBytes = 32 * 1024;
    if (samples.size() < kMinSamples) return {};
    std::string joined;
    std::vector<std::size_t> sizes;
    sizes.reserve(samples.size());
    for (const auto& s : samples) {
        joined += s;
        sizes.push_back(s.size());
    }
    if (joined.size() < kMinTotalBytes) return {};
    // A dictionary much larger than ~1/10 of the training data overfits.
    max_bytes = std::min(max_bytes, std::max<std::size_t>(4096, joined.size() / 10));
    std::string dict(max_bytes, '\0');
    // One fastCover pass with fixed parameters: ZDICT_trainFromBuffer() searches
    // over k and d and takes ~15 s on 4 MB of passages; this takes well under one
    // and compresses news passages within a few per cent of it.
    ZDICT_fastCover_params_t params{};
    params.k = 200;
    params.d = 8;
    params.f = 20;
    params.steps = 0;
    params.nbThreads = 1;
    params.splitPoint = 1.0;
    params.accel = 1;
    // Level of the trial compressions that set the entropy tables: 3 trains
    // 3x faster than 6 (0.08 vs 0.24 s on 4 MB) for 2.582x instead of 2.590x
    // on Reuters; training is serial (every worker waits for it).
    params.zParams.compressionLevel = 3;
    auto r = ZDICT_trainFromBuffer_fastCover(dict.data(), dict.size(), joined.data(), sizes.data(),
                                             static_cast<unsigned>(sizes.size()), params);
    if (ZDICT_isError(r)) return {};  // "not enough samples" and the like: fall back to plain zstd
    dict.resize(r);
    return dict;
}

PassageCodec::PassageCodec(std::string dictionary, int level)
    : dict_(std::move(dictionary)), level_(level), dctx_(ZSTD_createDCtx()) {
    if (!dctx_) throw Error("zstd: out of memory");
    if (!dict_.empty()) {
        ddict_.reset(ZSTD_createDDict(dict_.data(), dict_.size()));
        if (!ddict_) throw IndexFormatError("zstd: the index's dictionary is not valid");
    }
}

void PassageCodec::prepare_compression() {
    // Digesting a 256 KiB dictionary for compression took 16% of a one-shot
    // trawl-query on Wikipedia, which only decompresses (bench/RESULTS.md,
    // "Issue 10, tenth round"): done on the first compress().
    zstd::CCtx cctx(ZSTD_createCCtx());
    if (!cctx) throw Error("zstd: out of memory");
    if (!dict_.empty()) {
        zstd::CDict cdict(ZSTD_createCDict(dict_.data(), dict_.size(), level_));
        if (!cdict) throw IndexFormatError("zstd: the index's dictionary is not valid");
        zstd::check(ZSTD_CCtx_refCDict(cctx.get(), cdict.get()), "zstd dictionary");
        // An index has one dictionary: a 4-byte dictionary id in every frame
        // would only cost 1.7% of the stored text (bench/RESULTS.md).
        zstd::check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_dictIDFlag, 0), "zstd parameter");
        cdict_ = std::move(cdict);
    } else {
        zstd::check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level_), "zstd parameter");
    }
    cctx_ = std::move(cctx);
}

std::string PassageCodec::compress(std::string_view raw) {
    if (!cctx_) prepare_compression();
    std::string out(ZSTD_compressBound(raw.size()), '\0');
    // The parameters (and dictionary) set in prepare_compression() stick to the context.
    const auto n =
        zstd::check(ZSTD_compress2(cctx_.get(), out.data(), out.size(), raw.data(), raw.size()), "zstd compress");
    out.resize(n);
    return out;
}

std::string PassageCodec::decompress(std::string_view frame, std::uint64_t raw_size) {
    std::string out;
    decompress_into(frame, raw_size, out);
    out.resize(raw_size);
    return out;
}

std::string_view PassageCodec::decompress_into(std::string_view frame, std::uint64_t raw_size, std::string& buffer) {
    constexpr std::uint64_t kMaxRaw = 256u << 20;  // no stored passage is this large
    if (raw_size > kMaxRaw) throw IndexFormatError("stored passage claims " + std::to_string(raw_size) + " bytes");
    auto content = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (content == ZSTD_CONTENTSIZE_ERROR) throw IndexFormatError("stored passage is not a zstd frame");
    if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != raw_size)
        throw IndexFormatError("stored passage size mismatch");
    if (buffer.size() < raw_size) buffer.resize(raw_size);
    std::size_t n;
    if (ddict_) {
        n = ZSTD_decompress_usingDDict(dctx_.get(), buffer.data(), raw_size, frame.data(), frame.size(), ddict_.get());
    } else {
        n = ZSTD_decompressDCtx(dctx_.get(), buffer.data(), raw_size, frame.data(), frame.size());
    }
    if (ZSTD_isError(n)) {
        // Frames carry no dictionary id (prepare_compression()), so zstd
        // cannot tell a frame written with another dictionary (or none) from
        // a damaged one, and calls both "Dictionary is corrupted", of a sound
        // dictionary: said as what is known.
        const auto code = ZSTD_getErrorCode(n);
        if (code == ZSTD_error_dictionary_corrupted || code == ZSTD_error_dictionary_wrong)
            throw IndexFormatError(
                std::string("stored passage does not decompress with ") +
                (ddict_ ? "this database's dictionary" : "no dictionary, as this database has none") +
                " (written with another, or damaged)");
        throw IndexFormatError(std::string("stored passage: ") + ZSTD_getErrorName(n));
    }
    if (n != raw_size) throw IndexFormatError("stored passage size mismatch");
    return std::string_view(buffer.data(), raw_size);
}

}  // namespace trawl::format
