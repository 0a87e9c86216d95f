// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "types.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>

#include "venus/chain/json.hpp"

namespace venus::plugins::messager {

std::string_view to_string(MsgState s) {
    switch (s) {
        case MsgState::kUnknown: return "UnKnown";
        case MsgState::kUnFill: return "UnFillMsg";
        case MsgState::kFill: return "FillMsg";
        case MsgState::kOnChain: return "OnChainMsg";
        case MsgState::kFailed: return "Failed";
        case MsgState::kNonceConflict: return "NonceConflictMsg";
    }
    return "UnKnown";
}

Result<MsgState> parse_state(std::int64_t v) {
    if (v < 1 || v > 5) {
        return make_error(Errc::kInvalidArgument,
                          "unknown message state {} (1 UnFillMsg, 2 FillMsg, 3 OnChainMsg, 4 FailedMsg, "
                          "5 NonceConflictMsg)",
                          v);
    }
    return static_cast<MsgState>(v);
}

std::string_view to_string(AddrState s) {
    switch (s) {
        case AddrState::kAlive: return "Alive";
        case AddrState::kRemoving: return "Removing";
        case AddrState::kRemoved: return "Removed";
        case AddrState::kForbidden: return "Forbbiden";  // sic, as the original prints it
    }
    return "Unknown";
}

SharedParams SharedParams::defaults() {
    SharedParams p;
    p.sel_msg_num = 20;
    p.fee.gas_over_estimation = 1.25;
    p.fee.max_fee = chain::BigInt::from_string("70000000000000000").value();
    return p;
}

std::int64_t now_us() {
    // Strictly increasing within the process, so "newest first" never ties for rows pushed in the
    // same microsecond (the bench pushes thousands per second).
    static std::atomic<std::int64_t> last{0};
    const auto t = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    auto prev = last.load();
    while (true) {
        const auto next = std::max(t, prev + 1);
        if (last.compare_exchange_weak(prev, next)) return next;
    }
}

std::string rfc3339(std::int64_t unix_us) {
    const std::time_t secs = static_cast<std::time_t>(unix_us / 1'000'000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, unix_us % 1'000'000);
}

namespace {

void big(rpc::JsonOut& w, std::string_view key, const chain::BigInt& v) {
    rpc::write_key(w, key);
    rpc::write_string(w, v.to_string());
}

void fee_fields(rpc::JsonOut& w, const FeeSpec& f) {
    rpc::write_key(w, "gasOverEstimation");
    w.Double(f.gas_over_estimation);
    big(w, "maxFee", f.max_fee);
    big(w, "gasFeeCap", f.gas_fee_cap);
    rpc::write_key(w, "gasOverPremium");
    w.Double(f.gas_over_premium);
    big(w, "baseFee", f.base_fee);
}

void cid_or_null(rpc::JsonOut& w, std::string_view key, const std::optional<chain::Cid>& c) {
    rpc::write_key(w, key);
    if (c) {
        chain::to_json(w, *c);
    } else {
        w.Null();
    }
}

Result<double> number(const rpc::JsonValue& obj, std::string_view key, double base) {
    const auto* v = chain::json_member(obj, key);
    if (!v || v->IsNull()) return base;
    if (!v->IsNumber()) return make_error(Errc::kInvalidArgument, "{} must be a number", key);
    const double d = v->GetDouble();
    if (!std::isfinite(d) || d < 0 || d > 1000) return make_error(Errc::kInvalidArgument, "{} must be between 0 and 1000", key);
    return d;
}

// Big ints as JSON strings (or numbers from lenient clients); negative values are refused.
Result<chain::BigInt> amount(const rpc::JsonValue& obj, std::string_view key, chain::BigInt base) {
    const auto* v = chain::json_member(obj, key);
    if (!v || v->IsNull()) return base;
    chain::BigInt out;
    if (v->IsString()) {
        if (v->GetStringLength() == 0) return base;  // AddressSpec: empty = unchanged
        VENUS_TRY(out, chain::BigInt::from_string(std::string_view(v->GetString(), v->GetStringLength())));
    } else if (v->IsUint64()) {
        out = chain::BigInt::from_u64(v->GetUint64());
    } else if (v->IsInt64()) {
        out = chain::BigInt(v->GetInt64());
    } else {
        return make_error(Errc::kInvalidArgument, "{} must be an attoFIL amount string", key);
    }
    if (out.sign() < 0) return make_error(Errc::kInvalidArgument, "{} cannot be negative", key);
    return out;
}

}  // namespace

void write_message(rpc::JsonOut& w, const Message& m, std::int64_t head_height) {
    w.StartObject();
    rpc::write_key(w, "ID");
    rpc::write_string(w, m.id);
    cid_or_null(w, "UnsignedCid", m.unsigned_cid);
    cid_or_null(w, "SignedCid", m.signed_cid);
    rpc::write_key(w, "Version");
    w.Uint64(m.msg.version);
    rpc::write_key(w, "To");
    chain::to_json(w, m.msg.to);
    rpc::write_key(w, "From");
    chain::to_json(w, m.msg.from);
    rpc::write_key(w, "Nonce");
    w.Uint64(m.msg.nonce);
    big(w, "Value", m.msg.value);
    rpc::write_key(w, "GasLimit");
    w.Int64(m.msg.gas_limit);
    big(w, "GasFeeCap", m.msg.gas_fee_cap);
    big(w, "GasPremium", m.msg.gas_premium);
    rpc::write_key(w, "Method");
    w.Uint64(m.msg.method);
    rpc::write_key(w, "Params");
    if (m.msg.params.empty()) {
        w.Null();
    } else {
        rpc::write_string(w, to_base64(m.msg.params));
    }
    rpc::write_key(w, "Signature");
    if (m.signature) {
        chain::to_json(w, *m.signature);
    } else {
        w.Null();
    }
    rpc::write_key(w, "Height");
    w.Int64(m.height);
    rpc::write_key(w, "Confidence");
    const bool landed = m.state == MsgState::kOnChain || m.state == MsgState::kNonceConflict;
    w.Int64(landed && head_height >= m.height ? head_height - m.height : 0);
    rpc::write_key(w, "Receipt");
    if (landed) {
        w.StartObject();
        rpc::write_key(w, "ExitCode");
        w.Int64(m.receipt.exit_code);
        rpc::write_key(w, "Return");
        if (m.receipt.return_value.empty()) {
            w.Null();
        } else {
            rpc::write_string(w, to_base64(m.receipt.return_value));
        }
        rpc::write_key(w, "GasUsed");
        w.Int64(m.receipt.gas_used);
        rpc::write_key(w, "EventsRoot");
        w.Null();
        w.EndObject();
    } else {
        w.Null();
    }
    rpc::write_key(w, "TipSetKey");
    if (m.tipset_key.empty()) {
        w.StartArray();
        w.EndArray();
    } else {
        rpc::write_raw(w, rpc::RawJson{m.tipset_key});
    }
    rpc::write_key(w, "Meta");
    w.StartObject();
    rpc::write_key(w, "expireEpoch");
    w.Int64(m.meta.expire_epoch);
    rpc::write_key(w, "gasOverEstimation");
    w.Double(m.meta.gas_over_estimation);
    big(w, "maxFee", m.meta.max_fee);
    rpc::write_key(w, "gasOverPremium");
    w.Double(m.meta.gas_over_premium);
    w.EndObject();
    rpc::write_key(w, "WalletName");
    rpc::write_string(w, m.wallet_name);
    rpc::write_key(w, "State");
    w.Int(static_cast<int>(m.state));
    rpc::write_key(w, "ErrorMsg");
    rpc::write_string(w, m.error_msg);
    rpc::write_key(w, "CreatedAt");
    rpc::write_string(w, rfc3339(m.created_at));
    rpc::write_key(w, "UpdatedAt");
    rpc::write_string(w, rfc3339(m.updated_at));
    w.EndObject();
}

void write_address(rpc::JsonOut& w, const Address& a) {
    w.StartObject();
    rpc::write_key(w, "id");
    rpc::write_string(w, a.id);
    rpc::write_key(w, "addr");
    chain::to_json(w, a.addr);
    rpc::write_key(w, "nonce");
    w.Uint64(a.nonce);
    rpc::write_key(w, "weight");
    w.Int64(a.weight);
    rpc::write_key(w, "state");
    w.Int(static_cast<int>(a.state));
    rpc::write_key(w, "selMsgNum");
    w.Uint64(a.sel_msg_num);
    fee_fields(w, a.fee);
    rpc::write_key(w, "isDeleted");
    w.Int(a.is_deleted ? 1 : -1);
    rpc::write_key(w, "createAt");
    rpc::write_string(w, rfc3339(a.created_at));
    rpc::write_key(w, "updateAt");
    rpc::write_string(w, rfc3339(a.updated_at));
    w.EndObject();
}

void write_shared(rpc::JsonOut& w, const SharedParams& s) {
    w.StartObject();
    rpc::write_key(w, "id");
    w.Int(1);
    rpc::write_key(w, "selMsgNum");
    w.Uint64(s.sel_msg_num);
    fee_fields(w, s.fee);
    w.EndObject();
}

void write_node(rpc::JsonOut& w, const Node& n) {
    w.StartObject();
    rpc::write_key(w, "id");
    rpc::write_string(w, n.id);
    rpc::write_key(w, "name");
    rpc::write_string(w, n.name);
    rpc::write_key(w, "url");
    rpc::write_string(w, n.url);
    rpc::write_key(w, "token");
    rpc::write_string(w, n.token);
    rpc::write_key(w, "type");
    w.Int(n.node_type);
    rpc::write_key(w, "createdAt");
    rpc::write_string(w, rfc3339(n.created_at));
    rpc::write_key(w, "updatedAt");
    rpc::write_string(w, rfc3339(n.updated_at));
    w.EndObject();
}

void write_actor_cfg(rpc::JsonOut& w, const ActorCfg& c) {
    w.StartObject();
    rpc::write_key(w, "id");
    rpc::write_string(w, c.id);
    rpc::write_key(w, "actorVersion");
    w.Int64(c.actor_version);
    rpc::write_key(w, "code");
    w.StartObject();
    rpc::write_key(w, "/");
    rpc::write_string(w, c.code);
    w.EndObject();
    rpc::write_key(w, "method");
    w.Uint64(c.method);
    fee_fields(w, c.fee);
    rpc::write_key(w, "createdAt");
    rpc::write_string(w, rfc3339(c.created_at));
    rpc::write_key(w, "updatedAt");
    rpc::write_string(w, rfc3339(c.updated_at));
    w.EndObject();
}

Result<SendSpec> parse_send_spec(const rpc::JsonValue& v) {
    SendSpec s;
    if (v.IsNull()) return s;
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "SendSpec must be an object or null");
    if (const auto* e = chain::json_member(v, "expireEpoch"); e && !e->IsNull()) {
        if (!e->IsInt64()) return make_error(Errc::kInvalidArgument, "expireEpoch must be an integer");
        s.expire_epoch = e->GetInt64();
    }
    VENUS_TRY(s.gas_over_estimation, number(v, "gasOverEstimation", 0));
    VENUS_TRY(s.gas_over_premium, number(v, "gasOverPremium", 0));
    VENUS_TRY(s.max_fee, amount(v, "maxFee", {}));
    return s;
}

Result<FeeSpec> parse_fee_spec(const rpc::JsonValue& v, FeeSpec base) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "fee params must be an object");
    FeeSpec f = std::move(base);
    VENUS_TRY(f.gas_over_estimation, number(v, "gasOverEstimation", f.gas_over_estimation));
    VENUS_TRY(f.gas_over_premium, number(v, "gasOverPremium", f.gas_over_premium));
    for (const auto& [key, field] : {std::pair{"maxFee", &FeeSpec::max_fee}, std::pair{"gasFeeCap", &FeeSpec::gas_fee_cap},
                                     std::pair{"baseFee", &FeeSpec::base_fee}}) {
        VENUS_TRY(f.*field, amount(v, key, f.*field));
        VENUS_TRY(f.*field, amount(v, std::string(key) + "Str", f.*field));
    }
    return f;
}

Result<SharedParams> parse_shared(const rpc::JsonValue& v, SharedParams base) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "SharedSpec must be an object");
    SharedParams s = std::move(base);
    if (const auto* n = chain::json_member(v, "selMsgNum"); n && !n->IsNull()) {
        if (!n->IsUint64()) return make_error(Errc::kInvalidArgument, "selMsgNum must be a non-negative integer");
        s.sel_msg_num = n->GetUint64();
    }
    VENUS_TRY(s.fee, parse_fee_spec(v, s.fee));
    return s;
}

}  // namespace venus::plugins::messager
