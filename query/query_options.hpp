// trawl-query's command line: raw options (validated only), the config built
// from them, and search_and_print(), one query run and printed with it (the
// whole job, batch or prompt, is query_job.hpp). In the library so tests can
// feed argv to it.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "query/printer.hpp"
#include "query/searcher.hpp"

namespace trawl::query {

struct QueryOptions {
    std::vector<std::string> dbs;
    double k1 = kDefaultK1;
    double b = kDefaultB;
    double proximity = kDefaultProximity.weight;
    // Counts are read signed so that "-1" is refused, not wrapped to 4294967295.
    long long proximity_window = kDefaultProximity.window;
    long long rerank_depth = kDefaultRerankDepth;
    double article_weight = kDefaultArticle.weight;
    bool article_weight_given = false;  // --article-weight on the command line
    bool limit_given = false;           // -n/--limit on the command line
    bool expand = false;
    bool all = false;
    bool by_article = false;
    long long limit = 10;
    long long offset = 0;
    std::string format = "text";
    std::string color = "auto";
    std::string queries_file;
    std::string run_tag = "trawl";
    long long snippet_bytes = 300;
    bool explain = false;
    std::string since;  // YYYY-MM-DD or YYYYMMDD
    std::string until;
    std::vector<std::string> sources;  // repeatable: any of them
    std::string sort = "relevance";
    bool timeline = false;                  // matching articles per month or year
    std::string facets;                     // "source": matching articles per source
    std::string like;                       // an article id: the articles most like it
    bool list_articles = false;             // instead of a query: every article of the index
    std::string in_memory_tables = "auto";  // when passage lengths are read into memory (bm25_source.hpp)
    std::string mapped_reads = "auto";      // when table reads are copies from mappings (mapped_reads.hpp)
    std::vector<std::string> words;         // the query, as positional arguments
};

enum class QueryMode { Single, File, Stdin, Interactive, Like, ListArticles };

struct QueryConfig {
    SearchOptions search;
    OutputFormat format = OutputFormat::Text;
    PrinterOptions printer;
    QueryMode mode = QueryMode::Single;
    std::string query;         // Single
    std::string queries_file;  // File ("-" = stdin)
    std::string like;          // Like: the article id
    bool explain = false;      // print the parsed Xapian query to stderr
    // Table reads copied from mappings (mapped_reads.hpp), from
    // --mapped-reads and the mode (make_config()).
    bool mapped_reads = false;
    QueryOptions options;  // as given, for the interactive prompt's commands to change
    bool stdout_tty = false;
};

enum class Parsed { Run, Exit };  // Exit: --help/--version were printed

// Throws UsageError for unknown options or bad values.
Parsed parse_query_args(int argc, const char* const* argv, QueryOptions& opts, std::ostream& out);

// Validates and resolves options; `stdin_tty`/`stdout_tty` decide the mode
// without a query and --color=auto.
QueryConfig make_config(const QueryOptions& opts, bool stdin_tty, bool stdout_tty);

// Runs one query and prints its results (with --explain, the parsed query
// first, on `err`); true when it matched, even with no hit on the page asked for.
bool search_and_print(Searcher& searcher, ResultPrinter& printer, const QueryConfig& config,
                      const std::string& query_id, const std::string& query, std::ostream& err);

// search_and_print() on `searcher` that survives a remote shard lost and
// back: with `reopen` (the prompt), the index is first brought to its latest
// commit (a new Searcher when it was replaced, Searcher::replaced()). When a
// remote shard was lost, under this query or since the last, every shard is
// connected afresh (a new Searcher on config.search) and the query runs once
// more. When that fails too, `searcher` is left null (the next call connects
// afresh) and RemoteShardLost is thrown, naming the shards that do not answer
// (or, when there was no searcher, the Error of connecting). Connected
// afresh, each remote shard must be the one of `first` (the searcher's
// remote_shards() when the run or prompt began), else trawl::Error
// (check_same_remote_shards()) and `searcher` is left null.
bool search_and_print_reconnecting(std::unique_ptr<Searcher>& searcher, ResultPrinter& printer,
                                   const QueryConfig& config, const std::string& query_id, const std::string& query,
                                   std::ostream& err, bool reopen, const std::vector<RemoteShard>& first);

}  // namespace trawl::query
