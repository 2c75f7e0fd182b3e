#include "bench/bench_options.hpp"

#include "bench/plot/gnuplot.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"

namespace po = boost::program_options;

namespace trawl::bench {

void PassageArgs::add_to(po::options_description& visible) {
    // clang-format off
    visible.add_options()
        ("passage-words,w", po::value(&passage_words)->value_name("N")->default_value(passage_words),
            "passage length in words; 0 = whole articles (documents)")
        ("overlap,o", po::value(&overlap)->value_name("N")->default_value(overlap), "passage overlap in words");
    // clang-format on
}

void TimingArgs::add_to(po::options_description& visible) {
    // clang-format off
    visible.add_options()
        ("warmup", po::value(&warmup)->value_name("N")->default_value(warmup), "untimed passes over the queries")
        ("repetitions", po::value(&repetitions)->value_name("N")->default_value(repetitions), "timed passes");
    // clang-format on
}

void TimingArgs::check() const {
    if (repetitions == 0) throw UsageError("--repetitions must be at least 1");
}

void QueryGenArgs::add_to(po::options_description& visible) {
    // clang-format off
    visible.add_options()
        ("queries-per-kind", po::value(&per_kind)->value_name("N")->default_value(per_kind),
            "generated queries of each kind")
        ("seed", po::value(&seed)->value_name("S")->default_value(seed), "query generator seed");
    // clang-format on
}

void QueryGenArgs::check() const {
    if (per_kind == 0) throw UsageError("--queries-per-kind must be at least 1");
}

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
