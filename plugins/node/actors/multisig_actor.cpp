// SPDX-License-Identifier: Apache-2.0 OR MIT
// The multisig actor: constructor, propose, approve, cancel (with the optional proposal hash) and
// the linear unlock schedule. Signer-management methods are not implemented yet.
#include <algorithm>

#include "node/actors/actor_util.hpp"
#include "venus/chain/hamt.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::node {

namespace {

constexpr std::size_t kSignersMax = 256;

struct ConstructorParams {
    std::vector<Address> signers;
    std::uint64_t threshold = 0;
    ChainEpoch unlock_duration = 0;
    ChainEpoch start_epoch = 0;
    static Result<ConstructorParams> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(4));
        ConstructorParams p;
        VENUS_TRY(auto n, r.read_array_header());
        if (n > kSignersMax) return r.error_at("too many signers");
        for (std::uint64_t i = 0; i < n; ++i) {
            VENUS_TRY(auto a, chain::read_address(r));
            p.signers.push_back(a);
        }
        VENUS_TRY(p.threshold, r.read_uint());
        VENUS_TRY(p.unlock_duration, r.read_int());
        VENUS_TRY(p.start_epoch, r.read_int());
        return p;
    }
};

struct ProposeParams {
    Address to;
    TokenAmount value;
    std::uint64_t method = 0;
    Bytes params;
    static Result<ProposeParams> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(4));
        ProposeParams p;
        VENUS_TRY(p.to, chain::read_address(r));
        VENUS_TRY(p.value, chain::read_bigint(r));
        VENUS_TRY(p.method, r.read_uint());
        VENUS_TRY(auto b, r.read_bytes(chain::kByteArrayMaxLen));
        p.params.assign(b.begin(), b.end());
        return p;
    }
};

struct TxnIdParams {
    std::int64_t id = 0;
    Bytes proposal_hash;
    static Result<TxnIdParams> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(2));
        TxnIdParams p;
        VENUS_TRY(p.id, r.read_int());
        VENUS_TRY(auto b, r.read_bytes(chain::kByteArrayMaxLen));
        p.proposal_hash.assign(b.begin(), b.end());
        return p;
    }
};

// blake2b-256 of CBOR [Requester, To, Value, Method, Params] (ProposalHashData).
Result<Bytes> proposal_hash(const MultisigTransaction& t) {
    Bytes data;
    CborWriter w(data);
    w.write_array_header(5);
    if (t.approved.empty()) {
        w.write_null();
    } else {
        VENUS_TRY_VOID(chain::write_address(w, t.approved.front()));
    }
    VENUS_TRY_VOID(chain::write_address(w, t.to));
    VENUS_TRY_VOID(chain::write_bigint(w, t.value));
    w.write_uint(t.method);
    w.write_bytes(t.params);
    auto h = crypto::blake2b_256(data);
    return Bytes(h.begin(), h.end());
}

TokenAmount amount_locked(const MultisigState& st, ChainEpoch elapsed) {
    if (elapsed >= st.unlock_duration) return 0;
    if (elapsed <= 0) return st.initial_balance;
    const BigInt duration(st.unlock_duration);
    const BigInt num = st.initial_balance * (duration - BigInt(elapsed));
    BigInt q = num / duration;
    if (!(num % duration).is_zero()) q += 1;  // locked = ceil(initial × remaining / duration)
    return q;
}

Status require_signer(Runtime& rt, const MultisigState& st) {
    if (std::find(st.signers.begin(), st.signers.end(), rt.caller_address()) == st.signers.end()) {
        return actor_error(exit_code::kErrForbidden, "{} is not a signer", rt.caller_address().to_string());
    }
    return {};
}

struct Executed {
    bool applied = false;
    ExitCode code = 0;
    Bytes ret;
};

// Runs the transaction once approvals reach the threshold; the state must be saved before the send
// (the callee may call back into this multisig).
Result<Executed> execute_if_approved(Runtime& rt, MultisigState& st, chain::Hamt& pending, std::int64_t txn_id,
                                     const MultisigTransaction& txn) {
    Executed out;
    if (txn.approved.size() < st.num_approvals_threshold) return out;
    VENUS_TRY(auto balance, rt.current_balance());
    if (txn.value > balance - amount_locked(st, rt.epoch() - st.start_epoch)) {
        return actor_error(exit_code::kErrInsufficientFunds, "insufficient unlocked funds to send {}",
                           txn.value.to_string());
    }
    VENUS_TRY(auto removed, pending.remove(int_key(txn_id)));
    (void)removed;
    VENUS_TRY(st.pending_txns, pending.flush());
    VENUS_TRY_VOID(rt.set_state(st));
    auto ret = rt.send(txn.to, txn.method, txn.params, txn.value);
    out.applied = true;
    if (ret) {
        out.ret = std::move(*ret);
    } else {
        if (!is_actor_error(ret.error())) return std::move(ret).error();
        out.code = ret.error().code.value();
    }
    return out;
}

}  // namespace

namespace detail {

Result<Bytes> invoke_multisig(Runtime& rt, std::uint64_t method, BytesView params) {
    if (method == method::kConstructor) {
        VENUS_TRY_VOID(require_caller(rt, id::kInit));
        VENUS_TRY(auto p, decode_params<ConstructorParams>(params));
        if (p.signers.empty()) return actor_error(exit_code::kErrIllegalArgument, "must have at least one signer");
        MultisigState st;
        for (const auto& s : p.signers) {
            VENUS_TRY(auto id, resolve_id(rt, s));
            const Address a = id_address(id);
            if (std::find(st.signers.begin(), st.signers.end(), a) != st.signers.end()) {
                return actor_error(exit_code::kErrIllegalArgument, "duplicate signer {}", s.to_string());
            }
            st.signers.push_back(a);
        }
        if (p.threshold < 1 || p.threshold > st.signers.size()) {
            return actor_error(exit_code::kErrIllegalArgument, "invalid approvals threshold {}", p.threshold);
        }
        if (p.unlock_duration < 0) return actor_error(exit_code::kErrIllegalArgument, "negative unlock duration");
        st.num_approvals_threshold = p.threshold;
        VENUS_TRY(st.pending_txns, empty_hamt(rt.store()));
        if (p.unlock_duration != 0) {
            st.initial_balance = rt.value_received();
            st.unlock_duration = p.unlock_duration;
            st.start_epoch = p.start_epoch;
        }
        VENUS_TRY_VOID(rt.set_state(st));
        return Bytes{};
    }

    VENUS_TRY(auto st, rt.state<MultisigState>());
    switch (method) {
        case method::multisig::kPropose: {
            VENUS_TRY_VOID(require_signable_caller(rt));
            VENUS_TRY(auto p, decode_params<ProposeParams>(params));
            VENUS_TRY_VOID(require_signer(rt, st));
            VENUS_TRY(auto pending, chain::Hamt::load(rt.store(), st.pending_txns));
            const std::int64_t txn_id = st.next_txn_id++;
            MultisigTransaction txn{p.to, p.value, p.method, p.params, {rt.caller_address()}};
            VENUS_TRY(auto bytes, chain::encode_cbor(txn));
            VENUS_TRY_VOID(pending.set(int_key(txn_id), bytes));
            VENUS_TRY(st.pending_txns, pending.flush());
            VENUS_TRY_VOID(rt.set_state(st));
            VENUS_TRY(auto ex, execute_if_approved(rt, st, pending, txn_id, txn));
            Bytes out;
            CborWriter w(out);
            w.write_array_header(4);
            w.write_int(txn_id);
            w.write_bool(ex.applied);
            w.write_int(ex.code);
            w.write_bytes(ex.ret);
            return out;
        }
        case method::multisig::kApprove:
        case method::multisig::kCancel: {
            VENUS_TRY_VOID(require_signable_caller(rt));
            VENUS_TRY(auto p, decode_params<TxnIdParams>(params));
            VENUS_TRY_VOID(require_signer(rt, st));
            VENUS_TRY(auto pending, chain::Hamt::load(rt.store(), st.pending_txns));
            VENUS_TRY(auto raw, pending.get(int_key(p.id)));
            if (!raw) return actor_error(exit_code::kErrNotFound, "no such transaction {}", p.id);
            VENUS_TRY(auto txn, chain::decode_cbor<MultisigTransaction>(*raw));
            if (!p.proposal_hash.empty()) {
                VENUS_TRY(auto h, proposal_hash(txn));
                if (h != p.proposal_hash) return actor_error(exit_code::kErrIllegalArgument, "proposal hash mismatch");
            }
            if (method == method::multisig::kCancel) {
                if (txn.approved.empty() || txn.approved.front() != rt.caller_address()) {
                    return actor_error(exit_code::kErrForbidden, "only the proposer may cancel");
                }
                VENUS_TRY(auto removed, pending.remove(int_key(p.id)));
                (void)removed;
                VENUS_TRY(st.pending_txns, pending.flush());
                VENUS_TRY_VOID(rt.set_state(st));
                return Bytes{};
            }
            if (std::find(txn.approved.begin(), txn.approved.end(), rt.caller_address()) != txn.approved.end()) {
                return actor_error(exit_code::kErrForbidden, "{} already approved this transaction",
                                   rt.caller_address().to_string());
            }
            txn.approved.push_back(rt.caller_address());
            VENUS_TRY(auto bytes, chain::encode_cbor(txn));
            VENUS_TRY_VOID(pending.set(int_key(p.id), bytes));
            VENUS_TRY(st.pending_txns, pending.flush());
            VENUS_TRY_VOID(rt.set_state(st));
            VENUS_TRY(auto ex, execute_if_approved(rt, st, pending, p.id, txn));
            Bytes out;
            CborWriter w(out);
            w.write_array_header(3);
            w.write_bool(ex.applied);
            w.write_int(ex.code);
            w.write_bytes(ex.ret);
            return out;
        }
        default:
            return actor_error(exit_code::kErrUnhandledMessage, "multisig: method {} is not implemented", method);
    }
}

}  // namespace detail

}  // namespace venus::plugins::node
