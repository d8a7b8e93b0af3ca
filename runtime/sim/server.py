"""The aiohttp server life cycle the BitMart, CoinW, Infoway and QFEX simulators share.

A simulator subclasses `AppSimulator`, adds its routes in `_routes`, and may start and stop
its own tasks in `_started` / `_stopping`. `async with Sim(port=0) as sim:` listens (port 0
picks a free port; `sim.port` is the bound one afterwards) and stops on exit.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web

__all__ = ["AppSimulator"]


class AppSimulator:
    """An aiohttp application on `host:port`, started by `start()` or `async with`."""

    host: str
    port: int
    _runner: web.AppRunner | None = None

    def _routes(self, router: web.UrlDispatcher) -> None:
        raise NotImplementedError

    async def _started(self) -> None:
        """Called once listening (e.g. to start a ticker)."""

    async def _stopping(self) -> None:
        """Called first by `close()` (e.g. to stop tickers and close connections)."""

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
        await self._started()

    async def close(self) -> None:
        """Stop the simulator's own work, then stop listening. Safe to call twice."""
        await self._stopping()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
