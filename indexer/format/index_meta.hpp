// Reading and writing the index's metadata: format version check, the zstd
// dictionary, the split settings.
#pragma once

#include <string>

#include <xapian.h>

namespace trawl::format {

// Throws IndexFormatError when `db` holds documents but no or another format
// version ("index format v3, this trawl reads v1 — re-index"), or is empty and
// not a Trawl index at all. An empty, never-written database passes.
void check_format(const Xapian::Database& db, const std::string& path);

// Writes kMetaFormatVersion (and kMetaLanguage).
void stamp_format(Xapian::WritableDatabase& db);

std::string read_dictionary(const Xapian::Database& db);

}  // namespace trawl::format
