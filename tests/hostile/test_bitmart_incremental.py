"""BitMart's incremental depth stream against hostile peers on 127.0.0.1: a bad entry is a
`DecodeFailure` that is never applied (the next update then shows as a typed `BookGap` and a
snapshot is requested), a refused subscription ends the stream with the typed error, and a
peer that goes away ends it with a `VenueError`, never silently."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.hostile.peers import ws_peer
from tests.hostile.test_bitmart import WAIT, Script, client_of, wire
from venuewire.errors import ConnectionLost, InvalidRequest, VenueError
from venuewire.events import BookGap, BookGapCause, DecodeFailure
from venuewire.models import OrderBook
from venuewire.sim.bitmart import deflate

pytestmark = pytest.mark.timeout(30)

TABLE = "spot/depth/increase100"
TOPIC = f"{TABLE}:BTC_USDT"


def entry(kind: str, number: int | str, **changes: Any) -> bytes:
    data = {"asks": [["101", "1"]], "bids": [["100", "2"]], "ms_t": 1703376836487, "symbol": "BTC_USDT"}
    return deflate(wire({"table": TABLE, "data": [{**data, "type": kind, "version": number, **changes}]}))


async def take(stream: Any, count: int) -> list[Any]:
    return [await asyncio.wait_for(anext(stream), WAIT) for _ in range(count)]


@pytest.mark.parametrize(
    "bad",
    [
        entry("update", 11, bids=[["NaN", "1"]]),
        entry("update", 11, asks=[["101", "-Infinity"]]),
        entry("update", 11, ms_t=10**17),
        entry("update", "11"),
        entry("delta", 11),
        b"\xff\xfe not deflate",
        deflate(b'{"table":"spot/depth/increase100","data":[{'),
    ],
)
async def test_a_bad_entry_is_not_applied_and_the_next_update_is_a_gap(bad: bytes) -> None:
    script = Script(entry("snapshot", 10), bad, entry("update", 12))
    async with ws_peer(script) as peer, client_of(peer) as client:
        stream = client.incremental_depth_stream("BTC_USDT")
        book, failure, gap = await take(stream, 3)
        assert isinstance(book, OrderBook) and isinstance(failure, DecodeFailure)
        assert gap == BookGap("BTC_USDT", expected=11, received=12, cause=BookGapCause.GAP)
        assert not stream.is_valid("BTC_USDT")
        for _ in range(200):
            if len(script.received) >= 2:
                break
            await asyncio.sleep(0.01)
        assert json.loads(script.received[0]) == {"op": "subscribe", "args": [TOPIC]}
        assert json.loads(script.received[1]) == {"op": "request", "args": [TOPIC]}


async def test_a_refused_incremental_subscription_ends_the_stream_with_invalid_request() -> None:
    refusal = deflate(wire({"event": "error", "message": "Unrecognized request: x", "errorCode": 30039}))
    async with ws_peer(Script(refusal)) as peer, client_of(peer, reconnect=True) as client:
        stream = client.incremental_depth_stream("BTC_USDT")
        with pytest.raises(InvalidRequest) as caught:
            await take(stream, 3)
        assert "Unrecognized request" in str(caught.value)


async def test_a_peer_going_away_ends_the_stream_with_a_venue_error_not_silently() -> None:
    async with ws_peer(Script(entry("snapshot", 10), then=lambda: asyncio.sleep(0))) as peer, client_of(peer) as client:
        stream = client.incremental_depth_stream("BTC_USDT")
        [book] = await take(stream, 1)
        assert isinstance(book, OrderBook)
        with pytest.raises(VenueError) as caught:
            await take(stream, 3)
        assert isinstance(caught.value, ConnectionLost)
