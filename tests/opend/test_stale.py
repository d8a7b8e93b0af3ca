"""Silent subscriptions on OpenD push streams, against the simulator with its pushes paused
(KeepAlive still answered, so the connection itself is alive): a `Stale` event per security,
`Fresh` when its pushes resume, a reconnect (a Gap, counted) past the second threshold; a
stream that is never silent gets none; trade pushes (event-driven) are never watched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from venuewire import OpenDClient
from venuewire.events import Fresh, Gap, Stale
from venuewire.generated.futu import Qot_UpdateOrderBook_pb2, Trd_UpdateOrder_pb2
from venuewire.generated.registry import OPEND
from venuewire.models import OrderBook
from venuewire.opend.streams import BookStream
from venuewire.sim.opend import OpenDSimulator

pytestmark = pytest.mark.timeout(30)
WAIT = 5.0
SYMBOLS = ["HK.00700", "US.AAPL"]


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.02) as server:
        yield server


async def until(stream: BookStream, kind: type, limit: int = 500) -> tuple[object, list[object]]:
    seen: list[object] = []
    for _ in range(limit):
        item = await asyncio.wait_for(anext(stream), WAIT)
        if isinstance(item, kind):
            return item, seen
        seen.append(item)
    raise AssertionError(f"no {kind.__name__} in {limit} items")


def test_quote_streams_take_the_registrys_thresholds_and_trade_pushes_none():
    assert OPEND.push_stale_after_s is not None and OPEND.push_reconnect_after_s is not None
    client = OpenDClient(host="127.0.0.1", port=1)
    book = client.depth_stream("HK.00700")
    assert book.pushes.watch is not None
    assert (book.pushes.watch.stale_after, book.pushes.watch.reconnect_after) == (
        OPEND.push_stale_after_s,
        OPEND.push_reconnect_after_s,
    )
    assert client.pushes(Qot_UpdateOrderBook_pb2.Response).watch is not None
    assert client.pushes(Trd_UpdateOrder_pb2.Response).watch is None
    with pytest.raises(ValueError, match="stale_after"):
        OpenDClient(host="127.0.0.1", port=1, stale_after=-1)


async def test_silent_securities_are_stale_then_fresh(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, stale_after=0.15, reconnect_after=30) as client:
        stream = client.depth_stream(SYMBOLS)
        await until(stream, OrderBook)
        sim.pushes_paused = True
        first, _ = await until(stream, Stale)
        second, _ = await until(stream, Stale)
        assert {first.subscription, second.subscription} == set(SYMBOLS)  # type: ignore[attr-defined]
        assert isinstance(first, Stale) and first.venue == "futu" and first.threshold == 0.15
        assert first.silent_for >= 0.15
        assert client.stats.stale_events == 2 and client.stats.stale_reconnects == 0
        sim.pushes_paused = False
        fresh, _ = await until(stream, Fresh)
        assert isinstance(fresh, Fresh) and fresh.subscription in SYMBOLS
        book = await asyncio.wait_for(anext(stream), WAIT)
        assert isinstance(book, OrderBook) and book.symbol == fresh.subscription
        assert client.gaps == [] and client.connected


async def test_silence_past_the_second_threshold_reconnects_with_a_gap(sim):
    async with OpenDClient(
        host="127.0.0.1", port=sim.port, stale_after=0.1, reconnect_after=0.3, backoff_initial=0.02, healthy_after=0.05
    ) as client:
        stream = client.depth_stream("HK.00700")
        await until(stream, OrderBook)
        sim.pushes_paused = True
        await until(stream, Stale)
        gap, between = await until(stream, Gap)
        assert not any(isinstance(i, Stale | Fresh) for i in between)  # stale once per silence
        assert isinstance(gap, Gap) and "HK.00700" in gap.reason and "reconnect_after" in gap.reason
        assert client.stats.stale_reconnects >= 1 and client.stats.reconnects >= 1
        sim.pushes_paused = False
        fresh, _ = await until(stream, Fresh)
        assert isinstance(fresh, Fresh) and fresh.subscription == "HK.00700"
        assert isinstance(await asyncio.wait_for(anext(stream), WAIT), OrderBook)  # the subscription was restored


async def test_a_stream_with_steady_pushes_gets_no_stale_event(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, stale_after=0.2, reconnect_after=0.4) as client:
        stream = client.depth_stream(SYMBOLS)
        loop = asyncio.get_running_loop()
        items = [await asyncio.wait_for(anext(stream), WAIT)]
        end = loop.time() + 0.7
        while loop.time() < end:
            items.append(await asyncio.wait_for(anext(stream), WAIT))
        assert len(items) > 10 and all(isinstance(i, OrderBook) for i in items)
        assert client.stats.stale_events == 0 and client.gaps == []
