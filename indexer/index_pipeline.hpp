// IndexPipeline: the building part of the indexing job (index_job.hpp), on N threads.
// The caller's thread reads articles and routes each to the shard its id
// hashes to (format::shard_of); each worker thread owns whole shards and runs
// an IndexBuilder (split, terms, zstd, Xapian) on them, so every article is
// written by one thread, in input order within its shard. Layouts:
//  - one index, new: N temporary shards (one per thread), each writing its
//    passages into segments (BuilderOptions::segment_passages), all merged
//    by Xapian compaction into a fresh directory swapped in at the end;
//    with one thread, its worker builds the passages and its builder's own
//    thread writes them (BuilderOptions::own_writer_thread);
//  - one index already holding documents, or new with --stream, or new on
//    one thread with --no-compact: written in place (batches committed as they fill), compacted
//    at the end if this run created it; the caller's thread builds the
//    passages and the builder's own thread writes them;
//  - --shards N: N shard databases behind a stub (format/shards.hpp) that
//    trawl-query opens as one; each shard written in place.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "indexer/index_builder.hpp"
#include "indexer/progress.hpp"
#include "indexer/training_hold.hpp"

namespace trawl::index {

struct PipelineOptions {
    unsigned threads = 1;  // worker threads, besides the caller's (reading) thread
    unsigned shards = 0;   // 0: keep the index's layout (one index when new); N > 1: N shards
    bool compact = true;   // compact what this run created
    // The run's batches must become searchable as they are committed
    // (--stream): a new index is written in place, not built apart and
    // merged in when complete.
    bool in_place = false;
    // Give a new index Xapian's termlist table (index_dir.hpp, Termlist).
    bool termlist = false;
    // Which settings of a new index the user asked for (--termlist,
    // --positions, --positional-share; not defaults, nor implied by
    // --shards): an index that exists keeps its own, and one that has
    // another is refused before anything is written.
    bool termlist_given = false;
    bool positions_given = false;
    bool positional_share_given = false;
    // Memory budget for the whole job: sizes the read-ahead queues and the
    // Xapian flush threshold (documents buffered per writer). See memory_plan().
    std::size_t memory_bytes = std::size_t(512) << 20;
};

// What a memory budget allows, per database written at once (writer).
struct MemoryPlan {
    unsigned flush_threshold = 10000;    // XAPIAN_FLUSH_THRESHOLD (documents)
    std::size_t flush_terms = 1u << 20;  // BuilderOptions::flush_terms
    std::size_t queue_bytes = 8u << 20;  // article text waiting for each worker
};
MemoryPlan memory_plan(std::size_t budget_bytes, unsigned writers);
// Sets Xapian's flush threshold (the environment variable, unless the user
// set it) and the builder's flush counts from `plan`; before the writers are
// opened. With `segment_writers` > 0, that many writers each write their
// passages into segments (BuilderOptions::segment_passages: a new index's
// temporary shards, a rebuild), all merged at the end, and flush every
// segment_flush_docs() (opts.split set before); with 0, a writer of one
// database flushes at the budget's threshold.
void apply_flush_plan(const MemoryPlan& plan, BuilderOptions& opts, unsigned segment_writers = 0);
// Xapian's flush threshold for a writer of segments (a new index's temporary
// shards, a rebuild's fresh database: BuilderOptions::segment_passages): a
// few MB of inverter, whatever the budget allows (`budget_docs`, the most it
// may be).
unsigned segment_flush_docs(const corpus::SplitOptions& split, unsigned budget_docs);
// The databases a run buffers documents for at once, which share the budget's
// flush memory: every shard (a worker that owns several holds a Xapian buffer
// for each, and each fills its batch only every shards x --batch articles),
// or a new index's temporary shards, one per thread; one when the run adds
// to a single database that already holds documents, whatever --threads.
unsigned buffering_databases(const PipelineOptions& popts, const std::string& path);

class IndexPipeline {
public:
    // Opens or creates the index at `path` (locking it, or its shards).
    // Throws trawl::Error / IndexFormatError / UsageError (a --shards count
    // that contradicts the index), before anything is written: also for a
    // sharded index missing a shard, a path that is one shard of a sharded
    // index (its articles would be indexed in the wrong shards), and
    // settings given for a new index that the index at `path` lacks.
    IndexPipeline(const std::string& path, BuilderOptions opts, PipelineOptions popts, corpus::Diagnostics& diag);
    ~IndexPipeline();  // stops the workers; what was committed stays
    IndexPipeline(const IndexPipeline&) = delete;
    IndexPipeline& operator=(const IndexPipeline&) = delete;

    // Adds (or replaces) one article; rethrows a worker's failure.
    void add(corpus::Article article);
    // The id of an article that an earlier run indexed with this content hash
    // (corpus::content_hash), "" when none; for the cleaner's duplicate check,
    // called on the reading thread. Articles of this run are not looked up
    // (the Deduplicator remembers those).
    // `prefer`: the article being cleaned, returned when it is among them
    // (so that an unchanged article twinned by another id with --dedup off
    // is found unchanged, not replaced at every run).
    std::string article_with_content(std::uint64_t hash, const std::string& prefer = {});
    // The same for article `prefer` as this run read it: its id is returned
    // only when its earlier version also has its date and source (stored
    // with every passage; the content hash folds title and text only), so
    // that a new date or source replaces the article instead of leaving it
    // "unchanged"; then "" is returned even when other articles hold the same
    // content (twins indexed with --dedup off): the content is already the
    // article's own, so it duplicates none of them, as when its date did not
    // change. Decompresses one passage, of that article only.
    std::string article_with_content(std::uint64_t hash, const corpus::Article& prefer);
    // True when earlier runs cut the index's passages as this run does (the
    // same passage words and overlap): an unchanged article would be cut into
    // the same passages again, so it need not be re-indexed.
    bool splits_as_earlier_runs();
    // Removes the earlier runs' version of article `id` (its passages die in
    // the batch this run is writing), when the index holds one: for an
    // article this run skips as a duplicate of another article.
    // Routed as add() routes the id, so it is ordered with that shard's adds.
    void remove(const std::string& id);
    // Records `article`, which this run skips as a duplicate of the article
    // whose content hash is `original`, as a twin (format/twins.hpp) in the
    // database that would hold it, in the batch being written; nothing when
    // an earlier run recorded the same. Call after remove(article.id).
    void twin(const corpus::Article& article, std::uint64_t original);
    // Waits for the workers, commits, restores the orphaned twins
    // (indexer/twins.hpp), merges/compacts. Must be called.
    // After a signal (interrupt.hpp) it abandons the run instead (below) and
    // throws Interrupted.
    void finish();
    // Commits each database's open batch now (trawl-index --stream when its
    // input pauses), in order with the articles added before: at once in
    // one database, by each worker after what is queued for it with shards
    // (waiting for them). Then restores the twins that what was committed
    // left without an original (indexer/twins.hpp), as finish() does, so
    // that a feed that never ends has them searchable too.
    // Nothing for a new index built apart (it appears only when
    // complete) nor while articles are held back for the dictionary.
    void commit_open_batches();
    // trawl-index --stream, after each article: when a batch has been
    // committed since the last look (every --batch articles), commits the
    // other databases' open batches and restores the orphaned twins, as
    // commit_open_batches() does.
    void restore_twins_at_commits();
    // With shards: a worker has articles to write, or has committed a batch
    // since restore_twins_at_commits() last looked (which has then more to
    // do). Always false in one database (the caller's thread writes it).
    bool workers_writing();
    // Stops without finishing (Ctrl-C): the workers stop, each open batch is
    // cancelled, a new index's temporary shards are removed. Returns the
    // articles committed into the index by this run (0 for a new index built
    // in parallel). The destructor does this when finish() was not called.
    std::uint64_t abandon() noexcept;
    // Where the phases the pipeline enters (training the dictionary,
    // committing, merging shards, compacting) are shown; may be null. Used on
    // the caller's thread only.
    void set_progress(Progress* progress) { progress_ = progress; }

    // Summed over shards; complete after finish().
    BuildStats stats() const;
    std::uint64_t articles_accepted() const;
    std::uint64_t passages_accepted() const;
    Xapian::doccount doc_count() const { return doc_count_; }  // after finish()
    // "1 database", "1 database, merged from 2 shards", "4 shards" — for the summary.
    std::string layout() const;
    // Databases written: one per shard (the final index for a single index).
    unsigned shard_count() const { return static_cast<unsigned>(builders_.size()); }

private:
    enum class Mode { Direct, Merge, Sharded };
    struct Item;  // an article to add, an id to remove, or a twin record
    struct Worker;
    Termlist termlist() const { return popts_.termlist ? Termlist::Keep : Termlist::Omit; }
    void open_direct(Xapian::WritableDatabase db);
    void open_merge(Xapian::WritableDatabase target);
    void open_sharded(unsigned shards);
    void make_builders(const std::vector<std::string>& paths, unsigned threads, int db_flags = 0);
    void start_workers();
    void dispatch(Item&& item);
    // Held until the dictionary is trained (need_dictionary_), else dispatched.
    void hold_or_dispatch(Item&& item, std::vector<std::string> samples);
    // The twin record an earlier run left for `id` in its database, "" when none.
    std::string recorded_twin(const std::string& id);
    // Restores orphaned twins (indexer/twins.hpp) in every database written.
    void restore_twins();
    // The same in the middle of a run (--stream), every database's batches
    // committed and the workers idle.
    void restore_twins_mid_run();
    // Batches committed by the builders so far (handed to their writers).
    std::uint64_t commits_made() const;
    // Waits until every worker has done what is queued for it; rethrows a
    // worker's failure.
    void wait_for_workers();
    std::uint64_t commits_at_restore_ = 0;  // commits_made() when twins were last restored
    bool restored_mid_run_ = false;         // restore_twins_mid_run() restored an article
    bool may_have_twins_ = false;           // the index had twin records, or this run wrote one
    // Compacts each shard in place (the shards this run created), a thread per worker.
    void compact_shards();
    void train_dictionary_now();
    // Gives the shards that have settled no dictionary (an earlier run was
    // stopped before it committed to them) the dictionary and positional
    // words of the set's shards that have.
    void adopt_set_training();
    void rethrow_worker_failure();
    bool drained();  // every worker's queue empty (or the worker failed)
    void stop_workers();

    std::string path_;
    Progress* progress_ = nullptr;
    std::string lookup_content(std::uint64_t hash, const std::string& prefer, const corpus::Article* fields);
    // Runs `read` (which reads earlier_) at the index's latest commit, safe
    // from the writers' next ones (CommitGate, opts_.commit_gate).
    template <class Read>
    decltype(auto) read_earlier(Read&& read);
    // The index as earlier runs left it, when it had documents; reopened at
    // this run's commits as they come, since the writers reuse the blocks of
    // the revisions before.
    std::unique_ptr<Xapian::Database> earlier_;
    // Read the stored fields of what earlier runs indexed, one per database
    // written (per shard: each with the dictionary its shard compresses
    // with, its builder's), made on first use.
    std::vector<std::unique_ptr<format::PassageCodec>> earlier_codecs_;
    // The stored fields of passage `docid` of earlier_ (the stub's
    // interleaved document ids), decoded with its own shard's dictionary.
    format::StoredFields earlier_fields(Xapian::docid docid, const Xapian::Document& doc);
    format::Deletions earlier_deleted_;  // its dead passages
    std::uint64_t earlier_commits_ = 0;  // the CommitGate's count it was read at
    BuilderOptions opts_;
    PipelineOptions popts_;
    corpus::Diagnostics& diag_;
    Mode mode_ = Mode::Direct;
    bool created_ = false;  // this run created the index (so compacting it costs no history)
    // The index directory cannot be replaced by a rename (a mount point:
    // index_dir.hpp replaceable_by_rename): a new index is written in it as
    // it stands, on one thread, and not compacted (both swap a directory in).
    bool in_place_ = false;
    std::string temp_dir_;             // Merge: the temporary shards
    Xapian::WritableDatabase target_;  // Merge: holds the target's lock
    std::vector<std::unique_ptr<IndexBuilder>> builders_;
    std::vector<std::unique_ptr<Worker>> workers_;
    // Articles read before the dictionary is trained (shared-dictionary layouts).
    bool need_dictionary_ = false;
    std::unique_ptr<TrainingHold<Item>> held_;
    std::uint64_t released_ = 0;  // articles held_ held, released once trained
    std::unique_ptr<corpus::PassageSplitter> splitter_;
    std::unique_ptr<format::PassageCodec> twin_codec_;  // no dictionary: twin records
    std::unordered_set<std::uint64_t> twinned_;         // id hashes recorded as twins by this run
    // Per shard of a sharded index, the shard as this run found it (made on
    // first use by recorded_twin(): a stub's metadata is its first shard's).
    std::vector<std::unique_ptr<Xapian::Database>> earlier_shards_;
    std::vector<std::uint64_t> earlier_shard_commits_;  // the CommitGate's count each was read at
    Xapian::doccount doc_count_ = 0;
    BuildStats stats_;
    bool finished_ = false;
};

}  // namespace trawl::index
