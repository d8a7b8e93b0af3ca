"""Infoway market depth over REST (`batch_depth`) and the WebSocket depth stream.

    async with InfowayClient(InfowayCredentials.from_env()) as client:   # or (credentials, sim.url, sim.ws_url)
        books = await client.order_books("stock", ["00700.HK", "AAPL.US"])
        async with client.depth_stream("crypto", ["BTCUSDT", "ETHUSDT"]) as stream:
            async for item in stream:          # OrderBook, or a Gap / DecodeFailure event
                ...

The thin I/O layer: requests go through the generated `InfowayRestAPI` and `venuewire.rest`
(one HTTP caller for every JSON venue), streams are
`venuewire.transport.WsStream`s driven by the pure `InfowayDepthProtocol`; checks, paths,
reply interpretation and normalization are pure functions in `rest`, `protocol`, `book`.
Arguments are checked before anything is sent (ValueError naming the argument).

Errors: only `venuewire.VenueError`s reach the caller. The API key never appears in a repr,
a log line, an exception text, nor anywhere in an exception's `__context__`/`__cause__`
chain (aiohttp's own errors carry the request URL, query included, and its headers: every
error leaving this module is raised afresh, outside the block that caught the transport's,
with the key scrubbed from its text). A client and its streams are bound to the event loop
they are first used on: from another loop every public coroutine raises WrongEventLoop at
once (close the client on its loop first, or make one per loop).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar, Unpack
from urllib.parse import quote

import msgspec

from venuewire.capture.tap import CaptureTarget, open_tap
from venuewire.credentials import InfowayCredentials
from venuewire.errors import VenueError
from venuewire.generated.infoway.api import InfowayRestAPI
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.batch_kline_response import BatchKlineResponse
from venuewire.generated.infoway.batch_trade_response import BatchTradeResponse
from venuewire.generated.infoway.kline_body import BatchKlineBody
from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH, REST_INFOWAY_BATCH_KLINE, WS_INFOWAY_DEPTH, required
from venuewire.infoway.book import VENUE, order_books_from_response
from venuewire.infoway.market import candles_from_response, trades_from_response
from venuewire.infoway.protocol import HEARTBEAT_INTERVAL_S, IDLE_TIMEOUT_S, InfowayDepthProtocol, send_limiter
from venuewire.infoway.rest import check_codes, check_market, check_reply
from venuewire.infoway.streams import InfowayCandleProtocol, InfowayTradeProtocol, check_kline_type
from venuewire.models import Candle, OrderBook, Trade
from venuewire.rest import RestCaller, RestReplies
from venuewire.transport import (
    DEFAULT_MAX_BODY,
    LoopBound,
    RateLimiter,
    StreamOwner,
    WsProtocol,
    WsStream,
    WsStreamSettings,
    positive_seconds,
)

__all__ = ["InfowayCandleStream", "InfowayClient", "InfowayDepthStream", "InfowayMarketStream", "InfowayTradeStream"]

log = logging.getLogger("venuewire.infoway")
_KEY_IN_QUERY = re.compile(r"(?i)(apikey=)[^&'\"\s]*")
_T = TypeVar("_T")
_Item = TypeVar("_Item", Trade, Candle)
_S = TypeVar("_S")
_MAX_KLINE_BARS = 500
"""[doc] post-candlestick: at most 500 candles for one code, 2 each for several (kline_body schema)."""
_MAX_KLINE_BARS_BATCHED = 2
_STREAM_SETTINGS: frozenset[str] = frozenset(
    (
        "buffer",
        "reconnect",
        "ping_interval",
        "idle_timeout",
        "backoff_initial",
        "backoff_max",
        "healthy_after",
        "frame_window_s",
    )
)


def _scrubber(credentials: InfowayCredentials) -> Callable[[str], str]:
    """A function that removes the API key (plain or percent-encoded, and any `apikey=`
    query value) from a text."""
    key = credentials.api_key.reveal()

    def scrub(text: str) -> str:
        for secret in (key, quote(key, safe="")):
            if secret:
                text = text.replace(secret, "***")
        return _KEY_IN_QUERY.sub(r"\1***", text)

    return scrub


def _detached(error: VenueError, scrub: Callable[[str], str]) -> VenueError:
    """`error` itself, of the same type and with the same attributes (retry_after, field
    path), its texts scrubbed and its `__context__`/`__cause__` chain cut (where aiohttp's
    errors, holding the URL and headers, would hang). Raise it outside any `except` block."""
    for name, value in vars(error).items():
        if isinstance(value, str):
            setattr(error, name, scrub(value))
    error.args = tuple(scrub(a) if isinstance(a, str) else a for a in error.args)
    error.__context__ = None
    error.__cause__ = None
    error.__suppress_context__ = False
    return error


async def _clean(call: Awaitable[_T], scrub: Callable[[str], str]) -> _T:
    """Await `call`; a VenueError it raises comes out detached (see `_detached`)."""
    try:
        return await call
    except VenueError as exc:
        failure = _detached(exc, scrub)
    raise failure  # outside the except block, so Python links no __context__ to it


class _InfowayStream(WsStream[_S]):
    """What every Infoway stream shares: the registry's idle timeout as the default, and errors
    that carry no API key (see `InfowayDepthStream`)."""

    def __init__(
        self, protocol: WsProtocol[_S], credentials: InfowayCredentials, **settings: Unpack[WsStreamSettings]
    ) -> None:
        settings.setdefault("idle_timeout", IDLE_TIMEOUT_S)
        super().__init__(protocol, **settings)
        self._scrub = _scrubber(credentials)

    async def _connect_and_read(self) -> None:
        await _clean(super()._connect_and_read(), self._scrub)


class InfowayDepthStream(_InfowayStream[OrderBook]):
    """A `WsStream` of Infoway depth books (see `WsStream` for reconnects, `Gap` and
    `DecodeFailure` events, handshake refusals and slow-consumer drops in `dropped`).

    On top of it: every error it raises or logs is of the type `WsStream` gave it (AuthError
    for HTTP 401/403 at the handshake, RateLimited with `retry_after` for HTTP 429, ...)
    but carries no API key, in its text or its `__context__` chain (defence in depth: the
    shared layer already leaves the query out of its texts).

    `depth` is the protocol, with its counters (`depth.stats`) and the error frames the
    venue sent (`depth.errors`).
    """

    def __init__(
        self, protocol: InfowayDepthProtocol, credentials: InfowayCredentials, **settings: Unpack[WsStreamSettings]
    ) -> None:
        super().__init__(protocol, credentials, **settings)
        self.depth = protocol

    def __repr__(self) -> str:
        return f"InfowayDepthStream({self.depth!r}, stats={self.stats!r})"


class InfowayMarketStream(_InfowayStream[_Item], Generic[_Item]):
    """A `WsStream` of Infoway trades or candles: reconnects, `Gap`s, `DecodeFailure`s and
    slow-consumer drops as `WsStream` and `InfowayDepthStream` (errors carry no API key).
    `market` is the protocol, with its counters (`market.stats`) and the venue's error
    frames (`market.errors`)."""

    def __init__(
        self,
        protocol: InfowayTradeProtocol | InfowayCandleProtocol,
        credentials: InfowayCredentials,
        **settings: Unpack[WsStreamSettings],
    ) -> None:
        super().__init__(protocol, credentials, **settings)  # type: ignore[arg-type]
        self.market = protocol

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.market!r}, stats={self.stats!r})"


class InfowayTradeStream(InfowayMarketStream[Trade]):
    """Trades (10002 pushes) normalized; see `InfowayClient.trade_stream`."""


class InfowayCandleStream(InfowayMarketStream[Candle]):
    """Candles (10008 pushes) normalized; see `InfowayClient.candle_stream`."""


class InfowayClient(InfowayRestAPI, RestReplies, StreamOwner):
    """Infoway REST (every registry endpoint as a typed method, `InfowayRestAPI`, generated)
    and WebSocket depth streams for one API key.

    `url` (REST) / `ws_url` (WebSocket) default to the venue's (the registry's) and may point
    at `venuewire.sim.infoway`. `timeout` (s) bounds every request and every WebSocket connect.
    The stream settings (`buffer`, `reconnect`, `ping_interval`, `idle_timeout`,
    `backoff_initial`, `backoff_max`, `healthy_after`; see `depth_stream`) apply to every stream
    the client makes unless `depth_stream` is given its own.
    `limiter` (optional) paces REST requests on our side (the venue's per-key limit depends on
    the plan and is not in the registry). `max_body` (bytes) caps a reply body before it is
    buffered: a larger reply fails with PayloadTooLarge (a DecodeError) as soon as its
    Content-Length or its bytes read pass the cap (default 16 MiB; a full 100-code reply is
    well under 1 MiB). Use as `async with`; `close()` also ends every stream made by
    `depth_stream`.
    """

    def __init__(
        self,
        credentials: InfowayCredentials,
        url: str = REST_INFOWAY_BATCH_DEPTH.base_url,
        ws_url: str = WS_INFOWAY_DEPTH.url,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        buffer: int = 1024,
        reconnect: bool = True,
        ping_interval: float = HEARTBEAT_INTERVAL_S,
        idle_timeout: float = IDLE_TIMEOUT_S,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        healthy_after: float = 10.0,
        capture: CaptureTarget = None,
    ) -> None:
        if not isinstance(credentials, InfowayCredentials):
            raise TypeError("credentials must be InfowayCredentials")
        for name, value in (("url", url), ("ws_url", ws_url)):
            if not isinstance(value, str) or "://" not in value:
                raise ValueError(f"{name} must be an absolute URL, got {value!r}")
        self.timeout = positive_seconds("timeout", timeout)
        self.url = url.rstrip("/")
        self.ws_url = ws_url
        if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 1:
            raise ValueError(f"buffer must be an int >= 1, got {buffer!r}")
        self.buffer = buffer
        self.reconnect = bool(reconnect)
        self.ping_interval = positive_seconds("ping_interval", ping_interval)
        self.idle_timeout = positive_seconds("idle_timeout", idle_timeout)
        self.backoff_initial = positive_seconds("backoff_initial", backoff_initial)
        self.backoff_max = positive_seconds("backoff_max", backoff_max)
        self.healthy_after = positive_seconds("healthy_after", healthy_after)
        self._credentials = credentials
        self._scrub = _scrubber(credentials)
        self.capture = open_tap(capture, VENUE, credentials)
        """The recording of REST and WebSocket traffic (None when off; see `venuewire.capture.tap`)."""
        self._rest = RestCaller(
            VENUE,
            self.url,
            credentials,
            timeout=self.timeout,
            limiter=limiter,
            max_body=max_body,
            check=check_reply,
            capture=self.capture,
        )
        self._bound = LoopBound(VENUE)

    def __repr__(self) -> str:
        return f"InfowayClient(url={self.url!r}, ws_url={self.ws_url!r}, credentials={self._credentials!r})"

    async def close(self) -> None:
        """Close the HTTP session and every stream this client made (on the loop they are
        bound to: WrongEventLoop from another); the client may then be used on a new loop."""
        self._bound.check()
        await self.close_streams()
        await self._rest.close()
        self._bound.release()
        if self.capture is not None:
            self.capture.close()

    # -- REST ----------------------------------------------------------------------------------
    async def batch_depth(self, market: str, codes: Sequence[str]) -> BatchDepthResponse:
        """`GET /{market}/batch_depth/{codes}` as the typed reply (prices and volumes Decimal).

        `market`: one of the registry's markets (stock, crypto, common, japan, india, korea,
        taiwan); `codes`: 1 to 100 product codes (`00700.HK`, `AAPL.US`, `BTCUSDT`), checked
        before sending (ValueError). Raises AuthError (HTTP 401, ret 509/514), RateLimited
        (HTTP 429, a rate-limit `{"detail":...}` body, ret 501/502), InvalidRequest / NotFound
        (other `ret` codes), a VenueError naming the HTTP status for a gateway error (HTTP 502
        with an HTML page is not `ret` 502), Timeout, ConnectionLost, DecodeError (also for a
        NaN/infinite price or volume, or a `t` that is no date; PayloadTooLarge for a body
        over `max_body`), WrongEventLoop.
        """
        self._bound.check()
        joined = ",".join(check_codes(codes))
        return await _clean(super().batch_depth(check_market(market), joined), self._scrub)

    async def order_books(self, market: str, codes: Sequence[str]) -> list[OrderBook]:
        """`batch_depth` normalized: one `OrderBook` per snapshot the venue returned, in its
        order (codes without data are absent), each with its typed `Depth` as `raw`. Same
        arguments and errors as `batch_depth`."""
        reply = await self.batch_depth(market, codes)
        books = order_books_from_response(reply)
        return [msgspec.structs.replace(book, raw=depth) for book, depth in zip(books, reply.data or (), strict=True)]

    async def trades(self, market: str, codes: Sequence[str]) -> list[Trade]:
        """`GET /{market}/batch_trade/{codes}` normalized: the latest trade of each code with
        one, in the venue's order (`raw`: its typed TradeTick). Arguments and errors as
        `batch_depth` (a NaN price or a `t` no date holds is a DecodeError naming the field)."""
        self._bound.check()
        joined = ",".join(check_codes(codes))
        reply: BatchTradeResponse = await _clean(super().batch_trade(check_market(market), joined), self._scrub)
        return trades_from_response(reply)

    async def candles(
        self, market: str, codes: Sequence[str], kline_type: int = 1, count: int = 1, *, end: int | None = None
    ) -> list[Candle]:
        """`POST /{market}/v2/batch_kline` normalized: the last `count` candles of `kline_type`
        (1 = 1Min ... 8 = Day ... 12 = Year) for each code, newest first per code (`raw`: the
        typed KlineBar). `count` is at most 500 for one code and 2 for several; `end` (Unix
        seconds, minute and hour candles) ends the series there. ValueError before sending
        for a bad argument; errors as `batch_depth`."""
        self._bound.check()
        checked = check_codes(codes, max_codes=required(REST_INFOWAY_BATCH_KLINE.max_codes, "batch_kline max_codes"))
        check_kline_type(kline_type)
        limit = _MAX_KLINE_BARS if len(checked) == 1 else _MAX_KLINE_BARS_BATCHED
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= limit:
            raise ValueError(f"count must be an int 1..{limit} for {len(checked)} code(s), got {count!r}")
        if end is not None and (isinstance(end, bool) or not isinstance(end, int) or end < 0):
            raise ValueError(f"end must be Unix seconds (an int >= 0) or None, got {end!r}")
        body = BatchKlineBody(klineType=kline_type, klineNum=count, codes=",".join(checked))
        if end is not None:
            body = msgspec.structs.replace(body, timestamp=end)
        reply: BatchKlineResponse = await _clean(super().batch_kline(check_market(market), body), self._scrub)
        return candles_from_response(reply, kline_type)

    # -- WebSocket -----------------------------------------------------------------------------
    def depth_stream(
        self,
        market: str,
        codes: Sequence[str],
        *,
        buffer: int | None = None,
        reconnect: bool | None = None,
        ping_interval: float | None = None,
        idle_timeout: float | None = None,
        backoff_initial: float | None = None,
        backoff_max: float | None = None,
        healthy_after: float | None = None,
        frame_window_s: float = 60.0,
    ) -> InfowayDepthStream:
        """A reconnecting stream of depth books for `codes` on the `market` channel. Each
        setting left None is the client's.

        One subscribe frame carries every code; a heartbeat goes every `ping_interval` s
        (registry: 30); nothing received for `idle_timeout` s (registry: 60) counts as a
        lost connection. Sends never exceed the venue's 60 frames per minute per connection
        (`frame_window_s` is that minute; only tests shorten it). Reconnects wait
        `backoff_initial` s, doubling per failed attempt or short session up to `backoff_max`;
        only a session that lasted `healthy_after` s resets the wait. At most `buffer` items
        wait (the oldest dropped). Items are `OrderBook`s (`raw`: the typed `Depth` push
        data), `Gap`s after reconnects and `DecodeFailure`s for frames that do not decode.
        Checks the arguments now (ValueError); connects on the first `anext`.
        """

        def pick(name: str, value: float | None, default: float) -> float:
            return default if value is None else positive_seconds(name, value)

        protocol = InfowayDepthProtocol(
            self._credentials,
            market,
            codes,
            base_url=self.ws_url,
            heartbeat_interval=pick("ping_interval", ping_interval, self.ping_interval),
        )
        return self._track(
            InfowayDepthStream(
                protocol,
                self._credentials,
                buffer=self.buffer if buffer is None else buffer,
                reconnect=self.reconnect if reconnect is None else reconnect,
                backoff_initial=pick("backoff_initial", backoff_initial, self.backoff_initial),
                backoff_max=pick("backoff_max", backoff_max, self.backoff_max),
                healthy_after=pick("healthy_after", healthy_after, self.healthy_after),
                connect_timeout=self.timeout,
                idle_timeout=pick("idle_timeout", idle_timeout, self.idle_timeout),
                send_limiter=send_limiter(positive_seconds("frame_window_s", frame_window_s)),
                capture=self.capture,
            )
        )

    def _market_settings(self, overrides: dict[str, float | int | bool | None]) -> WsStreamSettings:
        unknown = sorted(set(overrides) - _STREAM_SETTINGS)
        if unknown:
            raise TypeError(f"unknown stream setting(s) {unknown}; known: {sorted(_STREAM_SETTINGS)}")

        def pick(name: str, default: float) -> float:
            value = overrides.get(name)
            return default if value is None else positive_seconds(name, float(value))

        buffer, reconnect = overrides.get("buffer"), overrides.get("reconnect")
        return WsStreamSettings(
            buffer=self.buffer if buffer is None else int(buffer),
            reconnect=self.reconnect if reconnect is None else bool(reconnect),
            backoff_initial=pick("backoff_initial", self.backoff_initial),
            backoff_max=pick("backoff_max", self.backoff_max),
            healthy_after=pick("healthy_after", self.healthy_after),
            connect_timeout=self.timeout,
            idle_timeout=pick("idle_timeout", self.idle_timeout),
            send_limiter=send_limiter(pick("frame_window_s", 60.0)),
            capture=self.capture,
        )

    def _heartbeat(self, overrides: dict[str, float | int | bool | None]) -> float:
        value = overrides.get("ping_interval")
        return self.ping_interval if value is None else positive_seconds("ping_interval", float(value))

    def trade_stream(
        self, market: str, codes: Sequence[str], **settings: float | int | bool | None
    ) -> InfowayTradeStream:
        """A reconnecting stream of `Trade`s (10002 pushes) for `codes` on the `market`
        channel: one merged 10000 subscribe a connection, resent after each reconnect.
        Items are `Trade | Gap | DecodeFailure`. `settings` are depth_stream's (buffer,
        reconnect, ping_interval, idle_timeout, backoff_initial, backoff_max, healthy_after,
        frame_window_s); the client's when left out. Checks the arguments now (ValueError)."""
        protocol = InfowayTradeProtocol(
            self._credentials, market, codes, base_url=self.ws_url, heartbeat_interval=self._heartbeat(settings)
        )
        return self._track(InfowayTradeStream(protocol, self._credentials, **self._market_settings(settings)))

    def candle_stream(
        self, market: str, codes: Sequence[str], kline_type: int = 1, **settings: float | int | bool | None
    ) -> InfowayCandleStream:
        """A reconnecting stream of `Candle`s (10008 pushes: the current candle of each code,
        pushed again as it changes) of `kline_type` (1 = 1Min ... 12 = Year) for `codes` on
        the `market` channel: one 10006 subscribe a connection, resent after each reconnect.
        Items are `Candle | Gap | DecodeFailure`; `settings` as `trade_stream`."""
        protocol = InfowayCandleProtocol(
            self._credentials,
            market,
            codes,
            kline_type,
            base_url=self.ws_url,
            heartbeat_interval=self._heartbeat(settings),
        )
        return self._track(InfowayCandleStream(protocol, self._credentials, **self._market_settings(settings)))
