"""The incremental depth stream end to end against the simulator on 127.0.0.1: each scripted
fault (gap, duplicate, reordering, late snapshot) drives the typed events, the book is
resynchronised and equals what the venue serves, and a reconnect leaves no ghost level.
Ticks are driven by hand (`sim.push_now()`); every wait is bounded."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from venuewire.bitmart import BitmartClient, BitmartIncrementalStream
from venuewire.events import BookGap, BookGapCause, BookResynced, DecodeFailure, Gap
from venuewire.models import OrderBook
from venuewire.sim.bitmart import FIRST_VERSION, BitmartSimulator, IncreaseFault

pytestmark = pytest.mark.timeout(30)

WAIT = 5.0
BTC = "BTC_USDT"
ETH = "ETH_USDT"
Item = OrderBook | BookGap | BookResynced | Gap | DecodeFailure


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    async with BitmartSimulator(port=0, push_interval=3600) as server:  # ticks only by push_now()
        yield server


@pytest.fixture
async def client(sim: BitmartSimulator) -> AsyncIterator[BitmartClient]:
    async with BitmartClient(sim.legacy_url, sim.url, backoff_initial=0.05, timeout=3) as bitmart:
        yield bitmart


async def take(stream: BitmartIncrementalStream, kind: type | tuple[type, ...], limit: int = 50) -> list[Item]:
    """Items up to and including the first of type `kind` (each within WAIT s)."""
    out: list[Item] = []
    for _ in range(limit):
        item = await asyncio.wait_for(anext(stream), WAIT)
        out.append(item)
        if isinstance(item, kind):
            return out
    raise AssertionError(f"no {kind} in {limit} items: {out!r}")


def served(sim: BitmartSimulator, symbol: str) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
    bids, asks = sim.increase_book(symbol).snapshot(sim.step)
    return [(p, s) for p, s, _ in bids], [(p, s) for p, s, _ in asks]


def levels(book: OrderBook) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
    return [(lv.price, lv.size) for lv in book.bids], [(lv.price, lv.size) for lv in book.asks]


def requests(sim: BitmartSimulator) -> list[list[str]]:
    frames = [json.loads(text) for where, text in sim.received if where == "spot" and text.startswith("{")]
    return [f["args"] for f in frames if f.get("op") == "request"]


async def live(client: BitmartClient, *symbols: str) -> BitmartIncrementalStream:
    stream = client.incremental_depth_stream(list(symbols))
    for _ in symbols:
        [book] = await take(stream, OrderBook)
        assert isinstance(book, OrderBook)
    return stream


async def test_snapshot_then_updates_follow_the_served_book(sim: BitmartSimulator, client: BitmartClient) -> None:
    stream = client.incremental_depth_stream(BTC)
    [book] = await take(stream, OrderBook)
    assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC)
    assert stream.is_valid(BTC) and stream.channel.books.version(BTC) == FIRST_VERSION
    for _ in range(3):
        sim.push_now()
        [book] = await take(stream, OrderBook)
        assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC)
    assert stream.channel.books.version(BTC) == FIRST_VERSION + 3 and requests(sim) == []


async def test_a_gap_yields_the_typed_event_and_the_book_resyncs(sim: BitmartSimulator, client: BitmartClient) -> None:
    stream = await live(client, BTC)
    sim.script_increase(IncreaseFault.GAP)
    sim.push_now()
    [gap] = await take(stream, BookGap)
    assert gap == BookGap(BTC, expected=FIRST_VERSION + 1, received=FIRST_VERSION + 2, cause=BookGapCause.GAP)
    resynced, book = await take(stream, BookResynced) + await take(stream, OrderBook)
    assert resynced == BookResynced(BTC, version=FIRST_VERSION + 2, replayed=0)
    assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC)
    assert stream.is_valid(BTC) and requests(sim) == [[f"spot/depth/increase100:{BTC}"]]
    sim.push_now()
    [book] = await take(stream, OrderBook)
    assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC)


async def test_a_duplicate_yields_the_typed_event_and_the_book_resyncs(
    sim: BitmartSimulator, client: BitmartClient
) -> None:
    stream = await live(client, BTC)
    sim.script_increase(IncreaseFault.DUPLICATE)
    sim.push_now()
    items = await take(stream, BookGap)
    assert [type(i) for i in items] == [OrderBook, BookGap]
    assert items[1] == BookGap(
        BTC, expected=FIRST_VERSION + 2, received=FIRST_VERSION + 1, cause=BookGapCause.DUPLICATE
    )
    [resynced] = await take(stream, BookResynced)
    assert resynced == BookResynced(BTC, version=FIRST_VERSION + 1, replayed=0)
    [book] = await take(stream, OrderBook)
    assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC) and stream.is_valid(BTC)


async def test_reordered_updates_yield_a_gap_and_the_book_resyncs(sim: BitmartSimulator, client: BitmartClient) -> None:
    stream = await live(client, BTC)
    sim.script_increase(IncreaseFault.REORDER)
    sim.push_now()
    [gap] = await take(stream, BookGap)
    assert gap == BookGap(BTC, expected=FIRST_VERSION + 1, received=FIRST_VERSION + 2, cause=BookGapCause.GAP)
    [resynced] = await take(stream, BookResynced)
    assert isinstance(resynced, BookResynced) and resynced.version == FIRST_VERSION + 2
    [book] = await take(stream, OrderBook)
    assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC) and stream.is_valid(BTC)


async def test_a_late_snapshot_yields_an_update_before_snapshot_event(
    sim: BitmartSimulator, client: BitmartClient
) -> None:
    sim.script_increase(IncreaseFault.LATE_SNAPSHOT)
    stream = client.incremental_depth_stream(BTC)
    [gap] = await take(stream, BookGap)
    assert gap == BookGap(BTC, expected=None, received=FIRST_VERSION + 1, cause=BookGapCause.BEFORE_SNAPSHOT)
    [resynced] = await take(stream, BookResynced)
    assert resynced == BookResynced(BTC, version=FIRST_VERSION + 2, replayed=0)  # the buffered ones were older
    [book] = await take(stream, OrderBook)
    assert isinstance(book, OrderBook) and levels(book) == served(sim, BTC) and stream.is_valid(BTC)


async def test_a_gap_resyncs_that_symbol_alone(sim: BitmartSimulator, client: BitmartClient) -> None:
    stream = await live(client, BTC, ETH)
    sim.script_increase(IncreaseFault.GAP)  # played on the first feed pushed: BTC's
    sim.push_now()
    items = await take(stream, BookResynced)
    gaps = [i for i in items if isinstance(i, BookGap)]
    assert [g.symbol for g in gaps] == [BTC]
    assert [i.symbol for i in items if isinstance(i, OrderBook)] == [ETH]
    assert requests(sim) == [[f"spot/depth/increase100:{BTC}"]]
    assert stream.is_valid(ETH)


async def test_after_a_reconnect_no_level_from_before_survives(sim: BitmartSimulator, client: BitmartClient) -> None:
    stream = await live(client, BTC)
    sim.push_now()
    [before] = await take(stream, OrderBook)
    assert isinstance(before, OrderBook)
    sim.state.step += 997  # the book the venue serves moves on while the client is away
    await sim.drop_connections()
    items = await take(stream, OrderBook)
    assert any(isinstance(i, Gap) for i in items)
    assert [type(i) for i in items if not isinstance(i, Gap)] == [BookResynced, OrderBook]
    after = items[-1]
    assert isinstance(after, OrderBook) and levels(after) == served(sim, BTC)
    old = {p for p, _ in levels(before)[0] + levels(before)[1]}
    new = {p for p, _ in levels(after)[0] + levels(after)[1]}
    assert old - new, "the test needs levels the new snapshot does not have"
    assert stream.is_valid(BTC) and stream.channel.books.version(BTC) == FIRST_VERSION


async def test_is_valid_is_false_before_the_first_snapshot(client: BitmartClient) -> None:
    stream = client.incremental_depth_stream(BTC)
    assert not stream.is_valid(BTC)
    with pytest.raises(KeyError):
        stream.is_valid(ETH)
    await take(stream, OrderBook)
    assert stream.is_valid(BTC)
