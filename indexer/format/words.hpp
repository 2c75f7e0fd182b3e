// The words of a text as Xapian 1.4's TermGenerator cuts them (its
// termgenerator_internal.cc), without building a Xapian::Document: the same
// unstemmed terms at the same positions, plus where each word is in the text.
// The phrase verifier checks passages against it (query/verified_positions)
// and the highlighter marks what the indexer indexed (query/snippet).
// tests/format/words_test.cpp compares it with TermGenerator on Reuters and on
// a fixture of tricky strings.
//
// The rules: a word starts at a Unicode word character (Xapian::Unicode::
// is_wordchar: letters, marks, numbers, '_') and is lower-cased by
// Xapian::Unicode::tolower; initials joined by '.' ("U.S.A.") make one word
// "usa" unless a letter or digit follows; '\'', '&', U+00B7, U+05F4 and U+2027
// between two word characters stay in the word (U+2019 and U+201B as '\''),
// and ',', '.', ';' (and a few Unicode separators) between two digits; the
// zero-width characters U+200B-U+200D, U+2060 and U+FEFF between two word
// characters vanish; up to three '+' or '#' end a word ("c++", "c#") unless a
// word character follows them. A word longer than kMaxWordBytes is dropped
// without taking a position. Bytes that are not UTF-8 read as Latin-1 (Xapian's
// Utf8Iterator). CJK is cut as any other word characters: Trawl's term
// generator does not set FLAG_CJK_NGRAM (XAPIAN_CJK_NGRAM in the environment
// would make Xapian cut CJK n-grams, which this splitter does not).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace trawl::format {

// TermGenerator's default max_word_length: longer words (in bytes) are not indexed.
inline constexpr std::size_t kMaxWordBytes = 64;

// One word of a text.
struct Word {
    std::uint32_t begin = 0, end = 0;          // its bytes in the text it was cut from
    std::uint32_t term_at = 0, term_size = 0;  // its term (prefix included) in Words::term()
    Xapian::termpos pos = 0;                   // 0: cut without positions, or not indexed
    bool indexed = true;                       // false: longer than kMaxWordBytes (TermGenerator drops it)
};

// The words of one or more texts, cut as the term generator cuts them: the
// three calls below mirror TermGenerator's, so one piece of code can drive
// either (passage_document.cpp). Reusable: clear() keeps the buffers.
class Words {
public:
    // TermGenerator::index_text(text, wdf, prefix): each indexed word takes
    // the next position. The wdf is not kept (Words has no use for it).
    void index_text(std::string_view text, Xapian::termcount wdf = 1, std::string_view prefix = {});
    // TermGenerator::index_text_without_positions(text, wdf, prefix).
    void index_text_without_positions(std::string_view text, Xapian::termcount wdf = 1, std::string_view prefix = {});
    // TermGenerator::increase_termpos(delta).
    void increase_termpos(Xapian::termpos delta = 100) { pos_ += delta; }

    void clear();
    // Every word in text order, the ones not indexed too.
    std::span<const Word> list() const { return words_; }
    std::string_view term(const Word& w) const { return std::string_view(terms_).substr(w.term_at, w.term_size); }
    // The positions of `term` (prefix included), ascending; empty when no
    // indexed word has it with a position.
    std::vector<Xapian::termpos> positions(std::string_view term) const;

private:
    void cut(std::string_view text, std::string_view prefix, bool with_positions);

    std::vector<Word> words_;
    std::string terms_;
    Xapian::termpos pos_ = 0;
};

// The words of `text` cut with positions from 1, no prefix.
Words cut_words(std::string_view text);

}  // namespace trawl::format
