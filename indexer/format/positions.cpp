#include "indexer/format/positions.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "corpus/base/error.hpp"
#include "corpus/base/hash64.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/words.hpp"

namespace trawl::format {
namespace {

constexpr std::string_view kAll = "all";
constexpr std::string_view kFrequent = "frequent";

}  // namespace

namespace {

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

void sort_unique(std::vector<std::string>& words) {
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
}

// Words one a line, '\n' between them.
std::string join_lines(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) (i == 0 ? out : out += '\n') += words[i];
    return out;
}

// The words of `lines` ('\n' between them) as join_lines() wrote them: at
// least one, none empty, else IndexFormatError "`record`: an empty word".
std::vector<std::string> split_lines(std::string_view lines, const std::string& record) {
    std::vector<std::string> out;
    for (;;) {
        const auto end = std::min(lines.find('\n'), lines.size());
        if (end == 0) throw IndexFormatError(record + ": an empty word");
        out.emplace_back(lines.substr(0, end));
        if (end == lines.size()) return out;
        lines.remove_prefix(end + 1);
    }
}

}  // namespace

PositionalWords PositionalWords::only(std::vector<std::string> words, std::vector<std::string> stop) {
    PositionalWords p;
    p.all_ = false;
    sort_unique(words);
    sort_unique(stop);
    std::vector<std::string> positional;
    std::set_difference(words.begin(), words.end(), stop.begin(), stop.end(), std::back_inserter(positional));
    p.words_ = std::move(positional);
    p.stop_ = std::move(stop);
    std::size_t size = 16;
    while (size < 4 * (p.words_.size() + p.stop_.size())) size *= 2;
    p.slots_.assign(size, {0, 0});
    const auto put = [&p, mask = size - 1](const std::string& word, std::uint32_t where) {
        const auto h = corpus::hash64(word);
        auto i = h & mask;
        while (p.slots_[i].second != 0) i = (i + 1) & mask;
        p.slots_[i] = {h, where};
        p.longest_ = std::max(p.longest_, word.size());
    };
    for (std::size_t i = 0; i < p.words_.size(); ++i) put(p.words_[i], static_cast<std::uint32_t>(i + 1));
    for (std::size_t i = 0; i < p.stop_.size(); ++i) put(p.stop_[i], kStopBit | static_cast<std::uint32_t>(i + 1));
    // Both lists as serialised, a byte no word holds between them.
    p.fingerprint_ = std::max<std::uint64_t>(1, corpus::hash64(p.serialise() + '\0' + p.serialise_stop_words()));
    return p;
}

std::string PositionalWords::serialise() const {
    if (all_) return std::string(kAll);
    return std::string(kFrequent) + (words_.empty() ? "" : "\n" + join_lines(words_));
}

std::string PositionalWords::serialise_stop_words() const { return join_lines(stop_); }

PositionalWords PositionalWords::parse(std::string_view value, std::string_view stop_words) {
    auto stop = stop_words.empty() ? std::vector<std::string>{} : split_lines(stop_words, "stop words record");
    if (value == kAll) {
        if (!stop.empty()) throw IndexFormatError("stop words record beside positions for every word");
        return all();
    }
    if (!value.starts_with(kFrequent) || (value.size() > kFrequent.size() && value[kFrequent.size()] != '\n'))
        throw IndexFormatError("positional words record: neither \"all\" nor \"frequent\"");
    value.remove_prefix(kFrequent.size());
    // "frequent", or "frequent" and a '\n' before each word.
    auto words = value.empty() ? std::vector<std::string>{} : split_lines(value.substr(1), "positional words record");
    return only(std::move(words), std::move(stop));
}

PositionalWords PositionalWords::read(const Xapian::Database& db) {
    const auto value = db.get_metadata(std::string(kMetaPositions));
    if (value.empty()) return all();
    return parse(value, db.get_metadata(std::string(kMetaStopWords)));
}

PositionalWords::Kept PositionalWords::kept(std::string_view word) const {
    if (all_) return Kept::Positions;
    if (word.size() > longest_) return Kept::Postings;
    const auto h = corpus::hash64(word);
    const auto mask = slots_.size() - 1;
    for (auto i = h & mask;; i = (i + 1) & mask) {
        const auto [slot_hash, where] = slots_[i];
        if (where == 0) return Kept::Postings;
        if (slot_hash != h) continue;
        const bool stop = (where & kStopBit) != 0;
        const auto k = (where & ~kStopBit) - 1;
        if ((stop ? stop_[k] : words_[k]) == word) return stop ? Kept::Nothing : Kept::Positions;
    }
}

PositionalWords PositionalWords::intersect(const PositionalWords& other) const {
    if (all_) return other;
    if (other.all_) return *this;
    std::vector<std::string> both, stop;
    std::set_intersection(words_.begin(), words_.end(), other.words_.begin(), other.words_.end(),
                          std::back_inserter(both));
    std::set_union(stop_.begin(), stop_.end(), other.stop_.begin(), other.stop_.end(), std::back_inserter(stop));
    return only(std::move(both), std::move(stop));
}

PositionalWords choose_positional_words(std::span<const std::string> samples, PositionsMode mode, double share) {
    if (mode == PositionsMode::All) return PositionalWords::all();
    // Passages holding each word, as the term generator cuts them (Words cuts
    // the same unstemmed terms, without a Xapian::Document: 7 times fewer
    // instructions, and this runs over the whole dictionary sample).
    Words cut;
    std::vector<std::string_view> in_passage;
    std::unordered_map<std::string, std::size_t, TransparentHash, std::equal_to<>> df;
    for (const auto& record : samples) {
        const auto fields = decode_fields(record);
        cut.clear();
        cut.index_text_without_positions(fields.title);
        cut.index_text_without_positions(fields.text);
        in_passage.clear();
        for (const auto& w : cut.list())
            if (w.indexed) in_passage.push_back(cut.term(w));
        std::sort(in_passage.begin(), in_passage.end());
        in_passage.erase(std::unique(in_passage.begin(), in_passage.end()), in_passage.end());
        for (const auto term : in_passage) {
            const auto it = df.find(term);
            if (it != df.end()) ++it->second;
            else df.emplace(std::string(term), 1);
        }
    }
    const auto threshold = static_cast<std::size_t>(std::ceil(share * static_cast<double>(samples.size())));
    std::vector<std::string> words;
    for (auto& [word, n] : df)
        if (n >= std::max<std::size_t>(threshold, 1)) words.push_back(word);
    const auto stop = stop_words();  // only() leaves them out of the positional words
    return PositionalWords::only(std::move(words), std::vector<std::string>(stop.begin(), stop.end()));
}

}  // namespace trawl::format
