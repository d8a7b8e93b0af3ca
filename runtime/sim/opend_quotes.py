"""The OpenD simulator's moving market: quotes, trades (ticker rows), candles and time-share
rows that move over time, for `venuewire.sim.opend`.

Each security touched (subscribed or asked about) gets a `Tape`: a deterministic random
walk seeded by its symbol (`symbol_seed`), one trade per simulator step (every
`push_interval`), stamped with the simulator's clock. Everything served is derived from the
tape, so a request's answer and the pushes agree: Qot_GetBasicQot / Qot_UpdateBasicQot (the
session so far: open, high, low, last, volume, turnover), Qot_GetTicker / Qot_UpdateTicker
(the latest trades), Qot_GetKL / Qot_UpdateKL (candles of every KLType, aggregated from the
trades; a push holds the candle being formed), Qot_GetRT / Qot_UpdateRT (one row a minute)
and Qot_RequestHistoryKL (before the tape started: candles derived from the seed and the
period, the same on every call; then the tape's own).

Time strings are in the market's time zone (HK and A-shares Beijing time, US Eastern:
[doc] https://openapi.futunn.com/futu-api-doc/en/quote/update-ticker.html); the time stamps
beside them are UTC seconds. A candle's time stamp is the start of its period [guess].

The request handlers here refuse, like OpenD, data of a security that is not subscribed to
the matching sub type on the connection (retType -1; the wording is ours, [guess]), and
Qot_GetSubInfo reports the connection's subscriptions and the quota they use (the quota
refusal itself is in venuewire.sim.opend's Qot_Sub).
"""

from __future__ import annotations

import random
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from google.protobuf.message import Message

from venuewire.generated.futu import (
    Qot_Common_pb2,
    Qot_GetBasicQot_pb2,
    Qot_GetBroker_pb2,
    Qot_GetKL_pb2,
    Qot_GetMarketState_pb2,
    Qot_GetRT_pb2,
    Qot_GetSecuritySnapshot_pb2,
    Qot_GetStaticInfo_pb2,
    Qot_GetSubInfo_pb2,
    Qot_GetTicker_pb2,
    Qot_RequestHistoryKL_pb2,
    Qot_UpdateBasicQot_pb2,
    Qot_UpdateBroker_pb2,
    Qot_UpdateKL_pb2,
    Qot_UpdateRT_pb2,
    Qot_UpdateTicker_pb2,
)
from venuewire.generated.futu.enums import (
    KLType,
    QotMarket,
    QotMarketState,
    RehabType,
    RetType,
    SecurityType,
    SubType,
    TickerDirection,
    TickerType,
)
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.messages import decode_proto
from venuewire.opend.frame import Frame
from venuewire.sim.books import symbol_seed

if TYPE_CHECKING:
    from venuewire.sim.opend import OpenDSession, SecKey

__all__ = [
    "KL_SUB_TYPES",
    "QUOTE_SUB_TYPES",
    "TICKER_KEPT",
    "QuoteMarket",
    "Tape",
    "quote_pushes",
]

TICKER_KEPT: Final = 1000
"""Trades a tape keeps (the most a Qot_GetTicker gets)."""
CANDLES_KEPT: Final = 1000
"""Candles a tape keeps per KLType."""
HISTORY_MAX: Final = 1000
"""The most candles one Qot_RequestHistoryKL answer holds when maxAckKLNum is not set."""

KL_SUB_TYPES: Final[dict[int, int]] = {s.sub_type: s.kl_type for s in OPEND.sub_types if s.kl_type is not None}
"""Candle SubType -> its KLType (registry opend.sub_types)."""
_SUB_OF_KL: Final[dict[int, int]] = {kl: sub for sub, kl in KL_SUB_TYPES.items()}
QUOTE_SUB_TYPES: Final[frozenset[int]] = frozenset(
    {SubType.Basic, SubType.Ticker, SubType.RT, SubType.Broker, *KL_SUB_TYPES}
)
"""Sub types whose pushes this module makes."""

_ZONES: Final[dict[int, str]] = {
    QotMarket.HK_Security: "Asia/Shanghai",
    QotMarket.HK_Future: "Asia/Shanghai",
    QotMarket.CNSH_Security: "Asia/Shanghai",
    QotMarket.CNSZ_Security: "Asia/Shanghai",
    QotMarket.US_Security: "America/New_York",
}
"""The time zone of a market's time strings (others: UTC, the simulator's choice)."""


def market_zone(market: int) -> tzinfo:
    try:
        return ZoneInfo(_ZONES[market])
    except (KeyError, ZoneInfoNotFoundError):
        return UTC


def _minutes(kl_type: int) -> int | None:
    """Minutes per candle of a minute KLType ("KLType_5Min" -> 5); None for Day and longer."""
    name = KLType(kl_type).name
    return int(name.removeprefix("KLType_").removesuffix("Min")) if name.endswith("Min") else None


def period_start(kl_type: int, seconds: float, zone: tzinfo) -> datetime:
    """The start (aware, in `zone`) of the candle period of `kl_type` holding `seconds`."""
    local = datetime.fromtimestamp(seconds, zone)
    minutes = _minutes(kl_type)
    if minutes is not None:
        since_midnight = local.hour * 60 + local.minute
        start = since_midnight - since_midnight % minutes
        return local.replace(hour=start // 60, minute=start % 60, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if kl_type == KLType.Day:
        return day
    if kl_type == KLType.Week:
        return day - timedelta(days=day.weekday())
    if kl_type == KLType.Month:
        return day.replace(day=1)
    if kl_type == KLType.Quarter:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def next_period(kl_type: int, start: datetime) -> datetime:
    minutes = _minutes(kl_type)
    if minutes is not None:
        return start + timedelta(minutes=minutes)
    if kl_type == KLType.Day:
        return start + timedelta(days=1)
    if kl_type == KLType.Week:
        return start + timedelta(days=7)
    months = {KLType.Month: 1, KLType.Quarter: 3}.get(KLType(kl_type), 12)
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


@dataclass(slots=True)
class TradeRow:
    sequence: int
    time: float
    price: Decimal
    volume: int
    direction: int


@dataclass(slots=True)
class Bar:
    """One candle being aggregated: prices, volume and turnover of the trades in its period."""

    start: float
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: int = 0
    turnover: Decimal = Decimal(0)

    def add(self, price: Decimal, volume: int) -> None:
        self.high, self.low, self.close = max(self.high, price), min(self.low, price), price
        self.volume += volume
        self.turnover += price * volume


def _text(seconds: float, zone: tzinfo, millis: bool = False) -> str:
    text = datetime.fromtimestamp(seconds, zone).strftime("%Y-%m-%d %H:%M:%S.%f" if millis else "%Y-%m-%d %H:%M:%S")
    return text[:-3] if millis else text


class Tape:
    """One security's trades: a seeded random walk in ticks around `mid`, one trade per
    `trade(now)`, and the session figures and candles they make."""

    def __init__(
        self, key: SecKey, symbol: str, name: str, *, mid: Decimal, tick: Decimal, lot: Decimal, now: float
    ) -> None:
        self.key, self.symbol, self.name = key, symbol, name
        self.tick, self.lot = tick, int(lot) or 1
        self.seed = symbol_seed(symbol)
        self._rng = random.Random(self.seed)
        self.prev_close = (mid / tick).to_integral_value(ROUND_HALF_EVEN) * tick
        self._ticks = int(self.prev_close / tick)
        self._drift = max(1, self._ticks // 50)
        self.zone = market_zone(key[0])
        self.started = now
        self.trades: deque[TradeRow] = deque(maxlen=TICKER_KEPT)
        self.count = 0
        self.open = self.high = self.low = self.last = self.prev_close
        self.volume = 0
        self.turnover = Decimal(0)
        self.bars: dict[int, OrderedDict[float, Bar]] = {kl: OrderedDict() for kl in KL_SUB_TYPES.values()}
        self.trade(now)

    def trade(self, now: float) -> TradeRow:
        """The next trade of the walk, at `now`."""
        rng = self._rng
        base = int(self.prev_close / self.tick)
        move = rng.choice((-1, 0, 0, 1))
        self._ticks = min(max(self._ticks + move, base - self._drift), base + self._drift)
        price = self._ticks * self.tick
        volume = self.lot * rng.randint(1, 20)
        direction = (TickerDirection.Ask, TickerDirection.Bid, TickerDirection.Neutral)[rng.randrange(3)]
        self.count += 1
        row = TradeRow(self.count, now, price, volume, direction)
        self.trades.append(row)
        if self.count == 1:
            self.open = self.high = self.low = price
        self.high, self.low, self.last = max(self.high, price), min(self.low, price), price
        self.volume += volume
        self.turnover += price * volume
        for kl_type, bars in self.bars.items():
            start = period_start(kl_type, now, self.zone).timestamp()
            bar = bars.get(start)
            if bar is None:
                bar = bars[start] = Bar(start, price, price, price, price)
                while len(bars) > CANDLES_KEPT:
                    bars.popitem(last=False)
            bar.add(price, volume)
        return row

    # -- wire messages ----------------------------------------------------------------------

    def security(self) -> Qot_Common_pb2.Security:
        return Qot_Common_pb2.Security(market=self.key[0], code=self.key[1])

    def basic_qot(self) -> Qot_Common_pb2.BasicQot:
        updated = self.trades[-1].time
        amplitude = (self.high - self.low) / self.prev_close * 100
        return Qot_Common_pb2.BasicQot(
            security=self.security(),
            name=self.name,
            isSuspended=False,
            listTime=_text(self.started, self.zone)[:10],
            listTimestamp=period_start(KLType.Day, self.started, self.zone).timestamp(),
            priceSpread=float(self.tick),
            updateTime=_text(updated, self.zone),
            updateTimestamp=updated,
            highPrice=float(self.high),
            openPrice=float(self.open),
            lowPrice=float(self.low),
            curPrice=float(self.last),
            lastClosePrice=float(self.prev_close),
            volume=self.volume,
            turnover=float(self.turnover),
            turnoverRate=0.0,
            amplitude=float(round(amplitude, 3)),
        )

    def ticker(self, row: TradeRow) -> Qot_Common_pb2.Ticker:
        return Qot_Common_pb2.Ticker(
            time=_text(row.time, self.zone, millis=True),
            sequence=row.sequence,
            dir=row.direction,
            price=float(row.price),
            volume=row.volume,
            turnover=float(row.price * row.volume),
            type=TickerType.Automatch,
            timestamp=row.time,
        )

    def tickers(self, num: int) -> list[Qot_Common_pb2.Ticker]:
        """The latest `num` trades, oldest first."""
        rows = list(self.trades)[-num:] if num > 0 else []
        return [self.ticker(row) for row in rows]

    def kline(self, bar: Bar, prev_close: Decimal) -> Qot_Common_pb2.KLine:
        return Qot_Common_pb2.KLine(
            time=_text(bar.start, self.zone),
            isBlank=False,
            highPrice=float(bar.high),
            openPrice=float(bar.open),
            lowPrice=float(bar.low),
            closePrice=float(bar.close),
            lastClosePrice=float(prev_close),
            volume=bar.volume,
            turnover=float(bar.turnover),
            timestamp=bar.start,
        )

    def klines(self, kl_type: int, num: int | None = None) -> list[Qot_Common_pb2.KLine]:
        """The tape's candles of `kl_type` (the latest `num`), oldest first; the last one is
        the candle being formed."""
        bars = list(self.bars[kl_type].values())
        out, prev = [], self.prev_close
        for bar in bars:
            out.append(self.kline(bar, prev))
            prev = bar.close
        return out[-num:] if num is not None else out

    def history(self, kl_type: int, begin: float, end: float, limit: int) -> list[Qot_Common_pb2.KLine]:
        """Candles of `kl_type` whose period starts in [begin, end]: derived ones (from the seed
        and the period) before the tape's first, then the tape's; at most `limit`."""
        first = period_start(kl_type, self.started, self.zone)
        start = period_start(kl_type, begin, self.zone)
        out: list[Qot_Common_pb2.KLine] = []
        prev = self.prev_close
        while start.timestamp() <= end and start < first and len(out) < limit:
            bar = self._derived(kl_type, start.timestamp())
            if kl_type != KLType.Day or start.weekday() < 5:  # no daily candles on weekends
                out.append(self.kline(bar, prev))
                prev = bar.close
            start = next_period(kl_type, start)
        live = [k for k in self.klines(kl_type) if start.timestamp() <= k.timestamp <= end]
        return (out + live)[:limit]

    def _derived(self, kl_type: int, start: float) -> Bar:
        rng = random.Random(self.seed ^ (int(start) << 8) ^ kl_type)
        span = self._drift
        base = int(self.prev_close / self.tick)
        ticks = [base + rng.randint(-span, span) for _ in range(4)]
        open_, close = ticks[0], ticks[1]
        high, low = max(ticks), min(ticks)
        volume = self.lot * rng.randint(100, 10_000)
        t = self.tick
        mid = (open_ + close) * t / 2
        return Bar(start, open_ * t, high * t, low * t, close * t, volume, mid * volume)

    def time_shares(self) -> list[Qot_Common_pb2.TimeShare]:
        """One row per minute of the tape (its 1-minute candles): last price, average price so
        far, the minute's volume and turnover."""
        out = []
        volume, turnover = 0, Decimal(0)
        for bar in self.bars[KLType.KLType_1Min].values():
            volume += bar.volume
            turnover += bar.turnover
            local = datetime.fromtimestamp(bar.start, self.zone)
            out.append(
                Qot_Common_pb2.TimeShare(
                    time=_text(bar.start, self.zone),
                    minute=local.hour * 60 + local.minute,
                    isBlank=False,
                    price=float(bar.close),
                    lastClosePrice=float(self.prev_close),
                    avgPrice=float(round(turnover / volume, 4)) if volume else float(bar.close),
                    volume=bar.volume,
                    turnover=float(bar.turnover),
                    timestamp=bar.start,
                )
            )
        return out


class QuoteMarket:
    """Every tape of one simulator, created on first use; `advance(now)` trades once on each."""

    def __init__(self) -> None:
        self.tapes: dict[SecKey, Tape] = {}

    def tape(self, key: SecKey, now: float) -> Tape:
        tape = self.tapes.get(key)
        if tape is None:
            from venuewire.sim.opend import CATALOG, book_generator, sec_symbol, security_name

            gen = book_generator(key)
            name = security_name(key) if key in CATALOG else key[1]
            tape = self.tapes[key] = Tape(key, sec_symbol(key), name, mid=gen.mid, tick=gen.tick, lot=gen.lot, now=now)
        return tape

    def advance(self, now: float) -> None:
        for tape in self.tapes.values():
            tape.trade(now)


# --- the session's side: requests and pushes ------------------------------------------------


def _not_subscribed(session: OpenDSession, frame: Frame, key: SecKey, sub_type: int) -> list[bytes] | None:
    """OpenD's refusal when `key` is not subscribed to `sub_type` on this connection, else None."""
    if sub_type in session.subscriptions.get(key, {}):
        return None
    from venuewire.sim.opend import sec_symbol

    name = SubType(sub_type).name
    text = (
        f"{sec_symbol(key)} is not subscribed to SubType {name} ({sub_type}) on this connection: "
        "subscribe with Qot_Sub first"
    )
    return session._error(frame, RetType.Failed, text)


def _tape(session: OpenDSession, security: Qot_Common_pb2.Security) -> Tape:
    return session.shared.market.tape((security.market, security.code), session.shared.clock())


def get_basic_qot(session: OpenDSession, frame: Frame) -> list[bytes]:
    c2s = decode_proto(Qot_GetBasicQot_pb2.Request, frame.body).c2s
    for security in c2s.securityList:
        refusal = _not_subscribed(session, frame, (security.market, security.code), SubType.Basic)
        if refusal is not None:
            return refusal
    s2c = Qot_GetBasicQot_pb2.S2C(basicQotList=[_tape(session, s).basic_qot() for s in c2s.securityList])
    return session._reply(frame, Qot_GetBasicQot_pb2.Response(retType=RetType.Succeed, s2c=s2c))


def _security_reply(
    session: OpenDSession,
    frame: Frame,
    response_cls: type[Any],
    security: Qot_Common_pb2.Security,
    *,
    sub_type: int | None,
    fill: Callable[[Any, Tape], object],
) -> list[bytes]:
    """The reply about one security: OpenD's refusal unless it is subscribed to `sub_type`
    (None: no subscription needed), else a Response whose s2c has the security, its name and
    what `fill(s2c, tape)` adds."""
    if sub_type is not None:
        refusal = _not_subscribed(session, frame, (security.market, security.code), sub_type)
        if refusal is not None:
            return refusal
    tape = _tape(session, security)
    response = response_cls(retType=RetType.Succeed)
    response.s2c.security.CopyFrom(tape.security())
    response.s2c.name = tape.name
    fill(response.s2c, tape)
    return session._reply(frame, response)


def get_ticker(session: OpenDSession, frame: Frame) -> list[bytes]:
    c2s = decode_proto(Qot_GetTicker_pb2.Request, frame.body).c2s
    return _security_reply(
        session,
        frame,
        Qot_GetTicker_pb2.Response,
        c2s.security,
        sub_type=SubType.Ticker,
        fill=lambda s2c, tape: s2c.tickerList.extend(tape.tickers(c2s.maxRetNum)),
    )


def _bad_kl_type(session: OpenDSession, frame: Frame, kl_type: int) -> list[bytes] | None:
    if kl_type in _SUB_OF_KL:
        return None
    return session._error(frame, RetType.Failed, f"unknown klType {kl_type}")


def get_kl(session: OpenDSession, frame: Frame) -> list[bytes]:
    c2s = decode_proto(Qot_GetKL_pb2.Request, frame.body).c2s
    refusal = _bad_kl_type(session, frame, c2s.klType)
    if refusal is not None:
        return refusal
    if c2s.reqNum < 1:
        return session._error(frame, RetType.Failed, f"reqNum must be at least 1, got {c2s.reqNum}")
    return _security_reply(
        session,
        frame,
        Qot_GetKL_pb2.Response,
        c2s.security,
        sub_type=_SUB_OF_KL[c2s.klType],
        fill=lambda s2c, tape: s2c.klList.extend(tape.klines(c2s.klType, c2s.reqNum)),
    )


def get_rt(session: OpenDSession, frame: Frame) -> list[bytes]:
    c2s = decode_proto(Qot_GetRT_pb2.Request, frame.body).c2s
    return _security_reply(
        session,
        frame,
        Qot_GetRT_pb2.Response,
        c2s.security,
        sub_type=SubType.RT,
        fill=lambda s2c, tape: s2c.rtList.extend(tape.time_shares()),
    )


def _parse_time(text: str, zone: tzinfo) -> float | None:
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=zone).timestamp()
        except ValueError:
            continue
    return None


def request_history_kl(session: OpenDSession, frame: Frame) -> list[bytes]:
    """No subscription needed (OpenD counts a historical candle quota instead, not simulated)."""
    c2s = decode_proto(Qot_RequestHistoryKL_pb2.Request, frame.body).c2s
    refusal = _bad_kl_type(session, frame, c2s.klType)
    if refusal is not None:
        return refusal
    zone = market_zone(c2s.security.market)
    begin, end = _parse_time(c2s.beginTime, zone), _parse_time(c2s.endTime, zone)
    if begin is None or end is None:
        text = f"beginTime {c2s.beginTime!r} / endTime {c2s.endTime!r} must look like 2025-04-07 or 2025-04-07 10:15:00"
        return session._error(frame, RetType.Failed, text)
    if len(c2s.endTime) <= len("2025-04-07"):  # a date ends at the end of that day
        end += 86_400 - 1
    limit = c2s.maxAckKLNum if c2s.HasField("maxAckKLNum") and c2s.maxAckKLNum > 0 else HISTORY_MAX
    return _security_reply(
        session,
        frame,
        Qot_RequestHistoryKL_pb2.Response,
        c2s.security,
        sub_type=None,
        fill=lambda s2c, tape: s2c.klList.extend(tape.history(c2s.klType, begin, end, limit)),
    )


def get_sub_info(session: OpenDSession, frame: Frame) -> list[bytes]:
    """This connection's subscriptions by sub type and the quota they use (each security x sub
    type takes one); the simulator knows no other connection's, whatever isReqAllConn asks."""
    decode_proto(Qot_GetSubInfo_pb2.Request, frame.body)
    by_type: dict[int, list[Qot_Common_pb2.Security]] = {}
    for key, types in session.subscriptions.items():
        for sub_type in types:
            by_type.setdefault(sub_type, []).append(Qot_Common_pb2.Security(market=key[0], code=key[1]))
    used = len(session.subscribed_at)
    conn = Qot_Common_pb2.ConnSubInfo(
        subInfoList=[Qot_Common_pb2.SubInfo(subType=t, securityList=s) for t, s in sorted(by_type.items())],
        usedQuota=used,
        isOwnConnData=True,
    )
    s2c = Qot_GetSubInfo_pb2.S2C(
        connSubInfoList=[conn], totalUsedQuota=used, remainQuota=max(0, session.shared.sub_quota - used)
    )
    return session._reply(frame, Qot_GetSubInfo_pb2.Response(retType=RetType.Succeed, s2c=s2c))


# --- broker queues, snapshots, market states, static facts -----------------------------------

BROKER_LEVELS: Final = 10
"""Book levels per side whose brokers a broker queue lists [guess]."""
BROKERS_PER_LEVEL: Final = 4
"""The most brokers listed at one level (never more than the level's orders) [guess]."""
_BROKER_MARKETS: Final = frozenset({QotMarket.HK_Security, QotMarket.HK_Future})
"""Broker queues are a HK quote ([doc] https://openapi.futunn.com/futu-api-doc/en/quote/get-broker.html);
the simulator lists none for other markets."""


def broker_queue(session: OpenDSession, key: SecKey) -> tuple[list[Qot_Common_pb2.Broker], list[Qot_Common_pb2.Broker]]:
    """(asks, bids) brokers of `key` at the current book step: for each of the first
    BROKER_LEVELS levels of the simulated book (Qot_GetOrderBook's), up to BROKERS_PER_LEVEL
    brokers (no more than the level's orders), `pos` the level (1 = the best) [guess], each
    with an equal share (whole lots, the rest to the first) of the level's size. Broker ids
    and order ids come from the symbol, the side and the level's price: the same book gives
    the same queue. Empty outside HK."""
    if key[0] not in _BROKER_MARKETS:
        return [], []
    from venuewire.sim.opend import sec_symbol

    gen = session.shared.book(key)
    bids, asks = gen.snapshot(session.shared.step)
    seed = symbol_seed(sec_symbol(key))
    lot = int(gen.lot) or 1

    def side(levels: list[tuple[Decimal, Decimal, int]], mark: int) -> list[Qot_Common_pb2.Broker]:
        out: list[Qot_Common_pb2.Broker] = []
        for pos, (price, size, orders) in enumerate(levels[:BROKER_LEVELS], start=1):
            ticks = int(price / gen.tick)
            rng = random.Random(seed ^ (ticks << 2) ^ mark)
            count = max(1, min(BROKERS_PER_LEVEL, orders))
            lots = int(size) // lot
            share, rest = divmod(lots, count)
            for n in range(count):
                broker_id = rng.randrange(1000, 10_000)
                volume = (share + (rest if n == 0 else 0)) * lot
                out.append(
                    Qot_Common_pb2.Broker(
                        id=broker_id,
                        name=f"Broker {broker_id}",
                        pos=pos,
                        orderID=(seed % 1_000_000) * 1_000_000 + ticks * 10 + n,
                        volume=volume,
                    )
                )
        return out

    return side(asks, 1), side(bids, 2)


def _broker_fill(session: OpenDSession, s2c: Any, key: SecKey) -> None:
    asks, bids = broker_queue(session, key)
    s2c.brokerAskList.extend(asks)
    s2c.brokerBidList.extend(bids)


def get_broker(session: OpenDSession, frame: Frame) -> list[bytes]:
    c2s = decode_proto(Qot_GetBroker_pb2.Request, frame.body).c2s
    key = (c2s.security.market, c2s.security.code)
    return _security_reply(
        session,
        frame,
        Qot_GetBroker_pb2.Response,
        c2s.security,
        sub_type=SubType.Broker,
        fill=lambda s2c, _tape: _broker_fill(session, s2c, key),
    )


def snapshot(session: OpenDSession, tape: Tape) -> Qot_GetSecuritySnapshot_pb2.Snapshot:
    """The snapshot of a tape's security now: the BasicQot figures (the same numbers
    Qot_GetBasicQot sends), its lot size and type, the best bid and ask of the simulated book."""
    qot = tape.basic_qot()
    bids, asks = session.shared.book(tape.key).snapshot(session.shared.step)
    basic = Qot_GetSecuritySnapshot_pb2.SnapshotBasicData(
        security=qot.security,
        name=qot.name,
        type=SecurityType.Eqty,  # every simulated security is an equity [guess]
        isSuspend=qot.isSuspended,
        listTime=qot.listTime,
        lotSize=tape.lot,
        priceSpread=qot.priceSpread,
        updateTime=qot.updateTime,
        highPrice=qot.highPrice,
        openPrice=qot.openPrice,
        lowPrice=qot.lowPrice,
        lastClosePrice=qot.lastClosePrice,
        curPrice=qot.curPrice,
        volume=qot.volume,
        turnover=qot.turnover,
        turnoverRate=qot.turnoverRate,
        listTimestamp=qot.listTimestamp,
        updateTimestamp=qot.updateTimestamp,
        amplitude=qot.amplitude,
        avgPrice=float(round(tape.turnover / tape.volume, 4)) if tape.volume else qot.curPrice,
    )
    if asks:
        basic.askPrice, basic.askVol = float(asks[0][0]), int(asks[0][1])
    if bids:
        basic.bidPrice, basic.bidVol = float(bids[0][0]), int(bids[0][1])
    return Qot_GetSecuritySnapshot_pb2.Snapshot(basic=basic)


def get_security_snapshot(session: OpenDSession, frame: Frame) -> list[bytes]:
    """No subscription needed (as OpenD's snapshot)."""
    c2s = decode_proto(Qot_GetSecuritySnapshot_pb2.Request, frame.body).c2s
    s2c = Qot_GetSecuritySnapshot_pb2.S2C(snapshotList=[snapshot(session, _tape(session, s)) for s in c2s.securityList])
    return session._reply(frame, Qot_GetSecuritySnapshot_pb2.Response(retType=RetType.Succeed, s2c=s2c))


_S = QotMarketState
_HK_DAY: Final = ((540, _S.Auction), (570, _S.Morning), (720, _S.Rest), (780, _S.Afternoon), (960, _S.Closed))
_CN_DAY: Final = ((555, _S.Auction), (570, _S.Morning), (690, _S.Rest), (780, _S.Afternoon), (900, _S.Closed))
_US_DAY: Final = ((240, _S.PreMarketBegin), (570, _S.Afternoon), (960, _S.AfterHoursBegin), (1200, _S.AfterHoursEnd))
_SESSIONS: Final[dict[int, tuple[tuple[int, QotMarketState], ...]]] = {
    QotMarket.HK_Security: _HK_DAY,
    QotMarket.HK_Future: _HK_DAY,
    QotMarket.CNSH_Security: _CN_DAY,
    QotMarket.CNSZ_Security: _CN_DAY,
    QotMarket.US_Security: _US_DAY,
}
"""(minute of the local day it starts, state) of each market's trading day, in the market's
time zone; before the first: Closed; Saturday and Sunday: Closed (no holidays). [guess]: the
exchanges' usual hours, not OpenD's own table. Markets not listed: QotMarketState None."""


def market_state(market: int, seconds: float) -> int:
    """The QotMarketState of `market` at `seconds` (UTC) by the simulator's trading day."""
    sessions = _SESSIONS.get(market)
    if sessions is None:
        return QotMarketState.None_
    local = datetime.fromtimestamp(seconds, market_zone(market))
    if local.weekday() >= 5:
        return QotMarketState.Closed
    minute, state = local.hour * 60 + local.minute, QotMarketState.Closed
    for start, name in sessions:
        if minute >= start:
            state = name
    return state


def get_market_state(session: OpenDSession, frame: Frame) -> list[bytes]:
    c2s = decode_proto(Qot_GetMarketState_pb2.Request, frame.body).c2s
    now = session.shared.clock()
    s2c = Qot_GetMarketState_pb2.S2C()
    for security in c2s.securityList:
        tape = _tape(session, security)
        s2c.marketInfoList.add(security=tape.security(), name=tape.name, marketState=market_state(security.market, now))
    return session._reply(frame, Qot_GetMarketState_pb2.Response(retType=RetType.Succeed, s2c=s2c))


def static_info(tape: Tape) -> Qot_Common_pb2.SecurityStaticInfo:
    """A tape's static facts: its name and lot size (those of its book), type Eqty [guess],
    listed on the day its tape started (as its BasicQot says), id from its symbol's seed [guess]."""
    qot = tape.basic_qot()
    basic = Qot_Common_pb2.SecurityStaticBasic(
        security=qot.security,
        id=tape.seed % 2**53,
        lotSize=tape.lot,
        secType=SecurityType.Eqty,
        name=tape.name,
        listTime=qot.listTime,
        delisting=False,
        listTimestamp=qot.listTimestamp,
    )
    return Qot_Common_pb2.SecurityStaticInfo(basic=basic)


def get_static_info(session: OpenDSession, frame: Frame) -> list[bytes]:
    """The securities asked for; without a list, the catalog's securities of `market` (any
    secType but Eqty gives none: the simulator's securities are all equities)."""
    c2s = decode_proto(Qot_GetStaticInfo_pb2.Request, frame.body).c2s
    securities = list(c2s.securityList)
    if not securities:
        from venuewire.sim.opend import CATALOG

        if c2s.secType in (SecurityType.Unknown, SecurityType.Eqty):
            securities = [Qot_Common_pb2.Security(market=m, code=c) for m, c in CATALOG if m == c2s.market]
    s2c = Qot_GetStaticInfo_pb2.S2C(staticInfoList=[static_info(_tape(session, s)) for s in securities])
    return session._reply(frame, Qot_GetStaticInfo_pb2.Response(retType=RetType.Succeed, s2c=s2c))


HANDLERS: Final[dict[int, Callable[[OpenDSession, Frame], list[bytes]]]] = {
    OpenDProtoID.Qot_GetBasicQot: get_basic_qot,
    OpenDProtoID.Qot_GetTicker: get_ticker,
    OpenDProtoID.Qot_GetKL: get_kl,
    OpenDProtoID.Qot_GetRT: get_rt,
    OpenDProtoID.Qot_RequestHistoryKL: request_history_kl,
    OpenDProtoID.Qot_GetSubInfo: get_sub_info,
    OpenDProtoID.Qot_GetBroker: get_broker,
    OpenDProtoID.Qot_GetSecuritySnapshot: get_security_snapshot,
    OpenDProtoID.Qot_GetMarketState: get_market_state,
    OpenDProtoID.Qot_GetStaticInfo: get_static_info,
}
"""The quote requests answered from the tapes (protoID -> handler)."""


def quote_push(tape: Tape, sub_type: int) -> tuple[int, Message]:
    """(protoID, Response) of the push `sub_type` brings, from the tape as it is now."""
    ok = RetType.Succeed
    security = tape.security()
    if sub_type == SubType.Basic:
        return OpenDProtoID.Qot_UpdateBasicQot, Qot_UpdateBasicQot_pb2.Response(
            retType=ok, s2c=Qot_UpdateBasicQot_pb2.S2C(basicQotList=[tape.basic_qot()])
        )
    if sub_type == SubType.Ticker:
        s2c_t = Qot_UpdateTicker_pb2.S2C(security=security, name=tape.name, tickerList=tape.tickers(1))
        return OpenDProtoID.Qot_UpdateTicker, Qot_UpdateTicker_pb2.Response(retType=ok, s2c=s2c_t)
    if sub_type == SubType.RT:
        s2c_r = Qot_UpdateRT_pb2.S2C(security=security, name=tape.name, rtList=tape.time_shares()[-1:])
        return OpenDProtoID.Qot_UpdateRT, Qot_UpdateRT_pb2.Response(retType=ok, s2c=s2c_r)
    kl_type = KL_SUB_TYPES[sub_type]
    s2c_k = Qot_UpdateKL_pb2.S2C(
        rehabType=RehabType.Forward, klType=kl_type, security=security, name=tape.name, klList=tape.klines(kl_type, 1)
    )
    return OpenDProtoID.Qot_UpdateKL, Qot_UpdateKL_pb2.Response(retType=ok, s2c=s2c_k)


def quote_pushes(session: OpenDSession, key: SecKey, sub_types: list[int]) -> list[bytes]:
    """The pushes of `key`'s push-registered quote sub types, from its tape now."""
    out: list[bytes] = []
    tape = session.shared.market.tape(key, session.shared.clock())
    for sub_type in sub_types:
        if sub_type == SubType.Broker:
            s2c = Qot_UpdateBroker_pb2.S2C(security=tape.security(), name=tape.name)
            _broker_fill(session, s2c, key)
            out += session.push(OpenDProtoID.Qot_UpdateBroker, Qot_UpdateBroker_pb2.Response(retType=0, s2c=s2c))
        elif sub_type in QUOTE_SUB_TYPES:
            out += session.push(*quote_push(tape, sub_type))
    return out
