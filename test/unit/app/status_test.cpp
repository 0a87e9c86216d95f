// SPDX-License-Identifier: Apache-2.0 OR MIT
// The status model: JSON round trip, HTML (escaped, element ids, no scripts), text layout, and the
// board's deadline for sections that do not answer.
#include <catch2/catch.hpp>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "venus/app/status.hpp"

using namespace venus;
using namespace venus::app;
using Catch::Matchers::Contains;

namespace {
std::vector<StatusSectionData> sample() {
    StatusSectionData chain;
    chain.id = "chain";
    chain.title = "Chain";
    chain.items.push_back({"height", "Head height", "42"});
    chain.items.push_back({"sync", "Sync state", "in sync", Health::kOk});
    StatusSectionData peers;
    peers.id = "peers";
    peers.title = "Remote <modules>";
    peers.tables.push_back({"table", {"Config", "Address", "Reachable"}, {{"[node] peers", "/ip4/10.0.0.2/tcp/3453", "unreachable"}}, "none"});
    peers.tables.push_back({"empty", {"A"}, {}, "nothing here"});
    peers.note = "a & b";
    return {chain, peers};
}
}  // namespace

TEST_CASE("status: JSON round trip keeps every field", "[unit][app][status]") {
    auto json = status_to_json(sample());
    auto back = status_from_json(json.text);
    REQUIRE(back.ok());
    REQUIRE(back->size() == 2);
    CHECK((*back)[0].items[1].health == Health::kOk);
    CHECK((*back)[0].items[0].value == "42");
    CHECK((*back)[1].tables[0].rows[0][2] == "unreachable");
    CHECK((*back)[1].tables[1].empty_text == "nothing here");
    CHECK((*back)[1].note == "a & b");
    CHECK(status_to_json(*back).text == json.text);
    CHECK_FALSE(status_from_json("{}").ok());
    CHECK_FALSE(status_from_json("[1]").ok());
}

TEST_CASE("status: HTML has ids per item, escapes text and has no script", "[unit][app][status]") {
    const auto html = render_status_html(sample(), 10);
    CHECK_THAT(html, Contains("<dd id=\"chain-height\">42</dd>"));
    CHECK_THAT(html, Contains("<dd id=\"chain-sync\" class=\"ok\">in sync</dd>"));
    CHECK_THAT(html, Contains("Remote &lt;modules&gt;"));
    CHECK_THAT(html, Contains("<td class=\"bad\">unreachable</td>"));
    CHECK_THAT(html, Contains("<p class=\"empty\" id=\"peers-empty\">nothing here</p>"));
    CHECK_THAT(html, Contains("a &amp; b"));
    CHECK_THAT(html, Contains("http-equiv=\"refresh\" content=\"10\""));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(render_status_html(sample(), 0).find("refresh") == std::string::npos);
}

TEST_CASE("status: text aligns labels and shows table rows", "[unit][app][status]") {
    const auto text = render_status_text(sample());
    CHECK_THAT(text, Contains("Chain\n  Head height: 42\n  Sync state:  in sync\n"));
    CHECK_THAT(text, Contains("  Config        Address                 Reachable\n"));
    CHECK_THAT(text, Contains("  [node] peers  /ip4/10.0.0.2/tcp/3453  unreachable\n"));
    CHECK_THAT(text, Contains("  (nothing here)\n"));
}

TEST_CASE("status: the board keeps order and gives up on a silent section", "[unit][app][status]") {
    asio::io_context io;
    StatusBoard board;
    class Silent final : public StatusSection {
      public:
        void collect(std::function<void(StatusSectionData)> done) override { kept = std::move(done); }
        std::function<void(StatusSectionData)> kept;
    };
    auto silent = std::make_shared<Silent>();
    board.add(make_status_section([] { return StatusSectionData{"a", "A", {}, {}, ""}; }));
    board.add(silent);
    board.add(make_status_section([] { return StatusSectionData{"c", "C", {}, {}, ""}; }));
    std::vector<StatusSectionData> got;
    int calls = 0;
    board.collect(io, std::chrono::milliseconds(50), [&](std::vector<StatusSectionData> s) {
        got = std::move(s);
        ++calls;
    });
    io.run();
    REQUIRE(calls == 1);
    REQUIRE(got.size() == 3);
    CHECK(got[0].id == "a");
    CHECK(got[1].items.at(0).value == "no answer within the deadline");
    CHECK(got[2].id == "c");
    // A late answer is dropped, not delivered twice.
    silent->kept(StatusSectionData{"b", "B", {}, {}, ""});
    io.restart();
    io.run();
    CHECK(calls == 1);

    StatusBoard empty;
    bool done = false;
    empty.collect(io, std::chrono::milliseconds(50), [&](std::vector<StatusSectionData> s) { done = s.empty(); });
    io.restart();
    io.run();
    CHECK(done);
}
