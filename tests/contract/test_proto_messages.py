"""Contract tests for the OpenD protobuf messages: schema facts, fixtures, proto2 semantics."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from google.protobuf.internal import api_implementation

import venuewire
from venuewire.generated.futu import (
    Common_pb2,
    GetGlobalState_pb2,
    InitConnect_pb2,
    KeepAlive_pb2,
    Qot_Common_pb2,
    Qot_GetOrderBook_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
)
from venuewire.generated.registry import MESSAGES, OPEND, MessageInfo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "futu"
PROTO_MESSAGES = [m for m in MESSAGES if m.format == "protobuf"]
# Every message that travels alone in a frame: Request and Response of each registered protocol.
FRAME_MESSAGES = [m for m in PROTO_MESSAGES if m.proto_id is not None and m.class_name in ("Request", "Response")]


def cls_of(m: MessageInfo) -> Any:
    return getattr(import_module(m.module), m.class_name)


def as_dict(msg: Any) -> dict[str, Any]:
    return json_format.MessageToDict(msg, preserving_proto_field_name=True)


EXAMPLES = Path(__file__).resolve().parents[2] / "schemas" / "proto" / "futu" / "examples"
# The example data the simulator serves (schemas/proto/futu/examples/<File>.<Message>.json)
# are valid fixtures too.
VALID = [(m, p) for m in PROTO_MESSAGES for p in sorted((FIXTURES / m.name).glob("*.json"))] + [
    (m, EXAMPLES / f"{m.name}.json") for m in PROTO_MESSAGES if (EXAMPLES / f"{m.name}.json").is_file()
]
INVALID = [(m, p) for m in PROTO_MESSAGES for p in sorted((FIXTURES / m.name / "invalid").glob("*.json"))]


def test_protobuf_runs_on_the_upb_backend():
    assert api_implementation.Type() == "upb"


@pytest.mark.parametrize("message", FRAME_MESSAGES, ids=lambda m: m.name)
def test_every_frame_message_has_valid_and_invalid_fixtures(message):
    assert list((FIXTURES / message.name).glob("*.json")), f"no fixture for {message.name}"
    assert list((FIXTURES / message.name / "invalid").glob("*.json")), f"no invalid fixture for {message.name}"


def test_every_registered_proto_file_is_generated_with_its_proto_id():
    files = {m.schema for m in FRAME_MESSAGES}
    for protocol in OPEND.protocols:
        if protocol.proto is not None:
            assert f"proto/futu/{protocol.proto}.proto" in files
            request_or_push = [m for m in FRAME_MESSAGES if m.name.startswith(f"{protocol.proto}.")]
            assert {m.proto_id for m in request_or_push} == {protocol.proto_id}


@pytest.mark.parametrize(("message", "path"), VALID, ids=[f"{m.name}:{p.name}" for m, p in VALID])
def test_valid_fixture_round_trips_through_the_wire_form(message, path):
    cls = cls_of(message)
    text = path.read_text(encoding="utf-8")
    msg = venuewire.decode_proto_json(cls, text)
    wire = venuewire.encode_proto(msg)
    again = venuewire.decode_proto(cls, wire)
    assert again == msg
    assert as_dict(again) == json.loads(text)


@pytest.mark.parametrize(("message", "path"), INVALID, ids=[f"{m.name}:invalid/{p.name}" for m, p in INVALID])
def test_invalid_fixture_is_rejected_naming_the_field(message, path):
    wrapper = json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(venuewire.DecodeError) as caught:
        venuewire.decode_proto_json(cls_of(message), json.dumps(wrapper["payload"]))
    assert list(caught.value.field_path) == wrapper["field"], str(caught.value)
    assert caught.value.venue == "futu"
    assert caught.value.message_name == message.name


def test_zero_valued_required_field_is_encoded():
    request = GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0))
    assert venuewire.encode_proto(request) == bytes.fromhex("0a020800")


def test_unsubscribe_keeps_is_sub_false_on_the_wire():
    c2s = Qot_Sub_pb2.C2S(isSubOrUnSub=False)
    c2s.securityList.add(market=11, code="AAPL")
    wire = venuewire.encode_proto(Qot_Sub_pb2.Request(c2s=c2s))
    assert bytes.fromhex("1800") in wire  # field 3, varint, value 0
    assert venuewire.decode_proto(Qot_Sub_pb2.Request, wire).c2s.HasField("isSubOrUnSub")


@pytest.mark.parametrize(
    "response_cls",
    [
        InitConnect_pb2.Response,
        KeepAlive_pb2.Response,
        GetGlobalState_pb2.Response,
        Qot_Sub_pb2.Response,
        Qot_GetOrderBook_pb2.Response,
        Qot_UpdateOrderBook_pb2.Response,
    ],
)
def test_response_without_ret_type_reads_minus_400(response_cls):
    parsed = response_cls.FromString(b"")
    assert parsed.retType == Common_pb2.RetType_Unknown == -400
    assert not parsed.HasField("retType")
    # and the strict decoder reports it as a missing required field instead of trusting it
    with pytest.raises(venuewire.DecodeError) as caught:
        venuewire.decode_proto(response_cls, b"")
    assert caught.value.field_path == ("retType",)


def test_required_fields_are_checked_before_anything_is_encoded():
    request = Qot_GetOrderBook_pb2.Request()
    request.c2s.security.market = Qot_Common_pb2.QotMarket_HK_Security
    with pytest.raises(venuewire.MissingRequiredFields) as caught:
        venuewire.encode_proto(request)
    assert caught.value.fields == ("c2s.num", "c2s.security.code")
    assert caught.value.venue == "futu"
    assert "Qot_GetOrderBook.Request" in str(caught.value)
    assert isinstance(caught.value, venuewire.InvalidRequest)


def test_corrupt_body_is_a_decode_error_not_a_protobuf_exception():
    with pytest.raises(venuewire.DecodeError) as caught:
        venuewire.decode_proto(Qot_GetOrderBook_pb2.Response, b"\x22\x05\x0a")
    assert caught.value.message_name == "Qot_GetOrderBook.Response"
    assert "corrupt" in caught.value.detail


def test_order_book_level_keeps_the_wire_misspelling_and_hp_volume():
    level = Qot_Common_pb2.OrderBook(price=1.5, volume=3, orederCount=0, hpVolume=3.25)
    assert level.HasField("orederCount")
    assert level.hpVolume == 3.25
    names = [f.name for f in level.DESCRIPTOR.fields]
    assert names == ["price", "volume", "orederCount", "detailList", "hpVolume"]


def test_every_example_file_names_a_declared_frame_message_and_is_in_the_package():
    from venuewire.generated.futu import examples

    names = {m.name: m for m in FRAME_MESSAGES}
    files = sorted(EXAMPLES.glob("*.json"))
    assert files
    for path in files:
        message = names.get(path.stem)
        assert message is not None, f"{path.name}: no declared protocol has this message"
        table = examples.REQUESTS if message.class_name == "Request" else examples.RESPONSES
        assert json.loads(table[message.proto_id]) == json.loads(path.read_text(encoding="utf-8"))
    declared = {p.proto_id for p in OPEND.protocols if p.proto is not None}
    assert set(examples.RESPONSES) == declared
    assert set(examples.REQUESTS) == {p.proto_id for p in OPEND.protocols if p.proto and p.kind == "request"}
