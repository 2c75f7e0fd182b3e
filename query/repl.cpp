#include "repl.hpp"

#include <string>

#include "error.hpp"

namespace trawl::query {

int run_repl(Searcher& searcher, ResultPrinter& printer, std::istream& in, std::ostream& out, std::ostream& err) {
    out << "trawl: " << searcher.passage_count() << " passages. One query per line; :q or Ctrl-D to quit.\n";
    bool any_hit = false;
    std::uint64_t n = 0;
    std::string line;
    for (;;) {
        out << "trawl> " << std::flush;
        if (!std::getline(in, line)) {
            out << "\n";
            break;
        }
        if (line == ":q" || line == ":quit") break;
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        try {
            searcher.reopen();  // see what was committed since the last query
            auto rs = searcher.search(std::to_string(++n), line);
            if (rs.hits.empty()) {
                out << "(no results)\n";
            } else {
                printer.print(rs);
                any_hit = true;
            }
        } catch (const QuerySyntaxError& e) {
            err << e.what() << "\n";
        }
    }
    return any_hit ? 0 : 1;
}

}  // namespace trawl::query
