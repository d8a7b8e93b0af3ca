"""An embedded Infoway for tests, the demo and development: no account, no network.

One aiohttp server (`sim.url` for REST, `sim.ws_url` for the WebSocket) with one API key
(`api_key`, default `DEFAULT_API_KEY`; `serve()` reads VENUEWIRE_INFOWAY_API_KEY first):

REST `GET /{market}/batch_depth/{codes}` (REST_INFOWAY_BATCH_DEPTH), header `apiKey`
(any case). In order:
    wrong or missing key                  -> HTTP 401 `{"ret":401,"msg":"Unauthorized"}`
    over the per-key limit                -> HTTP 429 `{"detail":"Rate limit exceeded"}` with
                                             Retry-After, or (rate_limit_reply="detail") the
                                             same body with HTTP 200, as the venue's gateway does
    market not in the registry's choices  -> ret 506 "param error"
    no codes (`/stock/batch_depth/`)      -> ret 507 "param lost"
    more than max_codes (100) codes       -> ret 505 "products quantity exceeds the limit"
    codes of an unknown format            -> skipped (no snapshot); when every code is
                                             skipped -> ret 508 "all product not exists"
                                             (CODE_PATTERNS lists the formats) [our choice]
    otherwise                             -> ret 200 with one snapshot per code, from
                                             `venuewire.sim.books.BookGenerator` at `sim.step`
The per-key limit is `rest_limit` requests per `rest_window_s` (default 10 per second: the
venue's real limit depends on the plan and is not in the registry) [guess].
After the same faults, key and limit checks: `GET /{market}/batch_trade/{codes}` (checked as
batch_depth) answers the latest trade of each code (`SimState.trade`: at the best ask or bid of
its book by turns); `POST /{market}/v2/batch_kline` reads its JSON body as `BatchKlineBody` (506
or 507 when it is not one, 506 for more than 2 candles of several codes) and answers candles of
`BAR_STEPS` steps each (`SimState.bar`); `/common/basic/symbols` and `/symbols/info` filter
the data files `data/infoway/symbols_response/<type>.json` and `symbol_info_response/info.json`
(HTTP 400 without `type`, ret 506 for a type without a file); `/common/basic/markets` serves
`markets_response/markets.json`. Any other [[rest]] route of Infoway in the registry is served
too (`venuewire.sim.rest`): it answers its response's example.

WebSocket `/ws?business=<market>&apikey=<key>` (WS_INFOWAY_DEPTH): a wrong key is refused
at the handshake with HTTP 401 and an unknown business with HTTP 400 [guess]. On connect:
the plain-text permission notice on `stock` (the official SDK reports it), then
`{"code":200,"msg":"ws connect success"}`. 10003 subscribes (codes merged in one frame) ->
10004 ack with the same trace, one 10005 push per code at once and then every
`push_interval` s (codes of unknown format are acked and stay silent, as the SDK reports
the venue does); 11001 unsubscribes -> 11010; trades likewise (10000 -> 10001, 10002 pushes, 11000 -> 11010)
and candles (10006 with one `arr` entry per interval -> 10007, 10008 pushes of the growing
candle, 11002 -> 11010 for the `klineTypes` given, every interval without); 10010 heartbeats get no reply, as the docs
say (with `heart_apply=True`, each gets a `{"code":10011,"trace":<its trace>}` frame: the
code the official SDK consumes as a control frame (registry `codes.heart_apply`); that the
venue sends it, and in that shape, is a [guess]). A frame that is
not JSON gets `{"code":515,...}`, one that is not one of these `{"code":506,...}`
(507 when a parameter is missing; codes from the registry's WebSocket error table). Which
class decodes which client frame is the generated dispatch table `INFOWAY_DEPTH_CLIENT`, and
every frame sent (welcome, acks, heart_apply, error frames) is built as its generated class
(WsWelcome, WsDepthAck, WsUnsubscribeAck, WsHeartApply, WsError). Limits, per connection:
    more than `max_frames` (60) frames received within `frame_window_s` (60) -> closed, code 1008
    nothing received for `idle_timeout_s` (registry: 60)                   -> closed, code 1008
Both are counted in `sim.stats` (as are the most frames any connection sent in one window).

Layers: `batch_depth_reply`, `venuewire.sim.rest.KeyRateLimit` and `WsSession` are pure (clock as an argument);
`InfowaySimulator` moves bytes and applies the `Fault`s in `sim.faults` (a mutable set,
applying from the next reply or frame while present): DROP_CONNECTION (REST: the connection
is closed with no reply; WS: it is aborted before the next frame is written), GARBAGE_FRAME
(REST: the reply body is cut in half, not JSON; WS: every frame written is cut in half) and
SLOW_REPLY (REST replies and WS frames wait `slow_reply_s`). The WebSocket machinery is
`venuewire.sim.server.WsSimulator`; the books come from the package's data files (see
`example_books`).
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import itertools
import math
import os
import re
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Final, Literal, TypeVar, cast

import msgspec
from aiohttp import web

from venuewire.errors import DecodeError, error_code
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.batch_kline_response import BatchKlineResponse
from venuewire.generated.infoway.batch_trade_response import BatchTradeResponse
from venuewire.generated.infoway.depth import Depth
from venuewire.generated.infoway.error_detail import ErrorDetail
from venuewire.generated.infoway.kline_bar import KlineBar
from venuewire.generated.infoway.kline_body import BatchKlineBody
from venuewire.generated.infoway.kline_series import KlineSeries
from venuewire.generated.infoway.markets_response import MarketsResponse
from venuewire.generated.infoway.symbol_info_response import SymbolInfoResponse
from venuewire.generated.infoway.symbols_response import SymbolsResponse
from venuewire.generated.infoway.trade_tick import TradeTick
from venuewire.generated.infoway.ws_ack import WsDepthAck
from venuewire.generated.infoway.ws_depth import WsDepthPush
from venuewire.generated.infoway.ws_dispatch import INFOWAY_DEPTH_CLIENT, INFOWAY_KLINE_CLIENT, INFOWAY_TRADE_CLIENT
from venuewire.generated.infoway.ws_error import WsError
from venuewire.generated.infoway.ws_heart_apply import WsHeartApply
from venuewire.generated.infoway.ws_heartbeat import WsHeartbeat
from venuewire.generated.infoway.ws_kline import Data as WsKlineBar
from venuewire.generated.infoway.ws_kline import WsKlinePush
from venuewire.generated.infoway.ws_kline_ack import WsKlineAck
from venuewire.generated.infoway.ws_kline_subscribe import WsKlineSubscribe
from venuewire.generated.infoway.ws_kline_unsubscribe import WsKlineUnsubscribe
from venuewire.generated.infoway.ws_subscribe import WsDepthSubscribe
from venuewire.generated.infoway.ws_trade import WsTradePush
from venuewire.generated.infoway.ws_trade_ack import WsTradeAck
from venuewire.generated.infoway.ws_trade_subscribe import WsTradeSubscribe
from venuewire.generated.infoway.ws_trade_unsubscribe import WsTradeUnsubscribe
from venuewire.generated.infoway.ws_unsubscribe import WsDepthUnsubscribe
from venuewire.generated.infoway.ws_unsubscribe_ack import WsUnsubscribeAck
from venuewire.generated.infoway.ws_welcome import WsWelcome
from venuewire.generated.registry import (
    AUTH_SCHEMES,
    REST_INFOWAY_BATCH_DEPTH,
    REST_INFOWAY_BATCH_KLINE,
    REST_INFOWAY_BATCH_TRADE,
    REST_INFOWAY_MARKETS,
    REST_INFOWAY_SYMBOL_INFO,
    REST_INFOWAY_SYMBOLS,
    WS_INFOWAY_DEPTH,
    WS_INFOWAY_KLINE,
    WS_INFOWAY_TRADE,
    RestEndpoint,
    required,
)
from venuewire.generated.ws_dispatch import Unrouted
from venuewire.messages import decode_json, encode_json
from venuewire.sim import rest
from venuewire.sim.books import BookGenerator, Level, symbol_seed
from venuewire.sim.server import (
    Cache,
    Connection,
    Fault,
    Frame,
    SlidingWindow,
    WsSimulator,
    example,
    serve_until_cancelled,
)
from venuewire.values import DecimalText

__all__ = [
    "CODE_PATTERNS",
    "DEFAULT_API_KEY",
    "GREETING",
    "Fault",
    "InfowaySimulator",
    "SimState",
    "SimStats",
    "WsSession",
    "batch_depth_reply",
    "batch_kline_reply",
    "batch_trade_reply",
    "book_generator",
    "example_books",
    "serve",
    "symbols_reply",
]


DEFAULT_API_KEY: Final = "venuewire-sim-infoway-key"
ENV_API_KEY: Final = "VENUEWIRE_INFOWAY_API_KEY"
GREETING: Final = "You have permission to subscribe to all market data"
MARKETS: Final[tuple[str, ...]] = REST_INFOWAY_BATCH_DEPTH.choices["market"]
BUSINESSES: Final[tuple[str, ...]] = WS_INFOWAY_DEPTH.choices["business"]
MAX_CODES: Final[int] = required(REST_INFOWAY_BATCH_DEPTH.max_codes, "infoway batch_depth max_codes")
(API_KEY_HEADER,) = AUTH_SCHEMES[REST_INFOWAY_BATCH_DEPTH.auth].headers
(API_KEY_QUERY,) = AUTH_SCHEMES[WS_INFOWAY_DEPTH.auth].query
MAX_FRAMES: Final[int] = required(WS_INFOWAY_DEPTH.max_frames_per_minute, "infoway depth max_frames_per_minute")
IDLE_TIMEOUT_S: Final[float] = float(required(WS_INFOWAY_DEPTH.idle_timeout_s, "infoway depth idle_timeout_s"))
WS_PATH: Final = "/ws"
CODES: Final[dict[str, int]] = WS_INFOWAY_DEPTH.codes
TRADE_CODES: Final[dict[str, int]] = WS_INFOWAY_TRADE.codes
KLINE_CODES: Final[dict[str, int]] = WS_INFOWAY_KLINE.codes
CLIENT_TABLES: Final = (INFOWAY_DEPTH_CLIENT, INFOWAY_TRADE_CLIENT, INFOWAY_KLINE_CLIENT)
"""The frames a connection may send: depth, trade and candle (un)subscribes, heartbeats."""
BAR_STEPS: Final = 10
"""Steps (pushes) per simulated candle: its open is the trade price at the candle's first step,
its close the latest; every BAR_STEPS steps a new candle starts [our choice]."""
KLINE_PERIOD_S: Final[tuple[int, ...]] = (
    60,
    300,
    900,
    1800,
    3600,
    7200,
    14400,
    86400,
    604800,
    2592000,
    7776000,
    31536000,
)
"""Seconds a candle of klineType n spans (n-th entry; month, quarter and year as 30, 90, 365
days) [our choice]: the simulated candle's `t` is its start floored to this period."""
OUTBOX_LIMIT: Final = 1024
"""Frames waiting for one connection; pushes beyond it are skipped (a stuck reader)."""
RECEIVED_KEPT: Final = 10_000

CODE_PATTERNS: Final[dict[str, re.Pattern[str]]] = {
    market: re.compile(pattern)
    for market, pattern in {
        "stock": r"\d{5}\.HK|\d{6}\.(?:SH|SZ)|[A-Z][A-Z0-9]*(?:[.-][A-Z])?\.US",
        "crypto": r"[A-Z0-9]{2,15}(?:USDT|USDC|USD|BTC|ETH)",
        "common": r"[A-Z0-9]{3,15}",
        "japan": r"\d{4}\.JP",
        "india": r"[A-Z0-9&-]{1,20}\.IN",
        "korea": r"\d{6}\.(?:KS|KQ)",
        "taiwan": r"\d{4,6}\.TW",
    }.items()
}
"""The code formats the simulator knows per market [guess, from the venue's examples and
the official SDK's docstrings]: HK codes are five digits (`00700.HK`, never `700.HK`)."""


@cache
def example_books() -> dict[str, Depth]:
    """The example book of each code the demo and tests use, by code: from the package's data
    files (validated by the schemas); their mid, tick, lot and depth drive the served books."""
    return {depth.s: depth for depth in example(BatchDepthResponse, "books").data or ()}


def _pairs(side: tuple[list[DecimalText], list[DecimalText]]) -> list[tuple[Decimal, Decimal]]:
    prices, sizes = side
    return [(Decimal(price), Decimal(size)) for price, size in zip(prices, sizes, strict=True)]


def book_generator(code: str) -> BookGenerator:
    """The book of `code`: from its example book (`example_books`), or derived from the code
    (mid 10 to 500, tick 0.01, 10 levels; 5 levels and lots of 100 for Shanghai/Shenzhen and
    lots of 100 for HK)."""
    book = example_books().get(code)
    if book is not None:
        return BookGenerator.from_book(code, _pairs(book.b), _pairs(book.a))
    seed = symbol_seed(code)
    china = code.endswith((".SH", ".SZ"))
    board_lot = Decimal(100) if china or code.endswith(".HK") else Decimal(1)
    return BookGenerator(code, Decimal(10 + seed % 491), Decimal("0.01"), 5 if china else 10, lot=board_lot)


def _side(levels: list[Level]) -> tuple[list[DecimalText], list[DecimalText]]:
    """A side as the wire carries it: the text of each price and size (`str()` of a Decimal)."""
    return ([DecimalText(str(price)) for price, _, _ in levels], [DecimalText(str(size)) for _, size, _ in levels])


@dataclass
class SimStats:
    """What the simulator has seen and done (tests read these)."""

    rest_requests: int = 0
    rest_unauthorized: int = 0
    rest_rate_limited: int = 0
    ws_connections: int = 0
    ws_refused: int = 0
    """WebSocket handshakes refused (a bad key or an unknown business)."""
    frames_received: int = 0
    max_frames_in_window: int = 0
    """The most frames one connection sent in one frame window."""
    closed_for_frame_limit: int = 0
    closed_for_silence: int = 0
    """Connections closed because nothing came for `idle_timeout_s`."""
    dropped_by_fault: int = 0
    """REST requests and connections cut by Fault.DROP_CONNECTION."""
    pushes_sent: int = 0
    pushes_skipped: int = 0


@dataclass
class SimState:
    """What every connection shares: the key, the book step, the faults and the books."""

    api_key: str
    push_interval: float = 0.2
    epoch_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    step: int = 0
    faults: set[Fault] = field(default_factory=set)
    stats: SimStats = field(default_factory=SimStats)
    received: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=RECEIVED_KEPT))
    _books: dict[str, BookGenerator] = field(default_factory=lambda: Cache(book_generator), repr=False)

    def __repr__(self) -> str:
        return f"SimState(step={self.step}, faults={sorted(f.name for f in self.faults)})"

    def key_ok(self, key: str | None) -> bool:
        return key is not None and hmac.compare_digest(key.encode(), self.api_key.encode())

    def book(self, code: str) -> BookGenerator:
        return self._books[code]

    def _tick(self, code: str, step: int) -> TradeTick:
        bids, asks = self.book(code).snapshot(step)
        buy = (step + symbol_seed(code)) % 2 == 0
        levels = asks if buy else bids
        price = levels[0][0] if levels else self.book(code).mid
        size = self.book(code).lot * (1 + (step + symbol_seed(code)) % 5)
        t = self.epoch_ms + round(step * self.push_interval * 1000)
        return TradeTick(s=code, t=t, p=price, v=size, vw=price * size, td=1 if buy else 2)

    def trade(self, code: str) -> TradeTick:
        """`code`'s latest trade at the current step: at the best ask (td 1, buy) or bid (td 2)
        by turns, a size of 1 to 5 lots, `t` as the book's."""
        return self._tick(code, self.step)

    def bar(self, code: str, kline_type: int, step: int | None = None) -> KlineBar:
        """The candle of `code` containing `step` (default: now): the trades of its steps so far."""
        now = self.step if step is None else step
        ticks = [self._tick(code, s) for s in range(now - now % BAR_STEPS, now + 1)]
        prices = [tick.p for tick in ticks]
        period = KLINE_PERIOD_S[kline_type - 1]
        start = ticks[0].t // 1000 // period * period
        return KlineBar(
            t=str(start),
            o=prices[0],
            h=max(prices),
            l=min(prices),
            c=prices[-1],
            v=sum((tick.v for tick in ticks), Decimal(0)),
            vw=sum((tick.p * tick.v for tick in ticks), Decimal(0)),
        )

    def depth(self, code: str) -> Depth:
        """`code`'s snapshot at the current step (`t` moves push_interval per step)."""
        bids, asks = self.book(code).snapshot(self.step)
        t = self.epoch_ms + round(self.step * self.push_interval * 1000)
        return Depth(s=code, t=t, a=_side(asks), b=_side(bids))


# --- REST (pure) ------------------------------------------------------------------------------


REST_ERRORS: Final[dict[str, int]] = {
    name: error_code("infoway", name, scope="rest")
    for name in ("param_error", "param_lost", "too_many_products", "no_product")
}
"""The REST `ret` codes the simulator answers with, by their registry names."""
WS_ERRORS: Final[dict[str, int]] = {
    name: error_code("infoway", name, scope="ws") for name in ("not_json", "param_error", "param_lost")
}
"""The WebSocket error-frame codes the simulator sends, by their registry names."""


def _failure(ret: int, msg: str) -> BatchDepthResponse:
    return BatchDepthResponse(ret=ret, msg=msg, traceId=str(uuid.uuid4()))


def batch_depth_reply(state: SimState, market: str, codes_text: str) -> BatchDepthResponse:
    """The reply to `GET /{market}/batch_depth/{codes_text}` once the key and the rate limit
    have passed (see the module docstring)."""
    if market not in MARKETS:
        return _failure(REST_ERRORS["param_error"], f"param error: unknown market {market[:40]!r}")
    codes = list(dict.fromkeys(c.strip() for c in codes_text.split(",") if c.strip()))
    if not codes:
        return _failure(REST_ERRORS["param_lost"], "param lost: codes")
    if len(codes) > MAX_CODES:
        return _failure(REST_ERRORS["too_many_products"], f"products quantity exceeds the limit: {MAX_CODES}")
    pattern = CODE_PATTERNS[market]
    known = [code for code in codes if pattern.fullmatch(code)]
    if not known:
        return _failure(REST_ERRORS["no_product"], "all product not exists")
    return BatchDepthResponse(
        ret=200, msg="success", traceId=str(uuid.uuid4()), data=[state.depth(code) for code in known]
    )


def _codes(codes_text: str) -> list[str]:
    return list(dict.fromkeys(c.strip() for c in codes_text.split(",") if c.strip()))


def batch_trade_reply(state: SimState, market: str, codes_text: str) -> BatchTradeResponse:
    """The reply to `GET /{market}/batch_trade/{codes_text}`: checked like batch_depth, then
    the latest trade of each known code (`SimState.trade`)."""
    refused = batch_depth_reply(state, market, codes_text)
    if refused.ret != 200:
        return BatchTradeResponse(ret=refused.ret, msg=refused.msg, traceId=refused.traceId)
    known = [depth.s for depth in refused.data or ()]
    return BatchTradeResponse(ret=200, msg="success", traceId=str(uuid.uuid4()), data=[state.trade(c) for c in known])


def batch_kline_reply(state: SimState, market: str, body: bytes) -> BatchKlineResponse:
    """The reply to `POST /{market}/v2/batch_kline`: the body must be a BatchKlineBody (else
    ret 506, 507 for a missing field); codes checked like batch_depth; more than 2 candles
    for several codes is 506, as the official SDK says the venue refuses; then `klineNum`
    candles per code (`BAR_STEPS` steps each), newest first: fewer while the simulator has
    not yet run that many (its history starts at step 0) [our choice]."""
    try:
        request = decode_json(BatchKlineBody, body)
    except DecodeError as exc:
        name = "param_lost" if "missing" in exc.detail else "param_error"
        return BatchKlineResponse(
            ret=REST_ERRORS[name], msg=f"param error: {exc.message}"[:200], traceId=str(uuid.uuid4())
        )
    refused = batch_depth_reply(state, market, request.codes)
    if refused.ret != 200:
        return BatchKlineResponse(ret=refused.ret, msg=refused.msg, traceId=refused.traceId)
    known = [depth.s for depth in refused.data or ()]
    if len(known) > 1 and request.klineNum > 2:
        return BatchKlineResponse(
            ret=REST_ERRORS["param_error"], msg="param error: klineNum exceeds 2", traceId=str(uuid.uuid4())
        )
    series = []
    for code in known:
        ends = [state.step - state.step % BAR_STEPS - k * BAR_STEPS for k in range(request.klineNum)]
        bars = [
            state.bar(code, request.klineType, end if k == 0 else end + BAR_STEPS - 1)
            for k, end in enumerate(ends)
            if end >= 0
        ]
        series.append(KlineSeries(s=code, respList=bars))
    return BatchKlineResponse(ret=200, msg="success", traceId=str(uuid.uuid4()), data=series)


@cache
def _symbol_lists() -> dict[str, SymbolsResponse]:
    return {kind: example(SymbolsResponse, kind.lower()) for kind in SYMBOL_TYPES}


SYMBOL_TYPES: Final = ("STOCK_US", "STOCK_HK", "CRYPTO")
"""The product types the simulator lists (data/infoway/symbols_response/<type>.json) [our choice]."""


def symbols_reply(kind: str | None, symbols: str | None, *, info: bool = False) -> bytes:
    """The reply to `/common/basic/symbols` (or `/symbols/info` with `info`): the entries of
    the data file of `kind`, only those named in `symbols` when given; an unknown type is ret
    506 [guess]. None for a missing `type` (the venue answers HTTP 400, per the official SDK)."""
    if not kind:
        return b""
    trace = str(uuid.uuid4())
    lists = _symbol_lists()
    if kind not in lists:
        return encode_json(
            SymbolsResponse(ret=REST_ERRORS["param_error"], msg=f"param error: type {kind[:40]!r}", traceId=trace)
        )
    wanted = set(_codes(symbols or ""))
    if info:
        rows = [row for row in example(SymbolInfoResponse, "info").data or () if row.symbol in wanted]
        return encode_json(SymbolInfoResponse(ret=200, msg="success", traceId=trace, data=rows))
    entries = [e for e in lists[kind].data or () if not wanted or e.symbol in wanted]
    return encode_json(SymbolsResponse(ret=200, msg="success", traceId=trace, data=entries))


# --- WebSocket (pure) -------------------------------------------------------------------------


def _error_frame(code: int, msg: str) -> str:
    return encode_json(WsError(code=code, msg=msg)).decode()


_T = TypeVar("_T", bound=msgspec.Struct)


def _decoded(cls: type[_T], text: str) -> _T | str:
    """`text` as `cls`, or the error frame refusing it (507 for a missing field, else 506)."""
    try:
        return decode_json(cls, text)
    except DecodeError as exc:
        name = "param_lost" if "missing" in exc.detail else "param_error"
        return _error_frame(WS_ERRORS[name], f"param error: {exc.message}"[:200])


class WsSession:
    """One WebSocket connection with no I/O: frames in (`receive`, with the time), frames out.

    `close_reason` is set when the connection must be closed (frame limit); `idle(now)`
    says whether nothing was received for `idle_timeout_s`.
    """

    def __init__(
        self,
        state: SimState,
        conn_id: int,
        business: str,
        now: float,
        *,
        max_frames: int = MAX_FRAMES,
        frame_window_s: float = 60.0,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
        heart_apply: bool = False,
    ) -> None:
        self.state = state
        self.heart_apply = heart_apply
        self.conn_id = conn_id
        self.business = business
        self.max_frames = max_frames
        self.frame_window_s = frame_window_s
        self.idle_timeout_s = idle_timeout_s
        self.subscribed: dict[str, None] = {}
        self.trades: dict[str, None] = {}
        """Codes subscribed to trades (10000)."""
        self.klines: dict[tuple[str, int], None] = {}
        """(code, klineType) subscribed to candles (10006)."""
        self.frames_received = 0
        self.max_in_window = 0
        self.last_seen = now
        self.close_reason: str | None = None
        self._window = SlidingWindow(frame_window_s)
        self._pattern = CODE_PATTERNS[business]

    def opening(self) -> list[str]:
        welcome = encode_json(WsWelcome(code=cast("Literal[200]", CODES["welcome"]), msg="ws connect success")).decode()
        return [GREETING, welcome] if self.business == "stock" else [welcome]

    def idle(self, now: float) -> bool:
        return now - self.last_seen > self.idle_timeout_s

    def _count(self, now: float) -> bool:
        in_window = self._window.add(now)
        self.frames_received += 1
        self.max_in_window = max(self.max_in_window, in_window)
        stats = self.state.stats
        stats.frames_received += 1
        stats.max_frames_in_window = max(stats.max_frames_in_window, in_window)
        if in_window > self.max_frames:
            self.close_reason = f"more than {self.max_frames} frames in {self.frame_window_s:g} s"
            return False
        return True

    def receive(self, data: str | bytes, now: float) -> list[str]:
        """Replies to one frame (none once `close_reason` is set)."""
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        self.state.received.append((self.conn_id, text))
        if self.close_reason is not None or not self._count(now):
            return []
        self.last_seen = now
        route = None
        for table in CLIENT_TABLES:
            try:
                route, code = table.route(text)
            except Unrouted as exc:
                if exc.not_json:
                    return [_error_frame(WS_ERRORS["not_json"], "the frame is not JSON")]
                return [_error_frame(WS_ERRORS["param_error"], f"param error: {exc.reason}"[:100])]
            if route is not None:
                break
        if route is None:
            return [_error_frame(WS_ERRORS["param_error"], f"param error: unknown code {code!r}"[:100])]
        frame = _decoded(route.cls, text)
        if isinstance(frame, str):
            return [frame]
        if isinstance(frame, WsHeartbeat):
            return [self._heart_apply(frame)] if self.heart_apply else []
        if isinstance(frame, WsDepthSubscribe):
            return self._subscribe(frame)
        if isinstance(frame, WsDepthUnsubscribe):
            return self._unsubscribe(frame)
        if isinstance(frame, WsTradeSubscribe | WsKlineSubscribe):
            return self._market_subscribe(frame)
        if isinstance(frame, WsTradeUnsubscribe | WsKlineUnsubscribe):
            return self._market_unsubscribe(frame)
        return [_error_frame(WS_ERRORS["param_error"], f"param error: code {code!r} is not served"[:100])]

    @staticmethod
    def _heart_apply(heartbeat: WsHeartbeat) -> str:
        reply = WsHeartApply(code=cast("Literal[10011]", CODES["heart_apply"]), trace=heartbeat.trace)
        return encode_json(reply).decode()

    def _subscribe(self, frame: WsDepthSubscribe) -> list[str]:
        codes = [c.strip() for c in frame.data.codes.split(",") if c.strip()]
        if not codes:
            return [_error_frame(WS_ERRORS["param_lost"], "param lost: codes")]
        ack = WsDepthAck(code=cast("Literal[10004]", CODES["ack"]), trace=frame.trace, msg="ok")
        new = [c for c in codes if c not in self.subscribed]
        for code in codes:
            self.subscribed[code] = None
        return [encode_json(ack).decode(), *self._pushes(new)]

    def _unsubscribe(self, frame: WsDepthUnsubscribe) -> list[str]:
        for code in frame.data.codes.split(","):
            self.subscribed.pop(code.strip(), None)
        ack = WsUnsubscribeAck(code=cast("Literal[11010]", CODES["unsubscribe_ack"]), trace=frame.trace, msg="ok")
        return [encode_json(ack).decode()]

    def _market_subscribe(self, frame: WsTradeSubscribe | WsKlineSubscribe) -> list[str]:
        if isinstance(frame, WsTradeSubscribe):
            codes = _codes(frame.data.codes)
            if not codes:
                return [_error_frame(WS_ERRORS["param_lost"], "param lost: codes")]
            new = [c for c in codes if c not in self.trades]
            self.trades.update(dict.fromkeys(codes))
            ack = WsTradeAck(code=cast("Literal[10001]", TRADE_CODES["ack"]), trace=frame.trace, msg="ok")
            return [encode_json(ack).decode(), *self._trade_pushes(new)]
        keys = [(c, item.type) for item in frame.data.arr for c in _codes(item.codes)]
        if not keys:
            return [_error_frame(WS_ERRORS["param_lost"], "param lost: codes")]
        fresh = [k for k in keys if k not in self.klines]
        self.klines.update(dict.fromkeys(keys))
        kline_ack = WsKlineAck(code=cast("Literal[10007]", KLINE_CODES["ack"]), trace=frame.trace, msg="ok")
        return [encode_json(kline_ack).decode(), *self._kline_pushes(fresh)]

    def _market_unsubscribe(self, frame: WsTradeUnsubscribe | WsKlineUnsubscribe) -> list[str]:
        codes = set(_codes(frame.data.codes))
        if isinstance(frame, WsTradeUnsubscribe):
            for c in codes:
                self.trades.pop(c, None)
        else:
            types = frame.data.klineTypes
            only = {int(k) for k in types.split(",") if k.strip().isdigit()} if isinstance(types, str) else None
            for key in [k for k in self.klines if k[0] in codes and (only is None or k[1] in only)]:
                self.klines.pop(key)
        ack = WsUnsubscribeAck(code=cast("Literal[11010]", CODES["unsubscribe_ack"]), trace=frame.trace, msg="ok")
        return [encode_json(ack).decode()]

    def _trade_pushes(self, codes: list[str]) -> list[str]:
        code = cast("Literal[10002]", TRADE_CODES["push"])
        return [
            encode_json(WsTradePush(code=code, data=self.state.trade(c))).decode()
            for c in codes
            if self._pattern.fullmatch(c)
        ]

    def _kline_pushes(self, keys: list[tuple[str, int]]) -> list[str]:
        code = cast("Literal[10008]", KLINE_CODES["push"])
        out = []
        for symbol, kline_type in keys:
            if not self._pattern.fullmatch(symbol):
                continue
            bar = self.state.bar(symbol, kline_type)
            data = WsKlineBar(s=symbol, t=bar.t, ty=kline_type, o=bar.o, h=bar.h, l=bar.l, c=bar.c, v=bar.v, vw=bar.vw)
            out.append(encode_json(WsKlinePush(code=code, data=data)).decode())
        return out

    def _pushes(self, codes: list[str]) -> list[str]:
        code = cast("Literal[10005]", CODES["push"])
        return [
            encode_json(WsDepthPush(code=code, data=self.state.depth(c))).decode()
            for c in codes
            if self._pattern.fullmatch(c)
        ]

    def pushes(self) -> list[str]:
        """One 10005, 10002 and 10008 push per subscription of a code of a known format, at
        the current step."""
        return [
            *self._pushes(list(self.subscribed)),
            *self._trade_pushes(list(self.trades)),
            *self._kline_pushes(list(self.klines)),
        ]


# --- I/O --------------------------------------------------------------------------------------


class InfowaySimulator(WsSimulator[WsSession]):
    """The Infoway simulator: `async with InfowaySimulator(port=0) as sim:`.

    `sim.url` is the REST base URL (`http://127.0.0.1:PORT`), `sim.ws_url` the WebSocket URL
    without its query. Every `push_interval` s the book step advances and every subscription
    gets a push. `rest_limit` / `rest_window_s` is the per-key REST limit and
    `rate_limit_reply` how it answers ("http429", or "detail": HTTP 200 with the detail body).
    `max_frames` / `frame_window_s` and `idle_timeout_s` are the per-connection WebSocket
    limits (registry values by default; tests shorten them). `slow_reply_s` is
    Fault.SLOW_REPLY's delay. `heart_apply` answers each heartbeat with a 10011 frame
    (off by default: the docs say heartbeats get no reply).
    """

    ticker_name = "infoway-sim-ticker"
    venue = "infoway"
    outbox_limit = OUTBOX_LIMIT

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = DEFAULT_API_KEY,
        push_interval: float = 0.2,
        rest_limit: int = 10,
        rest_window_s: float = 1.0,
        rate_limit_reply: Literal["http429", "detail"] = "http429",
        max_frames: int = MAX_FRAMES,
        frame_window_s: float = 60.0,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
        slow_reply_s: float = 2.0,
        heart_apply: bool = False,
    ) -> None:
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key must be a non-empty string")
        if push_interval <= 0 or slow_reply_s < 0 or frame_window_s <= 0 or idle_timeout_s <= 0 or max_frames < 1:
            raise ValueError("push_interval, frame_window_s, idle_timeout_s must be positive, max_frames >= 1")
        if rate_limit_reply not in ("http429", "detail"):
            raise ValueError("rate_limit_reply must be 'http429' or 'detail'")
        self.state = SimState(api_key=api_key, push_interval=push_interval)
        super().__init__(host, port, faults=self.state.faults, slow_reply_s=slow_reply_s)
        self.rest_limit = rest.KeyRateLimit(rest_limit, rest_window_s, name="rest_limit")
        self.rate_limit_reply = rate_limit_reply
        self.max_frames = max_frames
        self.frame_window_s = frame_window_s
        self.idle_timeout_s = idle_timeout_s
        self.heart_apply = heart_apply
        self._conn_ids = itertools.count(1)

    def __repr__(self) -> str:
        return f"InfowaySimulator(host={self.host!r}, port={self.port}, state={self.state!r})"

    # -- what tests look at --------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return self.address("ws", WS_PATH)

    @property
    def stats(self) -> SimStats:
        return self.state.stats

    @property
    def step(self) -> int:
        return self.state.step

    @property
    def received(self) -> list[tuple[int, str]]:
        """(connection id, text) of every WebSocket frame received, oldest first (the last 10,000)."""
        return list(self.state.received)

    def book(self, code: str) -> BookGenerator:
        """The generator of `code`'s book: `.snapshot(sim.step)` is what is served now."""
        return self.state.book(code)

    # -- lifecycle (AppSimulator) ----------------------------------------------------------------
    def _routes(self, router: web.UrlDispatcher) -> None:
        router.add_get(WS_PATH, self._ws)
        rest.RestRoutes(REST_INFOWAY_BATCH_DEPTH.venue, self._rest).add_to(router)
        # batch_depth without its last segment: the venue answers "param lost" (ret 507)
        without_codes = REST_INFOWAY_BATCH_DEPTH.path.removesuffix("{codes}")
        for path in (without_codes, without_codes.rstrip("/")):
            router.add_get(path, functools.partial(self._rest, REST_INFOWAY_BATCH_DEPTH))

    # -- REST ------------------------------------------------------------------------------------
    @staticmethod
    def _json(status: int, body: bytes, headers: dict[str, str] | None = None) -> web.Response:
        return rest.json_response(body, status, headers)

    async def _rest(self, endpoint: RestEndpoint, request: web.Request) -> web.StreamResponse:
        state = self.state
        state.stats.rest_requests += 1

        def dropped() -> None:
            state.stats.dropped_by_fault += 1

        await rest.apply_faults(state.faults, request, self.slow_reply_s, dropped)
        raw_path, _, raw_query = request.raw_path.partition("?")
        keys = {state.api_key: state.api_key}
        if rest.verify_auth(endpoint, keys, rest.Arrived(request.headers, request.method, raw_path, raw_query)):
            state.stats.rest_unauthorized += 1
            return self._json(401, b'{"ret":401,"msg":"Unauthorized"}')
        key = request.headers[API_KEY_HEADER]
        wait = self.rest_limit.wait(key, time.monotonic())
        if wait is not None:
            state.stats.rest_rate_limited += 1
            body = encode_json(ErrorDetail(detail="Rate limit exceeded"))
            if self.rate_limit_reply == "detail":
                return self._json(200, body)
            return self._json(429, body, {"Retry-After": str(max(1, math.ceil(wait)))})
        if endpoint == REST_INFOWAY_BATCH_DEPTH:
            reply = batch_depth_reply(state, request.match_info["market"], request.match_info.get("codes", ""))
            body = encode_json(reply)
        elif endpoint == REST_INFOWAY_BATCH_TRADE:
            body = encode_json(batch_trade_reply(state, request.match_info["market"], request.match_info["codes"]))
        elif endpoint == REST_INFOWAY_BATCH_KLINE:
            body = encode_json(batch_kline_reply(state, request.match_info["market"], await request.read()))
        elif endpoint in (REST_INFOWAY_SYMBOLS, REST_INFOWAY_SYMBOL_INFO):
            body = symbols_reply(
                request.query.get("type"), request.query.get("symbols"), info=endpoint == REST_INFOWAY_SYMBOL_INFO
            )
            if not body:
                return self._json(400, b'{"title":"Bad Request","status":400,"detail":"type is required"}')
        elif endpoint == REST_INFOWAY_MARKETS:
            markets = example(MarketsResponse, "markets")
            body = encode_json(msgspec.structs.replace(markets, traceId=str(uuid.uuid4())))
        else:  # no behaviour of its own: the registry's example reply
            body = rest.example_reply(endpoint)
        if Fault.GARBAGE_FRAME in state.faults:
            body = body[: len(body) // 2]
        return self._json(200, body)

    # -- WebSocket (WsSimulator hooks) -----------------------------------------------------------
    @property
    def push_interval(self) -> float:  # type: ignore[override]
        """Seconds between pushes (and between the `t` of successive snapshots)."""
        return self.state.push_interval

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        state = self.state
        if not state.key_ok(request.query.get(API_KEY_QUERY)):
            state.stats.ws_refused += 1
            return web.Response(status=401, text="Unauthorized")
        business = request.query.get("business", "")
        if business not in BUSINESSES:
            state.stats.ws_refused += 1
            return web.Response(status=400, text="unknown business")
        session = WsSession(
            state,
            next(self._conn_ids),
            business,
            time.monotonic(),
            max_frames=self.max_frames,
            frame_window_s=self.frame_window_s,
            idle_timeout_s=self.idle_timeout_s,
            heart_apply=self.heart_apply,
        )
        return await self.serve_ws(request, session)

    def _connected(self, conn: Connection[WsSession]) -> None:
        self.state.stats.ws_connections += 1

    def _opening(self, conn: Connection[WsSession]) -> Sequence[Frame]:
        return conn.session.opening()

    def _helpers(self, conn: Connection[WsSession]) -> list[Coroutine[Any, Any, None]]:
        return [self._watchdog(conn)]

    async def _watchdog(self, conn: Connection[WsSession]) -> None:
        tick = min(1.0, self.idle_timeout_s / 4)
        while not conn.ws.closed:
            await asyncio.sleep(tick)
            if conn.session.idle(time.monotonic()):
                self.state.stats.closed_for_silence += 1
                await self.policy_close(conn, "heartbeat timeout")
                return

    async def _on_frame(self, conn: Connection[WsSession], data: Frame) -> Sequence[Frame]:
        session = conn.session
        replies = session.receive(data, time.monotonic())
        if session.close_reason is not None:
            self.state.stats.closed_for_frame_limit += 1
            await self.policy_close(conn, session.close_reason)
            return []
        return replies

    def _garble(self, conn: Connection[WsSession], frame: Frame) -> Frame:
        return frame[: len(frame) // 2]

    def _dropped(self, conn: Connection[WsSession]) -> None:
        self.state.stats.dropped_by_fault += 1

    def _sent(self, conn: Connection[WsSession], frame: Frame, push: bool) -> None:
        if push:
            self.state.stats.pushes_sent += 1

    def _push_skipped(self, conn: Connection[WsSession]) -> None:
        self.state.stats.pushes_skipped += 1

    def _advance(self) -> None:
        self.state.step += 1


async def serve(host: str, port: int, ready: Callable[[str, int], None]) -> None:
    """Run an InfowaySimulator on host:port until cancelled; `ready(host, port)` once
    listening (port is the bound one when 0 was asked). The key is $VENUEWIRE_INFOWAY_API_KEY
    when set, else DEFAULT_API_KEY."""
    api_key = os.environ.get(ENV_API_KEY) or DEFAULT_API_KEY
    await serve_until_cancelled(InfowaySimulator(host, port, api_key=api_key), ready)
