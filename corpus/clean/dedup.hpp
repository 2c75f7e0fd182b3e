// Duplicate articles: exact duplicates (the same title and body once case,
// whitespace and punctuation are folded) by a 64-bit content hash, and near
// duplicates (the same story republished with another headline or footer) by
// MinHash over word shingles with LSH banding. Pure: no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corpus/base/article.hpp"

namespace trawl::corpus {

enum class DedupMode {
    Off,    // every article is indexed
    Exact,  // exact duplicates are skipped
    Near,   // exact and near duplicates are skipped
};

// Parses "off|exact|near"; throws UsageError otherwise.
DedupMode parse_dedup_mode(const std::string& name);
const char* dedup_mode_name(DedupMode m);

// Hash of the article's folded title and body (boilerplate_key() folding):
// equal for articles that differ only in case, spacing or punctuation. An
// article with a title and no body hashes its day (Article::date) too: the
// same headline on another day is another item of news.
std::uint64_t content_hash(const Article& a);

// MinHash signature of a text's word shingles (of the folded text).
inline constexpr std::size_t kMinHashes = 64;
inline constexpr std::size_t kBands = 16;  // LSH: 16 bands of 4 rows; pairs above ~0.5 Jaccard meet
using Signature = std::array<std::uint32_t, kMinHashes>;
Signature minhash(std::string_view text, std::uint32_t shingle_words);
// Estimated Jaccard similarity of the two shingle sets (share of equal minima).
double similarity(const Signature& a, const Signature& b);
// Exact Jaccard similarity of two texts' shingle sets (for tests and measuring).
double jaccard(std::string_view a, std::string_view b, std::uint32_t shingle_words);

struct DedupOptions {
    DedupMode mode = DedupMode::Exact;
    // Near duplicates: estimated Jaccard similarity of the word shingles of
    // title + body at or above this (chosen on Reuters and BBC: below 0.9,
    // templated daily notices of different days start to match; see RESULTS.md).
    double near_threshold = 0.9;
    std::uint32_t shingle_words = 4;
    // Texts of fewer words are only compared exactly: short templated items
    // (dividend notices, earnings tables) share most shingles without being
    // the same story.
    std::uint32_t near_min_words = 60;
    // Memory bound: articles remembered (exact hashes; near signatures).
    std::size_t max_exact = std::size_t{4} << 20;
    std::size_t max_near = 250'000;
};

struct Duplicate {
    enum class Kind { None, Exact, Near };
    Kind kind = Kind::None;
    ArticleId of;             // the earlier article it duplicates
    double similarity = 1.0;  // estimated Jaccard for Near
    // content_hash() of the article looked up (0 in mode Off): find() folds
    // its text anyway, and the hash is what the index's duplicate check asks.
    std::uint64_t content_hash = 0;
    // content_hash() of the article duplicated (`of`): content_hash for an
    // exact duplicate, the original's own for a near one.
    std::uint64_t of_hash = 0;
};

// Remembers the articles seen so far (bounded) and says whether the next one
// duplicates one of them. An article is never a duplicate of an earlier one
// with the same id: re-indexing an id replaces it.
class Deduplicator {
public:
    explicit Deduplicator(DedupOptions opts = {});
    // Whether `a` duplicates an article remembered so far (mode Off: never).
    Duplicate find(const Article& a);
    // Remembers `a` (bounded: once max_exact/max_near are reached, no more),
    // which find() returned `found` for: what find() computed is reused when
    // `a` was the last article it looked up, not its text folded again.
    void remember(const Article& a, const Duplicate& found);
    // find(), then remember() when it is not a duplicate.
    Duplicate check(const Article& a);
    const DedupOptions& options() const { return opts_; }

private:
    struct Prepared {  // what find() computed, reused by remember() for the same article
        std::uint64_t hash = 0;
        bool near = false;
        Signature sig{};
        std::array<std::uint64_t, kBands> bands{};
    };
    const Prepared& prepare(const Article& a);

    DedupOptions opts_;
    Prepared last_;
    bool have_last_ = false;
    std::vector<ArticleId> ids_;
    std::unordered_map<std::uint64_t, std::uint32_t> exact_;  // content hash -> ids_ index
    struct Entry {
        std::uint32_t article;  // ids_ index
        std::uint32_t next;     // next entry in the same bucket, or UINT32_MAX
    };
    std::vector<Signature> signatures_;
    std::vector<std::uint32_t> signature_article_;             // signatures_ index -> ids_ index
    std::vector<std::uint64_t> signature_hash_;                // signatures_ index -> content hash
    std::unordered_map<std::uint64_t, std::uint32_t> bucket_;  // band hash -> first entry
    std::vector<Entry> entries_;                               // entry.article indexes signatures_
};

}  // namespace trawl::corpus
