// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/types.hpp"

#include <algorithm>

#include "venus/crypto/hash.hpp"

namespace venus::chain {
namespace {

Error field_error(std::string_view type, std::string_view field, const Error& e) {
    return e.wrap(fmt::format("{}.{}", type, field));
}

// Wraps a field read with "Type.Field: " context, as cbor-gen's "unmarshaling t.X" does.
#define VENUS_FIELD(decl, type, field, expr)                                                   \
    auto VENUS_CONCAT(f_, __LINE__) = (expr);                                                  \
    if (!VENUS_CONCAT(f_, __LINE__).ok())                                                      \
        return field_error(type, field, VENUS_CONCAT(f_, __LINE__).error());                   \
    decl = std::move(VENUS_CONCAT(f_, __LINE__)).value()

Result<Bytes> read_byte_field(CborReader& r, std::size_t max = kByteArrayMaxLen) {
    VENUS_TRY(BytesView b, r.read_bytes(max));
    return Bytes(b.begin(), b.end());
}

Result<Cid> read_cid_field(CborReader& r) { return r.read_cid(); }

Result<std::vector<Cid>> read_cid_array(CborReader& r) {
    VENUS_TRY(std::uint64_t n, r.read_array_header());
    if (n > kMaxArrayLen) return make_error(Errc::kOutOfRange, "array of {} CIDs exceeds {}", n, kMaxArrayLen);
    std::vector<Cid> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY(Cid c, r.read_cid());
        out.push_back(std::move(c));
    }
    return out;
}

Status write_cid_array(CborWriter& w, const std::vector<Cid>& cids) {
    w.write_array_header(cids.size());
    for (const auto& c : cids) VENUS_TRY_VOID(write_cid_field(w, c));
    return {};
}

template <typename T>
Result<std::vector<T>> read_struct_array(CborReader& r) {
    VENUS_TRY(std::uint64_t n, r.read_array_header());
    if (n > kMaxArrayLen) return make_error(Errc::kOutOfRange, "array of {} elements exceeds {}", n, kMaxArrayLen);
    std::vector<T> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY(T v, T::decode(r));
        out.push_back(std::move(v));
    }
    return out;
}

template <typename T>
Status write_struct_array(CborWriter& w, const std::vector<T>& v) {
    w.write_array_header(v.size());
    for (const auto& x : v) VENUS_TRY_VOID(x.encode(w));
    return {};
}

template <typename T>
Result<std::optional<T>> read_optional(CborReader& r) {
    if (r.try_read_null()) return std::optional<T>{};
    VENUS_TRY(T v, T::decode(r));
    return std::optional<T>(std::move(v));
}

template <typename T>
Status write_optional(CborWriter& w, const std::optional<T>& v) {
    if (!v) {
        w.write_null();
        return {};
    }
    return v->encode(w);
}

}  // namespace

// ---- primitives ---------------------------------------------------------------------------------

Status write_address(CborWriter& w, const Address& a) {
    if (!a.defined()) return make_error(Errc::kInvalidArgument, "cannot marshal undefined address");
    w.write_bytes(a.bytes());
    return {};
}

Result<Address> read_address(CborReader& r) {
    VENUS_TRY(BytesView b, r.read_bytes(kMaxAddressBytes));
    VENUS_TRY(Address a, Address::from_bytes(b));
    if (!a.defined()) return make_error(Errc::kInvalidArgument, "cbor input should not contain empty addresses");
    return a;
}

Status write_bigint(CborWriter& w, const BigInt& v) {
    if (!v.encoded_fits()) {
        return make_error(Errc::kOutOfRange, "big integer byte array too long ({} bytes)", v.byte_len() + 1);
    }
    if (v.is_zero()) {
        w.write_bytes({});
        return {};
    }
    // Sign byte + magnitude straight into the output: no temporary vector.
    const std::size_t len = v.byte_len();
    w.head(codec::CborMajor::kBytes, len + 1);
    Bytes& out = w.buffer();
    out.push_back(v.sign() < 0 ? 1 : 0);
    const std::size_t at = out.size();
    out.resize(at + len);
    std::size_t n = 0;
    mpz_export(out.data() + at, &n, 1, 1, 1, 0, v.raw());
    return {};
}

Result<BigInt> read_bigint(CborReader& r) {
    VENUS_TRY(BytesView b, r.read_bytes(kBigIntMaxSerializedLen));
    return BigInt::from_bytes(b);
}

Status write_cid_field(CborWriter& w, const Cid& c) {
    if (!c.defined()) return make_error(Errc::kInvalidArgument, "undefined cid");
    w.write_cid(c);
    return {};
}

// ---- Signature ----------------------------------------------------------------------------------

Status Signature::encode(CborWriter& w) const {
    if (data.size() + 1 > kSignatureMaxLen) return make_error(Errc::kOutOfRange, "signature too long");
    w.head(codec::CborMajor::kBytes, data.size() + 1);
    w.buffer().push_back(static_cast<std::uint8_t>(type));
    w.buffer().insert(w.buffer().end(), data.begin(), data.end());
    return {};
}

Result<Signature> Signature::decode(CborReader& r) {
    VENUS_TRY(BytesView b, r.read_bytes(kSignatureMaxLen));
    if (b.empty()) return make_error(Errc::kInvalidArgument, "signature: empty byte string");
    Signature s;
    switch (b[0]) {
        case 1: s.type = SigType::kSecp256k1; break;
        case 2: s.type = SigType::kBls; break;
        case 3: s.type = SigType::kDelegated; break;
        default: return make_error(Errc::kInvalidArgument, "invalid signature type in cbor input: {}", b[0]);
    }
    s.data.assign(b.begin() + 1, b.end());
    return s;
}

// ---- Message ------------------------------------------------------------------------------------

Status Message::encode(CborWriter& w) const {
    w.write_array_header(10);
    w.write_uint(version);
    VENUS_TRY_VOID(write_address(w, to));
    VENUS_TRY_VOID(write_address(w, from));
    w.write_uint(nonce);
    VENUS_TRY_VOID(write_bigint(w, value));
    w.write_int(gas_limit);
    VENUS_TRY_VOID(write_bigint(w, gas_fee_cap));
    VENUS_TRY_VOID(write_bigint(w, gas_premium));
    w.write_uint(method);
    if (params.size() > kByteArrayMaxLen) return make_error(Errc::kOutOfRange, "Message.Params too long");
    w.write_bytes(params);
    return {};
}

Result<Message> Message::decode(CborReader& r) {
    constexpr std::string_view kT = "Message";
    VENUS_TRY_VOID(r.read_array_header(10));
    Message m;
    VENUS_FIELD(m.version, kT, "Version", r.read_uint());
    VENUS_FIELD(m.to, kT, "To", read_address(r));
    VENUS_FIELD(m.from, kT, "From", read_address(r));
    VENUS_FIELD(m.nonce, kT, "Nonce", r.read_uint());
    VENUS_FIELD(m.value, kT, "Value", read_bigint(r));
    VENUS_FIELD(m.gas_limit, kT, "GasLimit", r.read_int());
    VENUS_FIELD(m.gas_fee_cap, kT, "GasFeeCap", read_bigint(r));
    VENUS_FIELD(m.gas_premium, kT, "GasPremium", read_bigint(r));
    VENUS_FIELD(m.method, kT, "Method", r.read_uint());
    VENUS_FIELD(m.params, kT, "Params", read_byte_field(r));
    return m;
}

Result<Cid> Message::cid() const {
    Bytes buf;
    buf.reserve(128 + params.size());
    CborWriter w(buf);
    VENUS_TRY_VOID(encode(w));
    return codec::cbor_cid(buf);
}

Status SignedMessage::encode(CborWriter& w) const {
    w.write_array_header(2);
    VENUS_TRY_VOID(message.encode(w));
    return signature.encode(w);
}

Result<SignedMessage> SignedMessage::decode(CborReader& r) {
    constexpr std::string_view kT = "SignedMessage";
    VENUS_TRY_VOID(r.read_array_header(2));
    SignedMessage m;
    VENUS_FIELD(m.message, kT, "Message", Message::decode(r));
    VENUS_FIELD(m.signature, kT, "Signature", Signature::decode(r));
    return m;
}

Result<Cid> SignedMessage::cid() const {
    if (signature.type == SigType::kBls) return message.cid();
    Bytes buf;
    buf.reserve(256 + message.params.size());
    CborWriter w(buf);
    VENUS_TRY_VOID(encode(w));
    return codec::cbor_cid(buf);
}

Result<std::size_t> SignedMessage::chain_length() const {
    Bytes buf;
    CborWriter w(buf);
    if (signature.type == SigType::kBls) {
        VENUS_TRY_VOID(message.encode(w));
    } else {
        VENUS_TRY_VOID(encode(w));
    }
    return buf.size();
}

// ---- header parts -------------------------------------------------------------------------------

Status Ticket::encode(CborWriter& w) const {
    w.write_array_header(1);
    w.write_bytes(vrf_proof);
    return {};
}

Result<Ticket> Ticket::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(1));
    Ticket t;
    VENUS_FIELD(t.vrf_proof, "Ticket", "VRFProof", read_byte_field(r));
    return t;
}

Status ElectionProof::encode(CborWriter& w) const {
    w.write_array_header(2);
    w.write_int(win_count);
    w.write_bytes(vrf_proof);
    return {};
}

Result<ElectionProof> ElectionProof::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    ElectionProof e;
    VENUS_FIELD(e.win_count, "ElectionProof", "WinCount", r.read_int());
    VENUS_FIELD(e.vrf_proof, "ElectionProof", "VRFProof", read_byte_field(r));
    return e;
}

Status BeaconEntry::encode(CborWriter& w) const {
    w.write_array_header(2);
    w.write_uint(round);
    w.write_bytes(data);
    return {};
}

Result<BeaconEntry> BeaconEntry::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    BeaconEntry e;
    VENUS_FIELD(e.round, "BeaconEntry", "Round", r.read_uint());
    VENUS_FIELD(e.data, "BeaconEntry", "Data", read_byte_field(r));
    return e;
}

Status PoStProof::encode(CborWriter& w) const {
    w.write_array_header(2);
    w.write_int(post_proof);
    w.write_bytes(proof_bytes);
    return {};
}

Result<PoStProof> PoStProof::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    PoStProof p;
    VENUS_FIELD(p.post_proof, "PoStProof", "PoStProof", r.read_int());
    VENUS_FIELD(p.proof_bytes, "PoStProof", "ProofBytes", read_byte_field(r));
    return p;
}

// ---- BlockHeader --------------------------------------------------------------------------------

Status BlockHeader::encode(CborWriter& w) const {
    w.write_array_header(16);
    VENUS_TRY_VOID(write_address(w, miner));
    VENUS_TRY_VOID(write_optional(w, ticket));
    VENUS_TRY_VOID(write_optional(w, election_proof));
    VENUS_TRY_VOID(write_struct_array(w, beacon_entries));
    VENUS_TRY_VOID(write_struct_array(w, win_post_proof));
    VENUS_TRY_VOID(write_cid_array(w, parents));
    VENUS_TRY_VOID(write_bigint(w, parent_weight));
    w.write_int(height);
    VENUS_TRY_VOID(write_cid_field(w, parent_state_root));
    VENUS_TRY_VOID(write_cid_field(w, parent_message_receipts));
    VENUS_TRY_VOID(write_cid_field(w, messages));
    VENUS_TRY_VOID(write_optional(w, bls_aggregate));
    w.write_uint(timestamp);
    VENUS_TRY_VOID(write_optional(w, block_sig));
    w.write_uint(fork_signaling);
    return write_bigint(w, parent_base_fee);
}

Result<BlockHeader> BlockHeader::decode(CborReader& r) {
    constexpr std::string_view kT = "BlockHeader";
    VENUS_TRY_VOID(r.read_array_header(16));
    BlockHeader h;
    VENUS_FIELD(h.miner, kT, "Miner", read_address(r));
    VENUS_FIELD(h.ticket, kT, "Ticket", read_optional<Ticket>(r));
    VENUS_FIELD(h.election_proof, kT, "ElectionProof", read_optional<ElectionProof>(r));
    VENUS_FIELD(h.beacon_entries, kT, "BeaconEntries", read_struct_array<BeaconEntry>(r));
    VENUS_FIELD(h.win_post_proof, kT, "WinPoStProof", read_struct_array<PoStProof>(r));
    VENUS_FIELD(h.parents, kT, "Parents", read_cid_array(r));
    VENUS_FIELD(h.parent_weight, kT, "ParentWeight", read_bigint(r));
    VENUS_FIELD(h.height, kT, "Height", r.read_int());
    VENUS_FIELD(h.parent_state_root, kT, "ParentStateRoot", read_cid_field(r));
    VENUS_FIELD(h.parent_message_receipts, kT, "ParentMessageReceipts", read_cid_field(r));
    VENUS_FIELD(h.messages, kT, "Messages", read_cid_field(r));
    VENUS_FIELD(h.bls_aggregate, kT, "BLSAggregate", read_optional<Signature>(r));
    VENUS_FIELD(h.timestamp, kT, "Timestamp", r.read_uint());
    VENUS_FIELD(h.block_sig, kT, "BlockSig", read_optional<Signature>(r));
    VENUS_FIELD(h.fork_signaling, kT, "ForkSignaling", r.read_uint());
    VENUS_FIELD(h.parent_base_fee, kT, "ParentBaseFee", read_bigint(r));
    return h;
}

Result<Cid> BlockHeader::cid() const {
    Bytes buf;
    buf.reserve(768);
    CborWriter w(buf);
    VENUS_TRY_VOID(encode(w));
    return codec::cbor_cid(buf);
}

Result<Bytes> BlockHeader::signing_bytes() const {
    BlockHeader copy = *this;
    copy.block_sig.reset();
    return encode_cbor(copy);
}

// ---- MsgMeta, receipts, actors, state root ------------------------------------------------------

Status MsgMeta::encode(CborWriter& w) const {
    w.write_array_header(2);
    VENUS_TRY_VOID(write_cid_field(w, bls_messages));
    return write_cid_field(w, secpk_messages);
}

Result<MsgMeta> MsgMeta::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    MsgMeta m;
    VENUS_FIELD(m.bls_messages, "MsgMeta", "BlsMessages", r.read_cid());
    VENUS_FIELD(m.secpk_messages, "MsgMeta", "SecpkMessages", r.read_cid());
    return m;
}

Result<Cid> MsgMeta::cid() const {
    VENUS_TRY(Bytes b, encode_cbor(*this));
    return codec::cbor_cid(b);
}

Status MessageReceipt::encode(CborWriter& w) const {
    w.write_array_header(version == 0 ? 3 : 4);
    w.write_int(exit_code);
    w.write_bytes(return_value);
    w.write_int(gas_used);
    if (version != 0) {
        if (events_root) {
            VENUS_TRY_VOID(write_cid_field(w, *events_root));
        } else {
            w.write_null();
        }
    }
    return {};
}

Result<MessageReceipt> MessageReceipt::decode(CborReader& r) {
    constexpr std::string_view kT = "MessageReceipt";
    VENUS_TRY(std::uint64_t n, r.read_array_header());
    if (n != 3 && n != 4) return make_error(Errc::kInvalidArgument, "MessageReceipt: expected 3 or 4 fields, got {}", n);
    MessageReceipt m;
    m.version = n == 3 ? 0 : 1;
    VENUS_FIELD(m.exit_code, kT, "ExitCode", r.read_int());
    VENUS_FIELD(m.return_value, kT, "Return", read_byte_field(r));
    VENUS_FIELD(m.gas_used, kT, "GasUsed", r.read_int());
    if (n == 4 && !r.try_read_null()) {
        VENUS_FIELD(m.events_root, kT, "EventsRoot", r.read_cid());
    }
    return m;
}

Status Actor::encode(CborWriter& w) const {
    w.write_array_header(version == 4 ? 4 : 5);
    VENUS_TRY_VOID(write_cid_field(w, code));
    VENUS_TRY_VOID(write_cid_field(w, head));
    w.write_uint(nonce);
    VENUS_TRY_VOID(write_bigint(w, balance));
    if (version != 4) {
        if (delegated_address) {
            VENUS_TRY_VOID(write_address(w, *delegated_address));
        } else {
            w.write_null();
        }
    }
    return {};
}

Result<Actor> Actor::decode(CborReader& r) {
    constexpr std::string_view kT = "Actor";
    VENUS_TRY(std::uint64_t n, r.read_array_header());
    if (n != 4 && n != 5) return make_error(Errc::kInvalidArgument, "Actor: expected 4 or 5 fields, got {}", n);
    Actor a;
    a.version = n == 4 ? 4 : 5;
    VENUS_FIELD(a.code, kT, "Code", r.read_cid());
    VENUS_FIELD(a.head, kT, "Head", r.read_cid());
    VENUS_FIELD(a.nonce, kT, "Nonce", r.read_uint());
    VENUS_FIELD(a.balance, kT, "Balance", read_bigint(r));
    if (n == 5 && !r.try_read_null()) {
        VENUS_FIELD(a.delegated_address, kT, "Address", read_address(r));
    }
    return a;
}

Status StateRoot::encode(CborWriter& w) const {
    w.write_array_header(3);
    w.write_uint(version);
    VENUS_TRY_VOID(write_cid_field(w, actors));
    return write_cid_field(w, info);
}

Result<StateRoot> StateRoot::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(3));
    StateRoot s;
    VENUS_FIELD(s.version, "StateRoot", "Version", r.read_uint());
    VENUS_FIELD(s.actors, "StateRoot", "Actors", r.read_cid());
    VENUS_FIELD(s.info, "StateRoot", "Info", r.read_cid());
    return s;
}

// ---- tipsets ------------------------------------------------------------------------------------

Result<TipSetKey> TipSetKey::from_bytes(BytesView bytes) {
    std::vector<Cid> cids;
    while (!bytes.empty()) {
        std::size_t used = 0;
        VENUS_TRY(Cid c, Cid::read_prefix(bytes, used));
        cids.push_back(std::move(c));
        bytes = bytes.subspan(used);
    }
    return TipSetKey(std::move(cids));
}

Bytes TipSetKey::bytes() const {
    Bytes out;
    for (const auto& c : cids_) out.insert(out.end(), c.bytes().begin(), c.bytes().end());
    return out;
}

Status TipSetKey::encode(CborWriter& w) const {
    w.write_bytes(bytes());
    return {};
}

Result<TipSetKey> TipSetKey::decode(CborReader& r) {
    VENUS_TRY(BytesView b, r.read_bytes(kByteArrayMaxLen));
    return from_bytes(b);
}

Result<TipSet> TipSet::create(std::vector<BlockHeader> blocks) {
    if (blocks.empty()) return make_error(Errc::kInvalidArgument, "NewTipSet called with zero length array of blocks");
    struct Keyed {
        crypto::Hash256 ticket_digest;
        Cid cid;
        std::size_t index;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        VENUS_TRY(Cid c, blocks[i].cid());
        const BytesView proof = blocks[i].ticket ? BytesView(blocks[i].ticket->vrf_proof) : BytesView{};
        keyed.push_back({crypto::blake2b_256(proof), std::move(c), i});
    }
    std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
        const auto& ta = blocks[a.index].ticket;
        const auto& tb = blocks[b.index].ticket;
        const bool same = (ta ? ta->vrf_proof : Bytes{}) == (tb ? tb->vrf_proof : Bytes{});
        if (same) return a.cid < b.cid;
        return a.ticket_digest < b.ticket_digest;
    });
    TipSet ts;
    std::vector<Cid> cids;
    ts.blocks_.reserve(blocks.size());
    for (auto& k : keyed) {
        ts.blocks_.push_back(std::move(blocks[k.index]));
        cids.push_back(std::move(k.cid));
    }
    const BlockHeader& first = ts.blocks_.front();
    for (std::size_t i = 1; i < ts.blocks_.size(); ++i) {
        if (ts.blocks_[i].height != first.height) {
            return make_error(Errc::kInvalidArgument, "cannot create tipset with mismatching heights");
        }
        if (ts.blocks_[i].parents != first.parents) {
            return make_error(Errc::kInvalidArgument, "cannot create tipset with mismatching parents");
        }
    }
    ts.height_ = first.height;
    ts.key_ = TipSetKey(std::move(cids));
    return ts;
}

Status TipSet::encode(CborWriter& w) const {
    w.write_array_header(3);
    VENUS_TRY_VOID(write_cid_array(w, key_.cids()));
    VENUS_TRY_VOID(write_struct_array(w, blocks_));
    w.write_int(height_);
    return {};
}

Result<TipSet> TipSet::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(3));
    VENUS_FIELD(auto cids, "TipSet", "Cids", read_cid_array(r));
    VENUS_FIELD(auto blocks, "TipSet", "Blocks", read_struct_array<BlockHeader>(r));
    VENUS_FIELD(auto height, "TipSet", "Height", r.read_int());
    (void)cids;  // Lotus rebuilds the tipset from its blocks and ignores the stored list
    (void)height;
    return create(std::move(blocks));
}

Status BlockMsg::encode(CborWriter& w) const {
    w.write_array_header(3);
    VENUS_TRY_VOID(header.encode(w));
    VENUS_TRY_VOID(write_cid_array(w, bls_messages));
    return write_cid_array(w, secpk_messages);
}

Result<BlockMsg> BlockMsg::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(3));
    BlockMsg b;
    VENUS_FIELD(b.header, "BlockMsg", "Header", BlockHeader::decode(r));
    VENUS_FIELD(b.bls_messages, "BlockMsg", "BlsMessages", read_cid_array(r));
    VENUS_FIELD(b.secpk_messages, "BlockMsg", "SecpkMessages", read_cid_array(r));
    return b;
}

}  // namespace venus::chain
