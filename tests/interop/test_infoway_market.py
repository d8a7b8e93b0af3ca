"""The official infoway-sdk (test-only) reads trades, candles and symbol lists from our
simulator: its REST client (base_url) for batch_trade, the POST v2 batch_kline, symbols,
symbols/info and markets, and its WebSocket client (base_url) for trade and candle pushes;
what it reads agrees with our client."""

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

KEY = "interop-market-key"


@pytest.fixture
async def sim() -> AsyncIterator[InfowaySimulator]:
    # A step every minute: calls made one after the other see the same market.
    async with InfowaySimulator(api_key=KEY, push_interval=60, rest_limit=1000) as server:
        yield server


def sdk(sim: InfowaySimulator) -> Any:
    return infoway.InfowayClient(api_key=KEY, base_url=sim.url, timeout=5, max_retries=1)


async def test_sdk_rest_trades_and_candles_match_ours(sim):
    def calls() -> tuple[Any, Any, Any]:
        with sdk(sim) as client:
            return (
                client.crypto.get_trade("BTCUSDT,ETHUSDT", parse=True),
                client.stock.get_kline("00700.HK", 1, 3, parse=True),
                client.stock.get_kline("00700.HK", 1, 3),
            )

    trades, candles, raw = await asyncio.to_thread(calls)
    async with InfowayClient(InfowayCredentials(KEY), sim.url, sim.ws_url) as ours:
        our_trades = await ours.trades("crypto", ["BTCUSDT", "ETHUSDT"])
        our_candles = await ours.candles("stock", ["00700.HK"], 1, 3)
    assert [(t["s"], t["p"], t["v"], t["t"], t["turnover"]) for t in trades] == [
        (t.symbol, t.price, t.size, t.time, t.turnover) for t in our_trades
    ]
    assert [(c["s"], c["o"], c["h"], c["l"], c["c"], c["v"], c["t"]) for c in candles] == [
        (c.symbol, c.open, c.high, c.low, c.close, c.volume, c.time) for c in our_candles
    ]
    assert raw[0]["s"] == "00700.HK" and isinstance(raw[0]["respList"][0]["t"], str)


async def test_sdk_basic_symbols_info_and_markets(sim):
    def calls() -> tuple[Any, Any, Any]:
        with sdk(sim) as client:
            return (
                client.basic.get_symbols("STOCK_US", "AAPL.US"),
                client.basic.get_symbol_info("STOCK_US", "AAPL.US"),
                client.basic.get_markets(),
            )

    symbols, info, markets = await asyncio.to_thread(calls)
    assert [row["symbol"] for row in symbols] == ["AAPL.US"]
    assert info[0]["lot_size"] == 1 and info[0]["eps"] == "6.4312345678901234567"
    assert {row["market"] for row in markets} >= {"HK", "US"}


async def test_sdk_websocket_receives_trade_and_candle_pushes():
    async with InfowaySimulator(api_key=KEY, push_interval=0.02) as sim:
        ws = infoway.InfowayWebSocket(api_key=KEY, business="crypto", base_url=sim.ws_url, parse=True)
        trades: list[dict[str, Any]] = []
        candles: list[dict[str, Any]] = []
        enough = asyncio.Event()

        async def on_trade(data: dict[str, Any]) -> None:
            trades.append(data)
            if len(trades) >= 4 and len(candles) >= 4:
                enough.set()

        async def on_kline(data: dict[str, Any]) -> None:
            candles.append(data)
            if len(trades) >= 4 and len(candles) >= 4:
                enough.set()

        ws.on_trade, ws.on_kline = on_trade, on_kline
        await ws.subscribe_trade(["BTCUSDT", "ETHUSDT"])
        await ws.subscribe_kline("BTCUSDT", 2)
        task = asyncio.create_task(ws.connect())
        try:
            await asyncio.wait_for(enough.wait(), 10)
            await ws.unsubscribe_trade(["BTCUSDT", "ETHUSDT"])
            await ws.unsubscribe_kline("BTCUSDT", 2)
            await asyncio.sleep(0.1)
        finally:
            await ws.close()
            await asyncio.wait_for(task, 10)
    assert {t["s"] for t in trades} == {"BTCUSDT", "ETHUSDT"} and all(t["p"] > 0 for t in trades)
    assert {c["ty"] for c in candles} == {2} and all(c["h"] >= c["l"] for c in candles)
    codes = [text for _, text in sim.received]
    assert any('"code": 11000' in t or '"code":11000' in t for t in codes)
    assert any('"code": 11002' in t or '"code":11002' in t for t in codes)
    assert sim.stats.closed_for_frame_limit == 0
