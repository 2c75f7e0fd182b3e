// A sharded index: a directory holding shard databases and a Xapian stub file
// that lists them, so that Xapian (and trawl-query) open it as one database.
// Articles go to shard shard_of(id, n): a stable hash, the same on every host
// and every run, so re-indexing an article replaces it in its own shard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Xapian {
class Database;
}

namespace trawl::format {

// The stub file inside a sharded index directory ("auto shard-0" per line).
inline constexpr std::string_view kStubFile = "XAPIANDB";

// "shard-<i>": the directory of shard i inside a sharded index.
std::string shard_dir_name(unsigned i);

// 64-bit FNV-1a of `article_id`, reduced modulo `shards` (shards >= 1).
unsigned shard_of(std::string_view article_id, unsigned shards);

// The shard (in the order the shards were added) holding document `docid` of
// databases combined with Xapian::Database::add_database, which interleaves
// their document ids: (docid - 1) % shards.
inline unsigned shard_of_docid(std::uint32_t docid, unsigned shards) { return (docid - 1) % shards; }

// True when `path` is a directory holding a stub file.
bool is_sharded(const std::string& path);

// The databases an index path stands for: the shards listed in its stub (in
// stub order, relative paths resolved against the index directory), or just
// `path` itself. Throws IndexFormatError for a stub with lines other than
// "auto PATH" / "glass PATH" (the line quoted with format::printable()), or
// with no shard. When the shards record their set (write_shard_set), the stub
// must list each of them once: a stub cut short, a shard listed twice or one
// of another index is "PATH: the shard list names 1 of 2 shards (...); index
// damaged" and the like. Shards that do not open are left to the caller.
std::vector<std::string> shard_paths(const std::string& path);

// What a shard records about the set it belongs to (write_shard_set), read
// by shard_paths() to check a stub and by trawl-query to tell shards given
// one by one that are not all of their set.
struct ShardRecord {
    std::string set;                   // kMetaShards: the set's UUIDs; "" for a shard made before sets were recorded
    std::vector<std::string> uuids;    // `set`, split
    std::string position_text;         // kMetaShard, as stored
    std::optional<unsigned> position;  // kMetaShard read as a number below uuids.size(); unset when it is not one
};
// Reads the record of `db` (Xapian errors propagate).
ShardRecord read_shard_record(const Xapian::Database& db);

// Writes the stub for shards 0..n-1 into `dir` (via a temporary file renamed
// over it, so a reader never sees a half-written stub).
void write_stub(const std::string& dir, unsigned n);

// Records the shard set in each of the new shards 0..n-1 in `dir`
// (schema.hpp kMetaShards: their UUIDs as created; kMetaShard: the position)
// and commits, so that shard_paths() can tell a stub that lost a line.
void write_shard_set(const std::string& dir, unsigned n);

}  // namespace trawl::format
