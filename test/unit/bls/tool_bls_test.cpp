// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool bls` (run_tool_bls): output shape, exit codes and errors.
#include <sstream>

#include "bls_test_util.hpp"
#include "venus/cli/tool.hpp"

using namespace venus;

namespace {
struct Run {
    int code;
    std::string out, err;
};
Run run(std::vector<std::string> args) {
    std::istringstream in;
    std::ostringstream out, err;
    venus::cli::ToolIo io{in, out, err};
    const int code = venus::cli::run_tool_bls(args, io);
    return {code, out.str(), err.str()};
}
std::string field(const std::string& json, const std::string& name) {
    const std::string key = "\"" + name + "\": \"";
    const auto at = json.find(key);
    if (at == std::string::npos) return {};
    const auto start = at + key.size();
    return json.substr(start, json.find('"', start) - start);
}

const std::string kSk = "ba9d6da7623aa003eb4b28805b572103d528df60e23f2fa70dbe5297b057993d";
const std::string kCid = "0171a0e4022085f14c26af4fee87f75ce11fb3f98f5bab2010992eaa52211c04ce677302cf40";
const std::string kSig =
    "91f790edec90f91b378e0bf68a0876c391f8cfcfa56905edb60ebc43984fb1fd6f96e88e8d715610b4b51eb32a47bc5a"
    "0d1e90db28d72c3766c66f89b05afa30d4946dd0c1057b221fd693532c5cddc03d2e2e5067479dda4fe82873e1a5e0e1";
}  // namespace

TEST_CASE("tool bls: pubkey gives the key and its t3 address", "[unit][bls][tool]") {
    // serialization-vectors message_signing.json: From = t3 address of the signing key.
    auto r = run({"pubkey", kSk});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(field(r.out, "address") ==
          "t3unbjghaftrz676njfgakmfwvirbu5kxpafb57ex2s4sd7p2e5un2mru5fn3l2hnahcqsxtvwxy5j2cdtlaaa");
    CHECK(field(r.out, "pubkey").size() == 96);
    CHECK(r.out.back() == '\n');
    // Zondax generated_test_cases.json[0].
    auto z = run({"pubkey", "b4ea56e087224dc002d22f31b5ca15ad7352a46d19516e7daa94e43d48f84564"});
    CHECK(z.code == 0);
    CHECK(field(z.out, "pubkey") ==
          "89002c3e1fef0c3cc7af874a841b358f84b129c36d0eea2266140dab7992c0e62bb889cd68f855fa30633047b4213869");
    CHECK(field(z.out, "address") ==
          "t3reacypq754gdzr5pq5fiigzvr6clckodnuhouitgcqg2w6msydtcxoejzvupqvp2gbrtar5uee4gsluidafq");
}

TEST_CASE("tool bls: sign, verify and their exit codes", "[unit][bls][tool]") {
    auto s = run({"sign", kSk, kCid});
    CHECK(s.code == 0);
    CHECK(s.out == "{\"signature\": \"" + kSig + "\"}\n");
    const std::string pk = field(run({"pubkey", kSk}).out, "pubkey");
    auto v = run({"verify", pk, kCid, kSig});
    CHECK(v.code == 0);
    CHECK(v.out == "{\"valid\": true}\n");
    auto bad = run({"verify", pk, kCid + "00", kSig});
    CHECK(bad.code == 1);
    CHECK(bad.out == "{\"valid\": false}\n");
    // Malformed signature point: verdict false plus a one-line reason.
    auto bp = run({"verify", pk, kCid, "c0" + std::string(190, '0') + "01"});
    CHECK(bp.code == 1);
    CHECK(bp.out == "{\"valid\": false}\n");
    CHECK(bp.err.find("signature") != std::string::npos);
    CHECK(std::count(bp.err.begin(), bp.err.end(), '\n') == 1);
    auto inf = run({"verify", "c0" + std::string(94, '0'), kCid, kSig});
    CHECK(inf.code == 1);
    CHECK(inf.err.find("infinity") != std::string::npos);
    // Bad hex: invalid input, nothing on stdout.
    auto hx = run({"sign", kSk, "zz"});
    CHECK(hx.code == 1);
    CHECK(hx.out.empty());
    CHECK(hx.err.find("message") != std::string::npos);
    auto shortkey = run({"pubkey", "00"});
    CHECK(shortkey.code == 1);
    CHECK(shortkey.out.empty());
}

TEST_CASE("tool bls: hash-to-g2, aggregate and aggregate-verify", "[unit][bls][tool]") {
    auto h = run({"hash-to-g2", "--dst", "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_", ""});
    CHECK(h.code == 0);
    CHECK(field(h.out, "point") ==
          "a8aab303e33ed14f4a904004a92bd26ffc969c1d1e7d4b7f0c04150a73e1845a911e51a2b2d369d5cef06560c5ac9f57"
          "15c01566993d4469805df3e1f29b536481a832bf2751b6908faed6776d062d585521889232999d72b679d6e38bb5cfff");
    auto h0 = run({"hash-to-g2", "--dst=", ""});
    CHECK(h0.code == 0);
    CHECK(field(h0.out, "point").substr(0, 8) == "b69327b4");

    auto e = run({"aggregate"});
    CHECK(e.code == 0);
    CHECK(field(e.out, "signature") == "c0" + std::string(190, '0'));

    const std::string sk2 = "b4ea56e087224dc002d22f31b5ca15ad7352a46d19516e7daa94e43d48f84564";
    const std::string m2 = "abcd";
    const std::string pk1 = field(run({"pubkey", kSk}).out, "pubkey");
    const std::string pk2 = field(run({"pubkey", sk2}).out, "pubkey");
    const std::string s2 = field(run({"sign", sk2, m2}).out, "signature");
    auto a = run({"aggregate", kSig, s2});
    CHECK(a.code == 0);
    const std::string agg = field(a.out, "signature");
    auto av = run({"aggregate-verify", "--pubkeys", pk1 + "," + pk2, "--messages", kCid + "," + m2, agg});
    CHECK(av.code == 0);
    CHECK(av.out == "{\"valid\": true}\n");
    auto avbad = run({"aggregate-verify", "--pubkeys", pk2 + "," + pk1, "--messages", kCid + "," + m2, agg});
    CHECK(avbad.code == 1);
    CHECK(avbad.out == "{\"valid\": false}\n");
    auto avdup = run({"aggregate-verify", "--pubkeys", pk1 + "," + pk2, "--messages", m2 + "," + m2, agg});
    CHECK(avdup.code == 1);
    CHECK(avdup.err.find("distinct") != std::string::npos);
}

TEST_CASE("tool bls: usage errors exit 2", "[unit][bls][tool]") {
    CHECK(run({}).code == 2);
    CHECK(run({"frobnicate"}).code == 2);
    CHECK(run({"sign", kSk}).code == 2);
    CHECK(run({"verify", "00", "00"}).code == 2);
    CHECK(run({"hash-to-g2", "--dst"}).code == 2);
    CHECK(run({"hash-to-g2", "--bogus", "x", "00"}).code == 2);
    CHECK(run({"aggregate-verify", "--pubkeys", "00", "00"}).code == 2);
    auto r = run({"pubkey"});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("usage") != std::string::npos);
}
