// A --shards build stopped after some of its shards had committed and before
// the others had (killed at its first commit, the fault point "after-commit":
// what a SIGTERM or SIGKILL between two shards' commits leaves on disk too).
// The committed shards hold the set's dictionary; the others hold none. The
// re-run must complete the index an uninterrupted run makes, and every shard
// of the set must keep compressing with that one dictionary, whatever this
// run indexes: the re-run read the committed shards' passages with the first
// shard's (missing) dictionary and stopped with "stored passage: Dictionary
// is corrupted", and a run of other articles trained a second dictionary
// into the shards that had none.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/format/index_meta.hpp"
#include "indexer/format/shards.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/index_contents.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

constexpr int kArticles = 240;
constexpr unsigned kShards = 3;
// One thread writes the shards, in input order: the first shard to fill a
// batch commits first, and the kill comes right after, before any other.
const std::string kFlags = "--quiet --shards 3 --threads 1 --batch 20 ";

const std::vector<std::string> kWords = {
    "harbour", "ferry",   "lighthouse", "council", "budget",  "mackerel", "regatta", "storm",
    "pier",    "lantern", "tide",       "oyster",  "creek",   "beach",    "gale",    "market",
    "wharf",   "crew",    "cargo",      "anchor",  "channel", "dredging", "quay",    "fishing",
};

std::string own_word(int i) {
    return std::string("zq") + static_cast<char>('a' + i % 26) + static_cast<char>('a' + i / 26 % 26) + "word";
}

std::string article_line(int i) {
    std::string text;
    for (int s = 0; s < 8; ++s) {
        for (int w = 0; w < 12; ++w) text += kWords[(i * 7 + s * 5 + w * 3) % kWords.size()] + " ";
        text += s == 3 ? own_word(i) + ". " : "news. ";
    }
    return nlohmann::json{{"id", "a" + std::to_string(i)},
                          {"title", "Harbour report " + std::to_string(i)},
                          {"text", text},
                          {"date", "2024-05-0" + std::to_string(1 + i % 9)},
                          {"source", "coast"}}
               .dump() +
           "\n";
}

// The articles whose id hashes to a shard in `shards` (all when empty).
std::string write_corpus(const fs::path& path, const std::vector<unsigned>& shards = {}) {
    std::ofstream out(path);
    for (int i = 0; i < kArticles; ++i) {
        const auto s = trawl::format::shard_of("a" + std::to_string(i), kShards);
        if (shards.empty() || std::find(shards.begin(), shards.end(), s) != shards.end()) out << article_line(i);
    }
    return path.string();
}

// A shard's documents and its dictionary, told by size and hash (a failure
// prints those, not 100 KB of binary).
struct ShardState {
    Xapian::doccount docs;
    std::string dictionary;
};
std::string digest(const std::string& dictionary) {
    return dictionary.empty() ? std::string()
                              : std::to_string(dictionary.size()) + " bytes, hash " +
                                    std::to_string(std::hash<std::string>{}(dictionary));
}
std::vector<ShardState> shard_states(const std::string& db) {
    std::vector<ShardState> out;
    for (const auto& shard : trawl::format::shard_paths(db)) {
        Xapian::Database d(shard);
        out.push_back({d.get_doccount(), digest(trawl::format::read_dictionary(d))});
    }
    return out;
}

// A set killed at its first commit: one shard holds documents and the
// dictionary, the others neither. Returns the shards without.
std::vector<unsigned> kill_at_first_commit(const std::string& db, const std::string& corpus) {
#ifndef TRAWL_FAULT_INJECTION
    (void)db, (void)corpus;
    return {};
#endif
    const auto killed = run_command("TRAWL_FAULT_AT=after-commit " + index_cmd(db, kFlags + shell_quote(corpus)));
    EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
    std::vector<unsigned> empty;
    const auto states = shard_states(db);
    EXPECT_EQ(states.size(), kShards);
    for (unsigned s = 0; s < states.size(); ++s) {
        if (states[s].docs == 0) {
            EXPECT_EQ(states[s].dictionary, "") << "shard " << s;
            empty.push_back(s);
        } else {
            EXPECT_NE(states[s].dictionary, "") << "shard " << s;
        }
    }
    EXPECT_EQ(empty.size(), kShards - 1) << "one shard committed, the others not";
    return empty;
}

// What trawl-query finds, as TREC runs (ids, ranks and scores), for words
// every article has, some have, and one article has.
std::string answers(const std::string& db) {
    std::string all;
    for (const std::string& q : std::vector<std::string>{"harbour", "lighthouse budget", "\"harbour council\"",
                                                         own_word(5), own_word(200), "report", "mackerel -regatta"}) {
        const auto r = run_command(query_cmd(db, "--format trec -n 1000000 " + shell_quote(q)));
        EXPECT_EQ(r.exit_code, 0) << q << ": " << r.err;
        all += "## " + q + "\n" + r.out;
    }
    return all;
}

}  // namespace

TEST(ShardResume, ARerunAfterAKillBetweenShardsCommitsGivesTheUninterruptedIndex) {
    TempDir tmp;
    const auto corpus = write_corpus(tmp / "news.jsonl");
    const auto clean = (tmp / "clean.idx").string();
    auto r = run_command(index_cmd(clean, kFlags + shell_quote(corpus)));
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto db = (tmp / "resumed.idx").string();
#ifndef TRAWL_FAULT_INJECTION
    GTEST_SKIP() << "needs the after-commit fault point of a test build (-DTRAWL_FAULT_INJECTION=ON)";
#endif
    const auto empty = kill_at_first_commit(db, corpus);
    ASSERT_EQ(empty.size(), kShards - 1);

    r = run_command(index_cmd(db, kFlags + shell_quote(corpus)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    // Every shard with the set's one dictionary: the one the clean run
    // trained (both trained on the whole corpus, held until its end).
    const auto want = shard_states(clean);
    const auto got = shard_states(db);
    ASSERT_EQ(got.size(), want.size());
    ASSERT_NE(want[0].dictionary, "");
    for (unsigned s = 0; s < kShards; ++s) {
        EXPECT_EQ(got[s].dictionary, want[0].dictionary) << "shard " << s;
        EXPECT_EQ(got[s].docs, want[s].docs) << "shard " << s << ": the unchanged articles are not indexed again";
    }
    EXPECT_EQ(trawl::test::live_passage_ids(db), trawl::test::live_passage_ids(clean));
    EXPECT_EQ(answers(db), answers(clean));
    // And a third run finds every article unchanged: nothing is written.
    r = run_command(index_cmd(db, "--shards 3 --threads 2 " + shell_quote(corpus)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 0 articles"), std::string::npos) << r.out;
    EXPECT_EQ(answers(db), answers(clean));
}

// After the kill, a run of articles that go only to the shards with no
// dictionary: they take the set's, not one trained on this run's articles.
TEST(ShardResume, OtherArticlesAfterTheKillTakeTheSetsDictionary) {
    TempDir tmp;
    const auto corpus = write_corpus(tmp / "news.jsonl");
    const auto db = (tmp / "s.idx").string();
#ifndef TRAWL_FAULT_INJECTION
    GTEST_SKIP() << "needs the after-commit fault point of a test build (-DTRAWL_FAULT_INJECTION=ON)";
#endif
    const auto empty = kill_at_first_commit(db, corpus);
    ASSERT_EQ(empty.size(), kShards - 1);
    std::string dictionary;
    for (const auto& s : shard_states(db))
        if (s.docs) dictionary = s.dictionary;

    const auto others = write_corpus(tmp / "others.jsonl", empty);
    auto r = run_command(index_cmd(db, kFlags + shell_quote(others)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& s : shard_states(db)) {
        EXPECT_GT(s.docs, 0u);
        EXPECT_EQ(s.dictionary, dictionary) << "one dictionary for the set";
    }
    // The whole corpus then completes the index a clean run makes.
    r = run_command(index_cmd(db, kFlags + shell_quote(corpus)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto clean = (tmp / "clean.idx").string();
    ASSERT_EQ(run_command(index_cmd(clean, kFlags + shell_quote(corpus))).exit_code, 0);
    EXPECT_EQ(trawl::test::live_passage_ids(db), trawl::test::live_passage_ids(clean));
    // The same passages, found alike (their scores may differ: the first
    // runs indexed the articles in another order).
    for (const std::string& q : {own_word(1), own_word(77), own_word(230)}) {
        const auto a = run_command(query_cmd(db, "--format json " + shell_quote(q)));
        const auto b = run_command(query_cmd(clean, "--format json " + shell_quote(q)));
        ASSERT_EQ(a.exit_code, 0) << a.err;
        const auto hits = trawl::test::parse_jsonl(a.out), want = trawl::test::parse_jsonl(b.out);
        ASSERT_EQ(hits.size(), 1u) << q;
        ASSERT_EQ(want.size(), 1u) << q;
        EXPECT_EQ(hits[0].at("passage_id"), want[0].at("passage_id"));
        EXPECT_EQ(hits[0].at("text"), want[0].at("text"));
    }
}
