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
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "query/printer_detail.hpp"

namespace trawl::query {

void Searcher::each_article(const std::function<bool(const ArticleEntry&)>& f) {
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
        if (!f(e)) return;
    }
}

namespace {

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// A field of a tab-separated line: as stored, but for control bytes (a tab
// or a newline would break the line) as \xHH.
std::string tsv_field(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (!is_control(c)) {
            out += ch;
            continue;
        }
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

}  // namespace

std::uint64_t list_articles(Searcher& searcher, OutputFormat format, std::ostream& out, std::ostream& err,
                            std::uint64_t offset, std::uint64_t limit) {
    std::uint64_t n = 0, seen = 0, escaped = 0;
    searcher.each_article([&](const ArticleEntry& e) {
        if (seen++ < offset) return true;
        if (n == limit) return false;
        ++n;
        if (format == OutputFormat::Json) {
            nlohmann::json line = {{"article_id", e.id},
                                   {"passages", e.passages},
                                   {"date", detail::or_null(e.date)},
                                   {"source", detail::or_null(e.source)},
                                   {"location", e.location},
                                   {"title", e.title}};
            if (!corpus::is_valid_utf8(e.id)) line["article_id_escaped"] = detail::escape_id(e.id);
            out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return true;
        }
        // The id exactly, so that the column can be given to --delete-from;
        // one holding a control byte cannot be, and is said so.
        if (std::any_of(e.id.begin(), e.id.end(), [](char c) { return is_control(static_cast<unsigned char>(c)); }) &&
            ++escaped <= 5)
            err << "trawl-query: warning: article id '" << tsv_field(e.id)
                << "' holds control bytes, shown as \\xHH: --format json gives it exactly\n";
        out << tsv_field(e.id) << '\t' << e.passages << '\t' << tsv_field(e.date) << '\t' << tsv_field(e.source) << '\t'
            << tsv_field(e.location) << '\t' << tsv_field(e.title) << '\n';
        return true;
    });
    out.flush();
    return n;
}

}  // namespace trawl::query
