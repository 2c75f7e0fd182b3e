#include "query/bm25_source.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "indexer/format/passage_document.hpp"
#include "indexer/format/tiers.hpp"
#include "query/query_tree.hpp"

namespace trawl::query {

DocLengths::DocLengths(const Xapian::Database& db, const std::atomic<bool>* stop)
    : len_(std::size_t{db.get_lastdocid()} + 1, 0) {
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        if (*p >= len_.size()) break;  // never past the end, whatever the database gives (PassageArticles)
        if (stop && *p % 1024 == 0 && stop->load(std::memory_order_relaxed)) break;
        len_[*p] = p.get_doclength();
    }
}

Bm25Source::Bm25Source(std::vector<std::string> words, Bm25Term term, Freqs freqs,
                       std::shared_ptr<const DocLengths> lengths)
    : WalkingSource(freqs), words_(std::move(words)), term_(term), lengths_(std::move(lengths)) {}

Bm25Source* Bm25Source::clone() const { return new Bm25Source(words_, term_, freqs_, lengths_); }

void Bm25Source::init(const Xapian::Database& db) {
    its_.clear();
    ends_.clear();
    heap_.clear();
    started_ = false;
    docid_ = 0;
    wdf_bound_ = 0;
    for (const auto& w : words_) {
        its_.push_back(db.postlist_begin(w));
        ends_.push_back(db.postlist_end(w));
        wdf_bound_ += db.get_wdf_upper_bound(w);
    }
    set_maxweight(bm25_bound(term_, wdf_bound_, db));
}

Xapian::termcount Bm25Source::wdf_at(std::size_t i) const {
    // The entries equal to the root are a subtree at the top of the heap.
    if (i >= heap_.size() || heap_[i].first != docid_) return 0;
    return its_[heap_[i].second].get_wdf() + wdf_at(2 * i + 1) + wdf_at(2 * i + 2);
}

void Bm25Source::settle() { docid_ = heap_.empty() ? 0 : heap_.front().first; }

void Bm25Source::sift_down(std::size_t i) {
    const auto n = heap_.size();
    const auto item = heap_[i];
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && heap_[child + 1].first < heap_[child].first) ++child;
        if (heap_[child].first >= item.first) break;
        heap_[i] = heap_[child];
        i = child;
    }
    heap_[i] = item;
}

void Bm25Source::advance(Xapian::docid target) {
    if (its_.size() == 1) {
        // One word (every word of a checked phrase, most stems): its own
        // postings, no heap. A phrase of frequent words walks tens of
        // thousands of them for a few hundred candidates ("city is also":
        // 48,800 moves, 9,508 weighed).
        auto& it = its_.front();
        if (target == 0) ++it;
        else it.skip_to(target);
        docid_ = it == ends_.front() ? 0 : *it;
        if (lengths_) lengths_->prefetch(docid_);  // read while the query's other parts move to it
        return;
    }
    // Each word at the top (at the current passage, or before `target`)
    // moves on and sinks to its place: one sift a posting.
    while (!heap_.empty() && (target == 0 ? heap_.front().first == docid_ : heap_.front().first < target)) {
        auto& [docid, word] = heap_.front();
        auto& it = its_[word];
        if (target == 0) ++it;
        else it.skip_to(target);
        if (it == ends_[word]) {
            heap_.front() = heap_.back();
            heap_.pop_back();
        } else {
            docid = *it;
        }
        if (!heap_.empty()) sift_down(0);
    }
    settle();
    if (lengths_) lengths_->prefetch(docid_);
}

void Bm25Source::next(double) {
    if (started_ && docid_ == 0) return;  // at the end: stays there
    if (!started_) {
        started_ = true;
        if (its_.size() == 1) {
            docid_ = its_.front() == ends_.front() ? 0 : *its_.front();
            return;
        }
        for (std::size_t w = 0; w < its_.size(); ++w)
            if (its_[w] != ends_[w]) heap_.emplace_back(*its_[w], w);
        for (std::size_t i = heap_.size() / 2; i-- > 0;) sift_down(i);
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
    // The wdf is read here, not on each move: Xapian weighs a candidate of
    // an AND only once every sub-query is at it (9,508 of the 48,800 moves
    // of "city is also"). As Xapian's OP_SYNONYM: the words' wdfs summed, no
    // more than the length.
    if (docid_ == 0) return 0;
    const Xapian::termcount wdf = its_.size() == 1 ? its_.front().get_wdf() : wdf_at(0);
    const Xapian::termcount length = (*lengths_)[docid_];
    return bm25_weight(term_, wdf, length);
}

std::string Bm25Source::get_description() const {
    std::string d = "trawl::Bm25Source(";
    for (std::size_t i = 0; i < words_.size(); ++i) d += (i ? " " : "") + words_[i];
    return d + ")";
}

void TierPostings::open(const Xapian::Database& db) {
    passages_.clear();
    at_ = 0;
    for (const auto& t : terms_)
        for (auto p = db.postlist_begin(t.name); p != db.postlist_end(t.name); ++p) passages_.emplace_back(*p, t.wdf);
    std::sort(passages_.begin(), passages_.end());
}

Xapian::docid TierPostings::seek(Xapian::docid did) {
    while (at_ < passages_.size() && passages_[at_].first < did) ++at_;
    return here();
}

Xapian::docid TierPostings::next() {
    if (at_ < passages_.size()) ++at_;
    return here();
}

bool TierPostings::holds(Xapian::docid did) { return seek(did) == did; }

TierSource::TierSource(std::vector<TierPostings::Term> terms, Bm25Term term, Freqs freqs,
                       std::shared_ptr<const DocLengths> lengths)
    : WalkingSource(freqs), tier_(std::move(terms)), term_(term), lengths_(std::move(lengths)) {}

TierSource* TierSource::clone() const { return new TierSource(tier_.terms(), term_, freqs_, lengths_); }

void TierSource::init(const Xapian::Database& db) {
    tier_.open(db);
    started_ = false;
    docid_ = 0;
    // The frequencies stay those the rewrite gave: its estimate orders
    // Xapian's OR tree (Rewrite::split()).
    Xapian::termcount top = 0;
    for (const auto& t : tier_.terms()) top = std::max(top, t.wdf);
    set_maxweight(bm25_bound(term_, top, db));
}

void TierSource::next(double) {
    if (started_ && docid_ == 0) return;
    docid_ = started_ ? tier_.next() : tier_.seek(0);
    started_ = true;
}

void TierSource::skip_to(Xapian::docid did, double) {
    if (!started_) next(0);
    if (docid_ != 0 && did > docid_) docid_ = tier_.seek(did);
}

double TierSource::get_weight() const {
    // The wdf the indexer counted, which is the words' wdfs summed: the
    // score Bm25Source gives the passage (bm25_weight()'s arithmetic).
    return docid_ == 0 ? 0 : bm25_weight(term_, tier_.wdf(), (*lengths_)[docid_]);
}

std::string TierSource::get_description() const {
    std::string d = "trawl::TierSource(";
    for (std::size_t i = 0; i < tier_.terms().size(); ++i) d += (i ? " " : "") + tier_.terms()[i].name;
    return d + ")";
}

double rest_bound(const Bm25Term& term, Xapian::termcount wdf_bound, const Xapian::Database& db) {
    const Xapian::termcount longest = db.get_doclength_upper_bound();
    const Xapian::termcount shortest = db.get_doclength_lower_bound();
    double bound = 0;
    for (Xapian::termcount wdf = 1; wdf <= wdf_bound; ++wdf) {
        const auto outside = format::first_length_outside(wdf);
        if (outside > longest) break;  // no passage holding the stem this often is outside the tier
        // A passage's length is at least its wdf and the database's shortest;
        // the score falls as the length grows.
        bound = std::max(bound, bm25_sumpart(term, wdf, std::max({outside, wdf, shortest})));
    }
    return bound;
}

RestSource::RestSource(std::vector<std::string> words, std::vector<TierPostings::Term> tier, Bm25Term term, Freqs freqs,
                       std::shared_ptr<const DocLengths> lengths)
    : WalkingSource(freqs), words_(std::move(words), term, freqs, std::move(lengths)), tier_(std::move(tier)) {}

RestSource* RestSource::clone() const {
    return new RestSource(words_.words(), tier_.terms(), words_.term(), freqs_, words_.lengths());
}

void RestSource::init(const Xapian::Database& db) {
    words_.init(db);
    tier_.open(db);
    started_ = false;
    docid_ = 0;
    after_ = 0;
    set_maxweight(rest_bound(words_.term(), words_.wdf_bound(), db));
}

void RestSource::settle() {
    while (!words_.at_end() && tier_.holds(words_.get_docid())) words_.next(0);
    docid_ = words_.at_end() ? 0 : words_.get_docid();
}

void RestSource::start() {
    started_ = true;
    words_.next(0);
    settle();
}

void RestSource::next(double) {
    if (started_ && docid_ == 0) return;
    if (!started_) {
        start();  // at the first passage of the rest
        if (after_ == 0) return;
    }
    if (after_ != 0) {
        // check() said "not here" for after_: the next move is to the first
        // passage past it, which may be where the source stands already.
        const auto past = std::exchange(after_, 0);
        if (docid_ != 0 && docid_ <= past) {
            words_.skip_to(past + 1, 0);
            settle();
        }
        return;
    }
    words_.next(0);
    settle();
}

void RestSource::skip_to(Xapian::docid did, double) {
    if (!started_) start();
    if (after_ != 0) did = std::max(did, std::exchange(after_, 0) + 1);
    if (docid_ != 0 && did > docid_) {
        words_.skip_to(did, 0);
        settle();
    }
}

bool RestSource::check(Xapian::docid did, double) {
    // "Here" only when the rest holds `did`; otherwise "not here", however
    // far the source moved: Xapian's AND_MAYBE then takes nothing from it
    // for `did`, where a source standing past `did` could have its passage
    // skipped when the AND_MAYBE turns into an AND (Xapian 1.4 moves that
    // AND past both heads).
    if (!started_) start();
    if (docid_ == 0) return true;  // at the end
    if (tier_.holds(did)) {
        after_ = std::max(after_, did);
        return false;
    }
    if (did > docid_) {
        words_.skip_to(did, 0);
        settle();
    }
    if (docid_ == did) return true;
    if (docid_ == 0) return true;  // the end, a definite place
    after_ = std::max(after_, did);
    return false;
}

std::string RestSource::get_description() const { return "trawl::RestSource(" + words_.get_description() + ")"; }

Bm25PairSource::Bm25PairSource(Word first, Word second, std::shared_ptr<const DocLengths> lengths)
    : words_{std::move(first), std::move(second)}, lengths_(std::move(lengths)) {
    if (words_[1].freqs.est < words_[0].freqs.est) std::swap(words_[0], words_[1]);
}

Bm25PairSource* Bm25PairSource::clone() const { return new Bm25PairSource(words_[0], words_[1], lengths_); }

void Bm25PairSource::init(const Xapian::Database& db) {
    started_ = false;
    docid_ = 0;
    double bound = 0;
    for (int i = 0; i < 2; ++i) {
        its_[i] = db.postlist_begin(words_[i].term);
        ends_[i] = db.postlist_end(words_[i].term);
        // Each source's bound as Bm25Source::init() sets it; summed from 0 as Xapian's AND sums them.
        bound += bm25_bound(words_[i].weight, db.get_wdf_upper_bound(words_[i].term), db);
    }
    set_maxweight(bound);
    // MultiAndPostList's frequencies of two sub-queries.
    const Xapian::doccount size = db.get_doccount();
    const auto& a = words_[0].freqs;
    const auto& b = words_[1].freqs;
    freqs_.max = std::min(a.max, b.max);
    freqs_.est = size == 0 ? 0 : static_cast<Xapian::doccount>(double(a.est) * b.est / size + 0.5);
    const std::uint64_t both = std::uint64_t{a.min} + b.min;
    freqs_.min = a.min == 0 || both <= size ? 0 : static_cast<Xapian::doccount>(both - size);
}

void Bm25PairSource::meet() {
    auto &lead = its_[0], &other = its_[1];
    for (;;) {
        if (lead == ends_[0]) break;
        const Xapian::docid did = *lead;
        if (lengths_) lengths_->prefetch(did);  // read while the other list skips
        other.skip_to(did);
        if (other == ends_[1]) break;
        const Xapian::docid at = *other;
        if (at == did) {
            docid_ = did;
            return;
        }
        lead.skip_to(at);
    }
    docid_ = 0;
}

void Bm25PairSource::next(double) {
    if (started_ && docid_ == 0) return;  // at the end: stays there
    if (started_) ++its_[0];
    started_ = true;
    meet();
}

void Bm25PairSource::skip_to(Xapian::docid did, double min_wt) {
    if (!started_) next(min_wt);
    if (docid_ == 0 || did <= docid_) return;
    its_[0].skip_to(did);
    meet();
}

double Bm25PairSource::get_weight() const {
    if (docid_ == 0) return 0;
    const Xapian::termcount length = (*lengths_)[docid_];
    double sum = 0;
    for (int i = 0; i < 2; ++i) sum += bm25_weight(words_[i].weight, its_[i].get_wdf(), length);
    return sum;
}

std::string Bm25PairSource::get_description() const {
    return "trawl::Bm25PairSource(" + words_[0].term + " " + words_[1].term + ")";
}

namespace {

// Rewrite::split()'s threshold: a stem of fewer passages is walked whole
// (about 150 instructions a posting: 2,000 cost about 0.1 ms).
constexpr Xapian::doccount kTierSplit = 2000;

struct Rewrite {
    const Xapian::Database& db;
    format::StemReader& stems;
    const Bm25Params& p;
    std::shared_ptr<const DocLengths> lengths;
    double units = 0, len_factor = 0;
    std::uint64_t postings = 0;
    // What split() needs of each member of the whole query's OR (or of the
    // whole query, when it is not an OR): its frequency estimate as Xapian
    // will read it (-1: not a source of ours), and, for a stem, how it was
    // scored. `member`: the member being rewritten, -1 below it.
    struct Stem {
        std::string stem;
        std::vector<std::string> words;
        Bm25Source::Freqs freqs;
        double termfreq = 0, factor = 0;
    };
    struct Member {
        double est = -1;
        std::optional<Stem> stem;
    };
    std::vector<Member> members{};
    int member = -1;
    double made_est = -1;             // the estimate of the source stem_source() or word_source() made last
    std::optional<Stem> made_stem{};  // and how, for a stem

    // A source scoring `words` as BM25Weight scores a term of frequency
    // `termfreq` (Xapian's OP_SYNONYM estimate for a stem) under the scale
    // factors `factor`: BM25Weight::init's term weight, idf · factor, times
    // k3's factor (exactly 1 for wqf 1), times k1 + 1, in that order.
    Xapian::Query scored(std::vector<std::string> words, Bm25Source::Freqs freqs, double termfreq, double factor) {
        auto* src = new Bm25Source(std::move(words), term_of(termfreq, factor), freqs, lengths);
        return Xapian::Query(src->release());
    }

    // The tier terms of body stem `stem` (its Z-term), with their wdfs.
    std::vector<TierPostings::Term> tier_terms(const std::string& stem) const {
        std::vector<TierPostings::Term> out;
        const auto c = format::classify_term(stem);
        if (!c.stemmed || c.field != format::TermClass::Field::Body) return out;
        const auto prefix = format::tier_prefix(c.word);
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
            if (const auto wdf = format::tier_wdf(*t, prefix.size()); wdf != 0) out.push_back({*t, wdf});
        return out;
    }

    // The member of `subs` (the whole query's OR's, or the whole query) that
    // is its stem of most passages, searched as its tier and its rest
    // (TierSource, RestSource) where that is safe, else left. Only where
    // Xapian 1.4's matcher handles the two safely (a review found it lost
    // hits and misweighed passages otherwise): one stem a query, a member of
    // the OR at the top of the query (not under a filter or an AND, whose
    // check() of the OR misreads a rest that answered "not here"), and the
    // rest the most frequent member by far, so that Xapian's OR (built as a
    // Huffman tree on the members' estimates) puts it last, and decays to an
    // AND_MAYBE that checks the rest alone. The tier reports an estimate
    // above all the other members' together, so the tree sums the others
    // first and the stem last, as it did unsplit: the same doubles.
    void split(std::vector<Xapian::Query>& subs) {
        int best = -1;
        double others = 0;
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (members[i].est < 0) return;
            if (members[i].stem && (best < 0 || members[i].est > members[best].est)) best = static_cast<int>(i);
        }
        if (best < 0) return;
        for (std::size_t i = 0; i < members.size(); ++i)
            if (static_cast<int>(i) != best) others += members[i].est;
        const auto& st = *members[best].stem;
        if (st.freqs.max < kTierSplit) return;
        auto tier = tier_terms(st.stem);
        if (tier.empty()) return;
        Xapian::doccount tiered = 0;
        for (const auto& t : tier) tiered += db.get_termfreq(t.name);
        const double tier_est = std::max<double>(tiered, others + 1);
        const double rest_est = st.freqs.est > tiered ? st.freqs.est - tiered : 0;
        if (!(rest_est > 2 * (others + tier_est) + 1)) return;
        const auto term = term_of(st.termfreq, st.factor);
        // The rest holds at least what the most frequent word holds outside the tier.
        Bm25Source::Freqs rest{st.freqs.min > tiered ? st.freqs.min - tiered : 0,
                               static_cast<Xapian::doccount>(rest_est), st.freqs.max};
        const auto te = static_cast<Xapian::doccount>(tier_est);
        auto* a = new TierSource(tier, term, {tiered, te, std::max(te, tiered)}, lengths);
        auto* b = new RestSource(st.words, std::move(tier), term, rest, lengths);
        // Xapian gathers the two into the OR above.
        subs[best] = Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(a->release()), Xapian::Query(b->release()));
    }

    // The source for stem node `q`, or nothing.
    std::optional<Xapian::Query> stem_source(const Xapian::Query& q, double factor) {
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
        const double estimate = stems.synonym_estimate(stem);
        freqs.est = static_cast<Xapian::doccount>(estimate);
        made_est = freqs.est;
        made_stem = Stem{stem, words, freqs, estimate, factor};
        return scored(std::move(words), freqs, estimate, factor);
    }

    // A word's BM25 term as BM25Weight weighs a term of frequency `termfreq`
    // under the scale factors `factor`: BM25Weight::init's term weight, idf ·
    // factor, times k3's factor (exactly 1 for wqf 1), times k1 + 1, in that order.
    Bm25Term term_of(double termfreq, double factor) const {
        Bm25Term term;
        term.termweight = bm25_idf(units, termfreq) * factor * (p.k1 + 1);
        term.len_factor = len_factor;
        term.params = p;
        return term;
    }

    // A term of its own (a word of a phrase checked against the text, a
    // title word...) as a source's word, or nothing: an absent term, or one
    // of wqf above 1 (its description says "#"). Counts its postings.
    std::optional<Bm25PairSource::Word> word_of(const Xapian::Query& q, double factor) {
        if (q.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
        const std::string term = *q.get_terms_begin();
        const Xapian::doccount tf = term.empty() ? 0 : db.get_termfreq(term);
        if (tf == 0 || q.get_description().find('#') != std::string::npos) return std::nullopt;
        postings += tf;
        return Bm25PairSource::Word{term, term_of(tf, factor), {tf, tf, tf}};
    }

    std::optional<Xapian::Query> word_source(const Xapian::Query& q, double factor) {
        auto w = word_of(q, factor);
        if (!w || !lengths) return std::nullopt;
        made_est = w->freqs.est;
        auto* src = new Bm25Source({w->term}, w->weight, w->freqs, lengths);
        return Xapian::Query(src->release());
    }

    // A whole query that is the AND of two words, weighed: one source for
    // both, or nothing. At the top only: below, Xapian merges an AND into an
    // AND or FILTER around it and sums more than two weights, in an order
    // one source could not keep.
    std::optional<Xapian::Query> pair_source(const Xapian::Query& q) {
        if (q.get_type() != Xapian::Query::OP_AND || q.get_num_subqueries() != 2 || !lengths) return std::nullopt;
        const auto a = q.get_subquery(0), b = q.get_subquery(1);
        if (a.get_type() != Xapian::Query::LEAF_TERM || b.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
        if (*a.get_terms_begin() == *b.get_terms_begin()) return std::nullopt;  // Xapian's AND of a word with itself
        const auto saved = postings;
        auto first = word_of(a, 1.0);
        auto second = word_of(b, 1.0);
        if (!first || !second) {
            postings = saved;  // counted again by the walk
            return std::nullopt;
        }
        auto* src = new Bm25PairSource(std::move(*first), std::move(*second), lengths);
        return Xapian::Query(src->release());
    }

    std::optional<Xapian::Query> source(const Xapian::Query& q, double factor) {
        // A factor of 0 (the parser's "0 * XSreuters" for a filter term
        // among words) makes the subtree unweighted: Xapian never scores
        // it, while a source would compute 0 x wdf / denominator, NaN when
        // k1 and the wdf are 0.
        if (factor == 0) return std::nullopt;
        if (q.get_type() == Xapian::Query::OP_SYNONYM) return stem_source(q, factor);
        if (q.get_type() == Xapian::Query::LEAF_TERM) return word_source(q, factor);
        return std::nullopt;
    }

    // `s`, made by source() for the node of root member `mine` (or below
    // none: -1), noted for split().
    Xapian::Query noted(Xapian::Query s, int mine) {
        if (mine >= 0) {
            members[mine].est = made_est;
            members[mine].stem = std::move(made_stem);
        }
        return s;
    }

    std::optional<Xapian::Query> made_source(const Xapian::Query& q, double factor) {
        made_est = -1;
        made_stem.reset();
        return source(q, factor);
    }

    Xapian::Query walk(const Xapian::Query& q, double factor) {
        using Q = Xapian::Query;
        const int mine = std::exchange(member, -1);
        if (q.get_type() == Q::OP_SYNONYM || q.get_type() == Q::LEAF_TERM) {
            if (auto s = made_source(q, factor)) return noted(*s, mine);
            return q;
        }
        std::vector<Q> subs;
        switch (q.get_type()) {
            case Q::OP_SCALE_WEIGHT: {
                // Only a stem or a word right under it: BM25Weight multiplies
                // the factor into the term weight before its wdf part, and the
                // source does the same, so the score is the same double.
                // Anything else under it is left to Xapian.
                if (auto s = made_source(q.get_subquery(0), factor * scale_of(q))) return noted(*s, mine);
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
                break;
            default:
                return q;  // phrases, NEAR, wildcards, ranges, terms: left to Xapian
        }
        if (!lengths) return q;  // only counted
        auto rebuilt = with_subqueries(q, subs);
        return rebuilt ? *rebuilt : q;
    }

    // The whole query rewritten, its stem of most passages split if split() may.
    Xapian::Query top(const Xapian::Query& q) {
        const bool is_or = q.get_type() == Xapian::Query::OP_OR;
        const std::size_t n = is_or ? q.get_num_subqueries() : 1;
        members.assign(n, {});
        std::vector<Xapian::Query> subs;
        for (std::size_t i = 0; i < n; ++i) {
            member = static_cast<int>(i);
            subs.push_back(walk(is_or ? q.get_subquery(i) : q, 1.0));
        }
        member = -1;
        if (!lengths) return q;  // only counted
        split(subs);
        if (!is_or) return subs[0];
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
    if (auto pair = r.pair_source(q)) {
        if (postings) *postings = r.postings;
        return *pair;
    }
    auto out = r.top(q);
    if (postings) *postings = r.postings;
    return out;
}

}  // namespace trawl::query
