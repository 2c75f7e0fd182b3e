#include "query/query_job.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <unordered_map>

#include "corpus/base/error.hpp"
#include "indexer/format/index_meta.hpp"
#include "query/article_list.hpp"
#include "query/line_source.hpp"
#include "query/mapped_reads.hpp"
#include "query/repl.hpp"

namespace trawl::query {

std::pair<std::string, std::string> split_query_line(std::string line, std::uint64_t line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto tab = line.find('\t');
    if (tab == std::string::npos) return {std::to_string(line_no), line};
    // The id without the spaces around it ("  q8 ", which a run file
    // wrote as %20%20q8%20: no qrels topic).
    std::string_view qid(line.data(), tab);
    while (!qid.empty() && qid.front() == ' ') qid.remove_prefix(1);
    while (!qid.empty() && qid.back() == ' ') qid.remove_suffix(1);
    return {std::string(qid), line.substr(tab + 1)};
}

std::size_t query_column_offset(std::string_view line) {
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos) return 0;
    // Columns count UTF-8 characters (query_check.hpp): the lead bytes.
    return static_cast<std::size_t>(
        std::count_if(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(tab) + 1,
                      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

int run_query(const QueryConfig& cfg, std::istream& in, std::ostream& out, std::ostream& err) {
    set_mapped_reads(cfg.mapped_reads);
    if (cfg.mode == QueryMode::Interactive) {
        // Results on stdout, the prompt on the terminal: stderr when stdout
        // is redirected (a file of results holds results only).
        const auto lines = terminal_lines(history_path(), cfg.stdout_tty ? stdout : stderr);
        return run_repl(cfg.options, cfg.stdout_tty, *lines, out, err);
    }
    auto searcher = std::make_unique<Searcher>(cfg.search);
    for (const auto& w : searcher->warnings()) err << "trawl-query: warning: " << w << "\n";
    const auto first_shards = searcher->remote_shards();  // what a reconnect must find again
    PrinterOptions printing = cfg.printer;
    // A batch's text says which query each block answers.
    printing.query_header = cfg.mode == QueryMode::File || cfg.mode == QueryMode::Stdin;
    auto printer = make_printer(cfg.format, out, printing);
    auto run_one = [&](const std::string& qid, const std::string& q) {
        // A remote shard lost and served again is connected afresh.
        return search_and_print_reconnecting(searcher, *printer, cfg, qid, q, err, false, first_shards);
    };
    if (cfg.mode == QueryMode::Single) return run_one("1", cfg.query) ? 0 : 1;
    if (cfg.mode == QueryMode::ListArticles)
        return list_articles(*searcher, cfg.format, out, err, cfg.search.offset, cfg.search.limit) > 0 ? 0 : 1;
    if (cfg.mode == QueryMode::Like) {
        const auto rs = searcher->like(cfg.like);
        printer->print(rs);
        return rs.matched() ? 0 : 1;
    }

    std::ifstream file;
    std::istream* src = &in;
    std::string name = "<stdin>";
    if (cfg.mode == QueryMode::File && cfg.queries_file != "-") {
        errno = 0;
        file.open(cfg.queries_file);
        if (!file)
            throw InputError(cfg.queries_file, 0,
                             std::string("cannot open queries file: ") + std::strerror(errno ? errno : ENOENT));
        src = &file;
        name = cfg.queries_file;
    }
    bool any_hit = false, any_error = false;
    std::uint64_t changing = 0, run = 0;  // queries that met a writer's commits under every attempt, of those run
    // How many of the batch to run again, when more than one: each was named.
    const auto say_changing = [&] {
        if (changing > 1)
            err << "trawl-query: " << name << ": " << changing << " of " << run
                << " queries failed: the index changed under each of them (a writer committing); run them again\n";
    };
    std::string line;
    std::uint64_t line_no = 0;
    std::unordered_map<std::string, std::uint64_t> qid_lines;  // each query id, and the line it came on
    // Stops at the end of input, or when the results cannot be written (the
    // caller says why): the queries after would be lost too.
    while (out && read_query_line(*src, line, name)) {
        if (line.size() > kMaxQueryLineBytes) {
            ++line_no;
            err << "trawl-query: " << name << ":" << line_no << ": " << too_long_message() << "\n";
            any_error = true;
            continue;
        }
        // A file saved with a UTF-8 byte-order mark: the mark is not the first
        // qid's; nor a later line's, where files saved so were joined.
        ++line_no;
        if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        // Not a structured binding: the lambda below captures qid (clang 14
        // cannot capture a binding).
        const auto parts = split_query_line(line, line_no);
        const std::string& qid = parts.first;
        const std::string& q = parts.second;
        // A run takes each id once: two queries under one id merged their
        // hits, and trec_eval refuses a run with a passage twice in a topic.
        if (const auto [first, fresh] = qid_lines.emplace(qid, line_no); !fresh) {
            err << "trawl-query: " << name << ":" << line_no << ": query id " << format::printable(qid)
                << " is already line " << first->second << "'s: each query needs an id of its own\n";
            any_error = true;
            continue;
        }
        // The index or a shard failed under this query: the rest cannot run
        // on it. What was printed is complete; say which query stopped the
        // batch and how many did not run.
        const auto stop = [&](const std::string& why) {
            std::uint64_t rest = 0;
            try {
                while (read_query_line(*src, line, name))
                    if (line.find_first_not_of(" \t\r") != std::string::npos) ++rest;
            } catch (const InputError&) {  // counted what could be read
            }
            out.flush();
            say_changing();
            err << "trawl-query: " << name << ":" << line_no << ": query " << format::printable(qid) << ": " << why
                << "; " << rest + 1 << (rest ? " queries" : " query") << " did not run (this one and the " << rest
                << " after it)\n";
            return 2;
        };
        try {
            ++run;
            any_hit |= run_one(qid, q);
        } catch (const IndexChanging& e) {
            // A writer committing faster than this query reads: the index is
            // sound and the next query may fit between its commits. This one
            // is named, and the batch goes on (it stopped here, leaving every
            // query after it unrun beside a busy writer).
            err << "trawl-query: " << name << ":" << line_no << ": query " << format::printable(qid) << ": " << e.what()
                << "\n";
            ++changing;
            any_error = true;
        } catch (const QuerySyntaxError& e) {
            // FILE:LINE: the column is the line's, past "qid<TAB>" (it was
            // the query's, a few columns short of where an editor goes).
            err << "trawl-query: " << name << ":" << line_no << ": query error at column "
                << e.pos + query_column_offset(line) << ": " << e.reason << "\n";
            any_error = true;
        } catch (const Error& e) {
            return stop(e.what());
        } catch (const Xapian::Error& e) {
            return stop(e.get_description());
        }
    }
    out.flush();
    say_changing();
    if (any_error) return 2;
    return any_hit ? 0 : 1;
}

}  // namespace trawl::query
