// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/app/application.hpp"
#include "venus/app/config.hpp"

using namespace venus;
using namespace venus::app;

namespace {
class FakeModule : public Module {
  public:
    FakeModule(std::string name, std::vector<std::string> deps) : name_(std::move(name)), deps_(std::move(deps)) {}
    std::string_view name() const noexcept override { return name_; }
    std::vector<std::string> dependencies() const override { return deps_; }
    bool has_remote(std::string_view dep, const Config& config) const override {
        return config.has(name_, std::string(dep));
    }
    Status initialize(Context&) override { return {}; }

  private:
    std::string name_;
    std::vector<std::string> deps_;
};

std::vector<ModuleInfo> catalogue() {
    auto make = [](std::string n, std::vector<std::string> d) {
        return ModuleInfo{n, "", [n, d] { return std::make_unique<FakeModule>(n, d); }};
    };
    return {make("auth", {}), make("gateway", {"auth"}), make("node", {}),
            make("messager", {"node", "gateway", "auth"}), make("miner", {"node", "gateway", "auth"}),
            ModuleInfo{"future", "", nullptr}, make("a", {"b"}), make("b", {"a"})};
}

std::vector<std::string> names(const std::vector<std::unique_ptr<Module>>& mods) {
    std::vector<std::string> out;
    for (const auto& m : mods) out.emplace_back(m->name());
    return out;
}
}  // namespace

TEST_CASE("modules: dependency order", "[unit][app]") {
    Config empty;
    auto g = build_module_graph({"miner", "messager", "node", "gateway", "auth"}, empty, catalogue());
    REQUIRE(g.ok());
    auto order = names(*g);
    auto pos = [&](const std::string& n) { return std::find(order.begin(), order.end(), n) - order.begin(); };
    CHECK(order.size() == 5);
    CHECK(pos("auth") < pos("gateway"));
    CHECK(pos("gateway") < pos("messager"));
    CHECK(pos("node") < pos("miner"));
    // Deterministic.
    CHECK(names(*build_module_graph({"auth", "gateway", "node", "messager", "miner"}, empty, catalogue())) == order);
}

TEST_CASE("modules: unknown, unavailable, missing and cyclic dependencies are errors", "[unit][app]") {
    Config empty;
    auto unknown = build_module_graph({"auth", "nope"}, empty, catalogue());
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().is(Errc::kConfig));
    CHECK(unknown.error().message.find("unknown module 'nope'") == 0);

    auto future = build_module_graph({"future"}, empty, catalogue());
    REQUIRE_FALSE(future.ok());
    CHECK(future.error().message.find("not available") != std::string::npos);

    auto missing = build_module_graph({"messager"}, empty, catalogue());
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("module 'messager' needs 'node'") == 0);

    auto cycle = build_module_graph({"a", "b"}, empty, catalogue());
    REQUIRE_FALSE(cycle.ok());
    CHECK(cycle.error().message.find("cycle") != std::string::npos);
}

TEST_CASE("modules: a dependency given as a remote api-info is satisfied", "[unit][app]") {
    auto config = Config::parse(
        "[messager]\nnode = \"T:/ip4/10.0.0.2/tcp/3453\"\ngateway = \"T:/ip4/10.0.0.1/tcp/3453\"\n"
        "auth = \"T:/ip4/10.0.0.1/tcp/3453\"\n",
        "test");
    REQUIRE(config.ok());
    auto g = build_module_graph({"messager"}, *config, catalogue());
    REQUIRE(g.ok());
    CHECK(names(*g) == std::vector<std::string>{"messager"});
}
