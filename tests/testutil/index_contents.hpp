// What an index holds as a reader sees it: live passages only (a v3 index
// keeps deleted and replaced passages in its tables and records them as dead,
// indexer/format/deletions.hpp), for tests that compare index contents.
#pragma once

#include <map>
#include <set>
#include <string>

#include <xapian.h>

#include "corpus/base/types.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/stems.hpp"

namespace trawl::test {

struct IndexContents {
    std::set<std::string> passage_ids;               // "article#ordinal" of every live passage
    std::map<std::string, std::size_t> per_article;  // live passages per article id
};

// The live passages of the index at `path` (one database or a stub's shards).
inline IndexContents index_contents(const std::string& path) {
    IndexContents c;
    for (const auto& shard : format::shard_paths(path)) {
        Xapian::Database db(shard);
        const auto dead = format::Deletions::read(db);
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const auto doc = db.get_document(*it);
            const auto id = format::article_id_of(doc);
            if (dead.covers(id, format::sequence_of(doc))) continue;
            c.passage_ids.insert(passage_id(id, format::ordinal_of(doc)));
            ++c.per_article[id];
        }
    }
    return c;
}

inline std::set<std::string> live_passage_ids(const std::string& path) { return index_contents(path).passage_ids; }

// Live passages of article `id` in the index at `path`.
inline std::size_t live_passages_of(const std::string& path, const std::string& id) {
    const auto c = index_contents(path);
    const auto it = c.per_article.find(id);
    return it == c.per_article.end() ? 0 : it->second;
}

// Live passages that hold `term` in the index at `path`.
inline std::size_t live_postings(const std::string& path, const std::string& term) {
    std::size_t n = 0;
    for (const auto& shard : format::shard_paths(path)) {
        Xapian::Database db(shard);
        const auto dead = format::Deletions::read(db);
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            const auto doc = db.get_document(*it);
            if (!dead.covers(format::article_id_of(doc), format::sequence_of(doc))) ++n;
        }
    }
    return n;
}

// The words of a Synonyms index (format v5, stems.hpp) that their stem's
// synonym entry does not list, "word" or "Sword" (empty for a Terms index):
// a committed word must always be reachable from its stem.
inline std::set<std::string> words_without_stem(const std::string& path) {
    std::set<std::string> out;
    const Xapian::Stem stem(format::kLanguage);
    for (const auto& shard : format::shard_paths(path)) {
        Xapian::Database db(shard);
        if (format::read_stem_storage(db) != format::StemStorage::Synonyms) continue;
        for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
            const std::string term = *t;
            const auto c = format::classify_term(term);
            if (c.field == format::TermClass::Field::None || c.stemmed) continue;
            const auto key = format::stem_term(c.field == format::TermClass::Field::Title ? format::kPrefixTitle : "",
                                               stem(std::string(c.word)));
            bool listed = false;
            for (auto s = db.synonyms_begin(key); s != db.synonyms_end(key) && !listed; ++s) listed = *s == term;
            if (!listed) out.insert(term);
        }
    }
    return out;
}

// Live passages in all.
inline std::size_t live_passage_count(const std::string& path) { return index_contents(path).passage_ids.size(); }

}  // namespace trawl::test
