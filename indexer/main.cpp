// trawl-index: parse options -> build config -> run_index -> exit code.
#include <iostream>

#include "corpus/base/cli_main.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/index_job.hpp"
#include "indexer/index_options.hpp"
#include "indexer/interrupt.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    trawl::index::IndexOptions opts;
    const auto run = [&] {
        if (trawl::index::parse_index_args(argc, argv, opts, std::cout) == trawl::index::Parsed::Exit) return 0;
        const auto config = trawl::index::make_config(opts);
        // Ctrl-C and SIGTERM stop an indexing job between articles
        // (interrupt.hpp); --delete and --rebuild keep the default action.
        if (!config.deleting && !config.rebuild) trawl::index::catch_interrupts();
        return trawl::index::run_index(config, std::cout, std::cerr);
    };
    // Writing the index failed (a full disk, a damaged table): name the index.
    const auto write_error = [&](const Xapian::Error& e) { return trawl::index::write_error_message(opts.db, e); };
    return trawl::cli_main("trawl-index", run, write_error);
}
