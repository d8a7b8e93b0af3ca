"""Symbols <-> Security, and the normalized OrderBook built from OpenD replies and pushes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

import venuewire
from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.opend.book import check_s2c
from venuewire.opend.symbols import format_symbol, parse_symbol, symbol_of, to_security

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "futu"


@pytest.mark.parametrize(
    ("symbol", "market", "code"),
    [
        ("HK.00700", 1, "00700"),
        ("US.AAPL", 11, "AAPL"),
        ("SH.600000", 21, "600000"),
        ("SZ.000001", 22, "000001"),
        ("SG.D05", 31, "D05"),
        ("JP.7203", 41, "7203"),
        ("US.BRK.B", 11, "BRK.B"),
        ("hk.00700", 1, "00700"),
    ],
)
def test_symbols_map_to_securities_and_back(symbol, market, code):
    assert parse_symbol(symbol) == (market, code)
    security = to_security(symbol)
    assert (security.market, security.code) == (market, code)
    assert symbol_of(security) == f"{symbol.split('.', 1)[0].upper()}.{code}"


@pytest.mark.parametrize("bad", ["XX.00700", "HK", "HK.", "HK. 700", "00700", "", "HK.$$$"])
def test_bad_symbols_raise_value_error_naming_the_input(bad):
    with pytest.raises(ValueError, match=repr(bad).replace("$", r"\$").replace(".", r"\.")):
        parse_symbol(bad)


def test_unknown_market_number_has_no_symbol():
    with pytest.raises(ValueError, match="market 999"):
        format_symbol(999, "X")


def test_order_book_from_the_seed_reply_uses_asks_and_bids_the_right_way_round():
    text = (FIXTURES / "Qot_GetOrderBook.Response" / "seed_cpp_example.json").read_text()
    s2c = venuewire.decode_proto_json(Qot_GetOrderBook_pb2.Response, text).s2c
    book = venuewire.order_book_from_s2c(s2c)
    assert (book.venue, book.symbol) == ("futu", "HK.00700")
    assert book.best_ask is not None and book.best_bid is not None
    assert book.best_ask.price == Decimal("601") and book.best_ask.size == Decimal(20400)
    assert book.best_bid.price == Decimal("600.5") and book.best_bid.order_count == 1
    assert book.spread == Decimal("0.5")
    assert [lv.price for lv in book.asks] == sorted(lv.price for lv in book.asks)
    assert [lv.price for lv in book.bids] == sorted((lv.price for lv in book.bids), reverse=True)


def test_hp_volume_wins_and_order_details_and_times_are_kept():
    text = (FIXTURES / "Qot_GetOrderBook.Response" / "hk_with_details_and_hp_volume.json").read_text()
    book = venuewire.order_book_from_s2c(venuewire.decode_proto_json(Qot_GetOrderBook_pb2.Response, text).s2c)
    ask = book.asks[0]
    assert ask.size == Decimal("20400.5")
    assert [(o.order_id, o.size) for o in ask.orders] == [("9223372036854775807", Decimal(20000)), ("17", Decimal(400))]
    assert book.bids[0].size == 0 and book.bids[0].order_count == 0
    assert book.bid_timestamp == datetime.fromtimestamp(1744018200.12, UTC)
    assert book.name == "TENCENT"


def test_push_s2c_normalizes_the_same_way():
    text = (FIXTURES / "Qot_UpdateOrderBook.Response" / "push_us.json").read_text()
    s2c = venuewire.decode_proto_json(Qot_UpdateOrderBook_pb2.Response, text).s2c
    book = venuewire.order_book_from_s2c(s2c)
    assert book.symbol == "US.AAPL"
    assert book.asks[1].price == Decimal("181.79")
    assert book.bid_timestamp is None


@pytest.mark.parametrize(
    ("symbol", "market", "code"),
    [("HK_FUTURE.999010", 2, "999010"), ("hk_future.HSImain", 2, "HSImain"), ("EC.KXBTC-25DEC", 101, "KXBTC-25DEC")],
)
def test_hk_future_and_event_contract_markets_format_and_parse_both_ways(symbol, market, code):
    assert parse_symbol(symbol) == (market, code)
    assert format_symbol(market, code) == f"{symbol.split('.', 1)[0].upper()}.{code}"
    assert parse_symbol(format_symbol(market, code)) == (market, code)


def test_every_market_prefix_maps_as_the_official_client_maps_it():
    import signal

    saved = signal.getsignal(signal.SIGINT)
    try:
        from futu.common.constant import Market
    finally:
        signal.signal(signal.SIGINT, saved)  # futu-api replaces the SIGINT handler on import
    theirs = {prefix: number for prefix, number in Market().load_dic().items() if number != 0}
    ours = {prefix: parse_symbol(f"{prefix}.X")[0] for prefix in theirs}
    assert ours == theirs
    assert {prefix: format_symbol(number, "X").split(".")[0] for prefix, number in theirs.items()} == {
        prefix: prefix for prefix in theirs
    }


def _s2c_with(**changes: float) -> Qot_GetOrderBook_pb2.S2C:
    text = (FIXTURES / "Qot_GetOrderBook.Response" / "hk_with_details_and_hp_volume.json").read_text()
    s2c = venuewire.decode_proto_json(Qot_GetOrderBook_pb2.Response, text).s2c
    for name, value in changes.items():
        if name == "ask_price":
            s2c.orderBookAskList[0].price = value
        elif name == "bid_price":
            s2c.orderBookBidList[0].price = value
        elif name == "hp_volume":
            s2c.orderBookAskList[0].hpVolume = value
        else:
            setattr(s2c, name, value)
    return s2c


@pytest.mark.parametrize(
    ("change", "value", "path"),
    [
        ("ask_price", float("nan"), ("orderBookAskList", 0, "price")),
        ("bid_price", float("inf"), ("orderBookBidList", 0, "price")),
        ("bid_price", float("-inf"), ("orderBookBidList", 0, "price")),
        ("hp_volume", float("nan"), ("orderBookAskList", 0, "hpVolume")),
        ("hp_volume", float("inf"), ("orderBookAskList", 0, "hpVolume")),
        ("svrRecvTimeBidTimestamp", float("nan"), ("svrRecvTimeBidTimestamp",)),
        ("svrRecvTimeBidTimestamp", float("inf"), ("svrRecvTimeBidTimestamp",)),
        ("svrRecvTimeAskTimestamp", 1e300, ("svrRecvTimeAskTimestamp",)),
        ("svrRecvTimeAskTimestamp", 1e17, ("svrRecvTimeAskTimestamp",)),
    ],
)
def test_non_finite_doubles_and_out_of_range_times_are_decode_errors_naming_the_field(change, value, path):
    s2c = _s2c_with(**{change: value})
    for check in (venuewire.order_book_from_s2c, lambda s: check_s2c(s, "Qot_GetOrderBook.S2C")):
        with pytest.raises(venuewire.DecodeError) as caught:
            check(s2c)
        assert caught.value.venue == "futu"
        assert caught.value.field_path == path
        assert "S2C" in caught.value.message_name


def test_a_finite_book_passes_the_check_unchanged():
    s2c = _s2c_with()
    before = s2c.SerializeToString()
    check_s2c(s2c, "Qot_GetOrderBook.S2C")
    assert s2c.SerializeToString() == before
