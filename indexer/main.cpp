// trawl-index: parse options -> build config -> run_index -> exit code.
#include <iostream>

#include <xapian.h>

#include "error.hpp"
#include "index_job.hpp"
#include "index_options.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    trawl::index::IndexOptions opts;
    try {
        if (trawl::index::parse_index_args(argc, argv, opts, std::cout) == trawl::index::Parsed::Exit) return 0;
        return trawl::index::run_index(trawl::index::make_config(opts), std::cout, std::cerr);
    } catch (const trawl::UsageError& e) {
        std::cerr << "trawl-index: " << e.what() << " (see trawl-index --help)\n";
    } catch (const trawl::Error& e) {
        std::cerr << "trawl-index: " << e.what() << "\n";
    } catch (const Xapian::Error& e) {
        // Writing the index failed (a full disk, a damaged table): name the index.
        std::cerr << "trawl-index: " << trawl::index::write_error_message(opts.db, e) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "trawl-index: " << e.what() << "\n";
    }
    return 2;
}
