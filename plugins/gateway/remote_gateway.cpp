// SPDX-License-Identifier: Apache-2.0 OR MIT
// api::Gateway over JSON-RPC to a remote gateway's /rpc/v2 (venusd or sophon-gateway).
#include <mutex>

#include "venus/api/gateway.hpp"
#include "venus/rpc/client.hpp"

namespace venus::api {

namespace {

class RemoteGateway final : public Gateway {
  public:
    RemoteGateway(rpc::ApiInfo info, std::chrono::milliseconds timeout) : client_(std::move(info), "/rpc/v2", timeout) {}

    void wallet_sign(std::vector<std::string> accounts, chain::Address signer, Bytes to_sign, SignMeta meta,
                     SignDone done) override {
        auto params = rpc::make_params([&](rpc::JsonOut& o) {
            rpc::write_string(o, signer.to_string());
            o.StartArray();
            for (const auto& a : accounts) rpc::write_string(o, a);
            o.EndArray();
            rpc::write_string(o, to_base64(to_sign));
            wire::write_meta(o, meta);
        });
        auto r = call("Gateway.WalletSign", params);
        if (!r) return done(r.error());
        rpc::JsonDocument doc;
        if (auto st = rpc::parse_json(r->text, doc); !st) return done(st.error());
        done(wire::parse_signature(doc));
    }

    Result<bool> wallet_has(const std::vector<std::string>& accounts, const chain::Address& addr) override {
        auto params = rpc::make_params([&](rpc::JsonOut& o) {
            rpc::write_string(o, addr.to_string());
            o.StartArray();
            for (const auto& a : accounts) rpc::write_string(o, a);
            o.EndArray();
        });
        auto r = call("Gateway.WalletHas", params);
        if (!r) return r.error();
        const std::string& text = r->text;
        return text.size() == 4 && text.compare(0, 4, "true") == 0;
    }

    void compute_proof(chain::Address miner, rpc::RawJson sector_infos, Bytes rand, std::int64_t height,
                       std::uint64_t network_version, JsonDone done) override {
        auto params = rpc::make_params([&](rpc::JsonOut& o) {
            rpc::write_string(o, miner.to_string());
            rpc::write_raw(o, sector_infos.text.empty() ? rpc::RawJson{"null"} : sector_infos);
            rpc::write_string(o, to_base64(rand));
            o.Int64(height);
            o.Uint64(network_version);
        });
        done(call("Gateway.ComputeProof", params));
    }

  private:
    Result<rpc::RawJson> call(std::string_view method, const rpc::RawJson& params) {
        // cpp-httplib clients are not safe for concurrent requests on one connection.
        std::lock_guard lock(mu_);
        return client_.call(method, params);
    }

    std::mutex mu_;
    rpc::HttpRpcClient client_;
};

}  // namespace

std::shared_ptr<Gateway> make_remote_gateway(rpc::ApiInfo info, std::chrono::milliseconds timeout) {
    return std::make_shared<RemoteGateway>(std::move(info), timeout);
}

}  // namespace venus::api
