// PeerQuery's translation into trawl-query's language, and the measurement
// helpers every peer driver shares (disk size, rusage).
#include "peers/peer.hpp"

#include <sys/resource.h>

namespace trawl::bench {

std::string PeerQuery::trawl_syntax() const {
    std::string separator = " ";
    if (kind == Kind::Near) separator = " NEAR/" + std::to_string(distance) + " ";
    if (kind == Kind::Adj) separator = " ADJ/" + std::to_string(distance) + " ";
    std::string joined;
    for (const auto& term : terms) {
        if (!joined.empty()) joined += separator;
        joined += term;
    }
    return kind == Kind::Phrase ? "\"" + joined + "\"" : joined;
}

namespace peer_util {

std::uint64_t disk_bytes(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    if (fs::is_regular_file(path)) return fs::file_size(path);
    std::uint64_t bytes = 0;
    if (fs::is_directory(path))
        for (const auto& entry : fs::recursive_directory_iterator(path))
            if (entry.is_regular_file()) bytes += entry.file_size();
    return bytes;
}

ProcessUsage self_usage() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
    return {seconds(ru.ru_utime) + seconds(ru.ru_stime),
            static_cast<std::uint64_t>(ru.ru_maxrss) * 1024};  // ru_maxrss is in KiB on Linux
}

}  // namespace peer_util
}  // namespace trawl::bench
