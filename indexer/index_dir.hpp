// What may stand at an index path, and the writer's way in. trawl-index
// writes into a directory and, for a new index, replaces it whole at the end
// (compaction into a sibling, then an exchange of names): so it must never
// accept a directory that holds anything but a Trawl index, must remove only
// what it created itself, must clean up after runs that were killed, and must
// say what really went wrong when the file system refuses.
#pragma once

#include <filesystem>
#include <string>

#include <xapian.h>

namespace trawl::index {

// `path` as the directory it names: absolute, normalised, without a
// trailing '/' ("idx/" -> "/cwd/idx"), so that its parent is where its
// siblings go.
std::filesystem::path index_dir_path(const std::string& path);

// The directory holding `path`, as the user named it ("x/a/b" -> "x/a"),
// for messages; absolute when `path` names none ("idx" -> "/cwd").
std::filesystem::path parent_as_given(const std::string& path);

// Makes the missing parent directories of a new index at `path`, as
// mkdir -p does. Throws trawl::Error: "PATH: cannot create the index
// (cannot create its parent directory DIR: REASON)".
void make_parent_dirs(const std::string& path);

// A fresh, unused directory name next to `path` (same filesystem, so that a
// rename between them is atomic): "<parent>/.<name>.trawl-<what>-<pid>-<n>".
std::string sibling_temp_path(const std::string& path, const std::string& what);

// Atomically makes `from` appear at `to`. When `to` exists, the two are
// exchanged (renameat2 RENAME_EXCHANGE) and the old contents end up at
// `from`; filesystems without exchange fall back to two renames, with a
// moment in which `to` is absent. Throws trawl::Error.
void exchange_paths(const std::string& from, const std::string& to);

// False when `path` is an existing directory that a rename cannot replace:
// a mount point (rename(2) says EBUSY, and its parent is another file
// system), or one whose parent this process may not write in (no sibling can
// be made there). Such a directory, when empty, gets a new index built inside
// it instead (create_stamped, IndexPipeline: no compaction, no merge).
bool replaceable_by_rename(const std::string& path);

// The file that says an index is being created inside its directory (in
// place, replaceable_by_rename() false), holding the creating process's id:
// written before the first database file, removed once the index is whole.
// A run killed in between leaves it, and check_index_path() then clears the
// directory (only Trawl's own files in it) so that the next run starts afresh.
inline constexpr const char* kIncompleteMarker = ".trawl-incomplete";
void mark_incomplete(const std::string& path);
void unmark_incomplete(const std::string& path);

// Throws trawl::Error (one line, naming the path) unless `path` is absent, an
// empty directory, or a Trawl index (one database with Trawl's format stamp,
// or a sharded index's stub and shards) with nothing else inside it. Also
// refuses a regular file, and the current directory or one containing it
// (the index directory is replaced when a new index is finished). A
// directory marked incomplete (kIncompleteMarker) by a killed run is first
// emptied of what that run made.
void check_index_path(const std::string& path);

// Opens the glass database at `path` for writing, after check_index_path().
// A missing (or empty) database is first created next door, stamped with
// Trawl's format and moved into place, so that no kill leaves a database
// without the stamp. Then, holding the lock, removes what killed runs left
// next to it (remove_leftovers). `flags` are extra Xapian DB_* flags
// (DB_NO_SYNC for throw-away shards; DB_OPEN to refuse a missing index
// instead of creating it). Throws trawl::Error naming the path: locked by
// another process, or the true reason the lock or creation failed (read-only
// file system, permissions).
// Whether a database this run creates gets Xapian's termlist table. Format v3
// needs none (format/deletions.hpp) and leaves it out, a quarter of the index;
// but xapian-tcpsrv reads a document's values through it, so a database to
// be served as a remote shard keeps it. A database that exists keeps what it
// has (and kMetaTermlist says which it is).
enum class Termlist { Omit, Keep };
// Which of the two the database at `path` has (its termlist table's file).
Termlist termlist_of(const std::string& path);
// The flag a writer of such a database must give Xapian (DB_NO_TERMLIST
// for Omit: otherwise Xapian looks for the table and fails).
int termlist_flag(Termlist termlist);
Xapian::WritableDatabase open_writable(const std::string& path, int flags = 0, Termlist termlist = Termlist::Omit);

// Before input that can be read only once is read away (standard input):
// throws trawl::Error, as open_writable() would, when the index at `path`
// is locked or cannot be opened, or cannot be created where it would be;
// and removes what killed runs left next to it (their copies of standard
// input included), so that they take no room from this run's. Nothing is
// created and no lock is kept.
void check_writable(const std::string& path);

// Removes what killed runs left next to `path`: temporary shards, compaction
// output, swapped-out old indexes and half-created databases, named
// ".<name>.trawl-<what>-<pid>-<n>" (sibling_temp_path), whose
// process is no longer running. Call holding the index's lock.
void remove_leftovers(const std::string& path);

// Throws trawl::Error when `path` is a database that records a place in a
// shard set (format/shards.hpp kMetaShards), given on its own: writing to it
// alone breaks what the set keeps across its shards (indexing into it puts
// there articles that hash to the other shards, found twice by a search of
// the whole index; a --delete restores twins whose original is in another
// shard beside it). "DIR/shard-0 is shard 0 of 3 of an index: VERB DIR, WHY"
// ("VERB the sharded index it belongs to (then copy the shard over), WHY"
// when no stub is next to it). Nothing when `path` is no such database, or
// one Xapian cannot open (the caller's opening says why).
void refuse_shard_of_a_set(const std::string& path, const std::string& verb, const std::string& why);

// Removes a database directory this run swapped out of the index path (or
// created and no longer needs): Xapian's own files, and the directory when
// nothing else is left in it. Anything else found there is kept.
void remove_database_dir(const std::string& dir);

// Commits `db`'s transaction. A commit that fails (a full disk) has ended
// it, Xapian back at the last revision: there is nothing left to cancel, but
// Xapian 1.4 leaves the version file it was writing ("v.tmp", empty on a full
// disk) in the database directory `dir`, which is removed (the caller holds
// the lock) before the error goes on.
void commit_transaction(Xapian::WritableDatabase& db, const std::string& dir);

// One line for a Xapian error met while writing the index at `path`: a full
// disk (or quota, or file size limit) says so and that the index is intact at
// its last commit; anything else is Xapian's description after the path.
std::string write_error_message(const std::string& path, const Xapian::Error& e);

// Test builds (TRAWL_FAULT_INJECTION): kills the process with SIGKILL when
// the environment variable TRAWL_FAULT_AT equals `point`, and sends it a
// SIGTERM (caught as interrupt.hpp says) when it is "term@" `point`.
// Elsewhere a no-op.
void fault_point(const char* point);

}  // namespace trawl::index
