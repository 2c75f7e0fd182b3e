#include "indexer/index_dir.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus/base/error.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/stems.hpp"

namespace trawl::index {
namespace fs = std::filesystem;

namespace {

// Files a glass database is made of (Xapian 1.4: glass_version.cc,
// glass_table.cc, flint_lock.cc): the version file and its temporary, the
// lock, the tables, changesets.
bool is_database_file(const std::string& name) {
    return name == "iamglass" || name == "flintlock" || name.ends_with(".glass") || name.ends_with(".tmp") ||
           name.starts_with("changes");
}

// Entries of a sharded index directory: the stub (and its temporary), the
// shards, and what killed compactions of a shard left (".shard-0.trawl-...").
bool is_sharded_index_entry(const std::string& name) {
    if (name == format::kStubFile || name == std::string(format::kStubFile) + ".tmp") return true;
    if (name.starts_with(".shard-") && name.find(".trawl-") != std::string::npos) return true;
    if (!name.starts_with("shard-") || name.size() == 6) return false;
    return name.find_first_not_of("0123456789", 6) == std::string::npos;
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        names.push_back(it->path().filename().string());
    if (ec) throw Error(dir.string() + ": cannot read the directory: " + ec.message());
    return names;
}

// "'a', 'b' and 3 more"
std::string some_names(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < 2; ++i) s += (i ? ", '" : "'") + names[i] + "'";
    if (names.size() > 2) s += " and " + std::to_string(names.size() - 2) + " more";
    return s;
}

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
    throw Error(path + ": " + why + "; refusing to write into it (give trawl-index a new or empty directory)");
}

// True when `path` is the current directory or one of its ancestors.
bool holds_current_directory(const fs::path& path) {
    std::error_code ec;
    const auto dir = fs::weakly_canonical(path, ec);
    const auto cwd = fs::current_path(ec);
    if (ec) return false;
    const auto rel = cwd.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

// The system's words for a full disk (or quota, or file size limit) when `e`
// is one, whether as its errno or inside its message (Xapian wraps the
// write error when it also fails to reopen the old revision); nullptr else.
const char* disk_full_reason(const Xapian::Error& e) {
    for (int err : {ENOSPC, EDQUOT, EFBIG}) {
        const char* text = std::strerror(err);
        if ((e.get_error_string() && std::strcmp(e.get_error_string(), text) == 0) ||
            e.get_msg().find(text) != std::string::npos)
            return text;
    }
    return nullptr;
}

// The process id in a leftover's name ".<name>.trawl-<what>-<pid>-<n>", or 0.
pid_t leftover_pid(const std::string& rest) {  // rest = "<what>-<pid>-<n>"
    const auto a = rest.find('-');
    const auto b = a == std::string::npos ? a : rest.find('-', a + 1);
    if (b == std::string::npos || b == a + 1) return 0;
    const auto digits = rest.substr(a + 1, b - a - 1);
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) return 0;
    return static_cast<pid_t>(std::stol(digits));
}

bool process_running(pid_t pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM; }

// Makes the database at `dir`, stamped with Trawl's format.
void make_stamped(const std::string& dir, int flags, Termlist termlist) {
    Xapian::WritableDatabase db(
        dir, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | termlist_flag(termlist) | (flags & Xapian::DB_NO_SYNC));
    fault_point("after-create");  // a database without the stamp
    format::stamp_format(db);
    db.set_metadata(std::string(format::kMetaTermlist), termlist == Termlist::Keep ? "kept" : "omitted");
    // An index with a termlist is one xapian-tcpsrv may serve, and its
    // remote backend reads no synonym table: it keeps its stems as terms.
    const auto stems = termlist == Termlist::Keep ? format::StemStorage::Terms : format::StemStorage::Synonyms;
    db.set_metadata(std::string(format::kMetaStems), std::string(format::stem_storage_name(stems)));
    db.commit();
    db.close();
}

[[noreturn]] void cannot_create(const std::string& path, const Xapian::Error& e) {
    const char* why = e.get_error_string();
    throw Error(path + ": cannot create the index (" + (why ? std::string(why) : e.get_msg()) + ")");
}

// "PATH: cannot create the index (cannot create its parent directory DIR: REASON)"
std::string parent_error(const std::string& path, const std::string& reason) {
    return path + ": cannot create the index (cannot create its parent directory " + parent_as_given(path).string() +
           ": " + reason + ")";
}

// Creates the database at `path` (absent or an empty directory) already
// stamped: written next door and renamed into place, so that the path never
// holds a database without Trawl's format stamp. A directory that cannot be
// replaced (a mount point) gets it in place, marked incomplete until stamped.
void create_stamped(const std::string& path, int flags, Termlist termlist) {
    std::error_code ec;
    if (fs::is_directory(path, ec) && !replaceable_by_rename(path)) {
        mark_incomplete(path);
        try {
            make_stamped(path, flags, termlist);
        } catch (const Xapian::Error& e) {
            cannot_create(path, e);
        }
        unmark_incomplete(path);
        return;
    }
    make_parent_dirs(path);  // as a sharded index gets them (IndexPipeline::open_sharded)
    const auto tmp = sibling_temp_path(path, "create");
    try {
        make_stamped(tmp, flags, termlist);
    } catch (const Xapian::Error& e) {
        fs::remove_all(tmp, ec);
        cannot_create(path, e);
    }
    // rename() replaces an empty directory; if another run created the index
    // meanwhile, theirs stays and ours goes.
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        remove_database_dir(tmp);
        if (saved != ENOTEMPTY && saved != EEXIST)
            throw Error(path + ": cannot create the index (" + std::strerror(saved) + ")");
    }
}

// The process that marked `path` incomplete (the marker holds its id), 0 when unknown.
pid_t marker_pid(const fs::path& marker) {
    std::FILE* f = std::fopen(marker.c_str(), "r");
    if (!f) return 0;
    long pid = 0;
    if (std::fscanf(f, "%ld", &pid) != 1) pid = 0;
    std::fclose(f);
    return static_cast<pid_t>(pid);
}

// `path` holds the marker of an index created in place by a run that was
// killed before it was whole: what that run made (database files, shards,
// the stub) goes, and the directory is empty again. Anything else in it is
// the user's: refused, as in any directory that is not an index.
void clear_incomplete(const std::string& path) {
    const fs::path marker = fs::path(path) / kIncompleteMarker;
    std::error_code ec;
    if (!fs::exists(marker, ec)) return;
    const pid_t pid = marker_pid(marker);
    if (pid > 0 && pid != ::getpid() && process_running(pid))
        throw Error(path + ": an index is being created here by another process (" + std::to_string(pid) + ")");
    std::vector<std::string> foreign;
    for (const auto& n : entries(path))
        if (n != kIncompleteMarker && !is_database_file(n) && !is_sharded_index_entry(n)) foreign.push_back(n);
    if (!foreign.empty())
        refuse(path, "holds an index whose creation was interrupted and other files (" + some_names(foreign) + ")");
    for (const auto& n : entries(path)) {
        if (n == kIncompleteMarker) continue;
        const fs::path p = fs::path(path) / n;
        if (fs::is_directory(p, ec)) fs::remove_all(p, ec);  // a shard
        else fs::remove(p, ec);
        if (ec) throw Error(p.string() + ": cannot remove what an interrupted run left: " + ec.message());
    }
    fs::remove(marker, ec);
}

}  // namespace

fs::path index_dir_path(const std::string& path) {
    fs::path p = fs::absolute(fs::path(path).lexically_normal());
    if (p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
    return p;
}

void make_parent_dirs(const std::string& path) {
    std::error_code ec;
    if (!fs::create_directories(index_dir_path(path).parent_path(), ec) && ec)
        throw Error(parent_error(path, ec.message()));
}

fs::path parent_as_given(const std::string& path) {
    fs::path p = fs::path(path).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
    return p.has_parent_path() ? p.parent_path() : index_dir_path(path).parent_path();
}

void refuse_shard_of_a_set(const std::string& path, const std::string& verb, const std::string& why) {
    std::error_code ec;
    if (!fs::exists(fs::path(path) / "iamglass", ec)) return;
    format::ShardRecord r;
    try {
        r = format::read_shard_record(Xapian::Database(path));
    } catch (const Xapian::Error&) {
        return;  // the writer says why it cannot open it
    }
    if (r.set.empty()) return;
    const auto parent = parent_as_given(path);
    const std::string what =
        r.position ? "shard " + std::to_string(*r.position) + " of " + std::to_string(r.uuids.size()) + " of an index"
                   : "a shard of an index";
    throw Error(path + " is " + what + ": " + verb + " " +
                (format::is_sharded(parent.string()) ? parent.string()
                                                     : "the sharded index it belongs to (then copy the shard over)") +
                ", " + why);
}

std::string sibling_temp_path(const std::string& path, const std::string& what) {
    static std::atomic<unsigned> counter{0};
    const fs::path p = index_dir_path(path);
    for (;;) {
        auto name = "." + p.filename().string() + ".trawl-" + what + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++);
        auto candidate = p.parent_path() / name;
        std::error_code ec;
        if (!fs::exists(candidate, ec)) return candidate.string();
    }
}

void exchange_paths(const std::string& from, const std::string& to) {
    std::error_code ec;
    if (!fs::exists(to, ec)) {
        if (std::rename(from.c_str(), to.c_str()) != 0)
            throw Error(to + ": cannot move the new index into place: " + std::strerror(errno));
        return;
    }
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_EXCHANGE) == 0) return;
    if (errno != EINVAL && errno != ENOSYS) throw Error(to + ": cannot swap in the new index: " + std::strerror(errno));
    // No exchange on this filesystem: move the old one aside, then the new one in.
    const auto aside = sibling_temp_path(to, "old");
    if (std::rename(to.c_str(), aside.c_str()) != 0)
        throw Error(to + ": cannot move the old index aside: " + std::strerror(errno));
    if (std::rename(from.c_str(), to.c_str()) != 0) {
        const int saved = errno;
        std::rename(aside.c_str(), to.c_str());
        throw Error(to + ": cannot move the new index into place: " + std::strerror(saved));
    }
    if (std::rename(aside.c_str(), from.c_str()) != 0) fs::remove_all(aside, ec);
}

bool replaceable_by_rename(const std::string& path) {
    const fs::path p = index_dir_path(path);
    struct stat own {
    }, parent{};
    if (::stat(p.c_str(), &own) != 0) return true;  // absent: it is made by a rename
    if (::stat(p.parent_path().c_str(), &parent) != 0) return false;
    if (own.st_dev != parent.st_dev || own.st_ino == parent.st_ino) return false;  // a mount point, or "/"
#ifdef STATX_ATTR_MOUNT_ROOT
    struct statx sx {};
    if (::statx(AT_FDCWD, p.c_str(), 0, STATX_BASIC_STATS, &sx) == 0 &&
        (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
        return false;  // a bind mount on the same file system
#endif
    return ::access(p.parent_path().c_str(), W_OK | X_OK) == 0;  // no sibling can be made otherwise
}

void mark_incomplete(const std::string& path) {
    const auto marker = (fs::path(path) / kIncompleteMarker).string();
    std::FILE* f = std::fopen(marker.c_str(), "w");
    if (!f) throw Error(path + ": cannot create the index (" + std::strerror(errno) + ")");
    const bool ok = std::fprintf(f, "%ld\n", static_cast<long>(::getpid())) > 0;
    if (std::fclose(f) != 0 || !ok) throw Error(path + ": cannot create the index (" + std::strerror(errno) + ")");
}

void unmark_incomplete(const std::string& path) {
    if (std::remove((fs::path(path) / kIncompleteMarker).c_str()) != 0)
        throw Error(path + ": cannot finish creating the index (" + std::strerror(errno) + ")");
}

void check_index_path(const std::string& path) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (!fs::exists(st)) return;
    if (fs::is_regular_file(st)) throw Error(path + ": is a file, not an index directory");
    if (!fs::is_directory(st)) throw Error(path + ": is not a directory");
    if (holds_current_directory(path))
        throw Error(path +
                    ": is the current directory (or contains it); trawl-index replaces the index directory "
                    "when it finishes, so run it from outside (e.g. --db ../" +
                    fs::weakly_canonical(path, ec).filename().string() + ")");
    clear_incomplete(path);
    const auto names = entries(path);
    if (names.empty()) return;
    std::vector<std::string> foreign;
    if (format::is_sharded(path)) {
        for (const auto& n : names)
            if (!is_sharded_index_entry(n)) foreign.push_back(n);
        if (!foreign.empty()) refuse(path, "holds files that are not part of its shards (" + some_names(foreign) + ")");
        // A shard the stub lists must be there: a writer would otherwise
        // create an empty one in its place (of no set) and re-index every
        // article of the others, which it then could not tell unchanged.
        const auto stub = (fs::path(path) / format::kStubFile).string();
        for (const auto& shard : format::shard_paths(path))
            if (!fs::exists(shard, ec) || (fs::is_directory(shard, ec) && fs::is_empty(shard, ec)))
                throw IndexFormatError(shard + ": this shard of " + path + " is missing (" + stub +
                                       " lists it); index damaged: put it back, or index into a new directory");
        return;
    }
    for (const auto& n : names)
        if (!is_database_file(n)) foreign.push_back(n);
    const bool glass = fs::exists(fs::path(path) / "iamglass", ec);
    if (!glass) refuse(path, "is a directory that is not a Trawl index (it holds " + some_names(names) + ")");
    if (!foreign.empty()) refuse(path, "holds files that are not part of an index (" + some_names(foreign) + ")");
    std::string stamp;
    try {
        stamp = Xapian::Database(path).get_metadata(std::string(format::kMetaFormatVersion));
    } catch (const Xapian::Error& e) {
        throw Error(path + ": index damaged (" + e.get_description() + "); run xapian-check " + path);
    }
    if (stamp.empty()) refuse(path, "is a Xapian database but not a Trawl index (no format stamp)");
}

void check_writable(const std::string& path) {
    check_index_path(path);
    std::error_code ec;
    const bool absent = !fs::exists(path, ec) || fs::is_empty(path, ec);
    if (!absent) {
        // The index (or each shard): its lock, taken and let go.
        // (open_writable removes what killed runs left beside each
        // database; beside a sharded index's directory too.)
        for (const auto& db : format::shard_paths(path)) open_writable(db, Xapian::DB_OPEN).close();
        if (format::is_sharded(path)) remove_leftovers(path);
        return;
    }
    // None yet: where it would be made must take it.
    const fs::path p = index_dir_path(path);
    fs::path where = fs::is_directory(p, ec) && !replaceable_by_rename(path) ? p : p.parent_path();
    // Missing parents are made as mkdir -p would (create_stamped): in the
    // nearest directory that exists.
    while (!fs::exists(where, ec) && where.has_relative_path()) where = where.parent_path();
    if (!fs::is_directory(where, ec)) throw Error(parent_error(path, std::strerror(ENOTDIR)));
    if (::access(where.c_str(), W_OK | X_OK) != 0)
        throw Error(path + ": cannot create the index (" + std::strerror(errno) + ")");
    remove_leftovers(path);
}

Termlist termlist_of(const std::string& path) {
    std::error_code ec;
    return fs::exists(fs::path(path) / "termlist.glass", ec) ? Termlist::Keep : Termlist::Omit;
}

int termlist_flag(Termlist termlist) { return termlist == Termlist::Keep ? 0 : Xapian::DB_NO_TERMLIST; }

Xapian::WritableDatabase open_writable(const std::string& path, int flags, Termlist termlist) {
    check_index_path(path);
    std::error_code ec;
    const bool absent = !fs::exists(path, ec) || fs::is_empty(path, ec);
    if (absent && (flags & Xapian::DB_OPEN)) throw Error(path + ": no index here");
    if (absent) create_stamped(path, flags, termlist);
    try {
        Xapian::WritableDatabase db(
            path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS | termlist_flag(termlist_of(path)) | flags);
        remove_leftovers(path);
        return db;
    } catch (const Xapian::DatabaseLockError& e) {
        if (e.get_msg().ends_with(": already locked"))
            throw Error(path + ": index is locked by another process (is another trawl-index running?)");
        // Xapian: "Unable to get write lock on PATH: REASON"
        std::string why = e.get_msg();
        if (const auto at = why.find(path + ": "); at != std::string::npos) why.erase(0, at + path.size() + 2);
        throw Error(path + ": cannot lock the index for writing (" + why + ")");
    } catch (const Xapian::DatabaseCorruptError& e) {
        throw Error(path + ": index damaged (" + e.get_msg() + "); run xapian-check " + path);
    } catch (const Xapian::Error& e) {
        const char* why = e.get_error_string();
        throw Error(path + ": cannot open index: " + e.get_msg() + (why ? std::string(" (") + why + ")" : ""));
    }
}

void remove_leftovers(const std::string& path) {
    const fs::path p = index_dir_path(path);
    const std::string prefix = "." + p.filename().string() + ".trawl-";
    std::error_code ec;
    for (fs::directory_iterator it(p.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const pid_t pid = leftover_pid(name.substr(prefix.size()));
        if (pid <= 0 || process_running(pid)) continue;  // a live run's (or not ours to judge)
        std::error_code rm;
        fs::remove_all(it->path(), rm);
    }
}

void remove_database_dir(const std::string& dir) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && is_database_file(it->path().filename().string())) fs::remove(it->path(), ec);
    fs::remove(dir, ec);  // only when empty
}

void commit_transaction(Xapian::WritableDatabase& db, const std::string& dir) {
    try {
        db.commit_transaction();
    } catch (const Xapian::Error&) {
        std::error_code ec;
        fs::remove(fs::path(dir) / "v.tmp", ec);  // glass_version.cc's temporary (none: nothing to do)
        throw;
    }
}

std::string write_error_message(const std::string& path, const Xapian::Error& e) {
    if (const char* why = disk_full_reason(e))
        return path + ": disk full (" + why +
               "); the index is intact at its last commit: free space and run "
               "trawl-index again";
    return path + ": " + e.get_description();
}

void fault_point([[maybe_unused]] const char* point) {
#ifdef TRAWL_FAULT_INJECTION
    const char* at = std::getenv("TRAWL_FAULT_AT");
    if (!at) return;
    if (std::strcmp(at, point) == 0) ::kill(::getpid(), SIGKILL);
    // "term@POINT": a SIGTERM there, which the run catches (interrupt.hpp).
    if (std::strncmp(at, "term@", 5) == 0 && std::strcmp(at + 5, point) == 0) ::kill(::getpid(), SIGTERM);
#endif
}

}  // namespace trawl::index
