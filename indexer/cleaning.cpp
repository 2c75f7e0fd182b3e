#include "indexer/cleaning.hpp"

#include <cstdio>

namespace trawl::index {
namespace {

constexpr std::size_t kExamples = 2;  // per kind (exact, near)
constexpr std::size_t kTop = 5;

// A removed line for the summary: at most ~72 bytes, cut at a UTF-8 boundary.
std::string shorten(const std::string& s) {
    constexpr std::size_t kMax = 72;
    if (s.size() <= kMax) return s;
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "...";
}

}  // namespace

Cleaner::Cleaner(CleaningOptions opts, corpus::Diagnostics& diag)
    : opts_(std::move(opts)), diag_(diag), dedup_(opts_.dedup) {}

bool Cleaner::learn(const std::vector<std::string>& inputs, const corpus::ReaderOptions& reader,
                    const ReadListener& on_read) {
    if (!opts_.boilerplate) return false;
    for (const auto& in : inputs)
        if (in == "-") return false;
    corpus::Diagnostics quiet;
    learn(*corpus::open_corpus(inputs, reader, quiet), on_read);
    return true;
}

void Cleaner::learn(corpus::ArticleReader& articles, const ReadListener& on_read) {
    if (!opts_.boilerplate) return;
    corpus::BoilerplateLearner learner(opts_.learn);
    for (corpus::Article a; articles.next(a);) {
        learner.add(a);
        if (on_read) on_read(articles.bytes_read());
    }
    learned(learner);
}

void Cleaner::learn(const std::vector<corpus::Article>& articles) {
    if (!opts_.boilerplate) return;
    corpus::BoilerplateLearner learner(opts_.learn);
    for (const auto& a : articles) learner.add(a);
    learned(learner);
}

void Cleaner::learned(const corpus::BoilerplateLearner& learner) {
    filter_ = corpus::BoilerplateFilter(learner);
    stats_.learned = true;
    stats_.learned_from = learner.articles();
    stats_.learned_units = filter_.learned_units();
}

bool Cleaner::process(corpus::Article& a, const IndexedLookup& indexed) {
    std::vector<std::string> removed;
    if (opts_.boilerplate) {
        removed = filter_.clean(a);
        if (!removed.empty() && a.body.empty()) {
            diag_.report({corpus::Severity::Skipped, a.location, 0, "only boilerplate", "article " + a.id});
            return false;
        }
    }
    if (!is_duplicate(a, indexed)) {
        // Counted for the articles indexed only, so that a skipped duplicate's
        // footer is not counted twice.
        if (!removed.empty()) ++stats_.articles_cleaned;
        for (const auto& r : removed) stats_.removed.add(r);
        return true;
    }
    return false;
}

bool Cleaner::is_duplicate(const corpus::Article& a, const IndexedLookup& indexed) {
    if (opts_.dedup.mode == corpus::DedupMode::Off || a.id.empty() || a.body.empty()) return false;
    auto d = dedup_.find(a);
    std::string tag = "exact";
    if (d.kind == corpus::Duplicate::Kind::None && indexed) {
        std::string owner = indexed(d.content_hash);
        // Indexed already, as it is now; not when this run met the id before
        // (then this version must replace that one: the last version wins).
        const bool first_in_run = run_ids_.insert(std::hash<std::string>{}(a.id)).second;
        if (!owner.empty() && owner == a.id && skip_unchanged_ && first_in_run) {
            dedup_.remember(a, d);
            ++stats_.unchanged;
            return true;
        }
        if (!owner.empty() && owner != a.id) {  // (the same id with other content is a re-index: a replace)
            d.kind = corpus::Duplicate::Kind::Exact;
            d.of = std::move(owner);
            tag = "exact, already indexed";
            ++stats_.exact_indexed;
        }
    }
    if (d.kind == corpus::Duplicate::Kind::None) {
        dedup_.remember(a, d);
        return false;
    }
    std::uint64_t seen = 0;
    if (d.kind == corpus::Duplicate::Kind::Exact) {
        seen = stats_.exact++;
    } else {
        seen = stats_.near++;
        char sim[32];
        std::snprintf(sim, sizeof sim, "near, %.2f", d.similarity);
        tag = sim;
    }
    if (seen < kExamples) stats_.examples.push_back(a.id + " = " + d.of + " (" + tag + ")");
    return true;
}

void print_cleaning_summary(std::ostream& out, const CleaningOptions& opts, const CleaningStats& stats) {
    if (!opts.boilerplate) {
        out << "boilerplate kept (--keep-boilerplate)\n";
    } else {
        const auto& r = stats.removed;
        out << "removed " << r.total() << " boilerplate lines from " << stats.articles_cleaned << " articles (";
        if (stats.learned)
            out << stats.learned_units << " lines learned from " << stats.learned_from
                << " articles, plus the built-in list";
        else out << "built-in list only";
        const auto top = r.top(kTop);
        if (!top.empty()) {
            out << "; top:";
            const char* sep = " ";
            for (const auto& [text, n] : top) {
                out << sep << '"' << shorten(text) << "\" \xC3\x97" << n;
                sep = ", ";
            }
        }
        out << ")\n";
    }
    out << "duplicates: ";
    if (opts.dedup.mode == corpus::DedupMode::Off) {
        out << "not checked (--dedup off)\n";
        return;
    }
    out << stats.exact << " exact";
    if (stats.exact_indexed) out << " (" << stats.exact_indexed << " of articles already in the index)";
    if (opts.dedup.mode == corpus::DedupMode::Near) out << ", " << stats.near << " near";
    out << " (skipped";
    for (std::size_t i = 0; i < stats.examples.size(); ++i) out << (i ? "; " : "; e.g. ") << stats.examples[i];
    out << ")";
    if (stats.unchanged) out << "; " << stats.unchanged << " unchanged since an earlier run indexed them (skipped)";
    out << "\n";
}

}  // namespace trawl::index
