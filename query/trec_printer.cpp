// TREC run format, one line per hit: "qid Q0 docid rank score tag" (what
// trec_eval and ir_measures read). Whitespace inside ids becomes '_' so the
// six columns always split cleanly.
#include <cstdio>
#include <string>

#include "printer_detail.hpp"

namespace trawl::query::detail {
namespace {

std::string field(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) c = '_';
    return out.empty() ? "_" : out;
}

class TrecPrinter final : public ResultPrinter {
public:
    TrecPrinter(std::ostream& out, PrinterOptions opts) : out_(out), opts_(std::move(opts)) {}

    void print(const ResultSet& results) override {
        const std::string qid = field(results.query_id), tag = field(opts_.run_tag);
        for (const Hit& hit : results.hits) {
            char score[64];
            std::snprintf(score, sizeof score, "%.6f", hit.score);
            out_ << qid << " Q0 " << field(opts_.by_article ? hit.article_id : hit.passage_id) << ' '
                 << hit.rank << ' ' << score << ' ' << tag << '\n';
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
