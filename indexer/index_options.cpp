#include "indexer/index_options.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include <boost/program_options.hpp>

#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"

namespace po = boost::program_options;

namespace trawl::index {

unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

Parsed parse_index_args(int argc, const char* const* argv, IndexOptions& o, std::ostream& out) {
    po::options_description visible(
        "Usage: trawl-index --db DIR [options] PATH...\n"
        "       trawl-index --db DIR --delete ID [--delete ID...]\n\n"
        "Reads news articles from PATHs (files or directories; .zst/.gz read\n"
        "transparently), splits them into passages and adds them to the index\n"
        "in DIR (created if missing). Re-indexing an article replaces it.\n\n"
        "Formats are told by extension (.txt .jsonl .csv .tsv .sgm .html ...), else\n"
        "by content (WikiExtractor's wiki_00... by their <doc id=...>); a directory\n"
        "may mix them. Text and HTML files in a subfolder of a walked directory take\n"
        "its first folder as their source (bbc-news/sport/1.txt -> sport); CSV/TSV\n"
        "rows without an id are FILE:ROW. An entry of a walked directory that cannot\n"
        "be read (a symbolic link loop, a folder without permission) is skipped and\n"
        "counted, like a bad record.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit")
        ("version", "show the version and exit")
        ("db,d", po::value(&o.db)->value_name("DIR"), "index directory (required)")
        ("format,f", po::value(&o.format)->value_name("FMT")->default_value(o.format),
            "input format: auto (by extension, then content), text (one article per file), jsonl, csv, tsv "
            "(header row), sgml (TREC/Reuters), html (one saved web page per file), wiki (WikiExtractor <doc> "
            "records, Wikipedia)")
        ("passage-words,w", po::value(&o.passage_words)->value_name("N")->default_value(o.passage_words),
            "target passage length in words (whole sentences); 0 = whole article")
        ("overlap,o", po::value(&o.overlap)->value_name("N")->default_value(o.overlap),
            "words of the previous passage repeated at the start of the next (whole sentences); a fifth of "
            "--passage-words when that is 20 or less and this is not given")
        ("id-field", po::value(&o.fields.id)->value_name("NAME"),
            "JSONL/CSV/TSV: article id field (default: first of id, _id, docid, doc_id, article_id, uuid; "
            "CSV rows without one get FILE:ROW)")
        ("title-field", po::value(&o.fields.title)->value_name("NAME"),
            "JSONL/CSV/TSV: title field (default: title, headline)")
        ("text-field", po::value(&o.fields.text)->value_name("NAME"),
            "JSONL/CSV/TSV: text field (default: text, content, body, article, story)")
        ("date-field", po::value(&o.fields.date)->value_name("NAME"),
            "JSONL/CSV/TSV: date field (default: date, published, publish_date, pubdate, published_at, datetime)")
        ("source-field", po::value(&o.fields.source)->value_name("NAME"),
            "JSONL/CSV/TSV: source field (default: source, publisher, subject, section, category, site)")
        ("keep-boilerplate", po::bool_switch(&o.keep_boilerplate),
            "keep site boilerplate (by default, lines that recur in many articles of a source, learned in a "
            "first pass over the inputs, and well-known web prompts such as \"Please enter your comment!\" "
            "are dropped before splitting)")
        ("dedup", po::value(&o.dedup)->value_name("MODE")->default_value(o.dedup),
            "duplicate articles: exact (skip an article whose folded title and text equal an earlier one's, "
            "in this run or in the index), near (also skip the same story with another headline or footer: "
            "MinHash Jaccard >= 0.9), off")
        ("batch", po::value(&o.batch_articles)->value_name("N")->default_value(o.batch_articles),
            "articles per committed batch (a killed run keeps every batch committed into the index; a new index "
            "is built apart and appears only when complete, unless --stream, or --no-compact on one thread)")
        ("zstd-level", po::value(&o.zstd_level)->value_name("L")->default_value(o.zstd_level),
            "zstd level for stored passages (1-19)")
        ("on-error", po::value(&o.on_error)->value_name("MODE")->default_value(o.on_error),
            "bad input record: skip (report, count, go on) or fail (stop with exit 2; "
            "committed batches stay, the current one is discarded)")
        ("delete", po::value(&o.delete_ids)->value_name("ID")->composing(),
            "delete every passage of article ID (repeatable; one committed transaction)")
        ("delete-from", po::value(&o.delete_from)->value_name("FILE"),
            "delete the articles whose ids are listed in FILE, one per line")
        ("stream", po::bool_switch(&o.stream),
            "read standard input and pipes once, as they come, instead of copying them next to the index first: "
            "for a producer that does not end (tail -f); then they get no first pass (built-in boilerplate list "
            "only; each record of a repeated id replaces the one before) and need --format")
        ("commit-idle", po::value(&o.commit_idle)->value_name("SECONDS")->default_value(o.commit_idle, "2"),
            "with --stream: commit the open batch once no input has come for this long, so that a slow feed's "
            "articles are searchable soon (0: only every --batch articles)")
        ("prune", po::bool_switch(&o.prune),
            "after indexing, delete the articles read from a file under the inputs (as named) that no longer "
            "exists: a folder kept in step with its files")
        ("rebuild", po::bool_switch(&o.rebuild),
            "rewrite the index without the dead passages that deleted and replaced articles leave (their disk "
            "space and their share of the ranking statistics), from its own stored passages: no input needed")
        ("threads,j", po::value(&o.threads)->value_name("N"),
            "worker threads besides the reading thread (default: one per core); a new index is built as N shards "
            "in parallel and merged; one database is written by Xapian on a thread of its own")
        ("shards", po::value(&o.shards)->value_name("N"),
            "write N shard databases (by article id hash) behind one path that trawl-query opens as one index; "
            "each shard can be served from its own host")
        ("memory", po::value(&o.memory_mb)->value_name("MB")->default_value(o.memory_mb),
            "memory budget: sizes Xapian's flush threshold and the read-ahead queues; peak memory stays below "
            "this + (3 + 4 x threads) x --max-article-mb + 60 MB on any input (HTML: 15 + 4 x threads)")
        ("max-article-mb", po::value(&o.max_article_mb)->value_name("MB")->default_value(o.max_article_mb),
            "largest record read (a JSONL line, CSV row, SGML record, text or HTML file, after decompression); "
            "a larger one is read past without being held in memory, skipped and counted as \"article too large\"")
        ("no-compact", po::bool_switch(&o.no_compact), "leave a new index as written instead of compacting it: on one thread it is then written in place, "
            "batch by batch, as an existing index is (several threads still merge theirs)")
        ("termlist", po::bool_switch(&o.termlist),
            "give a new index Xapian's termlist table (on Reuters about twice the disk), which xapian-tcpsrv needs to "
            "serve it as a remote shard, and its stems as terms (a remote shard cannot read them from the "
            "synonym table); on by default with --shards")
        ("positions", po::value(&o.positions)->value_name("WHICH"),
            "which words of a new index keep their positions: \"frequent\" (those in at least 20% of the first "
            "passages; phrases, NEAR and ADJ with other words are checked against the stored text, just as exact) "
            "or \"all\" (on Reuters about 2.6x the disk; what xapian-tcpsrv needs to serve it as a remote shard). "
            "Default: frequent, all with --shards")
        ("positional-share",
            po::value(&o.positional_share)->value_name("F")->default_value(o.positional_share,
                                                                           shortest_decimal(o.positional_share)),
            "with --positions frequent: a word keeps its positions when at least this share of the first passages "
            "hold it (higher: a smaller index, more phrase candidates checked against the text)")
        ("quiet,q", po::bool_switch(&o.quiet), "no progress and no summary (errors are still printed)");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, &o.inputs);
    for (const auto& [name, value] : vm)
        if (!value.defaulted() && name != "positional-arguments") o.given.push_back(name);
    if (vm.count("help")) {
        out << visible << "\nExamples:\n"
            << "  trawl-index --db news.idx ../shared/data/reuters21578\n"
            << "  trawl-index --db beir.idx --format jsonl --passage-words 0 corpus.jsonl.gz\n"
            << "  trawl-index --db news.idx --delete business/001 --delete tech/002\n"
            << "  trawl-index --db news.idx --rebuild\n"
            << "  trawl-index --db feed.idx --text-field summary --date-field pub_time feed.csv.zst\n";
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
    if (o.on_error != "skip" && o.on_error != "fail")
        throw UsageError("--on-error must be skip or fail, not '" + o.on_error + "'");
    std::vector<std::string> deletes = o.delete_ids;
    std::vector<std::string> origins(deletes.size());
    if (!o.delete_from.empty()) {
        // "-" is standard input, as for the inputs.
        const bool stdin_list = o.delete_from == "-";
        std::ifstream file;
        if (!stdin_list) {
            errno = 0;
            file.open(o.delete_from);
            if (!file) {
                const int err = errno;
                std::error_code ec;
                throw InputError(
                    o.delete_from, 0,
                    std::string("cannot open: ") + (std::filesystem::is_directory(o.delete_from, ec) ? "Is a directory"
                                                    : err ? std::strerror(err)
                                                          : "unknown error"));
            }
        }
        std::istream& in = stdin_list ? std::cin : file;
        std::uint64_t number = 0;
        for (std::string line; std::getline(in, line);) {
            ++number;
            // A byte-order mark (Windows Notepad's UTF-8) is no part of the first id.
            if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) continue;
            deletes.push_back(line);
            origins.push_back(o.delete_from + ":" + std::to_string(number));
        }
        if (in.bad()) throw InputError(o.delete_from, number, std::string("read error: ") + std::strerror(errno));
    }
    for (const auto& id : deletes)
        if (id.empty()) throw UsageError("--delete needs a non-empty article id");
    const bool deleting = !o.delete_ids.empty() || !o.delete_from.empty();
    if (deleting && !o.inputs.empty())
        throw UsageError("--delete/--delete-from take no input paths (re-index an article to update it)");
    if (o.rebuild && (deleting || !o.inputs.empty()))
        throw UsageError("--rebuild takes no input paths and no --delete (run them apart)");
    if (o.rebuild) {
        // What a rebuild writes is the index's own passages with its own
        // settings: only how it is written may be chosen.
        static const std::set<std::string> applies = {"db", "rebuild", "quiet", "memory", "batch", "no-compact"};
        for (const auto& name : o.given)
            if (!applies.contains(name))
                throw UsageError("--rebuild keeps the index's own settings and takes no --" + name +
                                 " (only --memory, --batch, --no-compact and --quiet)");
    }
    // (It was "trawl-index: : cannot open: No such file or directory": an
    // unset shell variable, "$DIR", names nothing.)
    if (std::ranges::find(o.inputs, "") != o.inputs.end())
        throw UsageError("an input path is empty (\"\"): is a shell variable unset?");
    if (o.prune && std::all_of(o.inputs.begin(), o.inputs.end(), [](const std::string& in) { return in == "-"; }))
        throw UsageError("--prune needs a folder or file to compare the index with (standard input names no file)");
    // Locations are stored as the inputs were named: "news/a.txt", read from
    // another directory, is another folder's file, absent there.
    if (o.prune)
        for (const auto& in : o.inputs)
            if (in != "-" && !std::filesystem::path(in).is_absolute())
                throw UsageError("--prune needs its inputs named by absolute path (" + in +
                                 " is relative: a run from another directory would take another folder's files "
                                 "for gone ones); give \"$PWD/" +
                                 in + "\"");
    if (!deleting && !o.rebuild && o.inputs.empty())
        throw UsageError("no input: give one or more files or directories to index (or --delete ID, or --rebuild)");
    const auto passage_words = count_option("--passage-words", o.passage_words, 0);
    auto overlap = count_option("--overlap", o.overlap, 0);
    // The default overlap (20) is for the default passage (100 words): a
    // shorter passage given alone gets a fifth of its length, where the
    // default would leave no room ("--passage-words 10" was refused for an
    // overlap the user never gave).
    if (std::ranges::find(o.given, "overlap") == o.given.end() && passage_words > 0 && overlap >= passage_words)
        overlap = passage_words / 5;
    if (passage_words > 0 && overlap >= passage_words)
        throw UsageError("--overlap (" + std::to_string(overlap) + ") must be smaller than --passage-words (" +
                         std::to_string(passage_words) + ")");
    const auto batch = count_option("--batch", o.batch_articles, 1);
    if (o.zstd_level < 1 || o.zstd_level > 19) throw UsageError("--zstd-level must be from 1 to 19");
    const auto threads = o.threads == -1 ? default_threads() : count_option("--threads", o.threads, 1, 256);
    const auto shards = o.shards == -1 ? 0u : count_option("--shards", o.shards, 1, 1024);
    const auto memory_mb = count_option("--memory", o.memory_mb, 16);
    // Passage offsets into a body are 32-bit (corpus::Passage).
    const auto max_article_mb = count_option("--max-article-mb", o.max_article_mb, 1, 4095);
    IndexConfig c;
    c.db_path = o.db;
    // An index path that is a symbolic link (an index kept on another disk):
    // the job works on the directory it points at, so that a new index
    // swapped in replaces that directory, not the link (which used to make
    // creating an index through a link fail: "Not a directory").
    std::error_code ec;
    if (std::filesystem::is_symlink(o.db, ec) && std::filesystem::exists(o.db, ec)) {
        const auto real = std::filesystem::canonical(o.db, ec);
        if (!ec) c.db_path = real.string();
    }
    c.inputs = o.inputs;
    c.prune = o.prune;
    c.reader.format = corpus::parse_format(o.format);
    c.reader.fields = o.fields;
    c.reader.max_article_bytes = std::size_t(max_article_mb) << 20;
    // An index inside a folder it indexes is not read as articles (its
    // temporary siblings, ".NAME.trawl-*", are hidden: never walked).
    c.reader.exclude = {c.db_path};
    c.builder.split.words = passage_words;
    c.builder.split.overlap = passage_words == 0 ? 0 : overlap;
    c.builder.batch_articles = batch;
    c.builder.zstd_level = o.zstd_level;
    c.pipeline.threads = threads;
    c.pipeline.shards = shards;
    c.pipeline.memory_bytes = std::size_t(memory_mb) << 20;
    c.pipeline.compact = !o.no_compact;
    c.pipeline.in_place = o.stream;  // a feed's batches are searchable as they are committed
    // A shard's settings with --shards, whatever N: --shards 1 (one
    // database) is what xapian-tcpsrv can serve, as --help says (it made a
    // plain index, which it cannot).
    c.pipeline.termlist = o.termlist || shards >= 1;
    const auto given = [&](const char* name) { return std::count(o.given.begin(), o.given.end(), name) > 0; };
    c.pipeline.termlist_given = o.termlist;
    c.pipeline.positions_given = given("positions");
    c.pipeline.positional_share_given = given("positional-share");
    const std::string positions = o.positions.empty() ? (shards >= 1 ? "all" : "frequent") : o.positions;
    if (positions != "all" && positions != "frequent")
        throw UsageError("--positions: \"" + positions + "\" is neither \"frequent\" nor \"all\"");
    if (!(o.positional_share > 0 && o.positional_share <= 1))
        throw UsageError("--positional-share must be above 0 and at most 1, not " + std::to_string(o.positional_share));
    c.builder.positional_share = o.positional_share;
    c.builder.positions = positions == "all" ? format::PositionsMode::All : format::PositionsMode::Frequent;
    c.cleaning.boilerplate = !o.keep_boilerplate;
    c.cleaning.dedup.mode = corpus::parse_dedup_mode(o.dedup);
    c.on_error = o.on_error == "fail" ? OnError::Fail : OnError::Skip;
    c.delete_ids = std::move(deletes);
    c.delete_origins = std::move(origins);
    c.deleting = deleting;
    c.rebuild = o.rebuild;
    c.stream_inputs = o.stream;
    if (!(o.commit_idle >= 0 && o.commit_idle <= 86400))
        throw UsageError("--commit-idle must be from 0 to 86400 seconds, not " + std::to_string(o.commit_idle));
    if (!o.stream && std::count(o.given.begin(), o.given.end(), "commit-idle"))
        throw UsageError(
            "--commit-idle applies to --stream only (other runs commit every --batch articles and at the end)");
    c.commit_idle = std::chrono::milliseconds(static_cast<long long>(o.commit_idle * 1000 + 0.5));
    if (std::count(o.inputs.begin(), o.inputs.end(), "-") > 1) throw UsageError("standard input (-) can be given once");
    c.progress = show_progress(o.quiet);
    c.summary = !o.quiet;
    return c;
}

}  // namespace trawl::index
