"""BitMart: WebSocket order-book depth (legacy channel, v3 spot channel, v3 incremental books)
and the v3 public market data (tickers, best bid and offer, trades, candles), and spot trading
(`trade`: `BitmartTradeClient`, REST and the private socket).

`book`, `incremental`, `market` and `protocol` are pure (frames in, books and frames out, no I/O); `client` is the
thin layer on the shared `venuewire.transport.WsStream`. The simulator is `venuewire.sim.bitmart`.
"""

from venuewire.bitmart.book import VENUE, order_book_from_legacy, order_book_from_spot, order_books_from_spot
from venuewire.bitmart.client import BitmartClient, BitmartIncrementalStream, BitmartMarketStream, BitmartStream
from venuewire.bitmart.incremental import BookState, IncrementalBooks
from venuewire.bitmart.market import (
    KLINE_STEPS,
    SpotKlineProtocol,
    SpotQuoteProtocol,
    SpotTickerProtocol,
    SpotTradeProtocol,
    candle_from_spot,
    quote_from_ticker,
    quote_with_top,
    trade_from_spot,
)
from venuewire.bitmart.protocol import (
    LegacyDepthProtocol,
    SpotDepthProtocol,
    SpotIncreaseProtocol,
    SpotState,
    V3Protocol,
)
from venuewire.bitmart.trade import (
    BitmartTradeClient,
    balances_from_bitmart,
    order_book_from_rest,
    order_from_bitmart,
)
from venuewire.events import BookGap, BookGapCause, BookResynced, ResyncTimedOut
from venuewire.exports import DecodeFailure, Gap, Order, OrderBook

__all__ = [
    "KLINE_STEPS",
    "VENUE",
    "BitmartClient",
    "BitmartIncrementalStream",
    "BitmartMarketStream",
    "BitmartStream",
    "BitmartTradeClient",
    "BookGap",
    "BookGapCause",
    "BookResynced",
    "BookState",
    "IncrementalBooks",
    "LegacyDepthProtocol",
    "ResyncTimedOut",
    "SpotDepthProtocol",
    "SpotIncreaseProtocol",
    "SpotKlineProtocol",
    "SpotQuoteProtocol",
    "SpotState",
    "SpotTickerProtocol",
    "SpotTradeProtocol",
    "V3Protocol",
    "balances_from_bitmart",
    "candle_from_spot",
    "order_book_from_legacy",
    "order_book_from_rest",
    "order_book_from_spot",
    "order_books_from_spot",
    "order_from_bitmart",
    "quote_from_ticker",
    "quote_with_top",
    "trade_from_spot",
]
__all__ += ["DecodeFailure", "Gap", "Order", "OrderBook"]  # venuewire.exports.__all__
