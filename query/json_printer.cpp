// JSON Lines: one self-contained object per hit, UTF-8 output; invalid
// UTF-8 in a field is replaced by U+FFFD instead of failing the run. An id
// that is not valid UTF-8 is also given exactly, percent-encoded, in
// article_id_escaped / passage_id_escaped, so that it can be given back to
// trawl-index --delete.
#include <nlohmann/json.hpp>

#include "normalize.hpp"
#include "printer_detail.hpp"

namespace trawl::query::detail {
namespace {

class JsonPrinter final : public ResultPrinter {
public:
    explicit JsonPrinter(std::ostream& out) : out_(out) {}

    void print(const ResultSet& results) override {
        for (const Hit& hit : results.hits) {
            nlohmann::json highlights = nlohmann::json::array();
            for (auto [b, e] : hit.snippet.highlights) highlights.push_back({b, e});
            nlohmann::json line = {
                {"query_id", results.query_id},
                {"query", results.query},
                {"rank", hit.rank},
                {"score", hit.score},
                {"passage_id", hit.passage_id},
                {"article_id", hit.article_id},
                {"ordinal", hit.ordinal},
                {"title", hit.title},
                {"location", hit.location},
                {"date", hit.date},
                {"source", hit.source},
                {"begin", hit.begin},
                {"end", hit.end},
                {"collapsed", hit.collapsed},
                {"snippet", hit.snippet.text},
                {"highlights", std::move(highlights)},
                {"text", hit.text},
            };
            if (!corpus::is_valid_utf8(hit.article_id)) {
                line["article_id_escaped"] = escape_id(hit.article_id);
                line["passage_id_escaped"] = escape_id(hit.passage_id);
            }
            out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        }
        out_.flush();
    }

private:
    std::ostream& out_;
};

}  // namespace

std::unique_ptr<ResultPrinter> make_json_printer(std::ostream& out, PrinterOptions /*opts*/) {
    return std::make_unique<JsonPrinter>(out);
}

}  // namespace trawl::query::detail
