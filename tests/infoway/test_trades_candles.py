"""Infoway trades, candles and symbol lists: REST (batch_trade, batch_kline POST v2, symbols,
symbols/info, markets) and the trade and candle streams, against the simulator on 127.0.0.1;
the pure stream protocols against hostile frames (DecodeFailure naming the field, the stream
goes on) and numbers of 20+ digits kept exact."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from decimal import Decimal

import aiohttp
import pytest

from venuewire.credentials import InfowayCredentials
from venuewire.errors import DecodeError, InvalidRequest, NotFound
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.infoway.kline_body import BatchKlineBody
from venuewire.infoway import InfowayCandleProtocol, InfowayClient, InfowayTradeProtocol
from venuewire.infoway.streams import kline_unsubscribe_frame, trade_unsubscribe_frame
from venuewire.models import Candle, Trade
from venuewire.sim.infoway import BAR_STEPS, InfowaySimulator, SimState, WsSession

pytestmark = pytest.mark.timeout(30)

KEY = "InFoWaY-Trade-Key-Do-Not-Leak-321"
CREDS = InfowayCredentials(KEY)
Items = list[object]


@pytest.fixture
async def sim() -> AsyncIterator[InfowaySimulator]:
    async with InfowaySimulator(api_key=KEY, push_interval=0.02, rest_limit=1000) as server:
        yield server


def client_of(sim: InfowaySimulator) -> InfowayClient:
    return InfowayClient(CREDS, sim.url, sim.ws_url, timeout=2.0, backoff_initial=0.01, backoff_max=0.05)


async def items_until(stream: AsyncIterator[object], done: Callable[[Items], bool], within: float = 8.0) -> Items:
    seen: Items = []
    async with asyncio.timeout(within):
        while len(seen) < 5000:
            seen.append(await anext(stream))
            if done(seen):
                return seen
    raise AssertionError(f"condition not met after {len(seen)} items")


def sent(sim: InfowaySimulator, code: int) -> list[dict[str, object]]:
    frames = [json.loads(text) for _, text in sim.received if text.startswith("{")]
    return [f for f in frames if f.get("code") == code]


# -- REST --------------------------------------------------------------------------------------


async def test_trades_are_normalized_exact_and_utc(sim):
    async with client_of(sim) as client:
        trades = await client.trades("crypto", ["BTCUSDT", "ETHUSDT"])
        raw = await client.batch_trade("crypto", "BTCUSDT")
    assert [t.symbol for t in trades] == ["BTCUSDT", "ETHUSDT"]
    for trade in trades:
        assert isinstance(trade, Trade) and trade.venue == "infoway"
        assert trade.side in ("buy", "sell") and trade.time is not None and trade.time.tzinfo is UTC
        assert trade.turnover == trade.price * trade.size
        assert trade.raw is not None and trade.price == trade.raw.p  # type: ignore[attr-defined]
    assert raw.ret == 200 and raw.data is not None and raw.data[0].s == "BTCUSDT"


async def test_trades_check_arguments_and_map_venue_refusals(sim):
    async with client_of(sim) as client:
        with pytest.raises(ValueError, match="market"):
            await client.trades("moon", ["BTCUSDT"])
        with pytest.raises(ValueError, match="at most 100"):
            await client.trades("crypto", [f"C{i}USDT" for i in range(101)])
        with pytest.raises(NotFound):  # ret 508: no code of a known format
            await client.trades("crypto", ["nope"])


async def test_candles_post_a_json_body_and_come_back_newest_first(sim):
    async with client_of(sim) as client:
        await asyncio.sleep(0.05)
        candles = await client.candles("stock", ["00700.HK"], kline_type=1, count=3)
        day = await client.candles("stock", ["00700.HK", "AAPL.US"], kline_type=8, count=2)
        typed = await client.batch_kline("stock", BatchKlineBody(klineType=5, klineNum=1, codes="AAPL.US"))
    assert candles and all(isinstance(c, Candle) and c.interval == "1Min" for c in candles)
    times = [c.time for c in candles]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]
    for candle in candles:
        assert candle.low <= min(candle.open, candle.close) <= max(candle.open, candle.close) <= candle.high
        assert candle.time is not None and candle.time.tzinfo is UTC and candle.time.second == 0
    assert {c.symbol for c in day} == {"00700.HK", "AAPL.US"} and {c.interval for c in day} == {"Day"}
    assert typed.data is not None and typed.data[0].s == "AAPL.US"


@pytest.mark.parametrize(
    ("body", "ret"),
    [
        (b"not json", 506),
        (b'{"klineType":1,"codes":"BTCUSDT"}', 507),
        (b'{"klineType":1,"klineNum":5,"codes":"BTCUSDT,ETHUSDT"}', 506),
    ],
)
async def test_the_simulator_refuses_a_bad_kline_body_as_the_venue_does(sim, body, ret):
    async with aiohttp.ClientSession() as http:
        reply = await http.post(f"{sim.url}/crypto/v2/batch_kline", data=body, headers={"apiKey": KEY})
        assert reply.status == 200 and (await reply.json())["ret"] == ret


async def test_candles_refuse_bad_arguments_before_sending(sim):
    async with client_of(sim) as client:
        for kwargs in ({"kline_type": 0}, {"kline_type": 13}, {"count": 0}, {"count": 501}, {"end": -1}):
            with pytest.raises(ValueError):
                await client.candles("crypto", ["BTCUSDT"], **kwargs)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"1\.\.2"):
            await client.candles("crypto", ["BTCUSDT", "ETHUSDT"], count=3)
    assert sim.stats.rest_requests == 0


async def test_symbol_lists_are_typed(sim):
    async with client_of(sim) as client:
        listed = await client.symbols(type="STOCK_US")
        some = await client.symbols(type="STOCK_US", symbols="AAPL.US")
        info = await client.symbol_info(type="STOCK_US", symbols="AAPL.US")
        markets = await client.markets()
        with pytest.raises(InvalidRequest):
            await client.symbols(type="MARS")
    assert {e.symbol for e in listed.data or ()} >= {"AAPL.US", "TSLA.US"}
    assert [e.symbol for e in some.data or ()] == ["AAPL.US"]
    (row,) = info.data or ()
    assert row.eps == Decimal("6.4312345678901234567") and str(row.eps) == "6.4312345678901234567"  # 20 digits
    assert row.lot_size == 1
    us = {m.market: m for m in markets.data or ()}["US"]
    assert [s.type for s in us.trade_schedules] == ["PreTrade", "NormalTrade", "PostTrade"]


# -- streams -----------------------------------------------------------------------------------


async def test_trade_stream_yields_trades_that_move_over_time(sim):
    async with client_of(sim) as client, client.trade_stream("crypto", ["BTCUSDT", "ETHUSDT"]) as stream:
        seen = await items_until(stream, lambda s: sum(isinstance(i, Trade) for i in s) >= 12)
    trades = [i for i in seen if isinstance(i, Trade)]
    assert {t.symbol for t in trades} == {"BTCUSDT", "ETHUSDT"}
    assert len({t.time for t in trades}) > 2 and {t.side for t in trades} == {"buy", "sell"}
    (frame,) = sent(sim, 10000)
    assert frame["data"] == {"codes": "BTCUSDT,ETHUSDT"}
    assert stream.market.stats.acks == 1 and stream.stats.decode_errors == 0


async def test_candle_stream_yields_candles_of_the_interval(sim):
    async with client_of(sim) as client, client.candle_stream("stock", ["AAPL.US"], kline_type=2) as stream:
        seen = await items_until(stream, lambda s: sum(isinstance(i, Candle) for i in s) >= 5)
    candles = [i for i in seen if isinstance(i, Candle)]
    assert {c.interval for c in candles} == {"5Min"} and {c.symbol for c in candles} == {"AAPL.US"}
    assert all(c.time is not None and c.time.minute % 5 == 0 for c in candles)
    assert len({(c.close, c.volume) for c in candles}) > 1  # the candle grows push by push
    (frame,) = sent(sim, 10006)
    assert frame["data"] == {"arr": [{"type": 2, "codes": "AAPL.US"}]}


@pytest.mark.parametrize("kind", ["trade", "candle"])
async def test_streams_reconnect_with_a_gap_and_resubscribe(sim, kind):
    async with client_of(sim) as client:
        stream = (
            client.trade_stream("crypto", ["BTCUSDT"])
            if kind == "trade"
            else client.candle_stream("crypto", ["BTCUSDT"])
        )
        async with stream:
            item_type = Trade if kind == "trade" else Candle
            await items_until(stream, lambda s: isinstance(s[-1], item_type))
            await sim.drop_connections()

            def after_gap(s: Items) -> bool:
                marks = [i for i, x in enumerate(s) if isinstance(x, Gap)]
                return bool(marks) and any(isinstance(x, item_type) for x in s[marks[0] + 1 :])

            await items_until(stream, after_gap)
    assert stream.stats.reconnects == 1 and len(stream.gaps) == 1
    assert len(sent(sim, 10000 if kind == "trade" else 10006)) == 2


async def test_stream_settings_are_checked():
    client = InfowayClient(CREDS, "http://127.0.0.1:1", "ws://127.0.0.1:1/ws")
    with pytest.raises(TypeError, match="unknown stream setting"):
        client.trade_stream("crypto", ["BTCUSDT"], bufer=3)
    with pytest.raises(ValueError, match="kline_type"):
        client.candle_stream("crypto", ["BTCUSDT"], kline_type=99)
    with pytest.raises(ValueError, match="market"):
        client.trade_stream("moon", ["BTCUSDT"])


# -- pure protocols: hostile frames and exactness ------------------------------------------------

LONG = "123456789012345678901234.56789"


def trade_push(**data: object) -> str:
    body = {"s": "BTCUSDT", "t": 1758208701234, "p": "64012.5", "v": "0.0125", "vw": "800.15625", "td": 1} | data
    return json.dumps({"code": 10002, "data": body})


def kline_push(**data: object) -> str:
    body = {
        "s": "BTCUSDT",
        "t": "1758208680",
        "ty": 1,
        "o": "1",
        "h": "2",
        "l": "0.5",
        "c": "1.5",
        "v": "3",
        "vw": "4",
    } | data
    return json.dumps({"code": 10008, "data": body})


@pytest.mark.parametrize(
    ("frame", "path"),
    [
        (trade_push(p="NaN"), ("data", "p")),
        (trade_push(v="Infinity"), ("data", "v")),
        (trade_push(t=10**17), ("data", "t")),
        (trade_push(p=None), ("data", "p")),
        (json.dumps({"code": 10002}), ("data",)),
        ('{"code": "10002"}', ("code",)),
        ("[1, 2]", ()),
        ('{"code":10002,"data":{"s":"X"', ()),
    ],
)
def test_a_bad_trade_frame_is_a_decode_failure_naming_the_field_and_the_stream_goes_on(frame, path):
    protocol = InfowayTradeProtocol(CREDS, "crypto", ["BTCUSDT"])
    (failure,) = protocol.receive(frame).items
    assert isinstance(failure, DecodeFailure) and isinstance(failure.error, DecodeError)
    assert tuple(failure.error.field_path) == path
    (trade,) = protocol.receive(trade_push()).items  # the next good frame still comes through
    assert isinstance(trade, Trade) and trade.price == Decimal("64012.5")
    assert protocol.stats.decode_failures == 1 and protocol.stats.pushes == 1


@pytest.mark.parametrize(
    ("frame", "path"),
    [
        (kline_push(t="17582O8680"), ("data", "t")),
        (kline_push(t=1758208680), ("data", "t")),
        (kline_push(c="sNaN"), ("data", "c")),
        (kline_push(ty=13), ("data", "ty")),
        (kline_push(t="99999999999999"), ("data", "t")),
    ],
)
def test_a_bad_candle_frame_is_a_decode_failure_naming_the_field(frame, path):
    protocol = InfowayCandleProtocol(CREDS, "crypto", ["BTCUSDT"], 1)
    (failure,) = protocol.receive(frame).items
    assert isinstance(failure, DecodeFailure) and tuple(failure.error.field_path) == path
    (candle,) = protocol.receive(kline_push()).items
    assert isinstance(candle, Candle) and candle.time == datetime(2025, 9, 18, 15, 18, tzinfo=UTC)


def test_numbers_of_20_plus_digits_stay_exact_whether_strings_or_json_numbers():
    trades = InfowayTradeProtocol(CREDS, "crypto", ["BTCUSDT"])
    as_number = trade_push(p=LONG).replace(f'"{LONG}"', LONG)
    for frame in (trade_push(p=LONG, v=LONG, vw=LONG), as_number):
        (trade,) = trades.receive(frame).items
        assert isinstance(trade, Trade) and trade.price == Decimal(LONG)
        assert trade.price.as_tuple() == Decimal(LONG).as_tuple()
    candles = InfowayCandleProtocol(CREDS, "crypto", ["BTCUSDT"], 1)
    (candle,) = candles.receive(kline_push(o=LONG, h=LONG, l=LONG, c=LONG, v=LONG, vw=LONG)).items
    assert isinstance(candle, Candle) and {candle.open, candle.high, candle.close, candle.turnover} == {Decimal(LONG)}


def test_control_and_error_frames_yield_nothing_and_are_counted():
    protocol = InfowayTradeProtocol(CREDS, "stock", ["AAPL.US"])
    for frame in (
        '{"code":200,"msg":"ws connect success"}',
        '{"code":10001,"trace":"x","msg":"ok"}',
        '{"code":11010,"trace":"y"}',
        '{"code":505,"msg":"products quantity exceeds the limit"}',
        "You have permission to subscribe to all market data",
        "Subscribe fail: no permission",
        '{"code":10005,"data":{}}',
    ):
        assert protocol.receive(frame).items == []
    s = protocol.stats
    assert (s.welcomes, s.acks, s.unsubscribe_acks, s.errors, s.notices, s.unknown) == (1, 1, 1, 2, 1, 1)


def test_unsubscribe_frames_and_the_simulator_stops_the_pushes():
    assert json.loads(trade_unsubscribe_frame(["BTCUSDT"], "u1")) == {
        "code": 11000,
        "trace": "u1",
        "data": {"codes": "BTCUSDT"},
    }
    assert json.loads(kline_unsubscribe_frame(["BTCUSDT"], 1, "u2")) == {
        "code": 11002,
        "trace": "u2",
        "data": {"codes": "BTCUSDT", "klineTypes": "1"},
    }
    session = WsSession(SimState(api_key=KEY), 1, "crypto", 0.0)
    session.receive('{"code":10000,"trace":"a","data":{"codes":"BTCUSDT"}}', 0.1)
    session.receive(
        '{"code":10006,"trace":"b","data":{"arr":[{"type":1,"codes":"BTCUSDT"},{"type":8,"codes":"BTCUSDT"}]}}', 0.2
    )
    assert sorted(json.loads(p)["code"] for p in session.pushes()) == [10002, 10008, 10008]
    (ack,) = session.receive(kline_unsubscribe_frame(["BTCUSDT"], 1, "c"), 0.3)
    assert json.loads(ack)["code"] == 11010
    assert sorted(json.loads(p)["data"].get("ty", 0) for p in session.pushes()) == [0, 8]
    session.receive(trade_unsubscribe_frame(["BTCUSDT"], "d"), 0.4)
    assert [json.loads(p)["data"]["ty"] for p in session.pushes()] == [8]


def test_simulated_candles_are_deterministic_and_cover_their_steps():
    state = SimState(api_key=KEY, epoch_ms=1_758_208_680_000)
    state.step = BAR_STEPS + 3
    bar = state.bar("BTCUSDT", 1)
    again = SimState(api_key=KEY, epoch_ms=1_758_208_680_000)
    again.step = BAR_STEPS + 3
    assert again.bar("BTCUSDT", 1) == bar
    ticks = [state._tick("BTCUSDT", s) for s in range(BAR_STEPS, BAR_STEPS + 4)]
    assert bar.o == ticks[0].p and bar.c == ticks[-1].p and bar.v == sum(t.v for t in ticks)
