#include "searcher.hpp"

#include <cctype>

#include "analysis.hpp"
#include "doc_data.hpp"
#include "error.hpp"
#include "index_meta.hpp"
#include "query_check.hpp"
#include "schema.hpp"

namespace trawl::query {
namespace {

Xapian::Database open_shard(const std::string& path) {
    try {
        return Xapian::Database(path);
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw Error(path + ": cannot open index: " + e.get_msg());
    } catch (const Xapian::Error& e) {
        throw Error(path + ": " + e.get_description());
    }
}

// Adds a matched Xapian term to the snippet's highlight sets: Z-prefixed terms
// are stems, other lower-case terms exact words; field prefixes are dropped and
// boolean/filter terms ignored.
void add_highlight_term(const std::string& term, HighlightTerms& h) {
    std::string_view t = term;
    bool stemmed = false;
    if (!t.empty() && t[0] == 'Z') {
        stemmed = true;
        t.remove_prefix(1);
    }
    if (!t.empty() && std::isupper(static_cast<unsigned char>(t[0]))) {
        if (t[0] != format::kPrefixTitle[0]) return;  // Q, A, X... are filters, not words
        t.remove_prefix(1);
    }
    if (t.empty()) return;
    (stemmed ? h.stems : h.exact).emplace(t);
}

// Opens every shard, checks its format and digests its dictionary.
Xapian::Database open_all(const std::vector<std::string>& paths,
                          std::vector<std::unique_ptr<format::PassageCodec>>& codecs) {
    if (paths.empty()) throw UsageError("--db DIR is required");
    Xapian::Database db;
    for (const auto& path : paths) {
        auto shard = open_shard(path);
        format::check_format(shard, path);
        if (shard.get_metadata(std::string(format::kMetaFormatVersion)).empty())
            throw IndexFormatError(path + ": not a Trawl index (empty or never written)");
        codecs.push_back(std::make_unique<format::PassageCodec>(format::read_dictionary(shard)));
        db.add_database(shard);
    }
    return db;
}

}  // namespace

Searcher::Searcher(SearchOptions opts)
    : opts_(std::move(opts)),
      db_(open_all(opts_.dbs, codecs_)),
      qp_(format::make_query_parser(db_)),
      enquire_(db_),
      stemmer_(format::kLanguage) {
    qp_.set_default_op(opts_.match_all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    enquire_.set_weighting_scheme(Xapian::BM25Weight(opts_.k1, 0, 1, opts_.b, 0.5));
    if (opts_.by_article) enquire_.set_collapse_key(format::kSlotArticle);
}

Searcher::~Searcher() = default;

Xapian::Query Searcher::parse(const std::string& query) {
    check_query_syntax(query);
    try {
        return qp_.parse_query(query, format::query_parser_flags());
    } catch (const Xapian::QueryParserError& e) {
        throw QuerySyntaxError(1, e.get_msg());
    }
}

ResultSet Searcher::search(const std::string& query_id, const std::string& query) {
    // A writer may commit while we read: reopen to its latest state and retry.
    for (int attempt = 0;; ++attempt) {
        try {
            return run(query_id, query);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 3) throw;
            db_.reopen();
        }
    }
}

ResultSet Searcher::run(const std::string& query_id, const std::string& query) {
    ResultSet rs;
    rs.query_id = query_id;
    rs.query = query;
    enquire_.set_query(parse(query));
    auto mset = enquire_.get_mset(opts_.offset, opts_.limit);
    rs.estimated_matches = mset.get_matches_estimated();
    std::uint32_t rank = opts_.offset;
    for (auto it = mset.begin(); it != mset.end(); ++it) rs.hits.push_back(make_hit(it, ++rank));
    return rs;
}

Hit Searcher::make_hit(const Xapian::MSetIterator& it, std::uint32_t rank) {
    Hit h;
    h.rank = rank;
    h.score = it.get_weight();
    auto doc = it.get_document();
    auto data = format::decode(doc.get_data());
    // Combined databases interleave document ids: shard = (docid - 1) % shards.
    auto& codec = *codecs_[(*it - 1) % codecs_.size()];
    auto f = format::decode_fields(codec.decompress(data.payload, data.raw_size));
    h.article_id = std::move(f.article_id);
    h.ordinal = data.ordinal;
    h.passage_id = passage_id(h.article_id, h.ordinal);
    h.title = std::move(f.title);
    h.location = std::move(f.location);
    h.date = std::move(f.date);
    h.source = std::move(f.source);
    h.begin = data.begin;
    h.end = data.end;
    h.text = std::move(f.text);
    if (opts_.by_article) h.collapsed = it.get_collapse_count();

    HighlightTerms terms;
    for (auto t = enquire_.get_matching_terms_begin(it); t != enquire_.get_matching_terms_end(it); ++t)
        add_highlight_term(*t, terms);
    h.snippet = make_snippet(h.text, terms, [this](const std::string& w) { return stemmer_(w); },
                             opts_.snippet_bytes);
    return h;
}

}  // namespace trawl::query
