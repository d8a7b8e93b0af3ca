"""A consumer that keeps up loses nothing to a burst, whatever its buffer: the reader hands
items over every `min(32, buffer // 2)` (at least 1) while one waits, so even a buffer of 2
never overflows while thousands of messages arrive in a few socket reads."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web

from tests.hostile.peers import ws_peer
from tests.transport.test_ws_stream import Numbers
from venuewire.transport import WsStream

pytestmark = pytest.mark.timeout(30)


@pytest.mark.parametrize("buffer", [2, 3, 4, 7, 16, 64, 1024])
async def test_a_consumer_that_keeps_up_loses_nothing_whatever_its_buffer(buffer: int) -> None:
    done = asyncio.Event()

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()  # the opening
        for i in range(3000):  # written in one go: read back in a few large socket reads
            await ws.send_str(json.dumps({"n": i}))
        await done.wait()

    async with ws_peer(handler) as peer:
        seen: list[object] = []
        stream: WsStream[int] = WsStream(Numbers(peer.ws_url), reconnect=False, buffer=buffer)
        try:
            async with asyncio.timeout(20):
                async for item in stream:
                    seen.append(item)
                    if item == 2999:  # the newest is always kept, so this ends
                        break
        finally:
            done.set()
            await stream.aclose()
    assert stream.dropped == 0
    assert seen == list(range(3000))
