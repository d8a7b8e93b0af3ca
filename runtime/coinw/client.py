"""CoinW futures private REST: the open (unfilled) orders of one account.

    async with CoinwClient(CoinwCredentials.from_env()) as client:   # or base_url=sim.url
        orders = await client.get_open_orders("execute", source_ids=["33308753605637070"])
        normalized = await client.get_open_orders_normalized("plan", instrument="btc")

The thin I/O layer around `venuewire.coinw.rest` (checks, the query, reply -> typed orders or
a typed error) and `venuewire.coinw.orders` (normalization), both pure. Each request:
1. checks its arguments (ValueError/TypeError naming the argument; nothing is sent);
2. waits for the client-side rate limiter: at most the registry's `requests_per_second` (10)
   in any `RATE_WINDOW_S` window, one second plus a margin, because the venue counts
   arrivals and network jitter can bunch requests that left a second apart;
3. reads the clock (after the wait, so the timestamp is fresh), signs exactly the query it
   sends (`venuewire.signing.coinw_headers` over `coinw_query`'s output) and sends it
   byte for byte (`coinw_url` / `transport.Http` never re-encode; commas stay raw);
4. turns the reply into typed orders or the typed error: an envelope `code != 0` is
   `error_for("coinw", code, msg)` (6000/6001/6003 AuthError, 29001/429 RateLimited,
   1/402/9111 InvalidRequest), HTTP 429 RateLimited, a body that is not the documented reply
   DecodeError naming the field; no reply in `timeout` s Timeout, a dropped connection
   ConnectionLost.
The secret never appears in a repr, a log line or an exception text; nothing logs headers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Final

from venuewire.coinw.orders import orders_from_coinw
from venuewire.coinw.rest import PATH, REQUESTS_PER_SECOND, VENUE, order_query, orders_result
from venuewire.credentials import CoinwCredentials
from venuewire.generated.coinw.order import Order
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION
from venuewire.models import Order as NormalizedOrder
from venuewire.signing import coinw_headers, coinw_url
from venuewire.transport import Http, RateLimiter, positive_seconds

__all__ = ["RATE_WINDOW_S", "CoinwClient"]

log = logging.getLogger("venuewire.coinw")

RATE_WINDOW_S: Final = 1.1
"""The client-side limiter's window: `requests_per_second` requests per 1.1 s (1 s plus 100 ms
for jitter between our departures and the venue's arrivals)."""


class CoinwClient:
    """CoinW futures `GET /v1/perpum/order` for one API key. Use as `async with`.

    `base_url` (`scheme://host[:port]`) defaults to the venue's and may point at
    `venuewire.sim.coinw`. `timeout` (s) bounds each request. `limiter` replaces the default
    client-side limiter (REQUESTS_PER_SECOND per RATE_WINDOW_S); pass one shared limiter to
    every client of the same account. `clock` returns Unix time in seconds (tests skew it).
    """

    def __init__(
        self,
        credentials: CoinwCredentials,
        base_url: str = REST_COINW_GET_ORDER_INFORMATION.base_url,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(credentials, CoinwCredentials):
            raise TypeError("credentials must be CoinwCredentials")
        positive_seconds("timeout", timeout)
        if not isinstance(base_url, str):
            raise TypeError("base_url must be a str")
        coinw_url(base_url, PATH, None)  # ValueError naming base_url when it is not scheme://host[:port]
        self.base_url = base_url.rstrip("/")
        self.timeout = float(timeout)
        self.limiter = limiter if limiter is not None else RateLimiter(REQUESTS_PER_SECOND, RATE_WINDOW_S)
        self._credentials = credentials
        self._clock = clock
        self._http = Http(VENUE, self.base_url, timeout=self.timeout)

    def __repr__(self) -> str:
        return f"CoinwClient(base_url={self.base_url!r}, credentials={self._credentials!r})"

    async def __aenter__(self) -> CoinwClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session (the client can be used again: a new one is opened)."""
        await self._http.close()

    async def get_open_orders(
        self,
        position_type: str,
        source_ids: Sequence[str | int] | None = None,
        instrument: str | None = None,
    ) -> list[Order]:
        """The account's unfilled orders of `position_type` (execute, plan, moveStop or
        stopProfitLoss; CoinW may add orders of other kinds), as typed generated orders.

        `source_ids` (at most 20 order ids, digits-only strings or ints; duplicates dropped)
        and `instrument` (a base currency such as BTC; CoinW ignores its case, and it is sent
        as given) narrow the answer. Raises ValueError/TypeError before sending; then the
        VenueError subclasses in the module docstring.
        """
        query = order_query(position_type, source_ids, instrument)
        url = coinw_url(self.base_url, PATH, query)
        await self.limiter.acquire()
        timestamp_ms = int(self._clock() * 1000)
        headers = coinw_headers(self._credentials, timestamp_ms, "GET", PATH, query, None)
        reply = await self._http.request("GET", url.raw_path_qs, headers=headers)
        log.debug("GET %s?%s -> HTTP %d, %d bytes", PATH, query, reply.status, len(reply.body))
        return orders_result(reply.status, reply.headers, reply.body)

    async def get_open_orders_normalized(
        self,
        position_type: str,
        source_ids: Sequence[str | int] | None = None,
        instrument: str | None = None,
    ) -> list[NormalizedOrder]:
        """`get_open_orders` as venue-neutral `venuewire.models.Order`s (exact Decimals, UTC
        times; see `venuewire.coinw.orders`)."""
        return orders_from_coinw(await self.get_open_orders(position_type, source_ids, instrument))
