#include "query/searcher.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <unordered_set>

#include <sys/stat.h>

#include "corpus/base/ascii.hpp"
#include "corpus/base/error.hpp"
#include "corpus/text/nfc.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/tables.hpp"
#include "indexer/format/words.hpp"
#include "query/article_passages.hpp"
#include "query/cancel.hpp"
#include "query/dead_filter.hpp"
#include "query/facets.hpp"
#include "query/filter_groups.hpp"
#include "query/query_check.hpp"
#include "query/query_tree.hpp"
#include "query/remote_shard.hpp"

namespace trawl::query {
namespace {

// What a DatabaseModifiedError means when reopening finds no newer commit.
const std::string kNeverCommitted = "a table block is of a revision the index never committed";

Xapian::Database open_shard(const std::string& path) {
    if (is_remote_shard(path)) return open_remote_shard(path);
    for (int attempt = 1;; ++attempt) {
        try {
            return Xapian::Database(path);
        } catch (const Xapian::DatabaseModifiedError& e) {
            // A commit landing while the tables open: open again. Again and
            // again on an index nobody writes means its tables are damaged.
            if (attempt >= Searcher::kSearchAttempts)
                throw IndexFormatError(format::damaged_message(path, kNeverCommitted));
        } catch (const Xapian::DatabaseCorruptError& e) {
            // A block a writer was rewriting as it was read looks damaged
            // too: opened again, the same answer means it is.
            if (attempt >= Searcher::kSearchAttempts)
                throw IndexFormatError(format::damaged_message(path, e.get_msg()));
        } catch (const Xapian::DatabaseOpeningError& e) {
            // Xapian's words for a path that is no index ("Couldn't detect
            // type of database", "Couldn't stat '...'") told a user little.
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0) throw Error(path + ": cannot open index: " + std::strerror(errno));
            if (S_ISDIR(st.st_mode) && !std::filesystem::exists(std::filesystem::path(path) / "iamglass") &&
                !std::filesystem::exists(std::filesystem::path(path) / "XAPIANDB"))
                throw Error(path + ": cannot open index: not an index (no Xapian database in it; trawl-index --db " +
                            path + " makes one)");
            throw Error(path + ": cannot open index: " + e.get_msg());
        } catch (const Xapian::DatabaseError& e) {  // "EOF reading block 7": a truncated table
            throw IndexFormatError(format::damaged_message(path, e.get_msg()));
        } catch (const Xapian::Error& e) {
            throw Error(path + ": " + e.get_description());
        }
    }
}

// The device and inode of the directory at a local shard's path; Error when
// nothing is there.
std::string directory_identity(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw Error(path + ": cannot open index: " + std::strerror(errno));
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

// What stands at a shard's path (Searcher::replaced()): its database's UUID
// and its directory, so that an index moved into the path is told from the
// one opened even when it is a copy (the same UUID) or its directory reuses
// the old one's inode. Empty for a remote shard.
std::string identity_of(const std::string& path, const std::string& uuid) {
    return is_remote_shard(path) ? std::string() : uuid + " " + directory_identity(path);
}

// The readers of the in-memory tables (table_loader.hpp): a table made in
// one walk of `db`, which a raised `stop` cuts short (no table).
template <class Table>
std::shared_ptr<const Table> read_whole(const Xapian::Database& db, const std::atomic<bool>& stop) {
    auto t = std::make_shared<const Table>(db, &stop);
    return stop.load(std::memory_order_relaxed) ? nullptr : t;
}
constexpr auto read_lengths = read_whole<DocLengths>;
constexpr auto read_articles = read_whole<PassageArticles>;
std::shared_ptr<const PairSignatures> read_signatures(const Xapian::Database& db, const std::atomic<bool>& stop) {
    return PairSignatures::read(db, PairSignatures::kMaxBytes, &stop);
}

// What a reader says when commits kept landing under its reads for
// Searcher::kSearchAttempts reads in a row: not that the index is damaged,
// and not Xapian's own error (a loaded machine let a writer commit under
// every attempt; HostileQueryTest).
IndexChanging changed_under(int attempt, const std::string& why) {
    return IndexChanging("the index changed under the query " + std::to_string(attempt) + " times in a row (" + why +
                         "); try again");
}

// Database::reopen(), opened again when a commit lands under it too (its
// reads of the new revision's roots can meet one): true when there was a
// newer commit.
bool reopen_database(Xapian::Database& db) {
    bool moved = false;
    for (int attempt = 1;; ++attempt) {
        try {
            const bool newer = db.reopen() || moved;
#ifdef TRAWL_FAULT_INJECTION
            // Test builds: TRAWL_FAULT_AT=reopen-changing: the handle moved
            // to the latest commit, then commits landed under every attempt.
            if (const char* at = std::getenv("TRAWL_FAULT_AT"); at && std::string_view(at) == "reopen-changing")
                throw changed_under(Searcher::kSearchAttempts, "TRAWL_FAULT_AT=reopen-changing");
#endif
            return newer;
        } catch (const Xapian::DatabaseModifiedError& e) {
            if (attempt >= Searcher::kSearchAttempts) throw changed_under(attempt, e.get_msg());
        } catch (const Xapian::DatabaseCorruptError& e) {
            if (attempt >= Searcher::kSearchAttempts) throw changed_under(attempt, e.get_msg());
        }
        moved = true;  // something was committed: the next reopen() may find itself there already
    }
}

// Runs `read` until no commit lands under it: each DatabaseModifiedError
// (a writer's commit discarded the revision being read), or
// DatabaseCorruptError (a block the writer reused, read as it was being
// rewritten: "Expected block 8 to be level 1, not 0"), calls `reopen`, which
// moves to the latest commit and says whether there was a newer one; when
// there was none, nobody wrote and the tables are damaged (`damaged(why)`
// throws); after Searcher::kSearchAttempts reads in a row, a clear error to
// try again. A reader never calls a healthy index damaged for a writer's
// commit (it did when one landed while the index was being opened).
template <class Read, class Reopen, class Damaged>
auto read_again(Read read, Reopen reopen, Damaged damaged) -> decltype(read()) {
    for (int attempt = 1;; ++attempt) {
        std::string why;
        try {
            return read();
        } catch (const Xapian::DatabaseModifiedError& e) {
            if (!reopen()) damaged(std::string(kNeverCommitted));
            why = e.get_msg();
        } catch (const Xapian::DatabaseError& e) {
            // Corrupt, or a block read as the writer rewrote it (glass checks
            // a block's revision, not its bytes: one of two pages new).
            if (!reopen()) damaged(e.get_msg());
            why = e.get_msg();
        } catch (const IndexFormatError& e) {
            // Metadata that does not parse, read as it was rewritten.
            if (!reopen()) throw;
            why = e.what();
        }
        if (attempt >= Searcher::kSearchAttempts) throw changed_under(attempt, why);
    }
}

// Adds a matched Xapian term to the snippet's highlight sets: stems and exact
// words of the body or the title; boolean terms are not words.
void add_highlight_term(std::string_view term, HighlightTerms& h) {
    const auto c = format::classify_term(term);
    if (c.field == format::TermClass::Field::None) return;
    (c.stemmed ? h.stems : h.exact).emplace(c.word);
}

// Adds the patterns of the query's wildcards ("harb" for harb*, also for
// title:harb*) as highlight prefixes. Query::get_terms_begin() does not list
// an unexpanded wildcard, and Xapian 1.4 has no accessor for its pattern: it
// is the last word of the leaf's description, "Query(WILDCARD SYNONYM harb)"
// (searcher_test checks that this still holds).
void add_wildcard_prefixes(const Xapian::Query& q, HighlightTerms& h) {
    if (q.get_type() == Xapian::Query::OP_WILDCARD) {
        const std::string description = q.get_description();
        std::string_view d = description;
        if (!d.ends_with(")")) return;
        d.remove_suffix(1);
        const auto space = d.rfind(' ');
        if (space == std::string_view::npos) return;
        const auto c = format::classify_term(d.substr(space + 1));
        if (c.field != format::TermClass::Field::None && !c.stemmed) h.prefixes.emplace_back(c.word);
        return;
    }
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add_wildcard_prefixes(q.get_subquery(i), h);
}

// The most terms a wildcard stands for: the query parser's limit
// (format::make_query_parser(), WILDCARD_LIMIT_MOST_FREQUENT).
constexpr std::size_t kMaxWildcardTerms = 1000;

// A wildcard node expanded against `db`, all its shards at once: an
// OP_SYNONYM of the terms that start with its pattern (the most frequent
// kMaxWildcardTerms), or nothing for a node that is not a wildcard. Xapian
// 1.4 expands an OP_WILDCARD in each shard alone, over the terms of that
// shard, and weighs the synonym with a term frequency estimated from them:
// price* scored 1.341 on one index of 180 BBC articles, 1.770 on its three
// local shards and 2.004 on the same shards served remotely. Expanded once
// here, every shard, local or remote, weighs the same terms with the
// statistics of them all: 1.341 on all three. (Each shard still estimates the
// synonym's passage count from the words it holds: where some are missing
// from a shard, one index scores up to about 1% apart; README.)
std::optional<Xapian::Query> expand_wildcard(const Xapian::Query& node, const Xapian::Database& db) {
    if (node.get_type() != Xapian::Query::OP_WILDCARD) return std::nullopt;
    // "Query(WILDCARD SYNONYM harb)": the pattern is the last word (add_wildcard_prefixes()).
    const std::string description = node.get_description();
    std::string_view d = description;
    if (!d.ends_with(")")) return std::nullopt;
    d.remove_suffix(1);
    const auto space = d.rfind(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const std::string pattern(d.substr(space + 1));
    std::vector<std::pair<Xapian::doccount, std::string>> terms;  // (passages, term)
    for (auto t = db.allterms_begin(pattern); t != db.allterms_end(pattern); ++t)
        terms.emplace_back(t.get_termfreq(), *t);
    if (terms.size() > kMaxWildcardTerms) {
        const auto more_frequent = [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        };
        std::partial_sort(terms.begin(), terms.begin() + kMaxWildcardTerms, terms.end(), more_frequent);
        terms.resize(kMaxWildcardTerms);
        std::sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    }
    if (terms.empty()) return Xapian::Query::MatchNothing;
    std::vector<Xapian::Query> leaves;
    for (const auto& t : terms) leaves.emplace_back(t.second);
    return Xapian::Query(Xapian::Query::OP_SYNONYM, leaves.begin(), leaves.end());
}

// Adds the query's body phrases, NEARs and ADJs (every word unprefixed and
// unstemmed, as the parser makes them) for the snippet to show one place
// that satisfies each. A title phrase is matched in the title, which the
// snippet does not show.
void add_positional(const Xapian::Query& q, HighlightTerms& h) {
    const auto type = q.get_type();
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR) {
        HighlightTerms::Positional p;
        p.ordered = type == Xapian::Query::OP_PHRASE;
        p.window = window_of(q);
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
            const auto sub = q.get_subquery(i);
            if (sub.get_type() != Xapian::Query::LEAF_TERM) return;
            const std::string term = *sub.get_terms_begin();  // c.word is a view into it
            const auto c = format::classify_term(term);
            if (c.field != format::TermClass::Field::Body || c.stemmed) return;
            p.words.emplace_back(c.word);
        }
        h.positional.push_back(std::move(p));
        return;
    }
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add_positional(q.get_subquery(i), h);
}

// The words of `q`'s terms: those that stand outside every phrase and NEAR
// in `alone`, those inside one (of any field) in `inside`.
void positional_words(const Xapian::Query& q, std::unordered_set<std::string>& alone,
                      std::unordered_set<std::string>& inside, bool in_positional = false) {
    const auto type = q.get_type();
    if (type == Xapian::Query::LEAF_TERM) {
        const std::string term = *q.get_terms_begin();
        const auto c = format::classify_term(term);
        if (c.field != format::TermClass::Field::None) (in_positional ? inside : alone).emplace(c.word);
        return;
    }
    const bool positional = in_positional || type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        positional_words(q.get_subquery(i), alone, inside, positional);
}

// The options' filters, AND-ed; an empty query when there are none.
Xapian::Query make_filter(const SearchOptions& o) {
    std::vector<Xapian::Query> parts;
    if (!o.since.empty() || !o.until.empty()) parts.push_back(format::date_filter(o.since, o.until));
    std::vector<Xapian::Query> sources;
    for (const auto& s : o.sources) sources.push_back(format::source_filter(s));
    if (!sources.empty()) parts.emplace_back(Xapian::Query::OP_OR, sources.begin(), sources.end());
    if (parts.empty()) return {};
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// A remote shard xapian-tcpsrv cannot serve: it sends a document's values
// through the termlist table (Xapian 1.4), so a shard without one matches
// but cannot be read; and it cannot check phrases against the text, which
// an index with positions for its frequent words only needs.
void refuse_unservable(const Xapian::Database& shard, const std::string& path, const format::PositionalWords& words) {
    std::string missing;
    if (shard.get_metadata(std::string(format::kMetaTermlist)) != "kept") missing = "a termlist";
    if (!words.all_words()) missing += (missing.empty() ? "" : " and ") + std::string("positions for every word");
    if (!missing.empty())
        throw Error(path + ": this shard was indexed without " + missing +
                    ", which xapian-tcpsrv needs to serve it; index its articles into a new directory "
                    "with trawl-index --termlist --positions all (or --shards): an index keeps the "
                    "settings it was created with");
}

// Opens every shard, checks its format and digests its dictionary. A remote
// shard is asked for its own metadata before it joins the combined database.
// A sharded index (a directory with a stub, format/shards.hpp) stands for its
// shards, opened one by one here so that each gets its own format check and
// codec. The same database twice (by UUID: two paths, a stub line repeated, a
// remote shard that serves a local one) is refused: its hits would come twice.
// Each shard's stem storage and positional words are read once, for the
// checks and for `positional` (the words every shard keeps positions for);
// `uuids` gets each shard's UUID, `stems_out` their stem storage.
Xapian::Database open_all(const std::vector<std::string>& paths,
                          std::vector<std::unique_ptr<format::PassageCodec>>& codecs, std::vector<std::string>& names,
                          std::vector<Xapian::Database>& shards, format::PositionalWords& positional,
                          std::vector<std::string>& uuids, format::StemStorage& stems_out) {
    if (paths.empty()) throw UsageError("--db DIR is required");
    Xapian::Database db;
    std::map<std::string, std::string> seen;                 // UUID -> the shard that has it
    std::pair<std::string, format::StemStorage> storage_of;  // the first shard's stem storage
    std::string remote, partial;  // the first remote shard; the first local one without every word's positions
    for (const auto& index_path : paths) {
        for (const auto& path : format::shard_paths(index_path)) {
            // What a shard's checks read, all of one commit: read again at
            // the latest when a writer's commit lands under them.
            struct Read {
                Xapian::Database shard;
                std::string uuid, format;
                format::PositionalWords words;
                format::StemStorage stems{};
                std::string dictionary;
            };
            Read r{open_shard(path), {}, {}, {}, {}, {}};
            const auto latest = [&] {
                if (is_remote_shard(path)) return false;  // no commit lands under a remote shard's reads
                const auto was = r.shard.get_revision();
                r.shard = open_shard(path);
                return r.shard.get_revision() != was;
            };
            const auto never_committed = [&](const std::string& why) {
                throw IndexFormatError(format::damaged_message(path, why));
            };
            read_again(
                [&] {
                    auto& shard = r.shard;
                    r.uuid = shard.get_uuid();
                    format::check_format(shard, path);
                    r.format = shard.get_metadata(std::string(format::kMetaFormatVersion));
                    if (r.format.empty()) throw IndexFormatError(path + ": not a Trawl index (empty or never written)");
                    r.words = format::PositionalWords::read(shard);
                    // Before its tables are read: xapian-tcpsrv reads no
                    // synonym table, and a shard it cannot serve has its own message.
                    if (is_remote_shard(path)) refuse_unservable(shard, path, r.words);
                    r.stems = format::read_stem_storage(shard);
                    format::check_tables(shard, path, r.stems, r.words);
                    r.dictionary = format::read_dictionary(shard);
                },
                latest, never_committed);
            auto& shard = r.shard;
            const std::string& uuid = r.uuid;
            const std::string key = uuid.empty() ? "path " + path : uuid;
            if (auto [it, fresh] = seen.emplace(key, path); !fresh)
                throw Error(path + (it->second == path ? ": given twice" : ": the same database as " + it->second) +
                            (uuid.empty() ? "" : " (UUID " + uuid + ")") +
                            "; give each shard once, or every hit counts twice");
            const auto& words = r.words;
            if (is_remote_shard(path)) {
                if (remote.empty()) remote = path;
            } else if (!words.all_words() && partial.empty()) {
                partial = path;
            }
            // Beside a remote shard no phrase is checked against the text
            // (xapian-tcpsrv cannot run the check): a local shard that needs
            // the check (stop words and rarer words have no positions) would
            // silently lose those hits.
            if (!remote.empty() && !partial.empty())
                throw Error(partial + ": searched with a remote shard (" + remote +
                            "), every shard must keep positions for every word, and this one keeps them for its "
                            "frequent words only: its phrases with other words or stop words would find nothing, "
                            "since no phrase can be checked against the text beside a remote shard; index its "
                            "articles into a new directory with trawl-index --termlist --positions all (or --shards), "
                            "or search it without remote shards");
            const auto stems = r.stems;
            // Stems as synonyms in one shard and as terms in another would
            // count a stem twice in the second (format/stems.hpp).
            if (storage_of.first.empty()) storage_of = {path, stems};
            else if (stems != storage_of.second)
                throw Error(path + ": its stems are stored as " + std::string(format::stem_storage_name(stems)) + ", " +
                            storage_of.first + "'s as " + std::string(format::stem_storage_name(storage_of.second)) +
                            "; shards searched together must be indexed alike (both with --termlist, or neither)");
            auto dictionary = std::move(r.dictionary);
            try {
                codecs.push_back(std::make_unique<format::PassageCodec>(std::move(dictionary)));
            } catch (const IndexFormatError& e) {
                throw IndexFormatError(format::damaged_message(path, e.what()));
            }
            names.push_back(path);
            shards.push_back(shard);
            positional = positional.intersect(words);
            uuids.push_back(uuid);
            db.add_database(shard);
        }
    }
    stems_out = storage_of.second;  // every shard's, checked alike
    return db;
}

// The warnings of shards given one by one that are part of a set
// (format/shards.hpp, write_shard_set) not all given: the set's positions
// given against its size. A shard keeps its set and position through
// compaction and --rebuild; its UUID does not, so positions are counted.
std::vector<std::string> partial_shard_sets(const std::vector<format::ShardRecord>& records,
                                            const std::vector<std::string>& names) {
    // set -> (its first shard's name, its size, the positions given)
    struct Given {
        std::string first;
        std::size_t size = 0;
        std::set<std::string> positions;
    };
    std::map<std::string, Given> sets;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i];
        if (record.set.empty()) continue;
        auto& given = sets.try_emplace(record.set, Given{names[i], record.uuids.size(), {}}).first->second;
        given.positions.insert(record.position_text);
    }
    std::vector<std::string> out;
    for (const auto& [set, given] : sets) {
        const std::size_t n = given.size;
        if (given.positions.size() >= n) continue;
        const auto missing = n - given.positions.size();
        out.push_back(given.first + " is one of the " + std::to_string(n) + " shards of an index, and " +
                      std::to_string(missing) + (missing == 1 ? " of them is" : " of them are") +
                      " not given: the hits and counts cover part of the index (give the index directory to search "
                      "it whole)");
    }
    return out;
}

}  // namespace

Xapian::BM25Weight make_weight(const SearchOptions& o) { return Xapian::BM25Weight(o.k1, 0, 1, o.b, 0.5); }

Searcher::Searcher(SearchOptions opts)
    : opts_(std::move(opts)),
      db_(open_all(opts_.dbs, codecs_, shard_names_, shards_, positional_, uuids_, stem_storage_)),
      qp_(format::make_query_parser(db_)),
      enquire_(db_),
      stemmer_(format::kLanguage),
      filter_(make_filter(opts_)),
      stems_(db_, stem_storage_),
      articles_(db_, deleted_, stems_, {opts_.k1, opts_.b, 0.5}) {
    qp_.set_default_op(opts_.match_all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    enquire_.set_weighting_scheme(make_weight(opts_));
    if (opts_.by_article) enquire_.set_collapse_key(format::kSlotArticle);
    // Equal scores keep Xapian's docid order: ordering them by article
    // (set_sort_by_relevance_then_value) made Xapian read that value for every
    // candidate counted, +50% on the p50 of Reuters' bag-of-words queries
    // (bench/RESULTS.md, "One ranking for every page").
    if (opts_.sort == SortOrder::Date) enquire_.set_sort_by_value_then_relevance(format::kSlotDate, true);
    // What open_all() read, read again at the commit db_ is at now: the
    // reads below may have moved it to a later one.
    std::vector<format::ShardRecord> records;
    read_again(
        [&] {
            read_state();
            records.clear();
            for (std::size_t i = 0; i < shards_.size(); ++i) records.push_back(format::read_shard_record(shards_[i]));
        },
        [&] { return reopen_database(db_); }, [&](const std::string& why) { throw IndexFormatError(damaged(why)); });
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        if (is_remote_shard(shard_names_[i]))
            remote_.push_back(
                {shard_names_[i], uuids_[i], records[i].set, records[i].position_text, records[i].uuids.size()});
    }
    warnings_ = partial_shard_sets(records, shard_names_);
    // Their spy is Trawl's own, which xapian-tcpsrv cannot run.
    if (opts_.timeline || opts_.source_facets)
        for (const auto& name : shard_names_)
            if (is_remote_shard(name))
                throw UsageError("--timeline and --facets need local shards (" + name + " is remote)");
    for (std::size_t i = 0; i < shard_names_.size(); ++i) opened_.push_back(identity_of(shard_names_[i], uuids_[i]));
}

bool RemoteShard::same_as(const RemoteShard& other) const {
    if (set.empty() != other.set.empty()) return false;
    return set.empty() ? uuid == other.uuid : set == other.set && position == other.position;
}

std::string RemoteShard::describe() const {
    const std::string id = "UUID " + (uuid.empty() ? std::string("unknown") : uuid);
    if (set.empty()) return id + ", outside a shard set";
    return id + ", shard " + format::printable(position) + " of a set of " + std::to_string(set_size);
}

void check_same_remote_shards(const std::vector<RemoteShard>& first, const std::vector<RemoteShard>& now) {
    for (const auto& shard : now) {
        const auto was = std::find_if(first.begin(), first.end(), [&](const auto& f) { return f.name == shard.name; });
        if (was == first.end() || shard.same_as(*was)) continue;
        const bool same_place = !shard.set.empty() && !was->set.empty() && shard.position == was->position &&
                                shard.set_size == was->set_size;
        throw Error(shard.name + ": the remote shard served there now is another database than the one this run " +
                    "started with (now " + shard.describe() + (same_place ? " of another index" : "") + "; was " +
                    was->describe() + "): its hits would be another index's, mixed in; serve the shard it had, or " +
                    "start trawl-query again to search what is served now");
    }
}

bool Searcher::replaced() const {
    std::vector<std::string> paths;
    for (const auto& index_path : opts_.dbs)
        for (auto& path : format::shard_paths(index_path)) paths.push_back(std::move(path));
    if (paths != shard_names_) return true;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (opened_[i].empty()) continue;  // a remote shard: every connection sees what is served
        const auto directory = directory_identity(paths[i]);
        const auto uuid = open_shard(paths[i]).get_uuid();
        if (uuid + " " + directory != opened_[i]) return true;
    }
    return false;
}

void Searcher::read_positional() {
    // Read whole before anything is kept: a read that fails (a commit
    // landing under it) leaves the state as it was.
    auto positional = format::PositionalWords::all();
    std::vector<std::string> uuids;
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        positional = positional.intersect(format::PositionalWords::read(shards_[i]));
        uuids.push_back(shards_[i].get_uuid());
    }
    positional_ = std::move(positional);
    uuids_ = std::move(uuids);
}

void Searcher::read_state() {
    read_deletions();   // the shards share db_'s state
    read_positional();  // an empty index gets its positional words with its first documents
    // A stamped but empty index gets its dictionary with its first documents
    // (read again where there is none: an index too small for one has none).
    if (codecs_.size() == 1 && codecs_[0]->dictionary().empty())
        codecs_[0] = std::make_unique<format::PassageCodec>(format::read_dictionary(db_));
}

VerifiedQuery Searcher::exact_query(const Xapian::Query& q) {
    // A remote shard can run neither check (verified_positions.hpp), and it
    // keeps every word's positions: a title: phrase there finds the article's
    // lead passage only (README, "Serving shards").
    if (has_remote_shard() || (positional_.all_words() && !has_title_positional(q))) return {q, nullptr};
    return verify_positions(q, positional_, passage_texts(), &db_, &qp_);
}

std::shared_ptr<PassageTexts> Searcher::passage_texts() {
    std::vector<format::PassageCodec*> codecs;
    for (auto& c : codecs_) codecs.push_back(c.get());
    if (!tables_apply()) return std::make_shared<PassageTexts>(std::move(codecs), uuids_);
    hold_at_once(*signatures_, read_signatures);
    return std::make_shared<PassageTexts>(std::move(codecs), uuids_, signatures_);
}

template <class Table>
void Searcher::hold_at_once(HeldTable<Table>& held, const typename TableLoader<Table>::Read& read) {
    if (opts_.in_memory_tables != InMemoryTables::Always || held.table || held.given_up) return;
    read_here(held, read);
}

template <class Table>
void Searcher::read_here(HeldTable<Table>& held, const typename TableLoader<Table>::Read& read) {
    held.table = read_at_once<Table>(read, db_);
    held.given_up = !held.table;
}

template <class Table>
void Searcher::tend(HeldTable<Table>& held, std::uint64_t lookups, std::uint64_t break_even,
                    const typename TableLoader<Table>::Read& read) {
    if (held.reading() || held.table || held.given_up) return;  // reading() takes a table read since
    if (held.behind) {
        // The index moved on since this searcher read its state (a batch
        // beside a writer, which does not reopen between queries): no other
        // handle can read its revision. Read by the search, through the
        // searcher's own handle, once it pays in full (as every table was
        // before the thirty-seventh session; a red-team session: one commit
        // after a batch opened the index cost it every table, 9.4 s for 400
        // Wikipedia phrases against 5.6 s).
        if (lookups < db_.get_doccount() / break_even + 1) return;
        held.behind = false;
        try {
            read_here(held, read);
        } catch (const Xapian::Error&) {  // a commit landing under it: the search's own reads will tell
            held.given_up = true;
        }
        return;
    }
    if (lookups < db_.get_doccount() / (3 * break_even) + 1) return;
    try {
        // The path must still hold the directory opened: a copy of the
        // index (the same UUID, at the same revision) moved into it would
        // give the copy's table (found by a red-team session).
        auto in_place = [path = shard_names_[0], uuid = uuids_[0], opened = opened_[0]] {
            try {
                return identity_of(path, uuid) == opened;
            } catch (const Error&) {
                return false;  // nothing there any more
            }
        };
        held.loading = std::make_unique<TableLoader<Table>>(shard_names_[0], uuids_[0], shards_[0].get_revision(), read,
                                                            std::move(in_place));
    } catch (const std::exception&) {
        held.given_up = true;  // no thread (or no memory) to read it with: Xapian's lookups answer
    }
}

void Searcher::tend_tables() {
    if (!tables_apply() || opts_.in_memory_tables != InMemoryTables::WhenTheyPay) return;
    // A table pays for its reading once the lookups it saves reach a
    // `break_even` share of the passages. Read on a thread of its own, it
    // costs no search any time, so its reading starts at a third of that
    // (the searcher has shown it asks again and again), on the lookups of
    // earlier searches (a one-shot search never reads one), and the searches
    // go on with Xapian's lookups until the search after it ended takes it.
    // Read in the search that bought it, a table cost that search 30-50 ms
    // (the lengths' and articles' on Wikipedia), 0.15-0.3 s (the
    // signatures') or 0.13-0.42 s (the vocabulary), before the
    // thirty-seventh session. Here, between searches, a table changes no
    // search halfway.
    //
    // Reading every length costs about 215 instructions a passage (one walk
    // of the length list), Xapian's lookup about 1,900 a posting
    // (bench/RESULTS.md, "Issue 10, eighth round"): an eighth.
    tend(lengths_, stem_postings_, 8, read_lengths);
    // The articles: about 340 instructions a passage (a walk of the article
    // slot), a match's article value about 2,100: a sixth.
    tend(passage_articles_, article_reads_, 6, read_articles);
    // The signatures: about 530 instructions a passage (one walk of the pair
    // slot: 0.05-0.15 s on Wikipedia), a phrase check's lookup of one about
    // 4,560 (a descent of the value B-tree, as for a whole stored record):
    // a ninth (bench/RESULTS.md, thirty-sixth and thirty-seventh sessions).
    tend(*signatures_, signatures_->reads, 9, read_signatures);
    // The speller's vocabulary: its walk costs a third (Wikipedia) to most
    // (Reuters) of a passages' worth of lookups (searcher_extras.cpp).
    if (speller_)
        tend(speller_->vocabulary(), speller_->xapian_lookups(), 3,
             SpellingVocabulary::reader(opts_.spelling.min_passages));
}

void Searcher::read_deletions() {
    std::vector<format::Deletions> records;
    for (const auto& shard : shards_) records.push_back(format::Deletions::read(shard));
    auto dead = dead_passages(shards_, std::move(records), has_remote_shard());
    dead_ = std::move(dead.filter);
    deleted_ = std::move(dead.all);
}

Xapian::doccount Searcher::passage_count() const {
    const auto all = db_.get_doccount();
    return static_cast<Xapian::doccount>(all - std::min<std::uint64_t>(all, deleted_.passages()));
}

Searcher::~Searcher() = default;

namespace {

// A query of two or more stop words only, written as plain words ("the who",
// "to be or not to be"; no quotes, fields or operators): an index that leaves its stop
// words out (format v6) can find them in the text only, and a run of them
// means something only as a phrase, so it is searched as one. On every index:
// one that holds its stop words (--positions all, every --shards set, a remote
// shard) answers the phrase from its positions, and the parser would otherwise
// keep the words as a ranked OR that matches nearly every passage.
bool stop_words_only(const std::string& query, const format::PositionalWords& positional) {
    for (const char c : query)
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && !is_ascii_space(c) && c != '\'') return false;
    const auto words = format::cut_words(query);
    // One word stays a word: stemmed, "it" finds "its" (verified_positions.hpp).
    if (words.list().size() < 2) return false;
    for (const auto& w : words.list()) {
        const auto text = std::string_view(query).substr(w.begin, w.end - w.begin);
        // Upper-case AND, OR and NOT are operators (the other operators are not stop words).
        // A stop word of the parser's list (analysis.hpp), or one the index left out.
        const auto term = words.term(w);
        if ((!format::is_stop_word(term) && positional.indexed(term)) || text == "AND" || text == "OR" || text == "NOT")
            return false;
    }
    return true;
}

}  // namespace

namespace {

// Why a query with words parsed to nothing.
std::string nothing_to_find(const std::string& typed) {
    std::string q = typed;
    while (!q.empty() && is_ascii_blank(q.back())) q.pop_back();
    q.erase(0, q.find_first_not_of(" \t"));
    return "nothing to search for in '" + q + "': the query parser kept no word of it";
}

}  // namespace

Xapian::Query Searcher::parse(const std::string& typed) {
    check_query_text(typed);
    // Case never changes what a word or a field name means; after the UTF-8
    // check, which reports bytes as typed.
    std::string query = format::fold_query_case(typed);
    check_query_syntax(query, opts_.match_all);  // columns as typed: NFC may make two characters one
    check_has_words(typed);
    // In Unicode NFC, the form the indexer gives every text (Cleaner::process):
    // "cafe" + U+0301 and a precomposed "café" are one word.
    corpus::to_nfc_in_place(query);
    query = space_brackets(query);  // "AND(gas OR coal)" as the check read it
    Xapian::Query parsed;
    try {
        stop_phrase_ = stop_words_only(query, positional_);
        parsed = qp_.parse_query(stop_phrase_ ? "\"" + query + "\"" : query, format::query_parser_flags());
    } catch (const Xapian::QueryParserError& e) {
        throw QuerySyntaxError(1, e.get_msg());
    }
    // A query the parser keeps nothing of would match nothing without saying why.
    if (parsed.empty()) throw QuerySyntaxError(1, nothing_to_find(typed));
    parsed = replace_nodes(parsed, format::excluded_dates);  // "-date:" (analysis.hpp)
    // "opec (source:reuters)" filters as "opec source:reuters" does (filter_groups.hpp).
    parsed = filters_restrict(parsed);
    parsed = weigh_stems_exactly(parsed, stems_, db_.get_doccount());
    if (filter_.empty()) return parsed;
    return Xapian::Query(Xapian::Query::OP_FILTER, parsed, filter_);
}

ResultSet Searcher::search(const std::string& query_id, const std::string& query) {
#ifdef TRAWL_FAULT_INJECTION
    // Test builds: TRAWL_FAULT_AT=index-changing@ID[,ID...] fails the queries
    // of those ids as a writer committing under every attempt makes them fail
    // (a batch's handling of it, tested with no writer and no timing).
    if (const char* at = std::getenv("TRAWL_FAULT_AT"); at && std::string_view(at).starts_with("index-changing@")) {
        const std::string ids = "," + std::string(at).substr(15) + ",";
        if (ids.find("," + query_id + ",") != std::string::npos)
            throw changed_under(kSearchAttempts, "TRAWL_FAULT_AT=" + std::string(at));
    }
#endif
    tend_tables();
    for (int attempt = 1;; ++attempt) {
        failed_doc_ = 0;
        try {
            if (stale_) reopen();  // an earlier reopen's reads failed: its state is of another commit
            const auto start = std::chrono::steady_clock::now();
            auto rs = run(query_id, query);
            rs.summary.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            return rs;
        } catch (const Xapian::DatabaseModifiedError& e) {
            // A writer committed over the revision being read: reopen at its
            // latest commit and run again. When there is no newer commit,
            // nobody wrote: the tables' revision numbers are damaged, and
            // running again would meet the same error.
            if (!reopen()) throw IndexFormatError(damaged(kNeverCommitted));
            if (attempt >= kSearchAttempts) throw changed_under(attempt, e.get_msg());
        } catch (const Xapian::DatabaseError& e) {
            // Corrupt ("EOF reading block 7": a truncated table), or a block a
            // writer reused, read as it was being rewritten: damaged only
            // when nobody committed since.
            damaged_unless_newer(e.get_msg(), attempt);
        } catch (const Xapian::DocNotFoundError& e) {
            damaged_unless_newer(e.get_msg(), attempt);
        } catch (const IndexFormatError& e) {  // a stored record that does not decode (or was read as rewritten)
            damaged_unless_newer(e.what(), attempt);
        } catch (const Xapian::NetworkError& e) {
            throw_lost(e);
        } catch (const Xapian::Error& e) {  // what garbage read from a block being rewritten can make
            if (!reopen()) throw;
            if (attempt >= kSearchAttempts) throw changed_under(attempt, e.get_msg());
        }
    }
}

void Searcher::damaged_unless_newer(const std::string& why, int attempt) {
    if (!reopen()) throw IndexFormatError(damaged(why));
    // Commits kept landing under the reads: the index is not damaged for it
    // (it said so when a loaded machine let a writer commit under every
    // attempt), and read_again() says the same.
    if (attempt >= kSearchAttempts) throw changed_under(attempt, why);
}

void Searcher::throw_lost(const Xapian::NetworkError& e) {
    std::string why = e.get_msg();
    if (const char* detail = e.get_error_string(); detail && *detail) why += std::string(": ") + detail;
    throw RemoteShardLost(lost_shard() + ": remote shard lost (" + why + ")");
}

std::string Searcher::damaged(const std::string& why) {
    // A stored record names its passage's shard; a table read during the
    // match is found by running the query on each shard alone.
    std::size_t shard = shards_.size();
    std::string what = why;
    if (failed_doc_ != 0) {
        shard = (failed_doc_ - 1) % shards_.size();
        what = "passage " + std::to_string((failed_doc_ - 1) / shards_.size() + 1) + ": " + why;
    } else {
        for (std::size_t i = 0; i < shards_.size() && shard == shards_.size(); ++i) {
            try {
                Xapian::Enquire e(shards_[i]);
                e.set_query(last_query_);
                const auto mset = e.get_mset(0, 100);
                for (auto m = mset.begin(); m != mset.end(); ++m) (void)m.get_document().get_data();
            } catch (const Xapian::Error&) {
                shard = i;
            }
        }
    }
    std::string path;
    if (shard < shards_.size()) path = shard_names_[shard];
    else if (shards_.size() == 1) path = shard_names_[0];
    else
        for (const auto& p : opts_.dbs) path += (path.empty() ? "" : ", ") + p;
    return format::damaged_message(path, format::printable(what));
}

std::string Searcher::lost_shard() {
    // The match does not say which connection broke, and the others may be
    // left mid-answer (asking them again on the search's connections failed
    // for healthy shards too): connect to each remote shard afresh; the lost
    // one does not answer.
    std::string lost;
    for (const auto& name : shard_names_) {
        if (!is_remote_shard(name)) continue;
        try {
            (void)open_remote_shard(name).get_doccount();
        } catch (const Error&) {
            lost += (lost.empty() ? "" : ", ") + name;
        } catch (const Xapian::Error&) {
            lost += (lost.empty() ? "" : ", ") + name;
        }
    }
    if (!lost.empty()) return lost;
    for (const auto& p : shard_names_)
        if (is_remote_shard(p)) lost += (lost.empty() ? "" : " or ") + p;
    return lost;
}

bool Searcher::has_remote_shard() const {
    return std::any_of(shard_names_.begin(), shard_names_.end(),
                       [](const auto& name) { return is_remote_shard(name); });
}

void check_bm25_options(double k1, double b) {
    // Written so that NaN fails both checks.
    if (!(k1 >= 0 && k1 <= kMaxK1)) throw UsageError("--k1 must be a number from 0 to 1000");
    if (!(b >= 0 && b <= 1)) throw UsageError("--b must be from 0 to 1");
}

void check_proximity_weight(double w) {
    if (!(w >= 0 && w <= kMaxProximityWeight)) throw UsageError("--proximity must be a number from 0 to 1000");
}

InMemoryTables parse_in_memory_tables(const std::string& when) {
    if (when == "auto") return InMemoryTables::WhenTheyPay;
    if (when == "always") return InMemoryTables::Always;
    if (when == "never") return InMemoryTables::Never;
    throw UsageError("--in-memory-tables must be auto, always or never, not '" + when + "'");
}

bool Searcher::tables_apply() const {
    return opts_.in_memory_tables != InMemoryTables::Never && shards_.size() == 1 && !has_remote_shard();
}

Xapian::Query Searcher::with_lengths_in_memory(const Xapian::Query& q) {
    if (!tables_apply()) return q;
    const Bm25Params params{opts_.k1, opts_.b, 0.5};
    // Not for the query at hand, when the rule reads it (tend_tables()):
    // Xapian looks up the lengths of the postings it weighs, and its bounds
    // let it skip most of a frequent word's, so reading them for the query
    // at hand made a one-shot search slower ("world war" on Wikipedia: 36 ms
    // against 16.5 ms; bench/RESULTS.md, "Issue 10, tenth round").
    hold_at_once(lengths_, read_lengths);
    if (!lengths_.table) {
        std::uint64_t postings = 0;
        with_bm25_sources(q, db_, stems_, params, nullptr, &postings);
        stem_postings_ += postings;
        return q;
    }
    return with_bm25_sources(q, db_, stems_, params, lengths_.table);
}

const PassageArticles* Searcher::articles_in_memory() {
    if (!tables_apply()) return nullptr;
    hold_at_once(passage_articles_, read_articles);
    return passage_articles_.table.get();
}

bool Searcher::reopen() {
    try {
        // A reopen whose reads failed left db_ at a later commit than the
        // state read: read it again even when nothing newer came since.
        bool moved = false;
        try {
            moved = reopen_database(db_);
        } catch (...) {
            // The handle may have moved to a newer commit before the reads
            // that failed: the state read is of another commit.
            stale_ = true;
            throw;
        }
        if (!moved && !stale_) return false;
        stale_ = true;
        stems_.reset();  // the vocabulary may have grown
        // The tables of the old revision, and their readings under way.
        lengths_ = {};
        passage_articles_ = {};
        // The signatures' table is read again only on the new revision's own
        // lookups (the lengths' and articles' tables, 3.3 MB each on
        // Wikipedia, on the counts kept): beside a writer that commits every
        // few seconds a count carried over had every commit read it again,
        // 69 MB (found by a red-team session, when the search that bought it
        // read it: 24-51 ms a phrase on Reuters where the lookups took 3-8).
        signatures_ = std::make_shared<SignatureReads>();
        speller_.reset();
        articles_.reset();  // and the article statistics changed
        // Read at the latest commit, again if another lands under the reads
        // (one escaped as Xapian's own error, ending a --queries run).
        read_again([&] { read_state(); }, [&] { return reopen_database(db_); },
                   [&](const std::string& why) { throw IndexFormatError(damaged(why)); });
        stale_ = false;
        return true;
    } catch (const Xapian::NetworkError& e) {  // a remote shard lost since the last query
        throw_lost(e);
    }
}

Xapian::Query Searcher::over_every_shard(const Xapian::Query& q) const {
    // A single database's own expansion is the same.
    if (shards_.size() <= 1) return q;
    return replace_nodes(q, [&](const Xapian::Query& n) { return expand_wildcard(n, db_); });
}

Xapian::Query Searcher::without_dead(const Xapian::Query& q) const {
    return dead_.empty() ? q : Xapian::Query(Xapian::Query::OP_AND_NOT, q, dead_);
}

bool Searcher::finds_any(const std::string& query) {
    // The speller counts its words' passages in the whole index: under
    // --since, --source or --all, or as title: words, its suggestion could
    // find nothing ("opec quota" since 1988 on Reuters; a red-team session).
    // Asked as the search asks it (filters, phrases checked against the
    // text, dead passages left out), boolean, stopping at the first match.
    const bool stop_phrase = stop_phrase_;  // parse() sets it for the query being answered
    Xapian::Query parsed;
    try {
        parsed = parse(query);
    } catch (const QuerySyntaxError&) {
        stop_phrase_ = stop_phrase;
        return false;
    }
    stop_phrase_ = stop_phrase;
    const auto exact = exact_query(parsed);
    Xapian::Enquire e(db_);
    e.set_query(without_dead(over_every_shard(exact.query)));
    e.set_weighting_scheme(Xapian::BoolWeight());
    return !e.get_mset(0, 1, 0, nullptr, exact.decider.get()).empty();
}

ResultSet Searcher::run(const std::string& query_id, const std::string& query) {
    ResultSet rs;
    rs.query_id = query_id;
    rs.query = query;  // as typed
    const auto parsed = parse(query);
    const bool relevance = opts_.sort == SortOrder::Relevance;
    // The terms the article evidence weighs: the query's, or the expanded query's.
    std::vector<WeightedTerm> weighted;
    std::optional<Expanded> expanded;
    const auto ranked = opts_.expand.on && relevance ? expand(parsed, weighted, expanded) : parsed;
    const bool article = opts_.article.weight > 0 && relevance;
    if (article && !opts_.expand.on) weighted = body_terms(parsed);
    // Phrases with words the index keeps no positions for are checked
    // against the passages' text (verified_positions.hpp).
    const auto exact = exact_query(ranked);
    const auto scored = with_lengths_in_memory(over_every_shard(exact.query));
    last_query_ = without_dead(scored);
    enquire_.set_query(last_query_);

    std::vector<ProximityTerm> prox;
    if (opts_.proximity.weight > 0 && relevance) prox = proximity_terms(parsed);
    const bool rerank = (prox.size() >= 2 || article) && opts_.rerank_depth > 0;
    // In 64 bits and capped at the passage count: -n 4294967295 --offset 5
    // must not wrap to 4 (nothing lies past the last passage anyway).
    const std::uint64_t passages = db_.get_doccount();
    const auto capped = [&](std::uint64_t n) { return static_cast<Xapian::doccount>(std::min(n, passages)); };
    const Xapian::doccount want = capped(std::uint64_t{opts_.offset} + opts_.limit);
    const bool facets_asked = opts_.timeline || opts_.source_facets;
    // Counting every match of a phrase, NEAR or ADJ would check the positions
    // (or the text, verified_positions.hpp) of every candidate: such a query
    // reports Xapian's estimate instead, exact when the match had to examine
    // every candidate anyway.
    const Xapian::doccount check = facets_asked             ? capped(passages)
                                   : has_positional(parsed) ? 0
                                                            : capped(opts_.exact_count_limit);
    // Counts passages and articles in the same pass: the articles of the
    // passages counted exactly, beyond them a sample to scale from.
    const MatchCounter counter(enquire_, std::max(check, kExactCountLimit), has_remote_shard(), articles_in_memory());
    std::unique_ptr<FacetSpy> facets;  // --timeline, --facets source: every match examined
    if (facets_asked) enquire_.add_matchspy((facets = std::make_unique<FacetSpy>()).get());
    // The prompt's Ctrl-C ends the match (cancel.hpp); cleared with the
    // other spies by the counter's destructor.
    CancelSpy cancel;
    if (opts_.cancellable && !has_remote_shard()) enquire_.add_matchspy(&cancel);
    // Re-ranking fetches the top rerank_depth hits whatever page is asked
    // for, so that the page is a slice of the one re-ranked list.
    const Xapian::doccount depth = rerank ? std::max(want, capped(opts_.rerank_depth)) : want;
    auto mset = rerank ? enquire_.get_mset(0, depth, check, nullptr, exact.decider.get())
                       : enquire_.get_mset(opts_.offset, capped(opts_.limit), check, nullptr, exact.decider.get());
    throw_if_cancelled();  // a remote shard's match, or a match that examined nothing
    rs.estimated_matches = mset.get_matches_estimated();
    counter.count(mset, opts_.by_article, passage_count(), check >= passages || counter.saw_every_match(check),
                  rs.summary);
    article_reads_ += counter.value_reads();
    // No more articles match than the index holds (counted once per opened
    // revision, and by the article evidence anyway).
    if (!rs.summary.articles.exact()) rs.summary.articles = at_most_articles(rs.summary.articles, articles_.articles());
    if (facets) {
        rs.summary.timeline_asked = opts_.timeline;
        rs.summary.sources_asked = opts_.source_facets;
        if (opts_.timeline) rs.summary.timeline = facets->timeline();
        if (opts_.source_facets)
            rs.summary.sources = facets->sources(db_, [this](Xapian::docid did) {
                failed_doc_ = did;  // an error reading it is the damage of its shard
                auto source = read_fields(format::stored_passage(db_.get_document(did)), did).source;
                failed_doc_ = 0;
                return source;
            });
    }

    // (score, index into the mset), in final order.
    ScoreOrder order;
    order.reserve(mset.size());
    for (Xapian::doccount i = 0; i < mset.size(); ++i) order.emplace_back(mset[i].get_weight(), i);
    std::uint64_t first = 0;
    if (rerank) {
        rerank_top(mset, order, prox, weighted, article);
        first = opts_.offset;
    }
    // Words to highlight: the query's terms, once per query. Only words of a
    // hit's text are highlighted, so this equals asking the match for each
    // hit's matching terms, without a term-list read per hit (a round trip
    // each on a remote shard).
    HighlightTerms highlight;
    if (!opts_.ids_only) {
        // Not the words the query leaves out ("opec NOT title:quota" lit the
        // body's "quotas"; a red-team session).
        const auto kept = kept_parts(parsed);
        for (const auto& t : format::query_terms(kept)) add_highlight_term(t, highlight);
        add_wildcard_prefixes(kept, highlight);
        add_positional(kept, highlight);
        // A phrase's stop words are highlighted where the phrase is (the
        // snippet marks its place), not wherever they stand: "bank of
        // england" lit every "of" of the snippet (a red-team review).
        // A title: phrase's are the headline's, never the snippet's.
        std::unordered_set<std::string> alone, in_positional;
        positional_words(kept, alone, in_positional);
        for (const auto& w : in_positional)
            if (format::is_stop_word(w) && !alone.contains(w)) highlight.exact.erase(w);
    }
    std::uint32_t rank = opts_.offset;
    std::vector<Xapian::doccount> shown;                                      // the hits' places in the mset
    for (auto i = first; i < order.size() && i < first + opts_.limit; ++i) {  // 64-bit: no wrap
        rs.hits.push_back(make_hit(mset[order[i].second], ++rank, shown_score(order[i].first), highlight));
        shown.push_back(order[i].second);
    }
    if (opts_.by_article && !opts_.ids_only) count_other_passages(last_query_, exact.decider.get(), rs.hits);
    // "Did you mean" reads the words in the form parse() searched them.
    add_extras(rs, corpus::to_nfc(query), parsed, expanded, mset, shown);
    // Searched as a phrase, it found nothing: say why, or it would look as
    // if the words were not in the index at all.
    if (stop_phrase_ && !rs.matched())
        rs.note =
            "'" + query + "' is stop words only, which are searched as the phrase they spell; no passage holds it";
    return rs;
}

std::vector<Searcher::ProximityTerm> Searcher::proximity_terms(const Xapian::Query& q) {
    // Body terms of the query in query order, once each: stems (Z...) stand for
    // every indexed word with that stem; unstemmed words for themselves. Field
    // (title) and filter terms do not take part: positions are body positions.
    std::vector<ProximityTerm> terms;
    std::vector<std::string> seen;
    const double n = db_.get_doccount();
    for (const auto& term : format::query_terms(q)) {
        if (format::classify_term(term).field != format::TermClass::Field::Body) continue;
        if (std::find(seen.begin(), seen.end(), term) != seen.end()) continue;
        seen.push_back(term);
        const double df = stems_.termfreq(term);
        if (df == 0) continue;
        ProximityTerm t;
        t.forms = stems_.forms(term);
        t.idf = std::log(n / df);
        if (!t.forms.empty()) terms.push_back(std::move(t));
    }
    return terms;
}

std::vector<double> Searcher::proximity_scores(const std::vector<Xapian::docid>& docs,
                                               const std::vector<ProximityTerm>& terms) {
    // Walk each surface form's posting list once over the candidates in docid
    // order: positions are read only where the passage has the word.
    std::vector<std::pair<Xapian::docid, std::size_t>> by_id;  // (docid, index in docs)
    for (std::size_t i = 0; i < docs.size(); ++i) by_id.emplace_back(docs[i], i);
    std::sort(by_id.begin(), by_id.end());
    std::vector<std::vector<TermOccurrence>> occ(docs.size());
    std::vector<double> idf;
    idf.reserve(terms.size());
    for (const auto& t : terms) idf.push_back(t.idf);
    if (!positional_.all_words()) {
        // Some words have no positions in the index: take every word's from
        // the passage text, at the positions the indexer gave them.
        auto texts = passage_texts();
        for (std::size_t i = 0; i < docs.size(); ++i) {
            const auto shard = format::shard_of_docid(docs[i], static_cast<unsigned>(texts->shards()));
            const auto words = texts->words(db_.get_document(docs[i]).get_value(format::kSlotStored), shard);
            for (std::uint32_t t = 0; t < terms.size(); ++t)
                for (const auto& form : terms[t].forms)
                    for (const auto p : positions_in(words, form)) occ[i].push_back({p, t});
        }
    }
    for (std::uint32_t t = 0; t < terms.size() && positional_.all_words(); ++t) {
        for (const auto& form : terms[t].forms) {
            auto pl = db_.postlist_begin(form);
            const auto end = db_.postlist_end(form);
            for (const auto& [did, i] : by_id) {
                pl.skip_to(did);
                if (pl == end) break;
                if (*pl != did) continue;
                for (auto p = pl.positionlist_begin(); p != pl.positionlist_end(); ++p) occ[i].push_back({*p, t});
            }
        }
    }
    std::vector<double> scores(docs.size(), 0.0);
    const double avg = db_.get_avlength();
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (occ[i].size() < 2) continue;
        std::sort(occ[i].begin(), occ[i].end());
        const double norm = bm25_length_norm(opts_.k1, opts_.b, db_.get_doclength(docs[i]), avg);
        scores[i] = proximity_score(occ[i], idf, opts_.k1, norm, opts_.proximity.window);
    }
    return scores;
}

void Searcher::count_other_passages(const Xapian::Query& final_query, const Xapian::MatchDecider* decider,
                                    std::vector<Hit>& hits) {
    if (hits.empty()) return;
    std::vector<std::string> articles;
    for (const auto& h : hits) articles.push_back(h.article_id);
    const auto counts = matching_passages(db_, final_query, decider, articles);
    for (auto& h : hits) {
        const auto c = counts.find(h.article_id);
        // The hit itself is one of its article's matches.
        h.collapsed = c == counts.end() || c->second == 0 ? 0 : c->second - 1;
    }
}

Hit Searcher::make_hit(const Xapian::MSetIterator& it, std::uint32_t rank, double score,
                       const HighlightTerms& highlight) {
    failed_doc_ = *it;  // an error reading this hit is the damage of its shard
    Hit h;
    h.rank = rank;
    h.score = score;
    auto doc = it.get_document();
    if (opts_.ids_only) {
        h.article_id = format::article_id_of(doc);
        h.ordinal = format::ordinal_of(doc);
        h.passage_id = passage_id(h.article_id, h.ordinal);
        failed_doc_ = 0;
        return h;
    }
    auto data = format::stored_passage(doc);
    auto f = read_fields(data, *it);
    h.article_id = std::move(f.article_id);
    h.ordinal = data.ordinal;
    h.passage_id = passage_id(h.article_id, h.ordinal);
    h.title = std::move(f.title);
    h.location = std::move(f.location);
    h.date = std::move(f.date);
    h.source = std::move(f.source);
    h.begin = data.begin;
    h.end = data.end;
    h.text = std::move(f.text);

    h.snippet = make_snippet(
        h.text, highlight, [this](const std::string& w) { return stemmer_(w); }, opts_.snippet_bytes);
    failed_doc_ = 0;
    return h;
}

format::StoredFields Searcher::read_fields(const format::DocData& data, Xapian::docid did) {
    // codecs_ has one entry per shard, stub shards included, in open order.
    auto& codec = *codecs_[format::shard_of_docid(did, static_cast<unsigned>(codecs_.size()))];
    return format::decode_fields(codec.decompress(data.payload, data.raw_size));
}

}  // namespace trawl::query
