"""QFEX: the trading WebSocket with HMAC auth, get_order.

`QfexTradeClient` (client.py) is the entry point; `protocol.py` (frames, pairing, the session
state machine), `errors.py` (`QfexError`) and `orders.py` (-> `venuewire.models.Order`) are
pure. The simulator is `venuewire.sim.qfex` (`QfexSimulator`).

Every venue package exports the same names: its client class(es), the normalized `Order` and
`OrderBook`, the stream events `Gap` and `DecodeFailure`, and `VENUE` (its registry key).
"""

from venuewire.events import DecodeFailure, Gap
from venuewire.models import Order, OrderBook
from venuewire.qfex.client import ClientStats, QfexTradeClient
from venuewire.qfex.errors import VENUE, QfexAuthError, QfexError
from venuewire.qfex.orders import orders_from_response

__all__ = [
    "VENUE",
    "ClientStats",
    "DecodeFailure",
    "Gap",
    "Order",
    "OrderBook",
    "QfexAuthError",
    "QfexError",
    "QfexTradeClient",
    "orders_from_response",
]
