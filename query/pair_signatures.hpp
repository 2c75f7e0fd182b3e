// Every passage's word-pair signature (format/pair_signature.hpp, value slot
// kSlotPairs) of a single database, read into memory in one walk of the
// slot, so that a phrase's candidates are rejected without a value lookup
// each. The searcher buys it once the lookups pay for it (searcher.hpp,
// InMemoryTables); results are the same either way.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "query/table_loader.hpp"

namespace trawl::query {

class PairSignatures {
public:
    // The most bytes a table takes, its offsets included (about 5.5 million
    // passages of Wikipedia's, 83 bytes of signature and 4 of offset each):
    // a searcher reads a larger index's signatures from the index, lookup by
    // lookup, rather than hold them all. Below 4 GiB: the offsets are 32-bit.
    static constexpr std::uint64_t kMaxBytes = std::uint64_t(512) << 20;
    // Every signature of `db`; null when the table would take more than
    // `max_bytes` (at most kMaxBytes). An index without signatures (every
    // word keeps its positions) gives an empty table, which answers "none".
    // `stop`, when given, ends the walk early once raised (null).
    static std::shared_ptr<const PairSignatures> read(const Xapian::Database& db, std::uint64_t max_bytes = kMaxBytes,
                                                      const std::atomic<bool>* stop = nullptr);
    // The signature of passage `did`: empty for a passage without one (none
    // stored, or a docid the database did not hold when read).
    std::string_view of(Xapian::docid did) const {
        const std::size_t at = did;
        if (at + 1 >= ends_.size()) return {};
        return std::string_view(bytes_.at + ends_[at], ends_[at + 1] - ends_[at]);
    }

private:
    PairSignatures() = default;
    // An anonymous mapping, unmapped with the table.
    struct Mapping {
        char* at = nullptr;
        std::size_t size = 0;
        Mapping() = default;
        Mapping(const Mapping&) = delete;
        Mapping& operator=(const Mapping&) = delete;
        ~Mapping();
    };
    std::vector<std::uint32_t> ends_;  // signature of did: bytes_.at[ends_[did], ends_[did + 1])
    Mapping bytes_;
};
static_assert(PairSignatures::kMaxBytes < (std::uint64_t(1) << 32));

// Where a searcher's checks find the signatures: the index, each read
// counted, until the table is held (then `table`, for a search of one
// database; table_loader.hpp). Used by the searcher's thread only.
struct SignatureReads : HeldTable<PairSignatures> {
    std::uint64_t reads = 0;
};

}  // namespace trawl::query
