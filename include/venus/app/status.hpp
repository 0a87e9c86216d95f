// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The operator's status view: `/status` (HTML, no scripts), `venusd status` (text) and
//! `Venus.StatusReport` (JSON) show the same sections. Each module contributes sections through a
//! `StatusSection` registered with the `StatusBoard` service during initialize():
//!
//!     if (auto board = ctx.services.get<app::StatusBoard>()) board->add(my_section);
//!
//! The application registers the sections every daemon has (daemon, modules and peers, chain,
//! wallets and provers, message pool, miners); a module that knows more (the messager's message
//! counts by state) adds its own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "venus/core/result.hpp"
#include "venus/rpc/json.hpp"

namespace asio {
class io_context;
}

namespace venus::app {

enum class Health { kNone, kOk, kWarn, kBad };
std::string_view to_string(Health h) noexcept;

struct StatusItem {
    std::string id;     //!< stable key within the section ("height"); the page's element id is "<section>-<id>"
    std::string label;  //!< shown to people
    std::string value;
    Health health = Health::kNone;
};

struct StatusTable {
    std::string id;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::string empty_text = "none";
};

struct StatusSectionData {
    std::string id;     //!< "chain", "messages", …
    std::string title;
    std::vector<StatusItem> items;
    std::vector<StatusTable> tables;
    std::string note;   //!< one line under the section, e.g. why it is empty
};

class StatusSection {
  public:
    virtual ~StatusSection() = default;
    //! Called on the control thread. Calls `done` exactly once, from any thread; a section that has
    //! not answered within the board's deadline is shown as not answering, and its late answer dropped.
    virtual void collect(std::function<void(StatusSectionData)> done) = 0;
};

//! A section computed at once on the control thread.
std::shared_ptr<StatusSection> make_status_section(std::function<StatusSectionData()> fn);

class StatusBoard {
  public:
    void add(std::shared_ptr<StatusSection> section);
    //! Collects every section, in the order added, and calls `done` on the control thread.
    void collect(asio::io_context& control, std::chrono::milliseconds deadline,
                 std::function<void(std::vector<StatusSectionData>)> done);

  private:
    std::mutex mu_;
    std::vector<std::shared_ptr<StatusSection>> sections_;
};

rpc::RawJson status_to_json(const std::vector<StatusSectionData>& sections);
Result<std::vector<StatusSectionData>> status_from_json(std::string_view json);
//! A whole HTML page: inline CSS, no scripts, refreshes itself every `refresh_seconds` (0: never).
std::string render_status_html(const std::vector<StatusSectionData>& sections, int refresh_seconds = 10);
std::string render_status_text(const std::vector<StatusSectionData>& sections);

}  // namespace venus::app
