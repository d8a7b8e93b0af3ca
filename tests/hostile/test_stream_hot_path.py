"""The per-push path of the WebSocket streams, made cheaper (issue 12), decides exactly as before.

- BitMart v3: a frame goes to the event handling when it holds `"event"` or `"errorCode"`
  anywhere, and to the data decode otherwise; the protocol rules most data frames out with a
  cheap look for the letters "v" and "r" first. Frames that hold those letters, the words, or
  both, in keys, values, nested entries or whitespace-padded JSON, must route as the plain
  word search routes them.
- `WsStream`: several items of one message are delivered in order and none is held back when
  the socket goes quiet; a bad message between good ones is a DecodeFailure counted once;
  items are counted as yielded, messages as received.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from typing import Any

import pytest
from aiohttp import web

from tests.hostile.peers import ws_peer
from tests.transport.toy import ToyProtocol
from venuewire.bitmart.protocol import SpotDepthProtocol
from venuewire.errors import DecodeError
from venuewire.events import DecodeFailure
from venuewire.models import OrderBook
from venuewire.transport import Reaction, WsStream

pytestmark = pytest.mark.timeout(30)

T0 = 1631044962431


def entry(symbol: str = "BTC_USDT", **more: Any) -> dict[str, Any]:
    return {"asks": [["101.5", "2"]], "bids": [["100.5", "3"]], "ms_t": T0, "symbol": symbol, **more}


def push(*entries: dict[str, Any], **more: Any) -> bytes:
    return json.dumps({"table": "spot/depth5", "data": list(entries) or [entry()], **more}).encode()


FRAMES: list[bytes] = [
    push(),  # no "v", no "r": ruled out by the letters
    push(entry("VRA_USDT")),  # capitals only
    push(entry("rvn_usdt")),  # both letters, neither word
    push(entry(event="x")),  # "event" inside an entry: not at the top level, so data
    push(entry(errorCode=0)),
    push(event="subscribe"),  # a data frame with an event key at the top level
    push(errorCode=30039),
    b'{"event":"subscribe","topic":"spot/depth5:BTC_USDT"}',
    b'{ "event" : "unsubscribe", "topic" : "spot/depth5:BTC_USDT" }',
    b'{"event":"error","errorCode":30039,"message":"unrecognized request"}',
    b'{"errorCode":92001,"errorMessage":"invalid symbol"}',
    b'{"errorCode":"0"}',
    b'{"event":"surprise"}',
    b'{"event":5}',
    b'{"event":"login"}',
    b'"event"',  # the word, but no JSON object
    b'["errorCode"]',
    b"not json, but with v and r",
    b"{}",
]


def outcome(reaction: Reaction[Any], protocol: SpotDepthProtocol) -> tuple[Any, ...]:
    """What a reaction amounts to: item kinds (a DecodeFailure by its error's message and
    path), books by their symbol, frames sent, the fatal error, and the protocol's counters."""
    items: list[Any] = []
    for item in reaction.items:
        if isinstance(item, DecodeFailure):
            items.append(("failure", type(item.error), str(item.error), item.error.field_path, item.raw))
        else:
            assert isinstance(item, OrderBook)
            items.append(("book", item.symbol, str(item.bids[0].price)))
    fatal = None if reaction.fatal is None else (type(reaction.fatal), str(reaction.fatal))
    return (items, list(reaction.send), fatal, reaction.reconnect, protocol.acks, protocol.pongs, protocol.state)


def by_words(protocol: SpotDepthProtocol, text: bytes) -> Reaction[OrderBook]:
    """The routing rule as a plain word search (what `receive` did before the letters)."""
    if b'"event"' in text or b'"errorCode"' in text:
        return protocol._event(text)
    return protocol._data(text)


@pytest.mark.parametrize("deflated", [True, False], ids=["binary", "text"])
@pytest.mark.parametrize("frame", FRAMES, ids=[f.decode()[:40] for f in FRAMES])
def test_v3_frames_route_as_the_word_search_routes_them(frame: bytes, deflated: bool) -> None:
    ours, reference = (SpotDepthProtocol("ws://x", "BTC_USDT") for _ in range(2))
    ours.opening(), reference.opening()
    if deflated:
        packer = zlib.compressobj(wbits=-15)
        data: bytes | str = packer.compress(frame) + packer.flush()
    else:
        data = frame.decode()
    assert outcome(ours.receive(data), ours) == outcome(by_words(reference, frame), reference)


def test_the_routing_cases_cover_both_ways() -> None:
    routes = {b'"event"' in f or b'"errorCode"' in f for f in FRAMES}
    letters = {f.find(b"v") >= 0 or f.find(b"r") >= 0 for f in FRAMES}
    assert routes == letters == {True, False}


class Batches(ToyProtocol):
    """A protocol whose message "a,b,c" is three items, "bad" a DecodeFailure."""

    def receive(self, data: str | bytes) -> Reaction[str]:
        text = data if isinstance(data, str) else data.decode()
        if text == "bad":
            return Reaction(items=[DecodeFailure(DecodeError("test", "batch", (), "bad"), b"bad")])
        return Reaction(items=list(text.split(",")))

    def heartbeat(self) -> tuple[float, str | bytes] | None:
        return None


async def test_several_items_a_message_in_order_and_none_held_back_when_quiet() -> None:
    release = asyncio.Event()

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()  # the opening
        for i in range(300):  # one burst: many messages per socket read
            await ws.send_str(f"{i}a,{i}b,{i}c")
        await ws.send_str("bad")
        await ws.send_str("last,one")
        await release.wait()  # then quiet, the connection open

    async with ws_peer(handler) as peer:
        stream: WsStream[str] = WsStream(Batches(peer.ws_url), reconnect=False, idle_timeout=30)
        try:
            got: list[object] = []
            async with asyncio.timeout(10):
                async for item in stream:
                    got.append(item)
                    if item == "one":
                        break
            assert got[:900] == [f"{i}{x}" for i in range(300) for x in "abc"]
            assert isinstance(got[900], DecodeFailure) and got[901:] == ["last", "one"]
            assert stream.stats.received == 302 and stream.stats.yielded == 903
            assert stream.stats.decode_errors == 1 and stream.dropped == 0
        finally:
            release.set()
            await stream.aclose()
