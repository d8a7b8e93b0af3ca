"""QFEX trade WebSocket client: HMAC authentication and get_order.

    async with QfexTradeClient(QfexCredentials.from_env()) as qfex:      # url=sim.url for the simulator
        resp = await qfex.get_order("AAPL-USD", "57cc1941-8ad1-4df3-b34c-bb556518befc")
        orders = orders_from_response(resp)                               # venuewire.models.Order

The QFEX glue between the pure `venuewire.qfex.protocol` (frames, pairing, connection state)
and the one WebSocket engine, `venuewire.transport.WsSession` (connection, login, pairing by
order, reconnects, backoff, Retry-After, pings, the size cap, error mapping).

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

import logging
import time
from collections.abc import Callable
from typing import Final, Never, TypeVar

import msgspec
import yarl

from venuewire.credentials import QfexCredentials
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse
from venuewire.generated.qfex.ws_api import QfexTradeAPI
from venuewire.generated.registry import WS_QFEX_TRADE, WsRequest, required
from venuewire.messages import encode_json
from venuewire.models import Order
from venuewire.qfex.errors import VENUE
from venuewire.qfex.orders import orders_from_response
from venuewire.qfex.protocol import (
    Answered,
    AuthFailed,
    Ignored,
    PendingRequest,
    Refused,
    TradeSession,
    check_get_order,
    trade_url,
)
from venuewire.signing import new_nonce, qfex_auth_frame
from venuewire.transport import Answer, Closing, Frame, Reaction, SessionStats, WsSession, positive_seconds

__all__ = ["ClientStats", "QfexTradeClient"]

log = logging.getLogger("venuewire.qfex")

MAX_MESSAGE_SIZE: Final = 4 * 1024 * 1024

ClientStats = SessionStats
"""What the client has done (tests and monitoring read these): `venuewire.transport.SessionStats`."""


class _TradeProtocol:
    """QFEX's trade session as a `WsSessionProtocol`: a fresh `TradeSession` per connection,
    logged in with a fresh nonce and timestamp; its events become the engine's Answers."""

    venue = VENUE

    def __init__(
        self, url: yarl.URL, credentials: QfexCredentials, clock: Callable[[], float], nonce: Callable[[], str]
    ) -> None:
        self._url, self._credentials, self._clock, self._nonce = url, credentials, clock, nonce
        self.session = TradeSession()

    def __repr__(self) -> str:
        return f"_TradeProtocol({self.session!r})"

    def url(self) -> str:
        return str(self._url)

    def login(self) -> Frame:
        self.session = TradeSession()
        return self.session.auth(qfex_auth_frame(self._credentials, self._nonce(), int(self._clock())))

    def receive(self, data: Frame) -> Reaction[Never]:
        event = self.session.receive(data)
        if isinstance(event, Ignored):
            if event.error is not None:
                log.warning("qfex: ignored %s: %s", event.what, event.error)
            else:
                log.debug("qfex: ignored %s", event.what)
            return Reaction()
        if isinstance(event, AuthFailed):
            return Reaction(answer=Answer(error=event.error))
        if isinstance(event, Refused):
            return Reaction(answer=Answer(error=event.error, unpaired=event.close))
        return Reaction(answer=Answer(event.response if isinstance(event, Answered) else event))


_Reply = TypeVar("_Reply", bound=msgspec.Struct)


class _Requester:
    """The generated methods' `WsRequester`: one request through the engine (pairing by order),
    its answer checked to be the reply class."""

    def __init__(self, engine: WsSession[Never], protocol: _TradeProtocol) -> None:
        self._engine, self._protocol = engine, protocol

    async def request(self, entry: WsRequest, frame: msgspec.Struct, reply: type[_Reply]) -> _Reply:
        pending = PendingRequest(entry.name, entry.reply_key, reply)
        text = encode_json(frame).decode()
        answer = await self._engine.request(lambda: self._protocol.session.request(text, pending), entry.name)
        if not isinstance(answer, reply):  # pragma: no cover - the protocol answers with the reply class
            raise TypeError(f"unexpected answer to {entry.name}: {type(answer).__name__}")
        return answer


class QfexTradeClient(QfexTradeAPI, Closing):
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
        if heartbeat is not None:
            positive_seconds("heartbeat", heartbeat)
        target = trade_url(url, credentials)
        self._protocol = _TradeProtocol(target, credentials, clock, nonce)
        self._engine: WsSession[Never] = WsSession(
            self._protocol,
            correlation=required(WS_QFEX_TRADE.correlation, "qfex trade correlation"),
            timeout=timeout,
            ping_interval=heartbeat,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            healthy_after=healthy_after,
            max_message_size=MAX_MESSAGE_SIZE,
            what="QfexTradeClient",
        )
        self.url = str(target.with_query(None))
        self.timeout = float(timeout)
        self.heartbeat = None if heartbeat is None else float(heartbeat)
        self.stats: ClientStats = self._engine.stats
        self._credentials = credentials
        self._ws = _Requester(self._engine, self._protocol)

    def __repr__(self) -> str:
        return f"QfexTradeClient(url={self.url!r}, credentials={self._credentials!r}, connected={self.connected})"

    @property
    def connected(self) -> bool:
        """Whether an authenticated connection is up now."""
        return self._engine.connected

    async def _entered(self) -> None:
        await self.connect()

    async def connect(self) -> None:
        """Connect and authenticate unless already connected. Raises Timeout, ConnectionLost,
        AuthError (HTTP 401/403), RateLimited (HTTP 429), the venue's QfexError (e.g.
        QfexAuthError), or WrongEventLoop."""
        await self._engine.connect()

    async def close(self) -> None:
        """Close the connection; a call in flight fails with ConnectionLost. The client may be
        used again (the next call connects), also on another event loop. Called from another
        loop than the one it was used on, it only forgets that loop's connection and session
        (their loop is gone or not ours: they cannot be closed from here)."""
        await self._engine.close()

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
        return await super().get_order(symbol, order_id)

    async def get_order_normalized(self, symbol: str, order_id: str) -> list[Order]:
        """`get_order` as venue-neutral `venuewire.models.Order`s (`orders`, then `stop_orders`)."""
        return orders_from_response(await self.get_order(symbol, order_id))
