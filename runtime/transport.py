"""The one I/O layer the JSON venues share (aiohttp): HTTP requests, a rate limiter, and
a reconnecting WebSocket stream engine. Venue logic stays pure and is passed in as a
`WsProtocol`; this module only moves bytes, keeps time and turns failures into
`venuewire.errors` types.

Stream policy (the same for every venue, and for OpenD's update streams):
- reconnect with the one `Backoff` policy: capped exponential backoff with jitter that grows
  with every failed attempt and every session shorter than `healthy_after` seconds (a peer
  that accepts and drops at once gets ever fewer attempts, not a storm) and resets only
  after a session stayed up that long; after each reconnect the protocol's opening frames
  (login, subscribe) are sent again and a `Gap` event is yielded;
- a message that does not decode, is over `max_message_size` (PayloadTooLarge), or makes
  the protocol's `receive` raise is yielded as a `DecodeFailure` event and the stream goes
  on; a stream never ends silently: it yields, or it raises a VenueError (StopAsyncIteration
  only after `aclose()`);
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

For HTTP and streams alike: bodies and messages are capped before they are buffered; error
texts name the URL without its query and never quote aiohttp's errors, and no error carries
an aiohttp error in its `__context__`/`__cause__` chain (they hold the URL, query included,
and the request headers); a client or stream is bound to the event loop it is first used
on (`LoopBound`) and raises WrongEventLoop at once from another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
import traceback
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final, Generic, Protocol, TypeVar

import aiohttp
import yarl

from venuewire.errors import (
    AuthError,
    ConnectionLost,
    DecodeError,
    PayloadTooLarge,
    RateLimited,
    Timeout,
    VenueError,
    WrongEventLoop,
    error_for,
    retry_after,
)
from venuewire.events import DecodeFailure, Gap, StreamEvent

log = logging.getLogger("venuewire.transport")

T = TypeVar("T")
R = TypeVar("R")
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
    the delay to `initial` (`healthy_after=math.inf`: never). A failed attempt (no
    `connected`) never resets it. Invalid bounds (NaN, an infinite cap) are a ValueError."""

    def __init__(
        self, initial: float = 0.1, cap: float = 10.0, healthy_after: float = 10.0, *, jitter: bool = True
    ) -> None:
        if not (0 < initial <= cap < math.inf) or not healthy_after >= 0:
            raise ValueError(
                f"backoff needs 0 < initial <= cap (finite) and healthy_after >= 0, "
                f"got initial={initial!r}, cap={cap!r}, healthy_after={healthy_after!r}"
            )
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
        """The session ended at `now`: reset when it lasted `healthy_after`; otherwise (or
        after a failed attempt, with no `connected`) the next `delay()` keeps growing."""
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


# ---------------------------------------------------------------------------- failures
def describe(exc: BaseException | None) -> str:
    """A transport failure for an error text: its type, plus the operating system's reason
    when it has one. Never the text of an aiohttp error, which holds the request URL (query
    included, where some venues put the API key) and its headers."""
    if exc is None:
        return "no reason given"
    reason = exc.strerror if isinstance(exc, OSError) else None
    return f"{type(exc).__name__} ({reason})" if reason else type(exc).__name__


def _bug(venue: str, what: str, exc: Exception) -> str:
    """Log an unexpected exception from venue (protocol) code or from the engine, at ERROR
    with where it was raised, and return the text for the VenueError that replaces it. The
    text of an aiohttp exception is left out (see `describe`), and so is the traceback's
    exception chain (it may hold aiohttp's errors)."""
    text = describe(exc) if type(exc).__module__.startswith("aiohttp") else f"{type(exc).__name__}: {exc}"[:300]
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    log.error("%s: %s raised %s%s", venue, what, text, where)
    return f"{what} raised {text}"


# ---------------------------------------------------------------------------- HTTP
@dataclass(frozen=True, slots=True)
class HttpReply:
    status: int
    headers: Mapping[str, str]
    body: bytes


IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
DEFAULT_MAX_BODY: Final = 16 * 1024 * 1024
"""Bytes a reply body may have, by default (Http's `max_body`)."""


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
    failures to ConnectionLost / Timeout naming the venue, the method and the path (never
    the query, never aiohttp's error text, and nothing in the `__context__` chain).

    Every attempt that reaches the wire takes a `limiter` slot first. An idempotent request
    (GET, ...) whose connection the server closed before answering (typically a kept-alive
    connection it had already dropped) is sent once more, through the limiter again;
    aiohttp's silent retry of the same case is turned off on the session (`session`, given
    or own), since it would bypass the limiter.

    A reply body is capped at `max_body` bytes before it is buffered: a larger
    Content-Length, or more bytes read (chunked or read-until-close, after decompression),
    raise PayloadTooLarge and close that connection (the rest is never read).

    Bound to the event loop of its first request: from another loop `request` raises
    WrongEventLoop at once; `close()` releases it (a client opened on a loop that has ended
    is just dropped).
    """

    def __init__(
        self,
        venue: str,
        base_url: str,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
        session: aiohttp.ClientSession | None = None,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body < 1:
            raise ValueError(f"max_body must be a positive int (bytes), got {max_body!r}")
        self.venue = venue
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.limiter = limiter
        self.max_body = max_body
        self.attempts = 0
        """Requests put on the wire so far, retries included (each took a limiter slot)."""
        self._session = session
        self._own_session = session is None
        self._loop_bound = LoopBound(venue, "HTTP client")

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
        """Close the own session (a given one is the caller's). From a loop other than the
        one the client was used on, the session (of that loop) is dropped, not awaited."""
        session, self._session = self._session, None
        try:
            self._loop_bound.check()
        except WrongEventLoop:
            log.debug("%s: HTTP client closed from another event loop; its session is dropped", self.venue)
            session = None
        if self._own_session and session is not None:
            await session.close()
        self._loop_bound.release()

    def url(self, path_and_query: str) -> yarl.URL:
        return yarl.URL(self.base_url + path_and_query, encoded=True)

    async def request(
        self,
        method: str,
        path_and_query: str,
        *,
        headers: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
        body: bytes | None = None,
        limiter: RateLimiter | None = None,
    ) -> HttpReply:
        """Send one request. `headers` may be a function: it is called for each attempt after
        its limiter wait, so a signed timestamp is fresh. `limiter` replaces `self.limiter`
        for this request."""
        self._loop_bound.check()
        url = self.url(path_and_query)
        what = f"{method} {url.path}"
        attempts = 2 if method.upper() in IDEMPOTENT_METHODS else 1
        pacer = limiter if limiter is not None else self.limiter
        for attempt in range(1, attempts + 1):
            if pacer is not None:
                await pacer.acquire()
            sent = headers() if callable(headers) else headers
            self.attempts += 1
            # Errors are built inside `except` and raised after it, so that no aiohttp error
            # (holding the URL with its query, and the headers) hangs in their __context__.
            failure: VenueError
            try:
                async with asyncio.timeout(self.timeout):
                    async with self.session().request(method, url, headers=dict(sent or {}), data=body) as response:
                        data = await self._read_body(response, what)
                        return HttpReply(response.status, dict(response.headers), data)
            except VenueError:  # ours (PayloadTooLarge); ConnectionLost is an OSError too
                raise
            except TimeoutError:
                failure = Timeout(self.venue, f"{what} got no reply within {self.timeout:g} s")
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
                if attempt < attempts and not isinstance(exc, aiohttp.ClientConnectorError):
                    log.debug("%s: %s: %s; sending it again", self.venue, what, describe(exc))
                    continue
                failure = ConnectionLost(self.venue, f"{what} failed: {describe(exc)}")
            except (aiohttp.ClientError, OSError, ValueError) as exc:
                failure = ConnectionLost(self.venue, f"{what} failed: {describe(exc)}")
            raise failure
        raise AssertionError("unreachable")  # pragma: no cover

    async def _read_body(self, response: aiohttp.ClientResponse, what: str) -> bytes:
        """The body, at most `max_body` bytes; PayloadTooLarge (connection closed) beyond."""
        length = response.content_length
        if length is not None and length > self.max_body:
            response.close()
            raise PayloadTooLarge(self.venue, f"{what} reply", self.max_body, length)
        body = bytearray()
        async for chunk in response.content.iter_any():
            body += chunk
            if len(body) > self.max_body:
                response.close()
                raise PayloadTooLarge(self.venue, f"{what} reply", self.max_body)
        return bytes(body)


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
    """Raised inside the engine when the stream must end for good; carries the error."""

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


_RAW_KEPT: Final = 64 * 1024
"""Bytes of a message a DecodeFailure keeps (events.DecodeFailure.raw)."""


class WsStream(AsyncIterator["T | StreamEvent"], Generic[T]):
    """A reconnecting WebSocket stream of a protocol's items plus `Gap` and
    `DecodeFailure` events. Iterate with `async for`; `aclose()` (or `async with`) stops it.

    It yields, or it raises; it ends (StopAsyncIteration) only after `aclose()`:
    - a first connection that fails raises ConnectionLost/Timeout/AuthError/RateLimited from
      the iterator (the caller chooses when to try again);
    - later failures reconnect (when `reconnect`), after the `Backoff` delay: it grows with
      every failed attempt and every session shorter than `healthy_after` seconds, and
      resets only after a session lasted that long; after an HTTP 429 no sooner than its
      Retry-After (seconds or an HTTP date). Without `reconnect` a lost session ends the
      stream with ConnectionLost (RateLimited after a 429);
    - an AuthError at the handshake and a protocol's `Reaction(fatal=...)` always end it;
    - a message that does not decode, is larger than `max_message_size`, or makes the
      protocol's `receive` raise (a bug in venue code) is a `DecodeFailure` event, counted
      in `stats.decode_errors`; the stream goes on;
    - anything else unexpected (the protocol's `url`, `opening` or `heartbeat` raising, a bug
      in the engine) ends the stream with a VenueError saying what happened, logged.
    Error texts name the URL without its query; no error holds an aiohttp error in its
    `__context__`/`__cause__` chain. Bound to the event loop it is first iterated on:
    `__anext__` and `send` raise WrongEventLoop from another; `aclose()` works from any."""

    def __init__(
        self,
        protocol: WsProtocol[T],
        *,
        session: aiohttp.ClientSession | None = None,
        buffer: int = 1024,
        reconnect: bool = True,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        healthy_after: float = 10.0,
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
        self._backoff = Backoff(backoff_initial, backoff_max, healthy_after)
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
        self._loop_bound = LoopBound(self.venue, "stream")
        self.connected = asyncio.Event()

    @property
    def dropped(self) -> int:
        return self.stats.dropped

    # -- consumer side
    def __aiter__(self) -> WsStream[T]:
        return self

    async def __anext__(self) -> T | StreamEvent:
        loop = self._loop_bound.check()
        if self._task is None and not self._closed:
            self._task = loop.create_task(self._run())
        while not self._items:
            if self._error is not None:
                raise self._error
            if self._closed:
                raise StopAsyncIteration
            if self._task is not None and self._task.done():  # never silently (see _run)
                self._error = ConnectionLost(self.venue, "the stream stopped without saying why")
                continue
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
        """Stop the stream: the connection is closed, and iterating ends (StopAsyncIteration
        once the items already received are consumed). Called from a loop other than the
        stream's, what belongs to that loop is dropped instead of awaited."""
        self._closed = True
        task, ws, session = self._task, self._ws, self._session if self._own_session else None
        foreign = False
        try:
            self._loop_bound.check()
        except WrongEventLoop:
            log.debug("%s: stream closed from another event loop; its connection is dropped", self.venue)
            task = ws = session = None
            foreign = True
        self._ws = None
        if self._own_session:
            self._session = None
        try:
            if task is not None and not task.done():
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    current = asyncio.current_task()
                    if current is not None and current.cancelling():
                        raise  # aclose itself was cancelled: never swallow that
            if ws is not None:
                with contextlib.suppress(Exception):
                    await ws.close()
            if session is not None:
                with contextlib.suppress(Exception):
                    await session.close()
        finally:
            self._loop_bound.release()
            if foreign:  # events of the ended loop cannot be set from here: start afresh
                self._wakeup, self.connected = asyncio.Event(), asyncio.Event()
            self._wakeup.set()

    async def send(self, frame: Frame) -> None:
        """Send a frame on the current connection (rate limited when a limiter is set).
        ConnectionLost when not connected or the send fails; TypeError for a non-frame."""
        self._loop_bound.check()
        if not isinstance(frame, (str, bytes)):
            raise TypeError(f"a frame is str or bytes, not {type(frame).__name__}")
        ws = self._ws
        if ws is None or ws.closed:
            raise ConnectionLost(self.venue, "the stream is not connected")
        if self._limiter is not None:
            await self._limiter.acquire()
        failure: VenueError
        try:
            if isinstance(frame, bytes):
                await ws.send_bytes(frame)
            else:
                await ws.send_str(frame)
            self.stats.frames_sent += 1
            return
        except (aiohttp.ClientError, OSError) as exc:
            failure = ConnectionLost(self.venue, f"sending a frame failed: {describe(exc)}")
        raise failure

    # -- producer side
    def _put(self, item: T | StreamEvent) -> None:
        if len(self._items) >= self._maxlen:
            self._items.popleft()
            self.stats.dropped += 1
        self._items.append(item)
        self._wakeup.set()

    def _end(self, error: VenueError) -> None:
        """End the stream with `error` (the first such error wins): iterating raises it once
        the items already received are consumed."""
        if self._error is None:
            self._error = error
        self._wakeup.set()

    def _decode_failure(self, error: DecodeError, raw: Frame) -> None:
        self.stats.decode_errors += 1
        log.warning("%s: %s", self.venue, error)
        data = raw.encode() if isinstance(raw, str) else raw
        self._put(DecodeFailure(error, data[:_RAW_KEPT]))

    async def _run(self) -> None:
        """The engine task. Whatever ends it sets `_error` (unless the stream was closed)."""
        try:
            await self._engine()
        except Exception as exc:  # a bug: the stream still ends with a VenueError, logged
            if self._error is None:
                self._error = VenueError(self.venue, f"the stream engine failed: {_bug(self.venue, 'the engine', exc)}")
        finally:
            self.connected.clear()
            self._wakeup.set()

    async def _engine(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        while not self._closed:
            at_least = 0.0
            try:
                await self._connect_and_read()
                reason = "connection closed by the venue"
            except _StreamEnded as ended:  # the protocol ended the stream (or broke)
                self._end(ended.error)
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
            self._backoff.lost(time.monotonic())
            if not self._reconnect:
                self._error = ConnectionLost(self.venue, reason)
                return
            self._outage = self._outage or (time.time(), reason)
            wait = max(self._backoff.delay(), at_least)
            log.warning("%s stream lost (%s); reconnecting in %.3g s", self.venue, reason, wait)
            await asyncio.sleep(wait)

    def _hook(self, name: str, call: Callable[[], R]) -> R:
        """Call a protocol hook other than `receive`; when it raises, the stream ends (a
        VenueError as itself, anything else as a VenueError naming the hook)."""
        error: VenueError
        try:
            return call()
        except VenueError as exc:
            error = exc
        except Exception as exc:
            error = VenueError(self.venue, _bug(self.venue, f"{type(self.protocol).__name__}.{name}()", exc))
        raise _StreamEnded(error)

    def _react(self, data: Frame) -> Reaction[T]:
        """The protocol's reaction to one message. When `receive` raises (it should not) or
        returns no Reaction of frames, that message is a DecodeFailure: a bug in venue code
        costs one message, not the stream."""
        error: DecodeError
        try:
            reaction = self.protocol.receive(data)
            if isinstance(reaction, Reaction) and all(isinstance(f, (str, bytes)) for f in reaction.send):
                return reaction
            raise TypeError(f"receive() returned {type(reaction).__name__}, not a Reaction of str/bytes frames")
        except DecodeError as exc:
            error = exc
        except Exception as exc:
            text = _bug(self.venue, f"{type(self.protocol).__name__}.receive()", exc)
            error = DecodeError(self.venue, "message", (), text)
        raw = data if isinstance(data, bytes) else data.encode()
        return Reaction(items=[DecodeFailure(error, raw[:_RAW_KEPT])])

    async def _connect_and_read(self) -> None:
        """One session: connect, send the opening frames, read until it ends. Raises the
        VenueError that ended it (or returns when the venue closed it), _StreamEnded to end
        the stream for good. Every error is raised outside the `except` that caught the
        transport's, so none holds an aiohttp error in its chain."""
        assert self._session is not None
        url = self._hook("url", self.protocol.url)
        failure: VenueError | None = None
        try:
            target = yarl.URL(url, encoded=True)
            where = str(target.with_query(None).with_fragment(None))  # never the query: it may carry a key
        except (TypeError, ValueError) as exc:
            raise _StreamEnded(VenueError(self.venue, f"the protocol's URL is not a URL: {describe(exc)}")) from None
        try:
            async with asyncio.timeout(self._connect_timeout):
                ws = await self._session.ws_connect(
                    target,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=self._connect_timeout),
                    max_msg_size=self._max_message_size,
                    autoping=True,
                )
        except TimeoutError:
            failure = Timeout(self.venue, f"connecting to {where} timed out")
        except aiohttp.WSServerHandshakeError as exc:
            failure = _refusal(self.venue, where, exc.status, exc.headers or {})
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            failure = ConnectionLost(self.venue, f"cannot connect to {where}: {describe(exc)}")
        if failure is not None:
            raise failure
        self._ws = ws
        self._ever_connected = True
        heartbeat: asyncio.Task[None] | None = None
        try:
            for frame in self._hook("opening", self.protocol.opening):
                await self.send(frame)
            self._backoff.connected(time.monotonic())
            if self._outage is not None:
                gap = Gap(self._outage[0], time.time(), self._outage[1])
                self._outage = None
                self.gaps.append(gap)
                self.stats.reconnects += 1
                self._put(gap)
            self.connected.set()
            beat = self._hook("heartbeat", self.protocol.heartbeat)
            if beat is not None:
                interval, frame = _checked_heartbeat(self.venue, self.protocol, beat)
                heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(interval, frame))
            await self._read(ws)
        except _StreamEnded as ended:
            self._end(ended.error)  # the caller learns it now; the close below may take a while
            raise
        except VenueError:  # ours already (ConnectionLost is an OSError too): keep it
            raise
        except (aiohttp.ClientError, OSError) as exc:
            failure = ConnectionLost(self.venue, f"connection to {where} failed: {describe(exc)}")
        except Exception as exc:  # a bug (ours or the protocol's): end the stream, saying so
            self._end(VenueError(self.venue, f"the stream engine failed: {_bug(self.venue, 'the engine', exc)}"))
            raise
        finally:
            self.connected.clear()
            if heartbeat is not None:
                heartbeat.cancel()
            self._ws = None
            with contextlib.suppress(Exception):
                await ws.close()
        if failure is not None:
            raise failure

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            failure: VenueError | None = None
            try:
                async with asyncio.timeout(self._idle_timeout):
                    message = await ws.receive()
            except TimeoutError:
                failure = ConnectionLost(self.venue, f"nothing received for {self._idle_timeout:g} s")
            if failure is not None:
                raise failure
            if message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                self.stats.received += 1
                reaction = self._react(message.data)
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
                exc = message.data if isinstance(message.data, BaseException) else ws.exception()
                if isinstance(exc, aiohttp.WebSocketError) and exc.code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG:
                    # aiohttp stopped reading it at the cap and closes the connection (1009)
                    self.stats.received += 1
                    too_big = PayloadTooLarge(self.venue, "WebSocket message", self._max_message_size)
                    self._decode_failure(too_big, b"")
                    continue
                raise ConnectionLost(self.venue, f"WebSocket error: {describe(exc)}")

    async def _heartbeat(self, interval: float, frame: Frame) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.send(frame)
            except VenueError:  # the connection is going: the reader sees it end
                return


def _checked_heartbeat(venue: str, protocol: object, beat: object) -> tuple[float, Frame]:
    """A protocol's heartbeat() value when it is (positive seconds, frame); otherwise the
    stream ends with a VenueError naming it (a bug in venue code)."""
    if isinstance(beat, tuple) and len(beat) == 2 and isinstance(beat[1], (str, bytes)):
        interval = beat[0]
        if not isinstance(interval, bool) and isinstance(interval, (int, float)) and 0 < interval < math.inf:
            return float(interval), beat[1]
    message = f"{type(protocol).__name__}.heartbeat() returned {beat!r:.80}, not (positive seconds, frame)"
    log.error("%s: %s", venue, message)
    raise _StreamEnded(VenueError(venue, message))


def _refusal(venue: str, where: str, status: int, headers: Mapping[str, str]) -> VenueError:
    """The error for an HTTP status refusing a WebSocket handshake."""
    if status in (401, 403):
        return AuthError(venue, f"{where} refused the connection (HTTP {status})", status)
    if status == 429:
        wait = retry_after(headers)
        return RateLimited(venue, f"{where} refused the connection (HTTP 429)", 429, retry_after=wait)
    from venuewire.generated.registry import ERROR_CODES

    text = f"{where} refused the WebSocket (HTTP {status})"
    for entry in ERROR_CODES:  # a status the venue documents for its handshakes (e.g. Infoway's 427)
        if entry.venue == venue and entry.http_status and entry.scope in ("any", "ws") and entry.code == str(status):
            if entry.kind == "rate_limited":
                return RateLimited(venue, f"{text}: {entry.meaning}", status, retry_after=retry_after(headers))
            return error_for(venue, status, f"{text}: {entry.meaning}", scope="ws")
    return ConnectionLost(venue, text, status)


__all__ = [
    "DEFAULT_MAX_BODY",
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
    "describe",
    "positive_seconds",
]
