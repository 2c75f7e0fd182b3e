// trawl-bench spelling: how well trawl-query's "did you mean" (query/
// spelling.hpp) restores misspelled queries, and what it costs. Real
// bag-of-words queries are drawn from the index's own passages by the
// seeded generator of trawl-bench compare (perf/query_gen.hpp); every word of
// each gets exactly one random edit (insertion, deletion, substitution or
// transposition of neighbours, letters a-z; with --mistyped one, a single
// word of each, drawn at random: the typo among correct words). Top-1 accuracy: the suggestion
// is the original query. Also: how often a correctly spelled query gets a
// suggestion, and the search latency with and without suggestions. With
// --kind near the queries are the generator's NEAR pairs instead (two words
// of one passage, any frequency: words that go together, as in real queries,
// where the other word's context counts); with --kind titles, 1-3
// consecutive words of a headline (query_gen.hpp, generate_title_queries():
// the topic phrases people type into a news search, the default since the
// joint model). The first and second half of the queries are reported apart;
// --failures N prints N wrong suggestions (and N given to correct queries);
// --per-word measures the model before the joint one.
#include <cstdio>
#include <random>
#include <sstream>
#include <tuple>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "bench/commands.hpp"
#include "bench/latency.hpp"
#include "bench/perf/query_gen.hpp"
#include "corpus/base/command_line.hpp"
#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "query/searcher.hpp"

namespace po = boost::program_options;

namespace trawl::bench {
namespace {

// Every live passage's title and text, decompressed (the generator's input).
std::vector<PeerDoc> passages_of(const std::string& db_path) {
    Xapian::Database db(db_path);
    format::PassageCodec codec(format::read_dictionary(db));
    std::vector<PeerDoc> docs;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const auto data = format::stored_passage(db.get_document(*it));
        auto f = format::decode_fields(codec.decompress(data.payload, data.raw_size));
        docs.push_back({f.article_id, std::move(f.title), std::move(f.text)});
    }
    return docs;
}

// One edit of `w` at a random place (a word of 2 letters is never shortened).
std::string misspell(const std::string& w, std::mt19937_64& rng) {
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const auto letter = [&] { return static_cast<char>('a' + pick(26)); };
    for (;;) {
        std::string s = w;
        switch (pick(4)) {
            case 0:
                s.insert(s.begin() + static_cast<long>(pick(s.size() + 1)), letter());
                break;
            case 1:
                if (s.size() <= 2) continue;
                s.erase(pick(s.size()), 1);
                break;
            case 2:
                s[pick(s.size())] = letter();
                break;
            default: {
                if (s.size() < 2) continue;
                const auto i = pick(s.size() - 1);
                std::swap(s[i], s[i + 1]);
            }
        }
        if (s != w) return s;
    }
}

// True when `a` and `b` have as many words and each pair the same stem:
// trawl-query stems the words it searches (analysis.hpp), so such a
// suggestion finds the original query's hits ("stock exchange" for "stock
// exchanges").
bool same_stems(const std::string& a, const std::string& b) {
    static const Xapian::Stem stem(format::kLanguage);
    std::istringstream x(a), y(b);
    std::string u, v;
    for (;;) {
        const bool more_x = static_cast<bool>(x >> u), more_y = static_cast<bool>(y >> v);
        if (more_x != more_y) return false;
        if (!more_x) return true;
        if (stem(u) != stem(v)) return false;
    }
}

std::string join(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
}

// Per-query search latency in ms (each query once, after one untimed pass).
std::vector<double> latencies(query::Searcher& s, const std::vector<std::string>& queries) {
    for (const auto& q : queries) s.search("w", q);
    std::vector<double> ms;
    for (const auto& q : queries) {
        Stopwatch sw;
        s.search("t", q);
        ms.push_back(sw.millis());
    }
    return ms;
}

}  // namespace

int run_spelling_command(int argc, const char* const* argv, std::ostream& out, std::ostream& /*err*/) {
    std::string db;
    // Count options as given, signed so that "-1" is not read as 4294967295;
    // checked with count_option().
    long long count_arg = 300, failures_arg = 0;
    long long suspect_arg = query::SpellingOptions{}.suspect, min_passages_arg = query::SpellingOptions{}.min_passages;
    std::uint64_t seed = 42;
    bool json = false, no_context = false, per_word = false;
    std::string kind = "titles", mistyped = "all";
    query::SpellingOptions spelling;
    po::options_description visible(
        "Usage: trawl-bench spelling --db DIR [options]\n\n"
        "Measures trawl-query's \"did you mean\": queries drawn from the index's passages\n"
        "(runs of headline words by default; --kind), each word given one random edit\n"
        "(--mistyped one: one word of each);\n"
        "prints top-1 accuracy (the suggestion is the original query), the\n"
        "share of correct queries that get a suggestion, and the search latency (p50,\n"
        "p95, p99) with and without suggestions.\n\nOptions");
    // clang-format off
    visible.add_options()
        ("help,h", "show this help and exit")
        ("db,d", po::value(&db)->value_name("DIR"), "a single-database Trawl index (required)")
        ("queries", po::value(&count_arg)->value_name("N")->default_value(count_arg), "misspelled queries")
        ("seed", po::value(&seed)->value_name("N")->default_value(seed), "random seed (queries and edits)")
        ("suspect", po::value(&suspect_arg)->value_name("N")->default_value(suspect_arg),
            "a word the index holds in fewer passages may be a misspelling of a more frequent one")
        ("typo-rate", po::value(&spelling.typo_rate)
             ->value_name("P")
             ->default_value(spelling.typo_rate, shortest_decimal(spelling.typo_rate)),
            "the chance that a query word is mistyped (the noisy channel's prior)")
        ("typo-lift", po::value(&spelling.typo_lift)
             ->value_name("L")
             ->default_value(spelling.typo_lift, shortest_decimal(spelling.typo_lift)),
            "how much likelier a word is mistyped when another of the query is (1: independent errors; "
            "1 / --typo-rate or more: all mistyped or none)")
        ("prior-exponent", po::value(&spelling.prior_exponent)
             ->value_name("A")
             ->default_value(spelling.prior_exponent, shortest_decimal(spelling.prior_exponent)),
            "P(word) as passages^A (1: as often as the index holds it)")
        ("together-share", po::value(&spelling.together_share)
             ->value_name("L")
             ->default_value(spelling.together_share, shortest_decimal(spelling.together_share)),
            "the weight of \"the words of one passage\" against \"independent words\" in P(c1..cn)")
        ("phrase-share", po::value(&spelling.phrase_share)
             ->value_name("F")
             ->default_value(spelling.phrase_share, shortest_decimal(spelling.phrase_share)),
            "the part of --together-share for \"the words side by side, as typed\" (0: no phrase counts)")
        ("min-passages", po::value(&min_passages_arg)->value_name("N")->default_value(min_passages_arg),
            "the vocabulary: words in at least N passages")
        ("no-context", po::bool_switch(&no_context), "ignore the other words of the query")
        ("per-word", po::bool_switch(&per_word),
            "correct each word on its own, weighed by the others' likeliest forms (the model before the joint one)")
        ("kind", po::value(&kind)->value_name("K")->default_value(kind),
            "titles (1-3 consecutive words of a headline), words (1-4 mid-frequency words) or near "
            "(two words of one passage)")
        ("mistyped", po::value(&mistyped)->value_name("W")->default_value(mistyped),
            "all (every word of a query gets an edit) or one (one word of each, drawn at random; the others as "
            "written)")
        ("failures", po::value(&failures_arg)->value_name("N")->default_value(failures_arg),
            "print N wrong suggestions (typed -> suggested, want original) and N suggestions given to correct "
            "queries")
        ("json", po::bool_switch(&json), "print the figures as one JSON object");
    // clang-format on
    const auto vm = parse_command_line(argc, argv, visible, nullptr);
    if (vm.count("help")) {
        out << visible << "\nExample:\n  trawl-bench spelling --db reuters.idx --queries 300\n";
        return 0;
    }
    if (db.empty()) throw UsageError("--db DIR is required");
    const auto count = count_option("--queries", count_arg, 1, 1000000);
    const auto failures = count_option("--failures", failures_arg, 0);
    spelling.suspect = count_option("--suspect", suspect_arg, 0);
    spelling.min_passages = count_option("--min-passages", min_passages_arg, 0);
    // Probabilities and a mixing weight: written so that NaN fails too.
    for (const auto& [value, name] :
         {std::pair{spelling.typo_rate, "--typo-rate"}, std::pair{spelling.together_share, "--together-share"},
          std::pair{spelling.phrase_share, "--phrase-share"}})
        if (!(value >= 0 && value <= 1)) throw UsageError(std::string(name) + " must be from 0 to 1");
    if (!(spelling.typo_lift >= 1 && spelling.typo_lift < 1e6))
        throw UsageError("--typo-lift must be a number from 1 (independent errors) up");
    if (kind != "titles" && kind != "words" && kind != "near")
        throw UsageError("--kind must be titles, words or near, not '" + kind + "'");
    if (mistyped != "all" && mistyped != "one")
        throw UsageError("--mistyped must be all or one, not '" + mistyped + "'");
    spelling.context = !no_context;
    spelling.joint = !per_word;
    const auto wanted = kind == "near" ? PeerQuery::Kind::Near : PeerQuery::Kind::Words;

    const auto docs = passages_of(db);
    const auto generated =
        kind == "titles" ? generate_title_queries(docs, {seed, count, 10}) : generate_queries(docs, {seed, count, 10});
    std::mt19937_64 rng(seed);
    std::vector<std::string> originals, misspelled;
    for (const auto& q : generated) {
        if (q.kind != wanted) continue;
        std::vector<std::string> typo = q.terms;
        if (mistyped == "all") {
            for (auto& w : typo) w = misspell(w, rng);
        } else {
            auto& w = typo[static_cast<std::size_t>(rng() % typo.size())];
            w = misspell(w, rng);
        }
        originals.push_back(join(q.terms));
        misspelled.push_back(join(typo));
    }
    if (originals.empty()) throw Error(db + ": too few passages to draw queries from");

    query::SearchOptions on;
    on.dbs = {db};
    on.spelling = spelling;
    query::Searcher with(on);
    Stopwatch load;
    with.search("load", "vocabularyloadprobe");  // the vocabulary is read on the first rare word
    const double load_ms = load.millis();
    std::size_t right = 0, none = 0, false_alarms = 0, right_first_half = 0, stems_right = 0;
    std::size_t asked_misspelled = 0, asked_correct = 0;  // the gate asked the speller
    const std::size_t half = originals.size() / 2;
    std::vector<std::string> wrong, alarms;  // wrong suggestions; suggestions for correct queries
    for (std::size_t i = 0; i < originals.size(); ++i) {
        const auto typo = with.search("m", misspelled[i]).summary;
        const auto& s = typo.suggestion;
        asked_misspelled += typo.suggestion_asked;
        right += s == originals[i];
        right_first_half += i < half && s == originals[i];
        none += s.empty();
        stems_right += !s.empty() && same_stems(s, originals[i]);
        if (s != originals[i] && wrong.size() < failures)
            wrong.push_back(misspelled[i] + " -> " + (s.empty() ? "(none)" : s) + "  (want " + originals[i] + ")");
        const auto good = with.search("o", originals[i]).summary;
        false_alarms += !good.suggestion.empty();
        if (!good.suggestion.empty() && alarms.size() < failures)
            alarms.push_back(originals[i] + " -> " + good.suggestion);
        asked_correct += good.suggestion_asked;
    }
    const double first_half = half ? double(right_first_half) / double(half) : 0,
                 second_half = double(right - right_first_half) / double(originals.size() - half);
    query::SearchOptions off = on;
    off.suggest = false;
    query::Searcher without(off);
    const auto typo_on = latencies(with, misspelled), typo_off = latencies(without, misspelled);
    const auto good_on = latencies(with, originals), good_off = latencies(without, originals);

    const double n = static_cast<double>(originals.size());
    const auto share = [n](std::size_t k) { return static_cast<double>(k) / n; };
    // Latency percentiles with suggestions on and off.
    const auto on_off = [](const std::vector<double>& with_ms, const std::vector<double>& without_ms) {
        return nlohmann::json{{"p50_on", median(with_ms)},           {"p50_off", median(without_ms)},
                              {"p95_on", percentile(with_ms, 0.95)}, {"p95_off", percentile(without_ms, 0.95)},
                              {"p99_on", percentile(with_ms, 0.99)}, {"p99_off", percentile(without_ms, 0.99)}};
    };
    nlohmann::json r = {
        {"queries", originals.size()},
        {"kind", kind},
        {"mistyped", mistyped},
        {"model", !spelling.context ? "off"
                  : spelling.joint  ? "joint"
                                    : "per word"},
        {"top1_accuracy", share(right)},
        {"top1_first_half", first_half},
        {"top1_second_half", second_half},
        {"top1_same_stems", share(stems_right)},
        {"no_suggestion", share(none)},
        {"wrong_suggestion", share(originals.size() - right - none)},
        {"suggestion_for_correct_queries", share(false_alarms)},
        {"speller_asked_misspelled", share(asked_misspelled)},
        {"speller_asked_correct", share(asked_correct)},
        {"vocabulary_load_ms", load_ms},
        {"misspelled_ms", on_off(typo_on, typo_off)},
        {"correct_ms", on_off(good_on, good_off)},
        {"index_bytes_added", 0},
    };
    if (json) {
        out << r.dump(2) << "\n";
        return 0;
    }
    char line[256];
    std::snprintf(line, sizeof line, "%zu misspelled %s queries (seed %llu, one edit %s)\n", originals.size(),
                  kind == "titles"  ? "headline"
                  : kind == "words" ? "bag-of-words"
                                    : "NEAR-pair",
                  static_cast<unsigned long long>(seed), mistyped == "all" ? "per word" : "in one word of each");
    out << line;
    std::snprintf(line, sizeof line,
                  "suspect below %u passages, typo rate %g (lift %g), prior passages^%g, context %s\n",
                  spelling.suspect, spelling.typo_rate, spelling.typo_lift, spelling.prior_exponent,
                  !spelling.context ? "off"
                  : spelling.joint  ? "joint"
                                    : "per word");
    out << line;
    std::snprintf(line, sizeof line, "top-1 accuracy %.1f%% (%zu right, %zu wrong, %zu without a suggestion)\n",
                  100 * share(right), right, originals.size() - right - none, none);
    out << line;
    std::snprintf(line, sizeof line, "top-1 accuracy, first half %.1f%%, second half %.1f%%\n", 100 * first_half,
                  100 * second_half);
    out << line;
    std::snprintf(line, sizeof line, "top-1 same stems as the original (the same hits): %.1f%%\n",
                  100 * share(stems_right));
    out << line;
    for (const auto& w : wrong) out << "  wrong: " << w << "\n";
    std::snprintf(line, sizeof line, "correct queries given a suggestion: %.1f%% (%zu)\n", 100 * share(false_alarms),
                  false_alarms);
    out << line;
    for (const auto& a : alarms) out << "  suggested for a correct query: " << a << "\n";
    std::snprintf(line, sizeof line,
                  "speller asked (the did-you-mean gate): %.1f%% of misspelled, %.1f%% of correct queries\n",
                  100 * share(asked_misspelled), 100 * share(asked_correct));
    out << line;
    std::snprintf(line, sizeof line,
                  "first rare word (vocabulary read for two edits) in %.1f ms; index size added: 0 bytes\n", load_ms);
    out << line;
    for (const auto& [name, on_ms, off_ms] :
         {std::tuple{"misspelled", &typo_on, &typo_off}, std::tuple{"correct", &good_on, &good_off}}) {
        std::snprintf(line, sizeof line,
                      "latency, %s queries: p50 %.2f ms with suggestions, %.2f without; p95 %.2f / %.2f ms; "
                      "p99 %.2f / %.2f ms\n",
                      name, median(*on_ms), median(*off_ms), percentile(*on_ms, 0.95), percentile(*off_ms, 0.95),
                      percentile(*on_ms, 0.99), percentile(*off_ms, 0.99));
        out << line;
    }
    return 0;
}

}  // namespace trawl::bench
