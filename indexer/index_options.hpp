// trawl-index's command line: raw options (validated only) and the job's
// config (index_job.hpp) built from them. Lives in the library so tests can
// feed argv to it.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "corpus/read/article_reader.hpp"
#include "indexer/index_job.hpp"

namespace trawl::index {

struct IndexOptions {
    std::string db;
    std::string format = "auto";
    // Counts are read signed and checked by make_config(): Boost reads "-1"
    // into an unsigned as 4294967295.
    long long passage_words = 100;
    long long overlap = 20;
    std::vector<std::string> inputs;
    bool quiet = false;
    long long batch_articles = 2000;
    int zstd_level = 3;           // BuilderOptions' default (index_builder.hpp)
    corpus::FieldMapping fields;  // empty names = auto-detect
    long long threads = -1;       // not given: one per core
    long long shards = -1;        // not given: the index's layout (one database when new)
    long long memory_mb = 512;
    long long max_article_mb = 64;
    bool no_compact = false;
    bool termlist = false;
    double positional_share = 0.2;  // format::kPositionalShare
    std::string positions;          // "frequent" or "all"; "" = frequent, all with --shards
    bool keep_boilerplate = false;
    std::string dedup = "exact";
    std::string on_error = "skip";
    std::vector<std::string> delete_ids;
    std::string delete_from;  // file with one article id per line
    bool rebuild = false;
    bool prune = false;  // --prune: delete the articles whose input file is gone (prune.hpp)
    bool stream = false;
    double commit_idle = 2;          // --commit-idle SECONDS (with --stream)
    std::vector<std::string> given;  // the options given on the command line (not left at their defaults)
};

// The default --threads: one per core (std::thread::hardware_concurrency), at least 1.
unsigned default_threads();

enum class Parsed { Run, Exit };  // Exit: --help/--version were printed

// Parses argv into `opts`; prints --help/--version to `out` and returns Exit.
// Throws UsageError for unknown options or bad values.
Parsed parse_index_args(int argc, const char* const* argv, IndexOptions& opts, std::ostream& out);

// Validates and resolves options (throws UsageError).
IndexConfig make_config(const IndexOptions& opts);

}  // namespace trawl::index
