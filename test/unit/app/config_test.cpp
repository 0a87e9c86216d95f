// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/app/application.hpp"
#include "venus/app/config.hpp"

using namespace venus;
using namespace venus::app;

TEST_CASE("config: typed reads with defaults and clear type errors", "[unit][app]") {
    auto c = Config::parse("[api]\nlisten = \"/ip4/0.0.0.0/tcp/1\"\nthreads = 4\nanonymous_read = true\n"
                           "ws_ping_interval = \"500ms\"\nenable = [\"a\", \"b\"]\nbad = 5\n",
                           "t.toml");
    REQUIRE(c.ok());
    CHECK(*c->get_string("api", "listen", "x") == "/ip4/0.0.0.0/tcp/1");
    CHECK(*c->get_string("api", "missing", "x") == "x");
    CHECK(*c->get_int("api", "threads", 1) == 4);
    CHECK(*c->get_bool("api", "anonymous_read", false));
    CHECK(c->get_duration("api", "ws_ping_interval", {})->count() == 500);
    CHECK(c->get_strings("api", "enable", {})->size() == 2);
    auto wrong = c->get_string("api", "bad", "");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().message == "config [api] bad: expected a string");
    CHECK_FALSE(c->get_strings("api", "threads", {}).ok());
}

TEST_CASE("config: durations", "[unit][app]") {
    CHECK(parse_duration("10s")->count() == 10000);
    CHECK(parse_duration("2m")->count() == 120000);
    CHECK(parse_duration("1h")->count() == 3600000);
    CHECK(parse_duration("250ms")->count() == 250);
    CHECK(parse_duration("3")->count() == 3000);
    CHECK_FALSE(parse_duration("-1s").ok());
    CHECK_FALSE(parse_duration("1d").ok());
    CHECK_FALSE(parse_duration("s").ok());
}

TEST_CASE("config: syntax errors name the line, unknown keys are found, overlays merge", "[unit][app]") {
    auto bad = Config::parse("[api]\nlisten = \n", "my.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.rfind("my.toml:2:", 0) == 0);

    auto defaults = Config::parse(default_config_text({}, {}), "defaults");
    REQUIRE(defaults.ok());
    auto user = Config::parse("[api]\nlisten = \"x\"\nlistne = 1\n[nosuch]\na = 1\n", "user");
    REQUIRE(user.ok());
    auto unknown = user->unknown_keys(*defaults);
    CHECK(unknown == std::vector<std::string>{"[api] listne", "[nosuch]"});

    auto overlay = Config::parse("[api]\nthreads = 8\n[modules]\nenable = [\"auth\"]\n", "cli");
    REQUIRE(overlay.ok());
    user->merge(*overlay);
    CHECK(*user->get_string("api", "listen", "") == "x");
    CHECK(*user->get_int("api", "threads", 0) == 8);
    CHECK(user->get_strings("modules", "enable", {})->front() == "auth");
}

TEST_CASE("config: the default text parses and documents every key", "[unit][app]") {
    auto text = default_config_text({"auth", "node"}, {});
    auto c = Config::parse(text, "defaults");
    REQUIRE(c.ok());
    CHECK(*c->get_strings("modules", "enable", {}) == std::vector<std::string>{"auth", "node"});
    // Every key line is preceded by a comment line or another key of the same block.
    CHECK(text.find("# Multiaddr of the listener") != std::string::npos);
}
