"""QFEX: the trading WebSocket with HMAC auth: orders, fills, positions, balances.

`QfexTradeClient` (client.py) is the entry point; `protocol.py` (frames, pairing, the session
state machine), `errors.py` (`QfexError`) and `orders.py` (-> `venuewire.models.Order`) are
pure. The simulator is `venuewire.sim.qfex` (`QfexSimulator`).
"""

from venuewire.exports import DecodeFailure, Gap, Order, OrderBook
from venuewire.qfex.account import balance_from_qfex, fill_from_qfex, position_from_qfex
from venuewire.qfex.budget import WeightedBudget
from venuewire.qfex.client import ClientStats, QfexTradeClient
from venuewire.qfex.errors import VENUE, QfexAuthError, QfexError
from venuewire.qfex.feeds import Feed
from venuewire.qfex.orders import orders_from_response

__all__ = [
    "VENUE",
    "ClientStats",
    "Feed",
    "QfexAuthError",
    "QfexError",
    "QfexTradeClient",
    "WeightedBudget",
    "balance_from_qfex",
    "fill_from_qfex",
    "orders_from_response",
    "position_from_qfex",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
