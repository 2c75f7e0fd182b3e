// A searcher's in-memory tables (passage lengths, articles, word-pair
// signatures, the speller's vocabulary) read on a thread of their own, so
// that no search waits for one: at the start of each search the searcher
// takes the tables whose reading ended, and starts reading those that
// earlier searches' lookups show will pay (searcher.cpp, tend_tables());
// the searches go on with Xapian's lookups meanwhile.
//
// The thread opens a database handle of its own at the path (Xapian's
// handles are not shared between threads), and reads only when it finds the
// same database (UUID) at the searcher's revision: a table of another
// revision would answer for passages the searcher does not see. A commit
// landing under the walk makes it fail, and the searcher goes on without.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <utility>

#include <pthread.h>
#include <signal.h>

#include <xapian.h>

namespace trawl::query {

// A thread running `f` with the signals sent to the process blocked, so
// that one meant for the searcher's thread (SIGINT at the prompt, which
// cancels a search: cancel.hpp; SIGWINCH, SIGTERM) is never handled by the
// reading thread instead. Not those a fault raises in the thread itself: a
// blocked SIGBUS kills the process, where the mapped reads recover from it
// (mapped_reads.hpp).
template <class F>
std::thread thread_without_signals(F&& f) {
    sigset_t all, was;
    ::sigfillset(&all);
    for (const int fault : {SIGBUS, SIGSEGV, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT}) ::sigdelset(&all, fault);
    ::pthread_sigmask(SIG_BLOCK, &all, &was);
    struct Restore {
        const sigset_t& was;
        ~Restore() { ::pthread_sigmask(SIG_SETMASK, &was, nullptr); }
    } restore{was};
    return std::thread(std::forward<F>(f));
}

template <class Table>
class TableLoader {
public:
    // Reads a table of `db`; may end early (null) once `stop` is raised.
    using Read = std::function<std::shared_ptr<const Table>(const Xapian::Database& db, const std::atomic<bool>& stop)>;

    // Starts reading the table of the database at `path`, when it is still
    // `uuid` at `revision` and `in_place()` says the path holds the
    // database the searcher opened (its directory: a copy of the index, the
    // same UUID at the same revision, moved into the path would give the
    // copy's table; checked before and after the database is opened, and
    // after the read). Throws std::system_error when no thread can be
    // started.
    TableLoader(std::string path, std::string uuid, Xapian::rev revision, Read read, std::function<bool()> in_place)
        : thread_(thread_without_signals([this, path = std::move(path), uuid = std::move(uuid), revision,
                                          read = std::move(read), in_place = std::move(in_place)] {
              try {
                  if (in_place()) {
                      const Xapian::Database db(path);
                      if (db.get_uuid() == uuid && in_place()) {
                          if (db.get_revision() != revision) {
                              behind_ = true;  // the index moved on: this thread cannot read the searcher's revision
                          } else {
                              table_ = read(db, stop_);
                              if (!in_place()) table_.reset();
                          }
                      }
                  }
              } catch (...) {
                  // No memory, a commit landing under the walk, an index
                  // gone: no table, and the lookups answer as well.
                  table_.reset();
              }
              ready_.store(true, std::memory_order_release);
          })) {}
    // Raises the stop and waits for the thread.
    ~TableLoader() {
        stop_.store(true, std::memory_order_relaxed);
        wait();
    }
    TableLoader(const TableLoader&) = delete;
    TableLoader& operator=(const TableLoader&) = delete;

    // True once the read ended; never blocks.
    bool ready() const { return ready_.load(std::memory_order_acquire); }
    // Blocks until the read ended.
    void wait() {
        if (thread_.joinable()) thread_.join();
    }
    // The table once ready(): null when it could not be held (above its
    // bound, no memory for it, another database or revision at the path, a
    // read that failed).
    std::shared_ptr<const Table> table() const { return ready() ? table_ : nullptr; }
    // True once ready() when the database at the path had moved to a later
    // commit than the searcher's: only the searcher's own handle can read
    // its revision.
    bool behind() const { return ready() && behind_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<bool> ready_{false};
    std::shared_ptr<const Table> table_;  // written by the thread before ready_
    bool behind_ = false;                 // likewise
    std::thread thread_;                  // last: started once the members above are
};

// `read` of `db` in the caller's thread (--in-memory-tables always): null
// when there is no memory for it, as a table above its bound is.
template <class Table>
std::shared_ptr<const Table> read_at_once(const typename TableLoader<Table>::Read& read, const Xapian::Database& db) {
    static const std::atomic<bool> never{false};
    try {
        return read(db, never);
    } catch (const std::bad_alloc&) {
        return nullptr;  // Xapian's lookups answer as well: a search never fails for want of a table
    }
}

// What a searcher holds of one table: the table, or its reading under way,
// or neither. Used by the searcher's thread only.
template <class Table>
struct HeldTable {
    std::shared_ptr<const Table> table;
    std::unique_ptr<TableLoader<Table>> loading;
    bool given_up = false;  // tried and not held for this revision: Xapian's lookups answer
    bool behind = false;    // the reading thread found a later commit than the searcher's

    // Takes the table when its reading ended; true while it is under way.
    bool reading() {
        if (!loading) return false;
        if (!loading->ready()) return true;
        table = loading->table();
        behind = loading->behind();
        given_up = !table && !behind;
        loading.reset();
        return false;
    }
};

}  // namespace trawl::query
