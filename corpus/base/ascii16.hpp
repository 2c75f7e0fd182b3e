// Sixteen bytes at a time (SSE2): the loads and ASCII classes of ascii.hpp
// that the loops reading every byte of the input share (text folding,
// boilerplate keys, the query's phrase checks). A mask holds 0xFF in each
// byte that is in the class, 0 elsewhere. Only where SSE2 is: each user
// keeps its byte loop for the rest.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>

namespace trawl::ascii16 {

inline __m128i load(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }

// lo <= byte <= hi, as unsigned bytes: one add moves the range to the bottom
// of the signed bytes, one signed compare tests it.
inline __m128i in_range(__m128i b, unsigned char lo, unsigned char hi) {
    const __m128i shifted = _mm_add_epi8(b, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(0x80 + (hi - lo) + 1)));
}

inline __m128i upper(__m128i b) { return in_range(b, 'A', 'Z'); }

// ascii_lower() of each byte.
inline __m128i lower(__m128i b) { return _mm_or_si128(b, _mm_and_si128(upper(b), _mm_set1_epi8(0x20))); }

}  // namespace trawl::ascii16
#endif
