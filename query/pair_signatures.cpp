#include "query/pair_signatures.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

#include <sys/mman.h>

#include "indexer/format/schema.hpp"

namespace trawl::query {

namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;

std::size_t huge_pages(std::uint64_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }

}  // namespace

PairSignatures::Mapping::~Mapping() {
    if (at) ::munmap(at, size);
}

std::shared_ptr<const PairSignatures> PairSignatures::read(const Xapian::Database& db, std::uint64_t max_bytes,
                                                           const std::atomic<bool>* stop) {
    max_bytes = std::min(max_bytes, kMaxBytes);
    std::shared_ptr<PairSignatures> t(new PairSignatures);
    // Nothing to hold: an index without signatures (every word keeps its
    // positions) gives an empty table, whatever the bound.
    const Xapian::doccount held = db.get_value_freq(format::kSlotPairs);
    if (held == 0) return t;
    const std::size_t slots = std::size_t{db.get_lastdocid()} + 2;
    const std::uint64_t offsets = slots * sizeof(std::uint32_t);
    // A signature takes a byte at least: past the bound before any walk.
    if (offsets + held > max_bytes) return nullptr;
    // One walk of the slot into a mapping as large as the bound allows: only
    // the pages written take memory (the rest is address space, given back
    // after the walk), and each signature is copied once. Two walks, the
    // first summing the sizes, cost twice the reading (1,060 instructions a
    // passage against 530 on Wikipedia: Xapian hands each value over as a
    // string of its own).
    const std::uint64_t most = max_bytes - offsets;
    // Each signature in docid order to `take(did, signature)` until it
    // returns false; false then, or once `stop` is raised.
    const auto walk = [&](auto take) {
        std::size_t walked = 0;
        for (auto v = db.valuestream_begin(format::kSlotPairs); v != db.valuestream_end(format::kSlotPairs); ++v) {
            // A docid past the last one the database names (a handle
            // reopened on another index moved into its path reads the old
            // tables beside the new revision) is never written past the
            // table's end.
            const std::size_t did = v.get_docid();
            if (did + 1 >= slots) break;
            if (stop && ++walked % 1024 == 0 && stop->load(std::memory_order_relaxed)) return false;
            if (!take(did, *v)) return false;
        }
        return true;
    };
    auto& bytes = t->bytes_;
    // In 2 MiB pages where the kernel gives them on request (transparent
    // huge pages in "madvise" mode, as on the project VM): there a 4 KiB
    // page's first touch costs about 13 us, 0.22 s for Wikipedia's 69 MB,
    // against 6 ms in huge pages. The mapping starts on a huge page's edge.
    const auto map = [](std::size_t size) {
        return ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    };
    std::size_t reserve = huge_pages(most) + kHugePage;
    void* mapped = map(reserve);
    if (mapped == MAP_FAILED) {
        // The bound's address space refused (a limit on it, ulimit -v, or
        // strict overcommit, which ignores MAP_NORESERVE): the signatures'
        // own size, summed in a first walk (a red-team session: under
        // `ulimit -v`, a batch lost its table and took twice as long).
        std::uint64_t total = 0;
        if (!walk([&](std::size_t, const std::string& signature) { return (total += signature.size()) <= most; }))
            return nullptr;
        reserve = huge_pages(total) + kHugePage;
        mapped = map(reserve);
        if (mapped == MAP_FAILED) throw std::bad_alloc();
    }
    bytes.at = static_cast<char*>(mapped);
    bytes.size = reserve;
    const auto start = reinterpret_cast<std::uintptr_t>(mapped);
    const std::size_t head = (kHugePage - start % kHugePage) % kHugePage;
    if (head) {
        ::munmap(mapped, head);
        bytes.at += head;
        bytes.size -= head;
    }
#ifdef MADV_HUGEPAGE
    ::madvise(bytes.at, bytes.size, MADV_HUGEPAGE);  // advice: where refused, 4 KiB pages
#endif
    auto& ends = t->ends_;
    ends.assign(slots, 0);
    std::uint64_t at = 0;    // at most `most`, itself below kMaxBytes < 4 GiB
    std::size_t filled = 0;  // ends[0..filled] are set
    const bool whole = walk([&](std::size_t did, const std::string& signature) {
        if (signature.size() > most - at) return false;                                    // above the bound: not held
        for (; filled < did; ++filled) ends[filled + 1] = static_cast<std::uint32_t>(at);  // none between
        std::memcpy(bytes.at + at, signature.data(), signature.size());
        at += signature.size();
        ends[did + 1] = static_cast<std::uint32_t>(at);
        filled = did + 1;
        return true;
    });
    if (!whole) return nullptr;
    for (; filled + 1 < slots; ++filled) ends[filled + 1] = static_cast<std::uint32_t>(at);
    // The address space past the pages written, given back.
    const std::size_t used = std::max(huge_pages(at), kHugePage);
    if (used < bytes.size) {
        ::munmap(bytes.at + used, bytes.size - used);
        bytes.size = used;
    }
    return t;
}

}  // namespace trawl::query
