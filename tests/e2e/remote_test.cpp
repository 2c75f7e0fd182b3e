// End-to-end test of remote shards: two shards built by trawl-index over
// disjoint halves of a generated corpus, each served by its own xapian-tcpsrv
// on loopback, searched by trawl-query as tcp://... and compared with one
// local index of the whole corpus.
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/format/schema.hpp"
#include "query/line_source.hpp"
#include "query/query_options.hpp"
#include "query/repl.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

using trawl::test::CommandResult;
using trawl::test::lines_of;
using trawl::test::run_command;
using trawl::test::shell_quote;

namespace {

const std::string kTcpsrv = TRAWL_XAPIAN_TCPSRV;

// A loopback port nothing listens on right now (bind to port 0, read it, close).
unsigned free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("cannot find a free port");
    ::close(fd);
    return ntohs(a.sin_port);
}

bool accepts_connections(unsigned port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    if (fd >= 0) ::close(fd);
    return ok;
}

// xapian-tcpsrv serving one database on 127.0.0.1 in its own process group;
// SIGTERM to the group and waitpid when the guard goes away (and SIGTERM from
// the kernel should the test process die first).
class TcpServer {
public:
    explicit TcpServer(const std::string& db) {
        for (int attempt = 0; attempt < 5; ++attempt) {  // another process may take the port first
            port_ = free_port();
            start(db);
            if (wait_until_ready()) return;
            stop();
        }
        throw std::runtime_error("xapian-tcpsrv did not start for " + db);
    }
    // On `port` (a shard served again where it was lost); throws when the
    // port cannot be had within a few attempts.
    TcpServer(const std::string& db, unsigned port) : port_(port) {
        for (int attempt = 0; attempt < 5; ++attempt) {
            start(db);
            if (wait_until_ready()) return;
            stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        throw std::runtime_error("xapian-tcpsrv did not start for " + db + " on port " + std::to_string(port));
    }
    ~TcpServer() { stop(); }
    unsigned port() const { return port_; }
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;
    std::string address() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
    // SIGKILL to the server and its connection handlers: a shard host lost.
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    void start(const std::string& db) {
        const std::string port = std::to_string(port_);
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::setpgid(0, 0);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent) ::_exit(1);
            const int null = ::open("/dev/null", O_RDWR);
            ::dup2(null, STDIN_FILENO);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            ::execl(kTcpsrv.c_str(), "xapian-tcpsrv", "--port", port.c_str(), "--interface", "127.0.0.1", "--quiet",
                    db.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::setpgid(pid_, pid_);
    }
    // Polls for up to 20 s; false when the server exited (port taken) or never listened.
    bool wait_until_ready() {
        for (int i = 0; i < 400; ++i) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return false;
            }
            if (accepts_connections(port_)) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGTERM);  // the server and the connection handlers it forked
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    pid_t pid_ = -1;
    unsigned port_ = 0;
};

// A deterministic news-like corpus, enough text per half (about 60 KB, a few
// hundred passages) for trawl-index to train each shard its own zstd
// dictionary. Planted sentences give phrase and NEAR queries their answers.
std::string generated_article(int i) {
    static const char* const kWords[] = {
        "market",    "shares",  "trade",   "ship",    "cargo",    "port",     "tanker",   "bank",      "rates",
        "inflation", "growth",  "storm",   "rain",    "coast",    "minister", "talks",    "union",     "strike",
        "wages",     "factory", "exports", "imports", "grain",    "wheat",    "coffee",   "cocoa",     "sugar",
        "gold",      "copper",  "steel",   "rail",    "freight",  "airline",  "fuel",     "power",     "wind",
        "solar",     "budget",  "tax",     "debt",    "bond",     "yield",    "currency", "dollar",    "euro",
        "pound",     "yen",     "court",   "ruling",  "election", "vote",     "council",  "housing",   "prices",
        "oil",       "energy",  "the",     "a",       "of",       "and",      "in",       "to",        "on",
        "said",      "was",     "would",   "after",   "before",   "new",      "higher",   "lower",     "fell",
        "rose",      "steady",  "week",    "month",   "year",     "analysts", "traders",  "officials", "report"};
    constexpr std::size_t kCount = sizeof kWords / sizeof kWords[0];
    std::mt19937 rng(static_cast<std::uint32_t>(1000 + i));
    auto word = [&] { return std::string(kWords[rng() % kCount]); };
    std::string title = "Report " + std::to_string(i) + " on " + word() + " and " + word();
    std::string text;
    for (int s = 0; s < 10; ++s) {
        if (s == 4 && i % 5 == 0) text += "Crude oil prices rose as the harbour big red crane lifted cargo. ";
        if (s == 6 && i % 7 == 3) text += "The harbour and its long delayed crane stood idle while oil prices fell. ";
        std::string sentence = word();
        sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
        const int n = 8 + static_cast<int>(rng() % 8);
        for (int w = 1; w < n; ++w) sentence += " " + word();
        text += sentence + ". ";
    }
    static const char* const kSources[] = {"Wire A", "Wire B", "The Daily"};
    nlohmann::json j = {{"_id", "g" + std::to_string(i)},
                        {"title", title},
                        {"text", text},
                        {"date", "2021-12-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1)},
                        {"source", kSources[i % 3]}};
    return j.dump() + "\n";
}

// --termlist --positions all: xapian-tcpsrv needs them to send documents
// and to match phrases (format v4 leaves them out by default).
constexpr const char* kServable = "--termlist --positions all --passage-words 40 --overlap 8";

std::string index_cmd(const std::string& db, const std::string& inputs) {
    return std::string(TRAWL_INDEX_BIN) + " " + kServable + " --db " + shell_quote(db) + " " + inputs;
}

std::string query_cmd(const std::vector<std::string>& dbs, const std::string& args) {
    std::string cmd = TRAWL_QUERY_BIN;
    for (const auto& db : dbs) cmd += " --db " + shell_quote(db);
    return cmd + " " + args;
}

// The hits of --format json (each query's summary line left out).
std::vector<nlohmann::json> parse_jsonl(const std::string& out) { return trawl::test::parse_jsonl(out); }

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

class RemoteShardTest : public ::testing::Test {
protected:
    // A batch of three queries read from a FIFO, shard b served remotely
    // beside shard a: after q1's first line, shard b's server is killed and
    // `served_again` is served on its port before q2 and q3 are sent.
    struct Reserved {
        std::string printed;  // the batch's standard output
        int status = 0;       // its exit status (as pclose() gives it; WIFEXITED checked)
        std::string fifo, err, address;
    };
    void batch_with_shard_b_served_again(const std::string& served_again, const std::string& name, Reserved& r) {
        auto doomed = std::make_unique<TcpServer>(shard_b_);
        r.address = doomed->address();
        const auto port = doomed->port();
        r.fifo = (*tmp_ / (name + ".fifo")).string();
        r.err = (*tmp_ / (name + ".err")).string();
        ASSERT_EQ(::mkfifo(r.fifo.c_str(), 0600), 0);
        const int queries = ::open(r.fifo.c_str(), O_RDWR | O_CLOEXEC);
        ASSERT_GE(queries, 0);
        const std::string cmd =
            query_cmd({server_a_->address(), r.address}, "--format trec --queries " + shell_quote(r.fifo)) + " 2>" +
            shell_quote(r.err);
        FILE* out = ::popen(cmd.c_str(), "r");
        ASSERT_NE(out, nullptr);
        const auto send = [&](const std::string& text) {
            ASSERT_EQ(::write(queries, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        };
        char buf[4096];
        send("q1\toil prices\n");
        ASSERT_NE(::fgets(buf, sizeof buf, out), nullptr) << "no results for q1";
        r.printed += buf;
        doomed->kill_now();
        doomed = std::make_unique<TcpServer>(served_again, port);
        send("q2\tharbour crane\nq3\tcargo\n");
        ::close(queries);
        while (::fgets(buf, sizeof buf, out)) r.printed += buf;
        r.status = ::pclose(out);
        ASSERT_TRUE(WIFEXITED(r.status));
    }
    // trawl-index `options` over the suite's `halves` (even.jsonl, odd.jsonl)
    // into `db`: its exit status.
    static int index_halves(const std::string& db, const std::string& options,
                            std::initializer_list<const char*> halves) {
        std::string inputs;
        for (const char* half : halves) inputs += " " + shell_quote((*tmp_ / half).string());
        return run_command(trawl::test::index_cmd(db, options + inputs)).exit_code;
    }
    static void SetUpTestSuite() {
        if (kTcpsrv.empty()) return;
        tmp_ = new trawl::test::TempDir();
        std::ofstream even(*tmp_ / "even.jsonl"), odd(*tmp_ / "odd.jsonl");
        for (int i = 0; i < 160; ++i) (i % 2 ? odd : even) << generated_article(i);
        even.close();
        odd.close();
        const auto even_in = shell_quote((*tmp_ / "even.jsonl").string()),
                   odd_in = shell_quote((*tmp_ / "odd.jsonl").string());
        shard_a_ = (*tmp_ / "a.idx").string();
        shard_b_ = (*tmp_ / "b.idx").string();
        whole_ = (*tmp_ / "whole.idx").string();
        built_a_ = run_command(index_cmd(shard_a_, even_in));
        built_b_ = run_command(index_cmd(shard_b_, odd_in));
        built_whole_ = run_command(index_cmd(whole_, even_in + " " + odd_in));
        server_a_ = new TcpServer(shard_a_);
        server_b_ = new TcpServer(shard_b_);
    }
    static void TearDownTestSuite() {
        delete server_a_;
        delete server_b_;
        delete tmp_;
        server_a_ = server_b_ = nullptr;
        tmp_ = nullptr;
    }
    void SetUp() override {
        if (kTcpsrv.empty())
            GTEST_SKIP() << "xapian-tcpsrv not found at configure time (Debian package xapian-tools; "
                            "scripts/install-deps.sh installs it): skipping remote shard tests";
    }
    static std::vector<std::string> remote() { return {server_a_->address(), server_b_->address()}; }

    static std::vector<nlohmann::json> json(const std::vector<std::string>& dbs, const std::string& args) {
        auto r = run_command(query_cmd(dbs, "--format json -n 1000 " + args));
        EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
        return parse_jsonl(r.out);
    }

    static inline trawl::test::TempDir* tmp_ = nullptr;
    static inline std::string shard_a_, shard_b_, whole_;
    static inline CommandResult built_a_, built_b_, built_whole_;
    static inline TcpServer* server_a_ = nullptr;
    static inline TcpServer* server_b_ = nullptr;
};

// Same hits with the same scores (1e-9), in the same order up to ties; the
// same stored text for every passage.
void expect_same_ranking(const std::vector<nlohmann::json>& got, const std::vector<nlohmann::json>& want,
                         const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    ASSERT_FALSE(want.empty()) << what;
    std::map<std::string, double> want_score;
    std::map<std::string, std::string> want_text;
    for (const auto& h : want) {
        want_score[h.at("passage_id")] = h.at("score");
        want_text[h.at("passage_id")] = h.at("text");
    }
    for (std::size_t i = 0; i < got.size(); ++i) {
        const std::string id = got[i].at("passage_id");
        EXPECT_NEAR(got[i].at("score").get<double>(), want[i].at("score").get<double>(), 1e-9)
            << what << " rank " << i + 1;
        ASSERT_TRUE(want_score.count(id)) << what << ": " << id << " is not in the local result";
        EXPECT_NEAR(got[i].at("score").get<double>(), want_score[id], 1e-9) << what << ": " << id;
        EXPECT_EQ(got[i].at("text"), want_text[id]) << what << ": " << id;
        // Where the local scores are not tied with a neighbour, the ids must match too.
        const double s = want[i].at("score");
        const bool tied = (i > 0 && std::abs(want[i - 1].at("score").get<double>() - s) < 1e-9) ||
                          (i + 1 < want.size() && std::abs(want[i + 1].at("score").get<double>() - s) < 1e-9);
        if (!tied) {
            EXPECT_EQ(id, want[i].at("passage_id").get<std::string>()) << what << " rank " << i + 1;
        }
    }
}

TEST_F(RemoteShardTest, EveryShardHasItsOwnDictionary) {
    for (const auto* r : {&built_a_, &built_b_, &built_whole_}) {
        ASSERT_EQ(r->exit_code, 0) << r->err;
        EXPECT_NE(r->out.find("dictionary trained on this corpus"), std::string::npos) << r->out;
    }
    EXPECT_NE(built_a_.out.find("indexed 80 articles"), std::string::npos) << built_a_.out;
    EXPECT_NE(built_b_.out.find("indexed 80 articles"), std::string::npos) << built_b_.out;
    Xapian::Database a(shard_a_), b(shard_b_);
    const std::string key(trawl::format::kMetaDictionary);
    EXPECT_NE(a.get_metadata(key), b.get_metadata(key)) << "the test needs two different dictionaries";
}

TEST_F(RemoteShardTest, RemoteShardsRankAsOneLocalIndex) {
    const std::vector<std::string> queries = {"'oil prices'",
                                              "'\"crude oil prices\"'",
                                              "'harbour NEAR/3 crane'",
                                              "'harbour NEAR/5 crane'",
                                              "--by-article 'cargo tanker freight'",
                                              "--by-article '\"oil prices\"'",
                                              "'title:cocoa OR sugar'",
                                              "--all 'bank rates inflation'",
                                              "--proximity 1 'oil prices harbour'",
                                              "--source 'wire a' 'storm coast'",
                                              "--sort date 'storm date:2021-12-05..2021-12-20'"};
    for (const auto& q : queries) {
        const auto local = json({whole_}, q);
        expect_same_ranking(json(remote(), q), local, "remote " + q);
        expect_same_ranking(json({shard_a_, server_b_->address()}, q), local, "local + remote " + q);
    }
}

// "+N more passages" is counted exactly on remote shards too (Xapian's
// ValueCountMatchSpy runs in xapian-tcpsrv), not Xapian's collapse count,
// which stops counting an article once it cannot enter the top hits.
TEST_F(RemoteShardTest, ByArticleCountsEveryOtherMatchingPassage) {
    for (const std::string q : {"'\"oil prices\"'", "'harbour NEAR/5 crane'", "'cargo tanker freight'"}) {
        std::map<std::string, int> per;
        for (const auto& h : json({whole_}, q)) ++per[h.at("article_id").get<std::string>()];
        ASSERT_FALSE(per.empty()) << q;
        for (const auto& dbs : {remote(), std::vector<std::string>{shard_a_, server_b_->address()}}) {
            const auto r = run_command(query_cmd(dbs, "--format json -n 5 --by-article " + q));
            ASSERT_EQ(r.exit_code, 0) << q << ": " << r.err;
            const auto hits = parse_jsonl(r.out);
            ASSERT_EQ(hits.size(), 5u) << q;
            for (const auto& h : hits)
                EXPECT_EQ(h.at("collapsed").get<int>(), per.at(h.at("article_id").get<std::string>()) - 1)
                    << q << " on " << dbs[0] << ": " << h.at("passage_id");
        }
    }
}

TEST_F(RemoteShardTest, SnippetsFromRemoteShardsShowTheQueryWords) {
    const auto hits = json(remote(), "'\"crude oil prices\"'");
    ASSERT_EQ(hits.size(), 32u) << "every fifth article of 160 has the phrase";
    std::set<std::string> articles;
    for (const auto& h : hits) {
        articles.insert(h.at("article_id"));
        const std::string snippet = h.at("snippet");
        EXPECT_NE(lower(snippet).find("crude oil prices"), std::string::npos) << snippet;
        std::set<std::string> marked;
        for (const auto& hl : h.at("highlights"))
            marked.insert(lower(snippet.substr(hl.at(0).get<std::size_t>(),
                                               hl.at(1).get<std::size_t>() - hl.at(0).get<std::size_t>())));
        EXPECT_EQ(marked, (std::set<std::string>{"crude", "oil", "prices"})) << snippet;
    }
    EXPECT_TRUE(articles.count("g0") && articles.count("g5")) << "hits from both shards";

    auto text = run_command(query_cmd(remote(), "--color never -n 1000 'harbour NEAR/3 crane'"));
    ASSERT_EQ(text.exit_code, 0) << text.err;
    std::size_t heads = 0, snippets = 0;
    for (const auto& line : lines_of(text.out)) {
        if (line.find("  [g") != std::string::npos) ++heads;
        if (line.rfind("    ", 0) == 0 && lower(line).find("harbour big red crane") != std::string::npos) ++snippets;
    }
    EXPECT_EQ(heads, 32u) << text.out;
    EXPECT_EQ(snippets, heads) << text.out;
}

TEST_F(RemoteShardTest, UnreachableShardIsAOneLineError) {
    const std::string nobody = "tcp://127.0.0.1:" + std::to_string(free_port());
    auto r = run_command(query_cmd({server_a_->address(), nobody}, "oil"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("trawl-query: " + nobody + ": cannot connect to remote shard (", 0), 0u) << r.err;
    EXPECT_EQ(r.err.substr(r.err.size() - 2), ")\n") << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

    auto bad = run_command(query_cmd({"tcp://127.0.0.1:70000"}, "oil"));
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(bad.err,
              "trawl-query: --db tcp://127.0.0.1:70000: port '70000' is not a number from 1 to 65535; a remote shard "
              "is tcp://HOST:PORT (see trawl-query --help)\n");
}

TEST_F(RemoteShardTest, AShardWithoutATermlistIsRefusedWithTheFix) {
    const std::string lean = (*tmp_ / "lean.idx").string();
    ASSERT_EQ(index_halves(lean, "", {"even.jsonl"}), 0);
    EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(lean) / "termlist.glass"));
    auto local = run_command(query_cmd({lean}, "oil"));
    EXPECT_EQ(local.exit_code, 0) << local.err;
    TcpServer server(lean);
    auto remote = run_command(query_cmd({server.address()}, "oil"));
    EXPECT_EQ(remote.exit_code, 2);
    EXPECT_EQ(remote.err, "trawl-query: " + server.address() +
                              ": this shard was indexed without a termlist and positions for every word, which "
                              "xapian-tcpsrv needs to serve it; index its articles into a new directory with "
                              "trawl-index --termlist --positions all (or --shards): an index keeps the settings it "
                              "was created with\n");
}

TEST_F(RemoteShardTest, AShardWithPositionsForFrequentWordsOnlyIsRefusedWithTheFix) {
    // Its phrases with rarer words are checked against the text, which
    // xapian-tcpsrv cannot do: it would silently miss those hits.
    const std::string lean = (*tmp_ / "frequent.idx").string();
    ASSERT_EQ(index_halves(lean, "--termlist", {"even.jsonl"}), 0);
    TcpServer server(lean);
    auto remote = run_command(query_cmd({server.address()}, "oil"));
    EXPECT_EQ(remote.exit_code, 2);
    EXPECT_EQ(remote.err, "trawl-query: " + server.address() +
                              ": this shard was indexed without positions for every word, which xapian-tcpsrv needs "
                              "to serve it; index its articles into a new directory with trawl-index --termlist "
                              "--positions all (or --shards): an index keeps the settings it was created with\n");
}

TEST_F(RemoteShardTest, RemoteShardOfAnotherFormatIsRefusedAsALocalOne) {
    const std::string old = (*tmp_ / "old.idx").string();
    ASSERT_EQ(index_halves(old, kServable, {"even.jsonl"}), 0);
    {
        Xapian::WritableDatabase w(old);
        w.set_metadata(std::string(trawl::format::kMetaFormatVersion), "999");
        w.commit();
    }
    auto local = run_command(query_cmd({old}, "oil"));
    ASSERT_EQ(local.exit_code, 2);
    ASSERT_EQ(local.err.rfind("trawl-query: " + old + ": index format v999", 0), 0u) << local.err;
    TcpServer server(old);
    auto remote = run_command(query_cmd({server.address()}, "oil"));
    EXPECT_EQ(remote.exit_code, 2);
    EXPECT_EQ(remote.err, "trawl-query: " + server.address() + local.err.substr(("trawl-query: " + old).size()));
    EXPECT_EQ(remote.out, "");
}

TEST_F(RemoteShardTest, AShardLostMidBatchNamesTheShardTheQueryAndWhatDidNotRun) {
    TcpServer doomed(shard_b_);
    // trawl-query reads its queries from a FIFO: the test writes the first,
    // waits for its results, kills the server, then writes the rest.
    const std::string fifo = (*tmp_ / "lost.fifo").string(), err = (*tmp_ / "lost.err").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int queries = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // does not wait for the reader
    ASSERT_GE(queries, 0);
    const std::string cmd = query_cmd({shard_a_, doomed.address()}, "--format trec --queries " + shell_quote(fifo)) +
                            " 2>" + shell_quote(err);
    FILE* out = ::popen(cmd.c_str(), "r");
    ASSERT_NE(out, nullptr);
    const auto send = [&](const std::string& text) {
        ASSERT_EQ(::write(queries, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    };
    std::string printed;
    char buf[4096];
    send("q1\toil prices\n");
    ASSERT_NE(::fgets(buf, sizeof buf, out), nullptr) << "no results for q1";
    printed += buf;
    doomed.kill_now();
    send("q2\tharbour crane\n\nq3\tcargo\nq4\tstorm\nq5\tgold\n");
    ::close(queries);
    while (::fgets(buf, sizeof buf, out)) printed += buf;
    const int status = ::pclose(out);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);

    // q1's results are complete; nothing of the others.
    const auto q1 = run_command(query_cmd({shard_a_, server_b_->address()}, "--format trec"), "q1\toil prices\n");
    ASSERT_EQ(q1.exit_code, 0) << q1.err;
    EXPECT_EQ(printed, q1.out);
    std::ifstream in(err);
    const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string head = "trawl-query: " + fifo + ":2: query q2: " + doomed.address() + ": remote shard lost (";
    EXPECT_EQ(message.rfind(head, 0), 0u) << message;
    EXPECT_TRUE(message.ends_with("); 4 queries did not run (this one and the 3 after it)\n")) << message;
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
}

// Xapian 1.4's merge shows a remote shard's passage to the match spy a
// second time when it sorts by value and the passage falls below the page:
// --sort date counted passages more than once, more the longer the page.
TEST_F(RemoteShardTest, SortByDateCountsEachPassageOnceOnRemoteShards) {
    for (const std::string q : {"oil", "'storm OR cargo'"}) {
        for (const std::string n : {"1", "5", "50"}) {
            const std::string args = "--format json --sort date -n " + n + " " + q;
            const auto local = run_command(query_cmd({whole_}, args));
            ASSERT_EQ(local.exit_code, 0) << local.err;
            const auto want = trawl::test::parse_summaries(local.out).at(0);
            ASSERT_TRUE(want.at("passages").at("exact").get<bool>()) << local.out;
            for (const auto& dbs : {remote(), std::vector<std::string>{shard_a_, server_b_->address()}}) {
                const auto r = run_command(query_cmd(dbs, args));
                ASSERT_EQ(r.exit_code, 0) << r.err;
                const auto got = trawl::test::parse_summaries(r.out).at(0);
                EXPECT_EQ(got.at("passages"), want.at("passages")) << args << " on " << dbs[0];
                EXPECT_EQ(got.at("articles"), want.at("articles")) << args << " on " << dbs[0];
            }
        }
    }
}

// A wildcard is expanded once over every shard's terms: Xapian 1.4 expands it
// in each shard alone and weighs it from that shard's terms, so its scores
// depended on the split (price* on BBC: 1.341 on one index, 1.770 on local
// shards, 2.004 remote). Title numbers differ between the shards (even and
// odd articles), as rare words do in real text: one index can score such a
// wildcard up to about 1% apart (README, "Serving shards"), shards alike.
TEST_F(RemoteShardTest, WildcardsScoreAlikeOnLocalAndRemoteShards) {
    // Words in both shards: as on one index.
    for (const std::string q : {"'co*'", "'oil* pri*'", "--by-article 'st* OR cargo'"}) {
        const auto whole = json({whole_}, q);
        expect_same_ranking(json({shard_a_, shard_b_}, q), whole, "local shards " + q);
        expect_same_ranking(json(remote(), q), whole, "remote " + q);
        expect_same_ranking(json({shard_a_, server_b_->address()}, q), whole, "local + remote " + q);
    }
    for (const std::string q : {"'title:1*'", "'oil title:2*'", "--by-article 'title:1* OR cargo'"}) {
        const auto local = json({shard_a_, shard_b_}, q);
        expect_same_ranking(json(remote(), q), local, "remote " + q);
        expect_same_ranking(json({shard_a_, server_b_->address()}, q), local, "local + remote " + q);
        expect_same_ranking(json({server_a_->address(), shard_b_}, q), local, "remote + local " + q);
    }
}

// Two remote shards, one lost: the line names that one only (the healthy
// shard's connection, left mid-answer, is not asked; a new one is).
TEST_F(RemoteShardTest, ALostShardIsNamedAloneAmongRemoteShards) {
    TcpServer doomed(shard_b_);
    const std::string fifo = (*tmp_ / "lost2.fifo").string(), err = (*tmp_ / "lost2.err").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int queries = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(queries, 0);
    const std::string cmd =
        query_cmd({server_a_->address(), doomed.address()}, "--format trec --queries " + shell_quote(fifo)) + " 2>" +
        shell_quote(err);
    FILE* out = ::popen(cmd.c_str(), "r");
    ASSERT_NE(out, nullptr);
    const auto send = [&](const std::string& text) {
        ASSERT_EQ(::write(queries, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    };
    char buf[4096];
    send("q1\toil prices\n");
    ASSERT_NE(::fgets(buf, sizeof buf, out), nullptr) << "no results for q1";
    doomed.kill_now();
    send("q2\tharbour crane\nq3\tcargo\n");
    ::close(queries);
    while (::fgets(buf, sizeof buf, out)) {
    }
    const int status = ::pclose(out);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    std::ifstream in(err);
    const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string head = "trawl-query: " + fifo + ":2: query q2: " + doomed.address() + ": remote shard lost (";
    EXPECT_EQ(message.rfind(head, 0), 0u) << message;
    EXPECT_TRUE(message.ends_with("); 2 queries did not run (this one and the 1 after it)\n")) << message;
}

// A shard lost and served again on its port before the next query of a
// batch: that query connects afresh and runs (its broken connection used to
// fail it, "write failed ... (Broken pipe)", and stop the batch).
TEST_F(RemoteShardTest, ABatchConnectsAfreshToAShardServedAgain) {
    Reserved r;
    ASSERT_NO_FATAL_FAILURE(batch_with_shard_b_served_again(shard_b_, "back", r));
    const std::string& printed = r.printed;
    const int status = r.status;
    const std::string& err = r.err;
    EXPECT_EQ(WEXITSTATUS(status), 0);
    const auto want =
        run_command(query_cmd({shard_a_, shard_b_}, "--format trec"), "q1\toil prices\nq2\tharbour crane\nq3\tcargo\n");
    ASSERT_EQ(want.exit_code, 0) << want.err;
    EXPECT_EQ(printed, want.out);
    std::ifstream in(err);
    const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(message, "");
}

// A query of stop words only is the phrase it spells on remote shards too
// (they hold the stop words, with every position): it was a ranked OR of
// them there, nearly every passage, where an index that leaves them out
// (the default) finds the phrase.
TEST_F(RemoteShardTest, StopWordsOnlyAreThePhraseTheySpellOnRemoteShards) {
    const std::string lean = (*tmp_ / "stop-default.idx").string();  // the default: no stop words in it
    ASSERT_EQ(index_halves(lean, "--quiet --passage-words 40 --overlap 8", {"even.jsonl", "odd.jsonl"}), 0);
    // The passages found (exit status 1, and no hit, when none).
    const auto ids = [](const std::vector<std::string>& dbs, const std::string& q) {
        const auto r = run_command(query_cmd(dbs, "--format json -n 100000 " + shell_quote(q)));
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << q << ": " << r.err;
        std::set<std::string> out;
        for (const auto& h : parse_jsonl(r.out)) out.insert(h.at("passage_id").get<std::string>());
        return out;
    };
    const auto passages = ids({whole_}, "oil OR the OR a OR of OR market").size();
    for (const std::string q : {"of the", "and the", "after a", "was in the", "to be or not to be"}) {
        const auto want = ids({whole_}, "\"" + q + "\"");
        EXPECT_LT(want.size(), passages / 2) << q;
        EXPECT_EQ(ids({lean}, q), want) << q << " on the default index";
        EXPECT_EQ(ids({whole_}, q), want) << q << " on an index of every word's positions";
        EXPECT_EQ(ids(remote(), q), want) << q << " on remote shards";
        EXPECT_EQ(ids({shard_a_, server_b_->address()}, q), want) << q << " on local + remote";
        if (!want.empty()) continue;
        const auto r = run_command(query_cmd(remote(), "'" + q + "'"));
        EXPECT_EQ(r.exit_code, 1);
        EXPECT_EQ(r.err,
                  "trawl-query: note: '" + q +
                      "' is stop words only, which are searched as the phrase they spell; no passage holds it\n");
    }
}

// Beside a remote shard no phrase is checked against the text: a local shard
// with positions for its frequent words only found none of its passages of
// a phrase with a stop word or a rarer word ("the who" on BBC News with its
// --termlist index and one remote shard: 5 passages, all the remote one's,
// where the local index alone finds 6). It is refused, as such a remote
// shard is.
TEST_F(RemoteShardTest, ALocalShardWithoutEveryWordsPositionsIsRefusedBesideARemoteOne) {
    const std::string lean = (*tmp_ / "local-frequent.idx").string();
    ASSERT_EQ(index_halves(lean, "--quiet --termlist", {"odd.jsonl"}), 0);
    const auto alone = run_command(query_cmd({lean}, "'\"of the\"'"));
    ASSERT_EQ(alone.exit_code, 0) << alone.err;
    const std::string why = "trawl-query: " + lean + ": searched with a remote shard (" + server_a_->address() +
                            "), every shard must keep positions for every word, and this one keeps them for its "
                            "frequent words only: its phrases with other words or stop words would find nothing, "
                            "since no phrase can be checked against the text beside a remote shard; index its "
                            "articles into a new directory with trawl-index --termlist --positions all (or "
                            "--shards), or search it without remote shards\n";
    for (const auto& dbs :
         {std::vector<std::string>{lean, server_a_->address()}, std::vector<std::string>{server_a_->address(), lean}}) {
        const auto r = run_command(query_cmd(dbs, "'\"of the\"'"));
        EXPECT_EQ(r.exit_code, 2) << dbs[0];
        EXPECT_EQ(r.out, "") << dbs[0];
        EXPECT_EQ(r.err, why) << dbs[0];
    }
}

// Another database served on a lost shard's port before the next query of a
// batch: connected afresh, the batch stops there, naming the shard, as it
// would for a shard lost (it answered, and the queries after mixed another
// index's hits in, with no word and exit status 0).
TEST_F(RemoteShardTest, ABatchRefusesAnotherDatabaseServedWhereItsShardWas) {
    const std::string other = (*tmp_ / "other.idx").string();  // the even half again: every hit would come twice
    ASSERT_EQ(index_halves(other, kServable, {"even.jsonl"}), 0);
    Reserved r;
    ASSERT_NO_FATAL_FAILURE(batch_with_shard_b_served_again(other, "other", r));
    const std::string& printed = r.printed;
    const int status = r.status;
    const std::string &fifo = r.fifo, &err = r.err, &address = r.address;
    EXPECT_EQ(WEXITSTATUS(status), 2);
    const auto q1 = run_command(query_cmd({shard_a_, shard_b_}, "--format trec"), "q1\toil prices\n");
    ASSERT_EQ(q1.exit_code, 0) << q1.err;
    EXPECT_EQ(printed, q1.out);
    std::ifstream in(err);
    const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string head = "trawl-query: " + fifo + ":2: query q2: " + address +
                             ": the remote shard served there now is another database than the one this run started "
                             "with (now UUID " +
                             Xapian::Database(other).get_uuid() + ", outside a shard set; was UUID " +
                             Xapian::Database(shard_b_).get_uuid() + ", outside a shard set): ";
    EXPECT_EQ(message.rfind(head, 0), 0u) << message;
    EXPECT_TRUE(message.ends_with("; 2 queries did not run (this one and the 1 after it)\n")) << message;
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
}

// The prompt's lines, each run after an action (a server killed or started).
class ScriptedLines : public trawl::query::LineSource {
public:
    std::vector<std::pair<std::function<void()>, std::string>> steps;
    std::optional<std::string> read(const std::string&) override {
        if (next_ == steps.size()) return std::nullopt;
        auto& [action, line] = steps[next_++];
        if (action) action();
        return line;
    }
    void show(const std::string&) override {}

private:
    std::size_t next_ = 0;
};

// The prompt outlives a lost remote shard: the query that meets it says
// "remote shard lost" naming it (not Xapian's raw NetworkError), and once the
// shard is served again the next query connects afresh and answers (every
// later query used to fail with "write failed ... (Broken pipe)").
TEST_F(RemoteShardTest, ThePromptReconnectsToAShardServedAgain) {
    auto doomed = std::make_unique<TcpServer>(shard_b_);
    const auto address = doomed->address();
    const auto port = doomed->port();
    trawl::query::QueryOptions options;
    const std::vector<std::string> args = {"trawl-query", "--db", server_a_->address(), "--db", address,
                                           "--format",    "trec"};
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream help;
    ASSERT_EQ(trawl::query::parse_query_args(static_cast<int>(argv.size()), argv.data(), options, help),
              trawl::query::Parsed::Run);
    ScriptedLines lines;
    lines.steps = {{nullptr, "oil prices"},
                   {[&] { doomed->kill_now(); }, "harbour crane"},
                   {nullptr, "cargo"},
                   {[&] { doomed = std::make_unique<TcpServer>(shard_b_, port); }, "storm"}};
    std::ostringstream out, err;
    EXPECT_EQ(trawl::query::run_repl(options, false, lines, out, err), 0);

    const auto want = run_command(query_cmd({shard_a_, shard_b_}, "--format trec"), "1\toil prices\n4\tstorm\n");
    ASSERT_EQ(want.exit_code, 0) << want.err;
    EXPECT_EQ(out.str(), want.out);
    const auto said = lines_of(err.str());
    ASSERT_EQ(said.size(), 2u) << err.str();
    EXPECT_EQ(said[0].rfind("trawl-query: " + address + ": remote shard lost (", 0), 0u) << err.str();
    // Still down at the third query: connecting fails, and says so.
    EXPECT_EQ(said[1].rfind("trawl-query: " + address + ": ", 0), 0u) << err.str();
}

// The same shard compacted (a new UUID, the same place in the same set) is
// the same shard; another index's shard at the same place is not: the prompt
// says so for each query while it is served, and answers again once the
// shard is back.
TEST_F(RemoteShardTest, ThePromptTellsASetsShardFromAnotherIndexsAfterAReconnect) {
    const std::string x = (*tmp_ / "set-x.idx").string(), y = (*tmp_ / "set-y.idx").string();
    for (const auto& db : {x, y})
        ASSERT_EQ(index_halves(db, "--quiet --shards 2 --passage-words 40 --overlap 8", {"even.jsonl", "odd.jsonl"}),
                  0);
    const std::string compacted = (*tmp_ / "set-x-1.compacted").string();
    Xapian::Database(x + "/shard-1").compact(compacted);
    ASSERT_NE(Xapian::Database(compacted).get_uuid(), Xapian::Database(x + "/shard-1").get_uuid());
    TcpServer first(x + "/shard-0");
    auto second = std::make_unique<TcpServer>(x + "/shard-1");
    const auto address = second->address();
    const auto port = second->port();
    trawl::query::QueryOptions options;
    const std::vector<std::string> args = {"trawl-query", "--db", first.address(), "--db", address, "--format", "trec"};
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream help;
    ASSERT_EQ(trawl::query::parse_query_args(static_cast<int>(argv.size()), argv.data(), options, help),
              trawl::query::Parsed::Run);
    const auto serve = [&](const std::string& db) {
        second->kill_now();
        second = std::make_unique<TcpServer>(db, port);
    };
    ScriptedLines lines;
    lines.steps = {{nullptr, "oil prices"},
                   {[&] { serve(y + "/shard-1"); }, "harbour crane"},
                   {nullptr, "storm"},
                   {[&] { serve(compacted); }, "cargo"}};
    std::ostringstream out, err;
    EXPECT_EQ(trawl::query::run_repl(options, false, lines, out, err), 0);

    const auto want = run_command(query_cmd({x}, "--format trec"), "1\toil prices\n4\tcargo\n");
    ASSERT_EQ(want.exit_code, 0) << want.err;
    EXPECT_EQ(out.str(), want.out);
    const std::string refused = "trawl-query: " + address +
                                ": the remote shard served there now is another database than the one this run "
                                "started with (now UUID " +
                                Xapian::Database(y + "/shard-1").get_uuid() +
                                ", shard 1 of a set of 2 of another index; was UUID " +
                                Xapian::Database(x + "/shard-1").get_uuid() +
                                ", shard 1 of a set of 2): its hits would be another index's, mixed in; serve the "
                                "shard it had, or start trawl-query again to search what is served now";
    EXPECT_EQ(lines_of(err.str()), (std::vector<std::string>{refused, refused})) << err.str();
}

}  // namespace
