// Lucene 8 peer: the engine behind Anserini, the reference BM25 baseline of
// IR papers. It reproduces Anserini's configuration (EnglishAnalyzer with
// Porter stemming and English stop words, BM25Similarity(k1 = 0.9, b = 0.4),
// one positional "contents" field = title + text, stored id and text, no
// forceMerge) so Trawl's figures compare with the published ones.
// Lucene runs as a separate JVM per build()/search() (the driver is
// bench/peers/lucene/TrawlLucene.java, compiled at build time); times are
// taken inside the JVM, so start-up and the pipe are excluded, and peak RSS
// is the JVM's. Snippets: a UnifiedHighlighter over the stored text.
#include "bench/child_process.hpp"
#include "bench/peers/peer.hpp"
#include "corpus/base/disk_usage.hpp"
#include "corpus/base/error.hpp"

#ifdef TRAWL_LUCENE_CLASSPATH

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>

namespace trawl::bench {
namespace {

namespace fs = std::filesystem;

// Set by bench/CMakeLists.txt: the JVM, and the Lucene jars plus the compiled driver.
constexpr const char* kJava = TRAWL_JAVA;
constexpr const char* kClasspath = TRAWL_LUCENE_CLASSPATH;

// The escaped TSV shared with TrawlLucene.java: tab-separated fields, one
// record a line, backslash, tab, newline and carriage return written \\ \t \n \r.
std::string escape(std::string_view s) {
    std::string e;
    e.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '\\':
                e += "\\\\";
                break;
            case '\t':
                e += "\\t";
                break;
            case '\n':
                e += "\\n";
                break;
            case '\r':
                e += "\\r";
                break;
            default:
                e += c;
        }
    }
    return e;
}

std::string unescape(std::string_view s) {
    std::string u;
    u.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size()) {
            c = s[++i];
            c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        }
        u += c;
    }
    return u;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
        std::size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab - start));
        if (tab == std::string_view::npos) return fields;
        start = tab + 1;
    }
}

const char* kind_name(PeerQuery::Kind kind) {
    switch (kind) {
        case PeerQuery::Kind::Words:
            return "words";
        case PeerQuery::Kind::Phrase:
            return "phrase";
        case PeerQuery::Kind::Near:
            return "near";
        case PeerQuery::Kind::Adj:
            return "adj";
    }
    throw Error("lucene peer: unknown query kind");
}

double to_double(std::string_view s, const std::string& line) {
    try {
        return std::stod(std::string(s));
    } catch (const std::logic_error&) {
        throw Error("lucene peer: bad number '" + std::string(s) + "' in driver output: " + line);
    }
}

struct DriverRun {
    std::string out;
    std::uint64_t peak_rss_bytes = 0;
};

// Runs `java -cp CLASSPATH TrawlLucene args...` (no shell) with stdout and
// stderr in files inside `dir`; throws with the driver's stderr if it fails.
DriverRun run_driver(const fs::path& dir, const std::vector<std::string>& args) {
    std::vector<std::string> command = {kJava, "-cp", kClasspath, "TrawlLucene"};
    command.insert(command.end(), args.begin(), args.end());
    const fs::path out_path = dir / "driver.out", err_path = dir / "driver.err";
    const ChildRun run = run_child(command, out_path, err_path);
    if (run.error != 0 && !run.waited)
        throw Error(std::string("lucene peer: cannot run ") + kJava + ": " + std::strerror(run.error));
    if (run.error != 0) throw Error(std::string("lucene peer: waiting for java: ") + std::strerror(run.error));
    if (!run.exited || run.code != 0)
        throw Error("lucene peer: TrawlLucene " + args.front() + " " + run.how() + ":\n" + read_whole_file(err_path));
    return {read_whole_file(out_path), run.peak_rss_bytes};
}

class LucenePeer final : public Peer {
public:
    std::string name() const override { return "lucene-8"; }

    std::string notes() const override {
        return "Anserini BM25 (k1=0.9, b=0.4), EnglishAnalyzer; no forceMerge; "
               "times exclude JVM start-up; peak RSS is the JVM's";
    }

    PeerIndexReport build(const std::vector<PeerDoc>& docs, const std::string& dir, unsigned threads) override {
        dir_ = dir;
        fs::create_directories(dir_);
        fs::remove_all(index_dir());
        const fs::path docs_path = dir_ / "docs.tsv";
        {
            std::ofstream tsv(docs_path, std::ios::binary);
            for (const auto& doc : docs)
                tsv << escape(doc.id) << '\t' << escape(doc.title) << '\t' << escape(doc.text) << '\n';
            if (!tsv.flush()) throw Error("lucene peer: cannot write " + docs_path.string());
        }
        DriverRun run = run_driver(
            dir_, {"index", index_dir().string(), docs_path.string(), std::to_string(std::max(threads, 1u))});
        fs::remove(docs_path);

        // "docs=N wall_seconds=W cpu_seconds=C"
        std::map<std::string, std::string> figures;
        std::istringstream words(run.out);
        for (std::string word; words >> word;)
            if (auto eq = word.find('='); eq != std::string::npos) figures[word.substr(0, eq)] = word.substr(eq + 1);
        for (const char* key : {"docs", "wall_seconds", "cpu_seconds"})
            if (!figures.contains(key)) throw Error("lucene peer: no " + std::string(key) + " in: " + run.out);
        if (figures["docs"] != std::to_string(docs.size()))
            throw Error("lucene peer: indexed " + figures["docs"] + " of " + std::to_string(docs.size()) + " docs");

        PeerIndexReport report;
        report.wall_seconds = to_double(figures["wall_seconds"], run.out);
        report.cpu_seconds = to_double(figures["cpu_seconds"], run.out);
        report.index_bytes = directory_bytes(index_dir().string());
        report.peak_rss_bytes = run.peak_rss_bytes;
        return report;
    }

    PeerRun run(const std::vector<PeerQuery>& queries, const PeerRunOptions& opts) override {
        if (dir_.empty()) throw Error("lucene peer: search() called before build()");
        const fs::path queries_path = dir_ / "queries.tsv";
        {
            std::ofstream tsv(queries_path, std::ios::binary);
            for (const auto& q : queries) {
                if (q.terms.empty()) throw Error("lucene peer: query " + q.id + " has no terms");
                tsv << escape(q.id) << '\t' << kind_name(q.kind) << '\t' << q.distance;
                for (const auto& term : q.terms) tsv << '\t' << escape(term);
                tsv << '\n';
            }
            if (!tsv.flush()) throw Error("lucene peer: cannot write " + queries_path.string());
        }
        DriverRun driver =
            run_driver(dir_, {"search", index_dir().string(), queries_path.string(), std::to_string(opts.k),
                              std::to_string(opts.warmup), std::to_string(std::max(opts.repetitions, 1u)),
                              std::to_string(std::max(opts.threads, 1u)), opts.snippets ? "1" : "0"});
        fs::remove(queries_path);

        // One line per query: qid, latency micros, then docid:score (and its
        // snippet when asked for) per hit; last "#wall_seconds<TAB>W".
        PeerRun out;
        bool have_wall = false;
        std::istringstream lines(driver.out);
        for (std::string line; std::getline(lines, line);) {
            auto fields = split_tabs(line);
            if (fields.size() < 2) throw Error("lucene peer: bad driver output line: " + line);
            if (fields[0] == "#wall_seconds") {
                out.wall_seconds = to_double(fields[1], line);
                have_wall = true;
                continue;
            }
            PeerQueryResult result{unescape(fields[0]), {}, to_double(fields[1], line)};
            const std::size_t step = opts.snippets ? 2 : 1;
            if ((fields.size() - 2) % step != 0) throw Error("lucene peer: a hit without its snippet: " + line);
            for (std::size_t i = 2; i < fields.size(); i += step) {
                auto colon = fields[i].rfind(':');
                if (colon == std::string_view::npos) throw Error("lucene peer: bad hit in driver output: " + line);
                result.hits.push_back({unescape(fields[i].substr(0, colon)),
                                       to_double(fields[i].substr(colon + 1), line),
                                       opts.snippets ? unescape(fields[i + 1]) : std::string()});
            }
            out.results.push_back(std::move(result));
        }
        if (out.results.size() != queries.size() || !have_wall)
            throw Error("lucene peer: " + std::to_string(out.results.size()) + " results for " +
                        std::to_string(queries.size()) + " queries" + (have_wall ? "" : ", no wall time"));
        return out;
    }

private:
    fs::path index_dir() const { return dir_ / "lucene-index"; }

    fs::path dir_;
};

}  // namespace

std::unique_ptr<Peer> make_lucene_peer(std::string& why) {
    std::vector<std::string> needed = {kJava};
    std::istringstream classpath(kClasspath);
    for (std::string entry; std::getline(classpath, entry, ':');) needed.push_back(entry);
    for (const auto& path : needed) {
        if (!std::filesystem::exists(path)) {
            why = path + " (found at build time) is missing; reinstall liblucene8-java / the JDK and rebuild";
            return nullptr;
        }
    }
    return std::make_unique<LucenePeer>();
}

}  // namespace trawl::bench

#else  // !TRAWL_LUCENE_CLASSPATH

namespace trawl::bench {

std::unique_ptr<Peer> make_lucene_peer(std::string& why) {
    why = "liblucene8-java / javac not found at build time; install them and re-run cmake";
    return nullptr;
}

}  // namespace trawl::bench

#endif
