// trawl-index --delete: removes whole articles in one transaction (one per
// shard of a sharded index).
#include "indexer/delete_articles.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <unordered_set>

#include <xapian.h>

#include "corpus/base/counted.hpp"
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

// Builders writing each database (`dbs`, at `paths`) as the restores of
// indexer/twins.hpp do: with the split that database records and its
// dictionary and positional words (a database without documents takes those
// of the first that has some, as every shard shares them). One batch each,
// however many articles it restores: the deletion and its restores commit
// together.
std::vector<std::unique_ptr<IndexBuilder>> restore_builders(const std::vector<std::string>& paths,
                                                            std::vector<Xapian::WritableDatabase>& dbs,
                                                            corpus::Diagnostics& diag) {
    std::size_t model = 0;
    while (model + 1 < dbs.size() && dbs[model].get_doccount() == 0) ++model;
    const Trained kept = read_trained(dbs[model]);
    std::vector<std::unique_ptr<IndexBuilder>> builders;
    for (std::size_t i = 0; i < dbs.size(); ++i) {
        BuilderOptions opts;
        if (const auto split = parse_split_metadata(dbs[i].get_metadata(std::string(format::kMetaSplit))))
            opts.split = *split;
        opts.batch_articles = std::numeric_limits<std::uint32_t>::max();
        builders.push_back(std::make_unique<IndexBuilder>(dbs[i], paths[i], opts, diag));
        builders.back()->use_trained(kept);
    }
    return builders;
}

// What was committed when restoring failed (`committed`: per database,
// whether its revision moved): "deleted 2 articles (3 passages)", or
// "deleted 1 of the 2 articles (1 passages; the rest are still in the
// index)" when another shard's commit failed.
std::string committed_text(const std::vector<bool>& committed, const std::vector<std::vector<std::string>>& ids_in,
                           const std::vector<std::uint64_t>& passages_in, std::uint64_t articles) {
    std::unordered_set<std::string> ids;
    std::uint64_t passages = 0;
    for (std::size_t i = 0; i < committed.size(); ++i) {
        if (!committed[i]) continue;
        ids.insert(ids_in[i].begin(), ids_in[i].end());
        passages += passages_in[i];
    }
    if (ids.size() == articles)
        return "deleted " + counted(articles, "article") + " (" + counted(passages, "passage") + ")";
    return "deleted " + std::to_string(ids.size()) + " of the " + counted(articles, "article") + " (" +
           counted(passages, "passage") + "; the rest are still in the index)";
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
    std::vector<std::vector<std::string>> twin_ids(dbs.size());  // whose twin records go, per database
    std::vector<std::vector<std::string>> ids_in(dbs.size());    // the articles deleted from each database
    std::vector<std::uint64_t> passages_in(dbs.size(), 0);
    DeleteStats stats;
    std::unordered_set<std::string> done;
    for (const auto& id : ids) {
        if (!done.insert(id).second) continue;
        // Every shard is asked, not only shard_of(id): shards listed in a stub
        // by hand need not follow the hash.
        Xapian::doccount found = 0;
        bool twin = false;
        for (std::size_t i = 0; i < dbs.size(); ++i) {
            const auto live = format::live_passages(dbs[i], id, dead[i]);
            bool here = false;
            if (live.count > 0) {
                dead[i].add(id, live.last_sequence, live.count);
                passages_in[i] += live.count;
                found += live.count;
                here = true;
            }
            if (twins[i] && id.size() <= format::kMaxArticleIdBytes &&
                !dbs[i].get_metadata(format::twin_key(id)).empty()) {
                twin_ids[i].push_back(id);
                twin = here = true;
            }
            if (here) {
                ids_in[i].push_back(id);
                changed[i] = true;
            }
        }
        if (found == 0 && !twin) {
            stats.unknown.push_back(id);
            continue;
        }
        ++stats.articles;
        stats.passages += found;
    }
    if (!std::count(twins.begin(), twins.end(), true)) {
        // No twin records: nothing to restore. One transaction per shard
        // (all of a shard's deletions or none).
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
    // Twin records: the deletions go in the builders' batches, and the twins
    // whose original they take are indexed in the same transaction
    // (indexer/twins.hpp), one per database; so a disk too full for the
    // restores deletes nothing. (A run killed before the restores of a later
    // pass, or of another shard, is mended by the next run, which checks
    // again.)
    corpus::Diagnostics diag;
    auto owned = restore_builders(shards, dbs, diag);
    std::vector<IndexBuilder*> builders;
    std::vector<std::unordered_set<std::string>> dropped(dbs.size());
    std::vector<Xapian::rev> before;
    for (std::size_t i = 0; i < dbs.size(); ++i) {
        builders.push_back(owned[i].get());
        before.push_back(dbs[i].get_revision());
        if (!changed[i]) continue;
        for (const auto& id : ids_in[i]) builders[i]->remove(id);
        for (const auto& id : twin_ids[i]) {
            builders[i]->drop_twin(id);
            dropped[i].insert(id);
        }
    }
    RestoreOptions opts{.pending_dead = &dead,
                        .pending_dropped = &dropped,
                        .batch_open = std::count(changed.begin(), changed.end(), true) > 0};
    // A failure after a database committed its deletion (a later pass, or
    // another shard) says what was deleted; one before says the index is
    // at its last commit, as it is.
    const auto unless_committed = [&](const std::string& why) {
        std::vector<bool> committed(dbs.size());
        bool any = false;
        for (std::size_t i = 0; i < dbs.size(); ++i) {
            committed[i] = changed[i] && dbs[i].get_revision() != before[i];
            any = any || committed[i];
        }
        if (!any) return;
        throw Error(path + ": " + committed_text(committed, ids_in, passages_in, stats.articles) +
                    ", but re-indexing the duplicates whose original is gone failed (" + why +
                    "); the next trawl-index run on " + path + " re-indexes them" +
                    (why.starts_with("disk full") ? ", once there is room" : ""));
    };
    try {
        stats.restored = restore_orphaned_twins(builders, opts);
    } catch (const Xapian::Error& e) {
        std::string why = write_error_message(path, e).substr(path.size() + 2);
        if (const auto semi = why.find(';'); why.starts_with("disk full") && semi != std::string::npos)
            why.resize(semi);  // "disk full (No space left on device)"
        unless_committed(why);
        throw;
    } catch (const Error& e) {
        unless_committed(e.what());
        throw;
    }
    return stats;
}

}  // namespace trawl::index
