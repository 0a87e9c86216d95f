// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/vm/vm.hpp"

#include "venus/chain/hamt.hpp"

namespace venus::plugins::node {

namespace {

class ExitCodeCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "exit code"; }
    std::string message(int c) const override { return fmt::format("exit code {}", c); }
};

constexpr int kMaxCallDepth = 1024;
constexpr std::int64_t kImplicitGasLimit = std::int64_t{1} << 62;

bool is_signable(ActorType t) {
    return t == ActorType::kAccount || t == ActorType::kEthAccount || t == ActorType::kPlaceholder;
}

ApplyResult precheck_failure(ExitCode code, const TokenAmount& penalty, std::string why) {
    ApplyResult r;
    r.receipt.version = 1;
    r.receipt.exit_code = code;
    r.receipt.gas_used = 0;
    r.penalty = penalty;
    r.gas.miner_penalty = penalty;
    r.error = std::move(why);
    return r;
}

}  // namespace

const std::error_category& exit_code_category() noexcept {
    static const ExitCodeCategory c;
    return c;
}

// ---- Runtime ------------------------------------------------------------------------------------
ChainEpoch Runtime::epoch() const noexcept { return vm_.ctx_.epoch; }
const NetworkParams& Runtime::network() const noexcept { return *vm_.ctx_.network; }
StateTree& Runtime::tree() { return vm_.tree_; }
Blockstore& Runtime::store() { return vm_.tree_.store(); }

Result<TokenAmount> Runtime::current_balance() {
    VENUS_TRY(auto a, vm_.tree_.get_actor(receiver_));
    if (!a) return make_error(Errc::kInternal, "receiver {} vanished", receiver_);
    return a->balance;
}

Result<std::optional<Cid>> Runtime::actor_code_of(std::uint64_t id) {
    VENUS_TRY(auto a, vm_.tree_.get_actor(id));
    if (!a) return std::optional<Cid>{};
    return std::optional<Cid>(a->code);
}

Result<std::optional<ActorType>> Runtime::actor_type_of(std::uint64_t id) {
    VENUS_TRY(auto code, actor_code_of(id));
    if (!code) return std::optional<ActorType>{};
    return actor_type(*code);
}

Result<Bytes> Runtime::get_block(const Cid& cid) {
    VENUS_TRY_VOID(charge_gas(gas::kIpldGetBase));
    return vm_.tree_.store().get(cid);
}

Result<Cid> Runtime::put_block(BytesView cbor) {
    VENUS_TRY_VOID(charge_gas(gas::ipld_put(cbor.size())));
    return chain::put_cbor(vm_.tree_.store(), cbor);
}

Status Runtime::charge_gas(std::int64_t amount) { return vm_.charge(amount); }

Result<Cid> Runtime::state_head() {
    VENUS_TRY(auto a, vm_.tree_.get_actor(receiver_));
    if (!a) return make_error(Errc::kInternal, "receiver {} vanished", receiver_);
    return a->head;
}

Status Runtime::set_state_head(const Cid& head) {
    VENUS_TRY(auto a, vm_.tree_.get_actor(receiver_));
    if (!a) return make_error(Errc::kInternal, "receiver {} vanished", receiver_);
    a->head = head;
    return vm_.tree_.set_actor(receiver_, *a);
}

Result<Bytes> Runtime::send(const Address& to, std::uint64_t method, BytesView params, const TokenAmount& value) {
    return vm_.send(origin_, receiver_, to, method, params, value);
}

Result<std::optional<std::uint64_t>> Runtime::resolve(const Address& addr) { return vm_.tree_.lookup_id(addr); }

Result<Address> Runtime::resolve_key(const Address& addr) {
    if (addr.protocol() == chain::Protocol::kSecp256k1 || addr.protocol() == chain::Protocol::kBls) return addr;
    VENUS_TRY(auto id, resolve(addr));
    if (!id) return actor_error(exit_code::kErrIllegalArgument, "address {} not found", addr.to_string());
    VENUS_TRY(auto actor, vm_.tree_.get_actor(*id));
    if (!actor || actor_type(actor->code) != ActorType::kAccount) {
        return actor_error(exit_code::kErrIllegalArgument, "address {} is not an account", addr.to_string());
    }
    VENUS_TRY(auto st, load_cbor<AccountState>(vm_.tree_.store(), actor->head));
    return st.address;
}

Address Runtime::new_actor_address() {
    // Lotus NewActorAddress: CBOR(origin key address) ‖ be64(origin nonce) ‖ be64(actors created).
    auto key = resolve_key(origin_.from);
    const Address& origin = key ? *key : origin_.from;
    Bytes buf;
    CborWriter w(buf);
    (void)chain::write_address(w, origin);
    auto be64 = [&buf](std::uint64_t v) {
        for (int i = 7; i >= 0; --i) buf.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    };
    be64(origin_.nonce);
    be64(vm_.actors_created_++);
    return Address::new_actor(buf);
}

Status Runtime::create_actor(std::uint64_t id, const Cid& code, std::optional<Address> delegated) {
    VENUS_TRY_VOID(charge_gas(gas::kCreateActor));
    VENUS_TRY(auto existing, vm_.tree_.get_actor(id));
    if (existing) return actor_error(exit_code::kErrIllegalArgument, "actor {} already exists", id);
    // Every actor starts with the empty-array state until its constructor sets one (as the FVM does).
    static const Bytes kEmpty{0x80};
    VENUS_TRY(auto head, chain::put_cbor(vm_.tree_.store(), kEmpty));
    Actor a;
    a.code = code;
    a.head = head;
    a.delegated_address = std::move(delegated);
    return vm_.tree_.set_actor(id, a);
}

// ---- Vm -----------------------------------------------------------------------------------------
Status Vm::charge(std::int64_t amount) {
    gas_used_ += amount;
    if (gas_used_ > gas_limit_) {
        gas_used_ = gas_limit_;
        return actor_error(exit_code::kSysErrOutOfGas, "not enough gas (limit {})", gas_limit_);
    }
    return {};
}

Status Vm::transfer(std::uint64_t from, std::uint64_t to, const TokenAmount& amount) {
    if (amount.sign() < 0) return actor_error(exit_code::kSysErrForbidden, "negative transfer {}", amount.to_string());
    VENUS_TRY(auto f, tree_.get_actor(from));
    if (!f) return actor_error(exit_code::kSysErrSenderInvalid, "transfer from missing actor {}", from);
    if (f->balance < amount) {
        return actor_error(exit_code::kSysErrInsufficientFunds, "transfer of {} from {} exceeds balance {}",
                           amount.to_string(), from, f->balance.to_string());
    }
    if (from == to || amount.is_zero()) return {};
    VENUS_TRY(auto t, tree_.get_actor(to));
    if (!t) return actor_error(exit_code::kSysErrInvalidReceiver, "transfer to missing actor {}", to);
    f->balance -= amount;
    t->balance += amount;
    VENUS_TRY_VOID(tree_.set_actor(from, *f));
    return tree_.set_actor(to, *t);
}

Result<std::uint64_t> Vm::create_account(const Address& key) {
    VENUS_TRY_VOID(charge(gas::kCreateActor));
    VENUS_TRY(auto init, tree_.get_actor(id::kInit));
    if (!init) return make_error(Errc::kInternal, "init actor missing");
    VENUS_TRY(auto st, load_cbor<InitState>(tree_.store(), init->head));
    VENUS_TRY(auto map, chain::Hamt::load(tree_.store(), st.address_map));
    const auto id = st.next_id++;
    Bytes idv;
    CborWriter w(idv);
    w.write_uint(id);
    VENUS_TRY_VOID(map.set(key.bytes(), idv));
    VENUS_TRY(st.address_map, map.flush());
    VENUS_TRY(init->head, store_cbor(tree_.store(), st));
    VENUS_TRY_VOID(tree_.set_actor(id::kInit, *init));
    VENUS_TRY(auto head, store_cbor(tree_.store(), AccountState{key}));
    Actor a;
    a.code = actor_code(ActorType::kAccount);
    a.head = head;
    VENUS_TRY_VOID(tree_.set_actor(id, a));
    return id;
}

Result<Bytes> Vm::send(const Message& origin, std::uint64_t from, const Address& to, std::uint64_t method,
                       BytesView params, const TokenAmount& value) {
    if (call_depth_ >= kMaxCallDepth) return actor_error(exit_code::kSysErrForbidden, "call depth exceeded");
    VENUS_TRY_VOID(charge(gas::kSendBase));
    if (!value.is_zero()) VENUS_TRY_VOID(charge(gas::kSendTransferFunds));
    if (method != method::kSend) VENUS_TRY_VOID(charge(gas::kSendInvokeMethod));

    tree_.begin();
    auto run = [&]() -> Result<Bytes> {
        VENUS_TRY(auto to_id, tree_.lookup_id(to));
        if (!to_id) {
            if (to.protocol() != chain::Protocol::kSecp256k1 && to.protocol() != chain::Protocol::kBls) {
                return actor_error(exit_code::kSysErrInvalidReceiver, "actor not found: {}", to.to_string());
            }
            VENUS_TRY(to_id, create_account(to));
        } else {
            VENUS_TRY(auto exists, tree_.get_actor(*to_id));
            if (!exists) return actor_error(exit_code::kSysErrInvalidReceiver, "actor not found: {}", to.to_string());
        }
        VENUS_TRY_VOID(transfer(from, *to_id, value));
        if (method == method::kSend) return Bytes{};
        VENUS_TRY(auto actor, tree_.get_actor(*to_id));
        auto type = actor_type(actor->code);
        if (!type) return actor_error(exit_code::kSysErrInvalidReceiver, "actor {} has an unknown code", *to_id);
        Runtime rt(*this, *to_id, from, value, origin);
        ++call_depth_;
        auto r = invoke_actor(*type, rt, method, params);
        --call_depth_;
        return r;
    };
    auto r = run();
    if (r) {
        tree_.commit();
    } else {
        tree_.revert();
    }
    return r;
}

Result<ApplyResult> Vm::apply_message(const Message& msg, std::size_t chain_length) {
    const auto& base_fee = ctx_.base_fee;
    const std::int64_t msg_gas_cost = gas::on_chain_message(chain_length);
    if (msg_gas_cost > msg.gas_limit) {
        return precheck_failure(exit_code::kSysErrOutOfGas, base_fee * BigInt(msg_gas_cost),
                                fmt::format("message gas limit {} below the on-chain cost {}", msg.gas_limit, msg_gas_cost));
    }
    const TokenAmount limit_penalty = base_fee * BigInt(msg.gas_limit);
    VENUS_TRY(auto from_id, tree_.lookup_id(msg.from));
    std::optional<Actor> sender;
    if (from_id) {
        VENUS_TRY(sender, tree_.get_actor(*from_id));
    }
    if (!sender) {
        return precheck_failure(exit_code::kSysErrSenderInvalid, limit_penalty, "actor not found: sender");
    }
    auto sender_type = actor_type(sender->code);
    if (!sender_type || !is_signable(*sender_type)) {
        return precheck_failure(exit_code::kSysErrSenderInvalid, limit_penalty, "sender is not an account actor");
    }
    if (msg.nonce != sender->nonce) {
        return precheck_failure(exit_code::kSysErrSenderStateInvalid, limit_penalty,
                                fmt::format("actor nonce invalid: msg:{} != state:{}", msg.nonce, sender->nonce));
    }
    const TokenAmount gas_cost = msg.gas_fee_cap * BigInt(msg.gas_limit);
    if (sender->balance < gas_cost) {
        return precheck_failure(exit_code::kSysErrSenderStateInvalid, limit_penalty,
                                fmt::format("actor balance less than needed: {} < {}", sender->balance.to_string(),
                                            gas_cost.to_string()));
    }

    // Escrow the whole fee and bump the nonce; both stay even if execution fails.
    sender->balance -= gas_cost;
    sender->nonce += 1;
    VENUS_TRY_VOID(tree_.set_actor(*from_id, *sender));

    gas_limit_ = msg.gas_limit;
    gas_used_ = 0;
    actors_created_ = 0;
    (void)charge(msg_gas_cost);

    ApplyResult res;
    res.receipt.version = 1;
    // The outer layer lets the return-value charge (the value is stored on chain) undo the call.
    tree_.begin();
    auto ret = send(msg, *from_id, msg.to, msg.method, msg.params, msg.value);
    if (ret) {
        auto st = charge(gas::on_chain_return_value(ret->size()));
        if (st) {
            tree_.commit();
            res.receipt.return_value = std::move(*ret);
        } else {
            tree_.revert();
            res.receipt.exit_code = exit_code::kSysErrOutOfGas;
            res.error = st.error().message;
        }
    } else {
        tree_.revert();
        if (!is_actor_error(ret.error())) return std::move(ret).error();
        res.receipt.exit_code = ret.error().code.value();
        res.error = ret.error().message;
    }
    if (res.receipt.exit_code == exit_code::kSysErrOutOfGas) gas_used_ = gas_limit_;
    const std::int64_t gas_used = gas_used_;
    res.receipt.gas_used = gas_used;

    res.gas = compute_gas_outputs(gas_used, msg.gas_limit, base_fee, msg.gas_fee_cap, msg.gas_premium);
    res.penalty = res.gas.miner_penalty;
    res.miner_tip = res.gas.miner_tip;

    // Settle the escrow: burns to f099, the tip to the reward actor (paid out by AwardBlockReward),
    // the rest back to the sender.
    auto credit = [this](std::uint64_t id, const TokenAmount& amount) -> Status {
        if (amount.is_zero()) return {};
        VENUS_TRY(auto a, tree_.get_actor(id));
        if (!a) return make_error(Errc::kInternal, "fee recipient {} missing", id);
        a->balance += amount;
        return tree_.set_actor(id, *a);
    };
    VENUS_TRY_VOID(credit(id::kBurntFunds, res.gas.base_fee_burn + res.gas.over_estimation_burn));
    VENUS_TRY_VOID(credit(id::kReward, res.gas.miner_tip));
    VENUS_TRY_VOID(credit(*from_id, res.gas.refund));
    return res;
}

Result<ApplyResult> Vm::apply_implicit(const Message& msg) {
    gas_limit_ = kImplicitGasLimit;
    gas_used_ = 0;
    actors_created_ = 0;
    VENUS_TRY(auto from_id, tree_.lookup_id(msg.from));
    if (!from_id) return make_error(Errc::kInternal, "implicit message from unknown {}", msg.from.to_string());
    ApplyResult res;
    res.receipt.version = 1;
    auto ret = send(msg, *from_id, msg.to, msg.method, msg.params, msg.value);
    if (ret) {
        res.receipt.return_value = std::move(*ret);
    } else {
        if (!is_actor_error(ret.error())) return std::move(ret).error();
        res.receipt.exit_code = ret.error().code.value();
        res.error = ret.error().message;
    }
    res.receipt.gas_used = gas_used_;
    return res;
}

}  // namespace venus::plugins::node
