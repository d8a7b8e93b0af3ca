"""Infoway depth snapshots (`Depth`, from batch_depth or a 10005 push) -> `venuewire.OrderBook`.

Pure functions. Each side is column-major on the wire, `[[prices], [volumes]]`, already
Decimal in the generated class. `a` is the ASK (sell) side and `b` the BID (buy) side: the
seed's notes swap them, its field table and its data do not. Levels keep the venue's order
(asks ascending, bids descending, best first); order counts are not sent (None).
`t` (Unix epoch milliseconds) becomes the book's UTC `timestamp`, exactly (no float).

A side whose price and volume columns differ in length raises DecodeError naming the
message and the field path of that side.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from venuewire.errors import DecodeError
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.depth import Depth
from venuewire.models import BookLevel, OrderBook

__all__ = ["VENUE", "order_book_from_depth", "order_books_from_response", "timestamp_of"]

VENUE = "infoway"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_Side = tuple[list[Decimal], list[Decimal]]


def timestamp_of(t_ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime (exact to the millisecond)."""
    return _EPOCH + timedelta(milliseconds=t_ms)


def _levels(side: _Side, key: str, message: str, path: Sequence[str | int]) -> tuple[BookLevel, ...]:
    prices, volumes = side
    if len(prices) != len(volumes):
        raise DecodeError(
            VENUE, message, (*path, key), f"{len(prices)} prices but {len(volumes)} volumes (columns must pair up)"
        )
    return tuple(map(BookLevel, prices, volumes))


def order_book_from_depth(depth: Depth, *, message: str = "depth", path: Sequence[str | int] = ()) -> OrderBook:
    """One normalized book. `message` and `path` (where `depth` sits in its message) name
    the field in a DecodeError, e.g. `("data", 3)` in "batch_depth_response"."""
    return OrderBook(
        venue=VENUE,
        symbol=depth.s,
        bids=_levels(depth.b, "b", message, path),
        asks=_levels(depth.a, "a", message, path),
        timestamp=_EPOCH + timedelta(milliseconds=depth.t),
    )


def order_books_from_response(response: BatchDepthResponse) -> list[OrderBook]:
    """Every snapshot of a successful batch_depth reply, in the venue's order (a reply with
    no `data` gives an empty list)."""
    data = response.data
    if not data:
        return []
    return [
        order_book_from_depth(depth, message="batch_depth_response", path=("data", index))
        for index, depth in enumerate(data)
    ]
