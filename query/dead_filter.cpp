#include "query/dead_filter.hpp"

#include <algorithm>

namespace trawl::query {

namespace {

// The filter of the local case: one posting source over the dead docids.
Xapian::Query local_filter(const std::vector<Xapian::Database>& shards, const std::vector<format::Deletions>& records) {
    auto dead = std::make_shared<DeadDocids>();
    for (std::size_t i = 0; i < shards.size(); ++i) {
        auto docids = records[i].docids(shards[i]);
        if (!docids.empty()) (*dead)[shards[i].get_uuid()] = std::move(docids);
    }
    if (dead->empty()) return {};
    return Xapian::Query((new DeadPassagesSource(std::move(dead)))->release());
}

}  // namespace

DeadPassages dead_passages(const std::vector<Xapian::Database>& shards, std::vector<format::Deletions> records,
                           bool remote) {
    DeadPassages out;
    if (std::all_of(records.begin(), records.end(), [](const auto& r) { return r.empty(); })) return out;
    if (!remote) out.filter = local_filter(shards, records);
    for (auto& r : records) out.all.merge(std::move(r));
    if (remote) out.filter = out.all.filter();
    return out;
}

void DeadPassagesSource::init(const Xapian::Database& db) {
    static const std::vector<Xapian::docid> none;
    const auto it = dead_->find(db.get_uuid());
    docids_ = it == dead_->end() ? &none : &it->second;
    at_ = 0;
    started_ = false;
}

void DeadPassagesSource::next(double) {
    if (started_) {
        ++at_;
    } else {
        started_ = true;
    }
}

void DeadPassagesSource::skip_to(Xapian::docid did, double) {
    started_ = true;
    if (at_ >= docids_->size() || (*docids_)[at_] >= did) return;
    at_ = static_cast<std::size_t>(
        std::lower_bound(docids_->begin() + static_cast<std::ptrdiff_t>(at_), docids_->end(), did) - docids_->begin());
}

std::string DeadPassagesSource::get_description() const {
    std::size_t n = 0;
    for (const auto& [uuid, docids] : *dead_) n += docids.size();
    return "DeadPassagesSource(" + std::to_string(n) + " passages)";
}

}  // namespace trawl::query
