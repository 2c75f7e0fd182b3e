#include "query/remote_shard.hpp"

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"

namespace trawl::query {
namespace {

// The UsageError message for `db`, or "ok: host port".
std::string parse(const std::string& db) {
    try {
        auto a = parse_remote_shard(db);
        return "ok: " + a.host + " " + std::to_string(a.port);
    } catch (const UsageError& e) {
        return e.what();
    }
}

TEST(RemoteShard, AddressesAreTcpHostPort) {
    EXPECT_TRUE(is_remote_shard("tcp://a:1"));
    EXPECT_FALSE(is_remote_shard("news.idx"));
    EXPECT_FALSE(is_remote_shard("/srv/tcp://x"));
    EXPECT_EQ(parse("tcp://127.0.0.1:33333"), "ok: 127.0.0.1 33333");
    EXPECT_EQ(parse("tcp://search-2.example.org:1"), "ok: search-2.example.org 1");
    EXPECT_EQ(parse("tcp://[::1]:65535"), "ok: ::1 65535");
}

TEST(RemoteShard, MalformedAddressesAreUsageErrors) {
    const std::string tail = "; a remote shard is tcp://HOST:PORT";
    EXPECT_EQ(parse("tcp://host"), "--db tcp://host: no port" + tail);
    EXPECT_EQ(parse("tcp://:80"), "--db tcp://:80: no host" + tail);
    EXPECT_EQ(parse("tcp://host:"), "--db tcp://host:: port '' is not a number from 1 to 65535" + tail);
    EXPECT_EQ(parse("tcp://host:0"), "--db tcp://host:0: port '0' is not a number from 1 to 65535" + tail);
    EXPECT_EQ(parse("tcp://host:65536"), "--db tcp://host:65536: port '65536' is not a number from 1 to 65535" + tail);
    EXPECT_EQ(parse("tcp://host:80x"), "--db tcp://host:80x: port '80x' is not a number from 1 to 65535" + tail);
    EXPECT_EQ(parse("tcp://host:+80"), "--db tcp://host:+80: port '+80' is not a number from 1 to 65535" + tail);
    EXPECT_EQ(parse("tcp://host:80/"), "--db tcp://host:80/: port '80/' is not a number from 1 to 65535" + tail);
    EXPECT_EQ(parse("tcp://a/b:80"), "--db tcp://a/b:80: bad host 'a/b'" + tail);
    EXPECT_EQ(parse("tcp://::1:80"), "--db tcp://::1:80: an IPv6 host must be in brackets" + tail);
    EXPECT_EQ(parse("tcp://[::1:80"), "--db tcp://[::1:80: unclosed '[' in the host" + tail);
    EXPECT_EQ(parse("tcp://[::1]80"), "--db tcp://[::1]80: no port" + tail);
}

TEST(RemoteShard, NoServerIsAOneLineErrorNamingTheShard) {
    // Port 1 (tcpmux) on loopback: nothing listens there on a test machine.
    try {
        open_remote_shard("tcp://127.0.0.1:1");
        FAIL() << "connected";
    } catch (const UsageError&) {
        FAIL() << "not a usage error";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind("tcp://127.0.0.1:1: cannot connect to remote shard (", 0), 0u) << what;
        EXPECT_EQ(what.back(), ')');
        EXPECT_EQ(what.find('\n'), std::string::npos);
    }
}

}  // namespace
}  // namespace trawl::query
