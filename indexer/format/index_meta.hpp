// Reading and writing the index's metadata: format version check, the zstd
// dictionary, the split settings.
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace trawl::format {

// Throws IndexFormatError when `db` holds documents but no or another format
// version ("index format v3, this trawl reads v1 — re-index"), or is empty and
// not a Trawl index at all. An empty, never-written database passes. A version
// that is not a plain decimal number ("2junk") is damage, not another format.
void check_format(const Xapian::Database& db, const std::string& path);

// The one wording for an index whose tables or records cannot be read (as
// opposed to a sound index of another format version):
// "PATH: index damaged (WHY); run xapian-check PATH" (for a remote shard
// tcp://..., xapian-check is run on the database its server serves).
std::string damaged_message(const std::string& path, const std::string& why);

// `bytes` for a one-line message: printable ASCII and UTF-8 characters as
// they are, every other byte (control characters, NUL, backslash, invalid
// UTF-8) as \xHH, so that binary content neither reaches the terminal raw
// nor cuts the message short.
std::string printable(std::string_view bytes);

// Writes kMetaFormatVersion (and kMetaLanguage).
void stamp_format(Xapian::WritableDatabase& db);

std::string read_dictionary(const Xapian::Database& db);

}  // namespace trawl::format
