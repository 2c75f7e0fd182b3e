// Number formatting shared by trawl-bench's report tables.
#pragma once

#include <iomanip>
#include <sstream>
#include <string>

namespace trawl::bench {

// `x` with `precision` digits after the point ("0.444").
inline std::string fixed(double x, int precision) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(precision) << x;
    return os.str();
}

// a / b, or 0 when b is not positive (a ratio row's "no figure").
inline double ratio(double a, double b) { return b > 0 ? a / b : 0; }

}  // namespace trawl::bench
