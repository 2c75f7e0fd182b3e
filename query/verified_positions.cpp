#include "query/verified_positions.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "indexer/format/analysis.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "query/cancel.hpp"
#include "query/query_tree.hpp"

namespace trawl::query {
namespace {

// Checks the phrases every hit must hold, for the hits Xapian would keep.
// Made for a search of one database only (Rewriter::positional): its
// passages are all shard 0's.
class CheckDecider : public Xapian::MatchDecider {
public:
    CheckDecider(std::shared_ptr<PassageTexts> texts, std::vector<PositionalCheck> checks)
        : texts_(std::move(texts)), checks_(std::move(checks)) {}
    bool operator()(const Xapian::Document& doc) const override {
        throw_if_cancelled();  // the checks may be most of a long match
        return texts_->holds_all(doc, 0, checks_);
    }

private:
    std::shared_ptr<PassageTexts> texts_;
    std::vector<PositionalCheck> checks_;
};

// Every passage, as Xapian::Query::MatchAll, but weighed in docid order:
// kDocidOrderWeight x (1 - docid / (last docid + 1)), by the search's docid
// (shards interleave theirs), falling as it goes, and what the passages
// still ahead can weigh told to Xapian. It stands for MatchAll where the
// passages to check for a stop word are every passage: there MatchAll's
// zero weights never raise Xapian 1.4's minimum weight above 0, so its
// matcher cannot stop early once it holds the top hits (it does only in a
// match with no weight at all), and checked every passage's text (12 s for
// "the" on Wikipedia, whose "THE" gives the stem a weight). The weights are
// so small (1e-200) that added to any real weight they change no bit of
// it: ties between BM25 hits stay in docid order, as the unranked hits are,
// and a score prints as before (shown_score()). Once the top hits and the
// passages to count are in, the minimum weight passes what the passages
// ahead can weigh and the match ends (or, beside an OR's weighted words,
// goes on with those alone). Only in relevance order: sorted by date, Xapian
// raises no minimum weight and the match reads every passage, as before.
class DocidOrder : public Xapian::PostingSource {
public:
    // `texts` tells which shard of the search a database is, `last` the
    // search's last docid (0: unknown), so that the weights fall with the
    // docid of the search (shards interleave theirs) as ties did.
    DocidOrder(std::shared_ptr<PassageTexts> texts, Xapian::docid last) : texts_(std::move(texts)), last_(last) {}
    DocidOrder* clone() const override { return new DocidOrder(texts_, last_); }
    void init(const Xapian::Database& db) override {
        db_ = db;
        it_ = db_.postlist_begin("");
        end_ = db_.postlist_end("");
        started_ = false;
        count_ = db_.get_doccount();
        shards_ = texts_ ? std::max<std::size_t>(texts_->shards(), 1) : 1;
        shard_ = texts_ ? texts_->shard_of(db) : 0;
        if (shard_ >= shards_) shard_ = 0, shards_ = 1;  // not a shard of the search's: its own order
        top_ = std::max<double>(last_, static_cast<double>(db_.get_lastdocid()) * static_cast<double>(shards_));
        set_maxweight(it_ == end_ ? 0.0 : weight_of(*it_));
    }
    Xapian::doccount get_termfreq_min() const override { return count_; }
    Xapian::doccount get_termfreq_est() const override { return count_; }
    Xapian::doccount get_termfreq_max() const override { return count_; }
    void next(double min_wt) override {
        if (started_) ++it_;
        started_ = true;
        ahead(min_wt);
    }
    void skip_to(Xapian::docid did, double min_wt) override {
        started_ = true;
        if (it_ != end_ && *it_ < did) it_.skip_to(did);
        ahead(min_wt);
    }
    bool at_end() const override { return started_ && it_ == end_; }
    Xapian::docid get_docid() const override { return *it_; }
    double get_weight() const override { return weight_of(*it_); }
    std::string get_description() const override { return "DocidOrder()"; }

private:
    double weight_of(Xapian::docid did) const {
        const double global = static_cast<double>(did - 1) * static_cast<double>(shards_) + double(shard_) + 1;
        return kDocidOrderWeight * (1.0 - global / (top_ + 1.0));
    }
    // Where no passage ahead can weigh `min_wt` (the matcher has its top hits
    // and its count), the list ends: in a search of several databases,
    // which Xapian walks one after the other, the earlier ones end too.
    void ahead(double min_wt) {
        if (it_ != end_ && min_wt > weight_of(*it_)) it_ = end_;
        set_maxweight(it_ == end_ ? 0.0 : weight_of(*it_));
    }

    std::shared_ptr<PassageTexts> texts_;
    Xapian::docid last_ = 0;
    Xapian::Database db_;
    Xapian::PostingIterator it_, end_;
    bool started_ = false;
    Xapian::doccount count_ = 0;
    std::size_t shards_ = 1, shard_ = 0;
    double top_ = 0;
};

// The passages that hold one check, as a filter: it never drives the match
// (its frequency estimate is the whole database), so Xapian asks it about
// the candidates of the other branch only (check()).
class CheckSource : public Xapian::PostingSource {
public:
    CheckSource(std::shared_ptr<PassageTexts> texts, PositionalCheck check)
        : texts_(std::move(texts)), check_(std::move(check)) {}
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return count_; }
    Xapian::doccount get_termfreq_max() const override { return count_; }
    void init(const Xapian::Database& db) override {
        db_ = db;
        shard_ = texts_->shard_of(db);
        count_ = db.get_doccount();
        last_ = db.get_lastdocid();
        did_ = 0;
    }
    void next(double) override { advance(did_ + 1); }
    void skip_to(Xapian::docid did, double) override {
        if (did > did_) advance(did);
    }
    bool check(Xapian::docid did, double) override {
        did_ = did;  // when false: "indeterminate", next() goes on from here
        return holds_at(did);
    }
    bool at_end() const override { return did_ > last_; }
    Xapian::docid get_docid() const override { return did_; }
    Xapian::PostingSource* clone() const override { return new CheckSource(texts_, check_); }
    std::string get_description() const override { return "CheckSource()"; }

private:
    void advance(Xapian::docid from) {
        for (did_ = from; did_ <= last_; ++did_)
            if (holds_at(did_)) return;
    }
    bool holds_at(Xapian::docid did) {
        throw_if_cancelled();
        if (texts_->rejected_in_memory(did, std::span(&check_, 1))) return false;
        try {
            return texts_->holds_all(db_.get_document(did), shard_, std::span(&check_, 1));
        } catch (const Xapian::DocNotFoundError&) {
            return false;
        }
    }

    std::shared_ptr<PassageTexts> texts_;
    PositionalCheck check_;
    Xapian::Database db_;
    std::size_t shard_ = 0;
    Xapian::doccount count_ = 0;
    Xapian::docid last_ = 0, did_ = 0;
};

class Rewriter {
public:
    Rewriter(const format::PositionalWords& positional, std::shared_ptr<PassageTexts> texts, const Xapian::Database* db,
             const Xapian::QueryParser* qp)
        : positional_(positional), texts_(std::move(texts)), db_(db), qp_(qp) {}

    // `required`: every hit must match `q`. Sets `changed` when the result differs.
    Xapian::Query walk(const Xapian::Query& q, bool required, bool& changed) {
        using Q = Xapian::Query;
        const auto type = q.get_type();
        const auto n = q.get_num_subqueries();
        if (n == 0) return stop_word(q, required, changed);
        if (type == Q::OP_PHRASE || type == Q::OP_NEAR) return positional(q, required, changed);
        std::vector<Q> subs;
        std::vector<bool> rewritten;
        for (std::size_t i = 0; i < n; ++i) {
            const bool sub_required =
                required && (type == Q::OP_AND || type == Q::OP_FILTER || type == Q::OP_SCALE_WEIGHT ||
                             ((type == Q::OP_AND_NOT || type == Q::OP_AND_MAYBE) && i == 0));
            bool sub_changed = false;
            subs.push_back(walk(q.get_subquery(i), sub_required, sub_changed));
            rewritten.push_back(sub_changed);
        }
        if (std::find(rewritten.begin(), rewritten.end(), true) == rewritten.end()) return q;
        if (type == Q::OP_SYNONYM) {
            // A stem term the index lacks (the words it stands for are stop
            // words: "Zit" beside "it's") became text checks, which a
            // synonym cannot hold: the words the index has stay one synonym,
            // OR the checks.
            std::vector<Q> kept, checks;
            for (std::size_t i = 0; i < n; ++i) (rewritten[i] ? checks : kept).push_back(subs[i]);
            if (!kept.empty()) checks.push_back(Q(Q::OP_SYNONYM, kept.begin(), kept.end()));
            changed = true;
            return Q(Q::OP_OR, checks.begin(), checks.end());
        }
        auto rebuilt = with_subqueries(q, subs);
        if (!rebuilt) return q;  // not made by Trawl (ELITE_SET...)
        changed = true;
        return *rebuilt;
    }

    std::vector<PositionalCheck> required_checks;

private:
    Xapian::Query positional(const Xapian::Query& q, bool required, bool& changed) {
        PositionalCheck c;
        c.ordered = q.get_type() == Xapian::Query::OP_PHRASE;
        std::vector<Xapian::Query> words;  // the ones the index holds (not its stop words)
        bool all_positional = true;
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
            auto sub = q.get_subquery(i);
            if (sub.get_type() != Xapian::Query::LEAF_TERM) return q;  // the parser makes words only
            std::string term = *sub.get_terms_begin();
            const auto cls = format::classify_term(term);
            const auto kept = cls.field == format::TermClass::Field::None ? format::PositionalWords::Kept::Postings
                                                                          : positional_.kept(cls.word);
            all_positional = all_positional && cls.field != format::TermClass::Field::None &&
                             kept == format::PositionalWords::Kept::Positions;
            c.title = (i == 0 || c.title) && cls.field == format::TermClass::Field::Title;
            c.terms.push_back(std::move(term));
            if (kept != format::PositionalWords::Kept::Nothing) words.push_back(std::move(sub));
        }
        // Title words keep positions in the lead passage only (schema.hpp):
        // Xapian would find a title: phrase there and nowhere else, where the
        // headline is every passage's. So it is checked on the headline.
        if (all_positional && !c.title) return q;
        c.window = window_of(q);
        changed = true;
        // A phrase of stop words only: every passage is a candidate.
        const Xapian::Query all =
            words.empty() ? every_passage() : Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
        return checked(all, std::move(c), required);
    }

    // A word the parser kept (a query of stop words only keeps them, and so
    // do "+the" and "title:the") but the index does not hold, as the index
    // left it out (a stop word) or as its stem term stands for stop words
    // only ("Zonli" for "only"): the passages whose text holds the word.
    Xapian::Query stop_word(const Xapian::Query& q, bool required, bool& changed) {
        if (positional_.stop_words().empty() || q.get_type() != Xapian::Query::LEAF_TERM) return q;
        const std::string term = *q.get_terms_begin();
        const auto cls = format::classify_term(term);
        if (cls.field == format::TermClass::Field::None) return q;
        std::vector<std::string> words;  // the stop words it stands for
        bool keep_term = false;          // the term also stands for words the index holds
        if (!cls.stemmed) {
            if (positional_.indexed(cls.word)) return q;
            words.emplace_back(cls.word);
        } else {
            // Only where the query named a stop word ("+it"): a stem that
            // other words share ("doe" for "doe" and "does") stands for the
            // words the index holds, as bag-of-words queries drop stop words.
            if (qp_ && !typed_stop_word(term)) return q;
            for (const auto w : format::stop_words_stemmed_as(cls.word))
                if (!positional_.indexed(w)) words.emplace_back(w);
            if (words.empty()) return q;
            // A Terms index keeps a stop word's Z-stem for the other words
            // that have it ("Zit" for "it's").
            keep_term = !db_ || db_->term_exists(term);
        }
        changed = true;
        const std::string prefix(cls.field == format::TermClass::Field::Title ? format::kPrefixTitle : "");
        PositionalCheck c;
        c.any = true;
        for (const auto& w : words) c.terms.push_back(prefix + w);
        auto found = checked(every_passage(), std::move(c), required && !keep_term);
        return keep_term ? Xapian::Query(Xapian::Query::OP_OR, q, found) : found;
    }

    // Whether the query word the parser stemmed into `term` was a stop word.
    bool typed_stop_word(const std::string& term) const {
        for (auto it = qp_->unstem_begin(term); it != qp_->unstem_end(term); ++it)
            if (format::is_stop_word(Xapian::Unicode::tolower(*it))) return true;
        return false;
    }

    // The passages of `candidates` that hold `c`.
    Xapian::Query checked(const Xapian::Query& candidates, PositionalCheck c, bool required) {
        // A check every hit needs runs as a MatchDecider, the cheapest way,
        // on one database only: with shards searched as one, Xapian 1.4
        // hands a decider the shard's own Document, whose docid does not
        // say which shard (and so which dictionary) it came from. There a
        // filter PostingSource checks it, opened on each shard by itself.
        if (required && texts_->shards() <= 1) {
            required_checks.push_back(std::move(c));
            return candidates;
        }
        return Xapian::Query(Xapian::Query::OP_FILTER, candidates,
                             Xapian::Query((new CheckSource(texts_, std::move(c)))->release()));
    }

    // Every passage, weighed in the search's docid order (DocidOrder).
    Xapian::Query every_passage() const {
        return Xapian::Query((new DocidOrder(texts_, db_ ? db_->get_lastdocid() : 0))->release());
    }

    const format::PositionalWords& positional_;
    std::shared_ptr<PassageTexts> texts_;
    const Xapian::Database* db_;
    const Xapian::QueryParser* qp_;
};

// True when the signature `pairs` certainly lacks a pair one of `checks` needs.
bool lacks_a_pair(std::string_view pairs, std::span<const PositionalCheck> checks) {
    return std::any_of(checks.begin(), checks.end(), [&](const PositionalCheck& c) { return !may_hold(pairs, c); });
}

}  // namespace

PassageTexts::PassageTexts(std::vector<format::PassageCodec*> codecs, std::vector<std::string> uuids,
                           std::shared_ptr<SignatureReads> signatures)
    : codecs_(std::move(codecs)),
      uuids_(std::move(uuids)),
      signatures_(signatures ? std::move(signatures) : std::make_shared<SignatureReads>()) {}

format::Words PassageTexts::words(const std::string& stored, std::size_t shard) {
    const auto data = format::decode(stored);
    const auto fields = format::decode_fields(codecs_.at(shard)->decompress(data.payload, data.raw_size));
    return format::passage_words(fields, data.ordinal);
}

bool PassageTexts::holds_all(const Xapian::Document& doc, std::size_t shard, std::span<const PositionalCheck> checks) {
    // The pair signature first: most candidates of a phrase lack one of its
    // pairs, and it is read without the record (about 4,500 instructions a
    // lookup on Wikipedia) or decompressing anything.
    if (signatures_->table) {
        if (lacks_a_pair(signatures_->table->of(doc.get_docid()), checks)) return false;
    } else {
        ++signatures_->reads;
        if (lacks_a_pair(doc.get_value(format::kSlotPairs), checks)) return false;
    }
    // No copy of the text or its fields: a query may check thousands of
    // passages, and keeps none.
    const std::string stored = doc.get_value(format::kSlotStored);
    const auto data = format::decode_view(stored);
    const auto fields =
        format::decode_fields_view(codecs_.at(shard)->decompress_into(data.payload, data.raw_size, buffer_));
    std::optional<format::Words> words;  // the whole cut, made only if needed
    for (const auto& c : checks) {
        auto held = holds_in_passage(fields, data.ordinal, c);
        if (!held) {
            if (!words)
                words = format::passage_words(
                    format::StoredFields{std::string(fields.article_id), std::string(fields.title),
                                         std::string(fields.location), std::string(fields.date),
                                         std::string(fields.source), std::string(fields.text)},
                    data.ordinal);
            held = holds(*words, c);
        }
        if (!*held) return false;
    }
    return true;
}

bool PassageTexts::rejected_in_memory(Xapian::docid did, std::span<const PositionalCheck> checks) const {
    return signatures_->table && lacks_a_pair(signatures_->table->of(did), checks);
}

std::size_t PassageTexts::shard_of(const Xapian::Database& db) const {
    if (codecs_.size() == 1) return 0;
    const auto it = std::find(uuids_.begin(), uuids_.end(), db.get_uuid());
    return static_cast<std::size_t>(it - uuids_.begin());
}

VerifiedQuery verify_positions(const Xapian::Query& parsed, const format::PositionalWords& positional,
                               std::shared_ptr<PassageTexts> texts, const Xapian::Database* db,
                               const Xapian::QueryParser* parser) {
    VerifiedQuery v;
    Rewriter r(positional, texts, db, parser);
    bool changed = false;
    v.query = r.walk(parsed, true, changed);
    if (!r.required_checks.empty()) v.decider = std::make_unique<CheckDecider>(texts, std::move(r.required_checks));
    return v;
}

}  // namespace trawl::query
