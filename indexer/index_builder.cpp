#include "indexer/index_builder.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <future>
#include <stdexcept>

#include <sys/statvfs.h>

#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/twins.hpp"

namespace trawl::index {

// An accepted article: its passages and what their documents are built from.
// Documents are built one passage at a time as they are written, never all of
// an article's at once: an article of 100k passages would otherwise hold 100k
// Xapian documents (several KB each) before the first is written.
struct IndexBuilder::Pending {
    corpus::Article article;   // without its body: the passages hold the text
    format::ArticleKeys keys;  // worked out from the whole article
    bool replace = false;
    bool restored = false;   // restore(): counted apart
    bool drop_twin = false;  // the id may have a twin record, which goes in the same batch
    std::vector<corpus::Passage> passages;
    std::vector<format::DocData> stored;  // add_stored(): each passage's record, compressed
};

// One step of the writer (IndexBuilder::apply), in the order they are made.
struct IndexBuilder::WriteOp {
    enum class Kind {
        Replace,       // article_id's passages before `sequence` die (opening a transaction if none is open)
        Remove,        // article_id's live passages die
        Add,           // doc
        Metadata,      // pairs: (key, value)
        Commit,        // pairs as Metadata, then synonyms, the deletions and the stamp; the transaction is committed
        CloseSegment,  // the open segment is full (BuilderOptions::segment_passages): committed and closed
    };
    // Xapian::Document's move is not declared noexcept (1.4.22), though it
    // only moves a pointer: this says so, for WriteQueue.
    struct Doc {
        Xapian::Document d;
        Doc() = default;
        Doc(Xapian::Document doc) noexcept : d(std::move(doc)) {}  // implicit: for designated initialisers
        Doc(const Doc&) = default;
        Doc(Doc&& o) noexcept : d(std::move(o.d)) {}
        Doc& operator=(const Doc&) = default;
        Doc& operator=(Doc&& o) noexcept {
            d = std::move(o.d);
            return *this;
        }
        ~Doc() = default;
    };
    Kind kind;
    std::string article_id{};
    std::uint64_t sequence = 0;
    Doc doc{};
    std::size_t stored_bytes = 0;  // of doc's compressed text
    std::vector<std::pair<std::string, std::string>> pairs{};
    format::StemTableWriter::Pairs synonyms{};  // Commit: (stem term, word) for the stem table
};

namespace {

// A codec ready to compress: a dictionary zstd cannot compress with fails
// here, when the index is opened or the dictionary trained, not in the
// middle of a batch.
std::unique_ptr<format::PassageCodec> writing_codec(const std::string& dictionary, int level) {
    auto codec = std::make_unique<format::PassageCodec>(dictionary, level);
    codec->prepare_compression();
    return codec;
}

bool valid_id(const std::string& id) { return !id.empty() && id.size() <= format::kMaxArticleIdBytes; }

}  // namespace

std::vector<std::string> dictionary_samples(const corpus::Article& a, const corpus::PassageSplitter& splitter) {
    std::vector<std::string> out;
    if (!valid_id(a.id)) return out;
    for (auto& ps : splitter.split(a)) out.push_back(format::stored_fields(a, std::move(ps.text)));
    return out;
}

std::optional<corpus::SplitOptions> parse_split_metadata(const std::string& value) {
    unsigned words = 0, overlap = 0;
    if (std::sscanf(value.c_str(), "words=%u overlap=%u", &words, &overlap) != 2) return std::nullopt;
    corpus::SplitOptions split;
    split.words = words;
    split.overlap = overlap;
    return split;
}

Trained train_on(std::span<const std::string> samples, const BuilderOptions& opts) {
    // The two choices read the same sample and nothing else, and every
    // writer waits for both (a third of a second on Reuters, with a core
    // idle): the dictionary is trained on a thread of its own meanwhile.
    auto dictionary = std::async(std::launch::async, [samples] { return format::train_dictionary(samples); });
    auto positional = format::choose_positional_words(samples, opts.positions, opts.positional_share);
    return {dictionary.get(), std::move(positional),
            opts.positions == format::PositionsMode::Frequent ? shortest_decimal(opts.positional_share) : ""};
}

Trained read_trained(const Xapian::Database& db) {
    return {format::read_dictionary(db), format::PositionalWords::read(db),
            db.get_metadata(std::string(format::kMetaPositionalShare))};
}

IndexBuilder::IndexBuilder(const std::string& path, BuilderOptions opts, corpus::Diagnostics& diag)
    : IndexBuilder(open_writable(path), path, std::move(opts), diag) {}

IndexBuilder::IndexBuilder(Xapian::WritableDatabase db, const std::string& path, BuilderOptions opts,
                           corpus::Diagnostics& diag)
    : path_(path),
      opts_(std::move(opts)),
      diag_(diag),
      db_(std::move(db)),
      splitter_(opts_.split),
      held_(std::make_unique<TrainingHold<Pending>>(opts_.dictionary_sample_bytes)) {
    init();
    writes_ = std::make_unique<WriteQueue<WriteOp>>(
        [this](WriteOp& op) { apply(op); },
        opts_.own_writer_thread ? WriteQueue<WriteOp>::Where::OwnThread : WriteQueue<WriteOp>::Where::CallersThread,
        opts_.writer_queue_bytes);
}

void IndexBuilder::init() {
    format::check_format(db_, path_);
    const auto stems = format::read_stem_storage(db_);
    maker_.emplace(stems);
    if (stems == format::StemStorage::Synonyms) stem_table_.emplace();
    db_had_docs_ = db_.get_doccount() > 0;
    recorded_split_ = db_.get_metadata(std::string(format::kMetaSplit));
    const std::string twins(format::kMetaTwinPrefix);
    db_had_twins_ = db_.metadata_keys_begin(twins) != db_.metadata_keys_end(twins);
    const auto next = db_.get_metadata(std::string(format::kMetaNextSequence));
    next_sequence_ = next.empty() ? 1 : std::stoull(next);
    deleted_ = format::Deletions::read(db_);
    auto dict = format::read_dictionary(db_);
    // An index that already has documents keeps its dictionary (or its lack of one):
    // every stored frame must stay readable. A new index trains one first, or
    // takes the one it is given.
    // The same holds for the positional words: a word's positions are in
    // every passage or in none.
    if (!dict.empty() || db_had_docs_) {
        settle(read_trained(db_));
    } else if (opts_.trained) {
        settle(*opts_.trained);
        trained_unwritten_ = true;
    }
}

void IndexBuilder::settle(Trained trained) {
    codec_ = writing_codec(trained.dictionary, opts_.zstd_level);
    stats_.dictionary_bytes = trained.dictionary.size();
    positional_ = std::move(trained.positional);
    positional_share_ = std::move(trained.positional_share);
}

void IndexBuilder::use_trained(const Trained& trained) {
    if (codec_ || !held_->empty()) return;
    opts_.trained = trained;
    init();
}

IndexBuilder::~IndexBuilder() {
    // Batches completed before (an error unwinding through add(), say) are
    // committed, as they would be on the caller's thread; the open one is
    // cancelled below.
    try {
        writes_->drain();
    } catch (...) {  // the writer failed: what it had not applied is dropped
    }
    writes_.reset();
    if (transaction_open_) {
        try {
            db_.cancel_transaction();
        } catch (...) {
        }
    }
}

void IndexBuilder::add(const corpus::Article& a) { add_article(a, false); }

void IndexBuilder::restore(const corpus::Article& a) {
    const auto before = accepted_articles_;
    add_article(a, true);
    // Not indexable after all (reported): the record goes all the same, or
    // every later run would try it again.
    if (accepted_articles_ == before) drop_twin(a.id);
}

void IndexBuilder::drop_twin(const std::string& id) {
    if (valid_id(id)) write({.kind = WriteOp::Kind::Metadata, .pairs = {{format::twin_key(id), std::string()}}});
}

void IndexBuilder::add_article(const corpus::Article& a, bool restored) {
    const std::string& file = a.location;
    if (a.id.empty()) {
        diag_.report({corpus::Severity::Skipped, file, 0, "missing id", ""});
        return;
    }
    if (a.id.size() > format::kMaxArticleIdBytes) {
        diag_.report({corpus::Severity::Skipped, file, 0, "id too long",
                      std::to_string(a.id.size()) + " bytes, at most " + std::to_string(format::kMaxArticleIdBytes)});
        return;
    }
    // A title-only article is one empty passage (PassageSplitter::split);
    // an article with neither title nor text has nothing to find it by.
    auto passages = splitter_.split(a);
    if (passages.empty()) {
        diag_.report({corpus::Severity::Skipped, file, 0, "empty text", "article " + a.id});
        return;
    }
    index_article(a, std::move(passages), restored);
}

void IndexBuilder::index_article(const corpus::Article& a, std::vector<corpus::Passage>&& passages, bool restored) {
    Pending p;
    p.restored = restored;
    p.keys = format::article_keys(a);  // the content hash needs the whole body
    p.article.id = a.id;
    p.article.title = a.title;
    p.article.date = a.date;
    p.article.source = a.source;
    p.article.location = a.location;
    p.passages = std::move(passages);
    stats_.text_bytes += a.title.size() + a.body.size();
    accept(p);

    if (!codec_) {  // still collecting samples for the dictionary
        std::vector<std::string> samples;
        for (const auto& ps : p.passages) samples.push_back(format::stored_fields(p.article, ps.text));
        if (held_->hold(std::move(p), std::move(samples))) train_and_flush_pending();
        return;
    }
    write_article(p);
}

void IndexBuilder::add_stored(StoredArticle a) {
    if (!codec_) throw std::logic_error("IndexBuilder::add_stored before the index's dictionary is settled");
    if (a.passages.empty()) return;
    Pending p;
    p.keys = std::move(a.keys);
    p.article = std::move(a.article);
    p.article.body.clear();
    p.stored.reserve(a.passages.size());
    for (auto& sp : a.passages) {
        stats_.text_bytes += sp.passage.text.size();
        p.passages.push_back(std::move(sp.passage));
        p.stored.push_back(std::move(sp.data));
    }
    stats_.text_bytes += p.article.title.size();
    accept(p);
    write_article(p);
}

void IndexBuilder::remove(const std::string& id) {
    const auto h = std::hash<std::string>{}(id);
    // A new index holds no earlier run's version (but may hold a twin this
    // run restored at a commit of --stream).
    if (!db_had_docs_ && !restored_ids_.contains(h)) return;
    // An id this run added already replaced its earlier version; what is live
    // is this run's (a record read once, from a terminal, with no first pass).
    if (seen_.contains(h)) return;
    write({.kind = WriteOp::Kind::Remove, .article_id = id});
}

void IndexBuilder::add_twin(const std::string& id, std::string record) {
    const auto h = std::hash<std::string>{}(id);
    if (!valid_id(id) || seen_.contains(h)) return;
    twinned_.insert(h);
    write({.kind = WriteOp::Kind::Metadata, .pairs = {{format::twin_key(id), std::move(record)}}});
}

void IndexBuilder::accept(Pending& p) {
    auto h = std::hash<std::string>{}(p.article.id);
    // A twin restored (at a commit of --stream, and the feed goes on) is not
    // an article this run gave: the feed's own record of its id, later,
    // replaces it without a "duplicate id" warning, or removes it as a
    // duplicate (remove()), or records it as a twin again (add_twin()).
    bool seen_before = false;
    if (p.restored) restored_ids_.insert(h);
    else seen_before = !seen_.insert(h).second;
    p.replace = db_had_docs_ || seen_before || restored_ids_.contains(h);
    p.drop_twin = p.restored || db_had_twins_ || twinned_.contains(h);
    if (seen_before)
        diag_.report({corpus::Severity::Warning, p.article.location, 0, "duplicate id",
                      "article " + p.article.id + " replaced"});
    ++accepted_articles_;
    accepted_passages_ += p.passages.size();
}

void IndexBuilder::write_article(Pending& p) {
    const std::uint64_t sequence = next_sequence_++;
    // The earlier version's passages die in the transaction the new ones
    // arrive in (format/deletions.hpp); the writer looks them up, since an
    // earlier version of this run may still be on its way.
    if (p.replace) write({.kind = WriteOp::Kind::Replace, .article_id = p.article.id, .sequence = sequence});
    // Indexed on its own now: its twin record, if any, goes in the same batch
    // (deleting a key that is not there changes nothing).
    if (p.drop_twin)
        write({.kind = WriteOp::Kind::Metadata, .pairs = {{format::twin_key(p.article.id), std::string()}}});
    for (std::size_t i = 0; i < p.passages.size(); ++i) {
        auto& ps = p.passages[i];
        WriteOp op{.kind = WriteOp::Kind::Add, .doc = maker_->make(p.article, p.keys, ps, positional_)};
        format::DocData data;
        if (p.stored.empty()) {
            const std::string raw = format::stored_fields(p.article, std::move(ps.text));
            data = format::passage_data(ps, raw.size());
            data.payload = codec_->compress(raw);
        } else {
            data = std::move(p.stored[i]);
        }
        stats_.stored_raw += data.raw_size;
        stats_.stored_compressed += data.payload.size();
        op.stored_bytes = data.payload.size();
        // The signature: made by make() from the title and text this record
        // stores (a rebuilt one's too: the words decide it, not the record).
        format::store_passage(op.doc.d, sequence, data, maker_->pairs());
        if (stem_table_) stem_table_->add(maker_->take_new_stems());
        terms_since_flush_ += op.doc.d.termlist_count();
        write(std::move(op));
        ++(p.restored ? stats_.restored_passages : stats_.passages);
        if (++docs_since_flush_ >= opts_.flush_docs) docs_since_flush_ = 0, terms_since_flush_ = 0;  // Xapian flushes
        if (opts_.segment_passages > 0 && ++segment_fill_ >= segment_limit()) {
            // Decided here, so that the counts above follow Xapian's, which
            // starts again from nothing in the next segment.
            write({.kind = WriteOp::Kind::CloseSegment});
            ++segments_closed_;
            segment_fill_ = 0;
            docs_since_flush_ = 0;
            terms_since_flush_ = 0;
        }
    }
    ++(p.restored ? stats_.restored : stats_.articles);
    if (++batch_count_ >= opts_.batch_articles || (opts_.flush_terms > 0 && terms_since_flush_ > opts_.flush_terms))
        commit_batch();
}

void IndexBuilder::train_and_flush_pending() {
    if (!codec_) {
        settle(train_on(held_->samples(), opts_));
        stats_.dictionary_trained = !codec_->dictionary().empty();
        write({.kind = WriteOp::Kind::Metadata, .pairs = trained_metadata(codec_->dictionary())});
    }
    for (auto& p : held_->release()) write_article(p);
}

std::vector<std::pair<std::string, std::string>> IndexBuilder::trained_metadata(const std::string& dictionary) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (!dictionary.empty()) out.emplace_back(format::kMetaDictionary, dictionary);
    out.emplace_back(format::kMetaPositions, positional_.serialise());
    out.emplace_back(format::kMetaStopWords, positional_.serialise_stop_words());
    if (!positional_share_.empty()) out.emplace_back(format::kMetaPositionalShare, positional_share_);
    return out;
}

void IndexBuilder::write(WriteOp op) {
    if (op.kind != WriteOp::Kind::Commit) in_batch_ = true;
    // What the operation holds, for the writer queue's bound: a document's
    // compressed text and its terms (each a node of Xapian's map, with its
    // string and positions: ~60 terms make the 8 KB a buffered Wikipedia
    // passage costs, index_pipeline.cpp). Counting terms, not passages,
    // keeps the bound true for the passages of a huge title (title terms go
    // on every passage).
    constexpr std::size_t kBytesPerTerm = 128;
    std::size_t weight = 1024 + op.article_id.size() + op.stored_bytes;
    if (op.kind == WriteOp::Kind::Add) weight += kBytesPerTerm * op.doc.d.termlist_count();
    for (const auto& [a, b] : op.pairs) weight += a.size() + b.size() + 64;
    for (const auto& [a, b] : op.synonyms) weight += a.size() + b.size() + 64;
    writes_->push(std::move(op), weight);
}

void IndexBuilder::apply(WriteOp& op) {
    if (!transaction_open_) {
        db_.begin_transaction(true);
        transaction_open_ = true;
    }
    switch (op.kind) {
        case WriteOp::Kind::Replace: {
            const auto live = format::live_passages(passages_so_far(), op.article_id, deleted_);
            if (live.count > 0) {
                if (db_had_docs_) ++replaced_;
                deleted_.add(op.article_id, op.sequence - 1, live.count);
                deleted_changed_ = true;
            }
            break;
        }
        case WriteOp::Kind::Remove: {
            const auto live = format::live_passages(passages_so_far(), op.article_id, deleted_);
            if (live.count > 0) {
                ++removed_;
                deleted_.add(op.article_id, live.last_sequence, live.count);
                deleted_changed_ = true;
            }
            break;
        }
        case WriteOp::Kind::Add:
            passage_database().add_document(op.doc.d);
            batch_disk_bytes_ += op.stored_bytes + kDiskBytesPerTerm * op.doc.d.termlist_count();
            if (segment_open_) ++segment_docs_;
            break;
        case WriteOp::Kind::CloseSegment:
            close_segment();
            break;
        case WriteOp::Kind::Metadata:
        case WriteOp::Kind::Commit:
            for (const auto& [key, value] : op.pairs) db_.set_metadata(key, value);
            if (op.kind == WriteOp::Kind::Metadata) break;
            format::stamp_format(db_);
            format::StemTableWriter::write(db_, std::move(op.synonyms));
            if (deleted_changed_) {
                deleted_.write(db_);
                deleted_changed_ = false;
            }
            check_room_to_commit();
            if (segment_open_) {  // first: db_'s commit says what is in
                segment_.commit_transaction();
                segment_.begin_transaction(false);
            }
            commit_transaction(db_, path_);
            fault_point("after-commit");  // tests: one database of a set committed, the others not yet
            transaction_open_ = false;
            batch_disk_bytes_ = 0;
            if (opts_.commit_gate) opts_.commit_gate->committed();
            break;
    }
}

Xapian::WritableDatabase& IndexBuilder::passage_database() {
    if (opts_.segment_passages == 0) return db_;
    if (!segment_open_) {
        // Named after the builder's database, next to it (a temporary
        // directory of the run's own); laid out as it is (termlist or not),
        // written unsynced: a segment is thrown away if the run dies.
        const auto path = path_ + ".seg" + std::to_string(segments_.size());
        segment_ = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                                      Xapian::DB_NO_SYNC | termlist_flag(termlist_of(path_)));
        // In a transaction, so that Xapian never commits it on its own when
        // its buffer flushes: every commit comes after check_room_to_commit()
        // (a disk filling in a commit's last writes can abort Xapian 1.4.22),
        // and a segment given up (an error, Ctrl-C) is cancelled, not committed.
        segment_.begin_transaction(false);
        {
            std::lock_guard lock(segments_mutex_);
            segments_.push_back(path);
        }
        segment_open_ = true;
    }
    return segment_;
}

void IndexBuilder::close_segment() {
    if (!segment_open_) return;
    check_room_to_commit();
    segment_.commit_transaction();
    segment_.close();
    segment_ = Xapian::WritableDatabase();
    segment_open_ = false;
}

std::uint64_t IndexBuilder::segment_limit() const {
    const auto doublings = std::min<std::uint64_t>(segments_closed_ / kSegmentsPerSize, 16);
    return std::uint64_t{opts_.segment_passages} << doublings;
}

Xapian::Database IndexBuilder::passages_so_far() {
    if (segments_.empty()) return db_;
    const auto closed = segments_.size() - (segment_open_ ? 1 : 0);
    for (; closed_segments_read_ < closed; ++closed_segments_read_)
        closed_segments_.add_database(Xapian::Database(segments_[closed_segments_read_]));
    Xapian::Database all(db_);
    all.add_database(closed_segments_);
    if (segment_open_) all.add_database(segment_);
    return all;
}

std::vector<std::string> IndexBuilder::database_paths() const {
    std::vector<std::string> paths{path_};
    std::lock_guard lock(segments_mutex_);
    paths.insert(paths.end(), segments_.begin(), segments_.end());
    return paths;
}

Xapian::Database IndexBuilder::open_committed() const {
    Xapian::Database db;
    for (const auto& p : database_paths()) db.add_database(Xapian::Database(p));
    return db;
}

// Xapian 1.4.22 can abort the process (std::terminate) when the disk fills
// during a commit's last writes: the error it throws meets another on its way
// out. Running out of room while documents are added gives the usual error,
// so a commit is not begun without room for twice what the batch adds (its
// stored text and ~16 bytes a posting), and at least 16 MB: the error is then
// the same "disk full" as any other, and the index stays at its last commit.
// A batch that adds no documents (deletions, twin records: what --delete
// commits without a builder) writes a few metadata entries, and is let try:
// a --delete on a nearly full disk that leaves no twin to restore goes in.
void IndexBuilder::check_room_to_commit() const {
    if (batch_disk_bytes_ == 0) return;
    struct statvfs fs {};
    if (::statvfs(path_.c_str(), &fs) != 0) return;  // Xapian will say what is wrong
    const std::uint64_t free = std::uint64_t{fs.f_bavail} * fs.f_frsize;
    const std::uint64_t need = std::max<std::uint64_t>(kMinCommitRoom, 2 * batch_disk_bytes_);
    if (free < need)
        throw Xapian::DatabaseError("committing needs about " + std::to_string(need >> 20) + " MB free, " +
                                        std::to_string(free >> 20) + " MB left",
                                    ENOSPC);
}

void IndexBuilder::commit_batch() {
    if (!in_batch_) return;
    WriteOp commit{.kind = WriteOp::Kind::Commit};
    // As init() read it (open_writable() wrote it; a database made otherwise
    // gets it here): a Synonyms index is the one with a stem table.
    const auto stems = stem_table_ ? format::StemStorage::Synonyms : format::StemStorage::Terms;
    commit.pairs.emplace_back(format::kMetaStems, format::stem_storage_name(stems));
    if (trained_unwritten_) {
        for (auto& kv : trained_metadata(opts_.trained->dictionary)) commit.pairs.push_back(std::move(kv));
        trained_unwritten_ = false;
    }
    commit.pairs.emplace_back(format::kMetaSplit, split_metadata(opts_.split));
    commit.pairs.emplace_back(format::kMetaNextSequence, std::to_string(next_sequence_));
    if (stem_table_) commit.synonyms = stem_table_->take();
    write(std::move(commit));
    writes_->flush();  // committed now, not once the next passages fill a chunk
    in_batch_ = false;
    committed_articles_ += batch_count_;
    batch_count_ = 0;
    docs_since_flush_ = 0;  // a commit flushes
    terms_since_flush_ = 0;
    ++commits_;
}

void IndexBuilder::commit_now() {
    commit_batch();
    writes_->drain();
}

void IndexBuilder::finish() {
    train_and_flush_pending();
    // Nothing indexed: still leave a stamped, valid (empty) index behind.
    if ((commits_ == 0 && !db_had_docs_) || trained_unwritten_) in_batch_ = true;
    commit_batch();
    writes_->drain();
    close_segment();  // the writer is idle: a later restore() opens another
    if (segment_fill_ > 0) ++segments_closed_;
    segment_fill_ = 0;
    closed_segments_ = Xapian::Database();
    closed_segments_read_ = 0;
    db_.commit();
    if (opts_.commit_gate) opts_.commit_gate->committed();
    stats_.replaced = replaced_;
    stats_.removed = removed_;
    stats_.commits = commits_;
}

}  // namespace trawl::index
