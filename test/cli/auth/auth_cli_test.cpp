// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd auth …` against a live daemon: every command, its output compared with sophon-auth's format
// (times and generated ids replaced by placeholders), and its exit code.
#include <catch2/catch.hpp>

#include <regex>

#include "support/daemon.hpp"

using venus::test::Daemon;
using venus::test::run_venusd;

namespace {
const std::string kSecp = "t1abjxfbp274xpdqcpuaykwkfb43omjotacm2p3za";

struct Cli {
    const Daemon& d;
    venus::test::CommandResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--repo", d.repo().string(), "auth"});
        return run_venusd(args);
    }
};

//! Times, uuids and tokens vary per run: compare the rest byte for byte.
std::string normalize(std::string s) {
    s = std::regex_replace(s, std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [A-Z+\-0-9]+)"), "<T>");
    s = std::regex_replace(s, std::regex(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( [+\-]\d{4} [A-Z+\-0-9]+)?)"), "<T>");
    s = std::regex_replace(s, std::regex(R"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"), "<ID>");
    s = std::regex_replace(s, std::regex(R"(eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)"), "<JWT>");
    return s;
}

std::string token_of(const std::string& out) {
    const std::string prefix = "generate token success: ";
    REQUIRE(out.rfind(prefix, 0) == 0);
    return out.substr(prefix.size(), out.size() - prefix.size() - 1);
}
}  // namespace

TEST_CASE("auth cli: users, tokens, miners, signers and rate limits with sophon-auth's output", "[cli][auth]") {
    Daemon d({"--enable", "auth"}, "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\n");
    REQUIRE(d.start());
    Cli cli{d};

    auto add = cli({"user", "add", "alice", "--comment", "hello"});
    CHECK(add.exit_code == 0);
    CHECK(normalize(add.out) == "Add user success: <ID>, next can add miner for this user\n");
    auto dup = cli({"user", "add", "alice"});
    CHECK(dup.exit_code == 1);
    CHECK(dup.err == "ERROR: user already exists\n");

    CHECK(normalize(cli({"user", "get", "alice"}).out) ==
          "name: alice\nstate enabled \t// 2: disable, 1: enable\ncomment: hello\ncreateTime: <T>\nupdateTime: <T>\n\n");
    CHECK(cli({"user", "update", "--name", "alice", "--state", "2"}).out == "update user success\n");
    CHECK(cli({"user", "get", "alice"}).out.find("state disabled \t//") != std::string::npos);
    CHECK(cli({"user", "active", "alice"}).out == "active user success\n");
    CHECK(cli({"user", "update", "--comment", "x"}).exit_code == 2);

    auto no_perm = cli({"token", "gen", "alice"});
    CHECK(no_perm.exit_code == 2);
    CHECK(no_perm.err == "ERROR: `perm` flag not set\n");
    CHECK(cli({"token", "gen", "alice", "--perm", "root"}).err == "ERROR: `perm` flag invalid\n");
    auto gen = cli({"token", "gen", "alice", "--perm", "write", "--extra", "e1"});
    REQUIRE(gen.exit_code == 0);
    CHECK(normalize(gen.out) == "generate token success: <JWT>\n");
    const auto token = token_of(gen.out);

    CHECK(normalize(cli({"token", "get", "--name", "alice"}).out) ==
          "name:        alice\nperm:        write\ncreate time: <T>\ntoken:       <JWT>\n\n");
    CHECK(normalize(cli({"token", "get", "--token", token}).out).find("name:        alice") == 0);
    CHECK(normalize(cli({"token", "list"}).out) ==
          "num\tname\t\tperm\t\tcreateTime\t\ttoken\n"
          "1\talice\t\twrite\t<T>\t<JWT>\n"
          "2\tdefaultLocalToken\tadmin\t<T>\t<JWT>\n");
    CHECK(normalize(cli({"token", "list", "--skip", "1", "--limit", "1"}).out) ==
          "num\tname\t\tperm\t\tcreateTime\t\ttoken\n1\tdefaultLocalToken\tadmin\t<T>\t<JWT>\n");
    CHECK(cli({"token", "rm", token}).out == "remove token success: " + token + "\n");
    CHECK(cli({"token", "recover", token}).out == "recover token success: " + token + "\n");

    CHECK(cli({"user", "miner", "add", "alice", "t01000"}).out == "create user:alice miner:t01000 success.\n");
    CHECK(cli({"user", "miner", "add", "alice", "t01000", "--openMining", "false"}).out ==
          "update user:alice miner:t01000 success.\n");
    auto bad_miner = cli({"user", "miner", "add", "alice", kSecp});
    CHECK(bad_miner.exit_code == 1);
    CHECK(bad_miner.err.find("invalid protocol type: 1") != std::string::npos);
    CHECK(cli({"user", "miner", "exist", "t01000", "--user", "alice"}).out == "true\n");
    CHECK(cli({"user", "miner", "exist", "t01000"}).exit_code == 2);
    CHECK(normalize(cli({"user", "miner", "list", "alice"}).out) ==
          "user: alice, miner count:1\n"
          "idx  miner   openMining  create-time                    \n"
          "0    t01000  false       <T>  \n");
    CHECK(cli({"miner", "has", "t01000"}).out == "true\n");
    // Ordered by creation time: the two users may share a second, so either may come first.
    const auto list = normalize(cli({"user", "list"}).out);
    const std::string local_block = "name: defaultLocalToken\nstate: enabled\ncomment: the daemon's own admin token\n"
                                    "createTime: <T>\nupdateTime: <T>\n\n";
    const std::string alice_block =
        "name: alice\nstate: enabled\nminers: [t01000]\ncomment: hello\ncreateTime: <T>\nupdateTime: <T>\n\n";
    CHECK((list == "number: 1\n" + local_block + "number: 2\n" + alice_block ||
           list == "number: 1\n" + alice_block + "number: 2\n" + local_block));
    CHECK(normalize(cli({"user", "list", "--state", "2"}).out).empty());
    CHECK(normalize(cli({"user", "list", "--limit", "1"}).out).find("number: 2") == std::string::npos);
    CHECK(cli({"user", "miner", "delete", "t01000"}).out == "remove miner:t01000 success.\n");
    CHECK(cli({"user", "miner", "delete", "t01000"}).out == "miner:t01000 not exists.\n");
    CHECK(cli({"miner", "has", "t01000"}).out == "false\n");

    CHECK(cli({"user", "signer", "register", "alice", kSecp}).out ==
          "register signer address:" + kSecp + " success for alice.\n");
    CHECK(cli({"user", "signer", "exist", kSecp, "--user", "alice"}).out == "true\n");
    CHECK(normalize(cli({"user", "signer", "list", "alice"}).out) ==
          "user: alice, signer count:1\n"
          "idx  signer                                     create-time                    \n"
          "0    " + kSecp + "  <T>  \n");
    CHECK(cli({"signer", "has", kSecp}).out == "true\n");
    CHECK(cli({"user", "signer", "unregister", kSecp, "--user", "alice"}).out ==
          "unregister signers: " + kSecp + " of alice success.\n");
    CHECK(cli({"signer", "has", kSecp}).out == "false\n");
    CHECK(cli({"user", "signer", "register", "alice", kSecp}).exit_code == 0);
    auto not_really = cli({"signer", "del", kSecp});
    CHECK(not_really.exit_code == 1);
    CHECK(not_really.err.find("--really-do-it must be specified") != std::string::npos);
    CHECK(cli({"signer", "del", kSecp, "--really-do-it"}).out == "delete success\n");

    auto limit = cli({"user", "rate-limit", "add", "alice", "10", "1h"});
    REQUIRE(limit.exit_code == 0);
    CHECK(normalize(limit.out) == "upsert user rate limit success:\t<ID>\n");
    const auto id = limit.out.substr(limit.out.find('\t') + 1, 36);
    CHECK(cli({"user", "rate-limit", "add", "alice", "10", "1h"}).err == "ERROR: user rate limit:" + id + " exists\n");
    CHECK(cli({"user", "rate-limit", "add", "alice", "10", "0s"}).exit_code == 1);
    CHECK(cli({"user", "rate-limit", "get", "alice"}).out ==
          "user:alice, limit id:" + id + ", request limit amount:10, duration:1.00(h)\n");
    CHECK(cli({"user", "rate-limit", "update", "alice", id, "20", "1h30m"}).out ==
          "upsert user rate limit success:\t" + id + "\n");
    CHECK(cli({"user", "rate-limit", "get", "alice"}).out ==
          "user:alice, limit id:" + id + ", request limit amount:20, duration:1.50(h)\n");
    CHECK(cli({"user", "rate-limit", "update", "alice", "nope", "1", "1h"}).err == "ERROR: user rate limit:nope NOT exists\n");
    CHECK(cli({"user", "rate-limit", "del", "alice", id}).out == "delete rate limit success, " + id + "\n");
    CHECK(cli({"user", "rate-limit", "del", "alice", id}).out == "user:alice, rate-limit-id:" + id + " Not exits\n");
    CHECK(cli({"user", "rate-limit", "get", "alice"}).out == "user have no request rate limit\n");

    CHECK(cli({"user", "delete", "alice"}).out == "remove user success\n");
    auto gone = cli({"user", "delete", "alice"});
    CHECK(gone.exit_code == 1);
    CHECK(gone.err == "ERROR: not found user\n");
    CHECK(cli({"user", "recover", "alice"}).out == "recover user success\n");

    // A read token may not manage users: the daemon's refusal is the error.
    auto read = token_of(cli({"token", "gen", "alice", "--perm", "read"}).out);
    auto denied = run_venusd({"--repo", d.repo().string(), "--token", read, "auth", "user", "add", "mallory"});
    CHECK(denied.exit_code == 1);
    CHECK(denied.err == "ERROR: need admin prem: permission not found\n");
    // --help lists the tree.
    auto help = run_venusd({"auth", "user", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("rate-limit") != std::string::npos);
}
