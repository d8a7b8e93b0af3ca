"""The BitMart simulator driven with raw aiohttp WebSockets on 127.0.0.1 (what the venue
sends, byte for byte), and its pure sessions on their own. Every wait is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import sys
import time
import zlib
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.generated.bitmart.subscribe_ack import SubscribeAck
from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_SPOT_DEPTH
from venuewire.messages import decode_json, encode_json
from venuewire.signing import sign_bitmart_ws_login
from venuewire.sim import bitmart as sim_module
from venuewire.sim.bitmart import (
    ERROR_INVALID_REQUEST,
    BitmartSimulator,
    Fault,
    LegacySession,
    PrivateSession,
    SimState,
    SpotSession,
    deflate,
    seed_push,
    serve,
)

pytestmark = pytest.mark.timeout(30)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bitmart"
WAIT = 3.0


def inflate(data: bytes) -> Any:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    return json.loads(inflater.decompress(data) + inflater.flush())


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    async with BitmartSimulator(port=0, push_interval=0.05) as server:
        yield server


@contextlib.asynccontextmanager
async def connect(url: str) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=2)) as ws,
    ):
        yield ws


async def receive(ws: aiohttp.ClientWebSocketResponse) -> aiohttp.WSMessage:
    return await asyncio.wait_for(ws.receive(), WAIT)


async def receive_json(ws: aiohttp.ClientWebSocketResponse) -> Any:
    message = await receive(ws)
    if message.type is aiohttp.WSMsgType.BINARY:
        return inflate(message.data)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    return json.loads(message.data)


def login_frame(api_key: str, secret: str, memo: str, stamp: int | None = None) -> str:
    stamp = stamp if stamp is not None else int(time.time() * 1000)
    return json.dumps({"op": "login", "args": [api_key, str(stamp), sign_bitmart_ws_login(secret, memo, stamp)]})


# ---------------------------------------------------------------- legacy channel


async def test_first_bmx_eth_push_is_the_seed_sample_then_books_move(sim):
    async with connect(sim.legacy_url) as ws:
        await ws.send_str('{"subscribe":"order","symbol":"BMX_ETH","precision":6}')
        first = await receive(ws)
        assert json.loads(first.data) == json.loads((FIXTURES / "legacy_depth" / "seed_example.json").read_bytes())
        later = [decode_json(LegacyDepthPush, (await receive(ws)).data) for _ in range(3)]
    for push in later:
        assert push.symbol == "BMX_ETH" and push.precision == 6 and len(push.data.buys) == 20
        assert all(len(str(level.price).split(".")[1]) == 6 for level in push.data.buys)
        assert Decimal(push.data.buys[0].price) < Decimal(push.data.sells[0].price)  # DecimalText: the wire's text
        running = Decimal(0)
        for level in push.data.sells:
            running += Decimal(level.amount)
            assert Decimal(level.total) == running


def test_seed_push_is_the_seed_fixture_as_compact_json():
    raw = (FIXTURES / "legacy_depth" / "seed_example.json").read_bytes()
    assert encode_json(seed_push()) == json.dumps(json.loads(raw), separators=(",", ":")).encode()


async def test_legacy_ping_gets_a_pong(sim):
    async with connect(sim.legacy_url) as ws:
        await ws.send_str('{"subscribe":"ping"}')
        assert await receive_json(ws) == {"subscribe": "pong"}


async def test_legacy_refusals_carry_a_message(sim):
    async with connect(sim.legacy_url) as ws:
        await ws.send_str('{"subscribe":"order","symbol":"BMX_ETH","precision":"6"}')
        reply = await receive_json(ws)
        assert reply["subscribe"] == "order" and "precision" in reply["message"]
        await ws.send_str('{"subscribe":"order","symbol":"BMX_ETH","precision":2}')
        assert "out of range" in (await receive_json(ws))["message"]


async def test_legacy_unsubscribe_in_the_subscribes_shape_stops_the_pushes(sim):
    async with connect(sim.legacy_url) as ws:
        await ws.send_str('{"subscribe":"order","symbol":"BTC_USDT","precision":2}')
        await receive(ws)
        await ws.send_str(
            (FIXTURES / "legacy_unsubscribe" / "seed_pair.json")
            .read_text()
            .replace("BMX_ETH", "BTC_USDT")
            .replace("6", "2")
        )
        for _ in range(20):  # pushes already on their way drain, then silence
            try:
                await asyncio.wait_for(ws.receive(), 0.3)
            except TimeoutError:
                break
        else:
            pytest.fail("pushes went on after unsubscribe")


def test_private_sessions_acknowledge_subscribes_only_after_the_login():
    state = SimState(clock=lambda: 1_700_000_000.0)
    session = PrivateSession(state)
    [refused] = session.receive('{"op":"subscribe","args":["spot/user/order:BTC_USDT"]}')
    assert isinstance(refused, bytes) and json.loads(deflate_roundtrip(refused))["errorCode"] == ERROR_INVALID_REQUEST
    [ok] = session.receive(login_frame("sim-api-key", "sim-secret", "sim-memo", 1_700_000_000_000))
    assert isinstance(ok, bytes) and json.loads(deflate_roundtrip(ok)) == {"event": "login"}
    [ack] = session.receive('{"op":"subscribe","args":["spot/user/order:BTC_USDT"]}')
    assert isinstance(ack, bytes)
    assert decode_json(SubscribeAck, deflate_roundtrip(ack)).topic == "spot/user/order:BTC_USDT"
    assert session.receive("ping") == ["pong"] and session.pushes() == []


async def test_legacy_connection_without_subscription_is_closed():
    async with BitmartSimulator(port=0, subscribe_within=0.2) as server, connect(server.legacy_url) as ws:
        message = await receive(ws)
        assert message.type is aiohttp.WSMsgType.CLOSE and message.data == aiohttp.WSCloseCode.POLICY_VIOLATION


def test_the_default_subscribe_deadline_is_the_registry_one():
    assert BitmartSimulator().subscribe_within == WS_BITMART_LEGACY_DEPTH.subscribe_within_s == 5
    assert BitmartSimulator().min_connect_interval is None  # off unless asked for


async def test_one_legacy_connection_per_interval_per_ip_when_enabled():
    async with BitmartSimulator(port=0, min_connect_interval=0.5) as server:
        async with connect(server.legacy_url):
            pass
        with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
            async with connect(server.legacy_url):
                pass
        assert caught.value.status == 429 and server.refused_connections == 1
        await asyncio.sleep(0.55)
        async with connect(server.legacy_url):
            pass


# ---------------------------------------------------------------- v3 channel


async def test_v3_pushes_are_raw_deflate_binary_frames(sim):
    async with connect(sim.url) as ws:
        await ws.send_str('{"op":"subscribe","args":["spot/depth20:BTC_USDT"]}')
        assert await receive_json(ws) == {"event": "subscribe", "topic": "spot/depth20:BTC_USDT"}
        for _ in range(3):
            message = await receive(ws)
            assert message.type is aiohttp.WSMsgType.BINARY
            with pytest.raises(zlib.error):
                zlib.decompress(message.data)  # no zlib header: raw DEFLATE
            push = decode_json(SpotDepthPush, json.dumps(inflate(message.data)))
            assert push.table == "spot/depth20" and push.data[0].symbol == "BTC_USDT"
            assert len(push.data[0].asks) == len(push.data[0].bids) == 20
            assert abs(push.data[0].ms_t - time.time() * 1000) < 5000


async def test_v3_text_ping_gets_text_pong(sim):
    async with connect(sim.url) as ws:
        await ws.send_str("ping")
        message = await receive(ws)
        assert (message.type, message.data) == (aiohttp.WSMsgType.TEXT, "pong")


@pytest.mark.parametrize(
    "frame",
    [
        '{"op":"subscribe","args":["spot/depth10:BTC_USDT"]}',
        '{"op":"subscribe","args":["spot/kline2m:BTC_USDT"]}',  # the market channels are served, this step is not
        '{"op":"subscribe","args":[]}',
        '{"op":"subscrbe","args":["spot/depth5:BTC_USDT"]}',
        "not json",
        json.dumps({"op": "subscribe", "args": [f"spot/depth5:S{i}_USDT" for i in range(21)]}),
        login_frame("sim-api-key", "sim-secret", "sim-memo"),  # the public socket takes no login
    ],
    ids=["depth10", "kline-unknown-step", "no-args", "misspelled-op", "not-json", "21-topics", "login"],
)
async def test_refused_v3_frames_get_the_registrys_refused_frame_code(sim, frame):
    async with connect(sim.url) as ws:
        await ws.send_str(frame)
        event = await receive_json(ws)
        assert event["event"] == "error" and event["errorCode"] == ERROR_INVALID_REQUEST == 30039
        assert event["message"].startswith("Unrecognized request")
    assert sim.state.logins == 0 and sim.state.login_failures == 0


async def test_twenty_topics_in_one_frame_are_acknowledged_one_by_one(sim):
    topics = [f"spot/depth5:S{i}_USDT" for i in range(WS_BITMART_SPOT_DEPTH.max_topics_per_subscribe or 0)]
    async with connect(sim.url) as ws:
        await ws.send_str(json.dumps({"op": "subscribe", "args": topics}))
        frames = [await receive_json(ws) for _ in range(2 * len(topics))]
    acks = [decode_json(SubscribeAck, json.dumps(f)) for f in frames if "event" in f]
    assert [a.topic for a in acks] == topics and len(frames) - len(acks) == len(topics)


async def test_unsubscribe_stops_the_pushes(sim):
    async with connect(sim.url) as ws:
        await ws.send_str('{"op":"subscribe","args":["spot/depth5:ETH_USDT"]}')
        await receive(ws)
        await ws.send_str('{"op":"unsubscribe","args":["spot/depth5:ETH_USDT"]}')
        seen = []
        for _ in range(20):  # pushes already on their way drain, then silence
            try:
                seen.append(inflate((await asyncio.wait_for(ws.receive(), 0.3)).data))
            except TimeoutError:
                break
        else:
            pytest.fail("pushes went on after unsubscribe")
    assert {"event": "unsubscribe", "topic": "spot/depth5:ETH_USDT"} in seen


async def test_a_correct_login_on_the_private_socket_is_acknowledged(sim):
    assert sim.private_url.endswith("/user?protocol=1.1")
    async with connect(sim.private_url) as ws:
        await ws.send_str(login_frame("sim-api-key", "sim-secret", "sim-memo"))
        assert await receive_json(ws) == {"event": "login"}
    assert sim.state.logins == 1


@pytest.mark.parametrize(
    "case",
    [
        ("sim-api-key", "wrong-secret", "sim-memo", 0, 30013),
        ("sim-api-key", "sim-secret", "wrong-memo", 0, 30013),
        ("other-key", "sim-secret", "sim-memo", 0, 30002),
        ("sim-api-key", "sim-secret", "sim-memo", -120_000, 30007),
    ],
    ids=["secret", "memo", "key", "stale"],
)
async def test_bad_logins_get_the_error_event(sim, case):
    api_key, secret, memo, skew_ms, code = case
    async with connect(sim.private_url) as ws:
        await ws.send_str(login_frame(api_key, secret, memo, int(time.time() * 1000) + skew_ms))
        event = await receive_json(ws)
    assert event["event"] == "error" and event["errorCode"] == code
    assert "sim-secret" not in event["message"] and sim.state.login_failures == 1


async def test_a_malformed_login_is_refused(sim):
    async with connect(sim.private_url) as ws:
        await ws.send_str('{"op":"login","args":["sim-api-key",1631044962431,"x"]}')
        assert (await receive_json(ws))["event"] == "error"
        await ws.send_str(json.dumps({"op": "login", "args": ["sim-api-key", "12", "x"]}))
        assert (await receive_json(ws))["errorCode"] in (30007, 30008)


# ---------------------------------------------------------------- faults and control


async def test_garbage_fault_sends_bad_deflate_and_bad_json(sim):
    async with connect(sim.url) as ws:
        await ws.send_str('{"op":"subscribe","args":["spot/depth5:BTC_USDT"]}')
        await receive(ws)
        sim.faults.add(Fault.GARBAGE_FRAME)
        kinds = set()
        for _ in range(6):
            data = (await receive(ws)).data
            try:
                inflate(data)
                kinds.add("ok")
            except zlib.error:
                kinds.add("bad deflate")
            except ValueError:
                kinds.add("bad json")
        assert {"bad deflate", "bad json"} <= kinds


async def test_drop_fault_cuts_the_connection(sim):
    async with connect(sim.url) as ws:
        sim.faults.add(Fault.DROP_CONNECTION)
        await ws.send_str("ping")
        message = await receive(ws)
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)


async def test_slow_fault_delays_replies():
    async with BitmartSimulator(port=0, slow_reply_s=0.4) as server, connect(server.url) as ws:
        server.faults.add(Fault.SLOW_REPLY)
        start = time.monotonic()
        await ws.send_str("ping")
        assert (await receive(ws)).data == "pong"
        assert time.monotonic() - start >= 0.35


async def test_drop_connections_closes_every_client(sim):
    async with connect(sim.url) as spot_ws, connect(sim.legacy_url) as legacy_ws:
        await asyncio.sleep(0.05)
        assert len(sim.connections) == 2
        await sim.drop_connections()
        for ws in (spot_ws, legacy_ws):
            assert (await receive(ws)).type is aiohttp.WSMsgType.CLOSE


async def test_serve_reports_the_bound_port_and_stops_when_cancelled():
    ready: asyncio.Future[tuple[str, int]] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve("127.0.0.1", 0, lambda host, port: ready.set_result((host, port))))
    host, port = await asyncio.wait_for(ready, WAIT)
    async with connect(f"ws://{host}:{port}/api?protocol=1.1") as ws:
        await ws.send_str("ping")
        assert (await receive(ws)).data == "pong"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, WAIT)


def test_cli_finds_serve():
    assert sim_module.serve is serve


# ---------------------------------------------------------------- pure sessions


def test_sessions_are_pure_and_deterministic():
    one, two = SimState(clock=lambda: 1_700_000_000.0), SimState(clock=lambda: 1_700_000_000.0)
    frames = [SpotSession(s).receive('{"op":"subscribe","args":["spot/depth50:SOL_USDT"]}') for s in (one, two)]
    assert frames[0] == frames[1]
    one.step = two.step = 7
    request = '{"subscribe":"order","symbol":"XYZ_USDT","precision":2}'
    first, second = (LegacySession(s).receive(request) for s in (one, two))
    assert first == second and decode_json(LegacyDepthPush, first[0]).symbol == "XYZ_USDT"


def test_every_sent_json_frame_matches_its_schema():
    state = SimState()
    session = SpotSession(state)
    frames = session.receive('{"op":"subscribe","args":["spot/depth5:BTC_USDT","spot/depth50:ETH_USDT"]}')
    assert all(isinstance(f, bytes) for f in frames)
    texts = [deflate_roundtrip(f) for f in frames if isinstance(f, bytes)]
    assert [decode_json(SubscribeAck, t).topic for t in texts[:2]] == ["spot/depth5:BTC_USDT", "spot/depth50:ETH_USDT"]
    for text in texts[2:]:
        decode_json(SpotDepthPush, text)
    assert len(session.pushes()) == 2
    assert WS_BITMART_SPOT_DEPTH.compression == "raw-deflate"


def deflate_roundtrip(frame: bytes) -> bytes:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = inflater.decompress(frame) + inflater.flush()
    assert deflate(out) and inflater.eof
    return out


def test_simulator_repr_hides_the_secret():
    server = BitmartSimulator(secret="top-secret-x", memo="memo-secret-y")
    assert "top-secret-x" not in repr(server) and "memo-secret-y" not in repr(server)


@pytest.mark.parametrize(
    "kwargs", [{"push_interval": 0}, {"subscribe_within": 0}, {"min_connect_interval": -1}, {"secret": ""}]
)
def test_bad_settings_raise(kwargs):
    with pytest.raises(ValueError):
        BitmartSimulator(**kwargs)


async def test_venuewire_sim_bitmart_runs_as_a_process_and_stops_on_sigterm():
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "venuewire", "sim", "bitmart", "--port", "0", stdout=asyncio.subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
        match = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
        assert match, line
        async with connect(f"ws://127.0.0.1:{match[1]}/") as ws:
            await ws.send_str('{"subscribe":"order","symbol":"BMX_ETH","precision":6}')
            assert json.loads((await receive(ws)).data)["symbol"] == "BMX_ETH"
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def test_legacy_refusals_are_legacy_error_frames():
    from venuewire.generated.bitmart.legacy_error import LegacyError

    session = LegacySession(SimState())
    for frame, kind in (
        ('{"subscribe":"order","symbol":"BMX_ETH"}', "order"),
        ('{"subscribe":"price","symbol":"BMX_ETH"}', "price"),
        ('{"unsubscribe":"order"}', "unsubscribe"),
        ("[1]", "error"),
    ):
        (reply,) = session.receive(frame)
        error = decode_json(LegacyError, reply)
        assert error.subscribe == kind and error.message, frame
