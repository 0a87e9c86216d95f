// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The gateway as other modules see it (miner, messager): signing requests routed to the wallets that
//! storage providers connect, and proof requests routed to their provers. Two implementations: the
//! in-process gateway module (plugins/gateway) and a JSON-RPC client of a remote venusd or of the
//! original sophon-gateway (`make_remote_gateway`, plugins/gateway/remote_gateway.cpp).
//!
//! Completion callbacks run once, on any thread (a network thread when the answer arrives, the
//! caller's thread for an immediate error). The remote implementation blocks the calling thread for
//! the round trip: call it from the worker pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "venus/chain/address.hpp"
#include "venus/chain/types.hpp"
#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/json.hpp"

namespace venus::api {

//! venus-shared types.MsgMeta: what `to_sign` is, so the wallet can check it before signing.
struct SignMeta {
    std::string type;  //!< one of the kMeta* values
    Bytes extra;       //!< "message": the CBOR message; "verifyaddress": the gateway's random bytes
};

inline constexpr std::string_view kMetaMessage = "message";              //!< to_sign = CID bytes of Extra
inline constexpr std::string_view kMetaBlock = "block";                  //!< to_sign = CBOR header, BlockSig null
inline constexpr std::string_view kMetaDrawRandomParam = "drawrandomparam";  //!< to_sign = CBOR DrawRandomParams
inline constexpr std::string_view kMetaVerifyAddress = "verifyaddress";  //!< to_sign = sha256(Extra ‖ wallet rand)

class Gateway {
  public:
    using SignDone = std::function<void(Result<chain::Signature>)>;
    using JsonDone = std::function<void(Result<rpc::RawJson>)>;
    virtual ~Gateway() = default;

    //! Signs with `signer` in a wallet that serves one of `accounts`; fails over to the other wallets
    //! holding the address. The error says why nothing matched (no wallet for the accounts, address
    //! not registered).
    virtual void wallet_sign(std::vector<std::string> accounts, chain::Address signer, Bytes to_sign, SignMeta meta,
                             SignDone done) = 0;
    //! True when a connected wallet serving one of `accounts` holds `addr` (no wallet is contacted).
    virtual Result<bool> wallet_has(const std::vector<std::string>& accounts, const chain::Address& addr) = 0;
    //! Winning/window PoSt from the miner's prover. `sector_infos` is the JSON array of
    //! ExtendedSectorInfo; the result is the JSON array of PoStProof.
    virtual void compute_proof(chain::Address miner, rpc::RawJson sector_infos, Bytes rand, std::int64_t height,
                               std::uint64_t network_version, JsonDone done) = 0;
};

// ---- The channel protocol (sophon-gateway, venus-shared/types/gateway) ------------------------------
//! Wallets, provers and markets connect with Gateway.Listen{Wallet,Proof,Market}Event over WebSocket;
//! each request reaches them as an `xrpc.ch.val` carrying a RequestEvent, and they answer with
//! Gateway.Response{Wallet,Proof,Market}Event(ResponseEvent). Payloads are JSON, base64 on the wire.
namespace wire {

struct RequestEvent {
    std::string id;       //!< uuid
    std::string method;   //!< InitConnect, WalletList, WalletSign, ComputeProof, SectorsUnsealPiece
    std::string payload;  //!< JSON text ("null" when there is nothing)
};

struct ResponseEvent {
    std::string id;
    std::string payload;  //!< JSON text of the result; empty when `error` is set
    std::string error;
};

//! `{"Id","Method","Payload":base64}`.
rpc::RawJson to_json(const RequestEvent& e);
Result<RequestEvent> parse_request_event(const rpc::JsonValue& v);
//! `{"Id","Payload":base64,"Error"}`.
rpc::RawJson to_json(const ResponseEvent& e);
Result<ResponseEvent> parse_response_event(const rpc::JsonValue& v);

//! WalletSignRequest `{"Signer","ToSign":b64,"Meta":{"Type","Extra":b64}}`.
struct WalletSignRequest {
    chain::Address signer;
    Bytes to_sign;
    SignMeta meta;
};
rpc::RawJson to_json(const WalletSignRequest& r);
Result<WalletSignRequest> parse_wallet_sign_request(const rpc::JsonValue& v);
//! MsgMeta `{"Type","Extra":b64}` as the v1/v2 WalletSign param.
void write_meta(rpc::JsonOut& out, const SignMeta& m);
Result<SignMeta> parse_meta(const rpc::JsonValue& v);

//! `Signature{"Type":1|2|3,"Data":b64}`.
rpc::RawJson to_json(const chain::Signature& s);
Result<chain::Signature> parse_signature(const rpc::JsonValue& v);

//! A random RFC 4122 version-4 uuid (request and channel ids).
std::string new_uuid();

}  // namespace wire

//! A client of a remote gateway's /rpc/v2 (venusd or sophon-gateway). The token needs admin.
std::shared_ptr<Gateway> make_remote_gateway(rpc::ApiInfo info,
                                             std::chrono::milliseconds timeout = std::chrono::minutes(5));

}  // namespace venus::api
