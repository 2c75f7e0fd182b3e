// The definitions that take the place of libc's in a program linked with the
// object library trawl_mapped_reads (mapped_reads.hpp). Kept out of the
// trawl_query archive, so that no program gets them by linking it: only
// trawl-query, trawl-bench and test_query do, by name.
#include "query/mapped_reads.hpp"

#if defined(__linux__)
#include <algorithm>
#include <cerrno>

#include <dlfcn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace {

// The definition of `name` that this file's hides (libc's, or a sanitizer's
// wrapper of it), or null.
template <class Function>
Function next_definition(const char* name) {
    return reinterpret_cast<Function>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

ssize_t pread64(int fd, void* buf, std::size_t n, off_t offset) {
    if (trawl::query::detail::read_mapped(fd, buf, n, offset)) return static_cast<ssize_t>(n);
    using Pread = ssize_t (*)(int, void*, std::size_t, off_t);
    static const auto real = next_definition<Pread>("pread64");
    return real ? real(fd, buf, n, offset) : ::syscall(SYS_pread64, fd, buf, n, offset);
}

ssize_t pread(int fd, void* buf, std::size_t n, off_t offset) { return pread64(fd, buf, n, offset); }

int close(int fd) {
    using Close = int (*)(int);
    static const auto real = next_definition<Close>("close");
    trawl::query::detail::forget(fd);
    return real ? real(fd) : static_cast<int>(::syscall(SYS_close, fd));
}

int dup2(int from, int to) noexcept {
    using Dup2 = int (*)(int, int);
    static const auto real = next_definition<Dup2>("dup2");
    if (from != to) trawl::query::detail::forget(to);
    if (!real) return errno = ENOSYS, -1;
    return real(from, to);
}

int dup3(int from, int to, int flags) noexcept {
    using Dup3 = int (*)(int, int, int);
    static const auto real = next_definition<Dup3>("dup3");
    if (from != to) trawl::query::detail::forget(to);
    if (!real) return errno = ENOSYS, -1;
    return real(from, to, flags);
}

void closefrom(int first) noexcept {
    using Closefrom = void (*)(int);
    static const auto real = next_definition<Closefrom>("closefrom");
    trawl::query::detail::forget_range(static_cast<unsigned>(std::max(first, 0)), ~0u);
    if (real) real(first);
}

int close_range(unsigned first, unsigned last, int flags) noexcept {
    using CloseRange = int (*)(unsigned, unsigned, int);
    static const auto real = next_definition<CloseRange>("close_range");
    if ((flags & CLOSE_RANGE_CLOEXEC) == 0) trawl::query::detail::forget_range(first, last);
    if (!real) return errno = ENOSYS, -1;
    return real(first, last, flags);
}

}  // extern "C"
#endif
