"""Captures recorded from our own clients talking to our simulators report zero drift."""

from __future__ import annotations

import asyncio

import pytest

from tests.drift.sessions import RECORDERS, record
from venuewire.capture.format import read_capture
from venuewire.drift import check_capture

# What each recorded session carries at least (the message types the report must name).
EXPECTED = {
    "futu": {
        "futu/InitConnect.Request",
        "futu/InitConnect.Response",
        "futu/Qot_Sub.Request",
        "futu/Qot_Sub.Response",
        "futu/Qot_GetOrderBook.Request",
        "futu/Qot_GetOrderBook.Response",
        "futu/Qot_UpdateOrderBook.Response",
    },
    "bitmart": {
        "bitmart/spot_subscribe",
        "bitmart/subscribe_ack",
        "bitmart/spot_depth",
        "bitmart/legacy_subscribe",
        "bitmart/legacy_depth",
    },
    "infoway": {
        "infoway/batch_depth_response",
        "infoway/ws_welcome",
        "infoway/ws_subscribe",
        "infoway/ws_ack",
        "infoway/ws_depth",
    },
    "coinw": {"coinw/get_order_query", "coinw/order_response"},
    "qfex": {"qfex/auth", "qfex/auth_response", "qfex/get_order", "qfex/all_orders_response"},
}


@pytest.mark.parametrize("venue", sorted(RECORDERS))
def test_session_recorded_from_our_simulator_reports_zero_drift(tmp_path, venue):
    path = tmp_path / f"{venue}.vwcap"
    asyncio.run(record(venue, path))
    doc = check_capture(read_capture(path)).to_json()
    assert doc["unknown_messages"] == []
    assert [m for m in doc["messages"] if m["drift"]] == []
    assert doc["drift"] is False
    assert EXPECTED[venue] <= {m["message"] for m in doc["messages"]}
    assert all(m["count"] >= 1 for m in doc["messages"])
