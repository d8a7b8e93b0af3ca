"""Normalized, venue-neutral models shared by every venue's client.

Field names are Python names (`bids`, `asks`); every number is a `Decimal`; times are
timezone-aware UTC datetimes. Each venue module builds these from its own generated
message classes; README tables say, field by field, where each value comes from.
The models are immutable msgspec Structs: cheap to build, typed, and encodable with
`msgspec.json.encode` as they are.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import msgspec


class OrderDetail(msgspec.Struct, frozen=True, gc=False):
    """One exchange order queued at a price level (where the venue reports them)."""

    order_id: str
    size: Decimal


class BookLevel(msgspec.Struct, frozen=True, gc=False):
    """One price level: price, total size, and the number of orders when known."""

    price: Decimal
    size: Decimal
    order_count: int | None = None
    orders: tuple[OrderDetail, ...] = ()


class OrderBook(msgspec.Struct, frozen=True):
    """A snapshot of one symbol's book. `bids` best (highest) first, `asks` best (lowest) first.

    `timestamp` is the venue's time for the whole snapshot when it gives one;
    `bid_timestamp` / `ask_timestamp` the venue's receive time per side when it gives
    those (OpenD).

    `raw` is the venue's typed message the book was read from, set by every `depth_stream`
    and by `InfowayClient.order_books`: the generated `SpotDepthData` / `LegacyDepthPush`
    (BitMart) or `Depth` (Infoway), encoded as part of the book by `msgspec.json.encode`, or
    the `Qot_UpdateOrderBook_pb2.S2C` (OpenD), a protobuf message msgspec cannot encode:
    encode such a book as `msgspec.structs.replace(book, raw=None)` (or give an `enc_hook`).
    None for books built directly by the normalizers.
    """

    venue: str
    symbol: str
    bids: tuple[BookLevel, ...]
    asks: tuple[BookLevel, ...]
    timestamp: datetime | None = None
    bid_timestamp: datetime | None = None
    ask_timestamp: datetime | None = None
    name: str | None = None
    raw: object | None = None

    @property
    def best_bid(self) -> BookLevel | None:
        return self.bids[0] if self.bids else None

    @property
    def best_ask(self) -> BookLevel | None:
        return self.asks[0] if self.asks else None

    @property
    def spread(self) -> Decimal | None:
        if not self.bids or not self.asks:
            return None
        return self.asks[0].price - self.bids[0].price


class Order(msgspec.Struct, frozen=True):
    """An order as a venue reports it, venue-neutral. Numbers are Decimals; `side` is
    "buy" or "sell"; `type` and `status` keep the venue's own value (upper or lower case
    as sent) so nothing is lost in translation. `remaining` is the unfilled quantity.
    Times are UTC."""

    venue: str
    order_id: str
    symbol: str
    side: str
    type: str
    status: str
    quantity: Decimal
    client_order_id: str | None = None
    price: Decimal | None = None
    remaining: Decimal | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    filled_quantity: Decimal | None = None
    """How much of `quantity` has been filled (where the venue reports it)."""
    average_fill_price: Decimal | None = None
    account: str | None = None
    """The venue account the order belongs to (where a client trades several)."""
    raw: object | None = None
    """The venue's typed message the order was read from (OpenD: `Trd_Common_pb2.Order`), or None."""


class Position(msgspec.Struct, frozen=True):
    """A holding of one account in one symbol, venue-neutral. `side` is "long" or "short";
    `quantity` is what is held, `sellable` the part that may be sold now; `market_price` and
    `market_value` the venue's valuation, `unrealized_pnl` its profit or loss on it."""

    venue: str
    account: str
    symbol: str
    side: str
    quantity: Decimal
    sellable: Decimal
    market_price: Decimal
    market_value: Decimal
    unrealized_pnl: Decimal
    cost_price: Decimal | None = None
    realized_pnl: Decimal | None = None
    currency: str | None = None
    name: str | None = None
    raw: object | None = None


class Balance(msgspec.Struct, frozen=True):
    """The funds of one account, venue-neutral: `cash`, the value of its holdings
    (`market_value`), `total_assets`, what it can buy with (`buying_power`), what is held
    back by open orders (`frozen`) and what may be withdrawn (`withdrawable`)."""

    venue: str
    account: str
    cash: Decimal
    total_assets: Decimal
    market_value: Decimal
    buying_power: Decimal
    frozen: Decimal
    withdrawable: Decimal
    currency: str | None = None
    unrealized_pnl: Decimal | None = None
    realized_pnl: Decimal | None = None
    raw: object | None = None


class Fill(msgspec.Struct, frozen=True):
    """One execution of an order, venue-neutral: `quantity` at `price`, `side` "buy" or "sell"."""

    venue: str
    account: str
    fill_id: str
    symbol: str
    side: str
    quantity: Decimal
    price: Decimal
    order_id: str | None = None
    timestamp: datetime | None = None
    status: str | None = None
    raw: object | None = None


# -- quotes


class Quote(msgspec.Struct, frozen=True):
    """A security's current quote, venue-neutral: the last trade price and the session's
    open, high, low, previous close, volume and turnover, every number a Decimal.
    `updated_at` is the venue's time of the quote (UTC), None when it sends none. `raw` is
    the venue's typed message the quote was read from (None when built directly)."""

    venue: str
    symbol: str
    price: Decimal
    open: Decimal
    high: Decimal
    low: Decimal
    prev_close: Decimal
    volume: Decimal
    turnover: Decimal
    updated_at: datetime | None = None
    name: str | None = None
    suspended: bool = False
    raw: object | None = None


class Trade(msgspec.Struct, frozen=True):
    """One trade printed on the tape (a ticker row), venue-neutral. `side` is the
    aggressor: "buy", "sell", or None when the venue calls it neutral or unknown.
    `trade_id` is the venue's sequence or id as exact text; `time` UTC (None when not sent)."""

    venue: str
    symbol: str
    price: Decimal
    size: Decimal
    time: datetime | None = None
    side: str | None = None
    trade_id: str | None = None
    turnover: Decimal | None = None
    raw: object | None = None


class Candle(msgspec.Struct, frozen=True):
    """One candle (K-line) of `interval` (the venue's period name, e.g. "1Min", "Day"),
    venue-neutral: open, high, low, close, volume and turnover as Decimals; `time` the
    venue's time stamp of the candle (UTC, None when not sent); `blank` for a period without
    trades (the prices are then the venue's carried-over values or zero)."""

    venue: str
    symbol: str
    interval: str
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    turnover: Decimal
    time: datetime | None = None
    prev_close: Decimal | None = None
    blank: bool = False
    raw: object | None = None
