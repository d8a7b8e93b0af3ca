"""End-to-end benchmarks (issue 12): pushes per second on one core, from a local server on
127.0.0.1 to a consumer that reads the best bid and ask of every push, venuewire's stream
against the official client on the same server and the same frames [>= 3x each]:

- BitMart v3 `spot/depth20` (raw DEFLATE frames): `BitmartClient.depth_stream` vs the SDK's
  `SpotSocketClient` callback (websocket-client thread, inflate + json.loads; its keep-alive
  ping timer is off: it is a non-daemon thread that would outlive the run);
- Infoway WebSocket depth (code 10005 text frames): `InfowayClient.depth_stream` vs
  infoway-sdk's `InfowayWebSocket.on_depth`;
- OpenD `Qot_UpdateOrderBook` pushes: `OpenDClient.depth_stream` vs futu-api's
  `OpenQuoteContext` with an `OrderBookHandlerBase`.

Each consumer gets what its library gives: ours `book.bids[0].price` / `book.asks[0].price`
(exact `Decimal`s), the SDKs' the best prices as they hand them over (strings in the JSON
dicts, floats in futu-api's). A "floor" row per venue (for information) is a bare loop on
the same frames: aiohttp `receive()` (+ inflate) + `json.loads`, or for OpenD asyncio
`readexactly` + the generated Response's `FromString`, reading the same two values.

The server runs in its own process (`python -m bench.e2e serve VENUE COUNT`), so the client
process has its core to itself: it answers each subscription with the venue simulator's
replies and then writes COUNT copies of one push frame, pre-encoded, as fast as the socket
takes them. Rates are COUNT-1 pushes over the time between the consumer's first and last.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp.http_websocket import WS_KEY  # RFC 6455's fixed accept suffix

from bench.harness import Result

ROOT = Path(__file__).resolve().parents[1]
VENUES = ("bitmart", "infoway", "opend")
BITMART_SYMBOL, BITMART_LEVELS = "BTC_USDT", 20
INFOWAY_MARKET, INFOWAY_CODE = "stock", "00700.HK"
OPEND_SYMBOL = "HK.00700"


@dataclass(frozen=True)
class Run:
    """One consumer's run: pushes per second and the last best bid / ask it read (as text)."""

    rate: float
    pushes: int
    best: tuple[str, str]


# ------------------------------------------------------------------------------ the frames
def bitmart_frame() -> bytes:
    from bench.bitmart import spot_frame

    return spot_frame(BITMART_LEVELS)


def infoway_frame() -> bytes:
    from bench.infoway import push_bytes

    return push_bytes(10)


def opend_push_body() -> bytes:
    """A 10-level Qot_UpdateOrderBook Response for HK.00700 (bench.opend's book)."""
    from bench.opend import order_book_response
    from venuewire.generated.futu import Qot_UpdateOrderBook_pb2
    from venuewire.messages import encode_proto

    book = order_book_response(10, 0)
    s2c = Qot_UpdateOrderBook_pb2.S2C.FromString(book.s2c.SerializeToString())
    return encode_proto(Qot_UpdateOrderBook_pb2.Response(retType=0, s2c=s2c))


def expected_best(venue: str) -> tuple[str, str]:
    """The best bid and ask (text of the exact value) in the venue's flooded frame."""
    if venue == "bitmart":
        data = json.loads(zlib.decompress(bitmart_frame(), -15))["data"][0]
        return (str(Decimal(data["bids"][0][0])), str(Decimal(data["asks"][0][0])))
    if venue == "infoway":
        data = json.loads(infoway_frame())["data"]
        return (str(Decimal(str(data["b"][0][0]))), str(Decimal(str(data["a"][0][0]))))
    from venuewire.generated.futu import Qot_UpdateOrderBook_pb2

    s2c = Qot_UpdateOrderBook_pb2.Response.FromString(opend_push_body()).s2c
    return (str(Decimal(repr(s2c.orderBookBidList[0].price))), str(Decimal(repr(s2c.orderBookAskList[0].price))))


# ------------------------------------------------------------------------------ the server
def ws_frame(payload: bytes, binary: bool) -> bytes:
    """One unmasked server-to-client WebSocket frame (FIN set)."""
    head = bytes([0x82 if binary else 0x81])
    size = len(payload)
    if size < 126:
        head += bytes([size])
    elif size < 1 << 16:
        head += bytes([126]) + struct.pack(">H", size)
    else:
        head += bytes([127]) + struct.pack(">Q", size)
    return head + payload


def encoded(frame: str | bytes) -> bytes:
    """A simulator's frame on the wire: bytes as a binary frame, text as a text frame."""
    return ws_frame(frame, True) if isinstance(frame, bytes) else ws_frame(frame.encode(), False)


async def read_ws_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """(opcode, payload) of one masked client frame."""
    first, second = await reader.readexactly(2)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack(">H", await reader.readexactly(2))[0]
    elif size == 127:
        size = struct.unpack(">Q", await reader.readexactly(8))[0]
    mask = await reader.readexactly(4) if second & 0x80 else b"\0\0\0\0"
    data = await reader.readexactly(size)
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return first & 0x0F, payload


class WsFlood:
    """A minimal WebSocket server: the handshake, the venue simulator's replies to each client
    frame, and after the first subscription's replies `count` copies of `push`."""

    def __init__(self, venue: str, count: int) -> None:
        self.venue, self.count = venue, count
        push = bitmart_frame() if venue == "bitmart" else infoway_frame()
        self.blob = ws_frame(push, binary=venue == "bitmart") * count

    def session(self, path: str) -> tuple[Callable[[str], list[str | bytes]], list[str | bytes]]:
        """(replies to a client text frame, frames sent at once) of one connection."""
        if self.venue == "bitmart":
            from venuewire.sim.bitmart import SimState, SpotSession

            spot = SpotSession(SimState())
            return (lambda text: list(spot.receive(text))), []
        from venuewire.sim.infoway import SimState as InfowayState
        from venuewire.sim.infoway import WsSession

        business = parse_qs(urlsplit(path).query).get("business", [INFOWAY_MARKET])[0]
        ws = WsSession(InfowayState(api_key="bench"), 1, business, time.time())
        return (lambda text: list(ws.receive(text, time.time()))), list(ws.opening())

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readuntil(b"\r\n\r\n")
            lines = request.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + WS_KEY).digest())
            writer.write(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            reply, opening = self.session(lines[0].split(" ")[1])
            for frame in opening:
                writer.write(encoded(frame))
            flooded = False
            while True:
                opcode, payload = await read_ws_frame(reader)
                if opcode == 0x8:  # close: echo it and stop
                    writer.write(bytes([0x88, len(payload[:2])]) + payload[:2])
                    await writer.drain()
                    return
                if opcode == 0x9:  # ping -> pong
                    writer.write(bytes([0x8A, len(payload)]) + payload)
                    continue
                if opcode not in (0x1, 0x2):
                    continue
                out = reply(payload.decode("utf-8", "replace"))
                for frame in out:
                    writer.write(encoded(frame))
                if out and not flooded:
                    flooded = True
                    writer.write(self.blob)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, KeyError, IndexError):
            pass
        finally:
            writer.close()


async def serve_ws(venue: str, count: int) -> None:
    flood = WsFlood(venue, count)
    server = await asyncio.start_server(flood.serve, "127.0.0.1", 0)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


async def serve_opend(count: int) -> None:
    """The OpenD simulator (handshake, Qot_Sub) flooding each session that subscribed to
    order books with `count` pushes, and a raw port that writes the same frames at once."""
    from venuewire.generated.registry import OpenDProtoID
    from venuewire.opend.frame import encode_frame
    from venuewire.sim.opend import OpenDSimulator

    body = opend_push_body()
    sim = OpenDSimulator(port=0, push_interval=3600)
    await sim.start()

    blob = b"".join(encode_frame(OpenDProtoID.Qot_UpdateOrderBook, k + 1, body) for k in range(count))

    async def raw(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(blob)
        await writer.drain()
        await reader.read()  # until the client closes
        writer.close()

    floor = await asyncio.start_server(raw, "127.0.0.1", 0)
    print(f"listening on {sim.port} {floor.sockets[0].getsockname()[1]}", flush=True)
    flooded: set[Any] = set()  # the sessions themselves: an id may be reused by the next one
    while True:
        await asyncio.sleep(0.001)
        for session, writer in list(sim.sessions.items()):
            if session in flooded or not session.subscriptions:
                continue
            flooded.add(session)  # its Qot_Sub reply is written already (same callback)
            writer.write(blob)
            await writer.drain()


class Server:
    """`python -m bench.e2e serve VENUE COUNT` in its own process; `ports` it listens on."""

    def __init__(self, venue: str, count: int) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.e2e", "serve", venue, str(count)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.close()
            raise RuntimeError(f"the {venue} flood server did not start: {line!r}")
        self.ports = [int(p) for p in line.removeprefix("listening on ").split()]

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


# ------------------------------------------------------------------------------ the consumers
class Counter:
    """Counts pushes from `start()` (called just before subscribing: a stream that reads
    ahead in the background is timed from there too) to the `count`-th, and keeps the last
    best bid / ask."""

    def __init__(self, count: int, probe: Callable[[int], None] | None = None) -> None:
        self.probe = probe  # called with the number of pushes read so far, after each
        self.count, self.seen = count, 0
        self.first = self.last = 0.0
        self.best: tuple[Any, Any] = (None, None)
        self.done = threading.Event()

    def saw(self, bid: Any, ask: Any) -> bool:
        """One push read; True once `count` were."""
        now = time.perf_counter()
        self.seen += 1
        self.best = (bid, ask)
        if self.probe is not None:
            self.probe(self.seen)
        if self.seen >= self.count:
            self.last = now
            self.done.set()
            return True
        return False

    def start(self) -> None:
        self.first = time.perf_counter()

    def finish(self) -> None:
        self.last = time.perf_counter()
        if self.probe is not None:
            self.probe(self.count)
        self.done.set()

    def run(self) -> Run:
        span = self.last - self.first
        rate = self.seen / span if span > 0 else 0.0
        return Run(rate, self.seen, (str(Decimal(str(self.best[0]))), str(Decimal(str(self.best[1])))))


def within(coro: Coroutine[Any, Any, None], seconds: float) -> None:
    asyncio.run(asyncio.wait_for(coro, seconds))


def limit(count: int) -> float:
    return 60 + count / 200  # seconds: generous (a slow client at 200 pushes/s still ends)


async def _consume_books(stream: Any, counter: Counter, drops: bool = False) -> None:
    """Read `counter.count` books (with `drops`, books read + pushes dropped by a full buffer)."""
    from venuewire.events import StreamEvent

    async with stream:
        counter.start()
        async for item in stream:
            if isinstance(item, StreamEvent):
                continue
            if counter.saw(item.bids[0].price, item.asks[0].price):
                break
            if drops and counter.seen + stream.dropped >= counter.count:
                counter.finish()
                break
    if stream.dropped and not drops:
        raise RuntimeError(f"the stream dropped {stream.dropped} pushes")


def ours_bitmart(port: int, count: int) -> Run:
    from venuewire.bitmart import BitmartClient

    counter = Counter(count)

    async def main() -> None:
        async with BitmartClient(url=f"ws://127.0.0.1:{port}/ws", buffer=count + 16) as client:
            await _consume_books(client.depth_stream(BITMART_SYMBOL, BITMART_LEVELS), counter)

    within(main(), limit(count))
    return counter.run()


def peer_bitmart(port: int, count: int) -> Run:
    from bitmart.websocket.spot_socket_client import SpotSocketClient

    class Client(SpotSocketClient):  # type: ignore[misc]
        def start_send_ping(self) -> None:  # its Timer thread is not a daemon: it would keep the run alive
            pass

    counter = Counter(count)

    def on_message(message: dict[str, Any]) -> None:
        rows = message.get("data")
        if rows and not counter.done.is_set():
            counter.saw(rows[0]["bids"][0][0], rows[0]["asks"][0][0])

    client = Client(stream_url=f"ws://127.0.0.1:{port}/ws", on_message=on_message, reconnection=False)
    try:
        counter.start()
        client.subscribe(f"spot/depth{BITMART_LEVELS}:{BITMART_SYMBOL}")
        if not counter.done.wait(limit(count)):
            raise RuntimeError(f"the BitMart SDK saw {counter.seen} of {count} pushes")
    finally:
        client.stop()
    return counter.run()


def floor_bitmart(port: int, count: int) -> Run:
    import aiohttp

    counter = Counter(count)

    async def main() -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(f"ws://127.0.0.1:{port}/ws") as ws:
            counter.start()
            await ws.send_str(json.dumps({"op": "subscribe", "args": [f"spot/depth{BITMART_LEVELS}:{BITMART_SYMBOL}"]}))
            loads, decompress = json.loads, zlib.decompress
            while True:
                message = await ws.receive()
                data = message.data
                if isinstance(data, bytes):
                    rows = loads(decompress(data, -15)).get("data")
                    if rows and counter.saw(rows[0]["bids"][0][0], rows[0]["asks"][0][0]):
                        return
                elif message.type is not aiohttp.WSMsgType.TEXT:
                    raise RuntimeError(f"the connection ended: {message.type}")

    within(main(), limit(count))
    return counter.run()


def ours_infoway(port: int, count: int) -> Run:
    from venuewire.credentials import InfowayCredentials
    from venuewire.infoway import InfowayClient

    counter = Counter(count)

    async def main() -> None:
        credentials = InfowayCredentials(api_key="bench")
        url = f"http://127.0.0.1:{port}"
        async with InfowayClient(credentials, url=url, ws_url=f"ws://127.0.0.1:{port}/ws", buffer=count + 16) as client:
            await _consume_books(client.depth_stream(INFOWAY_MARKET, [INFOWAY_CODE]), counter)

    within(main(), limit(count))
    return counter.run()


def peer_infoway(port: int, count: int) -> Run:
    from infoway.ws.client import InfowayWebSocket

    counter = Counter(count)

    async def main() -> None:
        ws = InfowayWebSocket(api_key="bench", business=INFOWAY_MARKET, base_url=f"ws://127.0.0.1:{port}/ws")
        done = asyncio.Event()

        async def on_depth(data: dict[str, Any]) -> None:
            if not done.is_set() and counter.saw(data["b"][0][0], data["a"][0][0]):
                done.set()

        ws.on_depth = on_depth
        await ws.subscribe_depth(INFOWAY_CODE)  # sent on connecting
        counter.start()
        task = asyncio.create_task(ws.connect())
        try:
            await done.wait()
        finally:
            await ws.close()
            await asyncio.wait_for(task, 10)

    within(main(), limit(count))
    return counter.run()


def floor_infoway(port: int, count: int) -> Run:
    import aiohttp

    counter = Counter(count)

    async def main() -> None:
        url = f"ws://127.0.0.1:{port}/ws?business={INFOWAY_MARKET}&apikey=bench"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            counter.start()
            await ws.send_str(json.dumps({"code": 10003, "trace": "floor", "data": {"codes": INFOWAY_CODE}}))
            loads = json.loads
            while True:
                message = await ws.receive()
                if message.type is not aiohttp.WSMsgType.TEXT:
                    raise RuntimeError(f"the connection ended: {message.type}")
                data = message.data
                if data.startswith('{"code":10005'):
                    depth = loads(data)["data"]
                    if counter.saw(depth["b"][0][0], depth["a"][0][0]):
                        return

    within(main(), limit(count))
    return counter.run()


def ours_opend(port: int, count: int, probe: Callable[[int], None] | None = None) -> Run:
    """With `probe` (the memory run): the client's default buffer, drops allowed."""
    from venuewire.opend import OpenDClient

    counter = Counter(count, probe)

    async def main() -> None:
        buffer = {} if probe is not None else {"buffer": count + 16}
        async with OpenDClient(host="127.0.0.1", port=port, **buffer) as client:
            await _consume_books(client.depth_stream(OPEND_SYMBOL), counter, drops=probe is not None)

    within(main(), limit(count))
    return counter.run()


def quiet_futu() -> None:
    """futu-api logs each connect and disconnect to stdout (its "FTConsoleLog" logger): keep
    the printed tables clean."""
    import logging

    import futu  # noqa: F401  (creates its loggers)

    for name in ("futu", "FTConsoleLog"):
        logging.getLogger(name).setLevel(logging.ERROR)


def peer_opend(port: int, count: int) -> Run:
    from futu import RET_OK, OpenQuoteContext, OrderBookHandlerBase, SubType

    quiet_futu()
    counter = Counter(count)

    class Handler(OrderBookHandlerBase):  # type: ignore[misc]
        def on_recv_rsp(self, rsp_pb: Any) -> Any:
            ret, data = super().on_recv_rsp(rsp_pb)
            if ret == RET_OK and not counter.done.is_set():
                counter.saw(data["Bid"][0][0], data["Ask"][0][0])
            return ret, data

    ctx = OpenQuoteContext(host="127.0.0.1", port=port)
    try:
        ctx.set_handler(Handler())
        counter.start()
        ret, message = ctx.subscribe([OPEND_SYMBOL], [SubType.ORDER_BOOK], subscribe_push=True)
        if ret != RET_OK:
            raise RuntimeError(f"futu-api could not subscribe: {message}")
        if not counter.done.wait(limit(count)):
            raise RuntimeError(f"futu-api saw {counter.seen} of {count} pushes")
    finally:
        ctx.close()
    return counter.run()


def floor_opend(port: int, count: int) -> Run:
    from venuewire.generated.futu import Qot_UpdateOrderBook_pb2
    from venuewire.opend.frame import HEADER, HEADER_SIZE

    counter = Counter(count)

    async def main() -> None:
        counter.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            parse, unpack = Qot_UpdateOrderBook_pb2.Response.FromString, HEADER.unpack
            while True:
                header = unpack(await reader.readexactly(HEADER_SIZE))
                s2c = parse(await reader.readexactly(header[5])).s2c
                if counter.saw(s2c.orderBookBidList[0].price, s2c.orderBookAskList[0].price):
                    return
        finally:
            writer.close()

    within(main(), limit(count))
    return counter.run()


CONSUMERS: dict[str, tuple[Callable[[int, int], Run], Callable[[int, int], Run], Callable[[int, int], Run]]] = {
    "bitmart": (ours_bitmart, peer_bitmart, floor_bitmart),
    "infoway": (ours_infoway, peer_infoway, floor_infoway),
    "opend": (ours_opend, peer_opend, floor_opend),
}
NAMES = {
    "bitmart": (
        "BitMart v3 depth20 pushes/s (DEFLATE)",
        "BitmartClient.depth_stream",
        "SDK SpotSocketClient callback",
    ),
    "infoway": (
        "Infoway WS 10005 depth pushes/s",
        "InfowayClient.depth_stream",
        "infoway-sdk InfowayWebSocket.on_depth",
    ),
    "opend": (
        "OpenD Qot_UpdateOrderBook 10-level pushes/s",
        "OpenDClient.depth_stream",
        "futu-api OrderBookHandlerBase",
    ),
}


def measure(venue: str, count: int, rounds: int = 1) -> dict[str, Run]:
    """The best run of ours, the peer's and the floor's over `rounds` alternating rounds,
    each on a fresh connection to one flood server."""
    ours, peer, floor = CONSUMERS[venue]
    best: dict[str, Run] = {}
    server = Server(venue, count)
    try:
        for _ in range(rounds):
            for name, consume, port in (
                ("ours", ours, server.ports[0]),
                ("peer", peer, server.ports[0]),
                ("floor", floor, server.ports[-1]),
            ):
                run = consume(port, count)
                if name not in best or run.rate > best[name].rate:
                    best[name] = run
    finally:
        server.close()
    return best


def stream_rss_growth(count: int) -> float:
    """MB of resident-size growth of our OpenD `depth_stream` between 10% and 100% of `count`
    pushes (each book read for its best bid and ask, then dropped)."""
    from bench.memory import rss_bytes

    marks: dict[str, int] = {}

    def probe(seen: int) -> None:
        if seen >= count:
            marks["end"] = rss_bytes()
        elif seen >= count // 10 and "warm" not in marks:
            marks["warm"] = rss_bytes()

    server = Server("opend", count)
    try:
        ours_opend(server.ports[0], count, probe)
    finally:
        server.close()
    return (marks["end"] - marks["warm"]) / 1e6


def run(count: int = 20_000, rounds: int = 2) -> list[Result]:
    results: list[Result] = []
    for venue in VENUES:
        runs = measure(venue, count, rounds)
        title, ours_name, peer_name = NAMES[venue]
        rates = ", ".join(f"{k} {v.rate:,.0f}/s" for k, v in runs.items())
        print(f"(e2e) {venue}: {rates}", file=sys.stderr)
        results += [
            Result(
                f"(e2e) {title}, {count:,} pushes, best bid/ask read",
                ours_name,
                peer_name,
                runs["ours"].rate / runs["peer"].rate,
                3,
            ),
            Result(
                f"(e2e) {title}: ours {runs['ours'].rate:,.0f}/s vs the floor {runs['floor'].rate:,.0f}/s",
                ours_name,
                "floor: bare receive + json.loads" if venue != "opend" else "floor: readexactly + FromString",
                runs["ours"].rate / runs["floor"].rate,
                None,
            ),
        ]
    return results


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "serve":
        venue, count = argv[1], int(argv[2])
        asyncio.run(serve_opend(count) if venue == "opend" else serve_ws(venue, count))
        return 0
    print("usage: python -m bench.e2e serve VENUE COUNT", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
