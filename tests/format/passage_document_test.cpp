// The passage document round trip: what make_passage_document() writes, the
// reader side (classify_term, the value readers, the stored fields) takes
// apart again into the article it came from. And PassageDocumentMaker: a
// Synonyms index's documents, cut without TermGenerator, are the documents
// TermGenerator (STEM_NONE) makes, term for term, on fixtures and Reuters,
// with the tier terms (tiers.hpp) of the stems that weigh most.
#include "indexer/format/passage_document.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/diagnostics.hpp"
#include "corpus/clean/dedup.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/text/passage_splitter.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/pair_signature.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/tiers.hpp"

using namespace trawl;
using format::TermClass;

namespace {

corpus::Article harbour_article() {
    corpus::Article a;
    a.id = "ports/7";
    a.title = "Harbour cranes";  // capitalised words get no stem (STEM_SOME)
    a.body = "The harbour crane lifted ships. Dockers cheered loudly.";
    a.date = "1987-02-26T15:01:01";
    a.source = " BBC  News ";
    a.location = "news/ports/7.txt";
    return a;
}

corpus::Passage passage(const corpus::Article& a, PassageOrdinal ordinal, std::uint32_t begin, std::uint32_t end) {
    return {ordinal, begin, end, a.body.substr(begin, end - begin)};
}

// Every term of `doc` by what classify_term() makes of it: "body:crane",
// "body~stem:crane", "title:harbour", "none:Aports/7"...
std::set<std::string> classified(const Xapian::Document& doc) {
    std::set<std::string> out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string term = *t;  // TermClass::word points into it
        const auto c = format::classify_term(term);
        std::string kind = c.field == TermClass::Field::Body    ? "body"
                           : c.field == TermClass::Field::Title ? "title"
                                                                : "none";
        if (c.stemmed) kind += "~stem";
        out.insert(kind + ":" + (c.field == TermClass::Field::None ? term : std::string(c.word)));
    }
    return out;
}

// Everything a document holds: each term with its wdf and positions, then each value.
using Contents = std::vector<std::tuple<std::string, Xapian::termcount, std::vector<Xapian::termpos>>>;

Contents contents(const Xapian::Document& doc) {
    Contents out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        out.emplace_back(*t, t.get_wdf(), std::vector<Xapian::termpos>(t.positionlist_begin(), t.positionlist_end()));
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
        out.emplace_back("value " + std::to_string(v.get_valueno()) + ": " + *v, 0, std::vector<Xapian::termpos>{});
    return out;
}

// `c` without the tier terms (tiers.hpp), which only the maker writes.
Contents without_tiers(Contents c) {
    std::erase_if(c, [](const auto& t) { return std::get<0>(t).starts_with(format::kPrefixTier); });
    return c;
}

// The tier terms a passage document should hold, worked out apart from
// TierTerms: each body word of the TermGenerator document stemmed by Snowball,
// the wdfs summed by stem, the length the wdfs of all its terms.
std::set<std::string> expected_tiers(const Contents& by_tg) {
    Xapian::Stem stem(format::kLanguage);
    std::map<std::string, Xapian::termcount> wdf;
    Xapian::termcount length = 0;
    for (const auto& [term, w, positions] : by_tg) {
        if (term.starts_with("value ")) continue;
        length += w;
        if (format::classify_term(term).field == TermClass::Field::Body) wdf[stem(term)] += w;
    }
    std::set<std::string> out;
    for (const auto& [s, w] : wdf)
        if (format::in_tier(w, length)) out.insert(format::tier_term(s, w));
    return out;
}

std::set<std::string> tiers_of(const Contents& c) {
    std::set<std::string> out;
    for (const auto& t : c)
        if (std::get<0>(t).starts_with(format::kPrefixTier)) {
            EXPECT_EQ(std::get<1>(t), 0u) << std::get<0>(t) << ": a boolean term (a wdf would change the length)";
            out.insert(std::get<0>(t));
        }
    return out;
}

// The document of a Synonyms index as TermGenerator makes it.
Contents by_term_generator(const corpus::Article& a, const corpus::Passage& p,
                           const format::PositionalWords& positional) {
    auto tg = format::make_term_generator(format::StemStorage::Synonyms);
    return contents(format::make_passage_document(tg, a, format::article_keys(a), p, positional));
}

}  // namespace

TEST(PassageDocument, MakerCutsASynonymsIndexsDocumentAsTermGeneratorDoes) {
    auto a = harbour_article();
    a.title = "U.S. Harbour cranes: AT&T's C++ deal";
    a.body = "The harbour crane lifted 1,000.5 ships. Dockers cheered, the harbour crane too. " + std::string(70, 'x') +
             " don\u2019t stop";
    format::PassageDocumentMaker maker(format::StemStorage::Synonyms);
    const auto keys = format::article_keys(a);
    const auto some = format::PositionalWords::only({"crane", "harbour", "the"});
    for (const PassageOrdinal ordinal : {0u, 1u}) {
        const auto p = passage(a, ordinal, 0, static_cast<std::uint32_t>(a.body.size()));
        for (const auto& positional : {format::PositionalWords::all(), some}) {
            const auto made = contents(maker.make(a, keys, p, positional));
            const auto got = without_tiers(made);
            const auto want = by_term_generator(a, p, positional);
            EXPECT_EQ(got, want) << "ordinal " << ordinal;
            EXPECT_EQ(tiers_of(made), expected_tiers(want)) << "ordinal " << ordinal;
            // Not vacuous: positional words keep positions, the others none.
            const auto crane =
                std::find_if(got.begin(), got.end(), [](const auto& t) { return std::get<0>(t) == "crane"; });
            ASSERT_NE(crane, got.end());
            EXPECT_EQ(std::get<1>(*crane), 2u);
            EXPECT_EQ(std::get<2>(*crane).size(), 2u);
            const auto ships =
                std::find_if(got.begin(), got.end(), [](const auto& t) { return std::get<0>(t) == "ships"; });
            ASSERT_NE(ships, got.end());
            EXPECT_EQ(std::get<2>(*ships).size(), positional.all_words() ? 1u : 0u);
        }
    }
}

TEST(PassageDocument, APairSignatureOnlyWhereSomeWordsHaveNoPositions) {
    // An index keeping every word's positions answers phrases from them:
    // its passages store no signature (pair_signature.hpp); the others do.
    const auto a = harbour_article();
    const auto keys = format::article_keys(a);
    const auto p = passage(a, 0, 0, 31);  // "The harbour crane lifted ships."
    for (const auto stems : {format::StemStorage::Synonyms, format::StemStorage::Terms}) {
        format::PassageDocumentMaker maker(stems);
        maker.make(a, keys, p, format::PositionalWords::only({"crane"}));
        // "Harbour cranes" as title words, then as the headline's words
        // (positions 1-4: three pairs), then the four pairs of "The harbour
        // crane lifted ships" after the title gap.
        EXPECT_EQ(maker.pairs().size(), 7u);
        maker.make(a, keys, p, format::PositionalWords::all());
        EXPECT_EQ(maker.pairs(), "");
    }
}

TEST(PassageDocument, TheStoredSignatureIsThatOfTheWordsTheCheckCutsFromTheRecord) {
    // The query side re-cuts a stored passage with passage_words() and asks
    // the signature about its pairs: the indexer's signature must be the
    // one of those words, on the lead passage (title words, headline, gap)
    // and on a later one (the headline's title words without positions).
    auto a = harbour_article();
    a.title = "U.S. Harbour cranes: AT&T's deal";
    const auto keys = format::article_keys(a);
    const auto some = format::PositionalWords::only({"crane", "harbour"}, {"the"});
    for (const auto stems : {format::StemStorage::Synonyms, format::StemStorage::Terms}) {
        format::PassageDocumentMaker maker(stems);
        for (const PassageOrdinal ordinal : {0u, 2u}) {
            const auto p = passage(a, ordinal, 0, static_cast<std::uint32_t>(a.body.size()));
            maker.make(a, keys, p, some);
            const format::StoredFields fields{a.id, a.title, a.location, a.date, a.source, p.text};
            EXPECT_EQ(maker.pairs(), format::pair_signature(format::passage_words(fields, ordinal)))
                << "ordinal " << ordinal;
            EXPECT_GT(maker.pairs().size(), 8u);
        }
    }
}

TEST(PassageDocument, MakerCutsReutersAsTermGeneratorDoes) {
    const std::filesystem::path dir = std::filesystem::path(TRAWL_SHARED_DATA_DIR) / "reuters21578";
    if (!std::filesystem::exists(dir / "reut2-003.sgm")) GTEST_SKIP() << "no Reuters-21578 data at " << dir.string();
    format::PassageDocumentMaker maker(format::StemStorage::Synonyms);
    const corpus::PassageSplitter splitter;
    const auto some = format::PositionalWords::only({"a", "and", "in", "of", "said", "the", "to"});
    std::size_t passages = 0, tiered = 0;
    corpus::Diagnostics diag;
    auto reader = corpus::open_sgml_reader((dir / "reut2-003.sgm").string(), diag);
    corpus::Article a;
    while (reader->next(a)) {
        const auto keys = format::article_keys(a);
        for (const auto& p : splitter.split(a.body)) {
            const auto& positional = passages % 2 ? some : format::PositionalWords::all();
            ++passages;
            const auto made = contents(maker.make(a, keys, p, positional));
            const auto want = by_term_generator(a, p, positional);
            ASSERT_EQ(without_tiers(made), want) << a.id << " passage " << p.ordinal;
            const auto tiers = tiers_of(made);
            ASSERT_EQ(tiers, expected_tiers(want)) << a.id << " passage " << p.ordinal;
            tiered += tiers.size();
        }
    }
    EXPECT_GT(passages, 1000u);
    EXPECT_GT(tiered, 100u);  // not vacuous
}

TEST(PassageDocument, TermsValuesAndDataReadBackAsTheArticleWritten) {
    const auto a = harbour_article();
    const auto keys = format::article_keys(a);
    auto tg = format::make_term_generator();
    const auto lead = passage(a, 0, 0, 31);  // "The harbour crane lifted ships."
    const auto doc = format::make_passage_document(tg, a, keys, lead, format::PositionalWords::all());

    const auto terms = classified(doc);
    for (const char* t : {"body:harbour", "body:crane", "body:lifted", "body~stem:lift", "title:harbour",
                          "title:cranes", "title~stem:crane", "body:cranes",  // the headline as body words
                          "none:Aports/7", "none:XSbbc-news"})
        EXPECT_TRUE(terms.count(t)) << t << " missing";
    EXPECT_TRUE(terms.count("none:" + format::content_term(corpus::content_hash(a))));
    EXPECT_FALSE(terms.count("none:Qports/7#0")) << "format v3 has no passage-id term";
    for (const auto& t : terms) EXPECT_EQ(t.find("dockers"), std::string::npos) << "a word of another passage: " << t;

    EXPECT_EQ(format::article_id_of(doc), "ports/7");
    EXPECT_EQ(format::ordinal_of(doc), 0u);
    EXPECT_EQ(doc.get_value(format::kSlotDate), "19870226");

    const auto raw = format::stored_fields(a, lead.text);
    const auto data = format::passage_data(lead, raw.size());
    EXPECT_EQ(data.ordinal, 0u);
    EXPECT_EQ(data.begin, 0u);
    EXPECT_EQ(data.end, 31u);
    EXPECT_EQ(data.raw_size, raw.size());
    const auto f = format::decode_fields(raw);
    EXPECT_EQ(f, (format::StoredFields{"ports/7", "Harbour cranes", "news/ports/7.txt", "1987-02-26T15:01:01",
                                       " BBC  News ", "The harbour crane lifted ships."}));
}

TEST(PassageDocument, TitlePositionsOnTheLeadPassageOnlyAndAGapBeforeItsText) {
    const auto a = harbour_article();
    const auto keys = format::article_keys(a);
    auto tg = format::make_term_generator();
    const auto lead = format::make_passage_document(tg, a, keys, passage(a, 0, 0, 31), format::PositionalWords::all());
    const auto next = format::make_passage_document(
        tg, a, keys, passage(a, 1, 32, static_cast<std::uint32_t>(a.body.size())), format::PositionalWords::all());
    std::map<std::string, std::vector<Xapian::termpos>> lead_pos, next_pos;
    for (auto t = lead.termlist_begin(); t != lead.termlist_end(); ++t)
        lead_pos[*t].assign(t.positionlist_begin(), t.positionlist_end());
    for (auto t = next.termlist_begin(); t != next.termlist_end(); ++t)
        next_pos[*t].assign(t.positionlist_begin(), t.positionlist_end());
    EXPECT_EQ(lead_pos.at("Sharbour"), std::vector<Xapian::termpos>{1});
    EXPECT_TRUE(next_pos.count("Sharbour")) << "title terms on every passage";
    EXPECT_TRUE(next_pos.at("Sharbour").empty()) << "without positions";
    EXPECT_EQ(format::ordinal_of(next), 1u);
    EXPECT_FALSE(next_pos.count("cranes")) << "the headline is body text of the lead passage only";
    // The text starts a gap after the headline: no phrase spans the two.
    ASSERT_EQ(lead_pos.at("the").size(), 1u);
    EXPECT_GE(lead_pos.at("the")[0], lead_pos.at("cranes")[0] + 100);
}

TEST(PassageDocument, ClassifiesStemsFieldsAndBooleanTerms) {
    auto is = [](std::string_view term, TermClass::Field field, bool stemmed, std::string_view word) {
        const auto c = format::classify_term(term);
        return c.field == field && c.stemmed == stemmed && c.word == word;
    };
    using F = TermClass::Field;
    EXPECT_TRUE(is("harbour", F::Body, false, "harbour"));
    EXPECT_TRUE(is("Zharbour", F::Body, true, "harbour"));
    EXPECT_TRUE(is("Sharbour", F::Title, false, "harbour"));
    EXPECT_TRUE(is("ZSharbour", F::Title, true, "harbour"));
    EXPECT_TRUE(is("café", F::Body, false, "café"));
    for (const char* none : {"Qa#0", "Aa", "XSbbc", "XH0123456789abcdef", "Z", "S", "ZS", ""})
        EXPECT_EQ(format::classify_term(none).field, F::None) << none;
}

TEST(PassageDocument, DateSlotValueIsTheDayOfAnIsoDateOrNothing) {
    EXPECT_EQ(format::date_slot_value("1987-02-26T15:01:01"), "19870226");
    EXPECT_EQ(format::date_slot_value("2022-01-03"), "20220103");
    EXPECT_EQ(format::date_slot_value(""), "");
    EXPECT_EQ(format::date_slot_value("20220103"), "") << "Article::date is ISO, with dashes";
    EXPECT_EQ(format::date_slot_value("2022-02-30"), "") << "not a day";
    EXPECT_EQ(format::date_slot_value("26-FEB-1987"), "");
    // The article's keys carry it, and no date value is written without one.
    auto a = harbour_article();
    a.date.clear();
    a.source.clear();
    const auto keys = format::article_keys(a);
    EXPECT_EQ(keys.date, "");
    EXPECT_EQ(keys.source_term, "");
    auto tg = format::make_term_generator();
    const auto doc = format::make_passage_document(tg, a, keys, passage(a, 0, 0, 31), format::PositionalWords::all());
    EXPECT_EQ(doc.get_value(format::kSlotDate), "");
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) EXPECT_NE((*t).rfind("XS", 0), 0u) << *t;
}

// --like recomputes an article's content-hash term from what the index
// stores of it: the passages' texts at their spans (overlapping, with the
// white space between sentences left out) give back the term of the
// article as indexed; a headline alone keeps its day.
TEST(PassageDocument, StoredContentTermIsTheIndexedArticlesTerm) {
    corpus::Article a;
    a.id = "x";
    a.title = "Harbour cranes idle";
    a.date = "1987-03-02T10:00:00";
    a.body =
        "  The big red crane stood idle.  Dockers waited for the ship, which was late.\n\n"
        "Rain fell all day on the quay. Officials said work would resume on Monday.  ";
    for (const std::uint32_t words : {0u, 6u, 9u}) {
        corpus::SplitOptions o;
        o.words = words;
        o.overlap = words == 9 ? 4 : 0;
        std::vector<format::PassageText> stored;
        for (auto& p : corpus::PassageSplitter(o).split(a)) stored.push_back({p.begin, p.end, std::move(p.text)});
        ASSERT_FALSE(stored.empty());
        EXPECT_EQ(format::stored_content_term(a.title, a.date, stored), format::content_term(corpus::content_hash(a)))
            << words;
        auto other = a;
        other.body.replace(other.body.find("late"), 4, "lost");
        EXPECT_NE(format::stored_content_term(a.title, a.date, stored),
                  format::content_term(corpus::content_hash(other)));
    }
    corpus::Article headline = a;
    headline.body.clear();
    const std::vector<format::PassageText> empty{{0, 0, ""}};
    EXPECT_EQ(format::stored_content_term(a.title, a.date, empty),
              format::content_term(corpus::content_hash(headline)));
    EXPECT_NE(format::stored_content_term(a.title, "1987-03-03", empty),
              format::content_term(corpus::content_hash(headline)));
}
