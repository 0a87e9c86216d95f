// SPDX-License-Identifier: Apache-2.0 OR MIT
//! sophon-messager's data model (venus-shared/types/messager): messages keyed by UUID with their
//! states, the sender addresses with their nonces and fee settings, the shared params, the extra
//! push nodes and the per-actor fee config; with their JSON forms as the original's API carries them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "venus/chain/types.hpp"
#include "venus/core/result.hpp"
#include "venus/rpc/json.hpp"

namespace venus::plugins::messager {

//! venus-shared MessageState (5 used to be ReplacedMsg, 6 NoWalletMsg: both gone since venus#5612).
enum class MsgState : int { kUnknown = 0, kUnFill = 1, kFill = 2, kOnChain = 3, kFailed = 4, kNonceConflict = 5 };
std::string_view to_string(MsgState s);
//! 1..5; anything else is an error naming the valid states.
Result<MsgState> parse_state(std::int64_t v);

//! AddressState: only Alive (and not deleted) addresses are selected and followed.
enum class AddrState : int { kAlive = 1, kRemoving = 2, kRemoved = 3, kForbidden = 4 };
std::string_view to_string(AddrState s);

//! Fee settings shared by addresses, actor configs and the shared params; zero = not set here.
struct FeeSpec {
    double gas_over_estimation = 0;
    chain::TokenAmount max_fee;
    chain::TokenAmount gas_fee_cap;
    double gas_over_premium = 0;
    chain::TokenAmount base_fee;  //!< the base-fee gate: no new fills while ParentBaseFee is above it
};

//! SendSpec given with a message (stored in meta_* columns). ExpireEpoch is stored, never enforced,
//! as in the original.
struct SendSpec {
    std::int64_t expire_epoch = 0;
    double gas_over_estimation = 0;
    chain::TokenAmount max_fee;
    double gas_over_premium = 0;
};

struct Receipt {
    std::int64_t exit_code = -1;
    Bytes return_value;
    std::int64_t gas_used = 0;
};

struct Message {
    std::string id;
    chain::Message msg;  //!< nonce 0 and the caller's gas fields until filled
    std::optional<chain::Signature> signature;
    std::optional<chain::Cid> unsigned_cid;
    std::optional<chain::Cid> signed_cid;
    std::int64_t height = 0;  //!< of the tipset that contains it
    Receipt receipt;
    std::string tipset_key;  //!< JSON of the containing tipset's key; empty until on chain
    SendSpec meta;
    std::string wallet_name;  //!< the auth user whose token pushed it
    MsgState state = MsgState::kUnFill;
    std::string error_msg;
    std::int64_t created_at = 0;  //!< unix microseconds (unique per process: orders newest first)
    std::int64_t updated_at = 0;

    //! The signed message as the chain carries it (only for filled messages).
    chain::SignedMessage signed_message() const { return {msg, signature.value_or(chain::Signature{})}; }
};

struct Address {
    std::string id;
    chain::Address addr;
    std::uint64_t nonce = 0;  //!< the next nonce to assign
    std::int64_t weight = 0;
    AddrState state = AddrState::kAlive;
    std::uint64_t sel_msg_num = 0;  //!< 0: the shared params' value
    FeeSpec fee;
    bool is_deleted = false;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    bool active() const { return state == AddrState::kAlive && !is_deleted; }
};

struct SharedParams {
    std::uint64_t sel_msg_num = 20;
    FeeSpec fee;
    //! sophon-messager's DefSharedParams: 20 per round, 1.25 over-estimation, 0.07 FIL max fee.
    static SharedParams defaults();
};

struct Node {
    std::string id;
    std::string name;
    std::string url;
    std::string token;
    int node_type = 1;  //!< 1 FullNode, 2 LightNode
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct ActorCfg {
    std::string id;
    std::int64_t actor_version = 0;
    std::string code;  //!< actor code CID text
    std::uint64_t method = 0;
    FeeSpec fee;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

//! MsgQueryParams of ListMessage.
struct MsgQuery {
    std::vector<MsgState> states;
    std::vector<std::string> from;  //!< address strings; empty = all
    bool by_update_at = false;
    bool asc = false;
    std::int64_t limit = 0;  //!< 0 = no limit
    std::int64_t offset = 0;
    std::int64_t created_before = 0;  //!< unix us; 0 = any
};

// ---- JSON (venus-shared field names) ----------------------------------------------------------

//! `head_height` computes Confidence for on-chain messages (the original stores none).
void write_message(rpc::JsonOut& w, const Message& m, std::int64_t head_height);
void write_address(rpc::JsonOut& w, const Address& a);
void write_shared(rpc::JsonOut& w, const SharedParams& s);
void write_node(rpc::JsonOut& w, const Node& n);
void write_actor_cfg(rpc::JsonOut& w, const ActorCfg& c);
//! Go's time.Time JSON (RFC 3339 with microseconds, UTC).
std::string rfc3339(std::int64_t unix_us);

//! SendSpec JSON (`expireEpoch, gasOverEstimation, maxFee, gasOverPremium`); null = empty.
Result<SendSpec> parse_send_spec(const rpc::JsonValue& v);
//! FeeSpec fields from an object (`gasOverEstimation, maxFee, gasFeeCap, gasOverPremium, baseFee`,
//! or with a `Str` suffix for the big ints as AddressSpec sends them); absent fields keep `base`.
Result<FeeSpec> parse_fee_spec(const rpc::JsonValue& v, FeeSpec base);
Result<SharedParams> parse_shared(const rpc::JsonValue& v, SharedParams base);

//! The original's limit on Params (the message pool refuses messages above 64 KiB anyway).
inline constexpr std::size_t kMaxParamsBytes = 64 * 1024;

std::int64_t now_us();

}  // namespace venus::plugins::messager
