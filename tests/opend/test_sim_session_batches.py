"""The simulator's session fed several frames in one read: every good request before a bad
frame is answered, then the session closes saying why; nothing after a close is answered;
and a book request is answered with the same bytes however the requests arrive."""

from __future__ import annotations

from venuewire.generated.futu import InitConnect_pb2, KeepAlive_pb2, Qot_Common_pb2, Qot_GetOrderBook_pb2
from venuewire.generated.futu.enums import SubType
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend.frame import FrameDecoder, encode_frame
from venuewire.sim.opend import OpenDSession, SessionState, SimState

KEEP_ALIVE = encode_proto(KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
BOOK = encode_proto(
    Qot_GetOrderBook_pb2.Request(
        c2s=Qot_GetOrderBook_pb2.C2S(security=Qot_Common_pb2.Security(market=1, code="00700"), num=3)
    )
)


def session() -> OpenDSession:
    state = SimState(clock=lambda: 1_700_000_000.5, token=lambda: "K" * 16)
    return OpenDSession(state, conn_id=42)


def init_frame(serial: int = 1) -> bytes:
    c2s = InitConnect_pb2.C2S(clientVer=300, clientID="tests")
    return encode_frame(OpenDProtoID.InitConnect, serial, encode_proto(InitConnect_pb2.Request(c2s=c2s)))


def keep_alive(serial: int) -> bytes:
    return encode_frame(OpenDProtoID.KeepAlive, serial, KEEP_ALIVE)


def serials(out: list[bytes]) -> list[int]:
    return [frame.serial_no for frame in FrameDecoder().frames(b"".join(out))]


def test_good_requests_before_a_bad_frame_are_answered_then_the_session_closes():
    s = session()
    bad = bytearray(keep_alive(4))
    bad[20] ^= 0xFF  # its SHA-1
    out = s.receive_data(init_frame(1) + keep_alive(2) + keep_alive(3) + bytes(bad) + keep_alive(5))
    assert serials(out) == [1, 2, 3]
    assert s.state is SessionState.CLOSED and "bad frame" in (s.close_reason or "")
    assert "SHA-1" in (s.close_reason or "")


def test_nothing_after_a_close_is_answered_and_a_later_bad_frame_does_not_change_why():
    s = session()
    out = s.receive_data(keep_alive(1) + init_frame(2) + b"GET / HTTP/1.1\r\n")
    assert out == []
    assert "before InitConnect" in (s.close_reason or "")


def test_a_book_request_gets_the_same_bytes_batched_split_or_alone():
    replies = []
    for feed in ("alone", "batched", "split"):
        s = session()
        s.receive_data(init_frame(1))
        s.subscriptions[(1, "00700")] = {int(SubType.OrderBook): False}
        requests = [encode_frame(OpenDProtoID.Qot_GetOrderBook, serial, BOOK) for serial in (7, 8)]
        if feed == "alone":
            out = s.receive_data(requests[0]) + s.receive_data(requests[1])
        elif feed == "batched":
            out = s.receive_data(b"".join(requests))
        else:
            data = b"".join(requests)
            out = [frame for i in range(len(data)) for frame in s.receive_data(data[i : i + 1])]
        replies.append(out)
        assert serials(out) == [7, 8]
        frames = FrameDecoder().frames(b"".join(out))
        assert frames[0].body == frames[1].body
        book = decode_proto(Qot_GetOrderBook_pb2.Response, frames[0].body)
        assert book.retType == 0 and len(book.s2c.orderBookAskList) == 3
    assert replies[0] == replies[1] == replies[2]


def test_the_request_log_keeps_the_latest_and_never_more_than_its_cap():
    from venuewire.sim.opend import SimState

    state = SimState(max_recorded_requests=50)
    for serial in range(1, 1001):
        state.record(3012, serial)
        assert len(state.requests) <= 50
        assert state.requests[-1] == (3012, serial)
    kept = [serial for _, serial in state.requests]
    assert kept == list(range(1001 - len(kept), 1001)) and len(kept) >= 45  # in order, the latest
