"""A recording proxy for the replay tests: 127.0.0.1 between a client and one of our simulators,
forwarding every byte unchanged and writing what crosses it to a capture with `CaptureWriter`.

- `OpenDRecorder(writer, host, port)`: TCP; each whole frame (unencrypted sessions) is an
  `opend` record with its protoID and serial.
- `WebRecorder(writer, venue, upstream)`: HTTP and WebSocket on one port: a WebSocket upgrade
  is forwarded to `upstream` + the same path and query (`ws-text`/`ws-binary` records), any
  other request too (`http-request` / `http-response` records).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Self

import aiohttp
from aiohttp import WSMsgType, web

from venuewire.capture.format import CaptureWriter
from venuewire.opend.frame import FrameDecoder, encode_frame

_SKIP_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "content-encoding"})


class OpenDRecorder:
    def __init__(self, writer: CaptureWriter, host: str, port: int, venue: str = "futu") -> None:
        self.writer, self.upstream, self.venue = writer, (host, port), venue
        self.host, self.port = "127.0.0.1", 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, self.host, 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        conn = self.writer.connection(self.venue, f"tcp://{self.upstream[0]}:{self.upstream[1]}")
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        pumps = [
            asyncio.create_task(self._pump(conn, reader, up_writer, "out")),
            asyncio.create_task(self._pump(conn, up_reader, writer, "in")),
        ]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            pass  # the recorder is closing
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.wait(pumps, timeout=2)
            for w in (writer, up_writer):
                w.close()
            self.writer.close_connection(conn, self.venue)
            self._tasks.discard(task)

    async def _pump(
        self, conn: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, direction: Any
    ) -> None:
        decoder = FrameDecoder()
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(1 << 16):
                for frame in decoder.frames(data):
                    whole = encode_frame(frame.proto_id, frame.serial_no, frame.body, proto_fmt=frame.proto_fmt)
                    meta = {"proto_id": frame.proto_id, "serial": frame.serial_no}
                    self.writer.write(conn, self.venue, direction, "opend", whole, meta=meta)
                writer.write(data)
                await writer.drain()


class WebRecorder:
    def __init__(self, writer: CaptureWriter, venue: str, upstream: str) -> None:
        self.writer, self.venue, self.upstream = writer, venue, upstream.rstrip("/")
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    def url(self, scheme: str = "http", path_qs: str = "") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path_qs}"

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None and self._session is not None
        await self._runner.cleanup()
        await self._session.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._ws(request)
        assert self._session is not None
        body = await request.read()
        conn = self.writer.connection(self.venue, self.upstream)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SKIP_HEADERS}
        meta = {"method": request.method, "target": request.path_qs, "headers": headers}
        seq = self.writer.write(conn, self.venue, "out", "http-request", body, meta=meta)
        async with self._session.request(
            request.method, self.upstream + request.path_qs, headers=headers, data=body
        ) as up:
            answer = await up.read()
            out_headers = {k: v for k, v in up.headers.items() if k.lower() not in _SKIP_HEADERS}
            meta = {"status": up.status, "headers": out_headers, "request": seq}
            self.writer.write(conn, self.venue, "in", "http-response", answer, meta=meta)
        self.writer.close_connection(conn, self.venue)
        return web.Response(status=up.status, headers=out_headers, body=answer)

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        target = "ws" + self.upstream.removeprefix("http") + request.path_qs
        conn = self.writer.connection(self.venue, target)
        async with self._session.ws_connect(target, autoping=True) as up:
            task = asyncio.create_task(self._forward(conn, up, ws, "in"))
            try:
                await self._forward(conn, ws, up, "out")
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self.writer.close_connection(conn, self.venue)
        return ws

    async def _forward(self, conn: int, source: Any, sink: Any, direction: Any) -> None:
        """Every text and binary message of `source` recorded, then sent on to `sink`."""
        async for message in source:
            if message.type == WSMsgType.TEXT:
                self.writer.write(conn, self.venue, direction, "ws-text", message.data.encode())
                await sink.send_str(message.data)
            elif message.type == WSMsgType.BINARY:
                self.writer.write(conn, self.venue, direction, "ws-binary", message.data)
                await sink.send_bytes(message.data)
        if direction == "in":
            await sink.close()
