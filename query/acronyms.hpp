// Dotted acronyms in any case. Xapian's term generator indexes "U.S." as the
// word "us" and "u.s.", "p.m." or "U.s." as one-letter words ("u" "s");
// the query parser searches "us" for all of them (fold_query_case() writes
// an acronym in capitals). So the text's lower-case forms were never found:
// "p.m." missed the Reuters passages that write it so. A search for an
// acronym looks for both forms: the word, or its letters as a phrase.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

namespace trawl::query {

// `q` (as parsed) with each word or stem whose word is one of `acronyms`
// (format::dotted_acronyms() of the query: "us") made the OR of itself and
// the phrase of its letters ("u" "s", in the same field), and each exact
// phrase holding one (a phrase of as many positions as words: "the u.s.
// economy", ADJ/1) the OR of its forms with each such word as the word or
// as its letters (at most 8 forms: beyond three acronyms in one phrase, all
// joined or all split). NEAR and wider ADJ keep the word: letters would
// take two positions of the window. `q` itself when nothing is an acronym.
Xapian::Query with_acronym_letters(const Xapian::Query& q, const std::vector<std::string>& acronyms);

}  // namespace trawl::query
