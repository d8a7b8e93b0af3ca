"""QFEX orders (the generated `venuewire.generated.qfex.order.Order`) -> `venuewire.models.Order`.

Pure functions. QFEX sends its numbers as JSON numbers; the generated class reads them as
`Decimal` straight from the JSON text (never through a float), so `2.708` is `Decimal("2.708")`.

Field by field (`orders_from_response` keeps `orders` first, then `stop_orders`):
    order_id        order_id (a UUID, as text)
    symbol          symbol (e.g. AAPL-USD)
    side            side: BUY -> "buy", SELL -> "sell"; any other value kept as sent
    type            type as sent (LIMIT, MARKET, ALO, TAKE_PROFIT, STOP_LOSS, STOP_MARKET, or new ones)
    status          status as sent (ACK, FILLED, ...; FILLED may be partial, see remaining)
    quantity        quantity
    price           price, as sent (0 for orders without a limit price, e.g. stop-market)
    remaining       quantity_remaining (below quantity once partly filled)
    client_order_id client_order_id (None when absent or empty)
    created_at      None: QFEX sends no creation time
    updated_at      update_time (float Unix seconds) as an aware UTC datetime, to the microsecond;
                    None when absent (stop orders and order_response pushes carry none)
take_profit, stop_loss, time_in_force, user_id and trade_id have no place in the neutral
model; read them from the generated order. TWAPs (`twaps`) are not orders: they are left out.

Every value is checked: a NaN or infinite quantity, price or remaining, or an update_time
that is not a date between years 1 and 9999, is a DecodeError naming the field's path.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

from msgspec import UnsetType

from venuewire.errors import FieldPath
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse
from venuewire.generated.qfex.order import Order as QfexOrder
from venuewire.models import Order
from venuewire.qfex.errors import VENUE
from venuewire.values import EPOCH, finite_decimal, utc_from_seconds

__all__ = ["SIDES", "check_response", "order_from_qfex", "orders_from_response", "time_of"]

SIDES: Final[dict[str, str]] = {"BUY": "buy", "SELL": "sell"}
_RESPONSE: Final = "all_orders_response"


def time_of(seconds: float, message: str = "order", path: FieldPath = ("update_time",)) -> datetime:
    """Unix epoch seconds (with a fraction) as an aware UTC datetime, rounded to the
    microsecond; DecodeError naming `message` and `path` when it is not a representable time
    (NaN, infinite, or outside years 1 to 9999, e.g. milliseconds sent by mistake).

    `venuewire.values.utc_from_seconds` does the check; the value is taken from
    `timedelta(seconds=...)`, which rounds the double's exact value to the microsecond (that
    helper rounds `seconds * 1e6`, one microsecond off for e.g. 1758208770.5512846)."""
    utc_from_seconds(seconds, VENUE, message, path)
    return EPOCH + timedelta(seconds=seconds)


def _number(value: Decimal, message: str, path: FieldPath) -> Decimal:
    return finite_decimal(value, VENUE, message, path)


def _updated_at(update_time: float | UnsetType, message: str, path: FieldPath) -> datetime | None:
    return None if isinstance(update_time, UnsetType) else time_of(update_time, message, (*path, "update_time"))


def order_from_qfex(order: QfexOrder, *, message: str = "order", path: FieldPath = ()) -> Order:
    """One normalized order. A DecodeError names `message` and the field under `path` (where
    the order sits in that message, e.g. `("all_orders_response", "orders", 0)`)."""
    side = str(order.side.value)
    client_order_id = order.client_order_id
    update_time = order.update_time
    for name in ("take_profit", "stop_loss"):  # not in the model, but checked like the rest
        extra = getattr(order, name)
        if isinstance(extra, Decimal):
            _number(extra, message, (*path, name))
    return Order(
        venue=VENUE,
        order_id=order.order_id,
        symbol=order.symbol,
        side=SIDES.get(side, side),
        type=str(order.type.value),
        status=str(order.status.value),
        quantity=_number(order.quantity, message, (*path, "quantity")),
        client_order_id=client_order_id if isinstance(client_order_id, str) and client_order_id else None,
        price=_number(order.price, message, (*path, "price")),
        remaining=_number(order.quantity_remaining, message, (*path, "quantity_remaining")),
        created_at=None,
        updated_at=_updated_at(update_time, message, path),
    )


def _orders(orders: Iterable[QfexOrder], field: str) -> list[Order]:
    path = (_RESPONSE, field)
    return [order_from_qfex(order, message=_RESPONSE, path=(*path, i)) for i, order in enumerate(orders)]


def orders_from_response(resp: AllOrdersResponse) -> list[Order]:
    """Every order of a get_order answer: `orders`, then `stop_orders` (when sent). A bad
    value is a DecodeError of message all_orders_response whose path is the field's place
    in the frame as sent, e.g. `$.all_orders_response.orders[1].update_time`."""
    out = _orders(resp.orders, "orders")
    if not isinstance(resp.stop_orders, UnsetType):
        out.extend(_orders(resp.stop_orders, "stop_orders"))
    return out


def check_response(resp: AllOrdersResponse) -> AllOrdersResponse:
    """`resp` itself when every value in it stands for what its field means (each order
    normalizes; TWAP quantities are finite); otherwise the DecodeError naming the field.
    The protocol runs it on every answer, so a typed answer never holds such a value."""
    orders_from_response(resp)
    if not isinstance(resp.twaps, UnsetType):
        for i, twap in enumerate(resp.twaps):
            for name in ("total_quantity", "filled_quantity"):
                value = getattr(twap, name)
                if isinstance(value, Decimal):
                    _number(value, _RESPONSE, (_RESPONSE, "twaps", i, name))
    return resp
