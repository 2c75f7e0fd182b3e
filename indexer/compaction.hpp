// Replacing an index directory by a compacted copy without ever leaving a
// half-written index at its path: Xapian compaction into a fresh sibling
// directory, then an atomic exchange of the two directory names.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/progress.hpp"

namespace trawl::index {

// Told the name of each table ("postlist", "position"...) as compaction
// starts it (the progress line).
using TableListener = std::function<void(const std::string& table)>;

// Shows compaction of `sources` (database directories) as phase `phase` of
// `progress` (null: nothing shown), its percentage by the bytes of the tables
// done.
TableListener table_progress(Progress* progress, Phase phase, const std::vector<std::string>& sources);

// Writes a compacted copy of `db` (one or several databases; all committed)
// to `out`, which must not exist.
void compact_to(Xapian::Database db, const std::string& out, const TableListener& on_table = {});

// Compacts the index at `path`, which `db` (the caller's writer, holding its
// lock) has open, and swaps the compacted copy in; `db` is closed (its lock
// released) once the copy is in place. Readers that have the old index open
// keep reading it (their open files stay valid) until they reopen.
void compact_in_place(Xapian::WritableDatabase& db, const std::string& path, const TableListener& on_table = {});

}  // namespace trawl::index
