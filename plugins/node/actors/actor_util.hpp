// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Small helpers shared by the native actors (internal to plugins/node/actors).
#pragma once

#include "node/vm/vm.hpp"

namespace venus::plugins::node::detail {

//! Turns a decoding failure of method params into ErrSerialization (an actor error, not a fault).
template <typename T>
Result<T> params_or_serialization(Result<T> r) {
    if (!r) return actor_error(exit_code::kErrSerialization, "bad params: {}", r.error().message);
    return r;
}

//! Decodes params of type T (a struct with a static decode(CborReader&)).
template <typename T>
Result<T> decode_params(BytesView params) {
    return params_or_serialization(chain::decode_cbor<T>(params));
}

//! Reads a params tuple header of `n` fields; a mismatch is ErrSerialization.
inline Status read_tuple(CborReader& r, std::uint64_t n) {
    auto st = r.read_array_header(n);
    if (!st) return actor_error(exit_code::kErrSerialization, "bad params: {}", st.error().message);
    return {};
}

template <typename T>
Result<Bytes> encode_return(const T& v) {
    return chain::encode_cbor(v);
}

//! Caller checks (builtin-actors validate_immediate_caller_*).
inline Status require_caller(Runtime& rt, std::uint64_t id) {
    if (rt.caller() != id) return actor_error(exit_code::kErrForbidden, "caller {} is not {}", rt.caller(), id);
    return {};
}
inline Status require_caller_type(Runtime& rt, std::initializer_list<ActorType> types) {
    VENUS_TRY(auto t, rt.actor_type_of(rt.caller()));
    if (t) {
        for (auto want : types) {
            if (*t == want) return {};
        }
    }
    return actor_error(exit_code::kErrForbidden, "caller {} has a forbidden type", rt.caller());
}
inline Status require_signable_caller(Runtime& rt) {
    return require_caller_type(rt, {ActorType::kAccount, ActorType::kEthAccount, ActorType::kMultisig});
}

//! Resolves to an ID or fails with ErrIllegalArgument.
inline Result<std::uint64_t> resolve_id(Runtime& rt, const Address& a) {
    VENUS_TRY(auto id, rt.resolve(a));
    if (!id) return actor_error(exit_code::kErrIllegalArgument, "address {} not found", a.to_string());
    return *id;
}

Result<Cid> empty_hamt(Blockstore& bs);
Result<Cid> empty_amt(Blockstore& bs, unsigned bit_width);

//! Miner actor (actors/miner_actor.cpp).
Result<Bytes> invoke_miner(Runtime& rt, std::uint64_t method, BytesView params);
//! Multisig actor (actors/multisig_actor.cpp).
Result<Bytes> invoke_multisig(Runtime& rt, std::uint64_t method, BytesView params);

}  // namespace venus::plugins::node::detail

namespace venus::plugins::node {

//! Adds a power delta to a miner's claim and the totals (builtin-actors power `add_to_claim`).
Status add_to_claim(Blockstore& bs, PowerState& st, const Address& miner, const BigInt& raw, const BigInt& qa,
                    const BigInt& min_power);

//! Sector size and window-PoSt partition size of a window-PoSt proof type (2 KiB and 8 MiB only).
Result<std::pair<std::uint64_t, std::uint64_t>> window_post_proof_info(std::int64_t proof_type);

//! A fresh miner state (the miner constructor's state) with `info` stored.
Result<MinerState> new_miner_state(Blockstore& bs, const MinerInfo& info, const Address& miner, ChainEpoch epoch);

//! Records pre-sealed (genesis) sectors: the Sectors AMT and AllocatedSectors. Power claims are the
//! caller's business. Deadline/partition assignment is not modelled (README).
Status add_presealed_sectors(Blockstore& bs, MinerState& st, const std::vector<SectorOnChainInfo>& sectors);

//! Funds not locked, deposited or owed (builtin-actors `get_available_balance`).
TokenAmount miner_available_balance(const MinerState& st, const TokenAmount& balance);

//! Owner, worker and control addresses may call ChangePeerID etc.
inline constexpr std::size_t kMaxControlAddresses = 10;

}  // namespace venus::plugins::node
