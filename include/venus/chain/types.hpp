// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Chain data types with their DAG-CBOR tuple encodings, byte-exact with Lotus (cbor-gen).
//! Layouts: ../shared/reference/node-chain.md §2.2. JSON codecs are in venus/chain/json.hpp.
//!
//! Every type has `Status encode(CborWriter&) const` (fails only for values Lotus cannot encode either:
//! undefined addresses or CIDs, oversized BigInts) and `static Result<T> decode(CborReader&)`.
//! `encode_cbor(x)` / `decode_cbor<T>(bytes)` wrap them for whole buffers.
//!
//! Null vs empty: nil pointers (Ticket, ElectionProof, BLSAggregate, BlockSig, EventsRoot, Actor
//! address) are std::optional and encode as CBOR null; empty byte strings and arrays encode as
//! 0x40/0x80 whatever their origin, so they have no separate "nil" state here.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "venus/chain/address.hpp"
#include "venus/chain/bigint.hpp"
#include "venus/codec/cbor.hpp"
#include "venus/codec/cid.hpp"
#include "venus/crypto/signature.hpp"

namespace venus::chain {

using codec::Cid;
using codec::CborReader;
using codec::CborWriter;

using ChainEpoch = std::int64_t;
using MethodNum = std::uint64_t;

//! cbor-gen's limits for byte strings inside chain structures.
inline constexpr std::size_t kByteArrayMaxLen = 2u << 20;
inline constexpr std::size_t kSignatureMaxLen = 200;
//! cbor-gen's default maximum array length.
inline constexpr std::size_t kMaxArrayLen = 8192;

// ---- CBOR helpers for primitive Filecoin encodings ----------------------------------------------
Status write_address(CborWriter& w, const Address& a);
Result<Address> read_address(CborReader& r);
Status write_bigint(CborWriter& w, const BigInt& v);
Result<BigInt> read_bigint(CborReader& r);
Status write_cid_field(CborWriter& w, const Cid& c);  //!< fails on an undefined CID

// ---- Signatures -------------------------------------------------------------------------------
using crypto::SigType;

struct Signature {
    SigType type = SigType::kSecp256k1;
    Bytes data;

    Status encode(CborWriter& w) const;
    static Result<Signature> decode(CborReader& r);
    bool operator==(const Signature&) const = default;
};

// ---- Messages -----------------------------------------------------------------------------------
struct Message {
    std::uint64_t version = 0;
    Address to;
    Address from;
    std::uint64_t nonce = 0;
    TokenAmount value;
    std::int64_t gas_limit = 0;
    TokenAmount gas_fee_cap;
    TokenAmount gas_premium;
    MethodNum method = 0;
    Bytes params;

    Status encode(CborWriter& w) const;
    static Result<Message> decode(CborReader& r);
    //! CID of the CBOR encoding (dag-cbor, blake2b-256). Fails only when encode fails.
    Result<Cid> cid() const;
    bool operator==(const Message&) const = default;
};

struct SignedMessage {
    Message message;
    Signature signature;

    Status encode(CborWriter& w) const;
    static Result<SignedMessage> decode(CborReader& r);
    //! Lotus rule: BLS → the unsigned message's CID; secp256k1/delegated → CID of this CBOR.
    Result<Cid> cid() const;
    //! Lotus `ChainLength`: bytes charged for on-chain storage (unsigned CBOR for BLS, else signed).
    Result<std::size_t> chain_length() const;
    bool operator==(const SignedMessage&) const = default;
};

// ---- Block header parts -------------------------------------------------------------------------
struct Ticket {
    Bytes vrf_proof;
    Status encode(CborWriter& w) const;
    static Result<Ticket> decode(CborReader& r);
    bool operator==(const Ticket&) const = default;
};

struct ElectionProof {
    std::int64_t win_count = 0;
    Bytes vrf_proof;
    Status encode(CborWriter& w) const;
    static Result<ElectionProof> decode(CborReader& r);
    bool operator==(const ElectionProof&) const = default;
};

struct BeaconEntry {
    std::uint64_t round = 0;
    Bytes data;
    Status encode(CborWriter& w) const;
    static Result<BeaconEntry> decode(CborReader& r);
    bool operator==(const BeaconEntry&) const = default;
};

struct PoStProof {
    std::int64_t post_proof = 0;  //!< RegisteredPoStProof
    Bytes proof_bytes;
    Status encode(CborWriter& w) const;
    static Result<PoStProof> decode(CborReader& r);
    bool operator==(const PoStProof&) const = default;
};

struct BlockHeader {
    Address miner;
    std::optional<Ticket> ticket;
    std::optional<ElectionProof> election_proof;
    std::vector<BeaconEntry> beacon_entries;
    std::vector<PoStProof> win_post_proof;
    std::vector<Cid> parents;
    BigInt parent_weight;
    ChainEpoch height = 0;
    Cid parent_state_root;
    Cid parent_message_receipts;
    Cid messages;
    std::optional<Signature> bls_aggregate;
    std::uint64_t timestamp = 0;
    std::optional<Signature> block_sig;
    std::uint64_t fork_signaling = 0;
    BigInt parent_base_fee;

    Status encode(CborWriter& w) const;
    static Result<BlockHeader> decode(CborReader& r);
    Result<Cid> cid() const;
    //! The bytes the miner's worker key signs: CBOR of the header with BlockSig = null.
    Result<Bytes> signing_bytes() const;
    bool operator==(const BlockHeader&) const = default;
};

//! "TxMeta": roots of the two AMTs (legacy v0) of message CIDs in a block.
struct MsgMeta {
    Cid bls_messages;
    Cid secpk_messages;
    Status encode(CborWriter& w) const;
    static Result<MsgMeta> decode(CborReader& r);
    Result<Cid> cid() const;
    bool operator==(const MsgMeta&) const = default;
};

//! v0 = 3 fields (before nv18); v1 = 4 fields with EventsRoot. The decoder picks by array length.
struct MessageReceipt {
    std::uint8_t version = 1;
    std::int64_t exit_code = 0;
    Bytes return_value;
    std::int64_t gas_used = 0;
    std::optional<Cid> events_root;
    Status encode(CborWriter& w) const;
    static Result<MessageReceipt> decode(CborReader& r);
    bool operator==(const MessageReceipt&) const = default;
};

//! State-tree actor. version 5 (nv18+) has the optional delegated address; 4 does not.
struct Actor {
    std::uint8_t version = 5;
    Cid code;
    Cid head;
    std::uint64_t nonce = 0;
    TokenAmount balance;
    std::optional<Address> delegated_address;
    Status encode(CborWriter& w) const;
    static Result<Actor> decode(CborReader& r);
    bool operator==(const Actor&) const = default;
};

struct StateRoot {
    std::uint64_t version = 5;
    Cid actors;
    Cid info;
    Status encode(CborWriter& w) const;
    static Result<StateRoot> decode(CborReader& r);
    bool operator==(const StateRoot&) const = default;
};

//! The block CIDs of a tipset; binary form = concatenated CID bytes; CBOR = one byte string of that.
class TipSetKey {
  public:
    TipSetKey() = default;
    explicit TipSetKey(std::vector<Cid> cids) : cids_(std::move(cids)) {}
    static Result<TipSetKey> from_bytes(BytesView bytes);
    [[nodiscard]] const std::vector<Cid>& cids() const noexcept { return cids_; }
    [[nodiscard]] bool empty() const noexcept { return cids_.empty(); }
    [[nodiscard]] Bytes bytes() const;
    Status encode(CborWriter& w) const;
    static Result<TipSetKey> decode(CborReader& r);
    bool operator==(const TipSetKey&) const = default;

  private:
    std::vector<Cid> cids_;
};

//! A tipset: blocks at one height with the same parents, sorted as Lotus sorts them (by the
//! blake2b-256 of the ticket VRF proof, ties by block CID).
class TipSet {
  public:
    static Result<TipSet> create(std::vector<BlockHeader> blocks);
    [[nodiscard]] const std::vector<BlockHeader>& blocks() const noexcept { return blocks_; }
    [[nodiscard]] const std::vector<Cid>& cids() const noexcept { return key_.cids(); }
    [[nodiscard]] const TipSetKey& key() const noexcept { return key_; }
    [[nodiscard]] ChainEpoch height() const noexcept { return height_; }
    [[nodiscard]] TipSetKey parents() const { return TipSetKey(blocks_.front().parents); }
    [[nodiscard]] const BigInt& parent_weight() const { return blocks_.front().parent_weight; }
    [[nodiscard]] const Cid& parent_state() const { return blocks_.front().parent_state_root; }
    //! ExpTipSet tuple: [Cids, Blocks, Height].
    Status encode(CborWriter& w) const;
    static Result<TipSet> decode(CborReader& r);
    bool operator==(const TipSet& o) const { return key_ == o.key_; }

  private:
    std::vector<BlockHeader> blocks_;
    TipSetKey key_;
    ChainEpoch height_ = 0;
};

//! Gossip block: header plus the CIDs of its messages.
struct BlockMsg {
    BlockHeader header;
    std::vector<Cid> bls_messages;
    std::vector<Cid> secpk_messages;
    Status encode(CborWriter& w) const;
    static Result<BlockMsg> decode(CborReader& r);
    bool operator==(const BlockMsg&) const = default;
};

// ---- whole-buffer helpers -----------------------------------------------------------------------
template <typename T>
Result<Bytes> encode_cbor(const T& v) {
    Bytes out;
    CborWriter w(out);
    VENUS_TRY_VOID(v.encode(w));
    return out;
}

//! Decodes a T spanning all of `data` (trailing bytes are an error).
template <typename T>
Result<T> decode_cbor(BytesView data, const codec::CborLimits& limits = {}) {
    CborReader r(data, limits);
    VENUS_TRY(T v, T::decode(r));
    VENUS_TRY_VOID(r.expect_end());
    return v;
}

}  // namespace venus::chain
