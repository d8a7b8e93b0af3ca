"""Qot_GetOrderBook / Qot_UpdateOrderBook S2C -> the normalized `venuewire.OrderBook`.

asks come from orderBookAskList and bids from orderBookBidList (the seed's comments swap
"buy" and "sell"; the wire does not). A level's size is hpVolume when present, else
volume. Prices are doubles on the wire: each level holds the text of the double's shortest
repr as a Decimal prints it (601.5 -> "601.5", 1e-07 -> "1E-7"), and `level.price` is that
Decimal (built when read), never the binary expansion. Sizes and order ids (int64) keep their
exact integer text.

A price or hpVolume that is NaN or an infinity, and a svrRecvTime*Timestamp that is not
finite or lies outside year 1..9999, is a `DecodeError` naming the field (`check_s2c`
checks exactly that, without building the book).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Final, cast

from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.Qot_Common_pb2 import OrderBook as WireLevel
from venuewire.models import BookLevel, OrderBook, OrderDetail
from venuewire.opend.symbols import symbol_of
from venuewire.values import decimal_of_double, utc_from_seconds

S2C = Qot_GetOrderBook_pb2.S2C | Qot_UpdateOrderBook_pb2.S2C

VENUE: Final = "futu"
SIDES: Final = ("orderBookAskList", "orderBookBidList")
TIMESTAMPS: Final = ("svrRecvTimeBidTimestamp", "svrRecvTimeAskTimestamp")

# Books repeat the same prices push after push: remember their Decimals and texts (bounded).
# Only finite values are ever stored (a non-finite one raises before it is cached).
_DECIMALS: dict[float | int, Decimal] = {}
_DECIMALS_MAX = 100_000
_TEXTS: dict[float | int, str] = {}


def _message(s2c: S2C) -> str:
    """ "Qot_GetOrderBook.S2C" or "Qot_UpdateOrderBook.S2C"."""
    return str(s2c.DESCRIPTOR.full_name).rsplit(".", 2)[-2] + ".S2C"


def decimal_of(value: float | int, message: str = "", path: tuple[str | int, ...] = ()) -> Decimal:
    """The Decimal of an integer, or of a double's shortest repr; cached (bounded).
    DecodeError (naming `message` and `path`) for NaN and infinities."""
    found = _DECIMALS.get(value)
    if found is None:
        found = decimal_of_double(value, VENUE, message, path) if isinstance(value, float) else Decimal(value)
        if len(_DECIMALS) >= _DECIMALS_MAX:
            _DECIMALS.clear()
        _DECIMALS[value] = found
    return found


def text_of(value: float | int, message: str = "", path: tuple[str | int, ...] = ()) -> str:
    """The exact text of an integer, or of a double's shortest repr as `str(Decimal)` prints
    it (so `Decimal(text)` is `decimal_of(value)`); cached (bounded). DecodeError (naming
    `message` and `path`) for NaN and infinities."""
    found = _TEXTS.get(value)
    if found is None:
        found = str(decimal_of_double(value, VENUE, message, path)) if isinstance(value, float) else str(value)
        if len(_TEXTS) >= _DECIMALS_MAX:
            _TEXTS.clear()
        _TEXTS[value] = found
    return found


def _price_texts(prices: list[float], message: str, side: str) -> list[str]:
    found = list(map(_TEXTS.get, prices))
    if None in found:  # new prices (a non-finite one raises here, naming its level)
        pairs = enumerate(zip(found, prices, strict=True))
        return [text or text_of(price, message, (side, i, "price")) for i, (text, price) in pairs]
    return cast(list[str], found)


def _levels(wire: Iterable[WireLevel], message: str, side: str) -> tuple[BookLevel, ...]:
    levels = list(wire)  # one Python object per level, read four times below
    if not levels:
        return ()
    prices = _price_texts([level.price for level in levels], message, side)
    sizes = [
        text_of(level.hpVolume, message, (side, i, "hpVolume")) if level.HasField("hpVolume") else str(level.volume)
        for i, level in enumerate(levels)
    ]
    counts = [level.orederCount for level in levels]
    details = [level.detailList for level in levels]
    if any(map(len, details)):
        orders: list[tuple[OrderDetail, ...]] = [
            tuple([OrderDetail(str(d.orderID), str(d.volume)) for d in found]) if found else () for found in details
        ]
        return tuple(map(BookLevel, prices, sizes, counts, orders))
    return tuple(map(BookLevel, prices, sizes, counts))


def _time(s2c: S2C, field: str, message: str) -> datetime | None:
    """The timestamp field as a UTC datetime; None when absent or not positive (OpenD's
    "no time"); DecodeError when not finite or out of range for a date."""
    if not s2c.HasField(field):
        return None
    seconds: float = getattr(s2c, field)
    if seconds <= 0 and math.isfinite(seconds):  # NaN and -inf go on to the check below
        return None
    return utc_from_seconds(seconds, VENUE, message, (field,))


def check_s2c(s2c: S2C, message: str | None = None) -> None:
    """Raise DecodeError (venue, `message`, field path) when a price, hpVolume or
    timestamp of `s2c` cannot stand for what it means; cheaper than building the book."""
    name = message or _message(s2c)
    isfinite = math.isfinite
    for side in SIDES:
        for i, level in enumerate(getattr(s2c, side)):
            if not isfinite(level.price):
                decimal_of_double(level.price, VENUE, name, (side, i, "price"))
            if level.HasField("hpVolume") and not isfinite(level.hpVolume):
                decimal_of_double(level.hpVolume, VENUE, name, (side, i, "hpVolume"))
    for field in TIMESTAMPS:
        _time(s2c, field, name)


def order_book_from_s2c(s2c: S2C) -> OrderBook:
    """The normalized book of a Qot_GetOrderBook or Qot_UpdateOrderBook S2C; DecodeError
    for non-finite prices or sizes and out-of-range timestamps (see the module doc)."""
    message = _message(s2c)
    return OrderBook(
        venue=VENUE,
        symbol=symbol_of(s2c.security),
        bids=_levels(s2c.orderBookBidList, message, "orderBookBidList"),
        asks=_levels(s2c.orderBookAskList, message, "orderBookAskList"),
        bid_timestamp=_time(s2c, "svrRecvTimeBidTimestamp", message),
        ask_timestamp=_time(s2c, "svrRecvTimeAskTimestamp", message),
        name=s2c.name if s2c.HasField("name") else None,
    )
