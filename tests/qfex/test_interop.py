"""The official `qfex` package (QFEXTakerClient, a test dependency only) against our simulator.

Its trade session is driven as it ships: `_trade_session()` connects with `websockets`, sends
its own auth frame (built by `_build_auth_message`: its own nonce, clock and HMAC), then
`cancel_on_disconnect` and a `subscribe`, and flushes frames queued with `_enqueue_trade`
through its writer task. A test subclass changes only where it connects (`_trade_url`, to
`sim.url`) and records every frame its handler receives. The simulator answers
cancel_on_disconnect and the subscribe (a subscribed frame per channel, then the balances
snapshot); the client then gets an order, and adds and cancels one. Its market-data loop (`_run_mds_loop`) is never
started: the simulator has no market-data channel. Also: its auth message is accepted by the
simulator's pure verifier, and a wrong secret is refused. Everything on 127.0.0.1; bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from qfex import QFEXConfig, QFEXTakerClient, TakerStrategy

from venuewire.generated.qfex.all_orders_response import AllOrdersResponseMessage
from venuewire.generated.qfex.auth import Auth
from venuewire.messages import decode_json
from venuewire.sim.qfex import DEMO_ORDER_ID, DEMO_SYMBOL, NonceBook, QfexSimulator, verify_auth

pytestmark = pytest.mark.timeout(30)

KEY = "qfex_pub_interop"
SECRET = "interop-secret-0b1c"
WAIT = 10.0


class PointedClient(QFEXTakerClient):
    """The official client, connecting its trade session to our simulator and recording frames."""

    def __init__(self, cfg: QFEXConfig, url: str) -> None:
        super().__init__(cfg, TakerStrategy(None))  # type: ignore[arg-type]
        self.sim_url = url
        self.frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def _trade_url(self) -> str:
        return f"{self.sim_url}?api_key={self.cfg.public_key}"

    async def _handle_trade_message(self, raw: str | bytes) -> None:
        self.frames.put_nowait(json.loads(raw))
        await super()._handle_trade_message(raw)


def config(secret: str = SECRET) -> QFEXConfig:
    return QFEXConfig(is_prod=False, symbol_list=[DEMO_SYMBOL], public_key=KEY, secret_key=secret)


@pytest.fixture
async def sim() -> AsyncIterator[QfexSimulator]:
    async with QfexSimulator(api_key=KEY, secret=SECRET) as simulator:
        yield simulator


@contextlib.asynccontextmanager
async def trade_session(client: PointedClient) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(client._trade_session())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, WAIT)


async def next_frame(client: PointedClient) -> dict[str, Any]:
    return await asyncio.wait_for(client.frames.get(), WAIT)


def test_its_auth_message_passes_our_verifier():
    message = PointedClient(config(), "ws://127.0.0.1:1/")._build_auth_message()
    auth = msgspec.convert(message, Auth)  # also the documented auth schema
    assert not isinstance(auth.params.hmac, msgspec.UnsetType)
    assert verify_auth(SECRET, KEY, auth.params.hmac, time.time(), 30.0, NonceBook()) is None
    assert verify_auth("other-secret", KEY, auth.params.hmac, time.time(), 30.0, NonceBook()) is not None


async def test_its_trade_session_authenticates_and_gets_an_order(sim):
    client = PointedClient(config(), sim.url)
    async with trade_session(client):
        assert await next_frame(client) == {"authenticated": True}
        assert await next_frame(client) == {"cancel_on_disconnect": True}
        subscribed = [await next_frame(client) for _ in range(3)]
        assert [f.get("subscribed") for f in subscribed] == ["order_responses", "balances", "positions"]
        assert "balance_response" in await next_frame(client)  # the balances snapshot
        await client._enqueue_trade({"type": "get_order", "params": {"symbol": DEMO_SYMBOL, "order_id": DEMO_ORDER_ID}})
        answer = await next_frame(client)
        orders = decode_json(AllOrdersResponseMessage, json.dumps(answer)).all_orders_response.orders
        assert [o.order_id for o in orders] == [DEMO_ORDER_ID]
    assert sim.stats.authenticated == 1 and sim.stats.served == 3  # cancel_on_disconnect, subscribe, get_order
    [seen] = sim.auths
    assert seen.refused is None and seen.api_key == KEY and len(seen.nonce) == 32


async def test_it_adds_and_cancels_an_order_and_its_state_follows(sim):
    client = PointedClient(config(), sim.url)
    async with trade_session(client):
        while "balance_response" not in await next_frame(client):  # auth, cancel_on_disconnect, subscribed x3
            pass
        params = {
            "symbol": DEMO_SYMBOL,
            "side": "BUY",
            "order_type": "LIMIT",
            "order_time_in_force": "GTC",
            "quantity": 3,
            "price": 150.25,
            "take_profit": 0,
            "stop_loss": 0,
            "client_order_id": "interop-1",
        }
        await client._enqueue_trade({"type": "add_order", "params": params})
        ack = (await next_frame(client))["order_response"]
        assert ack["status"] == "ACK" and ack["client_order_id"] == "interop-1" and ack["price"] == 150.25
        assert ack["order_id"] in sim.account(KEY).orders
        cancel = {"symbol": DEMO_SYMBOL, "order_id": ack["order_id"], "cancel_order_id_type": "order_id"}
        await client._enqueue_trade({"type": "cancel_order", "params": cancel})
        done = (await next_frame(client))["order_response"]
        assert done["status"] == "CANCELLED" and done["order_id"] == ack["order_id"]
        # its own order_response handler kept its view of the order: nothing filled
        assert client._order_last_remaining[ack["order_id"]] == 3
    assert sim.account(KEY).orders[ack["order_id"]].status == "CANCELLED"
    assert sim.stats.cancelled_on_disconnect > 0  # it asked for cancel_on_disconnect: leaving cancelled the rest


async def test_its_trade_session_with_a_wrong_secret_is_refused(sim):
    client = PointedClient(config("wrong-secret"), sim.url)
    async with trade_session(client):
        refused = await next_frame(client)
        assert refused["err"]["error_code"] == "PermissionDenied"
        assert refused["err"]["incoming_message"]["type"] == "auth"
        for _ in range(2):  # its next frames come before any auth: refused as unauthenticated
            assert (await next_frame(client))["err"]["error_code"] == "PermissionDenied"
    assert sim.stats.authenticated == 0 and sim.stats.auth_refused == 1
