// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/rpc/registry.hpp"

using namespace venus;
using namespace venus::rpc;

TEST_CASE("registry: names are unique and every method has a handler", "[unit][rpc]") {
    MethodRegistry r;
    auto h = sync_handler([](CallContext&, const JsonValue&) -> Result<RawJson> { return json_null(); });
    CHECK(r.add({"A.B", Perm::kRead, Exec::kInline, 0, 0, h, ""}).ok());
    auto dup = r.add({"A.B", Perm::kAdmin, Exec::kInline, 0, 0, h, ""});
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().is(Errc::kAlreadyExists));
    CHECK_FALSE(r.add({"A.C", Perm::kRead, Exec::kInline, 0, 0, nullptr, ""}).ok());
    CHECK_FALSE(r.add({"A.D", Perm::kRead, Exec::kInline, 2, 1, h, ""}).ok());
    REQUIRE(r.find("A.B") != nullptr);
    CHECK(r.find("A.B")->perm == Perm::kRead);
    CHECK(r.find("a.b") == nullptr);
    CHECK(r.list().size() == 1);
}

TEST_CASE("perm: the lattice nests and parsing is exact", "[unit][rpc]") {
    CHECK(allows(Perm::kAdmin, Perm::kRead));
    CHECK(allows(Perm::kSign, Perm::kWrite));
    CHECK_FALSE(allows(Perm::kWrite, Perm::kSign));
    CHECK_FALSE(allows(Perm::kRead, Perm::kWrite));
    CHECK(parse_perm("sign") == Perm::kSign);
    CHECK_FALSE(parse_perm("Admin").has_value());
    CHECK_FALSE(parse_perm("").has_value());
}

TEST_CASE("cancel token: callbacks run once, late ones at once", "[unit][rpc]") {
    CancelToken t;
    int calls = 0;
    t.on_cancel([&] { ++calls; });
    t.cancel();
    t.cancel();
    CHECK(calls == 1);
    t.on_cancel([&] { ++calls; });
    CHECK(calls == 2);
    CHECK(t.cancelled());
}
