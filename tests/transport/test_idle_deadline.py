"""The WebSocket idle timeout (one re-armed timer per connection, not a timeout per message):
steady messages spaced below the timeout never trip it, however long the stream runs; a
silence as long as the timeout ends the connection with ConnectionLost; closing the stream
while it waits is a clean close, not a timeout."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

import venuewire
from tests.hostile.peers import ws_peer
from tests.transport.test_ws_stream import Numbers
from venuewire.transport import WsStream

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def ticker() -> AsyncIterator[str]:
    """A server that sends {"n": i} every 0.1 s for i < 12, then stays silent."""

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()  # the opening
        for i in range(12):
            await ws.send_str(f'{{"n": {i}}}')
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)

    async with ws_peer(handler) as peer:
        yield peer.ws_url


async def test_steady_messages_never_trip_the_idle_timeout_and_silence_does(ticker: str) -> None:
    stream = WsStream(Numbers(ticker), reconnect=False, idle_timeout=0.35)
    try:
        started = time.monotonic()
        got = [await asyncio.wait_for(anext(stream), 5) for _ in range(12)]
        assert got == list(range(12))
        assert time.monotonic() - started > 1.0  # several idle periods went by without a trip
        silent = time.monotonic()
        with pytest.raises(venuewire.ConnectionLost, match=r"nothing received for 0\.35 s"):
            await asyncio.wait_for(anext(stream), 5)
        assert 0.2 < time.monotonic() - silent < 3
    finally:
        await stream.aclose()


async def test_closing_while_waiting_is_a_clean_close(ticker: str) -> None:
    stream = WsStream(Numbers(ticker), reconnect=False, idle_timeout=5)
    assert await asyncio.wait_for(anext(stream), 5) == 0
    await asyncio.wait_for(stream.aclose(), 5)
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(stream), 5)
