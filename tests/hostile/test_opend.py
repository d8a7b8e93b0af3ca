"""OpenDClient against misbehaving OpenD peers on 127.0.0.1 (tests/hostile/peers.py tcp_peer).

The peers speak the frame format with our own codec and generated classes, then break it:
broken headers, wrong magic, bodyLen bombs, bad SHA-1, protobuf garbage, missing required
fields, wrong keys, NaN doubles, floods, stalls, a close right after InitConnect, an absurd
keepAliveInterval. Every case goes through the public client and asserts the error contract:
only VenueError subclasses reach the caller, a bad push is a DecodeFailure event and the
stream goes on, buffers and memory stay bounded, reconnects back off. Each case is short.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from google.protobuf.message import Message

from tests.hostile.peers import Peer, hold, tcp_peer
from tests.hostile.secrets import assert_no_secret
from venuewire import OpenDClient, OpenDError
from venuewire.errors import ConnectionLost, DecodeError, Timeout, VenueError
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.futu import (
    GetGlobalState_pb2,
    InitConnect_pb2,
    KeepAlive_pb2,
    Qot_Common_pb2,
    Qot_GetOrderBook_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
)
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.messages import decode_proto
from venuewire.opend.crypto import SessionCipher, load_rsa_key, rsa_encrypt
from venuewire.opend.frame import HEADER, HEADER_SIZE, MAGIC, RESERVED, Frame, decode_frame, encode_frame

pytestmark = pytest.mark.timeout(30)

AES_KEY = "k3yK3yk3yK3yk3y0"
FAST = {"connect_timeout": 1.0, "timeout": 1.0, "backoff_initial": 0.05, "backoff_max": 0.5}
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def sample_key_path() -> Path:
    import futu

    return Path(os.path.dirname(futu.__file__)) / "common" / "conn_key.txt"


# ---------------------------------------------------------------- a fake OpenD, frame by frame
async def read_frame(reader: asyncio.StreamReader, cipher: SessionCipher | None = None) -> Frame:
    header = await reader.readexactly(HEADER_SIZE)
    (body_len,) = struct.unpack_from("<I", header, 12)
    body = await reader.readexactly(body_len)
    return decode_frame(header + body, decrypt=cipher.decrypt if cipher else None)


async def read_serial(reader: asyncio.StreamReader) -> int:
    """Read one frame without checking it (it may be encrypted); its serialNo."""
    header = await reader.readexactly(HEADER_SIZE)
    _magic, _proto, _fmt, _ver, serial, body_len, _sha, _res = HEADER.unpack(header)
    await reader.readexactly(body_len)
    return int(serial)


def frame(proto_id: int, serial: int, message: Message, cipher: SessionCipher | None = None) -> bytes:
    """A frame of `message` as is (required fields unchecked: a peer may omit them)."""
    return encode_frame(
        proto_id, serial, message.SerializePartialToString(), encrypt=cipher.encrypt if cipher else None
    )


def init_s2c(keepalive: int = 10, **fields: object) -> InitConnect_pb2.S2C:
    s2c = InitConnect_pb2.S2C(serverVer=1011, loginUserID=7, connID=99, connAESKey=AES_KEY, keepAliveInterval=keepalive)
    for name, value in fields.items():
        setattr(s2c, name, value)
    return s2c


def init_reply(serial: int, keepalive: int = 10) -> bytes:
    return frame(OpenDProtoID.InitConnect, serial, InitConnect_pb2.Response(retType=0, s2c=init_s2c(keepalive)))


async def handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, keepalive: int = 10) -> None:
    request = await read_frame(reader)
    assert request.proto_id == OpenDProtoID.InitConnect
    writer.write(init_reply(request.serial_no, keepalive))
    await writer.drain()


def ok(response_cls: type[Message], **fields: object) -> Message:
    return response_cls(retType=0, **fields)


def book_s2c(
    cls: type[Qot_GetOrderBook_pb2.S2C] | type[Qot_UpdateOrderBook_pb2.S2C], price: float = 400.2, stamp: float = 1.7e9
) -> Message:
    return cls(
        security=Qot_Common_pb2.Security(market=1, code="00700"),
        orderBookAskList=[Qot_Common_pb2.OrderBook(price=price, volume=100, orederCount=1)],
        orderBookBidList=[Qot_Common_pb2.OrderBook(price=400.0, volume=200, orederCount=2)],
        svrRecvTimeAskTimestamp=stamp,
    )


def push(serial: int, price: float = 400.2, stamp: float = 1.7e9) -> bytes:
    s2c = book_s2c(Qot_UpdateOrderBook_pb2.S2C, price, stamp)
    return frame(OpenDProtoID.Qot_UpdateOrderBook, serial, ok(Qot_UpdateOrderBook_pb2.Response, s2c=s2c))


async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, book: Callable[[], Message]) -> None:
    """Answer KeepAlive, GetGlobalState, Qot_Sub and Qot_GetOrderBook (with `book()`), forever."""
    while True:
        request = await read_frame(reader)
        reply: Message
        if request.proto_id == OpenDProtoID.KeepAlive:
            reply = ok(KeepAlive_pb2.Response, s2c=KeepAlive_pb2.S2C(time=1))
        elif request.proto_id == OpenDProtoID.GetGlobalState:
            reply = ok(GetGlobalState_pb2.Response, s2c=GetGlobalState_pb2.S2C(
                marketHK=1, marketUS=1, marketSH=1, marketSZ=1, marketHKFuture=1, qotLogined=True,
                trdLogined=False, serverVer=1011, serverBuildNo=1, time=1,
            ))  # fmt: skip
        elif request.proto_id == OpenDProtoID.Qot_Sub:
            reply = ok(Qot_Sub_pb2.Response, s2c=Qot_Sub_pb2.S2C())
        else:
            reply = ok(Qot_GetOrderBook_pb2.Response, s2c=book())
        writer.write(frame(request.proto_id, request.serial_no, reply))
        await writer.drain()


def header(proto_id: int = OpenDProtoID.InitConnect, serial: int = 1, body_len: int = 0, **over: object) -> bytes:
    fields = {"magic": MAGIC, "fmt": 0, "sha1": bytes(20)} | over
    return HEADER.pack(fields["magic"], proto_id, fields["fmt"], 0, serial, body_len, fields["sha1"], RESERVED)


async def failure_of(handler: Handler, **options: object) -> tuple[Exception, float, Peer]:
    """Connect to a peer running `handler`; the exception connect() raised and how long it took."""
    async with tcp_peer(handler) as peer:
        client = OpenDClient(peer.host, peer.port, reconnect=False, **(FAST | options))  # type: ignore[arg-type]
        started = time.monotonic()
        try:
            await client.connect()
        except Exception as exc:  # the test inspects whatever came out
            return exc, time.monotonic() - started, peer
        finally:
            await client.close()
    raise AssertionError("connect() succeeded against a broken peer")


# ---------------------------------------------------------------- broken InitConnect replies
def reply_then(data: Callable[[int], bytes], then_hold: bool = True) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(data(await read_serial(reader)))
        await writer.drain()
        if then_hold:
            await hold(5)

    return handler


def body_frame(serial: int, body: bytes, proto_id: int = OpenDProtoID.InitConnect) -> bytes:
    return encode_frame(proto_id, serial, body)


BROKEN_INIT_REPLIES: dict[str, tuple[Callable[[int], bytes], type[VenueError]]] = {
    "wrong magic": (lambda s: header(magic=b"XX", serial=s), DecodeError),
    "unknown protoFmtType": (lambda s: header(fmt=7, serial=s), DecodeError),
    "bodyLen bomb": (lambda s: header(serial=s, body_len=2**32 - 1), DecodeError),
    "bad SHA-1": (lambda s: header(serial=s, body_len=4, sha1=b"\x01" * 20) + b"\x08\x00\x10\x00", DecodeError),
    "protobuf garbage": (lambda s: body_frame(s, b"\xff\xff\xff\xff\x0f\x0f"), DecodeError),
    "required fields missing": (
        lambda s: frame(OpenDProtoID.InitConnect, s, InitConnect_pb2.Response(retType=0, s2c=InitConnect_pb2.S2C())),
        DecodeError,
    ),
    "retType failed": (
        lambda s: frame(OpenDProtoID.InitConnect, s, InitConnect_pb2.Response(retType=-1, retMsg="no")),
        OpenDError,
    ),
    "a push before the reply": (push, VenueError),
    "half a header, then close": (lambda s: header(serial=s)[:20], ConnectionLost),
}


@pytest.mark.parametrize("case", list(BROKEN_INIT_REPLIES))
async def test_a_broken_init_connect_reply_is_a_venue_error_at_once(case):
    data, kind = BROKEN_INIT_REPLIES[case]
    exc, took, _ = await failure_of(reply_then(data, then_hold=case != "half a header, then close"))
    assert isinstance(exc, kind), repr(exc)
    assert took < 1.0


async def test_a_missing_required_field_is_named():
    exc, _, _ = await failure_of(reply_then(BROKEN_INIT_REPLIES["required fields missing"][0]))
    assert isinstance(exc, DecodeError)
    assert "connAESKey" in str(exc) and exc.venue == "futu"


async def test_a_peer_that_accepts_and_closes_at_once_is_connection_lost():
    async def close_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        return None

    exc, took, _ = await failure_of(close_at_once)
    assert isinstance(exc, ConnectionLost) and took < 1.0


# ---------------------------------------------------------------- encryption failures
def encrypted_reply(key: rsa.RSAPrivateKey, serial: int, s2c: InitConnect_pb2.S2C, cut: int = 0) -> bytes:
    """An RSA-encrypted InitConnect reply; `cut` drops that many ciphertext bytes (bodyLen agrees)."""
    body = InitConnect_pb2.Response(retType=0, s2c=s2c).SerializePartialToString()
    wire = rsa_encrypt(key, body)
    return encode_frame(OpenDProtoID.InitConnect, serial, body, encrypt=lambda _pid, _plain: wire[: len(wire) - cut])


def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=OPEND.rsa_key_bits)


ENCRYPTED_CASES: dict[str, Callable[[int], bytes]] = {
    "reply under another RSA key": lambda s: encrypted_reply(other_key(), s, init_s2c(aesCBCiv="0123456789abcdef")),
    "truncated RSA block": lambda s: encrypted_reply(load_rsa_key(sample_key_path()), s, init_s2c(), cut=28),
    "RSA body not whole blocks": lambda s: body_frame(s, b"\x00" * 100),
    "connAESKey of the wrong length": lambda s: encrypted_reply(
        load_rsa_key(sample_key_path()), s, init_s2c(connAESKey="short")
    ),
    "connAESKey not ASCII": lambda s: encrypted_reply(
        load_rsa_key(sample_key_path()), s, init_s2c(connAESKey="ключключключключ")
    ),
    "aesCBCiv of the wrong length": lambda s: encrypted_reply(
        load_rsa_key(sample_key_path()), s, init_s2c(aesCBCiv="iv")
    ),
}


@pytest.mark.parametrize("case", list(ENCRYPTED_CASES))
async def test_decryption_failures_are_venue_errors(case):
    exc, took, _ = await failure_of(reply_then(ENCRYPTED_CASES[case]), rsa_key_path=sample_key_path())
    assert isinstance(exc, DecodeError), repr(exc)  # frame errors (SHA-1, decryption) and bad keys alike
    assert took < 1.0


async def test_a_bad_aes_key_is_not_repeated_in_the_error_chain():
    secret = "secret-key-17bytes"  # 18 ASCII bytes: refused, and never echoed
    handler = reply_then(lambda s: encrypted_reply(load_rsa_key(sample_key_path()), s, init_s2c(connAESKey=secret)))
    exc, _, _ = await failure_of(handler, rsa_key_path=sample_key_path())
    assert isinstance(exc, DecodeError) and "connAESKey" in str(exc)
    assert_no_secret(exc, [secret])


# ---------------------------------------------------------------- after InitConnect
async def serve(handler: Handler, **options: object) -> tuple[contextlib.AsyncExitStack, Peer, OpenDClient]:
    stack = contextlib.AsyncExitStack()
    peer = await stack.enter_async_context(tcp_peer(handler))
    client = OpenDClient(peer.host, peer.port, **(FAST | options))  # type: ignore[arg-type]
    stack.push_async_callback(client.close)
    await client.connect()
    return stack, peer, client


def after_handshake(then: Handler, keepalive: int = 10) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await handshake(reader, writer, keepalive)
        await then(reader, writer)

    return handler


@pytest.mark.parametrize(
    "garbage",
    [header(magic=b"GET /"[:2]), header(body_len=2**31), header(fmt=9), b"\x00" * HEADER_SIZE],
    ids=["wrong magic", "bodyLen bomb", "unknown format", "zeros"],
)
async def test_garbage_after_init_connect_fails_the_pending_request_with_connection_lost(garbage):
    async def then(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_frame(reader)  # the request, answered with garbage
        writer.write(garbage)
        await writer.drain()
        await hold(5)

    stack, _, client = await serve(after_handshake(then), reconnect=False)
    async with stack:
        started = time.monotonic()
        with pytest.raises(ConnectionLost, match="bad frame"):
            await client.get_global_state()
        assert time.monotonic() - started < 1.0
        assert not client.connected


async def test_a_body_len_bomb_is_refused_before_the_body_is_buffered():
    chunk = bytes(64 * 1024)

    async def then(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_frame(reader)
        writer.write(header(OpenDProtoID.GetGlobalState, 2, body_len=OPEND.max_body_len - 1))
        for _ in range(512):  # offers 32 MiB of body; the client must not keep it
            writer.write(chunk)
            await writer.drain()

    stack, _, client = await serve(after_handshake(then), reconnect=False, max_body=256 * 1024)
    async with stack:
        tracemalloc.start()
        try:
            with pytest.raises(ConnectionLost, match="bodyLen"):
                await client.get_global_state()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 4 * 1024 * 1024


async def test_a_reply_with_a_bad_sha1_drops_the_connection():
    async def then(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_frame(reader)
        body = b"\x08\x00"
        writer.write(header(request.proto_id, request.serial_no, len(body), sha1=b"\x02" * 20) + body)
        await writer.drain()
        await hold(5)

    stack, _, client = await serve(after_handshake(then), reconnect=False)
    async with stack:
        with pytest.raises(ConnectionLost, match="SHA-1"):
            await client.get_global_state()


async def test_protobuf_garbage_and_wrong_replies_reach_the_caller_as_venue_errors_and_the_session_goes_on():
    replies = iter(
        [
            lambda r: body_frame(r.serial_no, b"\xff\xff\xff", r.proto_id),  # not protobuf
            lambda r: frame(
                r.proto_id, r.serial_no, GetGlobalState_pb2.Response(retType=0, s2c=GetGlobalState_pb2.S2C())
            ),
            lambda r: frame(r.proto_id, r.serial_no, GetGlobalState_pb2.Response(retType=-1, retMsg="busy")),
            lambda r: frame(OpenDProtoID.KeepAlive, r.serial_no, ok(KeepAlive_pb2.Response)),  # wrong protoID
            lambda r: frame(r.proto_id, r.serial_no + 7, ok(KeepAlive_pb2.Response)),  # wrong serial
        ]
    )

    async def then(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            request = await read_frame(reader)
            writer.write(next(replies)(request))
            await writer.drain()

    stack, _, client = await serve(after_handshake(then), reconnect=False, timeout=0.3)
    async with stack:
        with pytest.raises(DecodeError):
            await client.get_global_state()
        with pytest.raises(DecodeError, match="marketHK"):
            await client.get_global_state()
        with pytest.raises(OpenDError, match="busy"):
            await client.get_global_state()
        for _ in range(2):
            with pytest.raises(Timeout):
                await client.get_global_state()
        assert client.stats.unmatched_replies == 2
        assert client.connected


@pytest.mark.parametrize(
    ("price", "stamp", "path"),
    [
        (float("nan"), 1.7e9, ("orderBookAskList", 0, "price")),
        (float("inf"), 1.7e9, ("orderBookAskList", 0, "price")),
        (400.2, 1e300, ("svrRecvTimeAskTimestamp",)),
        (400.2, 1e17, ("svrRecvTimeAskTimestamp",)),
        (400.2, float("-inf"), ("svrRecvTimeAskTimestamp",)),
    ],
)
async def test_nan_and_out_of_range_doubles_in_a_reply_are_decode_errors_naming_the_field(price, stamp, path):
    books = iter([book_s2c(Qot_GetOrderBook_pb2.S2C, price, stamp), book_s2c(Qot_GetOrderBook_pb2.S2C)])

    stack, _, client = await serve(after_handshake(lambda r, w: answer(r, w, lambda: next(books))))
    async with stack:
        with pytest.raises(DecodeError) as caught:
            await client.get_order_book("HK.00700")
        assert caught.value.field_path == path
        assert caught.value.message_name == "Qot_GetOrderBook.S2C"
        good = await client.get_order_book("HK.00700")  # the session goes on
        assert good.orderBookAskList[0].price == 400.2


async def test_bad_pushes_are_decode_failure_events_and_the_stream_goes_on():
    bad = [
        push(1, price=float("nan")),
        push(2, stamp=1e17),
        body_frame(3, b"\xff\xff\xff", OpenDProtoID.Qot_UpdateOrderBook),
        frame(OpenDProtoID.Qot_UpdateOrderBook, 4, Qot_UpdateOrderBook_pb2.Response(retType=-1, retMsg="no")),
        frame(
            OpenDProtoID.Qot_UpdateOrderBook, 5, ok(Qot_UpdateOrderBook_pb2.Response, s2c=Qot_UpdateOrderBook_pb2.S2C())
        ),
    ]

    async def then(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.1)
        writer.write(b"".join([*bad, push(6)]))
        await writer.drain()
        await hold(5)

    stack, _, client = await serve(after_handshake(then))
    async with stack:
        stream = client.order_book_updates("HK.00700")
        items = [await asyncio.wait_for(anext(stream), 1) for _ in range(len(bad) + 1)]
        failures = items[:-1]
        assert all(isinstance(item, DecodeFailure) for item in failures), items
        assert [f.error.field_path for f in failures[:2]] == [
            ("orderBookAskList", 0, "price"),
            ("svrRecvTimeAskTimestamp",),
        ]
        assert all(f.error.venue == "futu" and f.raw for f in failures)
        last = items[-1]
        assert isinstance(last, Qot_UpdateOrderBook_pb2.S2C) and last.orderBookAskList[0].price == 400.2
        assert client.stats.decode_errors == len(bad)
        assert stream.decode_errors == len(bad)


async def test_a_push_flood_against_a_slow_consumer_stays_bounded_and_counts_drops():
    total = 3000

    async def then(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.1)
        writer.write(b"".join(push(i) for i in range(total)))
        await writer.drain()
        await hold(5)

    stack, _, client = await serve(after_handshake(then), buffer=16)
    async with stack:
        stream = client.order_book_updates("HK.00700")
        for _ in range(100):
            if client.stats.pushes_received >= total:
                break
            await asyncio.sleep(0.02)
        assert client.stats.pushes_received == total
        assert stream.dropped == total - 16 == client.stats.pushes_dropped
        waiting = []
        with contextlib.suppress(TimeoutError):
            while True:
                waiting.append(await asyncio.wait_for(anext(stream), 0.05))
        assert len(waiting) == 16  # the buffer held the newest 16, no more
        assert all(isinstance(item, Qot_UpdateOrderBook_pb2.S2C) for item in waiting)


# ---------------------------------------------------------------- stalls, storms, keepalive
async def test_a_stalled_peer_is_detected_and_the_client_reconnects():
    stack, peer, client = await serve(after_handshake(lambda r, w: hold(5)), idle_timeout=0.3)
    async with stack:
        for _ in range(100):  # the second connection, then its InitConnect (the Gap is recorded after it)
            if peer.connections >= 2 and client.stats.reconnects >= 1:
                break
            await asyncio.sleep(0.02)
        assert peer.connections >= 2
        assert client.stats.reconnects >= 1 and "nothing received" in client.gaps[0].reason


async def test_a_stalled_peer_without_reconnect_ends_requests_and_streams_with_connection_lost():
    stack, _, client = await serve(after_handshake(lambda r, w: hold(5)), idle_timeout=0.3, reconnect=False,
                                   timeout=5)  # fmt: skip
    async with stack:
        stream = client.order_book_updates("HK.00700")
        started = time.monotonic()
        with pytest.raises(ConnectionLost, match="nothing received"):
            await client.get_global_state()
        with pytest.raises(ConnectionLost):
            await asyncio.wait_for(anext(stream), 1)
        assert time.monotonic() - started < 1.5


async def test_a_peer_closing_right_after_init_connect_gets_no_reconnect_storm():
    async with tcp_peer(handshake) as peer:  # answers InitConnect, then closes
        client = OpenDClient(peer.host, peer.port, backoff_initial=0.1, backoff_max=5.0, healthy_after=5.0)
        try:
            await client.connect()
            await asyncio.sleep(1.5)
        finally:
            await client.close()
        # backoff 0.1 doubling (jitter 0.5-1.0) allows at most 5 attempts in 1.5 s; the
        # old policy (reset on every successful InitConnect) made 10-20
        assert peer.connections <= 6, peer.connections
        assert peer.connections >= 2  # it did try again


async def test_backoff_grows_over_short_sessions_and_resets_after_a_healthy_one():
    healthy = 0.5
    sessions = iter([0.0, 0.0, 0.0, healthy])  # then short ones again

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await handshake(reader, writer)
        await asyncio.sleep(next(sessions, 0.0))

    async with tcp_peer(handler) as peer:
        client = OpenDClient(peer.host, peer.port, backoff_initial=0.05, backoff_max=5.0, healthy_after=0.3)
        try:
            await client.connect()
            for _ in range(100):
                if peer.connections >= 5:
                    break
                await asyncio.sleep(0.02)
        finally:
            await client.close()
        times = peer.connect_times
        assert len(times) >= 5
        assert times[3] - times[2] >= 0.2 * 0.5  # the third short session: 0.05 doubled twice, jittered
        assert times[4] - times[3] - healthy < 0.15  # after the healthy one: back to 0.05 (0.4 without reset)


@pytest.mark.parametrize(("interval", "expected"), [(0, 1.0), (-5, 1.0), (2**31 - 1, 300.0), (7, 7.0)])
async def test_keep_alive_interval_from_the_peer_is_clamped(interval, expected):
    keepalives = 0

    async def then(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal keepalives
        while True:
            request = await read_frame(reader)
            keepalives += request.proto_id == OpenDProtoID.KeepAlive
            writer.write(
                frame(request.proto_id, request.serial_no, ok(KeepAlive_pb2.Response, s2c=KeepAlive_pb2.S2C(time=1)))
            )
            await writer.drain()

    stack, peer, client = await serve(after_handshake(then, keepalive=interval))
    async with stack:
        assert client.keepalive_interval == expected
        await asyncio.sleep(0.4)
        assert client.connected and peer.connections == 1
        assert keepalives == 0  # the first KeepAlive is due after 0.8 x the clamped interval


async def test_keepalives_go_out_at_the_clamped_minimum():
    stack, peer, client = await serve(
        after_handshake(lambda r, w: answer(r, w, lambda: book_s2c(Qot_GetOrderBook_pb2.S2C)), keepalive=0)
    )
    async with stack:
        await asyncio.sleep(1.0)
        assert client.connected and peer.connections == 1


async def test_every_request_on_a_closed_client_is_connection_lost():
    stack, _, client = await serve(after_handshake(lambda r, w: hold(5)))
    async with stack:
        await client.close()
        with pytest.raises(ConnectionLost):
            await client.get_global_state()
        stream = client.order_book_updates("HK.00700")
        with pytest.raises(StopAsyncIteration):
            await anext(stream)


def test_the_pushes_decode_with_our_own_classes():
    """The fake peer's frames are what OpenD sends: our decoder reads them back."""
    data = push(1)
    parsed = decode_frame(data)
    response = decode_proto(Qot_UpdateOrderBook_pb2.Response, parsed.body)
    assert parsed.proto_id == OpenDProtoID.Qot_UpdateOrderBook and response.s2c.security.code == "00700"


async def test_a_reconnect_is_a_gap_event_in_the_update_stream():
    first = True

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal first
        await handshake(reader, writer)
        if first:
            first = False
            return  # close: the client reconnects
        writer.write(push(1))
        await writer.drain()
        await answer(reader, writer, lambda: book_s2c(Qot_GetOrderBook_pb2.S2C))

    stack, _, client = await serve(handler)
    async with stack:
        stream = client.order_book_updates("HK.00700")
        gap = await asyncio.wait_for(anext(stream), 1)
        assert isinstance(gap, Gap) and gap.ended >= gap.started and stream.gaps == [gap]
        book = await asyncio.wait_for(anext(stream), 1)
        assert isinstance(book, Qot_UpdateOrderBook_pb2.S2C)
