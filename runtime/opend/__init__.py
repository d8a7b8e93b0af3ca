"""Futu / moomoo OpenD: frame codec, encryption and the asyncio client.

`frame` and `crypto` are pure protocol code (bytes in, bytes out, no I/O); `client`
is the thin asyncio layer around them; `sync` is its synchronous facade
(`venuewire.sync.OpenDClient`). The simulator is `venuewire.sim.opend` (`OpenDSimulator`).

Every venue package exports the same names: its client class(es), the normalized `Order` and
`OrderBook`, the stream events `Gap` and `DecodeFailure`, and `VENUE` (its registry key).
"""

from venuewire.events import DecodeFailure, Gap
from venuewire.models import Order, OrderBook
from venuewire.opend.book import VENUE, order_book_from_s2c
from venuewire.opend.client import ClientStats, OpenDClient, UpdateStream
from venuewire.opend.protocol import OpenDError
from venuewire.opend.streams import BookStream, PushStream

__all__ = [
    "VENUE",
    "BookStream",
    "ClientStats",
    "DecodeFailure",
    "Gap",
    "OpenDClient",
    "OpenDError",
    "Order",
    "OrderBook",
    "PushStream",
    "UpdateStream",
    "order_book_from_s2c",
]
