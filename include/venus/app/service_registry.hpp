// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Typed service lookup: a module provides `api::X` (local implementation or a remote proxy) and
//! others get it by type. Filled during initialize(), read afterwards.
#pragma once

#include <memory>
#include <mutex>
#include <typeindex>
#include <unordered_map>

namespace venus::app {

class ServiceRegistry {
  public:
    template <typename T>
    void provide(std::shared_ptr<T> service) {
        std::lock_guard lock(mu_);
        services_[std::type_index(typeid(T))] = std::move(service);
    }
    //! nullptr when nobody provides T.
    template <typename T>
    std::shared_ptr<T> get() const {
        std::lock_guard lock(mu_);
        auto it = services_.find(std::type_index(typeid(T)));
        return it == services_.end() ? nullptr : std::static_pointer_cast<T>(it->second);
    }
    void clear() {
        std::lock_guard lock(mu_);
        services_.clear();
    }

  private:
    mutable std::mutex mu_;
    std::unordered_map<std::type_index, std::shared_ptr<void>> services_;
};

}  // namespace venus::app
