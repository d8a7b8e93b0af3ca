"""The OpenD connection state machine, without sockets."""

from __future__ import annotations

import pytest

from venuewire.errors import MissingRequiredFields
from venuewire.generated.futu import InitConnect_pb2, KeepAlive_pb2, Qot_GetOrderBook_pb2
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend.frame import FrameDecoder, encode_frame
from venuewire.opend.protocol import (
    OpenDConnection,
    OpenDError,
    ProtocolStateError,
    Push,
    Ready,
    Reply,
    State,
)


def init_reply(serial: int, ret_type: int = 0) -> bytes:
    s2c = InitConnect_pb2.S2C(
        serverVer=1, loginUserID=7, connID=99, connAESKey="0123456789abcdef", keepAliveInterval=10
    )
    response = InitConnect_pb2.Response(retType=ret_type, retMsg="", s2c=s2c)
    return encode_frame(OpenDProtoID.InitConnect, serial, encode_proto(response))


def ready_connection() -> OpenDConnection:
    conn = OpenDConnection()
    (frame,) = FrameDecoder().frames(conn.initiate())
    events = conn.receive_data(init_reply(frame.serial_no))
    assert isinstance(events[0], Ready)
    return conn


def test_handshake_moves_through_the_states():
    conn = OpenDConnection()
    assert conn.state is State.CONNECTING
    (frame,) = FrameDecoder().frames(conn.initiate())
    assert frame.proto_id == OpenDProtoID.InitConnect
    request = decode_proto(InitConnect_pb2.Request, frame.body)
    assert request.c2s.packetEncAlgo == -1
    assert conn.state is State.HANDSHAKING
    (event,) = conn.receive_data(init_reply(frame.serial_no))
    assert isinstance(event, Ready)
    assert event.s2c.connID == 99
    assert conn.state is State.READY


def test_nothing_but_init_connect_before_ready():
    conn = OpenDConnection()
    with pytest.raises(ProtocolStateError, match="CONNECTING"):
        conn.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    conn.initiate()
    with pytest.raises(ProtocolStateError, match="HANDSHAKING"):
        conn.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))


def test_failed_init_connect_raises_open_d_error_and_closes():
    conn = OpenDConnection()
    (frame,) = FrameDecoder().frames(conn.initiate())
    with pytest.raises(OpenDError) as caught:
        conn.receive_data(init_reply(frame.serial_no, ret_type=-1))
    assert caught.value.ret_type == -1
    assert conn.state is State.CLOSED


def test_serial_numbers_increase_and_replies_and_pushes_are_told_apart():
    conn = ready_connection()
    request = KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=5))
    serials = [conn.send(OpenDProtoID.KeepAlive, request)[0] for _ in range(3)]
    assert serials == sorted(serials) and len(set(serials)) == 3
    reply = encode_frame(OpenDProtoID.KeepAlive, serials[1], b"\x08\x00")
    push = encode_frame(OpenDProtoID.Qot_UpdateOrderBook, 12345, b"\x08\x00")
    events = conn.receive_data(reply + push)
    assert events == [
        Reply(OpenDProtoID.KeepAlive, serials[1], b"\x08\x00"),
        Push(OpenDProtoID.Qot_UpdateOrderBook, b"\x08\x00"),
    ]


def test_missing_required_fields_are_refused_before_a_serial_is_spent():
    conn = ready_connection()
    first, _ = conn.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    incomplete = Qot_GetOrderBook_pb2.Request(c2s={"security": {"market": 1, "code": "1"}})
    with pytest.raises(MissingRequiredFields, match=r"c2s\.num"):
        conn.send(OpenDProtoID.Qot_GetOrderBook, incomplete)
    second, _ = conn.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    assert second == first + 1


def test_a_bad_frame_closes_the_connection():
    conn = ready_connection()
    with pytest.raises(Exception) as caught:
        conn.receive_data(b"XX" + bytes(60))
    assert type(caught.value).__name__ == "BadMagic"
    assert conn.state is State.CLOSED
    assert conn.receive_data(b"more") == []
