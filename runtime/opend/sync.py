"""`venuewire.sync.OpenDClient`: the OpenD client without async (see venuewire.sync).

Its `request` and `pushes` are typed per declared message by the generated
OpenDSyncTypedAPI, exactly like the async client's: mypy infers the Response of each
Request and the S2C of each push stream. It lives here, not in venuewire.sync, because it
needs the protobuf classes: `venuewire.sync` loads it on first use, so the JSON venues'
facades never import protobuf.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from google.protobuf.message import Message

from venuewire.generated.futu import GetGlobalState_pb2, Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.dispatch import OpenDSyncTypedAPI
from venuewire.generated.futu.enums import KLType, OrderType, RehabType, SubType, TrdMarket, TrdSide
from venuewire.sync import Stream, _Connecting, _like_opend

if TYPE_CHECKING:
    from venuewire.credentials import Secret
    from venuewire.events import StreamEvent
    from venuewire.generated.futu import Trd_Common_pb2
    from venuewire.models import Balance, Candle, Fill, Order, OrderBook, Position, Quote, Trade
    from venuewire.opend.client import OpenDClient as AsyncOpenDClient  # noqa: F401 (a string base below)
    from venuewire.opend.trade import OpenDTrade as AsyncOpenDTrade
    from venuewire.opend.trade import TradeAccount, TradeEnv

__all__ = ["OpenDClient", "OpenDTrade"]


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


class OpenDTrade:
    """`venuewire.opend.OpenDTrade` without async, on a `venuewire.sync.OpenDClient` (its loop
    and connection): the same environment rule ("simulate" unless "real" is named), methods,
    results and errors; `order_updates` / `fill_updates` are iterators of `Order` / `Fill`
    (and `Gap` / `DecodeFailure`), closed with the client or by `close()`.

        with sync.OpenDClient(port=11111) as futu:
            trade = sync.OpenDTrade(futu)
            account = trade.accounts()[0]
            order_id = trade.place(account, "HK.00700", "buy", 100, Decimal("400"))
            for order in trade.order_updates([account]): ...
    """

    def __init__(self, client: OpenDClient, env: TradeEnv = "simulate", *, market: TrdMarket | None = None) -> None:
        from venuewire.opend.trade import OpenDTrade as Async

        self.client = client
        self.async_trade: AsyncOpenDTrade = Async(client.async_client, env, market=market)

    def __repr__(self) -> str:
        return f"sync.{self.async_trade!r}"

    @property
    def env(self) -> TradeEnv:
        return self.async_trade.env

    def accounts(self, *, category: int | None = None) -> list[TradeAccount]:
        """The accounts of this environment (Trd_GetAccList)."""
        return self.client._call(lambda: self.async_trade.accounts(category=category))

    def unlock(self, password: str | Secret) -> None:
        """Unlock trading (Trd_UnlockTrade, the password sent as its MD5, never kept in plain text)."""
        self.client._call(self.async_trade.unlock, password)

    def lock(self) -> None:
        self.client._call(self.async_trade.lock)

    def funds(self, account: TradeAccount | int) -> Trd_Common_pb2.Funds:
        return self.client._call(self.async_trade.funds, account)

    def balance(self, account: TradeAccount | int) -> Balance:
        return self.client._call(self.async_trade.balance, account)

    def positions(self, account: TradeAccount | int) -> list[Position]:
        return self.client._call(self.async_trade.positions, account)

    def orders(self, account: TradeAccount | int) -> list[Order]:
        return self.client._call(self.async_trade.orders, account)

    def fills(self, account: TradeAccount | int) -> list[Fill]:
        return self.client._call(self.async_trade.fills, account)

    def place(
        self,
        account: TradeAccount | int,
        symbol: str,
        side: Literal["buy", "sell"] | TrdSide,
        quantity: Decimal | int | str,
        price: Decimal | int | str | None = None,
        *,
        order_type: OrderType = OrderType.Normal,
        remark: str | None = None,
    ) -> str:
        """Place an order (Trd_PlaceOrder); returns OpenD's order id."""
        trade = self.async_trade
        return self.client._call(
            lambda: trade.place(account, symbol, side, quantity, price, order_type=order_type, remark=remark)
        )

    def modify(
        self,
        account: TradeAccount | int,
        order_id: str,
        *,
        quantity: Decimal | int | str | None = None,
        price: Decimal | int | str | None = None,
    ) -> str:
        return self.client._call(lambda: self.async_trade.modify(account, order_id, quantity=quantity, price=price))

    def cancel(self, account: TradeAccount | int, order_id: str) -> str:
        return self.client._call(self.async_trade.cancel, account, order_id)

    def order_updates(self, accounts: Iterable[TradeAccount | int] | None = None) -> Stream[Order | StreamEvent]:
        """Trd_UpdateOrder pushes as `Order`s, subscribed (Trd_SubAccPush) before it returns."""
        wanted = list(accounts) if accounts is not None else None
        return self._subscribed(lambda: self.async_trade.order_updates(wanted))

    def fill_updates(self, accounts: Iterable[TradeAccount | int] | None = None) -> Stream[Fill | StreamEvent]:
        """Trd_UpdateOrderFill pushes as `Fill`s, subscribed before it returns."""
        wanted = list(accounts) if accounts is not None else None
        return self._subscribed(lambda: self.async_trade.fill_updates(wanted))

    def _subscribed(self, open_stream: Any) -> Stream[Any]:
        stream: Stream[Any] = Stream(self.client._loop, self.client._call(open_stream))
        self.client._streams.append(stream)
        return stream
