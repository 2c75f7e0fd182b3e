// End-to-end: trawl-index --threads N and --shards N give the same index as
// --threads 1 (same passages, same hits with the same scores), and
// re-indexing with threads replaces instead of duplicating.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::CommandResult;
using trawl::test::lines_of;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

// A seeded synthetic news corpus in JSON Lines: enough text for a zstd
// dictionary (>= 64 passages, >= 32 KB), inflected words so that stems and
// exact forms differ, and 25 ids that occur twice (the later version wins:
// the earlier record is skipped with a "duplicate id" warning, as in a
// single-threaded run).
std::string write_corpus(const fs::path& dir, int articles = 425) {
    static const std::vector<std::string> words = {
        "ship",     "ships",  "shipping", "shipped",  "port",   "ports",  "harbour", "crane",   "cranes",
        "oil",      "crude",  "price",    "prices",   "priced", "market", "markets", "trade",   "trader",
        "traders",  "storm",  "storms",   "warning",  "warned", "coast",  "bank",    "banks",   "rate",
        "rates",    "raised", "cut",      "minister", "budget", "tax",    "taxes",   "export",  "exports",
        "exported", "grain",  "wheat",    "cocoa",    "sugar",  "coffee", "tonnes",  "million", "said",
        "the",      "a",      "of",       "in",       "to",     "and",    "for",     "on",      "with",
        "new",      "year",   "week",     "growth",   "fell",   "rose",   "strike",  "workers", "union"};
    std::mt19937 rng(20261126);
    // Zipf-like: low indexes much more often.
    auto word = [&] {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        double x = u(rng);
        return words[static_cast<std::size_t>(x * x * static_cast<double>(words.size())) % words.size()];
    };
    auto sentence = [&](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) {
            s += word();
            s += i + 1 < n ? " " : ". ";
        }
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
        return s;
    };
    const auto path = dir / ("corpus-" + std::to_string(articles) + ".jsonl");
    std::ofstream out(path);
    for (int i = 0; i < articles; ++i) {
        const int id = i < articles - 25 ? i : (i - (articles - 25)) * 7;  // 25 repeats of earlier ids
        std::string body;
        const int sentences = 2 + static_cast<int>(rng() % 14);
        for (int k = 0; k < sentences; ++k) body += sentence(6 + static_cast<int>(rng() % 12));
        std::string title = sentence(3 + static_cast<int>(rng() % 4));
        title.pop_back();                                 // no trailing space
        if (i % 40 == 0) title = "Cocoa sugar " + title;  // for title: phrases
        out << nlohmann::json{{"_id", "doc-" + std::to_string(id)}, {"title", title}, {"text", body}}.dump() << "\n";
    }
    return path.string();
}

CommandResult index(const std::string& db, const std::string& corpus, const std::string& args) {
    return run_command(std::string(TRAWL_INDEX_BIN) + " --db " + shell_quote(db) + " --passage-words 40 --overlap 8 " +
                       args + " " + shell_quote(corpus));
}

// passage id -> score for every hit of `q` (ids are unique per passage).
std::map<std::string, double> hits(const std::string& db, const std::string& q, unsigned n = 5000) {
    auto r = run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(db) + " --format json -n " +
                         std::to_string(n) + " " + shell_quote(q));
    EXPECT_NE(r.exit_code, 2) << r.err;
    std::map<std::string, double> out;
    for (const auto& h : trawl::test::parse_jsonl(r.out)) {
        out[h.at("passage_id").get<std::string>()] = h.at("score").get<double>();
    }
    return out;
}

std::vector<double> top_scores(const std::string& db, const std::string& q) {
    std::vector<double> s;
    for (const auto& [id, score] : hits(db, q, 10)) s.push_back(score);
    std::sort(s.rbegin(), s.rend());
    return s;
}

void expect_same_hits(const std::map<std::string, double>& a, const std::map<std::string, double>& b,
                      const std::string& what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (const auto& [id, score] : a) {
        auto it = b.find(id);
        ASSERT_NE(it, b.end()) << what << ": " << id << " missing";
        EXPECT_NEAR(score, it->second, 1e-9) << what << ": " << id;
    }
}

const std::vector<std::string> kQueries = {
    "shipping",    "crude oil prices",      "\"oil prices\"",      "storm NEAR/3 coast",
    "title:cocoa", "title:\"cocoa sugar\"", "workers ADJ/2 union", "+bank -rates",
    "the"};

class ParallelIndexTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new trawl::test::TempDir();
        corpus_ = write_corpus(tmp_->path());
        one_ = index(db("one"), corpus_, "--threads 1");
        two_ = index(db("two"), corpus_, "--threads 2");
        sharded_ = index(db("sharded"), corpus_, "--threads 2 --shards 2");
        // A sharded index keeps a termlist (xapian-tcpsrv may serve it) and so
        // its stems as terms (format/stems.hpp), and every word's positions,
        // and so its stop words (format v6): its scores are those of a single
        // index built the same way.
        terms_ = index(db("terms"), corpus_, "--threads 1 --termlist --positions all");
        // Written in place, in one database (no segments), and into segments
        // of 16 passages (twice the flush threshold), 20-odd a shard.
        in_place_ = index(db("in-place"), corpus_, "--threads 1 --no-compact");
        ::setenv("XAPIAN_FLUSH_THRESHOLD", "8", 1);
        segmented_one_ = index(db("segmented-one"), corpus_, "--threads 1");
        segmented_two_ = index(db("segmented-two"), corpus_, "--threads 2");
        ::unsetenv("XAPIAN_FLUSH_THRESHOLD");
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    static std::string db(const std::string& name) { return (*tmp_ / (name + ".idx")).string(); }
    // "indexed N articles as M passages"
    static std::string counts(const CommandResult& r) {
        auto b = r.out.find("indexed ");
        auto e = r.out.find(" passages", b);
        return b == std::string::npos || e == std::string::npos ? r.out : r.out.substr(b, e - b);
    }

    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string corpus_;
    static inline CommandResult one_, two_, sharded_, terms_, in_place_, segmented_one_, segmented_two_;
};

// A new index's passages go into segments, merged when it is complete
// (index_pipeline.hpp): the same passages, hits and scores as one database
// written in place, the 25 repeated ids replaced across segments.
TEST_F(ParallelIndexTest, SegmentsMergeIntoTheIndexOneDatabaseMakes) {
    for (const auto* r : {&in_place_, &segmented_one_, &segmented_two_}) {
        ASSERT_EQ(r->exit_code, 0) << r->err;
        EXPECT_EQ(counts(*r), counts(one_));
        EXPECT_NE(r->out.find("25 duplicate id"), std::string::npos) << r->out;
    }
    EXPECT_NE(segmented_one_.out.find(" in 1 database, "), std::string::npos) << segmented_one_.out;
    EXPECT_EQ(Xapian::Database(db("segmented-one")).get_doccount(), Xapian::Database(db("in-place")).get_doccount());
    for (const auto& q : kQueries) {
        const auto base = hits(db("in-place"), q);
        ASSERT_FALSE(base.empty()) << q;
        expect_same_hits(base, hits(db("segmented-one"), q), "segments, one thread: " + q);
        expect_same_hits(base, hits(db("segmented-two"), q), "segments, two threads: " + q);
        expect_same_hits(base, hits(db("one"), q), "one thread: " + q);
    }
}

TEST_F(ParallelIndexTest, EveryLayoutIndexesTheSamePassages) {
    ASSERT_EQ(one_.exit_code, 0) << one_.err;
    ASSERT_EQ(two_.exit_code, 0) << two_.err;
    ASSERT_EQ(sharded_.exit_code, 0) << sharded_.err;
    EXPECT_EQ(counts(one_).rfind("indexed 400 articles as ", 0), 0u) << one_.out;
    EXPECT_EQ(counts(two_), counts(one_));
    EXPECT_EQ(counts(sharded_), counts(one_));
    EXPECT_NE(one_.out.find("25 duplicate id"), std::string::npos) << one_.out;
    EXPECT_NE(two_.out.find("25 duplicate id"), std::string::npos) << two_.out;
    EXPECT_NE(one_.out.find("dictionary trained on this corpus"), std::string::npos) << one_.out;
    EXPECT_NE(two_.out.find("dictionary trained on this corpus"), std::string::npos) << two_.out;
    EXPECT_NE(two_.out.find("merged from 2 shards"), std::string::npos) << two_.out;
    EXPECT_NE(sharded_.out.find("in 2 shards"), std::string::npos) << sharded_.out;

    // The set of passage ids: "said" is in nearly every passage, so take every word's hits.
    std::set<std::string> ids_one, ids_two, ids_sharded;
    for (const auto& w : {"the", "said", "a", "of", "ship", "oil", "storm"}) {
        for (const auto& [id, s] : hits(db("one"), w)) ids_one.insert(id);
        for (const auto& [id, s] : hits(db("two"), w)) ids_two.insert(id);
        for (const auto& [id, s] : hits(db("sharded"), w)) ids_sharded.insert(id);
    }
    EXPECT_GT(ids_one.size(), 400u);
    EXPECT_EQ(ids_two, ids_one);
    EXPECT_EQ(ids_sharded, ids_one);
}

TEST_F(ParallelIndexTest, EveryLayoutRanksTheSameHitsWithTheSameScores) {
    for (const auto& q : kQueries) {
        const auto base = hits(db("one"), q);
        ASSERT_FALSE(base.empty()) << q;
        expect_same_hits(base, hits(db("two"), q), "--threads 2: " + q);
        const auto terms = hits(db("terms"), q);
        expect_same_hits(terms, hits(db("sharded"), q), "--shards 2: " + q);
        // Stems as synonyms or as terms: the same passages (a stem of
        // several words is weighed by its exact frequency either way,
        // query/exact_stems.hpp, but a terms index's lengths count the
        // Z-terms too).
        ASSERT_EQ(terms.size(), base.size()) << q;
        for (const auto& [id, score] : base) EXPECT_TRUE(terms.contains(id)) << "--termlist: " << q << ": " << id;
        const auto top = top_scores(db("terms"), q);
        const auto top2 = top_scores(db("sharded"), q);
        ASSERT_EQ(top.size(), top2.size()) << q;
        for (std::size_t i = 0; i < top.size(); ++i) EXPECT_NEAR(top[i], top2[i], 1e-9) << q << " rank " << i + 1;
    }
    // Wildcards: Xapian 1.4 expands them and weights the expansion (a
    // synonym) shard by shard, so a sharded index finds the same passages
    // with other scores; one merged database scores them exactly.
    const auto base = hits(db("one"), "export*");
    ASSERT_FALSE(base.empty());
    expect_same_hits(base, hits(db("two"), "export*"), "--threads 2: export*");
    std::set<std::string> ids, sharded_ids;
    for (const auto& [id, s] : base) ids.insert(id);
    for (const auto& [id, s] : hits(db("sharded"), "export*")) sharded_ids.insert(id);
    EXPECT_EQ(sharded_ids, ids);
}

// Two indexes built apart (each its own dictionary and positional words)
// searched as one with --db twice: a phrase with a word neither keeps
// positions for is checked against the passage text, decompressed with its
// own index's dictionary. Xapian 1.4 gives a match decider the shard's own
// docid, so the check must not take the shard from it (it did: "index
// damaged", or hits silently missing). Two Reuters files, whose phrases
// "oil prices" and "interest rates" have no positional word.
TEST(ParallelIndex, IndexesBuiltApartAnswerCheckedPhrasesTogether) {
    const fs::path data = fs::path(TRAWL_SHARED_DATA_DIR) / "reuters21578";
    if (!fs::exists(data / "reut2-000.sgm")) GTEST_SKIP() << "shared data not found: " << data;
    trawl::test::TempDir tmp;
    std::vector<std::string> dbs;
    for (const std::string file : {"reut2-000.sgm", "reut2-001.sgm"}) {
        const auto dir = tmp / ("in-" + file);
        fs::create_directories(dir);
        fs::copy_file(data / file, dir / file);
        dbs.push_back((tmp / (file + ".idx")).string());
        const auto r = run_command(std::string(TRAWL_INDEX_BIN) + " --quiet --db " + shell_quote(dbs.back()) + " " +
                                   shell_quote(dir.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    ASSERT_NE(Xapian::Database(dbs[0]).get_metadata("trawl.zstd.dict"),
              Xapian::Database(dbs[1]).get_metadata("trawl.zstd.dict"));
    for (const std::string q : {"\"oil prices\"", "\"interest rates\"", "opec NEAR/3 quota"}) {
        const auto a = hits(dbs[0], q);
        const auto b = hits(dbs[1], q);
        ASSERT_FALSE(a.empty() || b.empty()) << q;
        const auto r = run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(dbs[0]) + " --db " +
                                   shell_quote(dbs[1]) + " --format json -n 5000 " + shell_quote(q));
        ASSERT_EQ(r.exit_code, 0) << q << ": " << r.err;
        std::map<std::string, double> both;
        for (const auto& h : trawl::test::parse_jsonl(r.out)) both[h.at("passage_id").get<std::string>()] = 0;
        EXPECT_EQ(both.size(), a.size() + b.size()) << q;
        for (const auto& [id, s] : a) EXPECT_TRUE(both.contains(id)) << q << ": " << id;
        for (const auto& [id, s] : b) EXPECT_TRUE(both.contains(id)) << q << ": " << id;
    }
}

TEST_F(ParallelIndexTest, ShardedIndexIsAStubOverShardsSplitByArticle) {
    const fs::path dir = db("sharded");
    ASSERT_TRUE(fs::is_regular_file(dir / "XAPIANDB"));
    std::ifstream stub(dir / "XAPIANDB");
    std::string text((std::istreambuf_iterator<char>(stub)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "auto shard-0\nauto shard-1\n");
    // Each shard is a Trawl index of its own, holding whole articles.
    std::set<std::string> articles0, articles1;
    for (const auto& [id, s] : hits((dir / "shard-0").string(), "the")) articles0.insert(id.substr(0, id.find('#')));
    for (const auto& [id, s] : hits((dir / "shard-1").string(), "the")) articles1.insert(id.substr(0, id.find('#')));
    EXPECT_GT(articles0.size(), 100u);
    EXPECT_GT(articles1.size(), 100u);
    for (const auto& a : articles0) EXPECT_EQ(articles1.count(a), 0u) << a << " is in both shards";
    // Snippets come from each shard's own stored text and dictionary.
    auto r =
        run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(dir.string()) + " --format json -n 50 cocoa");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& h : trawl::test::parse_jsonl(r.out)) {
        const std::string line = h.dump();
        auto hit_text = h.at("text").get<std::string>() + " " + h.at("title").get<std::string>();
        std::transform(hit_text.begin(), hit_text.end(), hit_text.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        EXPECT_NE(hit_text.find("cocoa"), std::string::npos) << line;
    }
}

// Every database of a new index, whatever its layout (one thread, the
// merge of a build on threads, each shard of a sharded index), ends
// compacted into format::kBlockSize blocks (4 KiB, not Xapian's default of
// 8 KiB, which it is written with). Xapian tells a table's block size
// through xapian-check (xapian-tools, which scripts/install-deps.sh
// installs).
TEST_F(ParallelIndexTest, EveryDatabaseHasFourKiBBlocks) {
    if (run_command("command -v xapian-check").exit_code != 0) GTEST_SKIP() << "xapian-check not installed";
    std::vector<fs::path> databases;
    for (const auto* name : {"one", "two", "sharded", "terms"})
        for (const auto& e : fs::recursive_directory_iterator(db(name)))
            if (e.path().filename() == "iamglass") databases.push_back(e.path().parent_path());
    ASSERT_EQ(databases.size(), 5u);  // one, two, the two shards, terms
    for (const auto& d : databases) {
        const auto r = run_command("xapian-check " + shell_quote(d.string()));
        ASSERT_EQ(r.exit_code, 0) << d << ": " << r.err;
        EXPECT_NE(r.out.find("postlist:\nblocksize=4K "), std::string::npos) << d << ": " << r.out;
        EXPECT_NE(r.out.find("position:\nblocksize=4K "), std::string::npos) << d << ": " << r.out;
        EXPECT_EQ(r.out.find("blocksize=8K"), std::string::npos) << d << ": " << r.out;
    }
}

// Re-running the command changes nothing, although 25 ids come twice: the
// earlier record of each is skipped in every run (it used to be indexed
// again and replace the later one, which was then indexed again: two dead
// versions a re-run, moving every score).
TEST_F(ParallelIndexTest, ReindexingWithThreadsChangesNothing) {
    trawl::test::TempDir tmp;
    for (const std::string args : {"--threads 2", "--threads 2 --shards 3"}) {
        const auto path = (tmp / (args.size() > 12 ? "s.idx" : "m.idx")).string();
        auto first = index(path, corpus_, args);
        ASSERT_EQ(first.exit_code, 0) << first.err;
        const auto passages = Xapian::Database(path).get_doccount();
        std::vector<std::map<std::string, double>> before;
        for (const char* q : {"the", "crude oil prices"}) before.push_back(hits(path, q));
        auto second = index(path, corpus_, args);
        ASSERT_EQ(second.exit_code, 0) << second.err;
        EXPECT_EQ(counts(second).rfind("indexed 0 articles as ", 0), 0u) << args << "\n" << second.out;
        EXPECT_NE(second.out.find("; 400 unchanged since an earlier run indexed them (skipped)"), std::string::npos)
            << args << "\n"
            << second.out;
        EXPECT_NE(second.out.find("25 duplicate id"), std::string::npos) << args << "\n" << second.out;
        EXPECT_EQ(Xapian::Database(path).get_doccount(), passages) << args << ": no passage added, none dead";
        // The same hits with the same scores as after the first run.
        std::size_t i = 0;
        for (const char* q : {"the", "crude oil prices"}) expect_same_hits(before[i++], hits(path, q), args + " " + q);
    }
}

TEST_F(ParallelIndexTest, ShardCountMustMatchTheIndex) {
    auto r = index(db("sharded"), corpus_, "--shards 3");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("has 2 shards, not --shards 3"), std::string::npos) << r.err;
    r = index(db("one"), corpus_, "--shards 2");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is an index of one database"), std::string::npos) << r.err;
}

TEST_F(ParallelIndexTest, AKilledParallelBuildLeavesNothingOrAWholeIndex) {
    trawl::test::TempDir tmp;
    const auto corpus = write_corpus(tmp.path(), 6000);
    const auto full = (tmp / "full.idx").string();
    ASSERT_EQ(index(full, corpus, "--threads 2").exit_code, 0);
    const auto all = hits(full, "the", 1000000).size();
    ASSERT_GT(all, 1000u);
    // Kill builds at several moments: whatever is at the path must open and
    // hold nothing or everything (a new index is swapped in whole).
    for (const char* delay : {"0.3", "1", "2", "4"}) {
        const auto path = (tmp / (std::string("killed-") + delay + ".idx")).string();
        run_command("sh -c " +
                    shell_quote(std::string(TRAWL_INDEX_BIN) + " --threads 2 --passage-words 40 --overlap 8 --db " +
                                shell_quote(path) + " " + shell_quote(corpus) + " >/dev/null 2>&1 & sleep " + delay +
                                "; kill -9 $! 2>/dev/null; wait"));
        if (!fs::exists(path)) continue;
        auto r =
            run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(path) + " --format trec -n 1000000 the");
        ASSERT_NE(r.exit_code, 2) << delay << ": " << r.err;
        const auto n = lines_of(r.out).size();
        EXPECT_TRUE(n == 0 || n == all) << "killed after " << delay << " s: " << n << " of " << all;
        // Running it again completes it and clears what the killed run left.
        ASSERT_EQ(index(path, corpus, "--threads 2").exit_code, 0);
        EXPECT_EQ(hits(path, "the", 1000000).size(), all) << delay;
        for (const auto& e : fs::directory_iterator(tmp.path()))
            EXPECT_EQ(e.path().filename().string().find(".killed-" + std::string(delay) + ".idx.trawl-"),
                      std::string::npos)
                << e.path();
    }
}

TEST_F(ParallelIndexTest, NothingIsLeftNextToTheIndex) {
    for (const auto& e : fs::directory_iterator(tmp_->path()))
        EXPECT_EQ(e.path().filename().string().find(".trawl-"), std::string::npos) << e.path();
}

}  // namespace
