#include "indexer/input_spool.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus/base/error.hpp"
#include "corpus/read/article_reader.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/interrupt.hpp"
#include "indexer/progress.hpp"

namespace trawl::index {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;  // bytes copied at a time: all the memory a copy takes

// Closes a descriptor this process opened (never standard input's).
struct Descriptor {
    int fd = -1;
    explicit Descriptor(int f) : fd(f) {}
    ~Descriptor() {
        if (fd > STDERR_FILENO) ::close(fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
};

// "-: cannot copy standard input to COPY (No space left on device; ...)".
Error copy_error(const std::string& input, const std::string& copy, int err) {
    const bool full = err == ENOSPC || err == EDQUOT || err == EFBIG;
    return Error(input + ": cannot copy " + (input == "-" ? "standard input" : "the input") + " to " + copy +
                 " for its two passes (" + std::strerror(err) +
                 (full ? "; the copy needs as much free space as the input" : "") + "); the index is untouched");
}

// Copies `input` ("-": standard input) to the new file `copy`; adds the bytes to `total`.
void copy_input(const std::string& input, const std::string& copy, Progress* progress, std::uint64_t& total) {
    const Descriptor in(input == "-" ? STDIN_FILENO : ::open(input.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.fd < 0) throw Error(input + ": cannot open: " + std::strerror(errno));
    Descriptor out(::open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.fd < 0) throw copy_error(input, copy, errno);
    std::vector<char> buf(kChunk);
    for (;;) {
        // Ctrl-C while the producer is silent: the wait ends a few times a
        // second to look (interrupt.hpp); the copy is removed by the caller.
        throw_if_interrupted();
        struct pollfd ready {
            in.fd, POLLIN, 0
        };
        const int polled = ::poll(&ready, 1, 200);  // never restarted: EINTR after a signal
        if (polled == 0 || (polled < 0 && errno == EINTR)) continue;
        const ssize_t got = ::read(in.fd, buf.data(), buf.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw Error(input + ": read error: " + std::strerror(errno));
        if (got == 0) break;
        for (ssize_t done = 0; done < got;) {
            const ssize_t put = ::write(out.fd, buf.data() + done, static_cast<std::size_t>(got - done));
            if (put < 0 && errno == EINTR) continue;
            if (put < 0) throw copy_error(input, copy, errno);
            done += put;
        }
        total += static_cast<std::uint64_t>(got);
        if (progress) progress->advance(total, format_bytes(total) + " read");
    }
    const int fd = out.fd;
    out.fd = -1;
    if (::close(fd) != 0) throw copy_error(input, copy, errno);  // a file system that reports a full disk late
}

// How a read-once input (corpus::is_read_once) is read twice.
enum class Twice {
    Copy,     // a pipe, a FIFO, a socket: copied
    Reopen,   // standard input redirected from a regular file: /dev/stdin opens it afresh
    ReadOnce  // a terminal or another device: read once, as before (copying /dev/zero would fill the disk)
};
Twice how_to_read_twice(const std::string& input) {
    struct stat st {};
    const int r = input == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(input.c_str(), &st);
    if (r != 0 && input == "-" && errno == EBADF) throw Error("-: standard input is closed");
    if (r != 0) return Twice::Copy;  // copy_input() says what is wrong
    if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return Twice::Copy;
    if (input == "-" && S_ISREG(st.st_mode)) {
        // Opened afresh only when that reads what standard input would: from
        // its start (the caller may have read some of it already), and when
        // this process may open the file by name at all (`- < file` of
        // another user's, opened by the shell).
        const Descriptor again(::open("/dev/stdin", O_RDONLY | O_CLOEXEC));
        if (again.fd >= 0 && ::lseek(STDIN_FILENO, 0, SEEK_CUR) == 0) return Twice::Reopen;
        return Twice::Copy;
    }
    return Twice::ReadOnce;
}

}  // namespace

std::string spool_path(const std::string& db_path) {
    const fs::path p = index_dir_path(db_path);
    std::error_code ec;
    if (replaceable_by_rename(db_path) && fs::is_directory(p.parent_path(), ec) &&
        ::access(p.parent_path().c_str(), W_OK | X_OK) == 0)
        return sibling_temp_path(db_path, "stdin");
    static std::atomic<unsigned> counter{0};
    const fs::path dir = fs::temp_directory_path(ec);
    for (;;) {
        const fs::path candidate = (ec ? fs::path("/tmp") : dir) /
                                   ("trawl-stdin-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::error_code exists;
        if (!fs::exists(candidate, exists)) return candidate.string();
    }
}

InputSpool::InputSpool(const std::vector<std::string>& inputs, const std::string& db_path, Progress* progress) {
    try {
        for (const std::string& input : inputs) {
            if (!corpus::is_read_once(input) || copies_.contains(input)) continue;
            const auto how = how_to_read_twice(input);
            if (how == Twice::ReadOnce) continue;
            if (how == Twice::Reopen) {
                copies_[input] = "/dev/stdin";  // the file itself, not a copy: nothing to remove
                continue;
            }
            if (progress && owned_.empty()) progress->phase(Phase::Spooling);
            const std::string copy = spool_path(db_path);
            copies_[input] = copy;
            owned_.push_back(copy);  // first, so that a copy cut short is removed too
            copy_input(input, copy, progress, bytes_);
        }
    } catch (...) {
        remove_all();
        throw;
    }
    fault_point("after-spool");
}

InputSpool::~InputSpool() { remove_all(); }

void InputSpool::remove_all() noexcept {
    for (const auto& copy : owned_) {
        std::error_code ec;
        fs::remove(copy, ec);
    }
    owned_.clear();
    copies_.clear();
}

}  // namespace trawl::index
