#include "query/cancel.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <time.h>
#include <unistd.h>

namespace trawl::query {
namespace {

volatile std::sig_atomic_t g_cancel = 0;

#ifdef TRAWL_FAULT_INJECTION
// The "search-stall" fault point (cancel.hpp): once per process.
void stall_once() {
    static const bool asked = [] {
        const char* at = std::getenv("TRAWL_FAULT_AT");
        return at && std::strcmp(at, "search-stall") == 0;
    }();
    static bool stalled = false;
    if (!asked || stalled) return;
    stalled = true;
    static constexpr char kSaid[] = "trawl-query: search stalled (TRAWL_FAULT_AT=search-stall)\n";
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kSaid, sizeof kSaid - 1);
    const timespec tick{0, 1000000};  // 1 ms
    while (!g_cancel) ::nanosleep(&tick, nullptr);
}
#endif

}  // namespace

void request_cancel() noexcept { g_cancel = 1; }
void clear_cancel() noexcept { g_cancel = 0; }
bool cancel_requested() noexcept { return g_cancel != 0; }

void throw_if_cancelled() {
    if (g_cancel) throw SearchCancelled();
}

void CancelSpy::operator()(const Xapian::Document&, double) {
#ifdef TRAWL_FAULT_INJECTION
    stall_once();
#endif
    throw_if_cancelled();
}

}  // namespace trawl::query
