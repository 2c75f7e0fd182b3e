#include "query/mapped_reads.hpp"

#include <atomic>

#include "corpus/base/error.hpp"

#if defined(__linux__)
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace trawl::query {
namespace {

std::atomic<bool> g_on{false};
std::atomic<std::uint64_t> g_mapped{0};
std::atomic<std::uint64_t> g_passed{0};

}  // namespace

void set_mapped_reads(bool on) { g_on.store(on, std::memory_order_relaxed); }
bool mapped_reads() { return g_on.load(std::memory_order_relaxed); }
bool parse_mapped_reads(const std::string& when, bool many_queries) {
    if (when == "auto") return many_queries;
    if (when == "always") return true;
    if (when == "never") return false;
    throw UsageError("--mapped-reads must be auto, always or never, not '" + when + "'");
}

MappedReadCounts mapped_read_counts() {
    return {g_mapped.load(std::memory_order_relaxed), g_passed.load(std::memory_order_relaxed)};
}

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

// The definition of `name` that this unit's hides (libc's, or a sanitizer's
// wrapper of it), or null.
template <class Function>
Function next_definition(const char* name) {
    return reinterpret_cast<Function>(::dlsym(RTLD_NEXT, name));
}

ssize_t system_pread(int fd, void* buf, std::size_t n, off_t offset) {
    using Pread = ssize_t (*)(int, void*, std::size_t, off_t);
    static const auto real = next_definition<Pread>("pread64");
    return real ? real(fd, buf, n, offset) : ::syscall(SYS_pread64, fd, buf, n, offset);
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

// The mapping a descriptor first read reads from, counted as one of its
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

// A descriptor closed or replaced: its mapping loses a user, and goes with
// its last.
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

void forget_from(unsigned first, unsigned last) {
    for (unsigned fd = first; fd < unsigned(kMaxDescriptor) && fd <= last; ++fd) forget(static_cast<int>(fd));
}

// The read served from `fd`'s mapping, or false when it is the system's.
bool read_mapped(int fd, void* buf, std::size_t n, off_t offset) {
    if (fd < 0 || fd >= kMaxDescriptor || offset < 0 || !g_on.load(std::memory_order_relaxed)) return false;
    Mapping* m = g_by_descriptor[fd].load(std::memory_order_acquire);
    if (m == nullptr) {
        m = look_up(fd);
        Mapping* expected = nullptr;
        if (!g_by_descriptor[fd].compare_exchange_strong(expected, m, std::memory_order_acq_rel)) {
            // Another thread looked first (one descriptor read by two threads).
            if (m != &g_none) {
                std::lock_guard lock(g_lock);
                --m->descriptors;
            }
            m = expected;
        }
    }
    if (m == &g_none) return false;
    const std::size_t end = static_cast<std::size_t>(offset) + n;
    if (end > m->served.load(std::memory_order_acquire)) {
        // Past the size last seen: a writer may have grown the file since.
        if (end > m->reserved) return false;
        const std::size_t size = file_size(fd);
        if (end > size) return false;
        std::lock_guard lock(g_lock);
        if (size > m->served.load(std::memory_order_relaxed)) m->served.store(size, std::memory_order_release);
    }
    std::memcpy(buf, m->base + offset, n);
    return true;
}

}  // namespace
}  // namespace trawl::query

// The definitions that take the place of libc's (mapped_reads.hpp).
extern "C" {

ssize_t pread64(int fd, void* buf, std::size_t n, off_t offset) {
    using namespace trawl::query;
    if (read_mapped(fd, buf, n, offset)) {
        g_mapped.fetch_add(1, std::memory_order_relaxed);
        return static_cast<ssize_t>(n);
    }
    g_passed.fetch_add(1, std::memory_order_relaxed);
    return system_pread(fd, buf, n, offset);
}

ssize_t pread(int fd, void* buf, std::size_t n, off_t offset) { return pread64(fd, buf, n, offset); }

int close(int fd) {
    using Close = int (*)(int);
    static const auto real = trawl::query::next_definition<Close>("close");
    trawl::query::forget(fd);
    return real ? real(fd) : static_cast<int>(::syscall(SYS_close, fd));
}

int dup2(int from, int to) noexcept {
    using Dup2 = int (*)(int, int);
    static const auto real = trawl::query::next_definition<Dup2>("dup2");
    if (from != to) trawl::query::forget(to);
    if (!real) return errno = ENOSYS, -1;
    return real(from, to);
}

int dup3(int from, int to, int flags) noexcept {
    using Dup3 = int (*)(int, int, int);
    static const auto real = trawl::query::next_definition<Dup3>("dup3");
    if (from != to) trawl::query::forget(to);
    if (!real) return errno = ENOSYS, -1;
    return real(from, to, flags);
}

void closefrom(int first) noexcept {
    using Closefrom = void (*)(int);
    static const auto real = trawl::query::next_definition<Closefrom>("closefrom");
    trawl::query::forget_from(static_cast<unsigned>(std::max(first, 0)), ~0u);
    if (real) real(first);
}

int close_range(unsigned first, unsigned last, int flags) noexcept {
    using CloseRange = int (*)(unsigned, unsigned, int);
    static const auto real = trawl::query::next_definition<CloseRange>("close_range");
    if ((flags & CLOSE_RANGE_CLOEXEC) == 0) trawl::query::forget_from(first, last);
    if (!real) return errno = ENOSYS, -1;
    return real(first, last, flags);
}

}  // extern "C"
#endif
