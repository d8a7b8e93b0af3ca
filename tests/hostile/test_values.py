"""`venuewire.values` (checked conversions) and `venuewire.messages.decode_json` against
hostile values: date boundaries and just outside them, NaN / sNaN / infinities, huge ints,
invalid UTF-8, deep nesting, random bytes. Only DecodeError may come out, naming the venue,
the message and the field path."""

from __future__ import annotations

import contextlib
import importlib
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec.inspect
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from venuewire.errors import DecodeError
from venuewire.generated.registry import MESSAGES
from venuewire.messages import decode_json, decode_proto, decode_proto_json
from venuewire.values import EPOCH, decimal_of, decimal_of_double, finite_decimal, utc_from_ms, utc_from_seconds

pytestmark = pytest.mark.timeout(60)

WHERE = ("toy", "depth", ("data", 0, "t"))
FIRST = datetime(1, 1, 1, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
FIRST_MS = (FIRST - EPOCH) // timedelta(milliseconds=1)
LAST_MS = (LAST - EPOCH) // timedelta(milliseconds=1)
FIRST_S = (FIRST - EPOCH).total_seconds()
LAST_S = (LAST - EPOCH) / timedelta(seconds=1)


def refused(call: Any, value: Any) -> DecodeError:
    with pytest.raises(DecodeError) as caught:
        call(value, *WHERE)
    error = caught.value
    assert error.venue == "toy" and error.message_name == "depth" and error.field_path == ("data", 0, "t")
    assert len(str(error)) < 200  # a huge value is shown cut short
    return error


# ------------------------------------------------------------------- dates
def test_ms_at_both_ends_of_the_calendar_are_dates_and_one_past_is_a_decode_error():
    assert utc_from_ms(FIRST_MS, *WHERE) == FIRST
    assert utc_from_ms(LAST_MS, *WHERE) == LAST.replace(microsecond=999000)
    refused(utc_from_ms, FIRST_MS - 1)
    refused(utc_from_ms, LAST_MS + 1)


@pytest.mark.parametrize("ms", [10**17, -(10**17), 10**30, -(10**30), 10**400, pytest.param(10**5000, id="10**5000")])
def test_huge_ms_are_decode_errors(ms):
    assert "ms since the epoch" in refused(utc_from_ms, ms).detail


@pytest.mark.parametrize("ms", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity")])
def test_non_finite_ms_are_decode_errors(ms):
    refused(utc_from_ms, ms)


def test_ms_are_exact():
    assert utc_from_ms(1_700_000_000_123, *WHERE) == datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)
    assert utc_from_ms(-1, *WHERE) == EPOCH - timedelta(milliseconds=1)
    assert utc_from_ms(0, *WHERE) == EPOCH


def test_seconds_at_both_ends_of_the_calendar_are_dates_and_just_past_is_a_decode_error():
    assert utc_from_seconds(FIRST_S, *WHERE) == FIRST
    assert utc_from_seconds(int(FIRST_S), *WHERE) == FIRST
    assert utc_from_seconds(Decimal(LAST_MS) / 1000 + Decimal("0.000999"), *WHERE) == LAST
    assert utc_from_seconds(253402300799.9999, *WHERE).year == 9999  # inside the last second
    refused(utc_from_seconds, FIRST_S - 0.001)
    refused(utc_from_seconds, LAST_S + 0.001)
    last_us = Decimal((LAST - EPOCH) // timedelta(microseconds=1)) / 10**6
    assert utc_from_seconds(last_us + Decimal("0.0000004"), *WHERE) == LAST  # rounds down to the end
    refused(utc_from_seconds, last_us + Decimal("0.0000006"))  # rounds past it


@pytest.mark.parametrize(
    "seconds",
    [
        math.nan,
        math.inf,
        -math.inf,
        1e300,
        -1e300,
        10**30,
        10**400,
        pytest.param(10**5000, id="10**5000"),
        Decimal("NaN"),
        Decimal("sNaN"),
    ],
)
def test_non_finite_or_huge_seconds_are_decode_errors(seconds):
    assert "s since the epoch" in refused(utc_from_seconds, seconds).detail


def test_seconds_keep_the_microsecond():
    assert utc_from_seconds(1.5, *WHERE) == EPOCH + timedelta(seconds=1, microseconds=500000)
    assert utc_from_seconds(Decimal("1700000000.000001"), *WHERE).microsecond == 1


@given(st.integers(min_value=-(10**20), max_value=10**20))
@settings(max_examples=300, deadline=None)
def test_any_int_ms_is_a_date_or_a_decode_error(ms):
    try:
        when = utc_from_ms(ms, *WHERE)
    except DecodeError:
        assert not FIRST_MS <= ms <= LAST_MS
    else:
        assert (when - EPOCH) // timedelta(milliseconds=1) == ms


@given(st.floats(allow_nan=True, allow_infinity=True))
@settings(max_examples=300, deadline=None)
def test_any_float_seconds_is_a_date_or_a_decode_error(seconds):
    try:
        when = utc_from_seconds(seconds, *WHERE)
    except DecodeError:
        assert not (math.isfinite(seconds) and FIRST_S + 1 <= seconds <= LAST_S - 1)
    else:
        assert FIRST <= when <= LAST


# ------------------------------------------------------------------- decimals
@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf"])
def test_non_finite_decimal_strings_are_decode_errors(text):
    refused(decimal_of, text)
    refused(finite_decimal, Decimal(text))


@pytest.mark.parametrize("text", ["", " ", "abc", "1,5", "0x10", "1e9999999999999999999999", " 1.5", "1_000", "١٢٣"])
def test_what_is_no_plain_decimal_string_is_a_decode_error(text):
    refused(decimal_of, text)


def test_decimal_strings_are_exact():
    assert decimal_of("0.1", *WHERE) == Decimal("0.1")
    assert decimal_of("-0.00000001", *WHERE) == Decimal("-1E-8")
    assert decimal_of("1e-30", *WHERE) == Decimal("1E-30")
    assert decimal_of("9" * 100, *WHERE) == Decimal("9" * 100)
    assert str(decimal_of("1.10", *WHERE)) == "1.10"  # the venue's scale is kept


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -math.nan])
def test_non_finite_doubles_are_decode_errors(value):
    refused(decimal_of_double, value)


def test_doubles_become_the_decimal_the_venue_meant():
    assert decimal_of_double(0.1, *WHERE) == Decimal("0.1")
    assert decimal_of_double(1e308, *WHERE) == Decimal("1E+308")
    assert decimal_of_double(5e-324, *WHERE) == Decimal("5E-324")
    assert decimal_of_double(10**30, *WHERE) == Decimal(10**30)  # an int stays exact


# ------------------------------------------------------------------- decode_json
JSON_CLASSES = [getattr(importlib.import_module(m.module), m.class_name) for m in MESSAGES if m.format != "protobuf"]


@pytest.mark.parametrize("cls", JSON_CLASSES, ids=lambda c: c.__qualname__)
def test_invalid_utf8_in_any_field_is_a_decode_error_naming_it(cls):
    for field in msgspec.inspect.type_info(cls).fields:
        name = field.encode_name
        with pytest.raises(DecodeError) as caught:
            decode_json(cls, b'{"' + name.encode() + b'": "ok\xff\xfe"}')
        error = caught.value
        # msgspec reads the string before checking its type: UTF-8, or the field's own type
        assert "UTF-8" in error.detail or error.field_path[:1] == (name,), str(error)


@pytest.mark.parametrize("cls", JSON_CLASSES, ids=lambda c: c.__qualname__)
@pytest.mark.parametrize("opening", [b"[", b'{"a":', b'{"data":['], ids=["arrays", "objects", "data"])
def test_deeply_nested_json_is_a_decode_error_not_a_recursion_error(cls, opening):
    with pytest.raises(DecodeError):
        decode_json(cls, opening * 100_000)


@pytest.mark.parametrize("cls", JSON_CLASSES, ids=lambda c: c.__qualname__)
def test_empty_and_huge_number_payloads_are_decode_errors(cls):
    for payload in (b"", b" ", b"1" + b"0" * 5000, b'{"data": 1e400}', b"\x00"):
        with pytest.raises(DecodeError):
            decode_json(cls, payload)


JSONISH = st.one_of(
    st.binary(max_size=200),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
        max_leaves=20,
    ).map(lambda value: repr(value).replace("'", '"').replace("None", "null").encode()),
)


@given(cls=st.sampled_from(JSON_CLASSES), data=JSONISH)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_into_any_json_class_decode_or_raise_only_decode_error(cls, data):
    with contextlib.suppress(DecodeError):
        decode_json(cls, data)


# ------------------------------------------------------------------- protobuf messages
PROTO_CLASSES = [getattr(importlib.import_module(m.module), m.class_name) for m in MESSAGES if m.format == "protobuf"]


@pytest.mark.parametrize("payload", [b"\xff", b'{"retType": "\xff"}', b"[" * 100_000, b""], ids=repr)
def test_bad_opend_json_bodies_are_decode_errors(payload):
    for cls in PROTO_CLASSES:
        with pytest.raises(DecodeError):
            decode_proto_json(cls, payload)


@given(cls=st.sampled_from(PROTO_CLASSES), data=st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_bytes_into_any_opend_class_decode_or_raise_only_decode_error(cls, data):
    for decode in (decode_proto, decode_proto_json):
        with contextlib.suppress(DecodeError):
            decode(cls, data)
