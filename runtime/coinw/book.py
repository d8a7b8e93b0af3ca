"""CoinW depth (`GET /v1/perpumPublic/depth`, the generated `DepthResponse`) -> `venuewire.OrderBook`.

Pure. Field by field (README: "OrderBook" mapping table):
    venue       "coinw"
    symbol      data.n upper-cased (CoinW sends the base currency in lower case, "btc"; the
                other endpoints name the market "BTC")
    bids, asks  data.bids / data.asks in the venue's order (best first): `p` price, `m` size
                (base currency), both exact Decimals from either wire form
    timestamp   data.t (Unix epoch ms) as an aware UTC datetime; None when null or absent
A NaN or infinite price or size (only a string can carry one) or a `t` no datetime holds is a
DecodeError naming the field, e.g. `depth_response at $.data.asks[2].p`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from msgspec import UnsetType

from venuewire.errors import DecodeError
from venuewire.generated.coinw.depth_response import DepthLevel, DepthResponse
from venuewire.models import BookLevel, OrderBook
from venuewire.values import finite_decimal, utc_from_ms

__all__ = ["MESSAGE", "VENUE", "order_book_from_coinw"]

VENUE: Final = "coinw"
MESSAGE: Final = "depth_response"


def _levels(levels: Sequence[DepthLevel], side: str) -> tuple[BookLevel, ...]:
    return tuple(
        BookLevel.of(
            finite_decimal(level.p, VENUE, MESSAGE, ("data", side, index, "p")),
            finite_decimal(level.m, VENUE, MESSAGE, ("data", side, index, "m")),
        )
        for index, level in enumerate(levels)
    )


def order_book_from_coinw(reply: DepthResponse) -> OrderBook:
    """The normalized book of one successful depth reply (`raw`: the reply). DecodeError when
    the reply carries no book (data null or absent) or a value that is not what it stands for."""
    depth = reply.data
    if depth is None or isinstance(depth, UnsetType):
        raise DecodeError(VENUE, MESSAGE, ("data",), "missing: a depth reply without a book")
    t = depth.t
    return OrderBook(
        venue=VENUE,
        symbol=depth.n.upper(),
        bids=_levels(depth.bids, "bids"),
        asks=_levels(depth.asks, "asks"),
        timestamp=utc_from_ms(t, VENUE, MESSAGE, ("data", "t")) if isinstance(t, int) else None,
        raw=reply,
    )
