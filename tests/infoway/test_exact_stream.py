"""Exact, and paid for only when read, on Infoway's WebSocket depth stream: each 10005 push is
read once, without building a Decimal; prices and sizes keep their wire text; `book.raw` is still
the generated `Depth` (built on its first read); a bad push is a DecodeFailure naming venue,
message and field, and the stream goes on. No I/O."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal

import msgspec
import pytest

from venuewire.credentials import InfowayCredentials
from venuewire.events import DecodeFailure
from venuewire.generated.infoway.depth import Depth
from venuewire.generated.infoway.ws_depth import WsDepthPush
from venuewire.infoway.book import order_book_from_depth
from venuewire.infoway.protocol import InfowayDepthProtocol
from venuewire.messages import decode_json
from venuewire.models import LazyMessage, OrderBook, is_built

# texts no other test builds: laziness is checked on the shared Decimal cache
LONG = "12121212121212121212.3434343434343434"  # 36 significant digits
SMALL = "0.00000000565656565656565656565"  # 21 significant digits
EXPONENT = "9.125E-9"
LOWER_EXPONENT = "6.25e2"
ZEROS = "271.82818000"


def _protocol() -> InfowayDepthProtocol:
    counter = itertools.count(1)
    return InfowayDepthProtocol(
        InfowayCredentials("k"),
        "crypto",
        ("BTCUSDT",),
        base_url="ws://127.0.0.1:1/ws",
        new_trace=lambda: f"t{next(counter)}",
    )


def _push(a: object = None, t: object = 1_747_382_976_831, **depth: object) -> str:
    asks = a if a is not None else [[LONG, EXPONENT], [SMALL, ZEROS]]
    body = {"s": "BTCUSDT", "t": t, "a": asks, "b": [[LOWER_EXPONENT], ["1"]]}
    return json.dumps({"code": 10005, "data": {**body, **depth}, "trace": "t1"})


def _only_book(items: list[object]) -> OrderBook:
    assert len(items) == 1 and isinstance(items[0], OrderBook), items
    return items[0]


def test_stream_keeps_every_text_and_builds_decimals_only_when_read() -> None:
    protocol = _protocol()
    book = _only_book(protocol.receive(_push()).items)
    assert not is_built(LONG) and not is_built(SMALL)
    assert [level.price_text for level in book.asks] == [LONG, EXPONENT]
    assert [str(level.price) for level in book.asks] == [LONG, EXPONENT]
    assert [str(level.size) for level in book.asks] == [SMALL, ZEROS]
    assert str(book.bids[0].price) == LOWER_EXPONENT and book.bids[0].price == Decimal(625)
    assert is_built(LONG) and protocol.stats.pushes == 1


def test_stream_raw_is_the_generated_depth_built_on_first_read_and_encodes_as_sent() -> None:
    frame = _push()
    book = _only_book(_protocol().receive(frame).items)
    assert isinstance(msgspec.structs.astuple(book)[-1], LazyMessage)
    encoded = json.loads(msgspec.json.encode(book))["raw"]
    assert encoded == json.loads(frame)["data"]
    raw = book.raw
    assert isinstance(raw, Depth) and raw == decode_json(WsDepthPush, frame).data and book.raw is raw
    assert raw.a[0][0] == LONG and type(raw.a[0][0]) is str  # the generated class keeps the text
    assert msgspec.structs.replace(book, raw=None) == order_book_from_depth(raw, message="ws_depth", path=("data",))


@pytest.mark.parametrize(
    ("frame", "path"),
    [
        (_push(a=[["NaN"], ["1"]]), ("data", "a", 0, 0)),
        (_push(a=[["1"], ["-Infinity"]]), ("data", "a", 1, 0)),
        (_push(a=[["1", "2"], ["3"]]), ("data", "a")),
        (_push(t=10**17), ("data", "t")),
        (_push(s=5), ("data", "s")),
    ],
)
def test_stream_bad_push_is_a_decode_failure_and_the_stream_goes_on(frame: str, path: tuple[object, ...]) -> None:
    protocol = _protocol()
    (failure,) = protocol.receive(frame).items
    assert isinstance(failure, DecodeFailure) and failure.raw == frame.encode()
    assert failure.error.venue == "infoway" and failure.error.message_name == "ws_depth"
    assert failure.error.field_path == path
    assert protocol.stats.decode_failures == 1 and protocol.stats.pushes == 0
    assert str(_only_book(protocol.receive(_push()).items).asks[0].price) == LONG


def test_a_json_number_where_the_docs_send_a_decimal_string_is_a_decode_failure_naming_it() -> None:
    # The generated Depth keeps each price's text (DecimalText), as the schema types it: a bare
    # JSON number is refused (not read through float), typed, and the stream goes on.
    protocol = _protocol()
    frame = _push(a=[["1.5"], [2]])
    (failure,) = protocol.receive(frame).items
    assert isinstance(failure, DecodeFailure) and failure.error.field_path == ("data", "a", 1, 0)
    assert "Expected `str`" in str(failure.error)
    assert str(_only_book(protocol.receive(_push()).items).asks[0].price) == LONG


def test_batch_books_keep_the_text_and_unpaired_columns_fail_as_the_generated_class_does() -> None:
    from venuewire.errors import DecodeError
    from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
    from venuewire.infoway.book import order_books_from_batch_json, order_books_from_response

    good = {"s": "A.US", "t": 1_747_382_976_831, "a": [[LONG, EXPONENT], [SMALL, ZEROS]], "b": [[], []]}
    body = json.dumps({"ret": 200, "msg": "ok", "data": [good, {**good, "s": "B.US"}]}).encode()
    books = order_books_from_batch_json(body)
    assert [str(level.price) for level in books[1].asks] == [LONG, EXPONENT]
    assert [str(level.size) for level in books[0].asks] == [SMALL, ZEROS]
    assert books == order_books_from_response(decode_json(BatchDepthResponse, body))
    unpaired = {**good, "s": "C.US", "b": [["1", "2"], ["3"]]}
    bad = json.dumps({"ret": 200, "msg": "ok", "data": [good, unpaired]}).encode()
    with pytest.raises(DecodeError) as fast:
        order_books_from_batch_json(bad)
    with pytest.raises(DecodeError) as slow:
        order_books_from_response(decode_json(BatchDepthResponse, bad))
    assert str(fast.value) == str(slow.value) and fast.value.field_path == ("data", 1, "b")
