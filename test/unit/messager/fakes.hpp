// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Fakes for the messager's dependencies: the node as an RpcCaller over a real devnet chain
//! (ChainHarness: real tipsets, parent messages and receipts; a fake pool and gas estimator), a
//! gateway that signs with known keys, and an auth that binds signers to users.
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "node_link.hpp"
#include "support/chain_harness.hpp"
#include "venus/api/auth.hpp"
#include "venus/api/gateway.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"

namespace venus::test::messager {

using namespace venus::plugins::messager;

struct FakeNode {
    node::ChainHarness& chain;
    std::mutex mu;
    std::map<std::pair<std::string, std::uint64_t>, chain::SignedMessage> pool;  // (from, nonce) → message
    std::set<std::string> bad_to;  // estimates for these recipients fail
    std::size_t pushes = 0;
    std::size_t estimate_calls = 0;

    explicit FakeNode(node::ChainHarness& c) : chain(c) {}

    static rpc::RawJson cid_msgs(const std::vector<std::pair<chain::Cid, chain::Message>>& v) {
        rpc::JsonBuilder b;
        b.out().StartArray();
        for (const auto& [c, m] : v) {
            b.out().StartObject();
            rpc::write_key(b.out(), "Cid");
            chain::to_json(b.out(), c);
            rpc::write_key(b.out(), "Message");
            chain::to_json(b.out(), m);
            b.out().EndObject();
        }
        b.out().EndArray();
        return b.take();
    }

    Result<rpc::RawJson> call(std::string_view method, const rpc::RawJson& params) {
        rpc::JsonDocument p;
        VENUS_TRY_VOID(rpc::parse_json(params.text, p));
        auto& svc = *chain.svc;
        auto key = [&](std::size_t i) {
            chain::TipSetKey k;
            REQUIRE(chain::from_json(p[static_cast<rapidjson::SizeType>(i)], k).ok());
            return k;
        };
        if (method == "Filecoin.ChainHead") return rpc::RawJson{chain::to_json_string(svc.head())};
        if (method == "Filecoin.ChainGetTipSet") {
            VENUS_TRY(auto ts, svc.tipset(key(0)));
            return rpc::RawJson{chain::to_json_string(ts)};
        }
        if (method == "Filecoin.ChainGetTipSetByHeight") {
            VENUS_TRY(auto ts, svc.tipset_by_height(p[0].GetInt64(), key(1), true));
            return rpc::RawJson{chain::to_json_string(ts)};
        }
        if (method == "Filecoin.StateGetActor") {
            chain::Address a;
            VENUS_TRY_VOID(chain::from_json(p[0], a));
            VENUS_TRY(auto act, svc.actor(a, key(1)));
            if (!act) return make_error(Errc::kNotFound, "actor not found: {}", a.to_string());
            return rpc::RawJson{chain::to_json_string(*act)};
        }
        if (method == "Filecoin.ChainGetMessagesInTipset") {
            VENUS_TRY(auto v, svc.tipset_messages(key(0)));
            return cid_msgs(v);
        }
        if (method == "Filecoin.ChainGetParentMessages" || method == "Filecoin.ChainGetParentReceipts") {
            chain::Cid c;
            VENUS_TRY_VOID(chain::from_json(p[0], c));
            if (method == "Filecoin.ChainGetParentMessages") {
                VENUS_TRY(auto v, svc.parent_messages(c));
                return cid_msgs(v);
            }
            VENUS_TRY(auto v, svc.parent_receipts(c));
            rpc::JsonBuilder b;
            b.out().StartArray();
            for (const auto& r : v) chain::to_json(b.out(), r);
            b.out().EndArray();
            return b.take();
        }
        if (method == "Filecoin.GasBatchEstimateMessageGas") {
            std::lock_guard lock(mu);
            ++estimate_calls;
            auto nonce = p[1].GetUint64();
            rpc::JsonBuilder b;
            b.out().StartArray();
            for (const auto& e : p[0].GetArray()) {
                chain::Message m;
                REQUIRE(chain::from_json(e["Msg"], m).ok());
                b.out().StartObject();
                rpc::write_key(b.out(), "Msg");
                if (bad_to.count(m.to.to_string())) {
                    b.out().Null();
                    rpc::write_key(b.out(), "Err");
                    rpc::write_string(b.out(), "actor not found");
                } else {
                    m.nonce = nonce++;
                    m.gas_limit = 10'000'000;
                    if (m.gas_fee_cap.is_zero()) m.gas_fee_cap = chain::BigInt(300'000'000);
                    m.gas_premium = chain::BigInt(1000);
                    chain::to_json(b.out(), m);
                    rpc::write_key(b.out(), "Err");
                    rpc::write_string(b.out(), "");
                }
                b.out().EndObject();
            }
            b.out().EndArray();
            return b.take();
        }
        if (method == "Filecoin.GasEstimateMessageGas") {
            chain::Message m;
            VENUS_TRY_VOID(chain::from_json(p[0], m));
            m.gas_premium = chain::BigInt(1500);
            m.gas_fee_cap = chain::BigInt(300'000'000);
            return rpc::RawJson{chain::to_json_string(m)};
        }
        if (method == "Filecoin.MpoolPushUntrusted" || method == "Filecoin.MpoolBatchPushUntrusted") {
            std::lock_guard lock(mu);
            std::vector<chain::SignedMessage> msgs;
            const auto& arr = method == "Filecoin.MpoolPushUntrusted" ? p : p[0];
            for (const auto& v : arr.GetArray()) {
                chain::SignedMessage sm;
                VENUS_TRY_VOID(chain::from_json(v, sm));
                msgs.push_back(std::move(sm));
            }
            for (auto& sm : msgs) {
                ++pushes;
                pool[{sm.message.from.to_string(), sm.message.nonce}] = std::move(sm);
            }
            return rpc::RawJson{"[]"};
        }
        if (method == "Filecoin.StateSearchMsg") return rpc::RawJson{"null"};
        if (method == "Filecoin.StateGetNetworkParams") return rpc::RawJson{R"({"BlockDelaySecs":4})"};
        if (method == "Filecoin.MpoolGetConfig") return rpc::RawJson{R"({"ReplaceByFeeRatio":1.25})"};
        if (method == "Filecoin.StateAccountKey") return rpc::RawJson{rpc::to_json_text(p[0])};
        return make_error(Errc::kNotFound, "fake node: no {}", method);
    }

    //! Pool messages (by sender, nonce order), removed from the pool.
    std::vector<chain::SignedMessage> take_pool() {
        std::lock_guard lock(mu);
        std::vector<chain::SignedMessage> out;
        for (auto& [k, v] : pool) out.push_back(v);
        pool.clear();
        return out;
    }

    RpcCaller caller() {
        return [this](std::string_view m, const rpc::RawJson& p, std::chrono::milliseconds) { return call(m, p); };
    }
};

class FakeGateway final : public api::Gateway {
  public:
    std::map<std::string, chain::KeyInfo> keys;  // address → key
    std::map<std::string, std::set<std::string>> accounts;  // address → users whose wallet holds it
    std::atomic<int> signs{0};

    void add(const chain::KeyInfo& k, const std::string& user) {
        const auto a = chain::key_address(k).value().to_string();
        keys[a] = k;
        accounts[a].insert(user);
    }
    void wallet_sign(std::vector<std::string> accts, chain::Address signer, Bytes to_sign, api::SignMeta meta,
                     SignDone done) override {
        ++signs;
        const auto a = signer.to_string();
        auto it = keys.find(a);
        if (it == keys.end()) return done(make_error(Errc::kNotFound, "no wallet holds {}", a));
        bool ok = false;
        for (const auto& u : accts) ok = ok || accounts[a].count(u);
        if (!ok) return done(make_error(Errc::kPermissionDenied, "no wallet of these accounts holds {}", a));
        // The wallet checks that it signs the CID of the message it is shown.
        auto msg = chain::decode_cbor<chain::Message>(meta.extra);
        if (meta.type != "message" || !msg) return done(make_error(Errc::kInvalidArgument, "bad meta"));
        const auto cid = msg->cid().value();
        if (Bytes(cid.bytes().begin(), cid.bytes().end()) != to_sign) {
            return done(make_error(Errc::kInvalidArgument, "to_sign is not the message CID"));
        }
        done(chain::sign(it->second, to_sign));
    }
    Result<bool> wallet_has(const std::vector<std::string>&, const chain::Address& addr) override {
        return keys.count(addr.to_string()) > 0;
    }
    void compute_proof(chain::Address, rpc::RawJson, Bytes, std::int64_t, std::uint64_t, JsonDone done) override {
        done(make_error(Errc::kUnsupported, "no prover"));
    }
};

class FakeAuth final : public api::Auth {
  public:
    std::map<std::string, std::set<std::string>> signers;  // user → signers
    void bind(const std::string& user, const std::string& signer) { signers[user].insert(signer); }

    Result<std::vector<api::User>> get_user_by_signer(std::string_view signer) override {
        std::vector<api::User> out;
        for (const auto& [u, s] : signers) {
            if (s.count(std::string(signer))) out.push_back(api::User{u, u, "", api::UserState::kEnabled, 0, 0});
        }
        return out;
    }
    Result<bool> signer_exist_in_user(std::string_view user, std::string_view signer) override {
        auto it = signers.find(std::string(user));
        return it != signers.end() && it->second.count(std::string(signer)) > 0;
    }
    Result<std::vector<api::Signer>> list_signers(std::string_view user) override {
        std::vector<api::Signer> out;
        for (const auto& s : signers[std::string(user)]) out.push_back(api::Signer{s, std::string(user), 0, 0});
        return out;
    }
    Result<rpc::Claims> verify(std::string_view) override { return no(); }
    Result<bool> has_user(std::string_view) override { return no(); }
    Result<api::User> get_user(std::string_view) override { return no(); }
    Result<api::User> get_user_by_miner(std::string_view) override { return no(); }
    Result<std::vector<api::UserWithMiners>> list_users_with_miners(std::int64_t, std::int64_t, api::UserState) override {
        return no();
    }
    Result<bool> has_miner(std::string_view) override { return no(); }
    Result<bool> miner_exist_in_user(std::string_view, std::string_view) override { return no(); }
    Result<std::vector<api::Miner>> list_miners(std::string_view) override { return no(); }
    Result<bool> upsert_miner(std::string_view, std::string_view, bool) override { return no(); }
    Result<bool> has_signer(std::string_view) override { return no(); }
    Status register_signers(std::string_view, const std::vector<std::string>&) override { return no(); }
    Status unregister_signers(std::string_view, const std::vector<std::string>&) override { return no(); }
    Result<std::vector<api::RateLimit>> get_user_rate_limits(std::string_view, std::string_view) override { return no(); }

  private:
    static Error no() { return Error(Errc::kUnsupported, "fake auth"); }
};

}  // namespace venus::test::messager
