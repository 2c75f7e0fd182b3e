// "1 article", "2 articles": a count and its noun, for the lines people read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trawl {

// `n`, a space and `one` when n is 1, else `many` (`one` + "s" when not given).
inline std::string counted(std::uint64_t n, std::string_view one, std::string_view many = {}) {
    std::string out = std::to_string(n) + " ";
    if (n == 1) return out.append(one);
    if (many.empty()) return out.append(one).append("s");
    return out.append(many);
}

}  // namespace trawl
