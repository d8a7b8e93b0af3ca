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

from collections.abc import Sequence
from typing import Literal, Unpack, cast

import msgspec

from venuewire.credentials import InfowayCredentials
from venuewire.generated.infoway.ws_dispatch import INFOWAY_KLINE_SERVER, INFOWAY_TRADE_SERVER
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
from venuewire.generated.registry import WS_INFOWAY_KLINE, WS_INFOWAY_TRADE
from venuewire.infoway.market import INTERVALS, candle_from_bar, interval_of, trade_from_tick
from venuewire.infoway.protocol import ChannelOptions, InfowayChannelProtocol
from venuewire.infoway.rest import check_codes
from venuewire.messages import encode_json
from venuewire.models import Candle, Trade

__all__ = [
    "InfowayCandleProtocol",
    "InfowayTradeProtocol",
    "kline_subscribe_frame",
    "kline_unsubscribe_frame",
    "trade_subscribe_frame",
    "trade_unsubscribe_frame",
]


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


class InfowayTradeProtocol(InfowayChannelProtocol[Trade]):
    """Trade pushes (10002) of `codes` on the `market` channel as normalized Trades (`raw`:
    the push's typed TradeTick). Never raises from `receive`."""

    table = INFOWAY_TRADE_SERVER
    push_class = WsTradePush
    default_url = WS_INFOWAY_TRADE.url
    ws_channel = WS_INFOWAY_TRADE

    def _subscribe(self, trace: str) -> str:
        return trade_subscribe_frame(self.codes, trace)

    def _item(self, push: msgspec.Struct) -> Trade:
        assert isinstance(push, WsTradePush)
        return trade_from_tick(push.data, message=self._push_name, path=("data",))


class InfowayCandleProtocol(InfowayChannelProtocol[Candle]):
    """Candle pushes (10008) of `codes` for `kline_type` (1..12) on the `market` channel as
    normalized Candles (`raw`: the push's typed bar; `interval` from its `ty`, else
    `kline_type`). Never raises from `receive`."""

    table = INFOWAY_KLINE_SERVER
    push_class = WsKlinePush
    default_url = WS_INFOWAY_KLINE.url
    ws_channel = WS_INFOWAY_KLINE

    def __init__(
        self,
        credentials: InfowayCredentials,
        market: str,
        codes: Sequence[str],
        kline_type: int = 1,
        **options: Unpack[ChannelOptions],
    ) -> None:
        self.kline_type = check_kline_type(kline_type)
        super().__init__(credentials, market, codes, **options)

    def _subscribe(self, trace: str) -> str:
        return kline_subscribe_frame(self.codes, self.kline_type, trace)

    def _item(self, push: msgspec.Struct) -> Candle:
        assert isinstance(push, WsKlinePush)
        bar = push.data
        kline_type = bar.ty if isinstance(bar.ty, int) else self.kline_type
        interval = interval_of(kline_type, message=self._push_name, path=("data", "ty"))
        return candle_from_bar(bar, interval, message=self._push_name, path=("data",))
