"""`venuewire.sync.OpenDTrade`: OpenDTrade without async on a `venuewire.sync.OpenDClient`,
against the simulator: accounts, unlock, place / modify / cancel, orders, fills, positions,
funds, and the order and fill pushes as blocking iterators; the same values and errors as
the async trader's."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest

from venuewire import sync
from venuewire.errors import InvalidRequest
from venuewire.models import Balance, Fill, Order
from venuewire.opend import OpenDError
from venuewire.sim.opend import OpenDSimulator
from venuewire.sim.opend_trade import REAL_ACCOUNT, SIM_HK_ACCOUNT

pytestmark = pytest.mark.timeout(30)

PASSWORD = "sync-trade-pw"


@pytest.fixture
def sim() -> Iterator[OpenDSimulator]:
    with sync.serve(OpenDSimulator(port=0, push_interval=0.05, trade_password=PASSWORD)) as running:
        yield running


def test_the_sync_trader_places_modifies_cancels_and_fills(sim: OpenDSimulator) -> None:
    with sync.OpenDClient("127.0.0.1", sim.port, timeout=5) as futu:
        trade = sync.OpenDTrade(futu)
        assert trade.env == "simulate" and "simulate" in repr(trade)
        accounts = trade.accounts()
        assert [a.acc_id for a in accounts] == [SIM_HK_ACCOUNT, *[a.acc_id for a in accounts[1:]]]
        account = accounts[0]
        orders = trade.order_updates([account])
        fills = trade.fill_updates([account])
        mid = sim.book("HK.00700").mid_at(sim.step)
        low = (mid / 2).quantize(Decimal(1))
        order_id = trade.place(account, "HK.00700", "buy", 100, low, remark="sync-1")
        pushed = next(orders)
        assert isinstance(pushed, Order) and (pushed.order_id, pushed.status, pushed.price) == (
            order_id,
            "Submitted",
            low,
        )
        assert [(o.order_id, o.client_order_id) for o in trade.orders(account)] == [(order_id, "sync-1")]
        trade.modify(account, order_id, quantity=200)
        assert next(orders).quantity == 200
        trade.cancel(account, order_id)
        assert next(orders).status == "Cancelled_All"
        with pytest.raises(OpenDError, match="finished"):  # the async trader's error, in this thread
            trade.cancel(account, order_id)

        crossing = trade.place(account, "HK.00700", "buy", 100, mid * 2)
        assert next(orders).status == "Submitted"
        fill = next(fills)
        assert isinstance(fill, Fill) and (fill.order_id, fill.quantity) == (crossing, 100)
        assert next(orders).status == "Filled_All"
        assert trade.fills(account) == [fill]
        assert [(p.symbol, p.quantity) for p in trade.positions(account)] == [("HK.00700", 100)]
        balance = trade.balance(account)
        assert isinstance(balance, Balance) and balance.cash == Decimal(1_000_000) - 100 * fill.price
        assert trade.funds(account).cash == float(balance.cash)
    assert threading.active_count() < 50


def test_the_sync_trader_keeps_the_environment_rule_and_unlocks(sim: OpenDSimulator) -> None:
    with sync.OpenDClient("127.0.0.1", sim.port, timeout=5) as futu:
        paper = sync.OpenDTrade(futu)
        with pytest.raises(InvalidRequest):
            paper.orders(REAL_ACCOUNT)  # a real account from a simulate trader: refused before sending
        with pytest.raises(ValueError, match="by name"):
            sync.OpenDTrade(futu, "REAL")  # type: ignore[arg-type]
        live = sync.OpenDTrade(futu, "real")
        with pytest.raises(OpenDError, match="locked"):
            live.place(REAL_ACCOUNT, "HK.00700", "buy", 100, 1)
        with pytest.raises(OpenDError) as refused:
            live.unlock("not-it-x7q")
        assert "not-it-x7q" not in str(refused.value) and "password" in str(refused.value)
        live.unlock(PASSWORD)
        assert sim.trade.unlocked
        order_id = live.place(REAL_ACCOUNT, "HK.00700", "buy", 100, 1)
        assert [o.order_id for o in live.orders(REAL_ACCOUNT)] == [order_id]
        live.lock()
        assert not sim.trade.unlocked


def test_closing_the_client_ends_the_trade_streams(sim: OpenDSimulator) -> None:
    futu = sync.OpenDClient("127.0.0.1", sim.port, timeout=5)
    futu.connect()
    stream = sync.OpenDTrade(futu).order_updates()
    futu.close()
    assert list(stream) == []
