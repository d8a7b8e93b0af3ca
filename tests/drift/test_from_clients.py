"""Every venue's client session against its simulator, recorded by the client itself
(`capture=`), reports zero drift: the capture the user gets from `capture=` or
VENUEWIRE_CAPTURE is what `venuewire check` reads, and our own simulators speak our schemas.

Each session drives what the client does on the wire: OpenD plain and encrypted (quotes and
simulated trading), BitMart v3 depth, incremental depth with a resync, the market channels
and the legacy channel, CoinW signed REST with an order's life cycle, Infoway REST and
WebSocket, QFEX login, orders and its four feeds. The report must name at least the message
types listed for each session, each seen, and find nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.capture.test_opend_capture import sample_key
from venuewire.capture import read_capture
from venuewire.drift import check_capture
from venuewire.models import Balance, Candle, Order, OrderBook, Quote, Trade

pytestmark = pytest.mark.timeout(60)

WAIT = 10.0
T = TypeVar("T")


async def next_of(stream: AsyncIterator[Any], kind: type[T]) -> T:
    """The next item of `kind` (stream events skipped), within WAIT seconds."""
    async with asyncio.timeout(WAIT):
        async for item in stream:
            if isinstance(item, kind):
                return item
    raise AssertionError(f"the stream ended before a {kind.__name__}")


async def first_of_each(*streams: tuple[Callable[[], Any], type[Any]]) -> None:
    """Open each stream in turn, read its first item of the kind given, close it."""
    for make, kind in streams:
        stream = make()
        async with stream:
            await next_of(stream, kind)


async def opend(path: Path, **sim_options: Any) -> None:
    from venuewire import OpenDClient, SubType
    from venuewire.generated.futu.enums import KLType, TrdMarket
    from venuewire.opend import OpenDTrade
    from venuewire.sim.opend import OpenDSimulator

    rsa = sample_key() if "rsa_key_path" in sim_options else None
    async with (
        OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.05, **sim_options) as sim,
        OpenDClient(host="127.0.0.1", port=sim.port, rsa_key_path=rsa, reconnect=False, capture=path) as client,
    ):
        await client.subscribe(["HK.00700"], sub_types=[SubType.OrderBook, SubType.Basic, SubType.KL_1Min], push=True)
        await client.get_order_book("HK.00700", num=5)
        await next_of(client.depth_stream("HK.00700"), OrderBook)
        (quote,) = await client.get_quotes("HK.00700")
        await client.get_candles("HK.00700", KLType.KLType_1Min, num=3)
        trade = OpenDTrade(client)
        account = next(a for a in await trade.accounts() if TrdMarket.HK in a.markets)
        updates = await trade.order_updates([account])
        price = (quote.price * Decimal("0.9")).quantize(quote.price)
        order_id = await trade.place(account, "HK.00700", "buy", Decimal(100), price)
        await next_of(updates, Order)
        await trade.orders(account)
        await trade.modify(account, order_id, quantity=Decimal(200), price=price)
        await next_of(updates, Order)
        await trade.cancel(account, order_id)
        await next_of(updates, Order)
        await updates.aclose()


async def opend_plain(path: Path) -> None:
    await opend(path)


async def opend_cbc(path: Path) -> None:
    await opend(path, rsa_key_path=sample_key(), aes_mode="cbc")


async def opend_ecb(path: Path) -> None:
    await opend(path, rsa_key_path=sample_key(), aes_mode="ecb")


async def bitmart(path: Path) -> None:
    from venuewire.bitmart import BitmartClient
    from venuewire.events import BookResynced
    from venuewire.sim.bitmart import BitmartSimulator, IncreaseFault

    async with (
        BitmartSimulator(port=0, push_interval=0.05) as sim,
        BitmartClient(sim.legacy_url, sim.url, timeout=5, reconnect=False, capture=path) as client,
    ):
        for depth in (client.depth_stream("BTC_USDT", 20), client.legacy_depth_stream("BMX_ETH", 6)):
            async with depth:
                await next_of(depth, OrderBook)
        incremental = client.incremental_depth_stream("BTC_USDT")
        async with incremental:
            await next_of(incremental, OrderBook)
            sim.script_increase(IncreaseFault.GAP)
            await next_of(incremental, BookResynced)
            await next_of(incremental, OrderBook)
        await first_of_each(
            (lambda: client.ticker_stream("BTC_USDT"), Quote),
            (lambda: client.quote_stream("ETH_USDT"), Quote),
            (lambda: client.trade_stream("BTC_USDT"), Trade),
            (lambda: client.candle_stream("BTC_USDT", "1m"), Candle),
        )


async def coinw(path: Path) -> None:
    from venuewire.coinw import CoinwClient
    from venuewire.credentials import CoinwCredentials
    from venuewire.generated.coinw.cancel_order_body import CancelOrderBody
    from venuewire.generated.coinw.place_order_body import OrderKind, PlaceOrderBody, Side
    from venuewire.sim.coinw import DEFAULT_API_KEY, DEFAULT_SECRET, CoinwSimulator

    async with (
        CoinwSimulator() as sim,
        CoinwClient(CoinwCredentials(DEFAULT_API_KEY, DEFAULT_SECRET), sim.url, timeout=5, capture=path) as client,
    ):
        await client.get_open_orders("plan", source_ids=["33308753605637070"], instrument="btc")
        await client.get_open_orders_normalized("execute")
        body = PlaceOrderBody(
            instrument="BTC",
            direction=Side.long,
            leverage=Decimal(10),
            quantityUnit="1",
            quantity=Decimal(2),
            positionModel="1",
            positionType=OrderKind.plan,
            openPrice=Decimal("20000.5"),
            thirdOrderId="drift-from-clients",
        )
        placed = await client.place_order(body)
        await client.get_current_orders(instrument="BTC", positionType=OrderKind.plan.value)
        await client.cancel_order(CancelOrderBody(id=str(placed.data.value)))
        await client.get_all_positions()
        await client.get_user_assets()
        await client.get_instruments(name="BTC")
        await client.get_depth(base="btc")
        assert client.unknown_fields == {}  # the client's own count of REST replies agrees: nothing unknown


async def infoway(path: Path) -> None:
    from venuewire.credentials import InfowayCredentials
    from venuewire.infoway import InfowayClient
    from venuewire.sim.infoway import DEFAULT_API_KEY, InfowaySimulator

    async with InfowaySimulator() as sim:
        credentials = InfowayCredentials(DEFAULT_API_KEY)
        async with InfowayClient(credentials, sim.url, sim.ws_url, timeout=5, reconnect=False, capture=path) as client:
            await client.order_books("stock", ["00700.HK", "AAPL.US"])
            await client.order_books("crypto", ["BTCUSDT"])
            await client.trades("crypto", ["BTCUSDT"])
            await client.candles("crypto", ["BTCUSDT"])
            assert client.unknown_fields == {}  # the client's own count of REST replies: nothing unknown
            await first_of_each(
                (lambda: client.depth_stream("crypto", ["BTCUSDT", "ETHUSDT"]), OrderBook),
                (lambda: client.trade_stream("crypto", ["BTCUSDT"]), Trade),
                (lambda: client.candle_stream("crypto", ["BTCUSDT"]), Candle),
            )


async def qfex(path: Path) -> None:
    from venuewire.credentials import QfexCredentials
    from venuewire.models import Fill, Position
    from venuewire.qfex.client import QfexTradeClient
    from venuewire.sim.qfex import DEFAULT_API_KEY, DEFAULT_SECRET, DEMO_ORDER_ID, DEMO_SYMBOL, QfexSimulator

    async with (
        QfexSimulator() as sim,
        QfexTradeClient(QfexCredentials(DEFAULT_API_KEY, DEFAULT_SECRET), sim.url, timeout=5, capture=path) as client,
    ):
        updates, fills = client.order_updates(), client.fills()
        positions, balances = client.positions(), client.balances()
        for feed in (updates, fills, positions, balances):
            await asyncio.wait_for(feed.ready(), WAIT)
        await next_of(balances, Balance)
        await client.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)
        resting = (await client.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", 2, Decimal("150.05"))).order_response
        await next_of(updates, Order)
        await client.modify_order("AAPL-USD", resting.order_id, Decimal("151.5"), 2, "BUY", "LIMIT")
        await client.cancel_order("AAPL-USD", "order_id", order_id=resting.order_id)
        await client.get_user_orders(symbol="AAPL-USD")
        await client.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", 2, Decimal("187.6"))  # crosses: fills
        await next_of(fills, Fill)
        await next_of(positions, Position)
        await client.close_position("AAPL-USD")
        await client.get_user_trades()
        await client.cancel_all_orders()


# What each recorded session carries at least (the message types the report must name).
SESSIONS: dict[str, tuple[Callable[[Path], Awaitable[None]], set[str]]] = {
    "futu-plain": (
        opend_plain,
        {
            *(
                f"futu/{name}.{side}"
                for name in (
                    "InitConnect",
                    "Qot_Sub",
                    "Qot_GetOrderBook",
                    "Qot_GetBasicQot",
                    "Qot_GetKL",
                    "Trd_GetAccList",
                    "Trd_SubAccPush",
                    "Trd_PlaceOrder",
                    "Trd_GetOrderList",
                    "Trd_ModifyOrder",
                )
                for side in ("Request", "Response")
            ),
            "futu/Qot_UpdateOrderBook.Response",
            "futu/Trd_UpdateOrder.Response",
        },
    ),
    "futu-rsa-cbc": (opend_cbc, {"futu/InitConnect.Request", "futu/Qot_UpdateOrderBook.Response"}),
    "futu-rsa-ecb": (opend_ecb, {"futu/InitConnect.Request", "futu/Trd_UpdateOrder.Response"}),
    "bitmart": (
        bitmart,
        {
            "bitmart/spot_subscribe",
            "bitmart/subscribe_ack",
            "bitmart/spot_depth",
            "bitmart/legacy_subscribe",
            "bitmart/legacy_depth",
            "bitmart/spot_increase_request",
            "bitmart/spot_depth_increase",
            "bitmart/spot_market_subscribe",
            "bitmart/spot_ticker",
            "bitmart/spot_book_ticker",
            "bitmart/spot_trade",
            "bitmart/spot_kline",
        },
    ),
    "coinw": (
        coinw,
        {
            "coinw/get_order_query",
            "coinw/order_response",
            "coinw/place_order_body",
            "coinw/order_id_response",
            "coinw/current_orders_query",
            "coinw/order_page_response",
            "coinw/cancel_order_body",
            "coinw/ack_response",
        },
    ),
    "infoway": (
        infoway,
        {
            "infoway/batch_depth_response",
            "infoway/ws_welcome",
            "infoway/ws_subscribe",
            "infoway/ws_ack",
            "infoway/ws_depth",
        },
    ),
    "qfex": (
        qfex,
        {
            "qfex/auth",
            "qfex/auth_response",
            "qfex/subscribe",
            "qfex/subscribed",
            "qfex/get_order",
            "qfex/all_orders_response",
            "qfex/add_order",
            "qfex/modify_order",
            "qfex/cancel_order",
            "qfex/order_response",
        },
    ),
}


@pytest.mark.parametrize("session", sorted(SESSIONS))
async def test_a_session_recorded_by_the_client_itself_reports_zero_drift(tmp_path: Path, session: str) -> None:
    run, expected = SESSIONS[session]
    path = tmp_path / f"{session}.jsonl"
    await asyncio.wait_for(run(path), 45)
    capture = read_capture(path)
    assert {r.transport for r in capture.records} >= {"open", "close"}
    doc = check_capture(capture).to_json()
    drifting = {m["message"]: m for m in doc["messages"] if m["drift"]}
    assert doc["unknown_messages"] == [], doc["unknown_messages"]
    assert drifting == {}, drifting
    assert doc["drift"] is False
    seen = {m["message"]: m["count"] for m in doc["messages"]}
    assert expected <= set(seen), sorted(expected - set(seen))
    assert all(count >= 1 for count in seen.values())
