"""One BitMart trading session against the simulator, recorded by BitmartTradeClient's own
capture: the book, a resting and a crossing limit order, the open orders, a query, both
cancels, the wallet, and the private socket's order updates (with the crossing order's fill)
and balance updates. Used by the capture, drift and replay tests."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

from venuewire.bitmart import BitmartTradeClient
from venuewire.capture.format import CaptureWriter
from venuewire.credentials import BitmartCredentials
from venuewire.models import Balance, Fill, Order, OrderBook
from venuewire.sim.bitmart import BitmartSimulator, PrivateSession

KEY, SECRET, MEMO = "bm-loop-key-0001", "bm-loop-secret-0002", "bm-loop-memo-0003"
SYMBOL = "BTC_USDT"
ORDER_TOPIC = f"spot/user/order:{SYMBOL}"
BALANCE_TOPIC = "spot/user/balance:BALANCE_UPDATE"
ORDER_PUSHES = 6
"""resting new, crossing new, its fill, crossing partially_filled, both cancels."""
BALANCE_PUSHES = 3
WAIT = 5.0


@dataclasses.dataclass
class Session:
    """What the client read, step by step (compared again after a replay)."""

    book: OrderBook | None = None
    resting: str = ""
    crossing: str = ""
    open_orders: list[Order] = dataclasses.field(default_factory=list)
    queried: Order | None = None
    cancelled: list[bool] = dataclasses.field(default_factory=list)
    after_cancel: Order | None = None
    wallet: list[Balance] = dataclasses.field(default_factory=list)
    order_updates: list[Order | Fill] = dataclasses.field(default_factory=list)
    balance_updates: list[Balance] = dataclasses.field(default_factory=list)


def credentials() -> BitmartCredentials:
    return BitmartCredentials(KEY, SECRET, MEMO)


async def subscribed(sim: BitmartSimulator, topic: str) -> None:
    """Wait (bounded) until a logged-in private connection of `sim` has subscribed to `topic`."""
    deadline = time.monotonic() + WAIT
    while not any(isinstance(c.session, PrivateSession) and topic in c.session.topics for c in sim.connections):
        assert time.monotonic() < deadline, f"no subscription to {topic} within {WAIT} s"
        await asyncio.sleep(0.01)


async def take(stream: AsyncIterator[object], kinds: tuple[type, ...], count: int) -> list[object]:
    """The first `count` items of `kinds` (events skipped), within WAIT seconds."""
    got: list[object] = []
    async with asyncio.timeout(WAIT):
        async for item in stream:
            if isinstance(item, kinds):
                got.append(item)
            if len(got) == count:
                break
    return got


async def run_session(client: BitmartTradeClient, sim: BitmartSimulator | None = None) -> Session:
    """The session's steps on `client` (live against `sim`, or against a replay when None:
    the replay serves the recorded pushes after each subscription)."""
    out = Session()
    orders = client.order_updates(SYMBOL)
    balances = client.balance_updates()
    order_items = asyncio.ensure_future(take(orders, (Order, Fill), ORDER_PUSHES))
    balance_items = asyncio.ensure_future(take(balances, (Balance,), BALANCE_PUSHES))
    try:
        if sim is not None:
            await subscribed(sim, ORDER_TOPIC)
            await subscribed(sim, BALANCE_TOPIC)
        out.book = book = await client.order_book(SYMBOL, limit=5)
        best_ask = book.asks[0]
        low = (book.bids[0].price * Decimal("0.9")).quantize(book.bids[0].price)
        out.resting = await client.place_order(SYMBOL, "buy", size="0.001", price=low, client_order_id="bmloop1")
        out.crossing = await client.place_order(SYMBOL, "buy", size=best_ask.size * 2, price=best_ask.price)
        out.open_orders = await client.open_orders(SYMBOL)
        out.queried = await client.get_order(out.resting, "open")
        out.cancelled = [await client.cancel(SYMBOL, out.resting), await client.cancel(SYMBOL, out.crossing)]
        out.after_cancel = await client.get_order(out.crossing, "history")
        out.wallet = await client.balances()
        out.order_updates = [i for i in await order_items if isinstance(i, Order | Fill)]
        out.balance_updates = [i for i in await balance_items if isinstance(i, Balance)]
    finally:
        order_items.cancel()
        balance_items.cancel()
        await orders.aclose()
        await balances.aclose()
    return out


async def record(capture: Path | CaptureWriter) -> Session:
    """The session against a fresh simulator, recorded into `capture` by the client."""
    async with (
        BitmartSimulator(api_key=KEY, secret=SECRET, memo=MEMO, push_interval=3600) as sim,
        BitmartTradeClient(credentials(), sim.rest_url, ws_url=sim.private_url, timeout=5, capture=capture) as client,
    ):
        session = await run_session(client, sim)
        assert client.unknown_fields == {}  # the client's own count of REST replies: nothing unknown
        return session
