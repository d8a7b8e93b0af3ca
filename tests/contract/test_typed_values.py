"""What users rely on in the typed values: Decimal prices, exact big ids, visible unknown
enum values, and typed errors that name venue, message and field."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import venuewire
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.coinw.order_response import OrderResponse
from venuewire.generated.infoway.depth import Depth
from venuewire.generated.qfex.order import Order as QfexOrder
from venuewire.generated.qfex.order import OrderStatus, Side
from venuewire.infoway.book import order_book_from_depth


def test_decimal_strings_decode_to_their_exact_text_and_encode_back_as_sent():
    raw = b'{"s":"X","t":1,"a":[["0.000111","34.650"],["30657.00","1"]],"b":[[],[]]}'
    depth = venuewire.decode_json(Depth, raw)
    assert depth.a[0] == ["0.000111", "34.650"]  # DecimalText: the text, trailing zeros kept
    assert depth.a[1][0] == "30657.00" and Decimal(depth.a[1][0]) == Decimal("30657")
    assert venuewire.encode_json(depth) == raw


def test_a_json_number_where_a_decimal_string_belongs_is_refused_not_read_through_float():
    # Infoway's schema types prices as strings; the text-typed class refuses a bare number,
    # naming the field, rather than guessing its text through a float.
    with pytest.raises(venuewire.DecodeError) as caught:
        venuewire.decode_json(Depth, b'{"s":"X","t":1,"a":[[0.1000000000000000055511151231257827],["1"]],"b":[[],[]]}')
    assert caught.value.field_path == ("a", 0, 0) and "Expected `str`" in caught.value.detail


def test_coinw_ids_above_2_pow_53_stay_exact_and_strings_stay_strings():
    raw = (
        b'{"code":0,"msg":"","data":['
        b'{"id":33308753605637070,"instrument":"BTC","direction":"long","orderStatus":"unFinish",'
        b'"posType":"plan","createdDate":1740905644000,"fee":"0","margin":84,"indexPrice":85880.1},'
        b'{"id":"9007199254740993","instrument":"ETH","direction":"short","orderStatus":"part",'
        b'"posType":"execute","createdDate":1740905644001,"fee":0.0006}]}'
    )
    reply = venuewire.decode_json(OrderResponse, raw)
    assert reply.data is not None
    first, second = reply.data
    assert first.id == 33308753605637070
    assert isinstance(first.id, int)
    assert second.id == "9007199254740993"
    assert first.fee == Decimal("0")
    assert first.margin == Decimal(84) and type(first.margin) is Decimal
    assert second.fee == Decimal("0.0006") and type(second.fee) is Decimal
    assert first.indexPrice == Decimal("85880.1")
    # ids keep their wire form; mixed decimals go back out as decimal strings of the same value
    again = json.loads(venuewire.encode_json(reply), parse_float=Decimal)
    assert again["data"][0]["id"] == 33308753605637070 and again["data"][1]["id"] == "9007199254740993"
    assert again["data"][0]["margin"] == "84" and again["data"][1]["fee"] == "0.0006"


# More significant digits than a float's 17: each must come back digit for digit.
LONG_NUMBERS = [
    "0.12345678901234567890123",
    "12345678901234567890.123456789",
    "-98765432109876543210987654321",
    "84000.000000000000000000001",
    "1.00000000000000000000000000000000000001E-20",
]


@pytest.mark.parametrize("text", LONG_NUMBERS)
def test_coinw_mixed_fields_decode_20_plus_digit_numbers_and_strings_exactly(text):
    order = (
        '{"id":123456789012345678901234567890,"instrument":"BTC","direction":"long","orderStatus":"part",'
        f'"posType":"plan","createdDate":1740905644000,"margin":{text},"fee":"{text}","stopLossPrice":{text}}}'
    )
    reply = venuewire.decode_json(OrderResponse, f'{{"code":0,"msg":"","data":[{order}]}}')
    assert reply.data is not None
    (typed,) = reply.data
    assert typed.id == 123456789012345678901234567890 and type(typed.id) is int
    for value in (typed.margin, typed.fee, typed.stopLossPrice):
        assert type(value) is Decimal and value == Decimal(text)
        assert value.as_tuple() == Decimal(text).as_tuple()  # every digit and the exponent
    assert Decimal(float(text)) != Decimal(text)  # through float, digits would be gone


@pytest.mark.parametrize("text", LONG_NUMBERS)
def test_infoway_and_bitmart_long_decimals_stay_exact(text):
    # Infoway's and BitMart's depth classes keep decimal strings as text (DecimalText): the exact
    # wire text, no Decimal built by the decode; a JSON number where the schema says string is refused
    depth = venuewire.decode_json(Depth, f'{{"s":"X","t":1,"a":[["{text}"],["{text}"]],"b":[[],[]]}}')
    assert depth.a[0][0] == depth.a[1][0] == text
    assert Decimal(depth.a[0][0]).as_tuple() == Decimal(text).as_tuple()
    book = order_book_from_depth(depth)
    assert str(book.asks[0].price) == str(book.asks[0].size) == text
    with pytest.raises(venuewire.DecodeError, match=r"\$\.a\[0\]\[0\]"):
        venuewire.decode_json(Depth, f'{{"s":"X","t":1,"a":[[{text}],["{text}"]],"b":[[],[]]}}')
    frame = (
        '{"subscribe":"depth","symbol":"BMX_ETH","precision":6,"data":{"buys":'
        f'[{{"amount":"{text}","total":"{text}","price":"{text}","count":"1"}}],"sells":[]}}}}'
    )
    level = venuewire.decode_json(LegacyDepthPush, frame).data.buys[0]
    assert level.amount == level.total == level.price == text
    assert Decimal(level.price).as_tuple() == Decimal(text).as_tuple()
    with pytest.raises(venuewire.DecodeError, match=r"price"):
        venuewire.decode_json(LegacyDepthPush, frame.replace(f'"price":"{text}"', f'"price":{text}'))


def test_qfex_numbers_are_decimals_and_go_back_out_as_numbers():
    raw = (
        b'{"order_id":"2f05173c-992a-426b-bcaf-6b341644bb62","symbol":"GOOG-USD","status":"ACK",'
        b'"quantity":2.708,"price":251.25,"side":"SELL","type":"LIMIT","time_in_force":"GTC",'
        b'"quantity_remaining":2.708,"update_time":1758208770.5512846}'
    )
    order = venuewire.decode_json(QfexOrder, raw)
    assert order.quantity == Decimal("2.708")
    assert order.price == Decimal("251.25")
    assert order.side is Side.SELL
    assert venuewire.encode_json(order) == raw


def test_unknown_values_of_open_enums_are_kept_and_visible():
    raw = (
        b'{"order_id":"o","symbol":"S","status":"PARTIALLY_EXPIRED","quantity":1,"price":1,"side":"BUY",'
        b'"type":"LIMIT","time_in_force":"GTC","quantity_remaining":1,"update_time":1.5}'
    )
    order = venuewire.decode_json(QfexOrder, raw)
    assert isinstance(order.status, OrderStatus)
    assert order.status.name == "UNKNOWN"
    assert order.status == "PARTIALLY_EXPIRED"
    assert order.status.value not in {m.value for m in OrderStatus}
    assert venuewire.encode_json(order) == raw
    known = venuewire.decode_json(QfexOrder, raw.replace(b"PARTIALLY_EXPIRED", b"FILLED"))
    assert known.status is OrderStatus.FILLED


def test_closed_enums_reject_unknown_values_with_the_field_path():
    raw = b'{"subscribe":"depth","symbol":"BMX_ETH","precision":6,"data":{"buys":[],"sells":[]}}'
    assert venuewire.decode_json(LegacyDepthPush, raw).symbol == "BMX_ETH"
    with pytest.raises(venuewire.DecodeError) as caught:
        venuewire.decode_json(LegacyDepthPush, raw.replace(b'"depth"', b'"deep"'))
    error = caught.value
    assert (error.venue, error.message_name, error.field_path) == ("bitmart", "legacy_depth", ("subscribe",))
    assert str(error).startswith("bitmart: legacy_depth at $.subscribe: ")


def test_not_json_at_all_is_a_decode_error_with_an_empty_path():
    with pytest.raises(venuewire.DecodeError) as caught:
        venuewire.decode_json(Depth, b"{not json")
    assert caught.value.field_path == ()
    assert caught.value.message_name == "depth"
    assert "not valid JSON" in caught.value.detail


def test_encode_json_refuses_classes_that_are_not_venue_messages():
    class Stranger(venuewire.DecodeError):
        pass

    with pytest.raises(ValueError, match="not a documented venue message"):
        venuewire.messages.message_info(Stranger)
