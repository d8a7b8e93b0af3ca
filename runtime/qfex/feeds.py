"""The QFEX trade socket's private channels as typed streams (pure apart from asyncio).

`PUSHES` links each push message to its channel (order_responses, fills, positions,
balances: the `subscribe` schema's channels); `push_of(frame)` reads one frame as its push
(None for a frame that is no push, a DecodeFailure for one that does not decode). `Feed` is
one stream's buffer: at most `buffer` items wait (the oldest is dropped and counted), a
`Gap` marks an outage, and it ends only by `close()` (StopAsyncIteration) or `fail(error)`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Final, Generic, TypeVar

import msgspec

from venuewire.errors import DecodeError, VenueError
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.qfex.balance_response import BalanceResponseMessage
from venuewire.generated.qfex.fill_response import FillResponseMessage
from venuewire.generated.qfex.order_response import OrderResponseMessage
from venuewire.generated.qfex.position_response import PositionResponseMessage
from venuewire.generated.qfex.subscribe import Channel
from venuewire.messages import decode_json, message_info

__all__ = ["CHANNEL_OF", "PUSHES", "Feed", "Push", "channel_of_failure", "push_of"]

Push = OrderResponseMessage | FillResponseMessage | PositionResponseMessage | BalanceResponseMessage
PUSHES: Final[dict[type[msgspec.Struct], str]] = {
    OrderResponseMessage: Channel.order_responses.value,
    FillResponseMessage: Channel.fills.value,
    PositionResponseMessage: Channel.positions.value,
    BalanceResponseMessage: Channel.balances.value,
}
"""Each push message and the channel that carries it."""
_BY_KEY: Final = {cls.__struct_fields__[0]: cls for cls in PUSHES}
CHANNEL_OF: Final = {message_info(cls).name: channel for cls, channel in PUSHES.items()}
"""Channel by push message name (a DecodeFailure's `error.message_name`)."""
_KEYS: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
_RAW_KEPT: Final = 64 * 1024


def push_of(data: str | bytes) -> Push | DecodeFailure | None:
    """The push `data` holds, a DecodeFailure naming the message and field when it holds a
    push that does not decode, or None when it is no push (answers, errors, acks)."""
    try:
        keys = _KEYS.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None  # not an object: the session reports it
    for key in keys:
        cls = _BY_KEY.get(key)
        if cls is None:
            continue
        try:
            push: Push = decode_json(cls, data)  # type: ignore[assignment]  # cls is one of Push
        except DecodeError as exc:
            raw = data if isinstance(data, bytes) else data.encode()
            return DecodeFailure(exc, raw[:_RAW_KEPT])
        return push
    return None


def channel_of_failure(failure: DecodeFailure) -> str | None:
    return CHANNEL_OF.get(failure.error.message_name)


M = TypeVar("M")


class Feed(Generic[M]):
    """One typed stream of a channel: `async for item in feed` yields `M | Gap | DecodeFailure`.
    `normalize` turns the push into `M` (a DecodeError from it is yielded as a DecodeFailure)."""

    def __init__(
        self,
        channel: str,
        normalize: Callable[[Push], M],
        buffer: int,
        on_start: Callable[[], None],
        on_close: Callable[[Feed[M]], None],
    ) -> None:
        self.channel = channel
        self.dropped = 0
        self._normalize, self._buffer = normalize, buffer
        self._on_start, self._on_close = on_start, on_close
        self._items: deque[M | Gap | DecodeFailure] = deque()
        self._ready = asyncio.Event()
        self._closed = False
        self._error: VenueError | None = None
        self._live = asyncio.Event()

    def __repr__(self) -> str:
        return f"Feed({self.channel!r}, waiting={len(self._items)}, dropped={self.dropped})"

    def __aiter__(self) -> Feed[M]:
        return self

    async def __anext__(self) -> M | Gap | DecodeFailure:
        self._on_start()
        while not self._items:
            if self._closed:
                raise StopAsyncIteration
            if self._error is not None:
                raise self._error
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    async def ready(self) -> None:
        """Wait until the channel is subscribed (on the first call, the subscription starts):
        pushes from then on reach this stream. Raises the error that ended the stream."""
        self._on_start()
        while not self._live.is_set():
            if self._error is not None:
                raise self._error
            waiter = asyncio.ensure_future(self._live.wait())
            ended = asyncio.ensure_future(self._ready.wait())
            self._ready.clear()
            try:
                await asyncio.wait({waiter, ended}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
                ended.cancel()

    def subscribed(self) -> None:
        """The channel is subscribed (the client's keeper calls it after every (re)subscribe)."""
        self._live.set()

    def put(self, item: Push | Gap | DecodeFailure) -> None:
        if isinstance(item, (Gap, DecodeFailure)):
            self._add(item)
            return
        try:
            self._add(self._normalize(item))
        except DecodeError as exc:
            self._add(DecodeFailure(exc, msgspec.json.encode(item)[:_RAW_KEPT]))

    def _add(self, item: M | Gap | DecodeFailure) -> None:
        if len(self._items) >= self._buffer:
            self._items.popleft()
            self.dropped += 1
        self._items.append(item)
        self._ready.set()

    def fail(self, error: VenueError) -> None:
        """End the stream with `error` once the items received are consumed."""
        self._error = error
        self._ready.set()

    async def aclose(self) -> None:
        """Stop this stream (the channel stays subscribed while another stream reads it)."""
        self._closed = True
        self._ready.set()
        self._on_close(self)

    close = aclose

    @property
    def closed(self) -> bool:
        return self._closed
