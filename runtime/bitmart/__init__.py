"""BitMart: WebSocket order-book depth (legacy channel and v3 spot channel).

`book` and `protocol` are pure (frames in, books and frames out, no I/O); `client` is the
thin layer on the shared `venuewire.transport.WsStream`. The simulator is `venuewire.sim.bitmart`.
"""

from venuewire.bitmart.book import VENUE, order_book_from_legacy, order_book_from_spot, order_books_from_spot
from venuewire.bitmart.client import BitmartClient, BitmartStream
from venuewire.bitmart.protocol import LegacyDepthProtocol, SpotDepthProtocol, SpotState, V3Protocol
from venuewire.exports import DecodeFailure, Gap, Order, OrderBook

__all__ = [
    "VENUE",
    "BitmartClient",
    "BitmartStream",
    "LegacyDepthProtocol",
    "SpotDepthProtocol",
    "SpotState",
    "V3Protocol",
    "order_book_from_legacy",
    "order_book_from_spot",
    "order_books_from_spot",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
