"""BitmartClient end to end against the embedded simulator on 127.0.0.1: both streams, login,
refusals, every fault mode, reconnects, slow consumers, secrets. Every wait is bounded."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path

import pytest

import venuewire
from venuewire.bitmart.client import LEGACY_BACKOFF_INITIAL_S, BitmartClient, BitmartStream
from venuewire.bitmart.protocol import SpotDepthProtocol, SpotState, V3Protocol
from venuewire.credentials import BitmartCredentials
from venuewire.errors import AuthError, ConnectionLost, InvalidRequest, Timeout
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_SPOT_DEPTH
from venuewire.models import OrderBook
from venuewire.sim.bitmart import BitmartSimulator, Fault
from venuewire.transport import Reaction

pytestmark = pytest.mark.timeout(30)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bitmart"
SECRET = "sim-secret-3f9a"
MEMO = "sim-memo-77c1"
GOOD = BitmartCredentials("sim-api-key", SECRET, MEMO)
WAIT = 5.0
Item = OrderBook | Gap | DecodeFailure


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    async with BitmartSimulator(port=0, secret=SECRET, memo=MEMO, push_interval=0.05) as server:
        yield server


def client_for(sim: BitmartSimulator, **kwargs: object) -> BitmartClient:
    options: dict[str, object] = {"backoff_initial": 0.05, "timeout": 3}
    options.update(kwargs)
    return BitmartClient(sim.legacy_url, sim.url, **options)  # type: ignore[arg-type]


async def take(
    stream: BitmartStream, count: int, kind: type | tuple[type, ...] = object, limit: int = 200
) -> list[Item]:
    """The first `count` items of type `kind` (at most `limit` items read, each within WAIT s)."""
    out: list[Item] = []
    for _ in range(limit):
        item = await asyncio.wait_for(anext(stream), WAIT)
        if isinstance(item, kind):
            out.append(item)
            if len(out) == count:
                return out
    raise AssertionError(f"{count} x {kind} not seen in {limit} items")


class PrivateProbe(V3Protocol[OrderBook]):
    """A private-socket channel with no data of its own: `V3Protocol`'s login path, end to end."""

    def _data(self, text: bytes) -> Reaction[OrderBook]:
        return Reaction()


def private_stream(sim: BitmartSimulator, credentials: BitmartCredentials, **kwargs: object) -> BitmartStream:
    channel = PrivateProbe(sim.private_url, ["spot/user/order:BTC_USDT"], credentials=credentials)
    options: dict[str, object] = {"backoff_initial": 0.05, "connect_timeout": 3}
    options.update(kwargs)
    return BitmartStream(channel, **options)  # type: ignore[arg-type]


def sent(sim: BitmartSimulator, channel: str, op: str) -> list[dict[str, object]]:
    frames = []
    for where, text in sim.received:
        if where == channel and text.startswith("{"):
            frame = json.loads(text)
            if frame.get("op", frame.get("subscribe")) == op:
                frames.append(frame)
    return frames


# ---------------------------------------------------------------- both streams


async def test_legacy_stream_starts_with_the_seed_book_then_moves(sim):
    async with client_for(sim) as client, client.legacy_depth_stream("BMX_ETH", 6) as stream:
        books = await take(stream, 4, OrderBook)
    seed = json.loads((FIXTURES / "legacy_depth" / "seed_example.json").read_bytes())["data"]
    first = books[0]
    assert isinstance(first, OrderBook)
    assert [str(lv.price) for lv in first.bids] == [lv["price"] for lv in seed["buys"]]
    assert [str(lv.size) for lv in first.asks] == [lv["amount"] for lv in seed["sells"]]
    assert [lv.order_count for lv in first.asks] == [int(lv["count"]) for lv in seed["sells"]]
    for book in books:
        assert isinstance(book, OrderBook) and book.venue == "bitmart" and book.symbol == "BMX_ETH"
        assert len(book.bids) == len(book.asks) == 20
        assert book.spread is not None and book.spread > 0
    assert sent(sim, "legacy", "order") == [{"subscribe": "order", "symbol": "BMX_ETH", "precision": 6}]


@pytest.mark.parametrize("levels", WS_BITMART_SPOT_DEPTH.levels)
async def test_v3_stream_gives_timestamped_books_of_the_asked_depth(sim, levels):
    async with client_for(sim) as client, client.depth_stream("BTC_USDT", levels) as stream:
        books = await take(stream, 3, OrderBook)
    for book in books:
        assert isinstance(book, OrderBook) and book.symbol == "BTC_USDT"
        assert len(book.bids) == len(book.asks) == levels
        assert book.timestamp is not None and abs(book.timestamp.timestamp() - time.time()) < 10
        assert isinstance(book.bids[0].price, Decimal) and book.bids[0].price < book.asks[0].price
    assert sent(sim, "spot", "subscribe") == [{"op": "subscribe", "args": [f"spot/depth{levels}:BTC_USDT"]}]


async def test_v3_depth_stream_never_logs_in_even_with_credentials(sim):
    async with client_for(sim, credentials=GOOD) as client, client.depth_stream("ETH_USDT", 5) as stream:
        await take(stream, 2, OrderBook)
        assert isinstance(stream.channel, SpotDepthProtocol) and stream.channel.state.name == "SUBSCRIBED"
        assert stream.channel.acks == 1  # the simulator acknowledges the topic, as the venue does
    assert sim.state.logins == 0 and sim.state.login_failures == 0
    assert [json.loads(t)["op"] for w, t in sim.received if w == "spot"] == ["subscribe"]


async def test_many_symbols_share_one_stream_in_frames_of_at_most_the_registrys_topics(sim):
    symbols = [f"S{i}_USDT" for i in range(25)]
    async with client_for(sim) as client, client.depth_stream(symbols, 5) as stream:
        books = await take(stream, 50, OrderBook)
        assert stream.channel.acks == 25
    frames = sent(sim, "spot", "subscribe")
    assert [len(f["args"]) for f in frames] == [20, 5]  # type: ignore[arg-type]
    assert {b.symbol for b in books if isinstance(b, OrderBook)} == set(symbols)


async def test_heartbeats_go_out_and_pongs_are_consumed(sim):
    async with client_for(sim, ping_interval=0.1) as client:
        spot = client.depth_stream("BTC_USDT")
        legacy = client.legacy_depth_stream("BTC_USDT", 2)
        await take(spot, 1, OrderBook)
        await take(legacy, 1, OrderBook)
        await asyncio.sleep(0.5)
        await take(spot, 1, OrderBook)
        await take(legacy, 1, OrderBook)
        assert spot.channel.pongs >= 2 and legacy.channel.pongs >= 2
    pings = [t for w, t in sim.received if t in ("ping", '{"subscribe":"ping"}')]
    assert len(pings) >= 4


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.depth_stream("BTC_USDT", 10), "levels"),
        (lambda c: c.depth_stream("BTC_USDT", 0), "levels"),
        (lambda c: c.depth_stream("BTCUSDT"), "symbol"),
        (lambda c: c.legacy_depth_stream("BMX/ETH", 6), "symbol"),
        (lambda c: c.legacy_depth_stream("BMX_ETH", -1), "precision"),
    ],
)
async def test_bad_arguments_raise_before_anything_is_sent(sim, call, argument):
    client = client_for(sim)
    with pytest.raises(ValueError, match=argument):
        call(client)
    await asyncio.sleep(0.05)
    assert sim.received == [] and not sim.connections


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"legacy_url": "openws.bitmart.com"}, "legacy_url"),
        ({"url": "ftp://127.0.0.1/api"}, "url"),
        ({"timeout": 0}, "timeout"),
        ({"ping_interval": -1}, "ping_interval"),
        ({"buffer": 0}, "buffer"),
        ({"idle_timeout": 0}, "idle_timeout"),
        ({"healthy_after": -1}, "healthy_after"),
    ],
)
def test_bad_client_settings_raise_value_error_naming_them(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        BitmartClient(**kwargs)


def test_credentials_must_be_bitmart_credentials():
    with pytest.raises(TypeError, match="credentials"):
        BitmartClient(credentials=("key", "secret", "memo"))  # type: ignore[arg-type]


def test_defaults_come_from_the_registry():
    client = BitmartClient()
    assert client.legacy_url == WS_BITMART_LEGACY_DEPTH.url and client.url == WS_BITMART_SPOT_DEPTH.url
    stream = client.depth_stream("BTC_USDT")
    assert stream.protocol.url() == WS_BITMART_SPOT_DEPTH.url
    assert stream.protocol.heartbeat() == (10, "ping")
    legacy = client.legacy_depth_stream("BMX_ETH", 6)
    # reconnects never come sooner than the venue's one-connection-per-4-s rule allows
    assert (WS_BITMART_LEGACY_DEPTH.min_connect_interval_s or 0) <= LEGACY_BACKOFF_INITIAL_S * 0.5
    assert legacy._backoff.initial == LEGACY_BACKOFF_INITIAL_S


# ---------------------------------------------------------------- refusals


async def test_the_private_socket_logs_in_then_subscribes(sim):
    async with private_stream(sim, GOOD) as stream:
        reading = asyncio.ensure_future(anext(stream))  # the stream connects once iterated
        await _until(lambda: stream.channel.acks == 1)
        assert stream.channel.state is SpotState.SUBSCRIBED
        reading.cancel()
    assert sim.state.logins == 1
    assert [json.loads(t)["op"] for w, t in sim.received if w == "private"] == ["login", "subscribe"]


async def test_a_refused_login_ends_the_stream_with_auth_error_and_no_retry(sim):
    bad = BitmartCredentials("sim-api-key", "wrong-secret", MEMO)
    async with private_stream(sim, bad) as stream:
        with pytest.raises(AuthError) as caught:
            await asyncio.wait_for(anext(stream), WAIT)
        await asyncio.sleep(0.3)  # no reconnect, no second login
    assert caught.value.venue == "bitmart" and caught.value.code == 30013  # "Invalid sign", as ccxt recorded
    assert stream.failure is caught.value
    assert sim.state.login_failures == 1 and len(sent(sim, "private", "login")) == 1


async def test_a_login_refused_after_a_reconnect_also_ends_the_stream(sim):
    async with private_stream(sim, GOOD) as stream:
        reading = asyncio.ensure_future(anext(stream))
        await _until(lambda: stream.channel.acks == 1)
        reading.cancel()
        sim.state.secret = "rotated-secret"  # the key was revoked while we were connected
        await sim.drop_connections()
        with pytest.raises(AuthError):
            await take(stream, 50)
        assert stream.stats.reconnects == 1 and len(stream.gaps) == 1
        with pytest.raises(AuthError):
            await asyncio.wait_for(anext(stream), WAIT)  # stays ended
    assert sim.state.login_failures == 1


async def test_a_refused_legacy_subscription_is_invalid_request(sim):
    async with client_for(sim) as client, client.legacy_depth_stream("BMX_ETH", 2) as stream:
        with pytest.raises(InvalidRequest, match="out of range"):
            await take(stream, 1, OrderBook)


# ---------------------------------------------------------------- reconnects and faults


async def test_reconnect_yields_a_gap_and_restores_the_subscription(sim):
    async with client_for(sim, credentials=GOOD) as client, client.depth_stream("BTC_USDT", 20) as stream:
        await take(stream, 1, OrderBook)
        await sim.drop_connections()
        items = await take(stream, 1, Gap)
        book = (await take(stream, 1, OrderBook))[0]
    gap = items[0]
    assert isinstance(gap, Gap) and gap.started <= gap.ended and stream.gaps == [gap]
    assert isinstance(book, OrderBook) and len(book.bids) == 20
    assert len(sent(sim, "spot", "subscribe")) == 2 and sim.state.logins == 0


async def test_each_gap_starts_at_its_own_outage(sim):
    async with client_for(sim) as client, client.depth_stream("BTC_USDT") as stream:
        await take(stream, 1, OrderBook)
        await sim.drop_connections()
        first = (await take(stream, 1, Gap))[0]
        await take(stream, 1, OrderBook)
        await asyncio.sleep(0.2)
        await sim.drop_connections()
        second = (await take(stream, 1, Gap))[0]
        await take(stream, 1, OrderBook)
    assert isinstance(first, Gap) and isinstance(second, Gap)
    assert second.started >= first.ended + 0.15 and second.ended >= second.started
    assert stream.gaps == [first, second]


async def test_a_gap_spans_the_whole_outage_and_failed_attempts_do_not_shorten_it():
    async with BitmartSimulator(port=0, push_interval=0.05) as sim:
        port = sim.port
        client = client_for(sim)
        stream = client.depth_stream("BTC_USDT")
        await take(stream, 1, OrderBook)
    lost_at = time.time()  # the simulator is gone: every reconnect attempt fails for a while
    await asyncio.sleep(0.6)
    async with BitmartSimulator(port=port, push_interval=0.05) as again:
        gap = (await take(stream, 1, Gap))[0]
        await take(stream, 1, OrderBook)
        await stream.aclose()
        assert len(sent(again, "spot", "subscribe")) == 1
    assert isinstance(gap, Gap)
    assert gap.started <= lost_at + 0.05 and gap.ended - gap.started >= 0.6
    assert stream.gaps == [gap]


async def test_legacy_reconnect_resubscribes_at_once(sim):
    async with client_for(sim) as client, client.legacy_depth_stream("BMX_ETH", 6) as stream:
        await take(stream, 1, OrderBook)
        await sim.drop_connections()
        await take(stream, 1, Gap)
        await take(stream, 1, OrderBook)
    assert len(sent(sim, "legacy", "order")) == 2


async def test_drop_connection_fault_recovers_with_a_gap(sim):
    async with client_for(sim) as client, client.depth_stream("BTC_USDT") as stream:
        await take(stream, 1, OrderBook)
        sim.faults.add(Fault.DROP_CONNECTION)
        await _until(lambda: stream.stats.reconnects >= 1 or not stream.connected.is_set())
        sim.faults.discard(Fault.DROP_CONNECTION)
        await take(stream, 1, Gap)
        await take(stream, 1, OrderBook)
    assert len(sent(sim, "spot", "subscribe")) >= 2


@pytest.mark.parametrize("channel", ["legacy", "spot"])
async def test_garbage_frames_are_decode_failures_and_the_stream_goes_on(sim, channel):
    async with client_for(sim) as client:
        stream = client.legacy_depth_stream("BTC_USDT", 2) if channel == "legacy" else client.depth_stream("BTC_USDT")
        await take(stream, 1, OrderBook)
        sim.faults.add(Fault.GARBAGE_FRAME)
        failures = await take(stream, 2, DecodeFailure)
        sim.faults.discard(Fault.GARBAGE_FRAME)
        await take(stream, 2, OrderBook)
        assert stream.stats.decode_errors >= 2 and stream.stats.reconnects == 0
    for failure in failures:
        assert isinstance(failure, DecodeFailure) and failure.error.venue == "bitmart" and failure.raw
    if channel == "spot":
        details = " ".join(f.error.detail for f in failures if isinstance(f, DecodeFailure))
        assert "DEFLATE" in details and "JSON" in details


async def test_slow_replies_past_the_idle_timeout_reconnect_with_a_gap():
    async with (
        BitmartSimulator(port=0, push_interval=0.05, slow_reply_s=1.5) as sim,
        client_for(sim, idle_timeout=0.5) as client,
        client.depth_stream("BTC_USDT") as stream,
    ):
        await take(stream, 1, OrderBook)
        sim.faults.add(Fault.SLOW_REPLY)
        await _until(lambda: stream.stats.reconnects >= 1)
        sim.faults.discard(Fault.SLOW_REPLY)
        gap = (await take(stream, 1, Gap))[0]
        await take(stream, 1, OrderBook)
    assert isinstance(gap, Gap) and "nothing received" in gap.reason


async def test_slow_replies_within_the_idle_timeout_only_delay_the_books():
    async with BitmartSimulator(port=0, push_interval=0.2, slow_reply_s=0.3) as sim:
        sim.faults.add(Fault.SLOW_REPLY)
        async with client_for(sim, idle_timeout=3) as client, client.legacy_depth_stream("BMX_ETH", 6) as stream:
            books = await take(stream, 2, OrderBook)
            assert stream.stats.reconnects == 0 and len(books) == 2


async def test_without_reconnect_a_drop_ends_the_stream_with_connection_lost(sim):
    async with client_for(sim, reconnect=False) as client, client.depth_stream("BTC_USDT") as stream:
        await take(stream, 1, OrderBook)
        await sim.drop_connections()
        with pytest.raises(ConnectionLost):
            await take(stream, 100)


async def test_an_unreachable_venue_raises_instead_of_hanging():
    client = BitmartClient("ws://127.0.0.1:9/", "ws://127.0.0.1:9/api?protocol=1.1", timeout=2)
    for stream in (client.depth_stream("BTC_USDT"), client.legacy_depth_stream("BMX_ETH", 6)):
        with pytest.raises((ConnectionLost, Timeout)):
            await asyncio.wait_for(anext(stream), WAIT)
        await stream.aclose()


async def test_legacy_reconnects_respect_the_venue_connection_rate():
    async with BitmartSimulator(port=0, push_interval=0.05, min_connect_interval=0.4) as sim:
        async with client_for(sim, backoff_initial=0.8) as client, client.legacy_depth_stream("BMX_ETH", 6) as stream:
            await take(stream, 1, OrderBook)
            await sim.drop_connections()
            await take(stream, 1, Gap)
            await take(stream, 1, OrderBook)
        assert sim.refused_connections == 0


async def test_slow_consumers_lose_the_oldest_books_and_they_are_counted():
    async with (
        BitmartSimulator(port=0, push_interval=0.01) as sim,
        client_for(sim, buffer=3) as client,
        client.depth_stream("BTC_USDT") as stream,
    ):
        first = await take(stream, 1, OrderBook)
        await asyncio.sleep(0.6)  # ~60 pushes arrive, 3 may wait
        rest = await take(stream, 3, OrderBook)
        assert stream.dropped >= 20
    newest = rest[-1]
    assert isinstance(first[0], OrderBook) and isinstance(newest, OrderBook)
    assert newest.timestamp is not None and first[0].timestamp is not None
    assert newest.timestamp > first[0].timestamp


# ---------------------------------------------------------------- secrets


async def test_secrets_never_reach_logs_errors_or_reprs(sim, caplog):
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    bad = BitmartCredentials("sim-api-key", "another-secret-91", "another-memo-42")
    async with client_for(sim, credentials=GOOD) as client, client.depth_stream("BTC_USDT") as stream:
        await take(stream, 1, OrderBook)
        sim.faults.add(Fault.GARBAGE_FRAME)
        await take(stream, 1, DecodeFailure)
        sim.faults.clear()
        await sim.drop_connections()
        await take(stream, 1, Gap)
        texts += [repr(client), repr(stream), repr(stream.channel), repr(sim)]
    async with private_stream(sim, bad) as stream:
        with pytest.raises(AuthError) as caught:
            await asyncio.wait_for(anext(stream), WAIT)
        texts += [str(caught.value), repr(caught.value), repr(stream.channel)]
    everything = caplog.text + " ".join(texts)
    for secret in (SECRET, MEMO, "another-secret-91", "another-memo-42"):
        assert secret not in everything
    assert "reconnecting" in caplog.text  # the logs were captured


async def _until(condition: Callable[[], bool], seconds: float = WAIT) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition not met within {seconds} s")


def test_the_package_error_tree_holds():
    assert issubclass(AuthError, venuewire.VenueError) and issubclass(InvalidRequest, venuewire.VenueError)
