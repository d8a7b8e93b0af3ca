"""The QFEX simulator driven with raw aiohttp WebSockets and auth frames signed by hand (not
with venuewire's signer), plus its pure parts on their own. Every wait is bounded; everything
talks to 127.0.0.1."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import msgspec
import pytest

from venuewire.generated.qfex.all_orders_response import AllOrdersResponse, AllOrdersResponseMessage
from venuewire.generated.qfex.auth import HmacAuthParams
from venuewire.messages import decode_json, encode_json
from venuewire.sim import qfex as sim_module
from venuewire.sim.qfex import (
    CLOSED_ORDERS,
    DEFAULT_API_KEY,
    DEFAULT_SECRET,
    DEMO_ORDER_ID,
    DEMO_SYMBOL,
    GARBAGE,
    ORDERS,
    Fault,
    FrameLimit,
    NonceBook,
    QfexSimulator,
    expected_signature,
    get_order_reply,
    is_open,
    verify_auth,
)

pytestmark = pytest.mark.timeout(30)

WAIT = 5.0
STOP_ID = "1f6e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
PARTLY_FILLED_ID = "9c1d7e52-3b4a-4f0e-9d61-0a8b7c6d5e4f"


def sign(secret: str, nonce: str, unix_ts: int) -> str:
    return hmac.new(secret.encode(), f"{nonce}:{unix_ts}".encode(), hashlib.sha256).hexdigest()


def auth_frame(
    *, key: str = DEFAULT_API_KEY, secret: str = DEFAULT_SECRET, nonce: str | None = None, unix_ts: int | None = None
) -> dict[str, Any]:
    nonce = secrets.token_hex(16) if nonce is None else nonce
    unix_ts = int(time.time()) if unix_ts is None else unix_ts
    proof = {"public_key": key, "nonce": nonce, "unix_ts": unix_ts, "signature": sign(secret, nonce, unix_ts)}
    return {"type": "auth", "params": {"hmac": proof}}


def get_order(symbol: str = DEMO_SYMBOL, order_id: str = DEMO_ORDER_ID) -> dict[str, Any]:
    return {"type": "get_order", "params": {"symbol": symbol, "order_id": order_id}}


@pytest.fixture
async def sim() -> AsyncIterator[QfexSimulator]:
    async with QfexSimulator(slow_reply_s=0.3) as simulator:
        yield simulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def connect(
    http: aiohttp.ClientSession, sim: QfexSimulator, key: str = DEFAULT_API_KEY, **kwargs: Any
) -> aiohttp.ClientWebSocketResponse:
    return await asyncio.wait_for(http.ws_connect(sim.url, params={"api_key": key}, **kwargs), WAIT)


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message = await asyncio.wait_for(ws.receive(), WAIT)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    data = json.loads(message.data)
    assert isinstance(data, dict)
    return data


async def ask(ws: aiohttp.ClientWebSocketResponse, frame: dict[str, Any] | str) -> dict[str, Any]:
    await ws.send_str(frame if isinstance(frame, str) else json.dumps(frame))
    return await receive(ws)


async def authed(http: aiohttp.ClientSession, sim: QfexSimulator, **kwargs: Any) -> aiohttp.ClientWebSocketResponse:
    ws = await connect(http, sim, **kwargs)
    assert await ask(ws, auth_frame()) == {"authenticated": True}
    return ws


def error_code(reply: dict[str, Any]) -> str:
    assert set(reply) == {"err"}, reply
    assert set(reply["err"]) == {"error_code", "message", "incoming_message"}
    assert isinstance(reply["err"]["message"], str)
    return str(reply["err"]["error_code"])


# --- the orders -------------------------------------------------------------------------------


def test_orders_encode_as_qfex_sends_them_with_float_numbers():
    every = [*ORDERS, *CLOSED_ORDERS]
    text = encode_json(AllOrdersResponseMessage(AllOrdersResponse(orders=list(every), stop_orders=[])))
    raws = json.loads(text)["all_orders_response"]["orders"]
    assert len(raws) == len(every)
    for raw in raws:
        stop = raw["type"] in ("TAKE_PROFIT", "STOP_LOSS", "STOP_MARKET")
        for name in ("quantity", "price", "quantity_remaining"):
            assert type(raw[name]) is float, (raw["order_id"], name)
        for name in ("take_profit", "stop_loss", "update_time"):  # absent from stop orders (documented shape)
            assert (name not in raw) if stop else type(raw[name]) is float, (raw["order_id"], name)
        assert ("trade_id" not in raw) if stop else (raw["trade_id"] is None or isinstance(raw["trade_id"], str))
    assert b'"quantity":10.0' in text and b'"trade_id":null' in text
    assert len({o.order_id for o in every}) == len(every)


def test_demo_order_is_an_open_order_on_the_demo_symbol():
    demo = [o for o in ORDERS if o.order_id == DEMO_ORDER_ID]
    assert len(demo) == 1 and demo[0].symbol == DEMO_SYMBOL == "AAPL-USD" and is_open(demo[0])
    assert all(is_open(o) for o in ORDERS) and not any(is_open(o) for o in CLOSED_ORDERS)


def test_get_order_reply_returns_only_open_matching_orders_split_by_kind():
    assert get_order_reply(DEMO_SYMBOL, DEMO_ORDER_ID).all_orders_response.orders[0].order_id == DEMO_ORDER_ID
    partly = get_order_reply(DEMO_SYMBOL, PARTLY_FILLED_ID.upper()).all_orders_response
    assert [o.quantity_remaining for o in partly.orders] == [Decimal("1.25")] and partly.stop_orders == []
    stop = get_order_reply("GOOG-USD", STOP_ID).all_orders_response
    assert stop.orders == [] and [o.type for o in stop.stop_orders or []] == ["STOP_LOSS"]
    empty = AllOrdersResponseMessage(AllOrdersResponse(orders=[], stop_orders=[]))
    assert get_order_reply("GOOG-USD", DEMO_ORDER_ID) == empty  # symbol does not match
    for closed in CLOSED_ORDERS:
        assert get_order_reply(closed.symbol, closed.order_id) == empty


# --- pure checks ------------------------------------------------------------------------------


def proof(secret: str = DEFAULT_SECRET, **changes: Any) -> HmacAuthParams:
    frame = auth_frame(secret=secret, nonce=changes.pop("nonce", "ab" * 16), unix_ts=changes.pop("unix_ts", 1000))
    return msgspec.convert(frame["params"]["hmac"] | changes, HmacAuthParams)


def test_expected_signature_is_hex_hmac_of_nonce_colon_ts():
    assert expected_signature("s", "c0ffee", 1760545414) == sign("s", "c0ffee", 1760545414)
    assert len(expected_signature("s", "c0ffee", 1)) == 64


@pytest.mark.parametrize(
    ("changes", "now", "reason"),
    [
        ({}, 1000.0, None),
        ({}, 1030.0, None),
        ({}, 1031.0, "unix_ts"),
        ({}, 969.0, "unix_ts"),
        ({"public_key": "other"}, 1000.0, "public_key"),
        ({"signature": "0" * 64}, 1000.0, "signature"),
        ({"nonce": "a" * 101}, 1000.0, "nonce"),
        ({"nonce": "not-hex"}, 1000.0, "nonce"),
        ({"nonce": ""}, 1000.0, "nonce"),
        ({"unix_ts": 1_000_000}, 1000.0, "unix_ts"),
    ],
)
def test_verify_auth_checks_each_part(changes: dict[str, Any], now: float, reason: str | None):
    refused = verify_auth(DEFAULT_SECRET, DEFAULT_API_KEY, proof(**changes), now, 30.0, NonceBook())
    assert refused is None if reason is None else reason in (refused or "")


def test_a_100_character_nonce_is_fine_and_the_wrong_secret_is_not():
    good = proof(nonce="a" * 100)
    assert verify_auth(DEFAULT_SECRET, DEFAULT_API_KEY, good, 1000.0, 30.0, NonceBook()) is None
    assert verify_auth("other", DEFAULT_API_KEY, good, 1000.0, 30.0, NonceBook()) == "signature does not match"


def test_nonce_book_remembers_nonces_for_the_window_per_key():
    book = NonceBook(900)
    book.add("k", "ab", 1000.0)
    assert book.seen("k", "ab", 1899.0) and not book.seen("k", "ab", 1900.0)
    assert not book.seen("other", "ab", 1000.0)
    assert verify_auth(DEFAULT_SECRET, DEFAULT_API_KEY, proof(nonce="ab"), 1000.0, 30.0, book) is None
    book.add(DEFAULT_API_KEY, "ab", 1000.0)
    refused = verify_auth(DEFAULT_SECRET, DEFAULT_API_KEY, proof(nonce="ab"), 1000.0, 30.0, book)
    assert refused == "nonce was already used"


def test_frame_limit_is_a_sliding_window():
    limit = FrameLimit(2, 1.0)
    assert limit.allow(0.0) and limit.allow(0.5) and not limit.allow(0.9)
    assert limit.allow(1.0) and not limit.allow(1.4) and limit.allow(1.5)
    with pytest.raises(ValueError):
        FrameLimit(0, 1.0)


def test_simulator_settings_are_checked():
    for bad in ({"auth_within_s": 0}, {"ping_interval_s": 0}, {"rate_limit": 0}, {"error_form": "xml"}):
        with pytest.raises(ValueError):
            QfexSimulator(**bad)
    sim = QfexSimulator()
    with pytest.raises(ValueError):
        sim.add_key("", "secret")
    assert DEFAULT_SECRET not in repr(sim) and DEFAULT_SECRET not in repr(sim.state)


# --- the server -------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"api_key": "unknown"}, {"api_key": ""}])
async def test_missing_or_unknown_api_key_is_refused_with_http_401(sim, http, params):
    with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
        await asyncio.wait_for(http.ws_connect(sim.url, params=params), WAIT)
    assert caught.value.status == 401
    assert sim.stats.refused_connections == 1 and sim.stats.connections == 0


async def test_auth_then_get_order(sim, http):
    ws = await authed(http, sim)
    reply = await ask(ws, get_order())
    assert [o["order_id"] for o in reply["all_orders_response"]["orders"]] == [DEMO_ORDER_ID]
    assert reply["all_orders_response"]["stop_orders"] == []
    decode_json(AllOrdersResponseMessage, json.dumps(reply))
    none = await ask(ws, get_order("AAPL-USD", "00000000-0000-4000-8000-000000000000"))
    assert none == {"all_orders_response": {"orders": [], "stop_orders": []}}
    assert sim.stats.authenticated == 1 and sim.stats.served == 2
    assert [a.refused for a in sim.auths] == [None]


async def test_a_request_before_auth_is_permission_denied_with_the_frame_echoed(sim, http):
    ws = await connect(http, sim)
    reply = await ask(ws, get_order())
    assert error_code(reply) == "PermissionDenied"
    assert reply["err"]["incoming_message"] == get_order()
    assert await ask(ws, auth_frame()) == {"authenticated": True}  # the connection stays usable
    assert sim.stats.unauthenticated == 1


@pytest.mark.parametrize("text", ["{not json", "[1]", '{"params": {}}', '{"type": 3}'])
async def test_frames_that_are_not_typed_json_objects_are_invalid_json(sim, http, text):
    ws = await connect(http, sim)
    reply = await ask(ws, text)
    assert error_code(reply) == "InvalidJSONFormat"
    assert reply["err"]["incoming_message"] == (json.loads(text) if text.startswith('{"') else None)
    assert sim.stats.invalid_json == 1


async def test_a_second_auth_is_already_authenticated(sim, http):
    ws = await authed(http, sim)
    assert error_code(await ask(ws, auth_frame())) == "AlreadyAuthenticated"
    assert "all_orders_response" in await ask(ws, get_order())


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (auth_frame(secret="wrong-secret"), "PermissionDenied"),
        (auth_frame(key="qfex_pub_someone_else"), "PermissionDenied"),
        (auth_frame(unix_ts=int(time.time()) - 120), "PermissionDenied"),
        (auth_frame(unix_ts=int(time.time() * 1000)), "PermissionDenied"),
        (auth_frame(nonce="f" * 101), "PermissionDenied"),
        (auth_frame(nonce="xyz"), "PermissionDenied"),
        ({"type": "auth", "params": {"jwt": "eyJ.x.y"}}, "PermissionDenied"),
        ({"type": "auth", "params": {"api_key": DEFAULT_API_KEY}}, "PermissionDenied"),
        ({"type": "auth", "params": {"hmac": {"public_key": DEFAULT_API_KEY}}}, "InvalidParameter"),
        ({"type": "auth"}, "InvalidParameter"),
    ],
)
async def test_refused_auth_frames(sim, http, frame, code):
    ws = await connect(http, sim)
    reply = await ask(ws, frame)
    assert error_code(reply) == code
    assert reply["err"]["incoming_message"] == frame
    assert error_code(await ask(ws, get_order())) == "PermissionDenied"  # still not authenticated
    assert sim.stats.authenticated == 0


async def test_timestamps_are_compared_with_the_simulator_clock(http):
    async with QfexSimulator(clock=lambda: 2_000_000_000.0) as sim:
        ws = await connect(http, sim)
        assert error_code(await ask(ws, auth_frame(unix_ts=2_000_000_031))) == "PermissionDenied"
        assert await ask(ws, auth_frame(unix_ts=2_000_000_030)) == {"authenticated": True}


async def test_a_nonce_is_refused_when_reused_on_any_connection(sim, http):
    frame = auth_frame(nonce="abc123")
    first = await connect(http, sim)
    assert await ask(first, frame) == {"authenticated": True}
    second = await connect(http, sim)
    reply = await ask(second, frame)
    assert error_code(reply) == "PermissionDenied" and "nonce" in reply["err"]["message"]
    assert await ask(second, auth_frame()) == {"authenticated": True}
    assert [a.refused is None for a in sim.auths] == [True, False, True]


async def test_a_refused_signature_does_not_burn_the_nonce(sim, http):
    ws = await connect(http, sim)
    assert error_code(await ask(ws, auth_frame(nonce="beef", secret="wrong"))) == "PermissionDenied"
    assert await ask(ws, auth_frame(nonce="beef")) == {"authenticated": True}


async def test_added_keys_authenticate_with_their_own_secret(sim, http):
    sim.add_key("qfex_pub_second", "second-secret")
    ws = await connect(http, sim, key="qfex_pub_second")
    assert error_code(await ask(ws, auth_frame(key="qfex_pub_second"))) == "PermissionDenied"
    good = auth_frame(key="qfex_pub_second", secret="second-secret")
    assert await ask(ws, good) == {"authenticated": True}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"symbol": DEMO_SYMBOL},
        {"order_id": DEMO_ORDER_ID},
        {"symbol": DEMO_SYMBOL, "order_id": "not-a-uuid"},
        {"symbol": "", "order_id": DEMO_ORDER_ID},
        {"symbol": "AAPL USD", "order_id": DEMO_ORDER_ID},
        {"symbol": 5, "order_id": DEMO_ORDER_ID},
    ],
)
async def test_get_order_with_missing_or_invalid_params_is_invalid_parameter(sim, http, params):
    ws = await authed(http, sim)
    frame = {"type": "get_order", "params": params}
    reply = await ask(ws, frame)
    assert error_code(reply) == "InvalidParameter" and reply["err"]["incoming_message"] == frame
    assert sim.stats.invalid_params == 1 and sim.stats.served == 0


async def test_other_message_types_are_not_implemented(sim, http):
    ws = await authed(http, sim)
    frame = {"type": "add_twap", "params": {"symbol": "AAPL-USD"}}  # documented, not simulated
    reply = await ask(ws, frame)
    assert error_code(reply) == "InvalidJSONFormat" and "add_twap" in reply["err"]["message"]
    assert sim.stats.unsupported == 1


async def test_errors_in_the_legacy_form(http):
    async with QfexSimulator(error_form="legacy") as sim:
        ws = await connect(http, sim)
        reply = await ask(ws, get_order())
        assert reply == {"type": "error", "error_code": "PermissionDenied", "message": "authenticate first"}
        sim.error_form = "err"
        assert error_code(await ask(ws, get_order())) == "PermissionDenied"
        with pytest.raises(ValueError):
            sim.error_form = "xml"  # type: ignore[assignment]


async def test_more_frames_than_the_rate_limit_are_rate_limited(http):
    async with QfexSimulator(rate_limit=3, rate_window_s=1.0) as sim:
        ws = await authed(http, sim)
        assert "all_orders_response" in await ask(ws, get_order())
        assert "all_orders_response" in await ask(ws, get_order())
        reply = await ask(ws, get_order())
        assert error_code(reply) == "RateLimited" and reply["err"]["incoming_message"] == get_order()
        await asyncio.sleep(1.05)
        assert "all_orders_response" in await ask(ws, get_order())
        other = await authed(http, sim)  # counted per connection
        assert "all_orders_response" in await ask(other, get_order())
        assert sim.stats.rate_limited == 1


async def test_a_connection_that_does_not_authenticate_in_time_is_closed(http):
    async with QfexSimulator(auth_within_s=0.3) as sim:
        lazy = await connect(http, sim)
        prompt = await authed(http, sim)
        started = time.monotonic()
        message = await asyncio.wait_for(lazy.receive(), WAIT)
        assert message.type is aiohttp.WSMsgType.CLOSE and message.data == 1008
        assert 0.2 <= time.monotonic() - started < 2
        await asyncio.sleep(0.2)
        assert "all_orders_response" in await ask(prompt, get_order())
        assert sim.stats.auth_timeouts == 1


async def test_a_refused_auth_does_not_stop_the_deadline(http):
    async with QfexSimulator(auth_within_s=0.3) as sim:
        ws = await connect(http, sim)
        assert error_code(await ask(ws, auth_frame(secret="wrong"))) == "PermissionDenied"
        message = await asyncio.wait_for(ws.receive(), WAIT)
        assert message.type is aiohttp.WSMsgType.CLOSE


async def test_the_server_sends_websocket_pings(http):
    async with QfexSimulator(ping_interval_s=0.2) as sim:
        ws = await connect(http, sim, autoping=False)
        message = await asyncio.wait_for(ws.receive(), WAIT)
        assert message.type is aiohttp.WSMsgType.PING


async def test_drop_connection_cuts_the_connection_instead_of_replying(sim, http):
    ws = await authed(http, sim)
    sim.faults.add(Fault.DROP_CONNECTION)
    await ws.send_str(json.dumps(get_order()))
    message = await asyncio.wait_for(ws.receive(), WAIT)
    assert message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.ERROR)
    assert sim.stats.dropped_by_fault == 1
    sim.faults.clear()
    assert "all_orders_response" in await ask(await authed(http, sim), get_order())


async def test_garbage_frame_replaces_the_reply_and_keeps_the_connection(sim, http):
    ws = await authed(http, sim)
    sim.faults.add(Fault.GARBAGE_FRAME)
    await ws.send_str(json.dumps(get_order()))
    message = await asyncio.wait_for(ws.receive(), WAIT)
    assert message.type is aiohttp.WSMsgType.TEXT and message.data == GARBAGE
    with pytest.raises(ValueError):
        json.loads(message.data)
    sim.faults.discard(Fault.GARBAGE_FRAME)
    assert "all_orders_response" in await ask(ws, get_order())
    assert sim.stats.garbage_sent == 1


async def test_slow_reply_delays_each_reply(sim, http):
    ws = await authed(http, sim)
    sim.faults.add(Fault.SLOW_REPLY)
    started = time.monotonic()
    assert "all_orders_response" in await ask(ws, get_order())
    assert time.monotonic() - started >= 0.28


async def test_close_ends_open_connections(http):
    sim = QfexSimulator()
    await sim.start()
    with pytest.raises(RuntimeError):
        await sim.start()
    ws = await authed(http, sim)
    await asyncio.wait_for(sim.close(), WAIT)
    message = await asyncio.wait_for(ws.receive(), WAIT)
    assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


async def test_serve_uses_the_environment_and_stops_when_cancelled(monkeypatch, http):
    monkeypatch.setenv("VENUEWIRE_QFEX_PUBLIC_KEY", "qfex_pub_from_env")
    monkeypatch.setenv("VENUEWIRE_QFEX_SECRET", "secret-from-env")
    ready: asyncio.Future[tuple[str, int]] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(sim_module.serve("127.0.0.1", 0, lambda h, p: ready.set_result((h, p))))
    host, port = await asyncio.wait_for(ready, WAIT)
    url = f"ws://{host}:{port}/"
    ws = await asyncio.wait_for(http.ws_connect(url, params={"api_key": "qfex_pub_from_env"}), WAIT)
    frame = auth_frame(key="qfex_pub_from_env", secret="secret-from-env")
    assert await ask(ws, frame) == {"authenticated": True}
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await asyncio.wait_for(http.ws_connect(url, params={"api_key": DEFAULT_API_KEY}), WAIT)
    await ws.close()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, WAIT)


@pytest.mark.timeout(60)
def test_venuewire_sim_qfex_serves_and_stops_on_sigint():
    env = {**os.environ, "VENUEWIRE_QFEX_PUBLIC_KEY": "qfex_pub_cli", "VENUEWIRE_QFEX_SECRET": "cli-secret"}
    command = [sys.executable, "-m", "venuewire", "sim", "qfex", "--port", "0"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
        assert match, line

        async def authenticate() -> dict[str, Any]:
            async with aiohttp.ClientSession() as http:
                url = f"ws://127.0.0.1:{match.group(1)}/"
                ws = await asyncio.wait_for(http.ws_connect(url, params={"api_key": "qfex_pub_cli"}), WAIT)
                reply = await ask(ws, auth_frame(key="qfex_pub_cli", secret="cli-secret"))
                await ws.close()
                return reply

        assert asyncio.run(authenticate()) == {"authenticated": True}
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert out == "" and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
