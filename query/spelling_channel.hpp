// The noisy channel of "did you mean" (spelling.hpp): which words one typing
// error away could have been meant by a typed word, and how likely that error
// is. Pure: no index, so it is tested on its own; the speller weighs each
// source by how often the index holds it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::query {

// A word that `typed` could have been meant as, and P(typed | meant, one
// error): the chance that one typing error turns `meant` into `typed`.
struct ChannelSource {
    std::string meant;
    double p = 0;
};

// The error model. The four kinds of error (a letter left out, one added, one
// replaced, two neighbours swapped) are equally likely, and so is the place
// of an error in the word; a letter left out or two swapped has no other
// choice, but an added or replaced letter is one of 26. Keyboards make some
// letters likelier (Kernighan, Church and Gale 1990, "A spelling correction
// program based on a noisy channel model"): an added letter that repeats or
// is a QWERTY neighbour of a letter beside it, and a replacement by a QWERTY
// neighbour, weigh kKeyWeight times the others. Summing over the places that
// give the same word makes leaving out one of a doubled letter twice as
// likely as leaving out a single one.
inline constexpr double kKeyWeight = 3.0;

// Every word one edit from `typed` (over Unicode characters; added and
// replacing letters are a-z and the word's own other letters), each once,
// with its P(typed | meant, one error); `typed` itself is not among them.
// In byte order of `meant`. At most about 54 n + 26 words for n letters.
// With `kept`, only the words it keeps (asked once for each error that
// makes the word): the same words with the same chances as the whole list
// holds, without sorting the others.
std::vector<ChannelSource> one_edit_sources(std::string_view typed,
                                            const std::function<bool(std::string_view)>& kept = nullptr);

// True when two lower-case letters are neighbours on a QWERTY keyboard.
bool keyboard_neighbours(char32_t a, char32_t b);

}  // namespace trawl::query
