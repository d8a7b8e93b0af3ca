"""`venuewire.drift.unknown_fields`: countable unknown fields beside a decode that stays strict."""

from __future__ import annotations

import json

import pytest

from tests.drift.doctored import bitmart_push, doctor, fixture, order_book_push, write_capture
from venuewire.capture.format import read_capture
from venuewire.drift import check_capture, findings, unknown_fields
from venuewire.errors import DecodeError
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.generated.futu import Qot_UpdateOrderBook_pb2
from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH
from venuewire.messages import decode_json, decode_proto
from venuewire.opend.frame import HEADER_SIZE

SPOT = fixture("bitmart", "spot_depth", "depth5_btc_usdt")


def test_unknown_json_fields_are_listed_by_concrete_path_while_the_decode_stays_strict():
    raw = json.dumps(
        doctor(SPOT, lambda f: (f.update(seq=1), f["data"][0].update(checksum=5), f["data"][0]["asks"][0].append("9")))
    )
    assert unknown_fields(SpotDepthPush, raw) == ["data[0].asks[0][2]", "data[0].checksum", "seq"]  # in the order met
    assert unknown_fields("bitmart/spot_depth", raw) == unknown_fields(SpotDepthPush, raw)
    with pytest.raises(DecodeError) as caught:  # a third item in a price level is a contract break
        decode_json(SpotDepthPush, raw)
    assert caught.value.field_path == ("data", 0, "asks", 0)


def test_a_known_shape_has_no_unknown_fields():
    assert unknown_fields(SpotDepthPush, json.dumps(SPOT)) == []


def test_unknown_protobuf_fields_are_counted_by_number():
    frame = order_book_push(extra_s2c=b"\x98\x06\x05\xa0\x06\x01")[3]  # fields 99 and 100 in s2c
    body = frame[HEADER_SIZE:]
    assert unknown_fields(Qot_UpdateOrderBook_pb2.Response, body) == ["s2c.#99", "s2c.#100"]
    assert decode_proto(Qot_UpdateOrderBook_pb2.Response, body).s2c.security.code == "00700"  # still decodes


def test_findings_name_kind_pattern_and_concrete_path():
    raw = json.dumps(doctor(SPOT, lambda f: f["data"][0]["bids"][1].__setitem__(0, 46828.0)))
    [finding] = findings("bitmart/spot_depth", raw)
    assert (finding.kind, finding.path, finding.at, finding.value, finding.declared) == (
        "type_change",
        "data[].bids[][0]",
        "data[0].bids[1][0]",
        "number",
        ("string",),
    )


def test_unreadable_input_is_a_decode_error():
    with pytest.raises(DecodeError) as caught:
        unknown_fields("bitmart/spot_depth", b"{not json")
    assert (caught.value.venue, caught.value.message_name, caught.value.field_path) == ("bitmart", "spot_depth", ())


def test_pings_and_pongs_are_counted_as_control_frames_not_drift(tmp_path):
    pong = ("bitmart", "in", "ws-text", WS_BITMART_SPOT_DEPTH.pong_text.encode(), {"url": WS_BITMART_SPOT_DEPTH.url})
    ping = ("bitmart", "out", "ws-text", WS_BITMART_SPOT_DEPTH.ping_text.encode(), {"url": WS_BITMART_SPOT_DEPTH.url})
    doc = check_capture(read_capture(write_capture(tmp_path / "c.vwcap", [ping, pong, bitmart_push(SPOT)]))).to_json()
    assert doc["drift"] is False
    assert doc["control"] == [
        {"message": "bitmart ws ping", "venue": "bitmart", "count": 1},
        {"message": "bitmart ws pong", "venue": "bitmart", "count": 1},
    ]


def test_a_binary_frame_that_does_not_inflate_is_a_decode_failure_not_a_crash(tmp_path):
    junk = ("bitmart", "in", "ws-binary", b"\xff\xfe not deflate", {"url": WS_BITMART_SPOT_DEPTH.url})
    doc = check_capture(read_capture(write_capture(tmp_path / "c.vwcap", [junk]))).to_json()
    [entry] = doc["messages"]
    assert entry["message"] == "bitmart ws binary frame that does not inflate"
    assert entry["count"] == 1
    assert len(entry["decode_failures"]) == 1
    assert doc["drift"] is True


def test_an_opend_record_without_a_whole_header_is_a_decode_failure(tmp_path):
    doc = check_capture(read_capture(write_capture(tmp_path / "c.vwcap", [("futu", "in", "opend", b"FT\x01", {})])))
    [entry] = doc.to_json()["messages"]
    assert entry["message"] == "futu frame without an OpenD header"
    assert entry["decode_failures"] == [
        {"path": "header", "detail": "3 bytes without a whole OpenD header", "count": 1}
    ]


def test_frames_of_no_known_kind_are_unknown_message_types_never_a_crash(tmp_path):
    junk = [
        ("binance", "in", "ws-text", b'{"e":"depth"}', {}),  # a venue the registry does not have
        ("binance", "out", "http-request", b"", {"method": "GET", "target": "/x"}),
        ("infoway", "in", "ws-text", b"[1,2]", {}),
        ("infoway", "in", "ws-text", b'{"nocode":1}', {}),
        ("qfex", "in", "ws-text", b"nope", {}),
    ]
    doc = check_capture(read_capture(write_capture(tmp_path / "c.vwcap", junk))).to_json()
    assert doc["messages"] == []
    assert [u["message"] for u in doc["unknown_messages"]] == [
        "binance http GET /x",
        "binance ws in frame with keys {e}",
        "infoway ws frame that is a JSON list",
        "infoway ws in frame with keys {nocode}",
        "qfex ws frame that is not JSON",
    ]


def test_opend_json_bodies_are_read_with_the_json_mapping(tmp_path):
    from venuewire.generated.registry import OPEND, OpenDProtoID
    from venuewire.opend.frame import encode_frame

    body = b'{"retType": 0, "s2c": {"security": {"market": 1, "code": "00700"}}}'
    bad = b'{"retType": 0, "s2c": {"security": {"market": 1, "code": "00700"}, "newField": 1}}'
    push, fmt = OpenDProtoID.Qot_UpdateOrderBook, OPEND.proto_fmt_json
    frames = [("futu", "in", "opend", encode_frame(push, n, b, proto_fmt=fmt), {}) for n, b in enumerate((body, bad))]
    [entry] = check_capture(read_capture(write_capture(tmp_path / "c.vwcap", frames))).to_json()["messages"]
    assert entry["message"] == "futu/Qot_UpdateOrderBook.Response"
    assert entry["count"] == 2
    [failure] = entry["decode_failures"]
    assert failure["count"] == 1
    assert "newField" in failure["detail"]
