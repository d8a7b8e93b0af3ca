"""venuewire's trading client (venuewire.opend.trade.OpenDTrade) against the simulator
(venuewire.sim.opend_trade): accounts per environment, the safety rules, the packetID, the
unlock MD5 and its secrecy, an order's life cycle with its pushes, fills, positions and
funds as exact Decimals, and the resubscription of trade pushes after a reconnect."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import traceback
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

import venuewire
from venuewire import OpenDClient
from venuewire.credentials import Secret
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.futu import (
    Trd_Common_pb2,
    Trd_GetAccList_pb2,
    Trd_GetOrderList_pb2,
    Trd_UpdateOrder_pb2,
    Trd_UpdateOrderFill_pb2,
    dispatch,
)
from venuewire.generated.futu.enums import OrderStatus, TrdEnv, TrdMarket
from venuewire.generated.registry import OpenDProtoID
from venuewire.models import Balance, Fill, Order, Position
from venuewire.opend import OpenDError, OpenDTrade, TradeAccount
from venuewire.opend.trade import order_from_wire, to_decimal
from venuewire.sim.opend import Fault, OpenDSimulator
from venuewire.sim.opend_trade import DEFAULT_PASSWORD, REAL_ACCOUNT, SIM_HK_ACCOUNT, SIM_US_ACCOUNT

pytestmark = pytest.mark.timeout(30)

PASSWORD = "s3cret-trade-pw"
MD5 = hashlib.md5(PASSWORD.encode(), usedforsecurity=False).hexdigest()


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(host="127.0.0.1", port=0, trade_password=PASSWORD, push_interval=0.05) as server:
        yield server


def far(sim: OpenDSimulator, factor: str) -> Decimal:
    """A price `factor` x the simulated mid of HK.00700, on the book's 0.2 tick."""
    mid = sim.book("HK.00700").mid_at(sim.step)
    return (mid * Decimal(factor) / Decimal("0.2")).quantize(Decimal(1)) * Decimal("0.2")


async def next_item(stream: Any) -> Any:
    return await asyncio.wait_for(anext(stream), 5)


async def test_the_simulated_environment_is_the_default_and_lists_only_its_accounts(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        simulated = await OpenDTrade(client).accounts()
        real = await OpenDTrade(client, env="real").accounts()
    assert [(a.acc_id, a.env, a.markets) for a in simulated] == [
        (SIM_HK_ACCOUNT, "simulate", (TrdMarket.HK,)),
        (SIM_US_ACCOUNT, "simulate", (TrdMarket.US,)),
    ]
    assert [(a.acc_id, a.env) for a in real] == [(REAL_ACCOUNT, "real")]
    assert isinstance(real[0].raw, Trd_Common_pb2.TrdAcc) and real[0].raw.accID == REAL_ACCOUNT  # exact > 2**53


@pytest.mark.parametrize("env", ["REAL", "Real", 1, TrdEnv.Real, "paper", None])
async def test_the_environment_must_be_named_exactly(sim, env):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        with pytest.raises(ValueError, match="simulate' or 'real'"):
            OpenDTrade(client, env=env)


async def test_an_account_of_the_other_environment_is_refused_before_anything_is_sent(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        live = OpenDTrade(client, env="real")
        real = (await live.accounts())[0]
        paper = OpenDTrade(client)
        await paper.accounts()
        before = len(sim.requests)
        for call in (
            paper.place(real, "HK.00700", "buy", 100, Decimal(400)),
            paper.place(REAL_ACCOUNT, "HK.00700", "buy", 100, Decimal(400)),
            paper.cancel(real, "SIM1"),
            paper.orders(real),
            paper.balance(REAL_ACCOUNT),
        ):
            with pytest.raises(venuewire.InvalidRequest, match=r"real|not a simulate account") as caught:
                await call
            assert caught.value.venue == "futu"
        with pytest.raises(venuewire.InvalidRequest):
            await paper.order_updates([real])
        assert all(p != OpenDProtoID.Trd_PlaceOrder for p, _ in sim.requests[before:])
        assert not sim.trade.accounts[REAL_ACCOUNT].orders
        with pytest.raises(venuewire.InvalidRequest, match="not a simulate account"):
            await paper.orders(123456789)
        forged = TradeAccount(acc_id=REAL_ACCOUNT, env="simulate", markets=(TrdMarket.HK,))
        with pytest.raises(venuewire.InvalidRequest, match="not a simulate account"):
            await paper.place(forged, "HK.00700", "buy", 100, Decimal(400))
        assert not sim.trade.accounts[REAL_ACCOUNT].orders


async def test_the_simulator_refuses_a_header_of_the_wrong_environment_or_an_unknown_account(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        for header, text in (
            (Trd_Common_pb2.TrdHeader(trdEnv=TrdEnv.Simulate, accID=REAL_ACCOUNT, trdMarket=TrdMarket.HK), "trdEnv"),
            (Trd_Common_pb2.TrdHeader(trdEnv=TrdEnv.Simulate, accID=42, trdMarket=TrdMarket.HK), "unknown account"),
            (
                Trd_Common_pb2.TrdHeader(trdEnv=TrdEnv.Simulate, accID=SIM_HK_ACCOUNT, trdMarket=TrdMarket.US),
                "trdMarket",
            ),
        ):
            request = Trd_GetOrderList_pb2.Request(c2s=Trd_GetOrderList_pb2.C2S(header=header))
            with pytest.raises(OpenDError, match=text) as caught:
                await client.request(request)
            assert caught.value.ret_type == -1


async def test_trading_requests_carry_the_connection_id_and_a_fresh_serial(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        trade, other = OpenDTrade(client), OpenDTrade(client)
        order_id = await trade.place(SIM_HK_ACCOUNT, "HK.00700", "buy", 100, far(sim, "0.5"))
        await other.modify(SIM_HK_ACCOUNT, order_id, price=far(sim, "0.6"))
        await trade.cancel(SIM_HK_ACCOUNT, order_id)
        sent = sim.trade.placed_packet_ids
        assert [conn for conn, _ in sent] == [client.conn_id] * 3
        serials = [serial for _, serial in sent]
        assert len(set(serials)) == 3 and serials == sorted(serials) and all(0 < s < 2**32 for s in serials)


async def test_unlock_sends_the_md5_and_the_real_environment_needs_it(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        live = OpenDTrade(client, env="real")
        account = (await live.accounts())[0]
        with pytest.raises(OpenDError, match="locked"):
            await live.place(account, "HK.00700", "buy", 100, far(sim, "0.5"))
        await live.unlock(Secret(PASSWORD))
        assert sim.trade.unlock_requests == [MD5]
        order_id = await live.place(account, "HK.00700", "buy", 100, far(sim, "0.5"))
        assert [o.order_id for o in await live.orders(account)] == [order_id]
        await live.lock()
        with pytest.raises(OpenDError, match="locked"):
            await live.cancel(account, order_id)
        # the simulated environment never needs it
        assert await OpenDTrade(client).place(SIM_HK_ACCOUNT, "HK.00700", "sell", 100, far(sim, "2"))


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    item: BaseException | None = error
    while item is not None and item not in seen:
        seen.append(item)
        item = item.__cause__ or item.__context__
    return seen


async def test_the_password_and_its_md5_never_show(sim, caplog):
    caplog.set_level(logging.DEBUG)
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        live = OpenDTrade(client, env="real")
        wrong = "wrong-" + PASSWORD
        wrong_md5 = hashlib.md5(wrong.encode(), usedforsecurity=False).hexdigest()
        with pytest.raises(OpenDError) as caught:
            await live.unlock(wrong)
        error = caught.value
        await live.unlock(PASSWORD)
        texts = [repr(live), str(live.__dict__), repr(sim.trade), caplog.text]
        for item in _chain(error):
            texts += [str(item), repr(item), "".join(traceback.format_exception(item))]
        assert error.ret_type == -1 and "password" in str(error)
    for secret in (PASSWORD, MD5, wrong, wrong_md5):
        for text in texts:
            assert secret not in text


async def test_an_order_life_cycle_with_its_pushes_fills_positions_and_funds(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        trade = OpenDTrade(client)
        account = (await trade.accounts())[0]
        orders = await trade.order_updates([account])
        fills = await trade.fill_updates()
        resting = await trade.place(account, "HK.00700", "buy", Decimal(100), far(sim, "0.5"), remark="tag-1")
        pushed = await next_item(orders)
        assert isinstance(pushed, Order) and pushed.order_id == resting and pushed.status == "Submitted"
        assert (pushed.symbol, pushed.side, pushed.quantity, pushed.client_order_id) == (
            "HK.00700",
            "buy",
            Decimal(100),
            "tag-1",
        )
        assert pushed.account == str(SIM_HK_ACCOUNT) and isinstance(pushed.raw, Trd_Common_pb2.Order)
        listed = await trade.orders(account)
        assert [(o.order_id, o.status, o.price) for o in listed] == [(resting, "Submitted", far(sim, "0.5"))]

        new_price = far(sim, "0.6")
        await trade.modify(account, resting, price=new_price, quantity=200)
        changed = await next_item(orders)
        assert (changed.price, changed.quantity, changed.status) == (new_price, Decimal(200), "Submitted")
        await trade.cancel(account, resting)
        cancelled = await next_item(orders)
        assert cancelled.status == "Cancelled_All" and cancelled.filled_quantity == 0
        with pytest.raises(OpenDError, match="finished"):
            await trade.cancel(account, resting)

        crossing = await trade.place(account, "HK.00700", "buy", 100, far(sim, "1.5"))
        assert (await next_item(orders)).status == "Submitted"
        fill = await next_item(fills)
        filled = await next_item(orders)
        assert isinstance(fill, Fill) and fill.order_id == crossing and fill.quantity == 100
        assert (filled.status, filled.filled_quantity, filled.average_fill_price) == ("Filled_All", 100, fill.price)
        assert fill.price == fill.price.quantize(Decimal("0.2")) or (fill.price * 5) % 1 == 0  # on the tick
        assert await trade.fills(account) == [fill]

        positions = await trade.positions(account)
        assert [(p.symbol, p.side, p.quantity, p.sellable, p.cost_price) for p in positions] == [
            ("HK.00700", "long", 100, 100, fill.price)
        ]
        assert isinstance(positions[0], Position) and positions[0].market_value == 100 * positions[0].market_price
        balance = await trade.balance(account)
        assert isinstance(balance, Balance) and balance.currency == "HKD"
        assert balance.cash == Decimal(1_000_000) - 100 * fill.price  # exact: no float in between
        assert balance.total_assets == balance.cash + positions[0].market_value


async def test_a_resting_order_fills_when_the_market_moves_onto_it(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        trade = OpenDTrade(client)
        fills = await trade.fill_updates([SIM_HK_ACCOUNT])
        order_id = await trade.place(SIM_HK_ACCOUNT, "HK.00700", "sell", 100, far(sim, "0.5"))
        # a sell below the bid crosses at once; a buy far below never does
        assert (await next_item(fills)).order_id == order_id
        resting = await trade.place(SIM_HK_ACCOUNT, "HK.00700", "buy", 100, far(sim, "0.1"))
        order = sim.trade.accounts[SIM_HK_ACCOUNT].orders[int(resting.removeprefix("SIM"))]
        order.price = Decimal(10**6)  # the market is now under it: the next tick fills it
        assert (await next_item(fills)).order_id == resting
        assert sim.trade.accounts[SIM_HK_ACCOUNT].orders[order.order_id].status == OrderStatus.Filled_All


async def test_pushes_of_other_environments_or_accounts_never_reach_a_stream(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        trade = OpenDTrade(client)
        orders = await trade.order_updates([SIM_HK_ACCOUNT])
        wire = Trd_Common_pb2.Order(
            trdSide=1,
            orderType=1,
            orderStatus=5,
            orderID=1,
            orderIDEx="X1",
            code="00700",
            name="TENCENT",
            qty=1.0,
            createTime="",
            updateTime="",
        )
        for env, acc in ((TrdEnv.Real, SIM_HK_ACCOUNT), (TrdEnv.Simulate, SIM_US_ACCOUNT)):
            header = Trd_Common_pb2.TrdHeader(trdEnv=env, accID=acc, trdMarket=TrdMarket.HK)
            s2c = Trd_UpdateOrder_pb2.S2C(header=header, order=wire)
            await sim.push(OpenDProtoID.Trd_UpdateOrder, Trd_UpdateOrder_pb2.Response(retType=0, s2c=s2c))
        bad = Trd_Common_pb2.Order()
        bad.CopyFrom(wire)
        bad.qty = float("nan")
        header = Trd_Common_pb2.TrdHeader(trdEnv=TrdEnv.Simulate, accID=SIM_HK_ACCOUNT, trdMarket=TrdMarket.HK)
        s2c = Trd_UpdateOrder_pb2.S2C(header=header, order=bad)
        await sim.push(OpenDProtoID.Trd_UpdateOrder, Trd_UpdateOrder_pb2.Response(retType=0, s2c=s2c))
        order_id = await trade.place(SIM_HK_ACCOUNT, "HK.00700", "buy", 100, far(sim, "0.5"))
        failure = await next_item(orders)
        assert isinstance(failure, DecodeFailure) and "qty" in str(failure.error)
        assert (await next_item(orders)).order_id == order_id  # the stream goes on


async def test_after_a_reconnect_every_account_is_resubscribed_and_unlocked_again(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, backoff_initial=0.05) as client:
        paper, live = OpenDTrade(client), OpenDTrade(client, env="real")
        await live.unlock(PASSWORD)
        orders = await paper.order_updates([SIM_HK_ACCOUNT])
        fills = await paper.fill_updates([SIM_US_ACCOUNT])
        live_orders = await live.order_updates()
        subs_before = sum(1 for p, _ in sim.requests if p == OpenDProtoID.Trd_SubAccPush)
        first_conn = client.conn_id

        sim.faults.add(Fault.DROP_MID_FRAME)
        await sim.push_example(OpenDProtoID.Notify)  # half a frame, then the connection closes
        sim.faults.discard(Fault.DROP_MID_FRAME)
        assert isinstance(await next_item(orders), Gap)
        assert isinstance(await next_item(fills), Gap)
        assert isinstance(await next_item(live_orders), Gap)
        assert client.conn_id != first_conn

        subs = [p for p, _ in sim.requests if p == OpenDProtoID.Trd_SubAccPush]
        assert len(subs) > subs_before
        (session,) = [s for s in sim.sessions if not s.closed]
        assert sim.trade.subscriptions[session] == {SIM_HK_ACCOUNT, SIM_US_ACCOUNT, REAL_ACCOUNT}
        assert sim.trade.unlock_requests == [MD5, MD5]  # unlocked again, with the kept MD5

        order_id = await paper.place(SIM_HK_ACCOUNT, "HK.00700", "buy", 100, far(sim, "0.5"))
        assert (await next_item(orders)).order_id == order_id
        us = await paper.place(SIM_US_ACCOUNT, "US.AAPL", "buy", 1, Decimal(10_000))
        assert (await next_item(fills)).order_id == us
        real = await live.place(REAL_ACCOUNT, "HK.00700", "buy", 100, far(sim, "0.5"))
        assert (await next_item(live_orders)).order_id == real


def test_numbers_come_from_the_doubles_shortest_repr():
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(0.1 + 0.2) == Decimal("0.30000000000000004")
    assert to_decimal(399.8) == Decimal("399.8")
    wire = Trd_Common_pb2.Order(
        trdSide=2,
        orderType=1,
        orderStatus=10,
        orderID=2**64 - 1,
        orderIDEx="",
        code="AAPL",
        name="APPLE",
        qty=3.0,
        price=190.01,
        createTime="",
        updateTime="",
        fillQty=1.0,
        fillAvgPrice=190.01,
        secMarket=2,
    )
    order = order_from_wire(wire, "1")
    assert (order.order_id, order.symbol, order.side) == (str(2**64 - 1), "US.AAPL", "sell")
    assert order.status == "Filled_Part"
    assert (order.price, order.remaining) == (Decimal("190.01"), Decimal(2))
    assert order.average_fill_price == Decimal("190.01")
    wire.price = float("inf")
    with pytest.raises(venuewire.DecodeError) as caught:
        order_from_wire(wire)
    assert caught.value.field_path == ("price",)


def test_the_typed_surface_covers_every_trading_message():
    names = {r.name for r in dispatch.REQUESTS.values()} | {r.name for r in dispatch.PUSHES.values()}
    trading = {
        "Trd_GetAccList": 2001,
        "Trd_UnlockTrade": 2005,
        "Trd_SubAccPush": 2008,
        "Trd_GetFunds": 2101,
        "Trd_GetPositionList": 2102,
        "Trd_GetOrderList": 2201,
        "Trd_PlaceOrder": 2202,
        "Trd_ModifyOrder": 2205,
        "Trd_UpdateOrder": 2208,
        "Trd_GetOrderFillList": 2211,
        "Trd_UpdateOrderFill": 2218,
    }
    assert set(trading) <= names
    assert {name: int(getattr(OpenDProtoID, name)) for name in trading} == trading
    assert dispatch.PUSHES[OpenDProtoID.Trd_UpdateOrderFill].response is Trd_UpdateOrderFill_pb2.Response


async def test_request_and_pushes_work_for_trading_messages_with_no_trade_code(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        response = await client.request(Trd_GetAccList_pb2.Request(c2s=Trd_GetAccList_pb2.C2S(userID=0)))
        assert type(response) is Trd_GetAccList_pb2.Response
        assert {a.accID for a in response.s2c.accList} == {SIM_HK_ACCOUNT, SIM_US_ACCOUNT, REAL_ACCOUNT}
        stream = client.pushes(Trd_UpdateOrderFill_pb2.Response)
        await sim.push_example(OpenDProtoID.Trd_UpdateOrderFill)
        item = await next_item(stream)
        assert isinstance(item, Trd_UpdateOrderFill_pb2.S2C) and item.orderFill.code == "00700"


def test_the_default_password_is_the_simulators_unless_configured():
    assert OpenDSimulator().trade.password == DEFAULT_PASSWORD
    assert "password" not in repr(TradeAccount(acc_id=1, env="simulate", markets=()))
