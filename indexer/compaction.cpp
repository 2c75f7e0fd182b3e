#include "indexer/compaction.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include "corpus/base/error.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/index_dir.hpp"

namespace trawl::index {
namespace fs = std::filesystem;

namespace {

// Metadata that several source databases hold (the shards of a parallel
// build): the deletion records are united and the next sequence number is
// the largest, so that later appends never reuse one (format/deletions.hpp).
// Anything else is the same in every shard (format stamp, dictionary, split).
class MetadataMerger : public Xapian::Compactor {
public:
    explicit MetadataMerger(const TableListener& on_table) : on_table_(on_table) {}
    void set_status(const std::string& table, const std::string& status) override {
        if (on_table_ && status.empty()) on_table_(table);  // empty: the table starts
    }
    std::string resolve_duplicate_metadata(const std::string& table_key, size_t num_tags,
                                           const std::string tags[]) override {
        // Glass passes the table's key: the user's key after a two-byte
        // metadata prefix ("\0\xc0").
        std::string_view key = table_key;
        if (key.size() >= 2 && key[0] == '\0' && key[1] == '\xc0') key.remove_prefix(2);
        if (key == format::kMetaDeleted) {
            format::Deletions all;
            for (size_t i = 0; i < num_tags; ++i) all.merge(format::Deletions::parse(tags[i]));
            return all.serialise();
        }
        if (key == format::kMetaNextSequence) {
            std::uint64_t next = 0;
            for (size_t i = 0; i < num_tags; ++i) next = std::max<std::uint64_t>(next, std::stoull("0" + tags[i]));
            return std::to_string(next);
        }
        return tags[0];
    }

private:
    const TableListener& on_table_;
};

}  // namespace

void compact_to(Xapian::Database db, const std::string& out, const TableListener& on_table) {
    try {
        MetadataMerger merger(on_table);
        db.compact(out, 0, 0, merger);
    } catch (const Xapian::Error& e) {
        std::error_code ec;
        fs::remove_all(out, ec);
        if (e.get_error_string()) throw;  // a system error (disk full...): the caller names the index
        throw Error(out + ": compaction failed: " + e.get_description());
    }
}

void compact_in_place(Xapian::WritableDatabase& db, const std::string& path, const TableListener& on_table) {
    db.commit();
    const auto tmp = sibling_temp_path(path, "compact");
    compact_to(db, tmp, on_table);
    exchange_paths(tmp, path);  // the old index is now at `tmp`
    fault_point("after-swap");
    db.close();
    remove_database_dir(tmp);  // what Xapian made of it, nothing else
}

}  // namespace trawl::index
