// Output-format names and the printer factory.
#include "printer.hpp"

#include "error.hpp"
#include "printer_detail.hpp"

namespace trawl::query {

OutputFormat parse_output_format(const std::string& s) {
    if (s == "text") return OutputFormat::Text;
    if (s == "json" || s == "jsonl") return OutputFormat::Json;
    if (s == "trec") return OutputFormat::Trec;
    throw UsageError("unknown output format '" + s + "' (expected text, json or trec)");
}

std::unique_ptr<ResultPrinter> make_printer(OutputFormat f, std::ostream& out, PrinterOptions opts) {
    switch (f) {
        case OutputFormat::Text: return detail::make_text_printer(out, std::move(opts));
        case OutputFormat::Json: return detail::make_json_printer(out, std::move(opts));
        case OutputFormat::Trec: return detail::make_trec_printer(out, std::move(opts));
    }
    throw UsageError("unknown output format");
}

}  // namespace trawl::query
