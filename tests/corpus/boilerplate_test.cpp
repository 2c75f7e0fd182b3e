#include "corpus/clean/boilerplate.hpp"

#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "tests/testutil/exact_bytes.hpp"

using namespace trawl::corpus;

namespace {

Article art(std::string id, std::string body, std::string source = "") {
    Article a;
    a.id = std::move(id);
    a.title = "Title " + a.id;
    a.body = std::move(body);
    a.source = std::move(source);
    return a;
}

// A distinct news paragraph per article: no two articles share it.
std::string story(int i) {
    return "The council met on day " + std::to_string(i) + " to discuss item number " + std::to_string(i * 7) +
           ". Members voted " + std::to_string(i + 3) + " to two in favour.";
}

const std::string kFooter = "Read more stories like this at the Example Daily Herald website.";

}  // namespace

TEST(BoilerplateKey, FoldsCaseSpacesAndPunctuationButKeepsDigitsAndNonAscii) {
    EXPECT_EQ(boilerplate_key("  Please   enter your COMMENT! "), "please enter your comment");
    EXPECT_EQ(boilerplate_key("\xC2\xA9 2021 Foo, Ltd."), "\xC2\xA9 2021 foo ltd");
    EXPECT_NE(boilerplate_key("Shr 10 cts"), boilerplate_key("Shr 12 cts"));
    EXPECT_EQ(boilerplate_key("...!"), "");
}

TEST(KnownBoilerplate, MatchesWholeCommentFormAndSharePrompts) {
    EXPECT_TRUE(is_known_boilerplate("Please enter your comment!"));
    EXPECT_TRUE(is_known_boilerplate("Please enter your name here"));
    EXPECT_TRUE(is_known_boilerplate("You have entered an incorrect email address! Please enter it again."));
    EXPECT_TRUE(is_known_boilerplate("Share this article"));
    EXPECT_TRUE(is_known_boilerplate("SUBSCRIBE TO OUR NEWSLETTER"));
    // Whole units only: a sentence that merely contains the words is journalism.
    EXPECT_FALSE(is_known_boilerplate("Please enter your comment on the plan by Friday, the council said."));
    EXPECT_FALSE(is_known_boilerplate("Readers were asked to share this article with friends."));
    EXPECT_FALSE(is_known_boilerplate(""));
}

TEST(KnownBoilerplate, CopyrightLinesButNotNewsAboutCopyrightOrFootnoteMarks) {
    EXPECT_TRUE(is_known_boilerplate("\xC2\xA9 2021 Example Media Ltd. All rights reserved."));
    EXPECT_TRUE(is_known_boilerplate("\xC2\xA9 Example Media"));
    EXPECT_TRUE(is_known_boilerplate("Copyright 2004 Example News"));
    EXPECT_TRUE(is_known_boilerplate("(c) 2019 Foo Inc"));
    EXPECT_TRUE(is_known_boilerplate("Example Media Group. All rights reserved."));
    EXPECT_FALSE(is_known_boilerplate("Copyright infringement cases rose 20% last year."));
    EXPECT_FALSE(is_known_boilerplate("(C) - Sales made on exporters' own account."));  // Reuters footnote
    EXPECT_FALSE(
        is_known_boilerplate("The band said all rights reserved by the label would revert to them in a "
                             "deal signed last year after months of talks between lawyers of both sides "
                             "and the label."));
}

TEST(BoilerplateFilter, BuiltInListCleansASingleScrapedArticle) {
    // The seed article's shape: the comment form is the last paragraph (two
    // lines joined by normalisation into one paragraph of two sentences).
    Article a = art(
        "seed", "Mr Putin said it.\n\nThe West must answer.\n\nPlease enter your comment! Please enter your name here");
    BoilerplateFilter filter;
    auto removed = filter.clean(a);
    EXPECT_EQ(a.body, "Mr Putin said it.\n\nThe West must answer.");
    EXPECT_EQ(removed, (std::vector<std::string>{"Please enter your comment!", "Please enter your name here"}));
}

TEST(BoilerplateFilter, BuiltInSentenceInsideAParagraphGoesTheRestStays) {
    Article a = art("x", "Prices rose. Share this article\n\nSecond paragraph.");
    auto removed = BoilerplateFilter().clean(a);
    EXPECT_EQ(a.body, "Prices rose.\n\nSecond paragraph.");
    EXPECT_EQ(removed, std::vector<std::string>{"Share this article"});
}

// Middle paragraphs have no edge sentence: their sentences are cut only when
// the paragraph may hold a built-in unit. Every kind still goes, anywhere (a
// short paragraph that opens with a copyright sign is a copyright line whole).
TEST(BoilerplateFilter, BuiltInSentencesGoFromMiddleParagraphsToo) {
    Article a = art("x", story(1) + "\n\n" + "Prices rose. Leave a reply. Costs fell.\n\n" +
                             "\xC2\xA9 2021 Example Media. Rates held.\n\n" +
                             "Oil slid. Copyright 2019 Example Wire. Gas rose.\n\n" +
                             "Wheat rose. (c) 2020 Example Agency. Corn fell.\n\n" +
                             "Tin rose. All rights reserved. Zinc fell.\n\n" + story(2));
    auto removed = BoilerplateFilter().clean(a);
    EXPECT_EQ(a.body, story(1) + "\n\nPrices rose. Costs fell.\n\nOil slid. Gas rose.\n\n" +
                          "Wheat rose. Corn fell.\n\nTin rose. Zinc fell.\n\n" + story(2));
    EXPECT_EQ(removed, (std::vector<std::string>{"Leave a reply.", "\xC2\xA9 2021 Example Media. Rates held.",
                                                 "Copyright 2019 Example Wire.", "(c) 2020 Example Agency.",
                                                 "All rights reserved."}));
}

TEST(BoilerplateFilter, CleanArticleIsUntouched) {
    Article a = art("x", story(1) + "\n\n" + story(2));
    const std::string before = a.body;
    EXPECT_TRUE(BoilerplateFilter().clean(a).empty());
    EXPECT_EQ(a.body, before);
}

TEST(BoilerplateLearner, FooterInManyArticlesIsLearnedAndDropped) {
    BoilerplateLearner learner;
    std::vector<Article> arts;
    for (int i = 0; i < 8; ++i) arts.push_back(art("a" + std::to_string(i), story(i) + "\n\n" + kFooter));
    for (const auto& a : arts) learner.add(a);
    EXPECT_EQ(learner.articles(), 8u);
    EXPECT_EQ(learner.count("", kFooter), 8u);
    EXPECT_EQ(learner.count("", "read MORE stories like this at the example daily herald website"), 8u)
        << "counted in folded form";
    EXPECT_EQ(learner.count("", story(3)), 1u);
    EXPECT_EQ(learner.threshold(""), 5u);  // max(5, 0.01 * 8)

    BoilerplateFilter filter(learner);
    EXPECT_EQ(filter.learned_units(), 1u);
    Article a = arts[3];
    EXPECT_EQ(filter.clean(a), std::vector<std::string>{kFooter});
    EXPECT_EQ(a.body, story(3));
}

TEST(BoilerplateLearner, BelowMinArticlesNothingIsDropped) {
    BoilerplateLearner learner;
    for (int i = 0; i < 4; ++i) learner.add(art("a" + std::to_string(i), story(i) + "\n\n" + kFooter));
    BoilerplateFilter filter(learner);
    Article a = art("a0", story(0) + "\n\n" + kFooter);
    EXPECT_TRUE(filter.clean(a).empty());
    EXPECT_EQ(a.body, story(0) + "\n\n" + kFooter);
}

TEST(BoilerplateLearner, FractionOfTheSourceRaisesTheThreshold) {
    BoilerplateOptions opts;
    opts.fraction = 0.1;
    BoilerplateLearner learner(opts);
    // 100 articles, the line in 8 of them: 8 < 10% of 100.
    for (int i = 0; i < 100; ++i) learner.add(art("a" + std::to_string(i), story(i) + (i < 8 ? "\n\n" + kFooter : "")));
    EXPECT_EQ(learner.threshold(""), 10u);
    Article a = art("a0", story(0) + "\n\n" + kFooter);
    EXPECT_TRUE(BoilerplateFilter(learner).clean(a).empty());
}

TEST(BoilerplateLearner, CountsPerSource) {
    BoilerplateLearner learner;
    for (int i = 0; i < 6; ++i) learner.add(art("s" + std::to_string(i), story(i) + "\n\n" + kFooter, "site-a"));
    learner.add(art("t0", story(100) + "\n\n" + kFooter, "site-b"));
    EXPECT_EQ(learner.count("site-a", kFooter), 6u);
    EXPECT_EQ(learner.count("site-b", kFooter), 1u);
    EXPECT_EQ(learner.count("", kFooter), 0u);
    BoilerplateFilter filter(learner);
    Article a = art("s9", story(9) + "\n\n" + kFooter, "site-a");
    EXPECT_EQ(filter.clean(a).size(), 1u);
    Article b = art("t9", story(9) + "\n\n" + kFooter, "site-b");
    EXPECT_TRUE(filter.clean(b).empty()) << "site-b's own statistics say it is not boilerplate there";
}

TEST(BoilerplateLearner, ExactRepeatsOfAnArticleCountOnce) {
    BoilerplateLearner learner;
    for (int i = 0; i < 10; ++i) learner.add(art("dup" + std::to_string(i), story(1) + "\n\n" + kFooter));
    EXPECT_EQ(learner.articles(), 1u);
    EXPECT_EQ(learner.count("", kFooter), 1u);
}

TEST(BoilerplateLearner, TrailingShortSentenceIsLearnedOnlyAtTheEdge) {
    const std::string byline = "Reporting by Jane Doe in London.";
    BoilerplateLearner learner;
    for (int i = 0; i < 6; ++i) learner.add(art("a" + std::to_string(i), story(i) + " " + byline));
    EXPECT_EQ(learner.count("", byline), 6u);
    BoilerplateFilter filter(learner);
    Article end = art("x", story(50) + " " + byline);
    EXPECT_EQ(filter.clean(end), std::vector<std::string>{byline});
    EXPECT_EQ(end.body, story(50));
    // The same sentence in the middle of a body is not an edge sentence: kept.
    Article mid = art("y", story(51) + " " + byline + " More news followed today. And then some more.");
    EXPECT_TRUE(filter.clean(mid).empty());
}

TEST(BoilerplateLearner, ShortTableLabelsAreNotLearned) {
    BoilerplateLearner learner;
    for (int i = 0; i < 50; ++i) learner.add(art("a" + std::to_string(i), "Nine mths\n\n" + story(i)));
    EXPECT_EQ(learner.count("", "Nine mths"), 0u);
    Article a = art("x", "Nine mths\n\n" + story(70));
    EXPECT_TRUE(BoilerplateFilter(learner).clean(a).empty());
}

TEST(BoilerplateLearner, MemoryBoundStopsCountingNewUnits) {
    BoilerplateOptions opts;
    opts.max_keys = 3;
    BoilerplateLearner learner(opts);
    learner.add(art("a", story(1) + "\n\n" + story(2)));  // 2 units (+ 2 edge sentences: full)
    learner.add(art("b", kFooter));
    EXPECT_EQ(learner.count("", kFooter), 0u) << "the table was full";
    EXPECT_EQ(learner.count("", story(1)), 1u);
}

TEST(RemovalTally, TopIsMostFrequentFirstInFoldedForm) {
    RemovalTally t;
    t.add("Please enter your comment!");
    t.add("please enter your comment");
    t.add("Share this");
    EXPECT_EQ(t.total(), 3u);
    auto top = t.top(5);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0], (std::pair<std::string, std::uint64_t>{"Please enter your comment!", 2}));
    EXPECT_EQ(top[1].second, 1u);
    EXPECT_EQ(t.top(1).size(), 1u);
}

namespace {
// boilerplate_key() byte by byte, as its definition reads: letters and
// digits lower-cased, bytes from 0x80 kept, every run of other bytes one
// space between words, none at either end.
std::string reference_key(std::string_view unit) {
    std::string key;
    bool gap = false;
    for (const char ch : unit) {
        const auto c = static_cast<unsigned char>(ch);
        const bool word = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!word) {
            gap = true;
            continue;
        }
        if (gap && !key.empty()) key += ' ';
        gap = false;
        key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return key;
}
}  // namespace

TEST(Boilerplate, KeyAgreesWithTheByteAtATimeDefinitionOnLongRuns) {
    // Long runs of words, so that 16-byte steps are taken, with an odd byte
    // at every offset of a step and at the end.
    const std::string words = "The Quick brown FOX jumps over 42 lazy dogs and keeps running far AWAY caf\xC3\xA9";
    const std::string odd[] = {" ",    "  ",   ",",        ", ",   ".",    "@", "`", "[", "{", "/", ":", "\t", "\n",
                               "\x7f", "\x01", "\xC3\xA9", "\x80", "\xFF", "A", "Z", "a", "z", "0", "9", " - "};
    for (const auto& o : odd) {
        for (std::size_t at = 0; at <= words.size(); ++at) {
            for (std::size_t cut : {words.size(), std::size_t{17}, std::size_t{40}}) {
                std::string in = words.substr(0, at) + o + words.substr(at);
                in = in.substr(0, std::max(cut, at + o.size()));
                ASSERT_EQ(boilerplate_key(trawl::test::ExactBytes(in).view()), reference_key(in)) << at << " " << cut;
                ASSERT_EQ(boilerplate_key(trawl::test::ExactBytes(o + in + o).view()), reference_key(o + in + o)) << at;
            }
        }
    }
    std::mt19937 rng(5);
    const std::string pieces[] = {
        "abcdefghijklmnopqrstuvwxyz", "Word", "ALLCAPS", " ",    " ",  "  ",          ", ", ".",
        "\xC3\xA9t\xC3\xA9",          "123",  "-",       "\n\n", "'s", "\xE2\x80\x94"};
    std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1), length(0, 120);
    for (int round = 0; round < 5000; ++round) {
        std::string in;
        for (std::size_t n = length(rng); n > 0; --n) in += pieces[pick(rng)];
        ASSERT_EQ(boilerplate_key(trawl::test::ExactBytes(in).view()), reference_key(in)) << round;
    }
}
