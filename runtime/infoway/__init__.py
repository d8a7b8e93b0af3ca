"""Infoway: REST batch market depth and the WebSocket depth stream.

`InfowayClient` (client.py) is the entry point; `rest.py` (argument checks, request path,
reply -> typed message or error), `protocol.py` (the WebSocket protocol) and `book.py`
(depth -> `venuewire.OrderBook`) are pure. The simulator is `venuewire.sim.infoway`.

Every venue package exports the same names: its client class(es), the normalized `Order` and
`OrderBook`, the stream events `Gap` and `DecodeFailure`, and `VENUE` (its registry key).
"""

from venuewire.events import DecodeFailure, Gap
from venuewire.infoway.book import VENUE, order_book_from_depth, order_books_from_response
from venuewire.infoway.client import InfowayClient, InfowayDepthStream
from venuewire.infoway.protocol import DepthProtocolStats, InfowayDepthProtocol
from venuewire.models import Order, OrderBook

__all__ = [
    "VENUE",
    "DecodeFailure",
    "DepthProtocolStats",
    "Gap",
    "InfowayClient",
    "InfowayDepthProtocol",
    "InfowayDepthStream",
    "Order",
    "OrderBook",
    "order_book_from_depth",
    "order_books_from_response",
]
