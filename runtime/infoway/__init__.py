"""Infoway: REST batch market depth and the WebSocket depth stream.

`InfowayClient` (client.py) is the entry point; `rest.py` (argument checks, request path,
reply -> typed message or error), `protocol.py` (the WebSocket protocol) and `book.py`
(depth -> `venuewire.OrderBook`) are pure. The simulator is `venuewire.sim.infoway`.
"""

from venuewire.infoway.book import order_book_from_depth, order_books_from_response
from venuewire.infoway.client import InfowayClient, InfowayDepthStream
from venuewire.infoway.protocol import DepthProtocolStats, InfowayDepthProtocol

__all__ = [
    "DepthProtocolStats",
    "InfowayClient",
    "InfowayDepthProtocol",
    "InfowayDepthStream",
    "order_book_from_depth",
    "order_books_from_response",
]
