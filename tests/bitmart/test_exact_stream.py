"""Exact, and paid for only when read, on BitMart's depth streams: the legacy and v3
protocols read each push without building a Decimal, every price and size keeps its wire text,
`book.raw` is still the generated message (built on its first read), and a bad push is still a
DecodeFailure naming venue, message and field, after which the stream goes on. No I/O."""

from __future__ import annotations

import json
import zlib
from decimal import Decimal

import msgspec
import pytest

from venuewire.bitmart.book import order_book_from_legacy, order_book_from_spot
from venuewire.bitmart.protocol import LegacyDepthProtocol, SpotDepthProtocol, inflate
from venuewire.errors import DecodeError
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthData, SpotDepthPush
from venuewire.messages import decode_json
from venuewire.models import LazyMessage, OrderBook, is_built
from venuewire.sim.bitmart import deflate

URL = "ws://127.0.0.1:1/api?protocol=1.1"
# texts no other test builds: laziness is checked on the shared Decimal cache
LONG = "98765432109876543210.987654321012"  # 32 significant digits: no float holds it
SMALL = "0.000000000000000000012345678901234567891"  # 20+ significant digits after 20 zeros
EXPONENT = "4.25E-7"  # Decimal prints it "4.25E-7", as sent; lower case stays lower case below
LOWER_EXPONENT = "7.5e+3"
ZEROS = "31415.92650000"
BIG_COUNT = 2**53 + 1  # a whole number a float would round


def _legacy_frame(price: str = LONG, amount: str = SMALL, count: str = str(BIG_COUNT), **top: object) -> str:
    level = {"amount": amount, "total": amount, "price": price, "count": count}
    other = {"amount": ZEROS, "total": ZEROS, "price": LOWER_EXPONENT, "count": "2"}
    push = {"subscribe": "depth", "symbol": "BMX_ETH", "precision": 6, "data": {"buys": [level], "sells": [other]}}
    return json.dumps({**push, **top})


def _spot_text(asks: list[list[str]] | None = None, ms_t: int = 1_700_000_000_123) -> bytes:
    entry = {
        "asks": asks if asks is not None else [[LONG, SMALL], [EXPONENT, ZEROS]],
        "bids": [[LOWER_EXPONENT, "2"]],
        "ms_t": ms_t,
        "symbol": "BTC_USDT",
    }
    return json.dumps({"table": "spot/depth5", "data": [entry]}).encode()


def _only_book(items: list[object]) -> OrderBook:
    assert len(items) == 1 and isinstance(items[0], OrderBook), items
    return items[0]


def test_legacy_stream_keeps_every_text_and_builds_decimals_only_when_read() -> None:
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    book = _only_book(protocol.receive(_legacy_frame()).items)
    level = book.bids[0]
    assert not is_built(LONG) and not is_built(SMALL)  # nothing built until read
    assert level.price_text == LONG and str(level.price) == LONG and level.price == Decimal(LONG)
    assert str(level.size) == SMALL and level.order_count == BIG_COUNT
    assert str(book.asks[0].price) == LOWER_EXPONENT and str(book.asks[0].size) == ZEROS
    assert is_built(LONG) and isinstance(level.price, Decimal)


def test_legacy_stream_raw_is_the_generated_push_built_on_first_read() -> None:
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    frame = _legacy_frame()
    book = _only_book(protocol.receive(frame).items)
    kept = msgspec.structs.astuple(book)[-1]
    assert isinstance(kept, LazyMessage)  # the slot holds the text mirror
    raw = book.raw
    assert isinstance(raw, LegacyDepthPush) and raw == decode_json(LegacyDepthPush, frame)
    assert book.raw is raw  # built once
    assert msgspec.structs.replace(book, raw=None) == order_book_from_legacy(raw)
    assert raw.data.buys[0].price == LONG and raw.data.buys[0].count == str(BIG_COUNT)  # DecimalText
    assert json.loads(msgspec.json.encode(book))["raw"] == json.loads(frame) == json.loads(msgspec.json.encode(raw))


@pytest.mark.parametrize(
    ("frame", "path"),
    [
        (_legacy_frame(price="NaN"), ("data", "buys", 0, "price")),
        (_legacy_frame(amount="Infinity"), ("data", "buys", 0, "amount")),
        (_legacy_frame(count="1.5"), ("data", "buys", 0, "count")),
        (_legacy_frame(price="1..2"), ("data", "buys", 0, "price")),
        (_legacy_frame(precision="6"), ("precision",)),
        (_legacy_frame(symbol=7), ("symbol",)),
    ],
)
def test_legacy_stream_bad_push_is_a_decode_failure_and_the_stream_goes_on(frame: str, path: tuple[object]) -> None:
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    (failure,) = protocol.receive(frame).items
    assert isinstance(failure, DecodeFailure)
    assert failure.error.venue == "bitmart" and failure.error.message_name == "legacy_depth"
    assert failure.error.field_path == path and failure.raw == frame.encode()
    assert str(_only_book(protocol.receive(_legacy_frame()).items).bids[0].price) == LONG


def test_legacy_stream_refuses_a_json_number_where_the_schema_says_decimal_string() -> None:
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    frame = _legacy_frame().replace(f'"price": "{LONG}"', f'"price": {LONG}')
    (failure,) = protocol.receive(frame).items
    assert isinstance(failure, DecodeFailure) and failure.error.field_path == ("data", "buys", 0, "price")
    assert isinstance(_only_book(protocol.receive(_legacy_frame()).items).raw, LegacyDepthPush)


def test_generated_depth_classes_hold_the_wire_text() -> None:
    push = decode_json(LegacyDepthPush, _legacy_frame())
    level = push.data.buys[0]
    assert (level.price, level.amount, level.count) == (LONG, SMALL, str(BIG_COUNT))
    assert type(level.price) is str and order_book_from_legacy(push).bids[0].order_count == BIG_COUNT
    spot = decode_json(SpotDepthPush, _spot_text()).data[0]
    assert spot.asks == [(LONG, SMALL), (EXPONENT, ZEROS)] and spot.bids == [(LOWER_EXPONENT, "2")]
    assert [str(level.price) for level in order_book_from_spot(spot).asks] == [LONG, EXPONENT]


def test_v3_stream_keeps_every_text_both_as_binary_and_text_frames() -> None:
    protocol = SpotDepthProtocol(URL, "BTC_USDT", 5)
    text = _spot_text()
    for frame in (deflate(text), text.decode()):
        book = _only_book(protocol.receive(frame).items)
        assert [level.price_text for level in book.asks] == [LONG, EXPONENT]
        assert [str(level.price) for level in book.asks] == [LONG, EXPONENT]
        assert [str(level.size) for level in book.asks] == [SMALL, ZEROS]
        assert str(book.bids[0].price) == LOWER_EXPONENT and book.bids[0].price == Decimal("7500")
        assert book.timestamp is not None and book.timestamp.microsecond == 123_000


def test_v3_stream_raw_is_the_generated_entry_and_encodes_as_sent() -> None:
    protocol = SpotDepthProtocol(URL, "BTC_USDT", 5)
    text = _spot_text()
    book = _only_book(protocol.receive(deflate(text)).items)
    encoded = json.loads(msgspec.json.encode(book))["raw"]
    raw = book.raw
    assert isinstance(raw, SpotDepthData) and raw == decode_json(SpotDepthPush, text).data[0] and book.raw is raw
    assert encoded == json.loads(text)["data"][0] == json.loads(msgspec.json.encode(raw))  # as sent
    assert msgspec.structs.replace(book, raw=None) == order_book_from_spot(raw)


def test_v3_stream_bad_entry_fails_alone_and_the_stream_goes_on() -> None:
    protocol = SpotDepthProtocol(URL, "BTC_USDT", 5)
    good = json.loads(_spot_text())["data"][0]
    bad_time = {**good, "ms_t": 10**17}
    bad_price = {**good, "asks": [["sNaN", "1"]]}
    frame = json.dumps({"table": "spot/depth5", "data": [good, bad_time, bad_price]}).encode()
    items = protocol.receive(deflate(frame)).items
    assert isinstance(items[0], OrderBook) and str(items[0].asks[0].price) == LONG
    assert isinstance(items[1], DecodeFailure) and items[1].error.field_path == ("data", 1, "ms_t")
    assert isinstance(items[2], DecodeFailure) and items[2].error.field_path == ("data", 2, "asks", 0, 0)
    assert all(i.error.venue == "bitmart" and i.error.message_name == "spot_depth" for i in items[1:])  # type: ignore[union-attr]
    assert str(_only_book(protocol.receive(deflate(_spot_text())).items).asks[1].size) == ZEROS


def test_inflate_one_shot_and_incremental_paths_agree() -> None:
    text = _spot_text()
    whole = deflate(text)
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    unfinished = compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)  # no final block
    assert inflate(whole, 1 << 20) == text and inflate(unfinished, 1 << 20) == text
    assert inflate(whole, len(text)) == text  # the frame may inflate past the cap: incremental path
    with pytest.raises(DecodeError, match="inflates to more than"):
        inflate(whole, len(text) - 1)
    with pytest.raises(DecodeError, match="not raw DEFLATE"):
        inflate(b"\xff\xfe not deflate", 1 << 20)
    bomb = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bomb.compress(b"0" * (1 << 20)) + bomb.flush()
    with pytest.raises(DecodeError, match="inflates to more than"):
        inflate(zeros, 1 << 16)


def test_the_generated_depth_fields_are_decimal_text() -> None:
    from typing import get_type_hints

    from venuewire.generated.bitmart.legacy_depth import LegacyLevel
    from venuewire.values import DecimalText

    levels = get_type_hints(LegacyLevel)
    assert [levels[name] for name in ("price", "amount", "total", "count")] == [DecimalText] * 4
    assert get_type_hints(SpotDepthData)["asks"] == list[tuple[DecimalText, DecimalText]]
