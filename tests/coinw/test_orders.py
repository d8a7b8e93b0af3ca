"""CoinW typed orders -> normalized `venuewire.models.Order`: exact ids, exact Decimals from
mixed string/number fields, UTC times, the documented field mapping."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from venuewire.coinw import order_from_coinw, orders_from_coinw
from venuewire.coinw.orders import decimal_of, time_of
from venuewire.coinw.rest import orders_result
from venuewire.errors import DecodeError
from venuewire.generated.coinw.order import Order as CoinwOrder
from venuewire.messages import decode_json
from venuewire.models import Order

FIXTURES = Path(__file__).parents[1] / "fixtures" / "coinw"
REQUIRED = {"createdDate": 1740905644000, "direction": "long", "instrument": "BTC", "orderStatus": "unFinish"}


def coinw_order(**fields: object) -> CoinwOrder:
    wire = {"id": 1, "posType": "plan", **REQUIRED, "quantity": 1} | fields
    wire = {k: v for k, v in wire.items() if v is not ...}
    return decode_json(CoinwOrder, json.dumps(wire))


def test_the_seed_order_field_by_field():
    (typed,) = orders_result(200, {}, (FIXTURES / "order_response" / "seed_example.json").read_bytes())
    order = order_from_coinw(typed)
    assert order == Order(
        venue="coinw",
        order_id="33308753605637070",
        symbol="BTC",
        side="buy",
        type="plan",
        status="unFinish",
        quantity=Decimal(100),
        client_order_id="103-12-53",
        price=Decimal(84000),
        remaining=Decimal(100),
        created_at=datetime(2025, 3, 2, 8, 54, 4, tzinfo=UTC),
        updated_at=datetime(2025, 3, 2, 8, 56, 17, tzinfo=UTC),
    )


def test_an_id_above_two_to_the_53_sent_as_a_number_stays_exact():
    raw = b'{"code":0,"data":[{"id":33308753605637071,"posType":"plan","createdDate":1,"direction":"long",'
    raw += b'"instrument":"BTC","orderStatus":"unFinish","quantity":1}]}'
    (order,) = orders_from_coinw(orders_result(200, {}, raw))
    assert order.order_id == "33308753605637071"
    assert int(float(33308753605637071)) != 33308753605637071  # what a float would have made of it


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ('"0.1"', "0.1"),
        ('"84000.50"', "84000.50"),  # a string keeps its own digits, trailing zero included
        ('"0.123456789012345678901234567890"', "0.123456789012345678901234567890"),  # beyond float
        ('"1E-8"', "1E-8"),
        ("100", "100"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("0.1", "0.1"),
        ("85880.1", "85880.1"),
        ("0.02380952", "0.02380952"),
        ("1e-7", "1E-7"),
    ],
)
def test_decimals_come_from_the_wire_text_or_the_floats_shortest_repr(wire, expected):
    order = coinw_order(quantity=json.loads(wire) if not wire.startswith('"') else wire.strip('"'))
    normalized = order_from_coinw(order)
    assert normalized.quantity == Decimal(expected)
    assert str(normalized.quantity) == expected


def test_a_string_is_never_routed_through_float():
    order = coinw_order(quantity="0.30000000000000000001")
    assert order_from_coinw(order).quantity == Decimal("0.30000000000000000001")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=8, min_value=-(10**12), max_value=10**12))
def test_any_decimal_string_is_kept_exactly(value: Decimal):
    assert order_from_coinw(coinw_order(orderPrice=str(value))).price == value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_json_number_decodes_to_the_decimal_of_its_own_text(value: float):
    text = json.dumps(value)  # Python writes the shortest text that reads back as the float
    order = decode_json(
        CoinwOrder,
        '{"id":1,"posType":"plan","createdDate":1,"direction":"long",'
        f'"instrument":"BTC","orderStatus":"part","quantity":{text}}}',
    )
    assert order.quantity == Decimal(text)
    assert decimal_of(order.quantity, "quantity") == Decimal(text)


@pytest.mark.parametrize(
    "text",
    [
        "0.12345678901234567890123",  # 23 significant digits: a float keeps 17
        "84000.000000000000000000001",
        "123456789012345678901.5",
        "-98765432109876543210987654321",
        "1.0000000000000000000000000001E+30",
    ],
)
def test_numbers_with_more_digits_than_a_float_holds_stay_exact(text):
    raw = (
        '{"code":0,"data":[{"id":33308753605637070123,"posType":"plan","createdDate":1,"direction":"long",'
        f'"instrument":"BTC","orderStatus":"unFinish","quantity":{text},"orderPrice":"{text}","margin":{text}}}]}}'
    )
    (typed,) = orders_result(200, {}, raw.encode())
    assert typed.quantity == typed.orderPrice == typed.margin == Decimal(text)
    assert float(text) != Decimal(text)  # a float would have lost digits
    (order,) = orders_from_coinw([typed])
    assert order.quantity == order.price == Decimal(text)
    assert order.order_id == "33308753605637070123"


@given(st.integers(min_value=0, max_value=2**80))
def test_any_integer_id_keeps_its_digits(value: int):
    assert order_from_coinw(coinw_order(id=value)).order_id == str(value)


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_non_finite_numbers_are_decode_errors_naming_the_field(bad):
    with pytest.raises(DecodeError) as caught:
        order_from_coinw(coinw_order(orderPrice=bad))
    assert caught.value.field_path == ("orderPrice",) and caught.value.message_name == "order"
    raw = json.dumps({"code": 0, "data": [json.loads(json.dumps({"id": 1, "posType": "plan", **REQUIRED}))]})
    raw = raw.replace('"posType"', f'"quantity": "{bad}", "posType"')
    with pytest.raises(DecodeError) as in_reply:
        orders_from_coinw(orders_result(200, {}, raw.encode()))
    assert in_reply.value.message_name == "order_response"
    assert in_reply.value.field_path == ("data", 0, "quantity")
    assert "$.data[0].quantity" in str(in_reply.value)


def test_an_order_without_quantity_cannot_be_normalized():
    with pytest.raises(DecodeError, match=r"order at \$\.quantity: missing"):
        order_from_coinw(coinw_order(quantity=...))


@pytest.mark.parametrize(("direction", "side"), [("long", "buy"), ("short", "sell"), ("both", "both")])
def test_direction_becomes_side_and_unknown_values_are_kept(direction, side):
    assert order_from_coinw(coinw_order(direction=direction)).side == side


def test_type_and_status_keep_the_venues_values_even_unknown_ones():
    order = order_from_coinw(coinw_order(posType="planTrigger", orderStatus="markerChange"))
    assert (order.type, order.status) == ("planTrigger", "markerChange")
    order = order_from_coinw(coinw_order(posType="someNewKind", orderStatus="brandNew"))
    assert (order.type, order.status) == ("someNewKind", "brandNew")


def test_remaining_is_the_quantity_only_while_nothing_is_filled():
    assert order_from_coinw(coinw_order(orderStatus="unFinish", quantity="3")).remaining == Decimal(3)
    assert order_from_coinw(coinw_order(orderStatus="part", quantity="3")).remaining is None


def test_optional_fields():
    order = order_from_coinw(coinw_order(thirdOrderId="", orderPrice=...))
    assert order.client_order_id is None and order.price is None and order.updated_at is None
    assert order_from_coinw(coinw_order(thirdOrderId="mine-1")).client_order_id == "mine-1"


def test_times_are_exact_utc_milliseconds():
    assert time_of(1740905777123) == datetime(2025, 3, 2, 8, 56, 17, 123000, tzinfo=UTC)
    assert time_of(0) == datetime(1970, 1, 1, tzinfo=UTC)


def test_every_fixture_order_normalizes():
    for path in sorted((FIXTURES / "order").glob("*.json")):
        typed = decode_json(CoinwOrder, path.read_bytes())
        if isinstance(typed.quantity, Decimal):
            order = order_from_coinw(typed)
            assert order.order_id == str(typed.id) and isinstance(order.quantity, Decimal)
