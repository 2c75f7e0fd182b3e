// Unicode normalisation form C (NFC) of UTF-8 text: the one form in which
// Trawl indexes and searches text, so that "café" typed with a precomposed é
// and "cafe" + U+0301 (as macOS tools and some CMS exports write it) are one
// word. libunistring's u8_normalize does the work; a quick check skips it for
// text NFC cannot change, which is nearly all text (pure: no I/O).
#pragma once

#include <string>
#include <string_view>

#include "corpus/base/article.hpp"

namespace trawl::corpus {

// True when `text` is certainly in NFC already, by Unicode's quick check
// (UAX #15, "Detecting Normalization Forms"): every code point has
// NFC_Quick_Check=Yes and canonical combining class 0. Such a code point
// neither changes under NFC, nor combines with or reorders around its
// neighbours. Bytes below 0xCC (ASCII, and U+0080-U+02FF: Latin-1, Latin
// Extended A/B, IPA) are all such; the code points above are looked up in a
// table derived once from libunistring's own data (the combining class, the
// canonical decompositions, which are primary composites, which characters
// are the second half of one, and the Hangul jamo block U+1100-U+11FF whole);
// anything from U+20000 on, and invalid UTF-8, is "not certain". False does
// not mean the text changes: only that the library is asked.
bool nfc_quick_check(std::string_view text);

// `text` in NFC. Text that is not valid UTF-8 is returned as it is. Only the
// pieces the quick check does not pass are handed to the library: from the
// stable code point before one it does not pass to the next stable one (NFC
// changes nothing across a stable code point), so an article with one
// decomposed accent costs the library that word, not the article.
std::string to_nfc(std::string_view text);

// Puts `text` in NFC in place; true when that changed it.
bool to_nfc_in_place(std::string& text);

// An article's text in NFC: its title, body and source. Not its id, which
// stays as the data spells it, nor its date or location.
void nfc_article(Article& a);

}  // namespace trawl::corpus
