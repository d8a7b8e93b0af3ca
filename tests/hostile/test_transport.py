"""The shared transport (WsStream, Http) against misbehaving peers on 127.0.0.1.

Each case asserts one promise of the error contract (../shared/notes/design.md): reconnects
back off and honour Retry-After, a stream never ends silently, bodies and messages are capped
before buffering, nothing from aiohttp (URL, query, headers) rides along in an error's chain,
a client used from a second event loop says so at once, and a flood against a slow consumer
stays within the stream's buffer. Every case is short and bounded by explicit timeouts.
"""

from __future__ import annotations

import asyncio
import email.utils
import gc
import itertools
import logging
import math
import socket
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from tests.hostile.peers import Peer, hold, http_peer, tcp_peer, ws_frame, ws_handshake, ws_peer
from tests.hostile.secrets import assert_no_secret
from venuewire.errors import (
    AuthError,
    ConnectionLost,
    DecodeError,
    PayloadTooLarge,
    RateLimited,
    Timeout,
    VenueError,
    WrongEventLoop,
)
from venuewire.events import DecodeFailure, Gap
from venuewire.transport import Frame, Http, Reaction, WsStream

pytestmark = pytest.mark.timeout(30)

SECRET_PATH = "pathsecret-5b1f0c"
SECRET_QUERY = "querysecret-9e2d7a"
SECRET_HEADER = "headersecret-3c8a4f"
SECRETS = (SECRET_QUERY, SECRET_HEADER)


class Toy:
    """A toy protocol: a frame holding an int is that int; "boom" makes `receive` raise (a
    bug in venue code); anything else is a DecodeFailure. Hooks let a test break the rest."""

    venue = "toy"

    def __init__(self, url: str, *, opening: Callable[[], list[Frame]] | None = None) -> None:
        self._url = url
        self._opening = opening

    def url(self) -> str:
        return self._url

    def opening(self) -> list[Frame]:
        return self._opening() if self._opening is not None else ["hello"]

    def receive(self, data: Frame) -> Reaction[Any]:
        text = data.decode() if isinstance(data, bytes) else data
        if text == "boom":
            raise KeyError("bids")
        if text == "send-garbage":
            return Reaction(send=[42])  # type: ignore[list-item]  # a venue bug: not a frame
        try:
            return Reaction(items=[int(text)])
        except ValueError:
            error = DecodeError("toy", "number", (), f"{text[:20]!r} is no int")
            return Reaction(items=[DecodeFailure(error, text.encode())])

    def heartbeat(self) -> tuple[float, Frame] | None:
        return None


class Echo(Toy):
    """Every frame is an item, as received (a flood of them costs memory if kept)."""

    def receive(self, data: Frame) -> Reaction[Any]:
        return Reaction(items=[data])


async def next_item(stream: WsStream[Any], within: float = 3.0) -> Any:
    return await asyncio.wait_for(anext(stream), within)


async def failure_of(stream: WsStream[Any], within: float = 3.0) -> BaseException:
    """The exception the stream ends with (skipping the items before it)."""
    try:
        async with asyncio.timeout(within):
            while True:
                await anext(stream)
    except StopAsyncIteration:
        pytest.fail("the stream ended silently (StopAsyncIteration) while nobody closed it")
    except VenueError as exc:
        return exc
    raise AssertionError("unreachable")


async def drain_for(stream: WsStream[Any], seconds: float) -> list[Any]:
    """Everything the stream yields within `seconds` (the stream is expected to go on)."""
    out: list[Any] = []
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                out.append(await anext(stream))
    return out


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# ------------------------------------------------------------------- 1. reconnect storms
async def close_at_once(ws: web.WebSocketResponse, request: web.Request) -> None:
    return None


async def close_1011_after_the_opening(ws: web.WebSocketResponse, request: web.Request) -> None:
    await ws.receive()  # the opening frame
    await ws.close(code=1011, message=b"internal error")


@pytest.mark.parametrize("handler", [close_at_once, close_1011_after_the_opening])
async def test_a_peer_that_drops_every_session_at_once_sees_a_growing_backoff_not_a_storm(handler):
    async with ws_peer(handler) as peer:
        stream = WsStream(Toy(peer.ws_url), backoff_initial=0.05, backoff_max=5.0)
        try:
            events = await drain_for(stream, 1.5)
        finally:
            await stream.aclose()
    # backoff 0.05 doubling with jitter x0.5..1: waits of at least .025 .05 .1 .2 .4 .8 s, so at
    # most 6 connections fit in 1.5 s; resetting it at each handshake made ~40 here.
    assert 2 <= peer.connections <= 7
    assert all(isinstance(e, Gap) for e in events) and len(events) == peer.connections - 1
    waits = [b - a for a, b in zip(peer.connect_times, peer.connect_times[1:], strict=False)]
    assert waits[-1] > waits[0]


async def test_a_session_that_stayed_healthy_resets_the_backoff():
    async def hold_then_close(ws: web.WebSocketResponse, request: web.Request) -> None:
        await asyncio.sleep(0.12)

    async with ws_peer(hold_then_close) as peer:
        stream = WsStream(Toy(peer.ws_url), backoff_initial=0.1, backoff_max=5.0, healthy_after=0.05)
        try:
            await drain_for(stream, 1.3)
        finally:
            await stream.aclose()
    # every session lasted 0.12 s > healthy_after, so every wait is backoff_initial (x0.5..1)
    # plus the session: without the reset the 4th wait alone would be 0.4..0.8 s.
    starts = peer.connect_times
    assert len(starts) >= 5
    assert max(b - a for a, b in itertools.pairwise(starts)) < 0.12 + 0.1 + 0.08


async def test_a_peer_that_never_answers_the_handshake_gets_timeouts_with_backoff():
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await hold(5)

    async with tcp_peer(stall) as peer:
        stream = WsStream(Toy(f"ws://127.0.0.1:{peer.port}/ws"), connect_timeout=0.2)
        try:
            with pytest.raises(Timeout, match="timed out"):
                await next_item(stream)
        finally:
            await stream.aclose()
    assert peer.connections == 1  # a first connection that fails is the caller's to retry


# ------------------------------------------------------------------- 2. 429 at the handshake
def refuse_second_handshake_with(
    headers: Callable[[], dict[str, str]], refused_at: list[float]
) -> Callable[[web.Request], Awaitable[web.StreamResponse | None]]:
    count = 0

    async def handshake(request: web.Request) -> web.StreamResponse | None:
        nonlocal count
        count += 1
        if count == 2:
            refused_at.append(time.time())
            return web.Response(status=429, text="slow down", headers=headers())
        return None

    return handshake


async def test_http_429_with_an_http_date_on_a_reconnect_is_waited_out():
    target = math.ceil(time.time() + 0.6)  # an HTTP date has whole seconds: 0.6 to 1.6 s ahead
    refused_at: list[float] = []
    first = True

    async def one_item_then_drop_once(ws: web.WebSocketResponse, request: web.Request) -> None:
        nonlocal first
        await ws.receive()
        await ws.send_str("1" if first else "3")
        if first:
            first = False
            return
        await hold(5)

    handshake = refuse_second_handshake_with(
        lambda: {"Retry-After": email.utils.formatdate(target, usegmt=True)}, refused_at
    )
    async with ws_peer(one_item_then_drop_once, handshake=handshake) as peer:
        stream = WsStream(Toy(peer.ws_url), backoff_initial=0.01, backoff_max=0.02)
        try:
            assert await next_item(stream) == 1
            assert isinstance(await next_item(stream), Gap)
            assert await next_item(stream) == 3
        finally:
            await stream.aclose()
    assert peer.connections == 3
    # the third attempt came no sooner than the date the 429 named (the backoff alone: 0.02 s)
    assert peer.connect_times[2] - peer.connect_times[1] >= target - refused_at[0] - 0.05
    assert target - refused_at[0] > 0.5


# ------------------------------------------------------------------- 3. never silently
def send_frames(*frames: str) -> Callable[[web.WebSocketResponse, web.Request], Awaitable[None]]:
    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()
        for frame in frames:
            await ws.send_str(frame)
        await hold(5)

    return handler


async def test_a_protocol_receive_that_raises_is_a_decode_failure_and_the_stream_goes_on(caplog):
    async with ws_peer(send_frames("1", "boom", "2")) as peer, WsStream(Toy(peer.ws_url)) as stream:
        items = [await next_item(stream) for _ in range(3)]
    assert items[0] == 1 and items[2] == 2
    failure = items[1]
    assert isinstance(failure, DecodeFailure) and failure.raw == b"boom"
    assert failure.error.venue == "toy" and "KeyError" in failure.error.message
    assert stream.stats.decode_errors == 1
    assert any("KeyError" in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


async def test_a_protocol_that_raises_a_decode_error_keeps_that_error():
    class Raises(Toy):
        def receive(self, data: Frame) -> Reaction[Any]:
            raise DecodeError("toy", "depth", ("bids", 0), "not a price")

    async with ws_peer(send_frames("x")) as peer, WsStream(Raises(peer.ws_url)) as stream:
        failure = await next_item(stream)
    assert isinstance(failure, DecodeFailure) and failure.error.field_path == ("bids", 0)


async def test_an_error_in_the_opening_frames_ends_the_stream_with_a_venue_error(caplog):
    def broken() -> list[Frame]:
        raise ValueError("no credentials")

    async with ws_peer(send_frames("1")) as peer:
        stream = WsStream(Toy(peer.ws_url, opening=broken))
        try:
            error = await failure_of(stream)
            again = await failure_of(stream)  # it stays ended, never StopAsyncIteration
        finally:
            await stream.aclose()
    assert type(error) is VenueError and "opening" in error.message and "ValueError" in error.message
    assert again is error
    assert any("opening" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


async def test_a_reaction_that_is_not_frames_is_a_decode_failure_and_the_stream_goes_on():
    async with ws_peer(send_frames("send-garbage", "5")) as peer, WsStream(Toy(peer.ws_url)) as stream:
        failure, five = await next_item(stream), await next_item(stream)
    assert isinstance(failure, DecodeFailure) and "not a Reaction of str/bytes frames" in failure.error.message
    assert five == 5


async def test_a_heartbeat_that_is_not_a_heartbeat_ends_the_stream_with_a_venue_error():
    class Broken(Toy):
        def heartbeat(self) -> tuple[float, Frame] | None:
            return (0.0, "ping")  # not a positive interval

    async with ws_peer(send_frames("1")) as peer:
        stream = WsStream(Broken(peer.ws_url))
        try:
            error = await failure_of(stream)
        finally:
            await stream.aclose()
    assert "heartbeat()" in error.message


async def test_a_bug_in_the_engine_ends_the_stream_with_a_venue_error_not_silently(monkeypatch, caplog):
    async def broken_read(self: WsStream[Any], ws: Any) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(WsStream, "_read", broken_read)
    async with ws_peer(send_frames("1")) as peer:
        stream = WsStream(Toy(peer.ws_url))
        try:
            error = await failure_of(stream)
        finally:
            await stream.aclose()
    assert type(error) is VenueError and "RuntimeError: engine bug" in error.message
    assert any("engine bug" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


async def test_a_url_that_is_no_url_ends_the_stream_with_a_venue_error():
    stream = WsStream(Toy("not a url at all"))
    try:
        error = await failure_of(stream)
    finally:
        await stream.aclose()
    assert isinstance(error, VenueError)


async def test_the_stream_ends_with_stop_iteration_only_when_the_caller_closed_it():
    async with ws_peer(send_frames("1")) as peer:
        stream = WsStream(Toy(peer.ws_url))
        assert await next_item(stream) == 1
        await stream.aclose()
        with pytest.raises(StopAsyncIteration):
            await next_item(stream)


async def test_cancelling_a_waiting_consumer_raises_cancelled_error():
    async with ws_peer(send_frames()) as peer:
        stream = WsStream(Toy(peer.ws_url))
        try:
            waiting = asyncio.ensure_future(anext(stream))
            await asyncio.sleep(0.2)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert not stream._task.done()  # type: ignore[union-attr]  # the engine goes on
        finally:
            await stream.aclose()


# ------------------------------------------------------------------- 4. size caps
async def test_an_oversized_websocket_message_is_a_decode_failure_and_the_stream_goes_on():
    sessions = 0

    async def big_then_small(ws: web.WebSocketResponse, request: web.Request) -> None:
        nonlocal sessions
        sessions += 1
        await ws.receive()
        if sessions == 1:
            await ws.send_str("1")
            await ws.send_str("7" * 5000)
        await ws.send_str("2")
        await hold(5)

    async with (
        ws_peer(big_then_small) as peer,
        WsStream(Toy(peer.ws_url), max_message_size=1024, backoff_initial=0.01) as stream,
    ):
        items = [await next_item(stream) for _ in range(4)]
    assert items[0] == 1 and isinstance(items[2], Gap) and items[3] == 2
    failure = items[1]
    assert isinstance(failure, DecodeFailure) and isinstance(failure.error, PayloadTooLarge)
    assert failure.error.limit == 1024 and "1024" in str(failure.error)
    assert stream.stats.decode_errors == 1


async def test_an_http_body_over_its_content_length_cap_is_refused_before_reading():
    async def big(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"x" * (5000 if request.path == "/big" else 10))

    async with http_peer(big) as peer, Http("toy", peer.url, max_body=4096) as http:
        with pytest.raises(PayloadTooLarge) as caught:
            await http.request("GET", "/big")
        assert (await http.request("GET", "/small")).body == b"x" * 10  # the client goes on
    assert caught.value.limit == 4096 and caught.value.size == 5000
    assert "GET /big" in str(caught.value)


async def test_a_streamed_50_mib_http_body_is_cut_at_the_cap_with_memory_bounded():
    cap = 2 << 20
    written = 0
    ended: list[BaseException] = []

    async def flood(request: web.Request) -> web.StreamResponse:
        nonlocal written
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"x" * 65536
        try:
            while written < 50 << 20:
                await response.write(chunk)
                written += len(chunk)
        except (ConnectionError, RuntimeError) as exc:
            ended.append(exc)
        return response

    async with http_peer(flood) as peer, Http("toy", peer.url, max_body=cap) as http:
        gc.collect()
        tracemalloc.start()
        try:
            with pytest.raises(PayloadTooLarge) as caught:
                await http.request("GET", "/flood")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        for _ in range(50):  # the server learns the connection is gone, not drained
            if ended:
                break
            await asyncio.sleep(0.02)
    assert peak < 2 * cap
    assert caught.value.limit == cap and caught.value.size is None
    assert ended and written < 50 << 20


async def test_a_body_without_length_read_until_close_is_cut_at_the_cap():
    async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        for _ in range(200):
            writer.write(b"y" * 16384)
            await writer.drain()

    async with tcp_peer(endless) as peer, Http("toy", f"http://127.0.0.1:{peer.port}", max_body=100_000) as http:
        with pytest.raises(PayloadTooLarge):
            await http.request("GET", "/endless")


@pytest.mark.parametrize("value", [0, -1, 1.5, True, None])
def test_http_max_body_must_be_a_positive_int(value):
    with pytest.raises(ValueError, match="max_body"):
        Http("toy", "http://127.0.0.1:1", max_body=value)


# ------------------------------------------------------------------- 5. secrets
def chain_is_ours(exc: BaseException) -> None:
    """Nothing from aiohttp rides along: no context, no cause (they hold the URL and headers).
    Error texts name the URL's path on purpose (what failed), never its query: a secret in
    the path is covered by this check alone."""
    assert isinstance(exc, VenueError)
    assert exc.__context__ is None and exc.__cause__ is None, repr(exc.__context__ or exc.__cause__)


def assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        for secret in SECRETS:  # the path is named on purpose (see chain_is_ours)
            assert secret not in text, text


async def http_failure(base: str, caplog: pytest.LogCaptureFixture, **options: Any) -> BaseException:
    path = f"/v1/{SECRET_PATH}/depth?apikey={SECRET_QUERY}&x=1"
    async with Http("toy", base, **options) as http:
        with pytest.raises(VenueError) as caught:
            await http.request("GET", path, headers={"X-Api-Key": SECRET_HEADER})
    chain_is_ours(caught.value)
    assert_no_secret(caught.value, SECRETS)
    assert_logs_clean(caplog)
    return caught.value


async def test_http_refused_connection_error_holds_no_secret(caplog):
    error = await http_failure(f"http://127.0.0.1:{free_port()}", caplog, timeout=2)
    assert isinstance(error, ConnectionLost)


async def test_http_timeout_error_holds_no_secret(caplog):
    async def stall(request: web.Request) -> web.StreamResponse:
        await hold(5)
        return web.Response()

    async with http_peer(stall) as peer:
        error = await http_failure(peer.url, caplog, timeout=0.2)
    assert isinstance(error, Timeout)


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten b",  # reset mid-body
        b"",  # closed without a reply (sent twice, it is a GET)
        b"garbage\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",  # over the cap
    ],
    ids=["reset-mid-body", "closed-unanswered", "not-http", "oversized"],
)
async def test_http_wire_failures_hold_no_secret(caplog, reply):
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()

    async with tcp_peer(answer) as peer:
        error = await http_failure(f"http://127.0.0.1:{peer.port}", caplog, timeout=2, max_body=1 << 20)
    assert isinstance(error, PayloadTooLarge if b"99999999" in reply else ConnectionLost)


def ws_url(peer: Peer) -> str:
    return f"ws://127.0.0.1:{peer.port}/{SECRET_PATH}/ws?apikey={SECRET_QUERY}"


async def ws_failure(url: str, caplog: pytest.LogCaptureFixture, **options: Any) -> BaseException:
    stream = WsStream(Toy(url), connect_timeout=options.pop("connect_timeout", 2), **options)
    try:
        error = await failure_of(stream)
    finally:
        await stream.aclose()
    chain_is_ours(error)
    assert_no_secret(error, SECRETS)
    assert_logs_clean(caplog)
    return error


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, AuthError), (403, AuthError), (429, RateLimited), (500, ConnectionLost), (502, ConnectionLost)],
)
async def test_ws_handshake_refusals_hold_no_secret(caplog, status, kind):
    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, text=f"refused {request.query_string}", headers={"Retry-After": "2"})

    async with ws_peer(close_at_once, handshake=refuse) as peer:
        error = await ws_failure(ws_url(peer), caplog)
    assert type(error) is kind and f"HTTP {status}" in str(error)
    if kind is RateLimited:
        assert isinstance(error, RateLimited) and error.retry_after == 2.0


async def test_ws_refused_connection_holds_no_secret(caplog):
    url = f"ws://127.0.0.1:{free_port()}/{SECRET_PATH}/ws?apikey={SECRET_QUERY}"
    assert isinstance(await ws_failure(url, caplog), ConnectionLost)


@pytest.mark.parametrize(
    "reply", [b"", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", b"garbage\r\n\r\n"], ids=["reset", "no-ws", "junk"]
)
async def test_ws_broken_handshakes_hold_no_secret(caplog, reply):
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()

    async with tcp_peer(answer) as peer:
        assert isinstance(await ws_failure(ws_url(peer), caplog), ConnectionLost)


async def test_ws_handshake_timeout_holds_no_secret(caplog):
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await hold(5)

    async with tcp_peer(stall) as peer:
        error = await ws_failure(ws_url(peer), caplog, connect_timeout=0.2)
    assert isinstance(error, Timeout)


async def test_ws_lost_session_and_oversized_message_hold_no_secret(caplog):
    async def big(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()
        await ws.send_str("9" * 5000)

    async with ws_peer(big) as peer:
        stream = WsStream(Toy(ws_url(peer)), reconnect=False, max_message_size=1024)
        try:
            failure = await next_item(stream)
            error = await failure_of(stream)
        finally:
            await stream.aclose()
    assert isinstance(failure, DecodeFailure)
    for exc in (failure.error, error):
        chain_is_ours(exc)
        assert_no_secret(exc, SECRETS)
    assert isinstance(error, ConnectionLost)
    assert_logs_clean(caplog)


async def test_ws_reconnect_refusals_hold_no_secret_in_logs_or_gaps(caplog):
    count = 0

    async def handshake(request: web.Request) -> web.StreamResponse | None:
        nonlocal count
        count += 1
        return None if count in (1, 4) else web.Response(status=429 if count == 2 else 503)

    async with ws_peer(close_at_once, handshake=handshake) as peer:
        stream = WsStream(Toy(ws_url(peer)), backoff_initial=0.01)
        try:
            gap = await next_item(stream)
        finally:
            await stream.aclose()
    assert isinstance(gap, Gap) and SECRET_QUERY not in gap.reason
    assert_logs_clean(caplog)


# ------------------------------------------------------------------- 6. a second event loop
def test_an_open_http_used_from_a_second_event_loop_fails_at_once():
    async def ok(request: web.Request) -> web.StreamResponse:
        return web.Response(text="ok")

    http = Http("toy", "http://127.0.0.1:1")

    async def first() -> None:
        async with http_peer(ok) as peer:
            http.base_url = peer.url
            assert (await http.request("GET", "/")).body == b"ok"

    async def second() -> None:
        with pytest.raises(WrongEventLoop, match="event loop"):
            await asyncio.wait_for(http.request("GET", "/"), 2)
        await asyncio.wait_for(http.close(), 2)  # closing from here neither hangs nor raises

    async def third() -> None:  # closed, it binds to the next loop
        async with http_peer(ok) as peer:
            http.base_url = peer.url
            assert (await asyncio.wait_for(http.request("GET", "/"), 2)).body == b"ok"
        await http.close()

    asyncio.run(first())
    asyncio.run(second())
    asyncio.run(third())


def test_an_open_stream_used_from_a_second_event_loop_fails_at_once():
    stream: WsStream[Any] | None = None

    async def first() -> None:
        nonlocal stream
        async with ws_peer(send_frames("1", "2")) as peer:
            stream = WsStream(Toy(peer.ws_url))
            assert await next_item(stream) == 1

    async def second() -> None:
        assert stream is not None
        with pytest.raises(WrongEventLoop):
            await asyncio.wait_for(anext(stream), 2)
        with pytest.raises(WrongEventLoop):
            await asyncio.wait_for(stream.send("x"), 2)
        await asyncio.wait_for(stream.aclose(), 2)
        rest = [item async for item in stream]  # closed: what was received, then the end
        assert rest in ([], [2])

    asyncio.run(first())
    asyncio.run(second())


# ------------------------------------------------------------------- 9. floods
async def test_a_flood_against_a_slow_consumer_stays_within_the_buffer_and_counts_drops():
    frames, size, buffer, traced = 50_000, 200, 100, 10_000
    blob = memoryview(ws_frame("f" * size) * frames)  # built before memory is traced

    async def flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await ws_handshake(reader, writer)
        for start in range(0, len(blob), 1 << 16):  # as fast as the client reads
            writer.write(blob[start : start + (1 << 16)])
            await writer.drain()
        await hold(10)

    class TracesTheLastFrames(Echo):
        """Echo, tracing memory from frame `frames - traced` on (tracing costs 6x the time)."""

        count = 0

        def receive(self, data: Frame) -> Reaction[Any]:
            self.count += 1
            if self.count == frames - traced:
                tracemalloc.start()
            return super().receive(data)

    gc.collect()
    try:
        async with (
            tcp_peer(flood) as peer,
            WsStream(TracesTheLastFrames(f"ws://127.0.0.1:{peer.port}/ws"), buffer=buffer) as stream,
        ):
            seen = 0
            async with asyncio.timeout(15):
                while stream.stats.received < frames:
                    await next_item(stream)
                    seen += 1
                    assert len(stream._items) <= buffer
                    await asyncio.sleep(0.01)  # a slow consumer
            peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # keeping those 10k items would take 10k strings of about 250 bytes; at most `buffer` wait
    assert peak < traced * size / 2
    assert stream.stats.received == frames
    assert stream.dropped == frames - seen - len(stream._items) > frames - 1000
