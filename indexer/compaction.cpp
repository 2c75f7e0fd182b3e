#include "indexer/compaction.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

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

TableListener table_progress(Progress* progress, Phase phase, const std::vector<std::string>& sources) {
    if (!progress) return {};
    auto sizes = std::make_shared<std::map<std::string, std::uint64_t>>();
    std::uint64_t total = 0;
    for (const auto& dir : sources) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            if (e.path().extension() != ".glass") continue;
            const auto n = e.file_size(ec);
            if (ec) continue;
            (*sizes)[e.path().stem().string()] += n;
            total += n;
        }
    }
    progress->phase(phase, total);
    auto done = std::make_shared<std::uint64_t>(0);
    auto current = std::make_shared<std::string>();
    return [=](const std::string& table) {
        if (table == *current) return;
        *done += (*sizes)[*current];
        *current = table;
        progress->advance(*done, table + " table");
    };
}

void compact_to(Xapian::Database db, const std::string& out, const TableListener& on_table) {
    try {
        MetadataMerger merger(on_table);
        db.compact(out, 0, format::kBlockSize, merger);
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
