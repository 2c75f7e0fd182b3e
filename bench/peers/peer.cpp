// PeerQuery's translation into trawl-query's language, and the measurement
// helpers every peer driver shares (disk size, rusage).
#include "bench/peers/peer.hpp"

#include <set>
#include <sstream>

#include <sys/resource.h>

#include "corpus/base/error.hpp"

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

std::vector<PeerDoc> peer_docs(const std::vector<corpus::Article>& articles, const corpus::SplitOptions& split) {
    std::vector<PeerDoc> docs;
    const corpus::PassageSplitter splitter(split);
    for (const auto& a : articles) {
        if (split.words == 0) {
            docs.push_back({a.id, a.title, a.body});
            continue;
        }
        for (auto& p : splitter.split(a))  // a title-only article: one passage of no text, as Trawl's
            docs.push_back({passage_id(a.id, p.ordinal), a.title, std::move(p.text)});
    }
    return docs;
}

std::vector<std::unique_ptr<Peer>> select_peers(const std::string& list, std::ostream& err) {
    std::vector<std::unique_ptr<Peer>> peers;
    if (list == "none") return peers;
    std::set<std::string> wanted;
    std::stringstream ss(list);
    for (std::string p; std::getline(ss, p, ',');) wanted.insert(p);
    const bool all = wanted.erase("all") > 0;
    for (auto& [name, make] : {std::pair{"fts5", &make_fts5_peer}, std::pair{"lucene", &make_lucene_peer}}) {
        if (!all && !wanted.erase(name)) continue;
        std::string why;
        if (auto p = make(why)) peers.push_back(std::move(p));
        else err << "trawl-bench: peer " << name << " skipped: " << why << "\n";
    }
    if (!wanted.empty()) throw UsageError("--peers: unknown peer '" + *wanted.begin() + "' (fts5, lucene, all, none)");
    return peers;
}

namespace peer_util {

ProcessUsage self_usage() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto seconds = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return {seconds(ru.ru_utime) + seconds(ru.ru_stime),
            static_cast<std::uint64_t>(ru.ru_maxrss) * 1024};  // ru_maxrss is in KiB on Linux
}

}  // namespace peer_util
}  // namespace trawl::bench
