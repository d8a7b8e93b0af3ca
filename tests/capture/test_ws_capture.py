"""QFEX login + orders and BitMart v3 and legacy depth recorded against their simulators:
frames in and out in order on one connection each, binary frames as the bytes that came, and
no key, secret or login signature in the file."""

from __future__ import annotations

import asyncio
import json
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from venuewire.bitmart import BitmartClient
from venuewire.credentials import BitmartCredentials, QfexCredentials
from venuewire.models import OrderBook
from venuewire.qfex.client import QfexTradeClient
from venuewire.sim.bitmart import BitmartSimulator
from venuewire.sim.qfex import QfexSimulator, expected_signature

from ._support import assert_no_secrets, kinds, only

pytestmark = pytest.mark.timeout(30)

QFEX_KEY, QFEX_SECRET = "qfex_pub_capture_test", "capture-qfex-secret-9e1d"
BM_KEY, BM_SECRET, BM_MEMO = "capture-bitmart-key", "capture-bitmart-secret", "capture-bitmart-memo"


def _inflated(data: bytes) -> bytes:
    return zlib.decompress(data, -zlib.MAX_WBITS)


async def test_qfex_login_and_orders_are_recorded_without_key_secret_or_signature(tmp_path: Path) -> None:
    path = tmp_path / "qfex.jsonl"
    async with QfexSimulator(api_key=QFEX_KEY, secret=QFEX_SECRET) as sim:
        client = QfexTradeClient(QfexCredentials(QFEX_KEY, QFEX_SECRET), sim.url, timeout=5, capture=path)
        async with client as qfex:
            order = qfex.add_order(
                "AAPL-USD", "BUY", "LIMIT", "GTC", Decimal("2.125"), Decimal("150.05"), client_order_id="cap-1"
            )
            ack = await asyncio.wait_for(order, 10)
            order_id = ack.order_response.order_id
            cancelled = await asyncio.wait_for(qfex.cancel_order("AAPL-USD", "order_id", order_id=order_id), 10)
        signatures = [expected_signature(QFEX_SECRET, auth.nonce, auth.unix_ts) for auth in sim.auths]
    assert len(signatures) == 1
    assert cancelled.order_response.status == "CANCELLED"
    capture = assert_no_secrets(path, QFEX_KEY, QFEX_SECRET, *signatures)
    records = only(capture, "qfex")
    assert len({r.conn for r in records}) == 1
    assert records[0].transport == "open" and "[redacted]" in records[0].meta["url"]
    assert records[-1].transport == "close"
    frames = [r for r in records if r.transport == "ws-text"]
    out = [json.loads(r.data) for r in frames if r.direction == "out"]
    assert [f["type"] for f in out[:3]] == ["auth", "add_order", "cancel_order"]
    hmac = out[0]["params"]["hmac"]
    assert hmac["public_key"] == hmac["signature"] == "[redacted]" and hmac["nonce"]
    assert out[1]["params"]["client_order_id"] == "cap-1"
    first_in = next(i for i, r in enumerate(frames) if r.direction == "in")
    assert frames[first_in - 1].direction == "out"  # the answer comes after the login went out
    assert any(order_id in r.data.decode() for r in frames if r.direction == "in")


async def test_bitmart_v3_and_legacy_streams_are_recorded_frame_by_frame(tmp_path: Path) -> None:
    path = tmp_path / "bitmart.jsonl"
    async with BitmartSimulator(port=0, secret=BM_SECRET, memo=BM_MEMO, push_interval=0.05) as sim:
        creds = BitmartCredentials(BM_KEY, BM_SECRET, BM_MEMO)
        async with BitmartClient(sim.legacy_url, sim.url, credentials=creds, timeout=3, capture=path) as client:
            for stream in (client.depth_stream("BTC_USDT", 5), client.legacy_depth_stream("BMX_ETH", 6)):
                async with stream, asyncio.timeout(10):
                    books = 0
                    async for item in stream:
                        books += isinstance(item, OrderBook)
                        if books == 2:
                            break
    capture = assert_no_secrets(path, BM_KEY, BM_SECRET, BM_MEMO)
    by_conn = capture.connections()
    assert len(by_conn) == 2
    v3, legacy = (by_conn[c] for c in sorted(by_conn))
    for records, url in ((v3, sim.url), (legacy, sim.legacy_url)):
        assert records[0].transport == "open" and records[0].meta["url"].startswith(url.split("?")[0])
        assert records[1].direction == "out" and records[-1].transport == "close"
        assert len([r for r in records if r.direction == "in"]) >= 2
    assert json.loads(v3[1].data) == {"op": "subscribe", "args": ["spot/depth5:BTC_USDT"]}
    assert json.loads(legacy[1].data)["subscribe"] == "order"
    pushes = [r for r in v3 if r.direction == "in"]
    assert any(r.transport == "ws-binary" for r in pushes)  # the v3 socket sends deflated frames
    for record in pushes:  # text as it came, or the deflated bytes as they came
        text = record.data if record.transport == "ws-text" else _inflated(record.data)
        assert text.startswith(b"{")
    assert {r.venue for r in capture.records} == {"bitmart"}
    assert kinds(v3)[0] == ("meta", "open")
