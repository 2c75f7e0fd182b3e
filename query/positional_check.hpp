// The phrase and NEAR rules passages are checked by where the index kept no
// positions (verified_positions.hpp), on the passage's words.
//
// The shortcut: a check answered from the few words
// around each occurrence of one of its words, instead of cutting the whole
// passage into words (format::Words, the cost of a phrase of frequent words
// checked against thousands of candidates).
//
// Why the answer is the same as the whole cut's: a word never holds ASCII
// white space (no rule of format::Words joins across it), so the words of
// text[lo, hi), lo just after white space (or 0) and hi at white space (or
// the end), are exactly the whole cut's words inside that range, each
// indexed one position after the one before: positions cut locally differ
// from the global ones by a constant. A match lies within `window` positions
// of an occurrence of each of its words, so cutting window - 1 indexed words
// either side of every occurrence of one word finds it.
//
// Occurrences are found by bytes: an ASCII term of letters and digits comes
// from the same letters in either case, unless the text holds what can make
// them otherwise (a non-ASCII character Xapian lower-cases to ASCII, a
// zero-width character that vanishes inside a word, an overlong UTF-8 form,
// initials "U.S." that make one word): then no answer, and the caller cuts
// the whole passage.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "indexer/format/doc_data.hpp"
#include "indexer/format/words.hpp"

namespace trawl::query {

// One phrase (in order) or NEAR (any order) to check: its terms as indexed
// ("rates", or "Srates" for title:) and its window, as Xapian defines them:
// every term at its own position, the first and last less than `window` apart.
struct PositionalCheck {
    bool ordered = true;
    Xapian::termcount window = 0;
    std::vector<std::string> terms;
    // Instead: the passage holds any one of `terms`, with a position or
    // without (a title word after the lead passage has none): how a stop word
    // the index left out is found (verified_positions.hpp).
    bool any = false;
    // Every term is a title word ("Srates"): checked on the article's headline
    // as its lead passage indexes it (format::headline_words), whichever
    // passage is asked, since the headline is every passage's and only the
    // lead passage keeps its title positions (a `title:` phrase, NEAR or ADJ).
    bool title = false;
};

// A place that satisfies a phrase or NEAR: the positions of its first and
// last word.
struct PositionalPlace {
    Xapian::termpos first = 0, last = 0;
    bool operator==(const PositionalPlace&) const = default;
};

// The phrase (ADJ) and NEAR rules, stated once for the filter (holds(),
// which stops at the first place) and the snippet (query/snippet.cpp, which
// shows the shortest): calls `found` with each place where `terms`, at
// `pos` (pos[i]: the positions of terms[i], ascending), satisfy an
// ordered (phrase, ADJ) or unordered (NEAR) check within `window`, until
// `found` returns false. Ordered: each term after the one before, the first
// and last less than `window` apart (Xapian's PhrasePostList); for each
// position of the first term in turn, the place that ends first (each next
// term at its first position after the one before), and none after a start
// that cannot be completed (no later one can). Unordered: for each position
// of each term (terms in order), the window of `window` positions starting
// there holds every term at positions of its own (a term listed k times k
// of them: its k-th position from the start is less than `window` after it;
// NearPostList); the place ends at the last of those. No place for no terms.
// Returns true when `found` stopped it.
bool for_each_place(bool ordered, Xapian::termcount window, const std::vector<std::string>& terms,
                    const std::vector<std::vector<Xapian::termpos>>& pos,
                    const std::function<bool(PositionalPlace)>& found);

// The positions of `term` in `words` (format::passage_words()), ascending;
// empty when the passage lacks it.
std::vector<Xapian::termpos> positions_in(const format::Words& words, const std::string& term);

// True when `words` (format::passage_words()) holds `check`.
bool holds(const format::Words& words, const PositionalCheck& check);

// Whether `text`, cut with positions from 1 (format::cut_words), holds
// `check`; nullopt when the shortcut cannot tell (terms that are not plain
// ASCII letters and digits, or text as above).
std::optional<bool> holds_in_text(std::string_view text, const PositionalCheck& check);

// Whether the passage (format::passage_words(fields, ordinal)) holds
// `check`; nullopt when the shortcut cannot tell (then cut it all). A
// `title` check is answered from the headline alone, never nullopt.
std::optional<bool> holds_in_passage(const format::StoredFields& fields, PassageOrdinal ordinal,
                                     const PositionalCheck& check);
std::optional<bool> holds_in_passage(const format::StoredFieldsView& fields, PassageOrdinal ordinal,
                                     const PositionalCheck& check);

// False when the passage whose word-pair signature (value kSlotPairs,
// format/pair_signature.hpp) is `pairs` certainly lacks `check`: an exact
// phrase (ordered, window = its number of terms: each word at the position
// after the one before) one of whose adjacent pairs the signature lacks, or
// a NEAR of two words within 2 whose pair it lacks in both orders. True
// otherwise (a wider window, `any`, one word, an empty signature): then
// only the text can tell.
bool may_hold(std::string_view pairs, const PositionalCheck& check);

// The code points other than ASCII that Xapian::Unicode::tolower turns into
// ASCII word characters (the shortcut gives up on text holding them);
// positional_check_test.cpp (OnlyTheListedCharactersFoldToAscii) compares it
// with Xapian over every code point; has_tricky_bytes() spells the two in UTF-8.
inline constexpr unsigned kFoldsToAscii[] = {0x130, 0x212A};

}  // namespace trawl::query
