// ExactBytes: a copy of a string in a heap buffer of exactly its size, with
// no terminator after it, so that AddressSanitizer reports a read (or a
// 16-byte vector load) one byte past the end, which a std::string's own
// terminator would hide.
#pragma once

#include <cstring>
#include <memory>
#include <string_view>

namespace trawl::test {

class ExactBytes {
public:
    explicit ExactBytes(std::string_view s)
        : bytes_(std::make_unique_for_overwrite<char[]>(s.size())), size_(s.size()) {
        if (size_ != 0) std::memcpy(bytes_.get(), s.data(), size_);
    }
    std::string_view view() const { return {bytes_.get(), size_}; }

private:
    std::unique_ptr<char[]> bytes_;
    std::size_t size_;
};

}  // namespace trawl::test
