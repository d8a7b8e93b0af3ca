"""The OpenD simulator's trading side: accounts, unlock, orders, fills and their pushes.

No I/O: `TradeState` (one per simulator, in `SimState.trade`) holds the accounts and the
unlock state; the handlers in `TRADE_HANDLERS` answer the Trd_* requests of one
`OpenDSession`, and `trade_pushes(session)` gives the pushes due to it (called by the
session's `pushes()` every tick).

- Accounts (`default_accounts()`): a simulated HK and a simulated US account and one real
  account trading HK and US, each with cash and no position. Trd_GetAccList lists them all.
- Trd_UnlockTrade: the MD5 of the simulator's `password` unlocks (for every connection, as
  OpenD's unlock is per OpenD); `unlock` false locks again. Placing or changing an order of
  a real account needs the unlock; the simulated environment does not (as in OpenD: futu-api's
  open_trade_context.py "only the real environment needs unlocking").
- Trd_SubAccPush: the connection's set of accounts whose Trd_UpdateOrder / Trd_UpdateOrderFill
  pushes it gets (each request replaces the set).
- Trd_PlaceOrder / Trd_ModifyOrder: checked before anything changes: the packetID (connID,
  serialNo) is not a replay of one already received [guess]; the header's account exists, is of the
  header's trdEnv and may trade its trdMarket. A placed order is Submitted and pushed; an
  order that crosses the simulated market (a buy at or above the best ask, a sell at or
  below the best bid, a market order at once) fills at that price, at once or on a later
  tick as the book moves, at most the size of that best level per book step: each fill is a
  Trd_UpdateOrderFill push, then the order's Trd_UpdateOrder (Filled_Part while some is left,
  then Filled_All); an order larger than the level fills in parts over the following steps.
  Modify changes qty/price of an open order; cancel makes it Cancelled_All
  (Cancelled_Part once partly filled); both push the order.
- Funds, positions, orders and fills are the account's own, from these orders.
- Refusals are retType -1 (RetType.Failed) with a retMsg of ours: OpenD's own texts are not
  documented [guess]. A request that does not decode or misses required fields is -500 as
  for every message.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from google.protobuf.message import Message

from venuewire.generated.futu import (
    Common_pb2,
    Trd_Common_pb2,
    Trd_GetAccList_pb2,
    Trd_GetFunds_pb2,
    Trd_GetOrderFillList_pb2,
    Trd_GetOrderList_pb2,
    Trd_GetPositionList_pb2,
    Trd_ModifyOrder_pb2,
    Trd_PlaceOrder_pb2,
    Trd_SubAccPush_pb2,
    Trd_UnlockTrade_pb2,
    Trd_UpdateOrder_pb2,
    Trd_UpdateOrderFill_pb2,
)
from venuewire.generated.futu.enums import (
    Currency,
    ModifyOrderOp,
    OrderFillStatus,
    OrderStatus,
    OrderType,
    PositionSide,
    QotMarket,
    RetType,
    SecurityFirm,
    SimAccType,
    TrdAccType,
    TrdEnv,
    TrdMarket,
    TrdSecMarket,
    TrdSide,
)
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import decode_proto
from venuewire.opend.frame import Frame
from venuewire.opend.trade import SEC_MARKET_QUOTE

if TYPE_CHECKING:
    from venuewire.sim.opend import OpenDSession

__all__ = [
    "DEFAULT_PASSWORD",
    "REAL_ACCOUNT",
    "SIM_HK_ACCOUNT",
    "SIM_US_ACCOUNT",
    "TRADE_HANDLERS",
    "SimAccount",
    "SimOrder",
    "TradeState",
    "default_accounts",
    "trade_pushes",
]

DEFAULT_PASSWORD: Final = "123456"
"""The simulator's trade password unless given (ours)."""
SIM_HK_ACCOUNT: Final = 9_007_199_254_740_993  # above 2**53: ids must stay exact
SIM_US_ACCOUNT: Final = 9_007_199_254_740_994
REAL_ACCOUNT: Final = 18_000_000_000_000_000_001
_FIRST_ORDER_ID: Final = 7_000_000_000_000_000_001
_FIRST_FILL_ID: Final = 8_000_000_000_000_000_001
_OPEN: Final = frozenset({OrderStatus.Submitted, OrderStatus.Filled_Part})

_TRD_TO_SEC: Final[dict[int, int]] = {TrdMarket.HK: TrdSecMarket.HK, TrdMarket.US: TrdSecMarket.US}


@dataclass
class SimOrder:
    order_id: int
    side: int
    order_type: int
    code: str
    sec_market: int
    trd_market: int
    qty: Decimal
    price: Decimal | None
    created: float
    updated: float
    status: int = OrderStatus.Submitted
    filled: Decimal = Decimal(0)
    fill_value: Decimal = Decimal(0)
    remark: str = ""


@dataclass
class SimFill:
    fill_id: int
    order: SimOrder
    qty: Decimal
    price: Decimal
    created: float


@dataclass
class SimPosition:
    code: str
    sec_market: int
    trd_market: int
    qty: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    realized: Decimal = Decimal(0)


@dataclass
class SimAccount:
    acc_id: int
    env: int
    markets: tuple[int, ...]
    cash: Decimal
    currency: int
    acc_type: int = TrdAccType.Margin
    security_firm: int | None = None
    sim_acc_type: int | None = None
    card_num: str = ""
    orders: dict[int, SimOrder] = field(default_factory=dict)
    fills: list[SimFill] = field(default_factory=list)
    positions: dict[tuple[int, str], SimPosition] = field(default_factory=dict)


def default_accounts() -> dict[int, SimAccount]:
    """The simulator's accounts: simulated HK, simulated US, one real HK + US account."""
    accounts = [
        SimAccount(
            SIM_HK_ACCOUNT,
            TrdEnv.Simulate,
            (TrdMarket.HK,),
            Decimal(1_000_000),
            Currency.HKD,
            sim_acc_type=SimAccType.Stock,
        ),
        SimAccount(
            SIM_US_ACCOUNT,
            TrdEnv.Simulate,
            (TrdMarket.US,),
            Decimal(1_000_000),
            Currency.USD,
            sim_acc_type=SimAccType.Stock,
        ),
        SimAccount(
            REAL_ACCOUNT,
            TrdEnv.Real,
            (TrdMarket.HK, TrdMarket.US),
            Decimal(100_000),
            Currency.HKD,
            security_firm=SecurityFirm.FutuSecurities,
            card_num="1001100220033004",
        ),
    ]
    return {a.acc_id: a for a in accounts}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(eq=False)
class TradeState:
    """The trading state every connection of one simulator shares."""

    password: str = DEFAULT_PASSWORD
    accounts: dict[int, SimAccount] = field(default_factory=default_accounts)
    unlocked: bool = False
    subscriptions: dict[OpenDSession, frozenset[int]] = field(default_factory=dict)
    outbox: dict[OpenDSession, list[tuple[int, Message]]] = field(default_factory=dict)
    packet_ids: set[tuple[int, int]] = field(default_factory=set)
    unlock_requests: list[str] = field(default_factory=list)
    """The pwdMD5 of every Trd_UnlockTrade received (tests check what went on the wire)."""
    placed_packet_ids: list[tuple[int, int]] = field(default_factory=list)
    """(connID, serialNo) of every Trd_PlaceOrder / Trd_ModifyOrder received, oldest first."""
    last_step: int = -1
    _order_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(_FIRST_ORDER_ID))
    _fill_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(_FIRST_FILL_ID))

    def __repr__(self) -> str:  # never the password
        return f"TradeState(accounts={sorted(self.accounts)}, unlocked={self.unlocked})"

    # -- pushes --------------------------------------------------------------------------
    def _notify(self, account: SimAccount, proto_id: int, message: Message) -> None:
        for session, ids in list(self.subscriptions.items()):
            if session.closed:
                self.subscriptions.pop(session, None)
                self.outbox.pop(session, None)
            elif account.acc_id in ids:
                self.outbox.setdefault(session, []).append((proto_id, message))

    def push_order(self, account: SimAccount, order: SimOrder, clock: float) -> None:
        s2c = Trd_UpdateOrder_pb2.S2C(header=_header(account, order.trd_market), order=_wire_order(order))
        self._notify(account, OpenDProtoID.Trd_UpdateOrder, Trd_UpdateOrder_pb2.Response(retType=0, s2c=s2c))

    def push_fill(self, account: SimAccount, fill: SimFill) -> None:
        s2c = Trd_UpdateOrderFill_pb2.S2C(header=_header(account, fill.order.trd_market), orderFill=_wire_fill(fill))
        self._notify(account, OpenDProtoID.Trd_UpdateOrderFill, Trd_UpdateOrderFill_pb2.Response(retType=0, s2c=s2c))

    # -- the market ------------------------------------------------------------------------
    def match(self, session: OpenDSession, account: SimAccount, order: SimOrder) -> None:
        """Fill `order` if it crosses the simulated market now: at the best opposite level's
        price, at most that level's size (the rest stays open, Filled_Part, for later steps)."""
        if order.status not in _OPEN:
            return
        key = (SEC_MARKET_QUOTE.get(order.sec_market, QotMarket.HK_Security), order.code)
        bids, asks = session.shared.book(key).snapshot(session.shared.step)
        market = order.order_type == OrderType.Market
        buy = order.side in (TrdSide.Buy, TrdSide.BuyBack)
        if buy:
            if not asks or not (market or (order.price is not None and order.price >= asks[0][0])):
                return
            price, size = asks[0][0], asks[0][1]
        else:
            if not bids or not (market or (order.price is not None and order.price <= bids[0][0])):
                return
            price, size = bids[0][0], bids[0][1]
        clock = session.shared.clock()
        qty = min(order.qty - order.filled, size)  # at most what the crossed level holds
        fill = SimFill(next(self._fill_ids), order, qty, price, clock)
        account.fills.append(fill)
        order.filled += qty
        order.fill_value += qty * price
        order.status = OrderStatus.Filled_All if order.filled >= order.qty else OrderStatus.Filled_Part
        order.updated = clock
        position = account.positions.setdefault(
            (order.sec_market, order.code), SimPosition(order.code, order.sec_market, order.trd_market)
        )
        if buy:
            account.cash -= qty * price
            position.cost += qty * price
            position.qty += qty
        else:
            account.cash += qty * price
            if position.qty > 0:
                average = position.cost / position.qty
                position.realized += (price - average) * min(qty, position.qty)
                position.cost -= average * min(qty, position.qty)
            position.qty -= qty
        self.push_fill(account, fill)
        self.push_order(account, order, clock)

    def advance(self, session: OpenDSession) -> None:
        """Once per book step: fill the open orders the market now crosses."""
        if session.shared.step == self.last_step:
            return
        self.last_step = session.shared.step
        for account in self.accounts.values():
            for order in list(account.orders.values()):
                self.match(session, account, order)


# ---------------------------------------------------------------- wire forms


def _header(account: SimAccount, trd_market: int) -> Trd_Common_pb2.TrdHeader:
    return Trd_Common_pb2.TrdHeader(trdEnv=account.env, accID=account.acc_id, trdMarket=trd_market)


def _time_text(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _name(sec_market: int, code: str) -> str:
    from venuewire.sim.opend import security_name  # the catalog lives with the books

    return security_name((SEC_MARKET_QUOTE.get(sec_market, QotMarket.HK_Security), code))


def _wire_order(order: SimOrder) -> Trd_Common_pb2.Order:
    wire = Trd_Common_pb2.Order(
        trdSide=order.side,
        orderType=order.order_type,
        orderStatus=order.status,
        orderID=order.order_id,
        orderIDEx=f"SIM{order.order_id}",
        code=order.code,
        name=_name(order.sec_market, order.code),
        qty=float(order.qty),
        createTime=_time_text(order.created),
        updateTime=_time_text(order.updated),
        fillQty=float(order.filled),
        fillAvgPrice=float(order.fill_value / order.filled) if order.filled else 0.0,
        secMarket=order.sec_market,
        createTimestamp=order.created,
        updateTimestamp=order.updated,
        remark=order.remark,
        trdMarket=order.trd_market,
        lastErrMsg="",
    )
    if order.price is not None:
        wire.price = float(order.price)
    return wire


def _wire_fill(fill: SimFill) -> Trd_Common_pb2.OrderFill:
    order = fill.order
    return Trd_Common_pb2.OrderFill(
        trdSide=order.side,
        fillID=fill.fill_id,
        fillIDEx=f"SIMF{fill.fill_id}",
        orderID=order.order_id,
        orderIDEx=f"SIM{order.order_id}",
        code=order.code,
        name=_name(order.sec_market, order.code),
        qty=float(fill.qty),
        price=float(fill.price),
        createTime=_time_text(fill.created),
        secMarket=order.sec_market,
        createTimestamp=fill.created,
        updateTimestamp=fill.created,
        status=OrderFillStatus.OK,
        trdMarket=order.trd_market,
    )


# ---------------------------------------------------------------- handlers


class _Refused(Exception):
    """A request OpenD refuses: retType -1 with this text."""


def _trade(session: OpenDSession) -> TradeState:
    return session.shared.trade


def _account(state: TradeState, header: Trd_Common_pb2.TrdHeader) -> SimAccount:
    account = state.accounts.get(header.accID)
    if account is None:
        raise _Refused(f"unknown account {header.accID}")
    if header.trdEnv != account.env:
        raise _Refused(f"account {header.accID} is not in the trdEnv {header.trdEnv} environment")
    if header.trdMarket not in account.markets:
        raise _Refused(f"account {header.accID} has no authority for trdMarket {header.trdMarket}")
    return account


def _writable(session: OpenDSession, state: TradeState, packet: Common_pb2.PacketID, account: SimAccount) -> None:
    conn_id, serial = packet.connID, packet.serialNo
    if (conn_id, serial) in state.packet_ids:
        raise _Refused(f"packetID serialNo {serial} was already used (replay)")
    state.packet_ids.add((conn_id, serial))
    state.placed_packet_ids.append((conn_id, serial))
    if account.env == TrdEnv.Real and not state.unlocked:
        raise _Refused("trading is locked: unlock it first (Trd_UnlockTrade)")


Reply = Callable[["OpenDSession", Frame], Message]


def _handler(answer: Reply) -> Callable[[OpenDSession, Frame], list[bytes]]:
    def handle(session: OpenDSession, frame: Frame) -> list[bytes]:
        try:
            response = answer(session, frame)
        except _Refused as exc:
            return session._error(frame, RetType.Failed, str(exc))
        return session._reply(frame, response) + trade_pushes(session, advance=False)

    return handle


def _acc_list(session: OpenDSession, frame: Frame) -> Message:
    decode_proto(Trd_GetAccList_pb2.Request, frame.body)
    s2c = Trd_GetAccList_pb2.S2C()
    for a in _trade(session).accounts.values():
        acc = s2c.accList.add(trdEnv=a.env, accID=a.acc_id, accType=a.acc_type, cardNum=a.card_num, accStatus=0)
        acc.trdMarketAuthList.extend(a.markets)
        if a.security_firm is not None:
            acc.securityFirm = a.security_firm
        if a.sim_acc_type is not None:
            acc.simAccType = a.sim_acc_type
    return Trd_GetAccList_pb2.Response(retType=RetType.Succeed, s2c=s2c)


def _unlock(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_UnlockTrade_pb2.Request, frame.body).c2s
    state = _trade(session)
    state.unlock_requests.append(c2s.pwdMD5)
    if c2s.unlock:
        if c2s.pwdMD5 != _md5(state.password):
            raise _Refused("unlock failed: the trade password is wrong")
        state.unlocked = True
    else:
        state.unlocked = False
    return Trd_UnlockTrade_pb2.Response(retType=RetType.Succeed, s2c=Trd_UnlockTrade_pb2.S2C())


def _sub_acc_push(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_SubAccPush_pb2.Request, frame.body).c2s
    state = _trade(session)
    unknown = [i for i in c2s.accIDList if i not in state.accounts]
    if unknown:
        raise _Refused(f"unknown account {unknown[0]}")
    state.subscriptions[session] = frozenset(c2s.accIDList)
    return Trd_SubAccPush_pb2.Response(retType=RetType.Succeed, s2c=Trd_SubAccPush_pb2.S2C())


def _funds(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_GetFunds_pb2.Request, frame.body).c2s
    account = _account(_trade(session), c2s.header)
    frozen = sum(
        (
            (o.qty - o.filled) * o.price
            for o in account.orders.values()
            if o.status in _OPEN and o.price is not None and o.side in (TrdSide.Buy, TrdSide.BuyBack)
        ),
        Decimal(0),
    )
    value = sum((_mark(session, p) * p.qty for p in account.positions.values()), Decimal(0))
    unrealized = sum((_mark(session, p) * p.qty - p.cost for p in account.positions.values()), Decimal(0))
    realized = sum((p.realized for p in account.positions.values()), Decimal(0))
    funds = Trd_Common_pb2.Funds(
        power=float(account.cash - frozen),
        totalAssets=float(account.cash + value),
        cash=float(account.cash),
        marketVal=float(value),
        frozenCash=float(frozen),
        debtCash=0.0,
        avlWithdrawalCash=float(account.cash - frozen),
        currency=account.currency,
        unrealizedPL=float(unrealized),
        realizedPL=float(realized),
    )
    s2c = Trd_GetFunds_pb2.S2C(header=c2s.header, funds=funds)
    return Trd_GetFunds_pb2.Response(retType=RetType.Succeed, s2c=s2c)


def _mark(session: OpenDSession, position: SimPosition) -> Decimal:
    key = (SEC_MARKET_QUOTE.get(position.sec_market, QotMarket.HK_Security), position.code)
    return session.shared.book(key).mid_at(session.shared.step)


def _positions(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_GetPositionList_pb2.Request, frame.body).c2s
    account = _account(_trade(session), c2s.header)
    s2c = Trd_GetPositionList_pb2.S2C(header=c2s.header)
    for n, p in enumerate(account.positions.values(), start=1):
        if p.qty == 0:
            continue
        mark = _mark(session, p)
        s2c.positionList.add(
            positionID=account.acc_id % 1_000_000 * 1000 + n,
            positionSide=PositionSide.Long if p.qty > 0 else PositionSide.Short,
            code=p.code,
            name=_name(p.sec_market, p.code),
            qty=float(abs(p.qty)),
            canSellQty=float(max(p.qty, Decimal(0))),
            price=float(mark),
            costPrice=float(p.cost / p.qty),
            val=float(mark * p.qty),
            plVal=float(mark * p.qty - p.cost),
            secMarket=p.sec_market,
            unrealizedPL=float(mark * p.qty - p.cost),
            realizedPL=float(p.realized),
            currency=account.currency,
            trdMarket=p.trd_market,
        )
    return Trd_GetPositionList_pb2.Response(retType=RetType.Succeed, s2c=s2c)


def _orders(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_GetOrderList_pb2.Request, frame.body).c2s
    account = _account(_trade(session), c2s.header)
    wanted = set(c2s.filterStatusList)
    s2c = Trd_GetOrderList_pb2.S2C(header=c2s.header)
    for order in account.orders.values():
        if (not wanted or order.status in wanted) and _kept(c2s.filterConditions, order):
            s2c.orderList.append(_wire_order(order))
    return Trd_GetOrderList_pb2.Response(retType=RetType.Succeed, s2c=s2c)


def _kept(conditions: Trd_Common_pb2.TrdFilterConditions, order: SimOrder, fill_id: int | None = None) -> bool:
    """Whether an order (or a fill of it) passes the filter: codes, ids (the fill's, else the
    order's), orderIDEx values; an empty list filters nothing."""
    if conditions.codeList and order.code not in {c.rsplit(".", 1)[-1] for c in conditions.codeList}:
        return False
    if conditions.idList and (fill_id if fill_id is not None else order.order_id) not in conditions.idList:
        return False
    return not conditions.orderIDExList or f"SIM{order.order_id}" in conditions.orderIDExList


def _fills(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_GetOrderFillList_pb2.Request, frame.body).c2s
    account = _account(_trade(session), c2s.header)
    s2c = Trd_GetOrderFillList_pb2.S2C(header=c2s.header)
    s2c.orderFillList.extend(_wire_fill(f) for f in account.fills if _kept(c2s.filterConditions, f.order, f.fill_id))
    return Trd_GetOrderFillList_pb2.Response(retType=RetType.Succeed, s2c=s2c)


def _decimal(value: float, name: str) -> Decimal:
    number = Decimal(repr(value))
    if not number.is_finite() or number <= 0:
        raise _Refused(f"{name} must be above 0")
    return number


def _place(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_PlaceOrder_pb2.Request, frame.body).c2s
    state = _trade(session)
    account = _account(state, c2s.header)
    _writable(session, state, c2s.packetID, account)
    if c2s.trdSide not in (TrdSide.Buy, TrdSide.Sell, TrdSide.SellShort, TrdSide.BuyBack):
        raise _Refused(f"trdSide {c2s.trdSide} is not supported")
    if c2s.orderType not in (OrderType.Normal, OrderType.Market):
        raise _Refused(f"orderType {c2s.orderType} is not supported by the simulator")
    qty = _decimal(c2s.qty, "qty")
    price = _decimal(c2s.price, "price") if c2s.HasField("price") else None
    if price is None and c2s.orderType == OrderType.Normal:
        raise _Refused("a limit order needs a price")
    sec_market = c2s.secMarket if c2s.HasField("secMarket") else _TRD_TO_SEC.get(c2s.header.trdMarket, 0)
    now = session.shared.clock()
    order = SimOrder(
        order_id=next(state._order_ids),
        side=c2s.trdSide,
        order_type=c2s.orderType,
        code=c2s.code,
        sec_market=sec_market,
        trd_market=c2s.header.trdMarket,
        qty=qty,
        price=price,
        created=now,
        updated=now,
        remark=c2s.remark,
    )
    account.orders[order.order_id] = order
    state.push_order(account, order, now)
    state.match(session, account, order)
    s2c = Trd_PlaceOrder_pb2.S2C(header=c2s.header, orderID=order.order_id, orderIDEx=f"SIM{order.order_id}")
    return Trd_PlaceOrder_pb2.Response(retType=RetType.Succeed, s2c=s2c)


def _modify(session: OpenDSession, frame: Frame) -> Message:
    c2s = decode_proto(Trd_ModifyOrder_pb2.Request, frame.body).c2s
    state = _trade(session)
    account = _account(state, c2s.header)
    _writable(session, state, c2s.packetID, account)
    if c2s.orderIDEx:  # what futu-api names the order by (its orderID is 0)
        order = next((o for o in account.orders.values() if f"SIM{o.order_id}" == c2s.orderIDEx), None)
    else:
        order = account.orders.get(c2s.orderID)
    if order is None:
        raise _Refused(f"unknown order {c2s.orderIDEx or c2s.orderID}")
    if order.status not in _OPEN:
        raise _Refused(f"order {c2s.orderID} is finished (orderStatus {order.status})")
    now = session.shared.clock()
    if c2s.modifyOrderOp == ModifyOrderOp.Cancel:
        order.status = OrderStatus.Cancelled_Part if order.filled else OrderStatus.Cancelled_All
    elif c2s.modifyOrderOp == ModifyOrderOp.Normal:
        if c2s.HasField("qty"):
            qty = _decimal(c2s.qty, "qty")
            if qty < order.filled:
                raise _Refused("qty is below the quantity already filled")
            order.qty = qty
        if c2s.HasField("price"):
            order.price = _decimal(c2s.price, "price")
    else:
        raise _Refused(f"modifyOrderOp {c2s.modifyOrderOp} is not supported by the simulator")
    order.updated = now
    state.push_order(account, order, now)
    state.match(session, account, order)
    s2c = Trd_ModifyOrder_pb2.S2C(header=c2s.header, orderID=order.order_id, orderIDEx=f"SIM{order.order_id}")
    return Trd_ModifyOrder_pb2.Response(retType=RetType.Succeed, s2c=s2c)


def trade_pushes(session: OpenDSession, *, advance: bool = True) -> list[bytes]:
    """The trade pushes due to `session` (its subscribed accounts' order and fill events);
    with `advance`, first fill what the market crosses at the current step (once per step)."""
    state = _trade(session)
    if advance:
        state.advance(session)
    queued = state.outbox.pop(session, None)
    if not queued:
        return []
    out: list[bytes] = []
    for proto_id, message in queued:
        out += session.push(proto_id, message)
    return out


TRADE_HANDLERS: Final[dict[int, Callable[[OpenDSession, Frame], list[bytes]]]] = {
    OpenDProtoID.Trd_GetAccList: _handler(_acc_list),
    OpenDProtoID.Trd_UnlockTrade: _handler(_unlock),
    OpenDProtoID.Trd_SubAccPush: _handler(_sub_acc_push),
    OpenDProtoID.Trd_GetFunds: _handler(_funds),
    OpenDProtoID.Trd_GetPositionList: _handler(_positions),
    OpenDProtoID.Trd_GetOrderList: _handler(_orders),
    OpenDProtoID.Trd_PlaceOrder: _handler(_place),
    OpenDProtoID.Trd_ModifyOrder: _handler(_modify),
    OpenDProtoID.Trd_GetOrderFillList: _handler(_fills),
}
