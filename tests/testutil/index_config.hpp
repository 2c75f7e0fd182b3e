// trawl-index's configuration for a command line, as main() makes it: how
// the options tests ask what an option does.
#pragma once

#include <sstream>
#include <vector>

#include "indexer/index_options.hpp"

namespace trawl::test {

// make_config() of the command line `args` (after the program name).
inline index::IndexConfig index_config(std::vector<const char*> args) {
    args.insert(args.begin(), "trawl-index");
    index::IndexOptions o;
    std::ostringstream out;
    index::parse_index_args(static_cast<int>(args.size()), args.data(), o, out);
    return index::make_config(o);
}

}  // namespace trawl::test
