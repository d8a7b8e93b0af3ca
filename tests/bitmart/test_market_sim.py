"""The BitMart market-data streams end to end against the simulator on 127.0.0.1: each
stream's items equal what the simulator's tape and books serve, trades follow the book,
candles are built from the trades, reconnects resubscribe, unsubscribe stops the pushes,
bad frames and silence are events. Ticks are driven by hand (`sim.push_now()`); every wait
is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import zlib
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any, TypeVar

import aiohttp
import pytest

from tests.bitmart import test_incremental_sim as depth_tests
from tests.bitmart.test_client import take
from venuewire import sync
from venuewire.bitmart import BitmartMarketStream, SpotTradeProtocol
from venuewire.bitmart.market import KLINE_STEPS
from venuewire.events import DecodeFailure, Fresh, Gap, Stale
from venuewire.generated.bitmart.spot_market_subscribe import MarketOp
from venuewire.models import Candle, Quote, Trade
from venuewire.sim.bitmart import (
    ERROR_INVALID_REQUEST,
    TAPE_STEP_MS,
    BitmartSimulator,
    Fault,
    MarketTape,
    kline_period_s,
    spot_generator,
)

pytestmark = pytest.mark.timeout(30)

WAIT = 5.0
BTC = "BTC_USDT"
ETH = "ETH_USDT"
T = TypeVar("T")


# The simulator (ticks only by `sim.push_now()`) and client fixtures are those of the
# incremental depth tests, `take(stream, count, kind)` that of the client tests.
sim = depth_tests.sim
client = depth_tests.client


async def start(stream: AsyncIterator[Any], sim: BitmartSimulator, topics: int = 1) -> None:
    """Connect `stream` (it connects on its first `anext`) and wait until it has subscribed,
    consuming no item (the channels used push nothing before the first tick)."""
    probe = asyncio.ensure_future(anext(stream))
    try:
        await subscribed(sim, topics)
    finally:
        probe.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            assert await probe is None, "an item was consumed"


async def subscribed(sim: BitmartSimulator, topics: int = 1, connections: int = 1) -> None:
    """Until the simulator has received `topics` subscribe topics on `connections` connections."""
    for _ in range(int(WAIT / 0.01)):
        frames = [json.loads(text) for where, text in sim.received if where == "spot" and text.startswith("{")]
        subs = [f for f in frames if f.get("op") == "subscribe"]
        if sum(len(f["args"]) for f in subs) >= topics * connections:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the subscription never arrived")


def tape(sim: BitmartSimulator, symbol: str) -> MarketTape:
    return sim.state.tape(symbol)


# ---------------------------------------------------------------- the tape itself (pure)


def test_the_tape_is_a_pure_function_of_pair_and_step_and_follows_the_book():
    one, two = MarketTape(spot_generator(BTC), 0), MarketTape(spot_generator(BTC), 0)
    assert [one.trade_at(s) for s in range(1, 60)] == [two.trade_at(s) for s in range(1, 60)]
    book = spot_generator(BTC)
    sides = set()
    for step in range(1, 60):
        trade = one.trade_at(step)
        bids, asks = book.snapshot(step)
        best = asks[0] if trade.side == "buy" else bids[0]
        assert trade.price == best[0] and 0 < trade.size <= best[1]
        assert trade.ms == step * TAPE_STEP_MS
        sides.add(trade.side)
    assert sides == {"buy", "sell"}


def test_candles_are_built_from_the_tapes_trades():
    feed = MarketTape(spot_generator(ETH), 0)
    trades = feed.upto(150)
    candle = feed.candle("1m", 150)
    assert candle is not None
    start = candle.candle[0]
    inside = [t for t in trades if t.ms // 1000 >= start]
    assert start == 120 and [t.step for t in inside] == list(range(120, 151))
    assert candle.candle[1:] == (
        inside[0].price,
        max(t.price for t in inside),
        min(t.price for t in inside),
        inside[-1].price,
        sum(t.size for t in inside),
    )
    assert MarketTape(spot_generator(ETH), 0).candle("1m", 0) is None  # no trade yet
    assert [kline_period_s(s) for s in ("1m", "45m", "4H", "1D", "1W")] == [60, 2700, 14400, 86400, 604800]
    for step in KLINE_STEPS:
        assert kline_period_s(step) > 0


# ---------------------------------------------------------------- each stream


async def test_the_quote_stream_yields_tickers_then_the_book_tickers_of_the_simulated_book(sim, client):
    stream = client.quote_stream([BTC, ETH])
    quotes = await take(stream, 4, Quote)
    assert [q.symbol for q in quotes] == [BTC, ETH, BTC, ETH]
    for quote in quotes:
        expected = tape(sim, quote.symbol).ticker(sim.step)
        bids, asks = sim.spot_book(quote.symbol).snapshot(sim.step)
        assert (quote.price, quote.open, quote.high, quote.low) == (
            expected.last_price,
            expected.open_24h,
            expected.high_24h,
            expected.low_24h,
        )
        assert (quote.bid, quote.bid_size, quote.ask, quote.ask_size) == (
            bids[0][0],
            bids[0][1],
            asks[0][0],
            asks[0][1],
        )
    sim.push_now()
    moved = await take(stream, 4, Quote)
    bids, asks = sim.spot_book(BTC).snapshot(sim.step)
    last_btc = [q for q in moved if q.symbol == BTC][-1]
    assert (last_btc.bid, last_btc.ask) == (bids[0][0], asks[0][0])
    assert last_btc.price == tape(sim, BTC).trade_at(sim.step).price  # the tape's latest trade
    assert stream.channel.waiting == 0


async def test_the_ticker_stream_follows_the_tapes_24_hour_window(sim, client):
    stream = client.ticker_stream(BTC)
    (first,) = await take(stream, 1, Quote)
    assert first.volume == 0 and first.price == first.open  # no trade yet at step 0
    for _ in range(3):
        sim.push_now()
    *_, quote = await take(stream, 3, Quote)
    trades = tape(sim, BTC).upto(sim.step)
    assert len(trades) == 3
    assert quote.price == trades[-1].price and quote.open == quote.prev_close == trades[0].price
    assert quote.volume == sum(t.size for t in trades)
    assert quote.turnover == sum(t.price * t.size for t in trades)
    assert quote.updated_at is not None


async def test_the_trade_stream_yields_every_trade_of_the_tape_once(sim, client):
    stream = client.trade_stream([BTC, ETH])
    await start(stream, sim, 2)
    for _ in range(4):
        sim.push_now()
    trades = await take(stream, 8, Trade)
    for symbol in (BTC, ETH):
        mine = [t for t in trades if t.symbol == symbol]
        served = tape(sim, symbol).upto(sim.step)
        assert [(t.price, t.size, t.side) for t in mine] == [(s.price, s.size, s.side) for s in served]
        assert [int(t.time.timestamp() * 1000) for t in mine if t.time] == [s.ms for s in served]


async def test_the_candle_stream_yields_the_current_candle_built_from_the_trades(sim, client):
    stream = client.candle_stream(ETH, "1m")
    await start(stream, sim)
    for _ in range(3):
        sim.push_now()
    *_, candle = await take(stream, 3, Candle)
    served = tape(sim, ETH).candle("1m", sim.step)
    assert served is not None
    assert (candle.interval, candle.symbol) == ("1m", ETH)
    assert int(candle.time.timestamp()) == served.candle[0] if candle.time else False
    assert (candle.open, candle.high, candle.low, candle.close, candle.volume) == served.candle[1:]
    assert candle.turnover is None


@pytest.mark.parametrize("step", ["1H", "1W", "1M"])
async def test_every_step_is_served(sim, client, step):
    stream = client.candle_stream(BTC, step)
    await start(stream, sim)
    sim.push_now()
    (candle,) = await take(stream, 1, Candle)
    assert candle.interval == step
    assert sim.received[-1][1] != ""  # the frame went to the simulator's v3 socket
    assert any(f"spot/kline{step}:{BTC}" in text for _, text in sim.received)


# ---------------------------------------------------------------- reconnect, unsubscribe, faults


async def test_a_reconnect_is_a_gap_and_every_topic_is_subscribed_again(sim, client):
    stream = client.trade_stream(BTC)
    await start(stream, sim)
    sim.push_now()
    await take(stream, 1, Trade)
    await sim.drop_connections()
    (gap,) = await take(stream, 1, Gap)
    assert stream.gaps == [gap]
    await subscribed(sim, 1, connections=2)
    sim.push_now()
    again, after = await take(stream, 2, Trade)  # the latest trade on subscribing [guess], then the new one
    assert (again.price, after.price) == (tape(sim, BTC).trade_at(1).price, tape(sim, BTC).trade_at(2).price)
    subscribes = [text for where, text in sim.received if where == "spot" and '"subscribe"' in text]
    assert subscribes == [json.dumps({"op": "subscribe", "args": [f"spot/trade:{BTC}"]}, separators=(",", ":"))] * 2


async def test_the_quote_stream_forgets_its_quotes_on_reconnect(sim, client):
    stream = client.quote_stream(BTC)
    await take(stream, 2, Quote)
    await sim.drop_connections()
    await take(stream, 1, Gap)
    assert stream.channel.latest == {} or stream.channel.latest[BTC].raw is not None
    (quote,) = await take(stream, 1, Quote)
    assert quote.volume == tape(sim, BTC).ticker(sim.step).base_volume_24h


async def test_unsubscribe_stops_every_market_channel(sim):
    topics = [f"spot/ticker:{BTC}", f"spot/bookTicker:{BTC}", f"spot/trade:{BTC}", f"spot/kline5m:{BTC}"]
    proto = SpotTradeProtocol(sim.url, BTC)
    unsubscribe = json.loads(proto.unsubscribe_frames[0])
    assert unsubscribe == {"op": MarketOp.unsubscribe.value, "args": [f"spot/trade:{BTC}"]}
    async with aiohttp.ClientSession() as session, session.ws_connect(sim.url) as ws:
        await ws.send_str(json.dumps({"op": "subscribe", "args": topics}))
        sim.push_now()
        seen = await frames(ws, 0.5)
        assert {f.get("topic") for f in seen if f.get("event") == "subscribe"} == set(topics)
        assert {f.get("table") for f in seen} >= {"spot/ticker", "spot/bookTicker", "spot/trade", "spot/kline5m"}
        await ws.send_str(json.dumps({"op": "unsubscribe", "args": topics}))
        drained = await frames(ws, 0.3)
        assert {f.get("topic") for f in drained if f.get("event") == "unsubscribe"} == set(topics)
        sim.push_now()
        assert await frames(ws, 0.3) == []


async def test_refused_market_topics_get_the_registrys_error(sim):
    async with aiohttp.ClientSession() as session, session.ws_connect(sim.url) as ws:
        for args in (["spot/kline2m:BTC_USDT"], [f"spot/trade:S{i}_USDT" for i in range(21)]):
            await ws.send_str(json.dumps({"op": "subscribe", "args": args}))
            (error,) = await frames(ws, 0.3)
            assert error["event"] == "error" and error["errorCode"] == ERROR_INVALID_REQUEST


async def test_garbage_frames_are_decode_failures_and_the_stream_goes_on(sim, client):
    stream = client.trade_stream(BTC)
    await start(stream, sim)
    sim.faults.add(Fault.GARBAGE_FRAME)
    sim.push_now()
    (bad,) = await take(stream, 1, DecodeFailure)
    assert bad.error.venue == "bitmart" and bad.error.message_name == "spot_trade"
    sim.faults.discard(Fault.GARBAGE_FRAME)
    sim.push_now()
    (trade,) = await take(stream, 1, Trade)
    assert trade.price == tape(sim, BTC).trade_at(sim.step).price
    assert stream.stats.decode_errors == 1


async def test_a_silent_symbol_is_stale_then_fresh(sim):
    channel = SpotTradeProtocol(sim.url, [BTC, ETH])
    async with BitmartMarketStream(channel, stale_after=0.2, reconnect_after=30, backoff_initial=0.05) as stream:
        await start(stream, sim, 2)
        sim.push_now()
        await take(stream, 2, Trade)  # one trade a pair: now each pair is watched on its own
        events = await take(stream, 2, Stale)
        assert {e.subscription for e in events} == {BTC, ETH}
        sim.push_now()
        (fresh,) = await take(stream, 1, Fresh)
        assert fresh.subscription in {BTC, ETH}


def test_the_sync_facade_streams_quotes_trades_and_candles():
    with sync.serve(BitmartSimulator(port=0, push_interval=0.05)) as sim, sync.BitmartClient(url=sim.url) as client:
        for stream, kind in (
            (client.quote_stream(BTC), Quote),
            (client.ticker_stream(BTC), Quote),
            (client.trade_stream(BTC), Trade),
            (client.candle_stream(BTC, "3m"), Candle),
        ):
            with stream:
                item = next(i for i in stream if isinstance(i, kind))
                assert item.symbol == BTC and isinstance(getattr(item, "price", Decimal(0)), Decimal)


async def frames(ws: aiohttp.ClientWebSocketResponse, quiet: float) -> list[dict[str, Any]]:
    """Every JSON frame until `quiet` s pass without one (at most 200)."""
    out: list[dict[str, Any]] = []
    for _ in range(200):
        try:
            message = await asyncio.wait_for(ws.receive(), quiet)
        except TimeoutError:
            return out
        if message.type is aiohttp.WSMsgType.BINARY:
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out.append(json.loads(inflater.decompress(message.data) + inflater.flush()))
    raise AssertionError("the frames never stopped")
