"""BitMart spot trading for the embedded BitMart simulator: one account's order desk and wallet,
and the REST routes the registry declares for BitMart, served on the simulator's port.

`Desk` is pure (times, book snapshots and the book step are arguments): place -> open orders ->
query -> cancel, with the wallet following every fill. A limit order that crosses the simulated
book (the v3 book the WebSocket serves at the current step) fills at once against the levels it
crosses, at their prices, as far as their sizes go; the rest rests (`partially_filled`) and may
fill later, once the book has moved (liquidity a fill took is gone until the next step). An
`ioc` order cancels what did not fill; a `limit_maker` that would cross is cancelled unfilled
(post only); a market buy spends `notional` and a market sell sells `size` across the book.
Buys hold back `size x price` of the quote coin, sells `size` of the base coin (`frozen` in
the wallet) until they fill or are cancelled. No fees. The wallet starts from the example of
schemas/json/bitmart/rest_wallet_response.json; trading is open for the pairs of the example
books (data/bitmart/spot_depth/books.json). Order ids start above 2^53 and travel as text.

`BitmartTrading` answers the routes (`venuewire.sim.rest.RestRoutes("bitmart", ...)`) after the
registry's auth checks; the refusals, with BitMart's codes from the registry's error table
(looked up by name) and their HTTP statuses [doc: the error-code list pairs each code with one]:

    X-BM-KEY missing or unknown              -> 30002 unknown_key (HTTP 401)
    X-BM-TIMESTAMP missing, not digits or
      more than the 60 s window away         -> 30007 timestamp_range (HTTP 401)
    X-BM-SIGN not hex HMAC-SHA256(secret,
      timestamp#memo#body as it arrived)      -> 30005 bad_sign (HTTP 401)
    more than the endpoint's requests_per_second from one key (or address) in 1 s
                                             -> 30013 too_many_requests (HTTP 429)
    a body that is not a JSON object         -> 50000 bad_request
    a pair the desk does not trade           -> 50001 symbol_not_found (open orders: none)
    missing size / price / notional          -> 50010 / 50011 / 50012
    a bad side, type, number or state        -> 50021 invalid_parameter
    not enough available balance             -> 50020 insufficient_balance
    query of an unknown order id             -> 50005 order_not_found
    cancel of an unknown order id            -> 50032 order_does_not_exist
    cancel of an order no longer open        -> 50030 already_canceled [guess for filled orders]

(all HTTP 400 but the auth and rate-limit ones). `desk.listeners` are called with every order
and wallet change (the private socket's pushes come from them).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, Final

import msgspec
from aiohttp import web

from venuewire.errors import error_code
from venuewire.generated.registry import (
    AUTH_SCHEMES,
    REST_ENDPOINTS,
    WS_BITMART_USER_BALANCE,
    WS_BITMART_USER_ORDER,
    RestEndpoint,
    required,
)
from venuewire.sim import rest
from venuewire.sim.books import Level

__all__ = [
    "FIRST_ORDER_ID",
    "BitmartTrading",
    "Desk",
    "DeskEvent",
    "Refusal",
    "TradeStats",
    "user_pushes",
]

VENUE: Final = "bitmart"
FIRST_ORDER_ID: Final = 2**53 + 1
"""The first order id the desk gives: above 2^53, so a client that reads ids as floats is caught."""
QUANTUM: Final = Decimal("0.00000001")
"""Amounts the desk computes (a market buy's size, wallet sums) are cut to 8 decimals."""
_TOLERANCE_S: Final[int] = required(
    AUTH_SCHEMES["bitmart_hmac_sha256_hex"].timestamp_tolerance_s, "bitmart timestamp_tolerance_s"
)
_ENDPOINTS: Final = {e.name: e for e in REST_ENDPOINTS if e.venue == VENUE}
_SIDES: Final = ("buy", "sell")
_TYPES: Final = ("limit", "market", "limit_maker", "ioc")
_ID: Final = re.compile(r"[0-9]{1,40}")
_OPEN: Final = ("new", "partially_filled")
ORDER_TOPIC: Final[str] = required(WS_BITMART_USER_ORDER.channel, "bitmart user_order channel")
BALANCE_TOPIC: Final[str] = required(WS_BITMART_USER_BALANCE.channel, "bitmart user_balance channel")


def _code(name: str) -> int:
    return error_code(VENUE, name, scope="rest")


@dataclass(frozen=True, slots=True)
class Refusal:
    """BitMart's refusal of a request: its code and message (HTTP 400 unless `status` says)."""

    code: int
    message: str
    status: int = 400


@dataclass(frozen=True, slots=True)
class DeskEvent:
    """A change on the desk: `kind` "order" (`order`, and `fill` when a fill caused it: a dict
    with price, size, trade_id) or "balance" (`currencies` whose wallet row changed)."""

    kind: str
    order: dict[str, Any] | None = None
    fill: dict[str, Any] | None = None
    currencies: tuple[str, ...] = ()


@dataclass
class TradeStats:
    """What the trading routes did (tests read these)."""

    requests: int = 0
    placed: int = 0
    cancelled: int = 0
    fills: int = 0
    refused: dict[int, int] = field(default_factory=dict)


def _decimal(value: object) -> Decimal | None:
    """A positive finite Decimal from decimal text (or a JSON number), else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number > 0 else None


def _text(value: Decimal) -> str:
    """Plain decimal text of an amount the desk computed: cut to 8 decimals, no trailing zeros."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -8:
        value = value.quantize(QUANTUM, rounding=ROUND_DOWN)
    return format(value.normalize(), "f")


BookOf = Callable[[str], tuple[list[Level], list[Level]]]
"""(bids, asks) the simulated book of a pair shows now, best first."""


class Desk:
    """One account's spot orders and wallet, as wire values (pure: see the module doc).

    `symbols` are the pairs it trades; `wallet` maps a coin to [available, frozen]."""

    def __init__(self, symbols: frozenset[str], wallet: Mapping[str, tuple[Decimal, Decimal]]) -> None:
        self.symbols = symbols
        self.wallet: dict[str, list[Decimal]] = {coin: [a, f] for coin, (a, f) in wallet.items()}
        self.names: dict[str, str] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        """Every order by id, wire-shaped (the v4 order fields), newest last."""
        self.listeners: list[Callable[[DeskEvent], None]] = []
        self._next_id = FIRST_ORDER_ID
        self._next_trade = 1
        self._taken: tuple[int, dict[tuple[str, str, Decimal], Decimal]] = (-1, {})

    # -- wallet
    def _coins(self, symbol: str) -> tuple[str, str]:
        base, _, quote = symbol.partition("_")
        return base, quote

    def _row(self, coin: str) -> list[Decimal]:
        return self.wallet.setdefault(coin, [Decimal(0), Decimal(0)])

    def wallet_rows(self, currency: str | None = None) -> list[dict[str, Any]]:
        """The wallet as `get_wallet` rows (only `currency`, when given)."""
        return [
            {
                "currency": coin,
                "name": self.names.get(coin, coin),
                "available": _text(available),
                "frozen": _text(frozen),
                "available_usd_valuation": None,
            }
            for coin, (available, frozen) in self.wallet.items()
            if currency is None or coin == currency
        ]

    def _emit(self, event: DeskEvent) -> None:
        for listener in list(self.listeners):
            listener(event)

    # -- orders
    def place(self, body: Mapping[str, Any], now_ms: int, book_of: BookOf, step: int) -> dict[str, Any] | Refusal:
        """POST /spot/v2/submit_order: `{"order_id": ...}` data, or the refusal."""
        symbol, side, kind = body.get("symbol"), body.get("side"), body.get("type")
        if not isinstance(symbol, str) or symbol not in self.symbols:
            return Refusal(_code("symbol_not_found"), "Symbol not found")
        if side not in _SIDES or kind not in _TYPES:
            return Refusal(_code("invalid_parameter"), "Invalid side or type")
        terms = self._terms(body, side, kind)
        if isinstance(terms, Refusal):
            return terms
        size, price, notional = terms
        base, quote = self._coins(symbol)
        hold_coin, hold = (quote, size * price) if side == "buy" and price else (base, size)
        if side == "buy" and kind == "market":
            hold_coin, hold = quote, notional
        row = self._row(hold_coin)
        if row[0] < hold:
            return Refusal(_code("insufficient_balance"), "Balance not enough")
        client_id = body.get("client_order_id")
        order_id = str(self._next_id)
        self._next_id += 1
        order: dict[str, Any] = {
            "orderId": order_id,
            "clientOrderId": client_id if isinstance(client_id, str) else "",
            "symbol": symbol,
            "side": side,
            "orderMode": "spot",
            "type": kind,
            "state": "new",
            "price": str(body["price"]) if price else "0",  # as sent
            "priceAvg": "0",
            "size": str(body["size"]) if kind != "market" or side == "sell" else "0",  # as sent
            "filledSize": "0",
            "notional": _text(notional if kind == "market" and side == "buy" else size * price),
            "filledNotional": "0",
            "createTime": now_ms,
            "updateTime": now_ms,
            "cancelSource": "",
            "stpMode": body.get("stpMode") if isinstance(body.get("stpMode"), str) else "cancel_maker",
        }
        row[0] -= hold
        row[1] += hold
        self.orders[order_id] = order
        self._emit(DeskEvent("order", dict(order)))
        self._emit(DeskEvent("balance", currencies=(hold_coin,)))
        bids, asks = book_of(symbol)
        best = asks if side == "buy" else bids
        crosses = bool(best) and (price >= best[0][0] if side == "buy" else price <= best[0][0])
        if kind == "limit_maker" and crosses:
            self._close(order, "canceled", now_ms, "system")
        else:
            self._match(order, bids, asks, now_ms, step)
            if kind in ("ioc", "market") and order["state"] in _OPEN:
                state = "partially_canceled" if Decimal(order["filledSize"]) else "canceled"
                self._close(order, state, now_ms, "system")
        return {"order_id": order_id}

    def _terms(self, body: Mapping[str, Any], side: str, kind: str) -> tuple[Decimal, Decimal, Decimal] | Refusal:
        """(size, price, notional) of a new order (0 where the type takes none), or the refusal."""
        size, price, notional = (_decimal(body.get(name)) for name in ("size", "price", "notional"))
        for name, value in (("size", size), ("price", price), ("notional", notional)):
            if body.get(name) is not None and value is None:
                return Refusal(_code("invalid_parameter"), f"Invalid {name}")
        zero = Decimal(0)
        if kind == "market":
            if side == "buy":
                needed = Refusal(_code("notional_required"), "notional is required")
                return (zero, zero, notional) if notional else needed
            return (size, zero, zero) if size else Refusal(_code("size_required"), "size is required")
        if size is None:
            return Refusal(_code("size_required"), "size is required")
        if price is None:
            return Refusal(_code("price_required"), "price is required")
        return size, price, zero

    def _liquidity(self, step: int) -> dict[tuple[str, str, Decimal], Decimal]:
        """What fills took from the book at `step` (reset when the book moves on)."""
        if self._taken[0] != step:
            self._taken = (step, {})
        return self._taken[1]

    def _match(self, order: dict[str, Any], bids: list[Level], asks: list[Level], now_ms: int, step: int) -> None:
        """Fill `order` against the levels it crosses, best first, as far as they go."""
        side, kind = order["side"], order["type"]
        limit = Decimal(order["price"]) if kind != "market" else None
        levels = asks if side == "buy" else bids
        taken = self._liquidity(step)
        spends = kind == "market" and side == "buy"  # a market buy spends a notional, the others fill a size
        for price, size, _count in levels:
            if spends:
                budget = Decimal(order["notional"]) - Decimal(order["filledNotional"])
                want = (budget / price).quantize(QUANTUM, rounding=ROUND_DOWN)
            else:
                want = Decimal(order["size"]) - Decimal(order["filledSize"])
            if want <= 0 or (limit is not None and (price > limit if side == "buy" else price < limit)):
                break
            key = (order["symbol"], "ask" if side == "buy" else "bid", price)
            free = size - taken.get(key, Decimal(0))
            if free <= 0:
                continue
            qty = min(free, want)
            taken[key] = taken.get(key, Decimal(0)) + qty
            self._fill(order, qty, price, now_ms)

    def _fill(self, order: dict[str, Any], qty: Decimal, price: Decimal, now_ms: int) -> None:
        base, quote = self._coins(order["symbol"])
        filled = Decimal(order["filledSize"]) + qty
        filled_notional = Decimal(order["filledNotional"]) + qty * price
        market_buy = order["type"] == "market" and order["side"] == "buy"
        if order["side"] == "buy":
            held = qty * price if market_buy else qty * Decimal(order["price"])
            quote_row = self._row(quote)
            quote_row[1] -= held
            quote_row[0] += held - qty * price  # a fill below the limit gives the difference back
            self._row(base)[0] += qty
        else:
            self._row(base)[1] -= qty
            self._row(quote)[0] += qty * price
        done = filled_notional >= Decimal(order["notional"]) if market_buy else filled >= Decimal(order["size"])
        order.update(
            filledSize=_text(filled),
            filledNotional=_text(filled_notional),
            priceAvg=_text(filled_notional / filled),
            state="filled" if done else "partially_filled",
            updateTime=now_ms,
        )
        if market_buy:
            order["size"] = order["filledSize"]
        trade = {"trade_id": str(self._next_trade), "price": _text(price), "size": _text(qty), "time": now_ms}
        self._next_trade += 1
        self._emit(DeskEvent("order", dict(order), fill=trade))
        self._emit(DeskEvent("balance", currencies=(base, quote)))

    def _close(self, order: dict[str, Any], state: str, now_ms: int, source: str) -> None:
        """End an open order: give back what it still holds."""
        base, quote = self._coins(order["symbol"])
        left = Decimal(order["size"]) - Decimal(order["filledSize"])
        if order["type"] == "market" and order["side"] == "buy":
            coin, held = quote, Decimal(order["notional"]) - Decimal(order["filledNotional"])
            order["notional"] = order["filledNotional"]
        elif order["side"] == "buy":
            coin, held = quote, left * Decimal(order["price"])
        else:
            coin, held = base, left
        row = self._row(coin)
        row[1] -= held
        row[0] += held
        order.update(state=state, updateTime=now_ms, cancelSource=source)
        self._emit(DeskEvent("order", dict(order)))
        self._emit(DeskEvent("balance", currencies=(coin,)))

    def sweep(self, book_of: BookOf, now_ms: int, step: int) -> None:
        """Fill resting limit orders that the book (moved since) now crosses."""
        for order in list(self.orders.values()):
            if order["state"] in _OPEN and order["type"] in ("limit", "limit_maker"):
                bids, asks = book_of(order["symbol"])
                self._match(order, bids, asks, now_ms, step)

    def cancel(self, body: Mapping[str, Any], now_ms: int) -> dict[str, Any] | Refusal:
        """POST /spot/v3/cancel_order: `{"result": true}`, or the refusal."""
        symbol = body.get("symbol")
        if not isinstance(symbol, str) or symbol not in self.symbols:
            return Refusal(_code("symbol_not_found"), "Symbol not found")
        order = self._find(body.get("order_id"), body.get("client_order_id"))
        if order is None or order["symbol"] != symbol:
            return Refusal(_code("order_does_not_exist"), "Order does not exist")
        if order["state"] not in _OPEN:
            return Refusal(_code("already_canceled"), "Order is already canceled")
        self._close(order, "partially_canceled" if Decimal(order["filledSize"]) else "canceled", now_ms, "user")
        return {"result": True}

    def _find(self, order_id: object, client_id: object) -> dict[str, Any] | None:
        if isinstance(order_id, str) and order_id:
            return self.orders.get(order_id)
        if isinstance(client_id, str) and client_id:
            return next((o for o in reversed(self.orders.values()) if o["clientOrderId"] == client_id), None)
        return None

    def query(self, body: Mapping[str, Any]) -> dict[str, Any] | Refusal:
        """POST /spot/v4/query/order: the order, or 50005 for an id the desk does not have
        (in the state `queryState` asks for)."""
        order_id, state = body.get("orderId"), body.get("queryState")
        if not isinstance(order_id, str) or not _ID.fullmatch(order_id):
            return Refusal(_code("invalid_parameter"), "Invalid orderId")
        if state not in (None, "open", "history"):
            return Refusal(_code("invalid_parameter"), "Invalid queryState")
        order = self.orders.get(order_id)
        if order is None or ((state == "open") != (order["state"] in _OPEN) and state is not None):
            return Refusal(_code("order_not_found"), "Order Id not found")
        return dict(order)

    def open_orders(self, body: Mapping[str, Any]) -> list[dict[str, Any]] | Refusal:
        """POST /spot/v4/query/open-orders: new and partially filled orders, newest first (of
        `symbol` when given: a pair the desk does not trade has none [guess: not a refusal])."""
        symbol, limit = body.get("symbol"), body.get("limit", 200)
        if symbol is not None and not isinstance(symbol, str):
            return Refusal(_code("invalid_parameter"), "Invalid symbol")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 200:
            return Refusal(_code("invalid_parameter"), "Invalid limit")
        rows = [dict(o) for o in reversed(self.orders.values()) if o["state"] in _OPEN]
        return [o for o in rows if symbol is None or o["symbol"] == symbol][:limit]


class BitmartTrading:
    """The BitMart REST routes of one simulator: auth by the registry's schemes, per-key limits,
    the desk's answers (see the module doc). `keys` maps API keys to
    `venuewire.sim.rest.bitmart_key_entry(secret, memo)`; `book_of` and `step` read the
    simulated book; `clock` is Unix seconds."""

    def __init__(
        self,
        keys: Mapping[str, str],
        desk: Desk,
        book_of: BookOf,
        step: Callable[[], int],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keys = dict(keys)
        self.desk = desk
        self.book_of = book_of
        self.step = step
        self.clock = clock
        self.stats = TradeStats()
        self.limits = {
            e.name: rest.KeyRateLimit(e.requests_per_second, 1.0, name=e.name)
            for e in _ENDPOINTS.values()
            if e.requests_per_second is not None
        }
        self.routes = rest.RestRoutes(VENUE, self._handle)

    @classmethod
    def for_account(
        cls,
        *,
        api_key: str,
        secret: str,
        memo: str,
        symbols: frozenset[str],
        book_of: BookOf,
        step: Callable[[], int],
        clock: Callable[[], float] = time.time,
    ) -> BitmartTrading:
        """The routes for one account with the starting wallet (`starting_wallet`)."""
        wallet, names = starting_wallet()
        desk = Desk(symbols, wallet)
        desk.names.update(names)
        return cls({api_key: rest.bitmart_key_entry(secret, memo)}, desk, book_of, step, clock)

    def _reply(self, answer: object, trace: str) -> web.Response:
        if isinstance(answer, Refusal):
            self.stats.refused[answer.code] = self.stats.refused.get(answer.code, 0) + 1
            envelope = {"code": answer.code, "message": answer.message, "trace": trace, "data": {}}
            return rest.json_response(msgspec.json.encode(envelope), answer.status)
        return rest.json_response(msgspec.json.encode({"code": 1000, "message": "OK", "trace": trace, "data": answer}))

    def _refused_auth(self, endpoint: RestEndpoint, request: web.Request, raw_query: str, body: str) -> Refusal | None:
        raw_path = request.raw_path.partition("?")[0]
        arrived = rest.Arrived(request.headers, request.method, raw_path, raw_query, body)
        why = rest.verify_auth(endpoint, self.keys, arrived, round(self.clock() * 1000), _TOLERANCE_S * 1000)
        if why is None:
            return None
        name, text = {
            "unknown_key": ("unknown_key", "Header X-BM-KEY not found"),
            "stale": ("timestamp_range", "Header X-BM-TIMESTAMP range. Within a minute"),
            "bad_sign": ("bad_sign", "Header X-BM-SIGN is wrong"),
        }[why]
        return Refusal(error_code(VENUE, name), text, 401)

    async def _handle(self, endpoint: RestEndpoint, request: web.Request) -> web.StreamResponse:
        self.stats.requests += 1
        trace = f"sim-{self.stats.requests:08d}"
        raw_query = request.raw_path.partition("?")[2]
        body = (await request.read()).decode("utf-8", "surrogateescape")
        refused = self._refused_auth(endpoint, request, raw_query, body)
        if refused is not None:
            return self._reply(refused, trace)
        who = request.headers.get("X-BM-KEY") or f"ip:{request.remote}"
        limit = self.limits.get(endpoint.name)
        if limit is not None and limit.wait(who, time.monotonic()) is not None:
            code = error_code(VENUE, "too_many_requests", scope="rest")
            return self._reply(Refusal(code, "Too many requests", 429), trace)
        now_ms = round(self.clock() * 1000)
        self.desk.sweep(self.book_of, now_ms, self.step())
        return self._reply(self._answer(endpoint, request, body, now_ms), trace)

    def _answer(self, endpoint: RestEndpoint, request: web.Request, body: str, now_ms: int) -> object:
        params = request.query
        if endpoint.name == "get_books":
            return self._books(params)
        if endpoint.name == "get_wallet":
            return {"wallet": self.desk.wallet_rows(params.get("currency"))}
        fields = rest.json_object(body)
        if fields is None:
            return Refusal(_code("bad_request"), "Bad Request")
        if endpoint.name == "submit_order":
            answer = self.desk.place(fields, now_ms, self.book_of, self.step())
            if not isinstance(answer, Refusal):
                self.stats.placed += 1
            return answer
        if endpoint.name == "cancel_order":
            answer = self.desk.cancel(fields, now_ms)
            if not isinstance(answer, Refusal):
                self.stats.cancelled += 1
            return answer
        if endpoint.name == "query_order":
            return self.desk.query(fields)
        if endpoint.name == "query_open_orders":
            return self.desk.open_orders(fields)
        return json.loads(rest.example_reply(endpoint))["data"]  # an endpoint without behaviour: its example

    def _books(self, params: Mapping[str, str]) -> object:
        symbol = params.get("symbol", "")
        if symbol not in self.desk.symbols:
            return Refusal(_code("symbol_not_found"), "Symbol not found")
        limit_text = params.get("limit", "35")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= 50:
            return Refusal(_code("invalid_parameter"), "Invalid limit")
        limit = int(limit_text)
        bids, asks = self.book_of(symbol)
        return {
            "ts": str(round(self.clock() * 1000)),
            "symbol": symbol,
            "asks": [[str(p), str(s)] for p, s, _n in asks[:limit]],
            "bids": [[str(p), str(s)] for p, s, _n in bids[:limit]],
        }


def starting_wallet() -> tuple[dict[str, tuple[Decimal, Decimal]], dict[str, str]]:
    """The wallet a new desk starts with (the rest_wallet_response example) and the coins' names."""
    rows = json.loads(rest.examples(VENUE, "rest_wallet_response")[0])["data"]["wallet"]
    wallet = {row["currency"]: (Decimal(row["available"]), Decimal(row["frozen"])) for row in rows}
    return wallet, {row["currency"]: row.get("name", row["currency"]) for row in rows}


def _order_entry(order: Mapping[str, Any], fill: Mapping[str, Any] | None) -> dict[str, Any]:
    """A desk order as one `spot/user/order` entry (every value as text, as the venue sends)."""
    market_buy = order["type"] == "market" and order["side"] == "buy"
    return {
        "symbol": order["symbol"],
        "side": order["side"],
        "type": order["type"],
        "notional": order["notional"] if market_buy else "",
        "size": order["size"],
        "price": order["price"],
        "filled_notional": order["filledNotional"],
        "filled_size": order["filledSize"],
        "order_id": order["orderId"],
        "client_order_id": order["clientOrderId"],
        "order_state": order["state"],
        "order_mode": order["orderMode"],
        "entrust_type": "normal",
        "last_fill_price": fill["price"] if fill else "",
        "last_fill_count": fill["size"] if fill else "",
        "last_fill_time": str(fill["time"]) if fill else "",
        "exec_type": "T" if fill else "",
        "detail_id": fill["trade_id"] if fill else "",
        "create_time": str(order["createTime"]),
        "update_time": str(order["updateTime"]),
        "ms_t": str(order["updateTime"]),
    }


def user_pushes(event: DeskEvent, topics: AbstractSet[str], desk: Desk, now_ms: int) -> list[bytes]:
    """The private-socket pushes (JSON, not yet compressed) `event` makes for a connection
    subscribed to `topics`: the order's entry on `spot/user/order:<its pair>`, the changed
    coins on `spot/user/balance:BALANCE_UPDATE` [guess: the event_type names the desk uses]."""
    if event.kind == "order" and event.order is not None:
        if ORDER_TOPIC.format(symbol=event.order["symbol"]) not in topics:
            return []
        table = ORDER_TOPIC.partition(":")[0]
        return [msgspec.json.encode({"table": table, "data": [_order_entry(event.order, event.fill)]})]
    if event.kind == "balance" and BALANCE_TOPIC in topics:
        details = [
            {"ccy": row["currency"], "av_bal": row["available"], "fz_bal": row["frozen"]}
            for coin in event.currencies
            for row in desk.wallet_rows(coin)
        ]
        entry = {"event_type": "TRANSACTION_COMPLETED", "event_time": str(now_ms), "balance_details": details}
        return [msgspec.json.encode({"table": BALANCE_TOPIC.partition(":")[0], "data": [entry]})]
    return []
