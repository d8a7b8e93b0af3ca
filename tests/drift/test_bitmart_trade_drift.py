"""BitMart trading (signed REST and the private socket's order and balance channels), recorded
by BitmartTradeClient's own capture, reports zero drift: every message is known, matches its
schema, and the report names each one the session exchanged."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.drift.bitmart_trade_session import record
from venuewire.capture import read_capture
from venuewire.drift import check_capture

pytestmark = pytest.mark.timeout(60)

EXPECTED = {
    f"bitmart/{name}"
    for name in (
        "rest_books_query",
        "rest_books_response",
        "rest_submit_order_body",
        "rest_submit_order_response",
        "rest_open_orders_body",
        "rest_open_orders_response",
        "rest_query_order_body",
        "rest_order_response",
        "rest_cancel_order_body",
        "rest_cancel_order_response",
        "rest_wallet_query",
        "rest_wallet_response",
        "login",
        "login_response",
        "user_subscribe",
        "subscribe_ack",
        "user_order",
        "user_balance",
    )
}


async def test_a_recorded_bitmart_trading_session_reports_no_drift(tmp_path: Path) -> None:
    path = tmp_path / "bitmart-trade.jsonl"
    await asyncio.wait_for(record(path), 45)
    doc = check_capture(read_capture(path)).to_json()
    drifting = {m["message"]: m for m in doc["messages"] if m["drift"]}
    assert doc["unknown_messages"] == [], doc["unknown_messages"]
    assert drifting == {}, drifting
    assert doc["drift"] is False
    seen = {m["message"]: m["count"] for m in doc["messages"]}
    assert set(seen) >= EXPECTED, sorted(EXPECTED - set(seen))
    assert all(count >= 1 for count in seen.values())
    assert seen["bitmart/login"] == seen["bitmart/user_subscribe"] == 2  # one private socket per stream
    assert seen["bitmart/rest_submit_order_body"] == seen["bitmart/rest_cancel_order_body"] == 2
