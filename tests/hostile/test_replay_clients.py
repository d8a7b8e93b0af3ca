"""A replay whose clients misbehave: garbage, half a frame then gone, an OpenD frame with a bad
SHA-1, an HTTP request with a huge body, a WebSocket that never reads. The replay keeps serving
the other clients, lists what it could not answer, and stops within its timeouts."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from venuewire.capture.format import CaptureWriter
from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH, OpenDProtoID
from venuewire.opend.frame import HEADER_SIZE, decode_frame, encode_frame
from venuewire.replay import Replay
from venuewire.replay.server import CLOSE_WAIT_S

pytestmark = pytest.mark.timeout(60)

KEEPALIVE = int(OpenDProtoID.KeepAlive)
REPLY_BODY = b"\x08\x00\x22\x02\x08\x05"
PUSH = b'{"table":"spot/depth5","data":[]}'
BIG_PUSHES = 48
BIG_PUSH = b'{"table":"spot/depth5","pad":"' + b"z" * (256 * 1024) + b'"}'
STOP_WITHIN_S = 8.0


def capture(path: Path) -> Path:
    """One OpenD KeepAlive exchange, one CoinW GET, and a BitMart WebSocket whose pushes come
    at once (before any client frame), big enough to fill a socket that is never read."""
    with CaptureWriter(path) as writer:
        futu = writer.connection("futu", "tcp://127.0.0.1:11111")
        request = encode_frame(KEEPALIVE, 7, b"\x0a\x02\x08\x05")
        writer.write(futu, "futu", "out", "opend", request, meta={"proto_id": KEEPALIVE, "serial": 7})
        reply = encode_frame(KEEPALIVE, 7, REPLY_BODY)
        writer.write(futu, "futu", "in", "opend", reply, meta={"proto_id": KEEPALIVE, "serial": 7})
        coinw = writer.connection("coinw", "https://api.coinw.com")
        seq = writer.write(coinw, "coinw", "out", "http-request", b"", meta={"method": "GET", "target": "/x?a=1"})
        writer.write(coinw, "coinw", "in", "http-response", b'{"ok":1}', meta={"status": 200, "request": seq})
        bitmart = writer.connection("bitmart", WS_BITMART_SPOT_DEPTH.url)
        for _ in range(BIG_PUSHES):
            writer.write(bitmart, "bitmart", "in", "ws-text", BIG_PUSH)
    return path


@pytest.fixture
async def replay(tmp_path: Path) -> AsyncIterator[Replay]:
    served = Replay(capture(tmp_path / "session.jsonl"), speed=0)
    await served.start()
    try:
        yield served
    finally:
        started = time.monotonic()
        await asyncio.wait_for(served.close(), STOP_WITHIN_S)
        assert time.monotonic() - started < STOP_WITHIN_S


async def keepalive(replay: Replay, serial: int = 41) -> bytes:
    """A well-behaved OpenD client's KeepAlive round trip: the reply's body."""
    reader, writer = await asyncio.open_connection(*replay.address_for("futu"))
    try:
        writer.write(encode_frame(KEEPALIVE, serial, b"\x0a\x02\x08\x06"))
        await writer.drain()
        async with asyncio.timeout(5):
            data = await reader.readexactly(HEADER_SIZE + len(REPLY_BODY))
    finally:
        writer.close()
    frame = decode_frame(data)
    assert frame.serial_no == serial
    return frame.body


async def http_get(replay: Replay) -> tuple[int, str]:
    timeout = aiohttp.ClientTimeout(total=5)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(replay.url_for("coinw") + "/x?a=1") as got,
    ):
        return got.status, await got.text()


async def closed_by_peer(reader: asyncio.StreamReader) -> bool:
    async with asyncio.timeout(5):
        return await reader.read(1 << 16) == b""


async def refused_then_served(replay: Replay, data: bytes) -> None:
    """`data` sent to the OpenD endpoint gets that connection closed; the next client is served."""
    reader, writer = await asyncio.open_connection(*replay.address_for("futu"))
    writer.write(data)
    await writer.drain()
    assert await closed_by_peer(reader)
    writer.close()
    assert await keepalive(replay) == REPLY_BODY


async def test_opend_garbage_closes_that_client_only(replay: Replay) -> None:
    await refused_then_served(replay, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)) * 4)
    assert [(m.venue, m.transport) for m in replay.unanswered] == [("futu", "opend")]
    assert "does not decode" in replay.unanswered[0].what


async def test_opend_bad_sha1_is_reported_and_the_next_client_served(replay: Replay) -> None:
    frame = bytearray(encode_frame(KEEPALIVE, 3, b"\x0a\x02\x08\x06"))
    frame[20] ^= 0xFF  # inside the SHA-1 of the header
    await refused_then_served(replay, bytes(frame))
    assert len(replay.unanswered) == 1
    assert "sha" in replay.unanswered[0].what.lower()


async def test_opend_half_a_frame_then_gone(replay: Replay) -> None:
    for cut in (1, 10, HEADER_SIZE, HEADER_SIZE + 2):
        _reader, writer = await asyncio.open_connection(*replay.address_for("futu"))
        writer.write(encode_frame(KEEPALIVE, 5, b"\x0a\x02\x08\x06")[:cut])
        await writer.drain()
        writer.close()
        await writer.wait_closed()
    assert await keepalive(replay) == REPLY_BODY
    assert replay.unanswered == []


async def test_opend_a_header_claiming_4_gib(replay: Replay) -> None:
    frame = bytearray(encode_frame(KEEPALIVE, 5, b""))
    frame[12:16] = (2**32 - 1).to_bytes(4, "little")
    await refused_then_served(replay, bytes(frame))
    assert len(replay.unanswered) == 1


async def test_http_garbage_and_a_huge_body(replay: Replay) -> None:
    host, port = replay.address_for("coinw")
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"\x00\xff garbage that is no HTTP\r\n\r\n")
    await writer.drain()
    async with asyncio.timeout(5):
        answer = await reader.read(1 << 16)
    assert answer == b"" or b" 400 " in answer.split(b"\r\n", 1)[0]
    writer.close()
    timeout = aiohttp.ClientTimeout(total=10)
    huge = b"A" * (8 * 1024 * 1024)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(replay.url_for("coinw") + "/x", data=huge) as big,
    ):
        assert big.status == 413
    assert await http_get(replay) == (200, '{"ok":1}')
    assert [(m.venue, m.transport) for m in replay.unanswered] == [("coinw", "http")]
    assert replay.unanswered[0].what.startswith("POST /x (a body over ")


async def never_reading_websocket(replay: Replay) -> asyncio.StreamWriter:
    """A WebSocket client that completes the handshake, then never reads (a tiny receive buffer)."""
    url = urlsplit(replay.url_for("bitmart", WS_BITMART_SPOT_DEPTH.url))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (url.hostname, url.port))
    reader, writer = await asyncio.open_connection(sock=sock)
    writer.write(
        f"GET {url.path or '/'} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    await writer.drain()
    async with asyncio.timeout(5):
        status = await reader.readline()
    assert status.startswith(b"HTTP/1.1 101")
    return writer


async def test_a_replay_stops_at_once_with_websockets_that_never_read(tmp_path: Path) -> None:
    """Their close frame cannot be written: they are aborted, all at once, and close() returns
    (it raised CancelledError before: aiohttp's drain waiter is shared with the cancelled pusher)."""
    replay = Replay(capture(tmp_path / "stuck.jsonl"), speed=0)
    await replay.start()
    stuck = [await never_reading_websocket(replay) for _ in range(3)]
    await asyncio.sleep(0.5)  # the replay fills their sockets and waits on them
    started = time.monotonic()
    await asyncio.wait_for(replay.close(), STOP_WITHIN_S)
    assert time.monotonic() - started < 2 * CLOSE_WAIT_S
    for writer in stuck:
        writer.transport.abort()


async def test_a_websocket_that_never_reads_does_not_hold_the_replay(replay: Replay) -> None:
    writer = await never_reading_websocket(replay)
    await asyncio.sleep(0.5)  # the replay fills the socket and waits on it
    assert await http_get(replay) == (200, '{"ok":1}')
    assert await keepalive(replay) == REPLY_BODY
    timeout = aiohttp.ClientTimeout(total=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(replay.url_for("bitmart", WS_BITMART_SPOT_DEPTH.url)) as ws,
        asyncio.timeout(10),
    ):
        first = await ws.receive()
    assert first.type == aiohttp.WSMsgType.TEXT and first.data.encode() == BIG_PUSH
    writer.transport.abort()


async def test_the_command_serves_on_reports_and_exits_without_a_traceback(tmp_path: Path) -> None:
    path = capture(tmp_path / "cli.jsonl")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "venuewire",
        "replay",
        str(path),
        "--speed",
        "0",
        "--exit-after-idle",
        "1",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        urls: dict[str, str] = {}
        async with asyncio.timeout(20):
            while len(urls) < 3:
                venue, _, url = (await proc.stdout.readline()).decode().strip().partition(": listening on ")
                urls[venue] = url
        futu = urlsplit(urls["futu"])
        for junk in (b"\xff" * 100, encode_frame(KEEPALIVE, 1, b"\x0a\x02\x08\x06")[:50]):
            reader, writer = await asyncio.open_connection(futu.hostname, futu.port)
            writer.write(junk)
            await writer.drain()
            writer.close()
        reader, writer = await asyncio.open_connection(futu.hostname, futu.port)
        writer.write(encode_frame(KEEPALIVE, 9, b"\x0a\x02\x08\x06"))
        async with asyncio.timeout(5):
            answer = decode_frame(await reader.readexactly(HEADER_SIZE + len(REPLY_BODY)))
        writer.close()
        assert (answer.serial_no, answer.body) == (9, REPLY_BODY)
        out, err = await asyncio.wait_for(proc.communicate(), 20)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 1
    lines = out.decode().splitlines()
    assert lines[0] == "unanswered requests: 1"
    assert "does not decode" in lines[1]
    assert b"Traceback" not in err and b"exception" not in err.lower()


@pytest.mark.parametrize(
    ("frame", "code", "listed"),
    [
        ("garbage that no recording holds", {aiohttp.WSCloseCode.POLICY_VIOLATION}, 1),
        ("x" * (5 * 1024 * 1024), {aiohttp.WSCloseCode.MESSAGE_TOO_BIG, aiohttp.WSCloseCode.ABNORMAL_CLOSURE}, 0),
    ],
    ids=["garbage", "a frame over 4 MiB"],
)
async def test_a_websocket_client_that_sends_garbage_is_closed_and_the_next_served(
    replay: Replay, frame: str, code: set[int], listed: int
) -> None:
    url = replay.url_for("bitmart", WS_BITMART_SPOT_DEPTH.url)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.ws_connect(url, max_msg_size=0) as bad, asyncio.timeout(10):
            await bad.send_str(frame)
            ends = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
            while (await bad.receive()).type not in ends:
                pass  # the pushes that were on their way
            assert bad.close_code in code
        async with session.ws_connect(url, max_msg_size=0) as good, asyncio.timeout(10):
            assert (await good.receive()).data.encode() == BIG_PUSH
    assert len(replay.unanswered) == listed


async def test_a_replay_stops_with_opend_clients_that_never_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Pushes fill their sockets; close() still returns within its timeouts, and nothing is
    logged as an error (a cancelled shared close waiter was 'Exception in callback' before)."""
    path = tmp_path / "pushes.jsonl"
    with CaptureWriter(path) as writer:
        conn = writer.connection("futu", "tcp://127.0.0.1:11111")
        push = encode_frame(int(OpenDProtoID.Qot_UpdateOrderBook), 1000, b"\x08\x00\x12\x80\x80\x10" + b"z" * 262144)
        for _ in range(40):
            writer.write(conn, "futu", "in", "opend", push)
    replay = Replay(path, speed=0)
    await replay.start()
    clients = []
    for _ in range(3):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, replay.address_for("futu"))
        clients.append(sock)
    await asyncio.sleep(0.5)
    started = time.monotonic()
    await asyncio.wait_for(replay.close(), STOP_WITHIN_S)
    assert time.monotonic() - started < 2 * CLOSE_WAIT_S + 1
    await asyncio.sleep(0.1)
    for sock in clients:
        sock.close()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
