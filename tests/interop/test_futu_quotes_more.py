"""The official futu-api `OpenQuoteContext` against `venuewire sim futu` (a subprocess), plain,
RSA + AES-CBC and RSA + FTAES_ECB: get_rt_data, get_broker_queue (both refused before
subscribing, as by OpenD), get_market_snapshot, get_market_state and get_stock_basicinfo,
and RTDataHandlerBase / BrokerHandlerBase receiving the simulator's pushes. Each is compared
field by field with the typed replies and pushes venuewire's own client
(`venuewire.sync.OpenDClient`) reads from the same simulator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.interop.test_futu_official_client import KEY, futu_globals, simulator, wait_until
from tests.interop.test_futu_quotes import PUSH_INTERVAL, same_step
from venuewire import sync
from venuewire.generated.futu import (
    Qot_Common_pb2,
    Qot_GetBroker_pb2,
    Qot_GetMarketState_pb2,
    Qot_GetRT_pb2,
    Qot_GetSecuritySnapshot_pb2,
    Qot_GetStaticInfo_pb2,
    Qot_UpdateBroker_pb2,
    Qot_UpdateRT_pb2,
)
from venuewire.generated.futu.enums import QotMarket
from venuewire.generated.futu.enums import SubType as Sub
from venuewire.opend.symbols import parse_symbol

from futu import (  # isort: skip  (imported after test_futu_official_client restored SIGINT)
    RET_OK,
    BrokerHandlerBase,
    Market,
    OpenQuoteContext,
    RTDataHandlerBase,
    SecurityType,
    SubType,
    SysConfig,
)
from futu.common.constant import ContextStatus, MarketState  # isort: skip

__all__ = ["futu_globals"]  # the fixture, used by name

pytestmark = [
    pytest.mark.interop,
    pytest.mark.timeout(120),
    pytest.mark.filterwarnings("ignore:setDaemon:DeprecationWarning"),
]

HK = "HK.00700"
CODES = [HK, "US.AAPL", "SH.600519"]


def security(symbol: str) -> Qot_Common_pb2.Security:
    market, code = parse_symbol(symbol)
    return Qot_Common_pb2.Security(market=market, code=code)


class RTRecorder(RTDataHandlerBase):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.errors: list[Any] = []

    def on_recv_rsp(self, rsp_pb: Any) -> tuple[int, Any]:
        ret, data = super().on_recv_rsp(rsp_pb)
        (self.rows.extend(data.to_dict("records")) if ret == RET_OK else self.errors.append(data))
        return ret, data


class BrokerRecorder(BrokerHandlerBase):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.pushes: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]] = []
        self.errors: list[Any] = []

    def on_recv_rsp(self, rsp_pb: Any) -> Any:
        ret, code, data = super().on_recv_rsp(rsp_pb)
        if ret == RET_OK:
            self.pushes.append((code, data[0].to_dict("records"), data[1].to_dict("records")))
        else:
            self.errors.append(code)
        return ret, code, data


def rt_row(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["code"], row["time"], row["opened_mins"], row["cur_price"], row["last_close"], row["avg_price"],
            row["volume"], row["turnover"], row["is_blank"])  # fmt: skip


def our_rt_row(symbol: str, share: Qot_Common_pb2.TimeShare) -> tuple[Any, ...]:
    return (symbol, share.time, share.minute, share.price, share.lastClosePrice, share.avgPrice, share.volume,
            share.turnover, share.isBlank)  # fmt: skip


def broker_rows(rows: list[dict[str, Any]], side: str) -> list[tuple[Any, ...]]:
    return [(r["code"], r["name"], r[f"{side}_broker_id"], r[f"{side}_broker_name"], r[f"{side}_broker_pos"],
             r["order_id"], r["order_volume"]) for r in rows]  # fmt: skip


def our_broker_rows(s2c: Any, brokers: Any) -> list[tuple[Any, ...]]:
    symbol = f"HK.{s2c.security.code}"
    return [(symbol, s2c.name, b.id, b.name, b.pos, b.orderID, b.volume) for b in brokers]


@pytest.mark.parametrize("mode", ["plain", "cbc", "ecb"])
def test_official_rt_broker_snapshot_state_and_static_info_match_venuewire(mode: str, futu_globals: None) -> None:
    options = ["--push-interval", PUSH_INTERVAL]
    key_path: Path | None = None
    if mode != "plain":
        options += ["--rsa-key", str(KEY), f"--{mode}"]
        SysConfig.enable_proto_encrypt(True)
        SysConfig.set_init_rsa_file(str(KEY))
        key_path = KEY
    with simulator(*options) as port, sync.OpenDClient("127.0.0.1", port, rsa_key_path=key_path) as ours:
        ctx = OpenQuoteContext(host="127.0.0.1", port=port, is_async_connect=True)
        try:
            wait_until(lambda: ctx.status == ContextStatus.READY, 20, "InitConnect")
            rt_pushes, broker_pushes = RTRecorder(), BrokerRecorder()
            assert ctx.set_handler(rt_pushes) == RET_OK and ctx.set_handler(broker_pushes) == RET_OK

            # like OpenD: no time shares and no broker queue before subscribing
            ret, message = ctx.get_rt_data(HK)
            assert ret != RET_OK and "subscribe" in message.lower(), message
            ret, message, _ = ctx.get_broker_queue(HK)
            assert ret != RET_OK and "subscribe" in message.lower(), message

            our_rt = ours.pushes(Qot_UpdateRT_pb2.Response)
            our_brokers = ours.pushes(Qot_UpdateBroker_pb2.Response)
            ours.subscribe([HK], [Sub.RT, Sub.Broker], push=True)
            ret, message = ctx.subscribe([HK], [SubType.RT_DATA, SubType.BROKER])
            assert ret == RET_OK, message

            def rt() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
                ret, frame = ctx.get_rt_data(HK)
                assert ret == RET_OK, frame
                reply = ours.request(Qot_GetRT_pb2.Request(c2s=Qot_GetRT_pb2.C2S(security=security(HK))))
                return [rt_row(r) for r in frame.to_dict("records")], [our_rt_row(HK, s) for s in reply.s2c.rtList]

            theirs_rt, ours_rt = same_step(rt, lambda rows: rows)
            assert theirs_rt and theirs_rt == ours_rt

            def brokers() -> tuple[Any, Any]:
                ret, bids, asks = ctx.get_broker_queue(HK)
                assert ret == RET_OK, bids
                s2c = ours.request(Qot_GetBroker_pb2.Request(c2s=Qot_GetBroker_pb2.C2S(security=security(HK)))).s2c
                theirs = (broker_rows(bids.to_dict("records"), "bid"), broker_rows(asks.to_dict("records"), "ask"))
                return theirs, (our_broker_rows(s2c, s2c.brokerBidList), our_broker_rows(s2c, s2c.brokerAskList))

            theirs_b, ours_b = same_step(brokers, lambda queue: queue)
            assert theirs_b == ours_b and theirs_b[0] and theirs_b[1]
            assert {row[4] for row in theirs_b[0]} == set(range(1, 11))  # levels 1..10 of the book

            def snapshots() -> tuple[Any, Any]:
                ret, frame = ctx.get_market_snapshot(CODES)
                assert ret == RET_OK, frame
                request = Qot_GetSecuritySnapshot_pb2.C2S(securityList=[security(c) for c in CODES])
                reply = ours.request(Qot_GetSecuritySnapshot_pb2.Request(c2s=request))
                return frame.to_dict("records"), list(reply.s2c.snapshotList)

            theirs_s, ours_s = same_step(
                snapshots,
                lambda x: (
                    [(r["update_time"], r["volume"], r["bid_price"]) for r in x]
                    if isinstance(x[0], dict)
                    else [(s.basic.updateTime, s.basic.volume, s.basic.bidPrice) for s in x]
                ),
            )
            assert [r["code"] for r in theirs_s] == CODES
            for row, snap in zip(theirs_s, ours_s, strict=True):
                b = snap.basic
                assert (row["name"], row["update_time"], row["lot_size"], row["price_spread"]) == (
                    b.name, b.updateTime, b.lotSize, b.priceSpread)  # fmt: skip
                assert (row["last_price"], row["open_price"], row["high_price"], row["low_price"]) == (
                    b.curPrice, b.openPrice, b.highPrice, b.lowPrice)  # fmt: skip
                assert (row["prev_close_price"], row["volume"], row["turnover"], row["turnover_rate"]) == (
                    b.lastClosePrice, b.volume, b.turnover, b.turnoverRate)  # fmt: skip
                assert (row["ask_price"], row["bid_price"], row["ask_vol"], row["bid_vol"]) == (
                    b.askPrice, b.bidPrice, b.askVol, b.bidVol)  # fmt: skip
                assert row["bid_price"] < row["ask_price"] and row["suspension"] is b.isSuspend is False
                assert (row["amplitude"], row["avg_price"]) == (b.amplitude, b.avgPrice)
                assert row["listing_date"] == b.listTime

            def states() -> tuple[Any, Any]:
                ret, frame = ctx.get_market_state(CODES)
                assert ret == RET_OK, frame
                reply = ours.request(
                    Qot_GetMarketState_pb2.Request(
                        c2s=Qot_GetMarketState_pb2.C2S(securityList=[security(c) for c in CODES])
                    )
                )
                theirs = [(r["code"], r["stock_name"], MarketState.to_number(r["market_state"])[1])
                          for r in frame.to_dict("records")]  # fmt: skip
                mine = [(f"{c.split('.')[0]}.{m.security.code}", m.name, m.marketState)
                        for c, m in zip(CODES, reply.s2c.marketInfoList, strict=True)]  # fmt: skip
                return theirs, mine

            theirs_m, ours_m = same_step(states, lambda x: x)
            assert theirs_m == ours_m and [m[1] for m in theirs_m] == ["TENCENT", "APPLE", "KWEICHOW MOUTAI"]

            ret, info = ctx.get_stock_basicinfo(Market.HK, SecurityType.STOCK, code_list=CODES)
            assert ret == RET_OK, info
            reply = ours.request(
                Qot_GetStaticInfo_pb2.Request(c2s=Qot_GetStaticInfo_pb2.C2S(securityList=[security(c) for c in CODES]))
            )
            for row, static in zip(info.to_dict("records"), reply.s2c.staticInfoList, strict=True):
                b = static.basic
                assert (row["stock_id"], row["name"], row["lot_size"], row["listing_date"]) == (
                    b.id, b.name, b.lotSize, b.listTime)  # fmt: skip
                assert row["stock_type"] == SecurityType.STOCK and row["delisting"] is False
            assert [r["lot_size"] for r in info.to_dict("records")] == [100, 1, 100]
            ret, market = ctx.get_stock_basicinfo(Market.HK, SecurityType.STOCK)
            assert ret == RET_OK, market
            by_market = ours.request(
                Qot_GetStaticInfo_pb2.Request(c2s=Qot_GetStaticInfo_pb2.C2S(market=QotMarket.HK_Security, secType=3))
            )
            assert sorted(market["code"]) == sorted(f"HK.{s.basic.security.code}" for s in by_market.s2c.staticInfoList)
            assert len(market) == 3

            # the pushes: futu-api's handlers get what venuewire's push streams get, step by step
            wait_until(lambda: len(rt_pushes.rows) >= 3 and len(broker_pushes.pushes) >= 3, 30, "RT and broker pushes")
            assert rt_pushes.errors == [] and broker_pushes.errors == []
            mine_rt = {our_rt_row(HK, row) for _ in range(6) for row in next(our_rt).rtList}  # type: ignore[union-attr]
            mine_b = []
            for _ in range(6):
                s2c: Any = next(our_brokers)
                mine_b.append((our_broker_rows(s2c, s2c.brokerBidList), our_broker_rows(s2c, s2c.brokerAskList)))
            assert sum(rt_row(r) in mine_rt for r in rt_pushes.rows) >= 1
            theirs_pushed = [(broker_rows(b, "bid"), broker_rows(a, "ask")) for code, b, a in broker_pushes.pushes]
            assert {code for code, _, _ in broker_pushes.pushes} == {HK}
            assert any(p in mine_b for p in theirs_pushed), "a broker push both clients got"
        finally:
            ctx.close()
