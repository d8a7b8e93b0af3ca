"""BitMart against hostile peers on 127.0.0.1, through the public `BitmartClient`: the v3
`depth_stream` (raw-DEFLATE binary frames and text frames) and the legacy `legacy_depth_stream`.

What every case pins (design.md, the error contract): only `VenueError`s reach the caller; a
bad push (wrong type, out-of-range value, NaN price, invalid UTF-8, corrupt or oversized
DEFLATE) is a `DecodeFailure` and the next good push still arrives; whatever ends a stream
raises a `VenueError` (never a bare StopAsyncIteration); the venue's error events end the
stream with the registry's typed error carrying the venue's text; 401/429 handshakes are
`AuthError` / `RateLimited` with `retry_after`; a slow consumer's buffer stays bounded and
drops are counted; the public socket never sees a login."""

from __future__ import annotations

import asyncio
import json
import logging
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from tests.hostile.peers import Peer, hold, ws_peer
from tests.hostile.secrets import assert_no_secret
from venuewire.bitmart.client import BitmartClient, BitmartStream
from venuewire.credentials import BitmartCredentials
from venuewire.errors import AuthError, ConnectionLost, InvalidRequest, RateLimited, VenueError
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH
from venuewire.models import OrderBook
from venuewire.sim.bitmart import deflate

pytestmark = pytest.mark.timeout(30)

WAIT = 2.0
MAX_TOPICS = WS_BITMART_SPOT_DEPTH.max_topics_per_subscribe
T0 = 1631044962431
SECRET = "hostile-bitmart-secret-8e2f"
MEMO = "hostile-bitmart-memo-41aa"
CREDS = BitmartCredentials("hostile-key", SECRET, MEMO)


def spot_push(**changes: Any) -> dict[str, Any]:
    entry = {"asks": [["101.5", "2"], ["102", "1"]], "bids": [["100.5", "3"]], "ms_t": T0, "symbol": "BTC_USDT"}
    return {"table": "spot/depth5", "data": [{**entry, **changes}]}


def legacy_level(**changes: Any) -> dict[str, Any]:
    return {"amount": "1.5", "total": "1.5", "price": "0.000111", "count": "2", **changes}


def legacy_push(**level_changes: Any) -> dict[str, Any]:
    data = {"buys": [legacy_level(**level_changes)], "sells": [legacy_level(price="0.000113")]}
    return {"subscribe": "depth", "symbol": "BMX_ETH", "precision": 6, "data": data}


def wire(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode()


GOOD_SPOT = deflate(wire(spot_push()))
GOOD_LEGACY = json.dumps(legacy_push())


class Script:
    """A peer handler: wait for the client's first frame (its subscription), record every
    text frame the client sends in `received`, send `frames` (bytes as BINARY, str as TEXT),
    then `then()` (default: until the client goes away, at most 5 s)."""

    def __init__(self, *frames: str | bytes, then: Callable[[], Awaitable[None]] | None = None) -> None:
        self.frames = frames
        self.then = then
        self.received: list[str] = []

    async def __call__(self, ws: web.WebSocketResponse, request: web.Request) -> None:
        async def reader() -> None:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    self.received.append(message.data)

        task = asyncio.create_task(reader())
        for _ in range(200):
            if self.received or task.done():
                break
            await asyncio.sleep(0.005)
        for frame in self.frames:
            if isinstance(frame, bytes):
                await ws.send_bytes(frame)
            else:
                await ws.send_str(frame)
        try:
            if self.then is not None:
                await self.then()
            else:
                await asyncio.wait_for(asyncio.shield(task), 5)
        except TimeoutError:
            pass
        finally:
            task.cancel()


def client_of(peer: Peer, **options: Any) -> BitmartClient:
    settings: dict[str, Any] = {"timeout": WAIT, "reconnect": False, "backoff_initial": 0.05}
    settings.update(options)
    return BitmartClient(peer.ws_url, peer.ws_url, **settings)


async def items(stream: BitmartStream, count: int) -> list[Any]:
    return [await asyncio.wait_for(anext(stream), WAIT) for _ in range(count)]


async def failures_then_book(stream: BitmartStream, bad: int) -> list[DecodeFailure]:
    """`bad` DecodeFailures, then the next good push as an OrderBook (the stream went on)."""
    got = await items(stream, bad + 1)
    assert all(isinstance(i, DecodeFailure) for i in got[:bad]), got
    assert isinstance(got[-1], OrderBook), got[-1]
    assert stream.stats.decode_errors == bad
    return got[:bad]


async def stream_error(stream: BitmartStream, limit: int = 5) -> VenueError:
    """The VenueError that ends `stream` (never a StopAsyncIteration)."""
    with pytest.raises(VenueError) as caught:
        for _ in range(limit):
            await asyncio.wait_for(anext(stream), WAIT)
    return caught.value


# ---------------------------------------------------------------- v3: one bad push, the stream goes on


async def test_v3_out_of_range_timestamp_is_a_decode_failure_and_the_next_push_arrives():
    frames = [deflate(wire(spot_push(ms_t=10**17))), deflate(wire(spot_push(ms_t=-(10**17)))), GOOD_SPOT]
    async with ws_peer(Script(*frames)) as peer, client_of(peer) as client:
        stream = client.depth_stream("BTC_USDT")
        first, second = await failures_then_book(stream, 2)
    assert first.error.field_path == ("data", 0, "ms_t") and second.error.field_path == ("data", 0, "ms_t")
    assert first.error.venue == "bitmart" and "out of range" in first.error.detail


async def test_v3_invalid_utf8_inside_a_deflated_frame_is_a_decode_failure():
    bad = wire(spot_push(symbol="BTC_USDT")).replace(b"BTC_USDT", b"BTC_\xff\xfeUSDT")
    with_event = b'{"event":"subscribe","topic":"spot/depth5:\xff"}'
    async with ws_peer(Script(deflate(bad), deflate(with_event), GOOD_SPOT)) as peer, client_of(peer) as client:
        stream = client.depth_stream("BTC_USDT")
        failures = await failures_then_book(stream, 2)
    assert all("UTF-8" in f.error.detail for f in failures)


async def test_v3_invalid_utf8_in_a_text_frame_loses_only_that_connection():
    """aiohttp refuses a TEXT frame that is not UTF-8 (close 1007) before any venue code sees
    it; the stream reconnects with a Gap and goes on (it does not end, nor end silently)."""
    connections = 0

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        nonlocal connections
        connections += 1
        await ws.receive()
        if connections == 1:
            await ws._writer.send_frame(b'{"table":"spot/depth5","data":"\xff"}', WSMsgType.TEXT)
            await hold(1)
        else:
            await ws.send_bytes(GOOD_SPOT)
            await hold()

    async with ws_peer(handler) as peer, client_of(peer, reconnect=True) as client:
        stream = client.depth_stream("BTC_USDT")
        gap, book = await items(stream, 2)
    assert isinstance(gap, Gap) and isinstance(book, OrderBook)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "sNaN", "-inf", "-Infinity", "nan"])
@pytest.mark.parametrize("where", ["price", "size"])
async def test_v3_non_finite_prices_and_sizes_are_decode_failures(value, where):
    level = [value, "1"] if where == "price" else ["101.5", value]
    bad = deflate(wire(spot_push(asks=[["101", "1"], level])))
    async with ws_peer(Script(bad, GOOD_SPOT)) as peer, client_of(peer) as client:
        [failure] = await failures_then_book(client.depth_stream("BTC_USDT"), 1)
    assert failure.error.field_path == ("data", 0, "asks", 1, 0 if where == "price" else 1)


async def test_v3_corrupt_deflate_and_truncated_frames_are_decode_failures():
    frames = [b"\xff\xfe not deflate \x00", GOOD_SPOT[:5], zlib.compress(wire(spot_push())), b"", GOOD_SPOT]
    async with ws_peer(Script(*frames)) as peer, client_of(peer) as client:
        failures = await failures_then_book(client.depth_stream("BTC_USDT"), 4)
    assert all(f.error.venue == "bitmart" for f in failures)


BOMB_SIZE = 64 * 1024 * 1024


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 64 kB of DEFLATE that inflates to 64 MiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = b" " * (1024 * 1024)
    data = b"".join(compressor.compress(chunk) for _ in range(BOMB_SIZE // len(chunk)))
    return data + compressor.flush()


async def test_a_deflate_bomb_is_refused_with_bounded_memory(bomb):
    cap = 1024 * 1024
    assert len(bomb) < cap
    async with ws_peer(Script(bomb, GOOD_SPOT)) as peer, client_of(peer, max_message_size=cap) as client:
        stream = client.depth_stream("BTC_USDT")
        tracemalloc.start()
        try:
            [failure] = await failures_then_book(stream, 1)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert f"more than {cap}" in failure.error.detail and len(failure.raw) <= 64 * 1024
    assert peak < 8 * cap  # the cap, not the 64 MiB the bomb would inflate to


# a valid push with one field replaced: (what, the push, the field path it must name)
SPOT_MUTATIONS: list[tuple[str, Any, tuple[str | int, ...]]] = [
    ("table number", {**spot_push(), "table": 5}, ("table",)),
    ("data object", {**spot_push(), "data": {}}, ("data",)),
    ("data missing", {"table": "spot/depth5"}, ("data",)),
    ("entry not an object", {**spot_push(), "data": [7]}, ("data", 0)),
    ("asks object", spot_push(asks={}), ("data", 0, "asks")),
    ("level of one item", spot_push(asks=[["101"]]), ("data", 0, "asks", 0)),
    ("level of three items", spot_push(bids=[["100", "1", "2"]]), ("data", 0, "bids", 0)),
    ("price not a number", spot_push(asks=[["abc", "1"]]), ("data", 0, "asks", 0, 0)),
    ("price an array", spot_push(asks=[[["1"], "1"]]), ("data", 0, "asks", 0, 0)),
    ("size null", spot_push(bids=[["100", None]]), ("data", 0, "bids", 0, 1)),
    ("ms_t string", spot_push(ms_t="1631044962431"), ("data", 0, "ms_t")),
    ("ms_t float", spot_push(ms_t=1.5), ("data", 0, "ms_t")),
    ("ms_t past int64", spot_push(ms_t=2**70), ("data", 0, "ms_t")),
    ("ms_t past year 9999", spot_push(ms_t=253402300800000), ("data", 0, "ms_t")),
    ("symbol number", spot_push(symbol=42), ("data", 0, "symbol")),
    ("symbol missing", {"table": "spot/depth5", "data": [{"asks": [], "bids": [], "ms_t": T0}]}, ("data", 0, "symbol")),
    ("not an object", [1, 2], ()),
]


async def test_v3_wrong_types_and_out_of_range_values_in_every_field_are_decode_failures():
    frames = [deflate(wire(push)) for _, push, _ in SPOT_MUTATIONS] + [b"[", "{", "null", GOOD_SPOT]
    async with ws_peer(Script(*frames)) as peer, client_of(peer) as client:
        failures = await failures_then_book(client.depth_stream("BTC_USDT"), len(frames) - 1)
    for (what, _, path), failure in zip(SPOT_MUTATIONS, failures, strict=False):
        assert failure.error.field_path == path, what


async def test_v3_a_frame_with_one_bad_snapshot_still_gives_the_good_ones():
    push = spot_push()
    push["data"] = [push["data"][0], {**push["data"][0], "ms_t": 10**17, "symbol": "ETH_USDT"}, push["data"][0]]
    async with ws_peer(Script(deflate(wire(push)), GOOD_SPOT)) as peer, client_of(peer) as client:
        got = await items(client.depth_stream("BTC_USDT"), 4)
    assert [type(i) for i in got] == [OrderBook, DecodeFailure, OrderBook, OrderBook]
    assert got[1].error.field_path == ("data", 1, "ms_t")


# ---------------------------------------------------------------- legacy: one bad push, the stream goes on


LEGACY_MUTATIONS: list[tuple[str, Any, tuple[str | int, ...]]] = [
    ("price NaN", legacy_push(price="NaN"), ("data", "buys", 0, "price")),
    ("price Infinity", legacy_push(price="Infinity"), ("data", "buys", 0, "price")),
    ("amount sNaN", legacy_push(amount="sNaN"), ("data", "buys", 0, "amount")),
    ("amount -inf", legacy_push(amount="-inf"), ("data", "buys", 0, "amount")),
    ("total NaN", legacy_push(total="NaN"), ("data", "buys", 0, "total")),
    ("count Infinity", legacy_push(count="Infinity"), ("data", "buys", 0, "count")),
    ("count sNaN", legacy_push(count="sNaN"), ("data", "buys", 0, "count")),
    ("count fractional", legacy_push(count="2.5"), ("data", "buys", 0, "count")),
    ("count negative", legacy_push(count="-1"), ("data", "buys", 0, "count")),
    ("count astronomically large", legacy_push(count="1E+999999999"), ("data", "buys", 0, "count")),
    ("price an object", legacy_push(price={"v": 1}), ("data", "buys", 0, "price")),
    ("amount null", legacy_push(amount=None), ("data", "buys", 0, "amount")),
    ("precision string", {**legacy_push(), "precision": "6"}, ("precision",)),
    ("symbol number", {**legacy_push(), "symbol": 5}, ("symbol",)),
    ("data array", {**legacy_push(), "data": []}, ("data",)),
]


async def test_legacy_wrong_types_and_non_finite_values_are_decode_failures():
    frames: list[str | bytes] = [json.dumps(push) for _, push, _ in LEGACY_MUTATIONS]
    frames += [GOOD_LEGACY.replace("BMX_ETH", "BMX_\xff").encode("latin-1"), GOOD_LEGACY]  # a BINARY frame
    async with ws_peer(Script(*frames)) as peer, client_of(peer) as client:
        failures = await failures_then_book(client.legacy_depth_stream("BMX_ETH", 6), len(frames) - 1)
    for (what, _, path), failure in zip(LEGACY_MUTATIONS, failures, strict=False):
        assert failure.error.field_path == path, what
    assert "UTF-8" in failures[-1].error.detail


# ---------------------------------------------------------------- error events of every shape


ERROR_EVENTS: list[tuple[str, str, type[VenueError], int, str]] = [
    (
        "ccxt refused frame",
        '{"event":"error","message":"Unrecognized request: {\\"op\\":\\"x\\"}","errorCode":30039}',
        InvalidRequest,
        30039,
        "Unrecognized request",
    ),
    (
        "ccxt bad login sign",
        '{"event":"error","message":"Invalid sign","errorCode":30013}',
        AuthError,
        30013,
        "Invalid sign",
    ),
    (
        "docs format page",
        '{"event":"subscribe","errorMessage":"Invalid symbol param","errorCode":"92001"}',
        InvalidRequest,
        92001,
        "Invalid symbol param",
    ),
    (
        "sdk example",
        '{"errorMessage":"Invalid symbol param","errorCode":"92001"}',
        InvalidRequest,
        92001,
        "Invalid symbol",
    ),
    ("unknown code", '{"event":"error","message":"maintenance","errorCode":99999}', VenueError, 99999, "maintenance"),
    ("no text", '{"event":"error","errorCode":30039}', InvalidRequest, 30039, "unrecognized"),
]


@pytest.mark.parametrize("deflated", [True, False], ids=["binary", "text"])
@pytest.mark.parametrize("case", ERROR_EVENTS, ids=[c[0] for c in ERROR_EVENTS])
async def test_v3_error_events_end_the_stream_with_the_typed_error_and_its_text(case, deflated):
    _, frame, kind, code, text = case
    sent = deflate(frame.encode()) if deflated else frame
    async with ws_peer(Script(GOOD_SPOT, sent, GOOD_SPOT)) as peer, client_of(peer, reconnect=True) as client:
        stream = client.depth_stream("BTC_USDT")
        assert isinstance(await anext(stream), OrderBook)
        error = await stream_error(stream)
        await asyncio.sleep(0.1)
    assert type(error) is kind and error.code == code and text.lower() in str(error).lower()
    assert stream.failure is error and peer.connections == 1  # no reconnect against a refusal


@pytest.mark.parametrize(
    "frame",
    [
        '{"event":"error","message":"x","errorCode":{"n":1}}',
        '{"event":"error","message":"x","errorCode":"thirty"}',
        '{"event":"error","message":17,"errorCode":30039}',
        '{"event":"error","errorMessage":["x"],"errorCode":30039}',
        '{"event":"error","message":"no code"}',
        '{"event":"subscribe","topic":17}',
        '{"event":"subscribe"}',
        '{"event":"surprise"}',
        '{"event":5}',
    ],
)
async def test_v3_malformed_events_are_decode_failures_not_the_end(frame):
    async with ws_peer(Script(deflate(frame.encode()), GOOD_SPOT)) as peer, client_of(peer) as client:
        await failures_then_book(client.depth_stream("BTC_USDT"), 1)


async def test_v3_subscribe_acks_are_counted_not_failures():
    acks = ['{"event":"subscribe","topic":"spot/depth5:BTC_USDT"}', '{"event":"unsubscribe","topic":"spot/depth5:X_Y"}']
    script = Script(*[deflate(a.encode()) for a in acks], acks[0], GOOD_SPOT)
    async with ws_peer(script) as peer, client_of(peer) as client:
        stream = client.depth_stream("BTC_USDT")
        assert isinstance(await asyncio.wait_for(anext(stream), WAIT), OrderBook)
    assert stream.channel.acks == 3 and stream.stats.decode_errors == 0


@pytest.mark.parametrize(
    ("frame", "kind"),
    [
        ('{"subscribe":"order","message":"symbol not found"}', InvalidRequest),
        ('{"message":"bad request"}', InvalidRequest),
    ],
)
async def test_legacy_refusals_end_the_stream_with_invalid_request(frame, kind):
    async with ws_peer(Script(GOOD_LEGACY, frame)) as peer, client_of(peer) as client:
        stream = client.legacy_depth_stream("BMX_ETH", 6)
        assert isinstance(await anext(stream), OrderBook)
        error = await stream_error(stream)
    assert type(error) is kind


# ---------------------------------------------------------------- what ends a stream is a VenueError


@pytest.mark.parametrize("channel", ["v3", "legacy"])
async def test_a_peer_closing_after_the_subscription_ends_the_stream_with_connection_lost(channel):
    async def quit_at_once() -> None:
        return None

    good = GOOD_SPOT if channel == "v3" else GOOD_LEGACY
    async with ws_peer(Script(good, then=quit_at_once)) as peer, client_of(peer) as client:
        stream = client.depth_stream("BTC_USDT") if channel == "v3" else client.legacy_depth_stream("BMX_ETH", 6)
        assert isinstance(await anext(stream), OrderBook)
        error = await stream_error(stream)
    assert isinstance(error, ConnectionLost)


# ---------------------------------------------------------------- handshakes


def refusing(status: int, headers: dict[str, str] | None = None) -> Any:
    async def handshake(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, text="no", headers=headers)

    return handshake


@pytest.mark.parametrize("channel", ["v3", "legacy"])
async def test_a_401_handshake_is_an_auth_error(channel):
    async with ws_peer(Script(), handshake=refusing(401)) as peer, client_of(peer, reconnect=True) as client:
        stream = client.depth_stream("BTC_USDT") if channel == "v3" else client.legacy_depth_stream("BMX_ETH", 6)
        error = await stream_error(stream)
    assert isinstance(error, AuthError) and error.code == 401 and peer.connections == 1


@pytest.mark.parametrize("channel", ["v3", "legacy"])
async def test_a_429_handshake_is_rate_limited_with_retry_after(channel):
    async with ws_peer(Script(), handshake=refusing(429, {"Retry-After": "7"})) as peer, client_of(peer) as client:
        stream = client.depth_stream("BTC_USDT") if channel == "v3" else client.legacy_depth_stream("BMX_ETH", 6)
        error = await stream_error(stream)
    assert isinstance(error, RateLimited) and error.retry_after == 7.0


# ---------------------------------------------------------------- floods and slow consumers


@pytest.mark.parametrize("channel", ["v3", "legacy"])
async def test_a_flood_against_a_slow_consumer_keeps_the_buffer_bounded_and_counts_drops(channel):
    count, buffer = 3000, 16
    good = GOOD_SPOT if channel == "v3" else GOOD_LEGACY
    async with ws_peer(Script(*([good] * count))) as peer, client_of(peer, buffer=buffer) as client:
        stream = client.depth_stream("BTC_USDT") if channel == "v3" else client.legacy_depth_stream("BMX_ETH", 6)
        assert isinstance(await asyncio.wait_for(anext(stream), WAIT), OrderBook)
        for _ in range(400):  # the consumer sleeps while the flood arrives
            if stream.stats.received >= count:
                break
            assert len(stream._items) <= buffer
            await asyncio.sleep(0.005)
        assert stream.stats.received == count and len(stream._items) <= buffer
        assert stream.dropped == count - 1 - len(stream._items)
        assert isinstance(await anext(stream), OrderBook)  # still going


# ---------------------------------------------------------------- login only on the private socket


async def test_the_public_depth_socket_never_sees_a_login_even_with_credentials():
    script = Script(GOOD_SPOT)
    async with ws_peer(script) as peer, client_of(peer, credentials=CREDS) as client:
        stream = client.depth_stream("BTC_USDT")
        assert isinstance(await asyncio.wait_for(anext(stream), WAIT), OrderBook)
        await asyncio.sleep(0.05)
    frames = [json.loads(f) for f in script.received if f.startswith("{")]
    assert frames == [{"op": "subscribe", "args": ["spot/depth5:BTC_USDT"]}]
    assert SECRET not in " ".join(script.received) and "hostile-key" not in " ".join(script.received)


async def test_more_topics_than_a_frame_may_carry_go_out_in_several_frames():
    assert MAX_TOPICS == 20
    symbols = [f"S{i}_USDT" for i in range(2 * MAX_TOPICS + 5)]
    script = Script(GOOD_SPOT)
    async with ws_peer(script) as peer, client_of(peer) as client:
        stream = client.depth_stream(symbols)
        assert isinstance(await asyncio.wait_for(anext(stream), WAIT), OrderBook)
        for _ in range(100):
            if len(script.received) >= 3:
                break
            await asyncio.sleep(0.01)
    frames = [json.loads(f) for f in script.received if f.startswith("{")]
    assert [len(f["args"]) for f in frames] == [MAX_TOPICS, MAX_TOPICS, 5]
    assert [a for f in frames for a in f["args"]] == [f"spot/depth5:{s}" for s in symbols]


async def test_secrets_never_reach_an_error_from_a_hostile_peer(caplog):
    frame = '{"event":"error","message":"Invalid sign","errorCode":30013}'
    async with ws_peer(Script(frame)) as peer, client_of(peer, credentials=CREDS) as client:
        stream = client.depth_stream("BTC_USDT")
        error = await stream_error(stream)
        texts = repr(client) + repr(stream) + repr(stream.channel)
    assert_no_secret(error, [SECRET, MEMO])
    assert SECRET not in texts + caplog.text and MEMO not in texts + caplog.text


# ---------------------------------------------------------------- legacy control frames, each through its schema
# The error frame (LegacyError, told by its `message` key): valid -> the stream ends with the typed
# refusal; malformed -> a DecodeFailure naming the field and the stream goes on. A `subscribe`
# kind the channel does not declare -> counted in `unknown`, logged and a DecodeFailure item.


async def test_a_legacy_error_frame_carries_the_venues_text_in_its_typed_error():
    frame = '{"subscribe":"depth","message":"precision 9 is out of range for BMX_ETH"}'
    async with ws_peer(Script(GOOD_LEGACY, frame)) as peer, client_of(peer) as client:
        stream = client.legacy_depth_stream("BMX_ETH", 6)
        assert isinstance(await anext(stream), OrderBook)
        error = await stream_error(stream)
    assert type(error) is InvalidRequest and error.venue == "bitmart"
    assert "precision 9 is out of range" in error.message
    assert stream.channel.failure is error and peer.connections == 1


@pytest.mark.parametrize(
    ("frame", "path"),
    [
        ('{"subscribe":"order","message":5}', ("message",)),
        ('{"message":null}', ("message",)),
        ('{"message":"x","subscribe":["order"]}', ("subscribe",)),
        ('{"subscribe":7}', ("subscribe",)),
        ('{"subscribe":null,"symbol":"BMX_ETH"}', ("subscribe",)),
        ('{"symbol":"BMX_ETH"}', ("subscribe",)),
    ],
)
async def test_a_malformed_legacy_control_frame_is_a_decode_failure_and_the_stream_goes_on(frame, path):
    async with ws_peer(Script(frame, GOOD_LEGACY)) as peer, client_of(peer) as client:
        stream = client.legacy_depth_stream("BMX_ETH", 6)
        (failure,) = await failures_then_book(stream, 1)
    assert failure.error.venue == "bitmart" and failure.error.field_path == path
    assert failure.raw == frame.encode() and stream.channel.failure is None


@pytest.mark.parametrize("kind", ["price", "kline", "trade"])
async def test_an_undeclared_legacy_kind_is_counted_logged_and_a_decode_failure(kind, caplog):
    caplog.set_level(logging.INFO, logger="venuewire.bitmart")
    frame = json.dumps({"subscribe": kind, "symbol": "BMX_ETH", "data": {}})
    async with ws_peer(Script(frame, GOOD_LEGACY)) as peer, client_of(peer) as client:
        stream = client.legacy_depth_stream("BMX_ETH", 6)
        (failure,) = await failures_then_book(stream, 1)
    assert failure.error.field_path == ("subscribe",) and kind in failure.error.detail
    assert stream.channel.unknown == 1 and stream.channel.failure is None
    assert any(kind in r.getMessage() and r.name == "venuewire.bitmart" for r in caplog.records)


async def test_legacy_pongs_are_counted_through_their_schema():
    script = Script('{"subscribe":"pong"}', '{"subscribe":"pong"}', GOOD_LEGACY)
    async with ws_peer(script) as peer, client_of(peer) as client:
        stream = client.legacy_depth_stream("BMX_ETH", 6)
        assert isinstance(await anext(stream), OrderBook)
    assert stream.channel.pongs == 2 and stream.channel.unknown == 0 and stream.stats.decode_errors == 0
