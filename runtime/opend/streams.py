"""Push streams of the OpenD client: one bounded, typed queue per `pushes(...)` call.

Pure bookkeeping, no I/O: the client puts items in and finishes the stream; a consumer
iterates it. What a stream holds is documented in venuewire.opend.client.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

from google.protobuf.message import Message

from venuewire.errors import VenueError
from venuewire.events import DecodeFailure, Gap, StreamEvent
from venuewire.generated.futu.dispatch import PushRoute
from venuewire.opend.symbols import format_symbol

S = TypeVar("S", bound=Message)


class PushStream(AsyncIterator[S | StreamEvent], Generic[S]):
    """The pushes of one protoID (`route`), as their S2C, in arrival order, with a `Gap`
    event after each outage and a `DecodeFailure` event for each push that did not decode.
    With `key` ((market, code)) only that security's pushes. At most `maxlen` items are
    held: when full the OLDEST is discarded and counted in `dropped` (and by `on_drop`).
    Ends when the client closes (with ConnectionLost when the connection is lost and
    `reconnect` is off); `aclose()` unregisters."""

    def __init__(
        self,
        route: PushRoute,
        maxlen: int,
        *,
        key: tuple[int, str] | None = None,
        check: Callable[[], object] = lambda: None,
        on_drop: Callable[[], None] = lambda: None,
        on_close: Callable[[PushStream[S]], None] = lambda _stream: None,
    ) -> None:
        self.route = route
        self.key = key
        self.symbol = format_symbol(*key) if key is not None else None
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
        return self.key is None or key is None or key == self.key

    def _put(self, item: S | StreamEvent) -> None:
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


__all__ = ["PushStream"]
