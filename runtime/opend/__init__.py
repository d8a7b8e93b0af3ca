"""Futu / moomoo OpenD: frame codec, encryption and the asyncio client.

`frame` and `crypto` are pure protocol code (bytes in, bytes out, no I/O); `client`
is the thin asyncio layer around them; `sync` is its synchronous facade
(`venuewire.sync.OpenDClient`). The simulator is `venuewire.sim.opend` (`OpenDSimulator`).
"""

from venuewire.exports import DecodeFailure, Gap, Order, OrderBook
from venuewire.opend.book import VENUE, order_book_from_s2c
from venuewire.opend.client import ClientStats, OpenDClient, UpdateStream
from venuewire.opend.protocol import OpenDError
from venuewire.opend.streams import BookStream, PushStream

__all__ = [
    "VENUE",
    "BookStream",
    "ClientStats",
    "OpenDClient",
    "OpenDError",
    "PushStream",
    "UpdateStream",
    "order_book_from_s2c",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
