"""The simulator fills an order larger than the crossed level in parts: one fill per book step
of at most the best level's size, each a Trd_UpdateOrderFill push then a Trd_UpdateOrder
(Filled_Part while some is left, Filled_All at the end), read by venuewire's OpenDTrade."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from venuewire import OpenDClient
from venuewire.models import Fill, Order
from venuewire.opend import OpenDTrade
from venuewire.sim.opend import OpenDSimulator
from venuewire.sim.opend_trade import SIM_HK_ACCOUNT

pytestmark = pytest.mark.timeout(30)

LEVEL_MAX = 50 * 100  # the simulated book's largest level: 50 lots of 100 (venuewire.sim.books)
QUANTITY = 4 * LEVEL_MAX


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.05) as server:
        yield server


async def next_item(stream: Any) -> Any:
    return await asyncio.wait_for(anext(stream), 5)


async def test_an_order_larger_than_the_level_fills_in_parts(sim: OpenDSimulator) -> None:
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        trade = OpenDTrade(client)
        orders = await trade.order_updates([SIM_HK_ACCOUNT])
        fills = await trade.fill_updates([SIM_HK_ACCOUNT])
        step = sim.step
        best_ask = sim.book("HK.00700").snapshot(step)[1][0]
        order_id = await trade.place(SIM_HK_ACCOUNT, "HK.00700", "buy", QUANTITY, best_ask[0] * 2)
        assert (await next_item(orders)).status == "Submitted"
        parts: list[tuple[Fill, Order]] = []
        while not parts or parts[-1][1].status != "Filled_All":
            fill, order = await next_item(fills), await next_item(orders)
            assert isinstance(fill, Fill) and isinstance(order, Order)
            parts.append((fill, order))
            assert len(parts) <= QUANTITY // 100, "an order fills in at most one part per lot"
        assert len(parts) >= 4  # no level holds more than a quarter of it
        total = Decimal(0)
        for n, (fill, order) in enumerate(parts):
            assert fill.order_id == order.order_id == order_id
            assert 0 < fill.quantity <= LEVEL_MAX and fill.quantity % 100 == 0
            total += fill.quantity
            assert order.filled_quantity == total and order.remaining == QUANTITY - total
            assert order.status == ("Filled_All" if n == len(parts) - 1 else "Filled_Part")
        assert total == QUANTITY
        value = sum((f.quantity * f.price for f, _ in parts), Decimal(0))
        assert parts[-1][1].average_fill_price == pytest.approx(value / QUANTITY)
        assert await trade.fills(SIM_HK_ACCOUNT) == [f for f, _ in parts]
        listed = await trade.orders(SIM_HK_ACCOUNT)
        assert [(o.order_id, o.status, o.filled_quantity) for o in listed] == [(order_id, "Filled_All", QUANTITY)]
        positions = await trade.positions(SIM_HK_ACCOUNT)
        assert [(p.symbol, p.quantity) for p in positions] == [("HK.00700", QUANTITY)]


async def test_a_partly_filled_order_cancelled_is_cancelled_part(sim: OpenDSimulator) -> None:
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        trade = OpenDTrade(client)
        orders = await trade.order_updates([SIM_HK_ACCOUNT])
        fills = await trade.fill_updates([SIM_HK_ACCOUNT])
        best_ask = sim.book("HK.00700").snapshot(sim.step)[1][0]
        order_id = await trade.place(SIM_HK_ACCOUNT, "HK.00700", "buy", 100 * QUANTITY, best_ask[0] * 2)
        assert (await next_item(orders)).status == "Submitted"
        first = await next_item(fills)
        assert (await next_item(orders)).status == "Filled_Part"
        await trade.cancel(SIM_HK_ACCOUNT, order_id)
        while (order := await next_item(orders)).status == "Filled_Part":  # a part filled meanwhile
            pass
        assert order.status == "Cancelled_Part" and order.filled_quantity is not None
        assert first.quantity <= order.filled_quantity < 100 * QUANTITY
