"""The BitMart order life cycle of the demo: a limit order placed, listed, queried, cancelled.

    async with BitmartSimulator() as sim, BitmartTradeClient(creds, sim.rest_url, ws_url=sim.private_url) as bitmart:
        for line in await bitmart_order_life_cycle(bitmart):
            print(line)

Against `venuewire.sim.bitmart.BitmartSimulator` (or the real venue: it places a real order
there, priced far below the book so that it rests, and cancels it). Each step is checked; a
step that does not show what it should raises `DemoFailed` naming it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from venuewire.bitmart.trade import BitmartTradeClient
from venuewire.demo.run import DemoFailed
from venuewire.generated.registry import REST_BITMART_SUBMIT_ORDER
from venuewire.models import Order

__all__ = ["LIFE_CYCLE_REQUESTS", "bitmart_order_life_cycle"]

VENUE = "bitmart"
LIFE_CYCLE_REQUESTS: Final = 10
"""The REST requests `bitmart_order_life_cycle` makes: the book, the wallet three times, the
order, the open orders twice, the query twice, the cancel."""


def _plain(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


def _order_line(label: str, order: Order) -> str:
    price = "market" if order.price is None else f"{order.price}"
    return (
        f"{label:<18} {order.order_id}  {order.symbol} {order.side} {order.type} "
        f"{order.quantity} @ {price}  {order.status}  filled {order.filled_quantity}  left {order.remaining}"
    )


async def bitmart_order_life_cycle(
    client: BitmartTradeClient, symbol: str = "BTC_USDT", size: Decimal = Decimal("0.001")
) -> list[str]:
    """Place a limit buy of `size` `symbol` 10 % under the best bid (signed POST), see it among
    the open orders and by id, cancel it, and see it gone from the open orders with its hold
    given back; returns the printable lines of each step. Raises DemoFailed for a step that
    does not show what it should, VenueError subclasses from the venue."""
    book = await client.order_book(symbol, limit=5)
    if not book.bids or not book.asks:
        raise DemoFailed(VENUE, "reading the book", f"{symbol} has an empty side")
    best_bid, best_ask = book.bids[0].price, book.asks[0].price
    price = (best_bid * Decimal("0.9")).quantize(best_bid)
    quote = symbol.partition("_")[2]
    lines = [f"book {symbol}: best bid {best_bid}, best ask {best_ask}; buying {size} @ {price}"]

    def held() -> Decimal:
        return next((b.frozen for b in wallet if b.currency == quote), Decimal(0))

    wallet = await client.balances(quote)
    before = held()
    order_id = await client.place_order(symbol, "buy", "limit", size=size, price=price, client_order_id="vwdemo")
    submit = REST_BITMART_SUBMIT_ORDER
    lines.append(f"{'placed':<18} {order_id} ({submit.method} {submit.path}, signed)")
    listed = [o for o in await client.open_orders(symbol) if o.order_id == order_id]
    if not listed:
        raise DemoFailed(VENUE, "listing open orders after placing", f"order {order_id} is not open")
    lines.append(_order_line("open orders", listed[0]))
    lines.append(_order_line("query by id", await client.get_order(order_id)))
    wallet = await client.balances(quote)
    lines.append(f"{'held for it':<18} {_plain(held() - before)} {quote}")
    if not await client.cancel(symbol, order_id):
        raise DemoFailed(VENUE, "cancelling", f"order {order_id}: the cancel was not taken")
    after = await client.get_order(order_id)
    lines.append(_order_line("after cancel", after))
    if any(o.order_id == order_id for o in await client.open_orders(symbol)):
        raise DemoFailed(VENUE, "listing open orders after cancelling", f"order {order_id} is still open")
    wallet = await client.balances(quote)
    lines.append(f"{'open orders':<18} none left; {quote} held {_plain(held())}")
    return lines
