#include "query/spelling.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "corpus/base/ascii.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/pair_signature.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/words.hpp"
#include "query/query_check.hpp"
#include "query/spelling_channel.hpp"

namespace trawl::query {
namespace {

bool is_operator(std::string_view w) {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w.starts_with("NEAR") || w.starts_with("ADJ");
}

// Lower case as the term generator makes it.
std::string lower(std::string_view w) { return Xapian::Unicode::tolower(std::string(w)); }

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > max) return max + 1;
    // Three rows of the optimal-string-alignment table.
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        std::size_t row_min = cur[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > max) return max + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], max + 1);
}

void Speller::load() {
    loaded_ = true;
    // Words only, from "a" on: numbers are never corrected.
    for_each_word(db_, "a", std::max(opts_.min_passages, kTwoEditMinPassages),
                  [&](const std::string& w, Xapian::doccount n) {
                      if (by_length_.size() <= w.size()) by_length_.resize(w.size() + 1);
                      by_length_[w.size()].push_back({w, n});
                      return true;
                  });
}

double Speller::flattened(double x) const { return opts_.prior_exponent == 1 ? x : std::pow(x, opts_.prior_exponent); }

double Speller::weight(const SpellingCandidate& c) const { return flattened(double(c.passages)) * c.channel; }

Xapian::doccount Speller::vocabulary_passages(std::string_view word) {
    // The table holds words; "" and a capital's prefixed terms are Xapian's
    // to answer (the query's words are neither: query_words() lowers them).
    const bool a_word = !word.empty() && !is_ascii_upper(word[0]);
    if (!vocabulary_.table && !vocabulary_.loading && xapian_lookups_ >= hold_after_) {
        hold_after_ = UINT64_MAX;  // read once, held or not
        vocabulary_.table =
            read_at_once<SpellingVocabulary>(SpellingVocabulary::reader(opts_.min_passages, vocabulary_bytes_), db_);
        vocabulary_.given_up = !vocabulary_.table;
    }
    if (vocabulary_.table && a_word) return (*vocabulary_.table)(word);
    ++xapian_lookups_;
    const Xapian::doccount n = db_.get_termfreq(std::string(word));
    return n < opts_.min_passages || format::is_stop_word(word) ? 0 : n;
}

// Two edits away: rare enough (long words the vocabulary lacks, with nothing
// one edit away) to scan the vocabulary of the lengths in reach; the error
// model is not applied to pairs of errors, so the most frequent win.
std::vector<SpellingCandidate> Speller::two_edit_candidates(const std::string& word) {
    if (!loaded_) load();
    std::vector<SpellingCandidate> out;
    for (std::size_t len = word.size() - 2; len <= word.size() + 2 && len < by_length_.size(); ++len)
        for (const auto& w : by_length_[len])
            if (edit_distance(word, w.text, 2) <= 2)
                out.push_back({w.text, w.passages, opts_.typo_rate * opts_.typo_rate, opts_.typo_rate});
    return out;
}

std::vector<SpellingCandidate> Speller::candidates(const std::string& word, Xapian::doccount suspect,
                                                   std::size_t keep) {
    if (word.size() > kMaxSpelledBytes) return {};  // bounded work: ~54 lookups a letter
    const Xapian::doccount own = vocabulary_passages(word);
    if (own >= suspect) return {};
    const std::string stem = own > 0 ? stemmer_(word) : std::string();
    std::vector<SpellingCandidate> out;
    // Looked up in byte order (one_edit_sources' order): Xapian keeps the
    // B-tree path of its last lookup and reads again only the blocks that
    // differ, so neighbouring words share their blocks (a word has ~54
    // sources a letter, spread over the alphabet when taken in edit order).
    // Held in memory, the vocabulary keeps the sources it has as they are made.
    auto sources = vocabulary_.table
                       ? one_edit_sources(word, [&](std::string_view w) { return vocabulary_passages(w) > 0; })
                       : one_edit_sources(word);
    for (auto& source : sources) {
        const Xapian::doccount n = vocabulary_passages(source.meant);
        if (n == 0) continue;
        if (own > 0 && stemmer_(source.meant) == stem) continue;  // another form of a word the index has
        out.push_back({std::move(source.meant), n, opts_.typo_rate * source.p, source.p});
    }
    if (out.empty() && own == 0 && word.size() >= kLongWord) out = two_edit_candidates(word);
    if (out.empty()) return {};
    if (own > 0) out.push_back({word, own, 1 - opts_.typo_rate});
    // P(c) P(w | c), with P(c) = passages / doccount for all alike; ties: the word as typed, then byte order.
    std::sort(out.begin(), out.end(), [&](const SpellingCandidate& a, const SpellingCandidate& b) {
        const double x = weight(a), y = weight(b);
        if (x != y) return x > y;
        if ((a.word == word) != (b.word == word)) return a.word == word;
        return a.word < b.word;
    });
    if (out.size() > keep) out.resize(keep);
    return out;
}

std::string Speller::correct(const std::string& word) {
    auto c = candidates(word);
    return c.empty() || c.front().word == word ? std::string() : c.front().word;
}

namespace {

// A word of the query as typed: where it stands and what may replace it.
struct QueryWord {
    std::size_t begin = 0, end = 0;
    std::string lower;                          // as indexed
    bool checked = false;                       // a word spelling applies to
    std::vector<SpellingCandidate> candidates;  // likeliest first
    const std::string& best() const { return candidates.empty() ? lower : candidates.front().word; }
};

// How far the value of a field (`title:`, `source:`, `date:`) goes, as the
// query parser reads it: one word up to the next blank or bracket, a quoted
// value (`source:"BBC News"`, `title:“crude oil”`: the quotes check_query_syntax()
// knows, quote_len()) to its closing quote, a bracketed one (`title:(oil
// gas)`) to its closing bracket.
class FieldValue {
public:
    // The field's name ends at `colon`.
    void open(std::string_view query, std::size_t colon) {
        opener_ = colon + 1;
        const bool more = opener_ < query.size();
        kind_ = more && quote_len(query, opener_) != 0 ? Kind::quoted
                : more && query[opener_] == '('        ? Kind::bracketed
                                                       : Kind::word;
        depth_ = 0;
    }
    // Reads the byte at `k` of `query`, between two words.
    void step(std::string_view query, std::size_t k) {
        const char c = query[k];
        switch (kind_) {
            case Kind::none:
                break;
            case Kind::word:
                if (c == ' ' || c == '\t' || c == '(' || c == ')') kind_ = Kind::none;
                break;
            case Kind::quoted:
                if (k > opener_ && quote_len(query, k) != 0) kind_ = Kind::none;
                break;
            case Kind::bracketed:
                if (c == '(') ++depth_;
                if (c == ')' && --depth_ <= 0) kind_ = Kind::none;
                break;
        }
    }
    bool inside() const { return kind_ != Kind::none; }

private:
    enum class Kind { none, word, quoted, bracketed };
    Kind kind_ = Kind::none;
    std::size_t opener_ = 0;
    int depth_ = 0;
};

}  // namespace

PassageCounter::Held PassageCounter::held(const std::vector<std::string>& words, std::size_t sample) {
    // The middle of the j-th of `sample` equal parts of [0, n): evenly spread.
    const auto middle = [&](std::size_t j, std::uint64_t n) { return (2 * j + 1) * n / (2 * sample); };
    std::vector<const std::vector<Xapian::docid>*> lists;
    std::vector<std::string> frequent;
    for (const auto& w : words) {
        if (const auto* l = listed(w)) lists.push_back(l);
        else frequent.push_back(w);
    }
    if (lists.empty()) {
        Xapian::Enquire e(db_);
        e.set_query(Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()));
        e.set_weighting_scheme(Xapian::BoolWeight());
        Held out{e.get_mset(0, 0, db_.get_doccount()).get_matches_estimated(), {}};
        if (sample == 0 || out.passages == 0) return out;
        // From each of `sample` evenly spaced docids, the next passage that
        // holds every word (the lists leapfrog forward only).
        std::vector<Xapian::PostingIterator> its;
        for (const auto& w : words) its.push_back(db_.postlist_begin(w));
        const Xapian::docid last = db_.get_lastdocid();
        Xapian::docid from = 1;
        for (std::size_t j = 0; j < sample; ++j) {
            Xapian::docid at = std::max<Xapian::docid>(from, static_cast<Xapian::docid>(middle(j, last)));
            for (std::size_t k = 0, agreed = 0; agreed < its.size(); k = (k + 1) % its.size()) {
                its[k].skip_to(at);
                if (its[k] == db_.postlist_end(words[k])) return out;
                if (*its[k] == at) {
                    ++agreed;
                } else {
                    at = *its[k];
                    agreed = 1;
                }
            }
            out.sample.push_back(at);
            from = at + 1;
        }
        return out;
    }
    std::sort(lists.begin(), lists.end(), [](const auto* x, const auto* y) { return x->size() < y->size(); });
    std::vector<Xapian::docid> shared = *lists.front();
    for (std::size_t i = 1; i < lists.size() && !shared.empty(); ++i) {
        auto from = lists[i]->begin();
        std::erase_if(shared, [&](Xapian::docid d) {
            from = std::lower_bound(from, lists[i]->end(), d);
            return from == lists[i]->end() || *from != d;
        });
    }
    for (const auto& w : frequent) {
        if (shared.empty()) break;
        auto it = db_.postlist_begin(w);
        const auto end = db_.postlist_end(w);
        std::erase_if(shared, [&](Xapian::docid d) {
            if (it == end) return true;
            it.skip_to(d);
            return it == end || *it != d;
        });
    }
    Held out{static_cast<Xapian::doccount>(shared.size()), {}};
    if (shared.size() <= sample) {
        out.sample = std::move(shared);
    } else {
        for (std::size_t j = 0; j < sample; ++j) out.sample.push_back(shared[middle(j, shared.size())]);
    }
    return out;
}

const std::vector<Xapian::docid>* PassageCounter::listed(const std::string& word) {
    auto [it, fresh] = lists_.try_emplace(word);
    if (fresh) {
        const Xapian::doccount n = db_.get_termfreq(word);
        if (n <= listed_up_to_ && listed_ + n <= listed_in_all_) {
            it->second.emplace();
            it->second->reserve(n);
            for (auto p = db_.postlist_begin(word); p != db_.postlist_end(word); ++p) it->second->push_back(*p);
            listed_ += n;
        }
    }
    return it->second ? &*it->second : nullptr;
}

namespace {

// How much likelier `c` is in a passage that holds `other` than in any
// passage: the passages holding both against as many as chance would give
// (passages of c x passages of other / all passages), each plus one passage
// so that a pair seen once or never, by chance, weighs about 1.
double context_lift(const Xapian::Database& db, PassageCounter& together, const SpellingCandidate& c,
                    const std::string& other) {
    const Xapian::doccount n_other = db.get_termfreq(other);
    if (n_other == 0) return 1;
    const double expected = double(c.passages) * n_other / db.get_doccount();
    return (together({c.word, other}) + 1.0) / (expected + 1.0);
}

// The words of a choice of each word.
template <typename Choices>
std::vector<std::string> chosen(const std::vector<Choices>& words, const std::vector<std::size_t>& at) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < words.size(); ++k) out.push_back(words[k].choices[at[k]].word);
    return out;
}

// A combination of one choice per word, with what is known before counting
// the passages that hold it: the product of the channels and of the priors,
// and an upper bound of its score (no more passages hold all its words than
// hold its rarest).
struct Combination {
    std::vector<std::size_t> at;  // the choice of each word
    // P(typed | chosen): the errors' chances, then times the chance of that
    // many words mistyped (Speller::typos_chance()).
    double channel = 1, independent = 1, bound = 0;
    std::size_t mistyped = 0;  // the words whose choice is not the word typed
};

}  // namespace

// True when choice `k` of word `w` is a word that an earlier word of the
// combination `at` chose although the two were typed differently, or another
// form of it (the same stem) when either of the two is a correction: nobody
// types a word twice in a query of words (it would search nothing more), so
// "hog kog" is not "hog hog"; and trawl-query searches the stems of the
// words, so "sets sew" is not "sets set" either. Two forms typed as they are
// ("sets set") are left alone. `stems[i][j]` is the stem of choice j of word i.
bool Speller::repeats(const std::vector<QueryChoices>& words, const std::vector<std::vector<std::string>>& stems,
                      const std::vector<std::size_t>& at, std::size_t w, std::size_t k) {
    const auto& mine = words[w].choices[k].word;
    for (std::size_t i = 0; i < at.size(); ++i) {
        if (words[i].typed == words[w].typed) continue;
        const auto& theirs = words[i].choices[at[i]].word;
        if (theirs == mine) return true;
        if (stems[i][at[i]] == stems[w][k] && (theirs != words[i].typed || mine != words[w].typed)) return true;
    }
    return false;
}

namespace {

// The query's words as the indexer cuts them (format::Words: "AT&T's",
// "don't" and "c++" are one word each), so that a suggestion replaces a
// whole word by a whole word of the index, never a piece of one ("AT&T's"
// is not "AT" and "T's", which made "AT&it's"); `checked` marks the words
// spelling applies to. `terms` and `follows` get the query's phrase
// (Speller::QueryPhrase).
std::vector<QueryWord> query_words(const std::string& query, std::vector<std::string>& terms,
                                   std::vector<bool>& follows) {
    format::Words cut;
    cut.index_text_without_positions(query);
    std::vector<QueryWord> words;
    FieldValue field;      // the value of the last field named (title: words are title terms)
    bool filter = false;   // that field is source: or date:, whose values are not words
    std::size_t from = 0;  // where the text since the last word starts
    for (const auto& fw : cut.list()) {
        for (std::size_t k = from; k < fw.begin; ++k) field.step(query, k);
        from = fw.end;
        const bool in_field = field.inside();
        const bool in_filter = in_field && filter;
        const std::string_view token(query.data() + fw.begin, fw.end - fw.begin);
        const char after = fw.end < query.size() ? query[fw.end] : ' ';
        QueryWord w{fw.begin, fw.end, lower(token), false, {}};
        // Spelled only where the word is its term as typed: a correction of
        // "U.S." (term "us") or "don’t" ("don't") would drop the user's
        // punctuation.
        const bool as_typed = fw.indexed && cut.term(fw) == w.lower;
        const auto between = std::string_view(query).substr(words.empty() ? 0 : words.back().end,
                                                            fw.begin - (words.empty() ? 0 : words.back().end));
        follows.push_back(!words.empty() && !between.empty() &&
                          between.find_first_not_of(' ') == std::string_view::npos);
        // A body word of the phrase counts as typed: not a field's word, an
        // operator or its window (the n of NEAR/n), a wildcard or a word the
        // indexer spells otherwise.
        const bool plain = as_typed && after != '*' && !is_operator(token);  // a word, as typed
        const bool window = fw.begin > 0 && query[fw.begin - 1] == '/';
        terms.push_back(!in_field && !window && plain && after != ':' ? w.lower : std::string());
        if (after == ':') {
            filter = w.lower != "title";
            field.open(query, fw.end);
        } else if (!in_filter && plain && !std::isdigit(static_cast<unsigned char>(token[0])) &&
                   !format::is_stop_word(w.lower)) {
            w.checked = true;
        }
        words.push_back(std::move(w));
    }
    return words;
}

}  // namespace

bool Speller::stray_word(const std::string& query, const std::set<std::string>& left_out) {
    std::vector<std::string> terms, found;
    std::vector<bool> follows;
    std::set<std::string> rare;  // each once: "interest rats rats" has one rare word
    const auto words = query_words(query, terms, follows);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if (!w.checked) continue;
        const Xapian::doccount n = vocabulary_passages(w.lower);
        if (n == 0) return true;
        if (left_out.contains(w.lower)) continue;
        if (n < opts_.suspect) rare.insert(w.lower);
        found.push_back(w.lower);
    }
    return rare.size() == 1 && found.size() > 1 && PassageCounter(db_)(found) == 0;
}

std::string Speller::suggest(const std::string& query) {
    QueryPhrase phrase;
    std::vector<QueryWord> words = query_words(query, phrase.terms, phrase.follows);
    for (auto& w : words)
        if (w.checked) w.candidates = candidates(w.lower, opts_.suspect, kMaxCombinations);
    std::vector<QueryChoices> choices;  // the checked words in a vocabulary
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (!words[i].checked) continue;
        auto c = words[i].candidates;
        if (c.empty()) c.push_back({words[i].lower, db_.get_termfreq(words[i].lower), 1});  // taken as typed
        if (c.front().passages > 0) choices.push_back({i, words[i].lower, std::move(c)});
    }
    std::vector<std::string> picks(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) picks[i] = words[i].best();
    PassageCounter together(db_);  // this suggestion's counts
    if (opts_.context && opts_.joint) {
        auto pick = joint_choice(choices, together, phrase);
        // The chosen query's passages: counted by joint_choice() when it had to choose.
        const auto held = [&] { return pick.together ? *pick.together : count(choices, pick.at, together, phrase); };
        if (choices.size() > 1 && held().side_by_side == 0 && widen(choices))
            pick = joint_choice(choices, together, phrase);
        for (std::size_t k = 0; k < choices.size(); ++k)
            picks[choices[k].word] = pick.none ? choices[k].typed : choices[k].choices[pick.at[k]].word;
    } else if (opts_.context) {
        // Each word's choice given the others' likeliest forms (naive Bayes
        // over the other words: P(c) P(w | c) times each other word's lift).
        for (const auto& w : words) {
            if (!w.checked || w.candidates.size() < 2) continue;
            double best = -1;
            for (const auto& cand : w.candidates) {
                double score = weight(cand);
                for (const auto& o : words)
                    if (o.checked && &o != &w) score *= context_lift(db_, together, cand, o.best());
                if (score > best) best = score, picks[&w - words.data()] = cand.word;
            }
        }
    }
    std::string out;
    std::size_t at = 0;
    bool changed = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (!words[i].checked || picks[i] == words[i].lower) continue;
        out.append(query, at, words[i].begin - at);
        out += picks[i];
        at = words[i].end;
        changed = true;
    }
    if (!changed) return {};
    out.append(query, at);
    return out;
}

double Speller::prior(double passages) const { return flattened(passages / db_.get_doccount()); }

double Speller::typos_chance(std::size_t mistyped, std::size_t words) const {
    const double e = opts_.typo_rate, lift = opts_.typo_lift;
    double p = 1;
    if (lift <= 1 || e <= 0 || e >= 1) {
        for (std::size_t j = 0; j < words; ++j) p *= j < mistyped ? e : 1 - e;
        return p;
    }
    // The query's typo rate drawn from Beta(a, b) of mean e: the chance of
    // these words mistyped and the others not is B(a + mistyped, b + words -
    // mistyped) / B(a, b), and the chance of a second word mistyped after a
    // first is (a + 1) / (a + b + 1) = lift e, so a + b = (1 - lift e) / (e
    // (lift - 1)).
    const double s = std::max((1 - lift * e) / (e * (lift - 1)), 1e-9), a = e * s, b = s - a;
    for (std::size_t j = 0; j < mistyped; ++j) p *= (a + double(j)) / (s + double(j));
    for (std::size_t j = 0; j + mistyped < words; ++j) p *= (b + double(j)) / (s + double(mistyped + j));
    return p;
}

// The choice of each word that makes P(w1 .. wn | c1 .. cn) P(c1 .. cn)
// largest (spelling.hpp), by branch and bound: the combinations in order of
// their bound, counted until no bound can beat the best score.
double Speller::phrase_share(const std::vector<std::string>& terms, const std::vector<bool>& follows,
                             const std::vector<Xapian::docid>& passages) const {
    std::vector<std::uint64_t> pairs;
    for (std::size_t i = 1; i < terms.size(); ++i)
        if (follows[i] && !terms[i - 1].empty() && !terms[i].empty())
            pairs.push_back(format::pair_hash(format::term_hash(terms[i - 1]), format::term_hash(terms[i])));
    if (pairs.empty() || passages.empty()) return 1;
    std::size_t held = 0;
    auto v = db_.valuestream_begin(format::kSlotPairs);
    const auto end = db_.valuestream_end(format::kSlotPairs);
    for (const Xapian::docid d : passages) {
        if (v != end) v.skip_to(d);
        // A passage without a signature value has an empty one, which
        // rejects nothing (pair_signature.hpp).
        const bool stored = v != end && v.get_docid() == d;
        const std::string signature = stored ? *v : std::string();
        if (std::all_of(pairs.begin(), pairs.end(),
                        [&](std::uint64_t p) { return format::may_hold_pair(signature, p); }))
            ++held;
    }
    // A passage without the pairs passes with the chance that each of them
    // does (about 2.2% a pair: pair_signature.hpp); taken out, so that a
    // query side by side in no passage counts none, not a few percent.
    const double chance = std::pow(format::pair_false_positive_rate(), double(pairs.size()));
    const double seen = double(held) / double(passages.size());
    return std::max(0.0, (seen - chance) / (1 - chance));
}

bool Speller::has_signatures() const {
    // The indexer writes none where every word keeps its positions (format/passage_document.cpp).
    if (!signatures_) signatures_ = !format::PositionalWords::read(db_).all_words();
    return *signatures_;
}

Speller::Counted Speller::count(const std::vector<QueryChoices>& words, const std::vector<std::size_t>& at,
                                PassageCounter& together, const QueryPhrase& phrase) const {
    const bool phrases = opts_.phrase_share > 0 && has_signatures();
    const auto held = together.held(chosen(words, at), phrases ? kPhraseSample : 0);
    if (!phrases || held.passages == 0) return {held.passages, double(held.passages)};
    auto terms = phrase.terms;
    for (std::size_t k = 0; k < words.size(); ++k)
        if (!terms[words[k].word].empty()) terms[words[k].word] = words[k].choices[at[k]].word;
    return {held.passages, held.passages * phrase_share(terms, phrase.follows, held.sample)};
}

Speller::JointChoice Speller::joint_choice(std::vector<QueryChoices>& words, PassageCounter& together,
                                           const QueryPhrase& phrase) const {
    JointChoice pick{std::vector<std::size_t>(words.size(), 0), std::nullopt};
    if (words.size() < 2 ||
        std::all_of(words.begin(), words.end(), [](const auto& w) { return w.choices.size() == 1; }))
        return pick;
    // The product, saturated: 41 words of 3 choices overflow 64 bits, and an
    // overflowed product stopped the trimming below (a query of 41 words ran
    // out of memory building their cartesian product).
    const auto combinations = [&] {
        std::size_t n = 1;
        for (const auto& w : words) {
            if (w.choices.size() > 1 && n > kMaxCombinations) return n;  // already over: no need to go on
            n *= w.choices.size();
        }
        return n;
    };
    while (combinations() > kMaxCombinations) {
        auto most = std::max_element(words.begin(), words.end(),
                                     [](const auto& a, const auto& b) { return a.choices.size() < b.choices.size(); });
        most->choices.pop_back();
    }
    std::vector<std::vector<std::string>> stems;
    for (const auto& w : words) {
        stems.emplace_back();
        for (const auto& c : w.choices) stems.back().push_back(stemmer_(c.word));
    }
    std::vector<Combination> all(1);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        std::vector<Combination> next;
        for (const auto& c : all)
            for (std::size_t k = 0; k < w.choices.size(); ++k) {
                if (repeats(words, stems, c.at, i, k)) continue;
                Combination d = c;
                d.at.push_back(k);
                if (w.choices[k].word != w.typed) {
                    d.channel *= w.choices[k].error;
                    ++d.mistyped;
                }
                d.independent *= prior(w.choices[k].passages);
                next.push_back(std::move(d));
            }
        all = std::move(next);
    }
    if (all.empty()) return {{}, Counted{}, true};  // every combination repeats a word: none is a query anyone meant
    for (auto& c : all) c.channel *= typos_chance(c.mistyped, words.size());
    for (auto& c : all) {
        Xapian::doccount fewest = words[0].choices[c.at[0]].passages;
        for (std::size_t k = 1; k < words.size(); ++k) fewest = std::min(fewest, words[k].choices[c.at[k]].passages);
        c.bound = c.channel * (opts_.together_share * prior(fewest) + (1 - opts_.together_share) * c.independent);
    }
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.bound > b.bound; });
    double best = -1;
    for (auto& c : all) {
        if (c.bound <= best) break;
        const Counted n = count(words, c.at, together, phrase);
        double p = prior(n.passages);
        if (opts_.phrase_share > 0) p = opts_.phrase_share * prior(n.side_by_side) + (1 - opts_.phrase_share) * p;
        const double score = c.channel * (opts_.together_share * p + (1 - opts_.together_share) * c.independent);
        if (score > best) best = score, pick = {std::move(c.at), n};
    }
    return pick;
}

// Gives the words taken as typed for their frequency (one choice: the word
// itself, in `suspect` passages or more) their candidates; true when one got any.
bool Speller::widen(std::vector<QueryChoices>& words) {
    bool any = false;
    for (auto& w : words) {
        if (w.choices.size() != 1 || w.choices.front().passages < opts_.suspect) continue;
        auto c = candidates(w.choices.front().word, std::numeric_limits<Xapian::doccount>::max(), kMaxCombinations);
        if (c.empty()) continue;
        w.choices = std::move(c);
        any = true;
    }
    return any;
}

}  // namespace trawl::query
