// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "wallet_module.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <set>

#include "genesis_import.hpp"
#include "keystore.hpp"
#include "prover.hpp"
#include "provider_link.hpp"
#include "settings.hpp"
#include "signing.hpp"
#include "venus/api/wallet.hpp"
#include "venus/app/context.hpp"
#include "venus/app/repo.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/server.hpp"

namespace venus::plugins::wallet {

namespace {

namespace wire = api::wire;
using rpc::CallContext;
using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;

auto logger() { return log::get("wallet"); }

class LocalWallet final : public api::Wallet {
  public:
    LocalWallet(Keystore& ks, Bytes rand) : ks_(ks), rand_(std::move(rand)) {}
    Result<std::vector<chain::Address>> list() override { return ks_.list(); }
    Result<bool> has(const chain::Address& a) override { return ks_.has(a); }
    Result<chain::Address> new_key(chain::SigType type) override {
        VENUS_TRY(auto key, chain::generate_key(type));
        return ks_.put(key);
    }
    Result<chain::Signature> sign(const chain::Address& signer, BytesView to_sign, const api::SignMeta& meta) override {
        VENUS_TRY(auto key, ks_.get(signer));
        VENUS_TRY(auto data, checked_sign_bytes(to_sign, meta, rand_));
        return chain::sign(key, data);
    }
    const Bytes& rand() const { return rand_; }

  private:
    Keystore& ks_;
    Bytes rand_;  //!< this process's SignBytes for the gateway's address challenge
};

Result<chain::Address> param_address(const JsonValue& p, std::size_t i) {
    VENUS_TRY(auto s, rpc::param_string(p, i));
    auto a = chain::Address::parse(s);
    if (!a) return a.error().wrap(fmt::format("param {}", i));
    return std::move(*a);
}

rpc::RawJson address_json(const chain::Address& a) { return rpc::json_string(a.to_string()); }

class WalletModule final : public app::Module {
  public:
    std::string_view name() const noexcept override { return "wallet"; }
    std::string default_config() const override { return Settings::kDefaultText; }

    Status initialize(app::Context& ctx) override {
        ctx_ = &ctx;
        VENUS_TRY(settings_, Settings::load(ctx.config));
        std::optional<std::string> passphrase;
        if (!settings_.passphrase_file.empty()) {
            VENUS_TRY(auto text, app::read_file(settings_.passphrase_file));
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
            passphrase = text;
        } else if (const char* env = std::getenv("VENUS_WALLET_PASSPHRASE"); env != nullptr && *env != 0) {
            passphrase = env;
        }
        if (passphrase && passphrase->empty()) return make_error(Errc::kConfig, "[wallet] the passphrase is empty");
        auto ks = Keystore::open(ctx.paths.repo / "wallet", passphrase);
        if (!ks) return ks.error().wrap("opening the wallet keystore");
        keystore_ = std::move(*ks);
        Bytes rand(32);
        if (RAND_bytes(rand.data(), 32) != 1) return make_error(Errc::kInternal, "no randomness");
        wallet_ = std::make_shared<LocalWallet>(*keystore_, std::move(rand));
        ctx.services.provide<api::Wallet>(wallet_);
        return ctx.methods.add_all(methods());
    }

    Status start() override {
        // In start(): the node writes the genesis keys during its initialize, which may follow ours.
        std::vector<std::string> genesis_miners;
        if (settings_.genesis_keys) {
            auto m = import_genesis_keys(ctx_->paths.repo, ctx_->paths.repo / "wallet", *keystore_);
            if (!m) return m.error().wrap("[wallet] importing the genesis keys");
            genesis_miners = std::move(*m);
        }
        auto provers = settings_.prover_miners;
        rpc::ApiInfo info;
        if (!settings_.gateway.empty()) {
            auto parsed = rpc::parse_api_info(settings_.gateway);
            if (!parsed) return parsed.error().wrap("[wallet] gateway");
            info = *parsed;
        } else if (settings_.connect_local && ctx_->is_enabled("gateway")) {
            // The in-process gateway, reached over loopback with the daemon's own token: the same
            // protocol as a remote wallet, so there is one code path to test.
            auto bound = ctx_->server.bound();
            auto token = app::read_file(ctx_->paths.repo / "token");
            if (bound.empty() || !token) return make_error(Errc::kConfig, "[wallet] cannot reach the local gateway");
            std::string t = *token;
            while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
            info.token = t;
            info.addr = bound.front();
            // This process's auth binds the genesis miners to the daemon's own user (the token's
            // account), so the gateway takes this wallet's proofs for them.
            if (ctx_->is_enabled("auth")) {
                for (const auto& m : genesis_miners) {
                    if (std::find(provers.begin(), provers.end(), m) == provers.end()) provers.push_back(m);
                }
            }
        } else {
            logger()->info("no gateway configured: the wallet only serves its own API");
            return {};
        }
        // The links connect and sign on a pool of their own: a link blocks a thread while it
        // subscribes, and the in-process gateway answering it needs the daemon's workers (with one
        // link per genesis miner those would all be taken, and every subscribe would time out).
        link_pool_ = std::make_unique<asio::thread_pool>(4);
        start_wallet_link(info);
        for (const auto& m : provers) start_prover_link(info, m);
        return {};
    }

    void stop() noexcept override {
        if (wallet_link_) wallet_link_->stop();
        for (auto& p : prover_links_) p->stop();
    }

  private:
    void start_wallet_link(const rpc::ApiInfo& info) {
        rpc::JsonBuilder b;
        b.out().StartObject();
        rpc::write_key(b.out(), "SupportAccounts");
        b.out().StartArray();
        for (const auto& a : settings_.accounts) rpc::write_string(b.out(), a);
        b.out().EndArray();
        rpc::write_key(b.out(), "SignBytes");
        rpc::write_string(b.out(), to_base64(wallet_->rand()));
        b.out().EndObject();
        ProviderLink::Options o{info, "Gateway.ListenWalletEvent", "Gateway.ResponseWalletEvent", b.take(), "wallet"};
        auto wallet = wallet_;
        auto ks = keystore_.get();
        // The gateway asks WalletList first and sends InitConnect (the channel id) only once it has
        // verified them; a key imported in between is in neither, so it is announced on InitConnect.
        struct Listed {
            std::mutex mu;
            std::set<chain::Address> addrs;
        };
        auto listed = std::make_shared<Listed>();
        wallet_link_ = std::make_shared<ProviderLink>(
            std::move(o),
            [wallet, ks, listed](const wire::RequestEvent& ev) -> Result<std::string> {
                if (ev.method == "WalletList") {
                    const auto addrs = ks->list();
                    {
                        std::lock_guard lock(listed->mu);
                        listed->addrs = std::set<chain::Address>(addrs.begin(), addrs.end());
                    }
                    rpc::JsonBuilder out;
                    out.out().StartArray();
                    for (const auto& a : addrs) rpc::write_string(out.out(), a.to_string());
                    out.out().EndArray();
                    return out.take().text;
                }
                if (ev.method == "WalletSign") {
                    rpc::JsonDocument doc;
                    VENUS_TRY_VOID(rpc::parse_json(ev.payload, doc));
                    VENUS_TRY(auto req, wire::parse_wallet_sign_request(doc));
                    VENUS_TRY(auto sig, wallet->sign(req.signer, req.to_sign, req.meta));
                    return wire::to_json(sig).text;
                }
                return make_error(Errc::kUnsupported, "unknown wallet event {}", ev.method);
            },
            ctx_->control, *link_pool_);
        wallet_link_->on_ready([this, ks, listed] {
            std::vector<chain::Address> missed;
            {
                std::lock_guard lock(listed->mu);
                for (const auto& a : ks->list()) {
                    if (!listed->addrs.contains(a)) missed.push_back(a);
                }
            }
            for (const auto& a : missed) announce("Gateway.AddNewAddress", a);
        });
        wallet_link_->start();
    }

    void start_prover_link(const rpc::ApiInfo& info, const std::string& miner) {
        rpc::JsonBuilder b;
        b.out().StartObject();
        rpc::write_key(b.out(), "MinerAddress");
        rpc::write_string(b.out(), miner);
        b.out().EndObject();
        ProviderLink::Options o{info, "Gateway.ListenProofEvent", "Gateway.ResponseProofEvent", b.take(),
                                "prover " + miner};
        auto prover = std::make_shared<MockProver>(settings_.test_prover_delay);
        auto link = std::make_shared<ProviderLink>(
            std::move(o),
            [prover](const wire::RequestEvent& ev) -> Result<std::string> {
                if (ev.method == "ComputeProof") return prover->compute_proof(ev.payload);
                return make_error(Errc::kUnsupported, "unknown proof event {}", ev.method);
            },
            ctx_->control, *link_pool_);
        link->start();
        prover_links_.push_back(link);
    }

    //! New keys reach the gateway at once (venus-wallet#40: they used to wait for a restart).
    void announce(const std::string& method, const chain::Address& a) {
        if (!wallet_link_) return;
        auto channel = wallet_link_->channel_id();
        if (channel.empty()) return;  // not registered yet: WalletList will include it
        auto params = rpc::make_params([&](rpc::JsonOut& o) {
            rpc::write_string(o, channel);
            o.StartArray();
            rpc::write_string(o, a.to_string());
            o.EndArray();
        });
        wallet_link_->call_async(method, params, [method, a](Result<rpc::RawJson> r) {
            if (!r) logger()->warn("{} {}: {}", method, a.to_string(), r.error().message);
        });
    }

    std::vector<rpc::MethodSpec> methods() {
        std::vector<rpc::MethodSpec> t;
        auto add = [&](std::string name, Perm perm, int min, int max,
                       std::function<Result<rpc::RawJson>(const JsonValue&)> fn, std::string doc) {
            t.push_back({"Filecoin." + name, perm, Exec::kWorker, min, max,
                         rpc::sync_handler([fn = std::move(fn)](CallContext&, const JsonValue& p) { return fn(p); }),
                         std::move(doc)});
        };
        add("WalletNew", Perm::kWrite, 1, 1,
            [this](const JsonValue& p) -> Result<rpc::RawJson> {
                VENUS_TRY(auto type_name, rpc::param_string(p, 0));
                VENUS_TRY(auto type, chain::parse_key_type(type_name == "secp256k1-ledger" ? "secp256k1" : type_name));
                VENUS_TRY(auto addr, wallet_->new_key(type));
                announce("Gateway.AddNewAddress", addr);
                return address_json(addr);
            },
            "a new key (secp256k1 or bls) in the built-in wallet");
        add("WalletList", Perm::kWrite, 0, 0,
            [this](const JsonValue&) -> Result<rpc::RawJson> {
                rpc::JsonBuilder b;
                b.out().StartArray();
                for (const auto& a : keystore_->list()) rpc::write_string(b.out(), a.to_string());
                b.out().EndArray();
                return b.take();
            },
            "the built-in wallet's addresses");
        add("WalletHas", Perm::kWrite, 1, 1,
            [this](const JsonValue& p) -> Result<rpc::RawJson> {
                VENUS_TRY(auto a, param_address(p, 0));
                return rpc::json_bool(keystore_->has(a));
            },
            "the built-in wallet holds the address");
        add("WalletExport", Perm::kAdmin, 1, 1,
            [this](const JsonValue& p) -> Result<rpc::RawJson> {
                VENUS_TRY(auto a, param_address(p, 0));
                VENUS_TRY(auto key, keystore_->get(a));
                return rpc::RawJson{chain::key_info_json(key)};
            },
            "a key as Lotus KeyInfo");
        add("WalletImport", Perm::kAdmin, 1, 1,
            [this](const JsonValue& p) -> Result<rpc::RawJson> {
                VENUS_TRY(auto key, chain::parse_key_info_json(rpc::to_json_text(p[0])));
                VENUS_TRY(auto addr, keystore_->put(key));
                announce("Gateway.AddNewAddress", addr);
                return address_json(addr);
            },
            "imports a Lotus KeyInfo");
        add("WalletDelete", Perm::kAdmin, 1, 1,
            [this](const JsonValue& p) -> Result<rpc::RawJson> {
                VENUS_TRY(auto a, param_address(p, 0));
                VENUS_TRY_VOID(keystore_->remove(a));
                announce("Gateway.RemoveAddress", a);
                return rpc::json_null();
            },
            "deletes a key");
        add("WalletDefaultAddress", Perm::kWrite, 0, 0,
            [this](const JsonValue&) -> Result<rpc::RawJson> {
                auto d = keystore_->default_address();
                if (!d) return make_error(Errc::kNotFound, "no default address set");
                return address_json(*d);
            },
            "the default address");
        add("WalletSetDefault", Perm::kWrite, 1, 1,
            [this](const JsonValue& p) -> Result<rpc::RawJson> {
                VENUS_TRY(auto a, param_address(p, 0));
                VENUS_TRY_VOID(keystore_->set_default(a));
                return rpc::json_null();
            },
            "sets the default address");
        // Lotus's (addr, data) form signs blindly: admin only, for the operator's CLI. With a third
        // param (MsgMeta) the request is checked like a gateway request.
        add("WalletSign", Perm::kAdmin, 2, 3,
            [this](const JsonValue& p) -> Result<rpc::RawJson> {
                VENUS_TRY(auto a, param_address(p, 0));
                VENUS_TRY(auto data_b64, rpc::param_string(p, 1));
                VENUS_TRY(auto data, from_base64(data_b64));
                if (p.Size() > 2 && !p[2].IsNull()) {
                    VENUS_TRY(auto meta, wire::parse_meta(p[2]));
                    VENUS_TRY(auto sig, wallet_->sign(a, data, meta));
                    return wire::to_json(sig);
                }
                VENUS_TRY(auto key, keystore_->get(a));
                VENUS_TRY(auto sig, chain::sign(key, data));
                return wire::to_json(sig);
            },
            "signs bytes with a key of the built-in wallet");
        return t;
    }

    app::Context* ctx_ = nullptr;
    Settings settings_;
    std::unique_ptr<Keystore> keystore_;
    std::shared_ptr<LocalWallet> wallet_;
    //! Joined (destroyed) before the keystore and wallet its tasks use, after the links let go.
    std::unique_ptr<asio::thread_pool> link_pool_;
    std::shared_ptr<ProviderLink> wallet_link_;
    std::vector<std::shared_ptr<ProviderLink>> prover_links_;
};

}  // namespace

std::unique_ptr<app::Module> make_wallet_module() { return std::make_unique<WalletModule>(); }

}  // namespace venus::plugins::wallet
