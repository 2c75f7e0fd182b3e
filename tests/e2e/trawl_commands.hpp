// Command lines for the real binaries, shared by the end-to-end tests
// (TRAWL_INDEX_BIN / TRAWL_QUERY_BIN come from tests/CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run_command.hpp"

namespace trawl::test {

inline std::string index_cmd(const std::string& db, const std::string& args) {
    return std::string(TRAWL_INDEX_BIN) + " --db " + shell_quote(db) + " " + args;
}

inline std::string query_cmd(const std::string& db, const std::string& args) {
    return std::string(TRAWL_QUERY_BIN) + " --db " + shell_quote(db) + " " + args;
}

// One JSON object per line of `out` (trawl-query --format json).
inline std::vector<nlohmann::json> parse_jsonl(const std::string& out) {
    std::vector<nlohmann::json> hits;
    for (const auto& line : lines_of(out)) hits.push_back(nlohmann::json::parse(line));
    return hits;
}

}  // namespace trawl::test
