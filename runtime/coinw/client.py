"""CoinW futures private REST: the open (unfilled) orders of one account.

    async with CoinwClient(CoinwCredentials.from_env()) as client:   # or url=sim.url
        orders = await client.get_open_orders("execute", source_ids=["33308753605637070"])
        normalized = await client.get_open_orders_normalized("planTrigger", instrument="btc")

The thin I/O layer around `venuewire.coinw.rest` (checks, the query, reply -> typed orders or
a typed error) and `venuewire.coinw.orders` (normalization), both pure. Each request:
1. checks its arguments (ValueError/TypeError naming the argument; nothing is sent);
2. goes out through the generated `CoinwRestAPI.get_order_information` and `venuewire.rest`:
   the client-side rate limiter (at most the registry's `requests_per_second`, 10, in any
   `RATE_WINDOW_S` window, one second plus a margin, because the venue counts arrivals),
   then the clock (after the wait, so the timestamp is fresh) and the signature over exactly
   the query sent (commas stay raw);
3. turns the reply into typed orders or the typed error: an envelope `code != 0` is
   `error_for("coinw", code, text)` with the venue's text from `msg` or `message`
   (6000/6001/6003 AuthError, 29001/429 RateLimited, 1/402/9111 InvalidRequest, 500 and
   unknown codes VenueError), HTTP 429 RateLimited, another HTTP status without the envelope
   (a gateway's HTML page) a VenueError naming the status, a body that is not the documented
   reply (broken JSON, invalid UTF-8, a wrong type, a NaN) DecodeError naming the field, a
   body over `max_body` bytes PayloadTooLarge (a DecodeError; never buffered); no reply in
   `timeout` s Timeout (also a TimeoutError), a refused or dropped connection ConnectionLost
   (also a ConnectionError).
Nothing else reaches the caller from the wire side. The client is bound to the event loop of
its first request: from another loop every public coroutine raises WrongEventLoop at once
(`close()` releases it). The API key and the secret never appear in a repr, a log line, an
exception text or its `__context__`/`__cause__` chain; nothing logs headers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from venuewire.capture.tap import CaptureTarget, open_tap
from venuewire.coinw.orders import orders_from_coinw
from venuewire.coinw.rest import (
    PATH,
    REQUESTS_PER_SECOND,
    VENUE,
    check_instrument,
    check_position_type,
    check_source_ids,
    open_orders,
)
from venuewire.credentials import CoinwCredentials
from venuewire.generated.coinw.api import CoinwRestAPI
from venuewire.generated.coinw.order import Order
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION
from venuewire.models import Order as NormalizedOrder
from venuewire.rest import RATE_WINDOW_S, RestCaller, RestReplies
from venuewire.signing import coinw_url
from venuewire.transport import DEFAULT_MAX_BODY, Closing, LoopBound, RateLimiter, positive_seconds

__all__ = ["RATE_WINDOW_S", "CoinwClient"]

log = logging.getLogger("venuewire.coinw")


class CoinwClient(CoinwRestAPI, RestReplies, Closing):
    """CoinW futures REST for one API key: every registry endpoint as a typed method
    (`CoinwRestAPI`, generated) plus `get_open_orders`. Use as `async with`.

    `url` (`scheme://host[:port]`) defaults to the venue's and may point at
    `venuewire.sim.coinw`. `timeout` (s) bounds each request. `limiter` replaces the default
    client-side limiter (REQUESTS_PER_SECOND per RATE_WINDOW_S); pass one shared limiter to
    every client of the same account. `clock` returns Unix time in seconds (tests skew it).
    `max_body` caps a reply body in bytes (PayloadTooLarge beyond; see `transport.Http`).
    `capture` records every request and reply (a path or a shared `CaptureWriter`; see
    `venuewire.capture.tap`; default: `VENUEWIRE_CAPTURE`), the key, secret and signatures redacted.
    """

    def __init__(
        self,
        credentials: CoinwCredentials,
        url: str = REST_COINW_GET_ORDER_INFORMATION.base_url,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
        max_body: int = DEFAULT_MAX_BODY,
        capture: CaptureTarget = None,
    ) -> None:
        if not isinstance(credentials, CoinwCredentials):
            raise TypeError("credentials must be CoinwCredentials")
        positive_seconds("timeout", timeout)
        if not isinstance(url, str):
            raise TypeError("url must be a str")
        try:
            coinw_url(url, PATH, None)
        except ValueError as exc:
            raise ValueError(f"url must be http(s)://host[:port] with no path, query or fragment ({exc})") from None
        self.url = url.rstrip("/")
        self.timeout = float(timeout)
        self.limiter = limiter if limiter is not None else RateLimiter(REQUESTS_PER_SECOND, RATE_WINDOW_S)
        self._credentials = credentials
        self._rest = RestCaller(
            VENUE,
            self.url,
            credentials,
            timeout=self.timeout,
            limiter=self.limiter,
            clock=clock,
            max_body=max_body,
            capture=open_tap(capture, VENUE, credentials),
        )
        self.capture = self._rest.http.capture
        """The recording (None when off): `capture.writer.path` is the file."""
        self._loop_bound = LoopBound(VENUE)

    def __repr__(self) -> str:
        return f"CoinwClient(url={self.url!r}, credentials={self._credentials!r})"

    async def close(self) -> None:
        """Close the HTTP session (the client can be used again, on any event loop: a new one
        is opened). From a loop other than the client's, its session is dropped, not awaited."""
        try:
            await self._rest.close()
        finally:
            self._loop_bound.release()
            if self.capture is not None:
                self.capture.close()

    async def get_open_orders(
        self,
        position_type: str,
        source_ids: Sequence[str | int] | None = None,
        instrument: str | None = None,
    ) -> list[Order]:
        """The account's unfilled orders of `position_type` (execute, plan, moveStop,
        stopProfitLoss, planTrigger, moveStopProfitLoss: `POSITION_TYPES`; any other word is
        sent as given and the venue's refusal comes back typed; CoinW may add orders of other
        kinds), as typed generated orders.

        `source_ids` (at most 20 order ids, digits-only strings or ints; duplicates dropped)
        and `instrument` (a base currency such as BTC; CoinW ignores its case, and it is sent
        as given) narrow the answer. Raises ValueError/TypeError before sending; then the
        VenueError subclasses in the module docstring.
        """
        self._loop_bound.check()
        position_type = check_position_type(position_type)  # the venue's rules: ValueError/TypeError, nothing sent
        ids = ",".join(check_source_ids(source_ids)) if source_ids is not None else None
        instrument = check_instrument(instrument) if instrument is not None else None
        reply = await self.get_order_information(positionType=position_type, sourceIds=ids, instrument=instrument)
        return open_orders(reply)

    async def get_open_orders_normalized(
        self,
        position_type: str,
        source_ids: Sequence[str | int] | None = None,
        instrument: str | None = None,
    ) -> list[NormalizedOrder]:
        """`get_open_orders` as venue-neutral `venuewire.models.Order`s (exact Decimals, UTC
        times; see `venuewire.coinw.orders`). A time outside year 1 to 9999 is a DecodeError."""
        self._loop_bound.check()
        return orders_from_coinw(await self.get_open_orders(position_type, source_ids, instrument))
