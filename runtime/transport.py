"""The one I/O layer the JSON venues share (aiohttp): HTTP requests, a rate limiter, and
the one reconnecting WebSocket engine in its two shapes: `WsStream` (a stream of pushes:
BitMart, Infoway) and `WsSession` (login, then requests each awaiting its answer, pushes
alongside: QFEX's trade session). Both share one connection half (`_WsEngine`: handshake and
its error mapping, the size cap, pings, backoff and Retry-After turns, the send path, the
protocol's reaction). Venue logic stays pure and is passed in as a `WsProtocol` or
`WsSessionProtocol`; this module only moves bytes, keeps time and turns failures into
`venuewire.errors` types. `Closing` / `StreamOwner` give every WebSocket client the same
`async with` and close.

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
  in `stream.dropped` (books are full snapshots, so the newest supersedes the oldest); a
  consumer that is waiting gets items as they are decoded, a few at a time (at most 32, and
  at most half the buffer), so one that keeps up loses nothing to a burst of messages that
  arrived in one socket read;
- silent subscriptions (`SilenceWatch`, thresholds per channel in the registry): a symbol
  or topic with no data for `stale_after` s is a `Stale` event, its next data comes after a
  `Fresh` event, and `reconnect_after` s of silence within one session reconnects (a `Gap`);
- a protocol asks for a new connection with `Reaction(reconnect=reason)` (e.g. a book whose
  snapshot never came): after its items and frames, the session closes and the stream
  reconnects as after a drop (a `Gap` naming the reason); a protocol with a clock of its own
  may have an optional `timer() -> seconds | None` and `on_timer() -> Reaction` that the stream
  calls every that many seconds while connected;
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
import sys
import time
import traceback
import weakref
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, Self, TypedDict, TypeVar

import aiohttp
import yarl

from venuewire.drift.sample import SAMPLE_EVERY, SAMPLE_FIRST, UnknownCounter, UnknownFieldSampler
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
from venuewire.events import DecodeFailure, Fresh, Gap, Stale, StreamEvent

if TYPE_CHECKING:
    from venuewire.capture.format import Direction
    from venuewire.capture.tap import Tap
    from venuewire.generated.registry import WsChannel

log = logging.getLogger("venuewire.transport")

T = TypeVar("T")
R = TypeVar("R")
T_co = TypeVar("T_co", covariant=True)
S = TypeVar("S", bound="WsStream[Any]")
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


class Closing:
    """`async with` for every WebSocket client, stream and session: entering runs `_entered()`
    (e.g. connect; nothing by default) and returns the object, leaving awaits `close()`."""

    async def _entered(self) -> None:
        return None

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self._entered()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class Http(Closing):
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
        capture: Tap | None = None,
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
        self.capture = capture
        """Where every request and response is recorded (None: not recorded)."""
        self._capture_conn: int | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
            self._own_session = True
        return _no_silent_retry(self._session)

    async def close(self) -> None:
        """Close the own session (a given one is the caller's). From a loop other than the
        one the client was used on, the session (of that loop) is dropped, not awaited."""
        session, self._session = self._session, None
        if self.capture is not None and self._capture_conn is not None:
            self.capture.closed(self._capture_conn, "the client closed")
            self._capture_conn = None
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
            recorded = -1 if self.capture is None else self._record_request(method, path_and_query, sent, body)
            # Errors are built inside `except` and raised after it, so that no aiohttp error
            # (holding the URL with its query, and the headers) hangs in their __context__.
            failure: VenueError
            try:
                async with asyncio.timeout(self.timeout):
                    async with self.session().request(method, url, headers=dict(sent or {}), data=body) as response:
                        data = await self._read_body(response, what)
                        reply = HttpReply(response.status, dict(response.headers), data)
                        if self.capture is not None and self._capture_conn is not None:
                            self.capture.http_response(self._capture_conn, recorded, reply.status, reply.headers, data)
                        return reply
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

    def _record_request(self, method: str, target: str, headers: Mapping[str, str] | None, body: bytes | None) -> int:
        """Record one request (its `seq`); the first opens the client's capture connection."""
        assert self.capture is not None
        if self._capture_conn is None:
            self._capture_conn = self.capture.opened(self.base_url)
        return self.capture.http_request(self._capture_conn, method, target, headers or {}, body)

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


# ---------------------------------------------------------------------------- silent subscriptions
def _threshold(name: str, value: float | None) -> float | None:
    """A silence threshold: None or math.inf (never), or positive seconds; ValueError otherwise."""
    if value is None or value == math.inf:
        return None
    return positive_seconds(name, value)


class SilenceWatch:
    """How long each subscription of one stream has been silent (pure: the caller passes
    the clock, monotonic seconds). A subscription is a symbol or topic (`str`), or None for
    the stream as a whole when its pushes do not say which subscription they belong to.

    `expect(keys, now)` and `data(key, now)` start watching a subscription; `started(now)`
    marks a (re)connected session. `check(now)` returns the `Stale` events due (once per
    silence: silent `stale_after` s since its last data, or since it was first expected)
    and a reason to reconnect when one subscription was silent `reconnect_after` s within
    the current session (so a reconnect that brings nothing waits that long again). `data`
    returns a `Fresh` event when the subscription was stale. Data without a key (None)
    refreshes every subscription watched; the first keyed data replaces the stream-wide
    watch (None) by per-subscription ones. Thresholds: positive seconds, or None / inf
    (never)."""

    def __init__(self, venue: str, stale_after: float | None, reconnect_after: float | None) -> None:
        self.venue = venue
        self.stale_after = _threshold("stale_after", stale_after)
        self.reconnect_after = _threshold("reconnect_after", reconnect_after)
        self._last: dict[str | None, float] = {}
        """subscription -> when its last data came (or when it was first expected)."""
        self._stale: set[str | None] = set()
        self._session = -math.inf

    @property
    def enabled(self) -> bool:
        return self.stale_after is not None or self.reconnect_after is not None

    @property
    def stale(self) -> frozenset[str | None]:
        """The subscriptions stale now."""
        return frozenset(self._stale)

    def tick(self) -> float:
        """How often (s) to `check`: a tenth of the smaller threshold, between 0.01 and 1."""
        thresholds = [t for t in (self.stale_after, self.reconnect_after) if t is not None]
        return min(max(min(thresholds, default=10.0) / 10, 0.01), 1.0)

    def started(self, now: float, *, whole_stream: bool = False) -> None:
        """A session is up at `now`; with `whole_stream`, data is expected from now on even
        before any came (the stream watched as a whole until its pushes name subscriptions)."""
        self._session = now
        if whole_stream and not self._last:
            self._last[None] = now

    def expect(self, keys: Iterable[str], now: float) -> None:
        """Data for `keys` is expected from `now` on (those not watched yet)."""
        for key in keys:
            self._last.setdefault(key, now)
        if self._last.keys() - {None}:
            self._drop_whole_stream()

    def data(self, key: str | None, now: float) -> list[Fresh]:
        """Data for `key` (None: unknown) arrived at `now`: the `Fresh` events it ends."""
        if key is not None and not self._stale and None not in self._last:  # the usual case
            self._last[key] = now  # (WsStream._read has this case inline)
            return []
        fresh: list[Fresh] = []
        if key is None and self._last.keys() - {None}:
            keys = list(self._last)
        else:
            keys = [key]
            if key is not None:
                fresh.extend(self._drop_whole_stream(now))
        for k in keys:
            last = self._last.get(k, now)
            self._last[k] = now
            if k in self._stale:
                self._stale.discard(k)
                fresh.append(Fresh(self.venue, k, now - last))
        return fresh

    def _drop_whole_stream(self, now: float | None = None) -> list[Fresh]:
        last = self._last.pop(None, None)
        if None in self._stale:
            self._stale.discard(None)
            if now is not None and last is not None:
                return [Fresh(self.venue, None, now - last)]
        return []

    def check(self, now: float) -> tuple[list[Stale], str | None]:
        """The `Stale` events due at `now`, and why to reconnect (None: no need)."""
        events: list[Stale] = []
        reason: str | None = None
        for key, last in self._last.items():
            silent = now - last
            if self.stale_after is not None and key not in self._stale and silent >= self.stale_after:
                self._stale.add(key)
                events.append(Stale(self.venue, key, silent, self.stale_after))
            quiet = now - max(last, self._session)
            if reason is None and self.reconnect_after is not None and quiet >= self.reconnect_after:
                what = "the stream" if key is None else key
                reason = f"no data for {what} for {quiet:.3g} s (reconnect_after {self.reconnect_after:g} s)"
        return events, reason


def channel_silence(channel: WsChannel | None) -> tuple[float | None, float | None]:
    """(stale_after_s, reconnect_after_s) of a registry [[ws]] channel ((None, None) for None)."""
    if channel is None:
        return None, None
    return channel.stale_after_s, channel.reconnect_after_s


# ---------------------------------------------------------------------------- WebSocket streams
@dataclass(slots=True)
class Reaction(Generic[T]):
    """What a protocol makes of one incoming message: items for the caller, frames to send,
    and `fatal`: when set, the stream ends with this error after delivering `items` and
    sending `send` (the connection is closed and never reopened, whatever `reconnect` says;
    a `WsSession` fails the call waiting with it and drops the connection)."""

    items: list[T | DecodeFailure] = field(default_factory=list)
    send: list[Frame] = field(default_factory=list)
    fatal: VenueError | None = None
    reconnect: str | None = None
    """For a `WsStream`: when set (and not `fatal`), the session closes after `items` and `send`
    and the stream reconnects, as after a drop, this the reason its `Gap` names."""
    answer: Answer | None = None
    """For a `WsSession`: the answer to the request in flight (or to the login)."""


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
class EngineStats:
    """What every WebSocket engine counts (a `WsStream`'s and a `WsSession`'s stats)."""

    reconnects: int = 0
    """Connections opened after the first (after a drop, a timeout, an unreadable answer, close())."""
    dropped: int = 0
    """Items dropped because `buffer` of them were waiting already (the oldest goes)."""
    unknown_fields: UnknownCounter = field(default_factory=Counter)
    """(message, field path) -> sampled messages that held a field the schema does not know
    (see venuewire.drift.sample: the first `unknown_first` of each kind, then every
    `unknown_every`th); the typed decode is unchanged and stays strict."""


@dataclass(slots=True)
class StreamStats(EngineStats):
    """What a `WsStream` has done: messages received, items yielded, DecodeFailures, frames sent."""

    received: int = 0
    yielded: int = 0
    decode_errors: int = 0
    frames_sent: int = 0
    stale_events: int = 0
    """`Stale` events yielded (a subscription silent past `stale_after`)."""
    stale_reconnects: int = 0
    """Reconnects because a subscription was silent past `reconnect_after` (also in `reconnects`)."""


_HAND_OVER: Final = 32
"""Items a stream's reader decodes before it lets a waiting consumer run (at most half its
`buffer`, so a consumer that keeps up never loses one to a burst). One socket read holds
hundreds of small messages that aiohttp hands over without suspending: decoding them all first
would keep that many items alive (the collector promotes them, the caches go cold); handing
over each costs an event-loop turn and two task switches. A book holds a few objects the
collector tracks (its levels none), so this many stay well below a collection's threshold."""

_RAW_KEPT: Final = 64 * 1024
"""Bytes of a message a DecodeFailure keeps (events.DecodeFailure.raw)."""


class StreamOwner(Closing):
    """A client that makes streams (`_track`) and closes every one it made on `close()`
    (override `close` to close more, calling `close_streams`)."""

    _streams: weakref.WeakSet[WsStream[Any]]

    def _track(self, stream: S) -> S:
        if not hasattr(self, "_streams"):
            self._streams = weakref.WeakSet()
        self._streams.add(stream)
        return stream

    async def close_streams(self) -> None:
        """Close every stream this client made (a shared aiohttp session stays open)."""
        for stream in list(getattr(self, "_streams", ())):
            await stream.aclose()

    async def close(self) -> None:
        await self.close_streams()


class WsStreamSettings(TypedDict, total=False):
    """The keyword settings of `WsStream` (see it), for venue streams that pass them on."""

    session: aiohttp.ClientSession | None
    buffer: int
    reconnect: bool
    backoff_initial: float
    backoff_max: float
    healthy_after: float
    connect_timeout: float
    idle_timeout: float | None
    send_limiter: RateLimiter | None
    max_message_size: int
    stale_after: float | None
    reconnect_after: float | None
    clock: Callable[[], float]
    capture: Tap | None
    unknown_first: int
    unknown_every: int


@dataclass(frozen=True, slots=True)
class _Closed:
    """The connection closed (the reason, for error texts)."""

    reason: str


class _Receives(Protocol[T]):
    venue: str

    def receive(self, data: Frame) -> Reaction[T]: ...


class _Turns:
    """When the next connection attempt may start: the one `Backoff` policy, or an HTTP 429's
    Retry-After when that is later. Both engines keep one (monotonic seconds)."""

    def __init__(self, backoff: Backoff) -> None:
        self.backoff = backoff
        self.not_before = 0.0
        self.last: VenueError | None = None
        """What ended the last attempt or session (for the errors of calls that cannot wait)."""

    def connected(self) -> None:
        self.backoff.connected(time.monotonic())

    def failed(self, error: VenueError) -> float:
        """An attempt failed or a session ended with `error`: the seconds until the next turn."""
        now = time.monotonic()
        self.backoff.lost(now)
        at_least = (error.retry_after or 0.0) if isinstance(error, RateLimited) else 0.0
        wait = max(self.backoff.delay(), at_least)
        self.not_before = max(self.not_before, now + wait)
        self.last = error
        return wait

    def wait(self) -> float:
        """Seconds until the next attempt is allowed (0: now)."""
        return max(0.0, self.not_before - time.monotonic())


class _IdleDeadline:
    """The idle timeout of one connection's receives, as one timer re-armed only when it fires
    (about once per `idle` seconds), not one `asyncio.timeout` per message: a receive waiting
    `idle` seconds is cancelled and `WsStream._read` turns that into ConnectionLost, exactly
    as the per-message timeout did. The timer stops once the connection is closed."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, idle: float) -> None:
        self.ws, self.idle = ws, idle
        self.loop = asyncio.get_running_loop()
        self.now: Callable[[], float] = self.loop.time
        """The loop's clock (asyncio's own is time.monotonic, called directly: it is read once a message)."""
        if getattr(self.now, "__func__", None) is asyncio.BaseEventLoop.time:
            self.now = time.monotonic
        self.started = self.now()  # when the current (or last) receive began
        self.task: asyncio.Task[Any] | None = None  # the task waiting in a receive, if any
        self.expired = False
        self.handle: asyncio.TimerHandle | None = self.loop.call_at(self.started + idle, self._fire)

    def _fire(self) -> None:
        self.handle = None
        if self.ws.closed and self.task is None:
            return
        now = self.now()
        task = self.task
        if task is not None and now >= self.started + self.idle:
            self.expired = True
            task.cancel()
            return
        due = self.started + self.idle if task is not None else now + self.idle
        self.handle = self.loop.call_at(due, self._fire)

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None


class _WsEngine(Closing, Generic[T]):
    """The one WebSocket engine's connection half, shared by `WsStream` (a reconnecting
    stream) and `WsSession` (a request/response session): the aiohttp session, the handshake
    and its error mapping, the message size cap, WebSocket pings, the reconnect turns
    (`Backoff` and Retry-After), the send path (rate limited), the protocol's reaction to a
    message and the event-loop binding."""

    protocol: _Receives[T]

    def _init_engine(
        self,
        venue: str,
        what: str,
        *,
        session: aiohttp.ClientSession | None,
        backoff: Backoff,
        connect_timeout: float,
        max_message_size: int,
        ping_interval: float | None = None,
        send_limiter: RateLimiter | None = None,
        capture: Tap | None = None,
        unknown_first: int = SAMPLE_FIRST,
        unknown_every: int = SAMPLE_EVERY,
    ) -> None:
        self.venue = venue
        self._unknowns = UnknownFieldSampler(venue, Counter(), first=unknown_first, every=unknown_every)
        """Samples incoming messages for fields their schema does not know (into `stats.unknown_fields`)."""
        self.capture = capture
        """Where every frame in and out is recorded, with each connection's open and close (None: not recorded)."""
        self._capture_conns: dict[aiohttp.ClientWebSocketResponse, int] = {}
        self._session = session
        self._own_session = session is None
        self._backoff = backoff
        self._turns = _Turns(self._backoff)
        self._connect_timeout = connect_timeout
        self._max_message_size = max_message_size
        self._ping_interval = ping_interval
        self._limiter = send_limiter
        self._loop_bound = LoopBound(venue, what)

    def _http_session(self) -> aiohttp.ClientSession:
        if self._session is None or (self._own_session and self._session.closed):
            self._session = aiohttp.ClientSession()
            self._own_session = True
        return self._session

    def _target(self, url: str) -> tuple[yarl.URL, str]:
        """`url` parsed, and the text naming it in errors (never the query: it may carry a key)."""
        failure: VenueError | None = None
        try:
            target = yarl.URL(url, encoded=True)
            return target, str(target.with_query(None).with_fragment(None))
        except (TypeError, ValueError) as exc:
            failure = VenueError(self.venue, f"the protocol's URL is not a URL: {describe(exc)}")
        raise failure

    async def _open_ws(self, target: yarl.URL, where: str) -> aiohttp.ClientWebSocketResponse:
        """The handshake: Timeout, AuthError (HTTP 401/403), RateLimited (429 with Retry-After),
        ConnectionLost, each raised outside the `except` that caught aiohttp's error."""
        failure: VenueError | None = None
        try:
            async with asyncio.timeout(self._connect_timeout):
                ws = await self._http_session().ws_connect(
                    target,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=self._connect_timeout),
                    max_msg_size=self._max_message_size,
                    heartbeat=self._ping_interval,
                    autoping=True,
                )
            self._unknowns.url = str(target.with_query(None))  # its path picks the channels
            if self.capture is not None:
                self._capture_conns[ws] = self.capture.opened(str(target))
            return ws
        except TimeoutError:
            failure = Timeout(self.venue, f"connecting to {where} timed out")
        except aiohttp.WSServerHandshakeError as exc:
            failure = _refusal(self.venue, where, exc.status, exc.headers or {})
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            failure = ConnectionLost(self.venue, f"cannot connect to {where}: {describe(exc)}")
        raise failure

    _idle_deadline: _IdleDeadline | None = None
    """The idle timer of the connection `WsStream._read` reads (one per engine)."""

    def _arm_idle(self, ws: aiohttp.ClientWebSocketResponse, idle_timeout: float) -> _IdleDeadline:
        """The idle deadline of `ws`'s receives, a new one when the last is of another connection
        or timeout, or has ended."""
        deadline = self._idle_deadline
        if deadline is not None:
            deadline.stop()
        deadline = self._idle_deadline = _IdleDeadline(ws, idle_timeout)
        return deadline

    async def _next_message(self, ws: aiohttp.ClientWebSocketResponse) -> Frame | PayloadTooLarge | _Closed:
        """The next text or binary message; PayloadTooLarge for one over the size cap (aiohttp
        then closes the connection, 1009); `_Closed` when the connection closed. ConnectionLost
        for a WebSocket error. (`WsStream._read` receives inline, under its idle deadline.)"""
        return self._non_data(ws, await ws.receive())

    def _non_data(
        self, ws: aiohttp.ClientWebSocketResponse, message: aiohttp.WSMessage
    ) -> Frame | PayloadTooLarge | _Closed:
        """What a received message is: its data (text or binary), PayloadTooLarge (over the size
        cap), `_Closed`; ConnectionLost for a WebSocket error."""
        if message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
            data: Frame = message.data
            return data
        if message.type is aiohttp.WSMsgType.CLOSE:
            extra = str(message.extra or "")[:120]
            return _Closed(f"the venue closed the connection (code {message.data}{': ' + extra if extra else ''})")
        if message.type is aiohttp.WSMsgType.ERROR:
            exc = message.data if isinstance(message.data, BaseException) else ws.exception()
            if isinstance(exc, aiohttp.WebSocketError) and exc.code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG:
                return PayloadTooLarge(self.venue, "WebSocket message", self._max_message_size)
            raise ConnectionLost(self.venue, f"WebSocket error: {describe(exc)}")
        return _Closed("the connection was closed")  # CLOSING, CLOSED

    async def _send_on(self, ws: aiohttp.ClientWebSocketResponse | None, frame: Frame) -> None:
        """Send `frame` on `ws` (rate limited when a limiter is set). ConnectionLost when not
        connected or the send fails; TypeError for a non-frame."""
        if not isinstance(frame, (str, bytes)):
            raise TypeError(f"a frame is str or bytes, not {type(frame).__name__}")
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
            if self.capture is not None:
                self._record(ws, "out", frame)
            return
        except (aiohttp.ClientError, OSError, RuntimeError) as exc:
            failure = ConnectionLost(self.venue, f"sending a frame failed: {describe(exc)}")
        raise failure

    def _record(self, ws: aiohttp.ClientWebSocketResponse, direction: Direction, frame: Frame) -> None:
        """Record one frame of `ws` (call only when `capture` is set)."""
        assert self.capture is not None
        conn = self._capture_conns.get(ws)
        if conn is not None:
            self.capture.ws(conn, direction, frame)

    def _record_close(self, ws: aiohttp.ClientWebSocketResponse, reason: str) -> None:
        """Record that `ws` is done (once; nothing when capture is off)."""
        if self.capture is not None:
            conn = self._capture_conns.pop(ws, None)
            if conn is not None:
                self.capture.closed(conn, reason)

    def _observe(self, data: Frame, reaction: Reaction[T]) -> None:
        """Offer a message to the unknown-field sample, keyed by the type of its first item (a
        message that did not decode is the drift report's business, not the sample's)."""
        kind = type(reaction.items[0]) if reaction.items else None
        if kind is not DecodeFailure:
            self._unknowns.observe(data, kind)

    def _react(self, data: Frame) -> Reaction[T]:
        """The protocol's reaction to one message. When `receive` raises (it should not) or
        returns no Reaction of frames, that message is a DecodeFailure: a bug in venue code
        costs one message, not the stream. (`WsStream._read` does the same inline.)"""
        try:
            reaction = self.protocol.receive(data)
        except Exception as exc:
            return self._refused(data, exc)
        if type(reaction) is Reaction and not reaction.send:  # the usual case: items only
            return reaction
        return self._checked(data, reaction)

    def _checked(self, data: Frame, reaction: object) -> Reaction[T]:
        """`reaction` when it is a Reaction whose frames are str or bytes, else (a bug in venue
        code) a DecodeFailure of `data`."""
        try:
            if isinstance(reaction, Reaction) and all(isinstance(f, (str, bytes)) for f in reaction.send):
                return reaction
            raise TypeError(f"receive() returned {type(reaction).__name__}, not a Reaction of str/bytes frames")
        except TypeError as exc:
            return self._refused(data, exc)

    def _refused(self, data: Frame, exc: Exception) -> Reaction[T]:
        """The DecodeFailure of `data`, whose decode raised `exc`: a DecodeError as itself,
        anything else (a bug in venue code) logged and named in a DecodeError."""
        if isinstance(exc, DecodeError):
            error = exc
        else:
            text = _bug(self.venue, f"{type(self.protocol).__name__}.receive()", exc)
            error = DecodeError(self.venue, "message", (), text)
        raw = data if isinstance(data, bytes) else data.encode()
        return Reaction(items=[DecodeFailure(error, raw[:_RAW_KEPT])])


class WsStream(_WsEngine[T], AsyncIterator["T | StreamEvent"]):
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
      in the engine) ends the stream with a VenueError saying what happened, logged;
    - silence: each subscription (the `symbol` of the items, where they have one; the stream
      as a whole otherwise) silent for `stale_after` s yields a `Stale` event, once, and a
      `Fresh` event before its next item; silent `reconnect_after` s within one session, the
      stream reconnects (a `Gap`, counted in `stats.stale_reconnects`). Both default to the
      protocol's registry channel (`protocol.ws_channel`: `stale_after_s`,
      `reconnect_after_s`); None there, or `math.inf`, means never. `clock` (monotonic
      seconds) is injectable for tests. Pongs, acks and DecodeFailures are not data.
    - unknown fields: the first `unknown_first` (16) messages of each kind (the type of the
      first item decoded from them), then every `unknown_every`th (1024th), are compared with
      their schema (venuewire.drift.sample) and each field it does not declare is counted in
      `stats.unknown_fields` as (message, path), e.g. ("bitmart/spot_depth", "data[].x"); the
      first of each is logged at INFO. The decode stays strict; counting never raises.
    Error texts name the URL without its query; no error holds an aiohttp error in its
    `__context__`/`__cause__` chain. Bound to the event loop it is first iterated on:
    `__anext__` and `send` raise WrongEventLoop from another; `aclose()` works from any."""

    protocol: WsProtocol[T]

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
        stale_after: float | None = None,
        reconnect_after: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        capture: Tap | None = None,
        unknown_first: int = SAMPLE_FIRST,
        unknown_every: int = SAMPLE_EVERY,
    ) -> None:
        if buffer < 1:
            raise ValueError("buffer must be at least 1")
        self.protocol = protocol
        default_stale, default_reconnect = channel_silence(getattr(protocol, "ws_channel", None))
        self.silence = SilenceWatch(
            protocol.venue,
            default_stale if stale_after is None else stale_after,
            default_reconnect if reconnect_after is None else reconnect_after,
        )
        """Per-subscription silence (see `SilenceWatch`); its thresholds are the stream's."""
        self._clock = clock
        self._close_reason: str | None = None
        self._init_engine(
            protocol.venue,
            "stream",
            session=session,
            backoff=Backoff(backoff_initial, backoff_max, healthy_after),
            connect_timeout=connect_timeout,
            max_message_size=max_message_size,
            send_limiter=send_limiter,
            capture=capture,
            unknown_first=unknown_first,
            unknown_every=unknown_every,
        )
        self.stats = StreamStats(unknown_fields=self._unknowns.counter)
        self.gaps: list[Gap] = []
        self._maxlen = buffer
        self._hand_over = max(1, min(_HAND_OVER, buffer // 2))
        self._items: deque[T | StreamEvent] = deque()
        self._wakeup = asyncio.Event()
        self._consumer_waiting = False
        """An `__anext__` is waiting for items and nothing has woken it yet (`_wake`)."""
        self._consumer_woken = False
        """An `__anext__` was woken and has not run yet (the reader hands items over every `_hand_over`)."""
        self._reconnect = reconnect
        self._idle_timeout = idle_timeout
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
        loop = asyncio.get_running_loop()
        if loop is not self._loop_bound._loop:  # unbound, or another loop (WrongEventLoop)
            self._loop_bound.check()
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
            self._consumer_waiting = True
            try:
                await self._wakeup.wait()
            finally:
                self._consumer_waiting = self._consumer_woken = False
        self.stats.yielded += 1
        return self._items.popleft()

    async def close(self) -> None:
        """The same as `aclose()`."""
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
        await self._send_on(self._ws, frame)
        self.stats.frames_sent += 1

    # -- producer side
    def _put(self, item: T | StreamEvent) -> None:
        if len(self._items) >= self._maxlen:
            self._items.popleft()
            self.stats.dropped += 1
        self._items.append(item)
        self._wake()

    def _put_fresh(self, fresh: Fresh) -> None:
        log.info("%s: %s has data again after %.3g s", self.venue, fresh.subscription, fresh.silent_for)
        self._put(fresh)

    def _wake(self) -> None:
        """Wake the waiting consumer, if any, once (until it runs, later items need no wake-up)."""
        if self._consumer_waiting:
            self._consumer_waiting = False
            self._consumer_woken = True
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
        self._http_session()
        while not self._closed:
            failure: VenueError
            try:
                await self._connect_and_read()
                failure = ConnectionLost(self.venue, "connection closed by the venue")
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
                failure = exc
            except VenueError as exc:
                if not self._ever_connected:  # the first connection failed: tell the caller
                    self._error = exc
                    return
                failure = exc
            reason = failure.message
            wait = self._turns.failed(failure)
            if not self._reconnect:
                self._error = ConnectionLost(self.venue, reason)
                return
            self._outage = self._outage or (time.time(), reason)
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

    async def _connect_and_read(self) -> None:
        """One session: connect, send the opening frames, read until it ends. Raises the
        VenueError that ended it (or returns when the venue closed it), _StreamEnded to end
        the stream for good. Every error is raised outside the `except` that caught the
        transport's, so none holds an aiohttp error in its chain."""
        target, where = self._hook("url", lambda: self._target(self.protocol.url()))
        ws = await self._open_ws(target, where)
        failure: VenueError | None = None
        self._ws = ws
        self._ever_connected = True
        heartbeat: asyncio.Task[None] | None = None
        watcher: asyncio.Task[None] | None = None
        ticker: asyncio.Task[None] | None = None
        self._close_reason = None
        try:
            for frame in self._hook("opening", self.protocol.opening):
                await self.send(frame)
            self._turns.connected()
            self.silence.started(self._clock(), whole_stream=True)
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
            if self.silence.enabled:
                watcher = asyncio.get_running_loop().create_task(self._watch_silence(ws))
            timer = getattr(self.protocol, "timer", None)
            every = None if timer is None else self._hook("timer", timer)
            if every is not None:
                ticker = asyncio.get_running_loop().create_task(self._tick(ws, positive_seconds("timer()", every)))
            await self._read(ws)
            if self._close_reason is not None:
                raise ConnectionLost(self.venue, self._close_reason)
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
            for task in (watcher, ticker):
                if task is not None:
                    task.cancel()
            self._ws = None
            with contextlib.suppress(Exception):
                await ws.close()
            if self.capture is not None:
                cause = failure or sys.exc_info()[1]
                self._record_close(ws, cause.message if isinstance(cause, VenueError) else "the connection was closed")
        if failure is not None:
            raise failure

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Read one session's messages until it closes. This loop runs once per push: what cannot
        change within a session is looked up once before it, a data message goes from the socket
        to the buffer without another coroutine (the receive and its idle deadline inline), and
        other kinds of message take `_non_data`."""
        idle = self._idle_timeout
        receive = ws.receive
        stats, items, silence, clock = self.stats, self._items, self.silence, self._clock
        watching = silence.enabled  # as the silence watcher of this session (started only if so)
        stale, last_data = silence._stale, silence._last  # `silence.data`'s usual case, inline below
        maxlen, hand_over = self._maxlen, self._hand_over
        observe, passed = self._unknowns.observe, self._unknowns.passed
        # The unknown-field sample: `observe` saw a message of kind `sampled` last and said it will
        # not take the next `unsampled` of that kind; `passed_by` of those went by without a call
        # (counted with one `passed` call when the kind changes or the session ends).
        sampled: object = None
        unsampled = passed_by = 0
        decode = self.protocol.receive
        task = asyncio.current_task()
        text_type, binary_type = aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY
        deadline = None if idle is None else self._arm_idle(ws, idle)
        try:
            while True:
                if deadline is None:
                    message = await receive()
                else:
                    if deadline.handle is None:  # it stopped (the socket closed): a receive returns at once
                        deadline = self._arm_idle(ws, deadline.idle)
                    deadline.started, deadline.task = deadline.now(), task
                    failure: VenueError | None = None
                    try:
                        message = await receive()
                    except asyncio.CancelledError:
                        if not deadline.expired or task is None or task.uncancel() > 0:
                            raise  # cancelled from outside (or our expiry raced another cancel)
                        failure = ConnectionLost(self.venue, f"nothing received for {deadline.idle:g} s")
                    finally:
                        deadline.task = None
                        if deadline.expired:
                            deadline.stop()
                            self._idle_deadline = None
                    if failure is not None:
                        raise failure
                kind = message.type
                if kind is text_type or kind is binary_type:
                    data: Frame = message.data
                else:
                    other = self._non_data(ws, message)
                    if isinstance(other, _Closed):
                        self._record_close(ws, other.reason)
                        return
                    if isinstance(other, PayloadTooLarge):  # aiohttp stopped reading it and closes (1009)
                        stats.received += 1
                        self._decode_failure(other, b"")
                        continue
                    data = other
                if self.capture is not None:
                    self._record(ws, "in", data)
                stats.received += 1
                try:  # as `_react`
                    reaction = decode(data)
                except Exception as exc:
                    reaction = self._refused(data, exc)
                else:
                    if type(reaction) is not Reaction or reaction.send:
                        reaction = self._checked(data, reaction)
                batch = reaction.items
                first = type(batch[0]) if batch else None
                if first is not DecodeFailure:  # as `_observe`
                    if first is sampled and unsampled:
                        unsampled -= 1
                        passed_by += 1
                    else:
                        if passed_by:
                            passed(sampled, passed_by)
                            passed_by = 0
                        unsampled, sampled = observe(data, first), first
                for item in batch:
                    if isinstance(item, DecodeFailure):
                        stats.decode_errors += 1
                        log.warning("%s: %s", self.venue, item.error)
                    elif watching:
                        symbol = getattr(item, "symbol", None)
                        if type(symbol) is str and not stale and None not in last_data:
                            last_data[symbol] = clock()
                        else:
                            for fresh in silence.data(symbol if isinstance(symbol, str) else None, clock()):
                                self._put_fresh(fresh)
                    if len(items) >= maxlen:  # as `_put`, the wake-up once per message below
                        items.popleft()
                        stats.dropped += 1
                    items.append(item)
                if batch and self._consumer_waiting:
                    self._wake()
                if reaction.send or reaction.fatal is not None or reaction.reconnect is not None:
                    for frame in reaction.send:
                        await self.send(frame)
                    if reaction.fatal is not None:
                        raise _StreamEnded(reaction.fatal)
                    if reaction.reconnect is not None:
                        log.warning("%s: %s; reconnecting", self.venue, reaction.reconnect)
                        raise ConnectionLost(self.venue, reaction.reconnect)
                if self._consumer_woken and len(items) >= hand_over:
                    await asyncio.sleep(0)  # let the waiting consumer take them (see _HAND_OVER)
        finally:
            if passed_by:
                passed(sampled, passed_by)

    async def _tick(self, ws: aiohttp.ClientWebSocketResponse, every: float) -> None:
        """Every `every` s: the protocol's `on_timer()` reaction (items yielded, frames sent; a
        `reconnect` closes the connection, the session then ends with ConnectionLost naming it)."""
        on_timer: Callable[[], Reaction[T]] = getattr(self.protocol, "on_timer")  # noqa: B009 - optional hook
        while True:
            await asyncio.sleep(every)
            try:
                reaction = on_timer()
            except Exception as exc:  # a bug in venue code: logged, the stream goes on
                log.error("%s", _bug(self.venue, f"{type(self.protocol).__name__}.on_timer()", exc))
                continue
            for item in reaction.items:
                self._put(item)
            for frame in reaction.send:
                try:
                    await self.send(frame)
                except VenueError:  # the connection is going: the reader sees it end
                    return
            if reaction.reconnect is not None:
                self._close_reason = reaction.reconnect
                log.warning("%s: %s; reconnecting", self.venue, reaction.reconnect)
                with contextlib.suppress(Exception):
                    await ws.close()
                return

    async def _watch_silence(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Every `silence.tick()` s: yield the `Stale` events due; close the connection (the
        session then ends with ConnectionLost naming the silence) when one is due to reconnect."""
        while True:
            await asyncio.sleep(self.silence.tick())
            events, reason = self.silence.check(self._clock())
            for event in events:
                self.stats.stale_events += 1
                what = "the stream" if event.subscription is None else event.subscription
                log.warning("%s: no data for %s for %.3g s (stale)", self.venue, what, event.silent_for)
                self._put(event)
            if reason is not None:
                self._close_reason = reason
                self.stats.stale_reconnects += 1
                log.warning("%s: %s; reconnecting", self.venue, reason)
                with contextlib.suppress(Exception):
                    await ws.close()
                return

    async def _heartbeat(self, interval: float, frame: Frame) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.send(frame)
            except VenueError:  # the connection is going: the reader sees it end
                return


# ---------------------------------------------------------------------------- request/response sessions
@dataclass(frozen=True, slots=True)
class Answer:
    """A message that answers the request in flight (or the login): `value` for the caller,
    or `error` to raise to it. `unpaired`: answers can no longer be paired with requests
    (e.g. an answer that was not even readable), so the connection is dropped after it."""

    value: object = None
    error: VenueError | None = None
    unpaired: bool = False


class WsSessionProtocol(_Receives[T], Protocol[T]):
    """The venue-specific, pure half of a request/response WebSocket session (`WsSession`).
    `receive` returns a `Reaction` whose `answer` answers the pending request or login and
    whose `items` are pushes; a Reaction with neither is an ignored frame."""

    def url(self) -> str:
        """The URL to connect to (query included)."""
        ...

    def login(self) -> Frame | None:
        """A new connection is up: reset the per-connection state and return the frame whose
        answer must come before any request (a login), or None."""
        ...


@dataclass(slots=True)
class SessionStats(EngineStats):
    """What a `WsSession` has done (tests and monitoring read these)."""

    connects: int = 0
    auth_failures: int = 0
    requests: int = 0
    answered: int = 0
    refused: int = 0
    """Requests the venue answered with an error (raised to the caller)."""
    timeouts: int = 0
    connections_lost: int = 0
    ignored_frames: int = 0
    """Frames that were no push and answered no waiting request (or came on a connection given up)."""
    backoff_waits: int = 0
    """Times a call waited for its turn to reconnect (backoff or Retry-After)."""
    pushes: int = 0


_CLOSE_TIMEOUT_S: Final = 2.0
SESSION_CORRELATIONS: Final = ("order",)
"""How a `WsSession` can pair answers with requests (the registry's [[ws]] `correlation`):
"order", the venue answers in request order and tags nothing, so one request is in flight."""


class _Link:
    """One connection of a session: the socket, its reader, the one waiting call."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.waiter: asyncio.Future[Answer] | None = None
        self.lost: ConnectionLost | None = None
        self.reader: asyncio.Task[None] | None = None
        self.closer: asyncio.Task[None] | None = None
        self.on_end: Callable[[], None] | None = None
        """Called once when a logged-in session ends (set once logged in)."""

    @property
    def usable(self) -> bool:
        return self.lost is None and not self.ws.closed

    def fail(self, error: ConnectionLost, *, by_client: bool = False) -> None:
        """The connection is gone (or given up): the waiting call, if any, gets `error`. The
        first call ends the session (`on_end`, unless the client closed it on purpose)."""
        first = self.lost is None
        lost = self.lost = error if self.lost is None else self.lost
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(lost)
        on_end, self.on_end = self.on_end, None
        if first and on_end is not None and not by_client:
            on_end()


def _deadline(scope: asyncio.Timeout) -> float:
    """The loop time at which `scope` (an `asyncio.timeout`) expires."""
    when = scope.when()
    return math.inf if when is None else when


class WsSession(_WsEngine[T]):
    """A request/response WebSocket session on the one engine: connect, send the protocol's
    `login()` frame and await its answer, then `request()`s, each awaiting its answer, with
    pushes (the Reaction's items) kept alongside (`next_push`, at most `buffer`, the oldest
    dropped). `correlation` is the channel's (registry [[ws]] `correlation`).

    - Correlation "order" (the venue's answers carry no id and come in request order): one
      request is in flight per connection; callers queue on a lock. A request abandoned in
      flight (timeout, cancellation), or an `Answer(unpaired=True)`, makes the pairing
      unknown: that connection is dropped and the next call opens a new one.
    - `timeout` bounds each call as a whole (waiting for earlier calls, reconnecting, the
      answer): `Timeout` (also a TimeoutError) naming the call and the phase.
    - Reconnect on demand: a lost connection fails the call in flight with ConnectionLost;
      the next call reconnects and logs in again. Attempts keep the `Backoff` turns (and an
      HTTP 429's Retry-After); on the first connection every failure is raised, later a call
      waits its turn within its timeout, or fails at once with the reason (RateLimited with
      the remaining `retry_after`, or ConnectionLost) when the turn comes after its deadline.
    - A login answered with an error raises it (counted in `stats.auth_failures`).
    - `ping_interval` s: WebSocket pings; a peer that does not pong is dropped. The venue's
      pings are answered (autoping). Messages over `max_message_size` fail the call waiting.
    - One event loop: WrongEventLoop at once from another; `close()` releases it (from
      another loop it forgets the old loop's connection, which can no longer be closed).
    Handshake errors are those of `WsStream`; no error holds an aiohttp error in its chain.
    Unknown fields of answers and pushes are sampled into `stats.unknown_fields` as a
    `WsStream` does (`unknown_first`, `unknown_every`).
    """

    protocol: WsSessionProtocol[T]

    def __init__(
        self,
        protocol: WsSessionProtocol[T],
        *,
        correlation: str = "order",
        timeout: float = 10.0,
        ping_interval: float | None = None,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        healthy_after: float = 10.0,
        max_message_size: int = 16 * 1024 * 1024,
        buffer: int = 1024,
        session: aiohttp.ClientSession | None = None,
        what: str = "session",
        capture: Tap | None = None,
        unknown_first: int = SAMPLE_FIRST,
        unknown_every: int = SAMPLE_EVERY,
    ) -> None:
        if correlation not in SESSION_CORRELATIONS:
            raise ValueError(f"a WsSession pairs answers by {', '.join(SESSION_CORRELATIONS)}, not {correlation!r}")
        if buffer < 1:
            raise ValueError("buffer must be at least 1")
        self.protocol = protocol
        self.correlation = correlation
        self.timeout = positive_seconds("timeout", timeout)
        self._init_engine(
            protocol.venue,
            what,
            session=session,
            backoff=Backoff(
                positive_seconds("backoff_initial", backoff_initial),
                positive_seconds("backoff_max", backoff_max),
                positive_seconds("healthy_after", healthy_after),
            ),
            connect_timeout=self.timeout,
            max_message_size=max_message_size,
            ping_interval=None if ping_interval is None else positive_seconds("ping_interval", ping_interval),
            capture=capture,
            unknown_first=unknown_first,
            unknown_every=unknown_every,
        )
        self.what = what
        self.stats = SessionStats(unknown_fields=self._unknowns.counter)
        self._buffer = buffer
        self._pushes: deque[T | DecodeFailure] = deque()
        self._pushed = asyncio.Event()
        self._lock = asyncio.Lock()
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._link: _Link | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._generation = 0
        self._ever_ready = False
        self.on_session_end: Callable[[], None] | None = None
        """Called when a logged-in connection ends other than by `close()` (a drop, a given-up
        pairing): a client with subscriptions reconnects and resubscribes from there."""

    @property
    def connected(self) -> bool:
        """Whether a logged-in connection is up now."""
        return self._link is not None and self._link.usable

    @property
    def where(self) -> str:
        """The URL without its query (error texts name it)."""
        return self._target(self.protocol.url())[1]

    async def _entered(self) -> None:
        await self.connect()

    def _enter(self) -> None:
        """Start of every public coroutine: WrongEventLoop on a foreign loop; a fresh lock on a new one."""
        loop = self._loop_bound.check()
        if self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
            self._pushed = asyncio.Event()

    async def connect(self) -> None:
        """Connect and log in unless connected. Raises Timeout, ConnectionLost, AuthError
        (HTTP 401/403), RateLimited (HTTP 429), the login's error, or WrongEventLoop."""
        self._enter()
        try:
            async with asyncio.timeout(self.timeout) as scope:
                async with self._lock:
                    await self._ready_link(_deadline(scope))
        except TimeoutError:
            self.stats.timeouts += 1
            raise Timeout(
                self.venue, f"connecting and logging in to {self.where} took over {self.timeout:g} s"
            ) from None

    async def request(self, make: Callable[[], Frame], what: str) -> object:
        """Send the frame `make()` returns (called once connected and logged in, the lock
        held) and return the value of its `Answer`, or raise the Answer's error. `what`
        names the call in a Timeout. Errors: see `connect`, plus Timeout and ConnectionLost."""
        self._enter()
        self.stats.requests += 1
        phase = "waiting for earlier calls"
        try:
            async with asyncio.timeout(self.timeout) as scope:
                async with self._lock:
                    phase = "connecting"
                    link = await self._ready_link(_deadline(scope))
                    phase = "waiting for the answer"
                    try:
                        answer = await self._exchange(link, make())
                    except BaseException:
                        self._give_up(link, f"{what} was abandoned in flight")  # its answer may still come
                        raise
        except TimeoutError:
            self.stats.timeouts += 1
            raise Timeout(self.venue, f"{what}: no result within {self.timeout:g} s ({phase})") from None
        if answer.error is not None:
            self.stats.refused += 1
            raise answer.error
        self.stats.answered += 1
        return answer.value

    async def next_push(self) -> T | DecodeFailure:
        """The oldest push not yet taken, waiting for one (bound it with asyncio.timeout)."""
        self._enter()
        while not self._pushes:
            self._pushed.clear()
            await self._pushed.wait()
        return self._pushes.popleft()

    async def close(self) -> None:
        """Close the connection; a call in flight fails with ConnectionLost. The session may be
        used again (the next call connects), also on another event loop. Called from another
        loop, it only forgets that loop's connection and session (they cannot be closed here)."""
        self._generation += 1
        try:
            self._loop_bound.check()
        except WrongEventLoop:
            self._link, self._lock_loop = None, None
            self._session = None if self._own_session else self._session
            self._tasks.clear()
            self._loop_bound.release()
            self._ever_ready = False
            return
        link, self._link = self._link, None
        if link is not None:
            link.fail(ConnectionLost(self.venue, f"the client closed the connection to {self.where}"), by_client=True)
            self._close_link(link)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=_CLOSE_TIMEOUT_S + 1)
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None
        self._loop_bound.release()
        self._ever_ready = False  # the next connection is a first one again: its failures are raised

    aclose = close

    # -- connection
    async def _ready_link(self, deadline: float) -> _Link:
        """The logged-in connection, (re)opening it when needed, no sooner than the turns
        allow; `deadline` (loop time) is the calling call's. Call with the lock held."""
        link = self._link
        if link is not None and link.usable:
            return link
        if link is not None:
            self._give_up(link, "replaced by a new connection")
        while True:
            await self._wait_turn(deadline)
            generation = self._generation
            try:
                link = await self._attempt()
            except (ConnectionLost, RateLimited):
                if not self._ever_ready or self._turns.not_before > deadline:
                    raise  # the first connection, or no time left to wait for the next attempt
                log.info("%s: reconnecting to %s failed; trying again when the backoff allows", self.venue, self.where)
                continue
            if generation != self._generation:  # close() ran while we were connecting
                self._give_up(link, "the client was closed while connecting")
                raise ConnectionLost(self.venue, f"the client was closed while connecting to {self.where}")
            self._link = link
            return link

    async def _wait_turn(self, deadline: float) -> None:
        """Sleep until the next attempt is allowed; when that is after `deadline`, raise at
        once (RateLimited after a rate limit, with the seconds left as `retry_after`, else
        ConnectionLost)."""
        wait = self._turns.wait()
        if wait <= 0:
            return
        if self._turns.not_before > deadline:
            last = self._turns.last
            what = last.message if last is not None else "the last connection failed"
            text = f"{what}; the next attempt is allowed in {wait:.3g} s"
            if isinstance(last, RateLimited):
                raise RateLimited(self.venue, text, last.code, retry_after=wait)
            raise ConnectionLost(self.venue, text)
        self.stats.backoff_waits += 1
        await asyncio.sleep(wait)

    async def _attempt(self) -> _Link:
        """One connection attempt; whatever ends it early schedules the next turn."""
        try:
            return await self._open()
        except BaseException as exc:
            interrupted = ConnectionLost(self.venue, f"connecting to {self.where} was interrupted")
            self._turns.failed(exc if isinstance(exc, VenueError) else interrupted)
            raise

    def _session_ended(self) -> None:
        self._turns.failed(ConnectionLost(self.venue, f"the last session with {self.where} ended"))
        if self.on_session_end is not None:
            self.on_session_end()

    async def _open(self) -> _Link:
        target, where = self._target(self.protocol.url())
        ws = await self._open_ws(target, where)
        self.stats.connects += 1
        if self.stats.connects > 1:
            self.stats.reconnects += 1
        link = _Link(ws)
        link.reader = self._spawn(self._read_link(link))
        try:
            frame = self.protocol.login()
            answer = None if frame is None else await self._exchange(link, frame)
        except BaseException:
            self._give_up(link, "the login did not complete")
            raise
        if answer is not None and answer.error is not None:
            self.stats.auth_failures += 1
            self._give_up(link, "the login was refused")
            raise answer.error
        if not link.usable:  # the venue closed right after accepting the login
            reason = link.lost.message if link.lost is not None else "the connection closed"
            raise ConnectionLost(self.venue, f"{reason}, right after logging in")
        self._turns.connected()
        link.on_end = self._session_ended
        self._ever_ready = True
        log.info("%s: connected and logged in to %s", self.venue, where)
        return link

    async def _exchange(self, link: _Link, frame: Frame) -> Answer:
        """Send one frame and wait for the Answer to it."""
        if link.lost is not None:
            raise link.lost
        waiter: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        link.waiter = waiter
        try:
            try:
                await self._send_on(link.ws, frame)
            except ConnectionLost as exc:
                link.fail(ConnectionLost(self.venue, f"sending to {self.where} failed: {exc.message}"))
            return await waiter
        finally:
            link.waiter = None
            if waiter.done() and not waiter.cancelled():
                waiter.exception()  # retrieved, also when the caller was cancelled

    async def _read_link(self, link: _Link) -> None:
        """Read every message of one connection (answering pings) until it closes."""
        reason = "the venue closed the connection"
        try:
            while True:
                message = await self._next_message(link.ws)
                if isinstance(message, _Closed):
                    reason = message.reason
                    break
                if isinstance(message, PayloadTooLarge):
                    self._answered(link, Answer(error=message, unpaired=True))
                    continue
                if self.capture is not None:
                    self._record(link.ws, "in", message)
                self._on_frame(link, message)
        except asyncio.CancelledError:
            reason = "the connection was closed"
            raise
        except VenueError as exc:
            reason = exc.message
        except Exception as exc:  # the socket failed under us
            reason = f"the connection failed: {describe(exc)}"
        finally:
            if link.lost is None:
                self.stats.connections_lost += 1
                log.warning("%s: %s (%s)", self.venue, reason, self.where)
            link.fail(ConnectionLost(self.venue, f"{reason} ({self.where})"))
            self._record_close(link.ws, reason)
            if not link.ws.closed:
                self._close_link(link)

    def _on_frame(self, link: _Link, data: Frame) -> None:
        if link.lost is not None:  # a connection given up: its frames pair with nothing
            self.stats.ignored_frames += 1
            return
        reaction = self._react(data)
        self._observe(data, reaction)
        for item in reaction.items:
            if isinstance(item, DecodeFailure):
                log.warning("%s: %s", self.venue, item.error)
            self._push(item)
        for frame in reaction.send:
            self._spawn(self._send_quietly(link, frame))
        if reaction.answer is not None:
            self._answered(link, reaction.answer)
        elif not reaction.items and not reaction.send:
            self.stats.ignored_frames += 1
        if reaction.fatal is not None:
            self._answered(link, Answer(error=reaction.fatal, unpaired=True))

    def _answered(self, link: _Link, answer: Answer) -> None:
        waiter = link.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(answer)
        else:
            self.stats.ignored_frames += 1
        if answer.unpaired:
            self._give_up(link, "an answer could not be paired with its request")

    def _push(self, item: T | DecodeFailure) -> None:
        if len(self._pushes) >= self._buffer:
            self._pushes.popleft()
            self.stats.dropped += 1
        self._pushes.append(item)
        self.stats.pushes += 1
        self._pushed.set()

    async def _send_quietly(self, link: _Link, frame: Frame) -> None:
        with contextlib.suppress(VenueError):  # a send that fails: the reader sees the end
            await self._send_on(link.ws, frame)

    def _give_up(self, link: _Link, reason: str) -> None:
        """Stop using `link` and close it in the background."""
        link.fail(ConnectionLost(self.venue, f"{reason} ({self.where})"))
        if self._link is link:
            self._link = None
        self._close_link(link)

    def _close_link(self, link: _Link) -> None:
        if link.closer is None:
            link.closer = self._spawn(self._close_ws(link))

    async def _close_ws(self, link: _Link) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(link.ws.close(), _CLOSE_TIMEOUT_S)
        reader = link.reader
        if reader is not None and reader is not asyncio.current_task() and not reader.done():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


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
    "Answer",
    "Backoff",
    "Closing",
    "DecodeFailure",
    "EngineStats",
    "Gap",
    "Http",
    "HttpReply",
    "LoopBound",
    "RateLimiter",
    "Reaction",
    "SessionStats",
    "SilenceWatch",
    "StreamEvent",
    "StreamOwner",
    "StreamStats",
    "WsProtocol",
    "WsSession",
    "WsSessionProtocol",
    "WsStream",
    "WsStreamSettings",
    "channel_silence",
    "describe",
    "positive_seconds",
]
