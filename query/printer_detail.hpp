// The three concrete printers, each defined in its own .cpp; only
// make_printer (printer.cpp) constructs them.
#pragma once

#include <memory>
#include <ostream>

#include "printer.hpp"

namespace trawl::query::detail {

std::unique_ptr<ResultPrinter> make_text_printer(std::ostream& out, PrinterOptions opts);
std::unique_ptr<ResultPrinter> make_json_printer(std::ostream& out, PrinterOptions opts);
std::unique_ptr<ResultPrinter> make_trec_printer(std::ostream& out, PrinterOptions opts);

}  // namespace trawl::query::detail
