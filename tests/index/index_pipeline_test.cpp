#include "indexer/index_pipeline.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <xapian.h>

#include "corpus/base/disk_usage.hpp"
#include "corpus/base/error.hpp"
#include "corpus/clean/dedup.hpp"
#include "indexer/compaction.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/index_dir.hpp"
#include "indexer/index_job.hpp"
#include "indexer/rebuild.hpp"
#include "indexer/run_limits.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

std::vector<corpus::Article> articles(int n) {
    std::vector<corpus::Article> v;
    for (int i = 0; i < n; ++i) {
        std::string body;
        for (int k = 0; k < 6 + i % 5; ++k)
            body += "Report " + std::to_string(k) + " on the " + (i % 3 ? "grain" : "cocoa") + " market in region " +
                    std::to_string(i % 11) + " was filed. ";
        v.push_back(article("n" + std::to_string(i), "Market note " + std::to_string(i), body));
    }
    return v;
}

index::BuildStats build(const std::string& path, const std::vector<corpus::Article>& arts, unsigned threads,
                        unsigned shards = 0, std::size_t sample_bytes = 4u << 20) {
    corpus::Diagnostics diag;
    index::BuilderOptions bo;
    bo.split = {30, 5};
    bo.dictionary_sample_bytes = sample_bytes;
    index::PipelineOptions po;
    po.threads = threads;
    po.shards = shards;
    index::IndexPipeline p(path, bo, po, diag);
    for (const auto& a : arts) p.add(a);
    p.finish();
    return p.stats();
}

// "article#ordinal" of every passage (live ones: format v3 keeps replaced ones, dead).
std::set<std::string> passage_terms(const Xapian::Database& db) {
    std::set<std::string> out;
    const auto dead = format::Deletions::read(db);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const auto doc = db.get_document(*it);
        const auto id = format::article_id_of(doc);
        if (!dead.covers(id, format::sequence_of(doc))) out.insert(passage_id(id, format::ordinal_of(doc)));
    }
    return out;
}

}  // namespace

TEST(Shards, ShardOfIsAStableFnv1aHash) {
    // Fixed values: a shard assignment must never change between builds or hosts.
    EXPECT_EQ(format::shard_of("", 7), 0xcbf29ce484222325ull % 7);
    EXPECT_EQ(format::shard_of("a", 1000), 0xaf63dc4c8601ec8cull % 1000);
    EXPECT_EQ(format::shard_of("anything", 1), 0u);
    std::vector<int> counts(4);
    for (int i = 0; i < 4000; ++i) ++counts[format::shard_of("doc-" + std::to_string(i), 4)];
    for (int c : counts) EXPECT_GT(c, 800);
}

TEST(Shards, StubListsShardsAndBadStubsAreRejected) {
    test::TempDir tmp;
    EXPECT_EQ(format::shard_paths(tmp.str()), std::vector<std::string>{tmp.str()});
    format::write_stub(tmp.str(), 2);
    EXPECT_TRUE(format::is_sharded(tmp.str()));
    EXPECT_EQ(format::shard_paths(tmp.str()),
              (std::vector<std::string>{(tmp / "shard-0").string(), (tmp / "shard-1").string()}));
    std::ofstream(tmp / "XAPIANDB") << "remote localhost:1234\n";
    EXPECT_THROW(format::shard_paths(tmp.str()), IndexFormatError);
}

TEST(IndexPipeline, ParallelBuildHasTheSamePassagesAndDictionaryAsOneThread) {
    test::TempDir tmp;
    const auto arts = articles(300);
    // A small sample size so that the dictionary is trained mid-run, with
    // articles held back until it exists.
    const std::size_t sample = 64 * 1024;
    auto one = build((tmp / "one").string(), arts, 1, 0, sample);
    auto two = build((tmp / "two").string(), arts, 2, 0, sample);
    EXPECT_TRUE(one.dictionary_trained);
    EXPECT_TRUE(two.dictionary_trained);
    EXPECT_EQ(two.articles, one.articles);
    EXPECT_EQ(two.passages, one.passages);
    EXPECT_EQ(two.stored_compressed, one.stored_compressed) << "same dictionary, same frames";
    Xapian::Database a((tmp / "one").string()), b((tmp / "two").string());
    EXPECT_EQ(format::read_dictionary(b), format::read_dictionary(a));
    EXPECT_EQ(passage_terms(b), passage_terms(a));
    EXPECT_EQ(b.get_doccount(), a.get_doccount());
    EXPECT_EQ(b.get_total_length(), a.get_total_length());
    EXPECT_EQ(b.get_termfreq("cocoa"), a.get_termfreq("cocoa"));
    EXPECT_EQ(b.get_metadata(std::string(format::kMetaFormatVersion)), std::to_string(format::kFormatVersion));
    // Nothing left next to the index.
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(tmp.path())) names.insert(e.path().filename().string());
    EXPECT_EQ(names, (std::set<std::string>{"one", "two"}));
}

TEST(IndexPipeline, ShardsHoldWholeArticlesByHashAndShareOneDictionary) {
    test::TempDir tmp;
    const auto path = (tmp / "s").string();
    auto stats = build(path, articles(300), 2, 3, 64 * 1024);
    const auto shards = format::shard_paths(path);
    ASSERT_EQ(shards.size(), 3u);
    Xapian::doccount total = 0;
    std::string dict;
    for (unsigned i = 0; i < 3; ++i) {
        Xapian::Database db(shards[i]);
        total += db.get_doccount();
        for (auto t = db.allterms_begin("A"); t != db.allterms_end("A"); ++t)
            EXPECT_EQ(format::shard_of((*t).substr(1), 3), i) << *t;
        if (i == 0) dict = format::read_dictionary(db);
        EXPECT_EQ(format::read_dictionary(db), dict);
    }
    EXPECT_FALSE(dict.empty());
    EXPECT_EQ(total, stats.passages);
    // The directory opens as one database through the stub.
    EXPECT_EQ(Xapian::Database(path).get_doccount(), total);
}

TEST(IndexPipeline, ExistingSingleIndexIsUpdatedInPlace) {
    test::TempDir tmp;
    const auto arts = articles(40);
    auto first = build(tmp.str(), arts, 2);
    auto second = build(tmp.str(), arts, 2);
    EXPECT_EQ(second.replaced, 40u);
    EXPECT_EQ(passage_terms(Xapian::Database(tmp.str())).size(), first.passages);
    EXPECT_EQ(format::live_passage_count(Xapian::Database(tmp.str())), first.passages);
}

namespace {

// True once a reader opened now finds article `id` (its batch committed).
bool committed(const std::string& path, const std::string& id) {
    try {
        return Xapian::Database(path).term_exists(format::article_term(id));
    } catch (const Xapian::Error&) {  // a commit came while this looked: look again
        return false;
    }
}

}  // namespace

// Adding to an index that has documents, the reading thread looks up what
// earlier runs indexed (the cleaner's unchanged and duplicate checks) while
// the writer thread commits every --batch articles. It read the revision it
// first opened, whose blocks those commits reuse: DatabaseModifiedError (or
// DatabaseCorruptError, a reused block of another kind) out of
// article_with_content() or remove(), which trawl-index reported as
// "DatabaseModifiedError: The revision being read has been discarded" when
// appending Reuters with --batch 2 (red team 18). Here the lookups run both
// while the writer commits and after commits the test waits for.
TEST(IndexPipeline, LookupsInTheEarlierIndexSurviveTheWritersCommits) {
    test::TempDir tmp;
    // Words spread over the whole term space, as in news: every commit
    // rewrites blocks all over the tables, and so frees the earlier ones.
    std::uint64_t seed = 1;
    const auto text = [&](int words) {
        std::string body;
        for (int w = 0; w < words; ++w) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            body += "w" + std::to_string((seed >> 33) % 200000) + (w % 12 == 11 ? ". " : " ");
        }
        return body;
    };
    std::vector<corpus::Article> earlier;
    for (int i = 0; i < 1500; ++i)
        earlier.push_back(article("n" + std::to_string(i), "Note " + std::to_string(i), text(150)));
    build(tmp.str(), earlier, 1);
    std::vector<corpus::Article> added;
    for (int i = 0; i < 200; ++i)
        added.push_back(article("m" + std::to_string(i), "Added " + std::to_string(i), text(150)));
    corpus::Diagnostics diag;
    index::BuilderOptions bo;
    bo.split = {30, 5};
    bo.batch_articles = 1;  // a commit for every article
    index::PipelineOptions po;
    po.threads = 1;
    index::IndexPipeline p(tmp.str(), bo, po, diag);
    EXPECT_TRUE(p.splits_as_earlier_runs());
    std::size_t looked_up = 0;
    for (std::size_t i = 0; i < added.size(); ++i) {
        p.add(added[i]);
        if (i % 4 == 3)  // this batch is committed, and so the three before
            while (!committed(tmp.str(), added[i].id)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        for (std::size_t k = 0; k < 6; ++k) {
            const auto& a = earlier[(i * 97 + k * 211) % 1000];
            ASSERT_NO_THROW(EXPECT_EQ(p.article_with_content(corpus::content_hash(a), a), a.id) << a.id);
            ASSERT_NO_THROW(EXPECT_EQ(p.article_with_content(corpus::content_hash(a)), a.id) << a.id);
            ++looked_up;
        }
        ASSERT_NO_THROW(p.remove("never-indexed-" + std::to_string(i)));
        // An earlier article this run skips as a duplicate: its earlier version goes.
        ASSERT_NO_THROW(p.remove(earlier[1000 + i].id));
    }
    p.finish();
    EXPECT_EQ(looked_up, 6 * added.size());
    EXPECT_EQ(p.stats().articles, added.size());
    EXPECT_EQ(p.stats().removed, added.size());
    EXPECT_EQ(passage_terms(Xapian::Database(tmp.str())).size(), p.doc_count());
}

TEST(IndexPipeline, ASecondWriterIsLockedOutOfAParallelBuild) {
    test::TempDir tmp;
    corpus::Diagnostics diag;
    index::PipelineOptions po;
    po.threads = 2;
    index::IndexPipeline p(tmp.str(), {}, po, diag);
    EXPECT_THROW(index::IndexBuilder(tmp.str(), {}, diag), Error);
}

TEST(IndexPipeline, MemoryPlanScalesWithTheBudget) {
    auto small = index::memory_plan(16u << 20, 8);
    auto large = index::memory_plan(1024u << 20, 2);
    EXPECT_LT(small.flush_threshold, large.flush_threshold);
    // Every flush rewrites the B-tree blocks its terms land in: a writer
    // flushes at its batch's commit, or every 10,000 passages of long articles.
    EXPECT_EQ(index::memory_plan(1024u << 20, 1).flush_threshold, 10000u)
        << "Xapian's default: the commit flushes (bench/RESULTS.md)";
    // Databases written at once share those 10,000 documents as they share
    // the budget: their buffers sit side by side in the same caches.
    EXPECT_EQ(large.flush_threshold, 5000u) << "two writers, 5,000 each";
    EXPECT_EQ(index::memory_plan(1024u << 20, 4).flush_threshold, 2500u);
    EXPECT_LT(small.queue_bytes, large.queue_bytes);
    EXPECT_GE(small.flush_threshold, 100u);
}

// Whether this process was started with a flush threshold (the pipelines
// set one when it was not).
const bool kFlushThresholdGiven = std::getenv("XAPIAN_FLUSH_THRESHOLD") != nullptr;

// A new index's temporary shards write segments, small databases that a
// flush merges into cheaply, so their inverters flush every ~100,000 words
// of passages, whose maps stay in the CPU's caches; a run that adds to an
// index flushes into the index itself, as rarely as the budget allows.
TEST(IndexPipeline, WritersOfSegmentsFlushEveryHundredThousandWords) {
    EXPECT_EQ(index::segment_flush_docs({.words = 100, .overlap = 20}, 5000), 1000u);
    EXPECT_EQ(index::segment_flush_docs({.words = 50, .overlap = 10}, 5000), 2000u);
    EXPECT_EQ(index::segment_flush_docs({.words = 100, .overlap = 20}, 400), 400u) << "the budget lowers it";
    EXPECT_EQ(index::segment_flush_docs({.words = 0, .overlap = 0}, 10000), 200u) << "whole articles of ~500 words";
    EXPECT_EQ(index::segment_flush_docs({.words = 5000, .overlap = 0}, 10000), 100u) << "at least 100 documents";
    EXPECT_EQ(index::segment_flush_docs({.words = 100, .overlap = 20}, 10), 100u);

    if (kFlushThresholdGiven) GTEST_SKIP() << "XAPIAN_FLUSH_THRESHOLD is set: it wins";
    test::TempDir tmp;
    corpus::Diagnostics diag;
    index::PipelineOptions po;
    po.threads = 2;
    {
        index::IndexPipeline p((tmp / "new").string(), {}, po, diag);
        EXPECT_STREQ(std::getenv("XAPIAN_FLUSH_THRESHOLD"), "1000") << "what Xapian reads as the segments open";
        p.abandon();
    }
    ::unsetenv("XAPIAN_FLUSH_THRESHOLD");
    const auto one = (tmp / "one").string();
    build(one, articles(30), 1, 0, 64 * 1024);
    {
        index::IndexPipeline p(one, {}, po, diag);
        EXPECT_STREQ(std::getenv("XAPIAN_FLUSH_THRESHOLD"), "10000") << "adding to an index: the budget's";
        p.abandon();
    }
    ::unsetenv("XAPIAN_FLUSH_THRESHOLD");
}

// Every shard written at once buffers its own documents (a worker that owns
// several holds one Xapian buffer for each), so the budget's flush memory is
// shared by the shards, not by the threads: --shards 8 -j 2 --memory 512
// held up to 8 x 10,000 documents (~650 MB) with the budget split by threads.
TEST(IndexPipeline, TheFlushBudgetIsSharedByEveryShardWritten) {
    test::TempDir tmp;
    index::PipelineOptions po;
    po.threads = 2;
    EXPECT_EQ(index::buffering_databases(po, (tmp / "new").string()), 2u)
        << "a new index: one temporary shard a thread";
    po.shards = 8;
    EXPECT_EQ(index::buffering_databases(po, (tmp / "new").string()), 8u);
    const auto plan = index::memory_plan(po.memory_bytes, index::buffering_databases(po, (tmp / "new").string()));
    EXPECT_LE(std::size_t(plan.flush_threshold) * 8 * 8 * 1024, po.memory_bytes / 2)
        << "eight buffers within half the budget";
    // An existing sharded index, reopened without --shards, keeps its count.
    const auto path = (tmp / "s").string();
    build(path, articles(30), 2, 3, 64 * 1024);
    po.shards = 0;
    EXPECT_EQ(index::buffering_databases(po, path), 3u);
    // An index of one database that holds documents is added to directly,
    // one writer whatever --threads: the whole flush budget is its own.
    const auto one = (tmp / "one").string();
    build(one, articles(30), 1, 0, 64 * 1024);
    EXPECT_EQ(index::buffering_databases(po, one), 1u) << "adding to an index of one database";
    po.threads = 1;
    EXPECT_EQ(index::buffering_databases(po, one), 1u);
}

// The merge of a new index opens every segment at once: the run raises the
// soft limit of open files to the hard one (at most 65,536).
TEST(IndexPipeline, TheOpenFileLimitIsRaisedToTheHardOne) {
    struct rlimit before {};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &before), 0);
    if (before.rlim_max < 512) GTEST_SKIP() << "a hard limit of " << before.rlim_max << " open files";
    struct rlimit low = before;
    low.rlim_cur = 256;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    const auto now = index::raise_open_file_limit();
    struct rlimit after {};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &after), 0);
    EXPECT_EQ(after.rlim_cur, std::min<rlim_t>(before.rlim_max, rlim_t{1} << 16));
    EXPECT_EQ(now, after.rlim_cur);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &before), 0);
}

// Each database written at once has a floor (its smallest flush and queue):
// --shards 1024 --memory 16 held 1024 x 100 documents, ~800 MB, on a budget
// of 16 MB. Refused before anything is written.
TEST(IndexPipeline, ABudgetBelowTheWritersFloorsIsRefused) {
    test::TempDir tmp;
    corpus::Diagnostics diag;
    index::PipelineOptions po;
    po.threads = 2;
    po.shards = 1024;
    po.memory_bytes = 16u << 20;
    const auto path = (tmp / "s").string();
    try {
        index::IndexPipeline p(path, {}, po, diag);
        ADD_FAILURE() << "a budget of 16 MB for 1024 writers was taken";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("--memory 16 is too little for 1024 databases"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("give --memory 2048 or more"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(path)) << "nothing written";
}

TEST(Compaction, CompactInPlaceKeepsTheDocumentsAndShrinksTheIndex) {
    test::TempDir tmp;
    const auto path = (tmp / "c").string();
    test::make_index(path, articles(200), 30, 5, /*batch=*/20);
    const auto before = trawl::directory_bytes(path);
    Xapian::WritableDatabase db(path, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
    const auto docs = db.get_doccount();
    index::compact_in_place(db, path);
    Xapian::Database after(path);
    EXPECT_EQ(after.get_doccount(), docs);
    EXPECT_LT(trawl::directory_bytes(path), before);
    for (const auto& e : std::filesystem::directory_iterator(tmp.path())) EXPECT_EQ(e.path().filename(), "c");
}

namespace {

// `n` articles of their own words (no two near duplicates), "v0".."v<n-1>".
std::vector<corpus::Article> distinct_articles(int n) {
    std::mt19937 rng(4711);
    std::vector<std::string> vocabulary;
    for (int w = 0; w < 2000; ++w) {
        std::string word;
        for (int k = 0; k < 4 + w % 5; ++k) word += static_cast<char>('a' + rng() % 26);
        vocabulary.push_back(word);
    }
    std::vector<corpus::Article> v;
    for (int i = 0; i < n; ++i) {
        std::string body;
        for (int s = 0; s < 12; ++s) {
            for (int w = 0; w < 10; ++w) body += vocabulary[rng() % vocabulary.size()] + " ";
            body += "harbour. ";
        }
        auto a = article("v" + std::to_string(i), "Harbour note " + std::to_string(i), body);
        a.date = "2024-03-01";
        v.push_back(std::move(a));
    }
    return v;
}

// Indexes `arts` as trawl-index does (cleaning, the lookups of what earlier
// runs indexed), into the layout `path` has.
index::IndexReport index_job(const std::string& path, const std::vector<corpus::Article>& arts) {
    index::IndexConfig cfg;
    cfg.db_path = path;
    cfg.summary = false;
    cfg.builder.split = {30, 5};
    cfg.pipeline.threads = 2;
    corpus::Diagnostics diag;
    return index::index_articles(cfg, index::articles_in_memory(arts), diag);
}

std::string dictionary_of(const std::string& db) { return format::read_dictionary(Xapian::Database(db)); }

// A set of 3 shards at `path` built from 400 articles but those that go to
// shard 0 (`zero`), which is left without a document.
struct SetWithoutShard0 {
    std::vector<corpus::Article> elsewhere, zero;
    std::vector<std::string> shards;
};
SetWithoutShard0 set_without_shard_0(const std::string& path) {
    SetWithoutShard0 set;
    for (auto& a : distinct_articles(400)) (format::shard_of(a.id, 3) == 0 ? set.zero : set.elsewhere).push_back(a);
    build(path, set.elsewhere, 1, 3, 64 * 1024);
    set.shards = format::shard_paths(path);
    return set;
}

}  // namespace

// A run stopped after some shards of a set committed and before others did
// leaves those without a dictionary (emulated here by taking shard 0's
// away: it holds no document). Articles that go to them took one trained on
// this run's articles, a second dictionary in the set; they take the set's.
TEST(IndexPipeline, AShardWithoutTheSetsDictionaryTakesItInsteadOfTrainingOne) {
    test::TempDir tmp;
    const auto path = (tmp / "s").string();
    const auto [elsewhere, zero, shards] = set_without_shard_0(path);
    const auto set = dictionary_of(shards[1]);
    ASSERT_FALSE(set.empty());
    {
        auto w = index::open_writable(shards[0], Xapian::DB_OPEN);
        ASSERT_EQ(w.get_doccount(), 0u);
        for (auto key : {format::kMetaDictionary, format::kMetaPositions, format::kMetaStopWords})
            w.set_metadata(std::string(key), "");
        w.commit();
    }
    ASSERT_TRUE(dictionary_of(shards[0]).empty());

    const auto report = index_job(path, zero);
    EXPECT_EQ(report.build.articles, zero.size());
    EXPECT_FALSE(report.build.dictionary_trained);
    for (const auto& shard : shards) EXPECT_TRUE(dictionary_of(shard) == set) << shard;
    EXPECT_TRUE(Xapian::Database(shards[1]).get_metadata(std::string(format::kMetaPositions)) ==
                Xapian::Database(shards[0]).get_metadata(std::string(format::kMetaPositions)))
        << "the set's positional words";
    // Every article is found unchanged by the next run.
    auto all = elsewhere;
    all.insert(all.end(), zero.begin(), zero.end());
    const auto again = index_job(path, all);
    EXPECT_EQ(again.cleaning.unchanged, all.size());
    EXPECT_EQ(again.build.articles, 0u);
}

// A set whose shards hold different dictionaries (what such a run left
// before they took the set's): each shard's stored passages are read with
// its own. A run over the same articles read every shard's with the first
// shard's dictionary and stopped at the first passage of another shard
// ("stored passage: Dictionary is corrupted"); --delete's twin restore and
// --rebuild read each shard alone.
TEST(IndexPipeline, ASetWhoseShardsHoldDifferentDictionariesIsReadShardByShard) {
    test::TempDir tmp;
    const auto path = (tmp / "s").string();
    const auto [elsewhere, zero, shards] = set_without_shard_0(path);
    {
        // Shard 0, with no document yet, given a dictionary of other text.
        std::vector<std::string> samples;
        for (int i = 0; i < 300; ++i)
            samples.push_back("Tonnage " + std::to_string(i) + " of freight was shipped through the canal locks at " +
                              std::to_string(i * 7 % 24) + " hours, said the authority in its bulletin number " +
                              std::to_string(i * 31) + " for the season.");
        const auto other = format::train_dictionary(samples);
        ASSERT_FALSE(other.empty());
        auto w = index::open_writable(shards[0], Xapian::DB_OPEN);
        ASSERT_EQ(w.get_doccount(), 0u);
        w.set_metadata(std::string(format::kMetaDictionary), other);
        w.commit();
    }
    build(path, zero, 1, 3, 64 * 1024);
    ASSERT_GT(Xapian::Database(shards[0]).get_doccount(), 0u);
    ASSERT_TRUE(dictionary_of(shards[0]) != dictionary_of(shards[1]));
    ASSERT_TRUE(dictionary_of(shards[1]) == dictionary_of(shards[2]));

    auto all = elsewhere;
    all.insert(all.end(), zero.begin(), zero.end());
    const auto again = index_job(path, all);
    EXPECT_EQ(again.cleaning.unchanged, all.size());
    EXPECT_EQ(again.build.articles, 0u);
    // A new date in every shard: the stored date read back, the article replaced.
    for (auto& a : all) a.date = "2024-03-02";
    const auto dated = index_job(path, all);
    EXPECT_EQ(dated.build.articles, all.size());
    EXPECT_EQ(dated.build.replaced, all.size());
    EXPECT_TRUE(dictionary_of(shards[0]) != dictionary_of(shards[1])) << "each shard keeps its own";
    // --rebuild reads every live passage back, each shard with its own.
    const auto rebuilt = index::rebuild_index(path, {}, nullptr);
    EXPECT_EQ(rebuilt.rebuilt, 3u);
    EXPECT_EQ(rebuilt.articles, all.size());
    EXPECT_EQ(index_job(path, all).cleaning.unchanged, all.size());
}

// A dictionary trained on a corpus of few distinct words can be under a
// KiB: the summary said "zstd with a 0 KiB dictionary" (a 60 MB text file
// of one letter per paragraph). Its bytes are given.
TEST(IndexJob, TheSummaryGivesADictionaryUnderAKibInBytes) {
    index::IndexConfig cfg;
    cfg.db_path = "x.idx";
    index::IndexReport r;
    r.build.stored_raw = 4000;
    r.build.stored_compressed = 1000;
    r.layout = "1 database";
    const auto stored_line = [&](std::size_t dictionary, bool trained) {
        r.build.dictionary_bytes = dictionary;
        r.build.dictionary_trained = trained;
        std::ostringstream out;
        index::print_summary(out, cfg, r, corpus::Diagnostics());
        const std::string s = out.str();
        const auto at = s.find("stored text ");
        return at == std::string::npos ? s : s.substr(at, s.find('\n', at) - at);
    };
    EXPECT_EQ(stored_line(612, true),
              "stored text 4.0 KB -> 1.0 KB (4.00x, zstd with a 612 B dictionary trained on this corpus)");
    EXPECT_EQ(stored_line(262144, false), "stored text 4.0 KB -> 1.0 KB (4.00x, zstd with a 256 KiB dictionary)");
    EXPECT_EQ(stored_line(0, false), "stored text 4.0 KB -> 1.0 KB (4.00x, zstd without dictionary)");
}
