// trawl-index --delete: removes whole articles in one transaction (one per
// shard of a sharded index).
#include "indexer/delete_articles.hpp"

#include <unordered_set>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/index_builder.hpp"
#include "indexer/index_dir.hpp"

namespace trawl::index {

namespace {

// The index must exist (DB_OPEN: deleting creates nothing) and be Trawl's.
Xapian::WritableDatabase open_for_delete(const std::string& path) {
    auto db = open_writable(path, Xapian::DB_OPEN);
    format::check_format(db, path);
    return db;
}

}  // namespace

DeleteStats delete_articles(const std::string& path, const std::vector<std::string>& ids) {
    // A sharded index: every shard is opened (and so locked) before anything
    // is deleted.
    const auto shards = format::shard_paths(path);
    std::vector<Xapian::WritableDatabase> dbs;
    for (const auto& shard : shards) dbs.push_back(open_for_delete(shard));
    if (shards.size() > 1 || shards.front() != path) remove_leftovers(path);  // a stub: every shard is locked

    // Nothing leaves the tables (a v3 index has no termlist): each shard
    // records which passages are dead (format/deletions.hpp).
    std::vector<format::Deletions> dead;
    for (const auto& db : dbs) dead.push_back(format::Deletions::read(db));
    std::vector<bool> changed(dbs.size(), false);
    DeleteStats stats;
    std::unordered_set<std::string> done;
    for (const auto& id : ids) {
        if (!done.insert(id).second) continue;
        // Every shard is asked, not only shard_of(id): shards listed in a stub
        // by hand need not follow the hash.
        Xapian::doccount found = 0;
        for (std::size_t i = 0; i < dbs.size(); ++i) {
            const auto live = format::live_passages(dbs[i], id, dead[i]);
            if (live.count == 0) continue;
            dead[i].add(id, live.last_sequence, live.count);
            changed[i] = true;
            found += live.count;
        }
        if (found == 0) {
            stats.unknown.push_back(id);
            continue;
        }
        ++stats.articles;
        stats.passages += found;
    }
    // One transaction per shard (all of a shard's deletions or none).
    for (std::size_t i = 0; i < dbs.size(); ++i) {
        if (!changed[i]) continue;
        dbs[i].begin_transaction(true);
        try {
            dead[i].write(dbs[i]);
        } catch (...) {
            dbs[i].cancel_transaction();
            throw;
        }
        commit_transaction(dbs[i], shards[i]);
    }
    return stats;
}

}  // namespace trawl::index
