// Builds a throw-away Trawl index from literal articles (Tantivy's
// create_index, PISA's in_memory_index): the way unit tests get an index.
#pragma once

#include <string>
#include <vector>

#include "corpus/base/article.hpp"
#include "corpus/base/diagnostics.hpp"
#include "indexer/index_builder.hpp"

namespace trawl::test {

// An article with id, title and body; location defaults to "test:<id>".
inline corpus::Article article(std::string id, std::string title, std::string body) {
    corpus::Article a;
    a.location = "test:" + id;
    a.id = std::move(id);
    a.title = std::move(title);
    a.body = std::move(body);
    return a;
}

// Indexes `articles` into `path` with the given passage length; returns the
// build stats. `writer_thread`: BuilderOptions::own_writer_thread;
// `positions`: BuilderOptions::positions.
inline index::BuildStats make_index(const std::string& path, const std::vector<corpus::Article>& articles,
                                    std::uint32_t words = 100, std::uint32_t overlap = 20, std::uint32_t batch = 2000,
                                    bool writer_thread = false,
                                    format::PositionsMode positions = format::PositionsMode::Frequent) {
    corpus::Diagnostics diag;
    index::BuilderOptions opts;
    opts.own_writer_thread = writer_thread;
    opts.positions = positions;
    opts.split.words = words;
    opts.split.overlap = words == 0 ? 0 : overlap;
    opts.batch_articles = batch;
    index::IndexBuilder builder(path, opts, diag);
    for (const auto& a : articles) builder.add(a);
    builder.finish();
    return builder.stats();
}

}  // namespace trawl::test
