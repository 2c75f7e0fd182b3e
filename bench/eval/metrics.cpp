// trec_eval's measures over in-memory runs and judgments (see metrics.hpp for
// the conventions). Ranks are 1-based throughout.
#include "bench/eval/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_set>

namespace trawl::bench {
namespace {

// The judged relevance of `doc_id`; unjudged documents count as 0.
int relevance(const std::map<std::string, int>& judged, const std::string& doc_id) {
    const auto it = judged.find(doc_id);
    return it == judged.end() ? 0 : it->second;
}

std::size_t count_relevant(const std::map<std::string, int>& judged) {
    return static_cast<std::size_t>(
        std::count_if(judged.begin(), judged.end(), [](const auto& j) { return j.second > 0; }));
}

double discount(std::size_t rank) { return 1.0 / std::log2(static_cast<double>(rank) + 1.0); }

}  // namespace

// Duplicate document ids within one query's results: trec_eval refuses such a
// run; here only the first occurrence in trec order (the one with the highest
// score) is kept, so a document can be neither counted twice as relevant nor
// push a later one down.
std::vector<RunEntry> trec_order(std::vector<RunEntry> entries) {
    std::sort(entries.begin(), entries.end(), [](const RunEntry& a, const RunEntry& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.doc_id > b.doc_id;
    });
    std::vector<RunEntry> ranked;
    ranked.reserve(entries.size());
    std::unordered_set<std::string> seen;
    for (RunEntry& e : entries)
        if (seen.insert(e.doc_id).second) ranked.push_back(std::move(e));
    return ranked;
}

double ndcg_at(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged, std::size_t k) {
    double dcg = 0;
    for (std::size_t i = 0; i < std::min(k, ranked.size()); ++i)
        dcg += std::max(relevance(judged, ranked[i].doc_id), 0) * discount(i + 1);

    // The ideal ranking: every judged document with a positive gain, best first.
    std::vector<int> gains;
    for (const auto& [doc_id, rel] : judged)
        if (rel > 0) gains.push_back(rel);
    std::sort(gains.begin(), gains.end(), std::greater<>());
    double ideal = 0;
    for (std::size_t i = 0; i < std::min(k, gains.size()); ++i) ideal += gains[i] * discount(i + 1);

    return ideal > 0 ? dcg / ideal : 0;
}

double average_precision(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged) {
    const std::size_t relevant = count_relevant(judged);
    if (relevant == 0) return 0;
    double sum = 0;  // precision at the rank of each relevant document retrieved
    std::size_t found = 0;
    for (std::size_t i = 0; i < ranked.size(); ++i)
        if (relevance(judged, ranked[i].doc_id) > 0) sum += static_cast<double>(++found) / static_cast<double>(i + 1);
    return sum / static_cast<double>(relevant);
}

double reciprocal_rank_at(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged,
                          std::size_t k) {
    for (std::size_t i = 0; i < std::min(k, ranked.size()); ++i)
        if (relevance(judged, ranked[i].doc_id) > 0) return 1.0 / static_cast<double>(i + 1);
    return 0;
}

double recall_at(const std::vector<RunEntry>& ranked, const std::map<std::string, int>& judged, std::size_t k) {
    const std::size_t relevant = count_relevant(judged);
    if (relevant == 0) return 0;
    std::size_t found = 0;
    for (std::size_t i = 0; i < std::min(k, ranked.size()); ++i)
        if (relevance(judged, ranked[i].doc_id) > 0) ++found;
    return static_cast<double>(found) / static_cast<double>(relevant);
}

// A query whose result list is empty is treated as absent from the run: a run
// file has no line for it, so the counts are the same whether a run was built
// in memory or read back from its file.
EvalSummary evaluate(const Qrels& qrels, const Run& run) {
    EvalSummary s;
    for (const auto& [qid, judged] : qrels) {
        if (count_relevant(judged) == 0) {
            ++s.queries_without_relevant;
            continue;
        }
        QueryMetrics m;
        m.qid = qid;
        const auto found = run.find(qid);
        if (found == run.end() || found->second.empty()) {
            ++s.queries_missing_from_run;  // scores 0 on every measure
        } else {
            const std::vector<RunEntry> ranked = trec_order(found->second);
            m.ndcg10 = ndcg_at(ranked, judged, 10);
            m.ap = average_precision(ranked, judged);
            m.rr10 = reciprocal_rank_at(ranked, judged, 10);
            m.recall100 = recall_at(ranked, judged, 100);
            m.recall1000 = recall_at(ranked, judged, 1000);
        }
        s.ndcg10 += m.ndcg10;
        s.map += m.ap;
        s.mrr10 += m.rr10;
        s.recall100 += m.recall100;
        s.recall1000 += m.recall1000;
        s.per_query.push_back(std::move(m));  // qrels is a std::map: qid order
    }
    for (const auto& [qid, entries] : run)
        if (!entries.empty() && !qrels.contains(qid)) ++s.queries_without_relevant;

    s.queries_evaluated = s.per_query.size();
    if (s.queries_evaluated > 0) {
        const auto n = static_cast<double>(s.queries_evaluated);
        s.ndcg10 /= n;
        s.map /= n;
        s.mrr10 /= n;
        s.recall100 /= n;
        s.recall1000 /= n;
    }
    return s;
}

}  // namespace trawl::bench
