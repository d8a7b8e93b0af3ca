"""QfexTradeClient against misbehaving trade WebSockets on 127.0.0.1 (tests/hostile/peers.py).

Every case goes through the public client and asserts the error contract: only VenueError
subclasses reach the caller (DecodeError for bad answers, Timeout for stalls, ConnectionLost
for drops, AuthError / RateLimited for refused handshakes), the client carries on afterwards,
reconnects back off, and the secret is nowhere. Each case is short and bounded.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from tests.hostile.peers import Peer, hold, ws_peer
from tests.hostile.secrets import assert_no_secret
from venuewire.credentials import QfexCredentials
from venuewire.errors import (
    AuthError,
    ConnectionLost,
    DecodeError,
    RateLimited,
    Timeout,
    VenueError,
    WrongEventLoop,
)
from venuewire.qfex.client import QfexTradeClient
from venuewire.qfex.errors import QfexError

pytestmark = pytest.mark.timeout(30)

KEY = "qfex_pub_hostile"
SECRET = "hostile-secret-4c2e9a7d1b"
CREDS = QfexCredentials(KEY, SECRET)
SYMBOL = "AAPL-USD"
ORDER_ID = "57cc1941-8ad1-4df3-b34c-bb556518befc"
AUTHENTICATED = '{"authenticated": true}'

ORDER: dict[str, Any] = {
    "order_id": ORDER_ID,
    "symbol": SYMBOL,
    "status": "ACK",
    "quantity": 1.5,
    "price": 187.25,
    "take_profit": 0.0,
    "stop_loss": 0.0,
    "side": "BUY",
    "type": "LIMIT",
    "time_in_force": "GTC",
    "user_id": "6b0c3a55-1d2e-4f7a-9c8b-5e4d3c2b1a09",
    "client_order_id": "c-1",
    "quantity_remaining": 1.5,
    "update_time": 1758208700.125,
    "trade_id": None,
}
GOOD_ANSWER = json.dumps({"all_orders_response": {"orders": [ORDER], "stop_orders": []}})

Answer = Callable[[web.WebSocketResponse, int], Awaitable[None]]
"""What a peer sends for its n-th get_order (n from 0, counted across connections)."""


async def good(ws: web.WebSocketResponse, n: int) -> None:
    await ws.send_str(GOOD_ANSWER)


def trade_peer(answer: Answer = good, *, after_auth: Callable[[web.WebSocketResponse], Awaitable[None]] | None = None):
    """A handler that accepts any auth frame, then runs `after_auth` (e.g. a close) and
    answers each get_order with `answer`."""

    asked = 0

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        nonlocal asked
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            kind = json.loads(message.data).get("type")
            if kind == "auth":
                await ws.send_str(AUTHENTICATED)
                if after_auth is not None:
                    await after_auth(ws)
                    return
            elif kind == "get_order":
                await answer(ws, asked)
                asked += 1

    return handler


def client(peer: Peer, **kwargs: Any) -> QfexTradeClient:
    kwargs.setdefault("timeout", 1.0)
    kwargs.setdefault("heartbeat", None)
    return QfexTradeClient(CREDS, peer.ws_url, **kwargs)


def order_frame(**changes: Any) -> str:
    """An all_orders_response whose one order has `changes` (values are JSON text)."""
    text = json.dumps({"all_orders_response": {"orders": [ORDER]}})
    for field, raw in changes.items():
        old = json.dumps({field: ORDER[field]})[1:-1]
        assert old in text
        text = text.replace(old, f'"{field}": {raw}')
    return text


# ------------------------------------------------------------------ broken answers


async def test_frames_that_are_not_json_are_decode_errors_and_the_client_carries_on():
    frames: list[str | bytes] = [
        '{"all_orders_response": {"orders": [',
        "<html>502</html>",
        "",
        b"\x00\xff\xfe\x80garbage\x9c",
        b"\xff" * 64,
    ]

    async def answer(ws: web.WebSocketResponse, n: int) -> None:
        frame = frames.pop(0) if frames else GOOD_ANSWER
        await (ws.send_bytes(frame) if isinstance(frame, bytes) else ws.send_str(frame))

    async with ws_peer(trade_peer(answer)) as peer, client(peer, backoff_initial=0.01) as qfex:
        for _ in range(5):  # each unpairable answer costs the connection (and a backoff step)
            with pytest.raises(DecodeError) as caught:
                await qfex.get_order(SYMBOL, ORDER_ID)
            assert caught.value.venue == "qfex"
        assert (await qfex.get_order(SYMBOL, ORDER_ID)).orders[0].order_id == ORDER_ID
        assert peer.connections == 6


@pytest.mark.parametrize(
    "frame",
    [
        b'{"all_orders_response": {"orders": [{"order_id": "\xff\xfe"}]}}',
        b'{"all_orders_\xc3\x28": {}}',
        b'{"\xed\xa0\x80": 1}',
    ],
    ids=["in_a_value", "in_a_key", "surrogate_key"],
)
async def test_invalid_utf8_inside_json_strings_is_a_decode_error(frame: bytes):
    async def answer(ws: web.WebSocketResponse, n: int) -> None:
        await (ws.send_bytes(frame) if n == 0 else ws.send_str(GOOD_ANSWER))

    async with ws_peer(trade_peer(answer)) as peer, client(peer) as qfex:
        with pytest.raises(DecodeError) as caught:
            await qfex.get_order(SYMBOL, ORDER_ID)
        assert "UTF-8" in str(caught.value)
        assert (await qfex.get_order(SYMBOL, ORDER_ID)).orders


WRONG_TYPES = ["true", "[]", '{"a": 1}']
OUT_OF_RANGE: list[tuple[str, str]] = [
    ("update_time", "1e300"),
    ("update_time", "-1e300"),
    ("update_time", "1e999"),
    ("update_time", "1e20"),
    ("update_time", "1" + "0" * 400),
    ("quantity", "1e99999999999999999999"),
    ("price", "-1e99999999999999999999"),
    ("quantity_remaining", "1e-99999999999999999999"),
    ("take_profit", "1e99999999999999999999"),
]


async def test_wrong_types_and_out_of_range_values_in_every_order_field_are_decode_errors():
    cases = [(field, raw) for field in ORDER for raw in WRONG_TYPES]
    cases += OUT_OF_RANGE
    frames = [order_frame(**{field: raw}) for field, raw in cases]

    async def answer(ws: web.WebSocketResponse, n: int) -> None:
        await ws.send_str(frames[n] if n < len(frames) else GOOD_ANSWER)

    async with ws_peer(trade_peer(answer)) as peer, client(peer) as qfex:
        for field, raw in cases:
            with pytest.raises(DecodeError) as caught:
                await qfex.get_order(SYMBOL, ORDER_ID)
            error = caught.value
            assert error.field_path == ("all_orders_response", "orders", 0, field), (field, raw, error)
        assert (await qfex.get_order(SYMBOL, ORDER_ID)).orders
        assert qfex.stats.connects == 1  # a frame that decodes as JSON keeps the pairing


async def test_a_huge_exponent_price_is_an_exact_finite_decimal_not_an_exception():
    """1e999 as a Decimal-typed field is the finite Decimal 1E+999 (msgspec reads it from the
    text), so it is a value, not an infinity; as the float update_time it is out of range."""

    async def answer(ws: web.WebSocketResponse, n: int) -> None:
        await ws.send_str(order_frame(price="1e999"))

    async with ws_peer(trade_peer(answer)) as peer, client(peer) as qfex:
        (order,) = await qfex.get_order_normalized(SYMBOL, ORDER_ID)
        assert order.price == Decimal("1E+999") and order.price.is_finite()


ODD_ENVELOPES = [
    '{"err": null}',
    '{"err": "RateLimited"}',
    '{"err": []}',
    '{"err": {"error_code": 429}}',
    '{"err": {"error_code": null}}',
    '{"err": {"error_code": "RateLimited", "message": 7}}',
    '{"err": {"error_code": "RateLimited", "incoming_message": "get_order"}}',
    '{"err": {}}',
    '{"type": "error", "error_code": ["RateLimited"]}',
    '{"type": "error", "error_code": "InvalidParameter", "message": {"text": "x"}}',
    '{"all_orders_response": null}',
    '{"all_orders_response": {"orders": {}}}',
    '{"all_orders_response": {"orders": [], "twaps": 5}}',
    '{"all_orders_response": {"orders": [], "stop_orders": [{"order_id": 1}]}}',
]


async def test_error_envelopes_and_answers_with_odd_types_are_decode_errors():
    async def answer(ws: web.WebSocketResponse, n: int) -> None:
        await ws.send_str(ODD_ENVELOPES[n] if n < len(ODD_ENVELOPES) else '{"err": {"error_code": "Brand_New"}}')

    async with ws_peer(trade_peer(answer)) as peer, client(peer) as qfex:
        for _ in ODD_ENVELOPES:
            with pytest.raises(DecodeError):
                await qfex.get_order(SYMBOL, ORDER_ID)
        with pytest.raises(QfexError) as unknown:  # an unknown code is the venue's, kept
            await qfex.get_order(SYMBOL, ORDER_ID)
        assert unknown.value.error_code == "Brand_New" and type(unknown.value) is QfexError


async def test_a_flood_of_frames_while_a_call_waits_stays_bounded_in_memory():
    push = json.dumps({"position_response": {"id": "x" * 900}})

    async def answer(ws: web.WebSocketResponse, n: int) -> None:
        for _ in range(3000):
            await ws.send_str(push)
        await ws.send_str(GOOD_ANSWER)

    async with ws_peer(trade_peer(answer)) as peer, client(peer, timeout=10.0) as qfex:
        tracemalloc.start()
        try:
            assert (await qfex.get_order(SYMBOL, ORDER_ID)).orders
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert qfex.stats.ignored_frames == 3000
        assert peak < 3 * 1024 * 1024  # 3000 frames of ~1 kB went by; nothing kept them


# ------------------------------------------------------------------ stalls and handshakes


async def test_stalls_are_timeouts():
    async def stall_handshake(request: web.Request) -> web.StreamResponse | None:
        await hold(0.4)
        return None

    async def mute(ws: web.WebSocketResponse, request: web.Request) -> None:
        await hold(0.4)

    async def never_answers(ws: web.WebSocketResponse, n: int) -> None:
        await hold(0.4)

    for peer_cm, call in (
        (ws_peer(mute, handshake=stall_handshake), "connect"),
        (ws_peer(mute), "connect"),
        (ws_peer(trade_peer(never_answers)), "get_order"),
    ):
        async with peer_cm as peer:
            qfex = client(peer, timeout=0.3)
            started = time.monotonic()
            with pytest.raises(Timeout) as caught:
                await (qfex.connect() if call == "connect" else qfex.get_order(SYMBOL, ORDER_ID))
            assert isinstance(caught.value, TimeoutError)
            assert time.monotonic() - started < 1.0
            await qfex.close()


@pytest.mark.parametrize("status", [401, 403])
async def test_a_refused_handshake_is_an_auth_error(status: int):
    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, text="no")

    async with ws_peer(trade_peer(), handshake=refuse) as peer:
        qfex = client(peer)
        with pytest.raises(AuthError) as caught:
            await qfex.connect()
        assert caught.value.code == status
        await qfex.close()


@pytest.mark.parametrize("header", ["2", "http-date"])
async def test_429_at_the_first_handshake_is_rate_limited_with_retry_after(header: str):
    value = header if header != "http-date" else email.utils.formatdate(time.time() + 30, usegmt=True)

    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, headers={"Retry-After": value})

    async with ws_peer(trade_peer(), handshake=refuse) as peer:
        qfex = client(peer)
        with pytest.raises(RateLimited) as caught:
            await qfex.connect()
        expected = 2.0 if header == "2" else 30.0
        assert caught.value.retry_after is not None and abs(caught.value.retry_after - expected) < 2.0
        assert peer.connections == 1
        with pytest.raises(RateLimited):  # the next call does not ask again before Retry-After
            await qfex.get_order(SYMBOL, ORDER_ID)
        assert peer.connections == 1
        await qfex.close()


async def test_429_when_reconnecting_is_waited_out_never_tried_sooner():
    seen = 0

    async def second_is_refused(request: web.Request) -> web.StreamResponse | None:
        nonlocal seen
        seen += 1
        return web.Response(status=429, headers={"Retry-After": "0.6"}) if seen == 2 else None

    async def close_after_answer(ws: web.WebSocketResponse, n: int) -> None:
        await ws.send_str(GOOD_ANSWER)
        await ws.close()

    async with (
        ws_peer(trade_peer(close_after_answer), handshake=second_is_refused) as peer,
        client(peer, timeout=2.0) as qfex,
    ):
        assert (await qfex.get_order(SYMBOL, ORDER_ID)).orders
        for _ in range(100):
            if not qfex.connected:
                break
            await asyncio.sleep(0.01)
        assert (await qfex.get_order(SYMBOL, ORDER_ID)).orders  # 429, waits, third connection
        assert peer.connections == 3
        assert peer.connect_times[2] - peer.connect_times[1] >= 0.6


# ------------------------------------------------------------------ drops and reconnect storms


async def test_a_close_right_after_authentication_is_connection_lost_and_the_next_call_reconnects():
    connections = 0

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        nonlocal connections
        connections += 1
        if connections == 1:
            await trade_peer(after_auth=lambda ws: ws.close())(ws, request)
        else:
            await trade_peer()(ws, request)

    async with ws_peer(handler) as peer:
        qfex = client(peer)
        with pytest.raises(ConnectionLost) as caught:  # the call that connected
            await qfex.get_order(SYMBOL, ORDER_ID)
        assert isinstance(caught.value, ConnectionError)
        assert (await qfex.get_order(SYMBOL, ORDER_ID)).orders
        assert peer.connections == 2
        await qfex.close()


async def _hammer(qfex: QfexTradeClient, seconds: float) -> list[VenueError]:
    """Call get_order in a loop for `seconds`, as a naive caller retrying on errors would."""
    errors: list[VenueError] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            await qfex.get_order(SYMBOL, ORDER_ID)
        except VenueError as exc:
            errors.append(exc)
        await asyncio.sleep(0.01)
    return errors


async def test_peers_that_close_at_once_get_no_reconnect_storm():
    """One peer accepts and closes at once, the other closes with 1011 right after the auth
    answer; each is hammered for 1.2 s. The old client opened ~100 connections to each (121
    and 118 in 1.5 s, measured)."""

    async def close_at_once(ws: web.WebSocketResponse, request: web.Request) -> None:
        return None

    async def hammered(handler: Any) -> tuple[Peer, list[VenueError]]:
        async with ws_peer(handler) as peer:
            qfex = client(peer, timeout=1.0, backoff_initial=0.1, backoff_max=5.0, healthy_after=5.0)
            errors = await _hammer(qfex, 1.2)
            await qfex.close()
        return peer, errors

    results = await asyncio.gather(
        hammered(close_at_once), hammered(trade_peer(after_auth=lambda ws: ws.close(code=1011)))
    )
    for peer, errors in results:
        assert errors and all(isinstance(e, (ConnectionLost, Timeout)) for e in errors), errors[:3]
        assert peer.connections <= 6, peer.connections  # 0.1 s doubling with jitter: at most 5 in 1.2 s


# ------------------------------------------------------------------ loops and secrets


def test_a_second_event_loop_fails_at_once_with_wrong_event_loop():
    state: dict[str, Any] = {}

    async def first() -> None:
        async with ws_peer(trade_peer(after_auth=lambda ws: hold(0.05))) as peer:
            state["qfex"] = qfex = client(peer)
            await qfex.connect()  # and never closed on this loop
            await asyncio.sleep(0.1)

    async def second() -> None:
        qfex: QfexTradeClient = state["qfex"]
        started = time.monotonic()
        with pytest.raises(WrongEventLoop):
            await qfex.get_order(SYMBOL, ORDER_ID)
        with pytest.raises(WrongEventLoop):
            await qfex.connect()
        assert time.monotonic() - started < 0.2
        await qfex.close()  # forgets the old loop's connection; the client is free again
        with pytest.raises(ConnectionLost):  # the peer died with the first loop
            await qfex.connect()
        await qfex.close()

    asyncio.run(first())
    asyncio.run(second())


async def test_the_secret_is_in_no_error_chain_and_no_log(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []

    async def answer(ws: web.WebSocketResponse, n: int) -> None:
        frames = [b"\xff\xfe", order_frame(update_time="1e300"), '{"err": {"error_code": "PermissionDenied"}}']
        if n < len(frames):
            frame = frames[n]
            await (ws.send_bytes(frame) if isinstance(frame, bytes) else ws.send_str(frame))
        elif n == len(frames):
            await ws.close(code=1011)
        else:
            await hold(0.4)

    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429 if "429" in request.path else 401, headers={"Retry-After": "1"})

    async with ws_peer(trade_peer(answer)) as peer, client(peer, timeout=0.5) as qfex:
        for _ in range(5):
            try:
                await qfex.get_order(SYMBOL, ORDER_ID)
            except VenueError as exc:
                errors.append(exc)
    async with ws_peer(trade_peer(), handshake=refuse) as peer:
        for path in ("/401", "/429"):
            qfex = QfexTradeClient(CREDS, f"ws://127.0.0.1:{peer.port}{path}", timeout=0.5)
            try:
                await qfex.connect()
            except VenueError as exc:
                errors.append(exc)
            await qfex.close()
    assert len(errors) >= 6
    for error in errors:
        assert_no_secret(error, [SECRET])
    assert SECRET not in caplog.text
