#include "indexer/interrupt.hpp"

#include <csignal>

#include <signal.h>

#include "corpus/base/counted.hpp"

namespace trawl::index {
namespace {

volatile std::sig_atomic_t g_signal = 0;

void on_interrupt(int signal) { g_signal = signal; }

void catch_signal(int signal) {
    struct sigaction old {};
    if (sigaction(signal, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) return;
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    // SA_RESETHAND: a second signal takes the default action (the user
    // insists). SA_RESTART: reads and writes in progress carry on; the job
    // looks at the flag between articles.
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaction(signal, &sa, nullptr);
}

}  // namespace

void catch_interrupts() {
    catch_signal(SIGINT);
    catch_signal(SIGTERM);
}

int interrupt_signal() { return g_signal; }

void set_interrupt_signal(int signal) { g_signal = signal; }

std::string interrupted_message(const Interrupted& e, const std::string& db_path) {
    return "trawl-index: interrupted; " + counted(e.committed(), "article") + " committed to " + db_path +
           ", re-run to continue";
}

std::string completed_anyway_message(int signal, std::uint64_t articles, const std::string& db_path) {
    const std::string name = signal == SIGINT ? "Ctrl-C (SIGINT)" : signal == SIGTERM ? "SIGTERM" : "a signal";
    return "trawl-index: " + name + " came as the run was ending; it completed: " + counted(articles, "article") +
           " indexed into " + db_path + ", nothing to re-run";
}

}  // namespace trawl::index
