"""The pure halves of Infoway's trade and candle WebSocket streams: `WsProtocol`s with no I/O.

Both ride the depth channel's socket rules (`venuewire.infoway.protocol`: URL with business and
apikey, a heartbeat every 30 s, 60 frames a minute, the welcome, error frames and the
"Subscribe fail:" text); what differs is read from their registry entries:

    trades   WS_INFOWAY_TRADE   subscribe 10000 {"codes":"A,B"} -> ack 10001, pushes 10002 -> Trade
    candles  WS_INFOWAY_KLINE   subscribe 10006 {"arr":[{"type":k,"codes":"A,B"}]} -> ack 10007,
                                pushes 10008 -> Candle (interval from `ty`, else the subscribed k)

Which class decodes which frame is the generated dispatch table of each channel
(`INFOWAY_TRADE_SERVER`, `INFOWAY_KLINE_SERVER`). A frame that does not decode, or a push with
a NaN price or a time no date holds, is a DecodeFailure item naming the field; error frames
are counted and kept in `errors`; the stream goes on.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from typing import Final, Generic, Literal, TypeVar, cast

import msgspec

from venuewire.credentials import InfowayCredentials
from venuewire.errors import DecodeError, InvalidRequest, VenueError, error_for
from venuewire.events import DecodeFailure
from venuewire.generated.infoway.ws_dispatch import INFOWAY_KLINE_SERVER, INFOWAY_TRADE_SERVER
from venuewire.generated.infoway.ws_error import WsError
from venuewire.generated.infoway.ws_kline import WsKlinePush
from venuewire.generated.infoway.ws_kline_subscribe import ArrItem, WsKlineSubscribe
from venuewire.generated.infoway.ws_kline_subscribe import Data as KlineSubscribeData
from venuewire.generated.infoway.ws_kline_unsubscribe import Data as KlineUnsubscribeData
from venuewire.generated.infoway.ws_kline_unsubscribe import WsKlineUnsubscribe
from venuewire.generated.infoway.ws_trade import WsTradePush
from venuewire.generated.infoway.ws_trade_subscribe import Data as TradeSubscribeData
from venuewire.generated.infoway.ws_trade_subscribe import WsTradeSubscribe
from venuewire.generated.infoway.ws_trade_unsubscribe import Data as TradeUnsubscribeData
from venuewire.generated.infoway.ws_trade_unsubscribe import WsTradeUnsubscribe
from venuewire.generated.registry import WS_INFOWAY_KLINE, WS_INFOWAY_TRADE, WsChannel
from venuewire.generated.ws_dispatch import Unrouted, WsDispatch
from venuewire.infoway.book import VENUE
from venuewire.infoway.market import INTERVALS, candle_from_bar, interval_of, trade_from_tick
from venuewire.infoway.protocol import HEARTBEAT_INTERVAL_S, MAX_RAW, DepthProtocolStats, heartbeat_frame, ws_url
from venuewire.infoway.rest import WS_BUSINESSES, check_codes, check_market
from venuewire.messages import decode_json, encode_json, message_info
from venuewire.models import Candle, Trade
from venuewire.transport import Frame, Reaction

__all__ = [
    "InfowayCandleProtocol",
    "InfowayTradeProtocol",
    "kline_subscribe_frame",
    "kline_unsubscribe_frame",
    "trade_subscribe_frame",
    "trade_unsubscribe_frame",
]

log = logging.getLogger("venuewire.infoway")
T = TypeVar("T", Trade, Candle)
MAX_ERRORS_KEPT: Final = 100
_SUBSCRIBE_FAIL: Final = "Subscribe fail:"
_GREETING: Final = "You have permission"
"""The plain-text notice the stock channel sends first (per the official SDK) [guess]."""
_COUNTED: Final[dict[str, str]] = {
    "welcome": "welcomes",
    "ack": "acks",
    "unsubscribe_ack": "control",
    "heartbeat": "control",
}


def trade_subscribe_frame(codes: Sequence[str], trace: str) -> str:
    """`{"code":10000,"trace":..,"data":{"codes":"A,B"}}`: every code in one frame."""
    code = cast("Literal[10000]", WS_INFOWAY_TRADE.codes["subscribe"])
    return encode_json(
        WsTradeSubscribe(code=code, trace=trace, data=TradeSubscribeData(codes=",".join(codes)))
    ).decode()


def trade_unsubscribe_frame(codes: Sequence[str], trace: str) -> str:
    """`{"code":11000,"trace":..,"data":{"codes":"A,B"}}` (answered by 11010)."""
    code = cast("Literal[11000]", WS_INFOWAY_TRADE.codes["unsubscribe"])
    data = TradeUnsubscribeData(codes=",".join(check_codes(codes, max_codes=None)))
    return encode_json(WsTradeUnsubscribe(code=code, trace=trace, data=data)).decode()


def kline_subscribe_frame(codes: Sequence[str], kline_type: int, trace: str) -> str:
    """`{"code":10006,"trace":..,"data":{"arr":[{"type":k,"codes":"A,B"}]}}`."""
    code = cast("Literal[10006]", WS_INFOWAY_KLINE.codes["subscribe"])
    data = KlineSubscribeData(arr=[ArrItem(type=kline_type, codes=",".join(codes))])
    return encode_json(WsKlineSubscribe(code=code, trace=trace, data=data)).decode()


def kline_unsubscribe_frame(codes: Sequence[str], kline_type: int, trace: str) -> str:
    """`{"code":11002,"trace":..,"data":{"codes":"A,B","klineTypes":"k"}}`: only that interval
    stops (without klineTypes the venue stops every interval of those codes)."""
    code = cast("Literal[11002]", WS_INFOWAY_KLINE.codes["unsubscribe"])
    data = KlineUnsubscribeData(codes=",".join(check_codes(codes, max_codes=None)), klineTypes=str(kline_type))
    return encode_json(WsKlineUnsubscribe(code=code, trace=trace, data=data)).decode()


def check_kline_type(kline_type: int) -> int:
    """`kline_type` if it is 1..12 (the registry's intervals), else ValueError."""
    if isinstance(kline_type, bool) or not isinstance(kline_type, int) or not 1 <= kline_type <= len(INTERVALS):
        raise ValueError(f"kline_type must be an int 1..{len(INTERVALS)} ({', '.join(INTERVALS)}), got {kline_type!r}")
    return kline_type


def _new_trace() -> str:
    return uuid.uuid4().hex


class _MarketProtocol(Generic[T]):
    """What the trade and candle protocols share (see the module doc)."""

    venue = VENUE
    channel: WsChannel
    table: WsDispatch

    def __init__(
        self,
        credentials: InfowayCredentials,
        market: str,
        codes: Sequence[str],
        *,
        base_url: str,
        heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        new_trace: Callable[[], str] = _new_trace,
    ) -> None:
        if not isinstance(credentials, InfowayCredentials):
            raise TypeError("credentials must be InfowayCredentials")
        self.market = check_market(market, allowed=WS_BUSINESSES)
        self.codes: tuple[str, ...] = tuple(check_codes(codes, max_codes=None))
        if not heartbeat_interval > 0:
            raise ValueError(f"heartbeat_interval must be positive, got {heartbeat_interval!r}")
        self.heartbeat_interval = float(heartbeat_interval)
        self._credentials = credentials
        self._base_url = base_url
        self._new_trace = new_trace
        self.stats = DepthProtocolStats()
        self.errors: deque[VenueError] = deque(maxlen=MAX_ERRORS_KEPT)
        self._push_name = message_info(self._push_class()).name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(market={self.market!r}, codes={list(self.codes)!r})"

    def _push_class(self) -> type[msgspec.Struct]:
        raise NotImplementedError

    def _subscribe(self, trace: str) -> str:
        raise NotImplementedError

    def _item(self, push: msgspec.Struct) -> T:
        raise NotImplementedError

    # -- WsProtocol --------------------------------------------------------------------------
    def url(self) -> str:
        return ws_url(self._base_url, self.market, self._credentials)

    def opening(self) -> list[Frame]:
        self.stats.connections += 1
        return [self._subscribe(self._new_trace())]

    def heartbeat(self) -> tuple[float, Frame] | None:
        return (self.heartbeat_interval, heartbeat_frame(self._new_trace()))

    def receive(self, data: Frame) -> Reaction[T]:
        try:
            route, code = self.table.route(data)
        except Unrouted as exc:
            return self._unrouted(data, exc)
        if route is None:
            self.stats.unknown += 1
            log.info(
                "infoway: frame with code %s (no message of the %s channel has it) ignored", code, self.channel.name
            )
            return Reaction()
        try:
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
        if counter is None:
            self.stats.unknown += 1
            return Reaction()
        setattr(self.stats, counter, getattr(self.stats, counter) + 1)
        if route.role == "unsubscribe_ack":
            self.stats.unsubscribe_acks += 1
        return Reaction()

    def _failure(self, data: Frame, error: DecodeError) -> Reaction[T]:
        self.stats.decode_failures += 1
        raw = (data.encode() if isinstance(data, str) else bytes(data))[:MAX_RAW]
        return Reaction(items=[DecodeFailure(error, raw)])

    def _error(self, error: VenueError) -> Reaction[T]:
        self.stats.errors += 1
        self.errors.append(error)
        log.warning("infoway: the venue sent an error: %s", error)
        return Reaction()

    def _unrouted(self, data: Frame, exc: Unrouted) -> Reaction[T]:
        if exc.not_json and isinstance(data, str):
            text = data.strip()
            if text.startswith(_SUBSCRIBE_FAIL):
                reason = text[len(_SUBSCRIBE_FAIL) :].strip() or "subscription refused"
                return self._error(InvalidRequest(VENUE, f"subscribe failed: {reason[:200]}"))
            if text.startswith(_GREETING):
                self.stats.notices += 1
                return Reaction()
        return self._failure(data, DecodeError(VENUE, self._push_name, exc.path, exc.reason))


class InfowayTradeProtocol(_MarketProtocol[Trade]):
    """Trade pushes (10002) of `codes` on the `market` channel as normalized Trades (`raw`:
    the push's typed TradeTick). Never raises from `receive`."""

    channel = WS_INFOWAY_TRADE
    table = INFOWAY_TRADE_SERVER

    def __init__(
        self,
        credentials: InfowayCredentials,
        market: str,
        codes: Sequence[str],
        *,
        base_url: str = WS_INFOWAY_TRADE.url,
        heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        new_trace: Callable[[], str] = _new_trace,
    ) -> None:
        super().__init__(
            credentials, market, codes, base_url=base_url, heartbeat_interval=heartbeat_interval, new_trace=new_trace
        )

    def _push_class(self) -> type[msgspec.Struct]:
        return WsTradePush

    def _subscribe(self, trace: str) -> str:
        return trade_subscribe_frame(self.codes, trace)

    def _item(self, push: msgspec.Struct) -> Trade:
        assert isinstance(push, WsTradePush)
        return trade_from_tick(push.data, message=self._push_name, path=("data",))


class InfowayCandleProtocol(_MarketProtocol[Candle]):
    """Candle pushes (10008) of `codes` for `kline_type` (1..12) on the `market` channel as
    normalized Candles (`raw`: the push's typed bar; `interval` from its `ty`, else
    `kline_type`). Never raises from `receive`."""

    channel = WS_INFOWAY_KLINE
    table = INFOWAY_KLINE_SERVER

    def __init__(
        self,
        credentials: InfowayCredentials,
        market: str,
        codes: Sequence[str],
        kline_type: int = 1,
        *,
        base_url: str = WS_INFOWAY_KLINE.url,
        heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        new_trace: Callable[[], str] = _new_trace,
    ) -> None:
        self.kline_type = check_kline_type(kline_type)
        super().__init__(
            credentials, market, codes, base_url=base_url, heartbeat_interval=heartbeat_interval, new_trace=new_trace
        )

    def _push_class(self) -> type[msgspec.Struct]:
        return WsKlinePush

    def _subscribe(self, trace: str) -> str:
        return kline_subscribe_frame(self.codes, self.kline_type, trace)

    def _item(self, push: msgspec.Struct) -> Candle:
        assert isinstance(push, WsKlinePush)
        bar = push.data
        kline_type = bar.ty if isinstance(bar.ty, int) else self.kline_type
        interval = interval_of(kline_type, message=self._push_name, path=("data", "ty"))
        return candle_from_bar(bar, interval, message=self._push_name, path=("data",))
