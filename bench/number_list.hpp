// Comma-separated numeric option values ("--k1 0.9,1.2"), for the grids
// trawl-bench runs on one index.
#pragma once

#include <string>
#include <vector>

#include "corpus/base/error.hpp"

namespace trawl::bench {

// Parses "X[,X...]" into non-negative numbers; UsageError naming --`opt` otherwise.
inline std::vector<double> parse_number_list(const std::string& opt, const std::string& text) {
    std::vector<double> out;
    std::string::size_type start = 0;
    for (;;) {
        const auto comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        std::size_t used = 0;
        double v = -1;
        try {
            v = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (item.empty() || used != item.size() || v < 0)
            throw UsageError("--" + opt + ": '" + item + "' is not a non-negative number");
        out.push_back(v);
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

// Parses "N[,N...]" into whole numbers >= 1 (thread counts, scale factors).
inline std::vector<unsigned> parse_count_list(const std::string& opt, const std::string& text) {
    std::vector<unsigned> out;
    for (double v : parse_number_list(opt, text)) {
        if (v < 1 || v > 1e6 || v != static_cast<double>(static_cast<unsigned>(v)))
            throw UsageError("--" + opt + ": counts are whole numbers from 1");
        out.push_back(static_cast<unsigned>(v));
    }
    return out;
}

}  // namespace trawl::bench
