"""CoinW orders (the generated `venuewire.generated.coinw.order.Order`) -> `venuewire.models.Order`.

Pure functions. CoinW sends its numbers in mixed JSON types (the same field is a string in
one reply and a number in the next); the generated class reads both forms straight into
`Decimal`, from the wire text itself, digit for digit (a 30-digit JSON number included:
nothing goes through float). The checks are `venuewire.values`': a NaN or infinite quantity
or price (only a string can carry one), or a time outside what a `datetime` holds (year 1 to
9999), raises DecodeError naming the field.

Field by field (README: "Normalized CoinW order"):
    order_id        str(id): exact text, also for ids above 2^53 sent as bare JSON integers
    symbol          instrument, as sent (BTC is BTC/USDT, BTC_USDC is BTC/USDC)
    side            direction: long -> "buy", short -> "sell" (any other value kept as sent)
    type            posType as sent (plan, planTrigger, execute, moveStopProfitLoss, ...)
    status          orderStatus as sent (unFinish, part, finish, ...)
    quantity        quantity, in the unit quantityUnit names (0 quote currency, 1 contracts,
                    2 base currency); an order without it raises DecodeError
    remaining       quantity when orderStatus is unFinish (nothing filled yet), else None:
                    CoinW reports no unfilled amount in quantity's unit
    price           orderPrice (None when absent or null, as for market orders)
    client_order_id thirdOrderId (None when absent, null or empty)
    created_at      createdDate (Unix epoch ms) as an aware UTC datetime, exact
    updated_at      updatedDate, the same way (None when absent)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

from msgspec import UnsetType

from venuewire.errors import DecodeError
from venuewire.generated.coinw.order import Order as CoinwOrder
from venuewire.models import Order
from venuewire.values import finite_decimal, utc_from_ms

__all__ = ["SIDES", "VENUE", "order_from_coinw", "orders_from_coinw"]

VENUE: Final = "coinw"
MESSAGE: Final = "order"
SIDES: Final[dict[str, str]] = {"long": "buy", "short": "sell"}


def order_from_coinw(order: CoinwOrder, *, message: str = MESSAGE, path: Sequence[str | int] = ()) -> Order:
    """One normalized order. `message` and `path` (where `order` sits in that message, e.g.
    "order_response" and `("data", 3)`) name the field in a DecodeError."""
    if isinstance(order.quantity, UnsetType):
        raise DecodeError(VENUE, message, (*path, "quantity"), "missing: a normalized order needs its quantity")
    quantity = finite_decimal(order.quantity, VENUE, message, (*path, "quantity"))
    price: Decimal | None = None
    if isinstance(order.orderPrice, Decimal):
        price = finite_decimal(order.orderPrice, VENUE, message, (*path, "orderPrice"))
    status = str(order.orderStatus.value)
    third = order.thirdOrderId
    updated = None
    if not isinstance(order.updatedDate, UnsetType):
        updated = utc_from_ms(order.updatedDate, VENUE, message, (*path, "updatedDate"))
    return Order(
        venue=VENUE,
        order_id=str(order.id),
        symbol=order.instrument,
        side=SIDES.get(order.direction.value, order.direction.value),
        type=str(order.posType.value),
        status=status,
        quantity=quantity,
        client_order_id=third if isinstance(third, str) and third else None,
        price=price,
        remaining=quantity if status == "unFinish" else None,
        created_at=utc_from_ms(order.createdDate, VENUE, message, (*path, "createdDate")),
        updated_at=updated,
    )


def orders_from_coinw(orders: Iterable[CoinwOrder]) -> list[Order]:
    """Every order of one reply's `data`, in the venue's order; a DecodeError names
    `order_response at $.data[i].<field>`."""
    return [
        order_from_coinw(order, message="order_response", path=("data", index)) for index, order in enumerate(orders)
    ]
