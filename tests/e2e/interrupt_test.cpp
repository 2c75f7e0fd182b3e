// Ctrl-C (SIGINT) and SIGTERM during trawl-index (indexer/interrupt.hpp): the
// run stops between articles, keeps the batches it committed, removes its
// temporaries beside the index, says how far it got in one line and exits
// with 128 + the signal; a re-run completes the index an uninterrupted run
// makes. And --stream's idle commit (--commit-idle): a slow feed's articles
// are searchable while the feed stays open. The input is a FIFO the test
// writes to and keeps open, so every signal lands mid-run.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::names_starting;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

const std::vector<std::string> kSentences = {
    "The council approved a new budget for the lifeboat station and the lighthouse.",
    "The harbour ferries run every hour from the old pier until the autumn storms begin.",
    "Fishermen landed a record catch of mackerel at the market on Tuesday morning.",
    "The regatta drew two hundred sailing boats despite the strong westerly wind.",
    "Tours of the lighthouse resume in spring after the repairs to its lantern room.",
    "Volunteers cleared the beach of plastic after the winter gales had passed.",
    "Oyster beds in the creek recovered after the water quality improved.",
};

// A word of article i's own (letters only: digits fold away).
std::string own_word(int i) {
    return std::string("zq") + static_cast<char>('a' + i % 26) + static_cast<char>('a' + i / 26 % 26) + "word";
}

// One JSON line: article "n<i>", `sentences` sentences and its own word.
std::string article(int i, int sentences = 5) {
    std::string text;
    for (int k = 0; k < sentences; ++k) text += kSentences[(i + k) % kSentences.size()] + " ";
    text += "It mentions " + own_word(i) + ".";
    return nlohmann::json{{"id", "n" + std::to_string(i)}, {"text", text}}.dump() + "\n";
}

std::string articles(int from, int to, int sentences = 5) {
    std::string out;
    for (int i = from; i < to; ++i) out += article(i, sentences);
    return out;
}

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string read_file(const fs::path& path) {
    std::stringstream s;
    s << std::ifstream(path).rdbuf();
    return s.str();
}

// trawl-index with `args`, its standard input a FIFO this object writes to;
// stdout and stderr go to files in `dir`.
class FedIndex {
public:
    FedIndex(const fs::path& dir, const std::string& db, const std::vector<std::string>& args) : dir_(dir) {
        ::signal(SIGPIPE, SIG_IGN);  // a write after the process ended fails instead
        const std::string fifo = (dir / "feed").string();
        ::unlink(fifo.c_str());
        if (::mkfifo(fifo.c_str(), 0600) != 0) return;
        std::vector<std::string> all = {TRAWL_INDEX_BIN, "--db", db};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        const std::string out = (dir / "out").string(), err = (dir / "err").string();
        pid_ = ::fork();
        if (pid_ == 0) {
            // As a shell starts a command: SIGINT and SIGTERM at their
            // default, unblocked (a test runner may start tests otherwise).
            ::signal(SIGINT, SIG_DFL);
            ::signal(SIGTERM, SIG_DFL);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            const int in = ::open(fifo.c_str(), O_RDONLY);
            const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (in < 0 || o < 0 || e < 0) ::_exit(127);
            ::dup2(in, 0);
            ::dup2(o, 1);
            ::dup2(e, 2);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        feed_ = ::open(fifo.c_str(), O_WRONLY);
    }
    ~FedIndex() {
        close_feed();
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    bool started() const { return pid_ > 0 && feed_ >= 0; }
    void write(const std::string& text) {
        for (std::size_t at = 0; at < text.size();) {
            const auto n = ::write(feed_, text.data() + at, text.size() - at);
            if (n <= 0) return;
            at += static_cast<std::size_t>(n);
        }
    }
    void close_feed() {
        if (feed_ >= 0) ::close(feed_);
        feed_ = -1;
    }
    void signal(int s) { ::kill(pid_, s); }
    // The exit status; 1000 + the signal when a signal ended the process;
    // -1 when it did not end within `seconds` (then it is killed).
    int wait(double seconds = 120) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        for (;;) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
            }
            if (std::chrono::steady_clock::now() >= deadline) return -1;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    std::string err() const { return read_file(dir_ / "err"); }
    std::string out() const { return read_file(dir_ / "out"); }

private:
    fs::path dir_;
    pid_t pid_ = -1;
    int feed_ = -1;
    bool exited_ = false;
};

// Polls `ready` every 100 ms for up to `seconds`; true once it holds.
template <class F>
bool eventually(F ready, double seconds = 60) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return ready();
}

// Committed passages, -1 while the index cannot be opened.
long long committed(const std::string& db) {
    try {
        return Xapian::Database(db).get_doccount();
    } catch (const Xapian::Error&) {
        return -1;
    }
}

// Hits of `word` (trawl-query --format json; exit status 1: none), -1 when
// the query failed.
long long hits(const std::string& db, const std::string& word) {
    const auto r = run_command(query_cmd(db, "--format json -n 100 " + word));
    if (r.exit_code != 0 && r.exit_code != 1) return -1;
    return static_cast<long long>(trawl::test::parse_jsonl(r.out).size());
}

// What trawl-query --format trec gives for a few queries.
std::string trec(const std::string& db) {
    std::string all;
    for (const std::string& q :
         std::vector<std::string>{"harbour", "lighthouse lifeboat", "mackerel market", own_word(3), own_word(77)}) {
        const auto r = run_command(query_cmd(db, "--format trec -n 200 " + shell_quote(q)));
        EXPECT_EQ(r.exit_code, 0) << q << ": " << r.err;
        all += "# " + q + "\n" + r.out;
    }
    return all;
}

std::string ids_of(const fs::path& dir, const std::string& prefix) {
    std::string s;
    for (const auto& n : names_starting(dir, prefix)) s += n + " ";
    return s;
}

}  // namespace

// A new index is built as temporary shards beside it, their passages in
// segments (merged and swapped in at the end): Ctrl-C mid-run removes them,
// leaves an index that opens (empty: nothing of it was complete), says so in
// one line and exits 130; the re-run makes the index an uninterrupted run
// makes. (It used to die at once and leave ".s.idx.trawl-build-*" until the
// next run.) Xapian flushing after every passage, and so segments of two
// passages, keep the run going long enough to be interrupted.
TEST(Interrupt, CtrlCRemovesTheParallelBuildsShardsAndExits130) {
    for (const char* threads : {"2", "1"}) {
        TempDir tmp;
        const std::string db = (tmp / "s.idx").string();
        // Past the 4 MB a new index trains its dictionary on: articles are
        // written as they come, not all at the end.
        write_file(tmp / "corpus.jsonl", articles(0, 2000, 30));
        const std::string file = (tmp / "corpus.jsonl").string();
        {
            ::setenv("XAPIAN_FLUSH_THRESHOLD", "1", 1);
            FedIndex run(tmp.path(), db, {"--threads", threads, "--batch", "10", file});
            ::unsetenv("XAPIAN_FLUSH_THRESHOLD");
            ASSERT_TRUE(run.started());
            ASSERT_TRUE(eventually([&] {
                for (const auto& n : names_starting(tmp.path(), ".s.idx.trawl-build-"))
                    if (fs::exists(tmp / n / "shard-0.seg1")) return true;  // passages written
                return false;
            })) << run.err();
            run.signal(SIGINT);
            EXPECT_EQ(run.wait(), 130) << threads << ": " << run.err();
            EXPECT_EQ(run.err(), "trawl-index: interrupted; 0 articles committed to " + db + ", re-run to continue\n")
                << threads;
        }
        EXPECT_EQ(ids_of(tmp.path(), ".s.idx.trawl-"), "") << threads;
        EXPECT_EQ(committed(db), 0) << threads;
        // The re-run completes; the result is the uninterrupted run's.
        const auto again =
            run_command(index_cmd(db, "--quiet --threads " + std::string(threads) + " " + shell_quote(file)));
        ASSERT_EQ(again.exit_code, 0) << again.err;
        const std::string fresh = (tmp / "fresh.idx").string();
        ASSERT_EQ(run_command(index_cmd(fresh, "--quiet --threads " + std::string(threads) + " " + shell_quote(file)))
                      .exit_code,
                  0);
        EXPECT_EQ(hits(db, own_word(77)), 3) << threads << ": articles 77, 753 and 1429";
        EXPECT_EQ(trec(db), trec(fresh)) << threads;
        EXPECT_EQ(ids_of(tmp.path(), ".s.idx.trawl-"), "") << threads;
    }
}

// --stream into a new index writes it in place, whatever --threads: the
// feed's batches are searchable as they are committed, not when the feed
// ends (with --threads 2 the feed used to go into temporary shards, merged
// in only when the feed ended).
TEST(Interrupt, StreamIntoANewIndexIsSearchableAsItComes) {
    TempDir tmp;
    const std::string db = (tmp / "s.idx").string();
    FedIndex run(tmp.path(), db, {"--stream", "--format", "jsonl", "--threads", "2", "--commit-idle", "0.3", "-"});
    ASSERT_TRUE(run.started());
    // Past the 4 MB a new index holds its articles for, to train its dictionary on.
    run.write(articles(0, 2000, 30));
    EXPECT_TRUE(eventually([&] { return hits(db, own_word(675)) > 0; })) << run.err();
    EXPECT_TRUE(names_starting(tmp.path(), ".s.idx.trawl-build-").empty());
    run.close_feed();
    EXPECT_EQ(run.wait(), 0) << run.err();
    EXPECT_NE(run.out().find("indexed 2000 articles"), std::string::npos) << run.out();
}

// SIGTERM while the articles go into an index in place: the committed
// batches stay (and only they: the open one is cancelled), the line counts
// them, exit 143; the re-run completes the index.
TEST(Interrupt, SigtermKeepsTheCommittedBatchesAndSaysHowMany) {
    TempDir tmp;
    const std::string db = (tmp / "s.idx").string();
    // An index with documents (and so its dictionary): written in place.
    write_file(tmp / "first.jsonl", article(1000));
    ASSERT_EQ(run_command(index_cmd(db, "--quiet " + shell_quote((tmp / "first.jsonl").string()))).exit_code, 0);
    const std::string fresh = (tmp / "fresh.idx").string();
    ASSERT_EQ(run_command(index_cmd(fresh, "--quiet " + shell_quote((tmp / "first.jsonl").string()))).exit_code, 0);
    write_file(tmp / "corpus.jsonl", articles(0, 120));
    {
        FedIndex run(tmp.path(), db,
                     {"--stream", "--format", "jsonl", "--threads", "1", "--batch", "10", "--commit-idle", "0", "-"});
        ASSERT_TRUE(run.started());
        run.write(articles(0, 35));
        // Three batches of ten committed (one passage each), five in the open batch.
        ASSERT_TRUE(eventually([&] { return committed(db) >= 31; })) << run.err();
        run.signal(SIGTERM);
        EXPECT_EQ(run.wait(), 143) << run.err();
        EXPECT_EQ(run.err(), "trawl-index: interrupted; 30 articles committed to " + db + ", re-run to continue\n");
    }
    EXPECT_EQ(committed(db), 31);
    EXPECT_EQ(hits(db, own_word(29)), 1);
    EXPECT_EQ(hits(db, own_word(30)), 0);
    EXPECT_EQ(ids_of(tmp.path(), ".s.idx.trawl-"), "");
    // The same command again, fed the whole corpus (it skips the 30
    // unchanged articles), and an uninterrupted run of it.
    // (Grouped: run_command's own stdin redirection applies to the group.)
    const std::string feed = " < " + shell_quote((tmp / "corpus.jsonl").string());
    const auto again =
        run_command("{ " + index_cmd(db, "--quiet --stream --format jsonl --threads 1 -") + feed + "; }");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    ASSERT_EQ(
        run_command("{ " + index_cmd(fresh, "--quiet --stream --format jsonl --threads 1 -") + feed + "; }").exit_code,
        0);
    EXPECT_EQ(trec(db), trec(fresh));
}

#ifdef TRAWL_FAULT_INJECTION
// SIGTERM during the final merge of a new parallel build (here: right after
// the merged index was swapped in, "term@after-swap"): the merge finishes,
// and the index is complete. The run said "interrupted; 120 articles
// committed to DB, re-run to continue", exit 143, no summary.
TEST(Interrupt, ASignalAsTheRunEndsSaysTheIndexIsComplete) {
    TempDir tmp;
    const std::string db = (tmp / "s.idx").string();
    write_file(tmp / "corpus.jsonl", articles(0, 120));
    const std::string file = shell_quote((tmp / "corpus.jsonl").string());
    const auto r = run_command("TRAWL_FAULT_AT=term@after-swap " + index_cmd(db, "--threads 2 --batch 10 " + file));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "trawl-index: SIGTERM came as the run was ending; it completed: 120 articles indexed into " + db +
                         ", nothing to re-run\n");
    EXPECT_EQ(r.out.rfind("indexed 120 articles as 120 passages", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("index " + db + ": 120 passages in 1 database, merged from 2 shards"), std::string::npos)
        << r.out;
    EXPECT_EQ(ids_of(tmp.path(), ".s.idx.trawl-"), "");
    const std::string fresh = (tmp / "fresh.idx").string();
    ASSERT_EQ(run_command(index_cmd(fresh, "--quiet --threads 2 --batch 10 " + file)).exit_code, 0);
    EXPECT_EQ(trec(db), trec(fresh));
    // A re-run indeed has nothing to do.
    const auto again = run_command(index_cmd(db, "--threads 2 " + file));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out.rfind("indexed 0 articles", 0), 0u) << again.out;
}
#endif

// Standard input is copied beside the index before the run (its two passes):
// Ctrl-C while the producer is still writing removes the copy at once.
TEST(Interrupt, CtrlCWhileCopyingStandardInputRemovesTheCopy) {
    TempDir tmp;
    const std::string db = (tmp / "s.idx").string();
    FedIndex run(tmp.path(), db, {"--format", "jsonl", "-"});
    ASSERT_TRUE(run.started());
    run.write(articles(0, 40));
    ASSERT_TRUE(eventually([&] { return !names_starting(tmp.path(), ".s.idx.trawl-stdin-").empty(); })) << run.err();
    run.signal(SIGINT);
    EXPECT_EQ(run.wait(), 130) << run.err();
    EXPECT_EQ(run.err(), "trawl-index: interrupted; 0 articles committed to " + db + ", re-run to continue\n");
    EXPECT_EQ(ids_of(tmp.path(), ".s.idx.trawl-"), "");
}

// --stream commits the open batch once the feed has been silent for
// --commit-idle seconds: three articles, far fewer than --batch, become
// searchable while the feed stays open. (They used to wait for the batch to
// fill or the feed to end.)
TEST(Interrupt, StreamCommitsTheOpenBatchWhenTheFeedPauses) {
    TempDir tmp;
    const std::string db = (tmp / "s.idx").string();
    write_file(tmp / "first.jsonl", article(1000));
    ASSERT_EQ(run_command(index_cmd(db, "--quiet " + shell_quote((tmp / "first.jsonl").string()))).exit_code, 0);
    FedIndex run(tmp.path(), db, {"--stream", "--format", "jsonl", "--batch", "1000", "--commit-idle", "0.3", "-"});
    ASSERT_TRUE(run.started());
    // Long enough (over 8 KB in all) for the reader's probe of the input.
    run.write(articles(0, 3, 40));
    const bool searchable =
        eventually([&] { return hits(db, own_word(0)) > 0 && hits(db, own_word(1)) > 0 && hits(db, own_word(2)) > 0; });
    EXPECT_TRUE(searchable) << run.err();
    run.close_feed();
    EXPECT_EQ(run.wait(), 0) << run.err();
    EXPECT_NE(run.out().find("indexed 3 articles"), std::string::npos) << run.out();
    EXPECT_GT(hits(db, own_word(2)), 0);
}

// The twins a --stream run orphans are restored at the commit that orphans
// them (red team 19, F5): x, its exact duplicates y and z, then a new text
// for x, into an index that has documents. y held only until the stream
// ended (and a feed that never ends never restored it). At an idle commit
// and at a batch commit (--batch 1), in one database and in two shards.
TEST(Interrupt, StreamRestoresTheTwinsItOrphansAtItsCommits) {
    const std::string zebra = "zebra quagga okapi", lion = "lion tiger";
    const auto record = [](const std::string& id, const std::string& text) {
        return nlohmann::json{{"id", id}, {"text", text}}.dump() + "\n";
    };
    for (const std::string layout : {"", "--shards 2"}) {
        for (const std::vector<std::string>& commits :
             {std::vector<std::string>{"--commit-idle", "0.3"},
              std::vector<std::string>{"--commit-idle", "0", "--batch", "1"}}) {
            const std::string what = layout + " " + commits[1];
            TempDir tmp;
            const std::string db = (tmp / "s.idx").string();
            write_file(tmp / "first.jsonl", articles(100, 106));  // a few, so that every shard has some
            ASSERT_EQ(
                run_command(index_cmd(db, "--quiet " + layout + " " + shell_quote((tmp / "first.jsonl").string())))
                    .exit_code,
                0);
            std::vector<std::string> args = {"--stream", "--format", "jsonl", "--threads", "2"};
            args.insert(args.end(), commits.begin(), commits.end());
            args.push_back("-");
            FedIndex run(tmp.path(), db, args);
            ASSERT_TRUE(run.started());
            // Past the 8 KB the readers once waited for, so that the old
            // code is seen to commit x's new text and not restore y.
            run.write(articles(0, 20) + record("x", zebra) + record("y", zebra) + record("z", zebra) +
                      record("x", lion));
            EXPECT_TRUE(eventually([&] { return hits(db, "lion") == 1 && hits(db, "okapi") == 1; }))
                << what << ": lion " << hits(db, "lion") << ", okapi " << hits(db, "okapi") << "\n"
                << run.err();
            const auto r = run_command(query_cmd(db, "--format json -n 10 okapi"));
            const auto found = trawl::test::parse_jsonl(r.out);
            ASSERT_EQ(found.size(), 1u) << what << r.out << r.err;
            EXPECT_EQ(found[0].at("article_id"), "y") << what;
            run.close_feed();
            EXPECT_EQ(run.wait(), 0) << what << run.err();
            EXPECT_NE(run.out().find("1 duplicate re-indexed"), std::string::npos) << what << run.out();
            EXPECT_EQ(hits(db, "okapi"), 1) << what;
            EXPECT_EQ(hits(db, "zebra"), 1) << what << ": z, an exact twin of y, stays a twin";
        }
    }
}

// A --stream feed with --format that sends one short record (far less than
// the 8 KB the readers once waited for before their first record) and
// pauses: its record is committed at the idle commit, while the feed stays
// open. It used to wait for 8 KB or the end of the feed (red team 19, F5).
TEST(Interrupt, StreamCommitsAShortFeedWithoutWaitingFor8KB) {
    TempDir tmp;
    const std::string db = (tmp / "s.idx").string();
    write_file(tmp / "first.jsonl", article(1000));
    ASSERT_EQ(run_command(index_cmd(db, "--quiet " + shell_quote((tmp / "first.jsonl").string()))).exit_code, 0);
    FedIndex run(tmp.path(), db, {"--stream", "--format", "jsonl", "--commit-idle", "0.3", "-"});
    ASSERT_TRUE(run.started());
    const std::string one = article(7, 1);
    ASSERT_LT(one.size(), 1024u);
    run.write(one);
    EXPECT_TRUE(eventually([&] { return hits(db, own_word(7)) == 1; })) << run.err();
    run.close_feed();
    EXPECT_EQ(run.wait(), 0) << run.err();
    EXPECT_NE(run.out().find("indexed 1 article"), std::string::npos) << run.out();
}

TEST(Interrupt, CommitIdleIsForStreamOnly) {
    TempDir tmp;
    write_file(tmp / "a.jsonl", article(1));
    const auto r =
        run_command(index_cmd((tmp / "x.idx").string(), "--commit-idle 1 " + shell_quote((tmp / "a.jsonl").string())));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--commit-idle applies to --stream only"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(tmp / "x.idx"));
}
