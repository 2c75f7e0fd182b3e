#include "query/remote_shard.hpp"

#include "corpus/base/error.hpp"

namespace trawl::query {
namespace {

constexpr std::string_view kScheme = "tcp://";

[[noreturn]] void bad(std::string_view db, const std::string& why) {
    throw UsageError("--db " + std::string(db) + ": " + why + "; a remote shard is tcp://HOST:PORT");
}

}  // namespace

bool is_remote_shard(std::string_view db) { return db.starts_with(kScheme); }

RemoteAddress parse_remote_shard(std::string_view db) {
    if (!is_remote_shard(db)) bad(db, "not a remote shard");
    std::string_view rest = db.substr(kScheme.size());
    RemoteAddress a;
    std::string_view port;
    if (rest.starts_with('[')) {  // [IPv6]:port
        const auto close = rest.find(']');
        if (close == std::string_view::npos) bad(db, "unclosed '[' in the host");
        a.host = std::string(rest.substr(1, close - 1));
        if (rest.substr(close + 1).substr(0, 1) != ":") bad(db, "no port");
        port = rest.substr(close + 2);
    } else {
        const auto colon = rest.rfind(':');
        if (colon == std::string_view::npos) bad(db, "no port");
        a.host = std::string(rest.substr(0, colon));
        port = rest.substr(colon + 1);
        if (a.host.find(':') != std::string::npos) bad(db, "an IPv6 host must be in brackets");
    }
    if (a.host.empty()) bad(db, "no host");
    for (char c : a.host)
        if (c == '/' || c == '@' || c == '[' || c == ']' || static_cast<unsigned char>(c) <= ' ')
            bad(db, "bad host '" + a.host + "'");
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) digits = digits && c >= '0' && c <= '9';
    const unsigned long n = digits ? std::stoul(std::string(port)) : 0;
    if (n < 1 || n > 65535) bad(db, "port '" + std::string(port) + "' is not a number from 1 to 65535");
    a.port = static_cast<unsigned>(n);
    return a;
}

Xapian::Database open_remote_shard(const std::string& db) {
    const RemoteAddress a = parse_remote_shard(db);
    try {
        return Xapian::Remote::open(a.host, a.port, kRemoteTimeoutMs, kRemoteConnectTimeoutMs);
    } catch (const Xapian::NetworkError& e) {
        std::string why = e.get_msg();
        if (const char* detail = e.get_error_string(); detail && *detail) why += std::string(": ") + detail;
        throw Error(db + ": cannot connect to remote shard (" + why + ")");
    } catch (const Xapian::Error& e) {
        throw Error(db + ": remote shard: " + e.get_description());
    }
}

}  // namespace trawl::query
