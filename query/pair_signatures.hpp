// Every passage's word-pair signature (format/pair_signature.hpp, value slot
// kSlotPairs) of a single database, read into memory in one walk of the
// slot, so that a phrase's candidates are rejected without a value lookup
// each. The searcher buys it once the lookups pay for it (searcher.hpp,
// InMemoryTables); results are the same either way.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace trawl::query {

class PairSignatures {
public:
    // The most bytes of signatures a table holds (about 6 million passages
    // of Wikipedia's, 83 bytes each): a searcher reads a larger index's from
    // the index, lookup by lookup, rather than hold them all.
    static constexpr std::uint64_t kMaxBytes = std::uint64_t(512) << 20;
    // Every signature of `db`; null when they are more than `max_bytes`.
    static std::shared_ptr<const PairSignatures> read(const Xapian::Database& db, std::uint64_t max_bytes = kMaxBytes);
    // The signature of passage `did`: empty for a passage without one (none
    // stored, or a docid the database did not hold when read).
    std::string_view of(Xapian::docid did) const {
        if (std::size_t{did} + 1 >= ends_.size()) return {};
        return std::string_view(bytes_.get() + ends_[did], ends_[did + 1] - ends_[did]);
    }

private:
    PairSignatures() = default;
    struct Free {
        void operator()(char* p) const { std::free(p); }
    };
    std::vector<std::uint64_t> ends_;  // signature of did: bytes_[ends_[did], ends_[did + 1])
    std::unique_ptr<char[], Free> bytes_;
};

// Where a searcher's checks find the signatures: the index, each read
// counted, until the table is bought (then `table`, for a search of one
// database).
struct SignatureReads {
    std::shared_ptr<const PairSignatures> table;
    std::uint64_t reads = 0;
    bool too_large = false;  // the table was tried and is larger than PairSignatures::kMaxBytes
};

}  // namespace trawl::query
