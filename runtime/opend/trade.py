"""Trading through OpenD: accounts, unlock, funds, positions, orders, fills and their pushes.

    async with OpenDClient(port=11111) as client:
        trade = OpenDTrade(client)                       # the SIMULATED environment
        account = (await trade.accounts())[0]
        order_id = await trade.place(account, "HK.00700", "buy", Decimal("100"), Decimal("400"))
        async for item in await trade.order_updates([account]):  # Order | Gap | DecodeFailure
            ...

    live = OpenDTrade(client, env="real")                # a real account: only when named
    await live.unlock(Secret(password))                  # sends the MD5, keeps no plain text

Behaviour a caller can rely on:
- The environment is chosen once per `OpenDTrade`: "simulate" (the default) or "real", by
  name (a `TradeEnv` literal; anything else is a ValueError). Every method refuses, before
  sending, an account of the other environment (`InvalidRequest`) or one the account list
  does not hold; pushes of other environments' accounts never reach its streams.
- Trd_PlaceOrder and Trd_ModifyOrder carry the packetID futu-api sends: the connection's
  InitConnect connID and a serial of this process (1, 2, ...), never repeated on a connection.
- `unlock(password)` sends the MD5 (32 lowercase hex digits of the UTF-8 password) as
  Trd_UnlockTrade wants it. Neither the password nor its MD5 appears in a repr, a log, an
  error's text or its __context__ / __cause__ chain; the MD5 is kept (as a `Secret`) to unlock
  again after a reconnect, as futu-api does.
- `order_updates` / `fill_updates` are typed streams of normalized `Order` / `Fill` (`raw`:
  the push's typed S2C part) with a `Gap` after each outage and a `DecodeFailure` for a push
  that does not decode. Opening one sends Trd_SubAccPush for every account any stream of
  this object follows (the request replaces the set); after every reconnect it is sent
  again (and the unlock redone) before the streams resume.
- Ids: an order's id is OpenD's orderIDEx (what futu-api calls order_id; [run]
  futu/trade/trade_query.py), a fill's its fillID; `raw` keeps every id OpenD sent.
- Numbers: OpenD sends doubles; every Decimal is built from the double's shortest repr
  (`Decimal(repr(x))`: 0.1 stays 0.1). Quantities and prices sent are Decimals (or int/str)
  converted to the nearest double; a non-finite or non-positive quantity is a ValueError.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import weakref
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Final, Generic, Literal, TypeVar, cast

import msgspec

from venuewire.credentials import Secret
from venuewire.errors import DecodeError, InvalidRequest, VenueError
from venuewire.events import DecodeFailure, Gap, StreamEvent
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
    TrdEnv,
    TrdMarket,
    TrdSecMarket,
    TrdSide,
)
from venuewire.models import Balance, Fill, Order, Position
from venuewire.opend.book import VENUE
from venuewire.opend.client import OpenDClient
from venuewire.opend.streams import RAW_KEPT, PushStream
from venuewire.opend.symbols import format_symbol, parse_symbol

__all__ = [
    "SEC_MARKET_QUOTE",
    "FillStream",
    "OpenDTrade",
    "OrderStream",
    "TradeAccount",
    "TradeEnv",
    "balance_from_funds",
    "fill_from_wire",
    "order_from_wire",
    "position_from_wire",
    "to_decimal",
]

log = logging.getLogger("venuewire.opend.trade")

TradeEnv = Literal["simulate", "real"]
"""The trading environment, by name: "simulate" (paper trading, the default) or "real"."""
_ENVS: Final[dict[str, TrdEnv]] = {"simulate": TrdEnv.Simulate, "real": TrdEnv.Real}
_ENV_NAMES: Final[dict[int, TradeEnv]] = {TrdEnv.Simulate: "simulate", TrdEnv.Real: "real"}
_MAX_SERIAL: Final = 2**32 - 1  # PacketID.serialNo is a uint32

SEC_MARKET_QUOTE: Final[dict[int, int]] = {
    TrdSecMarket.HK: QotMarket.HK_Security,
    TrdSecMarket.US: QotMarket.US_Security,
    TrdSecMarket.CN_SH: QotMarket.CNSH_Security,
    TrdSecMarket.CN_SZ: QotMarket.CNSZ_Security,
    TrdSecMarket.SG: QotMarket.SG_Security,
    TrdSecMarket.JP: QotMarket.JP_Security,
    TrdSecMarket.AU: QotMarket.AU_Security,
    TrdSecMarket.MY: QotMarket.MY_Security,
    TrdSecMarket.CA: QotMarket.CA_Security,
    TrdSecMarket.FX: QotMarket.FX_Security,
    TrdSecMarket.CC: QotMarket.CC_Security,
    TrdSecMarket.EC: QotMarket.EventContract,
}
"""TrdSecMarket (a security's exchange market in orders, fills, positions) -> the QotMarket its
symbol prefix names ([run] futu-api futu/common/constant.py maps the same pairs)."""
_QOT_TO_SEC: Final[dict[int, int]] = {qot: sec for sec, qot in SEC_MARKET_QUOTE.items()} | {
    QotMarket.HK_Future: TrdSecMarket.HK
}
# The trading market a symbol's quote market trades in, when the account holds it.
_QOT_TO_TRD: Final[dict[int, int]] = {
    QotMarket.HK_Security: TrdMarket.HK,
    QotMarket.US_Security: TrdMarket.US,
    QotMarket.CNSH_Security: TrdMarket.CN,
    QotMarket.CNSZ_Security: TrdMarket.CN,
    QotMarket.SG_Security: TrdMarket.SG,
    QotMarket.JP_Security: TrdMarket.JP,
    QotMarket.AU_Security: TrdMarket.AU,
    QotMarket.MY_Security: TrdMarket.MY,
    QotMarket.CA_Security: TrdMarket.CA,
}
_TRD_TO_QOT: Final[dict[int, int]] = {
    TrdMarket.HK: QotMarket.HK_Security,
    TrdMarket.US: QotMarket.US_Security,
    TrdMarket.SG: QotMarket.SG_Security,
    TrdMarket.JP: QotMarket.JP_Security,
    TrdMarket.AU: QotMarket.AU_Security,
    TrdMarket.MY: QotMarket.MY_Security,
    TrdMarket.CA: QotMarket.CA_Security,
}
_SIDES: Final[dict[str, TrdSide]] = {"buy": TrdSide.Buy, "sell": TrdSide.Sell}
_SERIALS = itertools.count()


def _next_serial() -> int:
    """1, 2, ... up to 2**32 - 1, then 1 again (PacketID.serialNo is a uint32)."""
    return next(_SERIALS) % _MAX_SERIAL + 1


class TradeAccount(msgspec.Struct, frozen=True):
    """One trading account as Trd_GetAccList lists it. `markets`: the TrdMarket values it
    may trade; `raw`: the typed `Trd_Common_pb2.TrdAcc`."""

    acc_id: int
    env: TradeEnv
    markets: tuple[int, ...]
    acc_type: int | None = None
    security_firm: int | None = None
    raw: object | None = None

    @property
    def id(self) -> str:
        return str(self.acc_id)


# ---------------------------------------------------------------- normalizers (pure)


def to_decimal(value: float) -> Decimal:
    """The exact Decimal of a double's shortest repr (0.1 -> Decimal("0.1")); DecodeError-free:
    a NaN or infinity is refused by the caller's check."""
    return Decimal(repr(float(value)))


def _checked(value: float, message: str, field: str) -> Decimal:
    if not math.isfinite(value):
        raise DecodeError(VENUE, message, (field,), f"{field} is {value!r}")
    return to_decimal(value)


def _optional(msg: Any, field: str, message: str) -> Decimal | None:
    return _checked(getattr(msg, field), message, field) if msg.HasField(field) else None


def _symbol_of(msg: Trd_Common_pb2.Order | Trd_Common_pb2.OrderFill | Trd_Common_pb2.Position) -> str:
    """ "HK.00700" from an order's, fill's or position's code and secMarket (else trdMarket);
    the bare code when neither names a known market."""
    qot = SEC_MARKET_QUOTE.get(msg.secMarket) or _TRD_TO_QOT.get(msg.trdMarket)
    if qot is None:
        return msg.code
    try:
        return format_symbol(qot, msg.code)
    except (KeyError, ValueError):
        return msg.code


def _enum_name(enum: Any, value: int) -> str:
    try:
        return str(enum(value).name)
    except ValueError:
        return str(value)


def _side(value: int) -> str:
    return "sell" if value in (TrdSide.Sell, TrdSide.SellShort) else "buy" if value else "unknown"


def _time(seconds: float | None) -> datetime | None:
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _currency(msg: Any) -> str | None:
    return _enum_name(Currency, msg.currency) if msg.HasField("currency") else None


def order_from_wire(order: Trd_Common_pb2.Order, account: str | None = None) -> Order:
    """A normalized `Order` of an OpenD order (`raw`: it). DecodeError for a NaN/infinite number."""
    name = "Trd_Common.Order"
    quantity = _checked(order.qty, name, "qty")
    filled = _optional(order, "fillQty", name)
    return Order(
        venue=VENUE,
        order_id=order.orderIDEx or str(order.orderID),
        symbol=_symbol_of(order),
        side=_side(order.trdSide),
        type=_enum_name(OrderType, order.orderType),
        status=_enum_name(OrderStatus, order.orderStatus),
        quantity=quantity,
        client_order_id=order.remark or None,
        price=_optional(order, "price", name),
        remaining=quantity - filled if filled is not None else None,
        created_at=_time(order.createTimestamp if order.HasField("createTimestamp") else None),
        updated_at=_time(order.updateTimestamp if order.HasField("updateTimestamp") else None),
        filled_quantity=filled,
        average_fill_price=_optional(order, "fillAvgPrice", name),
        account=account,
        raw=order,
    )


def fill_from_wire(fill: Trd_Common_pb2.OrderFill, account: str) -> Fill:
    """A normalized `Fill` of an OpenD fill (`raw`: it)."""
    name = "Trd_Common.OrderFill"
    return Fill(
        venue=VENUE,
        account=account,
        fill_id=str(fill.fillID),
        symbol=_symbol_of(fill),
        side=_side(fill.trdSide),
        quantity=_checked(fill.qty, name, "qty"),
        price=_checked(fill.price, name, "price"),
        order_id=fill.orderIDEx or (str(fill.orderID) if fill.HasField("orderID") else None),
        timestamp=_time(fill.createTimestamp if fill.HasField("createTimestamp") else None),
        status=_enum_name(OrderFillStatus, fill.status) if fill.HasField("status") else None,
        raw=fill,
    )


def position_from_wire(position: Trd_Common_pb2.Position, account: str) -> Position:
    """A normalized `Position` of an OpenD position (`raw`: it)."""
    name = "Trd_Common.Position"
    side = "short" if position.positionSide == PositionSide.Short else "long"
    unrealized = _optional(position, "unrealizedPL", name)
    return Position(
        venue=VENUE,
        account=account,
        symbol=_symbol_of(position),
        side=side,
        quantity=_checked(position.qty, name, "qty"),
        sellable=_checked(position.canSellQty, name, "canSellQty"),
        market_price=_checked(position.price, name, "price"),
        market_value=_checked(position.val, name, "val"),
        unrealized_pnl=unrealized if unrealized is not None else _checked(position.plVal, name, "plVal"),
        cost_price=_optional(position, "costPrice", name),
        realized_pnl=_optional(position, "realizedPL", name),
        currency=_currency(position),
        name=position.name or None,
        raw=position,
    )


def balance_from_funds(funds: Trd_Common_pb2.Funds, account: str) -> Balance:
    """A normalized `Balance` of an OpenD account's funds (`raw`: them)."""
    name = "Trd_Common.Funds"
    return Balance(
        venue=VENUE,
        account=account,
        cash=_checked(funds.cash, name, "cash"),
        total_assets=_checked(funds.totalAssets, name, "totalAssets"),
        market_value=_checked(funds.marketVal, name, "marketVal"),
        buying_power=_checked(funds.power, name, "power"),
        frozen=_checked(funds.frozenCash, name, "frozenCash"),
        withdrawable=_checked(funds.avlWithdrawalCash, name, "avlWithdrawalCash"),
        currency=_currency(funds),
        unrealized_pnl=_optional(funds, "unrealizedPL", name),
        realized_pnl=_optional(funds, "realizedPL", name),
        raw=funds,
    )


def _to_double(name: str, value: Decimal | int | str, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{name} must be a Decimal, int or str, got {type(value).__name__}")
    number = float(Decimal(value))
    if not math.isfinite(number) or (positive and number <= 0):
        raise ValueError(f"{name} must be a finite number{' above 0' if positive else ''}, got {value!r}")
    return number


# ---------------------------------------------------------------- streams


def _order_of_push(s2c: Trd_UpdateOrder_pb2.S2C) -> Order:
    return order_from_wire(s2c.order, str(s2c.header.accID))


def _fill_of_push(s2c: Trd_UpdateOrderFill_pb2.S2C) -> Fill:
    return fill_from_wire(s2c.orderFill, str(s2c.header.accID))


T = TypeVar("T", Order, Fill)
TradeItem = Order | Fill | StreamEvent


class _TradeStream(AsyncIterator[T | StreamEvent], Generic[T]):
    """Trade pushes of some accounts, normalized; see OrderStream / FillStream."""

    def __init__(
        self,
        pushes: PushStream[Any],
        *,
        accounts: frozenset[int],
        env: int,
        convert: Callable[[Any], T],
        on_close: Callable[[_TradeStream[Any]], None],
    ) -> None:
        self.pushes = pushes
        self.accounts = accounts
        self._env = env
        self._convert: Callable[[Any], T] = convert
        self._on_close = on_close

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(str(a) for a in sorted(self.accounts))})"

    @property
    def gaps(self) -> list[Gap]:
        return self.pushes.gaps

    @property
    def dropped(self) -> int:
        return self.pushes.dropped

    def __aiter__(self) -> _TradeStream[T]:
        return self

    async def __anext__(self) -> T | StreamEvent:
        while True:
            item = await anext(self.pushes)
            if isinstance(item, StreamEvent):
                return item
            header = item.header
            if header.trdEnv != self._env or header.accID not in self.accounts:
                continue  # another environment's or another account's push: never shown
            try:
                converted: T = self._convert(item)
            except DecodeError as exc:
                return DecodeFailure(exc, item.SerializeToString()[:RAW_KEPT])
            return converted

    async def aclose(self) -> None:
        self._on_close(self)
        await self.pushes.aclose()

    async def __aenter__(self) -> _TradeStream[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


class OrderStream(_TradeStream[Order]):
    """Trd_UpdateOrder pushes of some accounts as normalized `Order`s (`raw`: the typed
    `Trd_Common_pb2.Order`), a `Gap` after each outage, a `DecodeFailure` for a bad push."""


class FillStream(_TradeStream[Fill]):
    """Trd_UpdateOrderFill pushes of some accounts as normalized `Fill`s (`raw`: the typed
    `Trd_Common_pb2.OrderFill`), a `Gap` after each outage, a `DecodeFailure` for a bad push."""


# ---------------------------------------------------------------- the trading surface


class OpenDTrade:
    """Trading on one `OpenDClient` in one environment (`env`: "simulate" unless "real" is named).

    `market`: the TrdMarket to address when an account trades several and the symbol does not
    decide it (default: the symbol's market, else the account's first)."""

    def __init__(self, client: OpenDClient, env: TradeEnv = "simulate", *, market: TrdMarket | None = None) -> None:
        if not isinstance(env, str) or env not in _ENVS:
            raise ValueError(f"env must be 'simulate' or 'real' (by name), got {env!r}")
        self.client = client
        self.env: TradeEnv = env
        self._trd_env = _ENVS[env]
        self.market = market
        self._accounts: dict[int, TradeAccount] = {}
        self._shared = _shared(client)

    def __repr__(self) -> str:
        return f"OpenDTrade(env={self.env!r}, accounts={sorted(self._accounts)})"

    # -- accounts ---------------------------------------------------------------------------
    async def accounts(self, *, category: int | None = None) -> list[TradeAccount]:
        """The accounts of this environment (Trd_GetAccList, protoID 2001)."""
        c2s = Trd_GetAccList_pb2.C2S(userID=self.client.login_user_id or 0)
        if category is not None:
            c2s.trdCategory = category
        response = await self.client.request(Trd_GetAccList_pb2.Request(c2s=c2s))
        found: list[TradeAccount] = []
        for acc in response.s2c.accList:
            env = _ENV_NAMES.get(acc.trdEnv)
            if env != self.env:
                continue
            account = TradeAccount(
                acc_id=acc.accID,
                env=env,
                markets=tuple(acc.trdMarketAuthList),
                acc_type=acc.accType if acc.HasField("accType") else None,
                security_firm=acc.securityFirm if acc.HasField("securityFirm") else None,
                raw=acc,
            )
            self._accounts[acc.accID] = account
            found.append(account)
        return found

    async def _account(self, account: TradeAccount | int) -> TradeAccount:
        """The account to address: refused (InvalidRequest) if of another environment or unknown."""
        if isinstance(account, TradeAccount):
            if account.env != self.env:
                raise InvalidRequest(
                    VENUE, f"account {account.acc_id} is in the {account.env} environment, this trader in {self.env}"
                )
            acc_id = account.acc_id
        elif isinstance(account, bool) or not isinstance(account, int):
            raise TypeError(f"account must be a TradeAccount or an account id, got {type(account).__name__}")
        else:
            acc_id = account
        # Always OpenD's own word on the account's environment, never the caller's object alone.
        if acc_id not in self._accounts:
            await self.accounts()
        known = self._accounts.get(acc_id)
        if known is None:
            raise InvalidRequest(VENUE, f"account {acc_id} is not a {self.env} account of this OpenD")
        return known

    def _header(self, account: TradeAccount, qot_market: int | None = None) -> Trd_Common_pb2.TrdHeader:
        market: int | None = self.market
        if market is None and qot_market is not None:
            wanted = _QOT_TO_TRD.get(qot_market)
            if wanted in account.markets:
                market = wanted
        if market is None:
            market = account.markets[0] if account.markets else TrdMarket.Unknown
        return Trd_Common_pb2.TrdHeader(trdEnv=self._trd_env, accID=account.acc_id, trdMarket=market)

    def _packet_id(self) -> Common_pb2.PacketID:
        """connID of the current connection + the next serial of this process (as futu-api:
        one counter for every trader, so two traders on one connection never repeat one)."""
        return Common_pb2.PacketID(connID=self.client.conn_id or 0, serialNo=_next_serial())

    # -- unlock -----------------------------------------------------------------------------
    async def unlock(self, password: str | Secret) -> None:
        """Unlock trading (Trd_UnlockTrade, protoID 2005) with the trade password, sent as its
        MD5. OpenDError when refused (its text is OpenD's retMsg only). Kept for a reconnect."""
        if not isinstance(password, str | Secret):
            raise TypeError(f"password must be a str or Secret, got {type(password).__name__}")
        plain = password.reveal() if isinstance(password, Secret) else password
        if not plain:
            raise ValueError("password must not be empty")
        md5 = Secret(hashlib.md5(plain.encode("utf-8"), usedforsecurity=False).hexdigest())
        if self.client.capture is not None:  # a recorded session: neither reaches the file
            self.client.capture.secret(plain)
            self.client.capture.secret(md5)
        del plain, password
        await _send_unlock(self.client, md5)
        self._shared.pwd_md5 = md5

    async def lock(self) -> None:
        """Lock trading again (Trd_UnlockTrade with unlock false); forget the kept MD5."""
        self._shared.pwd_md5 = None
        await self.client.request(Trd_UnlockTrade_pb2.Request(c2s=Trd_UnlockTrade_pb2.C2S(unlock=False)))

    # -- queries ----------------------------------------------------------------------------
    async def funds(self, account: TradeAccount | int) -> Trd_Common_pb2.Funds:
        """The account's funds as OpenD sends them (Trd_GetFunds, protoID 2101)."""
        acc = await self._account(account)
        c2s = Trd_GetFunds_pb2.C2S(header=self._header(acc))
        response = await self.client.request(Trd_GetFunds_pb2.Request(c2s=c2s))
        return response.s2c.funds

    async def balance(self, account: TradeAccount | int) -> Balance:
        """The account's funds as a normalized `Balance` (DecodeError for a NaN/infinite amount)."""
        acc = await self._account(account)
        return balance_from_funds(await self.funds(acc), acc.id)

    async def positions(self, account: TradeAccount | int) -> list[Position]:
        """The account's positions (Trd_GetPositionList, protoID 2102)."""
        acc = await self._account(account)
        c2s = Trd_GetPositionList_pb2.C2S(header=self._header(acc))
        response = await self.client.request(Trd_GetPositionList_pb2.Request(c2s=c2s))
        return [position_from_wire(p, acc.id) for p in response.s2c.positionList]

    async def orders(self, account: TradeAccount | int) -> list[Order]:
        """The account's orders of today (Trd_GetOrderList, protoID 2201)."""
        acc = await self._account(account)
        c2s = Trd_GetOrderList_pb2.C2S(header=self._header(acc))
        response = await self.client.request(Trd_GetOrderList_pb2.Request(c2s=c2s))
        return [order_from_wire(o, acc.id) for o in response.s2c.orderList]

    async def fills(self, account: TradeAccount | int) -> list[Fill]:
        """The account's fills of today (Trd_GetOrderFillList, protoID 2211)."""
        acc = await self._account(account)
        c2s = Trd_GetOrderFillList_pb2.C2S(header=self._header(acc))
        response = await self.client.request(Trd_GetOrderFillList_pb2.Request(c2s=c2s))
        return [fill_from_wire(f, acc.id) for f in response.s2c.orderFillList]

    # -- orders -----------------------------------------------------------------------------
    async def place(
        self,
        account: TradeAccount | int,
        symbol: str,
        side: Literal["buy", "sell"] | TrdSide,
        quantity: Decimal | int | str,
        price: Decimal | int | str | None = None,
        *,
        order_type: OrderType = OrderType.Normal,
        remark: str | None = None,
    ) -> str:
        """Place an order (Trd_PlaceOrder, protoID 2202); returns OpenD's order id. A limit
        order (OrderType.Normal, the default) needs `price`."""
        acc = await self._account(account)
        market, code = parse_symbol(symbol)
        trd_side = _SIDES.get(side) if isinstance(side, str) else TrdSide(side)
        if trd_side is None:
            raise ValueError(f"side must be 'buy' or 'sell', got {side!r}")
        if price is None and order_type == OrderType.Normal:
            raise ValueError("a limit order (OrderType.Normal) needs a price")
        c2s = Trd_PlaceOrder_pb2.C2S(
            packetID=self._packet_id(),
            header=self._header(acc, market),
            trdSide=trd_side,
            orderType=OrderType(order_type),
            code=code,
            qty=_to_double("quantity", quantity, positive=True),
        )
        if price is not None:
            c2s.price = _to_double("price", price, positive=True)
        if market in _QOT_TO_SEC:
            c2s.secMarket = _QOT_TO_SEC[market]
        if remark is not None:
            c2s.remark = remark
        response = await self.client.request(Trd_PlaceOrder_pb2.Request(c2s=c2s))
        return response.s2c.orderIDEx or str(response.s2c.orderID)

    async def modify(
        self,
        account: TradeAccount | int,
        order_id: str,
        *,
        quantity: Decimal | int | str | None = None,
        price: Decimal | int | str | None = None,
    ) -> str:
        """Change an order's quantity and/or price (Trd_ModifyOrder, ModifyOrderOp.Normal)."""
        if quantity is None and price is None:
            raise ValueError("modify needs a new quantity or price")
        return await self._modify(account, order_id, ModifyOrderOp.Normal, quantity, price)

    async def cancel(self, account: TradeAccount | int, order_id: str) -> str:
        """Cancel an order (Trd_ModifyOrder, ModifyOrderOp.Cancel)."""
        return await self._modify(account, order_id, ModifyOrderOp.Cancel, None, None)

    async def _modify(
        self,
        account: TradeAccount | int,
        order_id: str,
        op: ModifyOrderOp,
        quantity: Decimal | int | str | None,
        price: Decimal | int | str | None,
    ) -> str:
        acc = await self._account(account)
        if not isinstance(order_id, str) or not order_id:
            raise ValueError(f"order_id must be the order's id as place/orders give it, got {order_id!r}")
        # As futu-api: the order is named by orderIDEx; the required orderID is sent as 0.
        c2s = Trd_ModifyOrder_pb2.C2S(
            packetID=self._packet_id(), header=self._header(acc), orderID=0, modifyOrderOp=op, orderIDEx=order_id
        )
        if quantity is not None:
            c2s.qty = _to_double("quantity", quantity, positive=True)
        if price is not None:
            c2s.price = _to_double("price", price, positive=True)
        response = await self.client.request(Trd_ModifyOrder_pb2.Request(c2s=c2s))
        return response.s2c.orderIDEx or str(response.s2c.orderID)

    # -- pushes -----------------------------------------------------------------------------
    async def order_updates(self, accounts: Iterable[TradeAccount | int] | None = None) -> OrderStream:
        """Trd_UpdateOrder pushes of `accounts` (default: every account of this environment),
        subscribed (Trd_SubAccPush) before it returns, so no push after it is missed."""
        pushes = self.client.pushes(Trd_UpdateOrder_pb2.Response)
        return cast(OrderStream, await self._trade_stream(OrderStream, pushes, _order_of_push, accounts))

    async def fill_updates(self, accounts: Iterable[TradeAccount | int] | None = None) -> FillStream:
        """Trd_UpdateOrderFill pushes of `accounts` (default: every account of this environment),
        subscribed before it returns."""
        pushes = self.client.pushes(Trd_UpdateOrderFill_pb2.Response)
        return cast(FillStream, await self._trade_stream(FillStream, pushes, _fill_of_push, accounts))

    async def _trade_stream(
        self,
        kind: type[_TradeStream[Any]],
        pushes: PushStream[Any],
        convert: Callable[[Any], Any],
        accounts: Iterable[TradeAccount | int] | None,
    ) -> _TradeStream[Any]:
        wanted = list(accounts) if accounts is not None else None
        ids: set[int] = set()
        for account in wanted or ():
            if isinstance(account, TradeAccount):
                if account.env != self.env:
                    raise InvalidRequest(
                        VENUE,
                        f"account {account.acc_id} is in the {account.env} environment, this trader in {self.env}",
                    )
                ids.add(account.acc_id)
            else:
                ids.add(int(account))
        stream = kind(
            pushes,
            accounts=frozenset(ids),
            env=self._trd_env,
            convert=convert,
            on_close=self._stream_closed,
        )

        try:
            if wanted is None:
                stream.accounts = frozenset(a.acc_id for a in await self.accounts())
            else:
                for account in wanted:
                    await self._account(account)  # refuses unknown ones and other environments'
            self._shared.streams.append(stream)
            await self._sub_acc_push()
        except BaseException:
            await stream.aclose()
            raise
        return stream

    def _stream_closed(self, stream: _TradeStream[Any]) -> None:
        if stream in self._shared.streams:
            self._shared.streams.remove(stream)

    async def _sub_acc_push(self) -> None:
        await self._shared.sub_acc_push(self.client)


class _Shared:
    """What every OpenDTrade on one client shares: the connection's push subscription (one
    Trd_SubAccPush replaces the whole set, so it names every account any stream follows) and
    the unlock MD5 (OpenD's unlock is not per environment), redone after each reconnect."""

    def __init__(self) -> None:
        self.streams: list[_TradeStream[Any]] = []
        self.subscribed: frozenset[int] = frozenset()
        self.pwd_md5: Secret | None = None

    def __repr__(self) -> str:
        return f"_Shared(subscribed={sorted(self.subscribed)}, unlocked={self.pwd_md5 is not None})"

    async def sub_acc_push(self, client: OpenDClient, *, force: bool = False) -> None:
        """Trd_SubAccPush with every account a stream follows or followed; `force` after a reconnect."""
        ids = self.subscribed.union(*(s.accounts for s in self.streams))
        if not ids or (ids == self.subscribed and not force):
            return
        c2s = Trd_SubAccPush_pb2.C2S(accIDList=sorted(ids))
        await client.request(Trd_SubAccPush_pb2.Request(c2s=c2s))
        self.subscribed = ids

    async def after_reconnect(self, client: OpenDClient) -> None:
        """The client reconnected: unlock again (as futu-api does) and resubscribe every account."""
        if self.pwd_md5 is not None:
            try:
                await _send_unlock(client, self.pwd_md5)
            except VenueError as exc:
                log.warning("OpenD trade unlock after reconnect refused: %s", exc.message)
        await self.sub_acc_push(client, force=True)


_SHARED: weakref.WeakKeyDictionary[OpenDClient, _Shared] = weakref.WeakKeyDictionary()


def _shared(client: OpenDClient) -> _Shared:
    shared = _SHARED.get(client)
    if shared is None:
        shared = _SHARED[client] = _Shared()
        ref = weakref.ref(client)

        async def hook() -> None:
            owner = ref()
            if owner is not None:
                await shared.after_reconnect(owner)

        client._reconnect_hooks.append(hook)
    return shared


async def _send_unlock(client: OpenDClient, md5: Secret) -> None:
    request = Trd_UnlockTrade_pb2.Request(c2s=Trd_UnlockTrade_pb2.C2S(unlock=True, pwdMD5=md5.reveal()))
    try:
        await client.request(request)
    except VenueError as exc:
        error = exc
    else:
        return
    finally:
        request.Clear()
    # re-raised outside the except block: no __context__ chain leads back to the request
    error.__context__ = error.__cause__ = None
    error.__traceback__ = None
    raise error
