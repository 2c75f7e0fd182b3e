// The word-pair signature (format/pair_signature.hpp) and the phrase test on
// it (query/positional_check.hpp, may_hold): it must never reject a passage
// that holds the phrase, whatever the passage (stop words, the lead
// passage's title and its gap, repeated words, Unicode, initials, words too
// long to index), and it must reject most passages that do not.
#include "indexer/format/pair_signature.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>

#include "indexer/format/doc_data.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "query/pair_signatures.hpp"
#include "query/positional_check.hpp"
#include "query/verified_positions.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;

namespace {

// Words and pieces that cut in awkward ways: stop words, capitals, accents
// (NFC and not), CJK, initials that make one word, apostrophes, "c++",
// digits joined by '.', a word past kMaxWordBytes (takes no position).
const std::vector<std::string> kVocabulary = {
    "the",        "of",    "a",          "is",      "to",     "and",      "it",          "river",
    "land",       "River", "LAND",       "former",  "two",    "city",     "also",        "café",
    "Cafe\u0301", "naïve", "東京",       "Ünïcode", "U.S.",   "N.Y.C",    "it's",        "don’t",
    "c++",        "3.14",  "1,000",      "x",       "Straße", "İstanbul", "\u212Aelvin", std::string(70, 'q'),
    "q",          "world", "throughout", "period",  "time",   "member",   "following"};
const std::vector<std::string> kSeparators = {" ", " ", " ", ", ", ". ", "\n", " - ", " (", ") ", "'"};

std::string random_text(std::mt19937& rng, std::size_t max_words) {
    std::string s;
    const auto n = std::uniform_int_distribution<std::size_t>(0, max_words)(rng);
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) s += kSeparators[rng() % kSeparators.size()];
        // Repeats: often the word before again.
        s += kVocabulary[rng() % 4 == 0 && i > 0 ? (rng() % 4) : rng() % kVocabulary.size()];
    }
    return s;
}

// A run of 2-4 indexed words at consecutive positions of `words` (a phrase
// the passage holds), or nothing when it has none.
std::vector<std::string> phrase_from(const format::Words& words, std::mt19937& rng) {
    std::vector<std::string> positioned;
    std::vector<Xapian::termpos> pos;
    for (const auto& w : words.list())
        if (w.indexed && w.pos != 0) positioned.emplace_back(words.term(w)), pos.push_back(w.pos);
    if (positioned.size() < 2) return {};
    const std::size_t start = rng() % (positioned.size() - 1);
    const std::size_t n = 2 + rng() % 3;
    std::vector<std::string> out{positioned[start]};
    for (std::size_t i = start + 1; i < positioned.size() && out.size() < n && pos[i] == pos[i - 1] + 1; ++i)
        out.push_back(positioned[i]);
    return out.size() >= 2 ? out : std::vector<std::string>{};
}

// The terms the vocabulary's words cut into (random phrases of them are
// mostly not in a passage).
std::vector<std::string> vocabulary_terms() {
    std::vector<std::string> out;
    for (const auto& v : kVocabulary) {
        const auto words = format::cut_words(v);
        for (const auto& w : words.list())
            if (w.indexed) out.emplace_back(words.term(w));
    }
    return out;
}

}  // namespace

TEST(PairSignature, NeverRejectsAPassageThatHoldsThePhraseAndRejectsMostThatDoNot) {
    std::mt19937 rng(20261203);
    const auto terms = vocabulary_terms();
    std::size_t held = 0, not_held = 0, rejected = 0;
    for (int round = 0; round < 4000; ++round) {
        format::StoredFields f;
        f.article_id = "a" + std::to_string(round);
        f.title = rng() % 5 == 0 ? std::string() : random_text(rng, 6);
        f.text = random_text(rng, 60);
        const auto ordinal = static_cast<PassageOrdinal>(rng() % 2 == 0 ? 0 : 1 + rng() % 3);
        const auto words = format::passage_words(f, ordinal);
        const auto headline = format::headline_words(f.title);
        const auto pairs = format::pair_signature(words);
        for (int q = 0; q < 12; ++q) {
            query::PositionalCheck c;
            const int kind = static_cast<int>(rng() % 4);
            if (kind == 0) {
                c.terms = phrase_from(words, rng);  // held (body, or the lead's title words)
            } else if (kind == 1) {
                c.terms = phrase_from(headline, rng);  // a title: phrase, held on every passage
                c.title = !c.terms.empty() && c.terms[0].starts_with("S");
                for (const auto& t : c.terms) c.title = c.title && t.starts_with("S");
            } else {
                const std::size_t n = 2 + rng() % 3;  // random words: mostly not held
                for (std::size_t i = 0; i < n; ++i) c.terms.push_back(terms[rng() % terms.size()]);
            }
            if (c.terms.empty()) continue;
            c.window = static_cast<Xapian::termcount>(c.terms.size());
            if (kind == 3 && c.terms.size() == 2 && rng() % 2 == 0) c.ordered = false;  // NEAR/2 of two words
            const bool holds = query::holds(c.title ? headline : words, c);
            const bool may = query::may_hold(pairs, c);
            if (holds) {
                ++held;
                ASSERT_TRUE(may) << "rejected a passage that holds the phrase: title '" << f.title << "' text '"
                                 << f.text << "' ordinal " << ordinal << " first term " << c.terms[0];
            } else {
                ++not_held;
                rejected += !may;
            }
        }
    }
    EXPECT_GT(held, 5000u);
    EXPECT_GT(not_held, 5000u);
    // About 2% of absent pairs pass a filter of 8 bits a pair (more in
    // passages of one or two pairs); a NEAR has two chances.
    EXPECT_GT(rejected, not_held * 9 / 10) << rejected << " of " << not_held;
}

// The rate did-you-mean takes out of its phrase counts (query/spelling.cpp):
// the Bloom formula, and what passages of about 60 pairs let through.
TEST(PairSignature, FalsePositiveRateIsTheBloomFormulasAndWhatSignaturesLetThrough) {
    EXPECT_NEAR(format::pair_false_positive_rate(), 0.0216, 0.0001);
    std::mt19937 rng(7);
    std::size_t probes = 0, passed = 0;
    for (int round = 0; round < 400; ++round) {
        format::StoredFields f;
        f.article_id = "a";
        f.text = random_text(rng, 120);
        const auto pairs = format::pair_signature(format::passage_words(f, 1));
        if (pairs.size() < 30) continue;  // a filter of a few bytes lets more through
        for (int q = 0; q < 500; ++q, ++probes) {
            const std::uint64_t absent =
                (std::uint64_t{rng()} << 32) | rng();  // a pair no passage holds, but by chance
            passed += format::may_hold_pair(pairs, absent);
        }
    }
    ASSERT_GT(probes, 50000u);
    const double seen = double(passed) / double(probes);
    EXPECT_NEAR(seen, format::pair_false_positive_rate(), 0.006) << passed << " of " << probes;
}

TEST(PairSignature, WiderWindowsAnyAndSingleWordsAreNeverRejected) {
    const auto pairs = format::pair_signature(format::cut_words("nothing to see"));
    query::PositionalCheck near;
    near.ordered = false;
    near.window = 10;
    near.terms = {"river", "land"};
    EXPECT_TRUE(query::may_hold(pairs, near));
    query::PositionalCheck adj = near;
    adj.ordered = true;
    adj.window = 3;  // ADJ/2: a gap allowed
    EXPECT_TRUE(query::may_hold(pairs, adj));
    query::PositionalCheck one;
    one.window = 1;
    one.terms = {"river"};
    EXPECT_TRUE(query::may_hold(pairs, one));
    query::PositionalCheck any;
    any.any = true;
    any.terms = {"the", "of"};
    EXPECT_TRUE(query::may_hold(pairs, any));
}

TEST(PairSignature, SizeIsOneByteADistinctPairAndAnEmptyOneRejectsNothing) {
    EXPECT_EQ(format::pair_signature(format::cut_words("")).size(), 0u);
    EXPECT_EQ(format::pair_signature(format::cut_words("alone")).size(), 0u);
    // "a b a b": pairs (a b), (b a), (a b) again: two distinct.
    EXPECT_EQ(format::pair_signature(format::cut_words("a b a b")).size(), 2u);
    query::PositionalCheck c;
    c.window = 2;
    c.terms = {"a", "b"};
    // Empty: no pair, or none stored (every word's positions kept): the
    // text decides.
    EXPECT_TRUE(query::may_hold(format::pair_signature(format::cut_words("alone")), c));
    EXPECT_FALSE(query::may_hold(format::pair_signature(format::cut_words("b a")), c));
}

TEST(PairSignature, TheIndexersHashesGiveTheSameSignatureAndMustBeOneAWord) {
    // The indexer hands the term hashes it computed anyway; one too few or
    // too many is a caller's mistake, refused rather than read past.
    const auto words = format::cut_words("The harbour crane lifted ships; the harbour slept.");
    std::vector<std::uint64_t> hashes;
    for (const auto& w : words.list())
        if (w.indexed) hashes.push_back(format::term_hash(words.term(w)));
    EXPECT_EQ(format::pair_signature(words, hashes), format::pair_signature(words));
    EXPECT_EQ(format::pair_signature(words, hashes).size(), 6u);  // "the harbour" twice
    auto fewer = hashes;
    fewer.pop_back();
    EXPECT_THROW(format::pair_signature(words, fewer), std::invalid_argument);
    auto more = hashes;
    more.push_back(1);
    EXPECT_THROW(format::pair_signature(words, more), std::invalid_argument);
}

// The signature as docs/index-format.md defines it, written the plain way:
// the distinct pairs sorted, one byte each, k bits a pair.
std::string reference_signature(const format::Words& words) {
    std::vector<std::uint64_t> pairs;
    const format::Word* prev = nullptr;
    for (const auto& w : words.list()) {
        if (!w.indexed) continue;
        if (prev && (prev->pos == 0 ? w.pos == 0 : w.pos == prev->pos + 1))
            pairs.push_back(format::pair_hash(format::term_hash(words.term(*prev)), format::term_hash(words.term(w))));
        prev = &w;
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::string out(pairs.size(), '\0');
    const std::uint64_t bits = 8 * out.size();
    for (const auto pair : pairs) {
        const auto h1 = static_cast<std::uint32_t>(pair), h2 = static_cast<std::uint32_t>(pair >> 32) | 1u;
        for (std::uint32_t i = 0; i < format::kPairHashes; ++i) {
            const auto bit = (std::uint64_t{static_cast<std::uint32_t>(h1 + i * h2)} * bits) >> 32;
            out[bit / 8] = static_cast<char>(static_cast<unsigned char>(out[bit / 8]) | (1u << (bit % 8)));
        }
    }
    return out;
}

TEST(PairSignature, IsTheDefinitionsBytesOnRandomPassages) {
    // The indexer counts the distinct pairs without sorting them; every
    // passage must still get the bytes the format defines (repeated words
    // and pairs, titles cut without positions, the lead's title gap).
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i) {
        format::StoredFields f;
        f.title = random_text(rng, 6);
        f.text = random_text(rng, i % 10 == 0 ? 400 : 60);
        const auto words = format::passage_words(f, i % 3 == 0 ? 0 : 2);
        ASSERT_EQ(format::pair_signature(words), reference_signature(words)) << f.title << " | " << f.text;
    }
}

TEST(PairSignature, IsStoredInAValueSlotOfItsOwnAndNotWhenEmpty) {
    // Format v9: the record holds the compressed fields only; a phrase check
    // reads the signature apart (one lookup of a small value, or the table).
    const format::DocData d{0, 0, 10, 42, "payload"};
    const auto signature = format::pair_signature(format::cut_words("river land"));
    ASSERT_FALSE(signature.empty());
    Xapian::Document doc;
    format::store_passage(doc, 7, d, signature);
    EXPECT_EQ(doc.get_value(format::kSlotPairs), signature);
    EXPECT_EQ(format::stored_passage(doc), d);
    Xapian::Document none;
    format::store_passage(none, 7, d, "");
    EXPECT_EQ(none.values_count(), 2u);  // the sequence and the record
    EXPECT_EQ(none.get_value(format::kSlotPairs), "");
}

namespace {

// A database whose passages 1, 3 and 6 have the signatures `sig[did]`, 2, 5
// and 7 none, 4 deleted (`none`: no passage has one).
std::map<Xapian::docid, std::string> write_signatures(const std::string& path, bool none = false) {
    const std::map<Xapian::docid, std::string> sig = {
        {1, format::pair_signature(format::cut_words("river land flows"))},
        {3, std::string("\x00\xff\x10", 3)},
        {6, format::pair_signature(format::cut_words("the land of the river"))}};
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE_OR_OVERWRITE);
    for (Xapian::docid did = 1; did <= 7; ++did) {
        Xapian::Document doc;
        doc.add_boolean_term("Q" + std::to_string(did));
        const auto it = sig.find(did);
        format::store_passage(doc, did, format::DocData{0, 0, 1, 1, "x"}, it == sig.end() || none ? "" : it->second);
        w.replace_document(did, doc);
    }
    w.delete_document(4);
    w.commit();
    return none ? std::map<Xapian::docid, std::string>{} : sig;
}

query::PositionalCheck phrase(std::vector<std::string> terms) {
    query::PositionalCheck c;
    c.window = static_cast<Xapian::termcount>(terms.size());
    c.terms = std::move(terms);
    return c;
}

}  // namespace

TEST(PairSignatures, TheTableHoldsEachPassagesSignatureAndNothingForTheOthers) {
    test::TempDir tmp;
    const auto sig = write_signatures(tmp.str());
    Xapian::Database db(tmp.str());
    const auto table = query::PairSignatures::read(db);
    ASSERT_TRUE(table);
    for (Xapian::docid did = 0; did <= 9; ++did) {
        const auto it = sig.find(did);
        EXPECT_EQ(table->of(did), it == sig.end() ? "" : it->second) << did;
    }
    EXPECT_EQ(table->of(0xffffffffu), "");
    // Larger than it may be (the signatures and a 4-byte offset a docid, 0
    // to 8): not read at all.
    std::size_t bytes = 9 * 4;
    for (const auto& [did, s] : sig) bytes += s.size();
    EXPECT_FALSE(query::PairSignatures::read(db, bytes - 1));
    EXPECT_TRUE(query::PairSignatures::read(db, bytes));
}

TEST(PairSignatures, AnIndexWithoutSignaturesGivesAnEmptyTable) {
    test::TempDir tmp;
    write_signatures(tmp.str(), true);
    const auto table = query::PairSignatures::read(Xapian::Database(tmp.str()), 1);
    ASSERT_TRUE(table);  // nothing to hold, whatever the bound
    for (Xapian::docid did = 0; did <= 9; ++did) EXPECT_EQ(table->of(did), "") << did;
}

// The table read on a thread of its own (table_loader.hpp, the searcher's
// way once lookups pay): the same table, and only of the database and
// revision asked for.
TEST(PairSignatures, ALoaderReadsTheSameTableOfTheRevisionAskedForOnly) {
    using Loader = query::TableLoader<query::PairSignatures>;
    const auto read = [](std::uint64_t max_bytes) {
        return [max_bytes](const Xapian::Database& db, const std::atomic<bool>& stop) {
            return query::PairSignatures::read(db, max_bytes, &stop);
        };
    };
    test::TempDir tmp;
    const auto sig = write_signatures(tmp.str());
    Xapian::Database db(tmp.str());
    const auto uuid = db.get_uuid();
    const auto revision = db.get_revision();
    const std::function<bool()> in_place = [] { return true; };
    {
        Loader loader(tmp.str(), uuid, revision, read(query::PairSignatures::kMaxBytes), in_place);
        loader.wait();
        ASSERT_TRUE(loader.ready());
        const auto table = loader.table();
        ASSERT_TRUE(table);
        for (Xapian::docid did = 0; did <= 9; ++did) {
            const auto it = sig.find(did);
            EXPECT_EQ(table->of(did), it == sig.end() ? "" : it->second) << did;
        }
    }
    // Another database's UUID, another revision, no database, the path
    // holding another directory than the searcher's: no table.
    for (const auto& [path, id, rev] :
         {std::tuple{tmp.str(), std::string("not-" + uuid), revision}, std::tuple{tmp.str(), uuid, revision + 1},
          std::tuple{tmp.str() + "/none", uuid, revision}}) {
        Loader loader(path, id, rev, read(query::PairSignatures::kMaxBytes), in_place);
        loader.wait();
        EXPECT_TRUE(loader.ready());
        EXPECT_FALSE(loader.table()) << path << " " << rev;
    }
    Loader elsewhere(tmp.str(), uuid, revision, read(query::PairSignatures::kMaxBytes), [] { return false; });
    elsewhere.wait();
    EXPECT_FALSE(elsewhere.table());
    EXPECT_FALSE(elsewhere.behind());
    // A commit after the revision was taken: the loader finds a newer one,
    // and says so (the searcher is behind the index).
    {
        Xapian::WritableDatabase w(tmp.str(), Xapian::DB_OPEN);
        w.set_metadata("k", "v");
        w.commit();
    }
    Loader late(tmp.str(), uuid, revision, read(query::PairSignatures::kMaxBytes), in_place);
    late.wait();
    EXPECT_FALSE(late.table());
    EXPECT_TRUE(late.behind());
    // Above its bound: not held.
    Loader small(tmp.str(), uuid, revision + 1, read(8), in_place);
    small.wait();
    EXPECT_FALSE(small.table());
    // Destroyed at once: the thread is stopped and joined (sanitizer builds
    // tell a leak or a race).
    for (int i = 0; i < 20; ++i)
        Loader(tmp.str(), uuid, revision + 1, read(query::PairSignatures::kMaxBytes), in_place);
}

// The reading thread leaves the signals sent to the process (SIGINT at the
// prompt cancels a search) to the searcher's thread, and keeps those a fault
// of its own raises (a mapped read's SIGBUS is recovered from, not fatal).
TEST(PairSignatures, ALoadersThreadLeavesTheProcesssSignalsToTheSearcher) {
    sigset_t before, inside, after;
    ::pthread_sigmask(SIG_BLOCK, nullptr, &before);
    auto t = query::thread_without_signals([&] { ::pthread_sigmask(SIG_BLOCK, nullptr, &inside); });
    t.join();
    ::pthread_sigmask(SIG_BLOCK, nullptr, &after);
    for (const int sig : {SIGINT, SIGTERM, SIGWINCH, SIGHUP, SIGPIPE}) EXPECT_TRUE(::sigismember(&inside, sig)) << sig;
    for (const int sig : {SIGBUS, SIGSEGV}) EXPECT_FALSE(::sigismember(&inside, sig)) << sig;
    for (int sig = 1; sig < 32; ++sig) EXPECT_EQ(::sigismember(&after, sig), ::sigismember(&before, sig)) << sig;
}

// A walk told to stop ends early with no table (a loader destroyed
// mid-read: its searcher reopened or went away).
TEST(PairSignatures, AWalkToldToStopHoldsNoTable) {
    test::TempDir tmp;
    {
        Xapian::WritableDatabase w(tmp.str(), Xapian::DB_CREATE_OR_OPEN);
        for (Xapian::docid did = 1; did <= 3000; ++did) {
            Xapian::Document doc;
            format::store_passage(doc, did, format::DocData{0, 0, 1, 1, "x"}, "sig" + std::to_string(did));
            w.replace_document(did, doc);
        }
        w.commit();
    }
    Xapian::Database db(tmp.str());
    const std::atomic<bool> stop{true};
    EXPECT_FALSE(query::PairSignatures::read(db, query::PairSignatures::kMaxBytes, &stop));
    const std::atomic<bool> go{false};
    const auto table = query::PairSignatures::read(db, query::PairSignatures::kMaxBytes, &go);
    ASSERT_TRUE(table);
    EXPECT_EQ(table->of(2999), "sig2999");
}

TEST(PairSignatures, AChecksAnswerIsTheSameFromTheTableAndTheLookupsAreCounted) {
    test::TempDir tmp;
    write_signatures(tmp.str());
    Xapian::Database db(tmp.str());
    const auto reads = std::make_shared<query::SignatureReads>();
    query::PassageTexts texts({}, {}, reads);
    // Rejected by the signatures alone ("flows river" is no pair of passage
    // 1, "land river" none of 6), so no text is read: no codec needed.
    const std::vector<query::PositionalCheck> absent1 = {phrase({"flows", "river"})};
    const std::vector<query::PositionalCheck> absent6 = {phrase({"land", "river"})};
    EXPECT_FALSE(texts.holds_all(db.get_document(1), 0, absent1));
    EXPECT_FALSE(texts.holds_all(db.get_document(6), 0, absent6));
    EXPECT_EQ(reads->reads, 2u);
    reads->table = query::PairSignatures::read(db);
    EXPECT_FALSE(texts.holds_all(db.get_document(1), 0, absent1));
    EXPECT_FALSE(texts.holds_all(db.get_document(6), 0, absent6));
    EXPECT_EQ(reads->reads, 2u);  // from memory
    // A pair the signature holds goes on to the text: with no codec for
    // shard 0, that is an error, which shows the table let it through.
    const std::vector<query::PositionalCheck> held = {phrase({"river", "land"})};
    EXPECT_THROW(texts.holds_all(db.get_document(1), 0, held), std::out_of_range);
}

TEST(PairSignature, HashesAndBitsAreWhatV7IndexesStore) {
    // Every v7 index holds these bytes: a change to the term hash, the pair
    // hash or the bit mapping must bump the format (schema.hpp), or phrases
    // would lose hits in the indexes already built.
    EXPECT_EQ(format::term_hash("river"), 0xe2a0fb53030290d1ULL);
    EXPECT_EQ(format::pair_hash(format::term_hash("river"), format::term_hash("land")), 0x58e56513747af3a3ULL);
    EXPECT_EQ(format::pair_signature(format::cut_words("river land flows")), std::string("\xad\x72", 2));
}

TEST(PairSignature, ANearOfTwoWithinTwoPassesInEitherOrderAndWiderNearsAlways) {
    const auto pairs = format::pair_signature(format::cut_words("land river flows"));
    query::PositionalCheck near;
    near.ordered = false;
    near.window = 2;
    near.terms = {"river", "land"};  // held as "land river"
    EXPECT_TRUE(query::may_hold(pairs, near));
    near.terms = {"flows", "land"};  // not adjacent either way
    EXPECT_FALSE(query::may_hold(pairs, near));
    query::PositionalCheck three = near;  // three words within 3, in some order: not one pair each
    three.window = 3;
    three.terms = {"flows", "land", "sea"};
    EXPECT_TRUE(query::may_hold(pairs, three));
    query::PositionalCheck phrase;  // ordered: "river land" is not "land river"
    phrase.window = 2;
    phrase.terms = {"river", "land"};
    EXPECT_FALSE(query::may_hold(pairs, phrase));
}
