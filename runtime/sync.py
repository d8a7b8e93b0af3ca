"""Synchronous facade: every venuewire client without `async`, for scripts and notebooks.

Each facade client owns one background event loop (an anyio blocking portal, in its own
thread) and runs its async twin there, so calls, results, timeouts and errors are exactly
the async client's: the same typed values come back, the same `venuewire.VenueError`s are
raised in the caller's thread. Streams are plain iterators (`for book in stream: ...`),
closed by `close()`, `with`, or by closing the client. Use a client as a context manager
(entering connects where the async client connects on `async with`); `close()` stops its loop.

    from venuewire import sync
    from venuewire.sim.opend import OpenDSimulator

    with sync.serve(OpenDSimulator(port=0)) as sim, sync.OpenDClient(sim.host, sim.port) as futu:
        futu.subscribe(["HK.00700"])
        book = futu.get_order_book("HK.00700")

A facade client may be used from any one thread at a time; it is not meant to be shared
between threads that call it concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol, Self, TypeVar, cast

from anyio.from_thread import BlockingPortal, start_blocking_portal

if TYPE_CHECKING:
    from venuewire.bitmart.client import BitmartClient as AsyncBitmartClient
    from venuewire.bitmart.client import BitmartIncrementalStream
    from venuewire.bitmart.incremental import IncrementalOutput
    from venuewire.bitmart.trade import BitmartTradeClient as AsyncBitmartTradeClient
    from venuewire.capture.tap import Tap
    from venuewire.coinw.client import CoinwClient as AsyncCoinwClient
    from venuewire.events import DecodeFailure, Gap, StreamEvent
    from venuewire.generated.coinw.order import Order as CoinwOrder
    from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
    from venuewire.generated.qfex.all_orders_response import AllOrdersResponse
    from venuewire.infoway.client import InfowayClient as AsyncInfowayClient
    from venuewire.models import Balance, Candle, Fill, Order, OrderBook, Position, Quote, Trade
    from venuewire.opend.client import OpenDClient as AsyncOpenDClient
    from venuewire.opend.sync import OpenDClient, OpenDTrade
    from venuewire.qfex.client import QfexTradeClient as AsyncQfexTradeClient
    from venuewire.qfex.feeds import Feed as AsyncFeed

P = ParamSpec("P")
T = TypeVar("T")
C = TypeVar("C")


class _Connects(Protocol):
    async def connect(self) -> None: ...


K = TypeVar("K", bound=_Connects)

__all__ = [
    "BitmartClient",
    "BitmartTradeClient",
    "CoinwClient",
    "Feed",
    "IncrementalStream",
    "InfowayClient",
    "OpenDClient",
    "OpenDTrade",
    "QfexTradeClient",
    "Stream",
    "serve",
]


def _takes_args_of(_: Callable[P, object]) -> Callable[[Callable[..., None]], Callable[Concatenate[Any, P], None]]:
    """Give a facade's `__init__` the exact parameters of its async twin (for mypy and editors)."""

    def mirror(init: Callable[..., None]) -> Callable[Concatenate[Any, P], None]:
        return cast("Callable[Concatenate[Any, P], None]", init)

    return mirror


class _Loop:
    """One background event loop (anyio's blocking portal in its own thread)."""

    def __init__(self) -> None:
        self._cm: AbstractContextManager[BlockingPortal] | None = start_blocking_portal()
        self.portal = self._cm.__enter__()

    def call(self, func: Callable[..., Any], *args: Any) -> Any:
        if self._cm is None:
            from venuewire.errors import ConnectionLost

            raise ConnectionLost("venuewire", "this synchronous client is closed")
        return self.portal.call(func, *args)

    def stop(self) -> None:
        cm, self._cm = self._cm, None
        if cm is not None:
            cm.__exit__(None, None, None)


_DONE: Any = object()


class Stream(Iterator[T]):
    """A stream of the async client as a blocking iterator: `next()` waits for the next item
    (an OrderBook, a typed push, or a Gap / DecodeFailure event) and raises what the async
    stream raises. `close()` (or `with`) ends it; `async_stream` is the async stream itself
    (its `stats`, `dropped`, `gaps`)."""

    def __init__(self, loop: _Loop, stream: AsyncIterator[T]) -> None:
        self._loop = loop
        self.async_stream = stream
        self._closed = False

    def __iter__(self) -> Stream[T]:
        return self

    def __next__(self) -> T:
        if self._closed:
            raise StopIteration
        item = self._loop.call(_next_or_done, self.async_stream)
        if item is _DONE:
            self._closed = True
            raise StopIteration
        return cast(T, item)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            aclose = getattr(self.async_stream, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    self._loop.call(aclose)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Feed(Stream[T]):
    """A QFEX private channel (`order_updates()`, `fills()`, `positions()`, `balances()`) as a
    blocking iterator of `M | Gap | DecodeFailure`; `ready()` waits until the channel is
    subscribed, so that what is done next (an order placed) reaches it."""

    def ready(self, timeout: float = 10.0) -> None:
        """Subscribe now (if not yet) and wait for the venue's confirmation: `venuewire.Timeout`
        after `timeout` s, or the error that ended the stream."""
        feed = cast("AsyncFeed[Any]", self.async_stream)
        self._loop.call(_within, feed.ready, timeout, "the channel subscription")


class IncrementalStream(Stream[T]):
    """BitMart's incremental book stream (`incremental_depth_stream`) as a blocking iterator of
    `OrderBook | BookGap | BookResynced | ResyncTimedOut | StreamEvent`; `is_valid(symbol)`
    says whether that symbol's local book is valid now (after every frame received so far)."""

    def is_valid(self, symbol: str) -> bool:
        stream = cast("BitmartIncrementalStream", self.async_stream)
        return cast(bool, self._loop.call(stream.is_valid, symbol))


async def _within(wait: Callable[[], Awaitable[None]], seconds: float, what: str) -> None:
    from venuewire.errors import Timeout

    try:
        async with asyncio.timeout(seconds):
            await wait()
    except TimeoutError:
        raise Timeout("venuewire", f"{what} did not complete within {seconds:g} s") from None


async def _next_or_done(stream: AsyncIterator[T]) -> T | Any:
    try:
        return await anext(stream)
    except StopAsyncIteration:  # cannot cross a thread's future: a sentinel instead
        return _DONE


class _Facade(Generic[C]):
    """What every facade client shares: its loop, its async client, the life cycle."""

    def _start(self, factory: Callable[[], C]) -> None:
        self._loop = _Loop()
        self._streams: list[Stream[Any]] = []
        try:
            self.async_client: C = cast(C, self._loop.call(factory))  # built on its own loop
        except BaseException:
            self._loop.stop()
            raise

    def _call(self, func: Callable[..., Awaitable[T]], *args: Any) -> T:
        return cast(T, self._loop.call(func, *args))

    @property
    def capture(self) -> Tap | None:
        """The async client's recording (`capture=`, or `VENUEWIRE_CAPTURE`); None when off."""
        tap = getattr(self.async_client, "capture", None)
        return cast("Tap | None", tap)

    def _stream(self, make: Callable[[], AsyncIterator[T]], kind: type[Stream[T]] = Stream) -> Stream[T]:
        stream = kind(self._loop, self._loop.call(make))
        self._streams.append(stream)
        return stream

    def close(self) -> None:
        """Close every stream, the async client, then the background loop."""
        try:
            for stream in self._streams:
                stream.close()
            closer = getattr(self.async_client, "close", None)
            if closer is not None:
                self._loop.call(closer)
        finally:
            self._loop.stop()

    def __enter__(self) -> Self:
        """Ready at once: the async client connects on first use, as it does on `async with`."""
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:  # a forgotten close must not leave a thread behind
        loop = getattr(self, "_loop", None)
        if loop is not None:
            with contextlib.suppress(Exception):
                loop.stop()


def _blocking(method: Callable[Concatenate[Any, P], Awaitable[T]]) -> Callable[Concatenate[_Facade[Any], P], T]:
    """A facade method running the async client's method of the same name: the same
    parameters (for mypy and editors too), its awaited result, its errors."""
    name = method.__name__

    def call(self: _Facade[Any], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return cast(T, self._loop.call(functools.partial(getattr(self.async_client, name), *args, **kwargs)))

    call.__name__ = call.__qualname__ = name
    call.__doc__ = method.__doc__
    return call


class _ByName:
    """At run time, `_ByName().add_order` stands for the async method of that name (the
    async clients load on first use); type checkers see the async class itself."""

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        async def method(*_: Any) -> Any: ...

        method.__name__ = name
        method.__doc__ = f"The async client's `{name}`, without async."
        return method


class _Connecting(_Facade[K]):
    """A facade whose `with` connects (and logs in), as its async twin's `async with` does."""

    def __enter__(self) -> Self:
        self.connect()
        return self

    def connect(self) -> None:
        self._call(self.async_client.connect)


if TYPE_CHECKING:
    _like_opend = _takes_args_of(AsyncOpenDClient)
    _like_bitmart = _takes_args_of(AsyncBitmartClient)
    _like_bitmart_trade = _takes_args_of(AsyncBitmartTradeClient)
    _like_infoway = _takes_args_of(AsyncInfowayClient)
    _like_coinw = _takes_args_of(AsyncCoinwClient)
    _like_qfex = _takes_args_of(AsyncQfexTradeClient)
else:  # at run time the parameters are simply passed on

    def _same(init: Callable[..., None]) -> Callable[..., None]:
        return init

    _like_opend = _like_bitmart = _like_bitmart_trade = _like_infoway = _like_coinw = _like_qfex = _same
    AsyncInfowayClient = AsyncQfexTradeClient = _ByName()


class BitmartClient(_Facade["AsyncBitmartClient"]):
    """`venuewire.bitmart.BitmartClient` without async; its streams (depth, quotes, trades,
    candles) are iterators."""

    @_like_bitmart
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from venuewire.bitmart.client import BitmartClient as Async

        self._start(lambda: Async(*args, **kwargs))

    def depth_stream(self, symbol: str | Sequence[str], levels: int = 5) -> Stream[OrderBook | StreamEvent]:
        return self._stream(lambda: self.async_client.depth_stream(symbol, levels))

    def legacy_depth_stream(self, symbol: str, precision: int) -> Stream[OrderBook | StreamEvent]:
        return self._stream(lambda: self.async_client.legacy_depth_stream(symbol, precision))

    def incremental_depth_stream(
        self, symbols: str | Sequence[str], **settings: Any
    ) -> IncrementalStream[IncrementalOutput | StreamEvent]:
        """The locally maintained books of `symbols` (see the async `incremental_depth_stream`,
        whose keywords `settings` are); `stream.is_valid(symbol)` at any time."""
        names = symbols if isinstance(symbols, str) else list(symbols)
        make = functools.partial(self.async_client.incremental_depth_stream, names, **settings)
        return cast("IncrementalStream[IncrementalOutput | StreamEvent]", self._stream(make, IncrementalStream))

    def quote_stream(self, symbols: str | Sequence[str]) -> Stream[Quote | StreamEvent]:
        """`spot/ticker` with `spot/bookTicker`: Quotes with the best bid and offer."""
        return self._stream(lambda: self.async_client.quote_stream(symbols))

    def ticker_stream(self, symbols: str | Sequence[str]) -> Stream[Quote | StreamEvent]:
        return self._stream(lambda: self.async_client.ticker_stream(symbols))

    def trade_stream(self, symbols: str | Sequence[str]) -> Stream[Trade | StreamEvent]:
        return self._stream(lambda: self.async_client.trade_stream(symbols))

    def candle_stream(self, symbols: str | Sequence[str], step: str = "1m") -> Stream[Candle | StreamEvent]:
        return self._stream(lambda: self.async_client.candle_stream(symbols, step))


class BitmartTradeClient(_Facade["AsyncBitmartTradeClient"]):
    """`venuewire.bitmart.BitmartTradeClient` without async."""

    @_like_bitmart_trade
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from venuewire.bitmart.trade import BitmartTradeClient as Async

        self._start(lambda: Async(*args, **kwargs))

    def place_order(self, symbol: str, side: str, type: str = "limit", **terms: Any) -> str:
        """`place_order`; `terms` are its keywords (size, price, notional, client_order_id, stp_mode)."""
        return self._call(lambda: self.async_client.place_order(symbol, side, type, **terms))

    def cancel(self, symbol: str, order_id: str | None = None, *, client_order_id: str | None = None) -> bool:
        return self._call(lambda: self.async_client.cancel(symbol, order_id, client_order_id=client_order_id))

    def get_order(self, order_id: str, query_state: str | None = None) -> Order:
        return self._call(self.async_client.get_order, order_id, query_state)

    def open_orders(self, symbol: str | None = None, *, limit: int | None = None) -> list[Order]:
        return self._call(lambda: self.async_client.open_orders(symbol, limit=limit))

    def balances(self, currency: str | None = None) -> list[Balance]:
        return self._call(self.async_client.balances, currency)

    def order_book(self, symbol: str, limit: int | None = None) -> OrderBook:
        return self._call(self.async_client.order_book, symbol, limit)

    def order_updates(self, symbols: str | Sequence[str]) -> Stream[Order | Fill | StreamEvent]:
        """The private order stream (Orders, and the Fill before an order a fill changed)."""
        return self._stream(lambda: self.async_client.order_updates(symbols))

    def balance_updates(self) -> Stream[Balance | StreamEvent]:
        return self._stream(self.async_client.balance_updates)


class InfowayClient(_Facade["AsyncInfowayClient"]):
    """`venuewire.infoway.InfowayClient` without async; `depth_stream` is an iterator."""

    @_like_infoway
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from venuewire.infoway.client import InfowayClient as Async

        self._start(lambda: Async(*args, **kwargs))

    def batch_depth(self, market: str, codes: Sequence[str]) -> BatchDepthResponse:
        return self._call(self.async_client.batch_depth, market, list(codes))

    def order_books(self, market: str, codes: Sequence[str]) -> list[OrderBook]:
        return self._call(self.async_client.order_books, market, list(codes))

    def depth_stream(self, market: str, codes: Sequence[str], **settings: Any) -> Stream[OrderBook | StreamEvent]:
        """The WebSocket depth stream; `settings` are the async `depth_stream`'s keywords."""
        return self._stream(lambda: self.async_client.depth_stream(market, list(codes), **settings))

    trades = _blocking(AsyncInfowayClient.trades)
    candles = _blocking(AsyncInfowayClient.candles)

    def trade_stream(self, market: str, codes: Sequence[str], **settings: Any) -> Stream[Trade | StreamEvent]:
        """Trades of `codes` (10002 pushes); `settings` are the async `trade_stream`'s keywords."""
        return self._stream(lambda: self.async_client.trade_stream(market, list(codes), **settings))

    def candle_stream(
        self, market: str, codes: Sequence[str], kline_type: int = 1, **settings: Any
    ) -> Stream[Candle | StreamEvent]:
        """Candles of `codes` (10008 pushes); `settings` are the async `candle_stream`'s keywords."""
        return self._stream(lambda: self.async_client.candle_stream(market, list(codes), kline_type, **settings))


class CoinwClient(_Facade["AsyncCoinwClient"]):
    """`venuewire.coinw.CoinwClient` without async."""

    @_like_coinw
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from venuewire.coinw.client import CoinwClient as Async

        self._start(lambda: Async(*args, **kwargs))

    def get_open_orders(
        self, position_type: str, source_ids: Sequence[str | int] | None = None, instrument: str | None = None
    ) -> list[CoinwOrder]:
        return self._call(self.async_client.get_open_orders, position_type, source_ids, instrument)

    def get_open_orders_normalized(
        self, position_type: str, source_ids: Sequence[str | int] | None = None, instrument: str | None = None
    ) -> list[Order]:
        return self._call(self.async_client.get_open_orders_normalized, position_type, source_ids, instrument)


class QfexTradeClient(_Connecting["AsyncQfexTradeClient"]):
    """`venuewire.qfex.QfexTradeClient` without async; `with` connects and authenticates."""

    @_like_qfex
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from venuewire.qfex.client import QfexTradeClient as Async

        self._start(lambda: Async(*args, **kwargs))

    def get_order(self, symbol: str, order_id: str) -> AllOrdersResponse:
        return self._call(self.async_client.get_order, symbol, order_id)

    def get_order_normalized(self, symbol: str, order_id: str) -> list[Order]:
        return self._call(self.async_client.get_order_normalized, symbol, order_id)

    add_order = _blocking(AsyncQfexTradeClient.add_order)
    modify_order = _blocking(AsyncQfexTradeClient.modify_order)
    cancel_order = _blocking(AsyncQfexTradeClient.cancel_order)
    cancel_all_orders = _blocking(AsyncQfexTradeClient.cancel_all_orders)
    get_user_orders = _blocking(AsyncQfexTradeClient.get_user_orders)
    get_user_trades = _blocking(AsyncQfexTradeClient.get_user_trades)
    close_position = _blocking(AsyncQfexTradeClient.close_position)
    cancel_on_disconnect = _blocking(AsyncQfexTradeClient.cancel_on_disconnect)
    add_order_normalized = _blocking(AsyncQfexTradeClient.add_order_normalized)

    def get_user_trades_normalized(self, **kwargs: Any) -> list[Fill]:
        """`get_user_trades` (its keywords) as venue-neutral Fills, newest first."""
        return self._call(functools.partial(self.async_client.get_user_trades_normalized, **kwargs))

    def order_updates(self) -> Feed[Order | Gap | DecodeFailure]:
        """Every order_response push as `Order | Gap | DecodeFailure`; `ready()` subscribes."""
        return self._feed(self.async_client.order_updates)

    def fills(self) -> Feed[Fill | Gap | DecodeFailure]:
        return self._feed(self.async_client.fills)

    def positions(self) -> Feed[Position | Gap | DecodeFailure]:
        return self._feed(self.async_client.positions)

    def balances(self) -> Feed[Balance | Gap | DecodeFailure]:
        return self._feed(self.async_client.balances)

    def _feed(self, make: Callable[[], AsyncIterator[T]]) -> Feed[T]:
        return cast("Feed[T]", self._stream(make, Feed))


# OpenDClient and OpenDTrade (venuewire.opend.sync) load on first use (PEP 562): it needs protobuf, the JSON
# venues' facades do not. Hidden from type checkers, which see the TYPE_CHECKING import above.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        if name not in ("OpenDClient", "OpenDTrade"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from venuewire.opend import sync as opend_sync

        value = globals()[name] = getattr(opend_sync, name)
        return value


@contextlib.contextmanager
def serve(simulator: AbstractAsyncContextManager[T]) -> Iterator[T]:
    """Run an async context manager (an embedded simulator) on a background loop of its own
    for the duration of a `with` block: `with sync.serve(OpenDSimulator(port=0)) as sim:`."""
    loop = _Loop()
    try:
        with loop.portal.wrap_async_context_manager(simulator) as running:
            yield running
    finally:
        loop.stop()
