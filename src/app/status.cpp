// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/app/status.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <algorithm>
#include <ctime>
#include <mutex>
#include <optional>

#include <fmt/format.h>

namespace venus::app {

std::string_view to_string(Health h) noexcept {
    switch (h) {
        case Health::kOk: return "ok";
        case Health::kWarn: return "warn";
        case Health::kBad: return "bad";
        case Health::kNone: break;
    }
    return "";
}

namespace {

Health parse_health(std::string_view s) {
    if (s == "ok") return Health::kOk;
    if (s == "warn") return Health::kWarn;
    if (s == "bad") return Health::kBad;
    return Health::kNone;
}

class FnSection final : public StatusSection {
  public:
    explicit FnSection(std::function<StatusSectionData()> fn) : fn_(std::move(fn)) {}
    void collect(std::function<void(StatusSectionData)> done) override { done(fn_()); }

  private:
    std::function<StatusSectionData()> fn_;
};

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

// Element ids keep to [a-z0-9-] so they are valid in HTML and CSS selectors whatever a module names.
std::string dom_id(std::string_view s) {
    std::string out;
    for (char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
            out += c;
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            out += '-';
        }
    }
    return out;
}

std::string utc_now() {
    const auto t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

constexpr const char* kCss = R"(body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:60em;padding:0 1em;color:#1d2430;background:#f7f8fa}
h1{font-size:1.4em;margin:0 0 .2em}p.meta{color:#5b6575;margin:0 0 1em}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:.6em 1em;margin:0 0 1em}
h2{font-size:1.1em;margin:.2em 0 .5em}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1.2em;margin:0}
dt{color:#5b6575}dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid #eceff3;font-family:ui-monospace,monospace;font-size:.95em}
th{font-family:system-ui,sans-serif;color:#5b6575;font-weight:600}p.note,p.empty{color:#5b6575;margin:.4em 0}
.ok{color:#17703a}.warn{color:#9a6200}.bad{color:#b3261e;font-weight:600}
.ok::before{content:"\25CF  "}.warn::before{content:"\25B2  "}.bad::before{content:"\2716  "})";

std::size_t text_width(std::string_view s) {
    // Counts code points, so non-ASCII labels still line up.
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(std::string_view s, std::size_t width) {
    std::string out(s);
    for (auto w = text_width(s); w < width; ++w) out += ' ';
    return out;
}

}  // namespace

std::shared_ptr<StatusSection> make_status_section(std::function<StatusSectionData()> fn) {
    return std::make_shared<FnSection>(std::move(fn));
}

void StatusBoard::add(std::shared_ptr<StatusSection> section) {
    std::lock_guard lock(mu_);
    sections_.push_back(std::move(section));
}

void StatusBoard::collect(asio::io_context& control, std::chrono::milliseconds deadline,
                          std::function<void(std::vector<StatusSectionData>)> done) {
    std::vector<std::shared_ptr<StatusSection>> sections;
    {
        std::lock_guard lock(mu_);
        sections = sections_;
    }
    struct State {
        std::mutex mu;
        std::vector<std::optional<StatusSectionData>> results;
        std::size_t pending = 0;
        bool finished = false;
        std::function<void(std::vector<StatusSectionData>)> done;
        std::unique_ptr<asio::steady_timer> timer;
    };
    auto state = std::make_shared<State>();
    state->results.resize(sections.size());
    state->pending = sections.size();
    state->done = std::move(done);
    state->timer = std::make_unique<asio::steady_timer>(control, deadline);
    // Runs once, on the control thread: when the last section answers or the deadline passes.
    auto finish = [state] {
        std::vector<StatusSectionData> out;
        {
            std::lock_guard lock(state->mu);
            if (state->finished) return;
            state->finished = true;
            for (std::size_t i = 0; i < state->results.size(); ++i) {
                if (state->results[i]) {
                    out.push_back(std::move(*state->results[i]));
                } else {
                    StatusSectionData late;
                    late.id = fmt::format("section-{}", i);
                    late.title = "(no answer)";
                    late.items.push_back({"answer", "Answer", "no answer within the deadline", Health::kWarn});
                    out.push_back(std::move(late));
                }
            }
        }
        state->timer->cancel();
        state->done(std::move(out));
    };
    if (sections.empty()) {
        asio::post(control, finish);
        return;
    }
    state->timer->async_wait([finish](const asio::error_code& ec) {
        if (!ec) finish();
    });
    for (std::size_t i = 0; i < sections.size(); ++i) {
        sections[i]->collect([state, i, finish, &control](StatusSectionData data) {
            bool last = false;
            {
                std::lock_guard lock(state->mu);
                if (state->finished || state->results[i]) return;
                state->results[i] = std::move(data);
                last = --state->pending == 0;
            }
            if (last) asio::post(control, finish);
        });
    }
}

rpc::RawJson status_to_json(const std::vector<StatusSectionData>& sections) {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartArray();
    for (const auto& s : sections) {
        o.StartObject();
        rpc::write_key(o, "Id");
        rpc::write_string(o, s.id);
        rpc::write_key(o, "Title");
        rpc::write_string(o, s.title);
        rpc::write_key(o, "Items");
        o.StartArray();
        for (const auto& it : s.items) {
            o.StartObject();
            rpc::write_key(o, "Id");
            rpc::write_string(o, it.id);
            rpc::write_key(o, "Label");
            rpc::write_string(o, it.label);
            rpc::write_key(o, "Value");
            rpc::write_string(o, it.value);
            rpc::write_key(o, "Health");
            rpc::write_string(o, to_string(it.health));
            o.EndObject();
        }
        o.EndArray();
        rpc::write_key(o, "Tables");
        o.StartArray();
        for (const auto& t : s.tables) {
            o.StartObject();
            rpc::write_key(o, "Id");
            rpc::write_string(o, t.id);
            rpc::write_key(o, "Columns");
            o.StartArray();
            for (const auto& c : t.columns) rpc::write_string(o, c);
            o.EndArray();
            rpc::write_key(o, "Rows");
            o.StartArray();
            for (const auto& r : t.rows) {
                o.StartArray();
                for (const auto& c : r) rpc::write_string(o, c);
                o.EndArray();
            }
            o.EndArray();
            rpc::write_key(o, "Empty");
            rpc::write_string(o, t.empty_text);
            o.EndObject();
        }
        o.EndArray();
        rpc::write_key(o, "Note");
        rpc::write_string(o, s.note);
        o.EndObject();
    }
    o.EndArray();
    return b.take();
}

Result<std::vector<StatusSectionData>> status_from_json(std::string_view json) {
    rpc::JsonDocument d;
    VENUS_TRY_VOID(rpc::parse_json(json, d));
    auto bad = [] { return make_error(Errc::kInvalidArgument, "status report: unexpected JSON shape"); };
    if (!d.IsArray()) return bad();
    auto str = [](const rpc::JsonValue& v, const char* k) -> std::string {
        return v.IsObject() && v.HasMember(k) && v[k].IsString() ? std::string(v[k].GetString()) : std::string();
    };
    std::vector<StatusSectionData> out;
    for (const auto& s : d.GetArray()) {
        if (!s.IsObject()) return bad();
        StatusSectionData sd;
        sd.id = str(s, "Id");
        sd.title = str(s, "Title");
        sd.note = str(s, "Note");
        if (s.HasMember("Items") && s["Items"].IsArray()) {
            for (const auto& it : s["Items"].GetArray()) {
                sd.items.push_back({str(it, "Id"), str(it, "Label"), str(it, "Value"), parse_health(str(it, "Health"))});
            }
        }
        if (s.HasMember("Tables") && s["Tables"].IsArray()) {
            for (const auto& t : s["Tables"].GetArray()) {
                StatusTable st;
                st.id = str(t, "Id");
                st.empty_text = str(t, "Empty");
                if (t.HasMember("Columns") && t["Columns"].IsArray()) {
                    for (const auto& c : t["Columns"].GetArray()) st.columns.push_back(c.IsString() ? c.GetString() : "");
                }
                if (t.HasMember("Rows") && t["Rows"].IsArray()) {
                    for (const auto& r : t["Rows"].GetArray()) {
                        if (!r.IsArray()) return bad();
                        std::vector<std::string> row;
                        for (const auto& c : r.GetArray()) row.push_back(c.IsString() ? c.GetString() : "");
                        st.rows.push_back(std::move(row));
                    }
                }
                sd.tables.push_back(std::move(st));
            }
        }
        out.push_back(std::move(sd));
    }
    return out;
}

std::string render_status_html(const std::vector<StatusSectionData>& sections, int refresh_seconds) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    h += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
    if (refresh_seconds > 0) h += fmt::format("<meta http-equiv=\"refresh\" content=\"{}\">", refresh_seconds);
    h += "<title>venusd status</title><style>";
    h += kCss;
    h += "</style></head><body>\n<h1>venusd status</h1>\n";
    h += "<p class=\"meta\">generated <time id=\"generated\">" + utc_now() + "</time>";
    if (refresh_seconds > 0) h += fmt::format(", refreshes every {} s", refresh_seconds);
    h += "</p>\n";
    for (const auto& s : sections) {
        const auto sid = dom_id(s.id);
        h += "<section id=\"" + sid + "\"><h2>" + html_escape(s.title) + "</h2>\n";
        if (!s.items.empty()) {
            h += "<dl>";
            for (const auto& it : s.items) {
                h += "<dt>" + html_escape(it.label) + "</dt><dd id=\"" + sid + "-" + dom_id(it.id) + "\"";
                if (it.health != Health::kNone) h += " class=\"" + std::string(to_string(it.health)) + "\"";
                h += ">" + html_escape(it.value) + "</dd>";
            }
            h += "</dl>\n";
        }
        for (const auto& t : s.tables) {
            if (t.rows.empty()) {
                h += "<p class=\"empty\" id=\"" + sid + "-" + dom_id(t.id) + "\">" + html_escape(t.empty_text) + "</p>\n";
                continue;
            }
            h += "<table id=\"" + sid + "-" + dom_id(t.id) + "\"><thead><tr>";
            for (const auto& c : t.columns) h += "<th>" + html_escape(c) + "</th>";
            h += "</tr></thead><tbody>";
            for (const auto& r : t.rows) {
                h += "<tr>";
                for (const auto& c : r) {
                    // Reachability cells carry their health as a class, as items do.
                    const char* cls = c == "reachable" ? " class=\"ok\"" : c == "unreachable" ? " class=\"bad\"" : "";
                    h += std::string("<td") + cls + ">" + html_escape(c) + "</td>";
                }
                h += "</tr>";
            }
            h += "</tbody></table>\n";
        }
        if (!s.note.empty()) h += "<p class=\"note\">" + html_escape(s.note) + "</p>\n";
        h += "</section>\n";
    }
    h += "</body></html>\n";
    return h;
}

std::string render_status_text(const std::vector<StatusSectionData>& sections) {
    std::string out;
    for (const auto& s : sections) {
        if (!out.empty()) out += "\n";
        out += s.title + "\n";
        std::size_t w = 0;
        for (const auto& it : s.items) w = std::max(w, text_width(it.label));
        for (const auto& it : s.items) {
            out += "  " + pad(it.label + ":", w + 1) + " " + it.value;
            if (it.health == Health::kWarn || it.health == Health::kBad) out += " [" + std::string(to_string(it.health)) + "]";
            out += "\n";
        }
        for (const auto& t : s.tables) {
            if (t.rows.empty()) {
                out += "  (" + t.empty_text + ")\n";
                continue;
            }
            std::vector<std::size_t> widths(t.columns.size());
            for (std::size_t c = 0; c < t.columns.size(); ++c) widths[c] = text_width(t.columns[c]);
            for (const auto& r : t.rows) {
                for (std::size_t c = 0; c < r.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], text_width(r[c]));
            }
            auto line = [&](const std::vector<std::string>& cells) {
                std::string l = "  ";
                for (std::size_t c = 0; c < widths.size(); ++c) {
                    const std::string cell = c < cells.size() ? cells[c] : "";
                    l += c + 1 == widths.size() ? cell : pad(cell, widths[c]) + "  ";
                }
                while (!l.empty() && l.back() == ' ') l.pop_back();
                out += l + "\n";
            };
            line(t.columns);
            for (const auto& r : t.rows) line(r);
        }
        if (!s.note.empty()) out += "  " + s.note + "\n";
    }
    return out;
}

}  // namespace venus::app
