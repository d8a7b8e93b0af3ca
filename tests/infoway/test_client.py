"""InfowayClient against the embedded simulator on 127.0.0.1: REST batch depth, the depth
stream, every validation and limit, wrong keys, every fault mode, reconnects with a Gap,
DecodeFailure events, the 60-frames-a-minute limit, slow consumers and secrecy. Every test is
bounded by a timeout and every loop by a count or a deadline."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import pytest

from venuewire.credentials import InfowayCredentials
from venuewire.errors import AuthError, ConnectionLost, DecodeError, NotFound, RateLimited, Timeout, VenueError
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.infoway import InfowayClient, InfowayDepthStream
from venuewire.models import OrderBook
from venuewire.sim.infoway import Fault, InfowaySimulator

pytestmark = pytest.mark.timeout(30)

KEY = "InFoWaY-Key-Do-Not-Leak-789"
WRONG = "Wrong-Key-Do-Not-Leak-000"
Items = list[object]


@pytest.fixture
async def sim() -> AsyncIterator[InfowaySimulator]:
    async with InfowaySimulator(api_key=KEY, push_interval=0.02, rest_limit=1000) as server:
        yield server


@contextlib.asynccontextmanager
async def served(**options: Any) -> AsyncIterator[tuple[InfowaySimulator, InfowayClient]]:
    """A simulator with `options` and a client of it."""
    async with InfowaySimulator(api_key=KEY, **options) as sim, make_client(sim) as client:
        yield sim, client


def make_client(sim: InfowaySimulator, key: str = KEY, timeout: float = 2.0) -> InfowayClient:
    return InfowayClient(InfowayCredentials(key), sim.url, sim.ws_url, timeout=timeout)


def fast(client: InfowayClient, market: str, codes: list[str], **options: float) -> InfowayDepthStream:
    options = {"backoff_initial": 0.01, "backoff_max": 0.05} | options
    return client.depth_stream(market, codes, **options)  # type: ignore[arg-type]


async def items_until(stream: InfowayDepthStream, done: Callable[[Items], bool], within: float = 8.0) -> Items:
    seen: Items = []
    async with asyncio.timeout(within):
        while len(seen) < 5000:
            seen.append(await anext(stream))
            if done(seen):
                return seen
    raise AssertionError(f"condition not met after {len(seen)} items")


def last_is_book(seen: Items) -> bool:
    return isinstance(seen[-1], OrderBook)


def book_after(kind: type) -> Callable[[Items], bool]:
    def done(seen: Items) -> bool:
        marks = [i for i, item in enumerate(seen) if isinstance(item, kind)]
        return bool(marks) and any(isinstance(item, OrderBook) for item in seen[marks[0] + 1 :])

    return done


async def until(condition: Callable[[], bool], within: float = 5.0) -> None:
    for _ in range(round(within / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition not met within {within} s")


def subscribe_frames(sim: InfowaySimulator) -> list[dict[str, object]]:
    frames = [json.loads(text) for _, text in sim.received]
    return [f for f in frames if f.get("code") == 10003]


# --- REST ---------------------------------------------------------------------------------------


async def test_order_books_end_to_end(sim):
    async with make_client(sim) as client:
        before = sim.step
        books = await client.order_books("stock", ["00700.HK", "AAPL.US"])
        after = sim.step
    assert [b.symbol for b in books] == ["00700.HK", "AAPL.US"]
    for book in books:
        assert book.venue == "infoway" and len(book.asks) == len(book.bids) == 10
        assert book.best_bid is not None and book.best_ask is not None
        assert book.best_bid.price < book.best_ask.price
        assert isinstance(book.best_bid.size, Decimal) and book.timestamp is not None
        served = [sim.book(book.symbol).snapshot(step) for step in range(before, after + 1)]
        assert ([(lv.price, lv.size) for lv in book.bids], [(lv.price, lv.size) for lv in book.asks]) in [
            ([(p, s) for p, s, _ in bids], [(p, s) for p, s, _ in asks]) for bids, asks in served
        ]


async def test_batch_depth_is_the_typed_reply(sim):
    async with make_client(sim) as client:
        reply = await client.batch_depth("crypto", ["BTCUSDT", "ETHUSDT", "BTCUSDT"])
    assert isinstance(reply, BatchDepthResponse)
    assert reply.ret == 200 and reply.data is not None and [d.s for d in reply.data] == ["BTCUSDT", "ETHUSDT"]
    first = reply.data[0].a[0][0]  # the wire's text (DecimalText), exact; no Decimal built by the decode
    assert type(first) is str and str(Decimal(first)) == first


async def test_codes_without_data_are_absent_and_none_at_all_is_not_found(sim):
    async with make_client(sim) as client:
        books = await client.order_books("stock", ["00700.HK", "NOPE"])
        assert [b.symbol for b in books] == ["00700.HK"]
        with pytest.raises(NotFound) as caught:
            await client.order_books("stock", ["NOPE"])
    assert caught.value.code == 508 and caught.value.venue == "infoway"


async def test_one_hundred_codes_is_the_limit(sim):
    codes = [f"{i:05d}.HK" for i in range(1, 101)]
    async with make_client(sim) as client:
        books = await client.order_books("stock", codes)
        assert [b.symbol for b in books] == codes
        with pytest.raises(ValueError, match="at most 100"):
            await client.order_books("stock", [*codes, "00101.HK"])
    assert sim.stats.rest_requests == 1


@pytest.mark.parametrize(
    ("market", "codes", "match"),
    [
        ("forex", ["EURUSD"], "market"),
        ("stock", [], "codes"),
        ("stock", "00700.HK", "codes"),
        ("stock", ["700.HK"], "00700.HK"),
        ("stock", ["AAPL.US", "TSLA US"], r"codes\[1\]"),
    ],
)
async def test_arguments_are_checked_before_anything_is_sent(sim, market, codes, match):
    async with make_client(sim) as client:
        with pytest.raises(ValueError, match=match):
            await client.batch_depth(market, codes)
        with pytest.raises(ValueError, match=match):
            client.depth_stream(market, codes)
    assert sim.stats.rest_requests == 0 and sim.stats.ws_connections == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": -1.0}, ValueError, "timeout"),
        ({"url": "data.infoway.io"}, ValueError, r"^url "),
        ({"ws_url": ""}, ValueError, "ws_url"),
        ({"credentials": KEY}, TypeError, "credentials"),
    ],
)
def test_client_arguments_are_checked(kwargs, error, match):
    args = {"credentials": InfowayCredentials(KEY), "url": "http://127.0.0.1:1", "ws_url": "ws://127.0.0.1:1/ws"}
    with pytest.raises(error, match=match):
        InfowayClient(**(args | kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value"),
    [("ping_interval", 0), ("idle_timeout", 0), ("frame_window_s", -1), ("backoff_initial", 0), ("buffer", 0)],
)
async def test_stream_options_are_checked(sim, option, value):
    async with make_client(sim) as client:
        with pytest.raises(ValueError, match=option):
            client.depth_stream("crypto", ["BTCUSDT"], **{option: value})


async def test_rest_wrong_key_is_an_auth_error(sim):
    async with make_client(sim, WRONG) as client:
        with pytest.raises(AuthError) as caught:
            await client.order_books("stock", ["00700.HK"])
    assert caught.value.code == 401
    assert WRONG not in str(caught.value)


async def test_rest_rate_limit_http_429_is_rate_limited_with_retry_after():
    async with served(rest_limit=2, rest_window_s=30) as (_, client):
        await client.order_books("crypto", ["BTCUSDT"])
        await client.order_books("crypto", ["BTCUSDT"])
        with pytest.raises(RateLimited) as caught:
            await client.order_books("crypto", ["BTCUSDT"])
    assert caught.value.code == 429 and caught.value.retry_after is not None and caught.value.retry_after >= 1


async def test_rest_rate_limit_http_200_detail_is_rate_limited():
    async with served(rest_limit=1, rest_window_s=30, rate_limit_reply="detail") as (_, client):
        await client.order_books("crypto", ["BTCUSDT"])
        with pytest.raises(RateLimited, match="Rate limit exceeded") as caught:
            await client.order_books("crypto", ["BTCUSDT"])
    assert caught.value.code == 200


@pytest.mark.parametrize(
    ("fault", "error"),
    [(Fault.DROP_CONNECTION, ConnectionLost), (Fault.GARBAGE_FRAME, DecodeError), (Fault.SLOW_REPLY, Timeout)],
)
async def test_rest_faults_fail_with_the_documented_error_then_recover(fault, error):
    async with InfowaySimulator(api_key=KEY, slow_reply_s=1.0) as sim, make_client(sim, timeout=0.3) as client:
        sim.faults.add(fault)
        with pytest.raises(error) as caught:
            await client.order_books("stock", ["00700.HK"])
        assert caught.value.venue == "infoway"
        sim.faults.discard(fault)
        assert len(await client.order_books("stock", ["00700.HK"])) == 1


# --- WebSocket ------------------------------------------------------------------------------------


async def test_stream_yields_books_for_every_code_from_one_subscribe_frame(sim):
    async with make_client(sim) as client, fast(client, "stock", ["00700.HK", "AAPL.US"]) as stream:
        seen = await items_until(stream, lambda s: {getattr(i, "symbol", None) for i in s} >= {"00700.HK", "AAPL.US"})
    assert all(isinstance(item, OrderBook) for item in seen)
    (frame,) = subscribe_frames(sim)
    assert frame["data"] == {"codes": "00700.HK,AAPL.US"}
    assert stream.depth.stats.welcomes == 1 and stream.depth.stats.acks == 1
    assert stream.depth.stats.notices == 1  # the stock channel's permission notice
    assert stream.stats.decode_errors == 0


async def test_stream_reconnects_after_a_drop_with_a_gap(sim):
    async with make_client(sim) as client, fast(client, "crypto", ["BTCUSDT", "ETHUSDT"]) as stream:
        await items_until(stream, last_is_book)
        await sim.drop_connections()
        seen = await items_until(stream, book_after(Gap))
    (gap,) = [item for item in seen if isinstance(item, Gap)]
    assert gap.ended >= gap.started and stream.gaps == [gap]
    assert stream.stats.reconnects == 1
    assert len(subscribe_frames(sim)) == 2  # subscribed again on the new connection
    assert sim.stats.ws_connections == 2


async def test_every_outage_is_its_own_gap(sim):
    async with make_client(sim) as client, fast(client, "crypto", ["BTCUSDT"]) as stream:
        for _ in range(2):
            await items_until(stream, last_is_book)
            await sim.drop_connections()
            await items_until(stream, book_after(Gap))
    first, second = stream.gaps
    assert first.started <= first.ended <= second.started <= second.ended
    assert first.reason == second.reason == "connection closed by the venue"


async def test_a_first_connection_lost_later_reconnects_instead_of_ending_the_stream():
    async with served(push_interval=0.02, idle_timeout_s=0.3) as (sim, client):
        stream = fast(client, "crypto", ["BTCUSDT"], ping_interval=100)
        seen = await items_until(stream, book_after(Gap))  # the venue drops the silent first connection
    assert sim.stats.closed_for_silence >= 1
    assert [i for i in seen if isinstance(i, Gap)] == stream.gaps[:1]


async def test_ws_wrong_key_is_an_auth_error_on_the_first_connection(sim):
    async with make_client(sim, WRONG) as client:
        stream = fast(client, "crypto", ["BTCUSDT"])
        with pytest.raises(AuthError) as caught:
            await asyncio.wait_for(anext(stream), 5)
        await stream.aclose()
    assert caught.value.code == 401
    assert WRONG not in str(caught.value)
    assert sim.stats.ws_refused == 1


async def test_a_key_refused_on_reconnect_ends_the_stream_instead_of_retrying(sim):
    async with make_client(sim) as client, fast(client, "crypto", ["BTCUSDT"]) as stream:
        await items_until(stream, last_is_book)
        sim.state.api_key = "rotated-key"
        await sim.drop_connections()
        with pytest.raises(AuthError, match=r"refused the connection \(HTTP 401\)") as caught:
            await items_until(stream, lambda s: False)
    assert KEY not in str(caught.value)
    assert sim.stats.ws_refused == 1


async def test_ws_drop_connection_fault_recovers_with_a_gap(sim):
    async with make_client(sim) as client, fast(client, "crypto", ["BTCUSDT"]) as stream:
        await items_until(stream, last_is_book)
        sim.faults.add(Fault.DROP_CONNECTION)
        await until(lambda: sim.stats.dropped_by_fault >= 1)
        sim.faults.discard(Fault.DROP_CONNECTION)
        seen = await items_until(stream, book_after(Gap))
    assert any(isinstance(item, Gap) for item in seen)
    assert stream.stats.reconnects >= 1


async def test_ws_garbage_frames_are_decode_failures_and_the_stream_goes_on(sim, caplog):
    async with make_client(sim) as client, fast(client, "crypto", ["BTCUSDT"]) as stream:
        await items_until(stream, last_is_book)
        sim.faults.add(Fault.GARBAGE_FRAME)
        seen = await items_until(stream, lambda s: isinstance(s[-1], DecodeFailure))
        sim.faults.discard(Fault.GARBAGE_FRAME)
        await items_until(stream, last_is_book)  # the same connection goes on
    failure = seen[-1]
    assert isinstance(failure, DecodeFailure)
    assert failure.error.venue == "infoway" and failure.raw
    assert stream.stats.decode_errors >= 1 and stream.depth.stats.decode_failures >= 1
    assert stream.stats.reconnects == 0
    assert "infoway" in caplog.text


async def test_ws_slow_replies_trip_the_idle_timeout_and_the_stream_reconnects():
    async with served(push_interval=0.02, slow_reply_s=0.6) as (sim, client):
        stream = fast(client, "crypto", ["BTCUSDT"], idle_timeout=0.2)
        await items_until(stream, last_is_book)
        sim.faults.add(Fault.SLOW_REPLY)
        await until(lambda: stream.stats.reconnects >= 1)
        sim.faults.discard(Fault.SLOW_REPLY)
        seen = await items_until(stream, book_after(Gap))
    gap = next(item for item in seen if isinstance(item, Gap))
    assert "nothing received" in gap.reason


async def test_heartbeats_keep_the_connection_and_silence_gets_it_dropped():
    async with served(push_interval=0.02, idle_timeout_s=0.3) as (sim, client):
        async with fast(client, "crypto", ["BTCUSDT"], ping_interval=0.1) as stream:
            loop = asyncio.get_running_loop()
            end = loop.time() + 1.2
            await items_until(stream, lambda s: loop.time() > end)
        assert sim.stats.closed_for_silence == 0 and stream.stats.reconnects == 0
        heartbeats = [t for _, t in sim.received if json.loads(t)["code"] == 10010]
        assert len(heartbeats) >= 5
        async with fast(client, "crypto", ["BTCUSDT"], ping_interval=100) as silent:
            await items_until(silent, book_after(Gap))
        assert sim.stats.closed_for_silence >= 1


async def test_our_client_never_exceeds_sixty_frames_a_minute():
    # The minute shrunk to one second on both sides; heartbeats every millisecond try to
    # send a thousand frames a second, and the send limiter holds them to 60 a window.
    async with served(push_interval=0.05, frame_window_s=1.0) as (sim, client):
        async with fast(client, "crypto", ["BTCUSDT"], ping_interval=0.001, frame_window_s=1.0) as stream:
            loop = asyncio.get_running_loop()
            end = loop.time() + 2.5
            await items_until(stream, lambda s: loop.time() > end)
        assert sim.stats.closed_for_frame_limit == 0
        assert sim.stats.max_frames_in_window <= 60
        assert sim.stats.frames_received >= 100  # the limiter, not the heartbeat, set the pace
        assert stream.stats.reconnects == 0
        assert stream.stats.frames_sent == sim.stats.frames_received


async def test_the_simulator_would_catch_a_client_sending_too_fast():
    # a limiter on a half-second window lets twice the venue's rate through
    async with served(push_interval=0.05, frame_window_s=1.0) as (sim, client):
        stream = fast(client, "crypto", ["BTCUSDT"], ping_interval=0.001, frame_window_s=0.5)
        await items_until(stream, book_after(Gap))
    assert sim.stats.closed_for_frame_limit >= 1


async def test_slow_consumers_lose_the_oldest_books_and_they_are_counted():
    codes = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT"]
    async with served(push_interval=0.01) as (_, client), fast(client, "crypto", codes, buffer=4) as stream:
        await items_until(stream, last_is_book)
        await until(lambda: stream.stats.received > 60)
        assert stream.dropped > 0 and stream.dropped == stream.stats.dropped
        steps = [item.timestamp for item in await items_until(stream, lambda s: len(s) == 4)]
    assert steps == sorted(steps)  # what is left is the newest, in order


async def test_closing_the_client_ends_its_streams(sim):
    client = make_client(sim)
    stream = fast(client, "crypto", ["BTCUSDT"])
    await items_until(stream, last_is_book)
    await client.close()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(stream), 2)


# --- secrecy -------------------------------------------------------------------------------------


async def test_the_api_key_never_shows_in_logs_errors_or_reprs(sim, caplog):
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    async with make_client(sim) as client:
        texts += [repr(client), str(client)]
        async with fast(client, "crypto", ["BTCUSDT"]) as stream:
            texts.append(repr(stream))
            await items_until(stream, last_is_book)
            await sim.drop_connections()
            sim.faults.add(Fault.GARBAGE_FRAME)
            await items_until(stream, lambda s: isinstance(s[-1], DecodeFailure))
            sim.faults.clear()
            sim.state.api_key = "rotated"
            await sim.drop_connections()
            with pytest.raises(VenueError) as caught:
                await items_until(stream, lambda s: False)
            texts.append(str(caught.value))
            texts += [str(item) for item in stream.gaps]
    async with make_client(sim, WRONG) as bad:
        with pytest.raises(AuthError) as rest_error:
            await bad.order_books("crypto", ["BTCUSDT"])
        texts.append(str(rest_error.value))
        stream = fast(bad, "crypto", ["BTCUSDT"])
        with pytest.raises(AuthError) as ws_error:
            await anext(stream)
        texts.append(str(ws_error.value))
        await stream.aclose()
    texts.append(caplog.text)
    assert caplog.records  # the reconnects and the bad frame were logged
    for text in texts:
        assert KEY not in text and WRONG not in text


async def test_heart_apply_frames_are_consumed_as_control_frames():
    async with served(push_interval=0.02, heart_apply=True) as (_, client):
        async with fast(client, "crypto", ["BTCUSDT"], ping_interval=0.05) as stream:
            seen = await items_until(stream, last_is_book)
            await until(lambda: stream.depth.stats.control >= 3, within=3.0)
        stats = stream.depth.stats
        assert stats.unknown == stats.decode_failures == stats.errors == 0
        assert not any(isinstance(item, DecodeFailure) for item in seen)
