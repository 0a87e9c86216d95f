// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The node's JSON-RPC table for the message pool, gas estimation and StateCall.
#pragma once

#include <memory>
#include <vector>

#include "node/mpool/mpool_api.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::node {

std::vector<rpc::MethodSpec> mpool_methods(std::shared_ptr<MpoolApi> api);

//! JSON shapes shared with the CLI and tests.
rpc::RawJson invoc_result_json(const InvocResult& r);
Result<MessageSendSpec> parse_send_spec(const rpc::JsonValue& v);

}  // namespace venus::plugins::node
