"""CoinW signed REST and Infoway REST + WebSocket recorded against their simulators: each
request with its method, target and headers, each response with status, headers, body and its
request's seq, WebSocket frames in order, and no key, secret or signature in the file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.coinw.test_trading import plan
from venuewire.capture import CaptureWriter
from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials, InfowayCredentials
from venuewire.infoway import InfowayClient
from venuewire.models import OrderBook
from venuewire.sim.coinw import CoinwSimulator
from venuewire.sim.infoway import InfowaySimulator

from ._support import assert_no_secrets, kinds, only

pytestmark = pytest.mark.timeout(30)

COINW_KEY, COINW_SECRET = "capture-coinw-key-1234", "capture-coinw-secret-5678"
INFOWAY_KEY = "capture-infoway-key-abcd"


async def test_coinw_signed_requests_are_recorded_without_key_secret_or_signature(tmp_path: Path) -> None:
    path = tmp_path / "coinw.jsonl"
    async with CoinwSimulator(api_key=COINW_KEY, secret=COINW_SECRET) as sim:
        async with CoinwClient(CoinwCredentials(COINW_KEY, COINW_SECRET), sim.url, capture=path) as client:
            orders = await asyncio.wait_for(client.get_open_orders("plan"), 10)
            placed = await asyncio.wait_for(client.place_order(plan()), 10)
        signs = [seen.sign for seen in sim.seen]
    assert orders and placed.code == 0 and len(signs) == 2
    capture = assert_no_secrets(path, COINW_KEY, COINW_SECRET, *signs)
    records = only(capture, "coinw")
    assert kinds(records) == [
        ("meta", "open"),
        ("out", "http-request"),
        ("in", "http-response"),
        ("out", "http-request"),
        ("in", "http-response"),
        ("meta", "close"),
    ]
    assert len({r.conn for r in records}) == 1
    get, got, post, posted = records[1:5]
    assert get.meta["method"] == "GET" and get.meta["target"].startswith("/v1/perpum/order?")
    assert "positionType=plan" in get.meta["target"]
    assert post.meta["method"] == "POST" and json.loads(post.data)["instrument"] == "BTC"
    for request, response in ((get, got), (post, posted)):
        headers = {k.lower(): v for k, v in request.meta["headers"].items()}
        assert headers["sign"] == headers["api_key"] == "[redacted]"
        assert headers["timestamp"].isdigit()  # no secret: kept
        assert response.meta["status"] == 200 and response.meta["request"] == request.seq
        assert json.loads(response.data)["code"] == 0
        assert response.meta["headers"]


async def test_a_closed_client_closes_the_file_it_opened_but_not_a_shared_writer(tmp_path: Path) -> None:
    shared = CaptureWriter(tmp_path / "shared.jsonl")
    async with CoinwSimulator(api_key=COINW_KEY, secret=COINW_SECRET) as sim:
        for _ in range(2):
            async with CoinwClient(CoinwCredentials(COINW_KEY, COINW_SECRET), sim.url, capture=shared) as client:
                await asyncio.wait_for(client.get_open_orders("plan"), 10)
        own = CoinwClient(CoinwCredentials(COINW_KEY, COINW_SECRET), sim.url, capture=tmp_path / "own.jsonl")
        async with own:
            await asyncio.wait_for(own.get_open_orders("plan"), 10)
        assert own.capture is not None
        assert own.capture.writer.write(1, "coinw", "meta", "close") == -1  # closed with the client
    assert shared.write(9, "coinw", "meta", "close") >= 0  # still open: its owner closes it
    shared.close()
    capture = assert_no_secrets(shared.path, COINW_KEY, COINW_SECRET)
    assert sorted({r.conn for r in capture.records}) == [1, 2, 9]


async def test_infoway_rest_and_websocket_are_recorded_without_the_api_key(tmp_path: Path) -> None:
    path = tmp_path / "infoway.jsonl"
    async with InfowaySimulator(api_key=INFOWAY_KEY, push_interval=0.02, rest_limit=1000) as sim:
        client = InfowayClient(InfowayCredentials(INFOWAY_KEY), sim.url, sim.ws_url, timeout=3, capture=path)
        async with client:
            books = await asyncio.wait_for(client.order_books("stock", ["00700.HK"]), 10)
            stream = client.depth_stream("stock", ["00700.HK"])
            async with asyncio.timeout(10):
                seen = 0
                async for item in stream:
                    seen += isinstance(item, OrderBook)
                    if seen == 3:
                        break
    assert [b.symbol for b in books] == ["00700.HK"]
    capture = assert_no_secrets(path, INFOWAY_KEY)
    records = only(capture, "infoway")
    by_conn = capture.connections()
    rest, ws = sorted(by_conn)
    assert kinds(by_conn[rest]) == [
        ("meta", "open"),
        ("out", "http-request"),
        ("in", "http-response"),
        ("meta", "close"),
    ]
    request = by_conn[rest][1]
    assert request.meta["headers"] and "[redacted]" in request.meta["headers"].values()
    stream_records = by_conn[ws]
    assert stream_records[0].transport == "open" and "[redacted]" in stream_records[0].meta["url"]
    assert stream_records[1].direction == "out" and stream_records[1].transport == "ws-text"
    assert json.loads(stream_records[1].data)["code"] == 10003  # the subscribe frame goes out first
    pushes = [r for r in stream_records if r.direction == "in"]
    assert len(pushes) >= 3 and all(r.transport == "ws-text" for r in pushes)
    assert stream_records[-1].transport == "close"
    assert [r.seq for r in records] == sorted(r.seq for r in records)
