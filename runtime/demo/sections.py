"""How `venuewire demo` exercises each venue: one section per row of the venue table
(`venuewire.cli.venues.TOOLS`, its `demo` field), `async (run, simulator, client) -> None`.
The simulator is started and the client opened (not yet connected) by venuewire.demo.run;
a section connects, makes its requests through `run` (bounded, timed) and fills
`run.summary`. Per venue:

- futu     subscribe HK.00700 and US.AAPL, both 10-level books (Qot_GetOrderBook), then both
           books live from Qot_UpdateOrderBook pushes; then HK.00700's quote (get_quotes), its
           last 1-minute candles (get_candles after subscribing KL_1Min) and a simulated
           order's life cycle with OpenDTrade: place -> order list -> modify -> cancel, each
           step's Trd_UpdateOrder push shown.
- bitmart  the legacy depth channel (BMX_ETH, precision 6) and the v3 spot/depth20 channel
           (BTC_USDT, after a signed login), live side by side; text ping -> pong round trips;
           then BTC_USDT's locally maintained book from the incremental channel surviving a gap
           the simulator injects: BookGap -> BookResynced -> valid again; then a spot limit
           order's life cycle with BitmartTradeClient on the simulator's account (signed REST,
           recorded into the demo's capture): the book, place a buy under the best bid -> open
           orders -> query by id -> the hold on the wallet -> cancel -> no longer open.
- coinw    signed get_open_orders for every position type; one orders table; then a plan
           order's life cycle with the generated typed bodies: place_order ->
           get_current_orders shows it -> cancel_order -> no longer open.
- infoway  batch_depth for codes of the stock, crypto and common markets, then the WebSocket
           depth stream (BTCUSDT, ETHUSDT) live.
- qfex     authenticate (HMAC), then get_order(DEMO_SYMBOL, DEMO_ORDER_ID); then an order's life
           cycle: add_order -> modify_order -> cancel_order, each step's order_responses push shown.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

from rich import box
from rich.columns import Columns
from rich.console import Group
from rich.table import Table
from rich.text import Text

from venuewire.cli.venues import moved_url
from venuewire.demo.run import CLIENT_TIMEOUT_S, DemoFailed, Run
from venuewire.models import Order, OrderBook
from venuewire.render import LiveView, book_table, orders_table, side_by_side

__all__ = ["bitmart", "coinw", "futu", "infoway", "qfex"]

RTT_SAMPLES: Final = 20
QFEX_SAMPLES: Final = 10
"""get_order calls on one QFEX connection (its simulator allows 20 frames a second, auth included)."""

FUTU_SYMBOLS: Final = ("HK.00700", "US.AAPL")
FUTU_QUOTE: Final = "HK.00700"
FUTU_CANDLES: Final = 5
FUTU_ORDER_QTY: Final = Decimal(100)
FUTU_ORDER_DISCOUNT: Final = Decimal("0.9")
"""The demo's simulated order bids this fraction of the quote, so it rests until cancelled."""
BITMART_LEGACY: Final = ("BMX_ETH", 6)
BITMART_SPOT: Final = ("BTC_USDT", 20)
INFOWAY_REST: Final = (
    ("stock", ("00700.HK", "AAPL.US", "600519.SH")),
    ("crypto", ("BTCUSDT", "ETHUSDT")),
    ("common", ("EURUSD", "XAUUSD")),
)
COINW_ORDER: Final = ("BTC", Decimal(2), Decimal("20000.5"))
"""The demo's CoinW plan order: instrument, contracts, limit price (below the market: it rests)."""
INFOWAY_STREAM: Final = ("crypto", ("BTCUSDT", "ETHUSDT"))
BITMART_INCREMENTAL: Final = "BTC_USDT"
BITMART_ORDER: Final = ("BTC_USDT", Decimal("0.001"))
"""The demo's BitMart spot order: pair and size (a limit buy 10 % under the best bid: it rests)."""
QFEX_ORDER: Final = ("AAPL-USD", Decimal(2), Decimal("150.05"), Decimal("151.5"))
"""The demo's QFEX order: market, quantity, limit price and the modified price (bids below the
market: it rests until cancelled)."""


# --- futu --------------------------------------------------------------------------------------


async def futu(run: Run, sim: Any, client: Any) -> None:
    """Both FUTU_SYMBOLS' books (Qot_GetOrderBook), then both live from Qot_UpdateOrderBook pushes."""
    from venuewire.opend.book import order_book_from_s2c

    await run.timed(f"connecting to OpenD at {client.host}:{client.port} (InitConnect)", client.connect())
    run.console.print(f"connected: connID {client.conn_id}, serverVer {client.server_ver}")
    await run.timed(f"subscribing {', '.join(FUTU_SYMBOLS)} (Qot_Sub)", client.subscribe(FUTU_SYMBOLS, push=True))
    books: dict[str, OrderBook] = {}
    for symbol in FUTU_SYMBOLS:
        s2c = await run.timed(f"Qot_GetOrderBook {symbol}", client.get_order_book(symbol, num=run.options.levels))
        books[symbol] = order_book_from_s2c(s2c)
    run.console.print(side_by_side(*(book_table(books[s], run.options.levels) for s in FUTU_SYMBOLS)))
    for i in range(RTT_SAMPLES):
        symbol = FUTU_SYMBOLS[i % len(FUTU_SYMBOLS)]
        await run.timed(f"Qot_GetOrderBook {symbol}", client.get_order_book(symbol, num=run.options.levels))

    run.console.print(f"live: Qot_UpdateOrderBook pushes for {run.options.seconds:g} s")
    streams = [client.depth_stream(symbol) for symbol in FUTU_SYMBOLS]  # OrderBook | Gap | DecodeFailure
    for stream in streams:
        run.closing("closing an update stream", stream.aclose)
    pushes = dict.fromkeys(FUTU_SYMBOLS, 0)
    deadline = asyncio.get_running_loop().time() + run.options.seconds
    with LiveView(run.console) as view:

        def show() -> None:
            tables = [
                book_table(books[s], run.options.levels, title=f"futu {s} live, {pushes[s]} pushes")
                for s in FUTU_SYMBOLS
            ]
            view.update(side_by_side(*tables))

        def on_push(symbol: str) -> Callable[[object], None]:
            def handle(item: object) -> None:  # Gap / DecodeFailure events: counted in client.stats / client.gaps
                if isinstance(item, OrderBook):
                    books[symbol] = item
                    pushes[symbol] += 1
                    show()

            return handle

        show()
        await run.together(
            *(
                run.pump(f"reading Qot_UpdateOrderBook pushes for {s}", stream, deadline, on_push(s))
                for s, stream in zip(FUTU_SYMBOLS, streams, strict=True)
            )
        )
    await _futu_quote_candles_and_order(run, client)
    run.summary.messages = client.stats.requests + client.stats.pushes_received
    run.summary.decode_errors = client.stats.decode_errors
    run.summary.gaps = len(client.gaps)


def _values_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    table = Table(title=Text(title), box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column, justify="left" if column in ("symbol", "name", "time (UTC)") else "right")
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    return table


async def _next_order(run: Run, stream: Any, what: str) -> Order:
    """The next Order of a Trd_UpdateOrder stream (Gap / DecodeFailure events skipped)."""
    return await run.next_of(f"waiting for the Trd_UpdateOrder push after {what}", stream, Order)


async def _futu_quote_candles_and_order(run: Run, client: Any) -> None:
    """FUTU_QUOTE's quote and FUTU_CANDLES candles, then a simulated order's life cycle:
    place -> order list -> modify -> cancel, each followed by its Trd_UpdateOrder push."""
    from venuewire.generated.futu.enums import KLType, SubType, TrdMarket
    from venuewire.opend import OpenDTrade

    symbol = FUTU_QUOTE
    await run.timed(
        f"subscribing {symbol} to Basic and KL_1Min (Qot_Sub)",
        client.subscribe([symbol], sub_types=[SubType.Basic, SubType.KL_1Min], push=False),
    )
    (quote,) = await run.timed(f"get_quotes {symbol} (Qot_GetBasicQot)", client.get_quotes(symbol))
    columns = ("symbol", "name", "price", "open", "high", "low", "prev close", "volume", "turnover")
    row = (quote.symbol, quote.name, quote.price, quote.open, quote.high, quote.low, quote.prev_close)
    table = _values_table(f"futu {symbol} quote (Qot_GetBasicQot)", columns, [(*row, quote.volume, quote.turnover)])
    run.console.print(table)
    candles = await run.timed(
        f"get_candles {symbol} 1 min (Qot_GetKL)", client.get_candles(symbol, KLType.KLType_1Min, num=FUTU_CANDLES)
    )
    run.console.print(
        _values_table(
            f"futu {symbol} last {len(candles)} 1-minute candles (Qot_GetKL)",
            ("time (UTC)", "open", "high", "low", "close", "volume"),
            [(c.time and c.time.strftime("%Y-%m-%d %H:%M"), c.open, c.high, c.low, c.close, c.volume) for c in candles],
        )
    )
    if not candles:
        raise DemoFailed(run.venue, f"get_candles {symbol}", "the simulator returned no candle")

    trade = OpenDTrade(client)  # the SIMULATED environment: nothing here can reach a real account
    accounts = await run.timed("listing the simulated accounts (Trd_GetAccList)", trade.accounts())
    market = TrdMarket[symbol.split(".")[0]]  # HK.00700 trades in TrdMarket.HK
    account = next((a for a in accounts if market in a.markets), None)
    if account is None:
        raise DemoFailed(run.venue, "listing the simulated accounts", f"no simulated account trades {symbol}")
    stream = await run.timed("following its orders (Trd_SubAccPush)", trade.order_updates([account]))
    run.closing("closing the order stream", stream.aclose)
    price = (quote.price * FUTU_ORDER_DISCOUNT).quantize(quote.price)  # a resting bid: it does not cross
    steps: list[Order] = []
    groups: list[str] = []
    order_id = await run.timed(
        f"placing buy {FUTU_ORDER_QTY} {symbol} @ {price} (Trd_PlaceOrder)",
        trade.place(account, symbol, "buy", FUTU_ORDER_QTY, price, remark="venuewire demo"),
    )
    steps.append(await _next_order(run, stream, "placing"))
    groups.append("place -> push")
    listed = await run.timed("the order list (Trd_GetOrderList)", trade.orders(account))
    mine = [o for o in listed if o.order_id == order_id]
    if not mine:
        raise DemoFailed(run.venue, "the order list (Trd_GetOrderList)", f"order {order_id} is not listed")
    steps.append(mine[0])
    groups.append("order list")
    new_price = (price * FUTU_ORDER_DISCOUNT).quantize(quote.price)
    await run.timed(
        f"modifying to {FUTU_ORDER_QTY * 2} @ {new_price} (Trd_ModifyOrder)",
        trade.modify(account, order_id, quantity=FUTU_ORDER_QTY * 2, price=new_price),
    )
    steps.append(await _next_order(run, stream, "modifying"))
    groups.append("modify -> push")
    await run.timed("cancelling (Trd_ModifyOrder, Cancel)", trade.cancel(account, order_id))
    steps.append(await _next_order(run, stream, "cancelling"))
    groups.append("cancel -> push")
    title = f"futu simulated order {order_id}, account {account.id}"
    run.console.print(orders_table(steps, title=title, groups=groups))


# --- bitmart -----------------------------------------------------------------------------------


async def _ping_rtts(run: Run, url: str, count: int) -> None:
    """`count` text ping -> pong round trips on a side connection to the v3 endpoint."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        ws = await run.step(
            "opening a WebSocket to measure ping round trips",
            session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=CLIENT_TIMEOUT_S)),
        )
        async with ws:
            for _ in range(count):
                started = time.perf_counter()
                await run.step("sending a ping", ws.send_str("ping"))
                while True:
                    message = await run.step("waiting for the pong", ws.receive())
                    if message.type is not aiohttp.WSMsgType.TEXT:
                        raise DemoFailed(run.venue, "waiting for the pong", f"got a {message.type.name} frame")
                    if message.data == "pong":
                        break
                run.summary.latencies.append(time.perf_counter() - started)


async def bitmart(run: Run, sim: Any, client: Any) -> None:
    """The legacy and the v3 depth channels live side by side, then ping round trips on v3."""
    legacy_symbol, precision = BITMART_LEGACY
    spot_symbol, depth = BITMART_SPOT
    legacy = client.legacy_depth_stream(legacy_symbol, precision)
    spot = client.depth_stream(spot_symbol, depth)
    books: dict[str, OrderBook] = {}
    counts = {"legacy": 0, "v3": 0}
    titles = {
        "legacy": f"legacy {legacy_symbol} @{precision}",
        "v3": f"v3 depth{depth} {spot_symbol}",
    }
    run.console.print(f"live: both channels for {run.options.seconds:g} s")
    deadline = asyncio.get_running_loop().time() + run.options.seconds
    with LiveView(run.console) as view:

        def show() -> None:
            tables = [
                book_table(books[k], run.options.levels, title=f"{titles[k]}, {counts[k]} pushes")
                for k in ("legacy", "v3")
                if k in books
            ]
            view.update(side_by_side(*tables))

        def on_item(key: str) -> Callable[[object], None]:
            def handle(item: object) -> None:  # Gap / DecodeFailure events: counted by the stream
                if isinstance(item, OrderBook):
                    books[key] = item
                    counts[key] += 1
                    show()

            return handle

        await run.together(
            run.pump(f"reading the legacy depth stream ({legacy_symbol})", legacy, deadline, on_item("legacy")),
            run.pump(f"reading the v3 depth stream ({spot_symbol})", spot, deadline, on_item("v3")),
        )
    if not counts["legacy"] or not counts["v3"]:
        missing = "legacy" if not counts["legacy"] else "v3"
        raise DemoFailed(run.venue, f"reading the {missing} depth stream", "no book received (only events)")
    await _ping_rtts(run, moved_url(sim.url, sim.port, run.dial_port), RTT_SAMPLES)
    run.summary.latency_of = "v3 text ping -> pong"
    run.summary.messages = legacy.stats.received + spot.stats.received
    run.summary.decode_errors = legacy.stats.decode_errors + spot.stats.decode_errors
    run.summary.gaps = len(legacy.gaps) + len(spot.gaps)
    await _bitmart_incremental_gap(run, sim, client)
    await _bitmart_order_life_cycle(run, sim)


async def _bitmart_incremental_gap(run: Run, sim: Any, client: Any) -> None:
    """BITMART_INCREMENTAL's local book from the incremental channel; the simulator then skips
    an update version: BookGap, the resync (a snapshot request), BookResynced, valid again."""
    from venuewire.events import BookGap, BookResynced
    from venuewire.sim.bitmart import IncreaseFault

    symbol = BITMART_INCREMENTAL
    stream = client.incremental_depth_stream(symbol)
    run.closing("closing the incremental depth stream", stream.aclose)
    await run.next_of(f"reading {symbol}'s first incremental book (snapshot)", stream, OrderBook)
    run.console.print(
        f"incremental {symbol}: valid ({stream.is_valid(symbol)}) at version {stream.channel.books.version(symbol)}"
    )
    sim.script_increase(IncreaseFault.GAP)
    run.console.print("injected: the simulator skips one update version")
    gap = await run.next_of("waiting for the BookGap", stream, BookGap)
    run.console.print(
        f"BookGap {gap.symbol}: expected version {gap.expected}, received {gap.received} ({gap.cause.value}); "
        "the book is invalid, a snapshot is requested"
    )
    resynced = await run.next_of("waiting for the BookResynced", stream, BookResynced)
    run.console.print(
        f"BookResynced {resynced.symbol}: snapshot at version {resynced.version}, "
        f"{resynced.replayed} buffered update(s) replayed"
    )
    book = await run.next_of("reading the resynchronised book", stream, OrderBook)
    if not stream.is_valid(symbol):
        raise DemoFailed(run.venue, "reading the resynchronised book", f"{symbol}'s book is not valid")
    run.console.print(f"valid again: is_valid({symbol}) {stream.is_valid(symbol)}")
    title = f"incremental {symbol} after the resync, version {stream.channel.books.version(symbol)}"
    run.console.print(book_table(book, run.options.levels, title=title))
    run.summary.messages += stream.stats.received
    run.summary.decode_errors += stream.stats.decode_errors
    run.summary.gaps += len(stream.gaps)


async def _bitmart_order_life_cycle(run: Run, sim: Any) -> None:
    """`venuewire.demo.bitmart_trading.bitmart_order_life_cycle` with a BitmartTradeClient on
    the simulator's account, recording into the run's capture; its lines printed."""
    from venuewire.bitmart.trade import BitmartTradeClient
    from venuewire.credentials import BitmartCredentials
    from venuewire.demo.bitmart_trading import LIFE_CYCLE_REQUESTS, bitmart_order_life_cycle

    account = sim.state
    trade = BitmartTradeClient(
        BitmartCredentials(account.api_key, account.secret, account.memo),
        moved_url(sim.rest_url, sim.port, run.dial_port),
        ws_url=moved_url(sim.private_url, sim.port, run.dial_port),
        timeout=CLIENT_TIMEOUT_S,
        capture=run.capture,
    )
    run.closing("closing the BitMart trading client", trade.close)
    run.console.print(f"BitMart spot order life cycle ({BITMART_ORDER[0]}, signed REST):")
    lines = await run.step(
        "the BitMart order life cycle (book, place, open orders, query, cancel)",
        bitmart_order_life_cycle(trade, *BITMART_ORDER),
    )
    for line in lines:
        run.console.print(line, markup=False, highlight=False)
    run.summary.messages += LIFE_CYCLE_REQUESTS  # their replies


# --- infoway -----------------------------------------------------------------------------------


async def infoway(run: Run, sim: Any, client: Any) -> None:
    """batch_depth for INFOWAY_REST, then the WebSocket depth stream of INFOWAY_STREAM live."""
    from venuewire.infoway.book import order_books_from_response

    rest_books: list[OrderBook] = []
    for market, codes in INFOWAY_REST:
        reply = await run.timed(f"batch_depth {market} {','.join(codes)}", client.batch_depth(market, codes))
        rest_books.extend(order_books_from_response(reply))
        run.summary.messages += 1
    levels = min(run.options.levels, 5)
    run.console.print(
        Group(
            f"batch_depth: {len(rest_books)} books from {len(INFOWAY_REST)} markets (top {levels} levels)",
            Columns([book_table(b, levels) for b in rest_books], padding=(0, 4)),
        )
    )

    market, codes = INFOWAY_STREAM
    stream = client.depth_stream(market, codes)
    run.closing("closing the depth stream", stream.aclose)
    books: dict[str, OrderBook] = {}
    counts = dict.fromkeys(codes, 0)
    run.console.print(f"live: WebSocket depth stream ({market}: {', '.join(codes)}) for {run.options.seconds:g} s")
    deadline = asyncio.get_running_loop().time() + run.options.seconds
    with LiveView(run.console) as view:

        def handle(item: object) -> None:
            if isinstance(item, OrderBook):
                books[item.symbol] = item
                counts[item.symbol] = counts.get(item.symbol, 0) + 1
                view.update(
                    side_by_side(
                        *(
                            book_table(books[c], run.options.levels, title=f"infoway {c} live, {counts[c]} pushes")
                            for c in codes
                            if c in books
                        )
                    )
                )

        await run.pump(f"reading the depth stream ({market})", stream, deadline, handle)
    if not books:
        raise DemoFailed(run.venue, "reading the depth stream", "no book received (only events)")
    run.summary.messages += stream.stats.received
    run.summary.decode_errors = stream.stats.decode_errors
    run.summary.gaps = len(stream.gaps)


# --- coinw -------------------------------------------------------------------------------------


async def coinw(run: Run, sim: Any, client: Any) -> None:
    """Signed get_open_orders for every position type the registry lists; one orders table."""
    from venuewire.coinw.orders import orders_from_coinw
    from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION

    endpoint = REST_COINW_GET_ORDER_INFORMATION
    orders: list[Order] = []
    groups: list[str] = []
    for position_type in endpoint.choices["positionType"]:
        typed = await run.timed(
            f"get_open_orders({position_type}) (signed {endpoint.method} {endpoint.path})",
            client.get_open_orders(position_type),
        )
        run.summary.messages += 1
        normalized = orders_from_coinw(typed)
        orders.extend(normalized)
        groups.extend([position_type] * len(normalized))
    run.console.print(
        orders_table(orders, title="CoinW open orders, one signed request per position type", groups=groups)
    )
    await _coinw_order_life_cycle(run, client)


async def _coinw_order_life_cycle(run: Run, client: Any) -> None:
    """A plan (limit) order's life cycle through the generated typed bodies: place_order ->
    get_current_orders shows it -> cancel_order -> get_current_orders no longer does."""
    from venuewire.coinw.orders import orders_from_coinw
    from venuewire.generated.coinw.cancel_order_body import CancelOrderBody
    from venuewire.generated.coinw.place_order_body import OrderKind, PlaceOrderBody, Side
    from venuewire.generated.registry import REST_COINW_CANCEL_ORDER, REST_COINW_PLACE_ORDER

    instrument, quantity, price = COINW_ORDER
    body = PlaceOrderBody(
        instrument=instrument,
        direction=Side.long,
        leverage=Decimal(10),
        quantityUnit="1",  # contracts
        quantity=quantity,
        positionModel="1",  # cross margin
        positionType=OrderKind.plan,
        openPrice=price,
        thirdOrderId="venuewire-demo",
    )
    place = REST_COINW_PLACE_ORDER
    placed = await run.timed(
        f"place_order {instrument} long {quantity} @ {price} (signed {place.method} {place.path})",
        client.place_order(body),
    )
    order_id = placed.data.value
    shown: list[Order] = []
    groups: list[str] = []

    async def open_orders(label: str) -> list[Order]:
        page = await run.timed(
            f"get_current_orders {instrument} plan ({label})",
            client.get_current_orders(instrument=instrument, positionType=OrderKind.plan.value),
        )
        run.summary.messages += 1
        return [o for o in orders_from_coinw(page.data.rows) if o.order_id == str(order_id)]

    listed = await open_orders("after placing")
    if not listed:
        raise DemoFailed(run.venue, "get_current_orders after placing", f"order {order_id} is not open")
    shown.extend(listed)
    groups.extend(["open after place"] * len(listed))
    cancel = REST_COINW_CANCEL_ORDER
    await run.timed(
        f"cancel_order {order_id} (signed {cancel.method} {cancel.path})",
        client.cancel_order(CancelOrderBody(id=str(order_id))),
    )
    run.summary.messages += 2  # the place and cancel replies
    if await open_orders("after cancelling"):
        raise DemoFailed(run.venue, "get_current_orders after cancelling", f"order {order_id} is still open")
    run.console.print(
        orders_table(
            shown,
            title=f"CoinW order {order_id}: placed, listed open, cancelled (no longer open)",
            groups=groups,
        )
    )


# --- qfex --------------------------------------------------------------------------------------


async def qfex(run: Run, sim: Any, client: Any) -> None:
    """HMAC auth, then QFEX_SAMPLES get_order calls for the simulator's demo order."""
    from venuewire.qfex.orders import orders_from_response
    from venuewire.sim.qfex import DEMO_ORDER_ID, DEMO_SYMBOL

    await run.step(f"connecting and authenticating to {client.url}", client.connect())
    run.console.print(f"authenticated to {client.url} (HMAC-SHA256 over nonce and timestamp)")
    answer = None
    for _ in range(QFEX_SAMPLES):
        answer = await run.timed(
            f"get_order({DEMO_SYMBOL}, {DEMO_ORDER_ID})", client.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)
        )
    assert answer is not None
    orders = orders_from_response(answer)
    run.console.print(orders_table(orders, title=f"QFEX get_order {DEMO_SYMBOL} {DEMO_ORDER_ID}"))
    if not orders:
        raise DemoFailed(run.venue, f"get_order({DEMO_SYMBOL}, {DEMO_ORDER_ID})", "the simulator returned no order")
    await _qfex_order_life_cycle(run, client)
    run.summary.messages = client.stats.answered + client.stats.connects  # answers, plus the auth reply


async def _qfex_order_life_cycle(run: Run, client: Any) -> None:
    """A resting limit order: add_order -> modify_order -> cancel_order, each answered by its
    order_response and followed by the order_responses push, shown as one table."""
    symbol, quantity, price, new_price = QFEX_ORDER
    updates = client.order_updates()
    run.closing("closing the order_responses stream", updates.aclose)
    await run.step("subscribing to order_responses", updates.ready())
    added = await run.timed(
        f"add_order {symbol} BUY {quantity} @ {price} LIMIT GTC",
        client.add_order(symbol, "BUY", "LIMIT", "GTC", quantity, price),
    )
    order_id = added.order_response.order_id
    steps: list[Order] = []
    groups: list[str] = []

    async def pushed(step: str) -> None:
        order = await run.next_of(f"waiting for the order_responses push after {step}", updates, Order)
        if order.order_id != order_id:
            raise DemoFailed(run.venue, f"the push after {step}", f"it is for order {order.order_id}, not {order_id}")
        steps.append(order)
        groups.append(f"{step} -> push")

    await pushed("add")
    await run.timed(
        f"modify_order {order_id} to {quantity} @ {new_price}",
        client.modify_order(symbol, order_id, new_price, quantity, "BUY", "LIMIT"),
    )
    await pushed("modify")
    await run.timed(f"cancel_order {order_id}", client.cancel_order(symbol, "order_id", order_id=order_id))
    await pushed("cancel")
    title = f"QFEX order {order_id}: added, modified, cancelled (order_responses pushes)"
    run.console.print(orders_table(steps, title=title, groups=groups))
