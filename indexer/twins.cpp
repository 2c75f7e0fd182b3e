#include "indexer/twins.hpp"

#include <string>
#include <unordered_set>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/twins.hpp"
#include "indexer/index_builder.hpp"

namespace trawl::index {
namespace {

const std::string kPrefix(format::kMetaTwinPrefix);

// The committed state of every database of the index, with its dead passages.
class Snapshot {
public:
    // `pending`: each database's dead passages with deletions not committed
    // yet (RestoreOptions::pending_dead), instead of its committed ones.
    Snapshot(const std::vector<IndexBuilder*>& builders, const std::vector<format::Deletions>* pending)
        : builders_(builders) {
        for (std::size_t i = 0; i < builders.size(); ++i) {
            dbs_.push_back(builders[i]->open_committed());  // with its segments, if any
            dead_.push_back(pending ? (*pending)[i] : format::Deletions::read(dbs_.back()));
        }
    }
    // The latest revision (this run's commits overwrote the one read, and
    // may have added segments).
    void reopen() {
        for (std::size_t i = 0; i < dbs_.size(); ++i) {
            dbs_[i] = builders_[i]->open_committed();
            dead_[i] = format::Deletions::read(dbs_[i]);
        }
    }
    Xapian::Database& db(std::size_t i) { return dbs_[i]; }
    // Whether a live passage of any database holds `term`.
    bool live_term(const std::string& term) const {
        for (std::size_t i = 0; i < dbs_.size(); ++i) {
            const auto& db = dbs_[i];
            for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
                const auto doc = db.get_document(*it, Xapian::DOC_ASSUME_VALID);
                if (!dead_[i].covers(format::article_id_of(doc), format::sequence_of(doc))) return true;
            }
        }
        return false;
    }
    bool live_article(const std::string& id) const {
        for (std::size_t i = 0; i < dbs_.size(); ++i)
            if (format::live_passages(dbs_[i], id, dead_[i]).count > 0) return true;
        return false;
    }

private:
    std::vector<IndexBuilder*> builders_;
    std::vector<Xapian::Database> dbs_;
    std::vector<format::Deletions> dead_;
};

// One pass over every record; returns the articles restored.
// The articles restored; `changed` is set when a record was dropped or an
// article restored (the builders then have a batch to commit).
// `pending_dead`, `pending_dropped`: RestoreOptions', for the first pass.
std::uint64_t restore_pass(const std::vector<IndexBuilder*>& builders, std::unordered_set<std::string>& restored_terms,
                           bool& changed, const std::vector<format::Deletions>* pending_dead,
                           const std::vector<std::unordered_set<std::string>>* pending_dropped) {
    Snapshot snap(builders, pending_dead);
    format::PassageCodec plain;
    std::uint64_t restored = 0;
    for (std::size_t i = 0; i < builders.size(); ++i) {
        std::string after;  // the last key handled
        for (int attempt = 1;; ++attempt) {
            try {
                auto& db = snap.db(i);
                auto k = db.metadata_keys_begin(kPrefix);
                const auto end = db.metadata_keys_end(kPrefix);
                if (!after.empty()) {
                    k.skip_to(after);
                    if (k != end && *k == after) ++k;
                }
                for (; k != end; ++k) {
                    const std::string key = *k;
                    if (pending_dropped && (*pending_dropped)[i].contains(std::string(format::twin_id(key)))) {
                        after = key;  // deleted with its article, in the open batch
                        attempt = 0;
                        continue;
                    }
                    format::Twin twin;
                    try {
                        twin = format::decode_twin(db.get_metadata(key), plain);
                    } catch (const IndexFormatError& e) {
                        throw IndexFormatError(format::damaged_message(
                            builders[i]->path(),
                            "twin record of '" + format::printable(format::twin_id(key)) + "': " + e.what()));
                    }
                    if (twin.article.id != format::twin_id(key))
                        throw IndexFormatError(format::damaged_message(
                            builders[i]->path(), "twin record of '" + format::printable(format::twin_id(key)) +
                                                     "' holds article '" + format::printable(twin.article.id) + "'"));
                    if (!restored_terms.contains(twin.original_term) && !snap.live_term(twin.original_term)) {
                        if (snap.live_article(twin.article.id)) {
                            builders[i]->drop_twin(twin.article.id);  // indexed on its own meanwhile
                            changed = true;
                        } else {
                            restored_terms.insert(format::article_keys(twin.article).content_term);
                            builders[i]->restore(twin.article);
                            ++restored;
                            changed = true;
                        }
                    }
                    after = key;
                    attempt = 0;
                }
                break;
            } catch (const Xapian::DatabaseModifiedError&) {
                // The restores committed over the revision read (a batch
                // fills every --batch articles): read on from the latest.
                if (attempt >= 3) throw;
                snap.reopen();
            }
        }
    }
    return restored;
}

}  // namespace

bool has_twin_records(const std::vector<std::string>& paths) {
    for (const auto& p : paths) {
        Xapian::Database db(p);
        if (db.metadata_keys_begin(kPrefix) != db.metadata_keys_end(kPrefix)) return true;
    }
    return false;
}

std::uint64_t restore_orphaned_twins(const std::vector<IndexBuilder*>& builders, const RestoreOptions& opts) {
    std::vector<std::string> paths;
    for (const auto* b : builders) paths.push_back(b->path());
    // The databases given articles first: a disk too full for them fails
    // before the others (deletions only, which need no room to speak of)
    // have committed.
    const auto commit = [&] {
        for (const bool adding : {true, false})
            for (auto* b : builders) {
                if ((b->batch_articles() > 0) != adding) continue;
                if (opts.mid_run) b->commit_now();
                else b->finish();
            }
    };
    if (builders.empty() || !has_twin_records(paths)) {
        if (opts.batch_open) commit();
        return 0;
    }
    std::unordered_set<std::string> restored_terms;
    std::uint64_t total = 0;
    for (bool first = true;; first = false) {
        bool changed = first && opts.batch_open;
        const auto n = restore_pass(builders, restored_terms, changed, first ? opts.pending_dead : nullptr,
                                    first ? opts.pending_dropped : nullptr);
        // Nothing to commit, nothing written: a --delete on a nearly full
        // disk that orphaned no twin needs no room for a commit.
        if (changed) commit();
        total += n;
        // A restore replaces what its id held, which may have been another
        // record's original: look again, until nothing changes.
        if (n == 0) return total;
    }
}

}  // namespace trawl::index
