#include "query/pair_signatures.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include <sys/mman.h>

#include "indexer/format/schema.hpp"

namespace trawl::query {

std::shared_ptr<const PairSignatures> PairSignatures::read(const Xapian::Database& db, std::uint64_t max_bytes) {
    max_bytes = std::min(max_bytes, kMaxBytes);
    // Two walks of the slot: the first sums the sizes, so that a table too
    // large is never allocated and the bytes are copied once into a buffer
    // of their size (appending to a string copied them about twice more, and
    // took 0.84 s on Wikipedia where the two walks take 0.36, 0.22 s without
    // the page faults below).
    const std::size_t slots = std::size_t{db.get_lastdocid()} + 2;
    std::uint64_t total = 0;
    for (auto v = db.valuestream_begin(format::kSlotPairs); v != db.valuestream_end(format::kSlotPairs); ++v) {
        if (std::size_t{v.get_docid()} + 1 >= slots) break;
        total += (*v).size();
        if (total + slots * sizeof(std::uint32_t) > max_bytes) return nullptr;
    }
    std::shared_ptr<PairSignatures> t(new PairSignatures);
    if (total == 0) return t;  // no signature: nothing to hold
    // In 2 MiB pages where the kernel gives them on request (transparent
    // huge pages in "madvise" mode, as on the project VM): there a 4 KiB
    // page's first touch costs about 13 us, 0.22 s for Wikipedia's 69 MB,
    // against 6 ms in huge pages.
    constexpr std::size_t kHugePage = std::size_t(2) << 20;
    const std::size_t size = (total + kHugePage - 1) / kHugePage * kHugePage;
    t->bytes_.reset(static_cast<char*>(std::aligned_alloc(kHugePage, size)));
    if (!t->bytes_) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    ::madvise(t->bytes_.get(), size, MADV_HUGEPAGE);  // advice: where refused, 4 KiB pages
#endif
    auto& ends = t->ends_;
    ends.assign(slots, 0);
    std::uint32_t at = 0;    // below total, itself below kMaxBytes < 4 GiB
    std::size_t filled = 0;  // ends[0..filled] are set
    for (auto v = db.valuestream_begin(format::kSlotPairs); v != db.valuestream_end(format::kSlotPairs); ++v) {
        // A docid past the last one the database names (a handle reopened on
        // another index moved into its path reads the old tables beside the
        // new revision) is never written past the table's end.
        const std::size_t did = v.get_docid();
        if (did + 1 >= slots) break;
        const std::string signature = *v;
        if (signature.size() > total - at) break;              // never past the buffer, whatever the second walk reads
        for (; filled < did; ++filled) ends[filled + 1] = at;  // the passages between hold none
        std::memcpy(t->bytes_.get() + at, signature.data(), signature.size());
        at += static_cast<std::uint32_t>(signature.size());
        ends[did + 1] = at;
        filled = did + 1;
    }
    for (; filled + 1 < slots; ++filled) ends[filled + 1] = at;
    return t;
}

}  // namespace trawl::query
