// Format v5's stems (stems.hpp): a Synonyms index holds words only and maps
// each stem to them in the synonym table; a Terms index holds the Z-terms.
// Either way the query side asks StemReader what a stem stands for, and a
// parsed query reads the same (query_terms) and ranks the same passages.
#include "indexer/format/stems.hpp"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using format::StemStorage;

namespace {

corpus::Article article(const std::string& id, const std::string& title, const std::string& body) {
    corpus::Article a;
    a.id = id;
    a.title = title;
    a.body = body;
    return a;
}

const std::vector<corpus::Article> kArticles = {
    article("a", "Banks rally", "The banks rallied as banking shares rose."),
    article("b", "Bank rates", "The bank held its rates; a banker said rates may rise."),
    article("c", "Harbour", "Ships left the harbour at dawn."),
    article("d", "Rivers", "The river burst its banks after the rain."),
};

// An index of `articles` (one passage each) stored as `storage` says.
Xapian::Database make_db(const std::string& path, StemStorage storage,
                         const std::vector<corpus::Article>& articles = kArticles) {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    db.set_metadata(std::string(format::kMetaStems), std::string(format::stem_storage_name(storage)));
    auto tg = format::make_term_generator(storage);
    format::StemTableWriter table;
    db.begin_transaction();
    for (const auto& a : articles) {
        const corpus::Passage p{0, 0, static_cast<std::uint32_t>(a.body.size()), a.body};
        auto doc = format::make_passage_document(tg, a, format::article_keys(a), p, format::PositionalWords::all());
        if (storage == StemStorage::Synonyms) table.add(doc);
        db.add_document(doc);
    }
    table.write(db);
    db.commit_transaction();
    return Xapian::Database(path);
}

std::vector<std::string> synonyms(const Xapian::Database& db, const std::string& key) {
    return {db.synonyms_begin(key), db.synonyms_end(key)};
}

// Article ids of every hit of `q`, best first, with their weights.
std::vector<std::pair<std::string, double>> ranking(const Xapian::Database& db, const Xapian::Query& q) {
    Xapian::Enquire e(db);
    e.set_query(q);
    std::vector<std::pair<std::string, double>> out;
    const auto m = e.get_mset(0, 10);
    for (auto it = m.begin(); it != m.end(); ++it)
        out.emplace_back(format::article_id_of(it.get_document()), it.get_weight());
    return out;
}

std::set<std::string> ids(const std::vector<std::pair<std::string, double>>& r) {
    std::set<std::string> out;
    for (const auto& [id, w] : r) out.insert(id);
    return out;
}

}  // namespace

TEST(Stems, SynonymsIndexHoldsWordsOnlyAndMapsEachStemToItsWords) {
    test::TempDir tmp;
    const auto db = make_db(tmp.str() + "/db", StemStorage::Synonyms);
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) EXPECT_NE((*t)[0], 'Z') << *t;
    EXPECT_EQ(synonyms(db, "Zbank"), (std::vector<std::string>{"bank", "banking", "banks"}));
    EXPECT_EQ(synonyms(db, "Zrate"), (std::vector<std::string>{"rates"}));
    EXPECT_EQ(synonyms(db, "ZSbank"), (std::vector<std::string>{"Sbank", "Sbanks"}));  // title words
    EXPECT_TRUE(synonyms(db, "ZAa").empty());                                          // boolean terms are not words
    EXPECT_EQ(format::read_stem_storage(db), StemStorage::Synonyms);
}

TEST(Stems, TermsIndexHoldsTheZTermsAndNoSynonyms) {
    test::TempDir tmp;
    const auto db = make_db(tmp.str() + "/db", StemStorage::Terms);
    EXPECT_EQ(db.get_termfreq("Zbank"), 3u);
    EXPECT_TRUE(synonyms(db, "Zbank").empty());
    format::StemReader stems(db);
    EXPECT_EQ(stems.storage(), StemStorage::Terms);
    EXPECT_EQ(stems.postings("Zbank"), (std::vector<std::string>{"Zbank"}));
    EXPECT_EQ(stems.forms("Zbank"), (std::vector<std::string>{"bank", "banking", "banks"}));
    EXPECT_EQ(stems.termfreq("Zbank"), 3);
}

TEST(Stems, ReaderAnswersForAStemFromTheSynonymTable) {
    test::TempDir tmp;
    const auto db = make_db(tmp.str() + "/db", StemStorage::Synonyms);
    format::StemReader stems(db);
    EXPECT_EQ(stems.forms("Zbank"), (std::vector<std::string>{"bank", "banking", "banks"}));
    EXPECT_EQ(stems.postings("Zbank"), stems.forms("Zbank"));
    EXPECT_EQ(stems.forms("banks"), (std::vector<std::string>{"banks"}));  // a word is itself
    EXPECT_EQ(stems.termfreq("banks"), 2);
    EXPECT_EQ(stems.termfreq("Zrate"), 1);  // one word: its own frequency, exact
    EXPECT_TRUE(stems.forms("Znothing").empty());
    EXPECT_EQ(stems.termfreq("Znothing"), 0);
    // Three words in 3 of 4 passages (bank 1, banking 1, banks 2): taken as
    // independent, as Xapian estimates OP_SYNONYM, two at a time, rounded:
    // 1 + 1 - 1/4 -> 2; 2 + 2 - 2*2/4 = 3.
    EXPECT_EQ(stems.termfreq("Zbank"), 3);
}

// "price" and "prices" share their passages: taken as independent (Xapian's
// OP_SYNONYM estimate), they would be in 3 + 3 - 3*3/6 = 4.5 -> 5 of the 6;
// counted, they are in 3, as the Terms index's Z-term says.
TEST(Stems, ReaderCountsTheExactFrequencyOfAStemOfSeveralWords) {
    const std::vector<corpus::Article> articles = {
        article("a", "Oil", "The price of oil and the prices of gas rose; oil traded and gas trades higher."),
        article("b", "Gas", "Gas prices rose as the price of oil fell."),
        article("c", "Coal", "Coal prices and the price of coke."),
        article("d", "Tin", "Tin was traded."),
        article("e", "Lead", "Lead was flat."),
        article("f", "Zinc", "Zinc traded higher; zinc trading rose."),
    };
    test::TempDir tmp;
    const auto syn = make_db(tmp.str() + "/syn", StemStorage::Synonyms, articles);
    const auto terms = make_db(tmp.str() + "/terms", StemStorage::Terms, articles);
    format::StemReader stems(syn);
    ASSERT_EQ(stems.forms("Zprice"), (std::vector<std::string>{"price", "prices"}));
    EXPECT_EQ(stems.synonym_estimate("Zprice"), 5);
    EXPECT_EQ(stems.termfreq("Zprice"), 3);
    EXPECT_EQ(terms.get_termfreq("Zprice"), 3u);
    EXPECT_EQ(stems.termfreq("Zprice"), 3) << "cached";
    // One word, a word, a Terms index: their own frequency, estimate or not.
    EXPECT_EQ(stems.termfreq("Zoil"), 2);
    EXPECT_EQ(stems.synonym_estimate("Zoil"), 2);
    EXPECT_EQ(stems.termfreq("prices"), 3);
    format::StemReader term_stems(terms);
    EXPECT_EQ(term_stems.termfreq("Zprice"), 3);
    EXPECT_EQ(term_stems.synonym_estimate("Zprice"), 3);
    // Three words: traded (a, d, f), trading (f), trades (a). Each smaller
    // word is looked up in the larger ones from their start: trades' "a"
    // comes before trading's "f".
    ASSERT_EQ(stems.forms("Ztrade"), (std::vector<std::string>{"traded", "trades", "trading"}));
    EXPECT_EQ(stems.synonym_estimate("Ztrade"), 4);
    EXPECT_EQ(stems.termfreq("Ztrade"), 3);
    EXPECT_EQ(terms.get_termfreq("Ztrade"), 3u);
}

TEST(Stems, ParsedStemRanksAsTheReadersQueryAndTheTermsIndex) {
    test::TempDir tmp;
    const auto syn = make_db(tmp.str() + "/syn", StemStorage::Synonyms);
    const auto terms = make_db(tmp.str() + "/terms", StemStorage::Terms);
    auto parser = format::make_query_parser(syn);
    const auto parsed = parser.parse_query("banks", format::query_parser_flags());
    EXPECT_EQ(format::query_terms(parsed), (std::vector<std::string>{"Zbank"}));
    format::StemReader stems(syn);
    const auto by_parser = ranking(syn, parsed);
    const auto by_reader = ranking(syn, stems.query("Zbank"));
    ASSERT_EQ(by_parser.size(), 3u);
    EXPECT_EQ(ids(by_parser), (std::set<std::string>{"a", "b", "d"}));
    ASSERT_EQ(by_reader.size(), by_parser.size());
    for (std::size_t i = 0; i < by_parser.size(); ++i) {
        EXPECT_EQ(by_reader[i].first, by_parser[i].first);
        EXPECT_NEAR(by_reader[i].second, by_parser[i].second, 1e-12);
    }
    // The Terms index matches the same passages with its Z-term.
    auto terms_parser = format::make_query_parser(terms);
    const auto terms_parsed = terms_parser.parse_query("banks", format::query_parser_flags());
    EXPECT_EQ(format::query_terms(terms_parsed), (std::vector<std::string>{"Zbank"}));
    EXPECT_EQ(ids(ranking(terms, terms_parsed)), ids(by_parser));
    // title: stems go through the title's own synonym entries.
    const auto title = parser.parse_query("title:banks", format::query_parser_flags());
    EXPECT_EQ(format::query_terms(title), (std::vector<std::string>{"ZSbank"}));
    EXPECT_EQ(ids(ranking(syn, title)), (std::set<std::string>{"a", "b"}));
}

TEST(Stems, QueryTermsListWordsOfPhrasesAndOneTermPerStem) {
    test::TempDir tmp;
    const auto db = make_db(tmp.str() + "/db", StemStorage::Synonyms);
    auto parser = format::make_query_parser(db);
    const auto q = parser.parse_query("banks \"river burst\" Rates -harbour", format::query_parser_flags());
    EXPECT_EQ(format::query_terms(q), (std::vector<std::string>{"Zbank", "river", "burst", "rates", "Zharbour"}));
}

TEST(Stems, WriterWritesEachWordOnceAndOnlyWhenAsked) {
    test::TempDir tmp;
    Xapian::WritableDatabase db(tmp.str() + "/db", Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    format::StemTableWriter table;
    Xapian::Document d1, d2;
    d1.add_term("ships");
    d1.add_term("Sships");
    d1.add_boolean_term("Aone");
    d2.add_term("ships");
    d2.add_term("shipping");
    table.add(d1);
    EXPECT_TRUE(synonyms(db, "Zship").empty());  // nothing before write()
    table.add(d2);
    table.write(db);
    EXPECT_EQ(synonyms(db, "Zship"), (std::vector<std::string>{"shipping", "ships"}));
    EXPECT_EQ(synonyms(db, "ZSship"), (std::vector<std::string>{"Sships"}));
    table.write(db);  // nothing pending: no change
    EXPECT_EQ(synonyms(db, "Zship"), (std::vector<std::string>{"shipping", "ships"}));
}

TEST(Stems, AnotherStorageNameIsAFormatError) {
    test::TempDir tmp;
    {
        Xapian::WritableDatabase db(tmp.str() + "/db", Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
        db.set_metadata(std::string(format::kMetaStems), "lemmas");
        db.commit();
    }
    EXPECT_THROW(format::read_stem_storage(Xapian::Database(tmp.str() + "/db")), trawl::IndexFormatError);
}
