// SPDX-License-Identifier: Apache-2.0 OR MIT
//! sophon-gateway's behaviour: provider registration (accounts checked in auth, wallet addresses
//! proven by the signing challenge, signers registered), routing by account+address and by miner with
//! failover, listings, and the reverse-proxy table. Thread-safe; auth calls may block, so the
//! registration entry points run on the worker pool.
#pragma once

#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hub.hpp"
#include "settings.hpp"
#include "venus/api/auth.hpp"
#include "venus/api/gateway.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::gateway {

class GatewayService final : public api::Gateway, public std::enable_shared_from_this<GatewayService> {
  public:
    GatewayService(const Settings& settings, std::shared_ptr<api::Auth> auth, asio::thread_pool& workers);
    ~GatewayService() override;

    void start(asio::io_context& control) { hub_.start(control); }
    void export_metrics(metrics::Registry& registry) { hub_.export_metrics(registry); }
    void stop() { hub_.stop(); }

    // ---- provider side (wallets, provers, markets) ----
    //! params: [WalletRegisterPolicy{SupportAccounts, SignBytes}]
    void listen_wallet(rpc::CallContext& ctx, const rpc::JsonValue& params, rpc::Reply reply);
    //! params: [{MinerAddress}] / [{Miner}]
    void listen_miner(StreamKind kind, rpc::CallContext& ctx, const rpc::JsonValue& params, rpc::Reply reply);
    Status respond(const rpc::JsonValue& params);
    Status support_new_account(const rpc::Claims& who, const std::string& channel_id, const std::string& account);
    void add_new_address(const rpc::Claims& who, std::string channel_id, std::vector<chain::Address> addrs,
                         std::function<void(Status)> done);
    Status remove_address(const rpc::Claims& who, const std::string& channel_id,
                          const std::vector<chain::Address>& addrs);

    // ---- client side ----
    void wallet_sign(std::vector<std::string> accounts, chain::Address signer, Bytes to_sign, api::SignMeta meta,
                     SignDone done) override;
    //! With the caller's cancellation; the answer stays JSON (a Signature object).
    void wallet_sign_json(const std::vector<std::string>& accounts, const chain::Address& signer, BytesView to_sign,
                          const api::SignMeta& meta, Hub::Done done, std::shared_ptr<rpc::CancelToken> cancel);
    Result<bool> wallet_has(const std::vector<std::string>& accounts, const chain::Address& addr) override;
    void compute_proof(chain::Address miner, rpc::RawJson sector_infos, Bytes rand, std::int64_t height,
                       std::uint64_t network_version, JsonDone done) override;
    //! Routes an already-built payload to a miner's proof or market connections.
    void send_to_miner(StreamKind kind, const chain::Address& miner, std::string method, std::string payload,
                       Hub::Done done, std::shared_ptr<rpc::CancelToken> cancel);

    // ---- listings (sophon-gateway JSON shapes) ----
    rpc::RawJson list_wallet_info() const;
    Result<rpc::RawJson> list_wallet_info_by_wallet(const std::string& account) const;
    rpc::RawJson list_connected_miners() const;
    Result<rpc::RawJson> list_miner_connection(const chain::Address& miner) const;
    rpc::RawJson list_market_connections() const;

    //! RegisterReverse: an empty address unsets the key.
    Status register_reverse(const std::string& key, const std::string& address);
    std::map<std::string, std::string> reverse_proxies() const;

    Hub& hub() { return hub_; }

  private:
    void verify_address(const std::shared_ptr<Connection>& conn, const chain::Address& addr,
                        std::function<void(Status)> done);
    void on_wallet_list(const std::shared_ptr<Connection>& conn, Result<std::string> r);
    void finish_wallet(const std::shared_ptr<Connection>& conn, std::vector<chain::Address> addrs);
    void abort_stream(const std::shared_ptr<Connection>& conn, const std::string& why);
    void register_signers(const std::vector<std::string>& accounts, const std::vector<chain::Address>& addrs);
    std::vector<std::string> support_of(const std::string& account) const;  // caller holds no lock
    Result<std::shared_ptr<Connection>> owned_wallet(const rpc::Claims& who, const std::string& channel_id) const;

    Hub hub_;
    std::shared_ptr<api::Auth> auth_;
    asio::thread_pool& workers_;
    Bytes gateway_rand_;  //!< 32 random bytes per process: the challenge's Extra
    mutable std::mutex proxy_mu_;
    std::map<std::string, std::string> proxy_;
};

}  // namespace venus::plugins::gateway
