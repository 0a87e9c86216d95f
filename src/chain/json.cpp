// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/json.hpp"

#include <cctype>

#include <rapidjson/error/en.h>

namespace venus::chain {
namespace {

Error json_error(std::string_view field, std::string_view what) {
    return make_error(Errc::kInvalidArgument, "json: {}: {}", field, what);
}

void write_key(JsonWriter& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }

void write_bytes(JsonWriter& w, BytesView b) {
    if (b.empty()) {
        w.Null();
        return;
    }
    const std::string s = to_base64(b);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_string(JsonWriter& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

template <typename T>
void write_optional(JsonWriter& w, const std::optional<T>& v) {
    if (v) {
        to_json(w, *v);
    } else {
        w.Null();
    }
}

template <typename T>
void write_array_or_null(JsonWriter& w, const std::vector<T>& v) {
    if (v.empty()) {  // cbor-gen leaves empty slices nil, and Go marshals nil slices as null
        w.Null();
        return;
    }
    w.StartArray();
    for (const auto& x : v) to_json(w, x);
    w.EndArray();
}

// ---- readers ------------------------------------------------------------------------------------

Status read_u64(const JsonValue* v, std::string_view field, std::uint64_t& out) {
    if (v == nullptr || v->IsNull()) return {};
    if (!v->IsUint64()) return json_error(field, "expected an unsigned 64-bit integer");
    out = v->GetUint64();
    return {};
}

Status read_i64(const JsonValue* v, std::string_view field, std::int64_t& out) {
    if (v == nullptr || v->IsNull()) return {};
    if (!v->IsInt64()) return json_error(field, "expected a signed 64-bit integer");
    out = v->GetInt64();
    return {};
}

Status read_bytes(const JsonValue* v, std::string_view field, Bytes& out) {
    if (v == nullptr || v->IsNull()) {
        out.clear();
        return {};
    }
    if (!v->IsString()) return json_error(field, "expected a base64 string");
    auto d = from_base64(std::string_view(v->GetString(), v->GetStringLength()));
    if (!d) return json_error(field, d.error().message);
    out = std::move(*d);
    return {};
}

template <typename T>
Status read_field(const JsonValue* v, std::string_view field, T& out) {
    if (v == nullptr) return {};
    auto s = from_json(*v, out);
    if (!s) return std::move(s).error().wrap(field);
    return {};
}

template <typename T>
Status read_optional(const JsonValue* v, std::string_view field, std::optional<T>& out) {
    if (v == nullptr || v->IsNull()) {
        out.reset();
        return {};
    }
    T x{};
    VENUS_TRY_VOID(read_field(v, field, x));
    out = std::move(x);
    return {};
}

template <typename T>
Status read_array(const JsonValue* v, std::string_view field, std::vector<T>& out) {
    out.clear();
    if (v == nullptr || v->IsNull()) return {};
    if (!v->IsArray()) return json_error(field, "expected an array");
    if (v->Size() > kMaxArrayLen) return json_error(field, "array too long");
    out.reserve(v->Size());
    for (const auto& e : v->GetArray()) {
        T x{};
        VENUS_TRY_VOID(read_field(&e, field, x));
        out.push_back(std::move(x));
    }
    return {};
}

Status expect_object(const JsonValue& v, std::string_view type) {
    if (!v.IsObject()) return json_error(type, "expected an object");
    return {};
}

}  // namespace

Result<rapidjson::Document> parse_json(std::string_view text, std::size_t max_bytes) {
    if (text.size() > max_bytes) return make_error(Errc::kOutOfRange, "json: input of {} bytes is too large", text.size());
    rapidjson::Document doc;
    // Iterative parsing: nesting depth cannot exhaust the stack. Trailing garbage is an error.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (doc.HasParseError()) {
        return make_error(Errc::kInvalidArgument, "json: {} at offset {}", rapidjson::GetParseError_En(doc.GetParseError()),
                          doc.GetErrorOffset());
    }
    return doc;
}

const JsonValue* json_member(const JsonValue& obj, std::string_view key) {
    if (!obj.IsObject()) return nullptr;
    const JsonValue* folded = nullptr;
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (name == key) return &it->value;
        if (folded == nullptr && name.size() == key.size()) {
            bool eq = true;
            for (std::size_t i = 0; i < key.size() && eq; ++i) {
                eq = std::tolower(static_cast<unsigned char>(name[i])) == std::tolower(static_cast<unsigned char>(key[i]));
            }
            if (eq) folded = &it->value;
        }
    }
    return folded;
}

// ---- primitives ---------------------------------------------------------------------------------

void to_json(JsonWriter& w, const Cid& c) {
    if (!c.defined()) {
        w.Null();
        return;
    }
    w.StartObject();
    write_key(w, "/");
    write_string(w, c.to_string());
    w.EndObject();
}

Status from_json(const JsonValue& v, Cid& out) {
    if (v.IsNull()) {
        out = Cid{};
        return {};
    }
    const JsonValue* s = v.IsObject() ? json_member(v, "/") : nullptr;
    if (s == nullptr || !s->IsString()) return json_error("cid", "expected {\"/\": \"<cid>\"}");
    auto c = Cid::parse(std::string_view(s->GetString(), s->GetStringLength()));
    if (!c) return c.error();
    out = std::move(*c);
    return {};
}

void to_json(JsonWriter& w, const Address& a) { write_string(w, a.to_string()); }

Status from_json(const JsonValue& v, Address& out) {
    if (!v.IsString()) return json_error("address", "expected a string");
    auto a = Address::parse(std::string_view(v.GetString(), v.GetStringLength()));
    if (!a) return a.error();
    out = *a;
    return {};
}

void to_json(JsonWriter& w, const BigInt& v) { write_string(w, v.to_string()); }

Status from_json(const JsonValue& v, BigInt& out) {
    if (!v.IsString()) return json_error("bigint", "expected a decimal string");
    auto b = BigInt::from_string(std::string_view(v.GetString(), v.GetStringLength()));
    if (!b) return b.error();
    out = std::move(*b);
    return {};
}

void to_json(JsonWriter& w, const Signature& s) {
    w.StartObject();
    write_key(w, "Type");
    w.Uint(static_cast<unsigned>(s.type));
    write_key(w, "Data");
    // Decoded signatures always carry a (possibly empty) non-nil slice in Go: never null.
    const std::string d = to_base64(s.data);
    write_string(w, d);
    w.EndObject();
}

Status from_json(const JsonValue& v, Signature& out) {
    VENUS_TRY_VOID(expect_object(v, "Signature"));
    std::uint64_t type = 0;
    VENUS_TRY_VOID(read_u64(json_member(v, "Type"), "Signature.Type", type));
    if (type < 1 || type > 3) return json_error("Signature.Type", fmt::format("unknown signature type {}", type));
    out.type = static_cast<SigType>(type);
    return read_bytes(json_member(v, "Data"), "Signature.Data", out.data);
}

// ---- messages -----------------------------------------------------------------------------------

namespace {
void message_fields(JsonWriter& w, const Message& m) {
    write_key(w, "Version");
    w.Uint64(m.version);
    write_key(w, "To");
    to_json(w, m.to);
    write_key(w, "From");
    to_json(w, m.from);
    write_key(w, "Nonce");
    w.Uint64(m.nonce);
    write_key(w, "Value");
    to_json(w, m.value);
    write_key(w, "GasLimit");
    w.Int64(m.gas_limit);
    write_key(w, "GasFeeCap");
    to_json(w, m.gas_fee_cap);
    write_key(w, "GasPremium");
    to_json(w, m.gas_premium);
    write_key(w, "Method");
    w.Uint64(m.method);
    write_key(w, "Params");
    write_bytes(w, m.params);
}
}  // namespace

void to_json(JsonWriter& w, const Message& m) {
    w.StartObject();
    message_fields(w, m);
    write_key(w, "CID");
    auto c = m.cid();
    to_json(w, c ? *c : Cid{});
    w.EndObject();
}

Status from_json(const JsonValue& v, Message& m) {
    VENUS_TRY_VOID(expect_object(v, "Message"));
    m = Message{};
    VENUS_TRY_VOID(read_u64(json_member(v, "Version"), "Version", m.version));
    VENUS_TRY_VOID(read_field(json_member(v, "To"), "To", m.to));
    VENUS_TRY_VOID(read_field(json_member(v, "From"), "From", m.from));
    VENUS_TRY_VOID(read_u64(json_member(v, "Nonce"), "Nonce", m.nonce));
    VENUS_TRY_VOID(read_field(json_member(v, "Value"), "Value", m.value));
    VENUS_TRY_VOID(read_i64(json_member(v, "GasLimit"), "GasLimit", m.gas_limit));
    VENUS_TRY_VOID(read_field(json_member(v, "GasFeeCap"), "GasFeeCap", m.gas_fee_cap));
    VENUS_TRY_VOID(read_field(json_member(v, "GasPremium"), "GasPremium", m.gas_premium));
    VENUS_TRY_VOID(read_u64(json_member(v, "Method"), "Method", m.method));
    return read_bytes(json_member(v, "Params"), "Params", m.params);
}

void to_json(JsonWriter& w, const SignedMessage& m) {
    w.StartObject();
    write_key(w, "Message");
    to_json(w, m.message);
    write_key(w, "Signature");
    to_json(w, m.signature);
    write_key(w, "CID");
    auto c = m.cid();
    to_json(w, c ? *c : Cid{});
    w.EndObject();
}

Status from_json(const JsonValue& v, SignedMessage& m) {
    VENUS_TRY_VOID(expect_object(v, "SignedMessage"));
    VENUS_TRY_VOID(read_field(json_member(v, "Message"), "Message", m.message));
    return read_field(json_member(v, "Signature"), "Signature", m.signature);
}

// ---- block header -------------------------------------------------------------------------------

void to_json(JsonWriter& w, const Ticket& t) {
    w.StartObject();
    write_key(w, "VRFProof");
    write_bytes(w, t.vrf_proof);
    w.EndObject();
}

Status from_json(const JsonValue& v, Ticket& t) {
    VENUS_TRY_VOID(expect_object(v, "Ticket"));
    return read_bytes(json_member(v, "VRFProof"), "VRFProof", t.vrf_proof);
}

void to_json(JsonWriter& w, const ElectionProof& e) {
    w.StartObject();
    write_key(w, "WinCount");
    w.Int64(e.win_count);
    write_key(w, "VRFProof");
    write_bytes(w, e.vrf_proof);
    w.EndObject();
}

Status from_json(const JsonValue& v, ElectionProof& e) {
    VENUS_TRY_VOID(expect_object(v, "ElectionProof"));
    VENUS_TRY_VOID(read_i64(json_member(v, "WinCount"), "WinCount", e.win_count));
    return read_bytes(json_member(v, "VRFProof"), "VRFProof", e.vrf_proof);
}

void to_json(JsonWriter& w, const BeaconEntry& b) {
    w.StartObject();
    write_key(w, "Round");
    w.Uint64(b.round);
    write_key(w, "Data");
    write_bytes(w, b.data);
    w.EndObject();
}

Status from_json(const JsonValue& v, BeaconEntry& b) {
    VENUS_TRY_VOID(expect_object(v, "BeaconEntry"));
    VENUS_TRY_VOID(read_u64(json_member(v, "Round"), "Round", b.round));
    return read_bytes(json_member(v, "Data"), "Data", b.data);
}

void to_json(JsonWriter& w, const PoStProof& p) {
    w.StartObject();
    write_key(w, "PoStProof");
    w.Int64(p.post_proof);
    write_key(w, "ProofBytes");
    write_bytes(w, p.proof_bytes);
    w.EndObject();
}

Status from_json(const JsonValue& v, PoStProof& p) {
    VENUS_TRY_VOID(expect_object(v, "PoStProof"));
    VENUS_TRY_VOID(read_i64(json_member(v, "PoStProof"), "PoStProof", p.post_proof));
    return read_bytes(json_member(v, "ProofBytes"), "ProofBytes", p.proof_bytes);
}

void to_json(JsonWriter& w, const BlockHeader& h) {
    w.StartObject();
    write_key(w, "Miner");
    to_json(w, h.miner);
    write_key(w, "Ticket");
    write_optional(w, h.ticket);
    write_key(w, "ElectionProof");
    write_optional(w, h.election_proof);
    write_key(w, "BeaconEntries");
    write_array_or_null(w, h.beacon_entries);
    write_key(w, "WinPoStProof");
    write_array_or_null(w, h.win_post_proof);
    write_key(w, "Parents");
    write_array_or_null(w, h.parents);
    write_key(w, "ParentWeight");
    to_json(w, h.parent_weight);
    write_key(w, "Height");
    w.Int64(h.height);
    write_key(w, "ParentStateRoot");
    to_json(w, h.parent_state_root);
    write_key(w, "ParentMessageReceipts");
    to_json(w, h.parent_message_receipts);
    write_key(w, "Messages");
    to_json(w, h.messages);
    write_key(w, "BLSAggregate");
    write_optional(w, h.bls_aggregate);
    write_key(w, "Timestamp");
    w.Uint64(h.timestamp);
    write_key(w, "BlockSig");
    write_optional(w, h.block_sig);
    write_key(w, "ForkSignaling");
    w.Uint64(h.fork_signaling);
    write_key(w, "ParentBaseFee");
    to_json(w, h.parent_base_fee);
    w.EndObject();
}

Status from_json(const JsonValue& v, BlockHeader& h) {
    VENUS_TRY_VOID(expect_object(v, "BlockHeader"));
    h = BlockHeader{};
    VENUS_TRY_VOID(read_field(json_member(v, "Miner"), "Miner", h.miner));
    VENUS_TRY_VOID(read_optional(json_member(v, "Ticket"), "Ticket", h.ticket));
    VENUS_TRY_VOID(read_optional(json_member(v, "ElectionProof"), "ElectionProof", h.election_proof));
    VENUS_TRY_VOID(read_array(json_member(v, "BeaconEntries"), "BeaconEntries", h.beacon_entries));
    VENUS_TRY_VOID(read_array(json_member(v, "WinPoStProof"), "WinPoStProof", h.win_post_proof));
    VENUS_TRY_VOID(read_array(json_member(v, "Parents"), "Parents", h.parents));
    VENUS_TRY_VOID(read_field(json_member(v, "ParentWeight"), "ParentWeight", h.parent_weight));
    VENUS_TRY_VOID(read_i64(json_member(v, "Height"), "Height", h.height));
    VENUS_TRY_VOID(read_field(json_member(v, "ParentStateRoot"), "ParentStateRoot", h.parent_state_root));
    VENUS_TRY_VOID(read_field(json_member(v, "ParentMessageReceipts"), "ParentMessageReceipts", h.parent_message_receipts));
    VENUS_TRY_VOID(read_field(json_member(v, "Messages"), "Messages", h.messages));
    VENUS_TRY_VOID(read_optional(json_member(v, "BLSAggregate"), "BLSAggregate", h.bls_aggregate));
    VENUS_TRY_VOID(read_u64(json_member(v, "Timestamp"), "Timestamp", h.timestamp));
    VENUS_TRY_VOID(read_optional(json_member(v, "BlockSig"), "BlockSig", h.block_sig));
    VENUS_TRY_VOID(read_u64(json_member(v, "ForkSignaling"), "ForkSignaling", h.fork_signaling));
    return read_field(json_member(v, "ParentBaseFee"), "ParentBaseFee", h.parent_base_fee);
}

// ---- other structures ---------------------------------------------------------------------------

void to_json(JsonWriter& w, const MsgMeta& m) {
    w.StartObject();
    write_key(w, "BlsMessages");
    to_json(w, m.bls_messages);
    write_key(w, "SecpkMessages");
    to_json(w, m.secpk_messages);
    w.EndObject();
}

Status from_json(const JsonValue& v, MsgMeta& m) {
    VENUS_TRY_VOID(expect_object(v, "MsgMeta"));
    VENUS_TRY_VOID(read_field(json_member(v, "BlsMessages"), "BlsMessages", m.bls_messages));
    return read_field(json_member(v, "SecpkMessages"), "SecpkMessages", m.secpk_messages);
}

void to_json(JsonWriter& w, const MessageReceipt& r) {
    w.StartObject();
    write_key(w, "ExitCode");
    w.Int64(r.exit_code);
    write_key(w, "Return");
    write_bytes(w, r.return_value);
    write_key(w, "GasUsed");
    w.Int64(r.gas_used);
    write_key(w, "EventsRoot");
    write_optional(w, r.events_root);
    w.EndObject();
}

Status from_json(const JsonValue& v, MessageReceipt& r) {
    VENUS_TRY_VOID(expect_object(v, "MessageReceipt"));
    VENUS_TRY_VOID(read_i64(json_member(v, "ExitCode"), "ExitCode", r.exit_code));
    VENUS_TRY_VOID(read_bytes(json_member(v, "Return"), "Return", r.return_value));
    VENUS_TRY_VOID(read_i64(json_member(v, "GasUsed"), "GasUsed", r.gas_used));
    return read_optional(json_member(v, "EventsRoot"), "EventsRoot", r.events_root);
}

void to_json(JsonWriter& w, const Actor& a) {
    w.StartObject();
    write_key(w, "Code");
    to_json(w, a.code);
    write_key(w, "Head");
    to_json(w, a.head);
    write_key(w, "Nonce");
    w.Uint64(a.nonce);
    write_key(w, "Balance");
    to_json(w, a.balance);
    if (a.version != 4) {
        write_key(w, "DelegatedAddress");
        write_optional(w, a.delegated_address);
    }
    w.EndObject();
}

Status from_json(const JsonValue& v, Actor& a) {
    VENUS_TRY_VOID(expect_object(v, "Actor"));
    VENUS_TRY_VOID(read_field(json_member(v, "Code"), "Code", a.code));
    VENUS_TRY_VOID(read_field(json_member(v, "Head"), "Head", a.head));
    VENUS_TRY_VOID(read_u64(json_member(v, "Nonce"), "Nonce", a.nonce));
    VENUS_TRY_VOID(read_field(json_member(v, "Balance"), "Balance", a.balance));
    const JsonValue* d = json_member(v, "DelegatedAddress");
    if (d == nullptr) d = json_member(v, "Address");  // older Lotus field name
    return read_optional(d, "DelegatedAddress", a.delegated_address);
}

void to_json(JsonWriter& w, const StateRoot& s) {
    w.StartObject();
    write_key(w, "Version");
    w.Uint64(s.version);
    write_key(w, "Actors");
    to_json(w, s.actors);
    write_key(w, "Info");
    to_json(w, s.info);
    w.EndObject();
}

Status from_json(const JsonValue& v, StateRoot& s) {
    VENUS_TRY_VOID(expect_object(v, "StateRoot"));
    VENUS_TRY_VOID(read_u64(json_member(v, "Version"), "Version", s.version));
    VENUS_TRY_VOID(read_field(json_member(v, "Actors"), "Actors", s.actors));
    return read_field(json_member(v, "Info"), "Info", s.info);
}

void to_json(JsonWriter& w, const TipSetKey& k) {
    w.StartArray();  // the empty key is [] (not null)
    for (const auto& c : k.cids()) to_json(w, c);
    w.EndArray();
}

Status from_json(const JsonValue& v, TipSetKey& k) {
    std::vector<Cid> cids;
    VENUS_TRY_VOID(read_array(&v, "TipSetKey", cids));
    k = TipSetKey(std::move(cids));
    return {};
}

void to_json(JsonWriter& w, const TipSet& t) {
    w.StartObject();
    write_key(w, "Cids");
    to_json(w, t.key());
    write_key(w, "Blocks");
    w.StartArray();
    for (const auto& b : t.blocks()) to_json(w, b);
    w.EndArray();
    write_key(w, "Height");
    w.Int64(t.height());
    w.EndObject();
}

Status from_json(const JsonValue& v, TipSet& t) {
    VENUS_TRY_VOID(expect_object(v, "TipSet"));
    std::vector<BlockHeader> blocks;
    VENUS_TRY_VOID(read_array(json_member(v, "Blocks"), "Blocks", blocks));
    VENUS_TRY(TipSet ts, TipSet::create(std::move(blocks)));
    t = std::move(ts);
    return {};
}

void to_json(JsonWriter& w, const BlockMsg& b) {
    w.StartObject();
    write_key(w, "Header");
    to_json(w, b.header);
    write_key(w, "BlsMessages");
    write_array_or_null(w, b.bls_messages);
    write_key(w, "SecpkMessages");
    write_array_or_null(w, b.secpk_messages);
    w.EndObject();
}

Status from_json(const JsonValue& v, BlockMsg& b) {
    VENUS_TRY_VOID(expect_object(v, "BlockMsg"));
    VENUS_TRY_VOID(read_field(json_member(v, "Header"), "Header", b.header));
    VENUS_TRY_VOID(read_array(json_member(v, "BlsMessages"), "BlsMessages", b.bls_messages));
    return read_array(json_member(v, "SecpkMessages"), "SecpkMessages", b.secpk_messages);
}

}  // namespace venus::chain
