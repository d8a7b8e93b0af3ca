"""The Infoway simulator driven with raw aiohttp requests and WebSocket frames on 127.0.0.1,
plus its pure parts on their own. Every wait is bounded."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal

import aiohttp
import pytest

from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.ws_depth import WsDepthPush
from venuewire.messages import decode_json
from venuewire.sim import infoway as sim_module
from venuewire.sim.infoway import (
    CODE_PATTERNS,
    DEFAULT_API_KEY,
    GREETING,
    InfowaySimulator,
    SimState,
    WsSession,
    batch_depth_reply,
    book_generator,
)
from venuewire.sim.rest import KeyRateLimit

pytestmark = pytest.mark.timeout(30)

KEY = "sim-test-key"
WAIT = 3.0


@pytest.fixture
async def sim() -> AsyncIterator[InfowaySimulator]:
    async with InfowaySimulator(api_key=KEY, push_interval=0.05) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def get(http: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    async with http.get(url, headers=headers if headers is not None else {"apiKey": KEY}) as response:
        return response.status, await response.read()


async def receive_json(ws: aiohttp.ClientWebSocketResponse) -> dict[str, object]:
    message = await asyncio.wait_for(ws.receive(), WAIT)
    assert message.type == aiohttp.WSMsgType.TEXT, message
    value = json.loads(message.data)
    assert isinstance(value, dict)
    return value


# --- pure parts -------------------------------------------------------------------------------


def test_books_are_deterministic_and_move_with_the_step():
    state = SimState(api_key=KEY, epoch_ms=1_000_000)
    first = state.depth("00700.HK")
    assert first == SimState(api_key=KEY, epoch_ms=1_000_000).depth("00700.HK")
    assert first.t == 1_000_000 and len(first.a[0]) == len(first.a[1]) == 10
    assert first.a[0][0] > first.b[0][0]
    assert first.a[0] == sorted(first.a[0]) and first.b[0] == sorted(first.b[0], reverse=True)
    state.step = 40
    later = state.depth("00700.HK")
    assert later != first and later.t == 1_000_000 + 40 * 200
    assert len(state.depth("600519.SH").a[0]) == 5
    assert book_generator("ZZZZUSDT").snapshot(0) == book_generator("ZZZZUSDT").snapshot(0)


@pytest.mark.parametrize(
    ("market", "good", "bad"),
    [
        ("stock", ["00700.HK", "AAPL.US", "BRK.B.US", "600519.SH", "002594.SZ"], ["700.HK", "aapl.us", "AAPL"]),
        ("crypto", ["BTCUSDT", "ETHBTC"], ["BTC-USDT", "btcusdt", "AAPL.US"]),
        ("common", ["EURUSD", "XAUUSD"], ["EUR/USD"]),
        ("japan", ["7203.JP"], ["7203.T"]),
        ("india", ["RELIANCE.IN"], ["RELIANCE.NS"]),
        ("korea", ["005930.KS"], ["5930.KS"]),
        ("taiwan", ["2330.TW"], ["2330"]),
    ],
)
def test_code_formats(market, good, bad):
    pattern = CODE_PATTERNS[market]
    assert all(pattern.fullmatch(c) for c in good)
    assert not any(pattern.fullmatch(c) for c in bad)


def test_batch_depth_reply_limits_and_codes():
    state = SimState(api_key=KEY)
    assert batch_depth_reply(state, "forex", "EURUSD").ret == 506
    assert batch_depth_reply(state, "stock", " , ").ret == 507
    assert batch_depth_reply(state, "stock", ",".join(f"{i:05d}.HK" for i in range(101))).ret == 505
    full = batch_depth_reply(state, "stock", ",".join(f"{i:05d}.HK" for i in range(100)))
    assert full.ret == 200 and full.data and len(full.data) == 100
    assert batch_depth_reply(state, "stock", "700.HK,NOPE").ret == 508
    mixed = batch_depth_reply(state, "stock", "700.HK,00700.HK,00700.HK")
    assert mixed.ret == 200 and mixed.data and [d.s for d in mixed.data] == ["00700.HK"]


def test_key_rate_limit_is_a_sliding_window_per_key():
    limit = KeyRateLimit(2, 1.0)
    assert limit.wait("a", 0.0) is None and limit.wait("a", 0.1) is None
    assert limit.wait("a", 0.5) == pytest.approx(0.5)
    assert limit.wait("b", 0.5) is None
    assert limit.wait("a", 1.0) is None
    with pytest.raises(ValueError):
        KeyRateLimit(0, 1.0)


def test_session_counts_frames_and_closes_past_the_limit():
    state = SimState(api_key=KEY)
    session = WsSession(state, 1, "crypto", 0.0, max_frames=3, frame_window_s=1.0, idle_timeout_s=5)
    beat = '{"code":10010,"trace":"x"}'
    for i in range(3):
        assert session.receive(beat, 0.1 * i) == []
    assert session.close_reason is None and session.max_in_window == 3
    assert session.receive(beat, 1.05) == []  # the first frame left the window
    assert session.close_reason is None
    session.receive(beat, 1.06)  # 0.1, 0.2, 1.05 and 1.06: four within one second
    assert session.close_reason is not None and "3 frames" in session.close_reason
    assert state.stats.max_frames_in_window == 4


def test_session_idles_after_silence():
    session = WsSession(SimState(api_key=KEY), 1, "crypto", 10.0, idle_timeout_s=2.0)
    assert not session.idle(11.9)
    session.receive('{"code":10010,"trace":"x"}', 11.0)
    assert not session.idle(12.9) and session.idle(13.1)


def test_session_answers_subscribe_unsubscribe_and_garbage():
    session = WsSession(SimState(api_key=KEY), 1, "stock", 0.0)
    assert session.opening()[0] == GREETING
    replies = session.receive('{"code":10003,"trace":"abc","data":{"codes":"00700.HK,NOPE,AAPL.US"}}', 0.0)
    assert json.loads(replies[0]) == {"code": 10004, "trace": "abc", "msg": "ok"}
    assert [decode_json(WsDepthPush, r).data.s for r in replies[1:]] == ["00700.HK", "AAPL.US"]
    assert len(session.pushes()) == 2  # NOPE is acked and stays silent
    replies = session.receive('{"code":11001,"trace":"u","data":{"codes":"AAPL.US"}}', 0.0)
    assert json.loads(replies[0]) == {"code": 11010, "trace": "u", "msg": "ok"}
    assert [decode_json(WsDepthPush, r).data.s for r in session.pushes()] == ["00700.HK"]
    assert json.loads(session.receive("garbage", 0.0)[0])["code"] == 515  # registry ws "not_json"
    assert json.loads(session.receive('{"code":10003,"trace":"x","data":{}}', 0.0)[0])["code"] == 507
    assert json.loads(session.receive('{"code":12345}', 0.0)[0])["code"] == 506


# --- REST over HTTP ----------------------------------------------------------------------------


async def test_rest_serves_typed_books_and_the_key_header_is_case_insensitive(sim, http):
    for header in ("apiKey", "apikey", "APIKEY"):
        status, body = await get(http, f"{sim.url}/stock/batch_depth/00700.HK,AAPL.US", {header: KEY})
        assert status == 200
        reply = decode_json(BatchDepthResponse, body)
        assert reply.ret == 200 and reply.data and [d.s for d in reply.data] == ["00700.HK", "AAPL.US"]
        assert type(reply.data[0].a[0][0]) is str and Decimal(reply.data[0].a[0][0]).is_finite()


@pytest.mark.parametrize("headers", [{}, {"apiKey": "wrong"}, {"apiKey": KEY + "x"}])
async def test_rest_wrong_or_missing_key_is_http_401(sim, http, headers):
    status, _ = await get(http, f"{sim.url}/stock/batch_depth/00700.HK", headers)
    assert status == 401
    assert sim.stats.rest_unauthorized == 1


@pytest.mark.parametrize(
    ("path", "ret"),
    [
        ("/forex/batch_depth/EURUSD", 506),
        ("/stock/batch_depth/", 507),
        ("/stock/batch_depth", 507),
        ("/stock/batch_depth/" + ",".join(f"{i:05d}.HK" for i in range(101)), 505),
        ("/stock/batch_depth/700.HK", 508),
    ],
)
async def test_rest_venue_codes(sim, http, path, ret):
    status, body = await get(http, sim.url + path)
    assert status == 200
    assert decode_json(BatchDepthResponse, body).ret == ret


async def test_rest_rate_limit_answers_http_429_with_retry_after(http):
    async with InfowaySimulator(api_key=KEY, rest_limit=2, rest_window_s=30) as sim:
        for _ in range(2):
            assert (await get(http, f"{sim.url}/crypto/batch_depth/BTCUSDT"))[0] == 200
        async with http.get(f"{sim.url}/crypto/batch_depth/BTCUSDT", headers={"apikey": KEY}) as response:
            assert response.status == 429
            assert json.loads(await response.read()) == {"detail": "Rate limit exceeded"}
            assert int(response.headers["Retry-After"]) >= 1
        assert sim.stats.rest_rate_limited == 1


async def test_rest_rate_limit_can_answer_http_200_with_a_detail_body(http):
    async with InfowaySimulator(api_key=KEY, rest_limit=1, rest_window_s=30, rate_limit_reply="detail") as sim:
        assert (await get(http, f"{sim.url}/crypto/batch_depth/BTCUSDT"))[0] == 200
        assert await get(http, f"{sim.url}/crypto/batch_depth/BTCUSDT") == (200, b'{"detail":"Rate limit exceeded"}')


# --- WebSocket --------------------------------------------------------------------------------


async def test_ws_refuses_a_wrong_key_and_an_unknown_business(sim, http):
    for query, status in (
        (f"business=crypto&apikey={KEY}x", 401),
        ("business=crypto", 401),
        (f"business=x&apikey={KEY}", 400),
    ):
        with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
            await http.ws_connect(f"{sim.ws_url}?{query}")
        assert caught.value.status == status
    assert sim.stats.ws_refused == 3


async def test_ws_welcome_ack_with_the_trace_then_pushes_every_interval(sim, http):
    async with http.ws_connect(f"{sim.ws_url}?business=crypto&apikey={KEY}") as ws:
        assert await receive_json(ws) == {"code": 200, "msg": "ws connect success"}
        await ws.send_str('{"code":10003,"trace":"my-trace","data":{"codes":"BTCUSDT,ETHUSDT"}}')
        assert await receive_json(ws) == {"code": 10004, "trace": "my-trace", "msg": "ok"}
        symbols = []
        for _ in range(6):
            push = decode_json(WsDepthPush, json.dumps(await receive_json(ws)))
            symbols.append(push.data.s)
        assert symbols.count("BTCUSDT") == 3 and symbols.count("ETHUSDT") == 3
    assert sim.stats.pushes_sent >= 4


async def test_ws_stock_channel_sends_the_permission_notice_first(sim, http):
    async with http.ws_connect(f"{sim.ws_url}?business=stock&apikey={KEY}") as ws:
        first = await asyncio.wait_for(ws.receive(), WAIT)
        assert first.data == GREETING
        assert (await receive_json(ws))["code"] == 200


async def test_ws_closes_a_connection_sending_more_than_60_frames_a_minute(sim, http):
    async with http.ws_connect(f"{sim.ws_url}?business=crypto&apikey={KEY}") as ws:
        await receive_json(ws)
        for i in range(61):
            await ws.send_str(json.dumps({"code": 10010, "trace": f"hb{i}"}))
        message = await asyncio.wait_for(ws.receive(), WAIT)
        assert message.type == aiohttp.WSMsgType.CLOSE
        assert message.data == aiohttp.WSCloseCode.POLICY_VIOLATION
    assert sim.stats.closed_for_frame_limit == 1
    assert sim.stats.max_frames_in_window == 61


async def test_ws_sixty_frames_a_minute_are_fine(sim, http):
    async with http.ws_connect(f"{sim.ws_url}?business=crypto&apikey={KEY}") as ws:
        await receive_json(ws)
        for i in range(60):
            await ws.send_str(json.dumps({"code": 10010, "trace": f"hb{i}"}))
        await ws.send_str('{"code":10003,"trace":"late","data":{"codes":"BTCUSDT"}}')
        message = await asyncio.wait_for(ws.receive(), WAIT)
        assert message.type == aiohttp.WSMsgType.CLOSE
    assert sim.stats.closed_for_frame_limit == 1  # the 61st (a subscribe) is one too many
    async with http.ws_connect(f"{sim.ws_url}?business=crypto&apikey={KEY}") as ws:
        await receive_json(ws)
        for i in range(59):
            await ws.send_str(json.dumps({"code": 10010, "trace": f"hb{i}"}))
        await ws.send_str('{"code":10003,"trace":"ok","data":{"codes":"BTCUSDT"}}')
        assert (await receive_json(ws))["code"] == 10004
    assert sim.stats.closed_for_frame_limit == 1


async def test_ws_drops_a_silent_connection_and_heartbeats_keep_one(http):
    async with InfowaySimulator(api_key=KEY, idle_timeout_s=0.3, push_interval=0.05) as sim:
        async with http.ws_connect(f"{sim.ws_url}?business=crypto&apikey={KEY}") as quiet:
            await receive_json(quiet)
            message = await asyncio.wait_for(quiet.receive(), WAIT)
            assert message.type == aiohttp.WSMsgType.CLOSE
        assert sim.stats.closed_for_silence == 1
        async with http.ws_connect(f"{sim.ws_url}?business=crypto&apikey={KEY}") as alive:
            await receive_json(alive)
            for i in range(8):
                await alive.send_str(json.dumps({"code": 10010, "trace": f"hb{i}"}))
                await asyncio.sleep(0.1)
            assert not alive.closed
        assert sim.stats.closed_for_silence == 1


async def test_serve_reports_where_it_listens_and_stops_when_cancelled(monkeypatch):
    monkeypatch.setenv("VENUEWIRE_INFOWAY_API_KEY", KEY)
    ready: asyncio.Future[tuple[str, int]] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(sim_module.serve("127.0.0.1", 0, lambda h, p: ready.set_result((h, p))))
    host, port = await asyncio.wait_for(ready, WAIT)
    assert host == "127.0.0.1" and port > 0
    async with aiohttp.ClientSession() as http:
        status, _ = await get(http, f"http://{host}:{port}/crypto/batch_depth/BTCUSDT")
        assert status == 200
        assert (await get(http, f"http://{host}:{port}/crypto/batch_depth/BTCUSDT", {"apiKey": DEFAULT_API_KEY}))[
            0
        ] == 401
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, WAIT)


async def test_heartbeats_get_no_reply_unless_heart_apply_is_on(http):
    for heart_apply, expected in ((False, None), (True, {"code": 10011, "trace": "hb-1"})):
        async with InfowaySimulator(api_key=KEY, push_interval=10, heart_apply=heart_apply) as sim:
            ws = await http.ws_connect(f"{sim.ws_url}?business=crypto&apikey={KEY}")
            await receive_json(ws)  # welcome
            await ws.send_str('{"code":10010,"trace":"hb-1"}')
            await ws.send_str('{"code":11001,"trace":"u","data":{"codes":"X"}}')
            first = await receive_json(ws)
            if expected is None:
                assert first["code"] == 11010  # nothing came before the unsubscribe ack
            else:
                assert first == expected
                assert (await receive_json(ws))["code"] == 11010
            await ws.close()


def test_control_and_error_frames_the_session_sends_decode_as_their_schemas():
    from venuewire.generated.infoway.ws_error import WsError
    from venuewire.generated.infoway.ws_heart_apply import WsHeartApply
    from venuewire.generated.infoway.ws_unsubscribe_ack import WsUnsubscribeAck

    session = WsSession(SimState(api_key=KEY), 1, "crypto", 0.0, heart_apply=True)
    session.receive('{"code":10003,"trace":"s","data":{"codes":"BTCUSDT"}}', 0.0)
    (ack,) = session.receive('{"code":11001,"trace":"u","data":{"codes":"BTCUSDT"}}', 0.0)
    assert decode_json(WsUnsubscribeAck, ack).trace == "u" and session.pushes() == []
    (beat,) = session.receive('{"code":10010,"trace":"hb-7"}', 0.0)
    assert decode_json(WsHeartApply, beat).trace == "hb-7"
    # malformed control frames are refused with the registry's WebSocket codes, as WsError frames
    for frame, code in (
        ('{"code":11001,"trace":"u"}', 507),  # no data: a missing parameter
        ('{"code":11001,"trace":"u","data":{"codes":5}}', 506),
        ('{"code":10010}', 507),
        ('{"code":"10010","trace":"x"}', 506),
        ("[1]", 506),
    ):
        (error,) = session.receive(frame, 0.0)
        assert decode_json(WsError, error).code == code, frame
