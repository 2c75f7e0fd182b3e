// How many passages of each of a few articles a query matches, exactly: the
// "+N more passages" of a hit grouped by article. Xapian's collapse count is
// a lower bound only (the match stops counting an article's passages once
// none of them can enter the top hits), so the shown hits' articles are
// counted again in one small match of their own.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <xapian.h>

namespace trawl::query {

// The passages of each of `articles` (article ids) that match `query` in
// `db` and that `decider` (when given: the phrase checks of
// verified_positions.hpp) accepts: one match of `query` filtered to the
// articles' A terms, every candidate examined and counted by article
// (Xapian's ValueCountMatchSpy, which xapian-tcpsrv runs too, so a remote
// shard's counts are exact as well). `query` is the search's final query,
// its dead passages and filters included. An article without a match is
// absent from the map.
std::map<std::string, Xapian::doccount> matching_passages(const Xapian::Database& db, const Xapian::Query& query,
                                                          const Xapian::MatchDecider* decider,
                                                          const std::vector<std::string>& articles);

}  // namespace trawl::query
