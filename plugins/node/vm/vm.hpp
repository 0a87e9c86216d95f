// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The VM: applies messages to a state tree with Filecoin's pre-checks, gas charges, exit codes and
//! fee settlement (node-chain.md §3.8–3.9), and dispatches calls to the native actors.
//!
//! Layering: Vm owns the message-level rules (nonce, fee escrow, receipts); Runtime is what an actor
//! sees during one call (caller, value, its state, sends). Actor failures are `actor_error(code)`;
//! any other error is a node fault and aborts the whole application.
#pragma once

#include <memory>

#include "node/actors/codes.hpp"
#include "node/actors/states.hpp"
#include "node/network.hpp"
#include "node/state/state_tree.hpp"
#include "node/vm/exit_code.hpp"
#include "node/vm/gas.hpp"

namespace venus::plugins::node {

using chain::Message;
using chain::MessageReceipt;

struct ApplyResult {
    MessageReceipt receipt;
    GasOutputs gas;             //!< zero for implicit messages
    TokenAmount penalty;        //!< miner penalty (pre-check failures and fee caps under the base fee)
    TokenAmount miner_tip;
    std::string error;          //!< why the exit code is non-zero (for StateCall / logs)
};

//! Per-VM context: the epoch being executed and its parameters.
struct VmContext {
    ChainEpoch epoch = 0;
    TokenAmount base_fee;
    std::uint64_t timestamp = 0;
    const NetworkParams* network = nullptr;
};

class Vm;

//! What an actor method sees. Valid during one invocation.
class Runtime {
  public:
    Runtime(Vm& vm, std::uint64_t receiver, std::uint64_t caller, TokenAmount value, const Message& origin)
        : vm_(vm), receiver_(receiver), caller_(caller), value_(std::move(value)), origin_(origin) {}

    [[nodiscard]] ChainEpoch epoch() const noexcept;
    [[nodiscard]] const NetworkParams& network() const noexcept;
    [[nodiscard]] std::uint64_t receiver() const noexcept { return receiver_; }
    [[nodiscard]] std::uint64_t caller() const noexcept { return caller_; }
    [[nodiscard]] Address receiver_address() const { return id_address(receiver_); }
    [[nodiscard]] Address caller_address() const { return id_address(caller_); }
    [[nodiscard]] const TokenAmount& value_received() const noexcept { return value_; }
    [[nodiscard]] const Message& origin() const noexcept { return origin_; }
    Result<TokenAmount> current_balance();
    //! Code of an actor, or nullopt when it does not exist.
    Result<std::optional<Cid>> actor_code_of(std::uint64_t id);
    Result<std::optional<ActorType>> actor_type_of(std::uint64_t id);

    //! Loads/stores this actor's state (charging IPLD gas).
    template <typename T>
    Result<T> state() {
        VENUS_TRY(auto head, state_head());
        VENUS_TRY(auto bytes, get_block(head));
        auto v = chain::decode_cbor<T>(bytes);
        if (!v) return actor_error(exit_code::kErrIllegalState, "decoding state: {}", v.error().message);
        return v;
    }
    template <typename T>
    Status set_state(const T& st) {
        VENUS_TRY(auto bytes, chain::encode_cbor(st));
        VENUS_TRY(auto cid, put_block(bytes));
        return set_state_head(cid);
    }
    //! Raw blocks through the gas meter.
    Result<Bytes> get_block(const Cid& cid);
    Result<Cid> put_block(BytesView cbor);

    Status charge_gas(std::int64_t amount);

    //! Calls another actor. An actor failure of the callee comes back as an error in the exit-code
    //! category; the callee's changes are reverted.
    Result<Bytes> send(const Address& to, std::uint64_t method, BytesView params, const TokenAmount& value);

    //! Resolves an address to an ID (nullopt when unknown).
    Result<std::optional<std::uint64_t>> resolve(const Address& addr);
    //! The key address behind an account actor (f1/f3), or an error for other actors.
    Result<Address> resolve_key(const Address& addr);

    //! init: a fresh robust (f2) address for a new actor: hash of the origin, its nonce and a counter.
    Address new_actor_address();
    //! init: creates an actor with `code` at `id` (it must not exist).
    Status create_actor(std::uint64_t id, const Cid& code, std::optional<Address> delegated = std::nullopt);

    StateTree& tree();
    Blockstore& store();

  private:
    Result<Cid> state_head();
    Status set_state_head(const Cid& head);

    Vm& vm_;
    std::uint64_t receiver_;
    std::uint64_t caller_;
    TokenAmount value_;
    const Message& origin_;
};

class Vm {
  public:
    Vm(StateTree& tree, VmContext ctx) : tree_(tree), ctx_(std::move(ctx)) {}

    //! An explicit message with full gas accounting. `chain_length` is the CBOR length charged
    //! (SignedMessage::chain_length()). A node fault is an error; everything else is a receipt.
    Result<ApplyResult> apply_message(const Message& msg, std::size_t chain_length);
    //! An implicit (system) message: no nonce, no gas charge, no fee settlement. An actor failure is
    //! reported in the receipt; callers decide whether it is fatal.
    Result<ApplyResult> apply_implicit(const Message& msg);

    [[nodiscard]] const VmContext& context() const noexcept { return ctx_; }
    StateTree& tree() noexcept { return tree_; }
    //! Changes the epoch (tipset execution walks null rounds with one VM).
    void set_epoch(ChainEpoch e, std::uint64_t timestamp) {
        ctx_.epoch = e;
        ctx_.timestamp = timestamp;
    }

  private:
    friend class Runtime;
    Result<Bytes> send(const Message& origin, std::uint64_t from, const Address& to, std::uint64_t method,
                       BytesView params, const TokenAmount& value);
    Status transfer(std::uint64_t from, std::uint64_t to, const TokenAmount& amount);
    Result<std::uint64_t> create_account(const Address& key);
    Status charge(std::int64_t amount);

    StateTree& tree_;
    VmContext ctx_;
    std::int64_t gas_limit_ = 0;
    std::int64_t gas_used_ = 0;
    std::uint64_t actors_created_ = 0;  // per top-level message, for robust addresses
    int call_depth_ = 0;
};

//! Dispatches a call to the native actor `type` (defined in actors/actors.cpp).
Result<Bytes> invoke_actor(ActorType type, Runtime& rt, std::uint64_t method, BytesView params);

}  // namespace venus::plugins::node
