#include "query/query_options.hpp"

#include <cmath>
#include <limits>
#include <optional>

#include <boost/program_options.hpp>

#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/index_meta.hpp"
#include "query/mapped_reads.hpp"
#include "query/remote_shard.hpp"

namespace po = boost::program_options;

namespace trawl::query {

Parsed parse_query_args(int argc, const char* const* argv, QueryOptions& o, std::ostream& out) {
    po::options_description visible(
        "Usage: trawl-query --db DIR [options] QUERY...\n\n"
        "Searches the passages of a Trawl index. Without QUERY: an interactive prompt on a\n"
        "terminal, else one query per line from standard input.\n\n"
        "Query language: words (ranked, any of them; --all: every one), \"exact phrase\",\n"
        "a NEAR/5 b (within 5 words, any order), a ADJ/3 b (within 3, in order), AND OR NOT\n"
        "XOR ( ), +must -mustnot, title:word, prefix*. Words are stemmed (English) except in\n"
        "phrases, NEAR and ADJ, which match the words as written. Filters: source:reuters,\n"
        "source:\"BBC News\" (or source:bbc-news), date:2021-12-01..2022-01-31, date:2021-12-01..,\n"
        "date:..20220131.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit")
        ("version", "show the version and exit")
        ("db,d", po::value(&o.dbs)->value_name("DIR")->composing(),
            "index directory, or tcp://HOST:PORT for a shard served by xapian-tcpsrv; repeat to "
            "search several shards as one (required)")
        ("limit,n", po::value(&o.limit)->value_name("N")->default_value(o.limit), "number of results")
        ("offset", po::value(&o.offset)->value_name("N")->default_value(o.offset), "skip the first N results")
        ("all", po::bool_switch(&o.all), "bare words must all match (default: any, ranked)")
        ("by-article", po::bool_switch(&o.by_article), "best passage per article")
        ("since", po::value(&o.since)->value_name("DATE"), "only articles dated DATE (YYYY-MM-DD) or later")
        ("until", po::value(&o.until)->value_name("DATE"), "only articles dated DATE (YYYY-MM-DD) or earlier")
        ("source", po::value(&o.sources)->value_name("NAME")->composing(),
            "only articles from source NAME (case and spacing do not matter); repeat for any of several")
        ("sort", po::value(&o.sort)->value_name("ORDER")->default_value(o.sort),
            "relevance, or date (newest first, relevance breaking ties)")
        ("format", po::value(&o.format)->value_name("FMT")->default_value(o.format),
            "output: text, json (JSON Lines), trec (run file lines)")
        ("color", po::value(&o.color)->value_name("WHEN")->default_value(o.color), "highlight: auto, always, never")
        ("queries", po::value(&o.queries_file)->value_name("FILE"),
            "run every query in FILE (one per line, optionally \"qid<TAB>query\"; - = stdin)")
        ("run-tag", po::value(&o.run_tag)->value_name("TAG")->default_value(o.run_tag), "tag column of --format trec")
        ("k1", po::value(&o.k1)->value_name("X")->default_value(o.k1, shortest_decimal(o.k1)),
            "BM25 k1 (term frequency saturation)")
        ("b", po::value(&o.b)->value_name("X")->default_value(o.b, shortest_decimal(o.b)),
            "BM25 b (length normalisation, 0..1)")
        ("proximity",
            po::value(&o.proximity)->value_name("W")->default_value(o.proximity, shortest_decimal(o.proximity)),
            "weight of the proximity score added to BM25 for the top hits (0 = off; 1 is a good start)")
        ("proximity-window", po::value(&o.proximity_window)->value_name("N")->default_value(o.proximity_window),
            "query words further apart than N words do not count as close")
        ("rerank-depth", po::value(&o.rerank_depth)->value_name("N")->default_value(o.rerank_depth),
            "how many of the best BM25 hits the article evidence and proximity re-rank, whatever -n and "
            "--offset (0 = none: BM25 order)")
        ("article-weight",
            po::value(&o.article_weight)->value_name("A")->default_value(o.article_weight,
                                                                           shortest_decimal(o.article_weight)),
            "weight of a hit's article in its score, 0..1: (1 - A) x passage BM25 + A x article BM25 "
            "(0 = the passage alone)")
        ("expand", po::bool_switch(&o.expand),
            "expand the query with terms of its top 10 hits (RM3 pseudo-relevance feedback)")
        ("snippet-bytes", po::value(&o.snippet_bytes)->value_name("N")->default_value(o.snippet_bytes),
            "maximum snippet length in bytes, not counting the … marks at a cut end (0 = no snippet)")
        ("timeline", po::bool_switch(&o.timeline),
            "under the hits, a bar chart of the matching articles per month (per year over more than 3 years)")
        ("facets", po::value(&o.facets)->value_name("source"), "under the hits, the matching articles per source")
        ("like", po::value(&o.like)->value_name("ARTICLE_ID"),
            "instead of a query: the articles most like this one (its most distinctive words); not with "
            "--explain, --sort date, --timeline, --facets, --proximity or --expand")
        ("list-articles", po::bool_switch(&o.list_articles),
            "instead of a query: every article of the index, one per line (id, passages, date, source, location, "
            "title; tab-separated, or --format json), in id order; --since, --until and --source filter them, "
            "--offset and -n page through them (all by default)")
        ("explain", po::bool_switch(&o.explain),
            "each hit's score per query term (and the proximity share); the parsed query to stderr")
        ("in-memory-tables", po::value(&o.in_memory_tables)->value_name("WHEN")->default_value(o.in_memory_tables),
            "auto, always or never: read every passage's length and article (4 bytes each) and word-pair "
            "signature into memory, and the index's words for \"did you mean\", to score words, count "
            "articles, check phrases and spell without Xapian's slower lookups; auto does once they pay (the "
            "same results either way)")
        ("mapped-reads", po::value(&o.mapped_reads)->value_name("WHEN")->default_value(o.mapped_reads),
            "auto, always or never: read the index's tables as copies from a read-only mapping of them, "
            "not with a system call a block as Xapian does; auto does for more than one query (--queries, "
            "stdin, the prompt), where the pages mapped are read again (the same results either way)");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, &o.words);
    if (vm.count("help")) {
        out << visible << "\nExamples:\n"
            << "  trawl-query --db news.idx '\"interest rates\"'\n"
            << "  trawl-query --db news.idx --by-article -n 5 'oil NEAR/5 prices'\n"
            << "  trawl-query --db news.idx --format trec --queries topics.tsv > run.txt\n"
            << "  trawl-query --db news.idx --since 2021-12-01 --source reuters --sort date opec\n"
            << "  trawl-query --db tcp://host1:33333 --db tcp://host2:33333 'oil prices'\n"
            << "  trawl-query --db news.idx --timeline --facets source 'interest rates'\n"
            << "  trawl-query --db news.idx --like 4028\n"
            << "  trawl-query --db news.idx --list-articles --source bbc-news | cut -f1\n"
            << "\nExit status: 0 if a query matched (or an article was listed), 1 if none did, 2 on error.\n";
        return Parsed::Exit;
    }
    if (vm.count("version")) {
        out << "trawl-query " << TRAWL_VERSION << "\n";
        return Parsed::Exit;
    }
    o.article_weight_given = vm.count("article-weight") && !vm["article-weight"].defaulted();
    o.limit_given = vm.count("limit") && !vm["limit"].defaulted();
    // An empty id would leave --like unset: queries read from standard input.
    if (vm.count("like") && o.like.empty()) throw UsageError("--like needs an ARTICLE_ID");
    // An empty date would leave its filter off, as if the option were not
    // given (the prompt's ":since off" is how to say so); --source '' is refused too.
    if (vm.count("since") && o.since.empty()) throw UsageError("--since needs a DATE (YYYY-MM-DD or YYYYMMDD)");
    if (vm.count("until") && o.until.empty()) throw UsageError("--until needs a DATE (YYYY-MM-DD or YYYYMMDD)");
    return Parsed::Run;
}

QueryConfig make_config(const QueryOptions& o, bool stdin_tty, bool stdout_tty) {
    if (o.dbs.empty()) throw UsageError("--db DIR is required");
    for (const auto& db : o.dbs)
        if (db.empty()) throw UsageError("--db needs a DIR, not an empty name");
    const auto limit = count_option("--limit", o.limit, 1);
    const auto offset = count_option("--offset", o.offset, 0);
    const ProximityOptions proximity{o.proximity, count_option("--proximity-window", o.proximity_window, 1)};
    const auto rerank_depth = count_option("--rerank-depth", o.rerank_depth, 0);
    const auto snippet_bytes = count_option("--snippet-bytes", o.snippet_bytes, 0);
    check_bm25_options(o.k1, o.b);
    check_proximity_weight(o.proximity);
    if (!(o.article_weight >= 0 && o.article_weight <= 1)) throw UsageError("--article-weight must be from 0 to 1");
    if (!o.words.empty() && !o.queries_file.empty()) throw UsageError("give a QUERY or --queries, not both");
    if (!o.like.empty() && (!o.words.empty() || !o.queries_file.empty()))
        throw UsageError("--like ARTICLE_ID takes the place of a query: give one or the other");
    // --like ranks its own query by BM25, one passage per article: what
    // explains, re-ranks, sorts or counts a query's matches does not apply.
    if (!o.like.empty())
        for (const auto& [given, option] :
             {std::pair{o.explain, "--explain"}, std::pair{o.sort == "date", "--sort date"},
              std::pair{o.timeline, "--timeline"}, std::pair{!o.facets.empty(), "--facets"},
              std::pair{o.proximity != 0, "--proximity"}, std::pair{o.expand, "--expand"}})
            if (given) throw UsageError(std::string(option) + " cannot be used with --like");
    // --list-articles prints articles, not ranked hits.
    if (o.list_articles) {
        if (!o.words.empty() || !o.queries_file.empty() || !o.like.empty())
            throw UsageError("--list-articles takes the place of a query: give one or the other");
        for (const auto& [given, option] :
             {std::pair{o.explain, "--explain"}, std::pair{o.sort == "date", "--sort date"},
              std::pair{o.timeline, "--timeline"}, std::pair{!o.facets.empty(), "--facets"},
              std::pair{o.proximity != 0, "--proximity"}, std::pair{o.expand, "--expand"},
              std::pair{o.by_article, "--by-article"}, std::pair{o.format == "trec", "--format trec"}})
            if (given) throw UsageError(std::string(option) + " cannot be used with --list-articles");
    }
    if (!o.facets.empty() && o.facets != "source") throw UsageError("--facets must be source, not '" + o.facets + "'");
    for (const auto& db : o.dbs)
        if (is_remote_shard(db)) parse_remote_shard(db);  // a malformed address is a usage error
    auto date_option = [](const std::string& name, const std::string& value) {
        if (value.empty()) return std::string();
        auto key = format::parse_date(value);
        if (!key) throw UsageError(name + ": bad date '" + value + "' (want YYYY-MM-DD or YYYYMMDD)");
        return *key;
    };
    const std::string since = date_option("--since", o.since), until = date_option("--until", o.until);
    if (!since.empty() && !until.empty() && since > until)
        throw UsageError("--since " + o.since + " is after --until " + o.until);
    for (const auto& s : o.sources)
        if (format::normalize_source(s).empty()) throw UsageError("--source must name a source");
    if (o.sort != "relevance" && o.sort != "date")
        throw UsageError("--sort must be relevance or date, not '" + o.sort + "'");
    // What ranks by relevance does not apply to a date order: refused rather
    // than ignored (ties within a day are broken by each passage's BM25).
    if (o.sort == "date" && o.proximity > 0)
        throw UsageError("--proximity re-ranks by relevance; it cannot be used with --sort date");
    if (o.sort == "date" && o.expand)
        throw UsageError("--expand widens a query ranked by relevance; it cannot be used with --sort date");
    if (o.sort == "date" && o.article_weight_given)
        throw UsageError("--article-weight re-ranks by relevance; it cannot be used with --sort date");
    QueryConfig c;
    c.search.dbs = o.dbs;
    c.search.k1 = o.k1;
    c.search.b = o.b;
    c.search.proximity = proximity;
    c.search.rerank_depth = rerank_depth;
    c.search.article.weight = o.article_weight;
    c.search.expand.on = o.expand;
    c.search.match_all = o.all;
    c.search.by_article = o.by_article;
    c.search.limit = limit;
    c.search.offset = offset;
    c.search.snippet_bytes = snippet_bytes;
    c.search.since = since;
    c.search.until = until;
    c.search.sources = o.sources;
    c.search.sort = o.sort == "date" ? SortOrder::Date : SortOrder::Relevance;
    c.search.in_memory_tables = parse_in_memory_tables(o.in_memory_tables);
    c.format = parse_output_format(o.format);
    // A run file's lines hold a hit's qid, id, rank and score only: what
    // would go beside them was dropped without a word.
    if (c.format == OutputFormat::Trec)
        for (const auto& [given, option] : {std::pair{o.explain, "--explain"}, std::pair{o.timeline, "--timeline"},
                                            std::pair{!o.facets.empty(), "--facets"}})
            if (given)
                throw UsageError(std::string(option) +
                                 " cannot be used with --format trec (run lines hold ids and scores only; use text or "
                                 "json)");
    c.search.ids_only = c.format == OutputFormat::Trec;  // run files print ids and scores only
    if (o.color == "always") c.printer.color = true;
    else if (o.color == "never") c.printer.color = false;
    else if (o.color == "auto") c.printer.color = stdout_tty;
    else throw UsageError("--color must be auto, always or never, not '" + o.color + "'");
    c.printer.by_article = o.by_article;
    c.printer.run_tag = o.run_tag;
    c.explain = o.explain;
    c.search.explain = o.explain;
    c.search.timeline = o.timeline;
    c.search.source_facets = o.facets == "source";
    c.options = o;
    c.stdout_tty = stdout_tty;
    if (o.list_articles) {
        c.mode = QueryMode::ListArticles;
        if (!o.limit_given) c.search.limit = std::numeric_limits<unsigned>::max();  // every article
    } else if (!o.like.empty()) {
        c.mode = QueryMode::Like;
        c.like = o.like;
    } else if (!o.words.empty()) {
        c.mode = QueryMode::Single;
        for (const auto& w : o.words) c.query += (c.query.empty() ? "" : " ") + w;
    } else if (!o.queries_file.empty()) {
        c.mode = QueryMode::File;
        c.queries_file = o.queries_file;
    } else {
        c.mode = stdin_tty ? QueryMode::Interactive : QueryMode::Stdin;
    }
    // auto: a single query reads few pages once, and mapping them costs a
    // page fault where a read was one call (bench/RESULTS.md, "mapped
    // reads"); --list-articles reads each page once too (on Wikipedia 0.54 s
    // and 8 MB resident with reads, 0.64 s and 310 MB mapped).
    const bool once = c.mode == QueryMode::Single || c.mode == QueryMode::Like || c.mode == QueryMode::ListArticles;
    c.mapped_reads = parse_mapped_reads(o.mapped_reads, !once);
    return c;
}

bool search_and_print(Searcher& searcher, ResultPrinter& printer, const QueryConfig& cfg, const std::string& query_id,
                      const std::string& query, std::ostream& err) {
    if (cfg.explain) {
        // Parsed before anything is written: a syntax error is then the one
        // line main() prints, not appended to a "trawl-query: " begun here.
        const auto parsed = searcher.parse(query).get_description();
        err << "trawl-query: " << parsed << "\n";
    }
    auto rs = searcher.search(query_id, query);
    printer.print(rs);
    if (!rs.note.empty()) err << "trawl-query: note: " << rs.note << "\n";
    return rs.matched();
}

bool search_and_print_reconnecting(std::unique_ptr<Searcher>& searcher, ResultPrinter& printer, const QueryConfig& cfg,
                                   const std::string& query_id, const std::string& query, std::ostream& err,
                                   bool reopen, const std::vector<RemoteShard>& first) {
    std::optional<RemoteShardLost> lost;
    if (searcher) {
        try {
            // See what was committed since the last query. An index moved into
            // the path is another database: a new Searcher opens it, keeping
            // nothing of the old one (tables, dictionary, positional words).
            if (reopen) {
                if (searcher->replaced()) searcher = std::make_unique<Searcher>(cfg.search);
                else searcher->reopen();
            }
            return search_and_print(*searcher, printer, cfg, query_id, query, err);
        } catch (const RemoteShardLost& e) {
            lost = e;
        }
    }
    // A broken connection stays broken: connect to every shard afresh (a
    // shard served again since answers), and run the query once more.
    searcher.reset();
    try {
        searcher = std::make_unique<Searcher>(cfg.search);
    } catch (const Error&) {
        if (lost) throw *lost;  // names the shards that do not answer
        throw;
    }
    // Each remote shard must be the one the run started with: another index's
    // shard served on its port would answer, and its hits would mix in.
    try {
        check_same_remote_shards(first, searcher->remote_shards());
    } catch (const Error&) {
        searcher.reset();  // the next query connects afresh and checks again
        throw;
    }
    try {
        return search_and_print(*searcher, printer, cfg, query_id, query, err);
    } catch (const RemoteShardLost&) {
        searcher.reset();
        throw;
    }
}

}  // namespace trawl::query
