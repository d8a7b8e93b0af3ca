"""Futu / moomoo OpenD: frame codec, encryption and the asyncio client.

`frame` and `crypto` are pure protocol code (bytes in, bytes out, no I/O); `client`
is the thin asyncio layer around them; `sync` is its synchronous facade
(`venuewire.sync.OpenDClient`); `trade` is trading on a client (`OpenDTrade`: accounts,
unlock, funds, positions, orders, fills and their pushes, simulated environment by default).
The simulator is `venuewire.sim.opend` (`OpenDSimulator`).

Every venue package exports the same names: its client class(es), the normalized `Order` and
`OrderBook`, the stream events `Gap` and `DecodeFailure`, and `VENUE` (its registry key).
"""

from venuewire.events import DecodeFailure, Gap
from venuewire.models import Balance, Fill, Order, OrderBook, Position
from venuewire.opend.book import VENUE, order_book_from_s2c
from venuewire.opend.client import ClientStats, OpenDClient, UpdateStream
from venuewire.opend.protocol import OpenDError
from venuewire.opend.streams import BookStream, PushStream
from venuewire.opend.trade import FillStream, OpenDTrade, OrderStream, TradeAccount, TradeEnv

__all__ = [
    "VENUE",
    "Balance",
    "BookStream",
    "ClientStats",
    "DecodeFailure",
    "Fill",
    "FillStream",
    "Gap",
    "OpenDClient",
    "OpenDError",
    "OpenDTrade",
    "Order",
    "OrderBook",
    "OrderStream",
    "Position",
    "PushStream",
    "TradeAccount",
    "TradeEnv",
    "UpdateStream",
    "order_book_from_s2c",
]
