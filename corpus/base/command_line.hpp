// The command-line convention every Trawl binary shares: named options plus
// positional arguments, Boost's parse errors turned into UsageError (exit 2).
// Header-only: the libraries that parse command lines link Boost.Program_options.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/program_options.hpp>

#include "corpus/base/error.hpp"

namespace trawl {

// `v` as a person writes it: the shortest decimal that reads back as `v`
// ("0.6", not the "0.59999999999999998" Boost's default_value(double) shows).
inline std::string shortest_decimal(double v) {
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return std::string(buf, end);
}

// A count option given as a signed number (so that "-n -1" is refused, not
// wrapped to 4294967295 as Boost reads it into an unsigned), checked to be
// from `min` to `max`. Throws UsageError naming the option.
inline std::uint32_t count_option(const std::string& name, long long value, long long min, long long max = UINT32_MAX) {
    if (value < min || value > max)
        throw UsageError(name + " must be a number from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", not " + std::to_string(value));
    return static_cast<std::uint32_t>(value);
}

// Whether a long run draws its progress line on stderr: only on a terminal,
// and not with --quiet (`quiet`), the rule of every Trawl binary.
inline bool show_progress(bool quiet) { return !quiet && ::isatty(STDERR_FILENO) == 1; }

// Parses argv against `visible`; every positional argument goes, in order, to
// `positional` (nullptr: none are accepted). Throws UsageError.
inline boost::program_options::variables_map parse_command_line(
    int argc, const char* const* argv, const boost::program_options::options_description& visible,
    std::vector<std::string>* positional) {
    namespace po = boost::program_options;
    po::options_description all;
    all.add(visible);
    po::positional_options_description pos;
    if (positional) {
        po::options_description hidden;
        hidden.add_options()("positional-arguments", po::value(positional)->multitoken());
        all.add(hidden);
        pos.add("positional-arguments", -1);
    }
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    return vm;
}

}  // namespace trawl
