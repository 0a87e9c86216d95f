// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node_link.hpp"

#include <fmt/format.h>

#include <cmath>

#include "venus/chain/json.hpp"

namespace venus::plugins::messager {

namespace {

std::string tsk_json(const chain::TipSetKey& k) { return chain::to_json_string(k); }

Result<std::vector<std::pair<chain::Cid, chain::Message>>> cid_messages(const rpc::RawJson& r) {
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    std::vector<std::pair<chain::Cid, chain::Message>> out;
    if (doc.IsNull()) return out;
    if (!doc.IsArray()) return make_error(Errc::kInvalidArgument, "expected [{{Cid, Message}}]");
    out.reserve(doc.Size());
    for (const auto& e : doc.GetArray()) {
        const auto* c = chain::json_member(e, "Cid");
        const auto* m = chain::json_member(e, "Message");
        if (!c || !m) return make_error(Errc::kInvalidArgument, "expected {{Cid, Message}}");
        std::pair<chain::Cid, chain::Message> p;
        VENUS_TRY_VOID(chain::from_json(*c, p.first));
        VENUS_TRY_VOID(chain::from_json(*m, p.second));
        out.push_back(std::move(p));
    }
    return out;
}

Result<Receipt> receipt(const rpc::JsonValue& v) {
    chain::MessageReceipt r;
    VENUS_TRY_VOID(chain::from_json(v, r));
    return Receipt{r.exit_code, std::move(r.return_value), r.gas_used};
}

void write_spec(rpc::JsonOut& w, const chain::TokenAmount& max_fee, double over_est, double over_premium) {
    w.StartObject();
    rpc::write_key(w, "MaxFee");
    rpc::write_string(w, max_fee.to_string());
    rpc::write_key(w, "GasOverEstimation");
    w.Double(over_est);
    rpc::write_key(w, "GasOverPremium");
    w.Double(over_premium);
    w.EndObject();
}

}  // namespace

bool is_benign_push_error(std::string_view m) {
    return m.find("minimum expected nonce") != std::string_view::npos ||
           m.find("message with nonce already exists") != std::string_view::npos ||
           m.find("already in mpool") != std::string_view::npos;
}

Result<chain::TipSet> NodeLink::chain_head() {
    VENUS_TRY(auto r, call_("Filecoin.ChainHead", rpc::RawJson{"[]"}, timeout_));
    return chain::from_json_string<chain::TipSet>(r.text);
}

Result<chain::TipSet> NodeLink::tipset(const chain::TipSetKey& key) {
    VENUS_TRY(auto r, call_("Filecoin.ChainGetTipSet", rpc::RawJson{"[" + tsk_json(key) + "]"}, timeout_));
    return chain::from_json_string<chain::TipSet>(r.text);
}

Result<chain::TipSet> NodeLink::tipset_by_height(chain::ChainEpoch h, const chain::TipSetKey& from) {
    VENUS_TRY(auto r, call_("Filecoin.ChainGetTipSetByHeight", rpc::RawJson{fmt::format("[{}, {}]", h, tsk_json(from))},
                            timeout_));
    return chain::from_json_string<chain::TipSet>(r.text);
}

Result<std::optional<chain::Actor>> NodeLink::actor(const chain::Address& a, const chain::TipSetKey& key) {
    auto r = call_("Filecoin.StateGetActor", rpc::RawJson{fmt::format("[{}, {}]", chain::to_json_string(a), tsk_json(key))},
                   timeout_);
    if (!r) {
        if (r.error().message.find("actor not found") != std::string::npos) return std::optional<chain::Actor>{};
        return r.error();
    }
    if (r->text == "null") return std::optional<chain::Actor>{};
    VENUS_TRY(auto actor, chain::from_json_string<chain::Actor>(r->text));
    return std::optional<chain::Actor>(std::move(actor));
}

Result<chain::Address> NodeLink::account_key(const chain::Address& a) {
    VENUS_TRY(auto r, call_("Filecoin.StateAccountKey", rpc::RawJson{fmt::format("[{}, []]", chain::to_json_string(a))},
                            timeout_));
    return chain::from_json_string<chain::Address>(r.text);
}

Result<std::vector<std::pair<chain::Cid, chain::Message>>> NodeLink::tipset_messages(const chain::TipSetKey& key) {
    VENUS_TRY(auto r, call_("Filecoin.ChainGetMessagesInTipset", rpc::RawJson{"[" + tsk_json(key) + "]"}, timeout_));
    return cid_messages(r);
}

Result<std::vector<std::pair<chain::Cid, chain::Message>>> NodeLink::parent_messages(const chain::Cid& block) {
    VENUS_TRY(auto r, call_("Filecoin.ChainGetParentMessages",
                            rpc::RawJson{"[" + chain::to_json_string(block) + "]"}, timeout_));
    return cid_messages(r);
}

Result<std::vector<Receipt>> NodeLink::parent_receipts(const chain::Cid& block) {
    VENUS_TRY(auto r, call_("Filecoin.ChainGetParentReceipts",
                            rpc::RawJson{"[" + chain::to_json_string(block) + "]"}, timeout_));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    std::vector<Receipt> out;
    if (doc.IsNull()) return out;
    if (!doc.IsArray()) return make_error(Errc::kInvalidArgument, "ChainGetParentReceipts: expected an array");
    for (const auto& e : doc.GetArray()) {
        VENUS_TRY(auto rc, receipt(e));
        out.push_back(std::move(rc));
    }
    return out;
}

Result<std::vector<EstimateResult>> NodeLink::batch_estimate(const std::vector<EstimateItem>& items,
                                                             std::uint64_t from_nonce, const chain::TipSetKey& key,
                                                             std::chrono::milliseconds timeout) {
    rpc::JsonBuilder b;
    auto& w = b.out();
    w.StartArray();
    w.StartArray();
    for (const auto& it : items) {
        w.StartObject();
        rpc::write_key(w, "Msg");
        chain::to_json(w, it.msg);
        rpc::write_key(w, "Spec");
        write_spec(w, it.max_fee, it.gas_over_estimation, it.gas_over_premium);
        w.EndObject();
    }
    w.EndArray();
    w.Uint64(from_nonce);
    rpc::write_raw(w, rpc::RawJson{tsk_json(key)});
    w.EndArray();
    VENUS_TRY(auto r, call_("Filecoin.GasBatchEstimateMessageGas", b.take(), timeout));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    if (!doc.IsArray() || doc.Size() != items.size()) {
        return make_error(Errc::kInvalidArgument, "GasBatchEstimateMessageGas: expected {} results", items.size());
    }
    std::vector<EstimateResult> out(items.size());
    for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
        const auto& e = doc[i];
        if (const auto* err = chain::json_member(e, "Err"); err && err->IsString()) out[i].err = err->GetString();
        const auto* m = chain::json_member(e, "Msg");
        if (m && !m->IsNull() && out[i].err.empty()) {
            chain::Message msg;
            VENUS_TRY_VOID(chain::from_json(*m, msg));
            out[i].msg = std::move(msg);
        } else if (out[i].err.empty()) {
            out[i].err = "no estimate returned";
        }
    }
    return out;
}

Result<chain::Message> NodeLink::estimate_message_gas(const chain::Message& m, const chain::TokenAmount& max_fee,
                                                      double gas_over_premium) {
    rpc::JsonBuilder b;
    auto& w = b.out();
    w.StartArray();
    chain::to_json(w, m);
    write_spec(w, max_fee, 0, gas_over_premium);
    w.StartArray();
    w.EndArray();
    w.EndArray();
    VENUS_TRY(auto r, call_("Filecoin.GasEstimateMessageGas", b.take(), timeout_));
    return chain::from_json_string<chain::Message>(r.text);
}

Status NodeLink::push_untrusted(const chain::SignedMessage& m) {
    VENUS_TRY_VOID(call_("Filecoin.MpoolPushUntrusted", rpc::RawJson{"[" + chain::to_json_string(m) + "]"}, timeout_));
    return {};
}

Status NodeLink::batch_push_untrusted(const std::vector<chain::SignedMessage>& msgs) {
    rpc::JsonBuilder b;
    auto& w = b.out();
    w.StartArray();
    w.StartArray();
    for (const auto& m : msgs) chain::to_json(w, m);
    w.EndArray();
    w.EndArray();
    VENUS_TRY_VOID(call_("Filecoin.MpoolBatchPushUntrusted", b.take(), timeout_));
    return {};
}

Result<std::optional<Lookup>> NodeLink::search(const chain::Cid& cid) {
    VENUS_TRY(auto r, call_("Filecoin.StateSearchMsg",
                            rpc::RawJson{fmt::format("[[], {}, -1, true]", chain::to_json_string(cid))}, timeout_));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    if (doc.IsNull()) return std::optional<Lookup>{};
    Lookup l;
    const auto* msg = chain::json_member(doc, "Message");
    const auto* rct = chain::json_member(doc, "Receipt");
    const auto* ts = chain::json_member(doc, "TipSet");
    const auto* h = chain::json_member(doc, "Height");
    if (!msg || !rct || !ts || !h || !h->IsInt64()) return make_error(Errc::kInvalidArgument, "StateSearchMsg: bad MsgLookup");
    VENUS_TRY_VOID(chain::from_json(*msg, l.message));
    VENUS_TRY(l.receipt, receipt(*rct));
    chain::TipSetKey key;
    VENUS_TRY_VOID(chain::from_json(*ts, key));
    l.tipset_key = tsk_json(key);
    l.height = h->GetInt64();
    return std::optional<Lookup>(std::move(l));
}

Result<std::int64_t> NodeLink::replace_by_fee_percent() {
    VENUS_TRY(auto r, call_("Filecoin.MpoolGetConfig", rpc::RawJson{"[]"}, timeout_));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    const auto* v = chain::json_member(doc, "ReplaceByFeeRatio");
    std::int64_t pct = 110;
    if (v && v->IsNumber()) {
        const double d = v->GetDouble();
        // Lotus's types.Percent is an integer percentage; some builds report a ratio.
        pct = d < 10 ? static_cast<std::int64_t>(std::llround(d * 100)) : static_cast<std::int64_t>(std::llround(d));
    }
    return std::max<std::int64_t>(pct, 110);
}

Result<std::uint64_t> NodeLink::block_delay_secs() {
    VENUS_TRY(auto r, call_("Filecoin.StateGetNetworkParams", rpc::RawJson{"[]"}, timeout_));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    const auto* d = chain::json_member(doc, "BlockDelaySecs");
    if (!d || !d->IsUint64() || d->GetUint64() == 0) {
        return make_error(Errc::kInvalidArgument, "StateGetNetworkParams: no BlockDelaySecs");
    }
    return d->GetUint64();
}

}  // namespace venus::plugins::messager
