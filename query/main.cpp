// trawl-query: parse options -> build config -> run_query -> exit code
// (0 = hits, 1 = no hits, 2 = error).
#include <iostream>

#include <unistd.h>

#include "corpus/base/cli_main.hpp"
#include "query/query_job.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    return trawl::cli_main("trawl-query", [&] {
        trawl::query::QueryOptions opts;
        if (trawl::query::parse_query_args(argc, argv, opts, std::cout) == trawl::query::Parsed::Exit) return 0;
        auto config = trawl::query::make_config(opts, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1);
        return trawl::query::run_query(config, std::cin, std::cout, std::cerr);
    });
}
