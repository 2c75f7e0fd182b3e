// Pre-checks a query string for mistakes Xapian's parser reports without a
// position (or silently repairs), so the user gets "query error at column N".
#pragma once

#include <cstddef>
#include <string_view>

namespace trawl::query {

// Throws QuerySyntaxError (1-based column) for: an unbalanced double quote;
// unbalanced parentheses; a binary operator (AND, OR, NOT, XOR, NEAR[/n],
// ADJ[/n]) with no operand on its left or right (stop words kept apart by a
// lone sign are none: Xapian leaves each out, "the + who AND oil"); NEAR/ADJ
// with a distance that is not a number in 1..1000; a field prefix with
// nothing after it
// ("title:", "source:"); an empty phrase ("", or quotes around no word) and
// empty parentheses, which Xapian drops; a query whose only operands are
// lone '+' or '-' signs (between words Xapian ignores them: "oil - gas");
// a query of -words only ("-oil", "-\"oil price\"", "-(oil gas)": a sign
// straight before a phrase or group is theirs; "the -gas", whose stop word
// Xapian leaves out: a stop word is left out beside other operands, kept
// alone between operators or side by side with another, "the who -gas"),
// which leaves passages out of nothing, and a group of
// them ("oil (-gas)"); -words alone beside OR, XOR or NOT ("-oil OR gas"),
// starting their right ("oil OR -gas") or left of AND ("-gas AND oil"),
// which Xapian refuses without a column or reads as nonsense; "AND -word",
// NOT or AND NOT followed by more operands ("oil AND -gas coal", "oil NOT gas
// coal", which Xapian reads as oil AND NOT (gas OR coal)); a right of AND
// that is -words once its stop word is left out ("oil AND the -gas"); a
// +word in brackets beside other words ("gas (+coal tar)", which Xapian
// reads as gas OR (coal AND_MAYBE tar); not with match_all); two signs before a word ("--gas",
// which Xapian searches as gas); "source:" before a group or with a
// wildcard;
// a "date:" (or "+date:", "-date:") that is not FROM..TO with real dates (an
// end may be left out) or ends before it starts; control characters (C0
// except tab, and DEL). Also the NEAR/ADJ
// misuses Xapian 1.4 silently turns into plain words: an operand that is not a
// single word (phrase, group, wildcard, +/- word on the right), NEAR and ADJ
// mixed in one chain, a chain touching a plain word with no operator
// ("a NEAR b c"). Returns normally for a good query. Upper-case operator words
// only (lower-case "and" is a word, as in Xapian); inside double quotes
// (" or “ ”) everything is a word. Columns count UTF-8 characters. Linear time.
// `match_all`: the words are joined by AND (trawl-query --all), as Xapian's
// default operator, which makes a +word in brackets required anyway.
void check_query_syntax(std::string_view query, bool match_all = false);

// Throws QuerySyntaxError (1-based column) for a query that is empty, blank
// or holds no word (letters or digits: "?", "!!", "..."): Xapian parses it to
// nothing, which matched nothing without saying why. After
// check_query_syntax(), whose messages say more ("", "()", a lone "+").
void check_has_words(std::string_view query);

// Most words a query may have (operators excluded): a longer query is an
// error naming the limit rather than a slow or unbounded search.
inline constexpr std::size_t kMaxQueryWords = 1024;

// Throws QuerySyntaxError (1-based column) for bytes that are not valid UTF-8
// and for a query of more than kMaxQueryWords words (at the first word over).
void check_query_text(std::string_view query);

// The length of a double quote at `pos`: 1 for ASCII ", 3 for the
// typographic “ or ” Xapian also accepts, 0 for anything else.
std::size_t quote_len(std::string_view q, std::size_t pos);

// `query` with a space between a bracket and a word it touches, outside
// quotes: the checker above reads '(' and ')' as separators, Xapian's
// parser did not ("oil AND(gas OR coal)" lost its AND and its stems and
// found nothing, "opec(quota)" only the word opec; a red-team session).
// A sign or a field before '(' stays its own ("-(gas coal)", "title:(oil gas)").
std::string space_brackets(std::string_view query);

}  // namespace trawl::query
