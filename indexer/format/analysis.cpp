#include "indexer/format/analysis.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corpus/base/error.hpp"
#include "corpus/text/nfc.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {
namespace {

// Snowball's English stop list (without its contractions, which the term
// generator splits anyway) plus "will" from Lucene's EnglishAnalyzer set:
// dropped from bag-of-words queries, kept inside phrases. An index that keeps
// every word's positions indexes them (its phrases need their postings); one
// that checks phrases against the stored text does not (format v6,
// positions.hpp): a phrase with them is checked there. Measured against
// Lucene's 33-word set on Cranfield (bench/RESULTS.md): +0.007 nDCG@10, as
// people type questions ("what are the ...") as often as keywords.
// Sorted: is_stop_word() searches it.
constexpr std::array<std::string_view, 124> kStopWords = {
    "a",       "about",      "above",    "after",     "again",   "against",   "all",     "am",     "an",      "and",
    "any",     "are",        "as",       "at",        "be",      "because",   "been",    "before", "being",   "below",
    "between", "both",       "but",      "by",        "could",   "did",       "do",      "does",   "doing",   "down",
    "during",  "each",       "few",      "for",       "from",    "further",   "had",     "has",    "have",    "having",
    "he",      "her",        "here",     "hers",      "herself", "him",       "himself", "his",    "how",     "i",
    "if",      "in",         "into",     "is",        "it",      "its",       "itself",  "me",     "more",    "most",
    "my",      "myself",     "no",       "nor",       "not",     "of",        "off",     "on",     "once",    "only",
    "or",      "other",      "ought",    "our",       "ours",    "ourselves", "out",     "over",   "own",     "same",
    "she",     "should",     "so",       "some",      "such",    "than",      "that",    "the",    "their",   "theirs",
    "them",    "themselves", "then",     "there",     "these",   "they",      "this",    "those",  "through", "to",
    "too",     "under",      "until",    "up",        "very",    "was",       "we",      "were",   "what",    "when",
    "where",   "which",      "while",    "who",       "whom",    "why",       "will",    "with",   "would",   "you",
    "your",    "yours",      "yourself", "yourselves"};

static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()), "is_stop_word() searches kStopWords");

// "source:NAME": the value as typed (quotes allow spaces), normalised.
class SourceFieldProcessor : public Xapian::FieldProcessor {
public:
    Xapian::Query operator()(const std::string& value) override { return source_filter(value); }
};

// The kSlotDate key of one end of a date: range as typed, "" when left out.
std::string date_key(const std::string& date) {
    if (date.empty()) return {};
    if (auto k = parse_date(date)) return *k;
    throw QuerySyntaxError(1, "bad date '" + date + "' in date: range (want YYYY-MM-DD or YYYYMMDD)");
}

// "date:FROM..TO" on kSlotDate, and "+date:FROM..TO" (a range is a filter,
// which every hit must pass already). Xapian's parser reads a range with
// the sign that starts it ("-date:1987-03-01", the lower end), so each
// spelling is a processor of its own.
class DateRangeProcessor : public Xapian::RangeProcessor {
public:
    explicit DateRangeProcessor(const char* prefix) : Xapian::RangeProcessor(kSlotDate, prefix) {}
    Xapian::Query operator()(const std::string& begin, const std::string& end) override {
        return date_filter(date_key(begin), date_key(end));
    }
};

// The stand-in for "-date:FROM..TO": Xapian's parser ORs every range of one
// group, where passages outside several ranges are outside each of them, so
// the parser is given a term that names the range, and excluded_dates()
// turns the group into the passages dated in none of the ranges.
constexpr std::string_view kExcludedDates = "\x01-date:";

class ExcludedDateRangeProcessor : public Xapian::RangeProcessor {
public:
    ExcludedDateRangeProcessor() : Xapian::RangeProcessor(kSlotDate, "-date:") {}
    Xapian::Query operator()(const std::string& begin, const std::string& end) override {
        return Xapian::Query(std::string(kExcludedDates) + date_key(begin) + ".." + date_key(end));
    }
};

// The English stemmer with a memo of the words it has stemmed: news text
// repeats its vocabulary, and Snowball costs ~800 instructions a word where a
// lookup costs ~100 (7% of indexing time before; bench/RESULTS.md, "Indexing
// profile"). Same stems as Xapian::Stem(kLanguage). One per TermGenerator,
// so one per thread; the memo is dropped when it reaches kMaxEntries.
class MemoStemmer : public Xapian::StemImplementation {
public:
    std::string operator()(const std::string& word) override {
        auto it = memo_.find(word);
        if (it != memo_.end()) return it->second;
        if (memo_.size() >= kMaxEntries) memo_.clear();
        return memo_.emplace(word, stem_(word)).first->second;
    }
    std::string get_description() const override { return "Trawl memo(" + stem_.get_description() + ")"; }

private:
    static constexpr std::size_t kMaxEntries = 200000;  // ~20 MB at most
    Xapian::Stem stem_{kLanguage};
    std::unordered_map<std::string, std::string> memo_;
};

}  // namespace

Xapian::TermGenerator make_term_generator(StemStorage stems) {
    Xapian::TermGenerator tg;
    if (stems == StemStorage::Synonyms) {
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
        return tg;
    }
    tg.set_stemmer(Xapian::Stem(new MemoStemmer));
    // Unstemmed terms get positions (phrase/NEAR/ADJ work on them); stemmed
    // Z-terms do not, which keeps the position table half the size of STEM_ALL_Z
    // with full positions.
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    return tg;
}

bool is_stop_word(std::string_view word) { return std::binary_search(kStopWords.begin(), kStopWords.end(), word); }

std::span<const std::string_view> stop_words() { return kStopWords; }

namespace {

// Each stop word's stem, in kStopWords' order, made once (thread-safe static).
const std::vector<std::string>& stop_word_stems() {
    static const std::vector<std::string> stems = [] {
        Xapian::Stem stem(kLanguage);
        std::vector<std::string> out;
        for (const auto w : kStopWords) out.push_back(stem(std::string(w)));
        return out;
    }();
    return stems;
}

}  // namespace

const std::string& stop_word_stem(std::string_view word) {
    static const std::string none;
    const auto it = std::lower_bound(kStopWords.begin(), kStopWords.end(), word);
    if (it == kStopWords.end() || *it != word) return none;
    return stop_word_stems()[static_cast<std::size_t>(it - kStopWords.begin())];
}

std::vector<std::string_view> stop_words_stemmed_as(std::string_view stem) {
    std::vector<std::string_view> out;
    const auto& stems = stop_word_stems();
    for (std::size_t i = 0; i < stems.size(); ++i)
        if (stems[i] == stem) out.push_back(kStopWords[i]);
    return out;
}

bool is_query_field(std::string_view name) { return name == "title" || name == "source"; }

std::string normalize_source(std::string_view typed) {
    const std::string source = corpus::to_nfc(typed);
    std::string out;
    bool gap = false;
    for (Xapian::Utf8Iterator it(source); it != Xapian::Utf8Iterator(); ++it) {
        if (Xapian::Unicode::is_whitespace(*it)) {
            gap = !out.empty();
            continue;
        }
        std::string ch;
        Xapian::Unicode::append_utf8(ch, Xapian::Unicode::tolower(*it));
        if (out.size() + gap + ch.size() > kMaxSourceBytes) break;
        if (gap) out += '-';
        out += ch;
        gap = false;
    }
    return out;
}

Xapian::Query source_filter(std::string_view source) {
    return Xapian::Query(std::string(kPrefixSource) + normalize_source(source));
}

std::optional<Xapian::Query> excluded_dates(const Xapian::Query& q) {
    std::vector<Xapian::Query> ranges;
    const auto collect = [&](const auto& self, const Xapian::Query& node) -> bool {
        if (node.get_type() == Xapian::Query::LEAF_TERM) {
            const std::string term = *node.get_terms_begin();
            if (!term.starts_with(kExcludedDates)) return false;
            const std::string_view range = std::string_view(term).substr(kExcludedDates.size());
            const auto dots = range.find("..");
            ranges.push_back(date_filter(std::string(range.substr(0, dots)), std::string(range.substr(dots + 2))));
            return true;
        }
        if (node.get_type() != Xapian::Query::OP_OR || node.get_num_subqueries() == 0) return false;
        for (std::size_t i = 0; i < node.get_num_subqueries(); ++i)
            if (!self(self, node.get_subquery(i))) return false;
        return true;
    };
    if (!collect(collect, q)) return std::nullopt;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                         Xapian::Query(Xapian::Query::OP_OR, ranges.begin(), ranges.end()));
}

Xapian::Query date_filter(const std::string& since, const std::string& until) {
    if (since.empty() && until.empty()) return Xapian::Query::MatchAll;
    if (until.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotDate, since);
    if (since.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotDate, until);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotDate, since, until);
}

namespace {

// The query's characters as Xapian's parser reads them, with their bytes.
struct QueryChars {
    std::string_view text;
    std::vector<std::size_t> at;  // byte offset of each character, then text.size()
    std::vector<unsigned> ch;     // each character (a byte that is not UTF-8: its Latin-1 value)

    explicit QueryChars(std::string_view q) : text(q) {
        for (Xapian::Utf8Iterator it(q.data(), q.size()); it != Xapian::Utf8Iterator(); ++it) {
            at.push_back(static_cast<std::size_t>(it.raw() - q.data()));
            ch.push_back(*it);
        }
        at.push_back(q.size());
    }
    std::size_t size() const { return ch.size(); }
    bool word(std::size_t i) const { return i < size() && Xapian::Unicode::is_wordchar(ch[i]); }
    bool ascii_letter(std::size_t i) const {
        return i < size() && ((ch[i] >= 'A' && ch[i] <= 'Z') || (ch[i] >= 'a' && ch[i] <= 'z'));
    }
    std::string_view bytes(std::size_t from, std::size_t to) const { return text.substr(at[from], at[to] - at[from]); }
};

// Xapian 1.4's parser (parse_term()) reads ASCII capitals joined by '.' and
// not followed by a word character as one acronym ("U.S." is the term "us",
// as the term generator indexes it), and the same letters in lower case as a
// phrase of one-letter words ("u.s." is "u s"). The end of the acronym in
// either case that starts at `i` (single ASCII letters joined by '.', the
// trailing '.' included, no word character after), or `i` if none does.
std::size_t acronym_end(const QueryChars& q, std::size_t i) {
    if (!q.ascii_letter(i)) return i;
    std::size_t p = i, letters = 0;
    do {
        ++p, ++letters;
    } while (p < q.size() && q.ch[p] == '.' && ++p < q.size() && q.ascii_letter(p));
    return letters > 1 && !q.word(p) ? p : i;
}

// Characters Xapian's parser keeps inside a word when a word character
// follows ("AT&T", "Fred's"): "AND's" is a word, not the operator.
bool infix(unsigned ch) { return ch == '\'' || ch == '&' || ch == 0xb7 || ch == 0x5f4 || ch == 0x2027 || ch == 0x2019; }

bool is_operator_word(std::string_view w) {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

// A field name of make_query_parser()'s, in any ASCII case, lower-cased; ""
// for another word. "date:" is a range processor's prefix, spelled the same.
std::string query_field(std::string_view name) {
    std::string lower;
    for (const char c : name) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return is_query_field(lower) || lower == "date" ? lower : std::string();
}

}  // namespace

std::string fold_query_case(std::string_view query) {
    const QueryChars q(query);
    std::string out;
    out.reserve(query.size());
    std::size_t i = 0;
    while (i < q.size()) {
        // Only a word's first character matters to the parser: it lower-cases
        // the rest itself. A word starts after a character that is not a word
        // character (some such starts are inside Xapian's words, "Fred's":
        // lower-casing there changes nothing).
        if (!q.word(i) || (i > 0 && q.word(i - 1))) {
            // A run of dots ("prices fell... sharply", "oil..gas", "u.s...")
            // is punctuation: the parser reads ".." as a range, which only
            // date: has (its value is copied below), and said "Unknown range
            // operation" at column 1.
            if (q.ch[i] == '.' && i + 1 < q.size() && q.ch[i + 1] == '.') {
                for (; i < q.size() && q.ch[i] == '.'; ++i) out += ' ';
                continue;
            }
            out += q.bytes(i, i + 1);
            ++i;
            continue;
        }
        std::size_t end = i;
        while (q.word(end)) ++end;
        const std::string_view word = q.bytes(i, end);
        if (end < q.size() && q.ch[end] == ':') {
            if (const auto field = query_field(word); !field.empty()) {
                out += field;
                out += ':';
                i = end + 1;
                // A source or a date range: a value, not words (Xapian reads
                // it to the next blank or ')', a quoted source to its quote).
                if (field != "title") {
                    const bool quoted = i < q.size() && q.ch[i] == '"';
                    std::size_t v = i + quoted;
                    while (v < q.size() && (quoted ? q.ch[v] != '"' : q.ch[v] > ' ' && q.ch[v] != ')')) ++v;
                    v += quoted && v < q.size();
                    out += q.bytes(i, v);
                    i = v;
                }
                continue;
            }
        }
        const bool whole_word = end == q.size() || !infix(q.ch[end]) || !q.word(end + 1);
        if (const std::size_t acronym = acronym_end(q, i); acronym > i) {
            // In capitals, as the parser reads an acronym ("u.s." -> "U.S.").
            for (const char c : q.bytes(i, acronym)) out += c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
            i = acronym;
        } else if (is_operator_word(word) && whole_word) {
            out += word;
            i = end;
        } else {
            // Xapian's STEM_SOME leaves a word unstemmed when its first
            // character is a capital: "Exports" would match "exports" only.
            // (A byte that is not UTF-8 is left as it is.)
            const bool utf8 = (q.ch[i] < 0x80) == (q.at[i + 1] - q.at[i] == 1);
            if (utf8 && Xapian::Unicode::get_category(q.ch[i]) == Xapian::Unicode::UPPERCASE_LETTER)
                Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(q.ch[i]));
            else out += q.bytes(i, i + 1);
            ++i;
        }
    }
    return out;
}

std::string capitalise_acronyms(std::string_view query) {
    const QueryChars q(query);
    std::string out(query);
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (i > 0 && q.word(i - 1)) continue;  // a word starts after a character that is none
        const std::size_t end = acronym_end(q, i);
        for (std::size_t b = q.at[i]; b < q.at[end]; ++b)
            if (out[b] >= 'a' && out[b] <= 'z') out[b] = static_cast<char>(out[b] - 32);
        if (end > i) i = end - 1;
    }
    return out;
}

unsigned query_parser_flags() {
    using QP = Xapian::QueryParser;
    // FLAG_AUTO_SYNONYMS: a stemmed word of a Synonyms index (stems.hpp)
    // becomes OP_SYNONYM of its words; a Terms index has no synonyms, and its
    // Z-terms stay as they are.
    return QP::FLAG_PHRASE | QP::FLAG_BOOLEAN | QP::FLAG_LOVEHATE | QP::FLAG_WILDCARD | QP::FLAG_AUTO_SYNONYMS;
}

Xapian::QueryParser make_query_parser(const Xapian::Database& db) {
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem(kLanguage));
    // STEM_SOME, not STEM_ALL_Z: phrase, NEAR and ADJ words stay words (the
    // index has positions for words, none for stems). It leaves a capitalised
    // word unstemmed too, which fold_query_case() undoes before parsing.
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    auto* stopper = new Xapian::SimpleStopper();
    for (auto w : kStopWords) stopper->add(std::string(w));
    qp.set_stopper(stopper->release());  // reference-counted: owned by the parser from here
    // Bare words search the body, which holds the headline in the lead passage
    // (schema.hpp); "title:" searches the title field of every passage.
    // Searching the title field too with bare words counted the headline twice
    // and cost 0.013 nDCG@10 on Cranfield (bench/RESULTS.md).
    qp.add_prefix("title", std::string(kPrefixTitle));
    qp.add_boolean_prefix("source", (new SourceFieldProcessor)->release());
    qp.add_rangeprocessor((new DateRangeProcessor("date:"))->release());
    qp.add_rangeprocessor((new DateRangeProcessor("+date:"))->release());
    // A group of its own, apart from the date: ranges it is ANDed with.
    const std::string excluded(kExcludedDates);
    qp.add_rangeprocessor((new ExcludedDateRangeProcessor)->release(), &excluded);
    qp.set_max_expansion(1000, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    return qp;
}

}  // namespace trawl::format
