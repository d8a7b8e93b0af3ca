"""The simulator answers Qot_GetBroker, Qot_GetSecuritySnapshot, Qot_GetMarketState and
Qot_GetStaticInfo from its own state (books, tapes, clock), deterministically, read with
venuewire's typed `request()`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from venuewire import OpenDClient
from venuewire.errors import VenueError
from venuewire.generated.futu import (
    Qot_Common_pb2,
    Qot_GetBasicQot_pb2,
    Qot_GetBroker_pb2,
    Qot_GetMarketState_pb2,
    Qot_GetSecuritySnapshot_pb2,
    Qot_GetStaticInfo_pb2,
)
from venuewire.generated.futu.enums import QotMarket, QotMarketState, SecurityType, SubType
from venuewire.sim.opend import OpenDSimulator
from venuewire.sim.opend_quotes import market_state

pytestmark = pytest.mark.timeout(30)

HK = Qot_Common_pb2.Security(market=QotMarket.HK_Security, code="00700")
US = Qot_Common_pb2.Security(market=QotMarket.US_Security, code="AAPL")
SH = Qot_Common_pb2.Security(market=QotMarket.CNSH_Security, code="600519")
# Wednesday 2025-04-09, 10:15 in Hong Kong and Shanghai = 22:15 the day before in New York
WEDNESDAY = datetime(2025, 4, 9, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(port=0, push_interval=60, clock=lambda: WEDNESDAY) as server:
        yield server


def test_market_state_follows_each_markets_local_day() -> None:
    def at(zone: str, text: str) -> float:
        return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()

    hk, us, sh = QotMarket.HK_Security, QotMarket.US_Security, QotMarket.CNSH_Security
    assert market_state(hk, at("Asia/Shanghai", "2025-04-09 09:10")) == QotMarketState.Auction
    assert market_state(hk, at("Asia/Shanghai", "2025-04-09 10:15")) == QotMarketState.Morning
    assert market_state(hk, at("Asia/Shanghai", "2025-04-09 12:30")) == QotMarketState.Rest
    assert market_state(hk, at("Asia/Shanghai", "2025-04-09 15:59")) == QotMarketState.Afternoon
    assert market_state(hk, at("Asia/Shanghai", "2025-04-09 16:00")) == QotMarketState.Closed
    assert market_state(hk, at("Asia/Shanghai", "2025-04-12 10:15")) == QotMarketState.Closed  # Saturday
    assert market_state(sh, at("Asia/Shanghai", "2025-04-09 11:45")) == QotMarketState.Rest
    assert market_state(us, at("America/New_York", "2025-04-09 05:00")) == QotMarketState.PreMarketBegin
    assert market_state(us, at("America/New_York", "2025-04-09 10:00")) == QotMarketState.Afternoon
    assert market_state(us, at("America/New_York", "2025-04-09 17:00")) == QotMarketState.AfterHoursBegin
    assert market_state(QotMarket.FX_Security, WEDNESDAY) == QotMarketState.None_


async def test_market_state_snapshot_and_static_info_come_from_the_simulators_state(sim: OpenDSimulator) -> None:
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        states = await client.request(
            Qot_GetMarketState_pb2.Request(c2s=Qot_GetMarketState_pb2.C2S(securityList=[HK, US, SH]))
        )
        assert [(m.security.code, m.name, m.marketState) for m in states.s2c.marketInfoList] == [
            ("00700", "TENCENT", QotMarketState.Morning),
            ("AAPL", "APPLE", QotMarketState.AfterHoursEnd),  # 22:15 in New York
            ("600519", "KWEICHOW MOUTAI", QotMarketState.Morning),
        ]
        snap = await client.request(
            Qot_GetSecuritySnapshot_pb2.Request(c2s=Qot_GetSecuritySnapshot_pb2.C2S(securityList=[HK, US]))
        )
        await client.subscribe(["HK.00700"], [SubType.Basic], push=False)
        basic = await client.request(Qot_GetBasicQot_pb2.Request(c2s=Qot_GetBasicQot_pb2.C2S(securityList=[HK])))
        hk = snap.s2c.snapshotList[0].basic
        qot = basic.s2c.basicQotList[0]
        for name in ("curPrice", "openPrice", "highPrice", "lowPrice", "lastClosePrice", "volume", "turnover"):
            assert getattr(hk, name) == getattr(qot, name), name  # the same tape, the same clock
        assert (hk.updateTime, hk.lotSize, hk.type, hk.name) == (qot.updateTime, 100, SecurityType.Eqty, "TENCENT")
        bids, asks = sim.book("HK.00700").snapshot(sim.step)
        assert (hk.bidPrice, hk.bidVol, hk.askPrice, hk.askVol) == (
            float(bids[0][0]),
            int(bids[0][1]),
            float(asks[0][0]),
            int(asks[0][1]),
        )
        assert snap.s2c.snapshotList[1].basic.lotSize == 1

        listed = await client.request(
            Qot_GetStaticInfo_pb2.Request(c2s=Qot_GetStaticInfo_pb2.C2S(securityList=[HK, US]))
        )
        assert [(s.basic.name, s.basic.lotSize, s.basic.secType) for s in listed.s2c.staticInfoList] == [
            ("TENCENT", 100, SecurityType.Eqty),
            ("APPLE", 1, SecurityType.Eqty),
        ]
        market = await client.request(
            Qot_GetStaticInfo_pb2.Request(c2s=Qot_GetStaticInfo_pb2.C2S(market=QotMarket.US_Security, secType=3))
        )
        assert sorted(s.basic.security.code for s in market.s2c.staticInfoList) == ["AAPL", "NVDA", "TSLA"]
        warrants = await client.request(
            Qot_GetStaticInfo_pb2.Request(c2s=Qot_GetStaticInfo_pb2.C2S(market=QotMarket.US_Security, secType=5))
        )
        assert list(warrants.s2c.staticInfoList) == []


async def test_the_broker_queue_is_the_books_levels_and_the_same_on_every_simulator(sim: OpenDSimulator) -> None:
    request = Qot_GetBroker_pb2.Request(c2s=Qot_GetBroker_pb2.C2S(security=HK))
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        with pytest.raises(VenueError, match="subscribe"):
            await client.request(request)
        await client.subscribe(["HK.00700", "US.AAPL"], [SubType.Broker], push=False)
        queue = (await client.request(request)).s2c
        us = (await client.request(Qot_GetBroker_pb2.Request(c2s=Qot_GetBroker_pb2.C2S(security=US)))).s2c
    assert (list(us.brokerBidList), list(us.brokerAskList)) == ([], [])  # a HK quote only
    bids, asks = sim.book("HK.00700").snapshot(sim.step)
    for brokers, levels in ((queue.brokerBidList, bids), (queue.brokerAskList, asks)):
        by_level: dict[int, int] = {}
        for broker in brokers:
            by_level[broker.pos] = by_level.get(broker.pos, 0) + broker.volume
            assert broker.name == f"Broker {broker.id}" and 1000 <= broker.id < 10_000
        assert by_level == {n: int(size) for n, (_, size, _) in enumerate(levels[:10], start=1)}
    async with OpenDSimulator(port=0, push_interval=60, clock=lambda: WEDNESDAY) as other:
        client = OpenDClient(host="127.0.0.1", port=other.port)
        async with client:
            await client.subscribe(["HK.00700"], [SubType.Broker], push=False)
            again = (await client.request(request)).s2c
    assert other.step == sim.step == 0 and again == queue  # deterministic: the symbol and the step
