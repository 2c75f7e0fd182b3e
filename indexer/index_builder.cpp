#include "indexer/index_builder.hpp"

#include <functional>

#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::index {

// An accepted article: its passages and what their documents are built from.
// Documents are built one passage at a time as they are written, never all of
// an article's at once: an article of 100k passages would otherwise hold 100k
// Xapian documents (several KB each) before the first is written.
struct IndexBuilder::Pending {
    corpus::Article article;   // without its body: the passages hold the text
    format::ArticleKeys keys;  // worked out from the whole article
    bool replace = false;
    std::vector<corpus::Passage> passages;
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
    for (auto& ps : splitter.split(a.body)) out.push_back(format::stored_fields(a, std::move(ps.text)));
    return out;
}

Trained train_on(std::span<const std::string> samples, const BuilderOptions& opts) {
    return {format::train_dictionary(samples),
            format::choose_positional_words(samples, opts.positions, opts.positional_share)};
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
}

void IndexBuilder::init() {
    format::check_format(db_, path_);
    const auto stems = format::read_stem_storage(db_);
    maker_.emplace(stems);
    if (stems == format::StemStorage::Synonyms) stem_table_.emplace();
    db_had_docs_ = db_.get_doccount() > 0;
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
        codec_ = writing_codec(dict, opts_.zstd_level);
        stats_.dictionary_bytes = dict.size();
        positional_ = format::PositionalWords::read(db_);
    } else if (opts_.trained) {
        codec_ = writing_codec(opts_.trained->dictionary, opts_.zstd_level);
        stats_.dictionary_bytes = opts_.trained->dictionary.size();
        positional_ = opts_.trained->positional;
        trained_unwritten_ = true;
    }
}

void IndexBuilder::use_trained(const Trained& trained) {
    if (codec_ || !held_->empty()) return;
    opts_.trained = trained;
    init();
}

void IndexBuilder::write_trained(const std::string& dictionary) {
    if (!dictionary.empty()) db_.set_metadata(std::string(format::kMetaDictionary), dictionary);
    db_.set_metadata(std::string(format::kMetaPositions), positional_.serialise());
    db_.set_metadata(std::string(format::kMetaStopWords), positional_.serialise_stop_words());
}

IndexBuilder::~IndexBuilder() {
    if (in_batch_) {
        try {
            db_.cancel_transaction();
        } catch (...) {
        }
    }
}

void IndexBuilder::add(const corpus::Article& a) {
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
    auto passages = splitter_.split(a.body);
    if (passages.empty()) {
        diag_.report({corpus::Severity::Skipped, file, 0, "empty text", "article " + a.id});
        return;
    }
    index_article(a, std::move(passages));
}

void IndexBuilder::index_article(const corpus::Article& a, std::vector<corpus::Passage>&& passages) {
    Pending p;
    p.keys = format::article_keys(a);  // the content hash needs the whole body
    p.article.id = a.id;
    p.article.title = a.title;
    p.article.date = a.date;
    p.article.source = a.source;
    p.article.location = a.location;
    auto h = std::hash<std::string>{}(a.id);
    bool seen_before = !seen_.insert(h).second;
    p.replace = db_had_docs_ || seen_before;
    if (seen_before)
        diag_.report({corpus::Severity::Warning, a.location, 0, "duplicate id", "article " + a.id + " replaced"});
    p.passages = std::move(passages);
    stats_.text_bytes += a.title.size() + a.body.size();
    ++accepted_articles_;
    accepted_passages_ += p.passages.size();

    if (!codec_) {  // still collecting samples for the dictionary
        std::vector<std::string> samples;
        for (const auto& ps : p.passages) samples.push_back(format::stored_fields(p.article, ps.text));
        if (held_->hold(std::move(p), std::move(samples))) train_and_flush_pending();
        return;
    }
    write_article(p);
}

void IndexBuilder::write_article(Pending& p) {
    begin_batch();
    const std::uint64_t sequence = next_sequence_++;
    if (p.replace) {
        // The earlier version's passages die in this transaction, as the
        // new ones arrive (format/deletions.hpp).
        const auto live = format::live_passages(db_, p.article.id, deleted_);
        if (live.count > 0) {
            if (db_had_docs_) ++stats_.replaced;
            deleted_.add(p.article.id, sequence - 1, live.count);
            deleted_changed_ = true;
        }
    }
    for (auto& ps : p.passages) {
        auto doc = maker_->make(p.article, p.keys, ps, positional_);
        const std::string raw = format::stored_fields(p.article, std::move(ps.text));
        auto data = format::passage_data(ps, raw.size());
        data.payload = codec_->compress(raw);
        stats_.stored_raw += raw.size();
        stats_.stored_compressed += data.payload.size();
        format::store_passage(doc, sequence, data);
        if (stem_table_)
            for (const auto term : maker_->indexed_terms()) stem_table_->add(term);
        db_.add_document(doc);
        ++stats_.passages;
    }
    ++stats_.articles;
    ++batch_count_;
    end_batch_if_full();
}

void IndexBuilder::train_and_flush_pending() {
    if (!codec_) {
        auto trained = train_on(held_->samples(), opts_);
        codec_ = writing_codec(trained.dictionary, opts_.zstd_level);
        stats_.dictionary_trained = !trained.dictionary.empty();
        stats_.dictionary_bytes = trained.dictionary.size();
        positional_ = std::move(trained.positional);
        begin_batch();
        write_trained(trained.dictionary);
    }
    for (auto& p : held_->release()) write_article(p);
}

void IndexBuilder::begin_batch() {
    if (in_batch_) return;
    db_.begin_transaction(true);
    in_batch_ = true;
    batch_count_ = 0;
}

void IndexBuilder::end_batch_if_full() {
    if (batch_count_ >= opts_.batch_articles) commit_batch();
}

void IndexBuilder::commit_batch() {
    if (!in_batch_) return;
    format::stamp_format(db_);
    if (stem_table_) stem_table_->write(db_);
    // As init() read it (open_writable() wrote it; a database made otherwise
    // gets it here): a Synonyms index is the one with a stem table.
    const auto stems = stem_table_ ? format::StemStorage::Synonyms : format::StemStorage::Terms;
    db_.set_metadata(std::string(format::kMetaStems), std::string(format::stem_storage_name(stems)));
    if (trained_unwritten_) {
        write_trained(opts_.trained->dictionary);
        trained_unwritten_ = false;
    }
    db_.set_metadata(std::string(format::kMetaSplit), split_metadata(opts_.split));
    db_.set_metadata(std::string(format::kMetaNextSequence), std::to_string(next_sequence_));
    if (deleted_changed_) {
        deleted_.write(db_);
        deleted_changed_ = false;
    }
    db_.commit_transaction();
    in_batch_ = false;
    ++stats_.commits;
}

void IndexBuilder::finish() {
    train_and_flush_pending();
    commit_batch();
    if ((stats_.commits == 0 && db_.get_doccount() == 0) || trained_unwritten_) {
        // Nothing indexed: still leave a stamped, valid (empty) index behind.
        db_.begin_transaction(true);
        in_batch_ = true;
        commit_batch();
    }
    db_.commit();
}

}  // namespace trawl::index
