// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool …` through the real binary: the fixed output contract (one JSON object on stdout; exit 1
// with a one-line error on stderr for invalid input; exit 2 for usage errors).
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/daemon.hpp"

using venus::test::run_venusd;

namespace {
bool one_line(const std::string& s) { return !s.empty() && std::count(s.begin(), s.end(), '\n') == 1 && s.back() == '\n'; }
}  // namespace

TEST_CASE("cli tool: address inspect and from-bytes", "[cli][tool]") {
    auto r = run_venusd({"tool", "address", "inspect", "t01000"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"protocol\":0,\"payload\":\"e807\",\"bytes\":\"00e807\",\"testnet\":\"t01000\",\"mainnet\":\"f01000\"}\n");
    auto b = run_venusd({"tool", "address", "from-bytes", "00e807"});
    CHECK(b.exit_code == 0);
    CHECK(b.out == r.out);
    auto bad = run_venusd({"tool", "address", "inspect", "t1invalid"});
    CHECK(bad.exit_code == 1);
    CHECK(bad.out.empty());
    CHECK(one_line(bad.err));
    auto usage = run_venusd({"tool", "address"});
    CHECK(usage.exit_code == 2);
}

TEST_CASE("cli tool: message cid from Lotus JSON on stdin, decode back", "[cli][tool]") {
    const std::string msg =
        R"({"Version":0,"To":"t01","From":"t01","Nonce":0,"Value":"0","GasLimit":1,"GasFeeCap":"1","GasPremium":"1","Method":0,"Params":null})";
    auto r = run_venusd({"tool", "message", "cid"}, msg);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"cid\":\"bafy2bzacedho4mpm7it5j6ise52jmtml4ug5fpeeop72qvsemlxuihr7dkjqa\",\"cbor\":\"8a004200014200010040014200014200010040\"}\n");
    auto d = run_venusd({"tool", "message", "decode"}, "8a004200014200010040014200014200010040");
    CHECK(d.exit_code == 0);
    CHECK(d.out.find("\"To\":\"t01\"") != std::string::npos);
    auto bad = run_venusd({"tool", "message", "cid"}, "{not json");
    CHECK(bad.exit_code == 1);
    CHECK(one_line(bad.err));
    auto trailing = run_venusd({"tool", "cbor", "cid", "8000"});
    CHECK(trailing.exit_code == 1);
    CHECK(one_line(trailing.err));
}

TEST_CASE("cli tool: cbor cid and canonical, bls through the dispatcher", "[cli][tool]") {
    auto c = run_venusd({"tool", "cbor", "cid", "80"});
    CHECK(c.exit_code == 0);
    CHECK(c.out == "{\"cid\":\"bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4a\"}\n");
    auto sha = run_venusd({"tool", "cbor", "cid", "--hash", "sha2-256", "80"});
    CHECK(sha.exit_code == 0);
    CHECK(sha.out != c.out);
    auto key = std::string(64, '0');
    key[1] = '1';
    auto pk = run_venusd({"tool", "bls", "pubkey", key});
    CHECK(pk.exit_code == 0);
    CHECK(pk.out.find("\"address\": \"t3") != std::string::npos);
    auto sig = run_venusd({"tool", "bls", "sign", key, "abcd"});
    REQUIRE(sig.exit_code == 0);
    const auto s = sig.out.substr(sig.out.find(": \"") + 3, 192);
    const auto p = pk.out.substr(pk.out.find(": \"") + 3, 96);
    auto ok = run_venusd({"tool", "bls", "verify", p, "abcd", s});
    CHECK(ok.exit_code == 0);
    auto no = run_venusd({"tool", "bls", "verify", p, "abce", s});
    CHECK(no.exit_code == 1);
    auto h2g = run_venusd({"tool", "bls", "hash-to-g2", "--dst", "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_", ""});
    CHECK(h2g.exit_code == 0);
}
