// SPDX-License-Identifier: Apache-2.0 OR MIT
// The command tree as a user meets it: help at every level, global flags anywhere, exit codes.
#include <catch2/catch.hpp>

#include "support/daemon.hpp"
#include "support/fixtures.hpp"

using venus::test::Daemon;
using venus::test::run_venusd;

TEST_CASE("cli: help at every level", "[cli]") {
    auto top = run_venusd({"--help"});
    CHECK(top.exit_code == 0);
    CHECK(top.out.find("USAGE:\n  venusd <command> [flags] [args]") != std::string::npos);
    CHECK(top.out.find("  run ") != std::string::npos);
    CHECK(top.out.find("  config ") != std::string::npos);
    CHECK(top.out.find("--repo DIR") != std::string::npos);

    auto group = run_venusd({"config", "--help"});
    CHECK(group.exit_code == 0);
    CHECK(group.out.find("venusd config <command>") != std::string::npos);
    CHECK(group.out.find("  default ") != std::string::npos);

    auto leaf = run_venusd({"help-me-not", "--help"});
    CHECK(leaf.exit_code == 2);

    auto cmd = run_venusd({"run", "--help"});
    CHECK(cmd.exit_code == 0);
    CHECK(cmd.out.find("--enable MODULES") != std::string::npos);
    CHECK(cmd.out.find("--listen MULTIADDR") != std::string::npos);
}

TEST_CASE("cli: usage errors exit with code 2", "[cli]") {
    auto none = run_venusd({});
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("USAGE") != std::string::npos);
    auto unknown = run_venusd({"frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("unknown command 'frobnicate'") != std::string::npos);
    auto group_only = run_venusd({"config"});
    CHECK(group_only.exit_code == 2);
    auto bad_flag = run_venusd({"config", "default", "--nope"});
    CHECK(bad_flag.exit_code == 2);
    CHECK(bad_flag.err.find("unknown flag --nope") != std::string::npos);
    auto missing_value = run_venusd({"--repo"});
    CHECK(missing_value.exit_code == 2);
    auto extra_args = run_venusd({"version", "extra"});
    CHECK(extra_args.exit_code == 2);
    auto bad_module = run_venusd({"config", "default", "--enable", "nope"});
    CHECK(bad_module.exit_code == 2);
}

TEST_CASE("cli: `config default` is etc/venusd.toml", "[cli]") {
    auto r = run_venusd({"config", "default"});
    REQUIRE(r.exit_code == 0);
    const auto shipped = venus::test::read_file(std::filesystem::path(VENUS_SOURCE_DIR) / "etc" / "venusd.toml");
    // If this fails after changing a default: ./build/src/venusd config default > etc/venusd.toml
    CHECK(r.out == shipped);
}

TEST_CASE("cli: no daemon is a connection error (exit 3)", "[cli]") {
    venus::test::TempDir tmp;
    auto r = run_venusd({"--repo", tmp.path().string(), "version"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("no daemon found") != std::string::npos);
    auto refused = run_venusd({"--api", "/ip4/127.0.0.1/tcp/1", "--token", "x", "version"});
    CHECK(refused.exit_code == 3);
    auto bad_api = run_venusd({"--api", "nonsense", "version"});
    CHECK(bad_api.exit_code == 1);
    CHECK(bad_api.err.find("--api") != std::string::npos);
}

TEST_CASE("cli: global flags work before and after the command", "[cli]") {
    Daemon d;
    REQUIRE(d.start());
    auto before = run_venusd({"--repo", d.repo().string(), "version"});
    CHECK(before.exit_code == 0);
    CHECK(before.out.find("Daemon: 1.0.0+venusd") != std::string::npos);
    CHECK(before.out.find("(API 2.3.0)") != std::string::npos);
    auto after = run_venusd({"version", "--repo", d.repo().string(), "--json"});
    CHECK(after.exit_code == 0);
    CHECK(after.out.find("\"APIVersion\":131840") != std::string::npos);
    auto eq_form = run_venusd({"status", "--repo=" + d.repo().string()});
    CHECK(eq_form.exit_code == 0);
    CHECK(eq_form.out.find("Ready:") != std::string::npos);
    CHECK(eq_form.out.find(" yes\n") != std::string::npos);
    // --api with a multiaddr and --token instead of the repo files.
    auto explicit_api = run_venusd({"--api", d.api_info().addr.to_string(), "--token", d.token(), "version"});
    CHECK(explicit_api.exit_code == 0);
    // A wrong token is the daemon saying no: a remote error, exit 1.
    auto wrong = run_venusd({"--api", d.api_info().addr.to_string(), "--token", "a.b.c", "version"});
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.err.find("unauthorized") != std::string::npos);
    auto levels = run_venusd({"--repo", d.repo().string(), "log", "set-level", "rpc", "debug"});
    CHECK(levels.exit_code == 0);
    auto bad_level = run_venusd({"--repo", d.repo().string(), "log", "set-level", "rpc", "loud"});
    CHECK(bad_level.exit_code == 1);
    CHECK(bad_level.err.find("unknown log level 'loud'") != std::string::npos);
    auto list = run_venusd({"--repo", d.repo().string(), "log", "list"});
    CHECK(list.out.find("rpc") != std::string::npos);
    CHECK(d.stop() == 0);
}
