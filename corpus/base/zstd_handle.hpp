// RAII handles for zstd contexts and dictionaries, and the one error check
// every zstd call goes through.
#pragma once

#include <memory>
#include <string>

#include <zstd.h>

#include "corpus/base/error.hpp"

namespace trawl::zstd {

struct CCtxFree {
    void operator()(ZSTD_CCtx* p) const { ZSTD_freeCCtx(p); }
};
struct DCtxFree {
    void operator()(ZSTD_DCtx* p) const { ZSTD_freeDCtx(p); }
};
struct CDictFree {
    void operator()(ZSTD_CDict* p) const { ZSTD_freeCDict(p); }
};
struct DDictFree {
    void operator()(ZSTD_DDict* p) const { ZSTD_freeDDict(p); }
};
struct DStreamFree {
    void operator()(ZSTD_DStream* p) const { ZSTD_freeDStream(p); }
};

using CCtx = std::unique_ptr<ZSTD_CCtx, CCtxFree>;
using DCtx = std::unique_ptr<ZSTD_DCtx, DCtxFree>;
using CDict = std::unique_ptr<ZSTD_CDict, CDictFree>;
using DDict = std::unique_ptr<ZSTD_DDict, DDictFree>;
using DStream = std::unique_ptr<ZSTD_DStream, DStreamFree>;

// Returns `r` or throws trawl::Error("<what>: <zstd error name>").
inline std::size_t check(std::size_t r, const std::string& what) {
    if (ZSTD_isError(r)) throw Error(what + ": " + ZSTD_getErrorName(r));
    return r;
}

}  // namespace trawl::zstd
