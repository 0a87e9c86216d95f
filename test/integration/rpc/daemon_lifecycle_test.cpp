// SPDX-License-Identifier: Apache-2.0 OR MIT
// The daemon process: configuration errors, repo files, signals and restarts.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include "support/daemon.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::Daemon;
using venus::test::run_venusd;

namespace {
unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}
}  // namespace

TEST_CASE("daemon: repo files, SIGTERM exit 0, stores reopen and the token survives a restart", "[integration][app]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    std::string first_token;
    std::string first_head;
    {
        Daemon d({}, {}, repo);
        REQUIRE(d.start());
        CHECK(mode_of(repo / "token") == 0600);
        CHECK(mode_of(repo / "api") == 0600);
        CHECK(mode_of(repo / "keystore" / "jwt-secret") == 0600);
        CHECK(std::filesystem::exists(repo / "config.toml"));
        first_token = d.token();
        rpc::HttpRpcClient c(d.api_info());
        CHECK(c.call("Filecoin.Version").ok());
        // Every built-in module runs by default, each with its store (SQLite for auth, LMDB for the chain).
        // (The genesis, not the head: the default miner module may have mined meanwhile.)
        auto head = c.call("Filecoin.ChainGetGenesis");
        REQUIRE(head.ok());
        first_head = head->text;
        // A second daemon on the same repo is refused while the first runs.
        auto second = run_venusd({"--repo", repo.string(), "run", "--listen", "/ip4/127.0.0.1/tcp/0"});
        CHECK(second.exit_code == 4);
        CHECK(second.err.find("in use by another venusd") != std::string::npos);
        CHECK(d.stop(SIGTERM) == 0);
        CHECK(d.log().find("stopped cleanly") != std::string::npos);
    }
    {
        Daemon d({}, {}, repo);
        REQUIRE(d.start());
        CHECK(d.token() == first_token);  // the secret persists, so the admin token survives restarts
        rpc::HttpRpcClient c(d.api_info());
        CHECK(c.call("Filecoin.Version").ok());
        // The stores reopened cleanly: the same chain (genesis) is served after the restart.
        auto head = c.call("Filecoin.ChainGetGenesis");
        REQUIRE(head.ok());
        CHECK(head->text == first_head);
        CHECK(d.stop(SIGINT) == 0);
    }
}

TEST_CASE("daemon: Shutdown over the API stops it cleanly", "[integration][app]") {
    Daemon d;
    REQUIRE(d.start());
    auto r = run_venusd({"--repo", d.repo().string(), "stop"});
    CHECK(r.exit_code == 0);
    CHECK(venus::test::wait_until([&] { return !d.running(); }, std::chrono::seconds(10)));
}

TEST_CASE("daemon: configuration errors are clear and exit with code 4", "[integration][app]") {
    venus::test::TempDir tmp;
    SECTION("unknown module") {
        auto r = run_venusd({"--repo", (tmp.path() / "a").string(), "run", "--enable", "bogus,auth"});
        CHECK(r.exit_code == 4);
        CHECK(r.err.find("unknown module 'bogus'") != std::string::npos);
    }
    SECTION("unknown config key") {
        std::filesystem::create_directories(tmp.path() / "b");
        std::ofstream(tmp.path() / "b" / "config.toml") << "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\nlistne = 1\n";
        auto r = run_venusd({"--repo", (tmp.path() / "b").string(), "run"});
        CHECK(r.exit_code == 4);
        CHECK(r.err.find("unknown config keys: [api] listne") != std::string::npos);
    }
    SECTION("malformed config") {
        std::filesystem::create_directories(tmp.path() / "c");
        std::ofstream(tmp.path() / "c" / "config.toml") << "[api\n";
        auto r = run_venusd({"--repo", (tmp.path() / "c").string(), "run"});
        CHECK(r.exit_code == 4);
        CHECK(r.err.find("config.toml:1") != std::string::npos);
    }
    SECTION("bad listen address") {
        auto r = run_venusd({"--repo", (tmp.path() / "d").string(), "run", "--listen", "/ip4/127.0.0.1/udp/1"});
        CHECK(r.exit_code == 4);
        CHECK(r.err.find("expected tcp") != std::string::npos);
    }
    SECTION("a port already in use") {
        Daemon d;
        REQUIRE(d.start());
        auto r = run_venusd({"--repo", (tmp.path() / "e").string(), "run", "--listen",
                             "/ip4/127.0.0.1/tcp/" + std::to_string(d.port())});
        CHECK(r.exit_code == 5);
        CHECK(r.err.find("cannot listen") != std::string::npos);
    }
}
