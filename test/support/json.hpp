// SPDX-License-Identifier: Apache-2.0 OR MIT
//! JSON answers in tests: parsed, or the test fails right there.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "venus/rpc/json.hpp"

namespace venus::test {

inline rpc::JsonDocument parse(const std::string& text) {
    rpc::JsonDocument d;
    INFO(text.substr(0, 2000));
    REQUIRE(rpc::parse_json(text, d).ok());
    return d;
}

}  // namespace venus::test
