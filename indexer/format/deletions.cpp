#include "indexer/format/deletions.hpp"

#include <algorithm>

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
        d.dead_[std::move(id)] = get_varint(bytes, pos, "deleted passages record", "a sequence number");
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
