// The markup before and between a document's elements that is no text:
// comments, processing instructions (the XML declaration) and DOCTYPEs,
// passed over to their end, which may come pieces (lines, or the stretches
// of a line between record tags) later. One definition for the format
// sniffer, the WikiExtractor reader and the SGML reader (pure).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trawl::corpus {

class MarkupScanner {
public:
    enum class Kind { None, Comment, Instruction, Doctype };

    // The markup `text` starts with: "<!--", "<?", or "<!DOCTYPE" in any case
    // followed by white space, '>', '[' or the end of `text`.
    static Kind at(std::string_view text);

    // Passes over the markup `text` starts with (at(text) is not None) or,
    // when open(), goes on with the one an earlier piece ended in: true when
    // it ends within `text`, which is then what follows it; false when it goes
    // on past `text`. A DOCTYPE ends at the first '>' outside its quoted
    // strings (public and system ids, entity values) and its internal subset
    // ([ ... ], whose declarations' '>' end nothing), and the comments and
    // processing instructions of the subset hold '>', ']' and quotes that end
    // or open nothing.
    bool pass(std::string_view& text);

    // Within markup that went on past the last piece.
    bool open() const { return kind_ != Kind::None; }
    // Within open markup whose text may be anything up to its end: a comment,
    // a processing instruction, or a quoted string, comment or instruction of
    // a DOCTYPE; not among a DOCTYPE's own declarations, where no element can
    // start.
    bool in_opaque_text() const { return open() && (kind_ != Kind::Doctype || !skip_to_.empty()); }
    // What the readers report of open markup that never closes: how it
    // begins and ends ("<!-- without -->", "<? without ?>", "<!DOCTYPE
    // without >"), and the record starts it took in, when any ("; 2 records
    // in it not read").
    std::string unclosed(std::uint64_t records_in_it) const;
    // Leaves the open markup (reported as never closed).
    void clear() { *this = {}; }

private:
    Kind kind_ = Kind::None;
    std::string_view opener() const;  // "<!--", "<?", "<!DOCTYPE"
    std::string_view closer() const;  // "-->", "?>", ">"

    bool in_subset_ = false;    // within a DOCTYPE's internal subset, [ ... ]
    std::string_view skip_to_;  // within a comment, instruction or quoted string that ends so
};

}  // namespace trawl::corpus
