// The speller's vocabulary held in memory: every body word of the index
// (numbers too) in at least a given number of passages, stop words left out,
// with its passage count, read in one walk of the index's terms. "Did you
// mean" looks up each word one typing error from a query word (about 54 a
// letter): through Xapian, about 1,650 instructions a lookup on Wikipedia
// (its B-tree, walked again for each), most of a suggestion's cost; here a
// hash and a compare or two. The speller reads it once its lookups would
// have paid for it (Speller::hold_vocabulary_after()).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace trawl::query {

// Calls `take` with each body word of `db` from `from` on (the terms
// without a capital prefix: numbers come before the prefixes, words after)
// in `min_passages` passages or more, stop words left out, and its passage
// count, in term order, until `take` returns false.
void for_each_word(const Xapian::Database& db, std::string_view from, Xapian::doccount min_passages,
                   const std::function<bool(const std::string& word, Xapian::doccount passages)>& take);

class SpellingVocabulary {
public:
    // Memory it may take: a vocabulary that needs more is not held.
    static constexpr std::size_t kMaxBytes = std::size_t{256} << 20;

    SpellingVocabulary() = default;
    // The words of `db` (its terms without a capital prefix) in `min_passages`
    // passages or more, stop words left out; none, and held() false, when
    // they would take more than `max_bytes` (Wikipedia's 640,000: 14 MB).
    // Not held either once `stop` is raised (a reading to throw away).
    SpellingVocabulary(const Xapian::Database& db, Xapian::doccount min_passages, std::size_t max_bytes = kMaxBytes,
                       const std::atomic<bool>* stop = nullptr);
    bool held() const { return held_; }
    // A table reader (table_loader.hpp): the vocabulary of the words in
    // `min_passages` passages or more, null when not held.
    static std::function<std::shared_ptr<const SpellingVocabulary>(const Xapian::Database&, const std::atomic<bool>&)>
    reader(Xapian::doccount min_passages, std::size_t max_bytes = kMaxBytes);
    // The passages holding `word`, or 0 for a word the vocabulary lacks.
    Xapian::doccount operator()(std::string_view word) const;
    std::size_t size() const { return passages_.size(); }
    // The memory it holds, in bytes.
    std::size_t bytes() const;

private:
    std::string_view word(std::uint32_t i) const {
        return std::string_view(text_).substr(start_[i], start_[i + 1] - start_[i]);
    }

    bool held_ = false;
    std::string text_;                  // the words, one after another
    std::vector<std::uint32_t> start_;  // where word i starts in text_; one more at the end
    std::vector<Xapian::doccount> passages_;
    std::vector<std::uint32_t> slots_;  // open addressing: word index + 1, 0 for none; a power of two
};

}  // namespace trawl::query
