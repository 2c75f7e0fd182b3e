// trawl-index: parse options -> build config -> run_index -> exit code.
#include <iostream>

#include "corpus/base/cli_main.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/index_job.hpp"
#include "indexer/index_options.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    trawl::index::IndexOptions opts;
    const auto run = [&] {
        if (trawl::index::parse_index_args(argc, argv, opts, std::cout) == trawl::index::Parsed::Exit) return 0;
        return trawl::index::run_index(trawl::index::make_config(opts), std::cout, std::cerr);
    };
    // Writing the index failed (a full disk, a damaged table): name the index.
    const auto write_error = [&](const Xapian::Error& e) { return trawl::index::write_error_message(opts.db, e); };
    return trawl::cli_main("trawl-index", run, write_error);
}
