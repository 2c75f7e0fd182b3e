// The dead passages of an index (format/deletions.hpp) as a query every
// search leaves out (AND_NOT). Local databases: a posting source over each
// database's dead docids, found once when the index is opened; a skip costs
// a binary search, whatever the number of dead articles. With a remote
// shard, whose server cannot run Trawl's posting sources, the query of
// Xapian's operators of Deletions::filter().
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/format/deletions.hpp"

namespace trawl::query {

// Each local database's dead docids, by the database's UUID.
using DeadDocids = std::map<std::string, std::vector<Xapian::docid>>;

// The dead passages of the databases searched as one.
struct DeadPassages {
    format::Deletions all;  // the union of their records (the counts, ArticleScorer)
    Xapian::Query filter;   // the query every search leaves out; Query() when no passage is dead
};

// `shards`: the databases searched as one, each with its own records
// (`records[i]` of `shards[i]`); `remote`: one of them is a remote shard,
// whose filter is the union's own (Deletions::filter()): one union serves
// both.
DeadPassages dead_passages(const std::vector<Xapian::Database>& shards, std::vector<format::Deletions> records,
                           bool remote);

// The posting source of the local case: the docids of `dead` for the
// database it is opened on (Xapian opens a copy on each database searched).
class DeadPassagesSource : public Xapian::PostingSource {
public:
    explicit DeadPassagesSource(std::shared_ptr<const DeadDocids> dead) : dead_(std::move(dead)) {}
    void init(const Xapian::Database& db) override;
    Xapian::doccount get_termfreq_min() const override { return size(); }
    Xapian::doccount get_termfreq_est() const override { return size(); }
    Xapian::doccount get_termfreq_max() const override { return size(); }
    void next(double) override;
    void skip_to(Xapian::docid did, double) override;
    bool at_end() const override { return at_ >= size(); }
    Xapian::docid get_docid() const override { return (*docids_)[at_]; }
    Xapian::PostingSource* clone() const override { return new DeadPassagesSource(dead_); }
    std::string get_description() const override;

private:
    Xapian::doccount size() const { return static_cast<Xapian::doccount>(docids_ ? docids_->size() : 0); }

    std::shared_ptr<const DeadDocids> dead_;
    const std::vector<Xapian::docid>* docids_ = nullptr;
    std::size_t at_ = 0;
    bool started_ = false;
};

}  // namespace trawl::query
