"""Misbehaving peers on 127.0.0.1 for the hostile-peer suite: one helper per transport.

Each is an async context manager that starts a server on an ephemeral loopback port, runs
the test's handler for every connection, counts connections, and stops by itself on exit.
The handler is where the misbehaviour is written (send a broken frame, close at once,
answer 429, stall, flood). Nothing here talks to anything but 127.0.0.1.

    async with ws_peer(handler) as peer:      # handler(ws, request) -> None, per connection
        peer.url                              # "ws://127.0.0.1:PORT/ws" (any path is served)
    async with http_peer(handler) as peer:    # handler(request) -> web.StreamResponse
        peer.url                              # "http://127.0.0.1:PORT"
    async with tcp_peer(handler) as peer:     # handler(reader, writer) -> None, per connection
        peer.host, peer.port

For WebSocket peers that must write raw bytes (a flood written at once, broken frames), a
`tcp_peer` handler can accept the upgrade with `await ws_handshake(reader, writer)` and then
write frames built with `ws_frame(payload, opcode=...)`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

WsHandler = Callable[[web.WebSocketResponse, web.Request], Awaitable[None]]
HttpHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HandshakeHandler = Callable[[web.Request], Awaitable[web.StreamResponse | None]]
TcpHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class Peer:
    """A running hostile server: where it listens and what it has seen."""

    host: str = "127.0.0.1"
    port: int = 0
    connections: int = 0
    connect_times: list[float] = field(default_factory=list)
    requests: list[web.Request] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    def seen(self) -> None:
        self.connections += 1
        self.connect_times.append(time.monotonic())

    def connections_within(self, seconds: float) -> int:
        """Connections opened in the last `seconds` seconds."""
        now = time.monotonic()
        return sum(1 for t in self.connect_times if now - t <= seconds)


@contextlib.asynccontextmanager
async def _serve_app(app: web.Application, peer: Peer) -> AsyncIterator[Peer]:
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, peer.host, 0)
    await site.start()
    server = site._server
    assert server is not None
    peer.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield peer
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def ws_peer(handler: WsHandler, *, handshake: HandshakeHandler | None = None) -> AsyncIterator[Peer]:
    """A WebSocket server: `handler(ws, request)` runs for each accepted connection (the
    connection closes when it returns). `handshake(request)`, when given, answers the HTTP
    upgrade instead (e.g. a 429 with Retry-After) whenever it returns a response."""
    peer = Peer()

    async def route(request: web.Request) -> web.StreamResponse:
        peer.seen()
        peer.requests.append(request)
        if handshake is not None:
            refusal = await handshake(request)
            if refusal is not None:
                return refusal
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            await handler(ws, request)
        if not ws.closed:
            with contextlib.suppress(ConnectionError):
                await ws.close()
        return ws

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", route)
    async with _serve_app(app, peer) as running:
        yield running


@contextlib.asynccontextmanager
async def http_peer(handler: HttpHandler) -> AsyncIterator[Peer]:
    """An HTTP server answering every method and path with `handler(request)`."""
    peer = Peer()

    async def route(request: web.Request) -> web.StreamResponse:
        peer.seen()
        peer.requests.append(request)
        return await handler(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", route)
    async with _serve_app(app, peer) as running:
        yield running


@contextlib.asynccontextmanager
async def tcp_peer(handler: TcpHandler) -> AsyncIterator[Peer]:
    """A raw TCP server (OpenD): `handler(reader, writer)` per connection; the connection
    is closed when it returns."""
    peer = Peer()
    tasks: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer.seen()
        task = asyncio.current_task()
        if task is not None:
            tasks.add(task)  # type: ignore[arg-type]
        try:
            # CancelledError too: the teardown cancels handlers, and Python 3.11's start_server
            # logs "Exception in callback" for a handler task that ends cancelled.
            with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
                await handler(reader, writer)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(serve, peer.host, 0)
    peer.port = server.sockets[0].getsockname()[1]
    try:
        yield peer
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 2)


_WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3


async def ws_handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    """Read a client's WebSocket upgrade request and accept it (HTTP 101, RFC 6455 section
    4.2.2); returns the request head. After it, the connection carries raw frames."""
    head = await reader.readuntil(b"\r\n\r\n")
    key = b""
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"sec-websocket-key":
            key = value.strip()
    accept = base64.b64encode(hashlib.sha1(key + _WS_GUID).digest())
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
    )
    await writer.drain()
    return head


def ws_frame(payload: bytes | str, *, opcode: int = 0x1, fin: bool = True) -> bytes:
    """One unmasked server-to-client WebSocket frame (RFC 6455 section 5.2): text by default
    (opcode 1; 2 binary, 8 close, 9 ping). Any payload and opcode, valid or not."""
    data = payload.encode() if isinstance(payload, str) else payload
    size = len(data)
    if size < 126:
        length = bytes([size])
    elif size < 1 << 16:
        length = bytes([126]) + size.to_bytes(2, "big")
    else:
        length = bytes([127]) + size.to_bytes(8, "big")
    return bytes([(0x80 if fin else 0) | (opcode & 0x0F)]) + length + data


async def hold(seconds: float = 30.0) -> None:
    """Keep a connection open doing nothing (a stall), until the test ends it."""
    await asyncio.sleep(seconds)


__all__ = ["Peer", "hold", "http_peer", "tcp_peer", "ws_frame", "ws_handshake", "ws_peer"]
