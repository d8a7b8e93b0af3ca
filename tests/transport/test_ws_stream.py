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
from venuewire.errors import DecodeError
from venuewire.events import DecodeFailure, Gap
from venuewire.transport import Http, RateLimiter, Reaction, WsStream

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


class Numbers:
    """A toy protocol: JSON {"n": int} messages become ints, anything else a DecodeFailure."""

    venue = "test"

    def __init__(self, url: str) -> None:
        self._url = url

    def url(self) -> str:
        return self._url

    def opening(self) -> list[str | bytes]:
        return ["start"]

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
