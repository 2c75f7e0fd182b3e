// The tables a Trawl index needs beside the postlist, checked when it is
// opened for searching: Xapian opens a glass database whose optional table
// file is gone as if the table were empty, which would make searches
// silently wrong. A module apart from index_meta (the version stamp): it
// takes the positional words, whose module needs doc_data's, which needs
// index_meta's (layout.IncludeRules refuses a module that includes itself back).
#pragma once

#include <string>

#include <xapian.h>

#include "indexer/format/positions.hpp"
#include "indexer/format/stems.hpp"

namespace trawl::format {

// Throws IndexFormatError when `db` (at `path`), a sound index of this
// format, lacks a table its format needs that Xapian reads as empty when it
// is missing (a deleted or lost file opens without a word of error): the
// synonym table of an index whose stems are synonyms (every stemmed query
// word would match nothing), the position table of one that keeps positions
// (phrases of its positional words would match nothing), the termlist table
// of one that says it kept it (xapian-tcpsrv needs it). The message names
// the path and says to re-index. Only for a database with words indexed: an
// empty one has none of these tables yet. Costs a few B-tree reads.
// `stems` and `positional`: what read_stem_storage(db) and
// PositionalWords::read(db) return, which the searcher reads anyway and
// keeps (read once a shard).
void check_tables(const Xapian::Database& db, const std::string& path, StemStorage stems,
                  const PositionalWords& positional);

}  // namespace trawl::format
