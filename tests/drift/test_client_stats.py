"""Clients count the fields their schemas do not know (issue #15 point 4), in their own stats.

Each venue's simulator is reached through a 127.0.0.1 proxy that adds a field to every JSON
object frame the venue sends: the client decodes as usual and `stats.unknown_fields` holds the
(message, path). Without the proxy's field nothing is counted. The sample is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.drift.sessions import _origin, _tail, _ws
from tests.hostile.peers import Peer, _serve_app, tcp_peer, ws_peer
from venuewire.drift.sample import SAMPLE_EVERY, SAMPLE_FIRST, UnknownFieldSampler
from venuewire.events import DecodeFailure, StreamEvent
from venuewire.transport import Reaction, WsStream

TIMEOUT = 20.0
EXTRA = "zz_not_in_schema"


def _add_field(frame: Any) -> Any:
    """The frame with EXTRA added to its top-level object (other frames unchanged)."""
    if isinstance(frame, dict):
        return {**frame, EXTRA: 1}
    return frame


def _doctor_text(text: str) -> str:
    try:
        frame = json.loads(text)
    except ValueError:
        return text  # a ping/pong text
    return json.dumps(_add_field(frame))


def _doctor_binary(data: bytes) -> bytes:
    from venuewire.bitmart.protocol import inflate
    from venuewire.sim.bitmart import deflate

    return deflate(_doctor_text(inflate(data, 1 << 24).decode()).encode())


@contextlib.asynccontextmanager
async def doctoring_proxy(upstream: str, *, doctor: bool) -> AsyncIterator[str]:
    """A WebSocket proxy on 127.0.0.1 to `upstream` (ws://host:port); with `doctor`, every
    JSON object the venue sends gets an extra top-level field. Yields ws://127.0.0.1:PORT."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT))

    async def pump(source: Any, sink: Any, change: bool) -> None:
        async for msg in source:
            if msg.type == aiohttp.WSMsgType.TEXT:
                await sink.send_str(_doctor_text(msg.data) if change else msg.data)
            elif msg.type == aiohttp.WSMsgType.BINARY:
                await sink.send_bytes(_doctor_binary(msg.data) if change else msg.data)
            else:
                break

    async def handle(request: web.Request) -> web.StreamResponse:
        client = web.WebSocketResponse(autoping=True)
        await client.prepare(request)
        async with session.ws_connect(upstream + request.raw_path, autoping=True) as server:
            pumps = (
                asyncio.ensure_future(pump(client, server, False)),
                asyncio.ensure_future(pump(server, client, doctor)),
            )
            _done, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
        return client

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    try:
        async with _serve_app(app, Peer()) as peer:
            yield "ws" + peer.url.removeprefix("http")
    finally:
        await session.close()


def _ws_origin(url: str) -> str:
    """ws://host:port of a simulator's URL."""
    return _ws(_origin(url))


async def _first_items(stream: Any, count: int) -> list[Any]:
    items: list[Any] = []
    async with asyncio.timeout(TIMEOUT):
        async for item in stream:
            assert not isinstance(item, DecodeFailure), item
            if not isinstance(item, StreamEvent):
                items.append(item)
                if len(items) == count:
                    break
    return items


def _paths(counter: Any) -> set[tuple[str, str]]:
    return set(counter)


async def _bitmart(doctor: bool) -> tuple[list[Any], Any]:
    from venuewire.bitmart.client import BitmartClient
    from venuewire.sim.bitmart import BitmartSimulator

    async with (
        BitmartSimulator() as sim,
        doctoring_proxy(_ws_origin(sim.url), doctor=doctor) as proxy,
        BitmartClient(proxy + "/", proxy + _tail(sim.url), reconnect=False) as bitmart,
    ):
        stream = bitmart.depth_stream("BTC_USDT", levels=20)
        items = await _first_items(stream, 3)
        return items, stream.stats


async def _infoway(doctor: bool) -> tuple[list[Any], Any]:
    from venuewire.credentials import InfowayCredentials
    from venuewire.infoway import InfowayClient
    from venuewire.sim.infoway import DEFAULT_API_KEY, InfowaySimulator

    async with InfowaySimulator() as sim, doctoring_proxy(_ws_origin(sim.ws_url), doctor=doctor) as proxy:
        credentials = InfowayCredentials(DEFAULT_API_KEY)
        async with InfowayClient(credentials, sim.url, proxy + _tail(sim.ws_url), reconnect=False) as infoway:
            stream = infoway.depth_stream("crypto", ["BTCUSDT"])
            items = await _first_items(stream, 3)
            return items, stream.stats


async def _qfex(doctor: bool) -> tuple[list[Any], Any]:
    from venuewire.credentials import QfexCredentials
    from venuewire.qfex.client import QfexTradeClient
    from venuewire.sim.qfex import DEFAULT_API_KEY, DEFAULT_SECRET, DEMO_ORDER_ID, QfexSimulator

    async with QfexSimulator() as sim, doctoring_proxy(_ws_origin(sim.url), doctor=doctor) as proxy:
        credentials = QfexCredentials(DEFAULT_API_KEY, DEFAULT_SECRET)
        async with QfexTradeClient(credentials, url=proxy + _tail(sim.url)) as qfex:
            order = await asyncio.wait_for(qfex.get_order("AAPL-USD", DEMO_ORDER_ID), TIMEOUT)
            return [order], qfex.stats


SESSIONS: dict[str, Callable[[bool], Any]] = {"bitmart": _bitmart, "infoway": _infoway, "qfex": _qfex}


@pytest.mark.parametrize("venue", sorted(SESSIONS))
async def test_an_extra_field_is_decoded_as_usual_and_counted(venue: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="venuewire.drift")
    items, stats = await SESSIONS[venue](True)
    assert items  # decoded as usual: typed items, no DecodeFailure
    assert stats.decode_errors == 0 if hasattr(stats, "decode_errors") else True
    counted = [(message, path) for message, path in stats.unknown_fields if path.endswith(EXTRA)]
    assert counted, stats.unknown_fields
    assert all(message.startswith(f"{venue}/") for message, _ in counted)
    assert all(path == EXTRA for _, path in counted)  # the top-level field, by its path
    assert all(stats.unknown_fields[key] >= 1 for key in counted)
    logged = [r for r in caplog.records if EXTRA in r.getMessage() and r.levelno == logging.INFO]
    assert len(logged) == len(counted)  # each new (message, path) is logged once


@pytest.mark.parametrize("venue", sorted(SESSIONS))
async def test_a_normal_session_counts_nothing(venue: str) -> None:
    items, stats = await SESSIONS[venue](False)
    assert items
    assert stats.unknown_fields == {}


# ----------------------------------------------------------------- sampling bounds the cost


@dataclass(frozen=True)
class _Tick:
    symbol: str


class _JsonProtocol:
    """A minimal protocol: every frame is one item (the stream layer does the sampling)."""

    venue = "bitmart"

    def __init__(self, url: str) -> None:
        self._url = url

    def url(self) -> str:
        return self._url

    def opening(self) -> list[str]:
        return []

    def receive(self, data: str | bytes) -> Reaction[_Tick]:
        return Reaction(items=[_Tick("BTC_USDT")])

    def heartbeat(self) -> None:
        return None


TICKER = {"table": "spot/ticker", "data": [{"symbol": "BTC_USDT", "last_price": "1", "s_t": 1, EXTRA: 1}]}


async def _run_pushes(count: int, **settings: int) -> WsStream[_Tick]:
    frame = json.dumps(TICKER)

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        for _ in range(count):
            await ws.send_str(frame)
        await asyncio.sleep(TIMEOUT)

    async with ws_peer(handler) as peer:
        stream: WsStream[_Tick] = WsStream(_JsonProtocol(peer.ws_url), reconnect=False, buffer=count + 8, **settings)  # type: ignore[arg-type]
        try:
            got = 0
            async with asyncio.timeout(TIMEOUT):
                async for item in stream:
                    assert isinstance(item, _Tick)
                    got += 1
                    if got == count:
                        break
        finally:
            await stream.aclose()
    return stream


async def test_sampling_bounds_the_cost_over_5000_pushes(monkeypatch: pytest.MonkeyPatch) -> None:
    from venuewire.drift import sample

    calls = 0
    real = sample._unknown_paths

    def counting(*args: Any) -> list[tuple[str, str]]:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(sample, "_unknown_paths", counting)
    stream = await _run_pushes(5000)
    expected = SAMPLE_FIRST + 5000 // SAMPLE_EVERY  # 16 + 4
    assert calls == expected == stream._unknowns.compared
    assert stream.stats.received == 5000
    assert stream.stats.unknown_fields == {("bitmart/spot_ticker", f"data[].{EXTRA}"): expected}


async def test_sampling_settings_are_keywords() -> None:
    stream = await _run_pushes(300, unknown_first=2, unknown_every=100)
    assert stream.stats.unknown_fields[("bitmart/spot_ticker", f"data[].{EXTRA}")] == 2 + 3
    off = await _run_pushes(50, unknown_first=0, unknown_every=0)
    assert off.stats.unknown_fields == {}


def test_counting_never_raises_and_logs_its_failure_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from venuewire.drift import sample

    def broken(*args: Any) -> list[tuple[str, str]]:
        raise RuntimeError("a bug in the comparison")

    counter: Counter[tuple[str, str]] = Counter()
    sampler = UnknownFieldSampler("bitmart", counter, first=10)
    sampler.observe(b"\xff not json", None)  # not JSON: nothing to count, no failure
    monkeypatch.setattr(sample, "_unknown_paths", broken)
    with caplog.at_level(logging.WARNING, logger="venuewire.drift"):
        for _ in range(4):
            sampler.observe(json.dumps(TICKER), None)
    assert counter == {}
    assert sampler.compared == 5
    assert len([r for r in caplog.records if "counting unknown fields failed" in r.getMessage()]) == 1


def test_sampler_rejects_negative_settings() -> None:
    with pytest.raises(ValueError, match="first and every"):
        UnknownFieldSampler("bitmart", Counter(), first=-1)


# ----------------------------------------------------------------------------------- OpenD

UNKNOWN_PROTO_FIELD = b"\x98\x06\x01"
"""Field number 99 (varint 1): a field no OpenD Response declares."""


@contextlib.asynccontextmanager
async def opend_doctoring_proxy(host: str, port: int, *, doctor: bool) -> AsyncIterator[int]:
    """A TCP proxy to an OpenD simulator; with `doctor`, every Response body the simulator
    sends (replies and pushes, after the InitConnect reply) gets field #99. Yields its port."""
    from venuewire.generated.registry import OpenDProtoID
    from venuewire.opend.frame import HEADER, HEADER_SIZE, encode_frame

    async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, change: bool) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, TimeoutError):
            while True:
                header = await asyncio.wait_for(reader.readexactly(HEADER_SIZE), TIMEOUT)
                _magic, proto_id, fmt, _ver, serial, length, _digest, _reserved = HEADER.unpack_from(header)
                body = await asyncio.wait_for(reader.readexactly(length), TIMEOUT)
                if change and proto_id != OpenDProtoID.InitConnect:
                    writer.write(encode_frame(proto_id, serial, body + UNKNOWN_PROTO_FIELD, proto_fmt=fmt))
                else:
                    writer.write(header + body)
                await writer.drain()

    async def serve(c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        s_reader, s_writer = await asyncio.open_connection(host, port)
        try:
            pumps = (
                asyncio.ensure_future(pump(c_reader, s_writer, False)),
                asyncio.ensure_future(pump(s_reader, c_writer, doctor)),
            )
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            for task in pumps:
                task.cancel()
        finally:
            s_writer.close()

    async with tcp_peer(serve) as peer:
        yield peer.port


async def _opend(doctor: bool) -> tuple[list[Any], Any]:
    from venuewire import OpenDClient, SubType
    from venuewire.sim.opend import OpenDSimulator

    async with (
        OpenDSimulator(port=0) as sim,
        opend_doctoring_proxy(sim.host, sim.port, doctor=doctor) as port,
        OpenDClient(host="127.0.0.1", port=port, reconnect=False) as client,
    ):
        await client.subscribe(["HK.00700"], sub_types=[SubType.OrderBook], push=True)
        book = await asyncio.wait_for(client.get_order_book("HK.00700", num=5), TIMEOUT)
        pushes = await _first_items(client.depth_stream("HK.00700"), 2)
        return [book, *pushes], client


async def test_opend_unknown_proto_fields_are_counted_on_pushes_and_replies(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="venuewire.drift")
    items, client = await _opend(True)
    assert len(items) == 3  # the reply and two pushes decoded as usual
    unknowns = client.stats.unknown_fields
    assert unknowns[("futu/Qot_GetOrderBook.Response", "#99")] == 1
    assert unknowns[("futu/Qot_UpdateOrderBook.Response", "#99")] >= 2
    assert unknowns[("futu/Qot_Sub.Response", "#99")] >= 1
    assert client.stats.decode_errors == 0
    assert all(path == "#99" for _, path in unknowns)
    logged = [r for r in caplog.records if "#99" in r.getMessage()]
    assert len(logged) == len(unknowns)


async def test_opend_a_normal_session_counts_nothing_and_walks_nothing() -> None:
    items, client = await _opend(False)
    assert len(items) == 3
    assert client.stats.unknown_fields == {}
    assert client._unknowns.walked == 0  # the cheap check said "nothing unknown" every time


def test_opend_counting_samples_the_first_messages_of_each_name_then_every_kth() -> None:
    from venuewire.drift.sample import ProtoUnknownFields
    from venuewire.generated.futu import Qot_UpdateOrderBook_pb2

    message = Qot_UpdateOrderBook_pb2.Response(retType=0)
    message.MergeFromString(b"\x98\x06\x01")  # field #99, varint 1: unknown to the proto
    body = message.SerializeToString()
    parsed = Qot_UpdateOrderBook_pb2.Response.FromString(body)
    counter: Counter[tuple[str, str]] = Counter()
    unknowns = ProtoUnknownFields("futu", counter, first=3, every=100)
    for _ in range(1000):
        unknowns.check(parsed, len(body), "futu/Qot_UpdateOrderBook.Response")
    unknowns.check(parsed, len(body), "futu/Qot_Sub.Response")  # another name: its own first ones
    assert unknowns.compared == 3 + 10 + 1
    assert counter == Counter({("futu/Qot_UpdateOrderBook.Response", "#99"): 13, ("futu/Qot_Sub.Response", "#99"): 1})
    with pytest.raises(ValueError, match="first and every"):
        ProtoUnknownFields("futu", counter, first=-1)
