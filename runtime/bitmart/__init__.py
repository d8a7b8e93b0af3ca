"""BitMart: WebSocket order-book depth (legacy channel, v3 spot channel, v3 incremental books)
and spot trading (`trade`: `BitmartTradeClient`, REST).

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
from venuewire.bitmart.trade import (
    BitmartTradeClient,
    balances_from_bitmart,
    order_book_from_rest,
    order_from_bitmart,
)
from venuewire.events import BookGap, BookGapCause, BookResynced
from venuewire.exports import DecodeFailure, Gap, Order, OrderBook

__all__ = [
    "VENUE",
    "BitmartClient",
    "BitmartIncrementalStream",
    "BitmartStream",
    "BitmartTradeClient",
    "BookGap",
    "BookGapCause",
    "BookResynced",
    "BookState",
    "IncrementalBooks",
    "LegacyDepthProtocol",
    "SpotDepthProtocol",
    "SpotIncreaseProtocol",
    "SpotState",
    "V3Protocol",
    "balances_from_bitmart",
    "order_book_from_legacy",
    "order_book_from_rest",
    "order_book_from_spot",
    "order_books_from_spot",
    "order_from_bitmart",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
