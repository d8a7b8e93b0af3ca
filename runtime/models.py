"""Normalized, venue-neutral models shared by every venue's client.

Field names are Python names (`bids`, `asks`); every number is read as a `Decimal`; times
are timezone-aware UTC datetimes. Each venue module builds these from its own wire messages;
README tables say, field by field, where each value comes from. The models are immutable
msgspec Structs: cheap to build, typed, and encodable with `msgspec.json.encode` as they are.

Exact, and paid for only when read: a `BookLevel` and an `OrderDetail` hold each price and
size as the exact decimal text the venue sent (`price_text`, `size_text`; for OpenD's binary
doubles, the text of the double's shortest repr). `level.price` / `level.size` are `Decimal`s
built from that text on the first read and kept (later reads cost an attribute lookup).
Equality and hashing compare the numbers (`"1.50"` equals `"1.5"`), as `Decimal` does.
`msgspec.json.encode` writes the text under `"price"` / `"size"`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, overload

import msgspec


class _Exact:
    """A non-data descriptor: the `Decimal` of the text in field `source`, built on the first
    read and stored in the instance's `__dict__` (which later reads find first)."""

    __slots__ = ("name", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, cls: type | None = None) -> _Exact: ...
    @overload
    def __get__(self, obj: object, cls: type | None = None) -> Decimal: ...
    def __get__(self, obj: object | None, cls: type | None = None) -> Decimal | _Exact:
        if obj is None:
            return self
        value = Decimal(getattr(obj, self.source))
        obj.__dict__[self.name] = value
        return value


class OrderDetail(msgspec.Struct, frozen=True, dict=True):
    """One exchange order queued at a price level (where the venue reports them).
    `size_text` is the exact text of the size; `size` its Decimal (built on first read)."""

    order_id: str
    size_text: str = msgspec.field(name="size")

    size = _Exact("size_text")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OrderDetail):
            return NotImplemented
        return self.order_id == other.order_id and self.size == other.size

    def __hash__(self) -> int:
        return hash((self.order_id, self.size))


class BookLevel(msgspec.Struct, frozen=True, dict=True):
    """One price level: price, total size, and the number of orders when known.

    `price_text` / `size_text` are the exact texts (as the venue sent them); `price` / `size`
    their Decimals, built on the first read and cached. Build one with text
    (`BookLevel("601.5", "100")`) or with numbers (`BookLevel.of(Decimal("601.5"), 100)`).
    """

    price_text: str = msgspec.field(name="price")
    size_text: str = msgspec.field(name="size")
    order_count: int | None = None
    orders: tuple[OrderDetail, ...] = ()

    price = _Exact("price_text")
    size = _Exact("size_text")

    @classmethod
    def of(
        cls, price: Decimal | int | str, size: Decimal | int | str, order_count: int | None = None,
        orders: tuple[OrderDetail, ...] = (),
    ) -> BookLevel:
        """A level from numbers: the text is `str()` of each (exact for Decimal and int)."""
        return cls(str(price), str(size), order_count, orders)

    def _key(self) -> tuple[Any, ...]:
        return (self.price, self.size, self.order_count, self.orders)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BookLevel):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


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


_NUMBERS = msgspec.json.Decoder(list[float])


def are_decimal_texts(texts: list[str]) -> bool:
    """True when every text is a JSON number (`-12.5`, `1E-8`; no NaN, Infinity, spaces, `_`,
    leading `+` or `.`), so a finite decimal that `Decimal` reads exactly. Cheap: the texts
    joined by commas are parsed once, in C, as a JSON array of numbers (only its success and
    length are used, never the float values). False means "check them one by one": a valid
    decimal outside JSON's grammar (`"+1"`, `".5"`, `"01"`) is left to the caller's exact path."""
    joined = ",".join(texts)
    if " " in joined or "\n" in joined or "\t" in joined or "\r" in joined:
        return False
    try:
        return len(_NUMBERS.decode(f"[{joined}]")) == len(texts)
    except (msgspec.DecodeError, TypeError):
        return False
