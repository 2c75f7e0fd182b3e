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

// --passage-words / --overlap, with trawl-index's defaults.
struct PassageArgs {
    std::uint32_t passage_words = corpus::SplitOptions{}.words;
    std::uint32_t overlap = corpus::SplitOptions{}.overlap;
    void add_to(boost::program_options::options_description& visible);
    // Whole articles (--passage-words 0) have no overlap.
    corpus::SplitOptions split() const { return {passage_words, passage_words == 0 ? 0 : overlap}; }
};

// --warmup / --repetitions.
struct TimingArgs {
    unsigned warmup = 1;
    unsigned repetitions = 3;
    void add_to(boost::program_options::options_description& visible);
    void check() const;  // throws UsageError for --repetitions 0
};

// --queries-per-kind / --seed of the query generator (perf/query_gen.hpp).
struct QueryGenArgs {
    unsigned per_kind = 200;
    std::uint64_t seed = 42;
    void add_to(boost::program_options::options_description& visible);
    void check() const;  // throws UsageError for --queries-per-kind 0
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
