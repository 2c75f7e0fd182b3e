#include "bench/eval/metrics.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace trawl::bench {
namespace {

constexpr double kEps = 1e-9;

std::vector<std::string> ids(const std::vector<RunEntry>& entries) {
    std::vector<std::string> out;
    for (const RunEntry& e : entries) out.push_back(e.doc_id);
    return out;
}

// Judgments shared by the single-query tests: graded gains 3 > 2 > 1, one
// judged non-relevant (0) and one judged negative (-1, gains nothing).
// Relevant (rel > 0): A, C, D -> 3 relevant documents.
const std::map<std::string, int> kJudged = {{"A", 3}, {"B", 0}, {"C", 1}, {"D", 2}, {"N", -1}};

// Already in trec order (distinct, descending scores): B A E C. E is unjudged.
// Relevance by rank: 1:B=0  2:A=3  3:E=0  4:C=1. D is never retrieved.
const std::vector<RunEntry> kRanked = {{"B", 4}, {"A", 3}, {"E", 2}, {"C", 1}};

TEST(TrecOrder, SortsByScoreThenDocIdDescending) {
    // The run's own order is ignored. Scores 2 tie between "c" and "d": "d" > "c", so d first;
    // scores 1 tie between "a", "b", "10" and "9": lexicographic descending is 9, b, a, 10
    // ('9' > '1', and digits sort before letters: "b" > "a" > "9" > "10").
    const auto ranked = trec_order({{"a", 1}, {"c", 2}, {"10", 1}, {"b", 1}, {"d", 2}, {"9", 1}});
    EXPECT_EQ(ids(ranked), (std::vector<std::string>{"d", "c", "b", "a", "9", "10"}));
}

TEST(TrecOrder, KeepsFirstOccurrenceOfDuplicateAfterSorting) {
    // Sorted: x(5) y(3) x(1) -> the second x (score 1) is dropped; the kept x has score 5.
    const auto ranked = trec_order({{"x", 1}, {"y", 3}, {"x", 5}});
    ASSERT_EQ(ids(ranked), (std::vector<std::string>{"x", "y"}));
    EXPECT_NEAR(ranked[0].score, 5.0, kEps);
}

TEST(TrecOrder, EmptyStaysEmpty) { EXPECT_TRUE(trec_order({}).empty()); }

TEST(Ndcg, GradedGainsAgainstIdealOfAllJudged) {
    // DCG@10  = 0/log2(2) + 3/log2(3) + 0/log2(4) + 1/log2(5)
    //         = 1.892789261 + 0.430676558 = 2.323465819
    // IDCG@10 from judged gains sorted 3, 2, 1 (B's 0 and N's -1 gain nothing):
    //         = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.261859507 + 0.5 = 4.761859507
    // nDCG@10 = 2.323465819 / 4.761859507 = 0.487932...
    const double expected = (3 / std::log2(3.0) + 1 / std::log2(5.0)) / (3 + 2 / std::log2(3.0) + 0.5);
    EXPECT_NEAR(ndcg_at(kRanked, kJudged, 10), expected, kEps);
    EXPECT_NEAR(ndcg_at(kRanked, kJudged, 10), 0.48793, 1e-5);
}

TEST(Ndcg, CutoffAppliesToRunAndIdeal) {
    // DCG@2 = 0 + 3/log2(3) = 1.892789261; IDCG@2 = 3 + 2/log2(3) = 4.261859507; ratio 0.444123...
    EXPECT_NEAR(ndcg_at(kRanked, kJudged, 2), (3 / std::log2(3.0)) / (3 + 2 / std::log2(3.0)), kEps);
    // k = 1: B (gain 0) at rank 1 -> 0.
    EXPECT_NEAR(ndcg_at(kRanked, kJudged, 1), 0.0, kEps);
}

TEST(Ndcg, KLargerThanListSumsWhatThereIs) {
    // 4 retrieved, k = 100: DCG as at k = 10. The ideal list has only 3 positive gains, so
    // IDCG@100 = IDCG@10 = 4.761859507 too.
    EXPECT_NEAR(ndcg_at(kRanked, kJudged, 100), ndcg_at(kRanked, kJudged, 10), kEps);
}

TEST(Ndcg, PerfectRankingIsOne) {
    // A(3) D(2) C(1): DCG equals IDCG = 4.761859507 -> 1.
    const std::vector<RunEntry> perfect = {{"A", 3}, {"D", 2}, {"C", 1}};
    EXPECT_NEAR(ndcg_at(perfect, kJudged, 10), 1.0, kEps);
}

TEST(AveragePrecision, DividesByAllRelevantJudged) {
    // Relevant at rank 2 (A: precision 1/2) and rank 4 (C: precision 2/4); D not retrieved.
    // AP = (1/2 + 2/4) / 3 relevant = 1/3.
    EXPECT_NEAR(average_precision(kRanked, kJudged), 1.0 / 3, kEps);
}

TEST(ReciprocalRank, FirstRelevantWithinCutoff) {
    // First relevant is A at rank 2 -> 1/2; with k = 1 only B (rel 0) is seen -> 0.
    EXPECT_NEAR(reciprocal_rank_at(kRanked, kJudged, 10), 0.5, kEps);
    EXPECT_NEAR(reciprocal_rank_at(kRanked, kJudged, 1), 0.0, kEps);
}

TEST(Recall, RelevantRetrievedInTopKOverAllRelevant) {
    // Top 2: A -> 1/3. Top 4 (and k = 100 > list length): A, C -> 2/3.
    EXPECT_NEAR(recall_at(kRanked, kJudged, 2), 1.0 / 3, kEps);
    EXPECT_NEAR(recall_at(kRanked, kJudged, 4), 2.0 / 3, kEps);
    EXPECT_NEAR(recall_at(kRanked, kJudged, 100), 2.0 / 3, kEps);
}

TEST(SingleQuery, EmptyListScoresZero) {
    const std::vector<RunEntry> none;
    EXPECT_NEAR(ndcg_at(none, kJudged, 10), 0.0, kEps);
    EXPECT_NEAR(average_precision(none, kJudged), 0.0, kEps);
    EXPECT_NEAR(reciprocal_rank_at(none, kJudged, 10), 0.0, kEps);
    EXPECT_NEAR(recall_at(none, kJudged, 100), 0.0, kEps);
}

TEST(SingleQuery, NoRelevantJudgmentScoresZero) {
    // No rel > 0: IDCG = 0 and no relevant to divide by; every measure is 0, not NaN.
    const std::map<std::string, int> judged = {{"B", 0}, {"N", -1}};
    EXPECT_NEAR(ndcg_at(kRanked, judged, 10), 0.0, kEps);
    EXPECT_NEAR(average_precision(kRanked, judged), 0.0, kEps);
    EXPECT_NEAR(reciprocal_rank_at(kRanked, judged, 10), 0.0, kEps);
    EXPECT_NEAR(recall_at(kRanked, judged, 100), 0.0, kEps);
}

TEST(Evaluate, ScoreTiesAreBrokenByDocIdNotRunOrder) {
    // The engine put d1 first, but both score 5 and "d2" > "d1", so trec order is d2, d1:
    // the one relevant document d1 is at rank 2.
    // nDCG@10 = (1/log2(3)) / (1/log2(2)) = 0.630929754; AP = (1/2) / 1; RR@10 = 1/2; recall = 1.
    const Qrels qrels = {{"q", {{"d1", 1}}}};
    const bench::Run run = {{"q", {{"d1", 5}, {"d2", 5}}}};
    const EvalSummary s = evaluate(qrels, run);
    ASSERT_EQ(s.per_query.size(), 1u);
    EXPECT_NEAR(s.per_query[0].ndcg10, 1 / std::log2(3.0), kEps);
    EXPECT_NEAR(s.per_query[0].ap, 0.5, kEps);
    EXPECT_NEAR(s.per_query[0].rr10, 0.5, kEps);
    EXPECT_NEAR(s.per_query[0].recall100, 1.0, kEps);
}

TEST(Evaluate, DuplicatesCountOnce) {
    // d1 d2 d3 are relevant. Sorted: d1(3) d2(2) d1(1) -> the d1 at score 1 is dropped.
    // AP = (1/1 + 2/2) / 3 = 2/3 (counting d1 twice would give (1 + 1 + 1) / 3 = 1).
    // recall@100 = 2/3 (not 3/3). RR@10 = 1.
    const Qrels qrels = {{"q", {{"d1", 1}, {"d2", 1}, {"d3", 1}}}};
    const bench::Run run = {{"q", {{"d1", 1}, {"d2", 2}, {"d1", 3}}}};
    const EvalSummary s = evaluate(qrels, run);
    ASSERT_EQ(s.per_query.size(), 1u);
    EXPECT_NEAR(s.per_query[0].ap, 2.0 / 3, kEps);
    EXPECT_NEAR(s.per_query[0].recall100, 2.0 / 3, kEps);
    EXPECT_NEAR(s.per_query[0].rr10, 1.0, kEps);
}

TEST(Evaluate, MeansSkippedAndMissingQueries) {
    // q1: relevant d1 (2), d2 (1); d3 judged 0.
    //   Run order d3(9) d1(7) d9(7) d2(1); the tie at 7 puts d9 before d1 ("d9" > "d1"):
    //   rank 1 d3=0, 2 d9=unjudged, 3 d1=2, 4 d2=1.
    //   nDCG@10 = (2/log2(4) + 1/log2(5)) / (2/log2(2) + 1/log2(3))
    //           = (1 + 0.430676558) / (2 + 0.630929754) = 1.430676558 / 2.630929754 = 0.543791...
    //   AP = (1/3 + 2/4) / 2 = 5/12; RR@10 = 1/3; recall@100 = recall@1000 = 2/2 = 1.
    // q2: relevant d5, absent from the run -> evaluated, all 0, counted as missing.
    // q3: only a rel-0 judgment -> skipped, counted as without relevant.
    // q4: in the run, not in the qrels -> skipped, counted as without relevant.
    // q5: relevant d1, present in the run with an empty list -> treated as missing.
    const Qrels qrels = {
        {"q1", {{"d1", 2}, {"d2", 1}, {"d3", 0}}},
        {"q2", {{"d5", 1}}},
        {"q3", {{"d7", 0}}},
        {"q5", {{"d1", 1}}},
    };
    const bench::Run run = {
        {"q1", {{"d3", 9}, {"d1", 7}, {"d9", 7}, {"d2", 1}}},
        {"q4", {{"d1", 1}}},
        {"q5", {}},
    };
    const EvalSummary s = evaluate(qrels, run);

    EXPECT_EQ(s.queries_evaluated, 3u);
    EXPECT_EQ(s.queries_without_relevant, 2u);
    EXPECT_EQ(s.queries_missing_from_run, 2u);
    ASSERT_EQ(s.per_query.size(), 3u);
    EXPECT_EQ(s.per_query[0].qid, "q1");
    EXPECT_EQ(s.per_query[1].qid, "q2");
    EXPECT_EQ(s.per_query[2].qid, "q5");

    const double q1_ndcg = (2 / std::log2(4.0) + 1 / std::log2(5.0)) / (2 + 1 / std::log2(3.0));
    EXPECT_NEAR(q1_ndcg, 0.543791, 1e-6);
    const QueryMetrics& q1 = s.per_query[0];
    EXPECT_NEAR(q1.ndcg10, q1_ndcg, kEps);
    EXPECT_NEAR(q1.ap, 5.0 / 12, kEps);
    EXPECT_NEAR(q1.rr10, 1.0 / 3, kEps);
    EXPECT_NEAR(q1.recall100, 1.0, kEps);
    EXPECT_NEAR(q1.recall1000, 1.0, kEps);
    for (const QueryMetrics& missing : {s.per_query[1], s.per_query[2]}) {
        EXPECT_NEAR(missing.ndcg10, 0.0, kEps);
        EXPECT_NEAR(missing.ap, 0.0, kEps);
        EXPECT_NEAR(missing.rr10, 0.0, kEps);
        EXPECT_NEAR(missing.recall100, 0.0, kEps);
        EXPECT_NEAR(missing.recall1000, 0.0, kEps);
    }

    // Means over the 3 evaluated queries (q1, and two zeros).
    EXPECT_NEAR(s.ndcg10, q1_ndcg / 3, kEps);
    EXPECT_NEAR(s.map, (5.0 / 12) / 3, kEps);   // 5/36
    EXPECT_NEAR(s.mrr10, (1.0 / 3) / 3, kEps);  // 1/9
    EXPECT_NEAR(s.recall100, 1.0 / 3, kEps);
    EXPECT_NEAR(s.recall1000, 1.0 / 3, kEps);
}

TEST(Evaluate, RecallCutoffsDifferBeyondHundred) {
    // Two relevant documents: r1 at rank 1 and r2 at rank 150 (148 unjudged fillers
    // f100..f247 at ranks 2..149; the descending scores keep the run order). recall@100 = 1/2, recall@1000 = 2/2.
    // AP = (1/1 + 2/150) / 2 = 0.506666...; RR@10 = 1.
    std::vector<RunEntry> entries = {{"r1", 1000}};
    for (int i = 0; i < 148; ++i) entries.push_back({"f" + std::to_string(100 + i), 999.0 - i});
    entries.push_back({"r2", 1});
    const EvalSummary s = evaluate({{"q", {{"r1", 1}, {"r2", 1}}}}, {{"q", entries}});
    ASSERT_EQ(s.per_query.size(), 1u);
    EXPECT_NEAR(s.recall100, 0.5, kEps);
    EXPECT_NEAR(s.recall1000, 1.0, kEps);
    EXPECT_NEAR(s.map, (1.0 + 2.0 / 150) / 2, kEps);
    EXPECT_NEAR(s.mrr10, 1.0, kEps);
}

TEST(Evaluate, EmptyRunScoresEveryJudgedQueryZero) {
    // Both queries have a relevant document and neither is in the run: evaluated as 0, both missing.
    const Qrels qrels = {{"q1", {{"d1", 1}}}, {"q2", {{"d2", 3}}}};
    const EvalSummary s = evaluate(qrels, bench::Run{});
    EXPECT_EQ(s.queries_evaluated, 2u);
    EXPECT_EQ(s.queries_missing_from_run, 2u);
    EXPECT_EQ(s.queries_without_relevant, 0u);
    EXPECT_NEAR(s.ndcg10, 0.0, kEps);
    EXPECT_NEAR(s.map, 0.0, kEps);
    EXPECT_NEAR(s.mrr10, 0.0, kEps);
    EXPECT_NEAR(s.recall100, 0.0, kEps);
    EXPECT_NEAR(s.recall1000, 0.0, kEps);
}

TEST(Evaluate, NothingToEvaluateGivesZeroMeans) {
    // No query has a relevant judgment: nothing evaluated, means stay 0 (no division by zero).
    const EvalSummary s = evaluate({{"q", {{"d", 0}}}}, {{"q", {{"d", 1}}}});
    EXPECT_EQ(s.queries_evaluated, 0u);
    EXPECT_EQ(s.queries_without_relevant, 1u);
    EXPECT_TRUE(s.per_query.empty());
    EXPECT_NEAR(s.ndcg10, 0.0, kEps);
    EXPECT_NEAR(s.map, 0.0, kEps);
}

}  // namespace
}  // namespace trawl::bench
