"""The official BitMart SDK's REST clients (bitmart-python-sdk-api `APISpot`, `APIAccount`, which
take a base URL) against our simulator: they place, list, query and cancel an order, read the
wallet and the book, signed as the SDK signs (its own `json.dumps` body, its own timestamp), and
see BitMart's refusals. The SDK is blocking (requests): it runs in a worker thread while the
simulator runs on the test's event loop. Replies are checked with our generated classes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from bitmart.api_account import APIAccount
from bitmart.api_spot import APISpot
from bitmart.lib.cloud_exceptions import APIException

from tests.bitmart.test_interop_sdk import Inbox, OnePingSpotClient
from venuewire.generated.bitmart.rest_books_response import RestBooksResponse
from venuewire.generated.bitmart.rest_open_orders_response import RestOpenOrdersResponse
from venuewire.generated.bitmart.rest_order_response import RestOrderResponse
from venuewire.generated.bitmart.rest_wallet_response import RestWalletResponse
from venuewire.generated.bitmart.user_balance import UserBalancePush
from venuewire.generated.bitmart.user_order import UserOrderPush
from venuewire.messages import decode_json
from venuewire.sim.bitmart import BitmartSimulator
from venuewire.sim.bitmart_trade import FIRST_ORDER_ID

pytestmark = [pytest.mark.interop, pytest.mark.timeout(60)]

KEY, SECRET, MEMO = "sdk-key", "sdk-secret-7f1", "sdk-memo-3c9"
T = TypeVar("T")


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    async with BitmartSimulator(api_key=KEY, secret=SECRET, memo=MEMO, push_interval=3600) as server:
        yield server


async def sdk(call: Callable[[], T]) -> T:
    return await asyncio.wait_for(asyncio.to_thread(call), 20)


def data(reply: tuple[dict[str, Any], dict[str, str]]) -> Any:
    body, _limits = reply
    assert body["code"] == 1000, body
    return body


def msg(reply: tuple[dict[str, Any], dict[str, str]]) -> bytes:
    """The SDK's parsed reply as JSON again, for our generated classes."""
    return json.dumps(data(reply)).encode()


async def test_sdk_places_lists_queries_and_cancels_an_order(sim):
    spot = APISpot(KEY, SECRET, MEMO, url=sim.rest_url, timeout=(3, 10))
    bids, _asks = sim.spot_book("BTC_USDT").snapshot(sim.step)
    price = str(bids[-1][0] - 1)
    placed = data(await sdk(lambda: spot.post_submit_order("BTC_USDT", "buy", "limit", size="0.002", price=price)))
    order_id = placed["data"]["order_id"]
    assert order_id == str(FIRST_ORDER_ID)

    listed = decode_json(RestOpenOrdersResponse, msg(await sdk(lambda: spot.v4_query_open_orders(symbol="BTC_USDT"))))
    assert [o.orderId for o in listed.data] == [order_id]
    queried = decode_json(RestOrderResponse, msg(await sdk(lambda: spot.v4_query_order_by_id(order_id, "open"))))
    assert queried.data.state == "new" and queried.data.price == Decimal(price)
    assert queried.data.size == Decimal("0.002")

    cancelled = data(await sdk(lambda: spot.post_cancel_order_by_orderid("BTC_USDT", order_id)))
    assert cancelled["data"]["result"] is True
    after = decode_json(RestOrderResponse, msg(await sdk(lambda: spot.v4_query_order_by_id(order_id, "history"))))
    assert after.data.state == "canceled"
    assert sim.trading.stats.placed == 1 and sim.trading.stats.cancelled == 1


async def test_sdk_reads_the_wallet_keyed_and_the_public_book(sim):
    account = APIAccount(KEY, SECRET, MEMO, url=sim.rest_url, timeout=(3, 10))
    wallet = decode_json(RestWalletResponse, msg(await sdk(lambda: account.get_wallet(currency="USDT"))))
    assert [(row.currency, row.available) for row in wallet.data.wallet] == [("USDT", Decimal("1000000"))]
    spot = APISpot(url=sim.rest_url, timeout=(3, 10))  # no credentials: the book is public
    books = decode_json(RestBooksResponse, msg(await sdk(lambda: spot.get_v3_depth("ETH_USDT", limit=3))))
    bids, asks = sim.spot_book("ETH_USDT").snapshot(sim.step)
    assert books.data.bids == [(str(p), str(s)) for p, s, _ in bids[:3]]  # the wire's text, kept as text
    assert books.data.asks == [(str(p), str(s)) for p, s, _ in asks[:3]]


async def test_sdk_sees_bitmarts_refusals(sim):
    wrong = APISpot(KEY, "not-the-secret", MEMO, url=sim.rest_url, timeout=(3, 10))
    with pytest.raises(APIException) as caught:
        await sdk(wrong.v4_query_open_orders)
    assert caught.value.status_code == 401 and '"code":30005' in caught.value.response
    spot = APISpot(KEY, SECRET, MEMO, url=sim.rest_url, timeout=(3, 10))
    with pytest.raises(APIException) as caught:
        await sdk(lambda: spot.post_cancel_order_by_orderid("BTC_USDT", "42"))
    assert caught.value.status_code == 400 and '"code":50032' in caught.value.response
    with pytest.raises(APIException) as caught:
        await sdk(lambda: spot.post_submit_order("BTC_USDT", "buy", "limit", size="100", price="60000"))
    assert '"code":50020' in caught.value.response


async def test_sdk_private_socket_gets_order_and_balance_pushes(sim):
    """The SDK's SpotSocketClient logs in on our private socket, subscribes to its order and
    balance channels, and reads the pushes the desk makes when the SDK's REST client trades."""
    inbox = Inbox()
    client = await asyncio.to_thread(
        OnePingSpotClient,
        stream_url=sim.private_url,
        on_message=inbox,
        timeout=5,
        api_key=KEY,
        api_secret_key=SECRET,
        api_memo=MEMO,
    )
    try:
        await asyncio.to_thread(client.login, 0.2)
        await inbox.wait_for(lambda ms: {"event": "login"} in ms)
        client.subscribe(["spot/user/order:BTC_USDT", "spot/user/balance:BALANCE_UPDATE"])
        await inbox.wait_for(lambda ms: sum(m.get("event") == "subscribe" for m in ms) == 2)
        spot = APISpot(KEY, SECRET, MEMO, url=sim.rest_url, timeout=(3, 10))
        _bids, asks = sim.spot_book("BTC_USDT").snapshot(sim.step)
        price = str(asks[0][0])
        placed = data(await sdk(lambda: spot.post_submit_order("BTC_USDT", "buy", "limit", size="0.5", price=price)))
        order_id = placed["data"]["order_id"]
        await inbox.wait_for(lambda ms: any(state_of(m) == "partially_filled" for m in ms))
    finally:
        await asyncio.to_thread(client.stop)
    orders = [decode_json(UserOrderPush, json.dumps(m).encode()) for m in tables(inbox, "spot/user/order")]
    states = [(p.data[0].order_id, p.data[0].order_state) for p in orders]
    assert states[:2] == [(order_id, "new"), (order_id, "partially_filled")]
    assert orders[1].data[0].last_fill_price == str(asks[0][0])
    balances = [decode_json(UserBalancePush, json.dumps(m).encode()) for m in tables(inbox, "spot/user/balance")]
    assert {d.ccy for p in balances for d in p.data[0].balance_details} >= {"USDT", "BTC"}


def tables(inbox: Inbox, table: str) -> list[dict[str, Any]]:
    return [m for m in inbox.snapshot() if m.get("table") == table]


def state_of(message: dict[str, Any]) -> str | None:
    return message["data"][0]["order_state"] if message.get("table") == "spot/user/order" else None
