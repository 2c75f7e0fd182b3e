#include "index_options.hpp"

#include <thread>

#include <boost/program_options.hpp>

#include "command_line.hpp"
#include "error.hpp"
#include "progress.hpp"

namespace po = boost::program_options;

namespace trawl::index {

unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

Parsed parse_index_args(int argc, const char* const* argv, IndexOptions& o, std::ostream& out) {
    po::options_description visible("Usage: trawl-index --db DIR [options] PATH...\n\n"
                                    "Reads news articles from PATHs (files or directories; .zst/.gz read\n"
                                    "transparently), splits them into passages and adds them to the index\n"
                                    "in DIR (created if missing). Re-indexing an article replaces it.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit")
        ("version", "show the version and exit")
        ("db,d", po::value(&o.db)->value_name("DIR"), "index directory (required)")
        ("format,f", po::value(&o.format)->value_name("FMT")->default_value(o.format),
            "input format: auto, text (one article per file), jsonl, sgml (TREC/Reuters)")
        ("passage-words,w", po::value(&o.passage_words)->value_name("N")->default_value(o.passage_words),
            "target passage length in words (whole sentences); 0 = whole article")
        ("overlap,o", po::value(&o.overlap)->value_name("N")->default_value(o.overlap),
            "words of the previous passage repeated at the start of the next (whole sentences)")
        ("id-field", po::value(&o.fields.id)->value_name("NAME")->default_value(o.fields.id), "JSONL: article id field")
        ("title-field", po::value(&o.fields.title)->value_name("NAME")->default_value(o.fields.title), "JSONL: title field")
        ("text-field", po::value(&o.fields.text)->value_name("NAME")->default_value(o.fields.text), "JSONL: text field")
        ("date-field", po::value(&o.fields.date)->value_name("NAME")->default_value(o.fields.date), "JSONL: date field")
        ("source-field", po::value(&o.fields.source)->value_name("NAME")->default_value(o.fields.source), "JSONL: source field")
        ("batch", po::value(&o.batch_articles)->value_name("N")->default_value(o.batch_articles),
            "articles per committed batch (an interrupted run keeps every committed batch)")
        ("zstd-level", po::value(&o.zstd_level)->value_name("L")->default_value(o.zstd_level),
            "zstd level for stored passages (1-19)")
        ("threads,j", po::value(&o.threads)->value_name("N"),
            "worker threads (default: one per core); a new index is built as N shards in parallel and merged")
        ("shards", po::value(&o.shards)->value_name("N"),
            "write N shard databases (by article id hash) behind one path that trawl-query opens as one index; "
            "each shard can be served from its own host")
        ("memory", po::value(&o.memory_mb)->value_name("MB")->default_value(o.memory_mb),
            "memory budget: sizes Xapian's flush threshold and the read-ahead queues")
        ("no-compact", po::bool_switch(&o.no_compact), "leave a new index as written instead of compacting it")
        ("quiet,q", po::bool_switch(&o.quiet), "no progress and no summary (errors are still printed)");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, &o.inputs);
    if (vm.count("help")) {
        out << visible << "\nExamples:\n"
            << "  trawl-index --db news.idx ../shared/data/reuters21578\n"
            << "  trawl-index --db beir.idx --format jsonl --passage-words 0 corpus.jsonl.gz\n";
        return Parsed::Exit;
    }
    if (vm.count("version")) {
        out << "trawl-index " << TRAWL_VERSION << "\n";
        return Parsed::Exit;
    }
    return Parsed::Run;
}

IndexConfig make_config(const IndexOptions& o) {
    if (o.db.empty()) throw UsageError("--db DIR is required");
    if (o.inputs.empty()) throw UsageError("no input: give one or more files or directories to index");
    if (o.passage_words > 0 && o.overlap >= o.passage_words)
        throw UsageError("--overlap (" + std::to_string(o.overlap) + ") must be smaller than --passage-words (" +
                         std::to_string(o.passage_words) + ")");
    if (o.batch_articles == 0) throw UsageError("--batch must be at least 1");
    if (o.zstd_level < 1 || o.zstd_level > 19) throw UsageError("--zstd-level must be from 1 to 19");
    if (o.threads > 256) throw UsageError("--threads must be from 1 to 256");
    if (o.shards > 1024) throw UsageError("--shards must be from 1 to 1024");
    if (o.memory_mb < 16) throw UsageError("--memory must be at least 16 (MB)");
    IndexConfig c;
    c.db_path = o.db;
    c.inputs = o.inputs;
    c.reader.format = corpus::parse_format(o.format);
    c.reader.jsonl = o.fields;
    c.split.words = o.passage_words;
    c.split.overlap = o.passage_words == 0 ? 0 : o.overlap;
    c.progress = !o.quiet && Progress::stderr_is_tty();
    c.summary = !o.quiet;
    c.batch_articles = o.batch_articles;
    c.zstd_level = o.zstd_level;
    c.threads = o.threads == 0 ? default_threads() : o.threads;
    c.shards = o.shards;
    c.memory_bytes = std::size_t(o.memory_mb) << 20;
    c.compact = !o.no_compact;
    return c;
}

}  // namespace trawl::index
