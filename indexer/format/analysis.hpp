// Index-time and query-time text analysis, defined side by side so that the
// stemmer, stemming strategy and field prefixes cannot drift apart.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "corpus/text/date.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {

inline constexpr const char* kLanguage = "english";

// Indexes a passage: title words under kPrefixTitle and body words unprefixed,
// with positions (make_passage_document() keeps only the positional words').
// With StemStorage::Terms each word also gets its Z-prefixed stem without
// positions (STEM_SOME): what a Terms index holds, and how the query side
// analyses stored text into query terms (expansion, "more like this");
// with Synonyms the words only (STEM_NONE; stems.hpp maps them).
Xapian::TermGenerator make_term_generator(StemStorage stems = StemStorage::Terms);

// A query parser for `db`, to parse fold_query_case()'s text: English stemming (STEM_SOME: a bag-of-words word
// becomes its Z-stem, which FLAG_AUTO_SYNONYMS turns into OP_SYNONYM of the
// words of a Synonyms index, stems.hpp), the stop-word list
// below for bag-of-words terms, bare words search the body (which holds the
// headline in the lead passage), field "title:" = title only,
// boolean/phrase/NEAR/ADJ/love-hate/wildcards.
// Filters: "source:NAME" (or source:"Two Words") = source_filter(NAME);
// "date:FROM..TO" (or "+date:") = date_filter(), either end may be left
// out, each a parse_date() spelling; "-date:FROM..TO" excludes it
// (excluded_dates()); a bad date throws QuerySyntaxError (query_check.hpp
// reports it with its column first). The stopper and processors are owned by
// the returned object's reference-counted state.
Xapian::QueryParser make_query_parser(const Xapian::Database& db);

// The text to give make_query_parser()'s parser for `query` as typed, so that
// a word's case never changes what it matches: the first letter of each
// word lower-cased (Xapian's STEM_SOME leaves a word that starts with a
// capital unstemmed, so "Exports" matched "exports" only, where "exports"
// finds every form; the parser lower-cases the rest of a word itself), and
// field names in any case as make_query_parser() knows them ("Title:oil",
// "SOURCE:bbc", "Date:1987-03-01.." work as "title:", "source:", "date:").
// Acronyms are written in capitals ("u.s." -> "U.S.": the parser and the
// term generator read capitals joined by dots as one word, "us", and the
// parser reads "u.s." as the phrase "u s", which no "U.S." in the text
// matches). Left as typed: the operators AND, OR, NOT, XOR,
// NEAR and ADJ, and the values of source: and date:. A run of dots
// outside those values is punctuation, made spaces (the parser would read
// ".." as a range, which only date: has). Phrases, NEAR and ADJ
// match the words as written whatever their case, so lower-casing a first
// letter there changes nothing; neither does it in another "word:word"
// ("Re:oil", "3:1"), which the parser reads as a phrase. Keeps every
// character a character (a query error's column stays right).
std::string fold_query_case(std::string_view query);

// `query` with each dotted acronym in capitals, as fold_query_case() writes
// it ("u.s. treasury" -> "U.S. treasury"), nothing else changed: how the
// speller reads a query, so that it cuts "u.k." as the one word "uk" the
// index holds, never "u" and "k" (which made "did you mean: us.k.").
std::string capitalise_acronyms(std::string_view query);

// True for a word (lower case) of the stop-word list make_query_parser() drops
// from bag-of-words queries (trawl-bench's query generator avoids them too).
// An index that checks phrases against the text does not index them either
// (format v6, positions.hpp: they are 22% of Reuters' postings).
bool is_stop_word(std::string_view word);
// The list itself, lower case, sorted.
std::span<const std::string_view> stop_words();
// The stem of stop word `word` as the term generator's STEM_SOME writes it
// ("onli" for "only"); "" for a word not on the list. Worked out once.
const std::string& stop_word_stem(std::string_view word);
// The stop words whose stem is `stem` ("it" and "its" for "it"), sorted.
std::vector<std::string_view> stop_words_stemmed_as(std::string_view stem);

// The field names make_query_parser() knows ("title" for "title:word",
// "source" for "source:reuters"). "date:" ranges are not fields.
bool is_query_field(std::string_view name);

// The form of a source stored under kPrefixSource and matched by "source:"
// and --source: in Unicode NFC (corpus/text/nfc.hpp), lower-cased (Unicode), trimmed, each run of white space inside
// turned into one '-', cut to kMaxSourceBytes at a character boundary.
// "  BBC  News " -> "bbc-news"; "Reuters" -> "reuters". Empty if nothing is left.
std::string normalize_source(std::string_view source);

// A date as queries spell it, in the kSlotDate form "YYYYMMDD": the one date
// parser, corpus/text/date.hpp's (which also gives Article::date its form).
using corpus::parse_date;

// Passages of articles whose source normalises as `source` does.
Xapian::Query source_filter(std::string_view source);

// Passages dated from `since` to `until`, both inclusive, "YYYYMMDD"; an empty
// end is open (both empty: every passage, dated or not).
Xapian::Query date_filter(const std::string& since, const std::string& until);

// "-date:FROM..TO" leaves the passages dated in none of its ranges (undated
// ones too), as "NOT date:FROM..TO" does. The parser cannot say that itself:
// it ORs the ranges of one group. make_query_parser()'s parser gives each
// such range a stand-in term, grouped; for the node that group is (one
// stand-in, or the OR of several), this is the filter it stands for; nullopt
// for any other node. The searcher replaces the group after parsing.
std::optional<Xapian::Query> excluded_dates(const Xapian::Query& q);

// Query-parser flags Trawl uses.
unsigned query_parser_flags();

}  // namespace trawl::format
