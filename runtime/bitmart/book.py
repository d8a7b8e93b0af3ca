"""BitMart depth messages -> the normalized `venuewire.OrderBook`. Pure functions, no I/O.

Legacy channel (`LegacyDepthPush`, schema bitmart/legacy_depth):

| `OrderBook` | legacy push |
|---|---|
| `venue` | `"bitmart"` |
| `symbol` | `symbol` (as sent, e.g. `BMX_ETH`) |
| `bids` / `asks` | `data.buys` / `data.sells`, in the order sent (best first) |
| level `price` / `size` | `price` / `amount` (the text as sent, `"30657.00"` keeps its zeros; a Decimal when read) |
| level `order_count` | `count` (a whole number sent as a string; anything else is a DecodeError) |
| `timestamp` | not sent (None) |

`total` (the running sum of `amount`) is validated by the schema and not copied: it is
derivable from the sizes.

v3 spot channel (`SpotDepthData`, one entry of `SpotDepthPush.data`, schema bitmart/spot_depth):
`bids` / `asks` from `bids` / `asks` (`[price, size]` pairs), `order_count` None (not sent),
`timestamp` from `ms_t` (UTC).

Two ways in, the same books: `order_book_from_legacy` / `order_books_from_spot` take the
generated messages, whose decimals are `DecimalText` (the wire's strings, unchecked by the
decode); `order_book_from_legacy_json` / `order_books_from_spot_json` take the frame's JSON
bytes and decode them straight into text-typed mirrors. Neither builds a Decimal until a
consumer reads `level.price`; both check every value's text (in bulk, then one by one for the
error). A frame the fast decode refuses goes through the generated class, so errors are
exactly the same.

Values that cannot stand for what they mean are `DecodeError`s naming the field path (checked
with `venuewire.values.decimal_of`): texts that are no decimal number, NaN, Infinity and sNaN
prices, sizes, totals and counts, and an `ms_t` outside year 1 to 9999.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import starmap
from operator import attrgetter
from typing import Literal, cast

import msgspec

from venuewire.errors import DecodeError
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush, LegacyLevel
from venuewire.generated.bitmart.spot_depth import SpotDepthData, SpotDepthPush
from venuewire.messages import decode_json, message_info
from venuewire.models import (
    TEXT_DECODE_ERRORS,
    BookLevel,
    LazyMessage,
    OrderBook,
    are_decimal_columns,
)
from venuewire.values import decimal_of, utc_from_ms

__all__ = [
    "VENUE",
    "legacy_book_or_none",
    "order_book_from_legacy",
    "order_book_from_legacy_json",
    "order_book_from_spot",
    "order_books_from_spot",
    "order_books_from_spot_json",
    "spot_books_or_none",
]

VENUE = "bitmart"
_LEGACY = message_info(LegacyDepthPush).name
_SPOT = message_info(SpotDepthPush).name
_MAX_COUNT_DIGITS = 18
"""A count of 10^19 orders or more is no count (and `int()` of "1E+999999999" would not end)."""


def _legacy_levels(levels: Sequence[LegacyLevel], side: str) -> tuple[BookLevel, ...]:
    out = []
    for index, level in enumerate(levels):
        where = ("data", side, index)
        decimal_of(level.price, VENUE, _LEGACY, (*where, "price"))
        decimal_of(level.amount, VENUE, _LEGACY, (*where, "amount"))
        decimal_of(level.total, VENUE, _LEGACY, (*where, "total"))
        count = decimal_of(level.count, VENUE, _LEGACY, (*where, "count"))
        if count < 0 or count != count.to_integral_value() or count.adjusted() > _MAX_COUNT_DIGITS:
            raise DecodeError(VENUE, _LEGACY, (*where, "count"), f"expected a whole number of orders, got {count}")
        out.append(BookLevel(level.price, level.amount, int(count)))
    return tuple(out)


def order_book_from_legacy(push: LegacyDepthPush) -> OrderBook:
    """The normalized book of one legacy `depth` push. Raises DecodeError (with the field
    path) when a price, amount or total is no finite decimal (text that is no number, NaN,
    Infinity, sNaN) or a level's `count` is not a non-negative whole number."""
    book = _checked_in_bulk(push.symbol, push.data.buys, push.data.sells)
    if book is not None:
        return book
    return OrderBook(
        venue=VENUE,
        symbol=push.symbol,
        bids=_legacy_levels(push.data.buys, "buys"),
        asks=_legacy_levels(push.data.sells, "sells"),
    )


def _spot_levels(levels: Sequence[tuple[str, str]], where: tuple[str | int, ...]) -> tuple[BookLevel, ...]:
    if not are_decimal_columns(levels):
        for index, (price, size) in enumerate(levels):  # the first bad text names its field
            decimal_of(price, VENUE, _SPOT, (*where, index, 0))
            decimal_of(size, VENUE, _SPOT, (*where, index, 1))
    return tuple(starmap(BookLevel, levels))


def order_book_from_spot(data: SpotDepthData, index: int = 0) -> OrderBook:
    """The normalized book of one v3 `spot/depthN` snapshot, entry `index` of its frame's
    `data` (for the field path of errors). Raises DecodeError for a price or size that is not
    finite and for an `ms_t` outside year 1 to 9999."""
    where: tuple[str | int, ...] = ("data", index)
    return OrderBook(
        venue=VENUE,
        symbol=data.symbol,
        bids=_spot_levels(data.bids, (*where, "bids")),
        asks=_spot_levels(data.asks, (*where, "asks")),
        timestamp=utc_from_ms(data.ms_t, VENUE, _SPOT, (*where, "ms_t")),
    )


def order_books_from_spot(push: SpotDepthPush) -> list[OrderBook]:
    """Every snapshot a v3 depth frame carries (normally one), in order; DecodeError as
    `order_book_from_spot` for the first bad one."""
    return [order_book_from_spot(data, index) for index, data in enumerate(push.data)]


# -- the fast way in: JSON bytes -> text-typed mirrors -> OrderBook --------------------------


class _LegacyLevel(msgspec.Struct):
    amount: str
    total: str
    price: str
    count: str  # whole numbers of at most 18 ASCII digits are read here; any other text falls back


class _LegacyData(msgspec.Struct):
    buys: list[_LegacyLevel]
    sells: list[_LegacyLevel]


class _LegacyPush(LazyMessage):
    message_class = LegacyDepthPush
    subscribe: Literal["depth"]
    symbol: str
    precision: int
    data: _LegacyData


class _Pair(msgspec.Struct, array_like=True, forbid_unknown_fields=True, gc=False):
    """One `[price, size]` pair as its two texts. A struct the garbage collector does not
    track (a tuple is tracked until a collection), so a book kept in a stream's buffer adds
    a few tracked objects, not one per level: the collector's passes stay short."""

    price: str
    size: str


class _SpotData(LazyMessage):
    message_class = SpotDepthData
    asks: list[_Pair]
    bids: list[_Pair]
    ms_t: int
    symbol: str


class _SpotPush(msgspec.Struct):
    table: str
    data: list[_SpotData]


_LEGACY_DECODER = msgspec.json.Decoder(_LegacyPush)
_PRICE, _AMOUNT, _TOTAL, _COUNT = (attrgetter(name) for name in ("price", "amount", "total", "count"))
_SPOT_DECODER = msgspec.json.Decoder(_SpotPush)


_COUNT_INTS: dict[str, int] = {}
"""Count texts seen before (every one 1 to 18 ASCII digits) and their ints: books repeat the
same few counts, so each is checked and converted once (at most 100,000, emptied when full)."""


def _counts(levels: Sequence[_LegacyLevel | LegacyLevel]) -> list[int] | None:
    """The levels' counts as ints when every one is 1 to 18 ASCII digits, else None (the
    checked path then reads them one by one and names the bad one)."""
    texts = list(map(_COUNT, levels))
    counts = list(map(_COUNT_INTS.get, texts))
    if None not in counts:
        return cast("list[int]", counts)  # no None in it
    for text in texts:
        if not (text.isascii() and text.isdigit() and len(text) <= _MAX_COUNT_DIGITS):
            return None
    if len(_COUNT_INTS) + len(texts) > 100_000:
        _COUNT_INTS.clear()
    _COUNT_INTS.update(zip(texts, map(int, texts), strict=True))
    return list(map(_COUNT_INTS.__getitem__, texts))


def _checked_in_bulk(
    symbol: str,
    buys: Sequence[_LegacyLevel | LegacyLevel],
    sells: Sequence[_LegacyLevel | LegacyLevel],
    raw: object | None = None,
) -> OrderBook | None:
    """The book when every price, amount and total is a JSON number text and every count 1 to
    18 digits (checked for all at once), else None."""
    buy_counts, sell_counts = _counts(buys), _counts(sells)
    if buy_counts is None or sell_counts is None:
        return None
    buy_prices, buy_amounts = list(map(_PRICE, buys)), list(map(_AMOUNT, buys))
    sell_prices, sell_amounts = list(map(_PRICE, sells)), list(map(_AMOUNT, sells))
    totals = [*map(_TOTAL, buys), *map(_TOTAL, sells)]
    if not are_decimal_columns((buy_prices, buy_amounts, sell_prices, sell_amounts, totals)):
        return None
    return OrderBook(
        VENUE,
        symbol,
        tuple(map(BookLevel, buy_prices, buy_amounts, buy_counts)),
        tuple(map(BookLevel, sell_prices, sell_amounts, sell_counts)),
        raw=raw,
    )


def legacy_book_or_none(data: bytes | str, *, keep_raw: bool = False) -> OrderBook | None:
    """The book of a legacy depth push read the fast way, or None when the fast decode refuses
    the frame (then `order_book_from_legacy(decode_json(LegacyDepthPush, data))` gives the
    book or the DecodeError naming the field). With `keep_raw`, `book.raw` is the push (a
    `LazyMessage`: the generated `LegacyDepthPush` is built on the first read of `book.raw`)."""
    try:
        push = _LEGACY_DECODER.decode(data)
    except TEXT_DECODE_ERRORS:
        return None
    return _checked_in_bulk(push.symbol, push.data.buys, push.data.sells, push if keep_raw else None)


def order_book_from_legacy_json(data: bytes | str) -> OrderBook:
    """`order_book_from_legacy(decode_json(LegacyDepthPush, data))`, the same book and the
    same DecodeErrors, without building a Decimal per value."""
    book = legacy_book_or_none(data)
    if book is not None:
        return book
    return order_book_from_legacy(decode_json(LegacyDepthPush, data))


def spot_books_or_none(data: bytes | str, *, keep_raw: bool = False) -> list[OrderBook] | None:
    """The books of a v3 depth frame (`data` inflated) read the fast way, or None when the
    fast decode refuses the frame (then `order_books_from_spot(decode_json(SpotDepthPush,
    data))` gives the books or the DecodeError naming the field). Raises DecodeError for an
    `ms_t` outside year 1 to 9999. With `keep_raw`, each `book.raw` is its entry of `data`
    (a `LazyMessage`: the generated `SpotDepthData` is built on the first read)."""
    try:
        push = _SPOT_DECODER.decode(data)
    except TEXT_DECODE_ERRORS:
        return None
    entries = push.data
    if len(entries) == 1:  # the usual frame: one snapshot
        pairs = entries[0].bids + entries[0].asks
    else:
        pairs = [pair for entry in entries for pair in (*entry.bids, *entry.asks)]
    if not are_decimal_columns(([pair.price for pair in pairs], [pair.size for pair in pairs])):
        return None
    return [
        OrderBook(
            venue=VENUE,
            symbol=entry.symbol,
            bids=tuple([BookLevel(pair.price, pair.size) for pair in entry.bids]),
            asks=tuple([BookLevel(pair.price, pair.size) for pair in entry.asks]),
            timestamp=utc_from_ms(entry.ms_t, VENUE, _SPOT, ("data", index, "ms_t")),
            raw=entry if keep_raw else None,
        )
        for index, entry in enumerate(entries)
    ]


def order_books_from_spot_json(data: bytes | str) -> list[OrderBook]:
    """`order_books_from_spot(decode_json(SpotDepthPush, data))` (`data` inflated), the same
    books and the same DecodeErrors, without building a Decimal per value."""
    books = spot_books_or_none(data)
    if books is not None:
        return books
    return order_books_from_spot(decode_json(SpotDepthPush, data))
