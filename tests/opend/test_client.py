"""OpenDClient against the embedded OpenD simulator on 127.0.0.1: every behaviour the
client documents, each test bounded by a timeout."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import venuewire
from venuewire import OpenDClient, OpenDError, SubType
from venuewire.errors import WrongEventLoop
from venuewire.generated.futu.enums import RetType
from venuewire.generated.registry import OPEND
from venuewire.sim.opend import Fault, OpenDSimulator

pytestmark = pytest.mark.timeout(30)


def sample_key() -> Path:
    import futu

    return Path(os.path.dirname(futu.__file__)) / "common" / "conn_key.txt"


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.05) as server:
        yield server


async def test_connects_and_exposes_the_session(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        assert client.conn_id and client.server_ver
        assert client.login_user_id is not None
        state = await client.get_global_state()
        assert state.serverVer == client.server_ver


async def test_order_book_needs_a_subscription_first_like_opend(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        with pytest.raises(OpenDError) as caught:
            await client.get_order_book("HK.00700", num=10)
        assert caught.value.ret_type == -1
        assert caught.value.venue == "futu"
        await client.subscribe(["HK.00700", "US.AAPL"], sub_types=[SubType.OrderBook], push=False)
        s2c = await client.get_order_book("HK.00700", num=10)
        assert (s2c.security.market, s2c.security.code) == (1, "00700")
        assert len(s2c.orderBookAskList) == 10 and len(s2c.orderBookBidList) == 10
        book = venuewire.order_book_from_s2c(s2c)
        assert book.best_bid is not None and book.best_ask is not None
        assert book.best_bid.price < book.best_ask.price


async def test_sixty_four_requests_in_flight_are_all_matched(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        await client.subscribe(["HK.00700", "US.AAPL"], push=False)
        symbols = ["HK.00700", "US.AAPL"] * 32
        results = await asyncio.gather(*(client.get_order_book(s, num=1 + i % 5) for i, s in enumerate(symbols)))
        assert [r.security.code for r in results] == [s.split(".")[1] for s in symbols]
        assert [len(r.orderBookAskList) for r in results] == [1 + i % 5 for i in range(64)]


async def test_push_updates_arrive_in_order_for_the_subscribed_symbol(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        stream = client.order_book_updates("HK.00700")
        await client.subscribe(["HK.00700"], push=True)
        updates = []
        async for update in stream:
            updates.append(update)
            if len(updates) == 3:
                break
        assert all(u.security.code == "00700" for u in updates)
        await stream.aclose()


@pytest.mark.parametrize("mode", ["cbc", "ecb"])
async def test_encrypted_sessions(mode):
    async with (
        OpenDSimulator(host="127.0.0.1", port=0, rsa_key_path=sample_key(), aes_mode=mode, push_interval=0.05) as sim,
        OpenDClient(host="127.0.0.1", port=sim.port, rsa_key_path=sample_key()) as client,
    ):
        await client.subscribe(["US.AAPL"], push=True)
        s2c = await client.get_order_book("US.AAPL", num=5)
        assert len(s2c.orderBookBidList) == 5
        stream = client.order_book_updates("US.AAPL")
        first = await asyncio.wait_for(anext(stream), 5)
        assert first.security.code == "AAPL"


async def test_a_stalled_reply_times_out_and_is_forgotten(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, timeout=0.5, reconnect=False) as client:
        sim.faults.add(Fault.STALL)
        with pytest.raises(venuewire.Timeout):
            await client.get_global_state()
        assert client._pending == {}


async def test_disconnect_fails_pending_requests_at_once(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, timeout=10, reconnect=False) as client:
        sim.faults.add(Fault.DROP_MID_FRAME)
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(venuewire.ConnectionLost):
            await client.get_global_state()
        assert loop.time() - started < 5
        with pytest.raises(venuewire.ConnectionLost):
            await client.get_global_state()


async def test_wrong_serial_replies_are_counted_not_matched(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, timeout=0.5) as client:
        sim.faults.add(Fault.WRONG_SERIAL)
        with pytest.raises(venuewire.Timeout):
            await client.get_global_state()
        assert client.stats.unmatched_replies >= 1


async def test_corrupt_sha1_drops_the_connection_and_the_client_reconnects(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, timeout=5) as client:
        first = client.conn_id
        sim.faults.add(Fault.CORRUPT_SHA1)
        with pytest.raises(venuewire.ConnectionLost):
            await client.get_global_state()
        sim.faults.clear()
        state = await client.get_global_state()  # waits for the reconnection
        assert state.serverVer
        assert client.conn_id != first
        assert client.stats.reconnects == 1
        assert client.gaps and "bad frame" in client.gaps[0].reason


async def test_silent_peer_is_detected_as_dead():
    async with (
        OpenDSimulator(host="127.0.0.1", port=0, keepalive_interval=1) as sim,
        OpenDClient(host="127.0.0.1", port=sim.port, reconnect=False) as client,
    ):
        sim.faults.add(Fault.NO_KEEPALIVE)
        sim.faults.add(Fault.STALL)
        for _ in range(60):
            if not client.connected:
                break
            await asyncio.sleep(0.1)
        assert not client.connected
        with pytest.raises(venuewire.ConnectionLost):
            await client.get_global_state()


async def test_stream_resumes_after_a_reconnect_with_a_gap_event(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        await client.subscribe(["HK.00700"], push=True)
        stream = client.order_book_updates("HK.00700")
        await asyncio.wait_for(anext(stream), 5)
        await sim.drop_connections()
        for _ in range(100):
            if stream.gaps:
                break
            await asyncio.wait_for(anext(stream), 5)
        assert stream.gaps, "no gap recorded"
        after = await asyncio.wait_for(anext(stream), 5)  # pushes resume: the subscription was restored
        assert after.security.code == "00700"
        assert client.stats.reconnects == 1


async def test_slow_consumer_drops_oldest_and_counts(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, buffer=2) as client:
        stream = client.order_book_updates("HK.00700")
        await client.subscribe(["HK.00700"], push=True)
        for _ in range(100):
            if stream.dropped >= 3:
                break
            await asyncio.sleep(0.05)
        assert stream.dropped >= 3
        assert client.stats.pushes_dropped >= stream.dropped
        assert stream.received == stream.dropped + 2 or stream.received > stream.dropped


async def test_connect_to_nothing_fails_fast_instead_of_retrying_forever():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(venuewire.ConnectionLost, match=str(port)):
        async with OpenDClient(host="127.0.0.1", port=port):
            pass


async def test_close_ends_update_streams(sim):
    client = OpenDClient(host="127.0.0.1", port=sim.port)
    await client.connect()
    stream = client.order_book_updates("HK.00700")
    waiter = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.05)
    await client.close()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(waiter, 2)


class Clock:
    """A wall clock the test moves forward (the simulator's `clock`)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


async def test_unsubscribe_stops_pushes():
    clock = Clock()
    async with (
        OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.05, clock=clock) as sim,
        OpenDClient(host="127.0.0.1", port=sim.port) as client,
    ):
        await client.subscribe(["HK.00700"], push=True)
        clock.offset += OPEND.unsubscribe_after_s  # OpenD refuses an unsubscribe within the minute
        await client.unsubscribe(["HK.00700"])
        stream = client.order_book_updates("HK.00700")
        await asyncio.sleep(0.3)
        assert stream.received == 0
        with pytest.raises(OpenDError):
            await client.get_order_book("HK.00700")


async def test_unsubscribe_within_the_minute_is_refused_like_opend_and_the_subscription_stays():
    clock = Clock()
    async with (
        OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.05, clock=clock) as sim,
        OpenDClient(host="127.0.0.1", port=sim.port) as client,
    ):
        await client.subscribe(["HK.00700"], push=True)
        clock.offset += OPEND.unsubscribe_after_s - 1
        with pytest.raises(OpenDError) as caught:
            await client.unsubscribe(["HK.00700"])
        assert isinstance(caught.value, venuewire.VenueError)
        assert caught.value.ret_type == RetType.Failed and "minute" in caught.value.ret_msg
        stream = client.order_book_updates("HK.00700")
        assert (await asyncio.wait_for(anext(stream), 2)).security.code == "00700"  # still subscribed
        await sim.drop_connections()  # and restored after a reconnect, since it was never given up
        for _ in range(100):
            item = await asyncio.wait_for(anext(stream), 2)
            if stream.gaps and not isinstance(item, venuewire.Gap):
                break
        assert stream.gaps and item.security.code == "00700"
        clock.offset += OPEND.unsubscribe_after_s  # the restored subscription is a new one: its own minute
        await client.unsubscribe(["HK.00700"])


def test_a_client_used_from_a_second_event_loop_fails_at_once_with_wrong_event_loop():
    ready = threading.Event()
    stop: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[None]]] = []
    port: list[int] = []

    def serve() -> None:
        async def main() -> None:
            async with OpenDSimulator(host="127.0.0.1", port=0) as sim:
                port.append(sim.port)
                task = asyncio.current_task()
                assert task is not None
                stop.append((asyncio.get_running_loop(), task))
                ready.set()
                await asyncio.Event().wait()

        with contextlib.suppress(asyncio.CancelledError, RuntimeError):
            asyncio.run(main())

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    assert ready.wait(10)
    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    client = OpenDClient(host="127.0.0.1", port=port[0], timeout=2)
    try:
        first.run_until_complete(client.connect())
        for call in (
            client.get_global_state,
            lambda: client.subscribe(["HK.00700"]),
            lambda: client.get_order_book("HK.00700"),
        ):
            started = time.monotonic()
            with pytest.raises(WrongEventLoop, match="event loop"):
                second.run_until_complete(asyncio.wait_for(call(), 3))
            assert time.monotonic() - started < 0.5
        stream = client.order_book_updates("HK.00700")
        with pytest.raises(WrongEventLoop):
            second.run_until_complete(asyncio.wait_for(anext(stream), 3))
        assert first.run_until_complete(client.get_global_state()).serverVer  # still fine on its own loop
        first.run_until_complete(client.close())
        second.run_until_complete(client.connect())  # closed: free to bind to a new loop
        second.run_until_complete(client.close())
    finally:
        first.close()
        second.close()
        for loop, task in stop:
            loop.call_soon_threadsafe(task.cancel)  # the simulator closes itself on the way out
        server.join(10)


TWO_RUNS = """
import asyncio, sys, threading, time
from venuewire import OpenDClient
from venuewire.errors import WrongEventLoop
from venuewire.sim.opend import OpenDSimulator

ready, port = threading.Event(), []

async def serve():
    async with OpenDSimulator(host="127.0.0.1", port=0) as sim:
        port.append(sim.port)
        ready.set()
        await asyncio.sleep(30)

threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()
ready.wait(10)
client = OpenDClient(host="127.0.0.1", port=port[0], timeout=5)
asyncio.run(client.connect())  # the loop ends with the client still open
started = time.monotonic()
try:
    asyncio.run(client.get_global_state())
except WrongEventLoop as exc:
    print("refused", round(time.monotonic() - started, 1), exc.venue)
asyncio.run(client.close())  # its loop has ended: close forgets it
async def again():
    async with client:
        return (await client.get_global_state()).serverVer
print("again", asyncio.run(again()) > 0)
"""


def test_two_asyncio_runs_refuse_at_once_and_close_frees_the_client_for_a_new_loop():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", TWO_RUNS], check=False, capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["refused 0.0 futu", "again True"], done.stdout + done.stderr
