// SPDX-License-Identifier: Apache-2.0 OR MIT
// Issue 6 interop: transfers signed by independent JavaScript libraries (@zondax secp256k1,
// @noble/curves BLS) are accepted by MpoolPush with the CIDs JavaScript computed, mined into blocks
// the way sophon-miner does (MinerGetBaseInfo, election, MinerCreateBlock, SyncSubmitBlock), executed,
// and found by StateSearchMsg with exit code 0 and the value moved.
#include <catch2/catch.hpp>

#include <array>
#include <fmt/format.h>
#include <cstdio>
#include <thread>

#include "support/daemon.hpp"
#include "support/fixtures.hpp"
#include "support/rpc_miner.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

using namespace venus;
using venus::test::Daemon;

namespace {

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document d;
    REQUIRE(rpc::parse_json(text, d).ok());
    return d;
}

std::string json_of(const rapidjson::Value& v) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return sb.GetString();
}

//! The genesis keys of one role, as the node wrote them (Lotus KeyInfo JSON).
std::vector<chain::KeyInfo> genesis_keys(const std::filesystem::path& repo, const std::string& role) {
    const auto dir = repo / "keystore" / "genesis";
    auto index = parse(test::read_file(dir / "genesis-keys.json"));
    std::vector<chain::KeyInfo> keys;
    for (const auto& e : index.GetArray()) {
        if (std::string(e["Role"].GetString()) == role) {
            keys.push_back(chain::parse_key_info_json(
                               test::read_file(dir / (std::string(e["Address"].GetString()) + ".key")))
                               .value());
        }
    }
    return keys;
}

//! Runs `node sign_messages.mjs <spec>`; nullopt when node or the npm packages are missing.
std::optional<std::string> js_sign(const std::string& spec) {
    // Tests run from the project's source directory (venus_add_test's WORKING_DIRECTORY).
    const std::filesystem::path here = std::filesystem::current_path() / "test" / "interop" / "node";
    if (!std::filesystem::exists(here / ".." / "node_modules" / "@zondax" / "filecoin-signing-tools")) return std::nullopt;
    if (std::system("node --version >/dev/null 2>&1") != 0) return std::nullopt;
    const std::string cmd = "node '" + (here / "sign_messages.mjs").string() + "' '" + spec + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    std::array<char, 4096> buf{};
    while (auto n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    REQUIRE(::pclose(p) == 0);
    return out;
}

//! Mines one block with `messages` (JSON array of SignedMessages) the way sophon-miner does
//! (test/support/rpc_miner.hpp) and waits until it is the head.
chain::TipSet mine(rpc::HttpRpcClient& c, const chain::KeyInfo& worker, const std::string& messages) {
    auto h = test::rpc_mine(c, worker, std::chrono::seconds(30), messages);
    INFO((h ? std::string() : h.error().message));
    REQUIRE(h.ok());
    return *h;
}

}  // namespace

TEST_CASE("messages signed by Zondax (secp256k1) and noble (BLS) are pushed, mined, executed, found", "[interop][node]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    Daemon d({"--enable", "node"}, "[node]\ngenesis_accounts = 2\n", repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient c(d.api_info());

    const auto accounts = genesis_keys(repo, "account");
    REQUIRE(accounts.size() == 2);
    const auto worker = genesis_keys(repo, "miner 0 worker").at(0);
    std::string spec = "[";
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const auto& k = accounts[i];
        spec += fmt::format(R"({}{{"type":"{}","key":"{}","from":"{}","to":"{}","nonce":0,"value":"{}"}})",
                            i ? "," : "", k.type == chain::SigType::kBls ? "bls" : "secp256k1",
                            to_base64(k.private_key), chain::key_address(k)->to_string(),
                            chain::key_address(accounts[1 - i])->to_string(), 1000 + i);
    }
    spec += "]";
    auto signed_json = js_sign(spec);
    if (!signed_json) {
        WARN("SKIPPED: node or test/interop/node_modules missing; JS-signed message interop not run");
        return;
    }
    auto signed_doc = parse(*signed_json);
    REQUIRE(signed_doc.Size() == 2);

    std::vector<std::string> cids;
    std::string block_messages = "[";
    for (const auto& sm : signed_doc.GetArray()) {
        rapidjson::Document copy;
        copy.CopyFrom(sm, copy.GetAllocator());
        const std::string js_cid = copy["CID"].GetString();
        copy.RemoveMember("CID");
        const std::string body = json_of(copy);
        auto pushed = c.call("Filecoin.MpoolPush", rpc::RawJson{"[" + body + "]"});
        INFO(body);
        REQUIRE(pushed.ok());
        CHECK(parse(pushed->text)["/"].GetString() == js_cid);  // venusd's CID = the one JavaScript computed
        cids.push_back(js_cid);
        block_messages += (cids.size() > 1 ? "," : "") + body;
    }
    block_messages += "]";
    auto pending = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
    REQUIRE(pending.ok());
    CHECK(parse(pending->text).Size() == 2);

    // Included in one block, executed when the next tipset is built on it.
    const auto included = mine(c, worker, block_messages);
    const auto executed = mine(c, worker, "[]");
    REQUIRE(executed.parents() == included.key());
    for (std::size_t i = 0; i < cids.size(); ++i) {
        auto found = c.call("Filecoin.StateSearchMsg",
                            rpc::RawJson{R"([[], {"/":")" + cids[i] + R"("}, -1, true])"});
        REQUIRE(found.ok());
        auto lookup = parse(found->text);
        INFO(found->text);
        REQUIRE(lookup.IsObject());
        CHECK(lookup["Receipt"]["ExitCode"].GetInt() == 0);
        // Lotus's MsgLookup names the tipset that executed the message: the child of the including one.
        CHECK(lookup["Height"].GetInt64() == executed.height());
    }
    // The pool let go of them, and the nonces moved.
    pending = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
    REQUIRE(pending.ok());
    CHECK(parse(pending->text).Size() == 0);
    for (const auto& k : accounts) {
        auto nonce = c.call("Filecoin.MpoolGetNonce", rpc::RawJson{"[\"" + chain::key_address(k)->to_string() + "\"]"});
        REQUIRE(nonce.ok());
        CHECK(nonce->text == "1");
    }
}
