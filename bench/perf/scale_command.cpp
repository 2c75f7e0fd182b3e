// trawl-bench scale: how Trawl's indexing time, index size, peak RSS and query
// latency grow with the corpus. The corpus is read once; factor k indexes its
// articles k times (copy c > 0 with ids suffixed "~c", in memory, no files)
// through the trawl-index job (index_job.hpp: cleaning, then IndexPipeline;
// duplicates are not skipped, the copies being duplicates by construction) in
// a child process of its own (fork), so each factor's peak RSS is its own (it
// includes the corpus the parent holds), then times the same generated
// bag-of-words and phrase queries (drawn from the 1x passages as cleaned) on
// it, top 10 with snippets, one thread.
#include <cerrno>
#include <cstring>
#include <iomanip>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "bench/bench_options.hpp"
#include "bench/commands.hpp"
#include "bench/latency.hpp"
#include "bench/number_list.hpp"
#include "bench/perf/index_bench.hpp"
#include "bench/perf/query_bench.hpp"
#include "bench/perf/query_gen.hpp"
#include "bench/perf/scale_report.hpp"
#include "bench/plot/scale_plots.hpp"
#include "bench/scratch_dir.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/diagnostics.hpp"
#include "corpus/base/disk_usage.hpp"
#include "corpus/base/error.hpp"
#include "indexer/index_job.hpp"

namespace po = boost::program_options;

namespace trawl::bench {
namespace {

struct ScaleOptions {
    std::vector<std::string> inputs;
    PassageArgs passages;
    std::string factors = "1,2,4,8";
    QueryGenArgs generated;
    unsigned limit = 10;
    TimingArgs timing;
    unsigned index_threads = 1;
    // --limit and --index-threads as given, signed so that "-1" is not read as
    // 4294967295; checked with count_option() into the two above.
    long long limit_arg = limit, index_threads_arg = index_threads;
    ReportArgs report;
};

struct Job {
    const BenchCorpus& corpus;                // read: the articles as read; input_bytes: of the 1x articles as cleaned
    const index::IndexConfig& config;         // but for its db_path
    const std::vector<std::string>& words;    // bag-of-words queries, trawl syntax
    const std::vector<std::string>& phrases;  // phrase queries
    const ScaleOptions& o;
};

// Each article of `articles` `copies` times over, copy c > 0 with its id
// suffixed "~c", made one at a time.
class CopiesReader : public corpus::ArticleReader {
public:
    CopiesReader(const std::vector<corpus::Article>& articles, unsigned copies)
        : articles_(articles), copies_(copies) {}
    bool next(corpus::Article& out) override {
        if (next_ == articles_.size()) {
            next_ = 0;
            ++copy_;
        }
        if (articles_.empty() || copy_ >= copies_) return false;
        out = articles_[next_++];
        if (copy_ > 0) out.id += "~" + std::to_string(copy_);
        return true;
    }
    std::uint64_t bytes_read() const override { return 0; }

private:
    const std::vector<corpus::Article>& articles_;
    unsigned copies_;
    unsigned copy_ = 0;
    std::size_t next_ = 0;
};

// The articles as the job cleans them at 1x (duplicates kept, as scale's job
// keeps them): what the queries are drawn from.
std::vector<corpus::Article> cleaned(const std::vector<corpus::Article>& read, const index::CleaningOptions& opts) {
    corpus::Diagnostics quiet;
    index::Cleaner cleaner(opts, quiet);
    cleaner.learn(read);
    std::vector<corpus::Article> out;
    for (auto a : read)
        if (cleaner.process(a)) out.push_back(std::move(a));
    return out;
}

// Factor k's figures, measured in this process (the forked child).
ScaleRow measure(const Job& job, unsigned k) {
    ScaleRow row;
    row.factor = k;
    ScratchDir scratch("trawl-scale");
    const auto db = scratch.sub("trawl.idx");
    const auto before = peer_util::self_usage();
    Stopwatch sw;
    {
        corpus::Diagnostics diag;
        auto cfg = job.config;
        cfg.db_path = db;
        const auto report = index::index_articles(
            cfg, [&] { return std::make_unique<CopiesReader>(job.corpus.read, k); }, diag);
        row.articles = report.build.articles;
        row.passages = report.build.passages;
    }
    row.wall_seconds = sw.seconds();
    const auto after = peer_util::self_usage();
    row.cpu_seconds = after.cpu_seconds - before.cpu_seconds;
    row.peak_rss_bytes = after.peak_rss_bytes;
    row.index_bytes = directory_bytes(db);
    row.input_bytes = job.corpus.input_bytes * k;

    query::SearchOptions so;
    so.dbs = {db};
    const PeerRunOptions ro{job.o.limit, job.o.timing.warmup, job.o.timing.repetitions, 1, true};
    for (const auto* set : {&job.words, &job.phrases}) {
        if (set->empty()) continue;
        auto run = run_trawl(so, *set, ro);
        std::vector<double> micros;
        for (const auto& r : run.results) micros.push_back(r.latency_micros);
        auto& [p50, p99] = set == &job.words ? row.words_ms : row.phrase_ms;
        p50 = percentile(micros, 0.5) / 1e3;
        p99 = percentile(micros, 0.99) / 1e3;
    }
    return row;
}

// Runs measure() in a forked child and reads its row back through a pipe.
ScaleRow measure_in_child(const Job& job, unsigned k) {
    int fds[2];
    if (::pipe(fds) != 0) throw Error(std::string("scale: pipe: ") + std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) throw Error(std::string("scale: fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::close(fds[0]);
        std::string msg;
        int code = 0;
        try {
            msg = "ok " + scale_row_json(measure(job, k)).dump();
        } catch (const std::exception& e) {
            msg = std::string("error ") + e.what();
            code = 2;
        }
        for (std::size_t done = 0; done < msg.size();) {
            auto n = ::write(fds[1], msg.data() + done, msg.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::_exit(code);  // no destructors or atexit handlers of the parent's state
    }
    ::close(fds[1]);
    std::string msg;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        msg.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (msg.rfind("ok ", 0) != 0) {
        if (msg.rfind("error ", 0) == 0) throw Error("scale " + std::to_string(k) + "x: " + msg.substr(6));
        throw Error("scale " + std::to_string(k) + "x: the child process died (status " + std::to_string(status) + ")");
    }
    return scale_row_from_json(nlohmann::json::parse(msg.substr(3)));
}

}  // namespace

int run_scale_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    ScaleOptions o;
    po::options_description visible(
        "Usage: trawl-bench scale [options] PATH...\n\n"
        "Indexes the corpus at PATH 1x, 2x, 4x... over (copies of every article with\n"
        "ids suffixed \"~1\", \"~2\"..., made in memory) with Trawl, each factor in a child\n"
        "process of its own, and prints indexing wall/CPU seconds, peak RSS, index size\n"
        "and the p50/p99 latency of generated bag-of-words and phrase queries (top 10\n"
        "with snippets, one thread), with each figure's ratio to the first factor.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit");
    // clang-format on
    o.passages.add_to(visible);
    o.generated.add_to(visible);
    o.timing.add_to(visible);
    // clang-format off
    visible.add_options()
        ("factors", po::value(&o.factors)->value_name("K[,K...]")->default_value(o.factors), "corpus copies to index")
        ("limit,n", po::value(&o.limit_arg)->value_name("N")->default_value(o.limit_arg), "hits per query")
        ("index-threads", po::value(&o.index_threads_arg)->value_name("N")->default_value(o.index_threads_arg),
            "indexing threads (trawl-index --threads)");
    // clang-format on
    o.report.add_to(visible, "print a JSON array of rows instead of the tables");
    const auto vm = parse_command_line(argc, argv, visible, &o.inputs);
    if (vm.count("help")) {
        out << visible << "\nExample:\n  trawl-bench scale ../shared/data/reuters21578 --factors 1,2,4,8\n";
        return 0;
    }
    if (o.inputs.empty()) throw UsageError("give at least one corpus PATH");
    o.passages.check();
    o.timing.check();
    o.generated.check();
    o.limit = count_option("--limit", o.limit_arg, 1);
    o.index_threads = count_option("--index-threads", o.index_threads_arg, 1, 256);  // trawl-index's bound
    const auto factors = parse_count_list("factors", o.factors);
    const corpus::SplitOptions split = o.passages.split();
    const bool progress = o.report.progress();
    auto plots = plot::open_plot_dir(o.report.plot_dir);  // before the long run: an unwritable DIR fails now
    auto draw = [&](const std::vector<ScaleRow>& rows) {
        if (!plots) return;
        plot::write_scale_plots(*plots, {plot::corpus_name(o.inputs), plot::today_utc()}, rows);
        plot::render(*plots, err, o.report.quiet);
    };

    auto config = trawl_index_config("", split, o.index_threads);
    config.cleaning.dedup.mode = corpus::DedupMode::Off;  // copy c of an article duplicates copy 0
    auto c = read_bench_corpus(o.inputs);
    keep_articles(c, cleaned(c.read, config.cleaning), split);
    if (c.docs.empty()) throw InputError(o.inputs.front(), 0, "no passages to index");
    std::vector<std::string> words, phrases;
    for (const auto& q : generate_queries(c.docs, {o.generated.seed, o.generated.per_kind, 10})) {
        if (q.kind == PeerQuery::Kind::Words) words.push_back(q.trawl_syntax());
        if (q.kind == PeerQuery::Kind::Phrase) phrases.push_back(q.trawl_syntax());
    }
    const std::size_t articles = c.articles.size(), passages = c.docs.size();
    c.articles = {};  // the children index c.read (the job cleans it); these gave the queries
    c.docs = {};
    const Job job{c, config, words, phrases, o};
    if (!o.report.json) {
        out << "corpus: " << articles << " articles, " << passages << " passages, " << std::fixed
            << std::setprecision(1) << double(c.input_bytes) / 1e6 << std::defaultfloat
            << " MB of text at 1x (titles and bodies, each once); " << words.size() << " bag-of-words and "
            << phrases.size() << " phrase queries, top " << o.limit
            << " with snippets, one thread; cleaned as trawl-index but for --dedup off (the copies are duplicates)\n";
        print_scale_header(out);
    }
    std::vector<ScaleRow> rows;
    for (unsigned k : factors) {
        if (progress) err << "trawl-bench scale: " << k << "x" << std::endl;
        out.flush();  // before fork(), and each row as soon as it is measured
        rows.push_back(measure_in_child(job, k));
        if (!o.report.json) print_scale_row(out, rows.back());
    }
    if (o.report.json) {
        auto j = nlohmann::json::array();
        for (const auto& r : rows) j.push_back(scale_row_json(r));
        out << j.dump(2) << "\n";
        draw(rows);
        return 0;
    }
    print_scale_ratios(out, rows);
    draw(rows);
    return 0;
}

}  // namespace trawl::bench
