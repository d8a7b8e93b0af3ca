"""OpenD quotes, tickers and candles -> the neutral `Quote`, `Trade` and `Candle`.

Built from the generated classes: `Qot_Common.BasicQot` (Qot_GetBasicQot /
Qot_UpdateBasicQot), `Qot_Common.Ticker` rows (Qot_GetTicker / Qot_UpdateTicker) and
`Qot_Common.KLine` rows (Qot_GetKL / Qot_UpdateKL / Qot_RequestHistoryKL).

Numbers: OpenD sends doubles; each becomes the Decimal of its shortest repr (601.5 ->
Decimal("601.5"), never the binary expansion), int64 volumes exactly; `hpVolume` (the
high-precision volume) wins over `volume` when present. NaN and infinities are a
`DecodeError` naming the field.

Times: OpenD's time strings (`updateTime`, `time`) are in the market's own time zone; the
models take the UTC time stamps OpenD sends beside them instead: `updateTimestamp` (Quote),
`timestamp` (Trade, Candle). A time stamp that is absent or not positive gives None; one
no `datetime` holds is a `DecodeError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from google.protobuf.message import Message

from venuewire.generated.futu import (
    Qot_GetBasicQot_pb2,
    Qot_GetKL_pb2,
    Qot_GetTicker_pb2,
    Qot_RequestHistoryKL_pb2,
    Qot_UpdateBasicQot_pb2,
    Qot_UpdateKL_pb2,
    Qot_UpdateTicker_pb2,
)
from venuewire.generated.futu.enums import KLType, TickerDirection
from venuewire.generated.futu.Qot_Common_pb2 import BasicQot, KLine, Security, Ticker
from venuewire.generated.registry import OPEND
from venuewire.models import Candle, Quote, Trade
from venuewire.opend.book import VENUE, decimal_of
from venuewire.opend.symbols import symbol_of
from venuewire.values import utc_from_seconds

__all__ = [
    "KL_SUB_TYPES",
    "candle_from_kline",
    "candles_from_s2c",
    "interval_name",
    "kl_sub_type",
    "quote_from_basic",
    "quotes_from_s2c",
    "trade_from_ticker",
    "trades_from_s2c",
]

BasicS2C = Qot_GetBasicQot_pb2.S2C | Qot_UpdateBasicQot_pb2.S2C
TickerS2C = Qot_GetTicker_pb2.S2C | Qot_UpdateTicker_pb2.S2C
KLineS2C = Qot_GetKL_pb2.S2C | Qot_UpdateKL_pb2.S2C | Qot_RequestHistoryKL_pb2.S2C

KL_SUB_TYPES: Final[dict[int, int]] = {s.kl_type: s.sub_type for s in OPEND.sub_types if s.kl_type is not None}
"""KLType -> the Qot_Sub SubType that brings its Qot_UpdateKL pushes (registry opend.sub_types)."""

# TickerDirection -> the aggressor side. [run] futu-api 10.11.7108 futu/common/constant.py
# TickerDirect: Bid is BUY, Ask is SELL, Neutral neither.
_SIDES: Final[dict[int, str]] = {TickerDirection.Bid: "buy", TickerDirection.Ask: "sell"}


def kl_sub_type(kl_type: int) -> int:
    """The SubType to subscribe for candles of `kl_type`; ValueError for a KLType without one."""
    sub_type = KL_SUB_TYPES.get(int(kl_type))
    if sub_type is None:
        raise ValueError(f"KLType {kl_type!r} has no candle subscription type (known: {sorted(KL_SUB_TYPES)})")
    return sub_type


def interval_name(kl_type: int) -> str:
    """ "1Min", "Day", "Quarter", ... for a KLType value (its number for an unknown one)."""
    try:
        return KLType(kl_type).name.removeprefix("KLType_")
    except ValueError:
        return str(kl_type)


def _name(message: Message) -> str:
    return str(message.DESCRIPTOR.full_name).removeprefix("venuewire.futu.")


def _time(row: Any, field: str, message: str, path: tuple[str | int, ...]) -> datetime | None:
    if not row.HasField(field):
        return None
    seconds: float = getattr(row, field)
    if seconds <= 0 and math.isfinite(seconds):  # 0: OpenD's "no time"
        return None
    return utc_from_seconds(seconds, VENUE, message, (*path, field))


def _numbers(row: Any, message: str, path: tuple[str | int, ...]) -> Callable[[str], Decimal]:
    """field name -> the Decimal of that double field of `row` (DecodeError naming it)."""
    return lambda field: decimal_of(getattr(row, field), message, (*path, field))


def _volume(row: Any, message: str, path: tuple[str | int, ...]) -> Any:
    if row.HasField("hpVolume"):
        return decimal_of(row.hpVolume, message, (*path, "hpVolume"))
    return decimal_of(row.volume)


def quote_from_basic(
    qot: BasicQot, *, message: str = "Qot_Common.BasicQot", path: tuple[str | int, ...] = (), raw: object = None
) -> Quote:
    """The neutral Quote of one BasicQot (price: curPrice, time: updateTimestamp)."""
    num = _numbers(qot, message, path)
    return Quote(
        venue=VENUE,
        symbol=symbol_of(qot.security),
        price=num("curPrice"),
        open=num("openPrice"),
        high=num("highPrice"),
        low=num("lowPrice"),
        prev_close=num("lastClosePrice"),
        volume=_volume(qot, message, path),
        turnover=num("turnover"),
        updated_at=_time(qot, "updateTimestamp", message, path),
        name=qot.name if qot.HasField("name") else None,
        suspended=qot.isSuspended,
        raw=raw,
    )


def quotes_from_s2c(s2c: BasicS2C) -> list[Quote]:
    """Every quote of a Qot_GetBasicQot / Qot_UpdateBasicQot S2C, in order, each with
    `raw` = its BasicQot."""
    message = _name(s2c)
    rows = enumerate(s2c.basicQotList)
    return [quote_from_basic(q, message=message, path=("basicQotList", i), raw=q) for i, q in rows]


def trade_from_ticker(
    security: Security,
    row: Ticker,
    *,
    message: str = "Qot_Common.Ticker",
    path: tuple[str | int, ...] = (),
    raw: object = None,
) -> Trade:
    """The neutral Trade of one Ticker row (time: timestamp; trade_id: sequence as text)."""
    num = _numbers(row, message, path)
    return Trade(
        venue=VENUE,
        symbol=symbol_of(security),
        price=num("price"),
        size=_volume(row, message, path),
        time=_time(row, "timestamp", message, path),
        side=_SIDES.get(row.dir),
        trade_id=str(row.sequence),
        turnover=num("turnover"),
        raw=raw,
    )


def trades_from_s2c(s2c: TickerS2C) -> list[Trade]:
    """Every ticker row of a Qot_GetTicker / Qot_UpdateTicker S2C, oldest first as sent,
    each with `raw` = its Ticker."""
    message = _name(s2c)
    security, rows = s2c.security, enumerate(s2c.tickerList)
    return [trade_from_ticker(security, row, message=message, path=("tickerList", i), raw=row) for i, row in rows]


def candle_from_kline(
    security: Security,
    row: KLine,
    kl_type: int,
    *,
    message: str = "Qot_Common.KLine",
    path: tuple[str | int, ...] = (),
    raw: object = None,
) -> Candle:
    """The neutral Candle of one KLine row of `kl_type` (time: timestamp)."""
    num = _numbers(row, message, path)
    return Candle(
        venue=VENUE,
        symbol=symbol_of(security),
        interval=interval_name(kl_type),
        open=num("openPrice"),
        high=num("highPrice"),
        low=num("lowPrice"),
        close=num("closePrice"),
        volume=_volume(row, message, path),
        turnover=num("turnover"),
        time=_time(row, "timestamp", message, path),
        prev_close=num("lastClosePrice") if row.HasField("lastClosePrice") else None,
        blank=row.isBlank,
        raw=raw,
    )


def candles_from_s2c(s2c: KLineS2C, kl_type: int | None = None) -> list[Candle]:
    """Every KLine of a Qot_GetKL / Qot_UpdateKL / Qot_RequestHistoryKL S2C, oldest first as
    sent, each with `raw` = its KLine. A Qot_UpdateKL names its klType itself; the replies do
    not, so pass the `kl_type` that was requested (ValueError without one)."""
    if isinstance(s2c, Qot_UpdateKL_pb2.S2C):
        kl_type = s2c.klType
    if kl_type is None:
        raise ValueError(f"{_name(s2c)} does not say its KLType: pass kl_type")
    message = _name(s2c)
    security, rows = s2c.security, enumerate(s2c.klList)
    return [candle_from_kline(security, row, kl_type, message=message, path=("klList", i), raw=row) for i, row in rows]
