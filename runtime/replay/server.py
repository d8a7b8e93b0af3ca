"""`Replay`: a capture served on 127.0.0.1 as if it were the venues (see the package docstring)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import time
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Self
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web

from venuewire.capture.format import Capture, read_capture
from venuewire.generated.futu import KeepAlive_pb2
from venuewire.generated.futu.enums import RetType
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import encode_proto
from venuewire.opend.frame import FrameDecoder, FrameError, encode_frame
from venuewire.replay.plan import (
    Barrier,
    HttpExchange,
    OpenDConn,
    ReplayPlan,
    Step,
    Unanswered,
    VenuePlan,
    WsConn,
    echoed_ids,
    loose_equal,
    query_matches,
    renumber,
    rewrite_ids,
)

__all__ = ["Replay"]

log = logging.getLogger(__name__)

READ_CHUNK = 1 << 16
CLOSE_WAIT_S = 2.0
MAX_HTTP_BODY = 1 << 20
"""The largest HTTP request body the replay reads; a bigger one is answered 413 and listed as unanswered."""
_WHAT_LIMIT = 200


def _what(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    return text if len(text) <= _WHAT_LIMIT else text[:_WHAT_LIMIT] + "..."


def _proto_name(proto_id: int) -> str:
    try:
        return OpenDProtoID(proto_id).name
    except ValueError:
        return "unknown"


@dataclass(eq=False)
class _Schedule:
    """One live connection's pushes: the barriers released so far (with when), and the player."""

    speed: float
    released: dict[Barrier, float] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    start: float = field(default_factory=time.monotonic)
    ids: dict[str, str] = field(default_factory=dict)
    """Echoed ids, recorded -> live, met so far on the connection (venuewire.replay.plan.echoed_ids)."""

    def release(self, barrier: Barrier) -> None:
        if barrier not in self.released:
            self.released[barrier] = time.monotonic()
            self.changed.set()

    async def due(self, step: Step) -> None:
        """Wait until `step`'s barrier is released and its recorded delay (/ speed) has passed."""
        while step.barrier is not None and step.barrier not in self.released:
            self.changed.clear()
            await self.changed.wait()
        base = self.start if step.barrier is None else self.released[step.barrier]
        if self.speed > 0:
            wait = base + step.delay / self.speed - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)


async def _close_ws(ws: web.WebSocketResponse, transport: asyncio.Transport | None) -> None:
    """Close `ws` within CLOSE_WAIT_S; a client that does not read (its close frame cannot
    be written) has its connection aborted."""
    try:
        await asyncio.wait_for(ws.close(code=WSCloseCode.GOING_AWAY, message=b"replay closed"), CLOSE_WAIT_S)
    except (Exception, asyncio.CancelledError):  # cancelled: aiohttp shares one drain waiter with the pusher
        if transport is not None:
            transport.abort()


async def _close_stream(writer: asyncio.StreamWriter) -> None:
    """Close an OpenD connection within CLOSE_WAIT_S, else abort it (a client that does not
    read). The wait never cancels `wait_closed`: its future is shared by every waiter."""
    writer.close()
    closed = asyncio.ensure_future(writer.wait_closed())
    done, _ = await asyncio.wait({closed}, timeout=CLOSE_WAIT_S)
    if not done:
        writer.transport.abort()
        done, _ = await asyncio.wait({closed}, timeout=CLOSE_WAIT_S)
    if done and not closed.cancelled():
        closed.exception()  # retrieved: a reset connection is no news at close


class _Cursor:
    """Recorded answers taken in order; the last one again once they run out."""

    def __init__(self) -> None:
        self._taken: dict[object, int] = {}

    def take(self, key: object, options: Sequence[bytes]) -> bytes:
        index = self._taken.get(key, 0)
        self._taken[key] = index + 1
        return options[min(index, len(options) - 1)]


class Replay:
    """Serve the recorded connections of `capture` (a path or a read `Capture`) on `host`.

    Each venue gets one listener (`ports`: venue -> port, 0 or absent: a free one): OpenD over
    TCP, the others an HTTP server that also accepts their WebSockets. `speed` divides the
    recorded pace of pushes (0: as fast as possible). `unanswered` lists the requests it had
    no recorded answer for; the client got a clear failure for each (an OpenD reply with
    retType Failed, an HTTP 404, a WebSocket closed with code 1008)."""

    def __init__(
        self,
        capture: Capture | str | os.PathLike[str],
        speed: float = 1.0,
        host: str = "127.0.0.1",
        ports: Mapping[str, int] | None = None,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must not be negative (0: as fast as possible)")
        self.capture = capture if isinstance(capture, Capture) else read_capture(Path(capture))
        self.plan = ReplayPlan.from_capture(self.capture)
        self.speed = speed
        self.host = host
        self._ports = dict(ports or {})
        unknown = set(self._ports) - set(self.plan.venues)
        if unknown:
            raise ValueError(f"no connection of {', '.join(sorted(unknown))} in {self.capture.path}")
        self.unanswered: list[Unanswered] = []
        self.last_activity = time.monotonic()
        self._bound: dict[str, int] = {}
        self._runners: list[web.AppRunner] = []
        self._tcp: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._sockets: dict[web.WebSocketResponse, asyncio.Transport | None] = {}
        self._used: dict[tuple[str, str], int] = {}
        self._http_used: dict[HttpExchange, int] = {}
        self._cursor = _Cursor()

    @property
    def venues(self) -> tuple[str, ...]:
        return tuple(self.plan.venues)

    def address_for(self, venue: str) -> tuple[str, int]:
        """(host, port) where `venue` is served."""
        if venue not in self._bound:
            raise KeyError(f"{venue!r} is not served (venues: {', '.join(self.venues)}; start the replay first)")
        return self.host, self._bound[venue]

    def url_for(self, venue: str, recorded: str | None = None) -> str:
        """Where to point a client: `recorded` (a URL from the capture) rewritten to this
        replay; without it, the venue's main endpoint: `tcp://` for OpenD, the HTTP base when
        the venue has HTTP, else its first recorded WebSocket URL."""
        host, port = self.address_for(venue)
        plan = self.plan.venues[venue]
        if recorded is None:
            if plan.opend:
                return f"tcp://{host}:{port}"
            if plan.http or not plan.ws:
                return f"http://{host}:{port}"
            recorded = plan.ws[0].url
        parts = urlsplit(recorded)
        scheme = "ws" if parts.scheme in ("ws", "wss") else "http"
        return f"{scheme}://{host}:{port}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")

    def endpoints(self, venue: str) -> list[str]:
        """Every distinct endpoint of `venue` this replay serves, as URLs."""
        plan = self.plan.venues[venue]
        out = [self.url_for(venue)] if plan.opend or plan.http else []
        out += [self.url_for(venue, conn.url) for conn in plan.ws]
        return list(dict.fromkeys(out))

    # -- life cycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        try:
            for venue, plan in self.plan.venues.items():
                port = self._ports.get(venue, 0)
                if plan.opend:
                    server = await asyncio.start_server(functools.partial(self._serve_opend, plan), self.host, port)
                    self._tcp.append(server)
                    self._bound[venue] = int(server.sockets[0].getsockname()[1])
                else:
                    app = web.Application(client_max_size=MAX_HTTP_BODY)
                    app.router.add_route("*", "/{tail:.*}", functools.partial(self._http, plan))
                    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
                    await runner.setup()
                    self._runners.append(runner)
                    site = web.TCPSite(runner, self.host, port)
                    await site.start()
                    self._bound[venue] = int(runner.addresses[0][1])
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        ending = [asyncio.ensure_future(_close_ws(ws, transport)) for ws, transport in list(self._sockets.items())]
        ending += [asyncio.ensure_future(_close_stream(writer)) for writer in list(self._writers)]
        if ending:  # at once: a client that never reads costs CLOSE_WAIT_S, not CLOSE_WAIT_S each
            await asyncio.wait(ending)
        for server in self._tcp:
            server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), CLOSE_WAIT_S)
        for runner in self._runners:
            await runner.cleanup()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=CLOSE_WAIT_S)
        self._tcp.clear()
        self._runners.clear()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def _touch(self) -> None:
        self.last_activity = time.monotonic()

    def _miss(self, venue: str, transport: Literal["opend", "http", "ws"], what: str) -> None:
        self.unanswered.append(Unanswered(venue, transport, what))
        log.warning("replay: no recorded answer for %s %s: %s", venue, transport, what)

    def _next_conn(self, venue: str, key: str, count: int) -> int:
        """The index of the recorded connection a new live one replays: the next, then the last."""
        index = self._used.get((venue, key), 0)
        self._used[(venue, key)] = index + 1
        return min(index, count - 1)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- OpenD --------------------------------------------------------------------------------------

    async def _serve_opend(self, plan: VenuePlan, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._touch()
        self._writers.add(writer)
        recorded = plan.opend[self._next_conn(plan.venue, "opend", len(plan.opend))]
        everywhere = plan.opend_replies()
        schedule = _Schedule(self.speed)
        lock = asyncio.Lock()
        counts: dict[int, int] = {}
        pusher = self._spawn(self._opend_pushes(recorded, schedule, writer, lock))
        decoder = FrameDecoder()
        try:
            while data := await reader.read(READ_CHUNK):
                self._touch()
                try:
                    frames = decoder.frames(data)
                except FrameError as exc:
                    self._miss(plan.venue, "opend", f"a frame that does not decode ({exc})")
                    break
                for frame in frames:
                    options = recorded.replies.get(frame.proto_id) or everywhere.get(frame.proto_id)
                    if options:
                        out = renumber(self._cursor.take((id(recorded), frame.proto_id), options), frame.serial_no)
                    else:
                        what = f"protoID {frame.proto_id} ({_proto_name(frame.proto_id)})"
                        self._miss(plan.venue, "opend", what)
                        failure = KeepAlive_pb2.Response(
                            retType=RetType.Failed, retMsg=f"venuewire replay: no recorded reply for {what}"
                        )
                        out = encode_frame(frame.proto_id, frame.serial_no, encode_proto(failure))
                    async with lock:
                        writer.write(out)
                        await writer.drain()
                    counts[frame.proto_id] = counts.get(frame.proto_id, 0) + 1
                    schedule.release(Barrier(frame.proto_id, counts[frame.proto_id]))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            pusher.cancel()
            self._writers.discard(writer)
            await _close_stream(writer)

    async def _opend_pushes(
        self, recorded: OpenDConn, schedule: _Schedule, writer: asyncio.StreamWriter, lock: asyncio.Lock
    ) -> None:
        try:
            for step in recorded.pushes:
                await schedule.due(step)
                async with lock:
                    writer.write(step.data)
                    await writer.drain()
                self._touch()
        except ConnectionError:
            pass

    # -- HTTP and WebSocket -------------------------------------------------------------------------

    async def _http(self, plan: VenuePlan, request: web.Request) -> web.StreamResponse:
        self._touch()
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._ws(plan, request)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:  # answered 413
            self._miss(plan.venue, "http", f"{request.method} {request.path_qs} (a body over {MAX_HTTP_BODY} bytes)")
            raise
        exchange = self._match_http(plan, request.method, request.path, request.query_string, body)
        if exchange is None:
            target = request.path_qs
            self._miss(plan.venue, "http", f"{request.method} {target}")
            return web.Response(status=404, text=f"venuewire replay: no recorded answer for {request.method} {target}")
        self._http_used[exchange] = self._http_used.get(exchange, 0) + 1
        return web.Response(status=exchange.status, headers=dict(exchange.headers), body=exchange.response)

    def _match_http(self, plan: VenuePlan, method: str, path: str, query: str, body: bytes) -> HttpExchange | None:
        same = [x for x in plan.http if x.method == method.upper() and x.path == path]
        for tier in (
            [x for x in same if x.query == query],
            [x for x in same if query_matches(x.query, query)],
        ):
            if not tier:
                continue
            ranked = [x for x in tier if loose_equal(x.body, body)] or tier
            fresh = [x for x in ranked if self._http_used.get(x, 0) == 0]
            return fresh[0] if fresh else ranked[-1]
        return None

    def _pick_ws(self, plan: VenuePlan, path: str, query: str) -> WsConn | None:
        at_path = [c for c in plan.ws if c.path == path]
        exact = [c for c in at_path if query_matches(c.query, query)] or at_path
        if not exact:
            return None
        return exact[self._next_conn(plan.venue, f"ws {path}", len(exact))]

    async def _ws(self, plan: VenuePlan, request: web.Request) -> web.StreamResponse:
        recorded = self._pick_ws(plan, request.path, request.query_string)
        if recorded is None:
            self._miss(plan.venue, "ws", f"a WebSocket at {request.path_qs}")
            return web.Response(status=404, text=f"venuewire replay: no recorded WebSocket at {request.path_qs}")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets[ws] = request.transport
        schedule = _Schedule(self.speed)
        pusher = self._spawn(self._ws_pushes(recorded, schedule, ws))
        next_barrier = 0
        try:
            async for message in ws:
                if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    continue
                self._touch()
                data = message.data.encode() if isinstance(message.data, str) else bytes(message.data)
                is_ping, pong = recorded.ping_answer(data)
                if is_ping:
                    if pong is not None:
                        await ws.send_str(pong.decode("utf-8", "replace"))
                    continue
                index = next(
                    (i for i in range(next_barrier, len(recorded.barriers)) if loose_equal(recorded.barriers[i], data)),
                    None,
                )
                if index is None:
                    self._miss(plan.venue, "ws", _what(data))
                    await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"venuewire replay: no recorded answer")
                    break
                schedule.ids.update(echoed_ids(recorded.barriers[index], data, recorded.pair_by))
                for skipped in range(next_barrier, index + 1):
                    schedule.release(Barrier(skipped, 1))
                next_barrier = index + 1
        except ConnectionError:
            pass
        finally:
            pusher.cancel()
            self._sockets.pop(ws, None)
            with contextlib.suppress(Exception):
                await ws.close()
        return ws

    async def _ws_pushes(self, recorded: WsConn, schedule: _Schedule, ws: web.WebSocketResponse) -> None:
        try:
            for step in recorded.steps:
                await schedule.due(step)
                if ws.closed:
                    return
                if step.binary:
                    await ws.send_bytes(step.data)
                else:
                    text = rewrite_ids(step.data, recorded.pair_by, schedule.ids)
                    await ws.send_str(text.decode("utf-8", "replace"))
                self._touch()
        except (ConnectionError, RuntimeError):
            pass
