// BM25 without Xapian's document-length lookups. Xapian 1.4's glass reads a
// passage's length from a chunked list, decoding every entry before it in its
// chunk: about 1,900 instructions a posting for a word in 1% of Wikipedia's
// passages, most of a bag-of-words query's match (bench/RESULTS.md, "Issue
// 10, eighth round"). A Bm25Source scores a stem (the OP_SYNONYM of its words
// that the query parser makes, format::parsed_stem()) as Xapian's BM25Weight
// scores it, from the words' postings and an array of every passage's length
// read once per opened index (DocLengths): the same scores, bit for bit, so
// the same hits in the same order.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "indexer/format/stems.hpp"
#include "query/article_score.hpp"

namespace trawl::query {

// The length of every passage of one (local, single) database, read in one
// walk of its length list: 4 bytes a passage.
class DocLengths {
public:
    // Stops early (a table to throw away) once `stop` is raised.
    explicit DocLengths(const Xapian::Database& db, const std::atomic<bool>* stop = nullptr);
    Xapian::termcount operator[](Xapian::docid did) const { return did < len_.size() ? len_[did] : 0; }
    // Asks the CPU for passage `did`'s length ahead of operator[].
    void prefetch(Xapian::docid did) const {
        if (did < len_.size()) __builtin_prefetch(len_.data() + did);
    }

private:
    std::vector<Xapian::termcount> len_;
};

// What BM25Weight's score of a term in a passage depends on beside its wdf
// and the passage's length.
struct Bm25Term {
    double termweight = 0;  // idf · factors · (k1 + 1), as BM25Weight::init leaves it
    double len_factor = 0;  // 1 / average passage length
    Bm25Params params;
};

// The BM25 score of `wdf` in a passage of `length`: BM25Weight::get_sumpart's
// arithmetic, in its order.
inline double bm25_sumpart(const Bm25Term& t, Xapian::termcount wdf, Xapian::termcount length) {
    const double normlen = std::max(length * t.len_factor, t.params.min_normlen);
    const double wdf_double = wdf;
    const double denom = t.params.k1 * (normlen * t.params.b + (1 - t.params.b)) + wdf_double;
    return t.termweight * (wdf_double / denom);
}

// A term's score in a passage as Xapian scores a term or an OP_SYNONYM: its
// wdf no more than the passage's length.
inline double bm25_weight(const Bm25Term& t, Xapian::termcount wdf, Xapian::termcount length) {
    return bm25_sumpart(t, std::min(wdf, length), length);
}

// BM25Weight::get_maxpart()'s bound for a term of `wdf_bound` (the largest
// wdf) in `db`: that wdf in the shortest passage; 0 for a term no passage holds.
inline double bm25_bound(const Bm25Term& t, Xapian::termcount wdf_bound, const Xapian::Database& db) {
    return wdf_bound == 0 ? 0 : bm25_sumpart(t, wdf_bound, db.get_doclength_lower_bound());
}

// The postings of `words` merged (a passage's wdf is the sum of theirs),
// scored by bm25_sumpart() with lengths from `lengths`.
// What Trawl's walking posting sources share: the frequencies they report
// (as the Xapian query they stand for would), and the current passage, 0
// once the walk has passed the last (at_end) or before it starts.
class WalkingSource : public Xapian::PostingSource {
public:
    struct Freqs {
        Xapian::doccount min = 0, est = 0, max = 0;
    };
    Xapian::doccount get_termfreq_min() const override { return freqs_.min; }
    Xapian::doccount get_termfreq_est() const override { return freqs_.est; }
    Xapian::doccount get_termfreq_max() const override { return freqs_.max; }
    bool at_end() const override { return started_ && docid_ == 0; }
    Xapian::docid get_docid() const override { return docid_; }

protected:
    WalkingSource() = default;
    explicit WalkingSource(Freqs freqs) : freqs_(freqs) {}
    Freqs freqs_;
    bool started_ = false;
    Xapian::docid docid_ = 0;
};

class Bm25Source final : public WalkingSource {
public:
    using Freqs = WalkingSource::Freqs;  // as Xapian's OP_SYNONYM of the words gives them
    Bm25Source(std::vector<std::string> words, Bm25Term term, Freqs freqs, std::shared_ptr<const DocLengths> lengths);

    Bm25Source* clone() const override;
    std::string name() const override { return "trawl::Bm25Source"; }
    const std::vector<std::string>& words() const { return words_; }
    const Bm25Term& term() const { return term_; }
    const std::shared_ptr<const DocLengths>& lengths() const { return lengths_; }
    // After init(): the words' largest wdfs summed, a bound of the largest
    // wdf of the stem (what its maximum weight is computed from).
    Xapian::termcount wdf_bound() const { return wdf_bound_; }
    void init(const Xapian::Database& db) override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    double get_weight() const override;
    std::string get_description() const override;

private:
    // The current passage: the smallest docid of the words' postings.
    void settle();
    // The wdfs summed of the words at the current passage in the heap below `heap_index`.
    Xapian::termcount wdf_at(std::size_t heap_index) const;
    // Moves every word at the current passage (target 0) or before `target` on.
    void advance(Xapian::docid target);
    // Restores the heap below entry `i` (a min-heap on docid).
    void sift_down(std::size_t i);

    std::vector<std::string> words_;
    Bm25Term term_;
    std::shared_ptr<const DocLengths> lengths_;
    std::vector<Xapian::PostingIterator> its_, ends_;
    std::vector<std::pair<Xapian::docid, std::size_t>> heap_;  // (docid, word): a min-heap; unused for one word
    Xapian::termcount wdf_bound_ = 0;
};

// A frequent stem ORed with rarer words is searched as two sources (format
// v8, indexer/format/tiers.hpp; where the matcher allows it: Rewrite::split()): its tier, the passages where it weighs
// most, read from their tier terms, and the rest, its words' postings without the tier, whose bound the tier rule gives
// (rest_bound()). Once the top hits need more than that bound, Xapian's OR becomes an AND_MAYBE that reads the rest
// only at the passages the other parts match, and the rest answers for a
// passage of the tier at once (RestSource::check()): "accs naturalizations"
// walks natur's 684 tier passages, not its 28,500 (bench/RESULTS.md,
// "Thirty-fifth session"). The same passages with the same scores: each
// passage of the stem is in exactly one of the two, weighed from the same wdf.

// The passages of one stem's tier terms, with the wdf each term names, read
// into memory in one go (a few percent of the stem's passages: 684 of
// natur's 28,500 on Wikipedia), so that the rest's check() of a tier passage
// costs a comparison, not a skip in each term's postings.
class TierPostings {
public:
    struct Term {
        std::string name;
        Xapian::termcount wdf = 0;
    };
    explicit TierPostings(std::vector<Term> terms) : terms_(std::move(terms)) {}
    const std::vector<Term>& terms() const { return terms_; }
    // Reads the postings of the terms in `db` (they are disjoint: a passage
    // holds one wdf of a stem) in docid order.
    void open(const Xapian::Database& db);
    // The first passage at or after `did` (0: none), its wdf by wdf().
    Xapian::docid seek(Xapian::docid did);
    // The passage after the current one (0: none).
    Xapian::docid next();
    Xapian::termcount wdf() const { return passages_[at_].second; }
    // True when passage `did` is in the tier; `did` never decreases from call to call.
    bool holds(Xapian::docid did);

private:
    Xapian::docid here() const { return at_ < passages_.size() ? passages_[at_].first : 0; }
    std::vector<Term> terms_;
    std::vector<std::pair<Xapian::docid, Xapian::termcount>> passages_;
    std::size_t at_ = 0;
};

// A stem's tier: its tier passages weighed from the wdf their term names.
class TierSource final : public WalkingSource {
public:
    TierSource(std::vector<TierPostings::Term> terms, Bm25Term term, Freqs freqs,
               std::shared_ptr<const DocLengths> lengths);
    TierSource* clone() const override;
    std::string name() const override { return "trawl::TierSource"; }
    void init(const Xapian::Database& db) override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    double get_weight() const override;
    std::string get_description() const override;

private:
    TierPostings tier_;
    Bm25Term term_;
    std::shared_ptr<const DocLengths> lengths_;
};

// The largest weight `term` can give a passage outside the tier of a stem
// whose wdf is at most `wdf_bound` in `db`: for each wdf, at the shortest
// length the tier leaves out (format::first_length_outside()).
double rest_bound(const Bm25Term& term, Xapian::termcount wdf_bound, const Xapian::Database& db);

// The rest of a stem: the postings of its words (a Bm25Source's walk and
// weights) but the passages of its tier, bounded by rest_bound().
class RestSource final : public WalkingSource {
public:
    RestSource(std::vector<std::string> words, std::vector<TierPostings::Term> tier, Bm25Term term, Freqs freqs,
               std::shared_ptr<const DocLengths> lengths);
    RestSource* clone() const override;
    std::string name() const override { return "trawl::RestSource"; }
    void init(const Xapian::Database& db) override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    // A passage the rest does not hold is answered "not here" (a tier
    // passage without moving: Xapian's AND_MAYBE asks the rest about every
    // passage the tier matches).
    bool check(Xapian::docid did, double min_wt) override;
    double get_weight() const override { return words_.get_weight(); }
    std::string get_description() const override;

private:
    // From the words' current posting: on past the tier's passages.
    void settle();
    void start();
    Bm25Source words_;
    TierPostings tier_;
    Xapian::docid after_ = 0;  // after a check() that said "not here": the next move starts past this passage
};

// The AND of two one-word sources, walked as one: a phrase or NEAR checked
// against the text becomes the AND of its words (verified_positions.hpp),
// and for two frequent words Xapian's AND of two sources spent about as
// much on its own calls (the AND's leapfrog, each source's wrapper, check()
// through skip_to()) as on reading the postings ("city is also": 6.6 of its
// 16.5 M instructions of walk). The same passages with the same weight:
// Xapian sums an AND's weights from 0 in its own order, and for two terms
// every order gives the same double; the same frequencies and bound as
// Xapian's AND of the two (its independence estimate, the sum of the bounds).
class Bm25PairSource final : public WalkingSource {
public:
    struct Word {
        std::string term;
        Bm25Term weight;
        Bm25Source::Freqs freqs;
    };
    Bm25PairSource(Word first, Word second, std::shared_ptr<const DocLengths> lengths);

    Bm25PairSource* clone() const override;
    std::string name() const override { return "trawl::Bm25PairSource"; }
    void init(const Xapian::Database& db) override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    double get_weight() const override;
    std::string get_description() const override;

private:
    // From the lead's current posting: the first passage both words hold.
    void meet();

    Word words_[2];  // the lead (the fewer passages, as Xapian's AND orders them) first
    std::shared_ptr<const DocLengths> lengths_;
    Xapian::PostingIterator its_[2], ends_[2];
};

// `q` with each stem the query parser expanded (format::parsed_stem()) that
// stands outside phrases, NEAR and ADJ (under OR, AND, AND_MAYBE, AND_NOT,
// FILTER and SCALE_WEIGHT) replaced by a Bm25Source scoring it as
// Xapian::BM25Weight(p.k1, 0, 1, p.b, p.min_normlen) would; a whole query
// that is the AND of two single words, by one Bm25PairSource. `postings`, when
// given, gets the postings of the stems replaced (their words' frequencies
// summed). With `lengths` null, only counts.
Xapian::Query with_bm25_sources(const Xapian::Query& q, const Xapian::Database& db, format::StemReader& stems,
                                const Bm25Params& p, std::shared_ptr<const DocLengths> lengths,
                                std::uint64_t* postings = nullptr);

}  // namespace trawl::query
