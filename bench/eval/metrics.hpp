// Retrieval metrics as trec_eval computes them. Pure functions over a run and
// judgments: no I/O.
//
// Conventions (trec_eval's): a query's retrieved list is re-sorted by score,
// descending, ties broken by document id, descending (lexicographic), before
// any metric is computed; the run's own order and ranks are ignored. Graded
// gain = the relevance value (values <= 0 gain nothing); binary metrics (AP,
// RR, recall) count rel > 0 as relevant. nDCG@k uses the log2(rank + 1)
// discount and the ideal ranking of all judged documents of the query.
// Queries with no relevant judgment are skipped (counted); a query that has
// relevant judgments but is absent from the run scores 0 on every metric
// (trec_eval -c) and is counted too.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bench/eval/qrels.hpp"

namespace trawl::bench {

struct QueryMetrics {
    std::string qid;
    double ndcg10 = 0;
    double ap = 0;    // average precision, full depth
    double rr10 = 0;  // reciprocal rank of the first relevant document in the top 10, else 0
    double recall100 = 0;
    double recall1000 = 0;
};

struct EvalSummary {
    std::vector<QueryMetrics> per_query;  // evaluated queries, in qid order
    double ndcg10 = 0;                    // means over per_query
    double map = 0;
    double mrr10 = 0;
    double recall100 = 0;
    double recall1000 = 0;
    std::size_t queries_evaluated = 0;         // per_query.size()
    std::size_t queries_without_relevant = 0;  // in qrels (or run) but no rel > 0 judgment: skipped
    std::size_t queries_missing_from_run = 0;  // evaluated, scored 0
};

// The documents of one query's results in trec_eval order (score desc, doc id desc).
std::vector<RunEntry> trec_order(std::vector<RunEntry> entries);

// Single-query metrics over a list already in trec_order().
double ndcg_at(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged, std::size_t k);
double average_precision(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged);
double reciprocal_rank_at(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged, std::size_t k);
double recall_at(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged, std::size_t k);

EvalSummary evaluate(const Qrels& qrels, const Run& run);

}  // namespace trawl::bench
