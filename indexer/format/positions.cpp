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
    p.hashed_.reserve(p.words_.size() + p.stop_.size());
    for (std::size_t i = 0; i < p.words_.size(); ++i)
        p.hashed_.emplace_back(corpus::hash64(p.words_[i]), static_cast<std::uint32_t>(i));
    for (std::size_t i = 0; i < p.stop_.size(); ++i)
        p.hashed_.emplace_back(corpus::hash64(p.stop_[i]), kStopBit | static_cast<std::uint32_t>(i));
    std::sort(p.hashed_.begin(), p.hashed_.end());
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
    const auto h = corpus::hash64(word);
    for (auto it = std::lower_bound(hashed_.begin(), hashed_.end(), std::make_pair(h, std::uint32_t{0}));
         it != hashed_.end() && it->first == h; ++it) {
        const bool stop = (it->second & kStopBit) != 0;
        const auto i = it->second & ~kStopBit;
        if ((stop ? stop_[i] : words_[i]) == word) return stop ? Kept::Nothing : Kept::Positions;
    }
    return Kept::Postings;
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
            if (it != df.end())
                ++it->second;
            else
                df.emplace(std::string(term), 1);
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
