// The edge every Trawl binary shares: main() runs its body through cli_main(),
// which turns what escapes it into one line on stderr and exit status 2
// ("cannot continue"), and makes sure what it wrote to stdout got there.
// Header-only: it needs Xapian, which the binaries link.
#pragma once

#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>

#include <unistd.h>

#include <xapian.h>

#include "corpus/base/checked_output.hpp"
#include "corpus/base/error.hpp"

namespace trawl {

// Says what a Xapian::Error means for this binary (trawl-index names the index).
using XapianMessage = std::function<std::string(const Xapian::Error&)>;

// Returns run()'s exit status, or 2 after printing "NAME: what went wrong"
// (a UsageError adds "(see NAME --help)"). std::cout writes through a
// CheckedOutput while run() runs: output that could not be written (a full
// disk) is "NAME: cannot write to standard output: No space left on device"
// and exit status 2, whatever run() returned; a run that checks its stream
// (trawl-query's batches) stops at the first failed write. A closed stdout
// (`trawl-query ... | head -1`) is not an error here: SIGPIPE's default action
// ends the process quietly, as it ends grep; cli_main leaves SIGPIPE alone
// (and with SIGPIPE ignored, EPIPE is quiet too).
inline int cli_main(const char* name, const std::function<int()>& run, const XapianMessage& xapian_message = {}) {
    CheckedOutput out(std::cout, STDOUT_FILENO);
    int status = 2;
    try {
        status = run();
    } catch (const UsageError& e) {
        std::cerr << name << ": " << e.what() << " (see " << name << " --help)\n";
    } catch (const Error& e) {
        std::cerr << name << ": " << e.what() << "\n";
    } catch (const Xapian::Error& e) {
        std::cerr << name << ": " << (xapian_message ? xapian_message(e) : e.get_description()) << "\n";
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n";
    }
    if (const int error = out.finish(); error != 0 && error != EPIPE) {
        std::cerr << name << ": cannot write to standard output: " << std::strerror(error) << "\n";
        return 2;
    }
    return status;
}

}  // namespace trawl
