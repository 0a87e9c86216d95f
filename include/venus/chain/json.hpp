// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Lotus JSON for the chain types (RapidJSON). Conventions (node-chain.md §1.3):
//! CIDs `{"/":"bafy…"}` (undefined → null); BigInt decimal strings; bytes base64 with padding
//! (empty → null, as Lotus emits for anything decoded from CBOR); addresses as text in the
//! process network (`default_network()`); 64-bit integers exact (never via double).
//!
//! Input follows Go's encoding/json: keys match case-insensitively, unknown keys are ignored,
//! missing keys keep the zero value; numbers must be integers in range.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "venus/chain/types.hpp"

namespace venus::chain {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
using JsonValue = rapidjson::Value;

//! Parses JSON text without recursion (deep nesting cannot overflow the stack); bounded size.
Result<rapidjson::Document> parse_json(std::string_view text, std::size_t max_bytes = 16u << 20);

void to_json(JsonWriter& w, const Cid& c);
void to_json(JsonWriter& w, const Address& a);
void to_json(JsonWriter& w, const BigInt& v);
void to_json(JsonWriter& w, const Signature& s);
//! With `"CID"` appended (Lotus Message.MarshalJSON); fails only if the message cannot be encoded.
void to_json(JsonWriter& w, const Message& m);
void to_json(JsonWriter& w, const SignedMessage& m);
void to_json(JsonWriter& w, const Ticket& t);
void to_json(JsonWriter& w, const ElectionProof& e);
void to_json(JsonWriter& w, const BeaconEntry& b);
void to_json(JsonWriter& w, const PoStProof& p);
void to_json(JsonWriter& w, const BlockHeader& h);
void to_json(JsonWriter& w, const MsgMeta& m);
void to_json(JsonWriter& w, const MessageReceipt& r);
void to_json(JsonWriter& w, const Actor& a);
void to_json(JsonWriter& w, const StateRoot& s);
void to_json(JsonWriter& w, const TipSetKey& k);
void to_json(JsonWriter& w, const TipSet& t);
void to_json(JsonWriter& w, const BlockMsg& b);

Status from_json(const JsonValue& v, Cid& out);
Status from_json(const JsonValue& v, Address& out);
Status from_json(const JsonValue& v, BigInt& out);
Status from_json(const JsonValue& v, Signature& out);
Status from_json(const JsonValue& v, Message& out);
Status from_json(const JsonValue& v, SignedMessage& out);
Status from_json(const JsonValue& v, Ticket& out);
Status from_json(const JsonValue& v, ElectionProof& out);
Status from_json(const JsonValue& v, BeaconEntry& out);
Status from_json(const JsonValue& v, PoStProof& out);
Status from_json(const JsonValue& v, BlockHeader& out);
Status from_json(const JsonValue& v, MsgMeta& out);
Status from_json(const JsonValue& v, MessageReceipt& out);
Status from_json(const JsonValue& v, Actor& out);
Status from_json(const JsonValue& v, StateRoot& out);
Status from_json(const JsonValue& v, TipSetKey& out);
//! Rebuilds the tipset from "Blocks" (as Lotus does; "Cids" and "Height" are not trusted).
Status from_json(const JsonValue& v, TipSet& out);
Status from_json(const JsonValue& v, BlockMsg& out);

template <typename T>
std::string to_json_string(const T& v) {
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    to_json(w, v);
    return std::string(sb.GetString(), sb.GetSize());
}

template <typename T>
Result<T> from_json_string(std::string_view text) {
    VENUS_TRY(rapidjson::Document doc, parse_json(text));
    T out{};
    VENUS_TRY_VOID(from_json(doc, out));
    return out;
}

//! Looks a key up as Go's encoding/json does: exact match first, then case-insensitive.
const JsonValue* json_member(const JsonValue& obj, std::string_view key);

}  // namespace venus::chain
