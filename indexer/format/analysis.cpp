#include "analysis.hpp"

#include <array>
#include <string_view>

#include "schema.hpp"

namespace trawl::format {
namespace {

// Lucene's EnglishAnalyzer stop set (the one Anserini's BM25 baselines use):
// dropped from bag-of-words queries, kept inside phrases. Indexing keeps
// every word so that phrases with stop words stay exact.
constexpr std::array<std::string_view, 33> kStopWords = {
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "will", "with"};

}  // namespace

Xapian::TermGenerator make_term_generator() {
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem(kLanguage));
    // Unstemmed terms get positions (phrase/NEAR/ADJ work on them); stemmed
    // Z-terms do not, which keeps the position table half the size of STEM_ALL_Z
    // with full positions.
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    return tg;
}

bool is_query_field(std::string_view name) { return name == "title"; }

unsigned query_parser_flags() {
    using QP = Xapian::QueryParser;
    return QP::FLAG_PHRASE | QP::FLAG_BOOLEAN | QP::FLAG_LOVEHATE | QP::FLAG_WILDCARD;
}

Xapian::QueryParser make_query_parser(const Xapian::Database& db) {
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem(kLanguage));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    auto* stopper = new Xapian::SimpleStopper();
    for (auto w : kStopWords) stopper->add(std::string(w));
    qp.set_stopper(stopper->release());  // reference-counted: owned by the parser from here
    // Bare words search body and title; "title:" searches the title only.
    qp.add_prefix("", "");
    qp.add_prefix("", std::string(kPrefixTitle));
    qp.add_prefix("title", std::string(kPrefixTitle));
    qp.set_max_expansion(1000, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    return qp;
}

}  // namespace trawl::format
