// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "status_sections.hpp"

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "venus/rpc/api_info.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/server.hpp"

namespace venus::app {

namespace {

using rpc::JsonDocument;
using rpc::JsonValue;

constexpr auto kProbeTimeout = std::chrono::milliseconds(1500);

std::string fmt_duration(std::int64_t secs) {
    if (secs < 0) return fmt::format("{} s in the future", -secs);
    if (secs < 120) return fmt::format("{} s", secs);
    if (secs < 7200) return fmt::format("{} min", secs / 60);
    if (secs < 172800) return fmt::format("{} h {} min", secs / 3600, secs % 3600 / 60);
    return fmt::format("{} d {} h", secs / 86400, secs % 86400 / 3600);
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool has_method(Context& ctx, std::string_view name) { return ctx.methods.find(name) != nullptr; }

// Calls methods one after another (later calls may depend on earlier answers), then `finish`: in
// process, or on a remote module through its api-info (blocking HTTP, on the worker pool).
struct Calls : std::enable_shared_from_this<Calls> {
    Context& ctx;
    std::vector<std::pair<std::string, std::string>> queue;  // method, params
    std::map<std::string, Result<std::shared_ptr<JsonDocument>>> results;
    std::function<void(Calls&)> finish;
    std::optional<rpc::ApiInfo> remote;
    std::shared_ptr<rpc::HttpRpcClient> client;
    bool unreachable = false;

    explicit Calls(Context& c) : ctx(c) {}
    void run() {
        // An unreachable remote fails every call the same way: one timeout is enough.
        if (queue.empty() || unreachable) return finish(*this);
        const std::string method = queue.front().first;
        std::string params = queue.front().second;
        queue.erase(queue.begin());
        auto record = [self = shared_from_this(), method](Result<rpc::RawJson> r) {
            if (!r) {
                if (self->remote && !rpc::is_remote_error(r.error())) self->unreachable = true;
                self->results.emplace(method, r.error());
            } else {
                auto doc = std::make_shared<JsonDocument>();
                if (auto st = rpc::parse_json(r->text, *doc); !st) {
                    self->results.emplace(method, st.error());
                } else {
                    self->results.emplace(method, doc);
                }
            }
            self->run();
        };
        if (!remote) return call_local(ctx, method, params, std::move(record));
        asio::post(ctx.workers, [self = shared_from_this(), method, params, record = std::move(record)]() mutable {
            if (!self->client) self->client = std::make_shared<rpc::HttpRpcClient>(*self->remote, "/rpc/v1", kProbeTimeout);
            record(self->client->call(method, rpc::RawJson{params}));
        });
    }
    const JsonValue* get(const std::string& method) const {
        auto it = results.find(method);
        return it != results.end() && it->second ? it->second.value().get() : nullptr;
    }
    std::string error(const std::string& method) const {
        auto it = results.find(method);
        return it != results.end() && !it->second ? it->second.error().message : std::string();
    }
};

class AsyncSection final : public StatusSection {
  public:
    using Fn = std::function<void(std::function<void(StatusSectionData)>)>;
    explicit AsyncSection(Fn fn) : fn_(std::move(fn)) {}
    void collect(std::function<void(StatusSectionData)> done) override { fn_(std::move(done)); }

  private:
    Fn fn_;
};

std::string str_member(const JsonValue& v, const char* k) {
    return v.IsObject() && v.HasMember(k) && v[k].IsString() ? v[k].GetString() : std::string();
}
std::int64_t int_member(const JsonValue& v, const char* k, std::int64_t fallback = 0) {
    return v.IsObject() && v.HasMember(k) && v[k].IsInt64() ? v[k].GetInt64() : fallback;
}

// ---- daemon ----

StatusSectionData daemon_section(Context& ctx, const DaemonFacts& facts) {
    StatusSectionData s;
    s.id = "daemon";
    s.title = "Daemon";
    const bool ready = facts.ready();
    s.items.push_back({"version", "Version", facts.version});
    s.items.push_back({"ready", "Ready", ready ? "yes" : "starting", ready ? Health::kOk : Health::kWarn});
    s.items.push_back({"uptime", "Uptime",
                       fmt_duration(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                                     facts.started)
                                        .count())});
    std::string mods;
    for (const auto& m : ctx.enabled) mods += (mods.empty() ? "" : ", ") + m;
    s.items.push_back({"modules", "Modules here", mods.empty() ? "none" : mods});
    std::string listen;
    for (const auto& b : ctx.server.bound()) listen += (listen.empty() ? "" : ", ") + b.to_string();
    s.items.push_back({"listeners", "Listening on", listen});
    s.items.push_back({"connections", "Open connections", std::to_string(ctx.server.connection_count())});
    s.items.push_back({"repo", "Repo", ctx.paths.repo.string()});
    return s;
}

// ---- modules and peers ----

struct Peer {
    std::string key;  // "[node] peers"
    rpc::ApiInfo info;
};

// Every api-info in the config (other modules' addresses): values that parse as one and name a
// network address. Listen keys are this daemon's own addresses, not peers.
std::vector<Peer> configured_peers(const Context& ctx) {
    const Config& config = ctx.config;
    std::vector<Peer> out;
    auto consider = [&](const std::string& section, const std::string& key, std::string_view value) {
        if (value.empty() || key.find("listen") != std::string::npos) return;
        if (value.find("/ip4/") == std::string_view::npos && value.find("/ip6/") == std::string_view::npos &&
            value.find("/dns") == std::string_view::npos && value.find("://") == std::string_view::npos) {
            return;
        }
        auto info = rpc::parse_api_info(value);
        if (info) out.push_back({"[" + section + "] " + key, std::move(*info)});
    };
    for (const auto& [section, node] : config.table()) {
        if (!node.is_table()) continue;
        // A module that does not run here does not use its section; [api] auth_url is used when auth
        // runs elsewhere.
        const std::string name(section.str());
        if (name == "api" ? ctx.is_enabled("auth") : !ctx.is_enabled(name)) continue;
        for (const auto& [key, value] : *node.as_table()) {
            if (const auto* s = value.as_string()) consider(std::string(section.str()), std::string(key.str()), s->get());
            if (const auto* a = value.as_array()) {
                for (const auto& item : *a) {
                    if (const auto* s = item.as_string()) consider(std::string(section.str()), std::string(key.str()), s->get());
                }
            }
        }
    }
    return out;
}

// A TCP connect within kProbeTimeout: the cheapest check that works against venusd and the original
// sophon/lotus services alike (they share no health route).
void probe(asio::io_context& io, const rpc::Multiaddr& addr, std::function<void(bool, std::string)> done) {
    struct Probe {
        asio::ip::tcp::resolver resolver;
        asio::ip::tcp::socket socket;
        asio::steady_timer timer;
        std::function<void(bool, std::string)> done;
        bool finished = false;
        explicit Probe(asio::io_context& io) : resolver(io), socket(io), timer(io) {}
        void finish(bool ok, std::string why) {
            if (finished) return;
            finished = true;
            asio::error_code ec;
            timer.cancel();
            resolver.cancel();
            socket.close(ec);
            done(ok, std::move(why));
        }
    };
    auto p = std::make_shared<Probe>(io);
    p->done = std::move(done);
    p->timer.expires_after(kProbeTimeout);
    p->timer.async_wait([p](const asio::error_code& ec) {
        if (!ec) p->finish(false, "no answer within 1.5 s");
    });
    p->resolver.async_resolve(addr.host, std::to_string(addr.port),
                              [p](const asio::error_code& ec, asio::ip::tcp::resolver::results_type results) {
                                  if (ec) return p->finish(false, ec.message());
                                  asio::async_connect(p->socket, results,
                                                      [p](const asio::error_code& cec, const asio::ip::tcp::endpoint&) {
                                                          p->finish(!cec, cec ? cec.message() : "");
                                                      });
                              });
}

void peers_section(Context& ctx, std::function<void(StatusSectionData)> done) {
    auto peers = configured_peers(ctx);
    struct State {
        std::mutex mu;
        StatusSectionData data;
        std::size_t pending = 0;
        std::function<void(StatusSectionData)> done;
    };
    auto st = std::make_shared<State>();
    st->data.id = "peers";
    st->data.title = "Remote modules";
    st->data.tables.push_back({"table", {"Config", "Address", "Reachable", "Detail"}, {}, "no remote module configured"});
    st->data.tables[0].rows.resize(peers.size());
    st->pending = peers.size();
    st->done = std::move(done);
    if (peers.empty()) {
        st->data.note = "every module this process needs runs here";
        return st->done(std::move(st->data));
    }
    for (std::size_t i = 0; i < peers.size(); ++i) {
        // Only the address: the token stays out of the page.
        st->data.tables[0].rows[i] = {peers[i].key, peers[i].info.addr.to_string(), "checking", ""};
        auto& up = ctx.metrics.gauge("venusd_remote_up", "1 when a configured remote module accepts connections",
                                     {{"config", peers[i].key}, {"address", peers[i].info.addr.to_string()}});
        probe(ctx.control, peers[i].info.addr, [st, i, &up](bool ok, std::string why) {
            up.set(ok ? 1 : 0);
            std::lock_guard lock(st->mu);
            auto& row = st->data.tables[0].rows[i];
            row[2] = ok ? "reachable" : "unreachable";
            row[3] = why;
            if (--st->pending == 0) st->done(std::move(st->data));
        });
    }
}

// ---- chain ----

void chain_section(Context& ctx, std::function<void(StatusSectionData)> done) {
    StatusSectionData s;
    s.id = "chain";
    s.title = "Chain";
    auto calls = std::make_shared<Calls>(ctx);
    calls->queue = {{"Filecoin.ChainHead", "[]"}, {"Filecoin.StateGetNetworkParams", "[]"}};
    if (!has_method(ctx, "Filecoin.ChainHead")) {
        // The node runs elsewhere: ask the one this process uses ([miner] node, [gateway] proxy_node, …).
        for (auto& peer : configured_peers(ctx)) {
            const auto key = peer.key.substr(peer.key.find(' ') + 1);
            if (key.size() >= 4 && key.compare(key.size() - 4, 4, "node") == 0) {
                s.items.push_back({"source", "From", "the node at " + peer.info.addr.to_string() + " (" + peer.key + ")"});
                calls->remote = std::move(peer.info);
                break;
            }
        }
        if (!calls->remote) {
            s.note = "no node runs in this process or is configured for it";
            return done(std::move(s));
        }
    } else if (has_method(ctx, "Filecoin.SyncState")) {
        calls->queue.emplace_back("Filecoin.SyncState", "[]");
    }
    // The gauges describe this process's own node only.
    metrics::Registry* gauges = calls->remote ? nullptr : &ctx.metrics;
    calls->finish = [s = std::move(s), done = std::move(done), gauges](Calls& c) mutable {
        const auto* head = c.get("Filecoin.ChainHead");
        if (head == nullptr) {
            s.items.push_back({"height", "Head height", "unknown: " + c.error("Filecoin.ChainHead"), Health::kBad});
            return done(std::move(s));
        }
        const auto height = int_member(*head, "Height", -1);
        s.items.push_back({"height", "Head height", std::to_string(height)});
        std::string cids;
        if (head->HasMember("Cids") && (*head)["Cids"].IsArray()) {
            for (const auto& cid : (*head)["Cids"].GetArray()) cids += (cids.empty() ? "" : " ") + str_member(cid, "/");
        }
        s.items.push_back({"head", "Head tipset", cids});
        std::int64_t ts = 0;
        if (head->HasMember("Blocks") && (*head)["Blocks"].IsArray() && !(*head)["Blocks"].Empty()) {
            ts = int_member((*head)["Blocks"][0], "Timestamp");
        }
        std::int64_t delay = 0;
        std::string network;
        if (const auto* net = c.get("Filecoin.StateGetNetworkParams")) {
            delay = int_member(*net, "BlockDelaySecs");
            network = str_member(*net, "NetworkName");
        }
        if (!network.empty()) s.items.push_back({"network", "Network", network});
        const auto age = unix_now() - ts;
        s.items.push_back({"age", "Head age", fmt_duration(age)});
        if (gauges != nullptr) {
            gauges->gauge("venusd_chain_head_height", "height of the node's head tipset").set(static_cast<double>(height));
            gauges->gauge("venusd_chain_head_age_seconds",
                          "seconds since the head tipset's timestamp (alert when it exceeds a few block delays)")
                .set(static_cast<double>(age));
        }
        // A head more than a few epochs old means this node is behind, or nobody produces blocks.
        if (delay > 0) {
            const bool synced = age <= 3 * delay;
            s.items.push_back({"sync", "Sync state",
                               synced ? "in sync" : fmt::format("behind: no new head for {} epochs", age / delay),
                               synced ? Health::kOk : Health::kWarn});
        }
        if (const auto* sync = c.get("Filecoin.SyncState"); sync && sync->HasMember("ActiveSyncs") && (*sync)["ActiveSyncs"].IsArray()) {
            static const char* kStages[] = {"idle", "header sync", "persisting headers", "message sync", "complete", "error",
                                            "fetching messages"};
            StatusTable t{"workers", {"Worker", "Stage", "Height", "Message"}, {}, "no sync worker (no peers configured)"};
            int i = 0;
            for (const auto& w : (*sync)["ActiveSyncs"].GetArray()) {
                const auto stage = int_member(w, "Stage");
                t.rows.push_back({std::to_string(i++), stage >= 0 && stage < 7 ? kStages[stage] : std::to_string(stage),
                                  std::to_string(int_member(w, "Height")), str_member(w, "Message")});
            }
            s.tables.push_back(std::move(t));
        }
        done(std::move(s));
    };
    calls->run();
}

// ---- wallets and provers ----

void gateway_section(Context& ctx, std::function<void(StatusSectionData)> done) {
    StatusSectionData s;
    s.id = "gateway";
    s.title = "Wallets and provers";
    if (!has_method(ctx, "Gateway.ListWalletInfo")) {
        s.note = "the gateway module does not run in this process";
        return done(std::move(s));
    }
    auto calls = std::make_shared<Calls>(ctx);
    calls->queue = {{"Gateway.ListWalletInfo", "[]"}, {"Gateway.ListConnectedMiners", "[]"}};
    calls->finish = [s = std::move(s), done = std::move(done)](Calls& c) mutable {
        StatusTable wallets{"wallets", {"Account", "Connections", "Addresses", "Requests served", "Failed"}, {},
                            "no wallet connected"};
        std::size_t addresses = 0;
        if (const auto* w = c.get("Gateway.ListWalletInfo"); w && w->IsArray()) {
            for (const auto& acc : w->GetArray()) {
                std::set<std::string> addrs;
                std::int64_t served = 0;
                std::int64_t failed = 0;
                std::size_t conns = 0;
                if (acc.HasMember("ConnectStates") && acc["ConnectStates"].IsArray()) {
                    for (const auto& cs : acc["ConnectStates"].GetArray()) {
                        ++conns;
                        served += int_member(cs, "Served");
                        failed += int_member(cs, "Failed");
                        if (cs.HasMember("Addrs") && cs["Addrs"].IsArray()) {
                            for (const auto& a : cs["Addrs"].GetArray()) {
                                if (a.IsString()) addrs.insert(a.GetString());
                            }
                        }
                    }
                }
                addresses += addrs.size();
                std::string list;
                for (const auto& a : addrs) list += (list.empty() ? "" : " ") + a;
                wallets.rows.push_back({str_member(acc, "Account"), std::to_string(conns), list, std::to_string(served),
                                        std::to_string(failed)});
            }
        } else {
            s.note = "wallet list unavailable: " + c.error("Gateway.ListWalletInfo");
        }
        s.items.push_back({"wallets", "Wallet accounts connected", std::to_string(wallets.rows.size())});
        s.items.push_back({"addresses", "Signing addresses", std::to_string(addresses)});
        std::string provers;
        std::size_t nprovers = 0;
        if (const auto* m = c.get("Gateway.ListConnectedMiners"); m && m->IsArray()) {
            for (const auto& a : m->GetArray()) {
                if (!a.IsString()) continue;
                provers += (provers.empty() ? "" : ", ") + std::string(a.GetString());
                ++nprovers;
            }
        }
        s.items.push_back({"provers", "Provers connected", nprovers == 0 ? "none" : fmt::format("{} ({})", nprovers, provers)});
        s.tables.push_back(std::move(wallets));
        done(std::move(s));
    };
    calls->run();
}

// ---- message pool ----

void mpool_section(Context& ctx, std::function<void(StatusSectionData)> done) {
    StatusSectionData s;
    s.id = "mpool";
    s.title = "Message pool";
    if (!has_method(ctx, "Filecoin.MpoolPending")) {
        s.note = "the node module does not run in this process";
        return done(std::move(s));
    }
    auto calls = std::make_shared<Calls>(ctx);
    calls->queue = {{"Filecoin.MpoolPending", "[[]]"}};
    calls->finish = [s = std::move(s), done = std::move(done), &metrics = ctx.metrics](Calls& c) mutable {
        const auto* p = c.get("Filecoin.MpoolPending");
        if (p == nullptr || !p->IsArray()) {
            s.items.push_back({"pending", "Pending messages", "unknown: " + c.error("Filecoin.MpoolPending"), Health::kBad});
            return done(std::move(s));
        }
        struct Sender {
            std::size_t count = 0;
            std::uint64_t low = UINT64_MAX;
            std::uint64_t high = 0;
        };
        std::map<std::string, Sender> by_sender;
        for (const auto& m : p->GetArray()) {
            if (!m.IsObject() || !m.HasMember("Message") || !m["Message"].IsObject()) continue;
            const auto& msg = m["Message"];
            auto& snd = by_sender[str_member(msg, "From")];
            ++snd.count;
            if (msg.HasMember("Nonce") && msg["Nonce"].IsUint64()) {
                snd.low = std::min(snd.low, msg["Nonce"].GetUint64());
                snd.high = std::max(snd.high, msg["Nonce"].GetUint64());
            }
        }
        s.items.push_back({"pending", "Pending messages", std::to_string(p->Size())});
        metrics.gauge("venusd_mpool_pending_messages", "messages in the node's message pool").set(p->Size());
        StatusTable t{"senders", {"From", "Pending", "Nonces"}, {}, "no pending message"};
        for (const auto& [from, snd] : by_sender) {
            t.rows.push_back({from, std::to_string(snd.count),
                              snd.low == UINT64_MAX ? "" : fmt::format("{}..{}", snd.low, snd.high)});
        }
        s.tables.push_back(std::move(t));
        s.note = "the messager adds its message counts by state when it runs here";
        done(std::move(s));
    };
    calls->run();
}

// ---- miners ----

void miners_section(Context& ctx, std::function<void(StatusSectionData)> done) {
    StatusSectionData s;
    s.id = "miners";
    s.title = "Miners";
    if (!has_method(ctx, "Filecoin.ListBlocks") || !has_method(ctx, "Filecoin.ListAddress")) {
        s.note = "the miner module does not run in this process";
        return done(std::move(s));
    }
    auto calls = std::make_shared<Calls>(ctx);
    calls->queue = {{"Filecoin.ListAddress", "[]"}, {"Filecoin.ListBlocks", R"([{"Miners":[],"Limit":500}])"}};
    calls->finish = [s = std::move(s), done = std::move(done)](Calls& c) mutable {
        struct Wins {
            std::size_t count = 0;
            std::int64_t last_epoch = -1;
            std::string last_cid;
        };
        std::map<std::string, Wins> wins;
        if (const auto* b = c.get("Filecoin.ListBlocks"); b && b->IsArray()) {
            for (const auto& blk : b->GetArray()) {
                if (int_member(blk, "MineState", -1) != 1) continue;  // 1: Success (a block was produced)
                auto& w = wins[str_member(blk, "Miner")];
                ++w.count;
                const auto epoch = int_member(blk, "Epoch", -1);
                if (epoch > w.last_epoch) {
                    w.last_epoch = epoch;
                    w.last_cid = str_member(blk, "Cid");
                }
            }
        }
        StatusTable t{"table", {"Miner", "User", "Mining", "Wins (last 500 rounds)", "Last win", "Block"}, {},
                      "no miner (add one to a user in auth)"};
        if (const auto* l = c.get("Filecoin.ListAddress"); l && l->IsArray()) {
            for (const auto& m : l->GetArray()) {
                const auto addr = str_member(m, "Addr");
                const bool open = m.HasMember("OpenMining") && m["OpenMining"].IsBool() && m["OpenMining"].GetBool();
                const auto it = wins.find(addr);
                const Wins w = it == wins.end() ? Wins{} : it->second;
                t.rows.push_back({addr, str_member(m, "Name"), open ? "yes" : "no", std::to_string(w.count),
                                  w.last_epoch < 0 ? "never" : "epoch " + std::to_string(w.last_epoch), w.last_cid});
            }
        } else {
            s.note = "miner list unavailable: " + c.error("Filecoin.ListAddress");
        }
        s.items.push_back({"count", "Miners", std::to_string(t.rows.size())});
        s.tables.push_back(std::move(t));
        done(std::move(s));
    };
    calls->run();
}

}  // namespace

void call_local(Context& ctx, const std::string& method, std::string params_json,
                std::function<void(Result<rpc::RawJson>)> done) {
    const auto* spec = ctx.methods.find(method);
    if (spec == nullptr) return done(make_error(Errc::kNotFound, "method {} is not served here", method));
    auto doc = std::make_shared<JsonDocument>();
    if (auto st = rpc::parse_json(params_json, *doc); !st || !doc->IsArray()) {
        return done(make_error(Errc::kInvalidArgument, "{}: params must be a JSON array", method));
    }
    auto call = std::make_shared<rpc::CallContext>();
    call->claims = rpc::Claims{"venusd-status", rpc::Perm::kAdmin, ""};
    call->method = method;
    call->path = "/rpc/v1";
    call->transport = rpc::Transport::kInProcess;
    call->remote = "in-process";
    call->open_channel = [] () -> Result<std::shared_ptr<rpc::Channel>> {
        return make_error(Errc::kUnsupported, "no channels in process");
    };
    auto run = [spec, doc, call, done = std::move(done)]() mutable {
        // The context and params live until the reply: a handler may answer later, from any thread.
        spec->handler(*call, *doc,
                      rpc::Reply([call, doc, done = std::move(done)](Result<rpc::RawJson> r, std::shared_ptr<rpc::Channel>,
                                                                     std::optional<rpc::RpcError> e) {
                          if (e) return done(make_error(Errc::kInvalidArgument, "{}", e->message));
                          done(std::move(r));
                      }));
    };
    switch (spec->exec) {
        case rpc::Exec::kWorker: asio::post(ctx.workers, std::move(run)); break;
        case rpc::Exec::kControl: asio::post(ctx.control, std::move(run)); break;
        case rpc::Exec::kInline: run(); break;
    }
}

void add_builtin_status_sections(StatusBoard& board, Context& ctx, DaemonFacts facts) {
    board.add(make_status_section([&ctx, facts] { return daemon_section(ctx, facts); }));
    board.add(std::make_shared<AsyncSection>([&ctx](auto done) { peers_section(ctx, std::move(done)); }));
    board.add(std::make_shared<AsyncSection>([&ctx](auto done) { chain_section(ctx, std::move(done)); }));
    board.add(std::make_shared<AsyncSection>([&ctx](auto done) { gateway_section(ctx, std::move(done)); }));
    board.add(std::make_shared<AsyncSection>([&ctx](auto done) { mpool_section(ctx, std::move(done)); }));
    board.add(std::make_shared<AsyncSection>([&ctx](auto done) { miners_section(ctx, std::move(done)); }));
}

}  // namespace venus::app
