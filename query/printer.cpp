// Output-format names and the printer factory.
#include "query/printer.hpp"

#include "corpus/base/error.hpp"
#include "corpus/text/normalize.hpp"
#include "query/printer_detail.hpp"

namespace trawl::query {

OutputFormat parse_output_format(const std::string& s) {
    if (s == "text") return OutputFormat::Text;
    if (s == "json" || s == "jsonl") return OutputFormat::Json;
    if (s == "trec") return OutputFormat::Trec;
    throw UsageError("unknown output format '" + s + "' (expected text, json or trec)");
}

namespace detail {

std::string escape_id(std::string_view id) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < id.size();) {
        const auto c = static_cast<unsigned char>(id[i]);
        const std::size_t len = c < 0x80 ? 1 : corpus::utf8_sequence_length(id, i);
        if (len > 1 || (len == 1 && c > ' ' && c != 0x7F && c != '%')) {
            out.append(id.substr(i, len));
            i += len;
            continue;
        }
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
        ++i;
    }
    return out;
}

}  // namespace detail

std::unique_ptr<ResultPrinter> make_printer(OutputFormat f, std::ostream& out, PrinterOptions opts) {
    switch (f) {
        case OutputFormat::Text:
            return detail::make_text_printer(out, std::move(opts));
        case OutputFormat::Json:
            return detail::make_json_printer(out, std::move(opts));
        case OutputFormat::Trec:
            return detail::make_trec_printer(out, std::move(opts));
    }
    throw UsageError("unknown output format");
}

}  // namespace trawl::query
