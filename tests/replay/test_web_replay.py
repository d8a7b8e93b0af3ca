"""BitMart (WebSocket depth, raw-DEFLATE binary frames), Infoway (REST and WebSocket depth) and
CoinW (signed REST): a session of our client against our simulator, recorded through the proxy,
replayed; the same client decodes the same typed messages from the replay."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from venuewire.bitmart.client import BitmartClient
from venuewire.capture import CaptureTarget
from venuewire.capture.format import CaptureWriter, read_capture
from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials, InfowayCredentials
from venuewire.events import StreamEvent
from venuewire.infoway import InfowayClient
from venuewire.replay import Replay
from venuewire.sim import coinw as coinw_sim
from venuewire.sim import infoway as infoway_sim
from venuewire.sim.bitmart import BitmartSimulator

from .recording import WebRecorder

pytestmark = pytest.mark.timeout(60)

BOOKS = 3
T = TypeVar("T")


async def first_books(stream: AsyncIterator[Any], count: int = BOOKS) -> list[Any]:
    """The typed messages (`raw`) of the first `count` books of a depth stream."""
    out = []
    async with asyncio.timeout(20):
        async for item in stream:
            if isinstance(item, StreamEvent):
                continue
            out.append(item.raw)
            if len(out) == count:
                break
    return out


async def bitmart_session(url: str, capture: CaptureTarget = None) -> list[Any]:
    async with BitmartClient(url=url, reconnect=False, timeout=5, capture=capture) as client:
        return await first_books(client.depth_stream("BTC_USDT", levels=5))


async def record_bitmart(path: Path, *sessions: Callable[[str], Awaitable[T]]) -> list[T]:
    """Run each session against our BitMart simulator through the recording proxy (the v3
    public socket's URL); what each returned."""
    with CaptureWriter(path) as writer:
        async with (
            BitmartSimulator(port=0, push_interval=0.05) as sim,
            WebRecorder(writer, "bitmart", sim.address("http")) as proxy,
        ):
            return [await session(sim.url.replace(f":{sim.port}", f":{proxy.port}")) for session in sessions]


async def test_bitmart_depth_stream_replays_the_recorded_frames(tmp_path: Path) -> None:
    path = tmp_path / "bitmart.jsonl"
    [recorded] = await record_bitmart(path, bitmart_session)
    capture = read_capture(path)
    assert any(r.transport == "ws-binary" for r in capture.records)  # the deflated pushes, as sent
    async with Replay(capture, speed=0) as replay:
        replayed = await bitmart_session(replay.url_for("bitmart"))
    assert replayed == recorded
    assert replay.unanswered == []


async def infoway_session(url: str, ws_url: str, capture: CaptureTarget = None) -> tuple[list[Any], list[Any]]:
    credentials = InfowayCredentials(infoway_sim.DEFAULT_API_KEY)
    async with InfowayClient(credentials, url, ws_url, timeout=5, capture=capture) as client:
        rest = await client.batch_depth("stock", ["00700.HK", "TSLA.US"])
        books = await first_books(client.depth_stream("crypto", ["BTCUSDT"]))
        return [rest], books


async def test_infoway_rest_and_depth_stream_replay(tmp_path: Path) -> None:
    path = tmp_path / "infoway.jsonl"
    with CaptureWriter(path, redact=[infoway_sim.DEFAULT_API_KEY]) as writer:
        async with (
            infoway_sim.InfowaySimulator(port=0, push_interval=0.05) as sim,
            WebRecorder(writer, "infoway", sim.url) as proxy,
        ):
            recorded = await infoway_session(proxy.url(), sim.ws_url.replace(f":{sim.port}", f":{proxy.port}"))
    capture = read_capture(path)
    assert infoway_sim.DEFAULT_API_KEY.encode() not in path.read_bytes()
    async with Replay(capture, speed=0) as replay:
        base = replay.url_for("infoway")
        [ws] = [u for u in replay.endpoints("infoway") if u.startswith("ws://")]
        replayed = await infoway_session(base, ws.split("?")[0])
    assert replayed == recorded
    assert replay.unanswered == []


async def coinw_session(url: str, capture: CaptureTarget = None) -> list[Any]:
    credentials = CoinwCredentials(coinw_sim.DEFAULT_API_KEY, coinw_sim.DEFAULT_SECRET)
    async with CoinwClient(credentials, url, timeout=5, capture=capture) as client:
        plan = await client.get_open_orders("plan", source_ids=["33308753605637070"], instrument="btc")
        execute = await client.get_open_orders("execute")
        return [plan, execute]


async def test_coinw_signed_rest_replays_with_fresh_signatures(tmp_path: Path) -> None:
    path = tmp_path / "coinw.jsonl"
    secrets = [coinw_sim.DEFAULT_API_KEY, coinw_sim.DEFAULT_SECRET]
    with CaptureWriter(path, redact=secrets) as writer:
        async with coinw_sim.CoinwSimulator(port=0) as sim, WebRecorder(writer, "coinw", sim.url) as proxy:
            recorded = await coinw_session(proxy.url())
    async with Replay(path, speed=0) as replay:
        replayed = await coinw_session(replay.url_for("coinw"))  # new timestamps and signatures
    assert replayed == recorded
    assert replay.unanswered == []
