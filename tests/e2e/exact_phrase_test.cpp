// Issue 10: phrases, NEAR and ADJ stay exact where the index keeps positions
// for its frequent words only (format/positions.hpp). 500 queries generated
// from Reuters passages are run on an index with every word's positions
// (Xapian checks them: today's positional index) and on indexes with
// frequent words' positions only (one database, and two shards), and must
// return the same passages; every phrase hit is also checked against the
// passage text by a regular expression, independent of Trawl's code.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <xapian.h>

#include "indexer/format/doc_data.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/shards.hpp"
#include "indexer/format/words.hpp"
#include "query/searcher.hpp"
#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace trawl;

namespace {

const fs::path kReuters = fs::path(TRAWL_SHARED_DATA_DIR) / "reuters21578";

struct Generated {
    std::string query;
    bool may_miss = false;           // ADJ in the wrong order: no hit needed
    bool phrase = false;             // a plain "w1 w2 [w3]" phrase (text-checked too)
    std::vector<std::string> words;  // its words
};

bool plain_word(const std::string& w) {
    static const std::set<std::string> ops{"and", "or", "not", "xor", "near", "adj"};
    return w.size() >= 2 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
           !ops.contains(w);
}

// The plain words of a passage's body in position order (title words too on
// the lead passage: they are body words there).
std::vector<std::pair<Xapian::termpos, std::string>> words_of(const format::Words& words) {
    std::vector<std::pair<Xapian::termpos, std::string>> out;
    for (const auto& w : words.list()) {
        const std::string term(words.term(w));
        if (w.pos != 0 && plain_word(term)) out.emplace_back(w.pos, term);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Seven queries in ten name a word without positions (the words of a
// passage are mostly frequent ones, which keep theirs).
std::vector<Generated> generate(const std::string& db_path, const format::PositionalWords& positional,
                                std::size_t count) {
    Xapian::Database db(db_path);
    format::PassageCodec codec(format::read_dictionary(db));
    std::mt19937 rng(20261130);
    std::vector<Generated> out;
    std::vector<std::string> rare_words;
    while (out.size() < count) {
        const Xapian::docid did = std::uniform_int_distribution<Xapian::docid>(1, db.get_lastdocid())(rng);
        const auto data = format::stored_passage(db.get_document(did));
        const auto fields = format::decode_fields(codec.decompress(data.payload, data.raw_size));
        const auto w = words_of(format::passage_words(fields, data.ordinal));
        if (w.size() < 12) continue;
        const std::size_t i = std::uniform_int_distribution<std::size_t>(0, w.size() - 4)(rng);
        const auto kind = out.size() % 10;
        Generated g;
        if (kind < 4) {  // a phrase of two or three consecutive words
            const std::size_t n = kind < 2 ? 2 : 3;
            bool consecutive = true;
            for (std::size_t k = 1; k < n; ++k) consecutive = consecutive && w[i + k].first == w[i].first + k;
            if (!consecutive) continue;
            g.phrase = true;
            for (std::size_t k = 0; k < n; ++k) g.words.push_back(w[i + k].second);
            g.query = "\"";
            for (const auto& x : g.words) g.query += (g.query.size() > 1 ? " " : "") + x;
            g.query += "\"";
        } else if (kind < 8) {  // NEAR/k and ADJ/k of two words k or fewer apart
            const std::size_t j = i + std::uniform_int_distribution<std::size_t>(1, 3)(rng);
            const auto gap = w[j].first - w[i].first;
            if (gap > 8 || w[i].second == w[j].second) continue;
            const auto k = gap + std::uniform_int_distribution<unsigned>(0, 2)(rng);
            const bool near = kind < 6;
            // NEAR in either order; ADJ sometimes in the wrong order (no hit there)
            const bool swap = std::uniform_int_distribution<int>(0, 3)(rng) == 0;
            const auto& a = swap ? w[j].second : w[i].second;
            const auto& b = swap ? w[i].second : w[j].second;
            g.query = a + (near ? " NEAR/" : " ADJ/") + std::to_string(k) + " " + b;
            g.may_miss = swap && !near;
        } else {  // a phrase under OR (checked as a filter) or before a NOT
            if (w[i + 1].first != w[i].first + 1) continue;
            if (!rare_words.empty()) {
                const auto& other =
                    rare_words[std::uniform_int_distribution<std::size_t>(0, rare_words.size() - 1)(rng)];
                g.query = "\"" + w[i].second + " " + w[i + 1].second + "\"" + (kind == 8 ? " OR " : " -") + other;
                g.may_miss = kind == 9;  // the passage it came from may hold the NOT word
            }
            rare_words.push_back(w[i + 3].second);
            if (g.query.empty()) continue;
        }
        if (g.words.empty()) {  // NEAR, ADJ, OR, NOT: the words as the query names them
            for (std::string::size_type at = 0; at < g.query.size();) {
                const auto end = g.query.find_first_of(" \"-", at);
                const auto word = g.query.substr(at, end == std::string::npos ? std::string::npos : end - at);
                if (plain_word(word)) g.words.push_back(word);
                at = end == std::string::npos ? g.query.size() : end + 1;
            }
        }
        const bool rare =
            std::any_of(g.words.begin(), g.words.end(), [&](const auto& x) { return !positional.has(x); });
        if (!rare && out.size() % 10 < 7) continue;
        out.push_back(std::move(g));
    }
    return out;
}

std::set<std::string> hits(query::Searcher& s, const std::string& q) {
    std::set<std::string> ids;
    for (const auto& h : s.search("q", q).hits) ids.insert(h.passage_id);
    return ids;
}

query::SearchOptions all_hits(const std::string& db) {
    query::SearchOptions o;
    o.dbs = {db};
    o.limit = 1000000;
    return o;
}

// Does the text hold the words one after the other, with nothing but
// non-word characters between them? Lower-cased, acronyms written as one
// word ("U.S." is "us"), an apostrophe inside a word part of it ("amc's"),
// as Xapian's word rules have them.
bool text_has_phrase(const std::string& raw, const std::vector<std::string>& words) {
    // Capital initials separated by '.', with a final '.' or not ("U.S.",
    // "U.S in"), are one word when no word character follows, as the
    // indexer cuts them (format/words.cpp). The rule below covered "U.S."
    // only, so a phrase of "with the U.S in" looked missing from its text.
    static const std::regex initials("(^|[^A-Za-z0-9_])((?:[A-Z]\\.)+[A-Z])\\.?(?![A-Za-z0-9_])");
    std::string text;
    auto from = raw.cbegin();
    for (std::sregex_iterator m(raw.begin(), raw.end(), initials), end; m != end; ++m) {
        text.append(from, (*m)[2].first);
        for (auto c = (*m)[2].first; c != (*m)[2].second; ++c)
            if (*c != '.') text += *c;
        from = (*m)[0].second;
    }
    text.append(from, raw.cend());
    std::string lower;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        const bool acronym_dot = c == '.' && i > 0 && std::isalpha(static_cast<unsigned char>(text[i - 1])) &&
                                 (i < 2 || !std::isalpha(static_cast<unsigned char>(text[i - 2]))) &&
                                 i + 2 < text.size() && std::isalpha(static_cast<unsigned char>(text[i + 1])) &&
                                 text[i + 2] == '.';
        const bool acronym_end =
            c == '.' && i >= 3 && text[i - 2] == '.' && std::isalpha(static_cast<unsigned char>(text[i - 1]));
        if (!acronym_dot && !acronym_end) lower += c;
    }
    const std::string word_char = "[a-z0-9_]";
    const std::string gap = "(?:[^a-z0-9_']|'(?!" + word_char + "))+";
    std::string pattern = "(?:^|[^a-z0-9_'])'?";
    for (std::size_t k = 0; k < words.size(); ++k) pattern += (k ? gap : "") + words[k];
    pattern += "(?!" + word_char + "|'" + word_char + ")";
    return std::regex_search(lower, std::regex(pattern));
}

struct ThreeIndexes {
    std::string full, frequent, sharded;
};

// `files` indexed three ways: every word with its positions (what Xapian
// checks by itself), the default (frequent words' positions, no stop words),
// and two shards of the default. nullopt (with the failed command reported)
// when one of them fails.
std::optional<ThreeIndexes> build_three_indexes(const test::TempDir& tmp, const std::string& files) {
    ThreeIndexes t{tmp.str() + "/full", tmp.str() + "/frequent", tmp.str() + "/sharded"};
    for (const auto& cmd :
         {test::index_cmd(t.full, "--quiet --threads 1 --positions all" + files),
          test::index_cmd(t.frequent, "--quiet --threads 1" + files),
          test::index_cmd(t.sharded, "--quiet --threads 2 --shards 2 --positions frequent" + files)}) {
        const auto r = test::run_command(cmd);
        if (r.exit_code != 0) {
            ADD_FAILURE() << cmd << ": " << r.err;
            return std::nullopt;
        }
    }
    return t;
}

}  // namespace

TEST(ExactPhrase, FrequentWordPositionsGiveTheHitsOfAFullyPositionalIndex) {
    if (!fs::exists(kReuters)) GTEST_SKIP() << kReuters << " is absent: the exactness test needs Reuters-21578";
    test::TempDir tmp;
    std::string files;
    for (const char* f : {"reut2-000.sgm", "reut2-001.sgm", "reut2-002.sgm", "reut2-003.sgm", "reut2-004.sgm"})
        files += " " + test::shell_quote((kReuters / f).string());
    const auto three = build_three_indexes(tmp, files);
    ASSERT_TRUE(three);
    const auto& [full, frequent, sharded] = *three;

    // The frequent index really lacks positions for most words (else this
    // test would prove nothing).
    const auto positional = format::PositionalWords::read(Xapian::Database(frequent));
    ASSERT_FALSE(positional.all_words());
    EXPECT_GE(positional.words().size(), 3u);  // said, mln, ... (stop words are not indexed)
    EXPECT_LT(positional.words().size(), 200u);
    EXPECT_TRUE(positional.has("said"));
    EXPECT_FALSE(positional.has("bundesbank"));
    // Format v6: its stop words are not indexed at all (only the text holds
    // them), so every phrase with one is checked against the text here.
    EXPECT_FALSE(positional.indexed("the"));
    EXPECT_FALSE(positional.has("the"));
    EXPECT_EQ(Xapian::Database(frequent).get_termfreq("the"), 0u);
    EXPECT_GT(Xapian::Database(full).get_termfreq("the"), 1000u);

    query::Searcher a(all_hits(full)), b(all_hits(frequent)), c(all_hits(sharded));
    query::SearchOptions text_opts = all_hits(frequent);
    text_opts.limit = 50;
    query::Searcher texts(text_opts);
    // Scoring from the tables in memory (query/bm25_source.hpp) gives Xapian's scores, bit for bit.
    query::SearchOptions ranked_opts = all_hits(frequent);
    ranked_opts.limit = 20;
    ranked_opts.in_memory_tables = query::InMemoryTables::Always;
    query::Searcher in_memory(ranked_opts);
    ranked_opts.in_memory_tables = query::InMemoryTables::Never;
    query::Searcher by_xapian(ranked_opts);
    const auto queries = generate(full, positional, 500);
    std::size_t with_hits = 0, must_hit = 0, with_rare_word = 0, text_checked = 0;
    for (const auto& g : queries) {
        const auto want = by_xapian.search("q", g.query), got = in_memory.search("q", g.query);
        ASSERT_EQ(got.hits.size(), want.hits.size()) << g.query;
        for (std::size_t i = 0; i < want.hits.size(); ++i) {
            EXPECT_EQ(got.hits[i].passage_id, want.hits[i].passage_id) << g.query;
            EXPECT_EQ(got.hits[i].score, want.hits[i].score) << g.query;
        }
        const auto expected = hits(a, g.query);
        // The counts: exact ones the same; estimates may differ (a stem split
        // into its tier and its rest is pruned otherwise), within their bounds.
        const auto within = [&](const query::Count& count, std::size_t truth) {
            EXPECT_LE(count.lower, truth) << g.query;
            EXPECT_GE(count.upper, truth) << g.query;
        };
        std::set<std::string> articles;
        for (const auto& id : expected) articles.insert(id.substr(0, id.rfind('#')));
        if (want.summary.passages.exact()) {
            EXPECT_EQ(got.summary.passages.estimate, want.summary.passages.estimate) << g.query;
        }
        within(got.summary.passages, expected.size());
        if (want.summary.articles.exact()) {
            EXPECT_EQ(got.summary.articles.estimate, want.summary.articles.estimate) << g.query;
        }
        within(got.summary.articles, articles.size());
        must_hit += !g.may_miss;
        with_hits += !g.may_miss && !expected.empty();
        if (!g.may_miss && expected.empty()) ADD_FAILURE() << g.query << ": made from a passage, found nowhere";
        EXPECT_EQ(hits(b, g.query), expected) << g.query;
        EXPECT_EQ(hits(c, g.query), expected) << g.query << " (two shards)";
        with_rare_word +=
            std::any_of(g.words.begin(), g.words.end(), [&](const auto& w) { return !positional.has(w); });
        if (!g.phrase) continue;
        for (const auto& h : texts.search("q", g.query).hits) {
            ++text_checked;
            const bool in_text =
                text_has_phrase(h.text, g.words) || (h.ordinal == 0 && text_has_phrase(h.title, g.words));
            EXPECT_TRUE(in_text) << g.query << " matched " << h.passage_id << " whose text lacks it: " << h.text;
        }
    }
    // Every query comes from a passage, so each has a hit; most phrases hold
    // a word without positions, so the check against the text did the work.
    EXPECT_EQ(with_hits, must_hit);
    EXPECT_GE(with_rare_word, queries.size() * 6 / 10);
    EXPECT_GT(text_checked, 200u);
}

// Format v6 leaves stop words out of an index with frequent words' positions:
// phrases, NEAR and ADJ with them, phrases of stop words only, a stop word
// required by "+", and a query of stop words only (searched as a phrase)
// find what a fully positional index of every word finds.
TEST(ExactPhrase, StopWordsLeftOutOfTheIndexAreFoundInTheText) {
    if (!fs::exists(kReuters)) GTEST_SKIP() << kReuters << " is absent: the exactness test needs Reuters-21578";
    test::TempDir tmp;
    const auto three = build_three_indexes(tmp, " " + test::shell_quote((kReuters / "reut2-000.sgm").string()));
    ASSERT_TRUE(three);
    const auto& [full, frequent, sharded] = *three;
    ASSERT_FALSE(format::PositionalWords::read(Xapian::Database(frequent)).indexed("of"));
    query::Searcher a(all_hits(full)), b(all_hits(frequent)), c(all_hits(sharded));
    // Each pair: the query on the index without stop words, and what it means
    // on the index of every word.
    const std::vector<std::pair<std::string, std::string>> queries = {
        {"\"of the\"", "\"of the\""},
        {"\"bank of england\"", "\"bank of england\""},
        {"\"the company said\"", "\"the company said\""},
        {"\"said it would\"", "\"said it would\""},
        {"\"it is\" OR \"bank of england\"", "\"it is\" OR \"bank of england\""},
        {"\"in the first quarter\" -oil", "\"in the first quarter\" -oil"},
        {"oil NEAR/3 the", "oil NEAR/3 the"},
        {"the ADJ/2 company", "the ADJ/2 company"},
        {"title:\"to be\"", "title:\"to be\""},
        {"title:\"to buy\"", "title:\"to buy\""},
        {"+the +oil", "+the +oil"},
        {"for the", "\"for the\""},  // stop words only: a phrase
        {"it", "it"},                // one stop word stays a word: stemmed, "its" too
        {"having", "having"},
        {"IT", "IT"},                // not stemmed
        {"title:the", "title:the"},  // title words of every passage, not only the lead's
        {"title:with OR title:oil", "title:with OR title:oil"},
        {"oil AND NOT title:the", "oil AND NOT title:the"},
        {"will be", "\"will be\""},
    };
    // A word that is not a stop word but shares its stem with one ("it's"
    // with "it", "doe" with "does") stands for the words the index holds: its
    // hits hold the word, and its search reads no other passage's text.
    query::SearchOptions text_opts = all_hits(frequent);
    query::Searcher texts(text_opts);
    const auto its = texts.search("q", "it's").hits;
    EXPECT_FALSE(its.empty());
    for (const auto& h : its) {
        std::string lower = h.title + " " + h.text;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
        EXPECT_TRUE(lower.find("it's") != std::string::npos || lower.find("it\u2019s") != std::string::npos)
            << h.passage_id << " lacks it's: " << h.text;
    }
    for (const auto& [q, meaning] : queries) {
        const auto expected = hits(a, meaning);
        EXPECT_FALSE(expected.empty()) << meaning << " (the test needs hits)";
        EXPECT_EQ(hits(b, q), expected) << q;
        EXPECT_EQ(hits(c, q), expected) << q << " (two shards)";
    }
}

// A stop word's search reads passages' text only until it holds the top
// hits: one stop word whose stem other indexed words share ("it": "its")
// checked every passage's text (12 s for "the" on Wikipedia), its hits of
// weight 0 never letting Xapian's matcher stop early. Its top hits are the
// ones the whole search ranks first, and the count says how few passages
// it read (the lower bound of an estimate, where it was exact before).
TEST(ExactPhrase, AStopWordsSearchStopsOnceItHoldsItsTopHits) {
    if (!fs::exists(kReuters)) GTEST_SKIP() << kReuters << " is absent: the exactness test needs Reuters-21578";
    test::TempDir tmp;
    const auto three = build_three_indexes(tmp, " " + test::shell_quote((kReuters / "reut2-000.sgm").string()));
    ASSERT_TRUE(three);
    const std::string& frequent = three->frequent;
    ASSERT_FALSE(format::PositionalWords::read(Xapian::Database(frequent)).indexed("it"));
    for (const std::string q : {"it", "+it", "the"}) {
        query::Searcher all(all_hits(frequent));
        const auto whole = all.search("q", q);
        ASSERT_GT(whole.hits.size(), 100u) << q;
        auto top_opts = all_hits(frequent);
        top_opts.limit = 5;
        top_opts.exact_count_limit = 0;  // Xapian's quickest estimate
        query::Searcher top(top_opts);
        const auto first = top.search("q", q);
        ASSERT_EQ(first.hits.size(), 5u) << q;
        for (std::size_t i = 0; i < 5; ++i)
            EXPECT_EQ(first.hits[i].passage_id, whole.hits[i].passage_id) << q << " " << i;
        EXPECT_LT(first.summary.passages.lower, whole.hits.size() / 4) << q;
    }
    // Unranked hits (their weight only orders them) still score 0.
    query::Searcher all(all_hits(frequent));
    const auto the = all.search("q", "the");
    ASSERT_FALSE(the.hits.empty());
    for (const auto& h : the.hits) EXPECT_EQ(h.score, 0.0) << h.passage_id;
}

// A query of stop words only is the phrase it spells on every layout: on an
// index that holds its stop words (--positions all, --shards) it was a ranked
// OR of them, nearly every passage ("to be or not to be": 0 passages on the
// default index of Reuters, 31,108 on --shards 3), with no note when the
// phrase is nowhere.
TEST(ExactPhrase, AQueryOfStopWordsOnlyIsThePhraseItSpellsOnEveryLayout) {
    if (!fs::exists(kReuters)) GTEST_SKIP() << kReuters << " is absent: the exactness test needs Reuters-21578";
    test::TempDir tmp;
    const std::string files = " " + test::shell_quote((kReuters / "reut2-000.sgm").string());
    const auto three = build_three_indexes(tmp, files);
    ASSERT_TRUE(three);
    const auto& [full, frequent, sharded] = *three;
    const std::string served = tmp.str() + "/served";  // --shards: every word's positions, stems as terms
    const auto built = test::run_command(test::index_cmd(served, "--quiet --threads 2 --shards 3" + files));
    ASSERT_EQ(built.exit_code, 0) << built.err;
    ASSERT_GT(Xapian::Database(full).get_termfreq("the"), 100u) << "the test needs an index that holds stop words";
    ASSERT_FALSE(format::PositionalWords::read(Xapian::Database(frequent)).indexed("the"));
    const std::vector<std::string> layouts = {full, frequent, sharded, served};
    std::vector<std::unique_ptr<query::Searcher>> searchers;
    for (const auto& db : layouts) searchers.push_back(std::make_unique<query::Searcher>(all_hits(db)));
    // The phrase, as Xapian matches it on the index of every word's positions.
    query::Searcher phrase(all_hits(full));
    const std::uint64_t passages = Xapian::Database(full).get_doccount();
    for (const std::string q :
         {"for the", "what are the", "it is", "will be", "to be or not to be", "the who", "Of The", "out of the"}) {
        const auto want = hits(phrase, "\"" + q + "\"");
        EXPECT_LT(want.size(), passages / 2) << q << ": a phrase, not every passage";
        for (std::size_t i = 0; i < layouts.size(); ++i) {
            const auto rs = searchers[i]->search("q", q);
            std::set<std::string> got;
            for (const auto& h : rs.hits) got.insert(h.passage_id);
            EXPECT_EQ(got, want) << q << " on " << layouts[i];
            // Nowhere: the note says why, on every layout alike.
            EXPECT_EQ(rs.note.empty(), !want.empty()) << q << " on " << layouts[i] << ": " << rs.note;
        }
    }
    // Not a phrase: a stop word with another word, one stop word, and
    // stop words with an operator stay as they were.
    for (const std::string q : {"the oil", "the", "the OR who"}) {
        const auto want = hits(*searchers[0], q);
        if (q != "the") {
            EXPECT_NE(want, hits(phrase, "\"" + q + "\"")) << q;
        }
        for (std::size_t i = 1; i < layouts.size(); ++i)
            EXPECT_EQ(hits(*searchers[i], q), want) << q << " on " << layouts[i];
    }
}

namespace {

// Whether `text`, cut as the indexer cuts it, holds `words` one after the
// other (a place that satisfies the phrase).
bool words_in_a_row(std::string_view text, const std::vector<std::string>& words) {
    const auto cut = format::cut_words(text);
    std::vector<std::string> terms;
    for (const auto& w : cut.list())
        if (w.indexed) terms.emplace_back(cut.term(w));
    return std::search(terms.begin(), terms.end(), words.begin(), words.end()) != terms.end();
}

}  // namespace

// A phrase hit's snippet shows the phrase when the passage text holds it
// (not the title, which a lead passage's body also indexes) and it fits:
// before, a window with the words apart could win (Reuters 6371#0, "oil
// prices": "heating oil producer prices fell", 3 of 39 such hits).
TEST(ExactPhrase, APhraseHitsSnippetShowsThePhrase) {
    if (!fs::exists(kReuters)) GTEST_SKIP() << kReuters << " is absent: the snippet test needs Reuters-21578";
    test::TempDir tmp;
    const std::string db = (tmp / "r.idx").string();
    const auto r =
        test::run_command(test::index_cmd(db, "--quiet " + test::shell_quote((kReuters / "reut2-001.sgm").string()) +
                                                  " " + test::shell_quote((kReuters / "reut2-006.sgm").string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    query::SearchOptions o = all_hits(db);
    o.limit = 100;
    o.snippet_bytes = 120;
    query::Searcher s(o);
    std::size_t checked = 0;
    for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
             {"oil", "prices"}, {"trade", "deficit"}, {"interest", "rates"}, {"last", "year"}, {"central", "bank"}}) {
        const std::string q = "\"" + words[0] + " " + words[1] + "\"";
        for (const auto& h : s.search("q", q).hits) {
            if (!words_in_a_row(h.text, words)) continue;  // matched in the title
            ++checked;
            EXPECT_TRUE(words_in_a_row(h.snippet.text, words)) << q << " " << h.passage_id << ": " << h.snippet.text;
        }
    }
    EXPECT_GT(checked, 100u);
}
