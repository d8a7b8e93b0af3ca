"""An embedded BitMart WebSocket venue for tests, the demo and development: no account, no network.

Three sockets on one aiohttp server, their paths taken from the registry's URLs:

- legacy (`sim.legacy_url`, path `/`, like `wss://openws.bitmart.com`): plain JSON text.
  `{"subscribe":"order","symbol":..,"precision":..}` subscribes; the first push for
  BMX_ETH at precision 6 is the seed's sample book, every later one (and every push for
  other pairs) comes from `venuewire.sim.books.BookGenerator` at the shared step with a tick
  of 10^-precision. `{"unsubscribe":"order",...}` (the subscribe's shape) stops that pair.
  `{"subscribe":"ping"}` -> `{"subscribe":"pong"}`. A connection that has not subscribed
  within `subscribe_within` s (registry: 5) is closed (code 1008). A refused frame gets
  `{"subscribe":<its kind>,"message":...}` (LegacyError) [guess: the venue documents only that
  errors carry a message field]. Client frames are told apart by the generated dispatch table
  `BITMART_LEGACY_DEPTH_CLIENT`. The venue's one-connection-per-4-s-per-IP rule is `min_connect_interval`
  (None by default, so tests can reconnect quickly; the registry's value is
  `LEGACY_MIN_CONNECT_INTERVAL_S`); a connection refused by it gets HTTP 429 [guess].
- v3 public (`sim.url`, `/api?protocol=1.1`, like `wss://ws-manager-compress.bitmart.com`):
  every JSON frame the server sends (pushes, acks, error events) is a BINARY frame of raw
  DEFLATE (wbits -15); the heartbeat reply is the text frame `pong` to a text `ping`.
  `{"op":"subscribe","args":["spot/depth5:BTC_USDT",...]}` (levels from the registry, at most
  the registry's `max_topics_per_subscribe` topics) is acknowledged topic by topic
  (`{"event":"subscribe","topic":...}`) and pushes each book at once, then every
  `push_interval` s; `unsubscribe` is acknowledged likewise and stops them. No login here.
  Every refused frame (bad JSON, unknown op, a login, a channel that is not
  `spot/depth{5,20,50}:PAIR`, too many topics [guess: how the venue refuses that]) gets
  `{"event":"error","message":"Unrecognized request: ...","errorCode":30039}` (the registry's
  `refused_frame`).
- incremental depth on the v3 public socket (`spot/depth/increase100:PAIR`, schema
  bitmart/spot_increase_request): a subscribe is acknowledged and answered by a snapshot entry
  (`type` snapshot, version 1000 on each new connection), then every tick brings one update
  entry (`version` + 1) with the levels that changed since the last one (size 0: removed), from
  `increase_book(pair)` (100 levels a side). `{"op":"request",...}` is answered by a snapshot of
  what the feed serves now, with no ack [guess]. Scripted faults (`sim.script_increase(...)`,
  each played once, in order; see IncreaseFault): GAP, DUPLICATE, REORDER, LATE_SNAPSHOT, and for
  snapshot requests UNANSWERED_REQUEST (never answered) and HELD_REQUEST (answered a tick late).
  `sim.push_now()` advances the step and pushes at once.
- market data on the v3 public socket (schema bitmart/spot_market_subscribe): `spot/ticker`,
  `spot/bookTicker`, `spot/trade` and `spot/kline<step>` (the registry's steps) per pair, each
  topic acknowledged; served from the pair's `MarketTape` (`sim.state.tape(pair)`), a pure
  function of the v3 book's steps: one trade a step at the best ask (the mid rose) or the best
  bid, tickers over the tape's 24-hour window with the book's best bid and offer, candles built
  from the tape's trades. A subscribe pushes the ticker, the best bid and offer, the latest
  trade [guess] and the current candle at once; every tick pushes them again (trades: the new
  ones). `unsubscribe` stops them.
- v3 private (`sim.private_url`, `/user?protocol=1.1`): `{"op":"login","args":[api_key, ts_ms,
  sign]}` is checked exactly as `sign_bitmart_ws_login` signs: `{"event":"login"}` on success,
  else an error event (see LoginError: a bad signature is 30013 "Invalid sign"). Subscribes
  are acknowledged after the login (no private channel pushes anything yet).

Layers: `LegacySession`, `SpotSession` and `PrivateSession` are pure state machines (frames in,
frames out, no I/O); `BitmartSimulator` moves frames between them and aiohttp and applies
`Fault`s (`sim.faults`, a set shared by every connection, applying from the next frame):
DROP_CONNECTION, SLOW_REPLY, and GARBAGE_FRAME, which replaces every push by garbage (legacy:
invalid JSON; v3: alternately bytes that are not DEFLATE and DEFLATE of invalid JSON) and
leaves replies alone. The connection machinery is `venuewire.sim.server.WsSimulator`; the
books come from the package's data files (see `seed_push` and `example_books`).
"""

from __future__ import annotations

import enum
import hmac
import re
import time
import zlib
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Final

import msgspec
import yarl
from aiohttp import web

from venuewire.errors import DecodeError, error_code
from venuewire.generated.bitmart.error_event import ErrorEvent
from venuewire.generated.bitmart.legacy_depth import LegacyDepthData, LegacyDepthPush, LegacyLevel
from venuewire.generated.bitmart.legacy_error import LegacyError
from venuewire.generated.bitmart.legacy_ping import LegacyPing
from venuewire.generated.bitmart.legacy_pong import LegacyPong
from venuewire.generated.bitmart.legacy_subscribe import LegacySubscribe
from venuewire.generated.bitmart.legacy_unsubscribe import LegacyUnsubscribe
from venuewire.generated.bitmart.login import Login
from venuewire.generated.bitmart.login_response import LoginResponse
from venuewire.generated.bitmart.spot_book_ticker import SpotBookTickerData, SpotBookTickerPush
from venuewire.generated.bitmart.spot_depth import SpotDepthData, SpotDepthPush
from venuewire.generated.bitmart.spot_depth_increase import IncreaseType, SpotDepthIncreasePush, SpotIncreaseData
from venuewire.generated.bitmart.spot_increase_request import IncreaseOp, SpotIncreaseRequest
from venuewire.generated.bitmart.spot_kline import SpotKlineData, SpotKlinePush
from venuewire.generated.bitmart.spot_market_subscribe import SpotMarketSubscribe
from venuewire.generated.bitmart.spot_subscribe import SpotSubscribe, SubscribeOp
from venuewire.generated.bitmart.spot_ticker import SpotTickerData, SpotTickerPush
from venuewire.generated.bitmart.spot_trade import SpotTradeData, SpotTradePush
from venuewire.generated.bitmart.subscribe_ack import AckEvent, SubscribeAck
from venuewire.generated.bitmart.ws_dispatch import BITMART_LEGACY_DEPTH_CLIENT
from venuewire.generated.registry import (
    AUTH_SCHEMES,
    WS_BITMART_LEGACY_DEPTH,
    WS_BITMART_PRIVATE,
    WS_BITMART_SPOT_BOOK_TICKER,
    WS_BITMART_SPOT_DEPTH,
    WS_BITMART_SPOT_DEPTH_INCREASE,
    WS_BITMART_SPOT_KLINE,
    WS_BITMART_SPOT_TICKER,
    WS_BITMART_SPOT_TRADE,
    required,
)
from venuewire.generated.ws_dispatch import Unrouted
from venuewire.messages import decode_json, encode_json
from venuewire.signing import sign_bitmart_ws_login
from venuewire.sim.bitmart_trade import BitmartTrading, DeskEvent, user_pushes
from venuewire.sim.books import BookGenerator, Level, book_parameters, symbol_seed
from venuewire.sim.server import Cache, Connection, Fault, Frame, WsSimulator, example, serve_until_cancelled
from venuewire.values import DecimalText

__all__ = [
    "ERROR_INVALID_REQUEST",
    "LEGACY_LEVELS",
    "LEGACY_PATH",
    "LOGIN_ERRORS",
    "PRIVATE_PATH",
    "SPOT_MAX_LEVELS",
    "SPOT_PATH",
    "BitmartSimulator",
    "Fault",
    "IncreaseFault",
    "IncreaseFeed",
    "LegacySession",
    "MarketTape",
    "PrivateSession",
    "SimState",
    "SpotSession",
    "deflate",
    "example_books",
    "increase_generator",
    "kline_period_s",
    "legacy_generator",
    "seed_push",
    "serve",
    "spot_generator",
]

_LEGACY_URL = yarl.URL(WS_BITMART_LEGACY_DEPTH.url)
_SPOT_URL = yarl.URL(WS_BITMART_SPOT_DEPTH.url)
_PRIVATE_URL = yarl.URL(WS_BITMART_PRIVATE.url)
LEGACY_PATH: Final = _LEGACY_URL.path or "/"
SPOT_PATH: Final = _SPOT_URL.path
SPOT_QUERY: Final = _SPOT_URL.query_string
PRIVATE_PATH: Final = _PRIVATE_URL.path
PRIVATE_QUERY: Final = _PRIVATE_URL.query_string
LEGACY_LEVELS: Final = 20
"""Levels a side in each legacy push (as in the seed's sample)."""
SPOT_MAX_LEVELS: Final = max(WS_BITMART_SPOT_DEPTH.levels)
SUBSCRIBE_WITHIN_S: Final[int | None] = WS_BITMART_LEGACY_DEPTH.subscribe_within_s
LEGACY_MIN_CONNECT_INTERVAL_S: Final[int | None] = WS_BITMART_LEGACY_DEPTH.min_connect_interval_s
PING_TEXT: Final = required(WS_BITMART_SPOT_DEPTH.ping_text, "bitmart spot_depth ping_text")
PONG_TEXT: Final = required(WS_BITMART_SPOT_DEPTH.pong_text, "bitmart spot_depth pong_text")
CHANNEL_TEMPLATE: Final = required(WS_BITMART_SPOT_DEPTH.channel, "bitmart spot_depth channel")
MAX_TOPICS_PER_SUBSCRIBE: Final[int] = required(
    WS_BITMART_SPOT_DEPTH.max_topics_per_subscribe, "bitmart spot_depth max_topics_per_subscribe"
)
LOGIN_TOLERANCE_S: Final[int] = required(
    AUTH_SCHEMES["bitmart_hmac_sha256_hex"].timestamp_tolerance_s, "bitmart timestamp_tolerance_s"
)
"""How far a login timestamp may be from the server clock: the REST tolerance [guess for WS]."""

ERROR_INVALID_REQUEST: Final = error_code("bitmart", "refused_frame", scope="ws")
"""The error code of every refused frame that is not a login (the registry's `refused_frame`:
30039, as ccxt recorded for an unrecognised request)."""


class LoginError(enum.IntEnum):
    """Error codes of a refused login on the private socket, named in the registry: a bad
    signature is 30013 "Invalid sign" (ccxt's recorded frame); the others are BitMart's REST
    authentication codes [guess for WS]."""

    UNKNOWN_KEY = error_code("bitmart", "unknown_key", scope="ws")
    BAD_SIGN = error_code("bitmart", "login_bad_sign", scope="ws")
    TIMESTAMP_RANGE = error_code("bitmart", "timestamp_range", scope="ws")
    TIMESTAMP_FORMAT = error_code("bitmart", "timestamp_format", scope="ws")


LOGIN_ERRORS: Final = tuple(LoginError)
RECORD_LIMIT: Final = 10_000
_SPOT_CHANNEL = re.compile(
    re.escape(CHANNEL_TEMPLATE)
    .replace(r"\{levels\}", r"(?P<levels>\d+)")
    .replace(r"\{symbol\}", r"(?P<symbol>[A-Za-z0-9_]+)")
)
INCREASE_TEMPLATE: Final = required(WS_BITMART_SPOT_DEPTH_INCREASE.channel, "bitmart spot_depth_increase channel")
INCREASE_LEVELS: Final = max(WS_BITMART_SPOT_DEPTH_INCREASE.levels)
INCREASE_TABLE: Final = INCREASE_TEMPLATE.partition(":")[0].format(levels=INCREASE_LEVELS)
_INCREASE_CHANNEL = re.compile(
    re.escape(INCREASE_TEMPLATE.format(levels=INCREASE_LEVELS, symbol="{symbol}")).replace(
        r"\{symbol\}", r"(?P<symbol>[A-Za-z0-9_]+)"
    )
)


def _channel_pattern(template: str) -> re.Pattern[str]:
    """A topic template of the registry (`spot/kline{step}:{symbol}`) as a regex with named groups."""
    pattern = re.escape(template).replace(r"\{symbol\}", r"(?P<symbol>[A-Za-z0-9_]+)")
    return re.compile(pattern.replace(r"\{step\}", r"(?P<step>[A-Za-z0-9]+)"))


_MARKET_CHANNELS: Final = tuple(
    (_channel_pattern(required(channel.channel, f"bitmart {channel.name} channel")), channel.name)
    for channel in (WS_BITMART_SPOT_TICKER, WS_BITMART_SPOT_BOOK_TICKER, WS_BITMART_SPOT_TRADE, WS_BITMART_SPOT_KLINE)
)
"""(topic regex, registry channel name) of the market-data channels."""
_KLINE_TEMPLATE: Final = required(WS_BITMART_SPOT_KLINE.channel, "bitmart spot_kline channel")


def _table(template: str, **values: str) -> str:
    return template.partition(":")[0].format(**values)


FIRST_VERSION: Final = 1000
"""The version of each new connection's first snapshot of a pair [guess: the venue's are large]."""
_LEGACY_GARBAGE: Final = '{"subscribe":"depth","symbol":'
_DEFLATE_GARBAGE: Final = b"\xff\xfe not deflate \x00"
_ZERO = Decimal(0)


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE (no zlib header or checksum, wbits -15), as the v3 venue sends."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


# --- books ----------------------------------------------------------------------------------
# Both come from the package's data files (validated by the schemas): the seed's sample
# legacy push, and one example v3 book per pair the demo and tests use (its mid, tick and
# lot drive the pair's generated books; the legacy channel uses the mid and lot with a tick
# of 10^-precision). Any other pair gets a book derived from its name.


@cache
def seed_push() -> LegacyDepthPush:
    """The seed's sample depth push (BMX_ETH, precision 6, 20 levels a side), served as the
    first legacy push for its pair and precision."""
    return example(LegacyDepthPush, "seed_example")


@cache
def example_books() -> dict[str, SpotDepthData]:
    """The example v3 book of each pair with one, by pair."""
    return {book.symbol: book for book in example(SpotDepthPush, "books").data}


SEED_SYMBOL: Final = seed_push().symbol
SEED_PRECISION: Final = seed_push().precision


def _catalog(symbol: str) -> tuple[Decimal, Decimal, Decimal]:
    book = example_books().get(symbol)
    if book is not None:
        bids = [(Decimal(price), Decimal(size)) for price, size in book.bids]
        asks = [(Decimal(price), Decimal(size)) for price, size in book.asks]
        mid, tick, lot, _levels = book_parameters(bids, asks)
        return mid, tick, lot
    return Decimal(10 + symbol_seed(symbol) % 490), Decimal("0.01"), Decimal("0.001")


def spot_generator(symbol: str) -> BookGenerator:
    """The generator behind the v3 books of `symbol`: `gen.snapshot(step)` is what the
    simulator serves at that step (the first N levels for depth N)."""
    mid, tick, lot = _catalog(symbol)
    return BookGenerator(symbol, mid, tick, SPOT_MAX_LEVELS, lot=lot)


def increase_generator(symbol: str) -> BookGenerator:
    """The generator behind the incremental books of `symbol`: the registry's 100 levels a
    side, or the v3 depth when the pair's price is too small for that many ticks."""
    mid, tick, lot = _catalog(symbol)
    try:
        return BookGenerator(symbol, mid, tick, INCREASE_LEVELS, lot=lot)
    except ValueError:
        return spot_generator(symbol)


def legacy_generator(symbol: str, precision: int) -> BookGenerator:
    """The generator behind the legacy books of `symbol` at `precision` (tick 10^-precision).
    Raises ValueError when the pair's price is too small for that precision."""
    mid, _tick, lot = _catalog(symbol)
    return BookGenerator(f"{symbol}@{precision}", mid, Decimal(1).scaleb(-precision), LEGACY_LEVELS, lot=lot)


def _legacy_levels(levels: list[Level], precision: int) -> list[LegacyLevel]:
    out, total = [], _ZERO
    quantum = Decimal(1).scaleb(-precision)
    for price, size, orders in levels:
        total += size
        texts = (str(size), str(total), str(price.quantize(quantum)), str(orders))
        out.append(LegacyLevel(*map(DecimalText, texts)))
    return out


# --- the incremental channel ---------------------------------------------------------------------


class IncreaseFault(enum.Enum):
    """A scripted fault of the incremental channel (`sim.script_increase(...)`): each plays
    once, on the next occasion it applies to, in the order scripted."""

    GAP = "gap"
    """The next update skips a version (one update is never sent)."""
    DUPLICATE = "duplicate"
    """The next update is sent twice."""
    REORDER = "reorder"
    """The next two updates go out in swapped order."""
    LATE_SNAPSHOT = "late_snapshot"
    """The next subscription gets two updates before its snapshot."""
    UNANSWERED_REQUEST = "unanswered_request"
    """The next snapshot request (`{"op":"request"}`) is never answered (its pair's updates go on)."""
    HELD_REQUEST = "held_request"
    """The next snapshot request is answered late: with the next tick, after that tick's update."""


@dataclass
class IncreaseFeed:
    """One connection's incremental feed of one pair: the levels it has served and their
    version. Pure: books in, entries out."""

    symbol: str
    version: int = FIRST_VERSION
    bids: dict[Decimal, Decimal] = field(default_factory=dict)
    asks: dict[Decimal, Decimal] = field(default_factory=dict)

    def snapshot(self, ms_t: int) -> SpotIncreaseData:
        """The served book as a snapshot entry at the current version."""
        return SpotIncreaseData(
            asks=sorted(self.asks.items()),
            bids=sorted(self.bids.items(), reverse=True),
            ms_t=ms_t,
            symbol=self.symbol,
            type=IncreaseType.snapshot,
            version=self.version,
        )

    def load(self, bids: Sequence[Level], asks: Sequence[Level]) -> None:
        """Serve these levels from now on without an update (for a snapshot)."""
        self.bids = {price: size for price, size, _ in bids}
        self.asks = {price: size for price, size, _ in asks}

    def update(self, bids: Sequence[Level], asks: Sequence[Level], ms_t: int) -> SpotIncreaseData:
        """The next version: every level that changed, a removed one with size 0."""
        new_bids = {price: size for price, size, _ in bids}
        new_asks = {price: size for price, size, _ in asks}
        self.version += 1
        entry = SpotIncreaseData(
            asks=_diff(self.asks, new_asks),
            bids=_diff(self.bids, new_bids),
            ms_t=ms_t,
            symbol=self.symbol,
            type=IncreaseType.update,
            version=self.version,
        )
        self.bids, self.asks = new_bids, new_asks
        return entry


def _diff(old: dict[Decimal, Decimal], new: dict[Decimal, Decimal]) -> list[tuple[Decimal, Decimal]]:
    changed = [(price, size) for price, size in new.items() if old.get(price) != size]
    changed += [(price, _ZERO) for price in old if price not in new]
    return sorted(changed)


# --- market data: a tape of trades that follows the v3 books -------------------------------------
# Every book step s >= 1 prints one trade on the pair's tape: a buyer lifting the best ask of
# the v3 book at s when its mid rose since s - 1 (or held, on an even step), else a seller
# hitting the best bid; the size is 1 to 3 lots, at most what rests there. Steps are
# `TAPE_STEP_MS` apart on the tape's clock, which starts at the simulator's start time (floored
# to the minute), so every trade, ticker and candle is a pure function of (pair, step).

TAPE_STEP_MS: Final = 1000
"""Tape time between two book steps [guess: the simulator's own pace, one trade a second]."""
TICKER_WINDOW_MS: Final = 24 * 3600 * 1000
"""The ticker's rolling window: 24 hours."""
KLINE_STEPS: Final[tuple[str, ...]] = WS_BITMART_SPOT_KLINE.choices["step"]
_UNIT_S: Final = {"m": 60, "H": 3600, "D": 86400, "W": 7 * 86400, "M": 30 * 86400}
_KLINE_EPOCH_WEEK_S: Final = 4 * 86400
"""Weekly candles start on Mondays: 1970-01-05 is the first Monday after the epoch."""


def kline_period_s(step: str) -> int:
    """Seconds of a candle step, read from its name ("15m" -> 900, "4H" -> 14400); a month
    is 30 days here [guess: the venue uses calendar months]. ValueError for another name."""
    number, unit = step[:-1], step[-1:]
    if step not in KLINE_STEPS or not number.isdigit() or unit not in _UNIT_S:
        raise ValueError(f"not a candle step: {step!r}")
    return int(number) * _UNIT_S[unit]


@dataclass(frozen=True, slots=True)
class TapeTrade:
    step: int
    ms: int
    price: Decimal
    size: Decimal
    side: str


class MarketTape:
    """The trades of one pair, step by step (see the section's comment); pure data. `trades`
    keeps the last 24 hours of tape time (the ticker's window)."""

    def __init__(self, book: BookGenerator, start_ms: int) -> None:
        self.book = book
        self.start_ms = start_ms
        self.trades: deque[TapeTrade] = deque()
        self._next = 1

    def ms_at(self, step: int) -> int:
        return self.start_ms + step * TAPE_STEP_MS

    def trade_at(self, step: int) -> TapeTrade:
        """The trade printed at `step` (>= 1)."""
        bids, asks = self.book.snapshot(step)
        before = self.book.mid_at(step - 1)
        now = (bids[0][0] + asks[0][0]) / 2
        buy = now > before or (now == before and step % 2 == 0)
        price, resting, _ = asks[0] if buy else bids[0]
        size = min(resting, self.book.lot * (1 + step % 3))
        return TapeTrade(step, self.ms_at(step), price, size, "buy" if buy else "sell")

    def upto(self, step: int) -> list[TapeTrade]:
        """The tape through `step` (oldest first, the last 24 hours of it)."""
        while self._next <= step:
            self.trades.append(self.trade_at(self._next))
            self._next += 1
        horizon = self.ms_at(step) - TICKER_WINDOW_MS
        while self.trades and self.trades[0].ms <= horizon:
            self.trades.popleft()
        return list(self.trades)

    def since(self, after: int, step: int) -> list[TapeTrade]:
        """The trades of steps after `after` through `step`."""
        return [trade for trade in self.upto(step) if trade.step > after]

    def ticker(self, step: int) -> SpotTickerData:
        """The 24-hour ticker at `step`, with the v3 book's best bid and offer."""
        trades = self.upto(step)
        bids, asks = self.book.snapshot(step)
        mid = (bids[0][0] + asks[0][0]) / 2
        prices = [trade.price for trade in trades] or [mid]
        last, first = prices[-1], prices[0]
        volume = sum((trade.size for trade in trades), _ZERO)
        turnover = sum((trade.price * trade.size for trade in trades), _ZERO)
        ms = self.ms_at(step)
        return SpotTickerData(
            symbol=self.book.symbol,
            last_price=last,
            open_24h=first,
            high_24h=max(prices),
            low_24h=min(prices),
            base_volume_24h=volume,
            quote_volume_24h=turnover,
            fluctuation=((last - first) / first).quantize(Decimal("0.0001")),
            bid_px=bids[0][0],
            bid_sz=bids[0][1],
            ask_px=asks[0][0],
            ask_sz=asks[0][1],
            s_t=ms // 1000,
            ms_t=ms,
        )

    def book_ticker(self, step: int) -> SpotBookTickerData:
        """The best bid and offer of the v3 book at `step`."""
        bids, asks = self.book.snapshot(step)
        return SpotBookTickerData(
            symbol=self.book.symbol,
            bid_px=bids[0][0],
            bid_sz=bids[0][1],
            ask_px=asks[0][0],
            ask_sz=asks[0][1],
            ms_t=self.ms_at(step),
        )

    def candle(self, kline: str, step: int) -> SpotKlineData | None:
        """The candle of step `kline` holding the tape's latest trade, built from the tape's
        trades in that period; None before the first trade."""
        trades = self.upto(step)
        if not trades:
            return None
        period = kline_period_s(kline)
        offset = _KLINE_EPOCH_WEEK_S if kline.endswith("W") else 0
        start = (trades[-1].ms // 1000 - offset) // period * period + offset
        inside = [trade for trade in trades if trade.ms // 1000 >= start]
        prices = [trade.price for trade in inside]
        volume = sum((trade.size for trade in inside), _ZERO)
        return SpotKlineData(
            symbol=self.book.symbol,
            candle=(start, prices[0], max(prices), min(prices), prices[-1], volume),
        )


# --- shared state ----------------------------------------------------------------------------


@dataclass
class SimState:
    """What every session of one simulator shares: credentials, settings, the book step,
    the fault set, the frame log. Pure data plus a clock."""

    api_key: str = "sim-api-key"
    secret: str = "sim-secret"
    memo: str = "sim-memo"
    step: int = 0
    faults: set[Fault] = field(default_factory=set)
    clock: Callable[[], float] = time.time
    received: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=RECORD_LIMIT))
    """(socket "legacy", "spot" or "private", frame text) of every frame received, oldest first."""
    logins: int = 0
    login_failures: int = 0
    spot_books: dict[str, BookGenerator] = field(default_factory=lambda: Cache(spot_generator))
    legacy_books: dict[tuple[str, int], BookGenerator] = field(
        default_factory=lambda: Cache(lambda key: legacy_generator(*key))
    )
    increase_books: dict[str, BookGenerator] = field(default_factory=lambda: Cache(increase_generator))
    increase_script: deque[IncreaseFault] = field(default_factory=deque)
    """Faults of the incremental channel still to play, each once, in order (see IncreaseFault)."""
    tapes: dict[str, MarketTape] = field(default_factory=dict)
    """Each pair's tape of trades (see MarketTape), made on first use."""
    tape_start_ms: int | None = None
    """Tape time of step 0: the first use's clock, floored to the minute."""

    def tape(self, symbol: str) -> MarketTape:
        tape = self.tapes.get(symbol)
        if tape is None:
            if self.tape_start_ms is None:
                self.tape_start_ms = int(self.clock()) // 60 * 60_000
            tape = self.tapes[symbol] = MarketTape(self.spot_books[symbol], self.tape_start_ms)
        return tape

    def __repr__(self) -> str:  # never show the secret or memo
        return f"SimState(api_key={self.api_key!r}, step={self.step}, faults={self.faults!r})"

    def spot_book(self, symbol: str) -> BookGenerator:
        return self.spot_books[symbol]

    def legacy_book(self, symbol: str, precision: int) -> BookGenerator:
        """Raises ValueError when the pair's price is too small for `precision`."""
        return self.legacy_books[symbol, precision]


# --- one legacy connection, no I/O --------------------------------------------------------------


class LegacySession:
    """One legacy connection: `receive(text) -> frames to send`, `pushes() -> frames due`.
    `subscribed` once a valid `order` request arrived."""

    def __init__(self, shared: SimState) -> None:
        self.shared = shared
        self.subscriptions: dict[tuple[str, int], int] = {}
        """(symbol, precision) -> pushes sent."""
        self.pushes_sent = 0

    @property
    def subscribed(self) -> bool:
        return bool(self.subscriptions)

    def _error(self, kind: str, message: str) -> list[Frame]:
        return [encode_json(LegacyError(message=message, subscribe=kind)).decode()]

    def receive(self, data: Frame) -> list[Frame]:
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        self.shared.received.append(("legacy", text))
        try:
            route, kind = BITMART_LEGACY_DEPTH_CLIENT.route(text)
        except Unrouted:
            return self._error("error", "expected a JSON object with a subscribe field")
        if route is None:
            return self._error(str(kind), f"unsupported request {kind!r}")
        try:
            request = decode_json(route.cls, text)
        except DecodeError as exc:
            why = f"invalid {route.role} request: {exc.detail} at {exc.field_path}"
            return self._error(str(kind) or route.role, why)
        if isinstance(request, LegacyPing):
            return [encode_json(LegacyPong(subscribe="pong")).decode()]
        if isinstance(request, LegacyUnsubscribe):
            self.subscriptions.pop((request.symbol, request.precision), None)
            return []
        if not isinstance(request, LegacySubscribe):
            return self._error(str(kind), f"unsupported request {kind!r}")
        if not request.symbol or request.precision < 0:
            return self._error(request.subscribe, "symbol and a non-negative precision are required")
        key = (request.symbol, request.precision)
        if key != (SEED_SYMBOL, SEED_PRECISION):
            try:
                self.shared.legacy_book(*key)
            except ValueError:
                return self._error(
                    request.subscribe, f"precision {request.precision} is out of range for {request.symbol}"
                )
        self.subscriptions.setdefault(key, 0)
        return self._push(key)

    def _push(self, key: tuple[str, int]) -> list[Frame]:
        sent = self.subscriptions[key]
        self.subscriptions[key] = sent + 1
        self.pushes_sent += 1
        if Fault.GARBAGE_FRAME in self.shared.faults:
            return [_LEGACY_GARBAGE]
        symbol, precision = key
        if sent == 0 and key == (SEED_SYMBOL, SEED_PRECISION):
            push = seed_push()
        else:
            bids, asks = self.shared.legacy_book(symbol, precision).snapshot(self.shared.step)
            data = LegacyDepthData(buys=_legacy_levels(bids, precision), sells=_legacy_levels(asks, precision))
            push = LegacyDepthPush(subscribe="depth", symbol=symbol, precision=precision, data=data)
        return [encode_json(push).decode()]

    def pushes(self) -> list[Frame]:
        out: list[Frame] = []
        for key in list(self.subscriptions):
            out += self._push(key)
        return out


# --- v3 connections, no I/O ---------------------------------------------------------------------


class _SpotOp(msgspec.Struct):
    op: str


class _V3Session:
    """What both v3 sockets share: JSON frames out raw-DEFLATE compressed (bytes), the text
    ping answered by the text pong, error events, subscribe acks."""

    where: str = "spot"

    def __init__(self, shared: SimState) -> None:
        self.shared = shared
        self.pushes_sent = 0

    def _json(self, message: msgspec.Struct) -> bytes:
        return deflate(encode_json(message))

    def _error(self, code: int, message: str) -> list[Frame]:
        return [self._json(ErrorEvent(event="error", message=message, errorCode=code))]

    def _refused(self, text: str) -> list[Frame]:
        return self._error(ERROR_INVALID_REQUEST, f"Unrecognized request: {text[:200]}")

    def _acks(self, op: SubscribeOp, topics: list[str]) -> list[Frame]:
        return [self._json(SubscribeAck(event=AckEvent(op.value), topic=topic)) for topic in topics]

    def receive(self, data: Frame) -> list[Frame]:
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        self.shared.received.append((self.where, text))
        if text == PING_TEXT:
            return [PONG_TEXT]
        try:
            op = msgspec.json.decode(text, type=_SpotOp).op
        except (msgspec.ValidationError, msgspec.DecodeError):
            return self._refused(text)
        return self._op(op, text)

    def _op(self, op: str, text: str) -> list[Frame]:
        raise NotImplementedError

    def pushes(self) -> list[Frame]:
        return []


class SpotSession(_V3Session):
    """One public v3 connection: `receive(frame) -> frames to send`, `pushes() -> frames due`.
    No login here: a login frame is refused like any frame the socket does not know."""

    def __init__(self, shared: SimState) -> None:
        super().__init__(shared)
        self.channels: dict[str, tuple[int, str]] = {}
        """channel -> (levels, symbol)."""
        self.feeds: dict[str, IncreaseFeed] = {}
        """Incremental channels: symbol -> its feed."""
        self.requests = 0
        self.held: list[str] = []
        """Pairs whose requested snapshot goes out with the next tick (IncreaseFault.HELD_REQUEST)."""
        self._garbage = 0
        self.market: dict[str, tuple[str, str, str]] = {}
        """Market-data topics: channel -> (registry channel name, symbol, candle step or "")."""
        self.trades_sent: dict[str, int] = {}
        """Trade topics: channel -> the last tape step sent."""

    def _op(self, op: str, text: str) -> list[Frame]:
        if op == IncreaseOp.request.value or INCREASE_TABLE in text:
            return self._increase(text)
        try:
            market = decode_json(SpotMarketSubscribe, text)
        except DecodeError:
            pass
        else:
            return self._subscribe_market(market)
        if op not in {o.value for o in SubscribeOp}:
            return self._refused(text)
        try:
            request = decode_json(SpotSubscribe, text)
        except DecodeError:
            return self._refused(text)
        if len(request.args) > MAX_TOPICS_PER_SUBSCRIBE:
            return self._error(
                ERROR_INVALID_REQUEST, f"Unrecognized request: more than {MAX_TOPICS_PER_SUBSCRIBE} topics"
            )
        parsed: dict[str, tuple[int, str]] = {}
        for channel in request.args:
            match = _SPOT_CHANNEL.fullmatch(channel)
            if match is None or int(match["levels"]) not in WS_BITMART_SPOT_DEPTH.levels:
                return self._refused(text)
            parsed[channel] = (int(match["levels"]), match["symbol"])
        out = self._acks(request.op, list(parsed))
        if request.op is SubscribeOp.unsubscribe:
            for channel in parsed:
                self.channels.pop(channel, None)
            return out
        for channel, spec in parsed.items():
            self.channels[channel] = spec
            out += self._push(*spec)
        return out

    def _garbage_frame(self) -> Frame | None:
        """Under Fault.GARBAGE_FRAME, what replaces a push (alternately not DEFLATE, and
        DEFLATE of invalid JSON); else None."""
        if Fault.GARBAGE_FRAME not in self.shared.faults:
            return None
        self._garbage += 1
        return _DEFLATE_GARBAGE if self._garbage % 2 else deflate(b'{"table":"spot/depth')

    def _push(self, levels: int, symbol: str) -> list[Frame]:
        self.pushes_sent += 1
        garbage = self._garbage_frame()
        if garbage is not None:
            return [garbage]
        bids, asks = self.shared.spot_book(symbol).snapshot(self.shared.step)
        data = SpotDepthData(
            asks=[(DecimalText(str(price)), DecimalText(str(size))) for price, size, _ in asks[:levels]],
            bids=[(DecimalText(str(price)), DecimalText(str(size))) for price, size, _ in bids[:levels]],
            ms_t=int(self.shared.clock() * 1000),
            symbol=symbol,
        )
        table = CHANNEL_TEMPLATE.format(levels=levels, symbol=symbol).partition(":")[0]
        return [self._json(SpotDepthPush(table=table, data=[data]))]

    def pushes(self) -> list[Frame]:
        out: list[Frame] = []
        for spec in list(self.channels.values()):
            out += self._push(*spec)
        for feed in list(self.feeds.values()):
            out += self._increase_push(feed)
            if feed.symbol in self.held:
                self.held.remove(feed.symbol)
                out.append(self._entry(feed.snapshot(self._ms())))
        for channel in list(self.market):
            out += self._market_push(channel)
        return out

    # -- market data: ticker, bookTicker, trade, kline<step> (see MarketTape)

    def _subscribe_market(self, request: SpotMarketSubscribe) -> list[Frame]:
        if len(request.args) > MAX_TOPICS_PER_SUBSCRIBE:
            return self._error(
                ERROR_INVALID_REQUEST, f"Unrecognized request: more than {MAX_TOPICS_PER_SUBSCRIBE} topics"
            )
        parsed: dict[str, tuple[str, str, str]] = {}
        for channel in request.args:
            for pattern, name in _MARKET_CHANNELS:
                match = pattern.fullmatch(channel)
                if match is not None:
                    groups = match.groupdict()
                    parsed[channel] = (name, groups["symbol"], groups.get("step") or "")
                    break
            else:  # the schema's pattern let it through but no registry template matches
                return self._refused(encode_json(request).decode())
        out = self._acks(SubscribeOp(request.op.value), list(parsed))
        if request.op.value == SubscribeOp.unsubscribe.value:
            for channel in parsed:
                self.market.pop(channel, None)
                self.trades_sent.pop(channel, None)
            return out
        for channel, spec in parsed.items():
            self.market[channel] = spec
            if spec[0] == WS_BITMART_SPOT_TRADE.name:  # the latest trade first [guess], then the new ones
                self.trades_sent[channel] = self.shared.step - 1
            out += self._market_push(channel)
        return out

    def _market_push(self, channel: str) -> list[Frame]:
        name, symbol, step = self.market[channel]
        tape, now = self.shared.tape(symbol), self.shared.step
        message: msgspec.Struct | None
        if name == WS_BITMART_SPOT_TICKER.name:
            message = SpotTickerPush(
                table=_table(required(WS_BITMART_SPOT_TICKER.channel, "ticker")), data=[tape.ticker(now)]
            )
        elif name == WS_BITMART_SPOT_BOOK_TICKER.name:
            table = _table(required(WS_BITMART_SPOT_BOOK_TICKER.channel, "bookTicker"))
            message = SpotBookTickerPush(table=table, data=[tape.book_ticker(now)])
        elif name == WS_BITMART_SPOT_TRADE.name:
            trades = tape.since(self.trades_sent[channel], now)
            self.trades_sent[channel] = now
            entries = [SpotTradeData(symbol, t.price, t.size, t.side, s_t=t.ms // 1000, ms_t=t.ms) for t in trades]
            table = _table(required(WS_BITMART_SPOT_TRADE.channel, "trade"))
            message = SpotTradePush(table=table, data=entries) if entries else None
        else:
            candle = tape.candle(step, now)
            table = _table(_KLINE_TEMPLATE, step=step)
            message = None if candle is None else SpotKlinePush(table=table, data=[candle])
        if message is None:
            return []
        self.pushes_sent += 1
        garbage = self._garbage_frame()
        return [garbage if garbage is not None else self._json(message)]

    # -- the incremental channel

    def _increase(self, text: str) -> list[Frame]:
        try:
            request = decode_json(SpotIncreaseRequest, text)
        except DecodeError:
            return self._refused(text)
        if len(request.args) > MAX_TOPICS_PER_SUBSCRIBE:
            return self._error(
                ERROR_INVALID_REQUEST, f"Unrecognized request: more than {MAX_TOPICS_PER_SUBSCRIBE} topics"
            )
        symbols = {}
        for channel in request.args:
            match = _INCREASE_CHANNEL.fullmatch(channel)
            if match is None:
                return self._refused(text)
            symbols[channel] = match["symbol"]
        if request.op is IncreaseOp.request:  # a snapshot of what the feed serves now [guess: no ack]
            self.requests += 1
            answered: list[Frame] = []
            for symbol in symbols.values():
                if self._script(IncreaseFault.UNANSWERED_REQUEST):
                    continue
                if self._script(IncreaseFault.HELD_REQUEST):
                    self.held.append(symbol)
                    continue
                answered.append(self._entry(self._feed(symbol).snapshot(self._ms())))
            return answered
        out = self._acks(SubscribeOp(request.op.value), list(symbols))
        if request.op is IncreaseOp.unsubscribe:
            for symbol in symbols.values():
                self.feeds.pop(symbol, None)
            return out
        for symbol in symbols.values():
            feed = self._feed(symbol)
            if self._script(IncreaseFault.LATE_SNAPSHOT):
                out += [self._entry(self._next(feed)) for _ in range(2)]
            else:
                feed.load(*self.shared.increase_books[symbol].snapshot(self.shared.step))
            out.append(self._entry(feed.snapshot(self._ms())))
        return out

    def _feed(self, symbol: str) -> IncreaseFeed:
        feed = self.feeds.get(symbol)
        if feed is None:
            feed = self.feeds[symbol] = IncreaseFeed(symbol)
        return feed

    def _script(self, fault: IncreaseFault) -> bool:
        script = self.shared.increase_script
        if script and script[0] is fault:
            script.popleft()
            return True
        return False

    def _ms(self) -> int:
        return int(self.shared.clock() * 1000)

    def _next(self, feed: IncreaseFeed) -> SpotIncreaseData:
        return feed.update(*self.shared.increase_books[feed.symbol].snapshot(self.shared.step), self._ms())

    def _entry(self, entry: SpotIncreaseData) -> bytes:
        self.pushes_sent += 1
        return self._json(SpotDepthIncreasePush(table=INCREASE_TABLE, data=[entry]))

    def _increase_push(self, feed: IncreaseFeed) -> list[Frame]:
        if self._script(IncreaseFault.GAP):
            self._next(feed)  # never sent
            return [self._entry(self._next(feed))]
        if self._script(IncreaseFault.DUPLICATE):
            frame = self._entry(self._next(feed))
            return [frame, frame]
        if self._script(IncreaseFault.REORDER):
            first = self._entry(self._next(feed))
            return [self._entry(self._next(feed)), first]
        return [self._entry(self._next(feed))]


class PrivateSession(_V3Session):
    """One private v3 connection (`/user`): `{"op":"login",...}` is checked exactly as
    `sign_bitmart_ws_login` signs; `{"event":"login"}` on success, else an error event (see
    LoginError). After the login, subscribe/unsubscribe frames are acknowledged topic by
    topic (no private channel pushes anything yet); before it they are refused [guess]."""

    where = "private"

    def __init__(self, shared: SimState) -> None:
        super().__init__(shared)
        self.logged_in = False
        self.topics: set[str] = set()

    def _op(self, op: str, text: str) -> list[Frame]:
        if op == "login":
            return self._login(text)
        if op not in {o.value for o in SubscribeOp}:
            return self._refused(text)
        if not self.logged_in:
            return self._error(ERROR_INVALID_REQUEST, "Unrecognized request: login first")
        try:
            request = msgspec.json.decode(text, type=_PrivateSubscribe)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return self._refused(text)
        if not request.args or len(request.args) > MAX_TOPICS_PER_SUBSCRIBE:
            return self._refused(text)
        kind = SubscribeOp(op)
        if kind is SubscribeOp.subscribe:
            self.topics.update(request.args)
        else:
            self.topics.difference_update(request.args)
        return self._acks(kind, request.args)

    def _login(self, text: str) -> list[Frame]:
        shared = self.shared
        try:
            api_key, stamp, sign = decode_json(Login, text).args
        except DecodeError as exc:
            shared.login_failures += 1
            return self._error(ERROR_INVALID_REQUEST, f"Unrecognized request: {exc.detail}")
        code, message = self._check_login(api_key, stamp, sign)
        if code is not None:
            shared.login_failures += 1
            return self._error(code, message)
        shared.logins += 1
        self.logged_in = True
        return [self._json(LoginResponse(event="login"))]

    def _check_login(self, api_key: str, stamp: str, sign: str) -> tuple[int | None, str]:
        shared = self.shared
        if not hmac.compare_digest(api_key.encode(), shared.api_key.encode()):
            return LoginError.UNKNOWN_KEY, "Login failed: API key not found"
        if not stamp.isascii() or not stamp.isdigit():
            return LoginError.TIMESTAMP_FORMAT, "Login failed: timestamp must be Unix epoch milliseconds"
        if abs(shared.clock() * 1000 - int(stamp)) > LOGIN_TOLERANCE_S * 1000:
            return LoginError.TIMESTAMP_RANGE, f"Login failed: timestamp is not within {LOGIN_TOLERANCE_S} s"
        try:
            expected = sign_bitmart_ws_login(shared.secret, shared.memo, int(stamp))
        except ValueError:
            return LoginError.TIMESTAMP_FORMAT, "Login failed: timestamp must be Unix epoch milliseconds"
        if not hmac.compare_digest(sign.encode(), expected.encode()):
            return LoginError.BAD_SIGN, "Invalid sign"
        return None, ""


class _PrivateSubscribe(msgspec.Struct):
    op: str
    args: list[str]


# --- the aiohttp server ---------------------------------------------------------------------------

Session = LegacySession | SpotSession | PrivateSession


class BitmartSimulator(WsSimulator[Session]):
    """The BitMart simulator: `async with BitmartSimulator(port=0) as sim:`.

    `sim.legacy_url`, `sim.url` and `sim.private_url` are the three sockets' ws:// URLs
    (`sim.port` the bound port). `api_key`, `secret` and `memo` are the one account private
    logins are checked against.
    Every `push_interval` s the book step advances and every subscription gets a push.
    `subscribe_within` (s, None = never) closes legacy connections that have not subscribed;
    `min_connect_interval` (s, None = off) refuses a second legacy connection from one IP
    sooner than that with HTTP 429. `slow_reply_s` is Fault.SLOW_REPLY's delay.
    """

    ticker_name = "bitmart-sim-ticker"
    venue = "bitmart"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = "sim-api-key",
        secret: str = "sim-secret",
        memo: str = "sim-memo",
        push_interval: float = 0.2,
        subscribe_within: float | None = SUBSCRIBE_WITHIN_S,
        min_connect_interval: float | None = None,
        slow_reply_s: float = 2.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if push_interval <= 0 or slow_reply_s < 0:
            raise ValueError("push_interval must be positive and slow_reply_s not negative")
        if subscribe_within is not None and subscribe_within <= 0:
            raise ValueError("subscribe_within must be positive or None")
        if min_connect_interval is not None and min_connect_interval <= 0:
            raise ValueError("min_connect_interval must be positive or None")
        for name, value in (("api_key", api_key), ("secret", secret), ("memo", memo)):
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty string")
        self.state = SimState(api_key=api_key, secret=secret, memo=memo, clock=clock)
        super().__init__(host, port, faults=self.state.faults, slow_reply_s=slow_reply_s)
        self.push_interval = push_interval
        self.subscribe_within = subscribe_within
        self.min_connect_interval = min_connect_interval
        self.refused_connections = 0
        self._last_connect: dict[str, float] = {}
        self.trading = BitmartTrading.for_account(  # spot trading REST (venuewire.sim.bitmart_trade)
            api_key=api_key,
            secret=secret,
            memo=memo,
            symbols=frozenset(example_books()),
            book_of=self._book_now,
            step=lambda: self.state.step,
            clock=clock,
        )
        self.trading.desk.listeners.append(self._push_private)

    def __repr__(self) -> str:
        return f"BitmartSimulator(host={self.host!r}, port={self.port}, state={self.state!r})"

    # -- what tests look at ------------------------------------------------------------------

    @property
    def legacy_url(self) -> str:
        return self.address("ws", LEGACY_PATH)

    @property
    def url(self) -> str:
        return self.address("ws", SPOT_PATH, SPOT_QUERY)

    @property
    def private_url(self) -> str:
        """The v3 private socket (`/user?protocol=1.1`), the only one that takes a login."""
        return self.address("ws", PRIVATE_PATH, PRIVATE_QUERY)

    @property
    def rest_url(self) -> str:
        """The spot REST base URL (`http://host:port`): the registry's BitMart [[rest]] routes."""
        return self.address("http", "").rstrip("/")

    def _push_private(self, event: DeskEvent) -> None:
        """Queue the desk's order and balance pushes for every logged-in private connection."""
        now_ms = round(self.state.clock() * 1000)
        for conn in list(self.connections):
            session = conn.session
            if isinstance(session, PrivateSession) and session.logged_in and not conn.ws.closed:
                frames = user_pushes(event, session.topics, self.trading.desk, now_ms)
                self.queue(conn, [deflate(frame) for frame in frames], push=True)

    def _book_now(self, symbol: str) -> tuple[list[Level], list[Level]]:
        return self.state.spot_book(symbol).snapshot(self.state.step)

    @property
    def step(self) -> int:
        return self.state.step

    @property
    def received(self) -> list[tuple[str, str]]:
        """(channel, frame text) of every frame received, oldest first (the last 10,000)."""
        return list(self.state.received)

    @property
    def pushes_skipped(self) -> int:
        """Pushes not queued because a connection's outbox was full, over open connections."""
        return sum(c.pushes_skipped for c in self.connections)

    def spot_book(self, symbol: str) -> BookGenerator:
        """The generator of `symbol`'s v3 book: `.snapshot(sim.step)` is what is served now."""
        return self.state.spot_book(symbol)

    def legacy_book(self, symbol: str, precision: int) -> BookGenerator:
        return self.state.legacy_book(symbol, precision)

    def increase_book(self, symbol: str) -> BookGenerator:
        """The generator of `symbol`'s incremental book: `.snapshot(sim.step)` is the book served now."""
        return self.state.increase_books[symbol]

    def script_increase(self, *faults: IncreaseFault) -> None:
        """Play these faults on the incremental channel, each once, in this order (see IncreaseFault)."""
        self.state.increase_script.extend(faults)

    def push_now(self) -> None:
        """Advance the book step and queue a push for every subscription now, as a tick does."""
        self._advance()
        for conn in list(self.connections):
            if not conn.ws.closed:
                self.queue(conn, conn.session.pushes(), push=True)

    # -- the venue's behaviour (WsSimulator hooks) -------------------------------------------------

    def _routes(self, router: web.UrlDispatcher) -> None:
        router.add_get(LEGACY_PATH, self._legacy)
        router.add_get(SPOT_PATH, self._spot)
        router.add_get(PRIVATE_PATH, self._private)
        self.trading.routes.add_to(router)

    def _too_soon(self, request: web.Request) -> bool:
        if self.min_connect_interval is None:
            return False
        ip = request.remote or "?"
        now = time.monotonic()
        last = self._last_connect.get(ip)
        if last is not None and now - last < self.min_connect_interval:
            return True
        self._last_connect[ip] = now
        return False

    async def _legacy(self, request: web.Request) -> web.StreamResponse:
        if self._too_soon(request):
            self.refused_connections += 1
            return web.Response(status=429, text="too many connections: one every 4 s per IP")
        return await self.serve_ws(request, LegacySession(self.state))

    async def _spot(self, request: web.Request) -> web.StreamResponse:
        return await self.serve_ws(request, SpotSession(self.state))

    async def _private(self, request: web.Request) -> web.StreamResponse:
        return await self.serve_ws(request, PrivateSession(self.state))

    def _helpers(self, conn: Connection[Session]) -> list[Coroutine[Any, Any, None]]:
        session, within = conn.session, self.subscribe_within
        if not isinstance(session, LegacySession) or within is None:
            return []
        return [self.close_unless(conn, within, lambda: session.subscribed, "no subscription within the limit")]

    async def _on_frame(self, conn: Connection[Session], data: Frame) -> Sequence[Frame]:
        return conn.session.receive(data)

    def _advance(self) -> None:
        self.state.step += 1


async def serve(host: str, port: int, ready: Callable[[str, int], None]) -> None:
    """Run a BitmartSimulator on host:port until cancelled; `ready(host, port)` once listening
    (port is the bound one when 0 was asked)."""
    await serve_until_cancelled(BitmartSimulator(host, port), ready)
