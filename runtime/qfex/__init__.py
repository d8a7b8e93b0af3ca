"""QFEX: the trading WebSocket with HMAC auth, get_order.

`QfexTradeClient` (client.py) is the entry point; `protocol.py` (frames, pairing, the session
state machine), `errors.py` (`QfexError`) and `orders.py` (-> `venuewire.models.Order`) are
pure. The simulator is `venuewire.sim.qfex` (`QfexSimulator`).
"""

from venuewire.exports import DecodeFailure, Gap, Order, OrderBook
from venuewire.qfex.client import ClientStats, QfexTradeClient
from venuewire.qfex.errors import VENUE, QfexAuthError, QfexError
from venuewire.qfex.orders import orders_from_response

__all__ = [
    "VENUE",
    "ClientStats",
    "QfexAuthError",
    "QfexError",
    "QfexTradeClient",
    "orders_from_response",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
