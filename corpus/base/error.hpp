// The error hierarchy. Exceptions mean "cannot continue"; per-record problems
// are returned as values (see diagnostics.hpp), counted and reported.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace trawl {

namespace corpus {
// `text` with its ASCII control bytes (and DEL) written \xHH: "a\x0ab". A
// file name or an id comes from the data (a file named "a\nb.txt", an id
// holding a terminal's escape): written so, a message naming it is one line,
// and inert. (Defined in diagnostics.cpp.)
std::string one_line(std::string_view text);
}  // namespace corpus

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Input that cannot be read at all (missing file, truncated compressed stream...).
// `line` is 0 when the problem is not tied to a line. The message names the
// file as one_line() writes it; `file` is the name as it is.
struct InputError : Error {
    InputError(std::string file_, std::uint64_t line_, const std::string& what)
        : Error(corpus::one_line(file_) + (line_ ? ":" + std::to_string(line_) : std::string()) + ": " + what),
          file(std::move(file_)),
          line(line_),
          reason(what) {}
    std::string file;
    std::uint64_t line;
    std::string reason;  // what is wrong, without the file and line
};

// A query the user typed cannot be parsed; `pos` is the 1-based character column.
struct QuerySyntaxError : Error {
    QuerySyntaxError(std::size_t pos_, const std::string& what)
        : Error("query error at column " + std::to_string(pos_) + ": " + what), pos(pos_), reason(what) {}
    std::size_t pos;
    std::string reason;  // what is wrong, without the column
};

// The index on disk was written by a different format version (or is not a Trawl index).
struct IndexFormatError : Error {
    using Error::Error;
};

// Command-line usage error (exit code 2, message printed with a hint to --help).
struct UsageError : Error {
    using Error::Error;
};

}  // namespace trawl
