#include "indexer/format/passage_document.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "corpus/base/hash64.hpp"
#include "corpus/clean/dedup.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/pair_signature.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {
namespace {

// Position gap between the title and the text of the lead passage, so that no
// phrase or NEAR query matches across the two.
constexpr Xapian::termpos kTitleGap = 100;

std::string to_term(std::string_view prefix, std::string_view value) {
    std::string t(prefix);
    t += value;
    return t;
}

bool is_capital(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

std::string article_term(std::string_view id) { return to_term(kPrefixArticle, id); }

std::string content_term(std::uint64_t hash) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return to_term(kPrefixContent, hex);
}

std::string stored_content_term(const std::string& title, const std::string& date,
                                const std::vector<PassageText>& passages) {
    corpus::Article a;
    a.title = title;
    a.date = date;
    std::size_t size = 0;
    for (const auto& p : passages)
        size = std::max<std::size_t>(size, std::max<std::size_t>(p.end, p.begin + p.text.size()));
    a.body.assign(size, ' ');
    for (const auto& p : passages) a.body.replace(p.begin, p.text.size(), p.text);
    return content_term(corpus::content_hash(a));
}

ContentTerms::ContentTerms(const Xapian::Database& db) {
    index_.assign(std::size_t{db.get_lastdocid()} + 1, 0);
    const std::string prefix(kPrefixContent);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        terms_.push_back(*t);
        const auto n = static_cast<std::uint32_t>(terms_.size());
        for (auto d = db.postlist_begin(*t); d != db.postlist_end(*t); ++d)
            if (*d < index_.size()) index_[*d] = n;
    }
}

std::string date_slot_value(std::string_view iso) {
    if (iso.size() < 10) return {};
    return parse_date(iso.substr(0, 10)).value_or(std::string());
}

ArticleKeys article_keys(const corpus::Article& a) { return article_keys(a, content_term(corpus::content_hash(a))); }

ArticleKeys article_keys(const corpus::Article& a, std::string content_term) {
    ArticleKeys k;
    k.article_term = article_term(a.id);
    k.content_term = std::move(content_term);
    const std::string source = normalize_source(a.source);
    if (!source.empty()) k.source_term = to_term(kPrefixSource, source);
    k.date = date_slot_value(a.date);
    return k;
}

// The words of a passage, the one definition for the index (`tg` a
// Xapian::TermGenerator) and for the checks that re-cut its stored text
// (`tg` a format::Words, which cuts the same words at the same positions).
template <typename Generator>
static void index_passage_text(Generator& tg, const std::string& title, PassageOrdinal ordinal,
                               const std::string& text) {
    static const std::string title_prefix(kPrefixTitle);
    if (!title.empty()) {
        if (ordinal == 0) {
            // Lead passage: title words with positions (title: phrases),
            // then the headline as body words, then the text.
            tg.index_text(title, 1, title_prefix);
            tg.index_text(title);
            tg.increase_termpos(kTitleGap);
        } else {
            // Other passages: the same title terms and wdf, no positions
            // (schema.hpp, format v2).
            tg.index_text_without_positions(title, 1, title_prefix);
        }
    }
    tg.index_text(text);
}

void keep_positions(Xapian::Document& doc, const PositionalWords& words) {
    if (words.all_words()) return;
    std::vector<std::string> strip, drop;
    // A stop word goes, and its share of its Z-stem's wdf with it (the stem
    // stays for the other words that have it: "it's" beside "it").
    std::map<std::string, Xapian::termcount> less;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string term = *t;
        const auto c = classify_term(term);
        if (c.field != TermClass::Field::None && !c.stemmed && !words.indexed(c.word)) {
            const std::string_view prefix(term.data(), term.size() - c.word.size());
            less[std::string(kPrefixStem) + std::string(prefix) + stop_word_stem(c.word)] += t.get_wdf();
            drop.push_back(term);
        } else if (t.positionlist_count() != 0 && (c.field == TermClass::Field::None || !words.has(c.word))) {
            strip.push_back(term);
        }
    }
    for (const auto& term : strip) doc.remove_postings(term, 0, Xapian::termpos(-1), 0);
    for (const auto& term : drop) doc.remove_term(term);
    for (const auto& [stem, wdf] : less) {
        auto t = doc.termlist_begin();
        t.skip_to(stem);
        if (t == doc.termlist_end() || *t != stem) continue;
        const auto left = t.get_wdf() - std::min(wdf, t.get_wdf());
        doc.remove_term(stem);
        if (left > 0) doc.add_term(stem, left);
    }
}

namespace {

// The boolean terms and the values of a passage document.
void add_keys(Xapian::Document& doc, const corpus::Article& a, const ArticleKeys& keys, const corpus::Passage& p) {
    doc.add_boolean_term(keys.article_term);
    if (!keys.source_term.empty()) doc.add_boolean_term(keys.source_term);
    doc.add_boolean_term(keys.content_term);
    doc.add_value(kSlotArticle, a.id);
    doc.add_value(kSlotOrdinal, Xapian::sortable_serialise(p.ordinal));
    if (!keys.date.empty()) doc.add_value(kSlotDate, keys.date);
}

}  // namespace

Xapian::Document make_passage_document(Xapian::TermGenerator& tg, const corpus::Article& a, const ArticleKeys& keys,
                                       const corpus::Passage& p, const PositionalWords& positional) {
    Xapian::Document doc;
    tg.set_document(doc);
    index_passage_text(tg, a.title, p.ordinal, p.text);
    keep_positions(doc, positional);
    add_keys(doc, a, keys, p);
    return doc;
}

PassageDocumentMaker::PassageDocumentMaker(StemStorage stems) : stems_(stems), tg_(make_term_generator(stems)) {}

Xapian::Document PassageDocumentMaker::make(const corpus::Article& a, const ArticleKeys& keys, const corpus::Passage& p,
                                            const PositionalWords& positional) {
    if (stems_ == StemStorage::Terms) {
        auto doc = make_passage_document(tg_, a, keys, p, positional);
        // TermGenerator shows no words: cut them again for the signature.
        pairs_.clear();
        if (!positional.all_words()) {
            words_.clear();
            index_passage_text(words_, a.title, p.ordinal, p.text);
            pairs_ = pair_signature(words_);
        }
        // The generator lets go of the document, whose handle may be handed
        // to another thread (Xapian's reference counts are not atomic).
        tg_.set_document(no_document_);
        return doc;
    }
    Xapian::Document doc;
    words_.clear();
    term_hashes_.clear();
    tiers_.clear();
    index_passage_text(words_, a.title, p.ordinal, p.text);
    // The words passage_words() cuts from what is stored; none where every
    // word keeps its positions (Xapian checks those phrases).
    const bool signature = !positional.all_words();
    Xapian::termcount length = 0;
    for (const auto& w : words_.list()) {
        if (!w.indexed) continue;
        const auto term = words_.term(w);
        const auto c = classify_term(term);
        // One FNV pass over a body word gives both the signature's term hash
        // and the table's word hash (corpus::hash64() mixes it).
        const auto term_fnv = corpus::fnv1a64(term);
        if (signature) term_hashes_.push_back(term_fnv);
        PositionalWords::Kept kept;
        if (c.field == TermClass::Field::None) {
            kept = positional.kept(c.word);
            if (kept == PositionalWords::Kept::Nothing) continue;
        } else {
            const auto word_fnv = c.word.size() == term.size() ? term_fnv : corpus::fnv1a64(c.word);
            auto& e = word_stems_.entry(c.word, corpus::mix64(word_fnv));
            kept = word_stems_.kept(e, c.word, positional);
            if (kept == PositionalWords::Kept::Nothing) continue;  // a stop word: its position stays a gap
            const bool title = c.field == TermClass::Field::Title;
            if (!title) tiers_.add_body_word(c.word, WordStems::stem_hash(e));
            word_stems_.first_written(e, title, term, new_stems_);
        }
        ++length;
        term_.assign(term);
        if (w.pos != 0 && kept == PositionalWords::Kept::Positions) {
            doc.add_posting(term_, w.pos);
        } else {
            doc.add_term(term_);
        }
    }
    if (signature) pairs_ = pair_signature(words_, term_hashes_);
    else pairs_.clear();
    // Every term occurrence added 1 to the passage's length.
    tiers_.write(doc, length, word_stems_);
    add_keys(doc, a, keys, p);
    return doc;
}

Words passage_words(const StoredFields& fields, PassageOrdinal ordinal) {
    Words words;
    index_passage_text(words, fields.title, ordinal, fields.text);
    return words;
}

Words headline_words(const std::string& title) {
    Words words;
    // The lead passage's cut, its text left out: the title words come first.
    index_passage_text(words, title, 0, std::string());
    return words;
}

void store_passage(Xapian::Document& doc, std::uint64_t sequence, const DocData& data, const std::string& pairs) {
    doc.add_value(kSlotSequence, sequence_value(sequence));
    doc.add_value(kSlotStored, encode(data));
    if (!pairs.empty()) doc.add_value(kSlotPairs, pairs);
}

DocData stored_passage(const Xapian::Document& doc) { return decode(doc.get_value(kSlotStored)); }

std::string stored_fields(const corpus::Article& a, std::string text) {
    return encode_fields({a.id, a.title, a.location, a.date, a.source, std::move(text)});
}

DocData passage_data(const corpus::Passage& p, std::size_t raw_size) {
    DocData d;
    d.ordinal = p.ordinal;
    d.begin = p.begin;
    d.end = p.end;
    d.raw_size = raw_size;
    return d;
}

TermClass classify_term(std::string_view t) {
    TermClass c;
    if (t.starts_with(kPrefixStem)) {
        c.stemmed = true;
        t.remove_prefix(kPrefixStem.size());
    }
    // Words are lower-cased by the term generator, so a capital letter starts
    // a prefix: the title's, or a boolean term's (Q, A, XS, XH...).
    if (!t.empty() && is_capital(t[0])) {
        if (!t.starts_with(kPrefixTitle)) return {};
        t.remove_prefix(kPrefixTitle.size());
        c.field = TermClass::Field::Title;
    } else {
        c.field = TermClass::Field::Body;
    }
    if (t.empty()) return {};
    c.word = t;
    return c;
}

std::string article_id_of(const Xapian::Document& doc) { return doc.get_value(kSlotArticle); }

PassageOrdinal ordinal_of(const Xapian::Document& doc) {
    return static_cast<PassageOrdinal>(Xapian::sortable_unserialise(doc.get_value(kSlotOrdinal)));
}

}  // namespace trawl::format
