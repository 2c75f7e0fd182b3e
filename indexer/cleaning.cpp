#include "indexer/cleaning.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "corpus/base/ascii.hpp"
#include "corpus/base/counted.hpp"
#include "corpus/base/utf8.hpp"
#include "corpus/text/nfc.hpp"

namespace trawl::index {
namespace {

constexpr std::size_t kExamples = 2;  // per kind (exact, near)
constexpr std::size_t kTop = 5;

std::uint64_t id_hash(const std::string& id) { return std::hash<std::string>{}(id); }

bool is_blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return is_ascii_space(c); });
}

// A title goes on every passage of its article (its words as terms, its text
// in each stored record): a headline is a line, and a "title" of 64 KB made a
// passage cost 100 times the memory and disk it should.
constexpr std::size_t kMaxTitleBytes = 1000;

// `title` cut to at most kMaxTitleBytes at a space (or, in a run without one,
// at a UTF-8 character boundary); false when it was short enough.
bool cut_title(std::string& title) {
    if (title.size() <= kMaxTitleBytes) return false;
    std::size_t cut = utf8_cut(title, kMaxTitleBytes);
    if (const auto space = title.rfind(' ', cut); space != std::string::npos && space > kMaxTitleBytes / 2) cut = space;
    title.resize(cut);
    return true;
}

// A removed line for the summary: at most ~72 bytes, cut at a UTF-8 boundary.
std::string shorten(const std::string& s) {
    constexpr std::size_t kMax = 72;
    if (s.size() <= kMax) return s;
    return s.substr(0, utf8_cut(s, kMax)) + "...";
}

// The first pass on several threads: batches of articles in the order they
// are read, digested by `threads` workers, and their digests added to the
// learner batch by batch in that order, so the counts are those of one thread
// adding each article in turn. At most 2 x threads batches are read and not
// yet added: memory stays bounded whatever the input.
class ParallelDigests {
public:
    ParallelDigests(corpus::BoilerplateLearner& learner, unsigned threads)
        : learner_(learner), max_pending_(2 * std::size_t{threads}) {
        workers_.reserve(threads);
        try {
            for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
        } catch (...) {  // a thread that cannot be made: stop those that were
            stop();
            throw;
        }
    }
    ~ParallelDigests() { stop(); }
    ParallelDigests(const ParallelDigests&) = delete;
    ParallelDigests& operator=(const ParallelDigests&) = delete;

    // Queues a batch; while too many are pending, adds the oldest's digests.
    void push(std::vector<corpus::Article> batch) {
        std::unique_lock l(m_);
        batches_.push_back({std::move(batch), {}, false});
        work_ready_.notify_one();
        while (batches_.size() > max_pending_) add_oldest(l);
    }
    // Adds the digests of every batch left; rethrows a worker's failure.
    void finish() {
        std::unique_lock l(m_);
        while (!batches_.empty()) add_oldest(l);
    }

private:
    void stop() {
        {
            std::lock_guard l(m_);
            closing_ = true;
        }
        work_ready_.notify_all();
        for (auto& w : workers_)
            if (w.joinable()) w.join();
    }

    struct Batch {
        std::vector<corpus::Article> articles;
        std::vector<corpus::BoilerplateLearner::Digest> digests;
        bool done = false;
    };

    void add_oldest(std::unique_lock<std::mutex>& l) {
        done_.wait(l, [&] { return batches_.front().done || failure_; });
        if (failure_) std::rethrow_exception(failure_);
        auto digests = std::move(batches_.front().digests);
        batches_.pop_front();  // never a batch a worker holds: those are not done
        ++front_seq_;
        l.unlock();
        for (const auto& d : digests) learner_.add(d);
        l.lock();
    }

    void work() {
        for (;;) {
            Batch* b = nullptr;
            {
                std::unique_lock l(m_);
                work_ready_.wait(l, [&] { return closing_ || failure_ || taken_ < front_seq_ + batches_.size(); });
                if (closing_ || failure_) return;
                b = &batches_[taken_ - front_seq_];  // a deque's elements stay put as it grows
                ++taken_;
            }
            try {
                std::vector<corpus::BoilerplateLearner::Digest> digests;
                digests.reserve(b->articles.size());
                for (auto& a : b->articles) {
                    corpus::nfc_article(a);                 // as process() will see it
                    digests.push_back(learner_.digest(a));  // const: reads options only
                }
                std::lock_guard l(m_);
                b->digests = std::move(digests);
                b->articles = {};
                b->done = true;
            } catch (...) {
                std::lock_guard l(m_);
                if (!failure_) failure_ = std::current_exception();
            }
            done_.notify_all();
        }
    }

    corpus::BoilerplateLearner& learner_;
    const std::size_t max_pending_;
    std::vector<std::thread> workers_;
    std::mutex m_;
    std::condition_variable work_ready_, done_;
    std::deque<Batch> batches_;
    std::size_t front_seq_ = 0;  // the sequence number of batches_.front()
    std::size_t taken_ = 0;      // batches handed to a worker so far
    bool closing_ = false;
    std::exception_ptr failure_;
};

constexpr unsigned kMaxDigestWorkers = 8;
constexpr std::size_t kBatchArticles = 256;
constexpr std::size_t kBatchBytes = std::size_t{1} << 20;

}  // namespace

Cleaner::Cleaner(CleaningOptions opts, corpus::Diagnostics& diag)
    : opts_(std::move(opts)), diag_(diag), dedup_(opts_.dedup) {}

bool Cleaner::learn(const std::vector<corpus::InputFile>& inputs, const corpus::ReaderOptions& reader,
                    const ReadListener& on_read, unsigned threads) {
    for (const auto& in : inputs)
        if (in.unreadable.empty() && corpus::is_read_once(in.source().file))
            return false;  // stdin, a pipe, a FIFO not copied: the indexing pass reads it
    corpus::Diagnostics quiet;
    learn(*corpus::open_inputs(inputs, reader, quiet), on_read, threads);
    return true;
}

void Cleaner::learn(corpus::ArticleReader& articles, const ReadListener& on_read, unsigned threads) {
    std::vector<std::uint64_t> ids;
    const auto count_id = [&](const corpus::Article& a) {
        if (!a.id.empty()) ids.push_back(id_hash(a.id));
    };
    if (!opts_.boilerplate) {  // the ids only
        for (corpus::Article a; articles.next(a);) {
            count_id(a);
            if (on_read) on_read(articles.bytes_read());
        }
        planned(std::move(ids));
        return;
    }
    corpus::BoilerplateLearner learner(opts_.learn);
    if (threads == 0) {
        for (corpus::Article a; articles.next(a);) {
            count_id(a);
            corpus::nfc_article(a);  // as process() will see it
            learner.add(a);
            if (on_read) on_read(articles.bytes_read());
        }
    } else {
        // Cutting and folding the text is most of the pass (7.2 of a 67 s
        // two-thread build of Wikipedia; bench/RESULTS.md, "Issue 10, tenth
        // round"): on the workers, while this thread reads (with one
        // worker, as the indexing of one database overlaps its writer).
        // The reading thread sets the pace beyond a few workers.
        ParallelDigests pool(learner, std::min(threads, kMaxDigestWorkers));
        std::vector<corpus::Article> batch;
        std::size_t bytes = 0;
        for (corpus::Article a; articles.next(a);) {
            count_id(a);
            bytes += a.title.size() + a.body.size();
            batch.push_back(a);  // a copy: `a` is read into again, as by the loop above
            if (on_read) on_read(articles.bytes_read());
            if (batch.size() == kBatchArticles || bytes >= kBatchBytes) {
                pool.push(std::move(batch));
                batch = {};
                bytes = 0;
            }
        }
        if (!batch.empty()) pool.push(std::move(batch));
        pool.finish();
    }
    learned(learner);
    planned(std::move(ids));
}

void Cleaner::learn(const std::vector<corpus::Article>& articles) {
    std::vector<std::uint64_t> ids;
    for (const auto& a : articles)
        if (!a.id.empty()) ids.push_back(id_hash(a.id));
    if (opts_.boilerplate) {
        corpus::BoilerplateLearner learner(opts_.learn);
        for (auto a : articles) {
            corpus::nfc_article(a);  // as process() will see it
            learner.add(a);
        }
        learned(learner);
    }
    planned(std::move(ids));
}

void Cleaner::planned(std::vector<std::uint64_t> ids) {
    std::sort(ids.begin(), ids.end());
    planned_ = std::move(ids);
    planned_known_ = true;
    met_.clear();
}

std::size_t Cleaner::planned_records(std::uint64_t hash) const {
    const auto [lo, hi] = std::equal_range(planned_.begin(), planned_.end(), hash);
    return static_cast<std::size_t>(hi - lo);
}

bool Cleaner::in_run(const std::string& id) const {
    const auto h = id_hash(id);
    return planned_known_ ? planned_records(h) > 0 : met_.contains(h);
}

void Cleaner::learned(const corpus::BoilerplateLearner& learner) {
    filter_ = corpus::BoilerplateFilter(learner);
    stats_.learned = true;
    stats_.learned_from = learner.articles();
    stats_.learned_units = filter_.learned_units();
}

bool Cleaner::process(corpus::Article& a, const IndexedLookup& indexed) {
    last_duplicate_ = false;
    // Whether this run met the id before: then this version must replace that
    // one (the last version wins), not be skipped as unchanged.
    bool first_in_run = true;
    if (!a.id.empty()) {
        const auto h = id_hash(a.id);
        if (!planned_known_) {
            first_in_run = ++met_[h] == 1;
        } else if (const auto n = planned_records(h); n > 1) {
            const auto met = ++met_[h];
            if (met < n) {  // a later record of this run has the same id: it is the one indexed
                ++stats_.superseded;
                diag_.report({corpus::Severity::Warning, a.location, 0, "duplicate id",
                              "article " + a.id + ": a later record of this run replaces it"});
                return false;
            }
            first_in_run = met == n;  // (more records than the first pass read: the input changed meanwhile)
        }
    }
    // Text in one Unicode form (NFC) from here on: an article written with
    // decomposed accents ("cafe" + U+0301) and one with precomposed ones are
    // the same words and the same content hash. The id stays as spelled.
    corpus::nfc_article(a);
    // A headline-only record's title is all its text: what the cut leaves
    // out of the title stays searchable as its body.
    const bool headline_only = is_blank(a.body) && a.title.size() > kMaxTitleBytes;
    if (headline_only) a.body = a.title;
    if (const auto bytes = a.title.size(); cut_title(a.title))
        diag_.report({corpus::Severity::Warning, a.location, 0, "title too long",
                      "article " + a.id + ": cut to " + std::to_string(a.title.size()) + " of " +
                          std::to_string(bytes) + " bytes"});
    std::vector<std::string> removed;
    if (opts_.boilerplate) {
        removed = filter_.clean(a);
        // With its title left, an article is indexed title-only, as one
        // whose record had no text (PassageSplitter::split).
        if (!removed.empty() && a.body.empty() && is_blank(a.title)) {
            diag_.report({corpus::Severity::Skipped, a.location, 0, "only boilerplate", "article " + a.id});
            return false;
        }
    }
    if (!is_duplicate(a, indexed, first_in_run)) {
        // Counted for the articles indexed only, so that a skipped duplicate's
        // footer is not counted twice.
        if (!removed.empty()) ++stats_.articles_cleaned;
        for (const auto& r : removed) stats_.removed.add(r);
        return true;
    }
    return false;
}

bool Cleaner::is_duplicate(const corpus::Article& a, const IndexedLookup& indexed, bool first_in_run) {
    // A title-only article is compared by its title (content_hash folds
    // title and body): the same headline twice is an exact duplicate.
    if (a.id.empty() || (a.body.empty() && is_blank(a.title))) return false;
    const bool dedup = opts_.dedup.mode != corpus::DedupMode::Off;
    if (!dedup && !(indexed && skip_unchanged_)) return false;
    corpus::Duplicate d;
    if (dedup) d = dedup_.find(a);
    else d.content_hash = corpus::content_hash(a);
    std::string tag = "exact";
    if (d.kind == corpus::Duplicate::Kind::None && indexed) {
        std::string owner = indexed(d.content_hash, a);
        // Indexed already, as it is now (with --dedup off too: re-running a
        // command leaves the index as it is).
        if (!owner.empty() && owner == a.id && skip_unchanged_ && first_in_run) {
            if (dedup) dedup_.remember(a, d);
            ++stats_.unchanged;
            return true;
        }
        if (!dedup) return false;
        // The same id with other content is a re-index: a replace. Another id
        // is the original unless this run holds a record of that id too, which
        // decides what stays of it (it may replace that content, which would
        // then be lost).
        if (!owner.empty() && owner != a.id && !in_run(owner)) {
            d.kind = corpus::Duplicate::Kind::Exact;
            d.of = std::move(owner);
            d.of_hash = d.content_hash;
            tag = "exact, already indexed";
            ++stats_.exact_indexed;
        }
    }
    if (d.kind == corpus::Duplicate::Kind::None) {
        dedup_.remember(a, d);
        return false;
    }
    std::uint64_t seen = 0;
    if (d.kind == corpus::Duplicate::Kind::Exact) {
        seen = stats_.exact++;
    } else {
        seen = stats_.near++;
        char sim[32];
        std::snprintf(sim, sizeof sim, "near, %.2f", d.similarity);
        tag = sim;
    }
    if (seen < kExamples) stats_.examples.push_back(a.id + " = " + d.of + " (" + tag + ")");
    // The id's earlier version goes, whichever article it duplicates: its
    // current content is a duplicate, so its old text is no longer its text
    // (kept, it stayed searchable under the id, unlike in a fresh run). The
    // content itself stays in the original, which this run leaves alone: an
    // indexed article is an original only when this run holds no record of
    // its id (see above).
    last_duplicate_ = true;
    last_original_ = d.of_hash;
    return true;
}

std::string restored_text(std::uint64_t restored) {
    return restored == 1 ? "1 duplicate re-indexed: its original changed or was deleted"
                         : std::to_string(restored) + " duplicates re-indexed: their original changed or was deleted";
}

void print_cleaning_summary(std::ostream& out, const CleaningOptions& opts, const CleaningStats& stats,
                            std::uint64_t restored) {
    if (!opts.boilerplate) {
        out << "boilerplate kept (--keep-boilerplate)\n";
    } else {
        const auto& r = stats.removed;
        out << "removed " << counted(r.total(), "boilerplate line") << " from "
            << counted(stats.articles_cleaned, "article") << " (";
        if (stats.learned)
            out << counted(stats.learned_units, "line") << " learned from " << counted(stats.learned_from, "article")
                << ", plus the built-in list";
        else out << "built-in list only";
        const auto top = r.top(kTop);
        if (!top.empty()) {
            out << "; top:";
            const char* sep = " ";
            for (const auto& [text, n] : top) {
                out << sep << '"' << shorten(text) << "\" \xC3\x97" << n;
                sep = ", ";
            }
        }
        out << ")\n";
    }
    out << "duplicates: ";
    if (opts.dedup.mode == corpus::DedupMode::Off) {
        out << "not checked (--dedup off)";
        if (stats.unchanged) out << "; " << stats.unchanged << " unchanged since an earlier run indexed them (skipped)";
        if (restored) out << "; " << restored_text(restored);
        out << "\n";
        return;
    }
    out << stats.exact << " exact";
    if (stats.exact_indexed) out << " (" << stats.exact_indexed << " of articles already in the index)";
    if (opts.dedup.mode == corpus::DedupMode::Near) out << ", " << stats.near << " near";
    out << " (skipped";
    for (std::size_t i = 0; i < stats.examples.size(); ++i)
        out << (i ? "; " : "; e.g. ") << corpus::one_line(stats.examples[i]);
    out << ")";
    if (stats.unchanged) out << "; " << stats.unchanged << " unchanged since an earlier run indexed them (skipped)";
    if (restored) out << "; " << restored_text(restored);
    out << "\n";
}

}  // namespace trawl::index
