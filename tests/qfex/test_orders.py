"""QFEX orders -> venuewire.models.Order, field by field, from the shared fixtures. Pure."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import UnsetType

from venuewire.errors import DecodeError
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse, AllOrdersResponseMessage
from venuewire.generated.qfex.order import Order as QfexOrder
from venuewire.messages import decode_json
from venuewire.models import Order
from venuewire.qfex.orders import order_from_qfex, orders_from_response, time_of

FIXTURES = Path(__file__).parents[1] / "fixtures" / "qfex"


def load(*parts: str) -> Any:
    return json.loads(FIXTURES.joinpath(*parts).read_text())


def response(data: Any) -> AllOrdersResponse:
    return decode_json(AllOrdersResponseMessage, json.dumps(data)).all_orders_response


def one(data: Any) -> QfexOrder:
    return decode_json(QfexOrder, json.dumps(data))


def test_partial_fill_and_stop_orders_field_by_field():
    orders = orders_from_response(response(load("all_orders_response", "partial_fill_and_stop_orders.json")))
    assert orders == [
        Order(
            venue="qfex",
            order_id="2f05173c-992a-426b-bcaf-6b341644bb62",
            symbol="GOOG-USD",
            side="sell",
            type="LIMIT",
            status="ACK",
            quantity=Decimal("2.708"),
            client_order_id="7a257796-a9c1-49bd-a80b-bcccdc81c103",
            price=Decimal("251.25"),
            remaining=Decimal("2.708"),
            created_at=None,
            updated_at=datetime(2025, 9, 18, 15, 19, 30, 551285, tzinfo=UTC),
        ),
        Order(
            venue="qfex",
            order_id="9c1d7e52-3b4a-4f0e-9d61-0a8b7c6d5e4f",
            symbol="AAPL-USD",
            side="buy",
            type="LIMIT",
            status="FILLED",
            quantity=Decimal("5.0"),
            client_order_id="my-order-002",
            price=Decimal("187.5"),
            remaining=Decimal("1.25"),
            created_at=None,
            updated_at=datetime(2025, 9, 18, 15, 20, 1, 103400, tzinfo=UTC),
        ),
        Order(
            venue="qfex",
            order_id="1f6e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
            symbol="GOOG-USD",
            side="buy",
            type="STOP_LOSS",
            status="ACK",
            quantity=Decimal("1.0"),
            client_order_id="sl-1",
            price=Decimal("0.0"),
            remaining=Decimal("1.0"),
            created_at=None,
            updated_at=datetime(2025, 9, 18, 15, 19, 50, 250000, tzinfo=UTC),
        ),
    ]


def test_numbers_are_exact_decimals_of_the_json_text():
    data = load("order", "seed_first_order.json") | {"quantity": 0.1, "price": 0.30000000000000004}
    data["quantity_remaining"] = 1e-7
    order = order_from_qfex(one(data))
    assert order.quantity == Decimal("0.1") and str(order.quantity) == "0.1"
    assert order.price == Decimal("0.30000000000000004")
    assert order.remaining == Decimal("1E-7")
    assert all(isinstance(v, Decimal) for v in (order.quantity, order.price, order.remaining))


def test_unknown_enum_values_are_kept_as_sent():
    order = order_from_qfex(one(load("order", "unknown_enum_values.json")))
    assert (order.status, order.type) == ("PENDING_NEW", "TRAILING_STOP")
    odd = order_from_qfex(one(load("order", "seed_first_order.json") | {"side": "SHORT"}))
    assert odd.side == "SHORT"


def test_optional_fields_absent_or_empty():
    order = order_from_qfex(one(load("order", "required_fields_only.json")))
    assert order.client_order_id is None
    empty = order_from_qfex(one(load("order", "seed_first_order.json") | {"client_order_id": ""}))
    assert empty.client_order_id is None


def test_empty_answer_and_missing_stop_orders():
    assert orders_from_response(response(load("all_orders_response", "empty.json"))) == []
    only_orders = response({"all_orders_response": {"orders": [load("order", "seed_first_order.json")]}})
    assert [o.order_id for o in orders_from_response(only_orders)] == ["2f05173c-992a-426b-bcaf-6b341644bb62"]


@pytest.mark.parametrize("bad", [1758208770551.2846, -1e12, 1e20])
def test_an_unrepresentable_update_time_names_its_path(bad: float):
    data = load("all_orders_response", "partial_fill_and_stop_orders.json")
    data["all_orders_response"]["stop_orders"][0]["update_time"] = bad
    with pytest.raises(DecodeError) as caught:
        orders_from_response(response(data))
    error = caught.value
    assert error.venue == "qfex" and error.message_name == "all_orders_response"
    assert error.field_path == ("all_orders_response", "stop_orders", 0, "update_time")
    assert "$.all_orders_response.stop_orders[0].update_time" in str(error)
    with pytest.raises(DecodeError) as single:
        order_from_qfex(one(load("order", "seed_first_order.json") | {"update_time": bad}))
    assert single.value.message_name == "order" and single.value.field_path == ("update_time",)


def test_time_of_rounds_to_the_microsecond_in_utc():
    assert time_of(0.0000004) == datetime(1970, 1, 1, tzinfo=UTC)
    assert time_of(1.0000006) == datetime(1970, 1, 1, 0, 0, 1, 1, tzinfo=UTC)
    assert time_of(1758208770.5512846).tzinfo is UTC


def test_stop_orders_in_the_documented_shape_decode_and_normalize():
    """cancel_stop_order's order_response shape: no update_time, trade_id, take_profit, stop_loss."""
    resp = response(load("all_orders_response", "stop_orders_documented_shape.json"))
    take_profit, _ = resp.stop_orders
    assert isinstance(take_profit.update_time, UnsetType) and isinstance(take_profit.trade_id, UnsetType)
    assert isinstance(take_profit.take_profit, UnsetType) and isinstance(take_profit.stop_loss, UnsetType)
    orders = orders_from_response(resp)
    assert [(o.type, o.client_order_id, o.updated_at, o.price) for o in orders] == [
        ("TAKE_PROFIT", "tp-1", None, Decimal("205.5")),
        ("STOP_MARKET", None, None, Decimal("180.0")),
    ]
    cancelled = order_from_qfex(one(load("order", "stop_order_documented_shape.json")))
    assert (cancelled.status, cancelled.remaining, cancelled.updated_at) == ("CANCELLED", Decimal("0.0"), None)


def test_an_order_response_push_without_update_time_normalizes_with_updated_at_none():
    order = order_from_qfex(one(load("order", "order_response_push_without_update_time.json")))
    assert order.updated_at is None and order.created_at is None and order.quantity == Decimal("2.0")


def test_twaps_are_a_known_typed_field_of_the_orders_answer():
    resp = response(load("all_orders_response", "with_twaps.json"))
    assert not isinstance(resp.twaps, UnsetType)
    (twap,) = resp.twaps
    assert (twap.twap_id, twap.client_twap_id, twap.status) == (
        "4e9d2c7b-1a3f-4b6e-8d05-c7f2a9e1b3d4",
        "slice-goog-7",
        "RUNNING",
    )
    assert (twap.total_quantity, twap.filled_quantity) == (Decimal("8"), Decimal("2.5"))
    assert orders_from_response(resp) == []  # a TWAP is no order of its own


@pytest.mark.parametrize(
    ("value", "ok"), [('"e4a2c9d0-7f31-4b8e-a6d5-2c9f0e1b3a77"', True), ("null", True), ("881234", False)]
)
def test_trade_id_is_a_uuid_string_or_null(value: str, ok: bool):
    text = json.dumps(load("order", "seed_first_order.json")).replace('"trade_id": null', f'"trade_id": {value}')
    if ok:
        assert decode_json(QfexOrder, text).trade_id == json.loads(value)
    else:
        with pytest.raises(DecodeError) as caught:
            decode_json(QfexOrder, text)
        assert caught.value.field_path == ("trade_id",)


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "sNaN"])
@pytest.mark.parametrize("field", ["quantity", "price", "quantity_remaining"])
def test_nan_and_infinite_prices_and_sizes_are_decode_errors(field: str, bad: str):
    order = msgspec.structs.replace(one(load("order", "seed_first_order.json")), **{field: Decimal(bad)})
    with pytest.raises(DecodeError) as caught:
        order_from_qfex(order, message="all_orders_response", path=("all_orders_response", "orders", 0))
    assert caught.value.field_path == ("all_orders_response", "orders", 0, field)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1e300, -1e300])
def test_a_non_finite_or_huge_update_time_is_a_decode_error(bad: float):
    order = msgspec.structs.replace(one(load("order", "seed_first_order.json")), update_time=bad)
    with pytest.raises(DecodeError) as caught:
        order_from_qfex(order)
    assert caught.value.field_path == ("update_time",)
