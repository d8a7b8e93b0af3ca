"""OpenDClient against the embedded OpenD simulator on 127.0.0.1: every behaviour the
client documents, each test bounded by a timeout."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import venuewire
from venuewire import OpenDClient, OpenDError, SubType
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
    async with OpenDClient(host="127.0.0.1", port=sim.port, request_timeout=0.5, reconnect=False) as client:
        sim.faults.add(Fault.STALL)
        with pytest.raises(venuewire.Timeout):
            await client.get_global_state()
        assert client._pending == {}


async def test_disconnect_fails_pending_requests_at_once(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, request_timeout=10, reconnect=False) as client:
        sim.faults.add(Fault.DROP_MID_FRAME)
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(venuewire.ConnectionLost):
            await client.get_global_state()
        assert loop.time() - started < 5
        with pytest.raises(venuewire.ConnectionLost):
            await client.get_global_state()


async def test_wrong_serial_replies_are_counted_not_matched(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, request_timeout=0.5) as client:
        sim.faults.add(Fault.WRONG_SERIAL)
        with pytest.raises(venuewire.Timeout):
            await client.get_global_state()
        assert client.stats.unmatched_replies >= 1


async def test_corrupt_sha1_drops_the_connection_and_the_client_reconnects(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, request_timeout=5) as client:
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
    async with OpenDClient(host="127.0.0.1", port=sim.port, push_buffer=2) as client:
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


async def test_unsubscribe_stops_pushes(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        await client.subscribe(["HK.00700"], push=True)
        await client.unsubscribe(["HK.00700"])
        stream = client.order_book_updates("HK.00700")
        await asyncio.sleep(0.3)
        assert stream.received == 0
        with pytest.raises(OpenDError):
            await client.get_order_book("HK.00700")
