"""A resync whose snapshot does not come: the request is sent again after the channel's
`resync_timeout_s`, a bounded number of times (`resync_requests`, registry data), then a typed
`ResyncTimedOut` and a reconnect; the book stays invalid meanwhile. Pure books with a hand
clock first, then the stream against the simulator's scripted unanswered and held requests."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.bitmart import test_incremental_sim as on_sim
from tests.bitmart.test_incremental import SNAP, entry
from tests.bitmart.test_incremental_sim import BTC, WAIT, Item, levels, requests, served, take
from venuewire.bitmart import BitmartClient, BitmartIncrementalStream, IncrementalBooks, SpotIncreaseProtocol
from venuewire.bitmart.incremental import IncrementalOutput
from venuewire.bitmart.protocol import RESYNC_REQUESTS, RESYNC_TIMEOUT_S
from venuewire.events import BookGap, BookResynced, Gap, ResyncTimedOut
from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH_INCREASE
from venuewire.models import OrderBook
from venuewire.sim.bitmart import FIRST_VERSION, BitmartSimulator, IncreaseFault
from venuewire.transport import Reaction

pytestmark = pytest.mark.timeout(30)


def timed_books(timeout: float | None = 5.0, tries: int | None = 3) -> IncrementalBooks:
    return IncrementalBooks(("BTC_USDT", "ETH_USDT"), depth=100, resync_timeout=timeout, resync_requests=tries)


def gapped(books: IncrementalBooks, now: float) -> None:
    """BTC_USDT live at 10, then version 12: a gap, its snapshot request taken at `now`."""
    books.apply(SNAP)
    [gap] = books.apply(entry("update", 12))
    assert isinstance(gap, BookGap)
    assert books.take_requests(now) == ["BTC_USDT"]


# -- pure ---------------------------------------------------------------------------------------


def test_the_registry_gives_the_timeout_and_the_number_of_requests() -> None:
    assert WS_BITMART_SPOT_DEPTH_INCREASE.resync_timeout_s == RESYNC_TIMEOUT_S
    assert WS_BITMART_SPOT_DEPTH_INCREASE.resync_requests == RESYNC_REQUESTS
    assert RESYNC_TIMEOUT_S is not None and RESYNC_REQUESTS is not None and RESYNC_REQUESTS >= 2
    stale = WS_BITMART_SPOT_DEPTH_INCREASE.stale_after_s
    assert stale is not None and stale >= RESYNC_TIMEOUT_S * RESYNC_REQUESTS  # gives up before going stale


def test_an_unanswered_request_is_asked_again_then_given_up_once() -> None:
    books = timed_books()
    gapped(books, now=100.0)
    assert books.expire(104.9) == [] and books.take_requests(104.9) == []
    assert books.expire(105.0) == [] and books.take_requests(105.0) == ["BTC_USDT"]  # the 2nd request
    assert books.expire(109.0) == [] and books.take_requests(109.0) == []  # 4 s after the 2nd only
    assert books.expire(110.0) == [] and books.take_requests(110.0) == ["BTC_USDT"]  # the 3rd
    assert not books.is_valid("BTC_USDT")
    [timed_out] = books.expire(115.0)
    assert timed_out == ResyncTimedOut(symbol="BTC_USDT", requests=3, waited=15.0)
    assert books.expire(1000.0) == [] and books.take_requests(1000.0) == []  # once
    assert books.timeouts == 3 and not books.is_valid("BTC_USDT")
    books.reset()  # the stream reconnects
    out = books.apply(entry("snapshot", 50, bids=[("1", "1")]))
    assert [type(o) for o in out] == [BookResynced, OrderBook] and books.is_valid("BTC_USDT")


def test_a_snapshot_after_the_first_timeout_ends_the_resync() -> None:
    books = timed_books()
    gapped(books, now=0.0)
    books.expire(5.0)
    assert books.take_requests(5.0) == ["BTC_USDT"]
    out = books.apply(entry("snapshot", 12, bids=[("100", "1")]))
    assert [type(o) for o in out] == [BookResynced, OrderBook]
    assert books.expire(1000.0) == [] and books.take_requests(1000.0) == []
    # the next resync has its full number of requests again
    [gap] = books.apply(entry("update", 20))
    assert isinstance(gap, BookGap) and books.take_requests(2000.0) == ["BTC_USDT"]
    for now in (2005.0, 2010.0):
        assert books.expire(now) == [] and books.take_requests(now) == ["BTC_USDT"]
    assert [t.requests for t in books.expire(2015.0)] == [3]


def test_only_the_symbol_waiting_for_its_snapshot_times_out() -> None:
    books = timed_books(tries=1)
    books.apply(entry("snapshot", 5, symbol="ETH_USDT"))
    gapped(books, now=0.0)
    [timed_out] = books.expire(5.0)
    assert timed_out.symbol == "BTC_USDT" and timed_out.requests == 1
    assert books.is_valid("ETH_USDT") and not books.is_valid("BTC_USDT")


def test_untimed_requests_and_no_timeout_never_expire() -> None:
    books = timed_books(timeout=None)
    gapped(books, now=0.0)
    assert books.expire(1e9) == [] and books.take_requests(1e9) == []
    books = timed_books()
    books.apply(SNAP)
    books.apply(entry("update", 12))
    assert books.take_requests() == ["BTC_USDT"]  # not stamped: not timed
    assert books.expire(1e9) == []
    unbounded = timed_books(tries=None)
    gapped(unbounded, now=0.0)
    for k in range(1, 20):
        assert unbounded.expire(5.0 * k) == [] and unbounded.take_requests(5.0 * k) == ["BTC_USDT"]


@pytest.mark.parametrize(("timeout", "tries"), [(0.0, 3), (-1.0, 3), (5.0, 0), (5.0, True)])
def test_bad_settings_are_refused(timeout: float, tries: int) -> None:
    with pytest.raises(ValueError, match="resync_"):
        timed_books(timeout, tries)


def test_the_protocol_asks_again_then_yields_the_event_and_asks_to_reconnect() -> None:
    now = [0.0]
    protocol = SpotIncreaseProtocol(
        "wss://x.example/api", BTC, resync_timeout=1.0, resync_requests=2, clock=lambda: now[0]
    )
    assert protocol.timer() == 0.25
    protocol.books.apply(SNAP)
    protocol.books.apply(entry("update", 12))
    first = protocol.on_timer()  # the gap's request goes out (stamped at 0)
    assert [json.loads(f)["op"] for f in first.send] == ["request"] and first.reconnect is None
    now[0] = 1.0
    again = protocol.on_timer()
    assert len(again.send) == 1 and again.items == [] and again.reconnect is None
    now[0] = 2.5
    given_up = protocol.on_timer()
    assert given_up.items == [ResyncTimedOut(BTC, requests=2, waited=2.5)] and given_up.send == []
    assert given_up.reconnect is not None and BTC in given_up.reconnect
    assert protocol.requests_sent == 2 and not protocol.is_valid(BTC)
    assert SpotIncreaseProtocol("wss://x.example/api", BTC, resync_timeout=None).timer() is None


# -- against the simulator ------------------------------------------------------------------------

sim = on_sim.sim  # the same fixtures: a simulator ticking only by push_now(), a client
client = on_sim.client


async def gapped_stream(
    sim: BitmartSimulator, client: BitmartClient, *faults: IncreaseFault
) -> BitmartIncrementalStream:
    stream = client.incremental_depth_stream(BTC, resync_timeout=0.2, resync_requests=2)
    await take(stream, OrderBook)
    sim.script_increase(IncreaseFault.GAP, *faults)
    sim.push_now()
    await take(stream, BookGap)
    return stream


async def test_a_snapshot_that_never_comes_times_out_and_the_stream_reconnects(
    sim: BitmartSimulator, client: BitmartClient
) -> None:
    stream = await gapped_stream(sim, client, IncreaseFault.UNANSWERED_REQUEST, IncreaseFault.UNANSWERED_REQUEST)
    [timed_out] = await take(stream, ResyncTimedOut)
    assert isinstance(timed_out, ResyncTimedOut) and timed_out.symbol == BTC and timed_out.requests == 2
    assert timed_out.waited >= 0.2 and not stream.is_valid(BTC)
    assert requests(sim) == [[f"spot/depth/increase100:{BTC}"]] * 2
    items: list[Item] = await take(stream, OrderBook)
    gap = next(i for i in items if isinstance(i, Gap))
    assert "no snapshot" in gap.reason and stream.stats.reconnects == 1
    assert [type(i) for i in items if not isinstance(i, Gap)] == [BookResynced, OrderBook]
    book = items[-1]
    assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC) and stream.is_valid(BTC)
    assert stream.channel.books.version(BTC) == FIRST_VERSION  # the new connection's snapshot


async def test_a_late_snapshot_is_asked_again_and_the_late_one_does_no_harm(
    sim: BitmartSimulator, client: BitmartClient
) -> None:
    stream = await gapped_stream(sim, client, IncreaseFault.HELD_REQUEST)
    resynced, book = await take(stream, BookResynced) + await take(stream, OrderBook)  # the 2nd request's answer
    assert isinstance(resynced, BookResynced) and isinstance(book, OrderBook) and stream.is_valid(BTC)
    assert len(requests(sim)) == 2
    sim.push_now()  # the held snapshot comes with this tick, after its update
    for _ in range(2):
        [book] = await take(stream, OrderBook)
        assert isinstance(book, OrderBook) and stream.is_valid(BTC)
    assert levels(book) == served(sim, BTC)
    await asyncio.sleep(0.5)  # more than two timeouts: nothing is pending
    assert len(requests(sim)) == 2 and stream.stats.reconnects == 0


async def test_a_snapshot_in_time_sends_no_second_request(sim: BitmartSimulator, client: BitmartClient) -> None:
    stream = client.incremental_depth_stream([BTC, "ETH_USDT"], resync_timeout=0.2, resync_requests=2)
    for _ in range(2):
        await take(stream, OrderBook)
    sim.script_increase(IncreaseFault.GAP)
    sim.push_now()
    await take(stream, BookResynced)
    await asyncio.wait_for(asyncio.sleep(0.5), WAIT)
    assert requests(sim) == [[f"spot/depth/increase100:{BTC}"]] and stream.stats.reconnects == 0


class _BrokenTimer(SpotIncreaseProtocol):
    def __init__(self, url: str) -> None:
        super().__init__(url, BTC, resync_timeout=0.04)
        self.calls = 0

    def on_timer(self) -> Reaction[IncrementalOutput]:
        self.calls += 1
        raise RuntimeError("a bug in venue code")


async def test_a_timer_hook_that_raises_is_logged_and_the_stream_goes_on(
    sim: BitmartSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    protocol = _BrokenTimer(sim.url)
    async with BitmartIncrementalStream(protocol, backoff_initial=0.05) as stream:
        await take(stream, OrderBook)
        await asyncio.sleep(0.1)
        sim.push_now()
        [book] = await take(stream, OrderBook)
        assert isinstance(book, OrderBook) and stream.is_valid(BTC) and stream.stats.reconnects == 0
    assert protocol.calls >= 2 and "on_timer()" in caplog.text
