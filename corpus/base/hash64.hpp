// A fast, stable 64-bit hash of bytes (FNV-1a finished with splitmix64's mixer)
// for boilerplate and duplicate keys. Stable across runs and platforms, so a
// hash may be persisted (the index's content-hash term).
#pragma once

#include <cstdint>
#include <string_view>

namespace trawl::corpus {

// splitmix64's finaliser: a bijection that spreads every input bit.
constexpr std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

// FNV-1a 64 of the bytes, not mixed: what hash64() mixes, and the term hash
// of the index's pair signatures (format::term_hash()), so a caller that
// needs both computes one.
constexpr std::uint64_t fnv1a64(std::string_view s, std::uint64_t seed = 0) {
    std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

constexpr std::uint64_t hash64(std::string_view s, std::uint64_t seed = 0) { return mix64(fnv1a64(s, seed)); }

}  // namespace trawl::corpus
