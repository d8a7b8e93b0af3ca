"""Infoway: REST market depth, trades, candles and symbol lists, and the WebSocket depth, trade
and candle streams.

`InfowayClient` (client.py) is the entry point; `rest.py` (argument checks, request path,
reply -> typed message or error), `protocol.py` (the WebSocket protocol) and `book.py`
(depth -> `venuewire.OrderBook`) are pure. The simulator is `venuewire.sim.infoway`.
"""

from venuewire.exports import DecodeFailure, Gap, Order, OrderBook
from venuewire.infoway.book import VENUE, order_book_from_depth, order_books_from_response
from venuewire.infoway.client import (
    InfowayCandleStream,
    InfowayClient,
    InfowayDepthStream,
    InfowayMarketStream,
    InfowayTradeStream,
)
from venuewire.infoway.market import candle_from_bar, candles_from_response, trade_from_tick, trades_from_response
from venuewire.infoway.protocol import DepthProtocolStats, InfowayDepthProtocol
from venuewire.infoway.streams import InfowayCandleProtocol, InfowayTradeProtocol

__all__ = [
    "VENUE",
    "DepthProtocolStats",
    "InfowayCandleProtocol",
    "InfowayCandleStream",
    "InfowayClient",
    "InfowayDepthProtocol",
    "InfowayDepthStream",
    "InfowayMarketStream",
    "InfowayTradeProtocol",
    "InfowayTradeStream",
    "candle_from_bar",
    "candles_from_response",
    "order_book_from_depth",
    "order_books_from_response",
    "trade_from_tick",
    "trades_from_response",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
