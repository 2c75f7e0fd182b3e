// Reading judgments and TREC run files, writing run files. Lines are split on
// whitespace (spaces, tabs, a trailing '\r' from CRLF files); blank lines are
// skipped in both formats.
#include "bench/eval/qrels.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string_view>

#include "corpus/base/ascii.hpp"
#include "corpus/base/error.hpp"

namespace trawl::bench {
namespace {

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_ascii_space(line[i])) ++i;
        const std::size_t start = i;
        while (i < line.size() && !is_ascii_space(line[i])) ++i;
        if (i > start) fields.push_back(line.substr(start, i - start));
    }
    return fields;
}

// Whole-token parses: "3x" or "" are not numbers.
bool parse_int(std::string_view s, int& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

bool parse_score(std::string_view s, double& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    // NaN would break the strict ordering trec_order() sorts by; infinities are rejected with it.
    return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

// Calls on_record(line_number, fields) for every non-blank line of `path`.
template <class OnRecord>
void for_each_record(const std::string& path, OnRecord&& on_record) {
    errno = 0;  // std::ifstream sets errno through the C library on failure, but does not promise to
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno ? errno : ENOENT));
    std::string line;
    std::uint64_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        const auto fields = split_fields(line);
        if (!fields.empty()) on_record(line_no, fields);
    }
    // getline stops on end of file and on read errors alike (e.g. the path is a directory).
    if (in.bad()) throw InputError(path, 0, std::string("read error: ") + std::strerror(errno));
}

// Ids are written as one whitespace-free column (as trawl-query's TREC
// printer does) so every line splits into exactly six fields again.
std::string run_field(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) c = '_';
    return out.empty() ? "_" : out;
}

}  // namespace

// A judgment repeated for the same (qid, docid) is not an error: the last line wins.
Qrels read_qrels(const std::string& path,
                 const std::function<std::string(const std::string& qid, const std::string& doc, int rel)>& check) {
    Qrels qrels;
    bool first = true;
    for_each_record(path, [&](std::uint64_t line_no, const std::vector<std::string_view>& fields) {
        const bool may_be_header = first;
        first = false;
        int rel = 0;
        const bool rel_ok = parse_int(fields.back(), rel);
        // A header by its words (BEIR's "query-id corpus-id score"): a first
        // line whose score is "1.0" is a judgment, and an error as one.
        const auto last = fields.back();
        const bool word = std::none_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!rel_ok && may_be_header && word) return;
        if (fields.size() != 3 && fields.size() != 4)
            throw InputError(path, line_no,
                             "expected 3 or 4 columns (qid [iter] docid rel), found " + std::to_string(fields.size()));
        if (!rel_ok)
            throw InputError(path, line_no, "relevance is not an integer: '" + std::string(fields.back()) + "'");
        const std::string qid(fields.front()), doc_id(fields[fields.size() - 2]);
        if (check)
            if (auto why = check(qid, doc_id, rel); !why.empty()) throw InputError(path, line_no, why);
        qrels[qid][doc_id] = rel;
    });
    return qrels;
}

void write_trec_run(std::ostream& out, const Run& run, const std::string& tag) {
    const std::string run_tag = run_field(tag);
    for (const auto& [qid, entries] : run) {
        const std::string q = run_field(qid);
        std::size_t rank = 0;
        for (const RunEntry& e : entries) {
            // The shortest text that reads back as the same double, so re-reading
            // the file cannot create or break score ties (64 bytes always hold it).
            char score[64];
            const char* end = std::to_chars(score, score + sizeof score, e.score).ptr;
            out << q << " Q0 " << run_field(e.doc_id) << ' ' << ++rank << ' ' << std::string_view(score, end - score)
                << ' ' << run_tag << '\n';
        }
    }
}

// Entries are kept in file order; the rank column is not used (trec_eval ignores it too).
Run read_trec_run(const std::string& path) {
    Run run;
    for_each_record(path, [&](std::uint64_t line_no, const std::vector<std::string_view>& fields) {
        if (fields.size() != 6)
            throw InputError(
                path, line_no,
                "expected 6 columns (qid Q0 docid rank score tag), found " + std::to_string(fields.size()));
        RunEntry entry{std::string(fields[2]), 0};
        if (!parse_score(fields[4], entry.score))
            throw InputError(path, line_no, "score is not a finite number: '" + std::string(fields[4]) + "'");
        run[std::string(fields[0])].push_back(std::move(entry));
    });
    return run;
}

}  // namespace trawl::bench
