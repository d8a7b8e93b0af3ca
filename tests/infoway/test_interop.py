"""The official infoway-sdk (`infoway` package, test-only) against our simulator: its REST
client takes a base URL and its WebSocket client a base WebSocket URL, so both run unchanged
against `InfowaySimulator` on 127.0.0.1, and what they read agrees with our client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from venuewire.credentials import InfowayCredentials
from venuewire.infoway import InfowayClient
from venuewire.sim.infoway import InfowaySimulator

infoway = pytest.importorskip("infoway")

pytestmark = [pytest.mark.interop, pytest.mark.timeout(30)]

KEY = "interop-key"


@pytest.fixture
async def sim() -> AsyncIterator[InfowaySimulator]:
    # A step every minute: REST calls made one after the other see the same books.
    async with InfowaySimulator(api_key=KEY, push_interval=60, rest_limit=1000) as server:
        yield server


def sdk_client(sim: InfowaySimulator, key: str = KEY) -> Any:
    return infoway.InfowayClient(api_key=key, base_url=sim.url, timeout=5, max_retries=1)


async def test_sdk_rest_depth_matches_our_books(sim):
    def sdk_depth() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        with sdk_client(sim) as client:
            return (
                client.stock.get_depth("00700.HK,AAPL.US", parse=True),
                client.stock.get_depth("00700.HK,AAPL.US"),
            )

    parsed, raw = await asyncio.to_thread(sdk_depth)
    async with InfowayClient(InfowayCredentials(KEY), sim.url, sim.ws_url) as ours:
        books = await ours.order_books("stock", ["00700.HK", "AAPL.US"])
    assert [row["s"] for row in parsed] == [b.symbol for b in books] == ["00700.HK", "AAPL.US"]
    for row, book in zip(parsed, books, strict=True):
        assert row["t"] == book.timestamp
        assert row["a"] == [(level.price, level.size) for level in book.asks]  # "a" is the ask side
        assert row["b"] == [(level.price, level.size) for level in book.bids]
    assert set(raw[0]) == {"s", "t", "a", "b"} and isinstance(raw[0]["a"][0][0], str)


async def test_sdk_sees_our_errors_as_its_own_typed_errors(sim):
    def calls() -> list[type[BaseException]]:
        seen: list[type[BaseException]] = []
        for key, market, codes in ((KEY + "x", "stock", "00700.HK"), (KEY, "stock", "NOPE")):
            with sdk_client(sim, key) as client:
                try:
                    getattr(client, market).get_depth(codes)
                except Exception as exc:
                    seen.append(type(exc))
        return seen

    auth, not_found = await asyncio.to_thread(calls)
    assert issubclass(auth, infoway.InfowayAuthError)
    assert issubclass(not_found, infoway.InfowayAPIError)


async def test_sdk_rate_limit_detail_body_is_its_rate_limit_error():
    async with InfowaySimulator(api_key=KEY, rest_limit=1, rest_window_s=60, rate_limit_reply="detail") as sim:

        def calls() -> BaseException | None:
            with sdk_client(sim) as client:
                client.crypto.get_depth("BTCUSDT")
                try:
                    client.crypto.get_depth("BTCUSDT")
                except Exception as exc:
                    return exc
            return None

        error = await asyncio.to_thread(calls)
    assert isinstance(error, infoway.InfowayRateLimitError)


async def test_sdk_websocket_subscribes_and_receives_depth_pushes():
    async with InfowaySimulator(api_key=KEY, push_interval=0.02) as sim:
        ws = infoway.InfowayWebSocket(api_key=KEY, business="crypto", base_url=sim.ws_url, parse=True)
        got: list[dict[str, Any]] = []
        enough = asyncio.Event()

        async def on_depth(data: dict[str, Any]) -> None:
            got.append(data)
            if len(got) >= 6:
                enough.set()

        ws.on_depth = on_depth
        await ws.subscribe_depth(["BTCUSDT", "ETHUSDT"])
        task = asyncio.create_task(ws.connect())
        try:
            await asyncio.wait_for(enough.wait(), 10)
        finally:
            await ws.close()
            await asyncio.wait_for(task, 10)
    assert {row["s"] for row in got} == {"BTCUSDT", "ETHUSDT"}
    first = got[0]
    assert first["a"][0][0] > first["b"][0][0]  # parsed: [(price, qty), ...], asks above bids
    assert sim.stats.closed_for_frame_limit == 0
    subscribes = [text for _, text in sim.received if '"code":10003' in text.replace(" ", "")]
    assert len(subscribes) == 1  # the SDK merges the codes into one frame, as we do


async def test_sdk_websocket_wrong_key_is_refused_at_the_handshake():
    async with InfowaySimulator(api_key=KEY) as sim:
        ws = infoway.InfowayWebSocket(api_key="nope", business="crypto", base_url=sim.ws_url)
        with pytest.raises(infoway.InfowayAuthError):
            await asyncio.wait_for(ws.connect(), 10)
