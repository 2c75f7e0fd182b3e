#include "indexer/rebuild.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include <xapian.h>

#include "corpus/base/diagnostics.hpp"
#include "corpus/base/disk_usage.hpp"
#include "corpus/base/error.hpp"
#include "indexer/compaction.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/stems.hpp"
#include "indexer/index_builder.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/index_pipeline.hpp"
#include "indexer/progress.hpp"

namespace trawl::index {
namespace fs = std::filesystem;

namespace {

// The split settings kMetaSplit records ("words=100 overlap=20"): the fresh
// database records the same, so that a later run over the sources still
// knows its unchanged articles.
corpus::SplitOptions recorded_split(const Xapian::Database& db, const std::string& path) {
    const auto value = db.get_metadata(std::string(format::kMetaSplit));
    const auto split = parse_split_metadata(value);
    if (!split)
        throw IndexFormatError(format::damaged_message(
            path, "its passage split record '" + format::printable(value) + "' is not 'words=N overlap=N'"));
    return *split;
}

// Reads the live passages of `db` in docid order and hands them to `out`
// article by article (an article's passages are consecutive documents of
// one sequence number). `on_passage` is told of each passage read.
class LiveArticles {
public:
    LiveArticles(const Xapian::Database& db, const std::string& path, const format::Deletions& dead)
        : db_(db), path_(path), dead_(dead.docids(db)), content_(db), codec_(format::read_dictionary(db)) {}

    std::uint64_t dead_passages() const { return dead_.size(); }

    template <typename Out, typename OnPassage>
    void read(Out&& out, OnPassage&& on_passage) {
        auto next_dead = dead_.begin();
        StoredArticle current;
        std::uint64_t current_sequence = 0;
        auto flush = [&] {
            if (!current.passages.empty()) out(std::move(current));
            current = StoredArticle{};
        };
        for (auto it = db_.postlist_begin(""); it != db_.postlist_end(""); ++it) {
            const Xapian::docid did = *it;
            while (next_dead != dead_.end() && *next_dead < did) ++next_dead;
            if (next_dead != dead_.end() && *next_dead == did) continue;
            const auto doc = db_.get_document(did, Xapian::DOC_ASSUME_VALID);
            const std::string id = format::article_id_of(doc);
            const std::uint64_t sequence = format::sequence_of(doc);
            if (id != current.article.id || sequence != current_sequence) {
                flush();
                current_sequence = sequence;
            }
            auto data = format::stored_passage(doc);
            auto fields = format::decode_fields(codec_.decompress(data.payload, data.raw_size));
            if (fields.article_id != id)
                throw IndexFormatError(
                    format::damaged_message(path_, "passage " + std::to_string(did) + " stores article '" +
                                                       format::printable(fields.article_id) + "' but is filed under '" +
                                                       format::printable(id) + "'"));
            if (current.passages.empty()) {
                current.article.id = id;
                current.article.title = std::move(fields.title);
                current.article.date = std::move(fields.date);
                current.article.source = std::move(fields.source);
                current.article.location = std::move(fields.location);
                std::string content = content_.of(did);
                if (content.empty())
                    throw IndexFormatError(format::damaged_message(path_, "passage " + std::to_string(did) +
                                                                              " of article '" + format::printable(id) +
                                                                              "' has no content-hash term"));
                current.keys = format::article_keys(current.article, std::move(content));
            }
            corpus::Passage p;
            p.ordinal = data.ordinal;
            p.begin = data.begin;
            p.end = data.end;
            p.text = std::move(fields.text);
            current.passages.push_back({std::move(p), std::move(data)});
            on_passage();
        }
        flush();
    }

private:
    const Xapian::Database& db_;
    std::string path_;
    std::vector<Xapian::docid> dead_;  // in docid order
    format::ContentTerms content_;
    format::PassageCodec codec_;
};

// Copies the metadata of `from` that the builder did not write into `to`
// (the shard set of a sharded index, and whatever a later format adds), and
// leaves out the dead-passage record, which no longer applies.
void copy_other_metadata(const Xapian::Database& from, Xapian::WritableDatabase& to) {
    bool changed = false;
    for (auto k = from.metadata_keys_begin(); k != from.metadata_keys_end(); ++k) {
        const std::string key = *k;
        if (key == format::kMetaDeleted || key == format::kMetaNextSequence) continue;
        if (!to.get_metadata(key).empty()) continue;
        to.set_metadata(key, from.get_metadata(key));
        changed = true;
    }
    if (changed) to.commit();
}

void rebuild_database(const std::string& path, const RebuildOptions& opts, Progress* progress, RebuildStats& st) {
    ++st.databases;
    auto old = open_writable(path, Xapian::DB_OPEN);  // holds the lock until the fresh one is in place
    format::check_format(old, path);
    const auto dead = format::Deletions::read(old);
    if (dead.empty()) return;
    if (!replaceable_by_rename(path))
        throw Error(path +
                    ": cannot rebuild here: a rebuild swaps a new directory in beside it, and this one is a mount "
                    "point or its parent directory is not writable (rebuild a copy elsewhere and copy it back, or "
                    "re-index)");
    const std::uint64_t bytes_before = directory_bytes(path);

    BuilderOptions bopts;
    bopts.split = recorded_split(old, path);
    bopts.batch_articles = opts.batch_articles;
    bopts.own_writer_thread = true;
    // When it is to be compacted, the fresh database is written as a new
    // index's is: its passages go into small segments, far cheaper to write
    // than one growing B-tree, all merged by the compaction.
    apply_flush_plan(memory_plan(opts.memory_bytes, 1), bopts, opts.compact ? 1 : 0);
    const Trained kept = read_trained(old);
    const Termlist termlist =
        old.get_metadata(std::string(format::kMetaTermlist)) == "kept" ? Termlist::Keep : Termlist::Omit;

    const std::string temp = sibling_temp_path(path, "rebuild");
    fs::create_directories(temp);
    const std::string written = (fs::path(temp) / "written").string();
    const std::string compacted = (fs::path(temp) / "compacted").string();
    struct RemoveTemp {  // whatever happens: only what this rebuild made
        const std::string& temp;
        ~RemoveTemp() {
            std::error_code ec;
            fs::remove_all(temp, ec);
        }
    } remove_temp{temp};

    LiveArticles live(old, path, dead);
    const std::uint64_t total = old.get_doccount() - std::min<std::uint64_t>(old.get_doccount(), live.dead_passages());
    corpus::Diagnostics diag;
    std::vector<std::string> parts;  // the fresh database, then its segments
    {
        // Synced only when it is the one swapped in (compaction writes a synced copy).
        auto fresh = open_writable(written, opts.compact ? Xapian::DB_NO_SYNC : 0, termlist);
        if (format::read_stem_storage(fresh) != format::read_stem_storage(old))
            throw IndexFormatError(format::damaged_message(path, "its stem storage does not match its termlist"));
        IndexBuilder builder(std::move(fresh), written, bopts, diag);
        builder.use_trained(kept);
        if (progress) progress->phase(Phase::Rebuilding, total);
        std::uint64_t done = 0;
        live.read([&](StoredArticle&& a) { builder.add_stored(std::move(a)); },
                  [&] {
                      if (progress && ++done % 256 == 0)
                          progress->advance(
                              done, std::to_string(done) + " of " + std::to_string(total) + " passages, " + path);
                  });
        if (progress) progress->phase(Phase::Committing);
        builder.finish();
        copy_other_metadata(old, builder.database());
        parts = builder.database_paths();
        const auto& s = builder.stats();
        st.articles += s.articles;
        st.passages += s.passages;
    }
    st.dead_passages += live.dead_passages();
    fault_point("rebuild-before-swap");
    std::string ready = written;
    if (opts.compact) {
        Xapian::Database all;
        for (const auto& p : parts) all.add_database(Xapian::Database(p));
        compact_to(all, compacted, table_progress(progress, Phase::Compacting, parts));
        ready = compacted;
    }
    exchange_paths(ready, path);  // the old database is now at `ready`
    fault_point("rebuild-after-swap");
    old.close();
    st.bytes_before += bytes_before;
    st.bytes_after += directory_bytes(path);
    ++st.rebuilt;
}

}  // namespace

RebuildStats rebuild_index(const std::string& path, const RebuildOptions& opts, Progress* progress) {
    // As every other write to one shard of a set on its own.
    if (!format::is_sharded(path))
        refuse_shard_of_a_set(path, "rebuild", "which rebuilds each of its shards that has dead passages");
    RebuildStats st;
    for (const auto& db : format::shard_paths(path)) {
        // The database where it really is: an index path that is a symbolic
        // link keeps pointing at the rebuilt index (an exchange of names
        // would put the new directory in the link's place and leave the old
        // index, deleted text and all, where the link pointed).
        std::error_code ec;
        const std::string real = fs::is_symlink(db, ec) ? fs::canonical(db, ec).string() : db;
        try {
            rebuild_database(real.empty() ? db : real, opts, progress, st);
        } catch (const Xapian::DatabaseCorruptError& e) {
            throw IndexFormatError(format::damaged_message(db, e.get_msg()));
        }
    }
    return st;
}

}  // namespace trawl::index
