#include "query/bm25_source.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "query/query_tree.hpp"

namespace trawl::query {

DocLengths::DocLengths(const Xapian::Database& db) : len_(std::size_t{db.get_lastdocid()} + 1, 0) {
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) len_[*p] = p.get_doclength();
}

Bm25Source::Bm25Source(std::vector<std::string> words, Bm25Term term, Freqs freqs,
                       std::shared_ptr<const DocLengths> lengths)
    : words_(std::move(words)), term_(term), freqs_(freqs), lengths_(std::move(lengths)) {}

Bm25Source* Bm25Source::clone() const { return new Bm25Source(words_, term_, freqs_, lengths_); }

void Bm25Source::init(const Xapian::Database& db) {
    its_.clear();
    ends_.clear();
    heap_.clear();
    started_ = false;
    docid_ = 0;
    Xapian::termcount wdf_bound = 0;
    for (const auto& w : words_) {
        its_.push_back(db.postlist_begin(w));
        ends_.push_back(db.postlist_end(w));
        wdf_bound += db.get_wdf_upper_bound(w);
    }
    // BM25Weight::get_maxpart()'s bound: the largest wdf in the shortest passage.
    const double normlen = std::max(db.get_doclength_lower_bound() * term_.len_factor, term_.params.min_normlen);
    const double wdf_max = wdf_bound;
    const double denom = term_.params.k1 * (normlen * term_.params.b + (1 - term_.params.b)) + wdf_max;
    set_maxweight(wdf_bound == 0 ? 0 : term_.termweight * (wdf_max / denom));
}

namespace {
bool later(const std::pair<Xapian::docid, std::size_t>& a, const std::pair<Xapian::docid, std::size_t>& b) {
    return a.first > b.first;
}
}  // namespace

void Bm25Source::add_wdf_at(std::size_t i) {
    // The entries equal to the root are a subtree at the top of the heap.
    if (i >= heap_.size() || heap_[i].first != docid_) return;
    wdf_ += its_[heap_[i].second].get_wdf();
    add_wdf_at(2 * i + 1);
    add_wdf_at(2 * i + 2);
}

void Bm25Source::settle() {
    wdf_ = 0;
    docid_ = heap_.empty() ? 0 : heap_.front().first;
    if (docid_ != 0) add_wdf_at(0);
}

void Bm25Source::advance(Xapian::docid target) {
    while (!heap_.empty() && (target == 0 ? heap_.front().first == docid_ : heap_.front().first < target)) {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        auto& [docid, word] = heap_.back();
        auto& it = its_[word];
        if (target == 0) ++it;
        else it.skip_to(target);
        if (it == ends_[word]) {
            heap_.pop_back();
        } else {
            docid = *it;
            std::push_heap(heap_.begin(), heap_.end(), later);
        }
    }
    settle();
}

void Bm25Source::next(double) {
    if (!started_) {
        started_ = true;
        for (std::size_t w = 0; w < its_.size(); ++w)
            if (its_[w] != ends_[w]) heap_.emplace_back(*its_[w], w);
        std::make_heap(heap_.begin(), heap_.end(), later);
        settle();
        return;
    }
    advance(0);
}

void Bm25Source::skip_to(Xapian::docid did, double min_wt) {
    if (!started_) next(min_wt);
    if (docid_ != 0 && did > docid_) advance(did);
}

double Bm25Source::get_weight() const {
    // As Xapian's OP_SYNONYM: its wdf (the words' summed) no more than the length.
    const Xapian::termcount length = (*lengths_)[docid_];
    return bm25_sumpart(term_, std::min(wdf_, length), length);
}

std::string Bm25Source::get_description() const {
    std::string d = "trawl::Bm25Source(";
    for (std::size_t i = 0; i < words_.size(); ++i) d += (i ? " " : "") + words_[i];
    return d + ")";
}

namespace {

struct Rewrite {
    const Xapian::Database& db;
    format::StemReader& stems;
    const Bm25Params& p;
    std::shared_ptr<const DocLengths> lengths;
    double units = 0, len_factor = 0;
    std::uint64_t postings = 0;

    // The source for stem node `q` under the scale factors `factor`, or nothing.
    std::optional<Xapian::Query> source(const Xapian::Query& q, double factor) {
        const auto stem = format::parsed_stem(q);
        if (stem.empty()) return std::nullopt;
        std::vector<std::string> words;
        Bm25Source::Freqs freqs;
        for (std::size_t i = 1; i < q.get_num_subqueries(); ++i) {
            const auto sub = q.get_subquery(i);
            if (sub.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
            const std::string word = *sub.get_terms_begin();
            const Xapian::doccount tf = db.get_termfreq(word);
            if (tf == 0) continue;
            words.push_back(word);
            freqs.min = std::max(freqs.min, tf);
            freqs.max += tf;
        }
        freqs.max = std::min<Xapian::doccount>(freqs.max, db.get_doccount());
        postings += freqs.max;
        if (!lengths) return std::nullopt;
        // BM25Weight::init: OP_SYNONYM's estimated frequency (its words taken
        // as independent), wqf 1 (k3's factor is then 1), the scale factors.
        const double estimate = stems.synonym_estimate(stem);
        freqs.est = static_cast<Xapian::doccount>(estimate);
        double tw = (units - estimate + 0.5) / (estimate + 0.5);
        if (tw < 2) tw = tw * 0.5 + 1;
        Bm25Term term;
        term.termweight = std::log(tw) * factor;
        const double k3 = 1, wqf = 1;
        term.termweight *= (k3 + 1) * wqf / (k3 + wqf);
        term.termweight *= (p.k1 + 1);
        term.len_factor = len_factor;
        term.params = p;
        auto* src = new Bm25Source(std::move(words), term, freqs, lengths);
        return Xapian::Query(src->release());
    }

    Xapian::Query walk(const Xapian::Query& q, double factor) {
        using Q = Xapian::Query;
        if (q.get_type() == Q::OP_SYNONYM) {
            if (auto s = source(q, factor)) return *s;
            return q;
        }
        std::vector<Q> subs;
        bool changed = false;
        switch (q.get_type()) {
            case Q::OP_SCALE_WEIGHT: {
                // Only a stem right under it: BM25Weight multiplies the
                // factor into the stem's term weight before its wdf part, and
                // the source does the same, so the score is the same double.
                // Anything else under it is left to Xapian.
                const auto sub = q.get_subquery(0);
                if (sub.get_type() != Q::OP_SYNONYM) return q;
                if (auto s = source(sub, factor * scale_of(q))) return *s;
                return q;
            }
            case Q::OP_OR:
            case Q::OP_AND:
            case Q::OP_AND_MAYBE:
            case Q::OP_AND_NOT:
            case Q::OP_FILTER:
                for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
                    // The right of AND_NOT and FILTER is never weighed.
                    const bool weighed = i == 0 || (q.get_type() != Q::OP_AND_NOT && q.get_type() != Q::OP_FILTER);
                    subs.push_back(weighed ? walk(q.get_subquery(i), factor) : q.get_subquery(i));
                }
                changed = true;
                break;
            default:
                return q;  // phrases, NEAR, wildcards, ranges, terms: left to Xapian
        }
        if (!changed || !lengths) return q;
        auto rebuilt = with_subqueries(q, subs);
        return rebuilt ? *rebuilt : q;
    }
};

}  // namespace

Xapian::Query with_bm25_sources(const Xapian::Query& q, const Xapian::Database& db, format::StemReader& stems,
                                const Bm25Params& p, std::shared_ptr<const DocLengths> lengths,
                                std::uint64_t* postings) {
    Rewrite r{db, stems, p, std::move(lengths)};
    r.units = db.get_doccount();
    const double avlen = db.get_avlength();
    r.len_factor = avlen != 0 ? 1 / avlen : 0;
    auto out = r.walk(q, 1.0);
    if (postings) *postings = r.postings;
    return out;
}

}  // namespace trawl::query
