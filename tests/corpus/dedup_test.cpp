#include "corpus/clean/dedup.hpp"

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"

using namespace trawl::corpus;

namespace {

Article art(std::string id, std::string title, std::string body) {
    Article a;
    a.id = std::move(id);
    a.title = std::move(title);
    a.body = std::move(body);
    return a;
}

// A wire story of about 200 words; `variant` changes one sentence.
std::string wire_story(int variant = 0) {
    std::string s =
        "The central bank left its main interest rate unchanged on Thursday, saying inflation was easing more "
        "slowly than it had expected earlier in the year. Governor Anna Berg told reporters that the board saw "
        "no case for a cut before the summer and would watch wage settlements closely. Markets had priced in a "
        "small chance of a reduction, and the currency rose half a percent after the decision. Economists said "
        "the bank was worried about rents and energy bills, which have risen faster than other prices. The next "
        "meeting is due in six weeks, when new forecasts will be published alongside the decision.\n\n"
        "Business groups welcomed the pause but asked for clearer guidance on borrowing costs for small firms, "
        "many of which refinanced loans last autumn at higher rates. Unions said households were still "
        "struggling and called on the government to extend support for heating costs through the winter months. "
        "The finance ministry said it respected the independence of the bank and would set out its own plans in "
        "the budget next month, including measures on housing supply that officials hope will slow rent rises "
        "in the largest cities over the coming two years.";
    if (variant == 1) s += " A spokesman declined to comment further.";
    if (variant == 2)
        s = "Completely different text about a football match in which the home side won three nil "
            "after a late rally, with two goals from the captain and one from a substitute striker. "
            "The coach praised the defence and said the squad would rest before the cup tie on "
            "Wednesday. Fans filled the stadium despite the rain, and ticket sales for the next home "
            "game have already passed twenty thousand, the club said in a statement on its website "
            "after the final whistle.";
    return s;
}

}  // namespace

TEST(DedupMode, ParsesTheThreeModes) {
    EXPECT_EQ(parse_dedup_mode("off"), DedupMode::Off);
    EXPECT_EQ(parse_dedup_mode("exact"), DedupMode::Exact);
    EXPECT_EQ(parse_dedup_mode("near"), DedupMode::Near);
    EXPECT_THROW(parse_dedup_mode("fuzzy"), trawl::UsageError);
    EXPECT_STREQ(dedup_mode_name(DedupMode::Near), "near");
}

TEST(ContentHash, FoldsCaseSpacingAndPunctuationOfTitleAndBody) {
    auto a = art("1", "Bank holds rates", "Rates were held. Markets rose!");
    auto b = art("2", "BANK  HOLDS RATES", "rates were held markets rose");
    EXPECT_EQ(content_hash(a), content_hash(b));
    auto c = art("3", "Bank holds rates", "Rates were held. Markets fell!");
    EXPECT_NE(content_hash(a), content_hash(c));
    auto d = art("4", "Another title", "Rates were held. Markets rose!");
    EXPECT_NE(content_hash(a), content_hash(d)) << "the title is part of the content";
}

TEST(MinHash, EstimatesJaccard) {
    const std::string a = wire_story(0), b = wire_story(1), c = wire_story(2);
    EXPECT_DOUBLE_EQ(similarity(minhash(a, 4), minhash(a, 4)), 1.0);
    const double exact_ab = jaccard(a, b, 4);
    EXPECT_GT(exact_ab, 0.85);
    EXPECT_LT(exact_ab, 1.0);
    EXPECT_NEAR(similarity(minhash(a, 4), minhash(b, 4)), exact_ab, 0.15);
    EXPECT_LT(jaccard(a, c, 4), 0.05);
    EXPECT_LT(similarity(minhash(a, 4), minhash(c, 4)), 0.2);
}

TEST(Deduplicator, ExactDuplicateOfAnEarlierArticleIsReported) {
    Deduplicator d;  // default: exact
    EXPECT_EQ(d.check(art("a", "Rates held", wire_story())).kind, Duplicate::Kind::None);
    auto dup = d.check(art("b", "Rates  held", wire_story()));
    EXPECT_EQ(dup.kind, Duplicate::Kind::Exact);
    EXPECT_EQ(dup.of, "a");
    EXPECT_EQ(dup.of_hash, content_hash(art("a", "Rates held", wire_story())));
    EXPECT_EQ(dup.of_hash, dup.content_hash);
    // A near duplicate is not an exact one.
    EXPECT_EQ(d.check(art("c", "Rates held", wire_story(1))).kind, Duplicate::Kind::None);
}

// A headline alone is too short to call two items one story: the same
// headline on another day is another event (Reuters repeats "FED SETS 1.5
// BILLION DLR CUSTOMER REPURCHASE, FED SAYS" on several days); on the same
// day it is a duplicate. Articles with a body are unaffected by the date.
TEST(Deduplicator, TheSameHeadlineAloneOnAnotherDayIsNoDuplicate) {
    Deduplicator d;
    auto dated = [](std::string id, std::string title, std::string body, std::string date) {
        auto a = art(std::move(id), std::move(title), std::move(body));
        a.date = std::move(date);
        return a;
    };
    const std::string headline = "FED SETS 1.5 BILLION DLR CUSTOMER REPURCHASE, FED SAYS";
    EXPECT_EQ(d.check(dated("a", headline, "", "1987-03-02T14:10:00")).kind, Duplicate::Kind::None);
    EXPECT_EQ(d.check(dated("b", headline, "", "1987-03-03T14:12:00")).kind, Duplicate::Kind::None);
    const auto same_day = d.check(dated("c", headline, "", "1987-03-03T16:40:00"));
    EXPECT_EQ(same_day.kind, Duplicate::Kind::Exact);
    EXPECT_EQ(same_day.of, "b");
    EXPECT_EQ(d.check(dated("d", "Rates held", wire_story(), "1987-03-02")).kind, Duplicate::Kind::None);
    const auto story = d.check(dated("e", "Rates held", wire_story(), "1987-03-09"));
    EXPECT_EQ(story.kind, Duplicate::Kind::Exact);
    EXPECT_EQ(story.of, "d");
    EXPECT_NE(content_hash(dated("a", headline, "", "1987-03-02")),
              content_hash(dated("b", headline, "", "1987-03-03")));
}

// Nor is a long headline alone a near duplicate of the same one another day
// (--dedup near compared only the words; found by review).
TEST(Deduplicator, ALongHeadlineAloneOnAnotherDayIsNoNearDuplicate) {
    DedupOptions o;
    o.mode = DedupMode::Near;
    Deduplicator d(o);
    std::string headline;
    for (int i = 0; i < 70; ++i) headline += "word" + std::to_string(i) + " ";
    auto a = art("l1", headline, "");
    a.date = "1987-03-02";
    auto b = art("l2", headline, "");
    b.date = "1987-03-03";
    EXPECT_EQ(d.check(a).kind, Duplicate::Kind::None);
    EXPECT_EQ(d.check(b).kind, Duplicate::Kind::None);
}

// find() hands out the content hash it computed, and remember() with find()'s
// answer remembers the article as its own text would (the near signature
// included) without folding its text again.
TEST(Deduplicator, FindGivesTheContentHashAndRememberReusesIt) {
    DedupOptions o;
    o.mode = DedupMode::Near;
    Deduplicator d(o);
    const auto a = art("a", "Rates held", wire_story());
    const auto found = d.find(a);
    EXPECT_EQ(found.kind, Duplicate::Kind::None);
    EXPECT_EQ(found.content_hash, content_hash(a));
    d.remember(a, found);
    const auto exact = d.find(art("b", "Rates  held", wire_story()));
    EXPECT_EQ(exact.kind, Duplicate::Kind::Exact);
    EXPECT_EQ(exact.of, "a");
    const auto near = d.find(art("c", "Rates held", wire_story(1)));
    EXPECT_EQ(near.kind, Duplicate::Kind::Near) << "the near signature was remembered too";
    EXPECT_EQ(near.of, "a");
    // Another article looked up in between: its answer does not stand for `a`'s.
    Deduplicator e(o);
    const auto fa = e.find(a);
    (void)e.find(art("x", "Other", wire_story(2)));
    e.remember(a, fa);
    EXPECT_EQ(e.find(art("b", "Rates  held", wire_story())).of, "a");
    EXPECT_EQ(e.find(art("c", "Rates held", wire_story(1))).kind, Duplicate::Kind::Near);
    DedupOptions off;
    off.mode = DedupMode::Off;
    EXPECT_EQ(Deduplicator(off).find(a).content_hash, 0u);
}

TEST(Deduplicator, SameIdIsAReplaceNotADuplicate) {
    DedupOptions o;
    o.mode = DedupMode::Near;
    Deduplicator d(o);
    EXPECT_EQ(d.check(art("a", "Rates held", wire_story())).kind, Duplicate::Kind::None);
    EXPECT_EQ(d.check(art("a", "Rates held", wire_story())).kind, Duplicate::Kind::None);
    EXPECT_EQ(d.check(art("a", "Rates held", wire_story(1))).kind, Duplicate::Kind::None);
}

TEST(Deduplicator, NearModeSkipsTheSameStoryWithAnotherHeadlineAndFooter) {
    DedupOptions o;
    o.mode = DedupMode::Near;
    Deduplicator d(o);
    EXPECT_EQ(d.check(art("a", "Rates held", wire_story())).kind, Duplicate::Kind::None);
    EXPECT_EQ(d.check(art("x", "Home side wins", wire_story(2))).kind, Duplicate::Kind::None);
    auto near = d.check(art("b", "Central bank keeps rates on hold", wire_story(1)));
    EXPECT_EQ(near.kind, Duplicate::Kind::Near);
    EXPECT_EQ(near.of, "a");
    // The original's content, not its own: what a twin record names (indexer/twins.hpp).
    EXPECT_EQ(near.of_hash, content_hash(art("a", "Rates held", wire_story())));
    EXPECT_NE(near.of_hash, near.content_hash);
    EXPECT_GE(near.similarity, o.near_threshold);
    EXPECT_LT(near.similarity, 1.0);
    // Exact duplicates are still exact in near mode.
    EXPECT_EQ(d.check(art("c", "Home side wins", wire_story(2))).kind, Duplicate::Kind::Exact);
}

TEST(Deduplicator, ShortTextsAreOnlyComparedExactly) {
    DedupOptions o;
    o.mode = DedupMode::Near;
    Deduplicator d(o);
    // Two dividend notices of different companies: nearly the same words.
    const std::string notice = "Qtly div 10 cts vs 10 cts prior Pay April 1 Record March 15";
    EXPECT_EQ(d.check(art("1", "ACME CORP QTLY DIV", notice)).kind, Duplicate::Kind::None);
    EXPECT_EQ(d.check(art("2", "ACME INC QTLY DIV", notice)).kind, Duplicate::Kind::None);
}

TEST(Deduplicator, OffNeverReports) {
    DedupOptions o;
    o.mode = DedupMode::Off;
    Deduplicator d(o);
    EXPECT_EQ(d.check(art("a", "t", wire_story())).kind, Duplicate::Kind::None);
    EXPECT_EQ(d.check(art("b", "t", wire_story())).kind, Duplicate::Kind::None);
}

TEST(Deduplicator, MemoryBoundStopsRemembering) {
    DedupOptions o;
    o.max_exact = 1;
    Deduplicator d(o);
    d.check(art("a", "t", "one"));
    d.check(art("b", "t", "two"));  // not remembered: table full
    EXPECT_EQ(d.check(art("a2", "t", "one")).kind, Duplicate::Kind::Exact);
    EXPECT_EQ(d.check(art("b2", "t", "two")).kind, Duplicate::Kind::None);
}
