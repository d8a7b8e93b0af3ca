"""The official BitMart SDK's WebSocket client (bitmart-python-sdk-api, `SpotSocketClient`,
which takes a URL) against our simulator: its inflate, its ping/pong, its login signature,
its reconnect; its login on the private socket. Its pushes are checked with our generated classes.

The SDK re-arms a non-daemon `threading.Timer` for its ping forever (even after `stop()`),
which would keep the test process alive; the subclass below sends one ping and arms nothing.
Everything else is the SDK's own code, run in its own threads.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import msgspec
import pytest
from bitmart.websocket.spot_socket_client import SpotSocketClient

from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.messages import decode_json
from venuewire.sim.bitmart import BitmartSimulator

pytestmark = [pytest.mark.interop, pytest.mark.timeout(60)]

SECRET = "interop-secret-5d2"
MEMO = "interop-memo-0b7"


class OnePingSpotClient(SpotSocketClient):  # type: ignore[misc]
    def start_send_ping(self) -> None:
        self.ping()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, message: dict[str, Any]) -> None:
        with self.lock:
            self.messages.append(message)

    def snapshot(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.messages)

    async def wait_for(self, condition: Callable[[list[dict[str, Any]]], bool], seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while not condition(self.snapshot()):
            if time.monotonic() > deadline:
                raise AssertionError(f"not seen in {seconds} s: {self.snapshot()[-3:]}")
            await asyncio.sleep(0.02)


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    async with BitmartSimulator(port=0, api_key="interop-key", secret=SECRET, memo=MEMO, push_interval=0.05) as server:
        yield server


async def start(
    sim: BitmartSimulator, inbox: Inbox, secret: str = SECRET, *, private: bool = False
) -> OnePingSpotClient:
    return await asyncio.to_thread(
        OnePingSpotClient,
        stream_url=sim.private_url if private else sim.url,
        on_message=inbox,
        timeout=5,
        api_key="interop-key",
        api_secret_key=secret,
        api_memo=MEMO,
    )


def depth_pushes(messages: list[dict[str, Any]]) -> list[SpotDepthPush]:
    return [decode_json(SpotDepthPush, msgspec.json.encode(m)) for m in messages if "table" in m]


async def test_sdk_reads_our_deflated_depth_pushes(sim):
    inbox = Inbox()
    client = await start(sim, inbox)
    try:
        client.subscribe("spot/depth20:BTC_USDT")
        await inbox.wait_for(lambda ms: len(depth_pushes(ms)) >= 3)
    finally:
        await asyncio.to_thread(client.stop)
    for push in depth_pushes(inbox.snapshot()):
        assert push.table == "spot/depth20" and len(push.data[0].bids) == 20
    assert "ping" in [text for channel, text in sim.received if channel == "spot"]  # answered with a text pong


async def test_sdk_reads_our_subscribe_acks(sim):
    inbox = Inbox()
    client = await start(sim, inbox)
    try:
        client.subscribe(["spot/depth5:ETH_USDT"])
        await inbox.wait_for(lambda ms: {"event": "subscribe", "topic": "spot/depth5:ETH_USDT"} in ms)
        await inbox.wait_for(lambda ms: len(depth_pushes(ms)) >= 1)
    finally:
        await asyncio.to_thread(client.stop)


async def test_sdk_login_signature_is_accepted_on_the_private_socket(sim):
    inbox = Inbox()
    client = await start(sim, inbox, private=True)
    try:
        await asyncio.to_thread(client.login, 0.2)
        await inbox.wait_for(lambda ms: {"event": "login"} in ms)
        client.subscribe(["spot/user/order:ETH_USDT"])
        await inbox.wait_for(lambda ms: {"event": "subscribe", "topic": "spot/user/order:ETH_USDT"} in ms)
    finally:
        await asyncio.to_thread(client.stop)
    assert sim.state.logins == 1 and sim.state.login_failures == 0


async def test_sdk_with_a_wrong_secret_gets_the_error_event(sim):
    inbox = Inbox()
    client = await start(sim, inbox, secret="not-the-secret", private=True)
    try:
        await asyncio.to_thread(client.login, 0.2)
        await inbox.wait_for(lambda ms: any(m.get("event") == "error" for m in ms))
    finally:
        await asyncio.to_thread(client.stop)
    [event] = [m for m in inbox.snapshot() if m.get("event") == "error"]
    assert event["errorCode"] == 30013 and event["message"] == "Invalid sign" and SECRET not in event["message"]


async def test_sdk_recovers_from_a_dropped_connection(sim):
    inbox = Inbox()
    client = await start(sim, inbox)
    try:
        client.subscribe("spot/depth5:BTC_USDT")
        await inbox.wait_for(lambda ms: len(depth_pushes(ms)) >= 1)
        await sim.drop_connections()
        seen = len(inbox.snapshot())
        await inbox.wait_for(lambda ms: len(depth_pushes(ms[seen:])) >= 2, seconds=20)
    finally:
        await asyncio.to_thread(client.stop)
    subscribes = [text for channel, text in sim.received if channel == "spot" and '"subscribe"' in text]
    assert len(subscribes) >= 2  # the SDK resubscribed on its new connection
