"""The official clients against a replay: futu-api's OpenQuoteContext, the BitMart SDK's
SpotSocketClient and infoway-sdk's REST client. Each session is recorded through the proxy
against our simulator, replayed, and the official client reads the same messages again; a
capture of our own client, replayed to the official one, gives it the messages ours decoded."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from venuewire.capture.format import CaptureWriter
from venuewire.credentials import InfowayCredentials
from venuewire.infoway import InfowayClient
from venuewire.replay import Replay
from venuewire.sim.infoway import InfowaySimulator
from venuewire.sim.opend import OpenDSimulator

from ..bitmart.test_interop_sdk import Inbox, OnePingSpotClient, depth_pushes
from ..interop.test_futu_official_client import (
    OpenQuoteContext,
    Recorder,
    SubType,
    futu_globals,  # noqa: F401 - the fixture, used by name
    wait_until,
)
from .recording import OpenDRecorder, WebRecorder
from .test_web_replay import bitmart_session, record_bitmart

infoway = pytest.importorskip("infoway")

pytestmark = [pytest.mark.interop, pytest.mark.timeout(90), pytest.mark.filterwarnings("ignore:setDaemon")]

PUSHES = 3


# -- futu-api -----------------------------------------------------------------------------------------


def futu_session(port: int) -> tuple[Any, list[Any]]:
    """OpenQuoteContext: subscribe HK.00700 to ORDER_BOOK, get_order_book, PUSHES pushes."""
    from futu import RET_OK
    from futu.common.constant import ContextStatus

    ctx = OpenQuoteContext(host="127.0.0.1", port=port, is_async_connect=True)
    try:
        wait_until(lambda: ctx.status == ContextStatus.READY, 20, "InitConnect")
        recorder = Recorder()
        assert ctx.set_handler(recorder) == RET_OK
        ret, message = ctx.subscribe(["HK.00700"], [SubType.ORDER_BOOK])
        assert ret == RET_OK, message
        ret, book = ctx.get_order_book("HK.00700", num=10)
        assert ret == RET_OK, book
        wait_until(lambda: len(recorder.books) >= PUSHES, 15, "order-book pushes")
        assert recorder.errors == []
        return book, recorder.books[:PUSHES]
    finally:
        ctx.close()


@pytest.mark.usefixtures("futu_globals")
async def test_futu_api_reads_the_replayed_session(tmp_path: Path) -> None:
    path = tmp_path / "futu.jsonl"
    with CaptureWriter(path) as writer:
        async with (
            OpenDSimulator(port=0, push_interval=0.05) as sim,
            OpenDRecorder(writer, sim.host, sim.port) as proxy,
        ):
            recorded = await asyncio.to_thread(futu_session, proxy.port)
    async with Replay(path, speed=1) as replay:
        replayed = await asyncio.to_thread(futu_session, replay.address_for("futu")[1])
    assert replayed == recorded
    assert replay.unanswered == []


# -- BitMart SDK ------------------------------------------------------------------------------------


async def sdk_depth(url: str) -> list[Any]:
    inbox = Inbox()
    client = await asyncio.to_thread(OnePingSpotClient, stream_url=url, on_message=inbox, timeout=5)
    try:
        client.subscribe("spot/depth5:BTC_USDT")
        await inbox.wait_for(lambda ms: len(depth_pushes(ms)) >= PUSHES)
    finally:
        await asyncio.to_thread(client.stop)
    return depth_pushes(inbox.snapshot())[:PUSHES]


async def test_bitmart_sdk_reads_the_replayed_session_and_what_our_client_read(tmp_path: Path) -> None:
    path = tmp_path / "bitmart.jsonl"
    # the SDK's ping, answered with the text pong, is in the capture
    recorded_sdk, recorded_ours = await record_bitmart(path, sdk_depth, bitmart_session)
    async with Replay(path, speed=0) as replay:
        url = replay.url_for("bitmart")
        replayed_sdk = await sdk_depth(url)
        replayed_ours = await bitmart_session(url)
        # the second recorded connection was our client's: the SDK now reads what ours read
        sdk_from_ours = await sdk_depth(url)
    assert replayed_sdk == recorded_sdk
    assert replayed_ours == recorded_ours
    assert [push.data[0] for push in sdk_from_ours] == recorded_ours  # ours keeps the data entry as `raw`
    assert replay.unanswered == []


# -- infoway-sdk REST -------------------------------------------------------------------------------

KEY = "replay-key-7c1"


def infoway_sdk_depth(url: str) -> list[dict[str, Any]]:
    with infoway.InfowayClient(api_key=KEY, base_url=url, timeout=5, max_retries=1) as client:
        parsed: list[dict[str, Any]] = client.stock.get_depth("00700.HK,AAPL.US", parse=True)
        return parsed


async def our_depth(url: str) -> list[Any]:
    async with InfowayClient(InfowayCredentials(KEY), url, timeout=5) as ours:
        return await ours.order_books("stock", ["00700.HK", "AAPL.US"])


async def test_infoway_sdk_reads_the_replayed_rest_answers(tmp_path: Path) -> None:
    path = tmp_path / "infoway.jsonl"
    with CaptureWriter(path, redact=[KEY]) as writer:
        async with (
            InfowaySimulator(api_key=KEY, push_interval=60) as sim,
            WebRecorder(writer, "infoway", sim.url) as proxy,
        ):
            recorded_sdk = await asyncio.to_thread(infoway_sdk_depth, proxy.url())
            recorded_ours = await our_depth(proxy.url())
    assert KEY.encode() not in path.read_bytes()
    async with Replay(path, speed=0) as replay:
        replayed_sdk = await asyncio.to_thread(infoway_sdk_depth, replay.url_for("infoway"))
        replayed_ours = await our_depth(replay.url_for("infoway"))
    assert replayed_sdk == recorded_sdk
    assert replayed_ours == recorded_ours
    for row, book in zip(replayed_sdk, replayed_ours, strict=True):  # both read the same books
        assert row["s"] == book.symbol and row["b"] == [(level.price, level.size) for level in book.bids]
    assert replay.unanswered == []
