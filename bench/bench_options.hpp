// The option groups several trawl-bench commands share, each declared once:
// how passages are cut (index, compare, scale, eval), how queries are timed
// (query, compare, scale), how queries are generated (compare, scale) and
// how a report is given (compare, scale, eval).
#pragma once

#include <cstdint>
#include <string>

#include <boost/program_options.hpp>

#include "corpus/text/passage_splitter.hpp"

namespace trawl::bench {

// Every count option is read as a signed number and checked with
// count_option() (corpus/base/command_line.hpp): read as unsigned, "-1"
// would be taken for 4294967295 (a run that never ends, or a wrong setting).
// The checked values are set by check(), which every command calls before
// using them.

// --passage-words / --overlap, with trawl-index's defaults and bounds.
struct PassageArgs {
    std::uint32_t passage_words = corpus::SplitOptions{}.words;
    std::uint32_t overlap = corpus::SplitOptions{}.overlap;
    void add_to(boost::program_options::options_description& visible);
    void check();  // throws UsageError for a negative count
    // Whole articles (--passage-words 0) have no overlap.
    corpus::SplitOptions split() const { return {passage_words, passage_words == 0 ? 0 : overlap}; }

private:
    long long passage_words_arg_ = passage_words, overlap_arg_ = overlap;
};

// --warmup / --repetitions.
struct TimingArgs {
    unsigned warmup = 1;
    unsigned repetitions = 3;
    void add_to(boost::program_options::options_description& visible);
    void check();  // throws UsageError for --repetitions 0 or a count out of range

private:
    long long warmup_arg_ = warmup, repetitions_arg_ = repetitions;
};

// --queries-per-kind / --seed of the query generator (perf/query_gen.hpp).
struct QueryGenArgs {
    unsigned per_kind = 200;
    std::uint64_t seed = 42;
    void add_to(boost::program_options::options_description& visible);
    void check();  // throws UsageError for --queries-per-kind 0 or out of range

private:
    long long per_kind_arg_ = per_kind;
};

// --json / --plot DIR / --quiet of the commands that print a report.
struct ReportArgs {
    bool json = false;
    std::string plot_dir;
    bool quiet = false;
    // `json_help`: what --json prints instead of the tables.
    void add_to(boost::program_options::options_description& visible, const char* json_help);
    // Progress lines on stderr: only on a terminal, and not with --quiet.
    bool progress() const;
};

}  // namespace trawl::bench
