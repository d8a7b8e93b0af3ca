"""The shared WebSocket stream engine against a local aiohttp server: items in order,
bad messages as DecodeFailure events, reconnect with a Gap, slow-consumer drops, limits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web

import venuewire
from tests.transport.toy import ToyProtocol
from venuewire.errors import DecodeError, retry_after
from venuewire.events import DecodeFailure, Gap
from venuewire.transport import Http, RateLimiter, Reaction, WsStream, positive_seconds

pytestmark = pytest.mark.timeout(30)


@dataclass
class Server:
    url: str
    connections: list[web.WebSocketResponse] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    script: list[str] = field(default_factory=list)


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server(url="")

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        state.connections.append(ws)
        async for message in ws:
            state.received.append(message.data)
            if message.data == "start":
                for text in state.script:
                    if text == "<close>":
                        await ws.close()
                        break
                    await ws.send_str(text)
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)

    async def echo_path(request: web.Request) -> web.Response:
        return web.Response(text=request.raw_path)

    app.router.add_get("/hello", echo_path)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


class Numbers(ToyProtocol):
    """A toy protocol: JSON {"n": int} messages become ints, anything else a DecodeFailure."""

    def receive(self, data: str | bytes) -> Reaction[int]:
        try:
            return Reaction(items=[int(json.loads(data)["n"])])
        except (ValueError, KeyError, TypeError) as exc:
            error = DecodeError("test", "number", ("n",), str(exc))
            return Reaction(items=[DecodeFailure(error, data.encode() if isinstance(data, str) else data)])

    def heartbeat(self) -> tuple[float, str | bytes] | None:
        return None


async def take(stream: WsStream[int], count: int) -> list[object]:
    out: list[object] = []
    async for item in stream:
        out.append(item)
        if len(out) == count:
            break
    return out


async def test_items_arrive_in_order_and_bad_messages_are_events(server):
    server.script = ['{"n": 1}', "garbage", '{"n": 2}']
    async with WsStream(Numbers(server.url + "/ws")) as stream:
        items = await take(stream, 3)
    assert items[0] == 1 and items[2] == 2
    assert isinstance(items[1], DecodeFailure)
    assert items[1].error.venue == "test" and items[1].raw == b"garbage"
    assert stream.stats.decode_errors == 1


async def test_reconnects_resends_the_opening_and_yields_a_gap(server):
    server.script = ['{"n": 1}', "<close>"]
    async with WsStream(Numbers(server.url + "/ws"), backoff_initial=0.01) as stream:
        items = await take(stream, 4)  # 1, <close>, Gap, 1, ...
    assert items[0] == 1
    gaps = [i for i in items if isinstance(i, Gap)]
    assert gaps and gaps[0].ended >= gaps[0].started
    assert server.received.count("start") >= 2
    assert stream.stats.reconnects >= 1


async def test_without_reconnect_the_stream_ends_with_connection_lost(server):
    server.script = ['{"n": 7}', "<close>"]
    stream = WsStream(Numbers(server.url + "/ws"), reconnect=False)
    assert await anext(stream) == 7
    with pytest.raises(venuewire.ConnectionLost):
        await asyncio.wait_for(anext(stream), 5)
    await stream.aclose()


async def test_first_connection_failure_raises_instead_of_hanging():
    stream = WsStream(Numbers("http://127.0.0.1:9/ws"), connect_timeout=2)
    with pytest.raises((venuewire.ConnectionLost, venuewire.Timeout)):
        await asyncio.wait_for(anext(stream), 5)
    await stream.aclose()


async def test_slow_consumer_drops_the_oldest_and_counts(server):
    server.script = [json.dumps({"n": i}) for i in range(50)]
    async with WsStream(Numbers(server.url + "/ws"), buffer=5) as stream:
        first = await anext(stream)
        await asyncio.sleep(0.3)
        rest = [await anext(stream) for _ in range(5)]
    assert isinstance(first, int)
    assert stream.dropped >= 40  # 50 sent, at most 5 waiting at a time, the oldest dropped
    assert rest == sorted(rest)
    assert rest[-1] == 49  # the newest is always kept


async def test_rate_limiter_holds_the_window():
    limiter = RateLimiter(3, 0.2)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(7):
        await limiter.acquire()
    assert loop.time() - start >= 0.4


async def test_http_sends_the_query_exactly_as_given(server):
    async with Http("test", server.url) as http:
        reply = await http.request("GET", "/hello?ids=1,2,3&x=a%2Cb")
    assert reply.status == 200
    assert reply.body == b"/hello?ids=1,2,3&x=a%2Cb"


async def test_http_failures_name_the_venue():
    async with Http("test", "http://127.0.0.1:9", timeout=2) as http:
        with pytest.raises((venuewire.ConnectionLost, venuewire.Timeout), match="test"):
            await http.request("GET", "/x")
    _ = aiohttp


class EndsOnStop(Numbers):
    """Numbers, plus: the text "stop" is a venue refusal that ends the stream (fatal)."""

    def receive(self, data: str | bytes) -> Reaction[int]:
        if data == "stop":
            return Reaction(items=[-1], fatal=venuewire.InvalidRequest("test", "refused", 42))
        return super().receive(data)


async def test_a_fatal_reaction_ends_the_stream_with_its_error_and_never_reconnects(server):
    server.script = ['{"n": 1}', "stop", '{"n": 2}']
    stream = WsStream(EndsOnStop(server.url + "/ws"), backoff_initial=0.01)  # reconnect=True
    try:
        assert await asyncio.wait_for(anext(stream), 5) == 1
        assert await asyncio.wait_for(anext(stream), 5) == -1  # the fatal reaction's own items first
        with pytest.raises(venuewire.InvalidRequest) as caught:
            await asyncio.wait_for(anext(stream), 5)
        assert caught.value.code == 42
        with pytest.raises(venuewire.InvalidRequest):  # it stays ended
            await asyncio.wait_for(anext(stream), 5)
        await asyncio.sleep(0.2)  # room for a reconnect, if one were (wrongly) attempted
    finally:
        await stream.aclose()
    assert server.received.count("start") == 1
    assert stream.stats.reconnects == 0 and stream.gaps == []


@dataclass
class Gate:
    """A WebSocket endpoint that answers the first `refuse` handshakes with HTTP 429."""

    url: str = ""
    refuse: int = 0
    retry_after: str | None = None
    attempts: list[float] = field(default_factory=list)


@pytest.fixture
async def gate() -> AsyncIterator[Gate]:
    state = Gate()

    async def handler(request: web.Request) -> web.StreamResponse:
        state.attempts.append(asyncio.get_running_loop().time())
        if len(state.attempts) <= state.refuse:
            headers = {"Retry-After": state.retry_after} if state.retry_after is not None else {}
            return web.Response(status=429, text="slow down", headers=headers)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.data == "start":
                await ws.send_str(json.dumps({"n": len(state.attempts)}))
                if len(state.attempts) == 1:
                    await ws.close()  # first connection: one item, then drop, so the stream reconnects
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}/ws"
    yield state
    await runner.cleanup()


async def test_http_429_on_the_first_handshake_is_rate_limited_with_retry_after(gate):
    gate.refuse, gate.retry_after = 1, "7"
    stream = WsStream(Numbers(gate.url), connect_timeout=2)
    try:
        with pytest.raises(venuewire.RateLimited) as caught:
            await asyncio.wait_for(anext(stream), 5)
    finally:
        await stream.aclose()
    assert caught.value.code == 429 and caught.value.retry_after == 7.0
    assert "HTTP 429" in str(caught.value)
    assert len(gate.attempts) == 1  # the first connection is not retried


async def test_http_429_without_retry_after_has_none(gate):
    gate.refuse = 1
    stream = WsStream(Numbers(gate.url), connect_timeout=2)
    try:
        with pytest.raises(venuewire.RateLimited) as caught:
            await asyncio.wait_for(anext(stream), 5)
    finally:
        await stream.aclose()
    assert caught.value.retry_after is None


async def test_http_429_on_a_reconnect_waits_at_least_retry_after_then_resumes(gate):
    # attempt 1 connects and drops; attempt 2 gets 429 with Retry-After: 1; attempt 3 connects
    gate.refuse, gate.retry_after = 0, "1"
    stream = WsStream(Numbers(gate.url), backoff_initial=0.01, backoff_max=0.02)
    try:
        assert await asyncio.wait_for(anext(stream), 5) == 1
        gate.refuse = 2  # from now on: the second attempt is refused
        items = [await asyncio.wait_for(anext(stream), 10) for _ in range(2)]
    finally:
        await stream.aclose()
    assert isinstance(items[0], Gap) and items[1] == 3
    assert len(gate.attempts) == 3
    # the backoff alone would have retried within 0.02 s; Retry-After holds it for 1 s
    assert gate.attempts[2] - gate.attempts[1] >= 1.0


def test_retry_after_reads_seconds_and_http_dates_and_ignores_garbage():
    assert retry_after({"Retry-After": "12"}) == 12.0
    assert retry_after({"retry-after": " 0.5 "}) == 0.5
    assert retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, now=1445412480.0) == 30.0
    assert retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=1445412500.0) == 0.0
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after({"Retry-After": "-3"}) is None
    assert retry_after({"Retry-After": "nan"}) is None
    assert retry_after({}) is None


class CountingLimiter(RateLimiter):
    """A limiter that never waits in practice (1000 a second) and counts its slots."""

    def __init__(self) -> None:
        super().__init__(1000, 1.0)
        self.slots = 0

    async def acquire(self) -> None:
        self.slots += 1
        await super().acquire()


@dataclass
class DropsReuse:
    """A raw HTTP/1.1 server: on its first connection it answers the first request with a
    keep-alive reply and closes the socket, unanswered, when a second request arrives on
    it (a server dropping an idle kept-alive connection); later connections answer all."""

    url: str = ""
    requests: list[tuple[int, bytes]] = field(default_factory=list)  # (connection, request line)
    connections: int = 0


@pytest.fixture
async def drops_reuse() -> AsyncIterator[DropsReuse]:
    state = DropsReuse()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        conn = state.connections
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                state.requests.append((conn, head.split(b"\r\n", 1)[0]))
                if conn == 1 and served == 1:
                    break  # the reused connection: drop it without a reply
                served += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    state.url = f"http://127.0.0.1:{port}"
    yield state
    server.close()
    await server.wait_closed()


async def test_a_get_resent_after_a_dropped_keep_alive_takes_a_limiter_slot(drops_reuse):
    limiter = CountingLimiter()
    async with Http("test", drops_reuse.url, limiter=limiter, timeout=5) as http:
        first = await http.request("GET", "/a")
        second = await http.request("GET", "/b")  # reuses connection 1, which is dropped
    assert first.body == second.body == b"ok"
    # three requests reached the server: /a, /b on the dropped connection, /b again
    assert [line for _, line in drops_reuse.requests] == [b"GET /a HTTP/1.1", b"GET /b HTTP/1.1", b"GET /b HTTP/1.1"]
    assert drops_reuse.requests[2][0] == 2  # the resend went out on a new connection
    assert limiter.slots == len(drops_reuse.requests) == http.attempts == 3


async def test_aiohttp_alone_would_resend_the_get_silently(drops_reuse):
    # The mechanism Http switches off: aiohttp's own one-time retry of an idempotent request.
    async with aiohttp.ClientSession() as session:
        for path in ("/a", "/b"):
            async with session.get(drops_reuse.url + path) as response:
                assert await response.read() == b"ok"
    assert len(drops_reuse.requests) == 3  # three on the wire for two calls, no hook in between


async def test_a_post_is_not_resent_when_its_connection_drops(drops_reuse):
    limiter = CountingLimiter()
    async with Http("test", drops_reuse.url, limiter=limiter, timeout=5) as http:
        await http.request("POST", "/a", body=b"{}")
        with pytest.raises(venuewire.ConnectionLost, match="test"):
            await http.request("POST", "/b", body=b"{}")
    assert limiter.slots == len(drops_reuse.requests) == 2


@pytest.mark.parametrize("value", [0, -1, 0.0, float("nan"), True, "1", None])
def test_positive_seconds_refuses_what_is_not_a_positive_number(value):
    with pytest.raises(ValueError, match=r"^idle_timeout must be a positive number of seconds, got "):
        positive_seconds("idle_timeout", value)


def test_clients_check_their_seconds_with_it():
    from venuewire.coinw import CoinwClient
    from venuewire.credentials import CoinwCredentials, InfowayCredentials, QfexCredentials
    from venuewire.infoway import InfowayClient
    from venuewire.qfex.client import QfexTradeClient

    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        CoinwClient(CoinwCredentials("k", "s"), timeout=0)
    with pytest.raises(ValueError, match="heartbeat must be a positive number of seconds"):
        QfexTradeClient(QfexCredentials("k", "s"), heartbeat=-1)
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        InfowayClient(InfowayCredentials("k"), timeout=True)


async def test_a_consumer_that_keeps_up_loses_nothing_to_a_burst(server):
    # The script goes out in one loop turn, so the stream reads it in a few socket reads of
    # hundreds of messages each: its reader hands items to the waiting consumer as it goes
    # instead of decoding the whole read first (which would overflow a small buffer).
    server.script = [json.dumps({"n": i}) for i in range(2000)]
    seen: list[object] = []
    async with WsStream(Numbers(server.url + "/ws"), buffer=16) as stream:
        async for item in stream:
            seen.append(item)
            if item == 1999:  # the newest is always kept, so this ends
                break
    assert stream.dropped == 0
    assert seen == list(range(2000))
