#include "corpus/clean/dedup.hpp"

#include <algorithm>
#include <unordered_set>

#include "corpus/base/error.hpp"
#include "corpus/base/hash64.hpp"
#include "corpus/clean/boilerplate.hpp"
#include "corpus/text/date.hpp"

namespace trawl::corpus {
namespace {

std::string folded_text(const Article& a) {
    std::string t = boilerplate_key(a.title);
    t += ' ';
    t += boilerplate_key(a.body);
    return t;
}

std::vector<std::string_view> words_of(std::string_view folded) {
    std::vector<std::string_view> w;
    std::size_t i = 0;
    while (i < folded.size()) {
        while (i < folded.size() && folded[i] == ' ') ++i;
        std::size_t j = folded.find(' ', i);
        if (j == std::string_view::npos) j = folded.size();
        if (j > i) w.push_back(folded.substr(i, j - i));
        i = j;
    }
    return w;
}

// Hashes of the word k-shingles of an already folded text (one shingle of all
// words when there are fewer than k).
std::vector<std::uint64_t> shingles(std::string_view folded, std::uint32_t k) {
    const auto w = words_of(folded);
    std::vector<std::uint64_t> out;
    if (w.empty()) return out;
    k = std::max<std::uint32_t>(1, k);
    const std::size_t n = w.size() < k ? 1 : w.size() - k + 1;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t h = 0;
        for (std::size_t j = i; j < std::min(w.size(), i + k); ++j) h = hash64(w[j], h);
        out.push_back(h);
    }
    return out;
}

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

}  // namespace

DedupMode parse_dedup_mode(const std::string& name) {
    if (name == "off") return DedupMode::Off;
    if (name == "exact") return DedupMode::Exact;
    if (name == "near") return DedupMode::Near;
    throw UsageError("unknown --dedup mode '" + name + "' (use exact, near or off)");
}

const char* dedup_mode_name(DedupMode m) {
    switch (m) {
        case DedupMode::Off:
            return "off";
        case DedupMode::Exact:
            return "exact";
        case DedupMode::Near:
            return "near";
    }
    return "?";
}

// A headline alone (no body) is too short to tell one story from another:
// the same words on another day are another event ("FED SETS 1.5 BILLION
// DLR CUSTOMER REPURCHASE" is a daily operation). folded_text() ends in the
// space before the body when the body folds to nothing.
bool headline_alone(const std::string& folded) { return folded.ends_with(' '); }

// The hash of an article whose folded text is `folded`: a headline alone's
// day is hashed with it.
std::uint64_t hash_of(const Article& a, const std::string& folded) {
    if (!headline_alone(folded)) return hash64(folded);
    return hash64(folded + '\x01' + std::string(day_of(a.date)));
}

std::uint64_t content_hash(const Article& a) { return hash_of(a, folded_text(a)); }

namespace {

// minhash() of a text already folded by boilerplate_key().
Signature minhash_folded(std::string_view folded, std::uint32_t shingle_words) {
    Signature sig;
    sig.fill(UINT32_MAX);
    for (std::uint64_t s : shingles(folded, shingle_words))
        for (std::size_t i = 0; i < kMinHashes; ++i)
            sig[i] = std::min(sig[i], static_cast<std::uint32_t>(mix64(s + kGolden * (i + 1)) >> 32));
    return sig;
}

}  // namespace

Signature minhash(std::string_view text, std::uint32_t shingle_words) {
    return minhash_folded(boilerplate_key(text), shingle_words);
}

double similarity(const Signature& a, const Signature& b) {
    std::size_t same = 0;
    for (std::size_t i = 0; i < kMinHashes; ++i) same += a[i] == b[i];
    return static_cast<double>(same) / static_cast<double>(kMinHashes);
}

double jaccard(std::string_view a, std::string_view b, std::uint32_t shingle_words) {
    auto sa = shingles(boilerplate_key(a), shingle_words), sb = shingles(boilerplate_key(b), shingle_words);
    std::unordered_set<std::uint64_t> x(sa.begin(), sa.end()), y(sb.begin(), sb.end());
    if (x.empty() && y.empty()) return 1.0;
    std::size_t both = 0;
    for (auto h : x) both += y.count(h);
    return static_cast<double>(both) / static_cast<double>(x.size() + y.size() - both);
}

Deduplicator::Deduplicator(DedupOptions opts) : opts_(opts) {}

const Deduplicator::Prepared& Deduplicator::prepare(const Article& a) {
    const std::string text = folded_text(a);
    const std::uint64_t h = hash_of(a, text);
    if (have_last_ && last_.hash == h) return last_;
    last_ = Prepared{};
    last_.hash = h;
    // A headline alone is never a near duplicate: its exact hash keeps its
    // day (hash_of), and a near match would ignore it.
    last_.near =
        opts_.mode == DedupMode::Near && !headline_alone(text) && words_of(text).size() >= opts_.near_min_words;
    if (last_.near) {
        last_.sig = minhash_folded(text, opts_.shingle_words);  // folded once, above
        constexpr std::size_t rows = kMinHashes / kBands;
        for (std::size_t b = 0; b < kBands; ++b) {
            std::uint64_t k = mix64(b + 1);
            for (std::size_t r = 0; r < rows; ++r) k = mix64(k ^ last_.sig[b * rows + r]);
            last_.bands[b] = k;
        }
    }
    have_last_ = true;
    return last_;
}

Duplicate Deduplicator::find(const Article& a) {
    Duplicate d;
    if (opts_.mode == DedupMode::Off) return d;
    const Prepared& p = prepare(a);
    d.content_hash = p.hash;
    if (auto it = exact_.find(p.hash); it != exact_.end()) {
        if (ids_[it->second] != a.id) {  // same id: a replace
            d.kind = Duplicate::Kind::Exact;
            d.of = ids_[it->second];
            d.of_hash = p.hash;
        }
        return d;
    }
    if (!p.near) return d;
    std::unordered_set<std::uint32_t> tried;
    double best = 0;
    std::uint32_t best_article = UINT32_MAX;
    std::uint32_t best_signature = 0;
    for (std::uint64_t k : p.bands) {
        auto it = bucket_.find(k);
        for (std::uint32_t e = it == bucket_.end() ? UINT32_MAX : it->second; e != UINT32_MAX; e = entries_[e].next) {
            const std::uint32_t s = entries_[e].article;
            if (!tried.insert(s).second) continue;
            const std::uint32_t art = signature_article_[s];
            if (ids_[art] == a.id) continue;
            const double sim = similarity(p.sig, signatures_[s]);
            if (sim > best) {
                best = sim;
                best_article = art;
                best_signature = s;
            }
        }
    }
    if (best_article != UINT32_MAX && best >= opts_.near_threshold) {
        d.kind = Duplicate::Kind::Near;
        d.of = ids_[best_article];
        d.of_hash = signature_hash_[best_signature];
        d.similarity = best;
    }
    return d;
}

void Deduplicator::remember(const Article& a, const Duplicate& found) {
    if (opts_.mode == DedupMode::Off) return;
    const bool reuse = have_last_ && found.content_hash != 0 && last_.hash == found.content_hash;
    const Prepared& p = reuse ? last_ : prepare(a);
    if (exact_.count(p.hash) || exact_.size() >= opts_.max_exact) return;
    const auto idx = static_cast<std::uint32_t>(ids_.size());
    ids_.push_back(a.id);
    exact_.emplace(p.hash, idx);
    if (p.near && signatures_.size() < opts_.max_near) {
        const auto s = static_cast<std::uint32_t>(signatures_.size());
        signatures_.push_back(p.sig);
        signature_article_.push_back(idx);
        signature_hash_.push_back(p.hash);
        for (std::uint64_t k : p.bands) {
            auto [it, fresh] = bucket_.try_emplace(k, static_cast<std::uint32_t>(entries_.size()));
            entries_.push_back({s, fresh ? UINT32_MAX : it->second});
            it->second = static_cast<std::uint32_t>(entries_.size() - 1);
        }
    }
}

Duplicate Deduplicator::check(const Article& a) {
    Duplicate d = find(a);
    if (d.kind == Duplicate::Kind::None) remember(a, d);
    return d;
}

}  // namespace trawl::corpus
