#include "indexer/format/deletions.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <unordered_map>

#include "corpus/base/error.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/varint.hpp"

namespace trawl::format {

// kMetaDeleted: varint passages, varint articles, then per article (in id
// order) the id (varint length + bytes) and varint sequence.
Deletions Deletions::parse(std::string_view bytes) {
    Deletions d;
    if (bytes.empty()) return d;
    std::size_t pos = 0;
    d.passages_ = get_varint(bytes, pos, "deleted passages record", "its counts");
    const auto n = get_varint(bytes, pos, "deleted passages record", "its counts");
    for (std::uint64_t i = 0; i < n; ++i) {
        auto id = get_string(bytes, pos, "deleted passages record", "an article id");
        const auto seq = get_varint(bytes, pos, "deleted passages record", "a sequence number");
        // Written in id order: each goes last (without a descent of the tree).
        d.dead_.insert_or_assign(d.dead_.end(), std::move(id), seq);
    }
    if (pos != bytes.size()) throw IndexFormatError("deleted passages record: trailing bytes");
    return d;
}

Deletions Deletions::read(const Xapian::Database& db) { return parse(db.get_metadata(std::string(kMetaDeleted))); }

Deletions Deletions::read_index(const std::string& path) {
    Deletions all;
    for (const auto& shard : shard_paths(path)) all.merge(read(Xapian::Database(shard)));
    return all;
}

std::string Deletions::serialise() const {
    if (dead_.empty()) return {};
    std::string out;
    put_varint(out, passages_);
    put_varint(out, dead_.size());
    for (const auto& [id, seq] : dead_) {
        put_string(out, id);
        put_varint(out, seq);
    }
    return out;
}

void Deletions::write(Xapian::WritableDatabase& db) const { db.set_metadata(std::string(kMetaDeleted), serialise()); }

void Deletions::add(const std::string& article_id, std::uint64_t through, std::uint64_t passages) {
    auto& seq = dead_[article_id];
    seq = std::max(seq, through);
    passages_ += passages;
}

void Deletions::merge(const Deletions& other) {
    for (const auto& [id, seq] : other.dead_) add(id, seq, 0);
    passages_ += other.passages_;
}

void Deletions::merge(Deletions&& other) {
    if (dead_.empty()) {
        const auto passages = passages_;
        *this = std::move(other);
        passages_ += passages;
        return;
    }
    merge(static_cast<const Deletions&>(other));
}

bool Deletions::covers(const std::string& article_id, std::uint64_t sequence) const {
    auto it = dead_.find(article_id);
    return it != dead_.end() && sequence <= it->second;
}

Xapian::Query Deletions::filter() const {
    std::vector<Xapian::Query> dead;
    dead.reserve(dead_.size());
    for (const auto& [id, seq] : dead_)
        dead.emplace_back(Xapian::Query::OP_AND, Xapian::Query(std::string(kPrefixArticle) + id),
                          Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotSequence, sequence_value(seq)));
    if (dead.empty()) return {};
    return Xapian::Query(Xapian::Query::OP_OR, dead.begin(), dead.end());
}

namespace {

// Dead passages found article by article: its posting list, then the
// bisection of its sequences.
void dead_by_article(const Xapian::Database& db, const std::map<std::string, std::uint64_t>& dead,
                     std::vector<Xapian::docid>& out) {
    std::vector<Xapian::docid> passages;
    for (const auto& [id, through] : dead) {
        const std::string term = std::string(kPrefixArticle) + id;
        passages.assign(db.postlist_begin(term), db.postlist_end(term));
        if (passages.empty()) continue;
        const auto sequence_at = [&](std::size_t i) {
            return sequence_of(db.get_document(passages[i], Xapian::DOC_ASSUME_VALID));
        };
        // The first passage with a sequence above `through`; most often none
        // (a deleted article, or one replaced by a run in another shard).
        std::size_t lo = 0, hi = passages.size() - 1;
        if (sequence_at(hi) <= through) {
            lo = passages.size();
        } else {
            while (lo < hi) {
                const auto mid = lo + (hi - lo) / 2;
                if (sequence_at(mid) <= through) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
        }
        out.insert(out.end(), passages.begin(), passages.begin() + static_cast<std::ptrdiff_t>(lo));
    }
}

// Dead passages found in one pass over every passage's article and sequence
// values (read in docid order, chunk by chunk).
void dead_by_scan(const Xapian::Database& db, const std::map<std::string, std::uint64_t>& dead,
                  std::vector<Xapian::docid>& out) {
    std::unordered_map<std::string_view, std::uint64_t> through;
    through.reserve(dead.size());
    for (const auto& [id, seq] : dead) through.emplace(id, seq);
    auto seq = db.valuestream_begin(kSlotSequence);
    const auto seq_end = db.valuestream_end(kSlotSequence);
    for (auto a = db.valuestream_begin(kSlotArticle); a != db.valuestream_end(kSlotArticle); ++a) {
        const auto it = through.find(*a);
        if (it == through.end()) continue;
        const auto did = a.get_docid();
        seq.skip_to(did);
        if (seq == seq_end) break;
        if (seq.get_docid() != did) continue;
        if (static_cast<std::uint64_t>(Xapian::sortable_unserialise(*seq)) <= it->second) out.push_back(did);
    }
}

// What one dead article costs to look up, in passages scanned: its posting
// list and a value or two read at random took about 24 us on Reuters, the
// scan about 1.3 us a passage (10,000 of its 15,101 articles deleted).
constexpr std::uint64_t kArticleLookupInPassages = 20;

}  // namespace

std::vector<Xapian::docid> Deletions::docids(const Xapian::Database& db, Lookup how) const {
    std::vector<Xapian::docid> dead;
    if (dead_.empty()) return dead;
    if (how == Lookup::Auto)
        how = dead_.size() * kArticleLookupInPassages >= db.get_doccount() ? Lookup::Scan : Lookup::ByArticle;
    if (how == Lookup::Scan) {
        dead_by_scan(db, dead_, dead);
    } else {
        dead_by_article(db, dead_, dead);
    }
    std::sort(dead.begin(), dead.end());
    return dead;
}

Xapian::doccount live_passage_count(const Xapian::Database& db) {
    const auto all = db.get_doccount();
    const auto dead = Deletions::read(db).passages();
    return dead < all ? static_cast<Xapian::doccount>(all - dead) : 0;
}

std::uint64_t sequence_of(const Xapian::Document& doc) {
    const auto v = doc.get_value(kSlotSequence);
    return v.empty() ? 0 : static_cast<std::uint64_t>(Xapian::sortable_unserialise(v));
}

std::string sequence_value(std::uint64_t n) { return Xapian::sortable_serialise(static_cast<double>(n)); }

LivePassages live_passages(const Xapian::Database& db, const std::string& article_id, const Deletions& deleted) {
    LivePassages live;
    const std::string term = std::string(kPrefixArticle) + article_id;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        const auto seq = sequence_of(db.get_document(*it, Xapian::DOC_ASSUME_VALID));
        if (deleted.covers(article_id, seq)) continue;
        ++live.count;
        live.last_sequence = std::max(live.last_sequence, seq);
    }
    return live;
}

}  // namespace trawl::format
