"""The pure half of BitMart's WebSocket streams: `WsProtocol` implementations with no I/O.

Frames in (`receive`), books and frames to send out (`Reaction`); the clock is an argument.
`venuewire.transport.WsStream` moves the bytes (see `venuewire.bitmart.client`).

Legacy channel (`WS_BITMART_LEGACY_DEPTH`, plain JSON text):
    opening   {"subscribe":"order","symbol":"BMX_ETH","precision":6}   (at once: the venue drops
              connections that have not subscribed within `subscribe_within_s`)
    heartbeat {"subscribe":"ping"} every `ping_interval` s; {"subscribe":"pong"} is consumed
    pushes    {"subscribe":"depth",...,"data":{"buys":[...],"sells":[...]}} -> OrderBook
    errors    a frame with a `message` field (LegacyError) -> `failure` (InvalidRequest: the
              frame carries no error code to look up)
    unknown   another `subscribe` value: counted (`unknown`), logged and a DecodeFailure item
    stop      {"unsubscribe":"order",...} (`legacy_unsubscribe_frame`, the subscribe's shape)
    Which class decodes which frame is the generated dispatch table
    `BITMART_LEGACY_DEPTH_SERVER` (venuewire.generated.bitmart.ws_dispatch, from the registry).

v3 sockets (`V3Protocol`: the public `WS_BITMART_SPOT_DEPTH` and the private `WS_BITMART_PRIVATE`):
    opening   public: the subscribe frames, at most `max_topics_per_subscribe` topics each
              ({"op":"subscribe","args":["spot/depth5:BTC_USDT",...]}); a public socket never
              logs in. Private (credentials given): the login frame alone; the subscribe frames
              follow the login reply.
    heartbeat text `ping` every `ping_interval_s`; text `pong` is consumed
    data      BINARY frames are raw DEFLATE (wbits -15), text frames plain JSON. Inflated size is
              capped; bad DEFLATE, bad JSON, bad UTF-8, bad values -> DecodeFailure
    events    {"event":"subscribe"|"unsubscribe","topic":..} acks are counted (`acks`);
              {"event":"login"} completes a login; a frame with an errorCode (ErrorEvent, the
              text under `message` or `errorMessage`) -> `failure`

`failure`: an error event means the venue refused a frame this stream sent (login,
subscription, a frame it did not recognise), which no retry can fix, so the protocol records
the typed error (`error_for("bitmart", errorCode, text, scope="ws")`; an error answering a
pending login with a code the registry does not know is an `AuthError`) and returns it as the
reaction's `fatal` error, so `WsStream` ends the stream with it instead of reconnecting. A frame
that does not decode is a `DecodeFailure` item and the stream goes on.
"""

from __future__ import annotations

import enum
import logging
import re
import time
import zlib
from collections.abc import Callable, Sequence
from typing import Any, Final, Generic, TypeVar

import msgspec

from venuewire.bitmart.book import (
    VENUE,
    legacy_book_or_none,
    order_book_from_legacy,
    order_book_from_spot,
    spot_books_or_none,
)
from venuewire.bitmart.incremental import DEFAULT_MAX_BUFFER, IncrementalBooks, IncrementalOutput
from venuewire.credentials import BitmartCredentials
from venuewire.errors import AuthError, DecodeError, InvalidRequest, VenueError, error_for
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.error_event import ErrorEvent
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.legacy_error import LegacyError
from venuewire.generated.bitmart.legacy_ping import LegacyPing
from venuewire.generated.bitmart.legacy_pong import LegacyPong
from venuewire.generated.bitmart.legacy_subscribe import LegacySubscribe
from venuewire.generated.bitmart.legacy_unsubscribe import LegacyUnsubscribe
from venuewire.generated.bitmart.login import Login
from venuewire.generated.bitmart.login_response import LoginResponse
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.generated.bitmart.spot_depth_increase import SpotDepthIncreasePush, SpotIncreaseData
from venuewire.generated.bitmart.spot_increase_request import IncreaseOp, SpotIncreaseRequest
from venuewire.generated.bitmart.spot_subscribe import SpotSubscribe, SubscribeOp
from venuewire.generated.bitmart.subscribe_ack import SubscribeAck
from venuewire.generated.bitmart.ws_dispatch import BITMART_LEGACY_DEPTH_SERVER
from venuewire.generated.registry import (
    WS_BITMART_LEGACY_DEPTH,
    WS_BITMART_SPOT_DEPTH,
    WS_BITMART_SPOT_DEPTH_INCREASE,
    required,
)
from venuewire.generated.ws_dispatch import Unrouted
from venuewire.messages import decode_json, encode_json, message_info
from venuewire.models import OrderBook
from venuewire.signing import bitmart_ws_login_frame
from venuewire.transport import Frame, Reaction
from venuewire.values import finite_decimal, utc_from_ms

__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "LEGACY_PING_INTERVAL_S",
    "MAX_RAW",
    "MAX_TOPICS_PER_SUBSCRIBE",
    "PING_INTERVAL_S",
    "LegacyDepthProtocol",
    "SpotDepthProtocol",
    "SpotIncreaseProtocol",
    "SpotState",
    "V3Protocol",
    "check_levels",
    "check_precision",
    "check_symbol",
    "increase_channel",
    "increase_request_frame",
    "increase_subscribe_frames",
    "inflate",
    "legacy_subscribe_frame",
    "legacy_unsubscribe_frame",
    "spot_channel",
    "spot_login_frame",
    "spot_subscribe_frame",
    "spot_subscribe_frames",
]


_T = TypeVar("_T")
log = logging.getLogger("venuewire.bitmart")


CHANNEL_TEMPLATE: Final[str] = required(WS_BITMART_SPOT_DEPTH.channel, "bitmart spot_depth channel")
LEVELS: Final[tuple[int, ...]] = WS_BITMART_SPOT_DEPTH.levels
PING_TEXT: Final[str] = required(WS_BITMART_SPOT_DEPTH.ping_text, "bitmart spot_depth ping_text")
PONG_TEXT: Final[str] = required(WS_BITMART_SPOT_DEPTH.pong_text, "bitmart spot_depth pong_text")
PING_INTERVAL_S: Final[int] = required(WS_BITMART_SPOT_DEPTH.ping_interval_s, "bitmart spot_depth ping_interval_s")
MAX_TOPICS_PER_SUBSCRIBE: Final[int] = required(
    WS_BITMART_SPOT_DEPTH.max_topics_per_subscribe, "bitmart spot_depth max_topics_per_subscribe"
)
LEGACY_PING_INTERVAL_S: Final[int] = required(
    WS_BITMART_LEGACY_DEPTH.ping_interval_s, "bitmart legacy_depth ping_interval_s"
)
"""The legacy channel's ping interval: undocumented, the registry's [guess] (the v3 interval)."""
DEFAULT_MAX_MESSAGE_SIZE: Final = 16 * 1024 * 1024
MAX_RAW: Final = 64 * 1024
"""Bytes of a bad message kept in `DecodeFailure.raw`."""
MAX_PRECISION: Final = 2**31 - 1
_MAX_DEFLATE_RATIO: Final = 1032
"""DEFLATE's largest possible expansion (each input byte inflates to at most 1032 bytes)."""
INCREASE_TEMPLATE: Final[str] = required(WS_BITMART_SPOT_DEPTH_INCREASE.channel, "bitmart spot_depth_increase channel")
INCREASE_LEVELS: Final[int] = max(WS_BITMART_SPOT_DEPTH_INCREASE.levels)
"""Levels a side of the incremental channel (the registry's one depth, 100)."""

_SYMBOL = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")
_SPOT_DEPTH = message_info(SpotDepthPush).name
_SPOT_INCREASE = message_info(SpotDepthIncreasePush).name
_LEGACY_DEPTH = message_info(LegacyDepthPush).name
_ERROR_EVENT = message_info(ErrorEvent).name
_PONG_BYTES = PONG_TEXT.encode()
_LEGACY_PING_FRAME: Final[str] = encode_json(LegacyPing(subscribe="ping")).decode()
_MSGSPEC_ERRORS: Final = (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError)


# ---------------------------------------------------------------- validation and frames


def check_symbol(symbol: str) -> str:
    """A BitMart pair, base and quote joined by "_" (`BTC_USDT`); ValueError naming `symbol`."""
    if not isinstance(symbol, str):
        raise TypeError("symbol must be a str")
    if not _SYMBOL.fullmatch(symbol):
        raise ValueError(f"symbol must be BASE_QUOTE in letters and digits (e.g. BTC_USDT), got {symbol!r}")
    return symbol


def check_symbols(symbols: str | Sequence[str]) -> tuple[str, ...]:
    """One pair or a non-empty sequence of distinct pairs, each checked by `check_symbol`."""
    if isinstance(symbols, str):
        return (check_symbol(symbols),)
    if not isinstance(symbols, Sequence):
        raise TypeError("symbol must be a str or a sequence of str")
    checked = tuple(check_symbol(symbol) for symbol in symbols)
    if not checked:
        raise ValueError("symbol: give at least one pair")
    if len(set(checked)) != len(checked):
        raise ValueError(f"symbol: each pair once, got {list(checked)!r}")
    return checked


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


def legacy_unsubscribe_frame(symbol: str, precision: int) -> str:
    """`{"unsubscribe":"order","symbol":..,"precision":..}` (schema bitmart/legacy_unsubscribe):
    the subscribe's shape, stopping that pair and precision."""
    message = LegacyUnsubscribe(unsubscribe="order", symbol=check_symbol(symbol), precision=check_precision(precision))
    return encode_json(message).decode()


def spot_subscribe_frame(channels: Sequence[str], op: SubscribeOp = SubscribeOp.subscribe) -> str:
    """One `{"op":"subscribe","args":[...]}` frame (schema bitmart/spot_subscribe) of 1 to
    `MAX_TOPICS_PER_SUBSCRIBE` topics (the registry's limit); ValueError otherwise."""
    if not channels:
        raise ValueError("channels must name at least one channel")
    if len(channels) > MAX_TOPICS_PER_SUBSCRIBE:
        raise ValueError(f"channels: at most {MAX_TOPICS_PER_SUBSCRIBE} a frame, got {len(channels)}")
    return encode_json(SpotSubscribe(op=op, args=list(channels))).decode()


def spot_subscribe_frames(channels: Sequence[str], op: SubscribeOp = SubscribeOp.subscribe) -> list[str]:
    """The subscribe (or unsubscribe) frames for `channels`, in order, `MAX_TOPICS_PER_SUBSCRIBE`
    topics a frame at most (the venue's limit)."""
    if not channels:
        raise ValueError("channels must name at least one channel")
    step = MAX_TOPICS_PER_SUBSCRIBE
    return [spot_subscribe_frame(channels[i : i + step], op) for i in range(0, len(channels), step)]


def increase_channel(symbol: str) -> str:
    """`spot/depth/increase100:{symbol}` from the registry's template, `symbol` checked."""
    return INCREASE_TEMPLATE.format(levels=INCREASE_LEVELS, symbol=check_symbol(symbol))


def increase_subscribe_frames(channels: Sequence[str], op: IncreaseOp = IncreaseOp.subscribe) -> list[str]:
    """Subscribe (or unsubscribe) frames of incremental topics (schema
    bitmart/spot_increase_request), at most `MAX_TOPICS_PER_SUBSCRIBE` a frame."""
    if not channels:
        raise ValueError("channels must name at least one channel")
    step = MAX_TOPICS_PER_SUBSCRIBE
    return [
        encode_json(SpotIncreaseRequest(op=op, args=list(channels[i : i + step]))).decode()
        for i in range(0, len(channels), step)
    ]


RESYNC_TIMEOUT_S: Final = WS_BITMART_SPOT_DEPTH_INCREASE.resync_timeout_s
"""A resync's snapshot request unanswered this long is sent again (registry; None: never)."""
RESYNC_REQUESTS: Final = WS_BITMART_SPOT_DEPTH_INCREASE.resync_requests
"""Snapshot requests one resync sends before the stream reconnects (registry; None: never)."""


def increase_request_frame(symbol: str) -> str:
    """`{"op":"request","args":["spot/depth/increase100:SYMBOL"]}`: ask for a fresh snapshot."""
    return encode_json(SpotIncreaseRequest(op=IncreaseOp.request, args=[increase_channel(symbol)])).decode()


def spot_login_frame(credentials: BitmartCredentials, timestamp_ms: int) -> str:
    """`{"op":"login","args":[api_key, timestamp_ms, sign]}` (schema bitmart/login), for the
    private socket only."""
    frame = bitmart_ws_login_frame(credentials, timestamp_ms)
    api_key, stamp, sign = frame["args"]
    return encode_json(Login(op=frame["op"], args=(api_key, stamp, sign))).decode()


def inflate(data: bytes, max_size: int, message_name: str = _SPOT_DEPTH) -> bytes:
    """Raw DEFLATE (no zlib header, wbits -15) -> bytes, at most `max_size` of them.

    Raises DecodeError (venue bitmart) on data that is not DEFLATE or inflates past
    `max_size`; memory stays bounded by `max_size`. A stream without its final block is
    accepted, as the venue's own client does.
    """
    if len(data) * _MAX_DEFLATE_RATIO <= max_size:  # cannot inflate past max_size: one call
        try:
            return zlib.decompress(data, -zlib.MAX_WBITS)
        except zlib.error:  # bad data, or no final block: the incremental path decides
            pass
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
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def _failure(error: DecodeError, raw: Frame) -> DecodeFailure:
    return DecodeFailure(error, _as_bytes(raw)[:MAX_RAW])


# ---------------------------------------------------------------- legacy channel


class LegacyDepthProtocol:
    """The legacy `order` -> `depth` channel for one symbol and precision (no I/O).

    `url` as given (the registry's is `WS_BITMART_LEGACY_DEPTH.url`). `failure` holds the
    venue's refusal once one arrives; `pongs` counts heartbeat replies, `unknown` frames of a
    kind the channel does not declare.
    """

    venue = VENUE
    ws_channel = WS_BITMART_LEGACY_DEPTH  # silence thresholds for WsStream

    def __init__(self, url: str, symbol: str, precision: int, *, ping_interval: float = LEGACY_PING_INTERVAL_S) -> None:
        if ping_interval <= 0:
            raise ValueError("ping_interval must be positive")
        self._url = url
        self.symbol = check_symbol(symbol)
        self.precision = check_precision(precision)
        self.ping_interval = ping_interval
        self.subscribe_frame = legacy_subscribe_frame(symbol, precision)
        self.unsubscribe_frame = legacy_unsubscribe_frame(symbol, precision)
        self.failure: VenueError | None = None
        self.pongs = 0
        self.unknown = 0

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
            route, kind = BITMART_LEGACY_DEPTH_SERVER.route(data)
        except Unrouted as exc:
            return Reaction(items=[_failure(DecodeError(VENUE, _LEGACY_DEPTH, exc.path, exc.reason), data)])
        if route is None:
            self.unknown += 1
            log.info("bitmart: legacy frame of kind %r (not a kind the channel declares)", kind)
            error = DecodeError(VENUE, _LEGACY_DEPTH, (BITMART_LEGACY_DEPTH_SERVER.key,), f"unexpected value {kind!r}")
            return Reaction(items=[_failure(error, data)])
        try:
            if route.cls is LegacyDepthPush:
                book = legacy_book_or_none(data, keep_raw=True)  # no Decimal built, raw kept lazily
                if book is not None:
                    return Reaction(items=[book])
            message = decode_json(route.cls, data)
            if isinstance(message, LegacyDepthPush):
                return Reaction(items=[msgspec.structs.replace(order_book_from_legacy(message), raw=message)])
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, data)])
        if isinstance(message, LegacyError):
            self.failure = InvalidRequest(VENUE, f"legacy channel refused {self.subscribe_frame}: {message.message}")
            return Reaction(fatal=self.failure)
        if isinstance(message, LegacyPong):
            self.pongs += 1
            return Reaction()
        self.unknown += 1
        log.info("bitmart: legacy %s frame ignored", route.role)
        return Reaction()


# ---------------------------------------------------------------- v3 sockets


class SpotState(enum.Enum):
    """Where a v3 connection stands. opening() -> SUBSCRIBED (public socket) or LOGGING_IN
    (private socket, credentials given); the login reply moves LOGGING_IN -> SUBSCRIBED; an
    error event -> FAILED (final)."""

    CONNECTING = "CONNECTING"
    LOGGING_IN = "LOGGING_IN"
    SUBSCRIBED = "SUBSCRIBED"
    FAILED = "FAILED"


class _V3Envelope(msgspec.Struct):
    """Just enough of an event frame to route it; every field is checked by its own schema."""

    event: Any = msgspec.UNSET
    errorCode: Any = msgspec.UNSET


_V3_ENVELOPE = msgspec.json.Decoder(_V3Envelope)
_NO_ERROR: Final = (msgspec.UNSET, None, 0, "0")
_ACK_EVENTS = frozenset({"subscribe", "unsubscribe"})


class V3Protocol(Generic[_T]):
    """What every v3 socket shares (no I/O): inflating BINARY frames, the text ping/pong,
    subscribe acks, error events, the optional login. A channel subclass decodes its data
    frames in `_data`.

    `topics` are subscribed on each (re)connection, at most `MAX_TOPICS_PER_SUBSCRIBE` a
    frame. `credentials` are for the private socket (`WS_BITMART_PRIVATE.url`) only: with
    them each connection logs in first (timestamp from `clock()`, Unix seconds) and
    subscribes once the login reply arrives; a public channel never passes them. BINARY
    frames inflate to at most `max_message_size` bytes. `acks` and `pongs` count the
    venue's acknowledgements and heartbeat replies; `failure` holds its refusal.
    """

    venue = VENUE
    push_name: str = _SPOT_DEPTH
    """The message a BINARY frame that does not inflate is reported as (the channel's push)."""

    def __init__(
        self,
        url: str,
        topics: Sequence[str],
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
        self.topics = tuple(topics)
        self.subscribe_frames = spot_subscribe_frames(self.topics)
        self.credentials = credentials
        self.clock = clock
        self.ping_interval = ping_interval
        self.max_message_size = max_message_size
        self.state = SpotState.CONNECTING
        self.failure: VenueError | None = None
        self.pongs = 0
        self.acks = 0

    def url(self) -> str:
        return self._url

    def opening(self) -> list[Frame]:
        if self.state is SpotState.FAILED:
            return []
        if self.credentials is not None:
            self.state = SpotState.LOGGING_IN
            return [spot_login_frame(self.credentials, int(self.clock() * 1000))]
        self.state = SpotState.SUBSCRIBED
        return list(self.subscribe_frames)

    def heartbeat(self) -> tuple[float, Frame] | None:
        return (self.ping_interval, PING_TEXT)

    def receive(self, data: Frame) -> Reaction[_T]:
        if isinstance(data, bytes):
            try:
                text = inflate(data, self.max_message_size, self.push_name)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, data)])
        elif data == PONG_TEXT:
            self.pongs += 1
            return Reaction()
        else:
            text = _as_bytes(data)
        if text == _PONG_BYTES:
            self.pongs += 1
            return Reaction()
        # A frame holding `"event"` or `"errorCode"` goes to `_event` (which reads the top level).
        # A data frame holds neither, and mostly no "v" or "r" either (a depth frame's keys,
        # symbols and numbers have none): a `find` per letter rules each word out, faster than
        # searching for the word (its last byte, a quote, is everywhere in JSON).
        find = text.find
        if (find(b"v") >= 0 and find(b'"event"') >= 0) or (find(b"r") >= 0 and find(b'"errorCode"') >= 0):
            return self._event(text)
        return self._data(text)

    def _data(self, text: bytes) -> Reaction[_T]:
        """Decode one data frame (never raises: a bad frame is a DecodeFailure item)."""
        raise NotImplementedError

    def _event(self, text: bytes) -> Reaction[_T]:
        try:
            envelope = _V3_ENVELOPE.decode(text)
        except _MSGSPEC_ERRORS:  # not a JSON object: the data decoder names what is wrong
            return self._data(text)
        kind = envelope.event
        if kind == "error" or envelope.errorCode not in _NO_ERROR:
            try:
                event = decode_json(ErrorEvent, text)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, text)])
            texts = [t for t in (event.message, event.errorMessage) if isinstance(t, str) and t]
            return Reaction(fatal=self._fail(int(event.errorCode), texts[0] if texts else ""))
        if kind is msgspec.UNSET:  # "event" or "errorCode" inside some data frame
            return self._data(text)
        if kind == "login":
            try:
                decode_json(LoginResponse, text)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, text)])
            if self.state is not SpotState.LOGGING_IN:
                return Reaction()
            self.state = SpotState.SUBSCRIBED
            return Reaction(send=list(self.subscribe_frames))
        if isinstance(kind, str) and kind in _ACK_EVENTS:
            try:
                decode_json(SubscribeAck, text)
            except DecodeError as exc:
                return Reaction(items=[_failure(exc, text)])
            self.acks += 1
            return Reaction()
        error = DecodeError(VENUE, _ERROR_EVENT, ("event",), f"unexpected event {kind!r}")
        return Reaction(items=[_failure(error, text)])

    def _fail(self, code: int, message: str) -> VenueError:
        error = error_for(VENUE, code, message, scope="ws")
        if self.state is SpotState.LOGGING_IN and type(error) is VenueError:
            error = AuthError(VENUE, f"login refused: {error.message}", code)
        self.failure = error
        self.state = SpotState.FAILED
        return error


class SpotDepthProtocol(V3Protocol[OrderBook]):
    """The public v3 `spot/depth{levels}:{symbol}` channel for one or more pairs (no I/O).

    `symbol` is a pair or a sequence of distinct pairs, all at depth `levels`; their topics
    go out in as many subscribe frames as the venue's per-frame limit needs. Never logs in.
    A frame's snapshots decode one by one: a bad one is a DecodeFailure, the others books.
    """

    ws_channel = WS_BITMART_SPOT_DEPTH  # silence thresholds for WsStream

    def __init__(
        self,
        url: str,
        symbol: str | Sequence[str],
        levels: int = 5,
        *,
        ping_interval: float = PING_INTERVAL_S,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        self.symbols = check_symbols(symbol)
        self.symbol = self.symbols[0]
        self.levels = check_levels(levels)
        channels = [spot_channel(s, levels) for s in self.symbols]
        super().__init__(url, channels, ping_interval=ping_interval, max_message_size=max_message_size)
        self.channel = channels[0]
        self.table = self.channel.partition(":")[0]
        self.subscribe_frame = self.subscribe_frames[0]

    def __repr__(self) -> str:
        more = f" +{len(self.topics) - 1} more" if len(self.topics) > 1 else ""
        return f"SpotDepthProtocol({self.channel!r}{more})"

    def _data(self, text: bytes) -> Reaction[OrderBook]:
        try:
            books = spot_books_or_none(text, keep_raw=True)  # no Decimal built, raw kept lazily
        except DecodeError:  # an entry's ms_t: the entries go one by one below
            books = None
        if books is not None:
            return Reaction(items=list(books))
        try:
            push = decode_json(SpotDepthPush, text)
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, text)])
        items: list[OrderBook | DecodeFailure] = []
        for index, data in enumerate(push.data):
            try:
                items.append(msgspec.structs.replace(order_book_from_spot(data, index), raw=data))
            except DecodeError as exc:
                items.append(_failure(exc, text))
        return Reaction(items=items)


def _check_increase(entry: SpotIncreaseData, index: int) -> None:
    """DecodeError (naming the field) for a value no book can hold: a price or size that is
    not finite, an `ms_t` outside year 1 to 9999."""
    where: tuple[str | int, ...] = ("data", index)
    for side, levels in (("bids", entry.bids), ("asks", entry.asks)):
        for i, (price, size) in enumerate(levels):
            if not (price.is_finite() and size.is_finite()):
                finite_decimal(price, VENUE, _SPOT_INCREASE, (*where, side, i, 0))
                finite_decimal(size, VENUE, _SPOT_INCREASE, (*where, side, i, 1))
    utc_from_ms(entry.ms_t, VENUE, _SPOT_INCREASE, (*where, "ms_t"))


class SpotIncreaseProtocol(V3Protocol[IncrementalOutput]):
    """The public v3 incremental channel `spot/depth/increase100:{symbol}` for one or more
    pairs, each kept as a local book (`venuewire.bitmart.incremental.IncrementalBooks`, no I/O).

    Items: an `OrderBook` (the whole local book, up to 100 levels a side, `raw` the entry
    last applied) after each snapshot or update applied to a valid book; a `BookGap` when a
    version is skipped, repeated or comes before any snapshot, after which that symbol alone
    is resynchronised (a `{"op":"request"}` frame for it goes out at once, its updates are
    buffered and replayed on the snapshot) and a `BookResynced` once it is valid again. Every
    (re)connection drops every level (`opening()` resets the books): a book is valid again only
    from the new connection's snapshot. An entry that does not decode, or has a non-finite
    price or size, is a `DecodeFailure` and is not applied (the next update then shows the gap).
    `is_valid(symbol)` at any time.

    A snapshot request unanswered for `resync_timeout` s (registry `resync_timeout_s`) is
    sent again, up to `resync_requests` requests (registry); when the last goes unanswered
    too, `on_timer()` yields a `ResyncTimedOut` and asks the stream to reconnect (its new
    subscription starts with a snapshot). `clock` (monotonic seconds) times the requests.
    """

    ws_channel = WS_BITMART_SPOT_DEPTH_INCREASE  # silence thresholds for WsStream

    def __init__(
        self,
        url: str,
        symbol: str | Sequence[str],
        *,
        ping_interval: float = PING_INTERVAL_S,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        max_buffer: int = DEFAULT_MAX_BUFFER,
        resync_timeout: float | None = RESYNC_TIMEOUT_S,
        resync_requests: int | None = RESYNC_REQUESTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.symbols = check_symbols(symbol)
        channels = [increase_channel(s) for s in self.symbols]
        super().__init__(url, channels, ping_interval=ping_interval, max_message_size=max_message_size)
        self.subscribe_frames = increase_subscribe_frames(self.topics)
        self.books = IncrementalBooks(
            self.symbols,
            INCREASE_LEVELS,
            max_buffer=max_buffer,
            resync_timeout=resync_timeout,
            resync_requests=resync_requests,
        )
        self.requests_sent = 0
        self._clock = clock

    def __repr__(self) -> str:
        more = f" +{len(self.topics) - 1} more" if len(self.topics) > 1 else ""
        return f"SpotIncreaseProtocol({self.topics[0]!r}{more})"

    def is_valid(self, symbol: str) -> bool:
        """Whether `symbol`'s local book is currently valid (KeyError for another symbol)."""
        return self.books.is_valid(symbol)

    def opening(self) -> list[Frame]:
        self.books.reset()
        return super().opening()

    def _data(self, text: bytes) -> Reaction[IncrementalOutput]:
        try:
            push = decode_json(SpotDepthIncreasePush, text)
        except DecodeError as exc:
            return Reaction(items=[_failure(exc, text)])
        items: list[IncrementalOutput | DecodeFailure] = []
        for index, entry in enumerate(push.data):
            try:
                _check_increase(entry, index)
            except DecodeError as exc:
                items.append(_failure(exc, text))
                continue
            items.extend(self.books.apply(entry))
        return Reaction(items=items, send=self._requests())

    def _requests(self) -> list[Frame]:
        send: list[Frame] = [increase_request_frame(symbol) for symbol in self.books.take_requests(self._clock())]
        self.requests_sent += len(send)
        return send

    def timer(self) -> float | None:
        """How often the stream calls `on_timer` (a quarter of the resync timeout, at most 1 s), or None."""
        timeout = self.books.resync_timeout
        return None if timeout is None else min(max(timeout / 4, 0.01), 1.0)

    def on_timer(self) -> Reaction[IncrementalOutput]:
        """Snapshot requests past their timeout: asked again, or given up (a `ResyncTimedOut`
        per symbol and a reconnect)."""
        expired = self.books.expire(self._clock())
        send = self._requests()
        if not expired:
            return Reaction(send=send)
        names = ", ".join(e.symbol for e in expired)
        reason = f"no snapshot for {names} after {expired[0].requests} request(s) (resync_timeout)"
        return Reaction(items=list(expired), send=send, reconnect=reason)
