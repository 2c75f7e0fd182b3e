#include "bench/eval/collection.hpp"

#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "corpus/base/counted.hpp"
#include "corpus/base/diagnostics.hpp"
#include "corpus/base/error.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/text/normalize.hpp"

namespace fs = std::filesystem;

namespace trawl::bench {
namespace {

// One SMART record: ".I id" then fields ".X" each followed by its text lines.
struct SmartRecord {
    std::string id;
    std::uint64_t line = 0;  // of the .I line
    std::map<char, std::string> fields;
};

// Streams the records of a SMART file (Cranfield's cran.all.1400 / cran.qry).
class SmartReader {
public:
    explicit SmartReader(const std::string& path) : lines_(corpus::open_byte_source(path)) {}

    bool next(SmartRecord& rec) {
        std::string line;
        if (pending_.empty()) {
            // First record: skip to the first .I line.
            while (lines_.next(line)) {
                if (line.rfind(".I", 0) == 0) {
                    pending_ = line;
                    pending_line_ = lines_.line_number();
                    break;
                }
                if (line.find_first_not_of(" \t") != std::string::npos)
                    throw InputError(lines_.path(), lines_.line_number(), "text before the first .I record");
            }
            if (pending_.empty()) return false;
        }
        rec = {};
        rec.id = corpus::normalize_line(std::string_view(pending_).substr(2));
        rec.line = pending_line_;
        if (rec.id.empty()) throw InputError(lines_.path(), rec.line, ".I without an id");
        pending_.clear();
        char field = 0;
        while (lines_.next(line)) {
            if (line.size() >= 2 && line[0] == '.' && (line.size() == 2 || line[2] == ' ' || line[2] == '\t')) {
                if (line[1] == 'I') {
                    pending_ = line;
                    pending_line_ = lines_.line_number();
                    return true;
                }
                field = line[1];
                rec.fields[field];  // present even when empty
                continue;
            }
            if (!field)
                throw InputError(lines_.path(), lines_.line_number(), "text outside a field in record " + rec.id);
            auto& f = rec.fields[field];
            f += line;
            f += '\n';
        }
        return true;
    }

private:
    corpus::LineReader lines_;
    std::string pending_;
    std::uint64_t pending_line_ = 0;
};

std::string field(const SmartRecord& r, char f) {
    auto it = r.fields.find(f);
    return it == r.fields.end() ? std::string() : it->second;
}

std::string find_file(const std::string& dir, const std::string& name) {
    for (const char* suffix : {"", ".zst", ".gz"}) {
        auto p = fs::path(dir) / (name + suffix);
        if (fs::exists(p)) return p.string();
    }
    throw InputError((fs::path(dir) / name).string(), 0, "not found");
}

// The queries with a relevant judgment (gain > 0) that no topic has.
std::size_t judged_without_topic(const TestCollection& c) {
    std::set<std::string> topics;
    for (const auto& q : c.queries) topics.insert(q.id);
    std::size_t n = 0;
    for (const auto& [qid, docs] : c.qrels) {
        bool relevant = false;
        for (const auto& [doc, gain] : docs) relevant = relevant || gain > 0;
        if (relevant && !topics.count(qid)) ++n;
    }
    return n;
}

}  // namespace

TestCollection load_cranfield(const std::string& dir) {
    TestCollection c;
    c.name = "cranfield";
    c.gain_note = "gain = 5 - grade (grades 1..4), 0 for grade -1";

    SmartReader docs(find_file(dir, "cran.all.1400"));
    SmartRecord rec;
    while (docs.next(rec)) {
        corpus::Article a;
        a.id = rec.id;
        a.title = corpus::normalize_line(field(rec, 'T'));
        // Cranfield's text lines are hard-wrapped inside paragraphs: fold them.
        a.body = corpus::normalize_line(field(rec, 'W'));
        a.location = "cran.all.1400:" + std::to_string(rec.line);
        c.documents.push_back(std::move(a));
    }

    std::vector<EvalQuery> by_position;
    SmartReader queries(find_file(dir, "cran.qry"));
    while (queries.next(rec))
        by_position.push_back({std::to_string(by_position.size() + 1), corpus::normalize_line(field(rec, 'W'))});

    // Grades checked as each line is read, so that an error names its line.
    const auto grade_check = [](const std::string& qid, const std::string& doc, int grade) {
        if (grade == -1 || (grade >= 1 && grade <= 4)) return std::string();
        return "query " + qid + " doc " + doc + ": grade " + std::to_string(grade) + " is not one of -1, 1..4";
    };
    for (auto& [qid, docs_of_q] : read_qrels(find_file(dir, "cranqrel"), grade_check)) {
        auto& gains = c.qrels[qid];
        for (auto& [doc, grade] : docs_of_q) gains[doc] = grade == -1 ? 0 : 5 - grade;
    }
    for (auto& q : by_position)
        if (c.qrels.count(q.id)) c.queries.push_back(std::move(q));
    c.judged_without_topic = judged_without_topic(c);
    return c;
}

DiagnosticLines::DiagnosticLines()
    : diag_([this](const corpus::Diagnostic& d) {
          if (++shown_per_reason_[d.reason] <= 5) shown_.push_back(corpus::format_diagnostic(d));
      }) {}

std::vector<std::string> DiagnosticLines::lines(const std::string& who) const {
    std::vector<std::string> out;
    for (const auto& s : shown_) out.push_back(who + s);
    if (diag_.skipped()) {
        std::string reasons;
        for (const auto& [reason, n] : diag_.skipped_by_reason())
            reasons += (reasons.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
        out.push_back(who + "skipped " + counted(diag_.skipped(), "record") + " (" + reasons + ")");
    }
    return out;
}

// BEIR's corpus.jsonl fields, named rather than auto-detected.
const corpus::FieldMapping kBeirFields{"_id", "title", "text", "date", "source"};

TestCollection load_beir(const std::string& dir, const std::string& split) {
    TestCollection c;
    c.name = fs::path(dir).filename().string();
    if (c.name.empty()) c.name = fs::path(dir).parent_path().filename().string();
    c.gain_note = "gain = qrels score";

    // A record the reader skips (invalid JSON, no "_id", neither title nor
    // text) is a document the judgments may name: said on stderr, as
    // trawl-index says it. A title with an empty text is read, and indexed
    // title-only as trawl-index indexes it.
    DiagnosticLines diag;
    auto reader = corpus::open_jsonl_reader(find_file(dir, "corpus.jsonl"), kBeirFields, diag.sink());
    corpus::Article a;
    while (reader->next(a)) c.documents.push_back(std::move(a));
    c.diagnostics = diag.lines("");

    c.qrels = read_qrels(find_file(dir, "qrels/" + split + ".tsv"));
    corpus::LineReader lines(corpus::open_byte_source(find_file(dir, "queries.jsonl")));
    std::string line;
    while (lines.next(line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        nlohmann::json obj;
        try {
            obj = nlohmann::json::parse(line);
        } catch (const nlohmann::json::parse_error&) {
            throw InputError(lines.path(), lines.line_number(), "invalid JSON");
        }
        auto id = obj.find("_id");
        auto text = obj.find("text");
        if (id == obj.end() || text == obj.end() || !text->is_string())
            throw InputError(lines.path(), lines.line_number(), "query without _id or text");
        std::string qid = id->is_string() ? id->get<std::string>() : id->dump();
        if (c.qrels.count(qid)) c.queries.push_back({qid, corpus::normalize_line(text->get<std::string>())});
    }
    c.judged_without_topic = judged_without_topic(c);
    return c;
}

TestCollection load_collection(const std::string& dir, const std::string& split) {
    if (!fs::is_directory(dir)) throw InputError(dir, 0, "not a directory");
    if (fs::exists(fs::path(dir) / "cran.all.1400")) return load_cranfield(dir);
    for (const char* name : {"corpus.jsonl", "corpus.jsonl.zst", "corpus.jsonl.gz"})
        if (fs::exists(fs::path(dir) / name)) return load_beir(dir, split);
    throw InputError(dir, 0, "not a test collection (no cran.all.1400, no corpus.jsonl)");
}

std::string bag_of_words_query(const std::string& text) {
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += ' ';
        out += word;
        word.clear();
    };
    for (unsigned char ch : text) {
        if (ch >= 0x80 || std::isalnum(ch)) word += static_cast<char>(ch >= 0x80 ? ch : std::tolower(ch));
        else flush();
    }
    flush();
    return out;
}

}  // namespace trawl::bench
