#include "indexer/index_pipeline.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"
#include "indexer/compaction.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/twins.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/interrupt.hpp"
#include "indexer/run_limits.hpp"
#include "indexer/twins.hpp"

namespace trawl::index {
namespace fs = std::filesystem;

namespace {

// Resident bytes one buffered document costs a Xapian writer (its inverter
// and pending termlist/docdata entries), measured on Reuters passages
// (bench/RESULTS.md, "Memory budget").
constexpr std::size_t kBytesPerBufferedDoc = 8 * 1024;
constexpr std::size_t kBytesPerBufferedTerm = 128;  // a node of Xapian's maps, its string and positions
constexpr std::size_t kMinFlushDocs = 100;
constexpr std::size_t kMaxFlushDocs = 10000;  // Xapian's own default
// A writer's segments start at this many times what the budget lets all
// the writers together buffer (BuilderOptions::segment_passages,
// apply_flush_plan()), though they flush far more often (segment_flush_docs()).
constexpr std::uint32_t kSegmentFlushes = 2;
constexpr std::size_t kMinWriterBytes = 2u << 20;  // memory_plan()'s floors: 2 x kMinFlushDocs x 8 KB, 8 x 256 KB
// A writer of segments flushes its inverter every this many words of
// passages (1,000 passages of 100 words), far below what the budget allows:
// see segment_flush_docs().
constexpr std::size_t kSegmentFlushWords = 100'000;
// What segment_flush_docs() takes an article to hold when it is one passage
// (--passage-words 0).
constexpr std::size_t kWholeArticleWords = 500;

std::size_t article_bytes(const corpus::Article& a) {
    return a.body.size() + a.title.size() + a.id.size() + a.location.size() + a.date.size() + a.source.size() + 64;
}

bool empty_or_missing_dir(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return true;
    return fs::is_directory(path, ec) && fs::is_empty(path, ec);
}

// Settings that only a new index takes (the termlist, which words keep
// positions) asked for on an index that has others: refused, since the
// run would go on without them (xapian-tcpsrv, say, still could not serve it).
void refuse_other_settings(const std::string& path, const PipelineOptions& popts, const BuilderOptions& opts) {
    if (!popts.termlist_given && !popts.positions_given && !popts.positional_share_given) return;
    if (empty_or_missing_dir(path)) return;
    const auto advice = " applies to a new index only (--rebuild keeps an index's settings): index into a new --db";
    for (const auto& db : format::shard_paths(path)) {
        const bool termlist = termlist_of(db) == Termlist::Keep;
        if (popts.termlist_given && popts.termlist && !termlist)
            throw Error(db + ": was created without a termlist; --termlist" + advice);
        Trained kept;
        try {
            Xapian::Database d(db);
            // A database without documents or dictionary still chooses its
            // positional words (IndexBuilder::init).
            if (d.get_doccount() == 0 && format::read_dictionary(d).empty()) continue;
            kept = read_trained(d);
        } catch (const Xapian::Error&) {
            continue;  // the writer says why it cannot open it
        }
        const auto& words = kept.positional;
        const char* has = words.all_words() ? "all" : "frequent";
        const bool all = opts.positions == format::PositionsMode::All;
        if (popts.positions_given && all != words.all_words())
            throw Error(db + ": keeps positions for " + (words.all_words() ? "every word" : "its frequent words") +
                        " (--positions " + has + "); --positions" + advice);
        if (!popts.positional_share_given) continue;
        // The share the index was built with is no contradiction (nor is
        // any share beside --positions all, which chooses no words by it).
        if (words.all_words() ? popts.positions_given && all
                              : kept.positional_share == shortest_decimal(opts.positional_share))
            continue;
        if (words.all_words() || kept.positional_share.empty())
            throw Error(db + ": keeps the positional words it was built with (--positions " + has +
                        (words.all_words() ? "" : "; the share that chose them is not recorded") +
                        "); --positional-share" + advice);
        throw Error(db + ": keeps the positional words --positional-share " + kept.positional_share +
                    " chose; --positional-share" + advice);
    }
}

// What may wait for the writer's thread of a one-database build: a quarter
// of the budget's read-ahead queue, at most 16 MB.
std::size_t direct_writer_queue_bytes(std::size_t memory_bytes) {
    return std::clamp<std::size_t>(memory_plan(memory_bytes, 1).queue_bytes / 4, 64u << 10, 16u << 20);
}

}  // namespace

unsigned buffering_databases(const PipelineOptions& popts, const std::string& path) {
    if (popts.shards > 1) return popts.shards;
    try {
        if (format::is_sharded(path)) return static_cast<unsigned>(format::shard_paths(path).size());
    } catch (const std::exception&) {  // a damaged stub: opening it says why
    }
    if (popts.in_place) return 1;  // one database, written in place (--stream)
    if (popts.threads > 1) {
        try {  // documents already there: the run adds to that one database (open_direct)
            if (Xapian::Database(path).get_doccount() > 0) return 1;
        } catch (const Xapian::Error&) {  // no index yet (or none Xapian opens: the writer says why)
        }
    }
    return std::max(popts.threads, 1u);  // a new index's temporary shards, or one database
}

MemoryPlan memory_plan(std::size_t budget_bytes, unsigned writers) {
    writers = std::max(writers, 1u);
    const std::size_t per_writer = budget_bytes / writers;
    MemoryPlan p;
    // Half of a writer's share for Xapian's buffered documents, an eighth for
    // its read-ahead queue; the rest is the process, zstd and term generation.
    // Up to Xapian's default of 10,000 documents: on a writer's share above
    // ~160 MB it flushes its inverter at each batch's commit (2,000 articles,
    // ~3,800 passages of Reuters) or every 10,000 passages of long articles
    // (a batch of Wikipedia is ~54,000).
    // Each flush merges every term's new postings into its B-tree, reading
    // and rewriting the blocks they land in, and on a big index that is most
    // of the blocks: on a quarter of Wikipedia, flushing every 500 passages
    // made 1.2 M block reads and 1.0 M block writes (8 GB) for a 90 MB table;
    // on all of it, the kernel's share was 44 of 153 CPU seconds. Flushing at
    // the commits took 31% off one-thread CPU there (14% on two threads, whose
    // shards are half the size), the same index, and changed nothing on
    // Reuters (bench/RESULTS.md, "Issue 10, ninth round"). The budget only
    // lowers it.
    // Those 10,000 are shared by the writers, as the budget is: databases
    // written at once (two temporary shards of a two-thread build, the
    // shards of --shards N) hold their inverters' maps side by side in the
    // same caches, and each is 1/N of the index, so N buffers of 10,000/N
    // cost what one of 10,000 does, in cache and in the blocks a flush
    // rewrites per passage. A two-thread Wikipedia build with 10,000 a shard
    // took 8% more CPU and wall time than with 5,000 (bench/RESULTS.md, "Issue 10:
    // the flush threshold shared by the writers").
    const std::size_t most = std::max(kMaxFlushDocs / writers, kMinFlushDocs);
    p.flush_threshold =
        static_cast<unsigned>(std::clamp<std::size_t>(per_writer / 2 / kBytesPerBufferedDoc, kMinFlushDocs, most));
    // The same half in terms, for documents of many terms (kBytesPerBufferedDoc
    // is ~64 of them): at least the minimum flush's worth.
    p.flush_terms = std::max<std::size_t>(per_writer / 2 / kBytesPerBufferedTerm, kMinFlushDocs * 64);
    p.queue_bytes = std::clamp<std::size_t>(per_writer / 8, 256u << 10, 64u << 20);
    return p;
}

namespace {

// An XAPIAN_FLUSH_THRESHOLD the user set (read before the run sets its own),
// as Xapian reads it: its own 10,000 when it is not a positive number.
std::optional<unsigned> users_flush_threshold() {
    static const std::optional<unsigned> docs = []() -> std::optional<unsigned> {
        const char* v = std::getenv("XAPIAN_FLUSH_THRESHOLD");
        if (!v) return std::nullopt;
        const long long n = std::atoll(v);
        return n > 0 ? static_cast<unsigned>(std::min<long long>(n, UINT32_MAX)) : 10000u;
    }();
    return docs;
}

// The flush threshold Xapian reads when Trawl plans `planned`: the user's wins.
unsigned flush_threshold_read(unsigned planned) { return users_flush_threshold().value_or(planned); }

// Xapian reads its flush threshold when a database is opened for writing,
// so this comes before the writers are opened. The builders count what
// Xapian flushes (flush_docs).
void set_flush_threshold(unsigned docs, BuilderOptions& opts) {
    opts.flush_docs = flush_threshold_read(docs);
    if (!users_flush_threshold()) ::setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(docs).c_str(), 1);
}

}  // namespace

void apply_flush_plan(const MemoryPlan& plan, BuilderOptions& opts, unsigned segment_writers) {
    // What the builders count to commit before Xapian's buffer outgrows the budget.
    opts.flush_terms = plan.flush_terms;
    // The budget's threshold (or the user's), which a writer of one database keeps.
    const unsigned budget_docs = flush_threshold_read(plan.flush_threshold);
    if (segment_writers == 0) {
        opts.segment_passages = 0;
        set_flush_threshold(budget_docs, opts);
        return;
    }
    // Segments of twice what the budget lets all the writers together buffer
    // (20,000 passages a writer by default, whatever their number), so that
    // the number of segments (and of files the merge opens at once) does not
    // grow with the threads; their inverters flush far more often than the
    // budget allows, since each flush goes into a small segment.
    opts.segment_passages = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(std::uint64_t{kSegmentFlushes} * budget_docs * segment_writers, UINT32_MAX));
    set_flush_threshold(segment_flush_docs(opts.split, budget_docs), opts);
}

unsigned segment_flush_docs(const corpus::SplitOptions& split, unsigned budget_docs) {
    // A flush into a segment merges into a small B-tree, so what makes a
    // flush dear on a whole index (memory_plan()) costs little here; what
    // costs is the inverter itself: a std::map node per term and one per
    // posting, each added term found by a descent of string compares. Kept
    // to a few MB per writer, those maps stay in the CPU's caches instead of
    // missing to memory at each step (two writers side by side share one
    // L3). Two-thread Wikipedia builds took 13-15% less CPU and wall time
    // flushing every 1,000 passages than every 5,000; 250 and 500 were within
    // the noise of 1,000, with more system time (bench/RESULTS.md,
    // "Thirty-first session").
    const std::size_t words = split.words > 0 ? split.words : kWholeArticleWords;
    return static_cast<unsigned>(std::clamp<std::size_t>(kSegmentFlushWords / words, kMinFlushDocs,
                                                         std::max<std::size_t>(budget_docs, kMinFlushDocs)));
}

struct IndexPipeline::Item {
    enum class Kind {
        Add,     // add(article)
        Remove,  // remove(article.id)
        Twin,    // twin(): article.id's record
        Commit,  // commit_open_batches(): the worker's shards
    };
    Kind kind = Kind::Add;
    unsigned shard = 0;
    corpus::Article article{};  // Remove and Twin: the id only
    std::string record{};       // Twin: format::encode_twin()
    std::size_t bytes() const { return article_bytes(article) + record.size(); }
};

struct IndexPipeline::Worker {
    std::vector<unsigned> shards;  // builders this worker owns
    std::mutex m;
    std::condition_variable ready, room;
    std::deque<Item> queue;
    std::size_t queued_bytes = 0;
    std::size_t capacity = 0;
    bool closing = false;  // no more articles: finish the shards
    bool abort = false;    // stop without finishing
    std::exception_ptr failure;
    std::atomic<bool> failed{false};
    bool busy = false;             // doing an item it took from the queue
    std::condition_variable idle;  // busy went false
    std::atomic<std::uint64_t> articles{0}, passages{0};
    std::atomic<std::uint64_t> commits{0};  // its builders' commits_made()
    std::thread thread;
};

IndexPipeline::IndexPipeline(const std::string& path, BuilderOptions opts, PipelineOptions popts,
                             corpus::Diagnostics& diag)
    : path_(path), opts_(std::move(opts)), popts_(popts), diag_(diag) {
    popts_.threads = std::max(popts_.threads, 1u);
    const auto writers = buffering_databases(popts_, path_);
    // Below this share a writer's smallest flush and read-ahead queue
    // (kMinFlushDocs documents on half of it, the queue's floor on an
    // eighth) would take more than the budget gives it.
    if (popts_.memory_bytes / writers < kMinWriterBytes) {
        const auto need_mb = (std::uint64_t{writers} * kMinWriterBytes + (1u << 20) - 1) >> 20;
        throw UsageError("--memory " + std::to_string(popts_.memory_bytes >> 20) + " is too little for " +
                         std::to_string(writers) + " databases written at once (" +
                         std::to_string(kMinWriterBytes >> 20) + " MB each): give --memory " + std::to_string(need_mb) +
                         " or more, or fewer --shards or --threads");
    }
    // Xapian's flush threshold is set below, with the way the run writes.
    const auto plan = memory_plan(popts_.memory_bytes, writers);
    // A new index's segments are all open at once when they are merged.
    raise_open_file_limit();

    check_index_path(path_);  // before anything is written: never into a directory of the user's
    if (!format::is_sharded(path_))
        refuse_shard_of_a_set(path_, "index into", "which sends each article to its own shard");
    refuse_other_settings(path_, popts_, opts_);
    try {  // a read-only view of what earlier runs indexed (a stub opens as all its shards)
        Xapian::Database earlier(path_);
        if (earlier.get_doccount() > 0) {
            earlier_ = std::make_unique<Xapian::Database>(std::move(earlier));
            earlier_deleted_ = format::Deletions::read_index(path_);
            // Read on this thread while the writers commit (CommitGate).
            opts_.commit_gate = std::make_shared<CommitGate>();
        }
        may_have_twins_ = has_twin_records(format::shard_paths(path_));
    } catch (const Xapian::Error&) {  // no index yet, or none Xapian can open: the writer says why
    }
    if (format::is_sharded(path_) || popts_.shards > 1) {
        apply_flush_plan(plan, opts_);
        open_sharded(popts_.shards);
        return;
    }
    // A new index is built apart and merged (compacted) in when complete,
    // on one thread too: its passages go into small segments, far cheaper to
    // write (open_merge()), whose writers flush far more often than the
    // budget allows (segment_flush_docs()). Not when it is not to be
    // compacted (one thread), nor when its batches are to be searchable as
    // they come (--stream), nor where the index cannot be swapped in by a
    // rename. Decided before the database is opened for writing, since
    // Xapian reads its flush threshold then.
    const bool apart =
        !earlier_ && !popts_.in_place && (popts_.threads > 1 || popts_.compact) && replaceable_by_rename(path_);
    apply_flush_plan(plan, opts_, apart ? popts_.threads : 0);
    // A new index is an empty, stamped Trawl index from the start
    // (open_writable), so that a run killed before its first commit (or
    // before the merged index is swapped in) leaves an index trawl-query opens.
    auto db = open_writable(path_, 0, termlist());
    format::check_format(db, path_);
    created_ = db.get_doccount() == 0;
    in_place_ = !replaceable_by_rename(path_);
    // Checked again now that the database is locked: another run may have
    // added documents since (its documents are then added to, without
    // segments, at the segments' flush threshold, which only costs time).
    if (apart && created_ && !in_place_) open_merge(std::move(db));
    else open_direct(std::move(db));
}

IndexPipeline::~IndexPipeline() { abandon(); }

std::uint64_t IndexPipeline::abandon() noexcept {
    if (finished_) return 0;
    finished_ = true;
    for (auto& w : workers_) {
        std::lock_guard l(w->m);
        w->abort = true;
        w->closing = true;
    }
    stop_workers();
    // Only what reached the index itself counts: a new index's temporary
    // shards go.
    std::uint64_t committed = 0;
    if (mode_ != Mode::Merge)
        for (const auto& b : builders_) committed += b->committed_articles();
    builders_.clear();  // cancels unfinished batches
    if (!temp_dir_.empty()) {
        std::error_code ec;
        fs::remove_all(temp_dir_, ec);
        temp_dir_.clear();
    }
    return committed;
}

void IndexPipeline::commit_open_batches() {
    if (finished_) return;
    if (mode_ == Mode::Direct) {
        builders_.front()->commit_now();
        if (may_have_twins_) restore_twins_mid_run();
        return;
    }
    if (mode_ == Mode::Merge || need_dictionary_) return;
    for (auto& w : workers_) {
        std::unique_lock l(w->m);
        if (w->failed) {
            l.unlock();
            rethrow_worker_failure();
        }
        Item item{.kind = Item::Kind::Commit};
        w->queued_bytes += item.bytes();
        w->queue.push_back(std::move(item));
        l.unlock();
        w->ready.notify_one();
    }
    if (!may_have_twins_) return;
    wait_for_workers();
    restore_twins_mid_run();
}

void IndexPipeline::restore_twins_at_commits() {
    if (finished_ || mode_ == Mode::Merge || !may_have_twins_ || commits_made() == commits_at_restore_) return;
    commit_open_batches();
}

bool IndexPipeline::workers_writing() {
    if (finished_ || mode_ != Mode::Sharded || need_dictionary_ || !may_have_twins_) return false;
    for (auto& w : workers_) {
        std::lock_guard l(w->m);
        if (!w->failed && (w->busy || !w->queue.empty())) return true;
    }
    return commits_made() != commits_at_restore_;
}

std::uint64_t IndexPipeline::commits_made() const {
    if (mode_ == Mode::Direct) return builders_.front()->commits_made();
    std::uint64_t n = 0;
    for (const auto& w : workers_) n += w->commits.load(std::memory_order_relaxed);
    return n;
}

void IndexPipeline::wait_for_workers() {
    for (auto& w : workers_) {
        std::unique_lock l(w->m);
        w->idle.wait(l, [&] { return w->failed || (w->queue.empty() && !w->busy); });
        if (w->failed) {
            l.unlock();
            rethrow_worker_failure();
        }
    }
}

void IndexPipeline::restore_twins_mid_run() {
    // Articles held back for the dictionary are not in the index yet: a
    // twin of one of them is not orphaned (finish() looks again).
    if (need_dictionary_ ||
        std::any_of(builders_.begin(), builders_.end(), [](const auto& b) { return b->wants_dictionary(); }))
        return;
    // The workers wait for the next item (wait_for_workers()): the builders
    // are this thread's until it dispatches one.
    std::vector<IndexBuilder*> builders;
    for (auto& b : builders_) builders.push_back(b.get());
    if (restore_orphaned_twins(builders, {.mid_run = true}) > 0) restored_mid_run_ = true;
    if (mode_ != Mode::Direct)  // the workers' counts as of now, restores included
        for (auto& w : workers_) {
            std::uint64_t commits = 0;
            for (unsigned s : w->shards) commits += builders_[s]->commits_made();
            w->commits.store(commits, std::memory_order_relaxed);
        }
    commits_at_restore_ = commits_made();
}

template <class Read>
decltype(auto) IndexPipeline::read_earlier(Read&& read) {
    return opts_.commit_gate->read([&](std::uint64_t commits) -> decltype(auto) {
        if (commits != earlier_commits_) {
            // This run has committed since the last read: read its latest
            // commit (the one before may be overwritten now). Its own articles
            // do not disturb the lookups: the cleaner checks its in-memory set
            // first and skips its own id.
            earlier_->reopen();
            earlier_deleted_ = format::Deletions::read_index(path_);
            earlier_commits_ = commits;
        }
        return read();
    });
}

std::string IndexPipeline::article_with_content(std::uint64_t hash, const std::string& prefer) {
    return lookup_content(hash, prefer, nullptr);
}

std::string IndexPipeline::article_with_content(std::uint64_t hash, const corpus::Article& prefer) {
    return lookup_content(hash, prefer.id, &prefer);
}

std::string IndexPipeline::lookup_content(std::uint64_t hash, const std::string& prefer,
                                          const corpus::Article* fields) {
    if (!earlier_) return {};
    return read_earlier([&] {
        // Whether passage `doc` of article `prefer` stores the date and source of `fields`.
        const auto same_fields = [&](Xapian::docid docid, const Xapian::Document& doc) {
            if (!fields) return true;
            const auto stored = earlier_fields(docid, doc);
            return stored.date == fields->date && stored.source == fields->source;
        };
        const std::string term = format::content_term(hash);
        std::string first;
        bool prefer_changed = false;
        for (auto pl = earlier_->postlist_begin(term); pl != earlier_->postlist_end(term); ++pl) {
            const auto doc = earlier_->get_document(*pl, Xapian::DOC_ASSUME_VALID);
            auto id = format::article_id_of(doc);
            if (earlier_deleted_.covers(id, format::sequence_of(doc))) continue;  // a dead passage
            if (prefer.empty()) return id;
            if (id == prefer) {
                if (!prefer_changed && same_fields(*pl, doc)) return id;
                prefer_changed = true;  // (its other passages store the same)
                continue;               // a new date or source: a replace, not unchanged
            }
            if (first.empty()) first = std::move(id);
        }
        // `prefer` already holds this content under its own id, with
        // another date or source: a replace, whoever else holds it (a
        // twin indexed with --dedup off is not its original).
        if (prefer_changed) return std::string();
        return first;
    });
}

format::StoredFields IndexPipeline::earlier_fields(Xapian::docid docid, const Xapian::Document& doc) {
    // A stub's metadata is its first shard's: each shard's passages are
    // read with the dictionary of their own shard, which its builder
    // compresses with (adopt_set_training(): the set's one dictionary, or,
    // in a set an older trawl-index left with several, the shard's own).
    const auto shards = static_cast<unsigned>(builders_.size());
    const unsigned shard = mode_ == Mode::Sharded ? format::shard_of_docid(docid, shards) : 0;
    if (earlier_codecs_.size() != shards) earlier_codecs_.resize(shards);
    auto& codec = earlier_codecs_[shard];
    if (!codec) codec = std::make_unique<format::PassageCodec>(builders_[shard]->trained().dictionary);
    const auto data = format::stored_passage(doc);
    try {
        return format::decode_fields(codec->decompress(data.payload, data.raw_size));
    } catch (const IndexFormatError& e) {
        throw IndexFormatError(format::damaged_message(
            builders_[shard]->path(), "passage " + std::to_string(docid) + " of article '" +
                                          format::printable(format::article_id_of(doc)) + "': " + e.what()));
    }
}

bool IndexPipeline::splits_as_earlier_runs() {
    // Every database that held documents, each as its last commit recorded
    // (a shard an earlier run was stopped before committing to records none).
    if (!earlier_ || builders_.empty()) return false;
    const auto split = split_metadata(opts_.split);
    return std::all_of(builders_.begin(), builders_.end(),
                       [&](const auto& b) { return !b->had_documents() || b->recorded_split() == split; });
}

void IndexPipeline::open_direct(Xapian::WritableDatabase db) {
    mode_ = Mode::Direct;
    // The caller's thread reads, cleans and builds the passages; Xapian
    // writes them on the builder's thread (see the header).
    auto opts = opts_;
    opts.segment_passages = 0;  // written in place
    opts.own_writer_thread = true;
    opts.writer_queue_bytes = direct_writer_queue_bytes(popts_.memory_bytes);
    builders_.push_back(std::make_unique<IndexBuilder>(std::move(db), path_, std::move(opts), diag_));
}

void IndexPipeline::open_merge(Xapian::WritableDatabase target) {
    mode_ = Mode::Merge;
    target_ = std::move(target);  // held (and so locked) until the merged index replaces it
    temp_dir_ = sibling_temp_path(path_, "build");
    fs::create_directories(temp_dir_);
    std::vector<std::string> paths;
    for (unsigned i = 0; i < popts_.threads; ++i)
        paths.push_back((fs::path(temp_dir_) / format::shard_dir_name(i)).string());
    // Temporary shards are thrown away if the run dies, so syncing them to
    // disk buys nothing (the compacted index is synced). They still commit
    // every --batch articles: one commit at the end, with Xapian buffering up
    // to its flush threshold, took 38% more CPU on Reuters (bench/RESULTS.md,
    // "Batch size and flush threshold").
    // Each writes its passages into segments (BuilderOptions::segment_passages,
    // set with the flush threshold by the constructor: apply_flush_plan()),
    // all merged at the end.
    if (popts_.threads == 1) {
        // One worker builds the passages, its builder's own thread writes
        // them, as in one database (open_direct()): the reading thread only reads.
        opts_.own_writer_thread = true;
        opts_.writer_queue_bytes = direct_writer_queue_bytes(popts_.memory_bytes);
    }
    make_builders(paths, popts_.threads, Xapian::DB_NO_SYNC);
    // An index with documents keeps its dictionary (or its lack of one) and
    // its positional words, as IndexBuilder does.
    if (!format::read_dictionary(target_).empty() || target_.get_doccount() > 0) {
        const Trained kept = read_trained(target_);
        for (auto& b : builders_) b->use_trained(kept);
    } else {
        need_dictionary_ = true;
    }
    if (!need_dictionary_) start_workers();
}

void IndexPipeline::open_sharded(unsigned shards) {
    mode_ = Mode::Sharded;
    if (!format::is_sharded(path_)) {
        if (!empty_or_missing_dir(path_))
            throw UsageError(path_ + " is an index of one database (or not empty): --shards " + std::to_string(shards) +
                             " needs a new directory or an index of that many shards");
        if (!replaceable_by_rename(path_)) {
            // A mount point: shards and stub are made in it, marked
            // incomplete until the stub is written (index_dir.hpp).
            mark_incomplete(path_);
            for (unsigned i = 0; i < shards; ++i)
                open_writable((fs::path(path_) / format::shard_dir_name(i)).string(), 0, termlist());
            format::write_shard_set(path_, shards);
            format::write_stub(path_, shards);
            unmark_incomplete(path_);
        } else {
            // Shards and stub are made next door and moved in together: whoever
            // opens the path sees nothing or a whole (empty) sharded index.
            make_parent_dirs(path_);
            const auto tmp = sibling_temp_path(path_, "new");
            fs::create_directories(tmp);
            for (unsigned i = 0; i < shards; ++i) {
                open_writable((fs::path(tmp) / format::shard_dir_name(i)).string(), 0, termlist());  // created stamped
            }
            format::write_shard_set(tmp, shards);
            format::write_stub(tmp, shards);
            std::error_code ec;
            if (fs::exists(path_, ec)) fs::remove(path_, ec);  // an empty directory
            if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
                const int saved = errno;
                fs::remove_all(tmp, ec);
                throw Error(path_ + ": cannot create the sharded index: " + std::strerror(saved));
            }
        }
        created_ = true;
    }
    const auto paths = format::shard_paths(path_);
    if (shards > 0 && paths.size() != shards)
        throw UsageError(path_ + " has " + std::to_string(paths.size()) + " shards, not --shards " +
                         std::to_string(shards));
    // The shards of an index that exists are opened, never created
    // (check_index_path() has refused a stub that lists a missing one).
    make_builders(paths, std::min<unsigned>(popts_.threads, static_cast<unsigned>(paths.size())),
                  created_ ? 0 : Xapian::DB_OPEN);
    remove_leftovers(path_);  // every shard is locked now
    adopt_set_training();
    need_dictionary_ =
        std::all_of(builders_.begin(), builders_.end(), [](const auto& b) { return b->wants_dictionary(); });
    if (!need_dictionary_) start_workers();
}

void IndexPipeline::make_builders(const std::vector<std::string>& paths, unsigned threads, int db_flags) {
    // Every builder reports into the job's diagnostics, which take one
    // report at a time (the reading thread reports into them too).
    for (const auto& p : paths)
        builders_.push_back(std::make_unique<IndexBuilder>(open_writable(p, db_flags, termlist()), p, opts_, diag_));
    const auto plan = memory_plan(popts_.memory_bytes, threads);
    for (unsigned w = 0; w < threads; ++w) {
        workers_.push_back(std::make_unique<Worker>());
        workers_.back()->capacity = plan.queue_bytes;
    }
    for (unsigned s = 0; s < paths.size(); ++s) workers_[s % threads]->shards.push_back(s);
    splitter_ = std::make_unique<corpus::PassageSplitter>(opts_.split);
    held_ = std::make_unique<TrainingHold<Item>>(opts_.dictionary_sample_bytes);
}

void IndexPipeline::start_workers() {
    for (auto& wp : workers_) {
        Worker* w = wp.get();
        w->thread = std::thread([this, w] {
            try {
                for (;;) {
                    std::unique_lock l(w->m);
                    w->ready.wait(l, [w] { return !w->queue.empty() || w->closing; });
                    if (w->abort) return;
                    if (w->queue.empty()) break;  // closing and drained
                    auto item = std::move(w->queue.front());
                    w->queue.pop_front();
                    w->queued_bytes -= item.bytes();
                    w->busy = true;
                    l.unlock();
                    w->room.notify_one();
                    auto& b = *builders_[item.shard];
                    switch (item.kind) {
                        case Item::Kind::Add:
                            b.add(item.article);
                            break;
                        case Item::Kind::Remove:
                            b.remove(item.article.id);
                            break;
                        case Item::Kind::Twin:
                            b.add_twin(item.article.id, std::move(item.record));
                            break;
                        case Item::Kind::Commit:
                            for (unsigned sh : w->shards) builders_[sh]->commit_now();
                            break;
                    }
                    std::uint64_t arts = 0, pass = 0, commits = 0;
                    for (unsigned s : w->shards) {
                        arts += builders_[s]->articles_accepted();
                        pass += builders_[s]->passages_accepted();
                        commits += builders_[s]->commits_made();
                    }
                    w->articles.store(arts, std::memory_order_relaxed);
                    w->passages.store(pass, std::memory_order_relaxed);
                    w->commits.store(commits, std::memory_order_relaxed);
                    {
                        std::lock_guard done(w->m);
                        w->busy = false;
                    }
                    w->idle.notify_all();
                }
                // Commit in parallel (twins are restored and shards this
                // run created compacted once every shard is committed).
                for (unsigned s : w->shards) builders_[s]->finish();
            } catch (...) {
                std::lock_guard l(w->m);
                w->failure = std::current_exception();
                w->failed = true;
                w->room.notify_all();
                w->idle.notify_all();
            }
        });
    }
}

void IndexPipeline::dispatch(Item&& item) {
    const unsigned shard = format::shard_of(item.article.id, static_cast<unsigned>(builders_.size()));
    Worker& w = *workers_[shard % workers_.size()];
    const auto bytes = item.bytes();
    std::unique_lock l(w.m);
    // An article larger than the queue still goes through, alone.
    w.room.wait(l, [&] { return w.failed || w.queued_bytes == 0 || w.queued_bytes + bytes <= w.capacity; });
    if (w.failed) {
        l.unlock();
        rethrow_worker_failure();
    }
    item.shard = shard;
    w.queue.push_back(std::move(item));
    w.queued_bytes += bytes;
    l.unlock();
    w.ready.notify_one();
}

void IndexPipeline::add(corpus::Article a) {
    if (mode_ == Mode::Direct) {
        builders_.front()->add(a);
        return;
    }
    std::vector<std::string> samples;
    if (need_dictionary_) samples = dictionary_samples(a, *splitter_);
    hold_or_dispatch({.kind = Item::Kind::Add, .article = std::move(a)}, std::move(samples));
}

void IndexPipeline::hold_or_dispatch(Item&& item, std::vector<std::string> samples) {
    if (need_dictionary_) {
        // Hold articles until the first sample is complete (as IndexBuilder
        // does), so that every shard compresses with the same dictionary;
        // twin records with them, in their order, as the workers are not
        // started (their bytes count towards the hold's bound).
        const std::size_t bytes = item.article.title.size() + item.article.body.size() + item.record.size();
        if (held_->hold(std::move(item), std::move(samples), bytes)) {
            train_dictionary_now();
            if (progress_) progress_->resume();
        }
        return;
    }
    dispatch(std::move(item));
}

void IndexPipeline::remove(const std::string& id) {
    // Only an id an earlier run indexed (a new index, or an id it never
    // held, has nothing to remove; a new index is the only one that holds
    // articles back for its dictionary).
    // (A new index may hold a twin restored at a commit of --stream: the
    // builder knows.)
    if (earlier_ ? !read_earlier([&] { return earlier_->term_exists(format::article_term(id)); }) : !restored_mid_run_)
        return;
    if (mode_ == Mode::Direct) {
        builders_.front()->remove(id);
        return;
    }
    Item item{.kind = Item::Kind::Remove};
    item.article.id = id;
    hold_or_dispatch(std::move(item), {});
}

void IndexPipeline::twin(const corpus::Article& article, std::uint64_t original) {
    if (article.id.empty() || article.id.size() > format::kMaxArticleIdBytes) return;  // never indexed either
    if (!twin_codec_) twin_codec_ = std::make_unique<format::PassageCodec>(std::string(), opts_.zstd_level);
    std::string record = format::encode_twin({format::content_term(original), article}, *twin_codec_);
    // Re-running a command leaves the index as it is: no commit for a record
    // an earlier run wrote the same (unless this run wrote another since).
    if (twinned_.insert(std::hash<std::string>{}(article.id)).second && recorded_twin(article.id) == record) return;
    may_have_twins_ = true;
    if (mode_ == Mode::Direct) {
        builders_.front()->add_twin(article.id, std::move(record));
        return;
    }
    Item item{.kind = Item::Kind::Twin, .record = std::move(record)};
    item.article.id = article.id;
    hold_or_dispatch(std::move(item), {});
}

std::string IndexPipeline::recorded_twin(const std::string& id) {
    if (!earlier_) return {};  // a new index
    const unsigned shard = format::shard_of(id, static_cast<unsigned>(builders_.size()));
    if (earlier_shards_.size() != builders_.size()) {
        earlier_shards_.resize(builders_.size());
        earlier_shard_commits_.assign(builders_.size(), 0);
    }
    const std::string key = format::twin_key(id);
    // Read as the lookups above are (read_earlier): at the latest commit,
    // never one the writers may have overwritten since.
    return opts_.commit_gate->read([&](std::uint64_t commits) {
        auto& db = earlier_shards_[shard];
        if (!db) {
            db = std::make_unique<Xapian::Database>(mode_ == Mode::Sharded ? builders_[shard]->path() : path_);
        } else if (earlier_shard_commits_[shard] != commits) {
            db->reopen();
        }
        earlier_shard_commits_[shard] = commits;
        return db->get_metadata(key);
    });
}

void IndexPipeline::restore_twins() {
    std::vector<IndexBuilder*> builders;
    for (auto& b : builders_) builders.push_back(b.get());
    restore_orphaned_twins(builders);
}

void IndexPipeline::compact_shards() {
    std::vector<std::exception_ptr> failures(workers_.size());
    std::vector<std::thread> threads;
    const auto compact = [this, &failures](std::size_t w) {
        try {
            for (unsigned s : workers_[w]->shards) compact_in_place(builders_[s]->database(), builders_[s]->path());
        } catch (...) {
            failures[w] = std::current_exception();
        }
    };
    try {
        for (std::size_t w = 1; w < workers_.size(); ++w) threads.emplace_back(compact, w);
    } catch (...) {  // a thread that cannot be made: this one does its work
        for (std::size_t w = threads.size() + 1; w < workers_.size(); ++w) compact(w);
    }
    compact(0);
    for (auto& t : threads) t.join();
    for (const auto& f : failures)
        if (f) std::rethrow_exception(f);
}

void IndexPipeline::adopt_set_training() {
    // A run stopped between its shards' commits leaves some shards with the
    // set's dictionary and documents and others with neither. Those must not
    // train a dictionary of their own (the set's would no longer be one, and
    // the earlier runs' passages would be read with the wrong one): they
    // take the first settled shard's, as a new set's shards all take the one
    // trained for them (train_dictionary_now()).
    const auto model =
        std::find_if(builders_.begin(), builders_.end(), [](const auto& b) { return !b->wants_dictionary(); });
    if (model == builders_.end()) return;  // a new set, or one no run committed to: trained once for all
    const Trained set = (*model)->trained();
    for (auto& b : builders_)
        if (b->wants_dictionary()) b->use_trained(set);
}

void IndexPipeline::train_dictionary_now() {
    if (progress_) progress_->phase(Phase::Training);
    const auto trained = train_on(held_->samples(), opts_);
    for (auto& b : builders_) b->use_trained(trained);
    stats_.dictionary_trained = !trained.dictionary.empty();
    need_dictionary_ = false;
    start_workers();
    released_ = held_->articles();
    for (auto& item : held_->release()) dispatch(std::move(item));
}

bool IndexPipeline::drained() {
    for (auto& w : workers_) {
        std::lock_guard l(w->m);
        if (!w->queue.empty() && !w->failed) return false;
    }
    return true;
}

void IndexPipeline::rethrow_worker_failure() {
    for (auto& w : workers_)
        if (w->failed) std::rethrow_exception(w->failure);
}

void IndexPipeline::stop_workers() {
    for (auto& w : workers_) w->ready.notify_all();
    for (auto& w : workers_)
        if (w->thread.joinable()) w->thread.join();
}

void IndexPipeline::finish() {
    if (finished_) return;
    // Interrupted as the input ended: no final commit, merge or compaction.
    if (const int signal = interrupt_signal()) throw Interrupted(signal, abandon());
    if (mode_ == Mode::Direct) {
        auto& b = *builders_.front();
        if (progress_) progress_->phase(Phase::Committing);
        b.finish();
        fault_point("before-twins");
        restore_twins();
        stats_ = b.stats();
        doc_count_ = b.doc_count();
        if (created_ && popts_.compact && !in_place_)
            compact_in_place(b.database(), path_, table_progress(progress_, Phase::Compacting, {path_}));
        builders_.clear();
        finished_ = true;
        return;
    }
    if (need_dictionary_) {
        train_dictionary_now();
        if (progress_) progress_->resume();
    }
    // The workers index what is still queued (up to the memory budget's
    // queues: on a small corpus, most of it); the line follows them.
    while (progress_ && !drained()) {
        progress_->update(articles_accepted(), passages_accepted(), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (const int signal = interrupt_signal()) throw Interrupted(signal, abandon());
    }
    // Then they commit.
    if (progress_) progress_->phase(Phase::Committing);
    for (auto& w : workers_) {
        std::lock_guard l(w->m);
        w->closing = true;
    }
    stop_workers();
    rethrow_worker_failure();
    fault_point("before-twins");
    restore_twins();

    const bool trained = stats_.dictionary_trained;
    stats_ = {};
    for (const auto& b : builders_) {
        const auto& s = b->stats();
        stats_.articles += s.articles;
        stats_.passages += s.passages;
        stats_.replaced += s.replaced;
        stats_.removed += s.removed;
        stats_.restored += s.restored;
        stats_.restored_passages += s.restored_passages;
        stats_.text_bytes += s.text_bytes;
        stats_.stored_raw += s.stored_raw;
        stats_.stored_compressed += s.stored_compressed;
        stats_.commits += s.commits;
        stats_.dictionary_trained = stats_.dictionary_trained || s.dictionary_trained;
        stats_.dictionary_bytes = std::max(stats_.dictionary_bytes, s.dictionary_bytes);
        doc_count_ += b->doc_count();
    }
    stats_.dictionary_trained = stats_.dictionary_trained || trained;
    if (mode_ == Mode::Sharded && created_ && popts_.compact) {
        if (progress_) progress_->phase(Phase::Compacting);
        compact_shards();
    }
    // Each temporary shard's database, then its segments, shard after shard.
    std::vector<std::string> parts;
    if (mode_ == Mode::Merge)
        for (const auto& b : builders_)
            for (auto& p : b->database_paths()) parts.push_back(std::move(p));
    builders_.clear();  // closes the shards

    if (mode_ == Mode::Merge) {
        Xapian::Database all;
        for (const auto& p : parts) all.add_database(Xapian::Database(p));
        const auto merged = (fs::path(temp_dir_) / "merged").string();
        compact_to(all, merged, table_progress(progress_, Phase::Merging, parts));
        all.close();
        exchange_paths(merged, path_);  // the empty target we held is now at `merged`
        fault_point("after-swap");
        target_.close();
        // Only what this run made: its shards, their segments and the swapped-out target.
        for (const auto& p : parts) remove_database_dir(p);
        remove_database_dir(merged);
        std::error_code ec;
        fs::remove(temp_dir_, ec);
        temp_dir_.clear();
    }
    finished_ = true;
}

BuildStats IndexPipeline::stats() const { return stats_; }

std::uint64_t IndexPipeline::articles_accepted() const {
    if (mode_ == Mode::Direct) return builders_.empty() ? stats_.articles : builders_.front()->articles_accepted();
    std::uint64_t indexed = 0;
    for (const auto& w : workers_) indexed += w->articles.load(std::memory_order_relaxed);
    // Articles released from the hold count until the workers have taken
    // them (the figure would drop to what the workers did, then climb back:
    // a progress line going back to 0% after training).
    return (held_ ? held_->articles() : 0) + std::max(indexed, released_);
}

std::uint64_t IndexPipeline::passages_accepted() const {
    if (mode_ == Mode::Direct) return builders_.empty() ? stats_.passages : builders_.front()->passages_accepted();
    std::uint64_t n = 0;
    for (const auto& w : workers_) n += w->passages.load(std::memory_order_relaxed);
    return n;
}

std::string IndexPipeline::layout() const {
    switch (mode_) {
        case Mode::Direct:
            return "1 database";
        case Mode::Merge:
            if (popts_.threads == 1) return "1 database";
            return "1 database, merged from " + std::to_string(popts_.threads) + " shards";
        case Mode::Sharded:
            break;
    }
    return std::to_string(format::shard_paths(path_).size()) + " shards";
}

}  // namespace trawl::index
