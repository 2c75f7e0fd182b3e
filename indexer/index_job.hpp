// The indexing job, defined once: read the articles, clean them (Cleaner),
// build the index (IndexPipeline). trawl-index runs it through run_index();
// every trawl-bench command that indexes runs it too (index_articles), so the
// benchmarks measure the pipeline users run. The work returns a report; the
// summary is printed apart from it (print_summary).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <unordered_set>
#include <vector>

#include "corpus/base/diagnostics.hpp"
#include "corpus/read/article_reader.hpp"
#include "indexer/cleaning.hpp"
#include "indexer/index_builder.hpp"
#include "indexer/index_pipeline.hpp"

namespace trawl::index {

class Progress;

enum class OnError {
    Skip,  // report, count, go on; summary at the end
    Fail,  // the first skipped record stops the run (exit 2); committed batches stay
};

struct IndexConfig {
    std::string db_path;
    std::vector<std::string> inputs;
    corpus::ReaderOptions reader;
    BuilderOptions builder;    // passage split, batch size, zstd level
    PipelineOptions pipeline;  // threads, shards, memory budget, compaction
    CleaningOptions cleaning;  // boilerplate removal and duplicate skipping
    OnError on_error = OnError::Skip;
    std::vector<std::string> delete_ids;  // --delete and --delete-from, in order
    // Where each of delete_ids came from: "FILE:LINE" of --delete-from, "" for --delete.
    std::vector<std::string> delete_origins;
    // --delete or --delete-from given: a deleting run, even when the list is
    // empty (it deletes nothing and never creates an index).
    bool deleting = false;
    bool rebuild = false;        // --rebuild: rewrite the index without its dead passages (rebuild.hpp)
    bool prune = false;          // --prune: then delete the articles whose input file is gone (prune.hpp)
    bool stream_inputs = false;  // --stream: read stdin and pipes once, as they come, without a copy
    // --stream: commit the open batch once no article has come for this long (0: only every --batch articles).
    std::chrono::milliseconds commit_idle{2000};
    bool progress = false;  // draw progress on stderr
    bool summary = true;    // print the summary on stdout
};

// What a run did: the figures the summary prints.
struct IndexReport {
    BuildStats build;  // summed over shards
    CleaningStats cleaning;
    Xapian::doccount passages_in_index = 0;  // the whole index after the run
    std::string layout;                      // IndexPipeline::layout()
    std::uint64_t input_bytes = 0;           // bytes read from the inputs (0 for articles in memory)
    double seconds = 0;                      // wall time of the whole job
    std::uint64_t index_bytes = 0;           // the index on disk
    std::uint64_t position_table_bytes = 0;  // of which the position table (postings and stored text: the rest)
    // With --prune: the ids of every article the run read (indexed, skipped
    // as unchanged or as a duplicate), which no prune may take.
    std::unordered_set<std::string> ids_read;
    // Per input of config.inputs (index_corpus; empty for articles in
    // memory): the entries its listing found, files and entries that could
    // not be read (0: a folder holding no file to read, which --prune spares).
    std::vector<std::size_t> files_per_input;
};

// Indexes config.inputs into config.db_path: opens the inputs (a missing file
// or an unmappable CSV header stops the run before the index is touched),
// opens the index, learns boilerplate in a first pass over the inputs, then
// reads, cleans and adds each article in input order. Records that cannot be
// used go to `diag`. `progress`, when given, is updated as articles are read.
// Throws what IndexPipeline and the readers throw.
IndexReport index_corpus(const IndexConfig& config, corpus::Diagnostics& diag, Progress* progress = nullptr);

// Opens a fresh pass over articles held elsewhere (in memory).
using ArticleSource = std::function<std::unique_ptr<corpus::ArticleReader>()>;
// Called with each article the cleaning kept, as it goes to the pipeline.
using ArticleSink = std::function<void(const corpus::Article&)>;

// The same job over the articles `source` gives instead of config.inputs
// (trawl-bench reads a corpus once and times the job alone): `source` is
// opened once for the boilerplate pass (when cleaning learns) and once for
// indexing. `kept` sees every article the cleaning kept (so the peer engines
// can index exactly the same text).
IndexReport index_articles(const IndexConfig& config, const ArticleSource& source, corpus::Diagnostics& diag,
                           const ArticleSink& kept = {});
// A source over `articles`, in order (they must outlive the job).
ArticleSource articles_in_memory(const std::vector<corpus::Article>& articles);

// The summary of a run: articles and passages, skipped records by reason,
// cleaning, stored-text compression, the index's layout and size.
void print_summary(std::ostream& out, const IndexConfig& config, const IndexReport& report,
                   const corpus::Diagnostics& diag);

// trawl-index: the job (or --delete, or --rebuild) with its messages. Prints progress to
// `err` when configured, each reason's first diagnostics to `err`, the summary
// to `out` unless quiet. With --on-error fail the first skipped record throws
// trawl::Error. Returns the process exit code: 0, or 128 + the signal after
// Ctrl-C or SIGTERM (interrupt.hpp; one line on `err` says how many articles
// were committed).
int run_index(const IndexConfig& config, std::ostream& out, std::ostream& err);

}  // namespace trawl::index
