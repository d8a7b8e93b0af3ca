"""QfexTradeClient end to end against QfexSimulator on 127.0.0.1: auth, get_order typed and
normalized, both error envelopes, auth failures, timeouts, drops and reconnects, garbage,
serialization of concurrent callers, and the secret kept out of every text. Bounded waits."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from venuewire.credentials import QfexCredentials
from venuewire.errors import AuthError, ConnectionLost, DecodeError, RateLimited, Timeout, VenueError
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse
from venuewire.qfex.client import QfexTradeClient
from venuewire.qfex.errors import QfexAuthError, QfexError, QfexRateLimited
from venuewire.sim.qfex import DEMO_ORDER_ID, DEMO_SYMBOL, ORDERS, Fault, QfexSimulator, TradeConnection

pytestmark = pytest.mark.timeout(30)

WAIT = 10.0
KEY = "qfex_pub_client_test"
SECRET = "client-test-secret-7f3a9c"
CREDS = QfexCredentials(KEY, SECRET)
PARTLY_FILLED_ID = "9c1d7e52-3b4a-4f0e-9d61-0a8b7c6d5e4f"


@pytest.fixture
async def sim() -> AsyncIterator[QfexSimulator]:
    async with QfexSimulator(api_key=KEY, secret=SECRET, slow_reply_s=1.0) as simulator:
        yield simulator


@pytest.fixture
def nonces() -> list[str]:
    """The nonces `client(sim, nonces)` handed out, in order."""
    return []


def client(sim: QfexSimulator, nonces: list[str] | None = None, **kwargs: Any) -> QfexTradeClient:
    counter = iter(range(1, 1000))

    def nonce() -> str:
        value = f"{next(counter):04x}" + "ab" * 8
        if nonces is not None:
            nonces.append(value)
        return value

    kwargs.setdefault("timeout", 2.0)
    return QfexTradeClient(kwargs.pop("credentials", CREDS), sim.url, nonce=nonce, **kwargs)


async def within(coro: Any) -> Any:
    return await asyncio.wait_for(coro, WAIT)


async def test_authenticates_and_gets_an_order_typed_and_normalized(sim, nonces):
    async with client(sim, nonces) as qfex:
        assert qfex.connected and sim.stats.authenticated == 1
        assert [(a.nonce, a.refused) for a in sim.auths] == [(nonces[0], None)]
        resp = await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        assert isinstance(resp, AllOrdersResponse)
        assert [o.order_id for o in resp.orders] == [DEMO_ORDER_ID] and resp.stop_orders == []
        assert resp.orders[0].price == Decimal("187.25")
        normalized = await within(qfex.get_order_normalized(DEMO_SYMBOL, PARTLY_FILLED_ID))
        assert [(o.order_id, o.side, o.status, o.remaining) for o in normalized] == [
            (PARTLY_FILLED_ID, "sell", "FILLED", Decimal("1.25"))
        ]
        empty = await within(qfex.get_order("GOOG-USD", DEMO_ORDER_ID))
        assert empty.orders == [] and empty.stop_orders == []
        assert (qfex.stats.connects, qfex.stats.requests, qfex.stats.answered) == (1, 3, 3)
    assert not qfex.connected


async def test_every_open_order_comes_back_for_its_own_id(sim):
    async with client(sim) as qfex:
        for order in ORDERS:
            resp = await within(qfex.get_order(order.symbol, order.order_id))
            found = [*resp.orders, *(resp.stop_orders or [])]
            assert [o.order_id for o in found] == [order.order_id]


async def test_bad_arguments_fail_before_anything_is_sent(sim):
    async with client(sim) as qfex:
        frames = sim.stats.frames
        with pytest.raises(ValueError, match="order_id"):
            await qfex.get_order(DEMO_SYMBOL, "42")
        with pytest.raises(ValueError, match="symbol"):
            await qfex.get_order("AAPL USD", DEMO_ORDER_ID)
        assert sim.stats.frames == frames and qfex.connected


@pytest.mark.parametrize("form", ["err", "legacy"])
async def test_rate_limited_envelope_raises_a_qfex_error_that_is_also_rate_limited(form):
    sim = QfexSimulator(api_key=KEY, secret=SECRET, rate_limit=2, rate_window_s=1.0, error_form=form)
    async with sim, client(sim) as qfex:  # the auth frame is the first of the two
        await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        with pytest.raises(RateLimited) as caught:
            await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        error = caught.value
        assert isinstance(error, QfexRateLimited) and isinstance(error, QfexError)
        assert error.error_code == "RateLimited" and error.raw_message == "too many messages: slow down"
        assert error.legacy is (form == "legacy")
        if form == "err":
            assert error.incoming_message == {
                "type": "get_order",
                "params": {"symbol": DEMO_SYMBOL, "order_id": DEMO_ORDER_ID},
            }
        else:
            assert error.incoming_message is None
        assert qfex.connected and qfex.stats.refused == 1
        await asyncio.sleep(1.05)
        assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders
        assert qfex.stats.connects == 1


async def test_wrong_secret_is_a_qfex_auth_error_with_the_signature_redacted(sim, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = QfexCredentials(KEY, "not-the-right-secret-123")
    qfex = client(sim, credentials=wrong)
    with pytest.raises(AuthError) as caught:
        await within(qfex.connect())
    error = caught.value
    assert isinstance(error, QfexAuthError) and error.error_code == "PermissionDenied"
    assert error.incoming_message is not None
    assert error.incoming_message["params"]["hmac"]["signature"] == "***"
    assert not qfex.connected and qfex.stats.auth_failures == 1
    for text in (str(error), repr(error), repr(qfex), caplog.text):
        assert "not-the-right-secret-123" not in text
    await qfex.close()


async def test_unknown_key_is_an_auth_error_from_the_handshake(sim):
    qfex = client(sim, credentials=QfexCredentials("qfex_pub_nobody", SECRET))
    with pytest.raises(AuthError) as caught:
        await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
    assert not isinstance(caught.value, QfexError) and caught.value.code == 401
    await qfex.close()


async def test_nothing_listening_is_connection_lost():
    async with QfexSimulator() as sim:
        url = sim.url
    qfex = QfexTradeClient(CREDS, url, timeout=2.0)
    with pytest.raises(ConnectionLost):
        await within(qfex.connect())
    await qfex.close()


async def test_a_slow_reply_is_a_timeout_and_the_next_call_uses_a_new_connection(sim, nonces):
    async with client(sim, nonces, timeout=0.3) as qfex:
        sim.faults.add(Fault.SLOW_REPLY)
        started = time.monotonic()
        with pytest.raises(Timeout) as caught:
            await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        assert 0.25 <= time.monotonic() - started < 1.0
        assert "get_order" in str(caught.value) and qfex.stats.timeouts == 1
        sim.faults.clear()
        assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders
        assert qfex.stats.connects == 2 and qfex.stats.reconnects == 1
        assert len(set(nonces)) == 2 == sim.stats.authenticated


async def test_a_slow_auth_is_a_timeout_on_connect(sim):
    sim.faults.add(Fault.SLOW_REPLY)
    qfex = client(sim, timeout=0.3)
    with pytest.raises(Timeout, match="connecting"):
        await within(qfex.connect())
    await qfex.close()


async def test_a_drop_is_connection_lost_then_the_next_call_reconnects_with_a_fresh_nonce(sim, nonces):
    async with client(sim, nonces) as qfex:
        sim.faults.add(Fault.DROP_CONNECTION)
        with pytest.raises(ConnectionLost):
            await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        assert not qfex.connected and qfex.stats.connections_lost == 1
        sim.faults.clear()
        assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders
        assert qfex.connected and qfex.stats.reconnects == 1
        accepted = [a.nonce for a in sim.auths if a.refused is None]
        assert accepted == nonces and len(set(accepted)) == 2


async def test_a_server_side_close_is_noticed_and_recovered(sim):
    async with client(sim) as qfex:
        await within(sim.drop_connections())
        for _ in range(100):
            if not qfex.connected:
                break
            await asyncio.sleep(0.02)
        assert not qfex.connected
        assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders


async def test_a_garbage_answer_is_a_decode_error_and_the_client_carries_on(sim, caplog):
    async with client(sim) as qfex:
        sim.faults.add(Fault.GARBAGE_FRAME)
        with pytest.raises(DecodeError) as caught:
            await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        assert caught.value.venue == "qfex" and caught.value.field_path == ()
        sim.faults.clear()
        assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders
        assert qfex.stats.connects == 2


async def test_concurrent_callers_are_serialized_and_each_gets_its_own_answer(sim, monkeypatch):
    arrivals: list[float] = []
    receive = TradeConnection.receive

    def recording(self: TradeConnection, data: str | bytes, *, now: float, mono: float) -> list[str]:
        if b"get_order" in (data if isinstance(data, bytes) else data.encode()):
            arrivals.append(time.monotonic())
        return receive(self, data, now=now, mono=mono)

    monkeypatch.setattr(TradeConnection, "receive", recording)
    sim.slow_reply_s = 0.1
    async with client(sim) as qfex:
        sim.faults.add(Fault.SLOW_REPLY)
        wanted = [(o.symbol, o.order_id) for o in ORDERS]
        results = await within(asyncio.gather(*(qfex.get_order(s, i) for s, i in wanted)))
        for (_, order_id), resp in zip(wanted, results, strict=True):
            assert [o.order_id for o in [*resp.orders, *(resp.stop_orders or [])]] == [order_id]
        gaps = [b - a for a, b in itertools.pairwise(arrivals)]
        assert len(arrivals) == len(wanted) and min(gaps) >= 0.08  # the next is sent after the last answer
        assert qfex.stats.connects == 1


async def test_a_cancelled_call_abandons_its_connection(sim):
    async with client(sim) as qfex:
        sim.faults.add(Fault.SLOW_REPLY)
        task = asyncio.create_task(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await within(task)
        sim.faults.clear()
        assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders
        assert qfex.stats.connects == 2


async def test_server_pings_are_answered_and_the_connection_stays():
    sim = QfexSimulator(api_key=KEY, secret=SECRET, ping_interval_s=0.4)
    async with sim, client(sim, heartbeat=None) as qfex:
        await asyncio.sleep(1.0)  # two pings; aiohttp's server closes when one is not ponged
        assert qfex.connected
        assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders
        assert qfex.stats.connects == 1


async def test_close_then_use_again(sim):
    qfex = client(sim)
    await within(qfex.connect())
    await within(qfex.close())
    assert not qfex.connected
    assert (await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))).orders
    await within(qfex.close())


def test_settings_are_checked():
    with pytest.raises(TypeError):
        QfexTradeClient(("key", "secret"), "ws://127.0.0.1:1/")  # type: ignore[arg-type]
    for bad in (
        {"timeout": 0},
        {"timeout": True},
        {"heartbeat": -1},
        {"backoff_initial": 0},
        {"backoff_max": -1},
        {"healthy_after": 0},
        {"backoff_initial": 5.0, "backoff_max": 1.0},
    ):
        with pytest.raises(ValueError):
            QfexTradeClient(CREDS, "ws://127.0.0.1:1/", **bad)
    with pytest.raises(ValueError):
        QfexTradeClient(CREDS, "http://127.0.0.1:1/")


async def test_the_secret_never_appears_in_reprs_logs_or_errors(sim, caplog):
    caplog.set_level(logging.DEBUG)
    errors: list[VenueError] = []
    async with client(sim, timeout=0.5) as qfex:
        for fault in (Fault.GARBAGE_FRAME, Fault.DROP_CONNECTION, Fault.SLOW_REPLY):
            sim.faults = {fault}
            try:
                await within(qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
            except VenueError as exc:
                errors.append(exc)
        sim.faults.clear()
        texts = [repr(qfex), str(qfex), str(qfex.stats), caplog.text, *map(str, errors), *map(repr, errors)]
    assert len(errors) == 3
    for text in texts:
        assert SECRET not in text
