// trawl-bench: dispatch to a sub-command (eval, index, query, compare, scale).
#include <cstring>
#include <iostream>

#include "bench/commands.hpp"
#include "corpus/base/cli_main.hpp"

namespace {

void usage(std::ostream& os) {
    os << "Usage: trawl-bench COMMAND [options]\n\n"
          "Commands:\n"
          "  eval    relevance on a test collection (nDCG@10, MAP, MRR@10, Recall@100/1000)\n"
          "  index   indexing throughput and index size, with peer engines\n"
          "  query   query latency by query kind on an index, from a query file\n"
          "  compare index and query side by side with the peer engines (the whole comparison)\n"
          "  scale   indexing and query figures at 1x, 2x, 4x... the corpus\n"
          "  spelling  \"did you mean\" on misspelled queries: top-1 accuracy and latency\n\n"
          "trawl-bench COMMAND --help shows a command's options.\n";
}

// Sub-commands see argv[0] = "trawl-bench COMMAND" followed by their own arguments.
int run(int argc, char** argv) {
    if (argc < 2) {
        usage(std::cerr);
        return 2;
    }
    const char* cmd = argv[1];
    if (!std::strcmp(cmd, "--help") || !std::strcmp(cmd, "-h")) {
        usage(std::cout);
        return 0;
    }
    if (!std::strcmp(cmd, "--version")) {
        std::cout << "trawl-bench " << TRAWL_VERSION << "\n";
        return 0;
    }
    if (!std::strcmp(cmd, "eval")) return trawl::bench::run_eval_command(argc - 1, argv + 1, std::cout, std::cerr);
    if (!std::strcmp(cmd, "index")) return trawl::bench::run_index_command(argc - 1, argv + 1, std::cout, std::cerr);
    if (!std::strcmp(cmd, "query")) return trawl::bench::run_query_command(argc - 1, argv + 1, std::cout, std::cerr);
    if (!std::strcmp(cmd, "compare"))
        return trawl::bench::run_compare_command(argc - 1, argv + 1, std::cout, std::cerr);
    if (!std::strcmp(cmd, "scale")) return trawl::bench::run_scale_command(argc - 1, argv + 1, std::cout, std::cerr);
    if (!std::strcmp(cmd, "spelling"))
        return trawl::bench::run_spelling_command(argc - 1, argv + 1, std::cout, std::cerr);
    std::cerr << "trawl-bench: unknown command '" << cmd << "'\n";
    usage(std::cerr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    return trawl::cli_main("trawl-bench", [&] { return run(argc, argv); });
}
