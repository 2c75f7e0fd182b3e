// format::Words against Xapian's TermGenerator (STEM_NONE): the same terms at
// the same positions on a fixture of tricky strings, on random strings of
// tricky characters, and on every passage of three Reuters files, where
// passage_words() must also give the unstemmed terms of the passage's indexed
// document. Plus where each word lies in the text (what the highlighter uses).
#include "indexer/format/words.hpp"

#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/diagnostics.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/text/passage_splitter.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/passage_document.hpp"

using namespace trawl;

namespace {

// term -> (occurrences, positions), as a document holds it.
using Terms = std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>>;

Terms terms_of(const Xapian::Document& doc) {
    Terms out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        out[*t] = {t.get_wdf(), {t.positionlist_begin(), t.positionlist_end()}};
    return out;
}

Terms terms_of(const format::Words& words) {
    Terms out;
    for (const auto& w : words.list()) {
        if (!w.indexed) continue;
        auto& [count, positions] = out[std::string(words.term(w))];
        ++count;
        if (w.pos != 0) positions.push_back(w.pos);
    }
    return out;
}

// What TermGenerator makes of `text` with positions or without, after `gap` positions.
Terms xapian(const std::string& text, bool with_positions, std::string_view prefix = {}) {
    Xapian::TermGenerator tg;
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    Xapian::Document doc;
    tg.set_document(doc);
    if (with_positions) {
        tg.index_text(text, 1, std::string(prefix));
    } else {
        tg.index_text_without_positions(text, 1, std::string(prefix));
    }
    return terms_of(doc);
}

Terms ours(const std::string& text, bool with_positions, std::string_view prefix = {}) {
    format::Words w;
    if (with_positions) {
        w.index_text(text, 1, prefix);
    } else {
        w.index_text_without_positions(text, 1, prefix);
    }
    return terms_of(w);
}

std::string show(const Terms& terms) {
    std::string s;
    for (const auto& [t, v] : terms) {
        s += "[" + t + "]x" + std::to_string(v.first);
        for (auto p : v.second) s += " " + std::to_string(p);
        s += "; ";
    }
    return s;
}

void expect_same(const std::string& text) {
    for (const bool positions : {true, false}) {
        const auto want = xapian(text, positions, "S");
        const auto got = ours(text, positions, "S");
        EXPECT_EQ(got, want) << (positions ? "" : "(no positions) ") << "text: \"" << text
                             << "\"\n ours:   " << show(got) << "\n xapian: " << show(want);
    }
}

const std::vector<std::string> kTricky = {
    "",
    "   ",
    "Cocoa prices rose 3.5 pct in 1987.",
    "THE U.S.A. AND U.K.",
    "the U.S. economy, the U.S.A and U.S.a. P.T.O. A.B",
    "I. A. M. S.O.S.",
    "AT&T M&S R&D b&b & &x x&",
    "don't O’Neill's ‘quote’ rock‛n‛roll 'tis ''twas'' x'",
    "C++ C# F## c+++ c++++ x+y fish+chips a+ +b C++.",
    "1,000,000.50 1.2.3 3;4 1, 000 12.5%. 1,a a,1 ٣٫٤ ١,٢",
    "co-operate e-mail – — well-known",
    "naïve café CAFÉ ZÜRICH Straße İstanbul ΣΊΣΥΦΟΣ Ǆemal ﬁne",
    "東京 都 中文字符 한국어 日本語のテキスト",
    "zero\u200bwidth word\u200cjoin a\u2060b x\ufeffy 1\u200b2",
    "mid·dot hebrew״quote hyph‧point",
    "snake_case __init__ _ x_",
    "e\u0301 cafe\u0301 a\u0308b",
    "emoji 😀 smile😀face ½ ² ⅷ",
    std::string(64, 'a') + " " + std::string(65, 'b') + " after",
    std::string(63, 'a') + "'s " + std::string(30, 'x') + "&" + std::string(40, 'y') + " end",
    "ab\xff\xfe cocoa \xe2\x82 end \xc3 \x80x",
    "tab\tnew\nline\r\nform\ffeed\vvt",
    "<b>bold</b> http://example.com/path?q=1&r=2 user@example.com",
    "$5.00 £3 €4,50 ¥100 50¢",
    "A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.P.Q.R.S.T.U.V.W.X.Y.Z.A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.P.Q.R.S.T.U.V.W.X.Y.Z.A.B.C",
    "end with infix a' b& 1, 2.",
};

}  // namespace

TEST(Words, TrickyStringsCutAsTermGeneratorCutsThem) {
    for (const auto& text : kTricky) expect_same(text);
}

TEST(Words, RandomStringsOfTrickyCharactersCutAsTermGeneratorCutsThem) {
    // Every character any rule looks at, mixed at random.
    const std::vector<std::string> pieces = {
        "a", "b", "Z",      "Q", "É",    "é",        "ß",    "İ", "東", "京", "1", "9", "٣",  "½",      "_",      ".",
        ",", ";", "&",      "'", "’",    "‛",        "+",    "#", "-",  " ",  " ", " ", "\n", "\u200b", "\ufeff", "·",
        "״", "‧", "\u0301", "😀", "\xff", "\xe2\x82", "\xc3", "(", ")",  "\"", "/", ":", "⁄",  "﹐"};
    std::mt19937 rng(20261130);
    for (int i = 0; i < 4000; ++i) {
        std::string text;
        const int n = std::uniform_int_distribution<int>(0, 24)(rng);
        for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
        expect_same(text);
        if (HasFailure()) break;  // one example is enough
    }
}

TEST(Words, PositionsContinueAcrossCallsAndGaps) {
    format::Words w;
    w.index_text("Oil prices", 1, "S");
    w.index_text("Oil prices");
    w.increase_termpos(100);
    w.index_text_without_positions("rose", 1, "S");
    w.index_text("fell; oil rose");
    EXPECT_EQ(w.positions("Soil"), (std::vector<Xapian::termpos>{1}));
    EXPECT_EQ(w.positions("oil"), (std::vector<Xapian::termpos>{3, 106}));
    EXPECT_EQ(w.positions("fell"), (std::vector<Xapian::termpos>{105}));
    EXPECT_TRUE(w.positions("Srose").empty());  // a term without positions
    EXPECT_TRUE(w.positions("gold").empty());
    w.clear();
    w.index_text("gold");
    EXPECT_EQ(w.positions("gold"), (std::vector<Xapian::termpos>{1}));
}

TEST(Words, EachWordKnowsItsBytesInTheText) {
    const std::string text = "“The U.S. said” C++, AT&T's 1,000.5 fish+chips " + std::string(70, 'x') + " don’t";
    const auto words = format::cut_words(text);
    std::vector<std::string> got;
    for (const auto& w : words.list())
        got.push_back(text.substr(w.begin, w.end - w.begin) + "=" + std::string(words.term(w)) + "@" +
                      std::to_string(w.pos) + (w.indexed ? "" : "!"));
    EXPECT_EQ(got,
              (std::vector<std::string>{"The=the@1", "U.S=us@2", "said=said@3", "C++=c++@4", "AT&T's=at&t's@5",
                                        "1,000.5=1,000.5@6", "fish=fish@7", "chips=chips@8",
                                        std::string(70, 'x') + "=" + std::string(70, 'x') + "@0!", "don’t=don't@9"}));
}

TEST(Words, ReutersPassagesCutAsTheIndexerIndexesThem) {
    const std::filesystem::path dir = std::filesystem::path(TRAWL_SHARED_DATA_DIR) / "reuters21578";
    if (!std::filesystem::exists(dir / "reut2-000.sgm")) GTEST_SKIP() << "no Reuters-21578 data at " << dir.string();
    auto tg = format::make_term_generator();
    const corpus::PassageSplitter splitter;
    std::size_t passages = 0;
    for (const char* file : {"reut2-000.sgm", "reut2-007.sgm", "reut2-014.sgm"}) {
        corpus::Diagnostics diag;
        auto reader = corpus::open_sgml_reader((dir / file).string(), diag);
        corpus::Article a;
        while (reader->next(a)) {
            const auto keys = format::article_keys(a);
            for (const auto& p : splitter.split(a.body)) {
                ++passages;
                // The text alone, as TermGenerator cuts it.
                const auto want_text = xapian(p.text, true);
                ASSERT_EQ(ours(p.text, true), want_text) << a.id << " passage " << p.ordinal;
                // passage_words() of the stored record = the indexed document's
                // unstemmed words (title and body), with every position.
                const auto doc = format::make_passage_document(tg, a, keys, p, format::PositionalWords::all());
                Terms want;
                for (auto& [term, v] : terms_of(doc)) {
                    const auto c = format::classify_term(term);
                    if (c.field != format::TermClass::Field::None && !c.stemmed) want[term] = v;
                }
                const auto fields = format::decode_fields(format::stored_fields(a, p.text));
                ASSERT_EQ(terms_of(format::passage_words(fields, p.ordinal)), want) << a.id << " passage " << p.ordinal;
            }
        }
    }
    EXPECT_GT(passages, 3000u);
}
