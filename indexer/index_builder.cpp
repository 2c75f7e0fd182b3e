#include "index_builder.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>

#include "analysis.hpp"
#include "article_reader.hpp"
#include "cleaning.hpp"
#include "dedup.hpp"
#include "delete_articles.hpp"
#include "doc_data.hpp"
#include "error.hpp"
#include "index_meta.hpp"
#include "index_pipeline.hpp"
#include "progress.hpp"
#include "schema.hpp"
#include "shards.hpp"

namespace trawl::index {
namespace fs = std::filesystem;

// An accepted article: its passages and what their documents are built from.
// Documents are built one passage at a time as they are written, never all of
// an article's at once: an article of 100k passages would otherwise hold 100k
// Xapian documents (several KB each) before the first is written.
struct IndexBuilder::Pending {
    corpus::Article article;  // without its body: the passages hold the text
    std::string article_term;
    std::string content;      // the content-hash term (of the whole body)
    bool replace = false;
    std::vector<corpus::Passage> passages;
};

Xapian::WritableDatabase open_writable(const std::string& path, int flags) {
    try {
        return Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS | flags);
    } catch (const Xapian::DatabaseLockError&) {
        throw Error(path + ": index is locked by another process (is another trawl-index running?)");
    } catch (const Xapian::Error& e) {
        throw Error(path + ": cannot open index: " + e.get_msg());
    }
}

namespace {

// Position gap between the title and the text of the lead passage, so that no
// phrase or NEAR query matches across the two.
constexpr Xapian::termpos kTitleGap = 100;

std::string to_term(std::string_view prefix, std::string_view value) {
    std::string t(prefix);
    t += value;
    return t;
}

bool valid_id(const std::string& id) { return !id.empty() && id.size() <= format::kMaxArticleIdBytes; }

std::string stored_fields(const corpus::Article& a, std::string text) {
    return format::encode_fields({a.id, a.title, a.location, a.date, a.source, std::move(text)});
}

// "1987-02-26T15:01:01" -> "19870226"; anything unparsable -> "".
std::string date_key(const std::string& iso) {
    if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return {};
    std::string key = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
    for (char c : key)
        if (c < '0' || c > '9') return {};
    return key;
}

}  // namespace

std::string content_term(std::uint64_t hash) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return to_term(format::kPrefixContent, hex);
}

std::vector<std::string> dictionary_samples(const corpus::Article& a, const corpus::PassageSplitter& splitter) {
    std::vector<std::string> out;
    if (!valid_id(a.id)) return out;
    for (auto& ps : splitter.split(a.body)) out.push_back(stored_fields(a, std::move(ps.text)));
    return out;
}

IndexBuilder::IndexBuilder(const std::string& path, BuilderOptions opts, corpus::Diagnostics& diag)
    : IndexBuilder(open_writable(path), path, std::move(opts), diag) {}

IndexBuilder::IndexBuilder(Xapian::WritableDatabase db, const std::string& path, BuilderOptions opts,
                           corpus::Diagnostics& diag)
    : path_(path),
      opts_(std::move(opts)),
      diag_(diag),
      db_(std::move(db)),
      tg_(format::make_term_generator()),
      splitter_(opts_.split) {
    init();
}

void IndexBuilder::init() {
    format::check_format(db_, path_);
    db_had_docs_ = db_.get_doccount() > 0;
    auto dict = format::read_dictionary(db_);
    // An index that already has documents keeps its dictionary (or its lack of one):
    // every stored frame must stay readable. A new index trains one first, or
    // takes the one it is given.
    if (!dict.empty() || db_had_docs_) {
        codec_ = std::make_unique<format::PassageCodec>(dict, opts_.zstd_level);
        stats_.dictionary_bytes = dict.size();
    } else if (opts_.dictionary) {
        codec_ = std::make_unique<format::PassageCodec>(*opts_.dictionary, opts_.zstd_level);
        stats_.dictionary_bytes = opts_.dictionary->size();
        dictionary_unwritten_ = !opts_.dictionary->empty();
    }
}

void IndexBuilder::use_dictionary(const std::string& dictionary) {
    if (codec_ || !pending_.empty()) return;
    opts_.dictionary = dictionary;
    init();
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
    p.article.id = a.id;
    p.article.title = a.title;
    p.article.date = a.date;
    p.article.source = a.source;
    p.article.location = a.location;
    p.article_term = to_term(format::kPrefixArticle, a.id);
    p.content = content_term(corpus::content_hash(a));
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
        for (const auto& ps : p.passages) pending_bytes_ += stored_fields(p.article, ps.text).size();
        pending_.push_back(std::move(p));
        if (pending_bytes_ >= opts_.dictionary_sample_bytes) train_and_flush_pending();
        return;
    }
    write_article(p);
}

void IndexBuilder::write_article(Pending& p) {
    begin_batch();
    if (p.replace) {
        if (db_had_docs_ && db_.term_exists(p.article_term)) ++stats_.replaced;
        db_.delete_document(p.article_term);
    }
    const corpus::Article& a = p.article;
    const std::string date = date_key(a.date);
    const std::string source = format::normalize_source(a.source);
    const std::string title_prefix(format::kPrefixTitle);
    for (auto& ps : p.passages) {
        Xapian::Document doc;
        tg_.set_document(doc);
        if (!a.title.empty()) {
            if (ps.ordinal == 0) {
                // Lead passage: title words with positions (title: phrases),
                // then the headline as body words, then the text.
                tg_.index_text(a.title, 1, title_prefix);
                tg_.index_text(a.title);
                tg_.increase_termpos(kTitleGap);
            } else {
                // Other passages: the same title terms and wdf, no positions
                // (schema.hpp, format v2).
                tg_.index_text_without_positions(a.title, 1, title_prefix);
            }
        }
        tg_.index_text(ps.text);
        doc.add_boolean_term(to_term(format::kPrefixPassage, passage_id(a.id, ps.ordinal)));
        doc.add_boolean_term(p.article_term);
        if (!source.empty()) doc.add_boolean_term(to_term(format::kPrefixSource, source));
        doc.add_boolean_term(p.content);
        doc.add_value(format::kSlotArticle, a.id);
        doc.add_value(format::kSlotOrdinal, Xapian::sortable_serialise(ps.ordinal));
        if (!date.empty()) doc.add_value(format::kSlotDate, date);
        const std::string raw = stored_fields(a, std::move(ps.text));
        format::DocData data;
        data.ordinal = ps.ordinal;
        data.begin = ps.begin;
        data.end = ps.end;
        data.raw_size = raw.size();
        data.payload = codec_->compress(raw);
        stats_.stored_raw += raw.size();
        stats_.stored_compressed += data.payload.size();
        doc.set_data(format::encode(data));
        db_.add_document(doc);
        ++stats_.passages;
    }
    ++stats_.articles;
    ++batch_count_;
    end_batch_if_full();
}

void IndexBuilder::train_and_flush_pending() {
    if (!codec_) {
        std::vector<std::string> samples;
        for (const auto& p : pending_)
            for (const auto& ps : p.passages) samples.push_back(stored_fields(p.article, ps.text));
        auto dict = format::train_dictionary(samples);
        codec_ = std::make_unique<format::PassageCodec>(dict, opts_.zstd_level);
        stats_.dictionary_trained = !dict.empty();
        stats_.dictionary_bytes = dict.size();
        if (!dict.empty()) {
            begin_batch();
            db_.set_metadata(std::string(format::kMetaDictionary), dict);
        }
    }
    for (auto& p : pending_) write_article(p);
    pending_.clear();
    pending_bytes_ = 0;
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
    if (dictionary_unwritten_) {
        db_.set_metadata(std::string(format::kMetaDictionary), *opts_.dictionary);
        dictionary_unwritten_ = false;
    }
    std::string split = "words=" + std::to_string(opts_.split.words) + " overlap=" + std::to_string(opts_.split.overlap);
    db_.set_metadata(std::string(format::kMetaSplit), split);
    db_.commit_transaction();
    in_batch_ = false;
    ++stats_.commits;
}

void IndexBuilder::finish() {
    train_and_flush_pending();
    commit_batch();
    if ((stats_.commits == 0 && db_.get_doccount() == 0) || dictionary_unwritten_) {
        // Nothing indexed: still leave a stamped, valid (empty) index behind.
        db_.begin_transaction(true);
        in_batch_ = true;
        commit_batch();
    }
    db_.commit();
}

std::uint64_t directory_bytes(const std::string& path) {
    std::uint64_t total = 0;
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
    for (const auto& e : fs::recursive_directory_iterator(path, ec))
        if (e.is_regular_file(ec)) total += e.file_size(ec);
    return total;
}

namespace {

// "812 B", "45.3 KB", "27.6 MB", "1.20 GB" (decimal units, as MB/s is).
std::string mb(std::uint64_t bytes) {
    char buf[32];
    auto b = static_cast<double>(bytes);
    if (bytes < 1000) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else if (b < 1e6) std::snprintf(buf, sizeof buf, "%.1f KB", b / 1e3);
    else if (b < 1e9) std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
    else std::snprintf(buf, sizeof buf, "%.2f GB", b / 1e9);
    return buf;
}

// "file:line: reason (detail); stopped by --on-error fail"
std::string fail_message(const corpus::Diagnostic& d) {
    std::string m;
    if (!d.file.empty()) m = d.file + (d.line ? ":" + std::to_string(d.line) : std::string()) + ": ";
    m += d.reason;
    if (!d.detail.empty()) m += " (" + d.detail + ")";
    return m + "; stopped by --on-error fail (committed batches are kept)";
}

std::string reasons(const std::map<std::string, std::uint64_t>& by_reason) {
    std::string s;
    for (const auto& [reason, n] : by_reason) {
        if (!s.empty()) s += ", ";
        s += std::to_string(n) + " " + reason;
    }
    return s;
}

}  // namespace

int run_index(const IndexConfig& cfg, std::ostream& out, std::ostream& err) {
    if (!cfg.delete_ids.empty()) return run_delete(cfg, out, err);
    auto start = std::chrono::steady_clock::now();
    Progress progress(err, cfg.progress);
    // Print the first few diagnostics of each reason; the summary counts them all.
    std::map<std::string, int> shown;
    corpus::Diagnostics diag([&](const corpus::Diagnostic& d) {
        if (cfg.on_error == OnError::Fail && d.severity == corpus::Severity::Skipped) {
            // Unwinds through the builder, whose destructor cancels the open batch.
            progress.clear();
            throw Error(fail_message(d));
        }
        if (++shown[d.reason] <= 5) {
            progress.clear();
            err << "trawl-index: " << corpus::format_diagnostic(d) << "\n";
        } else if (shown[d.reason] == 6) {
            progress.clear();
            err << "trawl-index: further '" << d.reason << "' messages are counted, not shown\n";
        }
    });

    BuilderOptions bo;
    bo.split = cfg.split;
    bo.batch_articles = cfg.batch_articles;
    bo.zstd_level = cfg.zstd_level;
    PipelineOptions po;
    po.threads = cfg.threads;
    po.shards = cfg.shards;
    po.memory_bytes = cfg.memory_bytes;
    po.compact = cfg.compact;
    // Inputs first: a missing file or an unmappable CSV header stops the run before the index is touched.
    auto reader = corpus::open_corpus(cfg.inputs, cfg.reader, diag);
    IndexPipeline builder(cfg.db_path, bo, po, diag);
    Cleaner cleaner(cfg.cleaning, diag);
    cleaner.learn(cfg.inputs, cfg.reader);  // the first pass: boilerplate statistics
    auto indexed = [&](std::uint64_t hash) { return builder.article_with_content(hash); };
    // Cleaning runs here, on the reading thread, in input order (Cleaner is
    // not thread-safe); the pipeline's workers split and index.
    for (corpus::Article a; reader->next(a); a = {}) {
        if (cleaner.process(a, indexed)) builder.add(std::move(a));
        progress.update(builder.articles_accepted(), builder.passages_accepted(), reader->bytes_read());
    }
    builder.finish();
    progress.clear();

    if (cfg.summary) {
        const auto& s = builder.stats();
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        auto in_bytes = reader->bytes_read();
        char rate[64];
        std::snprintf(rate, sizeof rate, "%.1f s (%.2f MB/s)", secs,
                      secs > 0 ? static_cast<double>(in_bytes) / 1e6 / secs : 0.0);
        char ratio[32];
        std::snprintf(ratio, sizeof ratio, "%.2fx",
                      s.stored_compressed ? static_cast<double>(s.stored_raw) / static_cast<double>(s.stored_compressed) : 0.0);
        out << "indexed " << s.articles << " articles as " << s.passages << " passages";
        if (s.replaced) out << " (" << s.replaced << " replaced earlier versions)";
        out << " from " << mb(in_bytes) << " of input in " << rate << "\n";
        out << "skipped " << diag.skipped() << " records";
        if (diag.skipped()) out << " (" << reasons(diag.skipped_by_reason()) << ")";
        if (diag.warnings()) out << "; " << diag.warnings() << " warnings (" << reasons(diag.warnings_by_reason()) << ")";
        out << "\n";
        cleaner.print_summary(out);
        out << "stored text " << mb(s.stored_raw) << " -> " << mb(s.stored_compressed) << " (" << ratio << ", zstd "
            << (s.dictionary_bytes ? "with a " + std::to_string(s.dictionary_bytes / 1024) + " KiB dictionary" +
                                         (s.dictionary_trained ? " trained on this corpus" : "")
                                   : std::string("without dictionary"))
            << ")\n";
        std::uint64_t docdata = 0;
        for (const auto& shard : format::shard_paths(cfg.db_path)) {
            std::error_code ec;
            auto n = fs::file_size(fs::path(shard) / "docdata.glass", ec);
            if (!ec) docdata += n;
        }
        out << "index " << cfg.db_path << ": " << builder.doc_count() << " passages in " << builder.layout() << ", "
            << mb(directory_bytes(cfg.db_path)) << " on disk (stored text table " << mb(docdata) << ")\n";
    }
    return 0;
}

}  // namespace trawl::index
