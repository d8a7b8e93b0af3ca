"""An embedded QFEX trade WebSocket for tests, the demo and development: no account, no network.

One aiohttp server (`sim.url`, `ws://host:port/`, like WS_QFEX_TRADE's `wss://trade.qfex.com`)
for the keys it knows (`api_key` / `secret`, default DEFAULT_API_KEY / DEFAULT_SECRET; `serve()`
reads VENUEWIRE_QFEX_PUBLIC_KEY / VENUEWIRE_QFEX_SECRET first; `sim.add_key` adds more).
Client frames are `{"type": ..., "params": {...}}`; checks, in order:

    upgrade without ?api_key=, or with a key it does not know  -> HTTP 401, no WebSocket [guess:
                                                                  QFEX may instead accept and refuse
                                                                  the auth frame]
    no auth accepted within `auth_within_s` s (registry: 60)   -> close code 1008 [guess: the code]
    more than `rate_limit` (20) frames on one connection in
      any `rate_window_s` (1) s, sliding; every frame counts    -> RateLimited (a simulator setting)
    not a JSON object with a string "type"                     -> InvalidJSONFormat
    any type but auth before the connection is authenticated   -> PermissionDenied
    auth on an authenticated connection                        -> AlreadyAuthenticated
    auth params that do not match the auth schema              -> InvalidParameter [guess]
    auth with a jwt (or anything else) instead of hmac         -> PermissionDenied (the simulator
                                                                  checks HMAC only)
    auth: public_key is not the URL's api_key; nonce empty,
      over 100 characters or not hex; unix_ts more than
      `timestamp_tolerance_s` (30) from our clock; signature
      not hex(HMAC-SHA256(secret, f"{nonce}:{unix_ts}")); the
      nonce already accepted for this key within 15 minutes    -> PermissionDenied [guess: the 30 s]
    auth otherwise                                             -> {"authenticated": true}
    get_order params not {"symbol": 1-64 characters of
      letters, digits and ._/:-, "order_id": a UUID}           -> InvalidParameter
    get_order                                                  -> {"all_orders_response": {"orders":
                                                                  [...], "stop_orders": [...]}}
    after auth, the key's frames weigh more than its budget
      (WS_QFEX_TRADE.rate_limit: weights per type, cancels in
      their own bucket, per key across connections; a sliding
      sum over the window [guess: QFEX averages])              -> RateLimited
    add_order, cancel_order, modify_order, cancel_all_orders,
      get_user_orders, get_user_trades, close_position,
      cancel_on_disconnect, subscribe, unsubscribe             -> from the key's `Account` (below):
                                                                  order_responses, all_orders_response,
                                                                  user_trades, subscribed acks;
                                                                  params not matching the request
                                                                  schema -> InvalidParameter
    any other request WS_QFEX_TRADE.requests declares, its
      frame not matching the request schema                    -> InvalidParameter
    any other request WS_QFEX_TRADE.requests declares          -> its reply schema's first example
                                                                  (venuewire.generated.qfex.examples)
    any other type (add_twap, ...)                             -> InvalidJSONFormat [guess: the
                                                                  simulator implements only these]

An error is `{"err": {"error_code", "message", "incoming_message"}}`, echoing the offending frame
as received (null when it is not a JSON object) [guess: whether QFEX echoes every frame, auth
included]; with `sim.error_form = "legacy"` it is the older `{"type": "error", "error_code",
"message"}`. A refused auth leaves the connection open (the deadline still runs) [guess]. The
server pings every `ping_interval_s` (the registry's WS_QFEX_TRADE.ping_interval_s, a [guess]: the
venue only says it pings) and closes a connection that does not pong (aiohttp's heartbeat).
Error codes, the auth deadline and the nonce rules come from the registry too.

get_order answers with the account's open or partly filled orders (ORDERS; never those in
CLOSED_ORDERS) whose symbol and order_id match (the UUID compared case-insensitively); plain
orders in `orders`, TAKE_PROFIT / STOP_LOSS / STOP_MARKET in `stop_orders`; both lists empty when
nothing matches (an unknown symbol included [guess]). Numbers are JSON floats, update_time float
seconds, trade_id null until a fill, as QFEX sends them; stop orders come in the documented
stop-order shape (no update_time, trade_id, take_profit, stop_loss). Every key sees the same account.

Subscribed connections get their channels' pushes at each tick of the push clock (order_responses
of the key's other connections, fills, positions, balances; positions and balances at once on
subscribing). A connection that turned cancel_on_disconnect on cancels every open order of the
key when it closes, however it closes [guess: QFEX says "drops unexpectedly"].

Layers: `expected_signature`, `verify_auth`, `get_order_reply`, `NonceBook`, `FrameLimit`,
`Account`, `WeightBudget` and `TradeConnection` are pure (frames and clocks in, frames out);
`QfexSimulator` moves frames and applies the `Fault`s in `sim.faults` (a set shared by every
connection, applying to each reply as it is written): DROP_CONNECTION, SLOW_REPLY, and
GARBAGE_FRAME, which replaces each reply by a text frame that is not JSON (GARBAGE). The
connection machinery is `venuewire.sim.server.WsSimulator`; the orders come from the package's
data files.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import os
import re
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Final, Literal

import msgspec
from aiohttp import web

from venuewire.credentials import QfexCredentials
from venuewire.generated.qfex.add_order import (
    AddOrder,
    AddOrderParams,
    OrderDirection,
    OrderTimeInForce,
    RequestOrderType,
)
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse, AllOrdersResponseMessage
from venuewire.generated.qfex.auth import Auth, HmacAuthParams
from venuewire.generated.qfex.auth_response import AuthResponse
from venuewire.generated.qfex.balance_response import BalanceResponse, BalanceResponseMessage
from venuewire.generated.qfex.cancel_all_orders import CancelAllOrders
from venuewire.generated.qfex.cancel_on_disconnect import CancelOnDisconnect
from venuewire.generated.qfex.cancel_on_disconnect_response import CancelOnDisconnectResponse
from venuewire.generated.qfex.cancel_order import CancelOrder, CancelOrderParams
from venuewire.generated.qfex.close_position import ClosePosition, ClosePositionParams
from venuewire.generated.qfex.error import ErrorBody, ErrorCode, ErrorMessage
from venuewire.generated.qfex.fill_response import FillResponseMessage
from venuewire.generated.qfex.get_order import GetOrder
from venuewire.generated.qfex.get_user_orders import GetUserOrders, GetUserOrdersParams
from venuewire.generated.qfex.get_user_trades import GetUserTrades, GetUserTradesParams
from venuewire.generated.qfex.legacy_error import LegacyErrorMessage
from venuewire.generated.qfex.modify_order import ModifyOrder, ModifyOrderParams
from venuewire.generated.qfex.order import Order, OrderStatus, OrderType, Side
from venuewire.generated.qfex.order_response import OrderResponseMessage
from venuewire.generated.qfex.position_response import PositionResponse, PositionResponseMessage
from venuewire.generated.qfex.subscribe import Subscribe
from venuewire.generated.qfex.subscribed import Subscribed
from venuewire.generated.qfex.user_trade import UserTrade
from venuewire.generated.qfex.user_trades_response import UserTradesMessage
from venuewire.generated.registry import AUTH_SCHEMES, MESSAGES, WS_QFEX_TRADE, WeightedLimit, WsRequest, required
from venuewire.messages import encode_json
from venuewire.qfex.errors import code_named
from venuewire.sim.rest import examples
from venuewire.sim.server import Connection, Fault, Frame, SlidingWindow, WsSimulator, example, serve_until_cancelled

__all__ = [
    "CLOSED_ORDERS",
    "DEFAULT_API_KEY",
    "DEFAULT_SECRET",
    "DEMO_ORDER_ID",
    "DEMO_SYMBOL",
    "ORDERS",
    "Fault",
    "FrameLimit",
    "NonceBook",
    "QfexSimulator",
    "SeenAuth",
    "SimState",
    "SimStats",
    "TradeConnection",
    "expected_signature",
    "get_order_reply",
    "is_open",
    "serve",
    "verify_auth",
]

DEFAULT_API_KEY: Final = "qfex_pub_venuewire_sim"
DEFAULT_SECRET: Final = "venuewire-sim-qfex-secret"
AUTH_WITHIN_S: Final[int] = required(WS_QFEX_TRADE.auth_within_s, "qfex trade auth_within_s")
MAX_NONCE_LEN: Final[int] = required(WS_QFEX_TRADE.max_nonce_len, "qfex trade max_nonce_len")
NONCE_WINDOW_S: Final[int] = required(WS_QFEX_TRADE.nonce_unique_window_s, "qfex trade nonce_unique_window_s")
RATE_LIMIT: Final = 20
"""Frames per connection per second: a simulator setting on top of the venue's weighted budget
per key (`WS_QFEX_TRADE.rate_limit`, `WeightBudget`)."""
PING_INTERVAL_S: Final[float] = float(required(WS_QFEX_TRADE.ping_interval_s, "qfex trade ping_interval_s"))
"""Seconds between the server's WebSocket pings (registry; a [guess] there)."""
TIMESTAMP_TOLERANCE_S: Final = float(
    required(AUTH_SCHEMES[WS_QFEX_TRADE.auth].timestamp_tolerance_s, "qfex timestamp_tolerance_s")
)
"""How far an auth frame's unix_ts may be from the server clock (registry; a [guess] there)."""
GARBAGE: Final = "<html><body><h1>502 Bad Gateway</h1></body></html>"
RECORD_LIMIT: Final = 10_000

RATE_LIMITED: Final = code_named("rate_limited")
INVALID_JSON: Final = code_named("invalid_json")
ALREADY_AUTHENTICATED: Final = code_named("already_authenticated")
INVALID_PARAMETER: Final = code_named("invalid_parameter")
PERMISSION_DENIED: Final = code_named("permission_denied")

_HEX: Final = re.compile(r"[0-9a-fA-F]+")
_SYMBOL: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}")
_UUID: Final = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_STOP_TYPES: Final = frozenset({OrderType.TAKE_PROFIT, OrderType.STOP_LOSS, OrderType.STOP_MARKET})
_OPEN_STATUSES: Final = frozenset({OrderStatus.ACK, OrderStatus.MODIFIED})

Incoming = dict[str, Any]
"""A client frame that is a JSON object, as received."""


# --- the account's orders -------------------------------------------------------------------
# From the package's data files (validated by the schemas): the open (or partly filled) orders
# get_order can return, and the filled or cancelled ones it never returns.


def _orders(name: str) -> tuple[Order, ...]:
    reply = example(AllOrdersResponseMessage, name).all_orders_response
    return (*reply.orders, *(reply.stop_orders or ()))


ORDERS: Final[tuple[Order, ...]] = _orders("open_orders")
"""The account's open (or partly filled) orders: plain orders first, then stop orders."""
CLOSED_ORDERS: Final[tuple[Order, ...]] = _orders("closed_orders")
"""Orders the account also has that get_order never returns (filled, cancelled)."""
DEMO_SYMBOL: Final = ORDERS[0].symbol
DEMO_ORDER_ID: Final = ORDERS[0].order_id
"""An open AAPL-USD limit order in ORDERS (the order id of the venue's get_order example)."""


def is_open(order: Order) -> bool:
    """Open or partly filled: ACK or MODIFIED, or FILLED with quantity left."""
    status = order.status
    return status in _OPEN_STATUSES or (status is OrderStatus.FILLED and order.quantity_remaining > 0)


# --- pure parts -------------------------------------------------------------------------------


def expected_signature(secret: str, nonce: str, unix_ts: int) -> str:
    """Lower-case hex HMAC-SHA256(secret, f"{nonce}:{unix_ts}"), the signature QFEX expects."""
    return hmac.new(secret.encode(), f"{nonce}:{unix_ts}".encode(), hashlib.sha256).hexdigest()


class NonceBook:
    """The nonces accepted per key in the last `window_s` seconds (QFEX: 15 minutes); pure."""

    def __init__(self, window_s: float = NONCE_WINDOW_S) -> None:
        self.window_s = window_s
        self._seen: dict[str, dict[str, float]] = {}

    def seen(self, key: str, nonce: str, now: float) -> bool:
        """Whether `nonce` was accepted for `key` less than `window_s` before `now`."""
        accepted = self._seen.get(key, {}).get(nonce)
        return accepted is not None and now - accepted < self.window_s

    def add(self, key: str, nonce: str, now: float) -> None:
        nonces = self._seen.setdefault(key, {})
        for old in [n for n, t in nonces.items() if now - t >= self.window_s]:
            del nonces[old]
        nonces[nonce] = now


def verify_auth(  # noqa: PLR0917 - one argument per input of the check
    secret: str,
    url_key: str,
    proof: HmacAuthParams,
    now: float,
    tolerance_s: float,
    nonces: NonceBook,
) -> str | None:
    """None when the auth frame's `proof` proves `secret` for `url_key` at `now`, else why
    not (the PermissionDenied message). Checks the public key, the nonce's form, the
    timestamp, the signature, then that the nonce is fresh; does not record the nonce."""
    if proof.public_key != url_key:
        return "public_key is not the api_key of the connection"
    if not proof.nonce or len(proof.nonce) > MAX_NONCE_LEN or not _HEX.fullmatch(proof.nonce):
        return f"nonce must be 1 to {MAX_NONCE_LEN} hex characters"
    if abs(proof.unix_ts - now) > tolerance_s:
        return "unix_ts is too far from the server time"
    good = expected_signature(secret, proof.nonce, proof.unix_ts)
    if not hmac.compare_digest(proof.signature.encode(), good.encode()):
        return "signature does not match"
    if nonces.seen(url_key, proof.nonce, now):
        return "nonce was already used"
    return None


def get_order_reply(symbol: str, order_id: str) -> AllOrdersResponseMessage:
    """The all_orders_response for a checked get_order: the open orders with that symbol and
    order_id, stop types in stop_orders."""
    wanted = order_id.lower()
    found = [o for o in (*ORDERS, *CLOSED_ORDERS) if o.symbol == symbol and o.order_id == wanted and is_open(o)]
    return AllOrdersResponseMessage(
        AllOrdersResponse(
            orders=[o for o in found if o.type not in _STOP_TYPES],
            stop_orders=[o for o in found if o.type in _STOP_TYPES],
        )
    )


class FrameLimit:
    """At most `limit` frames in any `window_s` seconds (sliding); pure."""

    def __init__(self, limit: int, window_s: float) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("rate_limit must be >= 1 and rate_window_s > 0")
        self.limit, self.window_s = limit, window_s
        self._window = SlidingWindow(window_s)

    def allow(self, now: float) -> bool:
        """Whether a frame at `now` may go (it then counts)."""
        if self._window.count(now) >= self.limit:
            return False
        self._window.add(now)
        return True


# --- the account: orders, fills, positions, balances (pure) ----------------------------------
# Per public key. Orders cross a fixed simulated book (BOOK: the best bid and ask per market, from
# the package's data file all_orders_response/book.json): a BUY at or above the ask (a SELL at or
# below the bid, any MARKET order) fills in full at that price [guess: unlimited depth]; an ALO that
# would cross is REJECTED; an IOC or FOK that does not cross is CANCELLED; a GTC one rests (ACK).
# The answer to add_order / close_position is the ACK order_response; a fill follows as pushes
# (order_responses FILLED, fills, positions, balances) to every subscribed connection of the key.
# Margin: notional / LEVERAGE must fit available_balance (FAILED_MARGIN_CHECK) [guess: the
# docs' example leverage 20]. Refusals are order_responses with the documented OrderStatus codes.

LEVERAGE: Final = Decimal(20)
CHANNELS: Final = frozenset({"order_responses", "fills", "positions", "balances"})
_ZERO: Final = Decimal(0)


def _book() -> dict[str, tuple[Decimal, Decimal]]:
    makers = example(AllOrdersResponseMessage, "book").all_orders_response.orders
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for symbol in sorted({o.symbol for o in makers}):
        bids = [o.price for o in makers if o.symbol == symbol and o.side is Side.BUY]
        asks = [o.price for o in makers if o.symbol == symbol and o.side is Side.SELL]
        out[symbol] = (max(bids), min(asks))
    return out


BOOK: Final[dict[str, tuple[Decimal, Decimal]]] = _book()
"""Best (bid, ask) per market the simulator trades."""


_WRAPPERS: Final[dict[str, Callable[[Any], msgspec.Struct]]] = {
    "order_response": lambda v: OrderResponseMessage(order_response=v),
    "position_response": lambda v: PositionResponseMessage(position_response=v),
    "balance_response": lambda v: BalanceResponseMessage(balance_response=v),
    "fill_response": lambda v: FillResponseMessage(fill_response=v),
    "all_orders_response": lambda v: AllOrdersResponseMessage(all_orders_response=v),
}


def _frame(key: str, value: msgspec.Struct) -> str:
    return encode_json(_WRAPPERS[key](value)).decode()


class Account:
    """One key's orders, trades, position per market and balance; `subscribers` are its
    connections. Methods return the frames answering the caller; pushes go to the subscribed
    connections' outboxes (`TradeConnection.outbox`). `now` is Unix seconds."""

    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        self.orders: dict[str, Order] = {o.order_id: o for o in ORDERS}
        self.trades: list[UserTrade] = []
        self.positions: dict[str, PositionResponse] = {}
        self.balance: BalanceResponse = example(BalanceResponseMessage, "opening").balance_response
        self.subscribers: list[TradeConnection] = []
        self.cancelled_on_disconnect = 0

    def push(self, channel: str, frame: str, skip: TradeConnection | None = None) -> None:
        for conn in self.subscribers:
            if conn is not skip and channel in conn.channels:
                conn.outbox.append(frame)

    def open_orders(self, symbol: str | None = None) -> list[Order]:
        return [o for o in self.orders.values() if is_open(o) and (symbol is None or o.symbol == symbol)]

    def _refusal(self, status: str, symbol: str, **fields: Any) -> str:
        base: dict[str, Any] = {
            "order_id": str(uuid.uuid4()),
            "symbol": symbol,
            "status": status,
            "quantity": _ZERO,
            "price": _ZERO,
            "side": "BUY",
            "type": "LIMIT",
            "time_in_force": "GTC",
            "quantity_remaining": _ZERO,
            "user_id": self.user_id,
            "client_order_id": "",
            "trade_id": None,
        }
        base.update({k: v for k, v in fields.items() if v is not None})
        return _frame("order_response", msgspec.convert(base, Order))

    def _changed(self, order: Order, conn: TradeConnection | None, *, reply: bool) -> list[str]:
        """Record `order`; its order_response answers the caller (`reply`) or is pushed to all."""
        self.orders[order.order_id] = order
        frame = _frame("order_response", order)
        if reply:
            self.push("order_responses", frame, skip=conn)
            return [frame]
        self.push("order_responses", frame)
        return []

    def add_order(self, p: AddOrderParams, conn: TradeConnection | None, now: float) -> list[str]:
        cid = p.client_order_id if isinstance(p.client_order_id, str) else ""
        price = p.price if isinstance(p.price, Decimal) else _ZERO
        common = {
            "quantity": p.quantity,
            "price": price,
            "side": p.side.value,
            "type": p.order_type.value,
            "time_in_force": p.order_time_in_force.value,
            "client_order_id": cid,
        }
        if p.symbol not in BOOK:
            return [self._refusal("BAD_SYMBOL", p.symbol, **common)]
        if p.quantity <= 0:
            return [self._refusal("QUANTITY_LESS_THAN_MIN_QUANTITY", p.symbol, **common)]
        bid, ask = BOOK[p.symbol]
        stop = p.order_type.value in ("TAKE_PROFIT", "STOP_LOSS")
        market = p.order_type.value == "MARKET"
        if not market and not stop and price <= 0:
            return [self._refusal("PRICE_LESS_THAN_MIN_PRICE", p.symbol, **common)]
        touch = ask if p.side is OrderDirection.BUY else bid
        crosses = not stop and (market or (price >= ask if p.side is OrderDirection.BUY else price <= bid))
        if p.quantity * (touch if market else price) / LEVERAGE > self.balance.available_balance:
            return [self._refusal("FAILED_MARGIN_CHECK", p.symbol, **common)]
        order = msgspec.convert(
            {
                "order_id": str(uuid.uuid4()),
                "symbol": p.symbol,
                "status": "ACK",
                "quantity_remaining": p.quantity,
                "take_profit": _unset(p.take_profit),
                "stop_loss": _unset(p.stop_loss),
                "user_id": self.user_id,
                "trade_id": None,
                "update_time": now,
                **common,
            },
            Order,
        )
        if crosses and p.order_type.value == "ALO":
            return [self._refusal("REJECTED", p.symbol, **common)]
        if not crosses and p.order_time_in_force.value in ("IOC", "FOK") and not stop:
            return self._changed(msgspec.structs.replace(order, status=OrderStatus.CANCELLED), conn, reply=True)
        out = self._changed(order, conn, reply=True)
        if crosses:
            self._fill(order, touch, now)
        return out

    def _fill(self, order: Order, price: Decimal, now: float) -> None:
        trade = UserTrade(
            trade_id=str(uuid.uuid4()),
            symbol=order.symbol,
            price=price,
            quantity=order.quantity_remaining,
            aggressor_side=order.side,
            order_id=order.order_id,
            client_order_id=order.client_order_id,
            fee=_ZERO,
            timestamp=Decimal(int(now)),
        )
        self.trades.insert(0, trade)
        filled = msgspec.structs.replace(
            order, status=OrderStatus.FILLED, quantity_remaining=_ZERO, trade_id=trade.trade_id
        )
        self._changed(filled, None, reply=False)
        self.push("fills", _frame("fill_response", trade))
        signed = trade.quantity if order.side is Side.BUY else -trade.quantity
        self._position(order.symbol, signed, price)

    def _position(self, symbol: str, signed: Decimal, price: Decimal) -> None:
        old = self.positions.get(symbol)
        size = old.position if old is not None else _ZERO
        avg = old.average_price if old is not None and isinstance(old.average_price, Decimal) else _ZERO
        realised = old.realised_pnl if old is not None and isinstance(old.realised_pnl, Decimal) else _ZERO
        new = size + signed
        gained = _ZERO
        if size != 0 and (size > 0) != (signed > 0):  # reducing (or flipping)
            closed = min(abs(signed), abs(size))
            gained = (price - avg) * closed * (1 if size > 0 else -1)
            avg = avg if abs(signed) <= abs(size) else price
        else:
            avg = (avg * abs(size) + price * abs(signed)) / abs(new) if new != 0 else _ZERO
        if new == 0:
            avg = _ZERO
        margin = abs(new) * avg / LEVERAGE
        position = PositionResponse(
            symbol=symbol,
            position=new,
            id=old.id if old is not None else str(uuid.uuid4()),
            margin_alloc=margin,
            realised_pnl=realised + gained,
            unrealised_pnl=_ZERO,
            net_funding=_ZERO,
            open_orders=_ZERO,
            open_quantity=_ZERO,
            leverage=LEVERAGE,
            initial_margin=1 / LEVERAGE,
            maintenance_margin=_ZERO,
            average_price=avg,
        )
        self.positions[symbol] = position
        self.push("positions", _frame("position_response", position))
        margins = sum((q.margin_alloc for q in self.positions.values() if isinstance(q.margin_alloc, Decimal)), _ZERO)
        realised_all = sum(
            (q.realised_pnl for q in self.positions.values() if isinstance(q.realised_pnl, Decimal)), _ZERO
        )
        b = self.balance
        self.balance = msgspec.structs.replace(
            b, realised_pnl=realised_all, position_margin=margins, available_balance=b.deposit + realised_all - margins
        )
        self.push("balances", _frame("balance_response", self.balance))

    def cancel_order(self, p: CancelOrderParams, conn: TradeConnection | None) -> list[str]:
        by_id = p.cancel_order_id_type.value == "order_id"
        wanted = p.order_id if by_id else p.client_order_id
        if not isinstance(wanted, str):
            return [self._refusal("NO_SUCH_ORDER", p.symbol)]
        hits = [
            o
            for o in self.open_orders(p.symbol)
            if (o.order_id == wanted.lower() if by_id else o.client_order_id == wanted)
        ]
        if not hits:
            ids = {"order_id": wanted} if by_id else {"client_order_id": wanted}
            return [self._refusal("NO_SUCH_ORDER", p.symbol, **ids)]
        frames = [
            self._changed(msgspec.structs.replace(o, status=OrderStatus.CANCELLED), conn, reply=True)[0] for o in hits
        ]
        return frames

    def modify_order(self, p: ModifyOrderParams, conn: TradeConnection | None) -> list[str]:
        order = self.orders.get(p.order_id.lower())
        if order is None or not is_open(order) or order.symbol != p.symbol:
            return [self._refusal("NO_SUCH_ORDER", p.symbol, order_id=p.order_id)]
        if order.quantity_remaining != order.quantity:
            return [
                self._refusal(
                    "CANNOT_MODIFY_PARTIAL_FILL",
                    p.symbol,
                    order_id=order.order_id,
                    client_order_id=order.client_order_id,
                )
            ]
        changed = msgspec.structs.replace(
            order, status=OrderStatus.MODIFIED, price=p.price, quantity=p.quantity, quantity_remaining=p.quantity
        )
        return self._changed(changed, conn, reply=True)

    def cancel_all(self, symbol: str | None, conn: TradeConnection | None) -> list[str]:
        return [
            self._changed(msgspec.structs.replace(o, status=OrderStatus.CANCELLED), conn, reply=True)[0]
            for o in self.open_orders(symbol)
        ]

    def close_position(self, p: ClosePositionParams, conn: TradeConnection | None, now: float) -> list[str]:
        held = self.positions.get(p.symbol)
        cid = p.client_order_id if isinstance(p.client_order_id, str) else ""
        if p.symbol not in BOOK:
            return [self._refusal("BAD_SYMBOL", p.symbol, client_order_id=cid)]
        if held is None or held.position == 0:
            return [self._refusal("REJECTED", p.symbol, client_order_id=cid)]  # [guess]: nothing to close
        bid, ask = BOOK[p.symbol]
        side = "SELL" if held.position > 0 else "BUY"
        params = AddOrderParams(
            symbol=p.symbol,
            side=OrderDirection(side),
            order_type=RequestOrderType.LIMIT,
            order_time_in_force=OrderTimeInForce.IOC,
            quantity=abs(held.position),
            price=bid if side == "SELL" else ask,
            client_order_id=cid,
        )
        return self.add_order(params, conn, now)

    def user_orders(self, p: GetUserOrdersParams) -> str:
        symbol = p.symbol if isinstance(p.symbol, str) else None
        found = self.open_orders(symbol)
        offset = p.offset if isinstance(p.offset, int) else 0
        limit = p.limit if isinstance(p.limit, int) else 1000
        page = found[offset : offset + limit]
        return _frame("all_orders_response", AllOrdersResponse(orders=page, stop_orders=[], twaps=[]))

    def user_trades(self, p: GetUserTradesParams) -> str:
        rows = [t for t in self.trades if not isinstance(p.order_id, str) or t.order_id == p.order_id.lower()]
        if isinstance(p.start_ts, int):
            rows = [t for t in rows if isinstance(t.timestamp, Decimal) and t.timestamp >= p.start_ts]
        if isinstance(p.end_ts, int):
            rows = [t for t in rows if isinstance(t.timestamp, Decimal) and t.timestamp <= p.end_ts]
        offset = p.offset if isinstance(p.offset, int) else 0
        limit = p.limit if isinstance(p.limit, int) else 1000
        page = rows[offset : offset + limit]
        return encode_json(UserTradesMessage(user_trades=page, count=len(page))).decode()

    def snapshot(self, channel: str) -> list[str]:
        """What a new subscriber to `channel` gets at once [guess: the venue pulses every second]."""
        if channel == "positions":
            return [_frame("position_response", p) for p in self.positions.values()]
        if channel == "balances":
            return [_frame("balance_response", self.balance)]
        return []


def _unset(value: Decimal | msgspec.UnsetType | None) -> Decimal:
    return value if isinstance(value, Decimal) else _ZERO


class WeightBudget:
    """QFEX's weighted budget per key (WS_QFEX_TRADE.rate_limit): the weights of the frames of
    the last `window_s` s, a separate bucket per `buckets` entry, each at most `limit`. The
    venue measures an exponential moving average; a sliding sum is the simulator's [guess]."""

    def __init__(
        self, limit: float, window_s: float, weights: dict[str, float], buckets: dict[str, tuple[str, ...]]
    ) -> None:
        self.limit, self.window_s, self.weights = limit, window_s, weights
        self.bucket_of = {kind: name for name, kinds in buckets.items() for kind in kinds}
        self._spent: dict[tuple[str, str], deque[tuple[float, float]]] = {}

    def allow(self, key: str, kind: str, now: float) -> bool:
        weight = self.weights.get(kind, 1.0)
        spent = self._spent.setdefault((key, self.bucket_of.get(kind, "")), deque())
        while spent and now - spent[0][0] >= self.window_s:
            spent.popleft()
        if sum(w for _, w in spent) + weight > self.limit:
            return False
        spent.append((now, weight))
        return True


@dataclass
class SimStats:
    """What the simulator has seen and done (tests read these)."""

    connections: int = 0
    refused_connections: int = 0
    frames: int = 0
    authenticated: int = 0
    auth_refused: int = 0
    auth_timeouts: int = 0
    already_authenticated: int = 0
    unauthenticated: int = 0
    invalid_json: int = 0
    invalid_params: int = 0
    unsupported: int = 0
    rate_limited: int = 0
    served: int = 0
    weight_limited: int = 0
    subscribed: int = 0
    cancelled_on_disconnect: int = 0
    dropped_by_fault: int = 0
    garbage_sent: int = 0


@dataclass(frozen=True, slots=True)
class SeenAuth:
    """One HMAC auth frame as checked: the URL's key, nonce, unix_ts, and why it was
    refused (None when accepted)."""

    api_key: str
    nonce: str
    unix_ts: int
    refused: str | None


@dataclass
class SimState:
    """What every connection shares. `error_form` picks the error envelope ("err" or
    "legacy"); changing it applies from the next error."""

    keys: dict[str, str] = field(default_factory=dict)
    nonces: NonceBook = field(default_factory=NonceBook)
    tolerance_s: float = TIMESTAMP_TOLERANCE_S
    rate_limit: int = RATE_LIMIT
    rate_window_s: float = 1.0
    error_form: Literal["err", "legacy"] = "err"
    stats: SimStats = field(default_factory=SimStats)
    auths: deque[SeenAuth] = field(default_factory=lambda: deque(maxlen=RECORD_LIMIT))
    accounts: dict[str, Account] = field(default_factory=dict)
    budget: WeightBudget = field(default_factory=lambda: _budget(WEIGHTED.limit))

    def account(self, api_key: str) -> Account:
        """The key's account (created on first use; every key starts from the same data)."""
        if api_key not in self.accounts:
            self.accounts[api_key] = Account(ORDERS[0].user_id if isinstance(ORDERS[0].user_id, str) else api_key)
        return self.accounts[api_key]

    def __repr__(self) -> str:  # never show the secrets
        return f"SimState(keys={sorted(self.keys)}, error_form={self.error_form!r})"


WEIGHTED: Final[WeightedLimit] = required(WS_QFEX_TRADE.rate_limit, "qfex trade rate_limit")


def _budget(limit: float) -> WeightBudget:
    return WeightBudget(limit, WEIGHTED.window_s, dict(WEIGHTED.weights), dict(WEIGHTED.buckets))


DECLARED_REQUESTS: Final[dict[str, WsRequest]] = {r.name: r for r in WS_QFEX_TRADE.requests}
"""Every request the registry declares on the trade socket, by frame type. Those without code
of their own here (all but get_order) are answered with their reply's first example."""


def _message_class(ref: str) -> type[msgspec.Struct]:
    venue, name = ref.split("/", 1)
    info = next(m for m in MESSAGES if m.venue == venue and m.name == name and m.format == "json")
    cls: type[msgspec.Struct] = getattr(importlib.import_module(info.module), info.class_name)
    return cls


def _encode(message: msgspec.Struct) -> str:
    return encode_json(message).decode()


class TradeConnection:
    """One connection, pure: `receive(text, now=, mono=)` returns the reply frames' text.
    `now` is Unix seconds (timestamps, nonces), `mono` a monotonic time (the rate limit)."""

    def __init__(self, shared: SimState, api_key: str) -> None:
        self.shared = shared
        self.api_key = api_key
        self.authenticated = False
        self.limit = FrameLimit(shared.rate_limit, shared.rate_window_s)
        self.account = shared.account(api_key)
        self.channels: set[str] = set()
        self.outbox: deque[str] = deque(maxlen=RECORD_LIMIT)
        self.cancel_on_disconnect = False

    def _error(self, code: str, message: str, incoming: Incoming | None) -> list[str]:
        if self.shared.error_form == "legacy":
            return [_encode(LegacyErrorMessage(type="error", error_code=ErrorCode(code), message=message))]
        body = ErrorBody(error_code=ErrorCode(code), message=message, incoming_message=incoming)
        return [_encode(ErrorMessage(body))]

    def receive(self, data: str | bytes, *, now: float, mono: float) -> list[str]:
        stats = self.shared.stats
        stats.frames += 1
        try:
            frame = msgspec.json.decode(data)
        except msgspec.DecodeError:
            frame = None
        incoming = frame if isinstance(frame, dict) else None
        if not self.limit.allow(mono):
            stats.rate_limited += 1
            return self._error(RATE_LIMITED, "too many messages: slow down", incoming)
        kind = incoming.get("type") if incoming is not None else None
        if incoming is None or not isinstance(kind, str):
            stats.invalid_json += 1
            return self._error(INVALID_JSON, 'expected a JSON object with a string "type"', incoming)
        if kind == "auth":
            return self._auth(incoming, now)
        if not self.authenticated:
            stats.unauthenticated += 1
            return self._error(PERMISSION_DENIED, "authenticate first", incoming)
        if not self.shared.budget.allow(self.api_key, kind, mono):
            stats.weight_limited += 1
            return self._error(RATE_LIMITED, f"weighted rate limit exceeded ({kind})", incoming)
        if kind == "get_order":
            return self._get_order(incoming)
        handler = self._HANDLERS.get(kind)
        if handler is not None:
            cls, act = handler
            try:
                request = msgspec.convert(incoming, cls)
            except msgspec.ValidationError as exc:
                stats.invalid_params += 1
                return self._error(INVALID_PARAMETER, f"bad {kind}: {exc}", incoming)
            stats.served += 1
            return act(self, request.params, now)
        declared = DECLARED_REQUESTS.get(kind)
        if declared is not None:
            return self._example_reply(declared, incoming)
        stats.unsupported += 1
        return self._error(INVALID_JSON, f"unknown type {kind[:40]!r}: not a request the registry declares", incoming)

    def pushes(self) -> list[str]:
        """The pushes of the subscribed channels waiting since the last tick."""
        out = list(self.outbox)
        self.outbox.clear()
        return out

    def closed(self) -> int:
        """The connection ended: it stops receiving pushes and, with cancel_on_disconnect on,
        every open order of the account is cancelled (pushed to its other connections; the
        docs: on an unexpected drop; the simulator does it on any close [guess]). Returns how
        many orders were cancelled."""
        if self in self.account.subscribers:
            self.account.subscribers.remove(self)
        if not self.cancel_on_disconnect:
            return 0
        return len(self.account.cancel_all(None, None))

    def _subscribe(self, params: Any, now: float) -> list[str]:
        out: list[str] = []
        snapshots: list[str] = []
        for channel in params.channels:
            name = str(channel.value)
            if name not in CHANNELS:
                self.shared.stats.invalid_params += 1
                return self._error(INVALID_PARAMETER, f"unknown channel {name[:40]!r}", None)
            self.channels.add(name)
            self.shared.stats.subscribed += 1
            out.append(_encode(Subscribed(subscribed=name)))
            snapshots += self.account.snapshot(name)
        return out + snapshots  # every ack first, then what each channel holds now

    def _unsubscribe(self, params: Any, now: float) -> list[str]:
        for channel in params.channels:
            self.channels.discard(str(channel.value))
        return []  # [guess]: the docs show no answer to unsubscribe

    def _set_cancel_on_disconnect(self, params: Any, now: float) -> list[str]:
        self.cancel_on_disconnect = bool(params.cancel_on_disconnect)
        return [_encode(CancelOnDisconnectResponse(cancel_on_disconnect=self.cancel_on_disconnect))]

    def _cancel_all(self, params: Any, now: float) -> list[str]:
        symbol = params.symbol if isinstance(params.symbol, str) else None
        return self.account.cancel_all(symbol, self)

    _HANDLERS: ClassVar[dict[str, tuple[type[Any], Callable[[TradeConnection, Any, float], list[str]]]]] = {
        "add_order": (AddOrder, lambda c, p, now: c.account.add_order(p, c, now)),
        "cancel_order": (CancelOrder, lambda c, p, now: c.account.cancel_order(p, c)),
        "modify_order": (ModifyOrder, lambda c, p, now: c.account.modify_order(p, c)),
        "cancel_all_orders": (CancelAllOrders, lambda c, p, now: c._cancel_all(p, now)),
        "get_user_orders": (GetUserOrders, lambda c, p, now: [c.account.user_orders(p)]),
        "get_user_trades": (GetUserTrades, lambda c, p, now: [c.account.user_trades(p)]),
        "close_position": (ClosePosition, lambda c, p, now: c.account.close_position(p, c, now)),
        "cancel_on_disconnect": (CancelOnDisconnect, lambda c, p, now: c._set_cancel_on_disconnect(p, now)),
        "subscribe": (Subscribe, lambda c, p, now: c._subscribe(p, now)),
        "unsubscribe": (Subscribe, lambda c, p, now: c._unsubscribe(p, now)),
    }
    """The requests the simulator answers from the account's state (get_order apart)."""

    def _auth(self, incoming: Incoming, now: float) -> list[str]:
        shared, stats = self.shared, self.shared.stats
        if self.authenticated:
            stats.already_authenticated += 1
            return self._error(ALREADY_AUTHENTICATED, "this connection is already authenticated", incoming)
        try:
            auth = msgspec.convert(incoming, Auth)
        except msgspec.ValidationError as exc:
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, f"bad auth frame: {exc}", incoming)
        proof = auth.params.hmac
        if isinstance(proof, msgspec.UnsetType):
            stats.auth_refused += 1
            return self._error(PERMISSION_DENIED, "authentication failed: the simulator checks hmac only", incoming)
        refused = verify_auth(shared.keys[self.api_key], self.api_key, proof, now, shared.tolerance_s, shared.nonces)
        shared.auths.append(SeenAuth(self.api_key, proof.nonce, proof.unix_ts, refused))
        if refused is not None:
            stats.auth_refused += 1
            return self._error(PERMISSION_DENIED, f"authentication failed: {refused}", incoming)
        shared.nonces.add(self.api_key, proof.nonce, now)
        self.authenticated = True
        self.account.subscribers.append(self)
        stats.authenticated += 1
        return [_encode(AuthResponse(authenticated=True))]

    def _example_reply(self, declared: WsRequest, incoming: Incoming) -> list[str]:
        stats = self.shared.stats
        try:
            msgspec.convert(incoming, _message_class(declared.request))
        except msgspec.ValidationError as exc:
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, f"bad {declared.name}: {exc}", incoming)
        stats.served += 1
        venue, message = declared.reply.split("/", 1)
        return [examples(venue, message)[0].decode()]

    def _get_order(self, incoming: Incoming) -> list[str]:
        stats = self.shared.stats
        try:
            request = msgspec.convert(incoming, GetOrder)
        except msgspec.ValidationError as exc:
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, f"bad get_order: {exc}", incoming)
        symbol, order_id = request.params.symbol, request.params.order_id
        if not _SYMBOL.fullmatch(symbol):
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, "symbol is not a market name", incoming)
        if not _UUID.fullmatch(order_id):
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, "order_id is not a UUID", incoming)
        stats.served += 1
        return [_encode(get_order_reply(symbol, order_id))]


# --- the aiohttp server ---------------------------------------------------------------------------


class QfexSimulator(WsSimulator[TradeConnection]):
    """The QFEX simulator: `async with QfexSimulator() as sim:`; `sim.url` is the ws:// URL
    (add `?api_key=`), `sim.port` the bound port.

    `auth_within_s` is the auth deadline (the registry's 60 s); `clock` (Unix seconds) is
    what unix_ts is compared with, within `timestamp_tolerance_s`; `rate_limit` frames per
    `rate_window_s` per connection; `ping_interval_s` (None: no pings) how often the server
    pings; `slow_reply_s` Fault.SLOW_REPLY's delay; `error_form` "err" or "legacy".
    `sim.auths` lists the HMAC auth frames checked.
    """

    venue = "qfex"
    close_timeout_s = 1.0
    ticker_name = "qfex simulator pushes"
    push_interval = 0.05

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = DEFAULT_API_KEY,
        secret: str = DEFAULT_SECRET,
        auth_within_s: float = AUTH_WITHIN_S,
        clock: Callable[[], float] = time.time,
        slow_reply_s: float = 2.0,
        timestamp_tolerance_s: float = TIMESTAMP_TOLERANCE_S,
        rate_limit: int = RATE_LIMIT,
        rate_window_s: float = 1.0,
        ping_interval_s: float | None = PING_INTERVAL_S,
        error_form: Literal["err", "legacy"] = "err",
        weight_limit: float | None = None,
    ) -> None:
        if auth_within_s <= 0 or slow_reply_s < 0 or timestamp_tolerance_s < 0:
            raise ValueError("auth_within_s must be positive, slow_reply_s and timestamp_tolerance_s not negative")
        if ping_interval_s is not None and ping_interval_s <= 0:
            raise ValueError("ping_interval_s must be positive or None")
        if error_form not in ("err", "legacy"):
            raise ValueError("error_form must be 'err' or 'legacy'")
        FrameLimit(rate_limit, rate_window_s)  # checks the numbers
        super().__init__(host, port, slow_reply_s=slow_reply_s, heartbeat=ping_interval_s)
        self.auth_within_s = auth_within_s
        self.clock = clock
        self.state = SimState(
            tolerance_s=timestamp_tolerance_s, rate_limit=rate_limit, rate_window_s=rate_window_s, error_form=error_form
        )
        if weight_limit is not None:
            if weight_limit <= 0:
                raise ValueError("weight_limit must be positive")
            self.state.budget = _budget(weight_limit)
        self.add_key(api_key, secret)

    def account(self, api_key: str = DEFAULT_API_KEY) -> Account:
        """The orders, trades, positions and balance of `api_key` (tests read and script them)."""
        return self.state.account(api_key)

    def __repr__(self) -> str:
        return f"QfexSimulator(host={self.host!r}, port={self.port}, faults={sorted(f.name for f in self.faults)})"

    def add_key(self, api_key: str, secret: str) -> None:
        """Accept another public key, whose auth frames are signed with `secret`."""
        if not isinstance(api_key, str) or not api_key or not isinstance(secret, str) or not secret:
            raise ValueError("api_key and secret must be non-empty strings")
        self.state.keys[api_key] = secret

    @property
    def url(self) -> str:
        return self.address("ws")

    @property
    def stats(self) -> SimStats:
        return self.state.stats

    @property
    def auths(self) -> list[SeenAuth]:
        return list(self.state.auths)

    @property
    def error_form(self) -> Literal["err", "legacy"]:
        return self.state.error_form

    @error_form.setter
    def error_form(self, form: Literal["err", "legacy"]) -> None:
        if form not in ("err", "legacy"):
            raise ValueError("error_form must be 'err' or 'legacy'")
        self.state.error_form = form

    @property
    def ping_interval_s(self) -> float | None:
        """Seconds between the server's pings (None: none), for connections accepted from now."""
        return self.heartbeat

    @ping_interval_s.setter
    def ping_interval_s(self, seconds: float | None) -> None:
        self.heartbeat = seconds

    # -- the venue's behaviour (WsSimulator hooks) -------------------------------------------------

    def _routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/", self._handle)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        api_key = request.query.get("api_key", "")
        if api_key not in self.state.keys:
            self.stats.refused_connections += 1
            return web.Response(status=401, text="unknown or missing api_key")
        session = TradeConnection(self.state, api_key)
        try:
            return await self.serve_ws(request, session)
        finally:
            cancelled = session.closed()
            self.stats.cancelled_on_disconnect += cancelled
            for conn in list(self.connections):  # the cancellations reach the key's other connections now
                self.queue(conn, conn.session.pushes(), push=True)

    def _connected(self, conn: Connection[TradeConnection]) -> None:
        self.stats.connections += 1

    def _helpers(self, conn: Connection[TradeConnection]) -> list[Coroutine[Any, Any, None]]:
        def count() -> None:
            self.stats.auth_timeouts += 1

        def authenticated() -> bool:
            return conn.session.authenticated

        return [self.close_unless(conn, self.auth_within_s, authenticated, "not authenticated in time", count)]

    async def _on_frame(self, conn: Connection[TradeConnection], data: Frame) -> Sequence[Frame]:
        return conn.session.receive(data, now=self.clock(), mono=time.monotonic())

    def _dropped(self, conn: Connection[TradeConnection]) -> None:
        self.stats.dropped_by_fault += 1

    def _garble(self, conn: Connection[TradeConnection], frame: Frame) -> Frame:
        self.stats.garbage_sent += 1
        return GARBAGE


async def serve(host: str, port: int, ready: Callable[[str, int], None]) -> None:
    """Run a QfexSimulator on host:port until cancelled; `ready(host, port)` once listening
    (port is the bound one when 0 was asked). The key and secret are VENUEWIRE_QFEX_PUBLIC_KEY
    and VENUEWIRE_QFEX_SECRET when set, else DEFAULT_API_KEY and DEFAULT_SECRET."""
    api_key = os.environ.get(QfexCredentials.ENV_PUBLIC_KEY) or DEFAULT_API_KEY
    secret = os.environ.get(QfexCredentials.ENV_SECRET) or DEFAULT_SECRET
    await serve_until_cancelled(QfexSimulator(host, port, api_key=api_key, secret=secret), ready)
