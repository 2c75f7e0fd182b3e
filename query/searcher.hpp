// Searcher: opens one or more index shards as one database, turns query
// strings into ranked hits (BM25), fetches and decompresses only the hits
// returned, and builds their snippets.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "indexer/format/deletions.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/stems.hpp"
#include "query/article_scorer.hpp"
#include "query/bm25_source.hpp"
#include "query/exact_stems.hpp"
#include "query/expansion.hpp"
#include "query/hit.hpp"
#include "query/match_counts.hpp"
#include "query/proximity.hpp"
#include "query/snippet.hpp"
#include "query/spelling.hpp"
#include "query/verified_positions.hpp"

namespace trawl::query {

// Ranking defaults, chosen by measurement (bench/RESULTS.md, "Relevance").
// k1 and b: the best plain-BM25 nDCG@10 on the odd half of Cranfield's
// queries, checked on the even half. Proximity re-ranking is an option, off by
// default: its gain (+1.5% nDCG@10) is below the 3% that would make it one.
inline constexpr double kDefaultK1 = 2.0;
inline constexpr double kDefaultB = 0.6;
inline constexpr ProximityOptions kDefaultProximity{0.0, 10};
// Article evidence (article_score.hpp): a hit scores (1 − α)·passage +
// α·article, the article's BM25 over its passages' statistics; α = 0.75 was
// the best nDCG@10 on Cranfield's odd queries and on SciFact's train split
// (bench/RESULTS.md, "Relevance, round two").
inline constexpr ArticleOptions kDefaultArticle{0.75, ArticleAggregation::Document};
// The re-ranking cascade: the article evidence and proximity re-score the
// top R BM25 hits, whatever page is asked for, and the hits below follow in
// BM25 order, so every -n and --offset is a slice of one ranking. R = 20,
// twice the default page: on the tuning queries (Cranfield's odd, SciFact's
// train split) re-scoring 50, 100 or 1,000 hits changed nDCG@10 by 0.3% at
// most, either way, and each hit re-scored costs time on every query (R =
// 100 took a third longer than 20 on Reuters; bench/RESULTS.md, "One
// ranking for every page").
inline constexpr std::uint32_t kDefaultRerankDepth = 20;

// "Did you mean" is asked of a query matching fewer passages than this, or
// holding one word the speller would weigh against its neighbours (in fewer
// than SpellingOptions::suspect passages) among frequent ones that no
// passage holds with it (`interest rats` matches thousands of passages by
// `interest`, none with rats); not of a phrase or NEAR query that matched
// (bench/RESULTS.md, "Issue 10, fifth round").
inline constexpr Xapian::doccount kSuggestBelow = 200;

enum class SortOrder { Relevance, Date };

// An article of the index as --list-articles shows it (Searcher::each_article()).
struct ArticleEntry {
    std::string id;
    std::uint64_t passages = 0;  // its live passages
    std::string title, date, source, location;
};

// A remote shard stopped answering under a search or a reopen():
// "tcp://HOST:PORT: remote shard lost (...)", naming the shards that no longer
// accept a connection. The Searcher's connections are broken for good: the
// caller connects afresh with a new Searcher (search_and_print_reconnecting(), query_options.hpp).
struct RemoteShardLost : Error {
    using Error::Error;
};

// A remote shard as connected (Searcher::remote_shards()): its database's
// UUID and, for a shard of a shard set (format/shards.hpp), the set and its
// place there, which compaction and --rebuild keep while the UUID changes.
struct RemoteShard {
    std::string name;      // tcp://HOST:PORT
    std::string uuid;      // the database's
    std::string set;       // the set's UUIDs (format::ShardRecord::set); "" outside a set
    std::string position;  // its place in the set, as stored
    std::size_t set_size = 0;
    // The same shard: the same place in the same set, else the same database.
    bool same_as(const RemoteShard& other) const;
    // "UUID U, shard P of a set of N" (or "UUID U, outside a shard set").
    std::string describe() const;
};

// After connecting afresh: throws trawl::Error when a remote shard of `now`
// is not the one of the same name in `first` (another database served on its
// port since: its hits would be another index's, mixed in silently), naming
// it and both identities in one line.
void check_same_remote_shards(const std::vector<RemoteShard>& first, const std::vector<RemoteShard>& now);

// When the searcher reads four tables of a single local database into
// memory: every passage's length (4 bytes a passage), to score stems and
// words without Xapian's length lookups (bm25_source.hpp), every passage's
// article (4 bytes), for the counts (match_counts.hpp), every passage's
// word-pair signature (its size and 4 bytes), for the phrase checks
// (pair_signatures.hpp), and the speller's vocabulary (spelling_vocabulary.hpp). Each is read once it pays, on a thread
// of its own (table_loader.hpp): once the lookups of earlier searches it replaces cost a third of what reading it does
// (no search waits for the reading: the searches go on with Xapian's lookups until the table is ready); or always (read
// by the first search that needs it, in its thread), or never. Results are the same either way.
enum class InMemoryTables { WhenTheyPay, Always, Never };
// "auto", "always" or "never" (--in-memory-tables); UsageError otherwise.
InMemoryTables parse_in_memory_tables(const std::string& when);
// The largest --k1 and --proximity: far past any useful value (BM25's k1 is
// 0.5-3; a proximity weight of 1000 drowns the words' scores), and small
// enough that no score overflows (k1 = 1e308 gave "inf" and "nan" scores and
// a ranking in index order).
inline constexpr double kMaxK1 = 1000, kMaxProximityWeight = 1000;
// UsageError unless --k1 is a number from 0 to kMaxK1 and --b from 0 to 1.
void check_bm25_options(double k1, double b);
// UsageError unless --proximity is a number from 0 to kMaxProximityWeight.
void check_proximity_weight(double w);

struct SearchOptions {
    // Shards searched as one: index directories and remote shards
    // "tcp://host:port" served by xapian-tcpsrv (remote_shard.hpp).
    std::vector<std::string> dbs;
    double k1 = kDefaultK1;
    double b = kDefaultB;
    bool match_all = false;   // bare words AND-ed instead of OR-ed
    bool by_article = false;  // best passage per article
    unsigned limit = 10;
    unsigned offset = 0;
    std::size_t snippet_bytes = 300;
    ProximityOptions proximity = kDefaultProximity;  // proximity re-ranking of the top hits (weight 0: off)
    ArticleOptions article = kDefaultArticle;        // article evidence for the top hits (weight 0: off)
    // How many of the best BM25 hits the article evidence and proximity
    // re-score (0: none); the same for every limit and offset.
    std::uint32_t rerank_depth = kDefaultRerankDepth;
    ExpandOptions expand;  // pseudo-relevance feedback (RM3), off by default
    // Hits carry ids, ordinal and score only: no stored text is decompressed and
    // no snippet made (run files, evaluation).
    bool ids_only = false;
    // Filters applied to every query (OP_FILTER): dated from `since` to `until`
    // ("YYYYMMDD", inclusive; empty = open end), from any of `sources` (any
    // spelling; format::normalize_source() folds them).
    std::string since;
    std::string until;
    std::vector<std::string> sources;
    // Date: newest first, relevance breaking ties; undated passages last.
    // Proximity re-ranking applies to relevance order only.
    SortOrder sort = SortOrder::Relevance;
    // Queries matching up to this many passages are counted exactly (the
    // match examines at least this many); beyond, Xapian's estimate.
    Xapian::doccount exact_count_limit = kExactCountLimit;
    // Matching articles per month or year / per source, gathered in the same
    // pass (facets.hpp); local shards only.
    bool timeline = false;
    bool source_facets = false;
    // The prompt's Ctrl-C may cancel a search (cancel.hpp): a match spy
    // watches for it (local shards only; a remote shard's match is cancelled
    // when it ends).
    bool cancellable = false;
    // "Did you mean" (spelling.hpp): a corrected query when a word is rare
    // and a much more frequent word of the index is an edit or two away.
    // Asked only of a query that finds little (Searcher::wants_suggestion()).
    bool suggest = true;
    Xapian::doccount suggest_below = kSuggestBelow;
    SpellingOptions spelling;
    // Each hit's score per query term (explain.hpp).
    bool explain = false;
    // Local single databases only: shards and remote shards are scored by Xapian.
    InMemoryTables in_memory_tables = InMemoryTables::WhenTheyPay;
};

// The weighting scheme of a search with these options (BM25 with k1 and b).
Xapian::BM25Weight make_weight(const SearchOptions& o);

// Commits kept landing under a query's reads (Searcher::search() gave up
// after kSearchAttempts): the index is healthy and the next query may run;
// only this one did not. A batch reports it and goes on (query_job.cpp).
struct IndexChanging : Error {
    using Error::Error;
};

class Searcher {
public:
    // Throws trawl::Error when an index cannot be opened, IndexFormatError for
    // an index of another format.
    explicit Searcher(SearchOptions opts);
    ~Searcher();
    // Throws QuerySyntaxError for a malformed query. Reads one committed state
    // of the index: when a writer commits over the state being read (Xapian's
    // DatabaseModifiedError) the index is reopened and the query run again, at
    // most kSearchAttempts times in all, then IndexChanging. A damaged index
    // (a table or stored record that cannot be read, or a DatabaseModifiedError
    // with no newer commit to reopen) is IndexFormatError
    // "SHARD: index damaged (...); run xapian-check SHARD"; a remote shard that
    // stops answering is RemoteShardLost.
    ResultSet search(const std::string& query_id, const std::string& query);
    // Moves to the latest committed state of the index (the interactive mode
    // does this before each query so that it sees new commits). False when
    // there was no newer commit. RemoteShardLost when a remote shard's
    // connection broke since the last query.
    bool reopen();
    // True when a local shard's path holds another database than the one
    // opened (another UUID or another directory: an index rebuilt and moved
    // into place, `rm -rf live.idx && mv new.idx live.idx`), or the index
    // lists other shards now. reopen() cannot follow it (Xapian would read the
    // old tables' deleted files beside the new revision): the caller opens a
    // new Searcher, which keeps nothing of the old index. Throws trawl::Error
    // naming the path when it holds no index any more.
    bool replaced() const;
    static constexpr int kSearchAttempts = 5;
    // The Xapian query a string parses to, with the options' filters (for
    // --explain and tests); the case of its words' first letters and of its
    // field names does not count (format::fold_query_case()).
    Xapian::Query parse(const std::string& query);
    // The articles most like `article_id` (like.cpp): its most distinctive
    // words by tf-idf, read from its stored text, as a query; best passage per
    // article, the article itself and its exact duplicates left out. Throws
    // trawl::Error for an id the index does not hold.
    ResultSet like(const std::string& article_id);

    // Every live article of the index (article_list.cpp), in id order (byte
    // order, over every shard), with its live passages and its first live
    // passage's title, date, source and location; the options' filters
    // (since, until, sources) leave out what a search's would. One article
    // in memory at a time. Stops when `f` returns false.
    void each_article(const std::function<bool(const ArticleEntry&)>& f);
    // Live passages: dead ones (format/deletions.hpp) left out.
    Xapian::doccount passage_count() const;
    // What the caller should tell the user once, after opening (one line
    // each, no program name): shards of a sharded index given one by one
    // (--db IDX/shard-0 --db IDX/shard-1) that are not all of their index's
    // shards, so that hits and counts cover part of it.
    const std::vector<std::string>& warnings() const { return warnings_; }
    // Each remote shard as connected, in --db order (check_same_remote_shards()).
    const std::vector<RemoteShard>& remote_shards() const { return remote_; }
    const SearchOptions& options() const { return opts_; }
    // Whether the passage lengths, and the passages' articles, are held in
    // memory (bought when they pay: SearchOptions::in_memory_tables).
    bool holds_lengths() const { return lengths_.table != nullptr; }
    bool holds_articles() const { return passage_articles_.table != nullptr; }
    bool holds_signatures() const { return signatures_->table != nullptr; }
    // True while a table is read on a thread of its own (table_loader.hpp);
    // the first search after that reading ended takes it.
    bool reading_tables() const {
        return lengths_.loading || passage_articles_.loading || signatures_->loading ||
               (speller_ && speller_->vocabulary().loading);
    }
    // Waits for the tables read on threads of their own (tests).
    void wait_for_tables() {
        if (lengths_.loading) lengths_.loading->wait();
        if (passage_articles_.loading) passage_articles_.loading->wait();
        if (signatures_->loading) signatures_->loading->wait();
        if (speller_ && speller_->vocabulary().loading) speller_->vocabulary().loading->wait();
    }
    bool holds_vocabulary() const { return speller_ && speller_->holds_vocabulary(); }
    bool reading_vocabulary() const { return speller_ && speller_->vocabulary().loading; }

private:
    // A query term as proximity scoring sees it: the body words it matches
    // (a stem's surface forms, or the word itself) and its idf.
    struct ProximityTerm {
        std::vector<std::string> forms;
        double idf = 0;
    };
    ResultSet run(const std::string& query_id, const std::string& query);
    // The damaged-index message for an error met while searching: names the
    // shard of the passage being read, else the shard the last query fails on alone.
    std::string damaged(const std::string& why);
    // After a read failed for `why` in search()'s attempt `attempt`: reopens
    // at the latest commit for the next attempt, or throws the damage when
    // nobody committed since (or the attempts are spent).
    void damaged_unless_newer(const std::string& why, int attempt);
    // The remote shard(s) that no longer answer: each is asked on a new
    // connection (the search's own may be left mid-answer by the one that
    // broke), so a shard that answers is not named.
    std::string lost_shard();
    [[noreturn]] void throw_lost(const Xapian::NetworkError& e);
    // True when a shard is served by xapian-tcpsrv (which runs only Xapian's own match spies).
    bool has_remote_shard() const;
    // `q` with its stems scored from the passage lengths in memory
    // (bm25_source.hpp) once they pay (SearchOptions::in_memory_tables).
    Xapian::Query with_lengths_in_memory(const Xapian::Query& q);
    // The table of every passage's article once it pays, else null.
    const PassageArticles* articles_in_memory();
    // True when the in-memory tables may serve this search (a single local database).
    bool tables_apply() const;
    // The in-memory tables, at the start of each search (auto): each table
    // whose reading ended is taken, and each whose lookups pay is read on a
    // thread of its own (table_loader.hpp).
    void tend_tables();
    // One table: taken when its reading ended; else read on a thread of its
    // own once the `lookups` of earlier searches reach a third of
    // 1/`break_even` of the passages.
    template <class Table>
    void tend(HeldTable<Table>& held, std::uint64_t lookups, std::uint64_t break_even,
              const typename TableLoader<Table>::Read& read);
    // With --in-memory-tables always: the table read now, by the search that
    // first needs it.
    template <class Table>
    void hold_at_once(HeldTable<Table>& held, const typename TableLoader<Table>::Read& read);
    // `read` through the searcher's own handle, in the search.
    template <class Table>
    void read_here(HeldTable<Table>& held, const typename TableLoader<Table>::Read& read);
    Hit make_hit(const Xapian::MSetIterator& it, std::uint32_t rank, double score, const HighlightTerms& highlight);
    // Sets each hit's `collapsed` to the exact number of its article's other
    // passages that `final_query` (the search's own, as matched) matches and
    // `decider` accepts (article_passages.hpp): one small match for the page.
    void count_other_passages(const Xapian::Query& final_query, const Xapian::MatchDecider* decider,
                              std::vector<Hit>& hits);
    std::vector<ProximityTerm> proximity_terms(const Xapian::Query& q);
    // Proximity score of each of `docs` (same order).
    std::vector<double> proximity_scores(const std::vector<Xapian::docid>& docs,
                                         const std::vector<ProximityTerm>& terms);
    // The stored fields of passage `did` (its record `data`), decompressed.
    format::StoredFields read_fields(const format::DocData& data, Xapian::docid did);
    // What expand() made of a query, for --explain: the query's own part
    // (`core`, each unit weighed `scale` times) and the feedback terms.
    struct Expanded {
        Xapian::Query core, feedback;
        double scale = 1;
    };
    // RM3 (searcher_expand.cpp): `parsed` (as parse() returns it) expanded
    // with terms of the top hits' stored text; `weighted` gets the terms of
    // the expanded query with their weights, `parts` its parts (left empty
    // when no feedback term was found: the query is `parsed` then).
    Xapian::Query expand(const Xapian::Query& parsed, std::vector<WeightedTerm>& weighted,
                         std::optional<Expanded>& parts);
    // (score, index into the mset) of each hit fetched, in ranked order.
    using ScoreOrder = std::vector<std::pair<double, Xapian::doccount>>;
    // The re-ranking cascade (searcher_rerank.cpp): re-scores the first
    // rerank_depth entries of `order` (the mset's, in BM25 order) with
    // proximity (`prox`, two terms or more) and the article evidence
    // (`article`: of `weighted`), re-sorts them, and leaves the rest below.
    void rerank_top(const Xapian::MSet& mset, ScoreOrder& order, const std::vector<ProximityTerm>& prox,
                    const std::vector<WeightedTerm>& weighted, bool article);
    // Adds the article evidence to the scores of the first `window` entries
    // of `order` (searcher_article.cpp).
    void add_article_evidence(const Xapian::MSet& mset, ScoreOrder& order, Xapian::doccount window,
                              const std::vector<WeightedTerm>& terms);

    SearchOptions opts_;
    void read_deletions();
    // The words every shard keeps positions for, and the uuids the phrase
    // checks find the shards by (verified_positions.hpp), read again on
    // reopen() (opening the shards reads them with the format checks).
    void read_positional();
    // What the searcher reads of the commit db_ is at: the deletions, the
    // positional words, a dictionary that came with the first documents.
    // Keeps what it read only when every read succeeded (a commit landing
    // under one throws, and is read again: read_again() in searcher.cpp).
    void read_state();
    bool stale_ = false;  // a reopen() moved db_ but could not read its state: read it before searching
    std::shared_ptr<PassageTexts> passage_texts();
    // `q` made exact for the index's positional words (verified_positions.hpp);
    // unchanged, with nothing built, when every word keeps its positions.
    VerifiedQuery exact_query(const Xapian::Query& q);

    std::vector<std::unique_ptr<format::PassageCodec>> codecs_;  // one per shard, in --db order
    std::vector<std::string> shard_names_;  // the path (or tcp:// address) of each shard, same order
    std::vector<Xapian::Database> shards_;  // each shard alone, same order
    format::PositionalWords positional_;    // words with positions in every shard
    std::vector<std::string> warnings_;     // warnings()
    std::vector<RemoteShard> remote_;       // remote_shards()
    std::vector<std::string> uuids_;        // each shard's UUID, same order
    format::StemStorage stem_storage_{};    // how the shards store stems (all alike), as open_all() read it
    std::vector<std::string> opened_;       // each local shard's identity when opened (replaced()); "" if remote
    Xapian::docid failed_doc_ = 0;          // the hit being read when an error struck (0: none)
    Xapian::Query last_query_;
    bool stop_phrase_ = false;                     // parse() searched its query of stop words only as a phrase
    HeldTable<DocLengths> lengths_;                // read once they pay; dropped on reopen
    HeldTable<PassageArticles> passage_articles_;  // likewise
    std::shared_ptr<SignatureReads> signatures_ = std::make_shared<SignatureReads>();  // likewise, with its reads
    std::uint64_t article_reads_ = 0;  // articles read from values so far, before
    std::uint64_t stem_postings_ = 0;  // the stems' postings queried so far, before
    format::Deletions deleted_;        // their dead passages
    Xapian::Query dead_;               // dead_passages() of them
    Xapian::Database db_;
    Xapian::QueryParser qp_;
    Xapian::Enquire enquire_;
    Xapian::Stem stemmer_;
    Xapian::Query filter_;              // the options' filters; empty when there are none
    format::StemReader stems_;          // what a stem stands for in db_ (stems.hpp); cache reset on reopen
    std::unique_ptr<Speller> speller_;  // made when first needed; dropped on reopen
    // What run() adds beside the hits: counts' and facets' spies, the
    // suggestion, the explanations (searcher_extras.cpp).
    // `expanded`: the parts of the query that ranked, when expand() made it.
    void add_extras(ResultSet& rs, const std::string& query, const Xapian::Query& parsed,
                    const std::optional<Expanded>& expanded, const Xapian::MSet& mset,
                    const std::vector<Xapian::doccount>& shown);
    // Whether "did you mean" is worth its lookups for this query: it matched
    // fewer than suggest_below passages, or a word as typed is outside the
    // speller's vocabulary, or one word alone is rare (in fewer than
    // SpellingOptions::suspect passages) and no passage holds it with the
    // query's other words (Speller::stray_word()); never when every word
    // stands in a phrase or NEAR that matched (its hits hold the words as
    // typed). `query`: as typed (the speller reads it through
    // format::capitalise_acronyms(), made only when it is asked).
    bool wants_suggestion(const ResultSet& rs, const Xapian::Query& parsed, bool matched, const std::string& query);
    Speller& speller();  // made on first use
    // Whether every word `suggestion` puts in place of a word of `typed` is
    // in a live passage: the speller weighs words by all their passages, and
    // those of deleted and replaced articles stay in the index until
    // --rebuild, so a word only they hold would be proposed and find nothing.
    bool corrections_are_live(const std::string& typed, const std::string& suggestion);
    // Whether `query` finds a passage as this searcher would search it (its
    // filters, --all, phrases checked, dead passages left out).
    bool finds_any(const std::string& query);
    // `q` with its wildcards expanded over every shard at once
    // (expand_wildcard() in searcher.cpp: Xapian 1.4 expands one in each shard alone).
    Xapian::Query over_every_shard(const Xapian::Query& q) const;
    // `q` without the dead passages (deleted or replaced articles,
    // format/deletions.hpp), which never match.
    Xapian::Query without_dead(const Xapian::Query& q) const;
    // The rarest word of the last parsed query, as typed: in no passage of
    // the speller's vocabulary (Unknown), in fewer than
    // SpellingOptions::suspect passages (Rare), or neither.
    enum class Rarity { None, Rare, Unknown };
    Rarity rarest_word(const Xapian::Query& parsed);
    // The words, as typed and lower-cased, that the parsed query only leaves
    // out: each of their places is in a part left out (left_out_parts()). A
    // stem stands for the words the parser stemmed to it.
    std::set<std::string> left_out_words(const Xapian::Query& parsed);
    // The words a title or body term of the last parsed query (`c`, its
    // classify_term()) stands for, lower-cased, without the field's prefix:
    // its own word, or a stem's words as the user typed them (none when the
    // parser made the stem of no typed word).
    std::vector<std::string> typed_words(const std::string& term, const format::TermClass& c);
    ArticleScorer articles_;  // reads db_, deleted_ and stems_
};

}  // namespace trawl::query
