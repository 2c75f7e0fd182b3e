#include "indexer/format/stems.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>

#include "corpus/base/error.hpp"
#include "corpus/base/hash64.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {
namespace {

constexpr std::string_view kSynonymsName = "synonyms";
constexpr std::string_view kTermsName = "terms";

std::string_view field_prefix(TermClass::Field f) { return f == TermClass::Field::Title ? kPrefixTitle : ""; }

}  // namespace

std::string_view stem_storage_name(StemStorage s) { return s == StemStorage::Terms ? kTermsName : kSynonymsName; }

StemStorage read_stem_storage(const Xapian::Database& db) {
    const auto v = db.get_metadata(std::string(kMetaStems));
    if (v.empty() || v == kSynonymsName) return StemStorage::Synonyms;
    if (v == kTermsName) return StemStorage::Terms;
    throw IndexFormatError(std::string(kMetaStems) + " is '" + v + "' (want synonyms or terms)");
}

namespace {

void collect_terms(const Xapian::Query& q, std::vector<std::string>& out) {
    if (q.get_type() == Xapian::Query::LEAF_TERM) {
        out.push_back(*q.get_terms_begin());
        return;
    }
    if (auto stem = parsed_stem(q); !stem.empty()) {
        out.push_back(std::move(stem));
        return;
    }
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) collect_terms(q.get_subquery(i), out);
}

}  // namespace

std::string parsed_stem(const Xapian::Query& q) {
    if (q.get_type() != Xapian::Query::OP_SYNONYM || q.get_num_subqueries() == 0) return "";
    const auto first = q.get_subquery(0);
    if (first.get_type() != Xapian::Query::LEAF_TERM) return "";
    std::string term = *first.get_terms_begin();
    return classify_term(term).stemmed ? term : "";
}

std::vector<std::string> query_terms(const Xapian::Query& q) {
    std::vector<std::string> out;
    collect_terms(q, out);
    return out;
}

void StemTableWriter::add(std::string_view term) {
    const auto c = classify_term(term);
    if (c.field == TermClass::Field::None || c.stemmed) return;
    if (!written_) written_ = std::make_unique<WordStems>();
    written_->first_written(written_->entry(c.word), c.field == TermClass::Field::Title, term, pending_);
}

void StemTableWriter::add(const Xapian::Document& doc) {
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) add(*t);
}

void StemTableWriter::add(Pairs pairs) {
    if (pending_.empty()) {
        pending_ = std::move(pairs);
        return;
    }
    pending_.insert(pending_.end(), std::make_move_iterator(pairs.begin()), std::make_move_iterator(pairs.end()));
}

StemTableWriter::Pairs StemTableWriter::take() {
    Pairs pairs = std::exchange(pending_, {});
    std::sort(pairs.begin(), pairs.end());
    return pairs;
}

void StemTableWriter::write(Xapian::WritableDatabase& db, Pairs pairs) {
    // Sorted by stem term: Xapian keeps one entry in hand and writes it out
    // when the next add names another key (take() sorted them already).
    if (!std::is_sorted(pairs.begin(), pairs.end())) std::sort(pairs.begin(), pairs.end());
    for (const auto& [stem, word] : pairs) db.add_synonym(stem, word);
}

StemReader::StemReader(Xapian::Database db)
    : db_(std::move(db)), storage_(read_stem_storage(db_)), stemmer_(kLanguage) {}

StemReader::StemReader(Xapian::Database db, StemStorage storage)
    : db_(std::move(db)), storage_(storage), stemmer_(kLanguage) {}

const std::vector<std::string>& StemReader::forms(const std::string& term) {
    auto found = forms_.find(term);
    if (found != forms_.end()) return found->second;
    if (forms_.size() >= kMaxCached) forms_.clear();
    auto& out = forms_[term];
    const auto c = classify_term(term);
    if (!c.stemmed) {
        out.push_back(term);
    } else if (storage_ == StemStorage::Synonyms) {
        for (auto s = db_.synonyms_begin(term); s != db_.synonyms_end(term); ++s) out.push_back(*s);
    } else {
        // An English (Porter2) stem is a prefix of its words up to its last
        // letter (y -> i, -bility -> -bl...): scan the words that share that
        // prefix and keep those that stem back to it.
        const std::string stem(c.word);
        const std::string prefix(field_prefix(c.field));
        const std::string scan = prefix + (stem.size() <= 2 ? stem : stem.substr(0, stem.size() - 1));
        for (auto t = db_.allterms_begin(scan); t != db_.allterms_end(scan); ++t)
            if (stemmer_((*t).substr(prefix.size())) == stem) out.push_back(*t);
    }
    return out;
}

const std::vector<std::string>& StemReader::postings(const std::string& term) {
    if (storage_ == StemStorage::Synonyms && classify_term(term).stemmed) return forms(term);
    itself_.assign(1, term);
    return itself_;
}

double StemReader::termfreq(const std::string& term) {
    if (storage_ == StemStorage::Terms || !classify_term(term).stemmed) return db_.get_termfreq(term);
    const auto& words = forms(term);
    if (words.size() <= 1) return words.empty() ? 0 : db_.get_termfreq(words.front());
    if (const auto found = counted_.find(term); found != counted_.end()) return found->second;
    if (counted_.size() >= kMaxCached) counted_.clear();
    return counted_[term] = count_union(words);
}

double StemReader::count_union(const std::vector<std::string>& words) {
    // The most frequent word's passages are its frequency; each other word,
    // taken by falling frequency, adds the passages of its postings that no
    // word before it holds, found by skipping forward in their postings. The
    // most frequent word's postings are never read one by one: the cost is
    // about the other words' postings (a skip_to within a block decodes it).
    std::vector<std::pair<Xapian::doccount, std::string>> by_df;
    for (const auto& w : words) by_df.emplace_back(db_.get_termfreq(w), w);
    std::sort(by_df.begin(), by_df.end(), std::greater<>());
    double count = by_df.front().first;
    const auto end = db_.postlist_end(by_df.front().second);
    for (std::size_t i = 1; i < by_df.size() && by_df[i].first > 0; ++i) {
        // The words before it, each from its start: skip_to only moves forward.
        std::vector<Xapian::PostingIterator> before;
        for (std::size_t j = 0; j < i; ++j) before.push_back(db_.postlist_begin(by_df[j].second));
        for (auto p = db_.postlist_begin(by_df[i].second); p != end; ++p) {
            const auto did = *p;
            bool held = false;
            for (auto& b : before) {
                if (b == end) continue;
                b.skip_to(did);
                if (b != end && *b == did) {
                    held = true;
                    break;
                }
            }
            if (!held) ++count;
        }
    }
    return count;
}

double StemReader::synonym_estimate(const std::string& term) {
    if (storage_ == StemStorage::Terms || !classify_term(term).stemmed) return db_.get_termfreq(term);
    // Xapian 1.4's estimate for OP_SYNONYM, which its BM25 weighs the stem
    // by: the words taken as independent, P(a or b) = P(a) + P(b) - P(a)P(b),
    // combined two at a time, smallest first (the tree OrContext builds), each
    // step rounded to a whole count (TermFreqs holds integers).
    const double n = db_.get_doccount();
    std::priority_queue<double, std::vector<double>, std::greater<>> dfs;
    for (const auto& w : forms(term)) dfs.push(db_.get_termfreq(w));
    if (dfs.empty() || n == 0) return 0;
    while (dfs.size() > 1) {
        const double r = dfs.top();
        dfs.pop();
        const double l = dfs.top();
        dfs.pop();
        dfs.push(std::floor(l + r - l * (r / n) + 0.5));
    }
    return dfs.top();
}

Xapian::Query StemReader::query(const std::string& term, Xapian::termcount wqf) {
    if (storage_ == StemStorage::Terms || !classify_term(term).stemmed) return Xapian::Query(term, wqf);
    std::vector<Xapian::Query> words;
    for (const auto& w : forms(term)) words.emplace_back(w, wqf);
    if (words.empty()) return Xapian::Query(term, wqf);  // matches nothing, as the stem would
    return Xapian::Query(Xapian::Query::OP_SYNONYM, words.begin(), words.end());
}

}  // namespace trawl::format
