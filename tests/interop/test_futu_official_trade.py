"""The official futu-api trade client (`futu.OpenSecTradeContext`) against `venuewire sim futu`
run as a subprocess, plain and RSA + AES-CBC: get_acc_list, unlock_trade, place_order, order_list_query, modify_order
(cancel), deal_list_query, position_list_query and accinfo_query, with the order and deal
pushes reaching TradeOrderHandlerBase / TradeDealHandlerBase; then venuewire's own client
reads the same simulator and must see the same orders and fills, field by field.

Bounded waits, the context always closed and futu-api's globals restored, as in
test_futu_official_client.py (whose helpers this reuses).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from futu import (
    RET_OK,
    ModifyOrderOp,
    OpenSecTradeContext,
    OrderStatus,
    SecurityFirm,
    SysConfig,
    TradeDealHandlerBase,
    TradeOrderHandlerBase,
    TrdEnv,
    TrdMarket,
    TrdSide,
)
from futu.common.constant import ContextStatus

from tests.interop.test_futu_official_client import KEY, futu_globals, simulator, wait_until
from venuewire import OpenDClient
from venuewire.models import Fill, Order
from venuewire.opend.trade import OpenDTrade
from venuewire.sim.opend_trade import DEFAULT_PASSWORD, REAL_ACCOUNT, SIM_HK_ACCOUNT, SIM_US_ACCOUNT

__all__ = ["futu_globals"]  # the fixture, imported for pytest

pytestmark = [
    pytest.mark.interop,
    pytest.mark.timeout(120),
    pytest.mark.filterwarnings("ignore:setDaemon:DeprecationWarning"),
]


class OrderRecorder(TradeOrderHandlerBase):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.orders: list[dict[str, Any]] = []
        self.errors: list[Any] = []

    def on_recv_rsp(self, rsp_pb: Any) -> tuple[int, Any]:
        ret, data = super().on_recv_rsp(rsp_pb)
        if ret == RET_OK:
            self.orders.extend(data.to_dict("records"))
        else:
            self.errors.append(data)
        return ret, data


class DealRecorder(TradeDealHandlerBase):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.deals: list[dict[str, Any]] = []
        self.errors: list[Any] = []

    def on_recv_rsp(self, rsp_pb: Any) -> tuple[int, Any]:
        ret, data = super().on_recv_rsp(rsp_pb)
        if ret == RET_OK:
            self.deals.extend(data.to_dict("records"))
        else:
            self.errors.append(data)
        return ret, data


async def venuewire_view(port: int, rsa_key: Path | None) -> tuple[list[Order], list[Fill]]:
    async with OpenDClient(host="127.0.0.1", port=port, rsa_key_path=rsa_key, timeout=10) as client:
        trade = OpenDTrade(client)
        return await trade.orders(SIM_HK_ACCOUNT), await trade.fills(SIM_HK_ACCOUNT)


@pytest.mark.parametrize("mode", ["plain", "cbc"])
def test_official_trade_client_places_cancels_fills_and_receives_pushes(mode: str, futu_globals: None) -> None:
    options: list[str] = []
    if mode != "plain":
        options = ["--rsa-key", str(KEY), f"--{mode}"]
        SysConfig.set_init_rsa_file(str(KEY))
    with simulator(*options) as port:
        ctx = OpenSecTradeContext(
            filter_trdmarket=TrdMarket.HK,
            host="127.0.0.1",
            port=port,
            is_encrypt=mode != "plain",
            security_firm=SecurityFirm.FUTUSECURITIES,
        )
        try:
            wait_until(lambda: ctx.status == ContextStatus.READY, 20, "InitConnect")
            orders, deals = OrderRecorder(), DealRecorder()
            assert ctx.set_handler(orders) == RET_OK and ctx.set_handler(deals) == RET_OK

            ret, accounts = ctx.get_acc_list()
            assert ret == RET_OK, accounts
            listed = dict(zip(accounts["acc_id"], accounts["trd_env"], strict=True))
            assert listed == {SIM_HK_ACCOUNT: TrdEnv.SIMULATE, REAL_ACCOUNT: TrdEnv.REAL}  # HK only
            assert SIM_US_ACCOUNT not in listed

            ret, message = ctx.unlock_trade("not the password")
            assert ret != RET_OK and "password" in message
            ret, message = ctx.unlock_trade(DEFAULT_PASSWORD)
            assert ret == RET_OK, message

            # a resting order: far below the simulated market
            ret, placed = ctx.place_order(200.0, 100, "HK.00700", TrdSide.BUY, trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, placed
            resting = str(placed["order_id"][0])
            ret, listed_orders = ctx.order_list_query(trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, listed_orders
            row = listed_orders[listed_orders["order_id"] == resting].to_dict("records")[0]
            assert (row["code"], row["qty"], row["price"], row["order_status"]) == (
                "HK.00700",
                100.0,
                200.0,
                OrderStatus.SUBMITTED,
            )
            wait_until(lambda: any(o["order_id"] == resting for o in orders.orders), 10, "the order push")

            ret, cancelled = ctx.modify_order(ModifyOrderOp.CANCEL, resting, 0, 0, trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, cancelled
            wait_until(
                lambda: any(o["order_status"] == OrderStatus.CANCELLED_ALL for o in orders.orders), 10, "the cancel"
            )
            ret, listed_orders = ctx.order_list_query(trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK
            assert listed_orders[listed_orders["order_id"] == resting]["order_status"].tolist() == [
                OrderStatus.CANCELLED_ALL
            ]

            # a crossing order: far above the market, filled at the best ask at once
            ret, placed = ctx.place_order(600.0, 100, "HK.00700", TrdSide.BUY, trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, placed
            crossing = str(placed["order_id"][0])
            wait_until(lambda: len(deals.deals) == 1, 10, "the deal push")
            assert orders.errors == [] and deals.errors == []
            ret, deal_list = ctx.deal_list_query(trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, deal_list
            deal = deal_list.to_dict("records")
            assert [(d["order_id"], d["code"], d["qty"]) for d in deal] == [(crossing, "HK.00700", 100.0)]
            assert deals.deals[0]["deal_id"] == deal[0]["deal_id"] and deals.deals[0]["price"] == deal[0]["price"]
            assert 300 < deal[0]["price"] < 600

            ret, positions = ctx.position_list_query(trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, positions
            assert positions[["code", "qty"]].values.tolist() == [["HK.00700", 100.0]]
            ret, funds = ctx.accinfo_query(trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, funds
            assert funds["cash"][0] == pytest.approx(1_000_000 - 100 * deal[0]["price"])

            # venuewire's client reads the same simulator: the same orders and fills
            ours, our_fills = asyncio.run(venuewire_view(port, KEY if mode != "plain" else None))
            ret, theirs = ctx.order_list_query(trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK
            by_id = {o.order_id: o for o in ours}
            assert set(by_id) == set(theirs["order_id"]) == {resting, crossing}
            for row in theirs.to_dict("records"):
                order = by_id[row["order_id"]]
                assert order.symbol == row["code"] and order.side == row["trd_side"].lower()
                assert order.quantity == Decimal(repr(row["qty"])) and order.price == Decimal(repr(row["price"]))
                assert order.status.upper() == row["order_status"].upper()
                assert order.filled_quantity == Decimal(repr(row["dealt_qty"]))
            assert [(f.fill_id, f.order_id, f.quantity, f.price) for f in our_fills] == [
                (str(d["deal_id"]), d["order_id"], Decimal(repr(d["qty"])), Decimal(repr(d["price"]))) for d in deal
            ]
        finally:
            ctx.close()


def test_official_deal_handler_receives_each_part_of_a_partial_fill(futu_globals: None) -> None:
    """An order four times the book's largest level fills in parts: TradeDealHandlerBase gets each
    deal, TradeOrderHandlerBase FILLED_PART then FILLED_ALL, and venuewire reads the same fills."""
    quantity = 4 * 50 * 100  # the simulated book's largest level is 50 lots of 100
    with simulator() as port:
        ctx = OpenSecTradeContext(
            filter_trdmarket=TrdMarket.HK, host="127.0.0.1", port=port, security_firm=SecurityFirm.FUTUSECURITIES
        )
        try:
            wait_until(lambda: ctx.status == ContextStatus.READY, 20, "InitConnect")
            orders, deals = OrderRecorder(), DealRecorder()
            assert ctx.set_handler(orders) == RET_OK and ctx.set_handler(deals) == RET_OK
            ret, placed = ctx.place_order(900.0, quantity, "HK.00700", TrdSide.BUY, trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, placed
            order_id = str(placed["order_id"][0])
            wait_until(
                lambda: any(o["order_status"] == OrderStatus.FILLED_ALL for o in orders.orders), 20, "the last part"
            )
            assert orders.errors == [] and deals.errors == []
            statuses = [o["order_status"] for o in orders.orders if o["order_id"] == order_id]
            assert statuses[0] == OrderStatus.SUBMITTED and statuses[-1] == OrderStatus.FILLED_ALL
            assert set(statuses[1:-1]) == {OrderStatus.FILLED_PART} and len(statuses) >= 5
            dealt = [o["dealt_qty"] for o in orders.orders if o["order_id"] == order_id]
            assert dealt == sorted(dealt) and dealt[-1] == quantity
            wait_until(lambda: sum(d["qty"] for d in deals.deals) == quantity, 10, "every deal")
            assert len(deals.deals) == len(statuses) - 1 and all(0 < d["qty"] <= 5000 for d in deals.deals)
            ret, deal_list = ctx.deal_list_query(trd_env=TrdEnv.SIMULATE)
            assert ret == RET_OK, deal_list
            listed = deal_list.to_dict("records")
            assert [(d["deal_id"], d["qty"], d["price"]) for d in deals.deals] == [
                (d["deal_id"], d["qty"], d["price"]) for d in listed
            ]
            _ours, our_fills = asyncio.run(venuewire_view(port, None))
            assert [(f.fill_id, f.order_id, f.quantity, f.price) for f in our_fills] == [
                (str(d["deal_id"]), order_id, Decimal(repr(d["qty"])), Decimal(repr(d["price"]))) for d in listed
            ]
        finally:
            ctx.close()
