// Unicode NFC at the cleaning step (Cleaner::process): the same text in
// decomposed and precomposed form is one article's text, one content hash and
// one set of terms; ids stay as spelled; an index an earlier Trawl built from
// decomposed text is re-indexed by the next run.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/diagnostics.hpp"
#include "indexer/cleaning.hpp"
#include "indexer/index_job.hpp"
#include "tests/testutil/index_contents.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

const std::string kNfc = "caf\xC3\xA9";   // "café", precomposed U+00E9
const std::string kNfd = "cafe\xCC\x81";  // "cafe" + U+0301 COMBINING ACUTE ACCENT
const std::string kNfdId = "menu/cafe\xCC\x81-1";

std::string body(const std::string& word) {
    return "The " + word + " on the harbour opened its doors on Monday. Every " + word +
           " in town was full by noon, the owners said. Fishermen came for the coffee and stayed for the cake.";
}

}  // namespace

TEST(CleanerNfc, DecomposedAndPrecomposedCopiesAreExactDuplicates) {
    corpus::Diagnostics diag;
    index::Cleaner cleaner({}, diag);
    auto nfc = article("a-nfc", "The " + kNfc + " reopens", body(kNfc));
    auto nfd = article(kNfdId, "The " + kNfd + " reopens", body(kNfd));
    nfd.source = "Le " + kNfd;
    const std::vector<corpus::Article> arts = {nfc, nfd};
    cleaner.learn(arts);
    ASSERT_TRUE(cleaner.process(nfc));
    EXPECT_FALSE(cleaner.process(nfd)) << "the NFD copy is the same text";
    EXPECT_EQ(cleaner.stats().exact, 1u);
    ASSERT_EQ(cleaner.stats().examples.size(), 1u);
    EXPECT_EQ(cleaner.stats().examples[0], kNfdId + " = a-nfc (exact)") << "the id as spelled, decomposed";

    // What process() leaves: title, body and source in NFC, the id as read.
    EXPECT_EQ(nfd.id, kNfdId);
    EXPECT_EQ(nfd.title, "The " + kNfc + " reopens");
    EXPECT_EQ(nfd.body, body(kNfc));
    EXPECT_EQ(nfd.source, "Le " + kNfc);
}

TEST(CleanerNfc, TheDecomposedCopyIsTheOneKeptWhenItComesFirst) {
    corpus::Diagnostics diag;
    index::Cleaner cleaner({}, diag);
    auto nfd = article(kNfdId, "Harbour " + kNfd, body(kNfd));
    auto nfc = article("b-nfc", "Harbour " + kNfc, body(kNfc));
    ASSERT_TRUE(cleaner.process(nfd));
    EXPECT_EQ(nfd.id, kNfdId);
    EXPECT_EQ(nfd.body, body(kNfc));
    EXPECT_FALSE(cleaner.process(nfc));
    ASSERT_EQ(cleaner.stats().examples.size(), 1u);
    EXPECT_EQ(cleaner.stats().examples[0], "b-nfc = " + kNfdId + " (exact)");
}

// An index built before NFC holds the decomposed terms of a decomposed
// article (here made by the builder alone, which never normalises, as the
// earlier cleaner did not): the next run over the same input finds its
// content hash changed, so it re-indexes the article in NFC instead of
// skipping it as unchanged, and the old passages are gone.
TEST(CleanerNfc, AnArticleIndexedDecomposedIsReindexedByTheNextRun) {
    test::TempDir tmp;
    const std::string db = (tmp / "old.idx").string();
    const auto old = article(kNfdId, "The " + kNfd + " reopens", body(kNfd));
    test::make_index(db, {old});
    ASSERT_GT(test::live_postings(db, kNfd), 0u) << "the old index holds the decomposed word";
    const std::size_t passages = test::live_passages_of(db, kNfdId);
    ASSERT_GT(passages, 0u);

    index::IndexConfig cfg;
    cfg.db_path = db;
    cfg.summary = false;
    corpus::Diagnostics diag;
    const std::vector<corpus::Article> again = {old};
    const auto report = index::index_articles(cfg, index::articles_in_memory(again), diag);
    EXPECT_EQ(report.cleaning.unchanged, 0u) << "not skipped as unchanged: its text is not what is indexed";
    EXPECT_EQ(report.build.articles, 1u);
    EXPECT_EQ(report.build.replaced, 1u);
    EXPECT_EQ(test::live_postings(db, kNfd), 0u);
    EXPECT_GT(test::live_postings(db, kNfc), 0u);
    EXPECT_EQ(test::live_passages_of(db, kNfdId), passages) << "replaced under its id, as spelled";

    // A third run finds it unchanged.
    corpus::Diagnostics diag2;
    const auto third = index::index_articles(cfg, index::articles_in_memory(again), diag2);
    EXPECT_EQ(third.cleaning.unchanged, 1u);
}
