#include "commands.hpp"

#include "error.hpp"

namespace trawl::bench {

int run_eval_command(int, const char* const*, std::ostream&, std::ostream& err) {
    err << "trawl-bench eval: not built yet\n";
    return 2;
}

}  // namespace trawl::bench
