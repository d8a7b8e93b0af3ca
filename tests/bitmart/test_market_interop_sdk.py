"""The official BitMart SDK's `SpotSocketClient` (bitmart-python-sdk-api, a test dependency)
subscribing to each market-data channel on our simulator, next to our client on the same
simulator: the pushes the SDK receives, decoded by our protocol, are exactly the items our
client's stream yields. Ticks are driven by hand (`sim.push_now()`), so both connections see
the same steps; every wait is bounded. The SDK helpers are those of test_interop_sdk."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.bitmart.test_client import take
from tests.bitmart.test_interop_sdk import MEMO, SECRET, Inbox, OnePingSpotClient
from tests.bitmart.test_market_sim import WAIT, subscribed
from venuewire.bitmart import (
    BitmartClient,
    SpotKlineProtocol,
    SpotQuoteProtocol,
    SpotTickerProtocol,
    SpotTradeProtocol,
    V3Protocol,
)
from venuewire.models import Candle, Quote, Trade
from venuewire.sim.bitmart import BitmartSimulator

pytestmark = [pytest.mark.interop, pytest.mark.timeout(60)]

BTC = "BTC_USDT"
TICKS = 3


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    async with BitmartSimulator(port=0, api_key="interop-key", secret=SECRET, memo=MEMO, push_interval=3600) as server:
        yield server


def decoded(protocol: V3Protocol[Any], messages: list[dict[str, Any]]) -> list[Any]:
    """What our protocol makes of the data frames the SDK received (as the JSON it parsed)."""
    protocol.opening()
    out: list[Any] = []
    for message in messages:
        if "table" in message:
            reaction = protocol.receive(json.dumps(message))
            assert reaction.fatal is None
            out.extend(reaction.items)
    return out


CASES: list[tuple[str, list[str], Callable[[str], V3Protocol[Any]], Callable[[BitmartClient], Any], type, int]] = [
    (
        "quote",
        [f"spot/ticker:{BTC}", f"spot/bookTicker:{BTC}"],
        lambda url: SpotQuoteProtocol(url, BTC),
        lambda c: c.quote_stream(BTC),
        Quote,
        2 * (TICKS + 1),
    ),
    (
        "ticker",
        [f"spot/ticker:{BTC}"],
        lambda url: SpotTickerProtocol(url, BTC),
        lambda c: c.ticker_stream(BTC),
        Quote,
        TICKS + 1,
    ),
    (
        "trade",
        [f"spot/trade:{BTC}"],
        lambda url: SpotTradeProtocol(url, BTC),
        lambda c: c.trade_stream(BTC),
        Trade,
        TICKS,
    ),
    (
        "kline",
        [f"spot/kline1m:{BTC}"],
        lambda url: SpotKlineProtocol(url, BTC, "1m"),
        lambda c: c.candle_stream(BTC, "1m"),
        Candle,
        TICKS,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
async def test_the_sdk_receives_the_items_our_client_decodes(sim, case):
    _name, topics, protocol, stream, kind, count = case
    inbox = Inbox()
    sdk = await asyncio.to_thread(OnePingSpotClient, stream_url=sim.url, on_message=inbox, timeout=5)
    try:
        sdk.subscribe(topics)
        await inbox.wait_for(lambda ms: {m.get("topic") for m in ms if m.get("event") == "subscribe"} == set(topics))
        async with BitmartClient(sim.legacy_url, sim.url, timeout=3) as client:
            ours = stream(client)
            first = asyncio.ensure_future(anext(ours))  # connects and subscribes
            await subscribed(sim, len(topics), connections=2)  # the SDK's and ours, before any tick
            for _ in range(TICKS):
                sim.push_now()
            head = await asyncio.wait_for(first, WAIT)
            mine = [head] if isinstance(head, kind) else []
            mine += await take(ours, count - len(mine), kind) if len(mine) < count else []
        await inbox.wait_for(lambda ms: len(decoded(protocol(sim.url), ms)) >= count)
    finally:
        await asyncio.to_thread(sdk.stop)
    theirs = decoded(protocol(sim.url), inbox.snapshot())
    assert all(isinstance(item, kind) for item in theirs), theirs
    assert theirs[:count] == mine
    assert mine[0] != mine[-1]  # the data moved with the ticks
