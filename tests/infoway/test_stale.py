"""Silent subscriptions on Infoway depth streams, against the simulator with its pushes
paused: a `Stale` event per code, `Fresh` when the books resume, a reconnect (a Gap, counted)
past the second threshold; a stream that is never silent gets none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from venuewire.credentials import InfowayCredentials
from venuewire.events import Fresh, Gap, Stale
from venuewire.generated.registry import WS_INFOWAY_DEPTH
from venuewire.infoway import InfowayClient, InfowayDepthStream
from venuewire.infoway.protocol import InfowayDepthProtocol
from venuewire.models import OrderBook
from venuewire.sim.infoway import InfowaySimulator

pytestmark = pytest.mark.timeout(30)
KEY = "InFoWaY-Key-Do-Not-Leak-789"
CREDENTIALS = InfowayCredentials(KEY)
WAIT = 5.0


@pytest.fixture
async def sim() -> AsyncIterator[InfowaySimulator]:
    async with InfowaySimulator(api_key=KEY, push_interval=0.02, rest_limit=1000) as server:
        yield server


def stream_of(sim: InfowaySimulator, codes: list[str], **settings: float) -> InfowayDepthStream:
    protocol = InfowayDepthProtocol(CREDENTIALS, "crypto", codes, base_url=sim.ws_url)
    return InfowayDepthStream(protocol, CREDENTIALS, backoff_initial=0.02, **settings)  # type: ignore[arg-type]


async def until(stream: InfowayDepthStream, kind: type, limit: int = 500) -> tuple[object, list[object]]:
    seen: list[object] = []
    for _ in range(limit):
        item = await asyncio.wait_for(anext(stream), WAIT)
        if isinstance(item, kind):
            return item, seen
        seen.append(item)
    raise AssertionError(f"no {kind.__name__} in {limit} items")


def test_depth_streams_take_the_registrys_thresholds():
    assert WS_INFOWAY_DEPTH.stale_after_s is not None and WS_INFOWAY_DEPTH.reconnect_after_s is not None
    client = InfowayClient(CREDENTIALS, "http://127.0.0.1:1", "ws://127.0.0.1:1/ws")
    stream = client.depth_stream("crypto", ["BTCUSDT"])
    assert (stream.silence.stale_after, stream.silence.reconnect_after) == (
        WS_INFOWAY_DEPTH.stale_after_s,
        WS_INFOWAY_DEPTH.reconnect_after_s,
    )


async def test_silent_codes_are_stale_then_fresh_then_reconnected(sim):
    codes = ["BTCUSDT", "ETHUSDT"]
    async with stream_of(sim, codes, stale_after=0.1, reconnect_after=0.4, healthy_after=0.05) as stream:
        await until(stream, OrderBook)
        sim.pushes_paused = True
        first, _ = await until(stream, Stale)
        second, _ = await until(stream, Stale)
        assert {first.subscription, second.subscription} == set(codes)  # type: ignore[attr-defined]
        assert isinstance(first, Stale) and first.venue == "infoway" and first.threshold == 0.1
        gap, between = await until(stream, Gap)
        assert not any(isinstance(i, Stale | Fresh) for i in between)
        assert isinstance(gap, Gap) and "reconnect_after" in gap.reason
        assert stream.stats.stale_reconnects >= 1 and stream.stats.stale_events == 2
        assert KEY not in gap.reason
        sim.pushes_paused = False
        fresh, _ = await until(stream, Fresh)
        assert isinstance(fresh, Fresh) and fresh.subscription in codes and fresh.silent_for >= 0.4
        book = await asyncio.wait_for(anext(stream), WAIT)
        assert isinstance(book, OrderBook) and book.symbol == fresh.subscription


async def test_a_stream_with_steady_pushes_gets_no_stale_event(sim):
    async with stream_of(sim, ["BTCUSDT"], stale_after=0.2, reconnect_after=0.4) as stream:
        loop = asyncio.get_running_loop()
        end, items = loop.time() + 0.7, []
        while loop.time() < end:
            items.append(await asyncio.wait_for(anext(stream), WAIT))
        assert len(items) > 10 and all(isinstance(i, OrderBook) for i in items)
        assert stream.stats.stale_events == 0 and stream.gaps == []
