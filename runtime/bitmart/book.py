"""BitMart depth messages -> the normalized `venuewire.OrderBook`. Pure functions, no I/O.

Legacy channel (`LegacyDepthPush`, schema bitmart/legacy_depth):

| `OrderBook` | legacy push |
|---|---|
| `venue` | `"bitmart"` |
| `symbol` | `symbol` (as sent, e.g. `BMX_ETH`) |
| `bids` / `asks` | `data.buys` / `data.sells`, in the order sent (best first) |
| level `price` / `size` | `price` / `amount` (Decimal, exactly as sent: `"30657.00"` keeps its zeros) |
| level `order_count` | `count` (a whole number sent as a string; anything else is a DecodeError) |
| `timestamp` | not sent (None) |

`total` (the running sum of `amount`) is validated by the schema and not copied: it is
derivable from the sizes.

v3 spot channel (`SpotDepthData`, one entry of `SpotDepthPush.data`, schema bitmart/spot_depth):
`bids` / `asks` from `bids` / `asks` (`[price, size]` pairs), `order_count` None (not sent),
`timestamp` from `ms_t` (UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from venuewire.errors import DecodeError
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush, LegacyLevel
from venuewire.generated.bitmart.spot_depth import SpotDepthData, SpotDepthPush
from venuewire.messages import message_info
from venuewire.models import BookLevel, OrderBook

__all__ = ["VENUE", "order_book_from_legacy", "order_book_from_spot", "order_books_from_spot"]

VENUE = "bitmart"
_LEGACY = message_info(LegacyDepthPush).name


def _legacy_levels(levels: Sequence[LegacyLevel], side: str) -> tuple[BookLevel, ...]:
    out = []
    for index, level in enumerate(levels):
        count = level.count
        orders = int(count) if count.is_finite() else -1
        if orders != count or orders < 0:
            raise DecodeError(
                VENUE, _LEGACY, ("data", side, index, "count"), f"expected a whole number of orders, got {count}"
            )
        out.append(BookLevel(level.price, level.amount, orders))
    return tuple(out)


def order_book_from_legacy(push: LegacyDepthPush) -> OrderBook:
    """The normalized book of one legacy `depth` push. Raises DecodeError (with the field
    path) when a level's `count` is not a non-negative whole number."""
    return OrderBook(
        venue=VENUE,
        symbol=push.symbol,
        bids=_legacy_levels(push.data.buys, "buys"),
        asks=_legacy_levels(push.data.sells, "sells"),
    )


def _spot_levels(levels: Sequence[tuple[Decimal, Decimal]]) -> tuple[BookLevel, ...]:
    return tuple([BookLevel(price, size) for price, size in levels])


def order_book_from_spot(data: SpotDepthData) -> OrderBook:
    """The normalized book of one v3 `spot/depthN` snapshot."""
    return OrderBook(
        venue=VENUE,
        symbol=data.symbol,
        bids=_spot_levels(data.bids),
        asks=_spot_levels(data.asks),
        timestamp=datetime.fromtimestamp(data.ms_t / 1000, UTC),
    )


def order_books_from_spot(push: SpotDepthPush) -> list[OrderBook]:
    """Every snapshot a v3 depth frame carries (normally one), in order."""
    return [order_book_from_spot(data) for data in push.data]
