"""QfexTradeClient trading against the stateful simulator: an order's life cycle, fills,
positions and balances as typed streams (exact Decimals), close_position, cancel_on_disconnect,
the weighted budget on both sides, resubscribing after a drop, and a malformed push."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from venuewire.credentials import QfexCredentials
from venuewire.errors import RateLimited
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.registry import WS_QFEX_TRADE
from venuewire.models import Balance, Fill, Order, Position
from venuewire.qfex.budget import WeightedBudget
from venuewire.qfex.client import QfexTradeClient
from venuewire.qfex.errors import QfexRateLimited
from venuewire.sim.qfex import DEFAULT_API_KEY, DEFAULT_SECRET, DEMO_ORDER_ID, DEMO_SYMBOL, QfexSimulator

pytestmark = pytest.mark.timeout(30)
T = TypeVar("T")
WAIT = 5.0


def creds(key: str = DEFAULT_API_KEY) -> QfexCredentials:
    return QfexCredentials(key, DEFAULT_SECRET)


@pytest.fixture
async def sim() -> AsyncIterator[QfexSimulator]:
    async with QfexSimulator() as simulator:
        yield simulator


async def next_of(stream: AsyncIterator[Any], kind: type[T]) -> T:
    """The next item of `kind`, skipping others (bounded)."""
    async with asyncio.timeout(WAIT):
        async for item in stream:
            if isinstance(item, kind):
                return item
    raise AssertionError("stream ended")


async def test_an_order_lives_rests_is_modified_and_cancelled(sim):
    async with QfexTradeClient(creds(), sim.url, timeout=WAIT) as qfex:
        updates = qfex.order_updates()
        await updates.ready()
        ack = await qfex.add_order(
            "AAPL-USD", "BUY", "LIMIT", "GTC", Decimal("2.125"), Decimal("150.05"), client_order_id="life-1"
        )
        order = ack.order_response
        assert order.status == "ACK" and order.client_order_id == "life-1"
        assert order.quantity == Decimal("2.125") and order.price == Decimal("150.05")  # exact, not via float
        listed = await qfex.get_user_orders(symbol="AAPL-USD")
        assert order.order_id in [o.order_id for o in listed.orders]
        modified = await qfex.modify_order("AAPL-USD", order.order_id, Decimal("151.5"), 3, "BUY", "LIMIT")
        assert modified.order_response.status == "MODIFIED" and modified.order_response.price == Decimal("151.5")
        cancelled = await qfex.cancel_order("AAPL-USD", "order_id", order_id=order.order_id.upper())
        assert cancelled.order_response.status == "CANCELLED"
        seen = [await next_of(updates, Order) for _ in range(3)]
        assert [(o.status, o.order_id) for o in seen] == [(s, order.order_id) for s in ("ACK", "MODIFIED", "CANCELLED")]
        assert seen[1].price == Decimal("151.5") and seen[1].quantity == 3
        again = await qfex.cancel_order("AAPL-USD", "order_id", order_id=order.order_id)
        assert again.order_response.status == "NO_SUCH_ORDER"
        listed = await qfex.get_user_orders(symbol="AAPL-USD")
        assert order.order_id not in [o.order_id for o in listed.orders]


async def test_a_crossing_order_fills_and_positions_and_balances_follow(sim):
    async with QfexTradeClient(creds(), sim.url, timeout=WAIT) as qfex:
        fills, positions, balances = qfex.fills(), qfex.positions(), qfex.balances()
        for stream in (fills, positions, balances):
            await stream.ready()
        opening = await next_of(balances, Balance)
        assert opening.cash == Decimal("100000.0") and opening.buying_power == Decimal("100000.0")
        placed = await qfex.add_order_normalized("AAPL-USD", "BUY", "LIMIT", "GTC", 2, Decimal("187.6"))
        assert placed.status == "ACK" and placed.side == "buy"
        fill = await next_of(fills, Fill)
        assert (fill.order_id, fill.side, fill.price, fill.quantity) == (placed.order_id, "buy", Decimal("187.5"), 2)
        position = await next_of(positions, Position)
        assert (position.side, position.quantity, position.cost_price) == ("long", 2, Decimal("187.5"))
        balance = await next_of(balances, Balance)
        assert balance.market_value == Decimal("18.75") and balance.buying_power == Decimal("99981.25")
        closing = await qfex.close_position("AAPL-USD")
        assert closing.order_response.side == "SELL" and closing.order_response.time_in_force == "IOC"
        flat = await next_of(positions, Position)
        assert flat.quantity == 0 and flat.realized_pnl == Decimal("-1.0")  # bought 187.5, sold 187.0, x2
        trades = await qfex.get_user_trades_normalized()
        assert [t.price for t in trades] == [Decimal("187.0"), Decimal("187.5")]  # newest first
        refused = await qfex.close_position("AAPL-USD")
        assert refused.order_response.status == "REJECTED"  # nothing left to close


async def test_the_documented_refusals_come_back_as_order_statuses(sim):
    async with QfexTradeClient(creds(), sim.url, timeout=WAIT) as qfex:
        bad = await qfex.add_order("NOPE-USD", "BUY", "LIMIT", "GTC", 1, 10)
        assert bad.order_response.status == "BAD_SYMBOL"
        big = await qfex.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", 1_000_000, 180)
        assert big.order_response.status == "FAILED_MARGIN_CHECK"
        alo = await qfex.add_order("AAPL-USD", "BUY", "ALO", "GTC", 1, 188)
        assert alo.order_response.status == "REJECTED"
        ioc = await qfex.add_order("AAPL-USD", "BUY", "LIMIT", "IOC", 1, 100)
        assert ioc.order_response.status == "CANCELLED"
        with pytest.raises(TypeError, match="side"):
            await qfex.add_order("AAPL-USD", "LONG", "LIMIT", "GTC", 1, 100)
        everything = await qfex.cancel_all_orders()
        assert everything.order_response.status == "CANCELLED"


async def test_cancel_on_disconnect_cancels_the_accounts_orders_when_the_connection_drops(sim):
    async with QfexTradeClient(creds(), sim.url, timeout=WAIT) as watcher:
        updates = watcher.order_updates()
        await updates.ready()  # subscribed before the trader acts
        async with QfexTradeClient(creds(), sim.url, timeout=WAIT) as trader:
            assert (await trader.cancel_on_disconnect(True)).cancel_on_disconnect is True
            resting = (await trader.add_order("AAPL-USD", "SELL", "LIMIT", "GTC", 1, 200)).order_response
            assert (await next_of(updates, Order)).order_id == resting.order_id
        cancelled: set[str] = set()
        while resting.order_id not in cancelled:
            item = await next_of(updates, Order)
            assert item.status == "CANCELLED"
            cancelled.add(item.order_id)
    assert sim.account().orders[resting.order_id].status == "CANCELLED" and sim.stats.cancelled_on_disconnect >= 2


async def test_streams_resubscribe_after_a_drop_with_a_gap(sim):
    async with QfexTradeClient(creds(), sim.url, timeout=WAIT, backoff_initial=0.01, backoff_max=0.05) as qfex:
        updates = qfex.order_updates()
        await updates.ready()
        await qfex.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", 1, 100)
        await next_of(updates, Order)
        before = sim.stats.subscribed
        await sim.drop_connections()
        gap = await next_of(updates, Gap)
        assert gap.ended >= gap.started and sim.stats.subscribed == before + 1
        placed = await qfex.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", 1, 101)
        assert (await next_of(updates, Order)).order_id == placed.order_response.order_id


async def test_a_malformed_push_is_a_decode_failure_and_the_session_goes_on(sim):
    async with QfexTradeClient(creds(), sim.url, timeout=WAIT) as qfex:
        positions = qfex.positions()
        await positions.ready()
        await qfex.add_order("AAPL-USD", "BUY", "MARKET", "IOC", 1)
        assert isinstance(await next_of(positions, Position), Position)
        for conn in sim.connections:
            conn.session.outbox.append('{"position_response": {"symbol": "AAPL-USD", "position": [1]}}')
            conn.session.outbox.append('{"position_response": {"position": 1}}')
        failure = await next_of(positions, DecodeFailure)
        assert failure.error.message_name == "position_response" and "position" in failure.error.field_path
        missing = await next_of(positions, DecodeFailure)  # a required field missing: the same
        assert missing.error.field_path == ("position_response", "symbol") and b'"position": 1' in missing.raw
        reply = await qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)  # the session survived
        assert [o.order_id for o in reply.orders] == [DEMO_ORDER_ID]
        await qfex.add_order("AAPL-USD", "SELL", "MARKET", "IOC", 1)
        assert (await next_of(positions, Position)).quantity == 0


async def test_the_client_budget_refuses_what_cannot_fit_within_the_timeout(sim):
    sim.add_key("k-budget", DEFAULT_SECRET)
    async with QfexTradeClient(creds("k-budget"), sim.url, timeout=0.5, weight_limit=3) as qfex:
        await qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)  # weight 2 of 3
        served = sim.stats.served
        with pytest.raises(RateLimited) as caught:
            await qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)
        assert caught.value.retry_after is not None and caught.value.retry_after > 50  # the 60 s window
        assert sim.stats.served == served  # never sent
        await qfex.cancel_order(DEMO_SYMBOL, "order_id", order_id=DEMO_ORDER_ID)  # the cancel bucket is apart


async def test_the_budget_waits_when_the_weight_fits_within_the_timeout():
    spec = dataclasses.replace(WS_QFEX_TRADE.rate_limit, window_s=0.3)  # type: ignore[type-var]
    budget = WeightedBudget(2.0, spec)
    loop = asyncio.get_running_loop()
    await budget.acquire("get_order", 1.0)
    started = loop.time()
    await budget.acquire("get_order", 1.0)  # waits for the first to leave the window
    assert loop.time() - started >= 0.25 and budget.waits == 1
    with pytest.raises(RateLimited):
        await budget.acquire("get_order", 0.05)
    with pytest.raises(RateLimited):
        await budget.acquire("get_user_orders", 10)  # weight 5: more than the whole budget


async def test_the_simulator_enforces_the_weighted_budget_per_key():
    async with QfexSimulator(weight_limit=3) as sim:
        async with (
            QfexTradeClient(creds(), sim.url, timeout=WAIT) as one,
            QfexTradeClient(creds(), sim.url, timeout=WAIT) as two,
        ):
            await one.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)
            with pytest.raises(QfexRateLimited):
                await two.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)  # the same user, another connection
        assert sim.stats.weight_limited == 1
