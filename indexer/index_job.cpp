#include "indexer/index_job.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>

#include "corpus/base/counted.hpp"
#include "corpus/base/disk_usage.hpp"
#include "corpus/base/error.hpp"
#include "indexer/delete_articles.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/input_spool.hpp"
#include "indexer/interrupt.hpp"
#include "indexer/progress.hpp"
#include "indexer/prune.hpp"
#include "indexer/rebuild.hpp"
#include "indexer/stream_feed.hpp"

namespace trawl::index {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// Articles held in memory, handed out one copy at a time.
class MemoryReader : public corpus::ArticleReader {
public:
    explicit MemoryReader(const std::vector<corpus::Article>& articles) : articles_(articles) {}
    bool next(corpus::Article& out) override {
        if (next_ == articles_.size()) return false;
        out = articles_[next_++];
        return true;
    }
    std::uint64_t bytes_read() const override { return 0; }

private:
    const std::vector<corpus::Article>& articles_;
    std::size_t next_ = 0;
};

// The bytes of glass table `table` ("position") over every shard of the index at `path`.
std::uint64_t table_bytes(const std::string& path, const char* table) {
    std::uint64_t total = 0;
    for (const auto& shard : format::shard_paths(path)) {
        std::error_code ec;
        auto n = fs::file_size(fs::path(shard) / (std::string(table) + ".glass"), ec);
        if (!ec) total += n;
    }
    return total;
}

// Where the indexing pass gets its articles: `reader`, or with --stream the
// feed reading it on its own thread.
struct Articles {
    corpus::ArticleReader* reader = nullptr;
    StreamFeed* stream = nullptr;
    std::uint64_t bytes_read() const { return stream ? stream->bytes_read() : reader->bytes_read(); }
};

// The job once its articles can be read: opens the index, runs the cleaner's
// first pass (`learn`), then cleans and adds what `articles` gives.
// `learn` returns the articles its pass read (0: no pass), the total of the
// indexing pass. A signal caught (interrupt.hpp) abandons the run between
// articles: Interrupted is thrown once the pipeline has cancelled its open
// batches and removed its temporaries.
IndexReport run_job(const IndexConfig& cfg, Articles articles, const std::function<std::uint64_t(Cleaner&)>& learn,
                    corpus::Diagnostics& diag, Progress* progress, const ArticleSink& kept, Clock::time_point start) {
    IndexPipeline builder(cfg.db_path, cfg.builder, cfg.pipeline, diag);
    builder.set_progress(progress);
    Cleaner cleaner(cfg.cleaning, diag);
    std::unordered_set<std::string> ids_read;  // with --prune (IndexReport::ids_read)
    const std::uint64_t total = learn(cleaner);
    if (progress) progress->phase(Phase::Indexing, total);
    cleaner.skip_unchanged(builder.splits_as_earlier_runs());
    auto indexed = [&](std::uint64_t hash, const corpus::Article& a) { return builder.article_with_content(hash, a); };
    // --stream: the open batch is committed once the input has been silent
    // for cfg.commit_idle (then the wait is for the next article, however
    // long), and the twins it orphaned are restored.
    bool batch_open = false;
    auto last_article = Clock::now();
    // Cleaning runs here, on the reading thread, in input order (Cleaner is
    // not thread-safe); the pipeline's workers split and index.
    std::uint64_t skipped = 0;  // read but not indexed: done as far as the progress line goes
    for (corpus::Article a;; a = {}) {
        if (const int signal = interrupt_signal()) throw Interrupted(signal, builder.abandon());
        if (articles.stream) {
            using std::chrono::milliseconds;
            const auto silent = std::chrono::duration_cast<milliseconds>(Clock::now() - last_article);
            auto wait = batch_open ? std::max(milliseconds(1), cfg.commit_idle - silent) : milliseconds::zero();
            // Workers still writing (--shards) may commit a batch that
            // orphans twins while the input is silent: look again soon.
            constexpr milliseconds kLookAgain{200};
            if (builder.workers_writing() && (wait.count() == 0 || wait > kLookAgain)) wait = kLookAgain;
            const auto got = articles.stream->next(a, wait);
            if (got == StreamFeed::Got::End) break;
            if (got == StreamFeed::Got::Interrupted) continue;  // thrown above
            if (got == StreamFeed::Got::Idle) {
                if (batch_open && Clock::now() - last_article >= cfg.commit_idle) {
                    builder.commit_open_batches();
                    batch_open = false;
                } else {
                    builder.restore_twins_at_commits();
                }
                continue;
            }
            last_article = Clock::now();
            batch_open = cfg.commit_idle.count() > 0;
        } else if (!articles.reader->next(a)) {
            break;
        }
        if (cfg.prune) ids_read.insert(a.id);
        if (cleaner.process(a, indexed)) {
            if (kept) kept(a);
            builder.add(std::move(a));
        } else {
            // This run's record of the id decides what stays of it: a
            // duplicate's own text, kept as a twin record until the
            // article it duplicates changes or goes (indexer/twins.hpp).
            if (cleaner.last_was_duplicate()) {
                builder.remove(a.id);
                builder.twin(a, cleaner.last_original());
            }
            if (progress) progress->skipped(++skipped);
        }
        // A batch committed (every --batch articles) may have replaced the
        // original of twins: restored now, not when a feed that may never
        // end ends.
        if (articles.stream) builder.restore_twins_at_commits();
        if (progress) progress->update(builder.articles_accepted(), builder.passages_accepted(), articles.bytes_read());
    }
    builder.finish();
    if (progress) progress->clear();

    IndexReport r;
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.build = builder.stats();
    r.cleaning = cleaner.stats();
    r.passages_in_index = builder.doc_count();
    r.layout = builder.layout();
    r.input_bytes = articles.bytes_read();
    r.index_bytes = directory_bytes(cfg.db_path);
    r.position_table_bytes = table_bytes(cfg.db_path, "position");
    r.ids_read = std::move(ids_read);
    return r;
}

std::string mb(std::uint64_t bytes) { return format_bytes(bytes); }

// corpus::list_corpus of the `paths` read once (`read_once`), or of the
// others, each file numbered by its argument among all of `paths`.
std::vector<corpus::InputFile> list_some(const std::vector<std::string>& paths, const corpus::ReaderOptions& opts,
                                         bool read_once) {
    std::vector<std::string> some;
    std::vector<std::size_t> argument;  // of each of `some` in `paths`
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (corpus::is_read_once(paths[i]) != read_once) continue;
        some.push_back(paths[i]);
        argument.push_back(i);
    }
    auto listed = corpus::list_corpus(some, opts);
    for (auto& in : listed) in.argument = argument[in.argument];
    return listed;
}

// "file:line: reason (detail); stopped by --on-error fail"
std::string fail_message(const corpus::Diagnostic& d) {
    return corpus::format_diagnostic(d, false) + "; stopped by --on-error fail (committed batches are kept)";
}

std::string reasons(const std::map<std::string, std::uint64_t>& by_reason) {
    std::string s;
    for (const auto& [reason, n] : by_reason) {
        if (!s.empty()) s += ", ";
        s += std::to_string(n) + " " + reason;
    }
    return s;
}

// trawl-index --delete: deletes, warns about unknown ids on `err`, prints the
// summary on `out` (unless quiet).
int run_delete(const IndexConfig& cfg, std::ostream& out, std::ostream& err) {
    const DeleteStats s = delete_articles(cfg.db_path, cfg.delete_ids);
    // The first few by name, as the job's other diagnostics: a --delete-from
    // list of thousands of stale ids would otherwise flood the terminal.
    constexpr std::size_t kShown = 5;
    std::map<std::string, std::string> origin;  // id -> where --delete-from listed it first
    for (std::size_t i = 0; i < cfg.delete_ids.size() && i < cfg.delete_origins.size(); ++i)
        origin.emplace(cfg.delete_ids[i], cfg.delete_origins[i]);
    for (std::size_t i = 0; i < s.unknown.size() && i < kShown; ++i) {
        const auto where = origin.find(s.unknown[i]);
        // "trawl-index: FILE:LINE: ...", as the readers' diagnostics are.
        err << "trawl-index: " << (where != origin.end() && !where->second.empty() ? where->second + ": " : "")
            << "warning: no article '" << format::printable(s.unknown[i]) << "' in " << cfg.db_path << "\n";
    }
    if (s.unknown.size() > kShown)
        err << "trawl-index: warning: " << s.unknown.size() - kShown << " further ids not in " << cfg.db_path
            << " (counted in the summary)\n";
    if (cfg.summary) {
        out << "deleted " << counted(s.articles, "article") << " (" << counted(s.passages, "passage") << ")";
        if (!s.unknown.empty()) out << "; " << counted(s.unknown.size(), "unknown id");
        if (s.restored) out << "; " << restored_text(s.restored);
        out << "\n";
    }
    return 0;
}

// trawl-index --rebuild: rewrites the databases with dead passages, prints
// the summary on `out` (unless quiet).
int run_rebuild(const IndexConfig& cfg, std::ostream& out, std::ostream& err) {
    Progress progress(err, cfg.progress);
    RebuildOptions opts;
    opts.compact = cfg.pipeline.compact;
    opts.memory_bytes = cfg.pipeline.memory_bytes;
    opts.batch_articles = cfg.builder.batch_articles;
    const auto start = Clock::now();
    const RebuildStats s = rebuild_index(cfg.db_path, opts, &progress);
    progress.clear();
    if (!cfg.summary) return 0;
    const std::string what =
        s.databases > 1 ? std::to_string(s.rebuilt) + " of " + std::to_string(s.databases) + " shards of " + cfg.db_path
                        : cfg.db_path;
    if (s.rebuilt == 0) {
        out << "nothing to rebuild: " << cfg.db_path << " has no dead passages\n";
        return 0;
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f s", std::chrono::duration<double>(Clock::now() - start).count());
    out << "rebuilt " << what << " without " << counted(s.dead_passages, "dead passage") << ": kept "
        << counted(s.articles, "article") << " as " << counted(s.passages, "passage") << ", " << mb(s.bytes_before)
        << " -> " << mb(s.bytes_after) << " on disk, in " << secs << "\n";
    return 0;
}

}  // namespace

IndexReport index_corpus(const IndexConfig& cfg, corpus::Diagnostics& diag, Progress* progress) {
    const auto start = Clock::now();
    corpus::ReaderOptions opts = cfg.reader;
    // Standard input, a pipe or a FIFO is copied to a file first, so that
    // both passes read it (input_spool.hpp); the copy is removed when the
    // job ends, whatever the outcome.
    std::optional<InputSpool> spool;
    // The inputs are listed once (each folder walked once, each file's
    // format sniffed once): both passes read that list, and --prune counts
    // its files per input (IndexReport::files_per_input).
    std::vector<corpus::InputFile> inputs;
    if (!cfg.stream_inputs && std::any_of(cfg.inputs.begin(), cfg.inputs.end(), corpus::is_read_once)) {
        // What can be checked is, before standard input is read away: the
        // other inputs exist (and their CSV headers can be read), the index
        // can be opened (not locked) or made.
        inputs = list_some(cfg.inputs, opts, false);
        check_writable(cfg.db_path);
        spool.emplace(cfg.inputs, cfg.db_path, progress);
        opts.spooled = spool->copies();
        auto copies = list_some(cfg.inputs, opts, true);
        inputs.insert(inputs.end(), std::make_move_iterator(copies.begin()), std::make_move_iterator(copies.end()));
        std::stable_sort(inputs.begin(), inputs.end(), [](const corpus::InputFile& a, const corpus::InputFile& b) {
            return a.argument < b.argument;
        });
    } else {
        // Inputs first: a missing file or an unmappable CSV header stops the run before the index is touched.
        inputs = corpus::list_corpus(cfg.inputs, opts);
    }
    std::vector<std::size_t> files_per_input(cfg.inputs.size());
    for (const auto& in : inputs) ++files_per_input[in.argument];
    auto reader = corpus::open_inputs(inputs, opts, diag);
    const std::uint64_t input_bytes = reader->bytes_total();  // what the first pass reads (0: unknown)
    auto learn = [&](Cleaner& c) -> std::uint64_t {
        std::uint64_t articles = 0;
        const auto on_read = [&](std::uint64_t read) {
            if (const int signal = interrupt_signal()) throw Interrupted(signal, 0);
            if (progress && articles == 0)
                progress->phase(cfg.cleaning.boilerplate ? Phase::Learning : Phase::ReadingIds, input_bytes);
            ++articles;
            if (progress) progress->advance(read, std::to_string(articles) + " articles, " + mb(read) + " read");
        };
        return c.learn(inputs, opts, on_read, cfg.pipeline.threads) ? articles : 0;
    };
    IndexReport r;
    if (cfg.stream_inputs) {
        StreamFeed feed(std::move(reader));
        r = run_job(cfg, {.stream = &feed}, learn, diag, progress, {}, start);
    } else {
        r = run_job(cfg, {.reader = reader.get()}, learn, diag, progress, {}, start);
    }
    r.files_per_input = std::move(files_per_input);
    return r;
}

IndexReport index_articles(const IndexConfig& cfg, const ArticleSource& source, corpus::Diagnostics& diag,
                           const ArticleSink& kept) {
    const auto start = Clock::now();
    auto learn = [&](Cleaner& c) -> std::uint64_t {
        c.learn(*source(), {}, cfg.pipeline.threads);
        return 0;
    };
    auto reader = source();
    return run_job(cfg, {.reader = reader.get()}, learn, diag, nullptr, kept, start);
}

ArticleSource articles_in_memory(const std::vector<corpus::Article>& articles) {
    return [&articles] { return std::make_unique<MemoryReader>(articles); };
}

void print_summary(std::ostream& out, const IndexConfig& cfg, const IndexReport& r, const corpus::Diagnostics& diag) {
    const auto& s = r.build;
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.1f s (%.2f MB/s)", r.seconds,
                  r.seconds > 0 ? static_cast<double>(r.input_bytes) / 1e6 / r.seconds : 0.0);
    char ratio[32];
    std::snprintf(
        ratio, sizeof ratio, "%.2fx",
        s.stored_compressed ? static_cast<double>(s.stored_raw) / static_cast<double>(s.stored_compressed) : 0.0);
    out << "indexed " << counted(s.articles, "article") << " as " << counted(s.passages, "passage");
    if (s.replaced)
        out << " (" << counted(s.replaced, "replaced an earlier version", "replaced earlier versions") << ")";
    if (s.removed)
        out << " ("
            << counted(s.removed, "earlier version removed as a duplicate", "earlier versions removed as duplicates")
            << ")";
    out << " from " << mb(r.input_bytes) << " of input in " << rate << "\n";
    out << "skipped " << counted(diag.skipped(), "record");
    if (diag.skipped()) out << " (" << reasons(diag.skipped_by_reason()) << ")";
    if (diag.warnings())
        out << "; " << counted(diag.warnings(), "warning") << " (" << reasons(diag.warnings_by_reason()) << ")";
    out << "\n";
    print_cleaning_summary(out, cfg.cleaning, r.cleaning, s.restored);
    out << "stored text " << mb(s.stored_raw) << " -> " << mb(s.stored_compressed) << " (" << ratio << ", zstd "
        << (s.dictionary_bytes ? "with a " +
                                     (s.dictionary_bytes < 1024 ? std::to_string(s.dictionary_bytes) + " B"
                                                                : std::to_string(s.dictionary_bytes / 1024) + " KiB") +
                                     " dictionary" + (s.dictionary_trained ? " trained on this corpus" : "")
                               : std::string("without dictionary"))
        << ")\n";
    out << "index " << cfg.db_path << ": " << counted(r.passages_in_index, "passage") << " in " << r.layout << ", "
        << mb(r.index_bytes) << " on disk (positions " << mb(r.position_table_bytes)
        << "; postings and stored text the rest)\n";
}

int run_index(const IndexConfig& cfg, std::ostream& out, std::ostream& err) {
    if (cfg.deleting) return run_delete(cfg, out, err);
    if (cfg.rebuild) return run_rebuild(cfg, out, err);
    Progress progress(err, cfg.progress);
    // Print the first few diagnostics of each reason; the summary counts them all.
    std::map<std::string, int> shown;
    corpus::Diagnostics diag([&](const corpus::Diagnostic& d) {
        if (cfg.on_error == OnError::Fail && d.severity == corpus::Severity::Skipped) {
            // Unwinds through the pipeline, whose builders cancel their open batches.
            progress.clear();
            throw Error(fail_message(d));
        }
        // (Called one report at a time, from the reading thread or a worker.)
        if (++shown[d.reason] <= 5) progress.message("trawl-index: " + corpus::format_diagnostic(d));
        else if (shown[d.reason] == 6)
            progress.message("trawl-index: further '" + d.reason + "' messages are counted, not shown");
    });
    try {
        const IndexReport report = index_corpus(cfg, diag, &progress);
        // An empty folder (or only hidden files, docs, an index) was a
        // success that said "indexed 0 articles" and nothing of why.
        if (report.input_bytes == 0 && report.build.articles == 0 && diag.skipped() == 0)
            progress.message(
                "trawl-index: warning: nothing to index: the inputs hold no article (empty files, or "
                "folders without a file to read)");
        if (cfg.summary) print_summary(out, cfg, report, diag);
        if (cfg.prune) {
            // After the run: every file it read is in the index, so what
            // is gone from the folders is what no longer exists.
            // An article this run read stays whatever its stored location
            // (an unchanged one keeps the name of the file it was first
            // read from: renamed, or gzipped in place, it is not gone).
            // A folder holding no file to read (an unmounted disk) prunes
            // nothing.
            // (Told by the files the run listed: the folder is not walked
            // again.)
            std::vector<std::string> inputs;
            for (std::size_t i = 0; i < cfg.inputs.size(); ++i) {
                const std::string& in = cfg.inputs[i];
                const bool none = i < report.files_per_input.size() && report.files_per_input[i] == 0;
                if (none && std::filesystem::is_directory(in))
                    progress.message("trawl-index: warning: " + corpus::one_line(in) +
                                     " holds no file to read: nothing pruned from it");
                else inputs.push_back(in);
            }
            auto gone = articles_whose_files_are_gone(cfg.db_path, inputs);
            std::erase_if(gone, [&](const std::string& id) { return report.ids_read.contains(id); });
            const DeleteStats d = gone.empty() ? DeleteStats{} : delete_articles(cfg.db_path, gone);
            if (cfg.summary)
                out << "pruned " << counted(d.articles, "article") << " whose files are gone ("
                    << counted(d.passages, "passage") << ")"
                    << (d.restored ? "; " + restored_text(d.restored) : std::string()) << "\n";
        }
        // A signal in the last moments (the final commit, the merge, the
        // swap) found nothing left to stop: the index is complete, which is
        // what is said (a re-run would find nothing to do), and the run
        // succeeded.
        if (const int signal = interrupt_signal())
            progress.message(completed_anyway_message(signal, report.build.articles, cfg.db_path));
    } catch (const Interrupted& e) {
        progress.message(interrupted_message(e, cfg.db_path));
        return 128 + e.signal();
    }
    return 0;
}

}  // namespace trawl::index
