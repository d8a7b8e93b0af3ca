"""Push streams of the OpenD client: one bounded, typed queue per `pushes(...)` call, and
the order-book stream (`BookStream`, from `depth_stream`) built on one.

Pure bookkeeping, no I/O: the client puts items in and finishes the stream; a consumer
iterates it. What a stream holds is documented in venuewire.opend.client.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from types import TracebackType
from typing import Final, Generic, TypeVar

from google.protobuf.message import Message

from venuewire.errors import DecodeError, VenueError
from venuewire.events import DecodeFailure, Gap, Stale, StreamEvent
from venuewire.generated.futu import Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.dispatch import PushRoute
from venuewire.models import OrderBook
from venuewire.opend.book import order_book_from_s2c
from venuewire.opend.symbols import format_symbol
from venuewire.transport import SilenceWatch

S = TypeVar("S", bound=Message)
RAW_KEPT: Final = 64 * 1024
"""Bytes of an undecodable push kept in its DecodeFailure."""


class PushStream(AsyncIterator[S | StreamEvent], Generic[S]):
    """The pushes of one protoID (`route`), as their S2C, in arrival order, with a `Gap`
    event after each outage and a `DecodeFailure` event for each push that did not decode.
    With `key` ((market, code)) only that security's pushes, with `keys` only those
    securities' (pushes whose security cannot be read go to every stream). At most `maxlen` items are
    held: when full the OLDEST is discarded and counted in `dropped` (and by `on_drop`).
    Ends when the client closes (with ConnectionLost when the connection is lost and
    `reconnect` is off); `aclose()` unregisters. With `watch`, each security (once
    expected, or once it pushed) silent past the watch's thresholds is a `Stale` event, and
    a `Fresh` event comes before its next push (`venuewire.transport.SilenceWatch`)."""

    def __init__(
        self,
        route: PushRoute,
        maxlen: int,
        *,
        key: tuple[int, str] | None = None,
        keys: Iterable[tuple[int, str]] | None = None,
        check: Callable[[], object] = lambda: None,
        on_drop: Callable[[], None] = lambda: None,
        on_close: Callable[[PushStream[S]], None] = lambda _stream: None,
        watch: SilenceWatch | None = None,
    ) -> None:
        self.route = route
        self.watch = watch
        self.key = key
        self.symbol = format_symbol(*key) if key is not None else None
        wanted = ({key} if key is not None else set()) | (set(keys) if keys is not None else set())
        self._keys: frozenset[tuple[int, str]] | None = frozenset(wanted) if wanted else None
        self._items: deque[S | StreamEvent] = deque()
        self._maxlen = maxlen
        self._check, self._on_drop, self._on_close = check, on_drop, on_close
        self._wakeup = asyncio.Event()
        self._closed = False
        self._error: VenueError | None = None
        self.dropped = 0
        self.received = 0
        self.decode_errors = 0
        self.gaps: list[Gap] = []

    def wants(self, key: tuple[int, str] | None) -> bool:
        """Whether a push about security `key` (None: unknown) belongs in this stream."""
        return self._keys is None or key is None or key in self._keys

    def _put(self, item: S | StreamEvent, key: tuple[int, str] | None = None) -> None:
        """Queue `item`; a push's `key` ((market, code), None: unknown) ends its silence."""
        if self.watch is not None and not isinstance(item, StreamEvent):
            symbol = format_symbol(*key) if key is not None else None
            for fresh in self.watch.data(symbol, time.monotonic()):
                self._put(fresh)
        if len(self._items) >= self._maxlen:
            self._items.popleft()
            self.dropped += 1
            self._on_drop()
        if isinstance(item, Gap):
            self.gaps.append(item)
        elif isinstance(item, DecodeFailure):
            self.decode_errors += 1
        self._items.append(item)
        self.received += 1
        self._wakeup.set()

    def _expect(self) -> None:
        """The stream's securities are subscribed: their silence counts from now."""
        if self.watch is not None and self._keys is not None:
            self.watch.expect(sorted(format_symbol(*k) for k in self._keys), time.monotonic())

    def _check_silence(self, now: float) -> tuple[list[Stale], str | None]:
        """Queue the `Stale` events due at `now` (monotonic s); return them and why to
        reconnect (None: no need)."""
        if self.watch is None:
            return [], None
        events, reason = self.watch.check(now)
        for event in events:
            self._put(event)
        return events, reason

    def _finish(self, error: VenueError | None = None) -> None:
        self._closed = True
        self._error = error
        self._wakeup.set()

    def __aiter__(self) -> PushStream[S]:
        return self

    async def __anext__(self) -> S | StreamEvent:
        if not self._closed:
            self._check()
        while not self._items:
            if self._closed:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        return self._items.popleft()

    async def aclose(self) -> None:
        self._on_close(self)
        self._finish()


T = TypeVar("T")


class NormalizedStream(AsyncIterator[T | StreamEvent], Generic[S, T]):
    """The pushes of a `PushStream` as normalized models: `normalize(s2c)` gives the items of
    one push (none, one or several: a ticker push holds several trades), yielded in order; a
    `Gap` after each outage, a `DecodeFailure` for each push that does not decode or
    normalize. The first `anext` subscribes (a refusal raises it and ends the stream); the
    client restores the subscription after a reconnect. `pushes` is the underlying
    `PushStream` (`dropped`, `gaps`, `received`, `decode_errors`). `aclose()` (or leaving
    `async with`) ends the stream; the subscription stays (OpenD refuses to cancel one
    younger than a minute)."""

    def __init__(
        self,
        pushes: PushStream[S],
        symbols: tuple[str, ...],
        subscribe: Callable[[], Awaitable[None]],
        normalize: Callable[[S], Iterable[T]],
    ) -> None:
        self.pushes = pushes
        self.symbols = symbols
        self._subscribe: Callable[[], Awaitable[None]] | None = subscribe
        self._normalize = normalize
        self._ready: deque[T] = deque()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self.symbols)})"

    @property
    def dropped(self) -> int:
        return self.pushes.dropped

    @property
    def gaps(self) -> list[Gap]:
        return self.pushes.gaps

    def __aiter__(self) -> NormalizedStream[S, T]:
        return self

    async def __anext__(self) -> T | StreamEvent:
        subscribe, self._subscribe = self._subscribe, None
        if subscribe is not None:
            try:
                await subscribe()
            except BaseException:
                await self.pushes.aclose()
                raise
            self.pushes._expect()
        while not self._ready:
            item = await anext(self.pushes)
            if isinstance(item, StreamEvent):
                return item
            try:
                self._ready.extend(self._normalize(item))
            except DecodeError as exc:
                return DecodeFailure(exc, item.SerializeToString()[:RAW_KEPT])
        return self._ready.popleft()

    async def aclose(self) -> None:
        self._subscribe = None
        await self.pushes.aclose()

    async def __aenter__(self) -> NormalizedStream[S, T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


BookItem = OrderBook | StreamEvent
"""What an order-book stream yields: a normalized book (`raw`: the push's S2C) or a stream event."""


def _book(s2c: Qot_UpdateOrderBook_pb2.S2C) -> tuple[OrderBook]:
    return (order_book_from_s2c(s2c, raw=s2c),)


class BookStream(NormalizedStream[Qot_UpdateOrderBook_pb2.S2C, OrderBook]):
    """Qot_UpdateOrderBook pushes of some securities as normalized `OrderBook`s, each with
    the push's typed `Qot_UpdateOrderBook_pb2.S2C` as `raw`; a `Gap` after each outage, a
    `DecodeFailure` for each push that does not decode. Subscribing, `pushes`, `aclose()`:
    as for every `NormalizedStream`."""

    def __init__(
        self,
        pushes: PushStream[Qot_UpdateOrderBook_pb2.S2C],
        symbols: tuple[str, ...],
        subscribe: Callable[[], Awaitable[None]],
    ) -> None:
        super().__init__(pushes, symbols, subscribe, _book)

    def __aiter__(self) -> BookStream:
        return self

    async def __aenter__(self) -> BookStream:
        return self


__all__ = ["RAW_KEPT", "BookItem", "BookStream", "NormalizedStream", "PushStream"]
