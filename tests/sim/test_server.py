"""WsSimulator, the WebSocket base of the BitMart, QFEX and Infoway simulators: one tiny echo
venue pins what the base does for every one of them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMsgType, web

from venuewire.sim.server import Cache, Connection, Fault, Frame, SlidingWindow, WsSimulator, serve_until_cancelled

pytestmark = pytest.mark.timeout(30)
WAIT = 3.0


class Echo:
    """Echoes each frame; pushes `tick <n>` at each tick once `go` was received."""

    def __init__(self, sim: EchoSim) -> None:
        self.sim = sim
        self.pushing = False

    def pushes(self) -> list[Frame]:
        return [f"tick {self.sim.step}"] if self.pushing else []


class EchoSim(WsSimulator[Echo]):
    ticker_name = "echo-ticker"
    venue = "echo"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("127.0.0.1", 0, **kwargs)
        self.push_interval = 0.05
        self.step = 0
        self.connected = self.dropped = self.sent_pushes = self.skipped = 0
        self.deadline_s: float | None = None
        self.timeouts = 0

    def _routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/ws", self._ws)

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("key") != "k":
            return web.Response(status=401)
        return await self.serve_ws(request, Echo(self))

    def _opening(self, conn: Connection[Echo]) -> Sequence[Frame]:
        return ["hello"]

    def _helpers(self, conn: Connection[Echo]) -> list[Coroutine[Any, Any, None]]:
        if self.deadline_s is None:
            return []

        def count() -> None:
            self.timeouts += 1

        return [self.close_unless(conn, self.deadline_s, lambda: conn.session.pushing, "say go", count)]

    async def _on_frame(self, conn: Connection[Echo], data: Frame) -> Sequence[Frame]:
        if data == "go":
            conn.session.pushing = True
        if data == "bye":
            await self.policy_close(conn, "bye")
            return []
        return [data]

    def _garble(self, conn: Connection[Echo], frame: Frame) -> Frame:
        return b"\x00garbage"

    def _connected(self, conn: Connection[Echo]) -> None:
        self.connected += 1

    def _dropped(self, conn: Connection[Echo]) -> None:
        self.dropped += 1

    def _sent(self, conn: Connection[Echo], frame: Frame, push: bool) -> None:
        self.sent_pushes += push

    def _push_skipped(self, conn: Connection[Echo]) -> None:
        self.skipped += 1

    def _advance(self) -> None:
        self.step += 1


@pytest.fixture
async def sim() -> AsyncIterator[EchoSim]:
    async with EchoSim(slow_reply_s=0.3) as sim:
        yield sim


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def wait_for(predicate: Callable[[], bool], within: float = WAIT) -> None:
    for _ in range(int(within / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached in time")


async def connect(http: aiohttp.ClientSession, sim: EchoSim) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(sim.address("ws", "/ws", "key=k"))
    assert (await ws.receive_str(timeout=WAIT)) == "hello"
    return ws


async def test_a_refused_handshake_is_the_venues_http_answer(sim, http):
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(sim.address("ws", "/ws", "key=wrong"))
    assert refused.value.status == 401 and sim.connected == 0


async def test_replies_follow_the_opening_frames_and_pushes_follow_the_clock(sim, http):
    ws = await connect(http, sim)
    await ws.send_str("ping")
    assert await ws.receive_str(timeout=WAIT) == "ping"
    await ws.send_str("go")
    assert await ws.receive_str(timeout=WAIT) == "go"
    first = int((await ws.receive_str(timeout=WAIT)).split()[1])
    second = int((await ws.receive_str(timeout=WAIT)).split()[1])
    assert second > first >= 1 and sim.sent_pushes >= 2 and sim.connected == 1 and len(sim.connections) == 1


async def test_garbage_fault_uses_the_venues_garbage_and_slow_reply_waits(sim, http):
    ws = await connect(http, sim)
    sim.faults = {Fault.GARBAGE_FRAME}
    await ws.send_str("x")
    assert await ws.receive_bytes(timeout=WAIT) == b"\x00garbage"
    sim.faults = {Fault.SLOW_REPLY}
    started = time.monotonic()
    await ws.send_str("y")
    assert await ws.receive_str(timeout=WAIT) == "y"
    assert time.monotonic() - started >= 0.25


async def test_drop_fault_cuts_the_connection_with_no_close_frame(sim, http):
    ws = await connect(http, sim)
    sim.faults.add(Fault.DROP_CONNECTION)
    await ws.send_str("x")
    message = await ws.receive(timeout=WAIT)
    assert message.type in (WSMsgType.CLOSED, WSMsgType.ERROR) and sim.dropped == 1
    assert ws.close_code != 1000


async def test_policy_close_and_deadlines_close_with_1008(sim, http):
    ws = await connect(http, sim)
    await ws.send_str("bye")
    message = await ws.receive(timeout=WAIT)
    assert message.type is WSMsgType.CLOSE and message.data == 1008 and message.extra == "bye"
    sim.deadline_s = 0.1
    late = await connect(http, sim)
    message = await late.receive(timeout=WAIT)
    assert message.type is WSMsgType.CLOSE and message.data == 1008 and sim.timeouts == 1
    on_time = await connect(http, sim)
    await on_time.send_str("go")
    assert await on_time.receive_str(timeout=WAIT) == "go"
    await asyncio.sleep(0.2)
    assert not on_time.closed and sim.timeouts == 1


async def test_a_full_outbox_skips_pushes_and_counts_them(http):
    async with EchoSim(slow_reply_s=5.0) as sim:
        sim.outbox_limit = 1
        ws = await connect(http, sim)
        await ws.send_str("go")
        sim.faults.add(Fault.SLOW_REPLY)  # the writer holds "go"'s reply, the outbox fills
        await wait_for(lambda: sim.skipped > 0)
        assert sim.skipped >= 1 and sum(c.pushes_skipped for c in sim.connections) == sim.skipped


async def test_drop_connections_closes_with_1001_and_keeps_listening(sim, http):
    ws = await connect(http, sim)
    await sim.drop_connections()
    message = await ws.receive(timeout=WAIT)
    assert message.type is WSMsgType.CLOSE and message.data == 1001
    again = await connect(http, sim)
    await again.send_str("still here")
    assert await again.receive_str(timeout=WAIT) == "still here"


async def test_leaving_the_context_closes_every_connection(http):
    async with EchoSim() as sim:
        ws = await connect(http, sim)
    message = await ws.receive(timeout=WAIT)
    assert message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED) and not sim.connections


async def test_serve_until_cancelled_reports_the_bound_port():
    seen: list[tuple[str, int]] = []
    task = asyncio.create_task(serve_until_cancelled(EchoSim(), lambda host, port: seen.append((host, port))))
    await wait_for(lambda: bool(seen))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen and seen[0][0] == "127.0.0.1" and seen[0][1] > 0


def test_cache_makes_each_value_once_and_stores_nothing_when_making_fails():
    made: list[str] = []

    def make(key: str) -> str:
        made.append(key)
        if key == "bad":
            raise ValueError(key)
        return key.upper()

    cache = Cache(make)
    assert (cache["a"], cache["a"], cache["b"]) == ("A", "A", "B") and made == ["a", "b"]
    with pytest.raises(ValueError, match="bad"):
        cache["bad"]
    assert "bad" not in cache


def test_sliding_window_counts_the_events_of_the_last_window():
    window = SlidingWindow(1.0)
    assert [window.add(t) for t in (0.0, 0.5, 0.9)] == [1, 2, 3]
    assert window.count(1.0) == 2 and window.count(1.95) == 0
    with pytest.raises(ValueError, match="window_s"):
        SlidingWindow(0)
