"""`venuewire schemas` and `venuewire decode`, run in-process through cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import venuewire
from venuewire.cli import main
from venuewire.generated.futu import Qot_GetOrderBook_pb2
from venuewire.generated.registry import MESSAGES
from venuewire.opend.frame import encode_frame

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_schemas_lists_every_message_with_where_it_travels(capsys):
    assert main(["schemas"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(MESSAGES) + 1
    by_name: dict[str, str] = {}
    for line in out[1:]:  # a name two venues share (order_response: CoinW, QFEX) keeps its first row
        by_name.setdefault(line.split()[1], line)
    assert "protoID 3012" in by_name["Qot_GetOrderBook.Response"]
    assert "GET /v1/perpum/order (response)" in by_name["order_response"]
    assert "wss://openws.bitmart.com (push)" in by_name["legacy_depth"]
    assert "schemas/json/qfex/get_order.json" in by_name["get_order"]
    # QFEX's request and reply are read from the channel's [[ws.requests]]
    assert "wss://trade.qfex.com (get_order request)" in by_name["get_order"]
    assert "wss://trade.qfex.com (get_order reply)" in by_name["all_orders_response"]
    assert "wss://data.infoway.io/ws (unsubscribe_ack)" in by_name["ws_unsubscribe_ack"]
    assert any(line.split()[:2] == ["bitmart", "legacy_error"] and "openws.bitmart.com (error)" in line for line in out)


def test_schemas_filters_by_venue(capsys):
    assert main(["schemas", "--venue", "infoway"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(row.startswith("infoway") for row in rows)


def test_decode_json_payload_prints_typed_and_json_forms(capsys):
    path = FIXTURES / "qfex" / "all_orders_response"
    fixture = sorted(path.glob("*.json"))[0]
    assert main(["decode", "qfex", "all_orders_response", str(fixture)]) == 0
    assert capsys.readouterr().out.startswith("AllOrdersResponseMessage(")
    assert main(["decode", "qfex", "all_orders_response", str(fixture), "--json"]) == 0
    assert "all_orders_response" in json.loads(capsys.readouterr().out)


def test_decode_opend_frame_from_hex(tmp_path, capsys):
    text = (FIXTURES / "futu" / "Qot_GetOrderBook.Response" / "seed_cpp_example.json").read_text()
    message = venuewire.decode_proto_json(Qot_GetOrderBook_pb2.Response, text)
    frame = encode_frame(3012, 4, venuewire.encode_proto(message))
    (tmp_path / "frame.hex").write_text(frame.hex())
    (tmp_path / "frame.bin").write_bytes(frame)
    assert main(["decode", "futu", "Qot_GetOrderBook.Response", str(tmp_path / "frame.hex"), "--json"]) == 0
    decoded = json.loads(capsys.readouterr().out)
    assert decoded["s2c"]["security"]["code"] == "00700"
    assert main(["decode", "futu", "Qot_GetOrderBook.Response", str(tmp_path / "frame.bin")]) == 0
    assert 'code: "00700"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "payload", "expected"),
    [
        (["decode", "coinw", "order_response"], b'{"code":0,"data":[{"id":true}]}', "$.data[0].id"),
        (["decode", "futu", "Qot_GetOrderBook.Response"], b"4654ff", "$.bodyLen"),
        (["decode", "infoway", "no_such_message"], b"{}", "no message 'no_such_message'"),
        (["decode", "coinw", "order_response"], b'{"code":0,"msg":"\xff","data":[]}', "not valid UTF-8"),
        (["decode", "qfex", "order"], b'{"a":' * 100_000, "nested too deeply"),
    ],
)
def test_invalid_input_exits_2_naming_the_field(tmp_path, capsys, argv, payload, expected):
    source = tmp_path / "input"
    source.write_bytes(payload)
    assert main([*argv, str(source)]) == 2
    assert expected in capsys.readouterr().err


def test_every_command_has_help_with_an_example(capsys):
    for argv in (["--help"], ["sim", "--help"], ["schemas", "--help"], ["decode", "--help"]):
        assert main(argv) == 0
        assert "example:" in capsys.readouterr().out
