// trawl-index --rebuild (indexer/rebuild.hpp): an index with dead passages,
// rebuilt, holds what a fresh run over its live articles (in the same order,
// with the same dictionary and positional words) writes: every term's
// postings, positions and statistics, every document's values and length,
// the stem table and the metadata.
#include "indexer/rebuild.hpp"

#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include <xapian.h>

#include "indexer/delete_articles.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/index_pipeline.hpp"
#include "tests/testutil/index_contents.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;
namespace fs = std::filesystem;

namespace {

std::string sentences(const std::string& topic, int n) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += "The " + topic + " report number " + std::to_string(i) + " was filed in the harbour today. ";
    return s;
}

// Everything a search can see of an index, as text: collection statistics,
// each term's postings with wdf and positions, each document's length and
// values, the synonym (stem) table and the metadata.
std::string dump(const std::string& path) {
    Xapian::Database db(path);
    std::ostringstream o;
    o << "docs " << db.get_doccount() << " last " << db.get_lastdocid() << " length " << db.get_total_length() << "\n";
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        o << *t << " tf " << t.get_termfreq() << " cf " << db.get_collection_freq(*t) << ":";
        for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
            o << " " << *p << "/" << p.get_wdf();
            if (db.has_positions()) {
                o << "[";
                for (auto pos = db.positionlist_begin(*p, *t); pos != db.positionlist_end(*p, *t); ++pos)
                    o << *pos << ",";
                o << "]";
            }
        }
        o << "\n";
    }
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
        const auto doc = db.get_document(*d);
        o << "doc " << *d << " len " << db.get_doclength(*d);
        for (Xapian::valueno slot = 0; slot <= format::kSlotPairs; ++slot)
            o << " v" << slot << "=" << doc.get_value(slot);
        o << "\n";
    }
    for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
        o << "syn " << *k << ":";
        for (auto s = db.synonyms_begin(*k); s != db.synonyms_end(*k); ++s) o << " " << *s;
        o << "\n";
    }
    for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k)
        o << "meta " << *k << "=" << db.get_metadata(*k).size() << ":" << std::hash<std::string>{}(db.get_metadata(*k))
          << "\n";
    return o.str();
}

index::BuilderOptions options() {
    index::BuilderOptions o;
    o.split = {20, 5};
    o.batch_articles = 2;  // several commits
    return o;
}

}  // namespace

TEST(Rebuild, LeavesWhatAFreshRunOverTheLiveArticlesWrites) {
    test::TempDir tmp;
    const std::string old_path = (tmp / "old.idx").string();
    const std::string fresh_path = (tmp / "fresh.idx").string();
    const auto a = article("a", "Storm warning", sentences("storm", 9));
    const auto b = article("b", "Oil prices", sentences("oil", 6));
    const auto c = article("c", "Crane collapse", sentences("crane", 4));
    const auto d = article("d", "Shipping costs", sentences("shipping", 7));
    const auto e = article("e", "Cafe opens", sentences("cafe", 3));
    const auto b2 = article("b", "Oil prices fall", sentences("crude", 5));
    const auto f = article("f", "New berth", sentences("berth", 8));
    const auto d2 = article("d", "Shipping costs rise", sentences("freight", 2));
    corpus::Diagnostics diag;
    {
        index::IndexBuilder first(old_path, options(), diag);
        for (const auto& x : {a, b, c, d, e}) first.add(x);
        first.finish();
    }
    {
        index::IndexBuilder second(old_path, options(), diag);
        for (const auto& x : {b2, f, d2}) second.add(x);
        second.finish();
    }
    index::delete_articles(old_path, {"c"});
    const auto live_before = test::live_passage_ids(old_path);
    const std::uint64_t dead_before = format::Deletions::read(Xapian::Database(old_path)).passages();
    ASSERT_GT(dead_before, 0u);

    // The fresh run: the live articles in the old index's order (the
    // replacements where they were added), with its dictionary and words.
    {
        Xapian::Database old(old_path);
        const index::Trained kept = index::read_trained(old);
        index::IndexBuilder fresh(fresh_path, options(), diag);
        fresh.use_trained(kept);
        for (const auto& x : {a, e, b2, f, d2}) fresh.add(x);
        fresh.finish();
    }
    ASSERT_NE(dump(old_path), dump(fresh_path));

    const auto s = index::rebuild_index(old_path, {}, nullptr);
    EXPECT_EQ(s.databases, 1u);
    EXPECT_EQ(s.rebuilt, 1u);
    EXPECT_EQ(s.articles, 5u);
    EXPECT_EQ(s.passages, live_before.size());
    EXPECT_EQ(s.dead_passages, dead_before);
    EXPECT_LT(s.bytes_after, s.bytes_before);
    EXPECT_EQ(dump(old_path), dump(fresh_path));
    EXPECT_EQ(test::live_passage_ids(old_path), live_before);
    EXPECT_TRUE(format::Deletions::read(Xapian::Database(old_path)).empty());
    // Nothing is left beside the index.
    for (const auto& entry : fs::directory_iterator(tmp.path()))
        EXPECT_FALSE(entry.path().filename().string().starts_with(".old.idx.trawl-")) << entry.path();

    // A later run over the sources still finds its articles unchanged or
    // replaces them, as before the rebuild.
    {
        index::IndexBuilder third(old_path, options(), diag);
        third.add(article("a", "Storm warning lifted", sentences("calm", 1)));
        third.finish();
    }
    EXPECT_EQ(test::live_passages_of(old_path, "a"), 1u);
    EXPECT_EQ(format::Deletions::read(Xapian::Database(old_path)).articles(), 1u);
}

TEST(Rebuild, WrittenInSeveralSegmentsLeavesWhatAFreshRunWrites) {
    // A rebuild writes its fresh database as a new index's temporary shard
    // is written: its passages in segments, all merged by the compaction.
    // With 1 MB of memory a segment holds 200 passages (twice the smallest
    // flush), so the more than 400 live passages here take at least three.
    test::TempDir tmp;
    const std::string old_path = (tmp / "old.idx").string();
    const std::string fresh_path = (tmp / "fresh.idx").string();
    std::vector<corpus::Article> first, second, live;
    for (int i = 0; i < 30; ++i)
        first.push_back(article("id" + std::to_string(i), "Title " + std::to_string(i),
                                sentences("topic" + std::to_string(i), 16 + i % 5)));
    second.push_back(article("id5", "Title 5 again", sentences("again", 9)));
    corpus::Diagnostics diag;
    {
        index::IndexBuilder b(old_path, options(), diag);
        for (const auto& x : first) b.add(x);
        b.finish();
    }
    {
        index::IndexBuilder b(old_path, options(), diag);
        for (const auto& x : second) b.add(x);
        b.finish();
    }
    index::delete_articles(old_path, {"id11"});
    for (const auto& x : first)
        if (x.id != "id5" && x.id != "id11") live.push_back(x);
    live.push_back(second.front());
    {
        Xapian::Database old(old_path);
        index::IndexBuilder fresh(fresh_path, options(), diag);
        fresh.use_trained(index::read_trained(old));
        for (const auto& x : live) fresh.add(x);
        fresh.finish();
    }
    const auto live_before = test::live_passage_ids(old_path);
    ASSERT_GT(live_before.size(), 2 * 200u) << "the test wants at least three segments";

    index::RebuildOptions ro;
    ro.memory_bytes = std::size_t{1} << 20;
    const auto s = index::rebuild_index(old_path, ro, nullptr);
    EXPECT_EQ(s.rebuilt, 1u);
    EXPECT_EQ(s.passages, live_before.size());
    EXPECT_EQ(dump(old_path), dump(fresh_path));
    EXPECT_EQ(test::live_passage_ids(old_path), live_before);
    for (const auto& entry : fs::directory_iterator(tmp.path()))
        EXPECT_FALSE(entry.path().filename().string().starts_with(".old.idx.trawl-")) << entry.path();
}

TEST(Rebuild, AnIndexWithoutDeadPassagesIsLeftAsItIs) {
    test::TempDir tmp;
    const std::string path = (tmp / "i.idx").string();
    test::make_index(path, {article("a", "A", sentences("storm", 5)), article("b", "B", sentences("oil", 5))}, 20, 5);
    const auto uuid = Xapian::Database(path).get_uuid();
    const auto before = dump(path);
    const auto s = index::rebuild_index(path, {}, nullptr);
    EXPECT_EQ(s.databases, 1u);
    EXPECT_EQ(s.rebuilt, 0u);
    EXPECT_EQ(Xapian::Database(path).get_uuid(), uuid);
    EXPECT_EQ(dump(path), before);
}

TEST(Rebuild, AShardedIndexIsRebuiltShardByShardAndKeepsItsShardSet) {
    test::TempDir tmp;
    const std::string path = (tmp / "sharded.idx").string();
    std::vector<corpus::Article> articles;
    for (int i = 0; i < 12; ++i)
        articles.push_back(article("id" + std::to_string(i), "Title " + std::to_string(i),
                                   sentences("topic" + std::to_string(i), 3 + i % 4)));
    corpus::Diagnostics diag;
    index::PipelineOptions po;
    po.threads = 2;
    po.shards = 3;
    {
        index::IndexPipeline p(path, options(), po, diag);
        for (const auto& x : articles) p.add(x);
        p.finish();
    }
    // One article replaced and one deleted: at most two shards get dead passages.
    {
        index::IndexPipeline p(path, options(), po, diag);
        p.add(article("id3", "Title 3 again", sentences("again", 2)));
        p.finish();
    }
    index::delete_articles(path, {"id7"});
    const auto shards = format::shard_paths(path);
    ASSERT_EQ(shards.size(), 3u);
    std::vector<std::string> uuids;
    std::uint64_t with_dead = 0;
    for (const auto& sp : shards) {
        Xapian::Database db(sp);
        uuids.push_back(db.get_uuid());
        with_dead += format::Deletions::read(db).empty() ? 0 : 1;
    }
    ASSERT_GE(with_dead, 1u);
    ASSERT_LT(with_dead, 3u) << "the test wants a shard without dead passages";
    const auto live_before = test::live_passage_ids(path);
    const auto hits_before = test::live_postings(path, "harbour");

    const auto s = index::rebuild_index(path, {}, nullptr);
    EXPECT_EQ(s.databases, 3u);
    EXPECT_EQ(s.rebuilt, with_dead);
    // shard_paths() checks the stub against the shard set each shard records.
    const auto after = format::shard_paths(path);
    ASSERT_EQ(after, shards);
    for (std::size_t i = 0; i < after.size(); ++i) {
        Xapian::Database db(after[i]);
        EXPECT_TRUE(format::Deletions::read(db).empty()) << after[i];
        EXPECT_EQ(db.get_doccount(), format::live_passage_count(db)) << after[i];
        EXPECT_FALSE(db.get_metadata(std::string(format::kMetaShards)).empty()) << after[i];
        EXPECT_EQ(db.get_metadata(std::string(format::kMetaShard)), std::to_string(i));
    }
    std::uint64_t untouched = 0;
    for (std::size_t i = 0; i < after.size(); ++i) untouched += Xapian::Database(after[i]).get_uuid() == uuids[i];
    EXPECT_EQ(untouched, 3 - with_dead);
    EXPECT_EQ(test::live_passage_ids(path), live_before);
    EXPECT_EQ(test::live_postings(path, "harbour"), hits_before);
    EXPECT_EQ(test::live_passages_of(path, "id7"), 0u);
    EXPECT_EQ(Xapian::Database(path).get_termfreq("again"), test::live_postings(path, "again"));
}
