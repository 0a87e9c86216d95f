// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/core/metrics.hpp"

#include <fmt/format.h>

#include <cmath>
#include <variant>

namespace venus::metrics {

void Gauge::add(double d) noexcept {
    double cur = v_.load(std::memory_order_relaxed);
    while (!v_.compare_exchange_weak(cur, cur + d, std::memory_order_relaxed)) {
    }
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size()]) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) noexcept {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (v <= bounds_[i]) {
            buckets_[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    count_.fetch_add(1, std::memory_order_relaxed);
    double cur = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
    }
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
    // Stored per bucket; rendered cumulatively as Prometheus requires.
    std::vector<std::uint64_t> out(bounds_.size());
    std::uint64_t acc = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        acc += buckets_[i].load(std::memory_order_relaxed);
        out[i] = acc;
    }
    return out;
}

std::vector<double> default_latency_buckets() {
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

struct Registry::Family {
    std::string name;
    std::string help;
    const char* type;
    using Metric = std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>,
                                std::function<double()>>;
    std::map<Labels, Metric> series;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Family& Registry::family(const std::string& name, const std::string& help, const char* type) {
    auto& f = families_[name];
    if (!f) {
        f = std::make_unique<Family>();
        f->name = name;
        f->help = help;
        f->type = type;
    }
    return *f;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mu_);
    auto& s = family(name, help, "counter").series[labels];
    if (!std::holds_alternative<std::unique_ptr<Counter>>(s) || !std::get<std::unique_ptr<Counter>>(s)) {
        s = std::make_unique<Counter>();
    }
    return *std::get<std::unique_ptr<Counter>>(s);
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mu_);
    auto& s = family(name, help, "gauge").series[labels];
    if (!std::holds_alternative<std::unique_ptr<Gauge>>(s) || !std::get<std::unique_ptr<Gauge>>(s)) {
        s = std::make_unique<Gauge>();
    }
    return *std::get<std::unique_ptr<Gauge>>(s);
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, const Labels& labels,
                               std::vector<double> bounds) {
    std::lock_guard lock(mu_);
    auto& s = family(name, help, "histogram").series[labels];
    if (!std::holds_alternative<std::unique_ptr<Histogram>>(s) || !std::get<std::unique_ptr<Histogram>>(s)) {
        s = std::make_unique<Histogram>(std::move(bounds));
    }
    return *std::get<std::unique_ptr<Histogram>>(s);
}

void Registry::gauge_fn(const std::string& name, const std::string& help, const Labels& labels,
                        std::function<double()> fn) {
    std::lock_guard lock(mu_);
    family(name, help, "gauge").series[labels] = std::move(fn);
}

namespace {
std::string escape_label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out;
}

std::string render_labels(const Labels& labels, const std::string& extra_key = {}, const std::string& extra_val = {}) {
    if (labels.empty() && extra_key.empty()) return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first) out += ',';
        first = false;
        out += k + "=\"" + escape_label(v) + "\"";
    }
    if (!extra_key.empty()) {
        if (!first) out += ',';
        out += extra_key + "=\"" + extra_val + "\"";
    }
    return out + "}";
}

std::string number(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (std::isnan(v)) return "NaN";
    return fmt::format("{}", v);
}
}  // namespace

std::string Registry::render() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [name, f] : families_) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f->help, name, f->type);
        for (const auto& [labels, metric] : f->series) {
            if (auto* c = std::get_if<std::unique_ptr<Counter>>(&metric)) {
                out += fmt::format("{}{} {}\n", name, render_labels(labels), (*c)->value());
            } else if (auto* g = std::get_if<std::unique_ptr<Gauge>>(&metric)) {
                out += fmt::format("{}{} {}\n", name, render_labels(labels), number((*g)->value()));
            } else if (auto* fn = std::get_if<std::function<double()>>(&metric)) {
                out += fmt::format("{}{} {}\n", name, render_labels(labels), number((*fn)()));
            } else if (auto* h = std::get_if<std::unique_ptr<Histogram>>(&metric)) {
                auto counts = (*h)->bucket_counts();
                for (std::size_t i = 0; i < counts.size(); ++i) {
                    out += fmt::format("{}_bucket{} {}\n", name, render_labels(labels, "le", number((*h)->bounds()[i])),
                                       counts[i]);
                }
                out += fmt::format("{}_bucket{} {}\n", name, render_labels(labels, "le", "+Inf"), (*h)->count());
                out += fmt::format("{}_sum{} {}\n", name, render_labels(labels), number((*h)->sum()));
                out += fmt::format("{}_count{} {}\n", name, render_labels(labels), (*h)->count());
            }
        }
    }
    return out;
}

}  // namespace venus::metrics
