"""A BitMart trading session recorded by BitmartTradeClient's own capture, replayed: a new
BitmartTradeClient reads the same book, orders, cancels, wallet and private pushes (orders,
fills, balances) again, and the official SDK's APISpot and APIAccount get the replies our
client decoded (the signed requests match whatever their signature, the KEYED wallet too)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.drift.bitmart_trade_session import SYMBOL, credentials, record, run_session
from venuewire.bitmart import BitmartTradeClient
from venuewire.generated.bitmart.rest_open_orders_response import RestOpenOrdersResponse
from venuewire.generated.bitmart.rest_order_response import RestOrderResponse
from venuewire.generated.bitmart.rest_wallet_response import RestWalletResponse
from venuewire.messages import decode_json
from venuewire.replay import Replay

bitmart_sdk = pytest.importorskip("bitmart")

pytestmark = [pytest.mark.interop, pytest.mark.timeout(90)]

T = TypeVar("T")


async def sdk(call: Callable[[], T]) -> T:
    return await asyncio.wait_for(asyncio.to_thread(call), 20)


def body_of(reply: tuple[dict[str, Any], dict[str, str]]) -> bytes:
    """The SDK's parsed reply as JSON again (for our generated classes); code 1000 checked."""
    body, _limits = reply
    assert body["code"] == 1000, body
    return json.dumps(body).encode()


async def test_our_client_reads_the_replayed_trading_session_again(tmp_path: Path) -> None:
    path = tmp_path / "bitmart-trade.jsonl"
    recorded = await asyncio.wait_for(record(path), 45)
    assert recorded.order_updates and recorded.balance_updates and recorded.open_orders
    async with Replay(path, speed=0) as replay:
        rest = replay.url_for("bitmart")
        private = next(url for url in replay.endpoints("bitmart") if url.startswith("ws"))
        async with BitmartTradeClient(credentials(), rest, ws_url=private, timeout=5) as client:
            replayed = await asyncio.wait_for(run_session(client), 30)
    assert replay.unanswered == []
    assert replayed.book == recorded.book
    assert (replayed.resting, replayed.crossing) == (recorded.resting, recorded.crossing)
    assert replayed.open_orders == recorded.open_orders
    assert replayed.queried == recorded.queried and replayed.after_cancel == recorded.after_cancel
    assert replayed.cancelled == recorded.cancelled == [True, True]
    assert replayed.wallet == recorded.wallet
    assert replayed.order_updates == recorded.order_updates
    assert replayed.balance_updates == recorded.balance_updates


async def test_the_official_sdk_reads_what_our_client_recorded(tmp_path: Path) -> None:
    from bitmart.api_account import APIAccount
    from bitmart.api_spot import APISpot

    path = tmp_path / "bitmart-trade.jsonl"
    recorded = await asyncio.wait_for(record(path), 45)
    assert recorded.queried is not None and recorded.after_cancel is not None
    async with Replay(path, speed=0) as replay:
        url = replay.url_for("bitmart")
        # other credentials than the recording's: the redacted key and signatures match any value
        spot = APISpot("sdk-key", "sdk-secret", "sdk-memo", url=url, timeout=(3, 10))
        account = APIAccount("sdk-key", "sdk-secret", "sdk-memo", url=url, timeout=(3, 10))
        listed = decode_json(RestOpenOrdersResponse, body_of(await sdk(lambda: spot.v4_query_open_orders(SYMBOL))))
        queried = decode_json(
            RestOrderResponse, body_of(await sdk(lambda: spot.v4_query_order_by_id(recorded.resting, "open")))
        )
        history = decode_json(
            RestOrderResponse, body_of(await sdk(lambda: spot.v4_query_order_by_id(recorded.crossing, "history")))
        )
        wallet = decode_json(RestWalletResponse, body_of(await sdk(account.get_wallet)))
    assert replay.unanswered == []
    assert [row.orderId for row in listed.data] == [o.order_id for o in recorded.open_orders]
    assert [o.raw for o in recorded.open_orders] == list(listed.data)
    assert queried.data == recorded.queried.raw and queried.data.price == recorded.queried.price
    assert history.data == recorded.after_cancel.raw and history.data.state == recorded.after_cancel.status
    assert [(r.currency, r.available, r.frozen) for r in wallet.data.wallet] == [
        (b.currency, b.buying_power, b.frozen) for b in recorded.wallet
    ]
    assert sum(b.frozen for b in recorded.wallet) == Decimal(0)  # both orders cancelled: nothing held
