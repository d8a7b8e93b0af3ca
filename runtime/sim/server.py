"""What the embedded simulators share: the aiohttp life cycle, the WebSocket connection
machinery, the faults, and the example data they serve.

- `AppSimulator`: an aiohttp server. A subclass calls `super().__init__(host, port)`, adds its
  routes in `_routes` and, when it pushes on a clock, sets `ticker_name` and defines `_tick`
  (run as a task while listening). `async with Sim(port=0) as sim:` listens (port 0 picks a
  free port; `sim.port` is the bound one afterwards); leaving it stops the ticker, closes every
  connection, waits for the handlers (at most `HANDLERS_WAIT_S`), then stops listening.
- `WsSimulator`: an `AppSimulator` for WebSocket venues. A route handler checks the handshake
  (answering an HTTP error itself) and calls `await self.serve_ws(request, session)`; the base
  then owns the connection: one writer task per connection fed by a bounded outbox, the
  `Fault`s in `sim.faults`, the push ticker (every `push_interval` s: `_advance()`, then each
  session's `pushes()`), deadlines, and clean shutdown. The venue code keeps its sessions (pure
  state machines: frames in, frames out) and overrides the hooks it needs (`_on_frame`,
  `_opening`, `_helpers`, `_garble`, `_connected`, `_dropped`, `_sent`, `_push_skipped`).
- `example(cls, name)`: a schema-valid example message shipped as package data
  (`venuewire/sim/data/<venue>/<message>/<name>.json`), decoded into its generated class.
- `serve_until_cancelled(sim, ready)`: run a simulator for the CLI until cancelled.
- `Cache` (values made on first use, e.g. a book generator per symbol) and `SlidingWindow`
  (events in the last N seconds, for per-connection frame limits): small pure helpers.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, ClassVar, Final, Generic, Protocol, Self, TypeVar

from aiohttp import WSCloseCode, WSMsgType, web

from venuewire.messages import decode_json, message_info

__all__ = [
    "HANDLERS_WAIT_S",
    "OUTBOX_LIMIT",
    "AppSimulator",
    "Cache",
    "Connection",
    "Fault",
    "Frame",
    "Session",
    "SlidingWindow",
    "WsSimulator",
    "example",
    "serve_until_cancelled",
]

log = logging.getLogger(__name__)

HANDLERS_WAIT_S: Final = 5.0
OUTBOX_LIMIT: Final = 256
"""Frames waiting for one connection's writer by default; pushes beyond it are skipped."""
MAX_MESSAGE_BYTES: Final = 1 << 20

Frame = str | bytes
"""One WebSocket message: text (str) or binary (bytes)."""

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def example(cls: type[T], name: str) -> T:
    """The example `name` of message class `cls`, from the package's data files
    (`data/<venue>/<message>/<name>.json`, validated by the message's schema in the tests).
    Raises DecodeError when the file does not decode into `cls`."""
    info = message_info(cls)
    path = resources.files(__package__ or "venuewire.sim").joinpath("data", info.venue, info.name, f"{name}.json")
    return decode_json(cls, path.read_bytes())


class Fault(enum.Enum):
    """A misbehaviour a simulator adopts while the fault is in `sim.faults`."""

    DROP_CONNECTION = "drop_connection"
    """Each connection is cut (TCP aborted, no close frame, no HTTP reply) when its next frame
    or reply is due."""
    GARBAGE_FRAME = "garbage_frame"
    """Frames or replies are replaced by garbage (what kind, and which, is the venue's choice:
    see its module); a WebSocket connection stays up."""
    SLOW_REPLY = "slow_reply"
    """Every frame or reply waits `slow_reply_s` seconds before it is written."""


class SimLifecycle:
    """The life cycle every simulator shares, whatever it listens with: `async with` is
    `start()` then `close()`; `ticker_name` set, `_tick()` runs as a task while it listens
    (`_start_ticker`); `_wind_down()` stops the ticker, drops every connection and waits for
    the connection handlers (`_handlers`)."""

    ticker_name: ClassVar[str | None] = None
    """When set, `_tick()` runs as a task of this name while the simulator listens."""
    pushes_paused: bool = False
    """While True, the ticker sends no pushes (the book does not move): a silent feed, for tests."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._ticker: asyncio.Task[None] | None = None
        self._handlers: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def _tick(self) -> None:
        raise NotImplementedError

    async def drop_connections(self) -> None:
        """Close every client connection now; the server keeps listening (nothing to close
        for a plain HTTP simulator)."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def _start_ticker(self) -> None:
        if self.ticker_name is not None:
            self._ticker = asyncio.create_task(self._tick(), name=self.ticker_name)

    async def _wind_down(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        await self.drop_connections()
        if self._handlers:
            await asyncio.wait(set(self._handlers), timeout=HANDLERS_WAIT_S)


class AppSimulator(SimLifecycle):
    """An aiohttp application on `host:port`, started by `start()` or `async with`."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host, port)
        self._runner: web.AppRunner | None = None

    def _routes(self, router: web.UrlDispatcher) -> None:
        raise NotImplementedError

    def address(self, scheme: str, path: str = "/", query: str = "") -> str:
        """`scheme://host:port/path?query`, with the bound port once started."""
        return f"{scheme}://{self.host}:{self.port}{path}" + (f"?{query}" if query else "")

    async def start(self) -> None:
        """Listen on host:port (RuntimeError when already started; OSError when the port is taken)."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already started")
        app = web.Application()
        self._routes(app.router)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self._start_ticker()

    async def close(self) -> None:
        """Stop the ticker, close every connection, stop listening. Safe to call twice."""
        await self._wind_down()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class Cache(dict[K, V]):
    """A dict that makes each missing value with `make(key)` on first use and keeps it
    (a `make` that raises stores nothing)."""

    def __init__(self, make: Callable[[K], V]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: K) -> V:
        value = self[key] = self._make(key)
        return value


class SlidingWindow:
    """The events of the last `window_s` seconds, by their times; pure (times are arguments)."""

    def __init__(self, window_s: float) -> None:
        if window_s <= 0:
            raise ValueError("a sliding window needs window_s > 0")
        self.window_s = window_s
        self._times: deque[float] = deque()

    def count(self, now: float) -> int:
        """How many events happened less than `window_s` before `now`."""
        times = self._times
        while times and now - times[0] >= self.window_s:
            times.popleft()
        return len(times)

    def add(self, now: float) -> int:
        """Record an event at `now`; the count afterwards."""
        self._times.append(now)
        return self.count(now)

    def admit(self, now: float, limit: int) -> float | None:
        """A limit of `limit` events per window: None when fewer than `limit` happened in the
        window before `now` (the event at `now` is then recorded), else the seconds until the
        oldest leaves it (nothing recorded)."""
        if self.count(now) >= limit:
            return self.window_s - (now - self._times[0])
        self._times.append(now)
        return None


async def serve_until_cancelled(sim: AppSimulator, ready: Callable[[str, int], None]) -> None:
    """Run `sim` until cancelled; `ready(host, port)` once listening (the bound port when 0
    was asked)."""
    async with sim:
        ready(sim.host, sim.port)
        await asyncio.Event().wait()


# --- WebSocket simulators ------------------------------------------------------------------------


class Session(Protocol):
    """What the base asks of a venue's per-connection state machine."""

    def pushes(self) -> Sequence[Frame]:
        """The frames due at a tick of the push clock (none for a venue that does not push)."""
        ...


S = TypeVar("S", bound=Session)


@dataclass(eq=False)
class Connection(Generic[S]):
    """One accepted WebSocket: the aiohttp objects, the venue's session, the outbox of
    (frame, is_push) the writer drains, and the tasks that live as long as the connection."""

    ws: web.WebSocketResponse
    request: web.Request
    session: S
    outbox: asyncio.Queue[tuple[Frame, bool]]
    pushes_skipped: int = 0
    """Pushes not queued because the outbox was full (a stuck reader)."""
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class WsSimulator(AppSimulator, Generic[S]):
    """The WebSocket connection machinery of one simulator (see the module docstring).

    `faults` is the set of active `Fault`s (shared by every connection; add or remove at any
    time, applying from the next frame written); `slow_reply_s` is Fault.SLOW_REPLY's delay;
    `push_interval` the push clock (with `ticker_name` set); `heartbeat` the seconds between
    the server's WebSocket pings (None: none; a peer that does not pong is closed);
    `outbox_limit` the frames that may wait for one connection.
    """

    push_interval: float = 0.2
    outbox_limit: int = OUTBOX_LIMIT
    close_timeout_s: float = 10.0
    """How long closing a connection waits for the peer's close frame."""
    venue: ClassVar[str] = "simulator"
    """Names the simulator in log lines."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        faults: set[Fault] | None = None,
        slow_reply_s: float = 2.0,
        heartbeat: float | None = None,
    ) -> None:
        if slow_reply_s < 0:
            raise ValueError("slow_reply_s must not be negative")
        super().__init__(host, port)
        self._faults: set[Fault] = faults if faults is not None else set()
        self.slow_reply_s = slow_reply_s
        self.heartbeat = heartbeat
        self.connections: set[Connection[S]] = set()

    @property
    def faults(self) -> set[Fault]:
        """The active faults; add or remove at any time (applies from the next frame)."""
        return self._faults

    @faults.setter
    def faults(self, faults: set[Fault]) -> None:
        """`sim.faults = {...}` replaces the active faults (the set stays the one shared)."""
        self._faults.clear()
        self._faults.update(faults)

    # -- hooks a venue overrides ---------------------------------------------------------------

    async def _on_frame(self, conn: Connection[S], data: Frame) -> Sequence[Frame]:
        """The replies to one received frame. May close the connection (`policy_close`)."""
        raise NotImplementedError

    def _opening(self, conn: Connection[S]) -> Sequence[Frame]:
        """Frames sent as soon as the connection is accepted."""
        return []

    def _helpers(self, conn: Connection[S]) -> list[Coroutine[Any, Any, None]]:
        """Coroutines run as tasks while the connection lives (deadlines, watchdogs)."""
        return []

    def _garble(self, conn: Connection[S], frame: Frame) -> Frame:
        """What Fault.GARBAGE_FRAME turns a frame into as it is written (default: nothing,
        for a venue whose sessions make their own garbage)."""
        return frame

    def _connected(self, conn: Connection[S]) -> None:
        """Called once the WebSocket handshake completed."""

    def _dropped(self, conn: Connection[S]) -> None:
        """Called when Fault.DROP_CONNECTION cuts a connection."""

    def _sent(self, conn: Connection[S], frame: Frame, push: bool) -> None:
        """Called after each frame is written."""

    def _push_skipped(self, conn: Connection[S]) -> None:
        """Called when a push is not queued because the outbox is full."""

    def _advance(self) -> None:
        """Called at each tick of the push clock, before the pushes are collected."""

    # -- the machinery ----------------------------------------------------------------------------

    async def serve_ws(self, request: web.Request, session: S) -> web.StreamResponse:
        """Accept the WebSocket of `request` and serve `session` on it until either side closes."""
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        ws = web.WebSocketResponse(
            timeout=self.close_timeout_s, autoping=True, heartbeat=self.heartbeat, max_msg_size=MAX_MESSAGE_BYTES
        )
        conn = Connection(ws, request, session, asyncio.Queue(self.outbox_limit))
        try:
            await ws.prepare(request)
            self._connected(conn)
            self.connections.add(conn)
            conn.tasks.append(asyncio.create_task(self._write(conn)))
            conn.tasks += [asyncio.create_task(helper) for helper in self._helpers(conn)]
            self.queue(conn, self._opening(conn))
            async for message in ws:
                if message.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    self.queue(conn, await self._on_frame(conn, message.data))
                    if ws.closed:
                        break
        except ConnectionError:
            pass
        except Exception:  # one connection's failure never reaches the server
            log.exception("%s simulator: connection failed", self.venue)
        finally:
            self.connections.discard(conn)
            self._stop_tasks(conn)
            if conn.tasks:
                await asyncio.wait(conn.tasks, timeout=1)
            with contextlib.suppress(Exception):
                await ws.close()
            if task is not None:
                self._handlers.discard(task)
        return ws

    def queue(self, conn: Connection[S], frames: Sequence[Frame], *, push: bool = False) -> None:
        """Queue `frames` for `conn`'s writer. When the outbox is full a push is skipped
        (counted) and a reply dropped (logged)."""
        for frame in frames:
            try:
                conn.outbox.put_nowait((frame, push))
            except asyncio.QueueFull:
                if push:
                    conn.pushes_skipped += 1
                    self._push_skipped(conn)
                else:
                    log.warning("%s simulator: reply dropped, the connection's outbox is full", self.venue)

    async def policy_close(self, conn: Connection[S], reason: str) -> None:
        """Close `conn` with code 1008 (policy violation) and `reason`, dropping what is queued."""
        self._stop_tasks(conn)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.ws.close(code=WSCloseCode.POLICY_VIOLATION, message=reason.encode()[:120]), 2)

    async def close_unless(
        self,
        conn: Connection[S],
        after_s: float,
        done: Callable[[], bool],
        reason: str,
        counted: Callable[[], None] | None = None,
    ) -> None:
        """A deadline: after `after_s` s, unless `done()`, call `counted()` and close `conn`
        (`policy_close`)."""
        await asyncio.sleep(after_s)
        if done() or conn.ws.closed:
            return
        if counted is not None:
            counted()
        await self.policy_close(conn, reason)

    async def drop_connections(self) -> None:
        """Close every client connection now (close code 1001); the server keeps listening."""
        for conn in list(self.connections):
            self._stop_tasks(conn)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=WSCloseCode.GOING_AWAY, message=b"going away"), 2)

    def _stop_tasks(self, conn: Connection[S]) -> None:
        current = asyncio.current_task()
        for helper in conn.tasks:
            if helper is not current and not helper.done():
                helper.cancel()

    async def _write(self, conn: Connection[S]) -> None:
        faults = self._faults
        while True:
            frame, push = await conn.outbox.get()
            if Fault.SLOW_REPLY in faults:
                await asyncio.sleep(self.slow_reply_s)
            if Fault.DROP_CONNECTION in faults:
                self._dropped(conn)
                if conn.request.transport is not None:
                    conn.request.transport.abort()
                return
            if Fault.GARBAGE_FRAME in faults:
                frame = self._garble(conn, frame)
            if conn.ws.closed:
                return
            try:
                if isinstance(frame, bytes):
                    await conn.ws.send_bytes(frame)
                else:
                    await conn.ws.send_str(frame)
            except (ConnectionError, RuntimeError):  # the peer went away mid-write
                return
            self._sent(conn, frame, push)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.push_interval)
            if self.pushes_paused:
                continue
            self._advance()
            for conn in list(self.connections):
                if conn.ws.closed:
                    continue
                try:
                    self.queue(conn, conn.session.pushes(), push=True)
                except Exception:
                    log.exception("%s simulator: pushes failed", self.venue)
