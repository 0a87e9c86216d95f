// SPDX-License-Identifier: Apache-2.0 OR MIT
// Mpool*, Gas* and StateCall: one table. Everything that reads state or signatures runs on the
// worker pool; MpoolSub opens a channel like ChainNotify.
#include "node/rpc_mpool.hpp"

#include "venus/chain/json.hpp"
#include "venus/chain/json_params.hpp"

namespace venus::plugins::node {

using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::RawJson;

namespace {

Result<chain::TipSetKey> param_tsk(const JsonValue& params, std::size_t i) {
    return chain::json_param<chain::TipSetKey>(params, i, "TipSetKey");
}

template <typename Fn>
RawJson write_json(Fn&& fn) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    fn(w);
    return RawJson{std::string(sb.GetString(), sb.GetSize())};
}

RawJson signed_list_json(const std::vector<chain::SignedMessage>& msgs) {
    return write_json([&](chain::JsonWriter& w) {
        w.StartArray();
        for (const auto& m : msgs) chain::to_json(w, m);
        w.EndArray();
    });
}

RawJson cid_list_json(const std::vector<chain::Cid>& cids) {
    return write_json([&](chain::JsonWriter& w) {
        w.StartArray();
        for (const auto& c : cids) chain::to_json(w, c);
        w.EndArray();
    });
}

Result<std::vector<chain::SignedMessage>> param_signed_list(const JsonValue& p, std::size_t i) {
    if (i >= p.Size() || !p[static_cast<rapidjson::SizeType>(i)].IsArray()) {
        return make_error(Errc::kInvalidArgument, "param {}: expected an array of SignedMessage", i);
    }
    std::vector<chain::SignedMessage> out;
    const auto& arr = p[static_cast<rapidjson::SizeType>(i)];
    if (arr.Size() > 10'000) return make_error(Errc::kOutOfRange, "param {}: at most 10000 messages per batch", i);
    for (const auto& e : arr.GetArray()) {
        chain::SignedMessage m;
        auto st = chain::from_json(e, m);
        if (!st) return make_error(Errc::kInvalidArgument, "param {} (SignedMessage {}): {}", i, out.size(), st.error().message);
        out.push_back(std::move(m));
    }
    return out;
}

Result<std::vector<double>> param_doubles(const JsonValue& p, std::size_t i) {
    if (i >= p.Size() || !p[static_cast<rapidjson::SizeType>(i)].IsArray()) {
        return make_error(Errc::kInvalidArgument, "param {}: expected an array of numbers", i);
    }
    std::vector<double> out;
    const auto& arr = p[static_cast<rapidjson::SizeType>(i)];
    if (arr.Size() > 1000) return make_error(Errc::kOutOfRange, "param {}: at most 1000 tickets", i);
    for (const auto& e : arr.GetArray()) {
        if (!e.IsNumber()) return make_error(Errc::kInvalidArgument, "param {}: expected numbers", i);
        out.push_back(e.GetDouble());
    }
    return out;
}

Result<double> param_double(const JsonValue& p, std::size_t i) {
    if (i >= p.Size() || !p[static_cast<rapidjson::SizeType>(i)].IsNumber()) {
        return make_error(Errc::kInvalidArgument, "param {}: expected a number", i);
    }
    return p[static_cast<rapidjson::SizeType>(i)].GetDouble();
}

RawJson mpool_update_json(const MpoolUpdate& u) {
    return write_json([&](chain::JsonWriter& w) {
        w.StartObject();
        w.Key("Type");
        w.Int(static_cast<int>(u.type));
        w.Key("Message");
        chain::to_json(w, u.message);
        w.EndObject();
    });
}

std::uint64_t codec_of(const Bytes& b) { return b.empty() ? 0 : 0x51; }

}  // namespace

Result<MessageSendSpec> parse_send_spec(const JsonValue& v) {
    MessageSendSpec s;
    if (v.IsNull()) return s;
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "MessageSendSpec must be an object or null");
    if (const auto* p = chain::json_member(v, "MaxFee"); p && !p->IsNull()) {
        VENUS_TRY_VOID(chain::from_json(*p, s.max_fee));
    }
    if (s.max_fee.sign() < 0) return make_error(Errc::kInvalidArgument, "MaxFee cannot be negative");
    auto number = [&](const char* key, double& out) -> Status {
        const auto* p = chain::json_member(v, key);
        if (!p || p->IsNull()) return {};
        if (!p->IsNumber()) return make_error(Errc::kInvalidArgument, "{} must be a number", key);
        out = p->GetDouble();
        if (out < 0 || out > 1000) return make_error(Errc::kInvalidArgument, "{} must be between 0 and 1000", key);
        return {};
    };
    VENUS_TRY_VOID(number("GasOverEstimation", s.gas_over_estimation));
    VENUS_TRY_VOID(number("GasOverPremium", s.gas_over_premium));
    if (const auto* p = chain::json_member(v, "MsgUuid"); p && p->IsString()) s.msg_uuid = p->GetString();
    if (const auto* p = chain::json_member(v, "MaximizeFeeCap"); p && p->IsBool()) s.maximize_fee_cap = p->GetBool();
    return s;
}

RawJson invoc_result_json(const InvocResult& r) {
    return write_json([&](chain::JsonWriter& w) {
        const auto& rct = r.apply.receipt;
        const auto& g = r.apply.gas;
        w.StartObject();
        w.Key("MsgCid");
        chain::to_json(w, r.msg_cid);
        w.Key("Msg");
        chain::to_json(w, r.msg);
        w.Key("MsgRct");
        chain::to_json(w, rct);
        w.Key("GasCost");
        w.StartObject();
        w.Key("Message");
        chain::to_json(w, r.msg_cid);
        w.Key("GasUsed");
        chain::to_json(w, chain::BigInt(rct.gas_used));
        w.Key("BaseFeeBurn");
        chain::to_json(w, g.base_fee_burn);
        w.Key("OverEstimationBurn");
        chain::to_json(w, g.over_estimation_burn);
        w.Key("MinerPenalty");
        chain::to_json(w, g.miner_penalty);
        w.Key("MinerTip");
        chain::to_json(w, g.miner_tip);
        w.Key("Refund");
        chain::to_json(w, g.refund);
        w.Key("TotalCost");
        chain::to_json(w, g.base_fee_burn + g.over_estimation_burn + g.miner_tip);
        w.EndObject();
        // The top-level call only: this VM does not record sub-calls or gas charges.
        w.Key("ExecutionTrace");
        w.StartObject();
        w.Key("Msg");
        w.StartObject();
        w.Key("From");
        chain::to_json(w, r.msg.from);
        w.Key("To");
        chain::to_json(w, r.msg.to);
        w.Key("Value");
        chain::to_json(w, r.msg.value);
        w.Key("Method");
        w.Uint64(r.msg.method);
        w.Key("Params");
        if (r.msg.params.empty()) {
            w.Null();
        } else {
            const auto b64 = to_base64(r.msg.params);
            w.String(b64.c_str());
        }
        w.Key("ParamsCodec");
        w.Uint64(codec_of(r.msg.params));
        w.Key("GasLimit");
        w.Int64(r.msg.gas_limit);
        w.Key("ReadOnly");
        w.Bool(false);
        w.EndObject();
        w.Key("MsgRct");
        w.StartObject();
        w.Key("ExitCode");
        w.Int64(rct.exit_code);
        w.Key("Return");
        if (rct.return_value.empty()) {
            w.Null();
        } else {
            const auto b64 = to_base64(rct.return_value);
            w.String(b64.c_str());
        }
        w.Key("ReturnCodec");
        w.Uint64(codec_of(rct.return_value));
        w.EndObject();
        w.Key("InvokedActor");
        w.Null();
        w.Key("GasCharges");
        w.StartArray();
        w.EndArray();
        w.Key("Subcalls");
        w.StartArray();
        w.EndArray();
        w.EndObject();
        w.Key("Error");
        w.String(r.apply.error.c_str());
        w.Key("Duration");
        w.Int64(r.duration_ns);
        w.EndObject();
    });
}

std::vector<rpc::MethodSpec> mpool_methods(std::shared_ptr<MpoolApi> api) {
    std::vector<rpc::MethodSpec> m;
    auto sync = [](auto fn) { return rpc::sync_handler(std::move(fn)); };

    for (bool untrusted : {false, true}) {
        m.push_back({untrusted ? "Filecoin.MpoolPushUntrusted" : "Filecoin.MpoolPush", Perm::kWrite, Exec::kWorker, 1, 1,
                     sync([api, untrusted](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                         VENUS_TRY(auto sm, chain::json_param<chain::SignedMessage>(p, 0, "SignedMessage"));
                         VENUS_TRY(auto cid, api->pool->push(sm, untrusted));
                         return chain::to_raw_json(cid);
                     }),
                     untrusted ? "adds a signed message with the remote limits (no nonce gap, 100 per sender)"
                               : "adds a signed message to the pool"});
        m.push_back({untrusted ? "Filecoin.MpoolBatchPushUntrusted" : "Filecoin.MpoolBatchPush", Perm::kWrite,
                     Exec::kWorker, 1, 1,
                     sync([api, untrusted](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                         VENUS_TRY(auto msgs, param_signed_list(p, 0));
                         VENUS_TRY(auto cids, api->pool->batch_push(msgs, untrusted));
                         return cid_list_json(cids);
                     }),
                     "adds signed messages in order, stopping at the first failure"});
    }

    m.push_back({"Filecoin.MpoolPushMessage", Perm::kSign, Exec::kWorker, 2, 2,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto msg, chain::json_param<chain::Message>(p, 0, "Message"));
                     MessageSendSpec spec;
                     if (p.Size() > 1) {
                         VENUS_TRY(spec, parse_send_spec(p[1]));
                     }
                     VENUS_TRY(auto sm, api->push_message(std::move(msg), spec));
                     return chain::to_raw_json(sm);
                 }),
                 "estimates gas, assigns the nonce, signs with the local wallet and pushes"});

    m.push_back({"Filecoin.MpoolPending", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, param_tsk(p, 0));
                     VENUS_TRY(auto ts, api->node->tipset(key));
                     (void)ts;
                     return signed_list_json(api->pool->pending());
                 }),
                 "pending messages, by sender and nonce"});

    m.push_back({"Filecoin.MpoolSelect", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, param_tsk(p, 0));
                     VENUS_TRY(auto tq, param_double(p, 1));
                     VENUS_TRY(auto msgs, api->pool->select(key, tq));
                     return signed_list_json(msgs);
                 }),
                 "messages for a block on the tipset"});

    m.push_back({"Filecoin.MpoolSelects", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, param_tsk(p, 0));
                     VENUS_TRY(auto tqs, param_doubles(p, 1));
                     VENUS_TRY(auto lists, api->pool->selects(key, tqs));
                     return write_json([&](chain::JsonWriter& w) {
                         w.StartArray();
                         for (const auto& l : lists) {
                             w.StartArray();
                             for (const auto& sm : l) chain::to_json(w, sm);
                             w.EndArray();
                         }
                         w.EndArray();
                     });
                 }),
                 "one message list per winning ticket (Venus)"});

    m.push_back({"Filecoin.MpoolGetNonce", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto n, api->pool->get_nonce(addr));
                     return rpc::json_uint(n);
                 }),
                 "the next nonce for an address, counting pending messages"});

    m.push_back({"Filecoin.MpoolGetConfig", Perm::kRead, Exec::kWorker, 0, 0,
                 sync([api](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                     return RawJson{mpool_config_json(api->pool->config())};
                 }),
                 "the pool's limits"});

    m.push_back({"Filecoin.MpoolSetConfig", Perm::kAdmin, Exec::kWorker, 1, 1,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     if (p.Size() < 1) return make_error(Errc::kInvalidArgument, "MpoolSetConfig needs a config");
                     VENUS_TRY(auto cfg, parse_mpool_config(p[0]));
                     VENUS_TRY_VOID(api->pool->set_config(cfg));
                     return rpc::json_null();
                 }),
                 "changes the pool's limits (persisted)"});

    m.push_back({"Filecoin.MpoolClear", Perm::kWrite, Exec::kWorker, 1, 1,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto local, rpc::param_bool(p, 0));
                     api->pool->clear(local);
                     return rpc::json_null();
                 }),
                 "removes pending messages (all with true, only remote ones with false)"});

    m.push_back({"Filecoin.MpoolSub", Perm::kRead, Exec::kControl, 0, 0,
                 [api](rpc::CallContext& c, const JsonValue&, rpc::Reply reply) {
                     auto ch = c.open_channel();
                     if (!ch) return reply.error(ch.error());
                     std::shared_ptr<rpc::Channel> channel = *ch;
                     std::weak_ptr<rpc::Channel> weak = channel;
                     const auto id = api->pool->subscribe([weak](const std::vector<MpoolUpdate>& updates) {
                         auto strong = weak.lock();
                         if (!strong) return;
                         for (const auto& u : updates) strong->send(mpool_update_json(u));
                     });
                     std::weak_ptr<MpoolApi> weak_api = api;
                     channel->on_close([weak_api, id] {
                         if (auto a = weak_api.lock()) a->pool->unsubscribe(id);
                     });
                     reply.channel(channel);
                 },
                 "pool changes: {Type: 0 add / 1 remove, Message}"});

    m.push_back({"Filecoin.StateCall", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto msg, chain::json_param<chain::Message>(p, 0, "Message"));
                     VENUS_TRY(auto key, param_tsk(p, 1));
                     VENUS_TRY(auto r, api->gas->state_call(std::move(msg), key));
                     return invoc_result_json(r);
                 }),
                 "runs a message on the tipset's parent state without persisting anything"});

    m.push_back({"Filecoin.GasEstimateGasLimit", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto msg, chain::json_param<chain::Message>(p, 0, "Message"));
                     VENUS_TRY(auto key, param_tsk(p, 1));
                     VENUS_TRY(auto gl, api->gas->estimate_gas_limit(msg, key));
                     return rpc::json_int(gl);
                 }),
                 "gas used by the message after the sender's pending ones"});

    m.push_back({"Filecoin.GasEstimateGasPremium", Perm::kRead, Exec::kWorker, 4, 4,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto n, rpc::param_uint(p, 0));
                     VENUS_TRY(auto sender, chain::json_param<chain::Address>(p, 1, "Address"));
                     VENUS_TRY(auto gl, rpc::param_int(p, 2));
                     VENUS_TRY(auto key, param_tsk(p, 3));
                     if (n > 1000) return make_error(Errc::kOutOfRange, "nblocksincl {} is above 1000", n);
                     VENUS_TRY(auto premium, api->gas->estimate_gas_premium(n, sender, gl, key));
                     return chain::to_raw_json(premium);
                 }),
                 "a gas premium to be included within n blocks"});

    m.push_back({"Filecoin.GasEstimateFeeCap", Perm::kRead, Exec::kWorker, 3, 3,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto msg, chain::json_param<chain::Message>(p, 0, "Message"));
                     VENUS_TRY(auto blocks, rpc::param_int(p, 1));
                     VENUS_TRY(auto key, param_tsk(p, 2));
                     if (blocks < 0 || blocks > 1000) return make_error(Errc::kOutOfRange, "maxqueueblks must be 0..1000");
                     VENUS_TRY(auto cap, api->gas->estimate_fee_cap(msg, blocks, key));
                     return chain::to_raw_json(cap);
                 }),
                 "a fee cap that survives base fee growth for maxqueueblks blocks"});

    m.push_back({"Filecoin.GasEstimateMessageGas", Perm::kRead, Exec::kWorker, 3, 3,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto msg, chain::json_param<chain::Message>(p, 0, "Message"));
                     VENUS_TRY(auto spec, parse_send_spec(p[1]));
                     VENUS_TRY(auto key, param_tsk(p, 2));
                     VENUS_TRY(auto out, api->gas->estimate_message_gas(std::move(msg), spec, key));
                     return chain::to_raw_json(out);
                 }),
                 "fills GasLimit, GasPremium and GasFeeCap"});

    m.push_back({"Filecoin.GasBatchEstimateMessageGas", Perm::kRead, Exec::kWorker, 3, 3,
                 sync([api](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     if (!p[0].IsArray()) return make_error(Errc::kInvalidArgument, "param 0: expected [{{Msg, Spec}}]");
                     if (p[0].Size() > 10'000) return make_error(Errc::kOutOfRange, "param 0: at most 10000 messages");
                     std::vector<EstimateItem> items;
                     for (const auto& e : p[0].GetArray()) {
                         if (!e.IsObject()) return make_error(Errc::kInvalidArgument, "param 0: expected {{Msg, Spec}}");
                         EstimateItem item;
                         const auto* msg = chain::json_member(e, "Msg");
                         if (!msg) return make_error(Errc::kInvalidArgument, "param 0: Msg missing");
                         VENUS_TRY_VOID(chain::from_json(*msg, item.msg));
                         if (const auto* s = chain::json_member(e, "Spec")) {
                             VENUS_TRY(item.spec, parse_send_spec(*s));
                         }
                         items.push_back(std::move(item));
                     }
                     VENUS_TRY(auto from_nonce, rpc::param_uint(p, 1));
                     VENUS_TRY(auto key, param_tsk(p, 2));
                     VENUS_TRY(auto results, api->gas->batch_estimate(items, from_nonce, key));
                     return write_json([&](chain::JsonWriter& w) {
                         w.StartArray();
                         for (const auto& r : results) {
                             w.StartObject();
                             w.Key("Msg");
                             if (r.msg) {
                                 chain::to_json(w, *r.msg);
                             } else {
                                 w.Null();
                             }
                             w.Key("Err");
                             w.String(r.err.c_str());
                             w.EndObject();
                         }
                         w.EndArray();
                     });
                 }),
                 "estimates a run of messages from one sender with consecutive nonces (Venus)"});
    return m;
}

}  // namespace venus::plugins::node
