"""The pure BitMart market-data code: channel names and frames, what each of the ticker,
bookTicker, trade and kline protocols makes of every frame kind (fixtures, DEFLATE, bad
entries, unknown fields, events). No I/O."""

from __future__ import annotations

import json
import re
import zlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from venuewire.bitmart.market import (
    KLINE_STEPS,
    SpotKlineProtocol,
    SpotQuoteProtocol,
    SpotTickerProtocol,
    SpotTradeProtocol,
    book_ticker_channel,
    candle_from_spot,
    check_step,
    kline_channel,
    market_subscribe_frames,
    quote_from_ticker,
    quote_with_top,
    step_of_table,
    ticker_channel,
    trade_channel,
    trade_from_spot,
)
from venuewire.bitmart.protocol import MAX_TOPICS_PER_SUBSCRIBE
from venuewire.errors import DecodeError, InvalidRequest
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.spot_book_ticker import SpotBookTickerData, SpotBookTickerPush
from venuewire.generated.bitmart.spot_kline import SpotKlinePush
from venuewire.generated.bitmart.spot_market_subscribe import MarketOp, SpotMarketSubscribe
from venuewire.generated.bitmart.spot_ticker import SpotTickerPush
from venuewire.generated.bitmart.spot_trade import SpotTradePush
from venuewire.generated.registry import (
    WS_BITMART_SPOT_BOOK_TICKER,
    WS_BITMART_SPOT_KLINE,
    WS_BITMART_SPOT_TICKER,
    WS_BITMART_SPOT_TRADE,
)
from venuewire.messages import decode_json
from venuewire.models import Candle, Quote, Trade
from venuewire.sim.bitmart import deflate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bitmart"
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "json" / "bitmart"
URL = "ws://127.0.0.1:1/api?protocol=1.1"


def fixture(message: str, name: str) -> str:
    """A fixture as a TEXT frame (BINARY frames are DEFLATE: `deflate(fixture(...).encode())`)."""
    return (FIXTURES / message / name).read_text()


def frame(table: str, *entries: dict[str, Any], **extra: Any) -> str:
    return json.dumps({"table": table, "data": list(entries), **extra})


def at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


TICK = json.loads(fixture("spot_ticker", "btc_usdt.json"))["data"][0]
TOP = json.loads(fixture("spot_book_ticker", "btc_usdt.json"))["data"][0]
TRADES = json.loads(fixture("spot_trade", "two_trades.json"))["data"]
KLINE = json.loads(fixture("spot_kline", "kline1m.json"))["data"][0]


def items(reaction: Any) -> list[Any]:
    assert reaction.fatal is None and reaction.send == []
    return list(reaction.items)


def failure(item: object) -> DecodeError:
    assert isinstance(item, DecodeFailure), item
    assert item.error.venue == "bitmart"
    return item.error


# ---------------------------------------------------------------- channels and frames


def test_channels_come_from_the_registry_templates():
    assert (
        ticker_channel("BTC_USDT") == WS_BITMART_SPOT_TICKER.channel.format(symbol="BTC_USDT") == "spot/ticker:BTC_USDT"
    )
    assert book_ticker_channel("BTC_USDT") == "spot/bookTicker:BTC_USDT"
    assert WS_BITMART_SPOT_BOOK_TICKER.channel == "spot/bookTicker:{symbol}"
    assert trade_channel("ETH_USDT") == "spot/trade:ETH_USDT"
    assert kline_channel("BTC_USDT", "1H") == "spot/kline1H:BTC_USDT"


def test_every_documented_step_is_data_and_matches_the_schema_pattern():
    assert KLINE_STEPS == ("1m", "3m", "5m", "15m", "30m", "45m", "1H", "2H", "3H", "4H", "1D", "1W", "1M")
    pattern = json.loads((SCHEMAS / "spot_market_subscribe.json").read_text())["$defs"]["MarketChannel"]["pattern"]
    schema_steps = re.search(r"kline\(([^)]*)\)", pattern)
    assert schema_steps is not None and tuple(schema_steps.group(1).split("|")) == KLINE_STEPS
    for step in KLINE_STEPS:
        assert check_step(step) == step
        decoded = decode_json(SpotMarketSubscribe, market_subscribe_frames([kline_channel("A_B", step)])[0])
        assert decoded.args == [f"spot/kline{step}:A_B"]


@pytest.mark.parametrize("step", ["1h", "2m", "", "1", "1MM", 1, None])
def test_an_unknown_step_is_refused_naming_it(step):
    with pytest.raises(ValueError, match="step"):
        check_step(step)
    with pytest.raises(ValueError, match="step"):
        SpotKlineProtocol(URL, "BTC_USDT", step)


@pytest.mark.parametrize("symbol", ["BTCUSDT", "BTC_", "", "BTC USDT", ["BTC_USDT", "BTC_USDT"], []])
def test_bad_symbols_are_refused_before_anything_is_sent(symbol):
    for make in (SpotTickerProtocol, SpotQuoteProtocol, SpotTradeProtocol):
        with pytest.raises(ValueError, match="symbol"):
            make(URL, symbol)


def test_subscribe_and_unsubscribe_frames_respect_the_topic_limit():
    symbols = [f"C{i}_USDT" for i in range(MAX_TOPICS_PER_SUBSCRIBE + 3)]
    proto = SpotTradeProtocol(URL, symbols)
    assert len(proto.subscribe_frames) == 2 and len(proto.unsubscribe_frames) == 2
    first = decode_json(SpotMarketSubscribe, proto.subscribe_frames[0])
    assert first.op is MarketOp.subscribe and len(first.args) == MAX_TOPICS_PER_SUBSCRIBE
    last = decode_json(SpotMarketSubscribe, proto.unsubscribe_frames[1])
    assert last.op is MarketOp.unsubscribe and last.args == [trade_channel(s) for s in symbols[-3:]]
    assert proto.opening() == proto.subscribe_frames  # public: never a login
    with pytest.raises(ValueError):
        market_subscribe_frames([])


def test_the_quote_stream_subscribes_tickers_then_book_tickers():
    proto = SpotQuoteProtocol(URL, ["BTC_USDT", "ETH_USDT"])
    (frame_,) = proto.opening()
    assert json.loads(frame_) == {
        "op": "subscribe",
        "args": [
            "spot/ticker:BTC_USDT",
            "spot/ticker:ETH_USDT",
            "spot/bookTicker:BTC_USDT",
            "spot/bookTicker:ETH_USDT",
        ],
    }
    assert proto.ws_channel is WS_BITMART_SPOT_BOOK_TICKER


def test_each_protocol_takes_its_silence_thresholds_from_its_registry_channel():
    assert SpotTickerProtocol(URL, "A_B").ws_channel is WS_BITMART_SPOT_TICKER
    assert SpotTradeProtocol(URL, "A_B").ws_channel is WS_BITMART_SPOT_TRADE
    assert SpotKlineProtocol(URL, "A_B", "5m").ws_channel is WS_BITMART_SPOT_KLINE
    for channel in (WS_BITMART_SPOT_TICKER, WS_BITMART_SPOT_BOOK_TICKER, WS_BITMART_SPOT_TRADE, WS_BITMART_SPOT_KLINE):
        assert channel.stale_after_s and channel.reconnect_after_s and channel.stale_after_s < channel.reconnect_after_s


# ---------------------------------------------------------------- ticker


def test_a_ticker_maps_every_field_to_the_quote():
    (quote,) = items(SpotTickerProtocol(URL, "BTC_USDT").receive(fixture("spot_ticker", "btc_usdt.json")))
    assert isinstance(quote, Quote)
    assert (quote.venue, quote.symbol) == ("bitmart", "BTC_USDT")
    assert (quote.price, quote.open, quote.high, quote.low) == tuple(
        Decimal(TICK[k]) for k in ("last_price", "open_24h", "high_24h", "low_24h")
    )
    assert quote.prev_close == Decimal(TICK["open_24h"])
    assert str(quote.volume) == "1493.28150" and str(quote.turnover) == "78615593.8100"  # text kept
    assert (str(quote.bid), str(quote.bid_size), str(quote.ask), str(quote.ask_size)) == (
        "52638.30",
        "0.01500",
        "52638.31",
        "0.20000",
    )
    assert quote.updated_at == at(TICK["ms_t"])  # ms_t preferred over s_t
    assert quote.raw == decode_json(SpotTickerPush, fixture("spot_ticker", "btc_usdt.json")).data[0]


def test_a_ticker_with_seconds_only_and_no_book_fields():
    (quote,) = items(SpotTickerProtocol(URL, "BTC_USDT").receive(fixture("spot_ticker", "seconds_only.json")))
    assert quote.updated_at == datetime.fromtimestamp(1630981727, UTC)
    assert (quote.turnover, quote.bid, quote.bid_size, quote.ask, quote.ask_size) == (None,) * 5


def test_a_ticker_frame_of_two_symbols_and_a_tiny_price_keeps_its_text():
    tiny = dict(TICK, symbol="SHIB_USDT", last_price="0.00000010", low_24h="0.00000009")
    out = items(
        SpotTickerProtocol(URL, ["BTC_USDT", "SHIB_USDT"]).receive(deflate(frame("spot/ticker", TICK, tiny).encode()))
    )
    assert [q.symbol for q in out] == ["BTC_USDT", "SHIB_USDT"]
    assert str(out[1].price) == "0.00000010" and out[1].price == Decimal("1.0E-7")
    assert f"{out[1].low}" == "0.00000009"


def test_unknown_fields_are_ignored():
    extra = dict(TICK, brand_new_field={"nested": [1, 2]}, another="x")
    (quote,) = items(SpotTickerProtocol(URL, "BTC_USDT").receive(frame("spot/ticker", extra, version=7)))
    assert quote.price == Decimal(TICK["last_price"])
    (trade,) = items(SpotTradeProtocol(URL, "BTC_USDT").receive(frame("spot/trade", dict(TRADES[0], trade_id="9"))))
    assert trade.trade_id is None and trade.price == Decimal("52700.50")


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("last_price", "NaN", ("data", 1, "last_price")),
        ("high_24h", "Infinity", ("data", 1, "high_24h")),
        ("bid_sz", "-Infinity", ("data", 1, "bid_sz")),
        ("ms_t", 10**16, ("data", 1, "ms_t")),
        ("open_24h", None, ("data", 1, "open_24h")),
    ],
)
def test_a_bad_ticker_entry_is_a_decode_failure_naming_the_field_and_the_others_go_on(field, value, path):
    bad = dict(TICK, symbol="ETH_USDT", **{field: value})
    good = dict(TICK, symbol="XRP_USDT")
    out = items(SpotTickerProtocol(URL, "BTC_USDT").receive(frame("spot/ticker", TICK, bad, good)))
    if value is None:  # a schema violation fails the whole frame, naming the entry's field
        (only,) = out
        error = failure(only)
    else:
        assert [getattr(q, "symbol", None) for q in out] == ["BTC_USDT", None, "XRP_USDT"]
        error = failure(out[1])
    assert error.message_name == "spot_ticker" and error.field_path == path


# ---------------------------------------------------------------- bookTicker on the quote stream


def test_a_book_ticker_before_any_ticker_waits_then_updates_the_latest_quote():
    proto = SpotQuoteProtocol(URL, "BTC_USDT")
    proto.opening()
    assert items(proto.receive(deflate(fixture("spot_book_ticker", "btc_usdt.json").encode()))) == []
    assert proto.waiting == 1
    (ticker,) = items(proto.receive(fixture("spot_ticker", "btc_usdt.json")))
    top = dict(TOP, bid_px="52640.00", bid_sz="1.5", ask_px="52640.01", ask_sz="0.00100", ms_t=1630981728000)
    (quote,) = items(proto.receive(frame("spot/bookTicker", top)))
    assert (quote.price, quote.volume, quote.high) == (ticker.price, ticker.volume, ticker.high)
    assert (str(quote.bid), str(quote.bid_size), str(quote.ask), str(quote.ask_size)) == (
        "52640.00",
        "1.5",
        "52640.01",
        "0.00100",
    )
    assert quote.updated_at == at(1630981728000)
    assert isinstance(quote.raw, SpotBookTickerData) and quote.raw.ms_t == 1630981728000
    assert proto.latest["BTC_USDT"] is quote
    proto.opening()  # a reconnection forgets the latest quotes
    assert items(proto.receive(frame("spot/bookTicker", top))) == [] and proto.waiting == 2


def test_a_bad_book_ticker_is_a_decode_failure_even_before_the_first_ticker():
    proto = SpotQuoteProtocol(URL, "BTC_USDT")
    (item,) = items(proto.receive(frame("spot/bookTicker", dict(TOP, ask_px="NaN"))))
    assert failure(item).field_path == ("data", 0, "ask_px")
    assert proto.waiting == 0
    items(proto.receive(fixture("spot_ticker", "btc_usdt.json")))
    (item,) = items(proto.receive(frame("spot/bookTicker", dict(TOP, ms_t=-(10**15)))))
    error = failure(item)
    assert (error.message_name, error.field_path) == ("spot_book_ticker", ("data", 0, "ms_t"))
    (item,) = items(proto.receive(frame("spot/bookTicker", {"symbol": "BTC_USDT"})))
    assert failure(item).message_name == "spot_book_ticker"


def test_quote_with_top_refuses_another_symbols_top():
    quote = quote_from_ticker(decode_json(SpotTickerPush, fixture("spot_ticker", "btc_usdt.json")).data[0])
    other = decode_json(SpotBookTickerPush, frame("spot/bookTicker", dict(TOP, symbol="ETH_USDT"))).data[0]
    with pytest.raises(DecodeError, match="symbol"):
        quote_with_top(quote, other)


def test_the_quote_stream_reads_a_frame_of_another_table_as_a_ticker_and_fails_it():
    proto = SpotQuoteProtocol(URL, "BTC_USDT")
    (item,) = items(proto.receive(fixture("spot_trade", "two_trades.json")))
    assert failure(item).message_name == "spot_ticker"


# ---------------------------------------------------------------- trade


def test_trades_map_price_size_side_and_time():
    out = items(SpotTradeProtocol(URL, "BTC_USDT").receive(deflate(fixture("spot_trade", "two_trades.json").encode())))
    assert all(isinstance(t, Trade) for t in out)
    assert [(str(t.price), str(t.size), t.side, t.time) for t in out] == [
        ("52700.50", "0.00112", "buy", at(1630982050123)),
        ("52700.10", "0.50000", "sell", at(1630982050456)),
    ]
    assert all(t.trade_id is None and t.turnover is None and t.venue == "bitmart" for t in out)
    (old,) = items(SpotTradeProtocol(URL, "BTC_USDT").receive(fixture("spot_trade", "seconds_only.json")))
    assert old.time == datetime.fromtimestamp(1630982050, UTC)


def test_a_side_the_registry_does_not_know_is_no_side():
    entry = decode_json(SpotTradePush, frame("spot/trade", dict(TRADES[0], side="BUY"))).data[0]
    assert trade_from_spot(entry).side is None
    no_time = decode_json(SpotTradePush, frame("spot/trade", {k: v for k, v in TRADES[0].items() if "_t" not in k}))
    assert trade_from_spot(no_time.data[0]).time is None


def test_a_bad_trade_is_a_decode_failure_and_the_next_one_goes_on():
    out = items(
        SpotTradeProtocol(URL, "BTC_USDT").receive(frame("spot/trade", dict(TRADES[0], size="sNaN"), TRADES[1]))
    )
    error = failure(out[0])
    assert (error.message_name, error.field_path) == ("spot_trade", ("data", 0, "size"))
    assert isinstance(out[1], Trade) and out[1].side == "sell"
    (item,) = items(
        SpotTradeProtocol(URL, "BTC_USDT").receive(
            frame("spot/trade", {**{k: v for k, v in TRADES[0].items() if k != "ms_t"}, "s_t": 10**12})
        )
    )
    assert failure(item).field_path == ("data", 0, "s_t")


# ---------------------------------------------------------------- kline


def test_a_candle_maps_its_six_values_and_the_step_of_its_table():
    (candle,) = items(
        SpotKlineProtocol(URL, "BTC_USDT", "1m").receive(deflate(fixture("spot_kline", "kline1m.json").encode()))
    )
    assert isinstance(candle, Candle)
    assert (candle.interval, candle.symbol, candle.time) == ("1m", "BTC_USDT", datetime.fromtimestamp(1631056320, UTC))
    assert [str(v) for v in (candle.open, candle.high, candle.low, candle.close, candle.volume)] == KLINE["candle"][1:]
    assert candle.turnover is None and candle.prev_close is None and not candle.blank
    out = items(
        SpotKlineProtocol(URL, ["BTC_USDT", "ETH_USDT"], "1H").receive(fixture("spot_kline", "kline1H_two.json"))
    )
    assert [(c.symbol, c.interval, str(c.high)) for c in out] == [
        ("BTC_USDT", "1H", "46600.5"),
        ("ETH_USDT", "1H", "3510"),
    ]


@pytest.mark.parametrize("step", KLINE_STEPS)
def test_every_steps_table_names_its_step(step):
    assert step_of_table(f"spot/kline{step}") == step
    entry = decode_json(SpotKlinePush, frame(f"spot/kline{step}", KLINE)).data[0]
    assert candle_from_spot(entry, step).interval == step


@pytest.mark.parametrize("table", ["spot/kline2m", "spot/kline", "spot/ticker", "futures/klineBin1m", "spot/kline1m:X"])
def test_a_kline_table_naming_no_step_is_a_decode_failure_naming_the_table(table):
    (item,) = items(SpotKlineProtocol(URL, "BTC_USDT", "1m").receive(frame(table, KLINE)))
    error = failure(item)
    assert (error.message_name, error.field_path) == ("spot_kline", ("table",))


def test_a_bad_candle_value_names_its_position():
    bad = dict(KLINE, candle=[1631056320, "46532.83", "Infinity", "46511.41", "46555.71", "0.25"])
    out = items(
        SpotKlineProtocol(URL, "BTC_USDT", "1m").receive(frame("spot/kline1m", bad, dict(KLINE, symbol="ETH_USDT")))
    )
    assert failure(out[0]).field_path == ("data", 0, "candle", 2)
    assert isinstance(out[1], Candle) and out[1].symbol == "ETH_USDT"
    late = dict(KLINE, candle=[10**12, *KLINE["candle"][1:]])
    (item,) = items(SpotKlineProtocol(URL, "BTC_USDT", "1m").receive(frame("spot/kline1m", late)))
    assert failure(item).field_path == ("data", 0, "candle", 0)


# ---------------------------------------------------------------- the shared v3 socket behaviour


@pytest.mark.parametrize("make", [SpotTickerProtocol, SpotQuoteProtocol, SpotTradeProtocol])
def test_pongs_acks_errors_and_garbage(make):
    proto = make(URL, "BTC_USDT")
    proto.opening()
    assert items(proto.receive("pong")) == [] and proto.pongs == 1
    assert items(proto.receive(deflate(b'{"event":"subscribe","topic":"spot/trade:BTC_USDT"}'))) == []
    assert proto.acks == 1
    assert failure(items(proto.receive(b"\xff\x00 not deflate"))[0]).field_path == ()
    assert failure(items(proto.receive(deflate(b'{"table":"spot/')))[0]).detail.startswith("not valid JSON")
    refused = proto.receive(deflate(b'{"event":"error","message":"Unrecognized request: x","errorCode":30039}'))
    assert isinstance(refused.fatal, InvalidRequest) and "Unrecognized request" in str(refused.fatal)
    assert proto.failure is refused.fatal and proto.opening() == []


def test_a_huge_inflated_frame_is_a_decode_failure():
    proto = SpotTradeProtocol(URL, "BTC_USDT", max_message_size=64)
    (item,) = items(proto.receive(zlib.compress(b"x" * 1000)[2:-4]))
    assert "more than 64 bytes" in failure(item).detail


# ---------------------------------------------------------------- anything at all


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_ENTRY_KEYS = sorted({*TICK, *TOP, *TRADES[0], *KLINE})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(["spot/ticker", "spot/bookTicker", "spot/trade", "spot/kline1m", "spot/kline9x", ""]),
    entries=st.lists(st.dictionaries(st.sampled_from(_ENTRY_KEYS), _JSON, max_size=8), max_size=3),
    binary=st.booleans(),
)
def test_no_frame_makes_a_protocol_raise_and_every_item_is_typed(table, entries, binary):
    text = frame(table, *entries)
    data: str | bytes = deflate(text.encode()) if binary else text
    for proto, kind in (
        (SpotTickerProtocol(URL, "BTC_USDT"), Quote),
        (SpotQuoteProtocol(URL, "BTC_USDT"), Quote),
        (SpotTradeProtocol(URL, "BTC_USDT"), Trade),
        (SpotKlineProtocol(URL, "BTC_USDT"), Candle),
    ):
        proto.opening()
        proto.receive(fixture("spot_ticker", "btc_usdt.json"))  # a known quote for bookTicker entries
        reaction = proto.receive(data)
        assert reaction.fatal is None
        for item in reaction.items:
            assert isinstance(item, kind | DecodeFailure)
            if isinstance(item, DecodeFailure):
                assert item.error.venue == "bitmart" and item.error.message_name.startswith("spot_")
