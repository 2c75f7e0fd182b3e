// trawl-query --list-articles: the live articles of an index, one line each,
// from its article terms (A<id>, every passage carries one) and each article's
// first live passage. Works on indexes without a termlist and on remote
// shards alike: postings, values and documents only.
#include "query/article_list.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "corpus/text/normalize.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "query/printer_detail.hpp"

namespace trawl::query {

void Searcher::each_article(const std::function<void(const ArticleEntry&)>& f) {
    const std::string prefix(format::kPrefixArticle);
    std::set<std::string> sources;
    for (const auto& s : opts_.sources) sources.insert(format::normalize_source(s));
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
        const std::string term = *t;
        ArticleEntry e;
        e.id = term.substr(prefix.size());
        // Without a deletion record every passage is live (sequences start at 1).
        const bool recorded = deleted_.covers(e.id, 0);
        Xapian::docid first = 0;
        for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
            if (recorded && deleted_.covers(e.id, format::sequence_of(db_.get_document(*p, Xapian::DOC_ASSUME_VALID))))
                continue;
            if (first == 0) first = *p;
            ++e.passages;
            if (!recorded) {
                e.passages = t.get_termfreq();
                break;
            }
        }
        if (first == 0) continue;  // deleted
        failed_doc_ = first;
        const auto data = format::stored_passage(db_.get_document(first, Xapian::DOC_ASSUME_VALID));
        auto& codec = *codecs_[format::shard_of_docid(first, static_cast<unsigned>(codecs_.size()))];
        auto fields = format::decode_fields(codec.decompress(data.payload, data.raw_size));
        failed_doc_ = 0;
        const std::string day = format::date_slot_value(fields.date);
        if ((!opts_.since.empty() || !opts_.until.empty()) &&
            (day.empty() || (!opts_.since.empty() && day < opts_.since) || (!opts_.until.empty() && day > opts_.until)))
            continue;
        if (!sources.empty() && !sources.contains(format::normalize_source(fields.source))) continue;
        e.title = std::move(fields.title);
        e.date = std::move(fields.date);
        e.source = std::move(fields.source);
        e.location = std::move(fields.location);
        f(e);
    }
}

std::uint64_t list_articles(Searcher& searcher, OutputFormat format, std::ostream& out) {
    std::uint64_t n = 0;
    const auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
    searcher.each_article([&](const ArticleEntry& e) {
        ++n;
        if (format == OutputFormat::Json) {
            nlohmann::json line = {{"article_id", e.id},          {"passages", e.passages}, {"date", or_null(e.date)},
                                   {"source", or_null(e.source)}, {"location", e.location}, {"title", e.title}};
            if (!corpus::is_valid_utf8(e.id)) line["article_id_escaped"] = detail::escape_id(e.id);
            out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return;
        }
        out << format::printable(e.id) << '\t' << e.passages << '\t' << format::printable(e.date) << '\t'
            << format::printable(e.source) << '\t' << format::printable(e.location) << '\t'
            << format::printable(e.title) << '\n';
    });
    out.flush();
    return n;
}

}  // namespace trawl::query
