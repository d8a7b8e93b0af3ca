"""BitMart streams over WebSocket: order books (the legacy channel, the v3 spot and incremental
channels) and the v3 public market data (`quote_stream`, `ticker_stream`, `trade_stream`,
`candle_stream`: `venuewire.models.Quote`, `Trade`, `Candle`).

    async with BitmartClient() as client:                      # or the simulator's URLs
        async for item in client.depth_stream("BTC_USDT", levels=20):
            if isinstance(item, OrderBook):
                print(item.best_bid, item.best_ask)           # Decimal prices and sizes
            elif isinstance(item, Gap):
                print("missed", item.ended - item.started, "s")  # reconnected and resubscribed

Each stream is a `venuewire.transport.WsStream` (`BitmartStream` of books,
`BitmartIncrementalStream`, `BitmartMarketStream` of quotes, trades or candles), so it keeps
the shared stream policy: reconnect with capped exponential backoff and jitter, the
subscriptions sent again and a `Gap` yielded after each reconnect, a frame that does not
decode yielded as a `DecodeFailure` while the stream goes on, and at most `buffer` items
waiting (the oldest dropped and counted in `stream.dropped`). A peer silent for
`idle_timeout` (default three heartbeat intervals; pongs count) is a lost connection.

One difference, on purpose: when the venue answers a frame the stream sent (a subscription,
a frame it did not recognise) with an error event, the stream does NOT reconnect (it would only
be refused again). The iterator delivers what was already received and then raises the typed
error the registry's WebSocket error table gives for the event's errorCode
(`venuewire.errors.error_for("bitmart", errorCode, text, scope="ws")`: `InvalidRequest` for
30039 "unrecognized request" and 92001 "invalid symbol", `AuthError` for 30013 "invalid sign"
and the login codes, ...), carrying the venue's text (`message` or `errorMessage`).
`stream.failure` holds it. (The protocol returns it as `Reaction(fatal=...)`, which ends a
`WsStream`.) Everything else that ends a stream is a `VenueError` too.

Depth and market-data streams are public: they never log in (BitMart logs in only on its private socket,
`WS_BITMART_PRIVATE`). Arguments are checked before anything is sent (`ValueError`/`TypeError`
naming the argument). Credentials are kept for the private channels; their secrets never appear
in logs or errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Final, Generic, Protocol, TypeVar, Unpack

import aiohttp
import yarl

from venuewire.bitmart.book import VENUE
from venuewire.bitmart.incremental import DEFAULT_MAX_BUFFER, IncrementalOutput
from venuewire.bitmart.market import SpotKlineProtocol, SpotQuoteProtocol, SpotTickerProtocol, SpotTradeProtocol
from venuewire.bitmart.protocol import (
    DEFAULT_MAX_MESSAGE_SIZE,
    LEGACY_PING_INTERVAL_S,
    PING_INTERVAL_S,
    RESYNC_REQUESTS,
    RESYNC_TIMEOUT_S,
    LegacyDepthProtocol,
    SpotDepthProtocol,
    SpotIncreaseProtocol,
    V3Protocol,
)
from venuewire.capture.tap import CaptureTarget, open_tap
from venuewire.credentials import BitmartCredentials
from venuewire.errors import VenueError
from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_SPOT_DEPTH, required
from venuewire.models import Candle, OrderBook, Quote, Trade
from venuewire.transport import StreamOwner, WsProtocol, WsStream, WsStreamSettings

__all__ = ["BitmartClient", "BitmartIncrementalStream", "BitmartMarketStream", "BitmartStream"]

ChannelProtocol = LegacyDepthProtocol | V3Protocol[OrderBook]
_Item = TypeVar("_Item")

IDLE_PINGS: Final = 3
"""A stream that hears nothing (not even a pong) for this many heartbeat intervals reconnects."""
V3_BACKOFF_INITIAL_S: Final = 0.1
LEGACY_MIN_CONNECT_INTERVAL_S: Final[int] = required(
    WS_BITMART_LEGACY_DEPTH.min_connect_interval_s, "bitmart legacy_depth min_connect_interval_s"
)
LEGACY_BACKOFF_INITIAL_S: Final = float(2 * LEGACY_MIN_CONNECT_INTERVAL_S) or V3_BACKOFF_INITIAL_S
"""Legacy reconnects start at twice the venue's one-connection-per-4-s limit, so even with
the transport's jitter (x0.5 to x1) no reconnect comes sooner than the limit allows."""
_SCHEMES: Final = frozenset({"ws", "wss", "http", "https"})


def _check_url(name: str, url: str) -> str:
    if not isinstance(url, str):
        raise TypeError(f"{name} must be a str")
    try:
        parsed = yarl.URL(url)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} is not a URL: {exc}") from None
    if parsed.scheme not in _SCHEMES or not parsed.host:
        raise ValueError(f"{name} must be a ws:// or wss:// URL with a host, got {url!r}")
    return url


def _positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number")
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return float(value)


class _Refusing(WsProtocol[_Item], Protocol[_Item]):
    """A BitMart channel protocol: it keeps the venue's refusal of its login or subscription."""

    failure: VenueError | None


_Channel = TypeVar("_Channel", bound=_Refusing[Any])


class _BitmartWsStream(WsStream[_Item], Generic[_Item, _Channel]):
    """What every BitMart stream shares: the channel protocol kept as `channel`, BitMart's
    reconnect backoff and message cap as defaults, and `failure`."""

    def __init__(self, channel: _Channel, **settings: Unpack[WsStreamSettings]) -> None:
        self.channel = channel
        settings.setdefault("backoff_initial", V3_BACKOFF_INITIAL_S)
        settings.setdefault("max_message_size", DEFAULT_MAX_MESSAGE_SIZE)
        super().__init__(channel, **settings)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.channel!r})"

    @property
    def failure(self) -> VenueError | None:
        """The venue's refusal that ended the stream, or None."""
        return self.channel.failure


class BitmartStream(_BitmartWsStream[OrderBook, ChannelProtocol]):
    """A `WsStream[OrderBook]` on one BitMart channel that ends with the venue's typed error
    (`failure`) when the venue refuses its login or subscription, instead of reconnecting.
    `channel` is the pure protocol (`LegacyDepthProtocol`, `SpotDepthProtocol` or another
    `V3Protocol`, e.g. a private channel)."""


class BitmartIncrementalStream(_BitmartWsStream[IncrementalOutput, SpotIncreaseProtocol]):
    """A `WsStream` of the incremental channel: items `OrderBook | BookGap | BookResynced`
    plus the shared `Gap` and `DecodeFailure`; `is_valid(symbol)` says at any time whether
    that symbol's local book is valid; ends with the venue's typed error (`failure`) when the
    venue refuses the subscription, as `BitmartStream` does."""

    def is_valid(self, symbol: str) -> bool:
        """Whether `symbol`'s local book is valid now, after every frame received so far
        (which may be ahead of the items not yet consumed); KeyError for a symbol not streamed."""
        return self.channel.is_valid(symbol)


_Market = TypeVar("_Market", Quote, Trade, Candle)
MarketProtocol = SpotQuoteProtocol | SpotTickerProtocol | SpotTradeProtocol | SpotKlineProtocol


class BitmartMarketStream(_BitmartWsStream[_Market, V3Protocol[_Market]]):
    """A `WsStream` of a public v3 market-data channel (`Quote`, `Trade` or `Candle` items
    plus the shared `Gap`, `DecodeFailure`, `Stale` and `Fresh` events); ends with the venue's
    typed error (`failure`) when the venue refuses the subscription, as `BitmartStream` does.
    `channel` is the pure protocol (`SpotQuoteProtocol`, `SpotTickerProtocol`,
    `SpotTradeProtocol` or `SpotKlineProtocol`)."""


class BitmartClient(StreamOwner):
    """Factory of BitMart depth and market-data streams, for the real venue or any server speaking its
    protocol (e.g. `venuewire.sim.bitmart.BitmartSimulator`'s `legacy_url` and `url`).

    `credentials` (optional) are for BitMart's private socket (`WS_BITMART_PRIVATE`), whose
    login takes its timestamp from `clock()` (Unix seconds); depth streams are public and
    never send them. Stream settings apply to every stream the client makes: `buffer` items
    at most waiting, `timeout` s per connection attempt, `ping_interval` s between
    heartbeats (default: the registry's 10 s), `idle_timeout` s of silence before a
    reconnect (default 3 heartbeat intervals), `reconnect` and the backoff bounds (the
    first legacy backoff defaults to 8 s, twice the venue's connection limit; v3's to 0.1 s;
    the backoff resets only after a connection stayed up `healthy_after` s),
    `max_message_size` bytes per message, compressed or inflated. `session` is an
    aiohttp session to share (the caller closes it); otherwise each stream has its own.
    `async with` closes every stream the client made.
    """

    def __init__(
        self,
        legacy_url: str = WS_BITMART_LEGACY_DEPTH.url,
        url: str = WS_BITMART_SPOT_DEPTH.url,
        *,
        credentials: BitmartCredentials | None = None,
        session: aiohttp.ClientSession | None = None,
        buffer: int = 1024,
        timeout: float = 10.0,
        ping_interval: float | None = None,
        idle_timeout: float | None = None,
        reconnect: bool = True,
        backoff_initial: float | None = None,
        backoff_max: float = 10.0,
        healthy_after: float = 10.0,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        clock: Callable[[], float] = time.time,
        capture: CaptureTarget = None,
    ) -> None:
        self.legacy_url = _check_url("legacy_url", legacy_url)
        self.url = _check_url("url", url)
        if credentials is not None and not isinstance(credentials, BitmartCredentials):
            raise TypeError("credentials must be BitmartCredentials or None")
        if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 1:
            raise ValueError(f"buffer must be an int >= 1, got {buffer!r}")
        if isinstance(max_message_size, bool) or not isinstance(max_message_size, int) or max_message_size < 1:
            raise ValueError(f"max_message_size must be an int >= 1, got {max_message_size!r}")
        self.credentials = credentials
        self.session = session
        self.buffer = buffer
        self.timeout = _positive("timeout", timeout)
        self.ping_interval = None if ping_interval is None else _positive("ping_interval", ping_interval)
        self.idle_timeout = None if idle_timeout is None else _positive("idle_timeout", idle_timeout)
        self.reconnect = bool(reconnect)
        self.backoff_initial = None if backoff_initial is None else _positive("backoff_initial", backoff_initial)
        self.backoff_max = _positive("backoff_max", backoff_max)
        if isinstance(healthy_after, bool) or not isinstance(healthy_after, int | float) or not healthy_after >= 0:
            raise ValueError(f"healthy_after must be a number of seconds >= 0, got {healthy_after!r}")
        self.healthy_after = float(healthy_after)
        self.max_message_size = max_message_size
        self.clock = clock
        self.capture = open_tap(capture, VENUE, credentials)
        """The recording of every stream's frames (None when off; see `venuewire.capture.tap`)."""

    def __repr__(self) -> str:
        return f"BitmartClient(legacy_url={self.legacy_url!r}, url={self.url!r}, credentials={self.credentials!r})"

    async def close(self) -> None:
        """Close every stream the client made, and the capture file it opened."""
        await self.close_streams()
        if self.capture is not None:
            self.capture.close()

    def _settings(self, ping_interval: float, backoff_initial: float) -> WsStreamSettings:
        return WsStreamSettings(
            session=self.session,
            buffer=self.buffer,
            reconnect=self.reconnect,
            backoff_initial=backoff_initial,
            backoff_max=max(self.backoff_max, backoff_initial),
            healthy_after=self.healthy_after,
            connect_timeout=self.timeout,
            idle_timeout=self.idle_timeout if self.idle_timeout is not None else IDLE_PINGS * ping_interval,
            max_message_size=self.max_message_size,
            capture=self.capture,
        )

    def _stream(self, channel: ChannelProtocol, ping_interval: float, backoff_initial: float) -> BitmartStream:
        return self._track(BitmartStream(channel, **self._settings(ping_interval, backoff_initial)))

    def legacy_depth_stream(self, symbol: str, precision: int) -> BitmartStream:
        """Books of `symbol` (e.g. "BMX_ETH") aggregated to `precision` price decimals, from
        the legacy `order` channel: every push a full snapshot (20 levels a side at the venue),
        buys as bids and sells as asks, `order_count` from `count`, no timestamp.

        Nothing is sent until the stream is iterated; the subscription goes out right after
        connecting (the venue drops connections that have not subscribed within 5 s).
        Raises ValueError/TypeError naming `symbol` or `precision` at once.
        """
        interval = self.ping_interval or LEGACY_PING_INTERVAL_S
        channel = LegacyDepthProtocol(self.legacy_url, symbol, precision, ping_interval=interval)
        return self._stream(channel, interval, self.backoff_initial or LEGACY_BACKOFF_INITIAL_S)

    def depth_stream(self, symbol: str | Sequence[str], levels: int = 5) -> BitmartStream:
        """Books of `symbol` (e.g. "BTC_USDT", or a sequence of distinct pairs, all on one
        connection) from the public v3 `spot/depth{levels}` channel: `levels` a side (one of
        the registry's `WS_BITMART_SPOT_DEPTH.levels`: 5, 20, 50), each push a full snapshot
        with the venue's timestamp, `order_count` None (not sent). The topics go out in as
        many subscribe frames as the venue's per-frame limit needs
        (`WS_BITMART_SPOT_DEPTH.max_topics_per_subscribe`). No login is ever sent. Raises
        ValueError naming `symbol` or `levels` at once.
        """
        interval = self.ping_interval or PING_INTERVAL_S
        channel = SpotDepthProtocol(
            self.url,
            symbol,
            levels,
            ping_interval=interval,
            max_message_size=self.max_message_size,
        )
        return self._stream(channel, interval, self.backoff_initial or V3_BACKOFF_INITIAL_S)

    def incremental_depth_stream(
        self,
        symbols: str | Sequence[str],
        *,
        max_buffer: int = DEFAULT_MAX_BUFFER,
        resync_timeout: float | None = RESYNC_TIMEOUT_S,
        resync_requests: int | None = RESYNC_REQUESTS,
    ) -> BitmartIncrementalStream:
        """Locally maintained books of `symbols` (a pair or a sequence of distinct pairs, one
        connection) from the public v3 incremental channel `spot/depth/increase100`: a
        snapshot, then updates numbered by `version`. Yields the whole `OrderBook` (up to 100
        levels a side) after each change of a valid book; a `BookGap` (symbol, expected and
        received version, cause) when a version is skipped, repeated or comes before any
        snapshot, after which that symbol alone is resynchronised (a new snapshot requested,
        at most `max_buffer` updates buffered and replayed) and a `BookResynced` follows; a
        `Gap` after each reconnect, after which every book waits for its new snapshot (no
        level from before survives unless that snapshot has it). `stream.is_valid(symbol)`
        at any time. A snapshot request unanswered for `resync_timeout` s is sent again, up to
        `resync_requests` requests (both from the registry; None: never); then a
        `ResyncTimedOut` and a reconnect (a `Gap`), the book invalid until the new
        connection's snapshot. Raises ValueError naming `symbol` (or a setting) at once.
        """
        interval = self.ping_interval or PING_INTERVAL_S
        channel = SpotIncreaseProtocol(
            self.url,
            symbols,
            ping_interval=interval,
            max_message_size=self.max_message_size,
            max_buffer=max_buffer,
            resync_timeout=resync_timeout,
            resync_requests=resync_requests,
        )
        settings = self._settings(interval, self.backoff_initial or V3_BACKOFF_INITIAL_S)
        return self._track(BitmartIncrementalStream(channel, **settings))

    def _ping(self) -> float:
        return self.ping_interval or PING_INTERVAL_S

    def _market(self, channel: V3Protocol[_Market]) -> BitmartMarketStream[_Market]:
        settings = self._settings(self._ping(), self.backoff_initial or V3_BACKOFF_INITIAL_S)
        return self._track(BitmartMarketStream(channel, **settings))

    def quote_stream(self, symbols: str | Sequence[str]) -> BitmartMarketStream[Quote]:
        """Quotes of `symbols` (a pair or a sequence of distinct pairs, one connection) from
        the public v3 `spot/ticker` and `spot/bookTicker` channels together: each ticker push
        is a `Quote` (last price, the rolling 24-hour open, high, low and volumes, and the best
        bid and offer when sent), each bookTicker push the pair's latest `Quote` with the new
        best bid and offer (`bid`, `bid_size`, `ask`, `ask_size`) and its time. A bookTicker
        push before the pair's first ticker yields nothing (`stream.channel.waiting` counts
        them). Raises ValueError naming `symbol` at once."""
        return self._market(
            SpotQuoteProtocol(self.url, symbols, ping_interval=self._ping(), max_message_size=self.max_message_size)
        )

    def ticker_stream(self, symbols: str | Sequence[str]) -> BitmartMarketStream[Quote]:
        """Quotes of `symbols` from the public v3 `spot/ticker` channel alone: each push a
        `Quote` (see `venuewire.bitmart.market` for the mapping). Raises ValueError naming
        `symbol` at once."""
        return self._market(
            SpotTickerProtocol(self.url, symbols, ping_interval=self._ping(), max_message_size=self.max_message_size)
        )

    def trade_stream(self, symbols: str | Sequence[str]) -> BitmartMarketStream[Trade]:
        """Trades of `symbols` from the public v3 `spot/trade` channel: each a `Trade` (the
        taker's side, the venue's time; no trade id is sent). Raises ValueError naming
        `symbol` at once."""
        return self._market(
            SpotTradeProtocol(self.url, symbols, ping_interval=self._ping(), max_message_size=self.max_message_size)
        )

    def candle_stream(self, symbols: str | Sequence[str], step: str = "1m") -> BitmartMarketStream[Candle]:
        """Candles of `symbols` at `step` (one of the registry's steps,
        `venuewire.bitmart.market.KLINE_STEPS`: 1m, 3m, 5m, 15m, 30m, 45m, 1H, 2H, 3H, 4H, 1D,
        1W, 1M) from the public v3 `spot/kline{step}` channel: the current candle each time it
        changes, `interval` the step, `time` the candle's start. Raises ValueError naming
        `symbol` or `step` at once."""
        return self._market(
            SpotKlineProtocol(
                self.url, symbols, step, ping_interval=self._ping(), max_message_size=self.max_message_size
            )
        )
