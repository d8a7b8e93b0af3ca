"""Qot_GetOrderBook / Qot_UpdateOrderBook S2C -> the normalized `venuewire.OrderBook`.

asks come from orderBookAskList and bids from orderBookBidList (the seed's comments swap
"buy" and "sell"; the wire does not). A level's size is hpVolume when present, else
volume. Prices are doubles on the wire: each becomes the Decimal of its shortest repr
(601.5 -> Decimal("601.5")), never the binary expansion.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.Qot_Common_pb2 import OrderBook as WireLevel
from venuewire.models import BookLevel, OrderBook, OrderDetail
from venuewire.opend.symbols import symbol_of

S2C = Qot_GetOrderBook_pb2.S2C | Qot_UpdateOrderBook_pb2.S2C

# Books repeat the same prices push after push: remember their Decimals (bounded).
_DECIMALS: dict[float | int, Decimal] = {}
_DECIMALS_MAX = 100_000


def decimal_of(value: float | int) -> Decimal:
    """The Decimal of an integer, or of a double's shortest repr; cached (bounded)."""
    found = _DECIMALS.get(value)
    if found is None:
        if len(_DECIMALS) >= _DECIMALS_MAX:
            _DECIMALS.clear()
        found = _DECIMALS[value] = Decimal(repr(value))
    return found


def _levels(levels: Iterable[WireLevel]) -> tuple[BookLevel, ...]:
    out = []
    for level in levels:
        size = decimal_of(level.hpVolume) if level.HasField("hpVolume") else decimal_of(level.volume)
        details = level.detailList
        orders = tuple([OrderDetail(str(d.orderID), decimal_of(d.volume)) for d in details]) if details else ()
        out.append(BookLevel(decimal_of(level.price), size, level.orederCount, orders))
    return tuple(out)


def _time(s2c: S2C, field: str) -> datetime | None:
    if not s2c.HasField(field):
        return None
    seconds: float = getattr(s2c, field)
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None


def order_book_from_s2c(s2c: S2C) -> OrderBook:
    return OrderBook(
        venue="futu",
        symbol=symbol_of(s2c.security),
        bids=_levels(s2c.orderBookBidList),
        asks=_levels(s2c.orderBookAskList),
        bid_timestamp=_time(s2c, "svrRecvTimeBidTimestamp"),
        ask_timestamp=_time(s2c, "svrRecvTimeAskTimestamp"),
        name=s2c.name if s2c.HasField("name") else None,
    )
