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
#include <vector>

namespace trawl::index {

class IndexBuilder;

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
std::uint64_t restore_orphaned_twins(const std::vector<IndexBuilder*>& builders);

// Whether any database of `paths` holds a twin record (one key lookup each).
bool has_twin_records(const std::vector<std::string>& paths);

}  // namespace trawl::index
