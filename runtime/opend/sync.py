"""`venuewire.sync.OpenDClient`: the OpenD client without async (see venuewire.sync).

Its `request` and `pushes` are typed per declared message by the generated
OpenDSyncTypedAPI, exactly like the async client's: mypy infers the Response of each
Request and the S2C of each push stream. It lives here, not in venuewire.sync, because it
needs the protobuf classes: `venuewire.sync` loads it on first use, so the JSON venues'
facades never import protobuf.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from google.protobuf.message import Message

from venuewire.generated.futu import GetGlobalState_pb2, Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.dispatch import OpenDSyncTypedAPI
from venuewire.generated.futu.enums import KLType, RehabType, SubType
from venuewire.sync import Stream, _Connecting, _like_opend

if TYPE_CHECKING:
    from venuewire.events import StreamEvent
    from venuewire.models import Candle, OrderBook, Quote, Trade
    from venuewire.opend.client import OpenDClient as AsyncOpenDClient  # noqa: F401 (a string base below)

__all__ = ["OpenDClient"]


class OpenDClient(OpenDSyncTypedAPI, _Connecting["AsyncOpenDClient"]):
    """`venuewire.OpenDClient` without async: the same parameters, methods, results and errors.
    `with` connects (InitConnect); `request(message)` returns the message's typed Response,
    `pushes(Response class)`, `depth_stream` and the update streams are iterators."""

    @_like_opend
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from venuewire.opend.client import OpenDClient as Async

        self._start(lambda: Async(*args, **kwargs))

    def _request(self, message: object, within: float | None) -> Message:
        return self._call(self.async_client._request, message, within)

    def _pushes(self, response: object) -> Stream[Any]:
        return self._stream(lambda: self.async_client._pushes(response))

    def get_global_state(self) -> GetGlobalState_pb2.S2C:
        return self._call(self.async_client.get_global_state)

    def subscribe(
        self, symbols: Iterable[str], sub_types: Iterable[SubType | int] = (SubType.OrderBook,), push: bool = True
    ) -> None:
        """Subscribe securities ("HK.00700") to quote types; with `push`, OpenD pushes updates."""
        self._call(self.async_client.subscribe, list(symbols), list(sub_types), push)

    def unsubscribe(self, symbols: Iterable[str], sub_types: Iterable[SubType | int] = (SubType.OrderBook,)) -> None:
        self._call(self.async_client.unsubscribe, list(symbols), list(sub_types))

    def get_order_book(self, symbol: str, num: int = 10) -> Qot_GetOrderBook_pb2.S2C:
        return self._call(self.async_client.get_order_book, symbol, num)

    def depth_stream(self, symbols: str | Sequence[str]) -> Stream[OrderBook | StreamEvent]:
        """Normalized books of `symbols` from Qot_UpdateOrderBook pushes (subscribes on the first `next`)."""
        names = symbols if isinstance(symbols, str) else list(symbols)
        return self._stream(lambda: self.async_client.depth_stream(names))

    def order_book_updates(self, symbol: str) -> Stream[Qot_UpdateOrderBook_pb2.S2C | StreamEvent]:
        """Qot_UpdateOrderBook pushes for `symbol` (subscribe with push=True first)."""
        return self._stream(lambda: self.async_client.order_book_updates(symbol))

    def get_quotes(self, symbols: str | Sequence[str]) -> list[Quote]:
        """Normalized quotes (Qot_GetBasicQot); subscribe to SubType.Basic first."""
        names = symbols if isinstance(symbols, str) else list(symbols)
        return self._call(self.async_client.get_quotes, names)

    def get_trades(self, symbol: str, num: int = 100) -> list[Trade]:
        """The latest trades, oldest first (Qot_GetTicker); subscribe to SubType.Ticker first."""
        return self._call(self.async_client.get_trades, symbol, num)

    def get_candles(
        self,
        symbol: str,
        kl_type: KLType | int = KLType.Day,
        *,
        num: int = 100,
        rehab_type: RehabType | int = RehabType.Forward,
    ) -> list[Candle]:
        """The latest candles of `kl_type` (Qot_GetKL); subscribe to its candle sub type first."""
        return self._call(lambda: self.async_client.get_candles(symbol, kl_type, num=num, rehab_type=rehab_type))

    def history_candles(
        self,
        symbol: str,
        begin: str,
        end: str,
        *,
        kl_type: KLType | int = KLType.Day,
        max_count: int = 1000,
        rehab_type: RehabType | int = RehabType.Forward,
    ) -> list[Candle]:
        """Candles from `begin` to `end` (Qot_RequestHistoryKL, one page)."""
        client = self.async_client
        return self._call(
            lambda: client.history_candles(
                symbol, begin, end, kl_type=kl_type, max_count=max_count, rehab_type=rehab_type
            )
        )

    def quote_stream(self, symbols: str | Sequence[str]) -> Stream[Quote | StreamEvent]:
        """Normalized quotes from Qot_UpdateBasicQot pushes (subscribes on the first `next`)."""
        names = symbols if isinstance(symbols, str) else list(symbols)
        return self._stream(lambda: self.async_client.quote_stream(names))

    def trade_stream(self, symbols: str | Sequence[str]) -> Stream[Trade | StreamEvent]:
        """Normalized trades from Qot_UpdateTicker pushes (subscribes on the first `next`)."""
        names = symbols if isinstance(symbols, str) else list(symbols)
        return self._stream(lambda: self.async_client.trade_stream(names))

    def candle_stream(
        self, symbols: str | Sequence[str], kl_type: KLType | int = KLType.KLType_1Min
    ) -> Stream[Candle | StreamEvent]:
        """Normalized candles of `kl_type` from Qot_UpdateKL pushes (subscribes on the first `next`)."""
        names = symbols if isinstance(symbols, str) else list(symbols)
        return self._stream(lambda: self.async_client.candle_stream(names, kl_type))
