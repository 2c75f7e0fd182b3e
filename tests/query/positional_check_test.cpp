// The shortcut of positional_check.hpp (cut only around the occurrences of
// one word) against the whole cut (format::passage_words + holds): the same
// answer wherever it gives one, on every passage of two Reuters files and on
// texts made to trip it; and the local cut itself against the whole one.
#include "query/positional_check.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <xapian.h>

#include "corpus/base/diagnostics.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/text/passage_splitter.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/passage_document.hpp"

using namespace trawl;

namespace {

struct Passage {
    format::StoredFields fields;
    PassageOrdinal ordinal = 0;
};

std::vector<Passage> reuters_passages() {
    const std::filesystem::path dir = std::filesystem::path(TRAWL_SHARED_DATA_DIR) / "reuters21578";
    std::vector<Passage> out;
    if (!std::filesystem::exists(dir / "reut2-000.sgm")) return out;
    const corpus::PassageSplitter splitter;
    for (const char* file : {"reut2-000.sgm", "reut2-011.sgm"}) {
        corpus::Diagnostics diag;
        auto reader = corpus::open_sgml_reader((dir / file).string(), diag);
        corpus::Article a;
        while (reader->next(a))
            for (const auto& p : splitter.split(a.body))
                out.push_back({format::decode_fields(format::stored_fields(a, p.text)), p.ordinal});
    }
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Each indexed word as "term@position", positions counted from the first one.
std::vector<std::string> relative(const format::Words& words, std::size_t from_byte, std::size_t to_byte) {
    std::vector<std::string> out;
    Xapian::termpos base = 0;
    for (const auto& w : words.list()) {
        if (w.begin < from_byte || w.end > to_byte || w.pos == 0) continue;
        if (base == 0) base = w.pos;
        out.push_back(std::string(words.term(w)) + "@" + std::to_string(w.pos - base));
    }
    return out;
}

query::PositionalCheck check_of(bool ordered, Xapian::termcount window, std::vector<std::string> terms) {
    query::PositionalCheck c;
    c.ordered = ordered;
    c.window = window;
    c.terms = std::move(terms);
    return c;
}

}  // namespace

TEST(PositionalCheck, OnlyTheListedCharactersFoldToAscii) {
    std::vector<unsigned> folds;
    for (unsigned cp = 0x80; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        if (Xapian::Unicode::is_wordchar(cp) && Xapian::Unicode::tolower(cp) < 0x80) folds.push_back(cp);
    }
    EXPECT_EQ(folds, std::vector<unsigned>(std::begin(query::kFoldsToAscii), std::end(query::kFoldsToAscii)));
    // ASCII word characters: letters, digits and '_' (what the byte search skips past).
    for (unsigned c = 0; c < 0x80; ++c) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        EXPECT_EQ(Xapian::Unicode::is_wordchar(c), word) << c;
        if (is_space(static_cast<char>(c))) {
            EXPECT_FALSE(Xapian::Unicode::is_wordchar(c)) << c;
        }
    }
}

TEST(PositionalCheck, TextCutFromWhiteSpaceHasTheWholeCutsWords) {
    const auto passages = reuters_passages();
    if (passages.empty()) GTEST_SKIP() << "no Reuters-21578 data";
    std::mt19937 rng(5);
    std::size_t compared = 0;
    for (const auto& p : passages) {
        const std::string& text = p.fields.text;
        const auto whole = format::cut_words(text);
        std::vector<std::size_t> starts{0}, ends{text.size()};
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (!is_space(text[i])) continue;
            starts.push_back(i + 1);
            ends.push_back(i);
        }
        for (const auto lo : starts) {
            const auto hi = ends[rng() % ends.size()];
            if (hi < lo) continue;
            const auto local = format::cut_words(std::string_view(text).substr(lo, hi - lo));
            ASSERT_EQ(relative(local, 0, hi - lo), relative(whole, lo, hi)) << "bytes " << lo << ".." << hi;
            ++compared;
        }
    }
    EXPECT_GT(compared, 100000u);
}

TEST(PositionalCheck, ShortcutAgreesWithTheWholeCutOnReuters) {
    const auto passages = reuters_passages();
    if (passages.empty()) GTEST_SKIP() << "no Reuters-21578 data";
    std::mt19937 rng(11);
    std::vector<std::string> vocabulary;
    std::size_t answered = 0, unanswered = 0, held = 0;
    for (const auto& p : passages) {
        const auto words = format::passage_words(p.fields, p.ordinal);
        std::vector<std::string> body;  // the passage's body terms in position order
        for (const auto& w : words.list())
            if (w.pos != 0 && words.term(w).find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string_view::npos)
                body.emplace_back(words.term(w));
        if (body.size() < 3) continue;
        for (int k = 0; k < 3; ++k) vocabulary.push_back(body[rng() % body.size()]);
        for (int q = 0; q < 12; ++q) {
            const std::size_t n = 2 + rng() % 2;
            const std::size_t at = rng() % (body.size() - n + 1);
            std::vector<std::string> terms(body.begin() + static_cast<long>(at),
                                           body.begin() + static_cast<long>(at + n));
            if (q % 3 == 1) terms[rng() % n] = vocabulary[rng() % vocabulary.size()];  // often not there
            if (q % 3 == 2) std::reverse(terms.begin(), terms.end());
            const bool ordered = q % 2 == 0;
            const Xapian::termcount windows[] = {static_cast<Xapian::termcount>(n), 3, 6, 11, 40, 100, 101, 300};
            const auto window = std::max<Xapian::termcount>(windows[rng() % 8], static_cast<Xapian::termcount>(n));
            const auto check = check_of(ordered, window, terms);
            const bool want = query::holds(words, check);
            const auto got = query::holds_in_passage(p.fields, p.ordinal, check);
            if (!got) {
                ++unanswered;
                continue;
            }
            ++answered;
            held += want;
            ASSERT_EQ(*got, want) << (ordered ? "PHRASE " : "NEAR ") << window << " " << terms[0] << " " << terms[1]
                                  << (n > 2 ? " " + terms[2] : "") << " in: " << p.fields.title << " / "
                                  << p.fields.text;
        }
    }
    EXPECT_GT(held, 5000u);  // both answers exercised
    EXPECT_GT(answered - held, 5000u);
    // The shortcut answers a good share (not: numbers such as "1,750", lead
    // passages with a window over 100).
    EXPECT_GT(answered, 30000u);
    EXPECT_GT(unanswered, 0u);
}

TEST(PositionalCheck, ShortcutOnTextsMadeToTripIt) {
    const auto phrase = [](std::vector<std::string> t) {
        const auto n = static_cast<Xapian::termcount>(t.size());
        return check_of(true, n, std::move(t));
    };
    // A word too long to index takes no position: its neighbours are adjacent.
    const std::string longword(70, 'x');
    EXPECT_EQ(query::holds_in_text("it was called " + longword + " water here", phrase({"called", "water"})), true);
    EXPECT_EQ(query::holds_in_text("called\n\n  Water", phrase({"called", "water"})), true);
    EXPECT_EQ(query::holds_in_text("called, water", phrase({"called", "water"})), true);
    EXPECT_EQ(query::holds_in_text("called the water", phrase({"called", "water"})), false);
    EXPECT_EQ(query::holds_in_text("recalled water", phrase({"called", "water"})), false);
    EXPECT_EQ(query::holds_in_text("called water's edge", phrase({"called", "water"})), false);
    EXPECT_EQ(query::holds_in_text("called waterfall", phrase({"called", "water"})), false);
    EXPECT_EQ(query::holds_in_text("no such words", phrase({"called", "water"})), false);
    EXPECT_EQ(query::holds_in_text("called caf\xC3\xA9water", phrase({"called", "water"})), false);
    // The words at every offset from a 16-byte boundary, near the end too (the byte search reads 16 at a time).
    for (std::size_t pad = 0; pad < 40; ++pad) {
        const std::string before(pad, 'y');
        EXPECT_EQ(query::holds_in_text(before + " Called WATER", phrase({"called", "water"})), true) << pad;
        EXPECT_EQ(query::holds_in_text(before + " called water " + before, phrase({"called", "water"})), true) << pad;
        EXPECT_EQ(query::holds_in_text(before + " called waters " + before, phrase({"called", "water"})), false) << pad;
        EXPECT_EQ(query::holds_in_text(before + "called water", phrase({"called", "water"})), pad == 0) << pad;
    }
    // NEAR/10 (window 11) across a long stretch: the cut widens to ten words either side.
    std::string far = "water";
    for (int i = 0; i < 9; ++i) far += " a1234567890123456789012345678901234567890";
    EXPECT_EQ(query::holds_in_text(far + " called", check_of(false, 11, {"called", "water"})), true);
    EXPECT_EQ(query::holds_in_text(far + " z called", check_of(false, 11, {"called", "water"})), false);
    // What can make the word otherwise: no answer, the caller cuts it all.
    EXPECT_EQ(query::holds_in_text("the U.S. said", phrase({"us", "said"})), std::nullopt);
    EXPECT_EQ(query::holds_in_text("called wa\xE2\x80\x8Bter", phrase({"called", "water"})), std::nullopt);
    EXPECT_EQ(query::holds_in_text("\xE2\x84\xAA"
                                   "elvin water",
                                   phrase({"kelvin", "water"})),
              std::nullopt);
    EXPECT_EQ(query::holds_in_text("\xC4\xB0stanbul water", phrase({"istanbul", "water"})), std::nullopt);
    EXPECT_EQ(query::holds_in_text("called water", phrase({"called", "Swater"})), std::nullopt);
    // The full cut agrees where the shortcut gives up.
    EXPECT_TRUE(query::holds(format::cut_words("the U.S. said"), phrase({"us", "said"})));
    EXPECT_TRUE(query::holds(format::cut_words("called wa\xE2\x80\x8Bter"), phrase({"called", "water"})));
    // The lead passage: its headline's words, then the text 100 positions on.
    format::StoredFields lead;
    lead.title = "Water called";
    lead.text = "water, said the board";
    EXPECT_EQ(query::holds_in_passage(lead, 0, phrase({"called", "water"})), false);
    EXPECT_EQ(query::holds_in_passage(lead, 0, phrase({"water", "called"})), true);
    EXPECT_EQ(query::holds_in_passage(lead, 1, phrase({"water", "called"})), false);
    EXPECT_EQ(query::holds_in_passage(lead, 0, check_of(false, 101, {"called", "said"})), std::nullopt);
}

TEST(PositionalCheck, ShortcutAgreesWithTheWholeCutOnRandomTrickyTexts) {
    // Texts strung from pieces that bend the cutting rules: infixes
    // (apostrophes, '&', digit separators), suffixes ("C++"), initials,
    // zero-width and non-ASCII characters, a word too long to index, other
    // cases, words inside words. Wherever the shortcut answers, it answers as
    // the whole cut does.
    const std::vector<std::string> pieces = {"called",
                                             "water",
                                             "Water",
                                             "WATER",
                                             "usa",
                                             "don",
                                             "t",
                                             "at",
                                             "c",
                                             "wa",
                                             "ter",
                                             "x1",
                                             " ",
                                             " ",
                                             " ",
                                             "  ",
                                             "\n",
                                             "\n\n",
                                             "\t",
                                             ",",
                                             ".",
                                             "-",
                                             "'",
                                             "_",
                                             "&",
                                             "\xE2\x80\x99",  // U+2019, an apostrophe between letters
                                             "AT&T",
                                             "don't",
                                             "don\xE2\x80\x99t",
                                             "1,000.5",
                                             "C++",
                                             "C#",
                                             "U.S.A.",
                                             "U.S.",
                                             "\xC2\xB7",  // U+00B7 middle dot
                                             "na\xC3\xAFve",
                                             "caf\xC3\xA9",
                                             "\xC3\xA9",
                                             "\xE2\x80\x8B",
                                             "\xE2\x80\x8C",
                                             "\xE2\x81\xA0",
                                             "\xEF\xBB\xBF",  // zero-width characters
                                             "\xC2\xA0",
                                             "\xE3\x80\x80",  // NBSP, ideographic space
                                             std::string(70, 'x')};
    const std::vector<std::string> terms = {"called", "water", "usa", "don", "t",  "at",
                                            "c",      "wa",    "ter", "x1",  "us", "kelvin"};
    // Ways a term's word may be written in the text, some the byte search
    // cannot see (initials, a zero-width space inside, the Kelvin sign).
    const std::map<std::string, std::vector<std::string>> spellings = {
        {"called", {"Called", "CALLED"}},
        {"water", {"Water", "WATER", "wa\xE2\x80\x8Bter", "wa\xC2\xADter"}},
        {"usa", {"USA", "U.S.A.", "U.S.A", "u.s.a."}},
        {"us", {"US", "U.S.", "u.s"}},
        {"kelvin",
         {"Kelvin",
          "\xE2\x84\xAA"
          "elvin"}},
        {"don", {"Don"}},
        {"at", {"AT"}}};
    const auto written = [&](const std::string& term, std::mt19937& r) {
        const auto it = spellings.find(term);
        if (it == spellings.end() || r() % 2 == 0) return term;
        return it->second[r() % it->second.size()];
    };
    std::mt19937 rng(5);
    std::size_t answered = 0, held = 0;
    // Separators to join the check's own words with, so that many texts
    // nearly hold it.
    const std::vector<std::string> joins = {" ", "  ", ", ",           "\n",       " x1 ", "-",
                                            "'", ".",  "\xE2\x80\x8B", "\xC2\xA0", "&"};
    for (int round = 0; round < 20000; ++round) {
        const std::size_t n = 2 + rng() % 2;
        std::vector<std::string> t;
        for (std::size_t k = 0; k < n; ++k) t.push_back(terms[rng() % terms.size()]);
        std::string text;
        const std::size_t pieces_before = rng() % 12, pieces_after = rng() % 12;
        for (std::size_t k = 0; k < pieces_before; ++k) text += pieces[rng() % pieces.size()];
        if (rng() % 4 != 0) {
            text += joins[rng() % joins.size()];
            for (std::size_t k = 0; k < n; ++k) {
                if (k > 0) text += joins[rng() % joins.size()];
                text +=
                    rng() % 5 == 0 ? pieces[rng() % pieces.size()] : written(t[(rng() % 3 == 0) ? rng() % n : k], rng);
            }
            text += joins[rng() % joins.size()];
        }
        for (std::size_t k = 0; k < pieces_after; ++k) text += pieces[rng() % pieces.size()];
        const bool ordered = rng() % 2 == 0;
        const Xapian::termcount windows[] = {static_cast<Xapian::termcount>(n), 3, 5, 11};
        const auto window = std::max<Xapian::termcount>(windows[rng() % 4], static_cast<Xapian::termcount>(n));
        const auto check = check_of(ordered, window, t);
        const bool want = query::holds(format::cut_words(text), check);
        const auto got = query::holds_in_text(text, check);
        if (!got) continue;
        ++answered;
        held += want;
        ASSERT_EQ(*got, want) << (ordered ? "PHRASE/" : "NEAR/") << window << " " << t[0] << " " << t[1]
                              << (n > 2 ? " " + t[2] : "") << " in: [" << text << "]";
    }
    // The shortcut answers a good share of them, both ways.
    EXPECT_GT(answered, 3000u);
    EXPECT_GT(held, 500u);
    EXPECT_GT(answered - held, 1000u);
}

namespace {

// Whether `pos` (pos[i]: the positions of terms[i]) holds a choice of one
// position for each term, no two the same, ascending when `ordered`, all
// inside [lo, hi] with the least at `lo` and the greatest at `hi`: by trying
// every choice, from the rules' statement rather than their algorithm.
bool chosen_within(bool ordered, const std::vector<std::vector<Xapian::termpos>>& pos, Xapian::termpos lo,
                   Xapian::termpos hi) {
    std::vector<Xapian::termpos> chosen;
    const std::function<bool(std::size_t)> choose = [&](std::size_t i) {
        if (i == pos.size()) {
            const auto [least, most] = std::minmax_element(chosen.begin(), chosen.end());
            return *least == lo && *most == hi;
        }
        for (const auto p : pos[i]) {
            if (p < lo || p > hi || std::find(chosen.begin(), chosen.end(), p) != chosen.end()) continue;
            if (ordered && !chosen.empty() && p <= chosen.back()) continue;
            chosen.push_back(p);
            const bool done = choose(i + 1);
            chosen.pop_back();
            if (done) return true;
        }
        return false;
    };
    return choose(0);
}

}  // namespace

// The phrase and NEAR rules are stated once (query::for_each_place), for the
// filter (holds) and the snippet: on random word sequences and checks, every
// place it gives satisfies the check, holds() is true exactly when it gives
// one, and that is exactly when some choice of the terms' positions
// satisfies the check (found by trying them all).
TEST(PositionalCheck, EveryPlaceSatisfiesTheCheckAndHoldsIsTrueExactlyWhenThereIsOne) {
    const std::vector<std::string> vocabulary = {"oil", "price", "rise", "gas", "the"};
    std::mt19937 rng(11);
    std::size_t with_places = 0, without = 0, near = 0, repeated = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const std::size_t length = 1 + rng() % 24;
        for (std::size_t k = 0; k < length; ++k) text += (k > 0 ? " " : "") + vocabulary[rng() % vocabulary.size()];
        std::vector<std::string> terms;
        for (std::size_t k = 1 + rng() % 4; k > 0; --k) terms.push_back(vocabulary[rng() % vocabulary.size()]);
        const bool ordered = rng() % 2 == 0;
        const auto window = static_cast<Xapian::termcount>(rng() % (terms.size() + 6));
        const auto words = format::cut_words(text);
        std::vector<std::vector<Xapian::termpos>> pos;
        for (const auto& t : terms) pos.push_back(query::positions_in(words, t));
        const std::string where = text + " | " + (ordered ? "phrase" : "NEAR") + "/" + std::to_string(window) + ":";

        std::vector<query::PositionalPlace> places;
        EXPECT_FALSE(query::for_each_place(ordered, window, terms, pos, [&](query::PositionalPlace p) {
            places.push_back(p);
            return true;
        }));
        for (const auto& p : places) {
            EXPECT_LE(p.first, p.last) << where;
            EXPECT_LT(p.last - p.first, window) << where;
            EXPECT_TRUE(chosen_within(ordered, pos, p.first, p.last)) << where << " " << p.first << ".." << p.last;
        }
        // Some choice of positions within the window, found by trying every
        // place the window can span.
        bool exists = false;
        for (Xapian::termpos lo = 1; lo <= length && !exists; ++lo)
            for (Xapian::termpos hi = lo; hi <= length && hi - lo < window && !exists; ++hi)
                exists = chosen_within(ordered, pos, lo, hi);
        const bool held = query::holds(words, check_of(ordered, window, terms));
        EXPECT_EQ(held, exists) << where;
        EXPECT_EQ(held, !places.empty()) << where;
        // holds() stops at the first: the enumeration stops when asked to.
        std::size_t calls = 0;
        EXPECT_EQ(
            query::for_each_place(ordered, window, terms, pos, [&](query::PositionalPlace) { return ++calls, false; }),
            !places.empty());
        EXPECT_EQ(calls, places.empty() ? 0u : 1u);
        (held ? with_places : without) += 1;
        near += !ordered && held;
        repeated += held && std::set<std::string>(terms.begin(), terms.end()).size() < terms.size();
    }
    // Both answers, NEARs and repeated terms among them, each often.
    EXPECT_GT(with_places, 2000u);
    EXPECT_GT(without, 2000u);
    EXPECT_GT(near, 1000u);
    EXPECT_GT(repeated, 500u);
}
