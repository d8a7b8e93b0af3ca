"""`venuewire book NAME SYMBOL`: one normalized order book, from the venue's simulator (default)
or its live endpoint, for every book of the venue table."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from typing import Any

from venuewire.cli.common import (
    CommandFailed,
    Commands,
    add_command,
    levels,
    one_line,
    positive_seconds,
    quiet_logging,
    unknown_venue,
    without_cli_extras,
)
from venuewire.cli.venues import ALIASES, BOOKS, TOOLS


async def _items(args: argparse.Namespace, stack: contextlib.AsyncExitStack) -> AsyncIterator[Any]:
    """The book items of args.venue/args.symbol: one book unless --watch. Starts the simulator
    (default) or uses the live endpoint (--live)."""
    tool, book = BOOKS[args.venue]
    if book.check is not None:
        book.check(args.symbol)  # ValueError naming the symbol before connecting
    if args.live:
        client = book.live(args)
    else:
        sim = await stack.enter_async_context(tool.client_simulator())
        client = tool.client(sim, args.timeout, sim.port)
    stack.push_async_callback(client.close)
    return await book.read(client, args)


async def _next_book(items: AsyncIterator[Any], limit: float | None) -> Any:
    """The next OrderBook from `items` (stream events skipped) within `limit` s (None: no
    limit); None when the stream ends. TimeoutError when the limit runs out."""
    from venuewire.models import OrderBook

    async with asyncio.timeout(limit):
        async for item in items:
            if isinstance(item, OrderBook):
                return item
    return None


async def _book(args: argparse.Namespace) -> int:
    from venuewire.render import LiveView, book_table, make_console

    console = make_console()
    loop = asyncio.get_running_loop()
    async with contextlib.AsyncExitStack() as stack:
        try:
            async with asyncio.timeout(args.timeout + 5):
                items = await _items(args, stack)
            stack.push_async_callback(items.aclose)  # type: ignore[attr-defined]
            book = await _next_book(items, args.timeout)
        except TimeoutError:
            raise CommandFailed(
                f"venuewire book: {args.venue}: no book for {args.symbol} within {args.timeout:g} s"
            ) from None
        if book is None:
            raise CommandFailed(f"venuewire book: {args.venue}: the stream ended before a book for {args.symbol}")
        if not args.watch:
            console.print(book_table(book, args.levels))
            return 0
        deadline = None if args.seconds is None else loop.time() + args.seconds
        updates = 1
        with LiveView(console) as view:
            while book is not None:
                table = book_table(book, args.levels)
                table.title = f"{table.title} (update {updates})"
                view.update(table)
                left = None if deadline is None else deadline - loop.time()
                if left is not None and left <= 0:
                    break
                try:
                    book = await _next_book(items, left)
                except TimeoutError:
                    break
                updates += 1
    return 0


def _run_book(args: argparse.Namespace) -> int:
    from venuewire.errors import VenueError

    if without_cli_extras("book"):
        return 1
    venue, names = args.venue, ", ".join(BOOKS)
    no_book = {tool.key: tool.no_book for tool in TOOLS if not tool.books}
    if venue in no_book:
        print(f"venuewire book: {venue} has no order book ({no_book[venue]}); book venues: {names}", file=sys.stderr)
        return 2
    if venue not in BOOKS:
        print(f"venuewire book: {unknown_venue(venue, BOOKS, ALIASES, 'book venues')}", file=sys.stderr)
        return 2
    if args.url is not None and not args.live:
        print("venuewire book: --url needs --live", file=sys.stderr)
        return 2
    mode = "live" if args.live else "simulator"
    try:
        with quiet_logging(args.verbose):
            return asyncio.run(_book(args))
    except KeyboardInterrupt:
        return 0
    except CommandFailed as exc:
        print(exc.line, file=sys.stderr)
        return exc.code
    except (ValueError, TypeError) as exc:  # the symbol or an option the client refuses before sending
        print(f"venuewire book: {venue}: {one_line(exc)}", file=sys.stderr)
        return 2
    except VenueError as exc:
        print(f"venuewire book: {venue} ({mode}): {one_line(exc.message)}", file=sys.stderr)
        return 1
    except TimeoutError:
        print(f"venuewire book: {venue} ({mode}): no answer within {args.timeout:g} s", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"venuewire book: {venue} ({mode}): {exc}", file=sys.stderr)
        return 1


def add_book(group: Commands) -> None:
    books = "; ".join(
        f"{name}: {tool.title} {book.shows} (symbol: {book.symbol})" for name, (tool, book) in BOOKS.items()
    )
    without = " and ".join(tool.key for tool in TOOLS if not tool.books)
    command = add_command(
        group,
        "book",
        "Print one venue's normalized order book (bids and asks side by side), from its embedded "
        "simulator (--sim, the default) or the live endpoint (--live, credentials from the documented "
        f"VENUEWIRE_* environment variables). Venues with books: {books}. {without} have none "
        "(exit 2). A network failure or refused credentials exits 1 with one line.",
        "venuewire book futu HK.00700 --levels 5 --watch --seconds 10",
        _run_book,
        summary="Print one venue's normalized order book, from its simulator (default) or the live endpoint.",
    )
    command.add_argument("venue", help=", ".join(BOOKS))
    command.add_argument(
        "symbol", help=f"the venue's own symbol, e.g. {', '.join(book.symbol for _, book in BOOKS.values())}"
    )
    command.add_argument("--levels", type=levels, default=10, metavar="N", help="levels a side (default: 10)")
    command.add_argument("--watch", action="store_true", help="keep redrawing the book as updates arrive")
    command.add_argument(
        "--seconds", type=positive_seconds, metavar="N", help="with --watch: stop after N s (default: at Ctrl-C)"
    )
    where = command.add_mutually_exclusive_group()
    where.add_argument("--sim", dest="live", action="store_false", help="the embedded simulator (the default)")
    where.add_argument(
        "--live",
        dest="live",
        action="store_true",
        help="the live endpoint from the registry (futu: an OpenD gateway at 127.0.0.1:11111)",
    )
    command.set_defaults(live=False)
    command.add_argument(
        "--precision", type=int, default=6, help="bitmart-legacy: price decimals of the levels (default: 6)"
    )
    command.add_argument(
        "--market", help="infoway: stock, crypto, common, japan, india, korea, taiwan (default: from the code)"
    )
    command.add_argument(
        "--timeout", type=positive_seconds, default=10.0, metavar="S", help="connect/first book timeout (default: 10)"
    )
    command.add_argument("-v", "--verbose", action="store_true", help="log the clients' warnings")
    command.add_argument("--url", help=argparse.SUPPRESS)  # --live endpoint override (tests, private gateways)
    command.add_argument("--ws-url", help=argparse.SUPPRESS)  # infoway --live WebSocket override
