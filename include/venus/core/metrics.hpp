// SPDX-License-Identifier: Apache-2.0 OR MIT
//! A small Prometheus registry: counters, gauges and histograms with fixed label sets, rendered in the
//! text exposition format at /metrics. Updates are lock-free atomics; only the first use of a new
//! label combination takes a lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace venus::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
  public:
    void inc(std::uint64_t n = 1) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> v_{0};
};

class Gauge {
  public:
    void set(double v) noexcept { v_.store(v, std::memory_order_relaxed); }
    void add(double d) noexcept;
    double value() const noexcept { return v_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> v_{0};
};

//! Cumulative histogram with fixed upper bounds (seconds for latencies).
class Histogram {
  public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double v) noexcept;
    const std::vector<double>& bounds() const noexcept { return bounds_; }
    std::vector<std::uint64_t> bucket_counts() const;
    std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0};
};

std::vector<double> default_latency_buckets();

class Registry {
  public:
    Registry();
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                         std::vector<double> bounds = default_latency_buckets());
    //! A gauge computed at scrape time (queue lengths, DB sizes).
    void gauge_fn(const std::string& name, const std::string& help, const Labels& labels, std::function<double()> fn);
    //! Prometheus text exposition format 0.0.4.
    std::string render() const;

  private:
    struct Family;
    Family& family(const std::string& name, const std::string& help, const char* type);
    mutable std::mutex mu_;
    std::map<std::string, std::unique_ptr<Family>> families_;
};

}  // namespace venus::metrics
