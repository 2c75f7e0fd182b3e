#include "corpus/base/checked_output.hpp"

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace trawl {
namespace {
constexpr std::size_t kBufferBytes = 1 << 15;
}

FdOutputBuffer::FdOutputBuffer(int fd) : fd_(fd), buffer_(new char[kBufferBytes]) {
    setp(buffer_.get(), buffer_.get() + kBufferBytes);
}

FdOutputBuffer::~FdOutputBuffer() { drain(); }

bool FdOutputBuffer::write_all(const char* data, std::size_t size) {
    if (error_) return false;
    while (size > 0) {
        const auto n = ::write(fd_, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error_ = n < 0 ? errno : EIO;  // write(2) returns 0 only for a zero size
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool FdOutputBuffer::drain() {
    const bool ok = write_all(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_.get(), buffer_.get() + kBufferBytes);
    return ok;
}

FdOutputBuffer::int_type FdOutputBuffer::overflow(int_type c) {
    if (!drain()) return traits_type::eof();
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
}

std::streamsize FdOutputBuffer::xsputn(const char* s, std::streamsize n) {
    if (error_) return 0;
    const auto size = static_cast<std::size_t>(n);
    if (size <= static_cast<std::size_t>(epptr() - pptr())) {
        std::memcpy(pptr(), s, size);
        pbump(static_cast<int>(n));
        return n;
    }
    // More than fits: what is buffered, then this, straight through.
    if (!drain() || !write_all(s, size)) return 0;
    return n;
}

int FdOutputBuffer::sync() { return drain() ? 0 : -1; }

CheckedOutput::CheckedOutput(std::ostream& stream, int fd) : stream_(stream), buffer_(fd) {
    stream_.flush();
    before_ = stream_.rdbuf(&buffer_);
}

CheckedOutput::~CheckedOutput() {
    stream_.flush();
    stream_.rdbuf(before_);
}

int CheckedOutput::finish() {
    stream_.flush();
    return buffer_.error();
}

}  // namespace trawl
