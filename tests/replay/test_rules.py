"""The replay's rules on captures written record by record (times chosen by the test): the
recorded pace and `speed`, pings that never hold pushes back, the venue's pong, loose matching,
and requests with no recorded answer (reported, and a clear failure at the client)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from venuewire.capture.format import CAPTURE_FORMAT, CAPTURE_VERSION, Record
from venuewire.generated.registry import OpenDProtoID
from venuewire.opend.frame import HEADER, HEADER_SIZE, encode_frame
from venuewire.replay import Replay
from venuewire.replay.plan import loose_equal, query_matches

pytestmark = pytest.mark.timeout(30)


def write_capture(path: Path, rows: list[tuple[float, int, str, str, str, bytes | str, dict[str, Any]]]) -> Path:
    """rows: (mono, conn, venue, dir, transport, data, meta)."""
    lines = [json.dumps({"format": CAPTURE_FORMAT, "version": CAPTURE_VERSION, "started": 0.0, "venuewire": "test"})]
    for seq, (mono, conn, venue, direction, transport, data, meta) in enumerate(rows):
        raw = data.encode() if isinstance(data, str) else data
        record = Record(seq, mono, 1.7e9 + mono, conn, venue, direction, transport, raw, meta)  # type: ignore[arg-type]
        lines.append(json.dumps(record.to_json()))
    path.write_text("\n".join(lines) + "\n")
    return path


SUBSCRIBE = '{"op":"subscribe","args":["spot/depth5:BTC_USDT"]}'
ACK = '{"event":"subscribe","topic":"spot/depth5:BTC_USDT"}'


def bitmart_ws(path: Path) -> Path:
    """Subscribe at 1.0; the ack at once, a ping and its pong at 1.1, pushes 0.0, 0.5 and 1.0 s
    after the subscribe (as text frames, to read them easily)."""
    url = {"url": "wss://ws-manager-compress.bitmart.com/api?protocol=1.1"}
    return write_capture(
        path,
        [
            (0.5, 1, "bitmart", "meta", "open", b"", url),
            (1.0, 1, "bitmart", "out", "ws-text", SUBSCRIBE, {}),
            (1.0, 1, "bitmart", "in", "ws-text", ACK, {}),
            (1.1, 1, "bitmart", "out", "ws-text", "ping", {}),
            (1.1, 1, "bitmart", "in", "ws-text", "pong", {}),
            (1.5, 1, "bitmart", "in", "ws-text", '{"push":1}', {}),
            (2.0, 1, "bitmart", "in", "ws-text", '{"push":2}', {}),
            (2.0, 1, "bitmart", "meta", "close", b"", {}),
        ],
    )


async def read_pushes(url: str, count: int, *, ping: bool = False) -> tuple[list[str], float]:
    """Subscribe, read `count` frames; (their texts, seconds from the subscribe to the last)."""
    async with aiohttp.ClientSession() as session, session.ws_connect(url, autoping=True) as ws:
        await ws.send_str(SUBSCRIBE)
        start = time.monotonic()
        texts = []
        async with asyncio.timeout(10):
            while len(texts) < count:
                message = await ws.receive()
                assert message.type == aiohttp.WSMsgType.TEXT, message
                texts.append(message.data)
        elapsed = time.monotonic() - start
        if ping:
            await ws.send_str("ping")
            texts.append((await asyncio.wait_for(ws.receive(), 5)).data)
        return texts, elapsed


@pytest.mark.parametrize(("speed", "low", "high"), [(1.0, 0.95, 1.6), (4.0, 0.24, 0.6), (0.0, 0.0, 0.2)])
async def test_pushes_keep_the_recorded_pace_divided_by_speed(tmp_path: Path, speed: float, low: float, high: float):
    async with Replay(bitmart_ws(tmp_path / "c.jsonl"), speed=speed) as replay:
        texts, elapsed = await read_pushes(replay.url_for("bitmart"), 3)
    assert texts == [ACK, '{"push":1}', '{"push":2}']
    assert low <= elapsed <= high


async def test_pushes_do_not_wait_for_the_recorded_ping_and_a_ping_gets_the_venues_pong(tmp_path: Path):
    async with Replay(bitmart_ws(tmp_path / "c.jsonl"), speed=0) as replay:
        texts, _ = await read_pushes(replay.url_for("bitmart"), 3, ping=True)
    assert texts == [ACK, '{"push":1}', '{"push":2}', "pong"]  # the recorded pong is no push
    assert replay.unanswered == []


async def test_an_unknown_websocket_frame_is_reported_and_closes_the_socket(tmp_path: Path):
    async with Replay(bitmart_ws(tmp_path / "c.jsonl"), speed=0) as replay:
        async with aiohttp.ClientSession() as session, session.ws_connect(replay.url_for("bitmart")) as ws:
            await ws.send_str('{"op":"subscribe","args":["spot/depth50:ETH_USDT"]}')
            message = await asyncio.wait_for(ws.receive(), 5)
        assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 1008
        assert "no recorded answer" in message.extra
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(replay.url_for("bitmart", "wss://elsewhere/user?protocol=1.1"))
    assert refused.value.status == 404
    assert [str(u) for u in replay.unanswered] == [
        'bitmart ws: {"op":"subscribe","args":["spot/depth50:ETH_USDT"]}',
        "bitmart ws: a WebSocket at /user?protocol=1.1",
    ]


def ping_then_subscribe(path: Path, where: tuple[str, str], ping: tuple[str, str], subscribe: tuple[str, str]) -> Path:
    """One WebSocket connection of venue `where[0]` at URL `where[1]`: a ping and its pong,
    then a subscribe and its reply."""
    venue, url = where
    return write_capture(
        path,
        [
            (0.0, 1, venue, "meta", "open", b"", {"url": url}),
            (0.1, 1, venue, "out", "ws-text", ping[0], {}),
            (0.1, 1, venue, "in", "ws-text", ping[1], {}),
            (0.2, 1, venue, "out", "ws-text", subscribe[0], {}),
            (0.3, 1, venue, "in", "ws-text", subscribe[1], {}),
        ],
    )


PING_CASES = {
    # Infoway: a heartbeat told by its code; the recorded reply, with the live heartbeat's trace
    "infoway-heartbeat": (
        ("infoway", "wss://data.infoway.io/ws?business=crypto"),
        ('{"code":10010,"trace":"hb-recorded-0001"}', '{"code":10011,"trace":"hb-recorded-0001"}'),
        ('{"code":10003,"trace":"3f2a9c0d4e5b6a7c8d9e0f1a","data":{"codes":"BTCUSDT"}}', '{"code":10004,"msg":"ok"}'),
        # another trace, the same codes: the subscribe matches loosely
        '{"code":10003,"trace":"0a1b2c3d4e5f60718293a4b5","data":{"codes":"BTCUSDT"}}',
        ('{"code":10010,"trace":"live-trace"}', {"code": 10011, "trace": "live-trace"}),
    ),
    # BitMart legacy: a ping declared by its schema (bitmart/legacy_ping), the recorded pong
    "bitmart-legacy-ping": (
        ("bitmart", "wss://openws.bitmart.com"),
        ('{"subscribe":"ping"}', '{"subscribe":"pong"}'),
        ('{"subscribe":"order","symbol":"BMX_ETH","precision":6}', '{"subscribe":"depth","data":1}'),
        '{"subscribe":"order","symbol":"BMX_ETH","precision":6}',
        ('{"subscribe": "ping"}', {"subscribe": "pong"}),
    ),
}


@pytest.mark.parametrize("case", PING_CASES.values(), ids=PING_CASES.keys())
async def test_a_recorded_ping_never_holds_the_reply_back_and_a_live_one_gets_the_venues_pong(
    tmp_path: Path, case: Any
) -> None:
    where, ping, recorded, live_subscribe, (live_ping, pong) = case
    capture = ping_then_subscribe(tmp_path / "c.jsonl", where, ping, recorded)
    async with (
        Replay(capture, speed=0) as replay,
        aiohttp.ClientSession() as session,
        session.ws_connect(replay.url_for(where[0])) as ws,
    ):
        await ws.send_str(live_subscribe)  # no ping first: the reply comes anyway
        reply = await asyncio.wait_for(ws.receive(), 5)
        await ws.send_str(live_ping)
        answer = await asyncio.wait_for(ws.receive(), 5)
    assert reply.data == recorded[1] and json.loads(answer.data) == pong
    served, recorded_url = urlsplit(replay.url_for(where[0])), urlsplit(where[1])
    assert (served.path, served.query) == (recorded_url.path or "/", recorded_url.query)
    assert replay.unanswered == []


def http_capture(path: Path) -> Path:
    rows: list[tuple[float, int, str, str, str, bytes | str, dict[str, Any]]] = []
    for conn, (target, answer) in enumerate(
        [("/v1/x?a=1&b=2", '{"n":1}'), ("/v1/x?a=1&b=2", '{"n":2}'), ("/v1/y?ts=1764806400123", '{"y":true}')],
        start=1,
    ):
        seq = len(rows) + 1
        rows += [
            (0.0, conn, "coinw", "meta", "open", b"", {"url": "https://api.coinw.com"}),
            (0.1, conn, "coinw", "out", "http-request", b"", {"method": "GET", "target": target, "headers": {}}),
            (
                0.2,
                conn,
                "coinw",
                "in",
                "http-response",
                answer,
                {"status": 200, "headers": {"Content-Type": "application/json"}, "request": seq},
            ),
        ]
    return write_capture(path, rows)


async def test_http_matches_method_path_and_query_in_any_order_answers_in_order(tmp_path: Path):
    async with Replay(http_capture(tmp_path / "c.jsonl"), speed=0) as replay, aiohttp.ClientSession() as session:
        base = replay.url_for("coinw")
        answers = []
        for target in ("/v1/x?b=2&a=1", "/v1/x?a=1&b=2", "/v1/x?a=1&b=2", "/v1/y?ts=1764806499999"):
            async with session.get(base + target) as response:
                answers.append((response.status, await response.text(), response.content_type))
        async with session.get(base + "/v1/x?a=9&b=2") as missing, session.post(base + "/v1/y") as wrong_method:
            failures = [(missing.status, await missing.text()), (wrong_method.status, await wrong_method.text())]
    assert answers == [
        (200, '{"n":1}', "application/json"),
        (200, '{"n":2}', "application/json"),
        (200, '{"n":2}', "application/json"),  # the recorded answers ran out: the last again
        (200, '{"y":true}', "application/json"),  # a timestamp matches any timestamp
    ]
    assert failures == [
        (404, "venuewire replay: no recorded answer for GET /v1/x?a=9&b=2"),
        (404, "venuewire replay: no recorded answer for POST /v1/y"),
    ]
    assert [str(u) for u in replay.unanswered] == ["coinw http: GET /v1/x?a=9&b=2", "coinw http: POST /v1/y"]


def test_loose_matching_lets_only_volatile_values_differ():
    assert loose_equal(b'{"op":"login","args":["[redacted]",1764806400123,"ab12cd34ef56ab12cd34"]}',
                       b'{"op":"login","args":["my-key",1764806499999,"99ff88ee77dd66cc55bb"]}')  # fmt: skip
    assert not loose_equal(b'{"args":["spot/depth5:BTC_USDT"]}', b'{"args":["spot/depth5:ETH_USDT"]}')
    assert not loose_equal(b'{"codes":"BTCUSDTETHUSDTXRP"}', b'{"codes":"BTCUSDTETHUSDTSOL"}')  # no token: no digit
    assert not loose_equal(b'{"op":"subscribe"}', b'{"op":"subscribe","extra":1}')
    assert not loose_equal(b"ping", b"pong")
    assert query_matches("a=1&b=2", "b=2&a=1") and not query_matches("a=1&b=2", "a=1&b=3")
    assert not query_matches("a=1", "a=1&a=1")


def opend_frame(proto_id: int, serial: int, body: bytes) -> bytes:
    return encode_frame(proto_id, serial, body)


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, int, bytes]:
    header = await asyncio.wait_for(reader.readexactly(HEADER_SIZE), 5)
    _magic, proto_id, _fmt, _ver, serial, length, *_ = HEADER.unpack(header)
    return proto_id, serial, await asyncio.wait_for(reader.readexactly(length), 5)


async def test_opend_pushes_follow_their_request_not_the_keepalive_between(tmp_path: Path):
    init, sub, keep, push = (
        int(OpenDProtoID[name]) for name in ("InitConnect", "Qot_Sub", "KeepAlive", "Qot_UpdateOrderBook")
    )
    meta: dict[str, Any] = {}
    capture = write_capture(
        tmp_path / "c.jsonl",
        [
            (0.0, 1, "futu", "meta", "open", b"", {"url": "tcp://127.0.0.1:11111"}),
            (0.0, 1, "futu", "out", "opend", opend_frame(init, 7, b"init"), meta),
            (0.0, 1, "futu", "in", "opend", opend_frame(init, 7, b"init-reply"), meta),
            (0.1, 1, "futu", "out", "opend", opend_frame(sub, 8, b"sub"), meta),
            (0.1, 1, "futu", "in", "opend", opend_frame(sub, 8, b"sub-reply"), meta),
            (0.2, 1, "futu", "out", "opend", opend_frame(keep, 9, b"keep"), meta),
            (0.2, 1, "futu", "in", "opend", opend_frame(keep, 9, b"keep-reply"), meta),
            (0.3, 1, "futu", "in", "opend", opend_frame(push, 1, b"push"), meta),
        ],
    )
    async with Replay(capture, speed=0) as replay:
        reader, writer = await asyncio.open_connection(*replay.address_for("futu"))
        try:
            writer.write(opend_frame(init, 100, b"init") + opend_frame(sub, 101, b"sub"))
            got = [await read_frame(reader) for _ in range(3)]  # no KeepAlive sent: the push comes anyway
            writer.write(opend_frame(keep, 102, b"keep"))
            got.append(await read_frame(reader))
        finally:
            writer.close()
    assert got == [(init, 100, b"init-reply"), (sub, 101, b"sub-reply"), (push, 1, b"push"), (keep, 102, b"keep-reply")]
    assert replay.unanswered == []
