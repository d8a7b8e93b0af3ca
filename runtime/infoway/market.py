"""Infoway trades and candles -> the neutral `venuewire.models.Trade` / `Candle`. Pure.

Trades (`TradeTick`: a batch_trade item or a 10002 push's data): `t` epoch milliseconds, `td`
the aggressor (the registry's `side` choices of the trade channel: 1 buy, 2 sell, else None),
`vw` the turnover. Candles (`KlineBar` of batch_kline, `WsKlineBar` of a 10008 push): `t`
epoch seconds sent as a string of digits, the interval named by the registry's `interval`
choices of the kline channel (klineType n is the n-th name: 1 -> "1Min", 8 -> "Day").
Every number keeps its exact text (Decimal from the wire text); a NaN or infinite value, a
`t` that is not digits or no date, and an unknown klineType raise DecodeError naming the
message and the field path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Final

from venuewire.errors import DecodeError
from venuewire.generated.infoway.batch_kline_response import BatchKlineResponse
from venuewire.generated.infoway.batch_trade_response import BatchTradeResponse
from venuewire.generated.infoway.kline_bar import KlineBar
from venuewire.generated.infoway.trade_tick import TradeTick
from venuewire.generated.infoway.ws_kline import Data as WsKlineBar
from venuewire.generated.registry import WS_INFOWAY_KLINE, WS_INFOWAY_TRADE
from venuewire.infoway.book import VENUE
from venuewire.models import Candle, Trade
from venuewire.values import finite_decimal, utc_from_ms, utc_from_seconds

__all__ = [
    "INTERVALS",
    "candle_from_bar",
    "candles_from_response",
    "interval_of",
    "trade_from_tick",
    "trades_from_response",
]

_Path = Sequence[str | int]
INTERVALS: Final[tuple[str, ...]] = WS_INFOWAY_KLINE.choices["interval"]
"""Interval names by klineType - 1 (registry)."""
_SIDES: Final[tuple[str, ...]] = WS_INFOWAY_TRADE.choices["side"]
_MAX_T_DIGITS: Final = 15


def interval_of(kline_type: int, *, message: str = "kline", path: _Path = ("ty",)) -> str:
    """The interval name of a klineType (1..12); DecodeError naming `path` otherwise."""
    if isinstance(kline_type, int) and 1 <= kline_type <= len(INTERVALS):
        return INTERVALS[kline_type - 1]
    raise DecodeError(VENUE, message, path, f"klineType {kline_type!r} is not one of 1..{len(INTERVALS)}")


def _num(value: Decimal, message: str, path: _Path) -> Decimal:
    return finite_decimal(value, VENUE, message, path)


def trade_from_tick(tick: TradeTick, *, message: str = "trade_tick", path: _Path = (), raw: object = None) -> Trade:
    """The neutral Trade of one tick (`raw` defaults to the tick itself)."""
    side = _SIDES[tick.td] if isinstance(tick.td, int) and 0 <= tick.td < len(_SIDES) else ""
    turnover = tick.vw if isinstance(tick.vw, Decimal) else None
    return Trade(
        venue=VENUE,
        symbol=tick.s,
        price=_num(tick.p, message, (*path, "p")),
        size=_num(tick.v, message, (*path, "v")),
        time=utc_from_ms(tick.t, VENUE, message, (*path, "t")),
        side=side or None,
        turnover=None if turnover is None else _num(turnover, message, (*path, "vw")),
        raw=tick if raw is None else raw,
    )


def _seconds(text: str, message: str, path: _Path) -> datetime:
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_T_DIGITS:
        raise DecodeError(VENUE, message, path, f"{text[:40]!r} is not Unix seconds as digits")
    return utc_from_seconds(int(text), VENUE, message, path)


def candle_from_bar(
    bar: KlineBar | WsKlineBar,
    interval: str,
    *,
    symbol: str | None = None,
    message: str = "kline_bar",
    path: _Path = (),
    raw: object = None,
) -> Candle:
    """The neutral Candle of one bar of `interval` (a name of INTERVALS); `symbol` for a
    batch_kline bar (its series names it), else the push's `s`."""
    name = symbol if symbol is not None else getattr(bar, "s", "")
    return Candle(
        venue=VENUE,
        symbol=name,
        interval=interval,
        open=_num(bar.o, message, (*path, "o")),
        high=_num(bar.h, message, (*path, "h")),
        low=_num(bar.l, message, (*path, "l")),
        close=_num(bar.c, message, (*path, "c")),
        volume=_num(bar.v, message, (*path, "v")),
        turnover=_num(bar.vw, message, (*path, "vw")),
        time=_seconds(bar.t, message, (*path, "t")),
        raw=bar if raw is None else raw,
    )


def trades_from_response(response: BatchTradeResponse) -> list[Trade]:
    """Every trade of a batch_trade reply, in the venue's order."""
    message = "batch_trade_response"
    return [trade_from_tick(t, message=message, path=("data", i)) for i, t in enumerate(response.data or ())]


def candles_from_response(response: BatchKlineResponse, kline_type: int) -> list[Candle]:
    """Every candle of a batch_kline reply for `kline_type`, series by series, each newest
    first as sent."""
    message = "batch_kline_response"
    interval = interval_of(kline_type, message=message, path=("klineType",))
    out: list[Candle] = []
    for i, series in enumerate(response.data or ()):
        for j, bar in enumerate(series.respList):
            out.append(
                candle_from_bar(bar, interval, symbol=series.s, message=message, path=("data", i, "respList", j))
            )
    return out
