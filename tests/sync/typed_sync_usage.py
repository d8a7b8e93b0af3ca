"""Typed use of the synchronous facades (`venuewire.sync.OpenDClient.request` / `pushes`, the
Infoway market streams, QFEX trading, the BitMart incremental book): mypy --strict
must accept this module (tests/sync/test_sync_typing.py checks it), and the test runs it
against the simulator, so every `assert_type` below is also true at run time."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_type

from venuewire import sync
from venuewire.events import BookGap, BookResynced, DecodeFailure, Fresh, Gap, ResyncTimedOut, Stale
from venuewire.generated.futu import (
    GetGlobalState_pb2,
    KeepAlive_pb2,
    Qot_Common_pb2,
    Qot_GetOrderBook_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
)
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse
from venuewire.generated.qfex.cancel_on_disconnect_response import CancelOnDisconnectResponse
from venuewire.generated.qfex.order_response import OrderResponseMessage
from venuewire.generated.qfex.user_trades_response import UserTradesMessage
from venuewire.models import Balance, Candle, Fill, Order, OrderBook, Position, Trade


def typed_calls(client: sync.OpenDClient) -> Qot_UpdateOrderBook_pb2.S2C:
    """Each result has the Response class of its own file, inferred by mypy, without async."""
    keep = client.request(KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    assert_type(keep, KeepAlive_pb2.Response)
    assert isinstance(keep, KeepAlive_pb2.Response)
    state = client.request(GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0)), timeout=5)
    assert_type(state, GetGlobalState_pb2.Response)
    assert isinstance(state, GetGlobalState_pb2.Response)
    security = Qot_Common_pb2.Security(market=1, code="00700")
    sub = Qot_Sub_pb2.C2S(securityList=[security], subTypeList=[2], isSubOrUnSub=True, isRegOrUnRegPush=True)
    assert_type(client.request(Qot_Sub_pb2.Request(c2s=sub)), Qot_Sub_pb2.Response)
    book = client.request(Qot_GetOrderBook_pb2.Request(c2s=Qot_GetOrderBook_pb2.C2S(security=security, num=3)))
    assert_type(book, Qot_GetOrderBook_pb2.Response)
    assert len(book.s2c.orderBookAskList) == 3
    with client.pushes(Qot_UpdateOrderBook_pb2.Response) as stream:
        for item in stream:
            assert_type(item, Qot_UpdateOrderBook_pb2.S2C | Gap | DecodeFailure | Stale | Fresh)
            if isinstance(item, Qot_UpdateOrderBook_pb2.S2C):
                return item
    raise AssertionError("the push stream ended")


def typed_infoway(client: sync.InfowayClient) -> Trade:
    """Infoway's trades and candles without async: REST lists and streams, typed."""
    assert_type(client.trades("crypto", ["BTCUSDT"]), list[Trade])
    assert_type(client.candles("crypto", ["BTCUSDT"], kline_type=1, count=1), list[Candle])
    with client.candle_stream("crypto", ["BTCUSDT"], 1) as candles:
        assert_type(next(candles), Candle | Gap | DecodeFailure | Stale | Fresh)
    with client.trade_stream("crypto", ["BTCUSDT"]) as trades:
        for item in trades:
            assert_type(item, Trade | Gap | DecodeFailure | Stale | Fresh)
            if isinstance(item, Trade):
                return item
    raise AssertionError("the trade stream ended")


def typed_qfex(client: sync.QfexTradeClient) -> Order:
    """QFEX's trading requests keep the async client's parameters and awaited results."""
    updates = client.order_updates()
    assert_type(updates, sync.Feed[Order | Gap | DecodeFailure])
    updates.ready(timeout=5)
    ack = client.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", Decimal(1), Decimal("150"))
    assert_type(ack, OrderResponseMessage)
    modified = client.modify_order("AAPL-USD", ack.order_response.order_id, Decimal("151"), 1, "BUY", "LIMIT")
    assert_type(modified, OrderResponseMessage)
    assert_type(client.cancel_order("AAPL-USD", "order_id", order_id=ack.order_response.order_id), OrderResponseMessage)
    assert_type(client.get_user_orders(symbol="AAPL-USD"), AllOrdersResponse)
    assert_type(client.get_user_trades(limit=5), UserTradesMessage)
    assert_type(client.cancel_on_disconnect(False), CancelOnDisconnectResponse)
    assert_type(client.fills(), sync.Feed[Fill | Gap | DecodeFailure])
    assert_type(client.positions(), sync.Feed[Position | Gap | DecodeFailure])
    assert_type(client.balances(), sync.Feed[Balance | Gap | DecodeFailure])
    for item in updates:
        if isinstance(item, Order):
            return item
    raise AssertionError("the order stream ended")


def typed_bitmart(client: sync.BitmartClient) -> bool:
    """The incremental book's items and `is_valid`, typed."""
    with client.incremental_depth_stream(["BTC_USDT"], max_buffer=100) as stream:
        for item in stream:
            assert_type(item, OrderBook | BookGap | BookResynced | ResyncTimedOut | Gap | DecodeFailure | Stale | Fresh)
            if isinstance(item, OrderBook):
                return assert_type(stream.is_valid(item.symbol), bool)
    raise AssertionError("the incremental stream ended")
