"""Silent subscriptions on BitMart streams, against the simulator with its pushes paused: a
`Stale` event per symbol once past `stale_after`, `Fresh` when the books come back, a
reconnect (a Gap, counted) past `reconnect_after`; a stream that is never silent gets none.
Thresholds are a fraction of a second here; the registry's are the defaults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from venuewire.bitmart.client import BitmartClient, BitmartStream
from venuewire.bitmart.protocol import LegacyDepthProtocol, SpotDepthProtocol
from venuewire.events import Fresh, Gap, Stale, StreamEvent
from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_SPOT_DEPTH
from venuewire.models import OrderBook
from venuewire.sim.bitmart import BitmartSimulator

pytestmark = pytest.mark.timeout(30)
WAIT = 5.0


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    async with BitmartSimulator(port=0, push_interval=0.02) as server:
        yield server


def v3(sim: BitmartSimulator, symbols: list[str], **settings: float) -> BitmartStream:
    return BitmartStream(SpotDepthProtocol(sim.url, symbols, 5), backoff_initial=0.05, **settings)  # type: ignore[arg-type]


async def until(stream: BitmartStream, kind: type, limit: int = 500) -> tuple[object, list[object]]:
    """The first item of `kind` and the items before it (each within WAIT s)."""
    seen: list[object] = []
    for _ in range(limit):
        item = await asyncio.wait_for(anext(stream), WAIT)
        if isinstance(item, kind):
            return item, seen
        seen.append(item)
    raise AssertionError(f"no {kind.__name__} in {limit} items")


def test_the_registry_gives_every_depth_channel_both_thresholds():
    for channel in (WS_BITMART_SPOT_DEPTH, WS_BITMART_LEGACY_DEPTH):
        assert channel.stale_after_s is not None and channel.reconnect_after_s is not None
        assert 0 < channel.stale_after_s < channel.reconnect_after_s
    client = BitmartClient("ws://127.0.0.1:1/legacy", "ws://127.0.0.1:1/v3")
    stream = client.depth_stream("BTC_USDT")
    assert stream.silence.stale_after == WS_BITMART_SPOT_DEPTH.stale_after_s
    assert stream.silence.reconnect_after == WS_BITMART_SPOT_DEPTH.reconnect_after_s
    legacy = client.legacy_depth_stream("BMX_ETH", 6)
    assert legacy.silence.stale_after == WS_BITMART_LEGACY_DEPTH.stale_after_s


async def test_silence_is_stale_per_symbol_then_fresh_when_books_resume(sim):
    async with v3(sim, ["BTC_USDT", "ETH_USDT"], stale_after=0.15, reconnect_after=30) as stream:
        await until(stream, OrderBook)
        sim.pushes_paused = True
        first, _ = await until(stream, Stale)
        second, between = await until(stream, Stale)
        assert not any(isinstance(i, OrderBook) for i in between[1:])  # a book in flight may still come
        stale = {first.subscription, second.subscription}  # type: ignore[attr-defined]
        assert stale == {"BTC_USDT", "ETH_USDT"}
        for event in (first, second):
            assert isinstance(event, Stale) and event.venue == "bitmart"
            assert event.threshold == 0.15 and event.silent_for >= 0.15
        assert stream.silence.stale == frozenset(stale)
        sim.pushes_paused = False
        fresh, _ = await until(stream, Fresh)
        assert isinstance(fresh, Fresh) and fresh.subscription in stale and fresh.silent_for >= 0.15
        book = await asyncio.wait_for(anext(stream), WAIT)
        assert isinstance(book, OrderBook) and book.symbol == fresh.subscription  # the data follows its Fresh
        assert stream.stats.stale_events == 2 and stream.stats.stale_reconnects == 0
        assert stream.gaps == []


async def test_silence_past_the_second_threshold_reconnects_with_a_gap(sim):
    async with v3(sim, ["BTC_USDT"], stale_after=0.1, reconnect_after=0.3, healthy_after=0.05) as stream:
        await until(stream, OrderBook)
        sim.pushes_paused = True
        await until(stream, Stale)
        gap, between = await until(stream, Gap)
        assert not any(isinstance(i, Stale | Fresh) for i in between)  # stale once per silence
        assert isinstance(gap, Gap) and "BTC_USDT" in gap.reason and "reconnect_after" in gap.reason
        assert stream.stats.stale_reconnects >= 1 and stream.stats.reconnects >= 1
        assert stream.gaps[0] == gap
        sim.pushes_paused = False
        fresh, _ = await until(stream, Fresh)
        assert isinstance(fresh, Fresh) and fresh.subscription == "BTC_USDT"
        assert isinstance(await asyncio.wait_for(anext(stream), WAIT), OrderBook)


async def test_the_legacy_channel_is_watched_too(sim):
    channel = LegacyDepthProtocol(sim.legacy_url, "BMX_ETH", 6)
    async with BitmartStream(channel, stale_after=0.1, reconnect_after=60) as stream:
        await until(stream, OrderBook)
        sim.pushes_paused = True
        stale, _ = await until(stream, Stale)
        assert isinstance(stale, Stale) and stale.subscription == "BMX_ETH"
        sim.pushes_paused = False
        fresh, _ = await until(stream, Fresh)
        assert isinstance(fresh, Fresh) and fresh.subscription == "BMX_ETH"


async def test_a_stream_that_is_never_silent_gets_no_stale_event(sim):
    async with v3(sim, ["BTC_USDT", "ETH_USDT"], stale_after=0.25, reconnect_after=0.5) as stream:
        items: list[OrderBook | StreamEvent] = []
        loop = asyncio.get_running_loop()
        end = loop.time() + 0.8  # past both thresholds, with pushes every 0.02 s
        while loop.time() < end:
            items.append(await asyncio.wait_for(anext(stream), WAIT))
        assert len(items) > 20 and all(isinstance(i, OrderBook) for i in items)
        assert stream.stats.stale_events == 0 and stream.stats.stale_reconnects == 0 and stream.gaps == []
