// IndexBuilder: articles -> passages -> Xapian documents, committed in
// batches of whole articles. Re-adding an article id replaces its passages.
// With BuilderOptions::own_writer_thread, Xapian's side (adding the
// documents, marking replaced passages dead, the batch's metadata and commit)
// runs on a thread of its own (write_queue.hpp), in the same order: the
// caller's thread goes on cutting and compressing the next passages.
// What a passage document holds is format/passage_document.hpp's; the whole
// trawl-index job (read, clean, build, summarise) is index_job.hpp's.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "corpus/base/article.hpp"
#include "corpus/base/diagnostics.hpp"
#include "corpus/text/passage_splitter.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/stems.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/training_hold.hpp"
#include "indexer/write_queue.hpp"

namespace trawl::index {

struct BuildStats {
    std::uint64_t articles = 0;           // articles indexed in this run
    std::uint64_t passages = 0;           // passages indexed in this run
    std::uint64_t replaced = 0;           // articles that replaced an earlier version
    std::uint64_t removed = 0;            // earlier versions removed by remove()
    std::uint64_t restored = 0;           // articles indexed from their twin records (restore()), not in `articles`
    std::uint64_t restored_passages = 0;  // their passages, not in `passages`
    std::uint64_t text_bytes = 0;         // title + body bytes of indexed articles
    std::uint64_t stored_raw = 0;         // stored-field bytes before compression
    std::uint64_t stored_compressed = 0;  // ... after
    std::uint64_t commits = 0;
    bool dictionary_trained = false;   // this run trained the index's dictionary
    std::size_t dictionary_bytes = 0;  // size of the index's dictionary (0 = none)
};

// What a new index settles from its first passages and keeps for good: the
// zstd dictionary its passages are compressed with ("" = none) and the words
// that keep their positions (format/positions.hpp).
struct Trained {
    std::string dictionary;
    format::PositionalWords positional;
    // The --positional-share that chose `positional` (kMetaPositionalShare),
    // "" when it keeps every word's positions or the index does not record it.
    std::string positional_share{};
};
// What `db` settled (its kMetaDictionary, kMetaPositions, kMetaStopWords and
// kMetaPositionalShare).
Trained read_trained(const Xapian::Database& db);
// Lets another thread read a database while its writers commit to it
// (IndexPipeline's lookups in what earlier runs indexed). Xapian keeps the
// latest commit's blocks intact until the next commit, but a reader still on
// an older revision reads blocks the writer now reuses: DatabaseModifiedError,
// or worse, a block of the wrong kind (DatabaseCorruptError). So the reader
// reads under a shared lock, first reopening when a commit has come since it
// last looked; and each writer, once it has committed, waits for that lock to
// be free before it writes again, so that no read of the revision before is
// still going on.
class CommitGate {
public:
    // The writer, after each commit (on its thread).
    void committed() {
        commits_.fetch_add(1, std::memory_order_release);
        std::unique_lock wait_for_readers(mutex_);
    }
    // The reader: runs `read` with the commit count seen (to reopen when it
    // has changed since the last read), under the lock that committed() waits for.
    template <class Read>
    decltype(auto) read(Read&& read) {
        std::shared_lock lock(mutex_);
        return read(commits_.load(std::memory_order_acquire));
    }

private:
    std::shared_mutex mutex_;
    std::atomic<std::uint64_t> commits_{0};
};

struct BuilderOptions {
    corpus::SplitOptions split;
    std::uint32_t batch_articles = 2000;
    int zstd_level = 3;  // zstd's own default: level 6 cost 10% more indexing CPU for 1.3% less disk (bench/RESULTS.md,
                         // "Issue 10, fourth round")
    // Stored-field bytes collected before training the dictionary (new indexes).
    std::size_t dictionary_sample_bytes = 4u << 20;
    // Positions for every word, or for the frequent ones (format/positions.hpp).
    format::PositionsMode positions = format::PositionsMode::Frequent;
    double positional_share = format::kPositionalShare;
    // Hand the documents to Xapian on a thread of the builder's own
    // (write_queue.hpp) instead of on the caller's: what is written, and
    // when it is committed, is the same.
    bool own_writer_thread = false;
    // What may wait for that thread (documents weighed by their terms and
    // compressed text; write_queue.hpp).
    std::size_t writer_queue_bytes = std::size_t{16} << 20;
    // Xapian buffers the documents added since its last flush, which comes
    // every `flush_docs` documents (XAPIAN_FLUSH_THRESHOLD) or at a commit.
    // When those documents hold more than `flush_terms` terms (passages of
    // huge titles, whole long articles with --passage-words 0) the batch is
    // committed at the article's end, so that buffer stays within the memory
    // budget (IndexPipeline sets both from it). 0: no such limit.
    std::uint32_t flush_docs = 10000;
    std::size_t flush_terms = 0;
    // Set: a new (empty) index uses this dictionary and these positional words
    // instead of training them; the parallel build trains once and gives every
    // shard the same. An index that has documents or a dictionary keeps its own.
    std::optional<Trained> trained;
    // Set: the database is read on another thread while it is written
    // (CommitGate); every commit goes through it.
    std::shared_ptr<CommitGate> commit_gate;
    // > 0: the passages go into segments, fresh databases next to the
    // builder's own (its path + ".segN", IndexBuilder::database_paths()),
    // each closed once it holds its share: this many passages, doubled after
    // every kSegmentsPerSize segments (so that a huge input makes a few dozen,
    // not thousands). The builder's own database keeps the metadata (stamp,
    // dictionary, dead passages, twin records). Only for a database that is
    // merged by compaction with its segments when complete, and thrown away
    // if the run dies: a new index's temporary shards (index_pipeline.hpp).
    // Why: each flush of Xapian's buffer merges every term's new postings
    // into the B-tree, reading and rewriting the blocks they land in; into a
    // small fresh tree that costs far less than into the whole index
    // (bench/RESULTS.md, "Segments").
    std::uint32_t segment_passages = 0;
};
inline constexpr unsigned kSegmentsPerSize = 8;

// An article as an index stores it (indexer/rebuild.hpp): its fields (no
// body), its keys, and each passage as it was cut with its stored record,
// whose compressed payload is written again as it is.
struct StoredArticle {
    struct Passage {
        corpus::Passage passage;  // ordinal, span and text
        format::DocData data;     // the record, payload compressed with the index's dictionary
    };
    corpus::Article article;
    format::ArticleKeys keys;
    std::vector<Passage> passages;
};

// Trains both on the stored_fields() records of the first passages.
Trained train_on(std::span<const std::string> samples, const BuilderOptions& opts);

class IndexBuilder {
public:
    // Opens or creates the index at `path`. Throws IndexFormatError for an index
    // of another format, trawl::Error when it is locked by another writer.
    IndexBuilder(const std::string& path, BuilderOptions opts, corpus::Diagnostics& diag);
    // Writes into an index the caller has opened (and so locked); `path` names it in messages.
    IndexBuilder(Xapian::WritableDatabase db, const std::string& path, BuilderOptions opts, corpus::Diagnostics& diag);
    ~IndexBuilder();  // cancels an unfinished batch (completed ones are committed); finish() commits all
    IndexBuilder(const IndexBuilder&) = delete;
    IndexBuilder& operator=(const IndexBuilder&) = delete;

    // Adds (or replaces) one article. A title-only article (empty body) is
    // one empty passage that its title finds. Records that cannot be indexed
    // (bad id, neither title nor text) are reported to the diagnostics and skipped. This is the
    // per-article step: in a parallel build it runs on the worker that owns
    // the article's shard, so per-article processing added here runs in parallel.
    void add(const corpus::Article& article);
    // Adds an article another index of this dictionary and these positional
    // words stored (use_trained() with them first): the same documents, the
    // records written again without compressing anything. An id already
    // added in this run replaces the earlier article, as add() does.
    void add_stored(StoredArticle article);
    // Records the live passages of article `id` as dead, in the open batch
    // (its transaction), as --delete does: for an article this run skips as
    // a duplicate of another article, whose earlier version must go.
    void remove(const std::string& id);
    // Records article `id`, skipped as a duplicate, as a twin
    // (format/twins.hpp: `record` is its encode_twin()), in the open batch;
    // replaces an earlier record of the id. Not when this run added the id:
    // that version stays (as remove() leaves it).
    void add_twin(const std::string& id, std::string record);
    // Indexes `article` from its twin record (indexer/twins.hpp) and drops
    // the record, in one batch; counted as restored, not in articles.
    void restore(const corpus::Article& article);
    // Drops article `id`'s twin record, in the open batch.
    void drop_twin(const std::string& id);
    // For a new index: use `trained` instead of training it (the parallel
    // build trains once for all shards). Call before add(). An index that
    // has documents or a dictionary keeps its own.
    void use_trained(const Trained& trained);
    // True when this index has no documents and no dictionary: the next
    // add()s would train one.
    bool wants_dictionary() const { return !codec_; }
    // The dictionary and positional words this index compresses and indexes
    // with, once settled (!wants_dictionary()): what every passage it holds
    // or is given was written with.
    Trained trained() const { return {codec_ ? codec_->dictionary() : std::string(), positional_, positional_share_}; }
    // Whether the database held documents when opened, and the passage
    // split its last commit recorded then (kMetaSplit, "" when none).
    bool had_documents() const { return db_had_docs_; }
    const std::string& recorded_split() const { return recorded_split_; }
    // Commits everything added so far. Must be called; the destructor does not commit.
    void finish();
    // Commits the open batch now, when one is open (trawl-index --stream
    // when its input pauses: --commit-idle). Articles held back until the
    // dictionary is trained stay held.
    void commit() { commit_batch(); }
    // The same, and returns once the commit is done (the writer's thread has
    // applied it): what it wrote can be read from the database's path.
    void commit_now();
    // Articles the open batch adds (restored ones included): 0 when it only
    // deletes and records twins.
    std::uint32_t batch_articles() const { return batch_count_; }
    // Batches committed (or handed to the writer to commit) so far.
    std::uint64_t commits_made() const { return commits_; }
    // Articles in the batches committed so far (or handed to the writer to
    // commit; the destructor lets it finish those).
    std::uint64_t committed_articles() const { return committed_articles_; }

    // Complete after finish(); before it, `replaced` and `commits` (the
    // writer's) are 0.
    const BuildStats& stats() const { return stats_; }
    // Articles and passages accepted so far, including those waiting for the
    // dictionary to be trained (for progress; stats() counts what was written).
    std::uint64_t articles_accepted() const { return accepted_articles_; }
    std::uint64_t passages_accepted() const { return accepted_passages_; }
    // Live passages in the database and its segments (committed or not),
    // dead ones left out; after finish().
    Xapian::doccount doc_count() const {
        const std::uint64_t all = db_.get_doccount() + segment_docs_;
        return static_cast<Xapian::doccount>(all - std::min<std::uint64_t>(deleted_.passages(), all));
    }
    const std::string& path() const { return path_; }
    // The database written to (to compact it once finished).
    Xapian::WritableDatabase& database() { return db_; }
    // The databases this builder's index is made of, after finish(): its own
    // (the metadata; first, as a merge must read it) and its segments
    // (BuilderOptions::segment_passages), in the order they were written.
    std::vector<std::string> database_paths() const;
    // Them, open for reading at their last commit (one database: path()).
    Xapian::Database open_committed() const;

private:
    struct Pending;           // an accepted article, its documents not built yet
    struct WriteOp;           // what the writer does to the database (index_builder.cpp)
    void apply(WriteOp& op);  // on the writer's thread
    // Where the next passage goes: db_, or the open segment (opened when none is).
    Xapian::WritableDatabase& passage_database();
    void close_segment();  // commits it (room checked) and closes it
    // Passages the open segment takes (the caller's count: segment_fill_).
    std::uint64_t segment_limit() const;
    // db_ and every segment, uncommitted changes included (the writer's lookups).
    Xapian::Database passages_so_far();
    void write(WriteOp op);
    void add_article(const corpus::Article& a, bool restored);
    void index_article(const corpus::Article& a, std::vector<corpus::Passage>&& passages, bool restored);
    void accept(Pending& p);  // replace or not, counts
    void write_article(Pending& p);
    void train_and_flush_pending();
    // kMetaDictionary (unless empty), kMetaPositions, kMetaStopWords,
    // kMetaPositionalShare (unless unknown).
    std::vector<std::pair<std::string, std::string>> trained_metadata(const std::string& dictionary) const;
    void commit_batch();
    void init();
    // Compresses with `trained`'s dictionary and keeps its positional words.
    void settle(Trained trained);

    std::string path_;
    BuilderOptions opts_;
    corpus::Diagnostics& diag_;
    Xapian::WritableDatabase db_;
    std::optional<format::PassageDocumentMaker> maker_;  // set by init() for the index's stem storage
    std::optional<format::StemTableWriter> stem_table_;  // a Synonyms index's new words (stems.hpp)
    corpus::PassageSplitter splitter_;
    std::unique_ptr<format::PassageCodec> codec_;  // null until the dictionary question is settled
    std::unique_ptr<TrainingHold<Pending>> held_;  // articles waiting for the dictionary (training_hold.hpp)
    bool db_had_docs_ = false;
    std::string recorded_split_;          // kMetaSplit as opened
    bool trained_unwritten_ = false;      // opts.trained to store with the first commit
    format::PositionalWords positional_;  // settled with codec_
    std::string positional_share_;        // likewise (Trained::positional_share)
    bool in_batch_ = false;               // written to since the last commit (the caller's view)
    std::uint32_t batch_count_ = 0;
    std::uint32_t docs_since_flush_ = 0;  // as Xapian counts them (BuilderOptions::flush_docs)
    std::size_t terms_since_flush_ = 0;
    std::uint64_t commits_ = 0;  // commits handed to the writer
    std::uint64_t committed_articles_ = 0;
    std::uint64_t accepted_articles_ = 0;
    std::uint64_t accepted_passages_ = 0;
    std::unordered_set<std::uint64_t> seen_;          // hashes of article ids added in this run (restored ones not)
    std::unordered_set<std::uint64_t> restored_ids_;  // and of those restored from twin records
    // Twin records (format/twins.hpp): whether the database had any when
    // opened, and the ids this run recorded; an article added with its id
    // among them drops its record in the batch that adds it.
    bool db_had_twins_ = false;
    std::unordered_set<std::uint64_t> twinned_;
    std::uint64_t next_sequence_ = 1;  // kSlotSequence of the next article (format/deletions.hpp)
    BuildStats stats_;
    // The writer's (on its thread while writes_ has one; read after finish()).
    format::Deletions deleted_;     // this database's dead passages
    bool deleted_changed_ = false;  // to write with the next commit
    bool transaction_open_ = false;
    // Segments (BuilderOptions::segment_passages): their paths, the last one
    // open while segment_open_; the passages in them, and in the open one.
    std::vector<std::string> segments_;  // under segments_mutex_ (read by open_committed())
    mutable std::mutex segments_mutex_;
    Xapian::WritableDatabase segment_;
    bool segment_open_ = false;
    std::uint64_t segment_docs_ = 0;
    // The caller's: passages written into the open segment, segments closed.
    std::uint64_t segment_fill_ = 0;
    std::uint64_t segments_closed_ = 0;
    Xapian::Database closed_segments_;  // the closed ones, opened for passages_so_far() as needed
    std::size_t closed_segments_read_ = 0;
    std::uint64_t batch_disk_bytes_ = 0;  // what the open transaction adds on disk, roughly
    static constexpr std::uint64_t kDiskBytesPerTerm = 16;
    static constexpr std::uint64_t kMinCommitRoom = std::uint64_t{16} << 20;
    void check_room_to_commit() const;             // throws a disk-full Xapian::DatabaseError
    std::uint64_t replaced_ = 0;                   // articles that replaced an earlier version
    std::uint64_t removed_ = 0;                    // earlier versions remove() found
    std::unique_ptr<WriteQueue<WriteOp>> writes_;  // last: stopped first
};

// The kMetaSplit value of `split`: "words=100 overlap=20".
inline std::string split_metadata(const corpus::SplitOptions& split) {
    return "words=" + std::to_string(split.words) + " overlap=" + std::to_string(split.overlap);
}
// And back; std::nullopt when the value does not start "words=N overlap=N".
std::optional<corpus::SplitOptions> parse_split_metadata(const std::string& value);

// The stored-field records of `a`'s passages (what the dictionary is trained
// on, in the order IndexBuilder collects them); none when `a` would be skipped.
std::vector<std::string> dictionary_samples(const corpus::Article& a, const corpus::PassageSplitter& splitter);

}  // namespace trawl::index
