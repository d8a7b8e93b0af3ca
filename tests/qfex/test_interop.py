"""The official `qfex` package (QFEXTakerClient, a test dependency only) against our simulator.

Its trade session is driven as it ships: `_trade_session()` connects with `websockets`, sends
its own auth frame (built by `_build_auth_message`: its own nonce, clock and HMAC), then
`cancel_on_disconnect` and a `subscribe`, and flushes frames queued with `_enqueue_trade`
through its writer task. A test subclass changes only where it connects (`_trade_url`, to
`sim.url`) and records every frame its handler receives. The simulator implements only auth
and get_order, so it answers the other two frames with an InvalidJSONFormat error envelope,
which the official client logs and ignores. Its market-data loop (`_run_mds_loop`) is never
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
        refused = await next_frame(client)  # subscribe: not implemented by the simulator yet
        assert refused["err"]["error_code"] == "InvalidJSONFormat"
        assert refused["err"]["incoming_message"]["type"] == "subscribe"
        await client._enqueue_trade({"type": "get_order", "params": {"symbol": DEMO_SYMBOL, "order_id": DEMO_ORDER_ID}})
        answer = await next_frame(client)
        orders = decode_json(AllOrdersResponseMessage, json.dumps(answer)).all_orders_response.orders
        assert [o.order_id for o in orders] == [DEMO_ORDER_ID]
    assert sim.stats.authenticated == 1 and sim.stats.served == 1
    [seen] = sim.auths
    assert seen.refused is None and seen.api_key == KEY and len(seen.nonce) == 32


async def test_its_trade_session_with_a_wrong_secret_is_refused(sim):
    client = PointedClient(config("wrong-secret"), sim.url)
    async with trade_session(client):
        refused = await next_frame(client)
        assert refused["err"]["error_code"] == "PermissionDenied"
        assert refused["err"]["incoming_message"]["type"] == "auth"
        for _ in range(2):  # its next frames come before any auth: refused as unauthenticated
            assert (await next_frame(client))["err"]["error_code"] == "PermissionDenied"
    assert sim.stats.authenticated == 0 and sim.stats.auth_refused == 1
