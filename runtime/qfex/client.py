"""QFEX trade WebSocket client: HMAC authentication, every declared request, the private channels.

    async with QfexTradeClient(QfexCredentials.from_env()) as qfex:      # url=sim.url for the simulator
        resp = await qfex.get_order("AAPL-USD", "57cc1941-8ad1-4df3-b34c-bb556518befc")
        orders = orders_from_response(resp)                               # venuewire.models.Order
        placed = await qfex.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", Decimal("1"), Decimal("150.5"))
        async for item in qfex.order_updates():                           # Order | Gap | DecodeFailure
            ...

- Requests: one typed method per `[[ws.requests]]` entry (generated/qfex/ws_api.py); answers
  that echo an id (`pair_by`: add_order and close_position by client_order_id, which the
  client always sends, cancel/modify by order_id) are told from the order_responses pushes
  by it; others are the next frame with their reply key. Each takes its weight from the
  key's `budget` (registry `[ws.rate_limit]`, shared by every client of the key in the
  process): it waits while the weight does not fit, or raises RateLimited when it cannot fit
  within `timeout`.
- Streams: `order_updates()`, `fills()`, `positions()`, `balances()` subscribe their channel
  on first read (`await stream.ready()` waits for it) and again after every drop (a `Gap`
  per outage); a push that does not decode is a `DecodeFailure` and the stream goes on; at
  most `buffer` items wait (the oldest dropped, `stream.dropped`). `cancel_on_disconnect(True)`
  is sent again on every new connection (QFEX scopes it to one connection).

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

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeVar

import msgspec
import yarl

from venuewire.capture.tap import CaptureTarget, Tap, open_tap
from venuewire.credentials import QfexCredentials
from venuewire.errors import AuthError, InvalidRequest, VenueError
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.qfex.add_order import AddOrder
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse
from venuewire.generated.qfex.balance_response import BalanceResponseMessage
from venuewire.generated.qfex.cancel_on_disconnect import CancelOnDisconnect
from venuewire.generated.qfex.cancel_on_disconnect_response import CancelOnDisconnectResponse
from venuewire.generated.qfex.fill_response import FillResponseMessage
from venuewire.generated.qfex.modify_order import ModifyOrder
from venuewire.generated.qfex.order_response import OrderResponseMessage
from venuewire.generated.qfex.position_response import PositionResponseMessage
from venuewire.generated.qfex.subscribe import Channel, Subscribe
from venuewire.generated.qfex.subscribed import Subscribed
from venuewire.generated.qfex.user_trades_response import UserTradesMessage
from venuewire.generated.qfex.ws_api import QfexTradeAPI
from venuewire.generated.registry import (
    WS_QFEX_TRADE,
    WS_QFEX_TRADE_ADD_ORDER,
    WS_QFEX_TRADE_CANCEL_ON_DISCONNECT,
    WS_QFEX_TRADE_MODIFY_ORDER,
    WsRequest,
    required,
)
from venuewire.messages import encode_json
from venuewire.models import Balance, Fill, Order, Position
from venuewire.qfex.account import balance_from_qfex, fill_from_qfex, position_from_qfex
from venuewire.qfex.budget import WeightedBudget, budget_for
from venuewire.qfex.errors import VENUE
from venuewire.qfex.feeds import PUSHES, Feed, Push, channel_of_failure, push_of
from venuewire.qfex.orders import order_from_qfex, orders_from_response
from venuewire.qfex.protocol import (
    Answered,
    AuthFailed,
    Ignored,
    PendingRequest,
    Refused,
    State,
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
        self.capture: Tap | None = None
        """The client's recording: each login's signature is registered as a secret."""
        self.session = TradeSession()
        self.channels: set[str] = set()
        """The channels some stream reads: pushes of others are not kept."""

    def __repr__(self) -> str:
        return f"_TradeProtocol({self.session!r})"

    def url(self) -> str:
        return str(self._url)

    def login(self) -> Frame:
        self.session = TradeSession()
        auth = qfex_auth_frame(self._credentials, self._nonce(), int(self._clock()))
        if self.capture is not None:
            self.capture.secret(auth["params"]["hmac"]["signature"])
        return self.session.auth(auth)

    def receive(self, data: Frame) -> Reaction[Push]:
        event = self.session.receive(data)
        push = push_of(data) if self.session.state is State.READY and self.channels else None
        if push is not None:
            channel = channel_of_failure(push) if isinstance(push, DecodeFailure) else PUSHES[type(push)]
            push = push if channel is None or channel in self.channels else None
        items: list[Push | DecodeFailure] = [] if push is None else [push]
        if isinstance(event, Ignored):
            if event.error is not None:
                log.warning("qfex: ignored %s: %s", event.what, event.error)
            elif push is None:
                log.debug("qfex: ignored %s", event.what)
            return Reaction(items=items)
        if isinstance(event, AuthFailed):
            return Reaction(answer=Answer(error=event.error))
        if isinstance(event, Refused):
            return Reaction(items=items, answer=Answer(error=event.error, unpaired=event.close))
        return Reaction(items=items, answer=Answer(event.response if isinstance(event, Answered) else event))


_Reply = TypeVar("_Reply", bound=msgspec.Struct)


class _Requester:
    """The generated methods' `WsRequester`: one request through the engine (pairing by order),
    its answer checked to be the reply class."""

    def __init__(
        self, engine: WsSession[Push], protocol: _TradeProtocol, budget: WeightedBudget, timeout: float
    ) -> None:
        self._engine, self._protocol, self._budget, self._timeout = engine, protocol, budget, timeout
        self.cancel_on_disconnect = False
        """Whether the caller turned cancel-on-disconnect on: sent again on every new connection."""
        self._seen = 0

    async def request(self, entry: WsRequest, frame: msgspec.Struct, reply: type[_Reply]) -> _Reply:
        if self.cancel_on_disconnect and entry.name != "cancel_on_disconnect":
            await self._engine.connect()
            if self._engine.stats.connects != self._seen:  # a new connection: opt in again (per connection)
                self._seen = self._engine.stats.connects
                again = WS_QFEX_TRADE_CANCEL_ON_DISCONNECT
                opt_in = msgspec.convert(
                    {"type": again.name, "params": {"cancel_on_disconnect": True}}, CancelOnDisconnect
                )
                await self.request(again, opt_in, CancelOnDisconnectResponse)
        sent = getattr(frame, "params", None)
        pair = tuple((name, value) for name in entry.pair_by if isinstance(value := getattr(sent, name, None), str))
        pending = PendingRequest(entry.name, entry.reply_key, reply, pair)
        text = encode_json(frame).decode()
        await self._budget.acquire(entry.name, self._timeout)
        answer = await self._engine.request(lambda: self._protocol.session.request(text, pending), entry.name)
        if not isinstance(answer, reply):  # pragma: no cover - the protocol answers with the reply class
            raise TypeError(f"unexpected answer to {entry.name}: {type(answer).__name__}")
        if isinstance(answer, CancelOnDisconnectResponse):
            self.cancel_on_disconnect = answer.cancel_on_disconnect
            self._seen = self._engine.stats.connects
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
        buffer: int = 1024,
        weight_limit: float | None = None,
        capture: CaptureTarget = None,
    ) -> None:
        if not isinstance(credentials, QfexCredentials):
            raise TypeError("credentials must be QfexCredentials")
        if heartbeat is not None:
            positive_seconds("heartbeat", heartbeat)
        target = trade_url(url, credentials)
        self._protocol = _TradeProtocol(target, credentials, clock, nonce)
        if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 1:
            raise ValueError("buffer must be a positive int")
        self._engine: WsSession[Push] = WsSession(
            self._protocol,
            correlation=required(WS_QFEX_TRADE.correlation, "qfex trade correlation"),
            timeout=timeout,
            ping_interval=heartbeat,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            healthy_after=healthy_after,
            max_message_size=MAX_MESSAGE_SIZE,
            buffer=buffer,
            what="QfexTradeClient",
            capture=open_tap(capture, VENUE, credentials),
        )
        self.capture = self._protocol.capture = self._engine.capture
        """The recording of the session's frames (None when off; see `venuewire.capture.tap`)."""
        self.url = str(target.with_query(None))
        self.timeout = float(timeout)
        self.heartbeat = None if heartbeat is None else float(heartbeat)
        self.stats: ClientStats = self._engine.stats
        self._credentials = credentials
        self.budget = budget_for(credentials.public_key, BUDGET_LIMIT if weight_limit is None else weight_limit)
        """The weighted budget of this key, shared by every client of it in the process."""
        self._ws = _Requester(self._engine, self._protocol, self.budget, self.timeout)
        self.buffer = buffer
        self._feeds: list[Feed[Any]] = []
        self._keeper: asyncio.Task[None] | None = None
        self._pump: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()
        self._engine.on_session_end = self._session_lost

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
        """Close the connection and end every stream (StopAsyncIteration); a call in flight
        fails with ConnectionLost. The client may be used again (the next call connects), also
        on another event loop. Called from another loop than the one it was used on, it only
        forgets that loop's connection and session (their loop is gone or not ours: they
        cannot be closed from here)."""
        for feed in list(self._feeds):
            await feed.aclose()
        await self._stop_tasks()
        await self._engine.close()
        if self.capture is not None:
            self.capture.close()

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

    # -- orders with exact numbers ---------------------------------------------------------------

    async def add_order(  # noqa: PLR0917 - the generated method's parameters, numbers wider
        self,
        symbol: str,
        side: str,
        order_type: str,
        order_time_in_force: str,
        quantity: Decimal | float | int,
        price: Decimal | float | int | None = None,
        take_profit: Decimal | float | int | None = None,
        stop_loss: Decimal | float | int | None = None,
        client_order_id: str | None = None,
    ) -> OrderResponseMessage:
        """Place an order; its answer is the order_response carrying `client_order_id` (a fresh
        UUID when None, so the answer is told from other order pushes). Numbers may be Decimals
        (sent digit for digit). TypeError naming the field for a bad value, before sending;
        then as `get_order`."""
        check_symbol(symbol)
        params = {
            "symbol": symbol,
            "side": side,
            "order_type": order_type,
            "order_time_in_force": order_time_in_force,
            "quantity": quantity,
            "price": price,
            "take_profit": take_profit,
            "stop_loss": stop_loss,
            "client_order_id": client_order_id or str(uuid.uuid4()),
        }
        frame = _checked(AddOrder, "add_order", params)
        return await self._ws.request(WS_QFEX_TRADE_ADD_ORDER, frame, OrderResponseMessage)

    async def modify_order(  # noqa: PLR0917 - the generated method's parameters, numbers wider
        self,
        symbol: str,
        order_id: str,
        price: Decimal | float | int,
        quantity: Decimal | float | int,
        side: str,
        order_type: str,
    ) -> OrderResponseMessage:
        """Change a resting order's price and quantity (answered by its order_response)."""
        check_get_order(symbol, order_id)
        params = {
            "symbol": symbol,
            "order_id": order_id.lower(),
            "price": price,
            "quantity": quantity,
            "side": side,
            "order_type": order_type,
        }
        return await self._ws.request(
            WS_QFEX_TRADE_MODIFY_ORDER, _checked(ModifyOrder, "modify_order", params), OrderResponseMessage
        )

    async def cancel_order(
        self, symbol: str, cancel_order_id_type: str, order_id: str | None = None, client_order_id: str | None = None
    ) -> OrderResponseMessage:
        """Cancel by `order_id` (a UUID) or by `client_order_id` (cancel_order_id_type says which)."""
        check_symbol(symbol)
        if order_id is not None:
            check_get_order(symbol, order_id)
            order_id = order_id.lower()
        return await super().cancel_order(symbol, cancel_order_id_type, order_id, client_order_id)

    async def close_position(self, symbol: str, client_order_id: str | None = None) -> OrderResponseMessage:
        """Close the whole position in `symbol` (a reduce-only LIMIT IOC order); answered by that
        order's order_response, paired by `client_order_id` (a fresh UUID when None)."""
        check_symbol(symbol)
        return await super().close_position(symbol, client_order_id or str(uuid.uuid4()))

    async def add_order_normalized(self, *args: Any, **kwargs: Any) -> Order:
        """`add_order` as a venue-neutral `venuewire.models.Order`."""
        reply = await self.add_order(*args, **kwargs)
        return order_from_qfex(reply.order_response, message="order_response", path=("order_response",))

    async def get_user_trades_normalized(self, **kwargs: Any) -> list[Fill]:
        """`get_user_trades` as venue-neutral `venuewire.models.Fill`s (newest first)."""
        reply: UserTradesMessage = await self.get_user_trades(**kwargs)
        key = self._credentials.public_key
        return [
            fill_from_qfex(t, key, message="user_trades_response", path=("user_trades", i))
            for i, t in enumerate(reply.user_trades)
        ]

    # -- the private channels as streams ---------------------------------------------------------

    def order_updates(self) -> Feed[Order]:
        """Every order_response push (answers to this client's requests included) as an
        `Order | Gap | DecodeFailure` stream; subscribes to order_responses on first read and
        again after every reconnect (a Gap marks each outage)."""
        return self._feed(Channel.order_responses.value, _order_of)

    def fills(self) -> Feed[Fill]:
        """The fills channel as `Fill | Gap | DecodeFailure` (see `order_updates`)."""
        key = self._credentials.public_key
        return self._feed(Channel.fills.value, lambda push: _fill_of(push, key))

    def positions(self) -> Feed[Position]:
        """The positions channel as `Position | Gap | DecodeFailure` (see `order_updates`)."""
        key = self._credentials.public_key
        return self._feed(Channel.positions.value, lambda push: _position_of(push, key))

    def balances(self) -> Feed[Balance]:
        """The balances channel as `Balance | Gap | DecodeFailure` (see `order_updates`)."""
        key = self._credentials.public_key
        return self._feed(Channel.balances.value, lambda push: _balance_of(push, key))

    def _feed(self, channel: str, normalize: Callable[[Push], Any]) -> Feed[Any]:
        feed: Feed[Any] = Feed(channel, normalize, self.buffer, self._start, self._forget)
        self._feeds.append(feed)
        self._protocol.channels.add(channel)
        return feed

    def _forget(self, feed: Feed[Any]) -> None:
        if feed in self._feeds:
            self._feeds.remove(feed)
        self._protocol.channels = {f.channel for f in self._feeds}

    def _session_lost(self) -> None:
        self._lost.set()

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._keeper is None or self._keeper.done():
            self._lost = asyncio.Event()
            self._keeper = loop.create_task(self._keep(), name="qfex subscriptions")
        if self._pump is None or self._pump.done():
            self._pump = loop.create_task(self._route(), name="qfex pushes")

    async def _stop_tasks(self) -> None:
        for task in (self._keeper, self._pump):
            if task is not None and not task.done() and task is not asyncio.current_task():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._keeper = self._pump = None

    async def _subscribe(self, channel: str) -> None:
        frame = _checked(Subscribe, "subscribe", {"channels": [channel]})
        pending = PendingRequest("subscribe", "subscribed", Subscribed)
        text = encode_json(frame).decode()
        await self.budget.acquire("subscribe", self.timeout)
        await self._engine.request(lambda: self._protocol.session.request(text, pending), f"subscribe {channel}")

    async def _keep(self) -> None:
        """Connect and subscribe every channel a stream reads; after each drop, again (with
        the engine's backoff), then a Gap to every stream. The first connection's failure, or
        a refusal (auth, subscription), ends the streams with it."""
        first, lost_at, reason = True, 0.0, ""
        while self._feeds:
            self._lost.clear()
            try:
                await self._engine.connect()
                for channel in sorted({f.channel for f in self._feeds}):
                    await self._subscribe(channel)
                for feed in list(self._feeds):
                    feed.subscribed()
            except (AuthError, InvalidRequest) as exc:
                self._end_feeds(exc)
                return
            except VenueError as exc:
                if first:
                    self._end_feeds(exc)
                    return
                if not lost_at:
                    lost_at, reason = time.time(), exc.message
                await asyncio.sleep(min(self._engine.timeout, 0.05))
                continue
            if lost_at:
                gap = Gap(lost_at, time.time(), reason)
                for feed in list(self._feeds):
                    feed.put(gap)
            first, lost_at = False, 0.0
            await self._lost.wait()
            lost_at, reason = time.time(), "the connection was lost"
            log.info("qfex: subscriptions lost; reconnecting")

    def _end_feeds(self, error: VenueError) -> None:
        for feed in list(self._feeds):
            feed.fail(error)

    async def _route(self) -> None:
        """Hand every push to the streams of its channel."""
        while True:
            item = await self._engine.next_push()
            channel = channel_of_failure(item) if isinstance(item, DecodeFailure) else _channel_of(item)
            for feed in list(self._feeds):
                if channel is None or feed.channel == channel:
                    feed.put(item)


BUDGET_LIMIT: Final = required(WS_QFEX_TRADE.rate_limit, "qfex trade rate_limit").limit


def check_symbol(symbol: str) -> None:
    """TypeError/ValueError naming `symbol` unless it is a market name (see check_get_order)."""
    check_get_order(symbol, "00000000-0000-0000-0000-000000000000")


def _checked(kind: type[_Reply], name: str, params: dict[str, Any]) -> _Reply:
    try:
        return msgspec.convert({"type": name, "params": {k: v for k, v in params.items() if v is not None}}, kind)
    except msgspec.ValidationError as exc:
        raise TypeError(f"{name}: {exc}") from None


def _channel_of(push: Push) -> str:
    return PUSHES[type(push)]


def _order_of(push: Push) -> Order:
    assert isinstance(push, OrderResponseMessage)
    return order_from_qfex(push.order_response, message="order_response", path=("order_response",))


def _fill_of(push: Push, account: str) -> Fill:
    assert isinstance(push, FillResponseMessage)
    return fill_from_qfex(push.fill_response, account, message="fill_response", path=("fill_response",))


def _position_of(push: Push, account: str) -> Position:
    assert isinstance(push, PositionResponseMessage)
    return position_from_qfex(push.position_response, account)


def _balance_of(push: Push, account: str) -> Balance:
    assert isinstance(push, BalanceResponseMessage)
    return balance_from_qfex(push.balance_response, account)
