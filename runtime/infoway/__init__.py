"""Infoway: REST batch market depth and the WebSocket depth stream.

`InfowayClient` (client.py) is the entry point; `rest.py` (argument checks, request path,
reply -> typed message or error), `protocol.py` (the WebSocket protocol) and `book.py`
(depth -> `venuewire.OrderBook`) are pure. The simulator is `venuewire.sim.infoway`.
"""

from venuewire.exports import DecodeFailure, Gap, Order, OrderBook
from venuewire.infoway.book import VENUE, order_book_from_depth, order_books_from_response
from venuewire.infoway.client import InfowayClient, InfowayDepthStream
from venuewire.infoway.protocol import DepthProtocolStats, InfowayDepthProtocol

__all__ = [
    "VENUE",
    "DepthProtocolStats",
    "InfowayClient",
    "InfowayDepthProtocol",
    "InfowayDepthStream",
    "order_book_from_depth",
    "order_books_from_response",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
