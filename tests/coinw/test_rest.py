"""The pure request half (argument checks, the exact query) and the reply half (typed orders
or a typed error) of CoinW's get order information."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from venuewire.coinw.rest import (
    MAX_IDS,
    POSITION_TYPES,
    REQUESTS_PER_SECOND,
    check_instrument,
    check_source_ids,
    order_query,
    orders_result,
)
from venuewire.errors import AuthError, DecodeError, InvalidRequest, RateLimited, VenueError
from venuewire.generated.coinw.get_order_query import PositionType
from venuewire.generated.coinw.order import Order
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT

FIXTURES = Path(__file__).parents[1] / "fixtures" / "coinw" / "order_response"
BIG = 33308753605637070  # > 2**53


def envelope(code: int, msg: str = "", data: object = None) -> bytes:
    return json.dumps({"code": code, "msg": msg, "data": data}).encode()


def test_limits_and_choices_come_from_the_registry():
    assert ENDPOINT.choices["positionType"] == POSITION_TYPES
    # the seed's four, and the two its Precautions (and CoinW.Net) name
    assert set(POSITION_TYPES) == {"execute", "plan", "moveStop", "stopProfitLoss", "planTrigger", "moveStopProfitLoss"}
    assert MAX_IDS == ENDPOINT.max_ids == 20
    assert REQUESTS_PER_SECOND == ENDPOINT.requests_per_second == 10


def test_the_query_schema_lists_the_registrys_position_types():
    assert tuple(PositionType) == ENDPOINT.choices["positionType"]
    assert PositionType("someNewKind").name == "UNKNOWN"  # an open set, as the client treats it


def test_query_order_and_raw_commas():
    assert order_query("execute") == "positionType=execute"
    assert (
        order_query("plan", ["33308753606524437", BIG, 3], "btc")
        == "positionType=plan&sourceIds=33308753606524437,33308753605637070,3&instrument=btc"
    )
    assert order_query("moveStop", instrument="1000PEPE") == "positionType=moveStop&instrument=1000PEPE"


def test_instrument_is_sent_as_given():
    for given_case in ("btc", "BTC", "Btc", "1000pepe", "BTC_USDC"):
        assert check_instrument(given_case) == given_case
        assert order_query("execute", instrument=given_case).endswith(f"&instrument={given_case}")


def test_ids_above_two_to_the_53_stay_exact():
    ids = [2**53 + 1, 2**64 + 7, "9007199254740993"]
    assert check_source_ids(ids) == ["9007199254740993", "18446744073709551623"]


def test_duplicates_are_dropped_before_counting_and_twenty_is_the_limit():
    twenty = [str(i) for i in range(1, 21)]
    assert check_source_ids([*twenty, "1", 2]) == twenty
    with pytest.raises(ValueError, match="at most 20 order ids"):
        check_source_ids([*twenty, "21"])


@given(st.lists(st.integers(min_value=0, max_value=2**70), min_size=1, max_size=20, unique=True))
def test_any_twenty_distinct_ids_make_a_query_with_them_in_order(ids: list[int]):
    query = order_query("execute", ids)
    assert query == "positionType=execute&sourceIds=" + ",".join(map(str, ids))


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("",), ValueError, "position_type"),
        (("plan trigger",), ValueError, "position_type"),
        (("plan&instrument=x",), ValueError, "position_type"),
        (("\uff50lan",), ValueError, "position_type"),
        (("p" * 41,), ValueError, "position_type"),
        ((None,), TypeError, "position_type"),
        (("execute", []), ValueError, "pass None"),
        (("execute", "123,456"), TypeError, "not one string"),
        (("execute", ["12a"]), ValueError, r"source_ids\[0\].*digits only"),
        (("execute", ["1", " 2"]), ValueError, r"source_ids\[1\]"),
        (("execute", ["1", "2,3"]), ValueError, r"source_ids\[1\]"),
        (("execute", ["-1"]), ValueError, r"source_ids\[0\]"),
        (("execute", ["\uff11\uff12"]), ValueError, r"source_ids\[0\]"),  # full-width digits: str.isdigit() but not 0-9
        (("execute", [-5]), ValueError, r"source_ids\[0\] must not be negative"),
        (("execute", [True]), TypeError, r"source_ids\[0\]"),
        (("execute", [1.0]), TypeError, r"source_ids\[0\]"),
        (("execute", None, ""), ValueError, "instrument"),
        (("execute", None, "BTC/USDT"), ValueError, "instrument"),
        (("execute", None, "btc&x=1"), ValueError, "instrument"),
        (("execute", None, "\uff22\uff34\uff23"), ValueError, "instrument"),
        (("execute", None, 7), TypeError, "instrument"),
    ],
)
def test_bad_arguments_are_refused_naming_them(args, error, match):
    with pytest.raises(error, match=match):
        order_query(*args)


@pytest.mark.parametrize("position_type", ["planTrigger", "moveStopProfitLoss", "execute", "moveStop"])
def test_every_documented_position_type_is_sent(position_type):
    assert order_query(position_type) == f"positionType={position_type}"


@pytest.mark.parametrize("position_type", ["EXECUTE", "market", "someNewKind", "plan_v2"])
def test_an_unknown_position_type_is_the_venues_call_and_is_sent_as_given(position_type):
    assert order_query(position_type, instrument="btc") == f"positionType={position_type}&instrument=btc"


def test_twenty_one_ids_are_refused():
    with pytest.raises(ValueError, match="at most 20"):
        order_query("execute", list(range(21)))


# --- replies --------------------------------------------------------------------------------------


def test_the_seed_reply_is_typed_orders_with_the_big_id_exact():
    (order,) = orders_result(200, {}, (FIXTURES / "seed_example.json").read_bytes())
    assert isinstance(order, Order)
    assert order.id == BIG and isinstance(order.id, int)


def test_success_without_data_is_no_orders():
    assert orders_result(200, {}, b'{"code":0,"msg":""}') == []
    assert orders_result(200, {}, envelope(0)) == []
    assert orders_result(200, {}, envelope(0, data=[])) == []


@pytest.mark.parametrize(
    ("status", "headers", "body", "error", "code"),
    [
        (200, {}, envelope(6000, "no such key"), AuthError, 6000),
        (200, {}, envelope(6001, "bad sign"), AuthError, 6001),
        (200, {}, envelope(6003, "no permission"), AuthError, 6003),
        (200, {}, envelope(29001, "slow down"), RateLimited, 29001),
        (200, {}, envelope(429, "slow down"), RateLimited, 429),
        (200, {}, envelope(1, "bad parameter"), InvalidRequest, 1),
        (200, {}, envelope(402, "missing positionType"), InvalidRequest, 402),
        (200, {}, envelope(9111, "not tradable"), InvalidRequest, 9111),
        (200, {}, envelope(777, "who knows"), VenueError, 777),
        (429, {}, b"", RateLimited, 429),
        (429, {}, envelope(29001, "x"), RateLimited, 429),
        (401, {}, b"Unauthorized", AuthError, 401),
        (403, {}, b"<html>Forbidden</html>", AuthError, 403),
        (502, {}, b"<html>Bad Gateway</html>", VenueError, 502),
        (500, {}, envelope(6001, "bad sign"), AuthError, 6001),
        (200, {}, envelope(500, "Internal server error"), VenueError, 500),
        (500, {}, envelope(500, "Internal server error"), VenueError, 500),
        (402, {}, b"<html>Payment Required</html>", VenueError, 402),  # an HTTP status, not body code 402
        (404, {}, b"Not Found", VenueError, 404),
        (200, {}, b'{"code":6003,"message":"require more permission","retry":false,"success":false}', AuthError, 6003),
    ],
)
def test_every_failure_is_a_typed_error(status, headers, body, error, code):
    with pytest.raises(error) as caught:
        orders_result(status, headers, body)
    assert type(caught.value) is error
    assert caught.value.venue == "coinw" and caught.value.code == code


def test_the_envelope_message_is_kept_and_the_meaning_fills_an_empty_one():
    with pytest.raises(AuthError, match="bad sign"):
        orders_result(200, {}, envelope(6001, "bad sign"))
    with pytest.raises(AuthError, match="bad signature"):
        orders_result(200, {}, envelope(6001, ""))


@pytest.mark.parametrize(
    "body",
    [
        b'{"code":6003,"message":"require more permission","retry":false,"success":false}',
        b'{"code":6003,"msg":"require more permission"}',
        b'{"code":6003,"msg":"","message":"require more permission"}',
        b'{"code":6003,"msg":null,"message":"require more permission","data":null}',
    ],
)
def test_the_venues_text_is_kept_whether_under_msg_or_message(body):
    with pytest.raises(AuthError) as caught:
        orders_result(200, {}, body)
    assert caught.value.code == 6003 and caught.value.message == "require more permission"


def test_code_500_is_a_server_error_with_the_venues_text():
    with pytest.raises(VenueError) as caught:
        orders_result(200, {}, b'{"code":500,"msg":"Internal server error"}')
    assert type(caught.value) is VenueError and caught.value.code == 500
    assert caught.value.message == "Internal server error"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 520])
def test_a_gateway_page_is_a_server_error_naming_the_status(status):
    with pytest.raises(VenueError) as caught:
        orders_result(status, {}, b"<html><title>Bad Gateway</title></html>")
    error = caught.value
    assert type(error) is VenueError and error.code == status
    assert f"HTTP {status}" in error.message and "gateway or server error" in error.message
    assert error.__context__ is None and error.__cause__ is None


def test_retry_after_is_read_for_every_rate_limit():
    with pytest.raises(RateLimited) as caught:
        orders_result(429, {"Retry-After": "2"}, b"")
    assert caught.value.retry_after == 2.0
    with pytest.raises(RateLimited) as caught:
        orders_result(200, {"retry-after": "1.5"}, envelope(29001))
    assert caught.value.retry_after == 1.5
    with pytest.raises(RateLimited) as caught:
        orders_result(200, {"Retry-After": "soon"}, envelope(29001))
    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"<html>502 Bad Gateway</html>", ()),
        (b'{"code":0,"data":[', ()),
        (b'{"code":"0","data":[]}', ("code",)),
        (b'{"msg":""}', ("code",)),
        (b'{"code":0,"data":{}}', ("data",)),
        (b'{"code":0,"data":[{"id":{"a":1}}]}', ("data", 0, "id")),
        (b'{"code":0,"data":[{"id":1.5e16,"createdDate":1,"direction":"long","instrument":"BTC",'
         b'"orderStatus":"unFinish","posType":"plan"}]}', ("data", 0, "id")),
        (b'{"code":0,"data":[{"id":1,"createdDate":1,"direction":"long","instrument":"BTC",'
         b'"orderStatus":"unFinish","posType":"plan","fee":true}]}', ("data", 0, "fee")),
    ],
)  # fmt: skip
def test_a_body_that_is_not_the_reply_is_a_decode_error_naming_the_field(body, path):
    with pytest.raises(DecodeError) as caught:
        orders_result(200, {}, body)
    assert caught.value.venue == "coinw" and caught.value.message_name == "order_response"
    assert caught.value.field_path == path


@pytest.mark.parametrize("text", ["0.1000000000000000055511151231257827", "12345678901234567890.123456789"])
def test_the_one_decode_reply_path_keeps_every_digit_and_big_ids(text: str) -> None:
    # orders_result decodes the body once (no untyped dict first): numbers and strings alike
    # keep every digit, ids above 2^53 stay exact ints, and the reply is what decode_json gives
    body = (
        f'{{"code":0,"msg":"","data":[{{"id":{BIG},"instrument":"BTC","direction":"long","orderStatus":"unFinish",'
        f'"posType":"plan","createdDate":1740905644000,"fee":"{text}","margin":{text},"indexPrice":{text}}}]}}'
    ).encode()
    (order,) = orders_result(200, {}, body)
    assert order.id == BIG and type(order.id) is int
    for value in (order.fee, order.margin, order.indexPrice):
        assert str(value) == text
    from venuewire.generated.coinw.order_response import OrderResponse
    from venuewire.messages import decode_json

    assert [order] == decode_json(OrderResponse, body).data
