// trawl-index --delete: removes whole articles in one transaction (one per
// shard of a sharded index).
#include "indexer/delete_articles.hpp"

#include <unordered_set>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/twins.hpp"
#include "indexer/index_builder.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/twins.hpp"

namespace trawl::index {

namespace {

// The index must exist (DB_OPEN: deleting creates nothing) and be Trawl's.
Xapian::WritableDatabase open_for_delete(const std::string& path) {
    auto db = open_writable(path, Xapian::DB_OPEN);
    format::check_format(db, path);
    return db;
}

bool has_twins(const Xapian::Database& db) {
    const std::string prefix(format::kMetaTwinPrefix);
    return db.metadata_keys_begin(prefix) != db.metadata_keys_end(prefix);
}

// Indexes the twins whose original is gone (indexer/twins.hpp), each into
// the database holding its record, with the split that database records
// and its dictionary and positional words (a database without documents
// takes those of the first that has some, as every shard shares them).
std::uint64_t restore_twins(const std::vector<std::string>& paths, std::vector<Xapian::WritableDatabase>& dbs) {
    if (!has_twin_records(paths)) return 0;
    std::size_t model = 0;
    while (model + 1 < dbs.size() && dbs[model].get_doccount() == 0) ++model;
    const Trained kept = read_trained(dbs[model]);
    corpus::Diagnostics diag;
    std::vector<std::unique_ptr<IndexBuilder>> builders;
    std::vector<IndexBuilder*> all;
    for (std::size_t i = 0; i < dbs.size(); ++i) {
        BuilderOptions opts;
        if (const auto split = parse_split_metadata(dbs[i].get_metadata(std::string(format::kMetaSplit))))
            opts.split = *split;
        builders.push_back(std::make_unique<IndexBuilder>(dbs[i], paths[i], opts, diag));
        builders.back()->use_trained(kept);
        all.push_back(builders.back().get());
    }
    return restore_orphaned_twins(all);
}

}  // namespace

DeleteStats delete_articles(const std::string& path, const std::vector<std::string>& ids) {
    // One shard of a set alone would restore the twins whose original it
    // does not hold, though another shard does: duplicates indexed beside
    // their originals.
    if (!format::is_sharded(path))
        refuse_shard_of_a_set(path, "delete from", "which looks for the originals of its twins in every shard");
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
    // Twin records of listed ids, per database: deleted too.
    std::vector<bool> twins;
    for (const auto& db : dbs) twins.push_back(has_twins(db));
    std::vector<std::vector<std::string>> twin_keys(dbs.size());
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
        bool twin = false;
        for (std::size_t i = 0; i < dbs.size() && id.size() <= format::kMaxArticleIdBytes; ++i) {
            if (!twins[i]) continue;
            auto key = format::twin_key(id);
            if (dbs[i].get_metadata(key).empty()) continue;
            twin_keys[i].push_back(std::move(key));
            changed[i] = true;
            twin = true;
        }
        if (found == 0 && !twin) {
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
            for (const auto& key : twin_keys[i]) dbs[i].set_metadata(key, std::string());
        } catch (...) {
            dbs[i].cancel_transaction();
            throw;
        }
        commit_transaction(dbs[i], shards[i]);
    }
    // What the deleted articles were the originals of is indexed now; a run
    // killed before this is mended by the next run, which checks again.
    stats.restored = restore_twins(shards, dbs);
    return stats;
}

}  // namespace trawl::index
