"""The aiohttp server life cycle the BitMart, CoinW, Infoway and QFEX simulators share.

A simulator subclasses `AppSimulator` (calling `super().__init__(host, port)`), adds its routes
in `_routes`, and, when it pushes on a clock, sets `ticker_name` and defines `_tick` (run as a
task while listening). WebSocket simulators define `drop_connections` and keep the task of
every connection handler in `self._handlers`. `async with Sim(port=0) as sim:` listens (port 0
picks a free port; `sim.port` is the bound one afterwards); leaving it stops the ticker, closes
every connection, waits for the handlers (at most `HANDLERS_WAIT_S`), then stops listening.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Any, ClassVar, Final, Self

from aiohttp import web

__all__ = ["HANDLERS_WAIT_S", "AppSimulator"]

HANDLERS_WAIT_S: Final = 5.0


class AppSimulator:
    """An aiohttp application on `host:port`, started by `start()` or `async with`."""

    ticker_name: ClassVar[str | None] = None
    """When set, `_tick()` runs as a task of this name while the simulator listens."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._handlers: set[asyncio.Task[Any]] = set()

    def _routes(self, router: web.UrlDispatcher) -> None:
        raise NotImplementedError

    async def _tick(self) -> None:
        raise NotImplementedError

    async def drop_connections(self) -> None:
        """Close every client connection now; the server keeps listening (nothing to close
        for a plain HTTP simulator)."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen on host:port (RuntimeError when already started; OSError when the port is taken)."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already started")
        app = web.Application()
        self._routes(app.router)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        if self.ticker_name is not None:
            self._ticker = asyncio.create_task(self._tick(), name=self.ticker_name)

    async def close(self) -> None:
        """Stop the ticker, close every connection, stop listening. Safe to call twice."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        await self.drop_connections()
        if self._handlers:
            await asyncio.wait(set(self._handlers), timeout=HANDLERS_WAIT_S)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
