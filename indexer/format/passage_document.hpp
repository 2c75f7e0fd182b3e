// The passage document, defined once: what the Xapian document of one passage
// holds (terms, values, data) and how a reader takes its terms apart. The
// indexer writes through make_passage_document(); the searcher, its proximity
// re-ranking and the highlighter read through classify_term() and the value
// readers. schema.hpp names the prefixes and slots (and lists what a passage
// document holds); only this module puts them together.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "corpus/base/article.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/tiers.hpp"
#include "indexer/format/words.hpp"

namespace trawl::format {

// The parts every passage of one article shares, worked out once per article.
struct ArticleKeys {
    std::string article_term;  // A<id>: every passage of the article (replace, delete)
    std::string content_term;  // XH<content hash>: later runs find exact duplicates by it
    std::string source_term;   // XS<normalize_source(source)>, "" when the article names none
    std::string date;          // the kSlotDate value, "" when the article has no usable date
};
ArticleKeys article_keys(const corpus::Article& a);
// The same with the content term given: an article rebuilt from its stored
// passages (indexer/rebuild.hpp) keeps the term its first indexing computed
// from the whole body, which the passages do not hold byte for byte.
ArticleKeys article_keys(const corpus::Article& a, std::string content_term);

// The content term (XH) of every passage of `db` by docid, read from the XH
// terms' posting lists (a database without a termlist cannot list a
// document's terms): 4 bytes a document and one string an article.
class ContentTerms {
public:
    explicit ContentTerms(const Xapian::Database& db);
    // "" for a docid no XH term names.
    const std::string& of(Xapian::docid did) const {
        static const std::string none;
        return did < index_.size() && index_[did] != 0 ? terms_[index_[did] - 1] : none;
    }

private:
    std::vector<std::uint32_t> index_;  // docid -> 1 + position in terms_ (0: none)
    std::vector<std::string> terms_;
};

// A<id>: the boolean term on every passage of article `id`.
std::string article_term(std::string_view id);
// XH<16 lower-case hex digits>: the content-hash term (corpus::content_hash).
std::string content_term(std::uint64_t hash);
// A passage as the index stores it: its span in the article body and its text.
struct PassageText {
    std::uint32_t begin = 0, end = 0;
    std::string text;
};
// The content-hash term of an article recomputed from what the index stores
// of it (--like's exact duplicates): its title, its date and its passages,
// the body rebuilt with each passage's text at its span and a space for each
// byte no passage covers (the white space between sentences, which the
// hash's folding turns into one space anyway). The term the indexer gave it,
// since its passages cover every sentence of the body as indexed (after
// cleaning); a caller that must be sure checks that the article's passages
// hold it.
std::string stored_content_term(const std::string& title, const std::string& date,
                                const std::vector<PassageText>& passages);
// The kSlotDate value of an Article::date: "1987-02-26T15:01:01" -> "19870226"
// (parse_date() of its first ten characters); "" for anything else.
std::string date_slot_value(std::string_view iso);

// The terms and values of passage `p` of article `a` (schema.hpp, "What a
// passage document holds"): title words under kPrefixTitle on every passage,
// with positions on the lead passage only; on the lead passage the title again
// as body words, then a position gap so that no phrase spans title and text;
// the passage's words; the boolean terms; the article, ordinal and date values.
// Only the words of `positional` keep their positions, and its stop words
// are not indexed (positions.hpp).
// `tg` comes from make_term_generator() and is reused from call to call (its
// stemmer keeps a memo). The document data is left to the writer, which
// compresses stored_fields() with the index's codec into passage_data().
Xapian::Document make_passage_document(Xapian::TermGenerator& tg, const corpus::Article& a, const ArticleKeys& keys,
                                       const corpus::Passage& p, const PositionalWords& positional);

// Makes the passage documents of one index, reused from passage to passage.
// A Terms index's documents come from make_passage_document() above (its
// TermGenerator makes the Z-stems). A Synonyms index holds words only, so its
// documents are built from format::Words, which cuts the same terms at the
// same positions as TermGenerator's STEM_NONE (words.hpp; tests/format/
// passage_document_test.cpp compares the two documents on Reuters): each word
// is added once per occurrence, with its position when it is positional,
// without one otherwise, and not at all when it is a stop word the index
// leaves out. That skips TermGenerator's per-character Unicode
// work and keep_positions()' second walk over the terms (bench/RESULTS.md,
// "Issue 10, fifth round: indexing without TermGenerator").
class PassageDocumentMaker {
public:
    explicit PassageDocumentMaker(StemStorage stems);
    Xapian::Document make(const corpus::Article& a, const ArticleKeys& keys, const corpus::Passage& p,
                          const PositionalWords& positional);
    // A Synonyms index's: the (stem term, word term) pairs of the title and
    // body words the passages made since the last call hold and no earlier
    // passage of this maker did, as far as its WordStems remembers (a word
    // whose entry another took is named again): its stem table's new
    // entries (StemTableWriter::add(Pairs)). Empty for a Terms index.
    StemPairs take_new_stems() { return std::exchange(new_stems_, {}); }
    // The last passage's pair_signature() (pair_signature.hpp), made from
    // the words its terms were made from: what store_passage() puts in kSlotPairs.
    const std::string& pairs() const { return pairs_; }

private:
    StemStorage stems_;
    Xapian::TermGenerator tg_;                // a Terms index's
    Xapian::Document no_document_;            // what tg_ holds between passages
    Words words_;                             // a Synonyms index's, cleared for each passage
    std::vector<std::uint64_t> term_hashes_;  // of words_' indexed words (pair_signature())
    std::string term_;                        // scratch
    std::string pairs_;                       // pairs()
    WordStems word_stems_;                    // a Synonyms index's: what it knows of its words
    StemPairs new_stems_;                     // take_new_stems()
    TierTerms tiers_;                         // a Synonyms index's tier terms (tiers.hpp)
};

// Removes the positions of every term of `doc` whose word is not positional
// (stems have none already; wdf and terms stay), and the title and body
// terms of the words `words` does not index (stop words, format v6), with
// their share of their Z-stem's wdf (a stem no other word has goes too).
void keep_positions(Xapian::Document& doc, const PositionalWords& words);

// The words of a stored passage at the positions the indexer gave them, all
// of them (positional or not): what a phrase, NEAR or ADJ query is checked
// against where the index kept no positions (query/verified_positions.hpp).
// Built by the same code as make_passage_document(), cut by format::Words
// (words.hpp: TermGenerator's rules without a Xapian::Document), so the terms
// and positions are the ones a fully positional index holds; title terms
// carry kPrefixTitle. Stems are not made.
Words passage_words(const StoredFields& fields, PassageOrdinal ordinal);

// The title words of an article whose headline is `title`, under
// kPrefixTitle, at the positions its lead passage gives them: what a `title:`
// phrase, NEAR or ADJ is checked against on any passage (every passage holds
// the same headline, and only the lead one keeps its title positions).
Words headline_words(const std::string& title);

// The stored-field record of one passage of `a` whose text is `text`: what the
// document data's payload compresses, and what the dictionary is trained on.
std::string stored_fields(const corpus::Article& a, std::string text);

// Completes a passage document for writing: the article's sequence number
// in its database (deletions.hpp), the document-data record, payload
// compressed, and the word-pair signature `pairs` (PassageDocumentMaker::pairs(),
// kSlotPairs, left out when empty). Format v3 keeps the record in a value
// slot (kSlotStored), not in the document data: Xapian zlib-compresses
// document data, which wastes a deflate on every zstd frame when it is
// written and again at compaction.
void store_passage(Xapian::Document& doc, std::uint64_t sequence, const DocData& data, const std::string& pairs);
// The record store_passage() wrote. Throws IndexFormatError when it is damaged.
DocData stored_passage(const Xapian::Document& doc);

// The document-data record of passage `p` whose stored_fields() record is
// `raw_size` bytes, payload still empty (the writer compresses it).
DocData passage_data(const corpus::Passage& p, std::size_t raw_size);

// What a term of a passage document is, to a reader. Stems are "Z" + field
// prefix + stem (Xapian's STEM_SOME); words are field prefix + word; boolean
// terms (passage, article, source, content hash) start with a capital letter
// other than the title prefix.
struct TermClass {
    enum class Field {
        Body,   // unprefixed: the passage text (and the headline in the lead passage)
        Title,  // kPrefixTitle
        None,   // not a word: a boolean term, or nothing left after the prefixes
    };
    Field field = Field::None;
    bool stemmed = false;   // a Z-term: stands for every word indexed with this stem
    std::string_view word;  // the term without its Z and field prefix (into the term passed in)
};
TermClass classify_term(std::string_view term);

// The article id and the passage ordinal a passage document holds in its values.
std::string article_id_of(const Xapian::Document& doc);
PassageOrdinal ordinal_of(const Xapian::Document& doc);

}  // namespace trawl::format
