"""CoinW futures: signed private REST, get order information (open orders).

`CoinwClient` (client.py) is the entry point: every registry endpoint as a typed method (the
generated `venuewire.generated.coinw.api.CoinwRestAPI`, sent by `venuewire.rest`) plus
`get_open_orders`; `rest.py` (the venue's argument rules, the exact query, reply -> typed orders
or error) and `orders.py` (typed order -> `venuewire.models.Order`) are pure. The simulator is
`venuewire.sim.coinw`.

Every venue package exports the same names: its client class(es), the normalized `Order` and
`OrderBook`, the stream events `Gap` and `DecodeFailure`, and `VENUE` (its registry key).
"""

from venuewire.coinw.book import order_book_from_coinw
from venuewire.coinw.client import RATE_WINDOW_S, CoinwClient
from venuewire.coinw.orders import order_from_coinw, orders_from_coinw
from venuewire.coinw.rest import MAX_IDS, POSITION_TYPES, VENUE, order_query, orders_result
from venuewire.events import DecodeFailure, Gap
from venuewire.models import Order, OrderBook

__all__ = [
    "MAX_IDS",
    "POSITION_TYPES",
    "RATE_WINDOW_S",
    "VENUE",
    "CoinwClient",
    "DecodeFailure",
    "Gap",
    "Order",
    "OrderBook",
    "order_book_from_coinw",
    "order_from_coinw",
    "order_query",
    "orders_from_coinw",
    "orders_result",
]
