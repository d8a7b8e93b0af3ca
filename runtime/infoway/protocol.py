"""The pure half of Infoway's WebSocket depth stream: a `WsProtocol` with no I/O.

`venuewire.transport.WsStream` moves the frames (see `venuewire.infoway.client`).
Facts come from `WS_INFOWAY_DEPTH` in the registry:

    url        {ws_url}?business=<market>&apikey=<key>          (key from `infoway_ws_query`)
    opening    ONE subscribe frame with every code merged:
               {"code":10003,"trace":"<id>","data":{"codes":"A,B"}}
    heartbeat  {"code":10010,"trace":"<id>"} every `heartbeat_interval_s` (no reply comes)
    pushes     {"code":10005,"data":{s,t,a,b}} -> OrderBook
    consumed   welcome {"code":200,...} (codes["welcome"]), ack 10004, and the control frames
               unsubscribe ack 11010, heartbeat echoes 10010 and 10011 (codes["heart_apply"],
               which the official SDK also consumes silently): counted in `stats`, nothing yielded
    errors     {"code":4xx|5xx,"msg":...} (WsError) and "Subscribe fail: ..." text: counted,
               logged, kept in `errors` (typed by the registry's WebSocket error table:
               `error_for(..., scope="ws")`), nothing yielded; the stream goes on
    unknown    a code no message of the channel has: counted (`stats.unknown`) and logged
    other      anything that does not decode -> a DecodeFailure item; the stream goes on

Which class decodes which frame is the generated dispatch table `INFOWAY_DEPTH_SERVER`
(venuewire.generated.infoway.ws_dispatch: by `code`, from the registry's [[ws]] entry and the
schemas); this module only says what each kind of frame does.

The venue counts every frame a connection sends, heartbeats included, against
`max_frames_per_minute`; the client puts a `RateLimiter` on sends (see `send_limiter`).
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Generic, Literal, TypedDict, TypeVar, cast
from urllib.parse import quote

import msgspec

from venuewire.credentials import InfowayCredentials
from venuewire.errors import DecodeError, InvalidRequest, VenueError, error_for
from venuewire.events import DecodeFailure
from venuewire.generated.infoway.ws_depth import WsDepthPush
from venuewire.generated.infoway.ws_dispatch import INFOWAY_DEPTH_SERVER
from venuewire.generated.infoway.ws_error import WsError
from venuewire.generated.infoway.ws_heartbeat import WsHeartbeat
from venuewire.generated.infoway.ws_subscribe import Data, WsDepthSubscribe
from venuewire.generated.infoway.ws_unsubscribe import Data as UnsubscribeData
from venuewire.generated.infoway.ws_unsubscribe import WsDepthUnsubscribe
from venuewire.generated.registry import WS_INFOWAY_DEPTH, WsChannel, required
from venuewire.generated.ws_dispatch import Unrouted, WsDispatch
from venuewire.infoway.book import VENUE, order_book_from_depth, push_book_or_none
from venuewire.infoway.rest import WS_BUSINESSES, check_codes, check_market
from venuewire.messages import decode_json, encode_json, message_info
from venuewire.models import OrderBook
from venuewire.signing import infoway_ws_query
from venuewire.transport import Frame, RateLimiter, Reaction

__all__ = [
    "CODES",
    "FRAME_WINDOW_MARGIN",
    "HEARTBEAT_INTERVAL_S",
    "IDLE_TIMEOUT_S",
    "MAX_FRAMES_PER_MINUTE",
    "MAX_RAW",
    "ChannelOptions",
    "DepthProtocolStats",
    "InfowayChannelProtocol",
    "InfowayDepthProtocol",
    "heartbeat_frame",
    "send_limiter",
    "subscribe_frame",
    "text_notice",
    "unsubscribe_frame",
    "ws_url",
]

log = logging.getLogger("venuewire.infoway")

CODES: Final[dict[str, int]] = WS_INFOWAY_DEPTH.codes
HEARTBEAT_INTERVAL_S: Final[int] = required(WS_INFOWAY_DEPTH.heartbeat_interval_s, "infoway heartbeat_interval_s")
IDLE_TIMEOUT_S: Final[int] = required(WS_INFOWAY_DEPTH.idle_timeout_s, "infoway idle_timeout_s")
MAX_FRAMES_PER_MINUTE: Final[int] = required(WS_INFOWAY_DEPTH.max_frames_per_minute, "infoway max_frames_per_minute")
FRAME_WINDOW_MARGIN: Final = 0.02
"""The send limiter's window is this much longer than the venue's minute (60 s -> 61.2 s):
frames reach the venue a little later than they leave, and never unevenly enough to put a
61st frame into the venue's minute."""
MAX_RAW: Final = 64 * 1024
"""Bytes of an undecodable frame kept in `DecodeFailure.raw`."""
MAX_ERRORS_KEPT: Final = 100

_SUBSCRIBE: Final = CODES["subscribe"]
_HEARTBEAT: Final = CODES["heartbeat"]
_COUNTED: Final[dict[str, str]] = {
    "welcome": "welcomes",
    "ack": "acks",
    "unsubscribe_ack": "control",
    "heartbeat": "control",
    "heart_apply": "control",
}
"""The `stats` counter of each frame kind (dispatch role) that needs no action."""
_SUBSCRIBE_FAIL: Final = "Subscribe fail:"
_GREETING: Final = "You have permission"
"""The plain-text notice the stock channel sends first (per the official SDK) [guess]."""


def text_notice(data: Frame, exc: Unrouted) -> VenueError | bool:
    """What a frame no dispatch table takes is, when it is one of the venue's plain-text
    notices: "Subscribe fail: ..." (an InvalidRequest with the reason) or the stock channel's
    permission greeting (True); False when it is neither (a DecodeFailure for the caller)."""
    if exc.not_json and isinstance(data, str):
        text = data.strip()
        if text.startswith(_SUBSCRIBE_FAIL):
            reason = text[len(_SUBSCRIBE_FAIL) :].strip() or "subscription refused"
            return InvalidRequest(VENUE, f"subscribe failed: {reason[:200]}")
        if text.startswith(_GREETING):
            return True
    return False


def send_limiter(window_s: float = 60.0, limit: int = MAX_FRAMES_PER_MINUTE) -> RateLimiter:
    """The limiter a stream puts on its sends: `limit` frames per `window_s` (the venue's
    minute) plus FRAME_WINDOW_MARGIN. Tests shrink `window_s`; nothing else should."""
    return RateLimiter(limit, window_s * (1 + FRAME_WINDOW_MARGIN))


def ws_url(base: str, market: str, credentials: InfowayCredentials) -> str:
    """`base?business=<market>&apikey=<key>`, percent-encoded. The result holds the key:
    never log it (WsStream logs URLs without their query)."""
    check_market(market, allowed=WS_BUSINESSES)
    query = {"business": market, **infoway_ws_query(credentials)}
    text = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query.items())
    return f"{base}{'&' if '?' in base else '?'}{text}"


def subscribe_frame(codes: Sequence[str], trace: str) -> str:
    """The one depth subscribe frame for every code: `{"code":10003,"trace":..,"data":{"codes":"A,B"}}`."""
    frame = WsDepthSubscribe(code=cast("Literal[10003]", _SUBSCRIBE), trace=trace, data=Data(codes=",".join(codes)))
    return encode_json(frame).decode()


def unsubscribe_frame(codes: Sequence[str], trace: str) -> str:
    """The depth unsubscribe frame, `{"code":11001,"trace":..,"data":{"codes":"A,B"}}` (the venue
    answers with an unsubscribe ack, 11010)."""
    data = UnsubscribeData(codes=",".join(check_codes(codes, max_codes=None)))
    frame = WsDepthUnsubscribe(code=cast("Literal[11001]", CODES["unsubscribe"]), trace=trace, data=data)
    return encode_json(frame).decode()


def heartbeat_frame(trace: str) -> str:
    """`{"code":10010,"trace":...}`."""
    return encode_json(WsHeartbeat(code=cast("Literal[10010]", _HEARTBEAT), trace=trace)).decode()


@dataclass(slots=True)
class DepthProtocolStats:
    """What one stream's protocol has seen (over every connection)."""

    connections: int = 0
    """Connections opened (each sent the subscribe frame)."""
    welcomes: int = 0
    acks: int = 0
    pushes: int = 0
    control: int = 0
    """Control frames that need no action (heartbeat, heart_apply and unsubscribe replies)."""
    notices: int = 0
    """Plain-text notices (the stock channel's greeting)."""
    errors: int = 0
    """Error frames from the venue (each kept in `errors`)."""
    unknown: int = 0
    """Frames with a code no message of the channel has (logged, nothing yielded)."""
    decode_failures: int = 0
    heart_applies: int = 0
    """heart_apply (10011) frames, also counted in `control`."""
    unsubscribe_acks: int = 0
    """Unsubscribe acks (11010), also counted in `control`."""


def _raw(data: Frame) -> bytes:
    return (data.encode() if isinstance(data, str) else bytes(data))[:MAX_RAW]


def _new_trace() -> str:
    return uuid.uuid4().hex


_T = TypeVar("_T")


class ChannelOptions(TypedDict, total=False):
    """The keyword options of `InfowayChannelProtocol` (for subclasses that pass them on)."""

    base_url: str | None
    heartbeat_interval: float
    new_trace: Callable[[], str] | None


class InfowayChannelProtocol(Generic[_T]):
    """What every Infoway market-data channel's protocol shares (depth, trades, candles): the
    URL, one subscribe frame per connection (`_subscribe`), the heartbeat, and `receive`
    through the channel's generated dispatch table (`table`): the push normalized by `_item`
    (a DecodeError from it is a DecodeFailure item), error frames typed and kept in `errors`,
    control frames counted in `stats`, text notices, everything else a DecodeFailure.

    `market` must be one of the registry's businesses and `codes` checked like batch_depth's
    (no upper bound: the WebSocket limit is not documented). `new_trace` gives each frame's
    trace id (default: a random hex uuid). Never raises from `receive`.
    """

    venue = VENUE
    table: WsDispatch
    push_class: type[msgspec.Struct]
    default_url: str = WS_INFOWAY_DEPTH.url
    """The channel's URL in the registry (`base_url` when None is given)."""
    ws_channel: WsChannel = WS_INFOWAY_DEPTH
    """The registry channel (URL, codes, silence thresholds for WsStream); each channel sets its own."""

    def __init__(
        self,
        credentials: InfowayCredentials,
        market: str,
        codes: Sequence[str],
        *,
        base_url: str | None = None,
        heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        new_trace: Callable[[], str] | None = None,
    ) -> None:
        if not isinstance(credentials, InfowayCredentials):
            raise TypeError("credentials must be InfowayCredentials")
        self.market = check_market(market, allowed=WS_BUSINESSES)
        self.codes: tuple[str, ...] = tuple(check_codes(codes, max_codes=None))
        if not heartbeat_interval > 0:
            raise ValueError(f"heartbeat_interval must be positive, got {heartbeat_interval!r}")
        self.heartbeat_interval = float(heartbeat_interval)
        self._credentials = credentials
        self._base_url = self.default_url if base_url is None else base_url
        self._new_trace = new_trace or _new_trace
        self._push_name = message_info(self.push_class).name
        self.stats = DepthProtocolStats()
        self.errors: deque[VenueError] = deque(maxlen=MAX_ERRORS_KEPT)
        """Error frames the venue sent (newest last), typed; the stream goes on."""
        self._fast_first = type(self)._fast_item is not InfowayChannelProtocol._fast_item and all(
            route.present is None for route in self.table.routes
        )
        """Try `_fast_item` before routing: it reads only frames whose dispatch key is the push's,
        so a frame it takes is the push route's; with no route told apart by a key's presence,
        routing could not have sent it elsewhere (saves peeking at every push twice)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(market={self.market!r}, codes={list(self.codes)!r})"

    def _subscribe(self, trace: str) -> str:
        raise NotImplementedError

    def _fast_item(self, data: Frame) -> _T | None:
        """The push's item read straight from the frame's bytes, or None to decode it through
        the generated class and `_item` (the default; DecodeError like `_item`)."""
        return None

    def _item(self, push: msgspec.Struct) -> _T:
        raise NotImplementedError

    # -- WsProtocol --------------------------------------------------------------------------
    def url(self) -> str:
        return ws_url(self._base_url, self.market, self._credentials)

    def opening(self) -> list[Frame]:
        self.stats.connections += 1
        return [self._subscribe(self._new_trace())]

    def heartbeat(self) -> tuple[float, Frame] | None:
        return (self.heartbeat_interval, heartbeat_frame(self._new_trace()))

    def receive(self, data: Frame) -> Reaction[_T]:
        if self._fast_first:
            try:
                fast = self._fast_item(data)
            except DecodeError as exc:
                return self._failure(data, exc)
            if fast is not None:
                self.stats.pushes += 1
                return Reaction(items=[fast])
        try:
            route, code = self.table.route(data)
        except Unrouted as exc:
            return self._unrouted(data, exc)
        if route is None:
            self.stats.unknown += 1
            log.info("infoway: frame with code %s (not a message of the %s channel) ignored", code, self.table.channel)
            return Reaction()
        try:
            fast = self._fast_item(data) if route.role == "push" and not self._fast_first else None
            if fast is not None:
                self.stats.pushes += 1
                return Reaction(items=[fast])
            message = decode_json(route.cls, data)
        except DecodeError as exc:
            return self._failure(data, exc)
        if route.role == "push":
            try:
                item = self._item(message)
            except DecodeError as exc:
                return self._failure(data, exc)
            self.stats.pushes += 1
            return Reaction(items=[item])
        if isinstance(message, WsError):
            return self._error(error_for(VENUE, message.code, message.msg or "", scope="ws"))
        counter = _COUNTED.get(route.role)
        if counter is None:  # a kind the registry declares that this protocol has no use for
            self.stats.unknown += 1
            log.info("infoway: %s frame (code %s) ignored", route.role, code)
            return Reaction()
        setattr(self.stats, counter, getattr(self.stats, counter) + 1)
        if route.role == "heart_apply":
            self.stats.heart_applies += 1
        elif route.role == "unsubscribe_ack":
            self.stats.unsubscribe_acks += 1
        return Reaction()

    # -- what each kind of frame does ---------------------------------------------------------
    def _failure(self, data: Frame, error: DecodeError) -> Reaction[_T]:
        self.stats.decode_failures += 1
        return Reaction(items=[DecodeFailure(error, _raw(data))])

    def _error(self, error: VenueError) -> Reaction[_T]:
        self.stats.errors += 1
        self.errors.append(error)
        log.warning("infoway: the venue sent an error: %s", error)
        return Reaction()

    def _unrouted(self, data: Frame, exc: Unrouted) -> Reaction[_T]:
        """A frame that is not a JSON object with a `code`: a text notice, or a DecodeFailure."""
        notice = text_notice(data, exc)
        if isinstance(notice, VenueError):
            return self._error(notice)
        if notice:
            self.stats.notices += 1
            return Reaction()
        return self._failure(data, DecodeError(VENUE, self._push_name, exc.path, exc.reason))


class InfowayDepthProtocol(InfowayChannelProtocol[OrderBook]):
    """Depth pushes (10005) of `codes` on the `market` channel as normalized OrderBooks
    (`raw`: the push's typed Depth); see `InfowayChannelProtocol`."""

    table = INFOWAY_DEPTH_SERVER
    push_class = WsDepthPush

    def _subscribe(self, trace: str) -> str:
        return subscribe_frame(self.codes, trace)

    def _fast_item(self, data: Frame) -> OrderBook | None:
        return push_book_or_none(data, keep_raw=True)  # no Decimal built, raw kept lazily

    def _item(self, push: msgspec.Struct) -> OrderBook:
        assert isinstance(push, WsDepthPush)
        book = order_book_from_depth(push.data, message=self._push_name, path=("data",))
        return msgspec.structs.replace(book, raw=push.data)
