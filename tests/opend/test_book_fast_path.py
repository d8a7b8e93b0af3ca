"""The OpenD book fast path (levels read straight from the serialized S2C) gives exactly the
book of the checked path (field by field from the protobuf message) on the same bytes, and
falls back to it, with its typed error, on anything it does not read."""

from __future__ import annotations

import math
import random
import struct
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from venuewire.errors import DecodeError
from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.messages import decode_proto
from venuewire.models import OrderBook
from venuewire.opend import book as book_module
from venuewire.opend.book import check_s2c, checked_order_book_from_s2c, order_book_from_body, order_book_from_s2c

Response = Qot_GetOrderBook_pb2.Response | Qot_UpdateOrderBook_pb2.Response
RESPONSES: tuple[type[Response], ...] = (Qot_GetOrderBook_pb2.Response, Qot_UpdateOrderBook_pb2.Response)


def random_price(rng: random.Random) -> float:
    kind = rng.random()
    if kind < 0.4:
        return round(rng.uniform(0.01, 1000.0), rng.randint(0, 4))
    if kind < 0.6:
        return rng.uniform(-1e6, 1e6)  # 17 significant digits
    if kind < 0.8:
        return rng.choice([1e-07, 5e-324, 1.7976931348623157e308, 0.1, 0.0, 123456789012345.67, 2.0**60])
    return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(62)))[0] or 1.0  # finite, any exponent


def random_response(rng: random.Random, cls: type[Response]) -> Response:
    response = cls(retType=0)
    if rng.random() < 0.5:
        response.retMsg = rng.choice(["", "ok"])
    if rng.random() < 0.5:
        response.errCode = 0
    s2c = response.s2c
    s2c.security.market = rng.choice([1, 11, 21])
    s2c.security.code = rng.choice(["00700", "AAPL", "600519"])
    if rng.random() < 0.7:
        s2c.name = rng.choice(["", "TENCENT", "騰訊控股"])
    for side in (s2c.orderBookAskList, s2c.orderBookBidList):
        for _ in range(rng.choice([0, 0, 1, 3, 10, 40])):
            level = side.add(
                price=random_price(rng),
                volume=rng.choice([0, 1, 100, 2**53 + 1, 2**63 - 1, -5, rng.getrandbits(40)]),
                orederCount=rng.choice([0, 1, 7, 2**31 - 1, -3]),
            )
            if rng.random() < 0.3:
                level.hpVolume = rng.choice([0.5, 100.0, 1e-07, 12345.678901234567])
            for _ in range(rng.choice([0, 0, 0, 1, 5, 30])):
                level.detailList.add(orderID=rng.choice([1, 2**53 + 1, 2**63 - 1, rng.getrandbits(62)]), volume=100)
    for field in ("svrRecvTimeBidTimestamp", "svrRecvTimeAskTimestamp"):
        if rng.random() < 0.6:
            setattr(s2c, field, rng.choice([1744018200.12, 0.0, -1.0, 1.5e9 + rng.random()]))
    if rng.random() < 0.3:
        s2c.svrRecvTimeBid = "2025-04-07 09:30:00.120"
    if rng.random() < 0.3:
        s2c.orderBookType = rng.choice([0, 1])
    return response


def texts(book: OrderBook) -> Any:
    """Everything the book holds, texts included (equality compares numbers only)."""
    return msgspec.to_builtins(msgspec.structs.replace(book, raw=None))


def reference(body: bytes, cls: type[Response]) -> OrderBook:
    return checked_order_book_from_s2c(decode_proto(cls, body).s2c)


def fast_only(body: bytes) -> OrderBook:
    """The fast path alone (raises book_module._NotFast when it would fall back)."""
    start, end = book_module._s2c_span(body)
    return book_module._fast_book(body, start, end, "Qot_GetOrderBook.S2C", None)


@pytest.mark.parametrize("seed", range(6))
def test_random_books_fast_equals_checked(seed: int) -> None:
    rng = random.Random(seed)
    for k in range(60):
        cls = RESPONSES[k % 2]
        response = random_response(rng, cls)
        body = response.SerializeToString()
        expected = reference(body, cls)
        fast = fast_only(body)  # canonical bytes: the fast path reads them itself
        assert texts(fast) == texts(expected)
        assert texts(order_book_from_body(body, cls)) == texts(expected)
        assert texts(order_book_from_s2c(response.s2c)) == texts(expected)
        for side in (fast.bids, fast.asks):
            for level in side:
                assert str(level.price) == level.price_text
                assert str(level.size) == level.size_text


def test_second_read_comes_from_the_cache_and_is_the_same() -> None:
    body = random_response(random.Random(99), Qot_GetOrderBook_pb2.Response).SerializeToString()
    first, second = fast_only(body), fast_only(body)
    assert texts(first) == texts(second) == texts(reference(body, Qot_GetOrderBook_pb2.Response))


def exact_response() -> Qot_GetOrderBook_pb2.Response:
    response = Qot_GetOrderBook_pb2.Response(retType=0)
    s2c = response.s2c
    s2c.security.market, s2c.security.code = 1, "00700"
    ask = s2c.orderBookAskList.add(price=1234567.8912345678, volume=2**63 - 1, orederCount=1)
    ask.detailList.add(orderID=2**53 + 1, volume=9007199254740993)
    ask.detailList.add(orderID=2**63 - 1, volume=-1)
    s2c.orderBookBidList.add(price=0.1, volume=1, orederCount=2, hpVolume=12345678.901234567)
    s2c.orderBookBidList.add(price=1e-07, volume=2, orederCount=3)
    return response


def test_exact_texts_and_big_ids() -> None:
    body = exact_response().SerializeToString()
    book = order_book_from_body(body, Qot_GetOrderBook_pb2.Response)
    ask, (bid, low) = book.asks[0], book.bids
    assert ask.price_text == repr(1234567.8912345678) == str(ask.price)  # 17 significant digits
    assert ask.size_text == "9223372036854775807" == str(ask.size)  # 19 digits, above 2**53
    assert [(d.order_id, d.size_text) for d in ask.orders] == [
        ("9007199254740993", "9007199254740993"),
        ("9223372036854775807", "-1"),
    ]
    assert bid.price == Decimal("0.1") and bid.size_text == "12345678.901234567" == str(bid.size)
    assert low.price_text == "1E-7" == str(low.price)
    assert texts(book) == texts(fast_only(body)) == texts(reference(body, Qot_GetOrderBook_pb2.Response))


def test_empty_sides_and_no_optional_fields() -> None:
    response = Qot_UpdateOrderBook_pb2.Response(retType=0)
    response.s2c.security.market, response.s2c.security.code = 11, "AAPL"
    body = response.SerializeToString()
    book = fast_only(body)
    assert (book.bids, book.asks, book.name, book.bid_timestamp) == ((), (), None, None)
    assert texts(order_book_from_body(body, Qot_UpdateOrderBook_pb2.Response)) == texts(
        reference(body, Qot_UpdateOrderBook_pb2.Response)
    )


def unknown_field(number: int) -> bytes:
    return bytes([(number << 3) | 0, 42])  # varint field `number` = 42


def test_unknown_fields_fall_back_to_the_same_book() -> None:
    response = exact_response()
    s2c_bytes = response.s2c.SerializeToString()
    level = response.s2c.orderBookAskList[0].SerializeToString() + unknown_field(14)
    variants = [
        s2c_bytes + unknown_field(15),  # unknown S2C field at the end
        unknown_field(15) + s2c_bytes,  # ... at the start
        s2c_bytes + bytes([0x12, len(level)]) + level,  # an ask after the bids, with an unknown field
        bytes([0x12, len(level)]) + level + s2c_bytes,  # ... the first field, before the security
    ]
    for s2c in variants:
        wrapper = Qot_GetOrderBook_pb2.Response(retType=0)
        body = wrapper.SerializeToString() + bytes([0x22]) + _varint(len(s2c)) + s2c
        expected = reference(body, Qot_GetOrderBook_pb2.Response)
        assert texts(order_book_from_body(body, Qot_GetOrderBook_pb2.Response)) == texts(expected)
        parsed = Qot_GetOrderBook_pb2.S2C.FromString(s2c)
        assert texts(order_book_from_s2c(parsed)) == texts(checked_order_book_from_s2c(parsed))


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def test_bids_before_asks_fall_back_to_the_same_book() -> None:
    response = exact_response()
    only_bids = Qot_GetOrderBook_pb2.S2C()
    only_bids.orderBookBidList.extend(response.s2c.orderBookBidList)
    only_rest = Qot_GetOrderBook_pb2.S2C()
    only_rest.CopyFrom(response.s2c)
    del only_rest.orderBookBidList[:]
    s2c = only_bids.SerializePartialToString() + only_rest.SerializeToString()  # bids first on the wire
    body = Qot_GetOrderBook_pb2.Response(retType=0).SerializeToString() + b"\x22" + _varint(len(s2c)) + s2c
    with pytest.raises(book_module._NotFast):
        fast_only(body)
    book = order_book_from_body(body, Qot_GetOrderBook_pb2.Response)
    assert texts(book) == texts(reference(body, Qot_GetOrderBook_pb2.Response))
    assert [level.price_text for level in book.bids] == ["0.1", "1E-7"]


def outcome(call: Any) -> Any:
    try:
        return ("book", texts(call()))
    except DecodeError as exc:
        return ("error", type(exc), str(exc))


@pytest.mark.parametrize("cls", RESPONSES)
def test_truncated_bodies_give_the_checked_paths_error(cls: type[Response]) -> None:
    body = random_response(random.Random(7), cls).SerializeToString()
    if len(body) > 3000:
        body = exact_response().SerializeToString()
    for cut in range(len(body)):
        truncated = body[:cut]

        def checked(truncated: bytes = truncated) -> OrderBook:
            decoded = decode_proto(cls, truncated)
            if not decoded.HasField("s2c"):
                raise DecodeError("futu", cls.__name__, ("s2c",), "no s2c")
            return checked_order_book_from_s2c(decoded.s2c)

        ours = outcome(lambda truncated=truncated: order_book_from_body(truncated, cls))
        expected = outcome(checked)
        assert ours[0] == expected[0], cut
        if ours[0] == "book":
            assert ours == expected
        else:
            assert ours[1] is DecodeError


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_give_the_checked_error(bad: float) -> None:
    for field in ("price", "hpVolume"):
        response = exact_response()
        setattr(response.s2c.orderBookBidList[1], field, bad)
        body = response.SerializeToString()
        with pytest.raises(book_module._NotFast):
            fast_only(body)
        with pytest.raises(DecodeError) as fast_error:
            order_book_from_body(body, Qot_GetOrderBook_pb2.Response)
        with pytest.raises(DecodeError) as checked_error:
            reference(body, Qot_GetOrderBook_pb2.Response)
        assert str(fast_error.value) == str(checked_error.value)
        assert "orderBookBidList" in str(fast_error.value) and field in str(fast_error.value)
        with pytest.raises(DecodeError):
            check_s2c(response.s2c)


def test_missing_required_level_field_gives_the_checked_error() -> None:
    level = exact_response().s2c.orderBookAskList[0]
    partial = level.SerializePartialToString()[9:]  # the price (tag + 8 bytes) left out
    s2c = exact_response().s2c.security.SerializeToString()
    s2c_bytes = b"\x0a" + _varint(len(s2c)) + s2c + b"\x12" + _varint(len(partial)) + partial
    body = Qot_GetOrderBook_pb2.Response(retType=0).SerializeToString() + b"\x22" + _varint(len(s2c_bytes)) + s2c_bytes
    with pytest.raises(DecodeError) as error:
        order_book_from_body(body, Qot_GetOrderBook_pb2.Response)
    assert "price" in str(error.value)


def test_failed_ret_type_is_a_decode_error() -> None:
    body = Qot_GetOrderBook_pb2.Response(retType=-1, retMsg="no quote right").SerializeToString()
    with pytest.raises(DecodeError, match="retType"):
        order_book_from_body(body, Qot_GetOrderBook_pb2.Response)


def test_check_then_normalize_reuses_the_read_only_for_unchanged_bytes() -> None:
    response = exact_response()
    s2c = response.s2c
    check_s2c(s2c)  # the client checks a push as it arrives ...
    first = order_book_from_s2c(s2c, raw=s2c)  # ... and the stream normalizes it later
    assert texts(first) == texts(checked_order_book_from_s2c(s2c)) and first.raw is s2c
    check_s2c(s2c)
    s2c.orderBookBidList[0].price = 0.25  # changed in between: read again
    changed = order_book_from_s2c(s2c)
    assert changed.bids[0].price_text == "0.25"
    assert texts(changed) == texts(checked_order_book_from_s2c(s2c))
    assert texts(order_book_from_s2c(s2c)) == texts(changed)  # and without a check first


def test_the_fast_path_is_on_for_the_generated_layout() -> None:
    assert book_module._FAST  # the descriptors match what the fast path reads


def test_checked_messages_no_stream_reads_are_let_go() -> None:
    s2c = random_response(random.Random(3), Qot_UpdateOrderBook_pb2.Response).s2c
    for _ in range(book_module._CHECKED_MAX + 10):  # e.g. pushes only order_book_updates streams take
        check_s2c(Qot_UpdateOrderBook_pb2.S2C.FromString(s2c.SerializeToString()))
    assert len(book_module._CHECKED) <= book_module._CHECKED_MAX
    assert book_module._CHECKED_BYTES[0] <= book_module._CHECKED_BYTES_MAX
    assert book_module._CHECKED_BYTES[0] == sum(len(entry[1]) for entry in book_module._CHECKED.values())
