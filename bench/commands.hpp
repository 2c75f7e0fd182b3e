// trawl-bench's sub-commands. Each takes the arguments after its name and
// returns the process exit code; main.cpp only dispatches.
#pragma once

#include <ostream>

namespace trawl::bench {

// trawl-bench eval: index a test collection, run its queries, print
// nDCG@10, MAP, MRR@10, Recall@100/1000 (eval/eval_command.cpp).
int run_eval_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// trawl-bench index: indexing throughput and index size, side by side with peers (perf/index_command.cpp).
int run_index_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// trawl-bench query: query latency by query kind, side by side with peers (perf/query_command.cpp).
int run_query_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// trawl-bench compare: index + query side by side with the peers on generated queries (perf/compare_command.cpp).
int run_compare_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// trawl-bench scale: Trawl's indexing and query figures at 1x, 2x, 4x... the corpus (perf/scale_command.cpp).
int run_scale_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// trawl-bench spelling: top-1 accuracy and cost of "did you mean" on misspelled generated queries
// (perf/spelling_command.cpp).
int run_spelling_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace trawl::bench
