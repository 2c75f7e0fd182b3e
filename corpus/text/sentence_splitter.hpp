// Sentence boundaries in English news text (pure).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace trawl::corpus {

struct Span {
    std::uint32_t begin;  // byte offset, inclusive
    std::uint32_t end;    // byte offset, exclusive
    bool operator==(const Span&) const = default;
};

// Splits `text` into sentences. Every non-space byte of `text` lies in exactly
// one span; spans are in order, do not overlap, and start/end on non-space
// characters. A paragraph break ("\n\n") always ends a sentence; otherwise
// . ! ? … end one only when followed by whitespace and then an upper-case
// letter, a digit or an opening quote/bracket. Abbreviations (Mr. Dr. U.S. Jan.
// etc.), initials, decimals (3.5) and mid-sentence ellipses ("wait... what") do
// not end one; closing quotes/brackets after . ! ? stay with their sentence.
// "Space" is ASCII whitespace; the text is UTF-8 (curly quotes are understood).
// Linear time. Throws std::length_error if text is 4 GiB or larger.
std::vector<Span> split_sentences(std::string_view text);

// Number of words (maximal runs of non-space bytes) in `text`.
std::uint32_t count_words(std::string_view text);

}  // namespace trawl::corpus
