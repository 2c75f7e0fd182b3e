#include "query/mapped_reads.hpp"

#include <atomic>

#include "corpus/base/error.hpp"

#if defined(__linux__)
#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace trawl::query {
namespace {

std::atomic<bool> g_on{false};
thread_local MappedReadCounts t_counts;

}  // namespace
}  // namespace trawl::query

#if defined(__linux__)
namespace trawl::query {
namespace {

// One read-only mapping of one table file (device and inode), shared by the
// descriptors open on it.
struct Mapping {
    dev_t dev = 0;
    ino_t ino = 0;
    const char* base = nullptr;
    std::size_t reserved = 0;            // bytes mapped: the file's size then, and room to grow
    std::atomic<std::size_t> served{0};  // reads that end here or before are copies: the size last seen
    std::size_t descriptors = 0;         // open descriptors that use it (under g_lock)
};

// Descriptors at or above this are always the system's.
constexpr int kMaxDescriptor = 1 << 16;
// A descriptor that was looked at and is no reader's table.
Mapping g_none;
// What each descriptor reads from: null when not looked at since it was opened.
std::atomic<Mapping*> g_by_descriptor[kMaxDescriptor];
std::mutex g_lock;
std::vector<Mapping*> g_mappings;  // under g_lock

// Where a copy that faults goes on (copy() below), on the thread copying.
// Volatile, and fenced around the copy: the compiler would otherwise drop
// the store before it as dead.
thread_local sigjmp_buf* volatile t_recovery = nullptr;
struct sigaction g_previous_sigbus {};

// SIGBUS: a copy out of a mapping whose file was cut short under it goes on
// after its sigsetjmp(); any other SIGBUS is the program's as before.
void on_sigbus(int signal, siginfo_t* info, void* context) {
    if (sigjmp_buf* recovery = t_recovery) {
        t_recovery = nullptr;
        siglongjmp(*recovery, 1);
    }
    ::sigaction(SIGBUS, &g_previous_sigbus, nullptr);
    if ((g_previous_sigbus.sa_flags & SA_SIGINFO) != 0 && g_previous_sigbus.sa_sigaction != nullptr) {
        g_previous_sigbus.sa_sigaction(signal, info, context);
    } else if (g_previous_sigbus.sa_handler != SIG_DFL && g_previous_sigbus.sa_handler != SIG_IGN) {
        g_previous_sigbus.sa_handler(signal);
    } else if (info->si_code <= 0) {
        ::raise(signal);  // sent, not a fault: a fault faults again on return, with the old action
    }
}

// Once a program turns mapped reads on (set_mapped_reads()): the fault
// handler above and the fork handlers.
void prepare_process() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action {};
        action.sa_sigaction = on_sigbus;
        // SA_NODEFER: siglongjmp() out of the handler leaves SIGBUS unblocked.
        action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGBUS, &action, &g_previous_sigbus);
        // A child forked while another thread holds g_lock would wait for it
        // forever in close(): fork() takes it first.
        ::pthread_atfork([] { g_lock.lock(); }, [] { g_lock.unlock(); }, [] { g_lock.unlock(); });
    });
}

// A glass table that a reader opened: read-only, named *.glass (a writer
// opens its tables read-write).
bool is_reader_table(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) != O_RDONLY) return false;
    char link[32];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char path[4096];
    const ssize_t n = ::readlink(link, path, sizeof path);
    return n > 0 && std::string_view(path, static_cast<std::size_t>(n)).ends_with(".glass");
}

std::size_t file_size(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0;
}

// The mapping a descriptor's first read reads from, counted as one of its
// descriptors, or g_none.
Mapping* look_up(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || !is_reader_table(fd)) return &g_none;
    const auto size = static_cast<std::size_t>(st.st_size);
    std::lock_guard lock(g_lock);
    for (Mapping* m : g_mappings) {
        if (m->dev != st.st_dev || m->ino != st.st_ino || size > m->reserved) continue;
        if (size > m->served.load(std::memory_order_relaxed)) m->served.store(size, std::memory_order_release);
        ++m->descriptors;
        return m;
    }
    // Room for the file to grow by half (a writer's commits) before a
    // descriptor opened then needs a mapping of its own; the pages past the
    // file's end are mapped, never read.
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t reserved = (size + size / 2 + page) / page * page;
    void* base = ::mmap(nullptr, reserved, PROT_READ, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) return &g_none;
    auto* m = new Mapping;
    m->dev = st.st_dev;
    m->ino = st.st_ino;
    m->base = static_cast<const char*>(base);
    m->reserved = reserved;
    m->served.store(size, std::memory_order_release);
    m->descriptors = 1;
    g_mappings.push_back(m);
    return m;
}

// Copies `n` bytes at `offset` of the mapping; false when the copy faulted
// (the file is shorter than it was: SIGBUS, caught above).
bool copy(const Mapping& m, void* buf, std::size_t n, std::size_t offset) {
    sigjmp_buf recovery;
    if (sigsetjmp(recovery, 0) != 0) return false;
    t_recovery = &recovery;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    std::memcpy(buf, m.base + offset, n);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    t_recovery = nullptr;
    return true;
}

// The mapping `fd` reads from, looked up on its first read.
Mapping* mapping_of(int fd) {
    Mapping* m = g_by_descriptor[fd].load(std::memory_order_acquire);
    if (m != nullptr) return m;
    m = look_up(fd);
    Mapping* expected = nullptr;
    if (g_by_descriptor[fd].compare_exchange_strong(expected, m, std::memory_order_acq_rel)) return m;
    // Another thread looked first (one descriptor read by two threads).
    if (m != &g_none) {
        std::lock_guard lock(g_lock);
        --m->descriptors;
    }
    return expected;
}

bool serve(int fd, void* buf, std::size_t n, long long offset) {
    if (fd < 0 || fd >= kMaxDescriptor || offset < 0 || !g_on.load(std::memory_order_relaxed)) return false;
    Mapping* m = mapping_of(fd);
    if (m == &g_none) return false;
    const auto at = static_cast<unsigned long long>(offset);
    if (n > m->reserved || at > m->reserved - n) return false;
    if (n == 0) return true;
    const std::size_t end = static_cast<std::size_t>(at) + n;
    if (end > m->served.load(std::memory_order_acquire)) {
        // Past the size last seen: a writer may have grown the file since.
        const std::size_t size = file_size(fd);
        if (end > size) return false;
        std::lock_guard lock(g_lock);
        if (size > m->served.load(std::memory_order_relaxed)) m->served.store(size, std::memory_order_release);
    }
    if (copy(*m, buf, n, static_cast<std::size_t>(at))) return true;
    // Cut short: from now on each read past the size last seen (all of
    // them) looks at the file's size first.
    m->served.store(0, std::memory_order_release);
    return false;
}

}  // namespace

namespace detail {

bool read_mapped(int fd, void* buf, std::size_t n, long long offset) {
    // The calls that look a descriptor up may set errno: a read that
    // succeeds leaves it as it was (one that fails sets it in the system's pread()).
    const int saved_errno = errno;
    const bool mapped = serve(fd, buf, n, offset);
    errno = saved_errno;
    ++(mapped ? t_counts.mapped : t_counts.passed);
    return mapped;
}

void forget(int fd) {
    if (fd < 0 || fd >= kMaxDescriptor) return;
    Mapping* m = g_by_descriptor[fd].exchange(nullptr, std::memory_order_acq_rel);
    if (m == nullptr || m == &g_none) return;
    std::lock_guard lock(g_lock);
    if (--m->descriptors > 0) return;
    ::munmap(const_cast<char*>(m->base), m->reserved);
    g_mappings.erase(std::find(g_mappings.begin(), g_mappings.end(), m));
    delete m;
}

void forget_range(unsigned first, unsigned last) {
    for (unsigned fd = first; fd < unsigned(kMaxDescriptor) && fd <= last; ++fd) forget(static_cast<int>(fd));
}

}  // namespace detail
}  // namespace trawl::query
#else
namespace trawl::query {
namespace {
void prepare_process() {}
}  // namespace
}  // namespace trawl::query
namespace trawl::query::detail {
bool read_mapped(int, void*, std::size_t, long long) { return false; }
void forget(int) {}
void forget_range(unsigned, unsigned) {}
}  // namespace trawl::query::detail
#endif

namespace trawl::query {

void set_mapped_reads(bool on) {
    if (on) prepare_process();
    g_on.store(on, std::memory_order_relaxed);
}

bool mapped_reads() { return g_on.load(std::memory_order_relaxed); }

bool parse_mapped_reads(const std::string& when, bool many_queries) {
    if (when == "auto") return many_queries;
    if (when == "always") return true;
    if (when == "never") return false;
    throw UsageError("--mapped-reads must be auto, always or never, not '" + when + "'");
}

MappedReadCounts mapped_read_counts() { return t_counts; }

}  // namespace trawl::query
