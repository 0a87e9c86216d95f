// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/sync/rpc_peer.hpp"

#include "node/sync/car.hpp"
#include "venus/chain/json.hpp"
#include "venus/rpc/json.hpp"

namespace venus::plugins::node::sync {

namespace {

rpc::RawJson cid_param(const chain::Cid& c) {
    return rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "/");
        rpc::write_string(o, c.to_string());
        o.EndObject();
    });
}

Result<std::vector<chain::Cid>> tipset_cids(const rpc::JsonValue& ts) {
    if (!ts.IsObject() || !ts.HasMember("Cids") || !ts["Cids"].IsArray() || ts["Cids"].Empty()) {
        return make_error(Errc::kInvalidArgument, "tipset without Cids");
    }
    std::vector<chain::Cid> out;
    for (const auto& c : ts["Cids"].GetArray()) {
        chain::Cid cid;
        VENUS_TRY_VOID(chain::from_json(c, cid));
        out.push_back(std::move(cid));
    }
    return out;
}

}  // namespace

Status RpcPeer::connect() {
    std::lock_guard lock(mu_);
    if (ws_ && ws_->connected()) return {};
    VENUS_TRY(ws_, rpc::WsRpcClient::connect(info_, "/rpc/v1", std::chrono::seconds(5)));
    return {};
}

bool RpcPeer::connected() const {
    std::lock_guard lock(mu_);
    return ws_ && ws_->connected();
}

void RpcPeer::close() {
    std::shared_ptr<rpc::WsRpcClient> ws;
    {
        std::lock_guard lock(mu_);
        ws = std::move(ws_);
    }
    if (ws) ws->close();
}

Result<std::shared_ptr<rpc::WsRpcClient>> RpcPeer::client() const {
    std::lock_guard lock(mu_);
    if (!ws_ || !ws_->connected()) return make_error(Errc::kUnavailable, "peer {} is not connected", name());
    return ws_;
}

Status RpcPeer::follow(HeadFn on_head, std::function<void()> on_close) {
    VENUS_TRY(auto ws, client());
    auto closed = std::make_shared<std::once_flag>();
    auto close_once = [closed, on_close] { std::call_once(*closed, on_close); };
    ws->on_disconnect([close_once](const Error&) { close_once(); });
    auto sub = ws->subscribe(
                         "Filecoin.ChainNotify", rpc::RawJson{"[]"},
                         [on_head](rpc::RawJson v) {
                             rpc::JsonDocument d;
                             if (!rpc::parse_json(v.text, d) || !d.IsArray()) return;
                             // Only the last current/apply matters: sync walks back from it.
                             std::optional<std::vector<chain::Cid>> latest;
                             for (const auto& ch : d.GetArray()) {
                                 if (!ch.IsObject() || !ch.HasMember("Type") || !ch["Type"].IsString() ||
                                     !ch.HasMember("Val")) {
                                     continue;
                                 }
                                 const std::string_view type = ch["Type"].GetString();
                                 if (type != "current" && type != "apply") continue;
                                 if (auto cids = tipset_cids(ch["Val"])) latest = std::move(*cids);
                             }
                             if (latest) on_head(std::move(*latest));
                         },
                         close_once);
    if (!sub) return sub.error();
    return {};
}

Status RpcPeer::follow_mpool(std::function<void(chain::SignedMessage)> on_add) {
    VENUS_TRY(auto ws, client());
    auto sub = ws->subscribe(
        "Filecoin.MpoolSub", rpc::RawJson{"[]"},
        [on_add](rpc::RawJson v) {
            rpc::JsonDocument d;
            if (!rpc::parse_json(v.text, d) || !d.IsObject() || !d.HasMember("Type") || !d["Type"].IsInt() ||
                d["Type"].GetInt() != 0 || !d.HasMember("Message")) {
                return;
            }
            chain::SignedMessage m;
            if (chain::from_json(d["Message"], m)) on_add(std::move(m));
        },
        [] {});
    if (!sub) return sub.error();
    return {};
}

Status RpcPeer::submit_block(const chain::BlockMsg& block) {
    VENUS_TRY(auto ws, client());
    VENUS_TRY_VOID(ws->call("Filecoin.SyncSubmitBlock", rpc::RawJson{"[" + chain::to_json_string(block) + "]"}));
    return {};
}

Status RpcPeer::push_message(const chain::SignedMessage& msg) {
    VENUS_TRY(auto ws, client());
    VENUS_TRY_VOID(ws->call("Filecoin.MpoolPushUntrusted", rpc::RawJson{"[" + chain::to_json_string(msg) + "]"}));
    return {};
}

Result<chain::BlockHeader> RpcPeer::header(const chain::Cid& cid) {
    VENUS_TRY(auto ws, client());
    VENUS_TRY(auto r, ws->call("Filecoin.ChainReadObj", cid_param(cid)));
    rpc::JsonDocument d;
    VENUS_TRY_VOID(rpc::parse_json(r.text, d));
    if (!d.IsString()) return make_error(Errc::kInvalidArgument, "peer {}: ChainReadObj result is not a string", name());
    VENUS_TRY(auto bytes, from_base64(std::string_view(d.GetString(), d.GetStringLength())));
    VENUS_TRY_VOID(verify_block(cid, bytes));
    auto h = chain::decode_cbor<chain::BlockHeader>(bytes);
    if (!h) return make_error(Errc::kInvalidArgument, "peer {}: {} is not a block header: {}", name(), cid.to_string(),
                              h.error().message);
    return h;
}

Result<api::BlockContents> RpcPeer::messages(const chain::Cid& block) {
    VENUS_TRY(auto ws, client());
    VENUS_TRY(auto r, ws->call("Filecoin.ChainGetBlockMessages", cid_param(block)));
    rpc::JsonDocument d;
    VENUS_TRY_VOID(rpc::parse_json(r.text, d));
    if (!d.IsObject() || !d.HasMember("BlsMessages") || !d.HasMember("SecpkMessages") || !d["BlsMessages"].IsArray() ||
        !d["SecpkMessages"].IsArray()) {
        return make_error(Errc::kInvalidArgument, "peer {}: unexpected ChainGetBlockMessages result", name());
    }
    api::BlockContents out;
    for (const auto& m : d["BlsMessages"].GetArray()) {
        chain::Message msg;
        VENUS_TRY_VOID(chain::from_json(m, msg));
        out.bls_messages.push_back(std::move(msg));
    }
    for (const auto& m : d["SecpkMessages"].GetArray()) {
        chain::SignedMessage msg;
        VENUS_TRY_VOID(chain::from_json(m, msg));
        out.secp_messages.push_back(std::move(msg));
    }
    return out;
}

Result<std::vector<chain::Cid>> RpcPeer::head() {
    VENUS_TRY(auto ws, client());
    VENUS_TRY(auto r, ws->call("Filecoin.ChainHead"));
    rpc::JsonDocument d;
    VENUS_TRY_VOID(rpc::parse_json(r.text, d));
    return tipset_cids(d);
}

}  // namespace venus::plugins::node::sync
