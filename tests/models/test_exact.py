"""Exact, and paid for only when read: every book path keeps the wire's text, and
`level.price` / `level.size` are Decimals of exactly that text (built on first read)."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from venuewire.bitmart.book import (
    order_book_from_legacy,
    order_book_from_legacy_json,
    order_books_from_spot,
    order_books_from_spot_json,
)
from venuewire.errors import DecodeError
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.generated.futu import Qot_GetOrderBook_pb2
from venuewire.generated.infoway.ws_depth import WsDepthPush
from venuewire.infoway.book import order_book_from_depth, order_book_from_push_json
from venuewire.messages import decode_json
from venuewire.models import BookLevel, OrderBook, OrderDetail, are_decimal_texts
from venuewire.opend.book import order_book_from_s2c

LONG = "12345678901234567890.123456789"  # 29 significant digits: no float holds it
SMALL = "0.000012345678901234567890123"
BIG_ID = 2**63 - 25  # above 2^53: a float would round it
TEXTS = [LONG, SMALL, "30657.00", "-0.50", "1E+3", "100"]


def test_a_level_holds_the_text_and_reads_it_as_the_exact_decimal_once():
    level = BookLevel(LONG, SMALL, 3, (OrderDetail(str(BIG_ID), "5.000"),))
    assert level.price_text == LONG and level.size_text == SMALL
    price = level.price
    assert isinstance(price, Decimal) and price == Decimal(LONG) and str(price) == LONG
    assert level.price is price  # cached: the second read builds nothing
    assert str(level.size) == SMALL and str(level.orders[0].size) == "5.000"
    assert level.orders[0].order_id == str(BIG_ID)


def test_levels_are_frozen_and_compare_and_hash_by_number():
    a, b = BookLevel("1.50", "2"), BookLevel("1.5", "2.000")
    assert a == b and hash(a) == hash(b) and a != BookLevel("1.51", "2")
    assert BookLevel.of(Decimal("1.50"), 2) == a and BookLevel.of(Decimal("1.50"), 2).price_text == "1.50"
    assert OrderDetail("7", "1.0") == OrderDetail("7", "1") and OrderDetail("7", "1") != OrderDetail("8", "1")
    with pytest.raises(AttributeError):
        a.price_text = "2"  # type: ignore[misc]
    book = OrderBook("v", "S", (a,), ())
    assert book == OrderBook("v", "S", (b,), ()) and hash(book) == hash(OrderBook("v", "S", (b,), ()))


def test_json_encoding_writes_the_same_document_as_decimal_levels_did():
    level = BookLevel("601.50", LONG, 2, (OrderDetail(str(BIG_ID), "100"),))
    level.price  # noqa: B018  (a read must not change the encoding)
    book = OrderBook("futu", "HK.00700", (level,), ())
    expected = {
        "venue": "futu",
        "symbol": "HK.00700",
        "bids": [
            {"price": "601.50", "size": LONG, "order_count": 2, "orders": [{"order_id": str(BIG_ID), "size": "100"}]}
        ],
        "asks": [],
        "timestamp": None,
        "bid_timestamp": None,
        "ask_timestamp": None,
        "name": None,
        "raw": None,
    }
    assert json.loads(msgspec.json.encode(book)) == expected
    # what Decimal fields encoded to: str(Decimal) of the same values
    assert (
        msgspec.json.encode(Decimal("601.50")) == b'"601.50"'
        and msgspec.json.encode(Decimal(LONG)) == f'"{LONG}"'.encode()
    )


@pytest.mark.parametrize(
    ("texts", "ok"),
    [
        (TEXTS, True),
        (["NaN"], False),
        (["Infinity"], False),
        (["-inf"], False),
        (["1_0"], False),
        ([" 1"], False),
        ([""], False),
        (["1.2.3"], False),
        (["--1"], False),
        (["\u0661"], False),
        (["1e5", "-0.5", "5E+3", "0"], True),
        ([".5"], False),
        (["1,2"], False),
        (["1e999"], False),
    ],
)
def test_the_bulk_check_accepts_exactly_finite_decimal_texts(texts, ok):
    assert are_decimal_texts(texts) is ok
    if ok:
        assert all(Decimal(t).is_finite() for t in texts)


def _legacy(price: str = LONG, amount: str = SMALL, count: str = str(BIG_ID)) -> bytes:
    level = {"amount": amount, "total": amount, "price": price, "count": count}
    other = {"amount": "1", "total": "1", "price": "2.50", "count": "1"}
    push = {
        "subscribe": "depth",
        "symbol": "BMX_ETH",
        "precision": 6,
        "data": {"buys": [level, other], "sells": [other]},
    }
    return json.dumps(push).encode()


def test_bitmart_legacy_text_in_is_the_text_out_on_both_ways_in():
    data = _legacy()
    fast = order_book_from_legacy_json(data)
    slow = order_book_from_legacy(decode_json(LegacyDepthPush, data))
    for book in (fast, slow):
        level = book.bids[0]
        assert str(level.price) == LONG and str(level.size) == SMALL and level.order_count == BIG_ID
        assert level.price_text == LONG and str(book.bids[1].price) == "2.50"
    assert fast == slow and msgspec.json.encode(fast) == msgspec.json.encode(slow)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"price": "NaN"}, "price"),
        ({"amount": "Infinity"}, "amount"),
        ({"count": "1.5"}, "count"),
        ({"price": "x"}, "price"),
    ],
)
def test_bitmart_legacy_fast_way_raises_the_checked_ways_error(change, path):
    data = _legacy(**change)
    with pytest.raises(DecodeError) as fast:
        order_book_from_legacy_json(data)
    with pytest.raises(DecodeError) as slow:
        order_book_from_legacy(decode_json(LegacyDepthPush, data))
    assert str(fast.value) == str(slow.value) and path in str(fast.value)


def _spot(price: str = LONG) -> bytes:
    entry = {
        "asks": [[price, SMALL], ["3", "4.0"]],
        "bids": [["1.000", "2"]],
        "ms_t": 1_700_000_000_123,
        "symbol": "BTC_USDT",
    }
    return json.dumps({"table": "spot/depth5", "data": [entry]}).encode()


def test_bitmart_spot_text_in_is_the_text_out_and_bad_values_fail_the_same():
    data = _spot()
    (fast,) = order_books_from_spot_json(data)
    (slow,) = order_books_from_spot(decode_json(SpotDepthPush, data))
    assert fast == slow and msgspec.json.encode(fast) == msgspec.json.encode(slow)
    assert [str(level.price) for level in fast.asks] == [LONG, "3"] and str(fast.asks[0].size) == SMALL
    assert str(fast.bids[0].price) == "1.000" and fast.timestamp == slow.timestamp
    with pytest.raises(DecodeError, match=r"asks.*0.*0|not a finite"):
        order_books_from_spot_json(_spot("sNaN"))


def _infoway(price: str = LONG) -> bytes:
    depth = {"s": "00700.HK", "t": 1_747_382_976_831, "a": [[price, "3"], [SMALL, "4"]], "b": [["1.0"], ["9"]]}
    return json.dumps({"code": 10005, "data": depth, "trace": "t"}).encode()


def test_infoway_push_text_in_is_the_text_out_on_both_ways_in():
    data = _infoway()
    fast = order_book_from_push_json(data)
    slow = order_book_from_depth(decode_json(WsDepthPush, data).data, message="ws_depth", path=("data",))
    assert fast == slow and msgspec.json.encode(fast) == msgspec.json.encode(slow)
    assert [str(level.price) for level in fast.asks] == [LONG, "3"] and str(fast.asks[0].size) == SMALL
    assert fast.asks[0].price_text == LONG and str(fast.bids[0].price) == "1.0"


def test_infoway_push_bad_values_fail_as_the_generated_class_does():
    for bad in ("NaN", "-Infinity"):
        with pytest.raises(DecodeError) as fast:
            order_book_from_push_json(_infoway(bad))
        with pytest.raises(DecodeError) as slow:
            order_book_from_depth(decode_json(WsDepthPush, _infoway(bad)).data, message="ws_depth", path=("data",))
        assert str(fast.value) == str(slow.value)
    unpaired = json.dumps({"code": 10005, "data": {"s": "X", "t": 1, "a": [["1", "2"], ["3"]], "b": [[], []]}})
    with pytest.raises(DecodeError, match="2 prices but 1 volumes"):
        order_book_from_push_json(unpaired.encode())


def test_opend_doubles_keep_their_shortest_repr_and_int64_ids_and_sizes_stay_exact():
    s2c = Qot_GetOrderBook_pb2.S2C()
    s2c.security.market, s2c.security.code = 1, "00700"
    sum_price = 0.1 + 0.2  # 0.30000000000000004: 17 significant digits, the most a double needs
    ask = s2c.orderBookAskList.add(price=sum_price, volume=BIG_ID, orederCount=1)
    ask.detailList.add(orderID=BIG_ID, volume=2**62 + 1)
    s2c.orderBookBidList.add(price=1e-07, volume=1, orederCount=1, hpVolume=0.1)
    book = order_book_from_s2c(s2c)
    level = book.asks[0]
    assert str(level.price) == repr(sum_price) and level.price == Decimal(repr(sum_price))
    assert str(level.size) == str(BIG_ID) and level.size == BIG_ID
    assert level.orders[0].order_id == str(BIG_ID) and level.orders[0].size == 2**62 + 1
    bid = book.bids[0]
    assert bid.price == Decimal("1E-7") and str(bid.price) == bid.price_text and str(bid.size) == "0.1"
    assert not math.isnan(float(bid.price))


# -- laziness, small values, batch_depth, encodable books ------------------------------------

TINY = "0.00000010"  # str(Decimal(TINY)) is "1.0E-7": only the kept text gives it back


_NEXT = iter(range(10**6))


def _fresh(prefix: str) -> str:
    """A text no test has read before (the Decimal cache is shared)."""
    return f"{prefix}{next(_NEXT)}"


def test_no_decimal_is_built_until_a_price_is_read():
    from venuewire.models import is_built

    price, size = "987654321.123456789012345678" + _fresh("1"), "0.5" + _fresh("9")
    (book,) = order_books_from_spot_json(
        json.dumps(
            {"table": "spot/depth5", "data": [{"asks": [[price, size]], "bids": [], "ms_t": 1, "symbol": "X"}]}
        ).encode()
    )
    assert not is_built(price) and not is_built(size)  # decoding and checking built none
    msgspec.json.encode(book)
    assert book == msgspec.structs.replace(book) and not is_built(price)  # nor does encoding
    assert str(book.asks[0].price) == price and is_built(price) and not is_built(size)


@pytest.mark.parametrize("text", [TINY, "1e3", "-0.000000000000000000012345678901234567890", "1E+21"])
def test_the_wire_text_comes_back_exactly_on_every_fast_path(text):
    (spot,) = order_books_from_spot_json(_spot(text))
    assert str(spot.asks[0].price) == text and spot.asks[0].price == Decimal(text)
    assert str(order_book_from_push_json(_infoway(text)).asks[0].price) == text
    legacy = order_book_from_legacy_json(_legacy(price=text, amount=text))
    assert str(legacy.bids[0].price) == text and str(legacy.bids[0].size) == text
    encoded = msgspec.json.decode(msgspec.json.encode(spot))
    assert encoded["asks"][0]["price"] == text


def _batch(price: str = LONG) -> bytes:
    depth = {"s": "00700.HK", "t": 1_747_382_976_831, "a": [[price, "3"], [SMALL, "4"]], "b": [["1.0"], [TINY]]}
    other = {"s": "TSLA.US", "t": 1_747_382_976_832, "a": [[], []], "b": [["250.10"], ["7"]]}
    return json.dumps({"ret": 200, "msg": "ok", "traceId": "t", "data": [depth, other]}).encode()


def test_infoway_batch_depth_text_in_is_the_text_out_and_matches_the_generated_way():
    from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
    from venuewire.infoway.book import order_books_from_batch_json, order_books_from_response

    data = _batch()
    fast = order_books_from_batch_json(data)
    slow = order_books_from_response(decode_json(BatchDepthResponse, data))
    assert fast == slow and [b.symbol for b in fast] == ["00700.HK", "TSLA.US"]
    assert str(fast[0].asks[0].price) == LONG and str(fast[0].bids[0].size) == TINY
    for bad in ("NaN", "sNaN", "x"):
        with pytest.raises(DecodeError) as fast_error:
            order_books_from_batch_json(_batch(bad))
        with pytest.raises(DecodeError) as slow_error:
            order_books_from_response(decode_json(BatchDepthResponse, _batch(bad)))
        assert str(fast_error.value) == str(slow_error.value) and "data" in str(fast_error.value)


def test_a_bad_value_deep_in_a_book_fails_with_its_path_on_the_fast_way():
    levels = [[f"{100 + i}.5", "1"] for i in range(50)]
    levels[37][1] = "Infinity"
    entry = {"asks": levels, "bids": [], "ms_t": 1, "symbol": "BTC_USDT"}
    with pytest.raises(DecodeError) as error:
        order_books_from_spot_json(json.dumps({"table": "spot/depth50", "data": [entry]}).encode())
    assert error.value.field_path == ("data", 0, "asks", 37, 1)


def test_books_of_every_venue_encode_and_compare_with_their_raw():
    from venuewire.generated.futu import Qot_UpdateOrderBook_pb2

    s2c = Qot_UpdateOrderBook_pb2.S2C()
    s2c.security.market, s2c.security.code = 1, "00700"
    s2c.orderBookAskList.add(price=601.5, volume=BIG_ID, orederCount=1).detailList.add(orderID=BIG_ID, volume=3)
    opend = msgspec.structs.replace(order_book_from_s2c(s2c), raw=s2c)
    assert opend.raw is s2c and msgspec.structs.replace(opend, symbol="X").raw is s2c
    plain = json.loads(msgspec.json.encode(opend))
    assert plain["asks"][0] == {
        "price": "601.5",
        "size": str(BIG_ID),
        "order_count": 1,
        "orders": [{"order_id": str(BIG_ID), "size": "3"}],
    }
    assert Qot_UpdateOrderBook_pb2.S2C.FromString(__import__("base64").b64decode(plain["raw"]["data"])) == s2c
    twin = msgspec.structs.replace(
        order_book_from_s2c(s2c), raw=Qot_UpdateOrderBook_pb2.S2C.FromString(s2c.SerializeToString())
    )
    assert opend == twin and hash(opend) == hash(twin)
    assert msgspec.structs.replace(opend, raw=None) == order_book_from_s2c(s2c)
    (spot,) = order_books_from_spot_json(_spot())
    spot_raw = decode_json(SpotDepthPush, _spot()).data[0]
    with_raw = msgspec.structs.replace(spot, raw=spot_raw)
    assert with_raw.raw is spot_raw and json.loads(msgspec.json.encode(with_raw))["raw"]["symbol"] == "BTC_USDT"
    for book in (order_book_from_push_json(_infoway()), order_book_from_legacy_json(_legacy())):
        assert msgspec.json.decode(msgspec.json.encode(book))["symbol"] == book.symbol
        assert book == msgspec.structs.replace(book) and hash(book) == hash(msgspec.structs.replace(book))
    with pytest.raises(AttributeError):
        opend.symbol = "Y"  # type: ignore[misc]


def test_decimal_columns_are_checked_known_texts_first_then_in_bulk():
    from venuewire.models import are_decimal_columns

    fresh = ["31.000000000000000000001", "7.7e-9"]  # texts no other test checks
    assert are_decimal_columns([fresh, ("1", "2")]) and are_decimal_columns([fresh, ["3"]])  # new, then known
    assert not are_decimal_columns([fresh, ["NaN"]]) and not are_decimal_columns([["1 "], fresh])
    assert not are_decimal_columns([["1", "2"], ["1..2"]]) and are_decimal_columns([]) and are_decimal_columns([[]])


# --- utc_from_ms: the quick way (float seconds) gives the exact millisecond ------------------


@pytest.mark.parametrize(
    "ms",
    [0, 1, 999, 1000, 1_747_382_978_231, 1_747_382_978_999, 2**53 // 1000, 2**32 * 1000 - 1, 2**32 * 1000 - 999],
)
def test_utc_from_ms_is_exact_to_the_millisecond_on_the_quick_way(ms: int) -> None:
    from datetime import UTC, datetime, timedelta

    from venuewire.values import utc_from_ms

    expected = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
    got = utc_from_ms(ms, "v", "m", ("t",))
    assert got == expected and got.microsecond == ms % 1000 * 1000 and got.tzinfo is UTC


@given(st.integers(min_value=-(2**45), max_value=2**45))
def test_utc_from_ms_agrees_with_adding_a_timedelta_everywhere(ms: int) -> None:
    from datetime import UTC, datetime, timedelta

    from venuewire.values import utc_from_ms

    assert utc_from_ms(ms, "v", "m", ("t",)) == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
