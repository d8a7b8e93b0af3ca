"""Terminal rendering for the command line: normalized books and orders as rich tables.

Pure functions from `venuewire.models` values to rich renderables, plus `LiveView`, which
redraws a renderable in place on a terminal and prints only its final state elsewhere (a
pipe, a CI log), so the output stays readable as plain text. Numbers are shown exactly as
their Decimals print; nothing here rounds a price.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from types import TracebackType

from rich import box
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from venuewire.models import BookLevel, Order, OrderBook

__all__ = [
    "PLAIN_WIDTH",
    "LiveView",
    "book_table",
    "make_console",
    "orders_table",
    "side_by_side",
]

PLAIN_WIDTH = 160
"""Width used when stdout is not a terminal and COLUMNS is unset (rich would pick 80)."""


def make_console(*, stderr: bool = False) -> Console:
    """A Console for the command line. On a terminal: colours and the terminal's width. In a
    pipe or a CI log: no colours, no cursor movement, PLAIN_WIDTH columns (or $COLUMNS)."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PLAIN_WIDTH
    return console


def _num(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _clock(value: datetime) -> str:
    return value.strftime("%H:%M:%S.%f")[:-3]


def _book_title(book: OrderBook, title: str | None) -> str:
    name = f" {book.name}" if book.name else ""
    return title if title is not None else f"{book.venue} {book.symbol}{name}"


def _book_caption(book: OrderBook, levels: int) -> str:
    spread = book.spread
    parts = [f"{min(levels, max(len(book.bids), len(book.asks)))} levels"]
    if spread is not None:
        parts.append(f"spread {spread}")
    stamp = book.timestamp or book.bid_timestamp or book.ask_timestamp
    if stamp is not None:
        parts.append(f"{_clock(stamp)}Z")
    return ", ".join(parts)


def book_table(book: OrderBook, levels: int = 10, *, title: str | None = None) -> Table:
    """`book` as one table, bids and asks side by side, best prices on the first row:
    (orders) | bid size | bid | ask | ask size | (orders). The order-count columns appear
    only when the venue reports counts. The caption holds the level count, the spread and
    the venue's timestamp when there is one."""
    bids, asks = book.bids[:levels], book.asks[:levels]
    counts = any(level.order_count is not None for level in (*bids, *asks))
    table = Table(
        title=Text(_book_title(book, title)),
        caption=Text(_book_caption(book, levels)),
        box=box.SIMPLE_HEAD,
        title_style="bold",
        caption_justify="left",
        pad_edge=False,
    )
    if counts:
        table.add_column("orders", justify="right", style="dim")
    table.add_column("bid size", justify="right")
    table.add_column("bid", justify="right", style="green")
    table.add_column("ask", justify="left", style="red")
    table.add_column("ask size", justify="right")
    if counts:
        table.add_column("orders", justify="right", style="dim")
    for i in range(max(len(bids), len(asks))):
        bid: BookLevel | None = bids[i] if i < len(bids) else None
        ask: BookLevel | None = asks[i] if i < len(asks) else None
        row = [
            _num(bid.size if bid else None),
            _num(bid.price if bid else None),
            _num(ask.price if ask else None),
            _num(ask.size if ask else None),
        ]
        if counts:
            bid_count = "" if bid is None or bid.order_count is None else str(bid.order_count)
            ask_count = "" if ask is None or ask.order_count is None else str(ask.order_count)
            row = [bid_count, *row, ask_count]
        table.add_row(*(Text(cell) for cell in row))
    if not bids and not asks:
        table.add_row(*(["-"] * len(table.columns)))
    return table


def side_by_side(*renderables: RenderableType) -> Table:
    """Renderables next to each other on one row (a borderless grid)."""
    grid = Table.grid(padding=(0, 4))
    for _ in renderables:
        grid.add_column(vertical="top")
    grid.add_row(*renderables)
    return grid


def orders_table(orders: Sequence[Order], *, title: str, groups: Sequence[str] | None = None) -> Table:
    """Normalized orders, one per row. `groups` (same length as `orders`) labels each row in a
    first column, e.g. the query that returned it."""
    table = Table(title=Text(title), box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    if groups is not None:
        table.add_column("query")
    for name, justify in (
        ("order id", "left"),
        ("symbol", "left"),
        ("side", "left"),
        ("type", "left"),
        ("status", "left"),
        ("quantity", "right"),
        ("remaining", "right"),
        ("price", "right"),
        ("updated (UTC)", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=name == "updated (UTC)")  # type: ignore[arg-type]
    for i, order in enumerate(orders):
        side = Text(order.side, style="green" if order.side == "buy" else "red" if order.side == "sell" else "")
        cells = [
            order.order_id,
            order.symbol,
            order.type,
            order.status,
            _num(order.quantity),
            _num(order.remaining),
            _num(order.price),
            _when(order.updated_at or order.created_at),
        ]
        row = [Text(cell) for cell in cells]
        row.insert(2, side)
        table.add_row(*([Text(groups[i])] if groups is not None else []), *row)
    if not orders:
        table.add_row(*(["-"] * len(table.columns)))
    return table


class LiveView:
    """A renderable redrawn in place while data arrives (rich.live) on a terminal; in a pipe
    or a log only the final state is printed, once, when the view closes.

        with LiveView(console) as view:
            view.update(book_table(book))
    """

    def __init__(self, console: Console, *, refresh_per_second: float = 8) -> None:
        self.console = console
        self.updates = 0
        self._renderable: RenderableType = Group()
        self._live: Live | None = None
        self._closed = False
        if console.is_terminal and not console.is_dumb_terminal:
            self._live = Live(
                console=console, refresh_per_second=refresh_per_second, transient=False, redirect_stderr=False
            )

    def __enter__(self) -> LiveView:
        if self._live is not None:
            self._live.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def update(self, renderable: RenderableType) -> None:
        """Show `renderable` instead of what was shown (redrawn at the next refresh)."""
        self._renderable = renderable
        self.updates += 1
        if self._live is not None:
            self._live.update(renderable)

    def close(self) -> None:
        """Stop redrawing; leave the last state on screen (print it, when not a terminal)."""
        if self._closed:
            return
        self._closed = True
        if self._live is not None:
            live, self._live = self._live, None
            live.update(self._renderable, refresh=True)
            live.stop()
        elif self.updates:
            self.console.print(self._renderable)
