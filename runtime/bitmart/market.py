"""BitMart v3 public market data -> the neutral `Quote`, `Trade` and `Candle`. Pure, no I/O.

Ticker (`SpotTickerData`, one entry of a `spot/ticker` push, schema bitmart/spot_ticker):

| `Quote` | ticker entry |
|---|---|
| `symbol` | `symbol` |
| `price` | `last_price` |
| `open` / `high` / `low` | `open_24h` / `high_24h` / `low_24h` (a rolling 24-hour window) |
| `prev_close` | `open_24h`: the window's opening price, the only "previous" price sent |
| `volume` / `turnover` | `base_volume_24h` / `quote_volume_24h` (None when not sent) |
| `bid` / `bid_size` / `ask` / `ask_size` | `bid_px` / `bid_sz` / `ask_px` / `ask_sz` (None when not sent) |
| `updated_at` | `ms_t` (ms), else `s_t` (s), else None |

Best bid and offer (`SpotBookTickerData`, schema bitmart/spot_book_ticker): `quote_with_top`
puts `bid_px`, `bid_sz`, `ask_px`, `ask_sz` and `ms_t` on the symbol's latest ticker `Quote`
(a bookTicker entry carries no price statistics of its own).

Trade (`SpotTradeData`, schema bitmart/spot_trade): `price`, `size`, `side` the taker's side
(the registry's `side` choices; another value is None), `time` from `ms_t`, else `s_t`;
`trade_id` None (the venue sends none).

Candle (`SpotKlineData`, schema bitmart/spot_kline): `interval` the step of the push's table
(`spot/kline1H` -> "1H", one of the registry's steps), `time` the candle's start (`candle[0]`,
Unix seconds), then open, high, low, close and volume (base coin) from `candle[1:]`;
`turnover` None (not sent).

Every number is the Decimal of the wire text (its digits and exponent kept, `"0.10"` stays
`0.10`). A NaN or infinite number, a time no `datetime` holds, a table naming no known step
raise `DecodeError` naming the venue, the message and the field path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

import msgspec

from venuewire.bitmart.book import VENUE
from venuewire.bitmart.protocol import (
    _MSGSPEC_ERRORS,
    DEFAULT_MAX_MESSAGE_SIZE,
    MAX_TOPICS_PER_SUBSCRIBE,
    PING_INTERVAL_S,
    V3Protocol,
    _failure,
    check_symbol,
    check_symbols,
)
from venuewire.errors import DecodeError
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.spot_book_ticker import SpotBookTickerData, SpotBookTickerPush
from venuewire.generated.bitmart.spot_kline import SpotKlineData, SpotKlinePush
from venuewire.generated.bitmart.spot_market_subscribe import MarketOp, SpotMarketSubscribe
from venuewire.generated.bitmart.spot_ticker import SpotTickerData, SpotTickerPush
from venuewire.generated.bitmart.spot_trade import SpotTradeData, SpotTradePush
from venuewire.generated.registry import (
    WS_BITMART_SPOT_BOOK_TICKER,
    WS_BITMART_SPOT_KLINE,
    WS_BITMART_SPOT_TICKER,
    WS_BITMART_SPOT_TRADE,
    required,
)
from venuewire.messages import decode_json, encode_json, message_info
from venuewire.models import Candle, Quote, Trade, exact_decimal
from venuewire.transport import Frame, Reaction
from venuewire.values import finite_decimal, utc_from_ms, utc_from_seconds

__all__ = [
    "KLINE_STEPS",
    "TRADE_SIDES",
    "SpotKlineProtocol",
    "SpotQuoteProtocol",
    "SpotTickerProtocol",
    "SpotTradeProtocol",
    "book_ticker_channel",
    "candle_from_spot",
    "check_step",
    "check_top",
    "kline_channel",
    "market_subscribe_frames",
    "quote_from_ticker",
    "quote_with_top",
    "step_of_table",
    "ticker_channel",
    "trade_channel",
    "trade_from_spot",
]

_Path = Sequence[str | int]
KLINE_STEPS: Final[tuple[str, ...]] = WS_BITMART_SPOT_KLINE.choices["step"]
"""The candle steps the venue serves, in its spelling (registry: 1m .. 1M)."""
TRADE_SIDES: Final[frozenset[str]] = frozenset(WS_BITMART_SPOT_TRADE.choices["side"])
_KLINE_TABLE: Final[str] = required(WS_BITMART_SPOT_KLINE.channel, "bitmart spot_kline channel").partition(":")[0]
_KLINE_PREFIX, _, _KLINE_SUFFIX = _KLINE_TABLE.partition("{step}")
TICKER: Final = message_info(SpotTickerPush).name
BOOK_TICKER: Final = message_info(SpotBookTickerPush).name
TRADE: Final = message_info(SpotTradePush).name
KLINE: Final = message_info(SpotKlinePush).name


def _num(value: Decimal, message: str, path: _Path) -> Decimal:
    """`value` checked finite, printing as its wire text: a Decimal read from "0.00000010"
    prints "1.0E-7", so such a value comes back as the `ExactDecimal` of its fixed-point
    text (the same digits and exponent: nothing of the wire form is lost)."""
    finite_decimal(value, VENUE, message, path)
    text = format(value, "f")
    return value if str(value) == text else exact_decimal(text)


def _opt(value: Decimal | msgspec.UnsetType, message: str, path: _Path) -> Decimal | None:
    return None if isinstance(value, msgspec.UnsetType) else _num(value, message, path)


def _time(ms: int | msgspec.UnsetType, seconds: int | msgspec.UnsetType, message: str, path: _Path) -> datetime | None:
    if not isinstance(ms, msgspec.UnsetType):
        return utc_from_ms(ms, VENUE, message, (*path, "ms_t"))
    if not isinstance(seconds, msgspec.UnsetType):
        return utc_from_seconds(seconds, VENUE, message, (*path, "s_t"))
    return None


def quote_from_ticker(data: SpotTickerData, *, path: _Path = (), raw: object = None) -> Quote:
    """The neutral Quote of one ticker entry (`raw` defaults to the entry)."""
    m = TICKER
    return Quote(
        venue=VENUE,
        symbol=data.symbol,
        price=_num(data.last_price, m, (*path, "last_price")),
        open=_num(data.open_24h, m, (*path, "open_24h")),
        high=_num(data.high_24h, m, (*path, "high_24h")),
        low=_num(data.low_24h, m, (*path, "low_24h")),
        prev_close=_num(data.open_24h, m, (*path, "open_24h")),
        volume=_num(data.base_volume_24h, m, (*path, "base_volume_24h")),
        turnover=_opt(data.quote_volume_24h, m, (*path, "quote_volume_24h")),
        updated_at=_time(data.ms_t, data.s_t, m, path),
        bid=_opt(data.bid_px, m, (*path, "bid_px")),
        bid_size=_opt(data.bid_sz, m, (*path, "bid_sz")),
        ask=_opt(data.ask_px, m, (*path, "ask_px")),
        ask_size=_opt(data.ask_sz, m, (*path, "ask_sz")),
        raw=data if raw is None else raw,
    )


def quote_with_top(quote: Quote, data: SpotBookTickerData, *, path: _Path = (), raw: object = None) -> Quote:
    """`quote` (the symbol's latest ticker Quote) with the best bid and offer of one
    bookTicker entry and its time (`raw` defaults to the entry)."""
    m = BOOK_TICKER
    if data.symbol != quote.symbol:
        raise DecodeError(VENUE, m, (*path, "symbol"), f"{data.symbol!r} is not the quote's {quote.symbol!r}")
    return msgspec.structs.replace(
        quote,
        bid=_num(data.bid_px, m, (*path, "bid_px")),
        bid_size=_num(data.bid_sz, m, (*path, "bid_sz")),
        ask=_num(data.ask_px, m, (*path, "ask_px")),
        ask_size=_num(data.ask_sz, m, (*path, "ask_sz")),
        updated_at=utc_from_ms(data.ms_t, VENUE, m, (*path, "ms_t")),
        raw=data if raw is None else raw,
    )


def check_top(data: SpotBookTickerData, *, path: _Path = ()) -> None:
    """DecodeError naming the field for a bookTicker entry no quote can hold."""
    m = BOOK_TICKER
    for name in ("bid_px", "bid_sz", "ask_px", "ask_sz"):
        _num(getattr(data, name), m, (*path, name))
    utc_from_ms(data.ms_t, VENUE, m, (*path, "ms_t"))


def trade_from_spot(data: SpotTradeData, *, path: _Path = (), raw: object = None) -> Trade:
    """The neutral Trade of one trade entry (`raw` defaults to the entry)."""
    m = TRADE
    return Trade(
        venue=VENUE,
        symbol=data.symbol,
        price=_num(data.price, m, (*path, "price")),
        size=_num(data.size, m, (*path, "size")),
        time=_time(data.ms_t, data.s_t, m, path),
        side=data.side if data.side in TRADE_SIDES else None,
        raw=data if raw is None else raw,
    )


def step_of_table(table: str) -> str:
    """The candle step a kline push's table names (`spot/kline1H` -> "1H"); DecodeError
    naming `table` for a table that names none of the registry's steps."""
    if table.startswith(_KLINE_PREFIX) and table.endswith(_KLINE_SUFFIX):
        step = table[len(_KLINE_PREFIX) : len(table) - len(_KLINE_SUFFIX)]
        if step in KLINE_STEPS:
            return step
    raise DecodeError(VENUE, KLINE, ("table",), f"{table[:60]!r} names no candle step of {', '.join(KLINE_STEPS)}")


def candle_from_spot(data: SpotKlineData, step: str, *, path: _Path = (), raw: object = None) -> Candle:
    """The neutral Candle of one kline entry of `step` (`raw` defaults to the entry)."""
    m = KLINE
    start, open_, high, low, close, volume = data.candle
    where = (*path, "candle")
    return Candle(
        venue=VENUE,
        symbol=data.symbol,
        interval=step,
        open=_num(open_, m, (*where, 1)),
        high=_num(high, m, (*where, 2)),
        low=_num(low, m, (*where, 3)),
        close=_num(close, m, (*where, 4)),
        volume=_num(volume, m, (*where, 5)),
        time=utc_from_seconds(start, VENUE, m, (*where, 0)),
        raw=data if raw is None else raw,
    )


# ---------------------------------------------------------------- the channels' protocols


_E = TypeVar("_E")
_M = TypeVar("_M", Quote, Trade, Candle)
TICKER_TEMPLATE: Final[str] = required(WS_BITMART_SPOT_TICKER.channel, "bitmart spot_ticker channel")
BOOK_TICKER_TEMPLATE: Final[str] = required(WS_BITMART_SPOT_BOOK_TICKER.channel, "bitmart spot_book_ticker channel")
TRADE_TEMPLATE: Final[str] = required(WS_BITMART_SPOT_TRADE.channel, "bitmart spot_trade channel")
KLINE_TEMPLATE: Final[str] = required(WS_BITMART_SPOT_KLINE.channel, "bitmart spot_kline channel")
_TICKER_TABLE: Final = TICKER_TEMPLATE.partition(":")[0]
_BOOK_TICKER_TABLE: Final = BOOK_TICKER_TEMPLATE.partition(":")[0]


def check_step(step: str) -> str:
    """One of the registry's candle steps (`KLINE_STEPS`); ValueError naming `step`."""
    if not isinstance(step, str) or step not in KLINE_STEPS:
        raise ValueError(f"step must be one of {', '.join(KLINE_STEPS)}, got {step!r}")
    return step


def ticker_channel(symbol: str) -> str:
    """`spot/ticker:{symbol}` from the registry's template, `symbol` checked."""
    return TICKER_TEMPLATE.format(symbol=check_symbol(symbol))


def book_ticker_channel(symbol: str) -> str:
    """`spot/bookTicker:{symbol}` from the registry's template, `symbol` checked."""
    return BOOK_TICKER_TEMPLATE.format(symbol=check_symbol(symbol))


def trade_channel(symbol: str) -> str:
    """`spot/trade:{symbol}` from the registry's template, `symbol` checked."""
    return TRADE_TEMPLATE.format(symbol=check_symbol(symbol))


def kline_channel(symbol: str, step: str) -> str:
    """`spot/kline{step}:{symbol}` from the registry's template, both checked."""
    return KLINE_TEMPLATE.format(step=check_step(step), symbol=check_symbol(symbol))


def market_subscribe_frames(channels: Sequence[str], op: MarketOp = MarketOp.subscribe) -> list[str]:
    """The subscribe (or unsubscribe) frames of market-data topics (schema
    bitmart/spot_market_subscribe), at most `MAX_TOPICS_PER_SUBSCRIBE` topics a frame."""
    if not channels:
        raise ValueError("channels must name at least one channel")
    step = MAX_TOPICS_PER_SUBSCRIBE
    return [
        encode_json(SpotMarketSubscribe(op=op, args=list(channels[i : i + step]))).decode()
        for i in range(0, len(channels), step)
    ]


def _each(entries: Sequence[_E], convert: Callable[[_E, int], _M | None], text: bytes) -> Reaction[_M]:
    """Items of a push's entries one by one: a bad entry is a DecodeFailure, the others go on."""
    items: list[_M | DecodeFailure] = []
    for index, entry in enumerate(entries):
        try:
            item = convert(entry, index)
        except DecodeError as exc:
            items.append(_failure(exc, text))
            continue
        if item is not None:
            items.append(item)
    return Reaction(items=items)


class _MarketProtocol(V3Protocol[_M]):
    """A public v3 market-data channel for one or more pairs (no I/O): the topics
    (`_channels`) go out in as many `SpotMarketSubscribe` frames as the venue's per-frame
    limit needs; never logs in. `unsubscribe_frames` stop them. A data frame decodes as
    `_push_class` and its entries one by one (`_converter`): a bad entry is a DecodeFailure,
    the others go on."""

    push_class: type[Any] = SpotTickerPush

    def __init__(
        self,
        url: str,
        symbol: str | Sequence[str],
        *,
        ping_interval: float = PING_INTERVAL_S,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        self.symbols = check_symbols(symbol)
        topics = self._channels(self.symbols)
        super().__init__(url, topics, ping_interval=ping_interval, max_message_size=max_message_size)
        self.subscribe_frames = market_subscribe_frames(self.topics)
        self.unsubscribe_frames = market_subscribe_frames(self.topics, MarketOp.unsubscribe)

    def __repr__(self) -> str:
        more = f" +{len(self.topics) - 1} more" if len(self.topics) > 1 else ""
        return f"{type(self).__name__}({self.topics[0]!r}{more})"

    def _channels(self, symbols: Sequence[str]) -> list[str]:
        raise NotImplementedError

    def _push_class(self, text: bytes) -> type[Any]:
        return self.push_class

    def _converter(self, push: Any) -> Callable[[Any, int], _M | None]:
        """How each entry of `push` becomes an item (DecodeError: the whole frame fails)."""
        raise NotImplementedError

    def _data(self, text: bytes) -> Reaction[_M]:
        try:
            push = decode_json(self._push_class(text), text)
            convert = self._converter(push)
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, text)])
        return _each(push.data, convert, text)


class SpotTickerProtocol(_MarketProtocol[Quote]):
    """`spot/ticker:{symbol}` for one or more pairs: each entry a `Quote` (`quote_from_ticker`)."""

    ws_channel = WS_BITMART_SPOT_TICKER  # silence thresholds for WsStream
    push_name = TICKER
    push_class = SpotTickerPush

    def _channels(self, symbols: Sequence[str]) -> list[str]:
        return [ticker_channel(s) for s in symbols]

    def _converter(self, push: SpotTickerPush) -> Callable[[SpotTickerData, int], Quote]:
        return lambda entry, i: quote_from_ticker(entry, path=("data", i))


class _Table(msgspec.Struct):
    """Just the table of a data frame, to route it; the frame's own schema checks the rest."""

    table: str


_TABLE = msgspec.json.Decoder(_Table)


class SpotQuoteProtocol(_MarketProtocol[Quote]):
    """`spot/ticker` and `spot/bookTicker` of one or more pairs on one connection: a ticker
    entry is a `Quote` (and becomes the pair's latest); a bookTicker entry is the pair's latest
    ticker `Quote` with that best bid and offer and time (`quote_with_top`). A bookTicker entry
    that comes before the pair's first ticker yields nothing and is counted in `waiting`.
    Every (re)connection forgets the latest tickers (`opening()`)."""

    ws_channel = WS_BITMART_SPOT_BOOK_TICKER  # silence thresholds for WsStream
    push_name = TICKER
    latest: dict[str, Quote]
    """Each pair's latest Quote on this connection."""
    waiting: int = 0
    """bookTicker entries that came before their pair's first ticker."""

    def _channels(self, symbols: Sequence[str]) -> list[str]:
        self.latest = {}
        return [ticker_channel(s) for s in symbols] + [book_ticker_channel(s) for s in symbols]

    def opening(self) -> list[Frame]:
        self.latest.clear()
        return super().opening()

    def _push_class(self, text: bytes) -> type[Any]:
        try:
            table = _TABLE.decode(text).table
        except _MSGSPEC_ERRORS:
            table = ""
        return SpotBookTickerPush if table == _BOOK_TICKER_TABLE else SpotTickerPush

    def _converter(self, push: SpotTickerPush | SpotBookTickerPush) -> Callable[[Any, int], Quote | None]:
        return self._top if isinstance(push, SpotBookTickerPush) else self._ticker

    def _ticker(self, entry: SpotTickerData, index: int) -> Quote:
        quote = self.latest[entry.symbol] = quote_from_ticker(entry, path=("data", index))
        return quote

    def _top(self, entry: SpotBookTickerData, index: int) -> Quote | None:
        latest = self.latest.get(entry.symbol)
        if latest is None:
            check_top(entry, path=("data", index))
            self.waiting += 1
            return None
        quote = self.latest[entry.symbol] = quote_with_top(latest, entry, path=("data", index))
        return quote


class SpotTradeProtocol(_MarketProtocol[Trade]):
    """`spot/trade:{symbol}` for one or more pairs: each entry a `Trade` (`trade_from_spot`)."""

    ws_channel = WS_BITMART_SPOT_TRADE  # silence thresholds for WsStream
    push_name = TRADE
    push_class = SpotTradePush

    def _channels(self, symbols: Sequence[str]) -> list[str]:
        return [trade_channel(s) for s in symbols]

    def _converter(self, push: SpotTradePush) -> Callable[[SpotTradeData, int], Trade]:
        return lambda entry, i: trade_from_spot(entry, path=("data", i))


class SpotKlineProtocol(_MarketProtocol[Candle]):
    """`spot/kline{step}:{symbol}` for one or more pairs at one `step` (one of `KLINE_STEPS`):
    each entry a `Candle` (`candle_from_spot`), its interval the step the push's table names."""

    ws_channel = WS_BITMART_SPOT_KLINE  # silence thresholds for WsStream
    push_name = KLINE
    push_class = SpotKlinePush

    def __init__(
        self,
        url: str,
        symbol: str | Sequence[str],
        step: str = "1m",
        *,
        ping_interval: float = PING_INTERVAL_S,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        self.step = check_step(step)
        super().__init__(url, symbol, ping_interval=ping_interval, max_message_size=max_message_size)

    def _channels(self, symbols: Sequence[str]) -> list[str]:
        return [kline_channel(s, self.step) for s in symbols]

    def _converter(self, push: SpotKlinePush) -> Callable[[SpotKlineData, int], Candle]:
        step = step_of_table(push.table)
        return lambda entry, i: candle_from_spot(entry, step, path=("data", i))
