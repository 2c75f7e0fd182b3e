// Corpus cleaning in trawl-index: boilerplate learned in a first pass over the
// inputs and dropped from each article, and duplicate articles skipped, before
// an article is split and indexed. The pure cores are corpus/clean/boilerplate.hpp
// and corpus/clean/dedup.hpp; this is the per-article step the indexing loop calls,
// with the counts its summary prints.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "corpus/base/diagnostics.hpp"
#include "corpus/clean/boilerplate.hpp"
#include "corpus/clean/dedup.hpp"
#include "corpus/read/article_reader.hpp"

namespace trawl::index {

struct CleaningOptions {
    bool boilerplate = true;  // false: --keep-boilerplate
    corpus::BoilerplateOptions learn;
    corpus::DedupOptions dedup;  // dedup.mode: --dedup
};

struct CleaningStats {
    std::uint64_t learned_from = 0;      // distinct articles the first pass counted
    std::size_t learned_units = 0;       // units found to be boilerplate there
    bool learned = false;                // false: built-in list only (or boilerplate kept)
    std::uint64_t articles_cleaned = 0;  // indexed articles that lost at least one unit
    corpus::RemovalTally removed;        // units removed from indexed articles
    std::uint64_t exact = 0;             // exact duplicates skipped (this run or an earlier one)
    std::uint64_t exact_indexed = 0;     // ... of which duplicate an article already in the index
    std::uint64_t near = 0;              // near duplicates skipped
    std::uint64_t unchanged = 0;         // articles indexed before under the same id with the same content
    std::uint64_t superseded = 0;        // records skipped: a later record of this run has the same id
    std::vector<std::string> examples;   // the first two of each kind, "dup = original (exact)"
};

// The summary lines of a run cleaned with `opts` that counted `stats`, and
// that indexed `restored` duplicates from their twin records (indexer/twins.hpp).
void print_cleaning_summary(std::ostream& out, const CleaningOptions& opts, const CleaningStats& stats,
                            std::uint64_t restored = 0);
// "N duplicates re-indexed: their original changed or was deleted"
std::string restored_text(std::uint64_t restored);

// Not thread-safe: call process() once per article, in input order (the later
// of two duplicates is the one skipped).
class Cleaner {
public:
    // Looks up the article of an earlier run holding the same content hash
    // (IndexPipeline::article_with_content), "" when none; the id of the
    // article given (the one being cleaned) when it is one of them with the
    // same date and source (then the article is unchanged); "" when it is one
    // of them with another date or source (a replace, not a duplicate).
    using IndexedLookup = std::function<std::string(std::uint64_t, const corpus::Article&)>;

    Cleaner(CleaningOptions opts, corpus::Diagnostics& diag);

    // The first pass: reads `inputs` (listed once for the whole run:
    // corpus::list_corpus), learns their boilerplate (not with
    // --keep-boilerplate) and counts the records of each article id (see
    // process()). Does nothing when an input can be read only once (stdin "-",
    // a pipe, a FIFO: corpus::is_read_once) and was listed without a copy
    // (ReaderOptions::spooled; trawl-index makes one, input_spool.hpp): it
    // cannot be read twice (then only the built-in list applies, and a
    // record's later versions are not known ahead). Reader diagnostics of this pass are not
    // reported; the indexing pass reports them.
    // `on_read`, when given, is told the bytes read so far after each article
    // (the progress line). True when the pass ran. With `threads` above 0,
    // this thread reads and `threads` others cut and fold the articles
    // (BoilerplateLearner::digest) in batches, whose digests are counted in
    // the order the articles were read: what is learned does not depend on
    // the thread count. With 0, this thread does all of it.
    using ReadListener = std::function<void(std::uint64_t bytes)>;
    bool learn(const std::vector<corpus::InputFile>& inputs, const corpus::ReaderOptions& reader,
               const ReadListener& on_read = {}, unsigned threads = 0);
    // The same from every article `articles` gives (trawl-bench: articles in memory).
    void learn(corpus::ArticleReader& articles, const ReadListener& on_read = {}, unsigned threads = 0);
    // The same from articles in memory (tests).
    void learn(const std::vector<corpus::Article>& articles);

    // Puts a's title, body and source in Unicode NFC (corpus/text/nfc.hpp;
    // not its id), the one place every indexed article passes, before the
    // content hash: the same text in another form is an exact duplicate. (The
    // first pass folds what it learns from in NFC too.) Then drops
    // boilerplate from a.body; false when the article is to be skipped
    // (a duplicate, or nothing left but boilerplate and no title — reported to
    // diagnostics; with a title it is indexed title-only, as is an article
    // that had no text: its title finds it, and the same title twice is an
    // exact duplicate).
    // Call it for every record the pass reads, in input order. When the first
    // pass counted the ids, a record followed by a later record of the same id
    // is skipped (superseded): the last version is the one indexed, and a run
    // does not index versions it then replaces. An article of an earlier run
    // whose id this run also holds is not taken as the original of a duplicate:
    // this run's record of that id decides what stays of it.
    bool process(corpus::Article& a, const IndexedLookup& indexed = {});
    // True when the last process() skipped its article as a duplicate of
    // another article, of this run or already indexed (exact or near; not
    // as unchanged, superseded or boilerplate): an earlier run's version of
    // that id is then to go too, since this run's record of the id decides
    // what stays of it (IndexPipeline::remove).
    bool last_was_duplicate() const { return last_duplicate_; }
    // Then: the content hash (corpus::content_hash) of the article it
    // duplicates, the one whose content must stay in the index for the
    // skipped article's text to stay findable (its twin record,
    // indexer/twins.hpp, names it).
    std::uint64_t last_original() const { return last_original_; }
    // Skip an article that an earlier run indexed under the same id with the
    // same content (found through `indexed`), instead of replacing it with
    // itself: re-running a command, or resuming a killed run, then leaves
    // exactly the index an uninterrupted run leaves (a replaced article's old
    // passages stay in the collection statistics, format/deletions.hpp). Only
    // when the passages would be cut the same way.
    void skip_unchanged(bool on) { skip_unchanged_ = on; }

    const CleaningStats& stats() const { return stats_; }
    const CleaningOptions& options() const { return opts_; }
    // The summary lines ("removed N boilerplate lines ...", "duplicates: ...").
    void print_summary(std::ostream& out) const { print_cleaning_summary(out, opts_, stats_); }

private:
    void learned(const corpus::BoilerplateLearner& learner);
    void planned(std::vector<std::uint64_t> ids);
    std::size_t planned_records(std::uint64_t hash) const;
    bool in_run(const std::string& id) const;
    bool is_duplicate(const corpus::Article& a, const IndexedLookup& indexed, bool first_in_run);
    bool skip_unchanged_ = false;
    bool last_duplicate_ = false;
    std::uint64_t last_original_ = 0;
    // Hashes (std::hash) of the ids of every record the first pass read,
    // sorted; empty without that pass (planned_known_ false).
    std::vector<std::uint64_t> planned_;
    bool planned_known_ = false;
    // Records met so far by process(), per id hash: the ids planned more than
    // once; every id when the first pass did not run.
    std::unordered_map<std::uint64_t, std::uint32_t> met_;

    CleaningOptions opts_;
    corpus::Diagnostics& diag_;
    corpus::BoilerplateFilter filter_;
    corpus::Deduplicator dedup_;
    CleaningStats stats_;
};

}  // namespace trawl::index
