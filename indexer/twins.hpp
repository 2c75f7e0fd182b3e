// Twin records at work: an article skipped as a duplicate is kept as a twin
// record (format/twins.hpp) naming the content it duplicates; at the end of
// every indexing and every --delete run, each record whose content has no
// live passage left (its original changed, or was deleted) is indexed
// through the normal builder path and dropped in the same commit. The check
// runs every run, so a run killed between replacing the original and
// restoring its twins is mended by the next one.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "indexer/format/deletions.hpp"

namespace trawl::index {

class IndexBuilder;

struct RestoreOptions {
    // Deletions the builders hold in their open batches, not committed yet
    // (--delete): per builder, its database's dead passages with them and
    // the ids whose twin records they drop. The first pass judges what is
    // orphaned as if they were committed, leaves those records alone, and
    // commits the batches with its restores: each database's deletion and
    // the restores it calls for in one transaction (all or none of them).
    const std::vector<format::Deletions>* pending_dead = nullptr;
    const std::vector<std::unordered_set<std::string>>* pending_dropped = nullptr;
    // The builders hold uncommitted work (the deletions above): committed
    // after the first pass even when it restores nothing.
    bool batch_open = false;
    // Mid-run (trawl-index --stream at its commits): the builders are
    // committed (IndexBuilder::commit_now()), not finished, and go on.
    bool mid_run = false;
};

// Restores the orphaned twins of one index: `builders` write every database
// of it (its shards, in any order; a new index's temporary shards), each
// finished (committed). Reads each database afresh from its builder's path,
// its twin records one at a time (one posting list looked up a record, in
// every database, dead passages left out); an orphan is indexed by the
// builder of the database holding its record (restore()), or only dropped
// when its id has live passages (written by a trawl-index that kept no
// records). Then commits, and passes again until a pass restores nothing
// (an exact twin of a twin restored in this pass is not restored: the
// restored one holds its content now). Returns the articles restored.
// Throws IndexFormatError for a damaged record.
std::uint64_t restore_orphaned_twins(const std::vector<IndexBuilder*>& builders, const RestoreOptions& opts = {});

// Whether any database of `paths` holds a twin record (one key lookup each).
bool has_twin_records(const std::vector<std::string>& paths);

}  // namespace trawl::index
