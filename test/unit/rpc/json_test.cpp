// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/core/metrics.hpp"
#include "venus/rpc/json.hpp"

using namespace venus;
using namespace venus::rpc;

TEST_CASE("json: 64-bit integers keep every bit", "[unit][json]") {
    JsonDocument doc;
    REQUIRE(parse_json(R"([18446744073709551615, 9223372036854775807, -9223372036854775808, 9007199254740993])", doc).ok());
    CHECK(doc[0].GetUint64() == 18446744073709551615ull);
    CHECK(doc[1].GetInt64() == 9223372036854775807ll);
    CHECK(doc[2].GetInt64() == std::numeric_limits<std::int64_t>::min());
    CHECK(doc[3].GetUint64() == 9007199254740993ull);  // 2^53 + 1: a double would lose it
    CHECK(to_json_text(doc) == "[18446744073709551615,9223372036854775807,-9223372036854775808,9007199254740993]");
}

TEST_CASE("json: depth limit, trailing garbage and typed params", "[unit][json]") {
    JsonDocument doc;
    CHECK(parse_json(std::string(64, '[') + std::string(64, ']'), doc).ok());
    auto deep = parse_json(std::string(65, '[') + std::string(65, ']'), doc);
    REQUIRE_FALSE(deep.ok());
    CHECK(deep.error().is(Errc::kOutOfRange));
    // Brackets inside strings do not count.
    CHECK(parse_json("[\"" + std::string(200, '[') + "\"]", doc).ok());
    CHECK_FALSE(parse_json("{} x", doc).ok());
    CHECK(parse_json("{}  \n", doc).ok());

    REQUIRE(parse_json(R"(["a", 5, true, -1])", doc).ok());
    CHECK(*param_string(doc, 0) == "a");
    CHECK(*param_uint(doc, 1) == 5);
    CHECK(*param_bool(doc, 2));
    CHECK_FALSE(param_uint(doc, 3).ok());
    CHECK(*param_int(doc, 3) == -1);
    CHECK_FALSE(param_string(doc, 1).ok());
    CHECK(param_string(doc, 9).error().message == "missing param 9");
}

TEST_CASE("metrics: Prometheus text format", "[unit][metrics]") {
    metrics::Registry r;
    r.counter("venusd_things_total", "Things", {{"kind", "a\"b"}}).inc(3);
    r.gauge("venusd_level", "Level").set(1.5);
    auto& h = r.histogram("venusd_latency_seconds", "Latency", {}, {0.1, 1});
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    r.gauge_fn("venusd_computed", "Computed", {}, [] { return 42.0; });
    auto text = r.render();
    CHECK(text.find("# TYPE venusd_things_total counter\nvenusd_things_total{kind=\"a\\\"b\"} 3\n") != std::string::npos);
    CHECK(text.find("venusd_level 1.5\n") != std::string::npos);
    CHECK(text.find("venusd_latency_seconds_bucket{le=\"0.1\"} 1\n") != std::string::npos);
    CHECK(text.find("venusd_latency_seconds_bucket{le=\"1\"} 2\n") != std::string::npos);
    CHECK(text.find("venusd_latency_seconds_bucket{le=\"+Inf\"} 3\n") != std::string::npos);
    CHECK(text.find("venusd_latency_seconds_count 3\n") != std::string::npos);
    CHECK(text.find("venusd_computed 42\n") != std::string::npos);
}
