// The three concrete printers, each defined in its own .cpp; only
// make_printer (printer.cpp) constructs them.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "query/printer.hpp"

namespace trawl::query::detail {

// An id (article, passage, query) as TREC run files and JSON's *_escaped
// fields write it, reversibly: '%', ASCII white space and control bytes, and
// bytes that are not part of valid UTF-8 become %XX (upper-case hex); all
// else (valid UTF-8 included) is kept. Undo it with any percent-decoder.
std::string escape_id(std::string_view id);

// A date or source in JSON: null when there is none, as the timeline's and
// the sources' rows say (json_printer.cpp, article_list.cpp).
nlohmann::json or_null(const std::string& s);

std::unique_ptr<ResultPrinter> make_text_printer(std::ostream& out, PrinterOptions opts);
std::unique_ptr<ResultPrinter> make_json_printer(std::ostream& out, PrinterOptions opts);
std::unique_ptr<ResultPrinter> make_trec_printer(std::ostream& out, PrinterOptions opts);

}  // namespace trawl::query::detail
