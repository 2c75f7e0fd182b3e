// trawl-query: parse options -> build config -> run_query -> exit code
// (0 = hits, 1 = no hits, 2 = error).
#include <iostream>

#include <unistd.h>
#include <xapian.h>

#include "error.hpp"
#include "query_options.hpp"

int main(int argc, char** argv) try {
    std::ios::sync_with_stdio(false);
    trawl::query::QueryOptions opts;
    if (trawl::query::parse_query_args(argc, argv, opts, std::cout) == trawl::query::Parsed::Exit) return 0;
    auto config = trawl::query::make_config(opts, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1);
    return trawl::query::run_query(config, std::cin, std::cout, std::cerr);
} catch (const trawl::UsageError& e) {
    std::cerr << "trawl-query: " << e.what() << " (see trawl-query --help)\n";
    return 2;
} catch (const trawl::Error& e) {
    std::cerr << "trawl-query: " << e.what() << "\n";
    return 2;
} catch (const Xapian::Error& e) {
    std::cerr << "trawl-query: " << e.get_description() << "\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "trawl-query: " << e.what() << "\n";
    return 2;
}
