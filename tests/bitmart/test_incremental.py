"""The locally maintained incremental books: versions in order, gaps, duplicates, updates
before the snapshot, per-symbol resynchronisation, no level surviving a reconnect."""

from __future__ import annotations

import json
import zlib
from decimal import Decimal

import msgspec
import pytest

from venuewire.bitmart import BookGap, BookGapCause, BookResynced, BookState, IncrementalBooks, SpotIncreaseProtocol
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.spot_depth_increase import IncreaseType, SpotIncreaseData
from venuewire.models import OrderBook

D = Decimal
TABLE = "spot/depth/increase100"


def entry(
    kind: str,
    version: int,
    bids: list[tuple[str, str]] = (),  # type: ignore[assignment]
    asks: list[tuple[str, str]] = (),  # type: ignore[assignment]
    symbol: str = "BTC_USDT",
) -> SpotIncreaseData:
    return SpotIncreaseData(
        asks=[(D(p), D(s)) for p, s in asks],
        bids=[(D(p), D(s)) for p, s in bids],
        ms_t=1703376836487 + version,
        symbol=symbol,
        type=IncreaseType(kind),
        version=version,
    )


SNAP = entry("snapshot", 10, bids=[("100", "1"), ("99", "2")], asks=[("101", "1"), ("102", "3")])


def prices(book: OrderBook) -> tuple[list[Decimal], list[Decimal]]:
    return [lv.price for lv in book.bids], [lv.price for lv in book.asks]


def books(*symbols: str) -> IncrementalBooks:
    return IncrementalBooks(symbols or ("BTC_USDT",), depth=100)


def test_snapshot_then_updates_in_version_order_keep_the_book() -> None:
    b = books()
    [book] = b.apply(SNAP)
    assert isinstance(book, OrderBook) and b.is_valid("BTC_USDT") and b.version("BTC_USDT") == 10
    [book] = b.apply(entry("update", 11, bids=[("100", "0"), ("100.5", "4")], asks=[("102", "2.5")]))
    assert isinstance(book, OrderBook)
    assert prices(book) == ([D("100.5"), D("99")], [D("101"), D("102")])
    assert book.asks[1].size == D("2.5") and book.raw is not None
    assert b.version("BTC_USDT") == 11 and b.take_requests() == []


def test_a_skipped_version_is_a_gap_that_asks_for_a_snapshot_and_invalidates_the_book() -> None:
    b = books()
    b.apply(SNAP)
    [gap] = b.apply(entry("update", 12, bids=[("98", "1")]))
    assert gap == BookGap("BTC_USDT", expected=11, received=12, cause=BookGapCause.GAP)
    assert not b.is_valid("BTC_USDT") and b.book("BTC_USDT") is None
    assert b.state("BTC_USDT") is BookState.RESYNCING
    assert b.take_requests() == ["BTC_USDT"] and b.take_requests() == []
    assert b.apply(entry("update", 13, asks=[("101", "0")])) == []  # buffered while resyncing


def test_resync_replays_buffered_updates_newer_than_the_snapshot() -> None:
    b = books()
    b.apply(SNAP)
    b.apply(entry("update", 12, bids=[("98", "1")]))
    b.apply(entry("update", 13, bids=[("97", "1")]))
    b.apply(entry("update", 14, asks=[("103", "1")]))
    out = b.apply(entry("snapshot", 12, bids=[("98", "1"), ("96", "5")], asks=[("104", "1")]))
    assert out[0] == BookResynced("BTC_USDT", version=14, replayed=2)
    book = out[1]
    assert isinstance(book, OrderBook)
    assert prices(book) == ([D("98"), D("97"), D("96")], [D("103"), D("104")])  # nothing from before the gap
    assert b.is_valid("BTC_USDT") and b.version("BTC_USDT") == 14


def test_a_repeated_version_is_a_duplicate() -> None:
    b = books()
    b.apply(SNAP)
    b.apply(entry("update", 11))
    [gap] = b.apply(entry("update", 11))
    assert gap == BookGap("BTC_USDT", expected=12, received=11, cause=BookGapCause.DUPLICATE)
    assert not b.is_valid("BTC_USDT")


def test_an_older_version_is_a_duplicate_too() -> None:
    b = books()
    b.apply(SNAP)
    [gap] = b.apply(entry("update", 9))
    assert isinstance(gap, BookGap) and gap.cause is BookGapCause.DUPLICATE and gap.received == 9


def test_an_update_before_the_snapshot_is_reported_once_then_buffered_and_replayed() -> None:
    b = books()
    [gap] = b.apply(entry("update", 11, bids=[("100", "7")]))
    assert gap == BookGap("BTC_USDT", expected=None, received=11, cause=BookGapCause.BEFORE_SNAPSHOT)
    assert b.apply(entry("update", 12, asks=[("101", "0")])) == []
    assert b.take_requests() == ["BTC_USDT"]
    resynced, book = b.apply(SNAP)
    assert resynced == BookResynced("BTC_USDT", version=12, replayed=2)
    assert isinstance(book, OrderBook)
    assert book.bids[0].size == D("7") and prices(book)[1] == [D("102")]


def test_a_hole_among_the_buffered_updates_is_a_new_gap_and_a_new_request() -> None:
    b = books()
    b.apply(SNAP)
    b.apply(entry("update", 12))
    b.take_requests()
    b.apply(entry("update", 15))
    [gap] = b.apply(entry("snapshot", 11))
    assert gap == BookGap("BTC_USDT", expected=13, received=15, cause=BookGapCause.GAP)
    assert not b.is_valid("BTC_USDT") and b.take_requests() == ["BTC_USDT"]
    resynced, _book = b.apply(entry("snapshot", 14))
    assert resynced == BookResynced("BTC_USDT", version=15, replayed=1)


def test_each_symbol_is_resynchronised_alone() -> None:
    b = books("BTC_USDT", "ETH_USDT")
    b.apply(SNAP)
    b.apply(entry("snapshot", 50, bids=[("10", "1")], symbol="ETH_USDT"))
    [gap] = b.apply(entry("update", 13))
    assert isinstance(gap, BookGap) and gap.symbol == "BTC_USDT"
    assert b.take_requests() == ["BTC_USDT"]
    [book] = b.apply(entry("update", 51, bids=[("10", "2")], symbol="ETH_USDT"))
    assert isinstance(book, OrderBook) and book.symbol == "ETH_USDT" and book.bids[0].size == D("2")
    assert b.is_valid("ETH_USDT") and not b.is_valid("BTC_USDT")


def test_after_a_reset_no_level_from_before_survives_unless_the_new_snapshot_has_it() -> None:
    b = books()
    b.apply(SNAP)
    b.apply(entry("update", 11, bids=[("99.5", "3")]))
    b.reset()
    assert not b.is_valid("BTC_USDT") and b.book("BTC_USDT") is None
    resynced, book = b.apply(entry("snapshot", 500, bids=[("99", "2")], asks=[("105", "1")]))
    assert resynced == BookResynced("BTC_USDT", version=500, replayed=0)
    assert isinstance(book, OrderBook)
    assert prices(book) == ([D("99")], [D("105")])


def test_a_first_snapshot_is_not_a_resync() -> None:
    assert [type(x) for x in books().apply(SNAP)] == [OrderBook]


def test_each_side_keeps_only_the_best_depth_levels() -> None:
    b = IncrementalBooks(["BTC_USDT"], depth=2)
    b.apply(SNAP)
    [book] = b.apply(entry("update", 11, bids=[("100.5", "1")], asks=[("100.8", "1")]))
    assert isinstance(book, OrderBook)
    assert prices(book) == ([D("100.5"), D("100")], [D("100.8"), D("101")])
    [book] = b.apply(entry("update", 12, bids=[("100.5", "0")], asks=[("100.8", "0")]))
    assert isinstance(book, OrderBook)
    assert prices(book) == ([D("100")], [D("101")])  # the levels pushed out are gone, not ghosts


def test_entries_of_another_symbol_are_ignored() -> None:
    assert books().apply(entry("update", 1, symbol="ETH_USDT")) == []


# ---------------------------------------------------------------- the protocol around the books


def frame(*entries: SpotIncreaseData) -> bytes:
    raw = msgspec.json.encode({"table": TABLE, "data": list(entries)})
    compressor = zlib.compressobj(-1, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(raw) + compressor.flush()


def test_protocol_subscribes_and_requests_a_snapshot_on_a_gap() -> None:
    p = SpotIncreaseProtocol("ws://127.0.0.1:1/api", ["BTC_USDT", "ETH_USDT"])
    [sub] = p.opening()
    assert json.loads(sub) == {
        "op": "subscribe",
        "args": ["spot/depth/increase100:BTC_USDT", "spot/depth/increase100:ETH_USDT"],
    }
    assert isinstance(p.receive(frame(SNAP)).items[0], OrderBook)
    reaction = p.receive(frame(entry("update", 12)))
    assert [type(i) for i in reaction.items] == [BookGap]
    assert [json.loads(f) for f in reaction.send] == [{"op": "request", "args": ["spot/depth/increase100:BTC_USDT"]}]
    assert not p.is_valid("BTC_USDT") and p.requests_sent == 1


def test_protocol_reconnect_drops_every_level() -> None:
    p = SpotIncreaseProtocol("ws://127.0.0.1:1/api", "BTC_USDT")
    p.opening()
    p.receive(frame(SNAP))
    assert p.is_valid("BTC_USDT")
    p.opening()  # what WsStream calls on every reconnect
    assert not p.is_valid("BTC_USDT")
    items = p.receive(frame(entry("snapshot", 900, bids=[("1", "1")]))).items
    assert isinstance(items[0], BookResynced)
    book = items[1]
    assert isinstance(book, OrderBook) and prices(book) == ([D("1")], [])


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "sNaN"])
def test_a_non_finite_level_is_a_decode_failure_and_not_applied(bad: str) -> None:
    p = SpotIncreaseProtocol("ws://127.0.0.1:1/api", "BTC_USDT")
    p.opening()
    p.receive(frame(SNAP))
    [failure] = p.receive(frame(entry("update", 11, bids=[(bad, "1")]))).items
    assert isinstance(failure, DecodeFailure)
    assert failure.error.field_path == ("data", 0, "bids", 0, 0)
    [gap] = p.receive(frame(entry("update", 12))).items  # the lost update shows as a gap
    assert isinstance(gap, BookGap) and gap.expected == 11


def test_a_frame_that_is_not_the_schema_is_a_decode_failure() -> None:
    p = SpotIncreaseProtocol("ws://127.0.0.1:1/api", "BTC_USDT")
    p.opening()
    raw = (
        b'{"table":"spot/depth/increase100","data":'
        b'[{"asks":[],"bids":[],"ms_t":1,"symbol":"BTC_USDT","type":"x","version":1}]}'
    )
    [failure] = p.receive(raw.decode()).items
    assert isinstance(failure, DecodeFailure) and failure.error.field_path == ("data", 0, "type")
