// Index-time and query-time text analysis, defined side by side so that the
// stemmer, stemming strategy and field prefixes cannot drift apart.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

namespace trawl::format {

inline constexpr const char* kLanguage = "english";

// Indexes a passage: title words under kPrefixTitle and body words unprefixed,
// each with positions for their unstemmed form and a Z-prefixed stemmed form
// without positions (STEM_SOME). Phrase, NEAR and ADJ use the unstemmed forms.
Xapian::TermGenerator make_term_generator();

// A query parser for `db`: English stemming (STEM_SOME), the stop-word list
// below for bag-of-words terms, default field = body and title, field
// "title:" = title only, boolean/phrase/NEAR/ADJ/love-hate/wildcards.
// The stopper is owned by the returned object's reference-counted state.
Xapian::QueryParser make_query_parser(const Xapian::Database& db);

// True for a word (lower case) of the stop-word list make_query_parser() drops
// from bag-of-words queries (trawl-bench's query generator avoids them too).
bool is_stop_word(std::string_view word);

// The field names make_query_parser() knows ("title" for "title:word").
bool is_query_field(std::string_view name);

// Query-parser flags Trawl uses.
unsigned query_parser_flags();

}  // namespace trawl::format
