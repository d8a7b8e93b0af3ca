"""The synchronous facades of the streams and trading requests added with issue 14: Infoway's
trade and candle streams (and REST trades/candles), QFEX's order life cycle and private
channels, and BitMart's incremental book; each against its embedded simulator."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from venuewire import Timeout, sync
from venuewire.credentials import InfowayCredentials, QfexCredentials
from venuewire.events import BookGap, BookGapCause, BookResynced
from venuewire.models import Balance, Candle, Fill, Order, OrderBook, Position, Trade
from venuewire.sim import bitmart as bitmart_sim
from venuewire.sim import infoway as infoway_sim
from venuewire.sim import qfex as qfex_sim
from venuewire.sim.server import Fault

pytestmark = pytest.mark.timeout(30)
T = TypeVar("T")
LIMIT = 500
"""Items read at most while looking for one (every loop is bounded)."""


def first(stream: Iterator[Any], kind: type[T]) -> T:
    for _, item in zip(range(LIMIT), stream, strict=False):
        if isinstance(item, kind):
            return item
    raise AssertionError(f"no {kind.__name__} in {LIMIT} items")


def qfex_creds() -> QfexCredentials:
    return QfexCredentials(qfex_sim.DEFAULT_API_KEY, qfex_sim.DEFAULT_SECRET)


def test_infoway_trades_and_candles_rest_and_streams_without_async() -> None:
    before = set(threading.enumerate())
    key = InfowayCredentials(infoway_sim.DEFAULT_API_KEY)
    with sync.serve(infoway_sim.InfowaySimulator()) as sim, sync.InfowayClient(key, sim.url, sim.ws_url) as infoway:
        latest = infoway.trades("crypto", ["BTCUSDT", "ETHUSDT"])
        assert {t.symbol for t in latest} == {"BTCUSDT", "ETHUSDT"} and all(isinstance(t, Trade) for t in latest)
        bars = infoway.candles("stock", ["AAPL.US"], kline_type=2, count=3)
        assert bars and {(c.symbol, c.interval) for c in bars} == {("AAPL.US", "5Min")}
        with infoway.trade_stream("crypto", ["BTCUSDT"]) as trades:
            trade = first(trades, Trade)
        assert trade.symbol == "BTCUSDT" and trade.price > 0
        with infoway.candle_stream("stock", ["AAPL.US"], kline_type=2) as candles:
            candle = first(candles, Candle)
        assert candle.symbol == "AAPL.US" and candle.interval == "5Min"
        assert list(candles) == []  # closed: ends
        with pytest.raises(TypeError, match="unknown stream setting"):
            infoway.trade_stream("crypto", ["BTCUSDT"], colour=1)
    assert set(threading.enumerate()) <= before


def test_qfex_order_life_cycle_and_its_pushes_without_async() -> None:
    with sync.serve(qfex_sim.QfexSimulator()) as sim, sync.QfexTradeClient(qfex_creds(), url=sim.url) as qfex:
        updates = qfex.order_updates()
        updates.ready()
        ack = qfex.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", Decimal("2.125"), Decimal("150.05"))
        order = ack.order_response
        assert order.status == "ACK" and order.quantity == Decimal("2.125")
        assert order.order_id in [o.order_id for o in qfex.get_user_orders(symbol="AAPL-USD").orders]
        modified = qfex.modify_order("AAPL-USD", order.order_id, Decimal("151.5"), 3, "BUY", "LIMIT")
        assert modified.order_response.status == "MODIFIED"
        cancelled = qfex.cancel_order("AAPL-USD", "order_id", order_id=order.order_id)
        assert cancelled.order_response.status == "CANCELLED"
        seen = [first(updates, Order) for _ in range(3)]
        assert [(o.status, o.order_id) for o in seen] == [(s, order.order_id) for s in ("ACK", "MODIFIED", "CANCELLED")]
        with pytest.raises(TypeError, match="side"):
            qfex.add_order("AAPL-USD", "LONG", "LIMIT", "GTC", 1, 100)
        assert qfex.cancel_all_orders().order_response.status == "CANCELLED"
        assert qfex.cancel_on_disconnect(True).cancel_on_disconnect is True


def test_qfex_fills_positions_and_balances_follow_a_crossing_order_without_async() -> None:
    with sync.serve(qfex_sim.QfexSimulator()) as sim, sync.QfexTradeClient(qfex_creds(), url=sim.url) as qfex:
        fills, positions, balances = qfex.fills(), qfex.positions(), qfex.balances()
        for stream in (fills, positions, balances):
            stream.ready()
        assert first(balances, Balance).cash == Decimal("100000.0")
        placed = qfex.add_order_normalized("AAPL-USD", "BUY", "LIMIT", "GTC", 2, Decimal("187.6"))
        assert isinstance(placed, Order) and placed.status == "ACK"
        fill = first(fills, Fill)
        assert (fill.order_id, fill.price, fill.quantity) == (placed.order_id, Decimal("187.5"), 2)
        assert first(positions, Position).quantity == 2
        assert qfex.close_position("AAPL-USD").order_response.side == "SELL"
        assert [t.price for t in qfex.get_user_trades_normalized()] == [Decimal("187.0"), Decimal("187.5")]
        assert qfex.get_user_trades().user_trades[0].price == Decimal("187.0")


def test_a_feed_that_cannot_subscribe_times_out_typed() -> None:
    simulator = qfex_sim.QfexSimulator(slow_reply_s=5)
    with sync.serve(simulator) as sim, sync.QfexTradeClient(qfex_creds(), url=sim.url, timeout=10) as qfex:
        sim.faults.add(Fault.SLOW_REPLY)  # the subscription's answer comes after the wait
        with pytest.raises(Timeout, match="subscription"):
            qfex.fills().ready(timeout=0.3)


def test_bitmart_incremental_book_survives_a_gap_without_async() -> None:
    simulator = bitmart_sim.BitmartSimulator(port=0, push_interval=0.05)
    with (
        sync.serve(simulator) as sim,
        sync.BitmartClient(sim.legacy_url, sim.url) as bitmart,
        bitmart.incremental_depth_stream("BTC_USDT") as stream,
    ):
        book = first(stream, OrderBook)
        assert stream.is_valid("BTC_USDT") and len(book.bids) > 0
        sim.script_increase(bitmart_sim.IncreaseFault.GAP)
        gap = first(stream, BookGap)
        assert gap.symbol == "BTC_USDT" and gap.cause is BookGapCause.GAP
        resynced = first(stream, BookResynced)
        assert resynced.symbol == "BTC_USDT"
        first(stream, OrderBook)
        assert stream.is_valid("BTC_USDT")
        with pytest.raises(KeyError):
            stream.is_valid("ETH_USDT")
