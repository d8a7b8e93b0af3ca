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
from venuewire.coinw.rest import orders_result
from venuewire.errors import DecodeError
from venuewire.generated.coinw.order import Order as CoinwOrder
from venuewire.generated.coinw.order import OrderStatus, PosType
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
    assert order_from_coinw(order).quantity == Decimal(text)


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
    order = order_from_coinw(coinw_order(createdDate=1740905777123, updatedDate=0))
    assert order.created_at == datetime(2025, 3, 2, 8, 56, 17, 123000, tzinfo=UTC)
    assert order.updated_at == datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("field", ["createdDate", "updatedDate"])
@pytest.mark.parametrize("ms", [10**17, -(10**17), 10**30, -(10**30), 253402300800000])
def test_a_time_outside_what_a_date_holds_is_a_decode_error_naming_the_field(field, ms):
    with pytest.raises(DecodeError) as caught:
        order_from_coinw(coinw_order(**{field: ms}))
    assert caught.value.field_path == (field,) and caught.value.venue == "coinw"
    assert "out of range for a date" in caught.value.detail
    raw = json.dumps({"code": 0, "data": [{"id": 1, "posType": "plan", **REQUIRED, "quantity": 1, field: ms}]})
    with pytest.raises(DecodeError) as in_reply:
        orders_from_coinw(orders_result(200, {}, raw.encode()))
    assert in_reply.value.message_name == "order_response" and in_reply.value.field_path == ("data", 0, field)


def test_the_last_millisecond_of_year_9999_is_still_a_date():
    order = order_from_coinw(coinw_order(createdDate=253402300799999))
    assert order.created_at == datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)


# --- null and extra fields (protocols.md section 6; CoinW.Net CoinWFuturesOrder) -----------------

NULLABLE = [
    "orderPrice",
    "thirdOrderId",
    "margin",
    "avgPrice",
    "tradePiece",
    "processStatus",
    "stopLossPrice",
    "stopLossRate",
    "stopLossOrderPrice",
    "stopLossType",
    "stopProfitPrice",
    "stopProfitRate",
    "stopProfitOrderPrice",
    "stopProfitType",
    "triggerPrice",
    "triggerType",
]


def test_a_market_order_with_every_nullable_field_null_decodes_and_normalizes_to_none():
    order = coinw_order(posType="execute", **dict.fromkeys(NULLABLE))
    for name in NULLABLE:
        assert getattr(order, name) is None, name
    normalized = order_from_coinw(order)
    assert normalized.price is None and normalized.client_order_id is None
    assert normalized.quantity == Decimal(1)


@pytest.mark.parametrize("name", NULLABLE)
def test_each_nullable_field_may_be_null_on_its_own(name):
    assert getattr(coinw_order(**{name: None}), name) is None


def test_the_documented_extra_fields_are_typed_exactly():
    order = coinw_order(
        tradePiece="1",
        avgPrice="86070.000000000000000001",
        processStatus=2,
        primaryId=2874310689,
        stopLossType="plan",
        stopProfitType=2,
    )
    assert order.tradePiece == Decimal(1) and order.avgPrice == Decimal("86070.000000000000000001")
    assert order.processStatus == 2 and order.primaryId == 2874310689
    assert (order.stopLossType, order.stopProfitType) == ("plan", 2)
    assert coinw_order(primaryId="2874310689").primaryId == "2874310689"
    assert coinw_order(avgPrice=95400.5).avgPrice == Decimal("95400.5")


@pytest.mark.parametrize("code", [0, 1, 2, 3, 9])
def test_process_status_is_an_open_set_of_codes(code):
    assert coinw_order(processStatus=code).processStatus == code


@pytest.mark.parametrize("code", [0, 1, 7])
def test_trigger_type_codes_decode_and_an_unknown_one_is_no_error(code):
    assert coinw_order(triggerType=code).triggerType == code


@pytest.mark.parametrize("status", ["finish", "cancel", "Finish", "Cancel", "cancelAll", "markerChange"])
def test_lower_case_statuses_are_known_values(status):
    order = coinw_order(orderStatus=status)
    assert order.orderStatus.name != "UNKNOWN" and order.orderStatus == status
    assert order_from_coinw(order).status == status


def test_move_stop_profit_loss_is_a_known_order_kind():
    assert coinw_order(posType="moveStopProfitLoss").posType is PosType.moveStopProfitLoss
    assert OrderStatus("cancel") is OrderStatus.cancel


DECIMAL_FIELDS = [
    "baseSize", "fee", "currentPiece", "frozenFee", "indexPrice", "leverage", "makerFee", "takerFee", "margin",
    "orderPrice", "totalPiece", "positionMargin", "quantity", "tradePiece", "avgPrice", "stopLossPrice",
    "stopLossRate", "stopProfitPrice", "stopProfitRate", "stopLossOrderPrice", "stopProfitOrderPrice", "triggerPrice",
]  # fmt: skip


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "sNaN", "-sNaN"])
@pytest.mark.parametrize("field", DECIMAL_FIELDS)
def test_a_non_finite_number_in_any_price_or_size_of_a_reply_is_a_decode_error(field, bad):
    raw = json.dumps({"code": 0, "data": [{"id": 1, "posType": "plan", **REQUIRED, "quantity": 1, field: bad}]})
    with pytest.raises(DecodeError) as caught:
        orders_result(200, {}, raw.encode())
    assert caught.value.venue == "coinw" and caught.value.message_name == "order_response"
    assert caught.value.field_path == ("data", 0, field)
    assert "not a finite number" in caught.value.detail


@pytest.mark.parametrize("spelled", [r"N\u0061N", r"\u0049nfinity", r"s\u004eaN", r"-\u0069nf"])
def test_a_nan_spelled_with_json_escapes_is_caught_too(spelled):
    raw = '{"code":0,"data":[{"id":1,"posType":"plan","createdDate":1,"direction":"long","instrument":"BTC",'
    raw += f'"orderStatus":"unFinish","quantity":1,"stopLossPrice":"{spelled}"}}]}}'
    with pytest.raises(DecodeError) as caught:
        orders_result(200, {}, raw.encode())
    assert caught.value.field_path == ("data", 0, "stopLossPrice")
