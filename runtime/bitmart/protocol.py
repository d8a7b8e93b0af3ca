"""The pure half of BitMart's two depth streams: `WsProtocol` implementations with no I/O.

Frames in (`receive`), books and frames to send out (`Reaction`); the clock is an argument.
`venuewire.transport.WsStream` moves the bytes (see `venuewire.bitmart.client`).

Legacy channel (`WS_BITMART_LEGACY_DEPTH`, plain JSON text):
    opening   {"subscribe":"order","symbol":"BMX_ETH","precision":6}   (at once: the venue drops
              connections that have not subscribed within `subscribe_within_s`)
    heartbeat {"subscribe":"ping"} every `ping_interval` s; {"subscribe":"pong"} is consumed
    pushes    {"subscribe":"depth",...,"data":{"buys":[...],"sells":[...]}} -> OrderBook
    errors    a frame with a `message` field and no `data` -> `failure` (InvalidRequest)

v3 spot channel (`WS_BITMART_SPOT_DEPTH`):
    opening   [login (when credentials are given),] {"op":"subscribe","args":["spot/depth5:BTC_USDT"]}
    heartbeat text `ping` every `ping_interval_s`; text `pong` is consumed
    pushes    BINARY frames are raw DEFLATE (wbits -15) of {"table":"spot/depth5","data":[...]};
              text frames are plain JSON. Inflated size is capped; bad DEFLATE -> DecodeFailure
    events    {"event":"login"} marks the login done; {"event":"subscribe"|"unsubscribe",...}
              acknowledgements are ignored; {"event":"error","errorCode":N,"message":..} and a login
              reply carrying an errorCode -> `failure`

`failure`: an error event means the venue refused a frame this stream sent (login or
subscription), which no retry can fix, so the protocol records the typed error
(`error_for("bitmart", errorCode, message)`; an error answering a pending login with a code
the registry does not know is an `AuthError`) and returns it as the reaction's `fatal`
error, so `venuewire.transport.WsStream` ends the stream with it instead of reconnecting.
A frame that does not decode is a `DecodeFailure` item and the stream goes on.
"""

from __future__ import annotations

import enum
import re
import time
import zlib
from collections.abc import Callable
from typing import Final, TypeVar

import msgspec

from venuewire.bitmart.book import VENUE, order_book_from_legacy, order_books_from_spot
from venuewire.credentials import BitmartCredentials
from venuewire.errors import AuthError, DecodeError, InvalidRequest, VenueError, error_for
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.error_event import ErrorEvent
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.legacy_ping import LegacyPing
from venuewire.generated.bitmart.legacy_pong import LegacyPong
from venuewire.generated.bitmart.legacy_subscribe import LegacySubscribe
from venuewire.generated.bitmart.login import Login
from venuewire.generated.bitmart.login_response import LoginResponse
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.generated.bitmart.spot_subscribe import SpotSubscribe, SubscribeOp
from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_SPOT_DEPTH
from venuewire.messages import decode_json, encode_json, message_info
from venuewire.models import OrderBook
from venuewire.signing import bitmart_ws_login_frame
from venuewire.transport import Frame, Reaction

__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "LEGACY_PING_INTERVAL_S",
    "MAX_RAW",
    "PING_INTERVAL_S",
    "LegacyDepthProtocol",
    "SpotDepthProtocol",
    "SpotState",
    "check_levels",
    "check_precision",
    "check_symbol",
    "inflate",
    "legacy_subscribe_frame",
    "spot_channel",
    "spot_login_frame",
    "spot_subscribe_frame",
]


_T = TypeVar("_T")


def _fact(value: _T | None, what: str) -> _T:
    if value is None:  # pragma: no cover - the registry always has it
        raise RuntimeError(f"registry: {what} is missing; edit schemas/registry.toml and run `make generate`")
    return value


CHANNEL_TEMPLATE: Final[str] = _fact(WS_BITMART_SPOT_DEPTH.channel, "bitmart spot_depth channel")
LEVELS: Final[tuple[int, ...]] = WS_BITMART_SPOT_DEPTH.levels
PING_TEXT: Final[str] = _fact(WS_BITMART_SPOT_DEPTH.ping_text, "bitmart spot_depth ping_text")
PONG_TEXT: Final[str] = _fact(WS_BITMART_SPOT_DEPTH.pong_text, "bitmart spot_depth pong_text")
PING_INTERVAL_S: Final[int] = _fact(WS_BITMART_SPOT_DEPTH.ping_interval_s, "bitmart spot_depth ping_interval_s")
LEGACY_PING_INTERVAL_S: Final[int] = _fact(
    WS_BITMART_LEGACY_DEPTH.ping_interval_s, "bitmart legacy_depth ping_interval_s"
)
"""The legacy channel's ping interval: undocumented, the registry's [guess] (the v3 interval)."""
DEFAULT_MAX_MESSAGE_SIZE: Final = 16 * 1024 * 1024
MAX_RAW: Final = 64 * 1024
"""Bytes of a bad message kept in `DecodeFailure.raw`."""
MAX_PRECISION: Final = 2**31 - 1

_SYMBOL = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")
_LEGACY_DEPTH = message_info(LegacyDepthPush).name
_SPOT_DEPTH = message_info(SpotDepthPush).name
_PONG_BYTES = PONG_TEXT.encode()
_LEGACY_PING_FRAME: Final[str] = encode_json(LegacyPing(subscribe="ping")).decode()


# ---------------------------------------------------------------- validation and frames


def check_symbol(symbol: str) -> str:
    """A BitMart pair, base and quote joined by "_" (`BTC_USDT`); ValueError naming `symbol`."""
    if not isinstance(symbol, str):
        raise TypeError("symbol must be a str")
    if not _SYMBOL.fullmatch(symbol):
        raise ValueError(f"symbol must be BASE_QUOTE in letters and digits (e.g. BTC_USDT), got {symbol!r}")
    return symbol


def check_precision(precision: int) -> int:
    """A legacy price precision: a whole number of decimals >= 0 (the venue checks the
    per-pair range). ValueError/TypeError naming `precision`."""
    if not isinstance(precision, int) or isinstance(precision, bool):
        raise TypeError("precision must be an int")
    if not 0 <= precision <= MAX_PRECISION:
        raise ValueError(f"precision must be a non-negative number of decimals, got {precision}")
    return precision


def check_levels(levels: int) -> int:
    """One of the registry's v3 depths (`WS_BITMART_SPOT_DEPTH.levels`); ValueError naming `levels`."""
    if type(levels) is not int or levels not in LEVELS:
        raise ValueError(f"levels must be one of {', '.join(map(str, LEVELS))}, got {levels!r}")
    return levels


def spot_channel(symbol: str, levels: int) -> str:
    """`spot/depth{levels}:{symbol}` from the registry's template, arguments checked."""
    return CHANNEL_TEMPLATE.format(levels=check_levels(levels), symbol=check_symbol(symbol))


def legacy_subscribe_frame(symbol: str, precision: int) -> str:
    """`{"subscribe":"order","symbol":..,"precision":..}` (schema bitmart/legacy_subscribe)."""
    message = LegacySubscribe(subscribe="order", symbol=check_symbol(symbol), precision=check_precision(precision))
    return encode_json(message).decode()


def spot_subscribe_frame(channels: list[str], op: SubscribeOp = SubscribeOp.subscribe) -> str:
    """`{"op":"subscribe","args":[...]}` (schema bitmart/spot_subscribe)."""
    if not channels:
        raise ValueError("channels must name at least one channel")
    return encode_json(SpotSubscribe(op=op, args=list(channels))).decode()


def spot_login_frame(credentials: BitmartCredentials, timestamp_ms: int) -> str:
    """`{"op":"login","args":[api_key, timestamp_ms, sign]}` (schema bitmart/login)."""
    frame = bitmart_ws_login_frame(credentials, timestamp_ms)
    api_key, stamp, sign = frame["args"]
    return encode_json(Login(op=frame["op"], args=(api_key, stamp, sign))).decode()


def inflate(data: bytes, max_size: int, message_name: str = _SPOT_DEPTH) -> bytes:
    """Raw DEFLATE (no zlib header, wbits -15) -> bytes, at most `max_size` of them.

    Raises DecodeError (venue bitmart) on data that is not DEFLATE or inflates past
    `max_size`. A stream without its final block is accepted, as the venue's own client does.
    """
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_size + 1)
        if len(out) <= max_size and not inflater.unconsumed_tail:
            out += inflater.flush()
    except zlib.error as exc:
        raise DecodeError(VENUE, message_name, (), f"not raw DEFLATE data: {exc}") from None
    if len(out) > max_size or inflater.unconsumed_tail:
        raise DecodeError(VENUE, message_name, (), f"inflates to more than {max_size} bytes")
    return out


def _as_bytes(data: Frame) -> bytes:
    return data.encode() if isinstance(data, str) else data


def _failure(error: DecodeError, raw: Frame) -> DecodeFailure:
    return DecodeFailure(error, _as_bytes(raw)[:MAX_RAW])


# ---------------------------------------------------------------- legacy channel


class _LegacyEnvelope(msgspec.Struct):
    """Just enough of any legacy frame to tell a pong or an error from a push [guess: the
    error form is only documented as "carries a message field"]."""

    subscribe: str | None = None
    message: str | None = None
    data: msgspec.Raw | None = None


_LEGACY_ENVELOPE = msgspec.json.Decoder(_LegacyEnvelope)


class LegacyDepthProtocol:
    """The legacy `order` -> `depth` channel for one symbol and precision (no I/O).

    `url` as given (the registry's is `WS_BITMART_LEGACY_DEPTH.url`). `failure` holds the
    venue's refusal once one arrives; `pongs` counts heartbeat replies.
    """

    venue = VENUE

    def __init__(self, url: str, symbol: str, precision: int, *, ping_interval: float = LEGACY_PING_INTERVAL_S) -> None:
        if ping_interval <= 0:
            raise ValueError("ping_interval must be positive")
        self._url = url
        self.symbol = check_symbol(symbol)
        self.precision = check_precision(precision)
        self.ping_interval = ping_interval
        self.subscribe_frame = legacy_subscribe_frame(symbol, precision)
        self.failure: VenueError | None = None
        self.pongs = 0

    def __repr__(self) -> str:
        return f"LegacyDepthProtocol({self.symbol!r}, precision={self.precision})"

    def url(self) -> str:
        return self._url

    def opening(self) -> list[Frame]:
        return [self.subscribe_frame]

    def heartbeat(self) -> tuple[float, Frame] | None:
        return (self.ping_interval, _LEGACY_PING_FRAME)

    def receive(self, data: Frame) -> Reaction[OrderBook]:
        try:
            push = decode_json(LegacyDepthPush, data)
        except DecodeError as exc:
            return self._other(data, exc)
        try:
            return Reaction(items=[order_book_from_legacy(push)])
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, data)])

    def _other(self, data: Frame, push_error: DecodeError) -> Reaction[OrderBook]:
        try:
            decode_json(LegacyPong, data)
        except DecodeError:
            pass
        else:
            self.pongs += 1
            return Reaction()
        try:
            envelope = _LEGACY_ENVELOPE.decode(data)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return Reaction(items=[_failure(push_error, data)])
        if envelope.message is not None and envelope.data is None:
            self.failure = InvalidRequest(VENUE, f"legacy channel refused {self.subscribe_frame}: {envelope.message}")
            return Reaction(fatal=self.failure)
        return Reaction(items=[_failure(push_error, data)])


# ---------------------------------------------------------------- v3 spot channel


class SpotState(enum.Enum):
    """Where a v3 connection stands. opening() -> LOGGING_IN (credentials) or SUBSCRIBED;
    the login reply moves LOGGING_IN -> SUBSCRIBED; an error event -> FAILED (final)."""

    CONNECTING = "CONNECTING"
    LOGGING_IN = "LOGGING_IN"
    SUBSCRIBED = "SUBSCRIBED"
    FAILED = "FAILED"


class _SpotEnvelope(msgspec.Struct):
    event: str
    errorCode: int | str | None = None
    message: str | None = None


_SPOT_ENVELOPE = msgspec.json.Decoder(_SpotEnvelope)
_IGNORED_EVENTS = frozenset({"subscribe", "unsubscribe"})


class SpotDepthProtocol:
    """The v3 `spot/depth{levels}:{symbol}` channel (no I/O).

    With `credentials`, each (re)connection logs in first (`bitmart_ws_login_frame`, the
    timestamp from `clock()`, Unix seconds) and subscribes right behind it: a public depth
    channel does not wait for the login reply. BINARY frames inflate to at most
    `max_message_size` bytes.
    """

    venue = VENUE

    def __init__(
        self,
        url: str,
        symbol: str,
        levels: int = 5,
        *,
        credentials: BitmartCredentials | None = None,
        clock: Callable[[], float] = time.time,
        ping_interval: float = PING_INTERVAL_S,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        if ping_interval <= 0:
            raise ValueError("ping_interval must be positive")
        if max_message_size < 1:
            raise ValueError("max_message_size must be at least 1")
        self._url = url
        self.symbol = check_symbol(symbol)
        self.levels = check_levels(levels)
        self.channel = spot_channel(symbol, levels)
        self.table = self.channel.partition(":")[0]
        self.credentials = credentials
        self.clock = clock
        self.ping_interval = ping_interval
        self.max_message_size = max_message_size
        self.subscribe_frame = spot_subscribe_frame([self.channel])
        self.state = SpotState.CONNECTING
        self.failure: VenueError | None = None
        self.pongs = 0

    def __repr__(self) -> str:
        return f"SpotDepthProtocol({self.channel!r}, login={self.credentials is not None})"

    def url(self) -> str:
        return self._url

    def opening(self) -> list[Frame]:
        if self.state is SpotState.FAILED:
            return []
        frames: list[Frame] = []
        if self.credentials is not None:
            frames.append(spot_login_frame(self.credentials, int(self.clock() * 1000)))
            self.state = SpotState.LOGGING_IN
        else:
            self.state = SpotState.SUBSCRIBED
        frames.append(self.subscribe_frame)
        return frames

    def heartbeat(self) -> tuple[float, Frame] | None:
        return (self.ping_interval, PING_TEXT)

    def receive(self, data: Frame) -> Reaction[OrderBook]:
        if isinstance(data, bytes):
            try:
                text = inflate(data, self.max_message_size)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, data)])
        elif data == PONG_TEXT:
            self.pongs += 1
            return Reaction()
        else:
            text = data.encode()
        if text == _PONG_BYTES:
            self.pongs += 1
            return Reaction()
        if b'"event"' in text:
            return self._event(text)
        try:
            push = decode_json(SpotDepthPush, text)
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, text)])
        return Reaction(items=list(order_books_from_spot(push)))

    def _event(self, text: bytes) -> Reaction[OrderBook]:
        try:
            envelope = _SPOT_ENVELOPE.decode(text)
        except (msgspec.ValidationError, msgspec.DecodeError):
            # not an event after all ("event" inside some other frame): read it as a push
            try:
                push = decode_json(SpotDepthPush, text)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, text)])
            return Reaction(items=list(order_books_from_spot(push)))
        kind = envelope.event
        if kind == "error":
            try:
                event = decode_json(ErrorEvent, text)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, text)])
            return Reaction(fatal=self._fail(event.errorCode, event.message))
        if kind == "login":
            if envelope.errorCode not in (None, 0, "0"):
                return Reaction(fatal=self._fail(envelope.errorCode, envelope.message or "login refused"))
            try:
                decode_json(LoginResponse, text)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, text)])
            if self.state is SpotState.LOGGING_IN:
                self.state = SpotState.SUBSCRIBED
            return Reaction()
        if kind in _IGNORED_EVENTS:
            return Reaction()
        error = DecodeError(VENUE, _SPOT_DEPTH, ("event",), f"unexpected event {kind!r}")
        return Reaction(items=[_failure(error, text)])

    def _fail(self, code: int | str | None, message: str) -> VenueError:
        error = error_for(VENUE, code, message, scope="ws") if code is not None else VenueError(VENUE, message)
        if self.state is SpotState.LOGGING_IN and type(error) is VenueError:
            error = AuthError(VENUE, f"login refused: {message}", code)
        self.failure = error
        self.state = SpotState.FAILED
        return error
