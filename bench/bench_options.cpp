#include "bench/bench_options.hpp"

#include "bench/plot/gnuplot.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"

namespace po = boost::program_options;

namespace trawl::bench {

void PassageArgs::add_to(po::options_description& visible) {
    // clang-format off
    visible.add_options()
        ("passage-words,w", po::value(&passage_words_arg_)->value_name("N")->default_value(passage_words_arg_),
            "passage length in words; 0 = whole articles (documents)")
        ("overlap,o", po::value(&overlap_arg_)->value_name("N")->default_value(overlap_arg_),
            "passage overlap in words");
    // clang-format on
}

// trawl-index's bounds (indexer/index_options.cpp).
void PassageArgs::check() {
    passage_words = count_option("--passage-words", passage_words_arg_, 0);
    overlap = count_option("--overlap", overlap_arg_, 0);
}

void TimingArgs::add_to(po::options_description& visible) {
    // clang-format off
    visible.add_options()
        ("warmup", po::value(&warmup_arg_)->value_name("N")->default_value(warmup_arg_),
            "untimed passes over the queries")
        ("repetitions", po::value(&repetitions_arg_)->value_name("N")->default_value(repetitions_arg_),
            "timed passes");
    // clang-format on
}

// Passes over the whole query set: a thousand is hours on a real corpus.
void TimingArgs::check() {
    warmup = count_option("--warmup", warmup_arg_, 0, 1000);
    repetitions = count_option("--repetitions", repetitions_arg_, 1, 1000);
}

void QueryGenArgs::add_to(po::options_description& visible) {
    // clang-format off
    visible.add_options()
        ("queries-per-kind", po::value(&per_kind_arg_)->value_name("N")->default_value(per_kind_arg_),
            "generated queries of each kind")
        ("seed", po::value(&seed)->value_name("S")->default_value(seed), "query generator seed");
    // clang-format on
}

// A million queries of each kind is far past where the percentiles settle.
void QueryGenArgs::check() { per_kind = count_option("--queries-per-kind", per_kind_arg_, 1, 1000000); }

void ReportArgs::add_to(po::options_description& visible, const char* json_help) {
    // clang-format off
    visible.add_options()
        ("json", po::bool_switch(&json), json_help)
        ("plot", po::value(&plot_dir)->value_name("DIR"), plot::kPlotOptionHelp)
        ("quiet,q", po::bool_switch(&quiet), "no progress on stderr");
    // clang-format on
}

bool ReportArgs::progress() const { return show_progress(quiet); }

}  // namespace trawl::bench
