// A Summary (summary.hpp) as text for people.
#pragma once

#include <string>

#include "query/summary.hpp"

namespace trawl::query {

// "12 passages in 7 articles (3.1 ms)"; an estimate says "about" and gives
// its bounds: "about 61000 passages in about 20400 articles (9.8 ms; passages
// 50000–61234, articles 19000–61234)".
std::string count_line(const Summary& s);

// One line per entry, "  LABEL  COUNT  ████▍": bars of Unicode blocks in
// eighths, the largest count `width` cells wide, any non-zero count visible.
std::string bar_chart(const Histogram& h, std::size_t width = 40);

}  // namespace trawl::query
