// Dates as news corpora spell them, turned into the ISO 8601 form Article::date
// holds (pure). One normaliser for every reader, so a date means the same
// whatever file it came from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trawl::corpus {

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS", or "" when `raw` is not one of these
// unambiguous spellings (surrounding whitespace ignored):
//   2022-01-03                         20220103
//   2022-01-03T10:00[:00[.123]][zone]  2022-01-03 10:00:00[zone]
//   Mon, 03 Jan 2022 10:00:00 GMT      (RFC 2822; weekday, seconds and zone optional)
//   26-FEB-1987 15:01:01.79            (Reuters; an impossible time keeps the date,
//                                       letters after the time are ignored)
// zone = Z, +HH:MM, +HHMM, -HH:MM, GMT, UT, UTC, or US zone names (EST, PDT...).
// A time with a zone is converted to UTC; a time without one is kept as
// written. Fractions of a second are dropped. Impossible dates (2022-02-30) give "".
std::string normalize_date(std::string_view raw);

// A day as queries spell it ("date:FROM..TO", --since/--until), "YYYY-MM-DD" or
// "YYYYMMDD" exactly (a real calendar day, year 1000 or later, as
// normalize_date() checks it), in the index's date-slot form "YYYYMMDD";
// std::nullopt for anything else (times, other spellings, white space).
std::optional<std::string> parse_date(std::string_view day);

// The day of an Article::date: its first ten characters ("1987-03-02T14:10:00"
// -> "1987-03-02"); "" for an unknown date.
inline std::string_view day_of(std::string_view date) { return date.substr(0, 10); }

}  // namespace trawl::corpus
