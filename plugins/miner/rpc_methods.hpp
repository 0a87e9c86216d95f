// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The miner's JSON-RPC table: sophon-miner's `Filecoin.*` methods (api/api_miner.go).
#pragma once

#include <memory>
#include <vector>

#include "mining.hpp"
#include "venus/rpc/handler_threads.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::miner {

//! `threads` runs the handlers that call the node or the gateway; the module drains it before it
//! closes the store.
std::vector<rpc::MethodSpec> miner_methods(std::shared_ptr<Mining> mining, MinerStore* store, NodeLink node,
                                           std::shared_ptr<rpc::HandlerThreads> threads = rpc::HandlerThreads::create());

//! CountWinners' JSON for one miner over [start, end] (also what the CLI prints).
std::string count_winners_json(Mining& mining, NodeLink& node, const std::vector<chain::Address>& miners,
                               chain::ChainEpoch start, chain::ChainEpoch end);

}  // namespace venus::plugins::miner
