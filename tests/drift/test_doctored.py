"""Doctored captures: each change (an unknown field, a missing required field, a new enum
value, a type change, an unknown message type) is reported exactly, on every venue."""

from __future__ import annotations

from typing import Any

import pytest

from tests.drift.doctored import (
    bitmart_push,
    coinw_orders,
    doctor,
    fixture,
    http_exchange,
    infoway_markets,
    infoway_markets_example,
    infoway_ws,
    notify_program_status,
    order_book_push,
    qfex_ws,
    write_capture,
)
from venuewire.capture.format import read_capture
from venuewire.drift import check_capture
from venuewire.opend.frame import encode_frame

PROGRAM_STATUS_TYPES = [str(n) for n in range(13)]
QFEX_STATUSES = [
    "ACK",
    "FILLED",
    "MODIFIED",
    "CANCELLED",
    "CANCELLED_STP",
    "REJECTED",
    "NO_SUCH_ORDER",
    "INVALID_ORDER_TYPE",
    "BAD_SYMBOL",
    "PRICE_LESS_THAN_MIN_PRICE",
    "PRICE_GREATER_THAN_MAX_PRICE",
    "CANNOT_MODIFY_PARTIAL_FILL",
    "FAILED_MARGIN_CHECK",
    "INVALID_TICK_SIZE_PRECISION_PRICE",
    "INVALID_TICK_SIZE_PRECISION_QUANTITY",
    "QUANTITY_LESS_THAN_MIN_QUANTITY",
    "QUANTITY_GREATER_THAN_MAX_QUANTITY",
    "RATE_LIMITED",
]
COINW_STATUSES = ["unFinish", "part", "Finish", "Cancel", "finish", "cancel", "cancelAll", "markerChange"]


def entry(message: str, count: int = 1, **found: list[dict[str, Any]]) -> dict[str, Any]:
    lists = ("decode_failures", "unknown_fields", "missing_required", "new_enum_values", "type_changes")
    assert set(found) <= set(lists)
    return {
        "message": message,
        "venue": message.split("/", maxsplit=1)[0],
        "count": count,
        "drift": any(found.values()),
        **{name: found.get(name, []) for name in lists},
    }


def report(tmp_path, messages) -> dict[str, Any]:
    return check_capture(read_capture(write_capture(tmp_path / "doctored.vwcap", messages))).to_json()


def only(doc: dict[str, Any], message: str) -> dict[str, Any]:
    found = [m for m in doc["messages"] if m["message"] == message]
    assert len(found) == 1, doc["messages"]
    return found[0]


SPOT = fixture("bitmart", "spot_depth", "depth5_btc_usdt")
INFOWAY_PUSH = fixture("infoway", "ws_depth", "push")
COINW_ORDERS = fixture("coinw", "order_response", "seed_example")
QFEX_ORDERS = fixture("qfex", "all_orders_response", "seed_example")


def _qfex_order(change):
    return doctor(QFEX_ORDERS, lambda f: change(f["all_orders_response"]["orders"][0]))


CASES = {
    # OpenD: protobuf bodies in 44-byte frames.
    "futu-unknown-field": (
        [order_book_push(extra_s2c=b"\x98\x06\x05")],  # field 99, varint 5, inside s2c
        entry("futu/Qot_UpdateOrderBook.Response", unknown_fields=[{"path": "s2c.#99", "count": 1}]),
    ),
    "futu-missing-required": (
        [order_book_push(security=b"\x08\x01")],  # Security with its market but no code
        entry(
            "futu/Qot_UpdateOrderBook.Response",
            decode_failures=[
                {"path": "s2c.security.code", "detail": "missing required field(s): s2c.security.code", "count": 1}
            ],
            missing_required=[{"path": "s2c.security.code", "count": 1}],
        ),
    ),
    "futu-new-enum-value": (
        [notify_program_status(99), notify_program_status(10)],
        entry(
            "futu/Notify.Response",
            count=2,
            decode_failures=[
                {
                    "path": "s2c.programStatus.programStatus.type",
                    "detail": "missing required field(s): s2c.programStatus.programStatus.type",
                    "count": 1,
                }
            ],
            new_enum_values=[
                {
                    "path": "s2c.programStatus.programStatus.type",
                    "value": 99,
                    "known": PROGRAM_STATUS_TYPES,
                    "count": 1,
                }
            ],
        ),
    ),
    "futu-type-change": (
        [order_book_push(security=b"\x08\x01\x10\x05")],  # code (a string) sent as a varint
        entry(
            "futu/Qot_UpdateOrderBook.Response",
            decode_failures=[
                {"path": "s2c.security.code", "detail": "missing required field(s): s2c.security.code", "count": 1}
            ],
            type_changes=[{"path": "s2c.security.code", "declared": ["string"], "seen": "varint", "count": 1}],
        ),
    ),
    # BitMart v3: raw-DEFLATE binary pushes, no dispatch table (matched by the channel's messages).
    "bitmart-unknown-field": (
        [bitmart_push(doctor(SPOT, lambda f: f["data"][0].update(checksum=5)))],
        entry("bitmart/spot_depth", unknown_fields=[{"path": "data[].checksum", "count": 1}]),
    ),
    "bitmart-missing-required": (
        [bitmart_push(doctor(SPOT, lambda f: f["data"][0].pop("ms_t")))],
        entry(
            "bitmart/spot_depth",
            decode_failures=[{"path": "data[].ms_t", "detail": "Object missing required field `ms_t`", "count": 1}],
            missing_required=[{"path": "data[].ms_t", "count": 1}],
        ),
    ),
    "bitmart-type-change": (
        [bitmart_push(doctor(SPOT, lambda f: f["data"][0].update(ms_t="1631044962431")))],
        entry(
            "bitmart/spot_depth",
            decode_failures=[{"path": "data[].ms_t", "detail": "Expected `int`, got `str`", "count": 1}],
            type_changes=[{"path": "data[].ms_t", "declared": ["integer"], "seen": "string", "count": 1}],
        ),
    ),
    # CoinW: signed REST, request and reply paired.
    "coinw-unknown-field": (
        coinw_orders(doctor(COINW_ORDERS, lambda f: f["data"][0].update(marginMode="cross"))),
        entry("coinw/order_response", unknown_fields=[{"path": "data[].marginMode", "count": 1}]),
    ),
    "coinw-missing-required": (
        coinw_orders(doctor(COINW_ORDERS, lambda f: f["data"][0].pop("instrument"))),
        entry(
            "coinw/order_response",
            decode_failures=[
                {"path": "data[].instrument", "detail": "Object missing required field `instrument`", "count": 1}
            ],
            missing_required=[{"path": "data[].instrument", "count": 1}],
        ),
    ),
    "coinw-new-enum-value": (
        coinw_orders(doctor(COINW_ORDERS, lambda f: f["data"][0].update(orderStatus="expired"))),
        entry(
            "coinw/order_response",
            new_enum_values=[{"path": "data[].orderStatus", "value": "expired", "known": COINW_STATUSES, "count": 1}],
        ),
    ),
    "coinw-type-change": (
        coinw_orders(doctor(COINW_ORDERS, lambda f: f["data"][0].update(userId="1162061"))),
        entry(
            "coinw/order_response",
            decode_failures=[{"path": "data[].userId", "detail": "Expected `int`, got `str`", "count": 1}],
            type_changes=[{"path": "data[].userId", "declared": ["integer"], "seen": "string", "count": 1}],
        ),
    ),
    # Infoway: WebSocket frames routed by the generated dispatch table; REST replies.
    "infoway-unknown-field": (
        [infoway_ws(doctor(INFOWAY_PUSH, lambda f: f["data"].update(seq=5)))],
        entry("infoway/ws_depth", unknown_fields=[{"path": "data.seq", "count": 1}]),
    ),
    "infoway-missing-required": (
        [infoway_ws(doctor(INFOWAY_PUSH, lambda f: f["data"].pop("t")))],
        entry(
            "infoway/ws_depth",
            decode_failures=[{"path": "data.t", "detail": "Object missing required field `t`", "count": 1}],
            missing_required=[{"path": "data.t", "count": 1}],
        ),
    ),
    "infoway-new-enum-value": (
        infoway_markets(
            doctor(infoway_markets_example(), lambda f: f["data"][0]["trade_schedules"][0].update(type="Lunch"))
        ),
        entry(
            "infoway/markets_response",
            new_enum_values=[
                {
                    "path": "data[].trade_schedules[].type",
                    "value": "Lunch",
                    "known": ["PreTrade", "NormalTrade", "PostTrade"],
                    "count": 1,
                }
            ],
        ),
    ),
    "infoway-type-change": (
        [infoway_ws(doctor(INFOWAY_PUSH, lambda f: f["data"].update(t="1747382977123")))],
        entry(
            "infoway/ws_depth",
            decode_failures=[{"path": "data.t", "detail": "Expected `int`, got `str`", "count": 1}],
            type_changes=[{"path": "data.t", "declared": ["integer"], "seen": "string", "count": 1}],
        ),
    ),
    # QFEX: trade socket answers told apart by their one top-level key.
    "qfex-unknown-field": (
        [qfex_ws(_qfex_order(lambda o: o.update(reduce_only=False)))],
        entry(
            "qfex/all_orders_response",
            unknown_fields=[{"path": "all_orders_response.orders[].reduce_only", "count": 1}],
        ),
    ),
    "qfex-missing-required": (
        [qfex_ws(_qfex_order(lambda o: o.pop("symbol")))],
        entry(
            "qfex/all_orders_response",
            decode_failures=[
                {
                    "path": "all_orders_response.orders[].symbol",
                    "detail": "Object missing required field `symbol`",
                    "count": 1,
                }
            ],
            missing_required=[{"path": "all_orders_response.orders[].symbol", "count": 1}],
        ),
    ),
    "qfex-new-enum-value": (
        [qfex_ws(_qfex_order(lambda o: o.update(status="EXPIRED")))],
        entry(
            "qfex/all_orders_response",
            new_enum_values=[
                {"path": "all_orders_response.orders[].status", "value": "EXPIRED", "known": QFEX_STATUSES, "count": 1}
            ],
        ),
    ),
    "qfex-type-change": (  # a decimal string where a number was declared: the strict decode takes it
        [qfex_ws(_qfex_order(lambda o: o.update(price="251.25")))],
        entry(
            "qfex/all_orders_response",
            type_changes=[
                {"path": "all_orders_response.orders[].price", "declared": ["number"], "seen": "string", "count": 1}
            ],
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_doctored_message_is_reported_exactly(tmp_path, case):
    messages, expected = CASES[case]
    doc = report(tmp_path, messages)
    assert only(doc, expected["message"]) == expected
    assert doc["drift"] is True
    assert doc["unknown_messages"] == []


UNKNOWN = {
    "futu": ([("futu", "in", "opend", encode_frame(9999, 1, b""), {})], ["futu Response protoID 9999"]),
    "bitmart": ([bitmart_push({"weird": 1})], ["bitmart ws in frame with keys {weird}"]),
    "coinw": (
        http_exchange("coinw", "GET", "/v1/perpum/newthing", {"code": 0}),
        ["coinw http GET /v1/perpum/newthing", "coinw http GET /v1/perpum/newthing response"],
    ),
    "infoway": ([infoway_ws({"code": 10099, "data": {}})], ["infoway ws in code=10099"]),
    "qfex": (
        [qfex_ws({"liquidation_notice": {"symbol": "AAPL-USD"}})],
        ["qfex ws in frame with keys {liquidation_notice}"],
    ),
}


@pytest.mark.parametrize("venue", sorted(UNKNOWN))
def test_unknown_message_type_is_reported_with_what_marks_it(tmp_path, venue):
    messages, labels = UNKNOWN[venue]
    doc = report(tmp_path, messages)
    assert doc["unknown_messages"] == [{"message": label, "venue": venue, "count": 1} for label in labels]
    assert doc["messages"] == []
    assert doc["drift"] is True


def test_new_bitmart_enum_value_in_a_client_frame_is_reported(tmp_path):
    import json

    from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH

    frame = json.dumps({"op": "resubscribe", "args": ["spot/depth5:BTC_USDT"]}).encode()
    doc = report(tmp_path, [("bitmart", "out", "ws-text", frame, {"url": WS_BITMART_SPOT_DEPTH.url})])
    assert only(doc, "bitmart/spot_subscribe") == entry(
        "bitmart/spot_subscribe",
        decode_failures=[{"path": "op", "detail": "Invalid enum value 'resubscribe'", "count": 1}],
        new_enum_values=[{"path": "op", "value": "resubscribe", "known": ["subscribe", "unsubscribe"], "count": 1}],
    )


def test_counts_add_up_per_message_type_and_path(tmp_path):
    pushes = [bitmart_push(doctor(SPOT, lambda f, n=n: f["data"][0].update(checksum=n))) for n in range(3)]
    doc = report(tmp_path, [*pushes, bitmart_push(SPOT)])
    assert only(doc, "bitmart/spot_depth") == entry(
        "bitmart/spot_depth", count=4, unknown_fields=[{"path": "data[].checksum", "count": 3}]
    )


def test_valid_messages_of_every_venue_report_no_drift(tmp_path):
    messages = [
        order_book_push(),
        notify_program_status(10),
        bitmart_push(SPOT),
        *coinw_orders(COINW_ORDERS),
        infoway_ws(INFOWAY_PUSH),
        *infoway_markets(infoway_markets_example()),
        qfex_ws(QFEX_ORDERS),
    ]
    doc = report(tmp_path, messages)
    assert doc["drift"] is False, doc
    assert sorted(m["message"] for m in doc["messages"]) == [
        "bitmart/spot_depth",
        "coinw/get_order_query",
        "coinw/order_response",
        "futu/Notify.Response",
        "futu/Qot_UpdateOrderBook.Response",
        "infoway/markets_response",
        "infoway/ws_depth",
        "qfex/all_orders_response",
    ]
