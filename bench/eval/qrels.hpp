// Relevance judgments and run files: what a test collection says is relevant
// and what an engine returned, in the shapes trec_eval reads.
#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace trawl::bench {

// qid -> docid -> graded relevance (> 0 relevant, <= 0 judged not relevant).
using Qrels = std::map<std::string, std::map<std::string, int>>;

// Reads judgments, one per line, whitespace separated:
//   "qid docid rel"            (3 columns: Cranfield's cranqrel, BEIR's qrels/*.tsv)
//   "qid iter docid rel"       (4 columns: TREC qrels; iter ignored)
// A first line whose last column is a word, without a digit, is a header
// (BEIR's "query-id corpus-id score") and is skipped; blank lines are
// skipped. Any other malformed line, a first line "q1 d1 1.0" included,
// throws InputError naming path and line. `check` (if given) may reject a
// judgment: it returns why (the InputError's message, with path and line),
// or "" to keep it.
Qrels read_qrels(const std::string& path,
                 const std::function<std::string(const std::string& qid, const std::string& doc, int rel)>& check = {});

struct RunEntry {
    std::string doc_id;
    double score = 0;
};
// qid -> retrieved documents, best first (as the engine ranked them).
using Run = std::map<std::string, std::vector<RunEntry>>;

// "qid Q0 docid rank score tag" lines, ranks from 1 in the stored order.
void write_trec_run(std::ostream& out, const Run& run, const std::string& tag);
// Reads a TREC run file (6 columns); throws InputError naming path and line.
Run read_trec_run(const std::string& path);

}  // namespace trawl::bench
