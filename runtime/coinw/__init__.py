"""CoinW futures: signed private REST, get order information (open orders).

`CoinwClient` (client.py) is the entry point: every registry endpoint as a typed method (the
generated `venuewire.generated.coinw.api.CoinwRestAPI`, sent by `venuewire.rest`) plus
`get_open_orders`; `rest.py` (the venue's argument rules, the exact query, reply -> typed orders
or error) and `orders.py` (typed order -> `venuewire.models.Order`) are pure. The simulator is
`venuewire.sim.coinw`.
"""

from venuewire.coinw.book import order_book_from_coinw
from venuewire.coinw.client import RATE_WINDOW_S, CoinwClient
from venuewire.coinw.orders import order_from_coinw, orders_from_coinw
from venuewire.coinw.rest import MAX_IDS, POSITION_TYPES, VENUE, order_query, orders_result
from venuewire.exports import DecodeFailure, Gap, Order, OrderBook

__all__ = [
    "MAX_IDS",
    "POSITION_TYPES",
    "RATE_WINDOW_S",
    "VENUE",
    "CoinwClient",
    "order_book_from_coinw",
    "order_from_coinw",
    "order_query",
    "orders_from_coinw",
    "orders_result",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
