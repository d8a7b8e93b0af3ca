"""The one I/O layer the JSON venues share (aiohttp): HTTP requests, a rate limiter, and
a reconnecting WebSocket stream engine. Venue logic stays pure and is passed in as a
`WsProtocol`; this module only moves bytes, keeps time and turns failures into
`venuewire.errors` types.

Stream policy (the same for every venue, and for OpenD's update streams):
- reconnect with capped exponential backoff and jitter; after each reconnect the protocol's
  opening frames (login, subscribe) are sent again and a `Gap` event is yielded;
- a message that does not decode is yielded as a `DecodeFailure` event and the stream goes
  on; nothing raises into the caller's loop except the end of the stream;
- slow consumers: at most `buffer` items wait; when full the oldest is dropped and counted
  in `stream.dropped` (books are full snapshots, so the newest supersedes the oldest);
- a protocol ends the stream on purpose with `Reaction(fatal=error)` (e.g. the venue refused
  the login or a subscription, which no reconnect can fix): the connection is closed, nothing
  reconnects, and the iterator raises `error` once the items already received are consumed;
- handshake refusals: HTTP 401/403 is an `AuthError` that ends the stream at once. HTTP 429 is
  `RateLimited` (`retry_after` from the Retry-After header, seconds or an HTTP date). On the
  first connection it is raised to the caller, like every first-connection failure (the caller
  chooses when to try again). On a reconnect the stream keeps retrying, because a rate limit
  passes: the next attempt waits for the backoff delay or Retry-After, whichever is longer, and
  the backoff keeps doubling (up to `backoff_max`) while the venue keeps refusing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final, Generic, Protocol, TypeVar

import aiohttp
import yarl

from venuewire.errors import AuthError, ConnectionLost, RateLimited, Timeout, VenueError, WrongEventLoop, retry_after
from venuewire.events import DecodeFailure, Gap, StreamEvent

log = logging.getLogger("venuewire.transport")

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Frame = str | bytes


# ---------------------------------------------------------------------------- rate limiting
class RateLimiter:
    """At most `limit` acquisitions in any `per` seconds (sliding window); `acquire` waits."""

    def __init__(self, limit: int, per: float) -> None:
        if limit < 1 or per <= 0:
            raise ValueError("a rate limit needs limit >= 1 and per > 0")
        self.limit, self.per = limit, per
        self._times: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                while self._times and now - self._times[0] >= self.per:
                    self._times.popleft()
                if len(self._times) < self.limit:
                    self._times.append(now)
                    return
                await asyncio.sleep(self.per - (now - self._times[0]))


def positive_seconds(name: str, value: float) -> float:
    """`value` as a float when it is a positive int or float (not a bool); otherwise a
    ValueError naming `name`. Every client checks its timeouts and intervals with it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


# ---------------------------------------------------------------------------- reconnect policy
class Backoff:
    """The one reconnect policy (pure: the caller passes the clock): capped exponential
    backoff with jitter, that resets only after a session stayed healthy.

    `delay()` is the wait before the next attempt: `initial` doubling per failed attempt or
    short session up to `cap`, times a jitter in [0.5, 1.0]. A connection that opens and is
    closed again within `healthy_after` seconds (a peer that accepts and drops at once, or
    closes right after the login) counts as a failure, so such a peer sees ever fewer
    attempts instead of a storm; only a session that lasted `healthy_after` seconds resets
    the delay to `initial`."""

    def __init__(
        self, initial: float = 0.1, cap: float = 10.0, healthy_after: float = 10.0, *, jitter: bool = True
    ) -> None:
        if not (0 < initial <= cap) or healthy_after < 0:
            raise ValueError("backoff needs 0 < initial <= cap and healthy_after >= 0")
        self.initial, self.cap, self.healthy_after = initial, cap, healthy_after
        self._jitter = jitter
        self._next = initial
        self._since: float | None = None
        self.failures = 0
        """Attempts or sessions that failed since the last healthy session."""

    def connected(self, now: float) -> None:
        """A connection (handshake, login) succeeded at `now` (monotonic seconds)."""
        self._since = now

    def lost(self, now: float) -> None:
        """The session ended at `now`: reset when it lasted `healthy_after`, else count a failure."""
        since, self._since = self._since, None
        if since is not None and now - since >= self.healthy_after:
            self._next, self.failures = self.initial, 0

    def delay(self) -> float:
        """Seconds to wait before the next attempt; each call doubles the one after (to `cap`)."""
        base = self._next
        self._next = min(base * 2, self.cap)
        self.failures += 1
        return base * (random.uniform(0.5, 1.0) if self._jitter else 1.0)


class LoopBound:
    """Binds a client to the event loop it is first used on. `check()` (call it at the start
    of every public coroutine) raises WrongEventLoop at once on another loop, instead of the
    hang or raw RuntimeError asyncio gives for futures and sessions of a foreign loop.
    `release()` (on close) lets the next use bind to a new loop."""

    def __init__(self, venue: str, what: str = "client") -> None:
        self.venue, self.what = venue, what
        self._loop: asyncio.AbstractEventLoop | None = None

    def check(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            where = "an event loop that has ended" if self._loop.is_closed() else "another event loop"
            raise WrongEventLoop(
                self.venue,
                f"this {self.what} is still open on {where} (e.g. an earlier asyncio.run); "
                "close it on the loop that opened it, or create one per event loop",
            )
        return loop

    def release(self) -> None:
        self._loop = None


# ---------------------------------------------------------------------------- HTTP
@dataclass(frozen=True, slots=True)
class HttpReply:
    status: int
    headers: Mapping[str, str]
    body: bytes


IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})


def _no_silent_retry(session: aiohttp.ClientSession) -> aiohttp.ClientSession:
    """Turn off aiohttp's own retry: when a kept-alive connection turns out to be closed by
    the server (ServerDisconnectedError, ClientOSError), aiohttp sends an idempotent request
    again on a new connection, once, without telling anyone, so that second attempt would
    pass no rate limiter. `Http.request` makes that retry itself, through the limiter.
    (aiohttp has no public switch; its own test client flips the same attribute.)"""
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False
    return session


class Http:
    """HTTP for one venue: `request` sends exactly the URL and body given (the query is
    not re-encoded, so what was signed is what is sent), with a timeout, and maps network
    failures to ConnectionLost / Timeout naming the venue.

    Every attempt that reaches the wire takes a `limiter` slot first. An idempotent request
    (GET, ...) whose connection the server closed before answering (typically a kept-alive
    connection it had already dropped) is sent once more, through the limiter again;
    aiohttp's silent retry of the same case is turned off on the session (`session`, given
    or own), since it would bypass the limiter.
    """

    def __init__(
        self,
        venue: str,
        base_url: str,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.venue = venue
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.limiter = limiter
        self.attempts = 0
        """Requests put on the wire so far, retries included (each took a limiter slot)."""
        self._session = session
        self._own_session = session is None

    async def __aenter__(self) -> Http:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
            self._own_session = True
        return _no_silent_retry(self._session)

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
        self._session = None

    def url(self, path_and_query: str) -> yarl.URL:
        return yarl.URL(self.base_url + path_and_query, encoded=True)

    async def request(
        self, method: str, path_and_query: str, *, headers: Mapping[str, str] | None = None, body: bytes | None = None
    ) -> HttpReply:
        url = self.url(path_and_query)
        attempts = 2 if method.upper() in IDEMPOTENT_METHODS else 1
        for attempt in range(1, attempts + 1):
            if self.limiter is not None:
                await self.limiter.acquire()
            self.attempts += 1
            try:
                async with asyncio.timeout(self.timeout):
                    async with self.session().request(method, url, headers=dict(headers or {}), data=body) as response:
                        data = await response.read()
                        return HttpReply(response.status, dict(response.headers), data)
            except TimeoutError:
                raise Timeout(self.venue, f"{method} {url.path} got no reply within {self.timeout:g} s") from None
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
                if attempt < attempts and not isinstance(exc, aiohttp.ClientConnectorError):
                    log.debug("%s: %s %s: %s; sending it again", self.venue, method, url.path, type(exc).__name__)
                    continue
                raise ConnectionLost(self.venue, f"{method} {url.path} failed: {type(exc).__name__}: {exc}") from None
            except aiohttp.ClientError as exc:
                raise ConnectionLost(self.venue, f"{method} {url.path} failed: {type(exc).__name__}: {exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------- WebSocket streams
@dataclass(slots=True)
class Reaction(Generic[T]):
    """What a protocol makes of one incoming message: items for the caller, frames to send,
    and `fatal`: when set, the stream ends with this error after delivering `items` and
    sending `send` (the connection is closed and never reopened, whatever `reconnect` says)."""

    items: list[T | DecodeFailure] = field(default_factory=list)
    send: list[Frame] = field(default_factory=list)
    fatal: VenueError | None = None


class _StreamEnded(Exception):
    """Raised inside the reader when a protocol's reaction is fatal; carries the error."""

    def __init__(self, error: VenueError) -> None:
        super().__init__(error.message)
        self.error = error


class WsProtocol(Protocol[T]):
    """The venue-specific, pure half of a WebSocket stream."""

    venue: str

    def url(self) -> str:
        """The URL to connect to (query included)."""
        ...

    def opening(self) -> list[Frame]:
        """Frames to send right after (re)connecting: login, subscriptions."""
        ...

    def receive(self, data: Frame) -> Reaction[T]:
        """Decode one message; never raises (a bad message becomes a DecodeFailure)."""
        ...

    def heartbeat(self) -> tuple[float, Frame] | None:
        """(interval in seconds, frame) to send periodically, or None."""
        ...


@dataclass(slots=True)
class StreamStats:
    received: int = 0
    yielded: int = 0
    dropped: int = 0
    decode_errors: int = 0
    reconnects: int = 0
    frames_sent: int = 0


class WsStream(AsyncIterator["T | StreamEvent"], Generic[T]):
    """A reconnecting WebSocket stream of a protocol's items plus `Gap` and
    `DecodeFailure` events. Iterate with `async for`; `aclose()` (or `async with`) stops it.
    A first connection that fails raises ConnectionLost/Timeout/AuthError/RateLimited from the
    iterator; later failures reconnect (when `reconnect`; after an HTTP 429 no sooner than its
    Retry-After), or end the stream with ConnectionLost (RateLimited after a 429). An
    AuthError at the handshake and a protocol's `Reaction(fatal=...)` always end the stream."""

    def __init__(
        self,
        protocol: WsProtocol[T],
        *,
        session: aiohttp.ClientSession | None = None,
        buffer: int = 1024,
        reconnect: bool = True,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        connect_timeout: float = 10.0,
        idle_timeout: float | None = None,
        send_limiter: RateLimiter | None = None,
        max_message_size: int = 16 * 1024 * 1024,
    ) -> None:
        if buffer < 1:
            raise ValueError("buffer must be at least 1")
        self.protocol = protocol
        self.venue = protocol.venue
        self.stats = StreamStats()
        self.gaps: list[Gap] = []
        self._session = session
        self._own_session = session is None
        self._maxlen = buffer
        self._items: deque[T | StreamEvent] = deque()
        self._wakeup = asyncio.Event()
        self._reconnect = reconnect
        self._backoff = (backoff_initial, backoff_max)
        self._connect_timeout = connect_timeout
        self._idle_timeout = idle_timeout
        self._limiter = send_limiter
        self._max_message_size = max_message_size
        self._task: asyncio.Task[None] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._error: VenueError | None = None
        self._closed = False
        self._ever_connected = False
        self._outage: tuple[float, str] | None = None
        self.connected = asyncio.Event()

    @property
    def dropped(self) -> int:
        return self.stats.dropped

    # -- consumer side
    def __aiter__(self) -> WsStream[T]:
        return self

    async def __anext__(self) -> T | StreamEvent:
        if self._task is None and not self._closed:
            self._task = asyncio.get_running_loop().create_task(self._run())
        while not self._items:
            if (self._task is not None and self._task.done()) or self._closed:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        self.stats.yielded += 1
        return self._items.popleft()

    async def __aenter__(self) -> WsStream[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._ws is not None:
            await self._ws.close()
        if self._own_session and self._session is not None:
            await self._session.close()
        self._wakeup.set()

    async def send(self, frame: Frame) -> None:
        """Send a frame on the current connection (rate limited when a limiter is set)."""
        ws = self._ws
        if ws is None or ws.closed:
            raise ConnectionLost(self.venue, "the stream is not connected")
        if self._limiter is not None:
            await self._limiter.acquire()
        if isinstance(frame, bytes):
            await ws.send_bytes(frame)
        else:
            await ws.send_str(frame)
        self.stats.frames_sent += 1

    # -- producer side
    def _put(self, item: T | StreamEvent) -> None:
        if len(self._items) >= self._maxlen:
            self._items.popleft()
            self.stats.dropped += 1
        self._items.append(item)
        self._wakeup.set()

    async def _run(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        delay = self._backoff[0]
        try:
            while not self._closed:
                at_least = 0.0
                try:
                    await self._connect_and_read()
                    reason = "connection closed by the venue"
                    delay = self._backoff[0]
                except _StreamEnded as ended:  # the protocol ended the stream on purpose
                    self._error = ended.error
                    return
                except AuthError as exc:  # credentials refused: retrying cannot help
                    self._error = exc
                    return
                except RateLimited as exc:
                    if not self._ever_connected or not self._reconnect:
                        self._error = exc
                        return
                    reason = exc.message
                    at_least = exc.retry_after or 0.0
                except VenueError as exc:
                    if not self._ever_connected:  # the first connection failed: tell the caller
                        self._error = exc
                        return
                    reason = exc.message
                if not self._reconnect:
                    self._error = ConnectionLost(self.venue, reason)
                    return
                self._outage = self._outage or (time.time(), reason)
                wait = max(random.uniform(0.5, 1.0) * delay, at_least)
                log.warning("%s stream lost (%s); reconnecting in %.3g s", self.venue, reason, wait)
                await asyncio.sleep(wait)
                delay = min(delay * 2, self._backoff[1])
        finally:
            self.connected.clear()
            self._wakeup.set()

    async def _connect_and_read(self) -> None:
        assert self._session is not None
        url = self.protocol.url()
        where = yarl.URL(url, encoded=True).with_query(None)  # never the query: it may carry a key
        try:
            async with asyncio.timeout(self._connect_timeout):
                ws = await self._session.ws_connect(
                    yarl.URL(url, encoded=True),
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=self._connect_timeout),
                    max_msg_size=self._max_message_size,
                    autoping=True,
                )
        except TimeoutError:
            raise Timeout(self.venue, f"connecting to {where} timed out") from None
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status in (401, 403):
                raise AuthError(self.venue, f"{where} refused the connection (HTTP {exc.status})", exc.status) from None
            if exc.status == 429:
                wait = retry_after(exc.headers or {})
                raise RateLimited(
                    self.venue, f"{where} refused the connection (HTTP 429)", 429, retry_after=wait
                ) from None
            raise ConnectionLost(self.venue, f"{where} refused the WebSocket (HTTP {exc.status})") from None
        except (aiohttp.ClientError, OSError) as exc:
            raise ConnectionLost(self.venue, f"cannot connect to {where}: {type(exc).__name__}") from None
        self._ws = ws
        self._ever_connected = True
        heartbeat: asyncio.Task[None] | None = None
        try:
            for frame in self.protocol.opening():
                await self.send(frame)
            if self._outage is not None:
                gap = Gap(self._outage[0], time.time(), self._outage[1])
                self._outage = None
                self.gaps.append(gap)
                self.stats.reconnects += 1
                self._put(gap)
            self.connected.set()
            beat = self.protocol.heartbeat()
            if beat is not None:
                heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(*beat))
            await self._read(ws)
        except VenueError:  # ours already (ConnectionLost is an OSError too): keep its message
            raise
        except (aiohttp.ClientError, OSError) as exc:
            raise ConnectionLost(self.venue, f"connection to {where} failed: {type(exc).__name__}") from None
        finally:
            self.connected.clear()
            if heartbeat is not None:
                heartbeat.cancel()
            self._ws = None
            await ws.close()

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            try:
                async with asyncio.timeout(self._idle_timeout):
                    message = await ws.receive()
            except TimeoutError:
                raise ConnectionLost(self.venue, f"nothing received for {self._idle_timeout:g} s") from None
            if message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                self.stats.received += 1
                reaction = self.protocol.receive(message.data)
                for item in reaction.items:
                    if isinstance(item, DecodeFailure):
                        self.stats.decode_errors += 1
                        log.warning("%s: %s", self.venue, item.error)
                    self._put(item)
                for frame in reaction.send:
                    await self.send(frame)
                if reaction.fatal is not None:
                    raise _StreamEnded(reaction.fatal)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
                return
            elif message.type == aiohttp.WSMsgType.ERROR:
                raise ConnectionLost(self.venue, f"WebSocket error: {ws.exception()}")

    async def _heartbeat(self, interval: float, frame: Frame) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.send(frame)
            except (ConnectionLost, RateLimited, ConnectionError):
                return


__all__ = [
    "Backoff",
    "DecodeFailure",
    "Gap",
    "Http",
    "HttpReply",
    "LoopBound",
    "RateLimiter",
    "Reaction",
    "StreamEvent",
    "StreamStats",
    "WsProtocol",
    "WsStream",
    "positive_seconds",
]
