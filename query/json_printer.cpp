// JSON Lines: one self-contained object per hit, UTF-8 output; invalid
// UTF-8 in a field is replaced by U+FFFD instead of failing the run. An id
// that is not valid UTF-8 is also given exactly, percent-encoded, in
// article_id_escaped / passage_id_escaped, so that it can be given back to
// trawl-index --delete.
#include <nlohmann/json.hpp>

#include "corpus/text/normalize.hpp"
#include "query/printer_detail.hpp"

namespace trawl::query::detail {
namespace {

nlohmann::json count_json(const Count& c) {
    return {{"count", c.estimate}, {"exact", c.exact()}, {"min", c.lower}, {"max", c.upper}};
}

// [["1987-03", 53], ..., [null, 2]]: the undated articles' label is null.
nlohmann::json timeline_json(const Histogram& h) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& [label, n] : h) a.push_back({label == kUndated ? nlohmann::json() : nlohmann::json(label), n});
    return a;
}

// [{"key": "bbc-news", "name": "BBC News", "articles": 2}, ..., {"key": null,
// "name": null, "articles": 1}]: the key is what --source matches, the name
// as stored; the articles without a source have null for both.
nlohmann::json sources_json(const SourceCounts& sources) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& s : sources) {
        const bool none = s.key == kNoSource;
        a.push_back({{"key", none ? nlohmann::json() : nlohmann::json(s.key)},
                     {"name", none ? nlohmann::json() : nlohmann::json(s.name)},
                     {"articles", s.articles}});
    }
    return a;
}

// The first line of every query's output (layout in printer.hpp).
nlohmann::json summary_line(const ResultSet& r) {
    const Summary& s = r.summary;
    nlohmann::json o = {
        {"query_id", r.query_id},
        {"query", r.query},
        {"passages", count_json(s.passages)},
        {"articles", count_json(s.articles)},
        {"ms", s.ms},
    };
    if (!s.suggestion.empty()) o["did_you_mean"] = s.suggestion;
    if (s.timeline_asked) o["timeline"] = timeline_json(s.timeline);
    if (s.sources_asked) o["sources"] = sources_json(s.sources);
    return {{"summary", std::move(o)}};
}

class JsonPrinter final : public ResultPrinter {
public:
    explicit JsonPrinter(std::ostream& out) : out_(out) {}

    void print(const ResultSet& results) override {
        out_ << summary_line(results).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
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
                {"date", or_null(hit.date)},
                {"source", or_null(hit.source)},
                {"begin", hit.begin},
                {"end", hit.end},
                {"collapsed", hit.collapsed},
                {"snippet", hit.snippet.text},
                {"highlights", std::move(highlights)},
                {"text", hit.text},
            };
            if (hit.explained) {
                nlohmann::json terms = nlohmann::json::array();
                double sum = 0;
                for (const auto& p : hit.explanation) {
                    terms.push_back({{"term", p.term}, {"score", p.score}});
                    sum += p.score;
                }
                line["explain"] = {{"terms", std::move(terms)}, {"proximity", hit.score - sum}};
            }
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

nlohmann::json or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

}  // namespace trawl::query::detail
