"""Infoway against hostile peers on 127.0.0.1, through the public `InfowayClient`: REST
`batch_depth` / `order_books` and the WebSocket depth stream.

What every case pins (design.md, the error contract): only `VenueError`s reach the caller;
a bad push is a `DecodeFailure` and the stream goes on; HTTP statuses and the venue's `ret`
codes are separate number spaces; 429 is `RateLimited` with `retry_after` (REST and the
WebSocket handshake); bodies are capped before buffering; the API key is nowhere in an
error, its `__context__`/`__cause__` chain or a log line; a client used from a second event
loop fails at once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

from tests.hostile.peers import Peer, hold, http_peer, ws_peer
from tests.hostile.secrets import assert_no_secret
from venuewire.credentials import InfowayCredentials
from venuewire.errors import (
    AuthError,
    ConnectionLost,
    DecodeError,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Timeout,
    VenueError,
    WrongEventLoop,
)
from venuewire.events import DecodeFailure, Gap
from venuewire.infoway import InfowayClient, InfowayDepthStream
from venuewire.models import Candle, OrderBook, Trade

pytestmark = pytest.mark.timeout(30)

KEY = "Hostile-Infoway-Key-5c1d9e"
T0 = 1747378802012
GOOD = {"s": "BTCUSDT", "t": T0, "a": [["101.5", "102"], ["1", "2"]], "b": [["100.5", "100"], ["3", "4"]]}


def client_of(peer: Peer, *, timeout: float = 1.0, **options: Any) -> InfowayClient:
    return InfowayClient(InfowayCredentials(KEY), peer.url, peer.ws_url, timeout=timeout, **options)


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Log records of the client side (the hostile peer's own aiohttp server logs are not)."""
    return [r for r in caplog.records if not r.name.startswith(("aiohttp.access", "aiohttp.server", "aiohttp.web"))]


def no_key_anywhere(exc: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    assert_no_secret(exc, [KEY])
    for record in ours(caplog):
        assert KEY not in record.getMessage(), record.getMessage()[:200]


def reply(*depths: dict[str, Any], ret: int = 200) -> bytes:
    return json.dumps({"ret": ret, "msg": "success", "traceId": "t-1", "data": list(depths)}).encode()


def with_(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def answering(status: int, body: bytes, headers: dict[str, str] | None = None, content_type: str = "application/json"):
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=body, headers=headers, content_type=content_type)

    return handler


async def batch_depth_error(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]], **options: Any
) -> VenueError:
    async with http_peer(handler) as peer, client_of(peer, **options) as client:
        with pytest.raises(VenueError) as caught:
            await client.batch_depth("crypto", ["BTCUSDT"])
    return caught.value


# --- REST: HTTP statuses versus `ret` codes ---------------------------------------------------


async def test_http_502_with_an_html_page_is_a_server_error_naming_the_status_not_a_rate_limit(caplog):
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    error = await batch_depth_error(answering(502, page, content_type="text/html"))
    assert not isinstance(error, RateLimited)
    assert type(error) is VenueError and error.code == 502 and "HTTP 502" in str(error)
    no_key_anywhere(error, caplog)


@pytest.mark.parametrize("status", [500, 503, 504, 520, 524, 599])
async def test_every_gateway_5xx_is_a_server_error_whatever_the_ret_table_says(status):
    error = await batch_depth_error(answering(status, b"<html>oops</html>", content_type="text/html"))
    assert type(error) is VenueError and error.code == status and f"HTTP {status}" in str(error)


async def test_ret_502_inside_a_json_body_is_the_daily_rate_limit():
    error = await batch_depth_error(answering(200, b'{"ret":502,"msg":"request frequency for the day upper limit"}'))
    assert isinstance(error, RateLimited) and error.code == 502


async def test_a_ret_inside_a_json_error_body_wins_over_the_http_status():
    error = await batch_depth_error(answering(500, b'{"ret":508,"msg":"all product not exists"}'))
    assert isinstance(error, NotFound) and error.code == 508


async def test_http_429_with_an_html_page_is_rate_limited_with_retry_after(caplog):
    error = await batch_depth_error(answering(429, b"<html>slow down</html>", {"Retry-After": "7"}, "text/html"))
    assert isinstance(error, RateLimited) and error.code == 429 and error.retry_after == 7.0
    no_key_anywhere(error, caplog)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, b"<html>401</html>", AuthError),
        (401, b'{"ret":401,"msg":"Unauthorized"}', AuthError),
        (404, b"<html>Not Found</html>", NotFound),
        (404, b'{"detail":"Not Found"}', NotFound),
        (400, b"<html>bad</html>", InvalidRequest),
        (200, b'{"detail":"Rate limit exceeded"}', RateLimited),
    ],
)
async def test_documented_statuses_and_bodies_are_typed(status, body, kind, caplog):
    error = await batch_depth_error(answering(status, body))
    assert type(error) is kind
    no_key_anywhere(error, caplog)


# --- REST: broken and out-of-range bodies ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"", ()),
        (b"{", ()),
        (b"[1,2]", ()),
        (b'{"ret":"200","msg":"success"}', ("ret",)),
        (b'{"ret":200,"msg":5}', ("msg",)),
        (b'{"ret":200,"msg":"ok","data":"x"}', ("data",)),
        (reply({"t": T0, "a": GOOD["a"], "b": GOOD["b"]}), ("data", 0, "s")),
        (reply(with_(s=5)), ("data", 0, "s")),
        (reply(with_(t="1747378802012")), ("data", 0, "t")),
        (reply(with_(t=1.5)), ("data", 0, "t")),
        (reply(with_(t=10**17)), ("data", 0, "t")),
        (reply(with_(t=-(10**17))), ("data", 0, "t")),
        (reply(with_(t=2**70)), ("data", 0, "t")),
        (reply(with_(a="x")), ("data", 0, "a")),
        (reply(with_(a=[["1"]])), ("data", 0, "a")),
        (reply(with_(a=[["1", "2"], ["1"]])), ("data", 0, "a")),
        (reply(with_(b=[["1"], ["1", "2"]])), ("data", 0, "b")),
        (reply(with_(a=[[None], ["1"]])), ("data", 0, "a", 0, 0)),
        (reply(with_(a=[["abc"], ["1"]])), ("data", 0, "a", 0, 0)),
        (reply(with_(a=[["NaN"], ["1"]])), ("data", 0, "a", 0, 0)),
        (reply(with_(a=[["1"], ["Infinity"]])), ("data", 0, "a", 1, 0)),
        (reply(with_(b=[["1", "sNaN"], ["1", "1"]])), ("data", 0, "b", 0, 1)),
        (reply(with_(b=[["1"], ["-Infinity"]])), ("data", 0, "b", 1, 0)),
        (reply(GOOD, with_(b=[["1"], ["nan"]])), ("data", 1, "b", 1, 0)),
    ],
)
async def test_a_bad_body_is_a_decode_error_naming_the_field(body, path, caplog):
    for call in ("batch_depth", "order_books"):
        async with http_peer(answering(200, body)) as peer, client_of(peer) as client:
            with pytest.raises(DecodeError) as caught:
                await getattr(client, call)("crypto", ["BTCUSDT"])
        error = caught.value
        assert error.venue == "infoway" and error.message_name == "batch_depth_response"
        assert error.field_path == path, (call, error)
        no_key_anywhere(error, caplog)


async def test_invalid_utf8_inside_a_string_is_a_decode_error():
    body = reply(GOOD).replace(b"BTCUSDT", b"BTC\xff\xfeUSDT")
    error = await batch_depth_error(answering(200, body))
    assert isinstance(error, DecodeError) and "UTF-8" in error.detail


async def test_a_50_mib_reply_fails_fast_with_a_typed_error_and_bounded_memory():
    chunk = b"[" * (1 << 20)

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for _ in range(50):
            await response.write(chunk)
        await response.write_eof()
        return response

    tracemalloc.start()
    try:
        started = time.monotonic()
        error = await batch_depth_error(huge, timeout=5.0)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, PayloadTooLarge) and error.limit == 16 * (1 << 20)
    assert peak < 30 * (1 << 20), f"peak {peak / (1 << 20):.0f} MiB"
    assert elapsed < 2.0


async def test_max_body_is_the_clients_cap_announced_or_not():
    body = reply(GOOD)

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200)
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(body)
        await response.write_eof()
        return response

    for handler in (answering(200, body), chunked):
        error = await batch_depth_error(handler, max_body=len(body) - 1)
        assert isinstance(error, PayloadTooLarge) and error.limit == len(body) - 1
        async with http_peer(handler) as peer, client_of(peer, max_body=len(body)) as client:
            assert (await client.batch_depth("crypto", ["BTCUSDT"])).ret == 200
    with pytest.raises(ValueError, match="max_body"):
        InfowayClient(InfowayCredentials(KEY), max_body=0)


# --- REST: transport failures carry no key -----------------------------------------------------


def refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_connection_refused_is_connection_lost_without_the_key(caplog):
    caplog.set_level(logging.DEBUG)
    port = refused_port()
    async with InfowayClient(
        InfowayCredentials(KEY), f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws", timeout=1.0
    ) as client:
        with pytest.raises(ConnectionLost) as rest:
            await client.batch_depth("crypto", ["BTCUSDT"])
        stream = client.depth_stream("crypto", ["BTCUSDT"])
        with pytest.raises(ConnectionLost) as ws:
            await anext(stream)
    no_key_anywhere(rest.value, caplog)
    no_key_anywhere(ws.value, caplog)


async def test_a_stalled_reply_is_a_timeout_without_the_key(caplog):
    async def stall(request: web.Request) -> web.StreamResponse:
        await hold(5)
        return web.Response(status=200)

    error = await batch_depth_error(stall, timeout=0.3)
    assert isinstance(error, Timeout) and isinstance(error, TimeoutError)
    no_key_anywhere(error, caplog)


async def test_a_reply_cut_mid_body_is_connection_lost_without_the_key(caplog):
    async def cut(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers={"Content-Length": "1000"})
        await response.prepare(request)
        await response.write(b'{"ret":200,')
        assert request.transport is not None
        request.transport.abort()
        return response

    error = await batch_depth_error(cut)
    assert isinstance(error, (ConnectionLost, DecodeError))
    no_key_anywhere(error, caplog)


# --- WebSocket ---------------------------------------------------------------------------------


def push(depth: dict[str, Any]) -> str:
    return json.dumps({"code": 10005, "trace": "x", "data": depth})


async def listen(ws: web.WebSocketResponse, seconds: float = 5.0) -> None:
    """Stay open, sending nothing, until the client closes (or `seconds` pass)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            async for _ in ws:
                pass


def serving(*frames: str | bytes, hold_for: float = 5.0):
    """A peer handler: wait for the subscribe frame, send `frames`, then stay open."""

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()
        for frame in frames:
            if isinstance(frame, bytes):
                await ws.send_bytes(frame)
            else:
                await ws.send_str(frame)
        await listen(ws, hold_for)

    return handler


def stream_of(client: InfowayClient, **options: Any) -> InfowayDepthStream:
    options = {"backoff_initial": 0.01, "backoff_max": 0.05} | options
    return client.depth_stream("crypto", ["BTCUSDT"], **options)


async def take(stream: InfowayDepthStream, count: int, within: float = 5.0) -> list[object]:
    """The next `count` items; the bound is generous for a loaded machine (a pass takes ms)."""
    async with asyncio.timeout(within):
        return [await anext(stream) for _ in range(count)]


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        (push(with_(t=10**17)), ("data", "t")),
        (push(with_(t=-(10**17))), ("data", "t")),
        (push(with_(t=2**70)), ("data", "t")),
        (push(with_(t="x")), ("data", "t")),
        (push(with_(s=None)), ("data", "s")),
        (push(with_(a=[["NaN"], ["1"]])), ("data", "a", 0, 0)),
        (push(with_(a=[["1"], ["sNaN"]])), ("data", "a", 1, 0)),
        (push(with_(b=[["Infinity"], ["1"]])), ("data", "b", 0, 0)),
        (push(with_(b=[["1", "2"], ["1"]])), ("data", "b")),
        (push(GOOD).encode().replace(b"BTCUSDT", b"BTC\xffUSDT"), ()),
        (b"\xff\xfe{", ()),
        ('{"code":10005,"data":', ()),
    ],
)
async def test_a_bad_push_is_a_decode_failure_and_the_next_good_push_arrives(bad, path, caplog):
    async with ws_peer(serving(bad, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        failure, book = await take(stream, 2)
        assert isinstance(failure, DecodeFailure), failure
        assert failure.error.venue == "infoway" and failure.error.field_path == path
        assert isinstance(book, OrderBook) and book.symbol == "BTCUSDT"
        assert stream.stats.decode_errors == 1 and stream.depth.stats.decode_failures == 1
    assert any("infoway" in r.getMessage() for r in ours(caplog))  # the failure was logged
    for record in ours(caplog):
        assert KEY not in record.getMessage()


@pytest.mark.parametrize(
    ("frame", "kind", "code"),
    [
        ('{"code":501,"msg":"request frequency exceed the limit"}', RateLimited, 501),
        ('{"code":509}', AuthError, 509),
        ('{"code":513,"msg":null,"trace":"t"}', VenueError, 513),
        ('{"code":427,"msg":"too many connections"}', RateLimited, 427),
        ('{"code":599,"msg":"new"}', VenueError, 599),
        ("Subscribe fail: no such product", InvalidRequest, None),
    ],
)
async def test_error_frames_of_every_shape_are_typed_kept_and_the_stream_goes_on(frame, kind, code):
    async with ws_peer(serving(frame, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        (book,) = await take(stream, 1)
        assert isinstance(book, OrderBook)
        (error,) = stream.depth.errors
        assert type(error) is kind and error.code == code and error.venue == "infoway"


@pytest.mark.parametrize(
    "frame",
    [
        '{"code":10011,"trace":"abc"}',
        '{"code":10010,"trace":"abc"}',
        '{"code":11010,"trace":"abc","msg":"ok"}',
        '{"code":10004,"trace":"abc","msg":"ok"}',
        '{"code":200,"msg":"ws connect success"}',
    ],
)
async def test_control_frames_heart_apply_included_are_consumed_quietly(frame):
    async with ws_peer(serving(frame, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        (book,) = await take(stream, 1)
        assert isinstance(book, OrderBook)
        stats = stream.depth.stats
        assert stats.decode_failures == stats.errors == stats.unknown == 0


@pytest.mark.parametrize(
    "frame",
    ['{"code":"10005","data":{}}', '{"code":null}', "[1,2,3]", '"text"', '{"code":10004,"trace":5}'],
)
async def test_frames_of_the_wrong_shape_are_decode_failures(frame):
    async with ws_peer(serving(frame, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        failure, book = await take(stream, 2)
        assert isinstance(failure, DecodeFailure) and isinstance(book, OrderBook)


async def test_http_429_at_the_handshake_is_rate_limited_with_retry_after(caplog):
    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, text="<html>too many</html>", headers={"Retry-After": "3"})

    async with ws_peer(serving(), handshake=refuse) as peer, client_of(peer) as client:
        with pytest.raises(RateLimited) as caught:
            await anext(stream_of(client))
    assert caught.value.retry_after == 3.0 and caught.value.code == 429
    no_key_anywhere(caught.value, caplog)


async def test_a_reconnect_waits_out_the_retry_after_of_a_429_handshake():
    refusals: list[float] = []

    async def refuse_the_second(request: web.Request) -> web.StreamResponse | None:
        if len(peer.requests) == 2:
            refusals.append(time.monotonic())
            return web.Response(status=429, headers={"Retry-After": "0.5"})
        return None

    async def once(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()
        await ws.send_str(push(GOOD))
        if len(peer.requests) == 1:
            return  # the first session ends at once: the client reconnects
        await listen(ws)

    async with (
        ws_peer(once, handshake=refuse_the_second) as peer,
        client_of(peer) as client,
        stream_of(client) as stream,
    ):
        first, gap, book = await take(stream, 3)
    assert isinstance(first, OrderBook) and isinstance(gap, Gap) and isinstance(book, OrderBook)
    assert peer.connections == 3 and peer.connect_times[2] - refusals[0] >= 0.45


@pytest.mark.parametrize("status", [401, 403])
async def test_a_refused_key_at_the_handshake_is_an_auth_error_without_the_key(status, caplog):
    async def refuse(request: web.Request) -> web.StreamResponse:
        assert request.query.get("apikey") == KEY  # the key does travel, in the query
        return web.Response(status=status, text=f"refused {request.url}")

    async with ws_peer(serving(), handshake=refuse) as peer, client_of(peer) as client:
        with pytest.raises(AuthError) as caught:
            await anext(stream_of(client))
    no_key_anywhere(caught.value, caplog)


@pytest.mark.parametrize("status", [400, 404, 500, 502, 524])
async def test_other_handshake_refusals_are_typed_and_carry_no_key(status, caplog):
    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, text=f"<html>{request.url}</html>")

    async with ws_peer(serving(), handshake=refuse) as peer, client_of(peer) as client:
        with pytest.raises(VenueError) as caught:
            await anext(stream_of(client))
    assert not isinstance(caught.value, RateLimited)
    no_key_anywhere(caught.value, caplog)


@pytest.mark.parametrize(("status", "kind"), [(427, RateLimited), (404, NotFound)])
async def test_handshake_statuses_the_registry_documents_are_typed_by_its_table(status, kind, caplog):
    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Retry-After": "3"}, text="<html>no</html>")

    async with ws_peer(serving(), handshake=refuse) as peer, client_of(peer) as client:
        with pytest.raises(kind) as caught:
            await anext(stream_of(client))
    assert caught.value.code == status
    if kind is RateLimited:
        assert caught.value.retry_after == 3
    no_key_anywhere(caught.value, caplog)


async def test_a_flood_against_a_slow_consumer_stays_bounded_and_counts_the_drops():
    # Bounds are generous for a loaded CI machine (a pass takes well under a second).
    flood_size = 300
    sent = asyncio.Event()

    async def flood(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()
        try:
            for i in range(flood_size):
                await ws.send_str(push(with_(t=T0 + i)))
        finally:
            sent.set()
        await listen(ws)

    async with ws_peer(flood) as peer, client_of(peer) as client, stream_of(client, buffer=8) as stream:
        (first,) = await take(stream, 1, within=20)
        async with asyncio.timeout(20):
            await sent.wait()
            for _ in range(2000):  # polled: the stream has no event for "received N"
                if stream.stats.received >= flood_size:
                    break
                await asyncio.sleep(0.01)
        stats = stream.stats
        assert stats.received == flood_size and stats.received - stats.yielded - stats.dropped <= 8  # what waits
        rest = await take(stream, 8)
        assert stream.dropped == flood_size - 1 - 8
    books = [first, *rest]
    assert all(isinstance(b, OrderBook) for b in books)
    assert books[-1].timestamp is not None and int(books[-1].timestamp.timestamp() * 1000) == T0 + flood_size - 1


async def test_a_stalled_connection_is_dropped_after_the_idle_timeout_and_reconnected():
    async def stall_first(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()
        if peer.connections == 1:
            await ws.send_str(push(GOOD))
        else:
            await ws.send_str(push(with_(t=T0 + 1)))
        await listen(ws)  # then silence

    async with ws_peer(stall_first) as peer, client_of(peer) as client, stream_of(client, idle_timeout=0.3) as stream:
        first, gap, book = await take(stream, 3)
    assert isinstance(first, OrderBook) and isinstance(gap, Gap) and isinstance(book, OrderBook)
    assert "0.3" in gap.reason and peer.connections == 2


async def test_a_stall_without_reconnect_ends_the_stream_with_connection_lost():
    async with (
        ws_peer(serving(push(GOOD))) as peer,
        client_of(peer) as client,
        stream_of(client, idle_timeout=0.3, reconnect=False) as stream,
    ):
        (book,) = await take(stream, 1)
        with pytest.raises(ConnectionLost):
            await take(stream, 1)
    assert isinstance(book, OrderBook)


async def test_a_peer_that_closes_at_once_sees_ever_fewer_reconnects():
    async def close_at_once(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()

    async with ws_peer(close_at_once) as peer, client_of(peer) as client:
        stream = stream_of(client, backoff_initial=0.05, backoff_max=5.0, healthy_after=5.0)
        async with stream:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    while True:
                        await anext(stream)  # Gaps only: no session lasts
        # delays at least 0.025, 0.05, 0.1, 0.2, 0.4 s (jitter halves them at most): <= 7 in 1 s
        assert 2 <= peer.connections <= 7, peer.connections


# --- event loops -------------------------------------------------------------------------------


def test_a_client_used_from_a_second_event_loop_fails_at_once():
    port = refused_port()
    client = InfowayClient(InfowayCredentials(KEY), f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws")

    async def call() -> None:
        await client.batch_depth("crypto", ["BTCUSDT"])

    with pytest.raises(ConnectionLost):
        asyncio.run(call())
    started = time.monotonic()
    with pytest.raises(WrongEventLoop) as caught:
        asyncio.run(call())
    assert time.monotonic() - started < 0.5 and caught.value.venue == "infoway"

    async def close_then_call() -> None:
        await client.close()

    with pytest.raises(WrongEventLoop):
        asyncio.run(close_then_call())


def test_a_closed_client_may_be_used_on_a_new_event_loop():
    port = refused_port()
    client = InfowayClient(InfowayCredentials(KEY), f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws")

    async def call_and_close() -> None:
        try:
            await client.batch_depth("crypto", ["BTCUSDT"])
        finally:
            await client.close()

    for _ in range(2):
        with pytest.raises(ConnectionLost):
            asyncio.run(call_and_close())


def test_a_stream_left_open_on_an_ended_loop_fails_at_once_on_the_next():
    async def first(holder: list[InfowayDepthStream]) -> object:
        async with ws_peer(serving(push(GOOD))) as peer:
            client = client_of(peer)
            stream = stream_of(client)
            holder.append(stream)
            return await anext(stream)

    async def second(stream: InfowayDepthStream) -> object:
        return await anext(stream)

    holder: list[InfowayDepthStream] = []
    assert isinstance(asyncio.run(first(holder)), OrderBook)
    started = time.monotonic()
    with pytest.raises(WrongEventLoop):
        asyncio.run(second(holder[0]))
    assert time.monotonic() - started < 0.5


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every log level, so the secrets grep sees debug lines too."""
    caplog.set_level(logging.DEBUG)


# ---------------------------------------------------------------- control frames, each through its schema
# Valid: counted in its own counter, nothing yielded. Malformed: a DecodeFailure naming the field,
# and the stream goes on. An unknown code: counted in `unknown` and logged, never an item.

CONTROL_FRAMES = [
    ("unsubscribe ack", '{"code":11010,"trace":"u-1","msg":"ok"}', "unsubscribe_acks"),
    ("unsubscribe ack, bare", '{"code":11010}', "unsubscribe_acks"),
    ("heart_apply", '{"code":10011,"trace":"hb-1"}', "heart_applies"),
    ("heartbeat echo", '{"code":10010,"trace":"hb-2"}', "control"),
]


@pytest.mark.parametrize(("what", "frame", "counter"), CONTROL_FRAMES, ids=[c[0] for c in CONTROL_FRAMES])
async def test_a_valid_control_frame_is_counted_through_its_schema(what, frame, counter):
    async with ws_peer(serving(frame, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        (book,) = await take(stream, 1)
        assert isinstance(book, OrderBook)
        stats = stream.depth.stats
        assert getattr(stats, counter) == 1 and stats.control == 1, what
        assert stats.decode_failures == stats.errors == stats.unknown == 0


MALFORMED_CONTROL = [
    ("unsubscribe ack, trace a number", '{"code":11010,"trace":7}', ("trace",)),
    ("unsubscribe ack, msg an object", '{"code":11010,"msg":{"x":1}}', ("msg",)),
    ("heart_apply, trace null", '{"code":10011,"trace":null}', ("trace",)),
    ("heartbeat echo without its trace", '{"code":10010}', ("trace",)),
    ("error, msg a number", '{"code":506,"msg":5}', ("msg",)),
    ("error, trace a list", '{"code":509,"msg":"apikey invalid","trace":[1]}', ("trace",)),
    ("code a string", '{"code":"11010"}', ("code",)),
    ("code missing", '{"trace":"t"}', ("code",)),
    ("code a boolean", '{"code":true}', ("code",)),
]


@pytest.mark.parametrize(("what", "frame", "path"), MALFORMED_CONTROL, ids=[c[0] for c in MALFORMED_CONTROL])
async def test_a_malformed_control_frame_is_a_decode_failure_and_the_stream_goes_on(what, frame, path):
    async with ws_peer(serving(frame, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        failure, book = await take(stream, 2)
        assert isinstance(failure, DecodeFailure), what
        assert failure.error.venue == "infoway" and failure.error.field_path == path
        assert failure.raw == frame.encode()
        assert isinstance(book, OrderBook)
        stats = stream.depth.stats
        assert stats.decode_failures == 1 and stats.control == stats.errors == stats.unknown == 0


@pytest.mark.parametrize("frame", ['{"code":10099,"trace":"t"}', '{"code":12}', '{"code":11011,"data":[1]}'])
async def test_an_unknown_code_is_counted_and_logged_never_dropped_silently(frame, caplog):
    caplog.set_level(logging.INFO, logger="venuewire.infoway")
    async with ws_peer(serving(frame, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        (book,) = await take(stream, 1)
        assert isinstance(book, OrderBook)
        stats = stream.depth.stats
        assert stats.unknown == 1 and stats.decode_failures == stats.errors == stats.control == 0
    code = str(json.loads(frame)["code"])
    assert any("infoway" in r.getMessage() and code in r.getMessage() for r in ours(caplog))


async def test_an_error_frame_with_trace_and_trace_id_is_typed_by_the_registry_table():
    frame = '{"code":505,"msg":"products quantity exceed","trace":"t-1","traceId":"t-1"}'
    async with ws_peer(serving(frame, push(GOOD))) as peer, client_of(peer) as client, stream_of(client) as stream:
        (book,) = await take(stream, 1)
        assert isinstance(book, OrderBook)
        (error,) = stream.depth.errors
        assert type(error) is InvalidRequest and error.code == 505 and error.venue == "infoway"
        assert "products quantity exceed" in error.message


# --- trade and candle streams (issue 14) -------------------------------------------------------

TRADE = {"s": "BTCUSDT", "t": 1758208701234, "p": "64012.5", "v": "0.0125", "vw": "800.15625", "td": 2}
BAR = {"s": "BTCUSDT", "t": "1758208680", "ty": 1, "o": "1", "h": "2", "l": "0.5", "c": "1.5", "v": "3", "vw": "4"}


def trade_frame(**changes: Any) -> str:
    return json.dumps({"code": 10002, "data": TRADE | changes})


def bar_frame(**changes: Any) -> str:
    return json.dumps({"code": 10008, "data": BAR | changes})


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        (trade_frame(p="NaN"), ("data", "p")),
        (trade_frame(t=2**70), ("data", "t")),
        (trade_frame(v=None), ("data", "v")),
        (trade_frame().encode().replace(b"BTCUSDT", b"BTC\xffUSDT"), ()),
        ('{"code":10002,"data":', ()),
    ],
)
async def test_a_bad_trade_push_is_a_decode_failure_and_the_next_trade_arrives(bad, path, caplog):
    async with (
        ws_peer(serving(bad, trade_frame())) as peer,
        client_of(peer) as client,
        client.trade_stream("crypto", ["BTCUSDT"], backoff_initial=0.01) as stream,
    ):
        failure, trade = await take(stream, 2)  # type: ignore[arg-type]
    assert isinstance(failure, DecodeFailure) and failure.error.field_path == path
    assert isinstance(trade, Trade) and trade.side == "sell" and trade.price == Decimal("64012.5")
    assert stream.stats.decode_errors == 1 and stream.market.stats.decode_failures == 1
    for record in ours(caplog):
        assert KEY not in record.getMessage()


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        (bar_frame(t="-5"), ("data", "t")),
        (bar_frame(h="Infinity"), ("data", "h")),
        (bar_frame(ty=0), ("data", "ty")),
        (bar_frame(o=True), ("data", "o")),
    ],
)
async def test_a_bad_candle_push_is_a_decode_failure_and_the_next_candle_arrives(bad, path):
    async with (
        ws_peer(serving(bad, bar_frame())) as peer,
        client_of(peer) as client,
        client.candle_stream("crypto", ["BTCUSDT"], 1, backoff_initial=0.01) as stream,
    ):
        failure, candle = await take(stream, 2)  # type: ignore[arg-type]
    assert isinstance(failure, DecodeFailure) and failure.error.field_path == path
    assert isinstance(candle, Candle) and candle.interval == "1Min" and candle.close == Decimal("1.5")


async def test_an_error_frame_on_the_trade_stream_is_kept_typed_and_the_stream_goes_on():
    frames = ('{"code":501,"msg":"request frequency exceed the limit"}', trade_frame())
    async with (
        ws_peer(serving(*frames)) as peer,
        client_of(peer) as client,
        client.trade_stream("crypto", ["BTCUSDT"]) as stream,
    ):
        (trade,) = await take(stream, 1)  # type: ignore[arg-type]
    assert isinstance(trade, Trade)
    (error,) = stream.market.errors
    assert isinstance(error, RateLimited) and error.code == 501
