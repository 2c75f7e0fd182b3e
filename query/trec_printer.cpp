// TREC run format, one line per hit: "qid Q0 docid rank score tag" (what
// trec_eval and ir_measures read). Ids are percent-encoded (escape_id) so the
// six columns always split cleanly and "a b" and "a_b" stay two ids.
#include <cstdio>
#include <string>

#include "query/printer_detail.hpp"

namespace trawl::query::detail {
namespace {

// An empty column would shift the others: an empty qid or tag is "_".
std::string field(std::string_view s) { return s.empty() ? "_" : escape_id(s); }

class TrecPrinter final : public ResultPrinter {
public:
    TrecPrinter(std::ostream& out, PrinterOptions opts) : out_(out), opts_(std::move(opts)) {}

    void print(const ResultSet& results) override {
        const std::string qid = field(results.query_id), tag = field(opts_.run_tag);
        for (const Hit& hit : results.hits) {
            char score[64];
            std::snprintf(score, sizeof score, "%.6f", hit.score);
            out_ << qid << " Q0 " << field(opts_.by_article ? hit.article_id : hit.passage_id) << ' ' << hit.rank << ' '
                 << score << ' ' << tag << '\n';
        }
        out_.flush();
    }

private:
    std::ostream& out_;
    PrinterOptions opts_;
};

}  // namespace

std::unique_ptr<ResultPrinter> make_trec_printer(std::ostream& out, PrinterOptions opts) {
    return std::make_unique<TrecPrinter>(out, std::move(opts));
}

}  // namespace trawl::query::detail
