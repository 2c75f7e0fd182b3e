// Command lines for the real binaries, shared by the end-to-end tests
// (TRAWL_INDEX_BIN / TRAWL_QUERY_BIN come from tests/CMakeLists.txt).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/testutil/run_command.hpp"

namespace trawl::test {

inline std::string index_cmd(const std::string& db, const std::string& args) {
    return std::string(TRAWL_INDEX_BIN) + " --db " + shell_quote(db) + " " + args;
}

inline std::string query_cmd(const std::string& db, const std::string& args) {
    return std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(db) + " " + args;
}

// The hits of trawl-query --format json: one JSON object per line, each
// query's summary line ({"summary": ...}) left out.
inline std::vector<nlohmann::json> parse_jsonl(const std::string& out) {
    std::vector<nlohmann::json> hits;
    for (const auto& line : lines_of(out)) {
        auto j = nlohmann::json::parse(line);
        if (!j.contains("summary")) hits.push_back(std::move(j));
    }
    return hits;
}

// The summary lines of trawl-query --format json, one per query, in order.
inline std::vector<nlohmann::json> parse_summaries(const std::string& out) {
    std::vector<nlohmann::json> s;
    for (const auto& line : lines_of(out)) {
        auto j = nlohmann::json::parse(line);
        if (j.contains("summary")) s.push_back(std::move(j.at("summary")));
    }
    return s;
}

// Names of the entries of `dir` that start with `prefix` (what killed runs
// leave beside an index: ".NAME.trawl-...").
inline std::vector<std::string> names_starting(const std::filesystem::path& dir, const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().starts_with(prefix)) out.push_back(e.path().filename().string());
    return out;
}

}  // namespace trawl::test
