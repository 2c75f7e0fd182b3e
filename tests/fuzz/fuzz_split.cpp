// libFuzzer target for the pure text pipeline an article body goes through:
// UTF-8 repair, whitespace folding, sentence splitting and passage
// splitting, on arbitrary bytes. The first two bytes choose the passage
// length and overlap. Checks the contracts in normalize.hpp,
// sentence_splitter.hpp and passage_splitter.hpp with abort().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/base/ascii.hpp"
#include "corpus/text/normalize.hpp"
#include "corpus/text/passage_splitter.hpp"
#include "corpus/text/sentence_splitter.hpp"
#include "tests/fuzz/fuzz_util.hpp"

namespace {

using namespace trawl::corpus;

void check_sentences(std::string_view body, const std::vector<Span>& sentences) {
    // Every non-space byte lies in exactly one span; spans are ordered, do not
    // overlap and start and end on non-space bytes.
    std::size_t covered = 0;  // bytes before this are accounted for
    for (const Span& s : sentences) {
        TRAWL_FUZZ_CHECK(s.begin < s.end);
        TRAWL_FUZZ_CHECK(s.end <= body.size());
        TRAWL_FUZZ_CHECK(s.begin >= covered);
        for (std::size_t i = covered; i < s.begin; ++i) TRAWL_FUZZ_CHECK(trawl::is_ascii_space(body[i]));
        TRAWL_FUZZ_CHECK(!trawl::is_ascii_space(body[s.begin]));
        TRAWL_FUZZ_CHECK(!trawl::is_ascii_space(body[s.end - 1]));
        covered = s.end;
    }
    for (std::size_t i = covered; i < body.size(); ++i) TRAWL_FUZZ_CHECK(trawl::is_ascii_space(body[i]));
}

void check_passages(std::string_view body, const std::vector<Span>& sentences, const SplitOptions& opts,
                    const std::vector<Passage>& passages) {
    TRAWL_FUZZ_CHECK(passages.empty() == sentences.empty());
    if (opts.words == 0) TRAWL_FUZZ_CHECK(passages.size() <= 1);
    for (std::size_t k = 0; k < passages.size(); ++k) {
        const Passage& p = passages[k];
        TRAWL_FUZZ_CHECK(p.ordinal == k);
        TRAWL_FUZZ_CHECK(p.begin < p.end);
        TRAWL_FUZZ_CHECK(p.end <= body.size());
        TRAWL_FUZZ_CHECK(p.text == body.substr(p.begin, p.end - p.begin));
        if (opts.words > 0) TRAWL_FUZZ_CHECK(count_words(p.text) <= opts.words);
        if (k > 0) {  // spans are increasing
            TRAWL_FUZZ_CHECK(p.begin > passages[k - 1].begin);
            TRAWL_FUZZ_CHECK(p.end > passages[k - 1].end);
        }
    }
    // Every sentence is in at least one passage: with increasing spans, every
    // non-space byte of the body lies in some passage.
    std::size_t k = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (trawl::is_ascii_space(body[i])) continue;
        while (k < passages.size() && passages[k].end <= i) ++k;
        TRAWL_FUZZ_CHECK(k < passages.size() && passages[k].begin <= i);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    SplitOptions opts;
    opts.words = data[0] % 40;  // 0 = whole body; small limits cut many sentences
    opts.overlap = opts.words == 0 ? 0 : data[1] % opts.words;
    const std::string_view raw(reinterpret_cast<const char*>(data + 2), size - 2);

    bool repaired = false, controls = false;
    const std::string utf8 = repair_utf8(raw, &repaired, &controls);
    TRAWL_FUZZ_CHECK(is_valid_utf8(utf8));
    if (!repaired && !controls) TRAWL_FUZZ_CHECK(utf8 == raw);
    if (!repaired) TRAWL_FUZZ_CHECK(utf8.size() == raw.size());  // a control is one space
    const std::string line = normalize_line(utf8);
    TRAWL_FUZZ_CHECK(is_valid_utf8(line));
    TRAWL_FUZZ_CHECK(line.find('\n') == std::string::npos);

    const std::string body = normalize_whitespace(utf8);
    TRAWL_FUZZ_CHECK(is_valid_utf8(body));
    TRAWL_FUZZ_CHECK(body.find("\n\n\n") == std::string::npos);

    const std::vector<Span> sentences = split_sentences(body);
    check_sentences(body, sentences);
    const PassageSplitter splitter(opts);
    check_passages(body, sentences, opts, splitter.split(body));
    return 0;
}
