// Remote shards: "tcp://host:port" names a database served by xapian-tcpsrv,
// searched with local shard directories as one index (Xapian's remote backend).
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace trawl::query {

struct RemoteAddress {
    std::string host;  // name, IPv4 address, or IPv6 address (given in brackets)
    unsigned port = 0;
};

// Xapian's defaults: a remote shard that does not answer within these fails
// the search rather than hanging it.
inline constexpr unsigned kRemoteConnectTimeoutMs = 10000;
inline constexpr unsigned kRemoteTimeoutMs = 10000;

// True for a --db value that names a remote shard ("tcp://...").
bool is_remote_shard(std::string_view db);

// "tcp://host:port" or "tcp://[v6-address]:port", port 1..65535, nothing
// else; throws UsageError naming the value otherwise.
RemoteAddress parse_remote_shard(std::string_view db);

// Opens a remote shard read-only. Throws UsageError for a malformed address
// and trawl::Error "tcp://host:port: cannot connect to remote shard (...)"
// when no server answers there.
Xapian::Database open_remote_shard(const std::string& db);

}  // namespace trawl::query
