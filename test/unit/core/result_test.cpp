// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/core/result.hpp"

using namespace venus;

namespace {
Result<int> parse_positive(int v) {
    if (v <= 0) return make_error(Errc::kInvalidArgument, "{} is not positive", v);
    return v;
}
Result<int> doubled(int v) {
    VENUS_TRY(int x, parse_positive(v));
    return 2 * x;
}
Status check(int v) {
    VENUS_TRY_VOID(parse_positive(v));
    return {};
}
}  // namespace

TEST_CASE("core: Result carries a value or an error", "[unit][core]") {
    auto good = doubled(4);
    REQUIRE(good.ok());
    CHECK(*good == 8);
    auto bad = doubled(-1);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().is(Errc::kInvalidArgument));
    CHECK(bad.error().message == "-1 is not positive");
    CHECK(bad.error().wrap("parsing").message == "parsing: -1 is not positive");
    CHECK(check(1).ok());
    CHECK_FALSE(check(0).ok());
    CHECK(bad.error().code.message() == "invalid argument");
}
