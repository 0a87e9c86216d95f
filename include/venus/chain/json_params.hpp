// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Reading chain types from a JSON-RPC params array and writing them as a result: what every
//! Lotus-style method table (node, mpool, state, consensus) needs.
#pragma once

#include <cstddef>
#include <string_view>

#include "venus/chain/json.hpp"
#include "venus/core/result.hpp"
#include "venus/rpc/json.hpp"

namespace venus::chain {

//! Parameter `i` as a T; a missing trailing parameter is T{} (go-jsonrpc fills absent params with
//! zero values), a malformed one an InvalidArgument naming it.
template <typename T>
Result<T> json_param(const rapidjson::Value& params, std::size_t i, std::string_view what) {
    T out{};
    if (i >= params.Size()) return out;
    auto st = from_json(params[static_cast<rapidjson::SizeType>(i)], out);
    if (!st) return make_error(Errc::kInvalidArgument, "param {} ({}): {}", i, what, st.error().message);
    return out;
}

template <typename T>
rpc::RawJson to_raw_json(const T& v) {
    return rpc::RawJson{to_json_string(v)};
}

}  // namespace venus::chain
