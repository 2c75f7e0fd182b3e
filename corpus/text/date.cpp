// The one date normaliser (see date.hpp): a small cursor parser per spelling,
// then one formatter that validates and converts to UTC.
#include "corpus/text/date.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>

#include "corpus/base/ascii.hpp"

namespace trawl::corpus {
namespace {

struct Parts {
    int year = 0, month = 0, day = 0;
    bool has_time = false;
    int hour = 0, minute = 0, second = 0;
    bool lenient_time = false;          // an impossible time keeps the date (Reuters)
    std::optional<int> offset_minutes;  // east of UTC; empty = no zone
};

class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}
    bool done() const { return i_ == s_.size(); }
    char peek() const { return done() ? '\0' : s_[i_]; }
    bool lit(char c) {
        if (peek() != c) return false;
        ++i_;
        return true;
    }
    void spaces() {
        while (!done() && is_ascii_blank(s_[i_])) ++i_;
    }
    // Exactly n digits.
    bool digits(int n, int& out) {
        if (i_ + static_cast<std::size_t>(n) > s_.size()) return false;
        int v = 0;
        for (int k = 0; k < n; ++k) {
            const char c = s_[i_ + static_cast<std::size_t>(k)];
            if (!is_ascii_digit(c)) return false;
            v = v * 10 + (c - '0');
        }
        i_ += static_cast<std::size_t>(n);
        out = v;
        return true;
    }
    // From min to max digits.
    bool digits_between(int min, int max, int& out) {
        int v = 0, n = 0;
        while (n < max && is_ascii_digit(peek())) {
            v = v * 10 + (s_[i_++] - '0');
            ++n;
        }
        out = v;
        return n >= min;
    }
    std::string_view word() {
        const std::size_t start = i_;
        while (!done() && is_ascii_alpha(s_[i_])) ++i_;
        return s_.substr(start, i_ - start);
    }
    std::size_t pos() const { return i_; }
    void reset(std::size_t p) { i_ = p; }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

// "Jan", "JAN", "January" -> 1; 0 otherwise.
int month_number(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kMonths = {"january",   "february", "march",    "april",
                                                                 "may",       "june",     "july",     "august",
                                                                 "september", "october",  "november", "december"};
    if (name.size() < 3) return 0;
    for (std::size_t m = 0; m < kMonths.size(); ++m) {
        if (ascii_iequals(name, kMonths[m].substr(0, 3)) || ascii_iequals(name, kMonths[m]))
            return static_cast<int>(m) + 1;
        if (m == 8 && ascii_iequals(name, "sept")) return 9;
    }
    return 0;
}

// HH:MM[:SS[.fff]]
bool parse_time(Cursor& c, Parts& p) {
    if (!c.digits(2, p.hour) || !c.lit(':') || !c.digits(2, p.minute)) return false;
    p.has_time = true;
    if (c.lit(':')) {
        if (!c.digits(2, p.second)) return false;
        if (c.lit('.') || c.lit(',')) {
            int ignored = 0;
            if (!c.digits_between(1, 9, ignored)) return false;
        }
    }
    return true;
}

// Z, +HH:MM, +HHMM, +HH, GMT, UT, UTC, US zone names; consumes the rest of the input.
bool parse_zone(Cursor& c, Parts& p) {
    c.spaces();
    if (c.done()) return true;
    if (c.peek() == '+' || c.peek() == '-') {
        const int sign = c.peek() == '-' ? -1 : 1;
        c.lit(c.peek());
        int h = 0, m = 0;
        if (!c.digits(2, h)) return false;
        c.lit(':');
        if (!c.done() && !c.digits(2, m)) return false;
        if (h > 23 || m > 59) return false;
        p.offset_minutes = sign * (h * 60 + m);
        c.spaces();
        return c.done();
    }
    const std::string_view w = c.word();
    struct Zone {
        std::string_view name;
        int hours;
    };
    static constexpr Zone kZones[] = {{"z", 0},    {"gmt", 0},  {"ut", 0},   {"utc", 0},  {"est", -5}, {"edt", -4},
                                      {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
    for (const Zone& z : kZones) {
        if (ascii_iequals(w, z.name)) {
            p.offset_minutes = z.hours * 60;
            c.spaces();
            return c.done();
        }
    }
    return false;
}

// 2022-01-03[(T| )HH:MM[:SS[.f]][zone]] or 20220103
bool parse_iso(std::string_view s, Parts& p) {
    Cursor c(s);
    if (!c.digits(4, p.year)) return false;
    if (!c.lit('-')) {
        return c.digits(2, p.month) && c.digits(2, p.day) && c.done();
    }
    if (!c.digits(2, p.month) || !c.lit('-') || !c.digits(2, p.day)) return false;
    if (c.done()) return true;
    if (!(c.lit('T') || c.lit('t') || c.lit(' '))) return false;
    return parse_time(c, p) && parse_zone(c, p);
}

// [Mon,] 03 Jan 2022 [10:00[:00]] [zone]
bool parse_rfc2822(std::string_view s, Parts& p) {
    Cursor c(s);
    const std::size_t start = c.pos();
    if (is_ascii_alpha(c.peek())) {
        c.word();
        if (!c.lit(',')) c.reset(start);
        c.spaces();
    }
    if (!c.digits_between(1, 2, p.day)) return false;
    c.spaces();
    p.month = month_number(c.word());
    if (p.month == 0) return false;
    c.spaces();
    if (!c.digits(4, p.year)) return false;
    c.spaces();
    if (c.done()) return true;
    return parse_time(c, p) && parse_zone(c, p);
}

// 26-FEB-1987 [15:01:01[.79]]; a time that does not parse keeps the date, junk after it is ignored.
bool parse_reuters(std::string_view s, Parts& p) {
    Cursor c(s);
    if (!c.digits_between(1, 2, p.day) || !c.lit('-')) return false;
    p.month = month_number(c.word());
    if (p.month == 0 || !c.lit('-') || !c.digits(4, p.year)) return false;
    c.spaces();
    if (c.done()) return true;
    p.lenient_time = true;
    if (!parse_time(c, p)) {
        p.has_time = false;
    } else if (!parse_zone(c, p)) {
        p.offset_minutes.reset();  // trailing wire codes ("00:02:59.13RM"): the time stands
    }
    return true;
}

std::string format(const Parts& p) {
    using namespace std::chrono;
    const year_month_day ymd{year{p.year}, month{static_cast<unsigned>(p.month)}, day{static_cast<unsigned>(p.day)}};
    if (!ymd.ok() || p.year < 1000) return {};
    char buf[32];
    const bool time_ok = p.hour <= 23 && p.minute <= 59 && p.second <= 60;
    if (!p.has_time || (!time_ok && p.lenient_time)) {
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", p.year, p.month, p.day);
        return buf;
    }
    if (!time_ok) return {};
    // A leap second becomes :59 rather than rolling the date over.
    sys_seconds t = sys_days(ymd) + hours(p.hour) + minutes(p.minute) + seconds(p.second == 60 ? 59 : p.second);
    if (p.offset_minutes) t -= minutes(*p.offset_minutes);
    const sys_days d = floor<days>(t);
    const year_month_day out(d);
    const hh_mm_ss<seconds> tod(t - d);
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(out.year()),
                  static_cast<unsigned>(out.month()), static_cast<unsigned>(out.day()),
                  static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                  static_cast<int>(tod.seconds().count()));
    return buf;
}

}  // namespace

std::optional<std::string> parse_date(std::string_view day) {
    Parts p;
    if ((day.size() != 8 && day.size() != 10) || !parse_iso(day, p) || p.has_time) return std::nullopt;
    const std::string iso = format(p);  // validates the calendar day
    if (iso.empty()) return std::nullopt;
    return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string normalize_date(std::string_view raw) {
    while (!raw.empty() && is_ascii_space(raw.front())) raw.remove_prefix(1);
    while (!raw.empty() && is_ascii_space(raw.back())) raw.remove_suffix(1);
    if (raw.empty()) return {};
    for (auto parse : {parse_iso, parse_rfc2822, parse_reuters}) {
        Parts p;
        if (parse(raw, p)) return format(p);
    }
    return {};
}

}  // namespace trawl::corpus
