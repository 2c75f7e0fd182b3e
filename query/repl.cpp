#include "query/repl.hpp"

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "query/cancel.hpp"

namespace trawl::query {

const char* const kReplHelp =
    "Type a query (the query language of trawl-query --help), or a command:\n"
    "  :n N                 show N results (also :limit N)\n"
    "  :by-article on|off   best passage per article\n"
    "  :all on|off          bare words must all match\n"
    "  :format text|json|trec\n"
    "  :since DATE|off      only articles dated DATE (YYYY-MM-DD) or later\n"
    "  :until DATE|off      only articles dated DATE or earlier\n"
    "  :source NAME|off     only articles from source NAME\n"
    "  :sort relevance|date\n"
    "  :timeline on|off     matching articles per month or year under the hits\n"
    "  :facets source|off   matching articles per source under the hits\n"
    "  :explain on|off      each hit's score per query term\n"
    "  :help                this help\n"
    "  :q                   quit (also Ctrl-D); Ctrl-C cancels the line being typed, or the search running\n"
    "Up and Down recall earlier queries, kept across runs in ";

namespace {

bool on_off(const std::string& command, const std::string& value) {
    if (value == "on") return true;
    if (value == "off") return false;
    throw UsageError(command + " takes on or off, not '" + value + "'");
}

// An option's value, or empty for "off" (an open end, no filter).
std::string value_or_off(const std::string& value) { return value == "off" ? std::string() : value; }

// Applies ":NAME VALUE" to `o`; false for an unknown command.
bool apply_command(const std::string& name, const std::string& value, QueryOptions& o) {
    static const char* const kNames[] = {"n",     "limit",  "by-article", "all",      "format", "since",
                                         "until", "source", "sort",       "timeline", "facets", "explain"};
    if (std::find(std::begin(kNames), std::end(kNames), name) == std::end(kNames)) return false;
    const std::string command = ":" + name;
    if (value.empty()) throw UsageError(command + " needs a value (see :help)");
    if (name == "n" || name == "limit") {
        std::size_t used = 0;
        long long n = -1;
        try {
            n = std::stoll(value, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != value.size()) throw UsageError(command + " takes a number, not '" + value + "'");
        o.limit = n;
    } else if (name == "by-article") {
        o.by_article = on_off(command, value);
    } else if (name == "all") {
        o.all = on_off(command, value);
    } else if (name == "format") {
        o.format = value;
    } else if (name == "since") {
        o.since = value_or_off(value);
    } else if (name == "until") {
        o.until = value_or_off(value);
    } else if (name == "source") {
        o.sources.clear();
        if (value != "off") o.sources.push_back(value);
    } else if (name == "sort") {
        o.sort = value;
    } else if (name == "timeline") {
        o.timeline = on_off(command, value);
    } else if (name == "facets") {
        o.facets = value_or_off(value);
    } else if (name == "explain") {
        o.explain = on_off(command, value);
    } else {
        return false;
    }
    return true;
}

// What a prompt needs: the options as they stand and what is built from them.
struct Session {
    QueryOptions options;
    QueryConfig config;
    std::unique_ptr<Searcher> searcher;
    std::unique_ptr<ResultPrinter> printer;
    std::vector<RemoteShard> first_shards;  // the remote shards as first connected: a reconnect must find them again

    Session(QueryOptions o, bool stdout_tty, std::ostream& out) : options(std::move(o)) {
        config = make_config(options, true, stdout_tty);
        config.search.cancellable = true;  // Ctrl-C during a search cancels it
        searcher = std::make_unique<Searcher>(config.search);
        first_shards = searcher->remote_shards();
        printer = make_printer(config.format, out, config.printer);
    }
};

}  // namespace

int run_repl(const QueryOptions& options, bool stdout_tty, LineSource& lines, std::ostream& out, std::ostream& err) {
    auto session = std::make_unique<Session>(options, stdout_tty, out);
    for (const auto& w : session->searcher->warnings()) err << "trawl-query: warning: " << w << "\n";
    // The banner and :help go where the prompt goes (the terminal), not
    // into the results.
    lines.show("trawl: " + std::to_string(session->searcher->passage_count()) +
               " passages. One query per line; :help for commands, :q or Ctrl-D to quit.\n");
    bool any_hit = false;
    std::uint64_t n = 0;
    // Flushed before each prompt: the terminal's prompt is written apart from
    // `out`. Results that cannot be written end the prompt (cli_main says why).
    while (auto line = (out.flush(), out ? lines.read("trawl> ") : std::optional<std::string>())) {
        if (line->size() > kMaxQueryLineBytes) {
            err << "trawl-query: " << too_long_message() << "\n";
            continue;
        }
        const auto first = line->find_first_not_of(" \t");
        if (first == std::string::npos) continue;
        if ((*line)[first] == ':') {
            std::istringstream words(line->substr(first + 1));
            std::string name, value, rest;
            words >> name >> std::ws;
            std::getline(words, value);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
            if (name == "q" || name == "quit") break;
            if (name == "help") {
                std::string where = history_path().empty() ? std::string("no file (no HOME)") : history_path();
                if (const auto problem = lines.history_problem(); !problem.empty())
                    where += " (not saved this session: " + problem + ")";
                lines.show(kReplHelp + where + "\n");
                continue;
            }
            try {
                QueryOptions changed = session->options;
                if (!apply_command(name, value, changed)) throw UsageError("unknown command :" + name + " (see :help)");
                session = std::make_unique<Session>(std::move(changed), stdout_tty, out);
            } catch (const Error& e) {  // a bad value, or an index that cannot be opened now
                err << "trawl-query: " << e.what() << "\n";
            }
            continue;
        }
        const auto qid = std::to_string(++n);
        try {
            clear_cancel();  // a Ctrl-C from before this search is not for it
            // At the latest commit; connected afresh after a remote shard was
            // lost (null searcher: lost, and not back at the last query).
            any_hit |= search_and_print_reconnecting(session->searcher, *session->printer, session->config, qid, *line,
                                                     err, true, session->first_shards);
        } catch (const SearchCancelled&) {  // Ctrl-C during the search: back to the prompt
            err << "cancelled\n";
        } catch (const QuerySyntaxError& e) {  // as a command's error: "trawl-query: ..."
            err << "trawl-query: " << e.what() << "\n";
        } catch (const Error& e) {  // the index gone, damaged or changing: one line for this query, and go on
            err << "trawl-query: " << e.what() << "\n";
        } catch (const Xapian::Error& e) {
            err << "trawl-query: " << e.get_description() << "\n";
        }
    }
    return any_hit ? 0 : 1;
}

}  // namespace trawl::query
