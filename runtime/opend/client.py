"""The asyncio OpenD client: the thin I/O layer around `OpenDConnection`.

    async with OpenDClient(host="127.0.0.1", port=11111) as client:
        await client.subscribe(["HK.00700"], push=True)
        s2c = await client.get_order_book("HK.00700", num=10)
        async for update in client.order_book_updates("HK.00700"):
            ...

Behaviour a caller can rely on:
- Replies are matched on (protoID, serialNo); any number of requests may be in flight.
- Every request has a timeout (default 10 s): `venuewire.Timeout`, and the request is
  forgotten. retType != 0 raises `OpenDError` (retType, retMsg, errCode).
- On a disconnect every pending request fails at once with `venuewire.ConnectionLost`.
  With `reconnect=True` (default) the client reconnects with capped exponential backoff
  and jitter, redoes InitConnect, restores every subscription and resumes every update
  stream; each outage is recorded as a `Gap` in `client.gaps` and in each stream's `gaps`.
  Requests made during an outage wait for the reconnection, within their timeout.
- KeepAlive goes out every 0.8 x keepAliveInterval; nothing received for
  2 x keepAliveInterval means the peer is dead and the connection is dropped.
- Slow consumers: each update stream holds at most `push_buffer` updates. When it is full
  the OLDEST update is discarded (every push is a full snapshot, so the newest supersedes
  it) and counted in `stream.dropped` and `client.stats.pushes_dropped`. Nothing is lost
  silently.
- A push or reply that does not decode is counted (`client.stats.decode_errors`) and
  logged; a reply's error goes to the waiting request. Neither stops the connection. A
  broken frame (FrameError) does: the connection is closed, never resynchronised.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeVar, cast

from google.protobuf.message import Message

from venuewire.errors import ConnectionLost, DecodeError, Timeout, VenueError
from venuewire.events import Gap
from venuewire.generated.futu import (
    GetGlobalState_pb2,
    KeepAlive_pb2,
    Qot_GetOrderBook_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
)
from venuewire.generated.futu.enums import RetType, SubType
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.messages import decode_proto
from venuewire.opend.crypto import SessionCipher, load_rsa_key
from venuewire.opend.frame import FrameError
from venuewire.opend.protocol import OpenDConnection, OpenDError, Push, Ready, Reply
from venuewire.opend.symbols import format_symbol, parse_symbol, to_security

log = logging.getLogger("venuewire.opend")

R = TypeVar("R", bound=Message)
READ_CHUNK = 256 * 1024
TIMEOUT_TICK = 0.05  # request deadlines are checked this often

# Response class of every protocol venuewire has a schema for, from the registry.
RESPONSE_CLASSES: dict[int, type[Message]] = {
    p.proto_id: import_module(f"venuewire.generated.futu.{p.proto}_pb2").Response
    for p in OPEND.protocols
    if p.proto is not None
}


@dataclass(slots=True)
class ClientStats:
    """Counters a caller can read at any time."""

    requests: int = 0
    pushes_received: int = 0
    pushes_dropped: int = 0
    decode_errors: int = 0
    unmatched_replies: int = 0
    reconnects: int = 0


class UpdateStream(AsyncIterator[Qot_UpdateOrderBook_pb2.S2C]):
    """Qot_UpdateOrderBook pushes for one security, in arrival order (see the module doc
    for the slow-consumer policy). Ends when the client closes; `aclose()` unregisters."""

    def __init__(self, client: OpenDClient, key: tuple[int, str], maxlen: int) -> None:
        self._client = client
        self.key = key
        self.symbol = format_symbol(*key)
        self._items: deque[Qot_UpdateOrderBook_pb2.S2C] = deque()
        self._maxlen = maxlen
        self._wakeup = asyncio.Event()
        self._closed = False
        self._error: VenueError | None = None
        self.dropped = 0
        self.received = 0
        self.gaps: list[Gap] = []

    def _put(self, item: Qot_UpdateOrderBook_pb2.S2C) -> None:
        if len(self._items) >= self._maxlen:
            self._items.popleft()
            self.dropped += 1
            self._client.stats.pushes_dropped += 1
        self._items.append(item)
        self.received += 1
        self._wakeup.set()

    def _finish(self, error: VenueError | None = None) -> None:
        self._closed = True
        self._error = error
        self._wakeup.set()

    def __aiter__(self) -> UpdateStream:
        return self

    async def __anext__(self) -> Qot_UpdateOrderBook_pb2.S2C:
        while not self._items:
            if self._closed:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        return self._items.popleft()

    async def aclose(self) -> None:
        self._client._streams_remove(self)
        self._finish()


def _request_name(response_cls: type[Message]) -> str:
    """ "Qot_GetOrderBook" for Qot_GetOrderBook_pb2.Response."""
    return str(response_cls.DESCRIPTOR.file.name).rsplit("/", 1)[-1].removesuffix(".proto")


class _HasRetType(Protocol):
    retType: int
    retMsg: str
    errCode: int


@dataclass
class _Subscription:
    sub_types: set[int] = field(default_factory=set)
    push: bool = False


class OpenDClient:
    """Async client for a Futu/moomoo OpenD gateway (or venuewire's simulator)."""

    def __init__(
        self,
        host: str = OPEND.default_host,
        port: int = OPEND.default_port,
        rsa_key_path: str | Path | None = None,
        *,
        request_timeout: float = 10.0,
        connect_timeout: float = 10.0,
        reconnect: bool = True,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        push_buffer: int = 1024,
        max_body_len: int = OPEND.max_body_len,
    ) -> None:
        if push_buffer < 1:
            raise ValueError("push_buffer must be at least 1")
        self.host, self.port = host, port
        self._rsa_key = load_rsa_key(rsa_key_path) if rsa_key_path is not None else None
        self.request_timeout = request_timeout
        self.connect_timeout = connect_timeout
        self.reconnect = reconnect
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self.push_buffer = push_buffer
        self.max_body_len = max_body_len
        self.stats = ClientStats()
        self.gaps: list[Gap] = []
        self.conn_id: int | None = None
        self.login_user_id: int | None = None
        self.server_ver: int | None = None
        self.keepalive_interval: float | None = None
        self._conn: OpenDConnection | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._pending: dict[tuple[int, int], asyncio.Future[bytes]] = {}
        self._deadlines: dict[tuple[int, int], tuple[float, float, type[Message]]] = {}
        self._outbox: list[bytes] = []
        self._last_received = 0.0
        self._subscriptions: dict[tuple[int, str], _Subscription] = {}
        self._streams: dict[tuple[int, str], list[UpdateStream]] = {}
        self._ready = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._reconnecting: asyncio.Task[None] | None = None
        self._closing = False

    # ------------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> OpenDClient:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        return self._ready.is_set()

    async def connect(self) -> None:
        """Connect and InitConnect once. Failure raises (no silent retrying forever):
        ConnectionLost, Timeout or OpenDError."""
        self._closing = False
        await self._connect_once()

    async def close(self) -> None:
        """Close the connection, stop reconnecting, end every update stream."""
        self._closing = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        self._teardown("client closed")
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._reconnecting is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reconnecting
        for streams in self._streams.values():
            for stream in streams:
                stream._finish()
        self._streams.clear()

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _connect_once(self) -> None:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), timeout=self.connect_timeout
            )
        except TimeoutError:
            raise Timeout("futu", f"connecting to {self.host}:{self.port} took over {self.connect_timeout} s") from None
        except OSError as exc:
            raise ConnectionLost("futu", f"cannot connect to {self.host}:{self.port}: {exc}") from None
        cipher = SessionCipher(rsa_key=self._rsa_key)
        conn = OpenDConnection(cipher, self.max_body_len)
        try:
            writer.write(conn.initiate())
            await writer.drain()
            ready = await asyncio.wait_for(self._handshake(conn, reader), timeout=self.connect_timeout)
        except BaseException as exc:
            writer.close()
            if isinstance(exc, TimeoutError):
                raise Timeout("futu", f"no InitConnect reply from {self.host}:{self.port}") from None
            if isinstance(exc, FrameError | OSError) and not isinstance(exc, VenueError):
                raise ConnectionLost("futu", f"InitConnect with {self.host}:{self.port} failed: {exc}") from None
            raise
        s2c = ready.s2c
        self.conn_id, self.login_user_id, self.server_ver = s2c.connID, s2c.loginUserID, s2c.serverVer
        self.keepalive_interval = float(s2c.keepAliveInterval)
        self._conn, self._writer = conn, writer
        self._ready.set()
        self._spawn(self._read_loop(conn, reader))
        self._spawn(self._keepalive_loop(conn))
        self._spawn(self._expire_loop(conn))
        log.info("connected to OpenD %s:%s connID=%s serverVer=%s", self.host, self.port, self.conn_id, self.server_ver)

    async def _handshake(self, conn: OpenDConnection, reader: asyncio.StreamReader) -> Ready:
        while True:
            data = await reader.read(READ_CHUNK)
            if not data:
                raise ConnectionLost("futu", f"{self.host}:{self.port} closed the connection during InitConnect")
            events = conn.receive_data(data)
            for event in events:
                if isinstance(event, Ready):
                    # anything after the reply in the same chunk is handled by the read loop
                    leftover = events[events.index(event) + 1 :]
                    for later in leftover:
                        self._dispatch(later)
                    return event

    async def _read_loop(self, conn: OpenDConnection, reader: asyncio.StreamReader) -> None:
        loop = asyncio.get_running_loop()
        reason = "connection closed by peer"
        try:
            while True:
                data = await reader.read(READ_CHUNK)
                if not data:
                    break
                self._last_received = loop.time()
                for event in conn.receive_data(data):
                    self._dispatch(event)
        except FrameError as exc:
            reason = f"bad frame: {exc}"
            log.warning("OpenD %s:%s sent a bad frame, closing: %s", self.host, self.port, exc)
        except OSError as exc:
            reason = f"read failed: {exc}"
        if self._conn is conn:
            self._drop(reason)

    async def _keepalive_loop(self, conn: OpenDConnection) -> None:
        assert self.keepalive_interval is not None
        period = OPEND.keepalive_factor * self.keepalive_interval
        while self._conn is conn:
            await asyncio.sleep(period)
            if self._conn is not conn:
                return
            request = KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=int(time.time())))
            try:
                await self._call(OpenDProtoID.KeepAlive, request, KeepAlive_pb2.Response, within=period)
            except (Timeout, OpenDError, DecodeError) as exc:
                log.debug("KeepAlive not answered: %s", exc)
            except ConnectionLost:
                return

    def _teardown(self, reason: str) -> bool:
        """Close the current connection and fail its pending requests. True if there was one."""
        conn, writer = self._conn, self._writer
        self._conn, self._writer = None, None
        was_ready = self._ready.is_set()
        self._ready.clear()
        if conn is not None:
            conn.close()
        if writer is not None:
            writer.close()
        pending, self._pending = self._pending, {}
        self._deadlines.clear()
        self._outbox = []
        for future in pending.values():
            if not future.done():
                future.set_exception(ConnectionLost("futu", f"connection to {self.host}:{self.port} lost: {reason}"))
        if conn is not None and was_ready:
            # A close we asked for is not news; a lost connection is.
            level = logging.DEBUG if self._closing else logging.WARNING
            log.log(level, "OpenD connection %s:%s lost: %s", self.host, self.port, reason)
        return conn is not None

    def _drop(self, reason: str) -> None:
        """The connection failed: tear it down, then reconnect or end the update streams."""
        if not self._teardown(reason) or self._closing:
            return
        if self.reconnect:
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect_loop(reason))
            return
        error = ConnectionLost("futu", f"connection to {self.host}:{self.port} lost: {reason}")
        for streams in self._streams.values():
            for stream in streams:
                stream._finish(error)

    async def _reconnect_loop(self, reason: str) -> None:
        started = time.time()
        delay = self.backoff_initial
        while not self._closing:
            await asyncio.sleep(random.uniform(0.5, 1.0) * delay)
            try:
                await self._connect_once()
                await self._restore_subscriptions()
            except (VenueError, OSError) as exc:
                log.info("reconnect to %s:%s failed: %s", self.host, self.port, exc)
                self._teardown(f"reconnect attempt failed: {exc}")
                delay = min(delay * 2, self.backoff_max)
                continue
            gap = Gap(started, time.time(), reason)
            self.gaps.append(gap)
            self.stats.reconnects += 1
            for streams in self._streams.values():
                for stream in streams:
                    stream.gaps.append(gap)
            log.info("reconnected to %s:%s after %.2f s", self.host, self.port, gap.ended - gap.started)
            return

    async def _restore_subscriptions(self) -> None:
        for key, sub in self._subscriptions.items():
            if sub.sub_types:
                await self._sub([key], sorted(sub.sub_types), subscribe=True, push=sub.push)

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self, event: Ready | Reply | Push) -> None:
        if isinstance(event, Reply):
            future = self._pending.pop((event.proto_id, event.serial_no), None)
            if future is None:
                self.stats.unmatched_replies += 1
                log.debug("dropped unmatched reply protoID=%s serialNo=%s", event.proto_id, event.serial_no)
            elif not future.done():
                future.set_result(event.body)
        elif isinstance(event, Push):
            self.stats.pushes_received += 1
            if event.proto_id == OpenDProtoID.Qot_UpdateOrderBook:
                self._on_order_book_push(event.body)
            else:
                log.debug("ignored push protoID=%s", event.proto_id)

    def _on_order_book_push(self, body: bytes) -> None:
        try:
            response = decode_proto(Qot_UpdateOrderBook_pb2.Response, body)
        except DecodeError as exc:
            self.stats.decode_errors += 1
            log.warning("undecodable order book push: %s", exc)
            return
        if response.retType != RetType.Succeed or not response.HasField("s2c"):
            self.stats.decode_errors += 1
            log.warning("order book push with retType %s: %s", response.retType, response.retMsg)
            return
        key = (response.s2c.security.market, response.s2c.security.code)
        for stream in self._streams.get(key, ()):
            stream._put(response.s2c)

    def _streams_remove(self, stream: UpdateStream) -> None:
        streams = self._streams.get(stream.key)
        if streams and stream in streams:
            streams.remove(stream)

    # ------------------------------------------------------------------ requests
    async def _call(self, proto_id: int, request: Message, response_cls: type[R], within: float | None = None) -> R:
        """Send one request and return its Response (retType checked) within `within` seconds."""
        limit = self.request_timeout if within is None else within
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        if not self._ready.is_set():
            name = _request_name(response_cls)
            if self._closing or (not self.reconnect and self._conn is None):
                raise ConnectionLost("futu", f"{name}: not connected to {self.host}:{self.port}")
            try:
                async with asyncio.timeout_at(deadline):
                    await self._ready.wait()
            except TimeoutError:
                raise Timeout("futu", f"{name}: not reconnected within {limit:g} s") from None
        conn = self._conn
        if conn is None or self._writer is None:
            raise ConnectionLost("futu", f"{_request_name(response_cls)}: not connected to {self.host}:{self.port}")
        serial, frame = conn.send(proto_id, request)
        future: asyncio.Future[bytes] = loop.create_future()
        key = (proto_id, serial)
        self._pending[key] = future
        self._deadlines[key] = (deadline, limit, response_cls)
        self.stats.requests += 1
        self._write(frame)
        try:
            body = await future  # fails with Timeout (see _expire) or ConnectionLost
        finally:
            self._pending.pop(key, None)
            self._deadlines.pop(key, None)
        try:
            response = decode_proto(response_cls, body)
        except DecodeError:
            self.stats.decode_errors += 1
            raise
        result = cast(_HasRetType, response)
        if result.retType != RetType.Succeed:
            raise OpenDError(_request_name(response_cls), result.retType, result.retMsg, result.errCode or None)
        return response

    def _write(self, frame: bytes) -> None:
        """Send a frame. With other requests in flight, frames written in the same
        event-loop turn are joined into one write (one system call instead of many)."""
        if self._outbox:
            self._outbox.append(frame)
        elif len(self._pending) > 1:
            self._outbox.append(frame)
            asyncio.get_running_loop().call_soon(self._flush)
        elif self._writer is not None:
            self._writer.write(frame)

    def _flush(self) -> None:
        frames, self._outbox = self._outbox, []
        if self._writer is not None and frames:
            self._writer.write(b"".join(frames))

    async def _expire_loop(self, conn: OpenDConnection) -> None:
        """Every TIMEOUT_TICK s: fail requests past their deadline with Timeout, and drop
        the connection when nothing was received for dead_peer_factor x keepAliveInterval."""
        assert self.keepalive_interval is not None
        idle_limit = OPEND.dead_peer_factor * self.keepalive_interval
        loop = asyncio.get_running_loop()
        self._last_received = loop.time()
        while self._conn is conn:
            await asyncio.sleep(TIMEOUT_TICK)
            now = loop.time()
            if now - self._last_received > idle_limit:
                self._drop(f"nothing received for {idle_limit:g} s (dead peer)")
                return
            expired = [key for key, (deadline, _, _) in self._deadlines.items() if deadline <= now]
            for key in expired:
                _, limit, response_cls = self._deadlines.pop(key)
                future = self._pending.pop(key, None)
                if future is not None and not future.done():
                    name = _request_name(response_cls)
                    future.set_exception(Timeout("futu", f"{name} (serialNo {key[1]}) got no reply within {limit:g} s"))

    async def get_global_state(self) -> GetGlobalState_pb2.S2C:
        """Market states and login state (GetGlobalState, protoID 1002)."""
        request = GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=self.login_user_id or 0))
        response = await self._call(OpenDProtoID.GetGlobalState, request, GetGlobalState_pb2.Response)
        return response.s2c

    async def _sub(
        self, keys: Sequence[tuple[int, str]], sub_types: Sequence[int], subscribe: bool, push: bool
    ) -> None:
        c2s = Qot_Sub_pb2.C2S(isSubOrUnSub=subscribe, isRegOrUnRegPush=push)
        for market, code in keys:
            c2s.securityList.add(market=market, code=code)
        c2s.subTypeList.extend(int(t) for t in sub_types)
        if subscribe and push:
            c2s.isFirstPush = True
        await self._call(OpenDProtoID.Qot_Sub, Qot_Sub_pb2.Request(c2s=c2s), Qot_Sub_pb2.Response)

    async def subscribe(
        self, symbols: Iterable[str], sub_types: Iterable[SubType | int] = (SubType.OrderBook,), push: bool = True
    ) -> None:
        """Subscribe securities ("HK.00700") to quote types; with `push`, OpenD pushes updates.
        Subscriptions are remembered and restored after a reconnect."""
        keys = [parse_symbol(s) for s in symbols]
        types = [int(t) for t in sub_types]
        if not keys or not types:
            raise ValueError("subscribe needs at least one symbol and one sub type")
        await self._sub(keys, types, subscribe=True, push=push)
        for key in keys:
            sub = self._subscriptions.setdefault(key, _Subscription())
            sub.sub_types.update(types)
            sub.push = sub.push or push

    async def unsubscribe(
        self, symbols: Iterable[str], sub_types: Iterable[SubType | int] = (SubType.OrderBook,)
    ) -> None:
        keys = [parse_symbol(s) for s in symbols]
        types = [int(t) for t in sub_types]
        if not keys or not types:
            raise ValueError("unsubscribe needs at least one symbol and one sub type")
        await self._sub(keys, types, subscribe=False, push=False)
        for key in keys:
            sub = self._subscriptions.get(key)
            if sub is not None:
                sub.sub_types.difference_update(types)
                if not sub.sub_types:
                    del self._subscriptions[key]

    async def get_order_book(self, symbol: str, num: int = 10) -> Qot_GetOrderBook_pb2.S2C:
        """One order-book snapshot (Qot_GetOrderBook, protoID 3012). The symbol must be
        subscribed to SubType.OrderBook first, as OpenD requires."""
        if num < 1:
            raise ValueError(f"num must be at least 1, got {num}")
        c2s = Qot_GetOrderBook_pb2.C2S(security=to_security(symbol), num=num)
        request = Qot_GetOrderBook_pb2.Request(c2s=c2s)
        response = await self._call(OpenDProtoID.Qot_GetOrderBook, request, Qot_GetOrderBook_pb2.Response)
        return response.s2c

    def order_book_updates(self, symbol: str) -> UpdateStream:
        """Qot_UpdateOrderBook pushes for `symbol`, from now on, in arrival order. Subscribe
        with push=True for OpenD to send them."""
        key = parse_symbol(symbol)
        stream = UpdateStream(self, key, self.push_buffer)
        if self._closing:
            stream._finish()
        else:
            self._streams.setdefault(key, []).append(stream)
        return stream


__all__ = ["ClientStats", "Gap", "OpenDClient", "OpenDError", "UpdateStream"]
