"""Locally maintained BitMart books from the incremental channel (`spot/depth/increase100`).
Pure: entries in, books and events out, no I/O; the caller passes the time (monotonic s).

Each symbol's book is in one of three states:

- `AWAITING` (at the start and after every reconnect): no levels. An update is buffered; the
  first one is a `BookGap(BEFORE_SNAPSHOT)` and asks for a snapshot.
- `LIVE`: a valid book at `version`. Update version + 1 is applied; a higher one is a
  `BookGap(GAP)`, an equal or lower one a `BookGap(DUPLICATE)`; either drops the levels and
  moves to RESYNCING, asking for a snapshot. A snapshot replaces the book.
- `RESYNCING` (a snapshot asked for): no valid levels; updates are buffered (at most
  `max_buffer`, the oldest dropped).

On a snapshot the book becomes exactly the snapshot's levels (nothing kept from before), then
the buffered updates newer than the snapshot are replayed in `version` order (repeats
skipped); a hole among them is a new `BookGap(GAP)` and a new request, the updates after the
hole staying buffered. Once the replay reaches the last buffered update the book is LIVE and,
when it had been invalid (a gap, or a reconnect after it was valid), a `BookResynced` says so.
An update's level with size 0 removes that price. Each side keeps at most `depth` levels,
the best ones (the channel's window: a level pushed out of it is no longer updated).

`reset()` (every reconnect) drops every level of every symbol: no level from before a
reconnect survives unless the new snapshot has it. `is_valid(symbol)` answers at any time.

Snapshot timeout: with `resync_timeout`, a snapshot request (stamped when taken, with
`take_requests(now)`) unanswered that long is asked again by `expire(now)`, up to
`resync_requests` requests in all; when the last one times out too, `expire` returns a
`ResyncTimedOut` for that symbol (once), which tells the stream to reconnect. The book stays
invalid throughout, and updates keep being buffered.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, TypeAlias

from venuewire.bitmart.book import VENUE
from venuewire.events import BookGap, BookGapCause, BookResynced, ResyncTimedOut
from venuewire.generated.bitmart.spot_depth_increase import IncreaseType, SpotIncreaseData
from venuewire.models import BookLevel, OrderBook
from venuewire.values import utc_from_ms

__all__ = ["DEFAULT_MAX_BUFFER", "BookState", "IncrementalBooks", "IncrementalOutput"]

DEFAULT_MAX_BUFFER: Final = 10_000
"""Updates kept per symbol while it waits for a snapshot."""
_ZERO: Final = Decimal(0)

IncrementalOutput: TypeAlias = OrderBook | BookGap | BookResynced | ResyncTimedOut


class BookState(enum.Enum):
    """Where one symbol's local book stands (see the module doc)."""

    AWAITING = "AWAITING"
    LIVE = "LIVE"
    RESYNCING = "RESYNCING"


@dataclass
class _Book:
    state: BookState = BookState.AWAITING
    version: int | None = None
    bids: dict[Decimal, tuple[Decimal, Decimal]] = field(default_factory=dict)
    asks: dict[Decimal, tuple[Decimal, Decimal]] = field(default_factory=dict)
    """price -> (price as sent, size as sent)."""
    buffer: deque[SpotIncreaseData] = field(default_factory=deque)
    requested: bool = False
    """A snapshot was asked for and has not come yet."""
    asked_at: float | None = None
    """When the snapshot request in flight was sent (None: not sent yet, or not timed)."""
    first_asked_at: float | None = None
    sent: int = 0
    """Snapshot requests sent for the resync under way."""
    timed_out: bool = False
    """The resync ran out of requests: a ResyncTimedOut was returned, a reconnect is due."""
    was_invalidated: bool = False
    """The book went invalid after a gap or a reconnect: a BookResynced is due when it is valid."""
    ever_valid: bool = False


class IncrementalBooks:
    """The local books of `symbols` (distinct pairs), `depth` levels a side at most.

    `apply(entry, index)` takes one decoded entry and returns what it yields, in order
    (`OrderBook` after each change of a valid book, `BookGap`, `BookResynced`);
    `take_requests(now)` returns, once each, the symbols whose snapshot must be asked for;
    `expire(now)` asks again for snapshots older than `resync_timeout` s (None: never) and
    gives up after `resync_requests` (None: never). Entries for a symbol not in `symbols` are
    ignored (returns []).
    """

    def __init__(
        self,
        symbols: Iterable[str],
        depth: int,
        *,
        max_buffer: int = DEFAULT_MAX_BUFFER,
        resync_timeout: float | None = None,
        resync_requests: int | None = None,
    ) -> None:
        if depth < 1 or max_buffer < 1:
            raise ValueError("depth and max_buffer must be at least 1")
        if resync_timeout is not None and not resync_timeout > 0:
            raise ValueError(f"resync_timeout must be positive seconds or None, got {resync_timeout!r}")
        if resync_requests is not None and (isinstance(resync_requests, bool) or resync_requests < 1):
            raise ValueError(f"resync_requests must be an int >= 1 or None, got {resync_requests!r}")
        self.depth = depth
        self.max_buffer = max_buffer
        self.resync_timeout = resync_timeout
        self.resync_requests = resync_requests
        self.timeouts = 0
        """Snapshot requests that went unanswered past `resync_timeout` (each asked again or given up)."""
        self._books = {symbol: _Book(buffer=deque(maxlen=max_buffer)) for symbol in symbols}
        self._requests: list[str] = []
        self.gaps = 0
        self.resyncs = 0

    def __repr__(self) -> str:
        states = {symbol: book.state.value for symbol, book in self._books.items()}
        return f"IncrementalBooks({states})"

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(self._books)

    def is_valid(self, symbol: str) -> bool:
        """True while `symbol`'s book is LIVE: built from a snapshot and every update since,
        in order. KeyError for a symbol these books do not follow."""
        return self._books[symbol].state is BookState.LIVE

    def state(self, symbol: str) -> BookState:
        return self._books[symbol].state

    def version(self, symbol: str) -> int | None:
        """The version of `symbol`'s book while it is valid, else None."""
        book = self._books[symbol]
        return book.version if book.state is BookState.LIVE else None

    def book(self, symbol: str) -> OrderBook | None:
        """The current book of `symbol` while it is valid, else None."""
        book = self._books[symbol]
        return self._order_book(symbol, book, None) if book.state is BookState.LIVE else None

    def reset(self) -> None:
        """A new connection: every book drops every level and waits for its snapshot."""
        self._requests.clear()
        for book in self._books.values():
            book.was_invalidated = book.was_invalidated or book.ever_valid
            book.state = BookState.AWAITING
            book.version = None
            book.bids.clear()
            book.asks.clear()
            book.buffer.clear()
            self._answered(book)

    def take_requests(self, now: float | None = None) -> list[str]:
        """The symbols whose snapshot must be requested now (each returned once), the requests
        stamped as sent at `now` (None: not timed)."""
        out, self._requests = self._requests, []
        for symbol in out:
            book = self._books[symbol]
            book.sent += 1
            book.asked_at = now
            if book.first_asked_at is None:
                book.first_asked_at = now
        return out

    def expire(self, now: float) -> list[ResyncTimedOut]:
        """At `now`: each snapshot request older than `resync_timeout` is asked again (see
        `take_requests`) while the resync has requests left; a resync that has none left is
        given up: its `ResyncTimedOut` (returned once) means the connection must be renewed."""
        if self.resync_timeout is None:
            return []
        out: list[ResyncTimedOut] = []
        for symbol, book in self._books.items():
            if not book.requested or book.asked_at is None or now - book.asked_at < self.resync_timeout:
                continue
            self.timeouts += 1
            book.asked_at = None
            if self.resync_requests is None or book.sent < self.resync_requests:
                self._requests.append(symbol)
                continue
            book.timed_out = True
            started = book.first_asked_at if book.first_asked_at is not None else now
            out.append(ResyncTimedOut(symbol=symbol, requests=book.sent, waited=now - started))
        return out

    def apply(self, entry: SpotIncreaseData) -> list[IncrementalOutput]:
        book = self._books.get(entry.symbol)
        if book is None:
            return []
        if entry.type is IncreaseType.snapshot:
            return self._snapshot(entry.symbol, book, entry)
        if book.state is BookState.LIVE:
            assert book.version is not None
            expected = book.version + 1
            if entry.version == expected:
                self._update(book, entry)
                return [self._order_book(entry.symbol, book, entry)]
            cause = BookGapCause.GAP if entry.version > expected else BookGapCause.DUPLICATE
            return [self._invalidate(entry.symbol, book, expected, entry, cause)]
        if book.state is BookState.AWAITING and not book.requested:
            book.buffer.append(entry)
            return [self._invalidate(entry.symbol, book, None, entry, BookGapCause.BEFORE_SNAPSHOT)]
        book.buffer.append(entry)
        return []

    # -- internals

    def _invalidate(
        self, symbol: str, book: _Book, expected: int | None, entry: SpotIncreaseData, cause: BookGapCause
    ) -> BookGap:
        self.gaps += 1
        if book.state is BookState.LIVE:
            book.state = BookState.RESYNCING
            book.bids.clear()
            book.asks.clear()
            book.version = None
            if cause is BookGapCause.GAP:
                book.buffer.append(entry)  # newer than the book: may follow the snapshot
        book.was_invalidated = True
        self._ask(symbol, book)
        return BookGap(symbol=symbol, expected=expected, received=entry.version, cause=cause)

    def _ask(self, symbol: str, book: _Book) -> None:
        if not book.requested:
            book.requested = True
            self._requests.append(symbol)

    @staticmethod
    def _answered(book: _Book) -> None:
        book.requested = book.timed_out = False
        book.asked_at = book.first_asked_at = None
        book.sent = 0

    def _snapshot(self, symbol: str, book: _Book, entry: SpotIncreaseData) -> list[IncrementalOutput]:
        self._answered(book)
        book.bids = {price: (price, size) for price, size in entry.bids if size != _ZERO}
        book.asks = {price: (price, size) for price, size in entry.asks if size != _ZERO}
        book.version = entry.version
        self._trim(book)
        pending = sorted((u for u in book.buffer if u.version > entry.version), key=lambda u: u.version)
        book.buffer.clear()
        replayed = 0
        last = entry
        for index, update in enumerate(pending):
            if update.version == book.version:  # a repeat among the buffered ones
                continue
            if update.version != book.version + 1:
                book.buffer.extend(pending[index:])
                expected = book.version + 1
                book.state = BookState.RESYNCING
                book.bids.clear()
                book.asks.clear()
                book.version = None
                self.gaps += 1
                book.was_invalidated = True
                self._ask(symbol, book)
                return [BookGap(symbol=symbol, expected=expected, received=update.version, cause=BookGapCause.GAP)]
            self._update(book, update)
            replayed += 1
            last = update
        book.state = BookState.LIVE
        book.ever_valid = True
        out: list[IncrementalOutput] = []
        if book.was_invalidated:
            book.was_invalidated = False
            self.resyncs += 1
            out.append(BookResynced(symbol=symbol, version=book.version, replayed=replayed))
        out.append(self._order_book(symbol, book, last))
        return out

    def _update(self, book: _Book, entry: SpotIncreaseData) -> None:
        for side, levels in ((book.bids, entry.bids), (book.asks, entry.asks)):
            for price, size in levels:
                if size == _ZERO:
                    side.pop(price, None)
                else:
                    side[price] = (price, size)
        book.version = entry.version
        self._trim(book)

    def _trim(self, book: _Book) -> None:
        for side, best_first in ((book.bids, True), (book.asks, False)):
            if len(side) > self.depth:
                keep = sorted(side, reverse=best_first)[: self.depth]
                kept = {price: side[price] for price in keep}
                side.clear()
                side.update(kept)

    def _order_book(self, symbol: str, book: _Book, entry: SpotIncreaseData | None) -> OrderBook:
        return OrderBook(
            venue=VENUE,
            symbol=symbol,
            bids=_levels(book.bids, best_first=True),
            asks=_levels(book.asks, best_first=False),
            timestamp=None if entry is None else utc_from_ms(entry.ms_t, VENUE, "SpotDepthIncreasePush", ("ms_t",)),
            raw=entry,
        )


def _levels(side: dict[Decimal, tuple[Decimal, Decimal]], *, best_first: bool) -> tuple[BookLevel, ...]:
    return tuple(BookLevel.of(price, size) for price, size in (side[p] for p in sorted(side, reverse=best_first)))
