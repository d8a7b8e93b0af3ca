"""BitMart spot trading over REST: place, query, list and cancel orders, read the wallet and the book.

    async with BitmartTradeClient(BitmartCredentials.from_env()) as bitmart:   # or url=sim.rest_url
        order_id = await bitmart.place_order("BTC_USDT", "buy", size="0.001", price="29000.10")
        order = await bitmart.get_order(order_id)            # venuewire.models.Order, exact Decimals
        await bitmart.cancel("BTC_USDT", order_id)

Every endpoint of the registry is a generated typed method (`BitmartRestAPI`: `get_books`,
`submit_order`, `cancel_order`, `query_order`, `query_open_orders`, `get_wallet`, each taking
and returning the generated messages); the methods below add argument checks and return the
venue-neutral models (`Order`, `Balance`, `OrderBook`). Signed endpoints (POST) carry X-BM-KEY,
X-BM-SIGN over the exact JSON body sent and X-BM-TIMESTAMP (read after the limiter's wait);
the wallet is KEYED (X-BM-KEY alone); the book is public.

Errors: an envelope `code` other than 1000 is `error_for("bitmart", code, message)` through the
registry's error table, whatever the HTTP status (30002/30005/30007/30008 AuthError, 30013
RateLimited, 50005/50032 NotFound, 50000/50001/50020/50021/50030 InvalidRequest, unknown codes a
plain VenueError), each with BitMart's code as `code`; a reply that is not the documented one
is a DecodeError naming the field; Timeout, ConnectionLost and PayloadTooLarge as every REST
client (`venuewire.rest`). Bad arguments raise ValueError/TypeError before anything is sent.
The secret and memo never appear in a repr, a log line or an exception.

Normalization (pure, `order_from_bitmart`, `balances_from_bitmart`, `order_book_from_rest`):

| `Order` | v4 order (`query_order` data, `query_open_orders` rows) |
|---|---|
| `order_id` / `client_order_id` | `orderId` (text, exact) / `clientOrderId` (None when empty) |
| `side` / `type` / `status` | `side` / `type` / `state`, as sent |
| `price` | `price` (None for market orders) |
| `quantity` / `filled_quantity` | `size` / `filledSize` |
| `remaining` | `size - filledSize` while `state` is new or partially_filled, else 0 |
| `average_fill_price` | `priceAvg` (None before the first fill) |
| `created_at` / `updated_at` | `createTime` / `updateTime` (ms, UTC) |
| `account` | `"spot"` |

| `Balance` | wallet row (`get_wallet` data.wallet) |
|---|---|
| `account` / `currency` | `"spot"` / `currency` |
| `cash` / `total_assets` | `available + frozen` |
| `buying_power` / `withdrawable` | `available` |
| `frozen` | `frozen` |
| `market_value` | 0 (a coin balance holds no positions) |
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

import msgspec
import yarl

from venuewire.bitmart.book import VENUE, order_book_from_spot
from venuewire.bitmart.client import V3_BACKOFF_INITIAL_S, BitmartClient, _BitmartWsStream
from venuewire.bitmart.protocol import (
    DEFAULT_MAX_MESSAGE_SIZE,
    PING_INTERVAL_S,
    SpotState,
    V3Protocol,
    _failure,
    check_symbols,
)
from venuewire.capture.tap import CaptureTarget, Tap, open_tap
from venuewire.credentials import BitmartCredentials
from venuewire.errors import DecodeError
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.api import BitmartRestAPI
from venuewire.generated.bitmart.login import Login
from venuewire.generated.bitmart.rest_books_response import RestBook
from venuewire.generated.bitmart.rest_cancel_order_body import RestCancelOrderBody
from venuewire.generated.bitmart.rest_open_orders_body import RestOpenOrdersBody
from venuewire.generated.bitmart.rest_order import RestOrder
from venuewire.generated.bitmart.rest_query_order_body import RestQueryOrderBody
from venuewire.generated.bitmart.rest_submit_order_body import RestOrderType, RestSide, RestSubmitOrderBody
from venuewire.generated.bitmart.rest_wallet_response import RestWalletRow
from venuewire.generated.bitmart.spot_depth import SpotDepthData
from venuewire.generated.bitmart.user_balance import UserBalancePush
from venuewire.generated.bitmart.user_order import UserOrder, UserOrderPush
from venuewire.generated.registry import (
    REST_BITMART_SUBMIT_ORDER,
    WS_BITMART_USER_BALANCE,
    WS_BITMART_USER_ORDER,
    required,
)
from venuewire.messages import decode_json
from venuewire.models import Balance, Fill, Order, OrderBook
from venuewire.rest import RestCaller, RestReplies
from venuewire.transport import (
    DEFAULT_MAX_BODY,
    Closing,
    Frame,
    LoopBound,
    RateLimiter,
    Reaction,
    WsStreamSettings,
    positive_seconds,
)
from venuewire.values import decimal_of, finite_decimal, utc_from_ms

__all__ = [
    "BALANCE_TOPIC",
    "OPEN_STATES",
    "ORDER_CHANNEL",
    "SPOT_ACCOUNT",
    "BitmartBalanceStream",
    "BitmartOrderStream",
    "BitmartTradeClient",
    "UserBalanceProtocol",
    "UserOrderProtocol",
    "balances_from_bitmart",
    "balances_from_push",
    "order_book_from_rest",
    "order_events_from_push",
    "order_from_bitmart",
]

OPEN_STATES: Final = frozenset({"new", "partially_filled"})
"""Order states in which an order still rests on the book."""
SPOT_ACCOUNT: Final = "spot"
"""The `account` of every BitMart balance: the spot wallet."""
_ZERO: Final = Decimal(0)
_MAX_ID_CHARS: Final = 64
ORDER_CHANNEL: Final[str] = required(WS_BITMART_USER_ORDER.channel, "bitmart user_order channel")
BALANCE_TOPIC: Final[str] = required(WS_BITMART_USER_BALANCE.channel, "bitmart user_balance channel")
_ORDER_PUSH: Final = "user_order"
_BALANCE_PUSH: Final = "user_balance"


# --------------------------------------------------------------------------- normalization (pure)
def order_from_bitmart(
    order: RestOrder, *, message: str = "rest_order_response", path: tuple[str | int, ...] = ("data",)
) -> Order:
    """The venue-neutral order of one v4 order row (see the module doc). DecodeError naming
    the field for a NaN or infinite number or a time outside year 1 to 9999."""

    def num(name: str, value: Decimal) -> Decimal:
        return finite_decimal(value, VENUE, message, (*path, name))

    client = order.clientOrderId if isinstance(order.clientOrderId, str) else ""
    return _order(
        order,
        (order.orderId, client),
        (order.symbol, order.side, order.type, order.state),
        (num("size", order.size), num("filledSize", order.filledSize), num("price", order.price)),
        num("priceAvg", order.priceAvg),
        (
            utc_from_ms(order.createTime, VENUE, message, (*path, "createTime")),
            utc_from_ms(order.updateTime, VENUE, message, (*path, "updateTime")),
        ),
    )


def _order(  # noqa: PLR0917 - the parts both order shapes share
    raw: object,
    ids: tuple[str, str],
    what: tuple[str, str, str, str],
    amounts: tuple[Decimal, Decimal, Decimal],
    average: Decimal | None,
    times: tuple[datetime | None, datetime | None],
) -> Order:
    """The normalized order: ids (order, client), what (symbol, side, type, state), amounts
    (size, filled, price), the average fill price and the times (created, updated)."""
    (order_id, client), (symbol, side, kind, state), (size, filled, price) = ids, what, amounts
    return Order(
        venue=VENUE,
        order_id=order_id,
        client_order_id=client or None,
        symbol=symbol,
        side=side,
        type=kind,
        status=state,
        quantity=size,
        price=None if kind == "market" else price,
        remaining=size - filled if state in OPEN_STATES else _ZERO,
        filled_quantity=filled,
        average_fill_price=average if filled else None,
        created_at=times[0],
        updated_at=times[1],
        account=SPOT_ACCOUNT,
        raw=raw,
    )


def balances_from_bitmart(rows: list[RestWalletRow], *, message: str = "rest_wallet_response") -> list[Balance]:
    """One venue-neutral balance per wallet row, in the order sent (see the module doc)."""
    out = []
    for index, row in enumerate(rows):
        where = ("data", "wallet", index)
        available = finite_decimal(row.available, VENUE, message, (*where, "available"))
        frozen = finite_decimal(row.frozen, VENUE, message, (*where, "frozen"))
        out.append(_balance(row.currency, available, frozen, row))
    return out


def order_book_from_rest(book: RestBook) -> OrderBook:
    """The normalized book of a `get_books` reply's data (through the v3 book builder: the
    same levels, best first, exact text; `timestamp` from `ts`). DecodeError naming the field
    of rest_books_response for a price or size that is not a finite decimal."""
    snapshot = SpotDepthData(asks=book.asks, bids=book.bids, ms_t=int(book.ts), symbol=book.symbol)
    try:
        normalized = order_book_from_spot(snapshot)
    except DecodeError as exc:  # name the REST message and its path, not the socket's
        failure = DecodeError(VENUE, "rest_books_response", ("data", *exc.field_path[2:]), exc.detail)
    else:
        return msgspec.structs.replace(normalized, raw=book)
    raise failure


def _ms(text: str, message: str, path: tuple[str | int, ...]) -> datetime | None:
    """A push's time text (Unix epoch ms) as UTC; None when empty."""
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise DecodeError(VENUE, message, path, f"expected Unix epoch milliseconds as digits, got {text[:40]!r}")
    return utc_from_ms(int(text), VENUE, message, path)


def order_events_from_push(entry: UserOrder, index: int = 0) -> list[Order | Fill]:
    """What one `spot/user/order` entry says: the order (normalized as `order_from_bitmart`),
    preceded by the Fill that caused the push when it names one (`last_fill_count` above 0:
    `detail_id`, `last_fill_price`, `last_fill_time`). DecodeError naming the field."""
    path: tuple[str | int, ...] = ("data", index)
    m = _ORDER_PUSH

    def num(name: str, value: Decimal) -> Decimal:
        return finite_decimal(value, VENUE, m, (*path, name))

    size, filled = num("size", entry.size), num("filled_size", entry.filled_size)
    sent_notional = entry.filled_notional
    notional = None if isinstance(sent_notional, msgspec.UnsetType) else num("filled_notional", sent_notional)
    client = entry.client_order_id if isinstance(entry.client_order_id, str) else ""
    order = _order(
        entry,
        (entry.order_id, client),
        (entry.symbol, entry.side, entry.type, entry.order_state),
        (size, filled, num("price", entry.price)),
        notional / filled if notional is not None and filled else None,
        (_ms(entry.create_time, m, (*path, "create_time")), _ms(entry.update_time, m, (*path, "update_time"))),
    )
    count = entry.last_fill_count if isinstance(entry.last_fill_count, str) else ""
    quantity = decimal_of(count, VENUE, m, (*path, "last_fill_count")) if count else _ZERO
    if quantity <= 0:
        return [order]
    price_text = entry.last_fill_price if isinstance(entry.last_fill_price, str) else ""
    fill_time = entry.last_fill_time if isinstance(entry.last_fill_time, str) else ""
    detail = entry.detail_id if isinstance(entry.detail_id, str) and entry.detail_id else None
    fill = Fill(
        venue=VENUE,
        account=SPOT_ACCOUNT,
        fill_id=detail or f"{entry.order_id}:{fill_time}",
        symbol=entry.symbol,
        side=entry.side,
        quantity=quantity,
        price=decimal_of(price_text, VENUE, m, (*path, "last_fill_price")),
        order_id=entry.order_id,
        timestamp=_ms(fill_time, m, (*path, "last_fill_time")),
        status=entry.exec_type if isinstance(entry.exec_type, str) and entry.exec_type else None,
        raw=entry,
    )
    return [fill, order]


def balances_from_push(push: UserBalancePush) -> list[Balance]:
    """One Balance per coin of each `spot/user/balance` entry, in the order sent (`av_bal`
    available, `fz_bal` frozen; mapped as a wallet row)."""
    out = []
    for index, event in enumerate(push.data):
        for row_index, row in enumerate(event.balance_details):
            where = ("data", index, "balance_details", row_index)
            available = finite_decimal(row.av_bal, VENUE, _BALANCE_PUSH, (*where, "av_bal"))
            frozen = finite_decimal(row.fz_bal, VENUE, _BALANCE_PUSH, (*where, "fz_bal"))
            out.append(_balance(row.ccy, available, frozen, row))
    return out


def _balance(currency: str, available: Decimal, frozen: Decimal, raw: object) -> Balance:
    return Balance(
        venue=VENUE,
        account=SPOT_ACCOUNT,
        cash=available + frozen,
        total_assets=available + frozen,
        market_value=_ZERO,
        buying_power=available,
        frozen=frozen,
        withdrawable=available,
        currency=currency,
        raw=raw,
    )


_T = TypeVar("_T")


class _PrivateProtocol(V3Protocol[_T]):
    """A private channel's login, its signature registered with `capture` (the client's tap)
    before the frame is sent, and so before it is recorded."""

    capture: Tap | None = None

    def opening(self) -> list[Frame]:
        frames = super().opening()
        if self.capture is not None and self.state is SpotState.LOGGING_IN and frames:
            _register_login_sign(self.capture, frames[0])
        return frames


def _register_login_sign(tap: Tap, frame: Frame) -> None:
    """Register the signature of login frame `frame` (`{"op":"login","args":[key, ts, sign]}`) with `tap`."""
    text = frame.encode("utf-8") if isinstance(frame, str) else frame
    tap.secret(decode_json(Login, text).args[2])


class UserOrderProtocol(_PrivateProtocol[Order | Fill]):
    """The private `spot/user/order:SYMBOL` channel for one or more pairs (no I/O): logs in,
    subscribes after the login reply, and turns each push entry into its Fill (when one caused
    it) and its Order. A bad entry is a DecodeFailure, the others go through."""

    ws_channel = WS_BITMART_USER_ORDER

    def __init__(
        self, url: str, symbols: str | Sequence[str], credentials: BitmartCredentials, **settings: Any
    ) -> None:
        self.symbols = check_symbols(symbols)
        topics = [ORDER_CHANNEL.format(symbol=s) for s in self.symbols]
        super().__init__(url, topics, credentials=credentials, **settings)

    def __repr__(self) -> str:
        return f"UserOrderProtocol({list(self.topics)!r})"

    def _data(self, text: bytes) -> Reaction[Order | Fill]:
        try:
            push = decode_json(UserOrderPush, text)
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, text)])
        items: list[Order | Fill | DecodeFailure] = []
        for index, entry in enumerate(push.data):
            try:
                items.extend(order_events_from_push(entry, index))
            except DecodeError as exc:
                items.append(_failure(exc, text))
        return Reaction(items=items)


class UserBalanceProtocol(_PrivateProtocol[Balance]):
    """The private `spot/user/balance:BALANCE_UPDATE` channel (no I/O): each push's coins as Balances."""

    ws_channel = WS_BITMART_USER_BALANCE

    def __init__(self, url: str, credentials: BitmartCredentials, **settings: Any) -> None:
        super().__init__(url, [BALANCE_TOPIC], credentials=credentials, **settings)

    def __repr__(self) -> str:
        return "UserBalanceProtocol()"

    def _data(self, text: bytes) -> Reaction[Balance]:
        try:
            balances = balances_from_push(decode_json(UserBalancePush, text))
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, text)])
        return Reaction(items=list(balances))


class BitmartOrderStream(_BitmartWsStream[Order | Fill, UserOrderProtocol]):
    """The private order stream (`BitmartTradeClient.order_updates`): `Order` and `Fill` items,
    `Gap` and `DecodeFailure` events; ends with the venue's typed error (`failure`) when it
    refuses the login or the subscription."""


class BitmartBalanceStream(_BitmartWsStream[Balance, UserBalanceProtocol]):
    """The private balance stream (`BitmartTradeClient.balance_updates`): `Balance` items, as
    `BitmartOrderStream` otherwise."""


# --------------------------------------------------------------------------- argument checks
def _text(name: str, value: object, *, limit: int = _MAX_ID_CHARS) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str")
    if not value or len(value) > limit or not value.isprintable() or value.strip() != value:
        raise ValueError(f"{name} must be 1 to {limit} printable characters without surrounding spaces")
    return value


def _amount(name: str, value: object) -> Decimal:
    """A positive finite Decimal from a Decimal, int or decimal text, in plain notation."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{name} must be a Decimal, an int or a decimal string")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{name} must be a decimal number") from None
    if not number.is_finite() or number <= 0:
        raise ValueError(f"{name} must be a positive finite number")
    return Decimal(format(number, "f"))


def _check_base_url(url: object) -> str:
    if not isinstance(url, str):
        raise TypeError("url must be a str")
    parsed = yarl.URL(url.rstrip("/"))
    if parsed.scheme not in ("http", "https") or not parsed.host or parsed.path not in ("", "/") or parsed.query_string:
        raise ValueError("url must be http(s)://host[:port] with no path, query or fragment")
    return url.rstrip("/")


# --------------------------------------------------------------------------- the client
class BitmartTradeClient(BitmartRestAPI, RestReplies, Closing):
    """BitMart spot trading for one API key: every BitMart REST endpoint of the registry as a
    typed method (`BitmartRestAPI`, generated) plus the normalized helpers below. Use as
    `async with`; `close()` closes the HTTP session (the client may then be used again).

    `url` (`scheme://host[:port]`) defaults to the venue's and may point at the simulator
    (`BitmartSimulator.rest_url`). `timeout` (s) bounds each request. `limiter` replaces the
    per-endpoint limiters of the registry's `requests_per_second`. `clock` returns Unix time in
    seconds (the signed timestamp). `max_body` caps a reply body in bytes. `capture` records
    every request, reply and private-socket frame into one file (a path or a shared
    `CaptureWriter`; default: `VENUEWIRE_CAPTURE`; see `venuewire.capture.tap`), the key,
    secret, memo, every X-BM-SIGN and the login signature redacted; `close()` closes a file
    the client opened."""

    def __init__(
        self,
        credentials: BitmartCredentials,
        url: str = REST_BITMART_SUBMIT_ORDER.base_url,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
        max_body: int = DEFAULT_MAX_BODY,
        ws_url: str = WS_BITMART_USER_ORDER.url,
        buffer: int = 1024,
        reconnect: bool = True,
        backoff_initial: float = V3_BACKOFF_INITIAL_S,
        backoff_max: float = 10.0,
        healthy_after: float = 10.0,
        idle_timeout: float | None = None,
        capture: CaptureTarget = None,
    ) -> None:
        if not isinstance(credentials, BitmartCredentials):
            raise TypeError("credentials must be BitmartCredentials")
        self.timeout = positive_seconds("timeout", timeout)
        self.url = _check_base_url(url)
        self._credentials = credentials
        self.capture = open_tap(capture, VENUE, credentials)
        """The recording of every request, reply and private-socket frame (None when off; see
        `venuewire.capture.tap`): the key, secret, memo and every signature redacted."""
        self._rest = RestCaller(
            VENUE,
            self.url,
            credentials,
            timeout=self.timeout,
            limiter=limiter,
            clock=clock,
            max_body=max_body,
            capture=self.capture,
        )
        self._ws = BitmartClient(  # the private socket's streams (login, reconnects, backoff)
            url=ws_url,
            credentials=credentials,
            buffer=buffer,
            timeout=self.timeout,
            idle_timeout=idle_timeout,
            reconnect=reconnect,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            healthy_after=healthy_after,
            clock=clock,
            capture=self.capture.writer if self.capture is not None else None,
        )
        self._ws.capture = self.capture  # one tap: the REST caller's and the private socket's
        self.ws_url = self._ws.url
        self._loop_bound = LoopBound(VENUE)

    def __repr__(self) -> str:
        return f"BitmartTradeClient(url={self.url!r}, credentials={self._credentials!r})"

    async def close(self) -> None:
        """Close the private streams and the HTTP session (the client can be used again, on
        any event loop), then the capture file the client opened."""
        try:
            await self._ws.close_streams()
            await self._rest.close()
        finally:
            self._loop_bound.release()
            if self.capture is not None:
                self.capture.close()

    def _settings(self) -> WsStreamSettings:
        return self._ws._settings(PING_INTERVAL_S, self._ws.backoff_initial or V3_BACKOFF_INITIAL_S)

    def order_updates(self, symbols: str | Sequence[str]) -> BitmartOrderStream:
        """The account's order updates for `symbols` (a pair or distinct pairs) from the private
        `spot/user/order:SYMBOL` channel: items `Order` and, before an order a fill changed,
        that `Fill`; plus `Gap` after reconnects and `DecodeFailure`. Logs in on every
        (re)connection, subscribes after the login reply; a refused login ends the stream with
        the typed error (`stream.failure`). Nothing is sent until the stream is iterated."""
        channel = UserOrderProtocol(
            self.ws_url,
            tuple([symbols] if isinstance(symbols, str) else symbols),
            self._credentials,
            clock=self._ws.clock,
            max_message_size=DEFAULT_MAX_MESSAGE_SIZE,
        )
        channel.capture = self.capture
        return self._ws._track(BitmartOrderStream(channel, **self._settings()))

    def balance_updates(self) -> BitmartBalanceStream:
        """The account's coin balances after each change, from the private
        `spot/user/balance:BALANCE_UPDATE` channel: items `Balance` (one per coin that changed),
        as `order_updates` otherwise."""
        channel = UserBalanceProtocol(
            self.ws_url, self._credentials, clock=self._ws.clock, max_message_size=DEFAULT_MAX_MESSAGE_SIZE
        )
        channel.capture = self.capture
        return self._ws._track(BitmartBalanceStream(channel, **self._settings()))

    async def place_order(
        self,
        symbol: str,
        side: str,
        type: str = "limit",
        *,
        size: Decimal | int | str | None = None,
        price: Decimal | int | str | None = None,
        notional: Decimal | int | str | None = None,
        client_order_id: str | None = None,
        stp_mode: str | None = None,
    ) -> str:
        """Place one spot order; returns its id (digits as text, exact). `side` buy or sell;
        `type` limit, market, limit_maker or ioc (another word is sent as given). A limit
        order needs `size` and `price`, a market buy `notional` (quote coin), a market sell
        `size`. Amounts are sent as plain decimal text. Raises ValueError/TypeError before
        sending; then the VenueError subclasses of the module doc (e.g. 50020 InvalidRequest
        for an insufficient balance)."""
        self._loop_bound.check()
        body = RestSubmitOrderBody(
            symbol=_text("symbol", symbol), side=RestSide(_side(side)), type=RestOrderType(_text("type", type))
        )
        amounts = {"size": size, "price": price, "notional": notional}
        for name, value in amounts.items():
            if value is not None:
                setattr(body, name, _amount(name, value))
        if body.type is RestOrderType.limit and (size is None or price is None):
            raise ValueError("a limit order needs size and price")
        if body.type is RestOrderType.market and (notional if body.side is RestSide.buy else size) is None:
            raise ValueError("a market buy needs notional, a market sell needs size")
        if client_order_id is not None:
            body.client_order_id = _text("client_order_id", client_order_id, limit=32)
        if stp_mode is not None:
            body.stpMode = _text("stp_mode", stp_mode)
        reply = await self.submit_order(body)
        return reply.data.order_id

    async def cancel(self, symbol: str, order_id: str | None = None, *, client_order_id: str | None = None) -> bool:
        """Cancel one unfinished order by `order_id` or `client_order_id` (exactly one);
        True when BitMart took the cancel. An order that is not open is refused with BitMart's
        code (NotFound 50005 / 50032, InvalidRequest 50030 already cancelled)."""
        self._loop_bound.check()
        if (order_id is None) == (client_order_id is None):
            raise ValueError("give exactly one of order_id and client_order_id")
        body = RestCancelOrderBody(symbol=_text("symbol", symbol))
        if order_id is not None:
            body.order_id = _text("order_id", order_id)
        if client_order_id is not None:
            body.client_order_id = _text("client_order_id", client_order_id, limit=32)
        reply = await self.cancel_order(body)
        return reply.data.result

    async def get_order(self, order_id: str, query_state: str | None = None) -> Order:
        """One order by id, normalized; `query_state` "open" or "history" narrows the search
        (both when None). An unknown id is NotFound with BitMart's code."""
        self._loop_bound.check()
        body = RestQueryOrderBody(orderId=_text("order_id", order_id))
        if query_state is not None:
            if query_state not in ("open", "history"):
                raise ValueError("query_state must be 'open', 'history' or None")
            body.queryState = query_state
        reply = await self.query_order(body)
        return order_from_bitmart(reply.data)

    async def open_orders(self, symbol: str | None = None, *, limit: int | None = None) -> list[Order]:
        """The account's new and partially filled orders (of `symbol`, when given), normalized,
        newest first as BitMart lists them; `limit` 1 to 200."""
        self._loop_bound.check()
        body = RestOpenOrdersBody()
        if symbol is not None:
            body.symbol = _text("symbol", symbol)
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 200:
                raise ValueError("limit must be an int from 1 to 200")
            body.limit = limit
        reply = await self.query_open_orders(body)
        return [
            order_from_bitmart(row, message="rest_open_orders_response", path=("data", index))
            for index, row in enumerate(reply.data)
        ]

    async def balances(self, currency: str | None = None) -> list[Balance]:
        """The spot wallet, one normalized Balance per coin (only `currency`, when given)."""
        self._loop_bound.check()
        reply = await self.get_wallet(currency=_text("currency", currency) if currency is not None else None)
        return balances_from_bitmart(reply.data.wallet)

    async def order_book(self, symbol: str, limit: int | None = None) -> OrderBook:
        """The public REST book of `symbol` (at most `limit` levels a side, 1 to 50), normalized."""
        self._loop_bound.check()
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 50):
            raise ValueError("limit must be an int from 1 to 50")
        reply = await self.get_books(symbol=_text("symbol", symbol), limit=limit)
        return order_book_from_rest(reply.data)


def _side(side: object) -> str:
    if side not in ("buy", "sell"):
        raise ValueError("side must be 'buy' or 'sell'")
    return str(side)
