"""Recording proxies on 127.0.0.1 between our clients and our simulators, for the drift tests.

Each proxy forwards everything unchanged and writes what crossed it to a CaptureWriter, in the
capture format (venuewire.capture.format): OpenD frames split by their 44-byte header (plain
sessions: the bodies are already plaintext), WebSocket text and binary messages, HTTP requests
and responses paired by `meta.request`.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web

from venuewire.capture.format import CaptureWriter, Direction
from venuewire.opend.frame import HEADER_SIZE

_BODY_LEN = struct.Struct("<I")
TIMEOUT = 10.0


async def _pump_opend(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, capture: CaptureWriter, conn: int, direction: Direction
) -> None:
    try:
        while True:
            header = await asyncio.wait_for(reader.readexactly(HEADER_SIZE), TIMEOUT)
            (length,) = _BODY_LEN.unpack_from(header, 12)
            body = await asyncio.wait_for(reader.readexactly(length), TIMEOUT)
            capture.write(conn, "futu", direction, "opend", header + body)
            writer.write(header + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, TimeoutError):
        pass
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def opend_proxy(capture: CaptureWriter, host: str, port: int) -> AsyncIterator[int]:
    """A TCP proxy to an OpenD simulator; yields its port."""
    tasks: set[asyncio.Task[None]] = set()

    async def serve(c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        s_reader, s_writer = await asyncio.open_connection(host, port)
        conn = capture.connection("futu", f"tcp://{host}:{port}")
        pumps = (
            asyncio.ensure_future(_pump_opend(c_reader, s_writer, capture, conn, "out")),
            asyncio.ensure_future(_pump_opend(s_reader, c_writer, capture, conn, "in")),
        )
        tasks.update(pumps)
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        capture.close_connection(conn, "futu")

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for task in tasks:
            task.cancel()
        server.close()
        await asyncio.wait_for(server.wait_closed(), TIMEOUT)


async def _pump_ws(source: Any, sink: Any, capture: CaptureWriter, conn: tuple[int, str], direction: Direction) -> None:
    """Forward and record every text and binary message from `source` to `sink`, then close `sink`."""
    conn_id, venue = conn
    async for msg in source:
        if msg.type == aiohttp.WSMsgType.TEXT:
            capture.write(conn_id, venue, direction, "ws-text", msg.data.encode("utf-8"))
            await sink.send_str(msg.data)
        elif msg.type == aiohttp.WSMsgType.BINARY:
            capture.write(conn_id, venue, direction, "ws-binary", msg.data)
            await sink.send_bytes(msg.data)
    await sink.close()


@contextlib.asynccontextmanager
async def http_proxy(capture: CaptureWriter, venue: str, upstream: str) -> AsyncIterator[str]:
    """An HTTP and WebSocket proxy to `upstream` (http://127.0.0.1:PORT); yields its base URL
    (http://...; use ws://... with the same host and port for WebSockets)."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT))

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await _ws(request)
        body = await request.read()
        conn = capture.connection(venue, f"{upstream}{request.path_qs}")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        seq = capture.write(
            conn,
            venue,
            "out",
            "http-request",
            body,
            meta={"method": request.method, "target": request.raw_path, "headers": headers},
        )
        async with session.request(request.method, upstream + request.raw_path, headers=headers, data=body) as reply:
            data = await reply.read()
            capture.write(
                conn, venue, "in", "http-response", data, meta={"status": reply.status, "request": seq, "headers": {}}
            )
            capture.close_connection(conn, venue)
            return web.Response(status=reply.status, body=data, content_type=reply.content_type)

    async def _ws(request: web.Request) -> web.WebSocketResponse:
        client = web.WebSocketResponse(autoping=True)
        await client.prepare(request)
        target = "ws" + upstream.removeprefix("http") + request.raw_path
        conn = capture.connection(venue, target)
        async with session.ws_connect(target, autoping=True) as server:
            pumps = (
                asyncio.ensure_future(_pump_ws(client, server, capture, (conn, venue), "out")),
                asyncio.ensure_future(_pump_ws(server, client, capture, (conn, venue), "in")),
            )
            _done, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
        capture.close_connection(conn, venue)
        return client

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        await session.close()
