// SQLite FTS5 peer: the full-text search an application gets for free with
// SQLite. Configuration: one contentful FTS5 table (id UNINDEXED, title, text)
// with tokenize='porter unicode61' (Unicode word splitting and case folding,
// Porter stemming, no stop words), ranked by FTS5's built-in bm25() (k1 = 1.2,
// b = 0.75, equal column weights) — the closest FTS5 comes to Trawl's stemmed
// English BM25 over title + text with the text stored. Queries run ORDER BY
// rank (= bm25()) LIMIT k, so FTS5 sorts itself and snippet() (48 tokens of
// the text, matches in [ ]) is computed for the k rows returned only; each
// thread of Peer::run() has its own read-only connection.
// Limits: FTS5 has no ordered proximity, so ADJ/n runs as NEAR/n (unordered);
// SQLite has one writer, so `threads` is ignored; peak RSS is the whole
// process's (FTS5 runs inside trawl-bench).
#include "bench/peers/peer.hpp"
#include "corpus/base/disk_usage.hpp"
#include "corpus/base/error.hpp"

#ifdef TRAWL_HAVE_SQLITE3

#include <algorithm>
#include <filesystem>
#include <memory>

#include <sqlite3.h>

#include "bench/latency.hpp"

namespace trawl::bench {
namespace {

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

struct FinalizeStmt {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    throw Error("fts5 peer: " + what + ": " + sqlite3_errmsg(db));
}

Db open_db(const std::filesystem::path& path, int flags) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) fail(raw, "cannot open " + path.string());
    return db;
}

void exec(sqlite3* db, const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

Stmt prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) fail(db, sql);
    return Stmt(raw);
}

void bind_text(sqlite3_stmt* stmt, int index, const std::string& value) {
    sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}

// `s` as an FTS5 string: double-quoted, inner quotes doubled, so no word can
// be read as FTS5 syntax (AND, NEAR, column filters...).
std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string joined;
    for (const auto& part : parts) {
        if (!joined.empty()) joined += separator;
        joined += part;
    }
    return joined;
}

// The FTS5 MATCH expression for `q`: Words -> "a" OR "b", Phrase -> "a b",
// Near and Adj -> NEAR("a" "b", n) (n = tokens allowed between them).
std::string match_expression(const PeerQuery& q) {
    if (q.terms.empty()) throw Error("fts5 peer: query " + q.id + " has no terms");
    std::vector<std::string> each;
    for (const auto& term : q.terms) each.push_back(quoted(term));
    switch (q.kind) {
        case PeerQuery::Kind::Words:
            return join(each, " OR ");
        case PeerQuery::Kind::Phrase:
            return quoted(join(q.terms, " "));
        case PeerQuery::Kind::Near:
        case PeerQuery::Kind::Adj:
            return "NEAR(" + join(each, " ") + ", " + std::to_string(q.distance) + ")";
    }
    throw Error("fts5 peer: query " + q.id + " has an unknown kind");
}

class Fts5Peer final : public Peer {
public:
    std::string name() const override { return std::string("sqlite-fts5 ") + sqlite3_libversion(); }

    std::string notes() const override {
        return "ADJ/n runs as NEAR/n (FTS5 has no ordered proximity); one writer thread; "
               "peak RSS is the whole trawl-bench process";
    }

    PeerIndexReport build(const std::vector<PeerDoc>& docs, const std::string& dir, unsigned /*threads*/) override {
        std::filesystem::create_directories(dir);
        db_path_ = std::filesystem::path(dir) / "fts5.db";
        std::filesystem::remove(db_path_);

        Stopwatch wall;
        double cpu_start = peer_util::self_usage().cpu_seconds;
        {
            Db db = open_db(db_path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
            exec(db.get(), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");
            exec(db.get(),
                 "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                 "tokenize='porter unicode61')");
            exec(db.get(), "BEGIN");
            Stmt insert = prepare(db.get(), "INSERT INTO docs(id, title, text) VALUES (?1, ?2, ?3)");
            for (const auto& doc : docs) {
                bind_text(insert.get(), 1, doc.id);
                bind_text(insert.get(), 2, doc.title);
                bind_text(insert.get(), 3, doc.text);
                if (sqlite3_step(insert.get()) != SQLITE_DONE) fail(db.get(), "cannot insert " + doc.id);
                sqlite3_reset(insert.get());
            }
            exec(db.get(), "COMMIT");
        }  // closed: everything is on disk before the clock stops

        PeerIndexReport report;
        report.wall_seconds = wall.seconds();
        auto usage = peer_util::self_usage();
        report.cpu_seconds = usage.cpu_seconds - cpu_start;
        report.peak_rss_bytes = usage.peak_rss_bytes;
        report.index_bytes = directory_bytes(db_path_.string());
        return report;
    }

    PeerRun run(const std::vector<PeerQuery>& queries, const PeerRunOptions& opts) override {
        if (db_path_.empty()) throw Error("fts5 peer: search() called before build()");
        std::vector<std::string> expressions;
        for (const auto& q : queries) expressions.push_back(match_expression(q));
        // ORDER BY rank (= bm25()) lets FTS5 sort by itself, so snippet() is
        // only computed for the rows returned, not for every match.
        const char* sql = opts.snippets
                              ? "SELECT id, snippet(docs, 2, '[', ']', '…', 48), rank FROM docs WHERE docs MATCH ?1 "
                                "ORDER BY rank LIMIT ?2"
                              : "SELECT id, text, rank FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT ?2";
        PeerRun out;
        out.results.resize(queries.size());
        // One read-only connection per thread (SQLite connections are not shared).
        std::vector<Db> dbs(std::max(opts.threads, 1u));
        auto timed = time_passes(queries.size(), opts.threads, opts.warmup, opts.repetitions, [&](unsigned t) {
            dbs[t] = open_db(db_path_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
            auto select = std::make_shared<Stmt>(prepare(dbs[t].get(), sql));
            sqlite3* db = dbs[t].get();
            return [&, db, select](std::size_t i) {
                sqlite3_stmt* stmt = select->get();
                sqlite3_reset(stmt);
                bind_text(stmt, 1, expressions[i]);
                sqlite3_bind_int64(stmt, 2, opts.k);
                std::vector<PeerHit> hits;
                int rc;
                while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
                    // The stored text (or its snippet) is fetched as an application showing the hit would.
                    std::string id(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                                   static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0)));
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
                    std::string snippet;
                    if (opts.snippets && text)
                        snippet.assign(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, 1)));
                    hits.push_back(
                        {std::move(id), -sqlite3_column_double(stmt, 2), std::move(snippet)});  // rank: lower is better
                }
                if (rc != SQLITE_DONE) fail(db, "query " + queries[i].id + " (" + expressions[i] + ")");
                out.results[i].query_id = queries[i].id;
                out.results[i].hits = std::move(hits);
            };
        });
        for (std::size_t i = 0; i < queries.size(); ++i) out.results[i].latency_micros = timed.micros[i];
        out.wall_seconds = timed.wall_seconds;
        return out;
    }

private:
    std::filesystem::path db_path_;
};

}  // namespace

std::unique_ptr<Peer> make_fts5_peer(std::string& why) {
    if (!sqlite3_compileoption_used("ENABLE_FTS5")) {
        why = std::string("the SQLite library (") + sqlite3_libversion() + ") was built without FTS5";
        return nullptr;
    }
    return std::make_unique<Fts5Peer>();
}

}  // namespace trawl::bench

#else  // !TRAWL_HAVE_SQLITE3

namespace trawl::bench {

std::unique_ptr<Peer> make_fts5_peer(std::string& why) {
    why = "libsqlite3-dev not found at build time; install it and re-run cmake";
    return nullptr;
}

}  // namespace trawl::bench

#endif
