// SPDX-License-Identifier: Apache-2.0 OR MIT
// Helpers shared by the miner integration tests: a 1 s devnet, the chain read back over RPC.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "support/devnet.hpp"
#include "support/daemon.hpp"
#include "venus/chain/json.hpp"
#include "venus/rpc/client.hpp"

namespace venus::test::miner {

inline rpc::JsonDocument parse(const std::string& text) {
    rpc::JsonDocument d;
    REQUIRE(rpc::parse_json(text, d).ok());
    return d;
}

inline chain::TipSet head(rpc::HttpRpcClient& c) {
    auto r = c.call("Filecoin.ChainHead");
    if (!r) FAIL("ChainHead: " << r.error().message);
    return chain::from_json_string<chain::TipSet>(r->text).value();
}

inline chain::TipSet tipset(rpc::HttpRpcClient& c, const chain::TipSetKey& key) {
    auto r = c.call("Filecoin.ChainGetTipSet", rpc::RawJson{"[" + chain::to_json_string(key) + "]"});
    if (!r) FAIL("ChainGetTipSet: " << r.error().message);
    return chain::from_json_string<chain::TipSet>(r->text).value();
}

//! The chain from `top` down to height 1, highest first.
inline std::vector<chain::TipSet> walk(rpc::HttpRpcClient& c, const chain::TipSet& top) {
    std::vector<chain::TipSet> out;
    for (auto ts = top; ts.height() > 0; ts = tipset(c, ts.parents())) out.push_back(ts);
    return out;
}

//! The round an error of StatesForMining is about (the loop's errors start with "round N:"); -1 if none.
inline std::int64_t round_of(const std::string& err) {
    if (err.rfind("round ", 0) != 0) return -1;
    return std::stoll(err.substr(6));
}

}  // namespace venus::test::miner
