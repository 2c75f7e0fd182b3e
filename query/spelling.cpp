#include "spelling.hpp"

#include <algorithm>
#include <cctype>

#include "analysis.hpp"

namespace trawl::query {
namespace {

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80 || c == '\''; }

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
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
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
    // Body words are the unprefixed terms: prefixes are upper case, so every
    // term from "a" on is a word (numbers, below "A", are never corrected).
    auto t = db_.allterms_begin();
    t.skip_to("a");
    for (; t != db_.allterms_end(); ++t) {
        const Xapian::doccount n = t.get_termfreq();
        if (n < kMinVocabularyPassages) continue;
        const std::string& w = *t;
        if (format::is_stop_word(w)) continue;
        if (by_length_.size() <= w.size()) by_length_.resize(w.size() + 1);
        by_length_[w.size()].push_back({w, n});
    }
}

std::vector<std::string> Speller::candidates(const std::string& word) {
    const Xapian::doccount own = db_.get_termfreq(word);
    if (own >= opts_.suspect) return {};
    if (!loaded_) load();
    const std::size_t max = own == 0 && word.size() >= kLongWord ? 2 : 1;
    const Xapian::doccount needed = std::max<Xapian::doccount>(kMinVocabularyPassages, opts_.ratio * own);
    const std::string stem = own > 0 ? stemmer_(word) : std::string();
    std::vector<const Word*> best;
    std::size_t best_distance = max + 1;
    const std::size_t from = word.size() > max ? word.size() - max : 1;
    for (std::size_t len = from; len <= word.size() + max && len < by_length_.size(); ++len) {
        for (const auto& w : by_length_[len]) {
            if (w.passages < needed || w.text == word) continue;
            if (own > 0 && stemmer_(w.text) == stem) continue;  // another form of a word the index has
            const auto d = edit_distance(word, w.text, std::min(max, best_distance));
            if (d > max || d > best_distance) continue;
            if (d < best_distance) best.clear();
            best_distance = d;
            best.push_back(&w);
        }
    }
    std::stable_sort(best.begin(), best.end(), [](const Word* a, const Word* b) { return a->passages > b->passages; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < best.size() && i < kMaxCandidates; ++i) out.push_back(best[i]->text);
    return out;
}

std::string Speller::correct(const std::string& word) {
    auto c = candidates(word);
    return c.empty() ? std::string() : c.front();
}

namespace {

// A word of the query as typed: where it stands and what may replace it.
struct QueryWord {
    std::size_t begin = 0, end = 0;
    std::string lower;                    // as indexed
    bool checked = false;                 // a word spelling applies to
    std::vector<std::string> candidates;  // corrections, best first
};

// Passages holding both terms.
Xapian::doccount together(const Xapian::Database& db, const std::string& a, const std::string& b) {
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(a), Xapian::Query(b)));
    e.set_weighting_scheme(Xapian::BoolWeight());
    return e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

}  // namespace

std::string Speller::suggest(const std::string& query) {
    std::vector<QueryWord> words;
    bool in_filter = false;  // inside the value of source: or date:
    for (std::size_t i = 0; i < query.size();) {
        const auto c = static_cast<unsigned char>(query[i]);
        if (!is_word_byte(c)) {
            if (c == ' ' || c == '\t' || c == '(' || c == ')') in_filter = false;
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < query.size() && is_word_byte(static_cast<unsigned char>(query[j]))) ++j;
        const std::string_view token(query.data() + i, j - i);
        const char after = j < query.size() ? query[j] : ' ';
        QueryWord w{i, j, lower(token), false, {}};
        if (after == ':') {
            in_filter = w.lower != "title";  // source: and date: values are not words
        } else if (!in_filter && after != '*' && !is_operator(token) &&
                   !std::isdigit(static_cast<unsigned char>(token[0])) && !format::is_stop_word(w.lower)) {
            w.checked = true;
            w.candidates = candidates(w.lower);
        }
        words.push_back(std::move(w));
        i = j;
    }
    // The query's words as they would stand corrected (for the context of the others).
    std::vector<std::string> context;
    for (const auto& w : words)
        if (w.checked) context.push_back(w.candidates.empty() ? w.lower : w.candidates.front());
    std::string out;
    std::size_t at = 0;
    bool changed = false;
    for (std::size_t k = 0, ci = 0; k < words.size(); ++k) {
        auto& w = words[k];
        if (!w.checked) continue;
        const std::size_t self = ci++;
        if (w.candidates.empty()) continue;
        std::string pick = w.candidates.front();
        if (w.candidates.size() > 1 && context.size() > 1) {
            Xapian::doccount best = 0;
            for (const auto& cand : w.candidates) {
                Xapian::doccount n = 0;
                for (std::size_t o = 0; o < context.size(); ++o)
                    if (o != self) n += together(db_, cand, context[o]);
                if (n > best) best = n, pick = cand;
            }
        }
        out.append(query, at, w.begin - at);
        out += pick;
        at = w.end;
        changed = true;
    }
    if (!changed) return {};
    out.append(query, at);
    return out;
}

}  // namespace trawl::query
