// Crash safety, for real: trawl-index is SIGKILLed at several points while it
// indexes a generated corpus; each time the index must hold exactly a committed
// state (whole batches of whole articles), and re-running the same command
// must give the index an uninterrupted run gives. Kill points are chosen by
// watching the index's committed passage count, and the assertions hold
// wherever the kill actually lands.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/format/schema.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/index_contents.hpp"
#include "tests/testutil/run_command.hpp"

extern char** environ;

namespace fs = std::filesystem;
using trawl::test::lines_of;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

constexpr int kArticles = 2500;
constexpr int kBatch = 50;

// Deterministic synthetic news: Zipf-like words over a 3,000-word vocabulary,
// sentences of 6-24 words, 150-600 words per article (~5 MB of stored text in
// all, more than the 4 MB dictionary sample, so that batches are committed
// both in the flush after training and while reading).
std::string word(std::uint32_t rank) {
    std::string w = "w";
    do {
        w += static_cast<char>('a' + rank % 26);
        rank /= 26;
    } while (rank);
    return w;
}

void write_corpus(const fs::path& path) {
    std::mt19937 rng(20261126);
    auto below = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
    std::ofstream out(path);
    for (int a = 0; a < kArticles; ++a) {
        char id[16];
        std::snprintf(id, sizeof id, "a%04d", a);
        std::string text;
        const std::uint32_t words = 150 + below(450);
        for (std::uint32_t i = 0; i < words;) {
            const std::uint32_t len = 6 + below(19);
            for (std::uint32_t k = 0; k < len && i < words; ++k, ++i) {
                // rank ~ 3000^u: a few common words, a long tail
                const double u = static_cast<double>(rng()) / 4294967296.0;
                std::string w = word(static_cast<std::uint32_t>(std::pow(3000.0, u)) - 1);
                if (k == 0) w[0] = 'W';
                text += w;
                text += k + 1 == len || i + 1 == words ? ". " : " ";
            }
        }
        out << "{\"_id\": \"" << id << "\", \"title\": \"Title " << word(below(3000)) << "\", \"text\": \"" << text
            << "\"}\n";
    }
}

// What an index holds, as far as crash safety is concerned.
struct State {
    bool exists = false;
    std::size_t passages = 0;
    std::map<std::string, std::size_t> per_article;  // id -> passages
    std::set<std::string> passage_ids;
    std::string format_stamp;
    std::string dictionary;
    std::set<std::string> words_without_stem;  // committed words their stem does not reach
};

State read_state(const std::string& db) {
    State s;
    if (!fs::exists(fs::path(db) / "iamglass")) return s;  // killed before Xapian created it
    s.exists = true;
    Xapian::Database d(db);
    // Live passages (format v3 keeps replaced ones in its tables, recorded as dead).
    auto contents = trawl::test::index_contents(db);
    s.passages = contents.passage_ids.size();
    for (const auto& [id, n] : contents.per_article) s.per_article[id] = n;
    s.passage_ids = std::move(contents.passage_ids);
    s.format_stamp = d.get_metadata(std::string(trawl::format::kMetaFormatVersion));
    s.dictionary = d.get_metadata(std::string(trawl::format::kMetaDictionary));
    s.words_without_stem = trawl::test::words_without_stem(db);
    return s;
}

// Committed passages, or -1 while the index cannot be opened.
long long committed(const std::string& db) {
    try {
        return Xapian::Database(db).get_doccount();
    } catch (const Xapian::Error&) {
        return -1;
    }
}

const std::vector<std::string> kQueries = {"wb wc", "wfa wd", "\"wb wc\"", "wab NEAR/5 wd", "wq wzb we"};

// Top 10 (passage id, score) of each query.
std::vector<std::vector<std::pair<std::string, double>>> top10(const std::string& db) {
    std::vector<std::vector<std::pair<std::string, double>>> all;
    for (const auto& q : kQueries) {
        auto r = run_command(std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(db) + " --format json -n 10 " +
                             shell_quote(q));
        EXPECT_EQ(r.exit_code, 0) << q << ": " << r.err;
        std::vector<std::pair<std::string, double>> hits;
        for (const auto& j : trawl::test::parse_jsonl(r.out)) {
            hits.emplace_back(j.at("passage_id").get<std::string>(), j.at("score").get<double>());
        }
        all.push_back(std::move(hits));
    }
    return all;
}

// Starts trawl-index in the background; its output goes to `log`.
pid_t spawn_index(const std::vector<std::string>& args, const std::string& log) {
    std::vector<char*> argv;
    std::vector<std::string> own = args;
    for (auto& a : own) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

class KillTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new TempDir();
        corpus_ = (*tmp_ / "corpus.jsonl").string();
        write_corpus(corpus_);
        const std::string ref = (*tmp_ / "ref.idx").string();
        ref_run_ = run_command(std::string(TRAWL_INDEX_BIN) + " " + args_string(ref));
        ref_ = read_state(ref);
        ref_top_ = top10(ref);
    }
    static void TearDownTestSuite() {
        delete tmp_;
        tmp_ = nullptr;
    }
    // One writer thread and --no-compact: batches are committed to the index
    // in place, as into an index that has documents, so a kill leaves them
    // visible. (Otherwise a new index is built apart and appears only when
    // complete; tests/e2e/parallel_test.cpp kills that path.)
    static std::vector<std::string> args(const std::string& db) {
        return {TRAWL_INDEX_BIN,        "--db",     db,      "--threads", "1", "--no-compact", "--batch",
                std::to_string(kBatch), "--format", "jsonl", corpus_};
    }
    static std::string args_string(const std::string& db) {
        std::string s;
        for (std::size_t i = 1; i < args(db).size(); ++i) s += shell_quote(args(db)[i]) + " ";
        return s;
    }

    // The killed index holds a committed state: absent, empty, or the first m
    // articles in corpus order (m a whole number of batches), each with all its
    // passages, stamped and with its dictionary.
    static void expect_committed_state(const State& s) {
        if (!s.exists || s.passages == 0) return;
        EXPECT_EQ(s.format_stamp, std::to_string(trawl::format::kFormatVersion));
        EXPECT_FALSE(s.dictionary.empty());
        // The synonym table is written in each batch's transaction.
        EXPECT_TRUE(s.words_without_stem.empty())
            << s.words_without_stem.size() << " words, e.g. " << *s.words_without_stem.begin();
        std::size_t sum = 0;
        for (const auto& [id, n] : s.per_article) {
            ASSERT_TRUE(ref_.per_article.contains(id)) << id;
            EXPECT_EQ(n, ref_.per_article.at(id)) << "article " << id << " is half-indexed";
            sum += n;
        }
        EXPECT_EQ(sum, s.passages) << "every passage belongs to an article";
        const std::size_t m = s.per_article.size();
        EXPECT_TRUE(m % kBatch == 0 || m == ref_.per_article.size()) << m << " articles is not a whole batch";
        // The first m articles of the corpus (ids are in corpus order).
        std::size_t i = 0;
        for (const auto& [id, n] : ref_.per_article) {
            if (i++ == m) break;
            EXPECT_TRUE(s.per_article.contains(id)) << "article " << id << " missing before a later one";
        }
    }

    // Indexes into `db`, SIGKILLs trawl-index once `ready(committed passages)`
    // holds, checks what the kill left, re-runs and checks the result.
    void kill_and_resume(const std::string& name, const std::function<bool(long long)>& ready) {
        const std::string db = (*tmp_ / (name + ".idx")).string();
        const pid_t pid = spawn_index(args(db), (*tmp_ / (name + ".log")).string());
        ASSERT_GT(pid, 0);
        int status = 0;
        bool finished = false;
        for (;;) {
            if (waitpid(pid, &status, WNOHANG) == pid) {
                finished = true;  // it won the race: nothing was killed, still a valid state
                break;
            }
            if (ready(committed(db))) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                break;
            }
            usleep(5000);
        }
        const State killed = read_state(db);
        std::cout << "[ " << name << " ] " << (finished ? "finished before the kill" : "killed") << " with "
                  << killed.per_article.size() << " of " << ref_.per_article.size() << " articles committed\n";
        expect_committed_state(killed);

        auto r = run_command(std::string(TRAWL_INDEX_BIN) + " " + args_string(db));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        if (killed.passages == 0) {
            EXPECT_NE(r.out.find("trained on this corpus"), std::string::npos) << "the re-run trains a dictionary\n"
                                                                               << r.out;
        }
        const State resumed = read_state(db);
        EXPECT_EQ(resumed.passages, ref_.passages);
        EXPECT_EQ(resumed.per_article, ref_.per_article);
        EXPECT_EQ(resumed.passage_ids, ref_.passage_ids);
        EXPECT_FALSE(resumed.dictionary.empty());
        const auto top = top10(db);
        ASSERT_EQ(top.size(), ref_top_.size());
        for (std::size_t q = 0; q < top.size(); ++q) {
            ASSERT_EQ(top[q].size(), ref_top_[q].size()) << kQueries[q];
            for (std::size_t k = 0; k < top[q].size(); ++k) {
                EXPECT_EQ(top[q][k].first, ref_top_[q][k].first) << kQueries[q] << " rank " << k + 1;
                EXPECT_DOUBLE_EQ(top[q][k].second, ref_top_[q][k].second) << kQueries[q] << " rank " << k + 1;
            }
        }
    }

    static inline TempDir* tmp_ = nullptr;
    static inline std::string corpus_;
    static inline trawl::test::CommandResult ref_run_;
    static inline State ref_;
    static inline std::vector<std::vector<std::pair<std::string, double>>> ref_top_;
};

}  // namespace

TEST_F(KillTest, KilledAtAnyPointResumesToTheUninterruptedIndex) {
    ASSERT_EQ(ref_run_.exit_code, 0) << ref_run_.err;
    EXPECT_NE(ref_run_.out.find("indexed " + std::to_string(kArticles) + " articles"), std::string::npos)
        << ref_run_.out;
    ASSERT_EQ(ref_.per_article.size(), static_cast<std::size_t>(kArticles));
    EXPECT_GT(ref_.passages, 2u * kArticles);
    for (const auto& hits : ref_top_) EXPECT_EQ(hits.size(), 10u);

    // As soon as the index directory exists: the first commit comes only after
    // the 4 MB dictionary sample has been read and trained on.
    kill_and_resume("early", [](long long n) { return n >= 0; });
    // Right after the first commit (the training flush commits batch after batch).
    kill_and_resume("first", [](long long n) { return n > 0; });
    // Past the training flush, while batches are committed as they are read.
    kill_and_resume("late", [](long long n) { return n >= static_cast<long long>(ref_.passages * 4 / 5); });
}

// Xapian flushes its buffer into the B-trees inside an open batch once it
// holds its flush threshold of documents (10,000 by default: a batch of long
// articles, Wikipedia's, holds ~54,000 passages). A kill after such a flush
// must still leave only the committed batches. A threshold of 16 passages
// makes every batch here flush several times before its commit.
TEST_F(KillTest, KilledAfterFlushesInsideABatchResumesToTheUninterruptedIndex) {
    ASSERT_EQ(ref_run_.exit_code, 0) << ref_run_.err;
    ASSERT_EQ(::setenv("XAPIAN_FLUSH_THRESHOLD", "16", 1), 0);  // inherited by the spawned runs
    kill_and_resume("flushing", [](long long n) { return n > 0; });
    kill_and_resume("flushing-late", [](long long n) { return n >= static_cast<long long>(ref_.passages * 3 / 5); });
    ::unsetenv("XAPIAN_FLUSH_THRESHOLD");
}
