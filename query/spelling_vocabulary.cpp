#include "query/spelling_vocabulary.hpp"

#include <functional>

#include "corpus/base/ascii.hpp"
#include "indexer/format/analysis.hpp"

namespace trawl::query {
namespace {

std::size_t hash_of(std::string_view word) { return std::hash<std::string_view>{}(word); }

}  // namespace

void for_each_word(const Xapian::Database& db, std::string_view from, Xapian::doccount min_passages,
                   const std::function<bool(const std::string& word, Xapian::doccount passages)>& take) {
    auto t = db.allterms_begin();
    if (!from.empty()) t.skip_to(std::string(from));
    for (; t != db.allterms_end(); ++t) {
        if (is_ascii_upper((*t)[0])) {
            t.skip_to("[");  // the byte after 'Z': past the prefixed terms
            if (t == db.allterms_end()) break;
        }
        const Xapian::doccount n = t.get_termfreq();
        if (n < min_passages) continue;
        const std::string& w = *t;
        if (format::is_stop_word(w)) continue;
        if (!take(w, n)) return;
    }
}

std::function<std::shared_ptr<const SpellingVocabulary>(const Xapian::Database&, const std::atomic<bool>&)>
SpellingVocabulary::reader(Xapian::doccount min_passages, std::size_t max_bytes) {
    return [min_passages, max_bytes](const Xapian::Database& db, const std::atomic<bool>& stop) {
        auto v = std::make_shared<const SpellingVocabulary>(db, min_passages, max_bytes, &stop);
        return v->held() ? v : nullptr;
    };
}

SpellingVocabulary::SpellingVocabulary(const Xapian::Database& db, Xapian::doccount min_passages, std::size_t max_bytes,
                                       const std::atomic<bool>* stop) {
    // Every body word, numbers too: Xapian's lookup finds "1987" for
    // "p1987", and so must this.
    bool fits = true;
    for_each_word(db, {}, min_passages, [&](const std::string& w, Xapian::doccount n) {
        // At most 19 bytes a word besides its letters (start, count, slots).
        if (text_.size() + w.size() + 19 * (passages_.size() + 1) > max_bytes) return fits = false;
        if (stop && passages_.size() % 1024 == 0 && stop->load(std::memory_order_relaxed)) return fits = false;
        start_.push_back(static_cast<std::uint32_t>(text_.size()));
        text_ += w;
        passages_.push_back(n);
        return true;
    });
    if (!fits) {
        *this = SpellingVocabulary();  // too large to hold: the speller asks Xapian
        return;
    }
    start_.push_back(static_cast<std::uint32_t>(text_.size()));
    held_ = true;
    // At most three slots in four taken: a lookup of a word the vocabulary
    // lacks (most of them) ends at an empty slot after a probe or two.
    std::size_t slots = 16;
    while (slots * 3 < passages_.size() * 4) slots *= 2;
    slots_.assign(slots, 0);
    const std::size_t mask = slots - 1;
    for (std::uint32_t i = 0; i < passages_.size(); ++i) {
        std::size_t s = hash_of(word(i)) & mask;
        while (slots_[s] != 0) s = (s + 1) & mask;
        slots_[s] = i + 1;
    }
    text_.shrink_to_fit();
    start_.shrink_to_fit();
    passages_.shrink_to_fit();
}

Xapian::doccount SpellingVocabulary::operator()(std::string_view w) const {
    if (slots_.empty()) return 0;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash_of(w) & mask;; s = (s + 1) & mask) {
        const std::uint32_t at = slots_[s];
        if (at == 0) return 0;
        if (word(at - 1) == w) return passages_[at - 1];
    }
}

std::size_t SpellingVocabulary::bytes() const {
    return text_.capacity() + start_.capacity() * sizeof(std::uint32_t) +
           passages_.capacity() * sizeof(Xapian::doccount) + slots_.capacity() * sizeof(std::uint32_t);
}

}  // namespace trawl::query
