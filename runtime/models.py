"""Normalized, venue-neutral models shared by every venue's client.

Field names are Python names (`bids`, `asks`); every number is read as a `Decimal`; times
are timezone-aware UTC datetimes. Each venue module builds these from its own wire messages;
README tables say, field by field, where each value comes from. The models are immutable
msgspec Structs: cheap to build, typed, and encodable with `msgspec.json.encode` as they are.

Exact, and paid for only when read: a `BookLevel` and an `OrderDetail` hold each price and
size as the exact decimal text the venue sent (`price_text`, `size_text`; for OpenD's binary
doubles, the text of the double's shortest repr). `level.price` / `level.size` are `Decimal`s
built from that text on the first read and kept (`exact_decimal`: shared by every level with
the same text, bounded).
Equality and hashing compare the numbers (`"1.50"` equals `"1.5"`), as `Decimal` does.
`msgspec.json.encode` writes the text under `"price"` / `"size"`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Context, Decimal
from itertools import chain
from typing import Any, ClassVar

import msgspec


class ExactDecimal(Decimal):
    """A Decimal that prints as the text it was read from: `str(ExactDecimal("0.00000010"))`
    is `"0.00000010"` where a Decimal prints `"1.0E-7"` (and `"1e3"` where it prints `"1E+3"`).
    Only texts Decimal would print otherwise read as one; arithmetic gives plain Decimals.
    msgspec encodes no Decimal subclass: encode `level.price_text` or `Decimal(price)`."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> ExactDecimal:
        self = super().__new__(cls, text)
        self.text = text
        return self

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str, context: Context | None = None, /) -> str:
        if not spec:
            return self.text
        return super().__format__(spec) if context is None else super().__format__(spec, context)

    def __reduce__(self) -> tuple[type[ExactDecimal], tuple[str]]:
        return (ExactDecimal, (self.text,))


class _ExactDecimals(dict[str, Decimal]):
    """The shared Decimals of texts: `cache[text]` is `exact_decimal(text)`, built on the first
    look-up (`__missing__`) and kept; emptied when it holds `_DECIMALS_MAX` texts. A dict
    subclass so that a level's `price` is one look-up in C when the text is known."""

    __slots__ = ()

    def __missing__(self, text: str) -> Decimal:
        found = Decimal(text)
        if str(found) != text:  # "0.00000010", "1e3": Decimal prints these otherwise
            found = ExactDecimal(text)
        if len(self) >= _DECIMALS_MAX:
            self.clear()
        self[text] = found
        return found


_DECIMALS_MAX = 100_000
_DECIMALS = _ExactDecimals()


def exact_decimal(text: str) -> Decimal:
    """`Decimal(text)` (an `ExactDecimal` where a Decimal would print another text), shared:
    books repeat the same prices and sizes push after push, so
    each text's Decimal is built once and kept (at most 100,000 texts: the cache is emptied
    when full). Decimals are immutable, so sharing one is safe."""
    return _DECIMALS[text]


def is_built(text: str) -> bool:
    """Whether the Decimal of `text` has been built (and is kept): for tests of laziness."""
    return text in _DECIMALS


class OrderDetail(msgspec.Struct, frozen=True, gc=False):
    """One exchange order queued at a price level (where the venue reports them).
    `size_text` is the exact text of the size; `size` its Decimal (built on first read)."""

    order_id: str
    size_text: str = msgspec.field(name="size")

    @property
    def size(self) -> Decimal:
        """The size as an exact Decimal (`str(detail.size) == detail.size_text`)."""
        return _DECIMALS[self.size_text]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OrderDetail):
            return NotImplemented
        return self.order_id == other.order_id and self.size == other.size

    def __hash__(self) -> int:
        return hash((self.order_id, self.size))


class BookLevel(msgspec.Struct, frozen=True, gc=False):
    """One price level: price, total size, and the number of orders when known.

    `price_text` / `size_text` are the exact texts (as the venue sent them; for OpenD's
    doubles the text of the shortest repr); `price` / `size` their Decimals, built on the
    first read (`str(level.price) == level.price_text`). Build one with text
    (`BookLevel("601.5", "100")`) or with numbers (`BookLevel.of(Decimal("601.5"), 100)`).
    Equality and hashing compare the numbers (`"1.50"` equals `"1.5"`), as Decimal fields did.
    """

    price_text: str = msgspec.field(name="price")
    size_text: str = msgspec.field(name="size")
    order_count: int | None = None
    orders: tuple[OrderDetail, ...] = ()

    @property
    def price(self) -> Decimal:
        """The price as an exact Decimal."""
        return _DECIMALS[self.price_text]

    @property
    def size(self) -> Decimal:
        """The total size as an exact Decimal."""
        return _DECIMALS[self.size_text]

    @classmethod
    def of(
        cls,
        price: Decimal | int | str,
        size: Decimal | int | str,
        order_count: int | None = None,
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
    the `Qot_UpdateOrderBook_pb2.S2C` (OpenD), a protobuf message: `book.raw` is that message,
    and `msgspec.json.encode` writes it as `{"type": "<full name>", "data": "<base64 of its
    wire bytes>"}` (`S2C.FromString(base64.b64decode(data))` reads it back). Books compare
    equal when their protobuf `raw`s have the same wire bytes. None for books built directly
    by the normalizers. The JSON venues' streams read their pushes without building the
    generated message: they keep a text-typed mirror of it (`LazyMessage`, encoded as the
    message is), and `book.raw` builds the generated message from it on the first read.
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

    def __post_init__(self) -> None:
        raw = _RAW_SLOT.__get__(self, OrderBook)
        if raw is not None and not isinstance(raw, msgspec.Struct) and hasattr(raw, "SerializePartialToString"):
            _RAW_SLOT.__set__(self, _ProtoRaw.of(raw))

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


class _ProtoRaw(msgspec.Struct, frozen=True, dict=True):
    """How an OrderBook keeps a protobuf `raw`: encodable (its full name and wire bytes), the
    message itself beside the fields (what `book.raw` returns)."""

    type: str
    data: bytes

    @classmethod
    def of(cls, message: Any) -> _ProtoRaw:
        kept = cls(str(message.DESCRIPTOR.full_name), message.SerializePartialToString())
        kept.__dict__["message"] = message
        return kept


TEXT_DECODE_ERRORS: tuple[type[Exception], ...] = (msgspec.DecodeError, UnicodeDecodeError)
"""What a fast (text-typed) decode raises for a frame it refuses (msgspec raises
UnicodeDecodeError for invalid UTF-8 inside a string): the caller then takes the generated
class's path, which names the field."""


class LazyMessage(msgspec.Struct, dict=True):
    """A text-typed mirror of a generated JSON message, kept as an `OrderBook.raw` by the
    fast decoders: the same fields, every number still its wire text. `msgspec.json.encode`
    writes it as the generated message would be written (numbers as their text), and
    `book.raw` returns the generated message itself (`message()`), decoded from that text
    on the first read and kept. A subclass names the generated class in `message_class`."""

    message_class: ClassVar[type[msgspec.Struct]]

    def message(self) -> msgspec.Struct:
        """The generated message this mirror stands for (built once, on the first call)."""
        found: msgspec.Struct | None = self.__dict__.get("_message")
        if found is None:
            found = msgspec.json.decode(msgspec.json.encode(self), type=self.message_class)
            self.__dict__["_message"] = found
        return found


_RAW_SLOT: Any = OrderBook.__dict__["raw"]


def _raw(book: OrderBook) -> object | None:
    """The typed message the book was read from (see `OrderBook`)."""
    kept: object | None = _RAW_SLOT.__get__(book, OrderBook)
    if type(kept) is _ProtoRaw:
        message: object = kept.__dict__["message"]
        return message
    if isinstance(kept, LazyMessage):
        return kept.message()
    return kept


setattr(OrderBook, "raw", property(_raw, doc=_raw.__doc__))  # noqa: B010  (the field stays the slot)


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
    the venue's typed message the quote was read from (None when built directly).
    `turnover` is None when the venue sends none; `bid`, `bid_size`, `ask` and `ask_size` are
    the best bid and offer when the venue's quote carries them (BitMart), else None."""

    venue: str
    symbol: str
    price: Decimal
    open: Decimal
    high: Decimal
    low: Decimal
    prev_close: Decimal
    volume: Decimal
    turnover: Decimal | None = None
    updated_at: datetime | None = None
    name: str | None = None
    suspended: bool = False
    raw: object | None = None
    bid: Decimal | None = None
    bid_size: Decimal | None = None
    ask: Decimal | None = None
    ask_size: Decimal | None = None


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
    trades (the prices are then the venue's carried-over values or zero); `turnover` None
    when the venue sends none (BitMart)."""

    venue: str
    symbol: str
    interval: str
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    turnover: Decimal | None = None
    time: datetime | None = None
    prev_close: Decimal | None = None
    blank: bool = False
    raw: object | None = None


_NUMBERS = msgspec.json.Decoder(list[float])


_CHECKED: set[str] = set()
_CHECKED_MAX = 100_000


def are_decimal_columns(columns: Sequence[Iterable[str]]) -> bool:
    """`are_decimal_texts` of every text in `columns` (each re-iterable: lists, tuples), the
    cheap way first: texts that passed before (and are still kept) are one set look-up each,
    with no list built; only when some text is new are they all checked in bulk."""
    if _CHECKED.issuperset(chain.from_iterable(columns)):
        return True
    return are_decimal_texts(list(chain.from_iterable(columns)))


def are_decimal_texts(texts: Iterable[str]) -> bool:
    """True when every text is a JSON number (`-12.5`, `1E-8`; no NaN, Infinity, spaces, `_`,
    leading `+` or `.`), so a finite decimal that `Decimal` reads exactly. Cheap: texts seen
    (and passed) before are known (at most 100,000, the set is emptied when full); the others,
    joined by commas, are parsed once, in C, as a JSON array of numbers (only its success and
    length are used, never the float values). False means "check them one by one": a valid
    decimal outside JSON's grammar (`"+1"`, `".5"`, `"01"`) is left to the caller's exact path."""
    checked = _CHECKED
    if not isinstance(texts, list | tuple | set | frozenset):
        texts = list(texts)
    if checked.issuperset(texts):
        return True
    new = set(texts).difference(checked)
    joined = ",".join(new)
    if " " in joined or "\n" in joined or "\t" in joined or "\r" in joined:
        return False
    try:
        if len(_NUMBERS.decode(f"[{joined}]")) != len(new):
            return False
    except (msgspec.DecodeError, TypeError):
        return False
    if len(checked) + len(new) > _CHECKED_MAX:
        checked.clear()
    checked.update(new)
    return True
