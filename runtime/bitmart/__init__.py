"""BitMart: WebSocket order-book depth (legacy channel, v3 spot channel, v3 incremental books).

`book`, `incremental` and `protocol` are pure (frames in, books and frames out, no I/O); `client` is the
thin layer on the shared `venuewire.transport.WsStream`. The simulator is `venuewire.sim.bitmart`.
"""

from venuewire.bitmart.book import VENUE, order_book_from_legacy, order_book_from_spot, order_books_from_spot
from venuewire.bitmart.client import BitmartClient, BitmartIncrementalStream, BitmartStream
from venuewire.bitmart.incremental import BookState, IncrementalBooks
from venuewire.bitmart.protocol import (
    LegacyDepthProtocol,
    SpotDepthProtocol,
    SpotIncreaseProtocol,
    SpotState,
    V3Protocol,
)
from venuewire.events import BookGap, BookGapCause, BookResynced, ResyncTimedOut
from venuewire.exports import DecodeFailure, Gap, Order, OrderBook

__all__ = [
    "VENUE",
    "BitmartClient",
    "BitmartIncrementalStream",
    "BitmartStream",
    "BookGap",
    "BookGapCause",
    "BookResynced",
    "BookState",
    "IncrementalBooks",
    "LegacyDepthProtocol",
    "ResyncTimedOut",
    "SpotDepthProtocol",
    "SpotIncreaseProtocol",
    "SpotState",
    "V3Protocol",
    "order_book_from_legacy",
    "order_book_from_spot",
    "order_books_from_spot",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
