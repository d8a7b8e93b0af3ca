"""`--fixtures DIR` writes one fixture per distinct shape in the layout of tests/fixtures/, and
the contract tests pass on them: a capture becomes contract tests by copying files."""

from __future__ import annotations

import asyncio
import json

from tests.contract import test_json_messages, test_proto_messages
from tests.contract.jsonfixtures import InvalidFixture
from tests.drift.doctored import (
    bitmart_push,
    coinw_orders,
    doctor,
    fixture,
    infoway_ws,
    order_book_push,
    qfex_ws,
    write_capture,
)
from tests.drift.sessions import record
from venuewire.capture.format import read_capture
from venuewire.cli import main
from venuewire.drift import check_capture, write_fixtures
from venuewire.generated.registry import MESSAGES

BY_PLACE = {(m.venue, m.name): m for m in MESSAGES}
SPOT = fixture("bitmart", "spot_depth", "depth5_btc_usdt")


def run_contract_tests(folder) -> int:
    """The contract tests' own checks on every fixture under `folder`; returns how many ran."""
    ran = 0
    for path in sorted(folder.rglob("*.json")):
        invalid = path.parent.name == "invalid"
        message_dir = path.parent.parent if invalid else path.parent
        message = BY_PLACE[(message_dir.parent.name, message_dir.name)]
        if message.format == "protobuf":
            check = test_proto_messages.test_invalid_fixture_is_rejected_naming_the_field
            if not invalid:
                check = test_proto_messages.test_valid_fixture_round_trips_through_the_wire_form
            check(message, path)
        elif invalid:
            wrapper = json.loads(path.read_text(encoding="utf-8"))
            found = InvalidFixture(path, wrapper["field"], wrapper["why"], wrapper["payload"])
            test_json_messages.test_invalid_fixture_is_rejected_by_schema_and_decoder_naming_the_field(message, found)
        else:
            test_json_messages.test_valid_fixture_passes_schema_and_round_trips(message, path)
        ran += 1
    return ran


def test_fixtures_from_a_simulator_session_pass_the_contract_tests(tmp_path):
    written = []
    for venue in ("futu", "bitmart", "infoway", "qfex", "coinw"):
        path = tmp_path / f"{venue}.vwcap"
        asyncio.run(record(venue, path))
        written += write_fixtures(check_capture(read_capture(path)), tmp_path / "fixtures")
    assert written
    assert all("invalid" not in p.parts for p in written)
    places = {(p.parent.parent.name, p.parent.name) for p in written}
    assert {("futu", "Qot_UpdateOrderBook.Response"), ("bitmart", "spot_depth"), ("infoway", "ws_depth")} <= places
    assert ("qfex", "all_orders_response") in places
    assert ("coinw", "order_response") in places
    assert run_contract_tests(tmp_path / "fixtures") == len(written)


def test_one_fixture_per_distinct_shape_and_refused_messages_become_invalid_fixtures(tmp_path):
    missing = doctor(SPOT, lambda f: f["data"][0].pop("ms_t"))
    other_shape = doctor(SPOT, lambda f: f["data"][0].update(bids=[]))  # no bid level: no bids[][] paths
    messages = [
        bitmart_push(SPOT),
        bitmart_push(SPOT),  # the same shape again: no second fixture
        bitmart_push(other_shape),
        bitmart_push(missing),
        order_book_push(),
        order_book_push(security=b"\x08\x01"),  # no code: the strict decode refuses it
        infoway_ws(fixture("infoway", "ws_depth", "push")),
        qfex_ws(fixture("qfex", "all_orders_response", "seed_example")),
        *coinw_orders(fixture("coinw", "order_response", "seed_example")),
    ]
    capture = write_capture(tmp_path / "mixed.vwcap", messages)
    out = tmp_path / "out"
    assert main(["check", str(capture), "--fixtures", str(out)]) == 1  # the refused ones are drift
    files = sorted(p.relative_to(out).as_posix().rsplit("_", 1)[0] for p in out.rglob("*.json"))
    seqs = {p.name.split("_")[1] for p in out.rglob("*.json")}
    assert len(seqs) == len(files)
    assert [f.rsplit("_", 1)[0] for f in files] == [
        "bitmart/spot_depth/capture",
        "bitmart/spot_depth/capture",
        "bitmart/spot_depth/invalid/capture",
        "coinw/order_response/capture",
        "futu/Qot_UpdateOrderBook.Response/capture",
        "futu/Qot_UpdateOrderBook.Response/invalid/capture",
        "infoway/ws_depth/capture",
        "qfex/all_orders_response/capture",
    ]
    refused = json.loads(next((out / "futu" / "Qot_UpdateOrderBook.Response" / "invalid").glob("*.json")).read_text())
    assert refused["field"] == ["s2c", "security", "code"]
    assert refused["why"] == "missing required field(s): s2c.security.code"
    assert refused["payload"]["s2c"]["security"] == {"market": 1}
    assert run_contract_tests(out) == len(files)
    # Writing again leaves the files alone.
    assert write_fixtures(check_capture(read_capture(capture)), out) == []


def test_written_json_fixture_keeps_the_exact_bytes(tmp_path):
    raw = fixture("infoway", "ws_depth", "push")
    capture = write_capture(tmp_path / "one.vwcap", [infoway_ws(raw)])
    [written] = write_fixtures(check_capture(read_capture(capture)), tmp_path / "out")
    assert written.read_bytes() == json.dumps(raw).encode()
    assert written.parent.name == "ws_depth"
