"""QFEX trade WebSocket client: HMAC authentication and get_order.

    async with QfexTradeClient(QfexCredentials.from_env()) as qfex:      # url=sim.url for the simulator
        resp = await qfex.get_order("AAPL-USD", "57cc1941-8ad1-4df3-b34c-bb556518befc")
        orders = orders_from_response(resp)                               # venuewire.models.Order

The thin I/O layer around `venuewire.qfex.protocol` (frames, pairing, connection state; pure).

- Connecting opens `url?api_key=<public key>` and sends the auth frame at once
  (`qfex_auth_frame` with a fresh `new_nonce()` and `int(clock())`), then waits for
  `{"authenticated": true}`. An error envelope raises its QfexError (PermissionDenied, i.e. a
  wrong key or secret, is a `QfexAuthError`, also a `venuewire.AuthError`); HTTP 401/403 on
  the handshake `AuthError`; nothing in `timeout` s `Timeout`.
- Pairing: QFEX answers are not tagged, and arrive in request order. The client SERIALIZES
  requests: an `asyncio.Lock` lets one get_order be in flight per connection, and the next
  answer (all_orders_response or an error envelope) is its answer. Any number of callers may
  call concurrently; they queue on the lock. A request abandoned in flight (timeout,
  cancellation) or answered by a frame that is not JSON makes the pairing unknown, so that
  connection is closed and the next call opens a new one.
- Timeouts: `timeout` bounds each call as a whole (waiting for earlier calls, reconnecting,
  the answer) and raises `Timeout` (also a TimeoutError).
- Reconnect: if the connection drops (also right after authenticating), the call in flight
  fails with `ConnectionLost` (also a ConnectionError) and the next call reconnects and
  authenticates again with a fresh nonce and timestamp.
- Backoff (`venuewire.transport.Backoff`): after a failed attempt or a session that ended
  within `healthy_after` s, the next attempt waits `backoff_initial` s, doubling per failure up
  to `backoff_max` (with jitter); only a session that lasted `healthy_after` s resets it. So a
  peer that accepts and closes at once sees a few attempts, never a storm.
- HTTP 429 at the handshake is `RateLimited` with `retry_after` (the Retry-After header, in
  seconds or as an HTTP date); no attempt is made before it has passed. On the first connection
  every failure is raised to the caller. Once the client has been connected, a call that needs
  a new connection waits its turn (backoff or Retry-After) and tries again within its own
  timeout; when the turn comes after the call's deadline, the call fails at once with the
  reason (RateLimited with the remaining `retry_after`, or ConnectionLost).
- One event loop: an open client used from another loop (e.g. a second `asyncio.run`) raises
  `WrongEventLoop` at once. `close()` frees it (from another loop it forgets the old loop's
  connection, which can no longer be closed properly); then it may be used on a new loop.
- A background reader answers the venue's WebSocket pings (aiohttp autoping) and notices a
  close at once; the client also pings every `heartbeat` s and drops a peer that does not pong.
The secret never appears in a repr, a log line or an exception text; auth frames are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final

import aiohttp

from venuewire.credentials import QfexCredentials
from venuewire.errors import AuthError, ConnectionLost, RateLimited, Timeout, VenueError, WrongEventLoop, retry_after
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse
from venuewire.generated.registry import WS_QFEX_TRADE
from venuewire.models import Order
from venuewire.qfex.errors import VENUE
from venuewire.qfex.orders import orders_from_response
from venuewire.qfex.protocol import (
    Answered,
    AuthFailed,
    Event,
    Ignored,
    Refused,
    State,
    TradeSession,
    check_get_order,
    trade_url,
)
from venuewire.signing import new_nonce, qfex_auth_frame
from venuewire.transport import Backoff, LoopBound, positive_seconds

__all__ = ["ClientStats", "QfexTradeClient"]

log = logging.getLogger("venuewire.qfex")

MAX_MESSAGE_SIZE: Final = 4 * 1024 * 1024
_CLOSE_TIMEOUT_S: Final = 2.0


@dataclass(slots=True)
class ClientStats:
    """What the client has done (tests and monitoring read these)."""

    connects: int = 0
    reconnects: int = 0
    """Connections opened after the first (after a drop, a timeout, an unreadable answer, close())."""
    auth_failures: int = 0
    requests: int = 0
    answered: int = 0
    refused: int = 0
    timeouts: int = 0
    connections_lost: int = 0
    ignored_frames: int = 0
    backoff_waits: int = 0
    """Times a call waited for its turn to reconnect (backoff or Retry-After)."""


class _Link:
    """One WebSocket connection: the socket, its protocol state, the one waiting call."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, where: str) -> None:
        self.ws = ws
        self.where = where
        self.session = TradeSession()
        self.waiter: asyncio.Future[Event] | None = None
        self.lost: ConnectionLost | None = None
        self.reader: asyncio.Task[None] | None = None
        self.closer: asyncio.Task[None] | None = None
        self.on_end: Callable[[], None] | None = None
        """Called once when an authenticated session ends (set once authenticated)."""

    @property
    def usable(self) -> bool:
        return self.lost is None and self.session.state is State.READY and not self.ws.closed

    def fail(self, error: ConnectionLost, *, by_client: bool = False) -> None:
        """The connection is gone (or given up): the waiting call, if any, gets `error`.
        The first call ends the session (`on_end`, unless the client closed it on purpose)."""
        first = self.lost is None
        lost = self.lost = error if self.lost is None else self.lost
        self.session.close()
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(lost)
        on_end, self.on_end = self.on_end, None
        if first and on_end is not None and not by_client:
            on_end()


class QfexTradeClient:
    """The QFEX trade WebSocket for one API key. Use as `async with` (connects and authenticates).

    `url` defaults to the registry's `wss://trade.qfex.com` and may point at
    `venuewire.sim.qfex` (`api_key` is added from `credentials`). `timeout` (s) bounds every
    call; `heartbeat` (s, or None) is how often the client pings. `backoff_initial`,
    `backoff_max` and `healthy_after` (s) shape the reconnect backoff (module docstring).
    `clock` (Unix seconds) and `nonce` (fresh hex nonces) are for tests.
    """

    def __init__(
        self,
        credentials: QfexCredentials,
        url: str = WS_QFEX_TRADE.url,
        *,
        timeout: float = 10.0,
        heartbeat: float | None = 30.0,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        healthy_after: float = 10.0,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = new_nonce,
    ) -> None:
        if not isinstance(credentials, QfexCredentials):
            raise TypeError("credentials must be QfexCredentials")
        positive_seconds("timeout", timeout)
        if heartbeat is not None:
            positive_seconds("heartbeat", heartbeat)
        self._backoff = Backoff(
            positive_seconds("backoff_initial", backoff_initial),
            positive_seconds("backoff_max", backoff_max),
            positive_seconds("healthy_after", healthy_after),
        )
        self._url = trade_url(url, credentials)
        self.url = str(self._url.with_query(None))
        self.timeout = float(timeout)
        self.heartbeat = None if heartbeat is None else float(heartbeat)
        self.stats = ClientStats()
        self._credentials = credentials
        self._clock = clock
        self._nonce = nonce
        self._bound = LoopBound(VENUE, "QfexTradeClient")
        self._lock = asyncio.Lock()
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._link: _Link | None = None
        self._http: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._generation = 0
        self._ever_ready = False
        self._not_before = 0.0
        """Monotonic time before which no connection is attempted (backoff, Retry-After)."""
        self._last_failure: tuple[bool, str] | None = None
        """(was it an HTTP 429, what failed) of the last attempt or session, for fail-fast errors."""

    def __repr__(self) -> str:
        return f"QfexTradeClient(url={self.url!r}, credentials={self._credentials!r}, connected={self.connected})"

    @property
    def connected(self) -> bool:
        """Whether an authenticated connection is up now."""
        return self._link is not None and self._link.usable

    # -- lifecycle -------------------------------------------------------------------------------
    async def __aenter__(self) -> QfexTradeClient:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        """Connect and authenticate unless already connected. Raises Timeout, ConnectionLost,
        AuthError (HTTP 401/403), RateLimited (HTTP 429), the venue's QfexError (e.g.
        QfexAuthError), or WrongEventLoop."""
        self._enter()
        try:
            async with asyncio.timeout(self.timeout) as scope:
                async with self._lock:
                    await self._ready_link(_deadline(scope))
        except TimeoutError:
            self.stats.timeouts += 1
            raise Timeout(VENUE, f"connecting and authenticating to {self.url} took over {self.timeout:g} s") from None

    async def close(self) -> None:
        """Close the connection; a call in flight fails with ConnectionLost. The client may be
        used again (the next call connects), also on another event loop. Called from another
        loop than the one it was used on, it only forgets that loop's connection and session
        (their loop is gone or not ours: they cannot be closed from here)."""
        self._generation += 1
        try:
            self._bound.check()
        except WrongEventLoop:
            self._link, self._http, self._lock_loop = None, None, None
            self._tasks.clear()
            self._bound.release()
            self._ever_ready = False
            return
        link, self._link = self._link, None
        if link is not None:
            link.fail(ConnectionLost(VENUE, f"the client closed the connection to {self.url}"), by_client=True)
            self._close_link(link)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=_CLOSE_TIMEOUT_S + 1)
        if self._http is not None:
            await self._http.close()
            self._http = None
        self._bound.release()
        self._ever_ready = False  # the next connection is a first one again: its failures are raised

    def _enter(self) -> None:
        """Start of every public coroutine: WrongEventLoop on a foreign loop; a fresh lock on a new one."""
        loop = self._bound.check()
        if self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop

    # -- requests --------------------------------------------------------------------------------
    async def get_order(self, symbol: str, order_id: str) -> AllOrdersResponse:
        """The account's open (or partly filled) orders matching `symbol` and `order_id`:
        `orders` and `stop_orders`, empty when the order is not open.

        `symbol` is a market (e.g. AAPL-USD), `order_id` a UUID: ValueError/TypeError naming
        the argument before anything is sent. Then: QfexError subclasses for error envelopes
        (also AuthError / RateLimited / InvalidRequest by kind), DecodeError for an answer that
        does not match its schema or holds a value its field cannot mean, Timeout,
        ConnectionLost, the connect errors (see `connect`), WrongEventLoop.
        """
        check_get_order(symbol, order_id)
        self._enter()
        self.stats.requests += 1
        phase = "waiting for earlier calls"
        try:
            async with asyncio.timeout(self.timeout) as scope:
                async with self._lock:
                    phase = "connecting"
                    link = await self._ready_link(_deadline(scope))
                    phase = "waiting for the answer"
                    text = link.session.get_order(symbol, order_id)
                    try:
                        event = await self._exchange(link, text)
                    except BaseException:
                        if link.session.in_flight is not None:  # the answer may still come: unpairable
                            link.session.abandon()
                            self._give_up(link, "a get_order was abandoned in flight")
                        raise
        except TimeoutError:
            self.stats.timeouts += 1
            raise Timeout(
                VENUE, f"get_order({symbol}, {order_id}): no result within {self.timeout:g} s ({phase})"
            ) from None
        if isinstance(event, Answered):
            self.stats.answered += 1
            return event.response
        if isinstance(event, Refused):
            self.stats.refused += 1
            raise event.error
        raise RuntimeError(f"unexpected event for get_order: {event!r}")  # pragma: no cover

    async def get_order_normalized(self, symbol: str, order_id: str) -> list[Order]:
        """`get_order` as venue-neutral `venuewire.models.Order`s (`orders`, then `stop_orders`)."""
        return orders_from_response(await self.get_order(symbol, order_id))

    # -- connection --------------------------------------------------------------------------------
    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def _ready_link(self, deadline: float) -> _Link:
        """The authenticated connection, (re)opening it when needed, no sooner than the backoff
        allows; `deadline` (loop time) is the calling call's. Call with the lock held."""
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
                if not self._ever_ready or self._not_before > deadline:
                    raise  # the first connection, or no time left to wait for the next attempt
                log.info("qfex: reconnecting to %s failed; trying again when the backoff allows", self.url)
                continue
            if generation != self._generation:  # close() ran while we were connecting
                self._give_up(link, "the client was closed while connecting")
                raise ConnectionLost(VENUE, f"the client was closed while connecting to {self.url}")
            self._link = link
            return link

    async def _wait_turn(self, deadline: float) -> None:
        """Sleep until the next attempt is allowed; when that is after `deadline`, raise at once
        (RateLimited after an HTTP 429, with the seconds left as `retry_after`, else ConnectionLost)."""
        wait = self._not_before - asyncio.get_running_loop().time()
        if wait <= 0:
            return
        if self._not_before > deadline:
            was_429, what = self._last_failure or (False, "the last connection failed")
            text = f"{what}; the next attempt is allowed in {wait:.3g} s"
            if was_429:
                raise RateLimited(VENUE, text, 429, retry_after=wait)
            raise ConnectionLost(VENUE, text)
        self.stats.backoff_waits += 1
        await asyncio.sleep(wait)

    def _schedule_retry(self, was_429: bool, what: str, retry_after: float | None = None) -> None:
        """A connection attempt failed or a session ended: the next attempt waits the backoff
        delay (or Retry-After, whichever is longer)."""
        now = asyncio.get_running_loop().time()
        self._backoff.lost(now)
        wait = max(self._backoff.delay(), retry_after or 0.0)
        self._not_before = max(self._not_before, now + wait)
        self._last_failure = (was_429, what)

    async def _attempt(self) -> _Link:
        """One connection attempt; whatever ends it early schedules the next one."""
        try:
            return await self._open()
        except BaseException as exc:
            wait = exc.retry_after if isinstance(exc, RateLimited) else None
            was_429 = isinstance(exc, RateLimited) and exc.code == 429
            what = exc.message if isinstance(exc, VenueError) else f"connecting to {self.url} was interrupted"
            self._schedule_retry(was_429, what, wait)
            raise

    def _session_ended(self) -> None:
        self._schedule_retry(False, f"the last session with {self.url} ended")

    def _handshake_refusal(self, exc: aiohttp.WSServerHandshakeError) -> VenueError:
        """The error for an HTTP status at the WebSocket handshake."""
        status = exc.status
        if status in (401, 403):
            return AuthError(VENUE, f"{self.url} refused the connection (HTTP {status})", status)
        if status == 429:
            wait = retry_after(exc.headers or {})
            return RateLimited(VENUE, f"{self.url} refused the connection (HTTP 429)", 429, retry_after=wait)
        return ConnectionLost(VENUE, f"{self.url} refused the WebSocket (HTTP {status})")

    async def _open(self) -> _Link:
        refusal: VenueError | None = None
        try:
            ws = await self._session().ws_connect(
                self._url,
                timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=_CLOSE_TIMEOUT_S),
                heartbeat=self.heartbeat,
                autoping=True,
                max_msg_size=MAX_MESSAGE_SIZE,
            )
        except aiohttp.WSServerHandshakeError as exc:
            refusal = self._handshake_refusal(exc)
        except (aiohttp.ClientError, OSError) as exc:
            refusal = ConnectionLost(VENUE, f"cannot connect to {self.url}: {type(exc).__name__}")
        if refusal is not None:  # raised here, not in the except block: no aiohttp error in its context
            raise refusal
        self.stats.connects += 1
        if self.stats.connects > 1:
            self.stats.reconnects += 1
        link = _Link(ws, self.url)
        link.reader = self._spawn(self._read(link))
        try:
            frame = qfex_auth_frame(self._credentials, self._nonce(), int(self._clock()))
            event = await self._exchange(link, link.session.auth(frame))
        except BaseException:
            self._give_up(link, "authentication did not complete")
            raise
        if isinstance(event, AuthFailed):
            self.stats.auth_failures += 1
            self._give_up(link, "authentication failed")
            raise event.error
        if not link.usable:  # the venue closed right after accepting the auth frame
            reason = link.lost.message if link.lost is not None else "the connection closed"
            raise ConnectionLost(VENUE, f"{reason}, right after authenticating")
        now = asyncio.get_running_loop().time()
        self._backoff.connected(now)
        link.on_end = self._session_ended
        self._ever_ready = True
        log.info("qfex: connected and authenticated to %s", self.url)
        return link

    async def _exchange(self, link: _Link, text: str) -> Event:
        """Send one frame and wait for the event that answers it."""
        if link.lost is not None:
            raise link.lost
        waiter: asyncio.Future[Event] = asyncio.get_running_loop().create_future()
        link.waiter = waiter
        try:
            try:
                await link.ws.send_str(text)
            except (aiohttp.ClientError, ConnectionError, RuntimeError) as exc:
                link.fail(ConnectionLost(VENUE, f"sending to {self.url} failed: {type(exc).__name__}"))
            return await waiter
        finally:
            link.waiter = None
            if waiter.done() and not waiter.cancelled():
                waiter.exception()  # retrieved, also when the caller was cancelled

    async def _read(self, link: _Link) -> None:
        """Read every frame of one connection (answering pings) until it closes."""
        ws = link.ws
        reason = "the venue closed the connection"
        try:
            while True:
                message = await ws.receive()
                if message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                    self._on_frame(link, message.data)
                elif message.type is aiohttp.WSMsgType.CLOSE:
                    extra = str(message.extra or "")[:120]
                    reason = f"the venue closed the connection (code {message.data}{': ' + extra if extra else ''})"
                    break
                elif message.type in (aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
                    reason = "the connection was closed"
                    break
                elif message.type is aiohttp.WSMsgType.ERROR:
                    reason = f"WebSocket error: {type(ws.exception()).__name__}"
                    break
        except asyncio.CancelledError:
            reason = "the connection was closed"
            raise
        except Exception as exc:  # the socket failed under us
            reason = f"the connection failed: {type(exc).__name__}"
        finally:
            if link.lost is None:
                self.stats.connections_lost += 1
                log.warning("qfex: %s (%s)", reason, self.url)
            link.fail(ConnectionLost(VENUE, f"{reason} ({self.url})"))
            if not ws.closed:
                self._close_link(link)

    def _on_frame(self, link: _Link, data: str | bytes) -> None:
        event = link.session.receive(data)
        if isinstance(event, Ignored):
            self.stats.ignored_frames += 1
            if event.error is not None:
                log.warning("qfex: ignored %s: %s", event.what, event.error)
            else:
                log.debug("qfex: ignored %s", event.what)
            return
        waiter = link.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(event)
        if isinstance(event, Refused) and event.close:
            self._give_up(link, "an answer could not be read, so answers can no longer be paired")

    def _give_up(self, link: _Link, reason: str) -> None:
        """Stop using `link` and close it in the background."""
        link.fail(ConnectionLost(VENUE, f"{reason} ({self.url})"))
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


def _deadline(scope: asyncio.Timeout) -> float:
    """The loop time at which `scope` (an `asyncio.timeout`) expires."""
    when = scope.when()
    return float("inf") if when is None else when
