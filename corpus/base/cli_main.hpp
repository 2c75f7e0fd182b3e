// The edge every Trawl binary shares: main() runs its body through cli_main(),
// which turns what escapes it into one line on stderr and exit status 2
// ("cannot continue"). Header-only: it needs Xapian, which the binaries link.
#pragma once

#include <functional>
#include <iostream>
#include <string>

#include <xapian.h>

#include "corpus/base/error.hpp"

namespace trawl {

// Says what a Xapian::Error means for this binary (trawl-index names the index).
using XapianMessage = std::function<std::string(const Xapian::Error&)>;

// Returns run()'s exit status, or 2 after printing "NAME: what went wrong"
// (a UsageError adds "(see NAME --help)"). A closed stdout
// (`trawl-query ... | head -1`) is not an error here: SIGPIPE's default action
// ends the process quietly, as it ends grep; cli_main leaves SIGPIPE alone.
inline int cli_main(const char* name, const std::function<int()>& run, const XapianMessage& xapian_message = {}) {
    try {
        return run();
    } catch (const UsageError& e) {
        std::cerr << name << ": " << e.what() << " (see " << name << " --help)\n";
    } catch (const Error& e) {
        std::cerr << name << ": " << e.what() << "\n";
    } catch (const Xapian::Error& e) {
        std::cerr << name << ": " << (xapian_message ? xapian_message(e) : e.get_description()) << "\n";
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n";
    }
    return 2;
}

}  // namespace trawl
