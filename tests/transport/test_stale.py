"""SilenceWatch, the pure per-subscription silence bookkeeping every stream shares, driven
by a fake clock; and WsStream's use of an injected clock (no real waiting for the threshold)."""

from __future__ import annotations

import asyncio
import math

import pytest

from venuewire.bitmart.client import BitmartStream
from venuewire.bitmart.protocol import SpotDepthProtocol
from venuewire.events import Fresh, Stale, StreamEvent
from venuewire.models import OrderBook
from venuewire.sim.bitmart import BitmartSimulator
from venuewire.transport import SilenceWatch

pytestmark = pytest.mark.timeout(30)


def test_each_subscription_goes_stale_once_and_fresh_when_its_data_comes():
    watch = SilenceWatch("v", stale_after=5, reconnect_after=None)
    watch.started(0.0, whole_stream=True)
    assert watch.data("A", 1.0) == [] and watch.data("B", 2.0) == []
    assert watch.check(5.9) == ([], None)
    events, reason = watch.check(6.0)
    assert events == [Stale("v", "A", 5.0, 5.0)] and reason is None
    assert watch.check(6.5) == ([], None)  # once per silence
    events, _ = watch.check(7.0)
    assert events == [Stale("v", "B", 5.0, 5.0)]
    assert watch.stale == {"A", "B"}
    assert watch.data("A", 9.0) == [Fresh("v", "A", 8.0)]
    assert watch.data("A", 9.5) == []
    assert watch.stale == {"B"}


def test_the_whole_stream_is_watched_until_data_names_its_subscription():
    watch = SilenceWatch("v", stale_after=2, reconnect_after=None)
    watch.started(10.0, whole_stream=True)
    assert watch.check(12.0)[0] == [Stale("v", None, 2.0, 2.0)]
    assert watch.data("A", 13.0) == [Fresh("v", None, 3.0)]  # per-symbol from now on
    assert watch.check(14.9)[0] == []
    assert watch.check(15.0)[0] == [Stale("v", "A", 2.0, 2.0)]
    assert watch.data(None, 16.0) == [Fresh("v", "A", 3.0)]  # unnamed data refreshes every one


def test_expected_subscriptions_count_from_when_they_were_expected():
    watch = SilenceWatch("v", stale_after=1, reconnect_after=None)
    assert watch.check(100.0) == ([], None)  # nothing expected yet: nothing can be silent
    watch.expect(["A", "B"], 100.0)
    watch.data("A", 100.5)
    events, _ = watch.check(101.0)
    assert [e.subscription for e in events] == ["B"]  # B never delivered


def test_reconnect_is_due_per_session_and_the_stale_state_survives_it():
    watch = SilenceWatch("v", stale_after=1, reconnect_after=3)
    watch.started(0.0)
    watch.data("A", 0.0)
    assert watch.check(2.9)[1] is None
    _events, reason = watch.check(3.0)
    assert reason is not None and "A" in reason and "reconnect_after 3" in reason
    watch.started(4.0)  # reconnected: the reconnect clock restarts, A stays stale (no new Stale)
    assert watch.check(6.9) == ([], None)
    assert watch.check(7.0)[1] is not None
    assert watch.data("A", 8.0) == [Fresh("v", "A", 8.0)]


@pytest.mark.parametrize("value", [0, -1, math.nan, "5", True])
def test_bad_thresholds_are_refused(value):
    with pytest.raises(ValueError, match="stale_after"):
        SilenceWatch("v", value, None)  # type: ignore[arg-type]


def test_none_or_infinity_is_never():
    watch = SilenceWatch("v", None, math.inf)
    assert not watch.enabled
    watch.started(0.0, whole_stream=True)
    assert watch.check(1e12) == ([], None)


async def test_ws_stream_reads_silence_on_its_injected_clock():
    now = [1000.0]
    async with BitmartSimulator(port=0, push_interval=0.02) as sim:
        protocol = SpotDepthProtocol(sim.url, "BTC_USDT", 5)
        async with BitmartStream(protocol, stale_after=0.05, reconnect_after=3600, clock=lambda: now[0]) as stream:
            items: list[OrderBook | StreamEvent] = [await asyncio.wait_for(anext(stream), 5)]
            for _ in range(20):  # books keep coming, but the clock stands still: never stale
                items.append(await asyncio.wait_for(anext(stream), 5))
            assert all(isinstance(i, OrderBook) for i in items)
            sim.pushes_paused = True
            await asyncio.sleep(0.1)  # books already on their way arrive at the old time
            now[0] += 60.0
            for _ in range(100):
                item = await asyncio.wait_for(anext(stream), 5)
                if isinstance(item, Stale):
                    break
            assert isinstance(item, Stale) and item.subscription == "BTC_USDT" and item.silent_for >= 60.0
            assert stream.gaps == []  # 60 s is well below reconnect_after
