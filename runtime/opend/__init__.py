"""Futu / moomoo OpenD: frame codec, encryption and the asyncio client.

`frame` and `crypto` are pure protocol code (bytes in, bytes out, no I/O); `client`
is the thin asyncio layer around them; `sync` is its synchronous facade
(`venuewire.sync.OpenDClient`); `trade` is trading on a client (`OpenDTrade`: accounts,
unlock, funds, positions, orders, fills and their pushes, simulated environment by default).
The simulator is `venuewire.sim.opend` (`OpenDSimulator`). This package also exports the quote
models `Quote`, `Trade`, `Candle` with their normalizers and the trading models.
"""

from venuewire.exports import DecodeFailure, Gap, Order, OrderBook
from venuewire.models import Balance, Candle, Fill, Position, Quote, Trade
from venuewire.opend.book import VENUE, order_book_from_s2c
from venuewire.opend.client import CandleStream, ClientStats, OpenDClient, QuoteStream, TradeStream, UpdateStream
from venuewire.opend.protocol import OpenDError
from venuewire.opend.quotes import candles_from_s2c, quotes_from_s2c, trades_from_s2c
from venuewire.opend.streams import BookStream, NormalizedStream, PushStream
from venuewire.opend.trade import FillStream, OpenDTrade, OrderStream, TradeAccount, TradeEnv

__all__ = [
    "VENUE",
    "Balance",
    "BookStream",
    "Candle",
    "CandleStream",
    "ClientStats",
    "Fill",
    "FillStream",
    "NormalizedStream",
    "OpenDClient",
    "OpenDError",
    "OpenDTrade",
    "OrderStream",
    "Position",
    "PushStream",
    "Quote",
    "QuoteStream",
    "Trade",
    "TradeAccount",
    "TradeEnv",
    "TradeStream",
    "UpdateStream",
    "candles_from_s2c",
    "order_book_from_s2c",
    "quotes_from_s2c",
    "trades_from_s2c",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
