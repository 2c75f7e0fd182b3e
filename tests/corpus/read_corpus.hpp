// Test helper: read a whole corpus, keeping the articles and every diagnostic.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/read/article_reader.hpp"

namespace trawl::test {

struct CorpusRun {
    std::vector<corpus::Article> articles;
    std::vector<corpus::Diagnostic> diags;
    std::uint64_t skipped = 0;
    std::uint64_t warnings = 0;
    std::map<std::string, std::uint64_t> skipped_by_reason;

    const corpus::Article* find(const std::string& id) const {
        for (const auto& a : articles)
            if (a.id == id) return &a;
        return nullptr;
    }
    std::vector<std::string> ids() const {
        std::vector<std::string> out;
        for (const auto& a : articles) out.push_back(a.id);
        return out;
    }
    // "line: reason" for each diagnostic of `severity`, in order.
    std::vector<std::string> lines(corpus::Severity severity) const {
        std::vector<std::string> out;
        for (const auto& d : diags)
            if (d.severity == severity) out.push_back(std::to_string(d.line) + ": " + d.reason);
        return out;
    }
    std::vector<std::string> skips() const { return lines(corpus::Severity::Skipped); }
    // The one-line messages of the skips (corpus::format_diagnostic).
    std::vector<std::string> skip_messages() const {
        std::vector<std::string> out;
        for (const auto& d : diags)
            if (d.severity == corpus::Severity::Skipped) out.push_back(corpus::format_diagnostic(d));
        return out;
    }
    std::vector<std::string> warns() const { return lines(corpus::Severity::Warning); }
};

// Reads everything the reader `open` returns (given the run's diagnostics).
inline CorpusRun read_with(const std::function<std::unique_ptr<corpus::ArticleReader>(corpus::Diagnostics&)>& open) {
    CorpusRun run;
    corpus::Diagnostics diag([&](const corpus::Diagnostic& d) { run.diags.push_back(d); });
    auto reader = open(diag);
    corpus::Article a;
    while (reader->next(a)) run.articles.push_back(a);
    EXPECT_FALSE(reader->next(a));
    run.skipped = diag.skipped();
    run.warnings = diag.warnings();
    run.skipped_by_reason = diag.skipped_by_reason();
    return run;
}

inline CorpusRun read_all(const std::vector<std::string>& paths, corpus::ReaderOptions opts = {}) {
    return read_with([&](corpus::Diagnostics& d) { return corpus::open_corpus(paths, opts, d); });
}

}  // namespace trawl::test
