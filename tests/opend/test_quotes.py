"""OpenD quotes, tickers and candles: the registry's sub-type links, the normalized `Quote`,
`Trade` and `Candle` (exact Decimals, UTC times), the client's snapshot requests and push
streams, and the simulator's moving market and refusals."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from venuewire import OpenDClient, OpenDError
from venuewire.errors import DecodeError
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.futu import (
    Qot_Common_pb2,
    Qot_GetKL_pb2,
    Qot_GetSubInfo_pb2,
    Qot_UpdateBasicQot_pb2,
    Qot_UpdateKL_pb2,
    Qot_UpdateTicker_pb2,
    dispatch,
)
from venuewire.generated.futu.enums import KLType, OrderBookType, RetType, SubType, TickerDirection
from venuewire.generated.registry import OPEND, OPEND_SUB_TYPE_PUSHES, OpenDProtoID
from venuewire.models import Candle, Quote, Trade
from venuewire.opend.quotes import (
    KL_SUB_TYPES,
    candles_from_s2c,
    interval_name,
    kl_sub_type,
    quotes_from_s2c,
    trades_from_s2c,
)
from venuewire.sim.opend import OpenDSimulator

pytestmark = pytest.mark.timeout(30)

HK = "HK.00700"
US = "US.AAPL"
WAIT = 5.0


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(port=0, push_interval=0.05) as server:
        yield server


async def _next(stream: Any) -> Any:
    return await asyncio.wait_for(anext(stream), WAIT)


# --- the registry ---------------------------------------------------------------------------


def test_every_sub_type_links_to_its_push() -> None:
    expected = {
        SubType.Basic: OpenDProtoID.Qot_UpdateBasicQot,
        SubType.OrderBook: OpenDProtoID.Qot_UpdateOrderBook,
        SubType.Ticker: OpenDProtoID.Qot_UpdateTicker,
        SubType.RT: OpenDProtoID.Qot_UpdateRT,
        SubType.Broker: OpenDProtoID.Qot_UpdateBroker,
        SubType.OrderBook_Odd: OpenDProtoID.Qot_UpdateOrderBook,
    }
    expected |= {t: OpenDProtoID.Qot_UpdateKL for t in SubType if t.name.startswith("KL_")}
    assert expected == OPEND_SUB_TYPE_PUSHES
    assert set(OPEND_SUB_TYPE_PUSHES) == {int(t) for t in SubType if t is not SubType.None_}


def test_each_candle_sub_type_names_the_kl_type_of_its_period() -> None:
    kl = {s.name: s.kl_type for s in OPEND.sub_types if s.kl_type is not None}
    assert len(kl) == 15 and len(set(kl.values())) == 15
    for name, kl_type in kl.items():
        period = name.removeprefix("KL_").replace("Qurater", "Quarter")  # SubType's own spelling
        assert interval_name(kl_type) == period, name
    assert {s.sub_type for s in OPEND.sub_types if s.kl_type is None} == {1, 2, 4, 5, 14, 22}
    assert kl_sub_type(KLType.Day) == SubType.KL_Day and kl_sub_type(KLType.KLType_1Min) == SubType.KL_1Min
    assert KL_SUB_TYPES[KLType.Quarter] == SubType.KL_Qurater
    with pytest.raises(ValueError, match="KLType"):
        kl_sub_type(KLType.Unknown)
    assert OPEND.sub_quota == 100


@pytest.mark.parametrize("sub", OPEND.sub_types, ids=lambda s: s.name)
async def test_subscribing_a_sub_type_yields_its_typed_push(sim: OpenDSimulator, sub: Any) -> None:
    route = dispatch.PUSHES[OPEND_SUB_TYPE_PUSHES[sub.sub_type]]
    async with OpenDClient(host=sim.host, port=sim.port) as client:
        stream = client.pushes(route.response)
        await client.subscribe([US], [sub.sub_type], push=True)
        item = await _next(stream)
    assert type(item) is route.s2c
    if sub.sub_type == SubType.Basic:
        assert [q.security.code for q in item.basicQotList] == ["AAPL"]
    else:
        assert (item.security.market, item.security.code) == (11, "AAPL")
    if sub.kl_type is not None:
        assert item.klType == sub.kl_type and len(item.klList) == 1
    if sub.sub_type == SubType.OrderBook_Odd:
        assert item.orderBookType == OrderBookType.Odd
    if sub.sub_type == SubType.Ticker:
        assert len(item.tickerList) == 1
    if sub.sub_type == SubType.RT:
        assert len(item.rtList) == 1


# --- normalization --------------------------------------------------------------------------


def _basic(**fields: Any) -> Qot_UpdateBasicQot_pb2.S2C:
    values: dict[str, Any] = {
        "security": Qot_Common_pb2.Security(market=1, code="00700"),
        "isSuspended": False,
        "listTime": "2004-06-16",
        "priceSpread": 0.2,
        "updateTime": "2025-04-07 10:15:30",
        "highPrice": 604.5,
        "openPrice": 600.0,
        "lowPrice": 598.1,
        "curPrice": 601.3,
        "lastClosePrice": 0.1 + 0.2,
        "volume": 12345600,
        "turnover": 7419206400.5,
        "turnoverRate": 0.134,
        "amplitude": 1.005,
        "updateTimestamp": 1744020930.25,
        "name": "TENCENT",
    } | fields
    return Qot_UpdateBasicQot_pb2.S2C(basicQotList=[Qot_Common_pb2.BasicQot(**values)])


def test_a_quote_has_exact_decimals_and_its_utc_time_stamp() -> None:
    s2c = _basic()
    (quote,) = quotes_from_s2c(s2c)
    assert quote == Quote(
        venue="futu",
        symbol=HK,
        price=Decimal("601.3"),
        open=Decimal("600.0"),
        high=Decimal("604.5"),
        low=Decimal("598.1"),
        prev_close=Decimal("0.30000000000000004"),  # the double's shortest repr, not its binary expansion
        volume=Decimal(12345600),
        turnover=Decimal("7419206400.5"),
        updated_at=datetime(2025, 4, 7, 10, 15, 30, 250000, tzinfo=UTC),
        name="TENCENT",
        raw=s2c.basicQotList[0],
    )
    assert quote.updated_at is not None and quote.updated_at.utcoffset() is not None


def test_a_quote_prefers_hp_volume_and_has_no_time_without_a_time_stamp() -> None:
    (quote,) = quotes_from_s2c(_basic(hpVolume=1234.5, updateTimestamp=0.0))
    assert quote.volume == Decimal("1234.5") and quote.updated_at is None
    s2c = _basic()
    s2c.basicQotList[0].ClearField("updateTimestamp")
    assert quotes_from_s2c(s2c)[0].updated_at is None


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_non_finite_price_is_a_decode_error_naming_the_field(value: float) -> None:
    with pytest.raises(DecodeError) as info:
        quotes_from_s2c(_basic(curPrice=value))
    assert info.value.field_path == ("basicQotList", 0, "curPrice")
    assert info.value.message_name == "Qot_UpdateBasicQot.S2C"


def test_a_time_stamp_no_date_holds_is_a_decode_error() -> None:
    with pytest.raises(DecodeError) as info:
        quotes_from_s2c(_basic(updateTimestamp=1e300))
    assert info.value.field_path == ("basicQotList", 0, "updateTimestamp")


def test_ticker_rows_become_trades_with_side_and_sequence() -> None:
    security = Qot_Common_pb2.Security(market=11, code="AAPL")
    rows = [
        Qot_Common_pb2.Ticker(
            time="t", sequence=7490143587206586370, dir=TickerDirection.Bid, price=190.07, volume=3, turnover=570.21
        ),
        Qot_Common_pb2.Ticker(
            time="t", sequence=2, dir=TickerDirection.Ask, price=0.1, volume=1, turnover=0.1, timestamp=1.5
        ),
        Qot_Common_pb2.Ticker(
            time="t", sequence=3, dir=TickerDirection.Neutral, price=1.0, volume=1, turnover=1.0, hpVolume=0.25
        ),
    ]
    trades = trades_from_s2c(Qot_UpdateTicker_pb2.S2C(security=security, tickerList=rows))
    assert [(t.side, t.trade_id, t.price, t.size) for t in trades] == [
        ("buy", "7490143587206586370", Decimal("190.07"), Decimal(3)),
        ("sell", "2", Decimal("0.1"), Decimal(1)),
        (None, "3", Decimal("1.0"), Decimal("0.25")),
    ]
    assert trades[0].time is None and trades[1].time == datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)
    assert trades[0].turnover == Decimal("570.21") and trades[0].symbol == US and trades[2].raw == rows[2]


def test_kline_rows_become_candles_of_their_kl_type() -> None:
    security = Qot_Common_pb2.Security(market=1, code="00700")
    row = Qot_Common_pb2.KLine(
        time="2025-04-07 10:15:00",
        isBlank=False,
        highPrice=601.5,
        openPrice=601.0,
        lowPrice=600.5,
        closePrice=601.1,
        lastClosePrice=597.0,
        volume=31800,
        turnover=19111800.0,
        timestamp=1744020900.0,
    )
    push = Qot_UpdateKL_pb2.S2C(rehabType=1, klType=KLType.KLType_5Min, security=security, klList=[row])
    (candle,) = candles_from_s2c(push)
    assert candle == Candle(
        venue="futu",
        symbol=HK,
        interval="5Min",
        open=Decimal("601.0"),
        high=Decimal("601.5"),
        low=Decimal("600.5"),
        close=Decimal("601.1"),
        volume=Decimal(31800),
        turnover=Decimal("19111800.0"),
        time=datetime(2025, 4, 7, 10, 15, tzinfo=UTC),
        prev_close=Decimal("597.0"),
        raw=push.klList[0],
    )
    reply = Qot_GetKL_pb2.S2C(security=security, klList=[row])
    assert candles_from_s2c(reply, KLType.Day)[0].interval == "Day"
    with pytest.raises(ValueError, match="kl_type"):
        candles_from_s2c(reply)


# --- the client against the simulator -------------------------------------------------------


async def test_quote_requests_are_refused_until_subscribed(sim: OpenDSimulator) -> None:
    async with OpenDClient(host=sim.host, port=sim.port) as client:
        calls = {
            "Basic": client.get_quotes(HK),
            "Ticker": client.get_trades(HK),
            "KL_Day": client.get_candles(HK, KLType.Day),
        }
        for name, call in calls.items():
            with pytest.raises(OpenDError) as info:
                await call
            assert info.value.ret_type == RetType.Failed
            assert f"SubType {name}" in info.value.ret_msg and "subscribe" in info.value.ret_msg
        # candles of one period do not open another's
        await client.subscribe([HK], [SubType.KL_1Min], push=False)
        with pytest.raises(OpenDError, match="KL_5Min"):
            await client.get_candles(HK, KLType.KLType_5Min)
        assert len(await client.get_candles(HK, KLType.KLType_1Min, num=5)) == 1


async def test_quotes_move_and_requests_agree_with_pushes(sim: OpenDSimulator) -> None:
    async with OpenDClient(host=sim.host, port=sim.port) as client:
        stream = client.trade_stream(HK)
        pushed = [await _next(stream) for _ in range(5)]
        assert all(isinstance(t, Trade) for t in pushed)
        ids = [int(t.trade_id) for t in pushed]
        assert ids == sorted(ids) and len(set(ids)) == 5
        trades = await client.get_trades(HK, num=1000)
        by_id = {t.trade_id: t for t in trades}
        for trade in pushed:  # the same trade, field for field, in the reply
            assert by_id[trade.trade_id] == trade
        assert [int(t.trade_id) for t in trades] == list(range(1, len(trades) + 1))

        await client.subscribe([HK], [SubType.Basic], push=False)
        first = (await client.get_quotes(HK))[0]
        await asyncio.sleep(0.2)
        later = (await client.get_quotes([HK]))[0]
        assert later.volume > first.volume and later.turnover > first.turnover
        assert later.updated_at is not None and first.updated_at is not None and later.updated_at > first.updated_at
        everything = await client.get_trades(HK, num=1000)
        assert later.volume == sum(t.size for t in everything if t.time <= later.updated_at)  # type: ignore[operator]
        assert later.high == max(t.price for t in everything if t.time <= later.updated_at)  # type: ignore[operator]


async def test_candle_stream_yields_the_forming_candle_of_its_period_only(sim: OpenDSimulator) -> None:
    async with OpenDClient(host=sim.host, port=sim.port) as client:
        await client.subscribe([HK], [SubType.KL_Day], push=True)  # another period's pushes: filtered out
        stream = client.candle_stream(HK, KLType.KLType_1Min)
        candles = [await _next(stream) for _ in range(4)]
        assert all(isinstance(c, Candle) and c.interval == "1Min" and c.symbol == HK for c in candles)
        assert [c.volume for c in candles] == sorted(c.volume for c in candles)
        assert all(c.low <= min(c.open, c.close) and c.high >= max(c.open, c.close) for c in candles)
        latest = (await client.get_candles(HK, KLType.KLType_1Min, num=1))[-1]
        assert latest.time == candles[-1].time and latest.volume >= candles[-1].volume


async def test_history_candles_are_the_same_on_every_call_and_in_range(sim: OpenDSimulator) -> None:
    async with OpenDClient(host=sim.host, port=sim.port) as client:
        first = await client.history_candles(HK, "2025-03-01", "2025-03-31")
        again = await client.history_candles(HK, "2025-03-01", "2025-03-31")
        page = await client.history_candles(HK, "2025-03-01", "2025-03-31", max_count=3)
    assert first == again and page == first[:3]
    assert len(first) == 21  # March 2025 has 21 weekdays
    assert all(c.interval == "Day" and c.time is not None for c in first)
    assert all(c.low <= min(c.open, c.close) <= max(c.open, c.close) <= c.high for c in first)
    assert [c.prev_close for c in first[1:]] == [c.close for c in first[:-1]]


async def test_quote_stream_filters_its_symbols_and_survives_a_bad_push(sim: OpenDSimulator) -> None:
    async with OpenDClient(host=sim.host, port=sim.port) as client:
        await client.subscribe([US], [SubType.Basic], push=True)  # pushes for US too: not this stream's
        stream = client.quote_stream(HK)
        quote = await _next(stream)
        assert isinstance(quote, Quote) and quote.symbol == HK and quote.name == "TENCENT"
        bad = _basic(curPrice=math.nan)
        await sim.push(OpenDProtoID.Qot_UpdateBasicQot, Qot_UpdateBasicQot_pb2.Response(retType=0, s2c=bad))
        seen: list[Any] = []
        while not any(isinstance(i, DecodeFailure) for i in seen):
            seen.append(await _next(stream))
        failure = next(i for i in seen if isinstance(i, DecodeFailure))
        assert failure.error.field_path == ("basicQotList", 0, "curPrice")
        assert all(i.symbol == HK for i in seen if isinstance(i, Quote))
        assert isinstance(await _next(stream), Quote)  # the stream goes on
        assert client.stats.decode_errors >= 1


STREAMS = {
    "quote_stream": (lambda c: c.quote_stream([HK]), Quote),
    "trade_stream": (lambda c: c.trade_stream([HK]), Trade),
    "candle_stream": (lambda c: c.candle_stream([HK], KLType.KLType_3Min), Candle),
}


@pytest.mark.parametrize("name", sorted(STREAMS))
async def test_each_stream_resubscribes_after_a_reconnect(sim: OpenDSimulator, name: str) -> None:
    make, model = STREAMS[name]
    async with OpenDClient(host=sim.host, port=sim.port, backoff_initial=0.05) as client:
        stream = make(client)
        assert isinstance(await _next(stream), model)
        await sim.drop_connections()
        items = [await _next(stream)]
        while not isinstance(items[-1], Gap):
            items.append(await _next(stream))
        after = await _next(stream)  # the subscription was restored on the new connection
        assert isinstance(after, model) and after.symbol == HK
        assert stream.gaps and repr(stream) == "NormalizedStream(HK.00700)"
        assert len(sim.sessions) == 1 and next(iter(sim.sessions)).subscriptions


def test_streams_refuse_bad_arguments_at_once() -> None:
    client = OpenDClient()
    with pytest.raises(ValueError, match="symbol"):
        client.quote_stream([])
    with pytest.raises(ValueError, match="market prefix"):
        client.trade_stream("XX.1")
    with pytest.raises(ValueError, match="KLType"):
        client.candle_stream(HK, KLType.Unknown)


# --- simulator refusals ---------------------------------------------------------------------


async def test_the_subscription_quota_is_refused_beyond_its_size(sim: OpenDSimulator) -> None:
    sim.state.sub_quota = 3
    async with OpenDClient(host=sim.host, port=sim.port) as client:
        await client.subscribe([HK], [SubType.Basic, SubType.Ticker], push=False)
        await client.subscribe([HK], [SubType.Basic], push=False)  # held already: takes no more
        with pytest.raises(OpenDError) as info:
            await client.subscribe([HK, US], [SubType.KL_Day], push=False)
        assert info.value.ret_type == RetType.Failed and "quota" in info.value.ret_msg
        assert "2 of 3" in info.value.ret_msg
        await client.subscribe([US], [SubType.KL_Day], push=False)  # one more fits
        info_reply = await client.request(Qot_GetSubInfo_pb2.Request(c2s=Qot_GetSubInfo_pb2.C2S()))
        (conn,) = info_reply.s2c.connSubInfoList
        assert (info_reply.s2c.totalUsedQuota, info_reply.s2c.remainQuota, conn.usedQuota) == (3, 0, 3)
        assert {(s.subType, tuple(x.code for x in s.securityList)) for s in conn.subInfoList} == {
            (SubType.Basic, ("00700",)),
            (SubType.Ticker, ("00700",)),
            (SubType.KL_Day, ("AAPL",)),
        }
        with pytest.raises(OpenDError, match="SubType KL_Day"):
            await client.get_candles(HK, KLType.Day)  # the refused subscription was not made


async def test_a_quote_subscription_cannot_be_cancelled_within_a_minute() -> None:
    now = [1_800_000_000.0]
    clocked = OpenDSimulator(port=0, push_interval=0.05, clock=lambda: now[0])
    async with clocked as sim, OpenDClient(host=sim.host, port=sim.port) as client:
        await client.subscribe([HK], [SubType.Ticker, SubType.KL_1Min], push=False)
        with pytest.raises(OpenDError, match="minute") as info:
            await client.unsubscribe([HK], [SubType.Ticker])
        assert info.value.ret_type == RetType.Failed
        now[0] += OPEND.unsubscribe_after_s
        await client.unsubscribe([HK], [SubType.Ticker])
        with pytest.raises(OpenDError, match="SubType Ticker"):
            await client.get_trades(HK)
        assert await client.get_candles(HK, KLType.KLType_1Min)


def test_the_synchronous_facade_reads_quotes_trades_and_candles() -> None:
    from venuewire import sync

    with (
        sync.serve(OpenDSimulator(port=0, push_interval=0.05)) as server,
        sync.OpenDClient(server.host, server.port) as futu,
    ):
        futu.subscribe([HK], [SubType.Basic, SubType.Ticker, SubType.KL_Day], push=False)
        (quote,) = futu.get_quotes(HK)
        assert quote.symbol == HK and quote.price > 0
        trades = futu.get_trades(HK, num=10)
        assert trades and all(isinstance(t, Trade) for t in trades)
        (candle,) = futu.get_candles(HK, KLType.Day, num=5)
        assert candle.interval == "Day" and candle.low <= candle.close <= candle.high
        week = futu.history_candles(HK, "2025-03-03", "2025-03-07")
        assert len(week) == 5 and week == futu.history_candles(HK, "2025-03-03", "2025-03-07")
        for item in futu.candle_stream(HK, KLType.KLType_1Min):
            assert isinstance(item, Candle) and item.interval == "1Min"
            break
