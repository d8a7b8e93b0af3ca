"""The asyncio OpenD client: the thin I/O layer around `OpenDConnection`.

    async with OpenDClient(host="127.0.0.1", port=11111) as client:
        await client.subscribe(["HK.00700"], push=True)
        s2c = await client.get_order_book("HK.00700", num=10)
        async for update in client.order_book_updates("HK.00700"):
            ...
        # any declared OpenD message, typed by its file (protoID from the registry):
        reply = await client.request(Qot_GetOrderBook_pb2.Request(c2s=...))  # -> .Response
        async for item in client.pushes(Qot_UpdateOrderBook_pb2.Response):  # S2C | Gap | DecodeFailure
            ...

Behaviour a caller can rely on:
- `request(message)` sends any Request class the registry declares (the generated
  dispatch table, venuewire.generated.futu.dispatch, gives its protoID and Response
  class). Any other object is `InvalidRequest` and a message missing required fields is
  `MissingRequiredFields`, both before anything is sent. The wrapped methods
  (get_order_book, subscribe, ...) are built on it.
- `depth_stream(symbols)` subscribes and yields normalized `OrderBook`s (`raw`: the typed
  S2C) | Gap | DecodeFailure, like every venue's `depth_stream`.
- `pushes(Response class)` streams every push of a declared push protoID as its S2C;
  `order_book_updates(symbol)` is that stream for Qot_UpdateOrderBook, filtered to one
  security. A push no stream takes (no stream open, or a protoID venuewire has no proto
  for) is counted in `client.stats.pushes_unrouted` and logged at debug level.
- Replies are matched on (protoID, serialNo); any number of requests may be in flight.
- Every request has a timeout (default 10 s): `venuewire.Timeout`, and the request is
  forgotten. retType != 0 raises `OpenDError` (retType, retMsg, errCode).
- On a disconnect every pending request fails at once with `venuewire.ConnectionLost`.
  With `reconnect=True` (default) the client reconnects (`venuewire.transport.Backoff`:
  from `backoff_initial`, doubling with jitter up to `backoff_max`; the delay resets only
  after a session stayed up `healthy_after` seconds, so a peer that closes right after
  InitConnect sees ever fewer attempts, not a storm), redoes InitConnect, restores every
  subscription and resumes every update stream; each outage is a `Gap`, in `client.gaps`,
  in each stream's `gaps` and as an event in each stream. Requests made during an outage
  wait for the reconnection, within their timeout.
- KeepAlive goes out every 0.8 x keepAliveInterval, the peer's value clamped to the
  registry's [keepalive_min_s, keepalive_max_s] (0, negative or absurd values are never
  obeyed); nothing received for `idle_timeout` (default 2 x keepAliveInterval) means the
  peer is dead and the connection is dropped.
- Slow consumers: each push stream holds at most `buffer` items. When it is full
  the OLDEST item is discarded (every push is a full snapshot, so the newest supersedes
  it) and counted in `stream.dropped` and `client.stats.pushes_dropped`. Nothing is lost
  silently.
- Values: a book whose price, hpVolume or svrRecvTime*Timestamp is NaN, infinite or out of
  range for a date is a `DecodeError` naming the field (`get_order_book` raises it).
- A push that does not decode (or holds such values, or has retType != 0, or no s2c) is
  a `DecodeFailure` event in the streams of its protoID (of its security when it can be
  read, else of every such stream) and is counted in `client.stats.decode_errors`; the
  stream goes on. A reply's error goes to the waiting request. Neither stops the
  connection. A broken frame (FrameError) does: the connection is closed, never
  resynchronised.
- Everything raised from the wire side is a `venuewire.VenueError`. The client belongs to
  the event loop it is first used on: any call from another loop raises `WrongEventLoop` at
  once (`close()` then lets it bind to a new loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from google.protobuf.message import Message

from venuewire.capture.tap import CaptureTarget, Tap, open_tap
from venuewire.drift.sample import ProtoUnknownFields, UnknownCounter
from venuewire.errors import ConnectionLost, DecodeError, InvalidRequest, Timeout, VenueError, WrongEventLoop
from venuewire.events import DecodeFailure, Gap, StreamEvent
from venuewire.generated.futu import (
    GetGlobalState_pb2,
    KeepAlive_pb2,
    Qot_GetBasicQot_pb2,
    Qot_GetKL_pb2,
    Qot_GetOrderBook_pb2,
    Qot_GetTicker_pb2,
    Qot_RequestHistoryKL_pb2,
    Qot_Sub_pb2,
    Qot_UpdateBasicQot_pb2,
    Qot_UpdateKL_pb2,
    Qot_UpdateOrderBook_pb2,
    Qot_UpdateTicker_pb2,
    dispatch,
)
from venuewire.generated.futu.dispatch import OpenDTypedAPI, PushRoute
from venuewire.generated.futu.enums import KLType, RehabType, RetType, SubType
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.models import Candle, Quote, Trade
from venuewire.opend.book import check_s2c, checked_reply
from venuewire.opend.crypto import SessionCipher, load_rsa_key
from venuewire.opend.frame import FrameError
from venuewire.opend.protocol import OpenDConnection, OpenDError, Push, Ready, Reply
from venuewire.opend.quotes import candles_from_s2c, kl_sub_type, quotes_from_s2c, trades_from_s2c
from venuewire.opend.streams import RAW_KEPT, BookStream, NormalizedStream, PushStream
from venuewire.opend.symbols import parse_symbol, to_security
from venuewire.transport import Backoff, Closing, LoopBound, SilenceWatch, positive_seconds

log = logging.getLogger("venuewire.opend")

R = TypeVar("R", bound=Message)
R2 = TypeVar("R2")
TIMEOUT_TICK = 0.05  # request deadlines are checked this often
BOOK_REQUESTS_KEPT = 1024
"""get_order_book keeps the encoded Request of this many (symbol, num) pairs (then starts over)."""
UpdateItem = Qot_UpdateOrderBook_pb2.S2C | StreamEvent
"""What an update stream yields: a push's S2C (a full snapshot), a Gap or a DecodeFailure."""


# Value checks of a push's S2C beyond decoding, by S2C class (the order books' prices).
def _discard(_items: object) -> None:
    return None


# The quote pushes are checked by normalizing them (the streams normalize them again).
S2C_CHECKS: dict[type[Message], Callable[[Any, str], None]] = {
    Qot_UpdateOrderBook_pb2.S2C: check_s2c,
    Qot_UpdateBasicQot_pb2.S2C: lambda s2c, _name: _discard(quotes_from_s2c(s2c)),
    Qot_UpdateTicker_pb2.S2C: lambda s2c, _name: _discard(trades_from_s2c(s2c)),
    Qot_UpdateKL_pb2.S2C: lambda s2c, _name: _discard(candles_from_s2c(s2c)),
}
QuoteStream = NormalizedStream[Qot_UpdateBasicQot_pb2.S2C, Quote]
"""`quote_stream`: Quote | Gap | DecodeFailure."""
TradeStream = NormalizedStream[Qot_UpdateTicker_pb2.S2C, Trade]
"""`trade_stream`: Trade | Gap | DecodeFailure."""
CandleStream = NormalizedStream[Qot_UpdateKL_pb2.S2C, Candle]
"""`candle_stream`: Candle | Gap | DecodeFailure."""


@dataclass(slots=True)
class ClientStats:
    """Counters a caller can read at any time."""

    requests: int = 0
    pushes_received: int = 0
    pushes_dropped: int = 0
    pushes_unrouted: int = 0
    """Pushes no stream took: no stream open for their protoID, or no proto declared for it."""
    decode_errors: int = 0
    unmatched_replies: int = 0
    reconnects: int = 0
    stale_events: int = 0
    """`Stale` events: a subscribed security's quote pushes silent past `stale_after`."""
    stale_reconnects: int = 0
    """Reconnects because a security's pushes were silent past `reconnect_after` (also in `reconnects`)."""
    unknown_fields: UnknownCounter = field(default_factory=Counter)
    """(message, field path) -> decoded pushes and replies that held a field (by number, "#99")
    the proto does not declare, e.g. ("futu/Qot_UpdateOrderBook.Response", "s2c.#99"), over a
    sample: the first 16 of each message, then every 1024th (venuewire.drift.sample
    .ProtoUnknownFields). The decode stays strict."""


_QUOTE_PUSHES: frozenset[int] = frozenset(
    p.proto_id for p in OPEND.protocols if p.name in {t.push for t in OPEND.sub_types}
)
"""The push protoIDs a Qot_Sub subscription type brings: their streams watch for silence."""


class UpdateStream(PushStream[Qot_UpdateOrderBook_pb2.S2C]):
    """Qot_UpdateOrderBook pushes for one security (`key`): a filtered push stream."""

    key: tuple[int, str]
    symbol: str


def _request_name(response_cls: type[Message]) -> str:
    """ "Qot_GetOrderBook" for Qot_GetOrderBook_pb2.Response."""
    return str(response_cls.DESCRIPTOR.file.name).rsplit("/", 1)[-1].removesuffix(".proto")


_LABELS: dict[type[Message], str] = {}


def _response_label(response_cls: type[Message]) -> str:
    """ "futu/Qot_GetOrderBook.Response": what the unknown-field counter calls a reply."""
    label = _LABELS.get(response_cls)
    if label is None:
        label = _LABELS[response_cls] = f"futu/{_request_name(response_cls)}.Response"
    return label


class _Wire(asyncio.Protocol):
    """The socket of one connection, as an asyncio Protocol. Until `start()` the chunks
    read are kept for `read()` (the InitConnect handshake); from then on each chunk goes
    straight to `received`, in the event-loop turn that read it: no reader task and no
    StreamReader buffer between the socket and the waiting request (one loop turn less per
    reply). `lost(exc)` is called once when the connection ends (None: the peer closed it)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._early: deque[bytes] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._ended = False
        self._error: BaseException | None = None
        self._received: Callable[[bytes], None] | None = None
        self._lost: Callable[[BaseException | None], None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if self._received is not None and not self._early:
            self._received(data)
            return
        self._early.append(data)
        self._wake()

    def eof_received(self) -> None:
        return None  # the transport closes itself; connection_lost(None) follows

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended, self._error = True, exc
        self._wake()
        if not self._early:
            self._report_lost()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _report_lost(self) -> None:
        lost, self._lost = self._lost, None
        if lost is not None:
            lost(self._error)

    async def read(self) -> bytes:
        """The next chunk read, before `start()`: b"" once the peer closed the connection; the
        error it ended with, if any."""
        while not self._early:
            if self._ended:
                if self._error is not None:
                    raise self._error
                return b""
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._early.popleft()

    def start(self, received: Callable[[bytes], None], lost: Callable[[BaseException | None], None]) -> None:
        """From now on each chunk goes to `received`, and the end of the connection to `lost`;
        chunks kept since the handshake (and an end already seen) follow in the next loop turn."""
        self._received, self._lost = received, lost
        if self._early or self._ended:
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        while self._early and self._received is not None:
            self._received(self._early.popleft())
        if self._ended and not self._early:
            self._report_lost()

    def stop(self) -> None:
        """Deliver nothing more (the connection was torn down)."""
        self._received, self._lost = None, None
        self._early.clear()


class _HasRetType(Protocol):
    retType: int
    retMsg: str
    errCode: int


@dataclass
class _Subscription:
    sub_types: set[int] = field(default_factory=set)
    push: bool = False


class OpenDClient(OpenDTypedAPI, Closing):
    """Async client for a Futu/moomoo OpenD gateway (or venuewire's simulator).

    `request(message)` and `pushes(Response class)` are typed per message by the generated
    OpenDTypedAPI: mypy infers e.g. Qot_GetOrderBook_pb2.Response from its Request."""

    def __init__(
        self,
        host: str = OPEND.default_host,
        port: int = OPEND.default_port,
        rsa_key_path: str | Path | None = None,
        *,
        timeout: float = 10.0,
        connect_timeout: float = 10.0,
        reconnect: bool = True,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        healthy_after: float = 10.0,
        idle_timeout: float | None = None,
        buffer: int = 1024,
        max_body: int = OPEND.max_body_len,
        stale_after: float | None = OPEND.push_stale_after_s,
        reconnect_after: float | None = OPEND.push_reconnect_after_s,
        capture: CaptureTarget = None,
    ) -> None:
        """`idle_timeout` (s): nothing received for this long drops the connection as dead
        (default 2 x the keepAliveInterval; keep it above 0.8 x that, the KeepAlive period).
        `healthy_after` (s): how long a session must last to reset the reconnect backoff.
        `stale_after` / `reconnect_after` (s, None: never; registry defaults): a subscribed
        security whose quote pushes are silent this long is a `Stale` event in its streams /
        makes the client reconnect (a `Gap`), per security, not per connection.
        `capture` records every frame (a path or a shared `CaptureWriter`; default:
        `VENUEWIRE_CAPTURE`; see `venuewire.capture.tap`): the header as sent or received and
        the body in the clear, the session's AES key and the trade password redacted."""
        if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 1:
            raise ValueError(f"buffer must be an int >= 1, got {buffer!r}")
        self.host, self.port = host, port
        self._rsa_key = load_rsa_key(rsa_key_path) if rsa_key_path is not None else None
        self.timeout = positive_seconds("timeout", timeout)
        self.connect_timeout = positive_seconds("connect_timeout", connect_timeout)
        self.reconnect = reconnect
        self.backoff_initial = positive_seconds("backoff_initial", backoff_initial)
        self.backoff_max = positive_seconds("backoff_max", backoff_max)
        self.healthy_after = positive_seconds("healthy_after", healthy_after)
        self.idle_timeout = None if idle_timeout is None else positive_seconds("idle_timeout", idle_timeout)
        self._backoff = Backoff(self.backoff_initial, self.backoff_max, self.healthy_after)
        self._bound = LoopBound("futu", "OpenDClient")
        self._loop: asyncio.AbstractEventLoop | None = None
        self.buffer = buffer
        self.max_body = max_body
        self._silence = (stale_after, reconnect_after)
        SilenceWatch("futu", stale_after, reconnect_after)  # ValueError for bad thresholds, now
        self.stats = ClientStats()
        self._unknowns = ProtoUnknownFields("futu", self.stats.unknown_fields)
        self.gaps: list[Gap] = []
        self.conn_id: int | None = None
        self.login_user_id: int | None = None
        self.server_ver: int | None = None
        self.keepalive_interval: float | None = None
        self._conn: OpenDConnection | None = None
        self._transport: asyncio.Transport | None = None
        self._wire: _Wire | None = None
        self._pending: dict[tuple[int, int], asyncio.Future[bytes]] = {}
        self._deadlines: dict[tuple[int, int], tuple[float, float, type[Message]]] = {}
        self._outbox: list[bytes] = []
        self._book_requests: dict[tuple[str, int], bytes] = {}
        """(symbol, num) -> get_order_book's Request encoded (the same bytes every time)."""
        self._last_received = 0.0
        self._subscriptions: dict[tuple[int, str], _Subscription] = {}
        self._streams: dict[int, list[PushStream[Any]]] = {}
        """protoID -> the open push streams of it."""
        self._ready = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._reconnecting: asyncio.Task[None] | None = None
        self._closing = False
        self.capture = open_tap(capture, "futu")
        """The recording (None when off)."""
        self._recorded: dict[OpenDConnection, int] = {}
        self._reconnect_hooks: list[Callable[[], Awaitable[None]]] = []
        """Run in order after each reconnect, once subscriptions are restored (venuewire.opend.trade
        resubscribes trade pushes); a VenueError from one fails the attempt like a lost connection."""

    # ------------------------------------------------------------------ lifecycle
    async def _entered(self) -> None:
        await self.connect()

    @property
    def connected(self) -> bool:
        return self._ready.is_set()

    async def connect(self) -> None:
        """Connect and InitConnect once. Failure raises (no silent retrying forever): a
        VenueError (ConnectionLost, Timeout, OpenDError, DecodeError for a broken reply)."""
        self._loop = self._bound.check()
        self._closing = False
        try:
            await self._connect_once()
        except BaseException:
            if self._conn is None and self._reconnecting is None:
                self._bound.release()  # nothing is open: a later try may use another loop
                self._loop = None
            raise

    async def close(self) -> None:
        """Close the connection, stop reconnecting, end every update stream. On another
        event loop than the client's: WrongEventLoop while that loop still exists; once it
        has ended, the client forgets what it held there (its sockets went with it)."""
        try:
            self._bound.check()
        except WrongEventLoop:
            if self._loop is not None and not self._loop.is_closed():
                raise
            self._abandon()
            return
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
        self._unbind()
        if self.capture is not None:
            self.capture.close()

    def _unbind(self) -> None:
        """Forget the event loop: fresh loop-bound objects, the next use binds anew."""
        self._ready = asyncio.Event()
        self._backoff = Backoff(self.backoff_initial, self.backoff_max, self.healthy_after)
        self._reconnecting = None
        self._bound.release()
        self._loop = None

    def _abandon(self) -> None:
        """close() after the client's loop ended: drop every reference to that loop's
        objects without touching them (its transports and tasks are gone)."""
        self._closing = True
        self._conn, self._transport, self._wire = None, None, None
        self._pending.clear()
        self._deadlines.clear()
        self._outbox = []
        self._tasks.clear()
        for streams in self._streams.values():
            for stream in streams:
                stream._closed = True
        self._streams.clear()
        self._unbind()

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _connect_once(self, outage: tuple[float, str] | None = None) -> None:
        """One TCP connection and InitConnect; READY on return. With `outage` (started,
        reason) a Gap ending now is recorded once the session is READY, before anything it
        received is dispatched."""
        loop = asyncio.get_running_loop()
        wire = _Wire()
        try:
            await asyncio.wait_for(
                loop.create_connection(lambda: wire, self.host, self.port), timeout=self.connect_timeout
            )
        except TimeoutError:
            raise Timeout("futu", f"connecting to {self.host}:{self.port} took over {self.connect_timeout} s") from None
        except OSError as exc:
            raise ConnectionLost("futu", f"cannot connect to {self.host}:{self.port}: {exc}") from None
        cipher = SessionCipher(rsa_key=self._rsa_key)
        conn = OpenDConnection(cipher, self.max_body)
        if self.capture is not None:
            self._record(conn, self.capture)
        transport = wire.transport
        assert transport is not None  # connection_made has run
        try:
            transport.write(conn.initiate())
            ready, leftover = await asyncio.wait_for(self._handshake(conn, wire), timeout=self.connect_timeout)
        except BaseException as exc:
            wire.stop()
            transport.close()
            self._record_close(conn, "InitConnect did not complete")
            if isinstance(exc, VenueError):  # ours already (ConnectionLost is an OSError too)
                raise
            if isinstance(exc, TimeoutError):
                raise Timeout("futu", f"no InitConnect reply from {self.host}:{self.port}") from None
            if isinstance(exc, OSError):
                raise ConnectionLost("futu", f"InitConnect with {self.host}:{self.port} failed: {exc}") from None
            raise
        s2c = ready.s2c
        self.conn_id, self.login_user_id, self.server_ver = s2c.connID, s2c.loginUserID, s2c.serverVer
        self.keepalive_interval = self._clamped_keepalive(s2c.keepAliveInterval)
        self._conn, self._transport = conn, transport
        self._ready.set()
        self._backoff.connected(loop.time())
        wire.start(functools.partial(self._received, conn, loop.time), functools.partial(self._lost, conn))
        self._wire = wire
        self._spawn(self._keepalive_loop(conn))
        self._spawn(self._expire_loop(conn))
        log.info("connected to OpenD %s:%s connID=%s serverVer=%s", self.host, self.port, self.conn_id, self.server_ver)
        if outage is not None:
            self._record_gap(Gap(outage[0], time.time(), outage[1]))
        for event in leftover:  # what came in the same read as the InitConnect reply
            self._dispatch(event)

    def _clamped_keepalive(self, interval: int) -> float:
        """The peer's keepAliveInterval (s), clamped to the registry's bounds."""
        low, high = OPEND.keepalive_min_s, OPEND.keepalive_max_s
        clamped = min(max(float(interval), low), high)
        if clamped != interval:
            log.warning("OpenD %s:%s keepAliveInterval %s clamped to %g s", self.host, self.port, interval, clamped)
        return clamped

    async def _handshake(self, conn: OpenDConnection, wire: _Wire) -> tuple[Ready, list[Ready | Reply | Push]]:
        """Read until InitConnect's reply: (Ready, the events that followed it in the same read)."""
        while True:
            data = await wire.read()
            if not data:
                raise ConnectionLost("futu", f"{self.host}:{self.port} closed the connection during InitConnect")
            events = conn.receive_data(data)
            for i, event in enumerate(events):
                if isinstance(event, Ready):
                    return event, events[i + 1 :]

    def _received(self, conn: OpenDConnection, now: Callable[[], float], data: bytes) -> None:
        """Bytes read on `conn` (called by its `_Wire` in the loop turn that read them): every
        event dispatched; a bad frame, a VenueError or a bug drops the connection."""
        self._last_received = now()
        try:
            for event in conn.receive_data(data):
                self._dispatch(event)
            return
        except FrameError as exc:
            reason = f"bad frame: {exc}"
            log.warning("OpenD %s:%s sent a bad frame, closing: %s", self.host, self.port, exc)
        except VenueError as exc:
            reason = exc.message
        except OSError as exc:
            reason = f"read failed: {type(exc).__name__}: {exc}"
        except Exception as exc:  # a bug of ours: log it, never leave the connection hanging
            log.exception("OpenD %s:%s: reading failed", self.host, self.port)
            reason = f"internal error: {type(exc).__name__}"
        if self._conn is conn:
            self._drop(reason)

    def _lost(self, conn: OpenDConnection, exc: BaseException | None) -> None:
        """`conn`'s socket ended: the peer closed it (None) or it failed."""
        if exc is None:
            reason = "connection closed by peer"
        elif isinstance(exc, OSError):
            reason = f"read failed: {type(exc).__name__}: {exc}"
        else:
            log.error("OpenD %s:%s: the connection failed", self.host, self.port, exc_info=exc)
            reason = f"internal error: {type(exc).__name__}"
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
                await self.request(request, timeout=period)
            except ConnectionLost:
                return
            except VenueError as exc:  # Timeout, OpenDError, DecodeError: the read loop judges the peer
                log.debug("KeepAlive not answered: %s", exc)

    def _teardown(self, reason: str) -> bool:
        """Close the current connection and fail its pending requests. True if there was one."""
        conn, transport, wire = self._conn, self._transport, self._wire
        self._conn, self._transport, self._wire = None, None, None
        was_ready = self._ready.is_set()
        self._ready.clear()
        if conn is not None:
            conn.close()
            self._record_close(conn, reason)
        if wire is not None:
            wire.stop()
        if transport is not None:
            transport.close()
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

    def _record(self, conn: OpenDConnection, capture: Tap) -> None:
        """Record every frame of `conn` (its AES key and IV registered as secrets first)."""
        conn_id = self._recorded[conn] = capture.opened(f"tcp://{self.host}:{self.port}")
        conn.on_frame = functools.partial(capture.opend, conn_id)
        conn.on_secret = capture.secret

    def _record_close(self, conn: OpenDConnection, reason: str) -> None:
        conn_id = self._recorded.pop(conn, None)
        if conn_id is not None and self.capture is not None:
            self.capture.closed(conn_id, reason)

    def _drop(self, reason: str) -> None:
        """The connection failed: tear it down, then reconnect (one reconnect task at a
        time) or end the update streams."""
        if not self._teardown(reason) or self._closing:
            return
        loop = asyncio.get_running_loop()
        self._backoff.lost(loop.time())
        if self.reconnect:
            if self._reconnecting is None or self._reconnecting.done():
                self._reconnecting = loop.create_task(self._reconnect_loop(reason))
            return
        error = ConnectionLost("futu", f"connection to {self.host}:{self.port} lost: {reason}")
        for streams in self._streams.values():
            for stream in streams:
                stream._finish(error)

    async def _reconnect_loop(self, reason: str) -> None:
        """Reconnect until it works or the client closes; each wait is the shared Backoff's."""
        loop = asyncio.get_running_loop()
        outage: tuple[float, str] | None = (time.time(), reason)
        while not self._closing:
            await asyncio.sleep(self._backoff.delay())
            try:
                await self._connect_once(outage)
                outage = None  # the Gap is recorded: a failure from here on is a new outage
                await self._restore_subscriptions()
                for hook in list(self._reconnect_hooks):
                    await hook()
            except (VenueError, OSError) as exc:
                log.info("reconnect to %s:%s failed: %s", self.host, self.port, exc)
                self._teardown(f"reconnect attempt failed: {exc}")
                self._backoff.lost(loop.time())
                outage = outage or (time.time(), f"reconnect attempt failed: {exc}")
                continue
            log.info("reconnected to %s:%s", self.host, self.port)
            return

    def _record_gap(self, gap: Gap) -> None:
        self.gaps.append(gap)
        self.stats.reconnects += 1
        for streams in self._streams.values():
            for stream in streams:
                stream._put(gap)

    async def _restore_subscriptions(self) -> None:
        """One Qot_Sub per set of (sub types, push) for every security that has it."""
        groups: dict[tuple[tuple[int, ...], bool], list[tuple[int, str]]] = {}
        for key, sub in self._subscriptions.items():
            if sub.sub_types:
                groups.setdefault((tuple(sorted(sub.sub_types)), sub.push), []).append(key)
        for (sub_types, push), keys in groups.items():
            await self._sub(keys, sub_types, subscribe=True, push=push)

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
            self._on_push(event.proto_id, event.body)

    def _on_push(self, proto_id: int, body: bytes) -> None:
        """Decode a push for the streams of its protoID; count and log one no stream takes."""
        self.stats.pushes_received += 1
        streams = self._streams.get(proto_id)
        route = dispatch.PUSHES.get(proto_id)
        if not streams or route is None:
            self.stats.pushes_unrouted += 1
            log.debug(
                "OpenD push protoID=%s (%s) taken by no stream (%s)",
                proto_id,
                _protocol_name(proto_id),
                "no proto declared" if route is None else "no stream open",
            )
            return
        try:
            s2c = _push_s2c(route, body, self._unknowns)
        except DecodeError as exc:
            self._push_failed(route, streams, exc, body)
            return
        key = _security_key(s2c)
        for stream in streams:
            if stream.wants(key):
                stream._put(s2c, key)

    def _push_failed(self, route: PushRoute, streams: list[PushStream[Any]], error: DecodeError, body: bytes) -> None:
        """A push that did not decode: a DecodeFailure for the streams of its security
        (every stream of its protoID when its security cannot be read), counted and logged."""
        self.stats.decode_errors += 1
        log.warning("OpenD %s:%s: undecodable %s push: %s", self.host, self.port, route.name, error)
        key = _lenient_security_key(route, body)
        failure = DecodeFailure(error, body[:RAW_KEPT])
        for stream in streams:
            if stream.wants(key):
                stream._put(failure)

    def _streams_remove(self, stream: PushStream[Any]) -> None:
        streams = self._streams.get(stream.route.proto_id)
        if streams and stream in streams:
            streams.remove(stream)

    def _count_drop(self) -> None:
        self.stats.pushes_dropped += 1

    # ------------------------------------------------------------------ requests
    async def _exchange(
        self, proto_id: int, request: bytes, response_cls: type[Message], within: float | None
    ) -> bytes:
        """Send one encoded request body and return its reply's body within `within` seconds
        (default `timeout`): waiting for a reconnection first if need be, paired on (protoID,
        serialNo); Timeout, or ConnectionLost when the connection goes."""
        limit = self.timeout if within is None else within
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
        if conn is None or self._transport is None:
            raise ConnectionLost("futu", f"{_request_name(response_cls)}: not connected to {self.host}:{self.port}")
        serial, frame = conn.send_body(proto_id, request)
        future: asyncio.Future[bytes] = loop.create_future()
        key = (proto_id, serial)
        self._pending[key] = future
        self._deadlines[key] = (deadline, limit, response_cls)
        self.stats.requests += 1
        self._write(frame)
        try:
            return await future  # fails with Timeout (see _expire) or ConnectionLost
        finally:
            self._pending.pop(key, None)
            self._deadlines.pop(key, None)

    def _response(self, body: bytes, response_cls: type[R]) -> R:
        """The Response of a reply body: decoded and checked (DecodeError, counted), its unknown
        fields sampled, retType checked (OpenDError)."""
        if response_cls is Qot_GetOrderBook_pb2.Response:
            fast = checked_reply(body, Qot_GetOrderBook_pb2.Response)
            if fast is not None:  # the book's fast path read it whole: what decode_proto would accept
                self._unknowns.check(fast, len(body), _response_label(response_cls))
                return cast(R, fast)
        try:
            response = decode_proto(response_cls, body)
        except DecodeError:
            self.stats.decode_errors += 1
            raise
        self._unknowns.check(response, len(body), _response_label(response_cls))
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
        elif self._transport is not None:
            self._transport.write(frame)

    def _flush(self) -> None:
        frames, self._outbox = self._outbox, []
        if self._transport is not None and frames:
            self._transport.write(b"".join(frames))

    async def _expire_loop(self, conn: OpenDConnection) -> None:
        """Every TIMEOUT_TICK s: fail requests past their deadline with Timeout, and drop
        the connection when nothing was received for dead_peer_factor x keepAliveInterval."""
        assert self.keepalive_interval is not None
        idle_limit = self.idle_timeout or OPEND.dead_peer_factor * self.keepalive_interval
        loop = asyncio.get_running_loop()
        self._last_received = loop.time()
        self._watch_streams(started=True)
        while self._conn is conn:
            await asyncio.sleep(TIMEOUT_TICK)
            now = loop.time()
            if now - self._last_received > idle_limit:
                self._drop(f"nothing received for {idle_limit:g} s (dead peer)")
                return
            silence = self._watch_streams()
            if silence is not None:
                self.stats.stale_reconnects += 1
                log.warning("OpenD %s:%s: %s; reconnecting", self.host, self.port, silence)
                self._drop(silence)
                return
            expired = [key for key, (deadline, _, _) in self._deadlines.items() if deadline <= now]
            for key in expired:
                _, limit, response_cls = self._deadlines.pop(key)
                future = self._pending.pop(key, None)
                if future is not None and not future.done():
                    name = _request_name(response_cls)
                    future.set_exception(Timeout("futu", f"{name} (serialNo {key[1]}) got no reply within {limit:g} s"))

    def _watch_streams(self, *, started: bool = False) -> str | None:
        """Each watched stream's silence: its Stale events queued (and counted); the reason
        to reconnect when one security was silent past `reconnect_after`. `started`: a
        session just began (each watch's reconnect clock restarts)."""
        now = time.monotonic()
        reason: str | None = None
        for streams in list(self._streams.values()):
            for stream in streams:
                if stream.watch is None:
                    continue
                if started:
                    stream.watch.started(now)
                    continue
                events, why = stream._check_silence(now)
                self.stats.stale_events += len(events)
                for event in events:
                    log.warning(
                        "OpenD: no %s push for %s for %.3g s (stale)",
                        stream.route.name,
                        event.subscription,
                        event.silent_for,
                    )
                reason = reason or why
        return reason

    async def _request(self, message: object, within: float | None) -> Message:
        """`request()`: refuse what the registry does not declare (InvalidRequest) and what
        misses required fields (MissingRequiredFields) before sending; then send it and return
        its Response (retType checked) within `within` seconds (default `timeout`)."""
        self._bound.check()
        route = dispatch.REQUESTS.get(type(message)) if isinstance(message, Message) else None
        if route is None or not isinstance(message, Message):
            kind = type(message)
            name = kind.DESCRIPTOR.full_name if issubclass(kind, Message) else kind.__qualname__
            raise InvalidRequest(
                "futu", f"{name} is not a request message the registry declares (schemas/registry.toml opend.protocols)"
            )
        if not message.IsInitialized():
            encode_proto(message)  # raises MissingRequiredFields naming each field
        within = None if within is None else positive_seconds("timeout", within)
        # Initialized, as just checked: serialized as it is.
        body = await self._exchange(route.proto_id, message.SerializePartialToString(), route.response, within)
        return self._response(body, route.response)

    def _pushes(self, response: object) -> PushStream[Any]:
        """`pushes()`: a new stream of the push protocol whose Response class is `response`."""
        route = next((r for r in dispatch.PUSHES.values() if r.response is response), None)
        if route is None:
            name = (
                response.DESCRIPTOR.full_name
                if isinstance(response, type) and issubclass(response, Message)
                else repr(response)
            )
            raise InvalidRequest("futu", f"{name} is not the Response of a push protocol the registry declares")
        return self._open_stream(PushStream(route, self.buffer, **self._stream_hooks(route.proto_id)))

    def _stream_hooks(self, proto_id: int | None = None) -> dict[str, Any]:
        hooks: dict[str, Any] = {
            "check": self._bound.check,
            "on_drop": self._count_drop,
            "on_close": self._streams_remove,
        }
        if proto_id in _QUOTE_PUSHES:
            hooks["watch"] = SilenceWatch("futu", *self._silence)
        return hooks

    def _open_stream(self, stream: PushStream[Any]) -> PushStream[Any]:
        if self._closing:
            stream._finish()
        else:
            self._streams.setdefault(stream.route.proto_id, []).append(stream)
        return stream

    async def get_global_state(self) -> GetGlobalState_pb2.S2C:
        """Market states and login state (GetGlobalState, protoID 1002)."""
        self._bound.check()
        request = GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=self.login_user_id or 0))
        response = await self.request(request)
        return response.s2c

    def _sub_args(
        self, what: str, symbols: Iterable[str], sub_types: Iterable[SubType | int]
    ) -> tuple[list[tuple[int, str]], list[int]]:
        """The (market, code) keys and sub types of a (un)subscribe call, checked."""
        self._bound.check()
        keys = [parse_symbol(s) for s in symbols]
        types = [int(t) for t in sub_types]
        if not keys or not types:
            raise ValueError(f"{what} needs at least one symbol and one sub type")
        return keys, types

    async def _sub(
        self, keys: Sequence[tuple[int, str]], sub_types: Sequence[int], subscribe: bool, push: bool
    ) -> None:
        c2s = Qot_Sub_pb2.C2S(isSubOrUnSub=subscribe, isRegOrUnRegPush=push)
        for market, code in keys:
            c2s.securityList.add(market=market, code=code)
        c2s.subTypeList.extend(int(t) for t in sub_types)
        if subscribe and push:
            c2s.isFirstPush = True
        await self.request(Qot_Sub_pb2.Request(c2s=c2s))

    async def subscribe(
        self, symbols: Iterable[str], sub_types: Iterable[SubType | int] = (SubType.OrderBook,), push: bool = True
    ) -> None:
        """Subscribe securities ("HK.00700") to quote types; with `push`, OpenD pushes updates.
        Subscriptions are remembered and restored after a reconnect."""
        keys, types = self._sub_args("subscribe", symbols, sub_types)
        await self._sub(keys, types, subscribe=True, push=push)
        for key in keys:
            sub = self._subscriptions.setdefault(key, _Subscription())
            sub.sub_types.update(types)
            sub.push = sub.push or push

    async def unsubscribe(
        self, symbols: Iterable[str], sub_types: Iterable[SubType | int] = (SubType.OrderBook,)
    ) -> None:
        """Cancel subscriptions. OpenD refuses (OpenDError, retType -1) to cancel one made less
        than a minute ago (OPEND.unsubscribe_after_s); a refused one stays recorded and is
        restored after a reconnect."""
        keys, types = self._sub_args("unsubscribe", symbols, sub_types)
        await self._sub(keys, types, subscribe=False, push=False)
        for key in keys:
            sub = self._subscriptions.get(key)
            if sub is not None:
                sub.sub_types.difference_update(types)
                if not sub.sub_types:
                    del self._subscriptions[key]

    async def get_order_book(self, symbol: str, num: int = 10) -> Qot_GetOrderBook_pb2.S2C:
        """One order-book snapshot (Qot_GetOrderBook, protoID 3012). The symbol must be
        subscribed to SubType.OrderBook first, as OpenD requires. DecodeError (naming the
        field) when a price, hpVolume or timestamp is NaN, infinite or out of range."""
        self._bound.check()
        if num < 1:
            raise ValueError(f"num must be at least 1, got {num}")
        response = await self.request(self._book_request(symbol, num))
        try:
            check_s2c(response.s2c, "Qot_GetOrderBook.S2C")
        except DecodeError:
            self.stats.decode_errors += 1
            raise
        return response.s2c

    def _book_request(self, symbol: str, num: int) -> Qot_GetOrderBook_pb2.Request:
        """A new Qot_GetOrderBook Request of `symbol` (ValueError when malformed) and `num`,
        parsed from the bytes kept for the pair (the symbol is parsed once)."""
        key = (symbol, num)
        kept = self._book_requests.get(key) if type(symbol) is str and type(num) is int else None
        if kept is not None:
            return Qot_GetOrderBook_pb2.Request.FromString(kept)
        c2s = Qot_GetOrderBook_pb2.C2S(security=to_security(symbol), num=num)
        request = Qot_GetOrderBook_pb2.Request(c2s=c2s)
        if type(symbol) is str and type(num) is int:
            if len(self._book_requests) >= BOOK_REQUESTS_KEPT:
                self._book_requests.clear()
            self._book_requests[key] = request.SerializeToString()
        return request

    def depth_stream(self, symbols: str | Sequence[str]) -> BookStream:
        """Normalized order books of `symbols` ("HK.00700" or a sequence of them) from
        Qot_UpdateOrderBook pushes: `OrderBook`s (`raw`: the push's typed S2C), a `Gap` after
        each reconnect, a `DecodeFailure` for a push that does not decode. The first `anext`
        subscribes them to SubType.OrderBook with push (OpenDError / Timeout when refused);
        the stream holds at most `buffer` items (the oldest dropped). ValueError for a bad
        symbol at once."""
        names = (symbols,) if isinstance(symbols, str) else tuple(symbols)
        if not names:
            raise ValueError("depth_stream needs at least one symbol")
        keys = [parse_symbol(s) for s in names]
        route = dispatch.PUSHES[OpenDProtoID.Qot_UpdateOrderBook]
        pushes: PushStream[Qot_UpdateOrderBook_pb2.S2C] = PushStream(
            route, self.buffer, keys=keys, **self._stream_hooks(route.proto_id)
        )
        self._open_stream(pushes)
        return BookStream(pushes, names, lambda: self.subscribe(names, (SubType.OrderBook,), push=True))

    # ------------------------------------------------------------------ quotes, trades, candles
    def _checked(self, build: Callable[[], R2]) -> R2:
        try:
            return build()
        except DecodeError:
            self.stats.decode_errors += 1
            raise

    async def get_quotes(self, symbols: str | Sequence[str]) -> list[Quote]:
        """Normalized quotes of `symbols` (Qot_GetBasicQot, protoID 3004), in OpenD's order,
        each with its `Qot_Common_pb2.BasicQot` as `raw`. Each symbol must be subscribed to
        SubType.Basic first (OpenD refuses otherwise: OpenDError). DecodeError naming the
        field for a NaN, infinite or out-of-range value."""
        self._bound.check()
        names = _names(symbols, "get_quotes")
        c2s = Qot_GetBasicQot_pb2.C2S(securityList=[to_security(n) for n in names])
        response = await self.request(Qot_GetBasicQot_pb2.Request(c2s=c2s))
        return self._checked(lambda: quotes_from_s2c(response.s2c))

    async def get_trades(self, symbol: str, num: int = 100) -> list[Trade]:
        """The latest `num` trades of `symbol` (Qot_GetTicker, protoID 3010), oldest first,
        each with its `Qot_Common_pb2.Ticker` as `raw`. Subscribe to SubType.Ticker first."""
        self._bound.check()
        if num < 1:
            raise ValueError(f"num must be at least 1, got {num}")
        c2s = Qot_GetTicker_pb2.C2S(security=to_security(symbol), maxRetNum=num)
        response = await self.request(Qot_GetTicker_pb2.Request(c2s=c2s))
        return self._checked(lambda: trades_from_s2c(response.s2c))

    async def get_candles(
        self,
        symbol: str,
        kl_type: KLType | int = KLType.Day,
        *,
        num: int = 100,
        rehab_type: RehabType | int = RehabType.Forward,
    ) -> list[Candle]:
        """The latest `num` candles of `kl_type` (Qot_GetKL, protoID 3006), oldest first, each
        with its `Qot_Common_pb2.KLine` as `raw`. Subscribe to the candle sub type of
        `kl_type` first (`venuewire.opend.quotes.kl_sub_type`, e.g. SubType.KL_Day)."""
        self._bound.check()
        kl_sub_type(kl_type)  # ValueError for a KLType without candles
        if num < 1:
            raise ValueError(f"num must be at least 1, got {num}")
        c2s = Qot_GetKL_pb2.C2S(
            rehabType=int(rehab_type), klType=int(kl_type), security=to_security(symbol), reqNum=num
        )
        response = await self.request(Qot_GetKL_pb2.Request(c2s=c2s))
        return self._checked(lambda: candles_from_s2c(response.s2c, int(kl_type)))

    async def history_candles(
        self,
        symbol: str,
        begin: str,
        end: str,
        *,
        kl_type: KLType | int = KLType.Day,
        max_count: int = 1000,
        rehab_type: RehabType | int = RehabType.Forward,
    ) -> list[Candle]:
        """Candles of `kl_type` from `begin` to `end` ("2025-04-01" or "2025-04-01 09:30:00",
        the market's own time, as OpenD takes them) by Qot_RequestHistoryKL (protoID 3103),
        at most `max_count` (one page; no subscription needed), oldest first."""
        self._bound.check()
        kl_sub_type(kl_type)
        if max_count < 1:
            raise ValueError(f"max_count must be at least 1, got {max_count}")
        c2s = Qot_RequestHistoryKL_pb2.C2S(
            rehabType=int(rehab_type),
            klType=int(kl_type),
            security=to_security(symbol),
            beginTime=begin,
            endTime=end,
            maxAckKLNum=max_count,
        )
        response = await self.request(Qot_RequestHistoryKL_pb2.Request(c2s=c2s))
        return self._checked(lambda: candles_from_s2c(response.s2c, int(kl_type)))

    def _normalized(
        self,
        proto_id: int,
        symbols: str | Sequence[str],
        sub_type: int,
        normalize: Callable[[Any, frozenset[tuple[int, str]]], list[Any]],
        what: str,
    ) -> NormalizedStream[Any, Any]:
        names = _names(symbols, what)
        keys = frozenset(parse_symbol(n) for n in names)
        pushes: PushStream[Any] = PushStream(
            dispatch.PUSHES[proto_id], self.buffer, keys=keys, **self._stream_hooks(proto_id)
        )
        self._open_stream(pushes)
        return NormalizedStream(
            pushes, names, lambda: self.subscribe(names, (sub_type,), push=True), lambda s2c: normalize(s2c, keys)
        )

    def quote_stream(self, symbols: str | Sequence[str]) -> QuoteStream:
        """Normalized quotes of `symbols` from Qot_UpdateBasicQot pushes (`raw`: the BasicQot),
        a `Gap` after each reconnect, a `DecodeFailure` for a push that does not decode. The
        first `anext` subscribes them to SubType.Basic with push; the subscription is restored
        after a reconnect. ValueError for a bad symbol at once."""
        return self._normalized(OpenDProtoID.Qot_UpdateBasicQot, symbols, SubType.Basic, _quotes_of, "quote_stream")

    def trade_stream(self, symbols: str | Sequence[str]) -> TradeStream:
        """Normalized trades of `symbols` from Qot_UpdateTicker pushes (`raw`: the Ticker row),
        one item per row, with Gap and DecodeFailure events; subscribes to SubType.Ticker with
        push on the first `anext`."""
        return self._normalized(
            OpenDProtoID.Qot_UpdateTicker,
            symbols,
            SubType.Ticker,
            lambda s2c, _keys: trades_from_s2c(s2c),
            "trade_stream",
        )

    def candle_stream(self, symbols: str | Sequence[str], kl_type: KLType | int = KLType.KLType_1Min) -> CandleStream:
        """Normalized candles of `kl_type` of `symbols` from Qot_UpdateKL pushes (`raw`: the
        KLine; each push holds the candle being formed, so the same period comes again as it
        grows), with Gap and DecodeFailure events; subscribes to the candle sub type of
        `kl_type` with push on the first `anext`. ValueError for a KLType without candles."""
        kl = int(kl_type)
        return self._normalized(
            OpenDProtoID.Qot_UpdateKL,
            symbols,
            kl_sub_type(kl),
            lambda s2c, _keys: candles_from_s2c(s2c) if s2c.klType == kl else [],
            "candle_stream",
        )

    def order_book_updates(self, symbol: str) -> UpdateStream:
        """Qot_UpdateOrderBook pushes for `symbol`, from now on, in arrival order, with Gap
        and DecodeFailure events (see UpdateStream). Subscribe with push=True for OpenD to
        send them."""
        route = dispatch.PUSHES[OpenDProtoID.Qot_UpdateOrderBook]
        stream = UpdateStream(route, self.buffer, key=parse_symbol(symbol), **self._stream_hooks(route.proto_id))
        self._open_stream(stream)
        return stream


def _names(symbols: str | Sequence[str], what: str) -> tuple[str, ...]:
    names = (symbols,) if isinstance(symbols, str) else tuple(symbols)
    if not names:
        raise ValueError(f"{what} needs at least one symbol")
    for name in names:
        parse_symbol(name)  # ValueError naming a bad one
    return names


def _quotes_of(s2c: Qot_UpdateBasicQot_pb2.S2C, keys: frozenset[tuple[int, str]]) -> list[Quote]:
    """The quotes of a Qot_UpdateBasicQot push for the securities in `keys` (a push may hold
    several securities' quotes)."""
    mine = Qot_UpdateBasicQot_pb2.S2C()
    mine.basicQotList.extend(q for q in s2c.basicQotList if (q.security.market, q.security.code) in keys)
    return quotes_from_s2c(mine) if len(mine.basicQotList) != len(s2c.basicQotList) else quotes_from_s2c(s2c)


def _protocol_name(proto_id: int) -> str:
    try:
        return OpenDProtoID(proto_id).name
    except ValueError:
        return "not in the registry"


def _push_s2c(route: PushRoute, body: bytes, unknowns: ProtoUnknownFields) -> Any:
    """The checked S2C of a push (retType 0, s2c present, values checked) or DecodeError;
    its unknown fields counted in `unknowns`."""
    response = decode_proto(route.response, body)
    unknowns.check(response, len(body), f"futu/{route.name}.Response")
    result = cast(_HasRetType, response)
    if result.retType != RetType.Succeed:
        detail = f"a push with retType {result.retType}: {result.retMsg or 'no message'}"
        raise DecodeError("futu", f"{route.name}.Response", ("retType",), detail)
    if not response.HasField("s2c"):
        raise DecodeError("futu", f"{route.name}.Response", ("s2c",), "a push without s2c")
    s2c = cast(Any, response).s2c
    check = S2C_CHECKS.get(route.s2c)
    if check is not None:
        check(s2c, f"{route.name}.S2C")
    return s2c


def _security_key(s2c: Message) -> tuple[int, str] | None:
    """(market, code) of a push's S2C about one security; None for other pushes."""
    if "security" in s2c.DESCRIPTOR.fields_by_name and s2c.HasField("security"):
        security = cast(Any, s2c).security
        return (security.market, security.code)
    return None


def _lenient_security_key(route: PushRoute, body: bytes) -> tuple[int, str] | None:
    """(market, code) of a push that failed its checks, read leniently; None if unreadable."""
    try:
        response = route.response.FromString(body)
    except Exception:  # garbage: no security to name
        return None
    if "s2c" in response.DESCRIPTOR.fields_by_name and response.HasField("s2c"):
        return _security_key(cast(Any, response).s2c)
    return None


__all__ = [
    "BookStream",
    "CandleStream",
    "ClientStats",
    "Gap",
    "OpenDClient",
    "OpenDError",
    "PushStream",
    "QuoteStream",
    "TradeStream",
    "UpdateItem",
    "UpdateStream",
]
