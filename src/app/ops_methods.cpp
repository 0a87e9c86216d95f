// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "ops_methods.hpp"

#include <asio/steady_timer.hpp>

#include <algorithm>
#include <filesystem>

#include "venus/app/backup.hpp"
#include "venus/core/log.hpp"

namespace venus::app {

namespace {
// Sections that have not answered by then are shown as not answering: the page never hangs on a
// module (peer probes give up after 1.5 s).
constexpr auto kCollectDeadline = std::chrono::milliseconds(2500);
}  // namespace

Status register_ops(Context& ctx, std::shared_ptr<StatusBoard> board, const OpsOptions& options) {
    if (options.status_page) {
        // Public like /healthz, so a browser can open it without a token. It shows what an operator
        // needs to see at a glance and never a token or a key; switch it off ([api] status_page) on a
        // listener that strangers can reach.
        VENUS_TRY_VOID(ctx.routes.add({"GET", "/status", false, rpc::Exec::kControl,
                                       [&ctx, board](const rpc::HttpRequest&, const std::optional<rpc::Claims>&,
                                                     rpc::HttpResponder respond) {
                                           board->collect(ctx.control, kCollectDeadline,
                                                          [respond](std::vector<StatusSectionData> sections) {
                                                              rpc::HttpResponse r;
                                                              r.content_type = "text/html; charset=utf-8";
                                                              r.body = render_status_html(sections);
                                                              r.headers = {
                                                                  {"Cache-Control", "no-store"},
                                                                  {"X-Content-Type-Options", "nosniff"},
                                                                  {"Content-Security-Policy",
                                                                   "default-src 'none'; style-src 'unsafe-inline'"}};
                                                              respond(std::move(r));
                                                          });
                                       }}));
    }
    std::vector<rpc::MethodSpec> specs;
    specs.push_back({"Venus.StatusReport", rpc::Perm::kRead, rpc::Exec::kControl, 0, 0,
                     [&ctx, board](rpc::CallContext&, const rpc::JsonValue&, rpc::Reply reply) {
                         auto shared = std::make_shared<rpc::Reply>(std::move(reply));
                         board->collect(ctx.control, kCollectDeadline, [shared](std::vector<StatusSectionData> sections) {
                             shared->ok(status_to_json(sections));
                         });
                     },
                     "the sections of the /status page as JSON (what `venusd status` prints)"});
    specs.push_back({"Venus.Backup", rpc::Perm::kAdmin, rpc::Exec::kWorker, 1, 1,
                     rpc::sync_handler([&ctx, base = options.backup_dir](rpc::CallContext& c,
                                                                          const rpc::JsonValue& p) -> Result<rpc::RawJson> {
                         VENUS_TRY(auto dir, rpc::param_string(p, 0));
                         if (!base.empty()) {
                             // As Lotus's LOTUS_BACKUP_BASE_PATH: an API caller cannot make the daemon write its keys
                             // just anywhere it may write.
                             std::error_code ec;
                             const auto target = std::filesystem::weakly_canonical(std::string(dir), ec).lexically_normal();
                             const auto root = std::filesystem::weakly_canonical(base, ec).lexically_normal();
                             auto [r, t] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
                             if (r != root.end() || t == target.end()) {
                                 return make_error(Errc::kInvalidArgument, "backup target {} is not below [api] backup_dir {}",
                                                   dir, base);
                             }
                         }
                         log::get("app")->info("backup into {} requested by '{}'", dir, c.claims.name);
                         VENUS_TRY(auto manifest, backup_repo(ctx.paths.repo, std::string(dir), &ctx.stores));
                         return manifest.to_json();
                     }),
                     "writes an online backup of the repo's stores, config and keystore into a new directory "
                     "(absolute path on the daemon's host); returns its manifest"});
    return ctx.methods.add_all(std::move(specs));
}

struct StatusRefresher::State : std::enable_shared_from_this<State> {
    Context& ctx;
    std::shared_ptr<StatusBoard> board;
    std::chrono::milliseconds period;
    asio::steady_timer timer;
    bool stopped = false;
    State(Context& c, std::shared_ptr<StatusBoard> b, std::chrono::milliseconds p)
        : ctx(c), board(std::move(b)), period(p), timer(c.control) {}

    void arm() {
        if (stopped) return;
        timer.expires_after(period);
        timer.async_wait([self = shared_from_this()](const asio::error_code& ec) {
            if (ec || self->stopped) return;
            self->board->collect(self->ctx.control, kCollectDeadline,
                                 [self](std::vector<StatusSectionData>) { self->arm(); });
        });
    }
};

StatusRefresher::StatusRefresher(Context& ctx, std::shared_ptr<StatusBoard> board, std::chrono::milliseconds period)
    : state_(std::make_shared<State>(ctx, std::move(board), period)) {}

StatusRefresher::~StatusRefresher() { stop(); }

void StatusRefresher::start() { state_->arm(); }

void StatusRefresher::stop() noexcept {
    state_->stopped = true;
    try {
        state_->timer.cancel();
    } catch (...) {  // cancel() throws only on a system failure; stopping must not
    }
}

}  // namespace venus::app
