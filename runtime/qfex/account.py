"""QFEX fills, positions and balances -> `venuewire.models.Fill`, `Position`, `Balance`. Pure.

Every number is the `Decimal` of its JSON text (never a float); NaN or infinity, and a fill
time no date holds, is a DecodeError naming the message and the field path. `account` is the
caller's key (QFEX's fills and positions name no account); balances use their `user_id`.

    Fill (user_trades entry, fill_response push)  Position (position_response)
    fill_id   trade_id                            side            "long" if position >= 0, else "short"
    symbol    symbol                              quantity        |position|
    side      aggressor_side BUY/SELL -> buy/sell sellable        |position| (closable in full)
    quantity  quantity                            market_price    average_price (no mark price is sent)
    price     price                               market_value    |position| x average_price
    order_id  order_id                            unrealized_pnl  unrealised_pnl (0 when absent)
    timestamp timestamp (Unix seconds)            cost_price      average_price
                                                  realized_pnl    realised_pnl

    Balance (balance_response): cash deposit; total_assets deposit + realised_pnl +
    unrealised_pnl; market_value position_margin; buying_power and withdrawable
    available_balance; frozen order_margin + position_margin; realized_pnl, unrealized_pnl.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from msgspec import UnsetType

from venuewire.errors import FieldPath
from venuewire.generated.qfex.balance_response import BalanceResponse
from venuewire.generated.qfex.position_response import PositionResponse
from venuewire.generated.qfex.user_trade import UserTrade
from venuewire.models import Balance, Fill, Position
from venuewire.qfex.errors import VENUE
from venuewire.qfex.orders import SIDES, time_of
from venuewire.values import finite_decimal

__all__ = ["balance_from_qfex", "fill_from_qfex", "position_from_qfex"]

_ZERO: Final = Decimal(0)


def _n(value: Decimal | UnsetType, message: str, path: FieldPath) -> Decimal:
    return _ZERO if isinstance(value, UnsetType) else finite_decimal(value, VENUE, message, path)


def fill_from_qfex(trade: UserTrade, account: str, *, message: str = "user_trade", path: FieldPath = ()) -> Fill:
    """One normalized fill (from get_user_trades' `user_trades` or a `fill_response` push)."""
    side = "" if isinstance(trade.aggressor_side, UnsetType) else str(trade.aggressor_side.value)
    stamp = trade.timestamp
    return Fill(
        venue=VENUE,
        account=account,
        fill_id=trade.trade_id,
        symbol=trade.symbol,
        side=SIDES.get(side, side),
        quantity=_n(trade.quantity, message, (*path, "quantity")),
        price=_n(trade.price, message, (*path, "price")),
        order_id=trade.order_id if isinstance(trade.order_id, str) else None,
        timestamp=None
        if isinstance(stamp, UnsetType)
        else time_of(float(_n(stamp, message, (*path, "timestamp"))), message, (*path, "timestamp")),
        raw=trade,
    )


def position_from_qfex(pos: PositionResponse, account: str) -> Position:
    """One normalized position (a `position_response` push)."""
    m, p = "position_response", ("position_response",)
    size = _n(pos.position, m, (*p, "position"))
    average = _n(pos.average_price, m, (*p, "average_price"))
    held = abs(size)
    return Position(
        venue=VENUE,
        account=account,
        symbol=pos.symbol,
        side="long" if size >= 0 else "short",
        quantity=held,
        sellable=held,
        market_price=average,
        market_value=held * average,
        unrealized_pnl=_n(pos.unrealised_pnl, m, (*p, "unrealised_pnl")),
        cost_price=average,
        realized_pnl=_n(pos.realised_pnl, m, (*p, "realised_pnl")),
        raw=pos,
    )


def balance_from_qfex(bal: BalanceResponse, account: str) -> Balance:
    """The normalized funds (a `balance_response` push); `account` when it names no user_id."""
    m, p = "balance_response", ("balance_response",)
    deposit = _n(bal.deposit, m, (*p, "deposit"))
    realised = _n(bal.realised_pnl, m, (*p, "realised_pnl"))
    unrealised = _n(bal.unrealised_pnl, m, (*p, "unrealised_pnl"))
    position_margin = _n(bal.position_margin, m, (*p, "position_margin"))
    available = _n(bal.available_balance, m, (*p, "available_balance"))
    return Balance(
        venue=VENUE,
        account=bal.user_id if isinstance(bal.user_id, str) else account,
        cash=deposit,
        total_assets=deposit + realised + unrealised,
        market_value=position_margin,
        buying_power=available,
        frozen=_n(bal.order_margin, m, (*p, "order_margin")) + position_margin,
        withdrawable=available,
        unrealized_pnl=unrealised,
        realized_pnl=realised,
        raw=bal,
    )
